/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SHA-256 compression function of the contract's optional
 * sha256_compress entry: with the x86 SHA extensions when the CPU has them,
 * else the library's portable C.
 *
 * Why not OpenSSL: OpenSSL 3 exposes its compression function only through
 * SHA256_Transform(), which is deprecated (this backend builds with
 * OPENSSL_NO_DEPRECATED), and its EVP interface costs a context set-up per
 * hash, two to three times the one-block hash that HSS/LMS chains are made
 * of. The SHA-NI rounds below are the instruction set's documented use
 * (two rounds per sha256rnds2, the schedule with sha256msg1/msg2); they are
 * checked against FIPS 180-4 vectors and against OpenSSL's digests by the
 * unit tests.
 */
#include "internal.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>

#define MO_SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Four rounds with message words m (W[4j..4j+3]); between the two halves,
 * the schedule work that can overlap them. */
#define QROUND(j, m, SCHEDULE)                                                                                         \
    do {                                                                                                               \
        __m128i k_ = _mm_add_epi32((m), _mm_loadu_si128((const __m128i *)&mm_sha256_k[(size_t)4 * (j)]));              \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, k_);                                                                  \
        SCHEDULE;                                                                                                      \
        k_ = _mm_shuffle_epi32(k_, 0x0e);                                                                              \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, k_);                                                                  \
    } while (0)

/* W[4(j+1)..] from the partial msg1 result in next, the current m and the
 * previous prev. */
#define MSG2(next, m, prev) ((next) = _mm_sha256msg2_epu32(_mm_add_epi32((next), _mm_alignr_epi8((m), (prev), 4)), (m)))
/* The first half of a later schedule step, into prev's slot. */
#define MSG1(prev, m) ((prev) = _mm_sha256msg1_epu32((prev), (m)))

MO_SHANI_TARGET static void compress_shani(uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    /* The instructions take the state as ABEF and CDGH. */
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xb1);
    __m128i cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1b);
    __m128i abef = _mm_alignr_epi8(t, cdgh, 8);
    cdgh = _mm_blend_epi16(cdgh, t, 0xf0);
    for (size_t b = 0; b < n_blocks; b++, blocks += 64) {
        const __m128i abef_in = abef;
        const __m128i cdgh_in = cdgh;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 0)), bswap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), bswap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), bswap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), bswap);
        QROUND(0, m0, (void)0);
        QROUND(1, m1, MSG1(m0, m1));
        QROUND(2, m2, MSG1(m1, m2));
        QROUND(3, m3, (MSG2(m0, m3, m2), MSG1(m2, m3)));
        QROUND(4, m0, (MSG2(m1, m0, m3), MSG1(m3, m0)));
        QROUND(5, m1, (MSG2(m2, m1, m0), MSG1(m0, m1)));
        QROUND(6, m2, (MSG2(m3, m2, m1), MSG1(m1, m2)));
        QROUND(7, m3, (MSG2(m0, m3, m2), MSG1(m2, m3)));
        QROUND(8, m0, (MSG2(m1, m0, m3), MSG1(m3, m0)));
        QROUND(9, m1, (MSG2(m2, m1, m0), MSG1(m0, m1)));
        QROUND(10, m2, (MSG2(m3, m2, m1), MSG1(m1, m2)));
        QROUND(11, m3, (MSG2(m0, m3, m2), MSG1(m2, m3)));
        QROUND(12, m0, (MSG2(m1, m0, m3), MSG1(m3, m0)));
        QROUND(13, m1, MSG2(m2, m1, m0));
        QROUND(14, m2, MSG2(m3, m2, m1));
        QROUND(15, m3, (void)0);
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }
    t = _mm_shuffle_epi32(abef, 0x1b);
    cdgh = _mm_shuffle_epi32(cdgh, 0xb1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(t, cdgh, 0xf0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(cdgh, t, 8));
}

/* CPUID: leaf 7 EBX bit 29 (SHA), leaf 1 ECX bits 9 (SSSE3) and 19
 * (SSE4.1). Asked once per process: CPUID is slow, and traps in a VM. */
static bool cpu_has_shani(void)
{
    static atomic_int known; /* 0 unknown, 1 no, 2 yes */
    int k = atomic_load_explicit(&known, memory_order_relaxed);
    if (k == 0) {
        unsigned a = 0, b = 0, c = 0, d = 0;
        bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 && (b & (1u << 29)) != 0;
        bool sse = __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & (1u << 9)) != 0 && (c & (1u << 19)) != 0;
        k = sha && sse ? 2 : 1;
        atomic_store_explicit(&known, k, memory_order_relaxed);
    }
    return k == 2;
}

bool mo_sha256_fast(void) { return cpu_has_shani(); }

void mo_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    if (cpu_has_shani()) {
        compress_shani(state, blocks, n_blocks);
    } else {
        mm_sha256_compress_portable(state, blocks, n_blocks);
    }
}

#else

bool mo_sha256_fast(void) { return false; }

void mo_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    mm_sha256_compress_portable(state, blocks, n_blocks);
}

#endif
