/*
 * op.c -- the callbacks of an operation, each optional (see op.h), and
 * what every operation on the configuration starts and ends with: the
 * lock and the recovery of an interrupted apply.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../db/mapbuild.h"
#include "apply.h"
#include "daemon.h"
#include "lock.h"
#include "op.h"

int
op_confirm(const struct op_ctl *ctl, const char *text)
{
	if (ctl == NULL || ctl->confirm == NULL)
		return 1;
	return ctl->confirm(ctl->arg, text);
}

void
op_progress(const struct op_ctl *ctl, const char *verb, size_t done,
    size_t total, const char *item)
{
	struct op_progress	p;

	if (ctl == NULL || ctl->progress == NULL)
		return;
	p.verb = verb;
	p.done = done;
	p.total = total;
	p.item = item;
	ctl->progress(ctl->arg, &p);
}

int
op_cancelled(const struct op_ctl *ctl)
{
	if (ctl == NULL || ctl->cancelled == NULL)
		return 0;
	return ctl->cancelled(ctl->arg);
}

void
op_note(const struct op_ctl *ctl, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (ctl == NULL || ctl->note == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	ctl->note(ctl->arg, s);
	free(s);
}

/* maps: build the maps whose text is newer than their database. */
static int
op_hook_maps(struct host *h, void *arg unused, struct buf *detail,
    char **cause)
{
	struct strv	lines = STRV_INIT;
	size_t		built, i;
	int		rc;

	rc = mapbuild_changed(h, 0, &lines, &built, cause);
	for (i = 0; i < lines.n; i++)
		buf_printf(detail, "%s\n", lines.v[i]);
	strv_release(&lines);
	if (rc != 0)
		return -1;
	if (built == 0) {
		buf_addstr(detail, "all maps are up to date");
		return 1;
	}
	return 0;
}

/* reload: HUP the daemon if it runs; wait for the new pid. */
static int
op_hook_reload(struct host *h, void *arg unused, struct buf *detail,
    char **cause)
{
	return daemon_reload_running(h, detail, cause);
}

static const struct apply_hooks op_hooks = {
	op_hook_maps, op_hook_reload, NULL
};

const struct apply_hooks *
op_apply_hooks(struct host *h unused)
{
	return &op_hooks;
}

/* Each line of text as a note (a report of apply_recover, the steps). */
void
op_note_lines(const struct op_ctl *ctl, const char *text)
{
	const char	*p, *nl;

	for (p = text; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL) {
			op_note(ctl, "%s", p);
			break;
		}
		op_note(ctl, "%.*s", (int)(nl - p), p);
	}
}

int
op_begin(struct host *h, const char *what, int wait_ms,
    const struct op_ctl *ctl, int *lk, char **cause)
{
	struct buf	 report = BUF_INIT;
	char		*why = NULL;

	if (host_lock(h, what, wait_ms, lk, cause) != 0)
		return -1;
	/*
	 * A failed recovery is told, not fatal: the journal stays, so the
	 * next operation tries again, and "status" keeps saying so.
	 */
	if (apply_recover(h, op_apply_hooks(h), &report, &why) < 0) {
		op_note(ctl, "warning: %s", why);
		free(why);
	}
	op_note_lines(ctl, report.data);
	buf_release(&report);
	return 0;
}

void
op_end(struct host *h, int lk)
{
	host_unlock(h, lk);
}
