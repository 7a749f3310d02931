/*
 * test-wizard.c -- the wizard's routing tables and the test drive's mc
 * adaptation, on the real role template and sandbox mc texts.
 */
#include <stdlib.h>
#include <string.h>

#include "../../backend/mc.h"
#include "../../backend/wizard.h"
#include "test.h"

static const char gw_answers[] =
    "role = gateway\n"
    "hostname = gw.smadm.test\n"
    "relay_to = inside.smadm.test [192.0.2.25]\n"
    "virtusertable = info@smadm.test root\n";

static const char gw_mc[] =
    "divert(0)dnl\n"
    "OSTYPE(`debian')dnl\n"
    "define(`confDOMAIN_NAME', `gw.smadm.test')dnl\n"
    "define(`confPRIVACY_FLAGS', `goaway')dnl\n"
    "define(`confRUN_AS_USER', `smmta:smmsp')dnl\n"
    "DAEMON_OPTIONS(`Family=inet, Name=MTA-v4, Port=smtp, Addr=0.0.0.0')dnl\n"
    "DAEMON_OPTIONS(`Family=inet6, Name=MTA-v6, Port=smtp, Addr=::')dnl\n"
    "FEATURE(`smrsh')dnl\n"
    "FEATURE(`mailertable', `hash -o /etc/mail/mailertable')dnl\n"
    "MAILER(`local')dnl\n"
    "MAILER(`smtp')dnl\n";

static const char sb_mc[] =
    "OSTYPE(`linux')dnl\n"
    "define(`confDOMAIN_NAME', `sb.example')dnl\n"
    "define(`QUEUE_DIR', `/tmp/sb/queue')dnl\n"
    "define(`confPRIVACY_FLAGS', `noexpn')dnl\n"
    "undefine(`confHOST_STATUS_DIRECTORY')dnl\n"
    "define(`SMTP_MAILER_ARGS', `TCP $h 2999')dnl\n"
    "FEATURE(`no_default_msa')dnl\n"
    "DAEMON_OPTIONS(`Family=inet, Name=MTA-sandbox, Port=2525, Addr=127.0.0.1')dnl\n"
    "FEATURE(`mailertable', `hash -o /tmp/sb/etc/mailertable')dnl\n"
    "FEATURE(`virtusertable', `hash -o /tmp/sb/etc/virtusertable')dnl\n"
    "MAILER(`local')dnl\n";

TEST(wizard_gateway_tables)
{
	struct wizard_out	 o;
	char			*cause = NULL;

	/* The mc has no virtusertable: its answer line is refused. */
	wizard_out_init(&o);
	CHECK(wizard_build(gw_answers, strlen(gw_answers), "ans", gw_mc,
	    strlen(gw_mc), "/etc/mail", &o, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "ans:4: virtusertable: this "
	    "role's mc has no FEATURE(`virtusertable')") != NULL);
	free(cause);
	cause = NULL;
	wizard_out_release(&o);
	wizard_out_init(&o);
	CHECK(wizard_build(gw_answers, strlen(gw_answers) - 37, "ans", gw_mc,
	    strlen(gw_mc), "/etc/mail", &o, &cause) == 0);
	CHECK(o.need_mailertable && !o.need_virtusertable);
	CHECK(strstr(o.mailertable.data,
	    "inside.smadm.test\tsmtp:[192.0.2.25]\n") != NULL);
	wizard_out_release(&o);
	free(cause);
}

TEST(wizard_drive_mc_adapts)
{
	struct buf	 out = BUF_INIT;
	struct mc	*m;
	char		*cause = NULL;
	const char	*t;

	CHECK(wizard_drive_mc(gw_mc, strlen(gw_mc), sb_mc, strlen(sb_mc),
	    &out, &cause) == 0);
	m = mc_parse("out", out.data, out.len);
	t = out.data;
	CHECK(strstr(t, "OSTYPE(`linux')") != NULL);
	CHECK(strstr(t, "OSTYPE(`debian')") == NULL);
	CHECK(strstr(t, "undefine(`confHOST_STATUS_DIRECTORY')") != NULL);
	CHECK_STR(mc_define_value(m, "confDOMAIN_NAME"), "sb.example");
	CHECK_STR(mc_define_value(m, "QUEUE_DIR"), "/tmp/sb/queue");
	CHECK_STR(mc_define_value(m, "SMTP_MAILER_ARGS"), "TCP $h 2999");
	/* The role's hardening stays; RunAsUser goes. */
	CHECK_STR(mc_define_value(m, "confPRIVACY_FLAGS"), "goaway");
	CHECK(mc_find_define(m, "confRUN_AS_USER") == NULL);
	/* One DAEMON_OPTIONS, the sandbox's. */
	CHECK(strstr(t, "Name=MTA-sandbox, Port=2525, Addr=127.0.0.1") != NULL);
	CHECK(strstr(t, "MTA-v4") == NULL && strstr(t, "MTA-v6") == NULL);
	CHECK(mc_find_feature(m, "no_default_msa") != NULL);
	CHECK(strstr(t, "hash -o /tmp/sb/etc/mailertable") != NULL);
	CHECK(strstr(t, "/etc/mail/mailertable") == NULL);
	/* Maps the role does not use are not added. */
	CHECK(mc_find_feature(m, "virtusertable") == NULL);
	CHECK(mc_find_feature(m, "smrsh") != NULL);
	mc_free(m);
	buf_release(&out);
	free(cause);
}
