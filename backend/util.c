/*
 * util.c -- allocation wrappers, the string buffer and string vectors.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void	(*util_fatal_hook)(void);
char	  buf_empty[1];

void
util_fatal(const char *fmt, ...)
{
	va_list	ap;

	if (util_fatal_hook != NULL)
		util_fatal_hook();
	fputs("smadm: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		util_fatal("out of memory (%zu bytes)", n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if (n == 0 || sz == 0)
		n = sz = 1;
	if ((p = calloc(n, sz)) == NULL)
		util_fatal("out of memory (%zu x %zu bytes)", n, sz);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t sz)
{
	void	*p;

	if (sz != 0 && n > SIZE_MAX / sz)
		util_fatal("allocation overflow (%zu x %zu)", n, sz);
	if (n * sz == 0)
		n = sz = 1;
	if ((p = realloc(old, n * sz)) == NULL)
		util_fatal("out of memory (%zu x %zu bytes)", n, sz);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char	*s;

	if (vasprintf(&s, fmt, ap) == -1)
		util_fatal("out of memory (vasprintf)");
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = b->size = 0;
}

void
buf_release(struct buf *b)
{
	if (b->size != 0)
		free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t	 want;
	char	*p;

	if (extra > SIZE_MAX - b->len - 1)
		util_fatal("buffer overflow");
	want = b->len + extra + 1;
	if (want <= b->size)
		return;
	if (want < b->size * 2)
		want = b->size * 2;
	if (want < 64)
		want = 64;
	if (b->size == 0) {
		p = xmalloc(want);
		memcpy(p, b->data, b->len + 1);
	} else
		p = xreallocarray(b->data, 1, want);
	b->data = p;
	b->size = want;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addch(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->size ? b->size - b->len : 0, fmt,
	    ap2);
	va_end(ap2);
	if (n < 0)
		util_fatal("vsnprintf failed");
	if (b->size == 0 || (size_t)n >= b->size - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_detach(struct buf *b)
{
	char	*s;

	s = b->size == 0 ? xstrdup(b->data) : b->data;
	buf_init(b);
	return s;
}

void
buf_rtrim(struct buf *b)
{
	while (b->len > 0 && (b->data[b->len - 1] == ' ' ||
	    b->data[b->len - 1] == '\t' || b->data[b->len - 1] == '\n' ||
	    b->data[b->len - 1] == '\r'))
		b->len--;
	if (b->size != 0)
		b->data[b->len] = '\0';
}

void
strv_init(struct strv *sv)
{
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

void
strv_release(struct strv *sv)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	strv_init(sv);
}

void
strv_push_nocopy(struct strv *sv, char *s)
{
	if (sv->n + 2 > sv->alloc) {
		sv->alloc = sv->alloc ? sv->alloc * 2 : 8;
		sv->v = xreallocarray(sv->v, sv->alloc, sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
strv_push(struct strv *sv, const char *s)
{
	strv_push_nocopy(sv, xstrdup(s));
}

void
strv_pushf(struct strv *sv, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	strv_push_nocopy(sv, xvasprintf(fmt, ap));
	va_end(ap);
}

void
strv_extend(struct strv *sv, const struct strv *from)
{
	size_t	i;

	for (i = 0; i < from->n; i++)
		strv_push(sv, from->v[i]);
}

static int
strv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
strv_sort(struct strv *sv)
{
	if (sv->n > 1)
		xqsort(sv->v, sv->n, sizeof *sv->v, strv_cmp);
}

void
strv_split_ws(struct strv *sv, const char *s)
{
	const char	*start;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		start = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		strv_push_nocopy(sv, xstrndup(start, (size_t)(s - start)));
	}
}

void
strv_split_char(struct strv *sv, const char *s, int sep)
{
	const char	*end;
	char		*field;

	for (;;) {
		end = strchr(s, sep);
		if (end == NULL)
			end = s + strlen(s);
		field = xstrndup(s, (size_t)(end - s));
		strv_push_nocopy(sv, xstrdup(str_trim(field)));
		free(field);
		if (*end == '\0')
			break;
		s = end + 1;
	}
}

char *
strv_join(const struct strv *sv, const char *sep)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < sv->n; i++) {
		if (i != 0)
			buf_addstr(&b, sep);
		buf_addstr(&b, sv->v[i]);
	}
	return buf_detach(&b);
}

void
xqsort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

int
str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_endswith(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

char *
str_trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int
str_tonum(const char *s, long long min, long long max, long long *out,
    char **cause)
{
	char		*end;
	long long	 v;

	errno = 0;
	if (*s == '\0') {
		*cause = xstrdup("empty number");
		return -1;
	}
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno == ERANGE) {
		*cause = xasprintf("\"%s\" is not a number", s);
		return -1;
	}
	if (v < min || v > max) {
		*cause = xasprintf("%s is out of range (%lld to %lld)", s,
		    min, max);
		return -1;
	}
	*out = v;
	return 0;
}

char *
str_fmt_long(char *out, size_t size, long long n)
{
	char			 tmp[24];
	unsigned long long	 u;
	size_t			 i = sizeof tmp, len;

	u = n < 0 ? -(unsigned long long)n : (unsigned long long)n;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		tmp[--i] = '-';
	len = sizeof tmp - i;
	if (len >= size)
		len = size - 1;
	memcpy(out, tmp + i, len);
	out[len] = '\0';
	return out;
}

int
text_editable(const char *name, const char *data, size_t len, size_t maxline,
    char **cause)
{
	const char	*p = data, *end = data + len, *nl;
	size_t		 line = 1, n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (nl != NULL ? nl : end) - p;
		if (memchr(p, '\0', n) != NULL) {
			*cause = xasprintf("%s:%zu: a NUL byte: not a text "
			    "file, not edited", name, line);
			return -1;
		}
		if (n > maxline) {
			*cause = xasprintf("%s:%zu: a line of %zu bytes (at "
			    "most %zu expected): not edited", name, line, n,
			    maxline);
			return -1;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		line++;
	}
	return 0;
}

int
util_is_loopback(const char *addr)
{
	if (addr == NULL)
		return 0;
	if (strncasecmp(addr, "IPv6:", 5) == 0)
		addr += 5;
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	    strcasecmp(addr, "localhost") == 0 ||
	    strcmp(addr, "0:0:0:0:0:0:0:1") == 0;
}
