/*
 * diff.h -- a line diff that writes unified diff text.
 *
 * The common head and tail are stripped, then the longest common
 * subsequence of the middle decides which lines are kept; a middle too
 * large for the table (more than DIFF_MAX_CELLS) is shown as replaced
 * whole, which is still a correct diff.  An optional predicate marks lines
 * to ignore: two such lines compare equal whatever they say (the
 * "##### built by" stamp of a generated cf).
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

#endif
