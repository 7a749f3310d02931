/*
 * fuzz-wizard.c -- libFuzzer harness for the wizard's answers: the
 * "key = value" parser and checks behind wizard_role, wizard_test_port,
 * wizard_build (repeated keys,
 * relay_nets networks, table entries) and wizard_answer_check, the
 * console's check of one answer.
 *
 * The input is the answers text; the local role template fills it in.
 * What must hold: a failure has a cause, a success an mc, and every
 * access line the wizard writes is a "Connect:" key sendmail looks up
 * (IPv6 ones tagged).  Each line is also checked alone as the console
 * checks an answer.
 *
 *	make fuzz && tests/fuzz/fuzz-wizard -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/wizard.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char tmpl[] =
    "divert(0)dnl\n"
    "define(`confDOMAIN_NAME', `@HOSTNAME@')dnl\n"
    "@EXTRA_DEFINES@FEATURE(`access_db', `hash -o @MAIL_DIR@/access')dnl\n"
    "FEATURE(`mailertable', `hash -o @MAIL_DIR@/mailertable')dnl\n"
    "FEATURE(`virtusertable', `hash -o @MAIL_DIR@/virtusertable')dnl\n"
    "MAILER(`local')dnl\n";

static void
check_access(const struct buf *access)
{
	const char	*p = access->data, *end = p + access->len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			abort();
		if (*p != '#' && (strncmp(p, "Connect:", 8) != 0 ||
		    (memchr(p + 8, ':', (size_t)(nl - p - 8)) != NULL &&
		    strncmp(p + 8, "IPv6:", 5) != 0)))
			abort();
		p = nl + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wizard_out	 o;
	const char		*text = (const char *)data, *p, *nl, *eq;
	char			*cause = NULL, *key, *value, *role = NULL;
	int			 rc, port;

	if (wizard_role(text, size, "fuzz", &role, &cause) != 0 &&
	    cause == NULL)
		abort();
	free(role);
	free(cause);
	cause = NULL;
	if (wizard_test_port(text, size, "fuzz", &port, &cause) != 0 &&
	    cause == NULL)
		abort();
	free(cause);
	cause = NULL;
	wizard_out_init(&o);
	rc = wizard_build(text, size, "fuzz", tmpl, sizeof tmpl - 1,
	    "/etc/mail", &o, &cause);
	if (rc != 0 && cause == NULL)
		abort();
	if (rc == 0 && o.mc.len == 0)
		abort();
	if (rc == 0)
		check_access(&o.access);
	free(cause);
	wizard_out_release(&o);

	for (p = text; p < text + size; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + size - p))) == NULL)
			nl = text + size;
		if ((eq = memchr(p, '=', (size_t)(nl - p))) == NULL ||
		    memchr(p, '\0', (size_t)(nl - p)) != NULL)
			continue;
		key = xstrndup(p, (size_t)(eq - p));
		value = xstrndup(eq + 1, (size_t)(nl - eq - 1));
		cause = NULL;
		if (wizard_answer_check(str_trim(key), str_trim(value),
		    &cause) != 0 && cause == NULL)
			abort();
		free(cause);
		free(key);
		free(value);
	}
	return 0;
}
