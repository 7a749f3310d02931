/*
 * fuzz-table-merge.c -- libFuzzer harness for table_merge, the wizard's
 * merge of a role's entries into a host's table.
 *
 * The input is one byte choosing the table (access, local-host-names,
 * mailertable, virtusertable), then the file's text, a NUL, and the text
 * to merge into it.  What must hold whatever the texts say: the file's
 * bytes are the head of the merged text; no key that was there is written
 * again, and no added key twice; merging the same text once more adds
 * nothing and changes no byte.
 *
 *	make fuzz && tests/fuzz/fuzz-table-merge -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/table.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const names[] = {
	"access", "local_host_names", "mailertable", "virtusertable"
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct table_def	*def;
	const char		*old, *want, *nul;
	struct table		*t, *w;
	struct table_merge	 tm;
	struct buf		 once = BUF_INIT, twice = BUF_INIT;
	size_t			 oldlen, wantlen, nold, i;
	char			*cause = NULL;

	if (size < 2)
		return 0;
	def = profile_table_def(names[data[0] % 4]);
	old = (const char *)data + 1;
	if ((nul = memchr(old, '\0', size - 1)) == NULL)
		return 0;
	oldlen = (size_t)(nul - old);
	want = nul + 1;
	wantlen = size - 1 - oldlen - 1;

	t = table_parse(def, "fuzz", old, oldlen);
	nold = t->nentries;
	w = table_parse(def, "want", want, wantlen);
	table_merge_init(&tm);
	if (table_merge(&t, w, "the role", &tm, &cause) != 0) {
		free(cause);
		goto out;
	}
	table_serialize(t, &once);
	if (once.len < oldlen || memcmp(once.data, old, oldlen) != 0)
		abort();
	/* An appended entry is the one sendmail finds for its key. */
	for (i = nold; i < t->nentries; i++)
		if (memchr(t->entries[i].key, '\0', t->entries[i].keylen) ==
		    NULL && table_find(t, t->entries[i].key) != i)
			abort();
	table_merge_release(&tm);
	table_merge_init(&tm);
	if (table_merge(&t, w, "the role", &tm, &cause) != 0)
		abort();
	table_serialize(t, &twice);
	if (tm.added != 0 || twice.len != once.len ||
	    memcmp(twice.data, once.data, once.len) != 0)
		abort();
out:
	table_merge_release(&tm);
	table_free(t);
	table_free(w);
	buf_release(&once);
	buf_release(&twice);
	return 0;
}
