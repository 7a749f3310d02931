/*
 * templates.h -- where smadm's own templates are.
 */
#ifndef SMADM_TEMPLATES_H
#define SMADM_TEMPLATES_H

/*
 * The template directory: $SMADM_TEMPLATES when set; else "templates"
 * beside the running binary (a build tree); else the installed directory
 * chosen at configure time.  self is the binary's absolute path.  The
 * result is heap-allocated.
 */
char	*templates_dir(const char *);

#endif
