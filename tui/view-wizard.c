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

/* The roles a question is asked for. */
#define WQ_NULLCLIENT	0x1
#define WQ_LOCAL	0x2
#define WQ_GATEWAY	0x4
#define WQ_SMARTHOST	0x8
#define WQ_ALL		0xf
#define WQ_REPEAT	0x10	/* asked again until the answer is blank */
#define WQ_REQUIRED	0x20	/* a blank answer is asked again */

static const struct wizard_question {
	const char	*key;
	const char	*prompt;
	const char	*def;		/* NULL: "" */
	int		 flags;
} wizard_questions[] = {
	{ "role", "Role (nullclient, local, gateway, smarthost): ", "local",
	    WQ_ALL | WQ_REQUIRED },
	{ "hostname", "Fully qualified host name: ", NULL,
	    WQ_ALL | WQ_REQUIRED },
	{ "local_domains", "More local domains (blank-separated): ",
	    NULL, WQ_LOCAL | WQ_GATEWAY | WQ_SMARTHOST },
	{ "smtp_port", "Port the daemon listens on: ", NULL, WQ_ALL },
	{ "relay_nets", "Networks allowed to relay (e.g. 192.0.2): ", NULL,
	    WQ_LOCAL | WQ_GATEWAY | WQ_SMARTHOST },
	{ "smart_host", "Smart host (mailer:host, e.g. relay:[192.0.2.1]): ",
	    NULL, WQ_NULLCLIENT | WQ_SMARTHOST | WQ_REQUIRED },
	{ "mailertable", "Mailertable entry (DOMAIN MAILER:HOST; blank: "
	    "done): ", NULL, WQ_GATEWAY | WQ_REPEAT },
	{ "virtusertable", "Virtusertable entry (ADDRESS TARGET; blank: "
	    "done): ", NULL, WQ_GATEWAY | WQ_REPEAT },
	{ "masquerade_as", "Masquerade as (domain; blank: the mail domain): ",
	    NULL, WQ_GATEWAY | WQ_SMARTHOST },
	{ "test_port", "Port for the test drive (blank: a free one): ", NULL,
	    WQ_ALL }
};

struct wizard_state {
	size_t		 next;			/* question to ask */
	int		 role;			/* WQ_ of the role answered */
	char		*again;			/* why the question is asked
						   again, or NULL */
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
	free(ws->again);
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
	req.o = &o;
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

/*
 * The role, checked as the answers file's is (wizard_role): an unknown
 * one is refused at once, with the names, and asked again.
 */
static int
wizard_check_role(struct wizard_state *ws, const char *value)
{
	static const char *const names[] = {
		"nullclient", "local", "gateway", "smarthost"
	};
	char	*text, *role = NULL, *cause = NULL;
	size_t	 i;

	text = xasprintf("role = %s\n", value);
	if (wizard_role(text, strlen(text), "role", &role, &cause) != 0) {
		/*
		 * "role:1: unknown role "x" (expected ...)": the file is
		 * this prompt, and the prompt itself lists the roles.
		 */
		free(ws->again);
		ws->again = xstrdup(strncmp(cause, "role:1: ", 8) == 0 ?
		    cause + 8 : cause);
		ws->again[strcspn(ws->again, "(")] = '\0';
		free(cause);
		free(text);
		return -1;
	}
	for (i = 0; i < nitems(names); i++)
		if (strcmp(names[i], role) == 0)
			ws->role = 1 << i;
	free(role);
	free(text);
	return 0;
}

static void
wizard_answered(void *arg, const char *value)
{
	struct wizard_state		*ws = arg;
	const struct wizard_question	*q = &wizard_questions[ws->next];
	char				*cause = NULL;

	if (value == NULL) {
		tui_message("wizard cancelled");
		wizard_state_free(ws);
		return;
	}
	free(ws->again);
	ws->again = NULL;
	if (*value == '\0' && (q->flags & WQ_REQUIRED)) {
		ws->again = xasprintf("%s is needed%s ", q->key, ws->role ?
		    " by this role" : "");
		wizard_ask(ws);
		return;
	}
	if (strcmp(q->key, "role") == 0 &&
	    wizard_check_role(ws, value) != 0) {
		wizard_ask(ws);
		return;
	}
	if (*value != '\0' && strcmp(q->key, "role") != 0 &&
	    wizard_answer_check(q->key, value, &cause) != 0) {
		ws->again = cause;
		wizard_ask(ws);
		return;
	}
	if (*value != '\0')
		buf_printf(&ws->answers, "%s = %s\n", q->key, value);
	if (*value == '\0' || !(q->flags & WQ_REPEAT))
		ws->next++;
	wizard_ask(ws);
}

/* The default answer; the daemon's port is the profile's. */
static char *
wizard_default(const struct wizard_question *q)
{
	char	*port;

	if (strcmp(q->key, "smtp_port") == 0) {
		port = wizard_profile_port(tui_host()->prof);
		return port != NULL ? port : xstrdup("smtp");
	}
	return xstrdup(q->def != NULL ? q->def : "");
}

static void
wizard_ask(struct wizard_state *ws)
{
	const struct wizard_question	*q;
	char				*prompt, *def, *why, *port;

	while (ws->next < nitems(wizard_questions) && ws->role != 0 &&
	    !(wizard_questions[ws->next].flags & ws->role))
		ws->next++;
	if (ws->next == nitems(wizard_questions)) {
		wizard_show(ws);
		return;
	}
	q = &wizard_questions[ws->next];
	/* A repeated question starts blank: Enter ends the list. */
	def = (q->flags & WQ_REPEAT) ? xstrdup("") : wizard_default(q);
	if (strcmp(q->key, "test_port") == 0) {
		/* Left blank, the drive takes the profile's port or a free
		 * one (cmd-wizard.c): the profile's may be in use. */
		port = wizard_profile_port(tui_host()->prof);
		why = xasprintf("Port for the test drive (blank: %s%s): ",
		    port != NULL ? port : "a free one", port != NULL ?
		    ", or a free one if taken" : "");
		free(port);
	} else
		why = xstrdup(q->prompt);
	if (ws->again != NULL)
		prompt = xasprintf("%s-- %s", ws->again, why);
	else
		prompt = xstrdup(why);
	free(why);
	tui_prompt(prompt, def, wizard_answered, ws);
	free(prompt);
	free(def);
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
