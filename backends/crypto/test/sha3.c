/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHAKE256 (FIPS 202) for the test backend, with COSE's 64 bytes of output
 * (RFC 9054), so the SHAKE parameter sets of HSS/LMS (NIST SP 800-208) run
 * on real hashes in tests and fuzzing. Written for clarity, like sha2.c.
 */
#include <string.h>

#include "tc_internal.h"

static const uint64_t round_constants[24] = {
    0x0000000000000001u, 0x0000000000008082u, 0x800000000000808au, 0x8000000080008000u, 0x000000000000808bu,
    0x0000000080000001u, 0x8000000080008081u, 0x8000000000008009u, 0x000000000000008au, 0x0000000000000088u,
    0x0000000080008009u, 0x000000008000000au, 0x000000008000808bu, 0x800000000000008bu, 0x8000000000008089u,
    0x8000000000008003u, 0x8000000000008002u, 0x8000000000000080u, 0x000000000000800au, 0x800000008000000au,
    0x8000000080008081u, 0x8000000000008080u, 0x0000000080000001u, 0x8000000080008008u,
};

/* Rotation offsets of rho, indexed by lane x + 5 y. */
static const unsigned rho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                 25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

static uint64_t rol64(uint64_t v, unsigned n) { return n == 0 ? v : (v << n) | (v >> (64 - n)); }

static void keccak_f1600(uint64_t a[25])
{
    for (unsigned r = 0; r < 24; r++) {
        uint64_t c[5];
        uint64_t b[25];
        for (unsigned x = 0; x < 5; x++) {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for (unsigned x = 0; x < 5; x++) {
            uint64_t d = c[(x + 4) % 5] ^ rol64(c[(x + 1) % 5], 1);
            for (unsigned y = 0; y < 25; y += 5) {
                a[x + y] ^= d;
            }
        }
        /* rho and pi: lane (x, y) moves to (y, 2x + 3y). */
        for (unsigned x = 0; x < 5; x++) {
            for (unsigned y = 0; y < 5; y++) {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rol64(a[x + 5 * y], rho[x + 5 * y]);
            }
        }
        for (unsigned y = 0; y < 25; y += 5) {
            for (unsigned x = 0; x < 5; x++) {
                a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
            }
        }
        a[0] ^= round_constants[r];
    }
}

/* Absorbs the rate-sized block at p into the state (lanes little-endian). */
static void absorb_block(mm_tc_shake *s, const uint8_t *p)
{
    for (unsigned i = 0; i < MM_TC_SHAKE256_RATE / 8; i++) {
        uint64_t v = 0;
        for (unsigned k = 0; k < 8; k++) {
            v |= (uint64_t)p[8 * i + k] << (8 * k);
        }
        s->a[i] ^= v;
    }
    keccak_f1600(s->a);
}

void mm_tc_shake256_init(mm_tc_shake *s) { memset(s, 0, sizeof *s); }

void mm_tc_shake256_update(mm_tc_shake *s, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t take = MM_TC_SHAKE256_RATE - s->fill;
        take = take < n ? take : n;
        memcpy(s->buf + s->fill, p, take);
        s->fill += (uint32_t)take;
        p += take;
        n -= take;
        if (s->fill == MM_TC_SHAKE256_RATE) {
            absorb_block(s, s->buf);
            s->fill = 0;
        }
    }
}

void mm_tc_shake256_final(mm_tc_shake *s, uint8_t *out, size_t len)
{
    memset(s->buf + s->fill, 0, MM_TC_SHAKE256_RATE - s->fill);
    s->buf[s->fill] ^= 0x1f; /* SHAKE's domain bits and the first pad bit */
    s->buf[MM_TC_SHAKE256_RATE - 1] ^= 0x80;
    absorb_block(s, s->buf);
    for (size_t off = 0; off < len; off += MM_TC_SHAKE256_RATE) {
        if (off != 0) {
            keccak_f1600(s->a);
        }
        for (size_t i = 0; i < MM_TC_SHAKE256_RATE && off + i < len; i++) {
            out[off + i] = (uint8_t)(s->a[i / 8] >> (8 * (i % 8)));
        }
    }
    mm_wipe(s, sizeof *s);
}
