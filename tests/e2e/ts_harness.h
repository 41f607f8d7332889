/* SPDX-License-Identifier: Apache-2.0 */
/* What the end-to-end tests of the Transparency Service share on top of
 * e2e_harness.h (the real binary, the work folder, a service started and
 * stopped): `mamori ts serve` started on a free port, issuer keys and
 * statements made with the library, receipts checked offline. */
#ifndef TS_HARNESS_H
#define TS_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "e2e_harness.h"
#include "mamori/crypto.h"
#include "mamori/scitt.h"

/* The work folder's prefix for the TS tests (e2e_dir()). */
#define TS_E2E_DIR "mm-ts-e2e"

/* Starts `mamori ts serve --config CONFIG --listen 127.0.0.1:0` as "serve"
 * (e2e_serve(): its stderr is serve.err, its ready file "ready"). Returns
 * false when the server exited instead (its exit status in *status). */
bool harness_ts_serve(const char *config, e2e_server *s, int *status);

/* An ES256 key pair for an issuer: the private key, and its public
 * COSE_Key with kid written to NAME.cose in the work folder. */
void harness_issuer_key(const char *name, const char *kid, mm_key *key);

/* A signed statement by key (kid, iss, sub) over payload into buf. */
size_t harness_statement(const mm_key *key, const char *kid, const char *iss, const char *sub, mm_bytes payload,
                         uint8_t *buf, size_t cap);

/* The service's public key from ts/ts-key.cose in the work folder. */
void harness_ts_key(mm_key *key);

/* Verifies receipt for stmt under the service key; the proven tree size
 * and root. */
mm_err harness_check_receipt(const mm_key *ts_key, mm_bytes stmt, mm_bytes receipt, mm_scitt_proven *proven);

#endif
