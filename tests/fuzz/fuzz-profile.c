/*
 * fuzz-profile.c -- libFuzzer harness for the profile parser
 * (DIR/smadm.conf, backend/profile.h).
 *
 * Parse; an accepted profile is written back with profile_format(), which
 * must parse again and format to the same text (a profile survives being
 * saved and read back).  A refused one must say why.
 *
 *	make fuzz && tests/fuzz/fuzz-profile -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/profile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct profile	*p, *q;
	struct buf	 out = BUF_INIT, again = BUF_INIT;
	char		*cause = NULL;

	p = profile_parse((const char *)data, len, "/srv/fuzz", "smadm.conf",
	    &cause);
	if (p == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
		return 0;
	}
	profile_format(p, &out);
	q = profile_parse(out.data, out.len, "/srv/fuzz", "smadm.conf",
	    &cause);
	if (q == NULL)
		abort();
	profile_format(q, &again);
	if (again.len != out.len || memcmp(again.data, out.data, out.len) != 0)
		abort();
	profile_free(q);
	profile_free(p);
	buf_release(&out);
	buf_release(&again);
	return 0;
}
