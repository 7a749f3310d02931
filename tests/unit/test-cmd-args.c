/*
 * test-cmd-args.c -- the command table's option parser (cli/cmd-args.c)
 * on the real entries: where options may stand, "--", --json, clusters,
 * abbreviations and the errors.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../cli/cmd.h"

/* Parse the blank-separated words of line for the entry named name. */
static int
parse(const char *name, const char *line, struct cmd_args *args,
    char **cause)
{
	static struct strv	 sv;
	const struct cmd_entry	*ce;
	const char		*last;

	strv_release(&sv);
	ce = cmd_lookup(name);
	last = strrchr(name, ' ');
	strv_push(&sv, last != NULL ? last + 1 : name);
	strv_split_ws(&sv, line);
	*cause = NULL;
	return cmd_args_parse(ce, (int)sv.n, sv.v, args, cause);
}

/* Does s start with prefix? */
static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The words after words[0], joined by "|". */
static char *
words(const struct cmd_args *args)
{
	struct buf	b = BUF_INIT;
	int		i;

	for (i = 1; i < args->nwords; i++)
		buf_printf(&b, "%s%s", i > 1 ? "|" : "", args->words[i]);
	return buf_detach(&b);
}

TEST(cmd_args_anywhere_and_json)
{
	struct cmd_args	 a;
	char		*cause, *w;

	CHECK(parse("queue list", "-rl --sort=age --queue mta --json", &a,
	    &cause) == 0);
	CHECK(a.json == 1 && a.n == 4 && a.nwords == 1);
	CHECK(a.v[0].opt->ch == 'r' && a.v[1].opt->ch == 'l');
	CHECK_STR(a.v[2].value, "age");
	CHECK_STR(a.v[3].value, "mta");
	cmd_args_release(&a);

	/* Options after words, "--" ending them, -nVALUE. */
	CHECK(parse("log tail", "-n5 --fol", &a, &cause) == 0);
	CHECK(a.n == 2 && a.v[0].opt->ch == 'n' && a.v[1].opt->ch == 'f');
	CHECK_STR(a.v[0].value, "5");
	cmd_args_release(&a);
	CHECK(parse("map build", "access -a -- -n", &a, &cause) == 0);
	w = words(&a);
	CHECK_STR(w, "access|-n");
	free(w);
	CHECK(a.n == 1);
	cmd_args_release(&a);

	/* CMD_OPTS_FIRST: a word ends the options, but not --json. */
	CHECK(parse("map show", "access --json", &a, &cause) == 0);
	CHECK(a.json == 1);
	cmd_args_release(&a);
	CHECK(parse("mc set", "--submit confX -1", &a, &cause) == 0);
	w = words(&a);
	CHECK_STR(w, "confX|-1");
	free(w);
	CHECK(a.n == 1);
	cmd_args_release(&a);
	/* ...and a word there that is one of its options is refused. */
	CHECK(parse("mc set", "--submit confX -1 -s", &a, &cause) == -1);
	CHECK(strncmp(cause, "mc set: option -s after the words; options go "
	    "before them (to give \"-s\" as a word, put \"--\" before it)",
	    98) == 0);
	free(cause);
	CHECK(parse("map set", "access k -y", &a, &cause) == -1);
	CHECK(strncmp(cause, "map set: -y is smadm's own option and goes "
	    "before the command", 61) == 0);
	free(cause);
	/* "--" ends the options wherever it stands, once. */
	CHECK(parse("map set", "-- access -- -KEY OK", &a, &cause) == 0);
	w = words(&a);
	CHECK_STR(w, "access|--|-KEY|OK");
	free(w);
	cmd_args_release(&a);
	CHECK(parse("map set", "access -- -KEY --json", &a, &cause) == 0);
	w = words(&a);
	CHECK_STR(w, "access|-KEY|--json");
	free(w);
	CHECK(a.json == 0);
	cmd_args_release(&a);
	CHECK(parse("map set", "access key --json", &a, &cause) == -1);
	CHECK(strncmp(cause, "map set: --json is not supported; usage: "
	    "smadm map set NAME", 59) == 0);
	free(cause);
}

TEST(cmd_args_help_and_words)
{
	struct cmd_args	 a;
	char		*cause;
	const char	*argv[] = { "map", "bogus" };

	/* --help anywhere before "--", -h where the command has no -h. */
	CHECK(parse("queue list", "--sort age --help -x", &a, &cause) == 0);
	CHECK(a.help == 1);
	cmd_args_release(&a);
	CHECK(parse("map set", "access k --help", &a, &cause) == 0);
	CHECK(a.help == 1);
	cmd_args_release(&a);
	CHECK(parse("queue list", "-h", &a, &cause) == 0);
	CHECK(a.help == 1);
	cmd_args_release(&a);
	CHECK(parse("map set", "access -- k --help", &a, &cause) == 0);
	CHECK(a.help == 0 && a.nwords == 4);
	cmd_args_release(&a);
	/* The words are counted against the usage. */
	CHECK(parse("map list", "extra", &a, &cause) == -1);
	CHECK(starts(cause, "map list: unexpected word \"extra\"; usage:"));
	free(cause);
	CHECK(parse("map del", "access k v", &a, &cause) == -1);
	CHECK(starts(cause, "map del: unexpected word \"v\";"));
	free(cause);
	CHECK(parse("map set", "access k v w x", &a, &cause) == 0);
	cmd_args_release(&a);
	CHECK(parse("wizard", "--answers f --print", &a, &cause) == 0);
	cmd_args_release(&a);
	CHECK(parse("help", "queue list", &a, &cause) == 0);
	cmd_args_release(&a);
	CHECK(parse("queue list", "-r /tmp/x", &a, &cause) == -1);
	CHECK(strstr(cause, "unexpected word \"/tmp/x\" (-r here is the "
	    "command's option; smadm's own -r goes before the command)") !=
	    NULL);
	free(cause);
	CHECK(parse("status", "-r /tmp/x", &a, &cause) == -1);
	CHECK(strncmp(cause, "status: unknown option -r (smadm's own -r goes "
	    "before the command: smadm -r DIR status ...);", 92) == 0);
	free(cause);
	/* A group, and the console's doubled prefix. */
	CHECK_STR(cmd_find_error(1, (char **)argv, "h"), "map: needs a "
	    "subcommand: list, show, set, del, rename, comment, check, build, "
	    "lookup, dump");
	CHECK(strncmp(cmd_find_error(2, (char **)argv, "h"), "unknown map "
	    "subcommand \"bogus\"; map has: list, ", 46) == 0);
	CHECK_STR(cmd_find_error(1, (char **)argv + 1, "h"),
	    "unknown command \"bogus\" (h)");
	CHECK_STR(cmd_error_bare(cmd_lookup("queue delete"),
	    "queue delete: unknown option -y"), "unknown option -y");
	CHECK_STR(cmd_error_bare(cmd_lookup("queue delete"),
	    "queue: x"), "queue: x");
}

TEST(cmd_args_errors)
{
	struct cmd_args	 a;
	char		*cause;

	CHECK(parse("queue list", "-x", &a, &cause) == -1);
	CHECK(strncmp(cause, "queue list: unknown option -x; usage: smadm "
	    "queue list [--sort KEY]", 50) == 0);
	free(cause);
	CHECK(parse("queue list", "--sort", &a, &cause) == -1);
	CHECK(strncmp(cause, "queue list: --sort needs an argument;", 37) ==
	    0);
	free(cause);
	CHECK(parse("log tail", "-fn", &a, &cause) == -1);
	CHECK(strncmp(cause, "log tail: -n needs an argument;", 31) == 0);
	free(cause);
	CHECK(parse("apply", "--dry-run=yes", &a, &cause) == -1);
	CHECK(strncmp(cause, "apply: --dry-run takes no argument;", 35) == 0);
	free(cause);
	CHECK(parse("map set", "--json access k v", &a, &cause) == -1);
	CHECK(strncmp(cause, "map set: --json is not supported; usage: "
	    "smadm map set", 54) == 0);
	free(cause);
	/* After "--", --json is a word: one too many here. */
	CHECK(parse("map show", "access -- --json", &a, &cause) == -1);
	CHECK(starts(cause, "map show: unexpected word \"--json\";"));
	free(cause);
	CHECK(parse("queue list", "-- --json", &a, &cause) == -1);
	CHECK(starts(cause, "queue list: unexpected word \"--json\";"));
	free(cause);
	/* --l is --live or --long... for audit only --live. */
	CHECK(parse("audit", "--l", &a, &cause) == 0);
	CHECK(a.n == 1 && a.v[0].opt->ch == 'l');
	cmd_args_release(&a);
	CHECK(parse("queue list", "--=x", &a, &cause) == -1);
	CHECK(strncmp(cause, "queue list: unknown option --=x;", 32) == 0);
	free(cause);
	CHECK(parse("queue flush", "--reason x", &a, &cause) == -1);
	CHECK(strncmp(cause, "queue flush: unknown option --reason;", 37) ==
	    0);
	free(cause);
}
