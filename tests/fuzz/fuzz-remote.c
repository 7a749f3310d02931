/*
 * fuzz-remote.c -- libFuzzer harness for the client-side parsers of the
 * remote protocol (backend/remote-proto.h): serve's answers and the
 * pieces of a followed file (rp_answer_parse, rp_stat_parse) and the
 * frames of a directory read (rp_dir_frame_parse).
 *
 * The first input byte picks the parser and the most it may accept, the
 * rest is what a hostile host sent, parsed frame after frame as the SSH
 * transport does.  Every frame reported must lie inside the input and
 * respect the limit; an incomplete one must be within what the parser
 * may ask to wait for.  Each frame found is then written again with the
 * format functions and must parse back to the same.
 *
 *	make fuzz && tests/fuzz/fuzz-remote -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/remote-proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const size_t	fr_limits[] = { 0, 1, 100, 4096, 1 << 20,
			    RP_READ_MAX };

static void
fr_inside(const char *p, size_t len, const char *q, size_t qlen)
{
	if (qlen > 0 && (q < p || q > p + len || qlen > (size_t)(p + len - q)))
		abort();
}

static void
fr_answer(const char *p, size_t len, size_t max)
{
	struct rp_answer	 a, b;
	struct tstat		 st, st2;
	struct buf		 again = BUF_INIT;
	char			*cause = NULL;
	int			 r;

	while ((r = rp_answer_parse(p, len, max, "fuzz", &a, &cause)) == 1) {
		if (a.used == 0 || a.used > len || a.len > max)
			abort();
		fr_inside(p, len, a.data, a.len);
		fr_inside(p, len, a.text, a.textlen);
		buf_reset(&again);
		switch (a.tag) {
		case RP_DATA:
		case RP_LIST:
			rp_data_format(&again, a.tag, a.data, a.len);
			break;
		case RP_OK:
			rp_ok_format(&again);
			break;
		case RP_ERROR:
			buf_addstr(&again, "E ");
			buf_add(&again, a.text, a.textlen);
			buf_addch(&again, '\n');
			break;
		case RP_STAT:
			if (rp_stat_parse(a.text, a.textlen, &st) == 0) {
				rp_stat_format(&again, &st);
				if (rp_answer_parse(again.data, again.len, 0,
				    "fuzz", &b, &cause) != 1 ||
				    rp_stat_parse(b.text, b.textlen,
				    &st2) != 0 || memcmp(&st, &st2,
				    sizeof st) != 0)
					abort();
			}
			buf_reset(&again);
			break;
		default:
			abort();
		}
		if (again.len != 0 && (rp_answer_parse(again.data, again.len,
		    max, "fuzz", &b, &cause) != 1 || b.used != again.len ||
		    b.tag != a.tag || b.len != a.len || b.textlen !=
		    a.textlen || (a.len > 0 && memcmp(b.data, a.data,
		    a.len) != 0)))
			abort();
		p += a.used;
		len -= a.used;
	}
	if (r == 0 && len > RP_LINE_MAX + max)
		abort();
	if (r < 0 && cause == NULL)
		abort();
	free(cause);
	buf_release(&again);
}

static void
fr_dir(const char *p, size_t len, size_t max)
{
	struct rp_dir_frame	 f, g;
	struct tdir_file	 tf;
	struct buf		 again = BUF_INIT;
	char			*cause = NULL, *name;
	int			 r;

	while ((r = rp_dir_frame_parse(p, len, max, "fuzz", &f, &cause)) ==
	    1) {
		if (f.used == 0 || f.used > len || f.len > max + RP_LINE_MAX)
			abort();
		fr_inside(p, len, f.name, f.namelen);
		fr_inside(p, len, f.data, f.len);
		buf_reset(&again);
		if (f.tag == RP_FILE) {
			if (f.len > max || f.namelen == 0 ||
			    f.namelen > RP_NAME_MAX ||
			    memchr(f.name, '/', f.namelen) != NULL)
				abort();
			name = strndup(f.name, f.namelen);
			if (name == NULL)
				abort();
			memset(&tf, 0, sizeof tf);
			tf.name = name;
			tf.data = (char *)(uintptr_t)f.data;
			tf.len = f.len;
			tf.truncated = f.truncated;
			tf.sibling_size = (off_t)f.sibling_size;
			tf.locked = f.locked;
			rp_dir_file_format(&again, &tf);
			free(name);
			if (rp_dir_frame_parse(again.data, again.len, max,
			    "fuzz", &g, &cause) != 1 || g.used != again.len ||
			    g.namelen != f.namelen || g.len != f.len ||
			    g.sibling_size != f.sibling_size ||
			    g.truncated != f.truncated ||
			    g.locked != f.locked ||
			    memcmp(g.data, f.data, f.len) != 0)
				abort();
		} else if (f.tag == RP_BATCH) {
			if (f.count < 0 || f.count > RP_BATCH_MAX)
				abort();
		} else if (f.tag != RP_ERROR && f.tag != RP_END)
			abort();
		p += f.used;
		len -= f.used;
	}
	if (r == 0 && len > RP_LINE_MAX + RP_NAME_MAX + max)
		abort();
	if (r < 0 && cause == NULL)
		abort();
	free(cause);
	buf_release(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*p = (const char *)data + 1;
	size_t		 max;
	char		*copy;

	if (len < 1)
		return 0;
	max = fr_limits[(data[0] >> 1) % nitems(fr_limits)];
	/* A copy of exactly the input: reads past it are caught. */
	copy = malloc(len > 1 ? len - 1 : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, p, len - 1);
	if (data[0] & 1)
		fr_dir(copy, len - 1, max);
	else
		fr_answer(copy, len - 1, max);
	free(copy);
	return 0;
}
