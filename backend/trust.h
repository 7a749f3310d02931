/*
 * trust.h -- may smadm, running as root, believe what a file says?
 *
 * A profile names programs that smadm runs as root and files whose text
 * becomes root's configuration (the mc through m4, the cf through
 * sendmail).  Whoever can change one of them, or any directory on the way
 * to it, can become root through smadm.  So, as OpenSSH's StrictModes
 * (safe_path()) and sudo do, every component from "/" down, symbolic links
 * followed one by one, must be owned by root or by the user running smadm
 * ("self") and must not be writable by group or others.
 *
 * One exception, for layouts like /tmp/smadm-sandbox: a directory with
 * the sticky bit owned by root or self (like /tmp) may be writable by
 * others when it is not the directory that holds the file itself.  Others
 * cannot rename or remove what they do not own in it, so the next
 * component, which must itself be owned by root or self, cannot be
 * swapped.  OpenSSH refuses even that; smadm accepts it because its own
 * sandbox lives there.  The directory right above the file gets no
 * exception: in a sticky world-writable directory others could still
 * create the names a profile expects (the lock, CF.smadm-new...).
 *
 * A path that does not exist (yet) is fine as far as it goes: the
 * directories down to where it stops are checked, the last one (where
 * someone could make it) as strictly as the directory of a file.
 */
#ifndef SMADM_TRUST_H
#define SMADM_TRUST_H

#include <sys/types.h>

#include "profile.h"
#include "transport.h"

/*
 * The user besides root whose files are trusted: the local real uid, or
 * on an SSH host the login user (asked once with /usr/bin/id -u, before
 * sudo is switched on; root only when that fails).  Cached in p.
 */
uid_t		 trust_self(struct transport *, struct profile *);
/* The same, asked each time (no profile at hand yet). */
uid_t		 trust_user(struct transport *);

/*
 * Is this one object, as lstat() described it, safe?  last is set for the
 * object itself (no sticky exception); dir for a directory on the way.
 * Returns NULL, or a static reason ("writable by others") and sets *fix
 * to the chmod/chown argument that cures it ("go-w", "root").
 */
const char	*trust_mode_problem(const struct tstat *, uid_t, int,
		    const char **);

/*
 * Check path and every directory above it (what names it in messages:
 * "m4", "the profile").  0 when safe or absent; -1 with *cause naming the
 * component, its owner and mode, and the command that fixes it.
 */
int		 trust_path(struct transport *, const char *, uid_t,
		    const char *, char **);

/*
 * A directory smadm made for itself (DIR/.smadm, its backups, or
 * /var/lib/smadm): it must be a real directory (not a symbolic link)
 * owned by root or self and not writable by group or others.
 */
int		 trust_own_dir(struct transport *, const char *, uid_t,
		    char **);

/*
 * Make path, a directory in or at smadm's own (backup_state_dir()), and
 * each one between, checking each with trust_own_dir() before anything
 * goes in (a symbolic link planted there is refused, never followed).
 */
struct host;
int		 trust_state_mkdirs(struct host *, const char *, char **);

/*
 * Load DIR/smadm.conf (profile_load) after checking DIR and the file,
 * then check every program the profile runs (sendmail, m4, makemap,
 * service_start, service_stop, syslog_command) and a sandbox's namespace
 * directory.  sendmail's own files (mc, cf, maps) are not judged here:
 * their modes are findings of "smadm audit", which must be able to
 * report and fix them.
 */
struct profile	*trust_profile_load(struct transport *, const char *,
		    char **);

#endif
