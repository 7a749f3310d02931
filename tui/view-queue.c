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
 * Actions (hold, release, delete, flush, bounce) on the tagged messages,
 * or the one under the cursor, are queue_act() (backend/queue-act.h), the
 * operation the CLI's "queue hold" ... runs: the plan is confirmed with
 * the console's dialog, then it runs as a job (job.h) with its progress
 * in the status line, Esc to cancel, and its report in a text view.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/queue-act.h"
#include "job.h"
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
	QA_FLUSH_DOMAIN,
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
	int			 scan_failed;	/* the last read did not end:
						   the list is not the queue */
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
	{ 'R', NULL, NULL, QA_FLUSH_DOMAIN,
	    "Run the queue for a domain (queue flush --domain)" },
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

	if (qv->scan_error == NULL && queue_scan_warnings(qv->scan)->n > 0) {
		qv->scan_error = xstrdup(queue_scan_warnings(qv->scan)->v[0]);
		/* Nothing read, and a queue not readable: not an empty queue. */
		if ((qv->first ? qv->list.n : qv->next.n) == 0)
			qv->scan_failed = 1;
	}
	queue_scan_close(qv->scan);
	qv->scan = NULL;
	tui_remove_timer(qv->tick);
	qv->tick = NULL;
	qv->scan_secs = qv_elapsed_ms(&qv->scan_start) / 1000.0;
	id = qv_cursor_id(qv);
	if (!qv->first && qv->scan_failed) {
		/* A refresh that failed: keep what was read before. */
		queue_list_release(&qv->next);
	} else if (!qv->first) {
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
		qv->scan_failed = 1;
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
	qv->scan_failed = 0;
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

/* A queue action run as a job: what the worker needs, and its result. */
struct qv_job {
	struct queue_view	*qv;		/* check it is still there */
	struct host		*host;
	struct queue_list	 list;		/* read for the plan */
	struct queue_act_req	 req;
	struct queue_act_result	 res;
	char			*reason;
	char			*domain;	/* a queue run for it */
	char			*plan;
	char			*title;		/* "queue flush" */
	struct strv		 ids;		/* acted on (not a domain run) */
	struct strv		 missing;	/* ids gone since the list */
	const struct op_ctl	*ctl;		/* the job's, on the worker */
};

static void
qv_job_free(struct qv_job *qj)
{
	free(qj->req.v);
	queue_list_release(&qj->list);
	queue_act_result_release(&qj->res);
	strv_release(&qj->ids);
	strv_release(&qj->missing);
	free(qj->reason);
	free(qj->domain);
	free(qj->plan);
	free(qj->title);
	free(qj);
}

/*
 * On the worker: the job's ctl with its confirmation wrapped, so that
 * the question of the action is the plan's last line (job.h asks it in
 * the dialog); the other callbacks go on to the job's.
 */
static int
qv_fwd_confirm(void *arg, const char *plan)
{
	struct qv_job	*qj = arg;
	char		*q, *text;
	int		 yes;

	q = queue_act_question(&qj->req);
	text = xasprintf("%s%s", plan, q);
	yes = op_confirm(qj->ctl, text);
	free(text);
	free(q);
	return yes;
}

static void
qv_fwd_progress(void *arg, const struct op_progress *p)
{
	struct qv_job	*qj = arg;

	if (qj->ctl->progress != NULL)
		qj->ctl->progress(qj->ctl->arg, p);
}

static int
qv_fwd_cancelled(void *arg)
{
	struct qv_job	*qj = arg;

	return op_cancelled(qj->ctl);
}

static void
qv_fwd_note(void *arg, const char *line)
{
	struct qv_job	*qj = arg;

	if (qj->ctl->note != NULL)
		qj->ctl->note(qj->ctl->arg, line);
}

/* On the worker: the action, its question in the job's dialog. */
static int
qv_job_act(struct qv_job *qj, const struct op_ctl *ctl, char **cause)
{
	struct op_ctl	c;

	qj->plan = queue_act_plan(&qj->req);
	qj->ctl = ctl;
	c.confirm = qv_fwd_confirm;
	c.progress = qv_fwd_progress;
	c.cancelled = qv_fwd_cancelled;
	c.note = qv_fwd_note;
	c.arg = qj;
	return queue_act(qj->host, &qj->req, &c, &qj->res, cause);
}

/*
 * On the worker: read the queue as it is now (it may be large, or far),
 * select the messages (the ids given, or those of a domain for a queue
 * run), then the action, confirmed through the job.
 */
static int
qv_job_run(void *arg, const struct op_ctl *ctl, char **cause)
{
	struct qv_job		*qj = arg;
	struct queue_entry	*e;
	struct queue_filter	*f;
	char			*ftext;
	time_t			 now = time(NULL);
	size_t			 i;
	int			 rc = -1;

	op_progress(ctl, "reading the queue", 0, 0, NULL);
	if (queue_list_read(qj->host, QUEUE_WANT_ALL, 0, &qj->list,
	    cause) != 0)
		goto out;
	if (qj->domain != NULL) {
		ftext = xasprintf("domain:%s", qj->domain);
		f = queue_filter_parse(ftext, cause);
		free(ftext);
		if (f == NULL)
			goto out;
		qj->req.v = xcalloc(qj->list.n + 1, sizeof *qj->req.v);
		for (i = 0; i < qj->list.n; i++)
			if (queue_filter_match(f, qj->list.v[i], now))
				qj->req.v[qj->req.n++] = qj->list.v[i];
		queue_filter_free(f);
	} else {
		qj->req.v = xcalloc(qj->ids.n + 1, sizeof *qj->req.v);
		for (i = 0; i < qj->ids.n; i++) {
			e = queue_list_find(&qj->list, qj->ids.v[i]);
			if (e == NULL)
				strv_push(&qj->missing, qj->ids.v[i]);
			else
				qj->req.v[qj->req.n++] = e;
		}
		if (qj->req.n == 0) {
			*cause = xstrdup("no longer in the queue");
			goto out;
		}
	}
	rc = qv_job_act(qj, ctl, cause);
out:
	queue_parse_thread_end();
	return rc;
}

static int
qv_still_open(struct queue_view *qv)
{
	struct tui_view	*v;

	for (v = tui_view_top(); v != NULL; v = v->below)
		if (v == qv->view)
			return 1;
	return 0;
}

/* On the main thread: the report, as the CLI prints it, in a text view. */
static void
qv_job_done(void *arg, int rc, const char *cause, const struct strv *notes)
{
	struct qv_job		*qj = arg;
	struct queue_act_result	*res = &qj->res;
	const char		*verb = queue_act_verbs[qj->req.act];
	struct buf		 b = BUF_INIT;
	char			 n1[32], n2[32];
	size_t			 i;

	if (rc < 0) {
		tui_error("%s: %s", qj->title, cause);
		goto out;
	}
	if (rc == 1 && res->n == 0) {
		/* Declined (or Esc before the first): nothing to report. */
		tui_error("%s: cancelled, nothing was done", qj->title);
		goto out;
	}
	if (qj->plan != NULL)
		buf_addstr(&b, qj->plan);
	for (i = 0; i < qj->missing.n; i++)
		buf_printf(&b, "%s: not in the queue\n", qj->missing.v[i]);
	for (i = 0; i < notes->n; i++)
		buf_printf(&b, "%s\n", notes->v[i]);
	for (i = 0; i < res->n; i++) {
		queue_act_item_line(&b, &res->v[i]);
		buf_addch(&b, '\n');
	}
	queue_act_summary(&b, &qj->req, res);
	buf_addch(&b, '\n');
	if (res->cancelled)
		buf_printf(&b, "%s: cancelled, %zu of %zu handled\n", verb,
		    res->n, res->total);
	view_text_open(qj->title, b.data, b.len);
	job_format_count(n1, sizeof n1, res->n);
	job_format_count(n2, sizeof n2, res->total);
	if (res->cancelled)
		tui_error("%s: %s of %s handled, cancelled", verb, n1, n2);
	else
		tui_message("%s: %s of %s handled, %zu done", verb, n1, n2,
		    res->done);
	/* Acted on: the tags have served. */
	if (rc == 0 && qj->domain == NULL && res->done == res->total &&
	    qj->missing.n == 0 && qv_still_open(qj->qv)) {
		strv_release(&qj->qv->tags);
		strv_init(&qj->qv->tags);
		qv_title(qj->qv);
	}
out:
	buf_release(&b);
	qv_job_free(qj);
}

/*
 * The ids tagged or under the cursor, acted on by a job that reads the
 * queue and asks first (qv_job_run): nothing here waits on the host.
 */
static void
qv_act(struct queue_view *qv, enum queue_act_verb act, const char *reason)
{
	struct qv_job	*qj;

	if (job_running()) {
		tui_error("queue %s: not started, %s is running (Esc cancels "
		    "it)", queue_act_verbs[act], job_name());
		return;
	}
	qj = xcalloc(1, sizeof *qj);
	strv_init(&qj->ids);
	qv_targets(qv, &qj->ids);
	if (qj->ids.n == 0) {
		tui_error("no message selected");
		strv_release(&qj->ids);
		free(qj);
		return;
	}
	qj->qv = qv;
	qj->host = tui_host();
	queue_list_init(&qj->list);
	strv_init(&qj->missing);
	qj->title = xasprintf("queue %s", queue_act_verbs[act]);
	qj->req.act = act;
	if (reason != NULL)
		qj->req.reason = qj->reason = xstrdup(reason);
	if (job_start(qj->title, 1, qv_job_run, qj, qv_job_done) != 0) {
		qv_job_free(qj);
		qv_start_scan(qv);
	}
}

static void
qv_act_domain(struct queue_view *qv, const char *domain)
{
	struct qv_job	*qj;

	qj = xcalloc(1, sizeof *qj);
	qj->qv = qv;
	qj->host = tui_host();
	queue_list_init(&qj->list);
	strv_init(&qj->missing);
	qj->title = xstrdup("queue flush");
	qj->req.act = QACT_FLUSH;
	qj->req.run = 1;
	qj->req.domain = qj->domain = xstrdup(domain);
	qj->req.want = QUEUE_WANT_ALL;
	if (job_start(qj->title, 1, qv_job_run, qj, qv_job_done) != 0)
		qv_job_free(qj);
}

static void
qv_flush_domain(void *arg, const char *text)
{
	struct queue_view	*qv = arg;

	if (text == NULL)
		return;
	if (*text == '\0' || strpbrk(text, " \t@/") != NULL) {
		tui_error("flush domain: \"%s\" is not a domain name", text);
		return;
	}
	qv_act_domain(qv, text);
}

/* The domain of the first recipient under the cursor, to start from. */
static void
qv_flush_domain_ask(struct queue_view *qv)
{
	char	dom[256];

	dom[0] = '\0';
	if (qv->nrows > 0 && qv->rows[wlist_cursor(qv->wl)]->nrcpts > 0)
		queue_addr_domain(qv->rows[wlist_cursor(qv->wl)]->rcpts[0].addr,
		    dom, sizeof dom);
	tui_prompt("flush domain: ", dom, qv_flush_domain, qv);
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
	qv_act(qv, QACT_HOLD, *text != '\0' ? text : NULL);
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
		qv_act(qv, QACT_RELEASE, NULL);
		break;
	case QA_DELETE:
		qv_act(qv, QACT_DELETE, NULL);
		break;
	case QA_FLUSH:
		qv_act(qv, QACT_FLUSH, NULL);
		break;
	case QA_BOUNCE:
		qv_act(qv, QACT_BOUNCE, NULL);
		break;
	case QA_FLUSH_DOMAIN:
		qv_flush_domain_ask(qv);
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
	else if (qv->scan_failed && qv->list.n > 0)
		tui_putf(y, x, w, TS_ERROR, "Could not read the queue: %s "
		    "(the list is the last one read; r reads again)",
		    qv->scan_error != NULL ? qv->scan_error : "?");
	else if (qv->scan_failed)
		tui_putf(y, x, w, TS_ERROR, "Could not read the queue: %s "
		    "(r reads again)", qv->scan_error != NULL ?
		    qv->scan_error : "?");
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
