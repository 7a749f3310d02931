/*
 * apply-profile-run.c -- the profile check as a step of apply_prepare and
 * the update of smadm.conf after the install (see apply.h): the host's
 * files and daemon around apply-profile.c's comparison.
 */
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "daemon.h"

char *
apply_profile_conf(const struct profile *p)
{
	if (p->root == NULL)
		return NULL;
	return xasprintf("%s/smadm.conf", p->root);
}

int
apply_profile_update(struct host *h, const struct strv *keys,
    const struct strv *values, struct buf *backup, char **cause)
{
	struct profile		*p = h->prof, *np;
	struct write_opts	 wo;
	struct buf		 text = BUF_INIT, out = BUF_INIT;
	char			*conf;
	int			 rc = -1;

	if ((conf = apply_profile_conf(p)) == NULL) {
		*cause = xasprintf("the profile was detected (%s), not read "
		    "from a smadm.conf: there is none to update", p->origin);
		return -1;
	}
	if (transport_read_file(h->t, conf, &text, 1 << 20, cause) != 0)
		goto out;
	apply_profile_conf_text(text.data, text.len, keys, values, &out);
	/* What is written must read back as a profile. */
	if ((np = profile_parse(out.data, out.len, p->root, conf,
	    cause)) == NULL)
		goto out;
	write_opts_init(&wo);
	wo.backup = 1;
	wo.backup_path = backup;
	if (transport_write_file(h->t, conf, out.data, out.len, &wo,
	    cause) != 0) {
		profile_free(np);
		goto out;
	}
	/* The host goes on with the new places. */
	free(p->pid_file);
	p->pid_file = np->pid_file;
	np->pid_file = NULL;
	free(p->listen);
	p->listen = np->listen;
	np->listen = NULL;
	strv_release(&p->queue_dirs);
	p->queue_dirs = np->queue_dirs;
	strv_init(&np->queue_dirs);
	profile_free(np);
	rc = 0;
out:
	free(conf);
	buf_release(&text);
	buf_release(&out);
	return rc;
}

/* Does the host's daemon run (as the profile finds it)?  *pid: which. */
static int
apply_profile_daemon(struct host *h, pid_t *pid)
{
	struct daemon_status	 ds;
	char			*ignore = NULL;
	int			 running = 0;

	daemon_status_init(&ds);
	if (daemon_status(h, &ds, &ignore) == 0 && ds.running) {
		running = 1;
		*pid = ds.pid;
	}
	free(ignore);
	daemon_status_release(&ds);
	return running;
}

/* A value smadm.conf would read differently (blanks, #), or NULL. */
static const char *
apply_profile_unwritable(const struct apply_profile_diff *d)
{
	size_t	i;

	for (i = 0; i < d->values.n; i++)
		if (strpbrk(d->values.v[i], " \t#") != NULL)
			return d->values.v[i];
	return NULL;
}

int
apply_profile_verdict(struct apply *a, const struct apply_unit *u,
    enum apply_status *st, char **detail, char **cause)
{
	struct apply_profile_diff	 d;
	struct buf			 live = BUF_INIT, b = BUF_INIT;
	char				*conf = NULL, *ignore = NULL;
	const struct strv		*v;
	const char			*blank;
	size_t				 i;
	int				 have_live, update, rc = 0;
	pid_t				 pid = 0;

	update = (a->flags & APPLY_UPDATE_PROFILE) != 0;
	have_live = transport_exists(a->h->t, u->cf) &&
	    transport_read_file(a->h->t, u->cf, &live, 0, &ignore) == 0;
	free(ignore);
	apply_profile_diff_init(&d);
	apply_profile_check(a->h->prof, have_live ? live.data : NULL,
	    live.len, u->cf_text.data, u->cf_text.len, &d);
	if (d.keys.n == 0)
		goto out;
	v = d.refuse.n > 0 ? &d.refuse : &d.warn;
	for (i = 0; i < d.refuse.n + d.warn.n; i++)
		buf_printf(&b, "%s%s", i ? "; " : "", i < d.refuse.n ?
		    d.refuse.v[i] : d.warn.v[i - d.refuse.n]);
	conf = apply_profile_conf(a->h->prof);
	if (update && conf == NULL) {
		*st = APPLY_FAILED;
		*cause = xasprintf("%s: --update-profile: the profile was "
		    "detected (%s), not read from a smadm.conf: there is "
		    "none to update", b.data, a->h->prof->origin);
		*detail = xstrdup(*cause);
		rc = -1;
	} else if (update && apply_profile_daemon(a->h, &pid)) {
		*st = APPLY_FAILED;
		*cause = xasprintf("%s: --update-profile: sendmail runs (pid "
		    "%ld) where the profile says, and a reload cannot move it "
		    "(smadm checks the reloaded daemon at the profile's "
		    "places): stop it (smadm daemon stop), apply, then start "
		    "it", b.data, (long)pid);
		*detail = xstrdup(*cause);
		rc = -1;
	} else if (update && (blank = apply_profile_unwritable(&d)) != NULL) {
		*st = APPLY_FAILED;
		*cause = xasprintf("%s: --update-profile: \"%s\" cannot be "
		    "written into smadm.conf (its values are blank-separated "
		    "and # starts a comment)", b.data, blank);
		*detail = xstrdup(*cause);
		rc = -1;
	} else if (update) {
		*st = APPLY_WARN;
		strv_release(&a->profile_keys);
		strv_release(&a->profile_values);
		buf_printf(&b, "; once installed, %s will say", conf);
		for (i = 0; i < d.keys.n; i++) {
			strv_push(&a->profile_keys, d.keys.v[i]);
			strv_push(&a->profile_values, d.values.v[i]);
			buf_printf(&b, "%s %s = %s", i ? "," : "",
			    d.keys.v[i], d.values.v[i]);
		}
		*detail = xstrdup(b.data);
		rc = 1;
	} else if (v == &d.refuse) {
		*st = APPLY_FAILED;
		*cause = xasprintf("%s no longer matches the profile%s%s: "
		    "%s; smadm would look for the daemon and its queue in "
		    "the wrong place.  Fix the mc, or accept the cf with "
		    "\"apply --update-profile\"", u->cf, conf != NULL ?
		    " " : "", conf != NULL ? conf : "", b.data);
		*detail = xstrdup(b.data);
		rc = -1;
	} else {
		*st = APPLY_WARN;
		*detail = xasprintf("the live cf already differs from the "
		    "profile: %s (\"apply --update-profile\" records the "
		    "cf's values)", b.data);
		rc = 1;
	}
out:
	free(conf);
	buf_release(&b);
	buf_release(&live);
	apply_profile_diff_release(&d);
	return rc;
}
