/*
 * apply-recover.c -- what an apply leaves for the next run: the record of
 * each role's applied cf, the journal of an apply in progress, and the
 * recovery that finishes or undoes an interrupted one (see apply.h).
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "apply-int.h"
#include "backup.h"
#include "op.h"
#include "trust.h"

char *
apply_applied_path(struct host *h, const char *role)
{
	char	*state, *p;

	state = backup_state_dir(h->prof);
	p = xasprintf("%s/applied/%s", state, role);
	free(state);
	return p;
}

/* Record the mc that produced the installed cf. */
int
apply_record_applied(struct host *h, struct apply_unit *u, char **cause)
{
	struct write_opts	 wo;
	char			*path, *dir;
	int			 rc;

	path = apply_applied_path(h, u->role_mc);
	dir = apply_dir_name(path);
	rc = trust_state_mkdirs(h, dir, cause);
	if (rc == 0) {
		write_opts_init(&wo);
		wo.mode = 0600;
		wo.no_follow = 1;
		rc = transport_write_file(h->t, path, u->mc_text.data,
		    u->mc_text.len, &wo, cause);
	}
	free(dir);
	free(path);
	return rc;
}

/* What a hook wrote, as one line: its lines joined by "; ". */
char *
apply_one_line(struct buf *d)
{
	struct strv	 lines = STRV_INIT;
	char		*s;

	while (d->len > 0 && d->data[d->len - 1] == '\n')
		d->data[--d->len] = '\0';
	strv_split_char(&lines, d->data, '\n');
	s = strv_join(&lines, "; ");
	strv_release(&lines);
	return s;
}

/*
 * After a failed install, the record of the applied mc is again the one
 * the backup set holds (the mc behind the restored cf), or none.  roles
 * are the mc roles ("mc", "submit_mc") whose cf was installed.
 */
static int
restore_applied_roles(struct host *h, const struct strv *roles,
    const struct backup_set *set, char **cause)
{
	struct write_opts	 wo;
	struct buf		 text = BUF_INIT;
	char			*ap, *copy;
	size_t			 i, j;
	int			 rc = 0;

	for (i = 0; i < roles->n && rc == 0; i++) {
		ap = apply_applied_path(h, roles->v[i]);
		for (j = 0; j < set->nfiles; j++)
			if (strcmp(set->files[j].role, roles->v[i]) == 0)
				break;
		if (j == set->nfiles || set->files[j].absent)
			rc = transport_remove(h->t, ap, cause);
		else {
			copy = xasprintf("%s/%s", set->dir, roles->v[i]);
			buf_reset(&text);
			write_opts_init(&wo);
			wo.mode = 0600;
			rc = transport_read_file(h->t, copy, &text, 0,
			    cause);
			if (rc == 0)
				rc = transport_write_file(h->t, ap,
				    text.data, text.len, &wo, cause);
			free(copy);
		}
		free(ap);
	}
	buf_release(&text);
	return rc;
}

int
apply_restore_applied(struct apply *a, const struct backup_set *set,
    char **cause)
{
	struct strv	roles = STRV_INIT;
	size_t		i;
	int		rc;

	for (i = 0; i < a->nunits; i++)
		if (a->units[i].changed)
			strv_push(&roles, a->units[i].role_mc);
	rc = restore_applied_roles(a->h, &roles, set, cause);
	strv_release(&roles);
	return rc;
}

/*
 * The journal of an install in progress: STATE/apply-pending, written
 * after the backup set and removed when the install (and, for apply, the
 * maps and reload steps) finished or was undone.  A journal found later
 * means smadm died in between: apply_recover() undoes it.
 *
 *	backup	ID
 *	unit	ROLE_CF	ROLE_MC
 */
static char *
journal_path(struct host *h)
{
	char	*state, *p;

	state = backup_state_dir(h->prof);
	p = xasprintf("%s/apply-pending", state);
	free(state);
	return p;
}

int
apply_journal_write(struct apply *a, char **cause)
{
	struct write_opts	 wo;
	struct buf		 j = BUF_INIT;
	char			*path;
	size_t			 i;
	int			 rc;

	buf_printf(&j, "backup\t%s\n", a->backup_id);
	for (i = 0; i < a->nunits; i++)
		if (a->units[i].changed)
			buf_printf(&j, "unit\t%s\t%s\n", a->units[i].role_cf,
			    a->units[i].role_mc);
	path = journal_path(a->h);
	write_opts_init(&wo);
	wo.mode = 0600;
	wo.no_follow = 1;
	rc = transport_write_file(a->h->t, path, j.data, j.len, &wo, cause);
	free(path);
	buf_release(&j);
	return rc;
}

void
apply_journal_remove(struct host *h)
{
	char	*path, *ignore = NULL;

	path = journal_path(h);
	transport_remove(h->t, path, &ignore);
	free(ignore);
	free(path);
}

/*
 * Leftovers of a dead smadm: CF.smadm-new and MC.smadm-preview files,
 * half-made backup sets.
 */
static void
remove_leftovers(struct host *h, struct buf *report)
{
	struct strv	 names = STRV_INIT, inner = STRV_INIT;
	struct tstat	 st;
	const char	*cfs[2];
	char		*p, *state, *root, *dir, *f, *ignore = NULL;
	size_t		 i, k;

	cfs[0] = h->prof->cf;
	cfs[1] = h->prof->submit_cf;
	for (i = 0; i < 2; i++) {
		if (cfs[i] == NULL)
			continue;
		p = xasprintf("%s.smadm-new", cfs[i]);
		/* Only what smadm wrote: a link there is refused later. */
		if (transport_stat(h->t, p, 0, &st, &ignore) == 0 &&
		    st.type == TS_REG &&
		    transport_remove(h->t, p, &ignore) == 0)
			buf_printf(report, "removed %s, a generated cf that "
			    "was never installed (cf build's output, or left "
			    "by an interrupted run)\n", p);
		free(ignore);
		ignore = NULL;
		free(p);
	}
	cfs[0] = h->prof->mc;
	cfs[1] = h->prof->submit_mc;
	for (i = 0; i < 2; i++) {
		if (cfs[i] == NULL)
			continue;
		p = xasprintf("%s.smadm-preview", cfs[i]);
		if (transport_stat(h->t, p, 0, &st, &ignore) == 0 &&
		    st.type == TS_REG &&
		    transport_remove(h->t, p, &ignore) == 0)
			buf_printf(report, "removed %s left by an interrupted "
			    "preview\n", p);
		free(ignore);
		ignore = NULL;
		free(p);
	}
	state = backup_state_dir(h->prof);
	root = xasprintf("%s/backups", state);
	if (transport_list_dir(h->t, root, &names, &ignore) == 0) {
		for (i = 0; i < names.n; i++) {
			if (!str_endswith(names.v[i], ".tmp"))
				continue;
			dir = xasprintf("%s/%s", root, names.v[i]);
			strv_release(&inner);
			strv_init(&inner);
			if (transport_list_dir(h->t, dir, &inner, &ignore) == 0)
				for (k = 0; k < inner.n; k++) {
					f = xasprintf("%s/%s", dir, inner.v[k]);
					transport_remove(h->t, f, &ignore);
					free(ignore);
					ignore = NULL;
					free(f);
				}
			free(ignore);
			ignore = NULL;
			if (transport_remove(h->t, dir, &ignore) == 0)
				buf_printf(report, "removed the half-made "
				    "backup set %s\n", dir);
			free(ignore);
			ignore = NULL;
			free(dir);
		}
	}
	free(ignore);
	strv_release(&names);
	strv_release(&inner);
	free(root);
	free(state);
}

char *
apply_pending(struct host *h)
{
	struct buf	 text = BUF_INIT;
	char		*path, *cause = NULL, *id = NULL, *nl;

	path = journal_path(h);
	if (transport_exists(h->t, path) &&
	    transport_read_file(h->t, path, &text, 0, &cause) == 0) {
		if (strncmp(text.data, "backup\t", 7) == 0) {
			if ((nl = strchr(text.data, '\n')) != NULL)
				*nl = '\0';
			id = xstrdup(text.data + 7);
		} else
			id = xstrdup("?");
	}
	free(cause);
	free(path);
	buf_release(&text);
	return id;
}

int
apply_recover(struct host *h, const struct apply_hooks *hooks,
    struct buf *report, char **cause)
{
	struct backup_set	 set;
	struct strv		 lines = STRV_INIT, f = STRV_INIT;
	struct strv		 cfroles = STRV_INIT, mcroles = STRV_INIT;
	struct buf		 text = BUF_INIT, d = BUF_INIT;
	const char		**only = NULL;
	char			*path, *id = NULL, *why = NULL;
	size_t			 i;
	int			 rc = -1;

	memset(&set, 0, sizeof set);
	path = journal_path(h);
	if (!transport_exists(h->t, path)) {
		remove_leftovers(h, report);
		rc = 0;
		goto out;
	}
	if (transport_read_file(h->t, path, &text, 0, cause) != 0)
		goto out;
	strv_split_char(&lines, text.data, '\n');
	for (i = 0; i < lines.n; i++) {
		strv_release(&f);
		strv_init(&f);
		strv_split_char(&f, lines.v[i], '\t');
		if (f.n == 2 && strcmp(f.v[0], "backup") == 0) {
			free(id);
			id = xstrdup(f.v[1]);
		} else if (f.n == 3 && strcmp(f.v[0], "unit") == 0) {
			strv_push(&cfroles, f.v[1]);
			strv_push(&mcroles, f.v[2]);
		}
	}
	if (id == NULL || cfroles.n == 0) {
		/* Killed while the journal itself was written: nothing ran. */
		buf_printf(report, "%s: unreadable journal of an interrupted "
		    "apply removed (nothing had been installed)\n", path);
		apply_journal_remove(h);
		remove_leftovers(h, report);
		rc = 1;
		goto out;
	}
	only = xcalloc(cfroles.n + 1, sizeof *only);
	for (i = 0; i < cfroles.n; i++)
		only[i] = cfroles.v[i];
	if (backup_load(h, id, &set, &why) != 0 ||
	    backup_restore(h, &set, only, &why) != 0 ||
	    restore_applied_roles(h, &mcroles, &set, &why) != 0) {
		*cause = xasprintf("an apply was interrupted (%s) and its "
		    "previous files could not be restored from backup %s: %s",
		    path, id, why);
		goto out;
	}
	buf_printf(report, "an interrupted apply was rolled back: the "
	    "previous cf restored from backup %s\n", id);
	if (hooks != NULL && hooks->reload != NULL) {
		if (hooks->reload(h, hooks->arg, &d, &why) < 0) {
			*cause = xasprintf("an interrupted apply was rolled "
			    "back from backup %s, but reloading the daemon "
			    "failed: %s", id, why);
			goto out;
		}
		while (d.len > 0 && d.data[d.len - 1] == '\n')
			d.data[--d.len] = '\0';
		if (d.len != 0)
			buf_printf(report, "reload: %s\n", d.data);
	}
	apply_journal_remove(h);
	remove_leftovers(h, report);
	rc = 1;
out:
	free(only);
	free(id);
	free(why);
	free(path);
	buf_release(&text);
	buf_release(&d);
	strv_release(&lines);
	strv_release(&f);
	strv_release(&cfroles);
	strv_release(&mcroles);
	backup_set_release(&set);
	return rc;
}
