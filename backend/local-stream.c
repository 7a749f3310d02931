/*
 * local-stream.c -- following a local file as it grows (log tails), across
 * rename rotation and copy-truncate.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transport.h"
#include "transport-local-int.h"

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

struct tstream *
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
		ts->old_until = local_now_ms() + STREAM_OLD_GRACE_MS;
	else if (n == 0 && local_now_ms() > ts->old_until) {
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

int
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
		ts->old_until = local_now_ms() + STREAM_OLD_GRACE_MS;
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

int
local_stream_fd(struct tstream *ts unused)
{
	return -1;
}

void
local_stream_close(struct tstream *ts)
{
	if (ts->fd != -1)
		close(ts->fd);
	if (ts->old_fd != -1)
		close(ts->old_fd);
	free(ts->path);
	free(ts);
}
