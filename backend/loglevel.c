/*
 * loglevel.c -- reading sendmail's LogLevel from the cf and the mc, and
 * setting it through the mc and the apply pipeline (see loglevel.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "backup.h"
#include "daemon.h"
#include "loglevel.h"
#include "mc.h"

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

/* Put the mc back from the backup set of the edit. */
static void
loglevel_undo(struct host *h, const char *id, struct buf *report)
{
	static const char *const only[] = { "mc", NULL };
	struct backup_set	 set;
	char			*why = NULL;

	if (backup_load(h, id, &set, &why) != 0 ||
	    backup_restore(h, &set, only, &why) != 0) {
		buf_printf(report, "could not put %s back from backup %s: "
		    "%s\n", h->prof->mc, id, why);
		free(why);
	} else
		buf_printf(report, "%s put back from backup %s\n",
		    h->prof->mc, id);
	backup_set_release(&set);
}

int
loglevel_set(struct host *h, int level, const struct apply_hooks *hooks,
    struct buf *report, char **cause)
{
	struct buf	 text = BUF_INIT;
	struct mc	*mc = NULL;
	struct apply	*a = NULL;
	char		 value[16];
	char		*id = NULL, *reason = NULL, *why;
	int		 r, rc = -1;

	if (level < 0 || level > 99) {
		*cause = xasprintf("LogLevel %d: expected 0 to 99", level);
		return -1;
	}
	if (h->prof->mc == NULL) {
		*cause = xstrdup("the profile names no mc");
		return -1;
	}
	if (transport_read_file(h->t, h->prof->mc, &text, LOGLEVEL_MAX_FILE,
	    cause) != 0)
		goto out;
	mc = mc_parse(h->prof->mc, text.data, text.len);
	snprintf(value, sizeof value, "%d", level);
	if ((r = mc_define_set(mc, "confLOG_LEVEL", value, &why)) < 0) {
		*cause = xasprintf("%s: %s", h->prof->mc, why);
		free(why);
		goto out;
	}
	if (r == 0)
		buf_printf(report, "%s already sets confLOG_LEVEL to %d\n",
		    h->prof->mc, level);
	else {
		reason = xasprintf("loglevel %d", level);
		if (apply_save_mc(h, mc, h->prof->mc, reason, &id,
		    cause) != 0)
			goto out;
		buf_printf(report, "%s: confLOG_LEVEL = %d (backup %s)\n",
		    h->prof->mc, level, id);
	}
	a = apply_create(h, hooks);
	if (apply_prepare(a, 0, cause) != 0 || apply_commit(a, 1,
	    cause) != 0) {
		buf_addstr(report, a->diff.data);
		apply_format_steps(a, report);
		if (id != NULL)
			loglevel_undo(h, id, report);
		goto out;
	}
	buf_addstr(report, a->diff.data);
	apply_format_steps(a, report);
	rc = 0;
out:
	apply_free(a);
	mc_free(mc);
	buf_release(&text);
	free(id);
	free(reason);
	return rc;
}
