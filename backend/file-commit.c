/*
 * file-commit.c -- temporary names and the commit steps of an atomic file
 * replacement (see file-commit.h).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "file-commit.h"

/* DIR and BASE of a path ("." for a bare name, "/" for the root's). */
static void
commit_split(const char *path, char **dir, const char **base)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL) {
		*dir = xstrdup(".");
		*base = path;
	} else {
		*dir = xstrndup(path, (size_t)(slash - path) +
		    (slash == path));
		*base = slash + 1;
	}
}

char *
commit_temp_template(const char *path)
{
	char	*dir, *t;
	const char *base;

	commit_split(path, &dir, &base);
	t = xasprintf("%s%s.%s%sXXXXXX", dir, strcmp(dir, "/") == 0 ? "" :
	    "/", base, COMMIT_TEMP_TAG);
	free(dir);
	return t;
}

void
commit_temp_fill(char *tmpl)
{
	static const char	 set[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char		 rnd[COMMIT_TEMP_RANDOM];
	size_t			 n = strlen(tmpl), i;

	if (n < COMMIT_TEMP_RANDOM)
		return;
	if (getentropy(rnd, sizeof rnd) != 0)
		util_fatal("getentropy failed");
	for (i = 0; i < COMMIT_TEMP_RANDOM; i++)
		tmpl[n - COMMIT_TEMP_RANDOM + i] = set[rnd[i] % (sizeof set - 1)];
}

int
commit_temp_of(const char *name, const char *base)
{
	size_t	blen = strlen(base), tlen = strlen(COMMIT_TEMP_TAG);

	if (strncmp(name, "__db.", 5) == 0)
		name += 5;
	return name[0] == '.' && strncmp(name + 1, base, blen) == 0 &&
	    strncmp(name + 1 + blen, COMMIT_TEMP_TAG, tlen) == 0 &&
	    strlen(name + 1 + blen + tlen) == COMMIT_TEMP_RANDOM;
}

int
commit_remove_stale(const char *dir, const char *base)
{
	DIR		*d;
	struct dirent	*de;
	struct buf	 full = BUF_INIT;
	int		 fd, n = 0, stale;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!commit_temp_of(de->d_name, base))
			continue;
		buf_reset(&full);
		buf_printf(&full, "%s/%s", dir, de->d_name);
		/* libdb's "__db." files are never locked: their map is. */
		stale = 1;
		fd = open(full.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd != -1) {
			stale = strncmp(de->d_name, "__db.", 5) == 0 ||
			    flock(fd, LOCK_EX | LOCK_NB) == 0;
			close(fd);
		} else if (errno != ENOENT && errno != ELOOP)
			stale = 0;
		if (stale) {
			crash_point("unlink stale temporary file");
			if (unlink(full.data) == 0)
				n++;
		}
	}
	closedir(d);
	buf_release(&full);
	return n;
}

void
commit_backup_name(struct buf *b, const char *path, time_t now, int i)
{
	char		stamp[32];
	struct tm	tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
	buf_reset(b);
	if (i == 0)
		buf_printf(b, "%s.%s.smadm~", path, stamp);
	else
		buf_printf(b, "%s.%s-%d.smadm~", path, stamp, i);
}

void
commit_attrs_choose(struct commit_attrs *a, const struct write_opts *wo,
    int have_old, uid_t old_uid, gid_t old_gid, mode_t old_mode)
{
	memset(a, 0, sizeof *a);
	a->uid = (uid_t)-1;
	a->gid = (gid_t)-1;
	if (have_old && wo->keep_mode && !wo->set_owner) {
		a->chown = 1;
		a->uid = old_uid;
		a->gid = old_gid;
		a->mode = old_mode & 07777;
		return;
	}
	if (wo->set_owner) {
		a->chown = 1;
		a->chown_strict = 1;
		a->uid = wo->uid;
		a->gid = wo->gid;
	}
	a->mode = wo->mode != 0 ? wo->mode : 0644;
}

int
commit_sync(int fd, const char *path, const struct commit_attrs *a,
    char **cause)
{
	if (a->chown && fchown(fd, a->uid, a->gid) != 0 &&
	    (a->chown_strict || geteuid() == 0)) {
		*cause = xasprintf("%s: chown: %s", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, a->mode) != 0) {
		*cause = xasprintf("%s: chmod: %s", path, strerror(errno));
		return -1;
	}
	crash_point("fsync temporary file");
	if (fsync(fd) != 0) {
		*cause = xasprintf("%s: fsync: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
commit_fsync_dir(const char *dir)
{
	int	fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
commit_fsync_parent(const char *path)
{
	char		*dir;
	const char	*base;
	int		 rc;

	commit_split(path, &dir, &base);
	crash_point("fsync directory");
	rc = commit_fsync_dir(dir);
	free(dir);
	return rc;
}

int
commit_rename(const char *tmp, const char *target, char **cause)
{
	crash_point("rename temporary file over the file");
	if (rename(tmp, target) != 0) {
		*cause = xasprintf("%s: rename: %s", target, strerror(errno));
		return -1;
	}
	commit_fsync_parent(target);
	return 0;
}
