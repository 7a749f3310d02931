/*
 * templates.c -- find the template directory (see templates.h).
 *
 * Templates are read on the machine smadm runs on, whatever host it
 * manages, so this looks at the local file system directly.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "templates.h"
#include "util.h"

char *
templates_dir(const char *self)
{
	struct stat	 st;
	const char	*env;
	char		*dir, *slash;

	if ((env = getenv("SMADM_TEMPLATES")) != NULL && *env != '\0')
		return xstrdup(env);
	if (self != NULL && (slash = strrchr(self, '/')) != NULL) {
		dir = xasprintf("%.*s/templates", (int)(slash - self), self);
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			return dir;
		free(dir);
	}
	return xstrdup(SMADM_TEMPLATE_DIR);
}
