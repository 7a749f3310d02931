/*
 * tui.h -- the console: its entry point, and the small API the views use.
 *
 * The console is one poll() loop (tui.c) over the keyboard, timers and any
 * descriptors a view registers, a stack of views of which the top one owns
 * the screen, a status line and a key bar.  Views are thin: they call the
 * backend, keep what they show, and draw it with the helpers below, which
 * take care of UTF-8, unprintable bytes, truncation and colour (NO_COLOR).
 *
 * Nothing in this header needs curses, so cli/main.c can include it; only
 * the files under tui/ include <curses.h>.
 */
#ifndef SMADM_TUI_H
#define SMADM_TUI_H

#include <stddef.h>

#include "../cli/cmd.h"

/* Run the console on ctx->host until the person quits; returns exit status. */
int	tui_main(struct cmd_ctx *);

/*
 * Keys.  A key is a Unicode code point (control characters included: ^L is
 * TUI_CTRL('l'), Esc is TUI_KEY_ESC) or one of the TUI_KEY_* values above
 * the Unicode range for keys that have no character.
 */
#define TUI_CTRL(c)	((c) & 0x1f)
#define TUI_KEY_ESC	0x1b
#define TUI_KEY_ENTER	'\r'
enum {
	TUI_KEY_UP = 0x110000,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_BACKSPACE,
	TUI_KEY_DELETE,
	TUI_KEY_INSERT,
	TUI_KEY_BTAB,
	TUI_KEY_RESIZE,
	TUI_KEY_F0 = 0x110100		/* TUI_KEY_F0 + n is Fn */
};
#define TUI_KEY_F(n)	(TUI_KEY_F0 + (n))

/* A short printable name for a key: "q", "^L", "Esc", "PgDn", "F1". */
const char	*tui_key_name(int);

/*
 * Styles: what a piece of text is, not how it looks.  tui.c maps them to
 * colours, or to bold/reverse/underline only when colour is off (NO_COLOR
 * set and not empty, or a terminal without colours).
 */
enum tui_style {
	TS_NORMAL,
	TS_TITLE,		/* the top bar */
	TS_HEADER,		/* column titles, section headings */
	TS_LABEL,		/* "Daemon", "Host": field names */
	TS_CURSOR,		/* the selected row of a list */
	TS_TAGGED,		/* a tagged row */
	TS_GOOD,		/* running, no problems */
	TS_WARN,
	TS_BAD,			/* stopped, missing, failed */
	TS_DIM,
	TS_KEY,			/* key bar: the key */
	TS_KEYLABEL,		/* key bar: what it does */
	TS_MESSAGE,		/* status line: information */
	TS_ERROR,		/* status line: an error */
	TS_DIALOG,		/* confirmation box */
	TS_MATCH,		/* search hit */
	TS_NSTYLES
};

/*
 * Drawing.  Coordinates are screen cells; w is the width available.  Text
 * is UTF-8 from anywhere (file names, logs): control characters, C1 and
 * invalid bytes are shown escaped as the CLI shows them (\x1b, \u009b,
 * \xff; backend/safe-text.h), and nothing wider than w is drawn.
 * Each returns the number of cells it used.
 */
#define TUI_ELLIPSIS	0x01	/* too long: end with an ellipsis */
#define TUI_LEFT	0x02	/* too long: keep the end, "...tail" (paths) */
#define TUI_RIGHT	0x04	/* align to the right edge of w */
#define TUI_PAD		0x08	/* fill the rest of w with spaces */
int	tui_put(int, int, int, int, const char *);
int	tui_putn(int, int, int, int, const char *, size_t, int, int);
int	tui_putf(int, int, int, int, const char *, ...) printflike(5, 6);
void	tui_fill(int, int, int, int);
/* Cells the text would take (as tui_put would draw it). */
int	tui_width(const char *, size_t);
/* Screen size. */
int	tui_lines(void);
int	tui_cols(void);

/*
 * Key bindings.  A key is bound either to a command of the command table,
 * by name (run with its output captured; absent commands are reported,
 * not fatal), or to an action number the view's action callback handles.
 * Tables end with a zero key.  The key bar shows entries with a label;
 * the help screen shows them all.
 */
struct tui_binding {
	int		 key;
	const char	*label;		/* key bar label, or NULL */
	const char	*command;	/* cmd_table name, or NULL */
	int		 action;	/* when command is NULL */
	const char	*help;		/* for actions: what the key does */
};

/*
 * Views.  The top view of the stack gets the screen between the title bar
 * and the status line, and the keys: its key callback first (return 1 when
 * handled), then its bindings, then the console's own (?, q, Esc, :, ^L).
 */
struct tui_view;
struct tui_view_ops {
	const char			*name;		/* "dashboard" */
	const struct tui_binding	*bindings;
	void	(*draw)(struct tui_view *, int, int, int, int); /* y x h w */
	int	(*key)(struct tui_view *, int);
	void	(*action)(struct tui_view *, int);
	void	(*reload)(struct tui_view *);	/* from the backend */
	void	(*free)(struct tui_view *);	/* release data, timers, fds */
};
struct tui_view {
	const struct tui_view_ops	*ops;
	void				*data;
	char				*title;
	struct tui_view			*below;	/* next down the stack */
};

/* Push a new view (it becomes the top); title is copied. */
struct tui_view	*tui_view_push(const struct tui_view_ops *, void *,
		    const char *);
/* Pop and free the top view; the one below is refreshed. */
void		 tui_view_pop(void);
struct tui_view	*tui_view_top(void);
void		 tui_view_set_title(struct tui_view *, const char *);

/* Ask for a redraw at the end of this loop iteration. */
void	tui_redraw(void);
/* The host the console was started on. */
struct host	*tui_host(void);
/*
 * Manage another host from now on: the views above the dashboard close,
 * the old host is freed and the views left reload, once the current key
 * has been handled.  The console takes ownership of h.
 */
void	tui_switch_host(struct host *);
/*
 * How many times the host has changed.  A view that outlives a switch
 * (the dashboard) keeps the generation its host-dependent data was read
 * for, and drops and rebuilds that data when this differs.
 */
unsigned long	tui_host_generation(void);
/* How -H connected (for other hosts), or NULL. */
const struct ssh_opts *tui_ssh_opts(void);
/* The smadm binary (absolute path), for its templates. */
const char	*tui_self(void);

/*
 * Status line: a message or an error, kept until the next key.  Called on
 * a job's worker (an SSH notice while it reconnects), the text becomes a
 * note of the job instead (job.h).
 */
void	tui_message(const char *, ...) printflike(1, 2);
void	tui_error(const char *, ...) printflike(1, 2);
void	tui_message_clear(void);
/* The console's command context: the host, -r, -H, how to ask. */
const struct cmd_ctx *tui_cmd_ctx(void);

/*
 * exec.c: run a command of the table by name with extra arguments, as the
 * CLI would, but as a job (job.h: progress in the status line, Esc
 * cancels, one at a time) with the console's confirmation dialog and its
 * output captured: when it ends, one line goes to the status line, more
 * to a text view, the error to the status line.  Only CMD_QUICK commands
 * run at once.  Returns -1 when there is no such command, 1 when it could
 * not start (a job runs already: the status line says which), else 0 or
 * the exit status of a command run at once.
 */
int	tui_run_command(const char *, int, char **);
/* Parse a line typed after ":" into words and run it as above. */
int	tui_run_line(const char *);

/*
 * The loop.  Descriptors are polled for input and the callback gets
 * poll(2)'s revents; on POLLHUP or POLLERR it must remove the descriptor
 * (or it is called again at once).  Timers repeat every ms milliseconds
 * until removed.  Removing either from inside any callback is allowed;
 * the memory is freed by the loop afterwards.  A view removes its own in
 * its free callback.
 */
struct tui_fd;
struct tui_timer;
typedef void	(*tui_fd_cb)(int, int, void *);
typedef void	(*tui_timer_cb)(void *);
struct tui_fd	 *tui_add_fd(int, tui_fd_cb, void *);
void		  tui_remove_fd(struct tui_fd *);
/* A descriptor polled even while a job runs (job.c's pipe). */
struct tui_fd	 *tui_add_fd_busy(int, tui_fd_cb, void *);
struct tui_timer *tui_add_timer(int, tui_timer_cb, void *);
void		  tui_remove_timer(struct tui_timer *);

/*
 * prompt.c: line input in the status line (UTF-8), without stopping the
 * loop; cb gets the text, or NULL when cancelled (Esc, ^G).  Only one
 * prompt at a time: a new one cancels the old.
 */
typedef void	(*tui_prompt_cb)(void *, const char *);
void	tui_prompt(const char *, const char *, tui_prompt_cb, void *);
int	tui_prompt_active(void);
/* Feed a key to the prompt; 1 if it took it. */
int	tui_prompt_key(int);
/* Draw the prompt on row y; returns 0 when no prompt is active. */
int	tui_prompt_draw(int, int);
void	tui_prompt_cancel(void);
/* Modal yes/no dialog (default no).  1 yes, 0 no or interrupted. */
int	tui_confirm(const char *);

/* The console's own keys (?, q, Esc, :, ^L), for the help screen. */
extern const struct tui_binding	tui_global_bindings[];

/*
 * Internal to the files of tui/.  tui_wait_key() waits for one key while
 * handling signals and resizes (for modal dialogs); -1 when the console
 * must stop.  tui_draw_frame() draws everything into the curses buffer;
 * tui_update() puts it on the terminal.
 */
int	tui_wait_key(void);
void	tui_draw_frame(void);
void	tui_update(void);
void	tui_styles_init(int);
void	tui_styles_free(void);
void	tui_set_style(int);

/* The views that exist so far. */
void	view_dashboard_open(void);
void	view_help_open(struct tui_view *);
void	view_text_open(const char *, const char *, size_t);
/*
 * The pager with a view's own keys: bindings (shown in the key bar; the
 * pager's keys still work) and action(view, arg, action) for them.  arg
 * is given to arg_free (when not NULL) when the view goes.
 * view_text_replace() puts new text in such a view (or a plain one).
 */
typedef void	(*view_text_action_cb)(struct tui_view *, void *, int);
struct tui_view	*view_text_open_actions(const char *, const char *, size_t,
		    const struct tui_binding *, view_text_action_cb, void *,
		    void (*)(void *));
void		 view_text_replace(struct tui_view *, const char *, size_t);
struct table_def;
void	view_maps_open(void);
void	view_queue_open(void);
void	view_queue_open_filter(const char *);
void	view_map_open(const struct table_def *, const char *);
void	view_log_open(void);
void	view_daemon_open(void);
void	view_mc_open(void);
void	view_backups_open(void);
void	view_hosts_open(void);
void	view_apply_open(void);
void	view_wizard_open(void);
void	view_audit_open(void);

#endif
