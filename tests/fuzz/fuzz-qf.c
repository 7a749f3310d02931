/*
 * fuzz-qf.c -- libFuzzer harness for the queue control file parser.
 *
 * The bytes are parsed as a qf file both ways (a brief entry copied from
 * a borrowed buffer, and a full one that keeps the buffer), then every
 * string of the entries is escaped for display and matched against a few
 * filters, as "smadm queue list" and "queue show" do.  Nothing may crash;
 * a brief entry must agree with the full one.
 *
 *	make fuzz && tests/fuzz/fuzz-qf -max_total_time=60 tests/fuzz/corpus-qf
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../backend/queue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_filters[] = {
	"deferred",
	"from:/^<?[a-z]+@/ to:example older:1h !state:held",
	"domain:example.com larger:1k tries:1 status:refused",
	"msgid:/>$/ subject:bench newer:1w smaller:2M",
	NULL
};

static void
fuzz_escape(struct buf *b, const char *s)
{
	if (s == NULL)
		return;
	queue_escape(b, s, 0);
	queue_escape(b, s, QESC_FOLD);
	queue_escape(b, s, QESC_BODY);
}

static void
fuzz_entry(const struct queue_entry *e, struct queue_filter **filters)
{
	struct buf	 b = BUF_INIT;
	char		 addr[256], dom[256], age[32];
	size_t		 i;

	fuzz_escape(&b, e->sender);
	fuzz_escape(&b, e->status);
	fuzz_escape(&b, e->quarantine);
	fuzz_escape(&b, e->bodytype);
	fuzz_escape(&b, e->flags);
	fuzz_escape(&b, e->envid);
	fuzz_escape(&b, e->auth);
	fuzz_escape(&b, e->df_dir);
	fuzz_escape(&b, e->subject);
	fuzz_escape(&b, e->message_id);
	fuzz_escape(&b, e->from);
	fuzz_escape(&b, e->to);
	fuzz_escape(&b, e->error);
	for (i = 0; i < e->nrcpts; i++) {
		fuzz_escape(&b, e->rcpts[i].addr);
		fuzz_escape(&b, e->rcpts[i].flags);
		fuzz_escape(&b, e->rcpts[i].orcpt);
		fuzz_escape(&b, e->rcpts[i].final);
		queue_bare_addr(e->rcpts[i].addr, addr, sizeof addr);
		queue_addr_domain(e->rcpts[i].addr, dom, sizeof dom);
	}
	for (i = 0; i < e->nheaders; i++) {
		fuzz_escape(&b, e->headers[i].name);
		fuzz_escape(&b, e->headers[i].cond);
		fuzz_escape(&b, e->headers[i].value);
	}
	for (i = 0; i < e->nmacros; i++) {
		fuzz_escape(&b, e->macros[i].name);
		fuzz_escape(&b, e->macros[i].value);
	}
	queue_bare_addr(e->sender, addr, sizeof addr);
	queue_format_age(age, sizeof age, queue_entry_age(e, time(NULL)));
	for (i = 0; filters[i] != NULL; i++)
		queue_filter_match(filters[i], e, time(NULL));
	buf_release(&b);
}

static int
fuzz_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct queue_filter	*filters[8];
	struct queue_entry		*brief, *full;
	struct buf			 b = BUF_INIT;
	char				*copy, *cause = NULL;
	size_t				 i;

	if (filters[0] == NULL) {
		for (i = 0; fuzz_filters[i] != NULL; i++)
			if ((filters[i] = queue_filter_parse(fuzz_filters[i],
			    &cause)) == NULL)
				abort();
	}
	/* A borrowed buffer: NUL-terminated, writable, not kept. */
	copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	brief = queue_parse_copy("qf6AM36VjD007470", copy, len, 0);
	free(copy);
	copy = xmalloc(len + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	full = queue_parse("hf6AM36VjD007470", copy, len, QUEUE_FULL);

	if (!fuzz_same(brief->sender, full->sender) ||
	    !fuzz_same(brief->status, full->status) ||
	    !fuzz_same(brief->subject, full->subject) ||
	    !fuzz_same(brief->error, full->error) ||
	    brief->nrcpts != full->nrcpts || brief->ctime != full->ctime)
		abort();
	for (i = 0; i < brief->nrcpts; i++)
		if (!fuzz_same(brief->rcpts[i].addr, full->rcpts[i].addr))
			abort();
	fuzz_entry(brief, filters);
	fuzz_entry(full, filters);
	queue_escape_n(&b, (const char *)data, len, 0);
	queue_escape_n(&b, (const char *)data, len, QESC_FOLD | QESC_BODY);
	buf_release(&b);
	queue_entry_free(brief);
	queue_entry_free(full);
	return 0;
}
