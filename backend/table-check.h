/*
 * table-check.h -- shared pieces of the table checks (table-check.c,
 * table-access.c).  Not part of the public interface: see table.h.
 */
#ifndef SMADM_TABLE_CHECK_H
#define SMADM_TABLE_CHECK_H

#include <stdint.h>

#include "table.h"

/* Append "FILE:LINE: [warning: ]message" for 0-based line index. */
void	tcheck_diag(struct table_diags *, const struct table *,
	    enum table_severity, size_t, const char *, ...)
	    printflike(5, 6);

/* ASCII case-insensitive comparisons of counted strings. */
int	tcheck_eq(const char *, size_t, const char *);
int	tcheck_prefix(const char *, size_t, const char *);

/*
 * Keys as the builder folds them (ASCII, without case) for finding equal
 * ones by hashing: equal like strncasecmp() in the C locale over equal
 * lengths, where a NUL byte ends the comparison; the hash agrees with it.
 */
int		tcheck_same(const char *, size_t, const char *, size_t);
uint32_t	tcheck_hash(const char *, size_t);

/*
 * Validators.  Each returns 1 when s (len bytes) is well formed, else 0
 * and, when why is not NULL, a heap message saying what is wrong.
 */
/* Host or domain name: LDH labels (also "_" and 8-bit bytes, for IDNs
 * written in UTF-8), 1..63 bytes each, no empty label. */
int	tcheck_domain(const char *, size_t, char **);
/* 1 to 4 decimal octets ("10", "192.168.1"); *noctets if not NULL. */
int	tcheck_ipv4(const char *, size_t, int *);
/* Digits and dots only: looks like an IPv4 address or prefix. */
int	tcheck_numeric(const char *, size_t);
/* IPv6 address or prefix after "IPv6:" (groups of hex, one "::"). */
int	tcheck_ipv6(const char *, size_t, int *);
/* "[1.2.3.4]" or "[IPv6:...]". */
int	tcheck_literal(const char *, size_t);
/* Local part of an address: an atom run or a quoted string. */
int	tcheck_localpart(const char *, size_t, char **);
/* user@domain, with a domain or address literal. */
int	tcheck_address(const char *, size_t, char **);
/* RFC 3463 status code D.S.N with D in 2, 4, 5. */
int	tcheck_dsn(const char *, size_t);
/* "error:..." right-hand side of mailertable and virtusertable. */
int	tcheck_error_rhs(const char *, size_t, char **);

/* Length of a map value as sendmail reads it: no CR, no trailing blanks. */
size_t	tcheck_vlen(const struct table *, const struct table_entry *);

/* The access map's rules (table-access.c). */
void	tcheck_access(const struct table *, struct table_diags *);

#endif
