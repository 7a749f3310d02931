/*
 * test-table-apply.c -- table_edit_apply(): a checked edit writes only when
 * the lines it wrote are clean, keeps a backup, reports warnings, and
 * leaves the file byte for byte alone when it refuses.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../backend/host.h"
#include "../../backend/table.h"

static const char edit_access[] =
    "# access\n"
    "Connect:127.0.0.1\tRELAY\n"
    "To:old.example\tREJECT\n";

/* The local host with a profile rooted at the test directory: backup sets
 * go to its .smadm/backups. */
static const char *edit_dir;	/* this test's directory */

static struct host *
edit_host(void)
{
	struct profile	*p;
	char		*cause = NULL;

	edit_dir = test_tmpdir();
	p = profile_parse("", 0, edit_dir, "smadm.conf", &cause);
	if (p == NULL) {
		test_fail(__FILE__, __LINE__, "profile", cause, NULL);
		free(cause);
		p = profile_parse("", 0, NULL, "smadm.conf", &cause);
	}
	return host_create(transport_local_create(), p);
}

/* Write text to DIR/name; returns the path (heap). */
static char *
edit_file(struct transport *t, const char *name, const char *text)
{
	char	*path, *cause = NULL;

	path = xasprintf("%s/%s", edit_dir, name);
	if (transport_write_file(t, path, text, strlen(text), NULL,
	    &cause) != 0) {
		test_fail(__FILE__, __LINE__, "write", cause, NULL);
		free(cause);
	}
	return path;
}

static char *
edit_read(struct transport *t, const char *path)
{
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	if (transport_read_file(t, path, &b, 0, &cause) != 0) {
		free(cause);
		buf_release(&b);
		return xstrdup("");
	}
	return buf_detach(&b);
}

TEST(table_edit_set_and_refuse)
{
	struct host		*h = edit_host();
	struct transport	*t = h->t;
	const struct table_def	*td = profile_table_def("access");
	struct table_edit	 te;
	char			*path, *cause = NULL, *text;

	path = edit_file(t, "access", edit_access);

	/* A bad action: refused with FILE:LINE, nothing written. */
	table_edit_init(&te, TABLE_OP_SET, "Connect:192.0.2.1", "RELAYY");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, ":4: unknown action") != NULL);
	CHECK(cause != NULL && strstr(cause, "not changed)") != NULL);
	CHECK(te.changed == 0 && te.backup == NULL);
	text = edit_read(t, path);
	CHECK_STR(text, edit_access);
	free(text);
	free(cause);
	cause = NULL;
	table_edit_release(&te);

	/* A good one is appended, with a backup of the old file. */
	table_edit_init(&te, TABLE_OP_SET, "Connect:192.0.2.1", "REJECT");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.added && te.line == 4);
	CHECK(te.warnings.n == 0);
	CHECK(te.backup != NULL);
	if (te.backup != NULL) {
		/* The old file, in a backup set of the state directory. */
		char *copy = xasprintf("%s/.smadm/backups/%s/access",
		    edit_dir, te.backup);

		text = edit_read(t, copy);
		CHECK_STR(text, edit_access);
		free(text);
		free(copy);
	}
	table_edit_release(&te);

	/* The same again changes nothing. */
	table_edit_init(&te, TABLE_OP_SET, "Connect:192.0.2.1", "REJECT");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed == 0 && te.backup == NULL);
	table_edit_release(&te);

	/* A warning is handed back and the edit saved. */
	table_edit_init(&te, TABLE_OP_SET, "From:friend.example", "RELAY");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.warnings.n == 1);
	CHECK(te.warnings.n == 1 &&
	    strstr(te.warnings.v[0], ":5: warning:") != NULL);
	table_edit_release(&te);

	free(path);
	host_free(h);
}

TEST(table_edit_del_rename_comment)
{
	struct host		*h = edit_host();
	struct transport	*t = h->t;
	const struct table_def	*td = profile_table_def("access");
	struct table_edit	 te;
	char			*path, *cause = NULL, *text, *after;

	path = edit_file(t, "access2", edit_access);

	table_edit_init(&te, TABLE_OP_RENAME, "To:old.example",
	    "To:new.example");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.line == 3);
	table_edit_release(&te);

	/* A bad new key: refused, file kept. */
	text = edit_read(t, path);
	table_edit_init(&te, TABLE_OP_RENAME, "To:new.example",
	    "Conect:192.0.2.1");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, ":3: unknown tag") != NULL);
	free(cause);
	cause = NULL;
	table_edit_release(&te);
	after = edit_read(t, path);
	CHECK_STR(after, text);
	free(after);
	free(text);

	table_edit_init(&te, TABLE_OP_COMMENT, "to:NEW.example", NULL);
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.nremoved == 1 && te.line == 3);
	table_edit_release(&te);
	text = edit_read(t, path);
	CHECK(strstr(text, "\n#To:new.example\tREJECT\n") != NULL);
	free(text);

	table_edit_init(&te, TABLE_OP_DEL, "Connect:127.0.0.1", NULL);
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.nremoved == 1 && te.line == 2);
	table_edit_release(&te);

	/* Only set may create a file. */
	free(path);
	path = xasprintf("%s/absent", edit_dir);
	table_edit_init(&te, TABLE_OP_DEL, "x", NULL);
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	free(cause);
	cause = NULL;
	table_edit_release(&te);
	CHECK(!transport_exists(t, path));
	table_edit_init(&te, TABLE_OP_SET, "Connect:192.0.2.9", "OK");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.added && te.line == 1);
	table_edit_release(&te);

	free(path);
	host_free(h);
}

/*
 * Aliases: an edit is read back before it is written.  A name sendmail -bi
 * would refuse, or that would not read back as written, is refused with the
 * key named; an old error elsewhere does not block an edit.
 */
TEST(table_edit_read_back)
{
	struct host		*h = edit_host();
	struct transport	*t = h->t;
	const struct table_def	*td = profile_table_def("aliases");
	struct table_edit	 te;
	const char		*orig = "a line without a colon\nok: root\n";
	char			*path, *cause = NULL, *text;

	path = edit_file(t, "aliases-rb", orig);

	/* 'a"b: root' has no colon outside quotes. */
	table_edit_init(&te, TABLE_OP_SET, "a\"b", "root");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, ":3: missing colon") != NULL);
	CHECK(cause != NULL && strstr(cause, "writing key \"a\\\"b\"") != NULL);
	free(cause);
	cause = NULL;
	table_edit_release(&te);

	/* "x\: root": the "\" hides the colon. */
	table_edit_init(&te, TABLE_OP_SET, "x\\", "root");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	free(cause);
	cause = NULL;
	table_edit_release(&te);

	/* A comment in the name: sendmail would store "a". */
	table_edit_init(&te, TABLE_OP_SET, "a(b)", "root");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "parentheses") != NULL);
	free(cause);
	cause = NULL;
	table_edit_release(&te);

	/* A value ending in "\" would swallow the next line. */
	table_edit_init(&te, TABLE_OP_SET, "v", "root\\");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == -1);
	free(cause);
	cause = NULL;
	table_edit_release(&te);

	text = edit_read(t, path);
	CHECK_STR(text, orig);
	free(text);

	/* The bad first line is old: it does not block these. */
	table_edit_init(&te, TABLE_OP_SET, "a b", "root");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.added && te.line == 3);
	table_edit_release(&te);
	table_edit_init(&te, TABLE_OP_SET, "\"c d\"", "\"x y\"@example.org");
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.line == 4);
	table_edit_release(&te);

	/* Whatever set wrote, del finds. */
	table_edit_init(&te, TABLE_OP_DEL, "A B", NULL);
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	CHECK(te.changed && te.nremoved == 1);
	table_edit_release(&te);
	table_edit_init(&te, TABLE_OP_DEL, "\"c d\"", NULL);
	CHECK(table_edit_apply(h, td, path, &te, &cause) == 0);
	table_edit_release(&te);
	text = edit_read(t, path);
	CHECK_STR(text, orig);
	free(text);
	free(cause);

	free(path);
	host_free(h);
}
