/*
 * wizard-merge.c -- what the wizard's files become on a host that already
 * has them (see wizard.h): the role's mc replaces the old one, while each
 * table keeps every line it had and gets only the role's entries it lacks.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "table.h"
#include "wizard.h"

void
wizard_merge_init(struct wizard_merge *m)
{
	memset(m, 0, sizeof *m);
}

void
wizard_merge_release(struct wizard_merge *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].role);
		free(m->v[i].path);
		buf_release(&m->v[i].old);
		buf_release(&m->v[i].text);
		strv_release(&m->v[i].notes);
	}
	m->n = 0;
}

/* The value without the blanks and the CR that makemap keeps after it. */
static size_t
value_len(const char *v, size_t len)
{
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
	    v[len - 1] == '\r'))
		len--;
	return len;
}

/*
 * Do the two values say the same?  Access actions are read by sendmail's
 * rulesets, whose token matching ignores case (RELAY, relay); the other
 * maps' values are compared as written.
 */
static int
value_same(const struct table *t, const struct table_entry *a,
    const struct table_entry *b)
{
	size_t	la = value_len(a->value, a->valuelen);
	size_t	lb = value_len(b->value, b->valuelen);

	if (la != lb)
		return 0;
	if (strcmp(t->def->name, "access") == 0)
		return strncasecmp(a->value, b->value, la) == 0;
	return memcmp(a->value, b->value, la) == 0;
}

/* Has key been seen before?  Remembers it if not. */
static int
noted(struct strv *seen, const char *key)
{
	size_t	i;

	for (i = 0; i < seen->n; i++)
		if (strcasecmp(seen->v[i], key) == 0)
			return 1;
	strv_push(seen, key);
	return 0;
}

/* Append one comment line (the wizard's header) to t, re-read. */
static struct table *
add_comment(struct table *t, const char *comment, size_t len)
{
	struct buf	 b = BUF_INIT;
	struct table	*nt;
	const char	*eol = t->eol == TABLE_EOL_CRLF ? "\r\n" : "\n";

	table_serialize(t, &b);
	if (b.len != 0 && b.data[b.len - 1] != '\n')
		buf_addstr(&b, eol);
	buf_add(&b, comment, len);
	buf_addstr(&b, eol);
	nt = table_parse_buf(t->def, t->file, &b);
	buf_release(&b);
	table_free(t);
	return nt;
}

/*
 * Merge the role's table (text want) into the file's (f->old): every
 * line of the old file stays where it is; each entry of the role whose
 * key (as sendmail looks it up: table_find) is missing is appended, after
 * the role's header comment; one whose key is there with another value
 * keeps the old value, and a note says so.
 */
static int
merge_table(const struct table_def *def, struct wizard_merge_file *f,
    const struct buf *want, char **cause)
{
	struct table		*t, *w;
	struct strv		 seen = STRV_INIT;
	const struct table_entry *we, *te;
	const struct table_line	*first;
	size_t			 i, at;
	char			*value, *why = NULL;
	int			 commented = 0, rc = -1;

	t = table_parse(def, f->path, f->old.data, f->old.len);
	w = table_parse(def, "wizard", want->data, want->len);
	for (i = 0; i < t->nentries; i++)
		if (!t->entries[i].bad)
			f->kept++;
	first = w->nlines != 0 ? &w->lines[0] : NULL;
	/* A new file says where it came from even with no entries yet. */
	if (t->nlines == 0 && first != NULL &&
	    first->type == TABLE_LINE_COMMENT) {
		t = add_comment(t, first->text, first->len);
		commented = 1;
	}
	for (i = 0; i < w->nentries; i++) {
		we = &w->entries[i];
		if (we->bad)
			continue;
		if ((at = table_find(t, we->key)) != TABLE_NONE) {
			te = &t->entries[at];
			f->same++;
			if (def->kind != TABLE_MAP || noted(&seen, te->key))
				continue;
			if (te->bad || te->value == NULL)
				strv_pushf(&f->notes, "%s:%zu: %s is there on "
				    "a line makemap rejects (see \"map "
				    "check\"): kept as it is; the role would "
				    "write \"%.*s\"", f->path, te->line + 1,
				    te->key, (int)value_len(we->value,
				    we->valuelen), we->value);
			else if (!value_same(t, te, we))
				strv_pushf(&f->notes, "%s:%zu: %s is already "
				    "there with \"%.*s\": kept (the role would "
				    "write \"%.*s\")", f->path, te->line + 1,
				    te->key, (int)value_len(te->value,
				    te->valuelen), te->value,
				    (int)value_len(we->value, we->valuelen),
				    we->value);
			continue;
		}
		if (!commented && first != NULL &&
		    first->type == TABLE_LINE_COMMENT) {
			t = add_comment(t, first->text, first->len);
			commented = 1;
		}
		value = def->kind == TABLE_CLASS ? NULL :
		    xstrndup(we->value, value_len(we->value, we->valuelen));
		if (table_set(t, we->key, value != NULL ? value : "",
		    &why) != 0) {
			*cause = xasprintf("%s: %s", f->path, why);
			free(why);
			free(value);
			goto out;
		}
		free(value);
		f->added++;
	}
	table_serialize(t, &f->text);
	rc = 0;
out:
	strv_release(&seen);
	table_free(t);
	table_free(w);
	return rc;
}

int
wizard_merge_read(struct host *h, const struct wizard_out *o,
    struct wizard_merge *m, char **cause)
{
	struct strv		 roles = STRV_INIT, paths = STRV_INIT;
	const struct buf	*data[WIZARD_MAX_FILES];
	struct wizard_merge_file *f;
	struct tstat		 st;
	size_t			 i;
	int			 rc = -1;

	wizard_files(h, o, &roles, &paths, data);
	for (i = 0; i < paths.n; i++) {
		f = &m->v[m->n++];
		f->role = xstrdup(roles.v[i]);
		f->path = xstrdup(paths.v[i]);
		buf_init(&f->old);
		buf_init(&f->text);
		strv_init(&f->notes);
		if (transport_stat(h->t, f->path, 1, &st, cause) != 0)
			goto out;
		if (st.type != TS_NONE && st.type != TS_REG) {
			*cause = xasprintf("%s: not a regular file", f->path);
			goto out;
		}
		f->existed = st.type == TS_REG;
		if (f->existed && transport_read_file(h->t, f->path, &f->old,
		    0, cause) != 0)
			goto out;
		if (strcmp(f->role, "mc") == 0) {
			/* The role decides the whole mc. */
			buf_add(&f->text, data[i]->data, data[i]->len);
			continue;
		}
		if (merge_table(profile_table_def(f->role), f, data[i],
		    cause) != 0)
			goto out;
	}
	rc = 0;
out:
	strv_release(&roles);
	strv_release(&paths);
	return rc;
}

int
wizard_merge_changes(const struct wizard_merge_file *f)
{
	return !f->existed || f->old.len != f->text.len ||
	    memcmp(f->old.data, f->text.data, f->old.len) != 0;
}

void
wizard_merge_format(const struct wizard_merge *m, struct buf *b)
{
	const struct wizard_merge_file	*f;
	size_t				 i, j;

	for (i = 0; i < m->n; i++) {
		f = &m->v[i];
		buf_printf(b, "==> %s <== ", f->path);
		if (strcmp(f->role, "mc") == 0)
			buf_printf(b, "%s\n", !f->existed ? "new mc" :
			    wizard_merge_changes(f) ? "mc replaced by the "
			    "role's (the role decides the mc)" :
			    "mc unchanged");
		else {
			buf_printf(b, "%s%zu %s kept, %zu added",
			    f->existed ? "" : "new file: ", f->kept,
			    f->kept == 1 ? "entry" : "entries", f->added);
			if (f->same != 0)
				buf_printf(b, " (%zu of the role's already "
				    "there)", f->same);
			buf_addch(b, '\n');
		}
		for (j = 0; j < f->notes.n; j++)
			buf_printf(b, "note: %s\n", f->notes.v[j]);
		if (!wizard_merge_changes(f))
			buf_addstr(b, "(no change)\n");
		else
			diff_unified(f->old.data, f->old.len, f->text.data,
			    f->text.len, f->existed ? f->path : "/dev/null",
			    f->path, 3, NULL, b);
		buf_addch(b, '\n');
	}
}
