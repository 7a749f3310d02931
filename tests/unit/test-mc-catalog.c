/*
 * test-mc-catalog.c -- the define <-> option catalog from the real
 * proto.m4 and cf.README, and the line diff.
 */
#include <sys/wait.h>

#include <stdlib.h>
#include <unistd.h>

#include "../../backend/diff.h"
#include "../../backend/mc-catalog.h"
#include "test.h"

static int
slurp(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	return 0;
}

/* cf.README.gz gunzipped through the same route the catalog takes. */
static struct mc_catalog *
catalog(void)
{
	struct mc_catalog	*cat = mc_catalog_create();
	struct transport	*t = transport_local_create();
	struct run_result	 rr;
	struct buf		 b = BUF_INIT;
	struct strv		 feats = STRV_INIT;
	const char		*argv[] = { "/bin/gzip", "-dc", NULL, NULL };
	char			*cause = NULL, *readme;

	CHECK(slurp(test_fixture("mc/proto.m4"), &b) == 0);
	mc_catalog_add_proto(cat, b.data, b.len);
	readme = xstrdup(test_fixture("mc/cf.README.gz"));
	argv[2] = readme;
	run_result_init(&rr);
	CHECK(transport_run(t, argv, NULL, &rr, &cause) == 0 &&
	    rr.status == 0);
	mc_catalog_add_readme(cat, rr.out.data, rr.out.len);
	run_result_release(&rr);
	strv_push(&feats, "smrsh.m4");
	strv_push(&feats, "nullclient.m4");
	strv_push(&feats, "mailertable.m4");
	strv_push(&feats, "README");
	mc_catalog_add_features(cat, &feats);
	strv_release(&feats);
	free(readme);
	buf_release(&b);
	transport_free(t);
	return cat;
}

TEST(catalog_option_mapping)
{
	struct mc_catalog		*cat = catalog();
	const struct mc_catalog_entry	*e;

	e = mc_catalog_find(cat, "PrivacyOptions");
	CHECK_STR(e ? e->define : NULL, "confPRIVACY_FLAGS");
	e = mc_catalog_find(cat, "privacyoptions");
	CHECK_STR(e ? e->define : NULL, "confPRIVACY_FLAGS");
	e = mc_catalog_find(cat, "confPRIVACY_FLAGS");
	CHECK_STR(e ? e->option : NULL, "PrivacyOptions");
	CHECK(e != NULL && e->desc != NULL &&
	    strstr(e->desc, "Privacy flags") != NULL);
	CHECK_STR(e ? e->defval : NULL, "authwarnings");
	e = mc_catalog_find(cat, "LogLevel");
	CHECK_STR(e ? e->define : NULL, "confLOG_LEVEL");
	/* proto.m4's default wins over cf.README's "[9]". */
	CHECK_STR(e ? e->defval : NULL, "10");
	e = mc_catalog_find(cat, "confSMTP_LOGIN_MSG");
	CHECK_STR(e ? e->option : NULL, "SmtpGreetingMessage");
	e = mc_catalog_find(cat, "Timeout.queuereturn.non-urgent");
	CHECK_STR(e ? e->define : NULL, "confTO_QUEUERETURN_NONURGENT");
	/* Macros and mailer defines come from cf.README only. */
	e = mc_catalog_find(cat, "confMAILER_NAME");
	CHECK_STR(e ? e->option : NULL, "$n macro");
	CHECK(e != NULL && e->desc != NULL &&
	    strstr(e->desc, "The sender name used for internally") != NULL);
	e = mc_catalog_find(cat, "confSHARED_MEMORY_KEY_FILE");
	CHECK_STR(e ? e->option : NULL, "SharedMemoryKeyFile");
	e = mc_catalog_find(cat, "SMTP_MAILER_ARGS");
	CHECK_STR(e ? e->defval : NULL, "TCP $h");
	CHECK(mc_catalog_find(cat, "NoSuchOption") == NULL);
	mc_catalog_free(cat);
}

TEST(catalog_features_and_suggest)
{
	struct mc_catalog	*cat = catalog();
	struct strv		 s = STRV_INIT;

	CHECK(mc_catalog_has_feature(cat, "smrsh"));
	CHECK(!mc_catalog_has_feature(cat, "README"));
	CHECK(!mc_catalog_has_feature(cat, "smrsh.m4"));
	CHECK(cat->features.n == 3);
	mc_catalog_suggest(cat, "PrivacyOption", 0, &s, 5);
	CHECK(s.n > 0 && strcmp(s.v[0], "PrivacyOptions") == 0);
	strv_release(&s);
	mc_catalog_suggest(cat, "confLOG_LEVL", 0, &s, 5);
	CHECK(s.n > 0 && strcmp(s.v[0], "confLOG_LEVEL") == 0);
	strv_release(&s);
	mc_catalog_suggest(cat, "mailertabel", 1, &s, 5);
	CHECK(s.n == 1 && strcmp(s.v[0], "mailertable") == 0);
	strv_release(&s);
	mc_catalog_free(cat);
}

TEST(diff_unified_basic)
{
	const char	*a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
	const char	*b = "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n";
	struct buf	 out = BUF_INIT;
	size_t		 n;

	n = diff_unified(a, strlen(a), b, strlen(b), "a", "b", 1, NULL, &out);
	CHECK(n == 3);
	CHECK_STR(out.data, "--- a\n+++ b\n"
	    "@@ -3,3 +3,3 @@\n 3\n-4\n+four\n 5\n"
	    "@@ -10 +10,2 @@\n 10\n+11\n");
	buf_reset(&out);
	CHECK(diff_unified(a, strlen(a), a, strlen(a), "a", "b", 3, NULL,
	    &out) == 0);
	CHECK_STR(out.data, "");
	/* Everything new. */
	n = diff_unified("", 0, "x\ny", 3, "a", "b", 3, NULL, &out);
	CHECK(n == 2);
	CHECK_STR(out.data, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n"
	    "\\ No newline at end of file\n");
	buf_release(&out);
}

TEST(diff_ignores_cf_stamp)
{
	const char	*a = "#####\n##### built by root@vm on Sun Nov 22\n"
	    "##### in /etc/mail\nO LogLevel=9\n";
	const char	*b = "#####\n##### built by joe@x on Mon Nov 23\n"
	    "##### in /tmp\nO LogLevel=12\n";
	struct buf	 out = BUF_INIT;

	CHECK(diff_unified(a, strlen(a), b, strlen(b), "live", "new", 0,
	    diff_ignore_cf_stamp, &out) == 2);
	CHECK_STR(out.data, "--- live\n+++ new\n@@ -4 +4 @@\n"
	    "-O LogLevel=9\n+O LogLevel=12\n");
	buf_release(&out);
}

TEST(diff_lcs_middle)
{
	const char	*a = "a\nb\nc\nd\ne\n";
	const char	*b = "a\nc\nd\nX\ne\n";
	struct buf	 out = BUF_INIT;

	CHECK(diff_unified(a, strlen(a), b, strlen(b), "a", "b", 3, NULL,
	    &out) == 2);
	CHECK_STR(out.data, "--- a\n+++ b\n@@ -1,5 +1,5 @@\n a\n-b\n c\n d\n"
	    "+X\n e\n");
	buf_release(&out);
}
