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
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../backend/safe-text.h"
#include "../backend/transport-ssh.h"
#include "../tui/tui.h"
#include "cmd.h"
#include "config.h"

static void
usage(FILE *f)
{
	const struct cmd_opt	*o;
	char			*left;

	fprintf(f, "usage: smadm [-y] [--json] [-H [USER@]HOST[:PORT]] "
	    "[-r DIR] [COMMAND [ARGS...]]\n"
	    "\n"
	    "Without a command, smadm opens the console.  Options:\n");
	for (o = cmd_global_opts; o->ch != 0; o++) {
		left = cmd_opt_left(o);
		if (strlen(left) > 22)
			fprintf(f, "  %s  %s\n", left, o->help);
		else
			fprintf(f, "  %-22s  %s\n", left, o->help);
		free(left);
	}
	fprintf(f, "\nCommands:\n");
	cmd_help_list(f, 0);
	fprintf(f, "\n\"smadm help COMMAND\" describes one command; "
	    "smadm(8) has the details.\n");
}

/* Ask on the controlling terminal; only used when there is one. */
static int
cli_confirm(struct cmd_ctx *ctx unused, const char *question, char **cause)
{
	char	 line[64], *safe;
	FILE	*tty;
	int	 yes;

	if ((tty = fopen("/dev/tty", "r+")) == NULL) {
		*cause = xasprintf("%s: no terminal to ask; add --yes to go "
		    "ahead", question);
		return -1;
	}
	safe = safe_text(question, SAFE_TEXT_LINES);
	fprintf(tty, "%s [y/N] ", safe);
	free(safe);
	fflush(tty);
	if (fgets(line, sizeof line, tty) == NULL)
		line[0] = '\0';
	fclose(tty);
	yes = line[0] == 'y' || line[0] == 'Y';
	if (!yes)
		*cause = xstrdup("cancelled");
	return yes;
}

/*
 * Ask on the controlling terminal for the SSH transport: a yes/no
 * question, a passphrase or a password (echo off).  Like ssh(1), this
 * works whenever there is a controlling terminal, even with stdin and
 * stdout redirected; without one nothing is asked.  Under the console,
 * curses lends the terminal for the question.  End of input: -1.
 */
static int
cli_prompt(void *arg, const char *question, int echo, struct buf *answer)
{
	struct cmd_ctx	*ctx = arg;
	struct termios	 old, quiet;
	char		 line[1024], *safe;
	FILE		*tty;
	size_t		 len;
	int		 restore = 0, got;

	/* The console's worker may not take the terminal from curses. */
	if (ctx->lend_terminal != NULL && ctx->lend_terminal(1) != 0)
		return -1;
	if ((tty = fopen("/dev/tty", "r+")) == NULL) {
		if (ctx->lend_terminal != NULL)
			ctx->lend_terminal(0);
		return -1;
	}
	/* The question may quote the server (keyboard-interactive). */
	safe = safe_text(question, SAFE_TEXT_LINES);
	fputs(safe, tty);
	free(safe);
	fflush(tty);
	if (!echo && tcgetattr(fileno(tty), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
	}
	got = fgets(line, sizeof line, tty) != NULL;
	if (restore) {
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
		fputc('\n', tty);
	}
	fclose(tty);
	if (ctx->lend_terminal != NULL)
		ctx->lend_terminal(0);
	if (!got)
		return -1;
	len = strcspn(line, "\r\n");
	buf_add(answer, line, len);
	explicit_bzero(line, sizeof line);
	return 0;
}

/*
 * A note from the SSH transport ("Permanently added ..."): on standard
 * error, and in the console's status line (kept for it when the console
 * has not started yet).
 */
static void
cli_notice(void *arg, const char *text)
{
	struct cmd_ctx	*ctx = arg;

	if (ctx->lend_terminal != NULL) {
		tui_message("%s", text);
		return;
	}
	fprintf(stderr, "smadm: %s\n", text);
	free(ctx->note);
	ctx->note = xstrdup(text);
}

/* Is there a controlling terminal to ask on? */
static int
cli_have_tty(void)
{
	int	fd;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0)
		return 0;
	close(fd);
	return 1;
}

static struct host *
open_host(struct cmd_ctx *ctx, struct ssh_opts *so, char **cause)
{
	if (ctx->remote == NULL)
		return host_open_local(ctx->root, cause);
	return host_open_ssh(so, ctx->root, cause);
}

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
		{ "host", required_argument, NULL, 'H' },
		{ "accept-new-host-key", no_argument, NULL, 'A' },
		{ "bench-repeat", required_argument, NULL, 'B' },
		{ "remote-smadm", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*ce;
	struct cmd_ctx		 ctx;
	struct ssh_opts		 so;
	struct cmd_args		 args;
	char			*cause = NULL;
	double			 t0;
	const char		*remote_smadm = NULL;
	int			 ch, used, rc = 0, i, repeat = 1;

	/* Past a file size limit, a write fails (EFBIG) and is reported. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ssh_opts_init(&so);
	ctx.ssh = &so;
	/* "+": stop at the first word; the rest belongs to the command. */
	while ((ch = getopt_long(argc, argv, "+r:H:yVh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'H':
			ctx.remote = optarg;
			break;
		case 'A':
			so.accept_new = 1;
			break;
		case 'R':
			remote_smadm = optarg;
			break;
		case 'B':
			/* Hidden: run the command N times on one connection. */
			repeat = atoi(optarg) > 0 ? atoi(optarg) : 1;
			break;
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
	so.spec = ctx.remote;
	/* The smadm on the far side is looked for at this binary's path. */
	so.smadm_path = remote_smadm != NULL ? remote_smadm : ctx.self;
	so.notice = cli_notice;
	so.notice_arg = &ctx;
	if (cli_have_tty()) {
		so.prompt = cli_prompt;
		so.prompt_arg = &ctx;
		/* Only the console asks about a new host key. */
		so.ask_host_key = argc == 0;
	}

	if (argc == 0) {
		if ((ctx.host = open_host(&ctx, &so, &cause)) == NULL) {
			cmd_print_cause(stderr, cause);
			free(cause);
			free(ctx.self);
			return 1;
		}
		rc = tui_main(&ctx);
		goto out;
	}
	if ((ce = cmd_find(argc, argv, &used)) == NULL ||
	    (ce->flags & CMD_HIDDEN && used == 0)) {
		cmd_print_cause(stderr, cmd_find_error(argc, argv,
		    "try \"smadm --help\""));
		free(ctx.self);
		return 2;
	}
	/*
	 * A mistake in the options is said before connecting anywhere, the
	 * same way whether --json came before the command or after it.
	 */
	if (ctx.json && !(ce->flags & CMD_JSON))
		cause = cmd_args_no_json(ce);
	else if (cmd_args_parse(ce, argc - used + 1, argv + used - 1, &args,
	    &cause) == 0 && args.help) {
		cmd_args_release(&args);
		cmd_help_one(stdout, ce);
		free(ctx.self);
		return 0;
	}
	if (cause != NULL) {
		cmd_print_cause(stderr, cause);
		free(cause);
		free(ctx.self);
		return 2;
	}
	cmd_args_release(&args);
	if (ctx.remote != NULL && (ce->flags & CMD_NOHOST) &&
	    strncmp(ce->name, "sandbox", 7) == 0) {
		fprintf(stderr, "smadm: %s: not available with -H (run it on "
		    "that host)\n", ce->name);
		free(ctx.self);
		return 2;
	}
	if (!(ce->flags & CMD_NOHOST) &&
	    (ctx.host = open_host(&ctx, &so, &cause)) == NULL) {
		cmd_print_cause(stderr, cause);
		free(cause);
		free(ctx.self);
		return 1;
	}
	/* The command sees its own words as argv[0], like getopt expects. */
	for (i = 0; i < repeat; i++) {
		t0 = now_s();
		rc = cmd_run(ce, &ctx, argc - used + 1, argv + used - 1);
		fflush(stdout);
		if (repeat > 1)
			fprintf(stderr, "smadm: run %d: %.3f s\n", i + 1,
			    now_s() - t0);
	}
out:
	if (ctx.error != NULL) {
		cmd_print_cause(stderr, ctx.error);
		free(ctx.error);
		if (rc == 0)
			rc = 1;
	}
	host_free(ctx.host);
	free(ctx.note);
	free(ctx.self);
	return rc;
}
