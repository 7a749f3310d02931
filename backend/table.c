/*
 * table.c -- lossless reading and editing of sendmail's table sources.
 *
 * The file is split into physical lines that keep their exact bytes and
 * line ends; entries are read from them with the rules of the program that
 * reads the file (makemap, sendmail -bi, the cf's F command).  Edits change
 * the line array and then read the whole text again, so entries and line
 * numbers are always those a fresh parse would give.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* makemap reads lines into a 1024-byte buffer: at most 1022 bytes + LF. */
#define TABLE_MAP_LINE_MAX	1022

/* Copies of keys and values live in blocks of up to this size. */
#define TABLE_CHUNK_MIN		4096
#define TABLE_CHUNK_MAX		(1024 * 1024)

struct table_chunk {
	struct table_chunk	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

static int
table_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\v' || c == '\f';
}

static int
table_isblank(int c)
{
	return c == ' ' || c == '\t';
}

static int
table_keycmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	if (alen != blen)
		return 1;
	for (i = 0; i < alen; i++) {
		if (tolower((unsigned char)a[i]) !=
		    tolower((unsigned char)b[i]))
			return 1;
	}
	return 0;
}

/*
 * Room for size bytes that live as long as the table's text.  Blocks grow
 * with the table, so a big file needs few of them and a small one little.
 */
static char *
table_alloc(struct table *t, size_t size)
{
	struct table_chunk	*c = t->chunks;
	size_t			 want;

	if (c == NULL || c->size - c->used < size) {
		want = c == NULL ? TABLE_CHUNK_MIN : c->size * 2;
		if (want > TABLE_CHUNK_MAX)
			want = TABLE_CHUNK_MAX;
		if (want < size)
			want = size;
		c = xmalloc(sizeof *c + want);
		c->size = want;
		c->used = 0;
		c->next = t->chunks;
		t->chunks = c;
	}
	c->used += size;
	return c->data + c->used - size;
}

/* A NUL-terminated copy; not xstrndup(), as a key may hold NUL bytes. */
static char *
table_store(struct table *t, const char *s, size_t len)
{
	char	*p;

	p = table_alloc(t, len + 1);
	if (len != 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static struct table_entry *
table_add_entry(struct table *t, size_t line, const char *key, size_t keylen)
{
	struct table_entry	*e;

	if (t->nentries == t->entriesalloc) {
		t->entriesalloc = t->entriesalloc == 0 ? 64 :
		    t->entriesalloc * 2;
		t->entries = xreallocarray(t->entries, t->entriesalloc,
		    sizeof *t->entries);
	}
	e = &t->entries[t->nentries];
	memset(e, 0, sizeof *e);
	e->key = table_store(t, key, keylen);
	e->keylen = keylen;
	e->line = line;
	e->nlines = 1;
	if (t->lines[line].entry == TABLE_NONE)
		t->lines[line].entry = t->nentries;
	t->nentries++;
	return e;
}

/*
 * Maps and aliases have at most one entry per line: one array of that
 * size is never copied while growing (pages it does not use cost nothing).
 */
static void
table_reserve_entries(struct table *t, size_t n)
{
	if (n <= t->entriesalloc)
		return;
	t->entries = xreallocarray(t->entries, n, sizeof *t->entries);
	t->entriesalloc = n;
}

/*
 * Split text (len bytes and a NUL after them, owned by t from now on)
 * into lines: each line's text stays where it is, its line end (the CR of
 * a CRLF) replaced by a NUL.
 */
static void
table_split(struct table *t, char *text, size_t len)
{
	struct table_line	*l;
	char			*p, *end = text + len, *nl;
	size_t			 n = 0, nlf = 0, ncrlf = 0;

	/* Count first: the line array is allocated once, never copied. */
	for (p = text; p < end && (nl = memchr(p, '\n', end - p)) != NULL;
	    p = nl + 1)
		n++;
	if (p < end)
		n++;
	t->text = text;
	t->lines = n == 0 ? NULL : xreallocarray(NULL, n, sizeof *t->lines);
	for (p = text; p < end; p = nl + 1) {
		l = &t->lines[t->nlines++];
		l->text = p;
		l->type = TABLE_LINE_BLANK;
		l->entry = TABLE_NONE;
		if ((nl = memchr(p, '\n', end - p)) == NULL) {
			l->len = end - p;
			l->eol = TABLE_EOL_NONE;
			break;
		}
		if (nl > p && nl[-1] == '\r') {
			l->len = nl - 1 - p;
			l->eol = TABLE_EOL_CRLF;
			ncrlf++;
		} else {
			l->len = nl - p;
			l->eol = TABLE_EOL_LF;
			nlf++;
		}
		p[l->len] = '\0';
	}
	t->eol = ncrlf > nlf ? TABLE_EOL_CRLF : TABLE_EOL_LF;
}

/*
 * makemap: "#" in column 1 and empty lines are skipped, a leading blank is
 * a syntax error, the key runs to the first blank, the value starts at the
 * next non-blank.  makemap sees the CR of a CRLF line as part of the line.
 */
static void
table_parse_map(struct table *t)
{
	struct table_line	*l;
	struct table_entry	*e;
	size_t			 i, k, v, n;
	int			 cr;
	char			*value;

	table_reserve_entries(t, t->nlines);
	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		cr = l->eol == TABLE_EOL_CRLF;
		n = l->len;
		if (n == 0 && !cr) {
			l->type = TABLE_LINE_BLANK;
			continue;
		}
		if (n != 0 && l->text[0] == '#') {
			l->type = TABLE_LINE_COMMENT;
			continue;
		}
		if (n == 0 || table_isspace((unsigned char)l->text[0])) {
			l->type = TABLE_LINE_BAD;
			continue;
		}
		for (k = 0; k < n && !table_isspace((unsigned char)l->text[k]);
		    k++)
			;
		for (v = k; v < n && table_isspace((unsigned char)l->text[v]);
		    v++)
			;
		l->type = TABLE_LINE_ENTRY;
		e = table_add_entry(t, i, l->text, k);
		if (cr) {
			/* Where the line's CR was is now its NUL: copy. */
			value = table_alloc(t, n - v + 2);
			memcpy(value, l->text + v, n - v);
			value[n - v] = '\r';
			value[n - v + 1] = '\0';
			e->value = value;
			e->valuelen = n - v + 1;
		} else {
			/* The rest of the line, NUL-terminated already. */
			e->value = l->text + v;
			e->valuelen = n - v;
		}
		if (v == n || n + cr > TABLE_MAP_LINE_MAX) {
			l->type = TABLE_LINE_BAD;
			e->bad = 1;
		}
	}
}

/* Append a physical line to a logical aliases line, as sendmail reads it. */
static void
table_alias_add(struct buf *b, const struct table_line *l)
{
	buf_add(b, l->text, l->len);
	if (l->eol == TABLE_EOL_CRLF)
		buf_addch(b, '\r');
}

/*
 * Join backslash-continued lines starting at line *j into b (sendmail drops
 * the "\" and the line end).  Only a line that ends in "\" right before its
 * LF continues.
 */
static void
table_alias_join(struct table *t, size_t *j, struct buf *b)
{
	table_alias_add(b, &t->lines[*j]);
	while (t->lines[*j].eol == TABLE_EOL_LF && b->len != 0 &&
	    b->data[b->len - 1] == '\\' && *j + 1 < t->nlines) {
		buf_truncate(b, b->len - 1);
		(*j)++;
		t->lines[*j].type = TABLE_LINE_CONT;
		table_alias_add(b, &t->lines[*j]);
	}
}

/*
 * The name as sendmail's address parser leaves it: the part in <> if any,
 * words separated by blanks joined with ".", quotes dropped from a quoted
 * word that needs none.  An approximation of parseaddr() good for the
 * names people write.
 */
static void
table_alias_dbkey(const char *name, size_t len, struct buf *b)
{
	const char	*s = name, *end = name + len, *lt, *gt, *q;
	int		 needq, first = 1;

	lt = memchr(s, '<', len);
	if (lt != NULL && (gt = memchr(lt, '>', end - lt)) != NULL) {
		s = lt + 1;
		end = gt;
	}
	while (s < end) {
		while (s < end && table_isspace((unsigned char)*s))
			s++;
		if (s >= end)
			break;
		if (!first)
			buf_addch(b, '.');
		first = 0;
		if (*s == '"') {
			q = s + 1;
			needq = 0;
			while (q < end && *q != '"') {
				if (*q == '\\' && q + 1 < end)
					q++;
				if (strchr(" \t()<>@,;:\\[]", *q) != NULL)
					needq = 1;
				q++;
			}
			if (q < end)
				q++;
			if (needq || q - s < 2)
				buf_add(b, s, q - s);
			else
				buf_add(b, s + 1, q - s - 2);
			s = q;
			continue;
		}
		q = s;
		while (q < end && !table_isspace((unsigned char)*q) &&
		    *q != '"') {
			/* "\x" stays as written: sendmail keeps the "\". */
			if (*q == '\\' && q + 1 < end)
				q++;
			q++;
		}
		buf_add(b, s, q - s);
		s = q;
	}
}

/* Is there an "@" outside double quotes? */
static int
table_unquoted_at(const char *s, size_t len)
{
	size_t	i;
	int	inq = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		else if (s[i] == '"')
			inq = !inq;
		else if (s[i] == '@' && !inq)
			return 1;
	}
	return 0;
}

/*
 * sendmail -bi: "#" lines and empty lines are skipped; a line starting
 * with a blank that continues nothing is ignored (an error here); an entry
 * is "name: value" plus every following line that starts with a blank,
 * with "\"-newline joins anywhere.
 */
static void
table_parse_aliases(struct table *t)
{
	struct table_line	*l;
	struct table_entry	*e;
	struct buf		 b = BUF_INIT, dbkey = BUF_INIT;
	size_t			 i, j, c, n, nlen, v;
	const char		*s, *name;
	int			 inq;

	table_reserve_entries(t, t->nlines);
	for (i = 0; i < t->nlines; i = j + 1) {
		j = i;
		l = &t->lines[i];
		if (l->len == 0 && l->eol != TABLE_EOL_CRLF) {
			l->type = TABLE_LINE_BLANK;
			continue;
		}
		if (l->len != 0 && l->text[0] == '#') {
			l->type = TABLE_LINE_COMMENT;
			continue;
		}
		if (l->len != 0 && table_isblank((unsigned char)l->text[0])) {
			l->type = TABLE_LINE_BAD;
			continue;
		}
		buf_reset(&b);
		table_alias_join(t, &j, &b);
		while (j + 1 < t->nlines && t->lines[j + 1].len != 0 &&
		    table_isblank((unsigned char)t->lines[j + 1].text[0])) {
			j++;
			t->lines[j].type = TABLE_LINE_CONT;
			table_alias_join(t, &j, &b);
		}
		l->type = TABLE_LINE_ENTRY;

		/* The first ":" outside quotes ends the name. */
		s = b.data;
		n = b.len;
		inq = 0;
		for (c = 0; c < n; c++) {
			if (s[c] == '\\' && c + 1 < n)
				c++;
			else if (s[c] == '"')
				inq = !inq;
			else if (s[c] == ':' && !inq)
				break;
		}
		name = s;
		nlen = c;
		while (nlen != 0 && table_isspace((unsigned char)name[nlen - 1]))
			nlen--;
		if (c == n || nlen == 0) {
			/* Missing colon or empty name: nothing to key on. */
			l->type = TABLE_LINE_BAD;
			continue;
		}
		e = table_add_entry(t, i, name, nlen);
		e->nlines = j - i + 1;
		for (v = c + 1; v < n && table_isspace((unsigned char)s[v]); v++)
			;
		e->value = table_store(t, s + v, n - v);
		e->valuelen = n - v;
		if (v == n) {
			e->bad = 1;
			l->type = TABLE_LINE_BAD;
		}
		buf_reset(&dbkey);
		table_alias_dbkey(e->key, e->keylen, &dbkey);
		if (table_unquoted_at(dbkey.data, dbkey.len)) {
			/* "cannot alias non-local names" */
			e->bad = 1;
			l->type = TABLE_LINE_BAD;
		}
		if (dbkey.len != e->keylen ||
		    memcmp(dbkey.data, e->key, e->keylen) != 0) {
			e->dbkey = table_store(t, dbkey.data, dbkey.len);
			e->dbkeylen = dbkey.len;
		}
	}
	buf_release(&dbkey);
	buf_release(&b);
}

/*
 * Class files as the cf reads them with "F{X} -o FILE %[^#]": everything
 * before a "#" is split into blank-separated words.
 */
static void
table_parse_class(struct table *t)
{
	struct table_line	*l;
	struct table_entry	*e;
	size_t			 i, k, w, n;

	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		n = l->len;
		l->type = TABLE_LINE_BLANK;
		for (k = 0; k < n && l->text[k] != '#'; k++) {
			if (table_isspace((unsigned char)l->text[k]))
				continue;
			for (w = k; w < n && l->text[w] != '#' &&
			    !table_isspace((unsigned char)l->text[w]); w++)
				;
			l->type = TABLE_LINE_ENTRY;
			e = table_add_entry(t, i, l->text + k, w - k);
			e->col = k;
			k = w - 1;
		}
		if (l->type == TABLE_LINE_BLANK && k < n)
			l->type = TABLE_LINE_COMMENT;
	}
}

static void
table_parse_lines(struct table *t)
{
	switch (t->def->kind) {
	case TABLE_MAP:
		table_parse_map(t);
		break;
	case TABLE_ALIASES:
		table_parse_aliases(t);
		break;
	case TABLE_CLASS:
		table_parse_class(t);
		break;
	}
}

/* Parse text: len bytes and a NUL, which the table owns from now on. */
static struct table *
table_parse_text(const struct table_def *def, const char *file, char *text,
    size_t len)
{
	struct table	*t;

	t = xcalloc(1, sizeof *t);
	t->def = def;
	t->file = xstrdup(file != NULL ? file : def->name);
	t->eol = TABLE_EOL_LF;
	table_split(t, text, len);
	table_parse_lines(t);
	return t;
}

struct table *
table_parse(const struct table_def *def, const char *file, const char *data,
    size_t len)
{
	char	*text;

	text = xmalloc(len + 1);
	if (len != 0)
		memcpy(text, data, len);
	text[len] = '\0';
	return table_parse_text(def, file, text, len);
}

struct table *
table_parse_buf(const struct table_def *def, const char *file,
    struct buf *b)
{
	size_t	len = b->len;

	return table_parse_text(def, file, buf_detach(b), len);
}

static void
table_clear(struct table *t)
{
	struct table_chunk	*c, *next;

	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
	free(t->entries);
	t->entries = NULL;
	t->nentries = 0;
	t->entriesalloc = 0;
	for (c = t->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	t->chunks = NULL;
	free(t->text);
	t->text = NULL;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	table_clear(t);
	free(t->file);
	free(t);
}

static void
table_add_eol(struct buf *b, enum table_eol eol)
{
	if (eol == TABLE_EOL_LF)
		buf_addch(b, '\n');
	else if (eol == TABLE_EOL_CRLF)
		buf_add(b, "\r\n", 2);
}

void
table_serialize(const struct table *t, struct buf *out)
{
	size_t	i;

	for (i = 0; i < t->nlines; i++) {
		buf_add(out, t->lines[i].text, t->lines[i].len);
		table_add_eol(out, t->lines[i].eol);
	}
}

/* Read the table again from its new text b (taken over) after an edit. */
static void
table_reparse(struct table *t, struct buf *b)
{
	enum table_eol	eol = t->eol;
	size_t		len = b->len;

	table_clear(t);
	table_split(t, buf_detach(b), len);
	if (t->nlines == 0)
		t->eol = eol;
	table_parse_lines(t);
}

struct table *
table_load(struct transport *tp, const struct table_def *def,
    const char *path, int missing_ok, int *existed, char **cause)
{
	struct tstat	 st;
	struct buf	 b = BUF_INIT;
	struct table	*t;

	if (existed != NULL)
		*existed = 0;
	if (transport_stat(tp, path, 1, &st, cause) != 0)
		return NULL;
	if (st.type == TS_NONE) {
		if (!missing_ok) {
			*cause = xasprintf("%s: no such file", path);
			return NULL;
		}
		return table_parse(def, path, "", 0);
	}
	if (st.type != TS_REG) {
		*cause = xasprintf("%s: not a regular file", path);
		return NULL;
	}
	if (transport_read_file(tp, path, &b, 0, cause) != 0) {
		buf_release(&b);
		return NULL;
	}
	if (existed != NULL)
		*existed = 1;
	t = table_parse_buf(def, path, &b);
	buf_release(&b);
	return t;
}

int
table_save(struct transport *tp, const struct table *t, const char *path,
    char **cause)
{
	struct write_opts	 wo;
	struct buf		 b = BUF_INIT;
	int			 rc;

	write_opts_init(&wo);
	/* aliases and maps hold nothing secret, but keep what was there. */
	wo.mode = 0644;
	table_serialize(t, &b);
	rc = transport_write_file(tp, path, b.data, b.len, &wo, cause);
	buf_release(&b);
	return rc;
}

size_t
table_find(const struct table *t, const char *key)
{
	size_t	i, found = TABLE_NONE, len = strlen(key);

	for (i = 0; i < t->nentries; i++) {
		if (table_keycmp(t->entries[i].key, t->entries[i].keylen, key,
		    len) != 0)
			continue;
		if (t->def->kind != TABLE_ALIASES)
			return i;
		found = i;
	}
	return found;
}

/*
 * Replace lines [at, at + ndel) with the texts in add (each gets line end
 * eol), then read the table again.
 */
static void
table_splice(struct table *t, size_t at, size_t ndel, const struct strv *add,
    enum table_eol eol)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < at; i++) {
		buf_add(&b, t->lines[i].text, t->lines[i].len);
		table_add_eol(&b, t->lines[i].eol);
	}
	for (i = 0; add != NULL && i < add->n; i++) {
		buf_addstr(&b, add->v[i]);
		table_add_eol(&b, eol);
	}
	for (i = at + ndel; i < t->nlines; i++) {
		buf_add(&b, t->lines[i].text, t->lines[i].len);
		table_add_eol(&b, t->lines[i].eol);
	}
	table_reparse(t, &b);
}

/* Visual column after text, with tab stops every 8. */
static size_t
table_column(const char *s, size_t len)
{
	size_t	i, col = 0;

	for (i = 0; i < len; i++)
		col = s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

/*
 * The blanks between key (aliases: colon) and value of entry e, as
 * [*sep, *val) in its first line; 0 if it has none.
 */
static int
table_entry_sep(const struct table *t, const struct table_entry *e,
    const char **sep, const char **val)
{
	const struct table_line	*l = &t->lines[e->line];
	const char		*p, *s, *end = l->text + l->len;

	if (e->bad || t->def->kind == TABLE_CLASS)
		return 0;
	p = l->text + e->keylen;
	if (t->def->kind == TABLE_ALIASES) {
		if ((p = memchr(l->text, ':', l->len)) == NULL)
			return 0;
		p++;
	}
	for (s = p; s < end && table_isblank((unsigned char)*s); s++)
		;
	if (s == p || s == end)
		return 0;
	*sep = p;
	*val = s;
	return 1;
}

/*
 * Separator for a new line whose key part is lhs: when the file pads its
 * values to a column (a separator of several blanks), reach the column of
 * the last such entry with the same kind of blanks; otherwise copy the last
 * entry's separator.
 */
static void
table_new_sep(const struct table *t, const char *lhs, struct buf *sep)
{
	const struct table_entry	*e;
	const char			*p, *s, *lp = NULL, *ls = NULL;
	size_t				 i, col, want, n;
	int				 tabs = 1, spaces = 1;

	for (i = t->nentries; i > 0; i--) {
		e = &t->entries[i - 1];
		if (!table_entry_sep(t, e, &p, &s))
			continue;
		if (lp == NULL) {
			lp = p;
			ls = s;
		}
		if (s - p < 2)
			continue;
		for (n = 0; p + n < s; n++) {
			if (p[n] != '\t')
				tabs = 0;
			if (p[n] != ' ')
				spaces = 0;
		}
		if (!tabs && !spaces)
			break;
		want = table_column(t->lines[e->line].text,
		    s - t->lines[e->line].text);
		col = table_column(lhs, strlen(lhs));
		do {
			buf_addch(sep, tabs ? '\t' : ' ');
			col = tabs ? (col / 8 + 1) * 8 : col + 1;
		} while (col < want);
		return;
	}
	if (lp != NULL)
		buf_add(sep, lp, ls - lp);
	else
		buf_addch(sep, t->def->kind == TABLE_ALIASES ? ' ' : '\t');
}

/* Checks on a key or value given to an edit, before it goes in a line. */
static int
table_check_input(const struct table *t, const char *key, const char *value,
    char **cause)
{
	const char	*p;

	if (*key == '\0') {
		*cause = xasprintf("%s: empty key", t->file);
		return -1;
	}
	if (strpbrk(key, "\r\n") != NULL ||
	    (value != NULL && strpbrk(value, "\r\n") != NULL)) {
		*cause = xasprintf("%s: a key or value cannot contain a line "
		    "break", t->file);
		return -1;
	}
	if (*key == '#' || table_isspace((unsigned char)*key)) {
		*cause = xasprintf("%s: key \"%s\" would not be read as a key "
		    "(it starts with \"#\" or a blank)", t->file, key);
		return -1;
	}
	switch (t->def->kind) {
	case TABLE_MAP:
	case TABLE_CLASS:
		for (p = key; *p != '\0'; p++) {
			if (table_isspace((unsigned char)*p) ||
			    (t->def->kind == TABLE_CLASS && *p == '#')) {
				*cause = xasprintf("%s: key \"%s\" contains a "
				    "blank%s", t->file, key,
				    t->def->kind == TABLE_CLASS ?
				    " or \"#\"" : "");
				return -1;
			}
		}
		break;
	case TABLE_ALIASES:
		if (strchr(key, ':') != NULL) {
			*cause = xasprintf("%s: alias name \"%s\" contains "
			    "\":\"", t->file, key);
			return -1;
		}
		/* sendmail -bi joins a line ending in "\" to the next. */
		if (value != NULL && *value != '\0' &&
		    value[strlen(value) - 1] == '\\') {
			*cause = xasprintf("%s: the value for \"%s\" ends in "
			    "\"\\\": sendmail -bi would join the next line to "
			    "it", t->file, key);
			return -1;
		}
		break;
	}
	if (value != NULL && t->def->kind != TABLE_CLASS &&
	    (*value == '\0' || table_isspace((unsigned char)*value))) {
		*cause = xasprintf("%s: the value for \"%s\" is empty or "
		    "starts with a blank", t->file, key);
		return -1;
	}
	return 0;
}

static int
table_no_entry(const struct table *t, const char *key, char **cause)
{
	*cause = xasprintf("%s: no entry \"%s\"", t->file, key);
	return -1;
}

static void
table_append(struct table *t, const char *text)
{
	struct strv	add = STRV_INIT;

	if (t->nlines != 0 && t->lines[t->nlines - 1].eol == TABLE_EOL_NONE)
		t->lines[t->nlines - 1].eol = t->eol;
	strv_push(&add, text);
	table_splice(t, t->nlines, 0, &add, t->eol);
	strv_release(&add);
}

int
table_set(struct table *t, const char *key, const char *value, char **cause)
{
	const struct table_entry	*e;
	const struct table_line		*l;
	struct buf			 b = BUF_INIT, sep = BUF_INIT;
	struct strv			 add = STRV_INIT;
	const char			*colon, *p, *end;
	size_t				 i;

	if (table_check_input(t, key,
	    t->def->kind == TABLE_CLASS ? NULL : value, cause) != 0)
		return -1;
	i = table_find(t, key);
	if (i == TABLE_NONE) {
		if (t->def->kind == TABLE_CLASS)
			buf_addstr(&b, key);
		else {
			buf_addstr(&b, key);
			if (t->def->kind == TABLE_ALIASES)
				buf_addch(&b, ':');
			table_new_sep(t, b.data, &sep);
			buf_add(&b, sep.data, sep.len);
			buf_addstr(&b, value);
		}
		table_append(t, b.data);
		goto out;
	}
	if (t->def->kind == TABLE_CLASS)
		goto out;

	e = &t->entries[i];
	l = &t->lines[e->line];
	end = l->text + l->len;
	if (t->def->kind == TABLE_MAP)
		colon = l->text + e->keylen;
	else if ((colon = memchr(l->text, ':', l->len)) != NULL)
		colon++;
	if (colon != NULL) {
		/* Keep the key (and colon) and the blanks after it. */
		p = colon;
		while (p < end && table_isblank((unsigned char)*p))
			p++;
		buf_add(&b, l->text, p - l->text);
		if (p == colon)
			buf_addch(&b, t->def->kind == TABLE_ALIASES ? ' ' : '\t');
	} else {
		/* The name was continued over lines: write it afresh. */
		buf_printf(&b, "%s: ", e->key);
	}
	buf_addstr(&b, value);
	strv_push(&add, b.data);
	table_splice(t, e->line, e->nlines, &add,
	    t->lines[e->line + e->nlines - 1].eol);
out:
	strv_release(&add);
	buf_release(&sep);
	buf_release(&b);
	return 0;
}

/* Cut the class word of entry e out of its line. */
static void
table_cut_word(struct table *t, const struct table_entry *e)
{
	const struct table_line	*l = &t->lines[e->line];
	struct strv		 add = STRV_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 start = e->col, end = e->col + e->keylen;

	/* Take the blanks after the word, or before it at the end. */
	while (end < l->len && table_isblank((unsigned char)l->text[end]))
		end++;
	if (end == l->len || l->text[end] == '#')
		while (start > 0 &&
		    table_isblank((unsigned char)l->text[start - 1]))
			start--;
	buf_add(&b, l->text, start);
	buf_add(&b, l->text + end, l->len - end);
	strv_push(&add, b.data);
	table_splice(t, e->line, 1, &add, l->eol);
	strv_release(&add);
	buf_release(&b);
}

/* Does entry e share its line with other class words? */
static int
table_shares_line(const struct table *t, const struct table_entry *e)
{
	size_t	i;

	for (i = 0; i < t->nentries; i++)
		if (&t->entries[i] != e && t->entries[i].line == e->line)
			return 1;
	return 0;
}

int
table_del(struct table *t, const char *key, char **cause)
{
	const struct table_entry	*e;
	size_t				 i, n = 0;

	for (;;) {
		for (i = 0; i < t->nentries; i++)
			if (table_keycmp(t->entries[i].key,
			    t->entries[i].keylen, key, strlen(key)) == 0)
				break;
		if (i == t->nentries)
			break;
		e = &t->entries[i];
		if (t->def->kind == TABLE_CLASS && table_shares_line(t, e))
			table_cut_word(t, e);
		else
			table_splice(t, e->line, e->nlines, NULL, t->eol);
		n++;
	}
	if (n == 0)
		return table_no_entry(t, key, cause);
	return 0;
}

int
table_rename(struct table *t, const char *key, const char *newkey,
    char **cause)
{
	const struct table_entry	*e;
	const struct table_line		*l;
	struct buf			 b = BUF_INIT;
	struct strv			 add = STRV_INIT;
	const char			*colon;
	size_t				 i, start, end;

	if (table_check_input(t, newkey, NULL, cause) != 0)
		return -1;
	if ((i = table_find(t, key)) == TABLE_NONE)
		return table_no_entry(t, key, cause);
	if (table_keycmp(key, strlen(key), newkey, strlen(newkey)) != 0 &&
	    table_find(t, newkey) != TABLE_NONE) {
		*cause = xasprintf("%s: \"%s\" already exists", t->file,
		    newkey);
		return -1;
	}
	e = &t->entries[i];
	l = &t->lines[e->line];
	start = e->col;
	end = e->col + e->keylen;
	if (t->def->kind == TABLE_ALIASES) {
		if ((colon = memchr(l->text, ':', l->len)) == NULL) {
			*cause = xasprintf("%s:%zu: the name of \"%s\" spans "
			    "lines; edit it by hand", t->file, e->line + 1,
			    key);
			return -1;
		}
		end = colon - l->text;
		while (end > 0 && table_isblank((unsigned char)l->text[end - 1]))
			end--;
	}
	buf_add(&b, l->text, start);
	buf_addstr(&b, newkey);
	buf_add(&b, l->text + end, l->len - end);
	strv_push(&add, b.data);
	table_splice(t, e->line, 1, &add, l->eol);
	strv_release(&add);
	buf_release(&b);
	return 0;
}

int
table_comment(struct table *t, const char *key, char **cause)
{
	const struct table_entry	*e;
	const struct table_line		*l;
	struct buf			 b = BUF_INIT;
	size_t				 i, j;

	if ((i = table_find(t, key)) == TABLE_NONE)
		return table_no_entry(t, key, cause);
	e = &t->entries[i];
	if (t->def->kind == TABLE_CLASS && table_shares_line(t, e)) {
		*cause = xasprintf("%s:%zu: \"%s\" shares its line with other "
		    "entries", t->file, e->line + 1, key);
		return -1;
	}
	for (j = 0; j < t->nlines; j++) {
		l = &t->lines[j];
		if (j >= e->line && j < e->line + e->nlines)
			buf_addch(&b, '#');
		buf_add(&b, l->text, l->len);
		table_add_eol(&b, l->eol);
	}
	table_reparse(t, &b);
	return 0;
}

size_t
table_pairs(const struct table *t, struct map_pair **pairs)
{
	const struct table_entry	*e;
	size_t				 i, n = 0;

	*pairs = NULL;
	if (t->def->kind == TABLE_CLASS)
		return 0;
	*pairs = xcalloc(t->nentries + 1, sizeof **pairs);
	for (i = 0; i < t->nentries; i++) {
		e = &t->entries[i];
		if (e->bad)
			continue;
		if (e->dbkey != NULL) {
			(*pairs)[n].key = e->dbkey;
			(*pairs)[n].keylen = e->dbkeylen;
		} else {
			(*pairs)[n].key = e->key;
			(*pairs)[n].keylen = e->keylen;
		}
		(*pairs)[n].val = e->value;
		(*pairs)[n].vallen = e->valuelen;
		(*pairs)[n].line = e->line + 1;
		n++;
	}
	return n;
}
