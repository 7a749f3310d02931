/*
 * fuzz-table.c -- libFuzzer harness for the table parser and checks.
 *
 * For every table kind: parse, serialise (must give the input back byte
 * for byte), check, take the build pairs, then edit the first entry and
 * make sure the edited table still reads back the same after a round trip.
 *
 *	make fuzz && tests/fuzz/fuzz-table -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/table.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_one(const struct table_def *td, const char *data, size_t len)
{
	struct table		*t, *t2;
	struct table_diags	 d;
	struct map_pair		*pairs;
	struct buf		 out = BUF_INIT, again = BUF_INIT;
	char			*cause = NULL, *key;
	size_t			 n;

	t = table_parse(td, "fuzz", data, len);
	table_serialize(t, &out);
	if (out.len != len || (len != 0 && memcmp(out.data, data, len) != 0))
		abort();
	table_diags_init(&d);
	table_check(t, &d);
	table_diags_release(&d);
	n = table_pairs(t, &pairs);
	free(pairs);
	(void)n;

	if (t->nentries != 0 && memchr(t->entries[0].key, '\0',
	    t->entries[0].keylen) == NULL) {
		key = xstrdup(t->entries[0].key);
		if (table_set(t, key, "value", &cause) != 0)
			free(cause);
		cause = NULL;
		if (table_comment(t, key, &cause) != 0)
			free(cause);
		cause = NULL;
		if (table_del(t, key, &cause) != 0)
			free(cause);
		cause = NULL;
		free(key);
		buf_reset(&out);
		table_serialize(t, &out);
		t2 = table_parse(td, "fuzz", out.data, out.len);
		table_serialize(t2, &again);
		if (again.len != out.len ||
		    memcmp(again.data, out.data, out.len) != 0)
			abort();
		table_free(t2);
	}
	buf_release(&again);
	buf_release(&out);
	table_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t	i;

	for (i = 0; i < profile_ntables; i++)
		fuzz_one(&profile_tables[i], (const char *)data, len);
	return 0;
}
