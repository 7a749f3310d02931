/*
 * test-trust.c -- the ownership and mode rules of trust.h, on real files
 * made in a temporary directory (under /tmp, itself a sticky directory).
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <unistd.h>

#include "../../backend/trust.h"
#include "test.h"

/* A uid that is neither root nor the tester. */
#define OTHER_UID	65534

static int
has(const char *cause, const char *what)
{
	if (cause != NULL && strstr(cause, what) != NULL)
		return 1;
	fprintf(stderr, "    cause: %s\n    wanted: %s\n",
	    cause != NULL ? cause : "(none)", what);
	return 0;
}

static void
make_file(const char *path, mode_t mode)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL)
		util_fatal("%s: cannot create", path);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	chmod(path, mode);
}

static void
make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) != 0)
		util_fatal("%s: mkdir failed", path);
	chmod(path, mode);
}

TEST(trust_mode_rules)
{
	struct tstat	 st;
	const char	*fix = NULL;

	memset(&st, 0, sizeof st);
	st.type = TS_REG;
	st.mode = 0755;
	CHECK(trust_mode_problem(&st, 0, 1, &fix) == NULL);
	st.uid = 1000;
	CHECK(trust_mode_problem(&st, 1000, 1, &fix) == NULL);
	CHECK_STR(trust_mode_problem(&st, 0, 1, &fix), "not owned by root");
	CHECK_STR(fix, "chown root");
	CHECK(trust_mode_problem(&st, 1001, 1, &fix) != NULL);
	st.uid = 0;
	st.mode = 0775;
	CHECK_STR(trust_mode_problem(&st, 0, 1, &fix),
	    "writable by its group");
	CHECK_STR(fix, "chmod g-w");
	st.mode = 0757;
	CHECK_STR(trust_mode_problem(&st, 0, 1, &fix), "writable by others");
	CHECK_STR(fix, "chmod o-w");
	st.mode = 0777;
	fix = NULL;
	CHECK(trust_mode_problem(&st, 0, 0, &fix) != NULL);
	CHECK_STR(fix, "chmod go-w");

	/* The sticky bit excuses a directory on the way, nothing else. */
	st.type = TS_DIR;
	st.mode = 01777;
	CHECK(trust_mode_problem(&st, 0, 0, &fix) == NULL);
	CHECK(trust_mode_problem(&st, 0, 1, &fix) != NULL);
	st.mode = 0777;
	CHECK(trust_mode_problem(&st, 0, 0, &fix) != NULL);
	st.type = TS_REG;
	st.mode = 01777;
	CHECK(trust_mode_problem(&st, 0, 0, &fix) != NULL);
	/* ...and only when root or self owns it. */
	st.type = TS_DIR;
	st.uid = OTHER_UID;
	CHECK(trust_mode_problem(&st, 0, 0, &fix) != NULL);
}

TEST(trust_path_walk)
{
	struct transport	*t = transport_local_create();
	const char		*dir = test_tmpdir();
	char			*cause = NULL, p[512], q[512];
	uid_t			 me = getuid();

	snprintf(p, sizeof p, "%s/ok", dir);
	make_dir(p, 0755);
	snprintf(p, sizeof p, "%s/ok/prog", dir);
	make_file(p, 0755);
	CHECK(trust_path(t, p, me, "m4", &cause) == 0);

	/* A group-writable directory on the way: named, with the fix. */
	snprintf(q, sizeof q, "%s/ok", dir);
	chmod(q, 0775);
	CHECK(trust_path(t, p, me, "m4", &cause) == -1);
	CHECK(has(cause, "m4 "));
	CHECK(has(cause, "mode 0775"));
	CHECK(has(cause, "chmod g-w "));
	CHECK(has(cause, q));
	free(cause);
	cause = NULL;
	chmod(q, 0755);

	/* The file itself, world-writable. */
	chmod(p, 0757);
	CHECK(trust_path(t, p, me, "m4", &cause) == -1);
	CHECK(has(cause, "writable by others"));
	CHECK(has(cause, "chmod o-w "));
	free(cause);
	cause = NULL;
	chmod(p, 0755);

	/* A path that goes through .. and . */
	snprintf(q, sizeof q, "%s/ok/../ok/./prog", dir);
	CHECK(trust_path(t, q, me, "m4", &cause) == 0);

	/* Missing: fine in a safe directory. */
	snprintf(q, sizeof q, "%s/ok/none/deeper", dir);
	CHECK(trust_path(t, q, me, "m4", &cause) == 0);

	/* Relative: refused. */
	CHECK(trust_path(t, "usr/bin/m4", me, "m4", &cause) == -1);
	CHECK(has(cause, "not an absolute path"));
	free(cause);
	cause = NULL;

	/* Sticky like /tmp: fine above, not as the file's own directory. */
	snprintf(q, sizeof q, "%s/sticky", dir);
	make_dir(q, 01777);
	snprintf(q, sizeof q, "%s/sticky/inner", dir);
	make_dir(q, 0755);
	snprintf(q, sizeof q, "%s/sticky/inner/prog", dir);
	make_file(q, 0755);
	CHECK(trust_path(t, q, me, "m4", &cause) == 0);
	snprintf(q, sizeof q, "%s/sticky/prog", dir);
	make_file(q, 0755);
	CHECK(trust_path(t, q, me, "m4", &cause) == -1);
	CHECK(has(cause, "the directory holding it"));
	free(cause);
	cause = NULL;
	/* A missing name there: others could make it. */
	snprintf(q, sizeof q, "%s/sticky/absent", dir);
	CHECK(trust_path(t, q, me, "m4", &cause) == -1);
	free(cause);
	cause = NULL;

	/* A world-writable directory without the sticky bit. */
	snprintf(q, sizeof q, "%s/open", dir);
	make_dir(q, 0777);
	snprintf(q, sizeof q, "%s/open/sub", dir);
	make_dir(q, 0755);
	snprintf(q, sizeof q, "%s/open/sub/prog", dir);
	make_file(q, 0755);
	CHECK(trust_path(t, q, me, "m4", &cause) == -1);
	CHECK(has(cause, "chmod go-w "));
	free(cause);
	cause = NULL;

	/* Links are followed and what they lead through is checked. */
	snprintf(q, sizeof q, "%s/ok/link", dir);
	CHECK(symlink("../open/sub/prog", q) == 0);
	CHECK(trust_path(t, q, me, "m4", &cause) == -1);
	CHECK(has(cause, "/open"));
	free(cause);
	cause = NULL;
	snprintf(q, sizeof q, "%s/ok/abslink", dir);
	CHECK(symlink(p, q) == 0);
	CHECK(trust_path(t, q, me, "m4", &cause) == 0);
	snprintf(q, sizeof q, "%s/ok/loop", dir);
	CHECK(symlink("loop", q) == 0);
	CHECK(trust_path(t, q, me, "m4", &cause) == -1);
	CHECK(has(cause, "too many symbolic links"));
	free(cause);
	cause = NULL;

	/* Owned by someone else (only root can give it away). */
	if (me == 0 && chown(p, OTHER_UID, 0) == 0) {
		CHECK(trust_path(t, p, 0, "m4", &cause) == -1);
		CHECK(has(cause, "owner uid 65534"));
		CHECK(has(cause, "chown root "));
		free(cause);
		cause = NULL;
		/* The invoking user's own files are fine. */
		CHECK(trust_path(t, p, OTHER_UID, "m4", &cause) == 0);
	}
	free(cause);
	transport_free(t);
}

TEST(trust_own_dir_links)
{
	struct transport	*t = transport_local_create();
	const char		*dir = test_tmpdir();
	char			*cause = NULL, p[512], q[512];

	snprintf(p, sizeof p, "%s/.smadm", dir);
	make_dir(p, 0700);
	CHECK(trust_own_dir(t, p, getuid(), &cause) == 0);
	chmod(p, 0770);
	CHECK(trust_own_dir(t, p, getuid(), &cause) == -1);
	CHECK(has(cause, "chmod g-w"));
	free(cause);
	cause = NULL;
	snprintf(q, sizeof q, "%s/elsewhere", dir);
	CHECK(symlink(p, q) == 0);
	chmod(p, 0700);
	CHECK(trust_own_dir(t, q, getuid(), &cause) == -1);
	CHECK(has(cause, "is a symbolic link"));
	free(cause);
	transport_free(t);
}

TEST(trust_profile_load_refuses)
{
	struct transport	*t = transport_local_create();
	struct profile		*p;
	const char		*dir = test_tmpdir();
	char			*cause = NULL, conf[512], bin[512];
	char			 text[1024];

	snprintf(bin, sizeof bin, "%s/bin", dir);
	make_dir(bin, 0755);
	snprintf(bin, sizeof bin, "%s/bin/m4", dir);
	make_file(bin, 0755);
	snprintf(conf, sizeof conf, "%s/smadm.conf", dir);
	snprintf(text, sizeof text, "m4 = %s\nmc = etc/sendmail.mc\n", bin);
	CHECK(transport_write_file(t, conf, text, strlen(text), NULL,
	    &cause) == 0);
	chmod(dir, 0755);
	p = trust_profile_load(t, dir, &cause);
	CHECK(p != NULL);
	profile_free(p);

	/* The profile group-writable. */
	chmod(conf, 0664);
	CHECK(trust_profile_load(t, dir, &cause) == NULL);
	CHECK(has(cause, "profile "));
	CHECK(has(cause, "chmod g-w"));
	free(cause);
	cause = NULL;
	chmod(conf, 0644);

	/* The m4 it names world-writable. */
	chmod(bin, 0777);
	CHECK(trust_profile_load(t, dir, &cause) == NULL);
	CHECK(has(cause, "m4 "));
	CHECK(has(cause, "named in"));
	free(cause);
	cause = NULL;
	chmod(bin, 0755);

	/* The profile directory itself open to all (sticky or not). */
	chmod(dir, 01777);
	CHECK(trust_profile_load(t, dir, &cause) == NULL);
	CHECK(has(cause, "the directory holding it"));
	free(cause);
	chmod(dir, 0700);
	transport_free(t);
}
