/*
 * remote-serve.c -- the server side of the helper protocol (remote-proto.h):
 * what "smadm remote ..." does on a host that smadm manages over SSH.
 *
 * The SSH transport (ssh-helper.c, ssh-dir.c, ssh-lock.c, ssh-stream) runs
 * these on the remote host, where each is the local transport's own
 * operation, its result written in the protocol's answers and frames.
 * cli/cmd-remote.c is only the command's entry.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "lock.h"
#include "remote-proto.h"
#include "remote-serve.h"
#include "shquote.h"

/*
 * The output, deflated with -z (level 1: a queue's control files
 * shrink twenty-fold or more for little CPU).  Z_SYNC_FLUSH after each
 * batch lets the far end parse what came so far.
 */
struct remote_out {
	FILE		*f;
	int		 z;
	z_stream	 zs;
	unsigned char	 buf[65536];
};

static void
remote_out_add(struct remote_out *ro, const void *data, size_t len, int flush)
{
	if (!ro->z) {
		fwrite(data, 1, len, ro->f);
		if (flush != Z_NO_FLUSH)
			fflush(ro->f);
		return;
	}
	ro->zs.next_in = (unsigned char *)(uintptr_t)data;
	ro->zs.avail_in = (uInt)len;
	do {
		ro->zs.next_out = ro->buf;
		ro->zs.avail_out = sizeof ro->buf;
		deflate(&ro->zs, flush);
		fwrite(ro->buf, 1, sizeof ro->buf - ro->zs.avail_out, ro->f);
	} while (ro->zs.avail_out == 0);
	if (flush != Z_NO_FLUSH)
		fflush(ro->f);
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

static struct remote_out *
remote_out_create(FILE *f, int z)
{
	struct remote_out	*ro;

	ro = xcalloc(1, sizeof *ro);
	ro->f = f;
	ro->z = z && deflateInit(&ro->zs, 1) == Z_OK;
	return ro;
}

static void
remote_out_free(struct remote_out *ro)
{
	fflush(ro->f);
	if (ro->z)
		deflateEnd(&ro->zs);
	free(ro);
}

/* An answer, sent. */
static void
remote_answer(FILE *out, struct buf *b)
{
	fwrite(b->data, 1, b->len, out);
	buf_reset(b);
}

/* An error as one line: the frames are line-based. */
static void
remote_answer_error(FILE *out, char *cause)
{
	struct buf	b = BUF_INIT;

	rp_error_format(&b, cause);
	remote_answer(out, &b);
	buf_release(&b);
	free(cause);
}

static void
remote_answer_ok(FILE *out)
{
	struct buf	b = BUF_INIT;

	rp_ok_format(&b);
	remote_answer(out, &b);
	buf_release(&b);
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

/*
 * The words of a directory read: [-p PREFIX]... [-s SIBPREFIX] [-d SIBDIR]
 * [-l] [-m MAX] [-z] [--] DIR, each option a word of its own (as
 * ssh-dir.c sends them).
 */
static int
remote_dir_args(int argc, char *const *argv, struct tdir_opts *o,
    struct strv *prefixes, int *z, const char **dir, char **cause)
{
	long long	 max;
	int		 i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-z") == 0)
			*z = 1;
		else if (strcmp(argv[i], "-l") == 0)
			o->lock_test = 1;
		else if (i + 1 == argc || argv[i][1] == '\0' ||
		    strchr("psdm", argv[i][1]) == NULL || argv[i][2] != '\0') {
			*cause = xasprintf("remote dir: bad option %s",
			    argv[i]);
			return -1;
		} else {
			switch (argv[i++][1]) {
			case 'p':
				strv_push(prefixes, argv[i]);
				break;
			case 's':
				o->sibling_prefix = argv[i];
				break;
			case 'd':
				o->sibling_dir = argv[i];
				break;
			case 'm':
				if (str_tonum(argv[i], 0, RP_READ_MAX, &max,
				    cause) != 0)
					return -1;
				o->max_size = (size_t)max;
				break;
			}
		}
	}
	if (i + 1 != argc) {
		*cause = xstrdup("remote dir: one directory expected");
		return -1;
	}
	*dir = argv[i];
	return 0;
}

int
remote_serve_dir(FILE *out, int argc, char *const *argv)
{
	struct transport	*t;
	struct tdir		*d;
	struct tdir_opts	 o;
	struct strv		 prefixes = STRV_INIT;
	struct remote_out	*ro;
	struct buf		 b = BUF_INIT;
	const char		*dir;
	char			*cause = NULL;
	int			 n, z = 0, rc = -1;

	memset(&o, 0, sizeof o);
	if (remote_dir_args(argc, argv, &o, &prefixes, &z, &dir,
	    &cause) != 0) {
		/* Deflated when -z came before the bad word. */
		ro = remote_out_create(out, z);
		remote_out_error(ro, cause);
		remote_out_free(ro);
		free(cause);
		strv_release(&prefixes);
		return -1;
	}
	ro = remote_out_create(out, z);
	if (prefixes.n != 0)
		o.prefixes = (const char *const *)prefixes.v;
	t = transport_local_create();
	if ((d = transport_dir_open(t, dir, &o, &cause)) == NULL) {
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
	remote_out_free(ro);
	transport_free(t);
	strv_release(&prefixes);
	buf_release(&b);
	return rc;
}

/*
 * write PATH MODE SET_OWNER UID GID BACKUP KEEP_MODE LEN, then LEN bytes:
 * the local transport's atomic write; the answer is "D <len>\n" and the
 * backup's name (empty when none was made).
 */
static void
serve_write(FILE *in, FILE *out, struct transport *t, struct strv *args)
{
	struct write_opts	 wo;
	struct buf		 backup = BUF_INIT, b = BUF_INIT;
	long long		 v[7];
	char			*data, *cause = NULL;
	size_t			 i;

	for (i = 0; i < 7; i++) {
		if (str_tonum(args->v[i + 2], 0, i == 6 ? RP_READ_MAX :
		    1LL << 40, &v[i], &cause) != 0) {
			remote_answer_error(out, cause);
			return;
		}
	}
	data = xmalloc((size_t)v[6] + 1);
	if (fread(data, 1, (size_t)v[6], in) != (size_t)v[6]) {
		free(data);
		remote_answer_error(out,
		    xstrdup("remote serve: short write data"));
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
		remote_answer_error(out, cause);
	else {
		rp_data_format(&b, RP_DATA, backup.data, backup.len);
		remote_answer(out, &b);
	}
	free(data);
	buf_release(&backup);
	buf_release(&b);
}

/*
 * lock PATH WAIT_MS COMMAND, unlock PATH: the configuration lock (lock.h)
 * for the smadm at the other end, held until it says unlock or serve
 * ends ("O", or "E <who holds it>").
 */
#define SERVE_LOCKS	8
struct serve_locks {
	char	*path[SERVE_LOCKS];
	int	 fd[SERVE_LOCKS];
};

static void
serve_lock(FILE *out, struct serve_locks *sl, struct strv *args)
{
	char		*cause = NULL;
	long long	 wait;
	size_t		 i;
	int		 fd;

	if (strcmp(args->v[0], "unlock") == 0) {
		for (i = 0; i < SERVE_LOCKS; i++) {
			if (sl->path[i] != NULL &&
			    strcmp(sl->path[i], args->v[1]) == 0) {
				lock_file_release(sl->fd[i]);
				free(sl->path[i]);
				sl->path[i] = NULL;
				break;
			}
		}
		remote_answer_ok(out);
		return;
	}
	for (i = 0; i < SERVE_LOCKS; i++)
		if (sl->path[i] == NULL)
			break;
	if (i == SERVE_LOCKS) {
		remote_answer_error(out,
		    xstrdup("remote serve: too many locks"));
		return;
	}
	if (str_tonum(args->v[2], 0, 86400000, &wait, &cause) != 0 ||
	    lock_file_take(args->v[1], args->v[3], (int)wait, &fd,
	    &cause) != 0) {
		remote_answer_error(out, cause);
		return;
	}
	sl->path[i] = xstrdup(args->v[1]);
	sl->fd[i] = fd;
	remote_answer_ok(out);
}

static void
serve_unlock_all(struct serve_locks *sl)
{
	size_t	i;

	for (i = 0; i < SERVE_LOCKS; i++) {
		if (sl->path[i] != NULL) {
			lock_file_release(sl->fd[i]);
			free(sl->path[i]);
			sl->path[i] = NULL;
		}
	}
}

/* An "O" or the error of a transport operation that returned rc. */
static void
serve_done(FILE *out, int rc, char *cause)
{
	if (rc != 0)
		remote_answer_error(out, cause);
	else
		remote_answer_ok(out);
}

/* read, stat, list, write, rm, mv, mkdir, chmod, chown, readlink, locks. */
static void
serve_request(FILE *in, FILE *out, struct transport *t,
    struct serve_locks *sl, struct strv *args)
{
	struct tstat	 st;
	struct buf	 b = BUF_INIT, ans = BUF_INIT;
	struct strv	 names = STRV_INIT;
	const char	*op = args->v[0];
	char		*cause = NULL;
	long long	 num, uid, gid;
	size_t		 i;

	if (strcmp(op, "read") == 0 && args->n == 3) {
		if (str_tonum(args->v[2], 0, 1LL << 40, &num, &cause) != 0 ||
		    transport_read_file(t, args->v[1], &b, (size_t)num,
		    &cause) != 0)
			remote_answer_error(out, cause);
		else {
			rp_data_format(&ans, RP_DATA, b.data, b.len);
			remote_answer(out, &ans);
		}
	} else if (strcmp(op, "stat") == 0 && args->n == 3) {
		if (transport_stat(t, args->v[1], strcmp(args->v[2], "1") == 0,
		    &st, &cause) != 0)
			remote_answer_error(out, cause);
		else {
			rp_stat_format(&ans, &st);
			remote_answer(out, &ans);
		}
	} else if (strcmp(op, "list") == 0 && args->n == 2) {
		if (transport_list_dir(t, args->v[1], &names, &cause) != 0)
			remote_answer_error(out, cause);
		else {
			for (i = 0; i < names.n; i++)
				buf_add(&b, names.v[i], strlen(names.v[i]) + 1);
			rp_data_format(&ans, RP_LIST, b.data, b.len);
			remote_answer(out, &ans);
		}
	} else if (strcmp(op, "write") == 0 && args->n == 9)
		serve_write(in, out, t, args);
	else if (strcmp(op, "rm") == 0 && args->n == 2)
		serve_done(out, transport_remove(t, args->v[1], &cause), cause);
	else if (strcmp(op, "mv") == 0 && args->n == 3)
		serve_done(out, transport_rename(t, args->v[1], args->v[2],
		    &cause), cause);
	else if (strcmp(op, "mkdir") == 0 && args->n == 3)
		serve_done(out, str_tonum(args->v[2], 0, 07777, &num,
		    &cause) != 0 || transport_mkdir(t, args->v[1],
		    (mode_t)num, &cause) != 0, cause);
	else if (strcmp(op, "chmod") == 0 && args->n == 3)
		serve_done(out, str_tonum(args->v[2], 0, 07777, &num,
		    &cause) != 0 || transport_chmod(t, args->v[1],
		    (mode_t)num, &cause) != 0, cause);
	else if (strcmp(op, "chown") == 0 && args->n == 4)
		serve_done(out, str_tonum(args->v[2], -1, UINT32_MAX, &uid,
		    &cause) != 0 || str_tonum(args->v[3], -1, UINT32_MAX, &gid,
		    &cause) != 0 || transport_chown(t, args->v[1], (uid_t)uid,
		    (gid_t)gid, &cause) != 0, cause);
	else if ((strcmp(op, "lock") == 0 && args->n == 4) ||
	    (strcmp(op, "unlock") == 0 && args->n == 2))
		serve_lock(out, sl, args);
	else if (strcmp(op, "readlink") == 0 && args->n == 2) {
		if (transport_readlink(t, args->v[1], &b, &cause) != 0)
			remote_answer_error(out, cause);
		else {
			rp_data_format(&ans, RP_DATA, b.data, b.len);
			remote_answer(out, &ans);
		}
	} else
		remote_answer_error(out,
		    xstrdup("remote serve: unknown request"));
	fflush(out);
	buf_release(&b);
	buf_release(&ans);
	strv_release(&names);
}

int
remote_serve(FILE *in, FILE *out, char **cause)
{
	struct strv		 args = STRV_INIT;
	struct serve_locks	 sl;
	struct remote_out	*ro;
	struct transport	*t;
	char			 line[32], *req, *why = NULL;
	long long		 len;
	int			 rc = -1;

	memset(&sl, 0, sizeof sl);
	t = transport_local_create();
	while (fgets(line, sizeof line, in) != NULL) {
		if ((len = rp_request_length(line, cause)) < 0)
			goto out;
		req = xmalloc((size_t)len + 1);
		if (fread(req, 1, (size_t)len, in) != (size_t)len) {
			free(req);
			*cause = xstrdup("remote serve: short request");
			goto out;
		}
		req[len] = '\0';
		strv_release(&args);
		if (sh_unquote_argv(req, &args, &why) == 0 && args.n > 0 &&
		    strcmp(args.v[0], "dir") != 0)
			serve_request(in, out, t, &sl, &args);
		else if (why != NULL || args.n == 0) {
			ro = remote_out_create(out, 1);
			remote_out_error(ro, why != NULL ? why :
			    "remote serve: unknown request");
			remote_out_free(ro);
			free(why);
			why = NULL;
		} else
			remote_serve_dir(out, (int)args.n, args.v);
		free(req);
	}
	rc = 0;
out:
	serve_unlock_all(&sl);
	transport_free(t);
	strv_release(&args);
	return rc;
}

int
remote_serve_query(int in, FILE *out, const char *sock, const char *tmo,
    char **cause)
{
	struct transport	*t;
	struct buf		 q = BUF_INIT, a = BUF_INIT;
	char			 chunk[65536];
	long long		 ms;
	ssize_t			 n;
	int			 rc = -1;

	if (str_tonum(tmo, 0, 3600000, &ms, cause) != 0)
		return -1;
	while ((n = read(in, chunk, sizeof chunk)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("stdin: %s", strerror(errno));
			goto out;
		}
		buf_add(&q, chunk, (size_t)n);
	}
	t = transport_local_create();
	rc = transport_unix_query(t, sock, q.data, q.len, &a, (int)ms, cause);
	transport_free(t);
	if (rc == 0)
		fwrite(a.data, 1, a.len, out);
out:
	buf_release(&q);
	buf_release(&a);
	return rc;
}

int
remote_serve_remove_locked(FILE *out, const char *path,
    const struct strv *also, char **cause)
{
	struct transport	*t;
	int			 state, rc;

	t = transport_local_create();
	rc = transport_remove_locked(t, path, also, &state, cause);
	transport_free(t);
	if (rc != 0)
		return -1;
	fprintf(out, "%s\n", state == TRL_REMOVED ? "removed" :
	    state == TRL_BUSY ? "busy" : "missing");
	return 0;
}

int
remote_serve_follow(FILE *in, FILE *out, const char *path,
    const char *offset, char **cause)
{
	struct transport	*t;
	struct tstream		*ts;
	struct buf		 b = BUF_INIT, ans = BUF_INIT;
	char			*why = NULL, line[64];
	long long		 off;
	size_t			 piece;
	int			 n;

	if (str_tonum(offset, -1, 1LL << 62, &off, cause) != 0)
		return -1;
	t = transport_local_create();
	if ((ts = transport_stream_open(t, path, (off_t)off, &why)) == NULL) {
		remote_answer_error(out, why);
		fflush(out);
		transport_free(t);
		return 1;
	}
	while (fgets(line, sizeof line, in) != NULL) {
		/* What did not fit in the last piece goes first. */
		n = 0;
		while (b.len < RP_FOLLOW_MAX &&
		    (n = transport_stream_read(t, ts, &b, &why)) > 0)
			;
		if (n < 0) {
			remote_answer_error(out, why);
			why = NULL;
			buf_reset(&b);
		} else {
			piece = b.len < RP_FOLLOW_MAX ? b.len : RP_FOLLOW_MAX;
			rp_data_format(&ans, RP_DATA, b.data, piece);
			remote_answer(out, &ans);
			memmove(b.data, b.data + piece, b.len - piece);
			buf_truncate(&b, b.len - piece);
		}
		if (fflush(out) != 0)
			break;
	}
	buf_release(&b);
	buf_release(&ans);
	transport_stream_close(t, ts);
	transport_free(t);
	return 0;
}

int
remote_serve_lock(int in, FILE *out, const char *path, const char *wait_ms,
    const char *what, char **cause)
{
	char		*why = NULL, *p, chunk[512];
	long long	 wait;
	ssize_t		 n;
	int		 fd;

	if (str_tonum(wait_ms, 0, 86400000, &wait, cause) != 0)
		return -1;
	if (lock_file_take(path, what, (int)wait, &fd, &why) != 0) {
		for (p = why; *p != '\0'; p++)
			if (*p == '\n')
				*p = ' ';
		fprintf(out, "E %s\n", why);
		fflush(out);
		free(why);
		return 1;
	}
	fprintf(out, "L\n");
	fflush(out);
	while ((n = read(in, chunk, sizeof chunk)) != 0)
		if (n == -1 && errno != EINTR)
			break;
	lock_file_release(fd);
	return 0;
}
