/*
 * fuzz-hosts.c -- libFuzzer harness for hostname_hosts_find()
 * (backend/hostname.h), the reading of a hosts file, which is outside
 * text.
 *
 * The input's first line is the host name, the rest the hosts file.  The
 * line found, if any, is within the file and lists the name; the name
 * sendmail would take from it has a dot.
 *
 *	make fuzz && tests/fuzz/fuzz-hosts -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/hostname.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define HOSTS_MAX	8192

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*p = (const char *)data, *nl;
	char		*name, *fqdn;
	size_t		 no, lines = 1, i, lt;

	if (len > HOSTS_MAX)
		len = HOSTS_MAX;
	if ((nl = memchr(p, '\n', len)) == NULL)
		return 0;
	name = strndup(p, (size_t)(nl - p));
	if (name == NULL || strlen(name) != (size_t)(nl - p) ||
	    name[0] == '\0' || strpbrk(name, " \t\r#") != NULL) {
		free(name);
		return 0;
	}
	p = nl + 1;
	lt = len - (size_t)(p - (const char *)data);
	for (i = 0; i < lt; i++)
		if (p[i] == '\n')
			lines++;
	no = hostname_hosts_find(p, lt, name, &fqdn);
	if (no > lines)
		abort();
	if (fqdn != NULL && (no == 0 || strchr(fqdn, '.') == NULL))
		abort();
	free(fqdn);
	free(name);
	return 0;
}
