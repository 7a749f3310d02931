/*
 * mapbuild.c -- a host's maps built from their text tables (mapbuild.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mapbuild.h"

int
mapbuild_target(struct host *h, const char *name, struct mapbuild_target *mt,
    char **cause)
{
	memset(mt, 0, sizeof *mt);
	if ((mt->def = profile_table_def(name)) == NULL) {
		*cause = xasprintf("%s: no such table (see smadm status)",
		    name);
		return -1;
	}
	if ((mt->text = profile_table_path(h->prof, name)) == NULL) {
		*cause = xasprintf("%s: no path configured in the profile",
		    mt->def->name);
		return -1;
	}
	mt->db = xasprintf("%s.db", mt->text);
	return 0;
}

void
mapbuild_target_release(struct mapbuild_target *mt)
{
	free(mt->db);
	mt->db = NULL;
}

void
mapbuild_opts(struct host *h, const struct mapbuild_target *mt,
    struct mapdb_opts *o, struct strv *notes)
{
	struct buf	 cf = BUF_INIT;
	char		*cause = NULL;
	uid_t		 uid;

	mapdb_opts_init(o, mt->def->kind == TABLE_ALIASES ? MAPDB_ALIASES :
	    MAPDB_MAP);
	o->source = mt->text;
	if (h->prof->cf == NULL ||
	    transport_read_file(h->t, h->prof->cf, &cf, 0, &cause) != 0) {
		free(cause);
		buf_release(&cf);
		return;
	}
	if (o->kind == MAPDB_MAP && mt->def->sendmail_map != NULL)
		mapdb_cf_map_flags(cf.data, cf.len, mt->def->sendmail_map, o);
	switch (mapdb_cf_trusted_user(cf.data, cf.len, &uid, &cause)) {
	case 1:
		o->set_owner = 1;
		o->uid = uid;
		break;
	case -1:
		if (notes != NULL)
			strv_pushf(notes, "%s: %s; a new map stays root's",
			    h->prof->cf, cause);
		free(cause);
		break;
	}
	buf_release(&cf);
}

int
mapbuild_read_pairs(struct host *h, const struct mapbuild_target *mt,
    struct table **tp, struct map_pairs *pairs, char **cause)
{
	struct table_diags	 diags;
	struct buf		 text = BUF_INIT, msg = BUF_INIT;
	size_t			 i, n, shown = 0;
	int			 rc = -1;

	*tp = NULL;
	table_diags_init(&diags);
	if (transport_read_file(h->t, mt->text, &text, 0, cause) != 0)
		goto out;
	/* The table keeps the text: a big map is not held twice. */
	*tp = table_parse_buf(mt->def, mt->text, &text);
	table_check(*tp, &diags);
	if (diags.nerrors != 0) {
		for (i = 0; i < diags.n && shown < 20; i++) {
			if (diags.v[i].severity != TABLE_ERROR)
				continue;
			buf_printf(&msg, "%s\n", diags.v[i].text);
			shown++;
		}
		if (diags.nerrors > shown)
			buf_printf(&msg, "(%zu more errors)\n",
			    diags.nerrors - shown);
		buf_printf(&msg, "%s: %zu error%s; %s not rebuilt",
		    mt->def->name, diags.nerrors,
		    diags.nerrors == 1 ? "" : "s", mt->db);
		*cause = buf_detach(&msg);
		goto out;
	}
	/* The array table_pairs() made becomes the pairs, not a copy. */
	map_pairs_release(pairs);
	n = table_pairs(*tp, &pairs->v);
	pairs->n = pairs->alloc = n;
	rc = 0;
out:
	if (rc != 0) {
		table_free(*tp);
		*tp = NULL;
	}
	table_diags_release(&diags);
	buf_release(&text);
	buf_release(&msg);
	return rc;
}

static int
mapbuild_one(struct host *h, const struct mapbuild_target *mt,
    struct strv *lines, char **cause)
{
	struct mapdb_opts	 o;
	struct mapdb_report	 rep;
	struct map_pairs	 pairs;
	struct table		*t = NULL;
	struct buf		 line = BUF_INIT;
	int			 lockfd = -1, rc = -1;

	map_pairs_init(&pairs);
	mapdb_report_init(&rep);
	mapbuild_opts(h, mt, &o, lines);
	/* sendmail -bi holds the aliases text while it rebuilds. */
	if (o.kind == MAPDB_ALIASES &&
	    (lockfd = mapdb_lock(mt->text, 1, 60000, cause)) == -1)
		goto out;
	if (mapbuild_read_pairs(h, mt, &t, &pairs, cause) != 0)
		goto out;
	if (mapdb_build(mt->db, pairs.v, pairs.n, &o, &rep, cause) != 0)
		goto out;
	strv_extend(lines, &rep.warnings);
	buf_printf(&line, "%s: %zu entr%s -> %s", mt->def->name, rep.records,
	    rep.records == 1 ? "y" : "ies", mt->db);
	if (rep.duplicates != 0)
		buf_printf(&line, " (%zu duplicate%s)", rep.duplicates,
		    rep.duplicates == 1 ? "" : "s");
	strv_push_nocopy(lines, buf_detach(&line));
	rc = 0;
out:
	mapdb_unlock(lockfd);
	map_pairs_release(&pairs);
	mapdb_report_release(&rep);
	buf_release(&line);
	table_free(t);
	return rc;
}

/* MAPBUILD_DRY: what a build would change, from the text and the db. */
static int
mapbuild_preview(struct host *h, const struct mapbuild_target *mt,
    struct strv *lines, char **cause)
{
	struct mapdb_opts	 o;
	struct mapdb_diff	 df;
	struct map_pairs	 pairs;
	struct table		*t = NULL;
	int			 rc = -1;

	map_pairs_init(&pairs);
	mapdb_diff_init(&df);
	mapbuild_opts(h, mt, &o, NULL);
	if (mapbuild_read_pairs(h, mt, &t, &pairs, cause) != 0)
		goto out;
	if (mapdb_compare(mt->db, mt->text, pairs.v, pairs.n, &o, &df,
	    cause) != 0)
		goto out;
	if (df.nodb) {
		strv_pushf(lines, "%s: would create %s (%zu keys)",
		    mt->def->name, mt->db, df.missing.n);
		rc = 1;
	} else if (mapdb_diff_empty(&df)) {
		strv_pushf(lines, "%s: %s is up to date", mt->def->name,
		    mt->db);
		rc = 0;
	} else {
		strv_pushf(lines, "%s: would rebuild %s (%zu new, %zu "
		    "removed, %zu changed keys%s)", mt->def->name, mt->db,
		    df.missing.n, df.extra.n, df.different.n,
		    df.stale ? "; text is newer" : "");
		rc = 1;
	}
out:
	mapdb_diff_release(&df);
	map_pairs_release(&pairs);
	table_free(t);
	return rc;
}

int
mapbuild_table(struct host *h, const char *name, int flags,
    struct strv *lines, char **cause)
{
	struct mapbuild_target	 mt;
	int			 n = 1, rc = 0;

	if (mapbuild_target(h, name, &mt, cause) != 0)
		return -1;
	if (mt.def->kind == TABLE_CLASS) {
		if (flags & MAPBUILD_NAMED)
			strv_pushf(lines, "%s: a class file, read by the cf "
			    "as text; no database to build", mt.def->name);
		goto out;
	}
	if (!(flags & MAPBUILD_NAMED)) {
		if (!transport_exists(h->t, mt.text))
			goto out;
		if (!(flags & MAPBUILD_FORCE) &&
		    (n = mapdb_outdated(mt.db, mt.text, cause)) == -1) {
			rc = -1;
			goto out;
		}
	}
	if (n != 1)
		goto out;
	if (flags & MAPBUILD_DRY)
		rc = mapbuild_preview(h, &mt, lines, cause);
	else if (mapbuild_one(h, &mt, lines, cause) == 0)
		rc = 1;
	else
		rc = -1;
out:
	mapbuild_target_release(&mt);
	return rc;
}

int
mapbuild_changed(struct host *h, int flags, struct strv *lines,
    size_t *built, char **cause)
{
	struct buf	 errs = BUF_INIT;
	char		*why = NULL;
	size_t		 i;
	int		 r;

	*built = 0;
	flags &= ~MAPBUILD_NAMED;
	for (i = 0; i < profile_ntables; i++) {
		if (profile_tables[i].kind == TABLE_CLASS ||
		    profile_table_path(h->prof,
		    profile_tables[i].name) == NULL)
			continue;
		r = mapbuild_table(h, profile_tables[i].name, flags, lines,
		    &why);
		if (r == 1)
			(*built)++;
		else if (r == -1) {
			buf_printf(&errs, "%s%s", errs.len ? "\n" : "", why);
			free(why);
			why = NULL;
		}
	}
	if (errs.len != 0) {
		*cause = buf_detach(&errs);
		return -1;
	}
	buf_release(&errs);
	return 0;
}

char *
mapbuild_state(struct host *h, const struct table_def *td, const char *path)
{
	struct mapbuild_target	 mt;
	struct mapdb_opts	 o;
	struct mapdb_diff	 df;
	struct map_pair		*pairs = NULL;
	struct table		*t;
	const char		*state = "error";
	char			*cause = NULL;
	size_t			 n;
	int			 existed;

	if (td->kind == TABLE_CLASS)
		return xstrdup("-");
	if ((t = table_load(h->t, td, path, 1, &existed, &cause)) == NULL) {
		free(cause);
		return xstrdup("error");
	}
	if (!existed) {
		table_free(t);
		return xstrdup("-");
	}
	mt.def = td;
	mt.text = path;
	mt.db = xasprintf("%s.db", path);
	mapbuild_opts(h, &mt, &o, NULL);
	n = table_pairs(t, &pairs);
	mapdb_diff_init(&df);
	if (mapdb_compare(mt.db, mt.text, pairs, n, &o, &df, &cause) == 0) {
		if (df.nodb)
			state = "no db";
		else if (df.stale || !mapdb_diff_empty(&df))
			state = "stale";
		else
			state = "built";
	}
	free(cause);
	mapdb_diff_release(&df);
	free(pairs);
	mapbuild_target_release(&mt);
	table_free(t);
	return xstrdup(state);
}
