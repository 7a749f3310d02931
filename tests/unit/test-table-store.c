/*
 * test-table-store.c -- how a parsed table holds its strings (one block
 * for the text, lines NUL-terminated in place, keys copied) and the
 * hashing that finds duplicate keys and shadowed access keys in big files.
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

static size_t
count(const struct table_diags *d, const char *text)
{
	size_t	i, n = 0;

	for (i = 0; i < d->n; i++)
		if (strstr(d->v[i].text, text) != NULL)
			n++;
	return n;
}

TEST(table_store_lines_and_values)
{
	static const char	 text[] = "a@x.example\tv1\r\nb@x.example  v2\n"
	    "#c\nc@x.example v3";
	struct table		*t;
	struct buf		 out = BUF_INIT;

	t = parse("virtusertable", text, sizeof text - 1);
	CHECK(t->nlines == 4 && t->nentries == 3);
	/* Each line's text ends in a NUL where its line end was. */
	CHECK_STR(t->lines[0].text, "a@x.example\tv1");
	CHECK_STR(t->lines[1].text, "b@x.example  v2");
	CHECK_STR(t->lines[3].text, "c@x.example v3");
	/* Keys are terminated copies; a CRLF value keeps its CR. */
	CHECK_STR(t->entries[0].key, "a@x.example");
	CHECK(t->entries[0].valuelen == 3);
	CHECK_STR(t->entries[0].value, "v1\r");
	CHECK_STR(t->entries[1].value, "v2");
	CHECK_STR(t->entries[2].value, "v3");
	table_serialize(t, &out);
	CHECK(out.len == sizeof text - 1 && memcmp(out.data, text,
	    out.len) == 0);
	buf_release(&out);
	table_free(t);
}

TEST(table_store_parse_buf_takes_the_text)
{
	struct table	*t;
	struct buf	 b = BUF_INIT, out = BUF_INIT;
	char		*cause = NULL;

	buf_addstr(&b, "root: admin\nadmin: a@b.example,\n\tc@d.example\n");
	t = table_parse_buf(profile_table_def("aliases"), "aliases", &b);
	CHECK(b.len == 0 && b.data[0] == '\0');
	CHECK(t->nentries == 2);
	CHECK_STR(t->entries[1].value, "a@b.example,\tc@d.example");
	/* Edits re-read a new text; the strings stay consistent. */
	CHECK(table_set(t, "root", "other", &cause) == 0);
	CHECK(table_comment(t, "admin", &cause) == 0);
	table_serialize(t, &out);
	CHECK_STR(out.data, "root: other\n#admin: a@b.example,\n#\t"
	    "c@d.example\n");
	CHECK(t->nentries == 1);
	CHECK_STR(t->entries[0].value, "other");
	buf_release(&out);
	buf_release(&b);
	table_free(t);
}

/*
 * Many keys and duplicates of some of them, in mixed case: each duplicate
 * is reported once, naming the first line with its key, and the warnings
 * come in line order.
 */
TEST(table_store_duplicates_by_hash)
{
	struct table		*t;
	struct table_diags	 d;
	struct buf		 b = BUF_INIT;
	size_t			 i, last = 0;
	int			 ordered = 1;

	for (i = 0; i < 20000; i++)
		buf_printf(&b, "%s%zu@x.example\tu%zu\n", i < 15000 ? "u" :
		    "U", i % 15000, i);
	t = parse("virtusertable", b.data, b.len);
	table_diags_init(&d);
	table_check(t, &d);
	CHECK(d.nerrors == 0);
	CHECK(d.nwarnings == 5000);
	CHECK(count(&d, "duplicate key") == 5000);
	CHECK(count(&d, "virtusertable:15002: warning: duplicate key "
	    "\"U1@x.example\": sendmail uses line 2's") == 1);
	CHECK(count(&d, "virtusertable:20000: warning: duplicate key "
	    "\"U4999@x.example\": sendmail uses line 5000's") == 1);
	for (i = 0; i < d.n; i++) {
		if (d.v[i].line < last)
			ordered = 0;
		last = d.v[i].line;
	}
	CHECK(ordered);
	table_diags_release(&d);
	table_free(t);
	buf_release(&b);
}

/* Several duplicates on one line are reported in key order. */
TEST(table_store_class_duplicates_on_one_line)
{
	static const char	 text[] = "b.example a.example\n"
	    "B.example A.example\n";
	struct table		*t;
	struct table_diags	 d;

	t = parse("relay_domains", text, sizeof text - 1);
	table_diags_init(&d);
	table_check(t, &d);
	CHECK(d.n == 2);
	if (d.n == 2) {
		CHECK(strstr(d.v[0].text, "\"A.example\"") != NULL);
		CHECK(strstr(d.v[1].text, "\"B.example\"") != NULL);
	}
	table_diags_release(&d);
	table_free(t);
}

/* The shorter keys that a longer one overrides, found through the index. */
TEST(table_store_access_shadow_index)
{
	struct table		*t;
	struct table_diags	 d;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	for (i = 0; i < 3000; i++)
		buf_printf(&b, "Connect:host%zu.example.com\tOK\n", i);
	buf_addstr(&b, "Example.COM\tREJECT\n");
	buf_addstr(&b, "Connect:a.example.org\tREJECT\n");
	buf_addstr(&b, "Connect:example.org\tREJECT\n");
	t = parse("access", b.data, b.len);
	table_diags_init(&d);
	table_check(t, &d);
	CHECK(d.nerrors == 0);
	CHECK(count(&d, "overrides \"Example.COM\" (line 3001)") == 3000);
	CHECK(count(&d, "access:3002: warning: redundant: "
	    "\"Connect:example.org\" (line 3003) already gives REJECT") == 1);
	table_diags_release(&d);
	table_free(t);
	buf_release(&b);
}
