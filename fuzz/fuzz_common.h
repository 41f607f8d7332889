/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the libFuzzer targets. A target states the invariants it
 * expects with FUZZ_REQUIRE: a violation prints where and aborts, which
 * libFuzzer reports as a crash and saves the input for. Inputs and outputs
 * live in heap blocks of exactly their size so that AddressSanitizer flags a
 * read or write one byte past them.
 */
#ifndef MM_FUZZ_COMMON_H
#define MM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/base.h"

/* The libFuzzer entry point (declared so -Wmissing-prototypes holds). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

_Noreturn static inline void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
    abort();
}

#define FUZZ_REQUIRE(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

/* A block of exactly n bytes (n may be 0: a valid pointer nobody may read). */
static inline uint8_t *fuzz_alloc(size_t n)
{
    uint8_t *p = malloc(n != 0 ? n : 1);
    if (p == NULL) {
        abort(); /* out of memory is the harness's failure, not the library's */
    }
    return p;
}

/* An exact-size copy of p[0..n), so the library sees nothing beyond it. */
static inline uint8_t *fuzz_dup(const uint8_t *p, size_t n)
{
    uint8_t *c = fuzz_alloc(n);
    if (n != 0) {
        memcpy(c, p, n);
    }
    return c;
}

/* True when the view v lies inside in (an empty view may sit at its end). */
static inline bool fuzz_view_inside(mm_bytes v, mm_bytes in)
{
    if (v.len == 0 && v.ptr == NULL) {
        return true;
    }
    uintptr_t lo = (uintptr_t)in.ptr;
    uintptr_t p = (uintptr_t)v.ptr;
    return p >= lo && p - lo <= in.len && v.len <= in.len - (size_t)(p - lo);
}

/* Strict UTF-8 (RFC 3629), written independently of lib/cbor/utf8.c so that
 * the two can be compared. */
static inline bool fuzz_utf8_valid(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t c = p[i];
        size_t k;
        uint32_t min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            k = 1;
            min = 0x80;
            c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2;
            min = 0x800;
            c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return false;
        }
        if (n - i <= k) {
            return false;
        }
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xc0) != 0x80) {
                return false;
            }
            c = (c << 6) | (p[i + j] & 0x3fu);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
            return false;
        }
        i += k + 1;
    }
    return true;
}

#endif /* MM_FUZZ_COMMON_H */
