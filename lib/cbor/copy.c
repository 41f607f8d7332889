/* SPDX-License-Identifier: Apache-2.0 */
/* Re-encoding a decoded item in preferred serialization (which, with sorted
 * maps, is its deterministic encoding). */
#include "internal.h"

/* Writes the concatenated chunks of an indefinite-length string. */
static mm_err copy_chunks(mm_cbor_enc *enc, const mm_cbor_item *it)
{
    size_t total = 0;
    mm_bytes area = it->str;
    mm_bytes chunk;
    while (mm_cbor_chunk_next(&area, &chunk)) {
        total += chunk.len;
    }
    mm_cbor_put_stream_head(enc, it->type == MM_CBOR_BSTR ? MT_BSTR : MT_TSTR, total);
    area = it->str;
    while (mm_cbor_chunk_next(&area, &chunk)) {
        if (chunk.len != 0) {
            mm_cbor_put_bytes(enc, chunk);
        }
    }
    return enc->err;
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
            if (it.type == MM_CBOR_ARRAY) {
                mm_cbor_open_array(enc);
            } else {
                mm_cbor_open_map(enc);
            }
            if (indef || it.arg != 0) {
                open_at[n_open++] = it.depth; /* children follow at depth + 1 */
            } else {
                mm_cbor_close(enc, NULL);
            }
            break;
        case MM_CBOR_TAG:
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
