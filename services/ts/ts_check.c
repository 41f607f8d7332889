/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The start-up check: a service must not sign new roots over a tree it
 * cannot vouch for. The last signed tree head must verify with the
 * service's key, and the stored tree must have exactly its size and its
 * root. The recent entries are hashed again and compared with their
 * leaves. TS_CHECK_FULL also rebuilds the whole tree from the entries,
 * comparing every stored node, and checks every tree head ever signed.
 */
#include <stdlib.h>
#include <string.h>

#include "ts_internal.h"

/* Entries rehashed by the quick check. */
#define RECENT 1024

/* Tree heads listed at a time by the full check. */
#define LIST_CHUNK 512

/* Hashes entry seq again and compares it with its stored leaf and level-0
 * node; *leaf gets the leaf hash. */
static mm_err check_entry(ts_service *svc, uint64_t seq, uint8_t leaf[MM_MERKLE_HASH_LEN], ts_error *err)
{
    const ts_store *st = &svc->store;
    uint8_t stored[MM_MERKLE_HASH_LEN] = {0};
    uint8_t node[MM_MERKLE_HASH_LEN] = {0};
    uint8_t *entry = NULL;
    size_t len = 0;
    mm_err e = st->ops->read_entry(st->user, seq, stored, &entry, &len);
    if (e != MM_OK) {
        return ts_errorf(err, MM_ERR_VERIFY, "%s: entry %llu: cannot be read: %s", svc->cfg.database,
                         (unsigned long long)seq, mm_strerror(e));
    }
    mm_scitt_leaf l;
    e = mm_scitt_leaf_of_entry(svc->tree.crypto, mm_bytes_make(entry, len), &l);
    free(entry);
    if (e == MM_OK) {
        e = st->ops->get_node(st->user, 0, seq, node);
    }
    if (e != MM_OK || memcmp(l.leaf_hash, stored, MM_MERKLE_HASH_LEN) != 0 ||
        memcmp(node, stored, MM_MERKLE_HASH_LEN) != 0) {
        return ts_errorf(err, MM_ERR_VERIFY, "%s: entry %llu: its leaf hash does not match the stored tree",
                         svc->cfg.database, (unsigned long long)seq);
    }
    memcpy(leaf, stored, MM_MERKLE_HASH_LEN);
    return MM_OK;
}

/* Rebuilds the tree from its entries as a stack of complete subtrees (a
 * compact range), comparing every node it completes with the stored one;
 * root gets the root. */
static mm_err rebuild(ts_service *svc, uint64_t size, uint8_t root[MM_MERKLE_HASH_LEN], ts_error *err)
{
    const ts_store *st = &svc->store;
    const mm_crypto *c = svc->tree.crypto;
    uint8_t stack[64][MM_MERKLE_HASH_LEN];
    unsigned levels[64];
    size_t top = 0;
    for (uint64_t i = 0; i < size; i++) {
        uint8_t h[MM_MERKLE_HASH_LEN];
        mm_err e = check_entry(svc, i, h, err);
        unsigned level = 0;
        uint64_t index = i;
        while (e == MM_OK && top != 0 && levels[top - 1] == level) {
            uint8_t stored[MM_MERKLE_HASH_LEN] = {0};
            e = mm_merkle_node_hash(c, stack[--top], h, h);
            level++;
            index >>= 1;
            if (e == MM_OK) {
                e = st->ops->get_node(st->user, level, index, stored);
            }
            if (e != MM_OK || memcmp(stored, h, MM_MERKLE_HASH_LEN) != 0) {
                return ts_errorf(err, MM_ERR_VERIFY, "%s: node (level %u, index %llu) does not match its subtree",
                                 svc->cfg.database, level, (unsigned long long)index);
            }
        }
        if (e != MM_OK) {
            return e;
        }
        memcpy(stack[top], h, MM_MERKLE_HASH_LEN);
        levels[top++] = level;
    }
    if (top == 0) {
        return mm_merkle_root(c, NULL, 0, root);
    }
    memcpy(root, stack[top - 1], MM_MERKLE_HASH_LEN);
    for (size_t j = top - 1; j-- > 0;) {
        mm_err e = mm_merkle_node_hash(c, stack[j], root, root);
        if (e != MM_OK) {
            return e;
        }
    }
    return MM_OK;
}

/* Every tree head ever signed: its signature, and its root from the nodes
 * (the tree was append-only all along). */
static mm_err check_heads(ts_service *svc, ts_error *err)
{
    const ts_store *st = &svc->store;
    uint64_t sizes[LIST_CHUNK];
    uint64_t after = 0;
    for (;;) {
        size_t n = 0;
        mm_err e = st->ops->list_tree_heads(st->user, after, sizes, LIST_CHUNK, &n);
        for (size_t i = 0; e == MM_OK && i < n; i++) {
            ts_tree_head th;
            uint8_t root[MM_MERKLE_HASH_LEN];
            e = st->ops->read_tree_head(st->user, sizes[i], &th);
            if (e == MM_OK && (e = ts_tree_head_verify(&svc->signer, &th)) != MM_OK) {
                e = ts_errorf(err, MM_ERR_VERIFY, "%s: the tree head of size %llu does not verify with the service key",
                              svc->cfg.database, (unsigned long long)th.size);
            }
            if (e == MM_OK && th.size > svc->tree.writer.size) {
                e = ts_errorf(err, MM_ERR_VERIFY, "%s: a tree head of size %llu is beyond the tree", svc->cfg.database,
                              (unsigned long long)th.size);
            }
            if (e == MM_OK && (mm_merkle_tree_root(&svc->tree.writer, th.size, root) != MM_OK ||
                               memcmp(root, th.root, MM_MERKLE_HASH_LEN) != 0)) {
                e = ts_errorf(err, MM_ERR_VERIFY, "%s: the tree head of size %llu signs a root the tree does not have",
                              svc->cfg.database, (unsigned long long)th.size);
            }
            ts_tree_head_free(&th);
        }
        if (e != MM_OK) {
            return e;
        }
        if (n < LIST_CHUNK) {
            return MM_OK;
        }
        after = sizes[n - 1];
    }
}

mm_err ts_check_store(ts_service *svc, unsigned mode, ts_error *err)
{
    const ts_store *st = &svc->store;
    const char *db = svc->cfg.database;
    uint64_t size = svc->tree.writer.size;
    ts_head *h = ts_head_get(svc);
    mm_err e = MM_OK;
    uint8_t root[MM_MERKLE_HASH_LEN];
    uint8_t leaf[MM_MERKLE_HASH_LEN];
    if (h == NULL) {
        /* A new log: nothing stored, nothing signed. */
        if (size != 0 || st->ops->read_entry(st->user, 0, leaf, NULL, NULL) != MM_ERR_MISSING_FIELD) {
            e = ts_errorf(err, MM_ERR_VERIFY, "%s: the log has entries but no signed tree head", db);
        }
        return e;
    }
    if (ts_tree_head_verify(&svc->signer, &h->th) != MM_OK) {
        e = ts_errorf(err, MM_ERR_VERIFY, "%s: the last tree head (size %llu) does not verify with the service key %s",
                      db, (unsigned long long)h->th.size, svc->cfg.key);
    } else if (size != h->th.size) {
        e = ts_errorf(err, MM_ERR_VERIFY, "%s: the stored tree has %llu leaves, its last signed tree head %llu", db,
                      (unsigned long long)size, (unsigned long long)h->th.size);
    } else if (mm_merkle_tree_root(&svc->tree.writer, size, root) != MM_OK ||
               memcmp(root, h->th.root, MM_MERKLE_HASH_LEN) != 0) {
        e = ts_errorf(err, MM_ERR_VERIFY, "%s: the stored tree's root differs from its last signed root", db);
    } else if (st->ops->read_entry(st->user, size, leaf, NULL, NULL) != MM_ERR_MISSING_FIELD) {
        e = ts_errorf(err, MM_ERR_VERIFY, "%s: there are entries beyond the signed tree", db);
    }
    for (uint64_t i = size > RECENT ? size - RECENT : 0; e == MM_OK && mode == TS_CHECK_ROOT && i < size; i++) {
        e = check_entry(svc, i, leaf, err);
    }
    if (e == MM_OK && mode == TS_CHECK_FULL) {
        e = rebuild(svc, size, root, err);
        if (e == MM_OK && memcmp(root, h->th.root, MM_MERKLE_HASH_LEN) != 0) {
            e = ts_errorf(err, MM_ERR_VERIFY, "%s: the entries do not give the signed root", db);
        }
        if (e == MM_OK) {
            e = check_heads(svc, err);
        }
    }
    ts_head_put(svc, h);
    return e;
}
