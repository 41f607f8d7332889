/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decimal text to binary64, correctly rounded (to nearest, ties to even),
 * without libc: the reading half of diagnostic notation. The digits become an
 * exact fraction num / den of bignums; a long division yields 54 quotient
 * bits and a sticky bit, which round exactly like hardware would.
 *
 * Bounds: at most MAX_DIGITS significant digits (after leading and trailing
 * zeros are dropped), which keeps den below 10^(MAX_DIGITS + 340) and so the
 * bignums inside BN_LIMBS; values beyond 10^310 are out of range, values
 * below 10^-330 round to zero without any arithmetic.
 */
#include "bignum.h"
#include "internal.h"

#define MAX_DIGITS 100

/* Packs q * 2^(exp2 - 53) (2^53 <= q < 2^54) with the sticky bit into a
 * double. */
static mm_err pack(uint64_t q, bool sticky, int exp2, double *out)
{
    uint64_t bits;
    if (exp2 >= -1022) {
        /* Normal: drop one bit. */
        bool round = (q & 1) != 0;
        q >>= 1;
        if (round && (sticky || (q & 1) != 0)) {
            q++;
            if (q == (UINT64_C(1) << 53)) {
                q >>= 1;
                exp2++;
            }
        }
        if (exp2 > 1023) {
            return MM_ERR_CBOR_RANGE;
        }
        bits = ((uint64_t)(exp2 + 1023) << 52) | (q & ((UINT64_C(1) << 52) - 1));
    } else {
        /* Subnormal: keep the bits worth 2^-1074 and more. */
        int drop = -1021 - exp2;
        uint64_t m = 0;
        if (drop <= 55) {
            uint64_t half = UINT64_C(1) << (drop - 1);
            uint64_t rest = q & ((half << 1) - 1);
            m = q >> drop;
            if (rest > half || (rest == half && (sticky || (m & 1) != 0))) {
                m++;
            }
        }
        bits = m; /* m == 2^52 is the smallest normal, as the layout wants */
    }
    memcpy(out, &bits, sizeof bits);
    return MM_OK;
}

mm_err mm_cbor_parse_decimal(const uint8_t *p, size_t n, double *out)
{
    const uint8_t *end = p + n;
    bn num;
    bn_set_u64(&num, 0);
    unsigned digits = 0;     /* significant digits taken into num */
    long exp10 = 0;          /* value = num * 10^exp10 */
    unsigned zeros = 0;      /* trailing zeros not yet multiplied in */
    bool seen_digit = false; /* the grammar needs at least one */
    bool in_fraction = false;
    for (; p < end; p++) {
        if (*p == '.' && !in_fraction) {
            in_fraction = true;
            continue;
        }
        if (*p < '0' || *p > '9') {
            break;
        }
        seen_digit = true;
        unsigned d = (unsigned)(*p - '0');
        if (in_fraction) {
            exp10--;
        }
        if (d == 0) {
            if (digits != 0) {
                zeros++; /* kept aside: trailing zeros need no precision */
            }
            continue;
        }
        if (digits + zeros + 1 > MAX_DIGITS) {
            return MM_ERR_UNSUPPORTED;
        }
        while (zeros != 0) {
            bn_mul_small(&num, 10);
            zeros--;
            digits++;
        }
        bn_mul_add_small(&num, 10, d);
        digits++;
    }
    exp10 += (long)zeros;
    if (!seen_digit) {
        return MM_ERR_SYNTAX;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        bool neg = false;
        if (p < end && (*p == '+' || *p == '-')) {
            neg = *p == '-';
            p++;
        }
        if (p == end) {
            return MM_ERR_SYNTAX;
        }
        long e = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
            if (e < 100000) {
                e = e * 10 + (*p - '0');
            }
        }
        exp10 += neg ? -e : e;
    }
    if (p != end) {
        return MM_ERR_SYNTAX;
    }
    if (num.n == 0) {
        *out = 0.0;
        return MM_OK;
    }
    /* The value lies in [10^(digits - 1 + exp10), 10^(digits + exp10)). */
    long lead = (long)digits + exp10;
    if (lead > 310) {
        return MM_ERR_CBOR_RANGE;
    }
    if (lead < -330) {
        *out = 0.0;
        return MM_OK;
    }
    bn den;
    bn_set_u64(&den, 1);
    if (exp10 >= 0) {
        bn_mul_pow10(&num, (unsigned)exp10);
    } else {
        bn_mul_pow10(&den, (unsigned)-exp10);
    }
    /* Scale so that 2^53 <= num / den < 2^54, by shifting one side. */
    int s = 53 - ((int)bn_bitlen(&num) - (int)bn_bitlen(&den));
    if (s >= 0) {
        bn_shl(&num, (unsigned)s);
    } else {
        bn_shl(&den, (unsigned)-s);
    }
    bn t = den;
    bn_shl(&t, 53);
    if (bn_cmp(&num, &t) < 0) {
        bn_shl(&num, 1);
        s++;
    }
    /* Long division, 54 quotient bits. */
    uint64_t q = 0;
    for (int i = 53; i >= 0; i--) {
        t = den;
        bn_shl(&t, (unsigned)i);
        if (bn_cmp(&num, &t) >= 0) {
            bn_sub(&num, &t);
            q |= UINT64_C(1) << i;
        }
    }
    return pack(q, num.n != 0, 53 - s, out);
}
