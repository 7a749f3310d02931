/*
 * mc-catalog.h -- what an mc can set, read from the installed cf macros.
 *
 * Sources, in order of authority:
 *	CFDIR/m4/proto.m4	_OPTION(Name, `confDEFINE', `default') lines:
 *				the exact define <-> sendmail.cf option mapping
 *	cf.README		descriptions and defaults of the confXXX table
 *				and of the OSTYPE/mailer defines (ALIAS_FILE,
 *				SMTP_MAILER_ARGS...); read gunzipped by running
 *				/bin/gzip -dc through the transport
 *	CFDIR/feature/NAME.m4	the features FEATURE() accepts
 * plus a few defines that cf.README only describes in prose (SMART_HOST,
 * MAIL_HUB, LOCAL_RELAY, LUSER_RELAY).  cf.README is optional: without it
 * proto.m4 still gives every option, just without descriptions.
 */
#ifndef SMADM_MC_CATALOG_H
#define SMADM_MC_CATALOG_H

#include "host.h"
#include "util.h"

struct mc_catalog_entry {
	char	*define;	/* confPRIVACY_FLAGS */
	char	*option;	/* PrivacyOptions, "$n macro", or NULL */
	char	*defval;	/* default as documented, or NULL */
	char	*desc;		/* one paragraph, or NULL */
};

struct mc_catalog {
	struct mc_catalog_entry	*entries;
	size_t			 nentries;
	struct strv		 features;	/* sorted names */
	char			*readme;	/* path read, or NULL */
};

#define MC_CATALOG_README	"/usr/share/doc/sendmail-doc/cf.README.gz"

struct mc_catalog	*mc_catalog_create(void);
void			 mc_catalog_free(struct mc_catalog *);

/* Add what a proto.m4, a cf.README text, a feature listing give. */
void	mc_catalog_add_proto(struct mc_catalog *, const char *, size_t);
void	mc_catalog_add_readme(struct mc_catalog *, const char *, size_t);
void	mc_catalog_add_features(struct mc_catalog *, const struct strv *);

/*
 * Load the catalog of a host: the profile's cf_dir (feature/, m4/proto.m4)
 * and cf.README (CFDIR/README, else MC_CATALOG_README, gunzipped when it
 * ends in .gz).  Fails only when cf_dir cannot be read.
 */
struct mc_catalog	*mc_catalog_load(struct host *, char **);

/* By define name (exact) or cf option name (case-insensitive). */
const struct mc_catalog_entry *mc_catalog_find(const struct mc_catalog *,
			    const char *);
int	mc_catalog_has_feature(const struct mc_catalog *, const char *);
/* Up to max names close to a misspelt one (defines, options, features). */
void	mc_catalog_suggest(const struct mc_catalog *, const char *, int,
	    struct strv *, size_t);

#endif
