/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the LMS files share, and what the host signer (backends/lms) builds
 * on: the hash function H of a parameter set with its two engines, the
 * Winternitz chains, the LM-OTS candidate key and the Merkle path. Not
 * installed; names start with lms_.
 *
 * Every hash of RFC 8554 starts with I || u32 q (or a node number), so one
 * helper family takes those as arguments: callers never assemble prefixes.
 */
#ifndef MAMORI_LMS_INTERNAL_H
#define MAMORI_LMS_INTERNAL_H

#include <string.h>

#include "mamori/lms.h"

/* Domain separators (RFC 8554 section 7.1). */
#define LMS_D_PBLC 0x8080u
#define LMS_D_MESG 0x8181u
#define LMS_D_LEAF 0x8282u
#define LMS_D_INTR 0x8383u

static inline void lms_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The first n bytes of a SHA-256 state as its digest (n a multiple of 4). */
static inline void lms_store_words(uint8_t *out, const uint32_t st[8], unsigned n)
{
    for (unsigned i = 0; i < n / 4; i++) {
        lms_put_u32(out + (size_t)4 * i, st[i]);
    }
}

/* Pads the message of len <= 55 bytes at the start of block into one
 * SHA-256 block (FIPS 180-4 section 5.1.1): 0x80, zeros, its length in
 * bits. */
static inline void lms_pad_block(uint8_t block[64], unsigned len)
{
    block[len] = 0x80;
    memset(block + len + 1, 0, 64 - 8 - (len + 1));
    lms_put_u32(block + 56, 0);
    lms_put_u32(block + 60, len * 8);
}

static inline uint32_t lms_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* The hash function H of one parameter set: which backend computes it and
 * how, and how many bytes of output count. */
typedef struct lms_hash {
    const mm_crypto *crypto;
    int32_t alg; /* MM_ALG_SHA256 or MM_ALG_SHAKE256 */
    uint8_t n;   /* 32 or 24 */
    bool fast;   /* SHA-256 through the backend's compression function */
} lms_hash;

/* Chooses the engine: the compression function when the backend has one and
 * alg is SHA-256, else the streaming hash (MM_ERR_UNSUPPORTED at first use
 * when the backend lacks alg). */
mm_err lms_hash_setup(lms_hash *h, const mm_crypto *c, int32_t alg, uint8_t n);

/* Streaming H: init, absorb, then n bytes of output. final and abort end
 * the state; a failed update leaves it for final or abort to end. */
mm_err lms_h_init(mm_lms_hash_state *s, const lms_hash *h);
mm_err lms_h_update(mm_lms_hash_state *s, const uint8_t *p, size_t len);
mm_err lms_h_final(mm_lms_hash_state *s, uint8_t *out);
void lms_h_abort(mm_lms_hash_state *s);

/* Starts H(I || u32 r || u16 d ...), the prefix of every LMS hash. */
mm_err lms_h_begin(mm_lms_hash_state *s, const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t r, uint16_t d);

/* Runs the Winternitz chain of index i of one-time key q: for j from `from`
 * up to `to` - 1, tmp = H(I || u32 q || u16 i || u8 j || tmp). tmp holds n
 * bytes. On the fast path each step is one compression of a block prepared
 * once. */
mm_err lms_chain(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t q, uint16_t i, uint8_t *tmp, unsigned from,
                 unsigned to);

/* All p chains of one-time key q (lms_chains.c). Chain i starts from
 * start[i] (n bytes each), or, with seed, from its private value
 * H(I || q || u16 i || u8 0xff || seed) (RFC 8554 Appendix A), and runs
 * from digit i of digits (coef; 0 when digits is NULL) up to 2^w - 1, or
 * with to_digit from 0 up to that digit (signing). Results go to out (p
 * values) or, in chain order, into the hash state sink. */
typedef struct lms_chain_req {
    const mm_lms_ots_type_info *ots;
    const uint8_t *I;
    uint32_t q;
    const uint8_t *digits; /* Q || Cksm(Q), or NULL */
    bool to_digit;
    const uint8_t *seed;
    const uint8_t *start;
    uint8_t *out;
    mm_lms_hash_state *sink;
} lms_chain_req;

mm_err lms_chains(const lms_hash *h, const lms_chain_req *r);

/* Digit i (w bits) of s, as coef() of RFC 8554 section 3.1.3. */
static inline unsigned lms_coef(const uint8_t *s, unsigned i, unsigned w)
{
    unsigned per_byte = 8 / w;
    unsigned shift = 8 - (w * (i % per_byte) + w);
    return ((unsigned)s[i / per_byte] >> shift) & ((1u << w) - 1);
}

/* Writes the checksum Cksm(Q) (two bytes, shifted left by ls) after Q. */
void lms_checksum(const mm_lms_ots_type_info *ots, uint8_t *q_and_cksm);

/* The candidate LM-OTS public key Kc (RFC 8554 Algorithm 4b) from the
 * message digest Q (n bytes, H(I || q || D_MESG || C || message)) and the
 * signature's chain values y[p][n]. */
mm_err lms_ots_candidate(const lms_hash *h, const mm_lms_ots_type_info *ots, const uint8_t I[MM_LMS_I_LEN], uint32_t q,
                         const uint8_t *digest, const uint8_t *y, uint8_t *kc);

/* The root a leaf's authentication path leads to (RFC 8554 Algorithm 6a,
 * steps from the leaf hash on): leaf q of a tree of height h, path[h][m]. */
mm_err lms_root_from_path(const lms_hash *h, const mm_lms_type_info *lms, const uint8_t I[MM_LMS_I_LEN], uint32_t q,
                          const uint8_t *kc, const uint8_t *path, uint8_t *root);

/* H(I || u32 r || u16 D_LEAF || k) and H(I || u32 r || u16 D_INTR || l || r). */
mm_err lms_leaf(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t r, const uint8_t *k, uint8_t *out);
mm_err lms_node(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], uint32_t r, const uint8_t *left, const uint8_t *right,
                uint8_t *out);

/* The pair of types a level uses, checked to share one hash and size. */
mm_err lms_types(uint32_t lms_type, uint32_t ots_type, const mm_lms_type_info **lms, const mm_lms_ots_type_info **ots);

/* What the ops of every HSS-LMS key (the verifier's slots here, the public
 * keys and signers of backends/lms) do alike once the key is found. */

/* Refuses what a key's sign or verify op cannot do: an alg other than
 * HSS-LMS, and any flag (HSS-LMS signs the message itself, never a digest). */
mm_err lms_key_usage(int32_t alg, unsigned flags);

/* A key's verify op: the checks above, then sig over data with pub. */
mm_err lms_key_verify(const mm_crypto *hash, mm_bytes pub, int32_t alg, unsigned flags, mm_bytes data, mm_bytes sig);

/* A key's export op: pub as the public part, copied into buf (cap bytes);
 * the private part is never exported. */
mm_err lms_key_export(mm_bytes pub, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap);

#endif /* MAMORI_LMS_INTERNAL_H */
