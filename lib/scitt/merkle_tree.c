/* SPDX-License-Identifier: Apache-2.0 */
/* The append-only tree over a store of complete-subtree hashes: appends,
 * roots and proof generation (RFC 9162 sections 2.1.3.1 and 2.1.4.1) for any
 * past size, reading O(log n) stored nodes. */
#include <string.h>

#include "mamori/merkle.h"

static mm_err get_node(const mm_merkle_tree *t, unsigned level, uint64_t index, uint8_t out[MM_MERKLE_HASH_LEN])
{
    return t->store.ops->get_node(t->store.user, level, index, out);
}

static mm_err put_node(const mm_merkle_tree *t, unsigned level, uint64_t index, const uint8_t h[MM_MERKLE_HASH_LEN])
{
    return t->store.ops->put_node(t->store.user, level, index, h);
}

mm_err mm_merkle_tree_open(mm_merkle_tree *t, const mm_crypto *c, const mm_merkle_store *store)
{
    if (t == NULL || c == NULL || store == NULL || store->ops == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(t, 0, sizeof *t);
    const mm_merkle_store_ops *ops = store->ops;
    if (ops->version != MM_MERKLE_STORE_V1) {
        return MM_ERR_UNSUPPORTED;
    }
    if (ops->get_size == NULL || ops->set_size == NULL || ops->get_node == NULL || ops->put_node == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    t->crypto = c;
    t->store = *store;
    return mm_merkle_tree_refresh(t);
}

mm_err mm_merkle_tree_refresh(mm_merkle_tree *t)
{
    if (t == NULL || t->store.ops == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return t->store.ops->get_size(t->store.user, &t->size);
}

/* Stores leaf number index and every subtree it completes: one per trailing
 * one bit of index, each combined with the left sibling already stored. */
static mm_err append_one(const mm_merkle_tree *t, uint64_t index, const uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    uint8_t h[MM_MERKLE_HASH_LEN];
    uint8_t left[MM_MERKLE_HASH_LEN];
    memcpy(h, leaf, MM_MERKLE_HASH_LEN);
    mm_err e = put_node(t, 0, index, h);
    unsigned level = 0;
    for (uint64_t i = index; e == MM_OK && (i & 1u) != 0; i >>= 1, level++) {
        e = get_node(t, level, i - 1, left);
        if (e == MM_OK) {
            e = mm_merkle_node_hash(t->crypto, left, h, h);
        }
        if (e == MM_OK) {
            e = put_node(t, level + 1, i >> 1, h);
        }
    }
    return e;
}

mm_err mm_merkle_tree_append_batch(mm_merkle_tree *t, const uint8_t (*leaves)[MM_MERKLE_HASH_LEN], size_t n,
                                   uint64_t *first)
{
    if (t == NULL || t->store.ops == NULL || (n != 0 && leaves == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    /* 2^64 - 1 leaves at most, so that every size fits a uint64_t. */
    if ((uint64_t)n > UINT64_MAX - t->size) {
        return MM_ERR_TOO_LARGE;
    }
    mm_err e = MM_OK;
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        e = append_one(t, t->size + i, leaves[i]);
    }
    if (e == MM_OK && n != 0) {
        e = t->store.ops->set_size(t->store.user, t->size + n);
    }
    if (e != MM_OK) {
        return e;
    }
    if (first != NULL) {
        *first = t->size;
    }
    t->size += n;
    return MM_OK;
}

mm_err mm_merkle_tree_append(mm_merkle_tree *t, const uint8_t leaf[MM_MERKLE_HASH_LEN], uint64_t *index)
{
    if (leaf == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t one[1][MM_MERKLE_HASH_LEN];
    memcpy(one[0], leaf, MM_MERKLE_HASH_LEN);
    return mm_merkle_tree_append_batch(t, (const uint8_t(*)[MM_MERKLE_HASH_LEN])one, 1, index);
}

mm_err mm_merkle_tree_leaf(const mm_merkle_tree *t, uint64_t index, uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    if (t == NULL || t->store.ops == NULL || leaf == NULL || index >= t->size) {
        return MM_ERR_INVALID_ARG;
    }
    return get_node(t, 0, index, leaf);
}

/* MTH of the count leaves from first (aligned as every range the proofs
 * ask for is: first is a multiple of the largest power of two <= count).
 * The range is one stored subtree per set bit of count, largest on the
 * left; folding them from the right gives RFC 9162's split at the largest
 * power of two below the count, at every level. */
static mm_err range_hash(const mm_merkle_tree *t, uint64_t first, uint64_t count, uint8_t out[MM_MERKLE_HASH_LEN])
{
    uint8_t sub[MM_MERKLE_HASH_LEN];
    bool have = false;
    mm_err e = MM_OK;
    for (unsigned level = 0; level < 64 && e == MM_OK; level++) {
        if (((count >> level) & 1u) == 0) {
            continue;
        }
        /* Subtrees of the higher bits come before this one. */
        uint64_t start = first + (level < 63 ? (count >> (level + 1)) << (level + 1) : 0);
        e = get_node(t, level, start >> level, have ? sub : out);
        if (e == MM_OK && have) {
            e = mm_merkle_node_hash(t->crypto, sub, out, out);
        }
        have = true;
    }
    return e;
}

mm_err mm_merkle_tree_root(const mm_merkle_tree *t, uint64_t size, uint8_t root[MM_MERKLE_HASH_LEN])
{
    if (t == NULL || t->store.ops == NULL || root == NULL || size > t->size) {
        return MM_ERR_INVALID_ARG;
    }
    if (size == 0) {
        return mm_merkle_root(t->crypto, NULL, 0, root);
    }
    return range_hash(t, 0, size, root);
}

/* The largest power of two smaller than n (n > 1): RFC 9162's k. */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;
    while (k < n - k) {
        k <<= 1;
    }
    return k;
}

/* One step of the descent both proofs make from the root towards the leaf
 * (or the older tree's edge): the sibling range skipped at this level. */
typedef struct descent {
    uint64_t lo, n, m; /* the subtree [lo, lo + n) and the index or size inside it */
} descent;

/* RFC 9162's PATH(m, D[lo:lo+n]) step: recurse left when m < k, else right.
 * The other half is the sibling: *sib_first and *sib_count. */
static void path_step(descent *d, uint64_t *sib_first, uint64_t *sib_count)
{
    uint64_t k = split_point(d->n);
    if (d->m < k) {
        *sib_first = d->lo + k;
        *sib_count = d->n - k;
        d->n = k;
    } else {
        *sib_first = d->lo;
        *sib_count = k;
        d->lo += k;
        d->m -= k;
        d->n -= k;
    }
}

mm_err mm_merkle_tree_inclusion(const mm_merkle_tree *t, uint64_t index, uint64_t size,
                                uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t cap, size_t *n)
{
    if (t == NULL || t->store.ops == NULL || n == NULL || (cap != 0 && path == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    *n = 0;
    if (index >= size || size > t->size) {
        return MM_ERR_INVALID_ARG;
    }
    /* The descent visits the levels top down; the proof lists them bottom
     * up, so count first and fill from the end. */
    size_t count = 0;
    uint64_t first, len;
    for (descent d = {0, size, index}; d.n > 1; count++) {
        path_step(&d, &first, &len);
    }
    *n = count;
    if (count > cap) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    mm_err e = MM_OK;
    size_t at = count;
    for (descent d = {0, size, index}; d.n > 1 && e == MM_OK;) {
        path_step(&d, &first, &len);
        e = range_hash(t, first, len, path[--at]);
    }
    return e;
}

mm_err mm_merkle_tree_consistency(const mm_merkle_tree *t, uint64_t size1, uint64_t size2,
                                  uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t cap, size_t *n)
{
    if (t == NULL || t->store.ops == NULL || n == NULL || (cap != 0 && path == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    *n = 0;
    if (size1 > size2 || size2 > t->size) {
        return MM_ERR_INVALID_ARG;
    }
    if (size1 == 0 || size1 == size2) {
        return MM_OK;
    }
    /* SUBPROOF(m, D[lo:lo+n], b): while m != n, step as PATH does but go
     * left when m <= k; once the descent has gone right (b false), the
     * subtree it ends on, [lo, lo + m), is part of the proof too. */
    size_t count = 0;
    bool right = false;
    uint64_t first, len;
    descent d = {0, size2, size1};
    while (d.m != d.n) {
        uint64_t k = split_point(d.n);
        right = right || d.m > k;
        /* PATH's test is m < k; SUBPROOF's is m <= k: shift m by one. */
        d.m -= 1;
        path_step(&d, &first, &len);
        d.m += 1;
        count++;
    }
    count += right ? 1 : 0;
    *n = count;
    if (count > cap) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    mm_err e = MM_OK;
    size_t at = count;
    d = (descent){0, size2, size1};
    while (d.m != d.n && e == MM_OK) {
        d.m -= 1;
        path_step(&d, &first, &len);
        d.m += 1;
        e = range_hash(t, first, len, path[--at]);
    }
    if (e == MM_OK && right) {
        e = range_hash(t, d.lo, d.n, path[--at]);
    }
    return e;
}
