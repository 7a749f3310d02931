/*
 * ssh-lock.c -- the configuration lock (lock.h) taken on the host and held
 * there by a process of ours for as long as we need it.
 */
#include <sys/types.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "lock.h"
#include "transport-ssh.h"
#include "transport-ssh-int.h"

#if HAVE_SSH

/*
 * The configuration lock (lock.h) held on the host by a process of ours
 * there, which keeps flock() on path until its standard input ends:
 *  - the serve process, when it is up and free ("lock PATH WAIT_MS WHAT",
 *    "unlock PATH"): no shell start.  While it holds a lock it is never
 *    dropped on purpose (directory reads get their own channel), and if
 *    it goes away all else stops (lock_lost, sshtr_ensure);
 *  - else a channel of its own running "smadm remote lock PATH WAIT_MS
 *    WHAT", which answers "L" once it holds the lock or "E <the local
 *    lock's message>";
 *  - without smadm there (or an older one), util-linux's "flock -w
 *    SECONDS -E 75 PATH cat /proc/self/stat -": cat's first line says the
 *    lock is held and names flock's pid, the holder, and the holder line
 *    is written into the lock file in place (not by rename: that would
 *    make a new file with a lock of its own).
 */
#define SSH_FLOCK_BUSY	75

static int
ssh_lock_answer(ssh_channel ch, struct run_result *rr, int wait_ms,
    char **cause)
{
	long long	 deadline;
	int		 n;

	deadline = sshtr_now_ms() + wait_ms + 30000;
	while (memchr(rr->out.data, '\n', rr->out.len) == NULL) {
		n = sshtr_drain(ch, &rr->out, &rr->err, 65536, &rr->truncated,
		    100, cause);
		if (n < 0)
			return -1;
		if (n == 1) {
			rr->exited = 1;
			rr->status = ssh_channel_get_exit_status(ch);
			return 0;
		}
		if (sshtr_now_ms() > deadline) {
			*cause = xstrdup("no answer from the host");
			return -1;
		}
	}
	return 0;
}

static void
ssh_lock_close(ssh_channel ch)
{
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	char		*cause = NULL;
	long long	 deadline;
	int		 trunc = 0;

	/* Until the holder has gone: the lock is free when this returns. */
	ssh_channel_send_eof(ch);
	deadline = sshtr_now_ms() + 5000;
	while (sshtr_drain(ch, &out, &err, 4096, &trunc, 100, &cause) == 0 &&
	    sshtr_now_ms() < deadline)
		;
	free(cause);
	buf_release(&out);
	buf_release(&err);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
}

/* The holder line of the flock(1) case, written in place over SFTP. */
static void
ssh_lock_note(struct ssh_priv *sp, const char *path, const char *line)
{
	sftp_file	f;
	char		*cause = NULL;

	if (sshtr_sftp(sp, &cause) != 0) {
		free(cause);
		return;
	}
	/* Only a courtesy for the next waiter (sudo: may not be ours). */
	if ((f = sftp_open(sp->sftp, path, O_WRONLY | O_TRUNC, 0)) == NULL)
		return;
	sshtr_write_all(f, line, strlen(line));
	sftp_close(f);
}

/*
 * The lock in the serve process.  0: held; -1: not (*cause: who holds
 * it); 1: serve cannot do it (not up, or busy); 2: an older smadm there,
 * without "lock".
 */
static int
ssh_lock_serve(struct transport *t, const char *path, const char *ms,
    const char *what, int wait_ms, char **cause)
{
	struct ssh_priv	*sp = sp_of(t);
	struct buf	 line = BUF_INIT, none = BUF_INIT;
	const char	*argv[] = { "lock", path, ms, what, NULL };
	char		*err = NULL;
	int		 r;

	if (!sshtr_serve_ready(t))
		return 1;
	sp->serve_wait_ms = wait_ms;
	r = sshtr_serve_call(t, argv, NULL, 0, "O", 0, &line, &none, &err);
	sp->serve_wait_ms = 0;
	buf_release(&line);
	buf_release(&none);
	if (r == -1 && strstr(err, "remote serve: unknown request") != NULL)
		r = 2;
	else if (r == -1) {
		*cause = err;
		return -1;
	} else if (r == -2)
		r = 1;
	free(err);
	return r;
}

int
transport_ssh_lock(struct transport *t, const char *path, const char *what,
    int wait_ms, int *lk, char **cause)
{
	struct ssh_priv		*sp = sp_of(t);
	struct run_result	 rr;
	struct buf		 cmd = BUF_INIT, held = BUF_INIT;
	struct tm		 tm;
	const char		*helper, *p;
	ssh_channel		 ch = NULL;
	time_t			 now;
	char			 ms[16], secs[32], stamp[32], *err = NULL;
	long			 ppid;
	int			 slot, r, rc = -1;

	*lk = -1;
	run_result_init(&rr);
	if (sshtr_ensure(sp, cause) != 0)
		return -1;
	for (slot = 0; slot < SSH_LOCKS; slot++)
		if (!sp->locks[slot].used)
			break;
	if (slot == SSH_LOCKS) {
		*cause = xasprintf("%s: too many locks held", path);
		return -1;
	}
	snprintf(ms, sizeof ms, "%d", wait_ms);
	r = ssh_lock_serve(t, path, ms, what, wait_ms, cause);
	if (r == 0 || r == -1) {
		if (r == 0) {
			sp->locks[slot].used = 1;
			sp->locks[slot].path = xstrdup(path);
			sp->locks[slot].serve_gen = sp->serve_gen;
			sp->serve_locks++;
			sp->nlocks++;
			*lk = slot;
		}
		return r;
	}
	helper = r == 2 ? NULL : transport_ssh_helper(t);
	if (helper != NULL) {
		const char	*argv[] = { helper, "remote", "lock", path, ms,
				    what, NULL };

		if (sshtr_command(t, argv, NULL, 1, &cmd, cause) != 0)
			goto out;
	} else {
		const char	*argv[] = { PATH_FLOCK, "-w", secs, "-E",
				    "75", path, PATH_CAT, "/proc/self/stat",
				    "-", NULL };

		snprintf(secs, sizeof secs, "%d.%03d", wait_ms / 1000,
		    wait_ms % 1000);
		if (sshtr_command(t, argv, NULL, 1, &cmd, cause) != 0)
			goto out;
	}
	if ((ch = sshtr_exec(sp, cmd.data, cause)) == NULL)
		goto out;
	if (ssh_lock_answer(ch, &rr, wait_ms, &err) != 0) {
		*cause = xasprintf("%s: taking the lock on %s: %s", path,
		    t->name, err);
		goto out;
	}
	if (helper != NULL) {
		if (str_startswith(rr.out.data, "L\n"))
			rc = 0;
		else if (str_startswith(rr.out.data, "E "))
			*cause = xstrdup(str_trim(rr.out.data + 2));
		else
			*cause = xasprintf("%s: the smadm on %s did not take "
			    "the lock: %s", path, t->name,
			    str_trim(rr.err.data));
	} else if (!rr.exited) {
		/* "PID (cat) S PPID ...": the lock is held by flock, PPID. */
		p = strstr(rr.out.data, ") ");
		if (p == NULL || sscanf(p + 2, "%*c %ld", &ppid) != 1)
			ppid = 0;
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
		buf_printf(&held, "%ld\t%s\t%s\n", ppid, what, stamp);
		ssh_lock_note(sp, path, held.data);
		rc = 0;
	} else if (rr.status == SSH_FLOCK_BUSY) {
		buf_reset(&held);
		if (transport_read_file(t, path, &held, 4096, &err) != 0) {
			free(err);
			err = NULL;
		}
		*cause = lock_busy_message(path, held.data, wait_ms);
	} else if (rr.status == 127)
		*cause = xasprintf("%s: the configuration lock on %s needs "
		    "smadm or util-linux's " PATH_FLOCK " there", path,
		    t->name);
	else
		*cause = xasprintf("%s: flock on %s exited %d: %s", path,
		    t->name, rr.status, str_trim(rr.err.data));
	if (rc == 0) {
		if (helper == NULL)
			sp->locks[slot].noted = xstrdup(path);
		sp->locks[slot].ch = ch;
		sp->locks[slot].used = 1;
		sp->nlocks++;
		*lk = slot;
		ch = NULL;
	}
out:
	if (ch != NULL) {
		ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	free(err);
	run_result_release(&rr);
	buf_release(&cmd);
	buf_release(&held);
	return rc;
}

void
transport_ssh_unlock(struct transport *t, int lk)
{
	struct ssh_priv		*sp;
	struct ssh_lock_slot	*sl;
	struct buf		 line = BUF_INIT, none = BUF_INIT;
	char			*cause = NULL;

	if (!transport_is_ssh(t) || lk < 0 || lk >= SSH_LOCKS)
		return;
	sp = sp_of(t);
	sl = &sp->locks[lk];
	if (!sl->used)
		return;
	if (sl->path != NULL) {
		/* Held by serve: unless that process is gone already. */
		if (sp->serve != NULL && sl->serve_gen == sp->serve_gen &&
		    sp->serve_locks > 0) {
			const char	*argv[] = { "unlock", sl->path, NULL };

			if (sshtr_serve_call(t, argv, NULL, 0, "O", 0, &line,
			    &none, &cause) != -2)
				sp->serve_locks--;
			free(cause);
		}
	} else if (sl->ch != NULL) {	/* NULL: gone with its connection */
		/* The holder line names the holder only while it holds. */
		if (sl->noted != NULL)
			ssh_lock_note(sp, sl->noted, "");
		ssh_lock_close(sl->ch);
	}
	free(sl->noted);
	free(sl->path);
	memset(sl, 0, sizeof *sl);
	buf_release(&line);
	buf_release(&none);
	if (--sp->nlocks == 0)
		sp->lock_lost = 0;
}

#endif /* HAVE_SSH */
