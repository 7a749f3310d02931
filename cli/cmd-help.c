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
	int			 used;

	if (argc == 2 && strcmp(argv[1], "--man") == 0) {
		cmd_help_man(ctx->out);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		size_t i;

		for (i = 0; cmd_table[i] != NULL; i++)
			if (!(cmd_table[i]->flags & CMD_HIDDEN))
				fprintf(ctx->out, "%s\n", cmd_table[i]->name);
		return 0;
	}
	if (argc == 1) {
		fprintf(ctx->out, "smadm commands:\n");
		cmd_help_list(ctx->out, 0);
		return 0;
	}
	if ((ce = cmd_find(argc - 1, argv + 1, &used)) == NULL ||
	    used != argc - 1)
		return cmd_error(ctx, "help: no command \"%s\"", argv[1]);
	cmd_help_one(ctx->out, ce);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	"help", "[COMMAND | --list | --man]",
	"Describe the commands, or one command",
	"--list prints the command names, one per line; --man prints the "
	"COMMANDS section of smadm(8), which is generated from the same table.",
	CMD_NOHOST, cmd_help_exec
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
	"version", "", "Print smadm's version", NULL, CMD_NOHOST,
	cmd_version_exec
};
