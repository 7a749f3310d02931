/*
 * local-run.c -- running programs on the local machine for the local
 * transport: fork and execve of an argv, pipes for the standard streams,
 * output limits, timeouts, and the private namespace a run may ask for.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "crash.h"
#include "ns.h"
#include "op.h"
#include "transport.h"
#include "transport-local-int.h"

#define LOCAL_OUTPUT_MAX	(64u * 1024 * 1024)
#define LOCAL_TIMEOUT_MS	120000

static int
set_nonblock(int fd)
{
	int	fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* In the child: set up descriptors and namespace, then exec. */
static void __attribute__((noreturn))
run_child(const char *const *argv, const struct run_opts *ro, int in_fd,
    int out_fd, int err_fd, int report_fd)
{
	static const char *const safe_env[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", "HOME=/",
		NULL
	};
	char		*cause = NULL;
	const char	*msg;
	sigset_t	 all;
	int		 i;

	setpgid(0, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (i = 1; i < NSIG; i++)
		if (i != SIGKILL && i != SIGSTOP)
			signal(i, SIG_DFL);
	if (dup2(in_fd, 0) == -1 || dup2(out_fd, 1) == -1 ||
	    dup2(err_fd, 2) == -1) {
		msg = "dup2 failed";
		goto fail;
	}
	if (ro->cwd != NULL && chdir(ro->cwd) != 0) {
		cause = xasprintf("chdir %s: %s", ro->cwd, strerror(errno));
		goto fail_cause;
	}
	if (ro->cwd == NULL && chdir("/") != 0) {
		msg = "chdir / failed";
		goto fail;
	}
	if (ro->ns_dir != NULL && ns_enter(ro->ns_dir, &cause) != 0)
		goto fail_cause;
	execve(argv[0], (char *const *)argv,
	    (char *const *)(ro->env != NULL ? ro->env : safe_env));
	cause = xasprintf("%s: %s", argv[0], strerror(errno));
fail_cause:
	msg = cause;
fail:
	if (write(report_fd, msg, strlen(msg)) < 0)
		_exit(127);
	_exit(127);
}

int
local_run(struct transport *t unused, const char *const *argv,
    const struct run_opts *ro, struct run_result *rr, char **cause)
{
	int		 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int		 err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	struct pollfd	 pfd[3];
	struct buf	 report = BUF_INIT;
	const char	*inp = ro->stdin_data;
	size_t		 inleft = ro->stdin_data != NULL ? ro->stdin_len : 0;
	size_t		 max = ro->max_output ? ro->max_output : LOCAL_OUTPUT_MAX;
	long long	 deadline, kill_at = -1;
	char		 chunk[65536];
	ssize_t		 n;
	pid_t		 pid, w;
	int		 status, done = 0, nfds, i, timeout, rc = -1;

	crash_point("run a program");

	run_result_init(rr);
	timeout = ro->timeout_ms == 0 ? LOCAL_TIMEOUT_MS : ro->timeout_ms;
	deadline = timeout > 0 ? local_now_ms() + timeout : -1;
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
	    pipe2(err, O_CLOEXEC) != 0 || pipe2(rep, O_CLOEXEC) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		run_child(argv, ro, in[0], out[1], err[1], rep[1]);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(rep[1]);
	in[0] = out[1] = err[1] = rep[1] = -1;
	if (inleft == 0) {
		close(in[1]);
		in[1] = -1;
	} else
		set_nonblock(in[1]);
	set_nonblock(out[0]);
	set_nonblock(err[0]);

	/*
	 * Read until the child has exited and its pipes are drained.  A
	 * daemon's grandchild may keep the pipes open, so the child's exit
	 * ends the wait rather than end-of-file.
	 */
	for (;;) {
		nfds = 0;
		if (out[0] != -1) {
			pfd[nfds].fd = out[0];
			pfd[nfds++].events = POLLIN;
		}
		if (err[0] != -1) {
			pfd[nfds].fd = err[0];
			pfd[nfds++].events = POLLIN;
		}
		if (in[1] != -1) {
			pfd[nfds].fd = in[1];
			pfd[nfds++].events = POLLOUT;
		}
		if (!done) {
			w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				done = 1;
		}
		if (done && nfds == 0)
			break;
		if (poll(pfd, (nfds_t)nfds, done ? 0 : 10) == -1 &&
		    errno != EINTR) {
			*cause = xasprintf("poll: %s", strerror(errno));
			goto out;
		}
		n = 0;
		for (i = 0; i < nfds; i++) {
			if (pfd[i].revents == 0 && !done)
				continue;
			if (pfd[i].fd == in[1]) {
				if (pfd[i].revents & (POLLERR | POLLHUP)) {
					close(in[1]);
					in[1] = -1;
					continue;
				}
				n = write(in[1], inp, inleft);
				if (n > 0) {
					inp += n;
					inleft -= (size_t)n;
				}
				if ((n == -1 && errno != EAGAIN) ||
				    inleft == 0) {
					close(in[1]);
					in[1] = -1;
				}
				continue;
			}
			n = read(pfd[i].fd, chunk, sizeof chunk);
			if (n > 0) {
				struct buf *b = pfd[i].fd == out[0] ?
				    &rr->out : &rr->err;

				if (b->len + (size_t)n <= max)
					buf_add(b, chunk, (size_t)n);
				else
					rr->truncated = 1;
				continue;
			}
			if (n == 0 || (n == -1 && errno != EAGAIN &&
			    errno != EINTR) || (done && n == -1)) {
				if (pfd[i].fd == out[0]) {
					close(out[0]);
					out[0] = -1;
				} else {
					close(err[0]);
					err[0] = -1;
				}
			}
		}
		if (done && in[1] != -1) {
			close(in[1]);
			in[1] = -1;
		}
		/*
		 * Cancelled: SIGTERM to the program's process group (sendmail
		 * and most programs end cleanly on it), SIGKILL if it is
		 * still there after the grace.
		 */
		if (!done && !rr->cancelled && op_cancelled(ro->cancel)) {
			kill(-pid, SIGTERM);
			rr->cancelled = 1;
			kill_at = local_now_ms() + RUN_CANCEL_GRACE_MS;
		}
		if (!done && kill_at != -1 && local_now_ms() > kill_at) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			kill_at = -1;
		}
		if (!done && !rr->cancelled && deadline != -1 &&
		    local_now_ms() > deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			rr->timed_out = 1;
			while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
				;
			done = 1;
		}
	}
	/*
	 * Cancelled: what the program left running in its process group (a
	 * delivery child of sendmail) gets the rest of the grace, then
	 * SIGKILL, so nothing of it goes on after the run says cancelled.
	 */
	if (rr->cancelled) {
		if (kill_at == -1)
			kill_at = local_now_ms();
		while (kill(-pid, 0) == 0 && local_now_ms() < kill_at)
			poll(NULL, 0, 10);
		kill(-pid, SIGKILL);
	}
	/* The report pipe holds a message only if exec never happened. */
	while ((n = read(rep[0], chunk, sizeof chunk)) > 0)
		buf_add(&report, chunk, (size_t)n);
	if (report.len != 0) {
		*cause = buf_detach(&report);
		goto out;
	}
	if (WIFEXITED(status)) {
		rr->exited = 1;
		rr->status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		rr->signo = WTERMSIG(status);
		rr->status = 128 + rr->signo;
	}
	rc = 0;
out:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
		if (err[i] != -1)
			close(err[i]);
		if (rep[i] != -1)
			close(rep[i]);
	}
	buf_release(&report);
	return rc;
}

int
local_kill(struct transport *t unused, pid_t pid, int sig, char **cause)
{
	if (sig != 0)
		crash_point("signal a process");
	if (kill(pid, sig) != 0) {
		*cause = xasprintf("kill %ld: %s", (long)pid, strerror(errno));
		return -1;
	}
	return 0;
}
