/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming SHA-256 (FIPS 180-4: blocks, then the padding and the bit
 * length) over any implementation of the compression function. A backend
 * with a fast compression function (SHA extensions) hashes the short
 * messages COSE signs and verifies with it in a fraction of what a general
 * digest interface spends setting up a context.
 */
#include <string.h>

#include "mamori/crypto.h"

void mm_sha256_stream_init(mm_sha256_stream *s)
{
    memcpy(s->h, mm_sha256_iv, sizeof s->h);
    s->total = 0;
    s->fill = 0;
}

void mm_sha256_stream_update(mm_sha256_stream *s, mm_sha256_compress_fn compress, const uint8_t *p, size_t n)
{
    if (n == 0) {
        return; /* p may be NULL then */
    }
    s->total += n;
    if (s->fill != 0) {
        size_t take = 64 - s->fill;
        if (take > n) {
            take = n;
        }
        memcpy(s->buf + s->fill, p, take);
        s->fill += (uint32_t)take;
        p += take;
        n -= take;
        if (s->fill < 64) {
            return;
        }
        compress(s->h, s->buf, 1);
        s->fill = 0;
    }
    if (n >= 64) {
        compress(s->h, p, n / 64);
        p += n & ~(size_t)63;
        n &= 63;
    }
    memcpy(s->buf, p, n);
    s->fill = (uint32_t)n;
}

void mm_sha256_stream_final(mm_sha256_stream *s, mm_sha256_compress_fn compress, uint8_t out[32])
{
    uint64_t bits = s->total << 3;
    s->buf[s->fill++] = 0x80;
    if (s->fill > 56) {
        memset(s->buf + s->fill, 0, 64 - s->fill);
        compress(s->h, s->buf, 1);
        s->fill = 0;
    }
    memset(s->buf + s->fill, 0, 56 - s->fill);
    for (unsigned i = 0; i < 8; i++) {
        s->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    }
    compress(s->h, s->buf, 1);
    for (size_t i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
    memset(s, 0, sizeof *s);
}
