/* SPDX-License-Identifier: Apache-2.0 */
/* An mm_merkle_store over one caller buffer: level by level, each level
 * holding the complete subtrees a tree of `capacity` leaves can have. */
#include <string.h>

#include "mamori/merkle.h"

/* Offset, in nodes, of level's first node; false when past the buffer's
 * levels (a level whose nodes span more leaves than the capacity). */
static bool level_offset(uint64_t capacity, unsigned level, uint64_t *offset)
{
    uint64_t off = 0;
    for (unsigned l = 0; l < level; l++) {
        if ((capacity >> l) == 0) {
            return false;
        }
        off += capacity >> l;
    }
    *offset = off;
    return level < 64 && (capacity >> level) != 0;
}

size_t mm_merkle_mem_need(uint64_t capacity)
{
    uint64_t nodes = 0;
    for (unsigned l = 0; l < 64; l++) {
        nodes += capacity >> l; /* < 2 * capacity: cannot wrap */
    }
    if (nodes > SIZE_MAX / MM_MERKLE_HASH_LEN) {
        return 0;
    }
    return (size_t)nodes * MM_MERKLE_HASH_LEN;
}

static mm_err mem_get_size(void *user, uint64_t *size)
{
    *size = ((const mm_merkle_mem *)user)->size;
    return MM_OK;
}

static mm_err mem_set_size(void *user, uint64_t size)
{
    mm_merkle_mem *m = user;
    if (size > m->filled) {
        return MM_ERR_STATE; /* committing leaves whose nodes were never put */
    }
    m->size = size;
    return MM_OK;
}

static mm_err mem_get_node(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    mm_merkle_mem *m = user;
    uint64_t off;
    /* Only nodes whose leaves have all been put exist. */
    if (!level_offset(m->capacity, level, &off) || index >= (m->filled >> level)) {
        return MM_ERR_STATE;
    }
    memcpy(hash, m->buf + (off + index) * MM_MERKLE_HASH_LEN, MM_MERKLE_HASH_LEN);
    m->gets++;
    return MM_OK;
}

static mm_err mem_put_node(void *user, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN])
{
    mm_merkle_mem *m = user;
    uint64_t off;
    if (!level_offset(m->capacity, level, &off) || index >= (m->capacity >> level)) {
        return MM_ERR_TOO_LARGE;
    }
    memcpy(m->buf + (off + index) * MM_MERKLE_HASH_LEN, hash, MM_MERKLE_HASH_LEN);
    /* Leaves arrive in order, and a node is put after its leaves: the
     * leaves covered so far end where this node ends. */
    if (level == 0) {
        m->filled = index + 1;
    }
    return MM_OK;
}

static const mm_merkle_store_ops mem_ops = {
    MM_MERKLE_STORE_V1, mem_get_size, mem_set_size, mem_get_node, mem_put_node,
};

mm_err mm_merkle_mem_init(mm_merkle_mem *m, void *buf, size_t len, mm_merkle_store *store)
{
    if (m == NULL || buf == NULL || store == NULL || len < MM_MERKLE_HASH_LEN) {
        return MM_ERR_INVALID_ARG;
    }
    memset(m, 0, sizeof *m);
    /* The largest capacity that fits: need() grows by at least 32 bytes per
     * leaf and by less than 64, so search between len / 64 and len / 32. */
    uint64_t lo = len / ((size_t)2 * MM_MERKLE_HASH_LEN);
    uint64_t hi = len / MM_MERKLE_HASH_LEN;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;
        size_t need = mm_merkle_mem_need(mid);
        if (need != 0 && need <= len) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    m->buf = buf;
    m->capacity = lo;
    store->ops = &mem_ops;
    store->user = m;
    return MM_OK;
}
