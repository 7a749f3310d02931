/*
 * mapbuild.h -- building a host's maps from their text tables: the one
 * place that decides which maps need a build, reads a table's text through
 * the table parser (backend/table.h) and writes its database (mapdb.h).
 * "smadm map build" and the apply pipeline's maps step both use it.
 *
 * A table's database is its text path plus ".db".  Records are built with
 * the options sendmail's own tools would use: the -f and -N flags of the
 * map's K line in the cf, and a new map owned by the cf's TrustedUser.
 *
 * Functions returning int give -1 on error with a heap message in *cause.
 */
#ifndef SMADM_MAPBUILD_H
#define SMADM_MAPBUILD_H

#include "../backend/host.h"
#include "../backend/table.h"
#include "mapdb.h"

/* A table of the profile that may have a database. */
struct mapbuild_target {
	const struct table_def	*def;
	const char		*text;		/* the profile's path */
	char			*db;		/* text + ".db" (heap) */
};

/* Find table NAME of the profile; fails for an unknown or unset table. */
int	mapbuild_target(struct host *, const char *, struct mapbuild_target *,
	    char **);
void	mapbuild_target_release(struct mapbuild_target *);

/*
 * The record options for a target, from the cf (K line flags,
 * TrustedUser).  notes, when not NULL, gets a line when the cf's
 * TrustedUser does not exist.
 */
void	mapbuild_opts(struct host *, const struct mapbuild_target *,
	    struct mapdb_opts *, struct strv *);

/*
 * The pairs of a target's text.  A text with errors gives none: *cause
 * lists up to 20 of them (FILE:LINE).  Warnings never stop it: when the
 * strv is not NULL it gets up to MAPBUILD_MAXWARN of them ("FILE:LINE:
 * warning: ...") and a count of the rest.  The pairs point into *tp,
 * which the caller frees with table_free() after using them.
 */
#define MAPBUILD_MAXWARN	20
int	mapbuild_read_pairs(struct host *, const struct mapbuild_target *,
	    struct table **, struct map_pairs *, struct strv *, char **);

#define MAPBUILD_NAMED	0x1	/* asked for by name: always built */
#define MAPBUILD_FORCE	0x2	/* build even when the db is up to date */
#define MAPBUILD_DRY	0x4	/* build nothing: say what a build changes */

/*
 * Build one table.  Without MAPBUILD_NAMED, a table whose text is missing
 * is skipped, and so, without MAPBUILD_FORCE, is one whose database is not
 * older than its text.  A class file has no database (a note when named).
 * lines gets what happened ("access: 3 entries -> /etc/mail/access.db",
 * warnings, notes).  Returns 1 when a database was written (or, with
 * MAPBUILD_DRY, would be), 0 when not, -1 on error.
 */
int	mapbuild_table(struct host *, const char *, int, struct strv *,
	    char **);

/*
 * Every map of the profile that needs a build (see mapbuild_table; flags
 * may hold MAPBUILD_FORCE and MAPBUILD_DRY).  One table's failure does not
 * stop the others: all failures are in *cause, one per line, and the
 * result is -1.  *built counts the tables built.
 */
int	mapbuild_changed(struct host *, int, struct strv *, size_t *, char **);

/*
 * A local file holding the host's map, for reading with libdb: the map
 * itself on the local machine, a fresh copy of the remote one over SSH
 * (a missing map gives a path that does not exist).  NULL with *cause on
 * failure.  mapbuild_view_release() removes a copy and frees the name.
 */
char	*mapbuild_view(struct host *, const char *, char **);
void	 mapbuild_view_release(struct host *, char *);

/*
 * The state of a table's map: "built", "stale" (the text is newer or
 * their records differ), "no db", "error", or "-" (a class file, or no
 * text).  Lines with errors are left out of the comparison as the builder
 * would refuse them.  A heap string.
 */
char	*mapbuild_state(struct host *, const struct table_def *, const char *);

#endif
