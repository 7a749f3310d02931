/*
 * audit-fix.c -- fixing audit findings (see audit.h): mc edits through
 * the apply pipeline (generate, validate, diff, install, reload), modes
 * and owners through the transport, access entries through the table
 * editor and the map rebuild hook.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "backup.h"
#include "mc.h"
#include "table.h"

#define AUDIT_FIX_MAX	(16 << 20)

static const char *const audit_chown_paths[] = {
	"/bin/chown", "/usr/bin/chown", "/usr/sbin/chown", NULL
};

char *
audit_fix_describe(const struct audit_finding *f)
{
	switch (f->fix) {
	case AUDIT_FIX_NONE:
		break;
	case AUDIT_FIX_DEFINE:
		if (f->fix_value == NULL)
			return xasprintf("mc: remove define(`%s')",
			    f->fix_name);
		return xasprintf("mc: define(`%s', `%s')", f->fix_name,
		    f->fix_value);
	case AUDIT_FIX_FEATURE:
		if (!f->fix_on)
			return xasprintf("mc: remove FEATURE(`%s')",
			    f->fix_name);
		if (f->fix_value != NULL)
			return xasprintf("mc: FEATURE(`%s', `%s')",
			    f->fix_name, f->fix_value);
		return xasprintf("mc: FEATURE(`%s')", f->fix_name);
	case AUDIT_FIX_PRIVACY:
		return xasprintf("mc: add %s to confPRIVACY_FLAGS",
		    f->fix_value);
	case AUDIT_FIX_MODE:
		if (f->fix_chown)
			return xasprintf("chown %ld:%ld %s; chmod %04o %s",
			    (long)f->fix_uid, (long)f->fix_gid, f->fix_name,
			    (unsigned)f->fix_mode, f->fix_name);
		return xasprintf("chmod %04o %s", (unsigned)f->fix_mode,
		    f->fix_name);
	case AUDIT_FIX_ACCESS:
		return xasprintf("comment out in %s: %s; rebuild the maps",
		    f->fix_name, f->fix_value);
	}
	return xstrdup("by hand (see the finding)");
}

/* confPRIVACY_FLAGS with word added; the base is the mc's, else the cf's. */
static int
audit_fix_privacy(struct host *h, struct mc *mc, const char *word,
    char **cause)
{
	struct audit_cf	 cf;
	struct buf	 text = BUF_INIT, v = BUF_INIT;
	const char	*cur;
	char		*err = NULL;
	int		 r, have, add;

	cur = mc_define_value(mc, "confPRIVACY_FLAGS");
	memset(&cf, 0, sizeof cf);
	if (cur == NULL && transport_read_file(h->t, h->prof->cf, &text,
	    AUDIT_FIX_MAX, &err) == 0) {
		audit_cf_parse(&cf, text.data, text.len);
		cur = audit_cf_option(&cf, "PrivacyOptions");
	}
	free(err);
	have = audit_privacy_parse(cur, NULL);
	add = audit_privacy_parse(word, NULL);
	if (cur != NULL)
		buf_addstr(&v, cur);
	if ((have & add) != add) {
		if (v.len > 0)
			buf_addch(&v, ',');
		buf_addstr(&v, word);
	}
	r = mc_define_set(mc, "confPRIVACY_FLAGS", v.data, cause);
	audit_cf_release(&cf);
	buf_release(&text);
	buf_release(&v);
	return r;
}

int
audit_fix_mc(struct host *h, const struct audit_finding *const *fv,
    size_t n, const struct apply_hooks *hooks, const struct op_ctl *ctl,
    struct audit_mc_fix *fix, char **cause)
{
	const struct audit_finding	*f;
	struct buf			 text = BUF_INIT, reason = BUF_INIT;
	struct strv			 args = STRV_INIT;
	struct mc			*mc = NULL;
	struct apply			*a = NULL;
	const char			*t;
	char				*why = NULL;
	size_t				 i, edits = 0, len;
	int				 r = 0, rc = -1;

	memset(fix, 0, sizeof *fix);
	for (i = 0; i < n; i++)
		if (fv[i]->fix == AUDIT_FIX_DEFINE ||
		    fv[i]->fix == AUDIT_FIX_FEATURE ||
		    fv[i]->fix == AUDIT_FIX_PRIVACY)
			edits++;
	if (edits == 0)
		return 1;
	if (h->prof->mc == NULL) {
		*cause = xstrdup("the profile names no mc");
		return -1;
	}
	if (transport_read_file(h->t, h->prof->mc, &text, AUDIT_FIX_MAX,
	    cause) != 0)
		return -1;
	mc = mc_parse(h->prof->mc, text.data, text.len);
	buf_addstr(&reason, "audit fix");
	for (i = 0; i < n; i++) {
		f = fv[i];
		strv_release(&args);
		switch (f->fix) {
		case AUDIT_FIX_DEFINE:
			if (f->fix_value != NULL)
				r = mc_define_set(mc, f->fix_name,
				    f->fix_value, &why);
			else if (mc_find_define(mc, f->fix_name) != NULL)
				r = mc_define_unset(mc, f->fix_name, &why);
			break;
		case AUDIT_FIX_FEATURE:
			if (f->fix_value != NULL)
				strv_push(&args, f->fix_value);
			r = mc_feature_set(mc, f->fix_name, f->fix_on,
			    f->fix_value != NULL ? &args : NULL, &why);
			break;
		case AUDIT_FIX_PRIVACY:
			r = audit_fix_privacy(h, mc, f->fix_value, &why);
			break;
		default:
			continue;
		}
		if (r < 0) {
			*cause = xasprintf("%s: %s: %s", f->id, h->prof->mc,
			    why);
			free(why);
			goto out;
		}
		buf_printf(&reason, " %s", f->id);
	}
	/* Generated from the edited text; the mc is written after a yes. */
	a = apply_create(h, hooks);
	a->ctl = ctl;
	t = mc_text(mc, &len);
	if (apply_use_mc_text(a, t, len, cause) != 0 ||
	    apply_prepare(a, 0, cause) < 0) {
		apply_free(a);
		goto out;
	}
	fix->a = a;
	fix->mc = mc;
	fix->reason = buf_detach(&reason);
	mc = NULL;
	rc = 0;
out:
	strv_release(&args);
	buf_release(&text);
	buf_release(&reason);
	mc_free(mc);
	return rc;
}

int
audit_fix_mc_save(struct host *h, const struct audit_mc_fix *fix,
    char **backup_id, char **cause)
{
	return apply_save_mc(h, fix->mc, h->prof->mc, fix->reason, backup_id,
	    cause);
}

void
audit_mc_fix_release(struct audit_mc_fix *fix)
{
	mc_free(fix->mc);
	free(fix->reason);
	fix->mc = NULL;
	fix->reason = NULL;
}

int
audit_fix_undo(struct host *h, const char *id, struct buf *report)
{
	static const char *const only[] = { "mc", NULL };
	struct backup_set	 set;
	char			*why = NULL;
	int			 rc = 0;

	memset(&set, 0, sizeof set);
	if (backup_load(h, id, &set, &why) != 0 ||
	    backup_restore(h, &set, only, &why) != 0) {
		if (report != NULL)
			buf_printf(report, "could not put %s back from "
			    "backup %s: %s\n", h->prof->mc, id, why);
		free(why);
		rc = -1;
	} else if (report != NULL)
		buf_printf(report, "%s put back from backup %s\n",
		    h->prof->mc, id);
	backup_set_release(&set);
	return rc;
}

static int
audit_chown(struct host *h, const struct audit_finding *f, char **cause)
{
	struct run_opts		 ro;
	struct run_result	 rr;
	struct tstat		 ts;
	const char		*argv[4];
	char			*owner, *err = NULL;
	size_t			 i;
	int			 rc = -1;

	for (i = 0; audit_chown_paths[i] != NULL; i++) {
		if (transport_stat(h->t, audit_chown_paths[i], 1, &ts,
		    &err) == 0 && ts.type == TS_REG)
			break;
		free(err);
		err = NULL;
	}
	if (audit_chown_paths[i] == NULL) {
		*cause = xstrdup("no chown program found");
		return -1;
	}
	owner = xasprintf("%ld:%ld", (long)f->fix_uid, (long)f->fix_gid);
	argv[0] = audit_chown_paths[i];
	argv[1] = owner;
	argv[2] = f->fix_name;
	argv[3] = NULL;
	run_opts_init(&ro);
	run_result_init(&rr);
	if (transport_run(h->t, argv, &ro, &rr, cause) != 0)
		goto out;
	if (!rr.exited || rr.status != 0) {
		*cause = run_result_describe(argv[0], &rr);
		goto out;
	}
	rc = 0;
out:
	run_result_release(&rr);
	free(owner);
	return rc;
}

int
audit_fix_file(struct host *h, const struct audit_finding *f,
    const struct apply_hooks *hooks, struct buf *report, char **cause)
{
	const struct table_def	*td;
	struct table_edit	 te;
	struct strv		 keys = STRV_INIT;
	struct buf		 detail = BUF_INIT;
	size_t			 i;
	int			 rc = -1, r;

	if (f->fix == AUDIT_FIX_MODE) {
		if (f->fix_chown && audit_chown(h, f, cause) != 0)
			return -1;
		if (transport_chmod(h->t, f->fix_name, f->fix_mode,
		    cause) != 0)
			return -1;
		buf_printf(report, "%s: mode %04o%s\n", f->fix_name,
		    (unsigned)f->fix_mode, f->fix_chown ? ", owner changed" :
		    "");
		return 0;
	}
	if (f->fix != AUDIT_FIX_ACCESS) {
		*cause = xasprintf("%s: not a file fix", f->id);
		return -1;
	}
	td = profile_table_def("access");
	strv_split_char(&keys, f->fix_value, '\n');
	for (i = 0; i < keys.n; i++) {
		/* Local submission needs loopback: never taken away here. */
		if (audit_access_loopback(keys.v[i])) {
			buf_printf(report, "%s: %s kept (loopback: this host "
			    "only)\n", f->fix_name, keys.v[i]);
			continue;
		}
		table_edit_init(&te, TABLE_OP_COMMENT, keys.v[i], NULL);
		r = table_edit_apply(h, td, f->fix_name, &te, cause);
		if (r == 0)
			buf_printf(report, "%s: %s commented out (%zu "
			    "entr%s)\n", f->fix_name, keys.v[i], te.nremoved,
			    te.nremoved == 1 ? "y" : "ies");
		table_edit_release(&te);
		if (r != 0)
			goto out;
	}
	if (hooks != NULL && hooks->rebuild_maps != NULL) {
		r = hooks->rebuild_maps(h, hooks->arg, &detail, cause);
		if (detail.len > 0)
			buf_printf(report, "%s%s", detail.data,
			    detail.data[detail.len - 1] == '\n' ? "" : "\n");
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	strv_release(&keys);
	buf_release(&detail);
	return rc;
}
