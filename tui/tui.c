/*
 * tui.c -- placeholder until the console lands.
 */
#include "tui.h"

int
tui_main(struct cmd_ctx *ctx)
{
	return cmd_error(ctx, "console not built yet");
}
