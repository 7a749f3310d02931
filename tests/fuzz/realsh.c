/*
 * realsh.c -- what the quoting harnesses share: a real shell to check
 * their words against (realsh.h).
 */
#include <sys/wait.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "realsh.h"

/* Run /bin/sh -c CMD; its standard output into out, -1 if it failed. */
int
fuzz_run_sh(const char *cmd, struct buf *out)
{
	char	*argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)cmd,
		    NULL };
	char	*envp[] = { (char *)"PATH=/usr/bin:/bin",
		    (char *)"LC_ALL=C", NULL };
	char	 chunk[4096];
	ssize_t	 n;
	pid_t	 pid, w;
	int	 p[2], status;

	if (pipe(p) != 0)
		abort();
	if ((pid = fork()) == -1)
		abort();
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], 1) == -1)
			_exit(127);
		close(p[1]);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(p[1]);
	/* libFuzzer's timers interrupt system calls: retry on EINTR. */
	for (;;) {
		n = read(p[0], chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	if (n == -1)
		abort();
	close(p[0]);
	while ((w = waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	if (w != pid || !WIFEXITED(status))
		abort();
	return WEXITSTATUS(status) == 0 ? 0 : -1;
}
