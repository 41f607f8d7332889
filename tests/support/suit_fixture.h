/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed SUIT envelopes for tests, fuzz seeds and benchmarks: the
 * authentication wrapper (the SHA-256 digest of the manifest and one
 * detached COSE_Sign1 over it) around a manifest given as bytes, and more
 * envelope members given in diagnostic notation. No test framework: every
 * function returns an mm_err.
 */
#ifndef MM_SUIT_FIXTURE_H
#define MM_SUIT_FIXTURE_H

#include "mamori/cose.h"

/* Writes the tagged envelope {2: wrapper, 3: << manifest >>, extra_edn}
 * into a new heap buffer (*out, *len). extra_edn: more members, "key:
 * value, ..." in deterministic key order, or NULL. */
mm_err suit_fixture_envelope(const mm_crypto *c, const mm_key *priv, int32_t alg, mm_bytes manifest,
                             const char *extra_edn, uint8_t **out, size_t *len);

/* Encodes edn into a new heap buffer. *err_off: where it is wrong. */
mm_err suit_fixture_edn(const char *edn, uint8_t **out, size_t *len, size_t *err_off);

#endif
