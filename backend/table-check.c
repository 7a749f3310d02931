/*
 * table-check.c -- checking table sources before sendmail reads them.
 *
 * Every message names FILE:LINE and says what was expected.  Errors are
 * what makemap, sendmail -bi or sendmail's rules would reject or misread;
 * warnings are what they accept but probably not as meant (duplicates,
 * keys that shadow others, open relays).  The checks stay loose where
 * sendmail is loose: any well-formed domain is a domain, whatever its TLD.
 * The access map's rules are in table-access.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safe-text.h"
#include "table-check.h"

void
table_diags_init(struct table_diags *d)
{
	memset(d, 0, sizeof *d);
}

void
table_diags_release(struct table_diags *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	table_diags_init(d);
}

void
tcheck_diag(struct table_diags *d, const struct table *t,
    enum table_severity sev, size_t line, const char *fmt, ...)
{
	struct table_diag	*dg;
	va_list			 ap;
	char			*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (d->n == d->alloc) {
		d->alloc = d->alloc * 2 + 8;
		d->v = xreallocarray(d->v, d->alloc, sizeof *d->v);
	}
	dg = &d->v[d->n++];
	dg->severity = sev;
	dg->line = line == TABLE_NONE ? 0 : line + 1;
	if (line == TABLE_NONE)
		dg->text = xasprintf("%s: %s%s", t->file,
		    sev == TABLE_WARNING ? "warning: " : "", msg);
	else
		dg->text = xasprintf("%s:%zu: %s%s", t->file, line + 1,
		    sev == TABLE_WARNING ? "warning: " : "", msg);
	free(msg);
	if (sev == TABLE_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

int
tcheck_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

int
tcheck_prefix(const char *s, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static int
tcheck_why(char **why, const char *fmt, ...)
{
	va_list	ap;

	if (why != NULL) {
		va_start(ap, fmt);
		*why = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* A counted string for messages, made printable. */
static char *
tcheck_show(const char *s, size_t len)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < len && i < 200; i++) {
		if (s[i] == '\r')
			buf_addstr(&b, "\\r");
		else if (s[i] == '\t')
			buf_addstr(&b, "\\t");
		else if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			buf_printf(&b, "\\x%02x", (unsigned char)s[i]);
		else
			buf_addch(&b, s[i]);
	}
	if (i < len)
		buf_addstr(&b, "...");
	return buf_detach(&b);
}

int
tcheck_domain(const char *s, size_t len, char **why)
{
	size_t		 i, lab = 0;
	unsigned char	 c;
	unsigned int	 cp;
	int		 n;

	if (len == 0)
		return tcheck_why(why, "empty domain");
	if (len > 253)
		return tcheck_why(why, "domain longer than 253 bytes");
	for (i = 0; i <= len; i++) {
		c = i < len ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (lab == 0)
				return tcheck_why(why, "empty label in "
				    "domain \"%.*s\"", (int)len, s);
			if (lab > 63)
				return tcheck_why(why, "label longer than 63 "
				    "bytes in domain");
			if (s[i - 1] == '-' || s[i - lab] == '-')
				return tcheck_why(why, "label starts or ends "
				    "with \"-\" in domain \"%.*s\"", (int)len, s);
			lab = 0;
			continue;
		}
		if (c >= 0x80 && i < len) {
			n = utf8_decode(s + i, len - i, &cp);
			if (n <= 0)
				return tcheck_why(why, "byte \\x%02x in domain "
				    "\"%.*s\" is not UTF-8", c, (int)len, s);
			if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) ||
			    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
			    cp == 0x2029)
				return tcheck_why(why, "control character "
				    "U+%04X in domain \"%.*s\"", cp, (int)len,
				    s);
			lab += (size_t)n;
			i += (size_t)n - 1;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return tcheck_why(why, "\"%c\" is not allowed in "
			    "domain \"%.*s\"", c, (int)len, s);
		lab++;
	}
	return 1;
}

int
tcheck_numeric(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			return 0;
	return 1;
}

int
tcheck_ipv4(const char *s, size_t len, int *noctets)
{
	size_t	i = 0, d;
	int	n = 0, v;

	if (len == 0)
		return 0;
	for (;;) {
		v = 0;
		for (d = 0; i < len && isdigit((unsigned char)s[i]); i++, d++) {
			v = v * 10 + (s[i] - '0');
			if (d > 2)
				return 0;
		}
		if (d == 0 || v > 255)
			return 0;
		n++;
		if (i == len)
			break;
		if (s[i] != '.' || n == 4)
			return 0;
		i++;
	}
	if (noctets != NULL)
		*noctets = n;
	return 1;
}

int
tcheck_ipv6(const char *s, size_t len, int *ngroups)
{
	const char	*p = s, *end = s + len, *dbl, *q;
	size_t		 n;
	int		 groups = 0, v4;

	if (len == 0 || memmem(s, len, ":::", 3) != NULL)
		return 0;
	dbl = memmem(s, len, "::", 2);
	if (dbl != NULL && memmem(dbl + 1, end - dbl - 1, "::", 2) != NULL)
		return 0;
	/* A single leading or trailing colon is not allowed. */
	if ((s[0] == ':' && dbl != s) ||
	    (end[-1] == ':' && (dbl == NULL || dbl + 2 != end)))
		return 0;
	while (p < end) {
		if (*p == ':') {
			p++;
			continue;
		}
		q = memchr(p, ':', end - p);
		n = (q != NULL ? q : end) - p;
		if (q == NULL && memchr(p, '.', n) != NULL) {
			/* An embedded IPv4 address ends it. */
			if (!tcheck_ipv4(p, n, &v4) || v4 != 4)
				return 0;
			groups += 2;
			break;
		}
		if (n == 0 || n > 4 || strspn(p, "0123456789abcdefABCDEF") < n)
			return 0;
		groups++;
		p += n;
	}
	if (groups > 8 || (dbl != NULL && groups > 7))
		return 0;
	if (ngroups != NULL)
		*ngroups = groups;
	return 1;
}

int
tcheck_literal(const char *s, size_t len)
{
	if (len < 3 || s[0] != '[' || s[len - 1] != ']')
		return 0;
	s++;
	len -= 2;
	if (tcheck_prefix(s, len, "IPv6:"))
		return tcheck_ipv6(s + 5, len - 5, NULL);
	return tcheck_ipv4(s, len, NULL) || tcheck_domain(s, len, NULL);
}

int
tcheck_localpart(const char *s, size_t len, char **why)
{
	size_t		i;
	unsigned int	cp;
	int		n;

	if (len == 0)
		return tcheck_why(why, "empty user name");
	if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
		return 1;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80) {
			n = utf8_decode(s + i, len - i, &cp);
			if (n <= 0 || cp < 0xa0 || (cp >= 0x202a &&
			    cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
				return tcheck_why(why, "byte \\x%02x in user "
				    "name \"%.*s\" is not printable UTF-8",
				    (unsigned char)s[i], (int)len, s);
			i += (size_t)n - 1;
			continue;
		}
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f ||
		    strchr("()<>,;:\\\"[]@", s[i]) != NULL)
			return tcheck_why(why, "\"%c\" is not allowed in user "
			    "name \"%.*s\"", s[i], (int)len, s);
	}
	return 1;
}

int
tcheck_address(const char *s, size_t len, char **why)
{
	const char	*at;

	at = memrchr(s, '@', len);
	if (at == NULL)
		return tcheck_why(why, "\"%.*s\" has no \"@\"", (int)len, s);
	if (!tcheck_localpart(s, at - s, why))
		return 0;
	at++;
	len -= at - s;
	if (tcheck_literal(at, len))
		return 1;
	return tcheck_domain(at, len, why);
}

int
tcheck_dsn(const char *s, size_t len)
{
	size_t	i, d = 0;
	int	parts = 1;

	if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') ||
	    s[1] != '.')
		return 0;
	for (i = 2; i < len; i++) {
		if (s[i] == '.') {
			if (d == 0 || ++parts > 2)
				return 0;
			d = 0;
		} else if (isdigit((unsigned char)s[i])) {
			if (++d > 3)
				return 0;
		} else
			return 0;
	}
	return parts == 2 && d != 0;
}

/* The sysexits names the error mailer takes as its host part. */
static const char *tcheck_sysexits[] = {
	"usage", "dataerr", "noinput", "nouser", "nohost", "unavailable",
	"software", "oserr", "osfile", "cantcreat", "ioerr", "tempfail",
	"protocol", "noperm", "config", NULL
};

/* Does s start with an SMTP reply code (4xx or 5xx) and a blank or end? */
static int
tcheck_smtp_code(const char *s, size_t len)
{
	if (len < 3 || (s[0] != '4' && s[0] != '5') ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return 0;
	return len == 3 || s[3] == ' ' || s[3] == '\t';
}

int
tcheck_error_rhs(const char *s, size_t len, char **why)
{
	const char	*p, *end = s + len, *c;
	size_t		 i, n;

	if (!tcheck_prefix(s, len, "error:"))
		return tcheck_why(why, "expected error:...");
	p = s + 6;
	if ((c = memchr(p, ':', end - p)) != NULL && tcheck_dsn(p, c - p)) {
		if (!tcheck_smtp_code(c + 1, end - c - 1))
			return tcheck_why(why, "expected an SMTP code (4xx or "
			    "5xx) and text after \"%.*s\"", (int)(c + 1 - s),
			    s);
		if (c[1] != p[0])
			return tcheck_why(why, "status %.*s does not match "
			    "SMTP code %.3s", (int)(c - p), p, c + 1);
		return 1;
	}
	if (tcheck_smtp_code(p, end - p))
		return 1;
	for (n = 0; p + n < end && isalpha((unsigned char)p[n]); n++)
		;
	for (i = 0; n != 0 && tcheck_sysexits[i] != NULL; i++) {
		if (tcheck_eq(p, n, tcheck_sysexits[i]))
			return 1;
	}
	return tcheck_why(why, "bad error \"%.*s\" (expected error:CODE text, "
	    "error:D.S.N:CODE text or error:nouser text)", (int)len, s);
}

/* ASCII lower case, as makemap and sendmail -bi fold keys. */
static unsigned char
tcheck_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* What tcheck_same() compares: the bytes up to a NUL, and the length. */
uint32_t
tcheck_hash(const char *s, size_t len)
{
	uint32_t	h = 2166136261U;
	size_t		i;

	for (i = 0; i < len && s[i] != '\0'; i++) {
		h ^= tcheck_lower((unsigned char)s[i]);
		h *= 16777619U;
	}
	/* FNV's low bits are weak; the table indexes by them: mix. */
	h ^= (uint32_t)len;
	h ^= h >> 16;
	h *= 0x85ebca6bU;
	h ^= h >> 13;
	h *= 0xc2b2ae35U;
	h ^= h >> 16;
	return h;
}

int
tcheck_same(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		if (tcheck_lower((unsigned char)a[i]) !=
		    tcheck_lower((unsigned char)b[i]))
			return 0;
		if (a[i] == '\0')
			break;
	}
	return 1;
}

/* A slot of the duplicate finder: an entry's hash and index. */
struct tcheck_slot {
	uint32_t	hash;
	uint32_t	entry;		/* TCHECK_NOSLOT: empty */
};
#define TCHECK_NOSLOT	UINT32_MAX

/* A repeated key and the first entry with it. */
struct tcheck_dup {
	const struct table_entry	*e;
	const struct table_entry	*first;
};


/* Key order, then file order: how duplicates were always reported. */
static int
tcheck_dupcmp(const void *a, const void *b)
{
	const struct table_entry	*ea = ((const struct tcheck_dup *)a)->e;
	const struct table_entry	*eb = ((const struct tcheck_dup *)b)->e;
	size_t				 n;
	int				 r;

	n = ea->keylen < eb->keylen ? ea->keylen : eb->keylen;
	if ((r = strncasecmp(ea->key, eb->key, n)) != 0)
		return r;
	if (ea->keylen != eb->keylen)
		return ea->keylen < eb->keylen ? -1 : 1;
	return ea < eb ? -1 : (ea > eb);
}

/*
 * One pass with a hash table finds, for every entry, the first entry with
 * the same key (a million-line map is not sorted).  Only the duplicates,
 * usually few, are then sorted by key: the warnings come out in the order
 * they always had.  A bad first entry silences its key's duplicates.
 */
static void
tcheck_duplicates(const struct table *t, struct table_diags *d)
{
	const struct table_entry	*e, *first;
	struct tcheck_slot		*slots, *sl;
	struct tcheck_dup		*dups = NULL;
	size_t				 mask, i, h, n = 0;
	uint32_t			*hashes, hash;
	char				*k, *v, *fv;

	/* Indexes are 32 bits: 4 billion entries would not fit in memory. */
	if (t->nentries < 2 || t->nentries >= TCHECK_NOSLOT)
		return;
	for (mask = 1; mask < t->nentries * 2; mask <<= 1)
		;
	slots = xreallocarray(NULL, mask, sizeof *slots);
	for (h = 0; h < mask; h++)
		slots[h].entry = TCHECK_NOSLOT;
	mask--;
	hashes = xreallocarray(NULL, t->nentries, sizeof *hashes);
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		hashes[i] = tcheck_hash(e->key, e->keylen);
	}
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		hash = hashes[i];
#ifdef __GNUC__
		/*
		 * Slots are visited at random: ask for one a few entries
		 * ahead so the misses overlap (a third of the time here).
		 */
		if (i + 16 < t->nentries)
			__builtin_prefetch(&slots[hashes[i + 16] & mask]);
#endif
		for (h = hash & mask; slots[h].entry != TCHECK_NOSLOT;
		    h = (h + 1) & mask) {
			sl = &slots[h];
			if (sl->hash == hash && tcheck_same(e->key, e->keylen,
			    t->entries[sl->entry].key,
			    t->entries[sl->entry].keylen))
				break;
		}
		if (slots[h].entry == TCHECK_NOSLOT) {
			slots[h].hash = hash;
			slots[h].entry = (uint32_t)i;
			continue;
		}
		first = &t->entries[slots[h].entry];
		if (e->bad || first->bad)
			continue;
		if ((n & (n - 1)) == 0)
			dups = xreallocarray(dups, n == 0 ? 1 : n * 2,
			    sizeof *dups);
		dups[n].e = e;
		dups[n++].first = first;
	}
	free(hashes);
	free(slots);
	if (n > 1)
		xqsort(dups, n, sizeof *dups, tcheck_dupcmp);
	for (i = 0; i < n; i++) {
		e = dups[i].e;
		first = dups[i].first;
		k = tcheck_show(e->key, e->keylen);
		switch (t->def->kind) {
		case TABLE_MAP:
			/*
			 * makemap keeps the first record (-d stores both,
			 * and sendmail's lookup still finds the first).
			 */
			v = tcheck_show(e->value, tcheck_vlen(t, e));
			fv = tcheck_show(first->value, tcheck_vlen(t, first));
			tcheck_diag(d, t, TABLE_WARNING, e->line,
			    "duplicate key \"%s\": sendmail uses line %zu's "
			    "value \"%s\", never this \"%s\" (makemap keeps "
			    "the first)", k, first->line + 1, fv, v);
			free(v);
			free(fv);
			break;
		case TABLE_ALIASES:
			tcheck_diag(d, t, TABLE_WARNING, e->line,
			    "duplicate alias \"%s\" (also at line %zu; "
			    "sendmail -bi keeps the last)", k,
			    first->line + 1);
			break;
		case TABLE_CLASS:
			tcheck_diag(d, t, TABLE_WARNING, e->line,
			    "\"%s\" is listed twice (first at line %zu)", k,
			    first->line + 1);
			break;
		}
		free(k);
	}
	free(dups);
}

/* Lines the reader rejects, whatever the table. */
static void
tcheck_lines(const struct table *t, struct table_diags *d)
{
	const struct table_line		*l;
	const struct table_entry	*e;
	size_t				 i, ncrlf = 0;
	char				*k;
	int				 crlf = 0;

	for (i = 0; i < t->nlines; i++)
		if (t->lines[i].eol == TABLE_EOL_CRLF)
			ncrlf++;
	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		/*
		 * makemap 8.17 stores "VALUE\r" (it strips only the LF);
		 * sendmail's rules read the CR as a blank, so lookups work
		 * and the build matches makemap byte for byte.
		 */
		if (l->eol == TABLE_EOL_CRLF && !crlf &&
		    t->def->kind != TABLE_CLASS && l->entry != TABLE_NONE) {
			crlf = 1;
			if (t->def->kind == TABLE_MAP)
				tcheck_diag(d, t, TABLE_WARNING, i, "CRLF "
				    "(Windows) line ends on %zu of %zu lines, "
				    "from this one: makemap keeps each CR as the "
				    "last byte of the value, and so does smadm; "
				    "sendmail's rules read it as a blank, "
				    "programs reading the map see it (edits "
				    "keep the CRLF; expected LF line ends)",
				    ncrlf, t->nlines);
			else
				tcheck_diag(d, t, TABLE_WARNING, i, "CRLF "
				    "(Windows) line ends on %zu of %zu lines, "
				    "from this one: sendmail -bi keeps the CR "
				    "as the last byte of each value (expected "
				    "LF line ends)", ncrlf, t->nlines);
		}
		if (l->type != TABLE_LINE_BAD)
			continue;
		e = l->entry != TABLE_NONE ? &t->entries[l->entry] : NULL;
		if (t->def->kind == TABLE_MAP) {
			if (l->len + (l->eol == TABLE_EOL_CRLF) > 1022)
				tcheck_diag(d, t, TABLE_ERROR, i, "line too "
				    "long (makemap reads at most 1022 bytes)");
			else if (e == NULL && l->len == 0)
				tcheck_diag(d, t, TABLE_WARNING, i, "empty line "
				    "but for the CR of its CRLF line end: "
				    "makemap calls it a syntax error (leading "
				    "space) and skips it, as smadm does; "
				    "nothing is lost (expected LF line ends)");
			else if (e == NULL)
				tcheck_diag(d, t, TABLE_ERROR, i, "line starts "
				    "with a blank (expected KEY VALUE, a "
				    "\"#\" comment or an empty line)");
			else {
				k = tcheck_show(e->key, e->keylen);
				tcheck_diag(d, t, TABLE_ERROR, i, "no value "
				    "for key \"%s\" (expected KEY VALUE)", k);
				free(k);
			}
			continue;
		}
		/* Aliases. */
		if (e != NULL && e->valuelen == 0) {
			k = tcheck_show(e->key, e->keylen);
			tcheck_diag(d, t, TABLE_ERROR, i, "alias \"%s\" has no "
			    "targets (expected NAME: TARGET, ...)", k);
			free(k);
		} else if (e != NULL) {
			k = tcheck_show(e->key, e->keylen);
			tcheck_diag(d, t, TABLE_ERROR, i, "alias name \"%s\" "
			    "has a domain (expected a local name without "
			    "\"@\")", k);
			free(k);
		} else if (l->len != 0 && (l->text[0] == ' ' ||
		    l->text[0] == '\t'))
			tcheck_diag(d, t, TABLE_ERROR, i, "line starts with a "
			    "blank but continues no alias (sendmail ignores "
			    "it)");
		else
			tcheck_diag(d, t, TABLE_ERROR, i, "missing colon "
			    "(expected NAME: TARGET, ...)");
	}
}

static int
tcheck_percent(const char *s, size_t len, int maxdigit, char **why)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != '%')
			continue;
		if (i + 1 == len || s[i + 1] < '0' || s[i + 1] > '0' + maxdigit)
			return tcheck_why(why, "\"%%\" must be followed by "
			    "a digit 0-%d", maxdigit);
		i++;
	}
	return 1;
}

static int
tcheck_hasblank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (isspace((unsigned char)s[i]))
			return 1;
	return 0;
}

/*
 * Value as sendmail's rules read it: without the CR that makemap keeps
 * from a CRLF line and without trailing blanks (tcheck_trailing).
 */
size_t
tcheck_vlen(const struct table *t, const struct table_entry *e)
{
	size_t	len = e->valuelen;

	if (t->lines[e->line].eol == TABLE_EOL_CRLF && len != 0 &&
	    e->value[len - 1] == '\r')
		len--;
	while (len != 0 && (e->value[len - 1] == ' ' ||
	    e->value[len - 1] == '\t'))
		len--;
	return len;
}

/*
 * makemap stores blanks after a map's value, but the rules that use the
 * value (access, virtusertable, mailertable, genericstable, domaintable)
 * split it into tokens first, so sendmail acts as without them: a warning.
 */
static void
tcheck_trailing(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	size_t	 len = e->valuelen;
	char	*v;

	if (t->lines[e->line].eol == TABLE_EOL_CRLF && len != 0 &&
	    e->value[len - 1] == '\r')
		len--;
	if (tcheck_vlen(t, e) == len)
		return;
	v = tcheck_show(e->value, tcheck_vlen(t, e));
	tcheck_diag(d, t, TABLE_WARNING, e->line, "trailing blanks after the "
	    "value \"%s\" (makemap stores them, sendmail reads the value as "
	    "without them; expected none)", v);
	free(v);
}

/* The mailers a stock cf defines (MAILER(local), smtp, procmail...). */
static const char *tcheck_mailers[] = {
	"local", "prog", "smtp", "esmtp", "smtp8", "dsmtp", "relay",
	"error", "discard", "procmail", "lmtp", "cyrus", "cyrusv2", "uucp",
	"uucp-old", "uucp-new", "uucp-dom", "uucp-uudom", "usenet", "fax",
	"mail11", "phquery", "pop", "qpage", "*file*", "*include*", NULL
};

static void
tcheck_mailertable(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	const char	*k = e->key, *v = e->value, *colon, *h, *end;
	size_t		 klen = e->keylen, vlen = tcheck_vlen(t, e), i, n;
	char		*why = NULL;

	if (!(klen == 1 && k[0] == '.') && !tcheck_literal(k, klen)) {
		if (klen > 1 && k[0] == '.') {
			k++;
			klen--;
		}
		if (memchr(k, '@', klen) != NULL)
			tcheck_diag(d, t, TABLE_ERROR, e->line, "key \"%.*s\" "
			    "is an address (expected a domain, .domain or "
			    "\".\")", (int)e->keylen, e->key);
		else if (!tcheck_domain(k, klen, &why))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key: %s "
			    "(expected a domain, .domain or \".\")", why);
		free(why);
		why = NULL;
	}
	if ((colon = memchr(v, ':', vlen)) == NULL) {
		tcheck_diag(d, t, TABLE_ERROR, e->line, "value \"%.*s\" has no "
		    "mailer (expected MAILER:HOST, e.g. esmtp:[10.0.0.1])",
		    (int)vlen, v);
		return;
	}
	n = colon - v;
	for (i = 0; tcheck_mailers[i] != NULL; i++)
		if (tcheck_eq(v, n, tcheck_mailers[i]))
			break;
	if (n == 0)
		tcheck_diag(d, t, TABLE_ERROR, e->line, "empty mailer name "
		    "(expected MAILER:HOST)");
	else if (tcheck_eq(v, n, "error")) {
		if (!tcheck_error_rhs(v, vlen, &why))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "%s", why);
		free(why);
		return;
	} else if (tcheck_mailers[i] == NULL)
		tcheck_diag(d, t, TABLE_WARNING, e->line, "mailer \"%.*s\" is "
		    "not one of sendmail's usual mailers (it must be defined "
		    "with MAILER() in the mc)", (int)n, v);
	h = colon + 1;
	end = v + vlen;
	if (tcheck_hasblank(h, end - h)) {
		tcheck_diag(d, t, TABLE_ERROR, e->line, "blank in host \"%.*s\" "
		    "(expected MAILER:HOST without blanks)", (int)(end - h), h);
		return;
	}
	if (tcheck_eq(v, n, "local") || tcheck_eq(v, n, "discard") ||
	    tcheck_eq(v, n, "procmail") || tcheck_eq(v, n, "prog"))
		return;
	if (h == end) {
		tcheck_diag(d, t, TABLE_ERROR, e->line, "no host after \"%.*s\" "
		    "(expected MAILER:HOST)", (int)(n + 1), v);
		return;
	}
	if (!tcheck_percent(h, end - h, 9, &why)) {
		tcheck_diag(d, t, TABLE_ERROR, e->line, "%s", why);
		free(why);
		return;
	}
	/* Hosts separated by ":" are tried in turn. */
	while (h < end) {
		colon = h;
		if (*h == '[') {
			colon = memchr(h, ']', end - h);
			colon = colon == NULL ? end : colon + 1;
		}
		colon = memchr(colon, ':', end - colon);
		if (colon == NULL)
			colon = end;
		n = colon - h;
		if (n != 0 && h[0] == '[') {
			if (!tcheck_literal(h, n) && memchr(h, '%', n) == NULL)
				tcheck_diag(d, t, TABLE_ERROR, e->line, "bad "
				    "host \"%.*s\" (expected [IP address], "
				    "[IPv6:address] or [host name])", (int)n, h);
		} else if (memchr(h, '%', n) == NULL &&
		    !tcheck_domain(h, n, &why)) {
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad host: %s "
			    "(expected a host name or [address])", why);
			free(why);
			why = NULL;
		}
		h = colon + (colon < end);
	}
}

/* virtusertable and genericstable targets: user, user@domain, %n. */
static int
tcheck_target(const char *v, size_t vlen, int maxpct, char **why)
{
	const char	*at;

	if (tcheck_hasblank(v, vlen))
		return tcheck_why(why, "blank in \"%.*s\" (expected one "
		    "address)", (int)vlen, v);
	if (!tcheck_percent(v, vlen, maxpct, why))
		return 0;
	if ((at = memrchr(v, '@', vlen)) == NULL)
		return 1;
	if (at == v)
		return tcheck_why(why, "no user before \"@\" in \"%.*s\"",
		    (int)vlen, v);
	if (memchr(at + 1, '%', v + vlen - at - 1) != NULL)
		return 1;
	if (tcheck_literal(at + 1, v + vlen - at - 1))
		return 1;
	return tcheck_domain(at + 1, v + vlen - at - 1, why);
}

static void
tcheck_virtuser(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	const char	*k = e->key, *at;
	size_t		 klen = e->keylen, vlen = tcheck_vlen(t, e);
	char		*why = NULL;

	/*
	 * makemap stores any key, but sendmail's rules look up only
	 * user@domain and @domain: a key without "@" is dead, not harmful.
	 */
	if ((at = memrchr(k, '@', klen)) == NULL)
		tcheck_diag(d, t, TABLE_WARNING, e->line, "never looked up: "
		    "key \"%.*s\" has no domain (sendmail looks up only "
		    "user@domain and @domain)", (int)klen, k);
	else if (!tcheck_domain(at + 1, k + klen - at - 1, &why))
		tcheck_diag(d, t, TABLE_WARNING, e->line, "never looked up: "
		    "bad domain in key: %s (sendmail looks up only "
		    "user@domain and @domain)", why);
	else if (at != k && !tcheck_localpart(k, at - k, &why))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key: %s (expected "
		    "user@domain or @domain)", why);
	free(why);
	why = NULL;
	if (tcheck_prefix(e->value, vlen, "error:")) {
		if (!tcheck_error_rhs(e->value, vlen, &why))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "%s", why);
	} else if (!tcheck_target(e->value, vlen, 3, &why))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad value: %s",
		    why);
	free(why);
}

static void
tcheck_generics(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	const char	*k = e->key, *at;
	size_t		 klen = e->keylen, vlen = tcheck_vlen(t, e);
	char		*why = NULL;

	if ((at = memrchr(k, '@', klen)) != NULL) {
		if (!tcheck_domain(at + 1, k + klen - at - 1, &why) ||
		    (at != k && !tcheck_localpart(k, at - k, &why)))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key: %s "
			    "(expected user, user@domain or @domain)", why);
	} else if (!tcheck_localpart(k, klen, &why))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key: %s "
		    "(expected user, user@domain or @domain)", why);
	free(why);
	why = NULL;
	if (!tcheck_target(e->value, vlen, 9, &why))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad value: %s", why);
	free(why);
}

static void
tcheck_domaintable(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	size_t	vlen = tcheck_vlen(t, e);
	char	*why = NULL;

	if (!tcheck_domain(e->key, e->keylen, &why))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad key: %s "
		    "(expected a domain)", why);
	free(why);
	why = NULL;
	if (!tcheck_percent(e->value, vlen, 9, &why) ||
	    (memchr(e->value, '%', vlen) == NULL &&
	    !tcheck_domain(e->value, vlen, &why)))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad value: %s "
		    "(expected a domain)", why);
	free(why);
}

/* One alias target; sets *why and returns 0 when it is wrong. */
static int
tcheck_alias_target(const char *s, size_t len, char **why)
{
	const char	*p;

	if (len == 0)
		return tcheck_why(why, "empty target between commas");
	if (s[0] == '"' && len >= 2 && s[1] == '|') {
		if (s[len - 1] != '"')
			return tcheck_why(why, "unterminated quote in %.*s",
			    (int)len, s);
		if (len == 3)
			return tcheck_why(why, "empty program in %.*s",
			    (int)len, s);
		return 1;
	}
	if (s[0] == '|')
		return len > 1 ? 1 : tcheck_why(why, "empty program after "
		    "\"|\"");
	if (s[0] == '/')
		return 1;
	if (tcheck_prefix(s, len, ":include:")) {
		p = s + 9;
		while (p < s + len && isblank((unsigned char)*p))
			p++;
		if (p == s + len)
			return tcheck_why(why, ":include: without a file");
		if (*p != '/')
			return tcheck_why(why, ":include: file \"%.*s\" is not "
			    "an absolute path", (int)(s + len - p), p);
		return 1;
	}
	if (s[0] == '<' && s[len - 1] == '>') {
		s++;
		len -= 2;
	}
	/* "\\user": deliver to the local user, no further aliasing. */
	if (s[0] == '\\' && len > 1 && memchr(s, '@', len) == NULL)
		return tcheck_localpart(s + 1, len - 1, why);
	if (memchr(s, '@', len) != NULL)
		return tcheck_address(s, len, why);
	return tcheck_localpart(s, len, why);
}

/*
 * Alias names sendmail -bi refuses or stores as something else (seen with
 * sendmail 8.17.1.9): "%" and "!" route elsewhere ("cannot alias non-local
 * names"), "," is an "Invalid route address", a stray "<" or ">" is
 * "Unbalanced", "(...)" is a comment it drops, an open quote is
 * "Unbalanced '\"'", and a colon even in quotes ends the name for the
 * value ("\"a:b\": x" has the value "b\": x").  Quoted words are taken
 * as they are otherwise.
 */
static void
tcheck_alias_name(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	const char	*s = e->dbkey != NULL ? e->dbkey : e->key;
	size_t		 i, n = e->dbkey != NULL ? e->dbkeylen : e->keylen;
	const char	*why = NULL;
	int		 inq = 0;

	for (i = 0; i < n && why == NULL; i++) {
		if (s[i] == ':')
			why = "holds a quoted \":\" (sendmail -bi starts the "
			    "value after the first colon, quoted or not)";
		else if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (s[i] == '%' || s[i] == '!')
			why = "routes to another host (sendmail -bi: cannot "
			    "alias non-local names)";
		else if (s[i] == ',')
			why = "holds a \",\" (sendmail -bi: invalid route "
			    "address)";
		else if (s[i] == '<' || s[i] == '>')
			why = "holds a stray \"<\" or \">\" (sendmail -bi: "
			    "unbalanced)";
		else if (s[i] == '(' || s[i] == ')')
			why = "holds \"(\" or \")\" (sendmail drops a comment "
			    "in parentheses from the name)";
	}
	if (why == NULL && inq)
		why = "has an unterminated quote";
	if (why != NULL)
		tcheck_diag(d, t, TABLE_ERROR, e->line, "alias name \"%.*s\" "
		    "%s", (int)e->keylen, e->key, why);
}

static void
tcheck_alias(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	const char	*v = e->value, *end, *p, *q;
	size_t		 n;
	int		 inq;
	char		*why = NULL, *show;

	tcheck_alias_name(t, e, d);
	if (e->dbkey != NULL && memchr(e->key, '"', e->keylen) == NULL) {
		show = tcheck_show(e->dbkey, e->dbkeylen);
		tcheck_diag(d, t, TABLE_WARNING, e->line, "alias name \"%.*s\" "
		    "is stored as \"%s\"", (int)e->keylen, e->key, show);
		free(show);
	}
	end = v + e->valuelen;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	/* Targets are separated by commas outside quotes. */
	for (p = v; p <= end; p = q + 1) {
		inq = 0;
		for (q = p; q < end; q++) {
			if (*q == '\\' && q + 1 < end)
				q++;
			else if (*q == '"')
				inq = !inq;
			else if (*q == ',' && !inq)
				break;
		}
		if (inq) {
			tcheck_diag(d, t, TABLE_ERROR, e->line, "unterminated "
			    "quote in targets of \"%.*s\"", (int)e->keylen,
			    e->key);
			return;
		}
		while (p < q && isspace((unsigned char)*p))
			p++;
		n = q - p;
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0 && q == end && p != v)
			break;	/* trailing comma */
		if (!tcheck_alias_target(p, n, &why)) {
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad target of "
			    "\"%.*s\": %s (expected user, user@domain, "
			    "\"|program\", /file or :include:/file)",
			    (int)e->keylen, e->key, why);
			free(why);
			why = NULL;
		}
	}
}

static void
tcheck_class(const struct table *t, const struct table_entry *e,
    struct table_diags *d)
{
	const char	*k = e->key;
	size_t		 klen = e->keylen;
	char		*why = NULL;

	if (strcmp(t->def->name, "trusted_users") == 0) {
		if (!tcheck_localpart(k, klen, &why))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad user: %s "
			    "(expected a user name)", why);
		free(why);
		return;
	}
	/* relay-domains may also list IP addresses and networks. */
	if (tcheck_numeric(k, klen)) {
		if (!tcheck_ipv4(k, klen, NULL))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad IPv4 "
			    "address or network \"%.*s\"", (int)klen, k);
		return;
	}
	if (tcheck_literal(k, klen))
		return;
	if (tcheck_prefix(k, klen, "IPv6:")) {
		if (!tcheck_ipv6(k + 5, klen - 5, NULL))
			tcheck_diag(d, t, TABLE_ERROR, e->line, "bad IPv6 "
			    "address \"%.*s\"", (int)klen, k);
		return;
	}
	if (!tcheck_domain(k, klen, &why))
		tcheck_diag(d, t, TABLE_ERROR, e->line, "bad host name: %s "
		    "(expected a domain or an address)", why);
	free(why);
}

/* Diagnostics sort by line; arrival breaks ties (qsort is not stable). */
struct tcheck_sorted {
	struct table_diag	d;
	size_t			seq;
};

static int
tcheck_diagcmp(const void *a, const void *b)
{
	const struct tcheck_sorted	*sa = a, *sb = b;

	if (sa->d.line != sb->d.line)
		return sa->d.line < sb->d.line ? -1 : 1;
	return sa->seq < sb->seq ? -1 : (sa->seq > sb->seq);
}

void
table_check(const struct table *t, struct table_diags *d)
{
	const struct table_entry	*e;
	struct table_diags		 local;
	struct tcheck_sorted		*sorted;
	size_t				 i;

	table_diags_init(&local);
	tcheck_lines(t, &local);
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		if (e->bad)
			continue;
		switch (t->def->kind) {
		case TABLE_MAP:
			tcheck_trailing(t, e, &local);
			if (strcmp(t->def->name, "mailertable") == 0)
				tcheck_mailertable(t, e, &local);
			else if (strcmp(t->def->name, "virtusertable") == 0)
				tcheck_virtuser(t, e, &local);
			else if (strcmp(t->def->name, "genericstable") == 0)
				tcheck_generics(t, e, &local);
			else if (strcmp(t->def->name, "domaintable") == 0)
				tcheck_domaintable(t, e, &local);
			break;
		case TABLE_ALIASES:
			tcheck_alias(t, e, &local);
			break;
		case TABLE_CLASS:
			tcheck_class(t, e, &local);
			break;
		}
	}
	if (strcmp(t->def->name, "access") == 0)
		tcheck_access(t, &local);
	tcheck_duplicates(t, &local);

	sorted = xreallocarray(NULL, local.n + 1, sizeof *sorted);
	for (i = 0; i < local.n; i++) {
		sorted[i].d = local.v[i];
		sorted[i].seq = i;
	}
	xqsort(sorted, local.n, sizeof *sorted, tcheck_diagcmp);
	if (d->n + local.n >= d->alloc) {
		d->alloc = d->n + local.n + 1;
		d->v = xreallocarray(d->v, d->alloc, sizeof *d->v);
	}
	for (i = 0; i < local.n; i++)
		d->v[d->n++] = sorted[i].d;
	free(sorted);
	d->nerrors += local.nerrors;
	d->nwarnings += local.nwarnings;
	free(local.v);
}
