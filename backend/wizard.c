/*
 * wizard.c -- fill a role template from an answers file (see wizard.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include "audit.h"
#include "mc.h"
#include "mc-value.h"
#include "table.h"
#include "wizard.h"

struct answer {
	char	*key;
	char	*value;
	size_t	 line;
};

struct answers {
	struct answer	*v;
	size_t		 n;
};

static const char *const known_keys[] = {
	"role", "hostname", "domain", "local_domains", "relay_nets",
	"smart_host", "masquerade_as", "listen_addr", "smtp_port", "ostype",
	"def_user", "run_as_user", "max_children", "rate_throttle",
	"log_level", "mailertable", "relay_to", "virtusertable", "test_port",
};

static void
answers_release(struct answers *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].key);
		free(a->v[i].value);
	}
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

static int
answers_parse(const char *text, size_t len, const char *file,
    struct answers *a, char **cause)
{
	const char	*p = text, *end = text + len, *nl;
	char		*line, *k, *v, *eq;
	size_t		 lineno = 0, i;
	int		 ok;

	memset(a, 0, sizeof *a);
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line = xstrndup(p, (size_t)(nl - p));
		p = nl < end ? nl + 1 : end;
		k = str_trim(line);
		if (*k == '\0' || *k == '#') {
			free(line);
			continue;
		}
		if ((eq = strchr(k, '=')) == NULL) {
			*cause = xasprintf("%s:%zu: expected \"key = value\"",
			    file, lineno);
			free(line);
			goto fail;
		}
		*eq = '\0';
		k = str_trim(k);
		v = str_trim(eq + 1);
		ok = str_startswith(k, "define.") && k[7] != '\0';
		for (i = 0; !ok && i < nitems(known_keys); i++)
			ok = strcmp(known_keys[i], k) == 0;
		if (!ok) {
			*cause = xasprintf("%s:%zu: unknown key \"%s\"", file,
			    lineno, k);
			free(line);
			goto fail;
		}
		if (strpbrk(v, "`'") != NULL) {
			*cause = xasprintf("%s:%zu: %s: m4 quotes (` and ') "
			    "are not allowed in answers", file, lineno, k);
			free(line);
			goto fail;
		}
		for (i = 0; i < a->n && (strcmp(k, "mailertable") == 0 ||
		    strcmp(k, "virtusertable") == 0 ||
		    strcmp(k, "relay_to") == 0 ? 0 : 1); i++) {
			if (strcmp(a->v[i].key, k) != 0)
				continue;
			*cause = xasprintf("%s:%zu: %s given again (first at "
			    "line %zu): give it once", file, lineno, k,
			    a->v[i].line);
			free(line);
			goto fail;
		}
		a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
		a->v[a->n].key = xstrdup(k);
		a->v[a->n].value = xstrdup(v);
		a->v[a->n].line = lineno;
		a->n++;
		free(line);
	}
	return 0;
fail:
	answers_release(a);
	return -1;
}

static const char *
get(const struct answers *a, const char *key, const char *def)
{
	size_t	i;

	for (i = a->n; i > 0; i--)
		if (strcmp(a->v[i - 1].key, key) == 0 &&
		    *a->v[i - 1].value != '\0')
			return a->v[i - 1].value;
	return def;
}

static size_t
line_of(const struct answers *a, const char *key)
{
	size_t	i;

	for (i = a->n; i > 0; i--)
		if (strcmp(a->v[i - 1].key, key) == 0)
			return a->v[i - 1].line;
	return 0;
}

static void
commas_to_blanks(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == ',')
			*s = ' ';
}

static const char *const roles[] = {
	"nullclient", "local", "gateway", "smarthost"
};

int
wizard_role(const char *text, size_t len, const char *file, char **role,
    char **cause)
{
	struct answers	 a;
	const char	*r;
	size_t		 i;
	int		 rc = -1;

	if (answers_parse(text, len, file, &a, cause) != 0)
		goto out;
	if ((r = get(&a, "role", NULL)) == NULL) {
		*cause = xasprintf("%s: no role (nullclient, local, gateway "
		    "or smarthost)", file);
		goto out;
	}
	for (i = 0; i < nitems(roles); i++)
		if (strcmp(roles[i], r) == 0)
			break;
	if (i == nitems(roles)) {
		*cause = xasprintf("%s:%zu: unknown role \"%s\" (expected "
		    "nullclient, local, gateway or smarthost)", file,
		    line_of(&a, "role"), r);
		goto out;
	}
	*role = xstrdup(r);
	rc = 0;
out:
	answers_release(&a);
	return rc;
}

int
wizard_test_port(const char *text, size_t len, const char *file, int *port,
    char **cause)
{
	struct answers	 a;
	const char	*v;
	long long	 n;
	char		*why = NULL;
	int		 rc = -1;

	*port = 0;
	if (answers_parse(text, len, file, &a, cause) != 0)
		return -1;
	if ((v = get(&a, "test_port", NULL)) != NULL) {
		if (str_tonum(v, 1, 65535, &n, &why) != 0) {
			*cause = xasprintf("%s:%zu: test_port: \"%s\" is not "
			    "a port number (1 to 65535)", file,
			    line_of(&a, "test_port"), v);
			free(why);
			goto out;
		}
		*port = (int)n;
	}
	rc = 0;
out:
	answers_release(&a);
	return rc;
}

void
wizard_out_init(struct wizard_out *o)
{
	buf_init(&o->mc);
	buf_init(&o->local_host_names);
	buf_init(&o->access);
	buf_init(&o->mailertable);
	buf_init(&o->virtusertable);
	o->need_mailertable = o->need_virtusertable = 0;
	strv_init(&o->notes);
	o->def_port = o->def_addr = NULL;
}

void
wizard_out_release(struct wizard_out *o)
{
	buf_release(&o->mc);
	buf_release(&o->local_host_names);
	buf_release(&o->access);
	buf_release(&o->mailertable);
	buf_release(&o->virtusertable);
	strv_release(&o->notes);
}

static int
check_number(const struct answers *a, const char *file, const char *key,
    const char *def, long long min, char **cause)
{
	long long	 v;
	char		*why = NULL;

	if (str_tonum(get(a, key, def), min, 100000, &v, &why) != 0) {
		*cause = xasprintf("%s:%zu: %s: %s", file, line_of(a, key),
		    key, why);
		free(why);
		return -1;
	}
	return 0;
}

/* A plain DNS name: labels of letters, digits and -, joined by dots. */
static int
is_dns_name(const char *v)
{
	const char	*p;
	size_t		 label = 0;

	if (*v == '\0' || *v == '.' || *v == '-')
		return 0;
	for (p = v; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-')
			label++;
		else
			return 0;
	}
	return 1;
}

/* The role templates' daemon is Family=inet: an IPv4 address. */
static int
is_address(const char *v)
{
	unsigned char	a[16];

	return inet_pton(AF_INET, v, a) == 1;
}

static int
is_port(const char *v)
{
	long long	 n;
	char		*why = NULL;
	const char	*p;

	if (isdigit((unsigned char)*v)) {
		if (str_tonum(v, 1, 65535, &n, &why) != 0) {
			free(why);
			return 0;
		}
		return 1;
	}
	for (p = v; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-')
			return 0;
	return *v != '\0';
}

/*
 * Every answer that reaches the mc is checked for what it is before the
 * template is filled: a value is text that m4 reads again (mc-value.h).
 */
static int
check_answers(const struct answers *a, const char *file, char **cause)
{
	static const struct {
		const char	*key;
		enum mc_vtype	 type;
		int		 (*ok)(const char *);
		const char	*expect;
	} kinds[] = {
		{ "hostname", MCV_HOST, is_dns_name, "a host name" },
		{ "domain", MCV_HOST, is_dns_name, "a domain name" },
		{ "masquerade_as", MCV_HOST, is_dns_name, "a domain name" },
		{ "smart_host", MCV_HOST, NULL, NULL },
		{ "listen_addr", MCV_HOST, is_address,
		    "an IPv4 address (the role templates' daemon is "
		    "Family=inet)" },
		{ "smtp_port", MCV_WORD, is_port,
		    "a port number or service name" },
		{ "ostype", MCV_NAME, NULL, NULL },
		{ "def_user", MCV_USERGROUP, NULL, NULL },
		{ "run_as_user", MCV_USERGROUP, NULL, NULL },
	};
	struct strv	 words = STRV_INIT;
	const char	*k, *v;
	char		*why = NULL, *lists;
	size_t		 i, j;
	int		 r = 0;

	for (i = 0; r == 0 && i < a->n; i++) {
		k = a->v[i].key;
		v = a->v[i].value;
		if (*v == '\0')
			continue;
		if (str_startswith(k, "define.")) {
			if (mc_value_check_define(k + 7, &why) != 0 ||
			    mc_value_check(k + 7, v, NULL, &why) != 0)
				r = -1;
		}
		for (j = 0; r == 0 && j < nitems(kinds); j++) {
			if (strcmp(kinds[j].key, k) != 0)
				continue;
			if (mc_value_check_as(kinds[j].type, k, v, NULL,
			    &why) != 0)
				r = -1;
			else if (kinds[j].ok != NULL && !kinds[j].ok(v)) {
				why = xasprintf("%s: \"%s\" is not %s", k, v,
				    kinds[j].expect);
				r = -1;
			}
		}
		if (r == 0 && strcmp(k, "local_domains") == 0) {
			lists = xstrdup(v);
			commas_to_blanks(lists);
			strv_split_ws(&words, lists);
			free(lists);
			for (j = 0; r == 0 && j < words.n; j++) {
				if (!is_dns_name(words.v[j])) {
					why = xasprintf("%s: \"%s\" is not a "
					    "domain name", k, words.v[j]);
					r = -1;
				}
			}
			strv_release(&words);
		}
		if (r != 0) {
			*cause = xasprintf("%s:%zu: %s", file, a->v[i].line,
			    why);
			free(why);
		}
	}
	return r;
}

/*
 * One routing table (mailertable or virtusertable) from the answers named
 * key (and relay_to for the mailertable), built with the table API and
 * checked by its rules: an entry sendmail would reject names the answers'
 * FILE:LINE.
 */
static int
wizard_table(const struct answers *a, const char *file, const char *name,
    int needed, struct buf *out, char **cause)
{
	const struct table_def	*def = profile_table_def(name);
	struct table		*t;
	struct table_diags	 d;
	char			*line, *k, *v, *val, *why = NULL;
	size_t			 i, prev, nerrors = 0;
	int			 relay, rc = -1;

	buf_printf(out, "# %s (smadm wizard)\n", name);
	t = table_parse(def, name, out->data, out->len);
	for (i = 0; i < a->n; i++) {
		relay = strcmp(name, "mailertable") == 0 &&
		    strcmp(a->v[i].key, "relay_to") == 0;
		if (strcmp(a->v[i].key, name) != 0 && !relay)
			continue;
		if (!needed) {
			*cause = xasprintf("%s:%zu: %s: this role's mc has no "
			    "FEATURE(`%s')", file, a->v[i].line, a->v[i].key,
			    name);
			goto out;
		}
		line = xstrdup(a->v[i].value);
		k = line;
		v = k + strcspn(k, " \t");
		if (*v != '\0')
			*v++ = '\0';
		v = str_trim(v);
		if (*k == '\0' || *v == '\0') {
			*cause = xasprintf("%s:%zu: %s: expected \"%s\"", file,
			    a->v[i].line, a->v[i].key, relay ? "DOMAIN HOST" :
			    strcmp(name, "mailertable") == 0 ?
			    "DOMAIN MAILER:HOST" : "ADDRESS TARGET");
			free(line);
			goto out;
		}
		for (prev = 0; prev < i; prev++) {
			const char	*pk = a->v[prev].value;
			size_t		 kl = strcspn(pk, " \t");

			if (strcmp(a->v[prev].key, a->v[i].key) != 0 ||
			    kl != strlen(k) || strncasecmp(pk, k, kl) != 0)
				continue;
			for (pk += kl; *pk == ' ' || *pk == '\t'; pk++)
				;
			if (strcmp(pk, v) == 0)
				continue;
			*cause = xasprintf("%s:%zu: %s: %s given again with "
			    "another target (first at line %zu: \"%s\")",
			    file, a->v[i].line, a->v[i].key, k,
			    a->v[prev].line, pk);
			free(line);
			goto out;
		}
		if (relay) {
			if (*v == '[')
				v++;
			v[strcspn(v, "]")] = '\0';
			val = xasprintf("smtp:[%s]", v);
		} else
			val = xstrdup(v);
		if (table_set(t, k, val, &why) != 0) {
			*cause = xasprintf("%s:%zu: %s", file, a->v[i].line,
			    why);
			free(why);
			free(val);
			free(line);
			goto out;
		}
		free(val);
		free(line);
		table_diags_init(&d);
		table_check(t, &d);
		if (d.nerrors > nerrors) {
			size_t	j;

			for (j = 0; j < d.n; j++)
				if (d.v[j].severity == TABLE_ERROR)
					break;
			*cause = xasprintf("%s:%zu: %s: %s", file,
			    a->v[i].line, a->v[i].key, d.v[j].text);
			table_diags_release(&d);
			goto out;
		}
		nerrors = d.nerrors;
		table_diags_release(&d);
	}
	buf_reset(out);
	table_serialize(t, out);
	rc = 0;
out:
	table_free(t);
	return rc;
}

/* An IPv4 network: 1 to 4 numbers 0-255 joined by dots. */
static int
wizard_ipv4_net(const char *s)
{
	int	n = 0, digits, v;

	for (;;) {
		for (digits = 0, v = 0; isdigit((unsigned char)*s); s++) {
			v = v * 10 + (*s - '0');
			if (++digits > 3)
				return 0;
		}
		if (digits == 0 || v > 255 || ++n > 4)
			return 0;
		if (*s == '\0')
			return 1;
		if (*s++ != '.')
			return 0;
	}
}

/* An IPv6 address or prefix: groups of 1-4 hex digits joined by colons,
 * at most one "::", at most 8 groups, at least one colon. */
static int
wizard_ipv6_net(const char *s)
{
	const char	*p;
	int		 groups = 0, dbl = 0, digits;

	if (strchr(s, ':') == NULL || strstr(s, ":::") != NULL)
		return 0;
	if (s[0] == ':' && s[1] != ':')
		return 0;
	for (p = s; *p != '\0';) {
		if (*p == ':') {
			if (p[1] == ':') {
				if (dbl++)
					return 0;
				p += 2;
				continue;
			}
			if (p[1] == '\0')
				return 0;
			p++;
			continue;
		}
		for (digits = 0; isxdigit((unsigned char)*p); p++)
			if (++digits > 4)
				return 0;
		if (digits == 0 || ++groups > 8)
			return 0;
	}
	return groups > 0 && !(dbl && groups == 8);
}

/*
 * The access key (after "Connect:") for a relay_nets word, or NULL when
 * it is no network sendmail looks up: IPv4 as it is; IPv6, with or
 * without its "IPv6:" tag, gets the tag, as sendmail's ${client_addr}
 * has it ("IPv6:2001:db8::1") and proto.m4 looks it up.
 */
static char *
wizard_relay_key(const char *w)
{
	if (strncasecmp(w, "IPv6:", 5) == 0)
		return wizard_ipv6_net(w + 5) ? xasprintf("IPv6:%s", w + 5) :
		    NULL;
	if (wizard_ipv4_net(w))
		return xstrdup(w);
	if (wizard_ipv6_net(w))
		return xasprintf("IPv6:%s", w);
	return NULL;
}

/* Answers the role does not use: a note each, naming FILE:LINE. */
static void
wizard_note_unused(const struct answers *a, const char *file,
    const char *role, const char *tmpl, size_t tlen, struct wizard_out *o)
{
	static const struct {
		const char	*key;
		const char	*ph;	/* the placeholder that uses it */
	} uses[] = {
		{ "smart_host", "@SMART_HOST@" },
		{ "masquerade_as", "@MASQUERADE_AS@" },
		{ "def_user", "@DEF_USER@" },
		{ "run_as_user", "@RUN_AS_USER@" },
		{ "max_children", "@MAX_CHILDREN@" },
		{ "rate_throttle", "@RATE_THROTTLE@" },
	};
	size_t	i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < nitems(uses); j++)
			if (strcmp(a->v[i].key, uses[j].key) == 0)
				break;
		if (j < nitems(uses) && memmem(tmpl, tlen, uses[j].ph,
		    strlen(uses[j].ph)) != NULL)
			continue;
		if (j == nitems(uses) && (strcmp(a->v[i].key, "relay_nets") != 0 ||
		    strcmp(role, "nullclient") != 0))
			continue;
		strv_push_nocopy(&o->notes, xasprintf("%s:%zu: %s: role %s "
		    "does not use it: ignored", file, a->v[i].line,
		    a->v[i].key, role));
	}
}

int
wizard_build(const char *text, size_t len, const char *file,
    const char *tmpl, size_t tlen, const char *mail_dir,
    struct wizard_out *o, char **cause)
{
	struct answers	 a;
	struct buf	 extra = BUF_INIT;
	struct strv	 words = STRV_INIT;
	struct mc	*m;
	const char	*host, *domain, *role, *p, *e;
	char		*defdomain = NULL, *lists, *d, *net;
	const char	*keys[14], *vals[14];
	size_t		 i, j, nk = 0;
	int		 rc = -1;

	if (answers_parse(text, len, file, &a, cause) != 0)
		return -1;
	role = get(&a, "role", "");
	if ((host = get(&a, "hostname", NULL)) == NULL ||
	    strchr(host, '.') == NULL) {
		*cause = xasprintf("%s: hostname must be fully qualified "
		    "(host.example.org)", file);
		goto out;
	}
	defdomain = xstrdup(strchr(host, '.') + 1);
	domain = get(&a, "domain", defdomain);
	if ((strcmp(role, "nullclient") == 0 ||
	    strcmp(role, "smarthost") == 0) &&
	    get(&a, "smart_host", NULL) == NULL) {
		*cause = xasprintf("%s: role %s needs smart_host (e.g. "
		    "relay:[192.0.2.1])", file, role);
		goto out;
	}
	if (check_answers(&a, file, cause) != 0)
		goto out;
	/* A profile on loopback (a sandbox) keeps its daemon there. */
	for (i = 0; i < a.n; i++) {
		if (o->def_addr == NULL || !util_is_loopback(o->def_addr) ||
		    strcmp(a.v[i].key, "listen_addr") != 0 ||
		    *a.v[i].value == '\0' || util_is_loopback(a.v[i].value))
			continue;
		*cause = xasprintf("%s:%zu: listen_addr: \"%s\" is not a "
		    "loopback address, and the profile listens on %s only "
		    "(a sandbox shares the host's network): the daemon "
		    "stays on loopback", file, a.v[i].line, a.v[i].value,
		    o->def_addr);
		goto out;
	}
	if (check_number(&a, file, "log_level", "9", 9, cause) != 0 ||
	    check_number(&a, file, "max_children", "40", 1, cause) != 0 ||
	    check_number(&a, file, "rate_throttle", "10", 1, cause) != 0)
		goto out;
	for (i = 0; i < a.n; i++) {
		if (!str_startswith(a.v[i].key, "define."))
			continue;
		d = xasprintf("define(`%s'", a.v[i].key + 7);
		if (memmem(tmpl, tlen, d, strlen(d)) != NULL) {
			*cause = xasprintf("%s:%zu: %s: the role template sets "
			    "%s itself (from one of the wizard's own keys): a "
			    "second define would silently win over it", file,
			    a.v[i].line, a.v[i].key, a.v[i].key + 7);
			free(d);
			goto out;
		}
		free(d);
		buf_printf(&extra, "define(`%s', `%s')dnl\n",
		    a.v[i].key + 7, a.v[i].value);
	}
#define PH(k, v) do { keys[nk] = (k); vals[nk] = (v); nk++; } while (0)
	PH("HOSTNAME", host);
	PH("DOMAIN", domain);
	PH("OSTYPE", get(&a, "ostype", "debian"));
	PH("SMART_HOST", get(&a, "smart_host", ""));
	PH("MASQUERADE_AS", get(&a, "masquerade_as", domain));
	PH("LISTEN_ADDR", get(&a, "listen_addr", o->def_addr != NULL ?
	    o->def_addr : "127.0.0.1"));
	PH("SMTP_PORT", get(&a, "smtp_port", o->def_port != NULL ?
	    o->def_port : "smtp"));
	PH("MAIL_DIR", mail_dir);
	PH("DEF_USER", get(&a, "def_user", "mail:mail"));
	PH("RUN_AS_USER", get(&a, "run_as_user", "smmta:smmsp"));
	PH("MAX_CHILDREN", get(&a, "max_children", "40"));
	PH("RATE_THROTTLE", get(&a, "rate_throttle", "10"));
	PH("LOG_LEVEL", get(&a, "log_level", "9"));
	PH("EXTRA_DEFINES", extra.data);
#undef PH
	for (p = tmpl; p < tmpl + tlen; p++) {
		if (*p != '@' || (e = memchr(p + 1, '@',
		    (size_t)(tmpl + tlen - p - 1))) == NULL) {
			buf_addch(&o->mc, *p);
			continue;
		}
		for (j = 0; j < nk; j++)
			if (strlen(keys[j]) == (size_t)(e - p - 1) &&
			    memcmp(keys[j], p + 1, (size_t)(e - p - 1)) == 0)
				break;
		if (j == nk) {
			buf_addch(&o->mc, *p);
			continue;
		}
		buf_addstr(&o->mc, vals[j]);
		p = e;
	}
	wizard_note_unused(&a, file, role, tmpl, tlen, o);
	buf_printf(&o->local_host_names, "# local names (smadm wizard)\n"
	    "%s\n", host);
	if (strcmp(role, "nullclient") != 0 && strcmp(role, "smarthost") != 0)
		buf_printf(&o->local_host_names, "%s\n", domain);
	lists = xstrdup(get(&a, "local_domains", ""));
	commas_to_blanks(lists);
	strv_split_ws(&words, lists);
	free(lists);
	for (i = 0; i < words.n; i++)
		buf_printf(&o->local_host_names, "%s\n", words.v[i]);
	strv_release(&words);
	if (strcmp(role, "nullclient") != 0) {
		buf_addstr(&o->access, "# relaying (smadm wizard)\n"
		    "Connect:127.0.0.1\tRELAY\nConnect:localhost\tRELAY\n"
		    "Connect:IPv6:::1\tRELAY\n");
		lists = xstrdup(get(&a, "relay_nets", ""));
		commas_to_blanks(lists);
		strv_split_ws(&words, lists);
		free(lists);
		for (i = 0; i < words.n; i++) {
			if ((net = wizard_relay_key(words.v[i])) == NULL) {
				*cause = xasprintf("%s:%zu: relay_nets: \"%s\" "
				    "is not a network (IPv4: 1 to 4 numbers "
				    "0-255, as 192.0.2 or 192.0.2.1; IPv6: an "
				    "address or prefix, as 2001:db8 or ::1)",
				    file, line_of(&a, "relay_nets"),
				    words.v[i]);
				strv_release(&words);
				goto out;
			}
			d = xasprintf("Connect:%s\t", net);
			if (strstr(o->access.data, d) == NULL)
				buf_printf(&o->access, "%sRELAY\n", d);
			free(d);
			free(net);
		}
		strv_release(&words);
	}
	m = mc_parse("mc", o->mc.data, o->mc.len);
	o->need_mailertable = mc_find_feature(m, "mailertable") != NULL;
	o->need_virtusertable = mc_find_feature(m, "virtusertable") != NULL;
	mc_free(m);
	if (wizard_table(&a, file, "mailertable", o->need_mailertable,
	    &o->mailertable, cause) != 0 ||
	    wizard_table(&a, file, "virtusertable", o->need_virtusertable,
	    &o->virtusertable, cause) != 0)
		goto out;
	rc = 0;
out:
	free(defdomain);
	buf_release(&extra);
	answers_release(&a);
	return rc;
}

int
wizard_answer_check(const char *key, const char *value, char **cause)
{
	struct answers	 a;
	struct strv	 words = STRV_INIT;
	char		*text, *why = NULL, *lists, *net;
	size_t		 i;
	int		 rc = -1;

	text = xasprintf("%s = %s\n", key, value);
	if (answers_parse(text, strlen(text), "answer", &a, &why) != 0) {
		free(text);
		goto out;
	}
	free(text);
	if (check_answers(&a, "answer", &why) != 0)
		goto done;
	if (strcmp(key, "hostname") == 0 && strchr(value, '.') == NULL) {
		why = xstrdup("answer:1: hostname must be fully qualified "
		    "(host.example.org)");
		goto done;
	}
	if (strcmp(key, "relay_nets") == 0) {
		lists = xstrdup(value);
		commas_to_blanks(lists);
		strv_split_ws(&words, lists);
		free(lists);
		for (i = 0; why == NULL && i < words.n; i++) {
			if ((net = wizard_relay_key(words.v[i])) == NULL)
				why = xasprintf("answer:1: relay_nets: \"%s\" "
				    "is not a network (as 192.0.2 or "
				    "2001:db8)", words.v[i]);
			free(net);
		}
		strv_release(&words);
		if (why != NULL)
			goto done;
	}
	rc = 0;
done:
	answers_release(&a);
out:
	if (why != NULL) {
		*cause = xstrdup(strncmp(why, "answer:1: ", 10) == 0 ?
		    why + 10 : why);
		free(why);
	}
	return rc;
}

int
wizard_answer_line(const char *text, size_t len, const char *file,
    const char *key, size_t *line, char **cause)
{
	struct answers	a;

	if (answers_parse(text, len, file, &a, cause) != 0)
		return -1;
	*line = get(&a, key, NULL) != NULL ? line_of(&a, key) : 0;
	answers_release(&a);
	return 0;
}
