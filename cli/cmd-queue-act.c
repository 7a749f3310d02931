/*
 * cmd-queue-act.c -- "smadm queue hold|release|delete|flush|bounce": act
 * on messages: hold and release (sendmail's quarantine), delete (under
 * sendmail's own lock), flush and bounce (through the real sendmail).
 *
 * Every action works on a selection (queue ids, or --filter), prints what
 * it is about to do, asks (cmd_confirm; --yes answers), and then reports
 * one line per message: "ID: what happened".  Actions check the result in
 * the queue itself afterwards instead of trusting an exit status.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/queue.h"
#include "cmd.h"
#include "cmd-queue-int.h"

#define QUEUE_RUN_TIMEOUT_MS	(10 * 60 * 1000)

/* ---- actions ---- */

enum qact {
	QACT_HOLD,
	QACT_RELEASE,
	QACT_DELETE,
	QACT_FLUSH,
	QACT_BOUNCE
};

static const char *const qact_verbs[] = {
	"hold", "release", "delete", "flush", "bounce"
};

/* Run sendmail for the queue an entry is in; *out gets stderr. */
static int
run_for(struct cmd_ctx *ctx, enum queue_kind kind, const char *queue,
    const char *a1, const char *a2, const char *a3, const char *a4,
    char **why)
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
	run_result_init(&rr);
	rc = host_run_sendmail(ctx->host, args, &ro, &rr, &cause);
	if (rc != 0)
		*why = cause;
	else if (!rr.exited || rr.status != 0) {
		*why = run_result_describe(ctx->host->prof->sendmail, &rr);
		rc = -1;
	}
	run_result_release(&rr);
	free(qd);
	return rc;
}

/* What is in the queue for this id now: 'q', 'h', 'Q' or 0 (gone). */
static int
now_state(struct cmd_ctx *ctx, const struct queue_entry *e)
{
	static const char	 which[] = "qhQ";
	char			*p;
	size_t			 i;
	int			 found = 0;

	for (i = 0; which[i] != '\0' && !found; i++) {
		p = queue_entry_path(e, which[i]);
		if (transport_exists(ctx->host->t, p))
			found = which[i];
		free(p);
	}
	return found;
}

static void
report(struct cmd_ctx *ctx, const struct queue_entry *e, const char *what,
    const char *detail)
{
	fprintf(ctx->out, "%s: %s", e->id, what);
	if (detail != NULL && *detail != '\0') {
		fputs(": ", ctx->out);
		cmdq_out_escaped(ctx->out, detail);
	}
	fputc('\n', ctx->out);
}

/* Returns 0 when the message ended up as asked. */
static int
act_one(struct cmd_ctx *ctx, enum qact act, struct queue_entry *e,
    const char *reason)
{
	struct strv	 also = STRV_INIT;
	char		*qi, *q, *why = NULL, *cause = NULL, *p, *parent;
	int		 st, rc = -1, state;

	if (e->state == QSTATE_LOST && act != QACT_DELETE) {
		report(ctx, e, "not touched", "a lost queue file (Qf): read "
		    "the log for why, fix, rename it to qf");
		return -1;
	}
	qi = xasprintf("-qI%s", e->id);
	switch (act) {
	case QACT_HOLD:
		q = xasprintf("-Q%s", reason != NULL ? reason :
		    "held by smadm");
		if (e->state == QSTATE_HELD && reason == NULL) {
			report(ctx, e, "already held", e->quarantine);
			rc = 0;
		} else if (e->state == QSTATE_HELD) {
			/* A new reason for a held message. */
			run_for(ctx, e->kind, e->queue, "-qQ", q, qi, NULL,
			    &why);
			report(ctx, e, now_state(ctx, e) == 'h' ?
			    "held, reason changed" : "failed", why);
			rc = now_state(ctx, e) == 'h' ? 0 : -1;
		} else {
			run_for(ctx, e->kind, e->queue, q, qi, NULL, NULL,
			    &why);
			st = now_state(ctx, e);
			if (st == 'h') {
				report(ctx, e, "held", why);
				rc = 0;
			} else if (st == 0)
				report(ctx, e, "gone", "delivered or removed "
				    "meanwhile");
			else
				report(ctx, e, "not held", why != NULL ? why :
				    "sendmail left it queued (being delivered?)");
		}
		free(q);
		break;
	case QACT_RELEASE:
		if (e->state != QSTATE_HELD) {
			report(ctx, e, "not held", NULL);
			rc = 0;
			break;
		}
		run_for(ctx, e->kind, e->queue, "-qQ", "-Q", qi, NULL,
		    &why);
		st = now_state(ctx, e);
		if (st == 'q') {
			report(ctx, e, "released", why);
			rc = 0;
		} else
			report(ctx, e, "not released", why != NULL ? why :
			    "sendmail left it held (being worked on?)");
		break;
	case QACT_DELETE:
		p = queue_entry_path(e, 'd');
		strv_push_nocopy(&also, p);
		strv_push_nocopy(&also, queue_entry_path(e, 'x'));
		if (str_endswith(e->dir, "/qf")) {
			parent = xstrndup(e->dir, strlen(e->dir) - 3);
			strv_pushf(&also, "%s/xf%s", parent, e->id);
			free(parent);
		}
		p = queue_entry_path(e, 0);
		if (transport_remove_locked(ctx->host->t, p, &also, &state,
		    &cause) != 0) {
			report(ctx, e, "failed", cause);
			free(cause);
		} else if (state == TRL_BUSY)
			report(ctx, e, "busy, not deleted", "sendmail holds "
			    "its lock (being delivered); try again later");
		else if (state == TRL_MISSING)
			report(ctx, e, "gone", "no longer in the queue");
		else {
			report(ctx, e, "deleted", NULL);
			rc = 0;
		}
		free(p);
		strv_release(&also);
		break;
	case QACT_FLUSH:
	case QACT_BOUNCE:
		if (e->state == QSTATE_HELD) {
			report(ctx, e, "held", "release it first");
			break;
		}
		/* -qf: in the foreground, done when sendmail returns. */
		if (act == QACT_FLUSH)
			run_for(ctx, e->kind, e->queue, "-qf", qi, NULL, NULL,
			    &why);
		else
			run_for(ctx, e->kind, e->queue, "-O",
			    "Timeout.queuereturn=1s", "-qf", qi, &why);
		st = now_state(ctx, e);
		if (st == 0) {
			report(ctx, e, act == QACT_FLUSH ? "delivered" :
			    "bounced", act == QACT_FLUSH ? "no longer queued "
			    "(sent, or returned to the sender)" : "returned "
			    "to the sender");
			rc = 0;
		} else {
			struct queue_entry *n = queue_find(ctx->host, e->id,
			    &cause);

			if (n == NULL) {
				report(ctx, e, "gone", NULL);
				free(cause);
				rc = 0;
			} else {
				report(ctx, e, act == QACT_FLUSH ?
				    "still queued" : "not bounced", why !=
				    NULL ? why : n->status);
				rc = act == QACT_FLUSH ? 0 : -1;
				queue_entry_free(n);
			}
		}
		break;
	}
	free(why);
	free(qi);
	return rc;
}

static void
plan_line(FILE *f, const struct queue_entry *e)
{
	char	who[256];

	fprintf(f, "  %s  %-6s %-6s ", e->id, cmdq_kind_name(e),
	    queue_entry_state(e));
	cmdq_out_escaped(f, queue_bare_addr(e->sender, who, sizeof who));
	fputs(" -> ", f);
	cmdq_out_escaped(f, e->nrcpts > 0 ? queue_bare_addr(e->rcpts[0].addr, who,
	    sizeof who) : "");
	if (e->nrcpts > 1)
		fprintf(f, " (+%zu)", e->nrcpts - 1);
	fputc('\n', f);
}

/* flush --domain / --all: whole queue runs, reported per message. */
static int
flush_run(struct cmd_ctx *ctx, struct qsel *qs, const char *domain)
{
	const struct profile	*p = ctx->host->prof;
	char			*r = NULL, *why = NULL;
	size_t			 i;
	int			 failed = 0;

	if (domain != NULL)
		r = xasprintf("-qR@%s", domain);
	if (qs->want & QUEUE_WANT_MTA) {
		if (run_for(ctx, QUEUE_MTA, NULL, "-qf", r, NULL, NULL,
		    &why) != 0) {
			fprintf(ctx->out, "MTA queue run: %s\n", why);
			failed = 1;
		}
		free(why);
	}
	for (i = 0; (qs->want & QUEUE_WANT_SUBMIT) &&
	    i < p->submit_queue_dirs.n; i++) {
		if (run_for(ctx, QUEUE_SUBMIT, p->submit_queue_dirs.v[i],
		    "-qf", r, NULL, NULL, &why) != 0) {
			fprintf(ctx->out, "submit queue run: %s\n", why);
			failed = 1;
		}
		free(why);
	}
	for (i = 0; i < qs->n; i++) {
		struct queue_entry *e = qs->v[i], *n;
		char *cause = NULL;

		if (e->state != QSTATE_QUEUED)
			continue;
		if ((n = queue_find(ctx->host, e->id, &cause)) == NULL) {
			report(ctx, e, "delivered", "no longer queued (sent, "
			    "or returned to the sender)");
			free(cause);
		} else {
			report(ctx, e, "still queued", n->status);
			queue_entry_free(n);
		}
	}
	free(r);
	return failed;
}

static const struct cmd_entry *qact_entry(enum qact);

static int
queue_action(struct cmd_ctx *ctx, enum qact act, int argc, char **argv)
{
	struct qsel	 qs;
	const char	*reason = NULL, *domain = NULL, *verb = qact_verbs[act];
	char		*ftext;
	size_t		 i, ok = 0;
	const char	*value;
	size_t		 oi = 0;
	int		 ch, rc = 1, all = 0, missing = 0, nactive;

	cmdq_qsel_init(&qs);
	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		switch (ch) {
		case 'f':
			if (cmdq_qsel_filter(ctx, &qs, value) != 0)
				goto out;
			all = 1;
			break;
		case 'q':
			if (cmdq_qsel_want(value, &qs.want) != 0) {
				rc = cmd_error(ctx, "--queue %s: expected mta, "
				    "submit or all", value);
				goto out;
			}
			break;
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
		fprintf(ctx->out, "flush %s: a queue run of the %s, %zu "
		    "message%s now\n", domain != NULL ? domain : "everything",
		    qs.want == QUEUE_WANT_ALL ? "MTA and submit queues" :
		    qs.want == QUEUE_WANT_MTA ? "MTA queue" : "submit queue",
		    qs.n, qs.n == 1 ? "" : "s");
		for (i = 0; i < qs.n; i++)
			plan_line(ctx->out, qs.v[i]);
		if (!cmd_confirm(ctx, "Run the queue for %s now?",
		    domain != NULL ? domain : "every message")) {
			rc = 1;
			goto out;
		}
		rc = flush_run(ctx, &qs, domain);
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
	nactive = (int)qs.n;
	fprintf(ctx->out, "%s %zu message%s%s%s%s:\n", verb, qs.n,
	    qs.n == 1 ? "" : "s", reason != NULL ? " (reason: \"" : "",
	    reason != NULL ? reason : "", reason != NULL ? "\")" : "");
	for (i = 0; i < qs.n; i++)
		plan_line(ctx->out, qs.v[i]);
	fflush(ctx->out);
	if (!cmd_confirm(ctx, "%c%s %d message%s?", verb[0] - 'a' + 'A',
	    verb + 1, nactive, nactive == 1 ? "" : "s")) {
		rc = 1;
		goto out;
	}
	for (i = 0; i < qs.n; i++)
		if (act_one(ctx, act, qs.v[i], reason) == 0)
			ok++;
	fprintf(ctx->out, "%s: %zu of %zu done\n", verb, ok, qs.n);
	rc = ok == qs.n && missing == 0 ? 0 : 1;
	if (rc != 0)
		cmd_error(ctx, "%s: %zu message%s not done", verb,
		    qs.n - ok + (size_t)missing, qs.n - ok + (size_t)missing ==
		    1 ? "" : "s");
	goto out;
usage:
	rc = cmd_usage(ctx, qact_entry(act));
out:
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
qact_entry(enum qact act)
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
