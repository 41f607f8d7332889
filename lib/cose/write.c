/* SPDX-License-Identifier: Apache-2.0 */
/* Writing header buckets and message frames: one place decides what goes
 * into the protected bucket and how a message opens. */
#include "cose_internal.h"

/* alg and kid are options of their own; as free parameters they would be
 * ambiguous. A label may appear once across both buckets. */
static mm_err check_params(mm_bytes kid, const mm_cose_param *params, size_t n)
{
    if (n != 0 && params == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < n; i++) {
        if (params[i].label == MM_HDR_ALG || (params[i].label == MM_HDR_KID && kid.len != 0)) {
            return MM_ERR_INVALID_ARG;
        }
        for (size_t j = 0; j < i; j++) {
            if (params[j].label == params[i].label) {
                return MM_ERR_CBOR_DUP_KEY;
            }
        }
    }
    return MM_OK;
}

static void put_entries(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, const mm_cose_param *params, size_t n,
                        bool in_protected, bool want_alg, bool want_kid)
{
    if (want_alg && alg != 0) {
        mm_cbor_put_int(enc, MM_HDR_ALG);
        mm_cbor_put_int(enc, alg);
    }
    if (want_kid && kid.len != 0) {
        mm_cbor_put_int(enc, MM_HDR_KID);
        mm_cbor_put_bstr(enc, kid);
    }
    for (size_t i = 0; i < n; i++) {
        if (((params[i].flags & MM_COSE_PROTECTED) != 0) == in_protected) {
            mm_cbor_put_int(enc, params[i].label);
            mm_cbor_put_raw(enc, params[i].value);
        }
    }
}

mm_err cose_write_protected(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, unsigned flags, const mm_cose_param *params,
                            size_t n, mm_bytes *bytes)
{
    bytes->ptr = NULL;
    bytes->len = 0;
    mm_err e = check_params(kid, params, n);
    if (e != MM_OK) {
        return e;
    }
    bool want_alg = alg != 0 && (flags & MM_COSE_ALG_UNPROTECTED) == 0;
    bool want_kid = kid.len != 0 && (flags & MM_COSE_KID_PROTECTED) != 0;
    bool any = want_alg || want_kid;
    for (size_t i = 0; i < n && !any; i++) {
        any = (params[i].flags & MM_COSE_PROTECTED) != 0;
    }
    if (!any) {
        /* An empty protected bucket is a zero-length bstr (RFC 9052 3). */
        return mm_cbor_put_bstr(enc, mm_bytes_make(NULL, 0));
    }
    mm_cbor_open_wrap(enc);
    mm_cbor_open_map(enc);
    put_entries(enc, alg, kid, params, n, true, want_alg, want_kid);
    mm_cbor_close(enc, NULL);
    return mm_cbor_close(enc, bytes);
}

mm_err cose_write_unprotected(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, unsigned flags, const mm_cose_param *params,
                              size_t n, bool keep_open)
{
    mm_cbor_open_map(enc);
    put_entries(enc, alg, kid, params, n, false, (flags & MM_COSE_ALG_UNPROTECTED) != 0,
                (flags & MM_COSE_KID_PROTECTED) == 0);
    if (!keep_open) {
        mm_cbor_close(enc, NULL);
    }
    return enc->err;
}

mm_err cose_write_buckets(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, unsigned flags, const mm_cose_param *params,
                          size_t n, bool keep_open, mm_bytes *prot)
{
    mm_err e = cose_write_protected(enc, alg, kid, flags, params, n, prot);
    if (e == MM_OK) {
        e = cose_write_unprotected(enc, alg, kid, flags, params, n, keep_open);
    }
    return e;
}

void cose_open_message(mm_cbor_enc *enc, uint64_t tag, unsigned flags, size_t fields)
{
    if ((flags & MM_COSE_UNTAGGED) == 0) {
        mm_cbor_put_tag(enc, tag);
    }
    mm_cbor_put_array(enc, fields);
}

mm_err cose_open_single(mm_cbor_enc *enc, uint64_t tag, const mm_cose_create_opts *opts, int32_t alg, mm_bytes *prot)
{
    cose_open_message(enc, tag, opts->flags, 4);
    return cose_write_buckets(enc, alg, opts->kid, opts->flags, opts->params, opts->n_params, false, prot);
}

void cose_put_payload(mm_cbor_enc *enc, unsigned flags, mm_bytes payload)
{
    if ((flags & MM_COSE_DETACHED) != 0) {
        mm_cbor_put_null(enc);
    } else {
        mm_cbor_put_bstr(enc, payload);
    }
}

mm_err cose_enter_message(mm_cbor_dec *dec, uint64_t tag, bool *tagged, size_t fields)
{
    size_t n;
    if (mm_cbor_opt_tag(dec, tag, tagged) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    size_t at = mm_cbor_dec_offset(dec);
    if (mm_cbor_enter_array(dec, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (n != fields) {
        return mm_cbor_dec_fail(dec, MM_ERR_CBOR_TYPE, at);
    }
    return MM_OK;
}

mm_err cose_get_bstr_or_nil(mm_cbor_dec *dec, mm_bytes *v, bool *nil)
{
    mm_cbor_item it;
    v->ptr = NULL;
    v->len = 0;
    *nil = mm_cbor_peek(dec, &it) == MM_OK && it.type == MM_CBOR_NULL;
    if (*nil) {
        return mm_cbor_get_null(dec);
    }
    return mm_cbor_get_bstr(dec, v);
}

mm_err cose_enter_body(mm_cbor_dec *dec, mm_bytes msg, uint64_t tag, size_t fields, bool *tagged, mm_cose_headers *hdr,
                       mm_bytes *body, bool *detached)
{
    if (mm_cbor_dec_init(dec, msg, MM_CBOR_CHECK_UTF8) != MM_OK ||
        cose_enter_message(dec, tag, tagged, fields) != MM_OK || mm_cose_headers_decode(dec, hdr) != MM_OK ||
        cose_get_bstr_or_nil(dec, body, detached) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return MM_OK;
}

mm_err cose_decode_single(mm_bytes msg, uint64_t tag, bool *tagged, mm_cose_headers *hdr, mm_bytes *payload,
                          bool *detached, mm_bytes *last, size_t *err_off)
{
    mm_cbor_dec d;
    if (cose_enter_body(&d, msg, tag, 4, tagged, hdr, payload, detached) == MM_OK) {
        cose_recorded(mm_cbor_get_bstr(&d, last));
    }
    /* The decoder's sticky error is what finishing reports. */
    return cose_finish_message(&d, err_off);
}

mm_err cose_payload_of(bool detached, mm_bytes attached, const mm_cose_verify_opts *o, mm_bytes *payload)
{
    if (detached) {
        if (o->payload.ptr == NULL && o->payload.len == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        *payload = o->payload;
        return MM_OK;
    }
    if (o->payload.ptr != NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *payload = attached;
    return MM_OK;
}

mm_err cose_finish_message(mm_cbor_dec *dec, size_t *err_off)
{
    mm_err e = mm_cbor_exit(dec);
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(dec);
    }
    if (e != MM_OK && err_off != NULL) {
        (void)mm_cbor_dec_error(dec, err_off);
    }
    return e;
}
