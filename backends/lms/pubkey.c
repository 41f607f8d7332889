/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS-LMS public keys for hosts: an mm_key that owns its memory, so a tool
 * can import a COSE_Key or a raw public key and release it with
 * mm_key_free() like any other key. (Devices use mm_lms_verifier, in the
 * caller's memory.)
 */
#include <stdlib.h>
#include <string.h>

#include "signer_internal.h"

typedef struct ls_pubkey {
    mm_crypto crypto; /* user is the struct itself */
    const mm_crypto *hash;
    size_t len;
    uint8_t pub[MM_LMS_PUB_MAX];
} ls_pubkey;

static const mm_crypto_ops pubkey_ops;

static ls_pubkey *pubkey_of(void *user, const mm_key *key)
{
    return key != NULL && key->crypto != NULL && key->crypto->ops == &pubkey_ops && key->handle == user ? user : NULL;
}

static mm_err pk_verify(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    const ls_pubkey *k = pubkey_of(user, key);
    if (k == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return lms_key_verify(k->hash, mm_bytes_make(k->pub, k->len), alg, flags, data, sig);
}

static mm_err pk_export(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    const ls_pubkey *k = pubkey_of(user, key);
    if (k == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return lms_key_export(mm_bytes_make(k->pub, k->len), flags, parts, buf, cap);
}

static void pk_free(void *user, mm_key *key)
{
    ls_pubkey *k = pubkey_of(user, key);
    if (k != NULL) {
        mm_wipe(k, sizeof *k);
        free(k);
    }
}

static const mm_crypto_ops pubkey_ops = {
    .version = MM_CRYPTO_OPS_V1,
    .name = "lms-public",
    .verify = pk_verify,
    .key_export = pk_export,
    .key_free = pk_free,
};

mm_err mm_lms_public_key(const mm_crypto *hash, mm_bytes pub, mm_key *key)
{
    if (hash == NULL || key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(key, 0, sizeof *key);
    mm_lms_info info;
    mm_err e = mm_lms_pub_decode(pub, 0, &info);
    if (e != MM_OK) {
        return e;
    }
    ls_pubkey *k = calloc(1, sizeof *k);
    if (k == NULL) {
        return MM_ERR_PLATFORM;
    }
    k->crypto.ops = &pubkey_ops;
    k->crypto.user = k;
    k->hash = hash;
    k->len = pub.len;
    memcpy(k->pub, pub.ptr, pub.len);
    key->crypto = &k->crypto;
    key->handle = k;
    key->alg = MM_ALG_HSS_LMS;
    key->kty = MM_KTY_HSS_LMS;
    return MM_OK;
}
