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

struct cmd_ctx;

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
	int		 yes;		/* --yes: confirmations answered */
	int		 json;		/* --json */
	int		 interactive;	/* a person can be asked */
	cmd_confirm_cb	 confirm;
	void		*confirm_arg;
	char		*error;		/* set by cmd_error(); freed by caller */
	/*
	 * Set by the console while curses owns the terminal: (1) gives the
	 * terminal back for a question asked on it (an SSH password or
	 * passphrase), (0) takes it again and redraws.
	 */
	void		(*lend_terminal)(int);
	/* A note from connecting, shown again when the console starts. */
	char		*note;
};

struct cmd_entry {
	const char	*name;		/* words: "daemon start" */
	const char	*args;		/* usage after the name */
	const char	*summary;	/* one line */
	const char	*help;		/* paragraphs for help and smadm.8 */
	int		 flags;
	int		(*exec)(struct cmd_ctx *, int, char **);
};

extern const struct cmd_entry *const cmd_table[];

/*
 * Find the entry whose name matches the longest run of leading words of
 * argv; *used is set to the number of words matched.  NULL if none.
 */
const struct cmd_entry	*cmd_find(int, char **, int *);
const struct cmd_entry	*cmd_lookup(const char *);

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
/* "smadm: warning: TEXT" on stderr, TEXT escaped (it quotes files). */
void	 cmd_warning(const char *);
/* "smadm: TEXT" on f, TEXT escaped: the final error of the CLI. */
void	 cmd_print_cause(FILE *, const char *);

/* Output helpers for --json. */
void	json_string(FILE *, const char *);
void	json_buf_string(struct buf *, const char *);

/* help output, shared by "smadm help" and the console's help screen. */
void	cmd_help_list(FILE *, int);
void	cmd_help_one(FILE *, const struct cmd_entry *);
void	cmd_help_man(FILE *);

/* Entries, defined next to their exec functions. */
extern const struct cmd_entry	cmd_help_entry;
extern const struct cmd_entry	cmd_version_entry;
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
