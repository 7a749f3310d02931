/*
 * diff.c -- line diff with unified output (see diff.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

struct line {
	const char	*s;
	size_t		 len;		/* without the newline */
	int		 nl;		/* ends with a newline */
};

struct op {
	char	 kind;			/* ' ', '-', '+' */
	size_t	 a, b;			/* line indices */
};

static size_t
split_lines(const char *s, size_t len, struct line **out)
{
	struct line	*v = NULL;
	size_t		 n = 0, p = 0;
	const char	*nl;

	while (p < len) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n].s = s + p;
		nl = memchr(s + p, '\n', len - p);
		if (nl == NULL) {
			v[n].len = len - p;
			v[n].nl = 0;
			p = len;
		} else {
			v[n].len = (size_t)(nl - (s + p));
			v[n].nl = 1;
			p += v[n].len + 1;
		}
		n++;
	}
	*out = v;
	return n;
}

static int
line_eq(const struct line *x, const struct line *y, diff_ignore_fn ign)
{
	if (x->len == y->len && x->nl == y->nl &&
	    memcmp(x->s, y->s, x->len) == 0)
		return 1;
	return ign != NULL && ign(x->s, x->len) && ign(y->s, y->len);
}

static void
op_push(struct op **ops, size_t *n, char kind, size_t a, size_t b)
{
	*ops = xreallocarray(*ops, *n + 1, sizeof **ops);
	(*ops)[*n].kind = kind;
	(*ops)[*n].a = a;
	(*ops)[*n].b = b;
	(*n)++;
}

/* The edit script of a[lo_a, hi_a) against b[lo_b, hi_b). */
static void
diff_middle(const struct line *a, size_t lo_a, size_t hi_a,
    const struct line *b, size_t lo_b, size_t hi_b, diff_ignore_fn ign,
    struct op **ops, size_t *nops)
{
	size_t		 n = hi_a - lo_a, m = hi_b - lo_b, i, j;
	uint32_t	*t;

	if (n == 0 || m == 0 || n > DIFF_MAX_CELLS / m) {
		for (i = lo_a; i < hi_a; i++)
			op_push(ops, nops, '-', i, lo_b);
		for (j = lo_b; j < hi_b; j++)
			op_push(ops, nops, '+', hi_a, j);
		return;
	}
	/* t[i][j]: LCS length of a[i..] and b[j..]. */
	t = xcalloc((n + 1) * (m + 1), sizeof *t);
#define T(i, j) t[(i) * (m + 1) + (j)]
	for (i = n; i-- > 0;) {
		for (j = m; j-- > 0;) {
			if (line_eq(&a[lo_a + i], &b[lo_b + j], ign))
				T(i, j) = T(i + 1, j + 1) + 1;
			else
				T(i, j) = T(i + 1, j) > T(i, j + 1) ?
				    T(i + 1, j) : T(i, j + 1);
		}
	}
	i = j = 0;
	while (i < n || j < m) {
		if (i < n && j < m &&
		    line_eq(&a[lo_a + i], &b[lo_b + j], ign)) {
			op_push(ops, nops, ' ', lo_a + i, lo_b + j);
			i++;
			j++;
		} else if (j < m && (i == n || T(i, j + 1) > T(i + 1, j))) {
			op_push(ops, nops, '+', lo_a + i, lo_b + j);
			j++;
		} else {
			op_push(ops, nops, '-', lo_a + i, lo_b + j);
			i++;
		}
	}
#undef T
	free(t);
}

static void
emit_line(struct buf *out, char kind, const struct line *l)
{
	buf_addch(out, kind);
	buf_add(out, l->s, l->len);
	buf_addch(out, '\n');
	if (!l->nl)
		buf_addstr(out, "\\ No newline at end of file\n");
}

static void
emit_range(struct buf *out, size_t start, size_t count)
{
	if (count == 1)
		buf_printf(out, "%zu", start + 1);
	else
		buf_printf(out, "%zu,%zu", count == 0 ? start : start + 1,
		    count);
}

size_t
diff_unified(const char *ta, size_t la, const char *tb, size_t lb,
    const char *name_a, const char *name_b, int ctx, diff_ignore_fn ign,
    struct buf *out)
{
	struct line	*a, *b;
	struct op	*ops = NULL;
	size_t		 na, nb, nops = 0, pre = 0, suf = 0, i, k, end, changed;
	size_t		 first, last, ca, cb, sa, sb, c;

	na = split_lines(ta, la, &a);
	nb = split_lines(tb, lb, &b);
	while (pre < na && pre < nb && line_eq(&a[pre], &b[pre], ign))
		pre++;
	while (suf < na - pre && suf < nb - pre &&
	    line_eq(&a[na - 1 - suf], &b[nb - 1 - suf], ign))
		suf++;
	for (i = 0; i < pre; i++)
		op_push(&ops, &nops, ' ', i, i);
	diff_middle(a, pre, na - suf, b, pre, nb - suf, ign, &ops, &nops);
	for (i = 0; i < suf; i++)
		op_push(&ops, &nops, ' ', na - suf + i, nb - suf + i);

	changed = 0;
	for (i = 0; i < nops; i++)
		if (ops[i].kind != ' ')
			changed++;
	if (changed == 0)
		goto out;
	buf_printf(out, "--- %s\n+++ %s\n", name_a, name_b);
	c = ctx < 0 ? 0 : (size_t)ctx;
	i = 0;
	while (i < nops) {
		while (i < nops && ops[i].kind == ' ')
			i++;
		if (i == nops)
			break;
		/* A hunk: from c lines before this change to c lines after
		 * the last change that is at most 2c lines from the next. */
		first = i > c ? i - c : 0;
		last = i;
		for (k = i; k < nops; k++) {
			if (ops[k].kind != ' ')
				last = k;
			else if (k - last > 2 * c)
				break;
		}
		end = last + c + 1 < nops ? last + c + 1 : nops;
		ca = cb = 0;
		sa = ops[first].a;
		sb = ops[first].b;
		for (k = first; k < end; k++) {
			if (ops[k].kind != '+')
				ca++;
			if (ops[k].kind != '-')
				cb++;
		}
		buf_addstr(out, "@@ -");
		emit_range(out, sa, ca);
		buf_addstr(out, " +");
		emit_range(out, sb, cb);
		buf_addstr(out, " @@\n");
		for (k = first; k < end; k++) {
			if (ops[k].kind == '+')
				emit_line(out, '+', &b[ops[k].b]);
			else
				emit_line(out, ops[k].kind, &a[ops[k].a]);
		}
		i = end;
	}
out:
	free(ops);
	free(a);
	free(b);
	return changed;
}

int
diff_ignore_cf_stamp(const char *s, size_t len)
{
	static const char *const stamps[] = {
		"##### built by ", "##### in ",
	};
	size_t	i, n;

	for (i = 0; i < nitems(stamps); i++) {
		n = strlen(stamps[i]);
		if (len >= n && memcmp(s, stamps[i], n) == 0)
			return 1;
	}
	return 0;
}
