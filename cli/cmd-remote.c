/*
 * cmd-remote.c -- "smadm remote ...": the entry of the far side of the SSH
 * transport.  The server itself is backend/remote-serve.c; this file only
 * checks the words and hands standard input and output to it.
 *
 *	remote dir [-p PREFIX]... [-s SIBPREFIX] [-d SIBDIR] [-l] [-m MAX] DIR
 *	remote ns-exec NSDIR -- PROGRAM ARGS...
 *	remote query SOCKET TIMEOUT_MS
 *	remote remove-locked PATH [ALSO...]
 *	remote follow PATH OFFSET
 *	remote lock PATH WAIT_MS COMMAND
 *	remote serve
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../backend/ns.h"
#include "../backend/remote-serve.h"
#include "cmd.h"

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
cmd_remote_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct strv	 also = STRV_INIT;
	const char	*sub = argc > 1 ? argv[1] : "";
	char		*cause = NULL;
	int		 i, rc;

	if (strcmp(sub, "dir") == 0)
		return remote_serve_dir(stdout, argc - 1, argv + 1) == 0 ? 0 : 1;
	if (strcmp(sub, "serve") == 0)
		rc = remote_serve(stdin, stdout, &cause);
	else if (strcmp(sub, "ns-exec") == 0)
		return remote_ns_exec(ctx, argc - 1, argv + 1);
	else if (strcmp(sub, "query") == 0) {
		if (argc != 4)
			return cmd_error(ctx, "remote query: SOCKET "
			    "TIMEOUT_MS expected");
		rc = remote_serve_query(STDIN_FILENO, ctx->out, argv[2],
		    argv[3], &cause);
	} else if (strcmp(sub, "remove-locked") == 0) {
		if (argc < 3)
			return cmd_error(ctx, "remote remove-locked: PATH "
			    "expected");
		for (i = 3; i < argc; i++)
			strv_push(&also, argv[i]);
		rc = remote_serve_remove_locked(ctx->out, argv[2], &also,
		    &cause);
		strv_release(&also);
	} else if (strcmp(sub, "follow") == 0) {
		if (argc != 4)
			return cmd_error(ctx, "remote follow: PATH OFFSET "
			    "expected");
		rc = remote_serve_follow(stdin, stdout, argv[2], argv[3],
		    &cause);
	} else if (strcmp(sub, "lock") == 0) {
		if (argc != 5)
			return cmd_error(ctx, "remote lock: PATH WAIT_MS "
			    "COMMAND expected");
		rc = remote_serve_lock(STDIN_FILENO, stdout, argv[2], argv[3],
		    argv[4], &cause);
	} else
		return cmd_usage(ctx, &cmd_remote_entry);
	if (rc == -1)
		return cmd_fail_cause(ctx, cause);
	return rc;
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
