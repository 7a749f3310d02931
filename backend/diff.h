/*
 * diff.h -- a line diff that writes unified diff text.
 *
 * The common head and tail are stripped, then the longest common
 * subsequence of the middle decides which lines are kept; a middle too
 * large for the table (more than DIFF_MAX_CELLS) is shown as replaced
 * whole, which is still a correct diff.  An optional predicate marks lines
 * to ignore: two such lines compare equal whatever they say (the
 * "##### built by" stamp of a generated cf).
 *
 * diff_cf() compares what sendmail acts on in two cfs, not their text.
 */
#ifndef SMADM_DIFF_H
#define SMADM_DIFF_H

#include "util.h"

#define DIFF_MAX_CELLS	(4UL * 1024 * 1024)

/* Does this line (without its newline) not count as a difference? */
typedef int (*diff_ignore_fn)(const char *, size_t);

/*
 * Compare a and b; append a unified diff (with "--- A" / "+++ B" headers and
 * ctx lines of context) to out.  Returns the number of changed lines
 * (removed plus added), 0 when the texts are the same.
 */
size_t	diff_unified(const char *, size_t, const char *, size_t,
	    const char *, const char *, int, diff_ignore_fn, struct buf *);

/* The ignore predicate for generated sendmail.cf files. */
int	diff_ignore_cf_stamp(const char *, size_t);

/*
 * Compare two cfs as sendmail reads them: comment lines, blank lines,
 * the comments at the end of a line (after a blank, once the cf's V line
 * says level 3 or more) and the comment field of an R line (after the tab
 * that ends its RHS) are left out, and a line that continues on the
 * next lines (which begin with a blank) is one entry.  Appends to out a
 * unified-style diff of those entries, each shown as sendmail reads it,
 * with hunks headed "@@ line N, line M @@" (the lines of the files where
 * the hunk starts; not a patch, since comments are missing).  Returns the
 * number of entries removed plus added: 0 when sendmail would act the same
 * on both, whatever their comments say.
 */
size_t	diff_cf(const char *, size_t, const char *, size_t, const char *,
	    const char *, int, struct buf *);

/*
 * When diff_cf() finds nothing but the texts differ: of the changed lines
 * that belong to entries sendmail reads, how many moved (the same text
 * changed on the other side: a line moved among comments) and how many
 * changed only where sendmail ignores text (after a '#', an R line's
 * comment field).  diff_cf_ignored_what() says what differs, to go
 * before "differ" ("only comments" when both are 0), a static string.
 */
void	diff_cf_ignored(const char *, size_t, const char *, size_t, size_t *,
	    size_t *);
const char	*diff_cf_ignored_what(size_t, size_t);

#endif
