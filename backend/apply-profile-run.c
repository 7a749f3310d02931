/*
 * apply-profile-run.c -- the profile check as a step of apply_prepare and
 * the update of smadm.conf after the install (see apply.h): the host's
 * files and daemon around apply-profile.c's comparison.
 */
#include <fnmatch.h>
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

/*
 * Where a path is anchored: its deepest directory that exists (followed
 * through symbolic links, so its device and inode say which it is) and
 * the rest of the path below it.  -1 when nothing could be looked at.
 */
static int
path_anchor(struct transport *t, const char *path, struct tstat *st,
    char **rest)
{
	char	*dir, *s, *r;

	dir = xstrdup(path);
	*rest = xstrdup("");
	for (;;) {
		if ((s = strrchr(dir, '/')) == NULL) {
			free(dir);
			free(*rest);
			return -1;
		}
		r = xasprintf("%s%s%s", s + 1, **rest != '\0' ? "/" : "",
		    *rest);
		free(*rest);
		*rest = r;
		if (s == dir)
			s[1] = '\0';
		else
			*s = '\0';
		if (transport_stat(t, dir, 1, st, &r) != 0) {
			free(r);
			free(dir);
			free(*rest);
			return -1;
		}
		if (st->type == TS_DIR)
			break;
		if (strcmp(dir, "/") == 0) {
			free(dir);
			free(*rest);
			return -1;
		}
	}
	free(dir);
	return 0;
}

/* Do two absolute paths name the same file on the host?  Their deepest
 * existing directories are the same one (/var/run and /run when one
 * links to the other) and what is below them is the same. */
static int
apply_profile_same(void *arg, const char *a, const char *b)
{
	struct transport	*t = arg;
	struct tstat		 sa, sb;
	char			*ra, *rb;
	int			 same;

	if (a[0] != '/' || b[0] != '/' || strstr(a, "/..") != NULL ||
	    strstr(b, "/..") != NULL)
		return 0;
	if (path_anchor(t, a, &sa, &ra) != 0)
		return 0;
	if (path_anchor(t, b, &sb, &rb) != 0) {
		free(ra);
		return 0;
	}
	same = sa.dev == sb.dev && sa.ino == sb.ino && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

/*
 * sendmail's multiple queues: QueueDirectory=DIR/q* names every
 * directory of DIR matching q* when the daemon starts.  The value for
 * queue_dirs is those directories, blank-separated; -1 when there are
 * none or one cannot be written into smadm.conf.
 */
static int
apply_profile_queue_glob(struct transport *t, const char *pattern,
    char **out, char **cause)
{
	struct strv	 names = STRV_INIT, hits = STRV_INIT;
	struct tstat	 st;
	struct buf	 b = BUF_INIT;
	const char	*slash;
	char		*dir, *path, *ignore = NULL;
	size_t		 i;
	int		 rc = -1;

	slash = strrchr(pattern, '/');
	if (slash == NULL || slash == pattern ||
	    memchr(pattern, '*', (size_t)(slash - pattern)) != NULL ||
	    strpbrk(pattern, "?[") != NULL) {
		*cause = xasprintf("QueueDirectory %s: sendmail expands a "
		    "wildcard only in the last part of the path", pattern);
		return -1;
	}
	dir = xstrndup(pattern, (size_t)(slash - pattern));
	if (transport_list_dir(t, dir, &names, cause) != 0)
		goto out;
	strv_sort(&names);
	for (i = 0; i < names.n; i++) {
		if (fnmatch(slash + 1, names.v[i], FNM_PERIOD) != 0)
			continue;
		path = xasprintf("%s/%s", dir, names.v[i]);
		if (transport_stat(t, path, 1, &st, &ignore) == 0 &&
		    st.type == TS_DIR)
			strv_push_nocopy(&hits, path);
		else
			free(path);
		free(ignore);
		ignore = NULL;
	}
	if (hits.n == 0) {
		*cause = xasprintf("QueueDirectory %s names no directory yet: "
		    "create the queue directories it names (in %s) first, "
		    "so smadm.conf can list them", pattern, dir);
		goto out;
	}
	for (i = 0; i < hits.n; i++) {
		if (strpbrk(hits.v[i], " \t#") != NULL) {
			*cause = xasprintf("QueueDirectory %s: \"%s\" cannot "
			    "be written into smadm.conf (its values are "
			    "blank-separated and # starts a comment)", pattern,
			    hits.v[i]);
			goto out;
		}
		buf_printf(&b, "%s%s", i ? " " : "", hits.v[i]);
	}
	*out = xstrdup(b.data);
	rc = 0;
out:
	free(dir);
	buf_release(&b);
	strv_release(&names);
	strv_release(&hits);
	return rc;
}

/* The queue_dirs value of a wildcard QueueDirectory made the directories
 * it names; 0, or -1 with *cause. */
static int
apply_profile_glob(struct transport *t, struct apply_profile_diff *d,
    char **cause)
{
	char	*dirs;
	size_t	 i;

	for (i = 0; i < d->keys.n; i++) {
		if (strcmp(d->keys.v[i], "queue_dirs") != 0 ||
		    strchr(d->values.v[i], '*') == NULL)
			continue;
		if (apply_profile_queue_glob(t, d->values.v[i], &dirs,
		    cause) != 0)
			return -1;
		free(d->values.v[i]);
		d->values.v[i] = dirs;
	}
	return 0;
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
	char				*conf = NULL, *ignore = NULL, *why;
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
	    live.len, u->cf_text.data, u->cf_text.len, apply_profile_same,
	    a->h->t, &d);
	if (d.deny.n > 0) {
		*st = APPLY_FAILED;
		for (i = 0; i < d.deny.n; i++)
			buf_printf(&b, "%s%s", i ? "; " : "", d.deny.v[i]);
		*cause = xasprintf("%s no longer matches the profile: %s; "
		    "refused (also with --update-profile): fix the mc", u->cf,
		    b.data);
		*detail = xstrdup(b.data);
		rc = -1;
		goto out;
	}
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
	} else if (update && apply_profile_glob(a->h->t, &d, &why) != 0) {
		*st = APPLY_FAILED;
		*cause = xasprintf("%s: --update-profile: %s", b.data, why);
		*detail = xstrdup(*cause);
		free(why);
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
