/*
 * cmd-op.c -- an op_ctl for the command line (cmd-op.h).
 */
#include <string.h>

#include "cmd-op.h"

static int
cmd_op_confirm(void *arg, const char *text)
{
	struct cmd_ctx	*ctx = arg;
	const char	*q;

	if ((q = strrchr(text, '\n')) != NULL) {
		fwrite(text, 1, (size_t)(q + 1 - text), ctx->out);
		q++;
	} else
		q = text;
	return cmd_confirm(ctx, "%s", q);
}

static void
cmd_op_progress(void *arg, const struct op_progress *p)
{
	struct cmd_ctx	*ctx = arg;

	if (ctx->op != NULL && ctx->op->progress != NULL)
		ctx->op->progress(ctx->op->arg, p);
}

static int
cmd_op_cancelled(void *arg)
{
	struct cmd_ctx	*ctx = arg;

	return op_cancelled(ctx->op);
}

static void
cmd_op_note(void *arg, const char *line)
{
	struct cmd_ctx	*ctx = arg;

	fprintf(ctx->out, "%s\n", line);
	op_note(ctx->op, "%s", line);
}

void
cmd_op_ctl(struct cmd_ctx *ctx, struct op_ctl *ctl)
{
	memset(ctl, 0, sizeof *ctl);
	ctl->confirm = cmd_op_confirm;
	ctl->progress = cmd_op_progress;
	ctl->cancelled = cmd_op_cancelled;
	ctl->note = cmd_op_note;
	ctl->arg = ctx;
}
