/*
 * map-pair.h -- one record for a Berkeley DB map: what the table parser
 * (backend/table.h) yields and the builder (db/mapdb.h) stores.
 */
#ifndef SMADM_MAP_PAIR_H
#define SMADM_MAP_PAIR_H

#include <stddef.h>

struct map_pair {
	const char	*key;
	size_t		 keylen;
	const char	*val;
	size_t		 vallen;
	size_t		 line;		/* 1-based line in the text, for messages */
};

#endif
