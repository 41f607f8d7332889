/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Merkle tree of the service over its store, with a cache of nodes in
 * memory. A receipt needs about 2 log2(n) stored nodes; at thousands of
 * registrations a second those reads would cost more than the rest of the
 * work, and nearly all of them are recent nodes or the few near the top.
 * Complete subtrees never change, so a cached node is never stale; the
 * only nodes that can differ from the store are those an uncommitted batch
 * put beyond the committed size, which the next append puts again before
 * it reads them (merkle.h), and the cache is cleared after a rollback all
 * the same.
 */
#include <stdlib.h>
#include <string.h>

#include "ts_internal.h"

/* A cache key: level + 1 in the top 7 bits, the index below. Nodes whose
 * index does not fit are not cached. */
#define INDEX_BITS 57

static bool cache_key(unsigned level, uint64_t index, uint64_t *key)
{
    if (level >= 63 || index >= ((uint64_t)1 << INDEX_BITS)) {
        return false;
    }
    *key = ((uint64_t)(level + 1) << INDEX_BITS) | index;
    return true;
}

static size_t slot_of(const ts_tree *t, uint64_t key)
{
    /* Fibonacci hashing spreads neighbouring indices over the table. */
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & t->mask;
}

static bool cache_get(ts_tree *t, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    uint64_t key;
    if (t->mask == 0 || !cache_key(level, index, &key)) {
        return false;
    }
    size_t i = slot_of(t, key);
    pthread_mutex_t *lock = &t->locks[i % TS_CACHE_LOCKS];
    pthread_mutex_lock(lock);
    bool hit = t->slots[i].key == key;
    if (hit) {
        memcpy(hash, t->slots[i].hash, MM_MERKLE_HASH_LEN);
    }
    pthread_mutex_unlock(lock);
    return hit;
}

static void cache_put(ts_tree *t, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN])
{
    uint64_t key;
    if (t->mask == 0 || !cache_key(level, index, &key)) {
        return;
    }
    size_t i = slot_of(t, key);
    pthread_mutex_t *lock = &t->locks[i % TS_CACHE_LOCKS];
    pthread_mutex_lock(lock);
    t->slots[i].key = key;
    memcpy(t->slots[i].hash, hash, MM_MERKLE_HASH_LEN);
    pthread_mutex_unlock(lock);
}

void ts_tree_cache_clear(ts_tree *t)
{
    for (size_t i = 0; t->mask != 0 && i <= t->mask; i++) {
        pthread_mutex_t *lock = &t->locks[i % TS_CACHE_LOCKS];
        pthread_mutex_lock(lock);
        t->slots[i].key = 0;
        pthread_mutex_unlock(lock);
    }
}

/* The writer's view: its own transaction. */
static mm_err w_get_size(void *user, uint64_t *size)
{
    ts_tree *t = user;
    return t->store.ops->get_size(t->store.user, size);
}

static mm_err w_set_size(void *user, uint64_t size)
{
    ts_tree *t = user;
    return t->store.ops->set_size(t->store.user, size);
}

static mm_err w_get_node(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    ts_tree *t = user;
    if (cache_get(t, level, index, hash)) {
        return MM_OK;
    }
    mm_err e = t->store.ops->get_node(t->store.user, level, index, hash);
    if (e == MM_OK) {
        cache_put(t, level, index, hash);
    }
    return e;
}

static mm_err w_put_node(void *user, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN])
{
    ts_tree *t = user;
    mm_err e = t->store.ops->put_node(t->store.user, level, index, hash);
    if (e == MM_OK) {
        cache_put(t, level, index, hash);
    }
    return e;
}

/* Readers: committed nodes only; their trees are given their size. */
static mm_err r_get_size(void *user, uint64_t *size)
{
    (void)user;
    (void)size;
    return MM_ERR_STATE;
}

static mm_err r_set_size(void *user, uint64_t size)
{
    (void)user;
    (void)size;
    return MM_ERR_STATE;
}

static mm_err r_get_node(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    ts_tree *t = user;
    if (cache_get(t, level, index, hash)) {
        return MM_OK;
    }
    mm_err e = t->store.ops->read_node(t->store.user, level, index, hash);
    if (e == MM_OK) {
        cache_put(t, level, index, hash);
    }
    return e;
}

static mm_err r_put_node(void *user, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN])
{
    (void)user;
    (void)level;
    (void)index;
    (void)hash;
    return MM_ERR_STATE;
}

static const mm_merkle_store_ops writer_ops = {MM_MERKLE_STORE_V1, w_get_size, w_set_size, w_get_node, w_put_node};
static const mm_merkle_store_ops reader_ops = {MM_MERKLE_STORE_V1, r_get_size, r_set_size, r_get_node, r_put_node};

mm_err ts_tree_init(ts_tree *t, const mm_crypto *c, const ts_store *store, size_t cache)
{
    memset(t, 0, sizeof *t);
    t->crypto = c;
    t->store = *store;
    for (size_t i = 0; i < TS_CACHE_LOCKS; i++) {
        pthread_mutex_init(&t->locks[i], NULL);
    }
    t->ready = true;
    if (cache != 0) {
        size_t slots = 1;
        while (slots < cache && slots < TS_CACHE_MAX) {
            slots <<= 1;
        }
        t->slots = calloc(slots, sizeof *t->slots);
        if (t->slots == NULL) {
            ts_tree_free(t);
            return MM_ERR_PLATFORM;
        }
        t->mask = slots - 1;
    }
    t->wstore = (mm_merkle_store){&writer_ops, t};
    t->rstore = (mm_merkle_store){&reader_ops, t};
    mm_err e = mm_merkle_tree_open(&t->writer, c, &t->wstore);
    if (e != MM_OK) {
        ts_tree_free(t);
    }
    return e;
}

void ts_tree_free(ts_tree *t)
{
    free(t->slots);
    t->slots = NULL;
    t->mask = 0;
    for (size_t i = 0; t->ready && i < TS_CACHE_LOCKS; i++) {
        pthread_mutex_destroy(&t->locks[i]);
    }
    t->ready = false;
}

void ts_tree_reader(const ts_tree *t, uint64_t size, mm_merkle_tree *out)
{
    out->crypto = t->crypto;
    out->store = t->rstore;
    out->size = size;
}
