/*
 * table-merge.c -- one table's entries added to another's text without
 * touching a line of it (table.h, table_merge): what the wizard does to a
 * host's access map and local-host-names.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "table.h"

void
table_merge_init(struct table_merge *tm)
{
	tm->kept = tm->added = tm->same = 0;
	strv_init(&tm->notes);
}

void
table_merge_release(struct table_merge *tm)
{
	strv_release(&tm->notes);
}

/* The value without the blanks and the CR that makemap keeps after it. */
static size_t
value_len(const char *v, size_t len)
{
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
	    v[len - 1] == '\r'))
		len--;
	return len;
}

/*
 * Do the two values say the same?  Access actions are read by sendmail's
 * rulesets, whose token matching ignores case (RELAY, relay); the other
 * maps' values are compared as written.
 */
static int
value_same(const struct table *t, const struct table_entry *a,
    const struct table_entry *b)
{
	size_t	la = value_len(a->value, a->valuelen);
	size_t	lb = value_len(b->value, b->valuelen);

	if (la != lb)
		return 0;
	if (strcmp(t->def->name, "access") == 0)
		return strncasecmp(a->value, b->value, la) == 0;
	return memcmp(a->value, b->value, la) == 0;
}

/* Has key been seen before?  Remembers it if not. */
static int
noted(struct strv *seen, const char *key)
{
	size_t	i;

	for (i = 0; i < seen->n; i++)
		if (strcasecmp(seen->v[i], key) == 0)
			return 1;
	strv_push(seen, key);
	return 0;
}

/* Append one comment line (the wizard's header) to t, re-read. */
static struct table *
add_comment(struct table *t, const char *comment, size_t len)
{
	struct buf	 b = BUF_INIT;
	struct table	*nt;
	const char	*eol = t->eol == TABLE_EOL_CRLF ? "\r\n" : "\n";

	table_serialize(t, &b);
	if (b.len != 0 && b.data[b.len - 1] != '\n')
		buf_addstr(&b, eol);
	buf_add(&b, comment, len);
	buf_addstr(&b, eol);
	nt = table_parse_buf(t->def, t->file, &b);
	buf_release(&b);
	table_free(t);
	return nt;
}

int
table_merge(struct table **tp, const struct table *w, const char *who,
    struct table_merge *tm, char **cause)
{
	struct table		*t = *tp;
	struct strv		 seen = STRV_INIT;
	const struct table_entry *we, *te;
	const struct table_line	*first;
	size_t			 i, at;
	char			*value, *why = NULL;
	int			 commented = 0, rc = -1;

	for (i = 0; i < t->nentries; i++)
		if (!t->entries[i].bad)
			tm->kept++;
	first = w->nlines != 0 ? &w->lines[0] : NULL;
	/* A new file says where it came from even with no entries yet. */
	if (t->nlines == 0 && first != NULL &&
	    first->type == TABLE_LINE_COMMENT) {
		t = add_comment(t, first->text, first->len);
		commented = 1;
	}
	for (i = 0; i < w->nentries; i++) {
		we = &w->entries[i];
		if (we->bad)
			continue;
		if ((at = table_find(t, we->key)) != TABLE_NONE) {
			te = &t->entries[at];
			tm->same++;
			if (t->def->kind != TABLE_MAP || noted(&seen, te->key))
				continue;
			if (te->bad || te->value == NULL)
				strv_pushf(&tm->notes, "%s:%zu: %s is there on "
				    "a line makemap rejects (see \"map "
				    "check\"): kept as it is; %s would write "
				    "\"%.*s\"", t->file, te->line + 1, te->key,
				    who, (int)value_len(we->value,
				    we->valuelen), we->value);
			else if (!value_same(t, te, we))
				strv_pushf(&tm->notes, "%s:%zu: %s is already "
				    "there with \"%.*s\": kept (%s would "
				    "write \"%.*s\")", t->file, te->line + 1,
				    te->key, (int)value_len(te->value,
				    te->valuelen), te->value, who,
				    (int)value_len(we->value, we->valuelen),
				    we->value);
			continue;
		}
		if (!commented && first != NULL &&
		    first->type == TABLE_LINE_COMMENT) {
			t = add_comment(t, first->text, first->len);
			commented = 1;
		}
		/* access: an untagged key the new tagged one overrides. */
		if (strcmp(t->def->name, "access") == 0 &&
		    strncasecmp(we->key, "Connect:", 8) == 0 &&
		    (at = table_find(t, we->key + 8)) != TABLE_NONE &&
		    (te = &t->entries[at])->value != NULL &&
		    !value_same(t, te, we))
			strv_pushf(&tm->notes, "%s:%zu: %s \"%.*s\" (untagged) "
			    "stays, but sendmail looks up the tagged key "
			    "first: for connections the added %s \"%.*s\" "
			    "wins", t->file, te->line + 1, te->key,
			    (int)value_len(te->value, te->valuelen), te->value,
			    we->key, (int)value_len(we->value, we->valuelen),
			    we->value);
		value = t->def->kind == TABLE_CLASS ? NULL :
		    xstrndup(we->value, value_len(we->value, we->valuelen));
		if (table_set(t, we->key, value != NULL ? value : "",
		    &why) != 0) {
			*cause = xasprintf("%s: %s", t->file, why);
			free(why);
			free(value);
			goto out;
		}
		free(value);
		tm->added++;
	}
	rc = 0;
out:
	*tp = t;
	strv_release(&seen);
	return rc;
}
