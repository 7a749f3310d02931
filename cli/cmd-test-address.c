/*
 * cmd-test-address.c -- "smadm test-address ADDR": what sendmail does with
 * an address, from the real sendmail's test modes (backend/addrtest.h).
 */
#include <stdlib.h>
#include <string.h>

#include "../backend/addrtest.h"
#include "cmd.h"

/* Why a map is not consulted for this address, or NULL. */
static const char *
lookup_skipped(const struct addrtest *at, const char *map)
{
	if (strcmp(map, "virtuser") == 0 && !at->local_domain &&
	    !at->virtual_domain)
		return "not consulted: the domain is neither local (class w) "
		    "nor virtual (VirtHost)";
	if (strcmp(map, "mailertable") == 0 && at->local_domain)
		return "not consulted for a local domain";
	if (strcmp(map, "aliases") == 0 && (at->mailer == NULL ||
	    strcmp(at->mailer, "local") != 0))
		return "not consulted: the address does not resolve to the "
		    "local mailer";
	return NULL;
}

static const char *
map_label(const char *map)
{
	if (strcmp(map, "virtuser") == 0)
		return "virtusertable";
	return map;
}

static void
show_text(FILE *f, const struct addrtest *at)
{
	const struct addrtest_lookup	*l;
	const char			*prev = "", *why;
	size_t				 i;

	fprintf(f, "%-14s %s\n", "address", at->address);
	if (at->domain != NULL)
		fprintf(f, "%-14s %s: %s\n", "domain", at->domain,
		    at->local_domain ? "local (class w)" : at->virtual_domain ?
		    "virtual (class VirtHost)" : "not local");
	else
		fprintf(f, "%-14s none: a local user name\n", "domain");
	for (i = 0; i < at->nlookups; i++) {
		l = &at->lookups[i];
		if (l->missing) {
			if (strcmp(prev, l->map) != 0)
				fprintf(f, "%-14s the cf declares no %s map\n",
				    map_label(l->map), l->map);
			prev = l->map;
			continue;
		}
		fprintf(f, "%-14s %s -> %s\n", strcmp(prev, l->map) != 0 ?
		    map_label(l->map) : "", l->key, l->value != NULL ?
		    l->value : "(no match)");
		if ((i + 1 == at->nlookups ||
		    strcmp(at->lookups[i + 1].map, l->map) != 0) &&
		    (why = lookup_skipped(at, l->map)) != NULL)
			fprintf(f, "%-14s (%s)\n", "", why);
		prev = l->map;
	}
	if (at->parse_error != NULL)
		fprintf(f, "%-14s %s\n", "problem", at->parse_error);
	if (at->mailer == NULL)
		fprintf(f, "%-14s nothing (sendmail -bt /parse gave no "
		    "mailer)\n", "resolves to");
	else if (strcmp(at->mailer, "*error*") == 0)
		fprintf(f, "%-14s refused: %s %s (mailer *error*)\n",
		    "resolves to", at->host != NULL ? at->host : "",
		    at->user != NULL ? at->user : "");
	else
		fprintf(f, "%-14s mailer %s%s%s, user %s\n", "resolves to",
		    at->mailer, at->host != NULL ? ", host " : "",
		    at->host != NULL ? at->host : "",
		    at->user != NULL ? at->user : "");
	fprintf(f, "%-14s %s (sendmail -bv)\n", "delivery",
	    at->verify != NULL && *at->verify != '\0' ? at->verify : "?");
}

static void
show_json(FILE *f, const struct addrtest *at)
{
	const struct addrtest_lookup	*l;
	size_t				 i;

#define JSTR(k, v) do {							\
	fputs(",\"" k "\":", f);					\
	if ((v) != NULL)						\
		json_string(f, (v));					\
	else								\
		fputs("null", f);					\
} while (0)
	fputs("{\"address\":", f);
	json_string(f, at->address);
	JSTR("local", at->local);
	JSTR("domain", at->domain);
	fprintf(f, ",\"local_domain\":%s,\"virtual_domain\":%s",
	    at->local_domain ? "true" : "false",
	    at->virtual_domain ? "true" : "false");
	JSTR("mailer", at->mailer);
	JSTR("host", at->host);
	JSTR("user", at->user);
	JSTR("problem", at->parse_error);
	fputs(",\"lookups\":[", f);
	for (i = 0; i < at->nlookups; i++) {
		l = &at->lookups[i];
		fprintf(f, "%s{\"map\":", i ? "," : "");
		json_string(f, l->map);
		JSTR("key", l->key);
		JSTR("value", l->value);
		fprintf(f, ",\"map_missing\":%s,\"consulted\":%s}",
		    l->missing ? "true" : "false",
		    lookup_skipped(at, l->map) == NULL ? "true" : "false");
	}
	fprintf(f, "],\"deliverable\":%s", at->deliverable ? "true" :
	    "false");
	JSTR("verify", at->verify);
	fputs("}\n", f);
#undef JSTR
}

static int
cmd_test_address_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct addrtest	 at;
	char		*cause = NULL;

	if (argc != 2)
		return cmd_usage(ctx, &cmd_test_address_entry);
	if (addrtest_run(ctx->host, argv[1], &at, &cause) != 0) {
		addrtest_release(&at);
		return cmd_fail_cause(ctx, cause);
	}
	if (ctx->json)
		show_json(ctx->out, &at);
	else
		show_text(ctx->out, &at);
	addrtest_release(&at);
	return 0;
}

const struct cmd_entry cmd_test_address_entry = {
	"test-address", "ADDR",
	"Show what sendmail does with an address, from its test modes",
	"Asks the real sendmail, with the host's cf (inside the sandbox "
	"namespace for sandboxes), nothing sent: \"sendmail -bt\" resolves "
	"ADDR through ruleset parse (/parse) to the mailer, host and user "
	"that would get it, tells whether its domain is local (class w) or "
	"virtual (VirtHost), and shows the lookups its rules make: "
	"virtusertable (user@domain, @domain), mailertable (the domain, each "
	"parent \".domain\", then \".\") and aliases (the local part), each "
	"with its value or \"no match\" and whether it applies to this "
	"address; \"sendmail -bv\" then says what delivery would do after "
	"alias expansion (\"deliverable: mailer local, user root\" or \"User "
	"unknown\").  The exit status is 0 when sendmail could be asked, "
	"whatever it answered.",
	CMD_JSON, cmd_test_address_exec, NULL
};
