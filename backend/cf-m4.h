/*
 * cf-m4.h -- running m4 over an mc the way sendmail's cf tree expects it,
 * with the m4 builtins that run programs or create files disarmed.
 *
 * The command is M4 - CFDIR/m4/cf.m4 MC, in the mc's directory (so that a
 * relative include() means what it means to "cd /etc/mail && make"); an
 * mc that includes cf.m4 itself (Debian's, RHEL's: "m4 sendmail.mc >
 * sendmail.cf") is run as M4 - MC, the way its header says.  Prepending
 * cf.m4 to such an mc would change it: cf.m4 turns m4's comments off, so
 * a # line before the mc's include() would be text to m4, and a ` in it
 * an unclosed quote ("end of file in string").  On standard input m4
 * first reads a short prelude that
 *
 *	- defines _NO_MAKEINFO_, so cfhead.m4 does not run makeinfo.sh
 *	  through syscmd (its "##### built by" lines are the only loss);
 *	- turns syscmd, esyscmd, maketemp, mkstemp and debugfile into
 *	  errors ("*** ERROR: smadm: syscmd(...) refused");
 *	- lets include and sinclude read only files under CFDIR or the mc's
 *	  directory (absolute, or relative without "..");
 *	- removes builtin, the one way back to a disarmed builtin;
 *	- puts each errprint() message between two marker lines, so that
 *	  cf_m4_sort knows where one message ends (the cf macros write
 *	  some without a newline, some over several lines).
 *
 * The saved builtins and the markers get a random tag per run.  This is the
 * second line of defence: mc-value.h keeps such words out of the values
 * that smadm writes; the prelude also holds for what a person wrote.
 */
#ifndef SMADM_CF_M4_H
#define SMADM_CF_M4_H

#include "transport.h"

/* A fresh random tag: CF_M4_TAG_SIZE bytes with the NUL. */
#define CF_M4_TAG_SIZE	13
void	cf_m4_tag(char *);

/* The prelude with tag for cf_dir and the mc's directory; -1 when a path
 * holds a character m4 cannot carry (` ' , ( ) $ # or a control
 * character). */
int	cf_m4_prelude(struct buf *, const char *, const char *, const char *,
	    char **);

/*
 * Run m4 (absolute path) over mc with the cf macros of cf_dir; tag
 * (CF_M4_TAG_SIZE bytes) gets the run's tag.  rr gets m4's exit and output
 * whatever they are; -1 when m4 could not be run, the paths cannot be
 * carried, or the mc includes a cf.m4 that is not cf_dir's (the cause
 * names the mc's line and the cf.m4 to include).
 */
int	cf_m4_run(struct transport *, const char *, const char *, const char *,
	    char *, struct run_result *, char **);

/*
 * cf_m4_sort: m4's stderr (err) of a run with tag, by m4 (its path as
 * run), sorted.  Each errprint() message (its lines joined by blanks) and
 * each line of m4's own ("FILE:LINE: ...", program name removed) goes to
 * errors or warnings, "; " between them:
 *	warnings  messages that begin "*** WARNING", "WARNING" or "NOTE:",
 *		  "***" messages that call a setting obsolete or deprecated
 *		  (FEATURE(blacklist_recipients), confDEF_GROUP_ID), and m4's
 *		  own "Warning:" lines (excess arguments to a builtin);
 *	errors	  everything else: "*** ERROR", the ordering complaints
 *		  ("*** FEATURE(smrsh) must occur before MAILER(local)": the
 *		  feature would do nothing), 'Feature "X" requires argument',
 *		  any other text, and m4's own errors ("end of file in
 *		  string", "divide by zero in eval", "cannot open"); a file
 *		  include() cannot open is named with what would provide it
 *		  (RHEL's or Debian's cf directory, Debian's sendmail-base for
 *		  /etc/mail/m4/dialup.m4 and provider.m4, the cf macros for
 *		  an unknown OSTYPE or FEATURE).
 *
 * cf_m4_self_include: the path that the mc's text (len bytes) includes
 * cf.m4 by (heap; *line, when not NULL, its line), or NULL.  It reads as
 * m4 reads an mc alone: # comments and dnl count, quotes nest.
 */
void	cf_m4_sort(const char *, const char *, const char *, const char *,
	    struct buf *, struct buf *);
char	*cf_m4_self_include(const char *, size_t, size_t *);

/*
 * cf_m4_value: what m4 holds for the define name (a word m4 can define)
 * once it has read the whole mc, before proto.m4 fills in its defaults:
 * the value the cf gets when the mc decides it through m4 (ifdef, ifelse,
 * a macro that defines).  *value is heap, or NULL when name is not
 * defined then; -1 when m4 could not read the mc to its end.
 */
int	cf_m4_value(struct transport *, const char *, const char *,
	    const char *, const char *, char **, char **);

/*
 * The one way a cf is made, for apply and sandbox alike.
 *
 * cf_generate: m4 (absolute path) over mc with the macros of cf_dir; the
 * cf is appended to out, and m4's warnings (cf_m4_sort) to warnings when
 * not NULL.  m4 failing, any error on its stderr (an "*** ERROR" exits 0),
 * or no output is "m4 refused MC: the errors".
 *
 * cf_validate: "SENDMAIL -C CF -bt -d0.1", in the namespace ns_dir when
 * not NULL (sandboxes).  A non-zero exit or readcf's "CF: line N: ..."
 * lines are "sendmail rejects CF: the lines"; a run that hangs (name
 * resolution) times out after 60 s.  detail, when not NULL, gets
 * "SENDMAIL accepts CF".
 */
int	cf_generate(struct transport *, const char *, const char *,
	    const char *, struct buf *, struct buf *, char **);
int	cf_validate(struct transport *, const char *, const char *,
	    const char *, struct buf *, char **);

#endif
