/* SPDX-License-Identifier: Apache-2.0 */
/* Re-encoding a decoded item in preferred serialization (which, with sorted
 * maps, is its deterministic encoding). */
#include "internal.h"

/* Calls fn for each piece of a string item: the whole content, or each
 * chunk of an indefinite-length one. */
static void for_each_piece(const mm_cbor_item *it, void (*fn)(void *, mm_bytes), void *user)
{
    if ((it->flags & MM_CBOR_ITEM_INDEF) == 0) {
        fn(user, it->str);
        return;
    }
    mm_bytes area = it->str;
    mm_bytes chunk;
    while (mm_cbor_chunk_next(&area, &chunk)) {
        fn(user, chunk);
    }
}

static void count_piece(void *user, mm_bytes b) { *(size_t *)user += b.len; }

static void write_piece(void *user, mm_bytes b)
{
    if (b.len != 0) {
        mm_cbor_put_bytes(user, b);
    }
}

/* Writes the concatenated chunks of an indefinite-length string. */
static mm_err copy_chunks(mm_cbor_enc *enc, const mm_cbor_item *it)
{
    size_t total = 0;
    for_each_piece(it, count_piece, &total);
    mm_cbor_put_stream_head(enc, it->type == MM_CBOR_BSTR ? MT_BSTR : MT_TSTR, total);
    for_each_piece(it, write_piece, enc);
    return enc->err;
}

/* A bignum's magnitude seen piece by piece, leading zeros dropped: the
 * length that remains and, while it fits, its value; or, with enc set, the
 * significant bytes written out. */
typedef struct magnitude {
    bool started;
    uint64_t len;
    uint64_t value;
    mm_cbor_enc *enc;
} magnitude;

static void magnitude_piece(void *user, mm_bytes b)
{
    magnitude *m = user;
    size_t i = 0;
    if (!m->started) {
        while (i < b.len && b.ptr[i] == 0) {
            i++;
        }
        m->started = i < b.len;
    }
    if (m->enc != NULL) {
        if (i < b.len) {
            mm_cbor_put_bytes(m->enc, mm_bytes_make(b.ptr + i, b.len - i));
        }
        return;
    }
    for (; i < b.len; i++) {
        m->len++;
        m->value = (m->value << 8) | b.ptr[i];
    }
}

/* A bignum (tag 2/3 already read, a byte string next) in its preferred
 * form: no leading zeros, and an int when it fits. Returns false, reading
 * nothing, when the content is not a byte string. */
static bool copy_bignum(mm_cbor_dec *dec, mm_cbor_enc *enc, bool negative)
{
    mm_cbor_item it;
    if (mm_cbor_peek(dec, &it) != MM_OK || it.type != MM_CBOR_BSTR) {
        return false;
    }
    if (mm_cbor_next(dec, &it) != MM_OK) {
        return true; /* the error is recorded in dec */
    }
    magnitude m = {false, 0, 0, NULL};
    for_each_piece(&it, magnitude_piece, &m);
    if (m.len <= 8) {
        if (negative) {
            mm_cbor_put_nint(enc, m.value);
        } else {
            mm_cbor_put_uint(enc, m.value);
        }
        return true;
    }
    mm_cbor_put_tag(enc, negative ? 3 : 2);
    mm_cbor_put_bstr_head(enc, (size_t)m.len);
    magnitude w = {false, 0, 0, enc};
    for_each_piece(&it, magnitude_piece, &w);
    return true;
}

mm_err mm_cbor_copy(mm_cbor_dec *dec, mm_cbor_enc *enc)
{
    unsigned start = dec->depth;
    /* Decoder depths at which an encoder container is open. */
    uint8_t open_at[MM_CBOR_MAX_NESTING];
    unsigned n_open = 0;
    mm_cbor_item it;
    do {
        mm_err e = mm_cbor_next(dec, &it);
        if (e != MM_OK) {
            return e == MM_ERR_CBOR_NO_ITEM ? mm_cbor_dec_fail(dec, e, mm_cbor_dec_offset(dec)) : e;
        }
        while (n_open != 0 && open_at[n_open - 1] >= it.depth) {
            mm_cbor_close(enc, NULL);
            n_open--;
        }
        bool indef = (it.flags & MM_CBOR_ITEM_INDEF) != 0;
        switch (it.type) {
        case MM_CBOR_UINT:
            mm_cbor_put_uint(enc, it.arg);
            break;
        case MM_CBOR_NINT:
            mm_cbor_put_nint(enc, it.arg);
            break;
        case MM_CBOR_BSTR:
        case MM_CBOR_TSTR:
            if (indef) {
                copy_chunks(enc, &it);
            } else if (it.type == MM_CBOR_BSTR) {
                mm_cbor_put_bstr(enc, it.str);
            } else {
                mm_cbor_put_tstr(enc, it.str);
            }
            break;
        case MM_CBOR_ARRAY:
        case MM_CBOR_MAP:
            if (!indef && it.arg == 0) {
                /* Empty: no encoder level, as the decoder took none. */
                if (it.type == MM_CBOR_ARRAY) {
                    mm_cbor_put_array(enc, 0);
                } else {
                    mm_cbor_put_map(enc, 0);
                }
                break;
            }
            if (it.type == MM_CBOR_ARRAY) {
                mm_cbor_open_array(enc);
            } else {
                mm_cbor_open_map(enc);
            }
            open_at[n_open++] = it.depth; /* children follow at depth + 1 */
            break;
        case MM_CBOR_TAG:
            if ((it.arg == 2 || it.arg == 3) && copy_bignum(dec, enc, it.arg == 3)) {
                break;
            }
            mm_cbor_put_tag(enc, it.arg);
            break;
        case MM_CBOR_SIMPLE:
            mm_cbor_put_simple(enc, (uint8_t)it.arg);
            break;
        case MM_CBOR_FALSE:
        case MM_CBOR_TRUE:
            mm_cbor_put_bool(enc, it.type == MM_CBOR_TRUE);
            break;
        case MM_CBOR_NULL:
            mm_cbor_put_null(enc);
            break;
        case MM_CBOR_UNDEFINED:
            mm_cbor_put_undefined(enc);
            break;
        default:
            mm_cbor_put_float(enc, it.f);
            break;
        }
        if (enc->err != MM_OK) {
            return enc->err;
        }
    } while (dec->depth > start);
    while (n_open != 0) {
        mm_cbor_close(enc, NULL);
        n_open--;
    }
    return enc->err;
}
