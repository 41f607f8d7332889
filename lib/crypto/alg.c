/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Facts about algorithms that every layer shares: hash lengths and which keys
 * fit which algorithms. One table, so a key check cannot differ between the
 * COSE, SUIT and EAT code.
 */
#include "mamori/crypto.h"
#include "mamori/hpke.h"

size_t mm_hash_len(int32_t hash_alg)
{
    switch (hash_alg) {
    case MM_ALG_SHA256:
        return 32;
    case MM_ALG_SHA384:
        return 48;
    case MM_ALG_SHA512:
    case MM_ALG_SHAKE256: /* COSE's SHAKE256 has a 512-bit output (RFC 9054) */
        return 64;
    default:
        return 0;
    }
}

/* What an algorithm needs of a key. */
typedef struct key_need {
    int32_t alg;
    int32_t kty;
    int32_t crv;   /* 0: any curve the kty supports for this use */
    uint32_t bits; /* symmetric: exact size; 0: any (HMAC: minimum below) */
    uint32_t min_bits;
} key_need;

static const key_need needs[] = {
    {MM_ALG_ES256, MM_KTY_EC2, MM_CRV_P256, 0, 0},
    {MM_ALG_ESP256, MM_KTY_EC2, MM_CRV_P256, 0, 0},
    {MM_ALG_ES384, MM_KTY_EC2, MM_CRV_P384, 0, 0},
    {MM_ALG_ESP384, MM_KTY_EC2, MM_CRV_P384, 0, 0},
    {MM_ALG_ES512, MM_KTY_EC2, MM_CRV_P521, 0, 0},
    {MM_ALG_ESP512, MM_KTY_EC2, MM_CRV_P521, 0, 0},
    {MM_ALG_EDDSA, MM_KTY_OKP, 0, 0, 0},
    {MM_ALG_ED25519, MM_KTY_OKP, MM_CRV_ED25519, 0, 0},
    {MM_ALG_PS256, MM_KTY_RSA, 0, 0, 2048},
    {MM_ALG_PS384, MM_KTY_RSA, 0, 0, 2048},
    {MM_ALG_PS512, MM_KTY_RSA, 0, 0, 2048},
    {MM_ALG_HSS_LMS, MM_KTY_HSS_LMS, 0, 0, 0},
    /* HMAC keys: at least as long as the hash output is advised; RFC 9053
     * only requires a key, so accept any length from 128 bits. */
    {MM_ALG_HMAC256_64, MM_KTY_SYMMETRIC, 0, 0, 128},
    {MM_ALG_HMAC256, MM_KTY_SYMMETRIC, 0, 0, 128},
    {MM_ALG_HMAC384, MM_KTY_SYMMETRIC, 0, 0, 128},
    {MM_ALG_HMAC512, MM_KTY_SYMMETRIC, 0, 0, 128},
    {MM_ALG_A128GCM, MM_KTY_SYMMETRIC, 0, 128, 0},
    {MM_ALG_A192GCM, MM_KTY_SYMMETRIC, 0, 192, 0},
    {MM_ALG_A256GCM, MM_KTY_SYMMETRIC, 0, 256, 0},
    {MM_ALG_CHACHA20_POLY1305, MM_KTY_SYMMETRIC, 0, 256, 0},
    {MM_ALG_A128CTR, MM_KTY_SYMMETRIC, 0, 128, 0},
    {MM_ALG_A192CTR, MM_KTY_SYMMETRIC, 0, 192, 0},
    {MM_ALG_A256CTR, MM_KTY_SYMMETRIC, 0, 256, 0},
    {MM_ALG_A128KW, MM_KTY_SYMMETRIC, 0, 128, 0},
    {MM_ALG_A192KW, MM_KTY_SYMMETRIC, 0, 192, 0},
    {MM_ALG_A256KW, MM_KTY_SYMMETRIC, 0, 256, 0},
    {MM_ALG_DIRECT, MM_KTY_SYMMETRIC, 0, 0, 0},
    /* Key agreement: the recipient's key is EC2 (NIST curves) or OKP (X25519, X448). */
    {MM_ALG_ECDH_ES_HKDF256, 0, 0, 0, 0},
    {MM_ALG_ECDH_ES_HKDF512, 0, 0, 0, 0},
    {MM_ALG_ECDH_SS_HKDF256, 0, 0, 0, 0},
    {MM_ALG_ECDH_SS_HKDF512, 0, 0, 0, 0},
    {MM_ALG_ECDH_ES_A128KW, 0, 0, 0, 0},
    {MM_ALG_ECDH_ES_A192KW, 0, 0, 0, 0},
    {MM_ALG_ECDH_ES_A256KW, 0, 0, 0, 0},
    {MM_ALG_ECDH_SS_A128KW, 0, 0, 0, 0},
    {MM_ALG_ECDH_SS_A192KW, 0, 0, 0, 0},
    {MM_ALG_ECDH_SS_A256KW, 0, 0, 0, 0},
};

/* Algorithms that are the same operation under two numbers (RFC 9864). */
static int32_t canonical(int32_t alg)
{
    switch (alg) {
    case MM_ALG_ESP256:
        return MM_ALG_ES256;
    case MM_ALG_ESP384:
        return MM_ALG_ES384;
    case MM_ALG_ESP512:
        return MM_ALG_ES512;
    case MM_ALG_ED25519:
        return MM_ALG_EDDSA;
    default:
        return alg;
    }
}

static bool is_agreement_key(const mm_key *key)
{
    if (key->kty == MM_KTY_EC2) {
        return key->crv == MM_CRV_P256 || key->crv == MM_CRV_P384 || key->crv == MM_CRV_P521;
    }
    return key->kty == MM_KTY_OKP && (key->crv == MM_CRV_X25519 || key->crv == MM_CRV_X448);
}

bool mm_key_allows(const mm_key *key, int32_t alg, bool needs_private)
{
    if (key == NULL || key->crypto == NULL || alg == 0) {
        return false;
    }
    if (needs_private && (key->flags & MM_KEY_PRIVATE) == 0) {
        return false;
    }
    if (key->alg != 0 && canonical(key->alg) != canonical(alg)) {
        return false;
    }
    /* A COSE-HPKE suite needs a key of its KEM (the suites' one table is
     * hpke.h's, so it is not copied into needs[]). */
    const mm_hpke_cose_suite *hpke = mm_hpke_cose_suite_find(alg);
    if (hpke != NULL) {
        int32_t kty = 0;
        int32_t crv = 0;
        return mm_hpke_kem_key_type(hpke->suite.kem, &kty, &crv) == MM_OK && key->kty == kty && key->crv == crv;
    }
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        const key_need *n = &needs[i];
        if (n->alg != alg) {
            continue;
        }
        if (n->kty == 0) {
            return is_agreement_key(key);
        }
        if (key->kty != n->kty || (n->crv != 0 && key->crv != n->crv)) {
            return false;
        }
        if (alg == MM_ALG_EDDSA && key->crv != MM_CRV_ED25519 && key->crv != MM_CRV_ED448) {
            return false;
        }
        if (n->bits != 0 && key->bits != n->bits) {
            return false;
        }
        return key->bits >= n->min_bits;
    }
    return false;
}
