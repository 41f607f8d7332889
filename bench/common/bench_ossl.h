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

#include "mamori/crypto.h"

/* The public half of key alone, read back from its SubjectPublicKeyInfo,
 * as a verifier has it. EVP_PKEY_free() it. */
EVP_PKEY *bench_public_half(EVP_PKEY *key);

/* mamori's private key: the PEM OpenSSL writes for priv, read by mamori
 * (alg: the algorithm to pin, or 0). */
void bench_import_private(EVP_PKEY *priv, int32_t alg, mm_key *out);

#endif
