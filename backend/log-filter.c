/*
 * log-filter.c -- the filter expressions of "smadm log tail" and "smadm
 * log search" (the syntax is in log.h and in the commands' help).
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum term_key {
	TK_TEXT,	/* anywhere in the line */
	TK_FIELD,	/* a field by name */
	TK_QID,
	TK_PID,
	TK_HOST,
	TK_PROG,
	TK_KIND,
	TK_STATUS,
	TK_STAT,	/* stat field, or the outcome name */
	TK_ADDR,
	TK_IP
};

struct term {
	enum term_key	 key;
	char		*field;		/* TK_FIELD */
	struct strv	 values;	/* any of them */
	int		 negate;
};

struct log_filter {
	struct term	*terms;
	size_t		 nterms;
	char		*needle;	/* a text every match contains */
};

static const struct {
	const char	*name;
	enum term_key	 key;
} term_keys[] = {
	{ "qid", TK_QID }, { "pid", TK_PID }, { "host", TK_HOST },
	{ "prog", TK_PROG }, { "program", TK_PROG }, { "kind", TK_KIND },
	{ "status", TK_STATUS }, { "outcome", TK_STATUS }, { "stat", TK_STAT },
	{ "addr", TK_ADDR }, { "address", TK_ADDR }, { "ip", TK_IP },
	{ "text", TK_TEXT }
};

void
log_filter_free(struct log_filter *f)
{
	size_t	i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nterms; i++) {
		free(f->terms[i].field);
		strv_release(&f->terms[i].values);
	}
	free(f->terms);
	free(f->needle);
	free(f);
}

/* Next word of s: "quoted text" or up to a blank. */
static char *
filter_word(const char **sp, int *quoted, char **cause)
{
	const char	*s = *sp, *end;
	struct buf	 w = BUF_INIT;

	*quoted = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*sp = s;
		return NULL;
	}
	while (*s != '\0' && *s != ' ' && *s != '\t') {
		if (*s == '"') {
			if ((end = strchr(s + 1, '"')) == NULL) {
				*cause = xstrdup("filter: a quote is not "
				    "closed");
				buf_release(&w);
				return NULL;
			}
			buf_add(&w, s + 1, (size_t)(end - s - 1));
			*quoted = 1;
			s = end + 1;
		} else
			buf_addch(&w, *s++);
	}
	*sp = s;
	return buf_detach(&w);
}

static int
filter_is_key(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

struct log_filter *
log_filter_parse(const char *expr, char **cause)
{
	struct log_filter	*f;
	struct term		*t;
	const char		*s = expr, *colon;
	char			*word, *w;
	const char		*val;
	size_t			 i, klen;
	int			 quoted;

	f = xcalloc(1, sizeof *f);
	*cause = NULL;
	while ((word = filter_word(&s, &quoted, cause)) != NULL) {
		f->terms = xreallocarray(f->terms, f->nterms + 1,
		    sizeof *f->terms);
		t = &f->terms[f->nterms++];
		memset(t, 0, sizeof *t);
		strv_init(&t->values);
		w = word;
		if (*w == '-' && w[1] != '\0' && !quoted) {
			t->negate = 1;
			w++;
		}
		colon = strchr(w, ':');
		klen = colon != NULL ? (size_t)(colon - w) : 0;
		if (quoted || colon == NULL || !filter_is_key(w, klen)) {
			t->key = TK_TEXT;
			strv_push(&t->values, w);
		} else {
			t->key = TK_FIELD;
			for (i = 0; i < nitems(term_keys); i++) {
				if (strlen(term_keys[i].name) == klen &&
				    strncasecmp(term_keys[i].name, w,
				    klen) == 0)
					t->key = term_keys[i].key;
			}
			if (t->key == TK_FIELD)
				t->field = xstrndup(w, klen);
			val = colon + 1;
			if (t->key == TK_TEXT)
				strv_push(&t->values, val);
			else
				strv_split_char(&t->values, val, ',');
			if (t->values.n == 0 || *t->values.v[0] == '\0') {
				*cause = xasprintf("filter: \"%s\" has no "
				    "value after the colon", word);
				free(word);
				goto fail;
			}
		}
		/*
		 * Remember one text that every matching line holds (not an
		 * IPv6 address: the line may write it longer or shorter).
		 */
		if (!t->negate && t->values.n == 1 && t->key != TK_KIND &&
		    t->key != TK_STATUS && t->key != TK_STAT &&
		    t->key != TK_PID && !(t->key == TK_IP &&
		    strchr(t->values.v[0], ':') != NULL) && (f->needle == NULL ||
		    strlen(t->values.v[0]) > strlen(f->needle))) {
			free(f->needle);
			f->needle = xstrdup(t->values.v[0]);
		}
		free(word);
	}
	if (*cause != NULL)
		goto fail;
	return f;
fail:
	log_filter_free(f);
	return NULL;
}

static int
filter_contains(const char *hay, const char *needle)
{
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

/*
 * sendmail writes [IPv6:2001:db8::8]: ip:2001:db8::8 finds it too, and
 * so does an IPv6 address written longer (2001:db8:0:0::8).
 */
static int
filter_same_ip(const char *a, const char *b)
{
	struct in6_addr	a6, b6;

	if (strncasecmp(a, "IPv6:", 5) == 0)
		a += 5;
	if (strncasecmp(b, "IPv6:", 5) == 0)
		b += 5;
	if (inet_pton(AF_INET6, a, &a6) == 1 &&
	    inet_pton(AF_INET6, b, &b6) == 1)
		return memcmp(&a6, &b6, sizeof a6) == 0;
	return strcasecmp(a, b) == 0;
}

static int
filter_value(const struct term *t, const struct log_line *l, const char *v)
{
	static const char *const addr_fields[] = { "from", "to", "ctladdr",
	    "arg1", "arg2" };
	const char	*f;
	size_t		 i;
	char		*want;
	int		 hit;

	switch (t->key) {
	case TK_TEXT:
		return filter_contains(l->raw, v);
	case TK_FIELD:
		return filter_contains(log_field(l, t->field), v);
	case TK_QID:
		return strcasecmp(l->qid, v) == 0;
	case TK_PID:
		return l->pid >= 0 && l->pid == strtol(v, NULL, 10);
	case TK_HOST:
		return filter_contains(l->host, v);
	case TK_PROG:
		return filter_contains(l->prog, v);
	case TK_KIND:
		return strcasecmp(log_kind_name(l->kind), v) == 0;
	case TK_STATUS:
		return strcasecmp(log_outcome_name(l->outcome), v) == 0;
	case TK_STAT:
		return strcasecmp(log_outcome_name(l->outcome), v) == 0 ||
		    filter_contains(log_field(l, "stat"), v);
	case TK_ADDR:
		for (i = 0; i < nitems(addr_fields); i++)
			if (filter_contains(log_field(l, addr_fields[i]), v))
				return 1;
		want = xasprintf("<%s", v);
		hit = filter_contains(l->msg, want);
		free(want);
		return hit;
	case TK_IP:
		if ((f = log_field(l, "ip")) == NULL)
			return 0;
		return filter_same_ip(f, v);
	}
	return 0;
}

int
log_filter_match(const struct log_filter *f, const struct log_line *l)
{
	const struct term	*t;
	size_t			 i, j;
	int			 hit;

	if (f == NULL)
		return 1;
	for (i = 0; i < f->nterms; i++) {
		t = &f->terms[i];
		hit = 0;
		for (j = 0; j < t->values.n && !hit; j++)
			hit = filter_value(t, l, t->values.v[j]);
		if (hit == t->negate)
			return 0;
	}
	return 1;
}

int
log_filter_maybe(const struct log_filter *f, const char *line, size_t len)
{
	const char	*n, *p, *end = line + len;
	size_t		 nlen;
	int		 c0;

	if (f == NULL || f->needle == NULL)
		return 1;
	n = f->needle;
	/* An empty text ("") is in every line; never read past the end. */
	if ((nlen = strlen(n)) == 0)
		return 1;
	if (nlen > len)
		return 0;
	c0 = tolower((unsigned char)n[0]);
	for (p = line; p + nlen <= end; p++) {
		if (tolower((unsigned char)*p) == c0 &&
		    strncasecmp(p, n, nlen) == 0)
			return 1;
	}
	return 0;
}
