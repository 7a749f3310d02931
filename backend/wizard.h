/*
 * wizard.h -- an mc and its tables from a role template and answers.
 *
 * Answers are "key = value" lines (# comments):
 *	role		nullclient, local, gateway or smarthost (required)
 *	hostname	fully qualified host name (required)
 *	domain		mail domain [hostname without its first label]
 *	local_domains	more names for local-host-names (blanks or commas)
 *	relay_nets	networks allowed to relay: access "Connect:NET RELAY"
 *	smart_host	mailer:host (required for nullclient and smarthost)
 *	masquerade_as	[domain]
 *	listen_addr	[127.0.0.1]	smtp_port [smtp]	ostype [debian]
 *	def_user	[mail:mail]	run_as_user [smmta:smmsp]
 *	max_children	[40]		rate_throttle [10]	log_level [9]
 *	define.NAME	an extra define(`NAME', `value') in the mc
 *	mailertable	"DOMAIN MAILER:HOST", one entry per line (repeatable)
 *	relay_to	"DOMAIN HOST": mailertable "DOMAIN smtp:[HOST]"
 *	virtusertable	"ADDRESS TARGET", one entry per line (repeatable)
 *	test_port	the test drive's port on 127.0.0.1 [the profile's]
 * Roles whose mc has FEATURE(`mailertable') or FEATURE(`virtusertable')
 * get that table written (empty but for a comment when no entries are
 * given); entries for a role without the feature are an error, and so
 * are entries (or relay_nets) for a table the profile names no file for.
 * A key given twice is an error naming both lines, but for the table keys
 * (mailertable, virtusertable, relay_to), which repeat; one of their keys
 * twice with two targets is an error.  Answers the role does not use get
 * a note (wizard_out's notes).  A mailertable or virtusertable of the
 * host with entries keeps its FEATURE in the role's mc (wizard_generate),
 * with a note, but for a nullclient, which only gets the note.
 * The template's @PLACEHOLDERS@ are described in templates/roles/README.
 */
#ifndef SMADM_WIZARD_H
#define SMADM_WIZARD_H

#include "host.h"
#include "util.h"

struct wizard_out {
	struct buf	mc;
	struct buf	local_host_names;
	struct buf	access;		/* empty for nullclient */
	struct buf	mailertable;	/* when need_mailertable */
	struct buf	virtusertable;	/* when need_virtusertable */
	int		need_mailertable;
	int		need_virtusertable;
	struct strv	notes;		/* for the plan: FEATUREs kept for
					   the host's tables, or dropped */

	/* Defaults for smtp_port and listen_addr (NULL: smtp, 127.0.0.1);
	 * wizard_generate sets them from the profile's listen. */
	const char	*def_port;
	const char	*def_addr;
};

void	wizard_out_init(struct wizard_out *);
void	wizard_out_release(struct wizard_out *);

/*
 * Fill the role template (text of templates/roles/ROLE.mc, read by the
 * caller; *role gets the role name first through wizard_role) from the
 * answers.  mail_dir is where the maps live.  Errors name FILE:LINE.
 */
int	wizard_role(const char *, size_t, const char *, char **, char **);
/* The answers' test_port (0 when there is none); errors name FILE:LINE. */
int	wizard_test_port(const char *, size_t, const char *, int *, char **);
/* One answer checked as wizard_build checks it (host names, numbers,
 * relay_nets...), for the console to ask again at once; *cause without
 * FILE:LINE. */
int	wizard_answer_check(const char *, const char *, char **);
/* *line: the line of the answers' first KEY, or 0 when there is none. */
int	wizard_answer_line(const char *, size_t, const char *, const char *,
	    size_t *, char **);
int	wizard_build(const char *, size_t, const char *, const char *,
	    size_t, const char *, struct wizard_out *, char **);

/*
 * The whole of it for a host: read the answers' role, the role template
 * from tdir/roles/ROLE.mc (on the local machine), and fill it in with the
 * host's map directory.  *role and *tpath get the role and the template
 * path (heap strings, also on failure when known).
 */
int	wizard_generate(struct host *, const char *, const char *, size_t,
	    const char *, char **, char **, struct wizard_out *, char **);

/*
 * The profile's places kept in a generated mc (wizard-profile.c).  From
 * the host's current mc (cur, or NULL): the defines that say where things
 * are (QUEUE_DIR, confPID_FILE, ALIAS_FILE, STATUS_FILE, the class files,
 * the mailers' paths and arguments...) when the role does not set them,
 * with their undefines and FEATURE(`smrsh')'s program; for a sandbox
 * every define of its mc but SMART_HOST.  Then the profile's own values
 * win: QUEUE_DIR (one queue directory), confPID_FILE, ALIAS_FILE, the
 * class files and the map FEATUREs' files where the profile puts the
 * tables outside the stock /etc/mail paths.  The port and address come
 * in earlier, as wizard_out's defaults (wizard_profile_port and _addr:
 * heap strings from listen = ADDR:PORT, or NULL).
 */
int	wizard_profile_mc(const struct profile *, const char *, size_t,
	    struct buf *, char **);
char	*wizard_profile_port(const struct profile *);
char	*wizard_profile_addr(const struct profile *);

/*
 * The files the wizard writes on a host: parallel vectors of backup roles
 * ("mc", "local_host_names", "access", "mailertable",
 * "virtusertable"), paths, and the texts (pointers
 * into o).  Tables the profile has no path for are left out.
 */
void	wizard_files(struct host *, const struct wizard_out *, struct strv *,
	    struct strv *, const struct buf **);
#define WIZARD_MAX_FILES	5

/*
 * What the wizard's files become on the host (wizard-merge.c).  Each file
 * of wizard_files is read through the host's transport (a missing one is
 * empty).  The mc is replaced by the role's: the role decides it.  A table
 * keeps every line it has, comments and order included, and gets at its
 * end (after the role's header comment) only the role's entries whose key
 * it lacks; keys compare as sendmail looks them up (table_find: ASCII case
 * ignored, "Connect:127.0.0.1" and "127.0.0.1" differ).  A key already
 * there with another value keeps the admin's value and gets a note
 * ("PATH:LINE: KEY is already there with ...: kept"), never a second
 * entry nor an overwrite.  So a second run with the same answers changes
 * nothing.
 */
struct wizard_merge_file {
	char		*role;		/* backup role: "mc", "access"... */
	char		*path;
	int		 existed;
	struct buf	 old;		/* the file as it is (empty if not) */
	struct buf	 text;		/* what the wizard would write */
	size_t		 kept;		/* tables: entries of the old file */
	size_t		 added;		/* the role's entries appended */
	size_t		 same;		/* the role's entries already there */
	struct strv	 notes;		/* values kept that the role would
					   have written otherwise */
};
struct wizard_merge {
	struct wizard_merge_file v[WIZARD_MAX_FILES];
	size_t			 n;
};
void	wizard_merge_init(struct wizard_merge *);
void	wizard_merge_release(struct wizard_merge *);
/* -1 with *cause when a file cannot be read or is not a regular file. */
int	wizard_merge_read(struct host *, const struct wizard_out *,
	    struct wizard_merge *, char **);
/* Would writing f change the host (new file, or other bytes)? */
int	wizard_merge_changes(const struct wizard_merge_file *);
/*
 * For each file: "==> PATH <== " and what happens to it (the mc replaced;
 * a table's "N entries kept, M added"), its notes, then a unified diff
 * of the file as it is against what would be written, or "(no change)".
 */
void	wizard_merge_format(const struct wizard_merge *, struct buf *);

/*
 * The test drive (wizard-drive.c): the role's mc adapted to a sandbox and
 * run there.  wizard_drive_mc makes the adapted mc: the role's features
 * and hardening defines stay; OSTYPE, the undefines and every other
 * define of the sandbox's mc (paths, identity, service switch, mailers to
 * the dead port, SMART_HOST) are taken from the sandbox, DAEMON_OPTIONS
 * becomes the sandbox's loopback one, no_default_msa is on, confRUN_AS_USER
 * goes, and the map FEATUREs the role has point at the sandbox's maps.
 */
int	wizard_drive_mc(const char *, size_t, const char *, size_t,
	    struct buf *, char **);

struct apply_hooks;
struct wizard_drive_opts {
	const char			*self;		/* smadm, absolute */
	const char			*templates;	/* template dir */
	const struct apply_hooks	*hooks;		/* map builds */
	const char			*tmpdir;	/* NULL: /tmp */
	int				 timeout;	/* delivery wait, s */
	int				 port;		/* 0: a free one */
	int				 port_default;	/* port is the
							   profile's: a free one
							   when it is taken */
};

/*
 * Create a sandbox on loopback ports (local machine: opts' port, or a
 * free one; a port asked for that something listens on is an error, the
 * profile's port taken is replaced by a free one, said in report) with the
 * role's host name, install the adapted mc and the wizard's tables, build
 * and validate the cf and maps, start the daemon, send one message to
 * root@HOSTNAME over SMTP on 127.0.0.1, wait for it to be delivered into
 * the sandbox mailbox or to be logged (queued, deferred), then stop the
 * daemon and remove the sandbox -- also when a step fails.  report gets
 * one line (or a few) per step.  Returns 0 when the message was accepted
 * and delivered, 1 when accepted but not delivered (queued), -1 with
 * *cause when a step failed.
 */
int	wizard_drive(const struct wizard_drive_opts *, const struct wizard_out *,
	    struct buf *, char **);

#endif
