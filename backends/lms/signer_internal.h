/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the HSS/LMS signer share: parameter sets of a whole HSS
 * key, the private state file, the Merkle trees with their cache, and the
 * one-time signatures. Host code (POSIX, allocates). Names start with ls_.
 */
#ifndef MAMORI_LMS_SIGNER_INTERNAL_H
#define MAMORI_LMS_SIGNER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/lms_internal.h"
#include "mamori/lms_signer.h"

/*
 * Parameter sets of an HSS key.
 */
typedef struct ls_params {
    uint32_t levels;
    const mm_lms_type_info *lms[MM_LMS_MAX_LEVELS];
    const mm_lms_ots_type_info *ots[MM_LMS_MAX_LEVELS];
    unsigned below[MM_LMS_MAX_LEVELS]; /* index bits of the levels under level i */
    uint64_t total;                    /* 2^(sum of h) */
    size_t sig_len;                    /* HSS signature bytes */
    size_t pub_len;                    /* HSS public key bytes */
    int32_t hash_alg;                  /* every level's */
    uint8_t n;
} ls_params;

/* Checks and fills p: known typecodes, each level's pair consistent, one
 * hash function and size for all levels, at most 64 index bits. */
mm_err ls_params_make(uint32_t levels, const uint32_t *lms_type, const uint32_t *ots_type, ls_params *p);

/* The leaf index of level i in the global index N. */
static inline uint32_t ls_q_of(const ls_params *p, uint32_t i, uint64_t index)
{
    return (uint32_t)((index >> p->below[i]) & ((UINT64_C(1) << p->lms[i]->h) - 1));
}

/*
 * The private state file (docs/lms.md).
 */
#define LS_VERSION  1u
#define LS_FILE_LEN 236u
#define LS_SEED_MAX 32u

typedef struct ls_state {
    ls_params p;
    uint8_t seed[LS_SEED_MAX]; /* n bytes used */
    uint8_t I[MM_LMS_I_LEN];   /* the top tree's identifier */
    uint64_t next;             /* first index not yet used or reserved */
    uint8_t pub[MM_LMS_PUB_MAX];
} ls_state;

/* Serializes s (with its SHA-256 checksum) into out. */
mm_err ls_state_encode(const mm_crypto *c, const ls_state *s, uint8_t out[LS_FILE_LEN]);
/* Parses and checks a state file's bytes: MM_ERR_BAD_KEY when it is not one
 * or is damaged, MM_ERR_UNSUPPORTED for another version. */
mm_err ls_state_decode(const mm_crypto *c, const uint8_t *in, size_t len, ls_state *s);
/* Reads and decodes the file at path. */
mm_err ls_state_read(const mm_crypto *c, const char *path, ls_state *s);

/* File flags of ls_file_write. */
#define LS_WRITE_DURABLE    0x1u /* fsync the file and its folder */
#define LS_WRITE_NO_CLOBBER 0x2u /* fail with MM_ERR_STATE when path exists */

/* Writes data to path atomically: a temporary file in the same folder,
 * (fsync), rename (or link for no-clobber), (fsync of the folder). */
mm_err ls_file_write(const char *path, const uint8_t *data, size_t len, unsigned flags);

/* Reads a whole file of at most max bytes into a new buffer. */
mm_err ls_file_read(const char *path, size_t max, uint8_t **data, size_t *len);

/*
 * Derivations from a tree's seed (RFC 8554 Appendix A and ours, all of the
 * form H(I || u32 q || u16 i || u8 0xff || SEED), which no chain step
 * takes: chains use j <= 254, and i >= 0xfffd names no chain).
 */
#define LS_DERIVE_CACHE 0xfffcu /* the key that authenticates the tree cache (with q 0) */
#define LS_DERIVE_C     0xfffdu /* the randomizer C of an upper level's signature */
#define LS_DERIVE_SEED  0xfffeu /* the seed of the child tree under leaf q */
#define LS_DERIVE_I     0xffffu /* the identifier I of that child (first 16 bytes) */

mm_err ls_derive(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], const uint8_t *seed, uint32_t q, uint16_t i,
                 uint8_t *out);

/*
 * Trees.
 */

/* Heights above this keep only their top LS_TOP_MAX levels in memory and in
 * the cache; the subtrees under them are computed when signing reaches them. */
#define LS_TOP_MAX 16u

typedef struct ls_tree {
    const mm_lms_type_info *lms;
    const mm_lms_ots_type_info *ots;
    lms_hash hash;
    uint8_t I[MM_LMS_I_LEN];
    uint8_t seed[LS_SEED_MAX];
    unsigned s;                      /* height of the subtrees under the top part (0: the whole tree is kept) */
    uint8_t *top;                    /* nodes r = 1 .. 2^(h-s+1) - 1 at top + r m (heap numbering of RFC 8554) */
    uint8_t *sub;                    /* the subtree in use, local heap numbering, when s > 0 */
    uint64_t sub_index;              /* which subtree sub holds (UINT64_MAX: none) */
    uint8_t pub[MM_LMS_LMS_PUB_MAX]; /* u32 type || u32 ots type || I || T[1] */
    bool built;
} ls_tree;

/* Sets t up for the tree (I, seed) of a level; allocates nothing yet. */
void ls_tree_init(ls_tree *t, const lms_hash *h, const mm_lms_type_info *lms, const mm_lms_ots_type_info *ots,
                  const uint8_t I[MM_LMS_I_LEN], const uint8_t *seed);
/* Bytes of the top part (what the cache stores). */
size_t ls_tree_top_len(const ls_tree *t);
/* Computes the top part (every one-time key of the tree) with threads. */
mm_err ls_tree_build(ls_tree *t, unsigned threads);
/* Takes the top part from a cache (copied), and computes the root check:
 * false when the nodes do not hash up to a consistent root. */
mm_err ls_tree_adopt(ls_tree *t, const uint8_t *top, size_t len);
/* Writes leaf q's authentication path (h nodes of m bytes). */
mm_err ls_tree_path(ls_tree *t, uint32_t q, uint8_t *path, unsigned threads);
void ls_tree_free(ls_tree *t);

/* Writes the LMS signature of leaf q over msg into out
 * (mm_lms_lms_sig_len bytes): u32 q || u32 ots type || C || y || u32 lms
 * type || path. */
mm_err ls_lms_sign(ls_tree *t, uint32_t q, const uint8_t *c, mm_bytes msg, uint8_t *out, unsigned threads);

/* Runs fn(arg, i, scratch) for i in [0, count) on up to threads threads
 * (0: online CPUs); each thread gets scratch of scratch_len bytes. The
 * first error stops the rest. */
mm_err ls_parallel(unsigned threads, uint64_t count, size_t scratch_len,
                   mm_err (*fn)(void *arg, uint64_t i, uint8_t *scratch), void *arg);

/*
 * The tree cache file "<key>.cache".
 */

/* What authenticates a cache: HMAC-SHA-256 with a key derived from the top
 * seed (LS_DERIVE_CACHE), so only the key's owner makes a cache the signer
 * trusts. A lower tree's nodes cannot be checked against anything short of
 * recomputing them, and a wrong child root signed by a parent one-time key
 * that already signed the right one would be a reuse of that key. */
typedef struct ls_cache_key {
    const mm_crypto *crypto;
    uint8_t k[MM_LMS_N_MAX];
    size_t len;
} ls_cache_key;

mm_err ls_cache_key_make(const mm_crypto *c, const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], const uint8_t *seed,
                         ls_cache_key *key);
typedef struct ls_cache_level {
    uint8_t I[MM_LMS_I_LEN];
    const uint8_t *top; /* into the loaded file */
    size_t top_len;
} ls_cache_level;

typedef struct ls_cache {
    uint8_t *data; /* the file */
    size_t len;
    uint32_t levels;
    ls_cache_level level[MM_LMS_MAX_LEVELS];
} ls_cache;

/* Loads and checks the cache of the key whose public key is pub: false
 * (nothing loaded) when absent, stale or damaged. */
bool ls_cache_load(const ls_cache_key *key, const char *path, mm_bytes pub, ls_cache *cache);
void ls_cache_free(ls_cache *cache);
/* Writes the built trees of levels[0..n) as the cache (best effort). */
void ls_cache_store(const ls_cache_key *key, const char *path, mm_bytes pub, ls_tree *const *trees, uint32_t n);

#endif /* MAMORI_LMS_SIGNER_INTERNAL_H */
