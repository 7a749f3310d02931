/*
 * fuzz-mc-value.c -- libFuzzer harness for the mc value checker
 * (backend/mc-value.h) and the edits that use it.
 *
 * The first byte picks a define (and so a type); the rest is the value.
 * When the checker accepts a value, an independent scan must find in it
 * no m4 quote, no control byte, no m4 argument reference ($1, $# and the
 * like), balanced parentheses and
 * no word that GNU m4 or the cf macros define; then mc_define_set must
 * write it and a second parse must read exactly that value back.
 *
 *	make fuzz && tests/fuzz/fuzz-mc-value -max_total_time=30
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/mc.h"
#include "../../backend/mc-value.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const defines[] = {
	"confSMTP_LOGIN_MSG", "confMAX_HOP", "confPRIVACY_FLAGS",
	"confSAFE_FILE_ENV", "confTO_QUEUEWARN", "confDEF_USER_ID",
	"confTEMP_FILE_MODE", "SMART_HOST", "confMIN_FREE_BLOCKS",
	"confMESSAGE_TIMEOUT", "confSEVEN_BIT_INPUT", "confBLANK_SUB",
	"confDELIVERY_MODE", "confUNKNOWN_TO_THE_TABLE", "confCW_FILE",
	"confMILTER_MACROS_CONNECT"
};

/* Words m4 expands, spelt out here rather than taken from mc-value.c. */
static const char *const danger[] = {
	"define", "syscmd", "esyscmd", "include", "sinclude", "dnl", "divert",
	"undivert", "changequote", "changecom", "m4exit", "m4wrap",
	"maketemp", "mkstemp", "debugfile", "builtin", "indir", "defn",
	"pushdef", "popdef", "undefine", "ifelse", "ifdef", "FEATURE",
	"MAILER", "OSTYPE", "LOCAL_CONFIG", "_PROMISCUOUS_RELAY_", "DOMAIN",
	"HACK", "errprint", "eval", "translit", "patsubst", "regexp"
};

static void
check_safe(const char *v)
{
	const char	*p, *w;
	size_t		 i, n;
	int		 depth = 0;

	for (p = v; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '`' ||
		    *p == '\'')
			abort();
		if (*p == '$' && p[1] != '\0' && strchr("0123456789#*@",
		    p[1]) != NULL)
			abort();
		if (*p == '(')
			depth++;
		if (*p == ')' && --depth < 0)
			abort();
	}
	if (depth != 0)
		abort();
	for (p = v; *p != '\0'; p++) {
		if (!isalpha((unsigned char)*p) && *p != '_')
			continue;
		for (w = p; isalnum((unsigned char)p[1]) || p[1] == '_'; p++)
			;
		n = (size_t)(p - w + 1);
		for (i = 0; i < sizeof danger / sizeof danger[0]; i++)
			if (strlen(danger[i]) == n &&
			    memcmp(danger[i], w, n) == 0)
				abort();
		if (n > 4 && memcmp(w, "conf", 4) == 0 &&
		    isupper((unsigned char)w[4]))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char base[] = "divert(0)dnl\nOSTYPE(`linux')dnl\n"
	    "define(`confMAX_HOP', `20')dnl\nFEATURE(`smrsh')dnl\n"
	    "MAILER(`local')dnl\n";
	const char	*define, *got;
	char		*v, *cause = NULL, *act;
	struct mc	*mc, *again;
	const char	*text;
	size_t		 len;

	if (size == 0 || size > 4096)
		return 0;
	define = defines[data[0] % (sizeof defines / sizeof defines[0])];
	v = malloc(size);
	memcpy(v, data + 1, size - 1);
	v[size - 1] = '\0';
	if ((act = mc_value_active(v)) != NULL)
		free(act);
	if (mc_value_check(define, v, NULL, &cause) != 0) {
		if (cause == NULL || strstr(cause, define) == NULL)
			abort();
		free(cause);
		free(v);
		return 0;
	}
	check_safe(v);
	mc = mc_parse("fuzz", base, sizeof base - 1);
	if (mc_define_set(mc, define, v, &cause) < 0)
		abort();	/* the checker said yes: so must the edit */
	text = mc_text(mc, &len);
	again = mc_parse("fuzz", text, len);
	got = mc_define_value(again, define);
	if (got == NULL || strcmp(got, v) != 0)
		abort();
	if (again->warnings.n != 0)
		abort();
	mc_free(again);
	mc_free(mc);
	free(v);
	return 0;
}
