/*
 * sandbox.h -- a self-contained sendmail installation under one directory.
 *
 * A sandbox holds its own sendmail.mc and sendmail.cf, tables, queue, pid
 * files, mail log and mailboxes, and a profile (DIR/smadm.conf, with
 * "sandbox = yes") that the rest of smadm opens with -r DIR:
 *
 *	smadm.conf		the profile
 *	etc/			sendmail.mc, sendmail.cf, the tables and maps
 *	queue/			the MTA queue (0700)
 *	clientmqueue/		the submission queue (0700)
 *	run/			sendmail.pid, logd.pid
 *	log/			mail.log (facility mail), other.log
 *	lib/			statistics, dead.letter
 *	mailbox/		USER files, one mbox per local recipient
 *	ns/			the namespace files (see ns.h)
 *
 * The daemon listens on 127.0.0.1 only, local mail is appended to
 * mailbox/USER by "smadm sandbox deliver", remote mail goes to a loopback
 * port nothing listens on and stays queued, and every sendmail command runs
 * in the sandbox's private mount namespace, so nothing ever leaves the
 * machine.
 */
#ifndef SMADM_SANDBOX_H
#define SMADM_SANDBOX_H

#include "host.h"
#include "transport.h"

#define SANDBOX_PORT		2525
#define SANDBOX_DEAD_PORT	2999

struct sandbox_opts {
	const char	*dir;		/* absolute; created if missing */
	int		 port;		/* 0: SANDBOX_PORT */
	int		 dead_port;	/* 0: SANDBOX_DEAD_PORT */
	const char	*self;		/* the smadm binary, absolute */
	const char	*templates;	/* smadm's template directory */
	const char	*hostname;	/* qualified name; NULL: derived */
};

/*
 * Create a sandbox.  Templates are read from the local machine; the
 * sandbox is written through the transport.  Returns 0 when created, 1
 * when dir already is a sandbox (nothing is changed), -1 with *cause on
 * failure, after removing whatever this call created.  report gets one
 * line per step.
 */
int	sandbox_create(struct transport *, const struct sandbox_opts *,
	    struct buf *, char **);

/*
 * Destroy the sandbox the host was opened on: stop its daemon and log
 * receiver (verified pids only), then remove the directory tree.  Refuses
 * unless the profile says "sandbox = yes".
 */
int	sandbox_destroy(struct host *, struct buf *, char **);

/*
 * Local delivery, run by the sandbox's sendmail as its local mailer on the
 * sandbox's own machine: append the message read from fd to
 * dir/mailbox/USER as one mbox message, under an exclusive lock.  The user
 * name is reduced to [A-Za-z0-9._+-].  On failure nothing is left half
 * written.
 */
int	sandbox_deliver(const char *, const char *, int, char **);

/* Remove a directory tree through the transport, never following links. */
int	sandbox_remove_tree(struct transport *, const char *, char **);

#endif
