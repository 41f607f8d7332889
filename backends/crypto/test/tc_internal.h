/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the deterministic test backend, shared by its source files:
 * SHA-2 and HMAC (the one real primitive it has), the keyed derivations every
 * fake primitive is built from, and the key-slot helpers.
 *
 * Streaming states are plain structs so they can be copied in and out of a
 * caller's mm_crypto_ctx with memcpy (no aliasing tricks, no pointers kept).
 */
#ifndef MAMORI_TC_INTERNAL_H
#define MAMORI_TC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/crypto_test.h"

/* SHA-256, SHA-384 or SHA-512 (FIPS 180-4), one struct for all three: SHA-256
 * keeps its 32-bit words in the low halves of h. */
typedef struct mm_tc_sha {
    uint64_t h[8];
    uint64_t total; /* bytes absorbed so far */
    uint8_t buf[128];
    uint32_t fill;    /* bytes waiting in buf */
    uint32_t block;   /* 64 (SHA-256) or 128 (SHA-384/512) */
    uint32_t out_len; /* 32, 48 or 64 */
    uint32_t unused;
} mm_tc_sha;

/* Starts a hash; false when alg is not MM_ALG_SHA256/384/512. */
bool mm_tc_sha_init(mm_tc_sha *s, int32_t alg);
void mm_tc_sha_update(mm_tc_sha *s, const uint8_t *p, size_t n);
/* Writes the digest, wipes the state and returns the digest length. */
size_t mm_tc_sha_final(mm_tc_sha *s, uint8_t out[64]);

/* The SHA-256 compression function (the contract's sha256_compress). */
void mm_tc_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t n_blocks);

/* SHAKE256 (FIPS 202): the Keccak state and a block of input waiting. */
#define MM_TC_SHAKE256_RATE 136
typedef struct mm_tc_shake {
    uint64_t a[25];
    uint8_t buf[MM_TC_SHAKE256_RATE];
    uint32_t fill;
    uint32_t unused;
} mm_tc_shake;

void mm_tc_shake256_init(mm_tc_shake *s);
void mm_tc_shake256_update(mm_tc_shake *s, const uint8_t *p, size_t n);
/* Writes len bytes of output and wipes the state. */
void mm_tc_shake256_final(mm_tc_shake *s, uint8_t *out, size_t len);

/* HMAC (RFC 2104) over one of the SHA-2 hashes: the inner state after the
 * ipad block and the outer state after the opad block. */
typedef struct mm_tc_hmac {
    mm_tc_sha inner;
    mm_tc_sha outer;
} mm_tc_hmac;

/* Starts an HMAC; false when alg is not a SHA-2 id. Any key length. */
bool mm_tc_hmac_init(mm_tc_hmac *m, int32_t alg, const uint8_t *key, size_t key_len);
void mm_tc_hmac_update(mm_tc_hmac *m, const uint8_t *p, size_t n);
/* Writes the MAC, wipes the state and returns the MAC length. */
size_t mm_tc_hmac_final(mm_tc_hmac *m, uint8_t out[64]);

/*
 * Keyed derivations. Every fake primitive is HMAC-SHA-512 over a label and
 * length-prefixed items (so no two tuples collide), giving a 64-byte PRK,
 * stretched when needed by a counter-mode stream of HMAC-SHA-512 blocks.
 */
#define MM_TC_PRK_LEN 64

/* Starts HMAC-SHA-512 keyed by key and absorbs the label (a C string). */
void mm_tc_prf_begin(mm_tc_hmac *m, const uint8_t *key, size_t key_len, const char *label);
/* Absorbs one item: its 8-byte big-endian length, then its bytes. */
void mm_tc_prf_item(mm_tc_hmac *m, const uint8_t *p, size_t n);
/* Absorbs an integer (a COSE id, a size) as an 8-byte two's-complement item. */
void mm_tc_prf_int(mm_tc_hmac *m, int64_t v);
/* Ends the derivation: 64 bytes. */
void mm_tc_prf_end(mm_tc_hmac *m, uint8_t prk[MM_TC_PRK_LEN]);

/* XORs len bytes of the stream named by prk, starting at byte offset, into
 * buf. Block j of the stream is HMAC-SHA-512(prk, be64(j)), so any split of
 * the same range gives the same bytes. */
void mm_tc_stream_xor(const uint8_t prk[MM_TC_PRK_LEN], uint64_t offset, uint8_t *buf, size_t len);

/*
 * Keys.
 */

/* Slot flags (mm_crypto_test_slot.flags). */
#define MM_TC_SLOT_PRIVATE     0x1u /* material is d, a seed or k */
#define MM_TC_SLOT_EXTRACTABLE 0x2u /* MM_KEY_EXTRACTABLE was asked for */
#define MM_TC_SLOT_DIGEST      0x4u /* RSA public: only the identity is kept */

/* Facts about a curve as the test backend models it. */
typedef struct mm_tc_curve {
    int32_t kty;
    int32_t crv;
    uint16_t d_len;   /* private scalar or seed */
    uint16_t pub_len; /* x || y for EC2, x for OKP */
    uint16_t sig_len; /* signature length, 0 when the curve cannot sign */
    uint16_t ss_len;  /* ECDH secret length, 0 when the curve cannot agree */
    uint8_t top_mask; /* mask of the first byte of each coordinate (P-521: 0x01) */
} mm_tc_curve;

/* The curve entry for kty/crv, or NULL. */
const mm_tc_curve *mm_tc_curve_find(int32_t kty, int32_t crv);

/* Finds the live slot a key of this instance points to (*slot, NULL on
 * failure). Errors: MM_ERR_UNSUPPORTED for another instance's or backend's
 * key, MM_ERR_INVALID_ARG for a freed or forged handle. */
mm_err mm_tc_slot_of(mm_crypto_test *t, const mm_key *key, mm_crypto_test_slot **slot);

/* Writes the public form of an asymmetric key: x || y (EC2), x (OKP) or, for
 * RSA, n (e is always 65537 when derived). Returns its length, 0 for a
 * symmetric key or an RSA key kept as a digest. buf holds MM_SIG_MAX bytes. */
size_t mm_tc_public_of(const mm_crypto_test_slot *slot, uint8_t buf[MM_SIG_MAX]);

/* The 64-byte identity that ties a private key to its public key: derived
 * from the public form, so a key pair (and a public key imported from the
 * exported parts) share it. False for a symmetric key. */
bool mm_tc_identity(const mm_crypto_test_slot *slot, uint8_t id[MM_TC_PRK_LEN]);

/* Deterministic "random" bytes from the instance's counter stream. */
void mm_tc_random(mm_crypto_test *t, uint8_t *out, size_t len);

/* The key entries of the ops table (keys.c). */
mm_err mm_tc_key_generate(void *user, int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out);
mm_err mm_tc_key_import(void *user, const mm_key_parts *parts, unsigned flags, mm_key *out);
mm_err mm_tc_key_export(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap);
void mm_tc_key_free(void *user, mm_key *key);

#endif /* MAMORI_TC_INTERNAL_H */
