/*
 * cmd-audit.c -- "smadm audit", "audit show ID", "audit fix ID...": the
 * security audit (backend/audit.h) for cron, CI and people.
 *
 * Exit status of "audit": 0 when no finding is medium or high, 3 when the
 * worst is medium, 4 when one is high; 1 and 2 keep their usual meanings
 * (failure, usage).
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/audit.h"
#include "cmd-mc.h"
#include "cmd-op.h"

#define AUDIT_EXIT_MEDIUM	3
#define AUDIT_EXIT_HIGH		4

struct audit_opts {
	int		 all;
	int		 live;		/* 1 --live, 0 --no-live, -1 auto */
	int		 outside;	/* --outside: judge the relay probe */
	int		 dry;		/* fix --dry-run */
	const char	*addr;		/* --addr ADDR:PORT */
	const char	*source;	/* --source ADDR */
};

/* audit and audit show take the same options; audit fix its own. */
static const struct cmd_opt audit_opts[] = {
	{ 'a', "all", NULL, "list the checks that passed too", 0 },
	{ 'l', "live", NULL, "probe the running daemon over SMTP", 0 },
	{ 'L', "no-live", NULL, "no SMTP probe", 0 },
	{ 'o', "outside", NULL, "judge the relay probe as from outside", 0 },
	{ 'A', "addr", "ADDR:PORT", "where to probe (default: where the "
	    "daemon listens)", 0 },
	{ 's', "source", "ADDR", "the address the probe connects from", 0 },
	{ 'j', "json", NULL, "machine-readable output", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

static const struct cmd_opt audit_fix_opts[] = {
	{ 'n', "dry-run", NULL, "show what would change, change nothing", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

/* Static checks, then the live ones when wanted. */
static int
audit_gather(struct cmd_ctx *ctx, const struct audit_opts *ao, int flags,
    struct audit **ap)
{
	struct audit_live_opts	 lo;
	struct buf		 transcript = BUF_INIT;
	char			*cause = NULL, *addr = NULL;
	int			 port = 0, running = 0, relay_client;

	if (audit_run(ctx->host, flags, ap, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (ao->live == 0)
		return 0;
	if (audit_live_target(ctx->host, ao->addr, &addr, &port, &running,
	    &cause) != 0) {
		if (ao->live == 1)
			goto fail;
		free(cause);	/* no pid file, say: no daemon to probe */
		return 0;
	}
	if (addr == NULL || (!running && ao->addr == NULL)) {
		free(addr);
		if (ao->live == 1)
			return cmd_error(ctx, "--live: the daemon is not "
			    "running");
		return 0;
	}
	memset(&lo, 0, sizeof lo);
	lo.addr = addr;
	lo.port = port;
	lo.source = ao->source;
	relay_client = !ao->outside;
	if (audit_live(*ap, &lo, relay_client, &transcript, &cause) != 0)
		goto fail;
	buf_release(&transcript);
	free(addr);
	return 0;
fail:
	free(addr);
	buf_release(&transcript);
	audit_free(*ap);
	*ap = NULL;
	return cmd_fail_cause(ctx, xasprintf("live probe: %s", cause));
}

/* The parsed options into *ao; the index of the first word (always 1). */
static int
audit_options(struct cmd_ctx *ctx, const struct cmd_entry *ce unused,
    int argc unused, char **argv unused, struct audit_opts *ao)
{
	const char	*value;
	size_t		 i = 0;
	int		 ch;

	memset(ao, 0, sizeof *ao);
	ao->live = -1;
	ao->all = cmd_args_has(ctx, 'a') > 0;
	/* The last of --live and --no-live counts. */
	while ((ch = cmd_args_next(ctx, &i, &value)) != -1)
		if (ch == 'l' || ch == 'L')
			ao->live = ch == 'l';
	ao->outside = cmd_args_has(ctx, 'o') > 0;
	ao->addr = cmd_args_get(ctx, 'A');
	ao->source = cmd_args_get(ctx, 's');
	ao->dry = cmd_args_has(ctx, 'n') > 0;
	return 1;
}

/* A paragraph, indented by two and wrapped before column 76. */
static void
audit_wrap(FILE *f, const char *text)
{
	const char	*p = text;
	size_t		 col = 2, n;

	fputs("  ", f);
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p == '\n') {
			fputs("\n  ", f);
			col = 2;
			p++;
			continue;
		}
		n = strcspn(p, " \n");
		if (col > 2 && col + 1 + n > 76) {
			fputs("\n  ", f);
			col = 2;
		} else if (col > 2) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += n;
		p += n;
	}
	fputc('\n', f);
}

static const char *
audit_fixable(const struct audit_finding *f)
{
	switch (f->fix) {
	case AUDIT_FIX_NONE:
		return "no";
	case AUDIT_FIX_MODE:
	case AUDIT_FIX_ACCESS:
		return "file";
	default:
		return "apply";
	}
}

static void
audit_print_json(struct cmd_ctx *ctx, const struct audit *a, int all)
{
	const struct audit_finding	*f;
	FILE				*o = ctx->out;
	size_t				 i;
	int				 first = 1, worst = audit_worst(a);

	fputs("{\"role\":", o);
	json_string(o, a->role != NULL ? a->role : "");
	fputs(",\"role_why\":", o);
	json_string(o, a->role_why != NULL ? a->role_why : "");
	fprintf(o, ",\"internet_facing\":%s,\"version\":",
	    a->internet ? "true" : "false");
	json_string(o, a->version != NULL ? a->version : "");
	fprintf(o, ",\"score\":%d,\"worst\":", audit_score(a));
	if (worst < 0)
		fputs("null", o);
	else
		json_string(o, audit_severity_name(worst));
	fprintf(o, ",\"live\":%s,\"findings\":[", a->live ? "true" : "false");
	for (i = 0; i < a->n; i++) {
		f = &a->v[i];
		if (f->passed && !all)
			continue;
		fprintf(o, "%s{\"id\":", first ? "" : ",");
		first = 0;
		json_string(o, f->id);
		fputs(",\"severity\":", o);
		json_string(o, audit_severity_name(f->severity));
		fprintf(o, ",\"passed\":%s,\"title\":", f->passed ? "true" :
		    "false");
		json_string(o, f->title);
		fputs(",\"current\":", o);
		json_string(o, f->current);
		fputs(",\"why\":", o);
		json_string(o, f->why);
		fputs(",\"fix\":", o);
		json_string(o, f->fix_text);
		fputs(",\"fixable\":", o);
		json_string(o, audit_fixable(f));
		fputc('}', o);
	}
	fputs("],\"notes\":[", o);
	for (i = 0; i < a->notes.n; i++) {
		if (i > 0)
			fputc(',', o);
		json_string(o, a->notes.v[i]);
	}
	fputs("]}\n", o);
}

static int
audit_exit(const struct audit *a)
{
	switch (audit_worst(a)) {
	case AUDIT_HIGH:
		return AUDIT_EXIT_HIGH;
	case AUDIT_MEDIUM:
		return AUDIT_EXIT_MEDIUM;
	default:
		return 0;
	}
}

static int
cmd_audit_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct audit_opts	 ao;
	struct audit		*a;
	const struct audit_finding *f;
	size_t			 i;
	int			 ind, rc;

	if ((ind = audit_options(ctx, &cmd_audit_entry, argc, argv, &ao)) < 0)
		return -ind;
	if (ind != argc)
		return cmd_usage(ctx, &cmd_audit_entry);
	if ((rc = audit_gather(ctx, &ao, ao.all ? AUDIT_ALL : 0, &a)) != 0)
		return rc;
	if (ctx->json)
		audit_print_json(ctx, a, ao.all);
	else {
		for (i = 0; i < a->n; i++) {
			f = &a->v[i];
			if (f->passed && !ao.all)
				continue;
			fprintf(ctx->out, "%-7s %-28s %s\n", f->passed ?
			    "pass" : audit_severity_name(f->severity), f->id,
			    f->title);
		}
		for (i = 0; i < a->notes.n; i++)
			fprintf(ctx->out, "note: %s\n", a->notes.v[i]);
	}
	rc = audit_exit(a);
	audit_free(a);
	return rc;
}

const struct cmd_entry cmd_audit_entry = {
	"audit", "",
	"Check the server against the sendmail hardening checklist",
	"One line per finding: severity (high, medium, low, info), ID and "
	"summary; --all lists the checks that passed too (as \"pass\").  "
	"Reads the live cf, the mc, the aliases and their :include: files, "
	"the access map, trusted users, /etc/passwd, /etc/shells and the "
	"modes and owners of what sendmail trusts, and runs sendmail once "
	"for its version.  When the daemon runs (or with --live) it is "
	"also probed over SMTP: banner, MAIL before HELO, EXPN, VRFY, and "
	"RCPT to an address at example.com with the null sender (never "
	"DATA).  The probe goes to the daemon's first IPv4 address, or "
	"--addr, from --source when given.  The relay answer is judged "
	"only with --outside (the client is known not to be a relay "
	"client, e.g. run from another network namespace); from loopback "
	"it is informational.  Exit status: 0 when nothing is medium or "
	"high, 3 when the worst finding is medium, 4 when one is high "
	"(1: error, 2: usage).  \"smadm audit show ID\" explains a finding, "
	"\"smadm audit fix ID\" fixes it.",
	CMD_JSON | CMD_OPTS_FIRST, cmd_audit_exec, audit_opts
};

/* "audit show role": the role, how it was inferred, what it decides. */
static void
audit_print_role(struct cmd_ctx *ctx, const struct audit *a)
{
	const char	*role = a->role != NULL ? a->role : "";
	const char	*why = a->role_why != NULL ? a->role_why : "";

	if (ctx->json) {
		fputs("{\"id\":\"role\",\"role\":", ctx->out);
		json_string(ctx->out, role);
		fputs(",\"role_why\":", ctx->out);
		json_string(ctx->out, why);
		fprintf(ctx->out, ",\"internet_facing\":%s}\n", a->internet ?
		    "true" : "false");
		return;
	}
	fprintf(ctx->out, "role: %s\nhow it was inferred:\n", role);
	audit_wrap(ctx->out, why);
	fprintf(ctx->out, "\nexposure:\n");
	audit_wrap(ctx->out, a->internet ? "internet-facing: the daemon "
	    "listens beyond loopback (DaemonPortOptions)" : "loopback only: "
	    "every DaemonPortOptions address is 127.0.0.1, ::1 or localhost");
	fputs("\nwhat it decides:\n", ctx->out);
	audit_wrap(ctx->out, "runasuser applies to the roles that do not "
	    "deliver locally (nullclient, msp, gateway); listen-all to the "
	    "send-only ones (nullclient, msp); accept-unresolvable is "
	    "informational on a loopback-only daemon.  A template's VERSIONID(`smadm ROLE role "
	    "for HOST') in the mc declares the role outright.");
}

static int
cmd_audit_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct audit_opts	 ao;
	struct audit		*a;
	const struct audit_finding *f;
	char			*fix;
	int			 ind, rc;

	if ((ind = audit_options(ctx, &cmd_audit_show_entry, argc, argv,
	    &ao)) < 0)
		return -ind;
	if (ind != argc - 1)
		return cmd_usage(ctx, &cmd_audit_show_entry);
	if (ao.live == -1 && strncmp(argv[ind], "live-", 5) != 0)
		ao.live = 0;
	if ((rc = audit_gather(ctx, &ao, AUDIT_ALL, &a)) != 0)
		return rc;
	if (strcmp(argv[ind], "role") == 0) {
		audit_print_role(ctx, a);
		audit_free(a);
		return 0;
	}
	if ((f = audit_find(a, argv[ind])) == NULL) {
		audit_free(a);
		return cmd_error(ctx, "%s: no such check (smadm audit --all "
		    "lists them)", argv[ind]);
	}
	fix = audit_fix_describe(f);
	if (ctx->json) {
		fputs("{\"id\":", ctx->out);
		json_string(ctx->out, f->id);
		fputs(",\"severity\":", ctx->out);
		json_string(ctx->out, audit_severity_name(f->severity));
		fprintf(ctx->out, ",\"passed\":%s,\"title\":", f->passed ?
		    "true" : "false");
		json_string(ctx->out, f->title);
		fputs(",\"current\":", ctx->out);
		json_string(ctx->out, f->current);
		fputs(",\"why\":", ctx->out);
		json_string(ctx->out, f->why);
		fputs(",\"fix\":", ctx->out);
		json_string(ctx->out, f->fix_text);
		fputs(",\"fix_action\":", ctx->out);
		json_string(ctx->out, fix);
		fputs(",\"role\":", ctx->out);
		json_string(ctx->out, a->role != NULL ? a->role : "");
		fputs(",\"role_why\":", ctx->out);
		json_string(ctx->out, a->role_why != NULL ? a->role_why : "");
		fputs("}\n", ctx->out);
	} else {
		fprintf(ctx->out, "%s: %s\n", f->id, f->title);
		fprintf(ctx->out, "severity: %s%s\n",
		    audit_severity_name(f->severity), f->passed ?
		    " (the check passes)" : "");
		fprintf(ctx->out, "role: %s, %s (\"smadm audit show role\" "
		    "says why)\n", a->role != NULL ? a->role : "?",
		    a->internet ? "internet-facing" : "listens on loopback "
		    "only");
		fputs("found:\n", ctx->out);
		audit_wrap(ctx->out, f->current);
		fputs("\nwhy it matters:\n", ctx->out);
		audit_wrap(ctx->out, f->why);
		fputs("\nfix:\n", ctx->out);
		audit_wrap(ctx->out, f->fix_text);
		if (f->fix != AUDIT_FIX_NONE && !f->passed)
			fprintf(ctx->out, "\n\"smadm audit fix %s\" will: "
			    "%s\n", f->id, fix);
	}
	free(fix);
	audit_free(a);
	return 0;
}

const struct cmd_entry cmd_audit_show_entry = {
	"audit show", "ID",
	"Explain one audit check: what was found, why it matters, the fix",
	"Shows the value found, the reasoning and what \"smadm audit fix\" "
	"would do (or what to change by hand).  IDs that start with live- "
	"come from the SMTP probe of the running daemon.",
	CMD_JSON | CMD_OPTS_FIRST, cmd_audit_show_exec, audit_opts
};

static int
cmd_audit_fix_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct audit_opts	 ao;
	struct audit		*a = NULL, *after = NULL;
	const struct audit_finding **fv = NULL;
	struct audit_fix_req	 req;
	struct audit_fix_result	 res;
	struct op_ctl		 ctl;
	char			*cause = NULL, *d;
	size_t			 i, n = 0;
	int			 ind, r, rc = 1;

	if ((ind = audit_options(ctx, &cmd_audit_fix_entry, argc, argv,
	    &ao)) < 0)
		return -ind;
	if (ind >= argc)
		return cmd_usage(ctx, &cmd_audit_fix_entry);
	if (audit_run(ctx->host, AUDIT_ALL, &a, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	fv = xreallocarray(NULL, (size_t)(argc - ind), sizeof *fv);
	for (; ind < argc; ind++) {
		if ((fv[n] = audit_find(a, argv[ind])) == NULL) {
			rc = cmd_error(ctx, "%s: no such check%s", argv[ind],
			    strncmp(argv[ind], "live-", 5) == 0 ? " (live "
			    "findings are fixed through their static "
			    "check: see smadm audit show)" : "");
			goto out;
		}
		if (fv[n]->passed) {
			fprintf(ctx->out, "%s: the check passes, nothing to "
			    "fix\n", fv[n]->id);
			continue;
		}
		if (fv[n]->fix == AUDIT_FIX_NONE) {
			rc = cmd_error(ctx, "%s: not fixable by smadm: %s",
			    fv[n]->id, fv[n]->fix_text);
			goto out;
		}
		d = audit_fix_describe(fv[n]);
		fprintf(ctx->out, "%s: %s\n", fv[n]->id, d);
		free(d);
		n++;
	}
	if (n == 0) {
		rc = 0;
		goto out;
	}

	/* mc edits: one apply for all of them; then each file. */
	memset(&req, 0, sizeof req);
	req.fv = fv;
	req.n = n;
	req.dry = ao.dry;
	req.lock_wait = -1;
	cmd_op_ctl(ctx, &ctl);
	r = audit_fix(ctx->host, &req, &ctl, &res, &cause);
	if (r == 0 && ao.dry && res.a != NULL) {
		fputs(res.a->diff.data, ctx->out);
		cmd_print_steps(ctx->out, res.a);
		fputs(res.report.data, ctx->out);
	}
	audit_fix_result_release(&res);
	if (r < 0) {
		rc = cmd_fail_cause(ctx, cause);
		goto out;
	}
	if (r == 1)
		goto out;
	if (ao.dry) {
		fputs("dry run: nothing changed\n", ctx->out);
		rc = 0;
		goto out;
	}

	/* Check again: every fixed finding must be gone. */
	if (audit_run(ctx->host, 0, &after, &cause) != 0) {
		rc = cmd_fail_cause(ctx, cause);
		goto out;
	}
	rc = 0;
	for (i = 0; i < n; i++) {
		if (audit_find(after, fv[i]->id) == NULL)
			fprintf(ctx->out, "fixed: %s\n", fv[i]->id);
		else {
			fprintf(ctx->out, "still reported: %s\n", fv[i]->id);
			rc = cmd_error(ctx, "%s is still reported after the "
			    "fix", fv[i]->id);
		}
	}
out:
	free(fv);
	audit_free(a);
	audit_free(after);
	return rc;
}

const struct cmd_entry cmd_audit_fix_entry = {
	"audit fix", "ID...",
	"Fix audit findings: mc edits through apply, file modes by chmod",
	"Option and feature findings are made on a copy of the mc, from "
	"which the apply pipeline runs once for all of them: generate, "
	"validate, show the diff, ask; only after a yes is the mc written "
	"(a backup set first), the cf installed and the daemon reloaded; "
	"when a step then fails, the mc is put back.  File findings (mode:PATH) "
	"are a chmod, with a chown to root when another user owns the file; "
	"access-relay-broad comments out the entries and rebuilds the "
	"maps; each is asked for.  Afterwards the audit runs again and each "
	"ID is reported fixed or still there.  Findings marked \"by hand\" "
	"in \"smadm audit show\" are refused.  --dry-run shows what would change "
	"(the cf diff, generated and validated from an edited copy of the "
	"mc) and changes nothing: no file is written but the copy, removed "
	"at once.",
	CMD_WRITES | CMD_CONFIRM | CMD_OPTS_FIRST | CMD_OWNLOCK,
	cmd_audit_fix_exec, audit_fix_opts
};
