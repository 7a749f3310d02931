/*
 * test-table-parse.c -- reading table sources losslessly, the way makemap,
 * sendmail -bi and the cf's F command read them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "../../backend/table.h"

static struct table *
parse(const char *name, const char *text, size_t len)
{
	return table_parse(profile_table_def(name), name, text, len);
}

/* Parse and serialise: must give the same bytes. */
static int
round_trip(const char *name, const char *text, size_t len)
{
	struct table	*t = parse(name, text, len);
	struct buf	 out = BUF_INIT;
	int		 same;

	table_serialize(t, &out);
	same = out.len == len && memcmp(out.data, text, len) == 0;
	buf_release(&out);
	table_free(t);
	return same;
}

static const struct {
	const char	*table;
	const char	*file;
	size_t		 entries;
} fixtures[] = {
	{ "access", "tables/access", 42 },
	{ "access", "tables/access-crlf", 4 },
	{ "access", "tables/access-bad", 11 },
	{ "mailertable", "tables/mailertable", 11 },
	{ "virtusertable", "tables/virtusertable", 9 },
	{ "genericstable", "tables/genericstable", 4 },
	{ "domaintable", "tables/domaintable", 2 },
	{ "aliases", "tables/aliases", 21 },
	{ "local-host-names", "tables/local-host-names", 5 },
	{ "relay-domains", "tables/relay-domains", 4 },
	{ "trusted-users", "tables/trusted-users", 2 },
};

TEST(table_fixtures_round_trip)
{
	struct buf	 b = BUF_INIT;
	struct table	*t;
	size_t		 i;

	for (i = 0; i < nitems(fixtures); i++) {
		test_read_fixture(fixtures[i].file, &b);
		CHECK(b.len > 0);
		CHECK(round_trip(fixtures[i].table, b.data, b.len));
		t = parse(fixtures[i].table, b.data, b.len);
		if (t->nentries != fixtures[i].entries)
			fprintf(stderr, "%s: %zu entries\n", fixtures[i].file,
			    t->nentries);
		CHECK(t->nentries == fixtures[i].entries);
		table_free(t);
	}
	buf_release(&b);
}

TEST(table_round_trip_odd_bytes)
{
	static const struct {
		const char	*text;
		size_t		 len;
	} cases[] = {
		{ "", 0 }, { "\n", 1 }, { "\n\n", 2 }, { "a b", 3 },
		{ "a b\r\n", 5 }, { "\r\n\r\n", 4 }, { "x\r", 2 },
		{ "a\rb c\n", 6 }, { "k\0v x\n", 6 }, { "\r", 1 },
		{ "  lead\n\ttab\n", 12 }, { "a: b\\\n", 6 },
		{ "# c\r\nk v\nl w\r\n", 14 }, { "a b\r\r\n", 6 },
	};
	const char	*tables[] = { "access", "aliases", "relay-domains" };
	size_t		 i, j;

	for (i = 0; i < nitems(cases); i++)
		for (j = 0; j < nitems(tables); j++)
			CHECK(round_trip(tables[j], cases[i].text,
			    cases[i].len));
}

TEST(table_map_reads_like_makemap)
{
	const char	*text = "Key1 value one  \t\nkey2\t\t  val2\r\n"
	    "  lead x\nnorhs\nnorhs2   \n#c\n\n   \nk3 a#b\nk4\r\nlast noeol";
	struct table	*t = parse("access", text, strlen(text));
	struct map_pair	*p;
	size_t		 n;

	CHECK(t->nlines == 11);
	CHECK(t->lines[1].eol == TABLE_EOL_CRLF);
	CHECK(t->lines[10].eol == TABLE_EOL_NONE);
	CHECK(t->lines[0].type == TABLE_LINE_ENTRY);
	CHECK(t->lines[2].type == TABLE_LINE_BAD);	/* leading space */
	CHECK(t->lines[3].type == TABLE_LINE_BAD);	/* no RHS */
	CHECK(t->lines[4].type == TABLE_LINE_BAD);
	CHECK(t->lines[5].type == TABLE_LINE_COMMENT);
	CHECK(t->lines[6].type == TABLE_LINE_BLANK);
	CHECK(t->lines[7].type == TABLE_LINE_BAD);	/* only blanks */
	CHECK(t->lines[9].type == TABLE_LINE_BAD);	/* "k4\r" */

	/* What makemap stored, measured with db_dump -p. */
	n = table_pairs(t, &p);
	CHECK(n == 4);
	CHECK(p[0].keylen == 4 && memcmp(p[0].key, "Key1", 4) == 0);
	CHECK(p[0].vallen == 12 && memcmp(p[0].val, "value one  \t", 12) == 0);
	CHECK(p[1].vallen == 5 && memcmp(p[1].val, "val2\r", 5) == 0);
	CHECK(p[2].vallen == 3 && memcmp(p[2].val, "a#b", 3) == 0);
	CHECK(p[3].vallen == 5 && memcmp(p[3].val, "noeol", 5) == 0);
	free(p);
	table_free(t);
}

TEST(table_map_line_length)
{
	struct buf	 b = BUF_INIT;
	struct table	*t;
	size_t		 i;

	/* makemap: 1022 bytes + LF fit, 1023 do not. */
	buf_addstr(&b, "k ");
	for (i = 0; i < 1020; i++)
		buf_addch(&b, 'v');
	buf_addstr(&b, "\nk2 ");
	for (i = 0; i < 1020; i++)
		buf_addch(&b, 'v');
	buf_addstr(&b, "w\n");
	t = parse("access", b.data, b.len);
	CHECK(t->nentries == 2);
	CHECK(!t->entries[0].bad);
	CHECK(t->entries[1].bad);
	table_free(t);
	buf_release(&b);
}

TEST(table_aliases_read_like_sendmail)
{
	/* Values as db_dump -p showed them after sendmail -bi. */
	const char	*text = "postmaster: root\nFoo: bar, baz,\n  qux\n"
	    "\tquux  \nmulti: a,\\\n b\n# comment\nalso: x\n# in between\n"
	    "  orphan\nb  c: 1\n<ang>: z\n\"q\"  : 5\n\"quoted name\": z\n"
	    "empty:\ne:\n  x\nu@dom: y\ncrlf: c\r\n\r\nh: \\\n  x\n"
	    "last: \\";
	struct table	*t = parse("aliases", text, strlen(text));
	struct map_pair	*p;
	size_t		 n, i;
	static const char *want[][2] = {
		{ "postmaster", "root" },
		{ "Foo", "bar, baz,  qux\tquux  " },
		{ "multi", "a, b" },
		{ "also", "x" },
		{ "b.c", "1" },
		{ "ang", "z" },
		{ "q", "5" },
		{ "\"quoted name\"", "z" },
		{ "e", "x" },
		{ "crlf", "c\r" },
		{ "h", "x" },
		{ "last", "\\" },
	};

	n = table_pairs(t, &p);
	CHECK(n == nitems(want));
	for (i = 0; i < n && i < nitems(want); i++) {
		CHECK(p[i].keylen == strlen(want[i][0]) &&
		    memcmp(p[i].key, want[i][0], p[i].keylen) == 0);
		CHECK(p[i].vallen == strlen(want[i][1]) &&
		    memcmp(p[i].val, want[i][1], p[i].vallen) == 0);
	}
	free(p);

	/* The entry model keeps the name as written. */
	i = table_find(t, "b  c");
	CHECK(i != TABLE_NONE && t->entries[i].dbkey != NULL);
	i = table_find(t, "foo");
	CHECK(i != TABLE_NONE && t->entries[i].nlines == 3);
	CHECK(t->lines[t->entries[i].line + 2].type == TABLE_LINE_CONT);
	CHECK(t->lines[9].type == TABLE_LINE_BAD);	/* orphan */
	CHECK(table_find(t, "empty") != TABLE_NONE);
	CHECK(t->entries[table_find(t, "empty")].bad);
	CHECK(t->entries[table_find(t, "u@dom")].bad);
	table_free(t);
}

TEST(table_aliases_duplicate_last_wins)
{
	const char	*text = "dup: 1\nDUP: 2\n";
	struct table	*t = parse("aliases", text, strlen(text));

	/* sendmail -bi keeps the last one. */
	CHECK(table_find(t, "dup") == 1);
	table_free(t);
	t = parse("access", text, strlen(text));
	CHECK(table_find(t, "dup:") == 0);
	table_free(t);
}

TEST(table_class_reads_like_cf)
{
	/* F{w} -o FILE %[^#], measured with $=w in sendmail -bt. */
	const char	*text = "one.example two.example # trailing\n"
	    "#full comment\n  three.example\t\nfour#x five\nsix.example\r\n"
	    "\n  # indented comment\nseven.example";
	struct table	*t = parse("local-host-names", text, strlen(text));
	static const char *want[] = { "one.example", "two.example",
	    "three.example", "four", "six.example", "seven.example" };
	struct map_pair	*p;
	size_t		 i;

	CHECK(t->nentries == nitems(want));
	for (i = 0; i < t->nentries && i < nitems(want); i++) {
		CHECK_STR(t->entries[i].key, want[i]);
		CHECK(t->entries[i].value == NULL);
	}
	CHECK(t->entries[1].line == 0 && t->entries[1].col == 12);
	CHECK(t->lines[1].type == TABLE_LINE_COMMENT);
	CHECK(t->lines[5].type == TABLE_LINE_BLANK);
	CHECK(t->lines[6].type == TABLE_LINE_COMMENT);
	CHECK(table_pairs(t, &p) == 0);
	free(p);
	table_free(t);
}

TEST(table_majority_eol)
{
	const char	*text = "a b\r\nc d\r\ne f\n";
	struct table	*t = parse("access", text, strlen(text));

	CHECK(t->eol == TABLE_EOL_CRLF);
	table_free(t);
}
