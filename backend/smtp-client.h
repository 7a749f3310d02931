/*
 * smtp-client.h -- a minimal SMTP client for loopback tests of a daemon.
 *
 * It speaks to 127.0.0.1 only (the port is the caller's), one message per
 * connection: greeting, HELO, MAIL FROM, RCPT TO, DATA, the message, QUIT.
 * It exists so that smadm can try out a configuration it made (the
 * wizard's test drive) without any outside program; it is not a mailer.
 */
#ifndef SMADM_SMTP_CLIENT_H
#define SMADM_SMTP_CLIENT_H

#include "util.h"

struct smtp_send {
	int		 port;		/* on 127.0.0.1 */
	const char	*helo;
	const char	*from;		/* without <> */
	const char	*rcpt;		/* without <> */
	const char	*message;	/* headers and body, "\n" line ends */
	int		 timeout;	/* seconds per reply; 0: 30 */
};

/*
 * Send one message.  transcript gets every line sent ("> ") and received
 * ("< ").  Returns 0 when the message was accepted (*queue_id, a heap
 * string, gets the queue ID from the reply to the final dot, or NULL when
 * the reply names none), 1 when the server refused it (*cause says at
 * which step, with the reply), -1 on a connection or protocol failure.
 */
int	smtp_send(const struct smtp_send *, struct buf *, char **, char **);

/*
 * Single commands, for probes (the audit's live checks): smtp_open
 * connects to addr:port (an IPv4 literal), from source when not NULL;
 * smtp_ask sends cmd (NULL: only read, for the greeting) and reads one
 * reply into *code and text.  -1 on connection or protocol failure.
 * transcript gets what smtp_send's does.
 */
struct smtp_conn;
struct smtp_conn *smtp_open(const char *, int, const char *, int,
		    struct buf *, char **);
int		  smtp_ask(struct smtp_conn *, const char *, int *,
		    struct buf *, char **);
void		  smtp_close(struct smtp_conn *);

#endif
