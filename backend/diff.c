/*
 * diff.c -- line diff with unified output, and the comparison of two cfs
 * as sendmail reads them (see diff.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

struct line {
	const char	*s;
	size_t		 len;		/* without the newline */
	int		 nl;		/* ends with a newline */
	size_t		 no;		/* first line in the file, from 1 */
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
		v[n].no = n + 1;
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

/* The edit script of a against b; returns how many lines changed. */
static size_t
diff_ops(const struct line *a, size_t na, const struct line *b, size_t nb,
    diff_ignore_fn ign, struct op **opsp, size_t *nopsp)
{
	struct op	*ops = NULL;
	size_t		 nops = 0, pre = 0, suf = 0, i, changed = 0;

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
	for (i = 0; i < nops; i++)
		if (ops[i].kind != ' ')
			changed++;
	*opsp = ops;
	*nopsp = nops;
	return changed;
}

/*
 * The next hunk at or after *i: [*first, *end) of ops, from c lines before
 * a change to c lines after the last change at most 2c lines from the
 * next.  0 when there is none.
 */
static int
next_hunk(const struct op *ops, size_t nops, size_t c, size_t *i,
    size_t *first, size_t *end)
{
	size_t	k, last;

	while (*i < nops && ops[*i].kind == ' ')
		(*i)++;
	if (*i == nops)
		return 0;
	*first = *i > c ? *i - c : 0;
	last = *i;
	for (k = *i; k < nops; k++) {
		if (ops[k].kind != ' ')
			last = k;
		else if (k - last > 2 * c)
			break;
	}
	*end = last + c + 1 < nops ? last + c + 1 : nops;
	*i = *end;
	return 1;
}

size_t
diff_unified(const char *ta, size_t la, const char *tb, size_t lb,
    const char *name_a, const char *name_b, int ctx, diff_ignore_fn ign,
    struct buf *out)
{
	struct line	*a, *b;
	struct op	*ops;
	size_t		 na, nb, nops, i, k, end, changed;
	size_t		 first, ca, cb, c;

	na = split_lines(ta, la, &a);
	nb = split_lines(tb, lb, &b);
	changed = diff_ops(a, na, b, nb, ign, &ops, &nops);
	if (changed == 0)
		goto out;
	buf_printf(out, "--- %s\n+++ %s\n", name_a, name_b);
	c = ctx < 0 ? 0 : (size_t)ctx;
	i = 0;
	while (next_hunk(ops, nops, c, &i, &first, &end)) {
		ca = cb = 0;
		for (k = first; k < end; k++) {
			if (ops[k].kind != '+')
				ca++;
			if (ops[k].kind != '-')
				cb++;
		}
		buf_addstr(out, "@@ -");
		emit_range(out, ops[first].a, ca);
		buf_addstr(out, " +");
		emit_range(out, ops[first].b, cb);
		buf_addstr(out, " @@\n");
		for (k = first; k < end; k++) {
			if (ops[k].kind == '+')
				emit_line(out, '+', &b[ops[k].b]);
			else
				emit_line(out, ops[k].kind, &a[ops[k].a]);
		}
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

/*
 * Strip the comments sendmail strips from a line it reads: from blanks
 * before a '#' to the end of that physical line.  Only a '#' after a blank
 * counts here; sendmail also ends a line at a '#' after other characters
 * (not "$#" or "\#"), but calling that a difference can only show too
 * much, never hide what sendmail would act on.
 */
static void
strip_inline_comments(struct buf *t)
{
	size_t	i, q, e;

	for (i = 1; i < t->len; i++) {
		if (t->data[i] != '#' ||
		    (t->data[i - 1] != ' ' && t->data[i - 1] != '\t'))
			continue;
		q = i;
		while (q > 0 && (t->data[q - 1] == ' ' ||
		    t->data[q - 1] == '\t'))
			q--;
		for (e = i; e < t->len && t->data[e] != '\n'; e++)
			/* nothing */;
		memmove(t->data + q, t->data + e, t->len - e);
		t->len -= e - q;
		t->data[t->len] = '\0';
		i = q;
	}
}

/*
 * An R line is LHS, tabs, RHS, and then, after the next tab, a comment:
 * readcf.c ends the RHS at that tab and reads no further.  A line without
 * a tab is left whole (sendmail rejects it; that is a difference).
 */
static void
strip_rule_comment(struct buf *t)
{
	char	*p;

	if ((p = memchr(t->data, '\t', t->len)) == NULL)
		return;
	while (p < t->data + t->len && *p == '\t')
		p++;
	while (p < t->data + t->len && *p != '\t')
		p++;
	t->len = (size_t)(p - t->data);
	t->data[t->len] = '\0';
}

/*
 * What sendmail reads of a cf, as entries: a line and the lines folded
 * into it (those that begin with a blank, kept after a newline, as
 * sendmail's fgetfolded() keeps them), without blank lines and comment
 * lines (with their folded lines), and without the comments at the end
 * of a line once a V line has set a configuration level of 3 or more.
 * Each entry's text is on the heap; no is its first line in the file.
 */
static size_t
cf_entries(const char *text, size_t len, struct line **out)
{
	struct line	*phys, *v = NULL;
	struct buf	 t = BUF_INIT;
	size_t		 n, i, start, nv = 0;
	long		 level = 0;

	n = split_lines(text, len, &phys);
	i = 0;
	while (i < n) {
		start = i;
		buf_reset(&t);
		buf_add(&t, phys[i].s, phys[i].len);
		for (i++; i < n && phys[i].len > 0 &&
		    (phys[i].s[0] == ' ' || phys[i].s[0] == '\t'); i++) {
			buf_addch(&t, '\n');
			buf_add(&t, phys[i].s, phys[i].len);
		}
		if (t.len == 0 || t.data[0] == '#')
			continue;
		if (level >= 3)
			strip_inline_comments(&t);
		if (t.data[0] == 'R')
			strip_rule_comment(&t);
		if (t.data[0] == 'V')
			level = strtol(t.data + 1, NULL, 10);
		v = xreallocarray(v, nv + 1, sizeof *v);
		v[nv].len = t.len;
		v[nv].s = buf_detach(&t);
		v[nv].nl = 1;
		v[nv].no = phys[start].no;
		nv++;
	}
	buf_release(&t);
	free(phys);
	*out = v;
	return nv;
}

static void
cf_entries_free(struct line *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free((char *)v[i].s);
	free(v);
}

/* One entry of a cf diff: each of its lines with the mark. */
static void
emit_entry(struct buf *out, char kind, const struct line *l)
{
	const char	*p = l->s, *e = l->s + l->len, *nl;

	for (;;) {
		nl = memchr(p, '\n', (size_t)(e - p));
		buf_addch(out, kind);
		buf_add(out, p, nl == NULL ? (size_t)(e - p) :
		    (size_t)(nl - p));
		buf_addch(out, '\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/* The line of the file where entry k is, or would be. */
static size_t
entry_no(const struct line *v, size_t n, size_t k, size_t nlines)
{
	return k < n ? v[k].no : nlines + 1;
}

size_t
diff_cf(const char *ta, size_t la, const char *tb, size_t lb,
    const char *name_a, const char *name_b, int ctx, struct buf *out)
{
	struct line	*a, *b, *phys;
	struct op	*ops;
	size_t		 na, nb, nops, i, k, end, first, changed, la_n, lb_n;

	na = cf_entries(ta, la, &a);
	nb = cf_entries(tb, lb, &b);
	la_n = split_lines(ta, la, &phys);
	free(phys);
	lb_n = split_lines(tb, lb, &phys);
	free(phys);
	changed = diff_ops(a, na, b, nb, NULL, &ops, &nops);
	if (changed == 0)
		goto out;
	buf_printf(out, "--- %s (as sendmail reads it)\n+++ %s\n", name_a,
	    name_b);
	i = 0;
	while (next_hunk(ops, nops, ctx < 0 ? 0 : (size_t)ctx, &i, &first,
	    &end)) {
		buf_printf(out, "@@ line %zu, line %zu @@\n",
		    entry_no(a, na, ops[first].a, la_n),
		    entry_no(b, nb, ops[first].b, lb_n));
		for (k = first; k < end; k++) {
			if (ops[k].kind == '+')
				emit_entry(out, '+', &b[ops[k].b]);
			else
				emit_entry(out, ops[k].kind, &a[ops[k].a]);
		}
	}
out:
	free(ops);
	cf_entries_free(a, na);
	cf_entries_free(b, nb);
	return changed;
}

/*
 * Mark the physical lines sendmail reads (read[i] = 1): a line that is
 * neither blank nor a comment, and the lines folded into it.
 */
static void
cf_read_lines(const struct line *phys, size_t n, char *read)
{
	size_t	i, start;

	i = 0;
	while (i < n) {
		start = i;
		for (i++; i < n && phys[i].len > 0 &&
		    (phys[i].s[0] == ' ' || phys[i].s[0] == '\t'); i++)
			/* nothing */;
		memset(read + start, phys[start].len > 0 &&
		    phys[start].s[0] != '#', i - start);
	}
}

void
diff_cf_ignored(const char *ta, size_t la, const char *tb, size_t lb,
    size_t *moved, size_t *inl)
{
	struct line	*a, *b;
	struct op	*ops;
	char		*ra, *rb;
	size_t		 na, nb, nops, i, k;
	const struct line *x, *y;
	int		 found;

	*moved = *inl = 0;
	na = split_lines(ta, la, &a);
	nb = split_lines(tb, lb, &b);
	/* A last line without its newline reads the same. */
	if (na > 0)
		a[na - 1].nl = 1;
	if (nb > 0)
		b[nb - 1].nl = 1;
	ra = xcalloc(na + 1, 1);
	rb = xcalloc(nb + 1, 1);
	cf_read_lines(a, na, ra);
	cf_read_lines(b, nb, rb);
	diff_ops(a, na, b, nb, diff_ignore_cf_stamp, &ops, &nops);
	for (i = 0; i < nops; i++) {
		if (ops[i].kind == ' ' || (ops[i].kind == '-' ?
		    !ra[ops[i].a] : !rb[ops[i].b]))
			continue;
		x = ops[i].kind == '-' ? &a[ops[i].a] : &b[ops[i].b];
		/* The same text changed on the other side: it moved. */
		found = 0;
		for (k = 0; k < nops && !found; k++) {
			if (ops[k].kind == ' ' || ops[k].kind == ops[i].kind)
				continue;
			y = ops[k].kind == '-' ? &a[ops[k].a] : &b[ops[k].b];
			found = x->len == y->len &&
			    memcmp(x->s, y->s, x->len) == 0;
		}
		if (found)
			(*moved)++;
		else
			(*inl)++;
	}
	free(ops);
	free(ra);
	free(rb);
	free(a);
	free(b);
}

const char *
diff_cf_ignored_what(size_t moved, size_t inl)
{
	if (moved == 0 && inl == 0)
		return "only comments";
	if (inl == 0)
		return "only comments and where lines sit among them";
	if (moved == 0)
		return "only comments, some inside lines sendmail reads (after "
		    "a '#', or an R line's comment field)";
	return "only comments, some inside lines sendmail reads (after a "
	    "'#', or an R line's comment field), and where lines sit among "
	    "them";
}
