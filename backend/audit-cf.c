/*
 * audit-cf.c -- reading what the audit needs out of sendmail.cf text and
 * of a few option values (see audit.h).  Pure functions on text: the
 * unit tests and tests/fuzz/fuzz-cf.c drive them directly.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"

/* Append the value of "X=value" from a comma-separated mailer line. */
static char *
cf_mailer_field(const char *line, const char *field)
{
	const char	*p = line, *start, *end;
	size_t		 flen = strlen(field);

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (strncasecmp(p, field, flen) == 0 && p[flen] == '=') {
			start = p + flen + 1;
			/* A= runs to the end of the line: it holds commas. */
			if (strcasecmp(field, "A") == 0)
				end = start + strlen(start);
			else
				end = start + strcspn(start, ",");
			while (end > start && (end[-1] == ' ' ||
			    end[-1] == '\t'))
				end--;
			return xstrndup(start, (size_t)(end - start));
		}
		p += strcspn(p, ",");
	}
	return NULL;
}

static void
cf_mailer(struct audit_cf *cf, const char *line)
{
	struct audit_mailer	*m;
	size_t			 n;

	n = strcspn(line, ", \t");
	if (n == 0)
		return;
	cf->mailers = xreallocarray(cf->mailers, cf->nmailers + 1,
	    sizeof *cf->mailers);
	m = &cf->mailers[cf->nmailers++];
	m->name = xstrndup(line, n);
	m->path = cf_mailer_field(line + n, "P");
	m->args = cf_mailer_field(line + n, "A");
	m->flags = cf_mailer_field(line + n, "F");
}

/* "C{name}words", "Cxwords": the name, and where the rest starts. */
static const char *
cf_class_name(const char *s, char **name)
{
	const char	*end;

	if (*s == '{') {
		if ((end = strchr(s, '}')) == NULL)
			return NULL;
		*name = xstrndup(s + 1, (size_t)(end - s - 1));
		return end + 1;
	}
	if (*s == '\0' || *s == ' ' || *s == '\t')
		return NULL;
	*name = xstrndup(s, 1);
	return s + 1;
}

/* "#####  $Id: promiscuous_relay.m4,v 8.13 ...", Debian: "debian.m4, v" */
static void
cf_m4_file(struct audit_cf *cf, const char *line)
{
	const char	*p, *end;

	if ((p = strstr(line, "$Id: ")) == NULL)
		return;
	p += 5;
	if ((end = strstr(p, ".m4,")) == NULL || end == p)
		return;
	strv_push_nocopy(&cf->m4_files, xstrndup(p, (size_t)(end - p)));
}

static void
cf_line(struct audit_cf *cf, char *line)
{
	struct strv	 words = STRV_INIT;
	char		*name = NULL, *eq;
	const char	*rest;
	size_t		 i;

	switch (line[0]) {
	case '#':
		if (strncmp(line, "#####", 5) == 0)
			cf_m4_file(cf, line);
		break;
	case 'O':
		if (line[1] != ' ' && line[1] != '\t')
			break;		/* old one-letter options: ignored */
		rest = line + 1;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if ((eq = strchr(rest, '=')) == NULL) {
			strv_push(&cf->opt_names, rest);
			strv_push(&cf->opt_values, "");
			break;
		}
		name = xstrndup(rest, (size_t)(eq - rest));
		strv_push(&cf->opt_names, str_trim(name));
		free(name);
		strv_push(&cf->opt_values, eq + 1);
		break;
	case 'C':
		if ((rest = cf_class_name(line + 1, &name)) == NULL)
			break;
		strv_split_ws(&words, rest);
		for (i = 0; i < words.n; i++) {
			strv_push(&cf->class_names, name);
			strv_push(&cf->class_words, words.v[i]);
		}
		free(name);
		strv_release(&words);
		break;
	case 'T':
		/* "Troot": trusted users, the same as class t. */
		strv_split_ws(&words, line + 1);
		for (i = 0; i < words.n; i++) {
			strv_push(&cf->class_names, "t");
			strv_push(&cf->class_words, words.v[i]);
		}
		strv_release(&words);
		break;
	case 'F':
		if ((rest = cf_class_name(line + 1, &name)) == NULL)
			break;
		strv_push_nocopy(&cf->file_classes, name);
		while (*rest == ' ' || *rest == '\t')
			rest++;
		strv_push(&cf->file_specs, rest);
		break;
	case 'K':
		rest = line + 1;
		i = strcspn(rest, " \t");
		if (i == 0)
			break;
		strv_push_nocopy(&cf->map_names, xstrndup(rest, i));
		rest += i;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		strv_push(&cf->map_specs, rest);
		break;
	case 'D':
		if ((rest = cf_class_name(line + 1, &name)) == NULL)
			break;
		strv_push_nocopy(&cf->macro_names, name);
		strv_push(&cf->macro_values, rest);
		break;
	case 'M':
		cf_mailer(cf, line + 1);
		break;
	case 'R':
		if (strstr(line, "\"550 Relaying denied\"") != NULL)
			cf->relaying_denied = 1;
		break;
	}
}

void
audit_cf_parse(struct audit_cf *cf, const char *text, size_t len)
{
	struct buf	 line = BUF_INIT;
	const char	*p = text, *end = text + len, *nl;
	size_t		 n;

	memset(cf, 0, sizeof *cf);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		/* A line that starts with a blank continues the one above. */
		if ((*p == ' ' || *p == '\t') && line.len > 0 &&
		    line.data[0] != '#') {
			buf_addch(&line, ' ');
			while (n > 0 && (*p == ' ' || *p == '\t')) {
				p++;
				n--;
			}
		} else {
			if (line.len > 0)
				cf_line(cf, line.data);
			buf_reset(&line);
		}
		buf_add(&line, p, n);
		/* NUL bytes would cut the line short: make them blanks. */
		for (; n > 0; n--) {
			if (line.data[line.len - n] == '\0')
				line.data[line.len - n] = ' ';
		}
		if (line.len > 0 && line.data[line.len - 1] == '\r')
			buf_truncate(&line, line.len - 1);
		p += (nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p));
	}
	if (line.len > 0)
		cf_line(cf, line.data);
	buf_release(&line);
}

void
audit_cf_release(struct audit_cf *cf)
{
	size_t	i;

	strv_release(&cf->opt_names);
	strv_release(&cf->opt_values);
	strv_release(&cf->class_names);
	strv_release(&cf->class_words);
	strv_release(&cf->file_classes);
	strv_release(&cf->file_specs);
	strv_release(&cf->map_names);
	strv_release(&cf->map_specs);
	strv_release(&cf->macro_names);
	strv_release(&cf->macro_values);
	strv_release(&cf->m4_files);
	for (i = 0; i < cf->nmailers; i++) {
		free(cf->mailers[i].name);
		free(cf->mailers[i].path);
		free(cf->mailers[i].args);
		free(cf->mailers[i].flags);
	}
	free(cf->mailers);
	memset(cf, 0, sizeof *cf);
}

const char *
audit_cf_option(const struct audit_cf *cf, const char *name)
{
	size_t	i;

	for (i = cf->opt_names.n; i > 0; i--)
		if (strcasecmp(cf->opt_names.v[i - 1], name) == 0)
			return cf->opt_values.v[i - 1];
	return NULL;
}

void
audit_cf_options(const struct audit_cf *cf, const char *name,
    struct strv *out)
{
	size_t	i;

	for (i = 0; i < cf->opt_names.n; i++)
		if (strcasecmp(cf->opt_names.v[i], name) == 0)
			strv_push(out, cf->opt_values.v[i]);
}

const char *
audit_cf_macro(const struct audit_cf *cf, const char *name)
{
	size_t	i;

	for (i = cf->macro_names.n; i > 0; i--)
		if (strcmp(cf->macro_names.v[i - 1], name) == 0)
			return cf->macro_values.v[i - 1];
	return NULL;
}

const struct audit_mailer *
audit_cf_mailer(const struct audit_cf *cf, const char *name)
{
	size_t	i;

	for (i = 0; i < cf->nmailers; i++)
		if (strcmp(cf->mailers[i].name, name) == 0)
			return &cf->mailers[i];
	return NULL;
}

int
audit_cf_has_m4(const struct audit_cf *cf, const char *name)
{
	size_t	i;

	for (i = 0; i < cf->m4_files.n; i++)
		if (strcmp(cf->m4_files.v[i], name) == 0)
			return 1;
	return 0;
}

void
audit_cf_class(const struct audit_cf *cf, const char *name, struct strv *out)
{
	size_t	i;

	for (i = 0; i < cf->class_names.n; i++)
		if (strcmp(cf->class_names.v[i], name) == 0)
			strv_push(out, cf->class_words.v[i]);
}

static const struct {
	const char	*word;
	int		 bits;
} privacy_words[] = {
	{ "public", 0 },
	{ "authwarnings", PRIV_AUTHWARNINGS },
	{ "noexpn", PRIV_NOEXPN },
	{ "novrfy", PRIV_NOVRFY },
	{ "noverb", PRIV_NOVERB },
	{ "needmailhelo", PRIV_NEEDMAILHELO },
	{ "needexpnhelo", PRIV_NEEDEXPNHELO },
	{ "needvrfyhelo", PRIV_NEEDVRFYHELO },
	{ "restrictmailq", PRIV_RESTRICTMAILQ },
	{ "restrictqrun", PRIV_RESTRICTQRUN },
	{ "restrictexpand", PRIV_RESTRICTEXPAND },
	{ "noreceipts", PRIV_NORECEIPTS },
	{ "nobodyreturn", PRIV_NOBODYRETURN },
	{ "noetrn", PRIV_NOETRN },
	{ "noactualrecipient", PRIV_NOACTUALRECIPIENT },
	/* sendmail 8.17 readcf.c: goaway sets these nine. */
	{ "goaway", PRIV_GOAWAY | PRIV_AUTHWARNINGS | PRIV_NOEXPN |
	    PRIV_NOVRFY | PRIV_NOVERB | PRIV_NEEDMAILHELO |
	    PRIV_NEEDEXPNHELO | PRIV_NEEDVRFYHELO | PRIV_NORECEIPTS |
	    PRIV_NOBODYRETURN | PRIV_NOETRN }
};

int
audit_privacy_parse(const char *value, struct strv *unknown)
{
	struct strv	 words = STRV_INIT;
	char		*copy, *p;
	size_t		 i, j;
	int		 bits = 0;

	copy = xstrdup(value != NULL ? value : "");
	for (p = copy; *p != '\0'; p++)
		if (*p == ',')
			*p = ' ';
	strv_split_ws(&words, copy);
	for (i = 0; i < words.n; i++) {
		for (j = 0; j < nitems(privacy_words); j++)
			if (strcasecmp(words.v[i], privacy_words[j].word) == 0)
				break;
		if (j < nitems(privacy_words))
			bits |= privacy_words[j].bits;
		else if (unknown != NULL)
			strv_push(unknown, words.v[i]);
	}
	strv_release(&words);
	free(copy);
	return bits;
}

char *
audit_daemon_addr(const char *value, char **family)
{
	struct strv	 fields = STRV_INIT;
	char		*addr = NULL, *eq;
	size_t		 i;

	*family = xstrdup("inet");
	strv_split_char(&fields, value, ',');
	for (i = 0; i < fields.n; i++) {
		if ((eq = strchr(fields.v[i], '=')) == NULL)
			continue;
		*eq++ = '\0';
		str_trim(fields.v[i]);
		/* sendmail takes the first letter of a field name. */
		if (strncasecmp(fields.v[i], "Addr", 1) == 0) {
			free(addr);
			addr = xstrdup(str_trim(eq));
		} else if (strncasecmp(fields.v[i], "Family", 1) == 0) {
			free(*family);
			*family = xstrdup(str_trim(eq));
		}
	}
	strv_release(&fields);
	if (addr != NULL && (strcmp(addr, "0.0.0.0") == 0 ||
	    strcmp(addr, "::") == 0 || strcasecmp(addr, "INADDR_ANY") == 0 ||
	    *addr == '\0')) {
		free(addr);
		addr = NULL;
	}
	return addr;
}

int
audit_access_loopback(const char *key)
{
	const char	*rest = key;
	size_t		 i;

	if (strncasecmp(rest, "Connect:", 8) == 0)
		rest += 8;
	if (strcasecmp(rest, "localhost") == 0 ||
	    strcasecmp(rest, "localhost.localdomain") == 0 ||
	    strcasecmp(rest, "IPv6:::1") == 0 ||
	    strcasecmp(rest, "IPv6:0:0:0:0:0:0:0:1") == 0)
		return 1;
	/* 127, 127.0, 127.0.0.1: a prefix of 127/8, digits and dots only. */
	if (strncmp(rest, "127", 3) != 0 || (rest[3] != '\0' &&
	    rest[3] != '.'))
		return 0;
	for (i = 3; rest[i] != '\0'; i++)
		if (rest[i] != '.' && !isdigit((unsigned char)rest[i]))
			return 0;
	return 1;
}

/*
 * An IPv4 client of a daemon that listens on IPv6 has an IPv4-mapped
 * address (IPv6:::ffff:192.0.2.7); sendmail -bt shows that ::ffff alone
 * matches every one of them, and ::ffff:10 the whole 10/8.
 */
static int
audit_access_v4mapped(const char *rest, const char **why)
{
	size_t	i;

	if (strcasecmp(rest, "::ffff") == 0 ||
	    strcasecmp(rest, "0:0:0:0:0:ffff") == 0) {
		*why = "every IPv4 client of an IPv6 daemon: IPv4-mapped";
		return 1;
	}
	if (strncasecmp(rest, "::ffff:", 7) != 0)
		return 0;
	rest += 7;
	for (i = 0; rest[i] != '\0'; i++)
		if (!isdigit((unsigned char)rest[i]))
			return 0;
	if (i == 0 || i > 3 || strcmp(rest, "127") == 0)
		return 0;
	*why = "an IPv4-mapped prefix of one octet: a whole /8 network";
	return 1;
}

int
audit_access_broad(const char *key, const char **why)
{
	const char	*rest = key, *colon;
	size_t		 len, i, groups;
	int		 digits = 1;

	*why = NULL;
	/* The host itself: local submission needs it, and no one else. */
	if (audit_access_loopback(key))
		return 0;
	if ((colon = strchr(key, ':')) != NULL && colon != key) {
		len = (size_t)(colon - key);
		if ((len == 7 && strncasecmp(key, "Connect", 7) == 0) ||
		    (len == 2 && strncasecmp(key, "To", 2) == 0))
			rest = colon + 1;
		else if (len == 4 && strncasecmp(key, "IPv6", 4) == 0)
			rest = key;
		else
			return 0;	/* From:, Spam:, ... not a relay key */
	}
	if (*rest == '\0') {
		*why = "an empty key matches every client";
		return 1;
	}
	/* sendmail -bt: "Connect:IPv6 RELAY" relays for IPv6:2001:db8::5. */
	if (strcasecmp(rest, "IPv6") == 0) {
		*why = "IPv6 alone matches every IPv6 client";
		return 1;
	}
	if (strncasecmp(rest, "IPv6:", 5) == 0) {
		rest += 5;
		if (*rest == '\0') {
			*why = "an empty IPv6 key matches every IPv6 client";
			return 1;
		}
		if (audit_access_v4mapped(rest, why))
			return 1;
		if (strstr(rest, "::") != NULL)
			return 0;
		for (groups = 1, i = 0; rest[i] != '\0'; i++) {
			if (rest[i] == ':')
				groups++;
			else if (!isxdigit((unsigned char)rest[i]))
				return 0;
		}
		if (groups <= 2) {
			*why = "an IPv6 prefix of two groups or less (/32 or "
			    "wider)";
			return 1;
		}
		return 0;
	}
	for (i = 0; rest[i] != '\0'; i++)
		if (!isdigit((unsigned char)rest[i]))
			digits = 0;
	if (digits && i > 0 && i <= 3) {
		*why = "one octet: a whole /8 network";
		return 1;
	}
	return 0;
}

int
audit_version_cmp(const char *a, const char *b)
{
	long	x, y;
	char	*ea, *eb;

	for (;;) {
		x = strtol(a, &ea, 10);
		y = strtol(b, &eb, 10);
		if (ea == a)
			x = 0;
		if (eb == b)
			y = 0;
		if (x != y)
			return x < y ? -1 : 1;
		if (*ea != '.' && *eb != '.')
			return 0;
		a = *ea == '.' ? ea + 1 : ea;
		b = *eb == '.' ? eb + 1 : eb;
	}
}
