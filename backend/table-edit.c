/*
 * table-edit.c -- one checked edit of a table file: read, edit, check the
 * lines the edit wrote, save with a backup (see table_edit_apply() in
 * table.h).  The CLI and the console both edit tables through here, so an
 * entry the one refuses the other refuses too, with the same message.
 */
#include <stdlib.h>
#include <string.h>

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
 * Check the edited table; errors on lines first..last (1-based) go to
 * *cause, warnings there to te->warnings.  Returns -1 on errors.
 */
static int
table_edit_check(const struct table *t, const char *path, size_t first,
    size_t last, struct table_edit *te, char **cause)
{
	struct table_diags	 d;
	struct buf		 errs = BUF_INIT;
	size_t			 i;
	int			 rc = 0;

	table_diags_init(&d);
	table_check(t, &d);
	for (i = 0; i < d.n; i++) {
		if (d.v[i].line < first || d.v[i].line > last)
			continue;
		if (d.v[i].severity == TABLE_ERROR)
			buf_printf(&errs, "%s%s", errs.len ? "; " : "",
			    d.v[i].text);
		else
			strv_push(&te->warnings, d.v[i].text);
	}
	if (errs.len != 0) {
		*cause = xasprintf("%s (%s not changed)", errs.data, path);
		rc = -1;
	}
	buf_release(&errs);
	table_diags_release(&d);
	return rc;
}

int
table_edit_apply(struct transport *tp, const struct table_def *def,
    const char *path, struct table_edit *te, char **cause)
{
	const struct table_entry	*e;
	struct table			*t;
	struct buf			 before = BUF_INIT, after = BUF_INIT;
	struct buf			 backup = BUF_INIT;
	const char			*written;
	size_t				 i, nbefore;
	int				 rc = -1;

	te->changed = te->added = 0;
	te->line = te->nremoved = 0;
	/* Only "set" may make a new file. */
	t = table_load(tp, def, path, te->op == TABLE_OP_SET, NULL, cause);
	if (t == NULL)
		return -1;
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

	/* The entry the edit wrote, if it wrote one: check its lines. */
	written = NULL;
	if (te->op == TABLE_OP_SET)
		written = te->key;
	else if (te->op == TABLE_OP_RENAME)
		written = te->arg;
	if (written != NULL &&
	    (i = table_find(t, written)) != TABLE_NONE) {
		e = &t->entries[i];
		te->line = e->line + 1;
		if (table_edit_check(t, path, e->line + 1,
		    e->line + e->nlines, te, cause) != 0)
			goto out;
	}
	if (table_save(tp, t, path, &backup, cause) != 0)
		goto out;
	te->changed = 1;
	if (backup.len != 0)
		te->backup = buf_detach(&backup);
	rc = 0;
out:
	buf_release(&before);
	buf_release(&after);
	buf_release(&backup);
	table_free(t);
	return rc;
}
