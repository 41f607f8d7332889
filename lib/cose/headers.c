/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE header buckets: one table of the parameters mamori knows, decoded by
 * the CBOR map engine for the protected and the unprotected bucket alike;
 * cross-bucket duplicates, crit and x5chain checks.
 */
#include <stddef.h>

#include "cose_internal.h"

/* alg: an integer (text algorithm names are not supported). */
static mm_err read_alg(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    mm_cbor_item it;
    if (mm_cbor_peek(dec, &it) == MM_OK && it.type == MM_CBOR_TSTR) {
        return mm_cbor_dec_fail(dec, MM_ERR_UNSUPPORTED_ALG, it.offset);
    }
    int64_t v;
    if (mm_cbor_get_int(dec, INT32_MIN, INT32_MAX, &v) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (v == 0) {
        return mm_cbor_dec_fail(dec, MM_ERR_UNSUPPORTED_ALG, mm_cbor_dec_offset(dec) - 1); /* 0 is reserved */
    }
    memcpy(dst, &v, sizeof v);
    return MM_OK;
}

mm_err cose_read_raw_of(mm_cbor_dec *dec, void *dst, unsigned types)
{
    mm_cbor_item it;
    if (mm_cbor_peek(dec, &it) == MM_OK && (types & COSE_TYPE(it.type)) == 0) {
        return mm_cbor_dec_fail(dec, MM_ERR_CBOR_TYPE, it.offset);
    }
    mm_bytes raw;
    if (mm_cbor_get_raw(dec, &raw) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    memcpy(dst, &raw, sizeof raw);
    return MM_OK;
}

/* content type: uint or text. */
static mm_err read_content_type(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_UINT) | COSE_TYPE(MM_CBOR_TSTR));
}

static mm_err read_array(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_ARRAY));
}

static mm_err read_map(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_MAP));
}

static mm_err read_bstr_or_array(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_BSTR) | COSE_TYPE(MM_CBOR_ARRAY));
}

/* PartyU/V nonce: bstr or int (RFC 9053 section 5.2); identity and other:
 * bstr. nil is allowed by the KDF context but pointless in a header. */
static mm_err read_party_nonce(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_BSTR) | COSE_TYPE(MM_CBOR_UINT) | COSE_TYPE(MM_CBOR_NINT));
}

static mm_err read_party_bstr(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_BSTR));
}

static mm_err read_crit(mm_cbor_dec *dec, void *dst, void *user);

#define F(label, kind, member, fn)                                                                                     \
    {                                                                                                                  \
        label, NULL, kind, 0, offsetof(mm_cose_headers, member), fn                                                    \
    }

/* In the order of the MM_HDRBIT_* bits. */
static const mm_cbor_field header_fields[] = {
    F(MM_HDR_ALG, MM_CBOR_F_CUSTOM, alg, read_alg),
    F(MM_HDR_CRIT, MM_CBOR_F_CUSTOM, crit, read_crit),
    F(MM_HDR_CONTENT_TYPE, MM_CBOR_F_CUSTOM, content_type, read_content_type),
    F(MM_HDR_KID, MM_CBOR_F_BSTR, kid, NULL),
    F(MM_HDR_IV, MM_CBOR_F_BSTR, iv, NULL),
    F(MM_HDR_PARTIAL_IV, MM_CBOR_F_BSTR, partial_iv, NULL),
    F(MM_HDR_CWT_CLAIMS, MM_CBOR_F_CUSTOM, cwt_claims, read_map),
    F(MM_HDR_X5CHAIN, MM_CBOR_F_CUSTOM, x5chain, read_bstr_or_array),
    F(MM_HDR_X5T, MM_CBOR_F_CUSTOM, x5t, read_array),
    F(MM_HDR_EPHEMERAL_KEY, MM_CBOR_F_CUSTOM, ephemeral_key, read_map),
    F(MM_HDR_STATIC_KEY, MM_CBOR_F_CUSTOM, static_key, read_map),
    F(MM_HDR_STATIC_KEY_ID, MM_CBOR_F_BSTR, static_key_id, NULL),
    F(MM_HDR_SALT, MM_CBOR_F_BSTR, salt, NULL),
    F(MM_HDR_PARTY_U_ID, MM_CBOR_F_CUSTOM, party[0], read_party_bstr),
    F(MM_HDR_PARTY_U_NONCE, MM_CBOR_F_CUSTOM, party[1], read_party_nonce),
    F(MM_HDR_PARTY_U_OTHER, MM_CBOR_F_CUSTOM, party[2], read_party_bstr),
    F(MM_HDR_PARTY_V_ID, MM_CBOR_F_CUSTOM, party[3], read_party_bstr),
    F(MM_HDR_PARTY_V_NONCE, MM_CBOR_F_CUSTOM, party[4], read_party_nonce),
    F(MM_HDR_PARTY_V_OTHER, MM_CBOR_F_CUSTOM, party[5], read_party_bstr),
};
#define N_FIELDS (sizeof header_fields / sizeof header_fields[0])

/* An integer or text label. */
typedef struct label {
    bool text;
    int64_t num;
    mm_bytes str;
} label;

/* Most parameters outside the table one protected bucket may carry: they are
 * remembered to catch the same label in the unprotected bucket. */
#define MAX_OTHER_PROTECTED 16

typedef struct bucket_state {
    label protected_other[MAX_OTHER_PROTECTED];
    size_t n;
    label crit[MAX_OTHER_PROTECTED];
    size_t n_crit;
    bool in_protected;
} bucket_state;

static bool label_from_item(const mm_cbor_item *key, label *l)
{
    l->text = key->type == MM_CBOR_TSTR;
    l->str = key->str;
    l->num = key->type == MM_CBOR_UINT ? (int64_t)key->arg : -1 - (int64_t)key->arg;
    return key->type == MM_CBOR_TSTR || key->arg <= (uint64_t)INT64_MAX;
}

static bool label_equal(const label *a, const label *b)
{
    return a->text == b->text && (a->text ? mm_bytes_equal(a->str, b->str) : a->num == b->num);
}

/* crit: a non-empty array of labels, remembered so that each can be looked
 * for in the protected bucket once it is all read. */
static mm_err read_crit(mm_cbor_dec *dec, void *dst, void *user)
{
    bucket_state *st = user;
    size_t start = mm_cbor_dec_offset(dec);
    size_t n;
    if (mm_cbor_enter_array(dec, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    if (n == 0) {
        return mm_cbor_dec_fail(dec, MM_ERR_CBOR_TYPE, start);
    }
    while (mm_cbor_more(dec)) {
        mm_cbor_item it;
        if (mm_cbor_get_item(dec, &it) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        label l;
        if ((it.type != MM_CBOR_UINT && it.type != MM_CBOR_NINT && it.type != MM_CBOR_TSTR) ||
            !label_from_item(&it, &l)) {
            return mm_cbor_dec_fail(dec, MM_ERR_CBOR_TYPE, it.offset);
        }
        if (st->n_crit == MAX_OTHER_PROTECTED) {
            return mm_cbor_dec_fail(dec, MM_ERR_TOO_LARGE, it.offset);
        }
        st->crit[st->n_crit++] = l;
    }
    if (mm_cbor_exit(dec) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    mm_bytes raw = mm_bytes_make(dec->base + start, mm_cbor_dec_offset(dec) - start);
    memcpy(dst, &raw, sizeof raw);
    return MM_OK;
}

/* Parameters outside the table: kept in place; remembered (protected) or
 * checked against the protected ones (unprotected). */
static mm_err other_param(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    bucket_state *st = user;
    label l;
    if (!label_from_item(key, &l)) {
        return MM_ERR_CBOR_RANGE;
    }
    if (st->in_protected) {
        if (st->n == MAX_OTHER_PROTECTED) {
            return MM_ERR_TOO_LARGE;
        }
        st->protected_other[st->n++] = l;
    } else {
        for (size_t i = 0; i < st->n; i++) {
            if (label_equal(&st->protected_other[i], &l)) {
                return MM_ERR_CBOR_DUP_KEY;
            }
        }
    }
    return mm_cbor_skip(dec);
}

static bool known_bit(int64_t num, uint32_t *bit)
{
    for (size_t i = 0; i < N_FIELDS; i++) {
        if (header_fields[i].label == num) {
            *bit = 1u << i;
            return true;
        }
    }
    return false;
}

/* Each crit label must be a parameter of the protected bucket. */
static bool crit_labels_present(const mm_cose_headers *h, const bucket_state *st)
{
    for (size_t c = 0; c < st->n_crit; c++) {
        const label *l = &st->crit[c];
        uint32_t bit;
        bool found = false;
        if (!l->text && known_bit(l->num, &bit)) {
            found = (h->protected_bits & bit) != 0;
        } else {
            for (size_t i = 0; i < st->n && !found; i++) {
                found = label_equal(&st->protected_other[i], l);
            }
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

mm_err mm_cose_headers_decode(mm_cbor_dec *dec, mm_cose_headers *h)
{
    memset(h, 0, sizeof *h);
    bucket_state st;
    st.n = 0;
    st.n_crit = 0;
    st.in_protected = true;
    mm_cbor_map_opts opts = {other_param, &st, 0};
    mm_cbor_item it;
    size_t prot_off = mm_cbor_dec_offset(dec);
    mm_err e = mm_cbor_peek(dec, &it);
    if (e != MM_OK || it.type != MM_CBOR_BSTR) {
        return e == MM_OK ? mm_cbor_dec_fail(dec, MM_ERR_CBOR_TYPE, it.offset) : mm_cbor_get_item(dec, &it);
    }
    uint64_t present_p = 0;
    if (it.str.len == 0) {
        if (mm_cbor_get_bstr(dec, &h->protected_bytes) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
    } else if (mm_cbor_enter_wrapped(dec, &h->protected_bytes) != MM_OK ||
               mm_cbor_decode_map(dec, header_fields, N_FIELDS, h, &present_p, &opts) != MM_OK ||
               mm_cbor_exit(dec) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    h->protected_bits = (uint32_t)present_p;
    if (present_p == 0 && st.n == 0) {
        /* A serialized empty map (h'a0'): recipients must accept it as an
         * empty bucket, and an empty bucket enters the Sig_structure,
         * MAC_structure and Enc_structure as a zero-length byte string
         * (RFC 9052 sections 3, 4.4, 5.3, 6.3). */
        h->protected_bytes.len = 0;
    }
    /* The unprotected bucket; its values land in the same struct, which is
     * safe because a label in both buckets is refused below. */
    st.in_protected = false;
    size_t n_crit_protected = st.n_crit;
    uint64_t present_u = 0;
    size_t unprot_off = mm_cbor_dec_offset(dec);
    if (mm_cbor_decode_map(dec, header_fields, N_FIELDS, h, &present_u, &opts) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    h->unprotected = mm_bytes_make(dec->base + unprot_off, mm_cbor_dec_offset(dec) - unprot_off);
    if ((present_p & present_u) != 0) {
        return mm_cbor_dec_fail(dec, MM_ERR_CBOR_DUP_KEY, unprot_off);
    }
    h->present = (uint32_t)(present_p | present_u);
    if ((present_u & MM_HDRBIT_CRIT) != 0 || st.n_crit != n_crit_protected) {
        return mm_cbor_dec_fail(dec, MM_ERR_CBOR_TYPE, unprot_off); /* crit must be protected */
    }
    if (!crit_labels_present(h, &st)) {
        return mm_cbor_dec_fail(dec, MM_ERR_MISSING_FIELD, prot_off); /* crit names an absent parameter */
    }
    return MM_OK;
}

/* Searches one encoded map for an integer label. */
static bool find_in_map(mm_bytes map, int64_t want, mm_bytes *value)
{
    if (map.len == 0) {
        return false;
    }
    mm_cbor_dec d;
    if (mm_cbor_dec_init(&d, map, MM_CBOR_ALLOW_INDEF) != MM_OK || mm_cbor_enter_map(&d, NULL) != MM_OK) {
        return false;
    }
    while (mm_cbor_more(&d)) {
        mm_cbor_item key;
        if (mm_cbor_get_item(&d, &key) != MM_OK) {
            return false;
        }
        label l;
        bool is_int = (key.type == MM_CBOR_UINT || key.type == MM_CBOR_NINT) && label_from_item(&key, &l);
        if (key.type == MM_CBOR_ARRAY || key.type == MM_CBOR_MAP || key.type == MM_CBOR_TAG) {
            return false; /* not a header label; the bucket was checked when decoded */
        }
        if (is_int && l.num == want) {
            return mm_cbor_get_raw(&d, value) == MM_OK;
        }
        if (mm_cbor_skip(&d) != MM_OK) {
            return false;
        }
    }
    return false;
}

mm_err mm_cose_header_find(const mm_cose_headers *h, int64_t label_num, mm_bytes *value, bool *in_protected)
{
    if (h == NULL || value == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (find_in_map(h->protected_bytes, label_num, value)) {
        if (in_protected != NULL) {
            *in_protected = true;
        }
        return MM_OK;
    }
    if (find_in_map(h->unprotected, label_num, value)) {
        if (in_protected != NULL) {
            *in_protected = false;
        }
        return MM_OK;
    }
    return MM_ERR_MISSING_FIELD;
}

mm_err mm_cose_headers_check_crit(const mm_cose_headers *h, const int64_t *understood, size_t n)
{
    if ((h->present & MM_HDRBIT_CRIT) == 0) {
        return MM_OK;
    }
    mm_cbor_dec d;
    size_t count;
    if (mm_cbor_dec_init(&d, h->crit, 0) != MM_OK || mm_cbor_enter_array(&d, &count) != MM_OK) {
        return MM_ERR_CBOR_TYPE; /* cannot happen after mm_cose_headers_decode */
    }
    while (mm_cbor_more(&d)) {
        mm_cbor_item it;
        if (mm_cbor_get_item(&d, &it) != MM_OK) {
            return mm_cbor_dec_error(&d, NULL);
        }
        if (it.type == MM_CBOR_TSTR) {
            return MM_ERR_UNKNOWN_CRIT; /* no text labels are understood */
        }
        int64_t num = it.type == MM_CBOR_UINT ? (int64_t)it.arg : -1 - (int64_t)it.arg;
        bool ok = num >= MM_HDR_ALG && num <= MM_HDR_PARTIAL_IV;
        for (size_t i = 0; i < n && !ok; i++) {
            ok = understood[i] == num;
        }
        if (!ok) {
            return MM_ERR_UNKNOWN_CRIT;
        }
    }
    return MM_OK;
}

mm_err mm_cose_x5chain_certs(const mm_cose_headers *h, mm_bytes *certs, size_t cap, size_t *n)
{
    *n = 0;
    if ((h->present & MM_HDRBIT_X5CHAIN) == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_cbor_dec d;
    mm_cbor_item it;
    mm_err e = mm_cbor_dec_init(&d, h->x5chain, 0);
    if (e == MM_OK) {
        e = mm_cbor_peek(&d, &it);
    }
    if (e != MM_OK) {
        return e;
    }
    if (it.type == MM_CBOR_BSTR) {
        if (cap == 0) {
            return MM_ERR_TOO_LARGE;
        }
        *n = 1;
        return mm_cbor_get_bstr(&d, &certs[0]);
    }
    size_t count;
    if (mm_cbor_enter_array(&d, &count) != MM_OK) {
        return mm_cbor_dec_error(&d, NULL);
    }
    if (count == 0) {
        return MM_ERR_CBOR_TYPE;
    }
    if (count > cap) {
        return MM_ERR_TOO_LARGE;
    }
    for (size_t i = 0; i < count; i++) {
        if (mm_cbor_get_bstr(&d, &certs[i]) != MM_OK) {
            return mm_cbor_dec_error(&d, NULL);
        }
    }
    *n = count;
    return mm_cbor_exit(&d);
}
