/*
 * fuzz-cf-m4.c -- libFuzzer harness for what smadm reads of m4's stderr
 * and of an mc before m4 runs (backend/cf-m4-said.c): cf_m4_sort and
 * cf_m4_self_include over the same bytes.
 *
 * cf_m4_self_include must return NULL or a one-line path ending in
 * "cf.m4" at a path boundary; cf_m4_sort must file nothing under
 * warnings when the input has neither a marker line of the run's tag nor
 * m4's "Warning:", and must report an input with a non-blank line and no
 * marker at all as at least one error.
 *
 *	make fuzz && tests/fuzz/fuzz-cf-m4 -max_total_time=30
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/cf-m4.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every line that is not blank is m4's -di trace, which sort skips. */
static int
only_trace(const char *text)
{
	const char	*p = text, *nl;
	size_t		 i, n;
	int		 blank;

	for (;;) {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		while (n > 0 && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		for (blank = 1, i = 0; i < n; i++)
			if (!isspace((unsigned char)p[i]))
				blank = 0;
		if (!blank && (n < 9 || strncmp(p, "m4debug: ", 9) != 0))
			return 0;
		if (nl == NULL)
			return 1;
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 errors = BUF_INIT, warnings = BUF_INIT;
	char		*text, *p;
	size_t		 line = 0, n, i;
	int		 marker, blank = 1;

	p = cf_m4_self_include((const char *)data, size, &line);
	if (p != NULL) {
		n = strlen(p);
		if (n < 5 || strcmp(p + n - 5, "cf.m4") != 0 ||
		    (n > 5 && p[n - 6] != '/') || strchr(p, '\n') != NULL ||
		    line == 0)
			abort();
		free(p);
	}

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	cf_m4_sort(text, "/usr/bin/m4", "t", "/usr/share/sendmail/cf",
	    &errors, &warnings);
	marker = strstr(text, "{smadm t") != NULL ||
	    strstr(text, "}smadm t") != NULL;
	if (!marker && strstr(text, "Warning: ") == NULL && warnings.len != 0)
		abort();
	for (i = 0; i < size && text[i] != '\0'; i++)
		if (!isspace((unsigned char)text[i]))
			blank = 0;
	if (!marker && !blank && !only_trace(text) && errors.len == 0 &&
	    warnings.len == 0)
		abort();
	free(text);
	buf_release(&errors);
	buf_release(&warnings);
	return 0;
}
