/*
 * cmd-queue-act.c -- "smadm queue hold|release|delete|flush|bounce": the
 * command line's side of queue_act() (backend/queue-act.c, which does the
 * work, the same for the console).
 *
 * Every action works on a selection (queue ids, or --filter), prints what
 * it is about to do, asks (cmd_confirm; --yes answers), and then prints
 * one line per message as it is handled: "ID: what happened".
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/queue-act.h"
#include "cmd.h"
#include "cmd-queue-int.h"

/* ---- the CLI's side of the operation (backend/queue-act.h) ---- */

struct qact_cli {
	struct cmd_ctx			*ctx;
	const struct queue_act_result	*res;
	size_t				 printed;	/* items so far */
	char				*question;
};

/* The plan on the output, then the question (--yes answers it). */
static int
qact_cli_confirm(void *arg, const char *plan)
{
	struct qact_cli	*qc = arg;

	fputs(plan, qc->ctx->out);
	fflush(qc->ctx->out);
	return cmd_confirm(qc->ctx, "%s", qc->question);
}

/* After each message: its line, as it happens; the count to ctx->op. */
static void
qact_cli_progress(void *arg, const struct op_progress *p)
{
	struct qact_cli	*qc = arg;
	const struct op_ctl *op = qc->ctx->op;
	struct buf	 b = BUF_INIT;

	for (; qc->printed < qc->res->n; qc->printed++) {
		buf_reset(&b);
		queue_act_item_line(&b, &qc->res->v[qc->printed]);
		fprintf(qc->ctx->out, "%s\n", b.data);
	}
	buf_release(&b);
	if (op != NULL && op->progress != NULL)
		op->progress(op->arg, p);
}

/* Esc in the console (ctx->op): stop between messages. */
static int
qact_cli_cancelled(void *arg)
{
	struct qact_cli	*qc = arg;

	return op_cancelled(qc->ctx->op);
}

static void
qact_cli_note(void *arg, const char *text)
{
	struct qact_cli	*qc = arg;

	fprintf(qc->ctx->out, "%s\n", text);
	op_note(qc->ctx->op, "%s", text);
}

/* What a cancelled action did: the closing line, and the error. */
static void
qact_cli_cancel_report(struct cmd_ctx *ctx, const struct queue_act_req *req,
    const struct queue_act_result *res)
{
	struct buf	b = BUF_INIT;

	queue_act_summary(&b, req, res);
	fprintf(ctx->out, "%s\n%s: cancelled, %zu of %zu handled\n", b.data,
	    queue_act_verbs[req->act], res->n, res->total);
	buf_release(&b);
	cmd_error(ctx, "cancelled: %zu of %zu handled, %zu done", res->n,
	    res->total, res->done);
}

/* Run the request, printing as the backend goes; 0 or an exit status. */
static int
qact_cli_run(struct cmd_ctx *ctx, const struct queue_act_req *req,
    struct queue_act_result *res)
{
	struct qact_cli	 qc;
	struct op_ctl	 ctl;
	char		*cause = NULL;
	int		 rc;

	memset(&qc, 0, sizeof qc);
	qc.ctx = ctx;
	qc.res = res;
	qc.question = queue_act_question(req);
	memset(&ctl, 0, sizeof ctl);
	ctl.confirm = qact_cli_confirm;
	ctl.progress = qact_cli_progress;
	ctl.cancelled = qact_cli_cancelled;
	ctl.note = qact_cli_note;
	ctl.arg = &qc;
	rc = queue_act(ctx->host, req, &ctl, res, &cause);
	free(qc.question);
	if (rc < 0)
		return cmd_fail_cause(ctx, cause);
	/* Confirmed, then stopped by ctx->op (a declined one said so). */
	if (rc == 1 && res->cancelled && ctx->error == NULL)
		qact_cli_cancel_report(ctx, req, res);
	return rc;
}

static const struct cmd_entry *qact_entry(enum queue_act_verb);

static int
queue_action(struct cmd_ctx *ctx, enum queue_act_verb act, int argc,
    char **argv)
{
	struct qsel		 qs;
	struct queue_act_req	 req;
	struct queue_act_result	 res;
	struct buf		 b = BUF_INIT;
	const char		*reason = NULL, *domain = NULL;
	const char		*verb = queue_act_verbs[act];
	char			*ftext;
	size_t			 ok;
	const char		*value, *chosen = NULL, *this;
	size_t			 oi = 0;
	int			 ch, rc = 1, all = 0, missing = 0, sel;

	cmdq_qsel_init(&qs);
	queue_act_result_init(&res);
	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		/* One selector: --filter, --domain, --all or QIDs. */
		this = ch == 'f' ? "--filter" : ch == 'd' ? "--domain" :
		    ch == 'a' ? "--all" : NULL;
		if (this != NULL && chosen != NULL && strcmp(this, chosen) != 0)
			goto conflict;
		if (this != NULL)
			chosen = this;
		if ((sel = cmdq_qsel_option(ctx, &qs, ch, value)) > 0) {
			rc = sel;
			goto out;
		}
		if (sel == 0) {
			all |= ch == 'f';
			continue;
		}
		switch (ch) {
		case 'm':
			if (act != QACT_HOLD)
				goto usage;
			reason = value;
			if (*reason == '\0' || strpbrk(reason, "\r\n") !=
			    NULL) {
				rc = cmd_error(ctx, "--reason: one line of "
				    "text, not empty");
				goto out;
			}
			break;
		case 'd':
		case 'a':
			if (act != QACT_FLUSH)
				goto usage;
			if (ch == 'd') {
				domain = value;
				if (*domain == '\0' || strpbrk(domain,
				    " \t@/") != NULL) {
					rc = cmd_error(ctx, "--domain %s: "
					    "expected a domain name", domain);
					goto out;
				}
			}
			all = 1;
			break;
		default:
			goto usage;
		}
	}
	if (chosen != NULL && argc > 1) {
		this = "a QID";
		goto conflict;
	}
	memset(&req, 0, sizeof req);
	req.act = act;
	req.reason = reason;
	if (domain != NULL || (act == QACT_FLUSH && all && qs.filter ==
	    NULL)) {
		/* The messages a queue run would try, for the report. */
		if (argc != 1 || qs.filter != NULL)
			goto usage;
		ftext = domain != NULL ? xasprintf("domain:%s", domain) :
		    xstrdup("");
		rc = cmdq_qsel_filter(ctx, &qs, ftext);
		free(ftext);
		if (rc != 0)
			goto out;
		if (cmdq_qsel_load(ctx, &qs, 0, NULL, 1, NULL) != 0) {
			rc = 1;
			goto out;
		}
		req.run = 1;
		req.domain = domain;
		req.want = qs.want;
		req.v = qs.v;
		req.n = qs.n;
		rc = qact_cli_run(ctx, &req, &res);
		if (rc == 0 && res.run_failed)
			rc = 1;
		goto out;
	}
	if ((argc == 1) == !all)
		goto usage;
	if (cmdq_qsel_load(ctx, &qs, argc - 1, argv + 1, 0,
	    &missing) != 0)
		goto out;
	if (qs.n == 0) {
		rc = cmd_error(ctx, "%s: no message selected", verb);
		goto out;
	}
	req.v = qs.v;
	req.n = qs.n;
	if ((rc = qact_cli_run(ctx, &req, &res)) != 0)
		goto out;
	queue_act_summary(&b, &req, &res);
	fprintf(ctx->out, "%s\n", b.data);
	buf_release(&b);
	ok = res.done;
	rc = ok == qs.n && missing == 0 ? 0 : 1;
	if (rc != 0)
		cmd_error(ctx, "%s: %zu message%s not done", verb,
		    qs.n - ok + (size_t)missing, qs.n - ok + (size_t)missing ==
		    1 ? "" : "s");
	goto out;
usage:
	rc = cmd_usage(ctx, qact_entry(act));
	goto out;
conflict:
	rc = cmd_usage(ctx, qact_entry(act));
	value = ctx->error;
	ctx->error = xasprintf("%s: %s and %s cannot go together; %s",
	    qact_entry(act)->name, chosen, this, value);
	free((char *)value);
out:
	queue_act_result_release(&res);
	cmdq_qsel_release(&qs);
	return rc;
}

static int
queue_hold_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return queue_action(ctx, QACT_HOLD, argc, argv);
}

static int
queue_release_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return queue_action(ctx, QACT_RELEASE, argc, argv);
}

static int
queue_delete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return queue_action(ctx, QACT_DELETE, argc, argv);
}

static int
queue_flush_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return queue_action(ctx, QACT_FLUSH, argc, argv);
}

static int
queue_bounce_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return queue_action(ctx, QACT_BOUNCE, argc, argv);
}

#define QSEL_HELP							\
	"Messages are selected by queue id, or with --filter EXPR (the "	\
	"syntax of queue list; --filter '' is everything), in the MTA "	\
	"and submit queues (--queue mta|submit to limit).  The plan is "	\
	"shown, then confirmed (--yes answers), then one line per "	\
	"message says what happened, checked in the queue afterwards."

/* The selection options, then each action's own. */
#define QSEL_OPTS							\
	{ 'f', "filter", "EXPR", "the messages that match EXPR (queue list's "	\
	    "syntax)", 0 },							\
	{ 'q', "queue", "mta|submit|all", "which queues (default all)", 0 }

static const struct cmd_opt queue_sel_opts[] = {
	QSEL_OPTS,
	{ 0, NULL, NULL, NULL, 0 }
};

static const struct cmd_opt queue_hold_opts[] = {
	{ 'm', "reason", "TEXT", "the quarantine reason (one line)", 0 },
	QSEL_OPTS,
	{ 0, NULL, NULL, NULL, 0 }
};

static const struct cmd_opt queue_flush_opts[] = {
	QSEL_OPTS,
	{ 'd', "domain", "DOMAIN", "a queue run for the recipients in DOMAIN",
	    0 },
	{ 'a', "all", NULL, "a whole queue run", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_queue_hold_entry = {
	"queue hold",
	"[--reason TEXT] [--queue Q] (QID... | --filter EXPR)",
	"Hold messages: sendmail's quarantine",
	"Runs sendmail -Q\"TEXT\" -qIQID for each message: sendmail renames "
	"qf to hf and records the reason (default \"held by smadm\"); held "
	"messages are not delivered until released.  On a held message, "
	"--reason changes the reason (sendmail -qQ -QTEXT).  " QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_hold_exec, queue_hold_opts
};

const struct cmd_entry cmd_queue_release_entry = {
	"queue release",
	"[--queue Q] (QID... | --filter EXPR)",
	"Release held messages",
	"Runs sendmail -qQ -Q -qIQID: the hf file becomes a qf file again "
	"and the next queue run delivers it.  " QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_release_exec, queue_sel_opts
};

const struct cmd_entry cmd_queue_delete_entry = {
	"queue delete",
	"[--queue Q] (QID... | --filter EXPR)",
	"Delete messages from the queue, never one being delivered",
	"Takes sendmail's own lock on the control file (flock, exclusive, "
	"without waiting), removes the control file and then its df and xf "
	"files while holding it.  A message whose lock is held by sendmail "
	"(being delivered) is reported \"busy, not deleted\" and left alone.  "
	"No bounce is sent: the message is gone.  " QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_delete_exec, queue_sel_opts
};

const struct cmd_entry cmd_queue_flush_entry = {
	"queue flush",
	"[--queue Q] (QID... | --filter EXPR | --domain DOMAIN | --all)",
	"Try to deliver messages now",
	"Runs the real sendmail in the foreground (-qf): -qIQID per "
	"message, -qR@DOMAIN for every message with a recipient in DOMAIN, "
	"a whole queue run for --all.  Afterwards each message is reported "
	"delivered (gone from the queue) or still queued with its new last "
	"error.  Held messages are skipped (release them first).  "
	QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_flush_exec, queue_flush_opts
};

const struct cmd_entry cmd_queue_bounce_entry = {
	"queue bounce",
	"[--queue Q] (QID... | --filter EXPR)",
	"Return messages to their senders now",
	"sendmail has no bounce command; this uses its own timeout path: "
	"sendmail -O Timeout.queuereturn=1s -qf -qIQID, so sendmail returns the "
	"message to its sender with a delivery status notification (\"Cannot "
	"send message for 1 second\") and removes it.  Messages younger than "
	"a second are not bounced.  " QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_bounce_exec, queue_sel_opts
};

static const struct cmd_entry *
qact_entry(enum queue_act_verb act)
{
	switch (act) {
	case QACT_HOLD:
		return &cmd_queue_hold_entry;
	case QACT_RELEASE:
		return &cmd_queue_release_entry;
	case QACT_DELETE:
		return &cmd_queue_delete_entry;
	case QACT_FLUSH:
		return &cmd_queue_flush_entry;
	case QACT_BOUNCE:
		break;
	}
	return &cmd_queue_bounce_entry;
}
