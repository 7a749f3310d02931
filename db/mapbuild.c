/*
 * mapbuild.c -- a host's maps built from their text tables (mapbuild.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/shquote.h"
#include "config.h"
#include "../backend/file-commit.h"
#include "mapbuild.h"

static int
mapbuild_is_local(const struct host *h)
{
	return strcmp(h->t->ops->name, "local") == 0;
}

char *
mapbuild_view(struct host *h, const char *db, char **cause)
{
	struct transport	*local;
	struct write_opts	 wo;
	struct tstat		 st;
	struct buf		 data = BUF_INIT;
	char			 dir[] = "/tmp/smadm-map-XXXXXX";
	char			*path;

	if (mapbuild_is_local(h))
		return xstrdup(db);
	if (transport_stat(h->t, db, 1, &st, cause) != 0)
		return NULL;
	if (mkdtemp(dir) == NULL) {
		*cause = xasprintf("%s: cannot make a local copy: mkdtemp "
		    "failed", db);
		return NULL;
	}
	path = xasprintf("%s/map.db", dir);
	if (st.type == TS_NONE)
		return path;
	if (transport_read_file(h->t, db, &data, 0, cause) != 0)
		goto fail;
	local = transport_local_create();
	write_opts_init(&wo);
	wo.mode = 0600;
	wo.keep_mode = 0;
	if (transport_write_file(local, path, data.data, data.len, &wo,
	    cause) != 0) {
		transport_free(local);
		goto fail;
	}
	transport_free(local);
	buf_release(&data);
	return path;
fail:
	buf_release(&data);
	rmdir(dir);
	free(path);
	return NULL;
}

void
mapbuild_view_release(struct host *h, char *view)
{
	char	*slash;

	if (view == NULL)
		return;
	if (!mapbuild_is_local(h)) {
		unlink(view);
		if ((slash = strrchr(view, '/')) != NULL) {
			*slash = '\0';
			rmdir(view);
		}
	}
	free(view);
}

/* Is the map missing or older than its text (mapdb_outdated's rule)? */
static int
mapbuild_outdated(struct host *h, const struct mapbuild_target *mt,
    char **cause)
{
	struct tstat	tst, dst;

	if (mapbuild_is_local(h))
		return mapdb_outdated(mt->db, mt->text, cause);
	if (transport_stat(h->t, mt->text, 1, &tst, cause) != 0)
		return -1;
	if (tst.type == TS_NONE) {
		*cause = xasprintf("%s: No such file or directory", mt->text);
		return -1;
	}
	if (transport_stat(h->t, mt->db, 1, &dst, cause) != 0)
		return -1;
	if (dst.type == TS_NONE)
		return 1;
	if (tst.mtime != dst.mtime)
		return tst.mtime > dst.mtime;
	return tst.mtime_nsec > dst.mtime_nsec;
}

/*
 * mapdb_compare for any host: the map read from its local view, the
 * "text is newer" test done with the host's own clock.
 */
static int
mapbuild_compare(struct host *h, const struct mapbuild_target *mt,
    const struct map_pair *pairs, size_t n, const struct mapdb_opts *o,
    struct mapdb_diff *df, char **cause)
{
	char	*view;
	int	 rc, r;

	if (mapbuild_is_local(h))
		return mapdb_compare(mt->db, mt->text, pairs, n, o, df, cause);
	if ((view = mapbuild_view(h, mt->db, cause)) == NULL)
		return -1;
	rc = mapdb_compare(view, NULL, pairs, n, o, df, cause);
	mapbuild_view_release(h, view);
	if (rc == 0 && !df->nodb) {
		if ((r = mapbuild_outdated(h, mt, cause)) == -1)
			return -1;
		df->stale = r;
	}
	return rc;
}

/*
 * A remote host's map is built there by its own makemap: a locally built
 * Berkeley DB file may be unreadable by another libdb.  The records are
 * those a local build gives (built into a scratch file here, which also
 * checks the text and reports duplicates the same way), fed to makemap as
 * "key value" lines with the flags that keep them byte for byte, into a
 * temporary map beside the real one, which then replaces it by rename.
 */
static int
mapbuild_remote(struct host *h, const struct mapbuild_target *mt,
    const struct map_pair *pairs, size_t n, const struct mapdb_opts *o,
    struct mapdb_report *rep, char **cause)
{
	struct mapdb_opts	 lo = *o;
	struct mapdb_records	 recs;
	struct run_opts		 ro;
	struct run_result	 rr;
	struct tstat		 old;
	struct strv		 argv = STRV_INIT;
	struct buf		 in = BUF_INIT;
	char			 dir[] = "/tmp/smadm-map-XXXXXX";
	char			*scratch = NULL, *tmpmap = NULL, *tmpdb = NULL;
	size_t			 i;
	int			 rc = -1;

	mapdb_records_init(&recs);
	run_result_init(&rr);
	if (mkdtemp(dir) == NULL) {
		*cause = xasprintf("%s: mkdtemp failed", mt->db);
		goto out;
	}
	scratch = xasprintf("%s/map.db", dir);
	lo.set_owner = 0;
	if (mapdb_build(scratch, pairs, n, &lo, rep, cause) != 0 ||
	    mapdb_read(scratch, MAPDB_SORTED, &recs, cause) != 0)
		goto out;
	for (i = 0; i < recs.n; i++) {
		if (memchr(recs.v[i].key, '\n', recs.v[i].keylen) != NULL ||
		    memchr(recs.v[i].val, '\n', recs.v[i].vallen) != NULL ||
		    memchr(recs.v[i].key, ' ', recs.v[i].keylen) != NULL ||
		    memchr(recs.v[i].key, '\t', recs.v[i].keylen) != NULL) {
			*cause = xasprintf("%s: a key or value with a line "
			    "break or a blank in the key cannot be passed to "
			    "makemap", mt->db);
			goto out;
		}
		buf_add(&in, recs.v[i].key, recs.v[i].keylen);
		buf_addch(&in, '\t');
		buf_add(&in, recs.v[i].val, recs.v[i].vallen);
		buf_addch(&in, '\n');
	}
	if (o->sentinel)
		buf_addstr(&in, "@\t@\n");
	/* The file-commit.h name; makemap adds ".db" to what it is given. */
	tmpmap = commit_temp_template(mt->db);
	commit_temp_fill(tmpmap);
	tmpdb = xasprintf("%s.db", tmpmap);
	if (h->prof->makemap == NULL) {
		*cause = xstrdup("the profile names no makemap");
		goto out;
	}
	if (transport_stat(h->t, mt->db, 1, &old, cause) != 0)
		goto out;
	/*
	 * The locks sendmail's tools hold: sendmail -bi's on the aliases
	 * text, makemap's on the map it replaces.
	 */
	if (o->kind == MAPDB_ALIASES || old.type == TS_REG) {
		strv_push(&argv, PATH_FLOCK);
		strv_push(&argv, "-w");
		strv_push(&argv, "60");
		strv_push(&argv, o->kind == MAPDB_ALIASES ? mt->text : mt->db);
	}
	strv_push(&argv, h->prof->makemap);
	if (h->prof->cf != NULL) {
		strv_push(&argv, "-C");
		strv_push(&argv, h->prof->cf);
	}
	strv_push(&argv, "-f");		/* keys are folded already */
	if (o->nul)
		strv_push(&argv, "-N");
	strv_push(&argv, "hash");
	strv_push(&argv, tmpmap);
	run_opts_init(&ro);
	ro.stdin_data = in.data;
	ro.stdin_len = in.len;
	if (transport_remove(h->t, tmpdb, cause) != 0)
		goto out;
	if (host_run(h, (const char *const *)argv.v, &ro, &rr, cause) != 0)
		goto out;
	if (!rr.exited || rr.status != 0) {
		*cause = run_result_describe(h->prof->makemap, &rr);
		goto out;
	}
	/* A replaced map keeps its owner and mode (file-commit.h). */
	if (old.type == TS_REG &&
	    (transport_chown(h->t, tmpdb, old.uid, old.gid, cause) != 0 ||
	    transport_chmod(h->t, tmpdb, old.mode & 07777, cause) != 0))
		goto out;
	if (transport_rename(h->t, tmpdb, mt->db, cause) != 0)
		goto out;
	free(tmpdb);
	tmpdb = NULL;
	rc = 0;
out:
	if (tmpdb != NULL) {
		char *ignore = NULL;

		transport_remove(h->t, tmpdb, &ignore);
		free(ignore);
	}
	if (scratch != NULL) {
		unlink(scratch);
		rmdir(dir);
	}
	free(scratch);
	free(tmpmap);
	free(tmpdb);
	strv_release(&argv);
	buf_release(&in);
	mapdb_records_release(&recs);
	run_result_release(&rr);
	return rc;
}

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
    struct table **tp, struct map_pairs *pairs, struct strv *warnings,
    char **cause)
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
	/*
	 * Warnings are what makemap and sendmail take without harm or as
	 * the text says: they never stop a build (nor an apply).
	 */
	for (i = 0; warnings != NULL && i < diags.n; i++) {
		if (shown == MAPBUILD_MAXWARN) {
			strv_pushf(warnings, "(%zu more warnings: smadm map "
			    "check %s)", diags.nwarnings - shown,
			    mt->def->name);
			break;
		}
		strv_push(warnings, diags.v[i].text);
		shown++;
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
	if (mapbuild_is_local(h) && o.kind == MAPDB_ALIASES &&
	    (lockfd = mapdb_lock(mt->text, 1, 60000, cause)) == -1)
		goto out;
	if (mapbuild_read_pairs(h, mt, &t, &pairs, lines, cause) != 0)
		goto out;
	if (!mapbuild_is_local(h)) {
		if (mapbuild_remote(h, mt, pairs.v, pairs.n, &o, &rep,
		    cause) != 0)
			goto out;
	} else if (mapdb_build(mt->db, pairs.v, pairs.n, &o, &rep, cause) != 0)
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
	if (mapbuild_read_pairs(h, mt, &t, &pairs, lines, cause) != 0)
		goto out;
	if (mapbuild_compare(h, mt, pairs.v, pairs.n, &o, &df, cause) != 0)
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
		    (n = mapbuild_outdated(h, &mt, cause)) == -1) {
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
	if (mapbuild_compare(h, &mt, pairs, n, &o, &df, &cause) == 0) {
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
