/*
 * test-profile.c -- smadm.conf parsing: keys, relative paths, errors that
 * name the file and line, and the format/parse round trip.
 */
#include <stdlib.h>

#include "../../backend/profile.h"
#include "test.h"

static const char good_conf[] =
    "# a sandbox profile\n"
    "\n"
    "sandbox = yes\n"
    "mc = etc/sendmail.mc\n"
    "cf=etc/sendmail.cf\n"
    "  sendmail   =   /usr/sbin/sendmail  \n"
    "m4 = /usr/bin/m4\n"
    "pid_file = /run/other/sendmail.pid\n"
    "queue_dirs = queue /var/spool/mqueue/q*\n"
    "daemon_flags = -bd   -q15m\n"
    "daemon_label = sm-mta\n"
    "listen = 127.0.0.1:2525\n"
    "namespace = ns\n"
    "syslog_command = /usr/sbin/smadm sandbox logd /srv/sb\n"
    "access = etc/access\n"
    "local_host_names = etc/local-host-names\n";

TEST(profile_parse_good)
{
	struct profile	*p;
	char		*cause = NULL;

	p = profile_parse(good_conf, sizeof good_conf - 1, "/srv/sb",
	    "/srv/sb/smadm.conf", &cause);
	CHECK(p != NULL);
	if (p == NULL) {
		fprintf(stderr, "    cause: %s\n", cause);
		free(cause);
		return;
	}
	CHECK(p->sandbox == 1);
	CHECK_STR(p->origin, "/srv/sb/smadm.conf");
	CHECK_STR(p->root, "/srv/sb");
	CHECK_STR(p->mc, "/srv/sb/etc/sendmail.mc");
	CHECK_STR(p->cf, "/srv/sb/etc/sendmail.cf");
	CHECK_STR(p->sendmail, "/usr/sbin/sendmail");
	CHECK_STR(p->pid_file, "/run/other/sendmail.pid");
	CHECK_STR(p->ns_dir, "/srv/sb/ns");
	CHECK_STR(p->listen, "127.0.0.1:2525");
	CHECK(p->queue_dirs.n == 2);
	if (p->queue_dirs.n == 2) {
		CHECK_STR(p->queue_dirs.v[0], "/srv/sb/queue");
		CHECK_STR(p->queue_dirs.v[1], "/var/spool/mqueue/q*");
	}
	CHECK(p->daemon_flags.n == 2);
	if (p->daemon_flags.n == 2) {
		CHECK_STR(p->daemon_flags.v[0], "-bd");
		CHECK_STR(p->daemon_flags.v[1], "-q15m");
	}
	CHECK(p->syslog_command.n == 4);
	if (p->syslog_command.n == 4)
		CHECK_STR(p->syslog_command.v[3], "/srv/sb");
	CHECK_STR(profile_table_path(p, "access"), "/srv/sb/etc/access");
	CHECK_STR(profile_table_path(p, "local-host-names"),
	    "/srv/sb/etc/local-host-names");
	/* Not in the file: no path for a table of a -r profile. */
	CHECK(profile_table_path(p, "mailertable") == NULL);
	profile_free(p);
}

TEST(profile_parse_unknown_key)
{
	static const char text[] = "mc = a.mc\n# comment\nqueue_dir = q\n";
	struct profile	*p;
	char		*cause = NULL;

	p = profile_parse(text, sizeof text - 1, "/d", "/d/smadm.conf",
	    &cause);
	CHECK(p == NULL);
	CHECK_STR(cause, "/d/smadm.conf:3: unknown key \"queue_dir\"");
	free(cause);
}

TEST(profile_parse_errors)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "mc = a\nno equals sign\n",
		    "f:2: expected \"key = value\"" },
		{ "sendmail = sbin/sendmail\n",
		    "f:1: sendmail must be an absolute path" },
		{ "\n\nsandbox = maybe\n",
		    "f:3: sandbox: expected yes or no, not \"maybe\"" },
		{ "remote_timeout = 0\n", "f:1: remote_timeout: expected "
		    "seconds from 1 to 3600, not \"0\"" },
		{ "remote_timeout = 3601\n", "f:1: remote_timeout: expected "
		    "seconds from 1 to 3600, not \"3601\"" },
		{ "remote_timeout = -5\n", "f:1: remote_timeout: expected "
		    "seconds from 1 to 3600, not \"-5\"" },
		{ "remote_timeout = 30s\n", "f:1: remote_timeout: expected "
		    "seconds from 1 to 3600, not \"30s\"" },
		{ "remote_timeout =\n", "f:1: remote_timeout: expected "
		    "seconds from 1 to 3600, not \"\"" },
	};
	struct profile	*p;
	char		*cause;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++) {
		cause = NULL;
		p = profile_parse(cases[i].text, strlen(cases[i].text), "/d",
		    "f", &cause);
		CHECK(p == NULL);
		CHECK_STR(cause, cases[i].want);
		profile_free(p);
		free(cause);
	}
}

TEST(profile_parse_relative_without_root)
{
	static const char text[] = "cf = etc/sendmail.cf\n";
	struct profile	*p;
	char		*cause = NULL;

	p = profile_parse(text, sizeof text - 1, NULL, "f", &cause);
	CHECK(p != NULL);
	if (p != NULL)
		CHECK_STR(p->cf, "etc/sendmail.cf");
	profile_free(p);
	free(cause);
}

TEST(profile_format_round_trip)
{
	struct profile	*p, *q;
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	char		*cause = NULL;

	p = profile_parse(good_conf, sizeof good_conf - 1, "/srv/sb", "f",
	    &cause);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	profile_format(p, &a);
	q = profile_parse(a.data, a.len, "/elsewhere", "g", &cause);
	CHECK(q != NULL);
	if (q != NULL) {
		profile_format(q, &b);
		CHECK_STR(b.data, a.data);
	}
	profile_free(p);
	profile_free(q);
	buf_release(&a);
	buf_release(&b);
}

TEST(profile_remote_timeout)
{
	static const char text[] = "remote_timeout = 5\n";
	struct profile	*p;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	p = profile_parse(text, sizeof text - 1, "/d", "f", &cause);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK(p->remote_timeout == 5);
		profile_format(p, &b);
		CHECK(strstr(b.data, "remote_timeout = 5\n") != NULL);
	}
	profile_free(p);
	buf_release(&b);
	free(cause);
}

TEST(profile_load_file)
{
	struct transport	*t;
	struct profile		*p;
	const char		*dir = test_tmpdir();
	char			*path, *cause = NULL;

	t = transport_local_create();
	p = profile_load(t, dir, &cause);
	CHECK(p == NULL);
	CHECK(cause != NULL && strstr(cause, "smadm.conf") != NULL);
	free(cause);
	cause = NULL;

	path = xasprintf("%s/smadm.conf", dir);
	CHECK(transport_write_file(t, path, good_conf, sizeof good_conf - 1,
	    NULL, &cause) == 0);
	p = profile_load(t, dir, &cause);
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_STR(p->origin, path);
		CHECK(str_startswith(p->mc, dir));
	}
	profile_free(p);
	CHECK(transport_write_file(t, path, "mc = a\0b\n", 9, NULL,
	    &cause) == 0);
	p = profile_load(t, dir, &cause);
	CHECK(p == NULL);
	CHECK(cause != NULL && strstr(cause, "binary data") != NULL);
	free(cause);
	free(path);
	transport_free(t);
}
