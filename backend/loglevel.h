/*
 * loglevel.h -- sendmail's LogLevel: what the cf says, what the running
 * daemon uses, and changing it through the mc.
 */
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
 * Set confLOG_LEVEL in the mc to level and apply it (regenerate the cf,
 * check it, install it, HUP the daemon).  This needs the mc/apply pipeline
 * (backend/mc.h, backend/apply.h) and is not wired yet: it fails saying
 * so, and changes nothing.
 */
int	loglevel_set(struct host *, int, struct buf *, char **);

/* The level named in mc text by define(`confLOG_LEVEL', N), or -1. */
int	loglevel_from_mc(const char *);

#endif
