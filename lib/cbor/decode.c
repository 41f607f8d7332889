/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CBOR pull decoder's engine: one step function reads one head (and a
 * string's content), keeps the frame stack, and enforces well-formedness and
 * the deterministic rules; a fast path takes the common items without its
 * generality. Typed reads (typed.c) and everything else are built on these.
 *
 * The stack always holds a frame for the top level (index 0), so the top
 * level is "a container of one item" (or of any number, for a sequence) and
 * needs no special case on the hot path. Public depths exclude it.
 */
#include "internal.h"

/* Frame kinds and flags are declared in cbor.h, which the inline fast path
 * needs; short names here. */
enum frame_kind {
    FR_TOP = MM_CBOR_FR_TOP,
    FR_ARRAY = MM_CBOR_FR_ARRAY,
    FR_MAP = MM_CBOR_FR_MAP,
    FR_TAG = MM_CBOR_FR_TAG,
    FR_WRAP = MM_CBOR_FR_WRAP,
};

#define FRF_INDEF    MM_CBOR_FRF_INDEF
#define FRF_EXPLICIT MM_CBOR_FRF_EXPLICIT
#define FRF_ODD      MM_CBOR_FRF_ODD
#define FRF_SLOW     MM_CBOR_FRF_SLOW
#define FRF_SEQ      MM_CBOR_FRF_SEQ

static mm_err fail_at(mm_cbor_dec *d, mm_err e, const uint8_t *at)
{
    return mm_cbor_dec_fail(d, e, (size_t)(at - d->base));
}

mm_err mm_cbor_dec_fail(mm_cbor_dec *dec, mm_err err, size_t offset)
{
    if (dec->err == MM_OK && err != MM_OK) {
        dec->err = err;
        dec->err_off = (uint32_t)offset;
        /* An empty readable region sends every later read to the slow path,
         * which returns the sticky error first. */
        dec->end = dec->base;
    }
    return dec->err;
}

mm_err mm_cbor_dec_init(mm_cbor_dec *dec, mm_bytes in, unsigned flags)
{
    if (dec == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    static const uint8_t empty[1] = {0};
    const uint8_t *p = in.ptr != NULL ? in.ptr : empty;
    dec->base = p;
    dec->pos = p;
    dec->end = p + (in.ptr != NULL ? in.len : 0);
    dec->err = MM_OK;
    dec->err_off = 0;
    dec->flags = flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED | MM_CBOR_ALLOW_INDEF | MM_CBOR_CHECK_UTF8 |
                          MM_CBOR_SEQUENCE);
    dec->depth = 1;
    dec->max_depth = MM_CBOR_DEFAULT_NESTING;
    mm_cbor_frame *top = &dec->stack[0];
    top->kind = FR_TOP;
    top->flags = FRF_EXPLICIT;
    top->flags |= (flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED | MM_CBOR_CHECK_UTF8)) != 0 ? FRF_SLOW : 0;
    top->flags |= (flags & MM_CBOR_SEQUENCE) != 0 ? FRF_SEQ | FRF_SLOW : 0;
    top->remaining = 1;
    top->prev_len = UINT32_MAX;
    top->key_off = 0;
    top->prev_off = 0;
    if ((in.ptr == NULL && in.len != 0) || (flags & ~0x1fu) != 0 ||
        ((flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0 && (flags & MM_CBOR_ALLOW_INDEF) != 0)) {
        return fail_at(dec, MM_ERR_INVALID_ARG, dec->base);
    }
    if (in.len >= UINT32_MAX) {
        return fail_at(dec, MM_ERR_TOO_LARGE, dec->base);
    }
    return MM_OK;
}

mm_err mm_cbor_dec_set_max_depth(mm_cbor_dec *dec, unsigned max_depth)
{
    if (max_depth == 0 || max_depth > MM_CBOR_MAX_NESTING) {
        return MM_ERR_INVALID_ARG;
    }
    dec->max_depth = (uint8_t)max_depth;
    return MM_OK;
}

mm_err mm_cbor_parse_head(const uint8_t *p, const uint8_t *end, unsigned flags, uint8_t *ib, uint64_t *arg,
                          size_t *hlen)
{
    uint8_t b = p[0];
    unsigned mt = b >> 5;
    unsigned ai = b & 31u;
    *ib = b;
    if (ai < 24) {
        *arg = ai;
        *hlen = 1;
        return MM_OK;
    }
    if (ai <= 27) {
        size_t n = (size_t)1 << (ai - 24);
        if ((size_t)(end - p) - 1 < n) {
            return MM_ERR_TRUNCATED;
        }
        uint64_t v = 0;
        for (size_t i = 1; i <= n; i++) {
            v = (v << 8) | p[i];
        }
        *arg = v;
        *hlen = 1 + n;
        if (mt == MT_SIMPLE) {
            if (ai == 24 && v < 32) {
                return MM_ERR_CBOR_BAD_SIMPLE;
            }
            return MM_OK; /* float widths are checked on the value */
        }
        if ((flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0) {
            static const uint64_t min_for[4] = {24, 0x100, 0x10000, 0x100000000ull};
            if (v < min_for[ai - 24]) {
                return MM_ERR_CBOR_NOT_SHORTEST;
            }
        }
        return MM_OK;
    }
    if (ai < AI_INDEF) {
        return MM_ERR_CBOR_RESERVED_AI;
    }
    *arg = 0;
    *hlen = 1;
    if (mt == MT_UINT || mt == MT_NINT || mt == MT_TAG) {
        return MM_ERR_CBOR_BAD_INDEF;
    }
    return MM_OK; /* indefinite string/array/map, or break */
}

/* Checks a float's value against the deterministic rules. */
static mm_err check_float_form(double v, unsigned size, uint64_t raw)
{
    uint16_t h;
    uint32_t s;
    if (mm_cbor_isnan(v)) {
        return size == 2 && raw == 0x7e00 ? MM_OK : MM_ERR_CBOR_FLOAT_FORM;
    }
    if (size == 4 && mm_cbor_double_to_half(v, &h)) {
        return MM_ERR_CBOR_FLOAT_FORM;
    }
    if (size == 8 && mm_cbor_double_to_single(v, &s)) {
        return MM_ERR_CBOR_FLOAT_FORM;
    }
    return MM_OK;
}

/* Reads the chunks of an indefinite-length string of major type mt; pos is
 * just after its head. On success pos is after the break. */
static mm_err read_chunks(mm_cbor_dec *d, unsigned mt, mm_cbor_item *it)
{
    const uint8_t *p = d->pos;
    const uint8_t *first = p;
    for (;;) {
        if (p >= d->end) {
            return fail_at(d, MM_ERR_TRUNCATED, p);
        }
        if (*p == CBOR_BREAK) {
            break;
        }
        uint8_t ib;
        uint64_t len;
        size_t hlen;
        mm_err e = mm_cbor_parse_head(p, d->end, d->flags, &ib, &len, &hlen);
        if (e != MM_OK) {
            return fail_at(d, e, p);
        }
        if ((unsigned)(ib >> 5) != mt || (ib & 31u) == AI_INDEF) {
            return fail_at(d, MM_ERR_CBOR_BAD_CHUNK, p);
        }
        const uint8_t *content = p + hlen;
        if (len > (uint64_t)(d->end - content)) {
            return fail_at(d, MM_ERR_TRUNCATED, p);
        }
        if (mt == MT_TSTR && (d->flags & MM_CBOR_CHECK_UTF8) != 0 && !mm_cbor_utf8_valid(content, (size_t)len)) {
            return fail_at(d, MM_ERR_CBOR_BAD_UTF8, p);
        }
        p = content + len;
    }
    it->str = mm_bytes_make(first, (size_t)(p - first));
    d->pos = p + 1;
    return MM_OK;
}

/* Pops automatic frames whose items are all read, down to depth floor. */
static mm_err pop_complete(mm_cbor_dec *d, unsigned floor)
{
    while (d->depth > floor) {
        mm_cbor_frame *fr = &d->stack[d->depth - 1];
        if ((fr->flags & FRF_EXPLICIT) != 0) {
            break;
        }
        if ((fr->flags & FRF_INDEF) == 0) {
            if (fr->remaining != 0) {
                break;
            }
        } else {
            if (d->pos >= d->end || *d->pos != CBOR_BREAK) {
                break;
            }
            if ((fr->flags & FRF_ODD) != 0) {
                return fail_at(d, MM_ERR_CBOR_BAD_BREAK, d->pos); /* map key without a value */
            }
            d->pos++;
        }
        d->depth--;
    }
    return MM_OK;
}

/* Deterministic maps: the key just finished must sort after the previous one. */
static mm_err check_key_order(mm_cbor_dec *d, mm_cbor_frame *fr, const uint8_t *value_start)
{
    uint32_t key_len = (uint32_t)(value_start - d->base) - fr->key_off;
    if (fr->prev_len != UINT32_MAX) {
        int c = mm_cbor_key_cmp(d->base + fr->key_off, key_len, d->base + fr->prev_off, fr->prev_len);
        if (c <= 0) {
            return fail_at(d, c == 0 ? MM_ERR_CBOR_DUP_KEY : MM_ERR_CBOR_UNSORTED, d->base + fr->key_off);
        }
    }
    fr->prev_off = fr->key_off;
    fr->prev_len = key_len;
    return MM_OK;
}

static mm_err push_frame(mm_cbor_dec *d, const uint8_t *at, uint8_t kind, uint8_t flags, uint32_t remaining)
{
    /* The top frame is not a nesting level: depth - 1 levels are open. */
    if (d->depth > d->max_depth) {
        return fail_at(d, MM_ERR_NESTING, at);
    }
    mm_cbor_frame *fr = &d->stack[d->depth++];
    fr->kind = kind;
    fr->flags = (uint8_t)(flags | (d->stack[0].flags & FRF_SLOW));
    fr->remaining = remaining;
    fr->prev_len = UINT32_MAX;
    fr->key_off = 0;
    fr->prev_off = 0;
    return MM_OK;
}

/* Preferred form of a bignum (tag 2/3): content a bstr without leading zeros
 * that does not fit in 64 bits. Checked on the head that follows the tag. */
static mm_err check_bignum_form(mm_cbor_dec *d, const uint8_t *tag_at)
{
    const uint8_t *p = d->pos;
    if (p >= d->end) {
        return MM_OK; /* truncation is reported when the content is read */
    }
    uint8_t ib;
    uint64_t len;
    size_t hlen;
    if (mm_cbor_parse_head(p, d->end, d->flags, &ib, &len, &hlen) != MM_OK || (ib >> 5) != MT_BSTR ||
        len > (uint64_t)(d->end - p - (ptrdiff_t)hlen)) {
        return MM_OK; /* not a bignum shape: reported where the content is read */
    }
    if (len <= 8 || p[hlen] == 0) {
        return fail_at(d, MM_ERR_CBOR_BIGNUM_FORM, tag_at);
    }
    return MM_OK;
}

/* Whether the innermost container has an item to read: MM_OK, or
 * MM_ERR_CBOR_NO_ITEM (not recorded), or a recorded error. */
static mm_err item_available(mm_cbor_dec *d, const mm_cbor_frame *fr)
{
    const uint8_t *p = d->pos;
    if ((fr->flags & FRF_SEQ) != 0) {
        return p < d->end ? MM_OK : MM_ERR_CBOR_NO_ITEM;
    }
    if ((fr->flags & FRF_INDEF) == 0) {
        if (fr->remaining != 0) {
            return fr->kind == FR_TOP && p >= d->end ? MM_ERR_CBOR_NO_ITEM : MM_OK;
        }
        if (fr->kind == FR_TOP && p < d->end) {
            return fail_at(d, MM_ERR_CBOR_TRAILING, p);
        }
        return MM_ERR_CBOR_NO_ITEM;
    }
    if (p < d->end && *p == CBOR_BREAK) {
        return (fr->flags & FRF_ODD) != 0 ? fail_at(d, MM_ERR_CBOR_BAD_BREAK, p) : MM_ERR_CBOR_NO_ITEM;
    }
    return MM_OK;
}

/*
 * Reads one item, in full generality. Returns MM_ERR_CBOR_NO_ITEM without
 * recording it when the innermost explicit container or the input is
 * exhausted. After a complete item, pops automatic frames down to floor.
 */
static mm_err step(mm_cbor_dec *d, mm_cbor_item *it, unsigned floor, unsigned mode)
{
    if (d->err != MM_OK) {
        return d->err;
    }
    mm_cbor_frame *fr = &d->stack[d->depth - 1];
    mm_err e = item_available(d, fr);
    if (e != MM_OK) {
        return e;
    }
    const uint8_t *p = d->pos;
    if (p >= d->end) {
        return fail_at(d, MM_ERR_TRUNCATED, p);
    }
    uint8_t ib;
    uint64_t arg;
    size_t hlen;
    e = mm_cbor_parse_head(p, d->end, d->flags, &ib, &arg, &hlen);
    if (e != MM_OK) {
        return fail_at(d, e, p);
    }
    if (ib == CBOR_BREAK) {
        return fail_at(d, MM_ERR_CBOR_BAD_BREAK, p);
    }

    /* The item counts against its container before anything else. */
    if (fr->kind == FR_MAP) {
        bool is_key = (fr->flags & FRF_INDEF) != 0 ? (fr->flags & FRF_ODD) == 0 : (fr->remaining & 1u) == 0;
        if ((d->flags & MM_CBOR_DETERMINISTIC) != 0) {
            if (is_key) {
                fr->key_off = (uint32_t)(p - d->base);
            } else if (check_key_order(d, fr, p) != MM_OK) {
                return d->err;
            }
        }
        fr->flags ^= (uint8_t)((fr->flags & FRF_INDEF) != 0 ? FRF_ODD : 0);
    }
    if ((fr->flags & (FRF_INDEF | FRF_SEQ)) == 0) {
        fr->remaining--;
    }

    unsigned mt = ib >> 5;
    unsigned ai = ib & 31u;
    it->flags = 0;
    it->float_size = 0;
    it->depth = (uint8_t)(d->depth - 1);
    it->offset = (uint32_t)(p - d->base);
    it->arg = arg;
    it->f = 0;
    it->str.ptr = NULL;
    it->str.len = 0;
    d->pos = p + hlen;

    switch (mt) {
    case MT_UINT:
    case MT_NINT:
        it->type = (mm_cbor_type)mt;
        break;
    case MT_BSTR:
    case MT_TSTR:
        it->type = (mm_cbor_type)mt;
        if (ai == AI_INDEF) {
            if ((d->flags & MM_CBOR_ALLOW_INDEF) == 0 || (mode & MM_CBOR_READ_WRAP) != 0) {
                return fail_at(d, MM_ERR_CBOR_INDEF, p);
            }
            it->flags = MM_CBOR_ITEM_INDEF;
            if (read_chunks(d, mt, it) != MM_OK) {
                return d->err;
            }
            break;
        }
        if (arg > (uint64_t)(d->end - d->pos)) {
            return fail_at(d, MM_ERR_TRUNCATED, p);
        }
        it->str = mm_bytes_make(d->pos, (size_t)arg);
        if (mt == MT_TSTR && (d->flags & MM_CBOR_CHECK_UTF8) != 0 && !mm_cbor_utf8_valid(d->pos, (size_t)arg)) {
            return fail_at(d, MM_ERR_CBOR_BAD_UTF8, p);
        }
        if ((mode & MM_CBOR_READ_WRAP) != 0) {
            /* The content is read in place as a nested item: narrow the
             * readable region to it until mm_cbor_exit(). */
            if (push_frame(d, p, FR_WRAP, FRF_EXPLICIT, 1) != MM_OK) {
                return d->err;
            }
            d->stack[d->depth - 1].prev_off = (uint32_t)(d->end - d->base);
            d->end = d->pos + arg;
            return MM_OK;
        }
        d->pos += arg;
        break;
    case MT_ARRAY:
    case MT_MAP: {
        it->type = (mm_cbor_type)mt;
        uint8_t kind = mt == MT_ARRAY ? FR_ARRAY : FR_MAP;
        uint8_t fl = (mode & MM_CBOR_READ_ENTER) != 0 ? FRF_EXPLICIT : 0;
        if (ai == AI_INDEF) {
            if ((d->flags & MM_CBOR_ALLOW_INDEF) == 0) {
                return fail_at(d, MM_ERR_CBOR_INDEF, p);
            }
            it->flags = MM_CBOR_ITEM_INDEF;
            if (push_frame(d, p, kind, (uint8_t)(fl | FRF_INDEF), 0) != MM_OK) {
                return d->err;
            }
            if ((mode & MM_CBOR_READ_ENTER) == 0) {
                return pop_complete(d, floor); /* [_ ] is complete at once */
            }
            return MM_OK;
        }
        /* Every item takes at least one byte: a count beyond what is left
         * cannot be satisfied, and refusing it now bounds every loop. */
        uint64_t left = (uint64_t)(d->end - d->pos);
        if (arg > left || (mt == MT_MAP && arg > left / 2)) {
            return fail_at(d, MM_ERR_TRUNCATED, p);
        }
        uint32_t items = (uint32_t)(mt == MT_MAP ? arg * 2 : arg);
        if (items != 0 || (mode & MM_CBOR_READ_ENTER) != 0) {
            return push_frame(d, p, kind, fl, items);
        }
        break;
    }
    case MT_TAG:
        it->type = MM_CBOR_TAG;
        if ((d->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0 && (arg == 2 || arg == 3) &&
            check_bignum_form(d, p) != MM_OK) {
            return d->err;
        }
        if (d->pos >= d->end) {
            return fail_at(d, MM_ERR_TRUNCATED, p);
        }
        return push_frame(d, p, FR_TAG, 0, 1);
    default: /* MT_SIMPLE */
        if (ai < 20 || ai == 24) {
            it->type = MM_CBOR_SIMPLE;
        } else if (ai < 24) {
            it->type = (mm_cbor_type)(MM_CBOR_FALSE + (ai - 20));
        } else {
            it->type = MM_CBOR_FLOAT;
            it->float_size = (uint8_t)(hlen - 1);
            if (ai == 25) {
                it->f = mm_cbor_half_to_double((uint16_t)arg);
            } else if (ai == 26) {
                it->f = mm_cbor_single_to_double((uint32_t)arg);
            } else {
                memcpy(&it->f, &arg, sizeof it->f);
            }
            if ((d->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0 &&
                (e = check_float_form(it->f, it->float_size, arg)) != MM_OK) {
                return fail_at(d, e, p);
            }
        }
        break;
    }
    return pop_complete(d, floor);
}

mm_err mm_cbor_internal_step(mm_cbor_dec *dec, mm_cbor_item *item, unsigned floor) { return step(dec, item, floor, 0); }

mm_err mm_cbor_internal_pop(mm_cbor_dec *dec, unsigned floor) { return pop_complete(dec, floor); }

/* The fast path lives in cbor.h so that walkers inline it. */
static inline mm_err step_fast(mm_cbor_dec *d, mm_cbor_item *it, unsigned floor)
{
    return mm_cbor_internal_step_fast(d, it, floor);
}

mm_err mm_cbor_read(mm_cbor_dec *d, mm_cbor_item *it, unsigned mode)
{
    mm_err e = mode == 0 ? step_fast(d, it, 0) : step(d, it, 0, mode);
    if (e == MM_ERR_CBOR_NO_ITEM) {
        return fail_at(d, e, d->pos);
    }
    return e;
}

static mm_err peek_head(mm_cbor_dec *dec, mm_cbor_item *item)
{
    const mm_cbor_frame *fr = &dec->stack[dec->depth - 1];
    const uint8_t *p = dec->pos;
    if ((fr->flags & FRF_SEQ) != 0     ? p >= dec->end
        : (fr->flags & FRF_INDEF) == 0 ? fr->remaining == 0 || (fr->kind == FR_TOP && p >= dec->end)
                                       : (p < dec->end && *p == CBOR_BREAK)) {
        return MM_ERR_CBOR_NO_ITEM;
    }
    if (p >= dec->end) {
        return MM_ERR_TRUNCATED;
    }
    uint8_t ib;
    uint64_t arg;
    size_t hlen;
    mm_err e = mm_cbor_parse_head(p, dec->end, dec->flags, &ib, &arg, &hlen);
    if (e != MM_OK) {
        return e;
    }
    if (ib == CBOR_BREAK) {
        return MM_ERR_CBOR_BAD_BREAK;
    }
    unsigned mt = ib >> 5;
    unsigned ai = ib & 31u;
    item->flags = ai == AI_INDEF ? MM_CBOR_ITEM_INDEF : 0;
    item->float_size = 0;
    item->depth = (uint8_t)(dec->depth - 1);
    item->offset = (uint32_t)(p - dec->base);
    item->arg = arg;
    item->f = 0;
    item->str.ptr = NULL;
    item->str.len = 0;
    if (mt < MT_SIMPLE) {
        item->type = (mm_cbor_type)mt;
        if ((mt == MT_BSTR || mt == MT_TSTR) && ai != AI_INDEF) {
            if (arg > (uint64_t)(dec->end - p - (ptrdiff_t)hlen)) {
                return MM_ERR_TRUNCATED;
            }
            item->str = mm_bytes_make(p + hlen, (size_t)arg);
        }
    } else if (ai < 20 || ai == 24) {
        item->type = MM_CBOR_SIMPLE;
    } else if (ai < 24) {
        item->type = (mm_cbor_type)(MM_CBOR_FALSE + (ai - 20));
    } else {
        item->type = MM_CBOR_FLOAT;
        item->float_size = (uint8_t)(hlen - 1);
        if (ai == 25) {
            item->f = mm_cbor_half_to_double((uint16_t)arg);
        } else if (ai == 26) {
            item->f = mm_cbor_single_to_double((uint32_t)arg);
        } else {
            memcpy(&item->f, &arg, sizeof item->f);
        }
    }
    return MM_OK;
}

/* A malformed head is sticky like any read's error (the item cannot be read
 * or skipped after it), so a caller that peeks and then returns
 * mm_cbor_dec_error() reports it; the end of a container is not. */
mm_err mm_cbor_peek(mm_cbor_dec *dec, mm_cbor_item *item)
{
    if (dec->err != MM_OK) {
        return dec->err;
    }
    mm_err e = peek_head(dec, item);
    if (e != MM_OK && e != MM_ERR_CBOR_NO_ITEM) {
        return mm_cbor_dec_fail(dec, e, (size_t)(dec->pos - dec->base));
    }
    return e;
}

bool mm_cbor_more(mm_cbor_dec *dec)
{
    if (dec->err != MM_OK) {
        return false;
    }
    const mm_cbor_frame *fr = &dec->stack[dec->depth - 1];
    if ((fr->flags & FRF_SEQ) != 0) {
        return dec->pos < dec->end;
    }
    if ((fr->flags & FRF_INDEF) != 0) {
        return dec->pos < dec->end && *dec->pos != CBOR_BREAK;
    }
    return fr->remaining != 0 && (fr->kind != FR_TOP || dec->pos < dec->end);
}

unsigned mm_cbor_dec_depth(const mm_cbor_dec *dec) { return dec->depth - 1u; }

bool mm_cbor_chunk_next(mm_bytes *area, mm_bytes *chunk)
{
    if (area->len == 0) {
        return false;
    }
    /* The area was validated by the decoder; still never read past it. */
    uint8_t ib;
    uint64_t len;
    size_t hlen;
    if (mm_cbor_parse_head(area->ptr, area->ptr + area->len, 0, &ib, &len, &hlen) != MM_OK || len > area->len - hlen) {
        area->len = 0;
        return false;
    }
    *chunk = mm_bytes_make(area->ptr + hlen, (size_t)len);
    area->ptr += hlen + len;
    area->len -= hlen + (size_t)len;
    return true;
}

/* Skips one item; *end_off gets the offset just past it (before any break
 * that closes an enclosing container). */
static mm_err skip_one(mm_cbor_dec *d, uint32_t *end_off)
{
    unsigned target = d->depth;
    mm_cbor_item it;
    mm_err e = step_fast(d, &it, target);
    if (e == MM_ERR_CBOR_NO_ITEM) {
        return fail_at(d, e, d->pos);
    }
    while (e == MM_OK && d->depth > target) {
        e = step_fast(d, &it, target);
        if (e == MM_ERR_CBOR_NO_ITEM) {
            return fail_at(d, MM_ERR_STATE, d->pos); /* cannot happen in automatic frames */
        }
    }
    if (e != MM_OK) {
        return e;
    }
    *end_off = (uint32_t)(d->pos - d->base);
    return pop_complete(d, 0);
}

mm_err mm_cbor_skip(mm_cbor_dec *dec)
{
    uint32_t end_off;
    return skip_one(dec, &end_off);
}

mm_err mm_cbor_get_raw(mm_cbor_dec *dec, mm_bytes *raw)
{
    const uint8_t *start = dec->pos;
    uint32_t end_off;
    mm_err e = skip_one(dec, &end_off);
    if (e != MM_OK) {
        return e;
    }
    *raw = mm_bytes_make(start, (size_t)(dec->base + end_off - start));
    return MM_OK;
}

mm_err mm_cbor_exit(mm_cbor_dec *dec)
{
    if (dec->err != MM_OK) {
        return dec->err;
    }
    /* The innermost explicit frame (not the top), and what is left of any
     * automatic frames above it (a tag or container the caller started but
     * did not finish). */
    unsigned k = dec->depth;
    while (k > 1 && (dec->stack[k - 1].flags & FRF_EXPLICIT) == 0) {
        k--;
    }
    if (k <= 1) {
        return fail_at(dec, MM_ERR_STATE, dec->pos);
    }
    mm_cbor_item it;
    while (dec->depth > k) {
        mm_err e = step(dec, &it, k, 0);
        if (e != MM_OK) {
            return e == MM_ERR_CBOR_NO_ITEM ? fail_at(dec, MM_ERR_STATE, dec->pos) : e;
        }
    }
    mm_cbor_frame *fr = &dec->stack[k - 1];
    if (fr->kind == FR_WRAP && fr->remaining != 0 && dec->pos == dec->end) {
        return fail_at(dec, MM_ERR_CBOR_BAD_WRAP, dec->pos); /* an empty wrap holds no item */
    }
    uint32_t end_off;
    while (mm_cbor_more(dec)) {
        if (skip_one(dec, &end_off) != MM_OK) {
            return dec->err;
        }
    }
    if (dec->err != MM_OK) {
        return dec->err;
    }
    if (fr->kind == FR_WRAP) {
        if (dec->pos != dec->end) {
            return fail_at(dec, MM_ERR_CBOR_BAD_WRAP, dec->pos);
        }
        dec->end = dec->base + fr->prev_off;
    } else if ((fr->flags & FRF_INDEF) != 0) {
        if (dec->pos >= dec->end) {
            return fail_at(dec, MM_ERR_TRUNCATED, dec->pos);
        }
        if ((fr->flags & FRF_ODD) != 0) {
            return fail_at(dec, MM_ERR_CBOR_BAD_BREAK, dec->pos);
        }
        dec->pos++; /* the break */
    }
    dec->depth--;
    return pop_complete(dec, 0);
}

mm_err mm_cbor_dec_finish(mm_cbor_dec *dec)
{
    if (dec->err != MM_OK) {
        return dec->err;
    }
    if (dec->depth > 1) {
        return fail_at(dec, mm_cbor_more(dec) ? MM_ERR_CBOR_ITEMS_LEFT : MM_ERR_STATE, dec->pos);
    }
    const mm_cbor_frame *top = &dec->stack[0];
    if ((top->flags & FRF_SEQ) == 0 && top->remaining != 0) {
        return fail_at(dec, dec->pos < dec->end ? MM_ERR_CBOR_ITEMS_LEFT : MM_ERR_CBOR_NO_ITEM, dec->pos);
    }
    if (dec->pos != dec->end) {
        return fail_at(dec, (top->flags & FRF_SEQ) != 0 ? MM_ERR_CBOR_ITEMS_LEFT : MM_ERR_CBOR_TRAILING, dec->pos);
    }
    return MM_OK;
}

mm_err mm_cbor_check(mm_bytes in, unsigned flags, size_t *err_off)
{
    mm_cbor_dec dec;
    mm_err e = mm_cbor_dec_init(&dec, in, flags);
    while (e == MM_OK && dec.pos < dec.end) {
        e = mm_cbor_skip(&dec);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&dec);
    }
    if (e != MM_OK && err_off != NULL) {
        *err_off = dec.err_off;
    }
    return e;
}
