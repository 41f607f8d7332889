/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shortest round-trip decimal text of a binary64 value, for diagnostic
 * notation, without libc: the free-format algorithm of Steele & White as
 * refined by Burger & Dybvig, on small fixed-size bignums. Speed does not
 * matter here; exactness does (every digit string it prints reads back as the
 * same double, and no shorter one would).
 */
#include "bignum.h"
#include "internal.h"

/* Generates the shortest digits of f * 2^e (f > 0). Returns the digit count;
 * *k is the decimal exponent with value = 0.d1d2... * 10^k. */
static unsigned shortest_digits(uint64_t f, int e, bool boundary, char digits[20], int *k)
{
    bn r, s, mp, mm;
    bool even = (f & 1) == 0;
    /* value = r / s; the rounding interval is (r - mm, r + mp) / s. */
    bn_set_u64(&r, f);
    bn_set_u64(&s, 1);
    bn_set_u64(&mp, 1);
    bn_set_u64(&mm, 1);
    if (e >= 0) {
        bn_shl(&r, (unsigned)e + (boundary ? 2 : 1));
        bn_shl(&s, boundary ? 2 : 1);
        bn_shl(&mp, (unsigned)e + (boundary ? 1 : 0));
        bn_shl(&mm, (unsigned)e);
    } else {
        bn_shl(&r, boundary ? 2 : 1);
        bn_shl(&s, (unsigned)(-e) + (boundary ? 2 : 1));
        bn_shl(&mp, boundary ? 1 : 0);
    }
    /* Estimate k = ceil(log10(value)) from below, then correct upwards. */
    int bitlen = 64;
    while ((f >> (bitlen - 1)) == 0) {
        bitlen--;
    }
    double est = (double)(e + bitlen - 1) * 0.30102999566398114 - 1e-10;
    int kk = (int)est;
    if (est > 0 && (double)kk < est) {
        kk++;
    }
    if (kk >= 0) {
        bn_mul_pow10(&s, (unsigned)kk);
    } else {
        bn_mul_pow10(&r, (unsigned)-kk);
        bn_mul_pow10(&mp, (unsigned)-kk);
        bn_mul_pow10(&mm, (unsigned)-kk);
    }
    bn t;
    for (;;) {
        bn_add(&t, &r, &mp);
        int c = bn_cmp(&t, &s);
        if (c > 0 || (even && c == 0)) {
            bn_mul_small(&s, 10);
            kk++;
        } else {
            break;
        }
    }
    *k = kk;
    unsigned n = 0;
    for (;;) {
        bn_mul_small(&r, 10);
        bn_mul_small(&mp, 10);
        bn_mul_small(&mm, 10);
        unsigned d = 0;
        while (bn_cmp(&r, &s) >= 0) {
            bn_sub(&r, &s);
            d++;
        }
        int c_low = bn_cmp(&r, &mm);
        bool low = c_low < 0 || (even && c_low == 0);
        bn_add(&t, &r, &mp);
        int c_high = bn_cmp(&t, &s);
        bool high = c_high > 0 || (even && c_high == 0);
        if (!low && !high && n < 19) {
            digits[n++] = (char)('0' + d);
            continue;
        }
        if (low && high) {
            bn_add(&t, &r, &r);
            if (bn_cmp(&t, &s) >= 0) {
                d++;
            }
        } else if (high) {
            d++;
        }
        digits[n++] = (char)('0' + d);
        break;
    }
    return n;
}

static size_t put_str(char *out, size_t at, const char *s)
{
    while (*s != '\0') {
        out[at++] = *s++;
    }
    return at;
}

size_t mm_cbor_format_double(double v, char out[32])
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    bool neg = (b >> 63) != 0;
    int be = (int)((b >> 52) & 0x7ff);
    uint64_t m = b & 0xfffffffffffffull;
    size_t n = 0;
    if (be == 0x7ff) {
        if (m != 0) {
            return put_str(out, 0, "NaN");
        }
        return put_str(out, 0, neg ? "-Infinity" : "Infinity");
    }
    if (neg) {
        out[n++] = '-';
    }
    if (be == 0 && m == 0) {
        return put_str(out, n, "0.0");
    }
    uint64_t f;
    int e;
    bool boundary;
    if (be == 0) {
        f = m;
        e = -1074;
        boundary = false;
    } else {
        f = m | (1ull << 52);
        e = be - 1075;
        boundary = m == 0 && be > 1;
    }
    char digits[20];
    int k;
    unsigned nd = shortest_digits(f, e, boundary, digits, &k);
    if (k > -6 && k <= 21) {
        /* Positional, as JavaScript prints numbers, always with a fraction. */
        if (k <= 0) {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = 0; i < -k; i++) {
                out[n++] = '0';
            }
            for (unsigned i = 0; i < nd; i++) {
                out[n++] = digits[i];
            }
        } else if ((unsigned)k >= nd) {
            for (unsigned i = 0; i < nd; i++) {
                out[n++] = digits[i];
            }
            for (unsigned i = nd; i < (unsigned)k; i++) {
                out[n++] = '0';
            }
            out[n++] = '.';
            out[n++] = '0';
        } else {
            for (unsigned i = 0; i < nd; i++) {
                if (i == (unsigned)k) {
                    out[n++] = '.';
                }
                out[n++] = digits[i];
            }
        }
        return n;
    }
    out[n++] = digits[0];
    out[n++] = '.';
    if (nd == 1) {
        out[n++] = '0';
    }
    for (unsigned i = 1; i < nd; i++) {
        out[n++] = digits[i];
    }
    out[n++] = 'e';
    int x = k - 1;
    out[n++] = x < 0 ? '-' : '+';
    unsigned ux = (unsigned)(x < 0 ? -x : x);
    char tmp[4];
    unsigned t = 0;
    do {
        tmp[t++] = (char)('0' + ux % 10);
        ux /= 10;
    } while (ux != 0);
    while (t > 0) {
        out[n++] = tmp[--t];
    }
    return n;
}
