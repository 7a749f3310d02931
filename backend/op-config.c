/*
 * op-config.c -- the operations that change a host's configuration (op.h):
 * apply, rollback, loglevel, a table edit, the wizard's install and the
 * audit's fixes.  Each is the lock, the recovery of an interrupted apply,
 * then the backend's own steps, told through the op_ctl; the CLI and the
 * console only say what came out.
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "audit.h"
#include "backup.h"
#include "diff.h"
#include "loglevel.h"
#include "op.h"
#include "table.h"
#include "wizard.h"

/* ---- apply ---- */

int
apply_run(struct host *h, const struct apply_req *req,
    const struct op_ctl *ctl, struct apply_result *res, char **cause)
{
	struct buf	 plan = BUF_INIT, bak = BUF_INIT;
	struct apply	*a;
	char		*why = NULL, *d;
	int		 lk, rc = -1, flags;

	res->a = NULL;
	if (op_begin(h, req->what != NULL ? req->what : "apply",
	    req->lock_wait, ctl, &lk, cause) != 0)
		return -1;
	a = res->a = apply_create(h, op_apply_hooks(h));
	/* Each step is told, and a cancel stops before the backup. */
	a->ctl = ctl;
	flags = (req->dry ? 0 : APPLY_THEN_COMMIT) |
	    (req->update_profile ? APPLY_UPDATE_PROFILE : 0);
	if ((rc = apply_prepare(a, flags, cause)) != 0 || req->dry)
		goto out;
	if (a->changed != 0) {
		buf_printf(&plan, "%s", a->diff.data);
		if (a->acted == 0)
			buf_printf(&plan, "%s differ: sendmail reads the "
			    "same.\n", diff_cf_ignored_what(a->moved, a->inl));
		buf_addstr(&plan, "Install the new cf and reload sendmail?");
		if (!op_confirm(ctl, plan.data)) {
			rc = 1;
			goto out;
		}
	}
	if ((rc = apply_commit(a, 1, cause)) != 0 || a->profile_keys.n == 0)
		goto out;
	/* The cf is installed: the profile follows it. */
	if ((rc = apply_profile_update(h, &a->profile_keys,
	    &a->profile_values, &bak, &why)) != 0) {
		*cause = xasprintf("the cf is installed, but the profile was "
		    "not updated: %s", why);
		apply_add_step(a, APPLY_FAILED, "update profile", why);
		free(why);
		goto out;
	}
	why = apply_profile_conf(h->prof);
	d = xasprintf("%s updated%s%s", why, bak.len ? ", the old one kept "
	    "as " : "", bak.len ? bak.data : "");
	free(why);
	apply_add_step(a, APPLY_OK, "update profile", d);
	free(d);
out:
	apply_remove_new(a);
	op_end(h, lk);
	buf_release(&plan);
	buf_release(&bak);
	return rc;
}

void
apply_result_release(struct apply_result *res)
{
	apply_free(res->a);
	res->a = NULL;
}

/* ---- rollback ---- */

int
rollback_run(struct host *h, const struct rollback_req *req,
    const struct op_ctl *ctl, struct rollback_result *res, char **cause)
{
	struct backup_set	 set;
	struct buf		 plan = BUF_INIT, report = BUF_INIT;
	size_t			 i;
	int			 lk, rc = -1;

	res->used = res->undo = NULL;
	memset(&set, 0, sizeof set);
	if (op_begin(h, req->what != NULL ? req->what : "rollback",
	    req->lock_wait, ctl, &lk, cause) != 0)
		return -1;
	if (backup_load(h, req->id, &set, cause) != 0)
		goto out;
	buf_printf(&plan, "backup %s (%s, %s):\n", set.id,
	    set.time ? set.time : "?", set.reason ? set.reason : "?");
	for (i = 0; i < set.nfiles; i++)
		buf_printf(&plan, "    %s %s\n", set.files[i].absent ?
		    "remove " : "restore", set.files[i].path);
	buf_printf(&plan, "Restore these files from backup %s?", set.id);
	if (!op_confirm(ctl, plan.data)) {
		rc = 1;
		goto out;
	}
	op_progress(ctl, "restore", 0, set.nfiles, set.id);
	rc = apply_rollback(h, op_apply_hooks(h), set.id, &res->used,
	    &res->undo, &report, cause) != 0 ? -1 : 0;
	if (res->used != NULL)
		op_note(ctl, "restored backup %s; the files it replaced are "
		    "in backup %s", res->used, res->undo);
	op_note_lines(ctl, report.data);
out:
	op_end(h, lk);
	backup_set_release(&set);
	buf_release(&plan);
	buf_release(&report);
	return rc;
}

void
rollback_result_release(struct rollback_result *res)
{
	free(res->used);
	free(res->undo);
	res->used = res->undo = NULL;
}

/* ---- loglevel ---- */

int
loglevel_change(struct host *h, int level, int lock_wait,
    const struct op_ctl *ctl, char **cause)
{
	struct buf	 report = BUF_INIT;
	char		*plan;
	int		 lk, rc;

	if (op_begin(h, "loglevel", lock_wait, ctl, &lk, cause) != 0)
		return -1;
	plan = xasprintf("Set LogLevel %d and reload the daemon?", level);
	if (!op_confirm(ctl, plan))
		rc = 1;
	else {
		op_progress(ctl, "loglevel", 0, 0, NULL);
		rc = loglevel_set(h, level, op_apply_hooks(h), &report,
		    cause) != 0 ? -1 : 0;
		op_note_lines(ctl, report.data);
	}
	op_end(h, lk);
	free(plan);
	buf_release(&report);
	return rc;
}

/* ---- a table edit ---- */

int
table_edit(struct host *h, const struct table_edit_req *req,
    const struct op_ctl *ctl, struct table_edit *te, char **cause)
{
	static const char *const name[] = {
		"map set", "map del", "map rename", "map comment"
	};
	int	lk, rc;

	if (op_begin(h, req->what != NULL ? req->what : name[te->op],
	    req->lock_wait, ctl, &lk, cause) != 0)
		return -1;
	op_progress(ctl, name[te->op] + 4, 0, 1, te->key);
	rc = table_edit_apply(h, req->def, req->path, te, cause);
	op_end(h, lk);
	return rc;
}

/* ---- the wizard's files ---- */

void
wizard_install_plan(const struct wizard_install_req *req,
    const struct wizard_merge *m, struct buf *plan)
{
	size_t	i;

	buf_printf(plan, "role %s from %s:\n", req->role, req->template);
	for (i = 0; i < req->o->notes.n; i++)
		buf_printf(plan, "note: %s\n", req->o->notes.v[i]);
	wizard_merge_format(m, plan);
}

/* Do the files of a and b differ (one existing and not the other, or
 * other bytes)? */
static int
wizard_merge_moved(const struct wizard_merge *a, const struct wizard_merge *b)
{
	size_t	i;

	if (a->n != b->n)
		return 1;
	for (i = 0; i < a->n; i++) {
		if (a->v[i].existed != b->v[i].existed ||
		    a->v[i].old.len != b->v[i].old.len ||
		    memcmp(a->v[i].old.data, b->v[i].old.data,
		    a->v[i].old.len) != 0)
			return 1;
	}
	return 0;
}

#define WIZARD_RECONFIRM	3

int
wizard_install(struct host *h, const struct wizard_install_req *req,
    const struct op_ctl *ctl, struct wizard_install_result *res,
    char **cause)
{
	struct strv		 roles = STRV_INIT;
	struct buf		 plan = BUF_INIT;
	struct wizard_merge	 m, now;
	struct write_opts	 wo;
	size_t			 i;
	int			 lk, rc = -1, round;

	strv_init(&res->paths);
	res->backup = NULL;
	wizard_merge_init(&m);
	wizard_merge_init(&now);
	if (op_begin(h, req->what != NULL ? req->what : "wizard",
	    req->lock_wait, ctl, &lk, cause) != 0)
		return -1;
	/* Read under the lock: the merge is of the files as they are now. */
	if (wizard_merge_read(h, req->o, &m, cause) != 0)
		goto out;
	/*
	 * The lock does not stop an editor: a file changed while the
	 * question waited gets a new merge and a new question, so what is
	 * written is always the plan that was confirmed.
	 */
	for (round = 0;; round++) {
		strv_release(&roles);
		strv_release(&res->paths);
		for (i = 0; i < m.n; i++) {
			if (!wizard_merge_changes(&m.v[i]))
				continue;
			strv_push(&roles, m.v[i].role);
			strv_push(&res->paths, m.v[i].path);
		}
		if (res->paths.n == 0) {
			op_note(ctl, "nothing to change: every file already "
			    "holds what the role needs");
			rc = 0;
			goto out;
		}
		buf_reset(&plan);
		wizard_install_plan(req, &m, &plan);
		buf_addstr(&plan, "Write these files?");
		if (!op_confirm(ctl, plan.data) || op_cancelled(ctl)) {
			rc = 1;
			goto out;
		}
		wizard_merge_release(&now);
		if (wizard_merge_read(h, req->o, &now, cause) != 0)
			goto out;
		if (!wizard_merge_moved(&m, &now))
			break;
		if (round + 1 == WIZARD_RECONFIRM) {
			*cause = xstrdup("the files keep changing while the "
			    "question waits: nothing written");
			goto out;
		}
		op_note(ctl, "the files changed since they were shown: "
		    "nothing written; here is the merge with them as they "
		    "are now");
		wizard_merge_release(&m);
		m = now;
		wizard_merge_init(&now);
	}
	op_progress(ctl, "backup", 0, res->paths.n, NULL);
	if (backup_create(h, "wizard", &roles, &res->paths, NULL,
	    &res->backup, cause) != 0)
		goto out;
	/* All or none is up to the backup set: no cancel between files. */
	for (i = 0; i < m.n; i++) {
		if (!wizard_merge_changes(&m.v[i]))
			continue;
		op_progress(ctl, "write", i, m.n, m.v[i].path);
		write_opts_init(&wo);
		if (transport_write_file(h->t, m.v[i].path, m.v[i].text.data,
		    m.v[i].text.len, &wo, cause) != 0)
			goto out;
	}
	op_progress(ctl, "write", m.n, m.n, NULL);
	rc = 0;
out:
	op_end(h, lk);
	wizard_merge_release(&m);
	wizard_merge_release(&now);
	strv_release(&roles);
	buf_release(&plan);
	return rc;
}

void
wizard_install_result_release(struct wizard_install_result *res)
{
	strv_release(&res->paths);
	free(res->backup);
	res->backup = NULL;
}

/* ---- the audit's fixes ---- */

static void
audit_fix_steps(const struct op_ctl *ctl, const struct apply *a)
{
	struct buf	b = BUF_INIT;

	apply_format_steps(a, &b);
	op_note_lines(ctl, b.data);
	buf_release(&b);
}

/*
 * The mc findings: the cf generated from the edited text (the mc's file
 * untouched), confirmed, then the mc written and the cf installed; the mc
 * is put back if the install fails.
 */
static int
audit_fix_mc_run(struct host *h, const struct audit_fix_req *req,
    const struct op_ctl *ctl, struct audit_fix_result *res, char **cause)
{
	struct audit_mc_fix	 fix;
	struct buf		 plan = BUF_INIT, undo = BUF_INIT;
	char			*id = NULL;
	int			 rc = -1, r;

	op_progress(ctl, "generate", 0, 0, NULL);
	if ((r = audit_fix_mc(h, req->fv, req->n, op_apply_hooks(h), ctl,
	    &fix, cause)) < 0)
		return -1;
	if (r == 1)
		return 0;
	res->a = fix.a;
	if (res->a->cancelled) {
		audit_fix_steps(ctl, res->a);
		op_note(ctl, "cancelled: %s not changed", h->prof->mc);
		rc = 1;
		goto out;
	}
	if (req->dry) {
		buf_printf(&res->report, "The mc is not changed: the cf was "
		    "generated from an edited copy of %s\n", h->prof->mc);
		rc = 0;
		goto out;
	}
	op_progress(ctl, "install", 0, 0, NULL);
	if (res->a->changed != 0) {
		buf_printf(&plan, "%sInstall the new cf and reload sendmail?",
		    res->a->diff.data);
		if (!op_confirm(ctl, plan.data)) {
			op_note(ctl, "%s not changed", h->prof->mc);
			rc = 1;
			goto out;
		}
	}
	if (op_cancelled(ctl)) {
		op_note(ctl, "cancelled: %s not changed", h->prof->mc);
		rc = 1;
		goto out;
	}
	if (audit_fix_mc_save(h, &fix, &id, cause) != 0)
		goto out;
	if ((r = apply_commit(res->a, 1, cause)) != 0) {
		/* Failed, or cancelled before the backup: the mc goes back. */
		audit_fix_steps(ctl, res->a);
		audit_fix_undo(h, id, &undo);
		op_note_lines(ctl, undo.data);
		rc = r;
		goto out;
	}
	audit_fix_steps(ctl, res->a);
	if (res->a->cancel_late)
		op_note(ctl, "Esc came after the backup had begun: the fix ran "
		    "to its end");
	rc = 0;
out:
	audit_mc_fix_release(&fix);
	buf_release(&plan);
	buf_release(&undo);
	free(id);
	return rc;
}

int
audit_fix(struct host *h, const struct audit_fix_req *req,
    const struct op_ctl *ctl, struct audit_fix_result *res, char **cause)
{
	const struct audit_finding	*f;
	struct buf			 report = BUF_INIT;
	char				*d, *plan;
	size_t				 i;
	int				 lk, rc, ok;

	res->a = NULL;
	buf_init(&res->report);
	res->files = 0;
	if (op_begin(h, req->what != NULL ? req->what : "audit fix",
	    req->lock_wait, ctl, &lk, cause) != 0)
		return -1;
	if ((rc = audit_fix_mc_run(h, req, ctl, res, cause)) != 0 ||
	    req->dry)
		goto out;
	for (i = 0; i < req->n; i++) {
		f = req->fv[i];
		if (f->fix != AUDIT_FIX_MODE && f->fix != AUDIT_FIX_ACCESS)
			continue;
		if (op_cancelled(ctl)) {
			rc = 1;
			goto out;
		}
		d = audit_fix_describe(f);
		op_progress(ctl, "fix", res->files, req->n, d);
		plan = xasprintf("%s?", d);
		ok = op_confirm(ctl, plan);
		free(plan);
		free(d);
		if (!ok) {
			rc = 1;
			goto out;
		}
		buf_reset(&report);
		ok = audit_fix_file(h, f, op_apply_hooks(h), &report, cause);
		op_note_lines(ctl, report.data);
		if (ok != 0) {
			rc = -1;
			goto out;
		}
		res->files++;
	}
out:
	op_end(h, lk);
	buf_release(&report);
	return rc;
}

void
audit_fix_result_release(struct audit_fix_result *res)
{
	apply_free(res->a);
	res->a = NULL;
	buf_release(&res->report);
}
