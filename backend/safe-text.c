/*
 * safe-text.c -- escaping outside bytes for the terminal (safe-text.h).
 *
 * Like OpenBSD's strnvis(3) with VIS_SAFE, but UTF-8 aware: valid
 * printable sequences are kept whole, everything a terminal could take as
 * a control becomes a visible escape.
 */
#include <stdio.h>
#include <string.h>

#include "safe-text.h"

int
utf8_decode(const char *s, size_t len, unsigned int *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 c, lo = 0x80, hi = 0xbf;
	size_t			 n, i;

	if (len == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
		c &= 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (i >= len)
			return -1;
		if (p[i] < lo || p[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		c = (c << 6) | (p[i] & 0x3f);
	}
	*cp = c;
	return (int)n;
}

/* Is code point cp (from a valid multi-byte sequence) to be escaped? */
static int
safe_text_hidden(unsigned int cp)
{
	if (cp <= 0x9f)			/* C1 */
		return 1;
	if (cp >= 0x202a && cp <= 0x202e)	/* bidi embeddings, overrides */
		return 1;
	if (cp >= 0x2066 && cp <= 0x2069)	/* bidi isolates */
		return 1;
	return 0;
}

static void
safe_text_byte(struct buf *out, unsigned char c)
{
	static const char	hex[] = "0123456789abcdef";
	char			e[4];

	switch (c) {
	case '\n':
		buf_add(out, "\\n", 2);
		return;
	case '\t':
		buf_add(out, "\\t", 2);
		return;
	case '\r':
		buf_add(out, "\\r", 2);
		return;
	}
	e[0] = '\\';
	e[1] = 'x';
	e[2] = hex[c >> 4];
	e[3] = hex[c & 0xf];
	buf_add(out, e, 4);
}

/* The loop of both entry points; part: stop before a cut sequence. */
static size_t
safe_text_run(struct buf *out, const char *s, size_t len, int flags,
    int part)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run;
	unsigned int		 cp;
	char			 u[8];
	int			 n;

	buf_grow(out, len);
	while (i < len) {
		/* Printable ASCII is copied a run at a time. */
		for (run = i; i < len && p[i] >= 0x20 && p[i] < 0x7f; i++)
			;
		buf_add(out, s + run, i - run);
		if (i == len)
			break;
		if (p[i] < 0x80) {
			if ((p[i] == '\n' && (flags & SAFE_TEXT_LF)) ||
			    (p[i] == '\t' && (flags & SAFE_TEXT_TAB)))
				buf_addch(out, p[i]);
			else
				safe_text_byte(out, p[i]);
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == -1 && part)
			break;
		if (n <= 0) {
			safe_text_byte(out, p[i]);
			i++;
		} else if (safe_text_hidden(cp)) {
			snprintf(u, sizeof u, "\\u%04x", cp);
			buf_addstr(out, u);
			i += (size_t)n;
		} else {
			buf_add(out, s + i, (size_t)n);
			i += (size_t)n;
		}
	}
	return i;
}

void
safe_text_add(struct buf *out, const char *s, size_t len, int flags)
{
	safe_text_run(out, s, len, flags, 0);
}

size_t
safe_text_add_part(struct buf *out, const char *s, size_t len, int flags)
{
	return safe_text_run(out, s, len, flags, 1);
}

char *
safe_text(const char *s, int flags)
{
	struct buf	b = BUF_INIT;

	if (s != NULL)
		safe_text_add(&b, s, strlen(s), flags);
	return buf_detach(&b);
}

void
safe_json_add(struct buf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run;
	unsigned int		 cp;
	char			 u[8];
	int			 n;

	buf_grow(out, len + 2);
	buf_addch(out, '"');
	while (i < len) {
		for (run = i; i < len && p[i] >= 0x20 && p[i] < 0x7f &&
		    p[i] != '"' && p[i] != '\\'; i++)
			;
		buf_add(out, s + run, i - run);
		if (i == len)
			break;
		n = 1;
		cp = p[i];
		if (p[i] >= 0x80 && (n = utf8_decode(s + i, len - i, &cp)) <= 0)
			n = 1;
		if (cp == '"' || cp == '\\') {
			buf_addch(out, '\\');
			buf_addch(out, (int)cp);
		} else if (cp == '\n')
			buf_add(out, "\\n", 2);
		else if (cp == '\t')
			buf_add(out, "\\t", 2);
		else if (cp == '\r')
			buf_add(out, "\\r", 2);
		else if (cp < 0x20 || cp == 0x7f || n == 1 ||
		    safe_text_hidden(cp)) {
			snprintf(u, sizeof u, "\\u%04x", cp);
			buf_addstr(out, u);
		} else
			buf_add(out, s + i, (size_t)n);
		i += (size_t)n;
	}
	buf_addch(out, '"');
}
