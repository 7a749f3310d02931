/*
 * test-hostname.c -- hostname_hosts_find(): what sendmail finds for its
 * own name in a hosts file, as glibc's files backend gives it (the first
 * line listing the name; a dotted canonical name or alias qualifies it).
 */
#include <stdlib.h>
#include <string.h>

#include "../../backend/hostname.h"
#include "test.h"

static size_t
find(const char *text, const char *name, char **fqdn)
{
	return hostname_hosts_find(text, strlen(text), name, fqdn);
}

TEST(hostname_hosts_find_stock_lines)
{
	char	*fqdn;

	/* Debian's installer without a domain: listed, not qualified. */
	CHECK(find("127.0.0.1\tlocalhost\n127.0.1.1\tvm\n", "vm", &fqdn) ==
	    2);
	CHECK(fqdn == NULL);
	/* With a domain: the canonical name first. */
	CHECK(find("127.0.0.1 localhost\n127.0.1.1 vm.example.org vm\n",
	    "VM", &fqdn) == 2);
	CHECK_STR(fqdn, "vm.example.org");
	free(fqdn);
	/* A dotted alias is enough, as sendmail looks through them. */
	CHECK(find("10.0.0.5  vm  vm.lan\n", "vm", &fqdn) == 1);
	CHECK_STR(fqdn, "vm.lan");
	free(fqdn);
	/* The first line that lists it decides. */
	CHECK(find("127.0.0.1 vm\n127.0.1.1 vm.example.org vm\n", "vm",
	    &fqdn) == 1);
	CHECK(fqdn == NULL);
}

TEST(hostname_hosts_find_not_listed)
{
	char	*fqdn;

	CHECK(find("", "vm", &fqdn) == 0 && fqdn == NULL);
	/* Comments, the address column and parts of names do not count. */
	CHECK(find("# 127.0.1.1 vm.example.org vm\nvm 10.0.0.1\n"
	    "127.0.0.1 vmhost vm2\n127.0.0.1 localhost # vm\n", "vm",
	    &fqdn) == 0);
	CHECK(fqdn == NULL);
	/* No final newline, CR LF line ends. */
	CHECK(find("127.0.0.1 localhost\r\n127.0.1.1 vm.x.org vm", "vm",
	    &fqdn) == 2);
	CHECK_STR(fqdn, "vm.x.org");
	free(fqdn);
}
