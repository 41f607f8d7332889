/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every COSE signature layer (Sign1, Sign, and later SUIT and EAT
 * through them) checks and computes: one place for the alg, crit, key and
 * signature-shape rules, and for streaming the Sig_structure into the hash.
 */
#include "cose_internal.h"

/* r and s of an ECDSA signature must lie in [1, n-1]. */
static bool ecdsa_values_in_range(int32_t crv, mm_bytes sig)
{
    size_t n = sig.len / 2;
    return mm_ec_scalar_valid(crv, sig.ptr, n) && mm_ec_scalar_valid(crv, sig.ptr + n, n);
}

/* The length a signature of this algorithm with this key has, or 0 when it
 * varies (the algorithm's own verify checks it). */
static size_t expected_sig_len(const mm_cose_sig_alg *entry, const mm_key *key)
{
    if (entry->sig_len != 0) {
        return entry->sig_len;
    }
    if (key->kty == MM_KTY_RSA) {
        return (key->bits + 7) / 8;
    }
    if (key->kty == MM_KTY_OKP) {
        return key->crv == MM_CRV_ED448 ? 114 : 64;
    }
    return 0;
}

mm_err cose_layer_precheck(const mm_cose_headers *layer, const mm_cose_headers *outer, const mm_cose_verify_opts *o,
                           bool needs_private, int32_t *alg)
{
    if (o == NULL || o->key == NULL || o->crypto == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if ((layer->present & MM_HDRBIT_ALG) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_err e = mm_cose_headers_check_crit(layer, o->crit, o->n_crit);
    if (e == MM_OK && outer != NULL) {
        e = mm_cose_headers_check_crit(outer, o->crit, o->n_crit);
    }
    if (e != MM_OK) {
        return e;
    }
    *alg = (int32_t)layer->alg;
    if ((layer->protected_bits & MM_HDRBIT_ALG) == 0 &&
        (o->key->alg == 0 || !mm_key_allows(o->key, *alg, needs_private))) {
        return MM_ERR_ALG_UNPROTECTED;
    }
    return MM_OK;
}

mm_err cose_sig_precheck(const mm_cose_headers *layer, const mm_cose_headers *outer, const mm_cose_verify_opts *o,
                         mm_bytes sig, const mm_cose_sig_alg **entry)
{
    int32_t alg;
    mm_err e = cose_layer_precheck(layer, outer, o, false, &alg);
    if (e != MM_OK) {
        return e;
    }
    *entry = mm_cose_find_sig_alg(o->algs, alg);
    if (*entry == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (!mm_key_allows(o->key, alg, false)) {
        return MM_ERR_ALG_MISMATCH;
    }
    size_t want = expected_sig_len(*entry, o->key);
    if (want != 0 && sig.len != want) {
        return MM_ERR_SIG_LENGTH;
    }
    if ((*entry)->ecdsa_crv != 0 && !ecdsa_values_in_range((*entry)->ecdsa_crv, sig)) {
        return MM_ERR_SIG_RANGE;
    }
    return MM_OK;
}

/* Room for the Sig_structure's fields before the payload, written in one
 * piece when the protected buckets and external AAD are small. */
#define COSE_SIG_HEAD_BUF 128

/* Produces what the algorithm signs: the hash of the structure, or the
 * structure itself in scratch. */
static mm_err to_be_signed(const mm_crypto *c, int32_t prehash, const char *context, mm_bytes body_protected,
                           const mm_bytes *sign_protected, mm_bytes aad, mm_bytes payload, uint8_t *scratch,
                           size_t scratch_len, uint8_t digest[MM_HASH_MAX], mm_bytes *tbs)
{
    if (prehash != 0) {
        /* The fields before the payload are a handful of small pieces: when
         * they fit here they reach the hash in one update, not one each. */
        uint8_t head[COSE_SIG_HEAD_BUF];
        cose_sink h = {c, NULL, false, head, sizeof head, 0, MM_OK};
        cose_sig_structure(&h, context, body_protected, sign_protected, aad, payload.len);
        mm_crypto_ctx ctx;
        mm_err e = mm_hash_init(c, &ctx, prehash);
        if (e != MM_OK) {
            return e;
        }
        cose_sink s = {c, &ctx, false, NULL, 0, 0, MM_OK};
        if (h.len <= sizeof head) {
            cose_sink_bytes(&s, mm_bytes_make(head, h.len));
        } else {
            cose_sig_structure(&s, context, body_protected, sign_protected, aad, payload.len);
        }
        cose_sink_bytes(&s, payload);
        size_t len = 0;
        if (s.err != MM_OK) {
            mm_hash_abort(c, &ctx);
            return s.err;
        }
        e = mm_hash_final(c, &ctx, digest, &len);
        *tbs = mm_bytes_make(digest, len);
        return e;
    }
    size_t need = cose_sig_structure_len(context, body_protected, sign_protected, aad, payload.len);
    if (scratch == NULL || scratch_len < need) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    cose_sink s = {c, NULL, false, scratch, scratch_len, 0, MM_OK};
    cose_sig_structure(&s, context, body_protected, sign_protected, aad, payload.len);
    cose_sink_bytes(&s, payload);
    *tbs = mm_bytes_make(scratch, s.len);
    return s.err;
}

mm_err cose_sig_verify(const mm_cose_sig_alg *entry, int32_t alg, const mm_cose_verify_opts *o, const char *context,
                       mm_bytes body_protected, const mm_bytes *sign_protected, mm_bytes payload, mm_bytes sig)
{
    uint8_t digest[MM_HASH_MAX];
    mm_bytes tbs;
    mm_err e = to_be_signed(o->crypto, entry->prehash, context, body_protected, sign_protected, o->external_aad,
                            payload, o->scratch, o->scratch_len, digest, &tbs);
    if (e != MM_OK) {
        return e;
    }
    unsigned flags = entry->prehash != 0 ? MM_SIG_PREHASHED : 0;
    if (entry->verify != NULL) {
        return entry->verify(o->crypto, o->key, alg, tbs, flags, sig);
    }
    return mm_verify(o->crypto, o->key, alg, tbs, flags, sig);
}

mm_err cose_create_alg(const mm_cose_create_opts *o, int32_t *alg)
{
    if (o == NULL || o->key == NULL || o->crypto == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *alg = o->alg != 0 ? o->alg : o->key->alg;
    if (*alg == 0) {
        return MM_ERR_INVALID_ARG; /* neither the options nor the key name an algorithm */
    }
    if ((o->key->flags & MM_KEY_PRIVATE) == 0) {
        return MM_ERR_KEY_USAGE;
    }
    if (!mm_key_allows(o->key, *alg, true)) {
        return MM_ERR_ALG_MISMATCH;
    }
    return MM_OK;
}

mm_err cose_sig_sign(const mm_cose_create_opts *o, int32_t alg, const char *context, mm_bytes body_protected,
                     const mm_bytes *sign_protected, mm_bytes payload, uint8_t *sig, size_t cap, size_t *len)
{
    const mm_cose_sig_alg *entry = mm_cose_find_sig_alg(o->algs, alg);
    if (entry == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    uint8_t digest[MM_HASH_MAX];
    mm_bytes tbs;
    mm_err e = to_be_signed(o->crypto, entry->prehash, context, body_protected, sign_protected, o->external_aad,
                            payload, o->scratch, o->scratch_len, digest, &tbs);
    if (e != MM_OK) {
        return e;
    }
    unsigned flags = entry->prehash != 0 ? MM_SIG_PREHASHED : 0;
    if (entry->sign != NULL) {
        return entry->sign(o->crypto, o->key, alg, tbs, flags, sig, cap, len);
    }
    return mm_sign(o->crypto, o->key, alg, tbs, flags, sig, cap, len);
}

mm_err cose_sig_sign_len(const mm_cose_create_opts *o, int32_t alg, size_t *len)
{
    const mm_cose_sig_alg *entry = mm_cose_find_sig_alg(o->algs, alg);
    if (entry == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    *len = expected_sig_len(entry, o->key);
    if (*len != 0) {
        return MM_OK;
    }
    /* A length only the key knows (HSS-LMS, where it follows from the
     * parameter sets): ask the sign function, which answers a zero capacity
     * with the size it needs and signs nothing. */
    uint8_t none[1];
    mm_bytes empty = {NULL, 0};
    mm_err e = entry->sign != NULL ? entry->sign(o->crypto, o->key, alg, empty, 0, none, 0, len)
                                   : mm_sign(o->crypto, o->key, alg, empty, 0, none, 0, len);
    if (e == MM_ERR_BUFFER_TOO_SMALL && *len != 0) {
        return MM_OK;
    }
    return e == MM_OK ? MM_ERR_UNSUPPORTED : e;
}

mm_err cose_put_signature(mm_cbor_enc *enc, const mm_cose_create_opts *o, int32_t alg, const char *context,
                          mm_bytes body_protected, const mm_bytes *sign_protected, mm_bytes payload)
{
    size_t sig_len = 0;
    mm_err e = cose_sig_sign_len(o, alg, &sig_len);
    if (e != MM_OK) {
        return e;
    }
    /* The protected bytes the Sig_structure needs are in the output: only
     * when everything so far fit is there something to sign. */
    bool sizing = enc->buf == NULL || enc->len > enc->cap;
    uint8_t *space = NULL;
    e = mm_cbor_put_bstr_space(enc, sig_len, &space);
    if (e != MM_OK || sizing || space == NULL) {
        return e; /* counted; finishing reports the size needed */
    }
    size_t written = 0;
    e = cose_sig_sign(o, alg, context, body_protected, sign_protected, payload, space, sig_len, &written);
    if (e == MM_OK && written != sig_len) {
        e = MM_ERR_PLATFORM; /* the backend wrote another length than the algorithm has */
    }
    if (e != MM_OK) {
        mm_wipe(space, sig_len);
    }
    return e;
}
