/*
 * tui.h -- the console.
 */
#ifndef SMADM_TUI_H
#define SMADM_TUI_H

#include "../cli/cmd.h"

/* Run the console on ctx->host until the person quits; returns exit status. */
int	tui_main(struct cmd_ctx *);

#endif
