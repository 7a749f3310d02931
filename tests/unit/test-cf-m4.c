/*
 * test-cf-m4.c -- m4's stderr sorted into errors and warnings, the mc
 * that includes cf.m4 itself found, and cf_generate with the real m4 and
 * cf macros on the mcs of tests/fixtures/mc/wild.
 */
#include <stdlib.h>

#include "../../backend/cf-m4.h"
#include "../../config.h"
#include "test.h"

#define B "{smadm t\n"
#define E "\n}smadm t\n"

static void
sort(const char *err, struct buf *errors, struct buf *warnings)
{
	buf_reset(errors);
	buf_reset(warnings);
	cf_m4_sort(err, "/usr/bin/m4", "t", "/usr/share/sendmail/cf", errors,
	    warnings);
}

TEST(cf_m4_sort_messages)
{
	struct buf	e = BUF_INIT, w = BUF_INIT;

	/* 8.17's blacklist_recipients and an obsolete define: warnings. */
	sort(B "WARNING: FEATURE(blacklist_recipients) is deprecated; use "
	    "FEATURE(blocklist_recipients.m4).\n" E
	    B "*** confDEF_GROUP_ID is obsolete.\n    Use confDEF_USER_ID "
	    "with a colon in the value instead.\n" E, &e, &w);
	CHECK_STR(e.data, "");
	CHECK_STR(w.data, "WARNING: FEATURE(blacklist_recipients) is "
	    "deprecated; use FEATURE(blocklist_recipients.m4).; *** "
	    "confDEF_GROUP_ID is obsolete. Use confDEF_USER_ID with a colon "
	    "in the value instead.");
	/* The LDAP warning: a blank line first, its second line at column 0. */
	sort(B "\nWARNING: Using default FEATURE(ldap_routing) map "
	    "definition(s)\nwithout setting confLDAP_DEFAULT_SPEC option.\n" E,
	    &e, &w);
	CHECK_STR(e.data, "");
	CHECK(strstr(w.data, "definition(s) without setting") != NULL);
	/* An error without a newline, then a warning: two messages. */
	sort(B "*** ERROR: You have not specified a valid operating system "
	    "type." E B "\tUse the OSTYPE macro." E
	    B "*** WARNING: FEATURE(`promiscuous_relay') configures your "
	    "system as open\n\trelay.\n" E, &e, &w);
	CHECK_STR(e.data, "*** ERROR: You have not specified a valid "
	    "operating system type. Use the OSTYPE macro.");
	CHECK_STR(w.data, "*** WARNING: FEATURE(`promiscuous_relay') "
	    "configures your system as open relay.");
	/* Ordering complaints and argument errors refuse. */
	sort(B "*** FEATURE(smrsh) must occur before MAILER(local)\n" E
	    B "Feature \"nullclient\" requires argument" E, &e, &w);
	CHECK_STR(e.data, "*** FEATURE(smrsh) must occur before MAILER(local)"
	    "; Feature \"nullclient\" requires argument");
	CHECK_STR(w.data, "");
	/* Text outside the markers (not the cf macros') is an error. */
	sort("{smadm other\nWARNING: forged\n}smadm other\n", &e, &w);
	CHECK(strstr(e.data, "WARNING: forged") != NULL);
	CHECK_STR(w.data, "");
	/* A message cut short by m4exit is an error. */
	sort(B "WARNING: half", &e, &w);
	CHECK_STR(e.data, "WARNING: half");
	buf_release(&e);
	buf_release(&w);
}

TEST(cf_m4_sort_m4_lines)
{
	struct buf	e = BUF_INIT, w = BUF_INIT;

	sort("/usr/bin/m4:/etc/mail/sendmail.mc:3: Warning: excess arguments "
	    "to builtin `define' ignored\n", &e, &w);
	CHECK_STR(e.data, "");
	CHECK_STR(w.data, "/etc/mail/sendmail.mc:3: Warning: excess arguments "
	    "to builtin `define' ignored");
	sort("m4:sendmail.mc:2: divide by zero in eval: 1/0\n", &e, &w);
	CHECK_STR(e.data, "sendmail.mc:2: divide by zero in eval: 1/0");
	/* A program name and nothing after it is still said. */
	sort("m4: \n", &e, &w);
	CHECK_STR(e.data, "m4:");
	/* changequote in the mc turns the prelude's macros on themselves. */
	sort("m4: stack overflow\n", &e, &w);
	CHECK(strncmp(e.data, "stack overflow (a macro that expands to "
	    "itself", 39) == 0);
	sort("/usr/bin/m4:sendmail.mc:9: ERROR: end of file in string\n",
	    &e, &w);
	CHECK(strncmp(e.data, "sendmail.mc:9: ERROR: end of file in string "
	    "(a ` that no ' closes", 60) == 0);
	sort("/usr/bin/m4:/etc/mail/sendmail.mc:97: cannot open "
	    "`/etc/mail/m4/dialup.m4': No such file or directory\n", &e, &w);
	CHECK_STR(e.data, "/etc/mail/sendmail.mc:97: the included file "
	    "/etc/mail/m4/dialup.m4 does not exist: Debian's sendmail-base "
	    "writes it (run sendmailconfig, or /usr/share/sendmail/dynamic); "
	    "an empty file will do");
	sort("/usr/bin/m4:x.mc:1: cannot open `/usr/share/sendmail/cf/ostype/"
	    "redhat.m4': No such file or directory\n", &e, &w);
	CHECK(strstr(e.data, "OSTYPE(`redhat') is not one of the cf macros "
	    "in /usr/share/sendmail/cf/ostype/") != NULL);
	sort("/usr/bin/m4:x.mc:4: cannot open `/usr/share/sendmail-cf/hack/"
	    "x.m4': Permission denied\n", &e, &w);
	CHECK(strstr(e.data, "cannot be read (Permission denied): that is "
	    "where RHEL and Fedora's package sendmail-cf keeps the cf macros; "
	    "this host's are in /usr/share/sendmail/cf: include "
	    "/usr/share/sendmail/cf/hack/x.m4 instead") != NULL);
	/* OpenBSD's package keeps the macros under /usr/local. */
	sort("/usr/bin/m4:x.mc:2: cannot open `/usr/local/share/sendmail/"
	    "m4/cf.m4': No such file or directory\n", &e, &w);
	CHECK(strstr(e.data, "does not exist: that is where OpenBSD's "
	    "sendmail package (pkg_add sendmail) keeps the cf macros; this "
	    "host's are in /usr/share/sendmail/cf: include "
	    "/usr/share/sendmail/cf/m4/cf.m4 instead") != NULL);
	/* The prelude's own refusals come without markers: errors. */
	sort("*** ERROR: smadm: include(/etc/passwd) refused: only files\n",
	    &e, &w);
	CHECK_STR(e.data, "*** ERROR: smadm: include(/etc/passwd) refused: "
	    "only files");
	buf_release(&e);
	buf_release(&w);
}

static char *
self(const char *text, size_t *line)
{
	*line = 0;
	return cf_m4_self_include(text, strlen(text), line);
}

TEST(cf_m4_self_include_finds)
{
	struct buf	 b = BUF_INIT;
	char		*p;
	size_t		 line;

	test_read_fixture("mc/wild/self-include.mc", &b);
	p = cf_m4_self_include(b.data, b.len, &line);
	CHECK_STR(p, "CFDIR/m4/cf.m4");
	CHECK(line == 11);
	free(p);
	test_read_fixture("mc/wild/rhel-include.mc", &b);
	p = cf_m4_self_include(b.data, b.len, &line);
	CHECK_STR(p, "/usr/share/sendmail-cf/m4/cf.m4");
	CHECK(line == 6);
	free(p);
	test_read_fixture("mc/debian-sendmail.mc", &b);
	p = cf_m4_self_include(b.data, b.len, &line);
	CHECK_STR(p, "/usr/share/sendmail/cf/m4/cf.m4");
	free(p);
	test_read_fixture("mc/wild/deprecated-feature.mc", &b);
	CHECK(cf_m4_self_include(b.data, b.len, &line) == NULL);
	/* Comments, dnl, other words, other files: no. */
	CHECK(self("# include(`/x/m4/cf.m4')\n", &line) == NULL);
	CHECK(self("dnl include(`/x/m4/cf.m4')\n", &line) == NULL);
	CHECK(self("myinclude(`/x/m4/cf.m4')\n", &line) == NULL);
	CHECK(self("include(`/x/m4/notcf.m4')\n", &line) == NULL);
	CHECK(self("include(`/x/m4/cf.m4.orig')\n", &line) == NULL);
	CHECK(self("include\n(`/x/m4/cf.m4')\n", &line) == NULL);
	/* A # inside quotes is no comment; an ifdef's arm counts. */
	p = self("define(`x', `#')include(`/x/m4/cf.m4')\n", &line);
	CHECK_STR(p, "/x/m4/cf.m4");
	free(p);
	p = self("\n\nifdef(`X', `sinclude(`../m4/cf.m4')')\n", &line);
	CHECK_STR(p, "../m4/cf.m4");
	CHECK(line == 3);
	free(p);
	p = self("include(cf.m4)", &line);
	CHECK_STR(p, "cf.m4");
	free(p);
	/* Cut short, unbalanced: no crash, no find. */
	CHECK(self("include(`/x/m4/cf.m4", &line) == NULL);
	CHECK(self("`include(", &line) == NULL);
	buf_release(&b);
}

/* A fixture as an mc in the test's directory, CFDIR filled in. */
static char *
put_mc(const char *fixture)
{
	struct buf	 b = BUF_INIT, out = BUF_INIT;
	const char	*p, *q;
	char		*path;
	FILE		*f;

	test_read_fixture(fixture, &b);
	for (p = b.data; (q = strstr(p, "CFDIR")) != NULL; p = q + 5) {
		buf_add(&out, p, (size_t)(q - p));
		buf_addstr(&out, SENDMAIL_CF_DIR);
	}
	buf_addstr(&out, p);
	path = xasprintf("%s/sendmail.mc", test_tmpdir());
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs(out.data, f);
		fclose(f);
	}
	buf_release(&b);
	buf_release(&out);
	return path;
}

TEST(cf_generate_warnings_and_self_include)
{
	struct transport	*t = transport_local_create();
	struct buf		 cf = BUF_INIT, w = BUF_INIT;
	char			*mc, *cause = NULL;

	mc = put_mc("mc/wild/deprecated-feature.mc");
	CHECK(cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &cf, &w,
	    &cause) == 0);
	CHECK(cause == NULL);
	CHECK(strstr(w.data, "FEATURE(blacklist_recipients) is deprecated") !=
	    NULL);
	CHECK(strstr(cf.data, "\nKaccess ") != NULL);
	free(mc);
	buf_reset(&cf);
	buf_reset(&w);
	mc = put_mc("mc/wild/self-include.mc");
	CHECK(cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &cf, &w,
	    &cause) == 0);
	CHECK(cause == NULL);
	CHECK_STR(w.data, "");
	CHECK(strncmp(cf.data, "#\n#  Local copy", 15) == 0);
	free(mc);
	free(cause);
	cause = NULL;
	mc = put_mc("mc/wild/rhel-include.mc");
	CHECK(cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &cf, &w,
	    &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "sendmail.mc:6: the mc includes "
	    "/usr/share/sendmail-cf/m4/cf.m4") != NULL);
	free(cause);
	free(mc);
	buf_release(&cf);
	buf_release(&w);
	transport_free(t);
}

TEST(cf_m4_value_asks_m4)
{
	struct transport	*t = transport_local_create();
	struct buf		 cf = BUF_INIT;
	char			*mc, *v = NULL, *cause = NULL;

	mc = put_mc("mc/wild/conditional-defines.mc");
	CHECK(cf_m4_value(t, PATH_M4, SENDMAIL_CF_DIR, mc, "confMAX_HOP", &v,
	    &cause) == 0);
	CHECK_STR(v, "20");
	free(v);
	CHECK(cf_m4_value(t, PATH_M4, SENDMAIL_CF_DIR, mc, "confTO_QUEUEWARN",
	    &v, &cause) == 0);
	CHECK_STR(v, "2h");
	free(v);
	/* m4 removes the second quotes when the cf macros read it. */
	CHECK(cf_m4_value(t, PATH_M4, SENDMAIL_CF_DIR, mc, "confDEF_USER_ID",
	    &v, &cause) == 0);
	CHECK_STR(v, "8:12");
	free(v);
	/* proto.m4's defaults come after: not the mc's. */
	CHECK(cf_m4_value(t, PATH_M4, SENDMAIL_CF_DIR, mc, "confSMTP_MAILER",
	    &v, &cause) == 0);
	CHECK(v == NULL);
	/* What the cf gets agrees. */
	CHECK(cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &cf, NULL,
	    &cause) == 0);
	CHECK(strstr(cf.data, "\nO MaxHopCount=20\n") != NULL);
	CHECK(strstr(cf.data, "\nO DefaultUser=8:12\n") != NULL);
	CHECK(strstr(cf.data, "Text here") == NULL);
	CHECK(cf_m4_value(t, PATH_M4, SENDMAIL_CF_DIR, mc, "x')syscmd(`id",
	    &v, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "not a name") != NULL);
	free(cause);
	cause = NULL;
	free(mc);
	/* An mc that includes cf.m4 itself. */
	mc = put_mc("mc/wild/self-include.mc");
	CHECK(cf_m4_value(t, PATH_M4, SENDMAIL_CF_DIR, mc, "confTO_IDENT", &v,
	    &cause) == 0);
	CHECK_STR(v, "0");
	free(v);
	free(mc);
	free(cause);
	buf_release(&cf);
	transport_free(t);
}
