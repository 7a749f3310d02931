/*
 * view-wizard.c -- the setup wizard in the console: the questions of
 * "smadm wizard --answers FILE" asked one at a time in the status line,
 * then in the pager what it would do to each file of the host: the diff of
 * the file as it is against the merge (wizard_merge_read).  i writes them
 * through wizard_install (asks first, a backup set first), and only if the
 * plan is still the one shown; q leaves without writing anything.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/templates.h"
#include "../backend/wizard.h"
#include "opctl.h"
#include "tui.h"

enum {
	WV_INSTALL = 1,
	WV_DRIVE
};

static const struct wizard_question {
	const char	*key;
	const char	*prompt;
	const char	*def;
} wizard_questions[] = {
	{ "role", "Role (nullclient, local, gateway, smarthost): ", "local" },
	{ "hostname", "Fully qualified host name: ", NULL },
	{ "local_domains", "More local domains (blank-separated): ", "" },
	{ "relay_nets", "Networks allowed to relay (e.g. 192.0.2): ", "" },
	{ "smart_host", "Smart host (mailer:host, e.g. relay:[192.0.2.1]): ",
	    "" },
	{ "masquerade_as", "Masquerade as (domain; blank: the mail domain): ",
	    "" }
};

struct wizard_state {
	size_t		 next;			/* question to ask */
	struct buf	 answers;		/* "key = value" lines */
	char		 file[32];		/* the answers, for "wizard" */
	struct buf	 intro;			/* the text above the plan */
	char		*plan;			/* the plan shown, or NULL */
};

static const struct tui_binding wizard_bindings[] = {
	{ 'i', "Install", NULL, WV_INSTALL,
	    "Write the files as the diff shows (backup first; asks); then "
	    "apply" },
	{ 't', "Test drive", NULL, WV_DRIVE,
	    "Run the role in a temporary sandbox and send it one message" },
	{ '/', "Search", NULL, 0, "Search forward; n and N repeat" },
	{ 0, NULL, NULL, 0, NULL }
};

static void
wizard_state_free(void *arg)
{
	struct wizard_state	*ws = arg;

	if (ws->file[0] != '\0')
		unlink(ws->file);
	buf_release(&ws->answers);
	buf_release(&ws->intro);
	free(ws->plan);
	free(ws);
}

/* The screen: the intro, then the plan. */
static void
wizard_text(const struct wizard_state *ws, struct buf *text)
{
	buf_add(text, ws->intro.data, ws->intro.len);
	buf_addstr(text, ws->plan);
}

/*
 * i: the files the screen shows, written by wizard_install (backend/op.h):
 * the lock (not waited for), an interrupted apply undone, a backup set.
 * The plan it makes under the lock must be the one shown; if a file
 * changed meanwhile, the new plan is shown instead and nothing written.
 */
static void
wizard_write(struct tui_view *v, struct wizard_state *ws)
{
	struct wizard_out		 o;
	struct wizard_install_req	 req;
	struct wizard_install_result	 res;
	struct tui_op			 top;
	struct op_ctl			 ctl;
	struct buf			 text = BUF_INIT;
	char				*tdir, *role = NULL, *tpath = NULL;
	char				*cause = NULL, *notes;
	int				 rc;

	wizard_out_init(&o);
	tdir = templates_dir(tui_self());
	if (wizard_generate(tui_host(), tdir, ws->answers.data,
	    ws->answers.len, "answers", &role, &tpath, &o, &cause) != 0) {
		tui_error("wizard: %s", cause);
		goto out;
	}
	memset(&req, 0, sizeof req);
	req.o = &o;
	req.role = role;
	req.template = tpath;
	tui_op_init(&top, ws->plan, &ctl);
	rc = wizard_install(tui_host(), &req, &ctl, &res, &cause);
	notes = tui_op_notes(&top);
	if (rc == 1 && top.plan != NULL) {
		free(ws->plan);
		ws->plan = xstrdup(top.plan);
		wizard_text(ws, &text);
		view_text_replace(v, text.data, text.len);
		tui_error("the files changed since they were shown: here is "
		    "the new diff; i writes it");
	} else if (rc != 0)
		tui_error("wizard: %s%s%s", cause != NULL ? cause :
		    "cancelled", *notes != '\0' ? "; " : "", notes);
	else if (res.backup == NULL)
		tui_message("%s", notes);
	else
		tui_message("%s%swritten (backup %s): the mc screen's a "
		    "applies it", notes, *notes != '\0' ? "; " : "",
		    res.backup);
	free(notes);
	buf_release(&text);
	tui_op_release(&top);
	wizard_install_result_release(&res);
out:
	free(cause);
	free(tdir);
	free(role);
	free(tpath);
	wizard_out_release(&o);
}

static void
wizard_action(struct tui_view *v, void *arg, int action)
{
	static char		 opt[] = "--answers", drive[] = "--test-drive";
	struct wizard_state	*ws = arg;
	char			*argv[3];

	argv[0] = opt;
	argv[1] = ws->file;
	argv[2] = drive;
	if (action == WV_DRIVE) {
		/* A job (exec.c): the sandbox takes a few seconds. */
		tui_run_command("wizard", 3, argv);
		return;
	}
	if (action != WV_INSTALL)
		return;
	if (tui_confirm("Write these files as the diff shows?"))
		wizard_write(v, ws);
	else
		tui_message("nothing written");
}

/* All answered: generate, and show the result with its actions. */
static void
wizard_show(struct wizard_state *ws)
{
	struct transport	*local;
	struct wizard_out	 o;
	struct wizard_merge	 m;
	struct wizard_install_req req;
	struct write_opts	 wo;
	struct buf		 text = BUF_INIT, plan = BUF_INIT;
	char			*tdir, *role = NULL, *tpath = NULL;
	char			*cause = NULL;
	int			 fd;

	wizard_out_init(&o);
	wizard_merge_init(&m);
	local = transport_local_create();
	tdir = templates_dir(tui_self());
	if (wizard_generate(tui_host(), tdir, ws->answers.data,
	    ws->answers.len, "answers", &role, &tpath, &o, &cause) != 0 ||
	    wizard_merge_read(tui_host(), &o, &m, &cause) != 0)
		goto fail;
	memcpy(ws->file, "/tmp/smadm-wizard-XXXXXX", 25);
	if ((fd = mkstemp(ws->file)) == -1) {
		ws->file[0] = '\0';
		cause = xstrdup("cannot create a temporary answers file");
		goto fail;
	}
	close(fd);
	write_opts_init(&wo);
	wo.mode = 0600;
	if (transport_write_file(local, ws->file, ws->answers.data,
	    ws->answers.len, &wo, &cause) != 0)
		goto fail;
	buf_printf(&ws->intro, "Role %s (%s).  Tables keep every line they "
	    "have and get only the entries the role needs that they lack; the "
	    "mc is the role's.  i writes the files as the diff below shows (a "
	    "backup set first), t test-drives the role in a temporary "
	    "sandbox, q leaves the files as they are.\n\nAnswers:\n%s\n",
	    role, tpath, ws->answers.data);
	memset(&req, 0, sizeof req);
	req.role = role;
	req.template = tpath;
	wizard_install_plan(&req, &m, &plan);
	ws->plan = buf_detach(&plan);
	wizard_text(ws, &text);
	view_text_open_actions("Wizard", text.data, text.len, wizard_bindings,
	    wizard_action, ws, wizard_state_free);
	ws = NULL;
	goto out;
fail:
	tui_error("wizard: %s", cause);
	wizard_state_free(ws);
out:
	free(cause);
	free(tdir);
	free(role);
	free(tpath);
	buf_release(&text);
	buf_release(&plan);
	wizard_merge_release(&m);
	wizard_out_release(&o);
	transport_free(local);
}

static void wizard_ask(struct wizard_state *);

static void
wizard_answered(void *arg, const char *value)
{
	struct wizard_state	*ws = arg;

	if (value == NULL) {
		tui_message("wizard cancelled");
		wizard_state_free(ws);
		return;
	}
	if (*value != '\0')
		buf_printf(&ws->answers, "%s = %s\n",
		    wizard_questions[ws->next].key, value);
	ws->next++;
	wizard_ask(ws);
}

static void
wizard_ask(struct wizard_state *ws)
{
	const struct wizard_question	*q;

	if (ws->next == nitems(wizard_questions)) {
		wizard_show(ws);
		return;
	}
	q = &wizard_questions[ws->next];
	tui_prompt(q->prompt, q->def != NULL ? q->def : "", wizard_answered,
	    ws);
}

void
view_wizard_open(void)
{
	struct wizard_state	*ws;

	ws = xcalloc(1, sizeof *ws);
	buf_init(&ws->answers);
	buf_init(&ws->intro);
	buf_addstr(&ws->answers, "# from the console wizard\n");
	wizard_ask(ws);
}
