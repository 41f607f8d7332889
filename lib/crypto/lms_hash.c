/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hash function H of LMS with its two engines. Verifying one signature
 * is thousands of hashes of under 64 bytes, so the cost that matters is per
 * hash, not per byte: with a backend that offers the SHA-256 compression
 * function, a hash is its padding (done here) and one call, and a chain step
 * rewrites 1 + n bytes of a block prepared once. Other backends get their
 * streaming hash, once per hash; SHAKE256 always goes that way.
 *
 * The fast path calls the backend's table entry directly: lms_hash_setup()
 * checked it once through the wrapper, and the wrapper's checks on every
 * one-block call would be a visible share of it.
 */
#include "lms_internal.h"

static inline void compress(const mm_crypto *c, uint32_t st[8], const uint8_t *blocks, size_t n)
{
    c->ops->sha256_compress(c->user, st, blocks, n);
}

mm_err lms_hash_setup(lms_hash *h, const mm_crypto *c, int32_t alg, uint8_t n)
{
    if (c == NULL || (alg != MM_ALG_SHA256 && alg != MM_ALG_SHAKE256) || (n != 32 && n != 24)) {
        return MM_ERR_INVALID_ARG;
    }
    h->crypto = c;
    h->alg = alg;
    h->n = n;
    uint32_t probe[8];
    mm_err e = mm_sha256_compress(c, probe, NULL, 0);
    if (e == MM_ERR_INVALID_ARG) {
        return e;
    }
    h->fast = alg == MM_ALG_SHA256 && e == MM_OK;
    return MM_OK;
}

mm_err lms_h_init(mm_lms_hash_state *s, const lms_hash *h)
{
    s->crypto = h->crypto;
    s->alg = h->alg;
    s->n = h->n;
    s->fast = h->fast ? 1 : 0;
    s->active = 0;
    if (h->fast) {
        memcpy(s->state, mm_sha256_iv, sizeof s->state);
        s->fill = 0;
        s->total = 0;
    } else {
        mm_err e = mm_hash_init(h->crypto, &s->ctx, h->alg);
        if (e != MM_OK) {
            return e;
        }
    }
    s->active = 1;
    return MM_OK;
}

mm_err lms_h_update(mm_lms_hash_state *s, const uint8_t *p, size_t len)
{
    if (s->active == 0) {
        return MM_ERR_STATE;
    }
    if (!s->fast) {
        return mm_hash_update(s->crypto, &s->ctx, mm_bytes_make(p, len));
    }
    s->total += len;
    if (s->fill != 0) {
        size_t take = 64 - s->fill < len ? 64 - s->fill : len;
        memcpy(s->buf + s->fill, p, take);
        s->fill += (uint32_t)take;
        p += take;
        len -= take;
        if (s->fill < 64) {
            return MM_OK;
        }
        compress(s->crypto, s->state, s->buf, 1);
        s->fill = 0;
    }
    if (len >= 64) {
        compress(s->crypto, s->state, p, len / 64);
        p += len & ~(size_t)63;
        len &= 63;
    }
    if (len != 0) {
        memcpy(s->buf, p, len);
        s->fill = (uint32_t)len;
    }
    return MM_OK;
}

mm_err lms_h_final(mm_lms_hash_state *s, uint8_t *out)
{
    if (s->active == 0) {
        return MM_ERR_STATE;
    }
    s->active = 0;
    if (!s->fast) {
        uint8_t digest[MM_HASH_MAX];
        size_t len = 0;
        mm_err e = mm_hash_final(s->crypto, &s->ctx, digest, &len);
        if (e == MM_OK && len < s->n) {
            e = MM_ERR_PLATFORM;
        }
        if (e == MM_OK) {
            memcpy(out, digest, s->n); /* SHA-256/192 and SHAKE256 of n bytes are prefixes */
        }
        return e;
    }
    uint32_t fill = s->fill;
    s->buf[fill++] = 0x80;
    if (fill > 56) {
        memset(s->buf + fill, 0, 64 - fill);
        compress(s->crypto, s->state, s->buf, 1);
        fill = 0;
    }
    memset(s->buf + fill, 0, 56 - fill);
    uint64_t bits = s->total * 8;
    lms_put_u32(s->buf + 56, (uint32_t)(bits >> 32));
    lms_put_u32(s->buf + 60, (uint32_t)bits);
    compress(s->crypto, s->state, s->buf, 1);
    lms_store_words(out, s->state, s->n == 24 ? 24 : 32);
    return MM_OK;
}

void lms_h_abort(mm_lms_hash_state *s)
{
    if (s->active != 0 && !s->fast) {
        mm_hash_abort(s->crypto, &s->ctx);
    }
    s->active = 0;
}

mm_err lms_h_begin(mm_lms_hash_state *s, const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t r, uint16_t d)
{
    uint8_t prefix[MM_LMS_I_LEN + 6];
    memcpy(prefix, I, MM_LMS_I_LEN);
    lms_put_u32(prefix + 16, r);
    prefix[20] = (uint8_t)(d >> 8);
    prefix[21] = (uint8_t)d;
    mm_err e = lms_h_init(s, h);
    if (e == MM_OK && (e = lms_h_update(s, prefix, sizeof prefix)) != MM_OK) {
        lms_h_abort(s);
    }
    return e;
}

/* Offsets in a chain step's input: I || u32 q || u16 i || u8 j || tmp. */
#define CHAIN_J   22
#define CHAIN_TMP 23

mm_err lms_chain(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t q, uint16_t i, uint8_t *tmp, unsigned from,
                 unsigned to)
{
    if (from >= to) {
        return MM_OK;
    }
    if (h->n != 32 && h->n != 24) {
        return MM_ERR_INVALID_ARG; /* (and tells the compiler how far tmp reaches) */
    }
    unsigned n = h->n;
    uint8_t block[64];
    memcpy(block, I, MM_LMS_I_LEN);
    lms_put_u32(block + 16, q);
    block[20] = (uint8_t)(i >> 8);
    block[21] = (uint8_t)i;
    memcpy(block + CHAIN_TMP, tmp, n);
    if (h->fast) {
        /* One block: the message (23 + n <= 55 bytes), 0x80, zeros, and the
         * bit length; only j and tmp change from step to step. */
        lms_pad_block(block, CHAIN_TMP + n);
        const mm_crypto *c = h->crypto;
        for (unsigned j = from; j < to; j++) {
            uint32_t st[8];
            memcpy(st, mm_sha256_iv, sizeof st);
            block[CHAIN_J] = (uint8_t)j;
            compress(c, st, block, 1);
            lms_store_words(block + CHAIN_TMP, st, n);
        }
        memcpy(tmp, block + CHAIN_TMP, n);
        return MM_OK;
    }
    for (unsigned j = from; j < to; j++) {
        mm_lms_hash_state s;
        block[CHAIN_J] = (uint8_t)j;
        mm_err e = lms_h_init(&s, h);
        if (e == MM_OK) {
            e = lms_h_update(&s, block, CHAIN_TMP + n);
            e = e == MM_OK ? lms_h_final(&s, block + CHAIN_TMP) : e;
        }
        if (e != MM_OK) {
            lms_h_abort(&s);
            return e;
        }
    }
    memcpy(tmp, block + CHAIN_TMP, n);
    return MM_OK;
}

mm_err lms_leaf(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t r, const uint8_t *k, uint8_t *out)
{
    mm_lms_hash_state s;
    mm_err e = lms_h_begin(&s, h, I, r, LMS_D_LEAF);
    if (e != MM_OK) {
        return e;
    }
    e = lms_h_update(&s, k, h->n);
    if (e != MM_OK) {
        lms_h_abort(&s);
        return e;
    }
    return lms_h_final(&s, out);
}

mm_err lms_node(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t r, const uint8_t *left, const uint8_t *right,
                uint8_t *out)
{
    mm_lms_hash_state s;
    mm_err e = lms_h_begin(&s, h, I, r, LMS_D_INTR);
    if (e != MM_OK) {
        return e;
    }
    if ((e = lms_h_update(&s, left, h->n)) != MM_OK || (e = lms_h_update(&s, right, h->n)) != MM_OK) {
        lms_h_abort(&s);
        return e;
    }
    return lms_h_final(&s, out);
}
