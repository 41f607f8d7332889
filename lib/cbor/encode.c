/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CBOR encoder: preferred serialization into a caller buffer, containers
 * of unknown count closed by back-patching their head, maps sorted into
 * deterministic order on close, and a size-only dry run.
 */
#include "internal.h"

enum enc_kind {
    EK_FIXED = 1, /* array/map head with a known count, or a tag */
    EK_ARRAY = 2, /* open array */
    EK_MAP = 3,   /* open map */
    EK_WRAP = 4,  /* open bstr-wrapped CBOR */
    EK_BYTES = 5, /* byte string whose content is being streamed */
};

static mm_err set_err(mm_cbor_enc *enc, mm_err e)
{
    if (enc->err == MM_OK) {
        enc->err = e;
    }
    return enc->err;
}

void mm_cbor_enc_init(mm_cbor_enc *enc, uint8_t *buf, size_t cap)
{
    enc->buf = buf;
    enc->cap = buf != NULL ? cap : 0;
    enc->len = 0;
    enc->err = MM_OK;
    enc->depth = 0;
}

/* Appends n bytes, or only counts them once the buffer is full. */
static void emit(mm_cbor_enc *enc, const void *p, size_t n)
{
    if (enc->len <= enc->cap && n <= enc->cap - enc->len) {
        if (n != 0) {
            memcpy(enc->buf + enc->len, p, n);
        }
        enc->len += n;
    } else if (SIZE_MAX - enc->len >= n) {
        enc->len += n;
    } else {
        set_err(enc, MM_ERR_TOO_LARGE);
    }
}

/* Items may be written: no error and no streamed byte string pending. */
static bool can_write(mm_cbor_enc *enc)
{
    if (enc->err != MM_OK) {
        return false;
    }
    if (enc->depth != 0 && enc->stack[enc->depth - 1].kind == EK_BYTES) {
        set_err(enc, MM_ERR_STATE);
        return false;
    }
    return true;
}

/* Called when a whole item has been written: counts it in its container and
 * completes fixed-count containers that it fills. */
static void item_done(mm_cbor_enc *enc)
{
    while (enc->depth != 0) {
        mm_cbor_enc_frame *fr = &enc->stack[enc->depth - 1];
        if (fr->kind != EK_FIXED) {
            fr->count++;
            return;
        }
        if (--fr->remaining != 0) {
            return;
        }
        enc->depth--;
    }
}

static mm_err push(mm_cbor_enc *enc, uint8_t kind, uint32_t remaining)
{
    if (enc->depth >= MM_CBOR_ENC_MAX_NESTING) {
        return set_err(enc, MM_ERR_NESTING);
    }
    if (enc->len > UINT32_MAX) {
        return set_err(enc, MM_ERR_TOO_LARGE);
    }
    mm_cbor_enc_frame *fr = &enc->stack[enc->depth++];
    fr->kind = kind;
    fr->start = (uint32_t)enc->len;
    fr->remaining = remaining;
    fr->count = 0;
    return MM_OK;
}

static void put_head(mm_cbor_enc *enc, unsigned mt, uint64_t arg)
{
    /* Straight into the buffer while a head of any length fits: the common
     * case, and a head is most of what small items are. */
    if (enc->len <= enc->cap && enc->cap - enc->len >= 9) {
        enc->len += mm_cbor_write_head(enc->buf + enc->len, mt, arg);
        return;
    }
    uint8_t h[9];
    emit(enc, h, mm_cbor_write_head(h, mt, arg));
}

static mm_err put_scalar_head(mm_cbor_enc *enc, unsigned mt, uint64_t arg)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    put_head(enc, mt, arg);
    item_done(enc);
    return enc->err;
}

mm_err mm_cbor_put_uint(mm_cbor_enc *enc, uint64_t v) { return put_scalar_head(enc, MT_UINT, v); }

mm_err mm_cbor_put_nint(mm_cbor_enc *enc, uint64_t arg) { return put_scalar_head(enc, MT_NINT, arg); }

mm_err mm_cbor_put_int(mm_cbor_enc *enc, int64_t v)
{
    return v >= 0 ? put_scalar_head(enc, MT_UINT, (uint64_t)v) : put_scalar_head(enc, MT_NINT, (uint64_t)(-(v + 1)));
}

static mm_err put_string(mm_cbor_enc *enc, unsigned mt, mm_bytes v)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    if (v.ptr == NULL && v.len != 0) {
        return set_err(enc, MM_ERR_INVALID_ARG);
    }
    put_head(enc, mt, v.len);
    emit(enc, v.ptr, v.len);
    item_done(enc);
    return enc->err;
}

mm_err mm_cbor_put_bstr(mm_cbor_enc *enc, mm_bytes v) { return put_string(enc, MT_BSTR, v); }

mm_err mm_cbor_put_tstr(mm_cbor_enc *enc, mm_bytes v) { return put_string(enc, MT_TSTR, v); }

mm_err mm_cbor_put_cstr(mm_cbor_enc *enc, const char *s)
{
    if (s == NULL) {
        return set_err(enc, MM_ERR_INVALID_ARG);
    }
    return put_string(enc, MT_TSTR, mm_bytes_from_cstr(s));
}

mm_err mm_cbor_put_bool(mm_cbor_enc *enc, bool v) { return put_scalar_head(enc, MT_SIMPLE, v ? 21 : 20); }

mm_err mm_cbor_put_null(mm_cbor_enc *enc) { return put_scalar_head(enc, MT_SIMPLE, 22); }

mm_err mm_cbor_put_undefined(mm_cbor_enc *enc) { return put_scalar_head(enc, MT_SIMPLE, 23); }

mm_err mm_cbor_put_simple(mm_cbor_enc *enc, uint8_t v)
{
    if (v >= 24 && v < 32) {
        return set_err(enc, MM_ERR_INVALID_ARG); /* not well-formed as a simple value */
    }
    return put_scalar_head(enc, MT_SIMPLE, v);
}

mm_err mm_cbor_put_float(mm_cbor_enc *enc, double v)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    uint8_t h[9];
    size_t n;
    uint16_t half;
    uint32_t single;
    uint64_t bits;
    if (mm_cbor_isnan(v)) {
        h[0] = 0xf9;
        h[1] = 0x7e;
        h[2] = 0x00;
        n = 3;
    } else if (mm_cbor_double_to_half(v, &half)) {
        h[0] = 0xf9;
        h[1] = (uint8_t)(half >> 8);
        h[2] = (uint8_t)half;
        n = 3;
    } else if (mm_cbor_double_to_single(v, &single)) {
        h[0] = 0xfa;
        for (int i = 0; i < 4; i++) {
            h[1 + i] = (uint8_t)(single >> (24 - 8 * i));
        }
        n = 5;
    } else {
        memcpy(&bits, &v, sizeof bits);
        h[0] = 0xfb;
        for (int i = 0; i < 8; i++) {
            h[1 + i] = (uint8_t)(bits >> (56 - 8 * i));
        }
        n = 9;
    }
    emit(enc, h, n);
    item_done(enc);
    return enc->err;
}

mm_err mm_cbor_put_tag(mm_cbor_enc *enc, uint64_t tag)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    put_head(enc, MT_TAG, tag);
    return push(enc, EK_FIXED, 1);
}

mm_err mm_cbor_put_bigint(mm_cbor_enc *enc, bool negative, mm_bytes magnitude)
{
    if (magnitude.ptr == NULL && magnitude.len != 0) {
        return set_err(enc, MM_ERR_INVALID_ARG);
    }
    while (magnitude.len != 0 && magnitude.ptr[0] == 0) {
        magnitude.ptr++;
        magnitude.len--;
    }
    if (magnitude.len <= 8) {
        uint64_t v = 0;
        for (size_t i = 0; i < magnitude.len; i++) {
            v = (v << 8) | magnitude.ptr[i];
        }
        return put_scalar_head(enc, negative ? MT_NINT : MT_UINT, v);
    }
    if (mm_cbor_put_tag(enc, negative ? 3 : 2) != MM_OK) {
        return enc->err;
    }
    return mm_cbor_put_bstr(enc, magnitude);
}

static mm_err put_container_head(mm_cbor_enc *enc, unsigned mt, uint64_t items, uint64_t count)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    if (items > UINT32_MAX) {
        return set_err(enc, MM_ERR_TOO_LARGE);
    }
    put_head(enc, mt, count);
    if (items == 0) {
        item_done(enc);
        return enc->err;
    }
    return push(enc, EK_FIXED, (uint32_t)items);
}

mm_err mm_cbor_put_array(mm_cbor_enc *enc, size_t count)
{
    return put_container_head(enc, MT_ARRAY, (uint64_t)count, (uint64_t)count);
}

mm_err mm_cbor_put_map(mm_cbor_enc *enc, size_t pairs)
{
    if ((uint64_t)pairs > UINT32_MAX / 2) {
        return set_err(enc, MM_ERR_TOO_LARGE);
    }
    return put_container_head(enc, MT_MAP, (uint64_t)pairs * 2, (uint64_t)pairs);
}

mm_err mm_cbor_put_raw(mm_cbor_enc *enc, mm_bytes item)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    /* The encoder's own output must stay well-formed and definite (map sorting
     * re-reads it), so a raw item is checked before it is copied: as
     * mm_cbor_check(item, 0) would, with flat reads (records of reports are
     * written this way, one small item after another). */
    mm_cbor_flat r;
    if (item.ptr == NULL || mm_cbor_flat_init(&r, item, 0) != MM_OK ||
        mm_cbor_flat_skip(&r, 0, MM_CBOR_DEFAULT_NESTING) != MM_OK || mm_cbor_flat_finish(&r) != MM_OK) {
        return set_err(enc, MM_ERR_INVALID_ARG);
    }
    emit(enc, item.ptr, item.len);
    item_done(enc);
    return enc->err;
}

mm_err mm_cbor_put_encoded(mm_cbor_enc *enc, mm_bytes item)
{
#ifndef NDEBUG
    return mm_cbor_put_raw(enc, item);
#else
    if (!can_write(enc)) {
        return enc->err;
    }
    if (item.ptr == NULL || item.len == 0) {
        return set_err(enc, MM_ERR_INVALID_ARG);
    }
    emit(enc, item.ptr, item.len);
    item_done(enc);
    return enc->err;
#endif
}

mm_err mm_cbor_put_stream_head(mm_cbor_enc *enc, unsigned mt, uint64_t len)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    put_head(enc, mt, len);
    if (len == 0) {
        item_done(enc);
        return enc->err;
    }
    if (push(enc, EK_BYTES, 0) != MM_OK) {
        return enc->err;
    }
    /* The byte count can exceed 32 bits: keep it in count (low) and
     * remaining (high). */
    mm_cbor_enc_frame *fr = &enc->stack[enc->depth - 1];
    fr->count = (uint32_t)len;
    fr->remaining = (uint32_t)(len >> 32);
    return MM_OK;
}

mm_err mm_cbor_put_bstr_head(mm_cbor_enc *enc, size_t len) { return mm_cbor_put_stream_head(enc, MT_BSTR, len); }

mm_err mm_cbor_put_bytes(mm_cbor_enc *enc, mm_bytes content)
{
    if (enc->err != MM_OK) {
        return enc->err;
    }
    if (enc->depth == 0 || enc->stack[enc->depth - 1].kind != EK_BYTES || (content.ptr == NULL && content.len != 0)) {
        return set_err(enc, MM_ERR_STATE);
    }
    mm_cbor_enc_frame *fr = &enc->stack[enc->depth - 1];
    uint64_t left = ((uint64_t)fr->remaining << 32) | fr->count;
    if ((uint64_t)content.len > left) {
        return set_err(enc, MM_ERR_STATE);
    }
    emit(enc, content.ptr, content.len);
    left -= content.len;
    fr->count = (uint32_t)left;
    fr->remaining = (uint32_t)(left >> 32);
    if (left == 0) {
        enc->depth--;
        item_done(enc);
    }
    return enc->err;
}

mm_err mm_cbor_put_bstr_space(mm_cbor_enc *enc, size_t len, uint8_t **space)
{
    *space = NULL;
    if (!can_write(enc)) {
        return enc->err;
    }
    put_head(enc, MT_BSTR, len);
    if (enc->len <= enc->cap && len <= enc->cap - enc->len) {
        *space = enc->buf + enc->len;
        enc->len += len;
    } else if (SIZE_MAX - enc->len >= len) {
        enc->len += len;
    } else {
        return set_err(enc, MM_ERR_TOO_LARGE);
    }
    item_done(enc);
    return enc->err;
}

static mm_err open_container(mm_cbor_enc *enc, uint8_t kind, uint8_t placeholder)
{
    if (!can_write(enc)) {
        return enc->err;
    }
    if (push(enc, kind, 0) != MM_OK) {
        return enc->err;
    }
    emit(enc, &placeholder, 1);
    return enc->err;
}

mm_err mm_cbor_open_array(mm_cbor_enc *enc) { return open_container(enc, EK_ARRAY, 0x80); }

mm_err mm_cbor_open_map(mm_cbor_enc *enc) { return open_container(enc, EK_MAP, 0xa0); }

mm_err mm_cbor_open_wrap(mm_cbor_enc *enc) { return open_container(enc, EK_WRAP, 0x40); }

/* Length of the well-formed definite item at p[0..n), or 0 if it is not one.
 * Needs no stack: with definite lengths only, a count of pending items is
 * enough. */
static size_t item_len(const uint8_t *p, size_t n)
{
    size_t i = 0;
    uint64_t pending = 1;
    while (pending != 0) {
        if (i >= n) {
            return 0;
        }
        uint8_t ib = p[i];
        unsigned ai = ib & 31u;
        uint64_t arg = ai;
        size_t hl = 1;
        if (ai >= 24) {
            if (ai > 27) {
                return 0;
            }
            hl = 1 + ((size_t)1 << (ai - 24));
            if (n - i < hl) {
                return 0;
            }
            arg = 0;
            for (size_t k = 1; k < hl; k++) {
                arg = (arg << 8) | p[i + k];
            }
        }
        i += hl;
        pending--;
        switch (ib >> 5) {
        case MT_BSTR:
        case MT_TSTR:
            if (arg > n - i) {
                return 0;
            }
            i += (size_t)arg;
            break;
        case MT_ARRAY:
            pending += arg;
            break;
        case MT_MAP:
            pending += 2 * arg;
            break;
        case MT_TAG:
            pending += 1;
            break;
        default:
            break;
        }
        if (pending > n - i + 1) {
            return 0;
        }
    }
    return i;
}

/* Reverses p[0..n). */
static void reverse(uint8_t *p, size_t n)
{
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        uint8_t t = p[i];
        p[i] = p[j - 1];
        p[j - 1] = t;
    }
}

/* Moves p[a..b) to the front of p[0..b) keeping both parts' order. */
static void rotate(uint8_t *p, size_t a, size_t b)
{
    reverse(p, a);
    reverse(p + a, b - a);
    reverse(p, b);
}

/* Sorts the pairs in p[0..n) by their encoded keys, in place (insertion sort
 * by rotation: no memory beyond the buffer, linear when already sorted). */
static mm_err sort_map(uint8_t *p, size_t n)
{
    size_t pos = 0;
    size_t last_key = 0;
    size_t last_key_len = 0;
    while (pos < n) {
        size_t klen = item_len(p + pos, n - pos);
        size_t vlen = klen != 0 ? item_len(p + pos + klen, n - pos - klen) : 0;
        if (vlen == 0) {
            return MM_ERR_STATE;
        }
        size_t entry = klen + vlen;
        if (pos != 0) {
            int c = mm_cbor_key_cmp(p + pos, klen, p + last_key, last_key_len);
            if (c == 0) {
                return MM_ERR_CBOR_DUP_KEY;
            }
            if (c < 0) {
                /* Find where this entry belongs among the sorted ones. */
                size_t at = 0;
                for (;;) {
                    size_t ok = item_len(p + at, n - at);
                    int cc = mm_cbor_key_cmp(p + pos, klen, p + at, ok);
                    if (cc == 0) {
                        return MM_ERR_CBOR_DUP_KEY;
                    }
                    if (cc < 0) {
                        break;
                    }
                    at += ok + item_len(p + at + ok, n - at - ok);
                }
                rotate(p + at, pos - at, pos + entry - at);
                /* The last (largest) key moved right by this entry's length. */
                last_key += entry;
                pos += entry;
                continue;
            }
        }
        last_key = pos;
        last_key_len = klen;
        pos += entry;
    }
    return MM_OK;
}

mm_err mm_cbor_close(mm_cbor_enc *enc, mm_bytes *content)
{
    if (content != NULL) {
        content->ptr = NULL;
        content->len = 0;
    }
    if (enc->err != MM_OK) {
        return enc->err;
    }
    if (enc->depth == 0) {
        return set_err(enc, MM_ERR_STATE);
    }
    mm_cbor_enc_frame *fr = &enc->stack[enc->depth - 1];
    if (fr->kind != EK_ARRAY && fr->kind != EK_MAP && fr->kind != EK_WRAP) {
        return set_err(enc, MM_ERR_STATE); /* a fixed-count container is not full */
    }
    size_t start = fr->start;
    size_t body = enc->len - start - 1;
    bool in_buf = enc->len <= enc->cap;
    unsigned mt;
    uint64_t arg;
    if (fr->kind == EK_MAP) {
        if (fr->count % 2 != 0) {
            return set_err(enc, MM_ERR_STATE); /* a key without its value */
        }
        mt = MT_MAP;
        arg = fr->count / 2;
        if (in_buf && arg > 1) {
            mm_err e = sort_map(enc->buf + start + 1, body);
            if (e != MM_OK) {
                return set_err(enc, e);
            }
        }
    } else if (fr->kind == EK_ARRAY) {
        mt = MT_ARRAY;
        arg = fr->count;
    } else {
        mt = MT_BSTR;
        arg = body;
    }
    size_t hl = mm_cbor_head_len(arg);
    if (hl > 1) {
        if (in_buf && hl - 1 <= enc->cap - enc->len) {
            memmove(enc->buf + start + hl, enc->buf + start + 1, body);
        }
        enc->len += hl - 1;
    }
    if (enc->len <= enc->cap) {
        mm_cbor_write_head(enc->buf + start, mt, arg);
        if (content != NULL && mt == MT_BSTR) {
            *content = mm_bytes_make(enc->buf + start + hl, body);
        }
    }
    enc->depth--;
    item_done(enc);
    return enc->err;
}

mm_err mm_cbor_enc_finish(mm_cbor_enc *enc, size_t *len)
{
    if (len != NULL) {
        *len = enc->len;
    }
    if (enc->err != MM_OK) {
        return enc->err;
    }
    if (enc->depth != 0) {
        return MM_ERR_STATE;
    }
    return enc->len > enc->cap ? MM_ERR_BUFFER_TOO_SMALL : MM_OK;
}
