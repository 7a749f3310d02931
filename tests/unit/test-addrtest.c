/*
 * test-addrtest.c -- reading sendmail -bt's answers (backend/addrtest.h),
 * on answers captured from the real sendmail (tests/fixtures/addrtest).
 */
#include <stdlib.h>

#include "../../backend/addrtest.h"
#include "test.h"

/* The script and the reading of its answer, for a split address. */
static int
read_fixture(struct addrtest *at, const char *addr, const char *local,
    const char *domain, const char *fixture, struct buf *script)
{
	struct buf	 out = BUF_INIT;
	char		*cause = NULL;
	int		 rc;

	addrtest_init(at);
	at->address = xstrdup(addr);
	at->local = xstrdup(local);
	at->domain = domain != NULL ? xstrdup(domain) : NULL;
	addrtest_bt_script(at, script);
	test_read_fixture(fixture, &out);
	rc = addrtest_read_bt(at, out.data, &cause);
	free(cause);
	buf_release(&out);
	return rc;
}

TEST(addrtest_mailertable_route)
{
	struct addrtest	at;
	struct buf	script = BUF_INIT;

	CHECK(read_fixture(&at, "user@gw.example", "user", "gw.example",
	    "addrtest/gw.bt", &script) == 0);
	CHECK_STR(script.data, "/parse user@gw.example\n$=w\n$={VirtHost}\n"
	    "/map virtuser user@gw.example\n/map virtuser @gw.example\n"
	    "/map mailertable gw.example\n/map mailertable .example\n"
	    "/map mailertable .\n/map aliases user\n");
	CHECK_STR(at.mailer, "smtp");
	CHECK_STR(at.host, "[127.0.0.2]");
	CHECK_STR(at.user, "user@gw.example");
	CHECK(at.parse_error == NULL);
	CHECK(!at.local_domain && !at.virtual_domain);
	CHECK(at.nlookups == 6);
	CHECK(at.lookups[0].value == NULL && !at.lookups[0].missing);
	CHECK_STR(at.lookups[2].map, "mailertable");
	CHECK_STR(at.lookups[2].value, "smtp:[127.0.0.2]");
	CHECK(at.lookups[3].value == NULL);
	addrtest_release(&at);
	buf_release(&script);
}

TEST(addrtest_error_and_empty_classes)
{
	struct addrtest	at;
	struct buf	script = BUF_INIT;

	/* $={VirtHost} is empty: its prompt is followed by the next one. */
	CHECK(read_fixture(&at, "a@@b", "a@", "b", "addrtest/error.bt",
	    &script) == 0);
	CHECK_STR(at.mailer, "*error*");
	CHECK_STR(at.host, "5.1.3");
	CHECK_STR(at.user, "\"553 Invalid route address\"");
	CHECK_STR(at.parse_error, "a@@b... Invalid route address");
	CHECK(at.nlookups == 5);
	CHECK_STR(at.lookups[4].map, "aliases");
	CHECK(at.lookups[4].value == NULL);
	addrtest_release(&at);
	buf_release(&script);
}

TEST(addrtest_local_domain_and_short_answer)
{
	struct addrtest	at;
	char		*cause = NULL;

	addrtest_init(&at);
	at.address = xstrdup("x@vm.sandbox.example");
	at.local = xstrdup("x");
	at.domain = xstrdup("vm.sandbox.example");
	CHECK(addrtest_read_bt(&at, "ADDRESS TEST MODE\n> mailer local, "
	    "user x\n> vm\nvm.sandbox.example\nlocalhost\n> > ", &cause) == 0);
	CHECK(at.local_domain && !at.virtual_domain);
	CHECK_STR(at.mailer, "local");
	CHECK(at.host == NULL);
	CHECK_STR(at.user, "x");
	/* With lookups expected, the same answer is too short. */
	at.lookups = NULL;
	{
		struct buf s = BUF_INIT;

		addrtest_bt_script(&at, &s);
		buf_release(&s);
	}
	CHECK(at.nlookups > 0);
	CHECK(addrtest_read_bt(&at, "ADDRESS TEST MODE\n> mailer local, "
	    "user x\n> > > ", &cause) == -1);
	CHECK(cause != NULL);
	free(cause);
	addrtest_release(&at);
}
