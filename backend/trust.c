/*
 * trust.c -- ownership and mode checks on the profile, the programs it
 * names and smadm's own directories (see trust.h).
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "config.h"
#include "host.h"
#include "trust.h"

/* As many as Linux follows in one lookup. */
#define TRUST_MAX_LINKS	40

static int
trust_is_local(struct transport *t)
{
	return strcmp(t->ops->name, "local") == 0;
}

uid_t
trust_user(struct transport *t)
{
	const char		*argv[] = { PATH_ID, "-u", NULL };
	struct run_opts		 ro;
	struct run_result	 rr;
	char			*cause = NULL, *end;
	unsigned long		 v;
	uid_t			 self = 0;

	if (trust_is_local(t))
		return getuid();
	run_opts_init(&ro);
	ro.timeout_ms = 30000;
	ro.max_output = 256;
	run_result_init(&rr);
	if (transport_run(t, argv, &ro, &rr, &cause) == 0 && rr.exited &&
	    rr.status == 0 && rr.out.len > 0) {
		v = strtoul(rr.out.data, &end, 10);
		if (end != rr.out.data && (*end == '\n' || *end == '\0'))
			self = (uid_t)v;
	}
	free(cause);
	run_result_release(&rr);
	return self;
}

uid_t
trust_self(struct transport *t, struct profile *p)
{
	if (!p->self_known) {
		p->self_uid = trust_user(t);
		p->self_known = 1;
	}
	return p->self_uid;
}

const char *
trust_mode_problem(const struct tstat *st, uid_t self, int last,
    const char **fix)
{
	mode_t	w = st->mode & (S_IWGRP | S_IWOTH);

	if (st->uid != 0 && st->uid != self) {
		*fix = "chown root";
		return self != 0 ? "owned by neither root nor you" :
		    "not owned by root";
	}
	if (w == 0)
		return NULL;
	/* /tmp: see trust.h. */
	if (!last && st->type == TS_DIR && (st->mode & S_ISVTX))
		return NULL;
	if (w == (S_IWGRP | S_IWOTH)) {
		*fix = "chmod go-w";
		return "writable by its group and by others";
	}
	if (w == S_IWGRP) {
		*fix = "chmod g-w";
		return "writable by its group";
	}
	*fix = "chmod o-w";
	return "writable by others";
}

static char *
trust_refusal(const char *what, const char *path, const char *comp,
    const char *role, const struct tstat *st, const char *why,
    const char *fix)
{
	if (role == NULL)
		return xasprintf("%s %s is %s (owner uid %lu, mode %04o): "
		    "smadm runs as root and refuses to trust it; fix: %s %s",
		    what, path, why, (unsigned long)st->uid,
		    (unsigned)st->mode, fix, comp);
	return xasprintf("%s %s: %s %s is %s (owner uid %lu, mode %04o), so "
	    "others could replace what it holds; smadm runs as root and "
	    "refuses to trust it; fix: %s %s", what, path, role, comp, why,
	    (unsigned long)st->uid, (unsigned)st->mode, fix, comp);
}

/* Push path's components so that the first is popped first. */
static void
trust_push(struct strv *stack, const char *path)
{
	const char	*end;
	size_t		 first = stack->n, i;
	char		*tmp;

	for (; *path != '\0'; path = *end == '\0' ? end : end + 1) {
		end = strchrnul(path, '/');
		if (end == path || (end - path == 1 && *path == '.'))
			continue;
		strv_push_nocopy(stack, xstrndup(path, (size_t)(end - path)));
	}
	for (i = 0; first + i < stack->n - 1 - i; i++) {
		tmp = stack->v[first + i];
		stack->v[first + i] = stack->v[stack->n - 1 - i];
		stack->v[stack->n - 1 - i] = tmp;
	}
}

/* Check one lstat()ed component; 0 or -1 with *cause. */
static int
trust_one(struct transport *t, const char *what, const char *path,
    const char *comp, const char *role, int last, uid_t self, char **cause)
{
	struct tstat	 st;
	const char	*why, *fix = NULL;

	if (transport_stat(t, comp, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_NONE)
		return 0;
	if ((why = trust_mode_problem(&st, self, last, &fix)) == NULL)
		return 0;
	*cause = trust_refusal(what, path, comp, role, &st, why, fix);
	return -1;
}

int
trust_path(struct transport *t, const char *path, uid_t self,
    const char *what, char **cause)
{
	struct strv	 stack = STRV_INIT;
	struct buf	 cur = BUF_INIT, link = BUF_INIT;
	struct tstat	 st;
	const char	*why, *fix = NULL;
	char		*name, *slash;
	size_t		 prev;
	int		 links = 0, rc = -1, last;

	if (*path != '/') {
		*cause = xasprintf("%s %s: not an absolute path", what, path);
		return -1;
	}
	trust_push(&stack, path);
	if (trust_one(t, what, path, "/", "the directory", stack.n == 0,
	    self, cause) != 0)
		goto out;
	while (stack.n > 0) {
		name = stack.v[--stack.n];
		stack.v[stack.n] = NULL;
		if (strcmp(name, "..") == 0) {
			/* cur is a resolved path: its parent is real. */
			if ((slash = strrchr(cur.data, '/')) != NULL)
				buf_truncate(&cur, (size_t)(slash - cur.data));
			free(name);
			continue;
		}
		prev = cur.len;
		buf_printf(&cur, "/%s", name);
		free(name);
		if (transport_stat(t, cur.data, 0, &st, cause) != 0)
			goto out;
		if (st.type == TS_NONE) {
			/*
			 * Checked as far as it exists; the directory where
			 * it would be made is checked below.
			 */
			break;
		}
		if (st.type == TS_LNK) {
			/*
			 * The link sits in a directory already checked; in a
			 * sticky one (/tmp) others can make links too, and
			 * repoint theirs between this check and the use, so
			 * only a link of root or self is followed.
			 */
			if (st.uid != 0 && st.uid != self) {
				*cause = trust_refusal(what, path, cur.data,
				    "the symbolic link", &st, "owned by someone "
				    "else, who can point it elsewhere at any "
				    "time", "name the real path instead of");
				goto out;
			}
			if (++links > TRUST_MAX_LINKS) {
				*cause = xasprintf("%s %s: too many symbolic "
				    "links", what, path);
				goto out;
			}
			buf_reset(&link);
			if (transport_readlink(t, cur.data, &link, cause) != 0)
				goto out;
			if (link.data[0] == '/')
				buf_reset(&cur);
			else
				buf_truncate(&cur, prev);
			trust_push(&stack, link.data);
			continue;
		}
		last = stack.n == 0;
		if (!last && st.type != TS_DIR) {
			*cause = xasprintf("%s %s: %s is not a directory", what,
			    path, cur.data);
			goto out;
		}
		if ((why = trust_mode_problem(&st, self, last, &fix)) != NULL) {
			*cause = trust_refusal(what, path, cur.data, last ?
			    NULL : "the directory", &st, why, fix);
			goto out;
		}
	}
	/*
	 * The directory holding the object (or where a missing one would be
	 * made) gets no sticky exception.
	 */
	if (cur.len > 0) {
		slash = strrchr(cur.data, '/');
		if (slash == cur.data)
			buf_truncate(&cur, 1);
		else
			buf_truncate(&cur, (size_t)(slash - cur.data));
		if (trust_one(t, what, path, cur.data, "the directory holding "
		    "it,", 1, self, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	strv_release(&stack);
	buf_release(&cur);
	buf_release(&link);
	return rc;
}

int
trust_own_dir(struct transport *t, const char *dir, uid_t self,
    char **cause)
{
	struct tstat	 st;
	const char	*why, *fix = NULL;

	if (transport_stat(t, dir, 0, &st, cause) != 0)
		return -1;
	if (st.type == TS_LNK) {
		*cause = xasprintf("%s is a symbolic link: smadm keeps its "
		    "lock and backups there and follows no link for them; "
		    "remove it (rm %s) if you did not make it", dir, dir);
		return -1;
	}
	if (st.type != TS_DIR) {
		*cause = xasprintf("%s: not a directory (smadm keeps its lock "
		    "and backups there)", dir);
		return -1;
	}
	if ((why = trust_mode_problem(&st, self, 1, &fix)) != NULL) {
		*cause = trust_refusal("smadm's directory", dir, dir, NULL,
		    &st, why, fix);
		return -1;
	}
	return 0;
}

/* The first word of a command, or NULL. */
static const char *
trust_argv0(const struct strv *sv)
{
	return sv->n > 0 ? sv->v[0] : NULL;
}

struct profile *
trust_profile_load(struct transport *t, const char *dir, char **cause)
{
	struct profile	*p;
	struct {
		const char	*what;
		const char	*path;
	} use[7];
	char		*conf, *c;
	size_t		 len, i, n = 0;
	uid_t		 self;

	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	conf = xasprintf("%.*s/smadm.conf", (int)len, dir);
	self = trust_user(t);
	if (*conf == '/' && trust_path(t, conf, self, "profile", cause) != 0) {
		free(conf);
		return NULL;
	}
	free(conf);
	if ((p = profile_load(t, dir, cause)) == NULL)
		return NULL;
	p->self_uid = self;
	p->self_known = 1;

#define USE(w, v) do {							\
	use[n].what = (w);						\
	use[n++].path = (v);						\
} while (0)
	USE("sendmail", p->sendmail);
	USE("m4", p->m4);
	USE("makemap", p->makemap);
	USE("service_start", trust_argv0(&p->service_start));
	USE("service_stop", trust_argv0(&p->service_stop));
	USE("syslog_command", trust_argv0(&p->syslog_command));
	USE("namespace", p->ns_dir);
#undef USE
	for (i = 0; i < n; i++) {
		/* A relative program cannot be run at all: run says so. */
		if (use[i].path == NULL || *use[i].path != '/')
			continue;
		if (trust_path(t, use[i].path, self, use[i].what, cause) == 0)
			continue;
		c = *cause;
		*cause = xasprintf("%s (named in %s)", c, p->origin);
		free(c);
		profile_free(p);
		return NULL;
	}
	return p;
}

int
trust_state_mkdirs(struct host *h, const char *path, char **cause)
{
	struct tstat	 st;
	char		*state, *above, *comp;
	size_t		 n, i;
	uid_t		 self = trust_self(h->t, h->prof);
	int		 rc = -1;

	state = backup_state_dir(h->prof);
	n = strlen(state);
	if (strncmp(path, state, n) != 0 ||
	    (path[n] != '\0' && path[n] != '/')) {
		*cause = xasprintf("%s: not in smadm's directory %s", path,
		    state);
		free(state);
		return -1;
	}
	/* What is above DIR/.smadm is the profile's: made, not judged. */
	above = xstrndup(state, (size_t)(strrchr(state, '/') - state));
	if (*above != '\0' && backup_mkdirs(h->t, above, 0755, cause) != 0)
		goto out;
	for (i = n;; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		comp = xstrndup(path, i);
		if (transport_stat(h->t, comp, 0, &st, cause) != 0 ||
		    (st.type == TS_NONE &&
		    transport_mkdir(h->t, comp, 0700, cause) != 0) ||
		    trust_own_dir(h->t, comp, self, cause) != 0) {
			free(comp);
			goto out;
		}
		free(comp);
		if (path[i] == '\0')
			break;
	}
	rc = 0;
out:
	free(above);
	free(state);
	return rc;
}
