/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256/384/512 (FIPS 180-4) and HMAC (RFC 2104) for the test backend, and
 * the keyed derivations its fake primitives are built from. The hashes are
 * real so digests and MACs computed under the test backend match official
 * vectors; they are written for clarity, not speed or side-channel safety.
 */
#include <string.h>

#include "tc_internal.h"

/* First 64 bits of the fractional parts of the cube roots of the first 80
 * primes. SHA-256 uses the high 32 bits of the first 64. */
static const uint64_t k512[80] = {
    0x428a2f98d728ae22u, 0x7137449123ef65cdu, 0xb5c0fbcfec4d3b2fu, 0xe9b5dba58189dbbcu, 0x3956c25bf348b538u,
    0x59f111f1b605d019u, 0x923f82a4af194f9bu, 0xab1c5ed5da6d8118u, 0xd807aa98a3030242u, 0x12835b0145706fbeu,
    0x243185be4ee4b28cu, 0x550c7dc3d5ffb4e2u, 0x72be5d74f27b896fu, 0x80deb1fe3b1696b1u, 0x9bdc06a725c71235u,
    0xc19bf174cf692694u, 0xe49b69c19ef14ad2u, 0xefbe4786384f25e3u, 0x0fc19dc68b8cd5b5u, 0x240ca1cc77ac9c65u,
    0x2de92c6f592b0275u, 0x4a7484aa6ea6e483u, 0x5cb0a9dcbd41fbd4u, 0x76f988da831153b5u, 0x983e5152ee66dfabu,
    0xa831c66d2db43210u, 0xb00327c898fb213fu, 0xbf597fc7beef0ee4u, 0xc6e00bf33da88fc2u, 0xd5a79147930aa725u,
    0x06ca6351e003826fu, 0x142929670a0e6e70u, 0x27b70a8546d22ffcu, 0x2e1b21385c26c926u, 0x4d2c6dfc5ac42aedu,
    0x53380d139d95b3dfu, 0x650a73548baf63deu, 0x766a0abb3c77b2a8u, 0x81c2c92e47edaee6u, 0x92722c851482353bu,
    0xa2bfe8a14cf10364u, 0xa81a664bbc423001u, 0xc24b8b70d0f89791u, 0xc76c51a30654be30u, 0xd192e819d6ef5218u,
    0xd69906245565a910u, 0xf40e35855771202au, 0x106aa07032bbd1b8u, 0x19a4c116b8d2d0c8u, 0x1e376c085141ab53u,
    0x2748774cdf8eeb99u, 0x34b0bcb5e19b48a8u, 0x391c0cb3c5c95a63u, 0x4ed8aa4ae3418acbu, 0x5b9cca4f7763e373u,
    0x682e6ff3d6b2b8a3u, 0x748f82ee5defb2fcu, 0x78a5636f43172f60u, 0x84c87814a1f0ab72u, 0x8cc702081a6439ecu,
    0x90befffa23631e28u, 0xa4506cebde82bde9u, 0xbef9a3f7b2c67915u, 0xc67178f2e372532bu, 0xca273eceea26619cu,
    0xd186b8c721c0c207u, 0xeada7dd6cde0eb1eu, 0xf57d4f7fee6ed178u, 0x06f067aa72176fbau, 0x0a637dc5a2c898a6u,
    0x113f9804bef90daeu, 0x1b710b35131c471bu, 0x28db77f523047d84u, 0x32caab7b40c72493u, 0x3c9ebe0a15c9bebcu,
    0x431d67c49c100d4cu, 0x4cc5d4becb3e42b6u, 0x597f299cfc657e2au, 0x5fcb6fab3ad6faecu, 0x6c44198c4a475817u};

/* SHA-512 initial value (square roots of the first 8 primes); SHA-256's is
 * the high halves. */
static const uint64_t iv512[8] = {0x6a09e667f3bcc908u, 0xbb67ae8584caa73bu, 0x3c6ef372fe94f82bu, 0xa54ff53a5f1d36f1u,
                                  0x510e527fade682d1u, 0x9b05688c2b3e6c1fu, 0x1f83d9abfb41bd6bu, 0x5be0cd19137e2179u};

/* SHA-384 initial value (square roots of the 9th to 16th primes). */
static const uint64_t iv384[8] = {0xcbbb9d5dc1059ed8u, 0x629a292a367cd507u, 0x9159015a3070dd17u, 0x152fecd8f70e5939u,
                                  0x67332667ffc00b31u, 0x8eb44a8768581511u, 0xdb0c2e0d64f98fa7u, 0x47b5481dbefa4fa4u};

static uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }
static uint64_t ror64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

static uint32_t load32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t load64(const uint8_t *p) { return (uint64_t)load32(p) << 32 | load32(p + 4); }

static void store64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (56 - 8 * i));
    }
}

static void block256(uint64_t h64[8], const uint8_t *p)
{
    uint32_t w[64];
    uint32_t v[8];
    for (size_t i = 0; i < 16; i++) {
        w[i] = load32(p + 4 * i);
    }
    for (unsigned i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    for (unsigned i = 0; i < 8; i++) {
        v[i] = (uint32_t)h64[i];
    }
    for (unsigned i = 0; i < 64; i++) {
        uint32_t s1 = ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + s1 + ch + (uint32_t)(k512[i] >> 32) + w[i];
        uint32_t s0 = ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(&v[1], &v[0], 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + s0 + maj;
    }
    for (unsigned i = 0; i < 8; i++) {
        h64[i] = (uint32_t)h64[i] + v[i];
    }
}

static void block512(uint64_t h[8], const uint8_t *p)
{
    uint64_t w[80];
    uint64_t v[8];
    for (size_t i = 0; i < 16; i++) {
        w[i] = load64(p + 8 * i);
    }
    for (unsigned i = 16; i < 80; i++) {
        uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
        uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof v);
    for (unsigned i = 0; i < 80; i++) {
        uint64_t s1 = ror64(v[4], 14) ^ ror64(v[4], 18) ^ ror64(v[4], 41);
        uint64_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint64_t t1 = v[7] + s1 + ch + k512[i] + w[i];
        uint64_t s0 = ror64(v[0], 28) ^ ror64(v[0], 34) ^ ror64(v[0], 39);
        uint64_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(&v[1], &v[0], 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + s0 + maj;
    }
    for (unsigned i = 0; i < 8; i++) {
        h[i] += v[i];
    }
}

void mm_tc_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    uint64_t h[8];
    for (unsigned i = 0; i < 8; i++) {
        h[i] = state[i];
    }
    for (size_t b = 0; b < n_blocks; b++) {
        block256(h, blocks + 64 * b);
    }
    for (unsigned i = 0; i < 8; i++) {
        state[i] = (uint32_t)h[i];
    }
}

static void compress(mm_tc_sha *s, const uint8_t *p)
{
    if (s->block == 64) {
        block256(s->h, p);
    } else {
        block512(s->h, p);
    }
}

bool mm_tc_sha_init(mm_tc_sha *s, int32_t alg)
{
    memset(s, 0, sizeof *s);
    switch (alg) {
    case MM_ALG_SHA256:
        for (unsigned i = 0; i < 8; i++) {
            s->h[i] = iv512[i] >> 32;
        }
        s->block = 64;
        s->out_len = 32;
        return true;
    case MM_ALG_SHA384:
        memcpy(s->h, iv384, sizeof s->h);
        s->block = 128;
        s->out_len = 48;
        return true;
    case MM_ALG_SHA512:
        memcpy(s->h, iv512, sizeof s->h);
        s->block = 128;
        s->out_len = 64;
        return true;
    default:
        return false;
    }
}

void mm_tc_sha_update(mm_tc_sha *s, const uint8_t *p, size_t n)
{
    s->total += n;
    while (n > 0) {
        if (s->fill == 0 && n >= s->block) {
            compress(s, p);
            p += s->block;
            n -= s->block;
            continue;
        }
        size_t take = s->block - s->fill;
        if (take > n) {
            take = n;
        }
        memcpy(s->buf + s->fill, p, take);
        s->fill += (uint32_t)take;
        p += take;
        n -= take;
        if (s->fill == s->block) {
            compress(s, s->buf);
            s->fill = 0;
        }
    }
}

size_t mm_tc_sha_final(mm_tc_sha *s, uint8_t out[64])
{
    /* Padding: 0x80, zeros, then the bit length in the last 8 bytes (the
     * upper half of SHA-512's 16-byte length is zero below 2^61 bytes). */
    uint32_t len_at = s->block - 8;
    uint32_t len_field = s->block == 128 ? 16 : 8;
    uint64_t bits = s->total << 3;
    s->buf[s->fill++] = 0x80;
    if (s->fill > s->block - len_field) {
        memset(s->buf + s->fill, 0, s->block - s->fill);
        compress(s, s->buf);
        s->fill = 0;
    }
    memset(s->buf + s->fill, 0, len_at - s->fill);
    if (s->block == 128) {
        s->buf[len_at - 1] = (uint8_t)(s->total >> 61);
    }
    store64(s->buf + len_at, bits);
    compress(s, s->buf);

    size_t n = s->out_len;
    uint8_t full[64];
    if (s->block == 64) {
        for (size_t i = 0; i < 8; i++) {
            uint32_t w = (uint32_t)s->h[i];
            full[4 * i] = (uint8_t)(w >> 24);
            full[4 * i + 1] = (uint8_t)(w >> 16);
            full[4 * i + 2] = (uint8_t)(w >> 8);
            full[4 * i + 3] = (uint8_t)w;
        }
    } else {
        for (size_t i = 0; i < 8; i++) {
            store64(full + 8 * i, s->h[i]);
        }
    }
    memcpy(out, full, n);
    mm_wipe(full, sizeof full);
    mm_wipe(s, sizeof *s);
    return n;
}

bool mm_tc_hmac_init(mm_tc_hmac *m, int32_t alg, const uint8_t *key, size_t key_len)
{
    uint8_t pad[128];
    uint8_t hashed[64];
    if (!mm_tc_sha_init(&m->inner, alg)) {
        return false;
    }
    size_t block = m->inner.block;
    /* A key longer than the block is replaced by its hash (RFC 2104). */
    if (key_len > block) {
        mm_tc_sha_update(&m->inner, key, key_len);
        key_len = mm_tc_sha_final(&m->inner, hashed);
        key = hashed;
        (void)mm_tc_sha_init(&m->inner, alg);
    }
    (void)mm_tc_sha_init(&m->outer, alg);
    memset(pad, 0, sizeof pad);
    if (key_len > 0) {
        memcpy(pad, key, key_len);
    }
    for (size_t i = 0; i < block; i++) {
        pad[i] ^= 0x36;
    }
    mm_tc_sha_update(&m->inner, pad, block);
    for (size_t i = 0; i < block; i++) {
        pad[i] ^= 0x36 ^ 0x5c;
    }
    mm_tc_sha_update(&m->outer, pad, block);
    mm_wipe(pad, sizeof pad);
    mm_wipe(hashed, sizeof hashed);
    return true;
}

void mm_tc_hmac_update(mm_tc_hmac *m, const uint8_t *p, size_t n) { mm_tc_sha_update(&m->inner, p, n); }

size_t mm_tc_hmac_final(mm_tc_hmac *m, uint8_t out[64])
{
    uint8_t inner[64];
    size_t n = mm_tc_sha_final(&m->inner, inner);
    mm_tc_sha_update(&m->outer, inner, n);
    n = mm_tc_sha_final(&m->outer, out);
    mm_wipe(inner, sizeof inner);
    return n;
}

void mm_tc_prf_begin(mm_tc_hmac *m, const uint8_t *key, size_t key_len, const char *label)
{
    (void)mm_tc_hmac_init(m, MM_ALG_SHA512, key, key_len);
    mm_tc_prf_item(m, (const uint8_t *)label, strlen(label));
}

void mm_tc_prf_item(mm_tc_hmac *m, const uint8_t *p, size_t n)
{
    uint8_t len[8];
    store64(len, (uint64_t)n);
    mm_tc_hmac_update(m, len, sizeof len);
    if (n > 0) {
        mm_tc_hmac_update(m, p, n);
    }
}

void mm_tc_prf_int(mm_tc_hmac *m, int64_t v)
{
    uint8_t b[8];
    store64(b, (uint64_t)v);
    mm_tc_prf_item(m, b, sizeof b);
}

void mm_tc_prf_end(mm_tc_hmac *m, uint8_t prk[MM_TC_PRK_LEN]) { (void)mm_tc_hmac_final(m, prk); }

void mm_tc_stream_xor(const uint8_t prk[MM_TC_PRK_LEN], uint64_t offset, uint8_t *buf, size_t len)
{
    mm_tc_hmac keyed;
    mm_tc_hmac m;
    uint8_t block[64];
    uint8_t index[8];
    (void)mm_tc_hmac_init(&keyed, MM_ALG_SHA512, prk, MM_TC_PRK_LEN);
    uint64_t j = offset / sizeof block;
    size_t at = (size_t)(offset % sizeof block);
    while (len > 0) {
        m = keyed;
        store64(index, j);
        mm_tc_hmac_update(&m, index, sizeof index);
        (void)mm_tc_hmac_final(&m, block);
        size_t take = sizeof block - at;
        if (take > len) {
            take = len;
        }
        for (size_t i = 0; i < take; i++) {
            buf[i] ^= block[at + i];
        }
        buf += take;
        len -= take;
        at = 0;
        j++;
    }
    mm_wipe(&keyed, sizeof keyed);
    mm_wipe(block, sizeof block);
}
