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
 * Only the local transport has a lock for now (the SSH transport has no
 * flock); for other transports host_lock succeeds with *fd == -1.
 */
#ifndef SMADM_LOCK_H
#define SMADM_LOCK_H

#include "host.h"

/*
 * Take the lock for what (a command name), waiting up to wait_ms (0: do
 * not wait; <0: the default, SMADM_LOCK_WAIT seconds from the environment
 * or 30 s).  On success *fd is the descriptor host_unlock() releases.
 * Fails with "STATE/lock: locked by pid N (smadm COMMAND since TIME)".
 */
int	host_lock(struct host *, const char *, int, int *, char **);
void	host_unlock(int);

#endif
