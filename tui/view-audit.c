/*
 * view-audit.c -- the security audit (backend/audit.h): the score, then
 * the findings grouped by severity, worst first.  Enter explains one
 * ("audit show ID"); f previews the fix (the cf diff, or the chmod) and F
 * there runs audit_fix, after a dialog; the audit runs again afterwards.
 * Both the preview of an mc fix and the fix run as jobs (job.h): m4 and
 * sendmail take their time.  r checks again, a shows the checks that
 * passed too.  When the daemon runs, the live probes (banner, EXPN, VRFY,
 * MAIL before HELO) run with each check from loopback.
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/audit.h"
#include "../backend/apply.h"
#include "job.h"
#include "opctl.h"
#include "tui.h"
#include "widget-list.h"

enum {
	AV_RECHECK = 1,
	AV_FIX,
	AV_ALL,
	AV_FIX_GO
};

struct audit_row {
	int	 header;	/* a group title: severity, or -1 passed */
	size_t	 finding;
};

struct audit_view {
	struct wlist		*wl;
	struct audit		*a;
	char			*error;
	int			 all;
	int			 stale;		/* a fix ran: check again */
	int			 loading;	/* the audit job runs */
	struct audit_row	*rows;
	size_t			 nrows;
};

static const struct tui_binding audit_bindings[] = {
	{ TUI_KEY_ENTER, "Why", NULL, 0, "Explain the finding (audit show)" },
	{ 'f', "Fix", NULL, AV_FIX,
	    "Fix the finding under the cursor (audit fix; asks first)" },
	{ 'r', "Re-check", NULL, AV_RECHECK, "Run the audit again" },
	{ 'a', "All", NULL, AV_ALL, "Show the checks that passed too" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct tui_binding audit_preview_bindings[] = {
	{ 'F', "Fix", NULL, AV_FIX_GO,
	    "Run the fix (audit fix ID): install, reload, check again" },
	{ 0, NULL, NULL, 0, NULL }
};

struct audit_preview {
	struct audit_view	*av;
	char			*id;
	char			*diff;		/* the cf diff shown, or NULL */
	int			 mc;		/* the fix edits the mc */
};

static const struct wlist_column audit_columns[] = {
	{ "Severity", 10, 0 },
	{ "ID", 26, 0 },
	{ "Fix", 5, 0 },
	{ "Finding", 0, 0 }
};

static void
audit_view_rows(struct audit_view *av)
{
	const struct audit_finding	*f;
	size_t				 i;
	int				 group, last = -2;

	free(av->rows);
	av->rows = NULL;
	av->nrows = 0;
	if (av->a == NULL)
		return;
	av->rows = xreallocarray(NULL, av->a->n * 2 + 1, sizeof *av->rows);
	for (i = 0; i < av->a->n; i++) {
		f = &av->a->v[i];
		if (f->passed && !av->all)
			continue;
		group = f->passed ? -1 : (int)f->severity;
		if (group != last) {
			av->rows[av->nrows].header = 1;
			av->rows[av->nrows++].finding = i;
			last = group;
		}
		av->rows[av->nrows].header = 0;
		av->rows[av->nrows++].finding = i;
	}
}

/* One audit run (and the live probe) on the worker; done frees it. */
struct audit_load_job {
	struct audit_view	*av;
	struct host		*host;
	int			 recheck;	/* r: say the score after */
	struct audit		*a;
	char			*error;
};

static int
audit_load_job_run(void *arg, const struct op_ctl *ctl unused,
    char **cause unused)
{
	struct audit_load_job	*lj = arg;
	struct host		*h = lj->host;
	struct audit_live_opts	 lo;
	struct buf		 transcript = BUF_INIT;
	char			*why = NULL, *addr = NULL;
	int			 port = 0, running = 0;

	if (audit_run(h, AUDIT_ALL, &lj->a, &why) != 0) {
		lj->error = why;
		return 0;
	}
	if (audit_live_target(h, NULL, &addr, &port, &running, &why) != 0)
		strv_push_nocopy(&lj->a->notes, why);
	else if (addr != NULL && running) {
		memset(&lo, 0, sizeof lo);
		lo.addr = addr;
		lo.port = port;
		if (audit_live(lj->a, &lo, 1, &transcript, &why) != 0)
			strv_push_nocopy(&lj->a->notes, xasprintf("live probe: "
			    "%s", why));
	}
	free(addr);
	buf_release(&transcript);
	return 0;
}

static void
audit_load_job_done(void *arg, int rc unused, const char *cause unused,
    const struct strv *notes unused)
{
	struct audit_load_job	*lj = arg;
	struct audit_view	*av = lj->av;

	/* The view stays while a job runs (job.h): av is still there. */
	av->loading = 0;
	audit_free(av->a);
	av->a = lj->a;
	free(av->error);
	av->error = lj->error;
	audit_view_rows(av);
	wlist_changed(av->wl);
	if (lj->recheck && av->a != NULL)
		tui_message("audit: score %d/100", audit_score(av->a));
	tui_redraw();
	free(lj);
}

/*
 * Run the audit as a job: it asks sendmail (-bt, the version), which can
 * stall on name resolution, and probes the daemon; the screen says
 * "checking..." meanwhile and keeps answering keys.
 */
static void
audit_view_load(struct audit_view *av, int recheck)
{
	struct audit_load_job	*lj;

	lj = xcalloc(1, sizeof *lj);
	lj->av = av;
	lj->host = tui_host();
	lj->recheck = recheck;
	if (job_start("audit", 0, audit_load_job_run, lj,
	    audit_load_job_done) != 0) {
		free(lj);
		free(av->error);
		av->error = xasprintf("not checked: %s is running; r checks "
		    "when it has ended", job_running() ? job_name() :
		    "another job");
		return;
	}
	av->loading = 1;
	tui_redraw();
}

static size_t
audit_view_nrows(void *arg)
{
	struct audit_view	*av = arg;

	return av->nrows;
}

static int
audit_style(const struct audit_finding *f)
{
	if (f->passed)
		return TS_GOOD;
	switch (f->severity) {
	case AUDIT_HIGH:
		return TS_BAD;
	case AUDIT_MEDIUM:
		return TS_WARN;
	default:
		return TS_NORMAL;
	}
}

static void
audit_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct audit_view		*av = arg;
	const struct audit_finding	*f = &av->a->v[av->rows[i].finding];

	if (av->rows[i].header) {
		wlist_row_style(row, TS_HEADER);
		if (f->passed)
			wlist_cell(row, "passed");
		else
			wlist_cellf(row, "%s (%zu)",
			    audit_severity_name(f->severity),
			    audit_count(av->a, f->severity));
		return;
	}
	wlist_cell_style(row, audit_style(f));
	wlist_cell(row, f->passed ? "pass" : audit_severity_name(f->severity));
	wlist_cell(row, f->id);
	wlist_cell(row, f->passed || f->fix == AUDIT_FIX_NONE ? "-" :
	    f->fix == AUDIT_FIX_MODE || f->fix == AUDIT_FIX_ACCESS ? "file" :
	    "apply");
	wlist_cell(row, f->title);
}

static const struct wlist_ops audit_wlist_ops = {
	audit_view_nrows, audit_draw_row, NULL, NULL, NULL, NULL
};

static void
audit_view_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct audit_view	*av = v->data;
	const struct audit	*a = av->a;
	int			 used;

	if (av->loading) {
		tui_put(y, x, w, TS_NORMAL, "checking ... (the audit asks "
		    "sendmail and the daemon; ? works meanwhile)");
		return;
	}
	if (av->error != NULL) {
		tui_put(y, x, w, TS_BAD, av->error);
		return;
	}
	if (a == NULL || h < 3)
		return;
	used = tui_putf(y, x + 1, w - 1, audit_worst(a) >= AUDIT_MEDIUM ?
	    TS_BAD : TS_GOOD, "Score %d/100", audit_score(a));
	tui_putf(y, x + 1 + used, w - 1 - used, TS_NORMAL,
	    "  %zu high, %zu medium, %zu low, %zu info; %s, %s; %s",
	    audit_count(a, AUDIT_HIGH), audit_count(a, AUDIT_MEDIUM),
	    audit_count(a, AUDIT_LOW), audit_count(a, AUDIT_INFO),
	    a->role != NULL ? a->role : "?", a->internet ? "internet-facing" :
	    "loopback only", a->live ? "probed" : "not probed");
	if (a->notes.n > 0)
		tui_putf(y + 1, x + 1, w - 1, TS_WARN, "note: %s%s",
		    a->notes.v[0], a->notes.n > 1 ? " (and more)" : "");
	if (av->nrows == 0) {
		tui_put(y + 3, x + 1, w - 1, TS_GOOD, "nothing found; a shows "
		    "the checks that passed");
		return;
	}
	wlist_draw(av->wl, y + 2, x, h - 2, w);
}

static const struct audit_finding *
audit_view_current(struct audit_view *av)
{
	if (av->a == NULL || av->nrows == 0)
		return NULL;
	return &av->a->v[av->rows[wlist_cursor(av->wl)].finding];
}

static int
audit_view_key(struct tui_view *v, int key)
{
	struct audit_view		*av = v->data;
	const struct audit_finding	*f;
	char				*argv[3];

	if (key != TUI_KEY_ENTER)
		return wlist_key(av->wl, key);
	if ((f = audit_view_current(av)) == NULL)
		return 1;
	argv[0] = xstrdup(f->id);
	tui_run_command("audit show", 1, argv);
	free(argv[0]);
	return 1;
}

/* F on the worker: the fix, then the audit again; done frees it. */
struct audit_fix_job {
	struct audit_view		*av;	/* stays: refused to pop */
	struct host			*host;
	const struct audit_finding	*f;	/* in av->a, not reloaded
						   while a job runs */
	char				*id;
	char				*seen;	/* the diff previewed */
	struct tui_op			 top;
	struct audit			*after;
	char				*check;	/* why it could not check */
};

static int
audit_fix_job_run(void *arg, const struct op_ctl *ctl, char **cause)
{
	struct audit_fix_job	*fj = arg;
	struct audit_fix_req	 req;
	struct audit_fix_result	 res;
	struct op_ctl		 c;
	int			 rc;

	memset(&req, 0, sizeof req);
	req.fv = &fj->f;
	req.n = 1;
	tui_op_chain(&fj->top, fj->seen, ctl, &c);
	rc = audit_fix(fj->host, &req, &c, &res, cause);
	audit_fix_result_release(&res);
	if (rc == 0) {
		op_progress(ctl, "checking again", 0, 0, NULL);
		if (audit_run(fj->host, 0, &fj->after, &fj->check) != 0)
			fj->after = NULL;
	}
	return rc;
}

/* On the main thread: the steps, the file reports and the check. */
static void
audit_fix_job_done(void *arg, int rc, const char *cause,
    const struct strv *notes)
{
	struct audit_fix_job	*fj = arg;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	for (i = 0; i < notes->n; i++)
		buf_printf(&b, "%s\n", notes->v[i]);
	if (rc == 1 && fj->top.plan != NULL)
		cause = "the cf diff is not the one the preview showed any "
		    "more: not fixed; preview it again";
	if (rc == 1 && cause == NULL) {
		buf_addstr(&b, "not fixed: cancelled (Esc) before the backup; "
		    "nothing was changed\n");
		tui_error("%s: cancelled, nothing was changed", fj->id);
	} else if (rc != 0) {
		buf_printf(&b, "FAILED: %s\n", cause != NULL ? cause :
		    "cancelled");
		tui_error("%s", cause != NULL ? cause : "cancelled");
	} else if (fj->after == NULL) {
		buf_printf(&b, "check again: %s\n", fj->check);
		tui_error("%s", fj->check);
	} else if (audit_find(fj->after, fj->id) == NULL) {
		buf_printf(&b, "fixed: %s\n", fj->id);
		tui_message("fixed: %s", fj->id);
	} else {
		buf_printf(&b, "still reported: %s\n", fj->id);
		tui_error("%s is still reported after the fix", fj->id);
	}
	fj->av->stale = 1;
	view_text_open("audit fix", b.data, b.len);
	buf_release(&b);
	audit_free(fj->after);
	tui_op_release(&fj->top);
	free(fj->check);
	free(fj->seen);
	free(fj->id);
	free(fj);
}

/*
 * F: the fix through audit_fix (backend/op.h) as a job, under the lock
 * (not waited for), going on only if the cf diff is still the one the
 * preview showed.  The steps, the file reports and the check that
 * follows are shown.
 */
static void
audit_preview_action(struct tui_view *v, void *arg, int action)
{
	struct audit_preview		*ap = arg;
	const struct audit_finding	*f;
	struct audit_fix_job		*fj;
	const char			*seen;
	char				*d, *q;
	int				 rc;

	if (action != AV_FIX_GO)
		return;
	if (job_running()) {
		tui_error("audit fix: not started, %s is running (Esc cancels "
		    "it)", job_name());
		return;
	}
	if (ap->av->a == NULL || (f = audit_find(ap->av->a, ap->id)) ==
	    NULL) {
		tui_error("%s: not found any more: check again", ap->id);
		return;
	}
	d = audit_fix_describe(f);
	q = ap->mc ? xstrdup("Install the new cf and reload sendmail?") :
	    xasprintf("%s?", d);
	free(d);
	rc = tui_confirm(q);
	free(q);
	if (!rc) {
		/* The preview wrote nothing: there is nothing to undo. */
		tui_message("not fixed: nothing was changed");
		return;
	}
	fj = xcalloc(1, sizeof *fj);
	fj->av = ap->av;
	fj->host = tui_host();
	fj->f = f;
	fj->id = xstrdup(f->id);
	/* The preview's diff, "" for a file fix; NULL: nothing to check. */
	seen = ap->mc ? ap->diff : "";
	fj->seen = seen != NULL ? xstrdup(seen) : NULL;
	if (job_start("audit fix", 1, audit_fix_job_run, fj,
	    audit_fix_job_done) != 0) {
		free(fj->seen);
		free(fj->id);
		free(fj);
		return;
	}
	/*
	 * The preview is spent: its result comes over the audit screen, and
	 * a second F cannot fix again.  Nothing of v or ap is used after.
	 */
	if (tui_view_top() == v)
		tui_view_pop();
}

static void
audit_preview_free(void *arg)
{
	struct audit_preview	*ap = arg;

	free(ap->id);
	free(ap->diff);
	free(ap);
}

/* The preview of f: res from audit_fix's dry run (NULL: a file fix). */
static void
audit_preview_show(struct audit_view *av, const struct audit_finding *f,
    struct audit_fix_result *res, const char *notes)
{
	struct audit_preview	*ap;
	struct buf		 b = BUF_INIT;
	char			*d;

	d = audit_fix_describe(f);
	buf_printf(&b, "%s: %s\n\nfix: %s\n\n", f->id, f->title, d);
	free(d);
	if (notes != NULL)
		buf_printf(&b, "First: %s\n\n", notes);
	ap = xcalloc(1, sizeof *ap);
	ap->av = av;
	ap->id = xstrdup(f->id);
	ap->mc = res != NULL;
	if (res != NULL && res->a != NULL) {
		if (res->a->changed == 0)
			buf_addstr(&b, "The cf does not change.\n");
		else
			buf_printf(&b, "The cf changes (%zu lines):\n\n%s",
			    res->a->changed, res->a->diff.data);
		ap->diff = xstrdup(res->a->diff.data);
		buf_printf(&b, "\n%s", res->report.data);
	} else
		buf_printf(&b, "%s\n", f->fix_text);
	buf_addstr(&b, "\nF runs the fix (it asks once more), q goes back.\n");
	view_text_open_actions("Fix preview", b.data, b.len,
	    audit_preview_bindings, audit_preview_action, ap,
	    audit_preview_free);
	if (notes != NULL)
		tui_error("%s", notes);
	else
		tui_message("F fixes %s", f->id);
	buf_release(&b);
}

/* f on the worker: audit_fix's dry run for an mc fix; done frees it. */
struct audit_preview_job {
	struct audit_view		*av;
	struct host			*host;
	const struct audit_finding	*f;	/* in av->a, kept meanwhile */
	struct audit_fix_result		 res;
};

static int
audit_preview_job_run(void *arg, const struct op_ctl *ctl, char **cause)
{
	struct audit_preview_job	*pj = arg;
	struct audit_fix_req		 req;

	memset(&req, 0, sizeof req);
	req.fv = &pj->f;
	req.n = 1;
	req.dry = 1;
	return audit_fix(pj->host, &req, ctl, &pj->res, cause);
}

static void
audit_preview_job_done(void *arg, int rc, const char *cause,
    const struct strv *notes)
{
	struct audit_preview_job	*pj = arg;
	char				*n = NULL;

	if (rc != 0)
		tui_error("%s", cause != NULL ? cause : "cancelled");
	else {
		if (notes->n != 0)
			n = strv_join(notes, "; ");
		audit_preview_show(pj->av, pj->f, &pj->res, n);
		free(n);
	}
	audit_fix_result_release(&pj->res);
	free(pj);
}

/*
 * What f would do, before doing it: for an mc fix the cf diff (the cf
 * generated and validated from an edited copy of the mc, whose file is
 * not touched: audit_fix's dry run, as a job), for a file fix the chmod.  F
 * then runs the fix itself, asking once more.
 */
static void
audit_view_preview(struct audit_view *av, const struct audit_finding *f)
{
	struct audit_preview_job	*pj;

	if (f->fix == AUDIT_FIX_MODE || f->fix == AUDIT_FIX_ACCESS) {
		audit_preview_show(av, f, NULL, NULL);
		return;
	}
	if (job_running()) {
		tui_error("audit fix: not started, %s is running (Esc cancels "
		    "it)", job_name());
		return;
	}
	pj = xcalloc(1, sizeof *pj);
	pj->av = av;
	pj->host = tui_host();
	pj->f = f;
	buf_init(&pj->res.report);
	if (job_start("audit fix preview", 1, audit_preview_job_run, pj,
	    audit_preview_job_done) != 0)
		free(pj);
}

static void
audit_view_action(struct tui_view *v, int action)
{
	struct audit_view		*av = v->data;
	const struct audit_finding	*f;

	switch (action) {
	case AV_RECHECK:
		audit_view_load(av, 1);
		break;
	case AV_ALL:
		av->all = !av->all;
		audit_view_rows(av);
		wlist_changed(av->wl);
		break;
	case AV_FIX:
		if ((f = audit_view_current(av)) == NULL)
			break;
		if (f->passed) {
			tui_message("%s: the check passes", f->id);
			break;
		}
		if (f->fix == AUDIT_FIX_NONE) {
			tui_error("%s: fixed by hand: %s", f->id, f->fix_text);
			break;
		}
		audit_view_preview(av, f);
		break;
	}
}

/* Coming back from "audit show": keep the results; after a fix: check. */
static void
audit_view_reload(struct tui_view *v)
{
	struct audit_view	*av = v->data;

	if (av->stale) {
		av->stale = 0;
		audit_view_load(av, 0);
	}
}

static void
audit_view_free(struct tui_view *v)
{
	struct audit_view	*av = v->data;

	audit_free(av->a);
	free(av->error);
	free(av->rows);
	wlist_free(av->wl);
	free(av);
}

static const struct tui_view_ops audit_ops = {
	"audit", audit_bindings, audit_view_draw, audit_view_key,
	audit_view_action, audit_view_reload, audit_view_free
};

void
view_audit_open(void)
{
	struct audit_view	*av;

	av = xcalloc(1, sizeof *av);
	av->wl = wlist_create(&audit_wlist_ops, av, audit_columns,
	    nitems(audit_columns), WLIST_HEADER);
	tui_view_push(&audit_ops, av, "Security audit");
	audit_view_load(av, 0);
}
