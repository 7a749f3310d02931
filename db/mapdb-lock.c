/*
 * mapdb-lock.c -- the flock()s sendmail's tools take on maps and on the
 * aliases text (see mapdb.h).  makemap holds LOCK_EX on the .db while it
 * writes, sendmail -bi LOCK_EX on the aliases file and then the .db, and
 * sendmail's lookups LOCK_SH on the .db.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mapdb.h"

int
mapdb_lock(const char *path, int exclusive, int timeout_ms, char **cause)
{
	struct timespec	 ts = { 0, 20 * 1000 * 1000 };
	struct stat	 st;
	int		 fd, op, waited = 0;

	/* O_NONBLOCK: a FIFO in the map's place must not hang the open. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	op = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
	while (flock(fd, op) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*cause = xasprintf("%s: flock: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (waited >= timeout_ms) {
			*cause = xasprintf("%s: locked by another process "
			    "(makemap or sendmail -bi running?)", path);
			goto fail;
		}
		nanosleep(&ts, NULL);
		waited += 20;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

void
mapdb_unlock(int fd)
{
	if (fd == -1)
		return;
	flock(fd, LOCK_UN);
	close(fd);
}
