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
#include "opctl.h"
#include "tui.h"

enum {
	AV_INSTALL = 1
};

struct apply_view {
	struct apply	*a;
	char		*notes;		/* what op_begin did first, or NULL */
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
	if (av->notes != NULL)
		buf_printf(b, "First: %s\n\n", av->notes);
	if (cause != NULL)
		buf_printf(b, "FAILED: %s\n\n", cause);
	else if (av->done)
		buf_addstr(b, "Applied.\n\n");
	buf_addstr(b, "Steps:\n");
	apply_format_steps(a, b);
	if (a->diff.len != 0)
		buf_printf(b, "\n%s", a->diff.data);
}

/*
 * Run apply_run (backend/op.h): the lock (not waited for: the status line
 * names its holder), the recovery of an interrupted apply, then the steps.
 * dry: up to the diff; else the whole pipeline, which goes on only if the
 * diff is still the one on the screen.  Returns its result; *step is the
 * step it stopped in (NULL: the lock), *moved set when the diff changed.
 */
static int
apply_view_run(struct apply_view *av, int dry, char **step, int *moved,
    char **cause)
{
	struct apply_req	 req;
	struct apply_result	 res;
	struct tui_op		 top;
	struct op_ctl		 ctl;
	int			 rc;

	memset(&req, 0, sizeof req);
	req.dry = dry;
	tui_op_init(&top, av->a != NULL ? av->a->diff.data : NULL, &ctl);
	rc = apply_run(tui_host(), &req, &ctl, &res, cause);
	if (res.a != NULL) {
		apply_free(av->a);
		av->a = res.a;
	}
	if (top.notes.n != 0) {
		free(av->notes);
		av->notes = tui_op_notes(&top);
	}
	*moved = rc == 1 && top.plan != NULL;
	*step = top.step;
	top.step = NULL;
	tui_op_release(&top);
	return rc;
}

static void
apply_view_action(struct tui_view *v, void *arg, int action)
{
	struct apply_view	*av = arg;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL, *step = NULL;
	int			 rc, moved;

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
	rc = apply_view_run(av, 0, &step, &moved, &cause);
	if (step == NULL) {
		/* The lock: nothing was done. */
		tui_error("%s", cause);
		goto out;
	}
	if (rc == 0) {
		av->done = 1;
		if (av->notes != NULL)
			tui_error("applied, after: %s", av->notes);
		else
			tui_message("applied");
	} else if (moved)
		tui_error("the cf to install changed since it was shown: "
		    "here is the new diff; i installs it");
	else if (strcmp(step, "install") == 0) {
		av->done = 1;
		tui_error("apply failed: %s", cause);
	} else {
		av->prepared = 0;
		tui_error("%s", cause != NULL ? cause : "cancelled");
	}
	apply_view_text(av, cause, &b);
	view_text_replace(v, b.data, b.len);
out:
	buf_release(&b);
	free(cause);
	free(step);
}

static void
apply_view_free(void *arg)
{
	struct apply_view	*av = arg;

	apply_free(av->a);
	free(av->notes);
	free(av);
}

void
view_apply_open(void)
{
	struct apply_view	*av;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL, *step = NULL;
	int			 moved;

	av = xcalloc(1, sizeof *av);
	tui_message("generating and validating the cf ...");
	tui_draw_frame();
	tui_update();
	if (apply_view_run(av, 1, &step, &moved, &cause) == 0)
		av->prepared = 1;
	if (av->a == NULL) {
		/* Not even started: the lock is held, or no cf to build. */
		tui_error("%s", cause);
		free(cause);
		free(step);
		free(av);
		return;
	}
	apply_view_text(av, cause, &b);
	view_text_open_actions("Apply", b.data, b.len, apply_bindings,
	    apply_view_action, av, apply_view_free);
	if (cause != NULL)
		tui_error("%s", cause);
	else if (av->notes != NULL)
		tui_error("%s", av->notes);
	else
		tui_message("%zu lines differ; i installs", av->a->changed);
	free(cause);
	free(step);
	buf_release(&b);
}
