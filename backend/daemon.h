/*
 * daemon.h -- the sendmail daemon of a host: status, start, stop.
 *
 * The daemon is found only through the profile's pid file, and a pid is
 * believed only after checking that the process is alive (not a zombie) and
 * really is sendmail (its executable; for a sandbox, also its working
 * directory, the sandbox queue).  Nothing else is ever signalled.
 */
#ifndef SMADM_DAEMON_H
#define SMADM_DAEMON_H

#include <sys/types.h>
#include <time.h>

#include "host.h"

struct daemon_status {
	int		 running;	/* pid verified alive and sendmail */
	pid_t		 pid;		/* from the pid file, or 0 */
	int		 stale;		/* pid file names a dead or foreign pid */
	char		*why;		/* stale: why the pid is not believed */
	char		*pid_file_cmd;	/* line 2 of the pid file, or NULL */
	time_t		 started;	/* process start time, or 0 */
	struct strv	 listen;	/* "127.0.0.1:2525" ... the pid listens on */
	int		 log_receiver;	/* sandbox: its syslog receiver runs */
	pid_t		 log_receiver_pid;
	int		 log_receiver_stale;
	char		*log_receiver_why;
};

void	daemon_status_init(struct daemon_status *);
void	daemon_status_release(struct daemon_status *);
/* Fill in st; -1 only when the host cannot be asked at all. */
int	daemon_status(struct host *, struct daemon_status *, char **);

/*
 * Start the daemon the way the distribution does (full binary path, the
 * profile's flags); for a sandbox, first its syslog receiver, and all of it
 * inside the sandbox namespace.  Waits until the pid file is written and
 * the process is verified; report gets one line per step.
 */
int	daemon_start(struct host *, struct buf *, char **);
/*
 * SIGTERM to the verified pid, wait for it to go; SIGKILL only when force
 * is set.  For a sandbox also stops its syslog receiver.  A pid file that
 * names a dead or foreign process is removed, and that process is never
 * signalled.  Stopping what is not running is not an error.
 */
int	daemon_stop(struct host *, int, struct buf *, char **);

/*
 * The addresses ("127.0.0.1:2525", "[::1]:25") a pid listens on, from
 * /proc/net/tcp{,6} and the pid's socket descriptors; all of the host's
 * listening addresses when pid is 0.
 */
int	daemon_listening(struct host *, pid_t, struct strv *, char **);

#endif
