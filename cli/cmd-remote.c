/*
 * cmd-remote.c -- "smadm remote ...": the far side of the SSH transport.
 *
 * backend/transport-ssh.c runs these on a remote host (when smadm is
 * installed there) for what SFTP and plain programs cannot do well.  Each
 * is the local transport's own operation, its result written to standard
 * output in a form the SSH transport parses:
 *
 *	remote dir [-p PREFIX]... [-s SIBPREFIX] [-d SIBDIR] [-l] [-m MAX] DIR
 *		a directory of small files as frames (see transport-ssh.c)
 *	remote ns-exec NSDIR -- PROGRAM ARGS...
 *		exec PROGRAM inside the sandbox namespace of NSDIR
 *	remote query SOCKET TIMEOUT_MS
 *		standard input to a unix socket, its answer to standard output
 *	remote remove-locked PATH [ALSO...]
 *		prints "removed", "busy" or "missing"
 *	remote follow PATH OFFSET
 *		the growing file on standard output until that is closed
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/ns.h"
#include "cmd.h"

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
	FILE	*out = arg;

	fprintf(out, "F %zu %zu %d %lld %d\n", strlen(f->name), f->len,
	    f->truncated, (long long)f->sibling_size, f->locked);
	fwrite(f->name, 1, strlen(f->name), out);
	fwrite(f->data, 1, f->len, out);
	return 0;
}

static int
remote_dir(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ NULL, 0, NULL, 0 }
	};
	struct transport	*t;
	struct tdir		*d;
	struct tdir_opts	 o;
	struct strv		 prefixes = STRV_INIT;
	char			*cause = NULL;
	long long		 max;
	int			 ch, n, rc = 1;

	memset(&o, 0, sizeof o);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "+p:s:d:lm:", longopts,
	    NULL)) != -1) {
		switch (ch) {
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
			if (str_tonum(optarg, 0, 1LL << 32, &max, &cause) != 0)
				return cmd_fail_cause(ctx, cause);
			o.max_size = (size_t)max;
			break;
		default:
			return cmd_error(ctx, "remote dir: bad option");
		}
	}
	if (optind + 1 != argc)
		return cmd_error(ctx, "remote dir: one directory expected");
	if (prefixes.n != 0)
		o.prefixes = (const char *const *)prefixes.v;
	t = transport_local_create();
	if ((d = transport_dir_open(t, argv[optind], &o, &cause)) == NULL) {
		printf("E %s\n", cause);
		free(cause);
		goto out;
	}
	while ((n = transport_dir_read(t, d, 4096, remote_dir_frame, stdout,
	    &cause)) > 0)
		printf("N %d\n", n);
	if (n < 0) {
		printf("E %s\n", cause);
		free(cause);
	} else {
		printf("Z\n");
		rc = 0;
	}
	transport_dir_close(t, d);
out:
	fflush(stdout);
	transport_free(t);
	strv_release(&prefixes);
	return rc;
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
 * handling included), or "E <message>\n".  Ends when standard input does.
 */
static int
remote_follow(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct transport	*t;
	struct tstream		*ts;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL, line[64];
	long long		 off;
	int			 n;

	if (argc != 3 || str_tonum(argv[2], -1, 1LL << 62, &off, &cause) != 0) {
		free(cause);
		return cmd_error(ctx, "remote follow: PATH OFFSET expected");
	}
	t = transport_local_create();
	if ((ts = transport_stream_open(t, argv[1], (off_t)off, &cause)) ==
	    NULL) {
		printf("E %s\n", cause);
		fflush(stdout);
		free(cause);
		transport_free(t);
		return 1;
	}
	while (fgets(line, sizeof line, stdin) != NULL) {
		buf_reset(&b);
		while ((n = transport_stream_read(t, ts, &b, &cause)) > 0 &&
		    b.len < (1u << 24))
			;
		if (n < 0) {
			printf("E %s\n", cause);
			free(cause);
			cause = NULL;
		} else {
			printf("D %zu\n", b.len);
			fwrite(b.data, 1, b.len, stdout);
		}
		if (fflush(stdout) != 0)
			break;
	}
	buf_release(&b);
	transport_stream_close(t, ts);
	transport_free(t);
	return 0;
}

static int
cmd_remote_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage(ctx, &cmd_remote_entry);
	if (strcmp(argv[1], "dir") == 0)
		return remote_dir(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "ns-exec") == 0)
		return remote_ns_exec(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "query") == 0)
		return remote_query(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove-locked") == 0)
		return remote_remove_locked(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "follow") == 0)
		return remote_follow(ctx, argc - 1, argv + 1);
	return cmd_usage(ctx, &cmd_remote_entry);
}

const struct cmd_entry cmd_remote_entry = {
	"remote", "dir|ns-exec|query|remove-locked|follow ARGS...",
	"The far side of the SSH transport (internal)",
	"Run by smadm over SSH on the managed host: reads a queue directory "
	"as one stream, enters a sandbox namespace, queries sendmail's "
	"control socket, removes a queue file under sendmail's lock, follows "
	"a log.  Not meant to be typed.",
	CMD_NOHOST | CMD_HIDDEN, cmd_remote_exec
};
