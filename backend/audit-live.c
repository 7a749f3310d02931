/*
 * audit-live.c -- the audit's live checks (see audit.h): one SMTP session
 * with the running daemon.  MAIL before HELO, then EHLO, EXPN, VRFY, and
 * RCPT to an address at example.com (RFC 2606: never a real mailbox) with
 * the null sender; RSET and QUIT follow, DATA is never sent, so nothing
 * can leave the host even when the relay is open.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit-int.h"
#include "daemon.h"
#include "smtp-client.h"

#define LIVE_RELAY_RCPT	"smadm-relay-probe@example.com"

/* A finding whose current value is copied. */
static struct audit_finding *
live_add(struct audit *a, const char *id, enum audit_severity sev,
    int failed, const char *title, const char *current, const char *why,
    const char *fix_text)
{
	return audit_finding_add(a, id, sev, failed, title, xstrdup(current),
	    why, fix_text);
}

/* The first line of a reply, without its line end. */
static char *
live_line(const struct buf *text)
{
	return xstrndup(text->data, strcspn(text->data, "\r\n"));
}

/* Does the banner show a version: "Sendmail 8.17.1.9", "8.17.1.9/"? */
static int
live_banner_leaks(const char *banner, const char *version)
{
	const char	*p;

	if (version != NULL && strstr(banner, version) != NULL)
		return 1;
	if ((p = strstr(banner, "Sendmail ")) != NULL && p[9] >= '0' &&
	    p[9] <= '9')
		return 1;
	return 0;
}

int
audit_live(struct audit *a, const struct audit_live_opts *o,
    int relay_client, struct buf *transcript, char **cause)
{
	struct smtp_conn	*c;
	struct buf		 text = BUF_INIT;
	char			*line = NULL, *cur;
	int			 code, rc = -1;

	c = smtp_open(o->addr, o->port, o->source, o->timeout > 0 ?
	    o->timeout : 15, transcript, cause);
	if (c == NULL)
		return -1;
	if (smtp_ask(c, NULL, &code, &text, cause) != 0)
		goto out;
	line = live_line(&text);
	if (code != 220) {
		*cause = xasprintf("%s:%d: greeting %s", o->addr, o->port,
		    line);
		goto out;
	}
	live_add(a, "live-banner", AUDIT_MEDIUM,
	    live_banner_leaks(line, a->version),
	    "The daemon's banner shows the sendmail version", line,
	    "Seen on the wire: what every client and scanner reads first.",
	    "See greeting-version: define(`confSMTP_LOGIN_MSG', `$j').");

	if (smtp_ask(c, "MAIL FROM:<>", &code, &text, cause) != 0)
		goto out;
	free(line);
	line = live_line(&text);
	live_add(a, "live-mail-before-helo", AUDIT_LOW, code / 100 == 2,
	    "MAIL accepted before HELO/EHLO", line,
	    "Seen on the wire: the daemon takes a sender from a client that "
	    "never introduced itself (needmailhelo is off).",
	    "See privacy-needmailhelo.");
	if (code / 100 == 2 && smtp_ask(c, "RSET", &code, &text, cause) != 0)
		goto out;

	if (smtp_ask(c, "EHLO audit.smadm.invalid", &code, &text, cause) != 0)
		goto out;
	if (code / 100 != 2) {
		*cause = xasprintf("EHLO refused: %.*s",
		    (int)strcspn(text.data, "\r\n"), text.data);
		goto out;
	}

	if (smtp_ask(c, "EXPN postmaster", &code, &text, cause) != 0)
		goto out;
	free(line);
	line = live_line(&text);
	live_add(a, "live-expn", AUDIT_MEDIUM, code == 250 || code == 251,
	    "EXPN answers", line,
	    "Seen on the wire: EXPN postmaster expanded the alias.",
	    "See privacy-noexpn.");

	if (smtp_ask(c, "VRFY postmaster", &code, &text, cause) != 0)
		goto out;
	free(line);
	line = live_line(&text);
	live_add(a, "live-vrfy", AUDIT_MEDIUM, code == 250 || code == 251,
	    "VRFY answers", line,
	    "Seen on the wire: VRFY postmaster confirmed the user.",
	    "See privacy-novrfy.");

	if (smtp_ask(c, "MAIL FROM:<>", &code, &text, cause) != 0)
		goto out;
	if (code / 100 == 2) {
		if (smtp_ask(c, "RCPT TO:<" LIVE_RELAY_RCPT ">", &code, &text,
		    cause) != 0)
			goto out;
		free(line);
		line = live_line(&text);
	} else {
		free(line);
		line = live_line(&text);
		code = 0;
	}
	cur = xasprintf("from %s: %s: %s", o->source != NULL ? o->source :
	    "the default source address", code == 0 ? "MAIL FROM:<>" :
	    "RCPT TO:<" LIVE_RELAY_RCPT ">", line);
	if (code == 0)
		live_add(a, "live-relay", AUDIT_INFO, 1,
		    "Relaying not tested: MAIL FROM:<> refused", cur,
		    "The daemon refused the null sender, so the probe could "
		    "not ask for an outside recipient.  sendmail must accept "
		    "<> (bounces use it): look at why it refused.", "-");
	else if (relay_client)
		live_add(a, "live-relay", AUDIT_INFO, 0,
		    "Relaying to an outside domain", cur,
		    "This client address is a relay client (loopback, or "
		    "listed as RELAY), so its answer says nothing about "
		    "strangers.  Probe from an address that is not a relay "
		    "client (--source, or from another network namespace) "
		    "to test relaying.", "-");
	else
		live_add(a, "live-relay", AUDIT_HIGH, code / 100 == 2,
		    "Relaying to an outside domain accepted", cur,
		    "Seen on the wire: a client that is not a relay client "
		    "got its recipient at an outside domain accepted.  That "
		    "is an open relay (the probe stops before DATA).",
		    "See the relay-* and access-relay-broad findings.");
	free(cur);
	(void)smtp_ask(c, "RSET", &code, &text, cause);
	free(*cause);
	*cause = NULL;
	(void)smtp_ask(c, "QUIT", &code, &text, cause);
	free(*cause);
	*cause = NULL;
	a->live = 1;
	audit_sort(a);
	rc = 0;
out:
	free(line);
	buf_release(&text);
	smtp_close(c);
	return rc;
}

int
audit_live_target(struct host *h, const char *spec, char **addr, int *port,
    int *running, char **cause)
{
	struct daemon_status	 st;
	const char		*colon;
	size_t			 i;
	int			 rc = -1;

	*addr = NULL;
	*running = 0;
	daemon_status_init(&st);
	if (daemon_status(h, &st, cause) != 0)
		goto out;
	*running = st.running;
	for (i = 0; spec == NULL && i < st.listen.n; i++)
		if (st.listen.v[i][0] != '[')
			spec = st.listen.v[i];
	if (spec == NULL && st.running) {
		*cause = xstrdup("the daemon listens on no IPv4 address; "
		    "give --addr ADDR:PORT");
		goto out;
	}
	if (spec == NULL) {
		rc = 0;
		goto out;
	}
	if ((colon = strrchr(spec, ':')) == NULL || colon == spec) {
		*cause = xasprintf("%s: expected ADDR:PORT", spec);
		goto out;
	}
	*addr = xstrndup(spec, (size_t)(colon - spec));
	*port = atoi(colon + 1);
	if (strcmp(*addr, "0.0.0.0") == 0) {
		free(*addr);
		*addr = xstrdup("127.0.0.1");
	}
	rc = 0;
out:
	daemon_status_release(&st);
	return rc;
}
