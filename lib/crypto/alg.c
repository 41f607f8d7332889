/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Facts about algorithms that every layer shares: hash lengths and which keys
 * fit which algorithms. One table, so a key check cannot differ between the
 * COSE, SUIT and EAT code.
 */
#include <string.h>

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

/* The group orders of the NIST curves, big-endian at the scalar size. */
static const uint8_t order_p256[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};
static const uint8_t order_p384[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
};
static const uint8_t order_p521[66] = {
    0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfa,
    0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09, 0xa5, 0xd0, 0x3b,
    0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09,
};

bool mm_ec_scalar_valid(int32_t crv, const uint8_t *v, size_t n)
{
    const uint8_t *order = NULL;
    size_t len = 0;
    if (crv == MM_CRV_P256) {
        order = order_p256;
        len = sizeof order_p256;
    } else if (crv == MM_CRV_P384) {
        order = order_p384;
        len = sizeof order_p384;
    } else if (crv == MM_CRV_P521) {
        order = order_p521;
        len = sizeof order_p521;
    }
    if (order == NULL || v == NULL || n != len) {
        return false;
    }
    bool zero = true;
    for (size_t i = 0; i < n; i++) {
        zero = zero && v[i] == 0;
    }
    return !zero && memcmp(v, order, n) < 0;
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
