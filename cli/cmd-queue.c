/*
 * cmd-queue.c -- "smadm queue ...": list, show and summarise sendmail's
 * queues from the control files themselves, and act on messages: hold and
 * release (sendmail's quarantine), delete (under sendmail's own lock),
 * flush and bounce (through the real sendmail).
 *
 * Every action works on a selection (queue ids, or --filter), prints what
 * it is about to do, asks (cmd_confirm; --yes answers), and then reports
 * one line per message: "ID: what happened".  Actions check the result in
 * the queue itself afterwards instead of trusting an exit status.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/queue.h"
#include "cmd.h"

#define QUEUE_RUN_TIMEOUT_MS	(10 * 60 * 1000)
#define QUEUE_BODY_MAX		(4 << 20)

/* ---- output helpers ---- */

/* A string escaped for a line of text. */
static void
out_escaped(FILE *f, const char *s)
{
	struct buf	b = BUF_INIT;

	if (queue_is_plain(s)) {
		fputs(s, f);
		return;
	}
	queue_escape(&b, s, 0);
	fputs(b.data, f);
	buf_release(&b);
}

/* A raw-bytes string as a JSON string, sendmail's quoting undone. */
static void
json_buf_escaped(struct buf *b, const char *s)
{
	struct buf	esc = BUF_INIT;

	if (s == NULL) {
		buf_addstr(b, "null");
		return;
	}
	if (queue_is_plain(s)) {
		json_buf_string(b, s);
		return;
	}
	queue_escape(&esc, s, QESC_RAW);
	json_buf_string(b, esc.data);
	buf_release(&esc);
}

static void
json_escaped(FILE *f, const char *s)
{
	struct buf	b = BUF_INIT;

	json_buf_escaped(&b, s);
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

static void
json_key(struct buf *b, const char *key, const char *s)
{
	buf_addstr(b, ", \"");
	buf_addstr(b, key);
	buf_addstr(b, "\": ");
	json_buf_escaped(b, s);
}

static void
json_num(struct buf *b, const char *key, long long v)
{
	char	num[32];

	buf_addstr(b, ", \"");
	buf_addstr(b, key);
	buf_addstr(b, "\": ");
	buf_addstr(b, str_fmt_long(num, sizeof num, v));
}

static const char *
kind_name(const struct queue_entry *e)
{
	return e->kind == QUEUE_MTA ? "mta" : "submit";
}

/*
 * One message as a JSON object, built in a buffer and written at once
 * (with 100,000 messages, per-field stdio calls were most of the time).
 */
static void
entry_json(FILE *f, const struct queue_entry *e, long interval)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	buf_grow(&b, 1024);
	buf_addstr(&b, "{\"id\": ");
	json_buf_string(&b, e->id);
	buf_addstr(&b, ", \"queue\": \"");
	buf_addstr(&b, kind_name(e));
	buf_addstr(&b, "\", \"state\": \"");
	buf_addstr(&b, queue_entry_state(e));
	buf_addstr(&b, e->locked ? "\", \"locked\": true" :
	    "\", \"locked\": false");
	buf_addstr(&b, ", \"dir\": ");
	json_buf_string(&b, e->dir);
	json_num(&b, "created", (long long)e->ctime);
	json_num(&b, "last_attempt", (long long)e->atime);
	json_num(&b, "next_attempt", (long long)queue_next_attempt(e,
	    interval));
	json_num(&b, "tries", e->tries);
	json_num(&b, "priority", e->priority);
	json_num(&b, "size", (long long)e->size);
	json_key(&b, "sender", e->sender);
	json_key(&b, "status", e->status);
	json_key(&b, "quarantine", e->quarantine);
	json_key(&b, "body_type", e->bodytype);
	json_key(&b, "flags", e->flags);
	json_key(&b, "envid", e->envid);
	json_key(&b, "subject", e->subject);
	json_key(&b, "message_id", e->message_id);
	json_key(&b, "from", e->from);
	json_key(&b, "to", e->to);
	json_key(&b, "error", e->error);
	buf_addstr(&b, ", \"recipients\": [");
	for (i = 0; i < e->nrcpts; i++) {
		buf_addstr(&b, i == 0 ? "{\"address\": " :
		    ", {\"address\": ");
		json_buf_escaped(&b, e->rcpts[i].addr);
		json_key(&b, "flags", e->rcpts[i].flags);
		json_key(&b, "orcpt", e->rcpts[i].orcpt);
		json_key(&b, "final", e->rcpts[i].final);
		buf_addch(&b, '}');
	}
	buf_addstr(&b, "]}");
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

/* ---- selections ---- */

struct qsel {
	struct queue_list	 all;		/* what was read */
	struct queue_entry	**v;		/* selected, in order */
	size_t			 n;
	int			 want;		/* QUEUE_WANT_* */
	struct queue_filter	*filter;
	enum queue_sort		 sort;
	int			 reverse;
};

static void
qsel_init(struct qsel *qs)
{
	memset(qs, 0, sizeof *qs);
	queue_list_init(&qs->all);
	qs->want = QUEUE_WANT_ALL;
	qs->sort = QSORT_AGE;
}

static void
qsel_release(struct qsel *qs)
{
	free(qs->v);
	queue_filter_free(qs->filter);
	queue_list_release(&qs->all);
}

static int
qsel_want(const char *s, int *want)
{
	if (strcmp(s, "mta") == 0)
		*want = QUEUE_WANT_MTA;
	else if (strcmp(s, "submit") == 0)
		*want = QUEUE_WANT_SUBMIT;
	else if (strcmp(s, "all") == 0)
		*want = QUEUE_WANT_ALL;
	else
		return -1;
	return 0;
}

/*
 * Read the queues and select: the ids given (each must be there; missing
 * ones are reported on the way and counted in *missing), or what the
 * filter matches, or everything when neither is given and all is set.
 */
static int
qsel_load(struct cmd_ctx *ctx, struct qsel *qs, int nids, char **ids,
    int all, int *missing)
{
	struct queue_entry	*e;
	char			*cause = NULL;
	time_t			 now = time(NULL);
	size_t			 i;
	int			 k;

	if (missing != NULL)
		*missing = 0;
	if (queue_list_read(ctx->host, qs->want, 0, &qs->all, &cause) != 0)
		return cmd_fail_cause(ctx, cause);
	for (i = 0; i < qs->all.warnings.n; i++)
		cmd_warning(qs->all.warnings.v[i]);
	qs->v = xcalloc(qs->all.n + (size_t)nids + 1, sizeof *qs->v);
	if (nids > 0) {
		for (k = 0; k < nids; k++) {
			if (!queue_id_valid(ids[k]))
				return cmd_error(ctx, "\"%s\" is not a queue id",
				    ids[k]);
			e = queue_list_find(&qs->all, ids[k]);
			if (e == NULL) {
				fprintf(ctx->out, "%s: not in the queue\n",
				    ids[k]);
				if (missing != NULL)
					(*missing)++;
				continue;
			}
			if (queue_filter_match(qs->filter, e, now))
				qs->v[qs->n++] = e;
		}
		return 0;
	}
	if (qs->filter == NULL && !all)
		return cmd_error(ctx, "give queue ids or --filter EXPR "
		    "(--filter '' selects everything)");
	for (i = 0; i < qs->all.n; i++)
		if (queue_filter_match(qs->filter, qs->all.v[i], now))
			qs->v[qs->n++] = qs->all.v[i];
	queue_sort(qs->v, qs->n, qs->sort, qs->reverse,
	    queue_interval(ctx->host->prof));
	return 0;
}

static int
qsel_filter(struct cmd_ctx *ctx, struct qsel *qs, const char *text)
{
	char	*cause = NULL;

	queue_filter_free(qs->filter);
	if ((qs->filter = queue_filter_parse(text, &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	return 0;
}

/* ---- queue list ---- */

/* s padded with spaces to width: on the right (left-aligned) or left. */
static void
line_pad(struct buf *b, const char *s, size_t width, int right)
{
	static const char	 spaces[] = "                ";
	size_t			 n = strlen(s), pad;

	pad = n < width ? width - n : 0;
	if (pad > sizeof spaces - 1)
		pad = sizeof spaces - 1;
	if (!right)
		buf_add(b, spaces, pad);
	buf_add(b, s, n);
	if (right)
		buf_add(b, spaces, pad);
}

/* A raw-bytes string, escaped only when it has to be. */
static void
line_escaped(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	while (*p >= 0x20 && *p <= 0x7e)
		p++;
	if (*p == '\0')
		buf_add(b, s, (size_t)(p - (const unsigned char *)s));
	else
		queue_escape(b, s, 0);
}

/*
 * One message as one line.  Built in a buffer with no printf-style
 * formatting per field and written at once: with 100,000 messages this
 * is a good part of the listing's time.
 */
static void
list_line(FILE *f, const struct queue_entry *e, time_t now)
{
	struct buf	b = BUF_INIT;
	char		age[32], size[32], tries[32], who[256];

	buf_grow(&b, 512);
	queue_format_age(age, sizeof age, queue_entry_age(e, now));
	queue_format_size(size, sizeof size, e->size);
	str_fmt_long(tries, sizeof tries, e->tries);
	line_pad(&b, e->id, 14, 1);
	buf_addch(&b, ' ');
	line_pad(&b, kind_name(e), 6, 1);
	buf_addch(&b, ' ');
	line_pad(&b, queue_entry_state(e), 6, 1);
	buf_addch(&b, ' ');
	line_pad(&b, age, 6, 0);
	buf_addch(&b, ' ');
	line_pad(&b, size, 6, 0);
	buf_addch(&b, ' ');
	line_pad(&b, tries, 3, 0);
	buf_addstr(&b, "  ");
	line_escaped(&b, queue_bare_addr(e->sender, who, sizeof who));
	buf_addstr(&b, " -> ");
	line_escaped(&b, e->nrcpts > 0 ? queue_bare_addr(e->rcpts[0].addr,
	    who, sizeof who) : "(no recipient)");
	if (e->nrcpts > 1) {
		str_fmt_long(tries, sizeof tries, (long)e->nrcpts - 1);
		buf_addstr(&b, " (+");
		buf_addstr(&b, tries);
		buf_addch(&b, ')');
	}
	if (e->state == QSTATE_HELD && e->quarantine != NULL) {
		buf_addstr(&b, "  [held: ");
		line_escaped(&b, e->quarantine);
		buf_addch(&b, ']');
	}
	if (e->status != NULL) {
		buf_addstr(&b, "  ");
		line_escaped(&b, e->status);
	}
	if (e->error != NULL) {
		buf_addstr(&b, "  [damaged: ");
		line_escaped(&b, e->error);
		buf_addch(&b, ']');
	}
	buf_addch(&b, '\n');
	fwrite(b.data, 1, b.len, f);
	buf_release(&b);
}

static void
list_long(FILE *f, const struct queue_entry *e, time_t now)
{
	size_t	i;

	list_line(f, e, now);
	for (i = 0; i < e->nrcpts; i++) {
		fputs("    to ", f);
		out_escaped(f, e->rcpts[i].addr);
		fputc('\n', f);
	}
	if (e->subject != NULL) {
		fputs("    subject ", f);
		out_escaped(f, e->subject);
		fputc('\n', f);
	}
}

/*
 * The unsorted text listing is printed while the queue is read, each
 * message as soon as it is parsed: the first lines appear at once and the
 * formatting overlaps the reading of the next files.
 */
struct list_stream {
	struct cmd_ctx		*ctx;
	const struct queue_filter *filter;
	time_t			 now;
	int			 lng;
	size_t			 total;
	size_t			 shown;
};

static void
list_header(FILE *f)
{
	fprintf(f, "%-14s %-6s %-6s %6s %6s %3s  %s\n", "ID", "QUEUE",
	    "STATE", "AGE", "SIZE", "TRY", "SENDER -> RECIPIENTS  STATUS");
}

static int
list_stream_cb(void *arg, struct queue_entry *e, char **cause unused)
{
	struct list_stream	*ls = arg;

	ls->total++;
	if (queue_filter_match(ls->filter, e, ls->now)) {
		if (ls->shown++ == 0)
			list_header(ls->ctx->out);
		if (ls->lng)
			list_long(ls->ctx->out, e, ls->now);
		else
			list_line(ls->ctx->out, e, ls->now);
	}
	queue_entry_free(e);
	return 0;
}

static int
list_stream(struct cmd_ctx *ctx, const struct qsel *qsel, int lng)
{
	struct list_stream	 ls;
	struct queue_scan	*scan;
	const struct strv	*w;
	char			*cause = NULL;
	size_t			 i;
	int			 rc;

	memset(&ls, 0, sizeof ls);
	ls.ctx = ctx;
	ls.filter = qsel->filter;
	ls.now = time(NULL);
	ls.lng = lng;
	scan = queue_scan_open(ctx->host, qsel->want, 0);
	while ((rc = queue_scan_step(scan, 4096, list_stream_cb, &ls,
	    &cause)) > 0)
		;
	w = queue_scan_warnings(scan);
	for (i = 0; i < w->n; i++)
		cmd_warning(w->v[i]);
	queue_scan_close(scan);
	if (rc != 0)
		return cmd_fail_cause(ctx, cause);
	fprintf(ctx->out, "%zu message%s", ls.shown, ls.shown == 1 ? "" : "s");
	if (ls.shown != ls.total)
		fprintf(ctx->out, " of %zu", ls.total);
	fputc('\n', ctx->out);
	return 0;
}

static int
queue_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'R' },
		{ "filter", required_argument, NULL, 'f' },
		{ "queue", required_argument, NULL, 'q' },
		{ "long", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct qsel			 qs;
	time_t				 now = time(NULL);
	size_t				 i;
	long				 interval;
	int				 ch, lng = 0, rc = 1;

	qsel_init(&qs);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "s:rf:q:lj", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			if (queue_sort_parse(optarg, &qs.sort) != 0) {
				rc = cmd_error(ctx, "--sort %s: expected age, "
				    "size, sender, recipient, tries, next, "
				    "status or none", optarg);
				goto out;
			}
			break;
		case 'r':
		case 'R':
			qs.reverse = 1;
			break;
		case 'f':
			if (qsel_filter(ctx, &qs, optarg) != 0)
				goto out;
			break;
		case 'q':
			if (qsel_want(optarg, &qs.want) != 0) {
				rc = cmd_error(ctx, "--queue %s: expected mta, "
				    "submit or all", optarg);
				goto out;
			}
			break;
		case 'l':
			lng = 1;
			break;
		case 'j':
			ctx->json = 1;
			break;
		default:
			rc = cmd_usage(ctx, &cmd_queue_list_entry);
			goto out;
		}
	}
	if (optind != argc) {
		rc = cmd_usage(ctx, &cmd_queue_list_entry);
		goto out;
	}
	if (qs.sort == QSORT_NONE && !qs.reverse && !ctx->json) {
		rc = list_stream(ctx, &qs, lng);
		goto out;
	}
	if (qsel_load(ctx, &qs, 0, NULL, 1, NULL) != 0)
		goto out;
	interval = queue_interval(ctx->host->prof);
	if (ctx->json) {
		fputs("[", ctx->out);
		for (i = 0; i < qs.n; i++) {
			fputs(i == 0 ? "\n" : ",\n", ctx->out);
			entry_json(ctx->out, qs.v[i], interval);
		}
		fputs("\n]\n", ctx->out);
	} else {
		if (qs.n > 0)
			list_header(ctx->out);
		for (i = 0; i < qs.n; i++) {
			if (lng)
				list_long(ctx->out, qs.v[i], now);
			else
				list_line(ctx->out, qs.v[i], now);
		}
		fprintf(ctx->out, "%zu message%s", qs.n, qs.n == 1 ? "" :
		    "s");
		if (qs.n != qs.all.n)
			fprintf(ctx->out, " of %zu", qs.all.n);
		fputc('\n', ctx->out);
	}
	rc = 0;
out:
	qsel_release(&qs);
	return rc;
}

const struct cmd_entry cmd_queue_list_entry = {
	"queue list",
	"[--sort KEY] [--reverse] [--filter EXPR] [--queue mta|submit|all] "
	"[--long] [--json]",
	"List the queued messages of the MTA and submit queues",
	"Reads every control file (qf, and hf for held, Qf for lost messages) "
	"of every queue directory of the profile, qf/ df/ subdirectories and "
	"wildcard queue groups included, without running sendmail.  One line "
	"per message: id, queue, state (queued, held, lost, or busy while "
	"sendmail holds its lock), age, size of the body, delivery attempts, "
	"sender, first recipient and the last error.  --long adds every "
	"recipient and the subject.\n"
	"--sort age (oldest first), size (largest first), sender, recipient, "
	"tries (most first), next (next attempt: the last attempt plus the "
	"queue interval of the daemon flags), status, none (directory "
	"order); --reverse turns it round.\n"
	"--filter takes words ANDed together, each FIELD:VALUE or a bare "
	"VALUE (id, sender, recipients, subject, status): from: to: domain: "
	"subject: status: msgid: id: queue:mta|submit "
	"state:queued|held|lost|busy|damaged older:DURATION newer:DURATION "
	"larger:SIZE smaller:SIZE tries:N.  A VALUE is a substring (case "
	"ignored) or /REGEX/ (POSIX extended); ! before a word negates it.  "
	"DURATION is 90s, 30m, 2h, 3d, 1w; SIZE is 500, 10k, 2M.  Example: "
	"--filter 'to:/@example\\.(com|net)>?$/ older:2h !state:held'.\n"
	"Bytes that are not UTF-8 are shown as \\xNN.",
	CMD_JSON,
	queue_list_exec
};

/* ---- queue show ---- */

static void
show_field(FILE *f, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "%-13s ", name);
	out_escaped(f, value);
	fputc('\n', f);
}

static void
show_time(FILE *f, const char *name, time_t t, time_t now)
{
	struct tm	tm;
	char		when[64], age[32];

	if (t == 0) {
		fprintf(f, "%-13s never\n", name);
		return;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	if (t <= now)
		queue_format_age(age, sizeof age, (long)(now - t));
	else
		queue_format_age(age, sizeof age, (long)(t - now));
	fprintf(f, "%-13s %s (%s %s)\n", name, when, age, t <= now ? "ago" :
	    "from now");
}

static int
queue_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "headers", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	struct queue_entry		*e;
	struct buf			 b = BUF_INIT, body = BUF_INIT;
	time_t				 now = time(NULL);
	char				*cause = NULL, *path, num[64];
	size_t				 i;
	int				 ch, headers_only = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "H", longopts, NULL)) != -1) {
		if (ch != 'H')
			return cmd_usage(ctx, &cmd_queue_show_entry);
		headers_only = 1;
	}
	if (optind + 1 != argc)
		return cmd_usage(ctx, &cmd_queue_show_entry);
	if ((e = queue_find(ctx->host, argv[optind], &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	fprintf(ctx->out, "%-13s %s\n", "Queue id", e->id);
	path = queue_entry_path(e, 0);
	fprintf(ctx->out, "%-13s %s (%s)\n", "Queue", kind_name(e), path);
	free(path);
	fprintf(ctx->out, "%-13s %s\n", "State", queue_entry_state(e));
	show_field(ctx->out, "Held because", e->quarantine);
	show_field(ctx->out, "Damaged", e->error);
	show_time(ctx->out, "Created", e->ctime, now);
	show_time(ctx->out, "Last attempt", e->atime, now);
	if (queue_next_attempt(e, queue_interval(ctx->host->prof)) != 0)
		show_time(ctx->out, "Next attempt", queue_next_attempt(e,
		    queue_interval(ctx->host->prof)), now);
	fprintf(ctx->out, "%-13s %ld\n", "Attempts", e->tries);
	fprintf(ctx->out, "%-13s %ld\n", "Priority", e->priority);
	queue_format_size(num, sizeof num, e->size);
	fprintf(ctx->out, "%-13s %s%s\n", "Size", num, e->size < 0 ?
	    " (no df file)" : "");
	show_field(ctx->out, "Last error", e->status);
	show_field(ctx->out, "Sender", e->sender);
	show_field(ctx->out, "Auth", e->auth);
	show_field(ctx->out, "Envelope id", e->envid);
	show_field(ctx->out, "Body type", e->bodytype);
	show_field(ctx->out, "Flags", e->flags);
	for (i = 0; i < e->nrcpts; i++) {
		fprintf(ctx->out, "%-13s ", "Recipient");
		out_escaped(ctx->out, e->rcpts[i].addr);
		if (*e->rcpts[i].flags != '\0')
			fprintf(ctx->out, "  [%s]", e->rcpts[i].flags);
		if (e->rcpts[i].orcpt != NULL) {
			fputs("  orcpt=", ctx->out);
			out_escaped(ctx->out, e->rcpts[i].orcpt);
		}
		fputc('\n', ctx->out);
	}
	for (i = 0; i < e->nmacros; i++) {
		fprintf(ctx->out, "%-13s $%s ", i == 0 ? "Macros" : "",
		    e->macros[i].name);
		out_escaped(ctx->out, e->macros[i].value);
		fputc('\n', ctx->out);
	}
	fputc('\n', ctx->out);
	for (i = 0; i < e->nheaders; i++) {
		buf_reset(&b);
		queue_escape(&b, e->headers[i].name, 0);
		buf_addstr(&b, ": ");
		queue_escape(&b, e->headers[i].value, QESC_FOLD);
		fprintf(ctx->out, "%s\n", b.data);
	}
	if (!headers_only) {
		fputc('\n', ctx->out);
		path = queue_entry_path(e, 'd');
		if (transport_read_file(ctx->host->t, path, &body,
		    QUEUE_BODY_MAX, &cause) != 0) {
			fprintf(ctx->out, "(no body: %s)\n", cause);
			free(cause);
		} else {
			buf_reset(&b);
			queue_escape_n(&b, body.data, body.len,
			    QESC_FOLD | QESC_BODY);
			fputs(b.data, ctx->out);
			if (b.len > 0 && b.data[b.len - 1] != '\n')
				fputc('\n', ctx->out);
		}
		free(path);
	}
	buf_release(&b);
	buf_release(&body);
	queue_entry_free(e);
	return 0;
}

const struct cmd_entry cmd_queue_show_entry = {
	"queue show",
	"[--headers] QID",
	"Show one queued message: envelope, headers and body",
	"The envelope as sendmail keeps it in the control file (times, "
	"attempts, priority, last error, quarantine reason, sender, every "
	"recipient with its DSN flags: P primary, N notify given, S F D "
	"notify on success, failure, delay; the macros), then the headers "
	"and the body from the df file.  --headers leaves the body out.  "
	"Bytes are shown escaped; sendmail's own quoting of header bytes is "
	"undone ($g is a macro sendmail fills in at delivery).",
	0,
	queue_show_exec
};

/* ---- queue summary ---- */

static void
summary_row(FILE *f, const struct queue_summary_row *r, int json, int first,
    int key_last)
{
	char	size[32];
	int	i;

	if (json) {
		fputs(first ? "\n  {\"key\": " : ",\n  {\"key\": ", f);
		json_escaped(f, r->key);
		fprintf(f, ", \"messages\": %ld, \"bytes\": %lld, "
		    "\"buckets\": [", r->total, r->bytes);
		for (i = 0; i < QUEUE_NBUCKETS; i++)
			fprintf(f, "%s%ld", i == 0 ? "" : ", ", r->buckets[i]);
		fputs("]}", f);
		return;
	}
	queue_format_size(size, sizeof size, r->bytes);
	if (key_last)
		fprintf(f, "%6ld %6s  %s\n", r->total, size, r->key);
	else {
		fprintf(f, "%-24s %6ld %6s", r->key, r->total, size);
		for (i = 0; i < QUEUE_NBUCKETS; i++)
			fprintf(f, " %5ld", r->buckets[i]);
		fputc('\n', f);
	}
}

static int
queue_summary_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "queue", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct qsel			 qs;
	struct queue_summary		 s;
	FILE				*f = ctx->out;
	size_t				 i;
	int				 ch, rc = 1, b;

	qsel_init(&qs);
	qs.sort = QSORT_NONE;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:q:j", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (qsel_filter(ctx, &qs, optarg) != 0)
				goto out;
			break;
		case 'q':
			if (qsel_want(optarg, &qs.want) != 0) {
				rc = cmd_error(ctx, "--queue %s: expected mta, "
				    "submit or all", optarg);
				goto out;
			}
			break;
		case 'j':
			ctx->json = 1;
			break;
		default:
			rc = cmd_usage(ctx, &cmd_queue_summary_entry);
			goto out;
		}
	}
	if (optind != argc) {
		rc = cmd_usage(ctx, &cmd_queue_summary_entry);
		goto out;
	}
	if (qsel_load(ctx, &qs, 0, NULL, 1, NULL) != 0)
		goto out;
	queue_summary_build(&s, qs.v, qs.n, time(NULL));
	if (ctx->json) {
		fputs("{\"bucket_minutes\": [", f);
		for (b = 0; b < QUEUE_NBUCKETS; b++)
			fprintf(f, "%s%ld", b == 0 ? "" : ", ",
			    queue_bucket_limits[b]);
		fprintf(f, "], \"held\": %ld, \"lost\": %ld, \"busy\": %ld, "
		    "\"total\": [", s.held, s.lost, s.busy);
		summary_row(f, &s.all, 1, 1, 0);
		fputs("],\n\"domains\": [", f);
		for (i = 0; i < s.ndomains; i++)
			summary_row(f, &s.domains[i], 1, i == 0, 0);
		fputs("],\n\"errors\": [", f);
		for (i = 0; i < s.nerrors; i++)
			summary_row(f, &s.errors[i], 1, i == 0, 0);
		fputs("]}\n", f);
	} else {
		fprintf(f, "%-24s %6s %6s", "Domain", "Msgs", "Size");
		for (b = 0; b < QUEUE_NBUCKETS - 1; b++)
			fprintf(f, " %4ldm", queue_bucket_limits[b]);
		fprintf(f, " %5s\n", "more");
		summary_row(f, &s.all, 0, 0, 0);
		for (i = 0; i < s.ndomains; i++)
			summary_row(f, &s.domains[i], 0, 0, 0);
		fprintf(f, "\n%6s %6s  %s\n", "Msgs", "Size", "Last error");
		for (i = 0; i < s.nerrors; i++)
			summary_row(f, &s.errors[i], 0, 0, 1);
		fprintf(f, "\n%ld message%s, %ld held, %ld lost, %ld being "
		    "delivered\n", s.all.total, s.all.total == 1 ? "" : "s",
		    s.held, s.lost, s.busy);
	}
	queue_summary_release(&s);
	rc = 0;
out:
	qsel_release(&qs);
	return rc;
}

const struct cmd_entry cmd_queue_summary_entry = {
	"queue summary",
	"[--filter EXPR] [--queue mta|submit|all] [--json]",
	"Messages by destination domain and age, and by last error",
	"Like Postfix's qshape: one row per destination domain (a message "
	"counts once for each domain it still has recipients in) with the "
	"number of messages, their size, and how many fall into each age "
	"bucket: younger than 5, 10, 20, 40, 80, 160, 320, 640, 1280 "
	"minutes, and older.  Then the same by last error (the M line), "
	"held messages marked (held).  --filter as for queue list.",
	CMD_JSON,
	queue_summary_exec
};

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
		out_escaped(ctx->out, detail);
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

	fprintf(f, "  %s  %-6s %-6s ", e->id, kind_name(e),
	    queue_entry_state(e));
	out_escaped(f, queue_bare_addr(e->sender, who, sizeof who));
	fputs(" -> ", f);
	out_escaped(f, e->nrcpts > 0 ? queue_bare_addr(e->rcpts[0].addr, who,
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
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "queue", required_argument, NULL, 'q' },
		{ "reason", required_argument, NULL, 'm' },
		{ "domain", required_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct qsel	 qs;
	const char	*reason = NULL, *domain = NULL, *verb = qact_verbs[act];
	char		*ftext;
	size_t		 i, ok = 0;
	int		 ch, rc = 1, all = 0, missing = 0, nactive;

	qsel_init(&qs);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "f:q:m:d:a", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (qsel_filter(ctx, &qs, optarg) != 0)
				goto out;
			all = 1;
			break;
		case 'q':
			if (qsel_want(optarg, &qs.want) != 0) {
				rc = cmd_error(ctx, "--queue %s: expected mta, "
				    "submit or all", optarg);
				goto out;
			}
			break;
		case 'm':
			if (act != QACT_HOLD)
				goto usage;
			reason = optarg;
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
				domain = optarg;
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
		if (optind != argc || qs.filter != NULL)
			goto usage;
		ftext = domain != NULL ? xasprintf("domain:%s", domain) :
		    xstrdup("");
		rc = qsel_filter(ctx, &qs, ftext);
		free(ftext);
		if (rc != 0)
			goto out;
		if (qsel_load(ctx, &qs, 0, NULL, 1, NULL) != 0) {
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
	if ((optind == argc) == !all)
		goto usage;
	if (qsel_load(ctx, &qs, argc - optind, argv + optind, 0,
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
	qsel_release(&qs);
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

const struct cmd_entry cmd_queue_hold_entry = {
	"queue hold",
	"[--reason TEXT] [--queue Q] (QID... | --filter EXPR)",
	"Hold messages: sendmail's quarantine",
	"Runs sendmail -Q\"TEXT\" -qIQID for each message: sendmail renames "
	"qf to hf and records the reason (default \"held by smadm\"); held "
	"messages are not delivered until released.  On a held message, "
	"--reason changes the reason (sendmail -qQ -QTEXT).  " QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_hold_exec
};

const struct cmd_entry cmd_queue_release_entry = {
	"queue release",
	"[--queue Q] (QID... | --filter EXPR)",
	"Release held messages",
	"Runs sendmail -qQ -Q -qIQID: the hf file becomes a qf file again "
	"and the next queue run delivers it.  " QSEL_HELP,
	CMD_WRITES | CMD_CONFIRM,
	queue_release_exec
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
	queue_delete_exec
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
	queue_flush_exec
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
	queue_bounce_exec
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
