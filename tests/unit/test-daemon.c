/*
 * test-daemon.c -- what /proc tells the daemon module: the addresses a
 * process listens on, read from /proc/net/tcp{,6} and its descriptors.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../backend/daemon.h"
#include "test.h"

/* Listen on a loopback address, any port; returns the fd, sets *port. */
static int
listen_on(int family, int *port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 len = sizeof ss;
	int			 fd;

	memset(&ss, 0, sizeof ss);
	if ((fd = socket(family, SOCK_STREAM, 0)) == -1)
		return -1;
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
	}
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof *sin : sizeof *sin6) != 0 || listen(fd, 1) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET ? sin->sin_port : sin6->sin6_port);
	return fd;
}

static int
has(const struct strv *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

TEST(daemon_listening_addresses)
{
	struct host	*h = host_create(transport_local_create(), NULL);
	struct strv	 mine = STRV_INIT, all = STRV_INIT;
	char		*cause = NULL, *a4, *a6 = NULL;
	int		 fd4, fd6, port4, port6 = 0;

	fd4 = listen_on(AF_INET, &port4);
	CHECK(fd4 != -1);
	fd6 = listen_on(AF_INET6, &port6);	/* no IPv6 is fine */
	a4 = xasprintf("127.0.0.1:%d", port4);
	if (fd6 != -1)
		a6 = xasprintf("[::1]:%d", port6);

	CHECK(daemon_listening(h, getpid(), &mine, &cause) == 0);
	CHECK(has(&mine, a4));
	if (a6 != NULL)
		CHECK(has(&mine, a6));
	CHECK(daemon_listening(h, 0, &all, &cause) == 0);
	CHECK(has(&all, a4) && all.n >= mine.n);

	/* A process that listens on nothing: an empty list. */
	strv_release(&mine);
	CHECK(daemon_listening(h, getppid(), &mine, &cause) == 0);
	CHECK(!has(&mine, a4));

	close(fd4);
	if (fd6 != -1)
		close(fd6);
	strv_release(&mine);
	strv_release(&all);
	free(a4);
	free(a6);
	host_free(h);
}
