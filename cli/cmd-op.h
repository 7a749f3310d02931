/*
 * cmd-op.h -- the command line's side of an operation (backend/op.h):
 * plans and notes printed on the command's output, the question asked as
 * every other command asks it (cmd_confirm: --yes, the terminal).
 */
#ifndef SMADM_CMD_OP_H
#define SMADM_CMD_OP_H

#include "../backend/op.h"
#include "cmd.h"

/*
 * Fill ctl for ctx: confirm prints the plan but its last line and asks
 * the last line; note prints the line.  Progress and notes go on to
 * ctx->op (the console's job) and its cancelled is polled; on the command
 * line (ctx->op NULL) there is no progress and no cancel.
 */
void	cmd_op_ctl(struct cmd_ctx *, struct op_ctl *);

#endif
