/*
 * ns.c -- enter a sandbox's private mount namespace (see ns.h).
 *
 * /dev/log cannot simply be bind-mounted when the machine has none (many
 * containers and small VMs have no syslog socket at all), so the namespace
 * gets its own /dev: the real one is bind-mounted aside, a tmpfs goes over
 * /dev, every entry of the real /dev is bound back, and /dev/log becomes the
 * sandbox's socket.  Nothing outside the namespace changes.
 */

#include <sys/mount.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ns.h"

static int
ns_bind(const char *from, const char *to, int rec, char **cause)
{
	if (mount(from, to, NULL, MS_BIND | (rec ? MS_REC : 0), NULL) != 0) {
		*cause = xasprintf("mount --bind %s %s: %s", from, to,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
ns_rebuild_dev(const char *ns_dir, const char *sock, char **cause)
{
	char		*old = NULL, *from = NULL, *to = NULL;
	DIR		*d = NULL;
	struct dirent	*de;
	struct stat	 st;
	char		 target[4096];
	ssize_t		 n;
	int		 fd, rc = -1;

	old = xasprintf("%s/olddev", ns_dir);
	if (mkdir(old, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("mkdir %s: %s", old, strerror(errno));
		goto out;
	}
	/* Bound over, never followed: a link there is refused. */
	if (lstat(old, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s: not a directory (a symbolic link?): "
		    "refusing to mount on it", old);
		goto out;
	}
	if (ns_bind("/dev", old, 1, cause) != 0)
		goto out;
	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=755") != 0) {
		*cause = xasprintf("mount tmpfs on /dev: %s", strerror(errno));
		goto out;
	}
	if ((d = opendir(old)) == NULL) {
		*cause = xasprintf("opendir %s: %s", old, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "log") == 0)
			continue;
		free(from);
		free(to);
		from = xasprintf("%s/%s", old, de->d_name);
		to = xasprintf("/dev/%s", de->d_name);
		if (lstat(from, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(from, target, sizeof target - 1);
			if (n < 0)
				continue;
			target[n] = '\0';
			if (symlink(target, to) != 0)
				continue;
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(to, st.st_mode & 07777) != 0 ||
			    ns_bind(from, to, 1, cause) != 0)
				goto fail_entry;
		} else {
			fd = open(to, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
			if (fd == -1)
				goto fail_entry;
			close(fd);
			if (ns_bind(from, to, 0, cause) != 0)
				goto fail_entry;
		}
		continue;
fail_entry:
		/* An entry we cannot rebuild is only fatal for the basics. */
		if (strcmp(de->d_name, "null") == 0 ||
		    strcmp(de->d_name, "urandom") == 0) {
			if (*cause == NULL)
				*cause = xasprintf("rebuilding /dev/%s: %s",
				    de->d_name, strerror(errno));
			goto out;
		}
		free(*cause);
		*cause = NULL;
	}
	fd = open("/dev/log", O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
	if (fd == -1) {
		*cause = xasprintf("create /dev/log: %s", strerror(errno));
		goto out;
	}
	close(fd);
	if (ns_bind(sock, "/dev/log", 0, cause) != 0)
		goto out;
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	free(old);
	free(from);
	free(to);
	return rc;
}

int
ns_enter(const char *ns_dir, char **cause)
{
	static const char *const files[] = {
		"hosts", "nsswitch.conf", "resolv.conf"
	};
	struct stat	 st;
	char		*from, *to, *sock;
	size_t		 i;
	int		 rc;

	if (unshare(CLONE_NEWNS) != 0) {
		*cause = xasprintf("unshare(CLONE_NEWNS): %s%s",
		    strerror(errno), errno == EPERM ?
		    " (the sandbox needs root)" : "");
		return -1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		*cause = xasprintf("make / private: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < nitems(files); i++) {
		from = xasprintf("%s/%s", ns_dir, files[i]);
		to = xasprintf("/etc/%s", files[i]);
		rc = ns_bind(from, to, 0, cause);
		free(from);
		free(to);
		if (rc != 0)
			return -1;
	}
	sock = xasprintf("%s/log.sock", ns_dir);
	rc = 0;
	if (stat(sock, &st) == 0 && S_ISSOCK(st.st_mode))
		rc = ns_rebuild_dev(ns_dir, sock, cause);
	free(sock);
	return rc;
}

static int
ns_write_one(struct transport *t, const char *dir, const char *name,
    const char *text, char **cause)
{
	struct write_opts	 wo;
	char			*path;
	int			 rc;

	write_opts_init(&wo);
	wo.mode = 0644;
	wo.keep_mode = 0;
	path = xasprintf("%s/%s", dir, name);
	rc = transport_write_file(t, path, text, strlen(text), &wo, cause);
	free(path);
	return rc;
}

int
ns_write_files(struct transport *t, const char *ns_dir, const char *fqdn,
    char **cause)
{
	const char	*text;
	char		*host, *dot;
	struct buf	 b = BUF_INIT;
	int		 rc = -1;

	/*
	 * sendmail looks up the machine's own short name (gethostname) and
	 * must find the qualified name beside it, or it sleeps and retries.
	 */
	host = xstrdup(t->name != NULL && *t->name != '\0' ? t->name :
	    "localhost");
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	buf_printf(&b, "# smadm sandbox: names resolve from this file only\n"
	    "127.0.0.1\t%s %s localhost\n"
	    "::1\t%s %s localhost ip6-localhost ip6-loopback\n",
	    fqdn, host, fqdn, host);
	if (ns_write_one(t, ns_dir, "hosts", b.data, cause) != 0)
		goto out;
	text = "# smadm sandbox: no DNS, files only\n"
	    "passwd: files\ngroup: files\nshadow: files\nhosts: files\n"
	    "networks: files\nprotocols: files\nservices: files\n"
	    "aliases: files\n";
	if (ns_write_one(t, ns_dir, "nsswitch.conf", text, cause) != 0)
		goto out;
	text = "# smadm sandbox: DNS queries stay on loopback (nothing answers)\n"
	    "nameserver 127.0.0.1\noptions attempts:1 timeout:1\n";
	if (ns_write_one(t, ns_dir, "resolv.conf", text, cause) != 0)
		goto out;
	rc = 0;
out:
	free(host);
	buf_release(&b);
	return rc;
}
