/* SPDX-License-Identifier: Apache-2.0 */
/* CBOR pieces the SCITT files share: CWT claims, map lookups, and a
 * statement's raw parts. */
#include <stddef.h>

#include "scitt_internal.h"

const uint8_t scitt_entry_head[2] = {0xd2, 0x84}; /* tag 18, an array of four */

/* A NumericDate (RFC 8392 section 2), optionally inside tag 1 (RFC 8949
 * section 3.4.2): both say seconds since 1970. */
static mm_err read_date(mm_cbor_dec *dec, void *dst, void *user)
{
    bool tagged;
    if (mm_cbor_opt_tag(dec, 1, &tagged) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return mm_cwt_read_date(dec, dst, user);
}

static const mm_cbor_field claim_fields[] = {
    {1, NULL, MM_CBOR_F_TSTR, 0, offsetof(scitt_claims, iss), NULL},
    {2, NULL, MM_CBOR_F_TSTR, 0, offsetof(scitt_claims, sub), NULL},
    {6, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(scitt_claims, iat), read_date},
};

mm_err scitt_claims_decode(mm_bytes map, scitt_claims *out, uint32_t *present)
{
    memset(out, 0, sizeof *out);
    *present = 0;
    mm_cbor_dec d;
    uint64_t found = 0;
    mm_cbor_map_opts opts = {mm_cwt_skip_claim, NULL, 0};
    mm_err e = mm_cbor_dec_init(&d, map, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, claim_fields, sizeof claim_fields / sizeof claim_fields[0], out, &found, &opts);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e == MM_OK) {
        *present = ((found & 1u) != 0 ? (uint32_t)MM_SCITT_HAS_ISS : 0u) |
                   ((found & 2u) != 0 ? (uint32_t)MM_SCITT_HAS_SUB : 0u) |
                   ((found & 4u) != 0 ? (uint32_t)MM_SCITT_HAS_IAT : 0u);
    }
    return e;
}

mm_err scitt_fail_at(mm_err e, mm_bytes in, mm_bytes view, size_t *err_off)
{
    if (err_off != NULL) {
        *err_off = view.ptr != NULL && view.ptr >= in.ptr ? (size_t)(view.ptr - in.ptr) : 0;
    }
    return e;
}

mm_err scitt_header_claims(const mm_cose_headers *h, mm_bytes in, size_t *err_off, mm_bytes *map, mm_bytes *iss,
                           mm_bytes *sub, int64_t *iat, uint32_t *present)
{
    if ((h->present & MM_HDRBIT_CWT_CLAIMS) == 0) {
        return MM_OK;
    }
    if ((h->protected_bits & MM_HDRBIT_CWT_CLAIMS) == 0) {
        return scitt_fail_at(MM_ERR_CBOR_TYPE, in, h->cwt_claims, err_off);
    }
    scitt_claims c;
    uint32_t found = 0;
    mm_err e = scitt_claims_decode(h->cwt_claims, &c, &found);
    if (e != MM_OK) {
        return scitt_fail_at(e, in, h->cwt_claims, err_off);
    }
    *map = h->cwt_claims;
    *iss = c.iss;
    *sub = c.sub;
    *iat = c.iat;
    *present |= MM_SCITT_HAS_CLAIMS | found;
    return MM_OK;
}

mm_err scitt_claims_encode(mm_bytes iss, mm_bytes sub, bool with_iat, int64_t iat, uint8_t *buf, size_t cap,
                           mm_bytes *out)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_cbor_put_map(&enc, (iss.len != 0 ? 1u : 0u) + (sub.len != 0 ? 1u : 0u) + (with_iat ? 1u : 0u));
    if (iss.len != 0) {
        mm_cbor_put_uint(&enc, 1);
        mm_cbor_put_tstr(&enc, iss);
    }
    if (sub.len != 0) {
        mm_cbor_put_uint(&enc, 2);
        mm_cbor_put_tstr(&enc, sub);
    }
    if (with_iat) {
        mm_cbor_put_uint(&enc, 6);
        mm_cbor_put_int(&enc, iat);
    }
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    *out = mm_bytes_make(buf, len);
    return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
}

mm_err scitt_map_find(mm_bytes map, int64_t label, const char *text, mm_bytes *value)
{
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, map, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, NULL);
    }
    size_t text_len = text != NULL ? strlen(text) : 0;
    while (e == MM_OK && mm_cbor_more(&d)) {
        mm_cbor_item key;
        if ((e = mm_cbor_get_item(&d, &key)) != MM_OK) {
            break;
        }
        bool hit;
        if (text != NULL) {
            hit = key.type == MM_CBOR_TSTR && key.str.len == text_len && memcmp(key.str.ptr, text, text_len) == 0;
        } else if (key.type == MM_CBOR_UINT) {
            hit = label >= 0 && key.arg == (uint64_t)label;
        } else if (key.type == MM_CBOR_NINT) {
            hit = label < 0 && key.arg == (uint64_t)(-1 - label);
        } else if (key.type == MM_CBOR_TSTR || key.type == MM_CBOR_BSTR) {
            hit = false;
        } else {
            return MM_ERR_CBOR_BAD_KEY; /* a container or tag as a label */
        }
        if (hit) {
            return mm_cbor_get_raw(&d, value);
        }
        e = mm_cbor_skip(&d);
    }
    return e != MM_OK ? e : MM_ERR_MISSING_FIELD;
}

mm_err scitt_split(mm_bytes statement, scitt_parts *parts)
{
    memset(parts, 0, sizeof *parts);
    /* The COSE decoder validates everything the split then relies on. */
    mm_cose_sign1 msg;
    mm_err e = mm_cose_sign1_decode(statement, &msg, NULL);
    if (e != MM_OK) {
        return e;
    }
    mm_cbor_dec d;
    bool tagged;
    size_t n;
    e = mm_cbor_dec_init(&d, statement, 0);
    if (e == MM_OK &&
        (mm_cbor_opt_tag(&d, MM_COSE_TAG_SIGN1, &tagged) != MM_OK || mm_cbor_enter_array(&d, &n) != MM_OK ||
         mm_cbor_get_raw(&d, &parts->protected_item) != MM_OK || mm_cbor_get_raw(&d, &parts->unprotected) != MM_OK ||
         mm_cbor_get_raw(&d, &parts->payload_item) != MM_OK || mm_cbor_get_raw(&d, &parts->signature_item) != MM_OK ||
         mm_cbor_exit(&d) != MM_OK)) {
        e = mm_cbor_dec_error(&d, NULL);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    return e;
}

void scitt_open_entry(mm_cbor_enc *enc, const scitt_parts *p, mm_buf *out)
{
    mm_cbor_enc_init(enc, out->ptr, out->cap);
    mm_cbor_put_tag(enc, MM_COSE_TAG_SIGN1);
    mm_cbor_put_array(enc, 4);
    mm_cbor_put_raw(enc, p->protected_item);
}

mm_err scitt_close_entry(mm_cbor_enc *enc, const scitt_parts *p, mm_buf *out)
{
    mm_cbor_put_raw(enc, p->payload_item);
    mm_cbor_put_raw(enc, p->signature_item);
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(enc, &len);
    out->len = len;
    return e;
}
