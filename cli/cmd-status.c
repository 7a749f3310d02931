/*
 * cmd-status.c -- "smadm status": the host, the daemon, the queues and the
 * profile at a glance.  It is a report: a stopped daemon or a missing file
 * is shown, not failed on; only a host that cannot be read is an error.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/apply.h"
#include "../backend/daemon.h"
#include "../backend/hostname.h"
#include "../backend/queue.h"
#include "cmd.h"

struct status_queue {
	const char		*name;
	const struct strv	*dirs;
	struct queue_counts	 qc;
	char			*error;
};

static void
status_paths(const struct profile *p, struct strv *keys, struct strv *vals)
{
	struct buf	 b = BUF_INIT;
	struct strv	 lines = STRV_INIT;
	char		*eq;
	size_t		 i;

	profile_format(p, &b);
	strv_split_char(&lines, b.data, '\n');
	for (i = 0; i < lines.n; i++) {
		if ((eq = strchr(lines.v[i], '=')) == NULL)
			continue;
		*eq = '\0';
		strv_push(keys, str_trim(lines.v[i]));
		strv_push(vals, str_trim(eq + 1));
	}
	strv_release(&lines);
	buf_release(&b);
}

static void
status_queue_text(FILE *f, const struct status_queue *q)
{
	char	*dirs;

	if (q->dirs->n == 0)
		return;
	dirs = strv_join(q->dirs, " ");
	if (q->error != NULL)
		fprintf(f, "%-14s unreadable: %s\n", q->name, q->error);
	else {
		fprintf(f, "%-14s %ld message%s", q->name, q->qc.messages,
		    q->qc.messages == 1 ? "" : "s");
		if (q->qc.quarantined != 0)
			fprintf(f, ", %ld quarantined", q->qc.quarantined);
		if (q->qc.lost != 0)
			fprintf(f, ", %ld lost (Qf)", q->qc.lost);
		fprintf(f, " in %s\n", dirs);
	}
	free(dirs);
}

static void
status_queue_json(FILE *f, const struct status_queue *q)
{
	fprintf(f, "\"%s\": ", q->name);
	if (q->dirs->n == 0) {
		fputs("null", f);
		return;
	}
	if (q->error != NULL) {
		fputs("{\"error\": ", f);
		json_string(f, q->error);
		fputs("}", f);
		return;
	}
	fprintf(f, "{\"messages\": %ld, \"quarantined\": %ld, \"lost\": %ld, "
	    "\"dirs\": %ld}", q->qc.messages, q->qc.quarantined, q->qc.lost,
	    q->qc.dirs);
}

static int
cmd_status_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct host		*h = ctx->host;
	struct profile		*p = h->prof;
	struct daemon_status	 st;
	struct status_queue	 q[2];
	struct strv		 keys = STRV_INIT, vals = STRV_INIT;
	struct strv		 missing = STRV_INIT;
	FILE			*f = ctx->out;
	struct hostname_check	 hc;
	char			*cause = NULL, *pending, *hcause = NULL;
	size_t			 i;

	if (argc != 1)
		return cmd_usage(ctx, &cmd_status_entry);
	if (daemon_status(h, &st, &cause) != 0)
		return cmd_fail_cause(ctx, cause);

	memset(q, 0, sizeof q);
	q[0].name = "queue";
	q[0].dirs = &p->queue_dirs;
	q[1].name = "submit_queue";
	q[1].dirs = &p->submit_queue_dirs;
	for (i = 0; i < nitems(q); i++) {
		if (q[i].dirs->n != 0 &&
		    queue_count(h, q[i].dirs, &q[i].qc, &cause) != 0) {
			q[i].error = cause;
			cause = NULL;
		}
	}
	status_paths(p, &keys, &vals);
	profile_missing(p, h->t, &missing);
	pending = apply_pending(h);
	if (hostname_check(h, &hc, &hcause) != 0) {
		hc.problem = hcause;	/* unreadable: say so, go on */
		hcause = NULL;
	}

	if (ctx->json) {
		fputs("{\"host\": ", f);
		json_string(f, h->t->name);
		fputs(", \"transport\": ", f);
		json_string(f, h->t->ops->name);
		fputs(", \"profile\": ", f);
		json_string(f, p->origin);
		fputs(", \"layout\": ", f);
		json_string_or_null(f, profile_layout_name(p->layout));
		fputs(", \"layout_detected_by\": ", f);
		json_string_or_null(f, p->layout_why);
		fprintf(f, ", \"sandbox\": %s, \"daemon\": ",
		    p->sandbox ? "true" : "false");
		cmd_daemon_show(f, h, &st, 1);
		for (i = 0; i < nitems(q); i++) {
			fputs(", ", f);
			status_queue_json(f, &q[i]);
		}
		fputs(", \"paths\": {", f);
		for (i = 0; i < keys.n; i++) {
			if (i != 0)
				fputs(", ", f);
			json_string(f, keys.v[i]);
			fputs(": ", f);
			json_string(f, vals.v[i]);
		}
		fputs("}, \"missing\": [", f);
		for (i = 0; i < missing.n; i++) {
			if (i != 0)
				fputs(", ", f);
			json_string(f, missing.v[i]);
		}
		fputs("], \"hostname\": {\"name\": ", f);
		json_string(f, hc.name != NULL ? hc.name : "");
		fputs(", \"qualified\": ", f);
		json_string_or_null(f, hc.fqdn);
		fputs(", \"problem\": ", f);
		json_string_or_null(f, hc.problem);
		fputs(", \"fix\": ", f);
		json_string_or_null(f, hc.fix);
		fputs("}, \"interrupted_apply\": ", f);
		json_string_or_null(f, pending);
		fputs("}\n", f);
	} else {
		fprintf(f, "host:          %s (%s)\n", h->t->name,
		    h->t->ops->name);
		fprintf(f, "profile:       %s%s", p->origin,
		    p->sandbox ? " (sandbox)" : "");
		if (p->layout_why != NULL)
			fprintf(f, " (detected: %s)", p->layout_why);
		fputc('\n', f);
		if (hc.problem == NULL)
			fprintf(f, "hostname:      %s\n", hc.fqdn);
		else {
			fprintf(f, "hostname:      PROBLEM: %s\n", hc.problem);
			if (hc.fix != NULL)
				fprintf(f, "  fix:         %s\n", hc.fix);
		}
		cmd_daemon_show(f, h, &st, 0);
		for (i = 0; i < nitems(q); i++)
			status_queue_text(f, &q[i]);
		fputs("paths:\n", f);
		for (i = 0; i < keys.n; i++)
			fprintf(f, "  %-18s %s\n", keys.v[i], vals.v[i]);
		for (i = 0; i < missing.n; i++)
			fprintf(f, "missing:       %s\n", missing.v[i]);
		if (pending != NULL)
			fprintf(f, "interrupted:   an apply died half-way "
			    "(backup %s); the next writing command rolls it "
			    "back\n", pending);
	}
	free(pending);
	hostname_check_release(&hc);

	for (i = 0; i < nitems(q); i++)
		free(q[i].error);
	strv_release(&keys);
	strv_release(&vals);
	strv_release(&missing);
	daemon_status_release(&st);
	return 0;
}

const struct cmd_entry cmd_status_entry = {
	"status", "",
	"Show the daemon, the queues and the profile",
	"Shows the host, where the profile came from, whether the daemon runs "
	"(pid, uptime, listening addresses, the command line of its pid "
	"file; a pid file naming a dead or foreign process is reported as "
	"stale), a sandbox's log receiver, the number of messages in the MTA "
	"and submission queues, the profile's paths, and a \"missing:\" line "
	"for each configured file that does not exist, and an \"interrupted:\" "
	"line when an apply died half-way (the next writing command rolls it "
	"back from its backup set).  A \"hostname:\" line gives the "
	"qualified name sendmail will find for the host, or the problem: an "
	"unqualified name the hosts file does not qualify makes every "
	"sendmail start sleep a minute, and says how to fix it.  Exits 0 "
	"whether the "
	"daemon runs or not.",
	CMD_JSON, cmd_status_exec, NULL
};
