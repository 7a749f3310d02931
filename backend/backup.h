/*
 * backup.h -- backup sets: what an operation replaced, kept so that
 * "smadm rollback" can put it back byte for byte.
 *
 * Every operation that changes configuration files (an mc edit, an apply,
 * the wizard, a rollback itself) first snapshots the files it is about to
 * replace into one set:
 *
 *	STATE/backups/ID/MANIFEST	what the set holds (below)
 *	STATE/backups/ID/ROLE		a byte copy of each file
 *
 * STATE is DIR/.smadm for a profile directory (-r DIR), /var/lib/smadm for
 * the system.  ID is the local time YYYYmmddTHHMMSS (with -2, -3... when
 * two sets fall in the same second), so IDs sort by age.  A set is written
 * as ID.tmp and renamed: it is either complete or absent.  MANIFEST lines
 * are tab-separated:
 *
 *	id	ID
 *	time	2026-11-22T02:39:00+0000
 *	reason	apply
 *	file	ROLE	MODE(octal)	UID	GID	SIZE	PATH
 *	absent	ROLE	PATH		(the file did not exist)
 *
 * ROLE is mc, cf, submit_mc, submit_cf or a table name.  Restoring writes
 * each file back atomically with its recorded mode and owner, and removes
 * files that were absent.
 *
 * Table edits ("map set" and the console) keep their backups here too, one
 * set per edit, instead of copies beside the table.  A new set that would
 * hold exactly what the newest set holds (same files, same bytes, mode and
 * owner) is not made: backup_create() hands back the newest set's ID.
 * Sets are pruned by the profile's retention after each new set (below).
 */
#ifndef SMADM_BACKUP_H
#define SMADM_BACKUP_H

#include "host.h"

struct backup_file {
	char	*role;
	char	*path;
	int	 absent;
	mode_t	 mode;
	uid_t	 uid;
	gid_t	 gid;
	off_t	 size;
};

struct backup_set {
	char			*id;
	char			*time;
	char			*reason;
	char			*dir;		/* STATE/backups/ID */
	struct backup_file	*files;
	size_t			 nfiles;
};

/* STATE for a profile (heap string). */
char	*backup_state_dir(const struct profile *);

/*
 * Snapshot files into a new set: parallel vectors of roles and paths, and
 * optionally of sources (read the bytes from there instead of from the
 * path; NULL or "" entries mean the path itself).  The mode and owner are
 * always the path's.  *id receives the set's ID (heap string).
 */
int	backup_create(struct host *, const char *, const struct strv *,
	    const struct strv *, const struct strv *, char **, char **);
/*
 * All sets, newest first.  A set whose MANIFEST is damaged is skipped.
 * A state directory that cannot be read (not root) is an error naming it,
 * not an empty list.
 */
int	backup_list(struct host *, struct backup_set **, size_t *, char **);
/* One set by ID; NULL means the newest. */
int	backup_load(struct host *, const char *, struct backup_set *,
	    char **);
/* Put the files of the set back (see above); only, when not NULL, is a
 * NULL-terminated list of the roles to restore. */
int	backup_restore(struct host *, const struct backup_set *,
	    const char *const *, char **);
void	backup_set_release(struct backup_set *);
void	backup_sets_free(struct backup_set *, size_t);

/* The bytes a set's copies take (the sizes its MANIFEST records). */
off_t	backup_set_size(const struct backup_set *);

/*
 * Retention.  The profile's backup_keep and backup_days: a set is removed
 * when it is not one of the newest backup_keep sets, or when it is older
 * than backup_days days (0: no age limit); the newest set is always kept,
 * and a set whose MANIFEST cannot be read is never touched.  A set is
 * removed by renaming ID to ID.del first (it leaves the listing at once,
 * whole), then its files, then the directory: a crash at any point leaves
 * every listed set complete, and the next prune finishes ID.del and clears
 * ID.tmp directories a crashed backup_create() left.  backup_create() runs
 * it after every new set; "smadm backups prune" runs it on demand.  With
 * dry_run nothing is removed, only reported.
 */
struct backup_pruned {
	struct strv	 ids;		/* sets removed (or to remove) */
	off_t		 bytes;		/* their size */
	struct strv	 leftovers;	/* ID.tmp / ID.del directories */
};
void	backup_pruned_init(struct backup_pruned *);
void	backup_pruned_release(struct backup_pruned *);
int	backup_prune(struct host *, int, struct backup_pruned *, char **);

/* mkdir -p through the transport. */
int	backup_mkdirs(struct transport *, const char *, mode_t, char **);

#endif
