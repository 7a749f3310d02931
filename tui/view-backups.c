/*
 * view-backups.c -- the backup sets (backup.h), newest first: when, why,
 * which files.  Enter lists the files of a set; R rolls back to it with
 * rollback_run, which asks first and reloads the daemon when a cf comes
 * back; it runs as a job (job.h), the maps and the reload being slow.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/backup.h"
#include "job.h"
#include "tui.h"
#include "widget-list.h"

enum {
	BV_RELOAD = 1,
	BV_ROLLBACK
};

struct backups_view {
	struct wlist		*wl;
	struct backup_set	*sets;
	size_t			 nsets;
};

static const struct tui_binding backups_bindings[] = {
	{ TUI_KEY_ENTER, "Files", NULL, 0, "The files of the set" },
	{ 'R', "Rollback", NULL, BV_ROLLBACK,
	    "Restore the set under the cursor (rollback ID; asks first)" },
	{ 'r', "Reload", NULL, BV_RELOAD, "Read the list again" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column backups_columns[] = {
	{ "ID", 18, 0 },
	{ "Time", 25, 0 },
	{ "Files", 5, WLIST_COL_RIGHT },
	{ "Reason", 0, 0 }
};

static void
backups_load(struct backups_view *bv)
{
	char	*cause = NULL;

	backup_sets_free(bv->sets, bv->nsets);
	bv->sets = NULL;
	bv->nsets = 0;
	if (backup_list(tui_host(), &bv->sets, &bv->nsets, &cause) != 0) {
		tui_error("%s", cause);
		free(cause);
	}
	wlist_changed(bv->wl);
}

static size_t
backups_nrows(void *arg)
{
	struct backups_view	*bv = arg;

	return bv->nsets;
}

static void
backups_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct backups_view	*bv = arg;
	struct backup_set	*s = &bv->sets[i];

	wlist_cell(row, s->id);
	wlist_cell(row, s->time != NULL ? s->time : "");
	wlist_cellf(row, "%zu", s->nfiles);
	wlist_cell(row, s->reason != NULL ? s->reason : "");
}

static const struct wlist_ops backups_wlist_ops = {
	backups_nrows, backups_draw_row, NULL, NULL, NULL, NULL
};

static void
backups_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct backups_view	*bv = v->data;

	if (bv->nsets == 0) {
		tui_put(y, x, w, TS_DIM, "no backups yet");
		return;
	}
	wlist_draw(bv->wl, y, x, h, w);
}

static int
backups_key(struct tui_view *v, int key)
{
	struct backups_view	*bv = v->data;
	struct backup_set	*s;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (key != TUI_KEY_ENTER)
		return wlist_key(bv->wl, key);
	if (bv->nsets == 0)
		return 1;
	s = &bv->sets[wlist_cursor(bv->wl)];
	buf_printf(&b, "backup %s (%s, %s), in %s\n\n", s->id,
	    s->time != NULL ? s->time : "?", s->reason != NULL ? s->reason :
	    "?", s->dir);
	for (i = 0; i < s->nfiles; i++)
		buf_printf(&b, "%-10s %s%s\n", s->files[i].role,
		    s->files[i].path, s->files[i].absent ?
		    " (did not exist: rollback removes it)" : "");
	view_text_open(s->id, b.data, b.len);
	buf_release(&b);
	return 1;
}

/* A rollback on the worker; done frees it. */
struct backups_job {
	struct backups_view	*bv;
	struct host		*host;
	char			*id;
	struct rollback_result	 res;
};

/* On the worker; the person said yes already. */
static int
backups_job_run(void *arg, const struct op_ctl *ctl, char **cause)
{
	struct backups_job	*bj = arg;
	struct rollback_req	 req;
	struct op_ctl		 c = *ctl;

	memset(&req, 0, sizeof req);
	req.id = bj->id;
	c.confirm = NULL;
	return rollback_run(bj->host, &req, &c, &bj->res, cause);
}

/* On the main thread: the notes and the end in a pager. */
static void
backups_job_done(void *arg, int rc, const char *cause,
    const struct strv *notes)
{
	struct backups_job	*bj = arg;
	struct tui_view		*v;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	for (i = 0; i < notes->n; i++)
		buf_printf(&b, "%s\n", notes->v[i]);
	if (rc < 0) {
		buf_printf(&b, "FAILED: %s\n", cause);
		tui_error("%s", cause);
	} else
		tui_message("restored backup %s", bj->id);
	for (v = tui_view_top(); v != NULL; v = v->below)
		if (v->data == bj->bv)
			backups_load(bj->bv);
	if (b.len != 0)
		view_text_open("rollback", b.data, b.len);
	buf_release(&b);
	rollback_result_release(&bj->res);
	free(bj->id);
	free(bj);
}

/*
 * R: rollback_run (backend/op.h) as a job, after the person said yes to
 * this set: the lock (not waited for), an interrupted apply undone, the
 * files restored, maps built and the daemon reloaded; what it did in a
 * pager.
 */
/*
 * The question names what R acts on: the set (its reason and time) and
 * its files by name, the first three.
 */
static char *
backups_question(const struct backup_set *set)
{
	struct buf	 b = BUF_INIT;
	const char	*slash;
	size_t		 i;

	buf_printf(&b, "Restore %zu file%s (", set->nfiles,
	    set->nfiles == 1 ? "" : "s");
	for (i = 0; i < set->nfiles && i < 3; i++) {
		slash = strrchr(set->files[i].path, '/');
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", slash != NULL ?
		    slash + 1 : set->files[i].path);
	}
	if (set->nfiles > 3)
		buf_printf(&b, " and %zu more", set->nfiles - 3);
	buf_printf(&b, ") from backup %s, \"%s\" of %s?", set->id,
	    set->reason != NULL ? set->reason : "", set->time != NULL ?
	    set->time : "?");
	return buf_detach(&b);
}

static void
backups_rollback(struct backups_view *bv, const struct backup_set *set)
{
	struct backups_job	*bj;
	char			*q;
	int			 yes;

	if (job_running()) {
		tui_error("rollback: not started, %s is running (Esc cancels "
		    "it)", job_name());
		return;
	}
	bj = xcalloc(1, sizeof *bj);
	bj->bv = bv;
	bj->host = tui_host();
	bj->id = xstrdup(set->id);	/* set is not used after the dialog */
	q = backups_question(set);
	yes = tui_confirm(q);
	free(q);
	if (!yes) {
		free(bj->id);
		free(bj);
		return;
	}
	if (job_start("rollback", 1, backups_job_run, bj,
	    backups_job_done) != 0) {
		free(bj->id);
		free(bj);
		return;
	}
	/* Restore, maps, reload: one piece, as apply's install is. */
	job_one_piece();
}

static void
backups_action(struct tui_view *v, int action)
{
	struct backups_view	*bv = v->data;

	if (action == BV_RELOAD)
		backups_load(bv);
	else if (action == BV_ROLLBACK && bv->nsets != 0) {
		backups_rollback(bv, &bv->sets[wlist_cursor(bv->wl)]);
	}
}

static void
backups_reload(struct tui_view *v)
{
	backups_load(v->data);
}

static void
backups_free(struct tui_view *v)
{
	struct backups_view	*bv = v->data;

	backup_sets_free(bv->sets, bv->nsets);
	wlist_free(bv->wl);
	free(bv);
}

static const struct tui_view_ops backups_ops = {
	"backups", backups_bindings, backups_draw, backups_key,
	backups_action, backups_reload, backups_free
};

void
view_backups_open(void)
{
	struct backups_view	*bv;

	bv = xcalloc(1, sizeof *bv);
	bv->wl = wlist_create(&backups_wlist_ops, bv, backups_columns,
	    nitems(backups_columns), WLIST_HEADER);
	tui_view_push(&backups_ops, bv, "Backups");
	backups_load(bv);
}
