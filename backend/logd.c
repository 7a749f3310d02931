/*
 * logd.c -- the sandbox's syslog receiver (see logd.h).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logd.h"

struct logd {
	int	 sock;
	int	 mail_fd;
	int	 other_fd;
	char	*sock_path;
	char	*host;
};

static int
logd_open_log(const char *path, char **cause)
{
	struct stat	st;
	int		fd;

	/* O_NONBLOCK: a FIFO planted there must not hang the receiver. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY | O_NOFOLLOW | O_NONBLOCK, 0640);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}

struct logd *
logd_open(const char *sock_path, const char *mail_log, const char *other_log,
    char **cause)
{
	struct logd		*ld;
	struct sockaddr_un	 sun;
	struct stat		 st;
	char			 host[256], *dot;
	int			 bufsize = 1 << 20;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(sock_path) >= sizeof sun.sun_path) {
		*cause = xasprintf("%s: socket path too long", sock_path);
		return NULL;
	}
	memcpy(sun.sun_path, sock_path, strlen(sock_path) + 1);

	ld = xcalloc(1, sizeof *ld);
	ld->sock = ld->mail_fd = ld->other_fd = -1;
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	ld->host = xstrdup(host);

	if ((ld->mail_fd = logd_open_log(mail_log, cause)) == -1)
		goto fail;
	if ((ld->other_fd = logd_open_log(other_log, cause)) == -1)
		goto fail;

	/* A socket left by a receiver that died is replaced, nothing else. */
	if (lstat(sock_path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			*cause = xasprintf("%s exists and is not a socket",
			    sock_path);
			goto fail;
		}
		if (unlink(sock_path) != 0) {
			*cause = xasprintf("remove %s: %s", sock_path,
			    strerror(errno));
			goto fail;
		}
	}
	ld->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ld->sock == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		goto fail;
	}
	if (bind(ld->sock, (struct sockaddr *)&sun, sizeof sun) != 0) {
		*cause = xasprintf("bind %s: %s", sock_path, strerror(errno));
		goto fail;
	}
	ld->sock_path = xstrdup(sock_path);
	if (chmod(sock_path, 0666) != 0) {
		*cause = xasprintf("chmod %s: %s", sock_path, strerror(errno));
		goto fail;
	}
	/* A burst of LogLevel 12 lines must not block sendmail. */
	setsockopt(ld->sock, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof bufsize);
	return ld;
fail:
	logd_close(ld);
	return NULL;
}

void
logd_forget(struct logd *ld)
{
	if (ld == NULL)
		return;
	free(ld->sock_path);
	ld->sock_path = NULL;
	logd_close(ld);
}

void
logd_close(struct logd *ld)
{
	if (ld == NULL)
		return;
	if (ld->sock != -1)
		close(ld->sock);
	if (ld->sock_path != NULL)
		unlink(ld->sock_path);
	if (ld->mail_fd != -1)
		close(ld->mail_fd);
	if (ld->other_fd != -1)
		close(ld->other_fd);
	free(ld->sock_path);
	free(ld->host);
	free(ld);
}

/* "Nov 22 02:08:11 " -- the timestamp glibc puts after the priority. */
static int
logd_is_stamp(const char *p, size_t len)
{
	static const char	pat[] = "Aaa dd dd:dd:dd ";
	size_t			i;

	if (len < sizeof pat - 1)
		return 0;
	for (i = 0; i < sizeof pat - 1; i++) {
		switch (pat[i]) {
		case 'A':
			if (p[i] < 'A' || p[i] > 'Z')
				return 0;
			break;
		case 'a':
			if (p[i] < 'a' || p[i] > 'z')
				return 0;
			break;
		case 'd':
			if ((p[i] < '0' || p[i] > '9') &&
			    !(i == 4 && p[i] == ' '))
				return 0;
			break;
		default:
			if (p[i] != pat[i])
				return 0;
		}
	}
	return 1;
}

int
logd_format(const char *msg, size_t len, const struct timespec *now,
    const char *host, struct buf *out)
{
	struct tm	 tm;
	char		 stamp[64];
	const char	*end;
	long		 off;
	int		 pri = 13;	/* user.notice, as syslogd assumes */
	int		 v;

	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\0'))
		len--;
	end = msg + len;
	if (len > 2 && msg[0] == '<') {
		const char *p = msg + 1;

		v = 0;
		while (p < end && *p >= '0' && *p <= '9' && v < 1000)
			v = v * 10 + (*p++ - '0');
		if (p < end && *p == '>' && p > msg + 1 && v < 192) {
			pri = v;
			msg = p + 1;
		}
	}
	if (logd_is_stamp(msg, (size_t)(end - msg)))
		msg += 16;

	localtime_r(&now->tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	buf_printf(out, "%s.%06ld%c%02ld:%02ld %s ", stamp,
	    now->tv_nsec / 1000, off < 0 ? '-' : '+', labs(off) / 60,
	    labs(off) % 60, host);
	for (; msg < end; msg++) {
		unsigned char c = (unsigned char)*msg;

		if (c < 0x20 || c == 0x7f)
			buf_printf(out, "#%03o", c);
		else
			buf_addch(out, c);
	}
	buf_addch(out, '\n');
	return pri >> 3;
}

static int
logd_write(int fd, const struct buf *b)
{
	const char	*p = b->data;
	size_t		 left = b->len;
	ssize_t		 n;

	while (left > 0) {
		n = write(fd, p, left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		left -= (size_t)n;
	}
	return 0;
}

int
logd_run(struct logd *ld, volatile sig_atomic_t *stop, char **cause)
{
	struct pollfd	 pfd;
	struct timespec	 now;
	struct buf	 line = BUF_INIT;
	char		 dgram[8192];
	ssize_t		 n;
	int		 facility, rc = -1;

	pfd.fd = ld->sock;
	pfd.events = POLLIN;
	while (!*stop) {
		/* A timeout, so a signal between the check and poll is seen. */
		if (poll(&pfd, 1, 500) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("poll: %s", strerror(errno));
			goto out;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		n = recv(ld->sock, dgram, sizeof dgram, MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			*cause = xasprintf("recv: %s", strerror(errno));
			goto out;
		}
		clock_gettime(CLOCK_REALTIME, &now);
		buf_reset(&line);
		facility = logd_format(dgram, (size_t)n, &now, ld->host,
		    &line);
		/* A full disk loses a line; the receiver keeps going. */
		logd_write(facility == LOGD_FACILITY_MAIL ? ld->mail_fd :
		    ld->other_fd, &line);
	}
	rc = 0;
out:
	buf_release(&line);
	return rc;
}
