/*
 * audit.c -- the security audit's run (see audit.h): it reads the live cf,
 * the mc, /etc/passwd and /etc/shells through the host's transport into
 * the context the checks share (audit-int.h), runs the checks of
 * audit-config.c and audit-local.c, and keeps the list of findings with
 * its severities, score and order.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit-int.h"
#include "mc.h"

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

struct audit_finding *
audit_add(struct actx *ac, const char *id, enum audit_severity sev,
    int failed, const char *title, char *current, const char *why,
    const char *fix_text)
{
	return audit_finding_add(ac->a, id, sev, failed, title, current, why,
	    fix_text);
}

struct audit_finding *
audit_finding_add(struct audit *a, const char *id, enum audit_severity sev,
    int failed, const char *title, char *current, const char *why,
    const char *fix_text)
{
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

void
audit_fix_define(struct audit_finding *f, const char *name, const char *value)
{
	f->fix = AUDIT_FIX_DEFINE;
	f->fix_name = xstrdup(name);
	f->fix_value = value != NULL ? xstrdup(value) : NULL;
}

void
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
	free(a->role_why);
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

void
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

const struct audit_user *
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

int
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
char *
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

static int
strv_has(const struct strv *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		if (strcasecmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

/* Names in class w (C lines and the Fw file) besides localhost. */
static void
audit_local_names(struct actx *ac, struct strv *names)
{
	struct strv	 w = STRV_INIT, words = STRV_INIT;
	struct buf	 text = BUF_INIT;
	char		*path, *err = NULL;
	size_t		 i, j;

	audit_cf_class(&ac->cf, "w", &w);
	for (i = 0; i < ac->cf.file_classes.n; i++) {
		if (strcmp(ac->cf.file_classes.v[i], "w") != 0 ||
		    (path = audit_spec_path(ac->cf.file_specs.v[i])) == NULL)
			continue;
		buf_reset(&text);
		if (transport_read_file(ac->h->t, path, &text, AUDIT_MAX_FILE,
		    &err) == 0) {
			strv_split_char(&words, text.data, '\n');
			for (j = 0; j < words.n; j++)
				if (words.v[j][0] != '#')
					strv_split_ws(&w, words.v[j]);
			strv_release(&words);
		}
		free(err);
		err = NULL;
		free(path);
	}
	for (i = 0; i < w.n; i++)
		if (strcasecmp(w.v[i], "localhost") != 0 &&
		    strncasecmp(w.v[i], "localhost.", 10) != 0 &&
		    w.v[i][0] != '[' && !strv_has(names, w.v[i]))
			strv_push(names, w.v[i]);
	strv_release(&w);
	buf_release(&text);
}

/*
 * The role decides which checks apply: the smadm template's VERSIONID
 * when there is one, else what the cf shows.  A server that delivers
 * mail locally is not a gateway because it also routes some domains
 * through a mailertable.  role_why says what the inference saw.
 */
static void
audit_role(struct actx *ac)
{
	struct strv		 ports = STRV_INIT, local = STRV_INIT;
	struct strv		 names = STRV_INIT;
	const struct mc_item	*it;
	char			*addr, *fam, *s;
	const char		*mcv = NULL, *p, *role, *smart, *mta;
	size_t			 i, j;
	int			 mailertable;

	static const char *const roles[] = { "nullclient", "local",
	    "gateway", "smarthost" };
	static const char *const local_m4[] = { "local_lmtp",
	    "local_procmail", "use_cw_file" };

	/* VERSIONID(`smadm gateway role for mx.example.org') */
	for (i = 0; ac->mc != NULL && i < ac->mc->nitems; i++) {
		it = &ac->mc->items[i];
		if (it->kind == MC_MAILER && it->nargs >= 1 &&
		    strcmp(it->args[0].value, "local") == 0 &&
		    !strv_has(&local, "MAILER(local) in the mc"))
			strv_push(&local, "MAILER(local) in the mc");
		if (it->kind != MC_VERSIONID || it->nargs < 1 ||
		    strncmp(it->args[0].value, "smadm ", 6) != 0)
			continue;
		p = it->args[0].value + 6;
		for (j = 0; j < nitems(roles); j++)
			if (strncmp(p, roles[j], strlen(roles[j])) == 0 &&
			    strncmp(p + strlen(roles[j]), " role", 5) == 0)
				mcv = roles[j];
	}
	for (i = 0; i < nitems(local_m4); i++)
		if (audit_cf_has_m4(&ac->cf, local_m4[i]))
			strv_pushf(&local, "FEATURE(%s)", local_m4[i]);
	audit_local_names(ac, &names);
	if (names.n > 0) {
		s = strv_join(&names, " ");
		strv_pushf(&local, "local names (class w): %s", s);
		free(s);
	}
	mailertable = audit_cf_has_m4(&ac->cf, "mailertable");
	smart = audit_cf_macro(&ac->cf, "S");
	if (smart != NULL && *smart == '\0')
		smart = NULL;

	if (mcv != NULL) {
		role = mcv;
		ac->a->role_why = xasprintf("declared by the smadm template's "
		    "VERSIONID in the mc (smadm %s role)", mcv);
	} else if (audit_cf_has_m4(&ac->cf, "msp")) {
		if ((mta = audit_cf_macro(&ac->cf, "MTAHost")) == NULL)
			mta = audit_cf_macro(&ac->cf, "{MTAHost}");
		role = "msp";
		ac->a->role_why = xasprintf("FEATURE(msp): a mail submission "
		    "program (submit.cf), a client that hands every message "
		    "to the MTA at %s over SMTP; its mailers run no program "
		    "and it delivers nothing here", mta != NULL && *mta !=
		    '\0' ? mta : "[localhost]");
	} else if (audit_cf_has_m4(&ac->cf, "nullclient")) {
		role = "nullclient";
		ac->a->role_why = xstrdup("FEATURE(nullclient): everything "
		    "goes to the hub, nothing is delivered here");
	} else if (mailertable && local.n == 0) {
		role = "gateway";
		ac->a->role_why = xstrdup("FEATURE(mailertable) and no sign "
		    "of local delivery (no MAILER(local) in the mc, no "
		    "local_lmtp, no use_cw_file, no local names): it relays "
		    "for other domains");
	} else {
		role = smart != NULL ? "smarthost" : "local";
		s = local.n > 0 ? strv_join(&local, ", ") :
		    xstrdup("no mailertable and no nullclient");
		ac->a->role_why = xasprintf("delivers locally: %s%s%s%s", s,
		    smart != NULL ? "; other mail goes to the smart host " : "",
		    smart != NULL ? smart : "", mailertable ? "; it also "
		    "routes some domains by mailertable, which does not make "
		    "it a gateway" : "");
		free(s);
	}
	ac->a->role = xstrdup(role);

	audit_cf_options(&ac->cf, "DaemonPortOptions", &ports);
	if (ports.n == 0)
		ac->a->internet = 1;	/* sendmail's default: all addresses */
	for (i = 0; i < ports.n; i++) {
		addr = audit_daemon_addr(ports.v[i], &fam);
		if (!util_is_loopback(addr))
			ac->a->internet = 1;
		free(addr);
		free(fam);
	}
	strv_release(&ports);
	strv_release(&local);
	strv_release(&names);
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

	audit_check_greeting(&ac);
	audit_check_privacy(&ac);
	audit_check_privileges(&ac);
	audit_check_prog(&ac);
	audit_check_aliases(&ac);
	audit_check_options(&ac);
	audit_check_users(&ac);
	audit_check_relay(&ac);
	audit_check_access(&ac);
	audit_check_modes(&ac);
	audit_check_hostname(&ac);
	if (!(flags & AUDIT_NO_VERSION))
		audit_check_version(&ac);

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
