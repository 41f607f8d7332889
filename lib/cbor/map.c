/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table-driven map decoding. Protocol code describes a map once, as a table
 * of fields, and this engine reads it: presence, duplicates, unknown labels
 * and value types are handled here and nowhere else.
 */
#include "internal.h"

/* Label of a map key: an integer (int64 range) or a text string. */
typedef struct key_label {
    bool is_text;
    int64_t num;
    mm_bytes text;
} key_label;

static bool key_from_item(const mm_cbor_item *it, key_label *k)
{
    k->is_text = it->type == MM_CBOR_TSTR;
    k->num = 0;
    k->text = it->str;
    if (it->type == MM_CBOR_UINT && it->arg <= (uint64_t)INT64_MAX) {
        k->num = (int64_t)it->arg;
        return true;
    }
    if (it->type == MM_CBOR_NINT && it->arg <= (uint64_t)INT64_MAX) {
        k->num = -1 - (int64_t)it->arg;
        return true;
    }
    return it->type == MM_CBOR_TSTR && (it->flags & MM_CBOR_ITEM_INDEF) == 0;
}

static bool field_matches(const mm_cbor_field *f, const key_label *k)
{
    if (f->text == NULL) {
        return !k->is_text && f->label == k->num;
    }
    if (!k->is_text) {
        return false;
    }
    size_t n = strlen(f->text);
    return n == k->text.len && (n == 0 || memcmp(f->text, k->text.ptr, n) == 0);
}

/* Re-reads the key whose head is at off (it was decoded before). */
static key_label key_at(const mm_cbor_dec *dec, uint32_t off)
{
    key_label k = {false, 0, {NULL, 0}};
    const uint8_t *p = dec->base + off;
    uint8_t ib;
    uint64_t arg;
    size_t hlen;
    if (mm_cbor_parse_head(p, dec->end, 0, &ib, &arg, &hlen) == MM_OK) {
        unsigned mt = ib >> 5;
        k.is_text = mt == MT_TSTR;
        k.num = mt == MT_UINT ? (int64_t)arg : -1 - (int64_t)arg;
        k.text = mm_bytes_make(p + hlen, (size_t)arg);
    }
    return k;
}

static bool same_key(const key_label *a, const key_label *b)
{
    if (a->is_text != b->is_text) {
        return false;
    }
    if (!a->is_text) {
        return a->num == b->num;
    }
    return mm_bytes_equal(a->text, b->text);
}

static mm_err decode_value(mm_cbor_dec *dec, const mm_cbor_field *f, void *dst, void *user)
{
    mm_bytes b;
    uint64_t u;
    int64_t i;
    bool flag;
    switch (f->kind) {
    case MM_CBOR_F_UINT:
        if (mm_cbor_get_uint(dec, &u) == MM_OK) {
            memcpy(dst, &u, sizeof u);
        }
        break;
    case MM_CBOR_F_INT:
        if (mm_cbor_get_int(dec, INT64_MIN, INT64_MAX, &i) == MM_OK) {
            memcpy(dst, &i, sizeof i);
        }
        break;
    case MM_CBOR_F_BSTR:
    case MM_CBOR_F_TSTR:
        if ((f->kind == MM_CBOR_F_BSTR ? mm_cbor_get_bstr(dec, &b) : mm_cbor_get_tstr(dec, &b)) == MM_OK) {
            memcpy(dst, &b, sizeof b);
        }
        break;
    case MM_CBOR_F_BOOL:
        if (mm_cbor_get_bool(dec, &flag) == MM_OK) {
            memcpy(dst, &flag, sizeof flag);
        }
        break;
    case MM_CBOR_F_RAW:
        if (mm_cbor_get_raw(dec, &b) == MM_OK) {
            memcpy(dst, &b, sizeof b);
        }
        break;
    case MM_CBOR_F_WRAPPED: {
        if (mm_cbor_get_bstr(dec, &b) != MM_OK) {
            break;
        }
        size_t inner_off = 0;
        unsigned fl =
            dec->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED | MM_CBOR_ALLOW_INDEF | MM_CBOR_CHECK_UTF8);
        mm_err e = mm_cbor_check(b, fl, &inner_off);
        if (e != MM_OK) {
            /* Report the offending byte inside the wrapped item. */
            bool not_one = e == MM_ERR_CBOR_TRAILING || e == MM_ERR_CBOR_NO_ITEM;
            return mm_cbor_dec_fail(dec, not_one ? MM_ERR_CBOR_BAD_WRAP : e, (size_t)(b.ptr - dec->base) + inner_off);
        }
        memcpy(dst, &b, sizeof b);
        break;
    }
    case MM_CBOR_F_CUSTOM:
        if (f->fn == NULL) {
            return mm_cbor_dec_fail(dec, MM_ERR_INVALID_ARG, mm_cbor_dec_offset(dec));
        }
        return mm_cbor_dec_fail(dec, f->fn(dec, dst, user), mm_cbor_dec_offset(dec));
    default:
        return mm_cbor_dec_fail(dec, MM_ERR_INVALID_ARG, mm_cbor_dec_offset(dec));
    }
    return dec->err;
}

mm_err mm_cbor_decode_map(mm_cbor_dec *dec, const mm_cbor_field *fields, size_t n, void *out, uint64_t *present,
                          mm_cbor_map_opts *opts)
{
    if (opts != NULL) {
        opts->failed_field = SIZE_MAX;
    }
    if (n > 64 || (n != 0 && fields == NULL)) {
        return mm_cbor_dec_fail(dec, MM_ERR_INVALID_ARG, mm_cbor_dec_offset(dec));
    }
    size_t map_off = mm_cbor_dec_offset(dec);
    if (mm_cbor_enter_map(dec, NULL) != MM_OK) {
        return dec->err;
    }
    uint64_t seen = 0;
    uint32_t unknown_off[MM_CBOR_MAP_MAX_UNKNOWN];
    size_t n_unknown = 0;
    void *user = opts != NULL ? opts->user : NULL;
    size_t hint = 0; /* where the next label is looked for first */
    while (mm_cbor_more(dec)) {
        /* One read of the key: a container as key fails below, and the
         * sticky error makes what reading it entered irrelevant. */
        mm_cbor_item key;
        if (mm_cbor_get_item(dec, &key) != MM_OK) {
            return dec->err;
        }
        key_label k;
        if (!key_from_item(&key, &k)) {
            return mm_cbor_dec_fail(dec, MM_ERR_CBOR_BAD_KEY, key.offset);
        }
        /* Maps often list their labels in the table's order (deterministic
         * maps do, when the table is sorted): start after the last match. */
        size_t idx = n;
        for (size_t j = 0; j < n; j++) {
            size_t cand = hint + j < n ? hint + j : hint + j - n;
            if (field_matches(&fields[cand], &k)) {
                idx = cand;
                break;
            }
        }
        if (idx < n) {
            hint = idx + 1 < n ? idx + 1 : 0;
            if ((seen & ((uint64_t)1 << idx)) != 0) {
                return mm_cbor_dec_fail(dec, MM_ERR_CBOR_DUP_KEY, key.offset);
            }
            seen |= (uint64_t)1 << idx;
            /* out is NULL when every field is a custom reader that keeps
             * what it reads elsewhere (through user). */
            void *dst = out != NULL ? (uint8_t *)out + fields[idx].offset : NULL;
            if (dst == NULL && fields[idx].kind != MM_CBOR_F_CUSTOM) {
                return mm_cbor_dec_fail(dec, MM_ERR_INVALID_ARG, key.offset);
            }
            if (decode_value(dec, &fields[idx], dst, user) != MM_OK) {
                if (opts != NULL) {
                    opts->failed_field = idx;
                }
                return dec->err;
            }
            continue;
        }
        for (size_t u = 0; u < n_unknown; u++) {
            key_label prev = key_at(dec, unknown_off[u]);
            if (same_key(&prev, &k)) {
                return mm_cbor_dec_fail(dec, MM_ERR_CBOR_DUP_KEY, key.offset);
            }
        }
        if (opts == NULL || opts->unknown == NULL) {
            return mm_cbor_dec_fail(dec, MM_ERR_UNKNOWN_FIELD, key.offset);
        }
        if (n_unknown == MM_CBOR_MAP_MAX_UNKNOWN) {
            return mm_cbor_dec_fail(dec, MM_ERR_TOO_LARGE, key.offset);
        }
        unknown_off[n_unknown++] = key.offset;
        mm_err e = opts->unknown(dec, &key, user);
        if (e != MM_OK) {
            return mm_cbor_dec_fail(dec, e, key.offset);
        }
    }
    if (mm_cbor_exit(dec) != MM_OK) {
        return dec->err;
    }
    for (size_t i = 0; i < n; i++) {
        if ((fields[i].flags & MM_CBOR_F_REQUIRED) != 0 && (seen & ((uint64_t)1 << i)) == 0) {
            if (opts != NULL) {
                opts->failed_field = i;
            }
            return mm_cbor_dec_fail(dec, MM_ERR_MISSING_FIELD, map_off);
        }
    }
    if (present != NULL) {
        *present = seen;
    }
    return MM_OK;
}
