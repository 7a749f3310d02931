/*
 * test-backup.c -- backup set retention: backup_create() prunes to the
 * profile's backup_keep, never the set it just made, gives IDs that sort
 * after every set there was (even after a prune freed the first IDs of the
 * second), and does not make a set equal to the newest twice.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "../../backend/backup.h"

static struct host *
backup_test_host(const char *dir, const char *conf)
{
	struct profile	*p;
	char		*cause = NULL;

	p = profile_parse(conf, strlen(conf), dir, "smadm.conf", &cause);
	if (p == NULL) {
		test_fail(__FILE__, __LINE__, "profile", cause, NULL);
		free(cause);
		p = profile_parse("", 0, dir, "smadm.conf", &cause);
	}
	return host_create(transport_local_create(), p);
}

/* Write text to path and back it up as role "access"; returns the ID. */
static char *
backup_test_one(struct host *h, const char *path, const char *text)
{
	struct strv	 roles = STRV_INIT, paths = STRV_INIT;
	char		*id = NULL, *cause = NULL;

	if (transport_write_file(h->t, path, text, strlen(text), NULL,
	    &cause) != 0 ||
	    (strv_push(&roles, "access"), strv_push(&paths, path),
	    backup_create(h, "test", &roles, &paths, NULL, &id, &cause)) != 0) {
		test_fail(__FILE__, __LINE__, "backup", cause, NULL);
		free(cause);
		id = xstrdup("");
	}
	strv_release(&roles);
	strv_release(&paths);
	return id;
}

TEST(backup_retention_keeps_newest)
{
	const char		*dir = test_tmpdir();
	struct host		*h = backup_test_host(dir, "backup_keep = 2\n");
	struct backup_set	*v;
	struct backup_pruned	 bp;
	char			*path, *ids[5], *cause = NULL, text[16];
	size_t			 n, i;

	CHECK(h->prof->backup_keep == 2 && h->prof->backup_days == 14);
	path = xasprintf("%s/access", dir);
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof text, "k%zu\tOK\n", i);
		ids[i] = backup_test_one(h, path, text);
	}
	CHECK(backup_list(h, &v, &n, &cause) == 0);
	CHECK(n == 2);
	/* The last two, newest first: IDs never go back to a pruned one. */
	if (n == 2) {
		CHECK_STR(v[0].id, ids[4]);
		CHECK_STR(v[1].id, ids[3]);
		CHECK(backup_set_size(&v[0]) == 6);
	}
	backup_sets_free(v, n);

	/* The same bytes again: no new set, the newest's ID back. */
	free(ids[0]);
	ids[0] = backup_test_one(h, path, "k4\tOK\n");
	CHECK_STR(ids[0], ids[4]);

	/* Nothing left to prune. */
	backup_pruned_init(&bp);
	CHECK(backup_prune(h, 1, &bp, &cause) == 0);
	CHECK(bp.ids.n == 0 && bp.leftovers.n == 0);
	backup_pruned_release(&bp);

	for (i = 0; i < 5; i++)
		free(ids[i]);
	free(path);
	host_free(h);
}
