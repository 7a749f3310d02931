/*
 * addrtest.c -- an address through sendmail's test modes (addrtest.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addrtest.h"

#define ADDRTEST_MAX		512
#define ADDRTEST_TIMEOUT_MS	30000

/* The fixed commands before the lookups, in this order. */
enum {
	BT_PARSE,
	BT_CLASS_W,
	BT_CLASS_VIRTHOST,
	BT_FIXED
};

void
addrtest_init(struct addrtest *at)
{
	memset(at, 0, sizeof *at);
}

void
addrtest_release(struct addrtest *at)
{
	size_t	i;

	free(at->address);
	free(at->local);
	free(at->domain);
	free(at->mailer);
	free(at->host);
	free(at->user);
	free(at->parse_error);
	for (i = 0; i < at->nlookups; i++) {
		free(at->lookups[i].map);
		free(at->lookups[i].key);
		free(at->lookups[i].value);
	}
	free(at->lookups);
	free(at->verify);
	free(at->bt_output);
	addrtest_init(at);
}

/* A copy of s without surrounding blanks and newlines. */
static char *
trimmed(const char *s)
{
	char	*t = xstrdup(s), *r;

	r = xstrdup(str_trim(t));
	free(t);
	return r;
}

static void
lookup_add(struct addrtest *at, const char *map, const char *key)
{
	struct addrtest_lookup	*l;

	at->lookups = xreallocarray(at->lookups, at->nlookups + 1,
	    sizeof *at->lookups);
	l = &at->lookups[at->nlookups++];
	memset(l, 0, sizeof *l);
	l->map = xstrdup(map);
	l->key = xstrdup(key);
}

/* "Name <user@dom>" -> "user@dom"; split at the last "@". */
static int
addrtest_split(struct addrtest *at, const char *addr, char **cause)
{
	const char	*lt, *gt, *at_sign;
	char		*a, *t;
	size_t		 i;

	if (*addr == '\0' || *addr == '-' || strlen(addr) > ADDRTEST_MAX) {
		*cause = xasprintf("\"%s\": expected an address (not empty, "
		    "not starting with \"-\", at most %d bytes)", addr,
		    ADDRTEST_MAX);
		return -1;
	}
	for (i = 0; addr[i] != '\0'; i++) {
		if ((unsigned char)addr[i] < 0x20 || addr[i] == 0x7f) {
			*cause = xstrdup("the address holds a control "
			    "character");
			return -1;
		}
	}
	at->address = xstrdup(addr);
	if ((lt = strchr(addr, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		a = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		t = trimmed(a);
		free(a);
		a = t;
	} else
		a = trimmed(addr);
	if ((at_sign = strrchr(a, '@')) != NULL && at_sign[1] != '\0') {
		at->local = xstrndup(a, (size_t)(at_sign - a));
		at->domain = xstrdup(at_sign + 1);
		/* sendmail lowercases host names; a trailing dot is dropped. */
		for (i = 0; at->domain[i] != '\0'; i++)
			if (at->domain[i] >= 'A' && at->domain[i] <= 'Z')
				at->domain[i] += 'a' - 'A';
		if (i > 1 && at->domain[i - 1] == '.')
			at->domain[i - 1] = '\0';
	} else
		at->local = xstrdup(a);
	free(a);
	return 0;
}

void
addrtest_bt_script(struct addrtest *at, struct buf *in)
{
	const char	*d;
	size_t		 i;

	buf_printf(in, "/parse %s\n", at->address);
	buf_addstr(in, "$=w\n");
	buf_addstr(in, "$={VirtHost}\n");
	if (at->nlookups == 0) {
		if (at->domain != NULL) {
			struct buf k = BUF_INIT;

			buf_printf(&k, "%s@%s", at->local, at->domain);
			lookup_add(at, "virtuser", k.data);
			buf_reset(&k);
			buf_printf(&k, "@%s", at->domain);
			lookup_add(at, "virtuser", k.data);
			buf_release(&k);
			/* mailertable: the host, then each parent, then ".". */
			lookup_add(at, "mailertable", at->domain);
			for (d = strchr(at->domain, '.'); d != NULL;
			    d = strchr(d + 1, '.'))
				lookup_add(at, "mailertable", d);
			lookup_add(at, "mailertable", ".");
		}
		lookup_add(at, "aliases", at->local);
	}
	for (i = 0; i < at->nlookups; i++)
		buf_printf(in, "/map %s %s\n", at->lookups[i].map,
		    at->lookups[i].key);
}

/*
 * The responses: sendmail prints "> " before reading each line, so a
 * response runs from after one prompt to the next prompt at the start of
 * a line, or right after it when the response is empty.
 */
static size_t
bt_responses(const char *out, struct strv *resp)
{
	const char	*p, *end;

	p = out;
	/* The banner ends before the first prompt at a line start. */
	while (*p != '\0' && !(strncmp(p, "> ", 2) == 0 &&
	    (p == out || p[-1] == '\n'))) {
		if ((p = strchr(p, '\n')) == NULL)
			return 0;
		p++;
	}
	while (strncmp(p, "> ", 2) == 0) {
		p += 2;
		if (strncmp(p, "> ", 2) == 0 || *p == '\0') {
			if (*p != '\0')
				strv_push(resp, "");
			continue;
		}
		end = strstr(p, "\n> ");
		end = end != NULL ? end + 1 : p + strlen(p);
		strv_push_nocopy(resp, xstrndup(p, (size_t)(end - p)));
		p = end;
	}
	return resp->n;
}

/* "mailer X, host Y, user Z" (host optional), the last such line. */
static void
bt_read_parse(struct addrtest *at, const char *r)
{
	const char	*line = NULL, *p, *nl, *u;
	struct buf	 err = BUF_INIT;

	for (p = r; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (strncmp(p, "mailer ", 7) == 0)
			line = p;
		else if (strstr(p, "... ") != NULL &&
		    (size_t)(strstr(p, "... ") - p) < (size_t)(nl - p)) {
			if (err.len != 0)
				buf_addstr(&err, "; ");
			buf_add(&err, p, (size_t)(nl - p));
		}
		if (*nl == '\0')
			break;
	}
	if (err.len != 0)
		at->parse_error = buf_detach(&err);
	buf_release(&err);
	if (line == NULL)
		return;
	nl = strchr(line, '\n');
	if (nl == NULL)
		nl = line + strlen(line);
	line += 7;
	p = strstr(line, ", ");
	if (p == NULL || p > nl) {
		at->mailer = xstrndup(line, (size_t)(nl - line));
		return;
	}
	at->mailer = xstrndup(line, (size_t)(p - line));
	p += 2;
	if (strncmp(p, "host ", 5) == 0) {
		u = strstr(p, ", user ");
		if (u == NULL || u > nl)
			u = nl;
		at->host = xstrndup(p + 5, (size_t)(u - p - 5));
		p = u == nl ? nl : u + 2;
	}
	if (strncmp(p, "user ", 5) == 0)
		at->user = xstrndup(p + 5, (size_t)(nl - p - 5));
}

/* Is name a member of the class whose listing is r, one per line? */
static int
bt_in_class(const char *r, const char *name)
{
	const char	*p, *nl;
	size_t		 n = strlen(name);

	for (p = r; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if ((size_t)(nl - p) == n && strncasecmp(p, name, n) == 0)
			return 1;
		if (*nl == '\0')
			break;
	}
	return 0;
}

/* "map_lookup: NAME (KEY) returns VALUE (0)" or "... no match (0)". */
static void
bt_read_map(struct addrtest_lookup *l, const char *r)
{
	const char	*p, *end;

	if (strstr(r, "not found") != NULL && strncmp(r, "Map named", 9) == 0) {
		l->missing = 1;
		return;
	}
	if ((p = strstr(r, ") returns ")) == NULL)
		return;
	p += 10;
	if ((end = strrchr(p, '(')) == NULL || end == p)
		end = p + strcspn(p, "\n");
	else
		end--;
	l->value = xstrndup(p, (size_t)(end - p));
}

int
addrtest_read_bt(struct addrtest *at, const char *out, char **cause)
{
	struct strv	resp = STRV_INIT;
	size_t		i;
	int		rc = -1;

	if (bt_responses(out, &resp) < BT_FIXED + at->nlookups) {
		*cause = xasprintf("sendmail -bt gave %zu answers to %zu "
		    "commands", resp.n, BT_FIXED + at->nlookups);
		goto out;
	}
	bt_read_parse(at, resp.v[BT_PARSE]);
	if (at->domain != NULL) {
		at->local_domain = bt_in_class(resp.v[BT_CLASS_W],
		    at->domain);
		at->virtual_domain = bt_in_class(resp.v[BT_CLASS_VIRTHOST],
		    at->domain);
	}
	for (i = 0; i < at->nlookups; i++)
		bt_read_map(&at->lookups[i], resp.v[BT_FIXED + i]);
	rc = 0;
out:
	strv_release(&resp);
	return rc;
}

int
addrtest_run(struct host *h, const char *addr, struct addrtest *at,
    char **cause)
{
	struct run_opts		 ro;
	struct run_result	 rr;
	struct buf		 in = BUF_INIT;
	const char		*bt[] = { "-bt", NULL };
	const char		*bv[] = { "-bv", NULL, NULL };
	char			*d;
	int			 rc = -1;

	addrtest_init(at);
	run_result_init(&rr);
	if (addrtest_split(at, addr, cause) != 0)
		goto out;
	addrtest_bt_script(at, &in);
	run_opts_init(&ro);
	ro.stdin_data = in.data;
	ro.stdin_len = in.len;
	ro.timeout_ms = ADDRTEST_TIMEOUT_MS;
	if (host_run_sendmail(h, bt, &ro, &rr, cause) != 0)
		goto out;
	if (rr.timed_out || !rr.exited) {
		d = run_result_describe(h->prof->sendmail, &rr);
		*cause = xasprintf("sendmail -bt: %s", d);
		free(d);
		goto out;
	}
	at->bt_output = xstrdup(rr.out.data);
	if (addrtest_read_bt(at, rr.out.data, cause) != 0)
		goto out;
	if (at->mailer == NULL && at->parse_error == NULL && rr.err.len != 0)
		at->parse_error = trimmed(rr.err.data);

	run_result_release(&rr);
	run_result_init(&rr);
	run_opts_init(&ro);
	ro.timeout_ms = ADDRTEST_TIMEOUT_MS;
	bv[1] = at->address;
	if (host_run_sendmail(h, bv, &ro, &rr, cause) != 0)
		goto out;
	if (rr.timed_out) {
		*cause = xstrdup("sendmail -bv timed out (is name resolution "
		    "hanging?)");
		goto out;
	}
	buf_add(&rr.out, rr.err.data, rr.err.len);
	at->verify = trimmed(rr.out.data);
	at->deliverable = rr.exited && rr.status == 0 &&
	    strstr(at->verify, "deliverable") != NULL;
	rc = 0;
out:
	run_result_release(&rr);
	buf_release(&in);
	return rc;
}
