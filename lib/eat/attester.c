/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The attester: a device collects its claims through the platform's
 * callbacks, lists its installed SUIT manifests, binds the verifier's nonce
 * and signs the token with its attestation key.
 */
#include "eat_internal.h"

/* The manifests claim: one SUIT_Reference per installed manifest, encoded
 * into the attester's work buffer. */
static mm_err collect_manifests(const mm_eat_attester *a, mm_eat_manifest *list, size_t *n)
{
    const mm_eat_platform *p = a->platform;
    *n = 0;
    if (p->manifest_count == NULL || p->manifest == NULL) {
        return MM_OK;
    }
    size_t count;
    mm_err e = p->manifest_count(a->user, &count);
    if (e != MM_OK) {
        return e;
    }
    if (count > MM_EAT_ATTEST_MAX_MANIFESTS) {
        return MM_ERR_TOO_LARGE;
    }
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        mm_eat_suit_ref ref;
        memset(&ref, 0, sizeof ref);
        e = p->manifest(a->user, i, &ref);
        if (e != MM_OK) {
            return e;
        }
        mm_buf body = mm_buf_make(a->work != NULL ? a->work + used : NULL, a->work != NULL ? a->work_len - used : 0);
        e = mm_eat_suit_ref_encode(&ref, &body);
        if (e != MM_OK) {
            return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
        }
        list[i].content_type = MM_EAT_CF_SUIT_REFERENCE;
        list[i].body = mm_bytes_make(body.ptr, body.len);
        used += body.len;
    }
    *n = count;
    return MM_OK;
}

mm_err mm_eat_attest(const mm_eat_attester *a, mm_bytes nonce, mm_buf *out)
{
    if (a == NULL || a->platform == NULL || a->platform->version != MM_EAT_PLATFORM_V1 || out == NULL ||
        (nonce.len != 0 && (nonce.ptr == NULL || nonce.len < MM_EAT_NONCE_MIN || nonce.len > MM_EAT_NONCE_MAX))) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_eat_platform *p = a->platform;
    mm_eat_claims c;
    memset(&c, 0, sizeof c);
    mm_err e = MM_OK;
    if (p->now != NULL) {
        e = p->now(a->user, &c.cwt.iat);
        if (e == MM_OK) {
            c.cwt.present |= MM_CWT_HAS_IAT;
        } else if (e == MM_ERR_UNSUPPORTED) {
            e = MM_OK; /* no clock: no iat */
        }
    }
    if (e == MM_OK && p->identity != NULL) {
        e = p->identity(a->user, &c);
    }
    if (e == MM_OK && p->state != NULL) {
        e = p->state(a->user, &c);
    }
    if (e == MM_OK && p->software != NULL) {
        e = p->software(a->user, &c);
    }
    mm_eat_manifest manifests[MM_EAT_ATTEST_MAX_MANIFESTS];
    size_t n = 0;
    if (e == MM_OK) {
        e = collect_manifests(a, manifests, &n);
    }
    if (e != MM_OK) {
        return e;
    }
    if (n != 0) {
        c.manifests = manifests;
        c.n_manifests = n;
        c.present |= MM_EAT_HAS_MANIFESTS;
    }
    if (a->profile.len != 0) {
        c.profile = a->profile;
        c.profile_is_oid = false;
        c.present |= MM_EAT_HAS_PROFILE;
    }
    /* The nonce is bound last, so no callback can replace it. */
    c.present &= ~(uint32_t)MM_EAT_HAS_NONCE;
    c.nonces = NULL;
    c.n_nonces = 0;
    if (nonce.len != 0) {
        c.nonce = nonce;
        c.n_nonces = 1;
        c.present |= MM_EAT_HAS_NONCE;
    }
    return mm_eat_sign(&c, &a->sign, a->flags, out);
}
