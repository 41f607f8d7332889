/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SHA-256 compression function (FIPS 180-4 section 6.2.2) in portable C,
 * for backends and devices that have no faster one. Hash-based signatures
 * spend nearly all their time here, so the rounds are unrolled and the
 * message schedule is computed in a 16-word ring as the rounds consume it
 * (no 64-word array, which compilers spill). No table lookups depend on data,
 * so it runs in constant time.
 */
#include "mamori/crypto.h"

const uint32_t mm_sha256_iv[8] = {
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
};

const uint32_t mm_sha256_k[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static inline uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32u - n)); }

static inline uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

#define S0(x)        (ror((x), 2) ^ ror((x), 13) ^ ror((x), 22))
#define S1(x)        (ror((x), 6) ^ ror((x), 11) ^ ror((x), 25))
#define s0(x)        (ror((x), 7) ^ ror((x), 18) ^ ((x) >> 3))
#define s1(x)        (ror((x), 17) ^ ror((x), 19) ^ ((x) >> 10))
#define CH(x, y, z)  ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* Schedule word i >= 16 in place of word i - 16 of the ring. */
#define W(i) (w[(i)&15] += s1(w[((i)-2) & 15]) + w[((i)-7) & 15] + s0(w[((i)-15) & 15]))

/* One round; the eight working variables rotate by renaming, not moving. */
#define ROUND(a, b, c, d, e, f, g, h, i, wi)                                                                           \
    do {                                                                                                               \
        uint32_t t1_ = (h) + S1(e) + CH((e), (f), (g)) + mm_sha256_k[i] + (wi);                                        \
        (d) += t1_;                                                                                                    \
        (h) = t1_ + S0(a) + MAJ((a), (b), (c));                                                                        \
    } while (0)

#define ROUNDS8(i, WX)                                                                                                 \
    ROUND(a, b, c, d, e, f, g, h, (i) + 0, WX((i) + 0));                                                               \
    ROUND(h, a, b, c, d, e, f, g, (i) + 1, WX((i) + 1));                                                               \
    ROUND(g, h, a, b, c, d, e, f, (i) + 2, WX((i) + 2));                                                               \
    ROUND(f, g, h, a, b, c, d, e, (i) + 3, WX((i) + 3));                                                               \
    ROUND(e, f, g, h, a, b, c, d, (i) + 4, WX((i) + 4));                                                               \
    ROUND(d, e, f, g, h, a, b, c, (i) + 5, WX((i) + 5));                                                               \
    ROUND(c, d, e, f, g, h, a, b, (i) + 6, WX((i) + 6));                                                               \
    ROUND(b, c, d, e, f, g, h, a, (i) + 7, WX((i) + 7))

#define W_FIRST(i) (w[i])

void mm_sha256_compress_portable(uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    for (size_t blk = 0; blk < n_blocks; blk++, blocks += 64) {
        uint32_t w[16];
        for (unsigned i = 0; i < 16; i++) {
            w[i] = load_be32(blocks + (size_t)4 * i);
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        ROUNDS8(0, W_FIRST);
        ROUNDS8(8, W_FIRST);
        ROUNDS8(16, W);
        ROUNDS8(24, W);
        ROUNDS8(32, W);
        ROUNDS8(40, W);
        ROUNDS8(48, W);
        ROUNDS8(56, W);
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}
