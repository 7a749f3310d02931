/*
 * cmd-log.c -- "smadm log tail|trace|search" and "smadm loglevel".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/log.h"
#include "../backend/loglevel.h"
#include "cmd-mc.h"
#include "cmd-op.h"

#define LOG_TAIL_LINES		20
#define LOG_FOLLOW_MS		250
#define LOG_REST_IDLE		4	/* polls: an unended line shows */
#define LOG_FILTER_BACK		100000

#define LOG_FILTER_HELP							\
	"EXPR is a filter: blank-separated terms that must all match.  "	\
	"TEXT matches lines containing TEXT in any case (\"quote\" it to "	\
	"include blanks or a colon); KEY:VALUE matches when the field KEY "	\
	"contains VALUE (from, to, ctladdr, relay, stat, dsn, mailer, "	\
	"msgid, reject, ruleset, arg1, proto, daemon, size, nrcpts, ...), "	\
	"and these keys are special: qid:ID (exactly that queue id), "		\
	"pid:N, host:, prog:, kind:K (from, to, reject, connect, "		\
	"user-unknown, no-mail, syserr, daemon-start, daemon-stop, "		\
	"daemon-restart, smtp-in, smtp-out, done, dsn, lost, noise, auth, "	\
	"auth-fail, attack (possible SMTP attack, pre-greeting traffic, "	\
	"VRFY or EXPN refused; command: is the SMTP command), milter, tls, "	\
	"tls-fail, other, unknown), syslog_pri: (the priority a syslog "	\
	"daemon wrote, as mail.info or 22; pri: is sendmail's own), "	\
	"user:U (the user of AUTH and AUTH failure lines), status:S (the outcome: sent, deferred, bounced, "		\
	"rejected, error), stat: (the outcome or the stat= text), addr: "	\
	"(from, to, ctladdr, arg1 or an <address> in the text) and ip: "	\
	"(the [address] of relay or connect, so that ip:X finds every "	\
	"line a client caused; IPv6 with or without IPv6:, written long "	\
	"or short).  KEY:A,B "						\
	"matches either "							\
	"value; -TERM must not match.  Example: "				\
	"'status:deferred,bounced to:example.com -relay:localhost'."

static void
log_print_line(struct cmd_ctx *ctx, const char *text, const char *file,
    time_t now)
{
	struct log_line	l;
	struct buf	b = BUF_INIT;

	if (!ctx->json) {
		fprintf(ctx->out, "%s\n", text);
		return;
	}
	log_line_init(&l);
	log_parse(&l, text, strlen(text), now);
	log_line_json(&l, file, &b);
	fprintf(ctx->out, "%s", b.data);
	buf_release(&b);
	log_line_release(&l);
}

/* Join argv words into one expression. */
static char *
log_join(int argc, char **argv)
{
	struct strv	words = STRV_INIT;
	char		*s;
	int		 i;

	for (i = 0; i < argc; i++)
		strv_push(&words, argv[i]);
	s = strv_join(&words, " ");
	strv_release(&words);
	return s;
}

static void
log_sleep_ms(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* ---- log tail ---- */

static int
cmd_log_tail_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct log_filter	*filter = NULL;
	struct log_follow	*lf = NULL;
	struct log_line		 l;
	struct strv		 lines = STRV_INIT;
	const char		*path = ctx->host->prof->mail_log;
	char			*cause = NULL, *expr = NULL;
	long long		 n = LOG_TAIL_LINES;
	size_t			 i, first, shown;
	time_t			 now = time(NULL);
	const char		*value;
	size_t			 oi = 0;
	int			 ch, follow = 0, idle = 0, rc = 1;

	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		switch (ch) {
		case 'f':
			follow = 1;
			break;
		case 'F':
			free(expr);
			expr = xstrdup(value);
			break;
		case 'n':
			if (str_tonum(value, 0, 1000000, &n, &cause) != 0) {
				free(expr);
				return cmd_fail_cause(ctx, cause);
			}
			break;
		}
	}
	if (argc != 1) {
		free(expr);
		return cmd_usage(ctx, &cmd_log_tail_entry);
	}
	if (path == NULL) {
		free(expr);
		return cmd_error(ctx, "the profile names no mail log "
		    "(mail_log)");
	}
	if (expr != NULL && (filter = log_filter_parse(expr, &cause)) == NULL)
		goto fail;
	log_line_init(&l);
	lf = log_follow_open(ctx->host, path,
	    filter != NULL ? LOG_FILTER_BACK : (size_t)n, &cause);
	if (lf == NULL)
		goto fail;
	if (log_follow_read(lf, &lines, &cause) < 0)
		goto fail;
	/* A last line without its newline is a line too. */
	log_follow_rest(lf, &lines);
	/* The last n that match. */
	first = lines.n;
	for (shown = 0; first > 0 && shown < (size_t)n; first--) {
		log_parse(&l, lines.v[first - 1], strlen(lines.v[first - 1]),
		    now);
		if (log_filter_match(filter, &l))
			shown++;
	}
	for (i = first; i < lines.n; i++) {
		log_parse(&l, lines.v[i], strlen(lines.v[i]), now);
		if (log_filter_match(filter, &l)) {
			log_print_line(ctx, lines.v[i], NULL, now);
			if (ctx->json)
				fputc('\n', ctx->out);
		}
	}
	fflush(ctx->out);
	while (follow) {
		strv_release(&lines);
		if (log_follow_read(lf, &lines, &cause) < 0)
			goto fail;
		/* A line left unended for a second is shown as it is. */
		if (lines.n != 0)
			idle = 0;
		else if (idle < LOG_REST_IDLE)
			idle++;
		else
			log_follow_rest(lf, &lines);
		now = time(NULL);
		for (i = 0; i < lines.n; i++) {
			log_parse(&l, lines.v[i], strlen(lines.v[i]), now);
			if (!log_filter_match(filter, &l))
				continue;
			log_print_line(ctx, lines.v[i], NULL, now);
			if (ctx->json)
				fputc('\n', ctx->out);
		}
		if (fflush(ctx->out) != 0 || ferror(ctx->out))
			break;
		if (lines.n == 0)
			log_sleep_ms(LOG_FOLLOW_MS);
	}
	rc = 0;
	goto out;
fail:
	cmd_fail_cause(ctx, cause);
out:
	log_line_release(&l);
	strv_release(&lines);
	log_follow_close(lf);
	log_filter_free(filter);
	free(expr);
	return rc;
}

static const struct cmd_opt log_tail_opts[] = {
	{ 'f', "follow", NULL, "keep printing new lines", 0 },
	{ 'n', "lines", "N", "how many lines (default 20)", 0 },
	{ 'F', "filter", "EXPR", "only the lines that match EXPR", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_log_tail_entry = {
	"log tail", "",
	"Show the last lines of the mail log, and follow it",
	"Prints the last N lines (20) of the profile's mail log that match the "
	"filter; -f then keeps printing new lines as they come, across log "
	"rotation by rename or copy-truncate, until interrupted.  A last "
	"line without its newline is shown (with -f, once it has waited a "
	"second, and again only if it grows before it ends).  With --json "
	"each line is one JSON object on its own line (time, host, program, "
	"pid, qid, kind, outcome, fields, message, line).  " LOG_FILTER_HELP,
	CMD_JSON, cmd_log_tail_exec, log_tail_opts
};

/* ---- log trace ---- */

static void
log_print_result(struct cmd_ctx *ctx, const struct log_result *res,
    const char *what)
{
	const struct log_hit	*hit;
	time_t			 now = time(NULL);
	size_t			 i, file = (size_t)-1;

	if (ctx->json) {
		fputs("{", ctx->out);
		if (what != NULL) {
			fputs("\"qid\": ", ctx->out);
			json_string(ctx->out, what);
			fputs(", ", ctx->out);
		}
		fputs("\"files\": [", ctx->out);
		for (i = 0; i < res->files.n; i++) {
			if (i != 0)
				fputs(", ", ctx->out);
			json_string(ctx->out, res->files.v[i]);
		}
		fputs("], \"warnings\": [", ctx->out);
		for (i = 0; i < res->warnings.n; i++) {
			if (i != 0)
				fputs(", ", ctx->out);
			json_string(ctx->out, res->warnings.v[i]);
		}
		fputs("], \"lines\": [", ctx->out);
		for (i = 0; i < res->nhits; i++) {
			fputs(i != 0 ? ",\n  " : "\n  ", ctx->out);
			hit = &res->hits[i];
			log_print_line(ctx, hit->text,
			    res->files.v[hit->file], now);
		}
		fputs("]}\n", ctx->out);
		return;
	}
	for (i = 0; i < res->nhits; i++) {
		hit = &res->hits[i];
		if (res->files.n > 1 && hit->file != file) {
			fprintf(ctx->out, "==> %s <==\n",
			    res->files.v[hit->file]);
			file = hit->file;
		}
		fprintf(ctx->out, "%s\n", hit->text);
	}
}

static int
cmd_log_trace_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct log_result	 res;
	char			*cause = NULL, *files;
	size_t			 i;

	if (argc != 2)
		return cmd_usage(ctx, &cmd_log_trace_entry);
	log_result_init(&res);
	if (log_trace(ctx->host, argv[1], &res, &cause) != 0) {
		log_result_release(&res);
		return cmd_fail_cause(ctx, cause);
	}
	for (i = 0; i < res.warnings.n; i++)
		cmd_warning(ctx, res.warnings.v[i]);
	if (res.nhits == 0) {
		files = strv_join(&res.files, ", ");
		cmd_error(ctx, "%s: not in %s", argv[1], files);
		free(files);
		log_result_release(&res);
		return 1;
	}
	log_print_result(ctx, &res, argv[1]);
	log_result_release(&res);
	return 0;
}

const struct cmd_entry cmd_log_trace_entry = {
	"log trace", "QID",
	"Show every log line of one message and of the session that sent it",
	"Looks for the queue id QID in the mail log and its rotated copies "
	"(NAME.1, NAME.2.gz, NAME-YYYYMMDD.gz, oldest first; compressed ones "
	"through gzip -dc) and prints each line that names it, with the lines "
	"of the SMTP session that received the message: the receiving "
	"process (whose pid ends the queue id) from its \"connect from\" to "
	"the end of its conversation.  At LogLevel 15 and above the session "
	"includes the SMTP commands and replies.  Lines from several files "
	"are grouped under \"==> FILE <==\".  Fails when the id is in no "
	"file.",
	CMD_JSON, cmd_log_trace_exec, NULL
};

/* ---- log search ---- */

static int
cmd_log_search_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct log_filter	*filter;
	struct log_result	 res;
	char			*cause = NULL, *expr;
	long long		 max = 0;
	size_t			 i;
	const char		*value;
	size_t			 oi = 0;
	int			 ch, all = 0;

	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'n':
			if (str_tonum(value, 1, 100000000, &max, &cause) != 0)
				return cmd_fail_cause(ctx, cause);
			break;
		}
	}
	if (argc < 2)
		return cmd_usage(ctx, &cmd_log_search_entry);
	expr = log_join(argc - 1, argv + 1);
	filter = log_filter_parse(expr, &cause);
	free(expr);
	if (filter == NULL)
		return cmd_fail_cause(ctx, cause);
	log_result_init(&res);
	if (log_search(ctx->host, filter, all, (size_t)max, &res,
	    &cause) != 0) {
		log_filter_free(filter);
		log_result_release(&res);
		return cmd_fail_cause(ctx, cause);
	}
	for (i = 0; i < res.warnings.n; i++)
		cmd_warning(ctx, res.warnings.v[i]);
	log_print_result(ctx, &res, NULL);
	log_filter_free(filter);
	log_result_release(&res);
	return 0;
}

static const struct cmd_opt log_search_opts[] = {
	{ 'a', "all", NULL, "the rotated copies too, oldest first", 0 },
	{ 'n', "max", "MAX", "only the last MAX matches", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_log_search_entry = {
	"log search", "EXPR...",
	"Find the lines of the mail log that match a filter",
	"Prints every line of the live mail log that matches EXPR (the words "
	"are joined with blanks); -a searches the rotated copies too, oldest "
	"first, and -n keeps only the last MAX matches.  Exits 0 with no "
	"output when nothing matches.  " LOG_FILTER_HELP,
	CMD_JSON | CMD_OPTS_FIRST, cmd_log_search_exec, log_search_opts
};

/* ---- loglevel ---- */

static int
cmd_loglevel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct loglevel_info	 li;
	struct op_ctl		 ctl;
	char			*cause = NULL;
	long long		 level;
	int			 rc;

	if (argc > 2)
		return cmd_usage(ctx, &cmd_loglevel_entry);
	if (argc == 2) {
		if (str_tonum(argv[1], 0, 99, &level, &cause) != 0)
			return cmd_fail_cause(ctx, cause);
		cmd_op_ctl(ctx, &ctl);
		rc = loglevel_change(ctx->host, (int)level, -1, &ctl, &cause);
		return rc < 0 ? cmd_fail_cause(ctx, cause) : rc;
	}
	if (loglevel_get(ctx->host, &li, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	if (ctx->json) {
		fprintf(ctx->out, "{\"loglevel\": %d, \"mc_loglevel\": %d, "
		    "\"running\": %s, \"in_effect\": %s}\n", li.cf_level,
		    li.mc_level, li.running ? "true" : "false",
		    li.running && !li.stale ? "true" : "false");
		return 0;
	}
	if (li.cf_level < 0)
		fprintf(ctx->out, "LogLevel: not set in %s (sendmail's default "
		    "is 9)\n", ctx->host->prof->cf);
	else
		fprintf(ctx->out, "LogLevel: %d (%s)\n", li.cf_level,
		    ctx->host->prof->cf);
	if (li.mc_level >= 0 && li.mc_level != li.cf_level)
		fprintf(ctx->out, "  the mc says %d: the cf was not "
		    "regenerated\n", li.mc_level);
	if (!li.running)
		fputs("  the daemon is not running\n", ctx->out);
	else if (li.stale)
		fputs("  the cf changed after the daemon started: \"smadm "
		    "daemon reload\" puts it in effect\n", ctx->out);
	else
		fputs("  in effect in the running daemon\n", ctx->out);
	level = li.cf_level < 0 ? 9 : li.cf_level;
	if (level < LOGLEVEL_CONNECTIONS)
		fprintf(ctx->out, "  logged: deliveries and rejections; not "
		    "SMTP connections (from %d) nor conversations (from %d)\n",
		    LOGLEVEL_CONNECTIONS, LOGLEVEL_SMTP);
	else if (level < LOGLEVEL_SMTP)
		fprintf(ctx->out, "  logged: deliveries, rejections and every "
		    "SMTP connection; not the SMTP conversation itself: both "
		    "sides (commands \"<--\", replies \"---\") are logged "
		    "only from LogLevel %d\n", LOGLEVEL_SMTP);
	else
		fputs("  logged: deliveries, rejections, connections and "
		    "both sides of every SMTP conversation (commands \"<--\", "
		    "replies \"---\")\n", ctx->out);
	return 0;
}

const struct cmd_entry cmd_loglevel_entry = {
	"loglevel", "[N]",
	"Show sendmail's LogLevel, or set it",
	"Without N, shows the LogLevel of the cf (O LogLevel=), whether the "
	"mc agrees (confLOG_LEVEL) and whether the running daemon uses it "
	"(a cf newer than the daemon is not in effect until \"daemon "
	"reload\"), and what that level logs.  Measured on sendmail 8.17: "
	"9 (the default) logs deliveries and rejections; 12 adds every SMTP "
	"connection (\"connect from\"); only 15 and above log both sides of "
	"SMTP conversations, the client's commands (\"<-- MAIL FROM:...\") "
	"and the server's replies (\"--- 250 ...\").  With N (0-99), sets "
	"confLOG_LEVEL in the mc (kept in a backup set) and runs \"smadm "
	"apply\": regenerate the cf, validate and install it, HUP the daemon "
	"and wait for the new one.  Other changes pending in the mc go with "
	"it.  If the pipeline fails, the mc, the cf and the daemon are left "
	"as they were.",
	CMD_JSON | CMD_WRITES | CMD_ROOT | CMD_CONFIRM | CMD_OWNLOCK,
	cmd_loglevel_exec, NULL
};
