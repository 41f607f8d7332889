/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Flat reads: one head at a time, for grammars that say what each item is.
 * The inline path in cbor.h takes the common heads; this general path takes
 * every other one, errors included, with the checks and error codes of the
 * decoder's step(), in the same order, so a grammar written on flat reads
 * refuses what one written on the decoder refuses, for the same reason.
 */
#include "internal.h"

mm_err mm_cbor_flat_init(mm_cbor_flat *r, mm_bytes in, unsigned flags)
{
    static const uint8_t empty[1] = {0};
    const uint8_t *p = in.ptr != NULL ? in.ptr : empty;
    r->base = p;
    r->pos = p;
    r->end = p + (in.ptr != NULL ? in.len : 0);
    r->flags = flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED | MM_CBOR_CHECK_UTF8);
    r->err = MM_OK;
    r->err_off = 0;
    if ((in.ptr == NULL && in.len != 0) ||
        (flags & ~(unsigned)(MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED | MM_CBOR_CHECK_UTF8)) != 0) {
        return mm_cbor_flat_fail(r, MM_ERR_INVALID_ARG, 0);
    }
    if (in.len >= UINT32_MAX) {
        return mm_cbor_flat_fail(r, MM_ERR_TOO_LARGE, 0);
    }
    return MM_OK;
}

mm_err mm_cbor_flat_fail(mm_cbor_flat *r, mm_err err, size_t offset)
{
    if (r->err == MM_OK && err != MM_OK) {
        r->err = err;
        r->err_off = (uint32_t)offset;
        /* Nothing left to read: every later read takes the general path,
         * which returns the sticky error first. */
        r->end = r->pos;
    }
    return r->err;
}

static mm_err fail_at(mm_cbor_flat *r, mm_err e, const uint8_t *at)
{
    return mm_cbor_flat_fail(r, e, (size_t)(at - r->base));
}

/* A float's value must not fit a shorter width (NaN: only f97e00). */
static bool float_shortest(unsigned ai, uint64_t bits)
{
    double v;
    if (ai == 25) {
        v = mm_cbor_half_to_double((uint16_t)bits);
    } else if (ai == 26) {
        v = mm_cbor_single_to_double((uint32_t)bits);
    } else {
        memcpy(&v, &bits, sizeof v);
    }
    uint16_t h;
    uint32_t s;
    if (mm_cbor_isnan(v)) {
        return ai == 25 && bits == 0x7e00;
    }
    return !(ai == 26 && mm_cbor_double_to_half(v, &h)) && !(ai == 27 && mm_cbor_double_to_single(v, &s));
}

/* Deterministic maps: the key from keys->key to `value` sorts after the
 * previous one. */
static mm_err check_key_order(mm_cbor_flat *r, mm_cbor_flat_keys *keys, const uint8_t *value)
{
    size_t len = (size_t)(value - keys->key);
    if (keys->prev != NULL) {
        /* One-byte keys (small integer labels) are nearly all there is. */
        int c = len == 1 && keys->prev_len == 1 ? (int)keys->key[0] - (int)keys->prev[0]
                                                : mm_cbor_key_cmp(keys->key, len, keys->prev, keys->prev_len);
        if (c <= 0) {
            return fail_at(r, c == 0 ? MM_ERR_CBOR_DUP_KEY : MM_ERR_CBOR_UNSORTED, keys->key);
        }
    }
    keys->prev = keys->key;
    keys->prev_len = len;
    return MM_OK;
}

mm_err mm_cbor_internal_flat(mm_cbor_flat *r, mm_cbor_head *h, mm_cbor_flat_keys *keys)
{
    if (r->err != MM_OK) {
        return r->err;
    }
    const uint8_t *p = r->pos;
    if (p >= r->end) {
        return fail_at(r, p == r->base ? MM_ERR_CBOR_NO_ITEM : MM_ERR_TRUNCATED, p);
    }
    uint8_t ib;
    uint64_t arg;
    size_t hlen;
    mm_err e = mm_cbor_parse_head(p, r->end, r->flags, &ib, &arg, &hlen);
    if (e != MM_OK) {
        return fail_at(r, e, p);
    }
    if (ib == CBOR_BREAK) {
        return fail_at(r, MM_ERR_CBOR_BAD_BREAK, p);
    }
    if (keys != NULL && (r->flags & MM_CBOR_DETERMINISTIC) != 0 && check_key_order(r, keys, p) != MM_OK) {
        return r->err;
    }
    unsigned mt = ib >> 5;
    unsigned ai = ib & 31u;
    const uint8_t *q = p + hlen;
    uint64_t left = (uint64_t)(r->end - q);
    h->arg = arg;
    h->type = (mm_cbor_type)mt;
    switch (mt) {
    case MT_UINT:
    case MT_NINT:
        break;
    case MT_BSTR:
    case MT_TSTR:
        if (ai == AI_INDEF) {
            return fail_at(r, MM_ERR_CBOR_INDEF, p);
        }
        if (arg > left) {
            return fail_at(r, MM_ERR_TRUNCATED, p);
        }
        if (mt == MT_TSTR && (r->flags & MM_CBOR_CHECK_UTF8) != 0 && !mm_cbor_utf8_valid(q, (size_t)arg)) {
            return fail_at(r, MM_ERR_CBOR_BAD_UTF8, p);
        }
        h->str = q;
        q += arg;
        break;
    case MT_ARRAY:
    case MT_MAP:
        if (ai == AI_INDEF) {
            return fail_at(r, MM_ERR_CBOR_INDEF, p);
        }
        /* Every item takes a byte at least: a count beyond what is left is
         * refused at once, which bounds the caller's loops. */
        if (arg > left || (mt == MT_MAP && arg > left / 2)) {
            return fail_at(r, MM_ERR_TRUNCATED, p);
        }
        break;
    case MT_TAG:
        if ((r->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0 && (arg == 2 || arg == 3) && left != 0) {
            /* A preferred bignum: a bstr longer than 8 bytes without a
             * leading zero (other shapes are refused where they are read). */
            uint8_t cib;
            uint64_t len;
            size_t clen;
            if (mm_cbor_parse_head(q, r->end, r->flags, &cib, &len, &clen) == MM_OK && (cib >> 5) == MT_BSTR &&
                len <= left - clen && (len <= 8 || q[clen] == 0)) {
                return fail_at(r, MM_ERR_CBOR_BIGNUM_FORM, p);
            }
        }
        if (left == 0) {
            return fail_at(r, MM_ERR_TRUNCATED, p);
        }
        break;
    default: /* MT_SIMPLE */
        if (ai < 20 || ai == 24) {
            h->type = MM_CBOR_SIMPLE;
        } else if (ai < 24) {
            h->type = (mm_cbor_type)(MM_CBOR_FALSE + (ai - 20));
        } else {
            h->type = MM_CBOR_FLOAT;
            if ((r->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0 && !float_shortest(ai, arg)) {
                return fail_at(r, MM_ERR_CBOR_FLOAT_FORM, p);
            }
        }
        break;
    }
    r->pos = q;
    return MM_OK;
}

mm_err mm_cbor_flat_value(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_cbor_head *h)
{
    if ((r->flags & MM_CBOR_DETERMINISTIC) == 0) {
        return mm_cbor_flat_next(r, h);
    }
    const uint8_t *p = r->pos;
    size_t left = (size_t)(r->end - p);
    unsigned ai = left != 0 ? *p & 31u : 31u;
    /* Heads that cannot be malformed: one byte, or an integer, string or
     * container head with a shortest one- or two-byte argument (what
     * manifests' members have). */
    bool plain = ai < 24 || (ai <= 25 && (*p >> 5) != 7 &&
                             ((ai == 24 && left > 1 && p[1] >= 24) || (ai == 25 && left > 2 && p[1] != 0)));
    if (r->err == MM_OK && plain) {
        /* For these the key order is what the general path checks next:
         * checked here, then the value is read on the inline path (which
         * takes the general one, without the keys, for whatever it does not
         * handle). */
        if (check_key_order(r, keys, p) != MM_OK) {
            return r->err;
        }
        return mm_cbor_flat_next(r, h);
    }
    return mm_cbor_internal_flat(r, h, keys);
}

mm_err mm_cbor_flat_finish(mm_cbor_flat *r)
{
    if (r->err != MM_OK) {
        return r->err;
    }
    if (r->pos != r->end) {
        return fail_at(r, r->pos == r->base ? MM_ERR_CBOR_ITEMS_LEFT : MM_ERR_CBOR_TRAILING, r->pos);
    }
    return r->pos == r->base ? fail_at(r, MM_ERR_CBOR_NO_ITEM, r->pos) : MM_OK;
}

mm_err mm_cbor_flat_skip(mm_cbor_flat *r, unsigned depth, unsigned max_depth)
{
    /* Items still to read at each open level: no recursion, and the levels
     * the decoder would open (a non-empty array or map, a tag) are counted
     * against the same limit. */
    uint64_t left[MM_CBOR_MAX_NESTING + 1];
    unsigned top = 0;
    left[0] = 1;
    for (;;) {
        const uint8_t *at = r->pos;
        mm_cbor_head h;
        if (mm_cbor_flat_next(r, &h) != MM_OK) {
            return r->err;
        }
        left[top]--;
        uint64_t items = h.type == MM_CBOR_ARRAY ? h.arg : h.type == MM_CBOR_MAP ? 2 * h.arg : h.type == MM_CBOR_TAG;
        if (items != 0) {
            if (depth + top >= max_depth || top == MM_CBOR_MAX_NESTING) {
                return fail_at(r, MM_ERR_NESTING, at);
            }
            left[++top] = items;
        }
        while (left[top] == 0) {
            if (top == 0) {
                return MM_OK;
            }
            top--;
        }
    }
}

mm_err mm_cbor_flat_peek(const mm_cbor_flat *r, mm_cbor_head *h)
{
    if (r->err != MM_OK) {
        return r->err;
    }
    const uint8_t *p = r->pos;
    if (p >= r->end) {
        return p == r->base ? MM_ERR_CBOR_NO_ITEM : MM_ERR_TRUNCATED;
    }
    uint8_t ib;
    uint64_t arg;
    size_t hlen;
    mm_err e = mm_cbor_parse_head(p, r->end, r->flags, &ib, &arg, &hlen);
    if (e != MM_OK) {
        return e;
    }
    if (ib == CBOR_BREAK) {
        return MM_ERR_CBOR_BAD_BREAK;
    }
    unsigned mt = ib >> 5;
    unsigned ai = ib & 31u;
    h->arg = arg;
    h->str = p + hlen;
    if (mt < MT_SIMPLE) {
        h->type = (mm_cbor_type)mt;
        if ((mt == MT_BSTR || mt == MT_TSTR) && ai != AI_INDEF && arg > (uint64_t)(r->end - p - (ptrdiff_t)hlen)) {
            return MM_ERR_TRUNCATED;
        }
    } else if (ai < 20 || ai == 24) {
        h->type = MM_CBOR_SIMPLE;
    } else if (ai < 24) {
        h->type = (mm_cbor_type)(MM_CBOR_FALSE + (ai - 20));
    } else {
        h->type = MM_CBOR_FLOAT;
    }
    return MM_OK;
}
