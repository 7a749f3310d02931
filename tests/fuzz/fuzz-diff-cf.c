/*
 * fuzz-diff-cf.c -- libFuzzer harness for diff_cf() (backend/diff.h), the
 * comparison of two cfs as sendmail reads them; the live cf is outside
 * text.
 *
 * The input up to its first NUL is one cf, the rest the other.  A cf
 * against itself differs in nothing; with comment lines added before and
 * after it, still nothing (comments are not drift); the count is the same
 * both ways round, and the diff text is empty exactly when it is 0.
 * diff_cf_ignored() finds no line sendmail reads moved or edited between
 * a cf and itself dressed in comments, and runs on every pair.
 *
 *	make fuzz && tests/fuzz/fuzz-diff-cf -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/diff.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define DCF_MAX		8192	/* bytes of input used */

static size_t
cmp(const char *a, size_t la, const char *b, size_t lb, struct buf *out)
{
	buf_reset(out);
	return diff_cf(a, la, b, lb, "a", "b", 3, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*a = (const char *)data, *b, *nul;
	size_t		 la, lb, n1, n2, moved, inl;
	struct buf	 out = BUF_INIT, dressed = BUF_INIT;

	if (len > DCF_MAX)
		len = DCF_MAX;
	nul = memchr(a, '\0', len);
	la = nul != NULL ? (size_t)(nul - a) : len;
	b = nul != NULL ? nul + 1 : a + len;
	lb = nul != NULL ? len - la - 1 : 0;

	if (cmp(a, la, a, la, &out) != 0 || out.len != 0)
		abort();

	/* A header and Debian's appended mc: comments only. */
	if (la == 0 || (a[0] != ' ' && a[0] != '\t'))
		buf_addstr(&dressed, "#\n# a header\n#\n");
	buf_add(&dressed, a, la);
	if (la > 0 && a[la - 1] != '\n')
		buf_addch(&dressed, '\n');
	buf_addstr(&dressed, "### sendmail.mc ###\n# divert(-1)dnl\n\n#\n");
	if (cmp(a, la, dressed.data, dressed.len, &out) != 0 ||
	    out.len != 0)
		abort();
	diff_cf_ignored(a, la, dressed.data, dressed.len, &moved, &inl);
	if (moved != 0 || inl != 0)
		abort();

	n1 = cmp(a, la, b, lb, &out);
	if ((n1 == 0) != (out.len == 0))
		abort();
	n2 = cmp(b, lb, a, la, &out);
	if (n1 != n2)
		abort();
	diff_cf_ignored(a, la, b, lb, &moved, &inl);
	if (diff_cf_ignored_what(moved, inl) == NULL)
		abort();
	buf_release(&out);
	buf_release(&dressed);
	return 0;
}
