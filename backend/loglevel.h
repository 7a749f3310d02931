/*
 * loglevel.h -- sendmail's LogLevel: what the cf says, what the running
 * daemon uses, and changing it through the mc.
 *
 * Measured on sendmail 8.17: LogLevel 9 logs deliveries and rejections,
 * 12 adds every SMTP connection ("connect from"), and only from 15 are
 * both sides of SMTP conversations logged (the client's commands as
 * "<-- MAIL FROM:..." and the server's replies as "--- 250 ...").
 */
#define LOGLEVEL_CONNECTIONS	12
#define LOGLEVEL_SMTP		15
#ifndef SMADM_LOGLEVEL_H
#define SMADM_LOGLEVEL_H

#include <time.h>

#include "host.h"

struct loglevel_info {
	int	 cf_level;	/* O LogLevel= of the cf, -1: none */
	int	 mc_level;	/* define(`confLOG_LEVEL', N) of the mc, -1 */
	int	 running;	/* the daemon runs */
	time_t	 started;	/* since */
	time_t	 cf_mtime;	/* the cf changed then */
	int	 stale;		/* cf newer than the daemon: not in effect */
};

/* Read the levels; -1 only when the cf cannot be read. */
int	loglevel_get(struct host *, struct loglevel_info *, char **);

/*
 * Set confLOG_LEVEL in the mc to level (an edit kept in a backup set, like
 * "smadm mc set") and run the apply pipeline with the given hooks:
 * regenerate the cf, validate it, install it, HUP the daemon (apply.h).
 * Any other change pending in the mc is applied with it.  report gets what
 * was done, the pipeline's steps and its diff.  When the pipeline fails,
 * the mc edit is undone too: the mc, the cf and the daemon stay as they
 * were, and *cause says what failed.
 */
struct apply_hooks;
int	loglevel_set(struct host *, int, const struct apply_hooks *,
	    struct buf *, char **);

/* The level named in mc text by define(`confLOG_LEVEL', N), or -1. */
int	loglevel_from_mc(const char *);

#endif
