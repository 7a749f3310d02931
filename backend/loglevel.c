/*
 * loglevel.c -- reading sendmail's LogLevel from the cf and the mc, and
 * the hook for setting it (see loglevel.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "loglevel.h"

#define LOGLEVEL_MAX_FILE	(16 << 20)

int
loglevel_from_mc(const char *mc)
{
	const char	*p = mc, *q, *bol;
	int		 level = -1;

	while ((p = strstr(p, "confLOG_LEVEL")) != NULL) {
		for (bol = p; bol > mc && bol[-1] != '\n'; bol--)
			;
		q = p + 13;
		p = q;
		/* A line that starts with dnl or # is a comment. */
		while (*bol == ' ' || *bol == '\t')
			bol++;
		if (strncmp(bol, "dnl", 3) == 0 || *bol == '#')
			continue;
		/* `confLOG_LEVEL', `12') -- quotes and blanks optional. */
		while (*q == '\'' || *q == ' ' || *q == '\t')
			q++;
		if (*q++ != ',')
			continue;
		while (*q == ' ' || *q == '\t' || *q == '`')
			q++;
		if (!isdigit((unsigned char)*q))
			continue;
		level = (int)strtol(q, NULL, 10);
	}
	return level;
}

int
loglevel_get(struct host *h, struct loglevel_info *li, char **cause)
{
	struct daemon_status	 st;
	struct tstat		 ts;
	struct buf		 mc = BUF_INIT;
	char			*err = NULL;

	memset(li, 0, sizeof *li);
	li->cf_level = li->mc_level = -1;
	if (h->prof->cf == NULL) {
		*cause = xstrdup("the profile names no cf");
		return -1;
	}
	if (transport_stat(h->t, h->prof->cf, 1, &ts, cause) != 0)
		return -1;
	if (ts.type != TS_REG) {
		*cause = xasprintf("%s: no such file", h->prof->cf);
		return -1;
	}
	li->cf_mtime = ts.mtime;
	if (daemon_status(h, &st, cause) != 0)
		return -1;
	li->cf_level = st.loglevel;
	li->running = st.running;
	li->started = st.started;
	/*
	 * The start time from /proc is exact to a clock tick but boot time
	 * only to the second: a cf from the same second is not "newer".
	 */
	li->stale = st.running && st.started != 0 &&
	    ts.mtime > st.started + 1;
	daemon_status_release(&st);
	if (h->prof->mc != NULL && transport_read_file(h->t, h->prof->mc, &mc,
	    LOGLEVEL_MAX_FILE, &err) == 0)
		li->mc_level = loglevel_from_mc(mc.data);
	free(err);
	buf_release(&mc);
	return 0;
}

int
loglevel_set(struct host *h, int level, struct buf *report unused,
    char **cause)
{
	if (level < 0 || level > 99) {
		*cause = xasprintf("LogLevel %d: expected 0 to 99", level);
		return -1;
	}
	*cause = xasprintf("setting LogLevel %d needs the mc/apply pipeline "
	    "(set confLOG_LEVEL in %s, regenerate, install, HUP), which is "
	    "not in this build yet; nothing was changed", level,
	    h->prof->mc != NULL ? h->prof->mc : "the mc");
	return -1;
}
