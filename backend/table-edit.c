/*
 * table-edit.c -- one checked edit of a table file: read, edit in memory,
 * check the new text with table_check() (the checker of "map check"), read
 * the written entry back, and only then save it with a backup (see
 * table_edit_apply() in table.h).  The CLI and the console both edit tables through here, so an
 * entry the one refuses the other refuses too, with the same message.
 */
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "table.h"

/* Far beyond makemap's 1024 bytes: longer is not a table text. */
#define TABLE_EDIT_MAXLINE	65536

void
table_edit_init(struct table_edit *te, enum table_op op, const char *key,
    const char *arg)
{
	memset(te, 0, sizeof *te);
	te->op = op;
	te->key = key;
	te->arg = arg;
	strv_init(&te->warnings);
}

void
table_edit_release(struct table_edit *te)
{
	strv_release(&te->warnings);
	free(te->backup);
	te->backup = NULL;
}

/* Apply the edit to t in memory. */
static int
table_edit_do(struct table *t, const struct table_edit *te, char **cause)
{
	switch (te->op) {
	case TABLE_OP_SET:
		return table_set(t, te->key, te->arg != NULL ? te->arg : "",
		    cause);
	case TABLE_OP_DEL:
		return table_del(t, te->key, cause);
	case TABLE_OP_RENAME:
		return table_rename(t, te->key, te->arg, cause);
	case TABLE_OP_COMMENT:
		return table_comment(t, te->key, cause);
	}
	*cause = xstrdup("unknown table edit");
	return -1;
}

/*
 * A diagnostic's message without its "FILE:LINE: " prefix, so that the same
 * problem is recognised before and after an edit that moved its line.
 */
static const char *
table_edit_msg(const struct table *t, const char *text)
{
	size_t	n = strlen(t->file);

	if (strncmp(text, t->file, n) != 0 || text[n] != ':')
		return text;
	text += n + 1;
	while (*text >= '0' && *text <= '9')
		text++;
	if (*text == ':')
		text++;
	while (*text == ' ')
		text++;
	return text;
}

struct table_edit_err {
	const char	*msg;	/* without FILE:LINE */
	const char	*text;	/* the whole diagnostic */
	size_t		 line;
};

static int
table_edit_errcmp(const void *a, const void *b)
{
	const struct table_edit_err	*ea = a, *eb = b;

	return strcmp(ea->msg, eb->msg);
}

/* The errors of d, sorted by message; returns how many. */
static size_t
table_edit_errors(const struct table *t, const struct table_diags *d,
    struct table_edit_err **out)
{
	size_t	i, n = 0;

	*out = xreallocarray(NULL, d->n + 1, sizeof **out);
	for (i = 0; i < d->n; i++) {
		if (d->v[i].severity != TABLE_ERROR)
			continue;
		(*out)[n].msg = table_edit_msg(t, d->v[i].text);
		(*out)[n].text = d->v[i].text;
		(*out)[n].line = d->v[i].line;
		n++;
	}
	xqsort(*out, n, sizeof **out, table_edit_errcmp);
	return n;
}

/* A key for a message: in quotes, control bytes and quotes escaped. */
static char *
table_edit_show(const char *s)
{
	struct buf	b = BUF_INIT;

	buf_addch(&b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(&b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_printf(&b, "\\x%02x", (unsigned char)*s);
		else
			buf_addch(&b, *s);
	}
	buf_addch(&b, '"');
	return buf_detach(&b);
}

static int
table_edit_crlf_said(const struct strv *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++)
		if (strstr(w->v[i], ": warning: CRLF ") != NULL)
			return 1;
	return 0;
}

/*
 * Check the edited table t against the errors the file had before the edit
 * (its text is before).  An error the old text did not have -- on the
 * written lines or anywhere else, say a line the edit joined to another --
 * goes to *cause and fails the edit; errors that were there before do not
 * block it, and warnings never do.  Warnings on lines first..last (1-based,
 * the entry written) go to te->warnings.  The old text is only checked
 * when the new one has errors: a clean table costs one check.
 */
static int
table_edit_check(const struct table *t, const struct buf *before,
    const char *path, size_t first, size_t last, struct table_edit *te,
    char **cause)
{
	struct table_diags	 d, dold;
	struct table_edit_err	*cur, *old = NULL;
	struct table		*told;
	struct buf		 errs = BUF_INIT;
	const char		*key;
	char			*show;
	size_t			 i, j, ncur, nold = 0;
	int			 c, elsewhere = 0, rc = 0;

	table_diags_init(&d);
	table_diags_init(&dold);
	table_check(t, &d);
	for (i = 0; i < d.n; i++) {
		if (d.v[i].severity == TABLE_WARNING &&
		    d.v[i].line >= first && d.v[i].line <= last)
			strv_push(&te->warnings, d.v[i].text);
	}
	/* The file-wide CRLF warning is on another line: say it here. */
	if (t->def->kind != TABLE_CLASS && first >= 1 && first <= t->nlines &&
	    t->lines[first - 1].eol == TABLE_EOL_CRLF &&
	    !table_edit_crlf_said(&te->warnings))
		strv_pushf(&te->warnings, "%s:%zu: warning: CRLF (Windows) "
		    "line ends: the line written keeps the file's CRLF, and "
		    "%s keeps the CR as the last byte of its value, as for "
		    "the other lines (sendmail reads it as a blank)", path,
		    first, t->def->kind == TABLE_MAP ? "makemap" :
		    "sendmail -bi");
	ncur = table_edit_errors(t, &d, &cur);
	told = NULL;
	if (ncur != 0) {
		told = table_parse(t->def, t->file, before->data, before->len);
		table_check(told, &dold);
		nold = table_edit_errors(told, &dold, &old);
	}

	/* Both lists sorted by message: walk them together. */
	for (i = j = 0; i < ncur; i++) {
		c = 1;
		while (j < nold && (c = strcmp(old[j].msg, cur[i].msg)) < 0)
			j++;
		if (j < nold && c == 0) {
			j++;	/* there before the edit */
			continue;
		}
		buf_printf(&errs, "%s%s", errs.len ? "; " : "", cur[i].text);
		if (cur[i].line < first || cur[i].line > last)
			elsewhere = 1;
	}
	if (errs.len != 0) {
		/* Not on the entry's own lines: say which key broke it. */
		key = te->op == TABLE_OP_RENAME ? te->arg : te->key;
		if (elsewhere) {
			show = table_edit_show(key);
			buf_printf(&errs, ", writing key %s", show);
			free(show);
		}
		*cause = xasprintf("%s (%s not changed)", errs.data, path);
		rc = -1;
	}
	free(cur);
	free(old);
	buf_release(&errs);
	table_diags_release(&d);
	table_diags_release(&dold);
	table_free(told);
	return rc;
}

/*
 * A line written into a CRLF file keeps the file's line ends, and makemap
 * and sendmail -bi keep the CR at the end of the value (sendmail's rules
 * and its address parser read it as a blank, as 8.17 does with -bt and
 * -bv): that CR is the file's, not a change of the value.
 */
static int
table_edit_samevalue(const struct table *t, const struct table_entry *e,
    const char *want)
{
	size_t	len = e->valuelen, wlen = strlen(want);

	if (t->def->kind != TABLE_CLASS && len != 0 &&
	    e->value[len - 1] == '\r' &&
	    t->lines[e->line + e->nlines - 1].eol == TABLE_EOL_CRLF &&
	    (wlen == 0 || want[wlen - 1] != '\r'))
		len--;
	return len == wlen && memcmp(e->value, want, len) == 0;
}

/*
 * Read the written entry back from the edited text: set must give an
 * entry with exactly this key (in any case, as the builder folds it) and
 * this value, rename an entry with the new key, del and comment none left
 * that the key finds.  Anything else means the text would say something
 * other than what was asked, and "map del" could not undo it.
 */
static int
table_edit_roundtrip(const struct table *t, const char *path,
    const struct table_edit *te, char **cause)
{
	const struct table_entry	*e = NULL;
	const char			*key, *why = NULL;
	char				*show;
	size_t				 i;

	key = te->op == TABLE_OP_RENAME ? te->arg : te->key;
	i = table_find(t, key);
	switch (te->op) {
	case TABLE_OP_SET:
	case TABLE_OP_RENAME:
		if (i == TABLE_NONE) {
			why = "it would not be read back as that key";
			break;
		}
		e = &t->entries[i];
		if (e->bad)
			why = "its line would not be read as an entry";
		else if (te->op == TABLE_OP_SET && t->def->kind != TABLE_CLASS &&
		    !table_edit_samevalue(t, e, te->arg))
			why = "its value would be read back differently";
		break;
	case TABLE_OP_DEL:
		if (i != TABLE_NONE)
			why = "an entry with that key would remain";
		break;
	case TABLE_OP_COMMENT:
		break;
	}
	if (why == NULL)
		return 0;
	show = table_edit_show(key);
	if (e != NULL)
		*cause = xasprintf("%s:%zu: key %s: %s (%s not changed)", path,
		    e->line + 1, show, why, path);
	else
		*cause = xasprintf("%s: key %s: %s (%s not changed)", path,
		    show, why, path);
	free(show);
	return -1;
}

/* Keep the file as it is now in a backup set; its ID goes to te. */
static int
table_edit_backup(struct host *h, const struct table_def *def,
    const char *path, struct table_edit *te, char **cause)
{
	static const char *const ops[] = { "set", "del", "rename", "comment" };
	struct strv	 roles = STRV_INIT, paths = STRV_INIT;
	char		*reason;
	int		 rc;

	strv_push(&roles, def->name);
	strv_push(&paths, path);
	reason = xasprintf("map %s %s", ops[te->op], def->name);
	rc = backup_create(h, reason, &roles, &paths, NULL, &te->backup,
	    cause);
	if (rc != 0) {
		char	*c = *cause;

		*cause = xasprintf("%s not changed: its backup set could not "
		    "be made: %s", path, c);
		free(c);
	}
	free(reason);
	strv_release(&roles);
	strv_release(&paths);
	return rc;
}

int
table_edit_apply(struct host *h, const struct table_def *def,
    const char *path, struct table_edit *te, char **cause)
{
	struct transport		*tp = h->t;
	const struct table_entry	*e;
	struct table			*t;
	struct buf			 before = BUF_INIT, after = BUF_INIT;
	const char			*written;
	size_t				 i, nbefore, first, last;
	int				 rc = -1;

	te->changed = te->added = 0;
	te->line = te->nremoved = 0;
	/* Only "set" may make a new file. */
	t = table_load(tp, def, path, te->op == TABLE_OP_SET, NULL, cause);
	if (t == NULL)
		goto out;
	table_serialize(t, &before);
	if (text_editable(path, before.data, before.len, TABLE_EDIT_MAXLINE,
	    cause) != 0)
		goto out;
	nbefore = t->nentries;
	if ((i = table_find(t, te->key)) != TABLE_NONE)
		te->line = t->entries[i].line + 1;
	else if (te->op == TABLE_OP_SET)
		te->added = 1;
	if (table_edit_do(t, te, cause) != 0)
		goto out;
	table_serialize(t, &after);
	if (before.len == after.len &&
	    memcmp(before.data, after.data, before.len) == 0) {
		rc = 0;
		goto out;
	}
	te->nremoved = nbefore > t->nentries ? nbefore - t->nentries : 0;

	/* The entry the edit wrote, if it wrote one. */
	written = NULL;
	if (te->op == TABLE_OP_SET)
		written = te->key;
	else if (te->op == TABLE_OP_RENAME)
		written = te->arg;
	first = last = 0;
	if (written != NULL &&
	    (i = table_find(t, written)) != TABLE_NONE) {
		e = &t->entries[i];
		te->line = e->line + 1;
		first = e->line + 1;
		last = e->line + e->nlines;
	}
	if (table_edit_check(t, &before, path, first, last, te, cause) != 0)
		goto out;
	if (table_edit_roundtrip(t, path, te, cause) != 0)
		goto out;
	if (table_edit_backup(h, def, path, te, cause) != 0)
		goto out;
	if (table_save(tp, t, path, cause) != 0)
		goto out;
	te->changed = 1;
	rc = 0;
out:
	buf_release(&before);
	buf_release(&after);
	table_free(t);
	return rc;
}
