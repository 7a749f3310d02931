/*
 * view-mc.c -- the sendmail.mc screen: the features and defines of the mc,
 * then the features and options it leaves off or at their defaults, each
 * described from the catalog of the installed cf macros (mc-catalog.h).
 *
 * Edits go through the commands of the table ("mc feature", "mc set", "mc
 * unset"), so they are backed up and checked the same way as on the
 * command line.  e edits the mc in $VISUAL or $EDITOR; p shows what is
 * pending (the live cf against what the mc generates); a opens the apply
 * screen; b the backups; t tests an address; w runs the wizard.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "../backend/apply.h"
#include "../backend/diff.h"
#include "../backend/op.h"
#include "../backend/mc-catalog.h"
#include "../backend/mc.h"
#include "opctl.h"
#include "tui.h"
#include "widget-list.h"

#define MC_DESC_LINES	4	/* the description pane under the list */
#define MC_MAX_FILE	(16 << 20)
#define MC_FALLBACK_EDITOR "/usr/bin/vi"

enum {
	MV_RELOAD = 1,
	MV_TOGGLE,
	MV_EDIT_VALUE,
	MV_UNSET,
	MV_EDITOR,
	MV_PENDING,
	MV_APPLY,
	MV_BACKUPS,
	MV_ADDRESS,
	MV_WIZARD
};

enum mc_row_kind {
	MR_HEADER,
	MR_FEATURE,		/* on: in the mc; off: from the catalog */
	MR_DEFINE		/* set: in the mc; else a catalog option */
};

struct mc_row {
	enum mc_row_kind		 kind;
	char				*name;
	char				*value;	/* define value, feature args */
	int				 on;	/* in the mc */
	size_t				 line;	/* of the mc, or 0 */
	const struct mc_catalog_entry	*entry;
};

struct mc_view {
	struct wlist		*wl;
	struct mc_catalog	*cat;
	char			*cat_error;
	struct mc		*mc;
	char			*error;		/* the mc cannot be read */
	struct mc_row		*rows;
	size_t			 nrows;
	size_t			 alloc;
};

static const struct tui_binding mc_bindings[] = {
	{ ' ', "Toggle", NULL, MV_TOGGLE,
	    "Feature: turn on or off (mc feature NAME on|off)" },
	{ TUI_KEY_ENTER, "Edit", NULL, MV_EDIT_VALUE,
	    "Define: edit its value (mc set); feature: toggle" },
	{ 'u', "Unset", NULL, MV_UNSET,
	    "Remove the define under the cursor (mc unset)" },
	{ 'e', "$EDITOR", NULL, MV_EDITOR,
	    "Edit the mc in $VISUAL or $EDITOR; it is parsed again after" },
	{ 'p', "Pending", NULL, MV_PENDING,
	    "Pending changes: the live cf against what the mc generates" },
	{ 'a', "Apply", NULL, MV_APPLY,
	    "The apply screen: diff, confirm, each step's result" },
	{ 'b', "Backups", NULL, MV_BACKUPS,
	    "Backup sets, and rollback to one of them" },
	{ 't', "Address", NULL, MV_ADDRESS,
	    "Test an address: what sendmail does with it (test-address)" },
	{ 'w', "Wizard", NULL, MV_WIZARD,
	    "Set up a role: questions, the mc and tables, test-drive" },
	{ 'r', NULL, NULL, MV_RELOAD, "Read the mc again (also ^L)" },
	{ 0, NULL, NULL, 0, NULL }
};

static const struct wlist_column mc_columns[] = {
	{ "", 3, 0 },
	{ "Name", 28, 0 },
	{ "Value", 0, 0 }
};

/* ---- the model ---- */

static void
mc_clear(struct mc_view *mv)
{
	size_t	i;

	for (i = 0; i < mv->nrows; i++) {
		free(mv->rows[i].name);
		free(mv->rows[i].value);
	}
	free(mv->rows);
	mv->rows = NULL;
	mv->nrows = mv->alloc = 0;
	mc_free(mv->mc);
	mv->mc = NULL;
	free(mv->error);
	mv->error = NULL;
}

static struct mc_row *
mc_add(struct mc_view *mv, enum mc_row_kind kind, const char *name)
{
	struct mc_row	*r;

	if (mv->nrows == mv->alloc) {
		mv->alloc = mv->alloc == 0 ? 64 : mv->alloc * 2;
		mv->rows = xreallocarray(mv->rows, mv->alloc,
		    sizeof *mv->rows);
	}
	r = &mv->rows[mv->nrows++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->name = xstrdup(name);
	if (kind == MR_DEFINE && mv->cat != NULL)
		r->entry = mc_catalog_find(mv->cat, name);
	return r;
}

/*
 * Add text on one line: a run of blanks holding a newline (an argument
 * continued on the next lines) becomes one space, so the row keeps its
 * columns.
 */
static void
mc_add_flat(struct buf *b, const char *s, size_t len)
{
	size_t	i, j;
	int	nl;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r') {
			nl = 0;
			for (j = i; j < len && (s[j] == ' ' || s[j] == '\t' ||
			    s[j] == '\n' || s[j] == '\r'); j++)
				if (s[j] == '\n' || s[j] == '\r')
					nl = 1;
			if (nl) {
				buf_addch(b, ' ');
				i = j - 1;
				continue;
			}
		}
		buf_addch(b, s[i]);
	}
}

/* The arguments after the first, as written: "`a', `b'". */
static char *
mc_args(const struct mc *mc, const struct mc_item *it)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 1; i < it->nargs; i++) {
		if (i > 1)
			buf_addstr(&b, ", ");
		mc_add_flat(&b, mc->text.data + it->args[i].off,
		    it->args[i].len);
	}
	return buf_detach(&b);
}

static void
mc_load(struct mc_view *mv)
{
	struct host		*h = tui_host();
	const struct mc_item	*it, *by;
	struct buf		 text = BUF_INIT;
	struct mc_row		*r;
	const char		*name;
	char			*v;
	size_t			 i;

	mc_clear(mv);
	if (h->prof->mc == NULL)
		mv->error = xstrdup("the profile names no mc");
	else if (transport_read_file(h->t, h->prof->mc, &text, MC_MAX_FILE,
	    &mv->error) == 0)
		mv->mc = mc_parse(h->prof->mc, text.data, text.len);
	buf_release(&text);
	if (mv->mc == NULL) {
		wlist_changed(mv->wl);
		return;
	}

	mc_add(mv, MR_HEADER, "Features in the mc");
	for (i = 0; i < mv->mc->nitems; i++) {
		it = &mv->mc->items[i];
		if (it->kind != MC_FEATURE || it->nargs == 0)
			continue;
		r = mc_add(mv, MR_FEATURE, it->args[0].value);
		r->on = 1;
		r->line = it->line;
		r->value = mc_args(mv->mc, it);
	}
	mc_add(mv, MR_HEADER, "Defines in the mc");
	for (i = 0; i < mv->mc->nitems; i++) {
		it = &mv->mc->items[i];
		if (it->kind != MC_DEFINE || it->nargs == 0 ||
		    mc_find_define(mv->mc, it->args[0].value) != it)
			continue;
		r = mc_add(mv, MR_DEFINE, it->args[0].value);
		r->on = 1;
		r->line = it->line;
		if (it->nargs > 1) {
			buf_init(&text);
			mc_add_flat(&text, it->args[1].value,
			    strlen(it->args[1].value));
			r->value = buf_detach(&text);
		} else
			r->value = xstrdup("");
		if ((by = mc_define_by_m4(mv->mc, it->args[0].value)) !=
		    NULL && by->off > it->off) {
			v = r->value;
			r->value = xasprintf("%s  (line %zu: m4 may change it)",
			    v, by->line);
			free(v);
		}
	}
	/* Defines only an ifdef() makes: m4 says the value, not the file. */
	for (i = 0; mv->cat != NULL && i < mv->cat->nentries; i++) {
		name = mv->cat->entries[i].define;
		if (mc_find_define(mv->mc, name) != NULL ||
		    (by = mc_define_by_m4(mv->mc, name)) == NULL)
			continue;
		r = mc_add(mv, MR_DEFINE, name);
		r->on = 1;
		r->line = by->line;
		r->value = xasprintf("(m4 decides, line %zu: smadm mc get %s)",
		    by->line, name);
	}
	if (mv->cat == NULL) {
		wlist_changed(mv->wl);
		return;
	}
	mc_add(mv, MR_HEADER, "Other features (off)");
	for (i = 0; i < mv->cat->features.n; i++)
		if (mc_find_feature(mv->mc, mv->cat->features.v[i]) == NULL)
			mc_add(mv, MR_FEATURE, mv->cat->features.v[i]);
	mc_add(mv, MR_HEADER, "Other options (at their default)");
	for (i = 0; i < mv->cat->nentries; i++) {
		if (mc_find_define(mv->mc, mv->cat->entries[i].define) !=
		    NULL || mc_define_by_m4(mv->mc,
		    mv->cat->entries[i].define) != NULL)
			continue;
		r = mc_add(mv, MR_DEFINE, mv->cat->entries[i].define);
		r->value = xstrdup(mv->cat->entries[i].defval != NULL ?
		    mv->cat->entries[i].defval : "");
	}
	wlist_changed(mv->wl);
}

/* ---- the list ---- */

static size_t
mc_nrows(void *arg)
{
	struct mc_view	*mv = arg;

	return mv->nrows;
}

static void
mc_draw_row(void *arg, size_t i, struct wlist_row *row)
{
	struct mc_view	*mv = arg;
	struct mc_row	*r = &mv->rows[i];

	if (r->kind == MR_HEADER) {
		wlist_row_style(row, TS_HEADER);
		wlist_cell(row, "");
		wlist_cell(row, r->name);
		wlist_cell(row, "");
		return;
	}
	if (r->kind == MR_FEATURE) {
		wlist_cell_style(row, r->on ? TS_GOOD : TS_DIM);
		wlist_cell(row, r->on ? "[x]" : "[ ]");
	} else {
		wlist_cell_style(row, r->on ? TS_GOOD : TS_DIM);
		wlist_cell(row, r->on ? " = " : "   ");
	}
	if (!r->on)
		wlist_cell_style(row, TS_DIM);
	wlist_cell(row, r->name);
	if (!r->on)
		wlist_cell_style(row, TS_DIM);
	if (r->kind == MR_DEFINE && r->entry != NULL &&
	    r->entry->option != NULL)
		wlist_cellf(row, "%s  (%s)", r->value != NULL ? r->value : "",
		    r->entry->option);
	else
		wlist_cell(row, r->value != NULL ? r->value : "");
}

static int
mc_search(void *arg, size_t i, const char *text)
{
	struct mc_view	*mv = arg;
	struct mc_row	*r = &mv->rows[i];

	return strcasestr(r->name, text) != NULL ||
	    (r->value != NULL && strcasestr(r->value, text) != NULL) ||
	    (r->entry != NULL && r->entry->option != NULL &&
	    strcasestr(r->entry->option, text) != NULL);
}

static const struct wlist_ops mc_wlist_ops = {
	mc_nrows, mc_draw_row, NULL, mc_search, NULL, NULL
};

/* ---- the view ---- */

static struct mc_row *
mc_current(struct mc_view *mv)
{
	if (mv->nrows == 0)
		return NULL;
	return &mv->rows[wlist_cursor(mv->wl)];
}

/* The description pane: what the row under the cursor is. */
static void
mc_draw_desc(struct mc_view *mv, int y, int x, int h, int w)
{
	struct mc_row	*r = mc_current(mv);
	struct buf	 b = BUF_INIT;
	const char	*p;
	int		 i, n;

	for (i = 0; i < h; i++)
		tui_fill(y + i, x, w, TS_NORMAL);
	if (mv->mc != NULL && mv->mc->warnings.n != 0)
		tui_put(y, x, w, TS_WARN, mv->mc->warnings.v[0]);
	else if (mv->cat_error != NULL)
		tui_put(y, x, w, TS_WARN, mv->cat_error);
	else
		tui_putf(y, x, w, TS_DIM, "%s", tui_host()->prof->mc);
	if (r == NULL || r->kind == MR_HEADER)
		return;
	if (r->kind == MR_FEATURE)
		buf_printf(&b, "FEATURE(`%s')%s%s", r->name,
		    r->on ? " on, line " : " off", "");
	else
		buf_printf(&b, "%s%s%s%s", r->name,
		    r->entry != NULL && r->entry->option != NULL ? " sets " :
		    "", r->entry != NULL && r->entry->option != NULL ?
		    r->entry->option : "", r->on ? ", line " : "");
	if (r->on)
		buf_printf(&b, "%zu", r->line);
	if (r->entry != NULL && r->entry->defval != NULL)
		buf_printf(&b, "; default %s", r->entry->defval);
	tui_put(y + 1, x, w, TS_LABEL, b.data);
	buf_release(&b);
	if (r->entry == NULL || r->entry->desc == NULL)
		return;
	/* Wrap the description on the remaining lines. */
	p = r->entry->desc;
	for (i = 2; i < h && *p != '\0'; i++) {
		n = (int)strlen(p);
		if (n > w) {
			n = w;
			while (n > 0 && p[n] != ' ')
				n--;
			if (n == 0)
				n = w;
		}
		tui_putn(y + i, x, w, TS_NORMAL, p, (size_t)n, 0, 0);
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void
mc_draw(struct tui_view *v, int y, int x, int h, int w)
{
	struct mc_view	*mv = v->data;
	int		 lh = h - MC_DESC_LINES;

	if (mv->mc == NULL) {
		tui_put(y, x, w, TS_BAD, mv->error != NULL ? mv->error :
		    "no mc");
		return;
	}
	if (lh < 3)
		lh = h;
	wlist_draw(mv->wl, y, x, lh, w);
	if (lh < h)
		mc_draw_desc(mv, y + lh, x, h - lh, w);
}

static void
mc_set_done(void *arg, const char *value)
{
	static char	 dashes[] = "--";
	char		*name = arg;
	char		*argv[3];

	/* "--": a value such as "-s" or "--help" is the value. */
	if (value != NULL) {
		argv[0] = dashes;
		argv[1] = name;
		argv[2] = (char *)value;
		tui_run_command("mc set", 3, argv);
	}
	free(name);
}

static void
mc_toggle(struct mc_row *r)
{
	static char	 on[] = "on", off[] = "off";
	char		*argv[2];

	argv[0] = r->name;
	argv[1] = r->on ? off : on;
	tui_run_command("mc feature", 2, argv);
}

static void
mc_address_done(void *arg unused, const char *addr)
{
	char	*argv[1];

	if (addr == NULL || *addr == '\0')
		return;
	argv[0] = (char *)addr;
	tui_run_command("test-address", 1, argv);
}

static int
mc_key(struct tui_view *v, int key)
{
	struct mc_view	*mv = v->data;

	return wlist_key(mv->wl, key);
}

/*
 * The editor the person chose: $VISUAL, else $EDITOR (first word the
 * program, the rest its arguments), found by searching PATH when it has
 * no slash; /usr/bin/vi when neither is set or found.
 */
static void
mc_editor(struct strv *argv)
{
	const char	*env, *path;
	struct strv	 words = STRV_INIT, dirs = STRV_INIT;
	char		*cand;
	size_t		 i;

	if ((env = getenv("VISUAL")) == NULL || *env == '\0')
		env = getenv("EDITOR");
	if (env != NULL)
		strv_split_ws(&words, env);
	if (words.n != 0 && strchr(words.v[0], '/') != NULL &&
	    access(words.v[0], X_OK) == 0)
		strv_push(argv, words.v[0]);
	else if (words.n != 0 && strchr(words.v[0], '/') == NULL &&
	    (path = getenv("PATH")) != NULL) {
		strv_split_char(&dirs, path, ':');
		for (i = 0; i < dirs.n && argv->n == 0; i++) {
			if (dirs.v[i][0] != '/')
				continue;	/* never relative to cwd */
			cand = xasprintf("%s/%s", dirs.v[i], words.v[0]);
			if (access(cand, X_OK) == 0)
				strv_push(argv, cand);
			free(cand);
		}
	}
	if (argv->n == 0) {
		strv_push(argv, MC_FALLBACK_EDITOR);
		strv_release(&words);
		strv_release(&dirs);
		return;
	}
	for (i = 1; i < words.n; i++)
		strv_push(argv, words.v[i]);
	strv_release(&words);
	strv_release(&dirs);
}

/* Run argv on the terminal, curses suspended; its exit status or -1. */
static int
mc_run_on_terminal(struct strv *argv, char **cause)
{
	pid_t	pid;
	int	status;

	def_prog_mode();
	endwin();
	if ((pid = fork()) == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		reset_prog_mode();
		return -1;
	}
	if (pid == 0) {
		execv(argv->v[0], argv->v);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	reset_prog_mode();
	refresh();
	tui_redraw();
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		*cause = xasprintf("%s did not run or was killed",
		    argv->v[0]);
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		*cause = xasprintf("%s exited with status %d; the mc is not "
		    "changed", argv->v[0], WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

/* What m4 warned about while generating, or NULL (cf-m4.h). */
static const char *
mc_m4_warning(const struct apply *a)
{
	const char	*w;
	size_t		 i;

	for (i = 0; i < a->nsteps; i++) {
		if (a->steps[i].status != APPLY_WARN ||
		    strncmp(a->steps[i].name, "generate ", 9) != 0 ||
		    a->steps[i].detail == NULL)
			continue;
		if ((w = strstr(a->steps[i].detail, "m4 warns: ")) != NULL)
			return w;
	}
	return NULL;
}

/*
 * Edit a copy of the mc (the host may be remote), then save it like any
 * mc edit (a backup set, an atomic write) and check it with m4.
 */
static void
mc_edit_raw(struct mc_view *mv)
{
	struct host		*h = tui_host();
	struct transport	*local;
	struct strv		 argv = STRV_INIT;
	struct buf		 before = BUF_INIT, after = BUF_INIT;
	struct buf		 now = BUF_INIT;
	struct write_opts	 wo;
	struct apply		*a = NULL;
	struct mc		*mc = NULL;
	const char		*warned;
	char			 tmp[] = "/tmp/smadm-mc-XXXXXX";
	char			*cause = NULL, *id = NULL;
	struct tui_op		 top;
	struct op_ctl		 ctl;
	char			*notes = NULL;
	int			 fd, lockfd = -1, keep = 0, rc;

	if (h->prof->mc == NULL)
		return;
	local = transport_local_create();
	if ((fd = mkstemp(tmp)) == -1) {
		tui_error("%s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	write_opts_init(&wo);
	wo.mode = 0600;
	if (transport_read_file(h->t, h->prof->mc, &before, MC_MAX_FILE,
	    &cause) != 0 || transport_write_file(local, tmp, before.data,
	    before.len, &wo, &cause) != 0)
		goto fail;
	mc_editor(&argv);
	strv_push(&argv, tmp);
	if (mc_run_on_terminal(&argv, &cause) != 0)
		goto fail;
	if (transport_read_file(local, tmp, &after, MC_MAX_FILE,
	    &cause) != 0)
		goto fail;
	if (after.len == before.len &&
	    memcmp(after.data, before.data, after.len) == 0) {
		tui_message("%s: not changed", h->prof->mc);
		goto out;
	}
	/*
	 * Under the configuration lock, and only if nobody changed the mc
	 * while the editor ran: otherwise one of the two edits would be lost.
	 */
	tui_op_init(&top, NULL, &ctl);
	rc = op_begin(h, "mc edit", 0, &ctl, &lockfd, &cause);
	notes = tui_op_notes(&top);
	tui_op_release(&top);
	if (rc != 0)
		goto fail;
	if (transport_read_file(h->t, h->prof->mc, &now, MC_MAX_FILE,
	    &cause) != 0)
		goto fail;
	if (now.len != before.len || memcmp(now.data, before.data,
	    now.len) != 0) {
		cause = xasprintf("%s was changed by someone else while you "
		    "edited it: not saved; your text is kept in %s",
		    h->prof->mc, tmp);
		keep = 1;
		goto fail;
	}
	mc = mc_parse(h->prof->mc, after.data, after.len);
	if (apply_save_mc(h, mc, h->prof->mc, "edit", &id, &cause) != 0)
		goto fail;
	op_end(h, lockfd);
	lockfd = -1;
	mc_load(mv);
	if (mc->warnings.n != 0) {
		tui_error("saved (backup %s), but: %s%s", id, mc->warnings.v[0],
		    mc->warnings.n > 1 ? " (and more)" : "");
		goto out;
	}
	/* What m4 says about it, without touching the cf. */
	a = apply_create(h, NULL);
	if (apply_prepare(a, APPLY_NO_VALIDATE, &cause) != 0)
		goto fail;
	/* An interrupted apply undone first is told first. */
	if (*notes != '\0')
		tui_error("%s; saved (backup %s); %zu cf lines pending", notes,
		    id, a->changed);
	else if ((warned = mc_m4_warning(a)) != NULL)
		tui_error("%s; saved (backup %s); %zu cf lines pending",
		    warned, id, a->changed);
	else
		tui_message("saved (backup %s); m4 accepts it; %zu cf lines "
		    "pending (p shows them)", id, a->changed);
	goto out;
fail:
	tui_error("%s", cause);
out:
	op_end(h, lockfd);
	free(notes);
	apply_free(a);
	mc_free(mc);
	free(cause);
	free(id);
	if (tmp[sizeof tmp - 2] != 'X' && !keep)
		unlink(tmp);
	strv_release(&argv);
	buf_release(&before);
	buf_release(&after);
	buf_release(&now);
	transport_free(local);
}

/* Pending changes: the live cf against what the mc generates now. */
static void
mc_pending(void)
{
	struct apply	*a;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	a = apply_create(tui_host(), NULL);
	if (apply_prepare(a, APPLY_NO_VALIDATE, &cause) != 0) {
		tui_error("%s", cause);
		free(cause);
		apply_free(a);
		return;
	}
	if (a->changed == 0)
		tui_message("nothing pending: the live cf is what the mc "
		    "generates");
	else if (a->acted == 0)
		tui_message("nothing pending: %s differ (%zu lines), "
		    "sendmail reads the same; smadm cf diff --all shows them",
		    diff_cf_ignored_what(a->moved, a->inl), a->changed);
	else {
		/* Drift is what sendmail reads: comments left out. */
		buf_printf(&b, "%zu entries that sendmail reads differ between "
		    "the live cf and what the mc generates (pending mc edits, "
		    "or a hand edit of the cf); comments are left out.  a "
		    "applies them.\n\n%s", a->acted, a->drift.data);
		view_text_open("Pending changes", b.data, b.len);
	}
	buf_release(&b);
	apply_free(a);
}

static void
mc_action(struct tui_view *v, int action)
{
	struct mc_view	*mv = v->data;
	struct mc_row	*r = mc_current(mv);
	char		*name;

	switch (action) {
	case MV_RELOAD:
		mc_load(mv);
		break;
	case MV_TOGGLE:
	case MV_EDIT_VALUE:
		if (r == NULL || r->kind == MR_HEADER)
			break;
		if (r->kind == MR_FEATURE)
			mc_toggle(r);
		else if (action == MV_EDIT_VALUE) {
			name = xasprintf("%s = ", r->name);
			tui_prompt(name, r->on && r->value != NULL ?
			    r->value : "", mc_set_done, xstrdup(r->name));
			free(name);
		} else
			tui_message("Enter edits the value of %s", r->name);
		break;
	case MV_UNSET:
		if (r == NULL || r->kind != MR_DEFINE || !r->on) {
			tui_error("not a define of the mc");
			break;
		}
		name = r->name;
		tui_run_command("mc unset", 1, &name);
		break;
	case MV_EDITOR:
		mc_edit_raw(mv);
		break;
	case MV_PENDING:
		mc_pending();
		break;
	case MV_APPLY:
		view_apply_open();
		break;
	case MV_BACKUPS:
		view_backups_open();
		break;
	case MV_ADDRESS:
		tui_prompt("Address: ", "", mc_address_done, NULL);
		break;
	case MV_WIZARD:
		view_wizard_open();
		break;
	}
}

static void
mc_reload(struct tui_view *v)
{
	struct mc_view	*mv = v->data;
	size_t		 cur = wlist_cursor(mv->wl);

	mc_load(mv);
	if (cur < mv->nrows)
		wlist_set_cursor(mv->wl, cur);
}

static void
mc_view_free(struct tui_view *v)
{
	struct mc_view	*mv = v->data;

	mc_clear(mv);
	mc_catalog_free(mv->cat);
	free(mv->cat_error);
	wlist_free(mv->wl);
	free(mv);
}

static const struct tui_view_ops mc_ops = {
	"mc", mc_bindings, mc_draw, mc_key, mc_action, mc_reload,
	mc_view_free
};

void
view_mc_open(void)
{
	struct mc_view	*mv;

	mv = xcalloc(1, sizeof *mv);
	mv->wl = wlist_create(&mc_wlist_ops, mv, mc_columns,
	    nitems(mc_columns), WLIST_HEADER);
	mv->cat = mc_catalog_load(tui_host(), &mv->cat_error);
	tui_view_push(&mc_ops, mv, "sendmail.mc");
	mc_load(mv);
}
