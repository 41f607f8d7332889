/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys to COSE_Key parts, written into the caller's buffer: x and y (EC2,
 * fixed size), x (OKP), n and e (RSA, shortest form), and with
 * MM_EXPORT_PRIVATE d or k for extractable keys. A symmetric key is all
 * secret, so it exports only with MM_EXPORT_PRIVATE (as COSE_Key encoding
 * refuses it otherwise).
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include "internal.h"

/* Writes bn as a size-byte big-endian number at buf (size 0: shortest). */
static mm_err put_bn(EVP_PKEY *pkey, const char *name, size_t size, uint8_t *buf, size_t cap, mm_bytes *view)
{
    BIGNUM *bn = NULL;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) {
        return MM_ERR_PLATFORM;
    }
    size_t n = size != 0 ? size : (size_t)BN_num_bytes(bn);
    mm_err e = MM_OK;
    if (n > cap) {
        e = MM_ERR_BUFFER_TOO_SMALL;
    } else if (BN_bn2binpad(bn, buf, (int)n) != (int)n) {
        e = MM_ERR_PLATFORM;
    } else {
        *view = mm_bytes_make(buf, n);
    }
    BN_clear_free(bn);
    return e;
}

static mm_err export_ec2(EVP_PKEY *pkey, size_t size, bool priv, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    if (cap < (priv ? 3 : 2) * size) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    mm_err e = put_bn(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size, buf, cap, &parts->x);
    if (e == MM_OK) {
        e = put_bn(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size, buf + size, cap - size, &parts->y);
    }
    if (e == MM_OK && priv) {
        e = put_bn(pkey, OSSL_PKEY_PARAM_PRIV_KEY, size, buf + 2 * size, cap - 2 * size, &parts->d);
    }
    return e;
}

static mm_err export_okp(EVP_PKEY *pkey, size_t size, bool priv, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    if (cap < (priv ? 2 : 1) * size) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    size_t n = size;
    if (EVP_PKEY_get_raw_public_key(pkey, buf, &n) != 1 || n != size) {
        return MM_ERR_PLATFORM;
    }
    parts->x = mm_bytes_make(buf, n);
    if (priv) {
        if (EVP_PKEY_get_raw_private_key(pkey, buf + size, &n) != 1 || n != size) {
            return MM_ERR_PLATFORM;
        }
        parts->d = mm_bytes_make(buf + size, n);
    }
    return MM_OK;
}

static mm_err export_rsa(EVP_PKEY *pkey, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    mm_err e = put_bn(pkey, OSSL_PKEY_PARAM_RSA_N, 0, buf, cap, &parts->n);
    if (e == MM_OK) {
        e = put_bn(pkey, OSSL_PKEY_PARAM_RSA_E, 0, buf + parts->n.len, cap - parts->n.len, &parts->e);
    }
    return e;
}

static mm_err export_pkey(const mm_key *key, bool priv, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    EVP_PKEY *pkey = mo_pkey(key);
    if (key->kty == MM_KTY_RSA) {
        /* mm_key_parts has no fields for RSA's private parts */
        return priv ? MM_ERR_UNSUPPORTED : export_rsa(pkey, parts, buf, cap);
    }
    const mo_curve *curve = mo_curve_find(key->kty, key->crv);
    if (curve == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (key->kty == MM_KTY_EC2) {
        return export_ec2(pkey, curve->size, priv, parts, buf, cap);
    }
    return export_okp(pkey, curve->size, priv, parts, buf, cap);
}

mm_err mo_key_export(const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    if (!mo_owns(key) || (flags & ~MM_EXPORT_PRIVATE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    bool priv = (flags & MM_EXPORT_PRIVATE) != 0;
    if (priv ? (key->flags & MM_KEY_PRIVATE) == 0 || (key->flags & MM_KEY_EXTRACTABLE) == 0
             : key->kty == MM_KTY_SYMMETRIC) {
        return MM_ERR_KEY_USAGE;
    }
    memset(parts, 0, sizeof *parts);
    parts->kty = key->kty;
    parts->crv = key->crv;
    parts->alg = key->alg;
    mm_err e = MM_OK;
    if (key->kty == MM_KTY_SYMMETRIC) {
        const mo_symkey *k = mo_sym(key);
        if (cap < k->len) {
            e = MM_ERR_BUFFER_TOO_SMALL;
        } else {
            memcpy(buf, k->k, k->len);
            parts->k = mm_bytes_make(buf, k->len);
        }
    } else {
        e = export_pkey(key, priv, parts, buf, cap);
    }
    if (e != MM_OK) {
        if (priv && buf != NULL && cap > 0) {
            mm_wipe(buf, cap);
        }
        memset(parts, 0, sizeof *parts);
    }
    return e;
}
