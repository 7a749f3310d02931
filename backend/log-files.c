/*
 * log-files.c -- the mail log on the host: finding it and its rotated
 * copies, reading them in large blocks, and following the live one line
 * by line (see log.h).
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

/* gzip -dc output is held in memory: a generous bound. */
#define LOG_GZIP_MAX	((size_t)2 << 30)
#define LOG_GZIP_WAIT	600000
/* How far back log_follow_open looks for its first lines. */
#define LOG_BACK_MAX	(8 << 20)
#define LOG_FOLLOW_BATCH (16 << 20)	/* read by one log_follow_read */

struct log_reader {
	struct host	*h;
	struct tstream	*ts;		/* plain file */
	struct buf	 gz;		/* .gz: the whole text */
	int		 gz_done;
};

struct log_follow {
	struct host	*h;
	struct tstream	*ts;
	struct buf	 partial;	/* a line not yet ended */
	size_t		 shown;		/* bytes of it log_follow_rest gave */
	int		 skipping;	/* dropping a cut line's rest */
};

struct rotated {
	char		*name;
	long long	 order;		/* higher: older */
};

static int
log_rotated_cmp(const void *a, const void *b)
{
	const struct rotated	*ra = a, *rb = b;

	if (ra->order != rb->order)
		return ra->order > rb->order ? -1 : 1;
	return strcmp(ra->name, rb->name);
}

/*
 * Is name a rotated copy of base: base.N, base.N.gz, base-YYYYMMDD[.gz]?
 * Sets the sort order (older first: higher N, earlier dates).
 */
static int
log_rotated_name(const char *base, const char *name, long long *order)
{
	size_t		 blen = strlen(base);
	const char	*p;
	char		*end;
	long long	 v;

	if (strncmp(name, base, blen) != 0 ||
	    (name[blen] != '.' && name[blen] != '-'))
		return 0;
	p = name + blen + 1;
	if (*p < '0' || *p > '9')
		return 0;
	v = strtoll(p, &end, 10);
	if (*end != '\0' && strcmp(end, ".gz") != 0)
		return 0;
	/* .N counts up into the past; -YYYYMMDD counts up to now. */
	*order = name[blen] == '.' ? v : -v;
	return 1;
}

int
log_files(struct host *h, struct strv *out, char **cause)
{
	const char	*log = h->prof->mail_log, *slash;
	struct strv	 names = STRV_INIT;
	struct rotated	*rot = NULL;
	char		*dir;
	size_t		 i, n = 0;
	long long	 order;

	if (log == NULL) {
		*cause = xstrdup("the profile names no mail log (mail_log)");
		return -1;
	}
	slash = strrchr(log, '/');
	dir = slash == NULL ? xstrdup(".") : slash == log ? xstrdup("/") :
	    xstrndup(log, (size_t)(slash - log));
	if (transport_list_dir(h->t, dir, &names, cause) != 0) {
		free(dir);
		return -1;
	}
	rot = xreallocarray(NULL, names.n + 1, sizeof *rot);
	for (i = 0; i < names.n; i++) {
		if (log_rotated_name(slash != NULL ? slash + 1 : log,
		    names.v[i], &order)) {
			rot[n].name = names.v[i];
			rot[n++].order = order;
		}
	}
	xqsort(rot, n, sizeof *rot, log_rotated_cmp);
	for (i = 0; i < n; i++)
		strv_pushf(out, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir,
		    rot[i].name);
	if (transport_exists(h->t, log))
		strv_push(out, log);
	else if (out->n == 0) {
		*cause = xasprintf("%s: no such file", log);
		free(rot);
		free(dir);
		strv_release(&names);
		return -1;
	}
	free(rot);
	free(dir);
	strv_release(&names);
	return 0;
}

/* ---- reading ---- */

struct log_reader *
log_reader_open(struct host *h, const char *path, off_t off, char **cause)
{
	struct log_reader	*r;
	struct run_opts		 ro;
	struct run_result	 rr;
	const char		*argv[] = { PATH_GZIP, "-dc", "--", path, NULL };

	r = xcalloc(1, sizeof *r);
	r->h = h;
	buf_init(&r->gz);
	if (!str_endswith(path, ".gz")) {
		if ((r->ts = transport_stream_open(h->t, path, off,
		    cause)) == NULL) {
			free(r);
			return NULL;
		}
		return r;
	}
	run_opts_init(&ro);
	ro.max_output = LOG_GZIP_MAX;
	ro.timeout_ms = LOG_GZIP_WAIT;
	if (transport_run(h->t, argv, &ro, &rr, cause) != 0) {
		free(r);
		return NULL;
	}
	if (!rr.exited || rr.status != 0 || rr.truncated) {
		*cause = rr.truncated ? xasprintf("%s: more than %zu bytes "
		    "uncompressed", path, LOG_GZIP_MAX) :
		    run_result_describe(PATH_GZIP, &rr);
		run_result_release(&rr);
		free(r);
		return NULL;
	}
	r->gz = rr.out;
	buf_init(&rr.out);
	run_result_release(&rr);
	if (off > 0 && (size_t)off < r->gz.len) {
		memmove(r->gz.data, r->gz.data + off, r->gz.len - (size_t)off);
		buf_truncate(&r->gz, r->gz.len - (size_t)off);
	}
	return r;
}

int
log_reader_read(struct log_reader *r, struct buf *out, char **cause)
{
	int	n;

	if (r->ts != NULL)
		return transport_stream_read(r->h->t, r->ts, out, cause);
	if (r->gz_done)
		return 0;
	r->gz_done = 1;
	if (out->len == 0) {
		/* Hand the whole text over without a copy. */
		buf_release(out);
		*out = r->gz;
		buf_init(&r->gz);
		return (int)(out->len > 0x7fffffff ? 0x7fffffff : out->len);
	}
	buf_add(out, r->gz.data, r->gz.len);
	n = (int)(r->gz.len > 0x7fffffff ? 0x7fffffff : r->gz.len);
	buf_release(&r->gz);
	return n;
}

void
log_reader_close(struct log_reader *r)
{
	if (r == NULL)
		return;
	if (r->ts != NULL)
		transport_stream_close(r->h->t, r->ts);
	buf_release(&r->gz);
	free(r);
}

/* ---- following ---- */

/* Where the last n lines of path start, looking back at most LOG_BACK_MAX. */
static off_t
log_follow_start(struct host *h, const char *path, size_t n)
{
	struct tstat	 st;
	struct tstream	*ts;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;
	off_t		 from, at;
	size_t		 i, seen = 0;

	if (transport_stat(h->t, path, 1, &st, &cause) != 0 ||
	    st.type != TS_REG) {
		free(cause);
		return -1;
	}
	if (n == 0)
		return st.size;
	from = st.size > LOG_BACK_MAX ? st.size - LOG_BACK_MAX : 0;
	if ((ts = transport_stream_open(h->t, path, from, &cause)) == NULL) {
		free(cause);
		return -1;
	}
	while (b.len < (size_t)(st.size - from) &&
	    transport_stream_read(h->t, ts, &b, &cause) > 0)
		;
	free(cause);
	transport_stream_close(h->t, ts);
	if (b.len > (size_t)(st.size - from))
		b.len = (size_t)(st.size - from);
	at = from + (off_t)b.len;
	i = b.len;
	if (i > 0 && b.data[i - 1] == '\n')
		i--;
	for (; i > 0; i--) {
		if (b.data[i - 1] == '\n' && ++seen == n) {
			at = from + (off_t)i;
			break;
		}
	}
	if (i == 0)
		at = from == 0 ? 0 : from + (off_t)(strchrnul(b.data, '\n') -
		    b.data) + 1;
	buf_release(&b);
	return at;
}

struct log_follow *
log_follow_open(struct host *h, const char *path, size_t nback, char **cause)
{
	struct log_follow	*f;
	off_t			 at;

	at = log_follow_start(h, path, nback);
	f = xcalloc(1, sizeof *f);
	f->h = h;
	buf_init(&f->partial);
	if ((f->ts = transport_stream_open(h->t, path, at, cause)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

/* One line, cut to LOG_LINE_MAX bytes with a mark when longer. */
static char *
log_line_copy(const char *p, size_t len)
{
	if (len <= LOG_LINE_MAX)
		return xstrndup(p, len);
	return xasprintf("%.*s%s", LOG_LINE_MAX, p, LOG_LINE_CUT);
}

/* Move the complete lines of f->partial to lines; how many. */
static int
log_follow_split(struct log_follow *f, struct strv *lines)
{
	const char	*p, *nl, *end;
	size_t		 done;
	int		 count = 0;

	p = f->partial.data;
	end = p + f->partial.len;
	if (f->skipping) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			buf_reset(&f->partial);
			return 0;
		}
		f->skipping = 0;
		p = nl + 1;
	}
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		/* A line shown unended is shown again only if it grew. */
		if (f->shown == 0 || (size_t)(nl - p) > f->shown) {
			strv_push_nocopy(lines, log_line_copy(p,
			    (size_t)(nl - p)));
			count++;
		}
		f->shown = 0;
		p = nl + 1;
	}
	if ((size_t)(end - p) > LOG_LINE_MAX) {
		/* No end in sight: show the start now, drop the rest. */
		strv_push_nocopy(lines, log_line_copy(p, (size_t)(end - p)));
		count++;
		f->skipping = 1;
		f->shown = 0;
		p = end;
	}
	done = (size_t)(p - f->partial.data);
	if (done > 0) {
		memmove(f->partial.data, p, f->partial.len - done);
		buf_truncate(&f->partial, f->partial.len - done);
	}
	return count;
}

int
log_follow_read(struct log_follow *f, struct strv *lines, char **cause)
{
	size_t	got = 0;
	int	n, count = 0;

	/*
	 * Split after every read: partial never holds more than one.  A file
	 * that never stops growing is read in batches, so the caller gets to
	 * draw (and to be left) in between.
	 */
	for (;;) {
		if ((n = transport_stream_read(f->h->t, f->ts, &f->partial,
		    cause)) < 0)
			return -1;
		count += log_follow_split(f, lines);
		got += (size_t)n;
		if (n == 0 || got >= LOG_FOLLOW_BATCH)
			break;
	}
	return count;
}

int
log_follow_rest(struct log_follow *f, struct strv *lines)
{
	if (f->skipping || f->partial.len == 0 ||
	    f->partial.len == f->shown)
		return 0;
	strv_push_nocopy(lines, log_line_copy(f->partial.data,
	    f->partial.len));
	f->shown = f->partial.len;
	return 1;
}

void
log_follow_close(struct log_follow *f)
{
	if (f == NULL)
		return;
	transport_stream_close(f->h->t, f->ts);
	buf_release(&f->partial);
	free(f);
}
