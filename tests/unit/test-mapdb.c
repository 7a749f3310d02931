/*
 * test-mapdb.c -- db/mapdb: builds checked record for record against maps
 * the real makemap and sendmail -bi wrote from the same text (fixtures
 * mapdb/access{,.db} and mapdb/aliases{,.db}), lookups, dumps,
 * duplicates, atomic replacement, owner and mode, locks, comparison.
 */
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../../db/mapdb.h"
#include "test.h"

static char *
slurp(const char *path, size_t *len)
{
	struct buf	b = BUF_INIT;
	char		chunk[8192];
	ssize_t		n;
	int		fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	*len = b.len;
	return buf_detach(&b);
}

static void
spit(const char *path, const char *text)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		util_fatal("cannot write %s", path);
	close(fd);
}

/* Parse a text with the minimal reader; fails the test on errors. */
static void
pairs_of(const char *text, size_t len, enum mapdb_kind kind,
    struct map_pairs *mp)
{
	struct strv	errors = STRV_INIT;

	map_pairs_init(mp);
	CHECK(mapdb_pairs_from_text(text, len, kind, "text", mp,
	    &errors) == 0);
	strv_release(&errors);
}

/* Are two maps' records (raw: NULs and sentinel included) the same? */
static int
same_records(const char *a, const char *b)
{
	struct mapdb_records	ra, rb;
	char			*cause = NULL;
	size_t			i;
	int			same = 1;

	mapdb_records_init(&ra);
	mapdb_records_init(&rb);
	if (mapdb_read(a, MAPDB_SORTED | MAPDB_RAW, &ra, &cause) != 0 ||
	    mapdb_read(b, MAPDB_SORTED | MAPDB_RAW, &rb, &cause) != 0) {
		fprintf(stderr, "  %s\n", cause);
		free(cause);
		same = 0;
	} else if (ra.n != rb.n)
		same = 0;
	for (i = 0; same && i < ra.n; i++) {
		if (ra.v[i].keylen != rb.v[i].keylen ||
		    ra.v[i].vallen != rb.v[i].vallen ||
		    memcmp(ra.v[i].key, rb.v[i].key, ra.v[i].keylen) != 0 ||
		    memcmp(ra.v[i].val, rb.v[i].val, ra.v[i].vallen) != 0)
			same = 0;
	}
	mapdb_records_release(&ra);
	mapdb_records_release(&rb);
	return same;
}

/* Build path from text with the defaults of kind; returns mapdb_build's. */
static int
build_text(const char *path, const char *text, enum mapdb_kind kind,
    struct mapdb_report *rep, char **cause)
{
	struct map_pairs	mp;
	struct mapdb_opts	o;
	int			rc;

	pairs_of(text, strlen(text), kind, &mp);
	mapdb_opts_init(&o, kind);
	o.source = "text";
	rc = mapdb_build(path, mp.v, mp.n, &o, rep, cause);
	map_pairs_release(&mp);
	return rc;
}

static char *
lookup(const char *path, const char *key, int fold)
{
	struct buf	 val = BUF_INIT;
	char		*cause = NULL;
	int		 rc;

	rc = mapdb_lookup(path, key, strlen(key), fold, &val, &cause);
	free(cause);
	if (rc != 1) {
		buf_release(&val);
		return NULL;
	}
	return buf_detach(&val);
}

/* Number of entries in dir whose name contains what. */
static int
count_names(const char *dir, const char *what)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, what) != NULL)
			n++;
	closedir(d);
	return n;
}

TEST(mapdb_build_matches_makemap)
{
	struct map_pairs	 mp;
	struct mapdb_opts	 o;
	struct mapdb_report	 rep;
	const char		*dir = test_tmpdir();
	char			*text, *db, *cause = NULL;
	size_t			 len;

	text = slurp(test_fixture("mapdb/access"), &len);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	pairs_of(text, len, MAPDB_MAP, &mp);
	mapdb_opts_init(&o, MAPDB_MAP);
	o.source = "access";
	mapdb_report_init(&rep);
	db = xasprintf("%s/access.db", dir);
	CHECK(mapdb_build(db, mp.v, mp.n, &o, &rep, &cause) == 0);
	CHECK(same_records(db, test_fixture("mapdb/access.db")));
	CHECK(rep.records == 8);
	CHECK(rep.duplicates == 1);
	CHECK(rep.warnings.n == 1);
	if (rep.warnings.n == 1)
		CHECK_STR(rep.warnings.v[0], "access:5: duplicate key "
		    "\"From:spammer@bad.example\" (first value kept)");
	mapdb_report_release(&rep);
	map_pairs_release(&mp);
	free(db);
	free(text);
}

TEST(mapdb_build_matches_newaliases)
{
	struct map_pairs	 mp;
	struct mapdb_opts	 o;
	struct mapdb_report	 rep;
	const char		*dir = test_tmpdir();
	char			*text, *db, *cause = NULL, *v;
	size_t			 len;

	text = slurp(test_fixture("mapdb/aliases"), &len);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	pairs_of(text, len, MAPDB_ALIASES, &mp);
	mapdb_opts_init(&o, MAPDB_ALIASES);
	mapdb_report_init(&rep);
	db = xasprintf("%s/aliases.db", dir);
	CHECK(mapdb_build(db, mp.v, mp.n, &o, &rep, &cause) == 0);
	CHECK(same_records(db, test_fixture("mapdb/aliases.db")));
	/* sendmail -bi keeps the last of duplicates. */
	CHECK(rep.duplicates == 1);
	v = lookup(db, "dup", 1);
	CHECK_STR(v, "b");
	free(v);
	v = lookup(db, "Info", 1);
	CHECK_STR(v, "root,   admin@lab.example ,\tOther");
	free(v);
	v = lookup(db, "joined", 1);
	CHECK_STR(v, "firstsecond");
	free(v);
	mapdb_report_release(&rep);
	map_pairs_release(&mp);
	free(db);
	free(text);
}

TEST(mapdb_lookup_folds_and_tries_nul)
{
	const char	*dir = test_tmpdir();
	char		*db, *cause = NULL, *v;

	db = xasprintf("%s/m.db", dir);
	CHECK(build_text(db, "From:A@B.Example\tREJECT Now\n", MAPDB_MAP, NULL,
	    &cause) == 0);
	v = lookup(db, "FROM:a@b.EXAMPLE", 1);
	CHECK_STR(v, "REJECT Now");
	free(v);
	CHECK(lookup(db, "FROM:a@b.EXAMPLE", 0) == NULL);
	CHECK(lookup(db, "from:nobody", 1) == NULL);
	free(db);

	/* Keys with NUL (aliases) are found without the caller adding it. */
	db = xasprintf("%s/a.db", dir);
	CHECK(build_text(db, "Root: admin\n", MAPDB_ALIASES, NULL,
	    &cause) == 0);
	v = lookup(db, "ROOT", 1);
	CHECK_STR(v, "admin");
	free(v);
	/* The sentinel sendmail waits for. */
	v = lookup(db, "@", 1);
	CHECK_STR(v, "@");
	free(v);
	free(db);

	db = xasprintf("%s/none.db", dir);
	{
		struct buf val = BUF_INIT;

		CHECK(mapdb_lookup(db, "x", 1, 1, &val, &cause) == -1);
		CHECK(cause != NULL && strstr(cause, "none.db") != NULL);
		free(cause);
		buf_release(&val);
	}
	free(db);
}

TEST(mapdb_fold_off_and_nul_on)
{
	struct map_pairs	 mp;
	struct mapdb_opts	 o;
	struct mapdb_records	 r;
	const char		*dir = test_tmpdir();
	char			*db, *cause = NULL;
	const char		*text = "MiXed\tValue\n";

	pairs_of(text, strlen(text), MAPDB_MAP, &mp);
	mapdb_opts_init(&o, MAPDB_MAP);
	o.fold_case = 0;
	o.nul = 1;
	db = xasprintf("%s/f.db", dir);
	CHECK(mapdb_build(db, mp.v, mp.n, &o, NULL, &cause) == 0);
	mapdb_records_init(&r);
	CHECK(mapdb_read(db, MAPDB_RAW, &r, &cause) == 0);
	CHECK(r.n == 1);
	if (r.n == 1) {
		CHECK(r.v[0].keylen == 6 && memcmp(r.v[0].key, "MiXed", 6) == 0);
		CHECK(r.v[0].vallen == 6 && memcmp(r.v[0].val, "Value", 6) == 0);
	}
	mapdb_records_release(&r);
	map_pairs_release(&mp);
	free(db);
}

TEST(mapdb_read_sorted_and_clean)
{
	struct mapdb_records	 r;
	const char		*dir = test_tmpdir();
	char			*db, *cause = NULL;

	db = xasprintf("%s/a.db", dir);
	CHECK(build_text(db, "b: 2\nA: 1\nc: 3\n", MAPDB_ALIASES, NULL,
	    &cause) == 0);
	mapdb_records_init(&r);
	CHECK(mapdb_read(db, MAPDB_SORTED, &r, &cause) == 0);
	/* No sentinel, no NULs, sorted. */
	CHECK(r.n == 3);
	if (r.n == 3) {
		CHECK(r.v[0].keylen == 1 && r.v[0].key[0] == 'a');
		CHECK(r.v[1].keylen == 1 && r.v[1].key[0] == 'b');
		CHECK(r.v[2].vallen == 1 && r.v[2].val[0] == '3');
	}
	mapdb_records_release(&r);
	mapdb_records_init(&r);
	CHECK(mapdb_read(db, MAPDB_RAW, &r, &cause) == 0);
	CHECK(r.n == 4);
	mapdb_records_release(&r);
	free(db);
}

TEST(mapdb_bad_pair_keeps_old_map)
{
	struct map_pair		 p[3];
	struct mapdb_opts	 o;
	const char		*dir = test_tmpdir();
	char			*db, *cause = NULL, *before, *after;
	size_t			 blen, alen;

	db = xasprintf("%s/m.db", dir);
	CHECK(build_text(db, "old\tvalue\n", MAPDB_MAP, NULL, &cause) == 0);
	before = slurp(db, &blen);
	memset(p, 0, sizeof p);
	p[0].key = "a"; p[0].keylen = 1; p[0].val = "1"; p[0].vallen = 1;
	p[0].line = 1;
	p[1].key = "b"; p[1].keylen = 1; p[1].val = ""; p[1].vallen = 0;
	p[1].line = 2;
	p[2] = p[0];
	mapdb_opts_init(&o, MAPDB_MAP);
	o.source = "virtusertable";
	CHECK(mapdb_build(db, p, 3, &o, NULL, &cause) == -1);
	CHECK_STR(cause, "virtusertable:2: no value for key \"b\"");
	free(cause);
	after = slurp(db, &alen);
	CHECK(before != NULL && after != NULL && blen == alen &&
	    memcmp(before, after, blen) == 0);
	CHECK(count_names(dir, "smadm-") == 0);
	free(before);
	free(after);
	free(db);
}

/* A build that fails while libdb writes (file size limit): nothing left. */
TEST(mapdb_failed_write_keeps_old_map)
{
	struct buf	 text = BUF_INIT;
	const char	*dir = test_tmpdir();
	char		*db, *cause = NULL, *before, *after;
	size_t		 blen, alen, i;
	char		 big[2001];
	rlim_t		 lim;
	pid_t		 pid;
	int		 status;

	db = xasprintf("%s/big.db", dir);
	CHECK(build_text(db, "old\tvalue\n", MAPDB_MAP, NULL, &cause) == 0);
	before = slurp(db, &blen);
	for (i = 0; i < 20000; i++)
		buf_printf(&text, "key%zu@example.com\tvalue number %zu\n", i, i);
	/*
	 * 16 KB: libdb fails while creating the file; 64 KB with values too
	 * big for a page (overflow pages): it fails writing at close.
	 */
	for (lim = 16 * 1024; lim <= 64 * 1024; lim *= 4) {
		if (lim == 64 * 1024) {
			buf_reset(&text);
			for (i = 0; i < 200; i++) {
				buf_printf(&text, "key%zu\t", i);
				memset(big, 'x', sizeof big - 1);
				buf_add(&text, big, sizeof big - 1);
				buf_addch(&text, '\n');
			}
		}
		if ((pid = fork()) == 0) {
			struct rlimit	rl = { lim, lim };

			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
			status = build_text(db, text.data, MAPDB_MAP, NULL,
			    &cause);
			if (getenv("SMADM_TEST_VERBOSE") != NULL)
				fprintf(stderr, "  child: %s\n", cause);
			_exit(status == -1 ? 0 : 1);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		after = slurp(db, &alen);
		CHECK(before != NULL && after != NULL && blen == alen &&
		    memcmp(before, after, blen) == 0);
		free(after);
		CHECK(count_names(dir, "smadm-") == 0);
		CHECK(count_names(dir, "__db") == 0);
	}
	/* Without the limit the same text builds. */
	CHECK(build_text(db, text.data, MAPDB_MAP, NULL, &cause) == 0);
	after = lookup(db, "KEY199", 1);
	CHECK(after != NULL && strlen(after) == 2000);
	free(after);
	free(before);
	buf_release(&text);
	free(db);
}

TEST(mapdb_missing_dir_fails_cleanly)
{
	const char	*dir = test_tmpdir();
	char		*db, *cause = NULL;

	db = xasprintf("%s/nodir/m.db", dir);
	CHECK(build_text(db, "a\tb\n", MAPDB_MAP, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "nodir") != NULL);
	free(cause);
	free(db);
}

TEST(mapdb_keeps_owner_and_mode)
{
	struct mapdb_opts	 o;
	struct map_pair		 p;
	struct stat		 st;
	const char		*dir = test_tmpdir();
	char			*db, *cause = NULL;

	db = xasprintf("%s/m.db", dir);
	CHECK(build_text(db, "a\tb\n", MAPDB_MAP, NULL, &cause) == 0);
	CHECK(stat(db, &st) == 0 && (st.st_mode & 07777) == 0640);
	if (geteuid() == 0)
		CHECK(chown(db, 12345, 23456) == 0);
	CHECK(chmod(db, 0604) == 0);
	CHECK(build_text(db, "a\tc\n", MAPDB_MAP, NULL, &cause) == 0);
	CHECK(stat(db, &st) == 0 && (st.st_mode & 07777) == 0604);
	if (geteuid() == 0)
		CHECK(st.st_uid == 12345 && st.st_gid == 23456);
	free(db);

	/* A new map: the mode and owner asked for (the cf's TrustedUser). */
	db = xasprintf("%s/n.db", dir);
	memset(&p, 0, sizeof p);
	p.key = "k"; p.keylen = 1; p.val = "v"; p.vallen = 1; p.line = 1;
	mapdb_opts_init(&o, MAPDB_MAP);
	o.mode = 0600;
	o.set_owner = geteuid() == 0;
	o.uid = 4242;
	CHECK(mapdb_build(db, &p, 1, &o, NULL, &cause) == 0);
	CHECK(stat(db, &st) == 0 && (st.st_mode & 07777) == 0600);
	if (geteuid() == 0)
		CHECK(st.st_uid == 4242 && st.st_gid == getegid());
	free(db);
}

/* A process that has the old map open sees its mtime move and reopens. */
TEST(mapdb_replaced_map_looks_changed)
{
	struct stat	 before, after;
	const char	*dir = test_tmpdir();
	char		*db, *cause = NULL;
	int		 fd;

	db = xasprintf("%s/m.db", dir);
	CHECK(build_text(db, "a\tb\n", MAPDB_MAP, NULL, &cause) == 0);
	fd = open(db, O_RDONLY);
	CHECK(fd != -1 && fstat(fd, &before) == 0);
	CHECK(build_text(db, "a\tc\n", MAPDB_MAP, NULL, &cause) == 0);
	CHECK(fstat(fd, &after) == 0);
	CHECK(after.st_mtime > before.st_mtime);
	CHECK(after.st_ino == before.st_ino);
	close(fd);
	CHECK(stat(db, &after) == 0 && after.st_ino != before.st_ino);
	free(db);
}

TEST(mapdb_waits_for_makemap_lock)
{
	struct map_pair		 p;
	struct mapdb_opts	 o;
	const char		*dir = test_tmpdir();
	char			*db, *cause = NULL;
	int			 fd;

	db = xasprintf("%s/m.db", dir);
	CHECK(build_text(db, "a\tb\n", MAPDB_MAP, NULL, &cause) == 0);
	/* What makemap holds while it writes. */
	fd = open(db, O_RDWR);
	CHECK(fd != -1 && flock(fd, LOCK_EX) == 0);
	memset(&p, 0, sizeof p);
	p.key = "a"; p.keylen = 1; p.val = "z"; p.vallen = 1; p.line = 1;
	mapdb_opts_init(&o, MAPDB_MAP);
	o.lock_timeout_ms = 100;
	CHECK(mapdb_build(db, &p, 1, &o, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "locked by another") != NULL);
	free(cause);
	cause = NULL;
	CHECK(count_names(dir, "smadm-") == 0);
	flock(fd, LOCK_UN);
	CHECK(mapdb_build(db, &p, 1, &o, NULL, &cause) == 0);
	close(fd);
	/* And mapdb_lock() itself, shared against exclusive. */
	fd = mapdb_lock(db, 0, 0, &cause);
	CHECK(fd != -1);
	CHECK(mapdb_lock(db, 1, 0, &cause) == -1);
	free(cause);
	mapdb_unlock(fd);
	free(db);
}

TEST(mapdb_compare_reports_differences)
{
	struct map_pairs	 mp;
	struct mapdb_opts	 o;
	struct mapdb_diff	 df;
	struct timespec		 ts[2];
	const char		*dir = test_tmpdir();
	const char		*newtext = "a\t1\nB\t2\nd\t4\n";
	char			*db, *txt, *cause = NULL;

	db = xasprintf("%s/m.db", dir);
	txt = xasprintf("%s/m", dir);
	spit(txt, "a\t1\nb\t2\nc\t3\n");
	CHECK(build_text(db, "a\t1\nb\t2\nc\t3\n", MAPDB_MAP, NULL,
	    &cause) == 0);
	mapdb_opts_init(&o, MAPDB_MAP);

	/* Same content, text older: no difference. */
	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - 100;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	CHECK(utimensat(AT_FDCWD, txt, ts, 0) == 0);
	pairs_of("a\t1\nb\t2\nc\t3\n", 12, MAPDB_MAP, &mp);
	mapdb_diff_init(&df);
	CHECK(mapdb_compare(db, txt, mp.v, mp.n, &o, &df, &cause) == 0);
	CHECK(mapdb_diff_empty(&df));
	CHECK(mapdb_outdated(db, txt, &cause) == 0);
	mapdb_diff_release(&df);
	map_pairs_release(&mp);

	/* Text edited: stale, c gone, d new, a changed via B folding. */
	spit(txt, newtext);
	pairs_of(newtext, strlen(newtext), MAPDB_MAP, &mp);
	mp.v[0].val = "9";
	mapdb_diff_init(&df);
	CHECK(mapdb_compare(db, txt, mp.v, mp.n, &o, &df, &cause) == 0);
	CHECK(df.stale && !df.nodb);
	CHECK(df.missing.n == 1 && strcmp(df.missing.v[0], "d") == 0);
	CHECK(df.extra.n == 1 && strcmp(df.extra.v[0], "c") == 0);
	CHECK(df.different.n == 1 && strcmp(df.different.v[0], "a") == 0);
	CHECK(mapdb_outdated(db, txt, &cause) == 1);
	mapdb_diff_release(&df);

	/* No database at all. */
	unlink(db);
	mapdb_diff_init(&df);
	CHECK(mapdb_compare(db, txt, mp.v, mp.n, &o, &df, &cause) == 0);
	CHECK(df.nodb && df.missing.n == 3);
	CHECK(mapdb_outdated(db, txt, &cause) == 1);
	mapdb_diff_release(&df);
	map_pairs_release(&mp);
	free(db);
	free(txt);
}

TEST(mapdb_text_reader_messages)
{
	struct map_pairs	 mp;
	struct strv		 errors = STRV_INIT;
	const char		*map = "# c\n\nk v  \n lead\tx\nnovalue\t \n"
				    "k2\tv2\r\n";
	const char		*ali = "a: b,\n  c\nnocolon\n\n  orphan\n"
				    "e:\n@x: y\nf: g\\\nh\n";

	map_pairs_init(&mp);
	CHECK(mapdb_pairs_from_text(map, strlen(map), MAPDB_MAP, "access",
	    &mp, &errors) == 2);
	CHECK(errors.n == 2);
	if (errors.n == 2) {
		CHECK_STR(errors.v[0], "access:4: line starts with a blank "
		    "(expected KEY VALUE)");
		CHECK_STR(errors.v[1], "access:5: no value for key "
		    "\"novalue\"");
	}
	CHECK(mp.n == 2);
	if (mp.n == 2) {
		CHECK(mp.v[0].vallen == 3 && memcmp(mp.v[0].val, "v  ", 3) == 0);
		CHECK(mp.v[0].line == 3);
		CHECK(mp.v[1].vallen == 3 && memcmp(mp.v[1].val, "v2\r", 3) == 0);
	}
	map_pairs_release(&mp);
	strv_release(&errors);

	map_pairs_init(&mp);
	CHECK(mapdb_pairs_from_text(ali, strlen(ali), MAPDB_ALIASES, "aliases",
	    &mp, &errors) == 4);
	if (errors.n == 4) {
		CHECK_STR(errors.v[0], "aliases:3: missing colon (expected "
		    "NAME: VALUE)");
		CHECK_STR(errors.v[1], "aliases:5: line starts with a blank "
		    "but continues no alias");
		CHECK_STR(errors.v[2], "aliases:6: missing value for alias "
		    "\"e\"");
		CHECK_STR(errors.v[3], "aliases:7: alias name \"@x\" is not a "
		    "plain local name");
	}
	CHECK(mp.n == 2);
	if (mp.n == 2) {
		CHECK(mp.v[0].vallen == 5 && memcmp(mp.v[0].val, "b,  c", 5) == 0);
		CHECK(mp.v[1].line == 8);
		CHECK(mp.v[1].vallen == 2 && memcmp(mp.v[1].val, "gh", 2) == 0);
	}
	map_pairs_release(&mp);
	strv_release(&errors);
}

TEST(mapdb_cf_settings)
{
	struct mapdb_opts	 o;
	struct passwd		*pw;
	const char		*cf = "O AliasFile=/etc/mail/aliases\n"
				    "Kaccess hash -o -T<TMPF> /etc/mail/access\n"
				    "Kvirtuser hash -f -N -o /etc/mail/virt\n"
				    "O TrustedUser=root\n";
	char			*cause = NULL;
	uid_t			 uid = 99;

	mapdb_opts_init(&o, MAPDB_MAP);
	CHECK(mapdb_cf_map_flags(cf, strlen(cf), "access", &o) == 1);
	CHECK(o.fold_case == 1 && o.nul == 0);
	CHECK(mapdb_cf_map_flags(cf, strlen(cf), "virtuser", &o) == 1);
	CHECK(o.fold_case == 0 && o.nul == 1);
	CHECK(mapdb_cf_map_flags(cf, strlen(cf), "virt", &o) == 0);

	CHECK(mapdb_cf_trusted_user(cf, strlen(cf), &uid, &cause) == 1);
	CHECK(uid == 0);
	CHECK(mapdb_cf_trusted_user("O TrustedUser=4321\n", 19, &uid,
	    &cause) == 1 && uid == 4321);
	CHECK(mapdb_cf_trusted_user("#O TrustedUser=x\n", 17, &uid,
	    &cause) == 0);
	CHECK(mapdb_cf_trusted_user("O TrustedUser=nosuchuser9\n", 26, &uid,
	    &cause) == -1);
	CHECK_STR(cause, "TrustedUser nosuchuser9: no such user");
	free(cause);
	if ((pw = getpwnam("smmta")) != NULL) {
		CHECK(mapdb_cf_trusted_user("O TrustedUser=smmta", 19, &uid,
		    &cause) == 1 && uid == pw->pw_uid);
	}
}
