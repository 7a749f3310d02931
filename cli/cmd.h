/*
 * cmd.h -- the command table.
 *
 * Every operation of smadm is one entry here.  The CLI dispatches argv to
 * an entry; the console binds keys to entry names and runs the same exec
 * function with its output captured; "smadm help", the console's help
 * screen and the COMMANDS section of smadm.8 are generated from the table.
 */
#ifndef SMADM_CMD_H
#define SMADM_CMD_H

#include <stdio.h>

#include "../backend/host.h"

#define CMD_WRITES	0x01	/* changes files on the host */
#define CMD_ROOT	0x02	/* needs root on the host */
#define CMD_CONFIRM	0x04	/* destroys or interrupts: asks first */
#define CMD_NOHOST	0x08	/* runs without opening a host profile */
#define CMD_HIDDEN	0x10	/* internal; not listed in help */
#define CMD_JSON	0x20	/* accepts --json */
#define CMD_RAW		0x40	/* output passed on as it is (see below) */
#define CMD_OWNLOCK	0x80	/* an operation (backend/op.h) that takes
				   the lock and recovers by itself */
#define CMD_OPTS_FIRST	0x100	/* options only before the first word */
#define CMD_OWN_ARGS	0x200	/* exec reads its words itself (internal) */
#define CMD_QUICK	0x400	/* reads only the command table: no host,
				   no files, no programs (the console runs
				   it at once, even while a job runs) */

struct cmd_ctx;
struct op_ctl;

/*
 * The option grammar of a command, as tmux's args templates: an array
 * ended by { 0 }.  cmd_run() parses the words once against it: -C (unless
 * CMD_OPT_LONG) and --NAME (or an unambiguous start of it), ARG given as
 * -CARG, -C ARG, --NAME=ARG or --NAME ARG; short flags cluster (-an).
 * Options may come anywhere among the words, and "--" ends them; with
 * CMD_OPTS_FIRST, only before the first word: after it, a word that
 * would be an option of the command or of smadm is refused (it is not
 * taken as data; after "--" it is).  For a CMD_JSON command --json is
 * an option wherever it stands before "--"; so is --help (and -h where
 * the command has no -h) for every command.  The words after the
 * options are counted against the usage (args): one too many is named.
 * The help,
 * usage lines, smadm.8 and the shell completion are generated from it.
 */
struct cmd_opt {
	int		 ch;		/* the key, and -CH */
	const char	*name;		/* --NAME */
	const char	*arg;		/* the argument's name, NULL: a flag */
	const char	*help;
	int		 flags;
};
#define CMD_OPT_LONG	0x1		/* no -CH, only --NAME */

/* What cmd_run() parsed: the options in order, then the other words. */
struct cmd_args_value {
	const struct cmd_opt	*opt;
	const char		*value;	/* NULL for a flag */
};
struct cmd_args {
	struct cmd_args_value	*v;
	size_t			 n;
	char			**words;	/* words[0]: the command's
						   last name word */
	int			 nwords;
	int			 json;		/* --json was given */
	int			 help;		/* --help (or -h): show the
						   command's help instead */
};

/*
 * Ask the person before a destructive step.  Returns 1 to go ahead, 0 when
 * the answer is no, -1 when nobody can be asked (no terminal and no --yes);
 * in the last two cases *cause says why.
 */
typedef int (*cmd_confirm_cb)(struct cmd_ctx *, const char *, char **);

struct cmd_ctx {
	struct host	*host;		/* NULL for CMD_NOHOST commands */
	const char	*root;		/* -r DIR as given, or NULL */
	const char	*remote;	/* -H [user@]host[:port], or NULL */
	const struct ssh_opts *ssh;	/* how to connect (-H, fleet) */
	char		*self;		/* absolute path of this smadm binary */
	FILE		*out;		/* results go here (stdout, or a
					   memory stream in the console) */
	FILE		*err;		/* warnings (cmd_warning); NULL:
					   stderr */
	int		 yes;		/* --yes: confirmations answered */
	int		 json;		/* --json */
	int		 interactive;	/* a person can be asked */
	cmd_confirm_cb	 confirm;
	void		*confirm_arg;
	char		*error;		/* set by cmd_error(); freed by caller */
	/*
	 * Set by the console while curses owns the terminal: (1) gives the
	 * terminal back for a question asked on it (an SSH password or
	 * passphrase), (0) takes it again and redraws.  -1 from (1): the
	 * terminal cannot be lent now (asked from the console's worker
	 * thread, tui/job.h), so nothing may be asked.
	 */
	int		(*lend_terminal)(int);
	/*
	 * Who runs the command, when it is not the command line: progress
	 * and notes of the operations the command runs go on to it, and its
	 * cancelled is polled between their items (cmd_op_ctl).  The
	 * console's job (tui/job.h) sets it; NULL on the command line.
	 */
	const struct op_ctl *op;
	/* A note from connecting, shown again when the console starts. */
	char		*note;
	/* The options of the running command (cmd_run), or NULL. */
	const struct cmd_args *args;
};

struct cmd_entry {
	const char	*name;		/* words: "daemon start" */
	const char	*args;		/* usage after the name */
	const char	*summary;	/* one line */
	const char	*help;		/* paragraphs for help and smadm.8 */
	int		 flags;
	/*
	 * Called with argv[0] the last word of the name and then the words
	 * that are not options (ctx->args holds the options).
	 */
	int		(*exec)(struct cmd_ctx *, int, char **);
	const struct cmd_opt *opts;	/* NULL: no options */
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Find the entry whose name matches the longest run of leading words of
 * argv; *used is set to the number of words matched.  NULL if none.
 */
const struct cmd_entry	*cmd_find(int, char **, int *);
const struct cmd_entry	*cmd_lookup(const char *);
/*
 * Why cmd_find() found nothing in argv: 'unknown command "x" (HINT)',
 * "map: needs a subcommand: list, show, ..." or 'unknown map subcommand
 * "x"; map has: ...'.  The text stays valid until the next call.
 */
const char		*cmd_find_error(int, char **, const char *);
/* The next words of the names "GROUP ...": "show, fix"; "" if none. */
char			*cmd_group_words(const char *);
/*
 * error without the "NAME: " of ce that starts it, for a caller that
 * puts the name before it itself (the console's status line).
 */
const char		*cmd_error_bare(const struct cmd_entry *, const char *);

/*
 * Parse argv (argv[0] the last word of the name) against the entry's
 * template into args; -1 with *cause ("queue list: unknown option -x;
 * usage: ...") on a mistake.  args->words point into argv.
 */
int	cmd_args_parse(const struct cmd_entry *, int, char **,
	    struct cmd_args *, char **);
void	cmd_args_release(struct cmd_args *);
/* "NAME: --json is not supported; usage: ..." for a command without it. */
char	*cmd_args_no_json(const struct cmd_entry *);
/* How many times the option with key ch was given. */
int	cmd_args_has(const struct cmd_ctx *, int);
/* The value of the last ch option given, or NULL. */
const char *cmd_args_get(const struct cmd_ctx *, int);
/*
 * The options in the order given: the key of the *i-th (then advanced)
 * with its value, or -1 after the last.
 */
int	cmd_args_next(const struct cmd_ctx *, size_t *, const char **);
/* "[--sort KEY] ... QID...": the options not named in args, then args. */
char	*cmd_synopsis(const struct cmd_entry *);
/* smadm's own options, before the command (for help and completion). */
extern const struct cmd_opt	cmd_global_opts[];
/* "-s, --sort KEY" (blanks for a missing -C), for help's columns. */
char	*cmd_opt_left(const struct cmd_opt *);

/* Run an entry: host checks, then exec.  Returns the exit status. */
int	cmd_run(const struct cmd_entry *, struct cmd_ctx *, int, char **);

/* Record a failure message for the caller to show; returns 1. */
int	cmd_error(struct cmd_ctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Usage error: records "usage: smadm NAME ARGS"; returns 2. */
int	cmd_usage(struct cmd_ctx *, const struct cmd_entry *);
/* Take ownership of a cause string as the error; returns 1. */
int	cmd_fail_cause(struct cmd_ctx *, char *);
/* Ask before a destructive step (see cmd_confirm_cb); 1 means go ahead. */
int	cmd_confirm(struct cmd_ctx *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * What a command prints is escaped for the terminal (backend/safe-text.h,
 * keeping LF and TAB): cmd_run() hands exec a stream made by
 * cmd_safe_stream() over ctx->out, except with --json (JSON escaping
 * applies) and for CMD_RAW entries, whose help says that they pass bytes
 * on unchanged.  The stream writes to under, which fclose() leaves open;
 * a failed write to under is reported by fflush() and ferror().
 */
FILE	*cmd_safe_stream(FILE *);
/*
 * "smadm: warning: TEXT" on ctx->err (NULL: stderr), TEXT escaped (it
 * quotes files).
 */
void	 cmd_warning(struct cmd_ctx *, const char *);
/* "smadm: TEXT" on f, TEXT escaped: the final error of the CLI. */
void	 cmd_print_cause(FILE *, const char *);

/* Output helpers for --json. */
void	json_string(FILE *, const char *);
/* s as a JSON string, or null when s is NULL. */
void	json_string_or_null(FILE *, const char *);
void	json_buf_string(struct buf *, const char *);

/* help output, shared by "smadm help" and the console's help screen. */
void	cmd_help_list(FILE *, int);
void	cmd_help_one(FILE *, const struct cmd_entry *);
/* The commands "GROUP ..." with their summaries; how many there are. */
int	cmd_help_group(FILE *, const char *);
void	cmd_help_man(FILE *);
/* A completion script for "bash" or "zsh"; -1 for another shell. */
int	cmd_completion(FILE *, const char *);

/* Entries, defined next to their exec functions. */
extern const struct cmd_entry	cmd_help_entry;
extern const struct cmd_entry	cmd_version_entry;
extern const struct cmd_entry	cmd_completion_entry;
extern const struct cmd_entry	cmd_status_entry;
extern const struct cmd_entry	cmd_map_build_entry;
extern const struct cmd_entry	cmd_map_lookup_entry;
extern const struct cmd_entry	cmd_map_dump_entry;
extern const struct cmd_entry	cmd_map_list_entry;
extern const struct cmd_entry	cmd_map_show_entry;
extern const struct cmd_entry	cmd_map_set_entry;
extern const struct cmd_entry	cmd_map_del_entry;
extern const struct cmd_entry	cmd_map_rename_entry;
extern const struct cmd_entry	cmd_map_comment_entry;
extern const struct cmd_entry	cmd_map_check_entry;

extern const struct cmd_entry	cmd_daemon_start_entry;
extern const struct cmd_entry	cmd_daemon_stop_entry;
extern const struct cmd_entry	cmd_daemon_status_entry;
extern const struct cmd_entry	cmd_daemon_reload_entry;
extern const struct cmd_entry	cmd_daemon_restart_entry;
extern const struct cmd_entry	cmd_log_tail_entry;
extern const struct cmd_entry	cmd_log_trace_entry;
extern const struct cmd_entry	cmd_log_search_entry;
extern const struct cmd_entry	cmd_loglevel_entry;
extern const struct cmd_entry	cmd_sandbox_create_entry;
extern const struct cmd_entry	cmd_sandbox_destroy_entry;
extern const struct cmd_entry	cmd_sandbox_exec_entry;
extern const struct cmd_entry	cmd_sandbox_deliver_entry;
extern const struct cmd_entry	cmd_sandbox_logd_entry;
extern const struct cmd_entry	cmd_queue_list_entry;
extern const struct cmd_entry	cmd_queue_show_entry;
extern const struct cmd_entry	cmd_queue_summary_entry;
extern const struct cmd_entry	cmd_queue_hold_entry;
extern const struct cmd_entry	cmd_queue_release_entry;
extern const struct cmd_entry	cmd_queue_delete_entry;
extern const struct cmd_entry	cmd_queue_flush_entry;
extern const struct cmd_entry	cmd_queue_bounce_entry;
extern const struct cmd_entry	cmd_remote_entry, cmd_fleet_status_entry;

/* The daemon part of "status" and "daemon status" (text or JSON). */
struct daemon_status;
void	cmd_daemon_show(FILE *, struct host *, const struct daemon_status *,
	    int);

/* cmd-mc.c, cmd-cf.c, cmd-apply.c */
extern const struct cmd_entry	cmd_mc_show_entry, cmd_mc_get_entry,
				cmd_mc_set_entry, cmd_mc_unset_entry,
				cmd_mc_feature_entry, cmd_cf_build_entry,
				cmd_cf_check_entry, cmd_cf_diff_entry,
				cmd_cf_install_entry, cmd_apply_entry,
				cmd_backups_entry, cmd_backups_prune_entry,
				cmd_rollback_entry,
				cmd_wizard_entry, cmd_test_address_entry;

/* cmd-audit.c */
extern const struct cmd_entry	cmd_audit_entry, cmd_audit_show_entry,
				cmd_audit_fix_entry;

#endif
