/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9360 certificate parameters: the device-safe part (the x5t check);
 * chain validation is the host backend's (mm_openssl_cose_x5chain_key). */
#include "cose_internal.h"

mm_err mm_cose_x5t_check(const mm_crypto *c, const mm_cose_headers *h, mm_bytes cert_der)
{
    if (h == NULL || (cert_der.ptr == NULL && cert_der.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    if ((h->present & MM_HDRBIT_X5T) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_cbor_dec d;
    size_t n;
    int64_t alg = 0;
    mm_bytes want;
    mm_err e = mm_cbor_dec_init(&d, h->x5t, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, &n);
    }
    if (e == MM_OK && n != 2) {
        e = MM_ERR_CBOR_TYPE;
    }
    if (e == MM_OK) {
        e = mm_cbor_get_int(&d, INT32_MIN, INT32_MAX, &alg);
    }
    if (e == MM_OK) {
        e = mm_cbor_get_bstr(&d, &want);
    }
    if (e == MM_OK) {
        e = mm_cbor_exit(&d);
    }
    if (e != MM_OK) {
        return e;
    }
    /* SHA-256/64 is SHA-256 cut to 8 bytes (RFC 9054). */
    int32_t hash = alg == MM_ALG_SHA256_64 ? MM_ALG_SHA256 : (int32_t)alg;
    size_t keep = alg == MM_ALG_SHA256_64 ? 8 : mm_hash_len(hash);
    if (keep == 0) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    uint8_t got[MM_HASH_MAX];
    size_t len;
    e = mm_hash(c, hash, cert_der, got, &len);
    if (e != MM_OK) {
        return e;
    }
    return want.len == keep && len >= keep && mm_ct_equal(got, want.ptr, keep) ? MM_OK : MM_ERR_VERIFY;
}
