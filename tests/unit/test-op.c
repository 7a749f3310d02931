/*
 * test-op.c -- what every operation starts and ends with (op.h): op_begin
 * takes the configuration lock, naming the holder when it is taken, and
 * finishes what a dead run left, telling it line by line through note;
 * op_end lets the next one in.  And the default apply hooks.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/apply.h"
#include "../../backend/lock.h"
#include "../../backend/op.h"
#include "test.h"

static struct host *
op_host(const char *dir)
{
	struct profile	*p;
	char		*cause = NULL, *conf;

	conf = xasprintf("mc = %s/sendmail.mc\ncf = %s/sendmail.cf\n", dir,
	    dir);
	p = profile_parse(conf, strlen(conf), dir, "smadm.conf", &cause);
	free(conf);
	if (p == NULL)
		util_fatal("%s", cause);
	return host_create(transport_local_create(), p);
}

static void
op_test_note(void *arg, const char *line)
{
	strv_push(arg, line);
}

TEST(op_begin_locks_and_recovers)
{
	const char	*dir = test_tmpdir();
	struct host	*h = op_host(dir);
	struct strv	 notes = STRV_INIT;
	struct op_ctl	 ctl;
	struct stat	 st;
	char		*cause = NULL, *left, *want;
	int		 lk = -1, lk2 = -1, fd;

	memset(&ctl, 0, sizeof ctl);
	ctl.note = op_test_note;
	ctl.arg = &notes;
	/* A dead apply's CF.smadm-new: op_begin removes it and says so. */
	left = xasprintf("%s/sendmail.cf.smadm-new", dir);
	fd = open(left, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd != -1);
	close(fd);
	CHECK(op_begin(h, "map set", 0, &ctl, &lk, &cause) == 0);
	CHECK(lk != -1);
	CHECK(lstat(left, &st) == -1);
	CHECK(notes.n == 1);
	CHECK(notes.n == 1 && strstr(notes.v[0], "sendmail.cf.smadm-new, "
	    "a generated cf that was never installed (cf build's output, or "
	    "left by an interrupted run)") != NULL);
	CHECK(notes.n == 1 && strchr(notes.v[0], '\n') == NULL);

	/* Held: a second operation is told who holds it. */
	CHECK(op_begin(h, "apply", 0, NULL, &lk2, &cause) == -1);
	want = xasprintf("locked by pid %ld (smadm map set since ",
	    (long)getpid());
	CHECK(cause != NULL && strstr(cause, want) != NULL);
	free(want);
	free(cause);
	cause = NULL;

	/* Released: the next one goes in, with nothing to report. */
	op_end(h, lk);
	strv_release(&notes);
	strv_init(&notes);
	CHECK(op_begin(h, "apply", 0, &ctl, &lk2, &cause) == 0);
	CHECK(notes.n == 0);
	op_end(h, lk2);
	strv_release(&notes);
	free(left);
	host_free(h);
}

TEST(op_note_lines_one_note_a_line)
{
	struct strv	notes = STRV_INIT;
	struct op_ctl	ctl;

	memset(&ctl, 0, sizeof ctl);
	ctl.note = op_test_note;
	ctl.arg = &notes;
	op_note_lines(&ctl, "a\nb c\n\nlast");
	CHECK(notes.n == 4);
	CHECK(notes.n == 4 && strcmp(notes.v[1], "b c") == 0);
	CHECK(notes.n == 4 && strcmp(notes.v[2], "") == 0);
	CHECK(notes.n == 4 && strcmp(notes.v[3], "last") == 0);
	op_note_lines(&ctl, NULL);
	op_note_lines(NULL, "dropped\n");
	CHECK(notes.n == 4);
	strv_release(&notes);
}

TEST(op_apply_hooks_both)
{
	const struct apply_hooks	*hk = op_apply_hooks(NULL);

	CHECK(hk != NULL && hk->rebuild_maps != NULL && hk->reload != NULL);
}
