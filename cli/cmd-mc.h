/*
 * cmd-mc.h -- helpers shared by the mc, cf and apply commands.
 */
#ifndef SMADM_CMD_MC_H
#define SMADM_CMD_MC_H

#include "../backend/apply.h"
#include "../backend/mc-catalog.h"
#include "../backend/mc.h"
#include "cmd.h"

/* Print apply's steps, one per line: "  ok       generate sendmail.cf: ..." */
void	cmd_print_steps(FILE *, const struct apply *);
/* The drift of a prepared apply (all: every line); 1 when there is some. */
int	cmd_print_drift(struct cmd_ctx *, const struct apply *, int);
/*
 * After apply_prepare() and the diff: ask (when something changed), commit
 * (with the map and reload hooks when run_hooks is set), print the steps,
 * free a.  Returns the exit status.
 */
int	cmd_apply_install(struct cmd_ctx *, struct apply *, int, const char *);
/* Read and parse the profile's mc (submit.mc when submit is set). */
struct mc *cmd_load_mc(struct cmd_ctx *, int, const char **);

#endif
