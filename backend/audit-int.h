/*
 * audit-int.h -- what the files of the security audit share among
 * themselves: audit.c (the run, the list of findings and the reading of
 * the host), audit-config.c (checks of sendmail's settings) and
 * audit-local.c (checks of local delivery, users and file modes).  Not for
 * use outside them; everyone else goes through audit.h.
 */
#ifndef SMADM_AUDIT_INT_H
#define SMADM_AUDIT_INT_H

#include <sys/types.h>

#include "audit.h"

#define AUDIT_MAX_FILE	(16 << 20)
#define AUDIT_LOGIN_UID	1000	/* Debian and RHEL: first login user */

struct mc;

struct audit_user {
	char	*name;
	long	 uid;
	long	 gid;
	char	*shell;
};

/* What one run knows about the host; every check reads and adds to it. */
struct actx {
	struct host		*h;
	struct audit		*a;
	struct audit_cf		 cf;
	struct buf		 mctext;
	struct mc		*mc;	/* NULL without a readable mc */
	struct audit_user	*users;
	size_t			 nusers;
	struct strv		 shells;
	int			 shells_read;
	const char		*smrsh;		/* a smrsh binary, or NULL */
	const char		*smrsh_dir;	/* its program directory */
	int			 prog_smrsh;	/* prog mailer is smrsh */
	int			 prog_noexec;	/* prog mailer is P=[IPC]... */
	struct strv		 owners;	/* users files may belong to */
	int			 hostname_stall; /* sendmail would sleep 60 s */
};

/*
 * audit.c.  audit_add takes current (heap; NULL shows "-") and returns the
 * finding, whose fix the caller may still set; audit_note takes cause
 * (heap).
 */
struct audit_finding	*audit_add(struct actx *, const char *,
			     enum audit_severity, int, const char *, char *,
			     const char *, const char *);
/* audit_add for callers with only the findings (live probes, version). */
struct audit_finding	*audit_finding_add(struct audit *, const char *,
			     enum audit_severity, int, const char *, char *,
			     const char *, const char *);
void			 audit_fix_define(struct audit_finding *,
			     const char *, const char *);
void			 audit_fix_feature(struct audit_finding *,
			     const char *, int, const char *);
void			 audit_note(struct actx *, char *);
const struct audit_user	*audit_user(const struct actx *, const char *);
int			 audit_valid_shell(const struct actx *, const char *);
char			*audit_spec_path(const char *);

/* audit-config.c */
void	audit_check_greeting(struct actx *);
void	audit_check_privacy(struct actx *);
void	audit_check_privileges(struct actx *);
void	audit_check_options(struct actx *);
void	audit_check_relay(struct actx *);
void	audit_check_access(struct actx *);
void	audit_check_hostname(struct actx *);
void	audit_check_version(struct actx *);

/*
 * audit-local.c; audit_check_prog sets prog_smrsh and prog_noexec for
 * audit_check_aliases
 */
void	audit_check_prog(struct actx *);
void	audit_check_aliases(struct actx *);
void	audit_check_users(struct actx *);
void	audit_check_modes(struct actx *);

#endif
