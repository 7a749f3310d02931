/*
 * test-diff.c -- diff_cf(): two cfs compared as sendmail reads them, so
 * that a cf with other comments (a distribution's header, the copy of the
 * mc that Debian's Makefile appends) is not drift, and a changed option,
 * rule or class line is.
 */
#include <stdlib.h>
#include <string.h>

#include "../../backend/diff.h"
#include "test.h"

static size_t
cf_cmp(const char *a, const char *b, struct buf *out)
{
	buf_reset(out);
	return diff_cf(a, strlen(a), b, strlen(b), "live", "new", 1, out);
}

TEST(diff_cf_comments_are_not_drift)
{
	const char	*gen = "#\n# generated\n#\nV10/Berkeley\n\n"
	    "O LogLevel=9\nCwlocalhost\nR$*\t$@ $1\n";
	/* Another header, blank lines moved, the mc appended as comments. */
	const char	*live = "#\n#   Copyright (c) a distribution\n#\n"
	    "V10/Berkeley\nO LogLevel=9\n\n\nCwlocalhost\nR$*\t$@ $1\n"
	    "### /etc/mail/sendmail.mc ###\n# divert(-1)dnl\n"
	    "# define(`confLOG_LEVEL', `9')dnl\n#\n";
	struct buf	 out = BUF_INIT;

	CHECK(cf_cmp(live, gen, &out) == 0);
	CHECK_STR(out.data, "");
	/* The plain diff sees them all. */
	CHECK(diff_unified(live, strlen(live), gen, strlen(gen), "a", "b", 0,
	    diff_ignore_cf_stamp, &out) > 0);
	buf_release(&out);
}

TEST(diff_cf_shows_what_sendmail_reads)
{
	const char	*live = "# head\nV10/Berkeley\nO LogLevel=9\n"
	    "# a comment in the middle\nO MaxDaemonChildren=12\nCwa\n";
	const char	*gen = "V10/Berkeley\nO LogLevel=9\n"
	    "O MaxDaemonChildren=40\nCwa\n";
	struct buf	 out = BUF_INIT;

	CHECK(cf_cmp(live, gen, &out) == 2);
	/* Entries as read; hunk headed by the file lines where it starts. */
	CHECK_STR(out.data, "--- live (as sendmail reads it)\n+++ new\n"
	    "@@ line 3, line 2 @@\n O LogLevel=9\n-O MaxDaemonChildren=12\n"
	    "+O MaxDaemonChildren=40\n Cwa\n");
	buf_release(&out);
}

TEST(diff_cf_inline_comments)
{
	/* sendmail drops " # ..." at the end of a line (level 3 and up). */
	const char	*a = "V10/Berkeley\nO LogLevel=9   # more logs\n"
	    "Cwa b\t# names\n";
	const char	*b = "V10/Berkeley\nO LogLevel=9\nCwa b\n";
	/* Below level 3, sendmail keeps the '#': that is a difference. */
	const char	*old_a = "V2\nO LogLevel=9 # x\n";
	const char	*old_b = "V2\nO LogLevel=9\n";
	/* "$#" and a '#' glued to a word are never taken as comments. */
	const char	*r_a = "V10/Berkeley\nR$+\t$#local $: $1\n";
	const char	*r_b = "V10/Berkeley\nR$+\t$#smtp $: $1\n";
	struct buf	 out = BUF_INIT;

	CHECK(cf_cmp(a, b, &out) == 0);
	CHECK(cf_cmp(old_a, old_b, &out) == 2);
	CHECK(cf_cmp(r_a, r_b, &out) == 2);
	CHECK(strstr(out.data, "-R$+\t$#local $: $1\n") != NULL);
	buf_release(&out);
}

TEST(diff_cf_folded_lines)
{
	/* A line that begins with a blank continues the line before it. */
	const char	*a = "V10/Berkeley\nMlocal, P=/bin/x, F=lsDFM,\n"
	    "\t\tT=DNS/RFC822/X-Unix,\n\t\tA=x $u\n";
	const char	*b = "V10/Berkeley\nMlocal, P=/bin/x, F=lsDFM,\n"
	    "\t\tT=DNS/RFC822/X-Unix,\n\t\tA=y $u\n";
	/* Folded into a comment: part of the comment, as sendmail reads it. */
	const char	*c = "V10/Berkeley\n# note\n\tO NoSuchOption=1\n";
	const char	*d = "V10/Berkeley\n";
	struct buf	 out = BUF_INIT;

	/* One entry changed: removed and added, shown with all its lines. */
	CHECK(cf_cmp(a, b, &out) == 2);
	CHECK_STR(out.data, "--- live (as sendmail reads it)\n+++ new\n"
	    "@@ line 1, line 1 @@\n V10/Berkeley\n"
	    "-Mlocal, P=/bin/x, F=lsDFM,\n-\t\tT=DNS/RFC822/X-Unix,\n"
	    "-\t\tA=x $u\n+Mlocal, P=/bin/x, F=lsDFM,\n"
	    "+\t\tT=DNS/RFC822/X-Unix,\n+\t\tA=y $u\n");
	CHECK(cf_cmp(c, d, &out) == 0);
	buf_release(&out);
}

TEST(diff_cf_missing_and_empty)
{
	const char	*b = "# only\nV10/Berkeley\nO LogLevel=9\n";
	struct buf	 out = BUF_INIT;

	/* No live cf: every entry is new; the hunk starts past line 0. */
	CHECK(cf_cmp("", b, &out) == 2);
	CHECK_STR(out.data, "--- live (as sendmail reads it)\n+++ new\n"
	    "@@ line 1, line 2 @@\n+V10/Berkeley\n+O LogLevel=9\n");
	CHECK(cf_cmp("#\n\n#\n", "", &out) == 0);
	/* No final newline: the same entry. */
	CHECK(cf_cmp("V10\nO A=1", "V10\nO A=1\n", &out) == 0);
	buf_release(&out);
}

TEST(diff_cf_rule_comment_field)
{
	/* LHS, tabs, RHS, tab, comment: readcf.c stops at that tab. */
	const char	*a = "V10/Berkeley\nS3\nR$*\t\t$: $1 <@>\t\tmark\n";
	const char	*b = "V10/Berkeley\nS3\nR$*\t\t$: $1 <@>\t\tedited\n";
	const char	*c = "V10/Berkeley\nS3\nR$*\t\t$: $1 <@>\n";
	const char	*rhs = "V10/Berkeley\nS3\nR$*\t\t$: $1 <!>\t\tmark\n";
	/* No tab at all: sendmail rejects it, and the line stays whole. */
	const char	*bad = "V10/Berkeley\nS3\nR$* $: $1\n";
	struct buf	 out = BUF_INIT;
	size_t		 moved, inl;

	CHECK(cf_cmp(a, b, &out) == 0);
	CHECK(cf_cmp(a, c, &out) == 0);
	CHECK(cf_cmp(a, rhs, &out) == 2);
	CHECK(strstr(out.data, "-R$*\t\t$: $1 <@>\n") != NULL);
	CHECK(cf_cmp(bad, "V10/Berkeley\nS3\nR$* $: $2\n", &out) == 2);
	diff_cf_ignored(a, strlen(a), b, strlen(b), &moved, &inl);
	CHECK(moved == 0 && inl == 2);
	buf_release(&out);
}

TEST(diff_cf_ignored_moved_lines)
{
	const char	*a = "V10/Berkeley\n# one\nO A=1\n# two\n# three\n";
	const char	*b = "V10/Berkeley\n# one\n# two\nO A=1\n# three\n";
	const char	*c = "#\n# header\nV10/Berkeley\n# one\nO A=1\n";
	struct buf	 out = BUF_INIT;
	size_t		 moved, inl;

	/* O A=1 moved past a comment: no drift, but not a comment. */
	CHECK(cf_cmp(a, b, &out) == 0);
	diff_cf_ignored(a, strlen(a), b, strlen(b), &moved, &inl);
	CHECK(moved == 2 && inl == 0);
	CHECK_STR(diff_cf_ignored_what(moved, inl),
	    "only comments and where lines sit among them");
	diff_cf_ignored(a, strlen(a), c, strlen(c), &moved, &inl);
	CHECK(moved == 0 && inl == 0);
	CHECK_STR(diff_cf_ignored_what(0, 0), "only comments");
	buf_release(&out);
}
