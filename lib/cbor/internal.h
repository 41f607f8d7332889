/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the files of the CBOR module (not installed). */
#ifndef MM_CBOR_INTERNAL_H
#define MM_CBOR_INTERNAL_H

#include <string.h>

#include "mamori/cbor.h"

/* Major types as they appear in the initial byte's top three bits. */
enum {
    MT_UINT = 0,
    MT_NINT = 1,
    MT_BSTR = 2,
    MT_TSTR = 3,
    MT_ARRAY = 4,
    MT_MAP = 5,
    MT_TAG = 6,
    MT_SIMPLE = 7,
};

#define CBOR_BREAK 0xffu
#define AI_INDEF   31u

/* Parses the head at p (p < end): initial byte, argument and head length.
 * Checks what a head alone can violate (truncation, reserved values, two-byte
 * simple values below 32, indefinite length on majors 0, 1 and 6, and with
 * MM_CBOR_DETERMINISTIC non-shortest arguments). */
mm_err mm_cbor_parse_head(const uint8_t *p, const uint8_t *end, unsigned flags, uint8_t *ib, uint64_t *arg,
                          size_t *hlen);

/* Read modes of mm_cbor_read(). */
#define MM_CBOR_READ_ENTER 0x1u /* containers become explicit frames, even when empty */
#define MM_CBOR_READ_WRAP  0x2u /* a byte string is entered as wrapped CBOR */

/* Reads one item for a typed call: like mm_cbor_next(), but running out of
 * items is recorded as an error, and mode can enter the item. */
mm_err mm_cbor_read(mm_cbor_dec *d, mm_cbor_item *it, unsigned mode);

/* Exact narrowing of a binary64 value to binary16 / binary32: true and the
 * bits when the value survives unchanged (infinities included), false
 * otherwise and for NaN. */
bool mm_cbor_double_to_half(double d, uint16_t *half);
bool mm_cbor_double_to_single(double d, uint32_t *single);
/* Widening (exact). */
double mm_cbor_half_to_double(uint16_t half);
double mm_cbor_single_to_double(uint32_t single);

/* Decimal text p[0..n) ("12", "1.5", "2.5e-3"; no sign) as the nearest
 * binary64 (ties to even). MM_ERR_SYNTAX when it is not such text,
 * MM_ERR_CBOR_RANGE beyond the largest double, MM_ERR_UNSUPPORTED above 100
 * significant digits (strtod.c). */
mm_err mm_cbor_parse_decimal(const uint8_t *p, size_t n, double *out);

/* Head of a byte or text string (mt) of len bytes whose content follows in
 * mm_cbor_put_bytes() calls. */
mm_err mm_cbor_put_stream_head(mm_cbor_enc *enc, unsigned mt, uint64_t len);

static inline bool mm_cbor_isnan(double d) { return d != d; }

/* Number of bytes of the head that encodes arg in its shortest form. */
static inline size_t mm_cbor_head_len(uint64_t arg)
{
    return arg < 24 ? 1 : arg <= 0xff ? 2 : arg <= 0xffff ? 3 : arg <= 0xffffffffu ? 5 : 9;
}

/* Writes the shortest head of major type mt with argument arg at out (which
 * has room for mm_cbor_head_len(arg) bytes); returns its length. */
static inline size_t mm_cbor_write_head(uint8_t *out, unsigned mt, uint64_t arg)
{
    uint8_t ib = (uint8_t)(mt << 5);
    if (arg < 24) {
        out[0] = (uint8_t)(ib | arg);
        return 1;
    }
    size_t n;
    if (arg <= 0xff) {
        out[0] = ib | 24u;
        n = 1;
    } else if (arg <= 0xffff) {
        out[0] = ib | 25u;
        n = 2;
    } else if (arg <= 0xffffffffu) {
        out[0] = ib | 26u;
        n = 4;
    } else {
        out[0] = ib | 27u;
        n = 8;
    }
    for (size_t i = 0; i < n; i++) {
        out[n - i] = (uint8_t)(arg >> (8 * i));
    }
    return n + 1;
}

/* Bytewise lexicographic order of two encoded keys (RFC 8949 4.2.1):
 * negative, zero or positive like memcmp; a proper prefix sorts first. */
static inline int mm_cbor_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n != 0 ? memcmp(a, b, n) : 0;
    if (c != 0) {
        return c;
    }
    return (alen > blen) - (alen < blen);
}

#endif
