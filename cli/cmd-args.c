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

/*
 * The option of smadm itself (cmd_global_opts) that word names exactly,
 * as -C or --NAME; NULL if none.  --json and --help are not counted:
 * every command has its own answer to them.
 */
static const struct cmd_opt *
args_global(const char *word)
{
	const struct cmd_opt	*o;

	for (o = cmd_global_opts; o->ch != 0; o++) {
		if (o->ch == 'j' || o->ch == 'h')
			continue;
		if (word[0] == '-' && word[1] == o->ch && word[2] == '\0' &&
		    !(o->flags & CMD_OPT_LONG))
			return o;
		if (strncmp(word, "--", 2) == 0 && strcmp(word + 2,
		    o->name) == 0)
			return o;
	}
	return NULL;
}

/*
 * "unknown option -r", with a hint when smadm itself has that option:
 * "(smadm's own -r goes before the command: smadm -r DIR status ...)".
 */
static char *
args_unknown(const struct cmd_entry *ce, const char *word)
{
	const struct cmd_opt	*o;
	char			*msg, *s;

	if ((o = args_global(word)) == NULL)
		return args_error(ce, "unknown option %s", word);
	msg = xasprintf("unknown option %s (smadm's own %s goes before the "
	    "command: smadm %s%s%s %s ...)", word, word, word,
	    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "",
	    ce->name);
	s = args_error(ce, "%s", msg);
	free(msg);
	return s;
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
		*cause = cmd_args_no_json(ce);
		return -1;
	}
	if (len == 0 || (o = args_find_long(ce, name, len, &ambiguous)) ==
	    NULL) {
		*cause = ambiguous ? args_error(ce, "ambiguous option %s",
		    word) : args_unknown(ce, word);
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
			if (p == argv[*i] + 1 && p[1] == '\0')
				*cause = args_unknown(ce, argv[*i]);
			else
				*cause = args_error(ce, "unknown option %s",
				    flag);
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

char *
cmd_args_no_json(const struct cmd_entry *ce)
{
	return args_error(ce, "%s is not supported", "--json");
}

/*
 * A word after the first word of a CMD_OPTS_FIRST command that would be
 * taken for an option: one of the command's own, or smadm's.  Such a word
 * is data there, which is a trap ("map set T K --json" would store
 * "--json"), so it is refused; "--" before it makes it a word.  0 when
 * the word is plain data.
 */
static int
args_late_option(const struct cmd_entry *ce, const char *word, char **cause)
{
	const struct cmd_opt	*o;
	const char		*eq;
	size_t			 len;
	char			*what;

	if (word[0] != '-' || word[1] == '\0')
		return 0;
	if (strcmp(word, "--json") == 0) {
		*cause = cmd_args_no_json(ce);
		return -1;
	}
	if (args_global(word) != NULL) {
		what = xasprintf("%s is smadm's own option and goes before the "
		    "command (to give \"%s\" as a word, put \"--\" before "
		    "it)", word, word);
		*cause = args_error(ce, "%s", what);
		free(what);
		return -1;
	}
	for (o = ce->opts; o != NULL && o->ch != 0; o++) {
		eq = strchr(word, '=');
		len = eq != NULL ? (size_t)(eq - word) : strlen(word);
		if ((word[1] == o->ch && word[2] == '\0' &&
		    !(o->flags & CMD_OPT_LONG)) || (strncmp(word, "--", 2) ==
		    0 && len - 2 == strlen(o->name) && strncmp(word + 2,
		    o->name, len - 2) == 0)) {
			what = xasprintf("option %s after the words; options "
			    "go before them (to give \"%s\" as a word, put "
			    "\"--\" before it)", word, word);
			*cause = args_error(ce, "%s", what);
			free(what);
			return -1;
		}
	}
	return 0;
}

/*
 * The most words ce takes after its name, from its usage ("NAME KEY"
 * is 2, "[N]" 1, "EXPR..." any: -1); an option's argument is not a word.
 */
static int
args_max_words(const struct cmd_entry *ce)
{
	const char		*p = ce->args, *end;
	const struct cmd_opt	*o;
	size_t			 len;
	int			 n = 0, skip = 0;

	for (;;) {
		p += strspn(p, " []()|");
		if (*p == '\0')
			break;
		len = strcspn(p, " []()|");
		end = p + len;
		if (skip)
			skip = 0;
		else if (*p == '-') {
			for (o = ce->opts; o != NULL && o->ch != 0; o++)
				if (len > 2 && strlen(o->name) == len - 2 &&
				    strncmp(p + 2, o->name, len - 2) == 0)
					skip = o->arg != NULL;
		} else if (len >= 3 && strncmp(end - 3, "...", 3) == 0)
			return -1;
		else
			n++;
		p = end;
	}
	return n;
}

int
cmd_args_parse(const struct cmd_entry *ce, int argc, char **argv,
    struct cmd_args *args, char **cause)
{
	const char	*w;
	char		*hint, *msg;
	int		 i, ended = 0, seen_word = 0, first_only, rc, max;

	memset(args, 0, sizeof *args);
	args->words = xcalloc((size_t)argc + 1, sizeof *args->words);
	args->words[args->nwords++] = argv[0];
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (ended || (ce->flags & CMD_OWN_ARGS)) {
			args->words[args->nwords++] = argv[i];
			continue;
		}
		if (strcmp(w, "--") == 0) {
			ended = 1;
			continue;
		}
		first_only = seen_word && (ce->flags & CMD_OPTS_FIRST);
		/* --help (and -h, if the command has no -h) is its help. */
		if (strcmp(w, "--help") == 0 || (strcmp(w, "-h") == 0 &&
		    !first_only && args_find_short(ce, 'h') == NULL)) {
			args->help = 1;
			break;
		}
		if (first_only) {
			/*
			 * After the first word of a CMD_OPTS_FIRST command
			 * only --json is an option (if the command has it);
			 * another option there is refused, not taken as data.
			 */
			if (strcmp(w, "--json") == 0 && (ce->flags & CMD_JSON))
				args->json = 1;
			else if (args_late_option(ce, w, cause) != 0)
				goto fail;
			else
				args->words[args->nwords++] = argv[i];
			continue;
		}
		if (w[0] == '-' && w[1] != '\0') {
			if (w[1] == '-')
				rc = args_long(ce, argc, argv, &i, args, cause);
			else
				rc = args_short(ce, argc, argv, &i, args,
				    cause);
			if (rc != 0)
				goto fail;
			continue;
		}
		args->words[args->nwords++] = argv[i];
		seen_word = 1;
	}
	args->words[args->nwords] = NULL;
	if (!args->help && !(ce->flags & CMD_OWN_ARGS) &&
	    (max = args_max_words(ce)) >= 0 && args->nwords - 1 > max) {
		w = args->words[max + 1];
		/* "queue list -r /tmp/x": -r is --reverse there. */
		hint = xstrdup("");
		for (i = 1; i < argc; i++) {
			if (argv[i] != w || args_global(argv[i - 1]) == NULL ||
			    args_global(argv[i - 1])->arg == NULL)
				continue;
			free(hint);
			hint = xasprintf(" (%s here is the command's option; "
			    "smadm's own %s goes before the command)",
			    argv[i - 1], argv[i - 1]);
		}
		/* "audit bogus": audit is a command and a group too. */
		if (*hint == '\0' && max == 0) {
			free(hint);
			hint = cmd_group_words(ce->name);
			if (*hint != '\0') {
				msg = hint;
				hint = xasprintf(" (%s has: %s)", ce->name, msg);
				free(msg);
			}
		}
		msg = xasprintf("unexpected word \"%s\"%s", w, hint);
		*cause = args_error(ce, "%s", msg);
		free(msg);
		free(hint);
		goto fail;
	}
	return 0;
fail:
	cmd_args_release(args);
	return -1;
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
