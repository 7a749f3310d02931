/*
 * cf-m4.h -- running m4 over an mc the way sendmail's cf tree expects it,
 * with the m4 builtins that run programs or create files disarmed.
 *
 * The command is M4 - CFDIR/m4/cf.m4 MC, in the mc's directory (so that a
 * relative include() means what it means to "cd /etc/mail && make").  On
 * standard input m4 first reads a short prelude that
 *
 *	- defines _NO_MAKEINFO_, so cfhead.m4 does not run makeinfo.sh
 *	  through syscmd (its "##### built by" lines are the only loss);
 *	- turns syscmd, esyscmd, maketemp, mkstemp and debugfile into
 *	  errors ("*** ERROR: smadm: syscmd(...) refused");
 *	- lets include and sinclude read only files under CFDIR or the mc's
 *	  directory (absolute, or relative without "..");
 *	- removes builtin, the one way back to a disarmed builtin.
 *
 * The saved builtins get names with a random suffix per run.  This is the
 * second line of defence: mc-value.h keeps such words out of the values
 * that smadm writes; the prelude also holds for what a person wrote.
 */
#ifndef SMADM_CF_M4_H
#define SMADM_CF_M4_H

#include "transport.h"

/* The prelude for cf_dir and the mc's directory; -1 when a path holds a
 * character m4 cannot carry (` ' , ( ) $ # or a control character). */
int	cf_m4_prelude(struct buf *, const char *, const char *, char **);

/*
 * Run m4 (absolute path) over mc with the cf macros of cf_dir.  rr gets
 * m4's exit and output whatever they are; -1 only when m4 could not be run
 * or the paths cannot be carried.
 */
int	cf_m4_run(struct transport *, const char *, const char *, const char *,
	    struct run_result *, char **);

/*
 * The one way a cf is made, for apply and sandbox alike.
 *
 * cf_generate: m4 (absolute path) over mc with the macros of cf_dir; the
 * cf is appended to out.  m4 failing, saying anything on stderr but the cf
 * macros' own "*** WARNING"s (an "*** ERROR" exits 0), or printing nothing
 * is "m4 refused MC: what it said".
 *
 * cf_validate: "SENDMAIL -C CF -bt -d0.1", in the namespace ns_dir when
 * not NULL (sandboxes).  A non-zero exit or readcf's "CF: line N: ..."
 * lines are "sendmail rejects CF: the lines"; a run that hangs (name
 * resolution) times out after 60 s.  detail, when not NULL, gets
 * "SENDMAIL accepts CF".
 */
int	cf_generate(struct transport *, const char *, const char *,
	    const char *, struct buf *, char **);
int	cf_validate(struct transport *, const char *, const char *,
	    const char *, struct buf *, char **);

#endif
