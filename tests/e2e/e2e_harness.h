/* SPDX-License-Identifier: Apache-2.0 */
/* A harness for end-to-end tests of any mamori service: the real binary as
 * a subprocess in a work folder under /tmp, a service started on a free
 * port of 127.0.0.1 and known by its ready file, stopped with SIGTERM (or
 * killed) with bounded waits. The Transparency Service's tests add their
 * own helpers on top (ts_harness.h). */
#ifndef E2E_HARNESS_H
#define E2E_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef MM_TEST_MAMORI
#error "MM_TEST_MAMORI: path of the mamori binary"
#endif

/* The work folder, made once with prefix (e.g. "mm-vf-e2e"). */
const char *e2e_dir(const char *prefix);

/* dir/name into out. */
void e2e_path(const char *name, char *out, size_t cap);

/* Writes a file of the work folder. */
void e2e_write(const char *name, const void *data, size_t len);

/* A file of the work folder (malloc'ed, NUL-terminated), or NULL. */
uint8_t *e2e_read(const char *name, size_t *len);

/* Runs mamori with args (NULL-terminated, without the program) in the work
 * folder; its stdout and stderr go to NAME.out and NAME.err. Returns its
 * exit status (-1 when killed). */
int e2e_run(const char *name, const char *const *args);

/* True when NAME.out (NAME.err) contains text; prints both otherwise. */
bool e2e_out_has(const char *name, const char *text);
bool e2e_err_has(const char *name, const char *text);

/* A running service. */
typedef struct e2e_server {
    pid_t pid;
    char url[128];
} e2e_server;

/* Starts mamori with args (which must write its URL to the ready file
 * `ready`, a name in the work folder) as NAME, and waits up to 60 s for
 * it. False when the service exited instead (*status: its exit status). */
bool e2e_serve(const char *name, const char *const *args, const char *ready, e2e_server *s, int *status);

/* SIGTERM, then a bounded wait: the exit status. */
int e2e_stop(e2e_server *s);

/* SIGKILL and wait (nothing when not running). */
void e2e_kill(e2e_server *s);

/* Removes the work folder. */
void e2e_cleanup(void);

#endif
