/*
 * opctl.h -- the console's op_ctl (backend/op.h) while an operation runs
 * on the console's own thread.  The callbacks never draw: they gather the
 * notes and answer the confirmation from what the person already saw, so
 * the same operation can move to a worker (tui/job.c) unchanged.
 *
 * Run as a job, the operation gets both: tui_op_chain() puts the plan
 * check in front of the job's ctl, which still hears the progress, the
 * notes and is asked for the cancel.
 */
#ifndef SMADM_TUI_OPCTL_H
#define SMADM_TUI_OPCTL_H

#include "../backend/op.h"

struct tui_op {
	struct strv	 notes;		/* every note, in order */
	/*
	 * The plan the person saw and accepted (the text before the question
	 * line), or NULL: any plan is accepted.  A different plan is
	 * declined and kept in plan, so the view can show it again.
	 */
	const char	*seen;
	char		*plan;		/* the declined plan, or NULL */
	char		*step;		/* the last progress verb, or NULL */
	const struct op_ctl *next;	/* of tui_op_chain, or NULL */
};

void	tui_op_init(struct tui_op *, const char *, struct op_ctl *);
/*
 * The same, on a job's worker: progress, notes and the cancel also go to
 * (and come from) next, the ctl job.c gave; a plan is confirmed by seen
 * as above, or, seen NULL, by next (its dialog).
 */
void	tui_op_chain(struct tui_op *, const char *, const struct op_ctl *,
	    struct op_ctl *);
void	tui_op_release(struct tui_op *);
/* The notes on one line, "; " between, for the status line (heap). */
char	*tui_op_notes(const struct tui_op *);

#endif
