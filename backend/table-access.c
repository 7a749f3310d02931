/*
 * table-access.c -- the access map's rules (cf.README, "The access
 * database", and the features that add tags: greet_pause, ratecontrol,
 * conncontrol, compat_check, queuegroup, delay_checks, STARTTLS, authinfo,
 * tls_session_features, bcc).
 *
 * A key is "Tag:what" or an untagged "what" (deprecated, but still read
 * for Connect:, From: and To: lookups); the value rules depend on the tag.
 * Lookups try the longest host, domain or network first, tagged and
 * untagged, which is what the shadowing warnings follow.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "table-check.h"

enum akey {
	AK_HOST,	/* host, domain, IP network, [literal], or empty */
	AK_ADDR,	/* also user@domain and user@ */
	AK_IP,		/* IP address or network only */
	AK_COMPAT,	/* sender<@>recipient */
	AK_ANY		/* a certificate DN: anything */
};

enum aval {
	AV_ACTION,	/* OK RELAY REJECT DISCARD SKIP ERROR: QUARANTINE: */
	AV_SPAM,	/* FRIEND HATER */
	AV_COMPAT,	/* DISCARD TEMP: ERROR: */
	AV_NUMBER,
	AV_QGRP,
	AV_TRYTLS,
	AV_FEATURES,
	AV_TLSREQ,
	AV_TLSOPTS,
	AV_AUTHINFO,
	AV_CERTISSUER,
	AV_CERTSUBJECT,
	AV_ANY
};

struct atag {
	const char	*name;
	enum akey	 key;
	enum aval	 val;
	int		 empty;		/* "Tag:" alone is the default */
	int		 lookup;	/* also matches untagged keys */
};

static const struct atag atags[] = {
	{ "Connect", AK_HOST, AV_ACTION, 0, 1 },
	{ "From", AK_ADDR, AV_ACTION, 0, 1 },
	{ "To", AK_ADDR, AV_ACTION, 0, 1 },
	{ "Spam", AK_ADDR, AV_SPAM, 0, 0 },
	{ "Compat", AK_COMPAT, AV_COMPAT, 0, 0 },
	{ "GreetPause", AK_HOST, AV_NUMBER, 1, 0 },
	{ "ClientRate", AK_IP, AV_NUMBER, 1, 0 },
	{ "ClientConn", AK_IP, AV_NUMBER, 1, 0 },
	{ "QGRP", AK_ADDR, AV_QGRP, 0, 0 },
	{ "Try_TLS", AK_HOST, AV_TRYTLS, 1, 0 },
	{ "Srv_Features", AK_HOST, AV_FEATURES, 1, 0 },
	{ "Clt_Features", AK_HOST, AV_FEATURES, 1, 0 },
	{ "TLS_Srv_features", AK_HOST, AV_TLSOPTS, 1, 0 },
	{ "TLS_Clt_features", AK_HOST, AV_TLSOPTS, 1, 0 },
	{ "TLS_Srv", AK_HOST, AV_TLSREQ, 1, 0 },
	{ "TLS_Clt", AK_HOST, AV_TLSREQ, 1, 0 },
	{ "TLS_Rcpt", AK_ADDR, AV_TLSREQ, 1, 0 },
	{ "CERTISSUER", AK_ANY, AV_CERTISSUER, 0, 0 },
	{ "CERTSUBJECT", AK_ANY, AV_CERTSUBJECT, 0, 0 },
	{ "AuthInfo", AK_HOST, AV_AUTHINFO, 1, 0 },
	{ "bcc", AK_ADDR, AV_ANY, 0, 0 },
};

/* The untagged form: read by the Connect:, From: and To: lookups. */
static const struct atag atag_none = { "", AK_ADDR, AV_ACTION, 0, 1 };

/* A key split into its tag and what follows. */
struct akeyinfo {
	const struct atag	*tag;	/* NULL: unknown tag */
	const char		*tagname;
	size_t			 taglen;
	const char		*rest;
	size_t			 restlen;
	size_t			 entry;
	size_t			 vlen;	/* value without a CR */
};

#define ACTION_EXPECTED "expected OK, RELAY, REJECT, DISCARD, SKIP, " \
	"ERROR:..., QUARANTINE:..., or an SMTP code"

static size_t
access_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t	d[33][33], i, j, c;

	if (la > 32 || lb > 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			d[i][j] = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < d[i][j])
				d[i][j] = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < d[i][j])
				d[i][j] = d[i][j - 1] + 1;
		}
	}
	return d[la][lb];
}

static void
access_split(const struct table_entry *e, struct akeyinfo *ki)
{
	const char	*k = e->key, *colon;
	size_t		 klen = e->keylen, i, n;

	memset(ki, 0, sizeof *ki);
	ki->tag = &atag_none;
	ki->rest = k;
	ki->restlen = klen;
	if (tcheck_prefix(k, klen, "IPv6:") || (klen != 0 && k[0] == '['))
		return;
	if ((colon = memchr(k, ':', klen)) == NULL)
		return;
	n = colon - k;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '_' && k[i] != '-')
			return;
	if (n == 0)
		return;
	ki->tagname = k;
	ki->taglen = n;
	ki->rest = colon + 1;
	ki->restlen = klen - n - 1;
	ki->tag = NULL;
	for (i = 0; i < nitems(atags); i++) {
		if (tcheck_eq(k, n, atags[i].name)) {
			ki->tag = &atags[i];
			break;
		}
	}
}

/* Host part of a key: network, IPv6 prefix, literal, domain, .domain. */
static int
access_host(const char *s, size_t len, char **why)
{
	if (tcheck_numeric(s, len)) {
		if (!tcheck_ipv4(s, len, NULL)) {
			*why = xasprintf("bad IPv4 address or network \"%.*s\"",
			    (int)len, s);
			return 0;
		}
		return 1;
	}
	if (tcheck_prefix(s, len, "IPv6:")) {
		if (!tcheck_ipv6(s + 5, len - 5, NULL)) {
			*why = xasprintf("bad IPv6 address or network "
			    "\"%.*s\"", (int)len, s);
			return 0;
		}
		return 1;
	}
	if (len != 0 && s[0] == '[') {
		if (!tcheck_literal(s, len)) {
			*why = xasprintf("bad address literal \"%.*s\"",
			    (int)len, s);
			return 0;
		}
		return 1;
	}
	if (len > 1 && s[0] == '.') {
		s++;
		len--;
	}
	return tcheck_domain(s, len, why);
}

static void
access_key(const struct table *t, const struct table_entry *e,
    const struct akeyinfo *ki, struct table_diags *d)
{
	const struct atag	*tag = ki->tag;
	const char		*s = ki->rest, *at;
	size_t			 len = ki->restlen;
	char			*why = NULL;
	const char		*expect = "";

	if (len == 0) {
		if (!tag->empty && tag->key != AK_ANY && tag != &atag_none &&
		    strcmp(tag->name, "Connect") != 0)
			tcheck_diag(d, t, TABLE_WARNING, e->line, "\"%s:\" "
			    "without a key is never looked up", tag->name);
		return;
	}
	switch (tag->key) {
	case AK_ANY:
		return;
	case AK_COMPAT:
		if (len < 3 || memmem(s, len, "<@>", 3) == NULL)
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key "
			    "\"%.*s\" (expected Compat:sender<@>recipient)",
			    (int)e->keylen, e->key);
		return;
	case AK_IP:
		if (!tcheck_numeric(s, len) && !tcheck_prefix(s, len, "IPv6:")) {
			tcheck_diag(d, t, TABLE_WARNING, e->line, "%s: is "
			    "looked up by IP address only (expected an IPv4 "
			    "address or network, or IPv6:address)", tag->name);
			return;
		}
		expect = "an IP address or network";
		if (!access_host(s, len, &why))
			break;
		return;
	case AK_HOST:
		expect = "a host name, domain, IP network or IPv6:network";
		if (memchr(s, '@', len) != NULL) {
			why = xasprintf("\"%.*s\" is an address", (int)len, s);
			break;
		}
		if (!access_host(s, len, &why))
			break;
		return;
	case AK_ADDR:
		expect = "user@domain, user@, a domain or an IP network";
		if ((at = memrchr(s, '@', len)) == NULL) {
			if (!access_host(s, len, &why))
				break;
			return;
		}
		if (at == s) {
			why = xasprintf("no user before \"@\"");
			break;
		}
		if (!tcheck_localpart(s, at - s, &why))
			break;
		if (at + 1 == s + len)
			return;		/* user@ */
		if (!tcheck_address(s, len, &why))
			break;
		return;
	}
	tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key: %s (expected %s%s%s)",
	    why, tag == &atag_none ? "" : tag->name, tag == &atag_none ? "" :
	    ": followed by ", expect);
	free(why);
}

/* "ERROR:" values: [D.S.N:]["]CODE text["]. */
static void
access_error(const struct table *t, const struct table_entry *e,
    const char *v, size_t len, struct table_diags *d)
{
	const char	*p = v + 6, *end = v + len, *c;
	const char	*dsn = NULL;
	size_t		 dsnlen = 0;

	if ((c = memchr(p, ':', end - p)) != NULL && tcheck_dsn(p, c - p)) {
		dsn = p;
		dsnlen = c - p;
		p = c + 1;
	}
	if (p < end && *p == '"')
		p++;
	if (p == end) {
		tcheck_diag(d, t, TABLE_ERROR, e->line, "empty error message "
		    "(expected ERROR:CODE text or ERROR:D.S.N:CODE text)");
		return;
	}
	if (end - p >= 3 && isdigit((unsigned char)p[0]) &&
	    isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
		if (p[0] != '4' && p[0] != '5')
			tcheck_diag(d, t, TABLE_ERROR, e->line, "SMTP code "
			    "%.3s is not an error (expected 4xx or 5xx)", p);
		else if (dsn != NULL && dsn[0] != p[0])
			tcheck_diag(d, t, TABLE_WARNING, e->line, "status "
			    "%.*s does not match SMTP code %.3s", (int)dsnlen,
			    dsn, p);
		return;
	}
	if (dsn == NULL && tcheck_dsn(p, (c = memchr(p, ':', end - p)) ?
	    (size_t)(c - p) : (size_t)(end - p)))
		return;
	tcheck_diag(d, t, TABLE_WARNING, e->line, "error without an SMTP "
	    "code (expected ERROR:CODE text or ERROR:D.S.N:CODE text)");
}

/*
 * A whole value in double quotes is one token to the access rulesets: it
 * matches no action, so the catch-all rule rejects with it as the text
 * ("553 5.3.0 <addr>... ERROR:550 go away", seen from sendmail 8.17).  A
 * quoted ERROR: or REJECT still rejects, only with another reply: a
 * warning.  A quoted OK or RELAY rejects too: sendmail misreads it, an
 * error.  Returns
 * 1 when it said something, 0 to leave the value to the usual checks.
 */
static int
access_quoted(const struct table *t, const struct table_entry *e,
    const char *q, size_t qlen, struct table_diags *d)
{
	static const char *const actions[] = {
		"OK", "RELAY", "DISCARD", "SKIP", "QUARANTINE:"
	};
	size_t	 i, n;

	if (tcheck_prefix(q, qlen, "ERROR:") || tcheck_eq(q, qlen, "REJECT")) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "quoted value "
		    "\"%.*s\": sendmail still rejects, but takes it all as "
		    "the reply text (553 5.3.0 ... %.*s) and not its code "
		    "(expected it without the quotes)", (int)qlen + 2, q - 1,
		    (int)qlen, q);
		return 1;
	}
	for (i = 0; i < nitems(actions); i++) {
		n = strlen(actions[i]);
		if (actions[i][n - 1] == ':' ? !tcheck_prefix(q, qlen,
		    actions[i]) : !tcheck_eq(q, qlen, actions[i]))
			continue;
		tcheck_diag(d, t, TABLE_ERROR, e->line, "quoted value "
		    "\"%.*s\": sendmail rejects the mail with it as the text "
		    "instead of reading %.*s (expected it without the quotes)",
		    (int)qlen + 2, q - 1, (int)n, actions[i]);
		return 1;
	}
	return 0;
}

static void
access_action(const struct table *t, const struct table_entry *e,
    const struct akeyinfo *ki, const char *v, size_t len,
    struct table_diags *d)
{
	const char	*p;

	if (tcheck_eq(v, len, "OK") || tcheck_eq(v, len, "RELAY") ||
	    tcheck_eq(v, len, "REJECT") || tcheck_eq(v, len, "DISCARD"))
		return;
	if (tcheck_eq(v, len, "SKIP")) {
		if (memchr(ki->rest, '@', ki->restlen) != NULL)
			tcheck_diag(d, t, TABLE_WARNING, e->line, "SKIP works "
			    "only for host names, domains and networks, not "
			    "for addresses");
		return;
	}
	if (tcheck_prefix(v, len, "ERROR:")) {
		access_error(t, e, v, len, d);
		return;
	}
	/*
	 * "REJECT more words" matches no action rule either: the catch-all
	 * rejects with the whole value as the text (seen with sendmail -bt:
	 * "$# error $: REJECT extra").  Still a rejection: a warning.
	 */
	if (len > 6 && tcheck_prefix(v, len, "REJECT") &&
	    (v[6] == ' ' || v[6] == '\t')) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "\"%.*s\": sendmail "
		    "still rejects, but takes it all as the reply text "
		    "(553 5.3.0 ... %.*s) and not REJECT's 550 (expected "
		    "REJECT alone, or ERROR:550 text)", (int)len, v, (int)len,
		    v);
		return;
	}
	if (tcheck_prefix(v, len, "QUARANTINE:")) {
		if (len == 11)
			tcheck_diag(d, t, TABLE_ERROR, e->line, "QUARANTINE: "
			    "without a reason (expected QUARANTINE:text)");
		return;
	}
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"' &&
	    access_quoted(t, e, v + 1, len - 2, d))
		return;
	p = v;
	if (len > 0 && *p == '"')
		p++;
	if (v + len - p >= 3 && isdigit((unsigned char)p[0]) &&
	    isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
	    (v + len - p == 3 || p[3] == ' ' || p[3] == '\t' ||
	    p[3] == '"')) {
		if (p[0] != '4' && p[0] != '5')
			tcheck_diag(d, t, TABLE_ERROR, e->line, "SMTP code "
			    "%.3s is not an error (expected 4xx or 5xx)", p);
		return;
	}
	tcheck_diag(d, t, TABLE_ERROR, e->line, "unknown action \"%.*s\" (%s)",
	    (int)len, v, ACTION_EXPECTED);
}

/* [TEMP+|PERM+](VERIFY[:bits]|ENCR:bits)[+ext[++ext]...] */
static int
access_tlsreq(const char *v, size_t len)
{
	const char	*p = v, *end = v + len, *q;
	size_t		 n;

	if (tcheck_prefix(p, end - p, "TEMP+") ||
	    tcheck_prefix(p, end - p, "PERM+"))
		p += 5;
	for (q = p; q < end && *q != '+'; q++)
		;
	n = q - p;
	if (tcheck_eq(p, n, "VERIFY"))
		;
	else if ((tcheck_prefix(p, n, "VERIFY:") && n > 7 &&
	    strspn(p + 7, "0123456789") >= n - 7) ||
	    (tcheck_prefix(p, n, "ENCR:") && n > 5 &&
	    strspn(p + 5, "0123456789") >= n - 5))
		;
	else
		return 0;
	/* Extensions: "+" then items separated by "++". */
	p = q;
	while (p < end) {
		if (*p++ != '+')
			return 0;
		if (p < end && *p == '+')
			p++;
		for (q = p; q < end && *q != '+'; q++)
			;
		n = q - p;
		if (!tcheck_eq(p, n, "CN") && !(n > 3 &&
		    (tcheck_prefix(p, n, "CN:") || tcheck_prefix(p, n, "CS:") ||
		    tcheck_prefix(p, n, "CI:"))) &&
		    !(n > 6 && tcheck_prefix(p, n, "CITag:")))
			return 0;
		p = q;
	}
	return 1;
}

/* AuthInfo: "U:user" "I:user" "P:secret" "P=base64" "R:realm" "M:mechs" */
static void
access_authinfo(const struct table *t, const struct table_entry *e,
    const char *v, size_t len, struct table_diags *d)
{
	const char	*p = v, *end = v + len, *q;
	int		 seen_u = 0, seen_p = 0;

	while (p < end) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p != '"' || (q = memchr(p + 1, '"', end - p - 1)) == NULL ||
		    q - p < 3 || strchr("UIPRM", p[1]) == NULL ||
		    (p[2] != ':' && p[2] != '=')) {
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad AuthInfo "
			    "item at \"%.*s\" (expected quoted items like "
			    "\"U:user\" \"P:secret\", tags U I P R M)",
			    (int)(end - p), p);
			return;
		}
		if (p[1] == 'U' || p[1] == 'I')
			seen_u = 1;
		if (p[1] == 'P')
			seen_p = 1;
		p = q + 1;
	}
	if (!seen_u || !seen_p)
		tcheck_diag(d, t, TABLE_ERROR, e->line, "AuthInfo needs a user "
		    "(\"U:...\" or \"I:...\") and a password (\"P:...\")");
}

static void
access_value(const struct table *t, const struct table_entry *e,
    const struct akeyinfo *ki, struct table_diags *d)
{
	const char	*v = e->value, *p, *end;
	size_t		 len = ki->vlen, n;
	static const char *opts[] = { "Options", "CipherList", "CertFile",
	    "KeyFile", "Flags", NULL };
	int		 i;

	switch (ki->tag->val) {
	case AV_ACTION:
		access_action(t, e, ki, v, len, d);
		break;
	case AV_SPAM:
		if (!tcheck_eq(v, len, "FRIEND") && !tcheck_eq(v, len, "HATER"))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "unknown Spam: "
			    "value \"%.*s\" (expected FRIEND or HATER)",
			    (int)len, v);
		break;
	case AV_COMPAT:
		if (tcheck_eq(v, len, "DISCARD"))
			break;
		if ((tcheck_prefix(v, len, "TEMP:") && len > 5) ||
		    (tcheck_prefix(v, len, "ERROR:") && len > 6))
			break;
		tcheck_diag(d, t, TABLE_ERROR, e->line, "unknown Compat: value "
		    "\"%.*s\" (expected DISCARD, TEMP:CODE text or ERROR:CODE "
		    "text)", (int)len, v);
		break;
	case AV_NUMBER:
		if (len == 0 || strspn(v, "0123456789") < len || len > 9)
			tcheck_diag(d, t, TABLE_ERROR, e->line, "%s: value "
			    "\"%.*s\" is not a number (expected %s)",
			    ki->tag->name, (int)len, v,
			    strcmp(ki->tag->name, "GreetPause") == 0 ?
			    "milliseconds, 0 for none" :
			    "a count, 0 for no limit");
		break;
	case AV_QGRP:
		for (n = 0; n < len && (isalnum((unsigned char)v[n]) ||
		    v[n] == '_'); n++)
			;
		if (n != len || len == 0)
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad queue "
			    "group \"%.*s\" (expected the name of a queue "
			    "group)", (int)len, v);
		break;
	case AV_TRYTLS:
		if (!tcheck_eq(v, len, "NO") && !tcheck_eq(v, len, "YES"))
			tcheck_diag(d, t, TABLE_WARNING, e->line, "Try_TLS: "
			    "value \"%.*s\" (expected NO to turn STARTTLS "
			    "off)", (int)len, v);
		break;
	case AV_FEATURES:
		for (n = 0; n < len && (isalpha((unsigned char)v[n]) ||
		    v[n] == ' ' || v[n] == '\t'); n++)
			;
		if (n != len)
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad %s: value "
			    "\"%.*s\" (expected feature letters like V or "
			    "v)", ki->tag->name, (int)len, v);
		break;
	case AV_TLSREQ:
		if (!access_tlsreq(v, len))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad TLS "
			    "requirement \"%.*s\" (expected [TEMP+|PERM+]"
			    "VERIFY[:bits] or ENCR:bits, then +CN:name, "
			    "+CS:name, +CI:name, +CITag:tag)", (int)len, v);
		break;
	case AV_TLSOPTS:
		for (p = v, end = v + len; p < end; p++) {
			while (p < end && isspace((unsigned char)*p))
				p++;
			n = strcspn(p, ";");
			if (p + n > end)
				n = end - p;
			if (n == 0) {
				p += n;
				continue;
			}
			for (i = 0; opts[i] != NULL; i++)
				if (tcheck_prefix(p, n, opts[i]) &&
				    n > strlen(opts[i]) &&
				    p[strlen(opts[i])] == '=')
					break;
			if (opts[i] == NULL) {
				tcheck_diag(d, t, TABLE_ERROR, e->line, "bad "
				    "TLS option \"%.*s\" (expected Options=, "
				    "CipherList=, CertFile=, KeyFile= or "
				    "Flags=, separated by \";\")", (int)n, p);
				break;
			}
			p += n;
		}
		break;
	case AV_AUTHINFO:
		access_authinfo(t, e, v, len, d);
		break;
	case AV_CERTISSUER:
		if (!tcheck_eq(v, len, "RELAY") && !tcheck_eq(v, len, "SUBJECT"))
			tcheck_diag(d, t, TABLE_WARNING, e->line, "CERTISSUER: "
			    "value \"%.*s\" has no effect (expected RELAY or "
			    "SUBJECT)", (int)len, v);
		break;
	case AV_CERTSUBJECT:
		if (!tcheck_eq(v, len, "RELAY"))
			tcheck_diag(d, t, TABLE_WARNING, e->line, "CERTSUBJECT: "
			    "value \"%.*s\" has no effect (expected RELAY)",
			    (int)len, v);
		break;
	case AV_ANY:
		break;
	}
}

/* RELAY entries that open the server to much of the world. */
static void
access_open_relay(const struct table *t, const struct table_entry *e,
    const struct akeyinfo *ki, struct table_diags *d)
{
	const char	*s = ki->rest;
	size_t		 len = ki->restlen;
	int		 n;

	if (!ki->tag->lookup || !tcheck_eq(e->value, ki->vlen, "RELAY"))
		return;
	if (strcmp(ki->tag->name, "From") == 0) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "RELAY for an "
		    "envelope sender: anyone can forge From:%.*s to relay",
		    (int)len, s);
		return;
	}
	if (len == 0) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: "
		    "\"%s:\" with RELAY matches every %s", ki->tag->name,
		    strcmp(ki->tag->name, "To") == 0 ? "recipient" : "client");
		return;
	}
	if (s[len - 1] == '@') {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: "
		    "\"%.*s\" with RELAY relays for that user at any domain",
		    (int)e->keylen, e->key);
		return;
	}
	/* 127 is loopback, this host only: local submission needs it. */
	if (tcheck_numeric(s, len) && tcheck_ipv4(s, len, &n) && n == 1 &&
	    !tcheck_eq(s, len, "127")) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: RELAY "
		    "for the whole network %.*s.0.0.0/8", (int)len, s);
		return;
	}
	if (tcheck_prefix(s, len, "IPv6:") &&
	    tcheck_ipv6(s + 5, len - 5, &n) && n <= 2 &&
	    memmem(s + 5, len - 5, "::", 2) == NULL) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: RELAY "
		    "for the whole IPv6 network %.*s::/%d", (int)len - 5,
		    s + 5, n * 16);
		return;
	}
	/* sendmail -bt: these relay for every IPv6 or IPv4-mapped client. */
	if (tcheck_eq(s, len, "IPv6")) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: RELAY "
		    "for every IPv6 client");
		return;
	}
	if (tcheck_eq(s, len, "IPv6:::ffff")) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: RELAY "
		    "for every IPv4 client of a daemon that listens on IPv6 "
		    "(IPv4-mapped addresses, ::ffff:0:0/96)");
		return;
	}
	if (!tcheck_numeric(s, len) && s[0] != '[' &&
	    !tcheck_prefix(s, len, "IPv6:") &&
	    memchr(s + 1, '.', len - 1) == NULL &&
	    !tcheck_eq(s, len, "localhost")) {
		tcheck_diag(d, t, TABLE_WARNING, e->line, "open relay: RELAY "
		    "for every host under the top-level domain \"%.*s\"",
		    (int)len, s[0] == '.' ? s + 1 : s);
	}
}

/*
 * The keys by what follows their tag, for finding every key that a
 * shorter host, domain or network matches: chains of a hash table, each
 * in file order.  (Sorting a big access map took longer than checking it.)
 */
struct access_index {
	size_t	*head;		/* first key of each chain, or TABLE_NONE */
	size_t	*next;		/* next key in the chain, or TABLE_NONE */
	size_t	 mask;
};

static void
access_index_build(struct access_index *ix, const struct akeyinfo *ki,
    size_t n)
{
	size_t	i, b;

	for (ix->mask = 1; ix->mask < n * 2; ix->mask <<= 1)
		;
	ix->head = xreallocarray(NULL, ix->mask, sizeof *ix->head);
	for (i = 0; i < ix->mask; i++)
		ix->head[i] = TABLE_NONE;
	ix->mask--;
	ix->next = xreallocarray(NULL, n + 1, sizeof *ix->next);
	/* Pushed from the end, so each chain runs in file order. */
	for (i = n; i > 0; i--) {
		b = tcheck_hash(ki[i - 1].rest, ki[i - 1].restlen) & ix->mask;
		ix->next[i - 1] = ix->head[b];
		ix->head[b] = i - 1;
	}
}

static void
access_index_free(struct access_index *ix)
{
	free(ix->head);
	free(ix->next);
}

/* The first key whose rest is s, then access_index_next(); TABLE_NONE. */
static size_t
access_index_find(const struct access_index *ix, const struct akeyinfo *ki,
    size_t i, const char *s, size_t len)
{
	for (; i != TABLE_NONE; i = ix->next[i])
		if (tcheck_same(ki[i].rest, ki[i].restlen, s, len))
			return i;
	return TABLE_NONE;
}

static size_t
access_index_first(const struct access_index *ix, const struct akeyinfo *ki,
    const char *s, size_t len)
{
	return access_index_find(ix, ki,
	    ix->head[tcheck_hash(s, len) & ix->mask], s, len);
}

static size_t
access_index_next(const struct access_index *ix, const struct akeyinfo *ki,
    size_t i, const char *s, size_t len)
{
	return access_index_find(ix, ki, ix->next[i], s, len);
}

/* The next shorter key sendmail would try: drop an octet or a label. */
static int
access_parent(const char *s, size_t *len, int numeric)
{
	const char	*p;

	if (numeric) {
		p = memrchr(s, '.', *len);
		if (p == NULL)
			return 0;
		*len = p - s;
		return 1;
	}
	return 0;
}

static void
access_shadow_one(const struct table *t, const struct akeyinfo *ki,
    const struct akeyinfo *all, const struct access_index *ix,
    struct table_diags *d)
{
	const struct table_entry	*e = &t->entries[ki->entry], *pe;
	const struct akeyinfo		*pk;
	const char			*s = ki->rest, *dot;
	size_t				 len = ki->restlen, i;
	int				 numeric, found;

	numeric = tcheck_numeric(s, len);
	if (len == 0 || (!numeric && (s[0] == '.' || s[0] == '[' ||
	    memchr(s, ':', len) != NULL || memchr(s, '@', len) != NULL)))
		return;
	for (;;) {
		if (numeric) {
			if (!access_parent(s, &len, 1))
				return;
		} else {
			if ((dot = memchr(s, '.', len)) == NULL)
				return;
			len -= dot + 1 - s;
			s = dot + 1;
		}
		found = 0;
		for (i = access_index_first(ix, all, s, len); i != TABLE_NONE;
		    i = access_index_next(ix, all, i, s, len)) {
			pk = &all[i];
			if (pk->tag == NULL || !pk->tag->lookup)
				continue;
			pe = &t->entries[pk->entry];
			if (pk->tag == ki->tag) {
				found = 1;
				if (pk->vlen == ki->vlen && strncasecmp(
				    pe->value, e->value, ki->vlen) == 0)
					tcheck_diag(d, t, TABLE_WARNING,
					    e->line, "redundant: \"%.*s\" "
					    "(line %zu) already gives %.*s",
					    (int)pe->keylen, pe->key,
					    pe->line + 1, (int)pk->vlen,
					    pe->value);
			} else if ((pk->tag == &atag_none) !=
			    (ki->tag == &atag_none)) {
				found = 1;
				if (pk->vlen != ki->vlen || strncasecmp(
				    pe->value, e->value, ki->vlen) != 0)
					tcheck_diag(d, t, TABLE_WARNING,
					    e->line, "\"%.*s\" overrides "
					    "\"%.*s\" (line %zu) for %.*s%s: "
					    "sendmail tries the longer key "
					    "first, tagged or not",
					    (int)e->keylen, e->key,
					    (int)pe->keylen, pe->key,
					    pe->line + 1, (int)ki->restlen,
					    ki->rest, numeric ? ".*" : "");
			}
		}
		if (found)
			return;
	}
}

/* Collect the tags that "CITag:name" items in the file refer to. */
static void
access_citags(const struct table *t, struct strv *names)
{
	const struct table_entry	*e;
	const char			*p, *end;
	size_t				 i, n;

	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		end = e->value + e->valuelen;
		for (p = e->value; p < end; p += n) {
			p = memmem(p, end - p, "CITag:", 6);
			if (p == NULL)
				break;
			p += 6;
			for (n = 0; p + n < end && p[n] != '+' &&
			    !isspace((unsigned char)p[n]); n++)
				;
			strv_push_nocopy(names, xstrndup(p, n));
		}
	}
}

static int
access_citag(const struct strv *names, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < names->n; i++)
		if (tcheck_eq(name, len, names->v[i]))
			return 1;
	return 0;
}

void
tcheck_access(const struct table *t, struct table_diags *d)
{
	const struct table_entry	*e;
	struct akeyinfo			*ki;
	struct access_index		 ix;
	struct strv			 citags = STRV_INIT;
	size_t				 i, j, best, dist, n = 0;
	char				*why = NULL;
	int				 citags_read = 0;

	ki = xreallocarray(NULL, t->nentries + 1, sizeof *ki);
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		if (e->bad)
			continue;
		access_split(e, &ki[n]);
		ki[n].entry = i;
		ki[n].vlen = tcheck_vlen(t, e);
		if (ki[n].tag == NULL && !citags_read) {
			access_citags(t, &citags);
			citags_read = 1;
		}
		if (ki[n].tag == NULL &&
		    access_citag(&citags, ki[n].tagname, ki[n].taglen)) {
			n++;
			continue;
		}
		if (ki[n].tag == NULL) {
			best = nitems(atags);
			dist = 3;
			for (j = 0; j < nitems(atags); j++) {
				size_t dj = access_distance(ki[n].tagname,
				    ki[n].taglen, atags[j].name,
				    strlen(atags[j].name));
				if (dj < dist) {
					dist = dj;
					best = j;
				}
			}
			if (best < nitems(atags) && ki[n].taglen >= 3)
				tcheck_diag(d, t, TABLE_ERROR, e->line,
				    "unknown tag \"%.*s:\" (did you mean "
				    "\"%s:\"?)", (int)ki[n].taglen,
				    ki[n].tagname, atags[best].name);
			else
				tcheck_diag(d, t, TABLE_WARNING, e->line,
				    "unknown tag \"%.*s:\" (sendmail looks it "
				    "up only if a CITag names it)",
				    (int)ki[n].taglen, ki[n].tagname);
			n++;
			continue;
		}
		access_key(t, e, &ki[n], d);
		access_value(t, e, &ki[n], d);
		access_open_relay(t, e, &ki[n], d);
		n++;
	}
	free(why);
	strv_release(&citags);

	/* Keys that shadow or repeat shorter ones. */
	access_index_build(&ix, ki, n);
	for (i = 0; i < n; i++)
		if (ki[i].tag != NULL && ki[i].tag->lookup)
			access_shadow_one(t, &ki[i], ki, &ix, d);
	access_index_free(&ix);
	free(ki);
}
