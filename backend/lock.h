/*
 * lock.h -- one writer at a time on a host's configuration.
 *
 * Every command that changes the configuration (table edits, map builds,
 * mc edits, apply, cf install, rollback, wizard, loglevel, the daemon
 * commands) runs under an exclusive flock() on STATE/lock (STATE as in
 * backup.h: DIR/.smadm, or /var/lib/smadm).  The holder writes
 * "PID<TAB>COMMAND<TAB>SINCE" into the file so that a second smadm can say
 * who holds it.  flock() locks vanish with their holder, so a crashed
 * smadm never leaves the configuration locked.
 *
 * On a host reached over SSH the lock is taken on that host, on the same
 * file with the same flock(), by a process that holds it until it is
 * released or its channel closes: the connection's "smadm remote serve"
 * or an "smadm remote lock" when smadm is there, else util-linux's
 * flock(1) (transport-ssh.h).  So an smadm run on the host
 * and one over SSH exclude each other, and a dropped connection releases
 * the lock.  Taking it is a transport operation (transport.h: lock and
 * unlock); a transport without one has no lock: host_lock succeeds with
 * *lk == -1.
 */
#ifndef SMADM_LOCK_H
#define SMADM_LOCK_H

#include "host.h"

/*
 * Take the lock for what (a command name), waiting up to wait_ms (0: do
 * not wait; <0: the default, SMADM_LOCK_WAIT seconds from the environment
 * or 30 s).  On success *lk is the handle host_unlock() releases (-1:
 * nothing to release).  Fails with "STATE/lock: locked by pid N (smadm
 * COMMAND since TIME); waited N s, try again when it is done".
 */
int	host_lock(struct host *, const char *, int, int *, char **);
/* Release a lock of this host; -1 is ignored. */
void	host_unlock(struct host *, int);

/*
 * The lock itself on a file of this machine (host_lock's local case and
 * "smadm remote lock" on the far side of SSH): create path (0600) if
 * needed, flock it, write the holder line.  wait_ms as above, but not
 * negative.  *fd is closed by lock_file_release().
 */
int	lock_file_take(const char *, const char *, int, int *, char **);
void	lock_file_release(int);
/* The failure message for path held by the holder line text, after
 * waiting waited_ms. */
char	*lock_busy_message(const char *, const char *, int);
/*
 * The wait host_lock uses for wait_ms < 0, in milliseconds: SMADM_LOCK_WAIT
 * seconds, or 30 s when it is not set or empty; -1 with *cause when it is
 * set to something else than a number of seconds from 0 to 86400.
 */
int	lock_wait_default(int *, char **);

#endif
