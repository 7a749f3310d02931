/*
 * profile.h -- where one sendmail installation keeps its things.
 *
 * A profile is detected from the host (the Debian/Ubuntu, RHEL/Fedora,
 * FreeBSD and OpenBSD layouts) or read from DIR/smadm.conf (-r DIR), a
 * plain "key = value" file; see smadm.8 for the keys.  Paths in smadm.conf
 * may be relative to DIR.
 */
#ifndef SMADM_PROFILE_H
#define SMADM_PROFILE_H

#include "transport.h"
#include "util.h"

/* Backup retention when the profile does not say (see backup.h). */
#define PROFILE_BACKUP_KEEP	20
#define PROFILE_BACKUP_DAYS	14

/* The tables smadm edits, in display order. */
enum table_kind {
	TABLE_MAP,		/* key/value text, built with makemap hash */
	TABLE_ALIASES,		/* aliases(5), built like sendmail -bi */
	TABLE_CLASS		/* one entry per line, read by the cf (F) */
};

struct table_def {
	const char	*name;		/* key in smadm.conf and CLI name */
	enum table_kind	 kind;
	const char	*debian_path;	/* also FreeBSD's and OpenBSD's */
	const char	*rhel_path;
	const char	*sendmail_map;	/* the map's name in sendmail -bt */
};
extern const struct table_def	 profile_tables[];
extern const size_t		 profile_ntables;
const struct table_def	*profile_table_def(const char *);

struct profile_table {
	const struct table_def	*def;
	char			*path;	/* text source; NULL if not configured */
};

/* The layouts profile_detect knows; NONE for a profile read from a file. */
enum profile_layout {
	LAYOUT_NONE,
	LAYOUT_DEBIAN,		/* Debian, Ubuntu: sendmail-bin, sendmail-cf */
	LAYOUT_RHEL,		/* RHEL, Fedora, Alma, Rocky: sendmail-cf */
	LAYOUT_FREEBSD,		/* base system, /etc/mail/Makefile */
	LAYOUT_OPENBSD		/* the sendmail package in /usr/local */
};
/* "debian", "rhel", "freebsd", "openbsd"; NULL for NONE. */
const char	*profile_layout_name(enum profile_layout);

struct profile {
	char		*origin;	/* the layout's name, or the conf path */
	enum profile_layout layout;	/* detected layout, or LAYOUT_NONE */
	char		*layout_why;	/* how it was told, or NULL */
	char		*root;		/* -r DIR, or NULL */
	int		 sandbox;	/* created by smadm sandbox create */
	int		 sudo;		/* over SSH: programs via sudo -n */
	int		 remote_timeout; /* over SSH: seconds; 0: 30 */

	char		*mc;
	char		*cf;
	char		*submit_mc;
	char		*submit_cf;
	char		*cf_dir;	/* sendmail's cf macros (cf/m4/cf.m4) */
	char		*sendmail;	/* the binary, absolute */
	char		*makemap;
	char		*m4;
	char		*pid_file;
	char		*mail_log;
	char		*ns_dir;	/* sandbox namespace files, or NULL */
	char		*syslog_pid_file; /* sandbox log receiver, or NULL */
	struct strv	 syslog_command;	/* argv that starts the receiver */
	struct strv	 service_start;	/* service manager argv, or empty */
	struct strv	 service_stop;
	char		*listen;	/* "127.0.0.1:2525" for display, or NULL */
	struct strv	 listen_also;	/* more addresses a daemon of a loopback
					   profile may take (a network a test
					   made; "0.0.0.0": every address) */
	char		*daemon_label;	/* -L tag, "sm-mta" */
	struct strv	 queue_dirs;
	struct strv	 submit_queue_dirs;
	struct strv	 daemon_flags;	/* e.g. -bd -q15m */

	/* Backup retention (backup.c): at most keep sets, none older than
	 * days (0: no age limit); the newest set is always kept. */
	int		 backup_keep;	/* backup_keep = 20 */
	int		 backup_days;	/* backup_days = 14 */

	struct profile_table *tables;	/* profile_ntables entries */

	int		 self_known;	/* self_uid set (trust.h) */
	uid_t		 self_uid;	/* trusted besides root */
};

/*
 * Detect the host's layout through the transport (locally or over SSH):
 * os-release's ID= or ID_LIKE=, else /etc/debian_version,
 * /etc/redhat-release, FreeBSD's /etc/mail/Makefile, OpenBSD's /etc/myname
 * or the sendmail package, uname -s, /usr/share/sendmail-cf; Debian's when
 * nothing tells.  layout_why says which.  Never fails: what is missing is
 * reported by profile_missing().
 */
struct profile	*profile_detect(struct transport *);
/*
 * The same, reading the files under root (a fixture tree standing for a
 * host: ROOT/etc/os-release...); the profile's paths are the host's, without
 * root.  uname is not run for a root; NULL or "" is the host itself.
 */
struct profile	*profile_detect_under(struct transport *, const char *);
/* Read DIR/smadm.conf; errors name the file and line. */
struct profile	*profile_load(struct transport *, const char *, char **);
/* Parse smadm.conf text (root is DIR, file is its name for messages). */
struct profile	*profile_parse(const char *, size_t, const char *,
		    const char *, char **);
void		 profile_free(struct profile *);

/* Path of a table's text source, or NULL. */
const char	*profile_table_path(const struct profile *, const char *);

/* Describe the profile as "key = value" lines, the smadm.conf format. */
void		 profile_format(const struct profile *, struct buf *);
/* Append one line per configured path that does not exist on the host. */
void		 profile_missing(const struct profile *, struct transport *,
		    struct strv *);

#endif
