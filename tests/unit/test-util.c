/*
 * test-util.c -- the string buffer and string vectors.
 */
#include <stdlib.h>

#include "test.h"

TEST(buf_printf_grows)
{
	struct buf	b = BUF_INIT;
	int		i;

	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	CHECK(b.len == strlen(b.data));
	CHECK(str_startswith(b.data, "0,1,2,"));
	CHECK(str_endswith(b.data, "998,999,"));
	buf_release(&b);
	CHECK(b.len == 0 && b.data[0] == '\0');
}

TEST(strv_split)
{
	struct strv	sv = STRV_INIT;
	char		*j;

	strv_split_ws(&sv, "  -bd\t -q15m  ");
	CHECK(sv.n == 2);
	CHECK_STR(sv.v[0], "-bd");
	CHECK_STR(sv.v[1], "-q15m");
	CHECK(sv.v[2] == NULL);
	strv_release(&sv);
	strv_split_char(&sv, "a, b ,,c", ',');
	j = strv_join(&sv, "|");
	CHECK_STR(j, "a|b||c");
	free(j);
	strv_release(&sv);
}

TEST(str_tonum_range)
{
	long long	 v;
	char		*cause = NULL;

	CHECK(str_tonum("2525", 1, 65535, &v, &cause) == 0 && v == 2525);
	CHECK(str_tonum("70000", 1, 65535, &v, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "out of range") != NULL);
	free(cause);
	cause = NULL;
	CHECK(str_tonum("25x", 1, 65535, &v, &cause) == -1);
	free(cause);
}
