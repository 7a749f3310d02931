/*
 * wizard-merge.c -- what the wizard's files become on a host that already
 * has them (see wizard.h): the role's mc replaces the old one, while each
 * table keeps every line it had and gets only the role's entries it lacks.
 */
#include <stdlib.h>
#include <string.h>

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

/* Merge the role's table (text want) into the file's (f->old). */
static int
merge_table(const struct table_def *def, struct wizard_merge_file *f,
    const struct buf *want, char **cause)
{
	struct table		*t, *w;
	struct table_merge	 tm;
	int			 rc = -1;

	t = table_parse(def, f->path, f->old.data, f->old.len);
	w = table_parse(def, "wizard", want->data, want->len);
	table_merge_init(&tm);
	if (table_merge(&t, w, "the role", &tm, cause) != 0)
		goto out;
	table_serialize(t, &f->text);
	f->kept = tm.kept;
	f->added = tm.added;
	f->same = tm.same;
	strv_extend(&f->notes, &tm.notes);
	rc = 0;
out:
	table_merge_release(&tm);
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
			if (f->same != 0 && f->existed)
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
