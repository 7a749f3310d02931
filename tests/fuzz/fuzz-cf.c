/*
 * fuzz-cf.c -- libFuzzer harness for the audit's sendmail.cf reader and
 * option parsers (backend/audit-cf.c).
 *
 * Parse the input as a cf; every lookup must come back with strings that
 * are NUL-terminated and inside the model; then feed the input, cut at
 * its first NUL, to the PrivacyOptions, DaemonPortOptions, access key and
 * version parsers.  Parsing again must give the same model.
 *
 *	make fuzz && tests/fuzz/fuzz-cf -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/audit.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
same_strv(const struct strv *a, const struct strv *b)
{
	size_t	i;

	if (a->n != b->n)
		abort();
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct audit_cf	 cf, again;
	struct strv	 v = STRV_INIT;
	const char	*why;
	char		*s, *addr, *fam;
	size_t		 i;

	audit_cf_parse(&cf, (const char *)data, len);
	if (cf.opt_names.n != cf.opt_values.n ||
	    cf.class_names.n != cf.class_words.n ||
	    cf.file_classes.n != cf.file_specs.n ||
	    cf.map_names.n != cf.map_specs.n ||
	    cf.macro_names.n != cf.macro_values.n)
		abort();
	for (i = 0; i < cf.opt_names.n; i++)
		if (audit_cf_option(&cf, cf.opt_names.v[i]) == NULL)
			abort();
	for (i = 0; i < cf.nmailers; i++)
		if (audit_cf_mailer(&cf, cf.mailers[i].name) == NULL)
			abort();
	audit_cf_options(&cf, "DaemonPortOptions", &v);
	for (i = 0; i < v.n; i++) {
		addr = audit_daemon_addr(v.v[i], &fam);
		(void)util_is_loopback(addr);
		free(addr);
		free(fam);
	}
	strv_release(&v);
	audit_cf_class(&cf, "t", &v);
	strv_release(&v);
	(void)audit_cf_has_m4(&cf, "promiscuous_relay");
	(void)audit_cf_macro(&cf, "Z");
	audit_cf_parse(&again, (const char *)data, len);
	same_strv(&cf.opt_names, &again.opt_names);
	same_strv(&cf.opt_values, &again.opt_values);
	same_strv(&cf.class_words, &again.class_words);
	same_strv(&cf.m4_files, &again.m4_files);
	if (cf.nmailers != again.nmailers ||
	    cf.relaying_denied != again.relaying_denied)
		abort();
	audit_cf_release(&again);
	audit_cf_release(&cf);

	s = xstrndup((const char *)data, len);
	(void)audit_privacy_parse(s, &v);
	strv_release(&v);
	addr = audit_daemon_addr(s, &fam);
	free(addr);
	free(fam);
	(void)audit_access_broad(s, &why);
	(void)audit_version_cmp(s, "8.18.1");
	(void)audit_version_cmp("8.12.10", s);
	free(s);
	return 0;
}
