/*
 * apply-profile.c -- does a generated cf still run where the profile says?
 * Its QueueDirectory, PidFile and daemon port against the profile's
 * queue_dirs, pid_file and listen, and the smadm.conf text that records
 * the cf's when the person says the cf is right (see apply.h).  Text in,
 * text out: apply-profile-run.c does the reading, asking and writing.
 */
#include <fnmatch.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"

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

void
apply_profile_conf_text(const char *text, size_t len, const struct strv *keys,
    const struct strv *values, struct buf *out)
{
	const char	*p = text, *end = text + len, *nl;
	char		*copy, *k, *eq;
	int		*done;
	size_t		 j, n;

	done = xcalloc(keys->n + 1, sizeof *done);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		copy = xstrndup(p, n);
		k = str_trim(copy);
		j = keys->n;
		if (*k != '#' && (eq = strchr(k, '=')) != NULL) {
			*eq = '\0';
			k = str_trim(k);
			for (j = 0; j < keys->n; j++)
				if (strcmp(keys->v[j], k) == 0)
					break;
		}
		/* A line that sets a key is replaced, byte for byte kept
		 * otherwise (a NUL in it would end the key: kept too). */
		if (j < keys->n && memchr(p, '\0', n) == NULL) {
			buf_printf(out, "%s = %s\n", keys->v[j],
			    values->v[j]);
			done[j] = 1;
		} else {
			buf_add(out, p, n);
			if (nl < end)
				buf_addch(out, '\n');
		}
		free(copy);
		p = nl < end ? nl + 1 : end;
	}
	for (j = 0; j < keys->n; j++) {
		if (done[j])
			continue;
		if (out->len > 0 && out->data[out->len - 1] != '\n')
			buf_addch(out, '\n');
		buf_printf(out, "%s = %s\n", keys->v[j], values->v[j]);
	}
	free(done);
}

