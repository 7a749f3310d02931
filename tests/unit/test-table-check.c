/*
 * test-table-check.c -- every table's rules: what is accepted, what is
 * refused with which FILE:LINE message, and the warnings (duplicates,
 * shadowing, open relays).
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "../../backend/table.h"

/* Check text as table NAME, the file label being the table name. */
static void
check_text(const char *name, const char *text, struct table_diags *d)
{
	const struct table_def	*td = profile_table_def(name);
	struct table		*t;

	t = table_parse(td, td->name, text, strlen(text));
	table_diags_init(d);
	table_check(t, d);
	table_free(t);
}

static void
dump(const struct table_diags *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "    %s\n", d->v[i].text);
}

/* Does some message of severity sev contain text? */
static int
has(const struct table_diags *d, enum table_severity sev, const char *text)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].severity == sev && strstr(d->v[i].text, text))
			return 1;
	dump(d);
	return 0;
}

/* Every line of good is accepted without errors or warnings. */
static int
all_clean(const char *name, const char *const *good)
{
	struct table_diags	d;
	int			ok = 1;

	for (; *good != NULL; good++) {
		check_text(name, *good, &d);
		if (d.n != 0) {
			fprintf(stderr, "  %s: \"%s\" not clean:\n", name,
			    *good);
			dump(&d);
			ok = 0;
		}
		table_diags_release(&d);
	}
	return ok;
}

/* Every line of bad gives an error at line 1. */
static int
all_refused(const char *name, const char *const *bad)
{
	struct table_diags	d;
	char			prefix[64];
	int			ok = 1;

	snprintf(prefix, sizeof prefix, "%s:1: ", profile_table_def(name)->name);
	for (; *bad != NULL; bad++) {
		check_text(name, *bad, &d);
		if (d.nerrors == 0 || strncmp(d.v[0].text, prefix,
		    strlen(prefix)) != 0) {
			fprintf(stderr, "  %s: \"%s\" not refused\n", name,
			    *bad);
			dump(&d);
			ok = 0;
		}
		table_diags_release(&d);
	}
	return ok;
}

TEST(table_check_fixtures_clean)
{
	static const char *files[][2] = {
		{ "access", "tables/access" },
		{ "mailertable", "tables/mailertable" },
		{ "virtusertable", "tables/virtusertable" },
		{ "genericstable", "tables/genericstable" },
		{ "domaintable", "tables/domaintable" },
		{ "aliases", "tables/aliases" },
		{ "local-host-names", "tables/local-host-names" },
		{ "relay-domains", "tables/relay-domains" },
		{ "trusted-users", "tables/trusted-users" },
	};
	struct buf		 b = BUF_INIT;
	struct table		*t;
	struct table_diags	 d;
	size_t			 i;

	for (i = 0; i < nitems(files); i++) {
		test_read_fixture(files[i][1], &b);
		t = table_parse(profile_table_def(files[i][0]), files[i][1],
		    b.data, b.len);
		table_diags_init(&d);
		table_check(t, &d);
		if (d.n != 0)
			dump(&d);
		CHECK(d.n == 0);
		table_diags_release(&d);
		table_free(t);
	}
	buf_release(&b);
}

TEST(table_check_access_bad_fixture)
{
	static const char *want[] = {
		"tables/access-bad:1: unknown action \"RELAYY\" (expected OK, "
		    "RELAY, REJECT, DISCARD, SKIP, ERROR:..., QUARANTINE:..., "
		    "or an SMTP code)",
		"tables/access-bad:2: unknown tag \"Conect:\" (did you mean "
		    "\"Connect:\"?)",
		"tables/access-bad:3: bad key: bad IPv4 address or network "
		    "\"192.0.2.300\"",
		"tables/access-bad:4: line starts with a blank",
		"tables/access-bad:5: bad key: empty label in domain "
		    "\"spam..example\"",
		"tables/access-bad:6: GreetPause: value \"soon\" is not a "
		    "number",
		"tables/access-bad:7: SMTP code 250 is not an error",
		"tables/access-bad:8: unknown Spam: value \"FRIENDLY\"",
		"tables/access-bad:9: bad TLS requirement \"ENCRYPT:128\"",
		"tables/access-bad:10: no value for key \"nokey\"",
		"tables/access-bad:11: unknown action \"ample\"",
		"tables/access-bad:12: QUARANTINE: without a reason",
	};
	struct buf		 b = BUF_INIT;
	struct table		*t;
	struct table_diags	 d;
	size_t			 i;

	test_read_fixture("tables/access-bad", &b);
	t = table_parse(profile_table_def("access"), "tables/access-bad",
	    b.data, b.len);
	table_diags_init(&d);
	table_check(t, &d);
	CHECK(d.n == nitems(want));
	CHECK(d.nerrors == nitems(want) && d.nwarnings == 0);
	for (i = 0; i < d.n && i < nitems(want); i++) {
		if (strncmp(d.v[i].text, want[i], strlen(want[i])) != 0)
			CHECK_STR(d.v[i].text, want[i]);
		CHECK(d.v[i].line == i + 1);
		CHECK(d.v[i].severity == TABLE_ERROR);
	}
	table_diags_release(&d);
	table_free(t);
	buf_release(&b);
}

TEST(table_check_access_accepts)
{
	static const char *const good[] = {
		"Connect:mail.example.photography RELAY\n",
		"Connect:xn--mnchen-3ya.example OK\n",
		"To:shop.international RELAY\n",
		"Connect:a-very-long-label-of-exactly-sixty-three-characters-"
		    "abcdefghij.example REJECT\n",
		"Connect:IPv6:2001:db8::1 REJECT\n",
		"Connect:IPv6:2001:db8:0:0:0:0:0:1 OK\n",
		"Connect:IPv6:::ffff:192.0.2.1 OK\n",
		"Connect:IPv6:fe80 SKIP\n",
		"IPv6:2001:db8:1 REJECT\n",
		"Connect:[IPv6:2001:db8::1] OK\n",
		"Connect:[192.0.2.1] OK\n",
		"Connect:192.0.2 RELAY\n",
		"Connect:.example.com REJECT\n",
		"From:user@example.com ERROR:5.7.1:550 No thanks\n",
		"From:user@example.com ERROR:\"550 No thanks\"\n",
		"From:user@example.com ERROR:5.7.1:\"550 No thanks\"\n",
		"From:user@ REJECT\n",
		"From:first.last+tag@example.com DISCARD\n",
		"From:user@[192.0.2.1] REJECT\n",
		"To:user@example.com 450 try later\n",
		"To:user@example.com \"550 go away\"\n",
		"Connect:spam.example QUARANTINE:held for review\n",
		"connect:spam.example reject\n",
		"Spam:abuse@ FRIEND\n",
		"Spam:spam.example HATER\n",
		"Compat:a@example.com<@>b@example.org ERROR:550 no\n",
		"Compat:a@example.com<@>b@example.org TEMP:450 later\n",
		"GreetPause: 5000\n",
		"ClientRate:192.0.2.1 0\n",
		"ClientConn:IPv6:2001:db8::1 4\n",
		"QGRP:friend@some.example others\n",
		"Try_TLS:broken.example NO\n",
		"Srv_Features: V\n",
		"Clt_Features:x.example M\n",
		"TLS_Srv:x.example VERIFY\n",
		"TLS_Clt:x.example TEMP+VERIFY:112+CS:abc\n",
		"TLS_Rcpt: ENCR:128\n",
		"TLS_Clt_features:192.0.2.1 Options=SSL_OP_NO_TLSv1_2; "
		    "CipherList=ALL:-EXPORT\n",
		"AuthInfo:smart.example \"U:u\" \"P=c2VjcmV0\" \"M:PLAIN\"\n",
		"CERTISSUER:/C=US/O=Example RELAY\n",
		"CERTSUBJECT:/C=US/O=Example/CN=x RELAY\n",
		"bcc:user@example.com archive@example.com\n",
		"example.com REJECT\n",
		"Connect:localhost RELAY\n",
		NULL
	};

	CHECK(all_clean("access", good));
}

TEST(table_check_access_refuses)
{
	static const char *const bad[] = {
		"Connect:192.0.2.1 RELAYY\n",
		"Connect:192.0.2.1 OKAY\n",
		"Conect:192.0.2.1 REJECT\n",
		"Form:user@example.com REJECT\n",
		"Connect:192.0.2.256 OK\n",
		"Connect:1.2.3.4.5 OK\n",
		"Connect:IPv6:2001:db8:::1 OK\n",
		"Connect:IPv6:2001:zz8::1 OK\n",
		"Connect:exa_mple!.com OK\n",
		"Connect:-bad.example OK\n",
		"Connect:user@example.com OK\n",
		"From:@example.com REJECT\n",
		"From:user@bad..example REJECT\n",
		"To:user@example.com ERROR:250 fine\n",
		"To:user@example.com 250 fine\n",
		"To:user@example.com ERROR:\n",
		"Spam:abuse@ FRIENDS\n",
		"Compat:a@example.com REJECT\n",
		"Compat:a@b.example<@>c@d.example REJECT\n",
		"GreetPause:x.example -5\n",
		"ClientConn:192.0.2.1 many\n",
		"QGRP:example.com two words\n",
		"Srv_Features: V1\n",
		"TLS_Srv:x.example VERIFY:abc\n",
		"TLS_Srv:x.example ENCR:112+XX:y\n",
		"TLS_Srv_features:192.0.2.1 Cipherlist MEDIUM\n",
		"AuthInfo:x.example U:user P:secret\n",
		"AuthInfo:x.example \"U:user\"\n",
		" Connect:192.0.2.1 OK\n",
		"Connect:192.0.2.1\n",
		NULL
	};

	CHECK(all_refused("access", bad));
}

TEST(table_check_access_warnings)
{
	struct table_diags	d;

	check_text("access", "Connect:10.1 RELAY\n10.1.2 REJECT\n", &d);
	CHECK(d.nerrors == 0);
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: \"10.1.2\" overrides "
	    "\"Connect:10.1\" (line 1)"));
	table_diags_release(&d);

	check_text("access", "Connect:10.1 RELAY\nConnect:10.1.2 RELAY\n"
	    "Connect:10.1.3 SKIP\n", &d);
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: redundant: "
	    "\"Connect:10.1\" (line 1) already gives RELAY"));
	CHECK(d.nwarnings == 1);
	table_diags_release(&d);

	check_text("access", "To:example.com RELAY\nTo:sub.example.com RELAY\n",
	    &d);
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: redundant"));
	table_diags_release(&d);

	check_text("access", "Connect:a.example OK\nconnect:A.EXAMPLE REJECT\n",
	    &d);
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: duplicate key "
	    "\"connect:A.EXAMPLE\": sendmail uses line 1's value \"OK\", "
	    "never this \"REJECT\" (makemap keeps the first)"));
	table_diags_release(&d);

	/*
	 * A quoted ERROR: rejects with "553 5.3.0 ... ERROR:550 go away"
	 * (sendmail 8.17, by SMTP): a warning.  A quoted action is not
	 * that action: the catch-all rule rejects, an error.
	 */
	check_text("access", "From:a@bad.example \"ERROR:550 go away\"\n"
	    "From:b@bad.example \"ERROR:5.7.1:550 no\"\n", &d);
	if (d.nerrors != 0 || d.nwarnings != 2)
		dump(&d);
	CHECK(d.nerrors == 0 && d.nwarnings == 2);
	CHECK(has(&d, TABLE_WARNING, "access:1: warning: quoted value "
	    "\"\"ERROR:550 go away\"\": sendmail still rejects, but takes "
	    "it all as the reply text (553 5.3.0 ... ERROR:550 go away)"));
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: quoted value"));
	table_diags_release(&d);
	check_text("access", "Connect:192.0.2.1 \"RELAY\"\n"
	    "From:c@bad.example \"QUARANTINE:held\"\n", &d);
	CHECK(d.nerrors == 2);
	CHECK(has(&d, TABLE_ERROR, "access:1: quoted value \"\"RELAY\"\": "
	    "sendmail rejects the mail with it as the text instead of "
	    "reading RELAY"));
	CHECK(has(&d, TABLE_ERROR, "access:2: quoted value"));
	table_diags_release(&d);

	/* Open relays. */
	check_text("access", "Connect:10 RELAY\n10 RELAY\nConnect: RELAY\n"
	    "To:com RELAY\nTo:user@ RELAY\nFrom:example.com RELAY\n"
	    "Connect:IPv6:2001 RELAY\nConnect:localhost RELAY\n", &d);
	CHECK(d.nerrors == 0);
	CHECK(has(&d, TABLE_WARNING, "access:1: warning: open relay: RELAY "
	    "for the whole network 10.0.0.0/8"));
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: open relay"));
	CHECK(has(&d, TABLE_WARNING, "access:3: warning: open relay: "
	    "\"Connect:\" with RELAY matches every client"));
	CHECK(has(&d, TABLE_WARNING, "access:4: warning: open relay: RELAY "
	    "for every host under the top-level domain \"com\""));
	CHECK(has(&d, TABLE_WARNING, "access:5: warning: open relay: "
	    "\"To:user@\""));
	CHECK(has(&d, TABLE_WARNING, "access:6: warning: RELAY for an "
	    "envelope sender"));
	CHECK(has(&d, TABLE_WARNING, "access:7: warning: open relay: RELAY "
	    "for the whole IPv6 network 2001::/16"));
	if (d.nwarnings != 7)
		dump(&d);
	CHECK(d.nwarnings == 7);
	table_diags_release(&d);

	/* A tag named by a CITag is not unknown; others are. */
	check_text("access", "TLS_Srv:x.example VERIFY+CITag:MyCA\n"
	    "MyCA:/C=US/O=x/ OK\nOther:/C=US/ OK\n", &d);
	CHECK(d.n == 1);
	CHECK(has(&d, TABLE_WARNING, "access:3: warning: unknown tag "
	    "\"Other:\""));
	table_diags_release(&d);

	check_text("access", "From:user@example.com SKIP\n", &d);
	CHECK(has(&d, TABLE_WARNING, "SKIP works only"));
	table_diags_release(&d);

	check_text("access", "a.example OK\r\nc.example OK\r\n", &d);
	if (d.n != 1)
		dump(&d);
	CHECK(d.n == 1);
	CHECK(has(&d, TABLE_WARNING, "access:1: warning: CRLF (Windows) line "
	    "ends on 2 of 2 lines, from this one: makemap keeps each CR as "
	    "the last byte of the value, and so does smadm"));
	table_diags_release(&d);

	/* makemap 8.17: "syntax error (leading space)", skipped, built. */
	check_text("access", "a.example OK\r\n\r\nc.example OK\r\n", &d);
	if (d.nerrors != 0 || d.nwarnings != 2)
		dump(&d);
	CHECK(d.nerrors == 0 && d.nwarnings == 2);
	CHECK(has(&d, TABLE_WARNING, "access:2: warning: empty line but for "
	    "the CR of its CRLF line end: makemap calls it a syntax error "
	    "(leading space) and skips it"));
	table_diags_release(&d);
}

TEST(table_check_mailertable)
{
	static const char *const good[] = {
		"example.com esmtp:[192.0.2.1]\n",
		".example.com smtp:mx.example.com\n",
		". relay:[127.0.0.1]\n",
		"v6.example esmtp:[IPv6:2001:db8::1]\n",
		"x.example local:\n",
		"x.example local:user\n",
		"x.example error:5.1.2:550 Host unknown\n",
		"x.example error:550 Host unknown\n",
		"x.example error:nohost Host unknown\n",
		".sub.example relay:%1.inner.example\n",
		"x.example smtp:mx1.example:mx2.example\n",
		"xn--bcher-kva.example smtp:[mx.xn--bcher-kva.example]\n",
		"new.museum esmtp:[192.0.2.3]\n",
		NULL
	};
	static const char *const bad[] = {
		"example.com esmtp\n",
		"example.com :host.example\n",
		"example.com esmtp:\n",
		"example.com esmtp:[192.0.2.1\n",
		"user@example.com esmtp:[192.0.2.1]\n",
		"ex..ample.com esmtp:[192.0.2.1]\n",
		"example.com error:5.1.2:250 fine\n",
		"example.com error:4.1.2:550 mismatch\n",
		"example.com error:whatever text\n",
		"example.com esmtp:host with blank\n",
		"example.com esmtp:bad_host!\n",
		NULL
	};
	struct table_diags	d;

	CHECK(all_clean("mailertable", good));
	CHECK(all_refused("mailertable", bad));
	check_text("mailertable", "example.com mymailer:host.example\n", &d);
	CHECK(d.nerrors == 0 && has(&d, TABLE_WARNING, "mailer \"mymailer\""));
	table_diags_release(&d);
}

TEST(table_check_virtusertable)
{
	static const char *const good[] = {
		"info@foo.example foo-info\n",
		"@baz.example jane@example.net\n",
		"@foo.example %1@example.com\n",
		"old+*@foo.example new+%2@example.com\n",
		"+*@foo.example %1%3@example.com\n",
		"joe@bar.example error:nouser 550 No such user here\n",
		"jax@bar.example error:5.7.0:550 Address invalid\n",
		"x@y.photography z@w.xn--p1ai\n",
		NULL
	};
	static const char *const bad[] = {
		"info@foo.example two targets\n",
		"info@foo.example %9@example.com\n",
		"info@foo.example @example.com\n",
		"info@foo.example error:nosuch text\n",
		NULL
	};

	struct table_diags	d;

	CHECK(all_clean("virtusertable", good));
	CHECK(all_refused("virtusertable", bad));

	/* makemap stores them, sendmail never asks: warnings, no errors. */
	check_text("virtusertable", "root localuser\n.com error:nouser no\n"
	    "postmaster localuser\n", &d);
	if (d.nerrors != 0 || d.nwarnings != 3)
		dump(&d);
	CHECK(d.nerrors == 0 && d.nwarnings == 3);
	CHECK(has(&d, TABLE_WARNING, "virtusertable:1: warning: never looked "
	    "up: key \"root\" has no domain (sendmail looks up only "
	    "user@domain and @domain)"));
	CHECK(has(&d, TABLE_WARNING, "virtusertable:2: warning: never looked "
	    "up: key \".com\""));
	CHECK(has(&d, TABLE_WARNING, "virtusertable:3: warning: never looked "
	    "up: key \"postmaster\""));
	table_diags_release(&d);
	check_text("virtusertable", "info@ x\ninfo@bad..example x\n", &d);
	CHECK(d.nerrors == 0 && d.nwarnings == 2);
	CHECK(has(&d, TABLE_WARNING, "virtusertable:1: warning: never looked "
	    "up: bad domain in key"));
	CHECK(has(&d, TABLE_WARNING, "virtusertable:2: warning: never looked "
	    "up: bad domain in key: empty label"));
	table_diags_release(&d);
}

TEST(table_check_generics_domaintable)
{
	static const char *const ggood[] = {
		"joe joe.smith@example.com\n",
		"root@host.example.com admin@example.com\n",
		"@legacy.example %1@example.com\n",
		NULL
	};
	static const char *const gbad[] = {
		"joe joe smith\n",
		"joe@bad..example x@example.com\n",
		"joe x@bad..example\n",
		NULL
	};
	static const char *const dgood[] = {
		"oldname.example newname.example\n",
		"old.xn--p1ai new.xn--p1ai\n",
		NULL
	};
	static const char *const dbad[] = {
		"old..example new.example\n",
		"old.example new@example\n",
		NULL
	};

	CHECK(all_clean("genericstable", ggood));
	CHECK(all_refused("genericstable", gbad));
	CHECK(all_clean("domaintable", dgood));
	CHECK(all_refused("domaintable", dbad));
}

/*
 * A blank after any map's value: makemap stores it, sendmail's rules read
 * the value as without it; a warning, the same in every map table.
 */
TEST(table_check_trailing_blank_warns)
{
	static const char *const cases[][2] = {
		{ "virtusertable", "a@vm.example root\t\n" },
		{ "mailertable", "example.org esmtp:[mx.example.org] \n" },
		{ "genericstable", "joe joe.smith@example.com \n" },
		{ "domaintable", "old.example new.example\t \n" },
		{ "access", "Connect:192.0.2.1 REJECT \n" },
		{ "mailertable", "example.net esmtp:[mx.example.net] \r\n" },
	};
	struct table_diags	d;
	size_t			i;

	for (i = 0; i < nitems(cases); i++) {
		check_text(cases[i][0], cases[i][1], &d);
		CHECK(d.nerrors == 0);
		CHECK(has(&d, TABLE_WARNING, "1: warning: trailing blanks "
		    "after the value"));
		table_diags_release(&d);
	}
	/* A blank inside the value is still wrong. */
	check_text("mailertable", "example.org esmtp:mx one.example\n", &d);
	CHECK(d.nerrors == 1);
	table_diags_release(&d);
	/* "REJECT text" still rejects; "OK text" rejects instead. */
	check_text("access", "From:a@bad.example REJECT go away\n"
	    "From:b@bad.example \"REJECT\"\n"
	    "From:c@bad.example OK then\n", &d);
	CHECK(d.nerrors == 1 && d.nwarnings == 2);
	CHECK(has(&d, TABLE_WARNING, "access:1: warning: \"REJECT go away\": "
	    "sendmail still rejects"));
	CHECK(has(&d, TABLE_ERROR, "access:3: unknown action \"OK then\""));
	table_diags_release(&d);
}

TEST(table_check_aliases)
{
	static const char *const good[] = {
		"postmaster: root\n",
		"staff: alice,\n\tbob@example.org,\n  \"carol s\"@example.net\n",
		"prog: \"|/usr/bin/prog --opt\"\n",
		"prog2: |/usr/bin/procmail\n",
		"file: /var/log/mail.archive\n",
		"list: :include:/etc/mail/list\n",
		"multi: a,\\\n b\n",
		"trailing: a, b,\n",
		"\"quoted name\": x\n",
		"angle: <user@example.com>\n",
		NULL
	};
	static const char *const bad[] = {
		"nocolon x\n",
		"empty:\n",
		"user@example.com: x\n",
		"  orphan: x\n",
		"bad: a,, b\n",
		"bad: \"|/usr/bin/prog\n",
		"bad: :include:relative/path\n",
		"bad: user@bad..example\n",
		"bad: |\n",
		NULL
	};
	struct table_diags	d;

	CHECK(all_clean("aliases", good));
	CHECK(all_refused("aliases", bad));

	check_text("aliases", "dup: a\nx: y\nDup: b\n", &d);
	CHECK(has(&d, TABLE_WARNING, "aliases:3: warning: duplicate alias "
	    "\"Dup\" (also at line 1; sendmail -bi keeps the last)"));
	table_diags_release(&d);

	check_text("aliases", "b  c: x\n", &d);
	CHECK(has(&d, TABLE_WARNING, "is stored as \"b.c\""));
	table_diags_release(&d);

	/* A comment ends an entry: the indented line after it is lost. */
	check_text("aliases", "a: b\n# c\n  d\n", &d);
	CHECK(has(&d, TABLE_ERROR, "aliases:3: line starts with a blank but "
	    "continues no alias"));
	table_diags_release(&d);
}

TEST(table_check_class_files)
{
	static const char *const hosts[] = {
		"localhost\nmail.example.com\n",
		"example.photography xn--mnchen-3ya.example # comment\n",
		"[192.0.2.1]\n",
		"192.0.2\n",
		"IPv6:2001:db8::1\n",
		NULL
	};
	static const char *const badhosts[] = {
		"bad..example\n",
		"192.0.2.999\n",
		"host!name\n",
		NULL
	};
	static const char *const users[] = { "smmsp\nmailman\n", NULL };
	static const char *const badusers[] = { "bad,user\n", NULL };
	struct table_diags	 d;

	CHECK(all_clean("local-host-names", hosts));
	CHECK(all_clean("relay-domains", hosts));
	CHECK(all_refused("local-host-names", badhosts));
	CHECK(all_clean("trusted-users", users));
	CHECK(all_refused("trusted-users", badusers));
	check_text("relay-domains", "a.example\nA.example b.example\n", &d);
	CHECK(has(&d, TABLE_WARNING, "relay_domains:2: warning: \"A.example\" "
	    "is listed twice (first at line 1)"));
	table_diags_release(&d);
}
