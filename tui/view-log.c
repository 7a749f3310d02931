/*
 * view-log.c -- the mail log, live, and the trace of one message.
 *
 * The log screen follows the profile's mail log from a timer of the poll
 * loop (the stream never blocks: it reads what is there), keeps the last
 * LOG_VIEW_MAX lines, and shows those that pass the filter (f), coloured
 * by outcome.  While the cursor is on the last line new lines scroll in;
 * moving up pauses that (new lines are counted in the title) and End or
 * G follows again.  Enter on a line opens the trace of its queue id, a
 * second view of the same kind over the lines log_trace() returned.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/log.h"
#include "tui.h"
#include "widget-list.h"

#define LOG_VIEW_MS	500
#define LOG_VIEW_MAX	20000
#define LOG_VIEW_BACK	500

enum {
	LA_FILTER = 1,
	LA_PAUSE,
	LA_CLEAR
};

struct log_view {
	struct tui_view		*view;
	struct wlist		*wl;
	struct tui_timer	*timer;
	struct log_follow	*follow;	/* NULL: a trace */
	char			*qid;		/* a trace: its id */

	struct strv		 lines;		/* every line kept */
	unsigned char		*style;		/* per line, its style */
	size_t			 astyle;
	size_t			*shown;		/* indices that pass */
	size_t			 nshown;
	size_t			 ashown;

	struct log_filter	*filter;
	char			*filter_text;
	int			 paused;
	size_t			 unseen;	/* arrived while paused */
	char			*error;
	struct log_line		 parsed;	/* scratch */
};

static const struct tui_binding log_bindings[] = {
	{ 'f', "Filter", NULL, LA_FILTER,
	    "Filter: status:deferred to:x@y ip:1.2.3.4 -kind:noise TEXT ..." },
	{ '/', "Search", NULL, 0, "Search forward; n and N repeat" },
	{ TUI_KEY_ENTER, "Trace", NULL, 0,
	    "Trace the message of this line (its queue id)" },
	{ 'Q', NULL, NULL, 0,
	    "The queue entry of this line's message, if still queued" },
	{ 'p', "Pause", NULL, LA_PAUSE,
	    "Pause or resume following (End and G resume)" },
	{ 'c', NULL, NULL, LA_CLEAR, "Clear the lines shown so far" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct tui_binding trace_bindings[] = {
	{ '/', "Search", NULL, 0, "Search forward; n and N repeat" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column log_columns[] = {
	{ "Time", 8, 0 },
	{ "Queue id", 14, 0 },
	{ "Message", 0, 0 }
};

static int
log_style(const struct log_line *l)
{
	switch (l->outcome) {
	case LOG_OUT_SENT:
		return TS_GOOD;
	case LOG_OUT_DEFERRED:
		return TS_WARN;
	case LOG_OUT_BOUNCED:
	case LOG_OUT_REJECTED:
	case LOG_OUT_ERROR:
		return TS_BAD;
	case LOG_OUT_NONE:
		break;
	}
	return l->kind == LOG_NOISE ? TS_DIM : TS_NORMAL;
}

static void
log_parse_line(struct log_view *lv, size_t i)
{
	const char	*s = lv->lines.v[i];

	log_parse(&lv->parsed, s, strlen(s), time(NULL));
}

/* Rebuild the list of shown lines from scratch (a new filter). */
static void
log_refilter(struct log_view *lv)
{
	size_t	i;

	lv->nshown = 0;
	for (i = 0; i < lv->lines.n; i++) {
		if (lv->filter != NULL) {
			log_parse_line(lv, i);
			if (!log_filter_match(lv->filter, &lv->parsed))
				continue;
		}
		if (lv->nshown == lv->ashown) {
			lv->ashown = lv->ashown == 0 ? 1024 : lv->ashown * 2;
			lv->shown = xreallocarray(lv->shown, lv->ashown,
			    sizeof *lv->shown);
		}
		lv->shown[lv->nshown++] = i;
	}
	wlist_changed(lv->wl);
}

/* Forget the oldest lines beyond the limit. */
static void
log_trim(struct log_view *lv)
{
	size_t	drop, i;

	if (lv->lines.n <= LOG_VIEW_MAX)
		return;
	drop = lv->lines.n - LOG_VIEW_MAX;
	for (i = 0; i < drop; i++)
		free(lv->lines.v[i]);
	memmove(lv->lines.v, lv->lines.v + drop,
	    (lv->lines.n - drop + 1) * sizeof *lv->lines.v);
	memmove(lv->style, lv->style + drop, lv->lines.n - drop);
	lv->lines.n -= drop;
	log_refilter(lv);
}

static void
log_add_lines(struct log_view *lv, struct strv *more)
{
	size_t	i, at_end, before;

	at_end = lv->nshown == 0 ||
	    wlist_cursor(lv->wl) + 1 >= lv->nshown;
	before = lv->nshown;
	for (i = 0; i < more->n; i++) {
		strv_push(&lv->lines, more->v[i]);
		if (lv->lines.n > lv->astyle) {
			lv->astyle = lv->lines.n * 2;
			lv->style = xreallocarray(lv->style, lv->astyle, 1);
		}
		log_parse_line(lv, lv->lines.n - 1);
		lv->style[lv->lines.n - 1] = (unsigned char)log_style(
		    &lv->parsed);
		if (lv->filter != NULL &&
		    !log_filter_match(lv->filter, &lv->parsed))
			continue;
		if (lv->nshown == lv->ashown) {
			lv->ashown = lv->ashown == 0 ? 1024 : lv->ashown * 2;
			lv->shown = xreallocarray(lv->shown, lv->ashown,
			    sizeof *lv->shown);
		}
		lv->shown[lv->nshown++] = lv->lines.n - 1;
	}
	if (lv->lines.n > LOG_VIEW_MAX)
		log_trim(lv);
	if (lv->paused || !at_end)
		lv->unseen += lv->nshown > before ? lv->nshown - before : 0;
	else if (lv->nshown > 0)
		wlist_set_cursor(lv->wl, lv->nshown - 1);
	wlist_changed(lv->wl);
}

static void
log_set_title(struct log_view *lv)
{
	struct buf	t = BUF_INIT;

	if (lv->qid != NULL)
		buf_printf(&t, "Trace %s (%zu lines)", lv->qid, lv->nshown);
	else {
		buf_printf(&t, "Log %s", tui_host()->prof->mail_log);
		if (lv->filter_text != NULL)
			buf_printf(&t, " [%s]", lv->filter_text);
		if (lv->paused || (lv->nshown > 0 &&
		    wlist_cursor(lv->wl) + 1 < lv->nshown))
			buf_printf(&t, " - paused, %zu new", lv->unseen);
		else
			buf_addstr(&t, " - following");
	}
	if (strcmp(t.data, lv->view->title) != 0)
		tui_view_set_title(lv->view, t.data);
	buf_release(&t);
}

static void
log_timer(void *arg)
{
	struct log_view	*lv = arg;
	struct strv	 more = STRV_INIT;
	char		*cause = NULL;

	if (lv->follow == NULL)
		return;
	if (log_follow_read(lv->follow, &more, &cause) < 0) {
		if (lv->error == NULL || strcmp(lv->error, cause) != 0)
			tui_error("%s", cause);
		free(lv->error);
		lv->error = cause;
	} else {
		/* Nothing new: a last line without its newline shows. */
		if (more.n == 0)
			log_follow_rest(lv->follow, &more);
		if (more.n > 0)
			log_add_lines(lv, &more);
	}
	strv_release(&more);
	log_set_title(lv);
}

/* ---- the list ---- */

static size_t
log_nrows(void *arg)
{
	struct log_view	*lv = arg;

	return lv->nshown;
}

static void
log_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct log_view	*lv = arg;
	struct log_line	*l = &lv->parsed;
	struct tm	 tm;
	char		 hms[16];
	size_t		 li = lv->shown[i];

	log_parse_line(lv, li);
	wlist_row_style(row, lv->style[li]);
	if (l->kind == LOG_UNKNOWN) {
		wlist_cell(row, "");
		wlist_cell(row, "");
		wlist_cell(row, l->raw);
		return;
	}
	localtime_r(&l->time, &tm);
	strftime(hms, sizeof hms, "%H:%M:%S", &tm);
	wlist_cell(row, hms);
	wlist_cell(row, *l->qid != '\0' ? l->qid : "");
	wlist_cellf(row, "%s[%ld] %s", l->prog != NULL ? l->prog : "",
	    l->pid, l->msg);
}

static int
log_search_match(void *arg, size_t i, const char *text)
{
	struct log_view	*lv = arg;

	return strcasestr(lv->lines.v[lv->shown[i]], text) != NULL;
}

static void	log_trace_open(const char *);

static int
log_row_key(void *arg, size_t i, int key)
{
	struct log_view	*lv = arg;
	char		*qid;

	if (key != TUI_KEY_ENTER && key != 'Q')
		return 0;
	log_parse_line(lv, lv->shown[i]);
	if (!log_is_qid(lv->parsed.qid, strlen(lv->parsed.qid))) {
		tui_error("this line names no queue id");
		return 1;
	}
	if (key == 'Q') {
		/* The message's queue entry, if it is still queued. */
		qid = xasprintf("id:%s", lv->parsed.qid);
		view_queue_open_filter(qid);
		free(qid);
		return 1;
	}
	if (lv->qid != NULL && strcmp(lv->qid, lv->parsed.qid) == 0) {
		tui_message("this is the trace of %s", lv->qid);
		return 1;
	}
	qid = xstrdup(lv->parsed.qid);
	log_trace_open(qid);
	free(qid);
	return 1;
}

static const struct wlist_ops log_wlist_ops = {
	log_nrows, log_draw_row, log_row_key, log_search_match, NULL, NULL
};

/* ---- the view ---- */

static void
log_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct log_view	*lv = v->data;

	wlist_draw(lv->wl, y, x, h, w);
	if (lv->nshown == 0)
		tui_put(y + 2, x + 1, w - 2, TS_DIM, lv->filter != NULL ?
		    "no line matches the filter (f changes it)" :
		    "no lines yet");
}

static void
log_filter_done(void *arg, const char *text)
{
	struct log_view		*lv = arg;
	struct log_filter	*f = NULL;
	char			*cause = NULL;

	if (text == NULL)
		return;
	if (*text != '\0' && (f = log_filter_parse(text, &cause)) == NULL) {
		tui_error("%s", cause);
		free(cause);
		return;
	}
	log_filter_free(lv->filter);
	free(lv->filter_text);
	lv->filter = f;
	lv->filter_text = *text != '\0' ? xstrdup(text) : NULL;
	log_refilter(lv);
	if (lv->nshown > 0)
		wlist_set_cursor(lv->wl, lv->nshown - 1);
	lv->unseen = 0;
	log_set_title(lv);
}

static int
log_key(struct tui_view *v, int key)
{
	struct log_view	*lv = v->data;
	int		 used;

	used = wlist_key(lv->wl, key);
	if (key == 'G' || key == TUI_KEY_END) {
		lv->paused = 0;
		lv->unseen = 0;
	}
	if (used)
		log_set_title(lv);
	return used;
}

static void
log_action(struct tui_view *v, int action)
{
	struct log_view	*lv = v->data;

	switch (action) {
	case LA_FILTER:
		tui_prompt("filter: ", lv->filter_text != NULL ?
		    lv->filter_text : "", log_filter_done, lv);
		break;
	case LA_PAUSE:
		lv->paused = !lv->paused;
		if (!lv->paused) {
			lv->unseen = 0;
			if (lv->nshown > 0)
				wlist_set_cursor(lv->wl, lv->nshown - 1);
		}
		tui_message("%s", lv->paused ? "paused: p or End follows "
		    "again" : "following");
		break;
	case LA_CLEAR:
		strv_release(&lv->lines);
		lv->nshown = 0;
		wlist_changed(lv->wl);
		break;
	}
	log_set_title(lv);
}

static void
log_free(struct tui_view *v)
{
	struct log_view	*lv = v->data;

	tui_remove_timer(lv->timer);
	log_follow_close(lv->follow);
	wlist_free(lv->wl);
	strv_release(&lv->lines);
	log_filter_free(lv->filter);
	log_line_release(&lv->parsed);
	free(lv->filter_text);
	free(lv->style);
	free(lv->shown);
	free(lv->error);
	free(lv->qid);
	free(lv);
}

static const struct tui_view_ops log_ops = {
	"log", log_bindings, log_draw, log_key, log_action, NULL, log_free
};

static const struct tui_view_ops trace_ops = {
	"trace", trace_bindings, log_draw, log_key, NULL, NULL, log_free
};

static struct log_view *
log_view_new(void)
{
	struct log_view	*lv;

	lv = xcalloc(1, sizeof *lv);
	strv_init(&lv->lines);
	log_line_init(&lv->parsed);
	lv->wl = wlist_create(&log_wlist_ops, lv, log_columns,
	    nitems(log_columns), WLIST_HEADER | WLIST_HSCROLL);
	return lv;
}

static void
log_trace_open(const char *qid)
{
	struct log_view		*lv;
	struct log_result	 res;
	struct strv		 lines = STRV_INIT;
	char			*cause = NULL;
	size_t			 i;

	log_result_init(&res);
	tui_message("tracing %s ...", qid);
	tui_draw_frame();
	tui_update();
	if (log_trace(tui_host(), qid, &res, &cause) != 0) {
		tui_error("%s", cause);
		free(cause);
		log_result_release(&res);
		return;
	}
	for (i = 0; i < res.nhits; i++)
		strv_push(&lines, res.hits[i].text);
	lv = log_view_new();
	lv->qid = xstrdup(qid);
	lv->view = tui_view_push(&trace_ops, lv, "Trace");
	log_add_lines(lv, &lines);
	wlist_set_cursor(lv->wl, 0);
	log_set_title(lv);
	if (res.warnings.n > 0)
		tui_error("%s", res.warnings.v[0]);
	else if (res.nhits == 0)
		tui_error("%s: not in the mail log", qid);
	else
		tui_message("%zu lines in %zu file%s", res.nhits,
		    res.files.n, res.files.n == 1 ? "" : "s");
	strv_release(&lines);
	log_result_release(&res);
}

void
view_log_open(void)
{
	struct host	*h = tui_host();
	struct log_view	*lv;
	char		*cause = NULL;

	if (h->prof->mail_log == NULL) {
		tui_error("the profile names no mail log (mail_log)");
		return;
	}
	lv = log_view_new();
	lv->follow = log_follow_open(h, h->prof->mail_log, LOG_VIEW_BACK,
	    &cause);
	if (lv->follow == NULL) {
		tui_error("%s", cause);
		free(cause);
	}
	lv->view = tui_view_push(&log_ops, lv, "Log");
	log_timer(lv);
	lv->timer = tui_add_timer(LOG_VIEW_MS, log_timer, lv);
}
