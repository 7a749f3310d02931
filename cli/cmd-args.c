/*
 * cmd-args.c -- the one option parser of the command table (cmd.h): the
 * words of a command are read once against its struct cmd_opt template,
 * and exec functions ask the result (cmd_args_has, cmd_args_get,
 * cmd_args_next) instead of running getopt themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* What main.c accepts before the command; listed by help and completion. */
const struct cmd_opt cmd_global_opts[] = {
	{ 'r', "root", "DIR", "use the profile DIR/smadm.conf (default: "
	    "detect the local system)", 0 },
	{ 'H', "host", "HOST", "manage HOST over SSH ([user@]host[:port] or "
	    "a Host of ~/.ssh/config)", 0 },
	{ 'A', "accept-new-host-key", NULL, "accept and remember HOST's key "
	    "when it is not known yet", CMD_OPT_LONG },
	{ 'R', "remote-smadm", "PATH", "smadm on HOST (default: this "
	    "binary's path; \"none\")", CMD_OPT_LONG },
	{ 'y', "yes", NULL, "answer yes to confirmations (for scripts)", 0 },
	{ 'j', "json", NULL, "machine-readable output where supported (also "
	    "after the command's words)", CMD_OPT_LONG },
	{ 'V', "version", NULL, "print the version", 0 },
	{ 'h', "help", NULL, "this help", 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

static const struct cmd_opt cmd_json_opt = {
	'j', "json", NULL, "machine-readable output", CMD_OPT_LONG
};

static char *
args_error(const struct cmd_entry *ce, const char *fmt, const char *what)
{
	char	*msg, *syn, *s;

	msg = xasprintf(fmt, what);
	syn = cmd_synopsis(ce);
	s = xasprintf("%s: %s; usage: smadm %s%s%s", ce->name, msg, ce->name,
	    *syn != '\0' ? " " : "", syn);
	free(syn);
	free(msg);
	return s;
}

/* The option --name (or an unambiguous start of it); NULL if none. */
static const struct cmd_opt *
args_find_long(const struct cmd_entry *ce, const char *name, size_t len,
    int *ambiguous)
{
	const struct cmd_opt	*o, *found = NULL;
	int			 n = 0;

	*ambiguous = 0;
	if (ce->flags & CMD_JSON && strncmp("json", name, len) == 0) {
		found = &cmd_json_opt;
		n++;
		if (len == 4)
			return found;
	}
	for (o = ce->opts; o != NULL && o->ch != 0; o++) {
		if (strncmp(o->name, name, len) != 0)
			continue;
		if (strlen(o->name) == len)
			return o;
		if (found == &cmd_json_opt && strcmp(o->name, "json") == 0)
			continue;
		found = o;
		n++;
	}
	if (n > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return found;
}

static const struct cmd_opt *
args_find_short(const struct cmd_entry *ce, int ch)
{
	const struct cmd_opt	*o;

	for (o = ce->opts; o != NULL && o->ch != 0; o++)
		if (o->ch == ch && !(o->flags & CMD_OPT_LONG))
			return o;
	return NULL;
}

static void
args_add(struct cmd_args *args, const struct cmd_opt *o, const char *value)
{
	if (strcmp(o->name, "json") == 0) {
		args->json = 1;
		return;
	}
	args->v = xreallocarray(args->v, args->n + 1, sizeof *args->v);
	args->v[args->n].opt = o;
	args->v[args->n].value = value;
	args->n++;
}

/* One "--name[=value]" word at argv[*i]; 0, or -1 with *cause. */
static int
args_long(const struct cmd_entry *ce, int argc, char **argv, int *i,
    struct cmd_args *args, char **cause)
{
	const char		*word = argv[*i], *name = word + 2, *eq;
	const struct cmd_opt	*o;
	size_t			 len;
	int			 ambiguous = 0;

	eq = strchr(name, '=');
	len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	if (len == 4 && strncmp(name, "json", 4) == 0 &&
	    !(ce->flags & CMD_JSON)) {
		*cause = xasprintf("%s: --json is not supported", ce->name);
		return -1;
	}
	if (len == 0 || (o = args_find_long(ce, name, len, &ambiguous)) ==
	    NULL) {
		*cause = args_error(ce, ambiguous ? "ambiguous option %s" :
		    "unknown option %s", word);
		return -1;
	}
	if (o->arg == NULL) {
		if (eq != NULL) {
			*cause = args_error(ce, "--%s takes no argument",
			    o->name);
			return -1;
		}
		args_add(args, o, NULL);
		return 0;
	}
	if (eq != NULL) {
		args_add(args, o, eq + 1);
		return 0;
	}
	if (*i + 1 >= argc) {
		*cause = args_error(ce, "--%s needs an argument", o->name);
		return -1;
	}
	(*i)++;
	args_add(args, o, argv[*i]);
	return 0;
}

/* One "-abc" or "-nVALUE" word at argv[*i]. */
static int
args_short(const struct cmd_entry *ce, int argc, char **argv, int *i,
    struct cmd_args *args, char **cause)
{
	const char		*p = argv[*i] + 1;
	const struct cmd_opt	*o;
	char			 flag[3] = "-?";

	for (; *p != '\0'; p++) {
		flag[1] = *p;
		if ((o = args_find_short(ce, (unsigned char)*p)) == NULL) {
			*cause = args_error(ce, "unknown option %s", flag);
			return -1;
		}
		if (o->arg == NULL) {
			args_add(args, o, NULL);
			continue;
		}
		if (p[1] != '\0') {
			args_add(args, o, p + 1);
			return 0;
		}
		if (*i + 1 >= argc) {
			*cause = args_error(ce, "%s needs an argument", flag);
			return -1;
		}
		(*i)++;
		args_add(args, o, argv[*i]);
		return 0;
	}
	return 0;
}

int
cmd_args_parse(const struct cmd_entry *ce, int argc, char **argv,
    struct cmd_args *args, char **cause)
{
	const char	*w;
	int		 i, ended = 0, seen_word = 0, first_only, rc;

	memset(args, 0, sizeof *args);
	args->words = xcalloc((size_t)argc + 1, sizeof *args->words);
	args->words[args->nwords++] = argv[0];
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (ended || (ce->flags & CMD_OWN_ARGS)) {
			args->words[args->nwords++] = argv[i];
			continue;
		}
		first_only = seen_word && (ce->flags & CMD_OPTS_FIRST);
		if (strcmp(w, "--") == 0 && !first_only) {
			ended = 1;
			continue;
		}
		/*
		 * --json is an option wherever it stands in a command that
		 * has it; after the first word of a CMD_OPTS_FIRST command,
		 * nothing else is.
		 */
		if ((strcmp(w, "--json") == 0 && (ce->flags & CMD_JSON)) ||
		    (w[0] == '-' && w[1] != '\0' && !first_only)) {
			if (w[1] == '-')
				rc = args_long(ce, argc, argv, &i, args, cause);
			else
				rc = args_short(ce, argc, argv, &i, args,
				    cause);
			if (rc != 0) {
				cmd_args_release(args);
				return -1;
			}
			continue;
		}
		args->words[args->nwords++] = argv[i];
		seen_word = 1;
	}
	args->words[args->nwords] = NULL;
	return 0;
}

void
cmd_args_release(struct cmd_args *args)
{
	free(args->v);
	free(args->words);
	memset(args, 0, sizeof *args);
}

int
cmd_args_has(const struct cmd_ctx *ctx, int ch)
{
	size_t	i;
	int	n = 0;

	if (ctx->args == NULL)
		return 0;
	for (i = 0; i < ctx->args->n; i++)
		if (ctx->args->v[i].opt->ch == ch)
			n++;
	return n;
}

const char *
cmd_args_get(const struct cmd_ctx *ctx, int ch)
{
	const char	*value = NULL;
	size_t		 i;

	if (ctx->args == NULL)
		return NULL;
	for (i = 0; i < ctx->args->n; i++)
		if (ctx->args->v[i].opt->ch == ch)
			value = ctx->args->v[i].value;
	return value;
}

int
cmd_args_next(const struct cmd_ctx *ctx, size_t *i, const char **value)
{
	if (ctx->args == NULL || *i >= ctx->args->n)
		return -1;
	*value = ctx->args->v[*i].value;
	return ctx->args->v[(*i)++].opt->ch;
}

char *
cmd_synopsis(const struct cmd_entry *ce)
{
	const struct cmd_opt	*o;
	struct buf		 b = BUF_INIT;
	char			*long_name;
	int			 json = 0;

	for (o = ce->opts; o != NULL && o->ch != 0; o++) {
		if (strcmp(o->name, "json") == 0)
			json = 1;
		long_name = xasprintf("--%s", o->name);
		if (strstr(ce->args, long_name) == NULL) {
			buf_printf(&b, "%s[%s%s%s]", b.len > 0 ? " " : "",
			    long_name, o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		}
		free(long_name);
	}
	if ((ce->flags & CMD_JSON) && !json && strstr(ce->args,
	    "--json") == NULL)
		buf_printf(&b, "%s[--json]", b.len > 0 ? " " : "");
	if (*ce->args != '\0')
		buf_printf(&b, "%s%s", b.len > 0 ? " " : "", ce->args);
	return buf_detach(&b);
}
