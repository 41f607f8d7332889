/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori merkle: RFC 9162 Merkle trees (SHA-256), inclusion and consistency
 * proofs, and an append-only tree over a storage interface.
 *
 * Model
 * -----
 * Hashing follows RFC 9162 section 2.1.1: a leaf hash is
 * SHA-256(0x00 || entry), an interior node SHA-256(0x01 || left || right),
 * the empty tree SHA-256(""). Hashes are MM_MERKLE_HASH_LEN bytes and go
 * through the caller's crypto backend (mm_crypto), never a library of ours.
 *
 * Proofs are pure functions of (index or sizes, leaf or roots, path), as in
 * RFC 9162 sections 2.1.3.2 and 2.1.4.2: nothing is allocated, nothing kept.
 * A verifier either hands over the whole path (mm_merkle_verify_inclusion(),
 * path elements as views, so a proof read from CBOR is checked in place) or
 * feeds it one hash at a time through an mm_merkle_walk, which is what the
 * receipt verifier does while it decodes. Every function that computes a
 * root from a path returns it, so a signature can then be checked over the
 * recomputed root (COSE Receipts sign the root as a detached payload).
 *
 * The append-only tree (mm_merkle_tree) keeps nothing but its size in
 * memory. Every complete subtree hash, leaves included, is written once to a
 * caller-supplied store (mm_merkle_store: a versioned ops table with a user
 * pointer) under (level, index): the node covering leaves
 * [index * 2^level, (index + 1) * 2^level). Because complete subtrees never
 * change, any past tree size is served by the same stored nodes:
 * - an append hashes and stores one node per level it completes (one on
 *   average), reading only the left siblings it combines with;
 * - a root, an inclusion proof or a consistency proof for any size up to the
 *   current one reads O(log n) stored hashes (at most 2 * 64), never leaves.
 * A store is written node first, size last, so a crash between leaves the
 * old size in force and the next append overwrites the orphaned nodes.
 * mm_merkle_mem is an allocation-free store over a caller buffer (tests,
 * tools, small logs); a service implements the same ops on its database.
 *
 * Errors: a proof that does not check out is MM_ERR_VERIFY, whatever the
 * reason (wrong length, index out of range, a hash of the wrong size, a
 * mismatching root), so callers cannot be led to act on a partial answer.
 * Backend and store failures are passed through unchanged.
 */
#ifndef MAMORI_MERKLE_H
#define MAMORI_MERKLE_H

#include "mamori/base.h"
#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of a SHA-256 tree hash. */
#define MM_MERKLE_HASH_LEN 32

/* Most hashes an inclusion or consistency proof of a tree with fewer than
 * 2^64 leaves holds (64 levels, plus the consistency proof's own subtree). */
#define MM_MERKLE_MAX_PROOF 65

/*
 * Hashing (RFC 9162 section 2.1.1).
 */

/* SHA-256(0x00 || entry) into out. Errors: the backend's. */
MM_NODISCARD mm_err mm_merkle_leaf_hash(const mm_crypto *c, mm_bytes entry, uint8_t out[MM_MERKLE_HASH_LEN]);

/* SHA-256(0x01 || left || right) into out (out may alias left or right). */
MM_NODISCARD mm_err mm_merkle_node_hash(const mm_crypto *c, const uint8_t left[MM_MERKLE_HASH_LEN],
                                        const uint8_t right[MM_MERKLE_HASH_LEN], uint8_t out[MM_MERKLE_HASH_LEN]);

/* The root of the tree over leaves[0..n) (leaf hashes, not entries): the
 * empty tree's SHA-256("") for n = 0. Needs O(log n) stack and n - 1 node
 * hashes. */
MM_NODISCARD mm_err mm_merkle_root(const mm_crypto *c, const uint8_t (*leaves)[MM_MERKLE_HASH_LEN], uint64_t n,
                                   uint8_t root[MM_MERKLE_HASH_LEN]);

/*
 * Proof verification, one hash at a time.
 *
 * mm_merkle_walk_inclusion() or _consistency() starts a walk, each path
 * element goes in through mm_merkle_walk_step() in proof order, and
 * mm_merkle_walk_root() ends it with the root the path leads to. Errors are
 * sticky: after the first, every call returns it. The struct is the
 * caller's; nothing needs releasing.
 */
typedef struct mm_merkle_walk {
    const mm_crypto *crypto;
    uint64_t fn, sn;                   /* RFC 9162's node indices */
    uint8_t fr[MM_MERKLE_HASH_LEN];    /* inclusion: r; consistency: fr */
    uint8_t sr[MM_MERKLE_HASH_LEN];    /* consistency: sr */
    uint8_t first[MM_MERKLE_HASH_LEN]; /* consistency: the older root */
    uint8_t kind;                      /* internal */
    uint8_t started;                   /* internal: consistency has its first value */
    uint32_t steps;                    /* path elements taken */
    mm_err err;                        /* sticky */
} mm_merkle_walk;

/* Starts verifying that leaf (a leaf hash) is at index in a tree of size
 * leaves (RFC 9162 section 2.1.3.2). index >= size makes the walk fail
 * (MM_ERR_VERIFY, reported now and by every later call). */
MM_NODISCARD mm_err mm_merkle_walk_inclusion(mm_merkle_walk *w, const mm_crypto *c, uint64_t index, uint64_t size,
                                             const uint8_t leaf[MM_MERKLE_HASH_LEN]);

/* Starts verifying that the tree of size1 leaves with root root1 is a prefix
 * of the tree of size2 leaves (RFC 9162 section 2.1.4.2), computing the
 * latter's root. Needs 0 < size1 <= size2 (equal sizes: an empty path, and
 * the root is root1); otherwise the walk fails (MM_ERR_VERIFY): the empty
 * tree is a prefix of every tree, but no path leads from it to a root. */
MM_NODISCARD mm_err mm_merkle_walk_consistency(mm_merkle_walk *w, const mm_crypto *c, uint64_t size1, uint64_t size2,
                                               const uint8_t root1[MM_MERKLE_HASH_LEN]);

/* Takes the next path element. One that is not MM_MERKLE_HASH_LEN bytes, or
 * one more than the sizes allow, fails the walk (MM_ERR_VERIFY). */
MM_NODISCARD mm_err mm_merkle_walk_step(mm_merkle_walk *w, mm_bytes hash);

/* Ends the walk: MM_OK and the root the path leads to (inclusion: of the
 * tree of size leaves; consistency: of the size2 tree, after checking that
 * the path also leads to root1). MM_ERR_VERIFY when the path was too short,
 * or did not reproduce root1. */
MM_NODISCARD mm_err mm_merkle_walk_root(mm_merkle_walk *w, uint8_t root[MM_MERKLE_HASH_LEN]);

/*
 * Proof verification over a whole path. path[0..n) are views of the hashes
 * in proof order (each must be MM_MERKLE_HASH_LEN bytes).
 */

/* The root an inclusion proof leads to (MM_ERR_VERIFY: not a valid path for
 * index and size). */
MM_NODISCARD mm_err mm_merkle_inclusion_root(const mm_crypto *c, uint64_t index, uint64_t size,
                                             const uint8_t leaf[MM_MERKLE_HASH_LEN], const mm_bytes *path, size_t n,
                                             uint8_t root[MM_MERKLE_HASH_LEN]);

/* MM_OK when the path proves leaf at index in the tree of size leaves whose
 * root is root; MM_ERR_VERIFY otherwise. */
MM_NODISCARD mm_err mm_merkle_verify_inclusion(const mm_crypto *c, uint64_t index, uint64_t size,
                                               const uint8_t leaf[MM_MERKLE_HASH_LEN], const mm_bytes *path, size_t n,
                                               const uint8_t root[MM_MERKLE_HASH_LEN]);

/* The size2 root a consistency proof from (size1, root1) leads to; see
 * mm_merkle_walk_consistency() for the sizes accepted. */
MM_NODISCARD mm_err mm_merkle_consistency_root(const mm_crypto *c, uint64_t size1, uint64_t size2,
                                               const uint8_t root1[MM_MERKLE_HASH_LEN], const mm_bytes *path, size_t n,
                                               uint8_t root2[MM_MERKLE_HASH_LEN]);

/* MM_OK when the path proves the tree (size1, root1) a prefix of the tree
 * (size2, root2); MM_ERR_VERIFY otherwise. Also accepts size1 = 0 with an
 * empty path when root1 is the empty tree's root. */
MM_NODISCARD mm_err mm_merkle_verify_consistency(const mm_crypto *c, uint64_t size1, uint64_t size2,
                                                 const uint8_t root1[MM_MERKLE_HASH_LEN],
                                                 const uint8_t root2[MM_MERKLE_HASH_LEN], const mm_bytes *path,
                                                 size_t n);

/*
 * The append-only tree over a store.
 */

/* The store contract, version 1. `user` is mm_merkle_store.user. A node is
 * the hash of the complete subtree of 2^level leaves starting at leaf
 * index << level (level 0: the leaf hashes); level is at most 63.
 * - get_size / set_size: the committed tree size. set_size is called after
 *   the nodes of the leaves it commits have been put.
 * - get_node: the stored hash. The tree asks only for nodes inside the
 *   committed size, or put earlier in the same append; a missing node is the
 *   store's error (MM_ERR_STATE suits).
 * - put_node: stores the hash; it may replace a node beyond the committed
 *   size (left over from an append that did not commit).
 * Errors a store returns are handed to the caller unchanged. */
#define MM_MERKLE_STORE_V1 1u

typedef struct mm_merkle_store_ops {
    uint32_t version; /* MM_MERKLE_STORE_V1 */
    mm_err (*get_size)(void *user, uint64_t *size);
    mm_err (*set_size)(void *user, uint64_t size);
    mm_err (*get_node)(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN]);
    mm_err (*put_node)(void *user, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN]);
} mm_merkle_store_ops;

/* A store instance: its ops and its user pointer. */
typedef struct mm_merkle_store {
    const mm_merkle_store_ops *ops;
    void *user;
} mm_merkle_store;

/* An open tree: the crypto backend, the store and the size last read or
 * committed. The caller owns the struct; nothing needs closing. One writer
 * at a time: two trees appending to one store corrupt it. Readers (roots,
 * proofs) of sizes already committed are safe beside a writer. */
typedef struct mm_merkle_tree {
    const mm_crypto *crypto;
    mm_merkle_store store;
    uint64_t size;
} mm_merkle_tree;

/* Opens a tree on store (a copy of the struct is kept; the ops and user must
 * outlive the tree) and reads its size. Errors: MM_ERR_INVALID_ARG (NULL
 * arguments, missing ops), MM_ERR_UNSUPPORTED (a store of another version),
 * the store's. */
MM_NODISCARD mm_err mm_merkle_tree_open(mm_merkle_tree *t, const mm_crypto *c, const mm_merkle_store *store);

/* Re-reads the committed size (after another process appended). */
MM_NODISCARD mm_err mm_merkle_tree_refresh(mm_merkle_tree *t);

/* Appends one leaf hash (mm_merkle_leaf_hash() of the entry): stores it and
 * every subtree it completes, then commits the new size. *index (may be
 * NULL) gets the leaf's index. Errors: MM_ERR_TOO_LARGE (2^64 - 1 leaves),
 * the backend's and the store's (the size is then not committed). */
MM_NODISCARD mm_err mm_merkle_tree_append(mm_merkle_tree *t, const uint8_t leaf[MM_MERKLE_HASH_LEN], uint64_t *index);

/* Appends leaves[0..n) and commits the new size once, at the end (a
 * service's batch, one transaction). *first (may be NULL) gets the index of
 * leaves[0]. Errors as mm_merkle_tree_append(). */
MM_NODISCARD mm_err mm_merkle_tree_append_batch(mm_merkle_tree *t, const uint8_t (*leaves)[MM_MERKLE_HASH_LEN],
                                                size_t n, uint64_t *first);

/* The leaf hash at index (< t->size). */
MM_NODISCARD mm_err mm_merkle_tree_leaf(const mm_merkle_tree *t, uint64_t index, uint8_t leaf[MM_MERKLE_HASH_LEN]);

/* The root of the tree at any size <= t->size (0: the empty tree's). Reads
 * one stored node per set bit of size. MM_ERR_INVALID_ARG for a size beyond
 * the tree. */
MM_NODISCARD mm_err mm_merkle_tree_root(const mm_merkle_tree *t, uint64_t size, uint8_t root[MM_MERKLE_HASH_LEN]);

/* The inclusion proof of leaf index in the tree at size (index < size <=
 * t->size; RFC 9162 section 2.1.3.1) into path[0..cap), in the order
 * verifiers take it; *n gets the count (also when path is too small:
 * MM_ERR_BUFFER_TOO_SMALL; MM_MERKLE_MAX_PROOF always suffices).
 * MM_ERR_INVALID_ARG for an index or size out of range. */
MM_NODISCARD mm_err mm_merkle_tree_inclusion(const mm_merkle_tree *t, uint64_t index, uint64_t size,
                                             uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t cap, size_t *n);

/* The consistency proof from size1 to size2 (size1 <= size2 <= t->size;
 * RFC 9162 section 2.1.4.1; empty when size1 is 0 or equals size2) into
 * path[0..cap); *n as for mm_merkle_tree_inclusion(). */
MM_NODISCARD mm_err mm_merkle_tree_consistency(const mm_merkle_tree *t, uint64_t size1, uint64_t size2,
                                               uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t cap, size_t *n);

/*
 * An in-memory store over a caller buffer: no allocation, a fixed number of
 * leaves. Level l keeps capacity >> l nodes, so capacity leaves need
 * mm_merkle_mem_need(capacity) bytes (just under 2 * 32 per leaf).
 */
typedef struct mm_merkle_mem {
    uint8_t *buf;
    uint64_t capacity; /* leaves the buffer holds */
    uint64_t size;     /* committed size */
    uint64_t filled;   /* leaves covered by nodes put so far */
    uint32_t gets;     /* nodes read: lets a test count what a proof costs */
} mm_merkle_mem;

/* Bytes of buffer a store of capacity leaves needs (0 when that overflows
 * a size_t). */
size_t mm_merkle_mem_need(uint64_t capacity);

/* Sets up m over buf[0..len) with room for as many leaves as fit, size 0,
 * and fills *store with its ops (m and buf must outlive the store).
 * get_node of a node not yet put fails with MM_ERR_STATE, put_node beyond
 * the capacity with MM_ERR_TOO_LARGE. Errors: MM_ERR_INVALID_ARG (NULL
 * arguments, a buffer smaller than one leaf). */
MM_NODISCARD mm_err mm_merkle_mem_init(mm_merkle_mem *m, void *buf, size_t len, mm_merkle_store *store);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_MERKLE_H */
