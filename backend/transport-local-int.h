/*
 * transport-local-int.h -- what the files of the local transport share
 * among themselves: transport-local.c (the operations table and the file
 * operations), local-run.c (running programs), local-stream.c (following
 * files) and local-dir.c (reading a directory of many small files).  Not
 * for use outside them; everyone else goes through transport.h.
 */
#ifndef SMADM_TRANSPORT_LOCAL_INT_H
#define SMADM_TRANSPORT_LOCAL_INT_H

#include <sys/types.h>

#include "transport.h"

/* transport-local.c */
const char	*local_kind(mode_t);
int		 local_read_file(struct transport *, const char *,
		     struct buf *, size_t, char **);
long long	 local_now_ms(void);

/* local-run.c */
int		 local_run(struct transport *, const char *const *,
		     const struct run_opts *, struct run_result *, char **);
int		 local_kill(struct transport *, pid_t, int, char **);

/* local-stream.c */
struct tstream	*local_stream_open(struct transport *, const char *, off_t,
		     char **);
int		 local_stream_read(struct tstream *, struct buf *, char **);
int		 local_stream_fd(struct tstream *);
void		 local_stream_close(struct tstream *);

/* local-dir.c */
void		*local_dir_open(struct transport *, const char *,
		     const struct tdir_opts *, char **);
int		 local_dir_read(void *, size_t, tdir_cb, void *, char **);
void		 local_dir_close(void *);

#endif
