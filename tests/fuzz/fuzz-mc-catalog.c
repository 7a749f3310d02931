/*
 * fuzz-mc-catalog.c -- libFuzzer harness for the mc catalog readers
 * (backend/mc-catalog.h): proto.m4's _OPTION lines, cf.README's tables
 * and a feature listing.
 *
 * The input is read as all three; then every entry must be found by its
 * define name, entries' strings must be NUL-free C strings, and the
 * "did you mean" suggestions for a few words of the input must work.
 *
 *	make fuzz && tests/fuzz/fuzz-mc-catalog -max_total_time=30
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../backend/mc-catalog.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct mc_catalog		*c;
	const struct mc_catalog_entry	*e;
	struct strv			 lines = STRV_INIT, sugg = STRV_INIT;
	char				*text;
	size_t				 i;

	text = xstrndup((const char *)data, len);
	c = mc_catalog_create();
	mc_catalog_add_proto(c, (const char *)data, len);
	mc_catalog_add_readme(c, (const char *)data, len);
	strv_split_char(&lines, text, '\n');
	mc_catalog_add_features(c, &lines);
	for (i = 0; i < c->nentries; i++) {
		e = &c->entries[i];
		if (e->define == NULL || mc_catalog_find(c, e->define) == NULL)
			abort();
		if (e->option != NULL)
			(void)mc_catalog_find(c, e->option);
	}
	for (i = 0; i < lines.n && i < 8; i++) {
		(void)mc_catalog_find(c, lines.v[i]);
		(void)mc_catalog_has_feature(c, lines.v[i]);
		mc_catalog_suggest(c, lines.v[i], 0, &sugg, 3);
		mc_catalog_suggest(c, lines.v[i], 1, &sugg, 3);
	}
	strv_release(&sugg);
	strv_release(&lines);
	mc_catalog_free(c);
	free(text);
	return 0;
}
