/*
 * audit.h -- the security audit: sendmail's hardening checklist applied to
 * one host, each finding explained, and fixes through the apply pipeline.
 *
 * What is read, all through the host's transport (so it works the same
 * over SSH): the live cf (what sendmail really uses), the mc (what a fix
 * edits), the aliases and :include: files, the access map's text, the
 * trusted-users class file, /etc/passwd, /etc/shells, and the mode and
 * owner of the files and directories sendmail trusts.  The sendmail
 * binary is run once (-d0.1 -bt, in the sandbox namespace for a sandbox)
 * for its version.
 *
 * A finding is a check that failed; with AUDIT_ALL the checks that passed
 * are kept too (passed set).  Nothing here prints: the CLI and the console
 * format the structs.
 *
 * Live verification (audit-live.c) talks SMTP to the running daemon:
 * banner, EXPN, VRFY, MAIL before HELO, and RCPT to an outside domain
 * (never DATA) from the client address the caller has.  The probe's
 * socket is opened where smadm runs, not through the transport: for a
 * remote host the address must be reachable from here.
 */
#ifndef SMADM_AUDIT_H
#define SMADM_AUDIT_H

#include "apply.h"
#include "host.h"
#include "util.h"

enum audit_severity {
	AUDIT_INFO,
	AUDIT_LOW,
	AUDIT_MEDIUM,
	AUDIT_HIGH
};

enum audit_fix_kind {
	AUDIT_FIX_NONE,		/* by hand; fix_text says how */
	AUDIT_FIX_DEFINE,	/* define(name, value) in the mc; value NULL:
				   remove the define */
	AUDIT_FIX_FEATURE,	/* FEATURE(name[, arg]) on or off */
	AUDIT_FIX_PRIVACY,	/* add the word fix_value to
				   confPRIVACY_FLAGS, keeping the others */
	AUDIT_FIX_MODE,		/* chmod (and chown when set_owner) */
	AUDIT_FIX_ACCESS	/* comment out an access entry, rebuild */
};

struct audit_finding {
	char			*id;		/* "privacy-noexpn" */
	enum audit_severity	 severity;
	int			 passed;	/* AUDIT_ALL: the check passed */
	char			*title;		/* one line */
	char			*current;	/* the value found */
	char			*why;		/* why it matters */
	char			*fix_text;	/* what the fix does */

	enum audit_fix_kind	 fix;
	char			*fix_name;	/* define, feature, path, key */
	char			*fix_value;	/* define value, feature arg */
	int			 fix_on;	/* FEATURE: 1 on, 0 off */
	mode_t			 fix_mode;	/* AUDIT_FIX_MODE */
	int			 fix_chown;	/* also chown to uid:gid */
	uid_t			 fix_uid;
	gid_t			 fix_gid;
};

struct audit {
	struct audit_finding	*v;
	size_t			 n;
	char			*role;		/* nullclient, local... */
	char			*role_why;	/* how the role was inferred */
	int			 internet;	/* listens beyond loopback */
	char			*version;	/* "8.17.1.9", or NULL */
	struct strv		 notes;		/* what could not be read */
	int			 live;		/* live probes ran */
};

#define AUDIT_ALL	0x1	/* keep the passed checks too */
#define AUDIT_NO_VERSION 0x2	/* skip the version check: it runs sendmail */

#define AUDIT_VERSION_TIMEOUT	30000	/* ms for sendmail -bt -d0.1 */

/*
 * Run the static checks.  Fails only when the cf cannot be read; anything
 * else that is missing becomes a note.  Findings are sorted by severity,
 * worst first, then by id.
 */
int	audit_run(struct host *, int, struct audit **, char **);
/*
 * The same checks on a cf given as text (a generated one, before it is
 * installed: apply runs it so that what the mc really does is seen).
 */
int	audit_run_cf(struct host *, const char *, size_t, int,
	    struct audit **, char **);
void	audit_free(struct audit *);
/*
 * The version check alone, for callers that run it apart from the rest
 * (it runs sendmail, which can stall for long on name resolution):
 * audit_version_read() runs "sendmail -bt -d0.1" with a timeout in ms
 * and gives the version it names; audit_version_add() adds the finding
 * to a, keeping a passed one only with AUDIT_ALL in flags.
 */
int	audit_version_read(struct host *, int, char **, char **);
void	audit_version_add(struct audit *, int, const char *);

const struct audit_finding *audit_find(const struct audit *, const char *);
const char	*audit_severity_name(enum audit_severity);
/* The worst severity among failed checks, or -1 when none failed. */
int		 audit_worst(const struct audit *);
/* 100 minus 25 per high, 10 per medium, 3 per low finding (at least 0). */
int		 audit_score(const struct audit *);
/* Count failed findings of one severity. */
size_t		 audit_count(const struct audit *, enum audit_severity);
/* Sort worst first (after adding findings). */
void		 audit_sort(struct audit *);

/*
 * Live probes.  addr is an IPv4 literal, port the daemon's; source, when
 * not NULL, is the local address to connect from.  relay_client says the
 * caller knows this client may relay (loopback usually is): the relay
 * probe is then reported as informational.  Findings go into a.
 */
struct audit_live_opts {
	const char	*addr;
	int		 port;
	const char	*source;
	int		 timeout;	/* seconds per reply; 0: 15 */
};
int	audit_live(struct audit *, const struct audit_live_opts *, int,
	    struct buf *, char **);
/*
 * Where to probe: spec ("ADDR:PORT") when not NULL, else the first IPv4
 * address the daemon listens on (0.0.0.0 becomes 127.0.0.1).  *addr is
 * NULL when the daemon does not run and no spec was given; *running says
 * whether it runs.
 */
int	audit_live_target(struct host *, const char *, char **, int *, int *,
	    char **);

/*
 * Fixes.  audit_fix_mc makes the edits of every selected finding of kind
 * DEFINE, FEATURE or PRIVACY on the mc's text in memory and prepares the
 * apply pipeline from that text (apply_use_mc_text: the mc's file is not
 * touched): fix->a gets the prepared struct apply (its diff), fix->mc the
 * edited mc, fix->reason the backup's reason ("audit fix ID...").
 * Returns 1 when no selected finding edits the mc (nothing set), -1 with
 * *cause.  ctl (may be NULL) is the apply's (apply.h): a cancel stops
 * it between its steps, fix->a->cancelled then set.  Once the person has said yes, audit_fix_mc_save writes the mc
 * (backup set first, its ID in *backup_id) and the caller commits fix->a;
 * audit_fix_undo() puts the mc back from that set if the commit fails.
 */
struct apply;
struct mc;
struct op_ctl;
struct audit_mc_fix {
	struct apply	*a;
	struct mc	*mc;
	char		*reason;
};
int	audit_fix_mc(struct host *, const struct audit_finding *const *,
	    size_t, const struct apply_hooks *, const struct op_ctl *,
	    struct audit_mc_fix *, char **);
int	audit_fix_mc_save(struct host *, const struct audit_mc_fix *,
	    char **, char **);
/* Frees mc and reason; a is the caller's (apply_free). */
void	audit_mc_fix_release(struct audit_mc_fix *);
int	audit_fix_undo(struct host *, const char *, struct buf *);
/*
 * chmod/chown for a MODE finding; comment out the access entry of an
 * ACCESS finding and rebuild the maps through hooks.  report gets a line.
 */
int	audit_fix_file(struct host *, const struct audit_finding *,
	    const struct apply_hooks *, struct buf *, char **);
/* One line saying what a fix will do ("chmod 0644 /etc/mail/x"). */
char	*audit_fix_describe(const struct audit_finding *);

/*
 * Parsing helpers (audit-cf.c), exposed for the tests and the fuzzer.
 *
 * audit_cf: what the audit needs of a sendmail.cf: long options (O
 * Name=value, the last one wins; commented lines skipped), class words (C
 * lines), class files (F lines), mailers (M lines with their continuation
 * lines), map declarations (K), macros (D), and the m4 files it was built
 * from ("#####  $Id: promiscuous_relay.m4,v ..." lines).  Never fails.
 */
struct audit_mailer {
	char	*name;
	char	*path;		/* P= */
	char	*args;		/* A= */
	char	*flags;		/* F= */
};

struct audit_cf {
	struct strv		 opt_names, opt_values;
	struct strv		 class_names, class_words;
	struct strv		 file_classes, file_specs;
	struct strv		 map_names, map_specs;
	struct strv		 macro_names, macro_values;
	struct strv		 m4_files;	/* "promiscuous_relay" */
	struct audit_mailer	*mailers;
	size_t			 nmailers;
	int			 relaying_denied; /* "Relaying denied" rule */
};

void	audit_cf_parse(struct audit_cf *, const char *, size_t);
void	audit_cf_release(struct audit_cf *);
/* The last value of option name (case-insensitive), or NULL. */
const char	*audit_cf_option(const struct audit_cf *, const char *);
/* Every value of an option, in order (DaemonPortOptions). */
void		 audit_cf_options(const struct audit_cf *, const char *,
		    struct strv *);
const char	*audit_cf_macro(const struct audit_cf *, const char *);
const struct audit_mailer *audit_cf_mailer(const struct audit_cf *,
		    const char *);
/* Was the cf built with that m4 file (feature, mailer, ostype)? */
int		 audit_cf_has_m4(const struct audit_cf *, const char *);
/* The class's words (C lines; T lines are class t) appended to out. */
void		 audit_cf_class(const struct audit_cf *, const char *,
		    struct strv *);

/*
 * PrivacyOptions as flag bits (goaway expanded, case-insensitive, commas
 * and blanks both separate).  Unknown words go to unknown if not NULL.
 */
#define PRIV_AUTHWARNINGS	0x0001
#define PRIV_NOEXPN		0x0002
#define PRIV_NOVRFY		0x0004
#define PRIV_NOVERB		0x0008
#define PRIV_NEEDMAILHELO	0x0010
#define PRIV_NEEDEXPNHELO	0x0020
#define PRIV_NEEDVRFYHELO	0x0040
#define PRIV_RESTRICTMAILQ	0x0080
#define PRIV_RESTRICTQRUN	0x0100
#define PRIV_NORECEIPTS		0x0200
#define PRIV_NOBODYRETURN	0x0400
#define PRIV_NOETRN		0x0800
#define PRIV_RESTRICTEXPAND	0x1000
#define PRIV_NOACTUALRECIPIENT	0x2000
#define PRIV_GOAWAY		0x4000	/* the word itself was given */
int	audit_privacy_parse(const char *, struct strv *);

/*
 * The address of a DaemonPortOptions value ("Addr=127.0.0.1"), or NULL
 * for none (all addresses); *family gets "inet", "inet6"... (heap).
 */
char	*audit_daemon_addr(const char *, char **);

/*
 * An access key that opens relaying to much of the world: "" or a bare
 * tag ("Connect:"), an IPv4 prefix of one octet, an IPv6 prefix of at most
 * two groups.  *why gets a short reason (static string).  Loopback is not
 * broad: it is the host itself ("Connect:127", Debian's stock entry).
 */
int	 audit_access_broad(const char *, const char **);
/*
 * An access key (untagged or Connect:) that names only this host: a
 * prefix of 127/8 ("127", "127.0.0.1"), IPv6:::1, localhost,
 * localhost.localdomain.  A RELAY on it is what local submission needs.
 */
int	 audit_access_loopback(const char *);

/* Version "8.17.1.9" compared with "8.14.4": <0, 0, >0. */
int	 audit_version_cmp(const char *, const char *);

#endif
