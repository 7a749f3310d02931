/*
 * view-queue.c -- the Queue screen: every message of the MTA and submit
 * queues, read straight from the control files.
 *
 * The screen appears at once and fills in while the queue is read: a
 * timer reads a batch of files per tick (queue_scan_step), so keys keep
 * working during the scan of a large queue.  A refresh (every few seconds
 * while the screen is on top, r, and after every command) reads the queue
 * again into a second list and swaps it in when done, keeping the cursor
 * on the same message (by queue id) and the tags (also by id).
 *
 * Actions run the commands of the table ("queue hold" ...) on the tagged
 * messages, or on the one under the cursor, with the console's
 * confirmation dialog: the console does nothing the CLI cannot.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/queue.h"
#include "tui.h"
#include "widget-list.h"

#define QV_TICK_MS	1	/* between slices while reading: keys */
#define QV_SLICE_MS	40	/* reading per slice, in batches */
#define QV_BATCH	1500	/* files per batch */
#define QV_REFRESH_MS	5000
#define QV_RESORT_MS	250	/* while reading: sort this often */

enum {
	QA_SORT = 1,
	QA_REVERSE,
	QA_FILTER,
	QA_TAG_FILTER,
	QA_UNTAG,
	QA_HOLD,
	QA_RELEASE,
	QA_DELETE,
	QA_FLUSH,
	QA_BOUNCE,
	QA_SUMMARY,
	QA_LOG,
	QA_REFRESH
};

struct queue_view {
	struct tui_view		*view;
	struct wlist		*wl;
	struct tui_timer	*tick;		/* reading, or NULL */
	struct tui_timer	*refresh;

	struct queue_list	 list;		/* shown */
	struct queue_list	 next;		/* being read (refresh) */
	struct queue_scan	*scan;
	int			 first;		/* the first read: show as
						   it comes */
	struct timespec		 last_sort;
	struct timespec		 scan_start;
	double			 scan_secs;

	struct queue_entry	**rows;		/* filtered and sorted */
	size_t			 nrows;
	enum queue_sort		 sort;
	int			 reverse;
	char			*filter_text;
	struct queue_filter	*filter;
	struct strv		 tags;		/* sorted ids */
	char			*scan_error;
};

static const struct tui_binding qv_bindings[] = {
	{ TUI_KEY_ENTER, "View", NULL, 0,
	    "Show the message: envelope, headers, body (queue show)" },
	{ 'f', "Filter", NULL, QA_FILTER,
	    "Filter the list (from: to: status: subject: older:2h "
	    "larger:1M /regex/ ...; empty: all)" },
	{ 's', "Sort", NULL, QA_SORT,
	    "Next sort order: age size sender recipient tries next status" },
	{ 'S', NULL, NULL, QA_REVERSE, "Reverse the sort order" },
	{ 'T', NULL, NULL, QA_TAG_FILTER, "Tag the messages a filter matches" },
	{ 'c', NULL, NULL, QA_UNTAG, "Clear all tags" },
	{ 'h', "Hold", NULL, QA_HOLD,
	    "Hold (quarantine) the tagged messages or the one under the "
	    "cursor, with a reason (queue hold)" },
	{ 'U', "Release", NULL, QA_RELEASE,
	    "Release held messages (queue release)" },
	{ 'D', "Delete", NULL, QA_DELETE,
	    "Delete messages, never one being delivered (queue delete)" },
	{ 'F', "Flush", NULL, QA_FLUSH,
	    "Try to deliver the messages now (queue flush)" },
	{ 'B', NULL, NULL, QA_BOUNCE,
	    "Return the messages to their senders (queue bounce)" },
	{ 'v', "Summary", NULL, QA_SUMMARY,
	    "By domain and age, and by last error (queue summary)" },
	{ 'L', "Log", NULL, QA_LOG,
	    "The log trace of the message (log trace QID)" },
	{ 'r', NULL, NULL, QA_REFRESH, "Read the queue again now" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column qv_columns[] = {
	{ "Queue id", 14, 0 },
	{ "Q", 3, 0 },
	{ "State", 7, 0 },
	{ "Age", 5, WLIST_COL_RIGHT },
	{ "Size", 5, WLIST_COL_RIGHT },
	{ "Sender", 17, 0 },
	{ "Recipient / last error", 0, 0 }
};

/* ---- the model ---- */

static double
qv_elapsed_ms(const struct timespec *since)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - since->tv_sec) * 1000.0 +
	    (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

static int
qv_tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
qv_is_tagged(struct queue_view *qv, const char *id)
{
	return qv->tags.n > 0 && bsearch(&id, qv->tags.v, qv->tags.n,
	    sizeof *qv->tags.v, qv_tag_cmp) != NULL;
}

static void
qv_tag(struct queue_view *qv, const char *id, int on)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < qv->tags.n; i++)
		if (strcmp(qv->tags.v[i], id) >= 0)
			break;
	if (i < qv->tags.n && strcmp(qv->tags.v[i], id) == 0) {
		if (!on) {
			free(qv->tags.v[i]);
			memmove(&qv->tags.v[i], &qv->tags.v[i + 1],
			    (qv->tags.n - i) * sizeof *qv->tags.v);
			qv->tags.n--;
		}
		return;
	}
	if (!on)
		return;
	/* Appended at the end: move it into its sorted place. */
	strv_push(&qv->tags, id);
	s = qv->tags.v[qv->tags.n - 1];
	memmove(&qv->tags.v[i + 1], &qv->tags.v[i],
	    (qv->tags.n - 1 - i) * sizeof *qv->tags.v);
	qv->tags.v[i] = s;
}

/* Rebuild rows from the list: filter, sort, cursor back on its id. */
static void
qv_rebuild(struct queue_view *qv, const char *keep_id)
{
	time_t	now = time(NULL);
	size_t	i;

	free(qv->rows);
	qv->rows = xcalloc(qv->list.n + 1, sizeof *qv->rows);
	qv->nrows = 0;
	for (i = 0; i < qv->list.n; i++)
		if (queue_filter_match(qv->filter, qv->list.v[i], now))
			qv->rows[qv->nrows++] = qv->list.v[i];
	queue_sort(qv->rows, qv->nrows, qv->sort, qv->reverse,
	    queue_interval(tui_host()->prof));
	clock_gettime(CLOCK_MONOTONIC, &qv->last_sort);
	wlist_changed(qv->wl);
	if (keep_id != NULL) {
		for (i = 0; i < qv->nrows; i++) {
			if (strcmp(qv->rows[i]->id, keep_id) == 0) {
				wlist_set_cursor(qv->wl, i);
				break;
			}
		}
	}
	tui_redraw();
}

static char *
qv_cursor_id(struct queue_view *qv)
{
	if (qv->nrows == 0)
		return NULL;
	return xstrdup(qv->rows[wlist_cursor(qv->wl)]->id);
}

static void
qv_title(struct queue_view *qv)
{
	char	*t;

	t = xasprintf("Queue: %zu message%s%s%s%s%s", qv->list.n,
	    qv->list.n == 1 ? "" : "s", qv->filter_text != NULL ?
	    ", filter " : "", qv->filter_text != NULL ? qv->filter_text : "",
	    qv->scan != NULL && qv->first ? " (reading...)" : "",
	    qv->tags.n > 0 ? ", tagged" : "");
	tui_view_set_title(qv->view, t);
	free(t);
}

static int
qv_add(void *arg, struct queue_entry *e, char **cause unused)
{
	struct queue_view	*qv = arg;

	queue_list_add(qv->first ? &qv->list : &qv->next, e);
	return 0;
}

static void
qv_scan_done(struct queue_view *qv)
{
	char	*id;

	if (qv->scan_error == NULL && queue_scan_warnings(qv->scan)->n > 0)
		qv->scan_error = xstrdup(queue_scan_warnings(qv->scan)->v[0]);
	queue_scan_close(qv->scan);
	qv->scan = NULL;
	tui_remove_timer(qv->tick);
	qv->tick = NULL;
	qv->scan_secs = qv_elapsed_ms(&qv->scan_start) / 1000.0;
	id = qv_cursor_id(qv);
	if (!qv->first) {
		queue_list_release(&qv->list);
		qv->list = qv->next;
		queue_list_init(&qv->next);
	}
	qv->first = 0;
	qv_rebuild(qv, id);
	free(id);
	qv_title(qv);
	if (qv->scan_error != NULL)
		tui_error("queue: %s", qv->scan_error);
}

static void
qv_tick(void *arg)
{
	struct queue_view	*qv = arg;
	struct timespec		 start;
	char			*cause = NULL, *id;
	int			 rc;

	/*
	 * Batches for up to QV_SLICE_MS, then back to the loop for keys
	 * and the screen: a large queue is not read in idle ticks.
	 */
	clock_gettime(CLOCK_MONOTONIC, &start);
	do
		rc = queue_scan_step(qv->scan, QV_BATCH, qv_add, qv, &cause);
	while (rc > 0 && qv->nrows > 0 && qv_elapsed_ms(&start) < QV_SLICE_MS);
	if (rc < 0) {
		free(qv->scan_error);
		qv->scan_error = cause;
	}
	if (rc <= 0) {
		qv_scan_done(qv);
		return;
	}
	/* The first read shows what it has, sorted now and then. */
	if (qv->first && (qv->nrows == 0 ||
	    qv_elapsed_ms(&qv->last_sort) >= QV_RESORT_MS)) {
		id = qv_cursor_id(qv);
		qv_rebuild(qv, id);
		free(id);
		qv_title(qv);
	}
}

static void
qv_start_scan(struct queue_view *qv)
{
	if (qv->scan != NULL)
		return;
	free(qv->scan_error);
	qv->scan_error = NULL;
	queue_list_release(&qv->next);
	qv->scan = queue_scan_open(tui_host(), QUEUE_WANT_ALL, 0);
	clock_gettime(CLOCK_MONOTONIC, &qv->scan_start);
	/* A first batch now: the first screen without waiting a tick. */
	qv_tick(qv);
	if (qv->scan != NULL)
		qv->tick = tui_add_timer(QV_TICK_MS, qv_tick, qv);
}

/* ---- the list ---- */

static size_t
qv_nrows(void *arg)
{
	struct queue_view	*qv = arg;

	return qv->nrows;
}

static void
qv_cell_escaped(struct wlist_row *row, const char *s)
{
	struct buf	b = BUF_INIT;

	queue_escape(&b, s != NULL ? s : "", 0);
	wlist_cell(row, b.data);
	buf_release(&b);
}

static void
qv_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct queue_view	*qv = arg;
	struct queue_entry	*e = qv->rows[i];
	struct buf		 b = BUF_INIT;
	char			 s[64], addr[256];
	const char		*state = queue_entry_state(e);

	wlist_cell(row, e->id);
	wlist_cell(row, e->kind == QUEUE_MTA ? "mta" : "sub");
	if (e->error != NULL) {
		wlist_cell_style(row, TS_BAD);
		wlist_cell(row, "damaged");
	} else {
		wlist_cell_style(row, strcmp(state, "queued") == 0 ? TS_NORMAL :
		    strcmp(state, "lost") == 0 ? TS_BAD : TS_WARN);
		wlist_cell(row, state);
	}
	queue_format_age(s, sizeof s, queue_entry_age(e, time(NULL)));
	wlist_cell(row, s);
	queue_format_size(s, sizeof s, e->size);
	wlist_cell(row, s);
	qv_cell_escaped(row, queue_bare_addr(e->sender, addr, sizeof addr));
	if (e->nrcpts > 0)
		queue_escape(&b, queue_bare_addr(e->rcpts[0].addr, addr,
		    sizeof addr), 0);
	if (e->nrcpts > 1)
		buf_printf(&b, " (+%zu)", e->nrcpts - 1);
	if (e->state == QSTATE_HELD && e->quarantine != NULL) {
		buf_addstr(&b, "  held: ");
		queue_escape(&b, e->quarantine, 0);
	} else if (e->status != NULL) {
		buf_addstr(&b, "  ");
		queue_escape(&b, e->status, 0);
	} else if (e->error != NULL) {
		buf_addstr(&b, "  ");
		queue_escape(&b, e->error, 0);
	}
	wlist_cell(row, b.data);
	buf_release(&b);
}

static int
qv_match(void *arg, size_t i, const char *text)
{
	struct queue_view	*qv = arg;
	struct queue_filter	*f;
	char			*cause = NULL;
	int			 m;

	/* "/" searches with the filter syntax. */
	if ((f = queue_filter_parse(text, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	m = queue_filter_match(f, qv->rows[i], time(NULL));
	queue_filter_free(f);
	return m;
}

static int
qv_tagged(void *arg, size_t i)
{
	struct queue_view	*qv = arg;

	return qv_is_tagged(qv, qv->rows[i]->id);
}

static void
qv_set_tag(void *arg, size_t i, int on)
{
	struct queue_view	*qv = arg;

	qv_tag(qv, qv->rows[i]->id, on);
	qv_title(qv);
}

static const struct wlist_ops qv_wlist_ops = {
	qv_nrows, qv_draw_row, NULL, qv_match, qv_tagged, qv_set_tag
};

/* ---- actions ---- */

/* The ids to act on: the tagged ones, or the one under the cursor. */
static void
qv_targets(struct queue_view *qv, struct strv *ids)
{
	size_t	i;

	if (qv->tags.n > 0) {
		for (i = 0; i < qv->tags.n; i++)
			strv_push(ids, qv->tags.v[i]);
		return;
	}
	if (qv->nrows > 0)
		strv_push(ids, qv->rows[wlist_cursor(qv->wl)]->id);
}

static void
qv_run(struct queue_view *qv, const char *cmd, const char *opt,
    const char *optarg)
{
	struct strv	 args = STRV_INIT;
	struct strv	 ids = STRV_INIT;
	size_t		 i;

	qv_targets(qv, &ids);
	if (ids.n == 0) {
		tui_error("no message selected");
		goto out;
	}
	if (opt != NULL) {
		strv_push(&args, opt);
		strv_push(&args, optarg);
	}
	for (i = 0; i < ids.n; i++)
		strv_push(&args, ids.v[i]);
	if (tui_run_command(cmd, (int)args.n, args.v) == 0 &&
	    strcmp(cmd, "queue show") != 0) {
		/* Acted on: the tags have served. */
		strv_release(&qv->tags);
		strv_init(&qv->tags);
	}
	qv_start_scan(qv);
out:
	strv_release(&ids);
	strv_release(&args);
}

static void
qv_run_show(struct queue_view *qv)
{
	char	*id;

	if ((id = qv_cursor_id(qv)) == NULL)
		return;
	tui_run_command("queue show", 1, &id);
	free(id);
}

static void
qv_hold_reason(void *arg, const char *text)
{
	struct queue_view	*qv = arg;

	if (text == NULL)
		return;
	qv_run(qv, "queue hold", *text != '\0' ? "--reason" : NULL, text);
}

static void
qv_filter_done(void *arg, const char *text)
{
	struct queue_view	*qv = arg;
	struct queue_filter	*f;
	char			*cause = NULL, *id;

	if (text == NULL)
		return;
	if ((f = queue_filter_parse(text, &cause)) == NULL) {
		tui_error("%s", cause);
		free(cause);
		return;
	}
	queue_filter_free(qv->filter);
	free(qv->filter_text);
	qv->filter = f;
	qv->filter_text = *text != '\0' ? xstrdup(text) : NULL;
	id = qv_cursor_id(qv);
	qv_rebuild(qv, id);
	free(id);
	qv_title(qv);
	tui_message("%zu of %zu messages", qv->nrows, qv->list.n);
}

static void
qv_tag_filter_done(void *arg, const char *text)
{
	struct queue_view	*qv = arg;
	struct queue_filter	*f;
	char			*cause = NULL;
	time_t			 now = time(NULL);
	size_t			 i, n = 0;

	if (text == NULL)
		return;
	if ((f = queue_filter_parse(text, &cause)) == NULL) {
		tui_error("%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < qv->nrows; i++) {
		if (queue_filter_match(f, qv->rows[i], now)) {
			qv_tag(qv, qv->rows[i]->id, 1);
			n++;
		}
	}
	queue_filter_free(f);
	qv_title(qv);
	tui_message("tagged %zu message%s (%zu tagged in all)", n,
	    n == 1 ? "" : "s", qv->tags.n);
	tui_redraw();
}

static void
qv_action(struct tui_view *v, int action)
{
	struct queue_view	*qv = v->data;
	struct strv		 sargs = STRV_INIT;
	char			*id, *args[1];

	switch (action) {
	case QA_SORT:
	case QA_REVERSE:
		if (action == QA_SORT)
			qv->sort = (qv->sort + 1) % QSORT_NONE;
		else
			qv->reverse = !qv->reverse;
		id = qv_cursor_id(qv);
		qv_rebuild(qv, id);
		free(id);
		tui_message("sorted by %s%s", queue_sort_names[qv->sort],
		    qv->reverse ? ", reversed" : "");
		break;
	case QA_FILTER:
		tui_prompt("filter: ", qv->filter_text != NULL ?
		    qv->filter_text : "", qv_filter_done, qv);
		break;
	case QA_TAG_FILTER:
		tui_prompt("tag where: ", "", qv_tag_filter_done, qv);
		break;
	case QA_UNTAG:
		strv_release(&qv->tags);
		strv_init(&qv->tags);
		qv_title(qv);
		tui_redraw();
		break;
	case QA_HOLD:
		tui_prompt("hold, reason: ", "", qv_hold_reason, qv);
		break;
	case QA_RELEASE:
		qv_run(qv, "queue release", NULL, NULL);
		break;
	case QA_DELETE:
		qv_run(qv, "queue delete", NULL, NULL);
		break;
	case QA_FLUSH:
		qv_run(qv, "queue flush", NULL, NULL);
		break;
	case QA_BOUNCE:
		qv_run(qv, "queue bounce", NULL, NULL);
		break;
	case QA_SUMMARY:
		if (qv->filter_text != NULL) {
			strv_push(&sargs, "--filter");
			strv_push(&sargs, qv->filter_text);
		}
		tui_run_command("queue summary", (int)sargs.n, sargs.v);
		strv_release(&sargs);
		break;
	case QA_LOG:
		if (qv->nrows == 0)
			break;
		/* The log module may not be there: look it up by name. */
		if (cmd_lookup("log trace") == NULL) {
			tui_error("log trace: not available in this build");
			break;
		}
		args[0] = qv->rows[wlist_cursor(qv->wl)]->id;
		tui_run_command("log trace", 1, args);
		break;
	case QA_REFRESH:
		qv_start_scan(qv);
		break;
	}
}

/* ---- the view ---- */

static void
qv_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct queue_view	*qv = v->data;

	if (h < 2)
		return;
	if (qv->scan != NULL && qv->first)
		tui_putf(y, x, w, TS_DIM, "reading the queue: %zu files so "
		    "far...", queue_scan_files(qv->scan));
	else if (qv->list.n == 0)
		tui_putf(y, x, w, TS_GOOD, "The queues are empty (read in "
		    "%.2fs).", qv->scan_secs);
	else
		tui_putf(y, x, w, TS_LABEL, "%zu shown of %zu, %zu tagged, "
		    "sort %s%s, read in %.2fs%s", qv->nrows, qv->list.n,
		    qv->tags.n, queue_sort_names[qv->sort], qv->reverse ?
		    " (reversed)" : "", qv->scan_secs, qv->scan != NULL ?
		    ", refreshing" : "");
	wlist_draw(qv->wl, y + 1, x, h - 1, w);
}

static int
qv_key(struct tui_view *v, int key)
{
	struct queue_view	*qv = v->data;

	if (key == TUI_KEY_ENTER) {
		qv_run_show(qv);
		return 1;
	}
	return wlist_key(qv->wl, key);
}

static void
qv_reload(struct tui_view *v)
{
	qv_start_scan(v->data);
}

static void
qv_timer(void *arg)
{
	struct queue_view	*qv = arg;

	if (tui_view_top() == qv->view && !tui_prompt_active())
		qv_start_scan(qv);
}

static void
qv_free(struct tui_view *v)
{
	struct queue_view	*qv = v->data;

	if (qv->tick != NULL)
		tui_remove_timer(qv->tick);
	tui_remove_timer(qv->refresh);
	queue_scan_close(qv->scan);
	queue_list_release(&qv->list);
	queue_list_release(&qv->next);
	queue_filter_free(qv->filter);
	free(qv->filter_text);
	free(qv->rows);
	free(qv->scan_error);
	strv_release(&qv->tags);
	wlist_free(qv->wl);
	free(qv);
}

static const struct tui_view_ops qv_ops = {
	"queue", qv_bindings, qv_draw, qv_key, qv_action, qv_reload, qv_free
};

void
view_queue_open(void)
{
	view_queue_open_filter(NULL);
}

/* The queue screen, showing only what filter (the queue filter syntax) selects. */
void
view_queue_open_filter(const char *filter)
{
	struct queue_view	*qv;
	char			*cause = NULL;

	qv = xcalloc(1, sizeof *qv);
	queue_list_init(&qv->list);
	queue_list_init(&qv->next);
	strv_init(&qv->tags);
	qv->sort = QSORT_AGE;
	qv->first = 1;
	if (filter != NULL) {
		if ((qv->filter = queue_filter_parse(filter, &cause)) == NULL) {
			tui_error("%s", cause);
			free(cause);
		} else
			qv->filter_text = xstrdup(filter);
	}
	qv->wl = wlist_create(&qv_wlist_ops, qv, qv_columns,
	    nitems(qv_columns), WLIST_HEADER | WLIST_TAGS);
	qv->view = tui_view_push(&qv_ops, qv, "Queue");
	qv_start_scan(qv);
	qv_title(qv);
	qv->refresh = tui_add_timer(QV_REFRESH_MS, qv_timer, qv);
}
