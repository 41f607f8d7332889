/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Challenge nonces that authenticate themselves: 16 random bytes, the
 * expiry (seconds since 1970, 8 bytes big-endian) and an HMAC-SHA-256 tag
 * over both under the store's nonce key, cut to 16 bytes: 40 bytes, within
 * EAT's 8..64. The Verifier keeps no state for a nonce it issued; it keeps
 * the tags of the nonces it accepted (vf_used_add()) until they expire, so
 * a nonce is accepted once, and only before its expiry, across restarts.
 * Issuing costs no write, and a flood of challenges fills no table.
 */
#ifndef MAMORI_VF_NONCE_H
#define MAMORI_VF_NONCE_H

#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VF_NONCE_LEN    40
#define VF_NONCE_RANDOM 16
#define VF_NONCE_TAG    16                    /* the tag's length */
#define VF_NONCE_TAG_AT (VF_NONCE_RANDOM + 8) /* where it starts */

/* Makes a nonce that expires at expires into out. Errors: those of
 * mm_random() and mm_hmac_*(). */
MM_NODISCARD mm_err vf_nonce_make(const mm_crypto *crypto, const mm_key *mac_key, int64_t expires,
                                  uint8_t out[VF_NONCE_LEN]);

/* Checks that nonce is one this key made (MM_ERR_VERIFY when not: another
 * length, another tag) and that now is before its expiry
 * (MM_ERR_EXPIRED). *expires (may be NULL) gets the expiry of an
 * authentic nonce, expired or not. */
MM_NODISCARD mm_err vf_nonce_check(const mm_crypto *crypto, const mm_key *mac_key, mm_bytes nonce, int64_t now,
                                   int64_t *expires);

/* Imports the store's nonce key (32 bytes) as an HMAC-SHA-256 key. */
MM_NODISCARD mm_err vf_nonce_key(const mm_crypto *crypto, const uint8_t secret[32], mm_key *out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VF_NONCE_H */
