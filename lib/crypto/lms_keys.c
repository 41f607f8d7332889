/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS-LMS public keys as mm_key handles: a tiny crypto instance whose only
 * job is to own key slots in the caller's memory and verify with them, so
 * mm_key_import(), mm_verify(), mm_key_export() and mm_key_free() work on
 * HSS-LMS keys like on any other, and COSE needs no special case.
 */
#include "lms_internal.h"

static mm_lms_verifier_slot *slot_of(mm_lms_verifier *v, const mm_key *key)
{
    for (size_t i = 0; i < MM_LMS_VERIFIER_KEYS; i++) {
        if (key->handle == &v->slots[i] && v->slots[i].in_use != 0) {
            return &v->slots[i];
        }
    }
    return NULL;
}

static mm_err lv_import(void *user, const mm_key_parts *parts, unsigned flags, mm_key *out)
{
    mm_lms_verifier *v = user;
    if (parts->kty != MM_KTY_HSS_LMS || parts->d.len != 0 || parts->k.len != 0) {
        return MM_ERR_KEY_USAGE; /* public keys only: signing is the host signer's */
    }
    if ((flags & ~MM_KEY_EXTRACTABLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (parts->alg != 0 && parts->alg != MM_ALG_HSS_LMS) {
        return MM_ERR_KEY_USAGE;
    }
    mm_lms_info info;
    mm_err e = mm_lms_pub_decode(parts->x, 0, &info);
    if (e != MM_OK) {
        return e;
    }
    for (size_t i = 0; i < MM_LMS_VERIFIER_KEYS; i++) {
        mm_lms_verifier_slot *s = &v->slots[i];
        if (s->in_use == 0) {
            memcpy(s->pub, parts->x.ptr, parts->x.len);
            s->len = (uint8_t)parts->x.len;
            s->in_use = 1;
            out->handle = s;
            out->alg = MM_ALG_HSS_LMS;
            out->kty = MM_KTY_HSS_LMS;
            out->crv = 0;
            out->bits = 0;
            out->flags = 0;
            return MM_OK;
        }
    }
    return MM_ERR_TOO_LARGE;
}

mm_err lms_key_usage(int32_t alg, unsigned flags)
{
    if (alg != MM_ALG_HSS_LMS) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    return flags != 0 ? MM_ERR_UNSUPPORTED : MM_OK;
}

mm_err lms_key_verify(const mm_crypto *hash, mm_bytes pub, int32_t alg, unsigned flags, mm_bytes data, mm_bytes sig)
{
    mm_err e = lms_key_usage(alg, flags);
    return e != MM_OK ? e : mm_lms_verify(hash, pub, data, sig, 0);
}

mm_err lms_key_export(mm_bytes pub, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    if ((flags & MM_EXPORT_PRIVATE) != 0) {
        return MM_ERR_KEY_USAGE;
    }
    if (cap < pub.len) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(buf, pub.ptr, pub.len);
    parts->kty = MM_KTY_HSS_LMS;
    parts->alg = MM_ALG_HSS_LMS;
    parts->x = mm_bytes_make(buf, pub.len);
    return MM_OK;
}

static mm_err lv_export(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    const mm_lms_verifier_slot *s = slot_of(user, key);
    if (s == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return lms_key_export(mm_bytes_make(s->pub, s->len), flags, parts, buf, cap);
}

static void lv_free(void *user, mm_key *key)
{
    mm_lms_verifier_slot *s = slot_of(user, key);
    if (s != NULL) {
        mm_wipe(s, sizeof *s);
    }
}

static mm_err lv_verify(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    mm_lms_verifier *v = user;
    const mm_lms_verifier_slot *s = slot_of(v, key);
    if (s == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return lms_key_verify(v->hash, mm_bytes_make(s->pub, s->len), alg, flags, data, sig);
}

static const mm_crypto_ops lv_ops = {
    .version = MM_CRYPTO_OPS_V1,
    .name = "lms-verifier",
    .verify = lv_verify,
    .key_import = lv_import,
    .key_export = lv_export,
    .key_free = lv_free,
};

void mm_lms_verifier_init(mm_lms_verifier *v, const mm_crypto *hash)
{
    memset(v, 0, sizeof *v);
    v->crypto.ops = &lv_ops;
    v->crypto.user = v;
    v->hash = hash;
}

mm_err mm_lms_key_public(const mm_key *key, uint8_t buf[MM_LMS_PUB_MAX], mm_bytes *pub)
{
    if (key == NULL || buf == NULL || pub == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (key->kty != MM_KTY_HSS_LMS) {
        return MM_ERR_KEY_USAGE;
    }
    mm_key_parts parts;
    mm_err e = mm_key_export(key, 0, &parts, buf, MM_LMS_PUB_MAX);
    if (e == MM_OK && (parts.kty != MM_KTY_HSS_LMS || parts.x.len == 0 || parts.x.len > MM_LMS_PUB_MAX)) {
        e = MM_ERR_PLATFORM;
    }
    if (e == MM_OK) {
        *pub = parts.x;
    }
    return e;
}
