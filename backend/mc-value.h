/*
 * mc-value.h -- what may be written as a value into sendmail.mc.
 *
 * A value that smadm writes into the mc (mc set, FEATURE arguments, wizard
 * answers, the console's fields, audit fixes) is not inert text: the cf
 * macros hand it to m4 again each time they expand the define that holds
 * it, so a word in it that names a macro runs that macro (syscmd, define,
 * FEATURE, dnl...).  Quoting the value once does not help, because the cf
 * macros rescan it a varying number of times.  So a value is checked
 * before it is written, in two ways:
 *
 *	m4	no m4 quote (` or '), no control character, no blank at
 *		either end, no $1..$9, $#,
 *		$*, $@ (m4 would substitute them inside the define), balanced
 *		parentheses, and no word that m4 would expand: a GNU m4
 *		builtin, a macro of sendmail's cf tree (a built-in list, plus
 *		every name of two or more characters that starts with "_",
 *		"conf" + capital or "sm_",
 *		and every capitalised name with an underscore), or a name the
 *		mc itself defines.
 *	type	what sendmail's option accepts: a number, a boolean, a
 *		duration, a file mode, a list of flags, user[:group], a path,
 *		a host, one word, or free text.  The type of each define
 *		comes from a table of sendmail 8.17's options; a define not
 *		in it is free text (the m4 check alone).
 *
 * Every refusal names the define, the offending word or character and why.
 */
#ifndef SMADM_MC_VALUE_H
#define SMADM_MC_VALUE_H

#include <stddef.h>

#include "util.h"

enum mc_vtype {
	MCV_TEXT,	/* free text */
	MCV_WORD,	/* one token: letters, digits, . _ - + / */
	MCV_CHAR,	/* one printable character */
	MCV_NUMBER,	/* [-]digits */
	MCV_NUMPAIR,	/* N or N/N */
	MCV_BOOL,	/* True False yes no (any case), T F Y N */
	MCV_DURATION,	/* 90, 5m, 1h30m (units s m h d w) */
	MCV_DURPAIR,	/* 5d or 5d/4h */
	MCV_MODE,	/* octal, 3 or 4 digits */
	MCV_FLAGS,	/* words separated by commas or blanks */
	MCV_USERGROUP,	/* user or uid, optionally :group or :gid */
	MCV_PATH,	/* one path, optionally after "-o " */
	MCV_HOST,	/* [mailer:]host or [address], optionally :port */
	MCV_NAME,	/* an m4 name: a FEATURE, OSTYPE, MAILER name */
	MCV_ARGS	/* free text without a comma (a mailer's fields) */
};

/* The type a define takes (MCV_TEXT for a define not in the table). */
enum mc_vtype	 mc_value_type(const char *);
/* "a duration (5m, 1h30m)": for messages. */
const char	*mc_value_type_name(enum mc_vtype);

/*
 * 0 when value may be written as the value of define.  macros: names the
 * mc defines (may be NULL).  Else -1 and *cause: "DEFINE: ... (value
 * "...")".
 */
int	mc_value_check(const char *, const char *, const struct strv *,
	    char **);
/* The same for an explicit type; what names the value in messages. */
int	mc_value_check_as(enum mc_vtype, const char *, const char *,
	    const struct strv *, char **);
/* The m4 half only. */
int	mc_value_check_m4(const char *, const char *, const struct strv *,
	    char **);

/*
 * May a define of this name be written?  Refused: names that are not m4
 * names, m4 builtins, the cf macros that take arguments (FEATURE,
 * LOCAL_CONFIG...), and cf internals ("_" first).
 */
int	mc_value_check_define(const char *, char **);

/* Is the word (len bytes) a macro that m4 would expand in an mc value? */
int	mc_value_is_macro(const char *, size_t, const struct strv *);

/*
 * The first word of a value that makes m4 do more than set the define:
 * an m4 builtin that defines, diverts, includes, quotes or runs (define,
 * divert, syscmd...), or a cf macro that adds rules or text (FEATURE,
 * LOCAL_CONFIG...); NULL when none.  For values written by hand: mc_parse
 * warns about them.  Heap string.
 */
char	*mc_value_active(const char *);
/*
 * A define this module knows sendmail's cf tree reads: its type table,
 * and the mailer defines of the tree (SSH_MAILER_ARGS...).
 */
int	 mc_value_known_define(const char *);
/* Is name an m4 builtin that defines, diverts, includes, quotes or runs? */
int	 mc_value_is_m4_active(const char *);

#endif
