/*
 * logd.h -- a sandbox's private syslog receiver.
 *
 * sendmail logs only through syslog(3), that is datagrams on /dev/log.  In
 * a sandbox's namespace /dev/log is the sandbox's socket (ns.h); this
 * receiver reads it and appends each message to the sandbox's mail log in
 * the format of Debian 12's rsyslog:
 *
 *	2026-11-22T02:08:11.985504+00:00 HOST sm-mta[26201]: MSG
 *
 * Messages of facility mail go to the mail log, the others to a second
 * file.  It runs on the sandbox's own machine (it is the far end of a
 * socket), so it uses system calls directly rather than a transport.  It
 * never exits the process: the caller daemonizes and decides.
 */
#ifndef SMADM_LOGD_H
#define SMADM_LOGD_H

#include <signal.h>
#include <time.h>

#include "util.h"

#define LOGD_FACILITY_MAIL	2

struct logd;

/*
 * Bind the socket (replacing a stale one), make it writable by every user
 * (mailers run as other users), and open both logs for appending.
 */
struct logd	*logd_open(const char *, const char *, const char *, char **);
/* Receive and write until *stop is set (by a signal handler). */
int		 logd_run(struct logd *, volatile sig_atomic_t *, char **);
/* Close everything and remove the socket. */
void		 logd_close(struct logd *);
/* Close this process's copy only (after fork): the socket stays. */
void		 logd_forget(struct logd *);

/*
 * Turn one datagram as glibc sends it ("<PRI>Mmm dd hh:mm:ss TAG[PID]:
 * MSG", optional parts tolerated) into one log line, received at now on
 * host.  Control characters become #ooo like rsyslog's.  Returns the
 * facility.
 */
int		 logd_format(const char *, size_t, const struct timespec *,
		    const char *, struct buf *);

#endif
