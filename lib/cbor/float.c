/* SPDX-License-Identifier: Apache-2.0 */
/* Exact conversions between binary64 and binary16/binary32, done on the bit
 * patterns so that no out-of-range conversion (undefined in C) can happen. */
#include "internal.h"

static uint64_t double_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

static double bits_double(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

/* Narrows to a format with `mant_bits` fraction bits and exponent range
 * [emin, emax] for normal numbers; subnormals go down to emin - mant_bits. */
static bool narrow(double d, unsigned mant_bits, int emin, int emax, unsigned exp_bits, uint64_t *out)
{
    uint64_t b = double_bits(d);
    uint64_t sign = b >> 63;
    int e = (int)((b >> 52) & 0x7ff);
    uint64_t m = b & 0xfffffffffffffull;
    unsigned total = 1 + exp_bits + mant_bits;
    uint64_t sign_out = sign << (total - 1);
    uint64_t exp_all = ((uint64_t)1 << exp_bits) - 1;
    if (e == 0x7ff) {
        if (m != 0) {
            return false; /* NaN: the caller decides its encoding */
        }
        *out = sign_out | (exp_all << mant_bits);
        return true;
    }
    if (e == 0) {
        if (m != 0) {
            return false; /* binary64 subnormals are far below both formats */
        }
        *out = sign_out;
        return true;
    }
    int exp = e - 1023;
    unsigned drop = 52 - mant_bits;
    if (exp > emax) {
        return false;
    }
    if (exp >= emin) {
        if ((m & (((uint64_t)1 << drop) - 1)) != 0) {
            return false;
        }
        *out = sign_out | ((uint64_t)(exp - emin + 1) << mant_bits) | (m >> drop);
        return true;
    }
    if (exp >= emin - (int)mant_bits) {
        /* Subnormal in the narrow format: the value is full * 2^(exp - 52)
         * and must be a whole multiple of 2^(emin - mant_bits). */
        unsigned shift = (unsigned)(52 - (exp - emin + (int)mant_bits));
        uint64_t full = ((uint64_t)1 << 52) | m;
        if ((full & (((uint64_t)1 << shift) - 1)) != 0) {
            return false;
        }
        *out = sign_out | (full >> shift);
        return true;
    }
    return false;
}

bool mm_cbor_double_to_half(double d, uint16_t *half)
{
    uint64_t v;
    if (!narrow(d, 10, -14, 15, 5, &v)) {
        return false;
    }
    *half = (uint16_t)v;
    return true;
}

bool mm_cbor_double_to_single(double d, uint32_t *single)
{
    uint64_t v;
    if (!narrow(d, 23, -126, 127, 8, &v)) {
        return false;
    }
    *single = (uint32_t)v;
    return true;
}

/* Widens a format with the given field widths to binary64 bits. */
static double widen(uint64_t v, unsigned mant_bits, unsigned exp_bits)
{
    unsigned total = 1 + exp_bits + mant_bits;
    uint64_t sign = (v >> (total - 1)) & 1;
    uint64_t exp_all = ((uint64_t)1 << exp_bits) - 1;
    uint64_t e = (v >> mant_bits) & exp_all;
    uint64_t m = v & (((uint64_t)1 << mant_bits) - 1);
    int bias = (int)(exp_all >> 1);
    uint64_t out;
    if (e == exp_all) {
        out = (0x7ffull << 52) | (m << (52 - mant_bits));
    } else if (e != 0) {
        out = ((uint64_t)((int)e - bias + 1023) << 52) | (m << (52 - mant_bits));
    } else if (m == 0) {
        out = 0;
    } else {
        /* Subnormal: normalise the fraction into binary64's normal range. */
        int exp = 1 - bias;
        while ((m & ((uint64_t)1 << mant_bits)) == 0) {
            m <<= 1;
            exp--;
        }
        m &= ((uint64_t)1 << mant_bits) - 1;
        out = ((uint64_t)(exp + 1023) << 52) | (m << (52 - mant_bits));
    }
    return bits_double(out | (sign << 63));
}

double mm_cbor_half_to_double(uint16_t half) { return widen(half, 10, 5); }

double mm_cbor_single_to_double(uint32_t single) { return widen(single, 23, 8); }
