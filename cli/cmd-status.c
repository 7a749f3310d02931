/*
 * cmd-status.c -- "smadm status" (placeholder until daemon.c lands).
 */
#include "cmd.h"

static int
cmd_status_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct buf	b = BUF_INIT;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_status_entry);
	profile_format(ctx->host->prof, &b);
	fputs(b.data, ctx->out);
	buf_release(&b);
	return 0;
}

const struct cmd_entry cmd_status_entry = {
	"status", "", "Show the daemon, the queues and the profile", NULL,
	CMD_JSON, cmd_status_exec
};
