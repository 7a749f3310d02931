/*
 * ssh-sftp.c -- the file operations over SFTP, used when there is no smadm on
 * the host or its serve process cannot be had: reads, atomic writes
 * (temporary file, fsync@openssh.com, mode and owner, backup, rename),
 * stats, listings and the rest.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "file-commit.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

#if HAVE_SSH

#define SSH_READ_MAX		(256u * 1024 * 1024)

int
sshtr_sftp(struct ssh_priv *sp, char **cause)
{
	if (sshtr_ensure(sp, cause) != 0)
		return -1;
	if (sp->sftp != NULL)
		return 0;
	if ((sp->sftp = sftp_new(sp->s)) == NULL) {
		*cause = xasprintf("%s: SFTP: %s", sp->spec,
		    ssh_get_error(sp->s));
		return -1;
	}
	if (sftp_init(sp->sftp) != SSH_OK) {
		*cause = xasprintf("%s: SFTP is not available: %s", sp->spec,
		    ssh_get_error(sp->s));
		sftp_free(sp->sftp);
		sp->sftp = NULL;
		return -1;
	}
	sp->have_fsync = sftp_extension_supported(sp->sftp,
	    "fsync@openssh.com", "1");
	return 0;
}

static const char *
sftp_errstr(struct ssh_priv *sp)
{
	switch (sp->sftp != NULL ? sftp_get_error(sp->sftp) : -1) {
	case SSH_FX_NO_SUCH_FILE:
		return "No such file or directory";
	case SSH_FX_PERMISSION_DENIED:
		return "Permission denied";
	case SSH_FX_FAILURE:
		return "Failure";
	case SSH_FX_FILE_ALREADY_EXISTS:
		return "File exists";
	case SSH_FX_NO_SUCH_PATH:
		return "No such file or directory";
	case SSH_FX_OP_UNSUPPORTED:
		return "Operation not supported";
	default:
		return ssh_get_error(sp->s);
	}
}

/* A permission error says who is logged in and that root (or sudo) can. */
char *
sshtr_file_error(struct ssh_priv *sp, const char *what, const char *path)
{
	char	*user = NULL, *r;

	if (sp->sftp != NULL &&
	    sftp_get_error(sp->sftp) == SSH_FX_PERMISSION_DENIED) {
		ssh_options_get(sp->s, SSH_OPTIONS_USER, &user);
		r = xasprintf("%s%s%s: permission denied for %s on %s (%s needs "
		    "to be readable/writable by that user, or log in as root)",
		    what, *what != '\0' ? " " : "", path,
		    user != NULL ? user : "the login user", sp->spec, path);
		ssh_string_free_char(user);
		return r;
	}
	return xasprintf("%s%s%s: %s", what, *what != '\0' ? " " : "", path,
	    sftp_errstr(sp));
}

int
sshtr_sftp_read_file(struct transport *t, const char *path, struct buf *out,
    size_t max, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 a;
	sftp_file	 f;
	char		*chunk;
	ssize_t		 n;
	size_t		 total = 0;
	int		 rc = -1;

	if (max == 0)
		max = SSH_READ_MAX;
	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	/* sftp-server would hang opening a FIFO: look first. */
	if ((a = sftp_stat(sp->sftp, path)) != NULL) {
		if (a->type != SSH_FILEXFER_TYPE_REGULAR) {
			sftp_attributes_free(a);
			*cause = xasprintf("%s: not a regular file", path);
			return -1;
		}
		sftp_attributes_free(a);
	}
	if ((f = sftp_open(sp->sftp, path, O_RDONLY, 0)) == NULL) {
		*cause = sshtr_file_error(sp, "", path);
		return -1;
	}
	if ((a = sftp_fstat(f)) != NULL) {
		if (a->type == SSH_FILEXFER_TYPE_DIRECTORY) {
			sftp_attributes_free(a);
			sftp_close(f);
			*cause = xasprintf("%s: is a directory", path);
			return -1;
		}
		if (a->type == SSH_FILEXFER_TYPE_REGULAR && a->size < max)
			buf_grow(out, (size_t)a->size);
		sftp_attributes_free(a);
	}
	chunk = xmalloc(65536);
	for (;;) {
		n = sftp_read(f, chunk, 65536);
		if (n < 0) {
			*cause = sshtr_file_error(sp, "", path);
			goto out;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			*cause = xasprintf("%s: larger than %zu bytes", path,
			    max);
			goto out;
		}
		buf_add(out, chunk, (size_t)n);
	}
	rc = 0;
out:
	free(chunk);
	sftp_close(f);
	return rc;
}

int
sshtr_write_all(sftp_file f, const char *data, size_t len)
{
	ssize_t	n;
	size_t	want;

	while (len > 0) {
		want = len > 32768 ? 32768 : len;
		if ((n = sftp_write(f, data, want)) <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy a remote file to a new name (O_EXCL): the backup of a write. */
static int
ssh_copy(struct transport *t, const char *from, const char *to, mode_t mode,
    uid_t uid, gid_t gid)
{
	struct ssh_priv	*sp = sp_of(t);
	struct buf	 data = BUF_INIT;
	sftp_file	 f;
	char		*cause = NULL;
	int		 rc = -1;

	if (sshtr_sftp_read_file(t, from, &data, 0, &cause) != 0) {
		free(cause);
		goto out;
	}
	f = sftp_open(sp->sftp, to, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (f == NULL)
		goto out;
	rc = sshtr_write_all(f, data.data, data.len);
	sftp_chown(sp->sftp, to, uid, gid);
	if (rc == 0 && sp->have_fsync)
		rc = sftp_fsync(f);
	if (sftp_close(f) != 0)
		rc = -1;
	if (rc != 0)
		sftp_unlink(sp->sftp, to);
out:
	buf_release(&data);
	return rc;
}

int
sshtr_sftp_write_file(struct transport *t, const char *path, const void *data,
    size_t len, const struct write_opts *wo, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 old = NULL;
	sftp_file	 f = NULL;
	struct buf	 backup = BUF_INIT;
	struct commit_attrs ca;
	char		*target = NULL, *tmp = NULL;
	time_t		 now;
	int		 i, rc = -1;

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	/* Replace what a symlink points at, never the link itself. */
	if ((target = sftp_canonicalize_path(sp->sftp, path)) == NULL)
		target = xstrdup(path);
	else {
		char *copy = xstrdup(target);

		ssh_string_free_char(target);
		target = copy;
	}
	if ((old = sftp_stat(sp->sftp, target)) != NULL &&
	    old->type != SSH_FILEXFER_TYPE_REGULAR) {
		*cause = xasprintf("%s: not a regular file", path);
		goto out;
	}
	for (i = 0; i < 20 && f == NULL; i++) {
		free(tmp);
		tmp = commit_temp_template(target);
		commit_temp_fill(tmp);
		f = sftp_open(sp->sftp, tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (f == NULL && sftp_get_error(sp->sftp) !=
		    SSH_FX_FILE_ALREADY_EXISTS && sftp_get_error(sp->sftp) !=
		    SSH_FX_FAILURE)
			break;
	}
	if (f == NULL) {
		*cause = sshtr_file_error(sp, "cannot create a temporary file "
		    "for", path);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (sshtr_write_all(f, data, len) != 0) {
		*cause = sshtr_file_error(sp, "write", path);
		goto out;
	}
	if (old != NULL)
		commit_attrs_choose(&ca, wo, 1, old->uid, old->gid,
		    old->permissions);
	else
		commit_attrs_choose(&ca, wo, 0, 0, 0, 0);
	/* A non-root login cannot give a kept file away (as locally). */
	if (ca.chown && sftp_chown(sp->sftp, tmp, ca.uid, ca.gid) != 0 &&
	    (ca.chown_strict || sftp_get_error(sp->sftp) !=
	    SSH_FX_PERMISSION_DENIED)) {
		*cause = sshtr_file_error(sp, "chown", path);
		goto out;
	}
	if (sftp_chmod(sp->sftp, tmp, ca.mode) != 0) {
		*cause = sshtr_file_error(sp, "chmod", path);
		goto out;
	}
	if (sp->have_fsync && sftp_fsync(f) != 0) {
		*cause = sshtr_file_error(sp, "fsync", path);
		goto out;
	}
	if (sftp_close(f) != 0) {
		f = NULL;
		*cause = sshtr_file_error(sp, "close", path);
		goto out;
	}
	f = NULL;
	if (old != NULL && wo->backup) {
		now = time(NULL);
		for (i = 0; i < 100; i++) {
			commit_backup_name(&backup, target, now, i);
			if (ssh_copy(t, target, backup.data,
			    old->permissions & 07777, old->uid, old->gid) == 0)
				break;
		}
		if (i == 100) {
			*cause = sshtr_file_error(sp, "cannot keep a backup of",
			    path);
			goto out;
		}
	}
	if (sshtr_sftp_rename(t, tmp, target, cause) != 0)
		goto out;
	free(tmp);
	tmp = NULL;
	if (wo->backup_path != NULL && backup.len != 0)
		buf_addstr(wo->backup_path, backup.data);
	rc = 0;
out:
	if (f != NULL)
		sftp_close(f);
	if (tmp != NULL)
		sftp_unlink(sp->sftp, tmp);
	free(tmp);
	free(target);
	if (old != NULL)
		sftp_attributes_free(old);
	buf_release(&backup);
	return rc;
}

int
sshtr_sftp_stat(struct transport *t, const char *path, int follow,
    struct tstat *ts, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 a;
	int		 err;

	memset(ts, 0, sizeof *ts);
	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	a = follow ? sftp_stat(sp->sftp, path) : sftp_lstat(sp->sftp, path);
	if (a == NULL) {
		err = sftp_get_error(sp->sftp);
		if (err == SSH_FX_NO_SUCH_FILE || err == SSH_FX_NO_SUCH_PATH) {
			ts->type = TS_NONE;
			return 0;
		}
		*cause = sshtr_file_error(sp, "", path);
		return -1;
	}
	switch (a->type) {
	case SSH_FILEXFER_TYPE_REGULAR:
		ts->type = TS_REG;
		break;
	case SSH_FILEXFER_TYPE_DIRECTORY:
		ts->type = TS_DIR;
		break;
	case SSH_FILEXFER_TYPE_SYMLINK:
		ts->type = TS_LNK;
		break;
	default:
		ts->type = (a->permissions & S_IFMT) == S_IFSOCK ? TS_SOCK :
		    TS_OTHER;
		break;
	}
	ts->mode = a->permissions & 07777;
	ts->uid = a->uid;
	ts->gid = a->gid;
	ts->size = (off_t)a->size;
	ts->mtime = (time_t)a->mtime;
	ts->mtime_nsec = a->mtime_nseconds;
	/* SFTP has no device or inode numbers: both stay 0 (unknown). */
	sftp_attributes_free(a);
	return 0;
}

int
sshtr_sftp_list_dir(struct transport *t, const char *path, struct strv *out,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_dir	 d;
	sftp_attributes	 a;

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	if ((d = sftp_opendir(sp->sftp, path)) == NULL) {
		*cause = sshtr_file_error(sp, "", path);
		return -1;
	}
	while ((a = sftp_readdir(sp->sftp, d)) != NULL) {
		if (strcmp(a->name, ".") != 0 && strcmp(a->name, "..") != 0)
			strv_push(out, a->name);
		sftp_attributes_free(a);
	}
	if (!sftp_dir_eof(d)) {
		*cause = sshtr_file_error(sp, "", path);
		sftp_closedir(d);
		return -1;
	}
	sftp_closedir(d);
	return 0;
}

int
sshtr_sftp_mkdir(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct tstat	 st;

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	if (sftp_mkdir(sp->sftp, path, mode) == 0)
		return 0;
	if (sshtr_stat(t, path, 1, &st, cause) == 0 && st.type == TS_DIR)
		return 0;
	*cause = sshtr_file_error(sp, "mkdir", path);
	return -1;
}

int
sshtr_sftp_chmod(struct transport *t, const char *path, mode_t mode,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	if (sftp_chmod(sp->sftp, path, mode) != 0) {
		*cause = sshtr_file_error(sp, "chmod", path);
		return -1;
	}
	return 0;
}

int
sshtr_sftp_chown(struct transport *t, const char *path, uid_t uid, gid_t gid,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	sftp_attributes	 st;

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	/* SFTP sets both: one left as it is is taken from the file. */
	if (uid == (uid_t)-1 || gid == (gid_t)-1) {
		if ((st = sftp_stat(sp->sftp, path)) == NULL) {
			*cause = sshtr_file_error(sp, "stat", path);
			return -1;
		}
		if (uid == (uid_t)-1)
			uid = st->uid;
		if (gid == (gid_t)-1)
			gid = st->gid;
		sftp_attributes_free(st);
	}
	if (sftp_chown(sp->sftp, path, uid, gid) != 0) {
		*cause = sshtr_file_error(sp, "chown", path);
		return -1;
	}
	return 0;
}

int
sshtr_sftp_remove(struct transport *t, const char *path, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct tstat	 st;

	if (sshtr_stat(t, path, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE)
		return 0;
	if ((st.type == TS_DIR ? sftp_rmdir(sp->sftp, path) :
	    sftp_unlink(sp->sftp, path)) != 0) {
		if (sftp_get_error(sp->sftp) == SSH_FX_NO_SUCH_FILE)
			return 0;
		*cause = sshtr_file_error(sp, "remove", path);
		return -1;
	}
	return 0;
}

/*
 * SFTP version 3 (OpenSSH) renames only to a new name, and libssh 0.10
 * does not send posix-rename@openssh.com: replacing a file is done by
 * mv(1) there, which is rename(2), atomic within one file system.
 */
int
sshtr_sftp_rename(struct transport *t, const char *from, const char *to,
    char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct run_result	 rr;
	struct tstat		 st;
	const char		*argv[] = { PATH_MV, "-f", "--", from, to,
				    NULL };
	int			 rc = -1;

	if (sshtr_sftp(sp, cause) != 0 || sshtr_stat(t, to, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE) {
		if (sftp_rename(sp->sftp, from, to) != 0) {
			*cause = sshtr_file_error(sp, "rename", from);
			return -1;
		}
		return 0;
	}
	if (sshtr_run(t, argv, NULL, &rr, cause) != 0)
		return -1;
	if (rr.status != 0)
		*cause = run_result_describe("rename (mv)", &rr);
	else
		rc = 0;
	run_result_release(&rr);
	return rc;
}

int
sshtr_sftp_readlink(struct transport *t, const char *path, struct buf *out,
    char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	char		*l;

	if (sshtr_sftp(sp, cause) != 0)
		return -1;
	if ((l = sftp_readlink(sp->sftp, path)) == NULL) {
		*cause = sshtr_file_error(sp, "", path);
		return -1;
	}
	buf_addstr(out, l);
	ssh_string_free_char(l);
	return 0;
}

#endif /* HAVE_SSH */
