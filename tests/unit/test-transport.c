/*
 * test-transport.c -- the local transport: atomic writes (mode and owner
 * kept, backups, no temporary file left on failure), running programs
 * (output, status, timeout, errors, namespace), and small operations.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../backend/ns.h"
#include "../../backend/transport.h"
#include "test.h"

/* Names in dir, sorted and joined with spaces. */
static char *
dir_names(struct transport *t, const char *dir)
{
	struct strv	 names = STRV_INIT;
	char		*cause = NULL, *s;

	if (transport_list_dir(t, dir, &names, &cause) != 0) {
		free(cause);
		return xstrdup("(unreadable)");
	}
	strv_sort(&names);
	s = strv_join(&names, " ");
	strv_release(&names);
	return s;
}

static char *
read_all(struct transport *t, const char *path)
{
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	if (transport_read_file(t, path, &b, 0, &cause) != 0) {
		free(cause);
		buf_release(&b);
		return xstrdup("(unreadable)");
	}
	return buf_detach(&b);
}

TEST(transport_write_new_file)
{
	struct transport	*t = transport_local_create();
	struct write_opts	 wo;
	struct stat		 st;
	const char		*dir = test_tmpdir();
	char			*path, *cause = NULL, *s;

	path = xasprintf("%s/new", dir);
	write_opts_init(&wo);
	wo.mode = 0640;
	CHECK(transport_write_file(t, path, "hello\n", 6, &wo, &cause) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
	s = read_all(t, path);
	CHECK_STR(s, "hello\n");
	free(s);
	s = dir_names(t, dir);
	CHECK_STR(s, "new");
	free(s);
	free(path);
	transport_free(t);
}

TEST(transport_write_keeps_mode_and_owner)
{
	struct transport	*t = transport_local_create();
	struct write_opts	 wo;
	struct stat		 st;
	struct buf		 backup = BUF_INIT;
	const char		*dir = test_tmpdir();
	char			*path, *cause = NULL, *s, *want;

	path = xasprintf("%s/file", dir);
	CHECK(transport_write_file(t, path, "old\n", 4, NULL, &cause) == 0);
	CHECK(chmod(path, 0600) == 0);
	if (geteuid() == 0)
		CHECK(chown(path, 4321, 4322) == 0);

	write_opts_init(&wo);
	wo.mode = 0644;		/* only for new files */
	wo.backup = 1;
	wo.backup_path = &backup;
	CHECK(transport_write_file(t, path, "new\n", 4, &wo, &cause) == 0);
	CHECK(stat(path, &st) == 0);
	CHECK((st.st_mode & 07777) == 0600);
	if (geteuid() == 0)
		CHECK(st.st_uid == 4321 && st.st_gid == 4322);
	s = read_all(t, path);
	CHECK_STR(s, "new\n");
	free(s);

	/* The backup holds the old text and is named in backup_path. */
	CHECK(backup.len != 0 && str_startswith(backup.data, path) &&
	    str_endswith(backup.data, ".smadm~"));
	s = read_all(t, backup.data);
	CHECK_STR(s, "old\n");
	free(s);
	s = dir_names(t, dir);
	want = xasprintf("file %s", strrchr(backup.data, '/') + 1);
	CHECK_STR(s, want);
	free(want);
	free(s);
	buf_release(&backup);
	free(path);
	transport_free(t);
}

TEST(transport_write_follows_symlink)
{
	struct transport	*t = transport_local_create();
	struct stat		 st;
	const char		*dir = test_tmpdir();
	char			*real, *link, *cause = NULL, *s;

	real = xasprintf("%s/real", dir);
	link = xasprintf("%s/link", dir);
	CHECK(transport_write_file(t, real, "a", 1, NULL, &cause) == 0);
	CHECK(symlink("real", link) == 0);
	CHECK(transport_write_file(t, link, "b", 1, NULL, &cause) == 0);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	s = read_all(t, real);
	CHECK_STR(s, "b");
	free(s);
	free(real);
	free(link);
	transport_free(t);
}

TEST(transport_write_failures_leave_nothing)
{
	struct transport	*t = transport_local_create();
	const char		*dir = test_tmpdir();
	char			*path, *cause = NULL, *s, *big;
	pid_t			 pid;
	int			 status = -1;

	/* No such directory. */
	path = xasprintf("%s/missing/file", dir);
	CHECK(transport_write_file(t, path, "x", 1, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, path) != NULL);
	free(cause);
	cause = NULL;
	free(path);

	/* Not a regular file. */
	path = xasprintf("%s/sub", dir);
	CHECK(mkdir(path, 0755) == 0);
	CHECK(transport_write_file(t, path, "x", 1, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "not a regular file") != NULL);
	free(cause);
	cause = NULL;
	free(path);

	/*
	 * A write that fails half-way (file size limit): the old file is
	 * intact and no temporary file is left.  In a child, because the
	 * limit is per process.
	 */
	path = xasprintf("%s/limited", dir);
	CHECK(transport_write_file(t, path, "old", 3, NULL, &cause) == 0);
	if ((pid = fork()) == 0) {
		struct rlimit	rl = { 4096, 4096 };

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(2);
		big = xmalloc(1 << 20);
		memset(big, 'x', 1 << 20);
		if (transport_write_file(t, path, big, 1 << 20, NULL,
		    &cause) != -1)
			_exit(3);
		_exit(cause != NULL && strstr(cause, "write") != NULL ? 0 : 4);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	s = read_all(t, path);
	CHECK_STR(s, "old");
	free(s);
	s = dir_names(t, dir);
	CHECK_STR(s, "limited sub");
	free(s);
	free(path);
	transport_free(t);
}

TEST(transport_run_captures)
{
	struct transport	*t = transport_local_create();
	struct run_result	 rr;
	struct run_opts		 ro;
	const char		*argv[] = { "/bin/sh", "-c",
	    "echo out; echo err >&2; pwd; exit 3", NULL };
	const char		*cat[] = { "/bin/cat", NULL };
	char			*cause = NULL;

	CHECK(transport_run(t, argv, NULL, &rr, &cause) == 0);
	CHECK(rr.exited && rr.status == 3 && !rr.timed_out);
	CHECK_STR(rr.out.data, "out\n/\n");
	CHECK_STR(rr.err.data, "err\n");
	run_result_release(&rr);

	run_opts_init(&ro);
	ro.stdin_data = "fed to stdin";
	ro.stdin_len = 12;
	CHECK(transport_run(t, cat, &ro, &rr, &cause) == 0);
	CHECK(rr.exited && rr.status == 0);
	CHECK_STR(rr.out.data, "fed to stdin");
	run_result_release(&rr);
	transport_free(t);
}

TEST(transport_run_timeout)
{
	struct transport	*t = transport_local_create();
	struct run_result	 rr;
	struct run_opts		 ro;
	const char		*argv[] = { "/bin/sleep", "10", NULL };
	char			*cause = NULL;
	time_t			 start = time(NULL);

	run_opts_init(&ro);
	ro.timeout_ms = 200;
	CHECK(transport_run(t, argv, &ro, &rr, &cause) == 0);
	CHECK(rr.timed_out);
	CHECK(!rr.exited && rr.signo == SIGKILL);
	CHECK(time(NULL) - start < 5);
	run_result_release(&rr);
	transport_free(t);
}

TEST(transport_run_errors)
{
	struct transport	*t = transport_local_create();
	struct run_result	 rr;
	const char		*missing[] = { "/nonexistent/program", NULL };
	const char		*relative[] = { "sh", "-c", "true", NULL };
	char			*cause = NULL;

	CHECK(transport_run(t, missing, NULL, &rr, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "/nonexistent/program") != NULL &&
	    strstr(cause, "No such file") != NULL);
	free(cause);
	cause = NULL;
	run_result_release(&rr);

	CHECK(transport_run(t, relative, NULL, &rr, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "not an absolute path") != NULL);
	free(cause);
	transport_free(t);
}

/* With ns_dir, the program sees the sandbox's name service files. */
TEST(transport_run_namespace)
{
	struct transport	*t = transport_local_create();
	struct run_result	 rr;
	struct run_opts		 ro;
	const char		*argv[] = { "/bin/cat", "/etc/hosts",
	    "/etc/nsswitch.conf", NULL };
	const char		*dir = test_tmpdir();
	char			*cause = NULL, *hosts;

	if (geteuid() != 0) {
		transport_free(t);
		return;		/* namespaces need root */
	}
	CHECK(ns_write_files(t, dir, "unit.sandbox.example", &cause) == 0);
	run_opts_init(&ro);
	ro.ns_dir = dir;
	CHECK(transport_run(t, argv, &ro, &rr, &cause) == 0);
	CHECK(rr.exited && rr.status == 0);
	CHECK(strstr(rr.out.data, "127.0.0.1\tunit.sandbox.example ") != NULL);
	CHECK(strstr(rr.out.data, "hosts: files\n") != NULL);
	run_result_release(&rr);

	/* Without it, the real files (which do not name that host). */
	run_opts_init(&ro);
	CHECK(transport_run(t, argv, &ro, &rr, &cause) == 0);
	CHECK(strstr(rr.out.data, "unit.sandbox.example") == NULL);
	run_result_release(&rr);

	/* The real /etc/hosts is untouched. */
	hosts = read_all(t, "/etc/hosts");
	CHECK(strstr(hosts, "unit.sandbox.example") == NULL);
	free(hosts);
	transport_free(t);
}

TEST(transport_small_operations)
{
	struct transport	*t = transport_local_create();
	struct tstat		 st;
	struct buf		 b = BUF_INIT;
	const char		*dir = test_tmpdir();
	char			*path, *link, *cause = NULL;

	path = xasprintf("%s/d", dir);
	CHECK(transport_stat(t, path, 1, &st, &cause) == 0 &&
	    st.type == TS_NONE);
	CHECK(transport_mkdir(t, path, 0700, &cause) == 0);
	CHECK(transport_stat(t, path, 1, &st, &cause) == 0 &&
	    st.type == TS_DIR && st.mode == 0700);
	CHECK(transport_mkdir(t, path, 0700, &cause) == 0);  /* exists */
	CHECK(transport_remove(t, path, &cause) == 0);
	CHECK(transport_remove(t, path, &cause) == 0);	/* already gone */
	CHECK(!transport_exists(t, path));

	link = xasprintf("%s/l", dir);
	CHECK(symlink("target/x", link) == 0);
	CHECK(transport_readlink(t, link, &b, &cause) == 0);
	CHECK_STR(b.data, "target/x");
	CHECK(transport_stat(t, link, 0, &st, &cause) == 0 &&
	    st.type == TS_LNK);

	CHECK(transport_kill(t, 1, 0, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "refusing") != NULL);
	free(cause);
	buf_release(&b);
	free(link);
	free(path);
	transport_free(t);
}

/*
 * Reading a directory of many small files in batches large enough for a
 * second reader thread: every wanted file comes once, in readdir order,
 * with its own bytes and the size of its sibling.
 */
struct dir_seen {
	struct strv	 names;
	int		 bad;
};

static int
dir_seen_cb(void *arg, const struct tdir_file *f, char **cause unused)
{
	struct dir_seen	*ds = arg;
	char		 want[64];
	long		 n;

	n = strtol(f->name + 2, NULL, 10);
	snprintf(want, sizeof want, "file %ld\n", n);
	if (strcmp(f->data, want) != 0 || f->len != strlen(want) ||
	    f->sibling_size != (n % 3 == 0 ? -1 : n) || f->truncated)
		ds->bad++;
	strv_push(&ds->names, f->name);
	return 0;
}

TEST(transport_dir_read_batches)
{
	struct transport	*t = transport_local_create();
	struct tdir_opts	 o;
	struct tdir		*d;
	struct dir_seen		 ds;
	struct strv		 order = STRV_INIT;
	struct dirent		*de;
	const char		*dir = test_tmpdir();
	static const char *const prefixes[] = { "qf", NULL };
	DIR			*dp;
	char			*path, *body, *cause = NULL;
	int			 i, n, total = 0, pass;

	for (i = 0; i < 700; i++) {
		path = xasprintf("%s/qf%06d", dir, i);
		body = xasprintf("file %d\n", i);
		CHECK(transport_write_file(t, path, body, strlen(body), NULL,
		    &cause) == 0);
		free(path);
		free(body);
		if (i % 3 == 0)
			continue;
		path = xasprintf("%s/df%06d", dir, i);
		body = xcalloc(1, (size_t)i + 1);
		CHECK(transport_write_file(t, path, body, (size_t)i, NULL,
		    &cause) == 0);
		free(path);
		free(body);
	}
	CHECK((dp = opendir(dir)) != NULL);
	while (dp != NULL && (de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, "qf", 2) == 0)
			strv_push(&order, de->d_name);
	if (dp != NULL)
		closedir(dp);

	/* Both ways of reading: io_uring where the kernel has it, plain. */
	for (pass = 0; pass < 2; pass++) {
		setenv("SMADM_IO_URING", pass == 0 ? "1" : "0", 1);
		memset(&o, 0, sizeof o);
		o.prefixes = prefixes;
		o.sibling_prefix = "df";
		o.lock_test = 1;
		memset(&ds, 0, sizeof ds);
		strv_init(&ds.names);
		total = 0;
		d = transport_dir_open(t, dir, &o, &cause);
		CHECK(d != NULL);
		while (d != NULL && (n = transport_dir_read(t, d, 500,
		    dir_seen_cb, &ds, &cause)) > 0) {
			CHECK(n <= 500);
			total += n;
		}
		if (d != NULL)
			transport_dir_close(t, d);
		CHECK(total == 700 + 466 + 2);	/* qf, df, "." and ".." */
		CHECK(ds.bad == 0);
		CHECK(ds.names.n == 700 && order.n == 700);
		for (i = 0; i < 700 && (size_t)i < ds.names.n; i++)
			if (strcmp(ds.names.v[i], order.v[i]) != 0)
				break;
		CHECK(i == 700);
		strv_release(&ds.names);
	}
	unsetenv("SMADM_IO_URING");
	strv_release(&order);
	transport_free(t);
}

/*
 * Files that vanish while the directory is read (sendmail delivered them)
 * and names that are not regular files: no error, nothing delivered twice,
 * what is delivered is whole, and every file that stays is delivered.
 */
struct dir_vanish {
	const char	*dir;
	int		 seen[400];
	int		 removed;
	int		 bad;
};

static int
dir_vanish_cb(void *arg, const struct tdir_file *f, char **cause unused)
{
	struct dir_vanish	*dv = arg;
	char			 want[64], *path;
	long			 n;
	int			 i;

	if (!dv->removed) {
		for (i = 1; i < 400; i += 2) {
			path = xasprintf("%s/qf%04d", dv->dir, i);
			unlink(path);
			free(path);
		}
		dv->removed = 1;
	}
	if (strlen(f->name) != 6 || (n = strtol(f->name + 2, NULL, 10)) < 0 ||
	    n >= 400) {
		dv->bad++;
		return 0;
	}
	snprintf(want, sizeof want, "file %ld\n", n);
	if (strcmp(f->data, want) != 0 || dv->seen[n]++ != 0)
		dv->bad++;
	return 0;
}

TEST(transport_dir_read_vanishing)
{
	struct transport	*t = transport_local_create();
	struct tdir_opts	 o;
	struct tdir		*d;
	struct dir_vanish	 dv;
	const char		*dir = test_tmpdir();
	static const char *const prefixes[] = { "qf", NULL };
	char			*path, *body, *cause = NULL;
	int			 i, n = 0, pass, kept;

	path = xasprintf("%s/qfdir", dir);
	CHECK(mkdir(path, 0700) == 0);
	free(path);
	path = xasprintf("%s/qffifo", dir);
	CHECK(mkfifo(path, 0600) == 0);
	free(path);
	path = xasprintf("%s/qflink", dir);
	CHECK(symlink("qf0000", path) == 0);
	free(path);
	for (pass = 0; pass < 2; pass++) {
		setenv("SMADM_IO_URING", pass == 0 ? "1" : "0", 1);
		for (i = 0; i < 400; i++) {
			path = xasprintf("%s/qf%04d", dir, i);
			body = xasprintf("file %d\n", i);
			CHECK(transport_write_file(t, path, body, strlen(body),
			    NULL, &cause) == 0);
			free(path);
			free(body);
		}
		memset(&o, 0, sizeof o);
		o.prefixes = prefixes;
		o.lock_test = 1;
		memset(&dv, 0, sizeof dv);
		dv.dir = dir;
		d = transport_dir_open(t, dir, &o, &cause);
		CHECK(d != NULL);
		while (d != NULL && (n = transport_dir_read(t, d, 200,
		    dir_vanish_cb, &dv, &cause)) > 0)
			;
		if (d != NULL)
			transport_dir_close(t, d);
		CHECK(n == 0);
		CHECK(dv.bad == 0);
		for (i = kept = 0; i < 400; i += 2)
			kept += dv.seen[i];
		CHECK(kept == 200);
		free(cause);
		cause = NULL;
	}
	unsetenv("SMADM_IO_URING");
	transport_free(t);
}

/*
 * The reader's other paths: files larger than the room a read is given
 * (the grow path), files cut at max_size, results prepared on the
 * reading threads and delivered in order, and a callback that stops the
 * read early with prepared results still undelivered (freed, not leaked:
 * the ASan build checks).
 */
struct dir_prep {
	atomic_int	 made;
	atomic_int	 freed;
	int		 seen;
	int		 bad;
	int		 stop_at;
	size_t		 max;		/* the reader's max_size */
};

static void *
dir_prep_make(void *arg, const struct tdir_file *f)
{
	struct dir_prep	*dp = arg;

	atomic_fetch_add(&dp->made, 1);
	return xasprintf("%s:%zu", f->name, f->len);
}

static void
dir_prep_free(void *arg, void *p)
{
	struct dir_prep	*dp = arg;

	atomic_fetch_add(&dp->freed, 1);
	free(p);
}

static int
dir_prep_cb(void *arg, const struct tdir_file *f, char **cause)
{
	struct dir_prep	*dp = arg;
	char		*want;
	size_t		 n, i;

	want = xasprintf("%s:%zu", f->name, f->len);
	if (f->prepared == NULL || strcmp(f->prepared, want) != 0)
		dp->bad++;
	free(want);
	free(f->prepared);
	n = strtoul(f->name + 2, NULL, 10);
	/* Bodies are n * 1000 bytes of 'a' + n % 26, cut at max. */
	if (f->len != (n * 1000 > dp->max ? dp->max : n * 1000) ||
	    f->truncated != (n * 1000 > dp->max))
		dp->bad++;
	for (i = 0; i < f->len; i++)
		if (f->data[i] != (char)('a' + n % 26))
			break;
	if (i != f->len || f->data[f->len] != '\0')
		dp->bad++;
	if (++dp->seen == dp->stop_at) {
		*cause = xstrdup("stop");
		return -1;
	}
	return 0;
}

TEST(transport_dir_read_large_and_prepared)
{
	struct transport	*t = transport_local_create();
	struct tdir_opts	 o;
	struct tdir		*d;
	struct dir_prep		 dp;
	const char		*dir = test_tmpdir();
	static const char *const prefixes[] = { "qf", NULL };
	char			*path, *body, *cause = NULL;
	int			 i, n = 0, pass;

	for (i = 0; i < 300; i++) {
		path = xasprintf("%s/qf%04d", dir, i);
		body = xmalloc((size_t)i * 1000 + 1);
		memset(body, 'a' + i % 26, (size_t)i * 1000);
		CHECK(transport_write_file(t, path, body, (size_t)i * 1000,
		    NULL, &cause) == 0);
		free(path);
		free(body);
	}
	/*
	 * Stopping or not; cut at 200,000 bytes (beyond the room io_uring
	 * reads into) or at 5,000 (within it); io_uring or plain reads.
	 */
	for (pass = 0; pass < 8; pass++) {
		setenv("SMADM_IO_URING", pass & 4 ? "0" : "1", 1);
		memset(&o, 0, sizeof o);
		o.prefixes = prefixes;
		o.max_size = pass & 2 ? 5000 : 200000;
		o.prepare = dir_prep_make;
		o.prepared_free = dir_prep_free;
		memset(&dp, 0, sizeof dp);
		dp.stop_at = pass & 1 ? 10 : -1;
		dp.max = o.max_size;
		o.prepare_arg = &dp;
		d = transport_dir_open(t, dir, &o, &cause);
		CHECK(d != NULL);
		while (d != NULL && (n = transport_dir_read(t, d, 1000,
		    dir_prep_cb, &dp, &cause)) > 0)
			;
		if (d != NULL)
			transport_dir_close(t, d);
		CHECK(dp.bad == 0);
		if ((pass & 1) == 0) {
			CHECK(dp.seen == 300 && n == 0);
			CHECK(atomic_load(&dp.made) == 300);
		} else {
			CHECK(dp.seen == 10 && n == -1);
			CHECK_STR(cause, "stop");
			CHECK(atomic_load(&dp.made) - 10 ==
			    atomic_load(&dp.freed));
		}
		free(cause);
		cause = NULL;
	}
	unsetenv("SMADM_IO_URING");
	transport_free(t);
}
