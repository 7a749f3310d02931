/*
 * audit-config.c -- the audit's checks of sendmail's settings: the SMTP
 * greeting, PrivacyOptions, the daemon's privileges and addresses, the
 * safety and limit options, the relaying features and the access map, and
 * the version of the sendmail binary.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "audit-int.h"
#include "hostname.h"
#include "table.h"

void
audit_check_greeting(struct actx *ac)
{
	struct audit_finding	*f;
	const char		*v;
	int			 bad;

	v = audit_cf_option(&ac->cf, "SmtpGreetingMessage");
	bad = v == NULL || strstr(v, "$v") != NULL || strstr(v, "$Z") != NULL;
	f = audit_add(ac, "greeting-version", AUDIT_MEDIUM, bad,
	    "SMTP greeting names the sendmail version",
	    v != NULL ? xasprintf("SmtpGreetingMessage=%s", v) :
	    xstrdup("SmtpGreetingMessage unset (default \"$j Sendmail "
	    "$v/$Z; $b\")"),
	    "$v and $Z put the exact sendmail and configuration version in "
	    "the banner every client sees.  Scanners use it to pick exploits "
	    "for that version; nothing legitimate needs it.",
	    "define(`confSMTP_LOGIN_MSG', `$j') in the mc (sendmail adds "
	    "\" ESMTP\" itself).");
	audit_fix_define(f, "confSMTP_LOGIN_MSG", "$j");
}

static const struct {
	const char		*word;
	int			 bit;
	enum audit_severity	 sev;
	const char		*why;
} privacy_checks[] = {
	{ "authwarnings", PRIV_AUTHWARNINGS, AUDIT_LOW,
	  "Without it sendmail adds no X-Authentication-Warning header when "
	  "a local user sets a forged sender: forged mail leaves no trace." },
	{ "noexpn", PRIV_NOEXPN, AUDIT_MEDIUM,
	  "EXPN lists the members of aliases and mailing lists to anyone "
	  "who connects: addresses for spam and the internal structure "
	  "for attackers." },
	{ "novrfy", PRIV_NOVRFY, AUDIT_MEDIUM,
	  "VRFY confirms which user names exist: an account enumeration "
	  "service for password guessing and spam." },
	{ "restrictmailq", PRIV_RESTRICTMAILQ, AUDIT_LOW,
	  "Any local user can list the queue: senders, recipients and "
	  "subjects of other people's mail." },
	{ "restrictqrun", PRIV_RESTRICTQRUN, AUDIT_LOW,
	  "Any local user can start queue runs (sendmail -q), with options "
	  "that change how the queue is processed." },
	{ "needmailhelo", PRIV_NEEDMAILHELO, AUDIT_INFO,
	  "Clients may send MAIL without HELO/EHLO.  Real mailers always "
	  "greet; many spam tools do not.  Optional hardening." }
};

void
audit_check_privacy(struct actx *ac)
{
	struct audit_finding	*f;
	const char		*v;
	char			*id, *title, *fix;
	size_t			 i;
	int			 bits, bad;

	v = audit_cf_option(&ac->cf, "PrivacyOptions");
	bits = audit_privacy_parse(v, NULL);
	for (i = 0; i < nitems(privacy_checks); i++) {
		bad = (bits & privacy_checks[i].bit) == 0;
		id = xasprintf("privacy-%s", privacy_checks[i].word);
		title = xasprintf("PrivacyOptions lacks %s",
		    privacy_checks[i].word);
		fix = xasprintf("Add %s to confPRIVACY_FLAGS in the mc (not "
		    "goaway: it includes noreceipts, which refuses DSN).",
		    privacy_checks[i].word);
		f = audit_add(ac, id, privacy_checks[i].sev, bad, title,
		    xasprintf("PrivacyOptions=%s", v != NULL ? v :
		    "(unset: public)"), privacy_checks[i].why, fix);
		f->fix = AUDIT_FIX_PRIVACY;
		f->fix_name = xstrdup("confPRIVACY_FLAGS");
		f->fix_value = xstrdup(privacy_checks[i].word);
		free(id);
		free(title);
		free(fix);
	}
}

void
audit_check_privileges(struct actx *ac)
{
	struct audit_finding	*f;
	struct strv		 ports = STRV_INIT, wild = STRV_INIT;
	const struct audit_user	*u;
	const char		*run, *def;
	char			*addr, *fam, *s, *name;
	enum audit_severity	 sev;
	int			 sendonly, relay, bad;
	size_t			 i;

	sendonly = strcmp(ac->a->role, "nullclient") == 0 ||
	    strcmp(ac->a->role, "msp") == 0;
	relay = strcmp(ac->a->role, "gateway") == 0;
	run = audit_cf_option(&ac->cf, "RunAsUser");
	bad = (sendonly || relay) && (run == NULL || strcmp(run, "0") == 0 ||
	    strncmp(run, "root", 4) == 0);
	sev = sendonly ? AUDIT_MEDIUM : AUDIT_LOW;
	s = xasprintf("role %s; RunAsUser=%s", ac->a->role,
	    run != NULL ? run : "(unset: root)");
	audit_add(ac, "runasuser", sev, bad,
	    "The daemon keeps root although its role does not deliver "
	    "locally", s,
	    "A send-only or relaying server never writes to mailboxes, so "
	    "root buys it nothing: with RunAsUser a bug in the SMTP code "
	    "gives an attacker an unprivileged account, not root.  (A gateway "
	    "that still delivers some mail locally needs root for that.)",
	    "By hand: make the queue directories, the maps and the pid file "
	    "belong to a dedicated user (Debian: smmta:smmsp), then "
	    "define(`confRUN_AS_USER', `smmta:smmsp') and apply.  Not done "
	    "automatically: the ownership change must come first.");

	def = audit_cf_option(&ac->cf, "DefaultUser");
	name = def != NULL ? xstrndup(def, strcspn(def, ":")) : NULL;
	u = name != NULL ? audit_user(ac, name) : NULL;
	bad = def == NULL || strcmp(name, "nobody") == 0 ||
	    (u != NULL && u->uid == 65534) || (u != NULL && u->uid == 0);
	f = audit_add(ac, "defaultuser", AUDIT_LOW, bad,
	    "DefaultUser is not a dedicated user",
	    xasprintf("DefaultUser=%s", def != NULL ? def :
	    "(unset: mailnull, else uid 1)"),
	    "Programs and files named in aliases and .forward files run as "
	    "DefaultUser when no other user applies.  nobody is shared with "
	    "NFS and other daemons; a dedicated user keeps what those "
	    "programs can touch to mail's own files.",
	    "define(`confDEF_USER_ID', `mail:mail') in the mc (a user with "
	    "no login shell that owns nothing but mail).");
	free(name);
	if (audit_user(ac, "mail") != NULL)
		audit_fix_define(f, "confDEF_USER_ID", "mail:mail");
	else {
		free(f->fix_text);
		f->fix_text = xstrdup("Create a dedicated user without a "
		    "login shell and name it in confDEF_USER_ID.");
	}

	audit_cf_options(&ac->cf, "DaemonPortOptions", &ports);
	if (ports.n == 0)
		strv_push(&wild, "(no DaemonPortOptions: all addresses)");
	for (i = 0; i < ports.n; i++) {
		addr = audit_daemon_addr(ports.v[i], &fam);
		if (addr == NULL)
			strv_push(&wild, ports.v[i]);
		free(addr);
		free(fam);
	}
	s = wild.n > 0 ? strv_join(&wild, "; ") : xstrdup("loopback or "
	    "named addresses only");
	audit_add(ac, "listen-all", AUDIT_MEDIUM, sendonly && wild.n > 0,
	    "A send-only server listens on every address", s,
	    "A null client sends its mail to a hub and has nothing to "
	    "receive from the network.  Listening on all addresses exposes "
	    "the SMTP code to anyone who can reach the host, for no use.",
	    "By hand: DAEMON_OPTIONS(`Family=inet, Name=MTA-v4, Port=smtp, "
	    "Addr=127.0.0.1') in the mc, then smadm apply.");
	strv_release(&ports);
	strv_release(&wild);
}

void
audit_check_options(struct actx *ac)
{
	struct audit_finding	*f;
	const char		*v;
	long			 n;
	char			*end;
	int			 bad;

	v = audit_cf_option(&ac->cf, "SafeFileEnvironment");
	f = audit_add(ac, "safefileenv", AUDIT_LOW, v == NULL || *v == '\0',
	    "SafeFileEnvironment is unset",
	    xasprintf("SafeFileEnvironment=%s", v != NULL ? v : "(unset)"),
	    "With it set, deliveries to files (aliases, .forward) go only to "
	    "regular files, never through symlinks or to devices, and with a "
	    "directory sendmail chroots there first.",
	    "define(`confSAFE_FILE_ENV', `/') in the mc.");
	audit_fix_define(f, "confSAFE_FILE_ENV", "/");

	v = audit_cf_option(&ac->cf, "TempFileMode");
	n = v != NULL ? strtol(v, &end, 8) : 0600;
	bad = v != NULL && (n & 077) != 0;
	/* 0640 (Debian's): the queue's group only, which is the MSP's. */
	f = audit_add(ac, "tempfilemode", (n & 037) == 0 ? AUDIT_LOW :
	    AUDIT_MEDIUM, bad, (n & 037) == 0 ? "TempFileMode lets the "
	    "queue's group read queue files" :
	    "TempFileMode lets others read queue files",
	    xasprintf("TempFileMode=%s", v != NULL ? v : "(unset: 0600)"),
	    "Queue data and temporary files are created with this mode: "
	    "anything above 0600 lets local users read other people's mail.  "
	    "Group read alone (0640) opens them to the group of the queue "
	    "directory only (Debian: smmsp, the group the submission program "
	    "runs as), so it is low; more than that is medium.",
	    "define(`confTEMP_FILE_MODE', `0600') in the mc.");
	audit_fix_define(f, "confTEMP_FILE_MODE", "0600");

	v = audit_cf_option(&ac->cf, "ForwardPath");
	audit_add(ac, "forwardpath", AUDIT_INFO, v == NULL ||
	    strcmp(v, "$z/.forward.$w:$z/.forward") == 0,
	    "ForwardPath is the default: users' .forward files are honoured",
	    xasprintf("ForwardPath=%s", v != NULL ? v : "(unset: "
	    "$z/.forward)"),
	    "Every user can redirect their mail, including to programs and "
	    "files, with a .forward in their home directory.  Fine on a "
	    "server for its users; on a relay or a server without shell "
	    "users you may want to decide where forwards live.",
	    "By hand, if wanted: define(`confFORWARD_PATH', `') to ignore "
	    ".forward files, or point it at an administrator's directory.");

	v = audit_cf_option(&ac->cf, "PostmasterCopy");
	f = audit_add(ac, "postmastercopy", AUDIT_LOW, v == NULL || *v == '\0',
	    "PostmasterCopy is unset",
	    xasprintf("PostmasterCopy=%s", v != NULL ? v : "(unset)"),
	    "Copies of error messages (bounces) go to this address: without "
	    "it, the postmaster does not see probing, misconfiguration or "
	    "abuse that shows up as bounces.",
	    "define(`confCOPY_ERRORS_TO', `postmaster') in the mc.");
	audit_fix_define(f, "confCOPY_ERRORS_TO", "postmaster");

	v = audit_cf_option(&ac->cf, "LogLevel");
	n = v != NULL ? strtol(v, NULL, 10) : 9;
	f = audit_add(ac, "loglevel", AUDIT_MEDIUM, n < 9,
	    "LogLevel is below 9",
	    xasprintf("LogLevel=%s", v != NULL ? v : "(unset: 9)"),
	    "Below 9 sendmail does not log all deliveries and rejections: "
	    "abuse and relay attempts leave no trace.  Higher levels log "
	    "more: 12 adds every connection; on this sendmail (8.17.1.9, "
	    "measured) both sides of the SMTP conversation appear only from "
	    "15, not from 12 as often written, and at 15 every command and "
	    "reply is a log line, which costs disk space on a busy server.",
	    "define(`confLOG_LEVEL', `9') in the mc.");
	audit_fix_define(f, "confLOG_LEVEL", "9");

	v = audit_cf_option(&ac->cf, "MaxDaemonChildren");
	n = v != NULL ? strtol(v, NULL, 10) : 0;
	f = audit_add(ac, "maxdaemonchildren", n <= 0 ? AUDIT_MEDIUM :
	    AUDIT_LOW, n <= 0 || n > 1000,
	    n <= 0 ? "MaxDaemonChildren is unlimited" :
	    "MaxDaemonChildren is very high",
	    xasprintf("MaxDaemonChildren=%s", v != NULL ? v : "(unset: 0, "
	    "no limit)"),
	    "Each SMTP connection forks a child.  Without a limit a flood of "
	    "connections forks until the host runs out of memory or "
	    "processes.",
	    "define(`confMAX_DAEMON_CHILDREN', `40') in the mc (size it to "
	    "the host).");
	audit_fix_define(f, "confMAX_DAEMON_CHILDREN", "40");

	v = audit_cf_option(&ac->cf, "ConnectionRateThrottle");
	n = v != NULL ? strtol(v, NULL, 10) : 0;
	f = audit_add(ac, "connectionratethrottle", AUDIT_LOW,
	    n <= 0 || n > 1000,
	    n <= 0 ? "ConnectionRateThrottle is unset" :
	    "ConnectionRateThrottle is very high",
	    xasprintf("ConnectionRateThrottle=%s", v != NULL ? v :
	    "(unset: no limit)"),
	    "It limits how many connections per second the daemon accepts; "
	    "without it one client can hit MaxDaemonChildren at once and "
	    "lock everyone else out.",
	    "define(`confCONNECTION_RATE_THROTTLE', `10') in the mc.");
	audit_fix_define(f, "confCONNECTION_RATE_THROTTLE", "10");
}

void
audit_check_relay(struct actx *ac)
{
	static const struct {
		const char		*feature;
		enum audit_severity	 sev;
		const char		*title;
		const char		*why;
	} feats[] = {
		{ "promiscuous_relay", AUDIT_HIGH,
		  "FEATURE(promiscuous_relay): an open relay",
		  "The server relays mail from anyone to anywhere.  Spammers "
		  "find open relays within hours; the server lands on block "
		  "lists and its own mail stops being delivered." },
		{ "relay_entire_domain", AUDIT_MEDIUM,
		  "FEATURE(relay_entire_domain)",
		  "Every host in the local domain ($m) may relay, including "
		  "ones nobody manages (DHCP clients, compromised desktops); "
		  "list the real networks in the access map instead." },
		{ "relay_based_on_MX", AUDIT_MEDIUM,
		  "FEATURE(relay_based_on_MX)",
		  "The server relays for any domain whose MX points at it: "
		  "whoever controls some DNS can make it a relay for their "
		  "domain without asking." },
		{ "loose_relay_check", AUDIT_MEDIUM,
		  "FEATURE(loose_relay_check)",
		  "Percent-hack addresses (user%other@here) are relayed: an "
		  "old trick to turn a server into a relay." },
		{ "relay_local_from", AUDIT_MEDIUM,
		  "FEATURE(relay_local_from)",
		  "Relaying depends on the envelope sender's domain, which "
		  "anyone can forge." }
	};
	struct audit_finding	*f;
	char			*id, *fix;
	size_t			 i;
	int			 on;

	for (i = 0; i < nitems(feats); i++) {
		on = audit_cf_has_m4(&ac->cf, feats[i].feature);
		if (strcmp(feats[i].feature, "promiscuous_relay") == 0 &&
		    !ac->cf.relaying_denied && ac->cf.nmailers > 0)
			on = 1;
		id = xasprintf("relay-%s", feats[i].feature);
		fix = xasprintf("Remove FEATURE(`%s') from the mc; relay "
		    "for your networks with Connect:NET RELAY in the access "
		    "map.", feats[i].feature);
		f = audit_add(ac, id, feats[i].sev, on, feats[i].title,
		    xstrdup(on ? "on" : "off"), feats[i].why, fix);
		audit_fix_feature(f, feats[i].feature, 0, NULL);
		free(id);
		free(fix);
	}
	on = audit_cf_has_m4(&ac->cf, "accept_unresolvable_domains");
	f = audit_add(ac, "accept-unresolvable", ac->a->internet ?
	    AUDIT_MEDIUM : AUDIT_INFO, on,
	    "FEATURE(accept_unresolvable_domains)",
	    xasprintf("on; the daemon %s", ac->a->internet ? "listens beyond "
	    "loopback" : "listens on loopback only"),
	    "Senders whose domain does not exist in DNS are accepted: such "
	    "mail cannot be answered and is nearly always spam or backscatter. "
	    "Harmless on a host that only takes mail from itself.",
	    "Remove FEATURE(`accept_unresolvable_domains') from the mc.");
	audit_fix_feature(f, "accept_unresolvable_domains", 0, NULL);
}

/* The current value of a clean access map: none, and the loopback keys. */
static char *
access_none(const char *path, struct strv *self)
{
	char	*keys, *s;

	if (self->n == 0)
		return xasprintf("%s: none", path);
	keys = strv_join(self, ", ");
	s = xasprintf("%s: none beyond this host (%s RELAY: loopback, for "
	    "local submission)", path, keys);
	free(keys);
	return s;
}

void
audit_check_access(struct actx *ac)
{
	const struct table_def	*td = profile_table_def("access");
	struct audit_finding	*f;
	struct table		*t;
	struct strv		 broad = STRV_INIT, keys = STRV_INIT;
	struct strv		 self = STRV_INIT;
	const char		*why;
	int			 relay;
	char			*path = NULL, *cause = NULL, *v;
	size_t			 i;

	for (i = 0; i < ac->cf.map_names.n; i++)
		if (strcmp(ac->cf.map_names.v[i], "access") == 0) {
			free(path);
			path = audit_spec_path(ac->cf.map_specs.v[i]);
		}
	if (path == NULL) {
		audit_add(ac, "access-relay-broad", AUDIT_HIGH, 0,
		    "Broad RELAY entries in the access map",
		    xstrdup("no access map"), "-", "-");
		return;
	}
	if ((t = table_load(ac->h->t, td, path, 1, NULL, &cause)) == NULL) {
		audit_note(ac, cause);
		free(path);
		return;
	}
	for (i = 0; i < t->nentries; i++) {
		if (t->entries[i].bad || t->entries[i].value == NULL)
			continue;
		v = xstrndup(t->entries[i].value, t->entries[i].valuelen);
		relay = strcasecmp(str_trim(v), "RELAY") == 0;
		if (relay && audit_access_loopback(t->entries[i].key))
			strv_push(&self, t->entries[i].key);
		else if (relay && audit_access_broad(t->entries[i].key, &why)) {
			strv_pushf(&broad, "%s:%zu: %s RELAY (%s)", path,
			    t->entries[i].line + 1, t->entries[i].key, why);
			strv_push(&keys, t->entries[i].key);
		}
		free(v);
	}
	table_free(t);
	f = audit_add(ac, "access-relay-broad", AUDIT_HIGH, broad.n > 0,
	    "Broad RELAY entries in the access map",
	    broad.n > 0 ? strv_join(&broad, "\n") : access_none(path, &self),
	    "An empty key, a one-octet network (a /8: 16 million "
	    "addresses), IPv6 alone (every IPv6 client) or IPv6:::ffff "
	    "(every IPv4 client of a daemon that listens on IPv6) with RELAY "
	    "makes the server an open relay for a large part of the "
	    "Internet.  Loopback (Connect:127, "
	    "IPv6:::1, localhost) is this host only: local programs submit "
	    "mail through it, so it is not counted and never commented "
	    "out.",
	    "Comment out these entries in the access map and rebuild "
	    "access.db; then add RELAY entries for the networks you mean.");
	if (broad.n > 0) {
		f->fix = AUDIT_FIX_ACCESS;
		f->fix_name = xstrdup(path);
		f->fix_value = strv_join(&keys, "\n");
	}
	free(path);
	strv_release(&broad);
	strv_release(&keys);
	strv_release(&self);
}

/* ---- the host's own name ---- */

void
audit_check_hostname(struct actx *ac)
{
	struct hostname_check	 hc;
	struct audit_finding	*f;
	char			*cause = NULL;

	if (hostname_check(ac->h, &hc, &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	f = audit_add(ac, "hostname", hc.state == HOSTNAME_STALL ?
	    AUDIT_MEDIUM : AUDIT_LOW, hc.state != HOSTNAME_OK,
	    "sendmail cannot qualify the host's name",
	    hc.problem != NULL ? xstrdup(hc.problem) : xasprintf("%s",
	    hc.fqdn),
	    "sendmail looks up its own name before it reads the cf.  An "
	    "unqualified name that the hosts file lists without a qualified "
	    "one makes it log \"My unqualified host name ... unknown; "
	    "sleeping for retry\" and sleep 60 s: every daemon start and "
	    "HUP, every queue run and every sendmail -bt (smadm's apply and "
	    "version check) waits a minute, and mail goes out under a short "
	    "name that other servers refuse.",
	    hc.fix != NULL ? hc.fix : "-");
	/* One key cannot do it: the domain is the owner's to choose, and
	 * the hosts file is the system's, not sendmail's. */
	f->fix = AUDIT_FIX_NONE;
	if (hc.state == HOSTNAME_STALL)
		ac->hostname_stall = 1;
	hostname_check_release(&hc);
}

/* ---- version (the table and the run are in audit-version.c) ---- */

void
audit_check_version(struct actx *ac)
{
	char	*version, *cause = NULL;

	/* Never wait a minute blindly: the hostname finding says why. */
	if (ac->hostname_stall) {
		audit_note(ac, xstrdup("the version was not asked: sendmail "
		    "-bt would sleep 60 s on the host name (see the hostname "
		    "finding)"));
		return;
	}
	if (audit_version_read(ac->h, AUDIT_VERSION_TIMEOUT, &version,
	    &cause) != 0) {
		audit_note(ac, cause);
		return;
	}
	/* Passed or not, the end of audit_run_cf() filters. */
	audit_version_add(ac->a, AUDIT_ALL, version);
	free(version);
}
