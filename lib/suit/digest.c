/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT_Digest ([algorithm, bytes]): decoding and checking, in one place for
 * the manifest digest, severable members and image digests.
 */
#include "processor.h"

mm_err suit_dec_init(mm_cbor_dec *d, mm_bytes in, unsigned flags)
{
    mm_err e = mm_cbor_dec_init(d, in, flags);
    if (e == MM_OK) {
        e = mm_cbor_dec_set_max_depth(d, SUIT_DEC_DEPTH);
    }
    return e;
}

/* The hashes a manifest may use: SHA-256 (required) and the SHA-2 ones this
 * library hashes with. SHAKE is refused. */
static bool digest_alg_supported(int64_t alg)
{
    return alg == MM_ALG_SHA256 || alg == MM_ALG_SHA384 || alg == MM_ALG_SHA512;
}

mm_err suit_read_digest_rest(mm_cbor_flat *r, const mm_cbor_head *arr, const uint8_t *at, mm_suit_digest *out)
{
    if (arr->type != MM_CBOR_ARRAY || arr->arg != 2) {
        /* $$SUIT_Digest-extensions: none is defined, so none is understood. */
        mm_err e = arr->type != MM_CBOR_ARRAY ? MM_ERR_CBOR_TYPE
                   : arr->arg < 2             ? MM_ERR_MISSING_FIELD
                                              : MM_ERR_UNSUPPORTED;
        return mm_cbor_flat_fail(r, e, (size_t)(at - r->base));
    }
    mm_cbor_head alg;
    mm_cbor_head bytes;
    const uint8_t *alg_at = r->pos;
    if (mm_cbor_flat_next(r, &alg) != MM_OK) {
        return r->err;
    }
    const uint8_t *bytes_at = r->pos;
    if (mm_cbor_flat_next(r, &bytes) != MM_OK) {
        return r->err;
    }
    if ((alg.type != MM_CBOR_UINT && alg.type != MM_CBOR_NINT) || bytes.type != MM_CBOR_BSTR) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_TYPE,
                                 (size_t)((bytes.type != MM_CBOR_BSTR ? bytes_at : alg_at) - r->base));
    }
    int64_t id = alg.arg > INT32_MAX ? INT64_MIN : alg.type == MM_CBOR_UINT ? (int64_t)alg.arg : -1 - (int64_t)alg.arg;
    if (!digest_alg_supported(id)) {
        return mm_cbor_flat_fail(r, MM_ERR_UNSUPPORTED_ALG, (size_t)(alg_at - r->base));
    }
    out->alg = (int32_t)id;
    out->bytes = mm_bytes_make(bytes.str, (size_t)bytes.arg);
    if (out->bytes.len != mm_hash_len(out->alg)) {
        return mm_cbor_flat_fail(r, MM_ERR_CBOR_RANGE, (size_t)(bytes_at - r->base));
    }
    return MM_OK;
}

mm_err suit_read_digest(mm_cbor_flat *r, mm_suit_digest *out)
{
    mm_cbor_head arr;
    const uint8_t *at = r->pos;
    if (mm_cbor_flat_next(r, &arr) != MM_OK) {
        return r->err;
    }
    return suit_read_digest_rest(r, &arr, at, out);
}

mm_err mm_suit_digest_decode(mm_bytes encoded, mm_suit_digest *out)
{
    mm_cbor_flat r;
    memset(out, 0, sizeof *out);
    if (mm_cbor_flat_init(&r, encoded, SUIT_DEC_FLAGS) == MM_OK) {
        (void)suit_read_digest(&r, out); /* its error is the reader's sticky one */
    }
    mm_err e = mm_cbor_flat_finish(&r);
    if (e != MM_OK) {
        memset(out, 0, sizeof *out);
    }
    return e;
}

mm_err suit_digest_check(const mm_crypto *c, const mm_suit_digest *want, mm_bytes data)
{
    uint8_t got[MM_HASH_MAX];
    size_t len = 0;
    mm_err e = mm_hash(c, want->alg, data, got, &len);
    if (e != MM_OK) {
        return e;
    }
    if (len != want->bytes.len || !mm_ct_equal(got, want->bytes.ptr, len)) {
        return MM_ERR_VERIFY;
    }
    return MM_OK;
}
