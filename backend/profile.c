/*
 * profile.c -- detect or read a host profile (see profile.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "profile.h"

const struct table_def profile_tables[] = {
	{ "access", TABLE_MAP, "/etc/mail/access", "/etc/mail/access",
	    "access" },
	{ "mailertable", TABLE_MAP, "/etc/mail/mailertable",
	    "/etc/mail/mailertable", "mailertable" },
	{ "virtusertable", TABLE_MAP, "/etc/mail/virtusertable",
	    "/etc/mail/virtusertable", "virtuser" },
	{ "genericstable", TABLE_MAP, "/etc/mail/genericstable",
	    "/etc/mail/genericstable", "generics" },
	{ "domaintable", TABLE_MAP, "/etc/mail/domaintable",
	    "/etc/mail/domaintable", "domaintable" },
	{ "aliases", TABLE_ALIASES, "/etc/mail/aliases", "/etc/aliases",
	    "aliases" },
	{ "local_host_names", TABLE_CLASS, "/etc/mail/local-host-names",
	    "/etc/mail/local-host-names", NULL },
	{ "relay_domains", TABLE_CLASS, "/etc/mail/relay-domains",
	    "/etc/mail/relay-domains", NULL },
	{ "trusted_users", TABLE_CLASS, "/etc/mail/trusted-users",
	    "/etc/mail/trusted-users", NULL },
};
const size_t profile_ntables = nitems(profile_tables);

const struct table_def *
profile_table_def(const char *name)
{
	size_t	i;

	for (i = 0; i < profile_ntables; i++) {
		if (strcmp(profile_tables[i].name, name) == 0)
			return &profile_tables[i];
	}
	/* Accept the file names too: local-host-names, relay-domains... */
	for (i = 0; i < profile_ntables; i++) {
		const char *p = profile_tables[i].name, *q = name;

		while (*p != '\0' && (*p == *q || (*p == '_' && *q == '-'))) {
			p++;
			q++;
		}
		if (*p == '\0' && *q == '\0')
			return &profile_tables[i];
	}
	return NULL;
}

static struct profile *
profile_new(const char *origin)
{
	struct profile	*p;
	size_t		 i;

	p = xcalloc(1, sizeof *p);
	p->origin = xstrdup(origin);
	strv_init(&p->queue_dirs);
	strv_init(&p->submit_queue_dirs);
	strv_init(&p->daemon_flags);
	strv_init(&p->syslog_command);
	strv_init(&p->service_start);
	strv_init(&p->service_stop);
	p->tables = xcalloc(profile_ntables, sizeof *p->tables);
	for (i = 0; i < profile_ntables; i++)
		p->tables[i].def = &profile_tables[i];
	p->sendmail = xstrdup(PATH_SENDMAIL);
	p->makemap = xstrdup(PATH_MAKEMAP);
	p->m4 = xstrdup(PATH_M4);
	p->cf_dir = xstrdup(SENDMAIL_CF_DIR);
	p->daemon_label = xstrdup("sm-mta");
	p->backup_keep = PROFILE_BACKUP_KEEP;
	p->backup_days = PROFILE_BACKUP_DAYS;
	return p;
}

void
profile_free(struct profile *p)
{
	size_t	i;

	if (p == NULL)
		return;
	free(p->origin);
	free(p->root);
	free(p->mc);
	free(p->cf);
	free(p->submit_mc);
	free(p->submit_cf);
	free(p->cf_dir);
	free(p->sendmail);
	free(p->makemap);
	free(p->m4);
	free(p->pid_file);
	free(p->mail_log);
	free(p->ns_dir);
	free(p->syslog_pid_file);
	free(p->listen);
	free(p->daemon_label);
	strv_release(&p->queue_dirs);
	strv_release(&p->submit_queue_dirs);
	strv_release(&p->daemon_flags);
	strv_release(&p->syslog_command);
	strv_release(&p->service_start);
	strv_release(&p->service_stop);
	for (i = 0; i < profile_ntables; i++)
		free(p->tables[i].path);
	free(p->tables);
	free(p);
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v != NULL ? xstrdup(v) : NULL;
}

struct profile *
profile_detect(struct transport *t)
{
	struct profile	*p;
	int		 rhel;
	size_t		 i;

	rhel = !transport_exists(t, "/etc/debian_version") &&
	    (transport_exists(t, "/etc/redhat-release") ||
	    transport_exists(t, "/usr/share/sendmail-cf"));
	p = profile_new(rhel ? "rhel" : "debian");
	set_str(&p->mc, "/etc/mail/sendmail.mc");
	set_str(&p->cf, "/etc/mail/sendmail.cf");
	set_str(&p->submit_mc, "/etc/mail/submit.mc");
	set_str(&p->submit_cf, "/etc/mail/submit.cf");
	if (rhel) {
		set_str(&p->cf_dir, "/usr/share/sendmail-cf");
		set_str(&p->pid_file, "/run/sendmail.pid");
		set_str(&p->mail_log, "/var/log/maillog");
		strv_push(&p->queue_dirs, "/var/spool/mqueue");
		strv_push(&p->submit_queue_dirs, "/var/spool/clientmqueue");
		strv_split_ws(&p->daemon_flags, "-bd -q1h");
		set_str(&p->daemon_label, "sendmail");
	} else {
		set_str(&p->pid_file, "/run/sendmail/mta/sendmail.pid");
		set_str(&p->mail_log, "/var/log/mail.log");
		strv_push(&p->queue_dirs, "/var/spool/mqueue");
		strv_push(&p->submit_queue_dirs, "/var/spool/mqueue-client");
		strv_split_ws(&p->daemon_flags, "-bd -q10m");
	}
	for (i = 0; i < profile_ntables; i++)
		p->tables[i].path = xstrdup(rhel ?
		    profile_tables[i].rhel_path :
		    profile_tables[i].debian_path);
	return p;
}

/* Make a smadm.conf path absolute against the profile directory. */
static char *
conf_path(const char *root, const char *v)
{
	if (*v == '/' || root == NULL)
		return xstrdup(v);
	return xasprintf("%s/%s", root, v);
}

static int
conf_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

#define PROFILE_TIMEOUT_MAX	3600	/* remote_timeout, seconds */

struct conf_key {
	const char	*key;
	size_t		 off;
	int		 kind;		/* 0 path, 1 string, 2 path list, 3 words */
};
#define PO(f) offsetof(struct profile, f)
static const struct conf_key conf_keys[] = {
	{ "mc", PO(mc), 0 },
	{ "cf", PO(cf), 0 },
	{ "submit_mc", PO(submit_mc), 0 },
	{ "submit_cf", PO(submit_cf), 0 },
	{ "cf_dir", PO(cf_dir), 0 },
	{ "sendmail", PO(sendmail), 0 },
	{ "makemap", PO(makemap), 0 },
	{ "m4", PO(m4), 0 },
	{ "pid_file", PO(pid_file), 0 },
	{ "mail_log", PO(mail_log), 0 },
	{ "namespace", PO(ns_dir), 0 },
	{ "syslog_pid_file", PO(syslog_pid_file), 0 },
	{ "listen", PO(listen), 1 },
	{ "daemon_label", PO(daemon_label), 1 },
	{ "queue_dirs", PO(queue_dirs), 2 },
	{ "submit_queue_dirs", PO(submit_queue_dirs), 2 },
	{ "daemon_flags", PO(daemon_flags), 3 },
	{ "syslog_command", PO(syslog_command), 3 },
	{ "service_start", PO(service_start), 3 },
	{ "service_stop", PO(service_stop), 3 },
};

/*
 * The backup retention keys: backup_keep (sets, 1..100000) and
 * backup_days (0..36500, 0 for no age limit).  Sets *found for them.
 */
static int
profile_backup_key(struct profile *p, const char *key, const char *val,
    const char *file, size_t lineno, int *found, char **cause)
{
	long long	 v;
	char		*why = NULL;
	int		*dst;
	long long	 min, max;

	if (strcmp(key, "backup_keep") == 0) {
		dst = &p->backup_keep;
		min = 1;
		max = 100000;
	} else if (strcmp(key, "backup_days") == 0) {
		dst = &p->backup_days;
		min = 0;
		max = 36500;
	} else
		return 0;
	*found = 1;
	if (str_tonum(val, min, max, &v, &why) != 0) {
		*cause = xasprintf("%s:%zu: %s: expected a number from %lld "
		    "to %lld, not \"%s\"", file, lineno, key, min, max, val);
		free(why);
		return -1;
	}
	*dst = (int)v;
	return 0;
}

struct profile *
profile_parse(const char *text, size_t len, const char *root,
    const char *file, char **cause)
{
	struct profile		*p;
	const struct table_def	*td;
	const char		*end = text + len, *nl;
	char			*line = NULL, *key, *val, *eq;
	struct strv		 words;
	char			*err = NULL;
	long long		 num;
	size_t			 i, lineno = 0;
	int			 found;

	p = profile_new(file);
	if (root != NULL)
		p->root = xstrdup(root);
	while (text < end) {
		lineno++;
		nl = memchr(text, '\n', (size_t)(end - text));
		if (nl == NULL)
			nl = end;
		free(line);
		line = xstrndup(text, (size_t)(nl - text));
		text = nl < end ? nl + 1 : end;
		key = str_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			*cause = xasprintf("%s:%zu: expected \"key = value\"",
			    file, lineno);
			goto fail;
		}
		*eq = '\0';
		key = str_trim(key);
		val = str_trim(eq + 1);
		found = 0;
		for (i = 0; i < nitems(conf_keys); i++) {
			const struct conf_key	*ck = &conf_keys[i];
			void			*f = (char *)p + ck->off;

			if (strcmp(ck->key, key) != 0)
				continue;
			found = 1;
			if (ck->kind == 0) {
				free(*(char **)f);
				*(char **)f = *val ? conf_path(root, val) : NULL;
			} else if (ck->kind == 1) {
				free(*(char **)f);
				*(char **)f = *val ? xstrdup(val) : NULL;
			} else if (ck->kind == 2) {
				size_t j;

				strv_release(f);
				strv_init(&words);
				strv_split_ws(&words, val);
				for (j = 0; j < words.n; j++)
					strv_push_nocopy(f,
					    conf_path(root, words.v[j]));
				strv_release(&words);
			} else {
				strv_release(f);
				strv_split_ws(f, val);
			}
		}
		if (!found && strcmp(key, "sandbox") == 0) {
			found = 1;
			if (conf_bool(val, &p->sandbox) != 0) {
				*cause = xasprintf("%s:%zu: sandbox: expected "
				    "yes or no, not \"%s\"", file, lineno, val);
				goto fail;
			}
		}
		if (!found && strcmp(key, "sudo") == 0) {
			found = 1;
			if (conf_bool(val, &p->sudo) != 0) {
				*cause = xasprintf("%s:%zu: sudo: expected "
				    "yes or no, not \"%s\"", file, lineno, val);
				goto fail;
			}
		}
		if (!found && profile_backup_key(p, key, val, file, lineno,
		    &found, cause) != 0)
			goto fail;
		if (!found && strcmp(key, "remote_timeout") == 0) {
			found = 1;
			if (str_tonum(val, 1, PROFILE_TIMEOUT_MAX, &num,
			    &err) != 0) {
				*cause = xasprintf("%s:%zu: remote_timeout: "
				    "expected seconds from 1 to %d, not \"%s\"",
				    file, lineno, PROFILE_TIMEOUT_MAX, val);
				free(err);
				goto fail;
			}
			p->remote_timeout = (int)num;
		}
		if (!found && (td = profile_table_def(key)) != NULL &&
		    strcmp(td->name, key) == 0) {
			found = 1;
			for (i = 0; i < profile_ntables; i++) {
				if (p->tables[i].def != td)
					continue;
				free(p->tables[i].path);
				p->tables[i].path = *val ?
				    conf_path(root, val) : NULL;
			}
		}
		if (!found) {
			*cause = xasprintf("%s:%zu: unknown key \"%s\"", file,
			    lineno, key);
			goto fail;
		}
		for (i = 0; i < nitems(conf_keys); i++) {
			if (conf_keys[i].kind != 0 ||
			    strcmp(conf_keys[i].key, key) != 0)
				continue;
			if (strcmp(key, "sendmail") == 0 ||
			    strcmp(key, "makemap") == 0 ||
			    strcmp(key, "m4") == 0) {
				if (*val != '/') {
					*cause = xasprintf("%s:%zu: %s must be "
					    "an absolute path", file, lineno,
					    key);
					goto fail;
				}
			}
		}
	}
	free(line);
	return p;
fail:
	free(line);
	profile_free(p);
	return NULL;
}

struct profile *
profile_load(struct transport *t, const char *dir, char **cause)
{
	struct buf	 text = BUF_INIT;
	struct profile	*p = NULL;
	char		*file, *root;
	size_t		 len;

	root = xstrdup(dir);
	len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		root[--len] = '\0';
	file = xasprintf("%s/smadm.conf", root);
	if (transport_read_file(t, file, &text, 1 << 20, cause) != 0)
		goto out;
	if (memchr(text.data, '\0', text.len) != NULL) {
		*cause = xasprintf("%s: binary data, not a smadm.conf", file);
		goto out;
	}
	p = profile_parse(text.data, text.len, root, file, cause);
out:
	buf_release(&text);
	free(file);
	free(root);
	return p;
}

const char *
profile_table_path(const struct profile *p, const char *name)
{
	const struct table_def	*td;
	size_t			 i;

	if ((td = profile_table_def(name)) == NULL)
		return NULL;
	for (i = 0; i < profile_ntables; i++)
		if (p->tables[i].def == td)
			return p->tables[i].path;
	return NULL;
}

void
profile_format(const struct profile *p, struct buf *out)
{
	struct profile	*def;
	size_t		 i;
	char		*s;

	/* A key unset on purpose ("key =") must stay unset when read back. */
	def = profile_new("default");
	for (i = 0; i < nitems(conf_keys); i++) {
		const struct conf_key	*ck = &conf_keys[i];
		const void		*f = (const char *)p + ck->off;
		const void		*d = (const char *)def + ck->off;

		if (ck->kind <= 1) {
			if (*(char *const *)f != NULL)
				buf_printf(out, "%s = %s\n", ck->key,
				    *(char *const *)f);
			else if (*(char *const *)d != NULL)
				buf_printf(out, "%s =\n", ck->key);
		} else if (((const struct strv *)f)->n != 0) {
			s = strv_join(f, " ");
			buf_printf(out, "%s = %s\n", ck->key, s);
			free(s);
		}
	}
	if (p->sandbox)
		buf_addstr(out, "sandbox = yes\n");
	if (p->sudo)
		buf_addstr(out, "sudo = yes\n");
	if (p->backup_keep != def->backup_keep)
		buf_printf(out, "backup_keep = %d\n", p->backup_keep);
	if (p->backup_days != def->backup_days)
		buf_printf(out, "backup_days = %d\n", p->backup_days);
	if (p->remote_timeout != 0)
		buf_printf(out, "remote_timeout = %d\n", p->remote_timeout);
	for (i = 0; i < profile_ntables; i++)
		if (p->tables[i].path != NULL)
			buf_printf(out, "%s = %s\n", p->tables[i].def->name,
			    p->tables[i].path);
	profile_free(def);
}

void
profile_missing(const struct profile *p, struct transport *t,
    struct strv *out)
{
	const char	*must[] = { p->mc, p->cf, p->sendmail, p->m4 };
	const char	*names[] = { "mc", "cf", "sendmail", "m4" };
	char		*m4cf;
	size_t		 i;

	for (i = 0; i < nitems(must); i++) {
		if (must[i] == NULL)
			strv_pushf(out, "%s: not configured", names[i]);
		else if (!transport_exists(t, must[i]))
			strv_pushf(out, "%s: %s does not exist", names[i],
			    must[i]);
	}
	if (p->cf_dir != NULL) {
		m4cf = xasprintf("%s/m4/cf.m4", p->cf_dir);
		if (!transport_exists(t, m4cf))
			strv_pushf(out, "cf_dir: %s missing (install "
			    "sendmail-cf)", m4cf);
		free(m4cf);
	}
	for (i = 0; i < p->queue_dirs.n; i++)
		if (!transport_exists(t, p->queue_dirs.v[i]))
			strv_pushf(out, "queue_dirs: %s does not exist",
			    p->queue_dirs.v[i]);
	for (i = 0; i < profile_ntables; i++) {
		if (p->tables[i].path != NULL &&
		    !transport_exists(t, p->tables[i].path))
			strv_pushf(out, "%s: %s does not exist",
			    p->tables[i].def->name, p->tables[i].path);
	}
}
