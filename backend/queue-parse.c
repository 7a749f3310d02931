/*
 * queue-parse.c -- read one sendmail queue control file (see queue.h).
 *
 * The format is op.txt's appendix B, version 8 as sendmail 8.17 writes it:
 * one record per line, its letter first, continuation lines starting with
 * a space or a tab (sendmail reads every record folded), and a last line
 * holding a single ".".  The file is parsed in place from one buffer: no
 * stdio, one pass, records cut at their end.  A brief entry then copies
 * the few strings a list needs into one allocation, so a queue of 100,000
 * messages costs what its envelopes cost, not what its headers cost,
 * and the strings that repeat from message to message are kept once.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "queue.h"
#include "safe-text.h"

/* sendmail's quoting inside header values (conf.h: METAQUOTE, MACROEXPAND) */
#define QF_METAQUOTE	0377
#define QF_MACROEXPAND	0201

int
queue_id_valid(const char *id)
{
	size_t	i, n = strlen(id);

	if (n < 8 || n > 20)
		return 0;
	for (i = 0; i < n; i++)
		if (!isascii((unsigned char)id[i]) ||
		    !isalnum((unsigned char)id[i]))
			return 0;
	return 1;
}

/* Parse a decimal number at p (leading blanks allowed); 0 on success. */
static int
qf_number(const char *p, long *out)
{
	long	v = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '+')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (LONG_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p != '\0')
		return -1;
	*out = v;
	return 0;
}

static void
qf_error(struct queue_entry *e, char **err, size_t line, const char *what)
{
	if (*err == NULL)
		*err = xasprintf("%zu: %s", line, what);
	(void)e;
}

static int
qf_header_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* An H record: H?cond?Name: value, or HName: value. */
static int
qf_header(char *p, struct queue_header *h)
{
	char	*colon, *end;

	h->cond = "";
	if (*p == '?') {
		if ((end = strchr(p + 1, '?')) == NULL)
			return -1;
		*end = '\0';
		h->cond = p + 1;
		p = end + 1;
	}
	if ((colon = strchr(p, ':')) == NULL || colon == p)
		return -1;
	*colon = '\0';
	h->name = p;
	p = colon + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	h->value = p;
	return 0;
}

/*
 * Parse data (NUL-terminated at len) in place into e; strings point into
 * data.  With full set, every header and macro is kept in arrays.
 */
static void
qf_parse(struct queue_entry *e, char *data, size_t len, int full)
{
	struct queue_header	 h;
	struct queue_rcpt	*r;
	size_t			 ralloc = 0, halloc = 0, malloc_ = 0, line = 0;
	char			*p = data, *end = data + len, *nl, *q;
	char			*err = NULL;
	const char		*orcpt = NULL, *final = NULL;
	long			 v;
	int			 seen_end = 0;

	e->version = 0;
	while (p < end) {
		line++;
		/* The record ends at a newline not followed by a blank. */
		for (nl = p; (nl = memchr(nl, '\n', (size_t)(end - nl))) !=
		    NULL; nl++) {
			if (nl + 1 >= end || (nl[1] != ' ' && nl[1] != '\t'))
				break;
			line++;
		}
		if (nl == NULL) {
			if (!seen_end)
				qf_error(e, &err, line, "truncated: the last "
				    "line has no newline");
			nl = end;
		}
		*nl = '\0';
		if (seen_end) {
			qf_error(e, &err, line, "data after the final \".\"");
			break;
		}
		if (strlen(p) != (size_t)(nl - p))
			qf_error(e, &err, line, "NUL byte in a line");
		switch (*p) {
		case 'V':
			if (qf_number(p + 1, &v) != 0 || line != 1)
				qf_error(e, &err, line, "bad V line (expected "
				    "V8 first)");
			else
				e->version = (int)v;
			break;
		case 'T':
			if (qf_number(p + 1, &v) != 0)
				qf_error(e, &err, line, "bad T line (expected "
				    "seconds since 1970)");
			else
				e->ctime = (time_t)v;
			break;
		case 'K':
			if (qf_number(p + 1, &v) != 0)
				qf_error(e, &err, line, "bad K line");
			else
				e->atime = (time_t)v;
			break;
		case 'N':
			if (qf_number(p + 1, &e->tries) != 0)
				qf_error(e, &err, line, "bad N line");
			break;
		case 'P':
			if (qf_number(p + 1, &e->priority) != 0)
				qf_error(e, &err, line, "bad P line");
			break;
		case 'S':
			e->sender = p + 1;
			break;
		case 'M':
			e->status = p + 1;
			break;
		case 'q':
			e->quarantine = p + 1;
			break;
		case 'B':
			e->bodytype = p + 1;
			break;
		case 'F':
			e->flags = p + 1;
			break;
		case 'Z':
			e->envid = p + 1;
			break;
		case 'A':
			e->auth = p + 1;
			break;
		case 'd':
			e->df_dir = p + 1;
			break;
		case 'Q':
			orcpt = p + 1;
			break;
		case 'r':
			final = p + 1;
			break;
		case 'R':
			if ((q = strchr(p + 1, ':')) == NULL) {
				qf_error(e, &err, line, "bad R line (expected "
				    "FLAGS:address)");
				break;
			}
			*q = '\0';
			if (e->nrcpts == ralloc) {
				ralloc = ralloc == 0 ? 4 : ralloc * 2;
				e->rcpts = xreallocarray(e->rcpts, ralloc,
				    sizeof *e->rcpts);
			}
			r = &e->rcpts[e->nrcpts++];
			r->flags = p + 1;
			r->addr = q + 1;
			r->orcpt = orcpt;
			r->final = final;
			orcpt = final = NULL;
			break;
		case 'H':
			if (qf_header(p + 1, &h) != 0) {
				qf_error(e, &err, line, "bad H line (expected "
				    "H?cond?Name: value)");
				break;
			}
			if (qf_header_is(h.name, strlen(h.name), "Subject"))
				e->subject = h.value;
			else if (qf_header_is(h.name, strlen(h.name),
			    "Message-Id"))
				e->message_id = h.value;
			else if (qf_header_is(h.name, strlen(h.name), "From"))
				e->from = h.value;
			else if (qf_header_is(h.name, strlen(h.name), "To"))
				e->to = h.value;
			if (!full)
				break;
			if (e->nheaders == halloc) {
				halloc = halloc == 0 ? 16 : halloc * 2;
				e->headers = xreallocarray(e->headers, halloc,
				    sizeof *e->headers);
			}
			e->headers[e->nheaders++] = h;
			break;
		case '$':
			if (!full)
				break;
			if (e->nmacros == malloc_) {
				malloc_ = malloc_ == 0 ? 8 : malloc_ * 2;
				e->macros = xreallocarray(e->macros, malloc_,
				    sizeof *e->macros);
			}
			if (p[1] == '{' && (q = strchr(p, '}')) != NULL) {
				/* "${name}value": shift the name left. */
				memmove(p, p + 1, (size_t)(q - p));
				*q = '\0';
				e->macros[e->nmacros].name = p;
				e->macros[e->nmacros++].value = q + 1;
			} else if (p[1] != '\0') {
				/* "$rESMTP": one letter, then the value. */
				p[0] = p[1];
				p[1] = '\0';
				e->macros[e->nmacros].name = p;
				e->macros[e->nmacros++].value = p + 2;
			}
			break;
		case '.':
			if (p[1] == '\0')
				seen_end = 1;
			else
				qf_error(e, &err, line, "unexpected line "
				    "starting with \".\"");
			break;
		case 'C': case 'I': case 'E': case 'L': case 'D': case '!':
		case 'G': case 'X': case 'U': case 'O': case 'j':
			break;	/* known, not shown */
		default:
			qf_error(e, &err, line, "unknown record type "
			    "(garbage, or not a queue file?)");
			break;
		}
		p = nl + 1;
	}
	if (line == 0)
		qf_error(e, &err, 1, "empty file");
	else if (!seen_end)
		qf_error(e, &err, line, "truncated: no final \".\" line");
	if (err == NULL && e->version != 8)
		err = xasprintf("1: version %d (smadm reads version 8)",
		    e->version);
	e->error = err;
}

static void
qf_init(struct queue_entry *e, const char *name)
{
	size_t	len;

	memset(e, 0, sizeof *e);
	e->size = -1;
	switch (name[0]) {
	case 'h':
		e->state = QSTATE_HELD;
		break;
	case 'Q':
		e->state = QSTATE_LOST;
		break;
	default:
		e->state = QSTATE_QUEUED;
		break;
	}
	if ((len = strlen(name)) > 2) {
		len -= 2;
		if (len >= sizeof e->id)
			len = sizeof e->id - 1;
		memcpy(e->id, name + 2, len);
		e->id[len] = '\0';
	}
}

struct queue_entry *
queue_parse(const char *name, char *data, size_t len, int flags)
{
	struct queue_entry	*e;

	e = xmalloc(sizeof *e);
	qf_init(e, name);
	qf_parse(e, data, len, 1);
	(void)flags;
	e->mem = data;
	return e;
}

/*
 * Brief entries share the strings that repeat across a queue (senders,
 * status texts, recipients, flags, the subject of a mail run) through a
 * pool: one copy of each, in large chunks.  Every brief entry holds a
 * reference to the pool it was made with (in e->mem) and the pool goes
 * with its last entry.  A pool takes strings until it holds QF_POOL_MAX
 * bytes; then the next entries start a new one, so the memory of a
 * long-running console follows the entries it keeps.  Each thread
 * fills a pool of its own (the scan parses on the directory reader's two
 * threads) and holds one reference to it while it is its current pool;
 * the counts are atomic because an entry may be freed on another thread
 * than the one that made it, and whoever drops the last one frees it.
 */
#define QF_POOL_CHUNK	(64 * 1024)
#define QF_POOL_MAX	(4 * 1024 * 1024)

struct qf_chunk {
	struct qf_chunk	*next;
	size_t		 used;
	size_t		 size;
	char		 data[];
};

struct qf_pool {
	atomic_size_t	 refs;
	const char	**slots;	/* open addressing; NULL is empty */
	size_t		 nslots;	/* a power of two */
	size_t		 nstrings;
	size_t		 bytes;
	struct qf_chunk	*chunks;
};

static _Thread_local struct qf_pool *qf_pool_current;

/* FNV-1a. */
static size_t
qf_hash(const char *s, size_t len)
{
	size_t	h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static char *
qf_pool_alloc(struct qf_pool *p, size_t n)
{
	struct qf_chunk	*c = p->chunks;
	size_t		 size;

	if (c == NULL || c->size - c->used < n) {
		size = n > QF_POOL_CHUNK / 4 ? n : QF_POOL_CHUNK;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		if (size == n && p->chunks != NULL) {
			/* A big string: keep filling the current chunk. */
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
	}
	c->used += n;
	return c->data + c->used - n;
}

static void
qf_pool_grow(struct qf_pool *p)
{
	const char	**old = p->slots;
	size_t		  oldn = p->nslots, i, j, mask;

	p->nslots = oldn == 0 ? 1024 : oldn * 2;
	p->slots = xcalloc(p->nslots, sizeof *p->slots);
	mask = p->nslots - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i] == NULL)
			continue;
		j = qf_hash(old[i], strlen(old[i])) & mask;
		while (p->slots[j] != NULL)
			j = (j + 1) & mask;
		p->slots[j] = old[i];
	}
	free(old);
}

/* The pool's copy of s (NULL stays NULL). */
static const char *
qf_pool_add(struct qf_pool *p, const char *s)
{
	size_t	 len, i, mask;
	char	*copy;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	if (2 * (p->nstrings + 1) > p->nslots)
		qf_pool_grow(p);
	mask = p->nslots - 1;
	for (i = qf_hash(s, len) & mask; p->slots[i] != NULL;
	    i = (i + 1) & mask)
		if (strcmp(p->slots[i], s) == 0)
			return p->slots[i];
	copy = qf_pool_alloc(p, len + 1);
	memcpy(copy, s, len + 1);
	p->slots[i] = copy;
	p->nstrings++;
	p->bytes += len + 1;
	return copy;
}

static void
qf_pool_free(struct qf_pool *p)
{
	struct qf_chunk	*c, *next;

	for (c = p->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(p->slots);
	free(p);
}

static void
qf_pool_unref(struct qf_pool *p)
{
	if (atomic_fetch_sub(&p->refs, 1) == 1)
		qf_pool_free(p);
}

/*
 * The pool for a new entry, with a reference taken.  The thread's current
 * pool holds a reference of its own, so it stays when its entries are
 * freed as soon as they are shown (a pool per message otherwise); a full
 * one is let go and a new one started.
 */
static struct qf_pool *
qf_pool_get(void)
{
	if (qf_pool_current == NULL || qf_pool_current->bytes >= QF_POOL_MAX) {
		if (qf_pool_current != NULL)
			qf_pool_unref(qf_pool_current);
		qf_pool_current = xcalloc(1, sizeof *qf_pool_current);
		atomic_init(&qf_pool_current->refs, 1);
	}
	atomic_fetch_add(&qf_pool_current->refs, 1);
	return qf_pool_current;
}

void
queue_parse_thread_end(void)
{
	if (qf_pool_current != NULL)
		qf_pool_unref(qf_pool_current);
	qf_pool_current = NULL;
}

/* Room for a string in the compact block, and the copy. */
static size_t
qf_strsize(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static const char *
qf_strcopy(char **at, const char *s)
{
	char	*d = *at;
	size_t	 n;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	memcpy(d, s, n);
	*at += n;
	return d;
}

/*
 * A brief entry is one block: the entry, its recipients and the strings
 * that are its own (message id, error); the others are in the pool.
 */
struct queue_entry *
queue_parse_copy(const char *name, char *data, size_t len, int flags)
{
	struct queue_entry	 tmp, *e;
	struct queue_rcpt	*r;
	struct qf_pool		*p;
	size_t			 i, need;
	char			*at, *err;

	if (flags & QUEUE_FULL)
		return queue_parse(name, xstrndup(data, len), len, flags);
	qf_init(&tmp, name);
	qf_parse(&tmp, data, len, 0);
	err = (char *)tmp.error;
	need = sizeof tmp + tmp.nrcpts * sizeof *tmp.rcpts;
	need += qf_strsize(tmp.message_id) + qf_strsize(err);
	e = xmalloc(need);
	*e = tmp;
	e->compact = 1;
	e->mem = p = qf_pool_get();
	e->rcpts = (struct queue_rcpt *)(e + 1);
	at = (char *)(e->rcpts + tmp.nrcpts);
	for (i = 0; i < tmp.nrcpts; i++) {
		r = &tmp.rcpts[i];
		e->rcpts[i].addr = qf_pool_add(p, r->addr);
		e->rcpts[i].flags = qf_pool_add(p, r->flags);
		e->rcpts[i].orcpt = qf_pool_add(p, r->orcpt);
		e->rcpts[i].final = qf_pool_add(p, r->final);
	}
	e->sender = qf_pool_add(p, tmp.sender);
	e->status = qf_pool_add(p, tmp.status);
	e->quarantine = qf_pool_add(p, tmp.quarantine);
	e->bodytype = qf_pool_add(p, tmp.bodytype);
	e->flags = qf_pool_add(p, tmp.flags);
	e->envid = qf_pool_add(p, tmp.envid);
	e->auth = qf_pool_add(p, tmp.auth);
	e->df_dir = qf_pool_add(p, tmp.df_dir);
	e->subject = qf_pool_add(p, tmp.subject);
	e->from = qf_pool_add(p, tmp.from);
	e->to = qf_pool_add(p, tmp.to);
	e->message_id = qf_strcopy(&at, tmp.message_id);
	e->error = qf_strcopy(&at, err);
	if (tmp.nrcpts == 0)
		e->rcpts = NULL;
	free(tmp.rcpts);
	free(err);
	return e;
}

void
queue_entry_free(struct queue_entry *e)
{
	if (e == NULL)
		return;
	if (e->compact)
		qf_pool_unref(e->mem);
	else {
		free(e->rcpts);
		free(e->headers);
		free(e->macros);
		free((char *)e->error);
		free(e->mem);
	}
	free(e);
}

long
queue_entry_age(const struct queue_entry *e, time_t now)
{
	return e->ctime != 0 && now > e->ctime ? (long)(now - e->ctime) : 0;
}

const char *
queue_entry_state(const struct queue_entry *e)
{
	if (e->state == QSTATE_HELD)
		return "held";
	if (e->state == QSTATE_LOST)
		return "lost";
	if (e->locked)
		return "busy";
	return "queued";
}

const char *
queue_bare_addr(const char *a, char *out, size_t size)
{
	size_t	n;

	if (a == NULL)
		a = "";
	while (*a == ' ')
		a++;
	n = strlen(a);
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		a++;
		n -= 2;
	}
	if (n >= size)
		n = size - 1;
	memcpy(out, a, n);
	out[n] = '\0';
	return out;
}

void
queue_addr_domain(const char *a, char *out, size_t size)
{
	const char	*at;
	size_t		 i = 0;

	out[0] = '\0';
	if (a == NULL || (at = strrchr(a, '@')) == NULL)
		return;
	for (at++; *at != '\0' && *at != '>' && i + 1 < size; at++)
		out[i++] = (char)tolower((unsigned char)*at);
	out[i] = '\0';
}

int
queue_is_plain(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return 1;
}

void
queue_escape(struct buf *b, const char *s, int flags)
{
	if (s == NULL)
		return;
	if (queue_is_plain(s))
		buf_addstr(b, s);	/* the common case: nothing to do */
	else
		queue_escape_n(b, s, strlen(s), flags);
}

void
queue_escape_n(struct buf *b, const char *s, size_t slen, int flags)
{
	struct buf		 raw = BUF_INIT;
	const unsigned char	*p, *end;
	size_t			 i, n, len;
	int			 keep_fold = flags & QESC_FOLD;

	/* First undo sendmail's own quoting (not in bodies). */
	p = (const unsigned char *)s;
	end = p + slen;
	for (; !(flags & QESC_BODY) && p < end; p++) {
		if (*p == QF_METAQUOTE && p + 1 < end)
			buf_addch(&raw, *++p);
		else if (*p == QF_MACROEXPAND && p + 1 < end) {
			p++;
			if (isascii(*p) && isgraph(*p))
				buf_printf(&raw, "$%c", *p);
			else
				buf_printf(&raw, "${\\x%02x}", *p);
		} else
			buf_addch(&raw, *p);
	}
	if (flags & QESC_BODY)
		buf_add(&raw, s, slen);
	if (flags & QESC_RAW) {
		buf_add(b, raw.data, raw.len);
		buf_release(&raw);
		return;
	}
	p = (const unsigned char *)raw.data;
	n = raw.len;
	for (i = 0; i < n; i += len) {
		len = 1;
		if (p[i] == '\n') {
			if (keep_fold)
				buf_addch(b, '\n');
			else if (i + 1 < n && (p[i + 1] == '\t' ||
			    p[i + 1] == ' ')) {
				buf_addch(b, ' ');
				len = 2;
				while (i + len < n && (p[i + len] == '\t' ||
				    p[i + len] == ' '))
					len++;
			} else
				buf_addstr(b, "\\n");
		} else if (p[i] == '\t')
			buf_addstr(b, keep_fold ? "\t" : " ");
		else {
			/* The rest, up to the next LF or TAB, as safe text. */
			while (i + len < n && p[i + len] != '\n' &&
			    p[i + len] != '\t')
				len++;
			safe_text_add(b, (const char *)p + i, len, 0);
		}
	}
	buf_release(&raw);
}
