/*
 * fuzz-apply-profile.c -- libFuzzer harness for apply's profile check
 * (backend/apply-profile.c): a smadm.conf, a generated cf and a live cf,
 * separated by NUL bytes.
 *
 * The check must give one smadm.conf key and value per mismatch, each
 * mismatch a refusal or a warning; the smadm.conf text that records them
 * keeps every line it does not set, and says each key once per line set.
 *
 *	make fuzz && tests/fuzz/fuzz-apply-profile -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/apply.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The next part of the input, up to a NUL or the end. */
static const char *
part(const char **p, const char *end, size_t *len)
{
	const char	*s = *p, *z;

	if (s >= end) {
		*len = 0;
		return NULL;
	}
	z = memchr(s, '\0', (size_t)(end - s));
	if (z == NULL)
		z = end;
	*len = (size_t)(z - s);
	*p = z < end ? z + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char			*p = (const char *)data, *end = p + len;
	const char			*conf, *cf, *live;
	size_t				 nconf, ncf, nlive, i;
	struct profile			*prof, *again;
	struct apply_profile_diff	 d;
	struct buf			 out = BUF_INIT;
	char				*cause = NULL;

	conf = part(&p, end, &nconf);
	cf = part(&p, end, &ncf);
	live = part(&p, end, &nlive);
	if (conf == NULL || cf == NULL)
		return 0;
	prof = profile_parse(conf, nconf, "/srv/fuzz", "smadm.conf", &cause);
	if (prof == NULL) {
		free(cause);
		return 0;
	}
	apply_profile_diff_init(&d);
	apply_profile_check(prof, live, nlive, cf, ncf, NULL, NULL, &d);
	if (d.keys.n != d.values.n || d.keys.n != d.refuse.n + d.warn.n)
		abort();
	apply_profile_conf_text(conf, nconf, &d.keys, &d.values, &out);
	if (d.keys.n == 0 && nconf > 0 && memchr(conf, '\0', nconf) == NULL &&
	    conf[nconf - 1] == '\n' &&
	    (out.len != nconf || memcmp(out.data, conf, nconf) != 0))
		abort();
	/* What apply would write is read back, or refused with a reason. */
	again = profile_parse(out.data, out.len, "/srv/fuzz", "smadm.conf",
	    &cause);
	if (again == NULL) {
		if (cause == NULL || *cause == '\0')
			abort();
		free(cause);
	} else
		profile_free(again);
	for (i = 0; i < d.keys.n; i++)
		if (strcmp(d.keys.v[i], "queue_dirs") != 0 &&
		    strcmp(d.keys.v[i], "pid_file") != 0 &&
		    strcmp(d.keys.v[i], "listen") != 0)
			abort();
	apply_profile_diff_release(&d);
	profile_free(prof);
	buf_release(&out);
	return 0;
}
