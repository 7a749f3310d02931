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

#endif
