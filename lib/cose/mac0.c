/* SPDX-License-Identifier: Apache-2.0 */
/* COSE_Mac0 with HMAC (RFC 9053 section 3.1): decode, verify with a
 * constant-time tag comparison, create. */
#include "cose_internal.h"

static const char context_mac0[] = "MAC0";

/* The hash behind an HMAC algorithm and the tag length it keeps. */
static bool hmac_params(int32_t alg, int32_t *hash, size_t *tag_len)
{
    switch (alg) {
    case MM_ALG_HMAC256_64:
        *hash = MM_ALG_SHA256;
        *tag_len = 8;
        return true;
    case MM_ALG_HMAC256:
        *hash = MM_ALG_SHA256;
        *tag_len = 32;
        return true;
    case MM_ALG_HMAC384:
        *hash = MM_ALG_SHA384;
        *tag_len = 48;
        return true;
    case MM_ALG_HMAC512:
        *hash = MM_ALG_SHA512;
        *tag_len = 64;
        return true;
    default:
        return false;
    }
}

/* HMAC over the MAC_structure ["MAC0", protected, external_aad, payload]. */
static mm_err compute_tag(const mm_crypto *c, const mm_key *key, int32_t hash, mm_bytes protected_bytes, mm_bytes aad,
                          mm_bytes payload, uint8_t tag[MM_HASH_MAX], size_t *len)
{
    mm_crypto_ctx ctx;
    mm_err e = mm_hmac_init(c, &ctx, hash, key);
    if (e != MM_OK) {
        return e;
    }
    cose_sink s = {c, &ctx, true, NULL, 0, 0, MM_OK};
    mm_bytes context = mm_bytes_from_cstr(context_mac0);
    cose_sink_head(&s, 4, 4);
    cose_sink_head(&s, 3, context.len);
    cose_sink_bytes(&s, context);
    cose_sink_bstr(&s, protected_bytes);
    cose_sink_bstr(&s, aad);
    cose_sink_bstr(&s, payload);
    if (s.err != MM_OK) {
        mm_hmac_abort(c, &ctx);
        return s.err;
    }
    return mm_hmac_final(c, &ctx, tag, len);
}

mm_err mm_cose_mac0_decode(mm_bytes msg, mm_cose_mac0 *out, size_t *err_off)
{
    memset(out, 0, sizeof *out);
    return cose_decode_single(msg, MM_COSE_TAG_MAC0, &out->tagged, &out->hdr, &out->payload, &out->detached, &out->tag,
                              err_off);
}

mm_err mm_cose_mac0_verify(const mm_cose_mac0 *msg, const mm_cose_verify_opts *o)
{
    int32_t alg;
    mm_err e = cose_layer_precheck(&msg->hdr, NULL, o, true, &alg);
    if (e != MM_OK) {
        return e;
    }
    int32_t hash;
    size_t tag_len;
    if (!hmac_params(alg, &hash, &tag_len)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (!mm_key_allows(o->key, alg, true)) {
        return MM_ERR_ALG_MISMATCH;
    }
    if (msg->tag.len != tag_len) {
        return MM_ERR_SIG_LENGTH;
    }
    mm_bytes payload;
    e = cose_payload_of(msg->detached, msg->payload, o, &payload);
    if (e != MM_OK) {
        return e;
    }
    uint8_t tag[MM_HASH_MAX];
    size_t len;
    e = compute_tag(o->crypto, o->key, hash, msg->hdr.protected_bytes, o->external_aad, payload, tag, &len);
    if (e == MM_OK) {
        e = len >= tag_len && mm_ct_equal(tag, msg->tag.ptr, tag_len) ? MM_OK : MM_ERR_VERIFY;
    }
    mm_wipe(tag, sizeof tag);
    return e;
}

mm_err mm_cose_mac0_create(const mm_cose_create_opts *opts, mm_bytes payload, mm_buf *out)
{
    int32_t alg;
    mm_err e = cose_create_alg(opts, &alg);
    if (e != MM_OK) {
        return e;
    }
    int32_t hash;
    size_t tag_len;
    if (!hmac_params(alg, &hash, &tag_len)) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (out == NULL || (payload.ptr == NULL && payload.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    mm_bytes prot;
    e = cose_open_single(&enc, MM_COSE_TAG_MAC0, opts, alg, &prot);
    if (e != MM_OK) {
        return e;
    }
    cose_put_payload(&enc, opts->flags, payload);
    uint8_t tag[MM_HASH_MAX] = {0};
    size_t len = 0;
    if (enc.len <= enc.cap && enc.buf != NULL) {
        e = compute_tag(opts->crypto, opts->key, hash, prot, opts->external_aad, payload, tag, &len);
    }
    if (e == MM_OK) {
        mm_cbor_put_bstr(&enc, mm_bytes_make(tag, tag_len));
        e = mm_cbor_enc_finish(&enc, &len);
        out->len = len;
    }
    mm_wipe(tag, sizeof tag);
    return e;
}
