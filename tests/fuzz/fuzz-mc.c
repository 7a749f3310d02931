/*
 * fuzz-mc.c -- libFuzzer harness for the mc model (backend/mc.h).
 *
 * Parse; the model must serialise to the input byte for byte and its
 * items must cover the text exactly, in order, with section text (cf
 * text) only inside a section or divert(N).  Then edit (set a define,
 * plain and in double quotes, turn a feature on and off, unset the
 * define) and check each edited model reads back the same after a second
 * parse, and that the edit reached the item that wins: a define set
 * reads back with the new value wherever the old one stood (after
 * LOCAL_CONFIG included).
 *
 *	make fuzz && tests/fuzz/fuzz-mc -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/mc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Items cover [0, len) without gaps or overlaps. */
static void
check_cover(const struct mc *mc, size_t len)
{
	size_t	i, off = 0;

	for (i = 0; i < mc->nitems; i++) {
		if (mc->items[i].off != off || mc->items[i].len == 0)
			abort();
		off += mc->items[i].len;
	}
	if (off != len)
		abort();
}

/*
 * MC_CFTEXT continues a section (a section or divert item precedes it) or
 * is diversion 0's; MC_DISCARDED is never in a section.
 */
static void
check_sections(const struct mc *mc)
{
	size_t	i;
	int	in = 0;

	for (i = 0; i < mc->nitems; i++) {
		switch (mc->items[i].kind) {
		case MC_SECTION:
			in = 1;
			break;
		case MC_DIVERT:
			in = mc->items[i].nargs > 0 &&
			    strcmp(mc->items[i].args[0].value, "0") != 0 &&
			    mc->items[i].args[0].value[0] != '-' &&
			    mc->items[i].args[0].value[0] != '\0';
			break;
		case MC_CFTEXT:
			if (mc->items[i].name == NULL || (!in &&
			    strcmp(mc->items[i].name, "divert(0)") != 0))
				abort();
			break;
		case MC_DISCARDED:
			if (in)
				abort();
			break;
		default:
			break;
		}
	}
}

/* After a successful set, the define that wins has the value. */
static void
check_value(const struct mc *mc, const char *name, const char *want)
{
	const char	*v = mc_define_value(mc, name);

	if (v == NULL || strcmp(v, want) != 0)
		abort();
}

/* The model's text parses again into the same text. */
static void
check_reparse(const struct mc *mc)
{
	struct mc	*again;
	const char	*a, *b;
	size_t		 alen, blen;

	a = mc_text(mc, &alen);
	check_cover(mc, alen);
	again = mc_parse("fuzz", a, alen);
	b = mc_text(again, &blen);
	if (alen != blen || (alen != 0 && memcmp(a, b, alen) != 0))
		abort();
	check_cover(again, blen);
	mc_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct mc	*mc;
	struct strv	 args = STRV_INIT;
	const char	*text;
	char		*cause = NULL;
	size_t		 n;

	mc = mc_parse("fuzz", data, len);
	text = mc_text(mc, &n);
	if (n != len || (len != 0 && memcmp(text, data, len) != 0))
		abort();
	check_cover(mc, len);
	check_sections(mc);
	(void)mc_find_define(mc, "confLOG_LEVEL");
	(void)mc_define_value(mc, "confPRIVACY_FLAGS");

	if (mc_define_set(mc, "confLOG_LEVEL", "15", &cause) < 0)
		free(cause);
	else
		check_value(mc, "confLOG_LEVEL", "15");
	cause = NULL;
	check_reparse(mc);
	check_sections(mc);
	if (mc_define_set(mc, "confDEF_USER_ID", "8:12", &cause) < 0)
		free(cause);
	else
		check_value(mc, "confDEF_USER_ID", "8:12");
	cause = NULL;
	check_reparse(mc);
	strv_push(&args, "hash -o /etc/mail/mailertable");
	if (mc_feature_set(mc, "mailertable", 1, &args, &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	if (mc_feature_set(mc, "mailertable", 0, NULL, &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	if (mc_define_unset(mc, "confLOG_LEVEL", &cause) < 0)
		free(cause);
	cause = NULL;
	check_reparse(mc);
	strv_release(&args);
	mc_free(mc);
	return 0;
}
