/*
 * test-audit.c -- the audit's parsers: sendmail.cf files built by the real
 * m4 (tests/fixtures/audit: Debian 12's installed cf, and cfs built from
 * a minimal mc with FEATURE(promiscuous_relay) and FEATURE(smrsh)),
 * PrivacyOptions, DaemonPortOptions, access keys and versions.
 */
#include <stdlib.h>

#include "../../backend/audit.h"
#include "test.h"

static void
load_cf(const char *name, struct audit_cf *cf)
{
	struct buf	b = BUF_INIT;

	test_read_fixture(name, &b);
	audit_cf_parse(cf, b.data, b.len);
	buf_release(&b);
}

TEST(audit_cf_debian)
{
	struct audit_cf			 cf;
	struct strv			 v = STRV_INIT;
	const struct audit_mailer	*m;

	load_cf("audit/debian.cf", &cf);
	CHECK_STR(audit_cf_option(&cf, "PrivacyOptions"),
	    "needmailhelo,needexpnhelo,needvrfyhelo,restrictqrun,"
	    "restrictexpand,nobodyreturn,authwarnings");
	/* Option names are case-insensitive; commented ones do not count. */
	CHECK_STR(audit_cf_option(&cf, "privacyoptions"),
	    audit_cf_option(&cf, "PrivacyOptions"));
	CHECK(audit_cf_option(&cf, "RunAsUser") == NULL);
	CHECK_STR(audit_cf_option(&cf, "DefaultUser"), "mail:mail");
	CHECK_STR(audit_cf_option(&cf, "TrustedUser"), "smmta");
	CHECK_STR(audit_cf_option(&cf, "SafeFileEnvironment"), "/");
	audit_cf_options(&cf, "DaemonPortOptions", &v);
	CHECK(v.n == 2);
	if (v.n == 2)
		CHECK_STR(v.v[1], "Family=inet,  Name=MSP-v4, Port=submission, "
		    "M=Ea, Addr=127.0.0.1");
	strv_release(&v);
	CHECK_STR(audit_cf_macro(&cf, "Z"), "8.17.1.9/Debian-2+deb12u2");
	/* The prog mailer spans three lines; A= runs to its end. */
	m = audit_cf_mailer(&cf, "prog");
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK_STR(m->path, "/bin/sh");
		CHECK_STR(m->args, "sh -c $u");
		CHECK_STR(m->flags, "lsDFMoqeu9");
	}
	CHECK(audit_cf_mailer(&cf, "local") != NULL);
	CHECK(audit_cf_mailer(&cf, "nosuch") == NULL);
	CHECK(cf.relaying_denied);
	CHECK(!audit_cf_has_m4(&cf, "promiscuous_relay"));
	CHECK(audit_cf_has_m4(&cf, "debian"));
	CHECK(audit_cf_has_m4(&cf, "proto"));
	/* "#Ft/etc/mail/trusted-users" is commented out: no class file t. */
	CHECK(cf.file_classes.n >= 2);
	audit_cf_class(&cf, "w", &v);
	CHECK(v.n >= 1);
	if (v.n >= 1)
		CHECK_STR(v.v[0], "localhost");
	strv_release(&v);
	audit_cf_release(&cf);
}

TEST(audit_cf_features)
{
	struct audit_cf			 cf;
	struct strv			 t = STRV_INIT;
	const struct audit_mailer	*m;

	load_cf("audit/promiscuous.cf", &cf);
	CHECK(audit_cf_has_m4(&cf, "promiscuous_relay"));
	CHECK(!cf.relaying_denied);
	CHECK_STR(audit_cf_option(&cf, "SmtpGreetingMessage"),
	    "$j Sendmail $v/$Z; $b");
	/* Trusted users from the T lines. */
	audit_cf_class(&cf, "t", &t);
	CHECK(t.n == 3);
	if (t.n == 3)
		CHECK_STR(t.v[0], "root");
	strv_release(&t);
	audit_cf_release(&cf);

	load_cf("audit/smrsh.cf", &cf);
	m = audit_cf_mailer(&cf, "prog");
	CHECK(m != NULL);
	if (m != NULL) {
		CHECK_STR(m->path, "/usr/sbin/smrsh");
		CHECK_STR(m->args, "smrsh -c $u");
	}
	CHECK(audit_cf_has_m4(&cf, "smrsh"));
	CHECK(cf.relaying_denied);
	audit_cf_release(&cf);
}

TEST(audit_cf_odd_text)
{
	struct audit_cf	 cf;
	static const char text[] =
	    "O  LogLevel = 14\r\n"
	    "OLogLevel=3\n"		/* one-letter form: ignored */
	    "# O LogLevel=1\n"
	    "O LogLevel\n"
	    "C{Odd\n"			/* unterminated: ignored */
	    "Mx, P=/bin/true,\n"
	    "\tA=true\n"
	    "K\n"
	    "D\n"
	    "\n"
	    "Mlast";

	audit_cf_parse(&cf, text, sizeof text - 1);
	/* "O LogLevel" with no "=" is the last and wins, empty. */
	CHECK_STR(audit_cf_option(&cf, "LogLevel"), "");
	CHECK(cf.opt_names.n == 2);
	if (cf.opt_names.n == 2) {
		CHECK_STR(cf.opt_names.v[0], "LogLevel");
		CHECK_STR(cf.opt_values.v[0], " 14");
	}
	CHECK(cf.class_names.n == 0);
	CHECK(cf.nmailers == 2);
	CHECK(audit_cf_mailer(&cf, "x") != NULL);
	if (audit_cf_mailer(&cf, "x") != NULL) {
		CHECK_STR(audit_cf_mailer(&cf, "x")->path, "/bin/true");
		CHECK_STR(audit_cf_mailer(&cf, "x")->args, "true");
	}
	CHECK(audit_cf_mailer(&cf, "last") != NULL);
	CHECK(cf.map_names.n == 0);
	audit_cf_release(&cf);
	audit_cf_parse(&cf, "", 0);
	CHECK(cf.nmailers == 0 && cf.opt_names.n == 0);
	audit_cf_release(&cf);
}

TEST(audit_privacy)
{
	struct strv	 unknown = STRV_INIT;
	int		 b;

	CHECK(audit_privacy_parse(NULL, NULL) == 0);
	CHECK(audit_privacy_parse("public", NULL) == 0);
	b = audit_privacy_parse("goaway", NULL);
	CHECK(b & PRIV_GOAWAY);
	CHECK((b & (PRIV_AUTHWARNINGS | PRIV_NOEXPN | PRIV_NOVRFY |
	    PRIV_NEEDMAILHELO | PRIV_NORECEIPTS)) == (PRIV_AUTHWARNINGS |
	    PRIV_NOEXPN | PRIV_NOVRFY | PRIV_NEEDMAILHELO | PRIV_NORECEIPTS));
	CHECK((b & (PRIV_RESTRICTMAILQ | PRIV_RESTRICTQRUN)) == 0);
	b = audit_privacy_parse("authwarnings, NoExpn,novrfy restrictqrun,x",
	    &unknown);
	CHECK(b == (PRIV_AUTHWARNINGS | PRIV_NOEXPN | PRIV_NOVRFY |
	    PRIV_RESTRICTQRUN));
	CHECK(unknown.n == 1 && strcmp(unknown.v[0], "x") == 0);
	strv_release(&unknown);
}

TEST(audit_daemon_addr)
{
	char	*a, *fam;

	a = audit_daemon_addr("Family=inet,  Name=MTA-v4, Port=smtp, "
	    "Addr=127.0.0.1", &fam);
	CHECK_STR(a, "127.0.0.1");
	CHECK_STR(fam, "inet");
	CHECK(util_is_loopback(a));
	free(a);
	free(fam);
	a = audit_daemon_addr("Name=MTA", &fam);
	CHECK(a == NULL);
	free(fam);
	a = audit_daemon_addr("Port=25, A=0.0.0.0", &fam);
	CHECK(a == NULL);
	free(fam);
	a = audit_daemon_addr("Family=inet6, Addr=::1", &fam);
	CHECK_STR(a, "::1");
	CHECK_STR(fam, "inet6");
	CHECK(util_is_loopback(a));
	free(a);
	free(fam);
	a = audit_daemon_addr("Addr=192.0.2.7", &fam);
	CHECK(!util_is_loopback(a));
	free(a);
	free(fam);
}

TEST(audit_access_keys)
{
	const char	*why;

	CHECK(audit_access_broad("", &why) && why != NULL);
	CHECK(audit_access_broad("Connect:", &why));
	CHECK(audit_access_broad("To:", &why));
	CHECK(audit_access_broad("Connect:10", &why));
	CHECK(audit_access_broad("10", &why));
	CHECK(audit_access_broad("IPv6:2001:db8", &why));
	CHECK(audit_access_broad("Connect:IPv6:2001", &why));
	CHECK(!audit_access_broad("Connect:10.1", &why));
	CHECK(!audit_access_broad("Connect:127.0.0.1", &why));
	CHECK(!audit_access_broad("Connect:localhost", &why));
	CHECK(!audit_access_broad("IPv6:2001:db8:1:2", &why));
	CHECK(!audit_access_broad("IPv6:2001::1", &why));
	CHECK(!audit_access_broad("From:", &why));
	CHECK(!audit_access_broad("example.com", &why));
	CHECK(!audit_access_broad("1234", &why));
	/* IPv6 alone, and every IPv4-mapped client (sendmail -bt). */
	CHECK(audit_access_broad("Connect:IPv6", &why));
	CHECK(audit_access_broad("IPv6", &why));
	CHECK(audit_access_broad("Connect:IPv6:::ffff", &why));
	CHECK(strstr(why, "IPv4-mapped") != NULL);
	CHECK(audit_access_broad("IPv6:::FFFF", &why));
	CHECK(audit_access_broad("Connect:IPv6:::ffff:10", &why));
	CHECK(!audit_access_broad("Connect:IPv6:::ffff:10.1", &why));
	CHECK(!audit_access_broad("Connect:IPv6:::ffff:127", &why));
	CHECK(!audit_access_broad("Connect:IPv6:::ffff:192.0.2.7", &why));
	CHECK(!audit_access_broad("Connect:IPv6:::1", &why));
	CHECK(!audit_access_broad("Connect:IPv6.example.org", &why));
}

/* Debian's stock access map relays for the host itself, and no one else. */
TEST(audit_access_loopback_is_not_broad)
{
	static const char *const self[] = { "Connect:127", "127",
	    "Connect:127.0.0.1", "Connect:127.0", "IPv6:::1",
	    "Connect:IPv6:::1", "localhost", "Connect:localhost.localdomain",
	    "CONNECT:LOCALHOST", "IPv6:0:0:0:0:0:0:0:1" };
	static const char *const world[] = { "Connect:10", "Connect:0", "0",
	    "Connect:1", "Connect:12", "Connect:128" };
	static const char *const other[] = { "Connect:1270", "Connect:127x",
	    "127.evil.example", "To:127", "Connect:10.127", "Spam:127",
	    "localhost.example.com", "Connect:IPv6:::2" };
	const char	*why;
	size_t		 i;

	for (i = 0; i < nitems(self); i++) {
		CHECK(audit_access_loopback(self[i]));
		CHECK(!audit_access_broad(self[i], &why));
	}
	for (i = 0; i < nitems(world); i++) {
		CHECK(!audit_access_loopback(world[i]));
		CHECK(audit_access_broad(world[i], &why));
	}
	for (i = 0; i < nitems(other); i++)
		CHECK(!audit_access_loopback(other[i]));
}

TEST(audit_versions)
{
	CHECK(audit_version_cmp("8.17.1.9", "8.18.1") < 0);
	CHECK(audit_version_cmp("8.18.1", "8.18.1") == 0);
	CHECK(audit_version_cmp("8.18.1.0", "8.18.1") == 0);
	CHECK(audit_version_cmp("8.12.11", "8.12.10") > 0);
	CHECK(audit_version_cmp("8.9", "8.12.10") < 0);
	CHECK(audit_version_cmp("8.14.4/Debian", "8.14.4") == 0);
	CHECK(audit_version_cmp("", "8.1") < 0);
	CHECK(audit_version_cmp("x.y", "0") == 0);
}

/* The version finding added apart from the run (the dashboard's way). */
TEST(audit_version_add)
{
	struct audit		*a;
	const struct audit_finding *f;

	a = xcalloc(1, sizeof *a);
	audit_version_add(a, 0, "8.18.1");
	CHECK(a->n == 0);
	CHECK(a->version != NULL && strcmp(a->version, "8.18.1") == 0);
	audit_version_add(a, AUDIT_ALL, "8.18.1");
	CHECK(a->n == 1 && a->v[0].passed);
	audit_free(a);

	a = xcalloc(1, sizeof *a);
	audit_version_add(a, 0, "8.13.1");
	CHECK(a->n == 1);
	f = audit_find(a, "version");
	CHECK(f != NULL && !f->passed && f->severity == AUDIT_HIGH);
	CHECK(audit_count(a, AUDIT_HIGH) == 1);
	CHECK(strcmp(a->version, "8.13.1") == 0);
	audit_free(a);
}
