/*
 * apply-int.h -- what apply.c and apply-recover.c share, and nothing else
 * includes: the applied-mc records, the journal of an apply in progress,
 * two string helpers.
 */
#ifndef SMADM_APPLY_INT_H
#define SMADM_APPLY_INT_H

#include "apply.h"
#include "backup.h"

/* STATE/applied-ROLE.mc: the mc that produced the installed cf (heap). */
char	*apply_applied_path(struct host *, const char *);
int	 apply_record_applied(struct host *, struct apply_unit *, char **);
/* Put back the applied-mc records of a backup set's roles. */
int	 apply_restore_applied(struct apply *, const struct backup_set *,
	    char **);

/* The journal names the backup set of an apply until it has ended. */
int	 apply_journal_write(struct apply *, char **);
void	 apply_journal_remove(struct host *);

/* A hook's output as one line, its lines joined by "; " (heap). */
char	*apply_one_line(struct buf *);
/* The directory part of a path: "." or "/" at the ends (heap). */
char	*apply_dir_name(const char *);

#endif
