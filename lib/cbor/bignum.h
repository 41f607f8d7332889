/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small fixed-size unsigned bignums, shared by the two exact conversions
 * between binary64 and decimal text: the shortest-digits printer (dtoa.c)
 * and the diagnostic-notation reader (strtod.c). Operations saturate
 * silently at BN_LIMBS; callers bound their operands so they never get
 * there (each file says how).
 */
#ifndef MM_CBOR_BIGNUM_H
#define MM_CBOR_BIGNUM_H

#include <stdbool.h>
#include <stdint.h>

/* 1536 bits: the printer needs 1130 (2^54 * 10^324), the reader at most
 * 54 bits above 10^440 (see strtod.c). */
#define BN_LIMBS 48

typedef struct bn {
    uint32_t d[BN_LIMBS]; /* little-endian limbs */
    unsigned n;           /* limbs in use; d[n-1] != 0 unless n == 0 */
} bn;

static inline void bn_set_u64(bn *a, uint64_t v)
{
    a->n = 0;
    while (v != 0) {
        a->d[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

/* a = a * m + add */
static inline void bn_mul_add_small(bn *a, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (unsigned i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry != 0 && a->n < BN_LIMBS) {
        a->d[a->n++] = (uint32_t)carry;
    }
}

static inline void bn_mul_small(bn *a, uint32_t m) { bn_mul_add_small(a, m, 0); }

static inline void bn_shl(bn *a, unsigned bits)
{
    unsigned limbs = bits / 32;
    unsigned rest = bits % 32;
    if (a->n == 0) {
        return;
    }
    if (rest != 0) {
        uint32_t carry = 0;
        for (unsigned i = 0; i < a->n; i++) {
            uint32_t v = a->d[i];
            a->d[i] = (v << rest) | carry;
            carry = v >> (32 - rest);
        }
        if (carry != 0 && a->n < BN_LIMBS) {
            a->d[a->n++] = carry;
        }
    }
    if (limbs != 0 && a->n + limbs <= BN_LIMBS) {
        for (unsigned i = a->n; i-- > 0;) {
            a->d[i + limbs] = a->d[i];
        }
        for (unsigned i = 0; i < limbs; i++) {
            a->d[i] = 0;
        }
        a->n += limbs;
    }
}

static inline void bn_mul_pow10(bn *a, unsigned k)
{
    while (k >= 9) {
        bn_mul_small(a, 1000000000u);
        k -= 9;
    }
    static const uint32_t p10[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
    if (k != 0) {
        bn_mul_small(a, p10[k]);
    }
}

static inline int bn_cmp(const bn *a, const bn *b)
{
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (unsigned i = a->n; i-- > 0;) {
        if (a->d[i] != b->d[i]) {
            return a->d[i] < b->d[i] ? -1 : 1;
        }
    }
    return 0;
}

/* out = a + b */
static inline void bn_add(bn *out, const bn *a, const bn *b)
{
    unsigned n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = carry;
        t += i < a->n ? a->d[i] : 0;
        t += i < b->n ? b->d[i] : 0;
        out->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    out->n = n;
    if (carry != 0 && n < BN_LIMBS) {
        out->d[out->n++] = (uint32_t)carry;
    }
}

/* a -= b, with a >= b */
static inline void bn_sub(bn *a, const bn *b)
{
    int64_t borrow = 0;
    for (unsigned i = 0; i < a->n; i++) {
        int64_t t = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = t < 0;
        a->d[i] = (uint32_t)(t + (borrow != 0 ? ((int64_t)1 << 32) : 0));
    }
    while (a->n != 0 && a->d[a->n - 1] == 0) {
        a->n--;
    }
}

/* Number of significant bits (0 for zero). */
static inline unsigned bn_bitlen(const bn *a)
{
    if (a->n == 0) {
        return 0;
    }
    uint32_t top = a->d[a->n - 1];
    unsigned bits = 0;
    while (top != 0) {
        bits++;
        top >>= 1;
    }
    return (a->n - 1) * 32 + bits;
}

#endif
