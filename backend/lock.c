/*
 * lock.c -- the configuration write lock (see lock.h).
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "lock.h"

#define LOCK_WAIT_MS	30000
#define LOCK_POLL_MS	20

/* Who holds it, from the file: "pid N (smadm COMMAND since TIME)". */
static char *
lock_holder(int fd)
{
	char	 text[512], *tab, *tab2, *nl;
	ssize_t	 n;

	n = pread(fd, text, sizeof text - 1, 0);
	if (n <= 0)
		return xstrdup("another smadm");
	text[n] = '\0';
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	if ((tab = strchr(text, '\t')) == NULL)
		return xasprintf("pid %s", text);
	*tab++ = '\0';
	if ((tab2 = strchr(tab, '\t')) == NULL)
		return xasprintf("pid %s (smadm %s)", text, tab);
	*tab2++ = '\0';
	return xasprintf("pid %s (smadm %s since %s)", text, tab, tab2);
}

static int
lock_wait_default(void)
{
	const char	*s = getenv("SMADM_LOCK_WAIT");
	char		*end;
	long		 v;

	if (s == NULL || *s == '\0')
		return LOCK_WAIT_MS;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 86400)
		return LOCK_WAIT_MS;
	return (int)(v * 1000);
}

int
host_lock(struct host *h, const char *what, int wait_ms, int *fdp,
    char **cause)
{
	struct timespec	 ts = { 0, LOCK_POLL_MS * 1000 * 1000 };
	struct buf	 line = BUF_INIT;
	struct tm	 tm;
	time_t		 now;
	char		*state, *path, *who, stamp[32];
	int		 fd = -1, waited = 0, rc = -1;

	*fdp = -1;
	if (strcmp(h->t->ops->name, "local") != 0)
		return 0;
	if (wait_ms < 0)
		wait_ms = lock_wait_default();
	state = backup_state_dir(h->prof);
	path = xasprintf("%s/lock", state);
	if (backup_mkdirs(h->t, state, 0700, cause) != 0)
		goto out;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*cause = xasprintf("%s: flock: %s", path,
			    strerror(errno));
			goto out;
		}
		if (waited >= wait_ms) {
			who = lock_holder(fd);
			*cause = xasprintf("%s: locked by %s; waited %d s, "
			    "try again when it is done", path, who,
			    waited / 1000);
			free(who);
			goto out;
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
	*fdp = fd;
	fd = -1;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	buf_release(&line);
	free(state);
	free(path);
	return rc;
}

void
host_unlock(int fd)
{
	if (fd == -1)
		return;
	flock(fd, LOCK_UN);
	close(fd);
}
