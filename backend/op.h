/*
 * op.h -- what every operation that changes a host takes and gives.
 *
 * An operation (queue_act, apply_run, wizard_install, table_edit,
 * audit_fix, ...) is a backend function called the same way by the CLI,
 * the console and the fleet:
 *
 *	int	xxx_run(struct host *, const struct xxx_req *,
 *		    const struct op_ctl *, struct xxx_result *, char **cause);
 *
 * It returns 0 when done (the result says what was done, item by item),
 * -1 with *cause when it could not start or failed, and 1 when the
 * confirmation said no or it was cancelled (the result still says what was
 * done before it stopped).  It never prints and never reads a terminal:
 * everything it has to ask or tell goes through op_ctl.
 *
 * An operation that changes the configuration takes the host's lock itself
 * (op_begin) and so first finishes what an interrupted apply left half done
 * (apply_recover): no caller can forget either.
 *
 * The console runs operations off its poll loop (tui/job.c): the callbacks
 * then run on the worker, so they must only hand data over, never draw.
 */
#ifndef SMADM_OP_H
#define SMADM_OP_H

#include <stddef.h>

#include "host.h"
#include "util.h"

struct op_progress {
	const char	*verb;		/* "delete", "flush", "generate" */
	size_t		 done;		/* items finished so far */
	size_t		 total;		/* 0: not known */
	const char	*item;		/* the item at hand, or NULL */
};

struct op_ctl {
	/*
	 * The plan, before anything is changed: text is what will be done
	 * (one line per item).  Return 1 to go on, 0 to stop (the operation
	 * returns 1, "cancelled").  NULL: go on.
	 */
	int	(*confirm)(void *, const char *text);
	/* After each item, and when a step begins.  NULL: no one listens. */
	void	(*progress)(void *, const struct op_progress *);
	/*
	 * Polled between items: non-zero stops the operation cleanly after
	 * the item at hand.  NULL: never.
	 */
	int	(*cancelled)(void *);
	/* A line of note (a warning, a recovered apply).  NULL: dropped. */
	void	(*note)(void *, const char *);
	void	*arg;
};

/* The helpers operations use; each accepts a NULL ctl or callback. */
int	op_confirm(const struct op_ctl *, const char *);
void	op_progress(const struct op_ctl *, const char *, size_t, size_t,
	    const char *);
int	op_cancelled(const struct op_ctl *);
void	op_note(const struct op_ctl *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Take the host's configuration lock for what (a command name, shown to
 * whoever waits), waiting as host_lock() does for wait_ms, then undo an
 * interrupted apply (apply_recover, with the reload hook of the host's
 * daemon) and report what it did through op_note.  *lk is for op_end().
 */
int	op_begin(struct host *, const char *, int, const struct op_ctl *,
	    int *, char **);
void	op_end(struct host *, int);

#endif
