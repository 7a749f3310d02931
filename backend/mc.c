/*
 * mc.c -- parse and edit sendmail.mc without losing a byte (see mc.h).
 *
 * The scanner follows m4's own rules as far as an mc file needs them:
 * `quotes' nest, unquoted parentheses nest, a comma at the outer level
 * separates arguments, leading unquoted blanks of an argument are dropped,
 * and an unquoted dnl swallows the rest of its line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mc.h"
#include "mc-value.h"

static const struct {
	const char	*name;
	enum mc_kind	 kind;
} mc_macros[] = {
	{ "VERSIONID", MC_VERSIONID },
	{ "OSTYPE", MC_OSTYPE },
	{ "DOMAIN", MC_DOMAIN },
	{ "FEATURE", MC_FEATURE },
	{ "define", MC_DEFINE },
	{ "undefine", MC_UNDEFINE },
	{ "MAILER", MC_MAILER },
	{ "DAEMON_OPTIONS", MC_DAEMON_OPTIONS },
	{ "CLIENT_OPTIONS", MC_CLIENT_OPTIONS },
	{ "MASQUERADE_AS", MC_MASQUERADE_AS },
	{ "MASQUERADE_DOMAIN", MC_MASQUERADE_DOMAIN },
	{ "EXPOSED_USER", MC_EXPOSED_USER },
	{ "LOCAL_DOMAIN", MC_LOCAL_DOMAIN },
	{ "INPUT_MAIL_FILTER", MC_INPUT_MAIL_FILTER },
	{ "include", MC_INCLUDE },
	{ "divert", MC_DIVERT },
};

/* Macros that start a section of raw cf text. */
static const char *const mc_sections[] = {
	"LOCAL_CONFIG", "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2",
	"LOCAL_RULE_3", "LOCAL_RULESETS", "LOCAL_NET_CONFIG",
	"LOCAL_SRV_FEATURES", "LOCAL_CLT_FEATURES", "LOCAL_TRY_TLS",
	"LOCAL_TLS_RCPT", "LOCAL_TLS_CLIENT", "LOCAL_TLS_SERVER",
	"LOCAL_STARTTLS", "MAILER_DEFINITIONS",
};

static const char *const mc_kind_names[] = {
	"blank", "comment", "unknown", "word", "call", "VERSIONID", "OSTYPE",
	"DOMAIN", "FEATURE", "define", "undefine", "MAILER", "DAEMON_OPTIONS",
	"CLIENT_OPTIONS", "MASQUERADE_AS", "MASQUERADE_DOMAIN", "EXPOSED_USER",
	"LOCAL_DOMAIN", "INPUT_MAIL_FILTER", "include", "divert", "section",
	"cf text", "discarded"
};

const char *
mc_kind_name(enum mc_kind k)
{
	if ((size_t)k >= nitems(mc_kind_names))
		return "?";
	return mc_kind_names[k];
}

static int
is_word(int c)
{
	return isalnum(c) || c == '_';
}

static int
is_section(const char *w, size_t n)
{
	size_t	i;

	for (i = 0; i < nitems(mc_sections); i++)
		if (strlen(mc_sections[i]) == n &&
		    memcmp(mc_sections[i], w, n) == 0)
			return 1;
	return 0;
}

/* Offset just past the end of the line containing p. */
static size_t
line_end(const char *s, size_t len, size_t p)
{
	const char	*nl;

	nl = memchr(s + p, '\n', len - p);
	return nl == NULL ? len : (size_t)(nl - s) + 1;
}

static size_t
count_lines(const char *s, size_t off, size_t len)
{
	size_t	i, n = 0;

	for (i = off; i < off + len; i++)
		if (s[i] == '\n')
			n++;
	if (len != 0 && s[off + len - 1] != '\n')
		n++;
	return n;
}

/* Is there an unquoted "dnl" word at s[p]? */
static int
at_dnl(const char *s, size_t len, size_t p)
{
	if (p + 3 > len || memcmp(s + p, "dnl", 3) != 0)
		return 0;
	if (p > 0 && is_word((unsigned char)s[p - 1]))
		return 0;
	return p + 3 == len || !is_word((unsigned char)s[p + 3]);
}

static void
item_clear(struct mc_item *it)
{
	size_t	i;

	free(it->name);
	for (i = 0; i < it->nargs; i++)
		free(it->args[i].value);
	free(it->args);
	free(it->trailer);
}

/*
 * Collect the arguments of a call whose "(" is at s[p - 1].  On success
 * *end is the offset after ")".  Returns -1 with a message if the quote or
 * the parentheses never close.
 */
static int
parse_args(const char *s, size_t len, size_t p, struct mc_item *it,
    size_t *end, const char **why)
{
	struct buf	 val = BUF_INIT;
	size_t		 start, last;
	int		 paren = 1, quote = 0, have_start = 0;
	unsigned char	 c;

	start = last = p;
	for (;;) {
		if (p >= len) {
			*why = quote ? "unterminated quote" : "missing \")\"";
			buf_release(&val);
			return -1;
		}
		c = (unsigned char)s[p];
		if (!have_start && quote == 0) {
			/* Leading blanks and dnl lines are not the value. */
			if (c == ' ' || c == '\t' || c == '\n') {
				p++;
				continue;
			}
			if (at_dnl(s, len, p)) {
				p = line_end(s, len, p);
				continue;
			}
			have_start = 1;
			start = last = p;
		}
		if (quote > 0) {
			if (c == '`')
				quote++;
			else if (c == '\'')
				quote--;
			if (quote > 0)
				buf_addch(&val, c);
			p++;
			last = p;
			continue;
		}
		if (c == '`') {
			quote = 1;
			p++;
			last = p;
			continue;
		}
		if (at_dnl(s, len, p)) {
			p = line_end(s, len, p);
			continue;
		}
		if (c == '#') {
			size_t e = line_end(s, len, p);

			buf_add(&val, s + p, e - p);
			p = e;
			last = p;
			continue;
		}
		if (c == '(')
			paren++;
		else if (c == ')' || (c == ',' && paren == 1)) {
			if (c == ')')
				paren--;
			if (paren == 0 || c == ',') {
				struct mc_arg	*a;

				it->args = xreallocarray(it->args,
				    it->nargs + 1, sizeof *it->args);
				a = &it->args[it->nargs++];
				buf_rtrim(&val);
				a->value = buf_detach(&val);
				if (!have_start)
					start = last = p;
				a->off = start;
				a->len = last - start;
				a->quoted = a->len >= 2 && s[start] == '`' &&
				    s[start + a->len - 1] == '\'';
				have_start = 0;
				p++;
				if (paren == 0) {
					*end = p;
					return 0;
				}
				continue;
			}
		}
		buf_addch(&val, c);
		p++;
		if (c != ' ' && c != '\t' && c != '\n')
			last = p;
	}
}

/*
 * A define or FEATURE argument whose value calls an m4 builtin or a cf
 * macro (define, syscmd, FEATURE...) does more than its line shows: m4
 * runs the call when the cf is built.  Say so, naming the word.
 */
static void
warn_active(struct mc *mc)
{
	const struct mc_item	*it;
	char			*word = NULL, *why = NULL;
	size_t			 i, j;

	for (i = 0; i < mc->nitems; i++) {
		it = &mc->items[i];
		if (it->kind == MC_DEFINE && it->nargs > 0 &&
		    it->args[0].value[0] != '_' &&
		    mc_value_check_define(it->args[0].value, &why) != 0) {
			strv_pushf(&mc->warnings, "%s:%zu: define(%s): not a "
			    "define that the cf macros read: m4 replaces the "
			    "word %s wherever the cf has it, rules included "
			    "(see \"smadm apply --dry-run\")", mc->path,
			    it->line, it->args[0].value, it->args[0].value);
			free(why);
			why = NULL;
			continue;
		}
		free(why);
		why = NULL;
		if (it->kind == MC_CALL && it->name != NULL &&
		    mc_value_is_m4_active(it->name)) {
			strv_pushf(&mc->warnings, "%s:%zu: %s(...) changes "
			    "what m4 does as it reads the mc: mc get and mc "
			    "show may not be what the cf receives (see \"smadm "
			    "apply --dry-run\")", mc->path, it->line,
			    it->name);
			continue;
		}
		if (it->kind != MC_DEFINE && it->kind != MC_FEATURE &&
		    it->kind != MC_CALL)
			continue;
		for (j = it->kind == MC_CALL ? 0 : 1; j < it->nargs; j++) {
			if ((word = mc_value_active(it->args[j].value)) == NULL)
				continue;
			if (it->kind == MC_CALL)
				strv_pushf(&mc->warnings, "%s:%zu: %s(...) "
				    "calls %s, which m4 runs when the cf is "
				    "built: mc show lists what the file says, "
				    "mc get asks m4 (see also \"smadm apply "
				    "--dry-run\")", mc->path, it->line,
				    it->name, word);
			else
				strv_pushf(&mc->warnings, "%s:%zu: %s: the value "
				    "calls %s, which m4 runs when the cf is "
				    "built: the cf receives more than this line "
				    "shows (see \"smadm apply --dry-run\")",
				    mc->path, it->line, it->args[0].value, word);
			free(word);
			break;
		}
	}
}

/*
 * A value that is one quoted string, ``8:12'' in the mc (the value m4
 * collects is `8:12'): m4 removes these quotes too when it rescans the
 * value, so the cf receives what is inside (heap string).  NULL for any
 * other value: one with quotes only around a part (MAIL_SETTINGS_DIR`'x)
 * shows m4 at work and is kept as written.
 */
static char *
unquote_value(const char *v)
{
	size_t	n = strlen(v), i;
	int	depth = 0;

	if (n < 2 || v[0] != '`' || v[n - 1] != '\'')
		return NULL;
	for (i = 0; i < n; i++) {
		if (v[i] == '`')
			depth++;
		else if (v[i] == '\'' && depth > 0 && --depth == 0 &&
		    i != n - 1)
			return NULL;	/* `a'`b': two strings */
	}
	if (depth != 0)
		return NULL;
	return xstrndup(v + 1, n - 2);
}

/*
 * The arguments that reach the cf as values are rescanned by m4, which
 * strips another level of quotes: do the same for them.
 */
static void
unquote_args(struct mc_item *it)
{
	size_t	 i, first;
	char	*v;

	switch (it->kind) {
	case MC_DEFINE:
		first = 1;
		break;
	case MC_VERSIONID:
	case MC_OSTYPE:
	case MC_DOMAIN:
	case MC_FEATURE:
	case MC_MAILER:
	case MC_DAEMON_OPTIONS:
	case MC_CLIENT_OPTIONS:
	case MC_MASQUERADE_AS:
	case MC_MASQUERADE_DOMAIN:
	case MC_EXPOSED_USER:
	case MC_LOCAL_DOMAIN:
	case MC_INPUT_MAIL_FILTER:
		first = 0;
		break;
	default:
		return;
	}
	for (i = first; i < it->nargs; i++) {
		if ((v = unquote_value(it->args[i].value)) == NULL)
			continue;
		free(it->args[i].value);
		it->args[i].value = v;
		if (it->args[i].quoted)
			it->args[i].quoted = 2;
	}
}

/*
 * Inside a section, does the line whose first non-blank byte is s[q]
 * start an item?  Only a dnl, a section name, or a macro that m4 expands
 * (names: the defines seen so far) followed by "(": anything else is cf
 * text that m4 copies into the section.
 */
static int
starts_item(const char *s, size_t len, size_t q, const struct strv *names)
{
	size_t	w;

	if (at_dnl(s, len, q))
		return 1;
	if (q >= len || !(isalpha((unsigned char)s[q]) || s[q] == '_'))
		return 0;
	for (w = q; w < len && is_word((unsigned char)s[w]); w++)
		;
	if (w < len && s[w] == '(')
		return mc_value_is_macro(s + q, w - q, names);
	return is_section(s + q, w - q);
}

/*
 * FEATURE(`a') FEATURE(`b'): m4 runs both, but an item is whole lines and
 * the second call is only the first one's trailer.  Say so.
 */
static void
warn_second_call(struct mc *mc, const struct mc_item *it,
    const struct strv *names)
{
	const char	*t = it->trailer;
	size_t		 q = 0, w, n;

	if (t == NULL)
		return;
	n = strlen(t);
	while (q < n && (t[q] == ' ' || t[q] == '\t'))
		q++;
	if (q == n || at_dnl(t, n, q) ||
	    !(isalpha((unsigned char)t[q]) || t[q] == '_'))
		return;
	for (w = q; w < n && is_word((unsigned char)t[w]); w++)
		;
	if (w < n && t[w] == '(' && mc_value_is_macro(t + q, w - q, names))
		strv_pushf(&mc->warnings, "%s:%zu: %.*s(...) after %s(...) on "
		    "the same line: m4 runs it, but smadm reads only the first "
		    "call of a line (put it on a line of its own)", mc->path,
		    it->line, (int)(w - q), t + q, it->name);
}

/* Offset of the first line from e on that starts an item (or len). */
static size_t
text_end(const char *s, size_t len, size_t e, const struct strv *names)
{
	size_t	q;

	while (e < len) {
		for (q = e; q < len && (s[q] == ' ' || s[q] == '\t'); q++)
			;
		if (starts_item(s, len, q, names))
			break;
		e = line_end(s, len, e);
	}
	return e;
}

/*
 * The diversion an item leaves m4 in: a section name, or NULL for 0 and
 * -1 (*dropped says which: m4 discards the text of a negative one).
 */
static void
track_divert(const struct mc_item *it, char **div, int *dropped)
{
	const char	*v;
	size_t		 n;

	if (it->kind == MC_SECTION) {
		free(*div);
		*div = xstrdup(it->name);
		*dropped = 0;
	} else if (it->kind == MC_INCLUDE && it->nargs > 0 &&
	    (n = strlen(it->args[0].value)) >= 5 &&
	    strcmp(it->args[0].value + n - 5, "cf.m4") == 0) {
		/* cf.m4 ends in divert(0), whatever came before it. */
		free(*div);
		*div = NULL;
		*dropped = 0;
	} else if (it->kind == MC_DIVERT) {
		free(*div);
		*div = NULL;
		v = it->nargs > 0 ? it->args[0].value : "";
		*dropped = *v == '-';
		if (*v != '\0' && strcmp(v, "0") != 0 && *v != '-')
			*div = xasprintf("divert(%s)", v);
	}
}

/*
 * A line that is no item, outside a section: m4 copies it to the top of
 * the cf in diversion 0 (sendmail reads it: Cw names, K maps), and throws
 * it away in divert(-1).  A bare word that is a macro stays a word.
 */
static void
text_outside(struct mc_item *it, int dropped, const char *s, size_t len,
    size_t q, size_t *e, const struct strv *names)
{
	size_t	w;

	if (it->kind == MC_WORD) {
		for (w = q; w < len && is_word((unsigned char)s[w]); w++)
			;
		if (mc_value_is_macro(s + q, w - q, names) || is_section(s + q,
		    w - q))
			return;
	}
	free(it->name);
	it->name = NULL;
	if (dropped)
		it->kind = MC_DISCARDED;
	else {
		it->kind = MC_CFTEXT;
		it->name = xstrdup("divert(0)");
	}
	*e = text_end(s, len, *e, names);
}

static void
mc_scan(struct mc *mc)
{
	const char	*s = mc->text.data;
	size_t		 len = mc->text.len, p = 0, line = 1, q, w, e, end;
	struct mc_item	 it;
	struct strv	 names = STRV_INIT;
	const char	*why;
	char		*div = NULL;
	size_t		 i;
	int		 dropped = 0;

	while (p < len) {
		memset(&it, 0, sizeof it);
		it.off = p;
		it.line = line;
		e = line_end(s, len, p);
		for (q = p; q < e && (s[q] == ' ' || s[q] == '\t'); q++)
			;
		if (div != NULL && q < e && s[q] != '\n' && s[q] != '\r' &&
		    !starts_item(s, len, q, &names)) {
			/* The section goes on after a macro call. */
			it.kind = MC_CFTEXT;
			it.name = xstrdup(div);
			e = text_end(s, len, e, &names);
		} else if (q == e || s[q] == '\n' || s[q] == '\r')
			it.kind = MC_BLANK;
		else if (s[q] == '#' || at_dnl(s, len, q))
			it.kind = MC_COMMENT;
		else if (isalpha((unsigned char)s[q]) || s[q] == '_') {
			for (w = q; w < e && is_word((unsigned char)s[w]); w++)
				;
			it.name = xstrndup(s + q, w - q);
			if (is_section(s + q, w - q) &&
			    (w >= len || s[w] != '(')) {
				it.kind = MC_SECTION;
				/* Raw until the next line m4 acts on. */
				e = text_end(s, len, e, &names);
			} else if (w < len && s[w] == '(') {
				if (parse_args(s, len, w + 1, &it, &end,
				    &why) == 0) {
					it.kind = MC_CALL;
					for (i = 0; i < nitems(mc_macros); i++)
						if (strcmp(mc_macros[i].name,
						    it.name) == 0)
							it.kind =
							    mc_macros[i].kind;
					unquote_args(&it);
					e = line_end(s, len, end);
					q = e;
					while (q > end && (s[q - 1] == '\n' ||
					    s[q - 1] == '\r'))
						q--;
					if (q > end)
						it.trailer = xstrndup(s + end,
						    q - end);
					warn_second_call(mc, &it, &names);
				} else {
					strv_pushf(&mc->warnings,
					    "%s:%zu: %s in %s(", mc->path,
					    line, why, it.name);
					item_clear(&it);
					memset(&it, 0, sizeof it);
					it.off = p;
					it.line = line;
					it.kind = MC_UNKNOWN;
				}
			} else
				it.kind = MC_WORD;
		} else
			it.kind = MC_UNKNOWN;
		if ((it.kind == MC_WORD || (it.kind == MC_UNKNOWN &&
		    it.nargs == 0 && s[q] != '#')) && div == NULL &&
		    !starts_item(s, len, q, &names))
			text_outside(&it, dropped, s, len, q, &e, &names);
		it.len = e - p;
		it.nlines = count_lines(s, p, it.len);
		line += it.nlines;
		if (e > 0 && s[e - 1] != '\n')
			line--;
		if (it.kind == MC_DEFINE && it.nargs > 0)
			strv_push(&names, it.args[0].value);
		track_divert(&it, &div, &dropped);
		mc->items = xreallocarray(mc->items, mc->nitems + 1,
		    sizeof *mc->items);
		mc->items[mc->nitems++] = it;
		p = e;
	}
	free(div);
	strv_release(&names);
	warn_active(mc);
}

static void
mc_clear(struct mc *mc)
{
	size_t	i;

	for (i = 0; i < mc->nitems; i++)
		item_clear(&mc->items[i]);
	free(mc->items);
	mc->items = NULL;
	mc->nitems = 0;
	strv_release(&mc->warnings);
}

struct mc *
mc_parse(const char *path, const void *data, size_t len)
{
	struct mc	*mc;

	mc = xcalloc(1, sizeof *mc);
	mc->path = xstrdup(path);
	buf_init(&mc->text);
	buf_add(&mc->text, data, len);
	strv_init(&mc->warnings);
	mc_scan(mc);
	return mc;
}

void
mc_free(struct mc *mc)
{
	if (mc == NULL)
		return;
	mc_clear(mc);
	buf_release(&mc->text);
	free(mc->path);
	free(mc);
}

const char *
mc_text(const struct mc *mc, size_t *len)
{
	if (len != NULL)
		*len = mc->text.len;
	return mc->text.data;
}

/* Replace len bytes at off with the string repl, then parse again. */
static void
mc_splice(struct mc *mc, size_t off, size_t len, const char *repl)
{
	struct buf	nb = BUF_INIT;

	buf_add(&nb, mc->text.data, off);
	buf_addstr(&nb, repl);
	buf_add(&nb, mc->text.data + off + len, mc->text.len - off - len);
	buf_release(&mc->text);
	mc->text = nb;
	mc_clear(mc);
	strv_init(&mc->warnings);
	mc_scan(mc);
}

/* Does text (len bytes) hold word as a whole m4 word? */
static int
mentions(const char *text, size_t len, const char *word)
{
	size_t	n = strlen(word), i;

	for (i = 0; n != 0 && i + n <= len; i++) {
		if (memcmp(text + i, word, n) != 0)
			continue;
		if ((i == 0 || !is_word((unsigned char)text[i - 1])) &&
		    (i + n == len || !is_word((unsigned char)text[i + n])))
			return 1;
	}
	return 0;
}

/*
 * Defines a FEATURE's m4 file makes whatever the mc said before it (no
 * ifdef guard): feature/msp.m4 sets the MSP's own privacy, delivery mode
 * and forward path, so a define of them must follow FEATURE(`msp').
 */
static const struct {
	const char	*feature;
	const char	*name;
} feature_defines[] = {
	{ "msp", "confPRIVACY_FLAGS" },
	{ "msp", "confDELIVERY_MODE" },
	{ "msp", "confUSE_MSP" },
	{ "msp", "confFORWARD_PATH" },
	{ "msp", "confDONT_PROBE_INTERFACES" },
	{ "nullclient", "confFORWARD_PATH" },
	{ "nullclient", "MAIL_HUB" },
	{ "nullclient", "SMART_HOST" }
};

static int
feature_defines_name(const struct mc_item *it, const char *name)
{
	size_t	i;

	if (it->kind != MC_FEATURE || it->nargs < 1)
		return 0;
	for (i = 0; i < nitems(feature_defines); i++)
		if (strcmp(feature_defines[i].feature, it->args[0].value) ==
		    0 && strcmp(feature_defines[i].name, name) == 0)
			return 1;
	return 0;
}

const struct mc_item *
mc_define_by_m4(const struct mc *mc, const char *name)
{
	const struct mc_item	*it, *last = NULL;
	char			*word;
	size_t			 i, j;
	int			 active;

	for (i = 0; i < mc->nitems; i++) {
		it = &mc->items[i];
		if (feature_defines_name(it, name)) {
			last = it;
			continue;
		}
		if (it->kind != MC_CALL && it->kind != MC_DEFINE)
			continue;
		active = it->kind == MC_CALL && it->name != NULL &&
		    mc_value_is_m4_active(it->name);
		for (j = it->kind == MC_CALL ? 0 : 1; !active && j < it->nargs;
		    j++) {
			if ((word = mc_value_active(it->args[j].value)) != NULL)
				active = 1;
			free(word);
		}
		if (active && mentions(mc->text.data + it->off, it->len, name))
			last = it;
	}
	return last;
}

static int
item_is(const struct mc_item *it, enum mc_kind k, const char *key)
{
	return it->kind == k && it->nargs > 0 &&
	    strcmp(it->args[0].value, key) == 0;
}

/*
 * The mailer whose file reads a define when MAILER() includes it
 * (SMTP_MAILER_ARGS: smtp, LOCAL_SHELL_PATH: local), or NULL for the
 * defines proto.m4 reads at the end.  Heap string.
 */
static char *
define_mailer(const char *name)
{
	static const struct {
		const char	*prefix;
		const char	*mailer;
	} alias[] = {
		{ "ESMTP", "smtp" }, { "SMTP8", "smtp" }, { "DSMTP", "smtp" },
		{ "RELAY", "smtp" }, { "PH", "phquery" }, { "CYRUS_BB", "cyrus" }
	};
	const char	*m;
	char		*r;
	size_t		 i, n;

	if (strncmp(name, "LOCAL_SHELL_", 12) == 0)
		return xstrdup("local");
	if ((m = strstr(name, "_MAILER_")) == NULL || m == name)
		return NULL;
	n = (size_t)(m - name);
	for (i = 0; i < nitems(alias); i++)
		if (strlen(alias[i].prefix) == n &&
		    memcmp(alias[i].prefix, name, n) == 0)
			return xstrdup(alias[i].mailer);
	r = xstrndup(name, n);
	for (i = 0; i < n; i++)
		r[i] = (char)tolower((unsigned char)r[i]);
	return r;
}

const struct mc_item *
mc_define_reader(const struct mc *mc, const char *name)
{
	char	*mailer;
	size_t	 i;

	if ((mailer = define_mailer(name)) == NULL)
		return NULL;
	for (i = 0; i < mc->nitems; i++)
		if (item_is(&mc->items[i], MC_MAILER, mailer))
			break;
	free(mailer);
	return i < mc->nitems ? &mc->items[i] : NULL;
}

const struct mc_item *
mc_find_define(const struct mc *mc, const char *name)
{
	const struct mc_item	*found = NULL, *reader;
	size_t			 i, n = mc->nitems;

	/* A mailer's file reads its defines when MAILER() includes it. */
	if ((reader = mc_define_reader(mc, name)) != NULL)
		n = (size_t)(reader - mc->items);
	/* m4 expands every call, in a section or not: the last one wins. */
	for (i = 0; i < n; i++) {
		if (item_is(&mc->items[i], MC_DEFINE, name))
			found = &mc->items[i];
		else if (item_is(&mc->items[i], MC_UNDEFINE, name))
			found = NULL;
	}
	return found;
}

const struct mc_item *
mc_find_feature(const struct mc *mc, const char *name)
{
	size_t	i;

	for (i = 0; i < mc->nitems; i++)
		if (item_is(&mc->items[i], MC_FEATURE, name))
			return &mc->items[i];
	return NULL;
}

const char *
mc_define_value(const struct mc *mc, const char *name)
{
	const struct mc_item	*it;

	if ((it = mc_find_define(mc, name)) == NULL)
		return NULL;
	return it->nargs > 1 ? it->args[1].value : "";
}

void
mc_quote(struct buf *b, const char *v)
{
	buf_addch(b, '`');
	buf_addstr(b, v);
	buf_addch(b, '\'');
}

/* A value m4 reads back unchanged only when quoted? */
static int
needs_quote(const char *v)
{
	return *v == '\0' || strpbrk(v, ",()`'#$ \t\n") != NULL ||
	    strstr(v, "dnl") != NULL;
}

/* The names this mc defines: m4 would expand them inside a value. */
static void
defined_names(const struct mc *mc, struct strv *out)
{
	size_t	i;

	for (i = 0; i < mc->nitems; i++)
		if (mc->items[i].kind == MC_DEFINE && mc->items[i].nargs > 0)
			strv_push(out, mc->items[i].args[0].value);
}

static int
check_name(const char *name, char **cause)
{
	const char	*p;

	if (*name == '\0' || isdigit((unsigned char)*name))
		goto bad;
	for (p = name; *p != '\0'; p++)
		if (!is_word((unsigned char)*p))
			goto bad;
	return 0;
bad:
	*cause = xasprintf("\"%s\" is not an m4 name (letters, digits, _)",
	    name);
	return -1;
}

/* MAILER_DEFINITIONS, the section where mailers are defined. */
static int
is_mailer_defs(const struct mc_item *it)
{
	return it->kind == MC_SECTION &&
	    strcmp(it->name, "MAILER_DEFINITIONS") == 0;
}

/* Where a new define goes: an offset at the start of a line. */
static size_t
define_anchor(struct mc *mc)
{
	size_t			 i, after = (size_t)-1, head = (size_t)-1;
	size_t			 stop = mc->nitems;
	const struct mc_item	*it;

	for (i = 0; i < mc->nitems; i++) {
		it = &mc->items[i];
		if (it->kind == MC_MAILER || it->kind == MC_SECTION ||
		    it->kind == MC_CFTEXT) {
			stop = i;
			break;
		}
		if (it->kind == MC_DEFINE || it->kind == MC_UNDEFINE)
			after = i;
		if (it->kind == MC_OSTYPE || it->kind == MC_DOMAIN ||
		    it->kind == MC_VERSIONID)
			head = i;
	}
	/*
	 * After the last define, unless an OSTYPE or DOMAIN follows it:
	 * their files set defaults (Debian's debian-msp sets
	 * confTEMP_FILE_MODE) that would undo a define before them.
	 */
	if (after != (size_t)-1 && (head == (size_t)-1 || after > head))
		i = after;
	else if (head != (size_t)-1)
		i = head;
	else if (stop < mc->nitems) {
		/* Before the first FEATURE, else before the first MAILER. */
		for (i = 0; i < stop; i++)
			if (mc->items[i].kind == MC_FEATURE)
				return mc->items[i].off;
		return mc->items[stop].off;
	}
	else
		return mc->text.len;
	return mc->items[i].off + mc->items[i].len;
}

/* Insert a line at off, adding the newline a last line may lack. */
static void
insert_line(struct mc *mc, size_t off, const char *line)
{
	char	*s;

	if (off == mc->text.len && off > 0 &&
	    mc->text.data[off - 1] != '\n') {
		s = xasprintf("\n%s", line);
		mc_splice(mc, off, 0, s);
		free(s);
	} else
		mc_splice(mc, off, 0, line);
}

int
mc_define_set(struct mc *mc, const char *name, const char *value,
    char **cause)
{
	const struct mc_item	*it, *by;
	const struct mc_arg	*a;
	struct buf		 b = BUF_INIT;
	size_t			 i, off;

	struct strv		 names = STRV_INIT;
	int			 r;

	if (mc_value_check_define(name, cause) != 0)
		return -1;
	defined_names(mc, &names);
	r = mc_value_check(name, value, &names, cause);
	strv_release(&names);
	if (r != 0)
		return -1;
	it = mc_find_define(mc, name);
	by = mc_define_by_m4(mc, name);
	if (by != NULL && (it == NULL || it->off < by->off)) {
		/*
		 * m4 decides it at by (an ifdef): a define after by wins,
		 * unless an undefine() after it cancels the new one.
		 */
		off = by->off;	/* mc_splice parses again: by is freed */
		for (i = mc->nitems; i > 0 && mc->items[i - 1].off > off; i--)
			if (item_is(&mc->items[i - 1], MC_UNDEFINE, name))
				mc_splice(mc, mc->items[i - 1].off,
				    mc->items[i - 1].len, "");
		by = mc_define_by_m4(mc, name);
		buf_addstr(&b, "define(");
		mc_quote(&b, name);
		buf_addstr(&b, ", ");
		mc_quote(&b, value);
		buf_addstr(&b, ")dnl\n");
		insert_line(mc, by->off + by->len, b.data);
		buf_release(&b);
		return 1;
	}
	if (it != NULL && it->nargs >= 2) {
		a = &it->args[1];
		if (strcmp(a->value, value) == 0)
			return 0;
		/* Keep the file's style: ``8:12'' stays doubly quoted. */
		if (a->quoted == 2) {
			buf_addch(&b, '`');
			mc_quote(&b, value);
			buf_addch(&b, '\'');
		} else if (a->quoted || needs_quote(value))
			mc_quote(&b, value);
		else
			buf_addstr(&b, value);
		mc_splice(mc, a->off, a->len, b.data);
		buf_release(&b);
		return 1;
	}
	if (it != NULL) {
		/* define(`NAME') with no value: add one. */
		a = &it->args[0];
		buf_addstr(&b, ", ");
		mc_quote(&b, value);
		mc_splice(mc, a->off + a->len, 0, b.data);
		buf_release(&b);
		return 1;
	}
	/* An undefine() after the last define would cancel the new one. */
	for (i = mc->nitems; i > 0; i--) {
		if (item_is(&mc->items[i - 1], MC_UNDEFINE, name)) {
			mc_splice(mc, mc->items[i - 1].off,
			    mc->items[i - 1].len, "");
		}
	}
	if (mc_find_define(mc, name) != NULL)
		return mc_define_set(mc, name, value, cause);
	off = define_anchor(mc);
	buf_addstr(&b, "define(");
	mc_quote(&b, name);
	buf_addstr(&b, ", ");
	mc_quote(&b, value);
	buf_addstr(&b, ")dnl\n");
	insert_line(mc, off, b.data);
	buf_release(&b);
	return 1;
}

int
mc_define_unset(struct mc *mc, const char *name, char **cause)
{
	return mc_define_unset_from(mc, name, 0, cause);
}

int
mc_define_unset_from(struct mc *mc, const char *name, size_t from,
    char **cause)
{
	size_t	i, removed = 0;

	if (check_name(name, cause) != 0)
		return -1;
	for (i = mc->nitems; i > 0 && mc->items[i - 1].off >= from; i--) {
		if (item_is(&mc->items[i - 1], MC_DEFINE, name)) {
			mc_splice(mc, mc->items[i - 1].off,
			    mc->items[i - 1].len, "");
			removed++;
		}
	}
	if (removed == 0) {
		*cause = xasprintf("%s: %s is not defined here", mc->path,
		    name);
		return -1;
	}
	return 1;
}

static void
feature_text(struct buf *b, const char *name, const struct strv *args)
{
	size_t	i;

	buf_addstr(b, "FEATURE(");
	mc_quote(b, name);
	for (i = 0; args != NULL && i < args->n; i++) {
		buf_addstr(b, ", ");
		if (*args->v[i] != '\0')
			mc_quote(b, args->v[i]);
	}
	buf_addch(b, ')');
}

int
mc_feature_set(struct mc *mc, const char *name, int on,
    const struct strv *args, char **cause)
{
	const struct mc_item	*it;
	struct buf		 b = BUF_INIT;
	size_t			 i, n, off, last = (size_t)-1, mailer;
	int			 same;

	struct strv		 names = STRV_INIT;
	char			*what;
	int			 r = 0;

	if (check_name(name, cause) != 0)
		return -1;
	defined_names(mc, &names);
	what = xasprintf("FEATURE(%s)", name);
	for (i = 0; r == 0 && args != NULL && i < args->n; i++) {
		r = mc_value_check_as(MCV_TEXT, what, args->v[i], &names,
		    cause);
		if (r == 0 && strchr(args->v[i], ',') != NULL) {
			*cause = xasprintf("%s: a comma would split the "
			    "argument \"%s\" in two for m4: give each "
			    "argument separately", what, args->v[i]);
			r = -1;
		}
	}
	free(what);
	strv_release(&names);
	if (r != 0)
		return -1;
	it = mc_find_feature(mc, name);
	if (!on) {
		if (it == NULL) {
			*cause = xasprintf("%s: FEATURE(`%s') is not on",
			    mc->path, name);
			return -1;
		}
		for (i = mc->nitems; i > 0; i--)
			if (item_is(&mc->items[i - 1], MC_FEATURE, name))
				mc_splice(mc, mc->items[i - 1].off,
				    mc->items[i - 1].len, "");
		return 1;
	}
	if (it != NULL) {
		if (args == NULL || args->n == 0)
			return 0;
		same = it->nargs == args->n + 1;
		for (i = 0; same && i < args->n; i++)
			same = strcmp(it->args[i + 1].value, args->v[i]) == 0;
		if (same)
			return 0;
		/* Replace the call itself; its trailer stays. */
		feature_text(&b, name, args);
		off = it->off + (size_t)(strstr(mc->text.data + it->off,
		    "FEATURE") - (mc->text.data + it->off));
		n = it->args[it->nargs - 1].off + it->args[it->nargs - 1].len;
		while (n < mc->text.len && mc->text.data[n] != ')')
			n++;
		mc_splice(mc, off, n + 1 - off, b.data);
		buf_release(&b);
		return 1;
	}
	mailer = n = mc->nitems;
	for (i = 0; i < n; i++) {
		if (mc->items[i].kind == MC_MAILER ||
		    is_mailer_defs(&mc->items[i])) {
			mailer = i;
			break;
		}
		if (mc->items[i].kind == MC_FEATURE)
			last = i;
	}
	if (last != (size_t)-1)
		off = mc->items[last].off + mc->items[last].len;
	else if (mailer < mc->nitems)
		off = mc->items[mailer].off;
	else
		off = define_anchor(mc);
	feature_text(&b, name, args);
	buf_addstr(&b, "dnl\n");
	insert_line(mc, off, b.data);
	buf_release(&b);
	return 1;
}
