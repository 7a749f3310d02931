/*
 * apply-profile.c -- does a generated cf still run where the profile says?
 * Its QueueDirectory, PidFile and daemon port against the profile's
 * queue_dirs, pid_file and listen; and the update of smadm.conf when the
 * person says the cf is right (see apply.h).
 */
#include <fnmatch.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "daemon.h"

void
apply_profile_diff_init(struct apply_profile_diff *d)
{
	strv_init(&d->refuse);
	strv_init(&d->warn);
	strv_init(&d->keys);
	strv_init(&d->values);
}

void
apply_profile_diff_release(struct apply_profile_diff *d)
{
	strv_release(&d->refuse);
	strv_release(&d->warn);
	strv_release(&d->keys);
	strv_release(&d->values);
}

/* The values of every "O NAME=value" line of a cf, in order. */
static void
cf_options(const char *cf, size_t len, const char *name, struct strv *out)
{
	const char	*p = cf, *end = cf + len, *nl;
	size_t		 n = strlen(name);

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) > n + 2 && p[0] == 'O' && p[1] == ' ' &&
		    memcmp(p + 2, name, n) == 0 && p[2 + n] == '=')
			strv_push_nocopy(out, xstrndup(p + 3 + n,
			    (size_t)(nl - p - 3 - n)));
		p = nl + 1;
	}
}

/* A port as a number: "2525", "smtp"; -1 when unknown. */
static int
port_number(const char *v)
{
	struct servent	*se;
	long long	 n;
	char		*why = NULL;

	if (str_tonum(v, 1, 65535, &n, &why) == 0)
		return (int)n;
	free(why);
	if (strcmp(v, "smtp") == 0)
		return 25;
	if (strcmp(v, "submission") == 0)
		return 587;
	if ((se = getservbyname(v, "tcp")) != NULL)
		return ntohs((unsigned short)se->s_port);
	return -1;
}

/* Port= of one DaemonPortOptions value ("smtp" when it has none). */
static char *
daemon_port(const char *opts)
{
	struct strv	 fields = STRV_INIT;
	char		*port = NULL, *f;
	size_t		 i;

	strv_split_char(&fields, opts, ',');
	for (i = 0; port == NULL && i < fields.n; i++) {
		f = str_trim(fields.v[i]);
		if (strncmp(f, "Port=", 5) == 0 || strncmp(f, "port=", 5) == 0)
			port = xstrdup(str_trim(f + 5));
	}
	strv_release(&fields);
	return port != NULL ? port : xstrdup("smtp");
}

/* Addr= of a DaemonPortOptions value, or NULL. */
static char *
daemon_addr(const char *opts)
{
	struct strv	 fields = STRV_INIT;
	char		*addr = NULL, *f;
	size_t		 i;

	strv_split_char(&fields, opts, ',');
	for (i = 0; addr == NULL && i < fields.n; i++) {
		f = str_trim(fields.v[i]);
		if (strncmp(f, "Addr=", 5) == 0 || strncmp(f, "addr=", 5) == 0)
			addr = xstrdup(str_trim(f + 5));
	}
	strv_release(&fields);
	return addr;
}

struct cf_places {
	struct strv	 queue;		/* QueueDirectory values */
	struct strv	 pid;		/* PidFile values */
	struct strv	 daemons;	/* DaemonPortOptions values */
};

static void
cf_places_read(const char *cf, size_t len, struct cf_places *c)
{
	strv_init(&c->queue);
	strv_init(&c->pid);
	strv_init(&c->daemons);
	if (cf == NULL)
		return;
	cf_options(cf, len, "QueueDirectory", &c->queue);
	cf_options(cf, len, "PidFile", &c->pid);
	cf_options(cf, len, "DaemonPortOptions", &c->daemons);
}

static void
cf_places_release(struct cf_places *c)
{
	strv_release(&c->queue);
	strv_release(&c->pid);
	strv_release(&c->daemons);
}

/* Does the cf's QueueDirectory cover one of the profile's queue_dirs? */
static int
queue_matches(const struct profile *p, const char *q)
{
	size_t	i, n = strlen(q);

	for (i = 0; i < p->queue_dirs.n; i++) {
		if (strcmp(p->queue_dirs.v[i], q) == 0)
			return 1;
		if (strchr(q, '*') != NULL &&
		    fnmatch(q, p->queue_dirs.v[i], FNM_PATHNAME) == 0)
			return 1;
		/* Queue groups: directories below it. */
		if (strncmp(p->queue_dirs.v[i], q, n) == 0 &&
		    p->queue_dirs.v[i][n] == '/')
			return 1;
	}
	return 0;
}

/* The profile's port (listen = ADDR:PORT), or -1. */
static int
profile_port(const struct profile *p)
{
	const char	*c;

	if (p->listen == NULL || (c = strrchr(p->listen, ':')) == NULL)
		return -1;
	return port_number(c + 1);
}

/* Has the cf a daemon on port? */
static int
daemon_on(const struct strv *daemons, int port)
{
	char	*v;
	size_t	 i;
	int	 n;

	for (i = 0; i < daemons->n; i++) {
		v = daemon_port(daemons->v[i]);
		n = port_number(v);
		free(v);
		if (n == port)
			return 1;
	}
	return 0;
}

static void
mismatch(struct apply_profile_diff *d, int changed, const char *option,
    const char *cfv, const char *key, const char *pv, const char *newv)
{
	struct strv	*to = changed ? &d->refuse : &d->warn;

	strv_pushf(to, "%s: the cf says %s, the profile's %s says %s", option,
	    cfv, key, pv);
	strv_push(&d->keys, key);
	strv_push(&d->values, newv);
}

void
apply_profile_check(const struct profile *p, const char *live, size_t llen,
    const char *cf, size_t len, struct apply_profile_diff *d)
{
	struct cf_places	 now, was;
	struct buf		 pv = BUF_INIT;
	char			*port, *addr, *listen, *c;
	int			 want;
	size_t			 i;

	cf_places_read(cf, len, &now);
	cf_places_read(live, llen, &was);
	if (now.queue.n > 0 && p->queue_dirs.n > 0 &&
	    !queue_matches(p, now.queue.v[now.queue.n - 1])) {
		for (i = 0; i < p->queue_dirs.n; i++)
			buf_printf(&pv, "%s%s", i ? " " : "",
			    p->queue_dirs.v[i]);
		mismatch(d, was.queue.n == 0 ||
		    queue_matches(p, was.queue.v[was.queue.n - 1]),
		    "QueueDirectory", now.queue.v[now.queue.n - 1],
		    "queue_dirs", pv.data, now.queue.v[now.queue.n - 1]);
	}
	if (now.pid.n > 0 && p->pid_file != NULL &&
	    strchr(now.pid.v[now.pid.n - 1], '$') == NULL &&
	    strcmp(now.pid.v[now.pid.n - 1], p->pid_file) != 0)
		mismatch(d, was.pid.n == 0 ||
		    strcmp(was.pid.v[was.pid.n - 1], p->pid_file) == 0,
		    "PidFile", now.pid.v[now.pid.n - 1], "pid_file",
		    p->pid_file, now.pid.v[now.pid.n - 1]);
	if ((want = profile_port(p)) != -1 && now.daemons.n > 0 &&
	    !daemon_on(&now.daemons, want)) {
		port = daemon_port(now.daemons.v[0]);
		addr = daemon_addr(now.daemons.v[0]);
		if (addr == NULL && (c = strrchr(p->listen, ':')) != NULL)
			addr = xstrndup(p->listen, (size_t)(c - p->listen));
		listen = xasprintf("%s:%d", addr != NULL ? addr : "0.0.0.0",
		    port_number(port) != -1 ? port_number(port) : 25);
		c = xasprintf("Port=%s", port);
		mismatch(d, was.daemons.n == 0 || daemon_on(&was.daemons,
		    want), "DaemonPortOptions", c, "listen", p->listen,
		    listen);
		free(c);
		free(listen);
		free(addr);
		free(port);
	}
	buf_release(&pv);
	cf_places_release(&now);
	cf_places_release(&was);
}

/* smadm.conf's text with key = value set for each pair. */
static void
conf_update(const char *text, size_t len, const struct strv *keys,
    const struct strv *values, struct buf *out)
{
	struct strv	 lines = STRV_INIT;
	char		*copy, *k, *eq;
	int		*done;
	size_t		 i, j;

	done = xcalloc(keys->n, sizeof *done);
	strv_split_char(&lines, text, '\n');
	for (i = 0; i < lines.n; i++) {
		if (i + 1 == lines.n && *lines.v[i] == '\0' && len > 0)
			break;		/* the final newline */
		copy = xstrdup(lines.v[i]);
		k = str_trim(copy);
		j = keys->n;
		if (*k != '#' && (eq = strchr(k, '=')) != NULL) {
			*eq = '\0';
			k = str_trim(k);
			for (j = 0; j < keys->n; j++)
				if (strcmp(keys->v[j], k) == 0)
					break;
		}
		if (j < keys->n) {
			buf_printf(out, "%s = %s\n", keys->v[j],
			    values->v[j]);
			done[j] = 1;
		} else
			buf_printf(out, "%s\n", lines.v[i]);
		free(copy);
	}
	for (j = 0; j < keys->n; j++)
		if (!done[j])
			buf_printf(out, "%s = %s\n", keys->v[j],
			    values->v[j]);
	free(done);
	strv_release(&lines);
}

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
	conf_update(text.data, text.len, keys, values, &out);
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

int
apply_profile_verdict(struct apply *a, const struct apply_unit *u,
    enum apply_status *st, char **detail, char **cause)
{
	struct apply_profile_diff	 d;
	struct buf			 live = BUF_INIT, b = BUF_INIT;
	char				*conf = NULL, *ignore = NULL;
	const struct strv		*v;
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
