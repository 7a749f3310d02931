/*
 * cf-m4-said.c -- what m4 says on stderr while it makes a cf, sorted into
 * errors and warnings, and the one thing smadm reads in an mc's text
 * before m4 runs: whether the mc includes cf.m4 itself (see cf-m4.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cf-m4.h"

/* One line of text: [*p, *p + n), and *p moved past its newline. */
static int
next_line(const char **p, const char **line, size_t *n)
{
	const char	*nl;

	if (**p == '\0')
		return 0;
	*line = *p;
	nl = strchr(*p, '\n');
	*n = nl != NULL ? (size_t)(nl - *p) : strlen(*p);
	*p += *n;
	if (**p == '\n')
		(*p)++;
	return 1;
}

/* The line without blanks at either end. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int
starts(const char *s, size_t n, const char *with)
{
	size_t	l = strlen(with);

	return n >= l && strncmp(s, with, l) == 0;
}

static int
has(const char *s, size_t n, const char *what)
{
	return memmem(s, n, what, strlen(what)) != NULL;
}

static void
add_to(struct buf *b, const char *s, size_t n)
{
	if (b->len != 0)
		buf_addstr(b, "; ");
	buf_add(b, s, n);
}

/*
 * A message of the cf macros (one errprint()): a warning when it says so
 * ("*** WARNING", "WARNING:", "NOTE:") or tells of an obsolete or
 * deprecated setting; "*** ERROR" and anything else, such as "*** FEATURE
 * (smrsh) must occur before MAILER(local)" (the feature would silently do
 * nothing) or 'Feature "nullclient" requires argument', is an error.
 */
static int
macro_warning(const char *s, size_t n)
{
	if (has(s, n, "*** ERROR"))
		return 0;
	if (starts(s, n, "*** WARNING") || starts(s, n, "WARNING") ||
	    starts(s, n, "NOTE:"))
		return 1;
	return starts(s, n, "***") && (has(s, n, " is obsolete") ||
	    has(s, n, " is deprecated"));
}

/* What provides a file that an include() could not open, or NULL. */
static char *
include_hint(const char *path, const char *cf_dir)
{
	static const struct {
		const char	*dir, *macro;
	} kinds[] = {
		{ "ostype/", "OSTYPE" }, { "feature/", "FEATURE" },
		{ "mailer/", "MAILER" }, { "domain/", "DOMAIN" },
		{ "hack/", "HACK" }, { "siteconfig/", "SITECONFIG" }
	};
	const char	*rest, *base;
	size_t		 i, n = strlen(cf_dir), l;

	while (n > 1 && cf_dir[n - 1] == '/')
		n--;
	if (strncmp(path, cf_dir, n) == 0 && path[n] == '/') {
		rest = path + n + 1;
		for (i = 0; i < nitems(kinds); i++) {
			if (strncmp(rest, kinds[i].dir, strlen(kinds[i].dir)))
				continue;
			base = rest + strlen(kinds[i].dir);
			l = strlen(base);
			if (l > 3 && strcmp(base + l - 3, ".m4") == 0)
				l -= 3;
			return xasprintf("%s(`%.*s') is not one of the cf "
			    "macros in %.*s/%s", kinds[i].macro, (int)l,
			    base, (int)n, cf_dir, kinds[i].dir);
		}
		return xasprintf("the cf macros in %.*s have no %s", (int)n,
		    cf_dir, rest);
	}
	if (strncmp(path, "/usr/share/sendmail-cf/", 23) == 0)
		return xasprintf("that is where RHEL and Fedora's package "
		    "sendmail-cf keeps the cf macros; this host's are in "
		    "%.*s: include %.*s/%s instead", (int)n, cf_dir, (int)n,
		    cf_dir, path + 23);
	if (strncmp(path, "/usr/share/sendmail/cf/", 23) == 0)
		return xasprintf("that is where Debian's package sendmail-cf "
		    "and FreeBSD's base system keep the cf macros; this "
		    "host's are in %.*s: include %.*s/%s instead", (int)n,
		    cf_dir, (int)n, cf_dir, path + 23);
	if (strncmp(path, "/usr/local/share/sendmail/", 26) == 0)
		return xasprintf("that is where OpenBSD's sendmail package "
		    "(pkg_add sendmail) keeps the cf macros; this host's are "
		    "in %.*s: include %.*s/%s instead", (int)n, cf_dir,
		    (int)n, cf_dir, path + 26);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (strstr(path, "/m4/") != NULL && (strcmp(base, "dialup.m4") == 0 ||
	    strcmp(base, "provider.m4") == 0))
		return xstrdup("Debian's sendmail-base writes it (run "
		    "sendmailconfig, or /usr/share/sendmail/dynamic); an "
		    "empty file will do");
	return NULL;
}

/*
 * One line of m4's own ("M4:FILE:LINE: ..."), without the program name,
 * to errors or warnings; a file that include() cannot open gets what
 * would provide it, an unclosed quote what usually causes it.
 */
static void
m4_line(const char *s, size_t n, const char *cf_dir, struct buf *errors,
    struct buf *warnings)
{
	struct buf	 b = BUF_INIT;
	const char	*open, *end;
	char		*path, *hint;

	if (has(s, n, ": Warning: ")) {
		add_to(warnings, s, n);
		return;
	}
	buf_add(&b, s, n);
	open = memmem(s, n, "cannot open `", 13);
	end = open != NULL ? memmem(open, n - (size_t)(open - s), "': ", 3) :
	    NULL;
	if (open != NULL && end != NULL) {
		path = xstrndup(open + 13, (size_t)(end - open - 13));
		buf_truncate(&b, (size_t)(open - s));
		if (has(end, n - (size_t)(end - s), "No such file"))
			buf_printf(&b, "the included file %s does not exist",
			    path);
		else
			buf_printf(&b, "the included file %s cannot be read "
			    "(%.*s)", path, (int)(n - (size_t)(end + 3 - s)),
			    end + 3);
		if ((hint = include_hint(path, cf_dir)) != NULL) {
			buf_printf(&b, ": %s", hint);
			free(hint);
		}
		free(path);
	} else if (has(s, n, "stack overflow") ||
	    has(s, n, "recursion limit"))
		buf_addstr(&b, " (a macro that expands to itself; after a "
		    "changequote in the mc, smadm's guarded include, sinclude "
		    "and syscmd end this way)");
	else if (has(s, n, "end of file in string"))
		buf_addstr(&b, " (a ` that no ' closes; once cf.m4 is read, "
		    "# no longer starts a comment, so a quote in a # line "
		    "counts: write such notes after dnl)");
	add_to(errors, b.data, b.len);
	buf_release(&b);
}

void
cf_m4_sort(const char *err, const char *m4, const char *tag,
    const char *cf_dir, struct buf *errors, struct buf *warnings)
{
	struct buf	 msg = BUF_INIT, *to, *last = NULL;
	const char	*p = err, *line, *base;
	char		*begin, *end;
	size_t		 n, skip;
	int		 in = 0, more = 0;

	base = strrchr(m4, '/');
	base = base != NULL ? base + 1 : m4;
	begin = xasprintf("{smadm %s", tag);
	end = xasprintf("}smadm %s", tag);
	while (next_line(&p, &line, &n)) {
		/* A message that starts with a blank carries the last on
		 * (berkeley-only.m4 says one thing in four errprint()s). */
		if (in && msg.len == 0 && n > 0 && (*line == ' ' ||
		    *line == '\t'))
			more = 1;
		trim(&line, &n);
		if (n == strlen(begin) && strncmp(line, begin, n) == 0) {
			buf_reset(&msg);
			in = 1;
			more = 0;
			continue;
		}
		if (in && n == strlen(end) && strncmp(line, end, n) == 0) {
			in = 0;
			if (msg.len == 0)
				continue;
			if (more && last != NULL) {
				buf_addch(last, ' ');
				buf_add(last, msg.data, msg.len);
				continue;
			}
			to = macro_warning(msg.data, msg.len) ? warnings :
			    errors;
			add_to(to, msg.data, msg.len);
			last = to;
			continue;
		}
		if (n == 0)
			continue;
		/* m4's -di trace of the files it read (cf-m4.c checks it). */
		if (!in && starts(line, n, "m4debug: "))
			continue;
		if (in) {
			if (msg.len != 0)
				buf_addch(&msg, ' ');
			buf_add(&msg, line, n);
			continue;
		}
		last = NULL;
		skip = 0;
		if (n > strlen(m4) && starts(line, n, m4) &&
		    line[strlen(m4)] == ':')
			skip = strlen(m4) + 1;
		else if (n > strlen(base) && starts(line, n, base) &&
		    line[strlen(base)] == ':')
			skip = strlen(base) + 1;
		while (skip != 0 && skip < n && line[skip] == ' ')
			skip++;
		if (skip != 0 && skip < n)
			m4_line(line + skip, n - skip, cf_dir, errors,
			    warnings);
		else
			add_to(errors, line, n);
	}
	/* A message cut short (m4 stopped inside it) is an error. */
	if (in && msg.len != 0)
		add_to(errors, msg.data, msg.len);
	free(begin);
	free(end);
	buf_release(&msg);
}

/*
 * The argument of include( or sinclude( at text, without m4's quotes, up
 * to its ")" or ","; NULL when it is not a plain argument.
 */
static char *
include_arg(const char *s, const char *end)
{
	struct buf	 b = BUF_INIT;

	for (; s < end && *s != ')' && *s != ','; s++) {
		if (*s == '\n' || *s == '(')
			break;
		if (*s != '`' && *s != '\'')
			buf_addch(&b, *s);
	}
	if (s == end || (*s != ')' && *s != ',')) {
		buf_release(&b);
		return NULL;
	}
	buf_rtrim(&b);
	return buf_detach(&b);
}

static int
is_cf_m4(const char *path)
{
	size_t	n = strlen(path);

	if (n < 5 || strcmp(path + n - 5, "cf.m4") != 0)
		return 0;
	return n == 5 || path[n - 6] == '/';
}

/*
 * Read as m4 reads an mc on its own, with its default comments and
 * quotes: a # outside quotes comments to the end of the line, dnl
 * discards it, ` and ' nest.  An include inside quotes (an ifdef's arm)
 * counts too.
 */
char *
cf_m4_self_include(const char *text, size_t len, size_t *line)
{
	const char	*s = text, *end = text + len, *w;
	char		*arg;
	size_t		 depth = 0, ln = 1, n;

	while (s < end) {
		if (*s == '\n') {
			ln++;
			s++;
		} else if (*s == '#' && depth == 0) {
			while (s < end && *s != '\n')
				s++;
		} else if (*s == '`') {
			depth++;
			s++;
		} else if (*s == '\'' && depth > 0) {
			depth--;
			s++;
		} else if (isalpha((unsigned char)*s) || *s == '_') {
			w = s;
			while (s < end && (isalnum((unsigned char)*s) ||
			    *s == '_'))
				s++;
			n = (size_t)(s - w);
			if (depth == 0 && n == 3 && strncmp(w, "dnl", 3) == 0) {
				while (s < end && *s != '\n')
					s++;
				continue;
			}
			if (s == end || *s != '(' || !((n == 7 &&
			    strncmp(w, "include", 7) == 0) || (n == 8 &&
			    strncmp(w, "sinclude", 8) == 0)))
				continue;
			arg = include_arg(s + 1, end);
			if (arg != NULL && is_cf_m4(arg)) {
				if (line != NULL)
					*line = ln;
				return arg;
			}
			free(arg);
		} else if (isdigit((unsigned char)*s)) {
			while (s < end && (isalnum((unsigned char)*s) ||
			    *s == '_'))
				s++;
		} else
			s++;
	}
	return NULL;
}
