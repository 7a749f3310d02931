/*
 * transport-local.c -- the transport for the machine smadm runs on.
 */

#include <sys/socket.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crash.h"
#include "ns.h"
#include "transport.h"
#include "uring.h"

#define LOCAL_READ_MAX		(256u * 1024 * 1024)
#define LOCAL_OUTPUT_MAX	(64u * 1024 * 1024)
#define LOCAL_TIMEOUT_MS	120000

/*
 * A followed file.  After a rename rotation the old file stays open as
 * old_fd and is still read first for a while: a writer (syslogd before its
 * HUP) may go on appending to it after the new file appeared.
 */
struct tstream {
	char		*path;
	int		 fd;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;
	int		 old_fd;
	off_t		 old_off;
	long long	 old_until;	/* monotonic ms: close old_fd then */
	char		 last[64];	/* the last bytes read, to recognise */
	size_t		 last_len;	/* them in a copy-truncate copy */
};

#define STREAM_CHUNK		(1 << 20)
#define STREAM_MAX_READ		(1 << 24)
#define STREAM_OLD_GRACE_MS	30000

/* What a non-regular file is, for messages. */
static const char *
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

static int
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

static int
fsync_dir(const char *dir)
{
	int	fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
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
	char		 stamp[32];
	struct tm	 tm;
	time_t		 now = time(NULL);
	int		 i;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
	for (i = 0; i < 10000; i++) {
		buf_reset(name);
		if (i == 0)
			buf_printf(name, "%s.%s.smadm~", path, stamp);
		else
			buf_printf(name, "%s.%s-%d.smadm~", path, stamp, i);
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

/*
 * Temporary files of writers that died (".BASE.smadm-XXXXXX" beside the
 * file).  A live writer holds an flock on its temporary file from its
 * creation until after the rename, so a file whose lock can be taken has
 * no writer left and is removed.  Returns how many were removed.
 */
static int
remove_stale_temps(const char *dir, const char *base)
{
	DIR		*d;
	struct dirent	*de;
	struct buf	 prefix = BUF_INIT, full = BUF_INIT;
	int		 fd, n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	buf_printf(&prefix, ".%s.smadm-", base);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix.data, prefix.len) != 0 ||
		    strlen(de->d_name) != prefix.len + 6)
			continue;
		buf_reset(&full);
		buf_printf(&full, "%s/%s", dir, de->d_name);
		fd = open(full.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd == -1)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			crash_point("unlink stale temporary file");
			if (unlink(full.data) == 0)
				n++;
		}
		close(fd);
	}
	closedir(d);
	buf_release(&prefix);
	buf_release(&full);
	return n;
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
	remove_stale_temps(dir, base);
	tmp = xasprintf("%s/.%s.smadm-XXXXXX", dir, base);
	crash_point("create temporary file");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: cannot create a temporary file in %s: %s",
		    path, dir, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* Held until after the rename: see remove_stale_temps(). */
	flock(fd, LOCK_EX | LOCK_NB);
	errno = 0;
	if (write_chunks(fd, data, len) != 0) {
		*cause = xasprintf("%s: write failed, the old file is kept: "
		    "%s", path, strerror(errno ? errno : EIO));
		goto out;
	}
	if (have_old && wo->keep_mode && !wo->set_owner) {
		if (fchown(fd, old.st_uid, old.st_gid) != 0 && geteuid() == 0) {
			*cause = xasprintf("%s: chown: %s", path,
			    strerror(errno));
			goto out;
		}
		if (fchmod(fd, old.st_mode & 07777) != 0) {
			*cause = xasprintf("%s: chmod: %s", path,
			    strerror(errno));
			goto out;
		}
	} else {
		if (wo->set_owner && fchown(fd, wo->uid, wo->gid) != 0) {
			*cause = xasprintf("%s: chown: %s", path,
			    strerror(errno));
			goto out;
		}
		if (fchmod(fd, wo->mode ? wo->mode : 0644) != 0) {
			*cause = xasprintf("%s: chmod: %s", path,
			    strerror(errno));
			goto out;
		}
	}
	crash_point("fsync temporary file");
	if (fsync(fd) != 0) {
		*cause = xasprintf("%s: fsync: %s", path, strerror(errno));
		goto out;
	}
	if (have_old && wo->backup &&
	    make_backup(target, &old, &backup, cause) != 0)
		goto out;
	crash_point("rename temporary file over the file");
	if (rename(tmp, target) != 0) {
		*cause = xasprintf("%s: rename: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	crash_point("fsync directory");
	fsync_dir(dir);
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

static int
set_nonblock(int fd)
{
	int	fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: set up descriptors and namespace, then exec. */
static void __attribute__((noreturn))
run_child(const char *const *argv, const struct run_opts *ro, int in_fd,
    int out_fd, int err_fd, int report_fd)
{
	static const char *const safe_env[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "HOME=/",
		NULL
	};
	char		*cause = NULL;
	const char	*msg;
	sigset_t	 all;
	int		 i;

	setpgid(0, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (i = 1; i < NSIG; i++)
		if (i != SIGKILL && i != SIGSTOP)
			signal(i, SIG_DFL);
	if (dup2(in_fd, 0) == -1 || dup2(out_fd, 1) == -1 ||
	    dup2(err_fd, 2) == -1) {
		msg = "dup2 failed";
		goto fail;
	}
	if (ro->cwd != NULL && chdir(ro->cwd) != 0) {
		cause = xasprintf("chdir %s: %s", ro->cwd, strerror(errno));
		goto fail_cause;
	}
	if (ro->cwd == NULL && chdir("/") != 0) {
		msg = "chdir / failed";
		goto fail;
	}
	if (ro->ns_dir != NULL && ns_enter(ro->ns_dir, &cause) != 0)
		goto fail_cause;
	execve(argv[0], (char *const *)argv,
	    (char *const *)(ro->env != NULL ? ro->env : safe_env));
	cause = xasprintf("%s: %s", argv[0], strerror(errno));
fail_cause:
	msg = cause;
fail:
	if (write(report_fd, msg, strlen(msg)) < 0)
		_exit(127);
	_exit(127);
}

static int
local_run(struct transport *t unused, const char *const *argv,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	int		 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int		 err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	struct pollfd	 pfd[3];
	struct buf	 report = BUF_INIT;
	const char	*inp = ro->stdin_data;
	size_t		 inleft = ro->stdin_data != NULL ? ro->stdin_len : 0;
	size_t		 max = ro->max_output ? ro->max_output : LOCAL_OUTPUT_MAX;
	long long	 deadline;
	char		 chunk[65536];
	ssize_t		 n;
	pid_t		 pid, w;
	int		 status, done = 0, nfds, i, timeout, rc = -1;

	crash_point("run a program");

	run_result_init(rr);
	timeout = ro->timeout_ms == 0 ? LOCAL_TIMEOUT_MS : ro->timeout_ms;
	deadline = timeout > 0 ? now_ms() + timeout : -1;
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		run_child(argv, ro, in[0], out[1], err[1], rep[1]);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(rep[1]);
	in[0] = out[1] = err[1] = rep[1] = -1;
	if (inleft == 0) {
		close(in[1]);
		in[1] = -1;
	} else
		set_nonblock(in[1]);
	set_nonblock(out[0]);
	set_nonblock(err[0]);

	/*
	 * Read until the child has exited and its pipes are drained.  A
	 * daemon's grandchild may keep the pipes open, so the child's exit
	 * ends the wait rather than end-of-file.
	 */
	for (;;) {
		nfds = 0;
		if (out[0] != -1) {
			pfd[nfds].fd = out[0];
			pfd[nfds++].events = POLLIN;
		}
		if (err[0] != -1) {
			pfd[nfds].fd = err[0];
			pfd[nfds++].events = POLLIN;
		}
		if (in[1] != -1) {
			pfd[nfds].fd = in[1];
			pfd[nfds++].events = POLLOUT;
		}
		if (!done) {
			w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				done = 1;
		}
		if (done && nfds == 0)
			break;
		if (poll(pfd, (nfds_t)nfds, done ? 0 : 10) == -1 &&
		    errno != EINTR) {
			*cause = xasprintf("poll: %s", strerror(errno));
			goto out;
		}
		n = 0;
		for (i = 0; i < nfds; i++) {
			if (pfd[i].revents == 0 && !done)
				continue;
			if (pfd[i].fd == in[1]) {
				if (pfd[i].revents & (POLLERR | POLLHUP)) {
					close(in[1]);
					in[1] = -1;
					continue;
				}
				n = write(in[1], inp, inleft);
				if (n > 0) {
					inp += n;
					inleft -= (size_t)n;
				}
				if ((n == -1 && errno != EAGAIN) ||
				    inleft == 0) {
					close(in[1]);
					in[1] = -1;
				}
				continue;
			}
			n = read(pfd[i].fd, chunk, sizeof chunk);
			if (n > 0) {
				struct buf *b = pfd[i].fd == out[0] ?
				    &rr->out : &rr->err;

				if (b->len + (size_t)n <= max)
					buf_add(b, chunk, (size_t)n);
				else
					rr->truncated = 1;
				continue;
			}
			if (n == 0 || (n == -1 && errno != EAGAIN &&
			    errno != EINTR) || (done && n == -1)) {
				if (pfd[i].fd == out[0]) {
					close(out[0]);
					out[0] = -1;
				} else {
					close(err[0]);
					err[0] = -1;
				}
			}
		}
		if (done && in[1] != -1) {
			close(in[1]);
			in[1] = -1;
		}
		if (!done && deadline != -1 && now_ms() > deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			rr->timed_out = 1;
			while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
				;
			done = 1;
		}
	}
	/* The report pipe holds a message only if exec never happened. */
	while ((n = read(rep[0], chunk, sizeof chunk)) > 0)
		buf_add(&report, chunk, (size_t)n);
	if (report.len != 0) {
		*cause = buf_detach(&report);
		goto out;
	}
	if (WIFEXITED(status)) {
		rr->exited = 1;
		rr->status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		rr->signo = WTERMSIG(status);
		rr->status = 128 + rr->signo;
	}
	rc = 0;
out:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
		if (err[i] != -1)
			close(err[i]);
		if (rep[i] != -1)
			close(rep[i]);
	}
	buf_release(&report);
	return rc;
}

static int
local_kill(struct transport *t unused, pid_t pid, int sig, char **cause)
{
	if (sig != 0)
		crash_point("signal a process");
	if (kill(pid, sig) != 0) {
		*cause = xasprintf("kill %ld: %s", (long)pid, strerror(errno));
		return -1;
	}
	return 0;
}

static int
stream_reopen(struct tstream *ts, off_t offset, char **cause)
{
	struct stat	st;

	if (ts->fd != -1)
		close(ts->fd);
	ts->fd = open(ts->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (ts->fd == -1) {
		if (errno == ENOENT) {
			ts->dev = 0;
			ts->ino = 0;
			ts->off = 0;
			return 0;	/* not there yet: wait for it */
		}
		*cause = xasprintf("%s: %s", ts->path, strerror(errno));
		return -1;
	}
	if (fstat(ts->fd, &st) != 0) {
		*cause = xasprintf("%s: %s", ts->path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file (%s)", ts->path,
		    local_kind(st.st_mode));
		close(ts->fd);
		ts->fd = -1;
		return -1;
	}
	ts->dev = st.st_dev;
	ts->ino = st.st_ino;
	ts->off = offset < 0 ? st.st_size :
	    (offset > st.st_size ? st.st_size : offset);
	return 0;
}

static struct tstream *
local_stream_open(struct transport *t unused, const char *path, off_t offset,
    char **cause)
{
	struct tstream	*ts;

	ts = xcalloc(1, sizeof *ts);
	ts->path = xstrdup(path);
	ts->fd = -1;
	ts->old_fd = -1;
	if (stream_reopen(ts, offset, cause) != 0) {
		free(ts->path);
		free(ts);
		return NULL;
	}
	return ts;
}

/*
 * Read what fd holds past *off straight into out (no bounce buffer).  The
 * last bytes of the live file are remembered for copy-truncate.
 */
static int
stream_drain_fd(struct tstream *ts, int fd, off_t *off, struct buf *out,
    char **cause)
{
	ssize_t	n;
	size_t	keep;
	int	total = 0;

	if (fd == -1)
		return 0;
	for (;;) {
		buf_grow(out, STREAM_CHUNK);
		n = pread(fd, out->data + out->len, STREAM_CHUNK, *off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", ts->path, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		*off += n;
		total += (int)n;
		if (fd == ts->fd) {
			keep = (size_t)n < sizeof ts->last ? (size_t)n :
			    sizeof ts->last;
			if (keep < sizeof ts->last && ts->last_len + keep >
			    sizeof ts->last) {
				memmove(ts->last, ts->last + ts->last_len +
				    keep - sizeof ts->last,
				    sizeof ts->last - keep);
				ts->last_len = sizeof ts->last - keep;
			} else if (keep == sizeof ts->last)
				ts->last_len = 0;
			memcpy(ts->last + ts->last_len,
			    out->data + out->len - keep, keep);
			ts->last_len += keep;
		}
		if (total >= STREAM_MAX_READ)
			break;
	}
	return total;
}

static int
stream_drain(struct tstream *ts, struct buf *out, char **cause)
{
	return stream_drain_fd(ts, ts->fd, &ts->off, out, cause);
}

/* The renamed-away file: read its late lines, close it when quiet. */
static int
stream_drain_old(struct tstream *ts, struct buf *out, char **cause)
{
	int	n;

	if (ts->old_fd == -1)
		return 0;
	n = stream_drain_fd(ts, ts->old_fd, &ts->old_off, out, cause);
	if (n > 0)
		ts->old_until = now_ms() + STREAM_OLD_GRACE_MS;
	else if (n == 0 && now_ms() > ts->old_until) {
		close(ts->old_fd);
		ts->old_fd = -1;
	}
	return n;
}

/*
 * The file was truncated under us (copy-truncate).  What was appended
 * between our last read and the copy is in the copy, PATH.1: when the copy
 * holds our last bytes at our offset, read the rest of it first.
 */
static int
stream_copy_rest(struct tstream *ts, struct buf *out, char **cause)
{
	struct stat	 st;
	char		*copy, seen[sizeof ts->last];
	off_t		 off = ts->off;
	int		 fd, n = 0;

	copy = xasprintf("%s.1", ts->path);
	fd = open(copy, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	free(copy);
	if (fd == -1)
		return 0;
	if (ts->last_len == 0 || fstat(fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) || st.st_size <= off ||
	    pread(fd, seen, ts->last_len, off - (off_t)ts->last_len) !=
	    (ssize_t)ts->last_len || memcmp(seen, ts->last, ts->last_len) != 0) {
		close(fd);
		return 0;
	}
	n = stream_drain_fd(ts, fd, &off, out, cause);
	close(fd);
	return n;
}

static int
local_stream_read(struct tstream *ts, struct buf *out, char **cause)
{
	struct stat	st, cur;
	int		n, more;

	if ((n = stream_drain_old(ts, out, cause)) != 0)
		return n;
	if ((n = stream_drain(ts, out, cause)) != 0)
		return n;
	if (stat(ts->path, &st) != 0) {
		if (errno == ENOENT)
			return 0;	/* renamed away, new file not yet made */
		*cause = xasprintf("%s: %s", ts->path, strerror(errno));
		return -1;
	}
	if (ts->fd == -1 || st.st_dev != ts->dev || st.st_ino != ts->ino) {
		/*
		 * Rotated by rename: the old file was drained above and is
		 * kept open a while for what its writer still appends.
		 */
		if (ts->old_fd != -1)
			close(ts->old_fd);
		ts->old_fd = ts->fd;
		ts->old_off = ts->off;
		ts->old_until = now_ms() + STREAM_OLD_GRACE_MS;
		ts->fd = -1;
		ts->last_len = 0;
		if (stream_reopen(ts, 0, cause) != 0)
			return -1;
		return stream_drain(ts, out, cause);
	}
	if (fstat(ts->fd, &cur) == 0 && cur.st_size < ts->off) {
		/* Copy-truncate: the copy's rest, then the new beginning. */
		if ((n = stream_copy_rest(ts, out, cause)) == -1)
			return -1;
		ts->off = 0;
		ts->last_len = 0;
		if ((more = stream_drain(ts, out, cause)) == -1)
			return -1;
		return n + more;
	}
	return 0;
}

static int
local_stream_fd(struct tstream *ts unused)
{
	return -1;
}

static void
local_stream_close(struct tstream *ts)
{
	if (ts->fd != -1)
		close(ts->fd);
	if (ts->old_fd != -1)
		close(ts->old_fd);
	free(ts->path);
	free(ts);
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
	deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 10000);
	for (;;) {
		left = (int)(deadline - now_ms());
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

/*
 * Many small files of one directory (sendmail's queue).  Nearly all the
 * time goes to the kernel: per file an openat, one read, a close and an
 * fstatat of the sibling, all relative to open directory descriptors (no
 * path walk).  A batch of names is taken from readdir first.  With more
 * than one CPU a second thread helps: both threads claim the batch's
 * files one at a time from a shared counter and read them, and the
 * caller's thread hands every file to the callback (parsing) in
 * directory order as soon as it is read, reading a file itself only when
 * the next one in order is not ready yet.  The kernel work is so split
 * between the two CPUs, and the parsing overlaps the helper's reads.
 * The helper exists only inside local_dir_read, which joins it before
 * returning; the callback always runs on the caller's thread.
 */
#define LOCAL_DIR_ROOM		65536	/* free room before each read */
#define LOCAL_DIR_CHUNK		(1 << 20)
#define LOCAL_DIR_PARALLEL	64	/* smaller batches: one thread */
#define LOCAL_URING_GROUP	32	/* files per io_uring submission */
#define LOCAL_URING_ROOM	16384	/* bytes read per file by the ring */

/* One wanted name of a batch, and what reading it gave. */
struct local_slot {
	size_t		 name;		/* offset in the batch's names */
	ino_t		 ino;
	unsigned char	 type;		/* d_type */
	atomic_int	 ready;		/* set (release) when read */
	int		 state;
	char		*data;		/* in its reader's chunks */
	size_t		 len;
	int		 truncated;
	off_t		 sibling_size;
	int		 locked;
	void		*prepared;
	char		*error;		/* LSLOT_ERROR */
};
#define LSLOT_OK	0
#define LSLOT_SKIP	1	/* vanished, or not a regular file */
#define LSLOT_ERROR	2

/*
 * Where one thread puts the files it reads: chunks that never move, so
 * the other thread can parse a file while this one reads the next.  All
 * are freed when the batch has been delivered.
 */
struct local_chunk {
	struct local_chunk	*next;
	size_t			 used;
	size_t			 size;
	char			 data[];
};

/* What the ring said about one file of a group. */
struct local_ures {
	int			 skip;		/* not a regular file */
	int			 open_res;	/* 0, or -errno */
	int			 read_res;	/* bytes, or -errno */
	int			 stat_res;
	struct statx		 stx;		/* the sibling's */
	char			 sib[NAME_MAX + 1];
};

struct local_reader {
	struct local_dir	*ld;
	struct local_chunk	*chunks;	/* newest first */
	struct local_chunk	*spare;		/* emptied, for the next batch */
	/* io_uring: a group of files read with one system call */
	struct uring		*ring;
	int			 ring_tried;
	char			*scratch;	/* LOCAL_URING_GROUP rooms */
	struct local_ures	*ures;
};

struct local_dir {
	DIR			*dir;
	int			 sibfd;		/* sibling directory, or -1 */
	ino_t			*locked;	/* inodes with locks, sorted */
	size_t			 nlocked;
	int			 locks_known;	/* from /proc/locks */
	char			*path;
	struct tdir_opts	 opts;
	int			 parallel;	/* a second thread may help */
	struct buf		 names;		/* the batch's names, NUL-ended */
	struct local_slot	*slots;
	size_t			 nslots;
	size_t			 slotsalloc;
	atomic_size_t		 claim;		/* next slot nobody took */
	struct local_reader	 readers[2];
};

static int
local_ino_cmp(const void *a, const void *b)
{
	ino_t	x = *(const ino_t *)a, y = *(const ino_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Which files of the directory's file system are locked, from one read of
 * /proc/locks ("1: FLOCK ADVISORY WRITE 31102 fe:00:10952705 0 EOF"):
 * one read instead of a flock() per file.  Blocked waiters ("->") hold
 * nothing.  Without /proc/locks each file is tested with flock().
 */
static void
local_dir_locks(struct local_dir *ld)
{
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	char			*line, *next, *cause = NULL, *field;
	unsigned int		 maj, min;
	unsigned long long	 ino;
	size_t			 alloc = 0;
	int			 i;

	if (fstat(dirfd(ld->dir), &st) != 0 ||
	    local_read_file(NULL, "/proc/locks", &b, 0, &cause) != 0) {
		free(cause);
		buf_release(&b);
		return;
	}
	for (line = b.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strstr(line, "->") != NULL)
			continue;
		/* The sixth field is MAJOR:MINOR:INODE. */
		field = line;
		for (i = 0; i < 5 && field != NULL; i++) {
			field = strpbrk(field, " \t");
			if (field != NULL)
				field += strspn(field, " \t");
		}
		if (field == NULL || sscanf(field, "%x:%x:%llu", &maj, &min,
		    &ino) != 3 || maj != major(st.st_dev) ||
		    min != minor(st.st_dev))
			continue;
		if (ld->nlocked == alloc) {
			alloc = alloc == 0 ? 16 : alloc * 2;
			ld->locked = xreallocarray(ld->locked, alloc,
			    sizeof *ld->locked);
		}
		ld->locked[ld->nlocked++] = (ino_t)ino;
	}
	xqsort(ld->locked, ld->nlocked, sizeof *ld->locked, local_ino_cmp);
	ld->locks_known = 1;
	buf_release(&b);
}

/* Whether /proc/locks named the inode (local_dir_locks). */
static int
local_dir_locked(const struct local_dir *ld, ino_t ino)
{
	return ld->nlocked > 0 && bsearch(&ino, ld->locked, ld->nlocked,
	    sizeof *ld->locked, local_ino_cmp) != NULL;
}

static void *
local_dir_open(struct transport *t unused, const char *path,
    const struct tdir_opts *o, char **cause)
{
	struct local_dir	*ld;

	ld = xcalloc(1, sizeof *ld);
	ld->sibfd = -1;
	if ((ld->dir = opendir(path)) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(ld);
		return NULL;
	}
	if (o->sibling_prefix != NULL && o->sibling_dir != NULL)
		ld->sibfd = open(o->sibling_dir, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC);
	ld->path = xstrdup(path);
	ld->opts = *o;
	if (ld->opts.max_size == 0)
		ld->opts.max_size = 1 << 20;
	if (ld->opts.lock_test)
		local_dir_locks(ld);
	ld->parallel = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	buf_init(&ld->names);
	ld->readers[0].ld = ld->readers[1].ld = ld;
	return ld;
}

static int
local_dir_wanted(const struct tdir_opts *o, const char *name)
{
	size_t	i;

	if (o->prefixes == NULL)
		return 1;
	for (i = 0; o->prefixes[i] != NULL; i++)
		if (strncmp(name, o->prefixes[i], strlen(o->prefixes[i])) == 0)
			return 1;
	return 0;
}

/* The next batch of wanted names: up to max entries of the directory. */
static int
local_dir_batch(struct local_dir *ld, size_t max, char **cause)
{
	struct dirent		*de;
	struct local_slot	*s;
	size_t			 done = 0;

	buf_reset(&ld->names);
	ld->nslots = 0;
	while (done < max) {
		errno = 0;
		if ((de = readdir(ld->dir)) == NULL) {
			if (errno != 0) {
				*cause = xasprintf("%s: %s", ld->path,
				    strerror(errno));
				return -1;
			}
			break;
		}
		done++;
		if (de->d_name[0] == '.' || !local_dir_wanted(&ld->opts,
		    de->d_name))
			continue;
		if (ld->nslots == ld->slotsalloc) {
			ld->slotsalloc = ld->slotsalloc == 0 ? 256 :
			    ld->slotsalloc * 2;
			ld->slots = xreallocarray(ld->slots, ld->slotsalloc,
			    sizeof *ld->slots);
		}
		s = &ld->slots[ld->nslots++];
		memset(s, 0, sizeof *s);
		atomic_init(&s->ready, 0);
		s->name = ld->names.len;
		buf_add(&ld->names, de->d_name, strlen(de->d_name) + 1);
		s->ino = de->d_ino;
		s->type = de->d_type;
	}
	return (int)done;
}

/* A chunk with at least need free bytes, made the reader's current one. */
static struct local_chunk *
local_reader_room(struct local_reader *r, size_t need)
{
	struct local_chunk	*c = r->chunks;
	size_t			 size;

	if (c != NULL && c->size - c->used >= need)
		return c;
	if (need <= LOCAL_DIR_CHUNK && r->spare != NULL) {
		/* Memory already touched: no page faults this time. */
		c = r->spare;
		r->spare = c->next;
		c->used = 0;
		c->next = r->chunks;
		r->chunks = c;
		return c;
	}
	size = need > LOCAL_DIR_CHUNK ? need : LOCAL_DIR_CHUNK;
	c = xmalloc(sizeof *c + size);
	c->used = 0;
	c->size = size;
	c->next = r->chunks;
	r->chunks = c;
	return c;
}

/* The batch is delivered: keep its standard chunks for the next one. */
static void
local_reader_reset(struct local_reader *r)
{
	struct local_chunk	*c, *next;

	for (c = r->chunks; c != NULL; c = next) {
		next = c->next;
		if (c->size == LOCAL_DIR_CHUNK) {
			c->next = r->spare;
			r->spare = c;
		} else
			free(c);
	}
	r->chunks = NULL;
}

static void
local_reader_free(struct local_reader *r)
{
	struct local_chunk	*c, *next;

	local_reader_reset(r);
	for (c = r->spare; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	r->spare = NULL;
	uring_free(r->ring);
	r->ring = NULL;
	free(r->scratch);
	r->scratch = NULL;
	free(r->ures);
	r->ures = NULL;
}

/*
 * Read the rest of a file that did not fit the room it was given: into a
 * chunk of its own, growing it, up to limit bytes (one more than may be
 * kept, to tell a cut file from one of exactly the maximum size).
 * Returns the length read, or -1 with errno set.
 */
static ssize_t
local_slot_grow(struct local_reader *r, int fd, char **data, size_t got,
    size_t limit)
{
	struct local_chunk	*c;
	size_t			 size = got * 2;
	char			*p;
	ssize_t			 n;

	p = xmalloc(size);
	memcpy(p, *data, got);
	while (got < limit) {
		if (got == size) {
			size *= 2;
			p = xreallocarray(p, size, 1);
		}
		n = read(fd, p + got, (size - got < limit - got ?
		    size - got : limit - got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(p);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	c = local_reader_room(r, got + 1);
	memcpy(c->data + c->used, p, got);
	free(p);
	*data = c->data + c->used;
	return (ssize_t)got;
}

static void
local_slot_file(const struct local_dir *ld, const struct local_slot *s,
    struct tdir_file *f)
{
	memset(f, 0, sizeof *f);
	f->name = ld->names.data + s->name;
	f->data = s->data;
	f->len = s->len;
	f->truncated = s->truncated;
	f->sibling_size = s->sibling_size;
	f->locked = s->locked;
	f->prepared = s->prepared;
}

static void
local_slot_prepare(struct local_dir *ld, struct local_slot *s)
{
	struct tdir_file	f;

	local_slot_file(ld, s, &f);
	s->prepared = ld->opts.prepare(ld->opts.prepare_arg, &f);
}

/*
 * Read one file of the batch into the reader's current chunk.  No fstat:
 * a short read of a regular file is its end, so a small file costs
 * openat, one read, close (and an fstatat of its sibling).  Runs on either
 * thread: it touches only its slot, its reader and read-only state, and
 * publishes the slot last.
 */
static void
local_slot_read(struct local_reader *r, struct local_slot *s)
{
	struct local_dir	*ld = r->ld;
	struct local_chunk	*c;
	const char		*name = ld->names.data + s->name;
	struct stat		 st;
	char			 sib[NAME_MAX + 1], *data;
	size_t			 got = 0, want, limit;
	ssize_t			 n;
	int			 fd;

	s->state = LSLOT_SKIP;
	s->sibling_size = -1;
	if (s->type != DT_REG && s->type != DT_UNKNOWN)
		goto done;
	fd = openat(dirfd(ld->dir), name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		if (errno != ENOENT && errno != ELOOP) {
			s->state = LSLOT_ERROR;
			s->error = xasprintf("%s/%s: %s", ld->path, name,
			    strerror(errno));
		}
		goto done;
	}
	c = local_reader_room(r, LOCAL_DIR_ROOM);
	data = c->data + c->used;
	limit = ld->opts.max_size + 1;
	want = LOCAL_DIR_ROOM - 1 < limit ? LOCAL_DIR_ROOM - 1 : limit;
	for (;;) {
		n = read(fd, data + got, want - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n > 0) {
			got += (size_t)n;
			if (got < want)
				break;	/* a short read of a regular file: its end */
			if (want < limit && (n = local_slot_grow(r, fd, &data,
			    got, limit)) != -1)
				got = (size_t)n;
		}
		if (n == -1) {
			/* EISDIR, EAGAIN: not a regular file after all. */
			if (errno != EISDIR && errno != EAGAIN) {
				s->state = LSLOT_ERROR;
				s->error = xasprintf("%s/%s: %s", ld->path,
				    name, strerror(errno));
			}
			close(fd);
			goto done;
		}
		break;
	}
	if (got == limit) {
		s->truncated = 1;
		got = ld->opts.max_size;
	}
	c = r->chunks;		/* the chunk data is in (grow may add one) */
	data[got] = '\0';
	c->used = (size_t)(data - c->data) + got + 1;
	s->data = data;
	s->len = got;
	s->state = LSLOT_OK;
	if (ld->opts.lock_test) {
		if (ld->locks_known)
			s->locked = local_dir_locked(ld, s->ino);
		else if (flock(fd, LOCK_SH | LOCK_NB) != 0 &&
		    errno == EWOULDBLOCK)
			s->locked = 1;
	}
	close(fd);
	if (ld->opts.sibling_prefix != NULL && strlen(name) > 2 &&
	    (size_t)snprintf(sib, sizeof sib, "%s%s", ld->opts.sibling_prefix,
	    name + 2) < sizeof sib &&
	    fstatat(ld->sibfd != -1 ? ld->sibfd : dirfd(ld->dir), sib, &st,
	    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
		s->sibling_size = st.st_size;
	if (ld->opts.prepare != NULL)
		local_slot_prepare(ld, s);
done:
	atomic_store_explicit(&s->ready, 1, memory_order_release);
}

/*
 * Read n files of the batch from first on with the reader's ring: for each
 * an open into a direct descriptor slot linked to a read of up to
 * LOCAL_URING_ROOM bytes, and a statx of its sibling, all in one system
 * call (the kernel does the statx calls on its own worker threads).  A
 * failed open cancels its read.  Every entry gives a completion (no
 * IOSQE_CQE_SKIP_SUCCESS: whether a failed link head still reports is
 * not something to depend on), so the count of them is exact.  The next group's opens replace the
 * slots' files, so there is no close; the ring closes the last ones.
 * Files that fill the room are read again the plain way, and so is the
 * whole group if the ring fails.  Publishes each slot as local_slot_read
 * does.
 */
static void
local_group_read(struct local_reader *r, size_t first, size_t n)
{
	struct local_dir	*ld = r->ld;
	struct local_slot	*s;
	struct local_ures	*u;
	struct local_chunk	*c;
	struct io_uring_sqe	*sqe;
	struct io_uring_cqe	 cqe;
	const char		*name;
	size_t			 i, want = 0, got = 0, room, limit, len;
	int			 dfd = dirfd(ld->dir), err;
	char			*data;

	limit = ld->opts.max_size + 1;
	room = LOCAL_URING_ROOM < limit ? LOCAL_URING_ROOM : limit;
	for (i = 0; i < n; i++) {
		s = &ld->slots[first + i];
		u = &r->ures[i];
		memset(u, 0, sizeof *u);
		u->stat_res = -ENOENT;
		if (s->type != DT_REG && s->type != DT_UNKNOWN) {
			u->skip = 1;
			continue;
		}
		name = ld->names.data + s->name;
		sqe = uring_sqe(r->ring);
		sqe->opcode = IORING_OP_OPENAT;
		sqe->fd = dfd;
		sqe->addr = (uintptr_t)name;
		sqe->open_flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK;
		sqe->file_index = (unsigned int)i + 1;
		sqe->flags = IOSQE_IO_LINK;
		sqe->user_data = i * 4;
		want++;
		sqe = uring_sqe(r->ring);
		sqe->opcode = IORING_OP_READ;
		sqe->fd = (int)i;
		sqe->flags = IOSQE_FIXED_FILE;
		sqe->addr = (uintptr_t)(r->scratch + i * LOCAL_URING_ROOM);
		sqe->len = (unsigned int)room;
		sqe->off = 0;
		sqe->user_data = i * 4 + 1;
		want++;
		if (ld->opts.sibling_prefix == NULL || strlen(name) <= 2 ||
		    (size_t)snprintf(u->sib, sizeof u->sib, "%s%s",
		    ld->opts.sibling_prefix, name + 2) >= sizeof u->sib)
			continue;
		sqe = uring_sqe(r->ring);
		sqe->opcode = IORING_OP_STATX;
		sqe->fd = ld->sibfd != -1 ? ld->sibfd : dfd;
		sqe->addr = (uintptr_t)u->sib;
		sqe->statx_flags = AT_SYMLINK_NOFOLLOW;
		sqe->len = STATX_TYPE | STATX_SIZE;
		sqe->off = (uintptr_t)&u->stx;
		sqe->user_data = i * 4 + 2;
		want++;
	}
	if (want > 0 && uring_submit(r->ring, (unsigned int)want) != 0) {
		/* Nothing was taken (the kernel said so): the plain way. */
		uring_free(r->ring);
		r->ring = NULL;
		for (i = 0; i < n; i++)
			local_slot_read(r, &ld->slots[first + i]);
		return;
	}
	while (got < want) {
		while (uring_cqe(r->ring, &cqe)) {
			u = &r->ures[cqe.user_data / 4];
			switch (cqe.user_data % 4) {
			case 0:
				u->open_res = cqe.res;
				break;
			case 1:
				u->read_res = cqe.res;
				break;
			default:
				u->stat_res = cqe.res;
				break;
			}
			got++;
		}
		if (got < want && uring_submit(r->ring, 1) != 0)
			util_fatal("io_uring_enter: %s", strerror(errno));
	}

	for (i = 0; i < n; i++) {
		s = &ld->slots[first + i];
		u = &r->ures[i];
		s->state = LSLOT_SKIP;
		s->sibling_size = -1;
		if (u->skip)
			goto publish;
		name = ld->names.data + s->name;
		err = u->open_res < 0 ? -u->open_res :
		    u->read_res < 0 ? -u->read_res : 0;
		if (err != 0) {
			/* As the plain way: vanished, a link, not a file. */
			if (err != ENOENT && err != ELOOP && err != EISDIR &&
			    err != EAGAIN) {
				s->state = LSLOT_ERROR;
				s->error = xasprintf("%s/%s: %s", ld->path,
				    name, strerror(err));
			}
			goto publish;
		}
		len = (size_t)u->read_res;
		if (len == room && room < limit) {
			local_slot_read(r, s);	/* larger: the plain way */
			continue;
		}
		c = local_reader_room(r, len + 1);
		data = c->data + c->used;
		memcpy(data, r->scratch + i * LOCAL_URING_ROOM, len);
		if (len == limit) {
			s->truncated = 1;
			len = ld->opts.max_size;
		}
		data[len] = '\0';
		c->used += len + 1;
		s->data = data;
		s->len = len;
		s->state = LSLOT_OK;
		if (ld->opts.lock_test)	/* the ring is used only when known */
			s->locked = local_dir_locked(ld, s->ino);
		if (u->stat_res == 0 && S_ISREG(u->stx.stx_mode))
			s->sibling_size = (off_t)u->stx.stx_size;
		if (ld->opts.prepare != NULL)
			local_slot_prepare(ld, s);
publish:
		atomic_store_explicit(&s->ready, 1, memory_order_release);
	}
}

/*
 * Claim the next unread files of the batch (one, or a group for the ring)
 * and read them; 0: none left.
 */
static int
local_reader_step(struct local_reader *r)
{
	struct local_dir	*ld = r->ld;
	size_t			 i, step;

	step = r->ring != NULL ? LOCAL_URING_GROUP : 1;
	i = atomic_fetch_add_explicit(&ld->claim, step, memory_order_relaxed);
	if (i >= ld->nslots)
		return 0;
	if (r->ring != NULL)
		local_group_read(r, i, ld->nslots - i < step ?
		    ld->nslots - i : step);
	else
		local_slot_read(r, &ld->slots[i]);
	return 1;
}

/*
 * Give the reader a ring, once per directory, when the batch is large
 * enough to repay setting one up, and when no file descriptor is needed
 * for anything else (lock states come from /proc/locks).
 */
static void
local_reader_ring(struct local_reader *r)
{
	struct local_dir	*ld = r->ld;

	if (r->ring_tried || ld->nslots < LOCAL_DIR_PARALLEL ||
	    (ld->opts.lock_test && !ld->locks_known))
		return;
	r->ring_tried = 1;
	/* Three entries per file: open, read, statx. */
	if ((r->ring = uring_create(LOCAL_URING_GROUP * 4,
	    LOCAL_URING_GROUP)) == NULL)
		return;
	r->scratch = xreallocarray(NULL, LOCAL_URING_GROUP, LOCAL_URING_ROOM);
	r->ures = xcalloc(LOCAL_URING_GROUP, sizeof *r->ures);
}

static void *
local_reader_thread(void *arg)
{
	struct local_reader	*r = arg;

	while (local_reader_step(r))
		;
	if (r->ld->opts.prepare_done != NULL)
		r->ld->opts.prepare_done(r->ld->opts.prepare_arg);
	return NULL;
}

/* Hand one read slot to the callback; -1 stops. */
static int
local_slot_deliver(struct local_dir *ld, struct local_slot *s, tdir_cb cb,
    void *cbarg, char **cause)
{
	struct tdir_file	 f;

	if (s->state == LSLOT_SKIP)
		return 0;
	if (s->state == LSLOT_ERROR) {
		*cause = s->error;
		s->error = NULL;
		return -1;
	}
	local_slot_file(ld, s, &f);
	s->prepared = NULL;	/* the callback owns it now */
	return cb(cbarg, &f, cause);
}

static int
local_dir_read(void *arg, size_t max, tdir_cb cb, void *cbarg, char **cause)
{
	struct local_dir	*ld = arg;
	struct local_slot	*s;
	pthread_t		 th;
	size_t			 i;
	int			 done, rc = 0, threaded = 0;

	if ((done = local_dir_batch(ld, max, cause)) <= 0)
		return done;
	atomic_store(&ld->claim, 0);
	local_reader_ring(&ld->readers[0]);
	if (ld->parallel)
		local_reader_ring(&ld->readers[1]);
	if (ld->parallel && ld->nslots >= LOCAL_DIR_PARALLEL)
		threaded = pthread_create(&th, NULL, local_reader_thread,
		    &ld->readers[1]) == 0;
	for (i = 0; i < ld->nslots; i++) {
		s = &ld->slots[i];
		while (!atomic_load_explicit(&s->ready, memory_order_acquire)) {
			/* Help while the next file is not there yet. */
			if (!local_reader_step(&ld->readers[0]))
				sched_yield();
		}
		if ((rc = local_slot_deliver(ld, s, cb, cbarg, cause)) != 0) {
			atomic_store(&ld->claim, ld->nslots);	/* stop */
			break;
		}
	}
	if (threaded)
		pthread_join(th, NULL);
	for (i = 0; i < ld->nslots; i++) {
		free(ld->slots[i].error);
		if (ld->slots[i].prepared != NULL &&
		    ld->opts.prepared_free != NULL)
			ld->opts.prepared_free(ld->opts.prepare_arg,
			    ld->slots[i].prepared);
	}
	local_reader_reset(&ld->readers[0]);
	local_reader_reset(&ld->readers[1]);
	return rc == 0 ? done : -1;
}

static void
local_dir_close(void *arg)
{
	struct local_dir	*ld = arg;

	closedir(ld->dir);
	if (ld->sibfd != -1)
		close(ld->sibfd);
	free(ld->path);
	free(ld->locked);
	buf_release(&ld->names);
	free(ld->slots);
	local_reader_free(&ld->readers[0]);
	local_reader_free(&ld->readers[1]);
	free(ld);
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

static const struct transport_ops local_ops = {
	.name = "local",
	.read_file = local_read_file,
	.write_file = local_write_file,
	.stat = local_stat,
	.list_dir = local_list_dir,
	.mkdir = local_mkdir,
	.chmod = local_chmod,
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
