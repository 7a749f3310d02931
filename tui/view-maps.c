/*
 * view-maps.c -- the "Tables" screen: every table of the profile with its
 * text file, how many entries the text holds, what the checks say about
 * it and whether its Berkeley DB map is built from the text as it is now.
 * Enter opens a table (view-map.c); b builds the map under the cursor and
 * B every map whose text changed, through the "map build" command.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/table.h"
#include "../db/mapbuild.h"
#include "tui.h"
#include "widget-list.h"

enum {
	MS_RELOAD = 1,
	MS_BUILD,
	MS_BUILD_ALL
};

struct maps_row {
	const struct table_def	*def;
	const char		*path;		/* NULL: not configured */
	int			 existed;
	size_t			 nentries;
	size_t			 nerrors;
	size_t			 nwarnings;
	char			*error;		/* the text cannot be read */
	char			*db;		/* mapbuild_state() */
};

struct maps_view {
	struct wlist		*wl;
	struct maps_row		*rows;
	size_t			 nrows;
};

static const struct tui_binding maps_bindings[] = {
	{ TUI_KEY_ENTER, "Open", NULL, 0, "Open the table under the cursor" },
	{ 'b', "Build", NULL, MS_BUILD,
	    "Build the map under the cursor now (map build NAME)" },
	{ 'B', "Build changed", "map build", 0, NULL },
	{ 'r', "Reload", NULL, MS_RELOAD, "Read the tables again (also ^L)" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column maps_columns[] = {
	{ "Table", 16, 0 },
	{ "Entries", 7, WLIST_COL_RIGHT },
	{ "DB", 7, 0 },
	{ "Check", 9, 0 },
	{ "Text", 0, WLIST_COL_PATH }
};

/* ---- the model ---- */

static void
maps_clear(struct maps_view *mv)
{
	size_t	i;

	for (i = 0; i < mv->nrows; i++) {
		free(mv->rows[i].error);
		free(mv->rows[i].db);
	}
	free(mv->rows);
	mv->rows = NULL;
	mv->nrows = 0;
}

static void
maps_load_one(struct maps_row *r)
{
	struct host		*h = tui_host();
	struct table		*t;
	struct table_diags	 d;

	if (r->path == NULL)
		return;
	t = table_load(h->t, r->def, r->path, 1, &r->existed, &r->error);
	if (t == NULL)
		return;
	r->nentries = t->nentries;
	table_diags_init(&d);
	table_check(t, &d);
	r->nerrors = d.nerrors;
	r->nwarnings = d.nwarnings;
	table_diags_release(&d);
	table_free(t);
	if (r->existed)
		r->db = mapbuild_state(h, r->def, r->path);
}

static void
maps_load(struct maps_view *mv)
{
	const struct profile	*p = tui_host()->prof;
	size_t			 i;

	maps_clear(mv);
	mv->rows = xcalloc(profile_ntables, sizeof *mv->rows);
	for (i = 0; i < profile_ntables; i++) {
		mv->rows[i].def = p->tables[i].def;
		mv->rows[i].path = p->tables[i].path;
		maps_load_one(&mv->rows[i]);
	}
	mv->nrows = profile_ntables;
	wlist_changed(mv->wl);
}

/* ---- the list ---- */

static size_t
maps_nrows(void *arg)
{
	struct maps_view	*mv = arg;

	return mv->nrows;
}

/* A style for a state of mapbuild_state(). */
static int
maps_db_style(const char *db)
{
	if (strcmp(db, "built") == 0)
		return TS_GOOD;
	if (strcmp(db, "stale") == 0)
		return TS_WARN;
	if (strcmp(db, "-") == 0)
		return TS_DIM;
	return TS_BAD;
}

static void
maps_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct maps_view	*mv = arg;
	struct maps_row		*r = &mv->rows[i];

	wlist_cell(row, r->def->name);
	if (r->path == NULL || r->error != NULL || !r->existed) {
		wlist_cell(row, "-");
		wlist_cell_style(row, TS_DIM);
		wlist_cell(row, "-");
		if (r->path == NULL) {
			wlist_cell(row, "");
			wlist_cell_style(row, TS_DIM);
			wlist_cell(row, "(not configured)");
		} else if (r->error != NULL) {
			wlist_cell_style(row, TS_BAD);
			wlist_cell(row, "unreadable");
			wlist_cell_style(row, TS_BAD);
			wlist_cell(row, r->error);
		} else {
			wlist_cell_style(row, TS_BAD);
			wlist_cell(row, "missing");
			wlist_cellf(row, "%s (missing)", r->path);
		}
		return;
	}
	wlist_cellf(row, "%zu", r->nentries);
	wlist_cell_style(row, maps_db_style(r->db));
	wlist_cell(row, r->db);
	if (r->nerrors != 0) {
		wlist_cell_style(row, TS_BAD);
		wlist_cellf(row, "%zu error%s", r->nerrors,
		    r->nerrors == 1 ? "" : "s");
	} else if (r->nwarnings != 0) {
		wlist_cell_style(row, TS_WARN);
		wlist_cellf(row, "%zu warn", r->nwarnings);
	} else {
		wlist_cell_style(row, TS_GOOD);
		wlist_cell(row, "ok");
	}
	wlist_cell(row, r->path);
}

static const struct wlist_ops maps_wlist_ops = {
	maps_nrows, maps_draw_row, NULL, NULL, NULL, NULL
};

/* ---- the view ---- */

static void
maps_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct maps_view	*mv = v->data;

	wlist_draw(mv->wl, y, x, h, w);
}

static struct maps_row *
maps_current(struct maps_view *mv)
{
	if (mv->nrows == 0)
		return NULL;
	return &mv->rows[wlist_cursor(mv->wl)];
}

static int
maps_key(struct tui_view *v, int key)
{
	struct maps_view	*mv = v->data;
	struct maps_row		*r;

	if (key != TUI_KEY_ENTER)
		return wlist_key(mv->wl, key);
	if ((r = maps_current(mv)) == NULL)
		return 1;
	if (r->path == NULL)
		tui_error("%s: no path configured in the profile",
		    r->def->name);
	else
		view_map_open(r->def, r->path);
	return 1;
}

static void
maps_action(struct tui_view *v, int action)
{
	struct maps_view	*mv = v->data;
	struct maps_row		*r;
	char			*name;

	switch (action) {
	case MS_RELOAD:
		maps_load(mv);
		break;
	case MS_BUILD:
		if ((r = maps_current(mv)) == NULL)
			break;
		name = xstrdup(r->def->name);
		tui_run_command("map build", 1, &name);
		free(name);
		break;
	}
}

static void
maps_reload(struct tui_view *v)
{
	maps_load(v->data);
}

static void
maps_free(struct tui_view *v)
{
	struct maps_view	*mv = v->data;

	maps_clear(mv);
	wlist_free(mv->wl);
	free(mv);
}

static const struct tui_view_ops maps_ops = {
	"tables", maps_bindings, maps_draw, maps_key, maps_action,
	maps_reload, maps_free
};

void
view_maps_open(void)
{
	struct maps_view	*mv;

	mv = xcalloc(1, sizeof *mv);
	mv->wl = wlist_create(&maps_wlist_ops, mv, maps_columns,
	    nitems(maps_columns), WLIST_HEADER);
	tui_view_push(&maps_ops, mv, "Tables");
	maps_load(mv);
}
