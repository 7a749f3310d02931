/*
 * wizard-profile.c -- the wizard's mc keeps where the profile puts things:
 * its queue, pid file, alias file, tables and port (see wizard.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mc.h"
#include "wizard.h"

/*
 * Defines that say where sendmail keeps or finds things, or how it reaches
 * them: kept from the host's current mc when the role's template does not
 * set them itself.
 */
static const char *const where_defines[] = {
	"QUEUE_DIR", "confPID_FILE", "ALIAS_FILE", "STATUS_FILE", "HELP_FILE",
	"confCONTROL_SOCKET_NAME", "confDEAD_LETTER_DROP",
	"confSERVICE_SWITCH_FILE", "confHOSTS_FILE",
	"confHOST_STATUS_DIRECTORY", "confCW_FILE", "confCT_FILE",
	"confCR_FILE", "confDONT_BLAME_SENDMAIL", "confDONT_PROBE_INTERFACES",
	"confEBINDIR", "LOCAL_MAILER_PATH", "LOCAL_MAILER_ARGS",
	"LOCAL_MAILER_FLAGS", "LOCAL_SHELL_PATH", "SMTP_MAILER_ARGS",
	"ESMTP_MAILER_ARGS", "SMTP8_MAILER_ARGS", "DSMTP_MAILER_ARGS",
	"RELAY_MAILER_ARGS",
};

/* FEATUREs that name a map file, and the profile table each one reads. */
static const struct {
	const char	*feature;
	const char	*table;
} map_features[] = {
	{ "access_db", "access" },
	{ "mailertable", "mailertable" },
	{ "virtusertable", "virtusertable" },
	{ "genericstable", "genericstable" },
	{ "domaintable", "domaintable" },
};

/* Class files the cf reads, and the profile table each one is. */
static const struct {
	const char	*define;
	const char	*table;
} class_files[] = {
	{ "confCW_FILE", "local_host_names" },
	{ "confCT_FILE", "trusted_users" },
	{ "confCR_FILE", "relay_domains" },
};

static int
wizard_is_where(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(where_defines); i++)
		if (strcmp(where_defines[i], name) == 0)
			return 1;
	return 0;
}

/* Is path the table's place in the stock layouts (the OSTYPE's)? */
static int
wizard_stock_path(const char *table, const char *path)
{
	const struct table_def	*def = profile_table_def(table);

	return def != NULL && (strcmp(def->debian_path, path) == 0 ||
	    strcmp(def->rhel_path, path) == 0);
}

char *
wizard_profile_port(const struct profile *p)
{
	const char	*c;

	if (p->listen == NULL || (c = strrchr(p->listen, ':')) == NULL ||
	    c[1] == '\0')
		return NULL;
	return xstrdup(c + 1);
}

char *
wizard_profile_addr(const struct profile *p)
{
	const char	*c;

	if (p->listen == NULL || (c = strrchr(p->listen, ':')) == NULL ||
	    c == p->listen || memchr(p->listen, ':', (size_t)(c -
	    p->listen)) != NULL || p->listen[0] == '[')
		return NULL;
	return xstrndup(p->listen, (size_t)(c - p->listen));
}

/*
 * The current mc's own settings for where things are, kept: every
 * where_defines entry it defines and the role does not, its undefines of
 * them, and the program FEATURE(`smrsh') names.  A sandbox's mc is
 * smadm's own plumbing (its switch file, its mailers to the dead port,
 * its delivery into the sandbox mailbox): there every define the role
 * does not set is kept, SMART_HOST aside (routing is the role's).
 */
static int
wizard_keep_current(struct mc *n, const struct mc *c, int sandbox,
    char **cause)
{
	const struct mc_item	*it, *win;
	struct strv		 args = STRV_INIT;
	const char		*name;
	size_t			 i;
	int			 rc = -1;

	for (i = 0; i < c->nitems; i++) {
		it = &c->items[i];
		if ((it->kind != MC_DEFINE && it->kind != MC_UNDEFINE) ||
		    it->nargs < 1)
			continue;
		name = it->args[0].value;
		if (!sandbox && !wizard_is_where(name))
			continue;
		if (strcmp(name, "SMART_HOST") == 0 ||
		    mc_find_define(n, name) != NULL)
			continue;
		if (it->kind == MC_UNDEFINE)
			continue;
		win = mc_find_define(c, name);
		if (win != it || it->nargs < 2)
			continue;
		if (mc_define_set(n, name, it->args[1].value, cause) < 0)
			goto out;
	}
	if ((it = mc_find_feature(c, "smrsh")) != NULL && it->nargs >= 2 &&
	    mc_find_feature(n, "smrsh") != NULL) {
		strv_push(&args, it->args[1].value);
		if (mc_feature_set(n, "smrsh", 1, &args, cause) < 0)
			goto out;
	}
	rc = 0;
out:
	strv_release(&args);
	return rc;
}

/*
 * The current mc's undefines (of the defines wizard_keep_current would
 * keep) cancel what the OSTYPE sets: they go right after the role's
 * OSTYPE line, where the role's own defines still win over them.
 */
static void
wizard_keep_undefines(struct buf *mc, const struct mc *c, int sandbox)
{
	struct mc		*n;
	const struct mc_item	*it, *os = NULL;
	struct buf		 text = BUF_INIT;
	size_t			 i, at;

	n = mc_parse("wizard mc", mc->data, mc->len);
	for (i = 0; os == NULL && i < n->nitems; i++)
		if (n->items[i].kind == MC_OSTYPE)
			os = &n->items[i];
	if (os == NULL)
		goto out;
	at = os->off + os->len;
	buf_add(&text, mc->data, at);
	for (i = 0; i < c->nitems; i++) {
		it = &c->items[i];
		if (it->kind != MC_UNDEFINE || it->nargs < 1 ||
		    (!sandbox && !wizard_is_where(it->args[0].value)) ||
		    mc_find_define(c, it->args[0].value) != NULL ||
		    mc_find_define(n, it->args[0].value) != NULL)
			continue;
		buf_add(&text, c->text.data + it->off, it->len);
	}
	buf_add(&text, mc->data + at, mc->len - at);
	buf_reset(mc);
	buf_add(mc, text.data, text.len);
out:
	buf_release(&text);
	mc_free(n);
}

/*
 * A map FEATURE's arguments with the file changed to path: the map type
 * and flags of the template stay ("hash -T<TMPF> -o DIR/access").
 */
static void
wizard_map_args(const struct mc_item *it, const char *path,
    struct strv *args)
{
	struct strv	 words = STRV_INIT;
	size_t		 i;
	char		*spec;
	struct buf	 b = BUF_INIT;

	if (it->nargs < 2 || *it->args[1].value == '\0') {
		spec = xasprintf("hash -o %s", path);
		strv_push(args, spec);
		free(spec);
		return;
	}
	strv_split_ws(&words, it->args[1].value);
	for (i = 0; i + 1 < words.n; i++)
		buf_printf(&b, "%s ", words.v[i]);
	buf_addstr(&b, path);
	strv_push(args, b.data);
	for (i = 2; i < it->nargs; i++)
		strv_push(args, it->args[i].value);
	buf_release(&b);
	strv_release(&words);
}

int
wizard_profile_mc(const struct profile *p, const char *cur, size_t curlen,
    struct buf *mc, char **cause)
{
	struct mc		*n, *c = NULL;
	const struct mc_item	*it;
	struct strv		 args = STRV_INIT;
	const char		*path;
	char			*v;
	size_t			 i;
	int			 rc = -1;

	if (cur != NULL) {
		c = mc_parse(p->mc, cur, curlen);
		wizard_keep_undefines(mc, c, p->sandbox);
	}
	n = mc_parse("wizard mc", mc->data, mc->len);
	if (c != NULL) {
		if (wizard_keep_current(n, c, p->sandbox, cause) != 0)
			goto out;
	}
	/* What the profile says wins over the current mc. */
	if (p->queue_dirs.n == 1 && mc_define_set(n, "QUEUE_DIR",
	    p->queue_dirs.v[0], cause) < 0)
		goto out;
	if (p->pid_file != NULL && mc_define_set(n, "confPID_FILE",
	    p->pid_file, cause) < 0)
		goto out;
	if ((path = profile_table_path(p, "aliases")) != NULL &&
	    mc_define_set(n, "ALIAS_FILE", path, cause) < 0)
		goto out;
	for (i = 0; i < nitems(class_files); i++) {
		path = profile_table_path(p, class_files[i].table);
		if (path == NULL || wizard_stock_path(class_files[i].table,
		    path))
			continue;
		v = xasprintf("-o %s", path);
		if (mc_define_set(n, class_files[i].define, v, cause) < 0) {
			free(v);
			goto out;
		}
		free(v);
	}
	for (i = 0; i < nitems(map_features); i++) {
		if ((it = mc_find_feature(n, map_features[i].feature)) ==
		    NULL || (path = profile_table_path(p,
		    map_features[i].table)) == NULL)
			continue;
		strv_release(&args);
		wizard_map_args(it, path, &args);
		if (mc_feature_set(n, map_features[i].feature, 1, &args,
		    cause) < 0)
			goto out;
	}
	buf_reset(mc);
	buf_add(mc, n->text.data, n->text.len);
	rc = 0;
out:
	strv_release(&args);
	mc_free(n);
	if (c != NULL)
		mc_free(c);
	return rc;
}
