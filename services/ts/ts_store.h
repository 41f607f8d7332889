/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Transparency Service's storage contract: what the sequencer writes
 * and the HTTP side reads, as a versioned ops table with a user pointer (the
 * sqlite3_vfs way), so a second backend (PostgreSQL, or a distributed SQL
 * engine behind several service instances) implements the same functions
 * and nothing above changes. ts_store_sqlite.c is the first backend.
 *
 * Model
 * -----
 * A store holds three things, and each batch of registrations changes all
 * three in one transaction, so a crash leaves either the whole batch or
 * none of it:
 * - the Merkle tree: complete-subtree hashes under (level, index) and the
 *   committed size (the mm_merkle_store contract of mamori/merkle.h);
 * - the entries: sequence number -> (leaf hash, entry bytes), unique by
 *   leaf hash, so a statement registered twice is found again;
 * - the signed tree heads: for each batch, the tree size, its root, and
 *   the COSE protected header and signature that sign that root. Every
 *   receipt of the batch carries that one signature.
 *
 * One writer (the sequencer thread) calls begin, the writes and commit or
 * rollback; its get_size and get_node see its own uncommitted writes. The
 * read_* functions see committed state only and may be called from any
 * thread at any time, beside the writer. commit returns MM_OK only once
 * the transaction is durable (it survives a crash and power loss).
 *
 * Errors: MM_ERR_MISSING_FIELD for "no such entry / node / tree head",
 * MM_ERR_PLATFORM for a storage failure, MM_ERR_INVALID_ARG for misuse.
 */
#ifndef MAMORI_TS_STORE_H
#define MAMORI_TS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/base.h"
#include "mamori/merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A signed tree head: the root of the tree at size, signed by the service.
 * prot is the COSE protected header (serialized, as in the receipts) and
 * sig the signature over the root as detached payload; both are malloc'ed
 * when a store reads them (ts_tree_head_free()). */
typedef struct ts_tree_head {
    uint64_t size;
    uint8_t root[MM_MERKLE_HASH_LEN];
    int64_t iat; /* when it was signed (seconds since 1970) */
    uint8_t *prot;
    size_t prot_len;
    uint8_t *sig;
    size_t sig_len;
} ts_tree_head;

/* Releases what a tree head holds (safe on a zeroed one). */
void ts_tree_head_free(ts_tree_head *th);

/* Copies src into dst (dst's own memory). Errors: MM_ERR_PLATFORM (out of
 * memory). */
MM_NODISCARD mm_err ts_tree_head_copy(ts_tree_head *dst, const ts_tree_head *src);

#define TS_STORE_V1 1u

/* The contract, version 1. `user` is ts_store.user. Every entry is
 * required. */
typedef struct ts_store_ops {
    uint32_t version; /* TS_STORE_V1 */

    /* The writer's transaction: one batch. begin starts it; commit makes
     * it durable; rollback drops it (also after a failed commit). */
    mm_err (*begin)(void *user);
    mm_err (*commit)(void *user);
    void (*rollback)(void *user);

    /* The tree, as the writer sees it (mm_merkle_store_ops semantics). */
    mm_err (*get_size)(void *user, uint64_t *size);
    mm_err (*set_size)(void *user, uint64_t size);
    mm_err (*get_node)(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN]);
    mm_err (*put_node)(void *user, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN]);

    /* Entry seq (its leaf index) with its leaf hash and bytes. A leaf hash
     * already stored is MM_ERR_STATE, and the transaction stays usable
     * (the sequencer then looks the entry up and goes on: a statement
     * registered again). */
    mm_err (*put_entry)(void *user, uint64_t seq, const uint8_t leaf[MM_MERKLE_HASH_LEN], mm_bytes entry);
    /* The batch's signed tree head. */
    mm_err (*put_tree_head)(void *user, const ts_tree_head *th);

    /* Committed state, any thread. */
    mm_err (*read_node)(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN]);
    /* The sequence number of the entry with this leaf hash. */
    mm_err (*find_entry)(void *user, const uint8_t leaf[MM_MERKLE_HASH_LEN], uint64_t *seq);
    /* Entry seq: its leaf hash (may be NULL) and its bytes (malloc'ed, the
     * caller frees; entry may be NULL to skip them). */
    mm_err (*read_entry)(void *user, uint64_t seq, uint8_t leaf[MM_MERKLE_HASH_LEN], uint8_t **entry, size_t *len);
    /* The tree head signed at exactly size, or with size TS_LATEST the
     * newest one. */
    mm_err (*read_tree_head)(void *user, uint64_t size, ts_tree_head *th);
    /* The sizes of the signed tree heads above after, in increasing order,
     * into sizes[0..cap); *n gets how many (fewer than cap: no more). */
    mm_err (*list_tree_heads)(void *user, uint64_t after, uint64_t *sizes, size_t cap, size_t *n);

    /* Closes the store; user is invalid afterwards. */
    void (*close)(void *user);
} ts_store_ops;

/* read_tree_head: the newest. */
#define TS_LATEST UINT64_MAX

/* A store instance. */
typedef struct ts_store {
    const ts_store_ops *ops;
    void *user;
} ts_store;

/* Opens (creating if needed) the SQLite store at path: WAL journal with
 * synchronous=FULL (mamori/sqlite_store.h), one writer connection and
 * `readers` reader connections shared by the threads that read (1 to 64;
 * a reader waits when all are busy). Errors: MM_ERR_PLATFORM (cannot open
 * or migrate), MM_ERR_UNSUPPORTED (a database of a newer schema),
 * MM_ERR_INVALID_ARG. */
MM_NODISCARD mm_err ts_store_sqlite_open(const char *path, unsigned readers, ts_store *out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_TS_STORE_H */
