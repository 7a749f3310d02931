/*
 * fuzz-rcconf.c -- libFuzzer harness for rcconf_get() (backend/rcconf.h),
 * the reading of os-release, rc.conf and rc.conf.local, which are outside
 * text (over SSH, the managed host's).
 *
 * The input's first line is the variable's name, the rest the file; both
 * ways of reading (sh's words, OpenBSD's whole line) run.  A value found
 * never holds a newline and is never longer than the file.
 *
 *	make fuzz && tests/fuzz/fuzz-rcconf -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/rcconf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define RCCONF_MAX	16384

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*p = (const char *)data, *nl;
	char		*name, *v;
	size_t		 rest;
	int		 whole;

	if (len > RCCONF_MAX)
		len = RCCONF_MAX;
	if ((nl = memchr(p, '\n', len)) == NULL)
		return 0;
	name = strndup(p, (size_t)(nl - p));
	if (name == NULL)
		return 0;
	rest = len - (size_t)(nl + 1 - p);
	for (whole = 0; whole < 2; whole++) {
		v = rcconf_get(nl + 1, rest, name, whole);
		if (v != NULL && (strchr(v, '\n') != NULL || strlen(v) > rest))
			abort();
		free(v);
	}
	free(name);
	return 0;
}
