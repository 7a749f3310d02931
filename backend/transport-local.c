/*
 * transport-local.c -- the transport for the machine smadm runs on: its
 * operations table and the file operations (read, atomic write with a
 * backup, stat, list, mkdir, rename, lock and remove, a query over a Unix
 * socket).  Running programs is in local-run.c, following files in
 * local-stream.c, reading a directory of many small files in local-dir.c.
 */

#include <sys/socket.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "file-commit.h"
#include "lock.h"
#include "transport.h"
#include "transport-local-int.h"

#define LOCAL_READ_MAX		(256u * 1024 * 1024)

/* What a non-regular file is, for messages. */
const char *
local_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "of another kind";
}

int
local_read_file(struct transport *t unused, const char *path, struct buf *out,
    size_t max, char **cause)
{
	struct stat	st;
	char		chunk[65536];
	ssize_t		n;
	size_t		total = 0;
	int		fd;

	if (max == 0)
		max = LOCAL_READ_MAX;
	/* O_NONBLOCK: a FIFO in a file's place must not hang the open. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file (%s)", path,
		    local_kind(st.st_mode));
		close(fd);
		return -1;
	}
	buf_grow(out, (size_t)st.st_size);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > max) {
			*cause = xasprintf("%s: larger than %zu bytes", path,
			    max);
			close(fd);
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy a file byte for byte, used when a backup cannot be a hard link. */
static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char	chunk[65536];
	ssize_t	n;
	int	in, out, rc = -1;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out == -1) {
		close(in);
		return -1;
	}
	while ((n = read(in, chunk, sizeof chunk)) > 0)
		if (write_all(out, chunk, (size_t)n) != 0)
			goto out;
	if (n == 0 && fsync(out) == 0)
		rc = 0;
out:
	close(in);
	if (close(out) != 0)
		rc = -1;
	if (rc != 0)
		unlink(to);
	return rc;
}

static int
make_backup(const char *path, const struct stat *old, struct buf *name,
    char **cause)
{
	time_t	now = time(NULL);
	int	i;

	for (i = 0; i < 10000; i++) {
		commit_backup_name(name, path, now, i);
		crash_point("link backup");
		if (link(path, name->data) == 0)
			return 0;
		if (errno == EEXIST)
			continue;
		if (copy_file(path, name->data, old->st_mode & 07777) == 0)
			return 0;
		if (errno == EEXIST)
			continue;
		break;
	}
	*cause = xasprintf("%s: cannot keep a backup: %s", path,
	    strerror(errno));
	return -1;
}

/* The data in 64 KiB writes, each a crash point. */
static int
write_chunks(int fd, const char *data, size_t len)
{
	size_t	n;

	do {
		n = len > 65536 ? 65536 : len;
		crash_point("write temporary file");
		if (write_all(fd, data, n) != 0)
			return -1;
		data += n;
		len -= n;
	} while (len > 0);
	return 0;
}

static int
local_write_file(struct transport *t unused, const char *path,
    const void *data, size_t len, const struct write_opts *wo, char **cause)
{
	struct stat	 old;
	struct commit_attrs ca;
	struct buf	 backup = BUF_INIT;
	char		*target = NULL, *dcopy = NULL, *bcopy = NULL, *tmp = NULL;
	char		*dir, *base;
	int		 fd = -1, have_old, rc = -1;

	/*
	 * Replace what a symlink points at, never the link itself; but a
	 * name smadm chose (no_follow) is refused when it is a link.
	 */
	if (wo->no_follow) {
		if (lstat(path, &old) == 0 && S_ISLNK(old.st_mode)) {
			*cause = transport_link_refusal(path);
			goto out;
		}
		target = xstrdup(path);
	} else if ((target = realpath(path, NULL)) == NULL)
		target = xstrdup(path);
	have_old = (wo->no_follow ? lstat(target, &old) :
	    stat(target, &old)) == 0;
	if (have_old && !S_ISREG(old.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		goto out;
	}
	dcopy = xstrdup(target);
	bcopy = xstrdup(target);
	dir = dirname(dcopy);
	base = basename(bcopy);
	commit_remove_stale(dir, base);
	tmp = commit_temp_template(target);
	crash_point("create temporary file");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: cannot create a temporary file in %s: %s",
		    path, dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* Held until after the rename: see file-commit.h. */
	flock(fd, LOCK_EX | LOCK_NB);
	errno = 0;
	if (write_chunks(fd, data, len) != 0) {
		*cause = xasprintf("%s: write failed, the old file is kept: "
		    "%s", path, strerror(errno ? errno : EIO));
		goto out;
	}
	commit_attrs_choose(&ca, wo, have_old, old.st_uid, old.st_gid,
	    old.st_mode);
	if (commit_sync(fd, path, &ca, cause) != 0)
		goto out;
	if (have_old && wo->backup &&
	    make_backup(target, &old, &backup, cause) != 0)
		goto out;
	if (commit_rename(tmp, target, cause) != 0)
		goto out;
	free(tmp);
	tmp = NULL;
	/* close() after the rename: the lock covered the whole write. */
	if (close(fd) != 0) {
		fd = -1;
		*cause = xasprintf("%s: close: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (wo->backup_path != NULL && backup.len != 0)
		buf_addstr(wo->backup_path, backup.data);
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(target);
	free(dcopy);
	free(bcopy);
	buf_release(&backup);
	return rc;
}

static int
local_stat(struct transport *t unused, const char *path, int follow,
    struct tstat *ts, char **cause)
{
	struct stat	st;
	int		rc;

	memset(ts, 0, sizeof *ts);
	rc = follow ? stat(path, &st) : lstat(path, &st);
	if (rc != 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			ts->type = TS_NONE;
			return 0;
		}
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		ts->type = TS_REG;
	else if (S_ISDIR(st.st_mode))
		ts->type = TS_DIR;
	else if (S_ISLNK(st.st_mode))
		ts->type = TS_LNK;
	else if (S_ISSOCK(st.st_mode))
		ts->type = TS_SOCK;
	else
		ts->type = TS_OTHER;
	ts->mode = st.st_mode & 07777;
	ts->uid = st.st_uid;
	ts->gid = st.st_gid;
	ts->size = st.st_size;
	ts->mtime = st.st_mtim.tv_sec;
	ts->mtime_nsec = st.st_mtim.tv_nsec;
	ts->dev = st.st_dev;
	ts->ino = st.st_ino;
	return 0;
}

static int
local_list_dir(struct transport *t unused, const char *path, struct strv *out,
    char **cause)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(path)) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		strv_push(out, de->d_name);
	}
	closedir(d);
	return 0;
}

static int
local_mkdir(struct transport *t unused, const char *path, mode_t mode,
    char **cause)
{
	struct stat	st;

	crash_point("mkdir");
	if (mkdir(path, mode) == 0) {
		/* mkdir honours the umask; the caller asked for this mode. */
		if (chmod(path, mode) != 0) {
			*cause = xasprintf("%s: chmod: %s", path,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	*cause = xasprintf("mkdir %s: %s", path, strerror(errno));
	return -1;
}

static int
local_chown(struct transport *t unused, const char *path, uid_t uid,
    gid_t gid, char **cause)
{
	crash_point("chown");
	if (chown(path, uid, gid) != 0) {
		*cause = xasprintf("chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
local_chmod(struct transport *t unused, const char *path, mode_t mode,
    char **cause)
{
	if (chmod(path, mode) != 0) {
		*cause = xasprintf("chmod %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
local_remove(struct transport *t unused, const char *path, char **cause)
{
	struct stat	st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	crash_point("remove");
	if ((S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path)) != 0 &&
	    errno != ENOENT) {
		*cause = xasprintf("remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
local_rename(struct transport *t unused, const char *from, const char *to,
    char **cause)
{
	crash_point("rename");
	if (rename(from, to) != 0) {
		*cause = xasprintf("rename %s to %s: %s", from, to,
		    strerror(errno));
		return -1;
	}
	/* Durable once the directory is (file-commit.h). */
	commit_fsync_parent(to);
	return 0;
}

static int
local_readlink(struct transport *t unused, const char *path, struct buf *out,
    char **cause)
{
	char	target[PATH_MAX];
	ssize_t	n;

	if ((n = readlink(path, target, sizeof target - 1)) == -1) {
		*cause = xasprintf("readlink %s: %s", path, strerror(errno));
		return -1;
	}
	buf_add(out, target, (size_t)n);
	return 0;
}

long long
local_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
local_unix_query(struct transport *t unused, const char *path,
    const void *req, size_t len, struct buf *out, int timeout_ms,
    char **cause)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	long long		 deadline;
	char			 chunk[4096];
	ssize_t			 n;
	size_t			 got = 0;
	int			 fd, left, rc = -1;

	if (strlen(path) >= sizeof sun.sun_path) {
		*cause = xasprintf("%s: socket path too long", path);
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	if (write_all(fd, req, len) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	deadline = local_now_ms() + (timeout_ms > 0 ? timeout_ms : 10000);
	for (;;) {
		left = (int)(deadline - local_now_ms());
		if (left <= 0) {
			if (got == 0) {
				*cause = xasprintf("%s: no answer", path);
				goto out;
			}
			break;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, left) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("poll: %s", strerror(errno));
			goto out;
		}
		if (pfd.revents == 0)
			continue;
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		buf_add(out, chunk, (size_t)n);
		got += (size_t)n;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static void
local_free(struct transport *t)
{
	free(t->name);
	free(t);
}

/* sendmail's lock on a qf file: flock(LOCK_EX|LOCK_NB), opened O_RDWR. */
static int
local_remove_locked(struct transport *t unused, const char *path,
    const struct strv *also, int *state, char **cause)
{
	size_t	i;
	int	fd, rc = -1;

	*state = TRL_MISSING;
	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)) ==
	    -1) {
		if (errno == ENOENT)
			return 0;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			*state = TRL_BUSY;
			rc = 0;
		} else
			*cause = xasprintf("lock %s: %s", path,
			    strerror(errno));
		goto out;
	}
	crash_point("remove queue control file");
	if (unlink(path) != 0) {
		if (errno == ENOENT)
			rc = 0;		/* sendmail finished with it first */
		else
			*cause = xasprintf("remove %s: %s", path,
			    strerror(errno));
		goto out;
	}
	*state = TRL_REMOVED;
	for (i = 0; also != NULL && i < also->n; i++) {
		crash_point("remove queue data file");
		if (unlink(also->v[i]) != 0 && errno != ENOENT) {
			*cause = xasprintf("remove %s: %s", also->v[i],
			    strerror(errno));
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* The lock is lock.c's flock on this machine's file. */
static int
local_lock(struct transport *t unused, const char *path, const char *what,
    int wait_ms, int *lk, char **cause)
{
	return lock_file_take(path, what, wait_ms, lk, cause);
}

static void
local_unlock(struct transport *t unused, int lk)
{
	lock_file_release(lk);
}

static const struct transport_ops local_ops = {
	.name = "local",
	.read_file = local_read_file,
	.write_file = local_write_file,
	.stat = local_stat,
	.list_dir = local_list_dir,
	.mkdir = local_mkdir,
	.chmod = local_chmod,
	.chown = local_chown,
	.remove = local_remove,
	.rename = local_rename,
	.readlink = local_readlink,
	.run = local_run,
	.kill = local_kill,
	.stream_open = local_stream_open,
	.stream_read = local_stream_read,
	.stream_fd = local_stream_fd,
	.stream_close = local_stream_close,
	.unix_query = local_unix_query,
	.dir_open = local_dir_open,
	.dir_read = local_dir_read,
	.dir_close = local_dir_close,
	.remove_locked = local_remove_locked,
	.lock = local_lock,
	.unlock = local_unlock,
	.free = local_free,
};

struct transport *
transport_local_create(void)
{
	struct transport	*t;
	char			 host[256];

	t = xcalloc(1, sizeof *t);
	t->ops = &local_ops;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	t->name = xstrdup(host);
	return t;
}
