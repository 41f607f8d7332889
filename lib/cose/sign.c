/* SPDX-License-Identifier: Apache-2.0 */
/* COSE_Sign: one payload, any number of signers; decode, verify one signer,
 * create with several. */
#include "cose_internal.h"

static const char context_sign[] = "Signature";

mm_err mm_cose_sign_decode(mm_bytes msg, mm_cose_sign *out, mm_cose_signature *storage, size_t cap, size_t *err_off)
{
    memset(out, 0, sizeof *out);
    out->signers = storage;
    mm_cbor_dec d;
    size_t n = 0;
    if (cose_enter_body(&d, msg, MM_COSE_TAG_SIGN, 4, &out->tagged, &out->hdr, &out->payload, &out->detached) ==
        MM_OK) {
        size_t at = mm_cbor_dec_offset(&d);
        if (mm_cbor_enter_array(&d, &n) == MM_OK) {
            if (n == 0) {
                cose_recorded(mm_cbor_dec_fail(&d, MM_ERR_CBOR_TYPE, at)); /* at least one signer */
            } else if (n > cap || storage == NULL) {
                cose_recorded(mm_cbor_dec_fail(&d, MM_ERR_TOO_LARGE, at));
                n = 0;
            }
            for (size_t i = 0; i < n && mm_cbor_dec_error(&d, NULL) == MM_OK; i++) {
                mm_cose_signature *s = &storage[i];
                memset(s, 0, sizeof *s);
                if (cose_enter_message(&d, 0, &(bool){false}, 3) == MM_OK &&
                    mm_cose_headers_decode(&d, &s->hdr) == MM_OK && mm_cbor_get_bstr(&d, &s->signature) == MM_OK) {
                    cose_recorded(mm_cbor_exit(&d));
                }
            }
            cose_recorded(mm_cbor_exit(&d));
        }
    }
    mm_err e = cose_finish_message(&d, err_off);
    out->n_signers = e == MM_OK ? n : 0;
    return e;
}

mm_err mm_cose_sign_verify(const mm_cose_sign *msg, size_t index, const mm_cose_verify_opts *opts)
{
    if (index >= msg->n_signers) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_cose_signature *s = &msg->signers[index];
    const mm_cose_sig_alg *entry;
    mm_err e = cose_sig_precheck(&s->hdr, &msg->hdr, opts, s->signature, &entry);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes payload = msg->payload;
    if (msg->detached) {
        if (opts->payload.ptr == NULL && opts->payload.len == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        payload = opts->payload;
    } else if (opts->payload.ptr != NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return cose_sig_verify(entry, (int32_t)s->hdr.alg, opts, context_sign, msg->hdr.protected_bytes,
                           &s->hdr.protected_bytes, payload, s->signature);
}

mm_err mm_cose_sign_create(const mm_cose_create_opts *body, const mm_cose_create_opts *signers, size_t n,
                           mm_bytes payload, mm_buf *out)
{
    if (body == NULL || signers == NULL || n == 0 || out == NULL || (payload.ptr == NULL && payload.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < n; i++) {
        int32_t alg;
        mm_err e = cose_create_alg(&signers[i], &alg);
        if (e != MM_OK) {
            return e;
        }
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    mm_bytes body_prot;
    cose_open_message(&enc, MM_COSE_TAG_SIGN, body->flags, 4);
    /* The body has no alg of its own; its kid, if any, is the body's. */
    mm_err e = cose_write_buckets(&enc, 0, body->kid, body->flags, body->params, body->n_params, false, &body_prot);
    if (e != MM_OK) {
        return e;
    }
    cose_put_payload(&enc, body->flags, payload);
    mm_cbor_put_array(&enc, n);
    /* The body's protected bytes live in the output; signing needs them, so
     * past an overflow only the sizes are computed (cose_put_signature). */
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        const mm_cose_create_opts *s = &signers[i];
        int32_t alg = s->alg != 0 ? s->alg : s->key->alg;
        mm_bytes sign_prot;
        mm_cbor_put_array(&enc, 3);
        e = cose_write_buckets(&enc, alg, s->kid, s->flags, s->params, s->n_params, false, &sign_prot);
        if (e == MM_OK) {
            mm_cose_create_opts so = *s;
            so.external_aad = body->external_aad;
            e = cose_put_signature(&enc, &so, alg, context_sign, body_prot, &sign_prot, payload);
        }
    }
    if (e != MM_OK) {
        return e;
    }
    size_t len;
    e = mm_cbor_enc_finish(&enc, &len);
    out->len = len;
    return e;
}
