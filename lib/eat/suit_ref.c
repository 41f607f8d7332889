/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What ties evidence to installed software and to keys: SUIT_References in
 * the manifests claim (draft-ietf-suit-report), and a cnf claim naming a
 * key by its RFC 9679 thumbprint (RFC 8747), as the TEEP profile wants.
 */
#include "eat_internal.h"

mm_err mm_eat_suit_ref_encode(const mm_eat_suit_ref *ref, mm_buf *out)
{
    if (ref == NULL || out == NULL || (ref->uri.ptr == NULL && ref->uri.len != 0) || ref->digest.ptr == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->ptr != NULL ? out->cap : 0);
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_tstr(&enc, ref->uri);
    mm_cbor_put_array(&enc, 2); /* SUIT_Digest */
    mm_cbor_put_int(&enc, ref->hash_alg);
    mm_cbor_put_bstr(&enc, ref->digest);
    return eat_enc_end(&enc, MM_OK, out);
}

static mm_err read_digest(mm_cbor_dec *d, mm_eat_suit_ref *ref)
{
    size_t n;
    int64_t alg = 0;
    if (mm_cbor_enter_array(d, &n) == MM_OK && n != 2) {
        return mm_cbor_dec_fail(d, MM_ERR_CBOR_TYPE, mm_cbor_dec_offset(d));
    }
    eat_recorded(mm_cbor_get_int(d, INT32_MIN, INT32_MAX, &alg));
    eat_recorded(mm_cbor_get_bstr(d, &ref->digest));
    ref->hash_alg = (int32_t)alg;
    return mm_cbor_exit(d);
}

mm_err mm_eat_suit_ref_decode(mm_bytes body, mm_eat_suit_ref *ref)
{
    if (ref == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(ref, 0, sizeof *ref);
    mm_cbor_dec d;
    mm_cbor_item it;
    size_t n;
    mm_err e = mm_cbor_dec_init(&d, body, MM_CBOR_CHECK_UTF8);
    if (e != MM_OK || eat_peek(&d, &it) != MM_OK) {
        return e != MM_OK ? e : mm_cbor_dec_error(&d, NULL);
    }
    if (it.type == MM_CBOR_ARRAY) {
        /* [uri, SUIT_Digest], the newest suit-report. */
        if (mm_cbor_enter_array(&d, &n) == MM_OK && n != 2) {
            return MM_ERR_CBOR_TYPE;
        }
        eat_recorded(mm_cbor_get_tstr(&d, &ref->uri));
        (void)read_digest(&d, ref);
        eat_recorded(mm_cbor_exit(&d));
    } else {
        /* {1: uri, 0: SUIT_Digest}, as the TEEP protocol's example has it. */
        if (mm_cbor_enter_map(&d, &n) == MM_OK && n != 2) {
            return MM_ERR_CBOR_TYPE;
        }
        for (size_t i = 0; i < n && mm_cbor_dec_error(&d, NULL) == MM_OK; i++) {
            uint64_t key = 2;
            eat_recorded(mm_cbor_get_uint(&d, &key));
            if (key == 1 && ref->uri.ptr == NULL) {
                eat_recorded(mm_cbor_get_tstr(&d, &ref->uri));
            } else if (key == 0 && ref->digest.ptr == NULL) {
                (void)read_digest(&d, ref);
            } else {
                return MM_ERR_CBOR_TYPE;
            }
        }
        eat_recorded(mm_cbor_exit(&d));
    }
    return mm_cbor_dec_finish(&d);
}

mm_err eat_key_thumbprint(const mm_crypto *crypto, const mm_key *key, int32_t hash_alg, uint8_t out[MM_HASH_MAX],
                          size_t *len)
{
    mm_key_parts parts;
    uint8_t buf[1200]; /* public parts of the largest key: RSA-4096 */
    mm_err e = mm_key_export(key, 0, &parts, buf, sizeof buf);
    return e == MM_OK ? mm_cose_key_thumbprint(crypto, &parts, hash_alg, out, len) : e;
}

mm_err mm_eat_cnf_kid_encode(const mm_crypto *crypto, const mm_key *key, int32_t hash_alg, mm_buf *out)
{
    if (key == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t tp[MM_HASH_MAX];
    size_t tp_len;
    mm_err e = eat_key_thumbprint(crypto, key, hash_alg, tp, &tp_len);
    if (e != MM_OK) {
        return e;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->ptr != NULL ? out->cap : 0);
    mm_cbor_put_map(&enc, 1);
    mm_cbor_put_uint(&enc, 3); /* kid (RFC 8747 section 3.4) */
    mm_cbor_put_bstr(&enc, mm_bytes_make(tp, tp_len));
    return eat_enc_end(&enc, MM_OK, out);
}
