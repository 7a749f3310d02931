/*
 * cf-m4.c -- m4 over an mc with the dangerous builtins disarmed, and the
 * one way a cf is generated and then checked by sendmail (see cf-m4.h).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "cf-m4.h"

/* A directory as the prelude compares it: no trailing slash but "/". */
static char *
dir_clean(const char *d)
{
	size_t	n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		n--;
	return xstrndup(d, n);
}

static int
carried(const char *what, const char *path, char **cause)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || strchr("`',()$#", *p) != NULL) {
			*cause = xasprintf("%s \"%s\" contains a character "
			    "that m4 cannot carry (%s)", what, path,
			    *p < 0x20 || *p == 0x7f ? "a control character" :
			    "` ' , ( ) $ or #");
			return -1;
		}
	}
	return 0;
}

void
cf_m4_tag(char *tag)
{
	unsigned char	rnd[6];
	size_t		i;

	if (getentropy(rnd, sizeof rnd) != 0)
		util_fatal("getentropy failed");
	for (i = 0; i < sizeof rnd; i++)
		snprintf(tag + 2 * i, 3, "%02x", rnd[i]);
}

int
cf_m4_prelude(struct buf *b, const char *tag, const char *cf_dir,
    const char *mc_dir, char **cause)
{
	static const char *const disarmed[] = { "syscmd", "esyscmd",
	    "maketemp", "mkstemp", "debugfile", "debugmode" };
	char		*cf = NULL, *mc = NULL;
	size_t		 i;

	if (carried("cf_dir", cf_dir, cause) != 0 ||
	    carried("the mc's directory", mc_dir, cause) != 0)
		return -1;
	cf = dir_clean(cf_dir);
	mc = dir_clean(mc_dir);
	buf_addstr(b, "divert(-1)\n"
	    "define(`_NO_MAKEINFO_', `1')\n");
#define S tag
	buf_printf(b, "define(`smadm_inc_%s', defn(`include'))\n"
	    "define(`smadm_sinc_%s', defn(`sinclude'))\n"
	    "define(`smadm_exit_%s', defn(`m4exit'))\n"
	    "define(`smadm_err_%s', defn(`errprint'))\n"
	    "define(`smadm_if_%s', defn(`ifelse'))\n"
	    "define(`smadm_idx_%s', defn(`index'))\n"
	    "define(`smadm_undiv_%s', defn(`undivert'))\n"
	    "define(`smadm_re_%s', defn(`regexp'))\n"
	    "define(`smadm_shift_%s', defn(`shift'))\n",
	    S, S, S, S, S, S, S, S, S);
	/* 1 when $1 is under cf_dir or mc_dir, or relative; never "..". */
	/*
	 * A newline in the name is refused too: m4's -di trace names each
	 * file on a line of its own (inputs_check reads it).
	 */
	buf_printf(b, "define(`smadm_ok_%s', `smadm_if_%s("
	    "smadm_idx_%s(`$1', `\n'), `-1', `smadm_if_%s("
	    "smadm_idx_%s(`$1', `..'), `-1', `smadm_if_%s("
	    "smadm_idx_%s(`$1', `%s/'), `0', `1', "
	    "smadm_idx_%s(`$1', `%s/'), `0', `1', "
	    "smadm_idx_%s(`$1', `/'), `0', `0', `1')', `0')', `0')')\n",
	    S, S, S, S, S, S, S, strcmp(cf, "/") == 0 ? "" : cf, S,
	    strcmp(mc, "/") == 0 ? "" : mc, S);
	buf_printf(b, "define(`smadm_deny_%s', `smadm_err_%s("
	    "`*** ERROR: smadm: $1($2) refused: $3\n"
	    "')smadm_exit_%s(`1')')\n", S, S, S);
	/* Each message between two marker lines, for cf_m4_sort. */
	buf_printf(b, "define(`errprint', `smadm_if_%s(`$#', `0', "
	    "``errprint'', `smadm_err_%s(`\n{smadm %s\n')smadm_err_%s($@)"
	    "smadm_err_%s(`\n}smadm %s\n')')')\n", S, S, S, S, S, S);
	buf_printf(b, "define(`include', `smadm_if_%s(`$#', `0', "
	    "``include'', `smadm_if_%s(smadm_ok_%s(`$1'), `1', "
	    "`smadm_inc_%s(`$1')', `smadm_deny_%s(`include', `$1', "
	    "`only files under %s or %s may be included')')')')\n",
	    S, S, S, S, S, cf, mc);
	buf_printf(b, "define(`sinclude', `smadm_if_%s(`$#', `0', "
	    "``sinclude'', `smadm_if_%s(smadm_ok_%s(`$1'), `1', "
	    "`smadm_sinc_%s(`$1')', `smadm_deny_%s(`sinclude', `$1', "
	    "`only files under %s or %s may be included')')')')\n",
	    S, S, S, S, S, cf, mc);
	/*
	 * undivert(N) brings back a diversion; undivert(NAME) copies the
	 * file NAME into the output, an include that smadm_ok_ would not
	 * see.  Only numbers pass (1 when every argument is one).
	 */
	buf_printf(b, "define(`smadm_nums_%s', `smadm_if_%s("
	    "smadm_re_%s(`$1', `^-?[0-9]+$'), `-1', `0', `$#', `1', `1', "
	    "`smadm_nums_%s(smadm_shift_%s($@))')')\n", S, S, S, S, S);
	buf_printf(b, "define(`undivert', `smadm_if_%s(`$#', `0', "
	    "`smadm_undiv_%s`'', `smadm_if_%s(smadm_nums_%s($@), `1', "
	    "`smadm_undiv_%s($@)', `smadm_deny_%s(`undivert', `$1', "
	    "`only a diversion number may be undiverted, never a "
	    "file')')')')\n", S, S, S, S, S, S);
	for (i = 0; i < nitems(disarmed); i++)
		buf_printf(b, "define(`%s', `smadm_if_%s(`$#', `0', "
		    "``%s'', `smadm_deny_%s(`%s', `$1', `smadm does not let "
		    "m4 run programs or create files')')')\n",
		    disarmed[i], S, disarmed[i], S, disarmed[i]);
#undef S
	buf_addstr(b, "undefine(`builtin')\n"
	    "divert(0)dnl\n");
	free(cf);
	free(mc);
	return 0;
}

/* "a/./b/../c" as "a/c", without asking the file system. */
static char *
path_lexical(const char *p)
{
	struct buf	 b = BUF_INIT;
	const char	*s = p, *e;
	char		*slash;
	size_t		 n;

	while (*s != '\0') {
		while (*s == '/')
			s++;
		e = strchr(s, '/');
		n = e != NULL ? (size_t)(e - s) : strlen(s);
		if (n == 0)
			break;
		if (n == 2 && strncmp(s, "..", 2) == 0) {
			slash = strrchr(b.data, '/');
			buf_truncate(&b, slash != NULL ?
			    (size_t)(slash - b.data) : 0);
		} else if (!(n == 1 && *s == '.')) {
			buf_addch(&b, '/');
			buf_add(&b, s, n);
		}
		s += n;
	}
	if (b.len == 0)
		buf_addch(&b, '/');
	return buf_detach(&b);
}

/*
 * Does the mc include cf.m4 itself?  0 with *self 0 when not; 0 with
 * *self 1 when it includes cf_dir's; -1 when it includes another one,
 * which m4 would read instead of the profile's macros.
 */
static int
self_include(struct transport *t, const char *mc, const char *cwd,
    const char *cf_dir, int *self, char **cause)
{
	struct buf	 text = BUF_INIT;
	struct tstat	 st;
	char		*inc, *full, *want, *have, *dir, *ignore = NULL;
	size_t		 line = 0;
	int		 rc = -1;

	*self = 0;
	if (transport_read_file(t, mc, &text, 0, cause) != 0)
		return -1;
	inc = cf_m4_self_include(text.data, text.len, &line);
	buf_release(&text);
	if (inc == NULL)
		return 0;
	full = inc[0] == '/' ? xstrdup(inc) : xasprintf("%s/%s", cwd, inc);
	have = path_lexical(full);
	dir = dir_clean(cf_dir);
	want = xasprintf("%s/m4/cf.m4", strcmp(dir, "/") == 0 ? "" : dir);
	if (strcmp(have, want) == 0) {
		*self = 1;
		rc = 0;
	} else if (transport_stat(t, have, 1, &st, &ignore) != 0 ||
	    st.type == TS_NONE)
		*cause = xasprintf("%s:%zu: the mc includes %s, which does not "
		    "exist on this host (%s); the profile's cf macros are in "
		    "%s: include %s instead", mc, line, inc,
		    strncmp(have, "/usr/share/sendmail-cf/", 23) == 0 ?
		    "RHEL and Fedora's package sendmail-cf keeps it there" :
		    strncmp(have, "/usr/share/sendmail/cf/", 23) == 0 ?
		    "Debian's package sendmail-cf keeps it there" :
		    "no package of this host provides it", dir, want);
	else
		*cause = xasprintf("%s:%zu: the mc includes %s, but the "
		    "profile's cf macros are in %s: include %s, or set "
		    "cf_dir in the profile", mc, line, inc, dir, want);
	free(ignore);
	free(inc);
	free(full);
	free(have);
	free(want);
	free(dir);
	return rc;
}

/*
 * After the prelude: the first m4wrap (cfhead.m4's, which includes
 * proto.m4 at the end of input) also wraps the printing of name's value.
 * m4wrap text runs last in, first out, so the value is printed before
 * proto.m4 fills in its defaults.
 */
static void
value_prelude(struct buf *b, const char *tag, const char *name)
{
#define S tag
	buf_printf(b, "divert(-1)\n"
	    "define(`smadm_wrap_%s', defn(`m4wrap'))\n"
	    "define(`smadm_ifdef_%s', defn(`ifdef'))\n"
	    "define(`smadm_defn_%s', defn(`defn'))\n"
	    "define(`smadm_div_%s', defn(`divert'))\n"
	    "define(`smadm_def_%s', defn(`define'))\n", S, S, S, S, S);
	buf_printf(b, "define(`smadm_val_%s', `smadm_div_%s(`0')\n"
	    "{smadm-value %s smadm_ifdef_%s(`%s', `1\n'`'smadm_defn_%s(`%s'), "
	    "`0\n')\n}smadm-value %s\n')\n", S, S, S, S, name, S, name, S);
	buf_printf(b, "define(`smadm_once_%s', `smadm_def_%s(`smadm_once_%s', "
	    "`')smadm_wrap_%s(`smadm_val_%s()')')\n", S, S, S, S, S);
	buf_printf(b, "define(`m4wrap', `smadm_if_%s(`$#', `0', ``m4wrap'', "
	    "`smadm_wrap_%s(`$1')smadm_once_%s')')\n", S, S, S);
#undef S
	buf_addstr(b, "divert(0)dnl\n");
}

/* Is the lexical absolute path p dir itself or below it? */
static int
path_under(const char *p, const char *dir)
{
	size_t	n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/*
 * One file m4 read, named as m4 names it (relative to cwd): the prelude
 * checked the name, but a symbolic link below the mc's directory can point
 * anywhere (include(`/etc/mail/x.m4') reading /etc/shadow into a cf that
 * everyone may read).  Follow each link in the part below the mc's
 * directory; the file must stay under cf_dir or that directory.  The cf
 * tree is the package's and is not walked.
 */
static int
input_check(struct transport *t, const char *name, const char *cwd,
    const char *cf, const char *mc_dir, char **cause)
{
	struct buf	 target = BUF_INIT;
	struct tstat	 st;
	char		*p, *full, *prefix, *rest, *next, *ignore = NULL;
	const char	*s, *e;
	int		 hops = 0, rc = -1, link;

	full = *name == '/' ? xstrdup(name) : xasprintf("%s/%s", cwd, name);
	p = path_lexical(full);
	free(full);
	/* A name the trace split or made up: m4 read something else. */
	if (transport_stat(t, p, 0, &st, &ignore) != 0 ||
	    st.type == TS_NONE) {
		*cause = xasprintf("m4 names %s as a file it read, and there "
		    "is no such file: refused", p);
		goto out;
	}
again:
	if (path_under(p, cf) && (!path_under(p, mc_dir) ||
	    strlen(cf) >= strlen(mc_dir))) {
		rc = 0;
		goto out;
	}
	if (!path_under(p, mc_dir)) {
		*cause = xasprintf("m4 read %s (through a symbolic link named "
		    "%s), which is outside %s and %s: refused", p, name, cf,
		    mc_dir);
		goto out;
	}
	/* Each component below mc_dir, from the top: a link? */
	s = p + strlen(mc_dir);
	while (*s == '/') {
		e = strchr(s + 1, '/');
		prefix = xstrndup(p, e != NULL ? (size_t)(e - p) : strlen(p));
		link = transport_stat(t, prefix, 0, &st, &ignore) == 0 &&
		    st.type == TS_LNK;
		free(ignore);
		ignore = NULL;
		if (link) {
			buf_reset(&target);
			if (transport_readlink(t, prefix, &target, cause) != 0 ||
			    ++hops > 16) {
				if (*cause == NULL)
					*cause = xasprintf("%s: too many "
					    "symbolic links", prefix);
				free(prefix);
				goto out;
			}
			rest = e != NULL ? xstrdup(e) : xstrdup("");
			*strrchr(prefix, '/') = '\0';
			next = target.data[0] == '/' ?
			    xasprintf("%s%s", target.data, rest) :
			    xasprintf("%s/%s%s", prefix, target.data, rest);
			free(rest);
			free(prefix);
			free(p);
			p = path_lexical(next);
			free(next);
			goto again;
		}
		free(prefix);
		if (e == NULL)
			break;
		s = e;
	}
	rc = 0;
out:
	buf_release(&target);
	free(ignore);
	free(p);
	return rc;
}

/* Every file of m4's -di trace ("m4debug: input read from FILE"). */
static int
inputs_check(struct transport *t, const char *err, const char *mc,
    const char *cwd, const char *cf_dir, char **cause)
{
	static const char	 key[] = "m4debug: input read from ";
	const char		*p = err, *nl;
	char			*name, *cf, *mc_dir;
	int			 rc = 0;

	cf = path_lexical(cf_dir);
	mc_dir = path_lexical(cwd[0] == '/' ? cwd : "/");
	while (rc == 0 && (p = strstr(p, key)) != NULL) {
		if (p != err && p[-1] != '\n') {
			p += sizeof key - 1;
			continue;
		}
		p += sizeof key - 1;
		nl = strchr(p, '\n');
		name = xstrndup(p, nl != NULL ? (size_t)(nl - p) :
		    strlen(p));
		/* m4's standard input is the prelude; the mc is the
		 * profile's own path. */
		if (strcmp(name, "stdin") != 0 && strcmp(name, "-") != 0 &&
		    strcmp(name, mc) != 0)
			rc = input_check(t, name, cwd, cf, mc_dir, cause);
		free(name);
	}
	free(cf);
	free(mc_dir);
	return rc;
}

static int
m4_run(struct transport *t, const char *m4, const char *cf_dir,
    const char *mc, const char *value_of, char *tag, struct run_result *rr,
    char **cause)
{
	struct run_opts	 ro;
	struct buf	 prelude = BUF_INIT;
	const char	*argv[6], *slash;
	char		*cfm4, *cwd;
	int		 rc = -1, self;

	slash = strrchr(mc, '/');
	if (slash == NULL)
		cwd = xstrdup(".");
	else if (slash == mc)
		cwd = xstrdup("/");
	else
		cwd = xstrndup(mc, (size_t)(slash - mc));
	cfm4 = xasprintf("%s/m4/cf.m4", cf_dir);
	cf_m4_tag(tag);
	if (cf_m4_prelude(&prelude, tag, cf_dir, cwd, cause) != 0)
		goto out;
	if (value_of != NULL)
		value_prelude(&prelude, tag, value_of);
	if (self_include(t, mc, cwd, cf_dir, &self, cause) != 0)
		goto out;
	/* -di: m4 names each file it reads (inputs_check). */
	argv[0] = m4;
	argv[1] = "-di";
	argv[2] = "-";
	argv[3] = self ? mc : cfm4;
	argv[4] = self ? NULL : mc;
	argv[5] = NULL;
	run_opts_init(&ro);
	ro.cwd = cwd;
	ro.timeout_ms = 60000;
	ro.stdin_data = prelude.data;
	ro.stdin_len = prelude.len;
	if (transport_run(t, argv, &ro, rr, cause) != 0)
		goto out;
	if (inputs_check(t, rr->err.data, mc, cwd, cf_dir, cause) != 0) {
		/* Nothing of what m4 wrote may reach a cf or a screen. */
		buf_reset(&rr->out);
		buf_reset(&rr->err);
		goto out;
	}
	rc = 0;
out:
	buf_release(&prelude);
	free(cfm4);
	free(cwd);
	return rc;
}

int
cf_m4_run(struct transport *t, const char *m4, const char *cf_dir,
    const char *mc, char *tag, struct run_result *rr, char **cause)
{
	return m4_run(t, m4, cf_dir, mc, NULL, tag, rr, cause);
}

static int
is_m4_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	return *s == '\0';
}

int
cf_m4_value(struct transport *t, const char *m4, const char *cf_dir,
    const char *mc, const char *name, char **value, char **cause)
{
	struct run_result	 rr;
	struct buf		 why = BUF_INIT, warned = BUF_INIT;
	char			 tag[CF_M4_TAG_SIZE], *open, *close;
	const char		*p, *q;
	int			 rc = -1;

	*value = NULL;
	if (!is_m4_name(name)) {
		*cause = xasprintf("%s: not a name m4 can define", name);
		return -1;
	}
	run_result_init(&rr);
	if (m4_run(t, m4, cf_dir, mc, name, tag, &rr, cause) != 0)
		goto out;
	open = xasprintf("{smadm-value %s ", tag);
	close = xasprintf("\n}smadm-value %s\n", tag);
	p = rr.out.len != 0 ? strstr(rr.out.data, open) : NULL;
	if (p != NULL && (p == rr.out.data || p[-1] == '\n') &&
	    (q = strstr(p, close)) != NULL) {
		p += strlen(open);
		if (p[0] == '1' && p[1] == '\n')
			*value = xstrndup(p + 2, (size_t)(q - p - 2));
		rc = 0;
	} else {
		cf_m4_sort(rr.err.data, m4, tag, cf_dir, &why, &warned);
		*cause = xasprintf("m4 did not reach the end of %s: %s", mc,
		    why.len != 0 ? why.data : "no cf macros were read");
	}
	free(open);
	free(close);
out:
	run_result_release(&rr);
	buf_release(&why);
	buf_release(&warned);
	return rc;
}

/* Lines of text that match, joined with "; "; returns how many. */
static size_t
grep_lines(const char *text, int (*match)(const char *, size_t, int *),
    struct buf *out)
{
	const char	*p = text, *nl;
	size_t		 n, found = 0;
	int		 state = 0;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (match(p, n, &state)) {
			if (out->len != 0)
				buf_addstr(out, "; ");
			buf_add(out, p, n);
			found++;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return found;
}

/* "FILE: line N: ..." as sendmail's readcf says it, on stdout or stderr. */
static int
cf_complaint(const char *s, size_t n, int *state unused)
{
	const char	*p;

	for (p = s; p + 6 < s + n; p++) {
		if (strncmp(p, ": line ", 7) != 0)
			continue;
		p += 7;
		if (p < s + n && isdigit((unsigned char)*p))
			return 1;
	}
	return memmem(s, n, "readcf:", 7) != NULL;
}

int
cf_generate(struct transport *t, const char *m4, const char *cf_dir,
    const char *mc, struct buf *out, struct buf *warnings, char **cause)
{
	struct run_result	 rr;
	struct buf		 why = BUF_INIT, warned = BUF_INIT;
	char			*d, tag[CF_M4_TAG_SIZE];
	int			 rc = -1;

	run_result_init(&rr);
	if (cf_m4_run(t, m4, cf_dir, mc, tag, &rr, cause) != 0)
		goto out;
	cf_m4_sort(rr.err.data, m4, tag, cf_dir, &why, &warned);
	if (!rr.exited || rr.status != 0 || why.len != 0 ||
	    rr.out.len == 0) {
		if (why.len == 0) {
			d = rr.exited && rr.status == 0 ?
			    xasprintf("%s: no output", m4) :
			    run_result_describe(m4, &rr);
			buf_addstr(&why, d);
			free(d);
		}
		*cause = xasprintf("m4 refused %s: %s", mc, why.data);
		goto out;
	}
	buf_add(out, rr.out.data, rr.out.len);
	if (warnings != NULL)
		buf_add(warnings, warned.data, warned.len);
	rc = 0;
out:
	run_result_release(&rr);
	buf_release(&why);
	buf_release(&warned);
	return rc;
}

int
cf_validate(struct transport *t, const char *sendmail, const char *ns_dir,
    const char *cf, struct buf *detail, char **cause)
{
	struct run_opts		 ro;
	struct run_result	 rr;
	struct buf		 why = BUF_INIT;
	const char		*argv[] = { sendmail, "-C", cf, "-bt", "-d0.1",
				    NULL };
	char			*d;
	int			 rc = -1;

	run_result_init(&rr);
	run_opts_init(&ro);
	ro.ns_dir = ns_dir;
	ro.timeout_ms = 60000;
	if (transport_run(t, argv, &ro, &rr, cause) != 0)
		goto out;
	if (rr.timed_out) {
		*cause = xasprintf("%s -C %s -bt timed out (is name "
		    "resolution hanging?)", sendmail, cf);
		goto out;
	}
	grep_lines(rr.out.data, cf_complaint, &why);
	grep_lines(rr.err.data, cf_complaint, &why);
	if (!rr.exited || rr.status != 0 || why.len != 0) {
		if (why.len == 0) {
			d = run_result_describe(sendmail, &rr);
			buf_addstr(&why, d);
			free(d);
		}
		*cause = xasprintf("sendmail rejects %s: %s", cf, why.data);
		goto out;
	}
	if (detail != NULL)
		buf_printf(detail, "%s accepts %s", sendmail, cf);
	rc = 0;
out:
	run_result_release(&rr);
	buf_release(&why);
	return rc;
}
