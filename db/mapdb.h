/*
 * mapdb.h -- sendmail's Berkeley DB hash maps, built and read with libdb.
 *
 * A map smadm builds holds exactly the records makemap (maps) or
 * "sendmail -bi" (aliases) would write from the same text, so sendmail
 * reads both alike:
 *
 *	makemap hash	key lowercased (ASCII) unless -f, value verbatim, no
 *			trailing NUL unless -N, the first of duplicate keys
 *			kept (-r: the last)
 *	sendmail -bi	key lowercased, key and value end in NUL, the last
 *			of duplicate keys kept, plus the record "@\0" -> "@\0"
 *			that tells sendmail the database is complete
 *
 * Both are DB_HASH files with 4096-byte pages in native byte order.
 *
 * Builds are atomic: the new map is written to a temporary file beside the
 * old one, synced, given the old map's owner and mode, and renamed over
 * it; a failure at any point leaves the old map untouched and no temporary
 * file.  While building, smadm holds the locks sendmail's tools take: an
 * exclusive flock on the map being replaced (makemap), and the caller takes
 * one on the aliases text (sendmail -bi) with mapdb_lock().  Readers take a
 * shared flock like sendmail's map lookups.
 *
 * This layer works on local files only.  For remote hosts the SSH
 * transport will build maps on the remote machine with the remote tools.
 *
 * Every function returning int gives -1 on error with a heap-allocated
 * message in *cause, which the caller frees.
 */
#ifndef SMADM_MAPDB_H
#define SMADM_MAPDB_H

#include <sys/types.h>

#include <stddef.h>

#include "../backend/util.h"

/*
 * One (key, value) pair of a text source, as the text parser yields it:
 * the key as written (case folding is the builder's job), the value
 * without the line end.  line is the pair's line in the text, for
 * messages.  The strings need not be NUL-terminated.
 */
struct map_pair {
	const char	*key;
	size_t		 keylen;
	const char	*val;
	size_t		 vallen;
	size_t		 line;
};

/* A growable array of pairs; store holds blocks the pairs point into. */
struct map_pairs {
	struct map_pair	*v;
	size_t		 n;
	size_t		 alloc;
	struct strv	 store;		/* owned blocks (not strings) */
};
void	map_pairs_init(struct map_pairs *);
void	map_pairs_release(struct map_pairs *);
void	map_pairs_add(struct map_pairs *, const char *, size_t, const char *,
	    size_t, size_t);

enum mapdb_kind {
	MAPDB_MAP,		/* makemap hash */
	MAPDB_ALIASES		/* sendmail -bi */
};

struct mapdb_opts {
	enum mapdb_kind	 kind;
	int		 fold_case;	/* lowercase keys (off: makemap -f) */
	int		 nul;		/* keys and values end in NUL (-N) */
	int		 last_wins;	/* duplicates replace (makemap -r) */
	int		 sentinel;	/* write "@\0" -> "@\0" (aliases) */
	const char	*source;	/* text file name, for messages */
	size_t		 cache_bytes;	/* libdb cache; 0: from the input */
	mode_t		 mode;		/* a new map's mode; 0: 0640 */
	int		 set_owner;	/* give a new map uid (gid kept) */
	uid_t		 uid;
	int		 lock_timeout_ms; /* wait for another builder; 0: 60 s */
	size_t		 max_warnings;	/* messages kept; 0: 100 */
};
/* Defaults for a kind: what makemap hash or sendmail -bi do. */
void	mapdb_opts_init(struct mapdb_opts *, enum mapdb_kind);

/* What a build did.  warnings holds "FILE:LINE: ..." lines. */
struct mapdb_report {
	size_t		 records;	/* distinct keys written (no sentinel) */
	size_t		 duplicates;
	struct strv	 warnings;
};
void	mapdb_report_init(struct mapdb_report *);
void	mapdb_report_release(struct mapdb_report *);

/*
 * Build the map at path (the ".db" file) from n pairs.  An empty key or
 * value, or a key with a NUL byte when keys end in NUL, fails the whole
 * build with "FILE:LINE: ..."; the old map is kept.  Duplicate keys are
 * warnings.  A new map gets opts->mode and, with set_owner, opts->uid; a
 * replaced map keeps its owner, group and mode.
 */
int	mapdb_build(const char *, const struct map_pair *, size_t,
	    const struct mapdb_opts *, struct mapdb_report *, char **);

/*
 * Look key up the way sendmail does: folded to lower case when fold_case
 * is set, tried without and then with a trailing NUL.  Returns 1 and the
 * value (without its trailing NUL) appended to val, 0 when the key is
 * absent, -1 on error.
 */
int	mapdb_lookup(const char *, const char *, size_t, int, struct buf *,
	    char **);

/* A record read back from a map; key and val point into owned storage. */
struct mapdb_record {
	const char	*key;
	size_t		 keylen;
	const char	*val;
	size_t		 vallen;
};
struct mapdb_records {
	struct mapdb_record	*v;
	size_t			 n;
	size_t			 alloc;
	struct mapdb_chunk	*chunks;	/* storage, private */
};
void	mapdb_records_init(struct mapdb_records *);
void	mapdb_records_release(struct mapdb_records *);

#define MAPDB_SORTED	0x1	/* by key bytes, not in hash order */
#define MAPDB_RAW	0x2	/* keep trailing NULs and the "@" sentinel */
/* Read every record of the map at path (appended to out). */
int	mapdb_read(const char *, int, struct mapdb_records *, char **);

/*
 * Compare the map at dbpath with the records its text would give (pairs
 * built with opts).  Keys are listed as sendmail sees them (folded, no
 * NUL).  stale is set when the text is newer than the map, nodb when
 * the map does not exist (then everything is "missing").
 */
struct mapdb_diff {
	int		 stale;
	int		 nodb;
	struct strv	 missing;	/* in the text, not in the map */
	struct strv	 extra;		/* in the map, not in the text */
	struct strv	 different;	/* in both, values differ */
};
void	mapdb_diff_init(struct mapdb_diff *);
void	mapdb_diff_release(struct mapdb_diff *);
int	mapdb_diff_empty(const struct mapdb_diff *);
int	mapdb_compare(const char *, const char *, const struct map_pair *,
	    size_t, const struct mapdb_opts *, struct mapdb_diff *, char **);

/*
 * Does the map need a build: 1 when the .db is missing or older than its
 * text, 0 when it is up to date, -1 on error (text missing).
 */
int	mapdb_outdated(const char *, const char *, char **);

/*
 * The owner sendmail's tools give a new map: the cf's "O TrustedUser="
 * (a name or a number).  Returns 1 with *uid set, 0 when the cf sets none
 * (the map stays the builder's), -1 when the user does not exist.
 */
int	mapdb_cf_trusted_user(const char *, size_t, uid_t *, char **);

/*
 * The flags of map NAME's "K" line in the cf that change its records:
 * "-f" (keys keep their case) clears opts->fold_case, "-N" (keys and
 * values end in NUL) sets opts->nul.  Returns 1 when the map was found.
 */
int	mapdb_cf_map_flags(const char *, size_t, const char *,
	    struct mapdb_opts *);

/*
 * flock() a file the way sendmail's tools do and return the descriptor,
 * which mapdb_unlock() releases and closes.  exclusive selects LOCK_EX;
 * the call retries for timeout_ms (0: do not wait) and then fails with
 * "PATH: locked by another process".  A missing file is an error.
 */
int	mapdb_lock(const char *, int, int, char **);
void	mapdb_unlock(int);

/*
 * The minimal makemap/aliases text reader, until the table parser takes
 * its place: "key<blanks>value" lines for maps, "name: value" with
 * continuation lines for aliases, "#" comments at line start.  Pairs are
 * appended to out (their strings live in out->store); every bad line
 * adds a "FILE:LINE: ..." message to errors.  Returns the number of
 * errors.
 */
size_t	mapdb_pairs_from_text(const char *, size_t, enum mapdb_kind,
	    const char *, struct map_pairs *, struct strv *);

#endif
