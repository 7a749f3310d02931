/*
 * test-mc-value.c -- the mc value checker (backend/mc-value.h) and the m4
 * prelude that disarms m4's dangerous builtins (backend/cf-m4.h), run
 * through the real m4.
 */
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "../../backend/cf-m4.h"
#include "../../backend/mc.h"
#include "../../backend/mc-value.h"
#include "../../config.h"

static int
accepts(const char *define, const char *v)
{
	char	*cause = NULL;
	int	 r = mc_value_check(define, v, NULL, &cause);

	free(cause);
	return r == 0;
}

/* The refusal's text, for checking what it names. */
static char *
refusal(const char *define, const char *v)
{
	char	*cause = NULL;

	if (mc_value_check(define, v, NULL, &cause) == 0)
		return xstrdup("(accepted)");
	return cause;
}

TEST(mc_value_accepts_real_values)
{
	CHECK(accepts("confSMTP_LOGIN_MSG", "$j Sendmail $v/$Z; $b"));
	CHECK(accepts("confSMTP_LOGIN_MSG", "$j ESMTP (no UCE), go ahead"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "Müller's"));
	CHECK(accepts("confSMTP_LOGIN_MSG", "Müller ready"));
	CHECK(accepts("confPRIVACY_FLAGS",
	    "authwarnings,goaway,restrictmailq,restrictqrun"));
	CHECK(accepts("confPRIVACY_FLAGS", "authwarnings noexpn"));
	CHECK(accepts("confMAX_HOP", "25"));
	CHECK(accepts("confTO_QUEUEWARN", "4h"));
	CHECK(accepts("confTO_QUEUEWARN", "1h30m"));
	CHECK(accepts("confMESSAGE_TIMEOUT", "5d/4h"));
	CHECK(accepts("confMIN_FREE_BLOCKS", "100"));
	/* N/N is obsolete: the cf macros refuse it. */
	CHECK(!accepts("confMIN_FREE_BLOCKS", "100/2000"));
	CHECK(accepts("confTEMP_FILE_MODE", "0600"));
	CHECK(accepts("confDEF_USER_ID", "8:12"));
	CHECK(accepts("confDEF_USER_ID", "mailnull"));
	CHECK(accepts("confSAFE_FILE_ENV", "/"));
	CHECK(accepts("confCW_FILE", "-o /etc/mail/local-host-names"));
	CHECK(accepts("confFORWARD_PATH", "$z/.forward.$w:$z/.forward"));
	CHECK(accepts("SMART_HOST", "relay:[192.0.2.1]"));
	CHECK(accepts("SMART_HOST", "esmtp:[mx.example.org]:587"));
	CHECK(accepts("SMART_HOST", "[IPv6:2001:db8::1]"));
	CHECK(accepts("confSEVEN_BIT_INPUT", "False"));
	CHECK(accepts("confMILTER_MACROS_CONNECT",
	    "j, _, {daemon_name}, {if_name}, {if_addr}"));
	CHECK(accepts("confNOT_IN_THE_TABLE", "any words, (here)"));
	/* Words that look like cf macros but are none: OpenSSL flags, the
	 * documented TimeZoneSpec values, a greeting. */
	CHECK(accepts("confSERVER_SSL_OPTIONS",
	    "+SSL_OP_NO_SSLv2 +SSL_OP_CIPHER_SERVER_PREFERENCE"));
	CHECK(accepts("confTIME_ZONE", "USE_TZ"));
	CHECK(accepts("confSMTP_LOGIN_MSG", "$j ACME_MAIL ready"));
	CHECK(accepts("confDOMAIN_NAME", "$w.example.com"));
	CHECK(accepts("SMTP_MAILER_ARGS", "TCP $h 2525"));
	CHECK(accepts("RELAY_MAILER_LL", "990"));
}

TEST(mc_value_number_ranges)
{
	char	*c;

	CHECK(!accepts("confMAX_HOP", "0"));
	CHECK(accepts("confMAX_HOP", "1"));
	CHECK(accepts("confMAX_DAEMON_CHILDREN", "0"));
	CHECK(accepts("ALIAS_FILE", "/etc/mail/aliases"));
	CHECK(accepts("ALIAS_FILE", "hash:/etc/mail/aliases,nis:mail.aliases"));
	CHECK(!accepts("ALIAS_FILE", "aliases"));
	CHECK(!accepts("ALIAS_FILE", "/etc/aliases,,/x"));
	CHECK(accepts("confMAX_HOP", "2147483647"));
	CHECK(!accepts("confMAX_HOP", "2147483648"));
	CHECK(!accepts("confMAX_HOP", "-5"));
	CHECK(!accepts("confMAX_HOP", "99999999999999999999"));
	CHECK(!accepts("confMAX_HOP", "-"));
	CHECK(accepts("SMTP_MAILER_MAX", "1000000"));
	CHECK(!accepts("SMTP_MAILER_MAXRCPTS", "-1"));
	/* Options that mean something by a negative number. */
	CHECK(accepts("confDELIVER_BY_MIN", "-1"));
	CHECK(accepts("confNICE_QUEUE_RUN", "-5"));
	CHECK(!accepts("confNICE_QUEUE_RUN", "-2147483649"));
	/* sendmail reads these two as longs. */
	CHECK(accepts("confMAX_MESSAGE_SIZE", "3000000000"));
	CHECK(accepts("confMAX_MESSAGE_SIZE", "9223372036854775807"));
	CHECK(!accepts("confMAX_MESSAGE_SIZE", "9223372036854775808"));
	CHECK(!accepts("confMAX_MESSAGE_SIZE", "-1"));
	/* Paths from /, but for the few that are relative by design. */
	CHECK(accepts("QUEUE_DIR", "/var/spool/mqueue"));
	CHECK(!accepts("QUEUE_DIR", "5"));
	CHECK(!accepts("confPID_FILE", "run/sendmail.pid"));
	CHECK(accepts("confCW_FILE", "-o /etc/mail/local-host-names"));
	CHECK(!accepts("confCW_FILE", "-o local-host-names"));
	CHECK(accepts("confHOST_STATUS_DIRECTORY", ".hoststat"));
	CHECK(accepts("confFORWARD_PATH", "$z/.forward.$w:$z/.forward"));
	CHECK(accepts("SMTP_MAILER_PATH", "[IPC]"));
	c = refusal("QUEUE_DIR", "5");
	CHECK(c != NULL && strstr(c, "expected an absolute path") != NULL);
	free(c);
	c = refusal("confMAX_HOP", "-5");
	CHECK_STR(c, "confMAX_HOP: expected a whole number from 1 to "
	    "2147483647 (value \"-5\")");
	free(c);
}

TEST(mc_value_mailer_fields)
{
	char	*c;

	/* A comma would start a new field of the M line: P=, F=S... */
	c = refusal("SMTP_MAILER_LL", "990, F=S, P=/tmp/evil");
	CHECK(strstr(c, "SMTP_MAILER_LL") != NULL);
	free(c);
	c = refusal("SMTP_MAILER_ARGS", "TCP $h 2999, F=S, P=/tmp/evil");
	CHECK(strstr(c, "comma") != NULL);
	free(c);
	CHECK(!accepts("LOCAL_MAILER_QGRP", "mqueue, F=S"));
	CHECK(!accepts("LOCAL_SHELL_ARGS", "sh -c, P=/tmp/x"));
	CHECK(!accepts("CYRUSV2_MAILER_ARGS", "FILE /x, P=/y"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "bad \xff\xfe utf-8"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "nel \xc2\x85 here"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "ls \xe2\x80\xa8 here"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "bidi \xe2\x80\xae here"));
}

TEST(mc_value_refuses_what_m4_expands)
{
	char	*c;

	c = refusal("confSMTP_LOGIN_MSG", "x syscmd(touch /tmp/p) y");
	CHECK(strstr(c, "confSMTP_LOGIN_MSG") != NULL);
	CHECK(strstr(c, "\"syscmd\" is an m4 builtin") != NULL);
	free(c);
	c = refusal("confSMTP_LOGIN_MSG", "hi FEATURE(promiscuous_relay)");
	CHECK(strstr(c, "\"FEATURE\" is a macro") != NULL);
	free(c);
	c = refusal("confSMTP_LOGIN_MSG", "it`s");
	CHECK(strstr(c, "quote") != NULL);
	free(c);
	CHECK(!accepts("confSMTP_LOGIN_MSG", "x esyscmd(id)"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "9dnl"));	/* m4's words */
	/* One m4 word, not the macro inside it. */
	CHECK(accepts("confSMTP_LOGIN_MSG", "a_PROMISCUOUS_RELAY_"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "_PROMISCUOUS_RELAY_"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "x LOCAL_CONFIG"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "confRELAY_MSG"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "a $1 b"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "a $@"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "a ) b"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "a ( b"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "a\nb"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", "a\033[2J"));
	CHECK(!accepts("confSMTP_LOGIN_MSG", " lead"));
	CHECK(!accepts("confSAFE_FILE_ENV", "/var/dnl/x"));
	CHECK(!accepts("confPRIVACY_FLAGS", "goaway,bogus"));
	CHECK(!accepts("confMAX_HOP", "3x"));
	CHECK(!accepts("confTEMP_FILE_MODE", "0800"));
	CHECK(!accepts("confTO_QUEUEWARN", "4 hours"));
	CHECK(!accepts("confDEF_USER_ID", "mail,x"));
	CHECK(!accepts("SMART_HOST", "relay:[x], y"));
	CHECK(!accepts("confSEVEN_BIT_INPUT", "maybe"));
}

TEST(mc_value_define_names)
{
	char	*c = NULL;

	CHECK(mc_value_check_define("confSMTP_LOGIN_MSG", &c) == 0);
	CHECK(mc_value_check_define("SMART_HOST", &c) == 0);
	CHECK(mc_value_check_define("_PROMISCUOUS_RELAY_", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("syscmd", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("LOCAL_CONFIG", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("FEATURE", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("a')dnl", &c) != 0);
	free(c);
	/* Words of the cf's rules: defining them rewrites the rules. */
	CHECK(mc_value_check_define("error", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("OK", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("ParseRecipient", &c) != 0);
	free(c);
	CHECK(mc_value_check_define("SMTP_MAILER_LL", &c) == 0);
	CHECK(mc_value_check_define("confNEW_IN_8_18", &c) == 0);
}

TEST(mc_value_mc_edits_refuse)
{
	static const char text[] = "OSTYPE(`linux')dnl\n"
	    "define(`MYMACRO', `x')dnl\nMAILER(`local')dnl\n";
	struct mc	*mc = mc_parse("t.mc", text, sizeof text - 1);
	struct strv	 args = STRV_INIT;
	char		*c = NULL;
	size_t		 len;

	/* A name the mc itself defines is a macro too. */
	CHECK(mc_define_set(mc, "confSMTP_LOGIN_MSG", "hi MYMACRO", &c) < 0);
	CHECK(strstr(c, "MYMACRO") != NULL);
	free(c);
	strv_push(&args, "hash -o /etc/mail/dnl");
	CHECK(mc_feature_set(mc, "mailertable", 1, &args, &c) < 0);
	free(c);
	strv_release(&args);
	CHECK(strcmp(mc_text(mc, &len), text) == 0);
	CHECK(mc_define_set(mc, "confSMTP_LOGIN_MSG", "$j ready", &c) == 1);
	CHECK_STR(mc_define_value(mc, "confSMTP_LOGIN_MSG"), "$j ready");
	mc_free(mc);
}

TEST(mc_value_parse_warns_about_active_values)
{
	static const char text[] = "define(`confSMTP_LOGIN_MSG', "
	    "`hi define(`_PROMISCUOUS_RELAY_', `1')')dnl\n"
	    "define(`confCW_FILE', `MAIL_SETTINGS_DIR`'local-host-names')dnl\n"
	    "define(`error', `OK')dnl\n"
	    "pushdef(`confSMTP_LOGIN_MSG', `$j $v')dnl\n"
	    "define(`_USE_ETC_MAIL_')dnl\n";
	struct mc	*mc = mc_parse("t.mc", text, sizeof text - 1);

	CHECK(mc->warnings.n == 3);
	if (mc->warnings.n == 3) {
		CHECK(strstr(mc->warnings.v[0],
		    "t.mc:1: confSMTP_LOGIN_MSG: the value calls define") != NULL);
		CHECK(strstr(mc->warnings.v[1], "t.mc:3: define(error): not "
		    "a define") != NULL);
		CHECK(strstr(mc->warnings.v[2], "t.mc:4: pushdef(...)") != NULL);
	}
	mc_free(mc);
}

/* m4 with the prelude: the dangerous builtins refuse, the rest works. */
static int
run_m4(const char *input, struct buf *out, struct buf *err)
{
	struct buf	 pre = BUF_INIT;
	const char	*argv[] = { PATH_M4, "-", NULL };
	struct transport *t = transport_local_create();
	struct run_opts	 ro;
	struct run_result rr;
	char		*cause = NULL, tag[CF_M4_TAG_SIZE];
	int		 status;

	cf_m4_tag(tag);
	CHECK(cf_m4_prelude(&pre, tag, SENDMAIL_CF_DIR, test_tmpdir(),
	    &cause) == 0);
	buf_addstr(&pre, input);
	run_opts_init(&ro);
	ro.stdin_data = pre.data;
	ro.stdin_len = pre.len;
	ro.cwd = test_tmpdir();
	run_result_init(&rr);
	CHECK(transport_run(t, argv, &ro, &rr, &cause) == 0);
	buf_add(out, rr.out.data, rr.out.len);
	buf_add(err, rr.err.data, rr.err.len);
	status = rr.status;
	run_result_release(&rr);
	buf_release(&pre);
	transport_free(t);
	return status;
}

TEST(cf_m4_prelude_disarms)
{
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	char		*canary = xasprintf("%s/canary", test_tmpdir());
	char		*in;

	in = xasprintf("syscmd(`touch %s')\n", canary);
	CHECK(run_m4(in, &out, &err) != 0);
	CHECK(strstr(err.data, "*** ERROR: smadm: syscmd(") != NULL);
	CHECK(access(canary, F_OK) != 0);
	free(in);
	buf_reset(&out);
	buf_reset(&err);
	in = xasprintf("esyscmd(`touch %s')maketemp(`%sXXXXXX')\n", canary,
	    canary);
	CHECK(run_m4(in, &out, &err) != 0);
	CHECK(access(canary, F_OK) != 0);
	free(in);
	buf_reset(&out);
	buf_reset(&err);
	CHECK(run_m4("include(`/etc/passwd')", &out, &err) != 0);
	CHECK(strstr(err.data, "include(/etc/passwd) refused") != NULL);
	buf_reset(&out);
	buf_reset(&err);
	/* undivert(FILE) would copy the file: refused; numbers still work. */
	CHECK(run_m4("undivert(`/etc/passwd')", &out, &err) != 0);
	CHECK(strstr(err.data, "undivert(/etc/passwd) refused") != NULL);
	CHECK(strstr(out.data, "root:") == NULL);
	buf_reset(&out);
	buf_reset(&err);
	CHECK(run_m4("undivert(`1', `/etc/passwd')", &out, &err) != 0);
	CHECK(strstr(out.data, "root:") == NULL);
	buf_reset(&out);
	buf_reset(&err);
	CHECK(run_m4("divert(`2')b\ndivert(`1')a\ndivert(`0')"
	    "undivert(`1', `2')undivert\n", &out, &err) == 0);
	CHECK_STR(out.data, "a\nb\n\n");
	buf_reset(&out);
	buf_reset(&err);
	/* builtin() is gone: the text stays text. */
	CHECK(run_m4("builtin(`syscmd', `true')", &out, &err) == 0);
	CHECK(strstr(out.data, "builtin") != NULL);
	buf_reset(&out);
	buf_reset(&err);
	/* The bare words stay words; ordinary macros still work. */
	CHECK(run_m4("include syscmd define(`x', `y')x len(`abc')\n", &out,
	    &err) == 0);
	CHECK_STR(out.data, "include syscmd y 3\n");
	buf_release(&out);
	buf_release(&err);
	free(canary);
}
