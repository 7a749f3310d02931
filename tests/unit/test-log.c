/*
 * test-log.c -- the mail log: parsing real lines captured from a sandbox
 * daemon (tests/fixtures/log), filters, tracing a message with its SMTP
 * session, rotated and compressed files, and following the log across
 * rotation by rename and by copy-truncate.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../backend/daemon.h"
#include "../../backend/log.h"
#include "../../backend/loglevel.h"
#include "test.h"

static char *
read_fixture(const char *name, size_t *len)
{
	struct transport	*t = transport_local_create();
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	if (transport_read_file(t, test_fixture(name), &b, 0, &cause) != 0)
		util_fatal("%s", cause);
	transport_free(t);
	*len = b.len;
	return buf_detach(&b);
}

/* The line of the fixture that contains text (static copy). */
static const char *
fixture_line(const char *name, const char *text)
{
	static char	 line[8192];
	size_t		 len;
	char		*all, *p, *ls, *le;

	all = read_fixture(name, &len);
	line[0] = '\0';
	if ((p = strstr(all, text)) != NULL) {
		for (ls = p; ls > all && ls[-1] != '\n'; ls--)
			;
		le = strchrnul(p, '\n');
		snprintf(line, sizeof line, "%.*s", (int)(le - ls), ls);
	}
	free(all);
	return line;
}

static void
parse(struct log_line *l, const char *s)
{
	log_parse(l, s, strlen(s), 1795316400);	/* 2026-11-22 03:00 UTC */
}

TEST(log_parse_rfc3339_from)
{
	struct log_line	l;

	log_line_init(&l);
	parse(&l, fixture_line("log/sandbox.log",
	    "6AM2tfoN014024: from=<tester"));
	CHECK(l.kind == LOG_FROM);
	CHECK_STR(l.stamp, "2026-11-22T02:55:41.439784+00:00");
	CHECK(l.time == 1795316141);
	CHECK(l.usec == 439784);
	CHECK_STR(l.host, "vm");
	CHECK_STR(l.prog, "sm-mta");
	CHECK(l.pid == 14024);
	CHECK_STR(l.qid, "6AM2tfoN014024");
	CHECK_STR(log_field(&l, "from"), "<tester@sandbox.example>");
	CHECK_STR(log_field(&l, "size"), "60");
	CHECK_STR(log_field(&l, "class"), "0");
	CHECK_STR(log_field(&l, "nrcpts"), "1");
	CHECK_STR(log_field(&l, "msgid"),
	    "<202611220255.6AM2tfoN014024@vm.sandbox.example>");
	CHECK_STR(log_field(&l, "proto"), "ESMTP");
	CHECK_STR(log_field(&l, "daemon"), "MTA-sandbox");
	CHECK_STR(log_field(&l, "relay"), "vm.sandbox.example [127.0.0.1]");
	CHECK_STR(log_field(&l, "ip"), "127.0.0.1");
	CHECK(l.outcome == LOG_OUT_NONE);
	log_line_release(&l);
}

TEST(log_parse_to_sent_deferred)
{
	struct log_line	l;

	log_line_init(&l);
	parse(&l, fixture_line("log/sandbox.log", "to=<root>, delay="));
	CHECK(l.kind == LOG_TO);
	CHECK(l.outcome == LOG_OUT_SENT);
	CHECK_STR(log_field(&l, "to"), "<root>");
	CHECK_STR(log_field(&l, "mailer"), "local");
	CHECK_STR(log_field(&l, "pri"), "30356");
	CHECK_STR(log_field(&l, "dsn"), "2.0.0");
	CHECK_STR(log_field(&l, "stat"), "Sent");
	CHECK_STR(log_field(&l, "delay"), "00:00:00");
	CHECK_STR(log_field(&l, "xdelay"), "00:00:00");

	parse(&l, fixture_line("log/sandbox.log", "to=<away2@deferred"));
	CHECK(l.kind == LOG_TO);
	CHECK(l.outcome == LOG_OUT_DEFERRED);
	CHECK_STR(log_field(&l, "relay"), "[127.0.0.1] [127.0.0.1]");
	CHECK_STR(log_field(&l, "dsn"), "4.4.1");
	CHECK_STR(log_field(&l, "stat"),
	    "Deferred: Connection refused by [127.0.0.1]");
	CHECK_STR(log_field(&l, "ip"), "127.0.0.1");
	log_line_release(&l);
}

TEST(log_parse_reject_and_others)
{
	struct log_line	l;

	log_line_init(&l);
	parse(&l, fixture_line("log/sandbox.log", "ruleset=check_mail"));
	CHECK(l.kind == LOG_REJECT);
	CHECK(l.outcome == LOG_OUT_REJECTED);
	CHECK_STR(log_field(&l, "ruleset"), "check_mail");
	CHECK_STR(log_field(&l, "arg1"), "<spammer@reject.example>");
	CHECK_STR(log_field(&l, "reject"),
	    "550 5.7.1 <spammer@reject.example>... Access denied");

	parse(&l, fixture_line("log/sandbox.log", "NOQUEUE: connect from"));
	CHECK(l.kind == LOG_CONNECT);
	CHECK_STR(l.qid, "NOQUEUE");
	CHECK_STR(log_field(&l, "ip"), "127.0.0.1");

	parse(&l, fixture_line("log/sandbox.log", "User unknown"));
	CHECK(l.kind == LOG_USER_UNKNOWN);
	CHECK_STR(log_field(&l, "to"), "<nosuchuser>");

	parse(&l, fixture_line("log/sandbox.log", "did not issue"));
	CHECK(l.kind == LOG_NO_MAIL);
	CHECK_STR(log_field(&l, "relay"), "vm.sandbox.example [127.0.0.1]");

	parse(&l, fixture_line("log/sandbox.log", "starting daemon"));
	CHECK(l.kind == LOG_DAEMON_START);
	CHECK_STR(l.qid, "");
	parse(&l, fixture_line("log/sandbox.log", "stopping daemon"));
	CHECK(l.kind == LOG_DAEMON_STOP);
	CHECK_STR(log_field(&l, "reason"), "signal");
	parse(&l, fixture_line("log/sandbox.log", "due to signal"));
	CHECK(l.kind == LOG_DAEMON_RESTART);
	parse(&l, fixture_line("log/sandbox.log", "<-- mail FROM:"));
	CHECK(l.kind == LOG_SMTP_IN);
	parse(&l, fixture_line("log/sandbox.log", "--- 550 5.7.1"));
	CHECK(l.kind == LOG_SMTP_OUT);
	CHECK(l.outcome == LOG_OUT_REJECTED);
	parse(&l, fixture_line("log/sandbox.log", "done; delay="));
	CHECK(l.kind == LOG_DONE);
	CHECK_STR(log_field(&l, "ntries"), "1");
	parse(&l, fixture_line("log/sandbox.log", "AUTH: available"));
	CHECK(l.kind == LOG_NOISE);
	parse(&l, fixture_line("log/sandbox.log", "makeconnection"));
	CHECK(l.kind == LOG_OTHER);
	log_line_release(&l);
}

TEST(log_parse_classic_matches_rfc3339)
{
	struct log_line	 a, b;
	char		*ra, *rb, *pa, *pb, *na, *nb;
	size_t		 la, lb, n = 0;

	log_line_init(&a);
	log_line_init(&b);
	ra = read_fixture("log/sandbox.log", &la);
	rb = read_fixture("log/sandbox-classic.log", &lb);
	/* Same lines, other time format: same fields, same second. */
	for (pa = ra, pb = rb; *pa != '\0' && *pb != '\0';
	    pa = na + 1, pb = nb + 1) {
		na = strchrnul(pa, '\n');
		nb = strchrnul(pb, '\n');
		CHECK(log_parse(&a, pa, (size_t)(na - pa), 1795316400) == 1);
		CHECK(log_parse(&b, pb, (size_t)(nb - pb), 1795316400) == 1);
		CHECK(a.kind == b.kind);
		CHECK(a.pid == b.pid);
		CHECK_STR(a.qid, b.qid);
		CHECK_STR(a.msg, b.msg);
		CHECK(a.nfields == b.nfields);
		/* Classic times are local time. */
		CHECK(b.time != 0);
		n++;
		if (*na == '\0' || *nb == '\0')
			break;
	}
	CHECK(n == 122);
	free(ra);
	free(rb);
	log_line_release(&a);
	log_line_release(&b);
}

TEST(log_parse_unknown_kept)
{
	struct log_line	l;

	log_line_init(&l);
	CHECK(log_parse(&l, "garbage line", 12, 0) == 0);
	CHECK(l.kind == LOG_UNKNOWN);
	CHECK_STR(l.raw, "garbage line");
	CHECK_STR(l.msg, "garbage line");
	/* Commas inside <> and quotes stay in the value. */
	parse(&l, "Nov 22 02:06:13 vm sm-mta[2012]: 6AM26D6S002012: "
	    "to=\"Smith, John\" <j@x>,<k@y>, delay=00:00:01, stat=Sent "
	    "(ok, queued as 12: x=y)");
	CHECK_STR(log_field(&l, "to"), "\"Smith, John\" <j@x>,<k@y>");
	CHECK_STR(log_field(&l, "delay"), "00:00:01");
	CHECK_STR(log_field(&l, "stat"), "Sent (ok, queued as 12: x=y)");
	parse(&l, "Nov 22 02:06:13 vm sm-mta[2012]: NOQUEUE: SYSERR(root): "
	    "opendaemonsocket: daemon MTA: cannot bind: Address in use");
	CHECK(l.kind == LOG_SYSERR);
	CHECK(l.outcome == LOG_OUT_ERROR);
	CHECK(log_is_qid("6AM26D6S002012", 14));
	CHECK(log_is_qid("6AM26D6S1002012", 15));
	CHECK(!log_is_qid("6AM26D6S00201", 13));
	CHECK(!log_is_qid("STARTTLS=server", 15));
	CHECK(log_qid_pid("6AM2tfoN014024") == 14024);
	log_line_release(&l);
}

/* Found by tests/fuzz/fuzz-log: a NUL byte inside a line overran the copy. */
/*
 * The same from= line as each syslog daemon writes it: every form parses
 * to the same second, pid, queue id, kind and fields.
 */
TEST(log_parse_syslog_formats)
{
	static const char *const hosts[] = { "mx1", "mx1.example.com" };
	struct log_line	 l;
	char		*all, *p, *nl;
	size_t		 len, n = 0, i;
	int		 hostok;

	setenv("TZ", "UTC", 1);
	tzset();
	log_line_init(&l);
	all = read_fixture("log/syslog-formats.log", &len);
	for (p = all; *p != '\0'; p = nl + 1) {
		nl = strchrnul(p, '\n');
		n++;
		if (log_parse(&l, p, (size_t)(nl - p), 1795316400) != 1) {
			CHECK_STR(l.raw, "a parsed line");
			if (*nl == '\0')
				break;
			continue;
		}
		/* 2026-06-17 14:37:39 UTC */
		if (l.time != 1781707059)
			CHECK_STR(l.raw, "1781707059");
		CHECK(l.pid == 2794);
		CHECK_STR(l.qid, "65HEbdXk002794");
		CHECK(l.kind == LOG_FROM);
		CHECK(l.prog != NULL && (strcmp(l.prog, "sm-mta") == 0 ||
		    strcmp(l.prog, "sendmail") == 0));
		for (hostok = 0, i = 0; i < nitems(hosts); i++)
			if (l.host != NULL && strcmp(l.host, hosts[i]) == 0)
				hostok = 1;
		CHECK(hostok);
		CHECK(log_field(&l, "from") != NULL &&
		    strcmp(log_field(&l, "from"), "<alice@example.org>") == 0);
		CHECK(log_field(&l, "ip") != NULL &&
		    strcmp(log_field(&l, "ip"), "192.0.2.8") == 0);
		CHECK(strncmp(l.msg, "from=<alice@example.org>, ", 26) == 0);
		if (*nl == '\0')
			break;
	}
	CHECK(n == 18);
	free(all);

	/* The priority is a field; the fraction is kept. */
	parse(&l, "Jun 17 14:37:39 <mail.notice> mx1 sm-mta[2794]: x");
	CHECK(log_field(&l, "syslog_pri") != NULL &&
	    strcmp(log_field(&l, "syslog_pri"), "mail.notice") == 0);
	parse(&l, "2026-06-17T14:37:39.250000+00:00 mx1 sm-mta[2794]: x");
	CHECK(l.usec == 250000);
	/* busybox syslogd: facility.priority after the host. */
	parse(&l, "Jun 17 14:38:08 mx1 mail.info sm-mta[3008]: x");
	CHECK(l.host != NULL && strcmp(l.host, "mx1") == 0);
	CHECK(l.prog != NULL && strcmp(l.prog, "sm-mta") == 0 &&
	    l.pid == 3008);
	CHECK(log_field(&l, "syslog_pri") != NULL &&
	    strcmp(log_field(&l, "syslog_pri"), "mail.info") == 0);
	/* A tag that only looks like one stays the tag. */
	parse(&l, "Jun 17 14:38:08 mx1 mail.infox: x");
	CHECK(l.prog != NULL && strcmp(l.prog, "mail.infox") == 0);
	/* RFC 3164 as sent, without a host name. */
	parse(&l, "<22>Jun 17 14:38:08 sm-mta[3008]: x");
	CHECK(l.host == NULL && l.prog != NULL &&
	    strcmp(l.prog, "sm-mta") == 0 && l.pid == 3008);
	CHECK(strcmp(l.msg, "x") == 0);
	/* journalctl -o short-full: weekday, date, time, zone. */
	parse(&l, "Wed 2026-06-17 14:37:39 UTC mx1 sm-mta[1]: x");
	CHECK(l.time == 1781707059 && l.host != NULL &&
	    strcmp(l.host, "mx1") == 0);
	/* Not syslog: kept whole, nothing invented. */
	parse(&l, "<22>1 garbage");
	CHECK(l.kind == LOG_UNKNOWN && l.host == NULL && l.nfields == 0);
	parse(&l, "<mail.notice> mx1 sm-mta[2794]: x");
	CHECK(l.kind == LOG_UNKNOWN);
	parse(&l, "2026-13-17T14:37:39Z mx1 sm-mta[2794]: x");
	CHECK(l.kind == LOG_UNKNOWN);
	log_line_release(&l);
	unsetenv("TZ");
	tzset();
}

/* The kind of the line of syslog-kinds.log holding text, its fields. */
static int
kind_is(const char *text, enum log_kind kind, const char *ip,
    const char *user)
{
	struct log_line	 l;
	const char	*line = fixture_line("log/syslog-kinds.log", text);
	const char	*f;
	int		 ok;

	log_line_init(&l);
	log_parse(&l, line, strlen(line), 1795316400);
	ok = *line != '\0' && l.kind == kind;
	f = log_field(&l, "ip");
	if (ip != NULL && (f == NULL || strcmp(f, ip) != 0))
		ok = 0;
	f = log_field(&l, "user");
	if (user != NULL && (f == NULL || strcmp(f, user) != 0))
		ok = 0;
	if (!ok)
		fprintf(stderr, "    %s: kind %s ip %s user %s\n", line,
		    log_kind_name(l.kind), log_field(&l, "ip") ?
		    log_field(&l, "ip") : "-", log_field(&l, "user") ?
		    log_field(&l, "user") : "-");
	log_line_release(&l);
	return ok;
}

TEST(log_parse_attack_kinds)
{
	struct log_filter	*f;
	struct log_line		 l;
	char			*all, *p, *nl, *cause = NULL;
	size_t			 len, n = 0;

	CHECK(kind_is("AUTH failure (PLAIN)", LOG_AUTH_FAIL, "192.0.2.8",
	    "admin"));
	CHECK(kind_is("AUTH failure (LOGIN)", LOG_AUTH_FAIL, "192.0.2.8",
	    "test"));
	CHECK(kind_is("command=AUTH, count=5", LOG_ATTACK, "192.0.2.8",
	    NULL));
	CHECK(kind_is("lost input channel", LOG_LOST, "192.0.2.8", NULL));
	CHECK(kind_is("did not issue", LOG_NO_MAIL, "192.0.2.8", NULL));
	CHECK(kind_is("ruleset=check_rcpt", LOG_REJECT, "192.0.2.8", NULL));
	CHECK(kind_is("timeout waiting", LOG_LOST, "192.0.2.8", NULL));
	CHECK(kind_is("verify=NO", LOG_TLS, "192.0.2.44", NULL));
	CHECK(kind_is("authid=carol", LOG_AUTH, "192.0.2.44", "carol"));
	CHECK(kind_is("verify=FAIL", LOG_TLS, NULL, NULL));
	CHECK(kind_is("no shared cipher, SSL", LOG_TLS_FAIL, "192.0.2.8",
	    NULL));
	CHECK(kind_is("0A0000C1", LOG_TLS_FAIL, NULL, NULL));
	CHECK(kind_is("errno=104", LOG_TLS_FAIL, "IPv6:2001:db8::8", NULL));
	CHECK(kind_is("Milter (spamd)", LOG_MILTER, NULL, NULL));
	CHECK(kind_is("Milter add:", LOG_MILTER, NULL, NULL));
	CHECK(kind_is("Milter: from=", LOG_REJECT, NULL, NULL));
	CHECK(kind_is("command=RCPT", LOG_ATTACK, "IPv6:2001:db8::8", NULL));
	/* The captured AUTH failures and attacks of a real daemon. */
	log_line_init(&l);
	p = (char *)fixture_line("log/sandbox-attack.log", "user=bob");
	log_parse(&l, p, strlen(p), 1795316400);
	CHECK(l.kind == LOG_AUTH_FAIL);
	CHECK(log_field(&l, "user") && strcmp(log_field(&l, "user"), "bob") == 0);
	CHECK(log_field(&l, "mech") &&
	    strcmp(log_field(&l, "mech"), "CRAM-MD5") == 0);
	CHECK(log_field(&l, "ip") &&
	    strcmp(log_field(&l, "ip"), "127.0.0.1") == 0);
	p = (char *)fixture_line("log/sandbox-attack.log", "HELO/EHLO");
	log_parse(&l, p, strlen(p), 1795316400);
	CHECK(l.kind == LOG_ATTACK);
	CHECK(log_field(&l, "command") &&
	    strcmp(log_field(&l, "command"), "HELO/EHLO") == 0);
	CHECK(log_field(&l, "count") &&
	    strcmp(log_field(&l, "count"), "3") == 0);

	/* ip: finds every line of the attacker, IPv6 with or without. */
	f = log_filter_parse("ip:192.0.2.8", &cause);
	CHECK(f != NULL);
	all = read_fixture("log/syslog-kinds.log", &len);
	for (p = all; *p != '\0'; p = nl + 1) {
		nl = strchrnul(p, '\n');
		log_parse(&l, p, (size_t)(nl - p), 1795316400);
		if (log_filter_match(f, &l))
			n++;
		if (*nl == '\0')
			break;
	}
	CHECK(n == 9);
	log_filter_free(f);
	f = log_filter_parse("ip:2001:db8::8", &cause);
	p = (char *)fixture_line("log/syslog-kinds.log", "command=RCPT");
	log_parse(&l, p, strlen(p), 1795316400);
	CHECK(f != NULL && log_filter_match(f, &l));
	log_filter_free(f);
	free(all);
	log_line_release(&l);
}

/* An empty quoted text matches every line, read within its bytes only. */
TEST(log_filter_empty_text)
{
	struct log_filter	*f;
	char			*cause = NULL, *b;

	f = log_filter_parse("\"\"", &cause);
	CHECK(f != NULL);
	b = xmalloc(5);
	memcpy(b, "hello", 5);
	/* Found by fuzz-log under ASan: the end of the line was read. */
	CHECK(log_filter_maybe(f, b, 5) == 1);
	free(b);
	log_filter_free(f);
	free(cause);
}

TEST(log_parse_nul_byte)
{
	struct log_line	l;
	static const char line[] = "Nov 22 02:55:58 vm sm-mta[14346]: "
	    "6AM2tfoN014024: to=<a@b>\0, stat=Sent (after the hole)\n";

	log_line_init(&l);
	CHECK(log_parse(&l, line, sizeof line - 1, 1795319268) == 1);
	CHECK_STR(l.raw, "Nov 22 02:55:58 vm sm-mta[14346]: "
	    "6AM2tfoN014024: to=<a@b>");
	CHECK_STR(l.qid, "6AM2tfoN014024");
	CHECK_STR(log_field(&l, "to"), "<a@b>");
	CHECK(log_field(&l, "stat") == NULL);
	CHECK(log_parse(&l, "\0\0\0\0", 4, 0) == 0);
	CHECK_STR(l.raw, "");
	log_line_release(&l);
}

TEST(log_filter_terms)
{
	struct log_filter	*f;
	struct log_line		 l;
	char			*cause = NULL;

	log_line_init(&l);
	parse(&l, fixture_line("log/sandbox.log", "to=<away2@deferred"));
	f = log_filter_parse("status:deferred,bounced to:deferred.example "
	    "-relay:localhost", &cause);
	CHECK(f != NULL);
	CHECK(log_filter_match(f, &l));
	CHECK(log_filter_maybe(f, l.raw, strlen(l.raw)));
	log_filter_free(f);
	f = log_filter_parse("status:sent", &cause);
	CHECK(!log_filter_match(f, &l));
	log_filter_free(f);
	f = log_filter_parse("ip:127.0.0.1 addr:away2@deferred.example "
	    "\"Connection refused\" qid:6AM2twRt014390 kind:to", &cause);
	CHECK(f != NULL && log_filter_match(f, &l));
	log_filter_free(f);
	f = log_filter_parse("stat:deferred pid:14392", &cause);
	CHECK(f != NULL && log_filter_match(f, &l));
	log_filter_free(f);
	f = log_filter_parse("-qid:6AM2twRt014390", &cause);
	CHECK(f != NULL && !log_filter_match(f, &l));
	log_filter_free(f);
	CHECK(log_filter_parse("to:", &cause) == NULL);
	CHECK(cause != NULL);
	free(cause);
	CHECK(log_filter_parse("\"open", &cause) == NULL);
	free(cause);
	log_line_release(&l);
}

/* The trace of a qid in the fixture, as "kind kind ..." */
static char *
trace_kinds(const char *fixture, const char *qid, size_t *n)
{
	struct log_result	 res;
	struct log_line		 l;
	struct buf		 b = BUF_INIT;
	char			*all;
	size_t			 len, i;

	log_result_init(&res);
	log_line_init(&l);
	all = read_fixture(fixture, &len);
	log_trace_buffer(all, len, qid, strlen(qid), &res);
	*n = res.nhits;
	for (i = 0; i < res.nhits; i++) {
		parse(&l, res.hits[i].text);
		if (i > 0 && l.kind == LOG_SMTP_OUT &&
		    strstr(b.data, "smtp-out") != NULL &&
		    str_endswith(b.data, "smtp-out"))
			continue;	/* runs of replies count once */
		buf_printf(&b, "%s%s", b.len ? " " : "", log_kind_name(l.kind));
		CHECK(i == 0 || res.hits[i].off > res.hits[i - 1].off);
	}
	free(all);
	log_line_release(&l);
	log_result_release(&res);
	return buf_detach(&b);
}

TEST(log_trace_session)
{
	char	*k;
	size_t	 n;

	/* LogLevel 12: connect, id lines, the delivery. */
	k = trace_kinds("log/sandbox.log", "6AM2tfoN014024", &n);
	CHECK_STR(k, "connect noise noise from to done");
	free(k);
	/* LogLevel 15: the conversation, the delivery, the QUIT after. */
	k = trace_kinds("log/sandbox.log", "6AM2twRt014390", &n);
	CHECK_STR(k, "connect noise noise smtp-out smtp-in smtp-out smtp-in "
	    "smtp-out smtp-in smtp-out smtp-in smtp-out from smtp-out other "
	    "smtp-out to smtp-out smtp-in smtp-out");
	CHECK(n == 29);
	free(k);
	k = trace_kinds("log/sandbox.log", "6AM2tw76014434", &n);
	CHECK(strstr(k, "reject") != NULL);
	CHECK(str_endswith(k, "from smtp-in smtp-out"));
	free(k);
	/* The classic copy traces the same. */
	k = trace_kinds("log/sandbox-classic.log", "6AM2twRt014390", &n);
	CHECK(n == 29);
	free(k);
	/* An id that is not there, a prefix of one that is. */
	k = trace_kinds("log/sandbox.log", "6AM2twRt01439", &n);
	CHECK(n == 0);
	free(k);
}

static struct host *
log_host(const char *dir)
{
	struct profile	*p;
	char		*cause = NULL, *conf;

	conf = xasprintf("mail_log = %s/mail.log\n", dir);
	p = profile_parse(conf, strlen(conf), dir, "smadm.conf", &cause);
	free(conf);
	if (p == NULL)
		util_fatal("%s", cause);
	return host_create(transport_local_create(), p);
}

static void
write_text(const char *path, const char *text, int append)
{
	FILE	*f = fopen(path, append ? "a" : "w");

	if (f == NULL)
		util_fatal("%s", path);
	fputs(text, f);
	fclose(f);
}

static void
run(const char *const *argv)
{
	struct transport	*t = transport_local_create();
	struct run_opts		 ro;
	struct run_result	 rr;
	char			*cause = NULL;

	run_opts_init(&ro);
	if (transport_run(t, argv, &ro, &rr, &cause) != 0 || rr.status != 0)
		util_fatal("%s failed", argv[0]);
	run_result_release(&rr);
	transport_free(t);
}

TEST(log_trace_rotated_gz)
{
	const char		*dir = test_tmpdir();
	struct host		*h = log_host(dir);
	struct log_result	 res;
	char			*p1, *p2, *p3, *all, *cause = NULL;
	const char		*gz[] = { "/bin/gzip", "-n", NULL, NULL };
	size_t			 len, cut1, cut2;

	/* Split the real log in three: .2.gz (oldest), .1, the live one. */
	all = read_fixture("log/sandbox.log", &len);
	cut1 = (size_t)(strstr(all, "6AM2tfoN014024: to=<root>") - all);
	while (all[cut1 - 1] != '\n')
		cut1--;
	cut2 = (size_t)(strstr(all, "6AM2tfoN014024: done;") - all);
	while (all[cut2 - 1] != '\n')
		cut2--;
	p1 = xasprintf("%s/mail.log.2", dir);
	p2 = xasprintf("%s/mail.log.1", dir);
	p3 = xasprintf("%s/mail.log", dir);
	all[cut1 - 1] = '\0';
	write_text(p1, all, 0);
	write_text(p1, "\n", 1);
	all[cut2 - 1] = '\0';
	write_text(p2, all + cut1, 0);
	write_text(p2, "\n", 1);
	write_text(p3, all + cut2, 0);
	gz[2] = p1;
	run(gz);
	log_result_init(&res);
	CHECK(log_trace(h, "6AM2tfoN014024", &res, &cause) == 0);
	CHECK(res.files.n == 3);
	CHECK(str_endswith(res.files.v[0], "mail.log.2.gz"));
	CHECK(str_endswith(res.files.v[1], "mail.log.1"));
	CHECK(res.nhits == 6);
	CHECK(res.nhits == 6 && res.hits[0].file == 0 &&
	    strstr(res.hits[0].text, "connect from") != NULL);
	CHECK(res.nhits == 6 && res.hits[4].file == 1 &&
	    strstr(res.hits[4].text, "stat=Sent") != NULL);
	CHECK(res.nhits == 6 && res.hits[5].file == 2 &&
	    strstr(res.hits[5].text, "done;") != NULL);
	CHECK(res.warnings.n == 0);
	log_result_release(&res);
	CHECK(log_trace(h, "nonsense", &res, &cause) == -1);
	free(cause);
	free(all);
	free(p1);
	free(p2);
	free(p3);
	host_free(h);
}

/* Lines "line N" from a to b-1. */
static void
append_lines(const char *path, int a, int b)
{
	struct buf	 t = BUF_INIT;
	int		 i;

	for (i = a; i < b; i++)
		buf_printf(&t, "line %d\n", i);
	write_text(path, t.data, 1);
	buf_release(&t);
}

TEST(log_follow_rotation)
{
	const char		*dir = test_tmpdir();
	struct host		*h = log_host(dir);
	struct log_follow	*f;
	struct strv		 lines = STRV_INIT;
	char			*path, *old, *cause = NULL, want[32];
	const char		*cp[] = { "/bin/cp", NULL, NULL, NULL };
	size_t			 i;

	path = xasprintf("%s/mail.log", dir);
	old = xasprintf("%s/mail.log.1", dir);
	append_lines(path, 0, 10);
	f = log_follow_open(h, path, 5, &cause);
	CHECK(f != NULL);
	CHECK(log_follow_read(f, &lines, &cause) == 5);
	CHECK(lines.n == 5 && strcmp(lines.v[0], "line 5") == 0);
	strv_release(&lines);
	/* From here on lines collects "line 10" onwards. */
	append_lines(path, 10, 20);
	CHECK(log_follow_read(f, &lines, &cause) == 10);
	/* A half line is held back until it ends. */
	write_text(path, "line 2", 1);
	CHECK(log_follow_read(f, &lines, &cause) == 0);
	write_text(path, "0\n", 1);
	CHECK(log_follow_read(f, &lines, &cause) == 1);

	/* Rename: the writer goes on with the old file for a while. */
	append_lines(path, 21, 25);
	CHECK(rename(path, old) == 0);
	append_lines(old, 25, 30);
	CHECK(log_follow_read(f, &lines, &cause) == 9);
	append_lines(path, 30, 35);
	CHECK(log_follow_read(f, &lines, &cause) == 5);
	/* Late lines in the old file come before newer ones of the new. */
	append_lines(old, 35, 38);
	CHECK(log_follow_read(f, &lines, &cause) == 3);
	append_lines(path, 38, 40);
	CHECK(log_follow_read(f, &lines, &cause) == 2);

	/* Copy-truncate, with lines written before the copy not yet read:
	 * they are read from the copy. */
	append_lines(path, 40, 45);
	CHECK(log_follow_read(f, &lines, &cause) == 5);
	append_lines(path, 45, 55);
	unlink(old);
	cp[1] = path;
	cp[2] = old;
	run(cp);
	CHECK(truncate(path, 0) == 0);
	append_lines(path, 55, 58);
	CHECK(log_follow_read(f, &lines, &cause) == 13);
	append_lines(path, 58, 65);
	CHECK(log_follow_read(f, &lines, &cause) == 7);
	CHECK(log_follow_read(f, &lines, &cause) == 0);

	/* line 10 .. line 64, each once, in order. */
	CHECK(lines.n == 55);
	for (i = 0; i < lines.n; i++) {
		snprintf(want, sizeof want, "line %zu", i + 10);
		CHECK_STR(lines.v[i], want);
	}
	log_follow_close(f);
	strv_release(&lines);
	free(path);
	free(old);
	host_free(h);
}

TEST(daemon_control_answers)
{
	struct daemon_control	dc;

	daemon_control_init(&dc);
	/* sendmail 8.17.1.9's answer, captured from a sandbox daemon. */
	CHECK(daemon_control_parse("0/20/83274756/1\r\n18081 console socket "
	    "child\r\n18078 accepting connections\r\n", &dc) == 0);
	CHECK(dc.children == 0);
	CHECK(dc.max_children == 20);
	CHECK(dc.free_blocks == 83274756LL);
	CHECK(dc.load == 1);
	CHECK(dc.child_list.n == 2);
	CHECK_STR(dc.child_list.v[1], "18078 accepting connections");
	daemon_control_release(&dc);
	CHECK(daemon_control_parse("Current number of children: 3\r\n"
	    "QueueDir free disk space (in blocks): 1234\r\nLoad average: 2\r\n"
	    "Child Process list:\r\n", &dc) == 0);
	CHECK(dc.children == 3 && dc.free_blocks == 1234 && dc.load == 2);
	daemon_control_release(&dc);
	CHECK(daemon_control_parse("500 5.0.0 Bad command\r\n", &dc) == -1);
	daemon_control_release(&dc);
}

TEST(daemon_cf_and_mc_levels)
{
	char	*v;

	v = daemon_cf_option("O LogLevel=9\n#O LogLevel=3\nO LogLevel=12 \n"
	    "O ControlSocketName=/run/c\n", "LogLevel");
	CHECK_STR(v, "12");
	free(v);
	v = daemon_cf_option("#O ControlSocketName=/x\n", "ControlSocketName");
	CHECK(v == NULL);
	CHECK(loglevel_from_mc("define(`confLOG_LEVEL', `12')dnl\n") == 12);
	CHECK(loglevel_from_mc("dnl define(`confLOG_LEVEL', `14')dnl\n") ==
	    -1);
	CHECK(loglevel_from_mc("define(confLOG_LEVEL,15)\n") == 15);
}

TEST(log_follow_long_line)
{
	const char		*dir = test_tmpdir();
	struct host		*h = log_host(dir);
	struct log_follow	*f;
	struct strv		 lines = STRV_INIT;
	struct buf		 b = BUF_INIT;
	char			*path, *fifo, *cause = NULL;
	size_t			 i, cutlen = LOG_LINE_MAX + strlen(LOG_LINE_CUT);

	path = xasprintf("%s/mail.log", dir);
	write_text(path, "first\n", 0);
	f = log_follow_open(h, path, 0, &cause);
	CHECK(f != NULL);
	/* 200 KB and no newline: its start now, with the mark. */
	for (i = 0; i < 200000; i++)
		buf_addch(&b, 'x');
	write_text(path, b.data, 1);
	CHECK(log_follow_read(f, &lines, &cause) == 1);
	CHECK(lines.n == 1 && strlen(lines.v[0]) == cutlen &&
	    str_endswith(lines.v[0], LOG_LINE_CUT));
	/* The rest of it is dropped, up to its newline. */
	write_text(path, b.data, 1);
	CHECK(log_follow_read(f, &lines, &cause) == 0);
	write_text(path, "rest\nnext\n", 1);
	CHECK(log_follow_read(f, &lines, &cause) == 1);
	CHECK(lines.n == 2 && strcmp(lines.v[1], "next") == 0);
	/* A long line that ends in the same read is cut too. */
	write_text(path, b.data, 1);
	write_text(path, "\nafter\n", 1);
	CHECK(log_follow_read(f, &lines, &cause) == 2);
	CHECK(lines.n == 4 && strlen(lines.v[2]) == cutlen &&
	    strcmp(lines.v[3], "after") == 0);
	log_follow_close(f);

	/* A FIFO in the log's place: refused at once, not waited on. */
	fifo = xasprintf("%s/fifo", dir);
	CHECK(mkfifo(fifo, 0600) == 0);
	f = log_follow_open(h, fifo, 5, &cause);
	CHECK(f == NULL);
	CHECK(cause != NULL && strstr(cause, "not a regular file") != NULL);
	free(cause);
	free(fifo);
	strv_release(&lines);
	buf_release(&b);
	free(path);
	host_free(h);
}
