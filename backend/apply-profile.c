/*
 * apply-profile.c -- does a generated cf still run where the profile says?
 * Its QueueDirectory, PidFile and daemon port against the profile's
 * queue_dirs, pid_file and listen, and the smadm.conf text that records
 * the cf's when the person says the cf is right (see apply.h).  Text in,
 * text out: apply-profile-run.c does the reading, asking and writing.
 */
#include <fnmatch.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apply.h"

void
apply_profile_diff_init(struct apply_profile_diff *d)
{
	strv_init(&d->deny);
	strv_init(&d->refuse);
	strv_init(&d->warn);
	strv_init(&d->keys);
	strv_init(&d->values);
}

void
apply_profile_diff_release(struct apply_profile_diff *d)
{
	strv_release(&d->deny);
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

/* The value of field NAME= of a DaemonPortOptions value, or NULL. */
static char *
daemon_field(const char *opts, const char *name)
{
	struct strv	 fields = STRV_INIT;
	char		*v = NULL, *f;
	size_t		 i, n = strlen(name);

	strv_split_char(&fields, opts, ',');
	for (i = 0; v == NULL && i < fields.n; i++) {
		f = str_trim(fields.v[i]);
		if (strncasecmp(f, name, n) == 0 && f[n] == '=')
			v = xstrdup(str_trim(f + n + 1));
	}
	strv_release(&fields);
	return v;
}

/* Port= of one DaemonPortOptions value ("smtp" when it has none). */
static char *
daemon_port(const char *opts)
{
	char	*port;

	port = daemon_field(opts, "Port");
	return port != NULL ? port : xstrdup("smtp");
}

/* Addr= of a DaemonPortOptions value, or NULL. */
static char *
daemon_addr(const char *opts)
{
	return daemon_field(opts, "Addr");
}

/* A numeric loopback address: 127.0.0.0/8 or ::1. */
static int
addr_loopback(const char *a)
{
	struct in_addr	 in4;
	struct in6_addr	 in6;

	if (inet_pton(AF_INET, a, &in4) == 1)
		return (ntohl(in4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, a, &in6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&in6);
	return 0;
}

/* The address of the profile's listen (ADDR:PORT, [ADDR]:PORT), or NULL. */
static char *
profile_addr(const struct profile *p)
{
	const char	*c;

	if (p->listen == NULL || (c = strrchr(p->listen, ':')) == NULL)
		return NULL;
	if (p->listen[0] == '[' && c > p->listen + 1 && c[-1] == ']')
		return xstrndup(p->listen + 1, (size_t)(c - p->listen - 2));
	return xstrndup(p->listen, (size_t)(c - p->listen));
}

/* Is addr (NULL: every address) one of also ("0.0.0.0" for every)? */
static int
addr_also(const char *addr, const struct strv *also)
{
	size_t	i;

	for (i = 0; also != NULL && i < also->n; i++)
		if (strcmp(also->v[i], addr != NULL ? addr : "0.0.0.0") == 0)
			return 1;
	return 0;
}

/* The first daemon not confined to loopback (a network one whose Addr=
 * is missing or not loopback, nor in also), or -1. */
static ssize_t
daemon_off_loopback(const struct strv *daemons, const struct strv *also)
{
	char	*fam, *addr;
	size_t	 i;
	int	 off;

	for (i = 0; i < daemons->n; i++) {
		fam = daemon_field(daemons->v[i], "Family");
		addr = daemon_addr(daemons->v[i]);
		off = (fam == NULL || (strcasecmp(fam, "local") != 0 &&
		    strcasecmp(fam, "unix") != 0)) &&
		    (addr == NULL || !addr_loopback(addr)) &&
		    !addr_also(addr, also);
		free(fam);
		free(addr);
		if (off)
			return (ssize_t)i;
	}
	return -1;
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

/* Is the PidFile value pid the profile's pid_file? */
static int
pid_matches(const struct profile *p, const char *pid,
    int (*same)(void *, const char *, const char *), void *arg)
{
	if (strcmp(pid, p->pid_file) == 0)
		return 1;
	return same != NULL && same(arg, pid, p->pid_file);
}

/*
 * A profile whose listen is a loopback address keeps every daemon there:
 * a sandbox shares the host's network (it unshares only the mount
 * namespace), so Addr=0.0.0.0, no Addr= or the default MSA would listen
 * on every interface.  For a sandbox that is refused outright; for
 * another profile it is a mismatch like the others (--update-profile
 * records the daemon's address).
 */
static void
loopback_check(const struct profile *p, const struct cf_places *now,
    const struct cf_places *was, struct apply_profile_diff *d)
{
	struct strv	*to;
	char		*paddr, *addr, *port, *listen;
	const char	*v;
	ssize_t		 off;
	size_t		 i;

	paddr = profile_addr(p);
	if (paddr == NULL || !addr_loopback(paddr) ||
	    (off = daemon_off_loopback(&now->daemons, &p->listen_also)) ==
	    -1) {
		free(paddr);
		return;
	}
	v = now->daemons.v[off];
	addr = daemon_addr(v);
	port = daemon_port(v);
	if (p->sandbox) {
		strv_pushf(&d->deny, "DaemonPortOptions: the cf says %s, "
		    "which listens on %s, but this sandbox's profile listens "
		    "on %s only (the sandbox shares the host's network): "
		    "every daemon needs a loopback Addr=", v, addr != NULL ?
		    addr : "every address", p->listen);
	} else {
		for (i = 0; i < d->keys.n; i++)
			if (strcmp(d->keys.v[i], "listen") == 0)
				break;
		if (i == d->keys.n) {
			listen = xasprintf("%s:%d", addr != NULL ? addr :
			    "0.0.0.0", port_number(port) != -1 ?
			    port_number(port) : 25);
			to = was->daemons.n == 0 ||
			    daemon_off_loopback(&was->daemons,
			    &p->listen_also) == -1 ?
			    &d->refuse : &d->warn;
			strv_pushf(to, "DaemonPortOptions: the cf says %s, "
			    "which listens on %s, the profile's listen says %s "
			    "(loopback only)", v, addr != NULL ? addr :
			    "every address", p->listen);
			strv_push(&d->keys, "listen");
			strv_push(&d->values, listen);
			free(listen);
		}
	}
	free(port);
	free(addr);
	free(paddr);
}

void
apply_profile_check(const struct profile *p, const char *live, size_t llen,
    const char *cf, size_t len,
    int (*same)(void *, const char *, const char *), void *arg,
    struct apply_profile_diff *d)
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
	    !pid_matches(p, now.pid.v[now.pid.n - 1], same, arg))
		mismatch(d, was.pid.n == 0 ||
		    pid_matches(p, was.pid.v[was.pid.n - 1], same, arg),
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
	loopback_check(p, &now, &was, d);
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

