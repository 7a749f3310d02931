/*
 * table.h -- the text sources of sendmail's tables: parse, check, edit.
 *
 * A struct table holds every physical line of a file exactly as read (its
 * bytes and its line end), plus the entries found in those lines.  Writing
 * an unmodified table back gives the identical bytes; an edit replaces,
 * inserts or removes only the lines of the entry it touches.
 *
 * Three kinds (enum table_kind in profile.h):
 *
 *	TABLE_MAP	"KEY<blanks>VALUE" lines, read the way makemap reads
 *			them: "#" in column 1 and empty lines are comments, the
 *			key ends at the first blank, the value starts after the
 *			blanks that follow it.
 *	TABLE_ALIASES	"name: target, target" with continuation lines that
 *			start with a blank (or follow a line ending in "\"),
 *			read the way sendmail -bi reads them.
 *	TABLE_CLASS	class files read by "F{w} -o FILE": every blank-
 *			separated word before a "#" is one entry.
 *
 * Parsing never fails: lines that sendmail would reject are kept as
 * TABLE_LINE_BAD and reported by table_check().  Memory: everything hangs
 * off the struct table; table_free() releases it.  Strings are NUL-
 * terminated and may in theory hold NUL bytes, so lengths are given too.
 * They are read-only: lines and most values point into one copy of the
 * file, keys into a few shared blocks (a million-line map costs a handful
 * of allocations, not millions), and an edit re-reads the whole text.
 */
#ifndef SMADM_TABLE_H
#define SMADM_TABLE_H

#include <stddef.h>

#include "map-pair.h"
#include "profile.h"
#include "transport.h"
#include "util.h"

enum table_eol {
	TABLE_EOL_NONE,		/* last line without a line end */
	TABLE_EOL_LF,
	TABLE_EOL_CRLF
};

enum table_line_type {
	TABLE_LINE_BLANK,	/* empty or only blanks (not in a map) */
	TABLE_LINE_COMMENT,	/* "#..." */
	TABLE_LINE_ENTRY,	/* first line of an entry */
	TABLE_LINE_CONT,	/* aliases: continuation of the entry above */
	TABLE_LINE_BAD		/* sendmail/makemap would reject it */
};

struct table_line {
	char			*text;	/* without the line end */
	size_t			 len;
	enum table_eol		 eol;
	enum table_line_type	 type;
	size_t			 entry;	/* entry index, or TABLE_NONE */
};
#define TABLE_NONE	((size_t)-1)

/*
 * One entry.  For a map: key and value exactly as makemap reads them: the
 * key in its written case (the builder folds it like makemap without -f),
 * the value from the first non-blank after the key to the end of the line,
 * trailing blanks included, and the CR of a CRLF line too (makemap stores
 * it).  For aliases: the name left of the colon (blanks around it removed)
 * and the right-hand side joined from all its lines the way sendmail -bi
 * stores it (line ends and "\"s dropped, continuation lines appended with
 * their leading blanks, a CR kept).  For a class file: the word, and value
 * NULL; class files can hold several entries on one line.
 */
struct table_entry {
	char		*key;
	size_t		 keylen;
	char		*value;		/* NULL for class words */
	size_t		 valuelen;
	size_t		 line;		/* index of its first line (0-based) */
	size_t		 nlines;	/* lines it spans (aliases: > 1) */
	size_t		 col;		/* class words: byte offset in line */
	int		 bad;		/* makemap/sendmail would reject it:
					   no pair; table_check() says why */
	char		*dbkey;		/* aliases: the name as sendmail -bi
					   stores it, or NULL if the same */
	size_t		 dbkeylen;
};

struct table_chunk;

struct table {
	const struct table_def	*def;	/* name and kind */
	char			*file;	/* label for messages (the path) */
	struct table_line	*lines;
	size_t			 nlines;
	struct table_entry	*entries;
	size_t			 nentries;
	enum table_eol		 eol;	/* style for new lines (majority) */

	/* Private to table.c: the storage the strings point into. */
	char			*text;	/* the file; line ends made NULs */
	struct table_chunk	*chunks; /* copied keys, joined values */
	size_t			 entriesalloc;
};

/* Parse text; file is the label used in messages ("/etc/mail/access"). */
struct table	*table_parse(const struct table_def *, const char *,
		    const char *, size_t);
/* The same, taking over the bytes of b (left empty) instead of copying. */
struct table	*table_parse_buf(const struct table_def *, const char *,
		    struct buf *);
void		 table_free(struct table *);
/* The file's bytes: identical to the input of table_parse() if unedited. */
void		 table_serialize(const struct table *, struct buf *);

/*
 * Read path through the transport and parse it.  A missing file gives an
 * empty table when missing_ok is set (*existed, if given, says which);
 * otherwise NULL and *cause.
 */
struct table	*table_load(struct transport *, const struct table_def *,
		    const char *, int, int *, char **);
/*
 * Write the table atomically over path.  No backup: table_edit_apply()
 * keeps the old file in a backup set (backup.h) first.
 */
int		 table_save(struct transport *, const struct table *,
		    const char *, char **);

/*
 * Index of the entry with this key that sendmail uses (maps and class
 * files: the first; aliases: the last, as sendmail -bi keeps the last), or
 * TABLE_NONE.  Keys compare without regard to ASCII case, as makemap and
 * sendmail -bi fold them.
 */
size_t		 table_find(const struct table *, const char *);

/*
 * Edits.  Each returns 0, or -1 with *cause; on success the table is
 * re-read from its new text so entries and line numbers are current.
 *
 * set: replace the value of the first entry with that key (keeping the
 * blanks between key and value as they were; an alias keeps "name:" and
 * its first separator, all its continuation lines are replaced), or append
 * a new entry at the end (adding a line end to a last line that lacks
 * one).  For class files value is ignored: set adds the word if missing.
 * del: remove the lines of every entry with that key (a class word
 * sharing a line with others is cut out of it).  rename: change the key only.  comment: prefix every
 * line of the entry with "#".
 */
int	table_set(struct table *, const char *, const char *, char **);
int	table_del(struct table *, const char *, char **);
int	table_rename(struct table *, const char *, const char *, char **);
int	table_comment(struct table *, const char *, char **);

/*
 * Merge want into *tp (table-merge.c): every line of *tp stays as it is
 * and where it is; each entry of want whose key *tp lacks (table_find:
 * sendmail's lookup, ASCII case ignored) is appended with table_set, after
 * want's first line when that is a comment (written also when *tp is empty
 * and nothing is added, so a new file says where it came from).  A key
 * that is there already is never written again: when its value differs
 * (access values compare without case, as sendmail's rulesets match them;
 * the other maps' as written, trailing blanks aside), or its line is one
 * makemap rejects, the old line is kept and a note says so, once per key,
 * "FILE:LINE: KEY ... (WHO would write ...)".  *tp may be replaced (it is
 * re-read); it is valid also on failure (-1 with *cause: an entry of want
 * that table_set refuses).  Merging the same want again adds nothing.
 */
struct table_merge {
	size_t		 kept;		/* entries *tp had (not broken) */
	size_t		 added;		/* want's entries appended */
	size_t		 same;		/* want's entries whose key was there */
	struct strv	 notes;
};
void	table_merge_init(struct table_merge *);
void	table_merge_release(struct table_merge *);
int	table_merge(struct table **, const struct table *, const char *,
	    struct table_merge *, char **);

/* Diagnostics of table_check(). */
enum table_severity {
	TABLE_WARNING,
	TABLE_ERROR
};

struct table_diag {
	enum table_severity	 severity;
	size_t			 line;	/* 1-based; 0 for the whole file */
	char			*text;	/* "FILE:LINE: what (expected ...)" */
};

struct table_diags {
	struct table_diag	*v;
	size_t			 n;
	size_t			 alloc;
	size_t			 nerrors;
	size_t			 nwarnings;
};

void	table_diags_init(struct table_diags *);
void	table_diags_release(struct table_diags *);

/*
 * Check every line and entry with the rules of the table (access,
 * mailertable, virtusertable, genericstable, domaintable, aliases, class
 * files): syntax errors, unknown tags and actions, bad addresses; warnings
 * for duplicate keys (the builder keeps the first), keys that shadow others
 * and open relays.  Diagnostics are appended in line order.
 */
void	table_check(const struct table *, struct table_diags *);

/*
 * What the Berkeley DB builder stores, in file order, duplicates included
 * (makemap keeps the first and warns "duplicate key"; sendmail -bi keeps
 * the LAST and warns "duplicate alias name").  Keys are as written -- the
 * builder lowercases them (makemap without -f, and sendmail -bi always);
 * alias names as sendmail parses them ("<x>" gives x, blanks between words
 * become ".") -- values verbatim, no trailing NUL (aliases.db adds
 * one to both and the "@" sentinel record: the builder's job).  Lines that
 * makemap or sendmail would reject are left out.  Class files have no
 * pairs.  The pointers point into the table and live as long as it does
 * without edits; *pairs is a heap array the caller frees.  Returns the
 * number of pairs.
 */
size_t	table_pairs(const struct table *, struct map_pair **);

/*
 * A checked edit of a table file (table-edit.c), the one way smadm changes
 * a table: the CLI's "map set|del|rename|comment" and the console's table
 * screen both call table_edit_apply(), which reads the file afresh,
 * applies one edit in memory, runs table_check() (the checks of "map
 * check") on the edited copy and refuses the edit ("FILE:LINE: ... (FILE
 * not changed)"; nothing is written) when the new text has an error the
 * old one did not have, wherever it is, or when the entry does not read
 * back as asked: set must find the key with exactly the value given (so
 * that del finds it again), rename the new key, del none left.  Errors
 * the file had before do not block an edit and warnings never do;
 * warnings on the written lines are handed back.  The old file is kept
 * in a backup set (backup.h; its ID in backup) before the new one is
 * written; the profile's retention prunes old sets.
 */
enum table_op {
	TABLE_OP_SET,		/* arg: the value (ignored by class files) */
	TABLE_OP_DEL,		/* every entry with the key */
	TABLE_OP_RENAME,	/* arg: the new key */
	TABLE_OP_COMMENT	/* "#" before every line of the entry */
};

struct table_edit {
	enum table_op	 op;
	const char	*key;
	const char	*arg;

	/* Filled by table_edit_apply(). */
	int		 changed;	/* 0: the file already said so */
	int		 added;		/* set: a new entry was appended */
	size_t		 line;		/* 1-based first line of the entry
					   written or removed */
	size_t		 nremoved;	/* entries gone (del, comment) */
	struct strv	 warnings;	/* "FILE:LINE: warning: ..." */
	char		*backup;	/* the backup set's ID, or NULL */
};
void	table_edit_init(struct table_edit *, enum table_op, const char *,
	    const char *);
void	table_edit_release(struct table_edit *);
/* Returns 0 (see changed), or -1 with *cause and the file untouched. */
struct host;
int	table_edit_apply(struct host *, const struct table_def *,
	    const char *, struct table_edit *, char **);

#endif
