/*
 * log-parse.c -- one line of the mail log into its parts (see log.h).
 *
 *	2026-11-22T02:55:41.439784+00:00 vm sm-mta[14024]: 6AM2tfoN014024: from=<a@b>, size=60, ...
 *	Nov 22 02:06:13 vm sm-mta[2012]: NOQUEUE: connect from localhost [127.0.0.1]
 *
 * The key=value list of sendmail is split at ", KEY=" outside <...>, "..."
 * and (...), and stat= and reject= take the rest of the line: sendmail
 * writes them last and their text may hold anything.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "safe-text.h"

static const char *const log_kind_names[LOG_NKINDS] = {
	"unknown", "other", "from", "to", "reject", "connect", "user-unknown",
	"no-mail", "syserr", "daemon-start", "daemon-stop", "daemon-restart",
	"smtp-in", "smtp-out", "done", "dsn", "lost", "noise", "auth",
	"auth-fail", "attack", "milter", "tls", "tls-fail"
};

static const char *const log_outcome_names[] = {
	"", "sent", "deferred", "bounced", "rejected", "error"
};

const char *
log_kind_name(enum log_kind k)
{
	return k < LOG_NKINDS ? log_kind_names[k] : "?";
}

const char *
log_outcome_name(enum log_outcome o)
{
	return (size_t)o < nitems(log_outcome_names) ?
	    log_outcome_names[o] : "?";
}

void
log_line_init(struct log_line *l)
{
	memset(l, 0, sizeof *l);
	l->pid = -1;
	l->qid = "";
	l->msg = "";
	l->stamp = "";
}

void
log_line_release(struct log_line *l)
{
	free(l->raw);
	free(l->work);
	free(l->fields);
	log_line_init(l);
}

/* The base-60 digits of queue ids: 0-9 A-Z a-x. */
static int
log_b60(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'x');
}

int
log_is_qid(const char *s, size_t len)
{
	size_t	i;

	if (len < 14 || len > 15)
		return 0;
	for (i = 0; i < 8; i++)
		if (!log_b60((unsigned char)s[i]))
			return 0;
	for (; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

long
log_qid_pid(const char *qid)
{
	size_t	len = strlen(qid);

	if (!log_is_qid(qid, len))
		return -1;
	return strtol(qid + 8, NULL, 10);
}

static void
log_add_field(struct log_line *l, const char *key, const char *value)
{
	if (l->nfields == l->afields) {
		l->afields = l->afields == 0 ? 16 : l->afields * 2;
		l->fields = xreallocarray(l->fields, l->afields,
		    sizeof *l->fields);
	}
	l->fields[l->nfields].key = key;
	l->fields[l->nfields].value = value;
	l->nfields++;
}

const char *
log_field(const struct log_line *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->nfields; i++)
		if (strcmp(l->fields[i].key, key) == 0)
			return l->fields[i].value;
	return NULL;
}

static int
log_num(const char *s, int n)
{
	int	v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * An ISO 8601 time before a blank: its length, or 0.
 *
 *	2026-11-22T02:55:41.439784+00:00	rsyslog (RFC 3339, high precision)
 *	2026-11-22T02:55:41+0000		journalctl -o short-iso
 *	2026-11-22T02:55:41Z			RFC 5424
 *	2026-11-22 02:55:41			no zone: local time
 */
static size_t
log_time_rfc3339(const char *s, size_t len, struct log_line *l)
{
	struct tm	 tm;
	const char	*p, *end = s + len;
	long		 usec = 0, scale = 100000, off = 0;
	int		 oh, om, zone = 1;

	if (len < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return 0;
	memset(&tm, 0, sizeof tm);
	if ((tm.tm_year = log_num(s, 4)) < 0 ||
	    (tm.tm_mon = log_num(s + 5, 2)) < 1 || tm.tm_mon > 12 ||
	    (tm.tm_mday = log_num(s + 8, 2)) < 1 || tm.tm_mday > 31 ||
	    (tm.tm_hour = log_num(s + 11, 2)) < 0 || tm.tm_hour > 23 ||
	    (tm.tm_min = log_num(s + 14, 2)) < 0 || tm.tm_min > 59 ||
	    (tm.tm_sec = log_num(s + 17, 2)) < 0 || tm.tm_sec > 60)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	p = s + 19;
	if (p < end && (*p == '.' || *p == ',')) {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
			usec += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (p < end && *p == 'Z')
		p++;
	else if (p + 6 <= end && (*p == '+' || *p == '-') && p[3] == ':' &&
	    (oh = log_num(p + 1, 2)) >= 0 && (om = log_num(p + 4, 2)) >= 0) {
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	} else if (p + 5 <= end && (*p == '+' || *p == '-') &&
	    (oh = log_num(p + 1, 2)) >= 0 && (om = log_num(p + 3, 2)) >= 0) {
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += 5;
	} else
		zone = 0;
	if (p >= end || *p != ' ')
		return 0;
	if (zone)
		l->time = timegm(&tm) - off;
	else {
		tm.tm_isdst = -1;
		l->time = mktime(&tm);
	}
	l->usec = usec;
	return (size_t)(p - s);
}

/* "Nov 22 02:06:13" (or with a fraction) before a blank: length, or 0. */
static size_t
log_time_classic(const char *s, size_t len, time_t now, struct log_line *l)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm	 tm, nowtm;
	const char	*m;
	size_t		 used = 15;
	long		 usec = 0, scale = 100000;
	int		 day;

	if (len < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' ||
	    s[12] != ':')
		return 0;
	/* "Jun 17 14:37:39.123456": journalctl -o short-precise. */
	if (s[15] == '.') {
		for (used = 16; used < len && s[used] >= '0' &&
		    s[used] <= '9'; used++) {
			usec += (s[used] - '0') * scale;
			scale /= 10;
		}
	}
	if (used >= len || s[used] != ' ')
		return 0;
	memset(&tm, 0, sizeof tm);
	for (m = months; *m != '\0'; m += 3)
		if (strncmp(m, s, 3) == 0)
			break;
	if (*m == '\0')
		return 0;
	tm.tm_mon = (int)(m - months) / 3;
	day = s[4] == ' ' ? log_num(s + 5, 1) : log_num(s + 4, 2);
	if (day < 1 || (tm.tm_hour = log_num(s + 7, 2)) < 0 ||
	    (tm.tm_min = log_num(s + 10, 2)) < 0 ||
	    (tm.tm_sec = log_num(s + 13, 2)) < 0)
		return 0;
	tm.tm_mday = day;
	localtime_r(&now, &nowtm);
	tm.tm_year = nowtm.tm_year;
	tm.tm_isdst = -1;
	l->time = mktime(&tm);
	if (l->time > now + 86400) {
		tm.tm_year--;
		tm.tm_isdst = -1;
		l->time = mktime(&tm);
	}
	l->usec = usec;
	return used;
}

/*
 * "Mon 2026-06-17 14:37:39 UTC" of journalctl -o short-full before a
 * blank: its length, or 0.  The zone is UTC, GMT or the abbreviation of
 * the local zone, which mktime applies already.
 */
static size_t
log_time_full(const char *s, size_t len, struct log_line *l)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	const char	*d, *z;
	struct tm	 tm;
	time_t		 t;
	size_t		 used, zlen;

	if (len < 5 || s[3] != ' ')
		return 0;
	for (d = days; *d != '\0'; d += 3)
		if (strncmp(d, s, 3) == 0)
			break;
	if (*d == '\0' ||
	    (used = log_time_rfc3339(s + 4, len - 4, l)) == 0)
		return 0;
	z = s + 4 + used + 1;
	for (zlen = 0; z + zlen < s + len && isupper((unsigned char)z[zlen]);
	    zlen++)
		;
	if (zlen == 0 || z + zlen >= s + len || z[zlen] != ' ')
		return 4 + used;
	/* Only a time without an offset of its own is local so far. */
	if (zlen == 3 && (strncmp(z, "UTC", 3) == 0 ||
	    strncmp(z, "GMT", 3) == 0) &&
	    strspn(s + 4 + 19, ".,0123456789") == used - 19) {
		/* mktime read it as local time: take the local offset off. */
		t = l->time;
		localtime_r(&t, &tm);
		l->time = t + tm.tm_gmtoff;
	}
	return 4 + used + 1 + zlen;
}

/*
 * "mail.info" of busybox syslogd, between the host and the tag, before a
 * blank: its length, or 0.
 */
static size_t
log_facility(const char *s, const char *end)
{
	static const char *const facilities[] = {
		"kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
		"news", "uucp", "cron", "authpriv", "ftp", "local0", "local1",
		"local2", "local3", "local4", "local5", "local6", "local7", NULL
	};
	static const char *const levels[] = {
		"emerg", "alert", "crit", "err", "error", "warn", "warning",
		"notice", "info", "debug", "panic", NULL
	};
	const char	*dot, *sp;
	size_t		 i, j, n;

	if ((sp = memchr(s, ' ', (size_t)(end - s))) == NULL ||
	    (dot = memchr(s, '.', (size_t)(sp - s))) == NULL)
		return 0;
	n = (size_t)(dot - s);
	for (i = 0; facilities[i] != NULL; i++)
		if (strlen(facilities[i]) == n &&
		    strncmp(facilities[i], s, n) == 0)
			break;
	n = (size_t)(sp - dot - 1);
	for (j = 0; levels[j] != NULL; j++)
		if (strlen(levels[j]) == n &&
		    strncmp(levels[j], dot + 1, n) == 0)
			break;
	if (facilities[i] == NULL || levels[j] == NULL)
		return 0;
	return (size_t)(sp - s);
}

/*
 * Split "k=v, k=v" in place.  A field ends at ", " followed by a key and
 * '=' outside brackets and quotes; stat and reject take the rest.
 */
static void
log_split_fields(struct log_line *l, char *s)
{
	char	*key, *value, *p;
	int	 angle, paren, quote;

	while (*s != '\0') {
		key = s;
		while (isalnum((unsigned char)*s) || *s == '_' || *s == '-')
			s++;
		if (s == key || *s != '=')
			return;
		*s++ = '\0';
		value = s;
		if (strcmp(key, "stat") == 0 || strcmp(key, "reject") == 0) {
			log_add_field(l, key, value);
			return;
		}
		angle = paren = quote = 0;
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				quote = !quote;
			else if (quote)
				continue;
			else if (*p == '<')
				angle++;
			else if (*p == '>' && angle > 0)
				angle--;
			else if (*p == '(')
				paren++;
			else if (*p == ')' && paren > 0)
				paren--;
			else if (*p == ',' && p[1] == ' ' && angle == 0 &&
			    paren == 0) {
				/* A boundary only if a key= follows. */
				char *k = p + 2;

				while (isalnum((unsigned char)*k) ||
				    *k == '_' || *k == '-')
					k++;
				if (k != p + 2 && *k == '=')
					break;
			}
		}
		log_add_field(l, key, value);
		if (*p == '\0')
			return;
		*p = '\0';
		s = p + 2;
	}
}

/* "host [1.2.3.4]" or "[1.2.3.4]": the address, stored as field ip. */
static void
log_add_ip(struct log_line *l, char *relay_copy)
{
	char	*open, *close;

	if ((open = strrchr(relay_copy, '[')) == NULL ||
	    (close = strchr(open, ']')) == NULL)
		return;
	*close = '\0';
	log_add_field(l, "ip", open + 1);
}

static int
log_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
log_outcome_of_to(struct log_line *l)
{
	const char	*stat = log_field(l, "stat"), *dsn = log_field(l, "dsn");

	if (stat == NULL)
		return;
	if (log_starts(stat, "Sent"))
		l->outcome = LOG_OUT_SENT;
	else if (log_starts(stat, "Deferred") || log_starts(stat, "queued"))
		l->outcome = log_starts(stat, "queued") ? LOG_OUT_NONE :
		    LOG_OUT_DEFERRED;
	else if (dsn != NULL && dsn[0] == '4')
		l->outcome = LOG_OUT_DEFERRED;
	else
		l->outcome = LOG_OUT_BOUNCED;
}

/*
 * "AUTH failure (MECH): REASON (N) DETAIL[, user=USER], relay=HOST [IP]"
 * (sendmail's srvrsmtp.c; the user is there when SASL names it).
 */
static void
log_auth_failure(struct log_line *l, char *msg)
{
	char	*p, *q, *relay = NULL;

	l->kind = LOG_AUTH_FAIL;
	for (p = msg; (q = strstr(p, ", relay=")) != NULL; p = q + 1)
		relay = q;
	if (relay != NULL) {
		*relay = '\0';
		relay += 8;
	}
	if ((p = strchr(msg + 14, ')')) != NULL) {
		*p = '\0';
		log_add_field(l, "mech", msg + 14);
		msg = p + 1;
	}
	if ((p = strstr(msg, ", user=")) != NULL) {
		p += 7;
		p[strcspn(p, ",")] = '\0';
		log_add_field(l, "user", p);
	}
	if (relay != NULL)
		log_add_field(l, "relay", relay);
}

/* What the message part says: kind, outcome, fields. */
static void
log_classify(struct log_line *l, char *msg, char *extra)
{
	char	*p, *q;
	size_t	 len;

	if (log_starts(msg, "from=")) {
		l->kind = LOG_FROM;
		log_split_fields(l, msg);
	} else if (log_starts(msg, "to=")) {
		l->kind = LOG_TO;
		log_split_fields(l, msg);
		log_outcome_of_to(l);
	} else if (log_starts(msg, "ruleset=") || log_starts(msg, "arg1=") ||
	    (log_starts(msg, "Milter: ") && strstr(msg, "reject=") != NULL)) {
		l->kind = LOG_REJECT;
		l->outcome = LOG_OUT_REJECTED;
		if (log_starts(msg, "Milter: "))
			msg += 8;
		log_split_fields(l, msg);
	} else if (log_starts(msg, "connect from ")) {
		l->kind = LOG_CONNECT;
		log_add_field(l, "relay", msg + 13);
	} else if (log_starts(msg, "done; ")) {
		l->kind = LOG_DONE;
		log_split_fields(l, msg + 6);
	} else if (log_starts(msg, "<-- ")) {
		l->kind = LOG_SMTP_IN;
	} else if (log_starts(msg, "--- ") || log_starts(msg, "--> ")) {
		l->kind = LOG_SMTP_OUT;
		if (msg[4] == '5')
			l->outcome = LOG_OUT_REJECTED;
	} else if (log_starts(msg, "SYSERR")) {
		l->kind = LOG_SYSERR;
		l->outcome = LOG_OUT_ERROR;
	} else if (log_starts(msg, "starting daemon")) {
		l->kind = LOG_DAEMON_START;
	} else if (log_starts(msg, "stopping daemon")) {
		l->kind = LOG_DAEMON_STOP;
		if ((p = strstr(msg, "reason=")) != NULL)
			log_add_field(l, "reason", p + 7);
	} else if (log_starts(msg, "restarting ") &&
	    strstr(msg, " due to signal") != NULL) {
		l->kind = LOG_DAEMON_RESTART;
	} else if ((p = strstr(msg, "... User unknown")) != NULL) {
		l->kind = LOG_USER_UNKNOWN;
		l->outcome = LOG_OUT_REJECTED;
		len = (size_t)(p - msg);
		q = extra;
		memcpy(q, msg, len);
		q[len] = '\0';
		log_add_field(l, "to", q);
	} else if (strstr(msg, "did not issue ") != NULL) {
		l->kind = LOG_NO_MAIL;
		if ((p = strstr(msg, " did not issue ")) != NULL) {
			len = (size_t)(p - msg);
			memcpy(extra, msg, len);
			extra[len] = '\0';
			log_add_field(l, "relay", extra);
		}
	} else if (log_starts(msg, "lost input channel") ||
	    log_starts(msg, "timeout waiting for input") ||
	    strstr(msg, "lost input channel") != NULL) {
		l->kind = LOG_LOST;
		/* "... from HOST [IP] to MTA after rcpt", "... during ..." */
		if ((p = strstr(msg, " from ")) != NULL) {
			p += 6;
			if ((q = strstr(p, " to ")) == NULL &&
			    (q = strstr(p, " during ")) == NULL)
				q = p + strlen(p);
			len = (size_t)(q - p);
			memcpy(extra, p, len);
			extra[len] = '\0';
			log_add_field(l, "relay", extra);
		}
	} else if (log_starts(msg, "AUTH failure (")) {
		log_auth_failure(l, msg);
	} else if (log_starts(msg, "AUTH=server, ") ||
	    log_starts(msg, "AUTH=client, ")) {
		l->kind = LOG_AUTH;
		log_split_fields(l, msg);
		if ((p = (char *)log_field(l, "authid")) != NULL)
			log_add_field(l, "user", p);
	} else if (log_starts(msg, "rejecting commands from ") &&
	    (p = strstr(msg, " due to ")) != NULL) {
		/* "... from HOST [IP] due to pre-greeting traffic ..." */
		l->kind = LOG_ATTACK;
		l->outcome = LOG_OUT_REJECTED;
		len = (size_t)(p - msg) - 24;
		memcpy(extra, msg + 24, len);
		extra[len] = '\0';
		log_add_field(l, "relay", extra);
	} else if ((p = strstr(msg, "]: ")) != NULL &&
	    memchr(msg, '[', (size_t)(p - msg)) != NULL &&
	    (log_starts(p + 3, "VRFY ") || log_starts(p + 3, "EXPN "))) {
		/* "HOST [IP]: VRFY user [rejected]" (PrivacyOptions). */
		q = p + 3;
		if (strstr(q, " [rejected]") != NULL) {
			l->kind = LOG_ATTACK;
			l->outcome = LOG_OUT_REJECTED;
		} else
			l->kind = LOG_OTHER;
		p[1] = '\0';
		log_add_field(l, "relay", msg);
		q[4] = '\0';
		log_add_field(l, "command", q);
	} else if ((p = strstr(msg, ": possible SMTP attack: ")) != NULL) {
		l->kind = LOG_ATTACK;
		*p = '\0';
		log_add_field(l, "relay", msg);
		log_split_fields(l, p + 24);
	} else if (log_is_qid(msg, strcspn(msg, ":")) &&
	    log_starts(msg + strcspn(msg, ":"), ": DSN: ")) {
		l->kind = LOG_DSN;
		len = strcspn(msg, ":");
		memcpy(extra, msg, len);
		extra[len] = '\0';
		log_add_field(l, "dsnid", extra);
		l->outcome = strstr(msg, "Warning") != NULL ||
		    strstr(msg, "Return receipt") != NULL ? LOG_OUT_NONE :
		    LOG_OUT_BOUNCED;
	} else if (log_starts(msg, "AUTH: available") ||
	    log_starts(msg, "Milter: no active filter") ||
	    log_starts(msg, "error: safesasl(") ||
	    log_starts(msg, "STARTTLS: ServerCertFile missing") ||
	    log_starts(msg, "engine=") || log_starts(msg, "started as: ")) {
		l->kind = LOG_NOISE;
	} else if (log_starts(msg, "Milter")) {
		l->kind = LOG_MILTER;
	} else if (log_starts(msg, "STARTTLS")) {
		l->kind = strstr(msg, "error") != NULL ||
		    strstr(msg, "fail") != NULL ||
		    strstr(msg, "timeout") != NULL ? LOG_TLS_FAIL : LOG_TLS;
		if (log_starts(msg, "STARTTLS="))
			log_split_fields(l, msg);
	} else
		l->kind = LOG_OTHER;
}

/* Add ip= from relay= (a copy: relay keeps its whole text). */
static void
log_derive_ip(struct log_line *l, char *extra)
{
	const char	*relay = log_field(l, "relay");
	size_t		 len;

	if (relay == NULL || log_field(l, "ip") != NULL)
		return;
	len = strlen(relay);
	memcpy(extra, relay, len + 1);
	log_add_ip(l, extra);
}

/*
 * A syslog priority in angle brackets at s: "<13>" as sent on the wire
 * (RFC 3164, 5424) when numeric, or "<mail.notice>", "<2.6>" as some
 * syslogds write it after the time.  Returns its length, or 0.
 */
static size_t
log_pri(const char *s, const char *end, int numeric)
{
	const char	*p;

	if (s >= end || *s != '<')
		return 0;
	for (p = s + 1; p < end && p - s <= 32; p++) {
		if (*p == '>')
			return p > s + 1 ? (size_t)(p + 1 - s) : 0;
		if (!isdigit((unsigned char)*p) && (numeric ||
		    (!isalnum((unsigned char)*p) && *p != '.' && *p != '*' &&
		    *p != '-' && *p != '_')))
			return 0;
	}
	return 0;
}

/* Cut the next blank-separated word of an RFC 5424 header at *pp. */
static char *
log_word(char **pp, char *end)
{
	char	*w = *pp, *sp;

	if (w >= end || (sp = memchr(w, ' ', (size_t)(end - w))) == NULL ||
	    sp == w)
		return NULL;
	*sp = '\0';
	*pp = sp + 1;
	return w;
}

/*
 * RFC 5424 after "<PRI>1 ": TIME HOST APP PROCID MSGID SD [MSG].  "-" is
 * a missing value; structured data is "-" or "[...]" groups, whose
 * values may hold "\]".  Returns the message, or NULL.
 */
static char *
log_parse_5424(struct log_line *l, char *p, char *end)
{
	char	*stamp, *host, *app, *procid, *q;
	size_t	 used;
	int	 inq;

	if (*p == '-' && p + 1 < end && p[1] == ' ') {
		stamp = NULL;
		*p = '\0';
		p += 2;
	} else {
		if ((used = log_time_rfc3339(p, (size_t)(end - p), l)) == 0)
			return NULL;
		stamp = p;
		p[used] = '\0';
		p += used + 1;
	}
	if ((host = log_word(&p, end)) == NULL ||
	    (app = log_word(&p, end)) == NULL ||
	    (procid = log_word(&p, end)) == NULL ||
	    log_word(&p, end) == NULL)
		return NULL;
	if (p < end && *p == '-')
		p++;
	else if (p < end && *p == '[') {
		for (inq = 0; p < end; p++) {
			if (*p == '\\' && inq && p + 1 < end)
				p++;
			else if (*p == '"')
				inq = !inq;
			else if (*p == ']' && !inq &&
			    (p + 1 == end || p[1] != '['))
				break;
		}
		if (p == end)
			return NULL;
		p++;
	} else
		return NULL;
	if (p < end && *p != ' ')
		return NULL;
	if (p < end)
		*p++ = '\0';
	/* A UTF-8 byte order mark may open the message. */
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	l->stamp = stamp != NULL ? stamp : "";
	l->host = strcmp(host, "-") == 0 ? NULL : host;
	l->prog = strcmp(app, "-") == 0 ? NULL : app;
	if (strcmp(procid, "-") != 0) {
		l->pid = strtol(procid, &q, 10);
		if (*q != '\0')
			l->pid = -1;
	}
	return p;
}

int
log_parse(struct log_line *l, const char *s, size_t len, time_t now)
{
	char	*w, *p, *end, *host, *prog, *tag_end, *msg, *extra, *extra2;
	char	*pri = NULL;
	size_t	 used, idlen, n;

	log_line_release(l);
	/* A NUL byte (a log file's hole after a crash) ends the line. */
	len = strnlen(s, len);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	l->raw = xstrndup(s, len);
	/* The copy is tokenised; two spare areas hold derived values. */
	l->work = xmalloc(3 * (len + 1));
	memcpy(l->work, l->raw, len + 1);
	w = l->work;
	extra = w + len + 1;
	extra2 = extra + len + 1;
	end = w + len;
	l->msg = l->raw;
	l->kind = LOG_UNKNOWN;

	/* "<13>" of a line as sent: RFC 3164, or RFC 5424 with "1 ". */
	if ((n = log_pri(w, end, 1)) != 0) {
		pri = w + 1;
		w[n - 1] = '\0';
		w += n;
		if (end - w >= 2 && w[0] == '1' && w[1] == ' ') {
			if ((msg = log_parse_5424(l, w + 2, end)) == NULL)
				goto unknown;
			goto body;
		}
		if (w < end && *w == ' ')
			w++;
	}
	if ((used = log_time_rfc3339(w, (size_t)(end - w), l)) == 0 &&
	    (used = log_time_classic(w, (size_t)(end - w), now, l)) == 0 &&
	    (used = log_time_full(w, (size_t)(end - w), l)) == 0)
		goto unknown;
	w[used] = '\0';
	l->stamp = w;
	host = w + used + 1;
	/* "<mail.notice>" after the time (BSD syslogd -v, syslog-ng). */
	if ((n = log_pri(host, end, 0)) != 0 && host + n < end &&
	    host[n] == ' ') {
		pri = host + 1;
		host[n - 1] = '\0';
		host += n + 1;
	}
	if (host >= end ||
	    (p = memchr(host, ' ', (size_t)(end - host))) == NULL ||
	    p == host)
		goto unknown;
	if (p[-1] == ':' && memchr(host, ':', (size_t)(p - host)) == p - 1) {
		/* "TAG[PID]:" right after the time: a line without a host. */
		prog = host;
		host = NULL;
	} else {
		*p = '\0';
		prog = p + 1;
		/* "mail.info" after the host (busybox syslogd). */
		if ((n = log_facility(prog, end)) != 0) {
			pri = prog;
			prog[n] = '\0';
			prog += n + 1;
		}
	}
	/* TAG[PID]: or TAG: */
	tag_end = prog + strcspn(prog, "[: ");
	if (*tag_end == '[') {
		*tag_end = '\0';
		l->pid = strtol(tag_end + 1, &p, 10);
		if (*p != ']' || p[1] != ':')
			goto unknown;
		msg = p + 2;
	} else if (*tag_end == ':') {
		*tag_end = '\0';
		msg = tag_end + 1;
	} else
		goto unknown;
	if (*msg == ' ')
		msg++;
	l->host = host;
	l->prog = prog;

body:
	if (pri != NULL)
		log_add_field(l, "syslog_pri", pri);
	idlen = strcspn(msg, ":");
	if (msg[idlen] == ':' && msg[idlen + 1] == ' ' &&
	    (log_is_qid(msg, idlen) || (idlen == 7 &&
	    strncmp(msg, "NOQUEUE", 7) == 0))) {
		msg[idlen] = '\0';
		l->qid = msg;
		msg += idlen + 2;
	}
	log_classify(l, msg, extra);
	log_derive_ip(l, extra2);
	/* The work copy is cut up now: the message as written is in raw. */
	l->msg = l->raw + (msg - l->work);
	return 1;

unknown:
	/* Keep the line as it is. */
	memcpy(l->work, l->raw, len + 1);
	l->stamp = "";
	l->time = 0;
	l->usec = 0;
	l->pid = -1;
	l->host = NULL;
	l->prog = NULL;
	l->qid = "";
	l->nfields = 0;
	l->msg = l->raw;
	l->kind = LOG_UNKNOWN;
	return 0;
}

static void
log_json_string(struct buf *out, const char *s)
{
	safe_json_add(out, s, strlen(s));
}

void
log_line_json(const struct log_line *l, const char *file, struct buf *out)
{
	size_t	i;

	buf_addstr(out, "{");
	if (file != NULL) {
		buf_addstr(out, "\"file\": ");
		log_json_string(out, file);
		buf_addstr(out, ", ");
	}
	buf_addstr(out, "\"time\": ");
	log_json_string(out, l->stamp);
	buf_printf(out, ", \"epoch\": %lld.%06ld, \"host\": ",
	    (long long)l->time, l->usec);
	log_json_string(out, l->host != NULL ? l->host : "");
	buf_addstr(out, ", \"program\": ");
	log_json_string(out, l->prog != NULL ? l->prog : "");
	buf_printf(out, ", \"pid\": %ld, \"qid\": ", l->pid);
	log_json_string(out, l->qid);
	buf_printf(out, ", \"kind\": \"%s\", \"outcome\": ",
	    log_kind_name(l->kind));
	log_json_string(out, log_outcome_name(l->outcome));
	buf_addstr(out, ", \"fields\": {");
	for (i = 0; i < l->nfields; i++) {
		if (i != 0)
			buf_addstr(out, ", ");
		log_json_string(out, l->fields[i].key);
		buf_addstr(out, ": ");
		log_json_string(out, l->fields[i].value);
	}
	buf_addstr(out, "}, \"message\": ");
	log_json_string(out, l->msg);
	buf_addstr(out, ", \"line\": ");
	log_json_string(out, l->raw);
	buf_addstr(out, "}");
}
