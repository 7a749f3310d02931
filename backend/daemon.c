/*
 * daemon.c -- status, start and stop of a host's sendmail daemon (see
 * daemon.h).
 *
 * Everything is read from /proc through the transport.  A pid from a pid
 * file is believed only when /proc/PID is alive and not a zombie, its
 * executable is the profile's binary (compared by device and inode, so
 * symlink chains like /usr/sbin/sendmail -> /etc/alternatives/sendmail ->
 * /usr/libexec/sendmail/sendmail do not matter) and, for a sandbox, its
 * working directory is the sandbox's queue.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"

#define DAEMON_START_WAIT_MS	20000
#define DAEMON_STOP_WAIT_MS	10000
#define DAEMON_KILL_WAIT_MS	5000
#define DAEMON_LOGD_WAIT_MS	5000
/* A HUP'd daemon with an unqualified host name sleeps 60 s first. */
#define DAEMON_RELOAD_WAIT_MS	75000
#define DAEMON_CONTROL_WAIT_MS	5000
#define DAEMON_MAX_CF		(16 << 20)

/* What a process must be for us to believe a pid file. */
struct proc_check {
	const char		*what;	/* "sendmail", "the log receiver" */
	const char		*exe;	/* binary (symlinks allowed) */
	const char		*cwd;	/* working directory, or NULL */
	const struct strv	*args;	/* argv[1..] must match, or NULL */
};

void
daemon_status_init(struct daemon_status *st)
{
	memset(st, 0, sizeof *st);
	strv_init(&st->listen);
	st->loglevel = -1;
}

void
daemon_status_release(struct daemon_status *st)
{
	free(st->pid_file_cmd);
	free(st->why);
	free(st->log_receiver_why);
	free(st->control_socket);
	strv_release(&st->listen);
	daemon_status_init(st);
}

static void
daemon_sleep_ms(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * Read a pid file: 1 with *pid (and the command line of line 2) when it
 * exists, 0 when it does not, -1 on a read error.  A first line that is
 * not a pid gives *pid = -1.
 */
static int
daemon_read_pid_file(struct host *h, const char *path, pid_t *pid,
    char **cmd, char **cause)
{
	struct tstat	 st;
	struct buf	 b = BUF_INIT;
	char		*nl, *line2, *err = NULL;
	long long	 v;
	int		 rc = -1;

	*pid = 0;
	if (cmd != NULL)
		*cmd = NULL;
	if (transport_stat(h->t, path, 1, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE)
		return 0;
	if (transport_read_file(h->t, path, &b, 65536, cause) != 0) {
		/* Gone between stat and read: not running. */
		if (!transport_exists(h->t, path)) {
			free(*cause);
			*cause = NULL;
			rc = 0;
		}
		goto out;
	}
	line2 = NULL;
	if ((nl = strchr(b.data, '\n')) != NULL) {
		*nl = '\0';
		line2 = nl + 1;
		if ((nl = strchr(line2, '\n')) != NULL)
			*nl = '\0';
	}
	if (str_tonum(str_trim(b.data), 2, 0x7fffffff, &v, &err) == 0)
		*pid = (pid_t)v;
	else {
		*pid = -1;
		free(err);
	}
	if (cmd != NULL && line2 != NULL && *str_trim(line2) != '\0')
		*cmd = xstrdup(str_trim(line2));
	rc = 1;
out:
	buf_release(&b);
	return rc;
}

/* Is /proc/PID a live process (not a zombie)? */
static int
daemon_alive(struct host *h, pid_t pid)
{
	struct buf	 b = BUF_INIT;
	char		*path, *cause = NULL, *s;
	int		 alive = 0;

	path = xasprintf("/proc/%ld/status", (long)pid);
	if (transport_read_file(h->t, path, &b, 1 << 20, &cause) != 0) {
		free(cause);
		goto out;
	}
	alive = 1;
	if ((s = strstr(b.data, "\nState:")) != NULL) {
		s += 7;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == 'Z' || *s == 'X')
			alive = 0;
	}
out:
	buf_release(&b);
	free(path);
	return alive;
}

/* Are a and b the same file (following links)? */
static int
daemon_same_file(struct host *h, const char *a, const char *b)
{
	struct tstat	 sa, sb;
	char		*cause = NULL;

	if (transport_stat(h->t, a, 1, &sa, &cause) != 0 ||
	    transport_stat(h->t, b, 1, &sb, &cause) != 0) {
		free(cause);
		return 0;
	}
	return sa.type != TS_NONE && sb.type != TS_NONE &&
	    sa.dev == sb.dev && sa.ino == sb.ino;
}

/* Follow a chain of symlinks to the real path, for messages. */
static char *
daemon_resolve(struct host *h, const char *path)
{
	struct tstat	 st;
	struct buf	 target = BUF_INIT;
	char		*cur, *next, *slash, *cause = NULL;
	int		 hops;

	cur = xstrdup(path);
	for (hops = 0; hops < 40; hops++) {
		if (transport_stat(h->t, cur, 0, &st, &cause) != 0 ||
		    st.type != TS_LNK)
			break;
		buf_reset(&target);
		if (transport_readlink(h->t, cur, &target, &cause) != 0)
			break;
		if (target.data[0] == '/' ||
		    (slash = strrchr(cur, '/')) == NULL)
			next = xstrdup(target.data);
		else
			next = xasprintf("%.*s/%s", (int)(slash - cur), cur,
			    target.data);
		free(cur);
		cur = next;
	}
	free(cause);
	buf_release(&target);
	return cur;
}

/* argv of a process, from /proc/PID/cmdline. */
static int
daemon_cmdline(struct host *h, pid_t pid, struct strv *out)
{
	struct buf	 b = BUF_INIT;
	char		*path, *cause = NULL;
	size_t		 i;
	int		 rc = -1;

	path = xasprintf("/proc/%ld/cmdline", (long)pid);
	if (transport_read_file(h->t, path, &b, 1 << 20, &cause) != 0) {
		free(cause);
		goto out;
	}
	for (i = 0; i < b.len; i += strlen(b.data + i) + 1)
		strv_push(out, b.data + i);
	rc = 0;
out:
	buf_release(&b);
	free(path);
	return rc;
}

/*
 * Is pid the process the check describes?  1 yes, 0 no with *why saying
 * what it is instead.
 */
static int
daemon_verify(struct host *h, pid_t pid, const struct proc_check *pc,
    char **why)
{
	struct buf	 link = BUF_INIT;
	struct strv	 argv = STRV_INIT;
	char		*path = NULL, *cause = NULL, *real = NULL;
	size_t		 i;
	int		 ok = 0;

	*why = NULL;
	if (pid <= 1) {
		*why = xstrdup("is not a usable pid");
		goto out;
	}
	if (!daemon_alive(h, pid)) {
		*why = xstrdup("is not running");
		goto out;
	}
	path = xasprintf("/proc/%ld/exe", (long)pid);
	if (transport_readlink(h->t, path, &link, &cause) != 0) {
		*why = xasprintf("cannot be checked (%s)", cause);
		goto out;
	}
	if (!daemon_same_file(h, path, pc->exe)) {
		/*
		 * A binary replaced by an upgrade (or a rebuild) since the
		 * process started shows as "PATH (deleted)": the same
		 * program if PATH is where the profile's binary leads.
		 */
		real = daemon_resolve(h, pc->exe);
		if (!str_endswith(link.data, " (deleted)") ||
		    link.len - 10 != strlen(real) ||
		    strncmp(link.data, real, link.len - 10) != 0) {
			*why = xasprintf("is %s, not %s (%s)", link.data,
			    pc->what, real);
			goto out;
		}
	}
	if (pc->cwd != NULL) {
		free(path);
		path = xasprintf("/proc/%ld/cwd", (long)pid);
		if (!daemon_same_file(h, path, pc->cwd)) {
			buf_reset(&link);
			if (transport_readlink(h->t, path, &link, &cause) != 0)
				buf_addstr(&link, "?");
			*why = xasprintf("is a %s working in %s, not in %s",
			    pc->what, link.data, pc->cwd);
			goto out;
		}
	}
	if (pc->args != NULL) {
		if (daemon_cmdline(h, pid, &argv) != 0 ||
		    argv.n != pc->args->n) {
			*why = xasprintf("is not %s of this profile", pc->what);
			goto out;
		}
		for (i = 1; i < argv.n; i++) {
			if (strcmp(argv.v[i], pc->args->v[i]) != 0) {
				*why = xasprintf("is not %s of this profile",
				    pc->what);
				goto out;
			}
		}
	}
	ok = 1;
out:
	buf_release(&link);
	strv_release(&argv);
	free(path);
	free(real);
	free(cause);
	return ok;
}

static void
daemon_check_sendmail(struct host *h, struct proc_check *pc)
{
	memset(pc, 0, sizeof *pc);
	pc->what = "sendmail";
	pc->exe = h->prof->sendmail;
	if (h->prof->sandbox && h->prof->queue_dirs.n > 0)
		pc->cwd = h->prof->queue_dirs.v[0];
}

static int
daemon_check_logd(struct host *h, struct proc_check *pc)
{
	memset(pc, 0, sizeof *pc);
	if (h->prof->syslog_pid_file == NULL ||
	    h->prof->syslog_command.n == 0)
		return 0;
	pc->what = "the log receiver";
	pc->exe = h->prof->syslog_command.v[0];
	pc->args = &h->prof->syslog_command;
	return 1;
}

/* Process start time from /proc/PID/stat (field 22) and /proc/stat. */
static time_t
daemon_started(struct host *h, pid_t pid)
{
	struct buf		 b = BUF_INIT;
	char			*path, *cause = NULL, *p, *end;
	unsigned long long	 ticks = 0, btime = 0;
	long			 hz;
	int			 field;
	time_t			 t = 0;

	path = xasprintf("/proc/%ld/stat", (long)pid);
	if (transport_read_file(h->t, path, &b, 65536, &cause) != 0)
		goto out;
	/* The command name may hold spaces and parentheses: skip past it. */
	if ((p = strrchr(b.data, ')')) == NULL)
		goto out;
	p++;
	for (field = 3; field < 22 && *p != '\0'; field++) {
		while (*p == ' ')
			p++;
		while (*p != ' ' && *p != '\0')
			p++;
	}
	ticks = strtoull(p, &end, 10);
	if (end == p)
		goto out;
	buf_reset(&b);
	if (transport_read_file(h->t, "/proc/stat", &b, 1 << 20, &cause) != 0)
		goto out;
	if ((p = strstr(b.data, "\nbtime ")) == NULL)
		goto out;
	btime = strtoull(p + 7, NULL, 10);
	if ((hz = sysconf(_SC_CLK_TCK)) <= 0)
		hz = 100;
	t = (time_t)(btime + ticks / (unsigned long long)hz);
out:
	free(cause);
	free(path);
	buf_release(&b);
	return t;
}

/* Render a /proc/net/tcp address ("0100007F:09C5") as "127.0.0.1:2501". */
static char *
daemon_format_addr(const char *hex, int v6)
{
	unsigned char	 bytes[16];
	unsigned int	 word;
	char		 piece[9], out[64], text[INET6_ADDRSTRLEN];
	const char	*colon;
	unsigned long	 port;
	size_t		 i, n = v6 ? 4 : 1;

	if ((colon = strchr(hex, ':')) == NULL ||
	    (size_t)(colon - hex) != n * 8)
		return NULL;
	/* Each 32-bit word is printed in the host's byte order. */
	for (i = 0; i < n; i++) {
		memcpy(piece, hex + i * 8, 8);
		piece[8] = '\0';
		word = (unsigned int)strtoul(piece, NULL, 16);
		memcpy(bytes + i * 4, &word, 4);
	}
	port = strtoul(colon + 1, NULL, 16);
	if (!v6) {
		snprintf(out, sizeof out, "%u.%u.%u.%u:%lu", bytes[0],
		    bytes[1], bytes[2], bytes[3], port);
		return xstrdup(out);
	}
	if (inet_ntop(AF_INET6, bytes, text, sizeof text) == NULL)
		return NULL;
	return xasprintf("[%s]:%lu", text, port);
}

/* The inodes of a pid's sockets, as "socket:[N]" strings. */
static void
daemon_socket_links(struct host *h, pid_t pid, struct strv *out)
{
	struct strv	 fds = STRV_INIT;
	struct buf	 link = BUF_INIT;
	char		*dir, *path, *cause = NULL;
	size_t		 i;

	dir = xasprintf("/proc/%ld/fd", (long)pid);
	if (transport_list_dir(h->t, dir, &fds, &cause) != 0) {
		free(cause);
		goto out;
	}
	for (i = 0; i < fds.n; i++) {
		path = xasprintf("%s/%s", dir, fds.v[i]);
		buf_reset(&link);
		if (transport_readlink(h->t, path, &link, &cause) == 0 &&
		    str_startswith(link.data, "socket:["))
			strv_push(out, link.data);
		free(cause);
		cause = NULL;
		free(path);
	}
out:
	strv_release(&fds);
	buf_release(&link);
	free(dir);
}

int
daemon_listening(struct host *h, pid_t pid, struct strv *out, char **cause)
{
	static const char *const tables[] = { "/proc/net/tcp",
	    "/proc/net/tcp6" };
	struct strv	 socks = STRV_INIT, lines = STRV_INIT, f = STRV_INIT;
	struct buf	 b = BUF_INIT;
	char		*want, *addr;
	size_t		 i, j, k;
	int		 found_one = 0;

	if (pid > 0)
		daemon_socket_links(h, pid, &socks);
	for (i = 0; i < nitems(tables); i++) {
		buf_reset(&b);
		if (transport_read_file(h->t, tables[i], &b, 0, cause) != 0) {
			/* No IPv6 on the host is fine; no IPv4 table is not. */
			if (i == 0)
				goto fail;
			free(*cause);
			*cause = NULL;
			continue;
		}
		found_one = 1;
		strv_release(&lines);
		strv_split_char(&lines, b.data, '\n');
		for (j = 1; j < lines.n; j++) {
			strv_release(&f);
			strv_split_ws(&f, lines.v[j]);
			/* sl local rem st tx:rx tr:when retrnsmt uid tmo inode */
			if (f.n < 10 || strcmp(f.v[3], "0A") != 0)
				continue;
			if (pid > 0) {
				want = xasprintf("socket:[%s]", f.v[9]);
				for (k = 0; k < socks.n; k++)
					if (strcmp(socks.v[k], want) == 0)
						break;
				free(want);
				if (k == socks.n)
					continue;
			}
			if ((addr = daemon_format_addr(f.v[1], i == 1)) != NULL)
				strv_push_nocopy(out, addr);
		}
	}
	strv_release(&socks);
	strv_release(&lines);
	strv_release(&f);
	buf_release(&b);
	return found_one ? 0 : -1;
fail:
	strv_release(&socks);
	strv_release(&lines);
	strv_release(&f);
	buf_release(&b);
	return -1;
}

char *
daemon_cf_option(const char *cf, const char *name)
{
	const char	*line, *nl, *v;
	char		*value = NULL;
	size_t		 nlen = strlen(name), vlen;

	for (line = cf; *line != '\0'; line = nl + 1) {
		nl = strchrnul(line, '\n');
		if (line[0] == 'O' && line[1] == ' ' &&
		    strncmp(line + 2, name, nlen) == 0 && line[2 + nlen] == '=') {
			v = line + 3 + nlen;
			vlen = (size_t)(nl - v);
			while (vlen > 0 && (v[vlen - 1] == ' ' ||
			    v[vlen - 1] == '\t' || v[vlen - 1] == '\r'))
				vlen--;
			free(value);
			value = xstrndup(v, vlen);
		}
		if (*nl == '\0')
			break;
	}
	return value;
}

/* LogLevel and ControlSocketName from the cf; quietly nothing on errors. */
static void
daemon_read_cf(struct host *h, struct daemon_status *st)
{
	struct buf	 cf = BUF_INIT;
	char		*v, *cause = NULL;
	long long	 n;

	if (h->prof->cf == NULL ||
	    transport_read_file(h->t, h->prof->cf, &cf, DAEMON_MAX_CF,
	    &cause) != 0) {
		free(cause);
		return;
	}
	if ((v = daemon_cf_option(cf.data, "LogLevel")) != NULL) {
		if (str_tonum(v, 0, 1000, &n, &cause) == 0)
			st->loglevel = (int)n;
		free(cause);
		free(v);
	}
	if ((v = daemon_cf_option(cf.data, "ControlSocketName")) != NULL) {
		if (*v != '\0')
			st->control_socket = v;
		else
			free(v);
	}
	buf_release(&cf);
}

int
daemon_status(struct host *h, struct daemon_status *st, char **cause)
{
	struct profile		*p = h->prof;
	struct proc_check	 pc;
	char			*why = NULL;
	pid_t			 pid;
	int			 rc;

	daemon_status_init(st);
	if (p->pid_file == NULL) {
		*cause = xstrdup("the profile names no pid file");
		return -1;
	}
	rc = daemon_read_pid_file(h, p->pid_file, &pid, &st->pid_file_cmd,
	    cause);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		daemon_check_sendmail(h, &pc);
		if (pid == -1) {
			st->stale = 1;
			st->why = xasprintf("%s does not start with a pid",
			    p->pid_file);
		} else {
			st->pid = pid;
			if (daemon_verify(h, pid, &pc, &why)) {
				st->running = 1;
				st->started = daemon_started(h, pid);
				if (daemon_listening(h, pid, &st->listen,
				    &why) != 0) {
					free(why);
					why = NULL;
				}
			} else {
				st->stale = 1;
				st->foreign = daemon_alive(h, pid);
				st->why = xasprintf("pid %ld %s", (long)pid,
				    why);
				free(why);
				why = NULL;
			}
		}
	}
	daemon_read_cf(h, st);
	if (daemon_check_logd(h, &pc)) {
		rc = daemon_read_pid_file(h, p->syslog_pid_file, &pid, NULL,
		    cause);
		if (rc == -1)
			return -1;
		if (rc == 1 && pid > 0 && daemon_verify(h, pid, &pc, &why)) {
			st->log_receiver = 1;
			st->log_receiver_pid = pid;
		} else if (rc == 1) {
			st->log_receiver_stale = 1;
			st->log_receiver_pid = pid > 0 ? pid : 0;
			st->log_receiver_why = pid > 0 ?
			    xasprintf("pid %ld %s", (long)pid, why) :
			    xasprintf("%s does not start with a pid",
			    p->syslog_pid_file);
		}
		free(why);
	}
	return 0;
}

static void
daemon_remove_pid_file(struct host *h, const char *path, pid_t pid,
    struct buf *report)
{
	char	*cause = NULL, *cmd = NULL;
	pid_t	 now;

	/* Only if it still names the same pid: a new daemon may own it. */
	if (daemon_read_pid_file(h, path, &now, &cmd, &cause) == 1 &&
	    now == pid) {
		if (transport_remove(h->t, path, &cause) == 0)
			buf_printf(report, "removed %s\n", path);
		else
			buf_printf(report, "warning: %s\n", cause);
	}
	free(cause);
	free(cmd);
}

/* Wait until pid is gone or a zombie; 1 if it went. */
static int
daemon_wait_gone(struct host *h, pid_t pid, int ms)
{
	for (; ms > 0; ms -= 100) {
		if (!daemon_alive(h, pid))
			return 1;
		daemon_sleep_ms(100);
	}
	return !daemon_alive(h, pid);
}

/*
 * Stop one verified process: SIGTERM, wait, SIGKILL only with force.  The
 * pid is verified again right before each signal.
 */
static int
daemon_stop_pid(struct host *h, pid_t pid, const struct proc_check *pc,
    const char *pid_file, int force, struct buf *report, char **cause)
{
	char	*why = NULL;

	if (!daemon_verify(h, pid, pc, &why)) {
		buf_printf(report, "%s has stopped already (pid %ld %s)\n",
		    pc->what, (long)pid, why);
		free(why);
		daemon_remove_pid_file(h, pid_file, pid, report);
		return 0;
	}
	if (transport_kill(h->t, pid, SIGTERM, cause) != 0)
		return -1;
	if (!daemon_wait_gone(h, pid, DAEMON_STOP_WAIT_MS)) {
		if (!force) {
			*cause = xasprintf("%s (pid %ld) is still running %d s "
			    "after SIGTERM; \"daemon stop --kill\" sends "
			    "SIGKILL", pc->what, (long)pid,
			    DAEMON_STOP_WAIT_MS / 1000);
			return -1;
		}
		if (daemon_verify(h, pid, pc, &why)) {
			if (transport_kill(h->t, pid, SIGKILL, cause) != 0)
				return -1;
			buf_printf(report, "%s (pid %ld) ignored SIGTERM: "
			    "sent SIGKILL\n", pc->what, (long)pid);
		}
		free(why);
		why = NULL;
		if (!daemon_wait_gone(h, pid, DAEMON_KILL_WAIT_MS)) {
			*cause = xasprintf("%s (pid %ld) survived SIGKILL",
			    pc->what, (long)pid);
			return -1;
		}
	}
	buf_printf(report, "stopped %s (pid %ld)\n", pc->what, (long)pid);
	daemon_remove_pid_file(h, pid_file, pid, report);
	return 0;
}

/* Explain and remove a pid file we do not believe; signal nothing. */
static void
daemon_drop_stale(struct host *h, const char *what, const char *pid_file,
    pid_t pid, const char *why, struct buf *report)
{
	char	*cause = NULL;

	buf_printf(report, "stale pid file %s: %s; not signalled\n", pid_file,
	    why);
	if (pid > 0) {
		daemon_remove_pid_file(h, pid_file, pid, report);
		return;
	}
	if (transport_remove(h->t, pid_file, &cause) == 0)
		buf_printf(report, "removed the stale %s pid file %s\n", what,
		    pid_file);
	else {
		buf_printf(report, "warning: %s\n", cause);
		free(cause);
	}
}

static int
daemon_stop_logd(struct host *h, const struct daemon_status *st,
    struct buf *report, char **cause)
{
	struct proc_check	pc;

	if (!daemon_check_logd(h, &pc))
		return 0;
	if (st->log_receiver)
		return daemon_stop_pid(h, st->log_receiver_pid, &pc,
		    h->prof->syslog_pid_file, 1, report, cause);
	if (st->log_receiver_stale)
		daemon_drop_stale(h, "log receiver",
		    h->prof->syslog_pid_file, st->log_receiver_pid,
		    st->log_receiver_why, report);
	return 0;
}

/*
 * Stop through the service manager the profile names, then wait until the
 * verified pid is gone: the manager's exit status alone proves nothing.
 */
static int
daemon_stop_service(struct host *h, pid_t pid, struct buf *report,
    char **cause)
{
	struct profile		*p = h->prof;
	struct daemon_status	 now;
	struct run_result	 rr;
	struct run_opts		 ro;
	int			 ms, rc = -1;

	run_result_init(&rr);
	daemon_status_init(&now);
	run_opts_init(&ro);
	ro.timeout_ms = 60000;
	if (host_run(h, (const char *const *)p->service_stop.v, &ro, &rr,
	    cause) != 0)
		goto out;
	if (!rr.exited || rr.status != 0) {
		*cause = run_result_describe(p->service_stop.v[0], &rr);
		goto out;
	}
	for (ms = 0; ms < DAEMON_START_WAIT_MS; ms += 100) {
		daemon_status_release(&now);
		if (daemon_status(h, &now, cause) != 0)
			goto out;
		if (!now.running || now.pid != pid)
			break;
		daemon_sleep_ms(100);
	}
	if (now.running && now.pid == pid) {
		*cause = xasprintf("%s exited 0 but sendmail (pid %ld) still "
		    "runs", p->service_stop.v[0], (long)pid);
		goto out;
	}
	buf_printf(report, "stopped sendmail (pid %ld) with %s\n", (long)pid,
	    p->service_stop.v[0]);
	rc = 0;
out:
	run_result_release(&rr);
	daemon_status_release(&now);
	return rc;
}

int
daemon_stop(struct host *h, int force, struct buf *report, char **cause)
{
	struct daemon_status	st;
	struct proc_check	pc;
	int			rc = -1;

	if (daemon_status(h, &st, cause) != 0)
		return -1;
	if (st.running && h->prof->service_stop.n != 0 && !force) {
		if (daemon_stop_service(h, st.pid, report, cause) != 0)
			goto out;
	} else if (st.running) {
		daemon_check_sendmail(h, &pc);
		if (daemon_stop_pid(h, st.pid, &pc, h->prof->pid_file, force,
		    report, cause) != 0)
			goto out;
	} else if (st.stale)
		daemon_drop_stale(h, "sendmail", h->prof->pid_file, st.pid,
		    st.why, report);
	else
		buf_printf(report, "sendmail is not running (no pid file "
		    "%s)\n", h->prof->pid_file);
	/* After sendmail, so that its last lines are still logged. */
	if (daemon_stop_logd(h, &st, report, cause) != 0)
		goto out;
	rc = 0;
out:
	daemon_status_release(&st);
	return rc;
}

/* Start the sandbox's log receiver unless it runs; wait for its socket. */
static int
daemon_start_logd(struct host *h, const struct daemon_status *st,
    struct buf *report, char **cause)
{
	struct proc_check	 pc;
	struct run_result	 rr;
	struct run_opts		 ro;
	char			*why = NULL, *pcmd = NULL;
	pid_t			 pid;
	int			 ms, rc = -1;

	if (!daemon_check_logd(h, &pc))
		return 0;
	if (st->log_receiver) {
		buf_printf(report, "log receiver already running (pid %ld)\n",
		    (long)st->log_receiver_pid);
		return 0;
	}
	if (st->log_receiver_stale)
		daemon_drop_stale(h, "log receiver", h->prof->syslog_pid_file,
		    st->log_receiver_pid, st->log_receiver_why, report);
	run_opts_init(&ro);
	ro.timeout_ms = 30000;
	if (transport_run(h->t, (const char *const *)
	    h->prof->syslog_command.v, &ro, &rr, cause) != 0)
		return -1;
	if (!rr.exited || rr.status != 0) {
		*cause = run_result_describe(h->prof->syslog_command.v[0], &rr);
		goto out;
	}
	for (ms = 0; ms < DAEMON_LOGD_WAIT_MS; ms += 100) {
		if (daemon_read_pid_file(h, h->prof->syslog_pid_file, &pid,
		    &pcmd, cause) == -1)
			goto out;
		free(pcmd);
		pcmd = NULL;
		if (pid > 0 && daemon_verify(h, pid, &pc, &why)) {
			buf_printf(report, "started the log receiver (pid %ld), "
			    "mail log %s\n", (long)pid, h->prof->mail_log);
			rc = 0;
			goto out;
		}
		free(why);
		why = NULL;
		daemon_sleep_ms(100);
	}
	*cause = xasprintf("the log receiver did not write %s",
	    h->prof->syslog_pid_file);
out:
	free(why);
	run_result_release(&rr);
	return rc;
}

static int
daemon_has(const struct strv *sv, const char *s)
{
	size_t	i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

int
daemon_start(struct host *h, struct buf *report, char **cause)
{
	struct profile		*p = h->prof;
	struct daemon_status	 st, now;
	struct strv		 args = STRV_INIT, busy = STRV_INIT;
	struct run_result	 rr;
	struct run_opts		 ro;
	char			*ignore = NULL;
	size_t			 i;
	int			 ms, rc = -1;

	run_result_init(&rr);
	daemon_status_init(&now);
	if (daemon_status(h, &st, cause) != 0)
		return -1;
	if (p->sandbox && daemon_start_logd(h, &st, report, cause) != 0)
		goto out;
	if (st.running) {
		buf_printf(report, "sendmail is already running (pid %ld)\n",
		    (long)st.pid);
		rc = 0;
		goto out;
	}
	if (st.stale)
		daemon_drop_stale(h, "sendmail", p->pid_file, st.pid, st.why,
		    report);
	if (p->listen != NULL && daemon_listening(h, 0, &busy, &ignore) == 0 &&
	    daemon_has(&busy, p->listen)) {
		*cause = xasprintf("%s is in use by another program: sendmail "
		    "could not listen there", p->listen);
		goto out;
	}
	free(ignore);
	ignore = NULL;

	run_opts_init(&ro);
	ro.timeout_ms = 60000;
	if (p->service_start.n != 0) {
		/* The profile says the service manager starts it. */
		if (host_run(h, (const char *const *)p->service_start.v, &ro,
		    &rr, cause) != 0)
			goto out;
		if (!rr.exited || rr.status != 0) {
			*cause = run_result_describe(p->service_start.v[0], &rr);
			goto out;
		}
		buf_printf(report, "ran %s\n", p->service_start.v[0]);
	} else {
		strv_push(&args, "-L");
		strv_push(&args, p->daemon_label != NULL ? p->daemon_label :
		    "sm-mta");
		strv_extend(&args, &p->daemon_flags);
		if (p->daemon_flags.n == 0)
			strv_push(&args, "-bd");
		if (host_run_sendmail(h, (const char *const *)args.v, &ro, &rr,
		    cause) != 0)
			goto out;
		if (!rr.exited || rr.status != 0) {
			*cause = run_result_describe(p->sendmail, &rr);
			goto out;
		}
	}
	for (ms = 0; ms < DAEMON_START_WAIT_MS; ms += 100) {
		daemon_status_release(&now);
		if (daemon_status(h, &now, cause) != 0)
			goto out;
		if (now.running && (p->listen == NULL ||
		    daemon_has(&now.listen, p->listen)))
			break;
		daemon_sleep_ms(100);
	}
	if (!now.running) {
		*cause = xasprintf("sendmail did not write a pid file within "
		    "%d s; its log is %s", DAEMON_START_WAIT_MS / 1000,
		    p->mail_log != NULL ? p->mail_log : "in syslog");
		goto out;
	}
	buf_printf(report, "started sendmail (pid %ld)", (long)now.pid);
	for (i = 0; i < now.listen.n; i++)
		buf_printf(report, "%s%s", i == 0 ? ", listening on " : " ",
		    now.listen.v[i]);
	buf_addch(report, '\n');
	if (p->listen != NULL && !daemon_has(&now.listen, p->listen)) {
		*cause = xasprintf("sendmail (pid %ld) runs but does not "
		    "listen on %s", (long)now.pid, p->listen);
		goto out;
	}
	rc = 0;
out:
	free(ignore);
	strv_release(&args);
	strv_release(&busy);
	run_result_release(&rr);
	daemon_status_release(&st);
	daemon_status_release(&now);
	return rc;
}

/*
 * Wait for the daemon that replaced old: the pid file names another pid,
 * verified, listening where the profile says.  Fills *now.
 */
static int
daemon_wait_new(struct host *h, pid_t old, int ms_max,
    struct daemon_status *now, char **cause)
{
	struct profile	*p = h->prof;
	int		 ms;

	for (ms = 0; ms < ms_max; ms += 100) {
		daemon_status_release(now);
		if (daemon_status(h, now, cause) != 0)
			return -1;
		if (now->running && now->pid != old && (p->listen == NULL ||
		    daemon_has(&now->listen, p->listen)))
			return 0;
		daemon_sleep_ms(100);
	}
	if (now->running && now->pid == old)
		*cause = xasprintf("sendmail (pid %ld) did not restart within "
		    "%d s of SIGHUP: the pid file still names it",
		    (long)old, ms_max / 1000);
	else if (now->running)
		*cause = xasprintf("the new sendmail (pid %ld) does not listen "
		    "on %s", (long)now->pid, p->listen);
	else
		*cause = xasprintf("no sendmail runs %d s after SIGHUP%s%s%s",
		    ms_max / 1000, now->why != NULL ? " (" : "",
		    now->why != NULL ? now->why : "",
		    now->why != NULL ? ")" : "");
	return -1;
}

int
daemon_reload(struct host *h, pid_t *newpid, struct buf *report,
    char **cause)
{
	struct daemon_status	st, now;
	struct proc_check	pc;
	char			*why = NULL;
	size_t			i;
	int			rc = -1;

	daemon_status_init(&now);
	if (daemon_status(h, &st, cause) != 0)
		return -1;
	if (!st.running) {
		*cause = st.stale ? xasprintf("sendmail is not running: "
		    "stale pid file (%s)", st.why) :
		    xasprintf("sendmail is not running (no pid file %s)",
		    h->prof->pid_file);
		goto out;
	}
	daemon_check_sendmail(h, &pc);
	/* Verified again right before the signal: pids are reused. */
	if (!daemon_verify(h, st.pid, &pc, &why)) {
		*cause = xasprintf("pid %ld %s: not signalled", (long)st.pid,
		    why);
		goto out;
	}
	if (transport_kill(h->t, st.pid, SIGHUP, cause) != 0)
		goto out;
	buf_printf(report, "sent SIGHUP to sendmail (pid %ld)\n",
	    (long)st.pid);
	if (daemon_wait_new(h, st.pid, DAEMON_RELOAD_WAIT_MS, &now,
	    cause) != 0)
		goto out;
	buf_printf(report, "reloaded sendmail: pid %ld -> %ld",
	    (long)st.pid, (long)now.pid);
	for (i = 0; i < now.listen.n; i++)
		buf_printf(report, "%s%s", i == 0 ? ", listening on " : " ",
		    now.listen.v[i]);
	buf_addch(report, '\n');
	if (newpid != NULL)
		*newpid = now.pid;
	rc = 0;
out:
	free(why);
	daemon_status_release(&st);
	daemon_status_release(&now);
	return rc;
}

int
daemon_reload_running(struct host *h, struct buf *report, char **cause)
{
	struct daemon_status	st;
	int			rc;

	if (h->prof->pid_file == NULL) {
		buf_addstr(report, "the profile names no pid file: no daemon "
		    "to reload");
		return 1;
	}
	if (daemon_status(h, &st, cause) != 0)
		return -1;
	if (st.running)
		rc = daemon_reload(h, NULL, report, cause);
	else if (st.foreign) {
		*cause = xasprintf("%s: %s; not signalled, and no sendmail of "
		    "this profile can be verified", h->prof->pid_file, st.why);
		rc = -1;
	} else {
		buf_printf(report, "sendmail is not running (%s); it reads "
		    "the new cf when started", st.stale ? st.why :
		    "no pid file");
		rc = 1;
	}
	daemon_status_release(&st);
	return rc;
}

int
daemon_restart(struct host *h, int force, struct buf *report, char **cause)
{
	if (daemon_stop(h, force, report, cause) != 0)
		return -1;
	return daemon_start(h, report, cause);
}

void
daemon_control_init(struct daemon_control *dc)
{
	memset(dc, 0, sizeof *dc);
	strv_init(&dc->child_list);
	dc->children = dc->max_children = dc->load = -1;
	dc->free_blocks = -1;
}

void
daemon_control_release(struct daemon_control *dc)
{
	free(dc->answer);
	strv_release(&dc->child_list);
	daemon_control_init(dc);
}

/* "Label: 123" -> 123 when line starts with label; 1 if it did. */
static int
daemon_control_number(const char *line, const char *label, long long *v)
{
	char	*end;
	size_t	 len = strlen(label);

	if (strncmp(line, label, len) != 0)
		return 0;
	*v = strtoll(line + len, &end, 10);
	return end != line + len;
}

int
daemon_control_parse(const char *text, struct daemon_control *dc)
{
	struct strv	 lines = STRV_INIT;
	struct buf	 clean = BUF_INIT;
	long long	 v;
	size_t		 i;
	int		 in_list = 0, known = 0;

	for (; *text != '\0'; text++)
		if (*text != '\r')
			buf_addch(&clean, *text);
	free(dc->answer);
	dc->answer = xstrdup(clean.data);
	strv_split_char(&lines, clean.data, '\n');
	if (lines.n > 0 && sscanf(lines.v[0], "%ld/%ld/%lld/%ld", &dc->children,
	    &dc->max_children, &dc->free_blocks, &dc->load) == 4) {
		for (i = 1; i < lines.n; i++)
			if (*lines.v[i] != '\0')
				strv_push(&dc->child_list, lines.v[i]);
		known = 1;
		goto out;
	}
	for (i = 0; i < lines.n; i++) {
		if (in_list) {
			if (*lines.v[i] != '\0')
				strv_push(&dc->child_list, lines.v[i]);
			continue;
		}
		if (daemon_control_number(lines.v[i],
		    "Current number of children:", &v)) {
			dc->children = (long)v;
			known++;
		} else if (daemon_control_number(lines.v[i],
		    "QueueDir free disk space (in blocks):", &v)) {
			dc->free_blocks = v;
			known++;
		} else if (daemon_control_number(lines.v[i], "Load average:",
		    &v)) {
			dc->load = (long)v;
			known++;
		} else if (str_startswith(lines.v[i], "Child Process list:"))
			in_list = 1;
	}
out:
	strv_release(&lines);
	buf_release(&clean);
	return known > 0 ? 0 : -1;
}

int
daemon_control_status(struct host *h, const struct daemon_status *st,
    struct daemon_control *dc, char **cause)
{
	struct buf	answer = BUF_INIT;
	int		rc = -1;

	daemon_control_init(dc);
	if (st->control_socket == NULL) {
		*cause = xstrdup("the cf declares no ControlSocketName");
		return -1;
	}
	if (transport_unix_query(h->t, st->control_socket, "STATUS\r\n", 8,
	    &answer, DAEMON_CONTROL_WAIT_MS, cause) != 0)
		goto out;
	if (daemon_control_parse(answer.data, dc) != 0) {
		*cause = xasprintf("%s: not a STATUS answer: %.80s",
		    st->control_socket, answer.data);
		goto out;
	}
	rc = 0;
out:
	buf_release(&answer);
	return rc;
}
