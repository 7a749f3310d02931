/*
 * queue-act.c -- hold, release, delete, flush and bounce queued messages
 * (queue-act.h): hold and release through sendmail's quarantine, delete
 * under sendmail's own lock, flush and bounce through the real sendmail.
 *
 * Every message is checked in the queue afterwards: what sendmail's exit
 * status says is only the detail of a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue-act.h"
#include "transport.h"

#define QUEUE_RUN_TIMEOUT_MS	(10 * 60 * 1000)

const char *const queue_act_verbs[] = {
	"hold", "release", "delete", "flush", "bounce"
};

void
queue_act_result_init(struct queue_act_result *res)
{
	memset(res, 0, sizeof *res);
}

void
queue_act_result_release(struct queue_act_result *res)
{
	size_t	i;

	for (i = 0; i < res->n; i++) {
		free(res->v[i].what);
		free(res->v[i].detail);
	}
	free(res->v);
	queue_act_result_init(res);
}

static void
qa_report(struct queue_act_result *res, const struct queue_entry *e,
    enum queue_act_outcome outcome, const char *what, const char *detail)
{
	struct queue_act_item	*it;

	if (res->n == res->alloc) {
		res->alloc = res->alloc == 0 ? 16 : res->alloc * 2;
		res->v = xreallocarray(res->v, res->alloc, sizeof *res->v);
	}
	it = &res->v[res->n++];
	memset(it, 0, sizeof *it);
	snprintf(it->id, sizeof it->id, "%s", e->id);
	it->outcome = outcome;
	it->what = xstrdup(what);
	it->detail = detail != NULL && *detail != '\0' ? xstrdup(detail) :
	    NULL;
	switch (outcome) {
	case QACT_DONE:
		res->done++;
		break;
	case QACT_FAILED:
		res->failed++;
		break;
	case QACT_SKIPPED:
		res->skipped++;
		break;
	}
}

/*
 * Run sendmail for the queue an entry is in; *why gets what went wrong.
 * cancel (a queue run, which may wait long on a dead relay) stops it: a
 * queue runner ended by SIGTERM leaves its message queued as it was.
 */
static int
qa_run(struct host *h, enum queue_kind kind, const char *queue,
    const char *a1, const char *a2, const char *a3, const char *a4,
    const struct op_ctl *cancel, char **why)
{
	struct run_opts		 ro;
	struct run_result	 rr;
	const char		*args[8];
	char			*qd = NULL, *cause = NULL;
	int			 n = 0, rc;

	*why = NULL;
	if (kind == QUEUE_SUBMIT) {
		qd = xasprintf("QueueDirectory=%s", queue);
		args[n++] = "-O";
		args[n++] = qd;
	}
	args[n++] = a1;
	if (a2 != NULL)
		args[n++] = a2;
	if (a3 != NULL)
		args[n++] = a3;
	if (a4 != NULL)
		args[n++] = a4;
	args[n] = NULL;
	run_opts_init(&ro);
	ro.timeout_ms = QUEUE_RUN_TIMEOUT_MS;
	ro.cancel = cancel;
	run_result_init(&rr);
	rc = host_run_sendmail(h, args, &ro, &rr, &cause);
	if (rc != 0)
		*why = cause;
	else if (!rr.exited || rr.status != 0) {
		*why = run_result_describe(h->prof->sendmail, &rr);
		rc = -1;
	}
	run_result_release(&rr);
	free(qd);
	return rc;
}

/* What is in the queue for this id now: 'q', 'h', 'Q' or 0 (gone). */
static int
qa_now_state(struct host *h, const struct queue_entry *e)
{
	static const char	 which[] = "qhQ";
	char			*p;
	size_t			 i;
	int			 found = 0;

	for (i = 0; which[i] != '\0' && !found; i++) {
		p = queue_entry_path(e, which[i]);
		if (transport_exists(h->t, p))
			found = which[i];
		free(p);
	}
	return found;
}

static void
qa_hold(struct host *h, struct queue_entry *e, const char *reason,
    const char *qi, struct queue_act_result *res)
{
	char	*q, *why = NULL;
	int	 st;

	q = xasprintf("-Q%s", reason != NULL ? reason : "held by smadm");
	if (e->state == QSTATE_HELD && reason == NULL)
		qa_report(res, e, QACT_DONE, "already held", e->quarantine);
	else if (e->state == QSTATE_HELD) {
		/* A new reason for a held message. */
		qa_run(h, e->kind, e->queue, "-qQ", q, qi, NULL, NULL, &why);
		if (qa_now_state(h, e) == 'h')
			qa_report(res, e, QACT_DONE, "held, reason changed",
			    why);
		else
			qa_report(res, e, QACT_FAILED, "failed", why);
	} else {
		qa_run(h, e->kind, e->queue, q, qi, NULL, NULL, NULL, &why);
		st = qa_now_state(h, e);
		if (st == 'h')
			qa_report(res, e, QACT_DONE, "held", why);
		else if (st == 0)
			qa_report(res, e, QACT_FAILED, "gone", "delivered or "
			    "removed meanwhile");
		else
			qa_report(res, e, QACT_FAILED, "not held", why != NULL ?
			    why : "sendmail left it queued (being delivered?)");
	}
	free(why);
	free(q);
}

static void
qa_release(struct host *h, struct queue_entry *e, const char *qi,
    struct queue_act_result *res)
{
	char	*why = NULL;

	if (e->state != QSTATE_HELD) {
		qa_report(res, e, QACT_DONE, "not held", NULL);
		return;
	}
	qa_run(h, e->kind, e->queue, "-qQ", "-Q", qi, NULL, NULL, &why);
	if (qa_now_state(h, e) == 'q')
		qa_report(res, e, QACT_DONE, "released", why);
	else
		qa_report(res, e, QACT_FAILED, "not released", why != NULL ?
		    why : "sendmail left it held (being worked on?)");
	free(why);
}

static void
qa_delete(struct host *h, struct queue_entry *e, struct queue_act_result *res)
{
	struct strv	 also = STRV_INIT;
	char		*p, *parent, *cause = NULL;
	int		 state;

	strv_push_nocopy(&also, queue_entry_path(e, 'd'));
	strv_push_nocopy(&also, queue_entry_path(e, 'x'));
	if (str_endswith(e->dir, "/qf")) {
		parent = xstrndup(e->dir, strlen(e->dir) - 3);
		strv_pushf(&also, "%s/xf%s", parent, e->id);
		free(parent);
	}
	p = queue_entry_path(e, 0);
	if (transport_remove_locked(h->t, p, &also, &state, &cause) != 0) {
		qa_report(res, e, QACT_FAILED, "failed", cause);
		free(cause);
	} else if (state == TRL_BUSY)
		qa_report(res, e, QACT_SKIPPED, "busy, not deleted", "sendmail "
		    "holds its lock (being delivered); try again later");
	else if (state == TRL_MISSING)
		qa_report(res, e, QACT_FAILED, "gone", "no longer in the queue");
	else
		qa_report(res, e, QACT_DONE, "deleted", NULL);
	free(p);
	strv_release(&also);
}

static void
qa_flush(struct host *h, enum queue_act_verb act, struct queue_entry *e,
    const char *qi, const struct op_ctl *ctl, struct queue_act_result *res)
{
	struct queue_entry	*n;
	char			*why = NULL, *cause = NULL;

	if (e->state == QSTATE_HELD) {
		qa_report(res, e, QACT_SKIPPED, "held", "release it first");
		return;
	}
	/* -qf: in the foreground, done when sendmail returns. */
	if (act == QACT_FLUSH)
		qa_run(h, e->kind, e->queue, "-qf", qi, NULL, NULL, ctl, &why);
	else
		qa_run(h, e->kind, e->queue, "-O", "Timeout.queuereturn=1s",
		    "-qf", qi, ctl, &why);
	if (op_cancelled(ctl) && qa_now_state(h, e) != 0) {
		/* Its run was stopped: not a flush that left it queued. */
		qa_report(res, e, QACT_SKIPPED, "not tried", "its queue run "
		    "was cancelled (Esc); still queued as it was");
		free(why);
		return;
	}
	if (qa_now_state(h, e) == 0) {
		if (act == QACT_FLUSH)
			qa_report(res, e, QACT_DONE, "delivered", "no longer "
			    "queued (sent, or returned to the sender)");
		else
			qa_report(res, e, QACT_DONE, "bounced", "returned to "
			    "the sender");
	} else if ((n = queue_find(h, e->id, &cause)) == NULL) {
		qa_report(res, e, QACT_DONE, "gone", NULL);
		free(cause);
	} else {
		/* Still queued after a flush is what a flush can do. */
		qa_report(res, e, act == QACT_FLUSH ? QACT_DONE : QACT_FAILED,
		    act == QACT_FLUSH ? "still queued" : "not bounced",
		    why != NULL ? why : n->status);
		queue_entry_free(n);
	}
	free(why);
}

/* One message. */
static void
qa_one(struct host *h, const struct queue_act_req *req, struct queue_entry *e,
    const struct op_ctl *ctl, struct queue_act_result *res)
{
	char	*qi;

	if (e->state == QSTATE_LOST && req->act != QACT_DELETE) {
		qa_report(res, e, QACT_SKIPPED, "not touched", "a lost queue "
		    "file (Qf): read the log for why, fix, rename it to qf");
		return;
	}
	qi = xasprintf("-qI%s", e->id);
	switch (req->act) {
	case QACT_HOLD:
		qa_hold(h, e, req->reason, qi, res);
		break;
	case QACT_RELEASE:
		qa_release(h, e, qi, res);
		break;
	case QACT_DELETE:
		qa_delete(h, e, res);
		break;
	case QACT_FLUSH:
	case QACT_BOUNCE:
		qa_flush(h, req->act, e, qi, ctl, res);
		break;
	}
	free(qi);
}

/* flush --domain / --all: whole queue runs, then each message checked. */
static int
qa_flush_run(struct host *h, const struct queue_act_req *req,
    const struct op_ctl *ctl, struct queue_act_result *res)
{
	const struct profile	*p = h->prof;
	struct queue_entry	*e, *n;
	char			*r = NULL, *why = NULL, *cause;
	size_t			 i;

	if (req->domain != NULL)
		r = xasprintf("-qR@%s", req->domain);
	op_progress(ctl, "flush", 0, req->n, NULL);
	if (req->want & QUEUE_WANT_MTA) {
		if (qa_run(h, QUEUE_MTA, NULL, "-qf", r, NULL, NULL, ctl,
		    &why) != 0) {
			op_note(ctl, "MTA queue run: %s", why);
			res->run_failed = 1;
		}
		free(why);
	}
	for (i = 0; (req->want & QUEUE_WANT_SUBMIT) &&
	    i < p->submit_queue_dirs.n; i++) {
		if (op_cancelled(ctl))
			break;
		if (qa_run(h, QUEUE_SUBMIT, p->submit_queue_dirs.v[i], "-qf",
		    r, NULL, NULL, ctl, &why) != 0) {
			op_note(ctl, "submit queue run: %s", why);
			res->run_failed = 1;
		}
		free(why);
	}
	free(r);
	for (i = 0; i < req->n; i++) {
		e = req->v[i];
		if (e->state != QSTATE_QUEUED)
			continue;
		if (op_cancelled(ctl)) {
			res->cancelled = 1;
			return 1;
		}
		cause = NULL;
		if ((n = queue_find(h, e->id, &cause)) == NULL) {
			qa_report(res, e, QACT_DONE, "delivered", "no longer "
			    "queued (sent, or returned to the sender)");
			free(cause);
		} else {
			qa_report(res, e, QACT_DONE, "still queued",
			    n->status);
			queue_entry_free(n);
		}
		op_progress(ctl, "flush", i + 1, req->n, e->id);
	}
	return 0;
}

int
queue_act(struct host *h, const struct queue_act_req *req,
    const struct op_ctl *ctl, struct queue_act_result *res, char **cause)
{
	const char	*verb = queue_act_verbs[req->act];
	char		*plan;
	size_t		 i;
	int		 go;

	res->total = req->n;
	if (req->run && req->act != QACT_FLUSH) {
		*cause = xasprintf("%s: only a flush runs the queue", verb);
		return -1;
	}
	if (!req->run && req->n == 0) {
		*cause = xasprintf("%s: no message selected", verb);
		return -1;
	}
	plan = queue_act_plan(req);
	go = op_confirm(ctl, plan);
	free(plan);
	if (!go) {
		res->cancelled = 1;
		return 1;
	}
	if (req->run)
		return qa_flush_run(h, req, ctl, res);
	op_progress(ctl, verb, 0, req->n, NULL);
	for (i = 0; i < req->n; i++) {
		/* Between messages only: one is never left half done. */
		if (op_cancelled(ctl)) {
			res->cancelled = 1;
			return 1;
		}
		qa_one(h, req, req->v[i], ctl, res);
		op_progress(ctl, verb, i + 1, req->n, req->v[i]->id);
	}
	return 0;
}

/* ---- words ---- */

static void
qa_escaped(struct buf *b, const char *s)
{
	if (queue_is_plain(s))
		buf_addstr(b, s);
	else
		queue_escape(b, s, 0);
}

static void
qa_plan_line(struct buf *b, const struct queue_entry *e)
{
	char	who[256];

	buf_printf(b, "  %s  %-6s %-6s ", e->id, e->kind == QUEUE_MTA ?
	    "mta" : "submit", queue_entry_state(e));
	qa_escaped(b, queue_bare_addr(e->sender, who, sizeof who));
	buf_addstr(b, " -> ");
	qa_escaped(b, e->nrcpts > 0 ? queue_bare_addr(e->rcpts[0].addr, who,
	    sizeof who) : "");
	if (e->nrcpts > 1)
		buf_printf(b, " (+%zu)", e->nrcpts - 1);
	buf_addch(b, '\n');
}

char *
queue_act_plan(const struct queue_act_req *req)
{
	struct buf	 b = BUF_INIT;
	const char	*verb = queue_act_verbs[req->act];
	size_t		 i;

	if (req->run)
		buf_printf(&b, "flush %s: a queue run of the %s, %zu "
		    "message%s now\n", req->domain != NULL ? req->domain :
		    "everything", req->want == QUEUE_WANT_ALL ? "MTA and "
		    "submit queues" : req->want == QUEUE_WANT_MTA ? "MTA queue" :
		    "submit queue", req->n, req->n == 1 ? "" : "s");
	else
		buf_printf(&b, "%s %zu message%s%s%s%s:\n", verb, req->n,
		    req->n == 1 ? "" : "s", req->reason != NULL ?
		    " (reason: \"" : "", req->reason != NULL ? req->reason : "",
		    req->reason != NULL ? "\")" : "");
	for (i = 0; i < req->n; i++)
		qa_plan_line(&b, req->v[i]);
	return buf_detach(&b);
}

char *
queue_act_question(const struct queue_act_req *req)
{
	const char	*verb = queue_act_verbs[req->act];
	struct buf	 b = BUF_INIT;
	size_t		 i;

	if (req->run)
		return xasprintf("Run the queue for %s now?",
		    req->domain != NULL ? req->domain : "every message");
	/* Named: the first three ids, and how many more. */
	buf_printf(&b, "%c%s %zu message%s (", verb[0] - 'a' + 'A', verb + 1,
	    req->n, req->n == 1 ? "" : "s");
	for (i = 0; i < req->n && i < 3; i++)
		buf_printf(&b, "%s%s", i > 0 ? ", " : "", req->v[i]->id);
	if (req->n > 3)
		buf_printf(&b, " and %zu more", req->n - 3);
	buf_addstr(&b, ")?");
	return buf_detach(&b);
}

void
queue_act_item_line(struct buf *b, const struct queue_act_item *it)
{
	buf_printf(b, "%s: %s", it->id, it->what);
	if (it->detail != NULL) {
		buf_addstr(b, ": ");
		qa_escaped(b, it->detail);
	}
}

void
queue_act_summary(struct buf *b, const struct queue_act_req *req,
    const struct queue_act_result *res)
{
	buf_printf(b, "%s: %zu of %zu done", queue_act_verbs[req->act],
	    res->done, res->total);
}
