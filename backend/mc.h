/*
 * mc.h -- a lossless model of sendmail.mc (and submit.mc).
 *
 * The model keeps the file's bytes and a list of items, each covering whole
 * lines: a macro call such as FEATURE(`x')dnl (possibly spanning several
 * lines, with its trailer up to the end of the line), a dnl or # comment, a
 * blank line, a LOCAL_CONFIG-style section header with the cf text that
 * follows it, or an unknown line kept verbatim.  The items cover the text
 * exactly, so an unmodified model serialises to the identical bytes.
 *
 * Sections are diversions, as m4 sees them: LOCAL_CONFIG is divert(6),
 * LOCAL_RULE_0 divert(3) and so on, and a divert(N) with N > 0 is the same.
 * Only the plain text after the header is diverted: every macro call is
 * still expanded wherever it stands, so a FEATURE, define or MAILER after
 * LOCAL_CONFIG is an item like any other (the cf macros push and pop their
 * own diversion, so the text after them goes on into the section).  The
 * text of a section that resumes after such a call is an MC_CFTEXT item
 * named after the section.  Inside a section a line starts an item only
 * when it begins with a macro m4 would expand followed by "(" (or is a
 * section name, or a dnl line); cf lines such as "R$* ..." or "Kname hash"
 * stay text.
 *
 * Values: an argument's value has one level of m4 quotes removed, as m4
 * collects it; for the values the cf receives (define values, the
 * arguments of FEATURE, MAILER and the other cf macros) a second level is
 * removed too, because m4 strips it when it rescans the value:
 * define(`confDEF_USER_ID', ``8:12'') gives the cf 8:12.
 *
 * Edits splice new text into the byte range of the items involved and
 * parse again: lines that the edit does not touch are never rewritten.
 *
 *	mc_define_set	replaces the value of the define() that wins (see
 *			mc_find_define; wherever it stands) in place,
 *			keeping its quoting (``x'' stays doubly quoted, a
 *			bare value bare when it can be); a new define goes
 *			after the
 *			last define that precedes the first MAILER (cf.m4 reads
 *			the conf* defines at the end, through m4wrap, but the
 *			mailer defines must come before MAILER), else after
 *			OSTYPE/DOMAIN, else before the first FEATURE/MAILER.
 *	mc_define_unset	removes every define() of a name.  A name that the mc
 *			does not define is an error: undefining what OSTYPE or
 *			DOMAIN set is done by editing the mc by hand, because
 *			it is rarely what the person means.
 *	mc_feature_set	on: FEATURE(`name', `args')dnl after the last FEATURE
 *			that precedes the first MAILER (m4 wants FEATUREs
 *			before MAILERs), or before the first MAILER; a feature
 *			already on gets its arguments replaced in place.
 *			off: removes every FEATURE(`name').
 *
 * Parsing never fails: what cannot be understood (an unbalanced quote, a
 * missing parenthesis) stays an MC_UNKNOWN line and a warning naming
 * FILE:LINE is recorded in mc->warnings.
 */
#ifndef SMADM_MC_H
#define SMADM_MC_H

#include "util.h"

enum mc_kind {
	MC_BLANK,
	MC_COMMENT,		/* dnl ... or # ... */
	MC_UNKNOWN,		/* kept verbatim */
	MC_WORD,		/* a bare word: SITECONFIG, Cwlocalhost */
	MC_CALL,		/* another NAME(...) */
	MC_VERSIONID,
	MC_OSTYPE,
	MC_DOMAIN,
	MC_FEATURE,
	MC_DEFINE,
	MC_UNDEFINE,
	MC_MAILER,
	MC_DAEMON_OPTIONS,
	MC_CLIENT_OPTIONS,
	MC_MASQUERADE_AS,
	MC_MASQUERADE_DOMAIN,
	MC_EXPOSED_USER,
	MC_LOCAL_DOMAIN,
	MC_INPUT_MAIL_FILTER,
	MC_INCLUDE,
	MC_DIVERT,
	MC_SECTION,		/* LOCAL_CONFIG, LOCAL_RULE_n, LOCAL_RULESETS... */
	MC_CFTEXT,		/* more text of a section, after a macro call,
				   or text in diversion 0 ("divert(0)") */
	MC_DISCARDED		/* text in divert(-1): m4 throws it away */
};

struct mc_arg {
	char	*value;		/* m4 quotes removed (see above) */
	size_t	 off;		/* raw text of the argument in mc->text, */
	size_t	 len;		/* without surrounding blanks or dnl lines */
	int	 quoted;	/* raw text is `...' (1) or ``...'' (2) */
};

struct mc_item {
	enum mc_kind	 kind;
	size_t		 line;		/* first line, from 1 */
	size_t		 nlines;
	size_t		 off;		/* bytes of the item in mc->text, */
	size_t		 len;		/* whole lines, newline included */
	char		*name;		/* macro or section name (the section
					   of MC_CFTEXT), or NULL */
	struct mc_arg	*args;
	size_t		 nargs;
	char		*trailer;	/* after ")": "dnl # comment", or NULL */
};

struct mc {
	char		*path;		/* for messages */
	struct buf	 text;
	struct mc_item	*items;
	size_t		 nitems;
	struct strv	 warnings;	/* "FILE:LINE: ..." */
};

/* Parse text (copied); path names the file in messages. */
struct mc	*mc_parse(const char *, const void *, size_t);
void		 mc_free(struct mc *);

/* The model's bytes (identical to the input when nothing was edited). */
const char	*mc_text(const struct mc *, size_t *);

const char	*mc_kind_name(enum mc_kind);

/*
 * Lookups.  mc_find_define returns the define() that wins (the last one
 * m4 reads, unless an undefine() follows it) or NULL; for a mailer's
 * define (SMTP_MAILER_ARGS, LOCAL_SHELL_PATH) the last one before the
 * MAILER() that reads it, which mc_define_reader returns (NULL when the
 * define is read at the end, or the mc has no such MAILER).
 * mc_find_feature returns the first FEATURE(name).
 */
const struct mc_item	*mc_find_define(const struct mc *, const char *);
const struct mc_item	*mc_find_feature(const struct mc *, const char *);
const struct mc_item	*mc_define_reader(const struct mc *, const char *);
/* Value of the winning define, or NULL when not defined. */
const char		*mc_define_value(const struct mc *, const char *);
/*
 * The last call that lets m4 decide name's value as it reads the mc (an
 * ifdef() or ifelse() whose branches define it, a value that calls
 * define(), a FEATURE whose file sets it, as msp does confPRIVACY_FLAGS),
 * or NULL when none mentions it.  A plain define after it
 * (mc_find_define) still wins; otherwise only m4 can say the value
 * (cf_m4_value).
 */
const struct mc_item	*mc_define_by_m4(const struct mc *, const char *);

/*
 * Edits.  Return 1 when the text changed, 0 when it already said that, -1
 * with *cause on error.  args of mc_feature_set may be NULL.
 */
int	mc_define_set(struct mc *, const char *, const char *, char **);
int	mc_define_unset(struct mc *, const char *, char **);
/* Only the defines that start at byte from or later. */
int	mc_define_unset_from(struct mc *, const char *, size_t, char **);
int	mc_feature_set(struct mc *, const char *, int, const struct strv *,
	    char **);

/* Quote a value for m4 the way the mc files do: `value'. */
void	mc_quote(struct buf *, const char *);

#endif
