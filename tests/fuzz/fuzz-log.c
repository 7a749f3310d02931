/*
 * fuzz-log.c -- libFuzzer harness for the mail log line parser and the
 * log filter parser.
 *
 * The first line of the input is a filter as a user types it ("smadm log
 * search", the console's filter prompt); the other lines are mail log
 * lines.  Each line is parsed (with classic and RFC3339 times), written as
 * JSON, looked up by field and tested against the filter.
 *
 *	make fuzz && tests/fuzz/fuzz-log -max_total_time=60 tests/fuzz/corpus-log
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../backend/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_keys[] = {
	"from", "to", "stat", "relay", "dsn", "msgid", "reject", "size",
	"ip", "user", "mech", "command", "pri", "syslog_pri", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char		*p = (const char *)data, *end = p + len, *nl;
	struct log_filter	*f;
	struct log_line		 l;
	struct buf		 json = BUF_INIT;
	char			*text, *cause = NULL;
	size_t			 i, n;

	/* Filter text: the first line, up to a NUL. */
	nl = memchr(p, '\n', len);
	n = nl != NULL ? (size_t)(nl - p) : len;
	text = xstrndup(p, n);
	f = log_filter_parse(text, &cause);
	if (f == NULL && cause == NULL)
		abort();
	free(cause);
	free(text);
	p = nl != NULL ? nl + 1 : end;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		log_line_init(&l);
		log_parse(&l, p, n, 1795319268);
		buf_reset(&json);
		log_line_json(&l, "fuzz.log", &json);
		for (i = 0; fuzz_keys[i] != NULL; i++)
			(void)log_field(&l, fuzz_keys[i]);
		(void)log_kind_name(l.kind);
		(void)log_outcome_name(l.outcome);
		if (l.qid != NULL)
			(void)log_qid_pid(l.qid);
		if (f != NULL) {
			(void)log_filter_maybe(f, p, n);
			(void)log_filter_match(f, &l);
		}
		log_line_release(&l);
		p = nl != NULL ? nl + 1 : end;
	}
	buf_release(&json);
	log_filter_free(f);
	return 0;
}
