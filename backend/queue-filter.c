/*
 * queue-filter.c -- select, sort and summarise queue entries (queue.h).
 *
 * A filter is a list of terms ANDed together; each compares one field of
 * an entry with a substring (case ignored) or a POSIX extended regular
 * expression, or a number with a limit.  The bytes compared are the raw
 * bytes of the qf file: a regular expression sees what sendmail wrote.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "queue.h"

enum qf_field {
	QF_ANY,
	QF_ID,
	QF_FROM,
	QF_TO,
	QF_DOMAIN,
	QF_SUBJECT,
	QF_STATUS,
	QF_MSGID,
	QF_QUEUE,
	QF_STATE,
	QF_OLDER,
	QF_NEWER,
	QF_LARGER,
	QF_SMALLER,
	QF_TRIES
};

static const struct {
	const char	*name;
	enum qf_field	 field;
} qf_fields[] = {
	{ "id", QF_ID },
	{ "from", QF_FROM },
	{ "sender", QF_FROM },
	{ "to", QF_TO },
	{ "rcpt", QF_TO },
	{ "domain", QF_DOMAIN },
	{ "subject", QF_SUBJECT },
	{ "status", QF_STATUS },
	{ "error", QF_STATUS },
	{ "msgid", QF_MSGID },
	{ "queue", QF_QUEUE },
	{ "state", QF_STATE },
	{ "older", QF_OLDER },
	{ "newer", QF_NEWER },
	{ "larger", QF_LARGER },
	{ "smaller", QF_SMALLER },
	{ "tries", QF_TRIES }
};

struct qf_term {
	enum qf_field	 field;
	int		 negate;
	char		*text;		/* substring, or NULL */
	regex_t		 re;
	int		 has_re;
	long long	 num;
};

struct queue_filter {
	struct qf_term	*terms;
	size_t		 nterms;
};

int
queue_parse_duration(const char *s, long *out)
{
	char		*end;
	long		 v, mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	case 'w':
		mult = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	*out = v * mult;
	return 0;
}

int
queue_parse_size(const char *s, long long *out)
{
	char		*end;
	long long	 v, mult = 1;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoll(s, &end, 10);
	switch (*end) {
	case '\0':
	case 'b':
	case 'B':
		break;
	case 'k':
	case 'K':
		mult = 1024;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024 * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	*out = v * mult;
	return 0;
}

/* Up to four strings (NULL ends them early) joined into out. */
static void
queue_format_join(char *out, size_t size, const char *a, const char *b,
    const char *c, const char *d)
{
	const char	*part[4] = { a, b, c, d };
	size_t		 i, n, len = 0;

	for (i = 0; i < 4 && part[i] != NULL; i++) {
		n = strlen(part[i]);
		if (len + n >= size)
			n = size - 1 - len;
		memcpy(out + len, part[i], n);
		len += n;
	}
	out[len] = '\0';
}

/* 0..99 as two digits. */
static const char *
queue_format_two(char *out, long n)
{
	out[0] = (char)('0' + n / 10 % 10);
	out[1] = (char)('0' + n % 10);
	out[2] = '\0';
	return out;
}

void
queue_format_age(char *out, size_t size, long s)
{
	char	a[24], b[24];

	if (s < 60)
		queue_format_join(out, size, str_fmt_long(a, sizeof a, s), "s",
		    NULL, NULL);
	else if (s < 3600)
		queue_format_join(out, size, str_fmt_long(a, sizeof a, s / 60),
		    "m", NULL, NULL);
	else if (s < 86400)
		queue_format_join(out, size, str_fmt_long(a, sizeof a,
		    s / 3600), "h", queue_format_two(b, (s % 3600) / 60), NULL);
	else
		queue_format_join(out, size, str_fmt_long(a, sizeof a,
		    s / 86400), "d", queue_format_two(b, (s % 86400) / 3600),
		    "h");
}

void
queue_format_size(char *out, size_t size, long long n)
{
	char	a[24];

	if (n < 0)
		queue_format_join(out, size, "-", NULL, NULL, NULL);
	else if (n < 10000)
		queue_format_join(out, size, str_fmt_long(a, sizeof a, n),
		    NULL, NULL, NULL);
	else if (n < 10000LL * 1024)
		queue_format_join(out, size, str_fmt_long(a, sizeof a,
		    (n + 1023) / 1024), "k", NULL, NULL);
	else
		queue_format_join(out, size, str_fmt_long(a, sizeof a,
		    (n + 1048575) / 1048576), "M", NULL, NULL);
}

void
queue_filter_free(struct queue_filter *qf)
{
	size_t	i;

	if (qf == NULL)
		return;
	for (i = 0; i < qf->nterms; i++) {
		free(qf->terms[i].text);
		if (qf->terms[i].has_re)
			regfree(&qf->terms[i].re);
	}
	free(qf->terms);
	free(qf);
}

/* One word of a filter into t; -1 with *cause on a bad word. */
static int
qf_term_parse(const char *word, struct qf_term *t, char **cause)
{
	const char	*colon, *v = word;
	char		 errbuf[256], *pat;
	size_t		 i, n;
	long		 d;
	int		 rc;

	memset(t, 0, sizeof *t);
	if (*v == '!') {
		t->negate = 1;
		v++;
	}
	t->field = QF_ANY;
	if ((colon = strchr(v, ':')) != NULL && v[0] != '/') {
		for (i = 0; i < nitems(qf_fields); i++) {
			n = strlen(qf_fields[i].name);
			if ((size_t)(colon - v) == n &&
			    strncasecmp(v, qf_fields[i].name, n) == 0)
				break;
		}
		if (i == nitems(qf_fields)) {
			*cause = xasprintf("filter \"%s\": unknown field "
			    "\"%.*s\" (expected id, from, to, domain, subject, "
			    "status, msgid, queue, state, older, newer, "
			    "larger, smaller, tries)", word,
			    (int)(colon - v), v);
			return -1;
		}
		t->field = qf_fields[i].field;
		v = colon + 1;
	}
	switch (t->field) {
	case QF_OLDER:
	case QF_NEWER:
		if (queue_parse_duration(v, &d) != 0) {
			*cause = xasprintf("filter \"%s\": expected a "
			    "duration like 90s, 30m, 2h, 3d, 1w", word);
			return -1;
		}
		t->num = d;
		return 0;
	case QF_LARGER:
	case QF_SMALLER:
		if (queue_parse_size(v, &t->num) != 0) {
			*cause = xasprintf("filter \"%s\": expected a size "
			    "like 500, 10k, 2M", word);
			return -1;
		}
		return 0;
	case QF_TRIES:
		if (str_tonum(v, 0, 1000000, &t->num, cause) != 0) {
			free(*cause);
			*cause = xasprintf("filter \"%s\": expected a number "
			    "of tries", word);
			return -1;
		}
		return 0;
	case QF_QUEUE:
		if (strcmp(v, "mta") != 0 && strcmp(v, "submit") != 0) {
			*cause = xasprintf("filter \"%s\": expected queue:mta "
			    "or queue:submit", word);
			return -1;
		}
		break;
	case QF_STATE:
		if (strcmp(v, "queued") != 0 && strcmp(v, "held") != 0 &&
		    strcmp(v, "lost") != 0 && strcmp(v, "busy") != 0 &&
		    strcmp(v, "damaged") != 0) {
			*cause = xasprintf("filter \"%s\": expected state:"
			    "queued, held, lost, busy or damaged", word);
			return -1;
		}
		break;
	default:
		break;
	}
	n = strlen(v);
	if (n >= 2 && v[0] == '/' && v[n - 1] == '/') {
		pat = xstrndup(v + 1, n - 2);
		rc = regcomp(&t->re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		free(pat);
		if (rc != 0) {
			regerror(rc, &t->re, errbuf, sizeof errbuf);
			*cause = xasprintf("filter \"%s\": %s", word, errbuf);
			return -1;
		}
		t->has_re = 1;
		return 0;
	}
	if (*v == '\0') {
		*cause = xasprintf("filter \"%s\": empty value", word);
		return -1;
	}
	t->text = xstrdup(v);
	return 0;
}

struct queue_filter *
queue_filter_parse(const char *text, char **cause)
{
	struct queue_filter	*qf;
	struct strv		 words = STRV_INIT;
	size_t			 i;

	qf = xcalloc(1, sizeof *qf);
	strv_split_ws(&words, text != NULL ? text : "");
	qf->terms = xcalloc(words.n + 1, sizeof *qf->terms);
	for (i = 0; i < words.n; i++) {
		if (qf_term_parse(words.v[i], &qf->terms[qf->nterms],
		    cause) != 0) {
			strv_release(&words);
			queue_filter_free(qf);
			return NULL;
		}
		qf->nterms++;
	}
	strv_release(&words);
	return qf;
}

static int
qf_text_match(const struct qf_term *t, const char *s)
{
	if (s == NULL)
		return 0;
	if (t->has_re)
		return regexec(&t->re, s, 0, NULL, 0) == 0;
	return strcasestr(s, t->text) != NULL;
}

static int
qf_term_match(const struct qf_term *t, const struct queue_entry *e,
    time_t now)
{
	char	 dom[256];
	size_t	 i;

	switch (t->field) {
	case QF_ANY:
		if (qf_text_match(t, e->id) || qf_text_match(t, e->sender) ||
		    qf_text_match(t, e->subject) ||
		    qf_text_match(t, e->status) ||
		    qf_text_match(t, e->quarantine))
			return 1;
		/* FALLTHROUGH */
	case QF_TO:
		for (i = 0; i < e->nrcpts; i++)
			if (qf_text_match(t, e->rcpts[i].addr))
				return 1;
		return 0;
	case QF_ID:
		return qf_text_match(t, e->id);
	case QF_FROM:
		return qf_text_match(t, e->sender);
	case QF_DOMAIN:
		for (i = 0; i < e->nrcpts; i++) {
			queue_addr_domain(e->rcpts[i].addr, dom, sizeof dom);
			if (t->has_re ? qf_text_match(t, dom) :
			    strcasecmp(dom, t->text) == 0)
				return 1;
		}
		return 0;
	case QF_SUBJECT:
		return qf_text_match(t, e->subject);
	case QF_STATUS:
		return qf_text_match(t, e->status) ||
		    qf_text_match(t, e->quarantine);
	case QF_MSGID:
		return qf_text_match(t, e->message_id);
	case QF_QUEUE:
		return strcmp(t->text, e->kind == QUEUE_MTA ? "mta" :
		    "submit") == 0;
	case QF_STATE:
		if (strcmp(t->text, "damaged") == 0)
			return e->error != NULL;
		return strcmp(t->text, queue_entry_state(e)) == 0;
	case QF_OLDER:
		return queue_entry_age(e, now) > t->num;
	case QF_NEWER:
		return queue_entry_age(e, now) < t->num;
	case QF_LARGER:
		return e->size > t->num;
	case QF_SMALLER:
		return e->size >= 0 && e->size < t->num;
	case QF_TRIES:
		return e->tries >= t->num;
	}
	return 0;
}

int
queue_filter_match(const struct queue_filter *qf, const struct queue_entry *e,
    time_t now)
{
	size_t	i;

	if (qf == NULL)
		return 1;
	for (i = 0; i < qf->nterms; i++)
		if (qf_term_match(&qf->terms[i], e, now) ==
		    qf->terms[i].negate)
			return 0;
	return 1;
}

/* ---- sorting ---- */

const char *const queue_sort_names[] = {
	"age", "size", "sender", "recipient", "tries", "next", "status",
	"none", NULL
};

int
queue_sort_parse(const char *s, enum queue_sort *out)
{
	size_t	i;

	for (i = 0; queue_sort_names[i] != NULL; i++) {
		if (strcmp(s, queue_sort_names[i]) == 0) {
			*out = (enum queue_sort)i;
			return 0;
		}
	}
	return -1;
}

long
queue_interval(const struct profile *p)
{
	size_t	i;
	long	v;

	for (i = 0; p != NULL && i < p->daemon_flags.n; i++) {
		const char *f = p->daemon_flags.v[i];

		if (strncmp(f, "-q", 2) == 0 && isdigit((unsigned char)f[2]) &&
		    queue_parse_duration(f + 2, &v) == 0 && v > 0)
			return v;
	}
	return 0;
}

time_t
queue_next_attempt(const struct queue_entry *e, long interval)
{
	time_t	base = e->atime != 0 ? e->atime : e->ctime;

	if (e->state != QSTATE_QUEUED || interval <= 0)
		return 0;
	return base + interval;
}

/* qsort's comparator reads these: per thread (the console's worker sorts). */
static _Thread_local enum queue_sort	qs_key;
static _Thread_local int		qs_reverse;
static _Thread_local long		qs_interval;

static const char *
qs_first_rcpt(const struct queue_entry *e)
{
	return e->nrcpts > 0 ? e->rcpts[0].addr : "";
}

static int
qs_strcmp(const char *a, const char *b)
{
	char	ba[512], bb[512];

	return strcasecmp(queue_bare_addr(a, ba, sizeof ba),
	    queue_bare_addr(b, bb, sizeof bb));
}

#define QS_CMP(a, b)	((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int
qs_compare(const void *va, const void *vb)
{
	const struct queue_entry	*a = *(const struct queue_entry *const *)va;
	const struct queue_entry	*b = *(const struct queue_entry *const *)vb;
	int				 c = 0;

	switch (qs_key) {
	case QSORT_AGE:
		c = QS_CMP(a->ctime, b->ctime);
		break;
	case QSORT_SIZE:
		c = -QS_CMP(a->size, b->size);
		break;
	case QSORT_SENDER:
		c = qs_strcmp(a->sender != NULL ? a->sender : "",
		    b->sender != NULL ? b->sender : "");
		break;
	case QSORT_RECIPIENT:
		c = qs_strcmp(qs_first_rcpt(a), qs_first_rcpt(b));
		break;
	case QSORT_TRIES:
		c = -QS_CMP(a->tries, b->tries);
		break;
	case QSORT_NEXT:
		c = QS_CMP(queue_next_attempt(a, qs_interval),
		    queue_next_attempt(b, qs_interval));
		break;
	case QSORT_STATUS:
		c = strcmp(a->status != NULL ? a->status : "",
		    b->status != NULL ? b->status : "");
		break;
	case QSORT_NONE:
		return 0;
	}
	if (c == 0)
		c = strcmp(a->id, b->id);
	return qs_reverse ? -c : c;
}

void
queue_sort(struct queue_entry **v, size_t n, enum queue_sort key, int reverse,
    long interval)
{
	if (key == QSORT_NONE)
		return;
	qs_key = key;
	qs_reverse = reverse;
	qs_interval = interval;
	xqsort(v, n, sizeof *v, qs_compare);
}

/* ---- the summary ---- */

const long queue_bucket_limits[QUEUE_NBUCKETS] = {
	5, 10, 20, 40, 80, 160, 320, 640, 1280, -1
};

static int
qsum_bucket(long age)
{
	int	i;

	for (i = 0; i < QUEUE_NBUCKETS - 1; i++)
		if (age < queue_bucket_limits[i] * 60)
			return i;
	return QUEUE_NBUCKETS - 1;
}

static struct queue_summary_row *
qsum_row(struct queue_summary_row **rows, size_t *n, const char *key)
{
	size_t	i;

	for (i = 0; i < *n; i++)
		if (strcmp((*rows)[i].key, key) == 0)
			return &(*rows)[i];
	*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
	memset(&(*rows)[*n], 0, sizeof **rows);
	(*rows)[*n].key = xstrdup(key);
	return &(*rows)[(*n)++];
}

static void
qsum_add(struct queue_summary_row *r, int bucket, off_t size)
{
	r->total++;
	r->buckets[bucket]++;
	if (size > 0)
		r->bytes += size;
}

static int
qsum_compare(const void *va, const void *vb)
{
	const struct queue_summary_row	*a = va, *b = vb;

	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	return strcmp(a->key, b->key);
}

void
queue_summary_build(struct queue_summary *s, struct queue_entry **v, size_t n,
    time_t now)
{
	struct strv		 seen = STRV_INIT;
	struct buf		 err = BUF_INIT;
	const struct queue_entry *e;
	char			 dom[256];
	size_t			 i, k, j;
	int			 b;

	memset(s, 0, sizeof *s);
	s->all.key = xstrdup("TOTAL");
	for (i = 0; i < n; i++) {
		e = v[i];
		b = qsum_bucket(queue_entry_age(e, now));
		qsum_add(&s->all, b, e->size);
		if (e->state == QSTATE_HELD)
			s->held++;
		else if (e->state == QSTATE_LOST)
			s->lost++;
		if (e->locked)
			s->busy++;
		/* Each destination domain once per message. */
		for (k = 0; k < e->nrcpts; k++) {
			queue_addr_domain(e->rcpts[k].addr, dom, sizeof dom);
			if (dom[0] == '\0')
				snprintf(dom, sizeof dom, "(local)");
			for (j = 0; j < seen.n; j++)
				if (strcmp(seen.v[j], dom) == 0)
					break;
			if (j < seen.n)
				continue;
			strv_push(&seen, dom);
			qsum_add(qsum_row(&s->domains, &s->ndomains, dom), b,
			    e->size);
		}
		strv_release(&seen);
		buf_reset(&err);
		if (e->state == QSTATE_HELD)
			buf_addstr(&err, "(held) ");
		else if (e->state == QSTATE_LOST)
			buf_addstr(&err, "(lost) ");
		if (e->status != NULL)
			queue_escape(&err, e->status, 0);
		else
			buf_addstr(&err, "(not tried yet)");
		qsum_add(qsum_row(&s->errors, &s->nerrors, err.data), b,
		    e->size);
	}
	buf_release(&err);
	xqsort(s->domains, s->ndomains, sizeof *s->domains, qsum_compare);
	xqsort(s->errors, s->nerrors, sizeof *s->errors, qsum_compare);
}

void
queue_summary_release(struct queue_summary *s)
{
	size_t	i;

	free(s->all.key);
	for (i = 0; i < s->ndomains; i++)
		free(s->domains[i].key);
	for (i = 0; i < s->nerrors; i++)
		free(s->errors[i].key);
	free(s->domains);
	free(s->errors);
	memset(s, 0, sizeof *s);
}
