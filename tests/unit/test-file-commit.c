/*
 * test-file-commit.c -- the one temporary name and commit of file-commit.h,
 * and the cf generation of cf-m4.h with the real m4 (sendmail's check of
 * a cf runs in a sandbox's namespace: tests/integration/mc-apply.sh).
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../backend/cf-m4.h"
#include "../../backend/file-commit.h"
#include "../../config.h"
#include "test.h"

TEST(commit_temp_names)
{
	char	*t;

	t = commit_temp_template("/etc/mail/access.db");
	CHECK_STR(t, "/etc/mail/.access.db.smadm-XXXXXX");
	commit_temp_fill(t);
	CHECK(strncmp(t, "/etc/mail/.access.db.smadm-", 27) == 0);
	CHECK(strspn(t + 27, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789") == COMMIT_TEMP_RANDOM && strcmp(t + 27, "XXXXXX") != 0);
	CHECK(strlen(t) == 27 + COMMIT_TEMP_RANDOM);
	CHECK(commit_temp_of(t + 10, "access.db"));
	free(t);
	t = commit_temp_template("/sendmail.cf");
	CHECK_STR(t, "/.sendmail.cf.smadm-XXXXXX");
	free(t);
	t = commit_temp_template("access");
	CHECK_STR(t, "./.access.smadm-XXXXXX");
	free(t);
	CHECK(commit_temp_of(".access.smadm-AbC123", "access"));
	CHECK(commit_temp_of("__db..access.db.smadm-AbC123", "access.db"));
	CHECK(!commit_temp_of(".access.smadm-AbC12", "access"));
	CHECK(!commit_temp_of(".access.smadm-AbC1234", "access"));
	CHECK(!commit_temp_of(".access.db.smadm-AbC123", "access"));
	CHECK(!commit_temp_of("access.smadm-AbC123", "access"));
	CHECK(!commit_temp_of(".aliases.smadm-AbC123", "access"));
}

/* A temporary file, committed over a file owned by someone else. */
TEST(commit_keeps_owner_and_mode)
{
	const char		*dir = test_tmpdir();
	struct transport	*t = transport_local_create();
	struct write_opts	 wo;
	struct stat		 st;
	char			*path, *cause = NULL;

	path = xasprintf("%s/owned", dir);
	write_opts_init(&wo);
	CHECK(transport_write_file(t, path, "old\n", 4, &wo, &cause) == 0);
	if (geteuid() == 0)
		CHECK(chown(path, 65534, 65534) == 0);
	CHECK(chmod(path, 0604) == 0);
	CHECK(transport_write_file(t, path, "new\n", 4, &wo, &cause) == 0);
	CHECK(stat(path, &st) == 0);
	CHECK((st.st_mode & 07777) == 0604);
	if (geteuid() == 0)
		CHECK(st.st_uid == 65534 && st.st_gid == 65534);
	free(path);
	transport_free(t);
}

static int
cf_write(const char *path, const char *text)
{
	struct transport	*t = transport_local_create();
	struct write_opts	 wo;
	char			*cause = NULL;
	int			 rc;

	write_opts_init(&wo);
	rc = transport_write_file(t, path, text, strlen(text), &wo, &cause);
	free(cause);
	transport_free(t);
	return rc;
}

/* m4's complaints fail a generation even when m4 exits 0. */
TEST(cf_generate_refuses_m4_complaints)
{
	const char		*dir = test_tmpdir();
	struct transport	*t = transport_local_create();
	struct buf		 cf = BUF_INIT;
	char			*mc, *cause = NULL;

	mc = xasprintf("%s/bad.mc", dir);
	CHECK(cf_write(mc, "OSTYPE(`debian')dnl\nFEATURE(`nullclient')dnl\n"
	    "MAILER(`smtp')dnl\n") == 0);
	CHECK(cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &cf, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "m4 refused") != NULL);
	free(cause);
	cause = NULL;
	CHECK(cf_write(mc, "errprint(`just a word\n')dnl\n"
	    "OSTYPE(`debian')dnl\nMAILER(`smtp')dnl\n") == 0);
	CHECK(cf_generate(t, PATH_M4, SENDMAIL_CF_DIR, mc, &cf, NULL, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "just a word") != NULL);
	free(cause);
	free(mc);
	buf_release(&cf);
	transport_free(t);
}
