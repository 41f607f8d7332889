/* SPDX-License-Identifier: Apache-2.0 */
/* What the end-to-end tests of the Transparency Service share: running the
 * real mamori binary, starting `mamori ts serve` on a free port and
 * stopping or killing it, statements made with the library, receipts
 * checked offline. */
#ifndef TS_HARNESS_H
#define TS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mamori/crypto.h"
#include "mamori/scitt.h"

#ifndef MM_TEST_MAMORI
#error "MM_TEST_MAMORI: path of the mamori binary"
#endif

/* A work folder under /tmp, made once (harness_dir()). */
const char *harness_dir(void);

/* dir/name into out. */
void harness_path(const char *name, char *out, size_t cap);

/* Writes a file of the work folder. */
void harness_write(const char *name, const void *data, size_t len);

/* Runs mamori with args (NULL-terminated, without the program) in the work
 * folder; its stdout and stderr go to dir/NAME.out and dir/NAME.err.
 * Returns its exit status (-1 when killed). */
int harness_run(const char *name, const char *const *args);

/* True when dir/NAME.err contains text. */
bool harness_err_has(const char *name, const char *text);

/* A running `mamori ts serve`. */
typedef struct harness_server {
    pid_t pid;
    char url[128];
} harness_server;

/* Starts `mamori ts serve --config CONFIG --listen 127.0.0.1:0` and waits
 * (up to 30 s) for its ready file. Returns false when the server exited
 * instead (its exit status in *status); its stderr is dir/serve.err. */
bool harness_serve(const char *config, harness_server *s, int *status);

/* SIGTERM and wait: the server's exit status. */
int harness_stop(harness_server *s);

/* SIGKILL and wait. */
void harness_kill(harness_server *s);

/* An ES256 key pair for an issuer: the private key, and its public
 * COSE_Key with kid written to dir/NAME.cose. */
void harness_issuer_key(const char *name, const char *kid, mm_key *key);

/* A signed statement by key (kid, iss, sub) over payload into buf. */
size_t harness_statement(const mm_key *key, const char *kid, const char *iss, const char *sub, mm_bytes payload,
                         uint8_t *buf, size_t cap);

/* The service's public key from dir/ts/ts-key.cose. */
void harness_ts_key(mm_key *key);

/* Verifies receipt for stmt under the service key; the proven tree size
 * and root. */
mm_err harness_check_receipt(const mm_key *ts_key, mm_bytes stmt, mm_bytes receipt, mm_scitt_proven *proven);

#endif
