/*
 * cmd-queue.c -- "smadm queue list|show|summary": sendmail's queues read
 * from the control files themselves, and the selections (queue ids or
 * --filter) that the actions of cmd-queue-act.c work on too.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../backend/queue.h"
#include "cmd.h"
#include "cmd-queue-int.h"

#define QUEUE_BODY_MAX		(4 << 20)

/* ---- output helpers ---- */

/* A string escaped for a line of text. */
void
cmdq_out_escaped(FILE *f, const char *s)
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

const char *
cmdq_kind_name(const struct queue_entry *e)
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
	buf_addstr(&b, cmdq_kind_name(e));
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


void
cmdq_qsel_init(struct qsel *qs)
{
	memset(qs, 0, sizeof *qs);
	queue_list_init(&qs->all);
	qs->want = QUEUE_WANT_ALL;
	qs->sort = QSORT_AGE;
}

void
cmdq_qsel_release(struct qsel *qs)
{
	free(qs->v);
	queue_filter_free(qs->filter);
	queue_list_release(&qs->all);
}

int
cmdq_qsel_option(struct cmd_ctx *ctx, struct qsel *qs, int ch,
    const char *value)
{
	if (ch == 'f')
		return cmdq_qsel_filter(ctx, qs, value);
	if (ch != 'q')
		return -1;
	if (strcmp(value, "mta") == 0)
		qs->want = QUEUE_WANT_MTA;
	else if (strcmp(value, "submit") == 0)
		qs->want = QUEUE_WANT_SUBMIT;
	else if (strcmp(value, "all") == 0)
		qs->want = QUEUE_WANT_ALL;
	else
		return cmd_error(ctx, "--queue %s: expected mta, submit or all",
		    value);
	return 0;
}

/*
 * Read the queues and select: the ids given (each must be there; missing
 * ones are reported on the way and counted in *missing), or what the
 * filter matches, or everything when neither is given and all is set.
 */
int
cmdq_qsel_load(struct cmd_ctx *ctx, struct qsel *qs, int nids, char **ids,
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
		cmd_warning(ctx, qs->all.warnings.v[i]);
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
			/* An id given twice is one message, acted on once. */
			for (i = 0; i < qs->n && qs->v[i] != e; i++)
				;
			if (i == qs->n && queue_filter_match(qs->filter, e,
			    now))
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

int
cmdq_qsel_filter(struct cmd_ctx *ctx, struct qsel *qs, const char *text)
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
	line_pad(&b, cmdq_kind_name(e), 6, 1);
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
		cmdq_out_escaped(f, e->rcpts[i].addr);
		fputc('\n', f);
	}
	if (e->subject != NULL) {
		fputs("    subject ", f);
		cmdq_out_escaped(f, e->subject);
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
		cmd_warning(ctx, w->v[i]);
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
queue_list_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct qsel			 qs;
	time_t				 now = time(NULL);
	size_t				 i;
	long				 interval;
	const char			*value;
	size_t				 oi = 0;
	int				 ch, lng = 0, rc = 1, sel;

	cmdq_qsel_init(&qs);
	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		if ((sel = cmdq_qsel_option(ctx, &qs, ch, value)) > 0) {
			rc = sel;
			goto out;
		}
		if (sel == 0)
			continue;
		switch (ch) {
		case 's':
			if (queue_sort_parse(value, &qs.sort) != 0) {
				rc = cmd_error(ctx, "--sort %s: expected age, "
				    "size, sender, recipient, tries, next, "
				    "status or none", value);
				goto out;
			}
			break;
		case 'r':
			qs.reverse = 1;
			break;
		case 'l':
			lng = 1;
			break;
		}
	}
	if (argc != 1) {
		rc = cmd_usage(ctx, &cmd_queue_list_entry);
		goto out;
	}
	if (qs.sort == QSORT_NONE && !qs.reverse && !ctx->json) {
		rc = list_stream(ctx, &qs, lng);
		goto out;
	}
	if (cmdq_qsel_load(ctx, &qs, 0, NULL, 1, NULL) != 0)
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
	cmdq_qsel_release(&qs);
	return rc;
}

static const struct cmd_opt queue_list_opts[] = {
	{ 's', "sort", "age|size|sender|recipient|tries|next|status|none",
	    "the order (default age)", 0 },
	{ 'r', "reverse", NULL, "the other way round", 0 },
	{ 'f', "filter", "EXPR", "only the messages that match EXPR", 0 },
	{ 'q', "queue", "mta|submit|all", "which queues (default all)", 0 },
	{ 'l', "long", NULL, "every recipient and the subject", 0 },
	{ 'j', "json", NULL, "machine-readable output", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_queue_list_entry = {
	"queue list", "",
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
	queue_list_exec, queue_list_opts
};

/* ---- queue show ---- */

static void
show_field(FILE *f, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fprintf(f, "%-13s ", name);
	cmdq_out_escaped(f, value);
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
	struct queue_entry		*e;
	struct buf			 b = BUF_INIT, body = BUF_INIT;
	time_t				 now = time(NULL);
	char				*cause = NULL, *path, num[64];
	size_t				 i;
	int				 headers_only;

	headers_only = cmd_args_has(ctx, 'H');
	if (argc != 2)
		return cmd_usage(ctx, &cmd_queue_show_entry);
	if ((e = queue_find(ctx->host, argv[1], &cause)) == NULL)
		return cmd_fail_cause(ctx, cause);
	fprintf(ctx->out, "%-13s %s\n", "Queue id", e->id);
	path = queue_entry_path(e, 0);
	fprintf(ctx->out, "%-13s %s (%s)\n", "Queue", cmdq_kind_name(e), path);
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
		cmdq_out_escaped(ctx->out, e->rcpts[i].addr);
		if (*e->rcpts[i].flags != '\0')
			fprintf(ctx->out, "  [%s]", e->rcpts[i].flags);
		if (e->rcpts[i].orcpt != NULL) {
			fputs("  orcpt=", ctx->out);
			cmdq_out_escaped(ctx->out, e->rcpts[i].orcpt);
		}
		fputc('\n', ctx->out);
	}
	for (i = 0; i < e->nmacros; i++) {
		fprintf(ctx->out, "%-13s $%s ", i == 0 ? "Macros" : "",
		    e->macros[i].name);
		cmdq_out_escaped(ctx->out, e->macros[i].value);
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

static const struct cmd_opt queue_show_opts[] = {
	{ 'H', "headers", NULL, "the headers only, no envelope or body", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_queue_show_entry = {
	"queue show", "QID",
	"Show one queued message: envelope, headers and body",
	"The envelope as sendmail keeps it in the control file (times, "
	"attempts, priority, last error, quarantine reason, sender, every "
	"recipient with its DSN flags: P primary, N notify given, S F D "
	"notify on success, failure, delay; the macros), then the headers "
	"and the body from the df file.  --headers leaves the body out.  "
	"Bytes are shown escaped; sendmail's own quoting of header bytes is "
	"undone ($g is a macro sendmail fills in at delivery).",
	0,
	queue_show_exec, queue_show_opts
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
queue_summary_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	struct qsel			 qs;
	struct queue_summary		 s;
	FILE				*f = ctx->out;
	size_t				 i;
	const char			*value;
	size_t				 oi = 0;
	int				 ch, rc = 1, b, sel;

	cmdq_qsel_init(&qs);
	qs.sort = QSORT_NONE;
	while ((ch = cmd_args_next(ctx, &oi, &value)) != -1) {
		if ((sel = cmdq_qsel_option(ctx, &qs, ch, value)) > 0) {
			rc = sel;
			goto out;
		}
	}
	if (argc != 1) {
		rc = cmd_usage(ctx, &cmd_queue_summary_entry);
		goto out;
	}
	if (cmdq_qsel_load(ctx, &qs, 0, NULL, 1, NULL) != 0)
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
	cmdq_qsel_release(&qs);
	return rc;
}

static const struct cmd_opt queue_summary_opts[] = {
	{ 'f', "filter", "EXPR", "only the messages that match EXPR", 0 },
	{ 'q', "queue", "mta|submit|all", "which queues (default all)", 0 },
	{ 'j', "json", NULL, "machine-readable output", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_queue_summary_entry = {
	"queue summary", "",
	"Messages by destination domain and age, and by last error",
	"Like Postfix's qshape: one row per destination domain (a message "
	"counts once for each domain it still has recipients in) with the "
	"number of messages, their size, and how many fall into each age "
	"bucket: younger than 5, 10, 20, 40, 80, 160, 320, 640, 1280 "
	"minutes, and older.  Then the same by last error (the M line), "
	"held messages marked (held).  --filter as for queue list.",
	CMD_JSON,
	queue_summary_exec, queue_summary_opts
};

