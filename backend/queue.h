/*
 * queue.h -- sendmail's queue directories.
 *
 * For now: counting what is queued.  A queue directory may hold its files
 * directly or in qf/, df/, xf/ subdirectories, and a profile may name
 * several directories (queue groups) and wildcards like /var/spool/mqueue/q*.
 */
#ifndef SMADM_QUEUE_H
#define SMADM_QUEUE_H

#include "host.h"

struct queue_counts {
	long	messages;	/* qf files */
	long	quarantined;	/* hf files */
	long	lost;		/* Qf files */
	long	dirs;		/* directories scanned */
};

/* Count the files of every directory in dirs; unreadable ones fail. */
int	queue_count(struct host *, const struct strv *, struct queue_counts *,
	    char **);

#endif
