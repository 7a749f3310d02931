/*
 * smtp-client.c -- one message over SMTP to a loopback port (see
 * smtp-client.h).
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smtp-client.h"

struct smtp_conn {
	int		 fd;
	int		 timeout;
	struct buf	 in;		/* received, not yet consumed */
	struct buf	*transcript;
};

/* Read one reply (all its lines); *code gets its number. */
static int
smtp_reply(struct smtp_conn *c, int *code, struct buf *text, char **cause)
{
	char		 chunk[1024], *nl;
	struct pollfd	 pfd;
	ssize_t		 n;
	size_t		 len;
	int		 last;

	buf_reset(text);
	for (;;) {
		while ((nl = memchr(c->in.data, '\n', c->in.len)) != NULL) {
			len = (size_t)(nl - c->in.data);
			if (len > 0 && c->in.data[len - 1] == '\r')
				len--;
			buf_addstr(c->transcript, "< ");
			buf_add(c->transcript, c->in.data, len);
			buf_addch(c->transcript, '\n');
			if (len < 3) {
				*cause = xstrdup("SMTP: a reply line shorter "
				    "than its code");
				return -1;
			}
			buf_add(text, c->in.data, len);
			buf_addch(text, '\n');
			last = len == 3 || c->in.data[3] == ' ';
			*code = atoi(c->in.data);
			len = (size_t)(nl - c->in.data) + 1;
			memmove(c->in.data, c->in.data + len, c->in.len - len);
			buf_truncate(&c->in, c->in.len - len);
			if (last)
				return 0;
		}
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if ((n = poll(&pfd, 1, c->timeout * 1000)) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("SMTP: poll: %s", strerror(errno));
			return -1;
		}
		if (n == 0) {
			*cause = xasprintf("SMTP: no reply within %d seconds",
			    c->timeout);
			return -1;
		}
		if ((n = read(c->fd, chunk, sizeof chunk)) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("SMTP: read: %s", strerror(errno));
			return -1;
		}
		if (n == 0) {
			*cause = xstrdup("SMTP: the server closed the "
			    "connection");
			return -1;
		}
		buf_add(&c->in, chunk, (size_t)n);
	}
}

static int
smtp_write(struct smtp_conn *c, const char *s, size_t len, char **cause)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(c->fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			*cause = xasprintf("SMTP: write: %s", strerror(errno));
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send a command, read its reply; 1 when the code is not the one wanted. */
static int
smtp_command(struct smtp_conn *c, const char *cmd, int want,
    struct buf *text, char **cause)
{
	struct buf	line = BUF_INIT;
	int		code, rc;

	if (cmd != NULL) {
		buf_printf(c->transcript, "> %s\n", cmd);
		buf_printf(&line, "%s\r\n", cmd);
		rc = smtp_write(c, line.data, line.len, cause);
		buf_release(&line);
		if (rc != 0)
			return -1;
	}
	if (smtp_reply(c, &code, text, cause) != 0)
		return -1;
	if (code / 100 != want / 100) {
		*cause = xasprintf("%s: %.*s", cmd != NULL ? cmd : "greeting",
		    (int)strcspn(text->data, "\n"), text->data);
		return 1;
	}
	return 0;
}

/* "250 2.0.0 5AMAbcDe012345 Message accepted for delivery": the ID. */
static char *
smtp_queue_id(const char *reply)
{
	const char	*p = reply + 3, *e;

	p += strspn(p, " -");
	if (p[0] >= '2' && p[0] <= '5' && p[1] == '.') {
		p += strcspn(p, " ");
		p += strspn(p, " ");
	}
	e = p + strcspn(p, " \n");
	if (e == p || e - p > 32)
		return NULL;
	return xstrndup(p, (size_t)(e - p));
}

int
smtp_send(const struct smtp_send *s, struct buf *transcript, char **queue_id,
    char **cause)
{
	struct smtp_conn	 c;
	struct sockaddr_in	 sin;
	struct buf		 text = BUF_INIT, cmd = BUF_INIT, data = BUF_INIT;
	const char		*p, *nl;
	int			 rc = -1, r;

	*queue_id = NULL;
	memset(&c, 0, sizeof c);
	c.fd = -1;
	buf_init(&c.in);
	c.transcript = transcript;
	c.timeout = s->timeout > 0 ? s->timeout : 30;
	if ((c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		goto out;
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)s->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(c.fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		*cause = xasprintf("connect to 127.0.0.1:%d: %s", s->port,
		    strerror(errno));
		goto out;
	}
	buf_printf(transcript, "connected to 127.0.0.1:%d\n", s->port);
	if ((r = smtp_command(&c, NULL, 220, &text, cause)) != 0)
		goto refused;
	buf_printf(&cmd, "HELO %s", s->helo);
	if ((r = smtp_command(&c, cmd.data, 250, &text, cause)) != 0)
		goto refused;
	buf_reset(&cmd);
	buf_printf(&cmd, "MAIL FROM:<%s>", s->from);
	if ((r = smtp_command(&c, cmd.data, 250, &text, cause)) != 0)
		goto refused;
	buf_reset(&cmd);
	buf_printf(&cmd, "RCPT TO:<%s>", s->rcpt);
	if ((r = smtp_command(&c, cmd.data, 250, &text, cause)) != 0)
		goto refused;
	if ((r = smtp_command(&c, "DATA", 354, &text, cause)) != 0)
		goto refused;
	for (p = s->message; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		if (*p == '.')
			buf_addch(&data, '.');
		buf_add(&data, p, (size_t)(nl - p));
		buf_addstr(&data, "\r\n");
	}
	buf_addstr(&data, ".\r\n");
	buf_printf(transcript, "> (message, %zu bytes)\n> .\n", data.len);
	if (smtp_write(&c, data.data, data.len, cause) != 0)
		goto out;
	if ((r = smtp_command(&c, NULL, 250, &text, cause)) != 0)
		goto refused;
	*queue_id = smtp_queue_id(text.data);
	rc = 0;
	if (smtp_command(&c, "QUIT", 221, &text, cause) != 0) {
		/* The message is in; a failed QUIT changes nothing. */
		free(*cause);
		*cause = NULL;
	}
	goto out;
refused:
	rc = r;
out:
	if (c.fd != -1)
		close(c.fd);
	buf_release(&c.in);
	buf_release(&text);
	buf_release(&cmd);
	buf_release(&data);
	return rc;
}

/* ---- a session of single commands, for probes (smtp-client.h) ---- */

struct smtp_conn *
smtp_open(const char *addr, int port, const char *source, int timeout,
    struct buf *transcript, char **cause)
{
	struct smtp_conn	*c;
	struct sockaddr_in	 sin, src;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		*cause = xasprintf("%s: not an IPv4 address", addr);
		return NULL;
	}
	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	if (source != NULL && inet_pton(AF_INET, source, &src.sin_addr) != 1) {
		*cause = xasprintf("%s: not an IPv4 address", source);
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = -1;
	buf_init(&c->in);
	c->transcript = transcript;
	c->timeout = timeout > 0 ? timeout : 30;
	if ((c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		goto fail;
	}
	if (source != NULL && bind(c->fd, (struct sockaddr *)&src,
	    sizeof src) == -1) {
		*cause = xasprintf("bind to %s: %s", source, strerror(errno));
		goto fail;
	}
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		*cause = xasprintf("connect to %s:%d: %s", addr, port,
		    strerror(errno));
		goto fail;
	}
	buf_printf(transcript, "connected to %s:%d%s%s\n", addr, port,
	    source != NULL ? " from " : "", source != NULL ? source : "");
	return c;
fail:
	smtp_close(c);
	return NULL;
}

int
smtp_ask(struct smtp_conn *c, const char *cmd, int *code, struct buf *text,
    char **cause)
{
	struct buf	line = BUF_INIT;
	int		rc;

	if (cmd != NULL) {
		buf_printf(c->transcript, "> %s\n", cmd);
		buf_printf(&line, "%s\r\n", cmd);
		rc = smtp_write(c, line.data, line.len, cause);
		buf_release(&line);
		if (rc != 0)
			return -1;
	}
	return smtp_reply(c, code, text, cause);
}

void
smtp_close(struct smtp_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd != -1)
		close(c->fd);
	buf_release(&c->in);
	free(c);
}
