/*
 * audit-local.c -- the audit's checks of what local delivery and local
 * users can reach: the prog mailer and smrsh, the programs and files that
 * aliases and :include: files deliver to, trusted and system users and
 * their shells, and the owners and modes of the files sendmail trusts.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "audit-int.h"
#include "table.h"

/*
 * P= values sendmail handles itself instead of running a program: [IPC]
 * and [TCP] open an SMTP connection, [LPC] talks on stdin and stdout,
 * [FILE] appends to a file (deliver.c).
 */
static int
audit_mailer_internal(const char *path)
{
	static const char *const internal[] = { "[IPC]", "[TCP]", "[LPC]",
	    "[FILE]" };
	size_t	i;

	for (i = 0; i < nitems(internal); i++)
		if (strcmp(path, internal[i]) == 0)
			return 1;
	return 0;
}

void
audit_check_prog(struct actx *ac)
{
	const struct audit_mailer	*m;
	struct audit_finding		*f;
	struct tstat			 ts;
	const char			*base;
	char				*cause = NULL;
	int				 bad;

	m = audit_cf_mailer(&ac->cf, "prog");
	if (m == NULL || m->path == NULL) {
		audit_add(ac, "prog-smrsh", AUDIT_HIGH, 0,
		    "Program delivery without smrsh", xstrdup("no prog "
		    "mailer"), "There is no prog mailer: mail cannot run "
		    "programs.", "Nothing to do.");
		return;
	}
	if (audit_mailer_internal(m->path)) {
		ac->prog_noexec = 1;
		audit_add(ac, "prog-smrsh", AUDIT_HIGH, 0,
		    "Program delivery without smrsh", xasprintf("prog mailer "
		    "P=%s runs no program", m->path), "The prog mailer's P= "
		    "is one of sendmail's internal deliveries ([IPC] hands "
		    "the message to a mail server over SMTP, as an MSP's "
		    "does): no shell runs, so smrsh has nothing to guard.",
		    "Nothing to do.");
		return;
	}
	base = strrchr(m->path, '/') != NULL ? strrchr(m->path, '/') + 1 :
	    m->path;
	ac->prog_smrsh = strcmp(base, "smrsh") == 0;
	bad = !ac->prog_smrsh;
	f = audit_add(ac, "prog-smrsh", AUDIT_HIGH, bad,
	    "Program delivery without smrsh",
	    xasprintf("prog mailer P=%s", m->path),
	    "Anything an alias or a .forward file pipes to runs through "
	    "/bin/sh with the full shell language: one writable .forward "
	    "gives a shell on the server.  smrsh runs only the programs an "
	    "administrator linked into its directory, without shell tricks.",
	    ac->smrsh != NULL ? "FEATURE(`smrsh') in the mc, with the path "
	    "of the installed smrsh." : "Install smrsh (sendmail-bin has "
	    "it), then FEATURE(`smrsh').");
	if (ac->smrsh != NULL)
		audit_fix_feature(f, "smrsh", 1, ac->smrsh);
	if (!ac->prog_smrsh)
		return;
	if (transport_stat(ac->h->t, m->path, 1, &ts, &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	f = audit_add(ac, "prog-smrsh-path", AUDIT_MEDIUM, ts.type != TS_REG,
	    "The prog mailer names an smrsh that does not exist",
	    xasprintf("P=%s", m->path),
	    "Every delivery to a program fails (the mail bounces), which "
	    "hides the aliases that should run programs.",
	    ac->smrsh != NULL ? "FEATURE(`smrsh', PATH) with the installed "
	    "smrsh." : "Install smrsh.");
	if (ac->smrsh != NULL && ts.type != TS_REG)
		audit_fix_feature(f, "smrsh", 1, ac->smrsh);
}

/* Split an alias value into its targets (commas outside quotes). */
static void
audit_alias_targets(const char *v, struct strv *out)
{
	struct buf	 b = BUF_INIT;
	int		 quoted = 0;

	for (; *v != '\0'; v++) {
		if (*v == '"')
			quoted = !quoted;
		if (*v == ',' && !quoted) {
			strv_push(out, str_trim(b.data));
			buf_reset(&b);
			continue;
		}
		buf_addch(&b, *v);
	}
	if (b.len > 0)
		strv_push(out, str_trim(b.data));
	buf_release(&b);
}

struct alias_scan {
	struct strv	pipes_bad;	/* not runnable through smrsh */
	struct strv	pipes;		/* all */
	struct strv	files;
	struct strv	includes;	/* seen, to read once */
};

static void audit_scan_aliases(struct actx *, const char *, int,
    struct alias_scan *);

/* A target: "|prog args", "\"|prog\"", "/file", ":include:/path". */
static void
audit_alias_target(struct actx *ac, const char *where, const char *target,
    int depth, struct alias_scan *as)
{
	struct tstat	 ts;
	char		*t, *prog, *path, *cause = NULL;
	const char	*base;
	size_t		 n;

	t = xstrdup(target);
	n = strlen(t);
	if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
		t[n - 1] = '\0';
		memmove(t, t + 1, n - 1);
	}
	if (t[0] == '|') {
		prog = xstrndup(t + 1 + strspn(t + 1, " \t"),
		    strcspn(t + 1 + strspn(t + 1, " \t"), " \t"));
		strv_pushf(&as->pipes, "%s: %s", where, t);
		base = strrchr(prog, '/') != NULL ? strrchr(prog, '/') + 1 :
		    prog;
		if (ac->prog_smrsh && ac->smrsh_dir != NULL) {
			path = xasprintf("%s/%s", ac->smrsh_dir, base);
			if (transport_stat(ac->h->t, path, 1, &ts,
			    &cause) != 0) {
				free(cause);
				cause = NULL;
				ts.type = TS_NONE;
			}
			if (ts.type == TS_NONE)
				strv_pushf(&as->pipes_bad, "%s: %s (no %s)",
				    where, t, path);
			free(path);
		} else
			strv_pushf(&as->pipes_bad, "%s: %s", where, t);
		free(prog);
	} else if (t[0] == '/')
		strv_pushf(&as->files, "%s: %s", where, t);
	else if (strncasecmp(t, ":include:", 9) == 0 && depth < 3)
		audit_scan_aliases(ac, str_trim(t + 9), depth + 1, as);
	free(t);
}

/* Aliases (depth 0) or an :include: file (one address list). */
static void
audit_scan_aliases(struct actx *ac, const char *path, int depth,
    struct alias_scan *as)
{
	const struct table_def	*td = profile_table_def("aliases");
	struct table		*t;
	struct buf		 text = BUF_INIT;
	struct strv		 targets = STRV_INIT, lines = STRV_INIT;
	char			*cause = NULL, *where;
	size_t			 i, j;

	for (i = 0; i < as->includes.n; i++)
		if (strcmp(as->includes.v[i], path) == 0)
			return;
	strv_push(&as->includes, path);
	if (depth > 0) {
		if (transport_read_file(ac->h->t, path, &text, AUDIT_MAX_FILE,
		    &cause) != 0) {
			audit_note(ac, cause);
			return;
		}
		strv_split_char(&lines, text.data, '\n');
		for (i = 0; i < lines.n; i++) {
			if (lines.v[i][0] == '#' || lines.v[i][0] == '\0')
				continue;
			strv_release(&targets);
			audit_alias_targets(lines.v[i], &targets);
			where = xasprintf("%s:%zu", path, i + 1);
			for (j = 0; j < targets.n; j++)
				audit_alias_target(ac, where, targets.v[j],
				    depth, as);
			free(where);
		}
		strv_release(&lines);
		strv_release(&targets);
		buf_release(&text);
		return;
	}
	if ((t = table_load(ac->h->t, td, path, 1, NULL, &cause)) == NULL) {
		audit_note(ac, cause);
		return;
	}
	for (i = 0; i < t->nentries; i++) {
		if (t->entries[i].bad || t->entries[i].value == NULL)
			continue;
		strv_release(&targets);
		audit_alias_targets(t->entries[i].value, &targets);
		where = xasprintf("%s:%zu (%s)", path, t->entries[i].line + 1,
		    t->entries[i].key);
		for (j = 0; j < targets.n; j++)
			audit_alias_target(ac, where, targets.v[j], depth, as);
		free(where);
	}
	strv_release(&targets);
	table_free(t);
}

void
audit_check_aliases(struct actx *ac)
{
	struct alias_scan	 as;
	struct strv		 files = STRV_INIT;
	const char		*v, *safe;
	char			*s, *p;
	size_t			 i;

	memset(&as, 0, sizeof as);
	if ((v = audit_cf_option(&ac->cf, "AliasFile")) != NULL) {
		strv_split_char(&files, v, ',');
		for (i = 0; i < files.n; i++) {
			/* "hash:/etc/mail/aliases" or a plain path */
			p = strchr(files.v[i], '/');
			if (p != NULL && (p == files.v[i] || p[-1] == ':'))
				audit_scan_aliases(ac, p, 0, &as);
		}
	}
	strv_release(&files);
	s = as.pipes_bad.n > 0 ? strv_join(&as.pipes_bad, "\n") :
	    xstrdup(as.pipes.n > 0 ? "every piped program is in smrsh's "
	    "directory" : "no alias pipes to a program");
	if (ac->prog_noexec && as.pipes.n > 0) {
		free(s);
		s = xstrdup("the prog mailer runs no program: alias pipes "
		    "go to the mail server");
	}
	audit_add(ac, "alias-pipe", ac->prog_smrsh ? AUDIT_LOW : AUDIT_MEDIUM,
	    as.pipes_bad.n > 0 && !ac->prog_noexec,
	    ac->prog_smrsh ? "Aliases pipe to programs smrsh will not run" :
	    "Aliases pipe to programs run by /bin/sh", s,
	    ac->prog_smrsh ? "smrsh only runs programs linked into its "
	    "directory: these deliveries fail, or someone will \"fix\" them "
	    "by turning smrsh off." : "Without smrsh each of these runs "
	    "through /bin/sh as the alias owner or DefaultUser; a mistake "
	    "in one is a remote command execution.",
	    ac->prog_smrsh ? "By hand: link each program the aliases need "
	    "into smrsh's directory (Debian: /etc/mail/smrsh), remove the "
	    "others." : "Turn smrsh on (prog-smrsh), then link the programs "
	    "the aliases need into its directory.");
	safe = audit_cf_option(&ac->cf, "SafeFileEnvironment");
	s = as.files.n > 0 ? strv_join(&as.files, "\n") :
	    xstrdup("no alias writes to a file");
	audit_add(ac, "alias-file", safe != NULL ? AUDIT_LOW : AUDIT_MEDIUM,
	    as.files.n > 0, "Aliases or include files write to files", s,
	    "Mail appended to a file can fill the disk or, without "
	    "SafeFileEnvironment, overwrite any file the delivering user "
	    "can write (through a symlink, for instance).",
	    "By hand: deliver to a mailbox or a program instead; keep "
	    "SafeFileEnvironment set.");
	strv_release(&as.pipes);
	strv_release(&as.pipes_bad);
	strv_release(&as.files);
	strv_release(&as.includes);
}

void
audit_check_users(struct actx *ac)
{
	struct strv		 trusted = STRV_INIT, bad = STRV_INIT;
	struct buf		 text = BUF_INIT;
	const struct audit_user	*u;
	char			*path, *cause = NULL, *s;
	size_t			 i;
	int			 any = 0;

	audit_cf_class(&ac->cf, "t", &trusted);
	for (i = 0; i < ac->cf.file_classes.n; i++) {
		if (strcmp(ac->cf.file_classes.v[i], "t") != 0)
			continue;
		if ((path = audit_spec_path(ac->cf.file_specs.v[i])) == NULL)
			continue;
		buf_reset(&text);
		if (transport_read_file(ac->h->t, path, &text, AUDIT_MAX_FILE,
		    &cause) == 0) {
			struct strv lines = STRV_INIT;
			size_t j;

			strv_split_char(&lines, text.data, '\n');
			for (j = 0; j < lines.n; j++) {
				lines.v[j][strcspn(lines.v[j], "#")] = '\0';
				strv_split_ws(&trusted, lines.v[j]);
			}
			strv_release(&lines);
		} else if (strstr(ac->cf.file_specs.v[i], "-o") == NULL)
			audit_note(ac, cause);
		else
			free(cause);
		cause = NULL;
		free(path);
	}
	buf_release(&text);
	for (i = 0; i < trusted.n; i++) {
		u = audit_user(ac, trusted.v[i]);
		if (u != NULL && u->uid >= AUDIT_LOGIN_UID &&
		    u->uid != 65534 && audit_valid_shell(ac, u->shell))
			strv_pushf(&bad, "%s (uid %ld, shell %s)", u->name,
			    u->uid, u->shell);
	}
	s = trusted.n > 0 ? strv_join(&trusted, " ") : xstrdup("(none)");
	audit_add(ac, "trusted-login-user", AUDIT_HIGH, bad.n > 0,
	    "Trusted users include real login users",
	    bad.n > 0 ? strv_join(&bad, ", ") : xasprintf("trusted: %s", s),
	    "A trusted user may set any envelope sender (sendmail -f) "
	    "without a warning header: a login account there can forge mail "
	    "from anyone, and whoever takes over that account can too.",
	    "By hand: remove the login users from the trusted-users file "
	    "(smadm map del trusted_users USER) or the class t line, then "
	    "restart the daemon.");
	free(s);
	strv_release(&bad);
	strv_release(&trusted);

	for (i = 0; i < ac->shells.n; i++)
		if (strcmp(ac->shells.v[i], "/SENDMAIL/ANY/SHELL/") == 0)
			any = 1;
	audit_add(ac, "shells-any", AUDIT_HIGH, any,
	    "/etc/shells contains /SENDMAIL/ANY/SHELL/",
	    xstrdup(any ? "/etc/shells: /SENDMAIL/ANY/SHELL/" : "not present"),
	    "That line tells sendmail every shell is valid: users whose "
	    "shell is /bin/false or nologin (pseudo users, disabled "
	    "accounts) can then run programs and write files from a "
	    ".forward.",
	    "By hand: remove the /SENDMAIL/ANY/SHELL/ line from /etc/shells.");

	for (i = 0; i < ac->nusers; i++) {
		u = &ac->users[i];
		if (u->uid == 0 || (u->uid < AUDIT_LOGIN_UID &&
		    u->uid != 65534 && !audit_valid_shell(ac, u->shell)))
			continue;
		if (u->uid >= AUDIT_LOGIN_UID && u->uid != 65534)
			continue;
		strv_pushf(&bad, "%s (uid %ld, %s)", u->name, u->uid,
		    u->shell);
	}
	audit_add(ac, "pseudo-user-shell", AUDIT_LOW, bad.n > 0,
	    "System users have a valid login shell",
	    bad.n > 0 ? strv_join(&bad, ", ") : xstrdup("none"),
	    "sendmail lets a user's .forward run programs and write files "
	    "only when the user's shell is listed in /etc/shells.  System "
	    "accounts (daemons, nobody) should not have one: a .forward "
	    "planted in a service's home directory would run with its "
	    "rights.",
	    "By hand: usermod -s /usr/sbin/nologin USER for each, unless "
	    "someone really logs in with it.");
	strv_release(&bad);
}

/* ---- file modes ---- */

struct fcheck {
	const char	*label;
	char		*path;
	int		 dir_mode;	/* queue: wants exactly this mode */
};

/*
 * Files may belong to root, TrustedUser, RunAsUser, or a system account
 * without a login shell (Debian's smmta owns /etc/mail).  A login account
 * owning them can change where mail goes.
 */
static int
audit_owner_ok(const struct actx *ac, uid_t uid)
{
	const struct audit_user	*u;
	size_t			 i;

	if (uid == 0)
		return 1;
	for (i = 0; i < ac->owners.n; i++)
		if ((u = audit_user(ac, ac->owners.v[i])) != NULL &&
		    (uid_t)u->uid == uid)
			return 1;
	for (i = 0; i < ac->nusers; i++) {
		u = &ac->users[i];
		if ((uid_t)u->uid == uid)
			return u->uid < AUDIT_LOGIN_UID &&
			    !audit_valid_shell(ac, u->shell);
	}
	return 0;
}

static void
check_one_path(struct actx *ac, const char *label, const char *path,
    int want_dir_mode, struct strv *seen)
{
	struct audit_finding	*f;
	struct tstat		 ts;
	const char		*dbs;
	enum audit_severity	 sev;
	char			*cause = NULL, *id, *why;
	mode_t			 want;
	size_t			 i;
	int			 bad_owner, group_read;

	for (i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], path) == 0)
			return;
	strv_push(seen, path);
	if (transport_stat(ac->h->t, path, 1, &ts, &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	if (ts.type == TS_NONE)
		return;
	id = xasprintf("mode:%s", path);
	bad_owner = !audit_owner_ok(ac, ts.uid);
	if (ts.type == TS_DIR && want_dir_mode != 0) {
		want = (mode_t)want_dir_mode;
		/* Group read only (Debian's 2750 smmta:smmsp): low. */
		group_read = (ts.mode & 077) != 0 && (ts.mode & 027) == 0;
		sev = (ts.mode & 002) ? AUDIT_HIGH : group_read && !bad_owner ?
		    AUDIT_LOW : AUDIT_MEDIUM;
		f = audit_add(ac, id, sev, (ts.mode & 077) != 0 || bad_owner,
		    group_read ? "Queue directory readable by its group" :
		    (ts.mode & 077) != 0 ? "Queue directory open to other "
		    "users" : bad_owner ? "Queue directory owned by another "
		    "user" : "Queue directory mode 0700",
		    xasprintf("%s %s: mode %04o, uid %ld, gid %ld", label,
		    path, (unsigned)ts.mode, (long)ts.uid, (long)ts.gid),
		    "The queue holds every message in transit.  sendmail "
		    "wants it 0700 and owned by root (or RunAsUser or "
		    "TrustedUser): otherwise local users read other people's "
		    "mail or plant queue files.  Read for the group alone "
		    "(Debian's 2750, group smmsp) lets only that group in: the "
		    "submission program runs with it, so any user's mailq "
		    "lists the queue's senders and recipients; 0700 (or "
		    "PrivacyOptions restrictmailq) stops that.",
		    "chmod 0700 (and chown root).");
	} else {
		dbs = ts.type == TS_DIR ? "directory" : "file";
		want = ts.mode & ~(mode_t)022;
		sev = (ts.mode & 002) ? AUDIT_HIGH : AUDIT_MEDIUM;
		if (ts.type == TS_DIR && (ts.mode & 01000))
			want = ts.mode;		/* sticky: /tmp is fine */
		why = xasprintf("sendmail refuses or distrusts a %s that "
		    "others can write (\"%s writable\" in the log): a local "
		    "user could change where mail goes, or what programs "
		    "run.  It should belong to root (or TrustedUser).",
		    label, (ts.mode & 002) ? "World" : "Group");
		f = audit_add(ac, id, sev, want != ts.mode || bad_owner,
		    want != ts.mode ? (ts.type == TS_DIR ? "Directory others "
		    "can write" : "File others can write") : bad_owner ?
		    "File owned by a login account" :
		    "Mode and owner as sendmail wants them",
		    xasprintf("%s %s %s: mode %04o, uid %ld", label, dbs, path,
		    (unsigned)ts.mode, (long)ts.uid), why,
		    "chmod go-w (and chown root when another user owns it).");
		free(why);
	}
	if (!f->passed) {
		f->fix = AUDIT_FIX_MODE;
		f->fix_name = xstrdup(path);
		f->fix_mode = want;
		f->fix_chown = bad_owner;
		f->fix_uid = 0;
		f->fix_gid = ts.gid;
	}
	free(id);
}

/* The path and every directory above it. */
static void
check_path_and_parents(struct actx *ac, const char *label, const char *path,
    int want_dir_mode, struct strv *seen)
{
	char	*dir, *slash;

	check_one_path(ac, label, path, want_dir_mode, seen);
	dir = xstrdup(path);
	while ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		check_one_path(ac, "parent", dir, 0, seen);
	}
	free(dir);
}

void
audit_check_modes(struct actx *ac)
{
	const struct profile	*p = ac->h->prof;
	struct strv		 seen = STRV_INIT, v = STRV_INIT;
	const char		*o;
	char			*path, *db;
	size_t			 i;

	if ((o = audit_cf_option(&ac->cf, "TrustedUser")) != NULL)
		strv_push(&ac->owners, o);
	if ((o = audit_cf_option(&ac->cf, "RunAsUser")) != NULL)
		strv_push_nocopy(&ac->owners, xstrndup(o, strcspn(o, ":")));

	if (p->cf != NULL)
		check_path_and_parents(ac, "cf", p->cf, 0, &seen);
	if (p->mc != NULL)
		check_path_and_parents(ac, "mc", p->mc, 0, &seen);
	if (p->submit_cf != NULL)
		check_path_and_parents(ac, "submit cf", p->submit_cf, 0, &seen);
	for (i = 0; i < ac->cf.map_names.n; i++) {
		if ((path = audit_spec_path(ac->cf.map_specs.v[i])) == NULL)
			continue;
		if (strncmp(ac->cf.map_specs.v[i], "hash", 4) == 0 ||
		    strncmp(ac->cf.map_specs.v[i], "btree", 5) == 0) {
			db = xasprintf("%s.db", path);
			check_path_and_parents(ac, "map", db, 0, &seen);
			free(db);
		}
		check_path_and_parents(ac, "map source", path, 0, &seen);
		free(path);
	}
	if ((o = audit_cf_option(&ac->cf, "AliasFile")) != NULL) {
		strv_split_char(&v, o, ',');
		for (i = 0; i < v.n; i++) {
			if ((path = strchr(v.v[i], '/')) == NULL)
				continue;
			check_path_and_parents(ac, "aliases", path, 0, &seen);
			db = xasprintf("%s.db", path);
			check_path_and_parents(ac, "aliases", db, 0, &seen);
			free(db);
		}
		strv_release(&v);
	}
	for (i = 0; i < ac->cf.file_specs.n; i++) {
		if ((path = audit_spec_path(ac->cf.file_specs.v[i])) == NULL)
			continue;
		check_path_and_parents(ac, "class file", path, 0, &seen);
		free(path);
	}
	for (i = 0; i < p->queue_dirs.n; i++)
		check_path_and_parents(ac, "queue", p->queue_dirs.v[i], 0700,
		    &seen);
	if ((o = audit_cf_option(&ac->cf, "PidFile")) != NULL)
		check_path_and_parents(ac, "pid file", o, 0, &seen);
	else if (p->pid_file != NULL)
		check_path_and_parents(ac, "pid file", p->pid_file, 0, &seen);
	strv_release(&seen);
}
