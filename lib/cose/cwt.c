/* SPDX-License-Identifier: Apache-2.0 */
/* CBOR Web Tokens (RFC 8392): claims, validation and token verification. */
#include <stddef.h>

#include "cose_internal.h"
#include "mamori/cwt.h"

mm_err mm_cwt_read_date(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_cbor_item it;
    mm_err e = mm_cbor_peek(dec, &it);
    if (e == MM_OK && it.type == MM_CBOR_FLOAT) {
        double f;
        if (mm_cbor_get_float(dec, &f) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        /* Dates beyond int64 seconds (or NaN) cannot be compared. */
        if (!(f >= -9.2e18 && f <= 9.2e18)) {
            return mm_cbor_dec_fail(dec, MM_ERR_CBOR_RANGE, it.offset);
        }
        int64_t v = (int64_t)f;
        if ((double)v > f) {
            v--;
        }
        memcpy(dst, &v, sizeof v);
        return MM_OK;
    }
    int64_t v;
    if (mm_cbor_get_int(dec, INT64_MIN, INT64_MAX, &v) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    memcpy(dst, &v, sizeof v);
    return MM_OK;
}

static mm_err read_map_raw(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_MAP));
}

mm_err mm_cwt_skip_claim(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    (void)key;
    (void)user;
    return mm_cbor_skip(dec);
}

#define C(label, kind, member, fn)                                                                                     \
    {                                                                                                                  \
        label, NULL, kind, 0, offsetof(mm_cwt_claims, member), fn                                                      \
    }

/* In the order of the MM_CWT_HAS_* bits. */
static const mm_cbor_field claim_fields[] = {
    C(MM_CWT_ISS, MM_CBOR_F_TSTR, iss, NULL),
    C(MM_CWT_SUB, MM_CBOR_F_TSTR, sub, NULL),
    C(MM_CWT_AUD, MM_CBOR_F_TSTR, aud, NULL),
    C(MM_CWT_EXP, MM_CBOR_F_CUSTOM, exp, mm_cwt_read_date),
    C(MM_CWT_NBF, MM_CBOR_F_CUSTOM, nbf, mm_cwt_read_date),
    C(MM_CWT_IAT, MM_CBOR_F_CUSTOM, iat, mm_cwt_read_date),
    C(MM_CWT_CTI, MM_CBOR_F_BSTR, cti, NULL),
    C(MM_CWT_CNF, MM_CBOR_F_CUSTOM, cnf, read_map_raw),
};

mm_err mm_cwt_claims_decode(mm_bytes map, mm_cwt_claims *out)
{
    memset(out, 0, sizeof *out);
    out->map = map;
    mm_cbor_dec d;
    uint64_t present = 0;
    mm_cbor_map_opts opts = {mm_cwt_skip_claim, NULL, 0};
    mm_err e = mm_cbor_dec_init(&d, map, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, claim_fields, sizeof claim_fields / sizeof claim_fields[0], out, &present, &opts);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    out->present = (uint32_t)present;
    return e;
}

mm_err mm_cwt_claims_encode(const mm_cwt_claims *c, const mm_cose_param *extra, size_t n_extra, mm_buf *out)
{
    if (c == NULL || out == NULL || (n_extra != 0 && extra == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    mm_cbor_open_map(&enc);
    const mm_bytes *text[3] = {&c->iss, &c->sub, &c->aud};
    for (int i = 0; i < 3; i++) {
        if ((c->present & (1u << i)) != 0) {
            mm_cbor_put_uint(&enc, (uint64_t)i + 1);
            mm_cbor_put_tstr(&enc, *text[i]);
        }
    }
    const int64_t *dates[3] = {&c->exp, &c->nbf, &c->iat};
    for (int i = 0; i < 3; i++) {
        if ((c->present & (1u << (i + 3))) != 0) {
            mm_cbor_put_uint(&enc, (uint64_t)i + 4);
            mm_cbor_put_int(&enc, *dates[i]);
        }
    }
    if ((c->present & MM_CWT_HAS_CTI) != 0) {
        mm_cbor_put_uint(&enc, MM_CWT_CTI);
        mm_cbor_put_bstr(&enc, c->cti);
    }
    if ((c->present & MM_CWT_HAS_CNF) != 0) {
        mm_cbor_put_uint(&enc, MM_CWT_CNF);
        mm_cbor_put_raw(&enc, c->cnf);
    }
    for (size_t i = 0; i < n_extra; i++) {
        mm_cbor_put_int(&enc, extra[i].label);
        mm_cbor_put_raw(&enc, extra[i].value);
    }
    mm_cbor_close(&enc, NULL);
    size_t len;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    out->len = len;
    return e;
}

mm_err mm_cwt_claim_find(const mm_cwt_claims *c, int64_t label, mm_bytes *value)
{
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, c->map, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, NULL);
    }
    while (e == MM_OK && mm_cbor_more(&d)) {
        mm_cbor_item key;
        if ((e = mm_cbor_get_item(&d, &key)) != MM_OK) {
            break;
        }
        bool is_int = (key.type == MM_CBOR_UINT || key.type == MM_CBOR_NINT) && key.arg <= (uint64_t)INT64_MAX;
        int64_t k = key.type == MM_CBOR_UINT ? (int64_t)key.arg : -1 - (int64_t)key.arg;
        if (key.type == MM_CBOR_ARRAY || key.type == MM_CBOR_MAP || key.type == MM_CBOR_TAG) {
            return MM_ERR_CBOR_BAD_KEY; /* claim keys are integers or text */
        }
        if (is_int && k == label) {
            return mm_cbor_get_raw(&d, value);
        }
        e = mm_cbor_skip(&d);
    }
    return e != MM_OK ? e : MM_ERR_MISSING_FIELD;
}

mm_err mm_cwt_validate(const mm_cwt_claims *c, const mm_cwt_check *k)
{
    if (c == NULL || k == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (!k->ignore_time) {
        if ((c->present & MM_CWT_HAS_EXP) != 0) {
            /* expired once now - leeway reaches exp */
            if (k->now - k->leeway >= c->exp) {
                return MM_ERR_EXPIRED;
            }
        } else if (k->require_exp) {
            return MM_ERR_MISSING_FIELD;
        }
        if ((c->present & MM_CWT_HAS_NBF) != 0 && k->now + k->leeway < c->nbf) {
            return MM_ERR_NOT_YET_VALID;
        }
    }
    if (k->iss.len != 0) {
        if ((c->present & MM_CWT_HAS_ISS) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        if (!mm_bytes_equal(c->iss, k->iss)) {
            return MM_ERR_CLAIM_MISMATCH;
        }
    }
    if (k->aud.len != 0) {
        if ((c->present & MM_CWT_HAS_AUD) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        if (!mm_bytes_equal(c->aud, k->aud)) {
            return MM_ERR_CLAIM_MISMATCH;
        }
    }
    return MM_OK;
}

mm_err mm_cwt_verify(mm_bytes token, const mm_cose_verify_opts *opts, const mm_cwt_check *check, mm_cwt_claims *claims)
{
    if (opts == NULL || opts->key == NULL || claims == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(claims, 0, sizeof *claims);
    /* Strip tag 61, then look at the COSE tag, if any. */
    mm_cbor_dec d;
    mm_cbor_item it;
    bool cwt_tag = false;
    mm_err e = mm_cbor_dec_init(&d, token, 0);
    if (e == MM_OK) {
        e = mm_cbor_opt_tag(&d, MM_CWT_TAG, &cwt_tag);
    }
    if (e == MM_OK) {
        e = mm_cbor_peek(&d, &it);
    }
    if (e != MM_OK) {
        return e;
    }
    mm_bytes msg = mm_bytes_make(token.ptr + it.offset, token.len - it.offset);
    bool mac = it.type == MM_CBOR_TAG ? it.arg == MM_COSE_TAG_MAC0 : opts->key->kty == MM_KTY_SYMMETRIC;
    if (it.type == MM_CBOR_TAG && it.arg != MM_COSE_TAG_MAC0 && it.arg != MM_COSE_TAG_SIGN1) {
        return MM_ERR_UNSUPPORTED; /* a CWT in another COSE message (encrypted, COSE_Sign) */
    }
    mm_bytes payload;
    if (mac) {
        mm_cose_mac0 m;
        e = mm_cose_mac0_decode(msg, &m, NULL);
        if (e == MM_OK) {
            e = mm_cose_mac0_verify(&m, opts);
        }
        payload = m.payload;
    } else {
        mm_cose_sign1 s;
        e = mm_cose_sign1_decode(msg, &s, NULL);
        if (e == MM_OK) {
            e = mm_cose_sign1_verify(&s, opts);
        }
        payload = s.payload;
    }
    if (e != MM_OK) {
        return e;
    }
    e = mm_cwt_claims_decode(payload, claims);
    if (e == MM_OK && check != NULL) {
        e = mm_cwt_validate(claims, check);
    }
    return e;
}
