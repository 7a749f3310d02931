/*
 * audit.c -- the static checks of the security audit (see audit.h): the
 * live cf, the mc, the tables, /etc/passwd and /etc/shells and the modes
 * of what sendmail trusts, all read through the host's transport.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "mc.h"
#include "table.h"

#define AUDIT_MAX_FILE	(16 << 20)
#define AUDIT_LOGIN_UID	1000	/* Debian and RHEL: first login user */

struct audit_user {
	char	*name;
	long	 uid;
	long	 gid;
	char	*shell;
};

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
	struct strv		 owners;	/* users files may belong to */
};

static const char *const audit_smrsh_paths[] = {
	"/usr/libexec/sendmail/smrsh",		/* Debian */
	"/usr/sbin/smrsh",			/* RHEL */
	"/usr/lib/sm.bin/smrsh",		/* older Debian */
	"/usr/libexec/smrsh",			/* BSD */
	NULL
};
static const char *const audit_smrsh_dirs[] = {
	"/etc/mail/smrsh", "/etc/smrsh", "/usr/adm/sm.bin", NULL
};

/* ---- findings ---- */

static struct audit_finding *
audit_add(struct actx *ac, const char *id, enum audit_severity sev,
    int failed, const char *title, char *current, const char *why,
    const char *fix_text)
{
	struct audit		*a = ac->a;
	struct audit_finding	*f;

	a->v = xreallocarray(a->v, a->n + 1, sizeof *a->v);
	f = &a->v[a->n++];
	memset(f, 0, sizeof *f);
	f->id = xstrdup(id);
	f->severity = sev;
	f->passed = !failed;
	f->title = xstrdup(title);
	f->current = current != NULL ? current : xstrdup("-");
	f->why = xstrdup(why);
	f->fix_text = xstrdup(fix_text);
	return f;
}

static void
audit_fix_define(struct audit_finding *f, const char *name, const char *value)
{
	f->fix = AUDIT_FIX_DEFINE;
	f->fix_name = xstrdup(name);
	f->fix_value = value != NULL ? xstrdup(value) : NULL;
}

static void
audit_fix_feature(struct audit_finding *f, const char *name, int on,
    const char *arg)
{
	f->fix = AUDIT_FIX_FEATURE;
	f->fix_name = xstrdup(name);
	f->fix_on = on;
	f->fix_value = arg != NULL ? xstrdup(arg) : NULL;
}

static void
audit_finding_release(struct audit_finding *f)
{
	free(f->id);
	free(f->title);
	free(f->current);
	free(f->why);
	free(f->fix_text);
	free(f->fix_name);
	free(f->fix_value);
}

void
audit_free(struct audit *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		audit_finding_release(&a->v[i]);
	free(a->v);
	free(a->role);
	free(a->version);
	strv_release(&a->notes);
	free(a);
}

const char *
audit_severity_name(enum audit_severity s)
{
	switch (s) {
	case AUDIT_INFO:
		return "info";
	case AUDIT_LOW:
		return "low";
	case AUDIT_MEDIUM:
		return "medium";
	case AUDIT_HIGH:
		return "high";
	}
	return "?";
}

const struct audit_finding *
audit_find(const struct audit *a, const char *id)
{
	size_t	i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].id, id) == 0)
			return &a->v[i];
	return NULL;
}

int
audit_worst(const struct audit *a)
{
	size_t	i;
	int	worst = -1;

	for (i = 0; i < a->n; i++)
		if (!a->v[i].passed && (int)a->v[i].severity > worst)
			worst = (int)a->v[i].severity;
	return worst;
}

size_t
audit_count(const struct audit *a, enum audit_severity s)
{
	size_t	i, n = 0;

	for (i = 0; i < a->n; i++)
		if (!a->v[i].passed && a->v[i].severity == s)
			n++;
	return n;
}

int
audit_score(const struct audit *a)
{
	int	score;

	score = 100 - 25 * (int)audit_count(a, AUDIT_HIGH) -
	    10 * (int)audit_count(a, AUDIT_MEDIUM) -
	    3 * (int)audit_count(a, AUDIT_LOW);
	return score < 0 ? 0 : score;
}

static int
audit_cmp(const void *x, const void *y)
{
	const struct audit_finding	*a = x, *b = y;

	if (a->passed != b->passed)
		return a->passed - b->passed;
	if (a->severity != b->severity)
		return (int)b->severity - (int)a->severity;
	return strcmp(a->id, b->id);
}

void
audit_sort(struct audit *a)
{
	xqsort(a->v, a->n, sizeof *a->v, audit_cmp);
}

/* ---- reading the host ---- */

static void
audit_note(struct actx *ac, char *cause)
{
	strv_push_nocopy(&ac->a->notes, cause);
}

static void
audit_read_passwd(struct actx *ac)
{
	struct buf		 text = BUF_INIT;
	struct strv		 lines = STRV_INIT, f = STRV_INIT;
	struct audit_user	*u;
	char			*cause = NULL;
	size_t			 i;

	if (transport_read_file(ac->h->t, "/etc/passwd", &text, AUDIT_MAX_FILE,
	    &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	strv_split_char(&lines, text.data, '\n');
	for (i = 0; i < lines.n; i++) {
		strv_release(&f);
		strv_split_char(&f, lines.v[i], ':');
		if (f.n < 7 || *f.v[0] == '\0' || *f.v[0] == '#' ||
		    *f.v[0] == '+' || *f.v[0] == '-')
			continue;
		ac->users = xreallocarray(ac->users, ac->nusers + 1,
		    sizeof *ac->users);
		u = &ac->users[ac->nusers++];
		u->name = xstrdup(f.v[0]);
		u->uid = strtol(f.v[2], NULL, 10);
		u->gid = strtol(f.v[3], NULL, 10);
		u->shell = xstrdup(f.v[6]);
	}
	strv_release(&f);
	strv_release(&lines);
	buf_release(&text);
}

static const struct audit_user *
audit_user(const struct actx *ac, const char *name)
{
	size_t	i;
	char	*end;
	long	 uid;

	for (i = 0; i < ac->nusers; i++)
		if (strcmp(ac->users[i].name, name) == 0)
			return &ac->users[i];
	uid = strtol(name, &end, 10);
	if (end != name && *end == '\0')
		for (i = 0; i < ac->nusers; i++)
			if (ac->users[i].uid == uid)
				return &ac->users[i];
	return NULL;
}

static void
audit_read_shells(struct actx *ac)
{
	struct buf	 text = BUF_INIT;
	struct strv	 lines = STRV_INIT;
	char		*cause = NULL, *l;
	size_t		 i;

	if (transport_read_file(ac->h->t, "/etc/shells", &text, 1 << 20,
	    &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	ac->shells_read = 1;
	strv_split_char(&lines, text.data, '\n');
	for (i = 0; i < lines.n; i++) {
		l = lines.v[i];
		if (*l != '\0' && *l != '#')
			strv_push(&ac->shells, l);
	}
	strv_release(&lines);
	buf_release(&text);
}

static int
audit_valid_shell(const struct actx *ac, const char *shell)
{
	size_t	i;

	/* sendmail: no /etc/shells means the built-in list; be strict. */
	if (!ac->shells_read)
		return *shell != '\0' && strstr(shell, "nologin") == NULL &&
		    strstr(shell, "false") == NULL;
	for (i = 0; i < ac->shells.n; i++)
		if (strcmp(ac->shells.v[i], shell) == 0 ||
		    strcmp(ac->shells.v[i], "/SENDMAIL/ANY/SHELL/") == 0)
			return 1;
	return 0;
}

/* The path in a K or F spec: the first word starting with "/". */
static char *
audit_spec_path(const char *spec)
{
	struct strv	 w = STRV_INIT;
	char		*path = NULL;
	size_t		 i;

	strv_split_ws(&w, spec);
	for (i = 0; i < w.n; i++)
		if (w.v[i][0] == '/') {
			path = xstrdup(w.v[i]);
			break;
		}
	strv_release(&w);
	return path;
}

/* ---- the checks ---- */

static void
check_greeting(struct actx *ac)
{
	struct audit_finding	*f;
	const char		*v;
	int			 bad;

	v = audit_cf_option(&ac->cf, "SmtpGreetingMessage");
	bad = v == NULL || strstr(v, "$v") != NULL || strstr(v, "$Z") != NULL;
	f = audit_add(ac, "greeting-version", AUDIT_MEDIUM, bad,
	    "SMTP greeting names the sendmail version",
	    v != NULL ? xasprintf("SmtpGreetingMessage=%s", v) :
	    xstrdup("SmtpGreetingMessage unset (default \"$j Sendmail "
	    "$v/$Z; $b\")"),
	    "$v and $Z put the exact sendmail and configuration version in "
	    "the banner every client sees.  Scanners use it to pick exploits "
	    "for that version; nothing legitimate needs it.",
	    "define(`confSMTP_LOGIN_MSG', `$j') in the mc (sendmail adds "
	    "\" ESMTP\" itself).");
	audit_fix_define(f, "confSMTP_LOGIN_MSG", "$j");
}

static const struct {
	const char		*word;
	int			 bit;
	enum audit_severity	 sev;
	const char		*why;
} privacy_checks[] = {
	{ "authwarnings", PRIV_AUTHWARNINGS, AUDIT_LOW,
	  "Without it sendmail adds no X-Authentication-Warning header when "
	  "a local user sets a forged sender: forged mail leaves no trace." },
	{ "noexpn", PRIV_NOEXPN, AUDIT_MEDIUM,
	  "EXPN lists the members of aliases and mailing lists to anyone "
	  "who connects: addresses for spam and the internal structure "
	  "for attackers." },
	{ "novrfy", PRIV_NOVRFY, AUDIT_MEDIUM,
	  "VRFY confirms which user names exist: an account enumeration "
	  "service for password guessing and spam." },
	{ "restrictmailq", PRIV_RESTRICTMAILQ, AUDIT_LOW,
	  "Any local user can list the queue: senders, recipients and "
	  "subjects of other people's mail." },
	{ "restrictqrun", PRIV_RESTRICTQRUN, AUDIT_LOW,
	  "Any local user can start queue runs (sendmail -q), with options "
	  "that change how the queue is processed." },
	{ "needmailhelo", PRIV_NEEDMAILHELO, AUDIT_INFO,
	  "Clients may send MAIL without HELO/EHLO.  Real mailers always "
	  "greet; many spam tools do not.  Optional hardening." }
};

static void
check_privacy(struct actx *ac)
{
	struct audit_finding	*f;
	const char		*v;
	char			*id, *title, *fix;
	size_t			 i;
	int			 bits, bad;

	v = audit_cf_option(&ac->cf, "PrivacyOptions");
	bits = audit_privacy_parse(v, NULL);
	for (i = 0; i < nitems(privacy_checks); i++) {
		bad = (bits & privacy_checks[i].bit) == 0;
		id = xasprintf("privacy-%s", privacy_checks[i].word);
		title = xasprintf("PrivacyOptions lacks %s",
		    privacy_checks[i].word);
		fix = xasprintf("Add %s to confPRIVACY_FLAGS in the mc (not "
		    "goaway: it includes noreceipts, which refuses DSN).",
		    privacy_checks[i].word);
		f = audit_add(ac, id, privacy_checks[i].sev, bad, title,
		    xasprintf("PrivacyOptions=%s", v != NULL ? v :
		    "(unset: public)"), privacy_checks[i].why, fix);
		f->fix = AUDIT_FIX_PRIVACY;
		f->fix_name = xstrdup("confPRIVACY_FLAGS");
		f->fix_value = xstrdup(privacy_checks[i].word);
		free(id);
		free(title);
		free(fix);
	}
}

/* The role: the smadm template's VERSIONID, else what the cf shows. */
static void
audit_role(struct actx *ac)
{
	struct strv		 ports = STRV_INIT;
	const struct mc_item	*it;
	char			*addr, *fam;
	const char		*mcv = NULL, *p;
	size_t			 i, j;

	static const char *const roles[] = { "nullclient", "local",
	    "gateway", "smarthost" };

	/* VERSIONID(`smadm gateway role for mx.example.org') */
	for (i = 0; ac->mc != NULL && i < ac->mc->nitems; i++) {
		it = &ac->mc->items[i];
		if (it->kind != MC_VERSIONID || it->nargs < 1 ||
		    strncmp(it->args[0].value, "smadm ", 6) != 0)
			continue;
		p = it->args[0].value + 6;
		for (j = 0; j < nitems(roles); j++)
			if (strncmp(p, roles[j], strlen(roles[j])) == 0 &&
			    strncmp(p + strlen(roles[j]), " role", 5) == 0)
				mcv = roles[j];
	}
	if (mcv != NULL)
		ac->a->role = xstrdup(mcv);
	else if (audit_cf_has_m4(&ac->cf, "nullclient"))
		ac->a->role = xstrdup("nullclient");
	else if (audit_cf_has_m4(&ac->cf, "mailertable"))
		ac->a->role = xstrdup("gateway");
	else if (audit_cf_macro(&ac->cf, "S") != NULL &&
	    *audit_cf_macro(&ac->cf, "S") != '\0')
		ac->a->role = xstrdup("smarthost");
	else
		ac->a->role = xstrdup("local");

	audit_cf_options(&ac->cf, "DaemonPortOptions", &ports);
	if (ports.n == 0)
		ac->a->internet = 1;	/* sendmail's default: all addresses */
	for (i = 0; i < ports.n; i++) {
		addr = audit_daemon_addr(ports.v[i], &fam);
		if (!audit_is_loopback(addr))
			ac->a->internet = 1;
		free(addr);
		free(fam);
	}
	strv_release(&ports);
}

static void
check_privileges(struct actx *ac)
{
	struct audit_finding	*f;
	struct strv		 ports = STRV_INIT, wild = STRV_INIT;
	const struct audit_user	*u;
	const char		*run, *def;
	char			*addr, *fam, *s, *name;
	enum audit_severity	 sev;
	int			 sendonly, relay, bad;
	size_t			 i;

	sendonly = strcmp(ac->a->role, "nullclient") == 0;
	relay = strcmp(ac->a->role, "gateway") == 0;
	run = audit_cf_option(&ac->cf, "RunAsUser");
	bad = (sendonly || relay) && (run == NULL || strcmp(run, "0") == 0 ||
	    strncmp(run, "root", 4) == 0);
	sev = sendonly ? AUDIT_MEDIUM : AUDIT_LOW;
	s = xasprintf("role %s; RunAsUser=%s", ac->a->role,
	    run != NULL ? run : "(unset: root)");
	audit_add(ac, "runasuser", sev, bad,
	    "The daemon keeps root although its role does not deliver "
	    "locally", s,
	    "A send-only or relaying server never writes to mailboxes, so "
	    "root buys it nothing: with RunAsUser a bug in the SMTP code "
	    "gives an attacker an unprivileged account, not root.  (A gateway "
	    "that still delivers some mail locally needs root for that.)",
	    "By hand: make the queue directories, the maps and the pid file "
	    "belong to a dedicated user (Debian: smmta:smmsp), then "
	    "define(`confRUN_AS_USER', `smmta:smmsp') and apply.  Not done "
	    "automatically: the ownership change must come first.");

	def = audit_cf_option(&ac->cf, "DefaultUser");
	name = def != NULL ? xstrndup(def, strcspn(def, ":")) : NULL;
	u = name != NULL ? audit_user(ac, name) : NULL;
	bad = def == NULL || strcmp(name, "nobody") == 0 ||
	    (u != NULL && u->uid == 65534) || (u != NULL && u->uid == 0);
	f = audit_add(ac, "defaultuser", AUDIT_LOW, bad,
	    "DefaultUser is not a dedicated user",
	    xasprintf("DefaultUser=%s", def != NULL ? def :
	    "(unset: mailnull, else uid 1)"),
	    "Programs and files named in aliases and .forward files run as "
	    "DefaultUser when no other user applies.  nobody is shared with "
	    "NFS and other daemons; a dedicated user keeps what those "
	    "programs can touch to mail's own files.",
	    "define(`confDEF_USER_ID', `mail:mail') in the mc (a user with "
	    "no login shell that owns nothing but mail).");
	free(name);
	if (audit_user(ac, "mail") != NULL)
		audit_fix_define(f, "confDEF_USER_ID", "mail:mail");
	else {
		free(f->fix_text);
		f->fix_text = xstrdup("Create a dedicated user without a "
		    "login shell and name it in confDEF_USER_ID.");
	}

	audit_cf_options(&ac->cf, "DaemonPortOptions", &ports);
	if (ports.n == 0)
		strv_push(&wild, "(no DaemonPortOptions: all addresses)");
	for (i = 0; i < ports.n; i++) {
		addr = audit_daemon_addr(ports.v[i], &fam);
		if (addr == NULL)
			strv_push(&wild, ports.v[i]);
		free(addr);
		free(fam);
	}
	s = wild.n > 0 ? strv_join(&wild, "; ") : xstrdup("loopback or "
	    "named addresses only");
	audit_add(ac, "listen-all", AUDIT_MEDIUM, sendonly && wild.n > 0,
	    "A send-only server listens on every address", s,
	    "A null client sends its mail to a hub and has nothing to "
	    "receive from the network.  Listening on all addresses exposes "
	    "the SMTP code to anyone who can reach the host, for no use.",
	    "By hand: DAEMON_OPTIONS(`Family=inet, Name=MTA-v4, Port=smtp, "
	    "Addr=127.0.0.1') in the mc, then smadm apply.");
	strv_release(&ports);
	strv_release(&wild);
}

static void
check_prog(struct actx *ac)
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

static void
check_aliases(struct actx *ac)
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
	audit_add(ac, "alias-pipe", ac->prog_smrsh ? AUDIT_LOW : AUDIT_MEDIUM,
	    as.pipes_bad.n > 0,
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

static void
check_options(struct actx *ac)
{
	struct audit_finding	*f;
	const char		*v;
	long			 n;
	char			*end;
	int			 bad;

	v = audit_cf_option(&ac->cf, "SafeFileEnvironment");
	f = audit_add(ac, "safefileenv", AUDIT_LOW, v == NULL || *v == '\0',
	    "SafeFileEnvironment is unset",
	    xasprintf("SafeFileEnvironment=%s", v != NULL ? v : "(unset)"),
	    "With it set, deliveries to files (aliases, .forward) go only to "
	    "regular files, never through symlinks or to devices, and with a "
	    "directory sendmail chroots there first.",
	    "define(`confSAFE_FILE_ENV', `/') in the mc.");
	audit_fix_define(f, "confSAFE_FILE_ENV", "/");

	v = audit_cf_option(&ac->cf, "TempFileMode");
	n = v != NULL ? strtol(v, &end, 8) : 0600;
	bad = v != NULL && (n & 077) != 0;
	f = audit_add(ac, "tempfilemode", AUDIT_MEDIUM, bad,
	    "TempFileMode lets others read queue files",
	    xasprintf("TempFileMode=%s", v != NULL ? v : "(unset: 0600)"),
	    "Queue data and temporary files are created with this mode: "
	    "anything above 0600 lets local users read other people's mail.",
	    "define(`confTEMP_FILE_MODE', `0600') in the mc.");
	audit_fix_define(f, "confTEMP_FILE_MODE", "0600");

	v = audit_cf_option(&ac->cf, "ForwardPath");
	audit_add(ac, "forwardpath", AUDIT_INFO, v == NULL ||
	    strcmp(v, "$z/.forward.$w:$z/.forward") == 0,
	    "ForwardPath is the default: users' .forward files are honoured",
	    xasprintf("ForwardPath=%s", v != NULL ? v : "(unset: "
	    "$z/.forward)"),
	    "Every user can redirect their mail, including to programs and "
	    "files, with a .forward in their home directory.  Fine on a "
	    "server for its users; on a relay or a server without shell "
	    "users you may want to decide where forwards live.",
	    "By hand, if wanted: define(`confFORWARD_PATH', `') to ignore "
	    ".forward files, or point it at an administrator's directory.");

	v = audit_cf_option(&ac->cf, "PostmasterCopy");
	f = audit_add(ac, "postmastercopy", AUDIT_LOW, v == NULL || *v == '\0',
	    "PostmasterCopy is unset",
	    xasprintf("PostmasterCopy=%s", v != NULL ? v : "(unset)"),
	    "Copies of error messages (bounces) go to this address: without "
	    "it, the postmaster does not see probing, misconfiguration or "
	    "abuse that shows up as bounces.",
	    "define(`confCOPY_ERRORS_TO', `postmaster') in the mc.");
	audit_fix_define(f, "confCOPY_ERRORS_TO", "postmaster");

	v = audit_cf_option(&ac->cf, "LogLevel");
	n = v != NULL ? strtol(v, NULL, 10) : 9;
	f = audit_add(ac, "loglevel", AUDIT_MEDIUM, n < 9,
	    "LogLevel is below 9",
	    xasprintf("LogLevel=%s", v != NULL ? v : "(unset: 9)"),
	    "Below 9 sendmail does not log all deliveries and rejections: "
	    "abuse and relay attempts leave no trace.  Higher levels log "
	    "more: 12 adds every connection; on this sendmail (8.17.1.9, "
	    "measured) both sides of the SMTP conversation appear only from "
	    "15, not from 12 as often written, and at 15 every command and "
	    "reply is a log line, which costs disk space on a busy server.",
	    "define(`confLOG_LEVEL', `9') in the mc.");
	audit_fix_define(f, "confLOG_LEVEL", "9");

	v = audit_cf_option(&ac->cf, "MaxDaemonChildren");
	n = v != NULL ? strtol(v, NULL, 10) : 0;
	f = audit_add(ac, "maxdaemonchildren", n <= 0 ? AUDIT_MEDIUM :
	    AUDIT_LOW, n <= 0 || n > 1000,
	    n <= 0 ? "MaxDaemonChildren is unlimited" :
	    "MaxDaemonChildren is very high",
	    xasprintf("MaxDaemonChildren=%s", v != NULL ? v : "(unset: 0, "
	    "no limit)"),
	    "Each SMTP connection forks a child.  Without a limit a flood of "
	    "connections forks until the host runs out of memory or "
	    "processes.",
	    "define(`confMAX_DAEMON_CHILDREN', `40') in the mc (size it to "
	    "the host).");
	audit_fix_define(f, "confMAX_DAEMON_CHILDREN", "40");

	v = audit_cf_option(&ac->cf, "ConnectionRateThrottle");
	n = v != NULL ? strtol(v, NULL, 10) : 0;
	f = audit_add(ac, "connectionratethrottle", AUDIT_LOW,
	    n <= 0 || n > 1000,
	    n <= 0 ? "ConnectionRateThrottle is unset" :
	    "ConnectionRateThrottle is very high",
	    xasprintf("ConnectionRateThrottle=%s", v != NULL ? v :
	    "(unset: no limit)"),
	    "It limits how many connections per second the daemon accepts; "
	    "without it one client can hit MaxDaemonChildren at once and "
	    "lock everyone else out.",
	    "define(`confCONNECTION_RATE_THROTTLE', `10') in the mc.");
	audit_fix_define(f, "confCONNECTION_RATE_THROTTLE", "10");
}

static void
check_users(struct actx *ac)
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

static void
check_relay(struct actx *ac)
{
	static const struct {
		const char		*feature;
		enum audit_severity	 sev;
		const char		*title;
		const char		*why;
	} feats[] = {
		{ "promiscuous_relay", AUDIT_HIGH,
		  "FEATURE(promiscuous_relay): an open relay",
		  "The server relays mail from anyone to anywhere.  Spammers "
		  "find open relays within hours; the server lands on block "
		  "lists and its own mail stops being delivered." },
		{ "relay_entire_domain", AUDIT_MEDIUM,
		  "FEATURE(relay_entire_domain)",
		  "Every host in the local domain ($m) may relay, including "
		  "ones nobody manages (DHCP clients, compromised desktops); "
		  "list the real networks in the access map instead." },
		{ "relay_based_on_MX", AUDIT_MEDIUM,
		  "FEATURE(relay_based_on_MX)",
		  "The server relays for any domain whose MX points at it: "
		  "whoever controls some DNS can make it a relay for their "
		  "domain without asking." },
		{ "loose_relay_check", AUDIT_MEDIUM,
		  "FEATURE(loose_relay_check)",
		  "Percent-hack addresses (user%other@here) are relayed: an "
		  "old trick to turn a server into a relay." },
		{ "relay_local_from", AUDIT_MEDIUM,
		  "FEATURE(relay_local_from)",
		  "Relaying depends on the envelope sender's domain, which "
		  "anyone can forge." }
	};
	struct audit_finding	*f;
	char			*id, *fix;
	size_t			 i;
	int			 on;

	for (i = 0; i < nitems(feats); i++) {
		on = audit_cf_has_m4(&ac->cf, feats[i].feature);
		if (strcmp(feats[i].feature, "promiscuous_relay") == 0 &&
		    !ac->cf.relaying_denied && ac->cf.nmailers > 0)
			on = 1;
		id = xasprintf("relay-%s", feats[i].feature);
		fix = xasprintf("Remove FEATURE(`%s') from the mc; relay "
		    "for your networks with Connect:NET RELAY in the access "
		    "map.", feats[i].feature);
		f = audit_add(ac, id, feats[i].sev, on, feats[i].title,
		    xstrdup(on ? "on" : "off"), feats[i].why, fix);
		audit_fix_feature(f, feats[i].feature, 0, NULL);
		free(id);
		free(fix);
	}
	on = audit_cf_has_m4(&ac->cf, "accept_unresolvable_domains");
	f = audit_add(ac, "accept-unresolvable", ac->a->internet ?
	    AUDIT_MEDIUM : AUDIT_INFO, on,
	    "FEATURE(accept_unresolvable_domains)",
	    xasprintf("on; the daemon %s", ac->a->internet ? "listens beyond "
	    "loopback" : "listens on loopback only"),
	    "Senders whose domain does not exist in DNS are accepted: such "
	    "mail cannot be answered and is nearly always spam or backscatter. "
	    "Harmless on a host that only takes mail from itself.",
	    "Remove FEATURE(`accept_unresolvable_domains') from the mc.");
	audit_fix_feature(f, "accept_unresolvable_domains", 0, NULL);
}

static void
check_access(struct actx *ac)
{
	const struct table_def	*td = profile_table_def("access");
	struct audit_finding	*f;
	struct table		*t;
	struct strv		 broad = STRV_INIT, keys = STRV_INIT;
	const char		*why;
	char			*path = NULL, *cause = NULL, *v;
	size_t			 i;

	for (i = 0; i < ac->cf.map_names.n; i++)
		if (strcmp(ac->cf.map_names.v[i], "access") == 0) {
			free(path);
			path = audit_spec_path(ac->cf.map_specs.v[i]);
		}
	if (path == NULL) {
		audit_add(ac, "access-relay-broad", AUDIT_HIGH, 0,
		    "Broad RELAY entries in the access map",
		    xstrdup("no access map"), "-", "-");
		return;
	}
	if ((t = table_load(ac->h->t, td, path, 1, NULL, &cause)) == NULL) {
		audit_note(ac, cause);
		free(path);
		return;
	}
	for (i = 0; i < t->nentries; i++) {
		if (t->entries[i].bad || t->entries[i].value == NULL)
			continue;
		v = xstrndup(t->entries[i].value, t->entries[i].valuelen);
		if (strcasecmp(str_trim(v), "RELAY") == 0 &&
		    audit_access_broad(t->entries[i].key, &why)) {
			strv_pushf(&broad, "%s:%zu: %s RELAY (%s)", path,
			    t->entries[i].line + 1, t->entries[i].key, why);
			strv_push(&keys, t->entries[i].key);
		}
		free(v);
	}
	table_free(t);
	f = audit_add(ac, "access-relay-broad", AUDIT_HIGH, broad.n > 0,
	    "Broad RELAY entries in the access map",
	    broad.n > 0 ? strv_join(&broad, "\n") : xasprintf("%s: none",
	    path),
	    "An empty key or a one-octet network (a /8: 16 million "
	    "addresses) with RELAY makes the server an open relay for a "
	    "large part of the Internet.",
	    "Comment out these entries in the access map and rebuild "
	    "access.db; then add RELAY entries for the networks you mean.");
	if (broad.n > 0) {
		f->fix = AUDIT_FIX_ACCESS;
		f->fix_name = xstrdup(path);
		f->fix_value = strv_join(&keys, "\n");
	}
	free(path);
	strv_release(&broad);
	strv_release(&keys);
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
	int			 bad_owner;

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
		sev = (ts.mode & 002) ? AUDIT_HIGH : AUDIT_MEDIUM;
		f = audit_add(ac, id, sev, (ts.mode & 077) != 0 || bad_owner,
		    (ts.mode & 077) != 0 ? "Queue directory open to other "
		    "users" : bad_owner ? "Queue directory owned by another "
		    "user" : "Queue directory mode 0700",
		    xasprintf("%s %s: mode %04o, uid %ld", label, path,
		    (unsigned)ts.mode, (long)ts.uid),
		    "The queue holds every message in transit.  sendmail "
		    "wants it 0700 and owned by root (or RunAsUser): "
		    "otherwise local users read other people's mail or plant "
		    "queue files.", "chmod 0700 (and chown root).");
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

static void
check_modes(struct actx *ac)
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

/* ---- version (the rest is in audit-version.c) ---- */

static void
check_version(struct actx *ac)
{
	char	*version, *cause = NULL;

	if (audit_version_read(ac->h, AUDIT_VERSION_TIMEOUT, &version,
	    &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	/* Passed or not, the end of audit_run_cf() filters. */
	audit_version_add(ac->a, AUDIT_ALL, version);
	free(version);
}

/* ---- the run ---- */

static void
audit_find_smrsh(struct actx *ac)
{
	struct tstat	 ts;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; audit_smrsh_paths[i] != NULL; i++) {
		if (transport_stat(ac->h->t, audit_smrsh_paths[i], 1, &ts,
		    &cause) == 0 && ts.type == TS_REG) {
			ac->smrsh = audit_smrsh_paths[i];
			break;
		}
		free(cause);
		cause = NULL;
	}
	for (i = 0; audit_smrsh_dirs[i] != NULL; i++) {
		if (transport_stat(ac->h->t, audit_smrsh_dirs[i], 1, &ts,
		    &cause) == 0 && ts.type == TS_DIR) {
			ac->smrsh_dir = audit_smrsh_dirs[i];
			break;
		}
		free(cause);
		cause = NULL;
	}
}

int
audit_run(struct host *h, int flags, struct audit **ap, char **cause)
{
	struct buf	 cftext = BUF_INIT;
	int		 rc;

	*ap = NULL;
	if (h->prof->cf == NULL) {
		*cause = xstrdup("the profile names no cf");
		return -1;
	}
	if (transport_read_file(h->t, h->prof->cf, &cftext, AUDIT_MAX_FILE,
	    cause) != 0)
		return -1;
	rc = audit_run_cf(h, cftext.data, cftext.len, flags, ap, cause);
	buf_release(&cftext);
	return rc;
}

int
audit_run_cf(struct host *h, const char *cftext, size_t cflen, int flags,
    struct audit **ap, char **cause unused)
{
	struct actx	 ac;
	struct audit	*a;
	char		*err = NULL;
	size_t		 i, j;

	memset(&ac, 0, sizeof ac);
	buf_init(&ac.mctext);
	ac.h = h;
	ac.a = a = xcalloc(1, sizeof *a);
	audit_cf_parse(&ac.cf, cftext, cflen);
	if (h->prof->mc != NULL) {
		if (transport_read_file(h->t, h->prof->mc, &ac.mctext,
		    AUDIT_MAX_FILE, &err) == 0)
			ac.mc = mc_parse(h->prof->mc, ac.mctext.data,
			    ac.mctext.len);
		else
			audit_note(&ac, err);
	}
	audit_read_passwd(&ac);
	audit_read_shells(&ac);
	audit_find_smrsh(&ac);
	audit_role(&ac);

	check_greeting(&ac);
	check_privacy(&ac);
	check_privileges(&ac);
	check_prog(&ac);
	check_aliases(&ac);
	check_options(&ac);
	check_users(&ac);
	check_relay(&ac);
	check_access(&ac);
	check_modes(&ac);
	if (!(flags & AUDIT_NO_VERSION))
		check_version(&ac);

	/* A fix that edits the mc needs an mc. */
	for (i = 0; i < a->n; i++) {
		if (ac.mc == NULL && (a->v[i].fix == AUDIT_FIX_DEFINE ||
		    a->v[i].fix == AUDIT_FIX_FEATURE ||
		    a->v[i].fix == AUDIT_FIX_PRIVACY))
			a->v[i].fix = AUDIT_FIX_NONE;
	}
	if (!(flags & AUDIT_ALL)) {
		for (i = j = 0; i < a->n; i++) {
			if (a->v[i].passed)
				audit_finding_release(&a->v[i]);
			else
				a->v[j++] = a->v[i];
		}
		a->n = j;
	}
	audit_sort(a);

	audit_cf_release(&ac.cf);
	buf_release(&ac.mctext);
	mc_free(ac.mc);
	for (i = 0; i < ac.nusers; i++) {
		free(ac.users[i].name);
		free(ac.users[i].shell);
	}
	free(ac.users);
	strv_release(&ac.shells);
	strv_release(&ac.owners);
	*ap = a;
	return 0;
}
