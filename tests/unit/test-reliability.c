/*
 * test-reliability.c -- the configuration lock (lock.h), the removal of
 * temporary files that dead writers left (transport-local.c, mapdb.c),
 * the refusal to edit non-text files (text_editable) and the recovery of
 * an interrupted apply when there is none to recover.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/apply.h"
#include "../../backend/backup.h"
#include "../../backend/lock.h"
#include "../../db/mapdb.h"
#include "test.h"

static struct host *
rel_host(const char *dir)
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

static int
exists(const char *path)
{
	struct stat	st;

	return lstat(path, &st) == 0;
}

static void
touch(const char *path)
{
	int	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd == -1 || write(fd, "x", 1) != 1)
		util_fatal("%s", path);
	close(fd);
}

TEST(lock_second_taker_told_who)
{
	const char	*dir = test_tmpdir();
	struct host	*h = rel_host(dir);
	char		*cause = NULL, *want;
	int		 fd1 = -1, fd2 = -1;

	CHECK(host_lock(h, "map set", 0, &fd1, &cause) == 0);
	CHECK(fd1 != -1);
	/* flock() locks of two open files conflict even in one process. */
	CHECK(host_lock(h, "apply", 0, &fd2, &cause) == -1);
	CHECK(fd2 == -1);
	want = xasprintf("locked by pid %ld (smadm map set since ",
	    (long)getpid());
	CHECK(cause != NULL && strstr(cause, want) != NULL);
	CHECK(cause != NULL && strstr(cause, "/.smadm/lock") != NULL);
	free(want);
	free(cause);
	cause = NULL;
	host_unlock(h, fd1);
	CHECK(host_lock(h, "apply", 0, &fd2, &cause) == 0);
	host_unlock(h, fd2);
	host_free(h);
}

TEST(write_file_removes_dead_writers_temps)
{
	const char		*dir = test_tmpdir();
	struct transport	*t = transport_local_create();
	struct write_opts	 wo;
	char			*path, *dead, *live, *other, *cause = NULL;
	int			 fd;

	path = xasprintf("%s/access", dir);
	dead = xasprintf("%s/.access.smadm-AbC123", dir);
	live = xasprintf("%s/.access.smadm-XyZ789", dir);
	other = xasprintf("%s/.aliases.smadm-AbC123", dir);
	touch(dead);
	touch(live);
	touch(other);
	/* A live writer holds an flock on its temporary file. */
	fd = open(live, O_RDONLY);
	CHECK(fd != -1 && flock(fd, LOCK_EX) == 0);
	write_opts_init(&wo);
	CHECK(transport_write_file(t, path, "a b\n", 4, &wo, &cause) == 0);
	CHECK(!exists(dead));
	CHECK(exists(live));
	CHECK(exists(other));	/* another file's temporary file */
	close(fd);
	free(path);
	free(dead);
	free(live);
	free(other);
	transport_free(t);
}

TEST(mapdb_build_removes_dead_builders_temps)
{
	const char		*dir = test_tmpdir();
	struct mapdb_opts	 o;
	struct mapdb_report	 rep;
	struct map_pair		 pair;
	char			*db, *dead, *dbdead, *cause = NULL;

	db = xasprintf("%s/access.db", dir);
	dead = xasprintf("%s/.access.db.smadm-Q1w2E3", dir);
	dbdead = xasprintf("%s/__db..access.db.smadm-Q1w2E3", dir);
	touch(dead);
	touch(dbdead);
	memset(&pair, 0, sizeof pair);
	pair.key = "k";
	pair.keylen = 1;
	pair.val = "v";
	pair.vallen = 1;
	pair.line = 1;
	mapdb_opts_init(&o, MAPDB_MAP);
	mapdb_report_init(&rep);
	CHECK(mapdb_build(db, &pair, 1, &o, &rep, &cause) == 0);
	CHECK(!exists(dead));
	CHECK(!exists(dbdead));
	CHECK(exists(db));
	mapdb_report_release(&rep);
	free(db);
	free(dead);
	free(dbdead);
}

TEST(text_editable_refuses_binary_and_huge_lines)
{
	char	*cause = NULL, *big;

	CHECK(text_editable("f", "a\tb\n#c\n", 7, 100, &cause) == 0);
	CHECK(text_editable("f", "a\nb\0c\n", 6, 100, &cause) == -1);
	CHECK(cause != NULL && strncmp(cause, "f:2: a NUL byte", 15) == 0);
	free(cause);
	cause = NULL;
	big = xcalloc(1, 202);
	memset(big, 'x', 201);
	big[0] = '\n';
	CHECK(text_editable("f", big, 201, 100, &cause) == -1);
	CHECK(cause != NULL && strncmp(cause, "f:2: a line of 200 bytes",
	    24) == 0);
	free(cause);
	free(big);
}

TEST(apply_recover_nothing_to_do)
{
	const char	*dir = test_tmpdir();
	struct host	*h = rel_host(dir);
	struct buf	 report = BUF_INIT;
	char		*cause = NULL, *left, *tmpset;

	/* Leftovers of a dead run: CF.smadm-new and a half-made set. */
	left = xasprintf("%s/sendmail.cf.smadm-new", dir);
	touch(left);
	tmpset = xasprintf("%s/.smadm/backups/20260101T000000.tmp", dir);
	CHECK(backup_mkdirs(h->t, tmpset, 0700, &cause) == 0);
	CHECK(apply_recover(h, NULL, &report, &cause) == 0);
	CHECK(!exists(left));
	CHECK(!exists(tmpset));
	CHECK(strstr(report.data, "sendmail.cf.smadm-new, a generated cf "
	    "that was never installed") != NULL);
	buf_release(&report);
	free(left);
	free(tmpset);
	host_free(h);
}
