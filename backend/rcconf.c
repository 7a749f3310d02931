/*
 * rcconf.c -- read one variable from a file of shell assignments (see
 * rcconf.h).
 */
#include <string.h>

#include "rcconf.h"
#include "util.h"

/* The value that starts at p (before e), unquoted, appended to out. */
static void
rcconf_value(const char *p, const char *e, int whole, struct buf *out)
{
	char	q;

	if (whole && p < e && *p != '"' && *p != '\'') {
		/* OpenBSD's rc reads the rest of the line, blanks and all. */
		while (p < e && *p != '#')
			buf_add(out, p++, 1);
		while (out->len > 0 && (out->data[out->len - 1] == ' ' ||
		    out->data[out->len - 1] == '\t'))
			buf_truncate(out, out->len - 1);
		return;
	}

	while (p < e && *p != ' ' && *p != '\t' && *p != '#') {
		if (*p != '"' && *p != '\'') {
			buf_add(out, p++, 1);
			continue;
		}
		q = *p++;
		while (p < e && *p != q) {
			if (q == '"' && *p == '\\' && p + 1 < e)
				p++;
			buf_add(out, p++, 1);
		}
		if (p < e)
			p++;	/* the closing quote */
	}
}

char *
rcconf_get(const char *text, size_t len, const char *name, int whole)
{
	struct buf	 v = BUF_INIT;
	const char	*p = text, *e = text + len, *nl, *s;
	size_t		 n = strlen(name);
	int		 found = 0;

	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			nl = e;
		s = p;
		p = nl < e ? nl + 1 : e;
		while (s < nl && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(nl - s) <= n || memcmp(s, name, n) != 0 ||
		    s[n] != '=')
			continue;
		buf_reset(&v);
		/* A CR of a CR LF file is not part of the value. */
		rcconf_value(s + n + 1, nl > s && nl[-1] == '\r' ? nl - 1 :
		    nl, whole, &v);
		found = 1;
	}
	if (!found) {
		buf_release(&v);
		return NULL;
	}
	return buf_detach(&v);
}
