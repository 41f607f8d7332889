/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori CBOR (RFC 8949): a zero-copy pull decoder, an encoder into caller
 * buffers, a table-driven map decoder and a diagnostic-notation printer.
 *
 * Decoder model
 * -------------
 * An mm_cbor_dec is a cursor over one caller-owned input. The caller
 * allocates it (stack or static), calls mm_cbor_dec_init(), reads, and calls
 * mm_cbor_dec_finish(). Nothing is allocated; strings come back as views into
 * the input and stay valid as long as the input does. Containers are tracked
 * on a fixed stack inside the struct (MM_CBOR_MAX_NESTING frames); the nesting
 * limit actually enforced is set per decoder (default MM_CBOR_DEFAULT_NESTING).
 * Arrays, maps, tags and entered byte-string-wrapped items each take a level.
 *
 * Errors are sticky: the first error is recorded with the byte offset of the
 * item that caused it, and every later call returns that error without
 * reading. A sequence of reads can therefore be checked once, at the end, and
 * nothing decoded after a failure can be mistaken for data.
 *
 * Two ways to read:
 * - mm_cbor_next() walks every item in document order; containers are entered
 *   as they are met and left automatically when their last item has been
 *   read. This is what printers and generic walkers use.
 * - The typed calls (mm_cbor_get_*, mm_cbor_enter_*, mm_cbor_exit,
 *   mm_cbor_skip, mm_cbor_get_raw) are what protocol code uses. A container
 *   entered with mm_cbor_enter_array/map/wrapped stays open until
 *   mm_cbor_exit(); reading past its last item fails with MM_ERR_CBOR_NO_ITEM
 *   instead of silently reading the parent's next item.
 *
 * Well-formedness (RFC 8949 section 3 and Appendix F) is always checked.
 * Deterministic mode (MM_CBOR_DETERMINISTIC, section 4.2.1) additionally
 * rejects non-shortest heads and floats, indefinite lengths, unsorted or
 * duplicate map keys, and bignums not in preferred form. Indefinite lengths
 * are refused unless MM_CBOR_ALLOW_INDEF is given.
 *
 * Inputs are limited to 4 GiB - 1 (offsets are 32-bit to keep the frame
 * stack small on devices).
 */
#ifndef MAMORI_CBOR_H
#define MAMORI_CBOR_H

#include "mamori/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Item types. The first seven are the major types 0..6 of RFC 8949; major type
 * 7 is split into its kinds. */
typedef enum mm_cbor_type {
    MM_CBOR_UINT = 0,   /* arg holds the value */
    MM_CBOR_NINT = 1,   /* the value is -1 - arg */
    MM_CBOR_BSTR = 2,   /* str holds the content (definite length) */
    MM_CBOR_TSTR = 3,   /* str holds the UTF-8 content (definite length) */
    MM_CBOR_ARRAY = 4,  /* arg holds the item count (definite length) */
    MM_CBOR_MAP = 5,    /* arg holds the number of pairs (definite length) */
    MM_CBOR_TAG = 6,    /* arg holds the tag number; the tagged item follows */
    MM_CBOR_SIMPLE = 7, /* arg holds a simple value other than the four below */
    MM_CBOR_FALSE = 8,
    MM_CBOR_TRUE = 9,
    MM_CBOR_NULL = 10,
    MM_CBOR_UNDEFINED = 11,
    MM_CBOR_FLOAT = 12, /* f holds the value; float_size says 2, 4 or 8 bytes */
} mm_cbor_type;

/* Item flags. */
#define MM_CBOR_ITEM_INDEF 0x1u /* indefinite length (string, array or map) */

/* One decoded data item (its head, and for strings its content). */
typedef struct mm_cbor_item {
    mm_cbor_type type;
    uint8_t flags;      /* MM_CBOR_ITEM_* */
    uint8_t float_size; /* 2, 4 or 8 for MM_CBOR_FLOAT, else 0 */
    uint8_t depth;      /* nesting level the item sits at; 0 = top level */
    uint32_t offset;    /* offset of the item's head in the input */
    uint64_t arg;       /* see mm_cbor_type */
    double f;           /* MM_CBOR_FLOAT only (0 for other types) */
    /* Strings: the content. For an indefinite-length string, the bytes of its
     * chunks (heads included, break excluded): see mm_cbor_chunk_next(). */
    mm_bytes str;
} mm_cbor_item;

/* Decoder flags. */
#define MM_CBOR_DETERMINISTIC 0x1u  /* RFC 8949 section 4.2.1 core deterministic */
#define MM_CBOR_ALLOW_INDEF   0x2u  /* accept indefinite lengths (not with DETERMINISTIC) */
#define MM_CBOR_CHECK_UTF8    0x4u  /* validate text strings as UTF-8 */
#define MM_CBOR_SEQUENCE      0x8u  /* input is a CBOR sequence (RFC 8742), not one item */
#define MM_CBOR_PREFERRED     0x10u /* preferred serialization (section 4.1): DETERMINISTIC without the key order */

/* Count reported by mm_cbor_enter_array/map for an indefinite-length item. */
#define MM_CBOR_INDEF_COUNT SIZE_MAX

/* One open container (internal; exposed only so the caller can allocate). */
typedef struct mm_cbor_frame {
    uint32_t remaining; /* definite: items (keys and values) left */
    uint32_t key_off;   /* deterministic maps: offset of the current key */
    uint32_t prev_off;  /* maps: previous key's offset; wraps: outer end */
    uint32_t prev_len;  /* maps: previous key's length, UINT32_MAX if none */
    uint8_t kind;
    uint8_t flags;
} mm_cbor_frame;

/* The decoder (all fields internal). */
typedef struct mm_cbor_dec {
    const uint8_t *base; /* start of the input */
    const uint8_t *pos;  /* next byte to read */
    const uint8_t *end;  /* end of the readable region (narrowed inside wraps) */
    uint32_t err_off;
    mm_err err;
    unsigned flags;
    uint8_t depth;
    uint8_t max_depth;
    mm_cbor_frame stack[MM_CBOR_MAX_NESTING + 1]; /* [0] is the top level */
} mm_cbor_dec;

/* Starts decoding in. flags: MM_CBOR_*. The nesting limit starts at
 * MM_CBOR_DEFAULT_NESTING. Errors (also recorded as the sticky error):
 * MM_ERR_INVALID_ARG for a NULL pointer with non-zero length or a flag
 * combination that contradicts itself; MM_ERR_TOO_LARGE for 4 GiB or more. */
mm_err mm_cbor_dec_init(mm_cbor_dec *dec, mm_bytes in, unsigned flags);

/* Sets the nesting limit (1..MM_CBOR_MAX_NESTING); call before reading. */
mm_err mm_cbor_dec_set_max_depth(mm_cbor_dec *dec, unsigned max_depth);

/* Ends decoding: returns the sticky error if any; MM_ERR_CBOR_ITEMS_LEFT when
 * an entered container still has items, MM_ERR_STATE when one was not exited,
 * MM_ERR_CBOR_TRAILING when bytes follow the top-level item (unless
 * MM_CBOR_SEQUENCE), MM_ERR_CBOR_NO_ITEM when the input was empty. */
MM_NODISCARD mm_err mm_cbor_dec_finish(mm_cbor_dec *dec);

/* The sticky error (MM_OK if none) and the byte offset it refers to. */
static inline mm_err mm_cbor_dec_error(const mm_cbor_dec *dec, size_t *offset)
{
    if (offset != NULL) {
        *offset = dec->err_off;
    }
    return dec->err;
}

/* Number of containers (arrays, maps, tags, wraps) open around the next
 * item: 0 at the top level. */
unsigned mm_cbor_dec_depth(const mm_cbor_dec *dec);

/* Offset of the next byte to read. */
static inline size_t mm_cbor_dec_offset(const mm_cbor_dec *dec) { return (size_t)(dec->pos - dec->base); }

/* Records err at offset as the sticky error (if none is recorded yet) and
 * returns the sticky error. Lets protocol code fail a decode for semantic
 * reasons with the same reporting path. */
mm_err mm_cbor_dec_fail(mm_cbor_dec *dec, mm_err err, size_t offset);

/*
 * Generic walk.
 */

/* Internal: frame kinds and flags, and the general paths of the decoder;
 * declared here only for the inline fast path below. */
#define MM_CBOR_FR_TOP       1
#define MM_CBOR_FR_ARRAY     2
#define MM_CBOR_FR_MAP       3
#define MM_CBOR_FR_TAG       4
#define MM_CBOR_FR_WRAP      5
#define MM_CBOR_FRF_INDEF    0x01u
#define MM_CBOR_FRF_EXPLICIT 0x02u
#define MM_CBOR_FRF_ODD      0x04u
#define MM_CBOR_FRF_SLOW     0x08u
#define MM_CBOR_FRF_SEQ      0x10u
mm_err mm_cbor_internal_step(mm_cbor_dec *dec, mm_cbor_item *item, unsigned floor);
mm_err mm_cbor_internal_pop(mm_cbor_dec *dec, unsigned floor);

/* The general path through a separate item, copied out: the caller's item
 * then never escapes the inline fast path, and the compiler can drop the
 * stores of fields its caller does not read. */
static inline mm_err mm_cbor_internal_slow(mm_cbor_dec *d, mm_cbor_item *it, unsigned floor)
{
    mm_cbor_item tmp;
    mm_err e = mm_cbor_internal_step(d, &tmp, floor);
    *it = tmp;
    return e;
}

/*
 * The common case, kept small enough to stay in registers: an item inside a
 * definite-length container (the top level counts as one) in a mode without
 * per-item checks, whose head is not indefinite, reserved, a float or a
 * two-byte simple value, and fits the input. Everything else, every error
 * included, is handed to step(); this path only takes decisions step() would
 * take the same way.
 */
static inline mm_err mm_cbor_internal_step_fast(mm_cbor_dec *d, mm_cbor_item *it, unsigned floor)
{
    const uint8_t *p = d->pos;
    const uint8_t *end = d->end;
    unsigned depth = d->depth;
    mm_cbor_frame *fr = &d->stack[depth - 1];
    uint32_t rem = fr->remaining;
    if (p >= end || (fr->flags & ~MM_CBOR_FRF_EXPLICIT) != 0 || rem == 0) {
        return mm_cbor_internal_slow(d, it, floor);
    }
    unsigned ib = *p;
    unsigned mt = ib >> 5;
    uint64_t arg = ib & 31u;
    const uint8_t *q = p + 1;
    if (arg >= 24) {
        size_t left = (size_t)(end - q);
        if (mt == 7u) {
            return mm_cbor_internal_slow(d, it, floor);
        }
        if (arg == 24 && left >= 1) {
            arg = q[0];
            q += 1;
        } else if (arg == 25 && left >= 2) {
            arg = ((uint64_t)q[0] << 8) | q[1];
            q += 2;
        } else if (arg == 26 && left >= 4) {
            arg = ((uint64_t)q[0] << 24) | ((uint64_t)q[1] << 16) | ((uint64_t)q[2] << 8) | q[3];
            q += 4;
        } else if (arg == 27 && left >= 8) {
            uint64_t v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | q[i];
            }
            arg = v;
            q += 8;
        } else {
            return mm_cbor_internal_slow(d, it, floor);
        }
    }
    it->flags = 0;
    it->float_size = 0;
    it->depth = (uint8_t)(depth - 1);
    it->offset = (uint32_t)(p - d->base);
    it->arg = arg;
    it->f = 0;
    it->str.ptr = NULL;
    it->str.len = 0;
    it->type = (mm_cbor_type)mt;
    switch (mt) {
    case 0u:
    case 1u:
        break;
    case 2u:
    case 3u:
        if (arg > (uint64_t)(end - q)) {
            return mm_cbor_internal_slow(d, it, floor);
        }
        it->str.ptr = q;
        it->str.len = (size_t)arg;
        q += arg;
        break;
    case 4u:
    case 5u:
    case 6u: {
        uint64_t left = (uint64_t)(end - q);
        if (mt != 6u && arg > left) {
            return mm_cbor_internal_slow(d, it, floor); /* checked first: arg * 2 below cannot wrap */
        }
        uint64_t items = mt == 6u ? 1 : mt == 5u ? arg * 2 : arg;
        if (items > left || (items != 0 && depth > d->max_depth)) {
            return mm_cbor_internal_slow(d, it, floor);
        }
        if (items == 0) {
            break; /* an empty container is complete at once */
        }
        fr->remaining = rem - 1;
        d->pos = q;
        mm_cbor_frame *child = fr + 1;
        child->kind = mt == 4u ? MM_CBOR_FR_ARRAY : mt == 5u ? MM_CBOR_FR_MAP : MM_CBOR_FR_TAG;
        child->flags = 0;
        child->remaining = (uint32_t)items;
        child->prev_len = UINT32_MAX;
        d->depth = (uint8_t)(depth + 1);
        return MM_OK;
    }
    default:
        /* false, true, null, undefined; floats and other simple values are
         * rare in protocols and go the long way. */
        if (arg < 20 || arg > 23) {
            return mm_cbor_internal_slow(d, it, floor);
        }
        it->type = (mm_cbor_type)(MM_CBOR_FALSE + (arg - 20));
        break;
    }
    d->pos = q;
    fr->remaining = rem - 1;
    if (rem == 1) {
        /* Close the definite automatic containers this item completes;
         * indefinite ones (a break to consume) go the long way. */
        while (depth > floor && fr->flags == 0 && fr->remaining == 0) {
            depth--;
            fr--;
        }
        d->depth = (uint8_t)depth;
        if (depth > floor && (fr->flags & MM_CBOR_FRF_INDEF) != 0) {
            return mm_cbor_internal_pop(d, floor);
        }
    }
    return MM_OK;
}

/* Reads the next item in document order. Containers and tags are entered
 * automatically; definite strings are returned whole; an indefinite string is
 * returned as one item with MM_CBOR_ITEM_INDEF set, its chunks already
 * checked. At the end of an entered container returns MM_ERR_CBOR_NO_ITEM
 * (not sticky); at the end of the input MM_ERR_CBOR_NO_ITEM as well. Inline:
 * walkers over large documents spend most of their time here. */
MM_NODISCARD static inline mm_err mm_cbor_next(mm_cbor_dec *dec, mm_cbor_item *item)
{
    return mm_cbor_internal_step_fast(dec, item, 0);
}

/* Looks at the next item's head without consuming it (string contents are
 * bounds-checked, not validated). Returns MM_ERR_CBOR_NO_ITEM (not sticky)
 * when the current container is exhausted; a malformed head sets the sticky
 * error, as reading it would. */
MM_NODISCARD mm_err mm_cbor_peek(mm_cbor_dec *dec, mm_cbor_item *item);

/* True when the innermost open container (or the top-level sequence) has
 * another item to read. False on error. */
bool mm_cbor_more(mm_cbor_dec *dec);

/* Iterates the chunks of an indefinite-length string item: *area starts as
 * item->str and is advanced; each call stores the next chunk's content in
 * *chunk and returns true, or returns false when none is left. */
bool mm_cbor_chunk_next(mm_bytes *area, mm_bytes *chunk);

/*
 * Typed reads. Each reads exactly one item of the stated type or fails with
 * MM_ERR_CBOR_TYPE (or MM_ERR_CBOR_RANGE for a value out of range) recorded
 * at the item's offset.
 */
MM_NODISCARD mm_err mm_cbor_get_uint(mm_cbor_dec *dec, uint64_t *v);
/* Major type 0 or 1, in [min, max]. */
MM_NODISCARD mm_err mm_cbor_get_int(mm_cbor_dec *dec, int64_t min, int64_t max, int64_t *v);
/* Definite-length byte string (MM_ERR_CBOR_INDEF for an indefinite one). */
MM_NODISCARD mm_err mm_cbor_get_bstr(mm_cbor_dec *dec, mm_bytes *v);
/* Definite-length text string. */
MM_NODISCARD mm_err mm_cbor_get_tstr(mm_cbor_dec *dec, mm_bytes *v);
MM_NODISCARD mm_err mm_cbor_get_bool(mm_cbor_dec *dec, bool *v);
MM_NODISCARD mm_err mm_cbor_get_null(mm_cbor_dec *dec);
/* Any float (half, single, double) as a double. */
MM_NODISCARD mm_err mm_cbor_get_float(mm_cbor_dec *dec, double *v);
/* A tag's number; the tagged item is the next item to read. */
MM_NODISCARD mm_err mm_cbor_get_tag(mm_cbor_dec *dec, uint64_t *tag);
/* If the next item is tag `tag`, consumes the tag and sets *present;
 * otherwise reads nothing and clears *present. */
MM_NODISCARD mm_err mm_cbor_opt_tag(mm_cbor_dec *dec, uint64_t tag, bool *present);
/* An unsigned or negative integer or a bignum (tags 2 and 3): *negative and
 * the big-endian magnitude m, the value being m or -1 - m. For ints the
 * magnitude is written into the caller's 8-byte scratch. */
MM_NODISCARD mm_err mm_cbor_get_bigint(mm_cbor_dec *dec, bool *negative, uint8_t scratch[8], mm_bytes *magnitude);
/* Reads any item; containers are entered as mm_cbor_next() does. */
MM_NODISCARD mm_err mm_cbor_get_item(mm_cbor_dec *dec, mm_cbor_item *item);

/* Enters a definite-length array (or indefinite with MM_CBOR_ALLOW_INDEF,
 * then *count is MM_CBOR_INDEF_COUNT). The array stays open until
 * mm_cbor_exit(). */
MM_NODISCARD mm_err mm_cbor_enter_array(mm_cbor_dec *dec, size_t *count);
/* Enters a map; *count is the number of key/value pairs. */
MM_NODISCARD mm_err mm_cbor_enter_map(mm_cbor_dec *dec, size_t *count);
/* Enters a byte string that holds exactly one encoded CBOR item
 * ("bstr .cbor"); *content (may be NULL) receives the string's bytes. The
 * item inside is read with the same calls, and must be consumed exactly:
 * mm_cbor_exit() fails with MM_ERR_CBOR_BAD_WRAP otherwise. */
MM_NODISCARD mm_err mm_cbor_enter_wrapped(mm_cbor_dec *dec, mm_bytes *content);
/* Leaves the innermost entered container, skipping (and checking) any items
 * not read. */
MM_NODISCARD mm_err mm_cbor_exit(mm_cbor_dec *dec);

/* Skips the next item whole, checking it. */
MM_NODISCARD mm_err mm_cbor_skip(mm_cbor_dec *dec);
/* Skips the next item and returns its exact encoded bytes (for digests and
 * signature inputs), tags included. */
MM_NODISCARD mm_err mm_cbor_get_raw(mm_cbor_dec *dec, mm_bytes *raw);

/* True when p[0..n) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF): what MM_CBOR_CHECK_UTF8 checks of
 * every text string, for protocol code that checks only the strings it
 * keeps (and so reads on the decoder's fast path). */
bool mm_cbor_utf8_valid(const uint8_t *p, size_t n);

/* Checks that in holds exactly one well-formed item (a sequence with
 * MM_CBOR_SEQUENCE) under flags and the default nesting limit. On failure
 * *err_off (may be NULL) receives the offset of the offending byte. */
MM_NODISCARD mm_err mm_cbor_check(mm_bytes in, unsigned flags, size_t *err_off);

/*
 * Flat reads.
 *
 * For protocol code whose grammar names the type of every item it reads
 * (SUIT manifests and command sequences): heads are read one at a time from
 * a bounded cursor, with no container stack and no item struct, so that a
 * small integer costs a few instructions. The grammar, not the reader,
 * counts the items of arrays and maps and knows where each item ends; the
 * caller checks that the input ends where its grammar does
 * (mm_cbor_flat_finish()). A string's content is skipped with its head.
 *
 * Each head is checked as the decoder checks it, with the decoder's error
 * codes: inside the input (at its very end: MM_ERR_CBOR_NO_ITEM when nothing
 * was read yet, else MM_ERR_TRUNCATED), no reserved additional information,
 * no break, no indefinite length (MM_ERR_CBOR_INDEF: flat reads have none),
 * no two-byte simple value below 32, a string's content inside the input, an
 * array's or map's count no larger than the bytes left, a tag followed by
 * something; with MM_CBOR_PREFERRED or MM_CBOR_DETERMINISTIC the shortest
 * head and float and preferred bignums; with MM_CBOR_CHECK_UTF8 valid text.
 * The key order of deterministic maps is checked by mm_cbor_flat_value().
 * Errors are sticky: the first is recorded with the offset of its head, and
 * every later read returns it.
 */
typedef struct mm_cbor_flat {
    const uint8_t *base; /* start of the input: offsets count from here */
    const uint8_t *pos;  /* next head */
    const uint8_t *end;  /* end of the input (the current position after an error) */
    unsigned flags;      /* MM_CBOR_PREFERRED, MM_CBOR_DETERMINISTIC, MM_CBOR_CHECK_UTF8 */
    mm_err err;
    uint32_t err_off;
} mm_cbor_flat;

/* One head, as a flat read returns it. */
typedef struct mm_cbor_head {
    mm_cbor_type type;  /* as for mm_cbor_item */
    uint64_t arg;       /* value, length, count, tag number, simple value; a float's encoded bits */
    const uint8_t *str; /* strings: the content, arg bytes */
} mm_cbor_head;

/* The keys of a deterministic map being read: the caller sets key to the
 * position of each key before reading it (mm_cbor_flat_key()); prev is
 * NULL before the first. */
typedef struct mm_cbor_flat_keys {
    const uint8_t *key;
    const uint8_t *prev;
    size_t prev_len;
} mm_cbor_flat_keys;

/* Starts flat reads of in. Errors (also recorded): MM_ERR_INVALID_ARG for a
 * NULL pointer with a length or a flag other than those above,
 * MM_ERR_TOO_LARGE for 4 GiB or more. */
mm_err mm_cbor_flat_init(mm_cbor_flat *r, mm_bytes in, unsigned flags);

/* Records err at offset as the sticky error (unless one is recorded) and
 * returns the sticky error. */
mm_err mm_cbor_flat_fail(mm_cbor_flat *r, mm_err err, size_t offset);

/* The general path of mm_cbor_flat_next() and mm_cbor_flat_value()
 * (internal; keys is NULL but for a map's value). */
mm_err mm_cbor_internal_flat(mm_cbor_flat *r, mm_cbor_head *h, mm_cbor_flat_keys *keys);

/* Reads the next head (and skips a string's content). Inline: the common
 * heads (integers, short strings, small counts) never leave it. */
MM_NODISCARD static inline mm_err mm_cbor_flat_next(mm_cbor_flat *r, mm_cbor_head *h)
{
    const uint8_t *p = r->pos;
    const uint8_t *end = r->end;
    if (p < end) {
        unsigned ib = *p;
        unsigned mt = ib >> 5;
        uint64_t arg = ib & 31u;
        const uint8_t *q = p + 1;
        if (arg >= 24) {
            /* One-byte arguments: the common longer head (labels and
             * commands from 24 up, digests' 32 bytes). */
            if (arg != 24 || mt == 7u || q >= end ||
                (q[0] < 24 && (r->flags & (MM_CBOR_DETERMINISTIC | MM_CBOR_PREFERRED)) != 0)) {
                return mm_cbor_internal_flat(r, h, NULL);
            }
            arg = *q++;
        }
        size_t left = (size_t)(end - q);
        switch (mt) {
        case 0u:
        case 1u:
            break;
        case 2u:
            if (arg > left) {
                return mm_cbor_internal_flat(r, h, NULL);
            }
            h->str = q;
            q += arg;
            break;
        case 4u:
        case 5u:
            if (arg > (mt == 4u ? left : left / 2)) {
                return mm_cbor_internal_flat(r, h, NULL);
            }
            break;
        case 7u: /* false, true, null, undefined; other simple values the long way */
            if (arg < 20 || arg > 23) {
                return mm_cbor_internal_flat(r, h, NULL);
            }
            mt = MM_CBOR_FALSE + (unsigned)(arg - 20);
            break;
        default: /* text (UTF-8 checks), tags (bignums) */
            return mm_cbor_internal_flat(r, h, NULL);
        }
        h->type = (mm_cbor_type)mt;
        h->arg = arg;
        r->pos = q;
        return MM_OK;
    }
    return mm_cbor_internal_flat(r, h, NULL);
}

/* Reads a map key (as mm_cbor_flat_next()), noting where it starts for the
 * order check of mm_cbor_flat_value(). */
MM_NODISCARD static inline mm_err mm_cbor_flat_key(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_cbor_head *h)
{
    keys->key = r->pos;
    return mm_cbor_flat_next(r, h);
}

/* Reads the first head of a map's value. With MM_CBOR_DETERMINISTIC the key
 * just read (from keys->key up to here) must sort after the previous one
 * (MM_ERR_CBOR_UNSORTED, or MM_ERR_CBOR_DUP_KEY when equal, at the key),
 * checked where the decoder checks it: once the value's head is parsed. */
MM_NODISCARD mm_err mm_cbor_flat_value(mm_cbor_flat *r, mm_cbor_flat_keys *keys, mm_cbor_head *h);

/* Looks at the next head without reading it or recording anything, as
 * mm_cbor_peek() does: only the head itself and a definite string's bounds
 * are checked (MM_ERR_CBOR_NO_ITEM / MM_ERR_TRUNCATED at the end). Lets a
 * grammar refuse an item of the wrong type before reading it whole. */
MM_NODISCARD mm_err mm_cbor_flat_peek(const mm_cbor_flat *r, mm_cbor_head *h);

/* The offset of the next head. */
static inline size_t mm_cbor_flat_offset(const mm_cbor_flat *r) { return (size_t)(r->pos - r->base); }

/* The sticky error (MM_OK if none) and its offset (may be NULL). */
static inline mm_err mm_cbor_flat_error(const mm_cbor_flat *r, size_t *offset)
{
    if (offset != NULL) {
        *offset = r->err_off;
    }
    return r->err;
}

/* Skips the next item whole (containers and tags with their content),
 * checking every head. depth is the nesting level the item sits at; a
 * container or tag it would open beyond max_depth (at most
 * MM_CBOR_MAX_NESTING) is refused with MM_ERR_NESTING, as the decoder does
 * at that depth. No recursion. */
MM_NODISCARD mm_err mm_cbor_flat_skip(mm_cbor_flat *r, unsigned depth, unsigned max_depth);

/* Ends flat reads: the sticky error; MM_ERR_CBOR_TRAILING when bytes are
 * left after what was read (MM_ERR_CBOR_ITEMS_LEFT when nothing was read,
 * MM_ERR_CBOR_NO_ITEM for an empty input). */
MM_NODISCARD mm_err mm_cbor_flat_finish(mm_cbor_flat *r);

/*
 * Table-driven map decoding: one engine for COSE headers, SUIT parameters,
 * EAT claims and TEEP messages. Each field names its label, how to decode the
 * value and where to store it in the caller's struct. Duplicate labels are
 * refused; unknown labels go to the caller's handler or are refused.
 */
typedef enum mm_cbor_field_kind {
    MM_CBOR_F_UINT,    /* uint64_t */
    MM_CBOR_F_INT,     /* int64_t (major type 0 or 1 within int64) */
    MM_CBOR_F_BSTR,    /* mm_bytes */
    MM_CBOR_F_TSTR,    /* mm_bytes */
    MM_CBOR_F_BOOL,    /* bool */
    MM_CBOR_F_RAW,     /* mm_bytes: the value's encoded bytes, any type */
    MM_CBOR_F_WRAPPED, /* mm_bytes: content of a bstr holding one CBOR item (checked) */
    MM_CBOR_F_CUSTOM,  /* the field's decode function reads the value */
} mm_cbor_field_kind;

#define MM_CBOR_F_REQUIRED 0x1u

struct mm_cbor_field;

/* Reads one value from dec into dst (the struct member); user is
 * mm_cbor_map_opts.user. Must consume exactly one item. */
typedef mm_err (*mm_cbor_field_fn)(mm_cbor_dec *dec, void *dst, void *user);

typedef struct mm_cbor_field {
    int64_t label;       /* integer label, used when text is NULL */
    const char *text;    /* text label, or NULL */
    uint8_t kind;        /* mm_cbor_field_kind */
    uint8_t flags;       /* MM_CBOR_F_REQUIRED */
    uint16_t offset;     /* offsetof() the destination in the output struct */
    mm_cbor_field_fn fn; /* MM_CBOR_F_CUSTOM only */
} mm_cbor_field;

/* Called for a label not in the table; the value is the next item and must be
 * consumed (skipped or captured). key is the label's item. */
typedef mm_err (*mm_cbor_unknown_fn)(mm_cbor_dec *dec, const mm_cbor_item *key, void *user);

typedef struct mm_cbor_map_opts {
    mm_cbor_unknown_fn unknown; /* NULL: unknown labels fail MM_ERR_UNKNOWN_FIELD */
    void *user;                 /* passed to field and unknown handlers */
    size_t failed_field;        /* out: table index of the field that failed, or SIZE_MAX */
} mm_cbor_map_opts;

/* Most unknown labels one map may carry (they are remembered to catch
 * duplicates without allocating). */
#ifndef MM_CBOR_MAP_MAX_UNKNOWN
#define MM_CBOR_MAP_MAX_UNKNOWN 32
#endif

/* Decodes the next item, which must be a map, against fields[0..n) (n <= 64)
 * into out. *present (may be NULL) gets bit i set for each field i found.
 * Errors: MM_ERR_CBOR_DUP_KEY, MM_ERR_UNKNOWN_FIELD, MM_ERR_MISSING_FIELD
 * (offset: the map), MM_ERR_CBOR_BAD_KEY (a key neither int nor text),
 * MM_ERR_TOO_LARGE (more unknown labels than MM_CBOR_MAP_MAX_UNKNOWN), any
 * value error. opts may be NULL. out may be NULL when every field is
 * MM_CBOR_F_CUSTOM (its reader gets a NULL dst); a field of another kind
 * then fails MM_ERR_INVALID_ARG. */
MM_NODISCARD mm_err mm_cbor_decode_map(mm_cbor_dec *dec, const mm_cbor_field *fields, size_t n, void *out,
                                       uint64_t *present, mm_cbor_map_opts *opts);

/*
 * Encoder.
 *
 * Writes into a caller buffer. Output is always in preferred serialization
 * (shortest heads and floats, definite lengths); maps built with
 * mm_cbor_open_map() are sorted into deterministic order when closed, and
 * duplicate keys are refused, so the output is deterministic.
 *
 * The encoder never writes past cap. On overflow it keeps counting, and
 * mm_cbor_enc_finish() returns MM_ERR_BUFFER_TOO_SMALL with the size needed;
 * with a NULL buffer it is a size-only dry run. Errors are sticky like the
 * decoder's.
 */
typedef struct mm_cbor_enc_frame {
    uint32_t start;     /* offset of the container's head */
    uint32_t remaining; /* fixed-count containers: items still to write */
    uint32_t count;     /* open containers: items written so far */
    uint8_t kind;
} mm_cbor_enc_frame;

typedef struct mm_cbor_enc {
    uint8_t *buf;
    size_t cap;
    size_t len; /* bytes written, or needed after overflow */
    mm_err err;
    uint8_t depth;
    mm_cbor_enc_frame stack[MM_CBOR_ENC_MAX_NESTING];
} mm_cbor_enc;

/* Starts encoding into buf[0..cap); buf NULL and cap 0 for a dry run. */
void mm_cbor_enc_init(mm_cbor_enc *enc, uint8_t *buf, size_t cap);
/* Ends encoding: *len (may be NULL) gets the length written or needed.
 * Errors: the sticky error; MM_ERR_BUFFER_TOO_SMALL; MM_ERR_STATE when a
 * container is incomplete. */
MM_NODISCARD mm_err mm_cbor_enc_finish(mm_cbor_enc *enc, size_t *len);

mm_err mm_cbor_put_uint(mm_cbor_enc *enc, uint64_t v);
mm_err mm_cbor_put_int(mm_cbor_enc *enc, int64_t v);
/* Negative integer -1 - arg (reaches -2^64). */
mm_err mm_cbor_put_nint(mm_cbor_enc *enc, uint64_t arg);
mm_err mm_cbor_put_bstr(mm_cbor_enc *enc, mm_bytes v);
mm_err mm_cbor_put_tstr(mm_cbor_enc *enc, mm_bytes v);
mm_err mm_cbor_put_cstr(mm_cbor_enc *enc, const char *s);
mm_err mm_cbor_put_bool(mm_cbor_enc *enc, bool v);
mm_err mm_cbor_put_null(mm_cbor_enc *enc);
mm_err mm_cbor_put_undefined(mm_cbor_enc *enc);
/* Simple value (0..19, 32..255; 20..23 are false/true/null/undefined). */
mm_err mm_cbor_put_simple(mm_cbor_enc *enc, uint8_t v);
/* Float in the shortest form that keeps its value; NaN as f97e00. */
mm_err mm_cbor_put_float(mm_cbor_enc *enc, double v);
/* Tag head; the next item written is the tagged item. */
mm_err mm_cbor_put_tag(mm_cbor_enc *enc, uint64_t tag);
/* Integer of any size: negative and a big-endian magnitude m (value m or
 * -1 - m). Leading zeros are dropped; as a plain int when it fits, else as a
 * bignum (tag 2 or 3), which is the preferred serialization. */
mm_err mm_cbor_put_bigint(mm_cbor_enc *enc, bool negative, mm_bytes magnitude);
/* Array / map heads with a known count; the next count items (pairs for a
 * map: keys and values) belong to it. The caller keeps map keys in
 * deterministic order. */
mm_err mm_cbor_put_array(mm_cbor_enc *enc, size_t count);
mm_err mm_cbor_put_map(mm_cbor_enc *enc, size_t pairs);
/* An item already encoded (copied as is; counts as one item). It is checked
 * to be one well-formed, definite-length item first. */
mm_err mm_cbor_put_raw(mm_cbor_enc *enc, mm_bytes item);
/* mm_cbor_put_raw() for an item the caller has just encoded itself, head by
 * head from its own values (never bytes it received): copied without being
 * read again, which for small items (report records) is most of the cost.
 * Builds with assertions (NDEBUG not defined) still check it, as
 * mm_cbor_put_raw() does, so a caller's mistake shows in its tests. */
mm_err mm_cbor_put_encoded(mm_cbor_enc *enc, mm_bytes item);
/* A byte string head of length len, then its content in any number of
 * mm_cbor_put_bytes() calls (for large payloads). */
mm_err mm_cbor_put_bstr_head(mm_cbor_enc *enc, size_t len);
mm_err mm_cbor_put_bytes(mm_cbor_enc *enc, mm_bytes content);

/* A byte string head of length len and room for its content, which the
 * caller fills through *space (for output produced in place, such as a
 * cipher's). *space is NULL when the content does not fit or in a dry run;
 * the encoder counts it either way. */
mm_err mm_cbor_put_bstr_space(mm_cbor_enc *enc, size_t len, uint8_t **space);

/* Containers whose count is not known up front: the head is written when
 * closed (moving the content if it needs more than one byte). Maps are sorted
 * and duplicate keys refused on close. */
mm_err mm_cbor_open_array(mm_cbor_enc *enc);
mm_err mm_cbor_open_map(mm_cbor_enc *enc);
/* A byte string whose content is the CBOR written until it is closed. */
mm_err mm_cbor_open_wrap(mm_cbor_enc *enc);
/* Closes the innermost open container. For a wrap, *content (may be NULL)
 * gets a view of the wrapped bytes (empty after overflow). */
mm_err mm_cbor_close(mm_cbor_enc *enc, mm_bytes *content);

/* Re-encodes the next item of dec into enc in preferred serialization:
 * definite lengths, shortest heads and floats, maps sorted. The result is the
 * deterministic encoding of the item. */
MM_NODISCARD mm_err mm_cbor_copy(mm_cbor_dec *dec, mm_cbor_enc *enc);

/*
 * Diagnostic notation (RFC 8949 section 8, RFC 8610 Appendix G).
 */

#define MM_EDN_INDENT 0x1u /* one item per line, nested items indented */
#define MM_EDN_NESTED 0x2u /* show byte strings that hold one CBOR item as << >> */

typedef struct mm_edn_opts {
    unsigned flags;     /* MM_EDN_* */
    unsigned dec_flags; /* MM_CBOR_* decoder flags for the input */
    unsigned indent;    /* spaces per level with MM_EDN_INDENT (default 2 if 0) */
    unsigned max_depth; /* nesting limit (0: default) */
} mm_edn_opts;

/* Receives output text; returns MM_OK or an error that stops printing. */
typedef mm_err (*mm_edn_write_fn)(void *user, const char *text, size_t len);

/* Prints in as diagnostic notation through write. The input is checked as it
 * is printed; on error the output so far has been written and the error and
 * its offset (*err_off, may be NULL) are returned. */
MM_NODISCARD mm_err mm_cbor_edn(mm_bytes in, const mm_edn_opts *opts, mm_edn_write_fn write, void *user,
                                size_t *err_off);

/* As mm_cbor_edn() into out (no NUL); MM_ERR_BUFFER_TOO_SMALL sets out->len
 * to the size needed. */
MM_NODISCARD mm_err mm_cbor_edn_buf(mm_bytes in, const mm_edn_opts *opts, mm_buf *out, size_t *err_off);

/* mm_cbor_from_edn() flags. */
#define MM_EDN_READ_SEQUENCE 0x1u /* the text is a CBOR sequence: items separated by commas */

/* Reads diagnostic notation (RFC 8949 section 8, RFC 8610 Appendix G) and
 * writes the CBOR it describes into out, in preferred serialization, with
 * map entries in the order written (so examples of signed bytes come out
 * as they were signed). Accepted: integers in -2^64..2^64-1 (decimal, 0x,
 * 0o, 0b); floats (decimal with fraction or exponent, correctly rounded;
 * Infinity, -Infinity, NaN); "text" with JSON's escapes; 'text' as a byte
 * string; h'hex' (white space and / comments / inside); b64'...' (base64
 * or base64url); juxtaposed string literals, optionally joined by +, as one
 * string of the first one's type; [arrays] and {maps} (a trailing comma is
 * allowed); tags N(item); <<embedded CBOR, a sequence>>; true, false, null,
 * undefined, simple(N); / block / and # line comments. Encoding indicators
 * (_, _0.._3, _i), hexadecimal floats and other application literals
 * (dt'', ip''...) are refused with MM_ERR_UNSUPPORTED: the output is
 * always in preferred serialization. Errors: MM_ERR_SYNTAX,
 * MM_ERR_BAD_HEX, MM_ERR_BAD_BASE64, MM_ERR_CBOR_BAD_UTF8 (raw text),
 * MM_ERR_CBOR_RANGE (a number out of range), MM_ERR_NESTING, with *err_off
 * (may be NULL) at the offending character; MM_ERR_BUFFER_TOO_SMALL
 * (out->len: the size needed; a NULL out->ptr asks for the size only).
 * Recursion is bounded by MM_CBOR_ENC_MAX_NESTING. */
MM_NODISCARD mm_err mm_cbor_from_edn(mm_bytes text, unsigned flags, mm_buf *out, size_t *err_off);

/* Writes the shortest decimal text that reads back as v (no NUL), as EDN
 * shows floats: "1.5", "1.0e+300", "NaN", "Infinity". Needs at most 32 bytes;
 * returns the length. */
size_t mm_cbor_format_double(double v, char out[32]);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_CBOR_H */
