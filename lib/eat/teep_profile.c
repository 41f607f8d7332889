/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The TEEP EAT profile (draft-ietf-teep-protocol, section "EAT Profile") as
 * one check the Verifier runs on evidence it has verified: encoding rules,
 * required claims, nonce form, and a kid that is the key's thumbprint.
 */
#include "eat_internal.h"

/* True when the item in bytes has a tag anywhere (byte strings are not
 * looked into: their content is opaque to the profile). */
static bool has_tag(mm_bytes bytes)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    if (mm_cbor_dec_init(&d, bytes, 0) != MM_OK) {
        return false;
    }
    while (mm_cbor_next(&d, &it) == MM_OK) {
        if (it.type == MM_CBOR_TAG) {
            return true;
        }
    }
    return false;
}

mm_err mm_eat_teep_profile_check(mm_bytes token, const mm_eat_token *t, const mm_eat_teep_check *chk, const char **why)
{
    static const struct {
        uint32_t bit;
        bool cwt;
        const char *name;
    } required[] = {
        {MM_EAT_HAS_UEID, false, "the ueid claim is required"},
        {MM_EAT_HAS_OEMID, false, "the oemid claim is required"},
        {MM_EAT_HAS_HWMODEL, false, "the hwmodel claim is required"},
        {MM_EAT_HAS_HWVERSION, false, "the hwversion claim is required"},
        {MM_EAT_HAS_MANIFESTS, false, "the manifests claim is required"},
        {MM_CWT_HAS_CNF, true, "the cnf claim is required"},
    };
    const char *reason = NULL;
    mm_err e = MM_OK;
    if (t == NULL || chk == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_eat_claims *c = &t->claims;
    if (t->cwt_tagged || t->cose_tagged || has_tag(t->payload)) {
        e = MM_ERR_UNSUPPORTED;
        reason = "CBOR tags are not used";
    } else if ((e = mm_cbor_check(token, MM_CBOR_PREFERRED, NULL)) != MM_OK ||
               (e = mm_cbor_check(t->payload, MM_CBOR_PREFERRED, NULL)) != MM_OK ||
               (t->hdr.protected_bytes.len != 0 &&
                (e = mm_cbor_check(t->hdr.protected_bytes, MM_CBOR_PREFERRED, NULL)) != MM_OK)) {
        reason = "preferred serialization with definite lengths";
    } else if (t->mac) {
        e = MM_ERR_UNSUPPORTED;
        reason = "a signed token (COSE_Sign1)";
    }
    for (size_t i = 0; e == MM_OK && i < sizeof required / sizeof required[0]; i++) {
        if (((required[i].cwt ? c->cwt.present : c->present) & required[i].bit) == 0) {
            e = MM_ERR_MISSING_FIELD;
            reason = required[i].name;
        }
    }
    if (e == MM_OK && (c->present & MM_EAT_HAS_NONCE) != 0 && c->n_nonces != 1) {
        e = MM_ERR_CLAIM_MISMATCH;
        reason = "eat_nonce is a single byte string";
    }
    if (e == MM_OK && chk->profile.len != 0 && (c->present & MM_EAT_HAS_PROFILE) != 0 &&
        (c->profile_is_oid || !mm_bytes_equal(c->profile, chk->profile))) {
        e = MM_ERR_CLAIM_MISMATCH;
        reason = "eat_profile names another profile";
    }
    if (e == MM_OK && (t->hdr.present & MM_HDRBIT_KID) == 0) {
        e = MM_ERR_MISSING_FIELD;
        reason = "the key is identified by kid";
    }
    if (e == MM_OK && chk->key != NULL) {
        uint8_t tp[MM_HASH_MAX];
        size_t tp_len;
        e = eat_key_thumbprint(chk->crypto, chk->key, chk->kid_hash_alg != 0 ? chk->kid_hash_alg : MM_ALG_SHA256, tp,
                               &tp_len);
        if (e == MM_OK && !mm_bytes_equal(t->hdr.kid, mm_bytes_make(tp, tp_len))) {
            e = MM_ERR_CLAIM_MISMATCH;
        }
        if (e != MM_OK) {
            reason = "kid is the key's RFC 9679 thumbprint";
        }
    }
    if (why != NULL) {
        *why = reason;
    }
    return e;
}
