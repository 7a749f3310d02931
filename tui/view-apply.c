/*
 * view-apply.c -- the apply screen: the pipeline of apply.h run as on the
 * command line ("smadm apply"), with its diff in the pager before anything
 * is installed.  The first steps (generate, validate, diff) run when the
 * screen opens; i asks for confirmation and runs the rest (backup,
 * install, maps, reload, and restore on failure); the text then shows
 * each step's result.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/apply.h"
#include "../backend/lock.h"
#include "../cli/cmd-mc.h"
#include "tui.h"

enum {
	AV_INSTALL = 1
};

struct apply_view {
	struct apply	*a;
	int		 prepared;	/* generate, validate, diff succeeded */
	int		 done;		/* committed (or failed at it) */
};

static const struct tui_binding apply_bindings[] = {
	{ 'i', "Install", NULL, AV_INSTALL,
	    "Install the new cf, build changed maps and reload (asks first)" },
	{ '/', "Search", NULL, 0, "Search forward; n and N repeat" },
	{ 0, NULL, NULL, 0, NULL }
};

static void
apply_view_text(struct apply_view *av, const char *cause, struct buf *b)
{
	struct apply	*a = av->a;

	if (!av->done && av->prepared)
		buf_printf(b, "%s  Press i to install and reload, q to "
		    "leave without changes.\n\n", a->changed == 0 ?
		    "The live cf is what the mc generates (maps may still "
		    "need building)." : "The new cf differs from the live "
		    "one as shown.");
	if (cause != NULL)
		buf_printf(b, "FAILED: %s\n\n", cause);
	else if (av->done)
		buf_addstr(b, "Applied.\n\n");
	buf_addstr(b, "Steps:\n");
	apply_format_steps(a, b);
	if (a->diff.len != 0)
		buf_printf(b, "\n%s", a->diff.data);
}

static void
apply_view_action(struct tui_view *v, void *arg, int action)
{
	struct apply_view	*av = arg;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	int			 lockfd;

	if (action != AV_INSTALL)
		return;
	if (av->done || !av->prepared) {
		tui_error("nothing to install here: open the apply screen "
		    "again");
		return;
	}
	if (!tui_confirm(av->a->changed != 0 ? "Install the new cf and "
	    "reload sendmail?" : "Build the maps whose text changed?"))
		return;
	tui_message("applying ...");
	tui_draw_frame();
	tui_update();
	/* One writer at a time, as for the apply command (lock.h). */
	if (host_lock(tui_host(), "apply", 0, &lockfd, &cause) != 0) {
		tui_error("%s", cause);
		free(cause);
		return;
	}
	av->done = 1;
	if (apply_commit(av->a, 1, &cause) != 0)
		tui_error("apply failed: %s", cause);
	else
		tui_message("applied");
	host_unlock(tui_host(), lockfd);
	apply_view_text(av, cause, &b);
	view_text_replace(v, b.data, b.len);
	buf_release(&b);
	free(cause);
}

static void
apply_view_free(void *arg)
{
	struct apply_view	*av = arg;

	apply_free(av->a);
	free(av);
}

void
view_apply_open(void)
{
	struct apply_view	*av;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	av = xcalloc(1, sizeof *av);
	av->a = apply_create(tui_host(), &cmd_apply_hooks);
	tui_message("generating and validating the cf ...");
	tui_draw_frame();
	tui_update();
	if (apply_prepare(av->a, 0, &cause) == 0)
		av->prepared = 1;
	apply_view_text(av, cause, &b);
	view_text_open_actions("Apply", b.data, b.len, apply_bindings,
	    apply_view_action, av, apply_view_free);
	if (cause != NULL)
		tui_error("%s", cause);
	else
		tui_message("%zu lines differ; i installs", av->a->changed);
	free(cause);
	buf_release(&b);
}
