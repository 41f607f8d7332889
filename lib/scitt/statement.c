/* SPDX-License-Identifier: Apache-2.0 */
/* Signed statements (SCITT architecture section 6): decode, check, verify,
 * create. */
#include "scitt_internal.h"

/* The type of the item in v. */
static mm_cbor_type item_type(mm_bytes v)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    if (mm_cbor_dec_init(&d, v, 0) != MM_OK || mm_cbor_peek(&d, &it) != MM_OK) {
        return MM_CBOR_UNDEFINED;
    }
    return it.type;
}

/* A parameter SCITT reads: found in the bucket it belongs in, or absent. */
static mm_err find_param(const mm_cose_headers *h, int64_t label, bool want_protected, mm_bytes *value, bool *found)
{
    bool prot = false;
    *found = false;
    mm_err e = mm_cose_header_find(h, label, value, &prot);
    if (e == MM_ERR_MISSING_FIELD) {
        return MM_OK;
    }
    if (e != MM_OK) {
        return e;
    }
    *found = true;
    return prot == want_protected ? MM_OK : MM_ERR_CBOR_TYPE;
}

/* A COSE_Key carried in the protected header: in kccs (RFC 9528 section
 * 3.5.2: a CWT claims set whose cnf claim holds a COSE_Key, cnf 8 and
 * COSE_Key 1 per RFC 8747), or under "cose_key" in a map-valued parameter
 * (how Microsoft's attested signing service carries its key). */
static mm_err find_cose_key(const mm_cose_headers *h, mm_bytes *key)
{
    mm_bytes v, cnf;
    bool found;
    mm_err e = find_param(h, MM_SCITT_HDR_KCCS, true, &v, &found);
    if (e == MM_OK && found) {
        if (item_type(v) != MM_CBOR_MAP || scitt_map_find(v, 8, NULL, &cnf) != MM_OK || item_type(cnf) != MM_CBOR_MAP ||
            scitt_map_find(cnf, 1, NULL, key) != MM_OK || item_type(*key) != MM_CBOR_MAP) {
            return MM_ERR_CBOR_TYPE;
        }
        return MM_OK;
    }
    if (e != MM_OK || h->protected_bytes.len == 0) {
        return e == MM_OK ? MM_ERR_MISSING_FIELD : e;
    }
    mm_cbor_dec d;
    e = mm_cbor_dec_init(&d, h->protected_bytes, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, NULL);
    }
    while (e == MM_OK && mm_cbor_more(&d)) {
        mm_bytes label, value;
        if ((e = mm_cbor_get_raw(&d, &label)) != MM_OK || (e = mm_cbor_get_raw(&d, &value)) != MM_OK) {
            break;
        }
        if (item_type(value) == MM_CBOR_MAP && scitt_map_find(value, 0, "cose_key", key) == MM_OK &&
            item_type(*key) == MM_CBOR_MAP) {
            return MM_OK;
        }
    }
    return e != MM_OK ? e : MM_ERR_MISSING_FIELD;
}

/* The receipts parameter: a non-empty array whose items are receipts, each
 * in a bstr (COSE Receipts section 4.3) or, as the architecture's CDDL has
 * it, a tagged COSE_Sign1 in place. */
static mm_err read_receipts(mm_bytes v, size_t *n)
{
    mm_cbor_dec d;
    size_t count = 0;
    mm_err e = mm_cbor_dec_init(&d, v, 0);
    if (e == MM_OK && mm_cbor_enter_array(&d, &count) != MM_OK) {
        e = MM_ERR_CBOR_TYPE;
    }
    if (e == MM_OK && count == 0) {
        e = MM_ERR_CBOR_TYPE;
    }
    for (size_t i = 0; i < count && e == MM_OK; i++) {
        mm_cbor_item it;
        if ((e = mm_cbor_peek(&d, &it)) != MM_OK) {
            break;
        }
        if (it.type != MM_CBOR_BSTR && !(it.type == MM_CBOR_TAG && it.arg == MM_COSE_TAG_SIGN1)) {
            e = MM_ERR_CBOR_TYPE;
        } else {
            e = mm_cbor_skip(&d);
        }
    }
    *n = count;
    return e;
}

mm_err mm_scitt_statement_decode(mm_bytes in, mm_scitt_statement *out, size_t *err_off)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    out->bytes = in;
    mm_err e = mm_cose_sign1_decode(in, &out->sign1, err_off);
    if (e != MM_OK) {
        return e;
    }
    const mm_cose_headers *h = &out->sign1.hdr;
    uint32_t p = 0;
    p |= (h->present & MM_HDRBIT_KID) != 0 ? (uint32_t)MM_SCITT_HAS_KID : 0u;
    p |= (h->present & MM_HDRBIT_X5CHAIN) != 0 ? (uint32_t)MM_SCITT_HAS_X5CHAIN : 0u;
    p |= (h->present & MM_HDRBIT_X5T) != 0 ? (uint32_t)MM_SCITT_HAS_X5T : 0u;
    if ((h->present & MM_HDRBIT_CONTENT_TYPE) != 0) {
        p |= MM_SCITT_HAS_CONTENT_TYPE;
        out->content_type = h->content_type;
    }

    /* CWT claims: protected only (RFC 9597 section 2 allows either bucket;
     * the architecture, section 6, requires the protected one). */
    e = scitt_header_claims(h, in, err_off, &out->claims, &out->iss, &out->sub, &out->iat, &p);
    if (e != MM_OK) {
        return e;
    }

    /* The hash envelope's parameters, protected only. */
    mm_bytes v;
    bool found;
    if ((e = find_param(h, MM_SCITT_HDR_PAYLOAD_HASH_ALG, true, &v, &found)) == MM_OK && found) {
        mm_cbor_dec d;
        if (mm_cbor_dec_init(&d, v, 0) != MM_OK ||
            mm_cbor_get_int(&d, INT32_MIN, INT32_MAX, &out->payload_hash_alg) != MM_OK) {
            e = MM_ERR_CBOR_TYPE;
        }
        p |= MM_SCITT_HAS_PAYLOAD_HASH_ALG;
    }
    if (e == MM_OK && (e = find_param(h, MM_SCITT_HDR_PREIMAGE_CONTENT_TYPE, true, &v, &found)) == MM_OK && found) {
        mm_cbor_type t = item_type(v);
        e = t == MM_CBOR_UINT || t == MM_CBOR_TSTR ? MM_OK : MM_ERR_CBOR_TYPE;
        out->preimage_content_type = v;
        p |= MM_SCITT_HAS_PREIMAGE_CTY;
    }
    if (e == MM_OK && (e = find_param(h, MM_SCITT_HDR_PAYLOAD_LOCATION, true, &v, &found)) == MM_OK && found) {
        mm_cbor_dec d;
        if (mm_cbor_dec_init(&d, v, 0) != MM_OK || mm_cbor_get_tstr(&d, &out->payload_location) != MM_OK) {
            e = MM_ERR_CBOR_TYPE;
        }
        p |= MM_SCITT_HAS_LOCATION;
    }
    if (e != MM_OK) {
        return scitt_fail_at(e, in, v, err_off);
    }

    /* Receipts: unprotected only (they are made after the signature). */
    if ((e = find_param(h, MM_SCITT_HDR_RECEIPTS, false, &v, &found)) == MM_OK && found) {
        e = read_receipts(v, &out->n_receipts);
        out->receipts = v;
        p |= MM_SCITT_HAS_RECEIPTS;
    }
    if (e != MM_OK) {
        return scitt_fail_at(e, in, v, err_off);
    }

    e = find_cose_key(h, &out->cose_key);
    if (e == MM_OK) {
        p |= MM_SCITT_HAS_COSE_KEY;
    } else if (e != MM_ERR_MISSING_FIELD) {
        return scitt_fail_at(e, in, h->protected_bytes, err_off);
    } else {
        out->cose_key = mm_bytes_make(NULL, 0);
    }
    out->present = p;
    return MM_OK;
}

/* A URI begins with a scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
 * (RFC 3986 section 3.1). */
static bool has_scheme(mm_bytes s)
{
    for (size_t i = 0; i < s.len; i++) {
        uint8_t c = s.ptr[i];
        bool alpha = (c | 0x20u) >= 'a' && (c | 0x20u) <= 'z';
        if (c == ':') {
            return i > 0;
        }
        if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
            return false;
        }
    }
    return false;
}

mm_err mm_scitt_statement_check(const mm_scitt_statement *st, unsigned flags)
{
    if (st == NULL || flags != 0) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_cose_headers *h = &st->sign1.hdr;
    /* Section 6: CWT claims with iss and sub, iss of 1 to 8192 characters. */
    if ((st->present & MM_SCITT_HAS_ISS) == 0 || (st->present & MM_SCITT_HAS_SUB) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    if (st->iss.len == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    if (st->iss.len > MM_SCITT_ISS_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    /* kid when neither x5t nor x5chain is protected; with them, a URI. */
    uint32_t x5 = h->protected_bits & (MM_HDRBIT_X5T | MM_HDRBIT_X5CHAIN);
    if (x5 == 0 && (h->protected_bits & MM_HDRBIT_KID) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    if (x5 != 0 && !has_scheme(st->iss)) {
        return MM_ERR_CLAIM_MISMATCH;
    }
    /* The hash envelope: 259 and 260 describe the hash 258 announces, and a
     * content type would describe the hash instead of the preimage. */
    bool envelope = (st->present & MM_SCITT_HAS_PAYLOAD_HASH_ALG) != 0;
    if (!envelope && (st->present & (MM_SCITT_HAS_PREIMAGE_CTY | MM_SCITT_HAS_LOCATION)) != 0) {
        return MM_ERR_CBOR_TYPE;
    }
    if (envelope && (st->present & MM_SCITT_HAS_CONTENT_TYPE) != 0) {
        return MM_ERR_CBOR_TYPE;
    }
    return MM_OK;
}

mm_err mm_scitt_statement_verify(const mm_scitt_statement *st, const mm_cose_verify_opts *opts)
{
    if (st == NULL || opts == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return mm_cose_sign1_verify(&st->sign1, opts);
}

mm_err mm_scitt_statement_key(const mm_crypto *c, const mm_scitt_statement *st, mm_key *key)
{
    if (c == NULL || st == NULL || key == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if ((st->present & MM_SCITT_HAS_COSE_KEY) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_cose_key decoded;
    mm_err e = mm_cose_key_import(c, st->cose_key, 0, key, &decoded);
    if (e != MM_OK) {
        return e;
    }
    /* The key serves the statement's algorithm only. */
    int64_t alg = st->sign1.hdr.alg;
    if (alg != 0 && alg >= INT32_MIN && alg <= INT32_MAX) {
        if (!mm_key_allows(key, (int32_t)alg, false)) {
            mm_key_free(key);
            return MM_ERR_ALG_MISMATCH;
        }
        if (key->alg == 0) {
            key->alg = (int32_t)alg;
        }
    }
    return MM_OK;
}

mm_err mm_scitt_statement_receipt(const mm_scitt_statement *st, size_t i, mm_bytes *receipt)
{
    if (st == NULL || receipt == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (i >= st->n_receipts) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, st->receipts, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, NULL);
    }
    for (size_t k = 0; k < i && e == MM_OK; k++) {
        e = mm_cbor_skip(&d);
    }
    mm_cbor_item it;
    if (e == MM_OK) {
        e = mm_cbor_peek(&d, &it);
    }
    if (e != MM_OK) {
        return e;
    }
    return it.type == MM_CBOR_BSTR ? mm_cbor_get_bstr(&d, receipt) : mm_cbor_get_raw(&d, receipt);
}

/* Labels statement creation writes itself. */
static bool label_taken(int64_t label, const mm_scitt_statement_opts *o)
{
    return label == MM_HDR_CWT_CLAIMS || label == MM_HDR_CONTENT_TYPE || label == MM_SCITT_HDR_PAYLOAD_HASH_ALG ||
           label == MM_SCITT_HDR_PREIMAGE_CONTENT_TYPE || label == MM_SCITT_HDR_PAYLOAD_LOCATION ||
           label == MM_SCITT_HDR_RECEIPTS || (label == MM_HDR_X5CHAIN && o->x5chain.len != 0);
}

/* Most caller parameters a statement takes beside its own. */
#define MAX_EXTRA_PARAMS 16

/* Appends a text parameter encoded into the area at *used. */
static mm_err add_text(mm_cose_param *params, size_t *n, int64_t label, mm_bytes text, uint8_t *area, size_t *used)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, area + *used, MM_SCITT_CREATE_HEADER_MAX - *used);
    mm_cbor_put_tstr(&enc, text);
    size_t len = 0;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    if (e != MM_OK) {
        return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
    }
    params[(*n)++] = (mm_cose_param){label, mm_bytes_make(area + *used, len), MM_COSE_PROTECTED};
    *used += len;
    return MM_OK;
}

mm_err mm_scitt_statement_create(const mm_scitt_statement_opts *o, mm_bytes payload, mm_buf *out)
{
    if (o == NULL || out == NULL || o->iss.len == 0 || o->sub.len == 0 || o->n_params > MAX_EXTRA_PARAMS ||
        (o->n_params != 0 && o->params == NULL) || (o->flags & ~(MM_SCITT_DETACHED | MM_SCITT_WITH_IAT)) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < o->n_params; i++) {
        if (label_taken(o->params[i].label, o)) {
            return MM_ERR_INVALID_ARG;
        }
    }
    if (o->payload_hash_alg != 0) {
        /* The hash envelope: the payload is the preimage's hash, and label 3
         * must not describe it (the preimage's type is 259's). */
        size_t hl = mm_hash_len(o->payload_hash_alg);
        if (hl == 0 || payload.len != hl || o->content_type.len != 0) {
            return MM_ERR_INVALID_ARG;
        }
    } else if (o->preimage_content_type.len != 0 || o->payload_location.len != 0) {
        return MM_ERR_INVALID_ARG;
    }

    uint8_t area[MM_SCITT_CREATE_HEADER_MAX];
    size_t used = 0;
    mm_cose_param params[MAX_EXTRA_PARAMS + 6];
    size_t n = 0;
    mm_bytes claims;
    mm_err e =
        scitt_claims_encode(o->iss, o->sub, (o->flags & MM_SCITT_WITH_IAT) != 0, o->iat, area, sizeof area, &claims);
    if (e != MM_OK) {
        return e;
    }
    used = claims.len;
    params[n++] = (mm_cose_param){MM_HDR_CWT_CLAIMS, claims, MM_COSE_PROTECTED};
    if (o->content_type.len != 0) {
        e = add_text(params, &n, MM_HDR_CONTENT_TYPE, o->content_type, area, &used);
    }
    if (e == MM_OK && o->payload_hash_alg != 0) {
        mm_cbor_enc enc;
        mm_cbor_enc_init(&enc, area + used, sizeof area - used);
        mm_cbor_put_int(&enc, o->payload_hash_alg);
        size_t len = 0;
        e = mm_cbor_enc_finish(&enc, &len);
        e = e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
        params[n++] =
            (mm_cose_param){MM_SCITT_HDR_PAYLOAD_HASH_ALG, mm_bytes_make(area + used, len), MM_COSE_PROTECTED};
        used += len;
    }
    if (e == MM_OK && o->preimage_content_type.len != 0) {
        e = add_text(params, &n, MM_SCITT_HDR_PREIMAGE_CONTENT_TYPE, o->preimage_content_type, area, &used);
    }
    if (e == MM_OK && o->payload_location.len != 0) {
        e = add_text(params, &n, MM_SCITT_HDR_PAYLOAD_LOCATION, o->payload_location, area, &used);
    }
    if (e == MM_OK && o->x5chain.len != 0) {
        params[n++] = (mm_cose_param){MM_HDR_X5CHAIN, o->x5chain, MM_COSE_PROTECTED};
    }
    if (e != MM_OK) {
        return e;
    }
    for (size_t i = 0; i < o->n_params; i++) {
        params[n++] = o->params[i];
    }
    mm_cose_create_opts c;
    memset(&c, 0, sizeof c);
    c.crypto = o->crypto;
    c.key = o->key;
    c.alg = o->alg;
    c.kid = o->kid;
    c.params = params;
    c.n_params = n;
    c.flags = MM_COSE_KID_PROTECTED | ((o->flags & MM_SCITT_DETACHED) != 0 ? MM_COSE_DETACHED : 0u);
    c.algs = o->algs;
    c.scratch = o->scratch;
    c.scratch_len = o->scratch_len;
    return mm_cose_sign1_create(&c, payload, out);
}
