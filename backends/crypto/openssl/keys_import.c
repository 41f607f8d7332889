/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys from COSE_Key parts (RFC 9053 7, RFC 8230 4): EC2 from x, y and/or
 * d; OKP from x and/or d; RSA public from n and e; symmetric from k. Sizes
 * must be exact, parts of another key type absent; OpenSSL then checks the
 * point and, when both halves are given, that they belong together. Any
 * refusal of the material itself is MM_ERR_BAD_KEY.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>

#include "internal.h"

/* Uncompressed SEC 1 point: 0x04 || x || y. */
#define POINT_MAX (1 + 2 * MM_EC_COORD_MAX)

static bool has(mm_bytes b) { return b.len > 0; }

/* Builds an EVP_PKEY of type name from params; selection says which half. */
static EVP_PKEY *from_data(const char *name, int selection, OSSL_PARAM *params)
{
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, name, NULL);
    if (c == NULL || EVP_PKEY_fromdata_init(c) != 1 || EVP_PKEY_fromdata(c, &pkey, selection, params) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(c);
    return pkey;
}

/* The public point d * G, for a private key given without x and y. */
static mm_err derive_point(const mo_curve *curve, const BIGNUM *d, uint8_t point[POINT_MAX])
{
    EC_GROUP *group = EC_GROUP_new_by_curve_name(curve->nid);
    EC_POINT *q = group != NULL ? EC_POINT_new(group) : NULL;
    size_t len = 1 + 2 * curve->size;
    bool ok = q != NULL && !BN_is_zero(d) && EC_POINT_mul(group, q, d, NULL, NULL, NULL) == 1 &&
              EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, point, len, NULL) == len;
    EC_POINT_free(q);
    EC_GROUP_free(group);
    return ok ? MM_OK : MM_ERR_BAD_KEY; /* d = 0 (or a multiple of the order) */
}

static mm_err import_ec2(const mm_key_parts *p, unsigned flags, mm_key *out)
{
    const mo_curve *curve = mo_curve_find(MM_KTY_EC2, p->crv);
    if (curve == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool pub = has(p->x) || has(p->y);
    if (has(p->k) || has(p->n) || has(p->e) || (!pub && !has(p->d)) ||
        (pub && (p->x.len != curve->size || p->y.len != curve->size)) || (has(p->d) && p->d.len != curve->size)) {
        return MM_ERR_BAD_KEY;
    }
    uint8_t point[POINT_MAX];
    size_t point_len = 1 + 2 * curve->size;
    BIGNUM *d = has(p->d) ? BN_secure_new() : NULL;
    if (has(p->d) && (d == NULL || BN_bin2bn(p->d.ptr, (int)p->d.len, d) == NULL)) {
        BN_clear_free(d);
        return MM_ERR_PLATFORM;
    }
    mm_err e = MM_OK;
    if (pub) {
        point[0] = 0x04;
        memcpy(point + 1, p->x.ptr, curve->size);
        memcpy(point + 1 + curve->size, p->y.ptr, curve->size);
    } else {
        e = derive_point(curve, d, point);
    }
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    if (e == MM_OK) {
        bool ok = bld != NULL &&
                  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve->name, 0) == 1 &&
                  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, point_len) == 1 &&
                  (d == NULL || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) == 1) &&
                  (params = OSSL_PARAM_BLD_to_param(bld)) != NULL;
        e = ok ? MM_OK : MM_ERR_PLATFORM;
    }
    EVP_PKEY *pkey = NULL;
    if (e == MM_OK) {
        /* fromdata refuses a point that is not on the curve */
        pkey = from_data("EC", d != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params);
        e = pkey != NULL ? MM_OK : MM_ERR_BAD_KEY;
    }
    OSSL_PARAM_free(params); /* the builder copied d into secure memory, and clears it */
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    if (e != MM_OK) {
        return e;
    }
    return mo_key_from_pkey(pkey, p->alg, (has(p->d) ? MM_KEY_PRIVATE : 0) | flags, out);
}

static mm_err import_okp(const mm_key_parts *p, unsigned flags, mm_key *out)
{
    const mo_curve *curve = mo_curve_find(MM_KTY_OKP, p->crv);
    if (curve == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    if (has(p->y) || has(p->k) || has(p->n) || has(p->e) || (!has(p->x) && !has(p->d)) ||
        (has(p->x) && p->x.len != curve->size) || (has(p->d) && p->d.len != curve->size)) {
        return MM_ERR_BAD_KEY;
    }
    EVP_PKEY *pkey = NULL;
    if (!has(p->d)) {
        pkey = EVP_PKEY_new_raw_public_key_ex(NULL, curve->name, NULL, p->x.ptr, p->x.len);
        return pkey != NULL ? mo_key_from_pkey(pkey, p->alg, flags, out) : MM_ERR_BAD_KEY;
    }
    pkey = EVP_PKEY_new_raw_private_key_ex(NULL, curve->name, NULL, p->d.ptr, p->d.len);
    if (pkey == NULL) {
        return MM_ERR_BAD_KEY;
    }
    if (has(p->x)) {
        /* OpenSSL derives the public key from d: the given one must match. */
        uint8_t x[MM_EC_COORD_MAX];
        size_t x_len = sizeof x;
        if (EVP_PKEY_get_raw_public_key(pkey, x, &x_len) != 1 || x_len != p->x.len ||
            CRYPTO_memcmp(x, p->x.ptr, x_len) != 0) {
            EVP_PKEY_free(pkey);
            return MM_ERR_BAD_KEY;
        }
    }
    return mo_key_from_pkey(pkey, p->alg, MM_KEY_PRIVATE | flags, out);
}

/* An unsigned big-endian integer in its shortest form, as RFC 8230 4 asks. */
static bool minimal_uint(mm_bytes b) { return b.len > 0 && b.ptr[0] != 0; }

static mm_err import_rsa(const mm_key_parts *p, unsigned flags, mm_key *out)
{
    if (has(p->d)) {
        return MM_ERR_UNSUPPORTED; /* RSA's other private parts are not in mm_key_parts: use PEM */
    }
    if (p->crv != 0 || has(p->x) || has(p->y) || has(p->k) || !minimal_uint(p->n) || !minimal_uint(p->e)) {
        return MM_ERR_BAD_KEY;
    }
    if (p->n.len > MO_RSA_MAX_BITS / 8) {
        return MM_ERR_UNSUPPORTED;
    }
    BIGNUM *n = BN_bin2bn(p->n.ptr, (int)p->n.len, NULL);
    BIGNUM *e = BN_bin2bn(p->e.ptr, (int)p->e.len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    bool ok = n != NULL && e != NULL && bld != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) == 1 &&
              OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) == 1 &&
              (params = OSSL_PARAM_BLD_to_param(bld)) != NULL;
    EVP_PKEY *pkey = ok ? from_data("RSA", EVP_PKEY_PUBLIC_KEY, params) : NULL;
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    if (!ok) {
        return MM_ERR_PLATFORM;
    }
    if (pkey == NULL) {
        return MM_ERR_BAD_KEY;
    }
    return mo_key_from_pkey(pkey, p->alg, flags, out);
}

static mm_err import_symmetric(const mm_key_parts *p, unsigned flags, mm_key *out)
{
    if (p->crv != 0 || has(p->x) || has(p->y) || has(p->d) || has(p->n) || has(p->e)) {
        return MM_ERR_BAD_KEY;
    }
    return mo_key_from_bytes(p->k.ptr, p->k.len, p->alg, flags, out);
}

mm_err mo_key_import(const mm_key_parts *parts, unsigned flags, mm_key *out)
{
    if ((flags & ~MM_KEY_EXTRACTABLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    switch (parts->kty) {
    case MM_KTY_EC2:
        return import_ec2(parts, flags, out);
    case MM_KTY_OKP:
        return import_okp(parts, flags, out);
    case MM_KTY_RSA:
        return import_rsa(parts, flags, out);
    case MM_KTY_SYMMETRIC:
        return import_symmetric(parts, flags, out);
    default:
        return MM_ERR_UNSUPPORTED;
    }
}
