/*
 * file-commit.h -- the one way smadm replaces a file, and the one name its
 * temporary files get.
 *
 * A file PATH is replaced by a temporary file beside it, DIR/.BASE.smadm-
 * followed by six letters or digits, which is written, given its owner and
 * mode, fsynced, renamed over PATH, after which DIR is fsynced.  A crash
 * at any point leaves the old file or the new one, and at worst a
 * temporary file that the next writer of PATH removes.  A live writer
 * holds an flock on its temporary file until after the rename, so a
 * temporary file whose lock can be taken has no writer left.
 *
 * The local transport (transport-local.c) and the map builder (db/mapdb.c)
 * run these steps on local files; the SFTP transport (ssh-sftp.c) runs the
 * same steps through SFTP and takes its names and owner rules from here.
 * Backups are the callers' (between commit_sync() and commit_rename()).
 *
 * Functions returning int give -1 with a heap message in *cause.
 */
#ifndef SMADM_FILE_COMMIT_H
#define SMADM_FILE_COMMIT_H

#include <sys/types.h>

#include "transport.h"

#define COMMIT_TEMP_TAG		".smadm-"
#define COMMIT_TEMP_RANDOM	6

/* "DIR/.BASE.smadm-XXXXXX" for path, a template for mkstemp(3). */
char	*commit_temp_template(const char *);
/* The template's trailing X's made random letters and digits (SFTP). */
void	 commit_temp_fill(char *);
/*
 * Is the directory entry name one of base's temporary files (or libdb's
 * "__db." file beside one)?
 */
int	 commit_temp_of(const char *, const char *);
/* Remove the temporary files of base's dead writers in dir; a count. */
int	 commit_remove_stale(const char *, const char *);

/* "PATH.STAMP.smadm~", then "PATH.STAMP-N.smadm~" for try N > 0. */
void	 commit_backup_name(struct buf *, const char *, time_t, int);

/* Owner and mode a temporary file gets before it replaces a file. */
struct commit_attrs {
	int	 chown;		/* set uid, gid ((uid_t)-1: leave) */
	int	 chown_strict;	/* a refused chown fails even when not root */
	uid_t	 uid;
	gid_t	 gid;
	mode_t	 mode;
};

/*
 * What write_opts ask for: the old file's owner and mode when it exists
 * and keep_mode is set (not set_owner), else set_owner's uid and gid and
 * the mode asked for (0: 0644).  have_old says whether old_* are valid.
 */
void	 commit_attrs_choose(struct commit_attrs *, const struct write_opts *,
	    int, uid_t, gid_t, mode_t);

/*
 * The written temporary file fd (for PATH, named in messages) gets its
 * owner and mode and is fsynced.  A chown refused to a non-root writer
 * keeping an old owner is let pass unless chown_strict is set.
 */
int	 commit_sync(int, const char *, const struct commit_attrs *, char **);
/* Rename tmp over target and fsync target's directory. */
int	 commit_rename(const char *, const char *, char **);
/* fsync a directory; -1 (errno set) when it cannot be opened or synced. */
int	 commit_fsync_dir(const char *);
/* fsync the directory that holds path (after a rename into it). */
int	 commit_fsync_parent(const char *);

#endif
