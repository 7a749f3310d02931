/*
 * cmd-help.c -- "smadm help" and "smadm version".
 */
#include <string.h>

#include "cmd.h"
#include "config.h"

static int
cmd_help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	size_t			 i;
	int			 used;

	if (cmd_args_has(ctx, 'm') && argc == 1) {
		cmd_help_man(ctx->out);
		return 0;
	}
	if (cmd_args_has(ctx, 'l') && argc == 1) {
		for (i = 0; cmd_table[i] != NULL; i++)
			if (!(cmd_table[i]->flags & CMD_HIDDEN))
				fprintf(ctx->out, "%s\n", cmd_table[i]->name);
		return 0;
	}
	if (ctx->args != NULL && ctx->args->n > 0)
		return cmd_usage(ctx, &cmd_help_entry);
	if (argc == 1) {
		fprintf(ctx->out, "smadm commands:\n");
		cmd_help_list(ctx->out, 0);
		return 0;
	}
	if ((ce = cmd_find(argc - 1, argv + 1, &used)) == NULL) {
		/* "help map": the commands of the group. */
		if (argc == 2 && cmd_help_group(ctx->out, argv[1]) > 0)
			return 0;
		return cmd_error(ctx, "help: %s", cmd_find_error(argc - 1,
		    argv + 1, "\"smadm help\" lists them"));
	}
	if (used != argc - 1)
		return cmd_error(ctx, "help: no command \"%s\"", argv[1]);
	cmd_help_one(ctx->out, ce);
	return 0;
}

static const struct cmd_opt cmd_help_opts[] = {
	{ 'l', "list", NULL, "the command names, one per line",
	    CMD_OPT_LONG },
	{ 'm', "man", NULL, "the COMMANDS section of smadm(8)", CMD_OPT_LONG },
	{ 0, NULL, NULL, NULL, 0 }
};

const struct cmd_entry cmd_help_entry = {
	"help", "[COMMAND [SUBCOMMAND] | --list | --man]",
	"Describe the commands, or one command",
	"--list prints the command names, one per line; --man prints the "
	"COMMANDS section of smadm(8), which is generated from the same table.",
	CMD_NOHOST | CMD_QUICK, cmd_help_exec, cmd_help_opts
};

static int
cmd_completion_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc != 2)
		return cmd_usage(ctx, &cmd_completion_entry);
	if (cmd_completion(ctx->out, argv[1]) != 0)
		return cmd_error(ctx, "completion: no script for \"%s\" "
		    "(bash or zsh)", argv[1]);
	return 0;
}

const struct cmd_entry cmd_completion_entry = {
	"completion", "bash|zsh",
	"Print a shell completion script for smadm",
	"The script completes the command words, each command's options, the "
	"values of some options (directories, queue names) and the table "
	"names of the map commands (asked of smadm with the same -r or -H); "
	"it is generated from the same table as this help.  Install it with "
	"eval \"$(smadm completion bash)\" in ~/.bashrc (zsh: the same in "
	"~/.zshrc, through zsh's bashcompinit).",
	CMD_NOHOST | CMD_RAW | CMD_QUICK, cmd_completion_exec, NULL
};

static int
cmd_version_exec(struct cmd_ctx *ctx, int argc, char **argv unused)
{
	if (argc != 1)
		return cmd_usage(ctx, &cmd_version_entry);
	fprintf(ctx->out, "smadm %s\n", SMADM_VERSION);
	return 0;
}

const struct cmd_entry cmd_version_entry = {
	"version", "", "Print smadm's version", NULL,
	CMD_NOHOST | CMD_QUICK, cmd_version_exec, NULL
};
