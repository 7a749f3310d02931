/*
 * log-trace.c -- one message through the mail log, and searching it (see
 * log.h).
 *
 * A trace must cost no more than "grep -F QID" over the same files: the
 * files are read in blocks of megabytes, the id is found with memmem()
 * over a whole block, and only the lines that hold it are looked at.  The
 * SMTP session that received the message is found from the id itself:
 * its last digits are the pid of the receiving process, so the session's
 * lines are those tagged "[PID]:" around the first line of the id: back to
 * its "connect from" (searched only in the megabyte before), and after its
 * last line the closing conversation (QUIT and the like, which sendmail
 * logs under the next id of the session).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Bytes kept before a block: where "connect from" is looked for. */
#define TRACE_HISTORY	(1 << 20)
/* How far after the last line of the session its end is looked for. */
#define TRACE_TAIL	(64 << 10)

struct trace_scan {
	const char		*qid;
	size_t			 qlen;
	char			 pidtag[32];	/* "[14346]: " */
	size_t			 ptlen;
	int			 session_done;
	off_t			 tail_pending;	/* absolute, or -1 */
	size_t			 file;
	struct log_result	*res;
};

void
log_result_init(struct log_result *r)
{
	memset(r, 0, sizeof *r);
	strv_init(&r->files);
	strv_init(&r->warnings);
}

void
log_result_release(struct log_result *r)
{
	size_t	i;

	for (i = 0; i < r->nhits; i++)
		free(r->hits[i].text);
	free(r->hits);
	strv_release(&r->files);
	strv_release(&r->warnings);
	log_result_init(r);
}

static void
result_add(struct log_result *r, size_t file, off_t off, const char *s,
    size_t len)
{
	if (r->nhits == r->ahits) {
		r->ahits = r->ahits == 0 ? 64 : r->ahits * 2;
		r->hits = xreallocarray(r->hits, r->ahits, sizeof *r->hits);
	}
	r->hits[r->nhits].file = file;
	r->hits[r->nhits].off = off;
	r->hits[r->nhits].text = len <= LOG_LINE_MAX ? xstrndup(s, len) :
	    xasprintf("%.*s%s", LOG_LINE_MAX, s, LOG_LINE_CUT);
	r->nhits++;
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct log_hit	*ha = a, *hb = b;

	if (ha->file != hb->file)
		return ha->file < hb->file ? -1 : 1;
	if (ha->off != hb->off)
		return ha->off < hb->off ? -1 : 1;
	return 0;
}

/* Sort by file and offset, dropping lines found twice. */
static void
result_sort(struct log_result *r)
{
	size_t	i, n = 0;

	if (r->nhits < 2)
		return;
	xqsort(r->hits, r->nhits, sizeof *r->hits, hit_cmp);
	for (i = 0; i < r->nhits; i++) {
		if (n > 0 && hit_cmp(&r->hits[n - 1], &r->hits[i]) == 0) {
			free(r->hits[i].text);
			continue;
		}
		r->hits[n++] = r->hits[i];
	}
	r->nhits = n;
}

static int
is_idchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* The message part of a line: after "]: " (or the first ": "). */
static const char *
line_msg(const char *ls, const char *le, size_t *idlen)
{
	const char	*p, *m;

	if ((p = memmem(ls, (size_t)(le - ls), "]: ", 3)) == NULL)
		return NULL;
	m = p + 3;
	*idlen = 0;
	for (p = m; p < le && *p != ':'; p++)
		;
	if (p + 1 < le && p[1] == ' ' && (log_is_qid(m, (size_t)(p - m)) ||
	    (p - m == 7 && memcmp(m, "NOQUEUE", 7) == 0)))
		*idlen = (size_t)(p - m);
	return m;
}

static int
starts(const char *s, const char *le, const char *prefix)
{
	size_t	n = strlen(prefix);

	return (size_t)(le - s) >= n && strncasecmp(s, prefix, n) == 0;
}

/*
 * Before the first line of the id from the receiving process: its lines
 * since its last "connect from", in data[0, end).
 */
static void
trace_session_head(struct trace_scan *ts, const char *data, size_t end,
    off_t base)
{
	const char	*p, *ls, *le, *m, *lim = data + end;
	const char	*connect = NULL;
	size_t		 idlen;

	for (p = data; p < lim &&
	    (p = memmem(p, (size_t)(lim - p), ts->pidtag, ts->ptlen)) != NULL;
	    p = le + 1) {
		ls = memrchr(data, '\n', (size_t)(p - data));
		ls = ls == NULL ? data : ls + 1;
		if ((le = memchr(p, '\n', (size_t)(lim - p))) == NULL)
			le = lim;
		if ((m = line_msg(ls, le, &idlen)) == NULL)
			continue;
		if (starts(m + (idlen ? idlen + 2 : 0), le, "connect from "))
			connect = ls;
		if (le >= lim)
			break;
	}
	if (connect == NULL)
		return;
	for (p = connect; p < lim &&
	    (p = memmem(p, (size_t)(lim - p), ts->pidtag, ts->ptlen)) != NULL;
	    p = le + 1) {
		ls = memrchr(data, '\n', (size_t)(p - data));
		ls = ls == NULL ? data : ls + 1;
		if ((le = memchr(p, '\n', (size_t)(lim - p))) == NULL)
			le = lim;
		result_add(ts->res, ts->file, base + (ls - data), ls,
		    (size_t)(le - ls));
		if (le >= lim)
			break;
	}
}

/*
 * After the last line of the id from the receiving process: the end of
 * its conversation, until the client starts another message.
 */
static void
trace_session_tail(struct trace_scan *ts, const char *data, size_t from,
    size_t end, off_t base)
{
	const char	*p, *ls, *le, *m, *lim = data + end;
	size_t		 idlen;

	for (p = data + from; p < lim &&
	    (p = memmem(p, (size_t)(lim - p), ts->pidtag, ts->ptlen)) != NULL;
	    p = le + 1) {
		ls = memrchr(data, '\n', (size_t)(p - data));
		ls = ls == NULL ? data : ls + 1;
		if ((le = memchr(p, '\n', (size_t)(lim - p))) == NULL)
			le = lim;
		if ((m = line_msg(ls, le, &idlen)) == NULL)
			continue;
		if (idlen == ts->qlen && memcmp(m, ts->qid, idlen) == 0)
			continue;	/* the id's own: found anyway */
		m += idlen ? idlen + 2 : 0;
		if (starts(m, le, "<-- mail") || starts(m, le, "connect from") ||
		    starts(m, le, "from=") || starts(m, le, "starting daemon"))
			return;
		if (!starts(m, le, "<-- ") && !starts(m, le, "--- ") &&
		    !starts(m, le, "--> ") &&
		    memmem(m, (size_t)(le - m), "did not issue", 13) == NULL &&
		    memmem(m, (size_t)(le - m), "lost input", 10) == NULL &&
		    memmem(m, (size_t)(le - m), "timeout", 7) == NULL)
			return;
		result_add(ts->res, ts->file, base + (ls - data), ls,
		    (size_t)(le - ls));
		if (le >= lim)
			break;
	}
}

/* Scan the complete lines data[from, lim) of a block (history before). */
static void
trace_region(struct trace_scan *ts, const char *data, size_t from,
    size_t lim, off_t base)
{
	const char	*p, *ls, *le, *end = data + lim;

	for (p = data + from; p < end &&
	    (p = memmem(p, (size_t)(end - p), ts->qid, ts->qlen)) != NULL;
	    p = le + 1) {
		if ((le = memchr(p, '\n', (size_t)(end - p))) == NULL)
			le = end;
		/* The id as a word, not inside a longer one. */
		if ((p > data && is_idchar((unsigned char)p[-1])) ||
		    (p + ts->qlen < end &&
		    is_idchar((unsigned char)p[ts->qlen])))
			continue;
		ls = memrchr(data, '\n', (size_t)(p - data));
		ls = ls == NULL ? data : ls + 1;
		result_add(ts->res, ts->file, base + (ls - data), ls,
		    (size_t)(le - ls));
		/* A line of the receiving process? */
		if (ts->ptlen == 0 ||
		    memmem(ls, (size_t)(p - ls), ts->pidtag, ts->ptlen) == NULL)
			continue;
		if (!ts->session_done) {
			trace_session_head(ts, data, (size_t)(ls - data), base);
			ts->session_done = 1;
		}
		ts->tail_pending = base + (le - data) + (le < end);
		if (le >= end)
			break;
	}
}

static void
trace_scan_init(struct trace_scan *ts, const char *qid, size_t qlen,
    struct log_result *res)
{
	char	id[32];
	long	pid = -1;

	memset(ts, 0, sizeof *ts);
	ts->qid = qid;
	ts->qlen = qlen;
	ts->res = res;
	ts->tail_pending = -1;
	if (qlen < sizeof id) {
		memcpy(id, qid, qlen);
		id[qlen] = '\0';
		pid = log_qid_pid(id);
	}
	if (pid > 0)
		ts->ptlen = (size_t)snprintf(ts->pidtag, sizeof ts->pidtag,
		    "[%ld]: ", pid);
}

/* The tail of the session when enough follows it (or at the end). */
static void
trace_tail_check(struct trace_scan *ts, const char *data, size_t lim,
    off_t base, int eof)
{
	off_t	rel;

	if (ts->tail_pending < 0)
		return;
	rel = ts->tail_pending - base;
	if (rel < 0) {
		ts->tail_pending = -1;
		return;
	}
	if (!eof && (size_t)rel + TRACE_TAIL > lim)
		return;
	trace_session_tail(ts, data, (size_t)rel,
	    (size_t)rel + TRACE_TAIL < lim ? (size_t)rel + TRACE_TAIL : lim,
	    base);
	ts->tail_pending = -1;
}

void
log_trace_buffer(const char *data, size_t len, const char *qid, size_t qlen,
    struct log_result *res)
{
	struct trace_scan	ts;

	trace_scan_init(&ts, qid, qlen, res);
	trace_region(&ts, data, 0, len, 0);
	trace_tail_check(&ts, data, len, 0, 1);
	result_sort(res);
}

/*
 * Read a file block by block; fn gets each block's complete lines
 * [from, lim) with up to TRACE_HISTORY bytes of earlier lines before.
 */
typedef void	(*scan_fn)(void *, const char *, size_t, size_t, off_t, int);

static int
log_scan_file(struct host *h, const char *path, scan_fn fn, void *arg,
    char **cause)
{
	struct log_reader	*r;
	struct buf		 w = BUF_INIT;
	const char		*nl;
	size_t			 from = 0, lim, keep, before;
	off_t			 base = 0, skew = 0;
	int			 n, eof, skipping = 0, rc = -1;

	if ((r = log_reader_open(h, path, 0, cause)) == NULL)
		return -1;
	for (;;) {
		before = w.len;
		if ((n = log_reader_read(r, &w, cause)) < 0)
			goto out;
		eof = n == 0;
		if (skipping && !eof) {
			/* The rest of a cut line: dropped as it comes. */
			nl = memchr(w.data + before, '\n', w.len - before);
			keep = nl == NULL ? w.len : (size_t)(nl - w.data) + 1;
			base += (off_t)(keep - before);
			memmove(w.data + before, w.data + keep, w.len - keep);
			buf_truncate(&w, w.len - (keep - before));
			if (nl == NULL)
				continue;
			skipping = 0;
		}
		if (eof)
			lim = w.len;
		else {
			nl = memrchr(w.data + from, '\n', w.len - from);
			if (nl == NULL && w.len - from > LOG_LINE_MAX) {
				/* No newline within LOG_LINE_MAX: cut. */
				skew = (off_t)(w.len - from - LOG_LINE_MAX) -
				    (off_t)strlen(LOG_LINE_CUT "\n");
				buf_truncate(&w, from + LOG_LINE_MAX);
				buf_addstr(&w, LOG_LINE_CUT "\n");
				skipping = 1;
				nl = w.data + w.len - 1;
			}
			if (nl == NULL)
				continue;
			lim = (size_t)(nl - w.data) + 1;
		}
		fn(arg, w.data, from, lim, base, eof);
		/* Offsets after a cut line are those of the file. */
		base += skew;
		skew = 0;
		if (eof)
			break;
		/* Keep some history, from a line start. */
		keep = lim > TRACE_HISTORY ? lim - TRACE_HISTORY : 0;
		if (keep > 0) {
			nl = memchr(w.data + keep, '\n', lim - keep);
			keep = nl != NULL ? (size_t)(nl - w.data) + 1 : lim;
			memmove(w.data, w.data + keep, w.len - keep);
			buf_truncate(&w, w.len - keep);
			base += (off_t)keep;
		}
		from = lim - keep;
	}
	rc = 0;
out:
	buf_release(&w);
	log_reader_close(r);
	return rc;
}

static void
trace_block(void *arg, const char *data, size_t from, size_t lim, off_t base,
    int eof)
{
	struct trace_scan	*ts = arg;

	trace_region(ts, data, from, lim, base);
	trace_tail_check(ts, data, lim, base, eof);
}

int
log_trace(struct host *h, const char *qid, struct log_result *res,
    char **cause)
{
	struct trace_scan	 ts;
	char			*err = NULL;
	size_t			 i;

	if (!log_is_qid(qid, strlen(qid))) {
		*cause = xasprintf("%s: not a queue id (like 6AM2tfoN014024: "
		    "8 letters or digits, then the pid)", qid);
		return -1;
	}
	if (log_files(h, &res->files, cause) != 0)
		return -1;
	trace_scan_init(&ts, qid, strlen(qid), res);
	for (i = 0; i < res->files.n; i++) {
		ts.file = i;
		ts.tail_pending = -1;
		if (log_scan_file(h, res->files.v[i], trace_block, &ts,
		    &err) != 0) {
			strv_push_nocopy(&res->warnings, err);
			err = NULL;
		}
	}
	result_sort(res);
	return 0;
}

/* ---- search ---- */

struct search_scan {
	const struct log_filter	*filter;
	size_t			 max;
	size_t			 file;
	time_t			 now;
	struct log_line		 line;
	struct log_result	*res;
};

static void
search_trim(struct search_scan *ss)
{
	struct log_result	*r = ss->res;
	size_t			 drop, i;

	if (ss->max == 0 || r->nhits <= ss->max)
		return;
	drop = r->nhits - ss->max;
	for (i = 0; i < drop; i++)
		free(r->hits[i].text);
	memmove(r->hits, r->hits + drop, ss->max * sizeof *r->hits);
	r->nhits = ss->max;
}

static void
search_block(void *arg, const char *data, size_t from, size_t lim,
    off_t base, int eof unused)
{
	struct search_scan	*ss = arg;
	const char		*p = data + from, *end = data + lim, *le;

	for (; p < end; p = le + 1) {
		if ((le = memchr(p, '\n', (size_t)(end - p))) == NULL)
			le = end;
		if (le == p || !log_filter_maybe(ss->filter, p,
		    (size_t)(le - p)))
			continue;
		log_parse(&ss->line, p, (size_t)(le - p), ss->now);
		if (log_filter_match(ss->filter, &ss->line))
			result_add(ss->res, ss->file, base + (p - data), p,
			    (size_t)(le - p));
		if (ss->max != 0 && ss->res->nhits >= 2 * ss->max)
			search_trim(ss);
		if (le >= end)
			break;
	}
}

int
log_search(struct host *h, const struct log_filter *f, int all, size_t max,
    struct log_result *res, char **cause)
{
	struct search_scan	 ss;
	struct strv		 files = STRV_INIT;
	char			*err = NULL;
	size_t			 i;

	if (log_files(h, &files, cause) != 0)
		return -1;
	if (!all) {
		/* The live log only (the last of the list). */
		strv_push(&res->files, files.v[files.n - 1]);
	} else
		strv_extend(&res->files, &files);
	strv_release(&files);
	memset(&ss, 0, sizeof ss);
	ss.filter = f;
	ss.max = max;
	ss.res = res;
	ss.now = time(NULL);
	log_line_init(&ss.line);
	for (i = 0; i < res->files.n; i++) {
		ss.file = i;
		if (log_scan_file(h, res->files.v[i], search_block, &ss,
		    &err) != 0) {
			strv_push_nocopy(&res->warnings, err);
			err = NULL;
		}
	}
	search_trim(&ss);
	log_line_release(&ss.line);
	return 0;
}
