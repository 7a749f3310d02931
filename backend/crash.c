/*
 * crash.c -- the SMADM_CRASH_AT test hook (see crash.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crash.h"

static int		 crash_ready;
static unsigned long	 crash_at;	/* 0: never */
static int		 crash_trace;
static unsigned long	 crash_count;

static void
crash_init(void)
{
	const char	*s;
	char		*end;

	crash_ready = 1;
	if ((s = getenv("SMADM_CRASH_AT")) != NULL && *s != '\0') {
		crash_at = strtoul(s, &end, 10);
		if (*end != '\0')
			crash_at = 0;
	}
	crash_trace = getenv("SMADM_CRASH_TRACE") != NULL;
}

void
crash_point(const char *what)
{
	if (!crash_ready)
		crash_init();
	if (crash_at == 0 && !crash_trace)
		return;
	crash_count++;
	if (crash_trace)
		fprintf(stderr, "smadm: crash point %lu: %s\n", crash_count,
		    what);
	if (crash_count == crash_at) {
		/* No cleanup, no atexit, no buffered output: a crash. */
		kill(getpid(), SIGKILL);
		_exit(137);
	}
}
