/*
 * remote-proto.c -- building and parsing the frames smadm and the smadm
 * on a remote host exchange (see remote-proto.h).
 *
 * The parsers read numbers digit by digit between two known bounds (no
 * strtoll: the bytes are not a C string, and glibc's would measure all
 * that follows), refuse any number above what the caller may accept, and
 * only then add it to anything.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "remote-proto.h"
#include "shquote.h"

/*
 * A decimal number at *q, before end: digits, a '-' first only when min
 * is negative.  Must lie within [min, max]; *q is left after it.
 */
static int
rp_number(const char **q, const char *end, long long min, long long max,
    long long *out)
{
	const char		*p = *q;
	unsigned long long	 v = 0, lim;
	int			 neg = 0, digits = 0;

	if (p < end && *p == '-' && min < 0) {
		neg = 1;
		p++;
	}
	lim = neg ? (unsigned long long)-(min + 1) + 1 :
	    (unsigned long long)max;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (++digits > 19)
			return -1;
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > lim)
			return -1;
	}
	if (digits == 0)
		return -1;
	if (neg)
		*out = v == 0 ? 0 : -(long long)(v - 1) - 1;
	else
		*out = (long long)v;
	if (*out < min || *out > max)
		return -1;
	*q = p;
	return 0;
}

/*
 * The line at the start of p: 1 with *nl at its '\n', 0 when it has not
 * all come yet, -1 when it is longer than a line may be.
 */
static int
rp_line(const char *p, size_t len, const char **nl)
{
	size_t	n = len < RP_LINE_MAX ? len : RP_LINE_MAX;

	if ((*nl = memchr(p, '\n', n)) != NULL)
		return 1;
	return len < RP_LINE_MAX ? 0 : -1;
}

int
rp_answer_parse(const char *p, size_t len, size_t max, const char *what,
    struct rp_answer *a, char **cause)
{
	const char	*nl, *q;
	long long	 n;
	size_t		 hdr;
	int		 r;

	memset(a, 0, sizeof *a);
	if (len == 0)
		return 0;
	if ((r = rp_line(p, len, &nl)) <= 0) {
		if (r < 0)
			goto garbled;
		return 0;
	}
	hdr = (size_t)(nl + 1 - p);
	a->tag = p[0];
	if (hdr > 2 && p[1] != ' ')
		goto garbled;
	a->text = hdr > 2 ? p + 2 : nl;
	a->textlen = (size_t)(nl - a->text);
	switch (a->tag) {
	case RP_OK:
		if (hdr != 2)
			goto garbled;
		break;
	case RP_STAT:
	case RP_ERROR:
		if (hdr < 3)
			goto garbled;
		break;
	case RP_DATA:
	case RP_LIST:
		q = p + 2;
		if (hdr < 4 || rp_number(&q, nl, 0, LLONG_MAX, &n) != 0 ||
		    q != nl)
			goto garbled;
		if ((unsigned long long)n > max) {
			*cause = xasprintf("%s: the remote smadm answered with "
			    "%lld bytes, more than the %zu asked for", what, n,
			    max);
			return -1;
		}
		/* hdr <= RP_LINE_MAX and n <= max: the sum cannot wrap. */
		if (len - hdr < (size_t)n)
			return 0;
		a->data = nl + 1;
		a->len = (size_t)n;
		a->text = NULL;
		a->textlen = 0;
		hdr += (size_t)n;
		break;
	default:
		goto garbled;
	}
	a->used = hdr;
	return 1;
garbled:
	*cause = xasprintf("%s: garbled answer from the remote smadm", what);
	return -1;
}

int
rp_dir_frame_parse(const char *p, size_t len, size_t max, const char *what,
    struct rp_dir_frame *f, char **cause)
{
	const char	*nl, *q;
	long long	 v[5];
	size_t		 hdr;
	int		 i, r;

	memset(f, 0, sizeof *f);
	if (len == 0)
		return 0;
	if ((r = rp_line(p, len, &nl)) <= 0) {
		if (r < 0)
			goto garbled;
		return 0;
	}
	hdr = (size_t)(nl + 1 - p);
	f->tag = p[0];
	switch (f->tag) {
	case RP_FILE:
		q = p + 1;
		for (i = 0; i < 5; i++) {
			if (q >= nl || *q++ != ' ' || rp_number(&q, nl,
			    i == 3 ? -1 : 0, i == 0 ? RP_NAME_MAX : i == 1 ?
			    LLONG_MAX : i == 3 ? LLONG_MAX : 1, &v[i]) != 0)
				goto garbled;
		}
		if (q != nl || v[0] == 0)
			goto garbled;
		if ((unsigned long long)v[1] > max) {
			*cause = xasprintf("%s: the remote smadm sent a file "
			    "of %lld bytes, more than the %zu asked for", what,
			    v[1], max);
			return -1;
		}
		/* Each part is bounded: the sum cannot wrap. */
		if (len - hdr < (size_t)v[0] + (size_t)v[1])
			return 0;
		f->name = nl + 1;
		f->namelen = (size_t)v[0];
		if (memchr(f->name, '\0', f->namelen) != NULL ||
		    memchr(f->name, '/', f->namelen) != NULL ||
		    (f->namelen <= 2 && memcmp(f->name, "..", f->namelen) ==
		    0))
			goto garbled;
		f->data = f->name + f->namelen;
		f->len = (size_t)v[1];
		f->truncated = v[2] != 0;
		f->sibling_size = v[3];
		f->locked = v[4] != 0;
		hdr += (size_t)v[0] + (size_t)v[1];
		break;
	case RP_BATCH:
		q = p + 2;
		if (hdr < 4 || p[1] != ' ' || rp_number(&q, nl, 0,
		    RP_BATCH_MAX, &v[0]) != 0 || q != nl)
			goto garbled;
		f->count = (int)v[0];
		break;
	case RP_ERROR:
		if (hdr < 3 || p[1] != ' ')
			goto garbled;
		f->data = p + 2;
		f->len = (size_t)(nl - f->data);
		break;
	case RP_END:
		if (hdr != 2)
			goto garbled;
		break;
	default:
		goto garbled;
	}
	f->used = hdr;
	return 1;
garbled:
	*cause = xasprintf("%s: garbled answer from the remote smadm", what);
	return -1;
}

int
rp_stat_parse(const char *p, size_t len, struct tstat *st)
{
	static const long long	 lim[9][2] = {
		{ 0, TS_OTHER }, { 0, 07777 }, { 0, UINT_MAX }, { 0, UINT_MAX },
		{ 0, LLONG_MAX }, { LLONG_MIN, LLONG_MAX },
		{ 0, 999999999 }, { 0, LLONG_MAX }, { 0, LLONG_MAX }
	};
	const char		*q = p, *end = p + len;
	long long		 v[9];
	int			 i;

	for (i = 0; i < 9; i++) {
		if (i > 0 && (q >= end || *q++ != ' '))
			return -1;
		/* The mode is octal: digits 0-7 only, read here. */
		if (i == 1) {
			v[1] = 0;
			if (q >= end || *q < '0' || *q > '7')
				return -1;
			while (q < end && *q >= '0' && *q <= '7') {
				v[1] = v[1] * 8 + (*q++ - '0');
				if (v[1] > lim[1][1])
					return -1;
			}
			continue;
		}
		if (rp_number(&q, end, lim[i][0], lim[i][1], &v[i]) != 0)
			return -1;
	}
	if (q != end)
		return -1;
	memset(st, 0, sizeof *st);
	st->type = (enum tstat_type)v[0];
	st->mode = (mode_t)v[1];
	st->uid = (uid_t)v[2];
	st->gid = (gid_t)v[3];
	st->size = (off_t)v[4];
	st->mtime = (time_t)v[5];
	st->mtime_nsec = (long)v[6];
	st->dev = (dev_t)v[7];
	st->ino = (ino_t)v[8];
	return 0;
}

void
rp_request_format(struct buf *b, const char *const *argv)
{
	struct buf	req = BUF_INIT;

	sh_quote_argv(&req, argv);
	buf_printf(b, "%zu\n", req.len);
	buf_add(b, req.data, req.len);
	buf_release(&req);
}

void
rp_data_format(struct buf *b, char tag, const void *data, size_t len)
{
	buf_printf(b, "%c %zu\n", tag, len);
	buf_add(b, data, len);
}

void
rp_stat_format(struct buf *b, const struct tstat *st)
{
	buf_printf(b, "%c %d %o %lu %lu %lld %lld %ld %llu %llu\n", RP_STAT,
	    (int)st->type, (unsigned int)st->mode, (unsigned long)st->uid,
	    (unsigned long)st->gid, (long long)st->size,
	    (long long)st->mtime, st->mtime_nsec,
	    (unsigned long long)st->dev, (unsigned long long)st->ino);
}

void
rp_ok_format(struct buf *b)
{
	buf_printf(b, "%c\n", RP_OK);
}

/* One line, cut to fit RP_LINE_MAX; an empty message is still one. */
void
rp_error_format(struct buf *b, const char *msg)
{
	size_t	i, n = strlen(msg);

	if (n > RP_LINE_MAX - 4)
		n = RP_LINE_MAX - 4;
	buf_printf(b, "%c ", RP_ERROR);
	for (i = 0; i < n; i++)
		buf_addch(b, msg[i] == '\n' || msg[i] == '\0' ? ' ' : msg[i]);
	if (n == 0)
		buf_addch(b, '?');
	buf_addch(b, '\n');
}

void
rp_dir_file_format(struct buf *b, const struct tdir_file *f)
{
	buf_printf(b, "%c %zu %zu %d %lld %d\n", RP_FILE, strlen(f->name),
	    f->len, f->truncated, (long long)f->sibling_size, f->locked);
	buf_addstr(b, f->name);
	buf_add(b, f->data, f->len);
}

void
rp_dir_batch_format(struct buf *b, int n)
{
	buf_printf(b, "%c %d\n", RP_BATCH, n);
}

void
rp_dir_end_format(struct buf *b)
{
	buf_printf(b, "%c\n", RP_END);
}

long long
rp_request_length(const char *line, char **cause)
{
	const char	*q = line, *end = line + strlen(line);
	long long	 n;

	while (end > q && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (rp_number(&q, end, 1, RP_REQUEST_MAX, &n) != 0 || q != end) {
		*cause = xasprintf("remote serve: bad request length \"%.*s\" "
		    "(expected 1 to %d)", (int)(end - line), line,
		    RP_REQUEST_MAX);
		return -1;
	}
	return n;
}
