/*
 * mapdb-text.c -- a minimal reader for makemap and aliases text, so the
 * map commands and tests have pairs to build until the table parser
 * (backend/table.h) takes its place.  It follows what the real tools do
 * with a line, as measured:
 *
 *	makemap		"#" at line start is a comment, empty lines are
 *			skipped, the key ends at the first blank, the value
 *			starts after the blanks and keeps everything else
 *			(trailing blanks, a CR); leading blanks are an error
 *	sendmail -bi	"name: value"; blanks after the colon are skipped;
 *			a line starting with a blank continues the value and
 *			is appended as it is; "\" at the end of a line joins
 *			the next line without the backslash and newline
 */
#include <string.h>

#include "mapdb.h"

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next line of text: [*start, *end), without the newline. */
static int
next_line(const char **p, const char *end, const char **start,
    const char **lend)
{
	const char	*nl;

	if (*p >= end)
		return 0;
	*start = *p;
	if ((nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL)
		nl = end;
	*lend = nl;
	*p = nl < end ? nl + 1 : end;
	return 1;
}

static void
read_map(const char *text, size_t len, const char *file,
    struct map_pairs *out, struct strv *errors)
{
	const char	*p = text, *end = text + len, *s, *e, *k, *v;
	size_t		 line = 0;

	while (next_line(&p, end, &s, &e)) {
		line++;
		if (s == e || *s == '#')
			continue;
		if (is_blank((unsigned char)*s)) {
			strv_pushf(errors, "%s:%zu: line starts with a blank "
			    "(expected KEY VALUE)", file, line);
			continue;
		}
		for (k = s; k < e && !is_blank((unsigned char)*k); k++)
			;
		for (v = k; v < e && is_blank((unsigned char)*v); v++)
			;
		if (v == e) {
			strv_pushf(errors, "%s:%zu: no value for key \"%.*s\"",
			    file, line, (int)(k - s), s);
			continue;
		}
		map_pairs_add(out, s, (size_t)(k - s), v, (size_t)(e - v),
		    line);
	}
}

static int
alias_name_ok(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (strchr("@()<>\",;\\ \t[]", s[i]) != NULL)
			return 0;
	return len != 0;
}

/*
 * Aliases values are joined from several lines, so pairs point into a
 * copy (kept in out->store), never longer than the text.
 */
static void
read_aliases(const char *text, size_t len, const char *file,
    struct map_pairs *out, struct strv *errors)
{
	const char	*p = text, *end = text + len, *s, *e, *colon, *n0;
	char		*store, *dst, *key, *val;
	size_t		 line = 0, first;
	int		 more;

	store = xmalloc(len + 1);
	dst = store;
	while (next_line(&p, end, &s, &e)) {
		line++;
		if (s == e || *s == '#')
			continue;
		if (*s == ' ' || *s == '\t') {
			strv_pushf(errors, "%s:%zu: line starts with a blank "
			    "but continues no alias", file, line);
			continue;
		}
		first = line;
		if ((colon = memchr(s, ':', (size_t)(e - s))) == NULL) {
			strv_pushf(errors, "%s:%zu: missing colon (expected "
			    "NAME: VALUE)", file, line);
			continue;
		}
		for (n0 = s; n0 < colon && is_blank((unsigned char)*n0); n0++)
			;
		key = dst;
		while (colon > n0 && is_blank((unsigned char)colon[-1]))
			colon--;
		memcpy(dst, n0, (size_t)(colon - n0));
		dst += colon - n0;
		if (!alias_name_ok(key, (size_t)(dst - key))) {
			strv_pushf(errors, "%s:%zu: alias name \"%.*s\" is not "
			    "a plain local name", file, line,
			    (int)(dst - key), key);
			dst = key;
			continue;
		}
		val = dst;
		s = (const char *)memchr(s, ':', (size_t)(e - s)) + 1;
		while (s < e && is_blank((unsigned char)*s))
			s++;
		for (;;) {
			more = 0;
			if (e > s && e[-1] == '\\') {
				memcpy(dst, s, (size_t)(e - s - 1));
				dst += e - s - 1;
				more = 1;
			} else {
				memcpy(dst, s, (size_t)(e - s));
				dst += e - s;
				if (p < end && (*p == ' ' || *p == '\t'))
					more = 1;
			}
			if (!more || !next_line(&p, end, &s, &e))
				break;
			line++;
		}
		for (s = val; s < dst && is_blank((unsigned char)*s); s++)
			;
		if (s == dst) {
			strv_pushf(errors, "%s:%zu: missing value for alias "
			    "\"%.*s\"", file, first, (int)(val - key), key);
			dst = key;
			continue;
		}
		map_pairs_add(out, key, (size_t)(val - key), val,
		    (size_t)(dst - val), first);
	}
	strv_push_nocopy(&out->store, store);
}

size_t
mapdb_pairs_from_text(const char *text, size_t len, enum mapdb_kind kind,
    const char *file, struct map_pairs *out, struct strv *errors)
{
	size_t	before = errors->n;

	if (kind == MAPDB_ALIASES)
		read_aliases(text, len, file, out, errors);
	else
		read_map(text, len, file, out, errors);
	return errors->n - before;
}
