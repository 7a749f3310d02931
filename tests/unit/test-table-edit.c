/*
 * test-table-edit.c -- edits change only the lines of the entry they touch.
 *
 * Each test compares the physical lines (with their line ends) before and
 * after an edit: everything outside the expected change must be identical.
 */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "../../backend/table.h"

/* Split bytes into lines, each keeping its line end. */
static void
split_lines(const char *s, size_t len, struct strv *out)
{
	const char	*end = s + len, *nl;

	while (s < end) {
		nl = memchr(s, '\n', end - s);
		nl = nl == NULL ? end : nl + 1;
		strv_push_nocopy(out, xstrndup(s, nl - s));
		s = nl;
	}
}

/*
 * The edit replaced lines [at, at + ndel) of before with nadd lines and
 * left every other line alone?
 */
static int
only_changed(const struct buf *before, const struct buf *after, size_t at,
    size_t ndel, size_t nadd)
{
	struct strv	a = STRV_INIT, b = STRV_INIT;
	size_t		i;
	int		ok = 1;

	split_lines(before->data, before->len, &a);
	split_lines(after->data, after->len, &b);
	if (a.n - ndel + nadd != b.n)
		ok = 0;
	for (i = 0; ok && i < at; i++)
		ok = strcmp(a.v[i], b.v[i]) == 0;
	for (i = at + ndel; ok && i < a.n; i++)
		ok = strcmp(a.v[i], b.v[i - ndel + nadd]) == 0;
	if (!ok)
		fprintf(stderr, "  lines %zu -> %zu, edit at %zu -%zu +%zu\n",
		    a.n, b.n, at, ndel, nadd);
	strv_release(&a);
	strv_release(&b);
	return ok;
}

/* Line i (0-based) of a buffer, with its line end. */
static char *
line_of(const struct buf *b, size_t i)
{
	struct strv	 v = STRV_INIT;
	char		*s;

	split_lines(b->data, b->len, &v);
	s = xstrdup(i < v.n ? v.v[i] : "");
	strv_release(&v);
	return s;
}

struct edit_case {
	struct table	*t;
	struct buf	 before;
	struct buf	 after;
};

static void
edit_open(struct edit_case *ec, const char *table, const char *fixture)
{
	buf_init(&ec->before);
	buf_init(&ec->after);
	test_read_fixture(fixture, &ec->before);
	ec->t = table_parse(profile_table_def(table), fixture,
	    ec->before.data, ec->before.len);
}

static void
edit_done(struct edit_case *ec)
{
	buf_reset(&ec->after);
	table_serialize(ec->t, &ec->after);
}

static void
edit_close(struct edit_case *ec)
{
	table_free(ec->t);
	buf_release(&ec->before);
	buf_release(&ec->after);
}

TEST(table_set_replaces_one_line)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;

	edit_open(&ec, "access", "tables/access");
	/* Line 12: "Connect:192.0.2.66\t\t\tREJECT". */
	CHECK(table_set(ec.t, "connect:192.0.2.66", "OK", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 11, 1, 1));
	l = line_of(&ec.after, 11);
	CHECK_STR(l, "Connect:192.0.2.66\t\t\tOK\n");
	free(l);
	CHECK(table_find(ec.t, "Connect:192.0.2.66") != TABLE_NONE);
	edit_close(&ec);
}

TEST(table_set_appends_with_aligned_separator)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;
	size_t			 n;

	edit_open(&ec, "access", "tables/access");
	n = ec.t->nlines;
	CHECK(table_set(ec.t, "Connect:203.0.113.5", "REJECT", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, n, 0, 1));
	l = line_of(&ec.after, n);
	/* The last entry's value starts at column 40 ("203.0.113.77" and
	 * four tabs): the new one too. */
	CHECK_STR(l, "Connect:203.0.113.5\t\t\tREJECT\n");
	free(l);
	edit_close(&ec);
}

TEST(table_set_appends_after_missing_final_newline)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;
	size_t			 n;

	edit_open(&ec, "mailertable", "tables/mailertable");
	CHECK(ec.before.data[ec.before.len - 1] != '\n');
	n = ec.t->nlines;
	CHECK(table_set(ec.t, "new.example", "esmtp:[192.0.2.9]", &cause) == 0);
	edit_done(&ec);
	/* The last line gains its line end; nothing else moves. */
	CHECK(only_changed(&ec.before, &ec.after, n - 1, 1, 2));
	l = line_of(&ec.after, n - 1);
	CHECK_STR(l, ".\trelay:[127.0.0.1]\n");
	free(l);
	l = line_of(&ec.after, n);
	CHECK_STR(l, "new.example\t\tesmtp:[192.0.2.9]\n");
	free(l);
	edit_close(&ec);
}

TEST(table_set_keeps_crlf)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;

	edit_open(&ec, "access", "tables/access-crlf");
	CHECK(table_set(ec.t, "Connect:192.0.2", "REJECT", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 2, 1, 1));
	l = line_of(&ec.after, 2);
	CHECK_STR(l, "Connect:192.0.2\tREJECT\r\n");
	free(l);
	/* Append: the last line (no line end) gets CRLF like the others. */
	CHECK(table_set(ec.t, "To:new.example", "RELAY", &cause) == 0);
	edit_done(&ec);
	l = line_of(&ec.after, 5);
	CHECK_STR(l, "To:example.com   RELAY\r\n");
	free(l);
	l = line_of(&ec.after, 6);
	CHECK_STR(l, "To:new.example   RELAY\r\n");
	free(l);
	edit_close(&ec);
}

TEST(table_set_last_line_without_newline_stays_so)
{
	struct edit_case	 ec;
	char			*cause = NULL;

	edit_open(&ec, "access", "tables/access-crlf");
	CHECK(table_set(ec.t, "To:example.com", "OK", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 5, 1, 1));
	CHECK(ec.after.len > 2 &&
	    memcmp(ec.after.data + ec.after.len - 2, "OK", 2) == 0);
	edit_close(&ec);
}

TEST(table_del_one_line)
{
	struct edit_case	 ec;
	char			*cause = NULL;

	edit_open(&ec, "virtusertable", "tables/virtusertable");
	CHECK(table_del(ec.t, "JOE@bar.example", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 3, 1, 0));
	CHECK(table_find(ec.t, "joe@bar.example") == TABLE_NONE);
	CHECK(table_del(ec.t, "joe@bar.example", &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "no entry") != NULL);
	free(cause);
	edit_close(&ec);
}

TEST(table_del_every_duplicate)
{
	const char	*text = "a 1\nb 2\nA 3\nc 4\n";
	struct table	*t = table_parse(profile_table_def("access"), "t",
			    text, strlen(text));
	struct buf	 out = BUF_INIT;
	char		*cause = NULL;

	CHECK(table_del(t, "a", &cause) == 0);
	table_serialize(t, &out);
	CHECK_STR(out.data, "b 2\nc 4\n");
	buf_release(&out);
	table_free(t);
}

TEST(table_alias_edits_whole_entry)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;
	size_t			 i;

	edit_open(&ec, "aliases", "tables/aliases");
	i = table_find(ec.t, "staff");
	CHECK(i != TABLE_NONE && ec.t->entries[i].nlines == 3);
	CHECK(ec.t->entries[i].line == 16);
	/* Set: three lines become one. */
	CHECK(table_set(ec.t, "staff", "alice, dave", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 16, 3, 1));
	l = line_of(&ec.after, 16);
	CHECK_STR(l, "staff: alice, dave\n");
	free(l);
	edit_close(&ec);

	edit_open(&ec, "aliases", "tables/aliases");
	CHECK(table_del(ec.t, "staff", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 16, 3, 0));
	edit_close(&ec);

	edit_open(&ec, "aliases", "tables/aliases");
	CHECK(table_comment(ec.t, "staff", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 16, 3, 3));
	l = line_of(&ec.after, 17);
	CHECK_STR(l, "#\tbob@example.org,\n");
	free(l);
	CHECK(table_find(ec.t, "staff") == TABLE_NONE);
	edit_close(&ec);

	/* A backslash-joined alias is one entry of two lines. */
	edit_open(&ec, "aliases", "tables/aliases");
	i = table_find(ec.t, "joined");
	CHECK(i != TABLE_NONE && ec.t->entries[i].nlines == 2);
	CHECK(table_del(ec.t, "joined", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 25, 2, 0));
	edit_close(&ec);
}

TEST(table_alias_append_and_rename)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;
	size_t			 n;

	edit_open(&ec, "aliases", "tables/aliases");
	n = ec.t->nlines;
	CHECK(table_set(ec.t, "sales", "alice, bob", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, n, 0, 1));
	l = line_of(&ec.after, n);
	CHECK_STR(l, "sales: alice, bob\n");
	free(l);
	edit_close(&ec);

	edit_open(&ec, "aliases", "tables/aliases");
	CHECK(table_rename(ec.t, "owner-list", "owner-lists", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 24, 1, 1));
	l = line_of(&ec.after, 24);
	CHECK_STR(l, "owner-lists: alice\n");
	free(l);
	CHECK(table_rename(ec.t, "news", "usenet", &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "already exists") != NULL);
	free(cause);
	edit_close(&ec);
}

TEST(table_map_rename_and_comment)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;

	edit_open(&ec, "domaintable", "tables/domaintable");
	CHECK(table_rename(ec.t, "oldname.example", "older.example",
	    &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 1, 1, 1));
	l = line_of(&ec.after, 1);
	CHECK_STR(l, "older.example\tnewname.example\n");
	free(l);
	CHECK(table_comment(ec.t, "old.example.org", &cause) == 0);
	edit_done(&ec);
	l = line_of(&ec.after, 2);
	CHECK_STR(l, "#old.example.org\tnew.example.org\n");
	free(l);
	CHECK(ec.t->nentries == 1);
	edit_close(&ec);
}

TEST(table_class_edits)
{
	struct edit_case	 ec;
	char			*cause = NULL, *l;
	size_t			 n;

	edit_open(&ec, "relay-domains", "tables/relay-domains");
	/* A word sharing its line is cut out of it. */
	CHECK(table_del(ec.t, "other.example", &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, 1, 1, 1));
	l = line_of(&ec.after, 1);
	CHECK_STR(l, "partner.example\n");
	free(l);
	/* Adding an existing word changes nothing. */
	buf_reset(&ec.before);
	buf_add(&ec.before, ec.after.data, ec.after.len);
	CHECK(table_set(ec.t, "PARTNER.example", NULL, &cause) == 0);
	edit_done(&ec);
	CHECK(ec.after.len == ec.before.len);
	n = ec.t->nlines;
	CHECK(table_set(ec.t, "new.example", NULL, &cause) == 0);
	edit_done(&ec);
	CHECK(only_changed(&ec.before, &ec.after, n, 0, 1));
	CHECK(table_set(ec.t, "two words", NULL, &cause) == -1);
	free(cause);
	edit_close(&ec);
}

TEST(table_edit_input_refused)
{
	const char	*text = "a b\n";
	struct table	*t = table_parse(profile_table_def("access"), "acc",
			    text, strlen(text));
	char		*cause = NULL;

	CHECK(table_set(t, "has blank", "OK", &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "blank") != NULL);
	free(cause);
	cause = NULL;
	CHECK(table_set(t, "#x", "OK", &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(table_set(t, "k", "", &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(table_set(t, "k", "two\nlines", &cause) == -1);
	free(cause);
	cause = NULL;
	CHECK(t->nentries == 1);
	table_free(t);
}

TEST(table_edit_empty_file)
{
	struct table	*t = table_parse(profile_table_def("access"), "acc",
			    "", 0);
	struct buf	 out = BUF_INIT;
	char		*cause = NULL;

	CHECK(table_set(t, "Connect:127.0.0.1", "RELAY", &cause) == 0);
	table_serialize(t, &out);
	CHECK_STR(out.data, "Connect:127.0.0.1\tRELAY\n");
	CHECK(table_del(t, "connect:127.0.0.1", &cause) == 0);
	buf_reset(&out);
	table_serialize(t, &out);
	CHECK(out.len == 0);
	buf_release(&out);
	table_free(t);
}
