/*
 * view-apply.c -- the apply screen: the pipeline of apply.h run as on the
 * command line ("smadm apply"), with its diff in the pager before anything
 * is installed.  The first steps (generate, validate, diff) run when the
 * screen opens; i asks for confirmation and runs the rest (backup,
 * install, maps, reload, and restore on failure); the text then shows
 * each step's result.
 *
 * Both runs are jobs (job.h): the screen is drawn at once and filled in
 * when the job ends, the status line shows the step at hand ("apply 1/8
 * validate sendmail.cf"), and Esc stops it between the steps up to the
 * backup, with nothing installed (apply.h says why not later).  The
 * worker's ctl is the job's with tui_op's plan check in front of it
 * (opctl.h): the install goes on only if the diff is still the one shown.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/apply.h"
#include "../backend/diff.h"
#include "job.h"
#include "opctl.h"
#include "tui.h"

enum {
	AV_INSTALL = 1
};

struct apply_job;

struct apply_view {
	struct tui_view	*view;
	struct apply	*a;		/* the run whose diff is shown */
	char		*notes;		/* what op_begin did first, or NULL */
	char		*stopped;	/* steps of a cancelled install */
	int		 prepared;	/* generate, validate, diff succeeded */
	int		 done;		/* committed (or failed at it) */
	struct apply_job *job;		/* running for this screen, or NULL */
};

/* One run of apply_run on the worker; done frees it. */
struct apply_job {
	struct apply_view	*av;	/* NULL: the screen was left */
	struct host		*host;
	int			 dry;
	char			*seen;	/* the diff confirmed, or NULL */
	struct tui_op		 top;
	struct apply_result	 res;
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
	char		*ignored = NULL;

	if (a != NULL && a->acted == 0)
		ignored = xasprintf("%s differ: sendmail reads the new cf as "
		    "the live one.", diff_cf_ignored_what(a->moved, a->inl));
	if (ignored != NULL)
		ignored[0] = 'O';
	if (av->job != NULL)
		buf_addstr(b, av->job->dry ? "Generating the cf from the mc, "
		    "validating it with sendmail and comparing it with the "
		    "live cf ...\nThe status line shows the step at hand; Esc "
		    "stops before anything is installed.\n\n" : "Installing "
		    "...\nEsc stops before the backup; once the backup has "
		    "begun, install, maps and reload run to their end.\n\n");
	else if (a != NULL && a->cancelled && !av->prepared)
		buf_addstr(b, "Cancelled (Esc): nothing was installed.  Open "
		    "the apply screen again to start over.\n\n");
	else if (av->stopped != NULL)
		buf_printf(b, "Cancelled (Esc): nothing was installed, the live "
		    "cf is unchanged.  Steps of the cancelled install:\n%s\n"
		    "Press i to install again, q to leave.\n\n", av->stopped);
	if (av->job == NULL && !av->done && av->prepared)
		buf_printf(b, "%s  Press i to install and reload, q to "
		    "leave without changes.\n\n", a->changed == 0 ?
		    "The live cf is what the mc generates (maps may still "
		    "need building)." : a->acted == 0 ? ignored :
		    "The new cf differs from the live one as shown.");
	free(ignored);
	if (av->notes != NULL)
		buf_printf(b, "First: %s\n\n", av->notes);
	if (cause != NULL)
		buf_printf(b, "FAILED: %s\n\n", cause);
	else if (av->done)
		buf_addstr(b, "Applied.\n\n");
	if (a == NULL)
		return;
	buf_addstr(b, "Steps:\n");
	apply_format_steps(a, b);
	if (a->diff.len != 0)
		buf_printf(b, "\n%s", a->diff.data);
}

static void
apply_view_show(struct apply_view *av, const char *cause)
{
	struct buf	b = BUF_INIT;

	apply_view_text(av, cause, &b);
	view_text_replace(av->view, b.data, b.len);
	buf_release(&b);
}

static void
apply_job_free(struct apply_job *aj)
{
	apply_result_release(&aj->res);
	tui_op_release(&aj->top);
	free(aj->seen);
	free(aj);
}

/* On the worker: apply_run (backend/op.h), the lock not waited for. */
static int
apply_job_run(void *arg, const struct op_ctl *ctl, char **cause)
{
	struct apply_job	*aj = arg;
	struct apply_req	 req;
	struct op_ctl		 c;

	memset(&req, 0, sizeof req);
	req.dry = aj->dry;
	tui_op_chain(&aj->top, aj->seen, ctl, &c);
	return apply_run(aj->host, &req, &c, &aj->res, cause);
}

/* The screen was left while its job ran: the status line tells. */
static void
apply_job_orphan(struct apply_job *aj, int rc, const char *cause)
{
	struct apply	*a = aj->res.a;

	if (aj->dry)
		return;
	if (rc == 0)
		tui_message("apply: applied%s", a->cancel_late ? " (Esc came "
		    "after the backup had begun)" : "");
	else if (rc < 0)
		tui_error("apply failed: %s", cause);
	else
		tui_error("apply: cancelled, nothing was installed");
}

/* On the main thread: fill in the screen with what the job did. */
static void
apply_job_done(void *arg, int rc, const char *cause,
    const struct strv *notes)
{
	struct apply_job	*aj = arg;
	struct apply_view	*av = aj->av;
	struct buf		 b = BUF_INIT;

	if (av == NULL) {
		apply_job_orphan(aj, rc, cause);
		goto out;
	}
	av->job = NULL;
	if (notes->n != 0) {
		free(av->notes);
		av->notes = strv_join(notes, "; ");
	}
	if (aj->res.a == NULL) {
		/* Not even started: the lock is held, or no cf to build. */
		if (aj->dry && tui_view_top() == av->view)
			tui_view_pop();		/* frees av */
		else
			apply_view_show(av, NULL);
		tui_error("%s", cause);
		goto out;
	}
	if (!aj->dry && rc == 1 && aj->res.a->cancelled) {
		/* The diff shown still holds: keep it, tell the steps. */
		apply_format_steps(aj->res.a, &b);
		free(av->stopped);
		av->stopped = buf_detach(&b);
		apply_view_show(av, NULL);
		tui_error("apply: cancelled before the backup; nothing was "
		    "installed, the live cf is unchanged");
		goto out;
	}
	apply_free(av->a);
	av->a = aj->res.a;
	aj->res.a = NULL;
	free(av->stopped);
	av->stopped = NULL;
	if (aj->dry) {
		av->prepared = rc == 0;
		apply_view_show(av, rc < 0 ? cause : NULL);
		if (rc < 0)
			tui_error("%s", cause);
		else if (rc == 1)
			tui_error("apply: cancelled after %zu of its steps; "
			    "nothing was installed", av->a->nsteps - 1);
		else if (av->notes != NULL)
			tui_error("%s", av->notes);
		else
			tui_message("%zu lines differ; i installs",
			    av->a->changed);
		goto out;
	}
	if (rc == 0) {
		av->done = 1;
		apply_view_show(av, NULL);
		if (av->a->cancel_late)
			tui_error("applied: Esc came after the backup had "
			    "begun, too late to stop");
		else if (av->notes != NULL)
			tui_error("applied, after: %s", av->notes);
		else
			tui_message("applied");
	} else if (rc == 1 && aj->top.plan != NULL) {
		apply_view_show(av, NULL);
		tui_error("the cf to install changed since it was shown: "
		    "here is the new diff; i installs it");
	} else {
		/* Failed (put back, see the steps), or declined. */
		av->prepared = 0;
		apply_view_show(av, cause);
		tui_error("%s%s", rc < 0 ? "apply failed: " : "",
		    cause != NULL ? cause : "cancelled");
	}
out:
	buf_release(&b);
	apply_job_free(aj);
}

/* Run apply_run as a job for the screen: dry, or the install. */
static int
apply_view_start(struct apply_view *av, int dry)
{
	struct apply_job	*aj;

	aj = xcalloc(1, sizeof *aj);
	aj->av = av;
	aj->host = tui_host();
	aj->dry = dry;
	if (!dry)
		aj->seen = xstrdup(av->a->diff.data);
	if (job_start("apply", 1, apply_job_run, aj, apply_job_done) != 0) {
		free(aj->seen);
		free(aj);
		return -1;
	}
	av->job = aj;
	apply_view_show(av, NULL);
	return 0;
}

static void
apply_view_action(struct tui_view *v unused, void *arg, int action)
{
	struct apply_view	*av = arg;

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
	apply_view_start(av, 0);
}

static void
apply_view_free(void *arg)
{
	struct apply_view	*av = arg;

	/* Left while its job runs: the job ends on its own. */
	if (av->job != NULL)
		av->job->av = NULL;
	apply_free(av->a);
	free(av->notes);
	free(av->stopped);
	free(av);
}

void
view_apply_open(void)
{
	struct apply_view	*av;

	if (job_running()) {
		tui_error("apply: not started, %s is running (Esc cancels it)",
		    job_name());
		return;
	}
	av = xcalloc(1, sizeof *av);
	av->view = view_text_open_actions("Apply", "", 0, apply_bindings,
	    apply_view_action, av, apply_view_free);
	if (apply_view_start(av, 1) != 0)
		tui_view_pop();		/* frees av */
}
