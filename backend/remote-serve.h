/*
 * remote-serve.h -- the server side of the helper protocol (remote-proto.h):
 * what "smadm remote ..." runs on a host managed over SSH.
 *
 *	remote_serve		"remote serve": requests on in, one after the
 *				other, each answered on out (see remote-proto.h
 *				for the requests and the answers); the
 *				configuration locks it takes are released when
 *				in ends
 *	remote_serve_dir	"remote dir [-p P]... [-s S] [-d D] [-l] [-m MAX]
 *				[-z] [--] DIR": a directory of small files as
 *				frames on out (argv[0] is "dir")
 *	remote_serve_query	"remote query SOCKET TIMEOUT_MS": in to a unix
 *				socket, its answer to out
 *	remote_serve_remove_locked  "remote remove-locked PATH [ALSO...]":
 *				"removed", "busy" or "missing"
 *	remote_serve_follow	"remote follow PATH OFFSET": each line on in
 *				is answered with what the file gained since
 *				(at most RP_FOLLOW_MAX bytes a piece)
 *	remote_serve_lock	"remote lock PATH WAIT_MS COMMAND": "L" once
 *				the configuration lock is held, or "E <who
 *				holds it>", held until in ends
 *
 * These are the only backend functions that write to a stream: the
 * protocol's answers on out, which the caller owns.  Each runs the local
 * transport's own operations.  -1 with *cause is a failure that could not
 * be answered (bad arguments, a broken request stream); failures of the
 * operations themselves go to the other end as "E" answers, and then
 * remote_serve_dir returns -1 and follow and lock return 1.
 */
#ifndef SMADM_REMOTE_SERVE_H
#define SMADM_REMOTE_SERVE_H

#include <stdio.h>

#include "util.h"

int	remote_serve(FILE *, FILE *, char **);
int	remote_serve_dir(FILE *, int, char *const *);
int	remote_serve_query(int, FILE *, const char *, const char *, char **);
int	remote_serve_remove_locked(FILE *, const char *, const struct strv *,
	    char **);
int	remote_serve_follow(FILE *, FILE *, const char *, const char *,
	    char **);
int	remote_serve_lock(int, FILE *, const char *, const char *,
	    const char *, char **);

#endif
