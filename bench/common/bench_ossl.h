/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One key on both sides of a benchmark against bare OpenSSL: the public half
 * the bare side verifies with, and mamori's copy of the private key. Both
 * die (bench_die) on failure.
 */
#ifndef MM_BENCH_OSSL_H
#define MM_BENCH_OSSL_H

#include <stdint.h>

#include <openssl/evp.h>

#include "mamori/cose.h"
#include "mamori/crypto.h"

/* The public half of key alone, read back from its SubjectPublicKeyInfo,
 * as a verifier has it. EVP_PKEY_free() it. */
EVP_PKEY *bench_public_half(EVP_PKEY *key);

/* mamori's private key: the PEM OpenSSL writes for priv, read by mamori
 * (alg: the algorithm to pin, or 0). */
void bench_import_private(EVP_PKEY *priv, int32_t alg, mm_key *out);

/*
 * The bare side of an ES256 COSE_Sign1: what OpenSSL is given to verify the
 * same signature over the same bytes. Built once, before timing.
 */

/* Opens msg, a COSE_Sign1, tagged 61 (a CWT) or not. */
void bench_open_sign1(mm_bytes msg, mm_cose_sign1 *out);

/* The Sig_structure ["Signature1", protected, h'', payload] into
 * out[0..cap); its length. */
size_t bench_sig_structure1(mm_bytes protected_bytes, mm_bytes payload, uint8_t *out, size_t cap);

/* A P-256 signature in COSE's form (r || s, 64 bytes) as the DER OpenSSL
 * takes, into der[0..cap); its length. */
size_t bench_es256_der(const uint8_t rs[64], uint8_t *der, size_t cap);

/* The public half of mamori's key as libcrypto has it (its
 * SubjectPublicKeyInfo read back). EVP_PKEY_free() it. */
EVP_PKEY *bench_libcrypto_public(const mm_key *key);

/* The least one ECDSA operation costs with OpenSSL, the bound no wrapper
 * can beat: the message's digest in one call (the digest fetched once),
 * then EVP_PKEY_sign or EVP_PKEY_verify on a context initialised once for
 * the key. One per thread. */
typedef struct bench_ecdsa {
    EVP_PKEY_CTX *ctx;
    EVP_MD *md;
} bench_ecdsa;

/* Prepares b for key (op 's' to sign, 'v' to verify) with digest ("SHA256"). */
void bench_ecdsa_init(bench_ecdsa *b, EVP_PKEY *key, const char *digest, char op);

/* 1 when the DER signature over msg verifies, else 0. */
int bench_ecdsa_verify(const bench_ecdsa *b, const uint8_t *der, size_t der_len, const uint8_t *msg, size_t len);

/* Signs msg: a DER signature in der (*der_len: its room, then its length);
 * 1 on success. */
int bench_ecdsa_sign(const bench_ecdsa *b, uint8_t *der, size_t *der_len, const uint8_t *msg, size_t len);

void bench_ecdsa_free(bench_ecdsa *b);

#endif
