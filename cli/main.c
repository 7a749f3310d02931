/*
 * main.c -- smadm's entry point: global options, then either a command
 * from the table or the console.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tui/tui.h"
#include "cmd.h"
#include "config.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: smadm [-y] [--json] [-r DIR] [COMMAND [ARGS...]]\n"
	    "\n"
	    "Without a command, smadm opens the console.  Options:\n"
	    "  -r, --root DIR   use the profile DIR/smadm.conf (default: "
	    "detect the local system)\n"
	    "  -y, --yes        answer yes to confirmations (for scripts)\n"
	    "      --json       machine-readable output where supported\n"
	    "  -V, --version    print the version\n"
	    "  -h, --help       this help\n"
	    "\nCommands:\n");
	cmd_help_list(f, 0);
	fprintf(f, "\n\"smadm help COMMAND\" describes one command; "
	    "smadm(8) has the details.\n");
}

/* Ask on the controlling terminal; only used when there is one. */
static int
cli_confirm(struct cmd_ctx *ctx unused, const char *question, char **cause)
{
	char	 line[64];
	FILE	*tty;
	int	 yes;

	if ((tty = fopen("/dev/tty", "r+")) == NULL) {
		*cause = xasprintf("%s: no terminal to ask; add --yes to go "
		    "ahead", question);
		return -1;
	}
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	if (fgets(line, sizeof line, tty) == NULL)
		line[0] = '\0';
	fclose(tty);
	yes = line[0] == 'y' || line[0] == 'Y';
	if (!yes)
		*cause = xstrdup("cancelled");
	return yes;
}

static char *
self_path(const char *argv0)
{
	char	buf[PATH_MAX];
	ssize_t	n;

	n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = '\0';
		return xstrdup(buf);
	}
	if (realpath(argv0, buf) != NULL)
		return xstrdup(buf);
	return xstrdup(argv0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*ce;
	struct cmd_ctx		 ctx;
	char			*cause = NULL;
	int			 ch, used, rc;

	/* Past a file size limit, a write fails (EFBIG) and is reported. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	/* "+": stop at the first word; the rest belongs to the command. */
	while ((ch = getopt_long(argc, argv, "+r:yVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			ctx.root = optarg;
			break;
		case 'y':
			ctx.yes = 1;
			break;
		case 'j':
			ctx.json = 1;
			break;
		case 'V':
			printf("smadm %s\n", SMADM_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	ctx.self = self_path(argv[0]);
	argc -= optind;
	argv += optind;
	ctx.interactive = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
	if (ctx.interactive)
		ctx.confirm = cli_confirm;

	if (argc == 0) {
		if ((ctx.host = host_open_local(ctx.root, &cause)) == NULL) {
			fprintf(stderr, "smadm: %s\n", cause);
			free(cause);
			free(ctx.self);
			return 1;
		}
		rc = tui_main(&ctx);
		goto out;
	}
	if ((ce = cmd_find(argc, argv, &used)) == NULL ||
	    (ce->flags & CMD_HIDDEN && used == 0)) {
		fprintf(stderr, "smadm: unknown command \"%s\" (try \"smadm "
		    "--help\")\n", argv[0]);
		free(ctx.self);
		return 2;
	}
	if (!(ce->flags & CMD_NOHOST) &&
	    (ctx.host = host_open_local(ctx.root, &cause)) == NULL) {
		fprintf(stderr, "smadm: %s\n", cause);
		free(cause);
		free(ctx.self);
		return 1;
	}
	/* The command sees its own words as argv[0], like getopt expects. */
	rc = cmd_run(ce, &ctx, argc - used + 1, argv + used - 1);
	fflush(stdout);
out:
	if (ctx.error != NULL) {
		fprintf(stderr, "smadm: %s\n", ctx.error);
		free(ctx.error);
		if (rc == 0)
			rc = 1;
	}
	host_free(ctx.host);
	free(ctx.self);
	return rc;
}
