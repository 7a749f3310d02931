/*
 * view-map.c -- one table: its entries in the list widget (line, key,
 * value; a multi-line alias is one row; comments shown on c), the checks
 * of every line beside them (! error, ? warning, the message of the row
 * under the cursor below the list), and whether the map is built from
 * the text as it is now.
 *
 * Edits go through table_edit() (backend/op.h), the code of "smadm map set|del|
 * rename|comment": the file is read afresh, edited, checked, and written
 * with a backup only when the lines the edit wrote have no errors.  b runs
 * the "map build NAME" command.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/table.h"
#include "../db/mapbuild.h"
#include "opctl.h"
#include "tui.h"
#include "widget-list.h"

enum {
	MV_ADD = 1,
	MV_EDIT,
	MV_DELETE,
	MV_COMMENT,
	MV_RENAME,
	MV_BUILD,
	MV_COMMENTS,
	MV_RELOAD
};

/* A row: an entry, or a line that is not one (a comment, a bad line). */
struct map_row {
	size_t	line;		/* 0-based */
	size_t	entry;		/* or TABLE_NONE */
};

struct map_view {
	struct tui_view		*view;
	struct wlist		*wl;
	const struct table_def	*def;
	char			*path;

	struct table		*t;
	char			*error;		/* the file cannot be read */
	int			 existed;
	struct table_diags	 diags;
	size_t			*ldiag;		/* per line: worst diagnostic */
	struct map_row		*rows;
	size_t			 nrows;
	char			*db;		/* mapbuild_state() */
	int			 comments;	/* show comment lines */
	char			*add_key;	/* the key a prompt is for */
	char			*refused;	/* why the last edit failed,
					   shown until the next key */

	struct wlist_column	 cols[4];
};

static const struct tui_binding map_bindings[] = {
	{ 'a', "Add", NULL, MV_ADD,
	    "Add an entry: asks for the key, then for the value" },
	{ 'e', "Edit", NULL, MV_EDIT,
	    "Change the value of the entry under the cursor" },
	{ TUI_KEY_ENTER, NULL, NULL, MV_EDIT, "Same as e" },
	{ 'd', "Delete", NULL, MV_DELETE,
	    "Delete the entry under the cursor (asks first)" },
	{ '#', "Comment", NULL, MV_COMMENT,
	    "Comment the entry under the cursor out (asks first)" },
	{ 'R', NULL, NULL, MV_RENAME, "Change the key of the entry" },
	{ 'b', "Build", NULL, MV_BUILD,
	    "Build this table's map now (map build NAME)" },
	{ '/', "Find", NULL, 0, "Search keys and values; n and N repeat" },
	{ 'c', NULL, NULL, MV_COMMENTS, "Show or hide comment lines" },
	{ 'r', NULL, NULL, MV_RELOAD, "Read the file again (also ^L)" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column map_columns[] = {
	{ "", 1, 0 },
	{ "Line", 5, WLIST_COL_RIGHT },
	{ "Key", 24, 0 },
	{ "Value", 0, 0 }
};
#define MAP_KEY_COL	2
#define MAP_KEY_MIN	8
#define MAP_KEY_MAX	32
#define MAP_MSG_LINES	2	/* below the list: the cursor row's check */

/* ---- the model ---- */

static void
map_clear(struct map_view *mv)
{
	table_free(mv->t);
	mv->t = NULL;
	free(mv->error);
	mv->error = NULL;
	table_diags_release(&mv->diags);
	free(mv->ldiag);
	mv->ldiag = NULL;
	free(mv->rows);
	mv->rows = NULL;
	mv->nrows = 0;
	free(mv->db);
	mv->db = NULL;
}

static void
map_add_row(struct map_view *mv, size_t *alloc, size_t line, size_t entry)
{
	if (mv->nrows == *alloc) {
		*alloc = *alloc == 0 ? 64 : *alloc * 2;
		mv->rows = xreallocarray(mv->rows, *alloc, sizeof *mv->rows);
	}
	mv->rows[mv->nrows].line = line;
	mv->rows[mv->nrows].entry = entry;
	mv->nrows++;
}

static int
map_blank(const struct table_line *l)
{
	return strspn(l->text, " \t\r") == l->len;
}

/* Rows in file order: entries, bad lines, comments when shown. */
static void
map_rows(struct map_view *mv)
{
	const struct table	*t = mv->t;
	const struct table_line	*l;
	size_t			 i, e = 0, here, alloc = 0;

	for (i = 0; i < t->nlines; i++) {
		l = &t->lines[i];
		for (here = 0; e < t->nentries && t->entries[e].line == i;
		    e++, here++)
			map_add_row(mv, &alloc, i, e);
		if (here != 0 || l->type == TABLE_LINE_CONT)
			continue;
		if (l->type == TABLE_LINE_BAD ||
		    (mv->comments && !map_blank(l)))
			map_add_row(mv, &alloc, i, TABLE_NONE);
	}
}

/* The worst diagnostic of each line, the first error or warning. */
static void
map_line_diags(struct map_view *mv)
{
	const struct table_diag	*d;
	size_t			 i, *worst;

	mv->ldiag = xreallocarray(NULL, mv->t->nlines + 1, sizeof *mv->ldiag);
	for (i = 0; i <= mv->t->nlines; i++)
		mv->ldiag[i] = TABLE_NONE;
	for (i = 0; i < mv->diags.n; i++) {
		d = &mv->diags.v[i];
		if (d->line == 0 || d->line > mv->t->nlines)
			continue;
		worst = &mv->ldiag[d->line - 1];
		if (*worst == TABLE_NONE || (d->severity == TABLE_ERROR &&
		    mv->diags.v[*worst].severity != TABLE_ERROR))
			*worst = i;
	}
}

/* Key column as wide as the longest key, within bounds. */
static void
map_key_width(struct map_view *mv)
{
	size_t	i, w = MAP_KEY_MIN;

	for (i = 0; i < mv->t->nentries; i++)
		if (mv->t->entries[i].keylen > w)
			w = mv->t->entries[i].keylen;
	mv->cols[MAP_KEY_COL].width = w > MAP_KEY_MAX ? MAP_KEY_MAX : (int)w;
}

static void
map_load(struct map_view *mv)
{
	struct host	*h = tui_host();

	map_clear(mv);
	table_diags_init(&mv->diags);
	mv->t = table_load(h->t, mv->def, mv->path, 1, &mv->existed,
	    &mv->error);
	if (mv->t == NULL)
		mv->t = table_parse(mv->def, mv->path, "", 0);
	table_check(mv->t, &mv->diags);
	map_line_diags(mv);
	map_rows(mv);
	map_key_width(mv);
	if (mv->existed)
		mv->db = mapbuild_state(h, mv->def, mv->path);
	wlist_changed(mv->wl);
}

/* The row showing entry i, or the nearest one before it. */
static void
map_select_entry(struct map_view *mv, size_t entry)
{
	size_t	i, best = 0;

	for (i = 0; i < mv->nrows; i++) {
		if (mv->rows[i].entry == entry) {
			best = i;
			break;
		}
		if (mv->rows[i].entry != TABLE_NONE &&
		    mv->rows[i].entry < entry)
			best = i;
	}
	wlist_set_cursor(mv->wl, best);
}

static void
map_select_key(struct map_view *mv, const char *key, size_t line)
{
	size_t	i, e;

	if ((e = table_find(mv->t, key)) != TABLE_NONE) {
		map_select_entry(mv, e);
		return;
	}
	/* Gone: stay near where it was. */
	for (i = 0; i < mv->nrows; i++)
		if (mv->rows[i].line + 1 >= line)
			break;
	wlist_set_cursor(mv->wl, i < mv->nrows ? i : mv->nrows);
}

/* The worst diagnostic on the lines of row i, or TABLE_NONE. */
static size_t
map_row_diag(struct map_view *mv, size_t i)
{
	const struct map_row	*r = &mv->rows[i];
	size_t			 l, n, d, worst = TABLE_NONE;

	n = r->entry != TABLE_NONE ? mv->t->entries[r->entry].nlines : 1;
	for (l = r->line; l < r->line + n && l < mv->t->nlines; l++) {
		if ((d = mv->ldiag[l]) == TABLE_NONE)
			continue;
		if (worst == TABLE_NONE || (mv->diags.v[d].severity ==
		    TABLE_ERROR && mv->diags.v[worst].severity != TABLE_ERROR))
			worst = d;
	}
	return worst;
}

/*
 * A value for one line of the screen or the prompt: blanks (tabs and
 * the line ends of a multi-line alias) folded into single spaces.
 */
static char *
map_flat(const char *s, size_t len)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		blank = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n') {
			blank = 1;
			continue;
		}
		if (blank && b.len != 0)
			buf_addch(&b, ' ');
		blank = 0;
		buf_addch(&b, s[i]);
	}
	return buf_detach(&b);
}

/* ---- the list ---- */

static size_t
map_nrows(void *arg)
{
	struct map_view	*mv = arg;

	return mv->nrows;
}

static void
map_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct map_view			*mv = arg;
	const struct map_row		*r = &mv->rows[i];
	const struct table_entry	*e;
	const struct table_line		*l = &mv->t->lines[r->line];
	size_t				 d;
	char				*v;
	int				 style = TS_NORMAL;

	if ((d = map_row_diag(mv, i)) != TABLE_NONE) {
		style = mv->diags.v[d].severity == TABLE_ERROR ? TS_BAD :
		    TS_WARN;
		wlist_cell_style(row, style);
		wlist_cell(row, style == TS_BAD ? "!" : "?");
	} else
		wlist_cell(row, "");
	wlist_cellf(row, "%zu", r->line + 1);
	if (r->entry == TABLE_NONE) {
		if (l->type == TABLE_LINE_COMMENT)
			wlist_row_style(row, TS_DIM);
		wlist_cell(row, "");
		if (style != TS_NORMAL)
			wlist_cell_style(row, style);
		wlist_cell(row, l->text);
		return;
	}
	e = &mv->t->entries[r->entry];
	if (style != TS_NORMAL)
		wlist_cell_style(row, style);
	wlist_cell(row, e->key);
	if (e->value != NULL) {
		v = map_flat(e->value, e->valuelen);
		wlist_cell(row, v);
		free(v);
	} else
		wlist_cell(row, "");
}

static int
map_search_match(void *arg, size_t i, const char *needle)
{
	struct map_view			*mv = arg;
	const struct map_row		*r = &mv->rows[i];
	const struct table_entry	*e;

	if (r->entry == TABLE_NONE)
		return strcasestr(mv->t->lines[r->line].text, needle) != NULL;
	e = &mv->t->entries[r->entry];
	return strcasestr(e->key, needle) != NULL ||
	    (e->value != NULL && strcasestr(e->value, needle) != NULL);
}

static const struct wlist_ops map_wlist_ops = {
	map_nrows, map_draw_row, NULL, map_search_match, NULL, NULL
};

/* ---- drawing ---- */

static void
map_draw_state(struct map_view *mv, int y, int x, int w)
{
	int	used;

	used = tui_put(y, x + 1, w - 1, TS_LABEL, "Map  ");
	x += 1 + used;
	w -= 1 + used;
	if (mv->def->kind == TABLE_CLASS)
		tui_put(y, x, w, TS_DIM, "class file: no database, sendmail "
		    "reads it when it starts");
	else if (!mv->existed || mv->db == NULL)
		tui_put(y, x, w, TS_DIM, "no text file yet");
	else if (strcmp(mv->db, "built") == 0)
		tui_put(y, x, w, TS_GOOD, "built from this text");
	else if (strcmp(mv->db, "stale") == 0)
		tui_put(y, x, w, TS_WARN, "modified since last build - "
		    "press b to build");
	else if (strcmp(mv->db, "no db") == 0)
		tui_put(y, x, w, TS_BAD, "no database yet - press b to build");
	else
		tui_putf(y, x, w, TS_BAD, "database: %s", mv->db);
}

static void
map_draw_file(struct map_view *mv, int y, int x, int w)
{
	struct buf	s = BUF_INIT;
	int		used, cw;

	used = 1 + tui_put(y, x + 1, w - 1, TS_LABEL, "File ");
	if (mv->error != NULL) {
		tui_put(y, x + used, w - used, TS_BAD, mv->error);
		return;
	}
	buf_printf(&s, "  %zu entr%s", mv->t->nentries,
	    mv->t->nentries == 1 ? "y" : "ies");
	if (mv->diags.nerrors != 0)
		buf_printf(&s, ", %zu error%s", mv->diags.nerrors,
		    mv->diags.nerrors == 1 ? "" : "s");
	if (mv->diags.nwarnings != 0)
		buf_printf(&s, ", %zu warning%s", mv->diags.nwarnings,
		    mv->diags.nwarnings == 1 ? "" : "s");
	if (!mv->existed)
		buf_addstr(&s, " (no file yet)");
	/* The counts keep their place; the path is cut on the left. */
	cw = tui_width(s.data, s.len);
	if (cw > w - used - 8)
		cw = w - used - 8 > 0 ? w - used - 8 : 0;
	used += tui_putn(y, x + used, w - used - cw, TS_NORMAL, mv->path,
	    strlen(mv->path), TUI_LEFT, 0);
	tui_putn(y, x + used, cw, mv->diags.nerrors != 0 ? TS_BAD :
	    mv->diags.nwarnings != 0 ? TS_WARN : TS_NORMAL, s.data, s.len,
	    TUI_ELLIPSIS, 0);
	buf_release(&s);
}

/*
 * A message with the table's path shortened to its file name, so that
 * the message fits (the full path is on the first line).
 */
static char *
map_short(struct map_view *mv, const char *text)
{
	struct buf	 b = BUF_INIT;
	const char	*base, *p;
	size_t		 plen = strlen(mv->path);

	base = (base = strrchr(mv->path, '/')) != NULL ? base + 1 : mv->path;
	while ((p = strstr(text, mv->path)) != NULL) {
		buf_add(&b, text, (size_t)(p - text));
		buf_addstr(&b, base);
		text = p + plen;
	}
	buf_addstr(&b, text);
	return buf_detach(&b);
}

/* Text on up to n lines, broken at blanks; the last line may be cut. */
static void
map_draw_wrapped(struct map_view *mv, int y, int x, int w, int n, int style,
    const char *text)
{
	char	*copy, *s;
	size_t	 len, cut, i;
	int	 row;

	copy = s = map_short(mv, text);
	for (row = 0; row < n && *s != '\0'; row++) {
		len = strlen(s);
		if (row == n - 1 || tui_width(s, len) <= w) {
			tui_putn(y + row, x, w, style, s, len, TUI_ELLIPSIS, 0);
			break;
		}
		cut = 0;
		for (i = 1; i < len; i++)
			if (s[i] == ' ' && tui_width(s, i) <= w)
				cut = i;
		if (cut == 0) {
			/* No blank to break at: as much as fits. */
			for (i = 1; i <= len; i++)
				if (((unsigned char)s[i] & 0xc0) != 0x80 &&
				    tui_width(s, i) <= w)
					cut = i;
		}
		if (cut == 0)
			cut = len;
		tui_putn(y + row, x, w, style, s, cut, 0, 0);
		s += cut;
		while (*s == ' ')
			s++;
	}
	free(copy);
}

static void
map_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct map_view	*mv = v->data;
	size_t		 d;
	int		 my = y + h - MAP_MSG_LINES;

	if (h < 4 + MAP_MSG_LINES) {
		wlist_draw(mv->wl, y, x, h, w);
		return;
	}
	map_draw_file(mv, y, x, w);
	map_draw_state(mv, y + 1, x, w);
	wlist_draw(mv->wl, y + 2, x, h - 2 - MAP_MSG_LINES, w);
	/* A refused edit, or what the checks say about the cursor's row. */
	if (mv->refused != NULL)
		map_draw_wrapped(mv, my, x + 1, w - 1, MAP_MSG_LINES, TS_BAD,
		    mv->refused);
	else if (mv->nrows == 0)
		tui_put(my, x + 1, w - 1, TS_DIM, mv->comments ?
		    "no entries; a adds one" :
		    "no entries; a adds one, c shows comments");
	else if ((d = map_row_diag(mv, wlist_cursor(mv->wl))) != TABLE_NONE)
		map_draw_wrapped(mv, my, x + 1, w - 1, MAP_MSG_LINES,
		    mv->diags.v[d].severity == TABLE_ERROR ? TS_BAD : TS_WARN,
		    mv->diags.v[d].text);
}

/* ---- edits ---- */

/* One checked edit through the backend, then show the result. */
static void
map_apply(struct map_view *mv, enum table_op op, const char *key,
    const char *arg)
{
	struct table_edit	 te;
	struct table_edit_req	 req;
	struct tui_op		 top;
	struct op_ctl		 ctl;
	char			*cause = NULL, *keep, *notes;
	const char		*done = "";
	int			 rc;

	/*
	 * The operation of "smadm map set": one writer at a time (lock.h),
	 * not waiting (the status line names the holder), and an interrupted
	 * apply undone first.
	 */
	table_edit_init(&te, op, key, arg);
	memset(&req, 0, sizeof req);
	req.def = mv->def;
	req.path = mv->path;
	req.what = "map edit";
	tui_op_init(&top, NULL, &ctl);
	rc = table_edit(tui_host(), &req, &ctl, &te, &cause);
	notes = tui_op_notes(&top);
	tui_op_release(&top);
	if (rc != 0) {
		tui_error("%s%s%s", cause, *notes != '\0' ? "; " : "", notes);
		free(mv->refused);
		mv->refused = cause;
		free(notes);
		table_edit_release(&te);
		return;
	}
	switch (op) {
	case TABLE_OP_SET:
		done = te.added ? "added" : "changed";
		break;
	case TABLE_OP_DEL:
		done = "deleted";
		break;
	case TABLE_OP_RENAME:
		done = "renamed";
		break;
	case TABLE_OP_COMMENT:
		done = "commented out";
		break;
	}
	/* Select what was edited: the edit may free the key's storage. */
	keep = xstrdup(op == TABLE_OP_RENAME ? arg : key);
	map_load(mv);
	map_select_key(mv, keep, te.line);
	if (*notes != '\0')
		tui_error("%s:%zu: %s %s; before it: %s", mv->def->name,
		    te.line, done, keep, notes);
	else if (!te.changed)
		tui_message("%s: nothing to change", keep);
	else if (te.warnings.n != 0)
		tui_message("%s:%zu: %s %s, with %zu warning%s (below)",
		    mv->def->name, te.line, done, keep, te.warnings.n,
		    te.warnings.n == 1 ? "" : "s");
	else if (mv->def->kind == TABLE_CLASS)
		tui_message("%s:%zu: %s %s; sendmail reads it when it starts",
		    mv->def->name, te.line, done, keep);
	else
		tui_message("%s:%zu: %s %s; b builds the map", mv->def->name,
		    te.line, done, keep);
	free(keep);
	free(notes);
	table_edit_release(&te);
}

/* The entry under the cursor, or NULL with a message. */
static const struct table_entry *
map_current(struct map_view *mv)
{
	const struct map_row	*r;

	if (mv->nrows == 0) {
		tui_error("no entries (a adds one)");
		return NULL;
	}
	r = &mv->rows[wlist_cursor(mv->wl)];
	if (r->entry == TABLE_NONE) {
		tui_error("line %zu is not an entry", r->line + 1);
		return NULL;
	}
	return &mv->t->entries[r->entry];
}

static void
map_add_value_done(void *arg, const char *text)
{
	struct map_view	*mv = arg;

	if (text != NULL && *text != '\0')
		map_apply(mv, TABLE_OP_SET, mv->add_key, text);
	free(mv->add_key);
	mv->add_key = NULL;
}

static void
map_add_key_done(void *arg, const char *text)
{
	struct map_view	*mv = arg;
	char		*prompt;
	size_t		 e;

	if (text == NULL || *text == '\0')
		return;
	if ((e = table_find(mv->t, text)) != TABLE_NONE) {
		map_select_entry(mv, e);
		tui_error("%s:%zu: \"%s\" is already there (e edits it)",
		    mv->def->name, mv->t->entries[e].line + 1, text);
		return;
	}
	if (mv->def->kind == TABLE_CLASS) {
		map_apply(mv, TABLE_OP_SET, text, NULL);
		return;
	}
	free(mv->add_key);
	mv->add_key = xstrdup(text);
	prompt = xasprintf("Value for %s: ", text);
	tui_prompt(prompt, "", map_add_value_done, mv);
	free(prompt);
}

static void
map_edit_done(void *arg, const char *text)
{
	struct map_view	*mv = arg;

	if (text != NULL && *text != '\0' && mv->add_key != NULL)
		map_apply(mv, TABLE_OP_SET, mv->add_key, text);
	free(mv->add_key);
	mv->add_key = NULL;
}

static void
map_rename_done(void *arg, const char *text)
{
	struct map_view	*mv = arg;

	if (text != NULL && *text != '\0' && mv->add_key != NULL)
		map_apply(mv, TABLE_OP_RENAME, mv->add_key, text);
	free(mv->add_key);
	mv->add_key = NULL;
}

/* Ask for a new value (or key) of the entry under the cursor. */
static void
map_ask(struct map_view *mv, int rename)
{
	const struct table_entry	*e;
	char				*prompt, *init;

	if ((e = map_current(mv)) == NULL)
		return;
	if (!rename && e->value == NULL) {
		tui_error("a class file holds words, no values (R renames)");
		return;
	}
	free(mv->add_key);
	mv->add_key = xstrdup(e->key);
	if (rename) {
		prompt = xasprintf("New key for %s: ", e->key);
		tui_prompt(prompt, e->key, map_rename_done, mv);
	} else {
		prompt = xasprintf("%s: ", e->key);
		init = map_flat(e->value, e->valuelen);
		tui_prompt(prompt, init, map_edit_done, mv);
		free(init);
	}
	free(prompt);
}

/* d and #: ask, then delete or comment out. */
static void
map_remove(struct map_view *mv, enum table_op op)
{
	const struct table_entry	*e;
	char				*q, *key;

	if ((e = map_current(mv)) == NULL)
		return;
	key = xstrdup(e->key);
	q = xasprintf("%s \"%s\" (%s line %zu)?", op == TABLE_OP_DEL ?
	    "Delete" : "Comment out", key, mv->def->name, e->line + 1);
	if (tui_confirm(q))
		map_apply(mv, op, key, NULL);
	else
		tui_message("%s: left as it was", key);
	free(q);
	free(key);
}

/* ---- the view ---- */

static int
map_key(struct tui_view *v, int key)
{
	struct map_view	*mv = v->data;

	free(mv->refused);
	mv->refused = NULL;
	return wlist_key(mv->wl, key);
}

static void
map_action(struct tui_view *v, int action)
{
	struct map_view	*mv = v->data;
	char		*prompt, *name;

	switch (action) {
	case MV_ADD:
		prompt = xasprintf("Add to %s, key: ", mv->def->name);
		tui_prompt(prompt, "", map_add_key_done, mv);
		free(prompt);
		break;
	case MV_EDIT:
		map_ask(mv, 0);
		break;
	case MV_RENAME:
		map_ask(mv, 1);
		break;
	case MV_DELETE:
		map_remove(mv, TABLE_OP_DEL);
		break;
	case MV_COMMENT:
		map_remove(mv, TABLE_OP_COMMENT);
		break;
	case MV_BUILD:
		if (mv->def->kind == TABLE_CLASS) {
			tui_error("%s: a class file has no map to build",
			    mv->def->name);
			break;
		}
		name = xstrdup(mv->def->name);
		tui_run_command("map build", 1, &name);
		free(name);
		break;
	case MV_COMMENTS:
		mv->comments = !mv->comments;
		map_load(mv);
		tui_message("comment lines %s", mv->comments ? "shown" :
		    "hidden");
		break;
	case MV_RELOAD:
		map_load(mv);
		break;
	}
}

static void
map_reload(struct tui_view *v)
{
	map_load(v->data);
}

static void
map_free(struct tui_view *v)
{
	struct map_view	*mv = v->data;

	map_clear(mv);
	wlist_free(mv->wl);
	free(mv->add_key);
	free(mv->refused);
	free(mv->path);
	free(mv);
}

static const struct tui_view_ops map_ops = {
	"table", map_bindings, map_draw, map_key, map_action, map_reload,
	map_free
};

void
view_map_open(const struct table_def *def, const char *path)
{
	struct map_view	*mv;
	char		*title;

	mv = xcalloc(1, sizeof *mv);
	mv->def = def;
	mv->path = xstrdup(path);
	table_diags_init(&mv->diags);
	memcpy(mv->cols, map_columns, sizeof mv->cols);
	mv->wl = wlist_create(&map_wlist_ops, mv, mv->cols, nitems(mv->cols),
	    WLIST_HEADER);
	title = xasprintf("Table %s", def->name);
	mv->view = tui_view_push(&map_ops, mv, title);
	free(title);
	map_load(mv);
}
