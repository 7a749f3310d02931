/*
 * mc-catalog.c -- the defines, options and features an mc can use (see
 * mc-catalog.h).  proto.m4 is read with the mc scanner itself: its
 * _OPTION(...) lines are ordinary m4 calls.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "mc-catalog.h"
#include "mc.h"

/* Defines that cf.README explains only in running text. */
static const struct {
	const char	*define;
	const char	*desc;
} prose_defines[] = {
	{ "SMART_HOST", "Host that gets all mail for remote hosts "
	    "(mailer:host, e.g. relay:[192.0.2.1])." },
	{ "MAIL_HUB", "Host that gets all mail for local users "
	    "(mailer:host)." },
	{ "LOCAL_RELAY", "Host that gets mail for unqualified local names "
	    "not in class L." },
	{ "LUSER_RELAY", "Where mail for unknown local users goes." },
	{ "confDONT_BLAME_SENDMAIL", NULL },
};

struct mc_catalog *
mc_catalog_create(void)
{
	struct mc_catalog	*cat;

	cat = xcalloc(1, sizeof *cat);
	strv_init(&cat->features);
	return cat;
}

void
mc_catalog_free(struct mc_catalog *cat)
{
	size_t	i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->nentries; i++) {
		free(cat->entries[i].define);
		free(cat->entries[i].option);
		free(cat->entries[i].defval);
		free(cat->entries[i].desc);
	}
	free(cat->entries);
	strv_release(&cat->features);
	free(cat->readme);
	free(cat);
}

static struct mc_catalog_entry *
entry_get(struct mc_catalog *cat, const char *define)
{
	struct mc_catalog_entry	*e;
	size_t			 i;

	for (i = 0; i < cat->nentries; i++)
		if (strcmp(cat->entries[i].define, define) == 0)
			return &cat->entries[i];
	cat->entries = xreallocarray(cat->entries, cat->nentries + 1,
	    sizeof *cat->entries);
	e = &cat->entries[cat->nentries++];
	memset(e, 0, sizeof *e);
	e->define = xstrdup(define);
	return e;
}

static void
set_if_empty(char **dst, const char *v)
{
	if (*dst == NULL && v != NULL && *v != '\0')
		*dst = xstrdup(v);
}

void
mc_catalog_add_proto(struct mc_catalog *cat, const char *text, size_t len)
{
	struct mc		*mc;
	struct mc_catalog_entry	*e;
	const struct mc_item	*it;
	size_t			 i;

	mc = mc_parse("proto.m4", text, len);
	for (i = 0; i < mc->nitems; i++) {
		it = &mc->items[i];
		if (it->kind != MC_CALL || strcmp(it->name, "_OPTION") != 0 ||
		    it->nargs < 2 || *it->args[1].value == '\0')
			continue;
		e = entry_get(cat, it->args[1].value);
		free(e->option);
		e->option = xstrdup(it->args[0].value);
		if (it->nargs > 2 && e->defval == NULL &&
		    *it->args[2].value != '\0')
			e->defval = xstrdup(it->args[2].value);
	}
	mc_free(mc);
}

static int
is_define_name(const char *s, size_t n)
{
	size_t	i;
	int	under = 0, conf = n >= 4 && strncmp(s, "conf", 4) == 0;

	if (n < 3 || !(isupper((unsigned char)s[0]) || s[0] == '_' || conf))
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '_')
			under = 1;
		else if (!isalnum((unsigned char)s[i]))
			return 0;
		else if (islower((unsigned char)s[i]) && i >= 4)
			return 0;
	}
	return under || conf;
}

/* Visual column after the leading tabs and blanks of a line. */
static size_t
indent_of(const char *s, size_t n, size_t *skip)
{
	size_t	i, col = 0;

	for (i = 0; i < n && (s[i] == '\t' || s[i] == ' '); i++)
		col = s[i] == '\t' ? (col + 8) & ~(size_t)7 : col + 1;
	*skip = i;
	return col;
}

/* Append words to a paragraph with single spaces. */
static void
para_add(struct buf *b, const char *s, size_t n)
{
	struct strv	 w = STRV_INIT;
	char		*t;
	size_t		 i;

	t = xstrndup(s, n);
	strv_split_ws(&w, t);
	for (i = 0; i < w.n; i++) {
		if (b->len != 0)
			buf_addch(b, ' ');
		buf_addstr(b, w.v[i]);
	}
	strv_release(&w);
	free(t);
}

/* Split "[default] text" into its parts. */
static void
split_default(char *desc, char **defval, char **text)
{
	char	*close;

	*defval = NULL;
	*text = desc;
	if (*desc != '[' || (close = strchr(desc, ']')) == NULL)
		return;
	*close = '\0';
	*defval = desc + 1;
	*text = close + 1;
	while (**text == ' ')
		(*text)++;
}

/*
 * cf.README has two tables of this shape: the OSTYPE/mailer defines
 * (NAME <tabs> [default] text, continued on tab-indented lines) and the
 * option table after the "M4 Variable Name / Configuration" header (NAME
 * <tabs> OPTION <tabs> [default] text, the text from column 40).
 */
void
mc_catalog_add_readme(struct mc_catalog *cat, const char *text, size_t len)
{
	struct mc_catalog_entry	*e;
	const char		*p = text, *end = text + len, *nl, *l;
	struct buf		 desc = BUF_INIT, opt = BUF_INIT;
	char			*name = NULL, *d, *defval, *body;
	size_t			 n, wlen, skip, col;
	int			 in_table = 0, three = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		l = p;
		n = (size_t)(nl - p);
		p = nl < end ? nl + 1 : end;
		if (n > 0 && n >= 16 && strncmp(l, "================", 16) == 0) {
			in_table = three = 1;
			continue;
		}
		if (name != NULL && n > 0 && (l[0] == '\t' || l[0] == ' ')) {
			col = indent_of(l, n, &skip);
			if (three && col < 40 && opt.len == 0)
				para_add(&opt, l + skip, n - skip);
			else
				para_add(&desc, l + skip, n - skip);
			continue;
		}
		if (name != NULL) {
			/* The entry ended: store it. */
			e = entry_get(cat, name);
			d = xstrdup(desc.data);
			split_default(d, &defval, &body);
			set_if_empty(&e->defval, defval);
			set_if_empty(&e->desc, body);
			if (opt.len != 0 && strcmp(opt.data, "-") != 0)
				set_if_empty(&e->option, opt.data);
			free(d);
			free(name);
			name = NULL;
		}
		buf_reset(&desc);
		buf_reset(&opt);
		if (n == 0) {
			if (three && in_table)
				three = in_table = 0;
			continue;
		}
		for (wlen = 0; wlen < n && l[wlen] != '\t' && l[wlen] != ' ';
		    wlen++)
			;
		if (!is_define_name(l, wlen))
			continue;
		if (three) {
			/* OPTION column, then the description. */
			const char	*q = l + wlen, *f;

			while (q < nl && (*q == '\t' || *q == ' '))
				q++;
			f = q;
			while (q < nl && *q != '\t')
				q++;
			buf_add(&opt, f, (size_t)(q - f));
			buf_rtrim(&opt);
			while (q < nl && (*q == '\t' || *q == ' '))
				q++;
			para_add(&desc, q, (size_t)(nl - q));
		} else {
			const char	*q = l + wlen;

			if (q >= nl || *q != '\t')
				continue;
			while (q < nl && (*q == '\t' || *q == ' '))
				q++;
			if (q >= nl || *q != '[')
				continue;
			para_add(&desc, q, (size_t)(nl - q));
		}
		name = xstrndup(l, wlen);
	}
	if (name != NULL) {
		e = entry_get(cat, name);
		d = xstrdup(desc.data);
		split_default(d, &defval, &body);
		set_if_empty(&e->defval, defval);
		set_if_empty(&e->desc, body);
		if (opt.len != 0 && strcmp(opt.data, "-") != 0)
			set_if_empty(&e->option, opt.data);
		free(d);
		free(name);
	}
	buf_release(&desc);
	buf_release(&opt);
}

void
mc_catalog_add_features(struct mc_catalog *cat, const struct strv *names)
{
	size_t	 i, n;

	for (i = 0; i < names->n; i++) {
		n = strlen(names->v[i]);
		if (n > 3 && strcmp(names->v[i] + n - 3, ".m4") == 0 &&
		    !mc_catalog_has_feature(cat, names->v[i]))
			strv_push_nocopy(&cat->features,
			    xstrndup(names->v[i], n - 3));
	}
	strv_sort(&cat->features);
}

static void
add_prose(struct mc_catalog *cat)
{
	struct mc_catalog_entry	*e;
	size_t			 i;

	for (i = 0; i < nitems(prose_defines); i++) {
		e = entry_get(cat, prose_defines[i].define);
		set_if_empty(&e->desc, prose_defines[i].desc);
	}
}

/* cf.README text, from a plain file or through gzip -dc; 0 if absent. */
static int
read_readme(struct host *h, const char *path, struct buf *out, char **cause)
{
	struct run_result	 rr;
	const char		*argv[] = { PATH_GZIP, "-dc", path, NULL };
	int			 rc = -1;

	if (!transport_exists(h->t, path))
		return 0;
	if (!str_endswith(path, ".gz"))
		return transport_read_file(h->t, path, out, 0, cause) == 0 ?
		    1 : -1;
	run_result_init(&rr);
	if (transport_run(h->t, argv, NULL, &rr, cause) != 0)
		goto out;
	if (!rr.exited || rr.status != 0) {
		*cause = run_result_describe(PATH_GZIP, &rr);
		goto out;
	}
	buf_add(out, rr.out.data, rr.out.len);
	rc = 1;
out:
	run_result_release(&rr);
	return rc;
}

struct mc_catalog *
mc_catalog_load(struct host *h, char **cause)
{
	struct mc_catalog	*cat;
	struct strv		 names = STRV_INIT;
	struct buf		 text = BUF_INIT;
	const char		*cf_dir = h->prof->cf_dir;
	char			*path = NULL, *why = NULL;
	int			 rc;

	if (cf_dir == NULL) {
		*cause = xstrdup("profile has no cf_dir (sendmail's cf "
		    "macros)");
		return NULL;
	}
	cat = mc_catalog_create();
	path = xasprintf("%s/feature", cf_dir);
	if (transport_list_dir(h->t, path, &names, cause) != 0)
		goto fail;
	mc_catalog_add_features(cat, &names);
	free(path);
	path = xasprintf("%s/m4/proto.m4", cf_dir);
	if (transport_read_file(h->t, path, &text, 0, cause) != 0)
		goto fail;
	mc_catalog_add_proto(cat, text.data, text.len);
	buf_reset(&text);
	free(path);
	/* RHEL ships cf.README as CFDIR/README; Debian in sendmail-doc. */
	path = xasprintf("%s/README", cf_dir);
	rc = read_readme(h, path, &text, &why);
	if (rc == 0) {
		free(path);
		path = xstrdup(MC_CATALOG_README);
		rc = read_readme(h, path, &text, &why);
	}
	if (rc == 1) {
		mc_catalog_add_readme(cat, text.data, text.len);
		cat->readme = xstrdup(path);
	}
	free(why);	/* descriptions are optional */
	add_prose(cat);
	free(path);
	buf_release(&text);
	strv_release(&names);
	return cat;
fail:
	free(path);
	buf_release(&text);
	strv_release(&names);
	mc_catalog_free(cat);
	return NULL;
}

const struct mc_catalog_entry *
mc_catalog_find(const struct mc_catalog *cat, const char *name)
{
	size_t	i;

	for (i = 0; i < cat->nentries; i++)
		if (strcmp(cat->entries[i].define, name) == 0)
			return &cat->entries[i];
	for (i = 0; i < cat->nentries; i++)
		if (cat->entries[i].option != NULL &&
		    strcasecmp(cat->entries[i].option, name) == 0)
			return &cat->entries[i];
	return NULL;
}

int
mc_catalog_has_feature(const struct mc_catalog *cat, const char *name)
{
	size_t	i;

	for (i = 0; i < cat->features.n; i++)
		if (strcmp(cat->features.v[i], name) == 0)
			return 1;
	return 0;
}

/* Case-insensitive Levenshtein distance, capped for long strings. */
static size_t
distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, *row, prev, tmp, best;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	row = xcalloc(lb + 1, sizeof *row);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

struct cand {
	const char	*name;
	size_t		 score;
};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand	*x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	if (n < 3)
		return 0;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

static void
cand_add(struct cand **c, size_t *n, const char *name, const char *want)
{
	size_t	d, limit;

	d = distance(name, want);
	limit = strlen(want) / 3 + 1;
	if (contains_ci(name, want))
		d = d < 2 ? d : 2;
	else if (d > limit)
		return;
	*c = xreallocarray(*c, *n + 1, sizeof **c);
	(*c)[*n].name = name;
	(*c)[*n].score = d;
	(*n)++;
}

void
mc_catalog_suggest(const struct mc_catalog *cat, const char *name,
    int features, struct strv *out, size_t max)
{
	struct cand	*c = NULL;
	size_t		 n = 0, i, j;
	int		 dup;

	if (features) {
		for (i = 0; i < cat->features.n; i++)
			cand_add(&c, &n, cat->features.v[i], name);
	} else {
		for (i = 0; i < cat->nentries; i++) {
			cand_add(&c, &n, cat->entries[i].define, name);
			if (cat->entries[i].option != NULL &&
			    isupper((unsigned char)cat->entries[i].option[0]))
				cand_add(&c, &n, cat->entries[i].option, name);
		}
	}
	if (n != 0)
		xqsort(c, n, sizeof *c, cand_cmp);
	for (i = 0; i < n && out->n < max; i++) {
		dup = 0;
		for (j = 0; j < out->n; j++)
			if (strcmp(out->v[j], c[i].name) == 0)
				dup = 1;
		if (!dup)
			strv_push(out, c[i].name);
	}
	free(c);
}
