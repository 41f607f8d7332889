/* SPDX-License-Identifier: Apache-2.0 */
/* Byte views: comparison, constant-time comparison and wiping. */
#include <string.h>

#include "mamori/base.h"

mm_bytes mm_bytes_from_cstr(const char *s)
{
    mm_bytes b = {(const uint8_t *)s, s != NULL ? strlen(s) : 0};
    return b;
}

bool mm_bytes_equal(mm_bytes a, mm_bytes b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Word at a time (memcpy: any alignment), every word read whatever the
 * earlier ones held: the accumulator is opaque to the optimiser after each
 * step, so no early exit can be derived from it. */
#if defined(__GNUC__) || defined(__clang__)
#define CT_OPAQUE(x) __asm__("" : "+r"(x))
#else
#define CT_OPAQUE(x) ((x) = *(volatile uint64_t *)&(x))
#endif

bool mm_ct_equal(const void *a, const void *b, size_t len)
{
    const uint8_t *pa = a;
    const uint8_t *pb = b;
    uint64_t diff = 0;
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        uint64_t x;
        uint64_t y;
        memcpy(&x, pa + i, 8);
        memcpy(&y, pb + i, 8);
        diff |= x ^ y;
        CT_OPAQUE(diff);
    }
    for (; i < len; i++) {
        diff |= (uint64_t)(pa[i] ^ pb[i]);
        CT_OPAQUE(diff);
    }
    return diff == 0;
}

void mm_wipe(void *p, size_t len)
{
    volatile uint8_t *v = p;
    for (size_t i = 0; i < len; i++) {
        v[i] = 0;
    }
#if defined(__GNUC__) || defined(__clang__)
    /* Tells the optimiser the zeroed memory is observed. */
    __asm__ __volatile__("" : : "r"(p) : "memory");
#endif
}
