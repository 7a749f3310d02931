/*
 * test-shquote.c -- the SSH quoting function, checked through real shells.
 *
 * Every argument list is quoted, handed to sh -c (dash and bash when
 * present) behind /usr/bin/printf '%s\0', and what the shell passed on
 * must equal the original bytes.  A canary file proves nothing ran.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "../../backend/shquote.h"
#include "../../backend/transport.h"

static const char *const nasty[] = {
	"plain", "", " ", "a b", "'", "''", "\"", "\\", "\\'", "$HOME",
	"$(touch CANARY)", "`touch CANARY`", ";touch CANARY", "|touch CANARY",
	"&touch CANARY", "a\nb", "\n", "*", "?", "[a]", "~", "~root", "!",
	"!!", "#", "a=b", "-n", "--", "{a,b}", "\t", "x'$(touch CANARY)'y",
	"\xff\xfe", "é", ">CANARY", "<CANARY", "%s", NULL
};

static int
roundtrip(const char *shell, const char *const *args)
{
	struct transport	*t = transport_local_create();
	struct run_opts		 ro;
	struct run_result	 rr;
	struct buf		 line = BUF_INIT;
	const char		*argv[4];
	char			*cause = NULL;
	size_t			 i, off;
	int			 ok = 1;

	buf_addstr(&line, "/usr/bin/printf '%s\\0'");
	for (i = 0; args[i] != NULL; i++) {
		buf_addch(&line, ' ');
		sh_quote(&line, args[i]);
	}
	argv[0] = shell;
	argv[1] = "-c";
	argv[2] = line.data;
	argv[3] = NULL;
	run_opts_init(&ro);
	ro.cwd = test_tmpdir();
	run_result_init(&rr);
	if (transport_run(t, argv, &ro, &rr, &cause) != 0 || rr.status != 0)
		ok = 0;
	for (i = 0, off = 0; ok && args[i] != NULL; i++) {
		if (off + strlen(args[i]) + 1 > rr.out.len ||
		    strcmp(rr.out.data + off, args[i]) != 0)
			ok = 0;
		off += strlen(args[i]) + 1;
	}
	if (ok && off != rr.out.len)
		ok = 0;
	free(cause);
	run_result_release(&rr);
	buf_release(&line);
	transport_free(t);
	return (ok);
}

TEST(shquote_real_shells)
{
	static const char *const shells[] = { "/bin/sh", "/bin/dash",
	    "/bin/bash", NULL };
	struct buf	 canary = BUF_INIT;
	size_t		 i, j;

	buf_printf(&canary, "%s/CANARY", test_tmpdir());
	for (i = 0; shells[i] != NULL; i++) {
		if (access(shells[i], X_OK) != 0)
			continue;
		CHECK(roundtrip(shells[i], nasty));
		for (j = 0; nasty[j] != NULL; j++) {
			const char *one[2] = { nasty[j], NULL };

			CHECK(roundtrip(shells[i], one));
		}
	}
	CHECK(access(canary.data, F_OK) != 0);
	buf_release(&canary);
}

TEST(shquote_forms)
{
	struct buf	 b = BUF_INIT;
	struct strv	 sv = STRV_INIT;
	char		*cause = NULL;
	size_t		 i;

	sh_quote(&b, "/usr/sbin/sendmail");
	CHECK_STR(b.data, "/usr/sbin/sendmail");
	buf_reset(&b);
	sh_quote(&b, "");
	CHECK_STR(b.data, "''");
	buf_reset(&b);
	sh_quote(&b, "it's");
	CHECK_STR(b.data, "'it'\\''s'");
	buf_reset(&b);
	sh_quote(&b, "a=b");
	CHECK_STR(b.data, "'a=b'");
	buf_reset(&b);
	sh_quote_argv(&b, nasty);
	CHECK(sh_unquote_argv(b.data, &sv, &cause) == 0);
	for (i = 0; nasty[i] != NULL; i++)
		CHECK(i < sv.n && strcmp(sv.v[i], nasty[i]) == 0);
	CHECK(sv.n == i);
	strv_release(&sv);
	CHECK(sh_unquote_argv("'open", &sv, &cause) == -1);
	free(cause);
	strv_release(&sv);
	buf_release(&b);
}
