/*
 * daemon.h -- the sendmail daemon of a host: status, start, stop, reload,
 * restart, and what its control socket says.
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
	int		 foreign;	/* stale, and that pid is alive: another
					   program, never signalled */
	char		*pid_file_cmd;	/* line 2 of the pid file, or NULL */
	time_t		 started;	/* process start time, or 0 */
	struct strv	 listen;	/* "127.0.0.1:2525" ... the pid listens on */
	int		 log_receiver;	/* sandbox: its syslog receiver runs */
	pid_t		 log_receiver_pid;
	int		 log_receiver_stale;
	char		*log_receiver_why;

	/* From the cf (-1 / NULL when it cannot be read or says nothing). */
	int		 loglevel;	/* O LogLevel= */
	char		*control_socket; /* O ControlSocketName= */
};

/*
 * The daemon's answer to STATUS on its control socket.  sendmail 8.12 and
 * later answer "CHILDREN/MAXCHILDREN/FREEBLOCKS/LOAD" then one "PID what"
 * line per process; older ones labelled lines ("Current number of
 * children: N"), which are understood too.
 */
struct daemon_control {
	char		*answer;	/* the text as sent, CRs removed */
	long		 children;	/* -1 when not in the answer */
	long		 max_children;	/* 0: no limit */
	long		 load;
	long long	 free_blocks;	/* queue directory free space */
	struct strv	 child_list;	/* "PID what it does" lines */
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
 * HUP the verified daemon.  sendmail re-executes itself and a new daemon
 * (a new pid) rewrites the pid file: wait for that pid, verify it and that
 * it listens where the profile says.  report gets "old -> new" and *newpid
 * the new pid (when not NULL).  Not running is an error.
 */
int	daemon_reload(struct host *, pid_t *, struct buf *, char **);
/*
 * For the apply pipeline: HUP the daemon (daemon_reload) when it runs.
 * Returns 1 with a note in report when no daemon runs (no pid file, or a
 * dead pid): it reads the new cf when started.  A pid file that names a
 * live process that is not this sendmail is an error: that process is
 * not signalled and the daemon's state is unknown.
 */
int	daemon_reload_running(struct host *, struct buf *, char **);
/* Stop (SIGTERM; SIGKILL only when force is set), then start. */
int	daemon_restart(struct host *, int, struct buf *, char **);

/*
 * Ask the daemon for STATUS on the cf's control socket (st->control_socket
 * must be set).  -1 when the socket cannot be reached or the answer is not
 * one; daemon_control_release() frees what was filled in either way.
 */
int	daemon_control_status(struct host *, const struct daemon_status *,
	    struct daemon_control *, char **);
void	daemon_control_init(struct daemon_control *);
void	daemon_control_release(struct daemon_control *);
/* Parse a STATUS answer (exposed for the tests); -1 if it is not one. */
int	daemon_control_parse(const char *, struct daemon_control *);

/*
 * The value of "O NAME=value" in cf text, or NULL (heap string).  The last
 * occurrence wins, as in sendmail; commented lines do not count.
 */
char	*daemon_cf_option(const char *, const char *);

/*
 * The addresses ("127.0.0.1:2525", "[::1]:25") a pid listens on, from
 * /proc/net/tcp{,6} and the pid's socket descriptors; all of the host's
 * listening addresses when pid is 0.
 */
int	daemon_listening(struct host *, pid_t, struct strv *, char **);

#endif
