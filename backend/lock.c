/*
 * lock.c -- the configuration write lock (see lock.h).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "lock.h"
#include "trust.h"

#define LOCK_WAIT_MS	30000
#define LOCK_POLL_MS	20

/* Who holds it, from the file: "pid N (smadm COMMAND since TIME)". */
static char *
lock_holder(const char *line)
{
	char	*text, *tab, *tab2, *nl, *r;

	if (*line == '\0' || *line == '\n')
		return xstrdup("another smadm");
	text = xstrdup(line);
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	if ((tab = strchr(text, '\t')) == NULL)
		r = xasprintf("pid %s", text);
	else {
		*tab++ = '\0';
		if ((tab2 = strchr(tab, '\t')) == NULL)
			r = xasprintf("pid %s (smadm %s)", text, tab);
		else {
			*tab2++ = '\0';
			r = xasprintf("pid %s (smadm %s since %s)", text, tab,
			    tab2);
		}
	}
	free(text);
	return r;
}

char *
lock_busy_message(const char *path, const char *line, int waited_ms)
{
	char	*who, *r;

	/* smadm writes its line at once and empties it on release. */
	if (*line == '\0' || *line == '\n')
		return xasprintf("%s: locked by a process that did not say who "
		    "it is (fuser -v %s shows who holds it); waited %d s",
		    path, path, waited_ms / 1000);
	who = lock_holder(line);
	r = xasprintf("%s: locked by %s; waited %d s, try again when it is "
	    "done", path, who, waited_ms / 1000);
	free(who);
	return r;
}

/* A process's name from PATH (/proc/PID/comm) into buf; -1 if unknown. */
static int
lock_comm(const char *path, char *buf, size_t size)
{
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * Is the holder line's pid gone?  The line is the last smadm's; the flock
 * may be held by something else that never wrote it (flock(1), or a child
 * that inherited the descriptor).  Only on the machine of the file.
 */
static int
lock_stale_holder(const char *line)
{
	char	*end, path[64], comm[32], self[32];
	long	 pid;

	errno = 0;
	pid = strtol(line, &end, 10);
	if (end == line || *end != '\t' || errno != 0 || pid <= 0 ||
	    pid > INT_MAX)
		return 0;
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return 1;
	/*
	 * Alive, but not running this program (smadm: the holder line is
	 * only ever written by it): the pid was used again since.
	 */
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if (lock_comm(path, comm, sizeof comm) != 0 ||
	    lock_comm("/proc/self/comm", self, sizeof self) != 0)
		return 0;
	return strcmp(comm, self) != 0;
}

static char *
lock_busy_unknown(const char *path, const char *line, int waited_ms)
{
	char	*who, *r;

	who = lock_holder(line);
	r = xasprintf("%s: locked by a process that did not say who it is "
	    "(the file still names %s, which has ended or is no smadm: "
	    "fuser -v %s shows who holds it); waited %d s", path, who, path,
	    waited_ms / 1000);
	free(who);
	return r;
}

int
lock_wait_default(int *wait_ms, char **cause)
{
	const char	*s = getenv("SMADM_LOCK_WAIT");
	char		*end;
	long		 v;

	*wait_ms = LOCK_WAIT_MS;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > 86400 ||
	    !isdigit((unsigned char)*s)) {
		*cause = xasprintf("SMADM_LOCK_WAIT=\"%s\": expected the "
		    "seconds to wait for the lock, 0 to 86400", s);
		return -1;
	}
	*wait_ms = (int)(v * 1000);
	return 0;
}

int
lock_file_take(const char *path, const char *what, int wait_ms, int *fdp,
    char **cause)
{
	struct timespec	 ts = { 0, LOCK_POLL_MS * 1000 * 1000 };
	struct stat	 st;
	struct buf	 line = BUF_INIT;
	struct tm	 tm;
	time_t		 now;
	char		 stamp[32], text[512];
	ssize_t		 n;
	int		 fd, waited = 0;

	*fdp = -1;
	/* A name smadm chose: a link or a FIFO planted there is refused. */
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK | O_NOCTTY, 0600)) == -1) {
		if (errno == ELOOP)
			*cause = transport_link_refusal(path);
		else
			*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file (smadm's lock)",
		    path);
		close(fd);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*cause = xasprintf("%s: flock: %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		if (waited >= wait_ms) {
			n = pread(fd, text, sizeof text - 1, 0);
			text[n > 0 ? n : 0] = '\0';
			*cause = lock_stale_holder(text) ?
			    lock_busy_unknown(path, text, waited) :
			    lock_busy_message(path, text, waited);
			close(fd);
			return -1;
		}
		nanosleep(&ts, NULL);
		waited += LOCK_POLL_MS;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(&line, "%ld\t%s\t%s\n", (long)getpid(), what, stamp);
	if (ftruncate(fd, 0) == 0 && pwrite(fd, line.data, line.len, 0) < 0) {
		/* Only a courtesy for the next waiter. */
	}
	buf_release(&line);
	*fdp = fd;
	return 0;
}

void
lock_file_release(int fd)
{
	if (fd == -1)
		return;
	/* The holder line names the holder only while it holds the lock. */
	if (ftruncate(fd, 0) != 0) {
		/* The next waiter may name us wrongly; nothing else. */
	}
	flock(fd, LOCK_UN);
	close(fd);
}

int
host_lock(struct host *h, const char *what, int wait_ms, int *lk,
    char **cause)
{
	char	*state, *path;
	int	 rc = -1;

	*lk = -1;
	if (h->t->ops->lock == NULL)
		return 0;
	if (wait_ms < 0 && lock_wait_default(&wait_ms, cause) != 0)
		return -1;
	state = backup_state_dir(h->prof);
	path = xasprintf("%s/lock", state);
	if (trust_state_mkdirs(h, state, cause) != 0)
		goto out;
	rc = h->t->ops->lock(h->t, path, what, wait_ms, lk, cause);
out:
	free(state);
	free(path);
	return rc;
}

void
host_unlock(struct host *h, int lk)
{
	if (lk == -1)
		return;
	h->t->ops->unlock(h->t, lk);
}
