/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9162 section 2.1.1 hashing: leaves, interior nodes, whole trees. */
#include <string.h>

#include "scitt_internal.h"

/* The two domain-separation prefixes of RFC 9162 section 2.1.1. */
static const uint8_t leaf_prefix = 0x00;
static const uint8_t node_prefix = 0x01;

mm_err scitt_sha256(const mm_crypto *c, const mm_bytes *parts, size_t n, uint8_t out[MM_MERKLE_HASH_LEN])
{
    mm_crypto_ctx ctx;
    uint8_t digest[MM_HASH_MAX];
    size_t len = 0;
    mm_err e = mm_hash_init(c, &ctx, MM_ALG_SHA256);
    if (e != MM_OK) {
        return e;
    }
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        if (parts[i].len != 0) {
            e = mm_hash_update(c, &ctx, parts[i]);
        }
    }
    if (e != MM_OK) {
        mm_hash_abort(c, &ctx);
        return e;
    }
    e = mm_hash_final(c, &ctx, digest, &len);
    if (e == MM_OK && len != MM_MERKLE_HASH_LEN) {
        e = MM_ERR_PLATFORM; /* a backend that does not do SHA-256 as asked */
    }
    if (e == MM_OK) {
        memcpy(out, digest, MM_MERKLE_HASH_LEN);
    }
    return e;
}

mm_err mm_merkle_leaf_hash(const mm_crypto *c, mm_bytes entry, uint8_t out[MM_MERKLE_HASH_LEN])
{
    if (out == NULL || (entry.ptr == NULL && entry.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_bytes parts[] = {mm_bytes_make(&leaf_prefix, 1), entry};
    return scitt_sha256(c, parts, 2, out);
}

/* A node's 65 bytes fit two SHA-256 blocks: padded here and run through the
 * backend's compression function, when it has one (MM_ERR_UNSUPPORTED
 * otherwise). Proofs and appends are chains of node hashes, and for 65
 * bytes a streaming hash context costs several times the hash itself. */
static mm_err node_hash_blocks(const mm_crypto *c, const uint8_t left[MM_MERKLE_HASH_LEN],
                               const uint8_t right[MM_MERKLE_HASH_LEN], uint8_t out[MM_MERKLE_HASH_LEN])
{
    uint8_t blocks[128];
    blocks[0] = node_prefix;
    memcpy(blocks + 1, left, MM_MERKLE_HASH_LEN);
    memcpy(blocks + 1 + MM_MERKLE_HASH_LEN, right, MM_MERKLE_HASH_LEN);
    /* FIPS 180-4 section 5.1.1: 0x80, zeros, the length in bits (520). */
    blocks[65] = 0x80;
    memset(blocks + 66, 0, sizeof blocks - 66 - 2);
    blocks[126] = 0x02;
    blocks[127] = 0x08;
    uint32_t state[8];
    memcpy(state, mm_sha256_iv, sizeof state);
    mm_err e = mm_sha256_compress(c, state, blocks, 2);
    for (size_t i = 0; e == MM_OK && i < 8; i++) {
        out[4 * i] = (uint8_t)(state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(state[i] >> 8);
        out[4 * i + 3] = (uint8_t)state[i];
    }
    return e;
}

mm_err mm_merkle_node_hash(const mm_crypto *c, const uint8_t left[MM_MERKLE_HASH_LEN],
                           const uint8_t right[MM_MERKLE_HASH_LEN], uint8_t out[MM_MERKLE_HASH_LEN])
{
    if (left == NULL || right == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = node_hash_blocks(c, left, right, out);
    if (e != MM_ERR_UNSUPPORTED) {
        return e;
    }
    const mm_bytes parts[] = {mm_bytes_make(&node_prefix, 1), mm_bytes_make(left, MM_MERKLE_HASH_LEN),
                              mm_bytes_make(right, MM_MERKLE_HASH_LEN)};
    return scitt_sha256(c, parts, 3, out);
}

/* The right edge of the tree over the leaves seen so far (a "compact range"):
 * one complete subtree per set bit of the count, largest first. Each leaf
 * merges with the subtrees it completes, so the whole tree costs n - 1 node
 * hashes and 64 stack slots at most. */
mm_err mm_merkle_root(const mm_crypto *c, const uint8_t (*leaves)[MM_MERKLE_HASH_LEN], uint64_t n,
                      uint8_t root[MM_MERKLE_HASH_LEN])
{
    if (root == NULL || (n != 0 && leaves == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    if (n == 0) {
        return scitt_sha256(c, NULL, 0, root); /* the empty tree: the hash of nothing */
    }
    uint8_t stack[64][MM_MERKLE_HASH_LEN];
    unsigned top = 0;
    mm_err e = MM_OK;
    for (uint64_t i = 0; i < n && e == MM_OK; i++) {
        memcpy(stack[top], leaves[i], MM_MERKLE_HASH_LEN);
        top++;
        /* Leaf i completes one subtree per trailing one bit of i. */
        for (uint64_t k = i; (k & 1u) != 0 && e == MM_OK; k >>= 1) {
            e = mm_merkle_node_hash(c, stack[top - 2], stack[top - 1], stack[top - 2]);
            top--;
        }
    }
    /* MTH: the largest subtree on the left, the rest of the tree right. */
    while (e == MM_OK && top > 1) {
        e = mm_merkle_node_hash(c, stack[top - 2], stack[top - 1], stack[top - 2]);
        top--;
    }
    if (e == MM_OK) {
        memcpy(root, stack[0], MM_MERKLE_HASH_LEN);
    }
    return e;
}
