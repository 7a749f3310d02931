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
/* Each line of text (may be NULL) as one note, without its newline. */
void	op_note_lines(const struct op_ctl *, const char *);

/*
 * Take the host's configuration lock for what (a command name, shown to
 * whoever waits), waiting as host_lock() does for wait_ms, then undo an
 * interrupted apply (apply_recover, with the reload hook of the host's
 * daemon) and report what it did through op_note.  *lk is for op_end().
 */
int	op_begin(struct host *, const char *, int, const struct op_ctl *,
	    int *, char **);
void	op_end(struct host *, int);

/*
 * The steps apply runs after an install, for any host: build the maps
 * whose text is newer than their database (db/mapbuild.h) and HUP the
 * daemon when it runs (daemon_reload_running).  Static; never freed.
 */
struct apply_hooks;
const struct apply_hooks *op_apply_hooks(struct host *);

/*
 * The operations on the configuration.  Each takes the lock (op_begin,
 * holder name req->what or its own name, waiting req->lock_wait ms as
 * host_lock() does: -1 the default) and so first recovers an interrupted
 * apply, reported through note.  The plan each hands to confirm ends with
 * the question, on a line of its own without a newline ("Install the new
 * cf and reload sendmail?"); what comes before it is the plan to show.
 * progress names each step as it begins; cancelled is polled where
 * stopping leaves nothing half done (never between an install and its
 * reload: apply_commit undoes the install itself when the reload fails).
 */
struct apply;
struct audit_finding;
struct table_def;
struct table_edit;
struct wizard_out;

/* apply_run: generate, validate, diff, confirm (the diff), backup,
 * install, maps, reload (apply.h).  progress: "apply" with the steps
 * done and planned, the step's name as the item.  A cancel stops between
 * the steps up to the backup (nothing installed: 1, res->a->cancelled);
 * from the backup on, the install runs to its end with maps and reload
 * (res->a->cancel_late tells a cancel that came too late).  Declined: 1;
 * *res->a says how far it went in any case. */
struct apply_req {
	int		 dry;		/* stop after the diff, no confirm */
	int		 update_profile;	/* APPLY_UPDATE_PROFILE: then
					   smadm.conf takes the cf's places */
	int		 lock_wait;
	const char	*what;		/* NULL: "apply" */
};
struct apply_result {
	struct apply	*a;		/* the steps and the diff, or NULL;
					   apply_result_release() frees */
};
int	apply_run(struct host *, const struct apply_req *,
	    const struct op_ctl *, struct apply_result *, char **);
void	apply_result_release(struct apply_result *);

/* rollback_run: restore a backup set (NULL: the newest) after confirm
 * (the files, one "    restore PATH" line each), then maps and reload
 * (apply_rollback); its report lines are notes. */
struct rollback_req {
	const char	*id;
	int		 lock_wait;
	const char	*what;		/* NULL: "rollback" */
};
struct rollback_result {
	char		*used;		/* the set restored */
	char		*undo;		/* the set of the files it replaced */
};
int	rollback_run(struct host *, const struct rollback_req *,
	    const struct op_ctl *, struct rollback_result *, char **);
void	rollback_result_release(struct rollback_result *);

/* loglevel_change: set LogLevel in mc and cf and reload (loglevel_set)
 * after confirm; its report lines are notes. */
int	loglevel_change(struct host *, int, int, const struct op_ctl *,
	    char **);

/* table_edit: one checked edit of a table file (table_edit_apply in
 * table.h), te both what to do and what was done.  No confirm. */
struct table_edit_req {
	const struct table_def	*def;
	const char		*path;
	int			 lock_wait;
	const char		*what;	/* NULL: "map set", "map del"... */
};
int	table_edit(struct host *, const struct table_edit_req *,
	    const struct op_ctl *, struct table_edit *, char **);

/* wizard_install: the files of a generated role merged with the host's
 * (wizard_merge_read, under the lock), the plan (wizard_install_plan: a
 * diff per file) confirmed, then the files that change written, each kept
 * first in one backup set.  Nothing changes: a note, 0, res->backup NULL
 * and no paths. */
struct wizard_install_req {
	const struct wizard_out	*o;
	const char		*role;		/* for the plan: "role R */
	const char		*template;	/* from T:" */
	int			 lock_wait;
	const char		*what;		/* NULL: "wizard" */
};
struct wizard_install_result {
	struct strv	 paths;		/* written */
	char		*backup;	/* the backup set's ID */
};
int	wizard_install(struct host *, const struct wizard_install_req *,
	    const struct op_ctl *, struct wizard_install_result *, char **);
void	wizard_install_result_release(struct wizard_install_result *);
struct wizard_merge;
/* The plan wizard_install confirms, without its question line. */
void	wizard_install_plan(const struct wizard_install_req *,
	    const struct wizard_merge *, struct buf *);

/*
 * audit_fix: the fixes of findings (audit.h).  The mc findings are made
 * on the mc's text in memory and the cf generated and validated from an
 * edited copy (MC.smadm-preview); confirmed (the diff; progress "install"
 * first), the mc is written (backup set first) and the cf installed with
 * one apply for all; declined, nothing was written; failed, the mc is put
 * back.  Then each file finding (progress "fix", confirm: its description
 * and "?").  The steps and the file reports are notes.  dry: only the
 * copy's cf, under the lock, and nothing else: res->a holds the diff and
 * res->report says the mc was not changed.
 */
struct audit_fix_req {
	const struct audit_finding *const *fv;
	size_t		 n;
	int		 dry;
	int		 lock_wait;
	const char	*what;		/* NULL: "audit fix" */
};
struct audit_fix_result {
	struct apply	*a;		/* of the mc fixes, or NULL */
	struct buf	 report;	/* dry: the mc not changed */
	size_t		 files;		/* file fixes done */
};
int	audit_fix(struct host *, const struct audit_fix_req *,
	    const struct op_ctl *, struct audit_fix_result *, char **);
void	audit_fix_result_release(struct audit_fix_result *);

#endif
