/*
 * cmd-remote.c -- "smadm remote ...": the far side of the SSH transport.
 *
 * backend/transport-ssh.c runs these on a remote host (when smadm is
 * installed there) for what SFTP and plain programs cannot do well.  Each
 * is the local transport's own operation, its result written to standard
 * output in a form the SSH transport parses:
 *
 *	remote dir [-p PREFIX]... [-s SIBPREFIX] [-d SIBDIR] [-l] [-m MAX] DIR
 *		a directory of small files as frames
 *	remote ns-exec NSDIR -- PROGRAM ARGS...
 *		exec PROGRAM inside the sandbox namespace of NSDIR
 *	remote query SOCKET TIMEOUT_MS
 *		standard input to a unix socket, its answer to standard output
 *	remote remove-locked PATH [ALSO...]
 *		prints "removed", "busy" or "missing"
 *	remote follow PATH OFFSET
 *		the growing file, a piece per request (see remote_follow)
 *	remote lock PATH WAIT_MS COMMAND
 *		the configuration lock, held until standard input ends
 *	remote serve
 *		requests one after the other (see remote_serve)
 *
 * The answers and frames are those of backend/remote-proto.h, written
 * with its functions only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "../backend/lock.h"
#include "../backend/ns.h"
#include "../backend/remote-proto.h"
#include "../backend/shquote.h"
#include "cmd.h"

/*
 * Standard output, deflated with -z (level 1: a queue's control files
 * shrink twenty-fold or more for little CPU).  Z_SYNC_FLUSH after each
 * batch lets the far end parse what came so far.
 */
struct remote_out {
	int		 z;
	z_stream	 zs;
	unsigned char	 buf[65536];
};

static void
remote_out_add(struct remote_out *ro, const void *data, size_t len, int flush)
{
	if (!ro->z) {
		fwrite(data, 1, len, stdout);
		if (flush != Z_NO_FLUSH)
			fflush(stdout);
		return;
	}
	ro->zs.next_in = (unsigned char *)(uintptr_t)data;
	ro->zs.avail_in = (uInt)len;
	do {
		ro->zs.next_out = ro->buf;
		ro->zs.avail_out = sizeof ro->buf;
		deflate(&ro->zs, flush);
		fwrite(ro->buf, 1, sizeof ro->buf - ro->zs.avail_out, stdout);
	} while (ro->zs.avail_out == 0);
	if (flush != Z_NO_FLUSH)
		fflush(stdout);
}

/* A frame built by remote-proto's functions, then sent. */
static void
remote_out_buf(struct remote_out *ro, struct buf *b, int flush)
{
	remote_out_add(ro, b->data, b->len, flush);
	buf_reset(b);
}

static void
remote_out_error(struct remote_out *ro, const char *msg)
{
	struct buf	b = BUF_INIT;

	rp_error_format(&b, msg);
	remote_out_buf(ro, &b, Z_FINISH);
	buf_release(&b);
}

/* An answer of serve, on standard output. */
static void
remote_answer(struct buf *b)
{
	fwrite(b->data, 1, b->len, stdout);
	buf_reset(b);
}

static int
remote_read_stdin(struct buf *in)
{
	char	chunk[65536];
	ssize_t	n;

	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf_add(in, chunk, (size_t)n);
	}
	return 0;
}

static int
remote_dir_frame(void *arg, const struct tdir_file *f, char **cause unused)
{
	struct remote_out	*ro = arg;
	struct buf		 b = BUF_INIT;

	rp_dir_file_format(&b, f);
	remote_out_buf(ro, &b, Z_NO_FLUSH);
	buf_release(&b);
	return 0;
}

static int
remote_dir(struct cmd_ctx *ctx unused, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ NULL, 0, NULL, 0 }
	};
	struct transport	*t;
	struct tdir		*d;
	struct tdir_opts	 o;
	struct strv		 prefixes = STRV_INIT;
	struct remote_out	*ro;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	long long		 max;
	int			 ch, n, rc = 1;

	memset(&o, 0, sizeof o);
	ro = xcalloc(1, sizeof *ro);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+p:s:d:lm:z", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'z':
			if (!ro->z && deflateInit(&ro->zs, 1) == Z_OK)
				ro->z = 1;
			break;
		case 'p':
			strv_push(&prefixes, optarg);
			break;
		case 's':
			o.sibling_prefix = optarg;
			break;
		case 'd':
			o.sibling_dir = optarg;
			break;
		case 'l':
			o.lock_test = 1;
			break;
		case 'm':
			if (str_tonum(optarg, 0, RP_READ_MAX, &max,
			    &cause) != 0)
				goto bad;
			o.max_size = (size_t)max;
			break;
		default:
			cause = xstrdup("remote dir: bad option");
			goto bad;
		}
	}
	if (optind + 1 != argc) {
		cause = xstrdup("remote dir: one directory expected");
		goto bad;
	}
	if (prefixes.n != 0)
		o.prefixes = (const char *const *)prefixes.v;
	t = transport_local_create();
	if ((d = transport_dir_open(t, argv[optind], &o, &cause)) == NULL) {
		remote_out_error(ro, cause);
		free(cause);
		goto out;
	}
	while ((n = transport_dir_read(t, d, 4096, remote_dir_frame, ro,
	    &cause)) > 0) {
		rp_dir_batch_format(&b, n);
		remote_out_buf(ro, &b, Z_SYNC_FLUSH);
	}
	if (n < 0) {
		remote_out_error(ro, cause);
		free(cause);
	} else {
		rp_dir_end_format(&b);
		remote_out_buf(ro, &b, Z_FINISH);
		rc = 0;
	}
	transport_dir_close(t, d);
out:
	fflush(stdout);
	if (ro->z)
		deflateEnd(&ro->zs);
	free(ro);
	transport_free(t);
	strv_release(&prefixes);
	buf_release(&b);
	return rc;
bad:
	remote_out_error(ro, cause);
	fflush(stdout);
	free(cause);
	if (ro->z)
		deflateEnd(&ro->zs);
	free(ro);
	strv_release(&prefixes);
	return 1;
}

/* An error as one line: the frames are line-based. */
static void
remote_serve_error(char *cause)
{
	struct buf	b = BUF_INIT;

	rp_error_format(&b, cause);
	remote_answer(&b);
	buf_release(&b);
	free(cause);
}

/*
 * write PATH MODE SET_OWNER UID GID BACKUP KEEP_MODE LEN, then LEN bytes:
 * the local transport's atomic write; the answer is "D <len>\n" and the
 * backup's name (empty when none was made).
 */
static void
remote_serve_write(struct transport *t, struct strv *args)
{
	struct write_opts	 wo;
	struct buf		 backup = BUF_INIT, out = BUF_INIT;
	long long		 v[7];
	char			*data, *cause = NULL;
	size_t			 i;

	for (i = 0; i < 7; i++) {
		if (str_tonum(args->v[i + 2], 0, i == 6 ? RP_READ_MAX :
		    1LL << 40, &v[i], &cause) != 0) {
			remote_serve_error(cause);
			return;
		}
	}
	data = xmalloc((size_t)v[6] + 1);
	if (fread(data, 1, (size_t)v[6], stdin) != (size_t)v[6]) {
		free(data);
		remote_serve_error(xstrdup("remote serve: short write data"));
		return;
	}
	write_opts_init(&wo);
	wo.mode = (mode_t)v[0];
	wo.set_owner = (int)v[1];
	wo.uid = (uid_t)v[2];
	wo.gid = (gid_t)v[3];
	wo.backup = (int)v[4];
	wo.keep_mode = (int)v[5];
	wo.backup_path = &backup;
	if (transport_write_file(t, args->v[1], data, (size_t)v[6], &wo,
	    &cause) != 0)
		remote_serve_error(cause);
	else {
		rp_data_format(&out, RP_DATA, backup.data, backup.len);
		remote_answer(&out);
	}
	free(data);
	buf_release(&backup);
	buf_release(&out);
}

static void
remote_serve_ok(void)
{
	struct buf	b = BUF_INIT;

	rp_ok_format(&b);
	remote_answer(&b);
	buf_release(&b);
}

/*
 * lock PATH WAIT_MS COMMAND, unlock PATH: the configuration lock (lock.h)
 * for the smadm at the other end, held until it says unlock or serve
 * ends ("O", or "E <who holds it>").
 */
#define SERVE_LOCKS	8
static struct {
	char	*path;
	int	 fd;
} serve_locks[SERVE_LOCKS];

static void
remote_serve_lock(struct strv *args)
{
	char		*cause = NULL;
	long long	 wait;
	size_t		 i;
	int		 fd;

	if (strcmp(args->v[0], "unlock") == 0) {
		for (i = 0; i < SERVE_LOCKS; i++) {
			if (serve_locks[i].path != NULL &&
			    strcmp(serve_locks[i].path, args->v[1]) == 0) {
				lock_file_release(serve_locks[i].fd);
				free(serve_locks[i].path);
				serve_locks[i].path = NULL;
				break;
			}
		}
		remote_serve_ok();
		return;
	}
	for (i = 0; i < SERVE_LOCKS; i++)
		if (serve_locks[i].path == NULL)
			break;
	if (i == SERVE_LOCKS) {
		remote_serve_error(xstrdup("remote serve: too many locks"));
		return;
	}
	if (str_tonum(args->v[2], 0, 86400000, &wait, &cause) != 0 ||
	    lock_file_take(args->v[1], args->v[3], (int)wait, &fd,
	    &cause) != 0) {
		remote_serve_error(cause);
		return;
	}
	serve_locks[i].path = xstrdup(args->v[1]);
	serve_locks[i].fd = fd;
	remote_serve_ok();
}

static void
remote_serve_unlock_all(void)
{
	size_t	i;

	for (i = 0; i < SERVE_LOCKS; i++) {
		if (serve_locks[i].path != NULL) {
			lock_file_release(serve_locks[i].fd);
			free(serve_locks[i].path);
			serve_locks[i].path = NULL;
		}
	}
}

/* read PATH MAX, stat PATH FOLLOW, list PATH: the local transport's. */
static void
remote_serve_file(struct transport *t, struct strv *args)
{
	struct tstat	 st;
	struct buf	 b = BUF_INIT, out = BUF_INIT;
	struct strv	 names = STRV_INIT;
	char		*cause = NULL;
	long long	 max;
	size_t		 i;

	if (strcmp(args->v[0], "read") == 0 && args->n == 3) {
		if (str_tonum(args->v[2], 0, 1LL << 40, &max, &cause) != 0 ||
		    transport_read_file(t, args->v[1], &b, (size_t)max,
		    &cause) != 0)
			remote_serve_error(cause);
		else {
			rp_data_format(&out, RP_DATA, b.data, b.len);
			remote_answer(&out);
		}
	} else if (strcmp(args->v[0], "stat") == 0 && args->n == 3) {
		if (transport_stat(t, args->v[1], strcmp(args->v[2], "1") == 0,
		    &st, &cause) != 0)
			remote_serve_error(cause);
		else {
			rp_stat_format(&out, &st);
			remote_answer(&out);
		}
	} else if (strcmp(args->v[0], "list") == 0 && args->n == 2) {
		if (transport_list_dir(t, args->v[1], &names, &cause) != 0)
			remote_serve_error(cause);
		else {
			for (i = 0; i < names.n; i++)
				buf_add(&b, names.v[i], strlen(names.v[i]) + 1);
			rp_data_format(&out, RP_LIST, b.data, b.len);
			remote_answer(&out);
		}
	} else if (strcmp(args->v[0], "write") == 0 && args->n == 9)
		remote_serve_write(t, args);
	else if (strcmp(args->v[0], "rm") == 0 && args->n == 2) {
		if (transport_remove(t, args->v[1], &cause) != 0)
			remote_serve_error(cause);
		else
			remote_serve_ok();
	} else if (strcmp(args->v[0], "mv") == 0 && args->n == 3) {
		if (transport_rename(t, args->v[1], args->v[2], &cause) != 0)
			remote_serve_error(cause);
		else
			remote_serve_ok();
	} else if ((strcmp(args->v[0], "mkdir") == 0 ||
	    strcmp(args->v[0], "chmod") == 0) && args->n == 3) {
		if (str_tonum(args->v[2], 0, 07777, &max, &cause) != 0 ||
		    (args->v[0][1] == 'k' ? transport_mkdir(t, args->v[1],
		    (mode_t)max, &cause) : transport_chmod(t, args->v[1],
		    (mode_t)max, &cause)) != 0)
			remote_serve_error(cause);
		else
			remote_serve_ok();
	} else if ((strcmp(args->v[0], "lock") == 0 && args->n == 4) ||
	    (strcmp(args->v[0], "unlock") == 0 && args->n == 2))
		remote_serve_lock(args);
	else if (strcmp(args->v[0], "readlink") == 0 && args->n == 2) {
		if (transport_readlink(t, args->v[1], &b, &cause) != 0)
			remote_serve_error(cause);
		else {
			rp_data_format(&out, RP_DATA, b.data, b.len);
			remote_answer(&out);
		}
	} else
		remote_serve_error(xstrdup("remote serve: unknown request"));
	fflush(stdout);
	buf_release(&b);
	buf_release(&out);
	strv_release(&names);
}

/*
 * Requests on standard input, one after the other, each "<length>\n"
 * and a command line written by sh_quote_argv() (shquote.h): "dir ..."
 * (answered as above), "read PATH MAX" ("D <len>\n" and the bytes),
 * "stat PATH FOLLOW" ("S type mode uid gid size mtime nsec dev ino"),
 * "list PATH" ("L <len>\n" and NUL-terminated names), "write ..." (see
 * remote_serve_write), "rm PATH", "mv FROM TO", "mkdir PATH MODE",
 * "chmod PATH MODE" ("O"), "readlink PATH" ("D"), "lock PATH WAIT_MS
 * COMMAND" and "unlock PATH" ("O"; see remote_serve_lock), or
 * "E <message>".
 * One process serves a whole SSH connection: no shell start per request.
 */
static int
remote_serve(struct cmd_ctx *ctx, int argc unused, char **argv unused)
{
	struct strv		 args = STRV_INIT;
	struct remote_out	*ro;
	struct transport	*t;
	char			 line[32], *req, *cause = NULL;
	long long		 len;

	t = transport_local_create();
	while (fgets(line, sizeof line, stdin) != NULL) {
		if ((len = rp_request_length(line, &cause)) < 0) {
			remote_serve_unlock_all();
			transport_free(t);
			return cmd_fail_cause(ctx, cause);
		}
		req = xmalloc((size_t)len + 1);
		if (fread(req, 1, (size_t)len, stdin) != (size_t)len) {
			free(req);
			remote_serve_unlock_all();
			transport_free(t);
			return cmd_error(ctx, "remote serve: short request");
		}
		req[len] = '\0';
		strv_release(&args);
		if (sh_unquote_argv(req, &args, &cause) == 0 && args.n > 0 &&
		    strcmp(args.v[0], "dir") != 0)
			remote_serve_file(t, &args);
		else if (cause != NULL || args.n == 0) {
			ro = xcalloc(1, sizeof *ro);
			ro->z = deflateInit(&ro->zs, 1) == Z_OK;
			remote_out_error(ro, cause != NULL ? cause :
			    "remote serve: unknown request");
			fflush(stdout);
			if (ro->z)
				deflateEnd(&ro->zs);
			free(ro);
			free(cause);
			cause = NULL;
		} else
			remote_dir(ctx, (int)args.n, args.v);
		free(req);
	}
	remote_serve_unlock_all();
	transport_free(t);
	strv_release(&args);
	return 0;
}

static int
remote_ns_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause = NULL;
	int	 first = 2;

	if (argc > 2 && strcmp(argv[2], "--") == 0)
		first = 3;
	if (argc <= first || argv[first][0] != '/')
		return cmd_error(ctx, "remote ns-exec: NSDIR -- /PROGRAM "
		    "expected");
	if (ns_enter(argv[1], &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	execv(argv[first], argv + first);
	return cmd_error(ctx, "%s: %s", argv[first], strerror(errno));
}

static int
remote_query(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct transport	*t;
	struct buf		 in = BUF_INIT, out = BUF_INIT;
	char			*cause = NULL;
	long long		 tmo;
	int			 rc;

	if (argc != 3 || str_tonum(argv[2], 0, 3600000, &tmo, &cause) != 0) {
		free(cause);
		return cmd_error(ctx, "remote query: SOCKET TIMEOUT_MS "
		    "expected");
	}
	if (remote_read_stdin(&in) != 0)
		return cmd_error(ctx, "stdin: %s", strerror(errno));
	t = transport_local_create();
	rc = transport_unix_query(t, argv[1], in.data, in.len, &out, (int)tmo,
	    &cause);
	transport_free(t);
	buf_release(&in);
	if (rc != 0) {
		buf_release(&out);
		return cmd_fail_cause(ctx, cause);
	}
	fwrite(out.data, 1, out.len, ctx->out);
	buf_release(&out);
	return 0;
}

static int
remote_remove_locked(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct transport	*t;
	struct strv		 also = STRV_INIT;
	char			*cause = NULL;
	int			 i, state, rc;

	if (argc < 2)
		return cmd_error(ctx, "remote remove-locked: PATH expected");
	for (i = 2; i < argc; i++)
		strv_push(&also, argv[i]);
	t = transport_local_create();
	rc = transport_remove_locked(t, argv[1], &also, &state, &cause);
	transport_free(t);
	strv_release(&also);
	if (rc != 0)
		return cmd_fail_cause(ctx, cause);
	fprintf(ctx->out, "%s\n", state == TRL_REMOVED ? "removed" :
	    state == TRL_BUSY ? "busy" : "missing");
	return 0;
}

/*
 * Each "R" line on standard input is answered with "D <len>\n" and what
 * the file gained since the last answer (the local stream's rotation
 * handling included), at most RP_FOLLOW_MAX bytes of it (the rest comes
 * with the next answers), or "E <message>\n".  Ends when standard input does.
 */
static int
remote_follow(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct transport	*t;
	struct tstream		*ts;
	struct buf		 b = BUF_INIT, out = BUF_INIT;
	char			*cause = NULL, line[64];
	long long		 off;
	size_t			 piece;
	int			 n;

	if (argc != 3 || str_tonum(argv[2], -1, 1LL << 62, &off, &cause) != 0) {
		free(cause);
		return cmd_error(ctx, "remote follow: PATH OFFSET expected");
	}
	t = transport_local_create();
	if ((ts = transport_stream_open(t, argv[1], (off_t)off, &cause)) ==
	    NULL) {
		remote_serve_error(cause);
		fflush(stdout);
		transport_free(t);
		return 1;
	}
	while (fgets(line, sizeof line, stdin) != NULL) {
		/* What did not fit in the last piece goes first. */
		n = 0;
		while (b.len < RP_FOLLOW_MAX &&
		    (n = transport_stream_read(t, ts, &b, &cause)) > 0)
			;
		if (n < 0) {
			remote_serve_error(cause);
			cause = NULL;
			buf_reset(&b);
		} else {
			piece = b.len < RP_FOLLOW_MAX ? b.len : RP_FOLLOW_MAX;
			rp_data_format(&out, RP_DATA, b.data, piece);
			remote_answer(&out);
			memmove(b.data, b.data + piece, b.len - piece);
			buf_truncate(&b, b.len - piece);
		}
		if (fflush(stdout) != 0)
			break;
	}
	buf_release(&b);
	buf_release(&out);
	transport_stream_close(t, ts);
	transport_free(t);
	return 0;
}

/*
 * The configuration lock of this host (lock.h) for an smadm elsewhere:
 * "L" once it is held, or "E <message>" (who holds it), then held until
 * standard input ends: the channel closed, or the connection dropped.
 */
static int
remote_lock(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		*cause = NULL, *p, chunk[512];
	long long	 wait;
	ssize_t		 n;
	int		 fd;

	if (argc != 4 || str_tonum(argv[2], 0, 86400000, &wait, &cause) != 0) {
		free(cause);
		return cmd_error(ctx, "remote lock: PATH WAIT_MS COMMAND "
		    "expected");
	}
	if (lock_file_take(argv[1], argv[3], (int)wait, &fd, &cause) != 0) {
		for (p = cause; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		printf("E %s\n", cause);
		fflush(stdout);
		free(cause);
		return 1;
	}
	printf("L\n");
	fflush(stdout);
	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0)
		if (n == -1 && errno != EINTR)
			break;
	lock_file_release(fd);
	return 0;
}

static int
cmd_remote_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage(ctx, &cmd_remote_entry);
	if (strcmp(argv[1], "dir") == 0)
		return remote_dir(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return remote_serve(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "ns-exec") == 0)
		return remote_ns_exec(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "query") == 0)
		return remote_query(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove-locked") == 0)
		return remote_remove_locked(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "follow") == 0)
		return remote_follow(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "lock") == 0)
		return remote_lock(ctx, argc - 1, argv + 1);
	return cmd_usage(ctx, &cmd_remote_entry);
}

const struct cmd_entry cmd_remote_entry = {
	"remote", "dir|serve|ns-exec|query|remove-locked|follow|lock ARGS...",
	"The far side of the SSH transport (internal)",
	"Run by smadm over SSH on the managed host: reads a queue directory "
	"as one stream, enters a sandbox namespace, queries sendmail's "
	"control socket, removes a queue file under sendmail's lock, follows "
	"a log, holds the configuration lock.  Not meant to be typed.",
	CMD_NOHOST | CMD_HIDDEN | CMD_OWN_ARGS, cmd_remote_exec, NULL
};
