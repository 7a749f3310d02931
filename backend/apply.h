/*
 * apply.h -- turn the mc into the live cf, safely, as explicit steps.
 *
 *	generate  M4 CFDIR/m4/cf.m4 MC, run in the mc's directory (so a
 *		  relative include() means what it means to "cd /etc/mail &&
 *		  make"), output kept in memory and written to CF.smadm-new
 *		  next to the live cf (an mc that includes cf.m4 itself is
 *		  run alone, see cf-m4.h).  Fails on a non-zero exit and on
 *		  any error on stderr (cf_m4_sort): m4 exits 0 for "***
 *		  ERROR: FEATURE() should be before MAILER()" and for the
 *		  macros' errprint()s.  Warnings ("WARNING: FEATURE
 *		  (blacklist_recipients) is deprecated") make the step a
 *		  warning that quotes them, and the apply goes on.
 *	validate  SENDMAIL -C CF.smadm-new -bt -d0.1 </dev/null through
 *		  host_run() (sandboxes get their namespace); a non-zero exit
 *		  or a "FILE: line N: ..." complaint rejects it.
 *	diff	  live cf against the new one, ignoring the "##### built by"
 *		  and "##### in" stamp lines (diff, changed); and the same
 *		  as sendmail reads them, without comments (drift, acted;
 *		  diff.h's diff_cf): the step says when only comments differ.
 *	audit	  the audit's checks on the new cf (sendmail.cf only): a
 *		  warning step names the medium and high findings that the
 *		  live cf does not have (an open relay that the mc's text
 *		  hides); it never stops the apply.
 *	backup	  a backup set (backup.h) with the live cfs and the mcs that
 *		  produced them (STATE/applied/ROLE, recorded by each install)
 *	install	  atomic replace of each cf that changed; the applied mc is
 *		  recorded
 *	maps	  the rebuild_maps hook, if any
 *	reload	  the reload hook (HUP), only when a cf changed
 * When maps or reload fail after install, the previous cfs are put back
 * from the backup set and the reload hook runs again; the step "restore"
 * reports it, "reload previous" the second reload, and the cause says
 * what failed.
 *
 * Progress and cancel (struct apply's ctl, backend/op.h): each step is
 * told as it begins, as "apply" with the steps finished and planned and
 * the step's name as the item ("apply 1/8", "validate sendmail.cf").  A
 * cancel is honoured between the steps of apply_prepare and once more
 * before the backup: nothing is installed, the steps end with "cancel"
 * naming the step not begun, and the call returns 1.  Once the backup
 * has begun, backup, install, maps and reload run to the end as one
 * piece: undoing an install whose maps were already rebuilt would leave
 * the maps of the new cf under the old one, and the restore path would
 * signal the daemon twice.  A cancel asked then is not honoured; the
 * steps end with a "cancel" step saying it came too late, and
 * cancel_late is set.
 *
 * The same steps run for submit.mc/submit.cf when the profile has both.
 */
#ifndef SMADM_APPLY_H
#define SMADM_APPLY_H

#include "host.h"
#include "mc.h"

struct op_ctl;

enum apply_status {
	APPLY_OK,
	APPLY_SKIPPED,
	APPLY_FAILED,
	APPLY_WARN		/* done, but look: m4 warned, or the audit
				   saw something */
};

struct apply_step {
	char			*name;		/* "generate sendmail.cf" */
	enum apply_status	 status;
	char			*detail;	/* one line, or NULL */
};

/*
 * Hooks plugged in by the front end (maps from db/, HUP from daemon.c).
 * Each returns 0 when done, 1 when there was nothing to do (the step shows
 * as skipped), or -1 with *cause; detail may receive a short note.
 */
struct apply_hooks {
	int	(*rebuild_maps)(struct host *, void *, struct buf *, char **);
	int	(*reload)(struct host *, void *, struct buf *, char **);
	void	*arg;
};

struct apply_unit {
	const char	*role_mc;	/* "mc", "submit_mc" */
	const char	*role_cf;
	char		*mc;
	char		*cf;
	char		*new_cf;	/* CF.smadm-new, once written */
	char		*gen_mc;	/* MC.smadm-preview: what m4 reads
					   instead of mc (apply_use_mc_text) */
	struct buf	 mc_text;	/* the mc the cf was generated from */
	struct buf	 cf_text;	/* generated */
	int		 changed;
	size_t		 acted;		/* entries sendmail reads that differ
					   (diff_cf): 0 when only comments do */
};

struct apply {
	struct host		*h;
	const struct apply_hooks *hooks;
	struct apply_unit	 units[2];
	size_t			 nunits;
	struct apply_step	*steps;
	size_t			 nsteps;
	struct buf		 diff;		/* unified diff, all units */
	size_t			 changed;	/* lines changed, all units */
	struct buf		 drift;		/* diff_cf of all units: only
						   what sendmail reads */
	size_t			 acted;		/* its entries changed */
	size_t			 moved;		/* no acted: diff_cf_ignored() */
	size_t			 inl;
	char			*backup_id;
	int			 installed;
	int			 flags;		/* of apply_prepare */
	struct strv		 profile_keys;	/* smadm.conf keys to update */
	struct strv		 profile_values; /* (APPLY_UPDATE_PROFILE) */

	/*
	 * Progress and cancel, or NULL (set after apply_create; see the top
	 * of this file).  nplanned: the steps the progress counts to.
	 */
	const struct op_ctl	*ctl;
	size_t			 nbegun, nplanned;
	int			 cancelled;	/* stopped before installing */
	int			 cancel_late;	/* asked after the backup */
};

#define APPLY_NO_VALIDATE	0x1	/* generate and diff only (drift) */
#define APPLY_KEEP_NEW		0x2	/* keep CF.smadm-new after apply_free */
#define APPLY_THEN_COMMIT	0x4	/* progress counts apply_commit's steps
					   too; a cancel after the last step
					   of prepare is honoured */
#define APPLY_UPDATE_PROFILE	0x8	/* a cf whose places differ from the
					   profile's is accepted (see below) */

struct apply	*apply_create(struct host *, const struct apply_hooks *);
/* Removes CF.smadm-new files unless APPLY_KEEP_NEW was given. */
void		 apply_free(struct apply *);
/*
 * Remove the CF.smadm-new files now (unless APPLY_KEEP_NEW), keeping the
 * texts, steps and diff: they belong to the run that holds the lock, and
 * one left after it would look like a dead run's to the next.
 */
void		 apply_remove_new(struct apply *);

/*
 * Generate the cf from text instead of the mc's file, which is not
 * touched: text goes to MC.smadm-preview next to the mc (so a relative
 * include() means the same), read by m4 and removed as soon as the cf is
 * generated (by apply_free at the latest; apply_recover removes one a
 * dead smadm left).  An audit fix previews with it, and writes the mc only
 * once the person has said yes.  For the first unit, the mc.
 */
int	apply_use_mc_text(struct apply *, const char *, size_t, char **);
/*
 * generate, validate (unless APPLY_NO_VALIDATE) and diff.  0 when done,
 * 1 when a cancel stopped it (only with a ctl), -1 with *cause.
 */
int	apply_prepare(struct apply *, int, char **);
/*
 * backup, install, maps and reload (hooks only when run_hooks).  0 when
 * done, 1 when a cancel came before the backup (nothing changed), -1
 * with *cause (what was installed is put back, see above).
 */
int	apply_commit(struct apply *, int, char **);

/*
 * The profile check (apply-profile.c), in apply_prepare right after
 * sendmail.cf is generated unless APPLY_NO_VALIDATE: the new cf's
 * QueueDirectory (against queue_dirs: the same, a wildcard that matches
 * one, or a parent of queue group directories), PidFile (against pid_file,
 * paths that name the same file matching) and DaemonPortOptions' ports
 * (one of them on listen's port) and addresses (when listen's address is
 * loopback, every daemon's Addr= must be loopback too).  Each
 * mismatch that this cf brings (the live cf still agreed with the
 * profile, or there is none) fails the step "profile sendmail.cf" with a
 * cause naming the option, the cf's value and the profile's, and nothing
 * is installed; a mismatch that the live cf already had is a warning
 * step.  With APPLY_UPDATE_PROFILE both are accepted, the step says what
 * smadm.conf will say, and a->profile_keys/values hold the new "key =
 * value" pairs, which apply_run writes with apply_profile_update once the
 * install is done (a profile that was detected, not read from a
 * smadm.conf, cannot be updated: the step fails).  A wildcard
 * QueueDirectory (DIR/q*) is recorded as the directories it names now.
 * A sandbox's daemon off loopback is refused even then.
 */
struct apply_profile_diff {
	struct strv	 deny;		/* refused even with --update-profile:
					   a sandbox's daemon off loopback */
	struct strv	 refuse;	/* "Option: the cf says ..., ..." */
	struct strv	 warn;
	struct strv	 keys;		/* smadm.conf key, per mismatch */
	struct strv	 values;	/* its value from the cf */
};
void	apply_profile_diff_init(struct apply_profile_diff *);
void	apply_profile_diff_release(struct apply_profile_diff *);
/*
 * Compare the generated cf (and the live one, or NULL) with the profile.
 * same(arg, a, b), when not NULL, says whether two paths that differ as
 * text name the same file (/var/run/x and /run/x when /var/run -> /run).
 */
void	apply_profile_check(const struct profile *, const char *, size_t,
	    const char *, size_t, int (*)(void *, const char *, const char *),
	    void *, struct apply_profile_diff *);
/*
 * The check as apply_prepare's step: 0 when the cf agrees (no step), 1
 * for a warning step (*st, *detail), -1 for a failed one (*st, *detail and
 * *cause).
 */
int	apply_profile_verdict(struct apply *, const struct apply_unit *,
	    enum apply_status *, char **, char **);
/*
 * smadm.conf's text with "key = value" set for each pair: a line that sets
 * the key is replaced, a missing key appended, every other line kept.
 */
void	apply_profile_conf_text(const char *, size_t, const struct strv *,
	    const struct strv *, struct buf *);
/* DIR/smadm.conf of a -r DIR profile, or NULL (heap string). */
char	*apply_profile_conf(const struct profile *);
/*
 * Set the keys in smadm.conf (other lines kept as they are, missing keys
 * appended), checked by reading it back as a profile, written atomically
 * with a backup copy whose path goes to backup; the host's profile takes
 * the new pid_file, listen and queue_dirs.
 */
int	apply_profile_update(struct host *, const struct strv *,
	    const struct strv *, struct buf *, char **);

/* One more step in the list, for a caller's own step after commit. */
void	apply_add_step(struct apply *, enum apply_status, const char *,
	    const char *);

/* Is a cf accepted by the host's sendmail?  detail gets its complaints. */
int	apply_validate(struct host *, const char *, struct buf *, char **);

/*
 * Save an edited mc: a backup set (reason given) then an atomic write.
 * *id gets the backup ID (may be NULL to ignore).
 */
int	apply_save_mc(struct host *, const struct mc *, const char *,
	    const char *, char **, char **);

/*
 * Restore a backup set (NULL: the newest), after snapshotting the current
 * files into a new set of reason "rollback ID" (*undo_id).  Then, when
 * hooks is not NULL, the maps whose text is now newer than their database
 * are built and, when a cf was restored, the daemon is reloaded; report
 * gets one line for each.  A failing hook fails the call, but the files
 * stay restored.
 */
int	apply_rollback(struct host *, const struct apply_hooks *,
	    const char *, char **, char **, struct buf *, char **);

/*
 * Undo an install that a dead smadm left half done (its journal,
 * STATE/apply-pending, is there): the cfs and applied-mc records come back
 * from the install's backup set and the daemon is reloaded (hooks->reload,
 * if hooks is not NULL), so the host runs the configuration from before
 * the interrupted apply.  Then, and also when no journal is there, the
 * leftovers of dead runs (CF.smadm-new, STATE/backups/ID.tmp) are
 * removed.  report gets a line for each thing done.  Returns 1 when an
 * install was undone, 0 when there was none, -1 on error (the journal is
 * kept, to try again).  Call it with the lock (lock.h) held.
 */
int	apply_recover(struct host *, const struct apply_hooks *,
	    struct buf *, char **);
/* The backup ID of an interrupted apply still to undo, or NULL (heap). */
char	*apply_pending(struct host *);

const char	*apply_status_name(enum apply_status);
/* The steps, one line each: "  ok       generate sendmail.cf: ...". */
void		 apply_format_steps(const struct apply *, struct buf *);

#endif
