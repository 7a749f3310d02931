/*
 * test-shwords.c -- the console prompt's word splitter: quoting as in
 * sh, errors for what a shell would reject, and the round trip with
 * sh_quote_argv().
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../backend/shquote.h"
#include "../../backend/shwords.h"

/* Split line and compare with the NULL-ended want; 1 if equal. */
static int
split_is(const char *line, const char *const *want)
{
	struct strv	 sv = STRV_INIT;
	char		*cause = NULL;
	size_t		 i;
	int		 ok;

	if (shwords_split(line, &sv, &cause) != 0) {
		fprintf(stderr, "  split \"%s\": %s\n", line, cause);
		free(cause);
		return 0;
	}
	for (i = 0; want[i] != NULL; i++)
		if (i >= sv.n || strcmp(sv.v[i], want[i]) != 0)
			break;
	ok = want[i] == NULL && i == sv.n;
	if (!ok)
		for (i = 0; i < sv.n; i++)
			fprintf(stderr, "  split \"%s\": word %zu \"%s\"\n",
			    line, i, sv.v[i]);
	strv_release(&sv);
	return ok;
}

TEST(shwords_split_quotes)
{
	static const char *const none[] = { NULL };
	static const char *const plain[] = { "map", "list", NULL };
	static const char *const single[] = { "map", "set", "access",
		"From:a b.example", "REJECT", NULL };
	static const char *const dbl[] = { "say", "a \"q\" \\n $x `y` \\", NULL };
	static const char *const glued[] = { "ab c'd'\"e\"", NULL };
	static const char *const empty[] = { "", "x", "", NULL };
	static const char *const bs[] = { "a b", "'", "\"", "c", NULL };
	static const char *const inside[] = { "it's", "\\'", NULL };
	static const char *const nl[] = { "ab", "cd", NULL };

	CHECK(split_is("", none));
	CHECK(split_is(" \t\n ", none));
	CHECK(split_is("  map   list ", plain));
	CHECK(split_is("map set access 'From:a b.example' REJECT", single));
	CHECK(split_is("map set access \"From:a b.example\" REJECT", single));
	CHECK(split_is("map set access From:a\\ b.example REJECT", single));
	CHECK(split_is("say \"a \\\"q\\\" \\n \\$x \\`y\\` \\\\\"", dbl));
	CHECK(split_is("'ab c'\\'d\\'\"\\\"e\\\"\"", glued));
	CHECK(split_is("ab\\ c\\'d\\'\\\"e\\\"", glued));
	CHECK(split_is("'' x \"\"", empty));
	CHECK(split_is("a\\ b \\' \\\" c", bs));
	CHECK(split_is("\"it's\" \"\\\\'\"", inside));
	CHECK(split_is("a\\\nb \"c\\\nd\"", nl));
}

TEST(shwords_split_errors)
{
	static const char *const bad[] = { "'open", "a \"open", "a 'b\"",
		"x \"a\\\"", "end\\", "'", "\"", NULL };
	struct strv	 sv = STRV_INIT;
	char		*cause;
	size_t		 i;

	strv_push(&sv, "kept");
	for (i = 0; bad[i] != NULL; i++) {
		cause = NULL;
		CHECK(shwords_split(bad[i], &sv, &cause) == -1);
		CHECK(cause != NULL);
		free(cause);
	}
	/* A failed split leaves out as it was. */
	CHECK(sv.n == 1 && strcmp(sv.v[0], "kept") == 0);
	cause = NULL;
	CHECK(shwords_split("a 'bc", &sv, &cause) == -1);
	CHECK_STR(cause, "unterminated ' quote at column 3");
	free(cause);
	strv_release(&sv);
}

TEST(shwords_split_inverts_sh_quote)
{
	static const char *const args[] = { "plain", "", " ", "a b", "'",
		"''", "\"", "\\", "\\'", "$HOME", "`x`", "a\nb", "\t", "*",
		"~", "!", "#", "a=b", "-n", "--", "\xff\xfe", "é", "%s", NULL };
	struct buf	 line = BUF_INIT;
	struct strv	 sv = STRV_INIT;
	char		*cause = NULL;
	size_t		 i;

	sh_quote_argv(&line, args);
	CHECK(shwords_split(line.data, &sv, &cause) == 0);
	for (i = 0; args[i] != NULL; i++)
		CHECK(i < sv.n && strcmp(sv.v[i], args[i]) == 0);
	CHECK(sv.n == i);
	strv_release(&sv);
	buf_release(&line);
}
