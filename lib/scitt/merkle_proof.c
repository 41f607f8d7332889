/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9162 proof verification: inclusion (section 2.1.3.2) and consistency
 * (section 2.1.4.2), one path element at a time, and over whole paths. */
#include <string.h>

#include "mamori/merkle.h"

enum { WALK_INCLUSION = 1, WALK_CONSISTENCY = 2, WALK_DONE = 3 };

static mm_err walk_fail(mm_merkle_walk *w, mm_err e)
{
    if (w->err == MM_OK) {
        w->err = e;
    }
    return w->err;
}

/* "Right-shift both fn and sn equally until either LSB(fn) is set or fn is
 * 0" (both algorithms, step b.2), or in the consistency start (step 4),
 * until LSB(fn) is clear. */
static void shift_while_even(mm_merkle_walk *w)
{
    while ((w->fn & 1u) == 0 && w->fn != 0) {
        w->fn >>= 1;
        w->sn >>= 1;
    }
}

mm_err mm_merkle_walk_inclusion(mm_merkle_walk *w, const mm_crypto *c, uint64_t index, uint64_t size,
                                const uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    if (w == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(w, 0, sizeof *w);
    w->crypto = c;
    w->kind = WALK_INCLUSION;
    if (c == NULL || leaf == NULL) {
        return walk_fail(w, MM_ERR_INVALID_ARG);
    }
    /* Step 1: "If leaf_index is greater than or equal to tree_size, fail". */
    if (index >= size) {
        return walk_fail(w, MM_ERR_VERIFY);
    }
    /* Steps 2 and 3. */
    w->fn = index;
    w->sn = size - 1;
    memcpy(w->fr, leaf, MM_MERKLE_HASH_LEN);
    return MM_OK;
}

mm_err mm_merkle_walk_consistency(mm_merkle_walk *w, const mm_crypto *c, uint64_t size1, uint64_t size2,
                                  const uint8_t root1[MM_MERKLE_HASH_LEN])
{
    if (w == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(w, 0, sizeof *w);
    w->crypto = c;
    w->kind = WALK_CONSISTENCY;
    if (c == NULL || root1 == NULL) {
        return walk_fail(w, MM_ERR_INVALID_ARG);
    }
    if (size1 == 0 || size1 > size2) {
        return walk_fail(w, MM_ERR_VERIFY);
    }
    memcpy(w->first, root1, MM_MERKLE_HASH_LEN);
    if (size1 == size2) {
        /* The same tree: nothing to prove, and no path may follow. */
        memcpy(w->sr, root1, MM_MERKLE_HASH_LEN);
        w->kind = WALK_DONE;
        return MM_OK;
    }
    /* Step 2: "If first is an exact power of 2, then prepend first_hash to
     * the consistency_path array": it becomes the first value (step 5). */
    if ((size1 & (size1 - 1)) == 0) {
        memcpy(w->fr, root1, MM_MERKLE_HASH_LEN);
        memcpy(w->sr, root1, MM_MERKLE_HASH_LEN);
        w->started = 1;
    }
    /* Steps 3 and 4. */
    w->fn = size1 - 1;
    w->sn = size2 - 1;
    while ((w->fn & 1u) != 0) {
        w->fn >>= 1;
        w->sn >>= 1;
    }
    return MM_OK;
}

static mm_err inclusion_step(mm_merkle_walk *w, const uint8_t p[MM_MERKLE_HASH_LEN])
{
    /* Step 4a: a path longer than the tree is deep. */
    if (w->sn == 0) {
        return MM_ERR_VERIFY;
    }
    mm_err e;
    if ((w->fn & 1u) != 0 || w->fn == w->sn) {
        e = mm_merkle_node_hash(w->crypto, p, w->fr, w->fr);
        if ((w->fn & 1u) == 0) {
            shift_while_even(w);
        }
    } else {
        e = mm_merkle_node_hash(w->crypto, w->fr, p, w->fr);
    }
    w->fn >>= 1;
    w->sn >>= 1;
    return e;
}

static mm_err consistency_step(mm_merkle_walk *w, const uint8_t c[MM_MERKLE_HASH_LEN])
{
    if (!w->started) {
        /* Step 5: "Set both fr and sr to the first value". */
        memcpy(w->fr, c, MM_MERKLE_HASH_LEN);
        memcpy(w->sr, c, MM_MERKLE_HASH_LEN);
        w->started = 1;
        return MM_OK;
    }
    /* Step 6a. */
    if (w->sn == 0) {
        return MM_ERR_VERIFY;
    }
    mm_err e;
    if ((w->fn & 1u) != 0 || w->fn == w->sn) {
        e = mm_merkle_node_hash(w->crypto, c, w->fr, w->fr);
        if (e == MM_OK) {
            e = mm_merkle_node_hash(w->crypto, c, w->sr, w->sr);
        }
        if ((w->fn & 1u) == 0) {
            shift_while_even(w);
        }
    } else {
        e = mm_merkle_node_hash(w->crypto, w->sr, c, w->sr);
    }
    w->fn >>= 1;
    w->sn >>= 1;
    return e;
}

mm_err mm_merkle_walk_step(mm_merkle_walk *w, mm_bytes hash)
{
    if (w == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (w->err != MM_OK) {
        return w->err;
    }
    if (hash.len != MM_MERKLE_HASH_LEN || hash.ptr == NULL || w->kind == WALK_DONE || w->steps == MM_MERKLE_MAX_PROOF) {
        return walk_fail(w, MM_ERR_VERIFY);
    }
    w->steps++;
    mm_err e = w->kind == WALK_INCLUSION ? inclusion_step(w, hash.ptr) : consistency_step(w, hash.ptr);
    return e != MM_OK ? walk_fail(w, e) : MM_OK;
}

mm_err mm_merkle_walk_root(mm_merkle_walk *w, uint8_t root[MM_MERKLE_HASH_LEN])
{
    if (w == NULL || root == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (w->err != MM_OK) {
        return w->err;
    }
    switch (w->kind) {
    case WALK_INCLUSION:
        /* Step 5: "Compare sn to 0". */
        if (w->sn != 0) {
            return walk_fail(w, MM_ERR_VERIFY);
        }
        memcpy(root, w->fr, MM_MERKLE_HASH_LEN);
        return MM_OK;
    case WALK_CONSISTENCY:
        /* Step 1 (an empty path fails, even with the prepended root) and
         * step 7: sn is 0 and fr is the older root. */
        if (w->steps == 0 || w->sn != 0 || memcmp(w->fr, w->first, MM_MERKLE_HASH_LEN) != 0) {
            return walk_fail(w, MM_ERR_VERIFY);
        }
        memcpy(root, w->sr, MM_MERKLE_HASH_LEN);
        return MM_OK;
    case WALK_DONE:
        memcpy(root, w->sr, MM_MERKLE_HASH_LEN);
        return MM_OK;
    default:
        return walk_fail(w, MM_ERR_STATE);
    }
}

static mm_err walk_path(mm_merkle_walk *w, const mm_bytes *path, size_t n, uint8_t root[MM_MERKLE_HASH_LEN])
{
    if (n != 0 && path == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < n; i++) {
        if (mm_merkle_walk_step(w, path[i]) != MM_OK) {
            break; /* sticky: the end reports it */
        }
    }
    return mm_merkle_walk_root(w, root);
}

mm_err mm_merkle_inclusion_root(const mm_crypto *c, uint64_t index, uint64_t size,
                                const uint8_t leaf[MM_MERKLE_HASH_LEN], const mm_bytes *path, size_t n,
                                uint8_t root[MM_MERKLE_HASH_LEN])
{
    mm_merkle_walk w;
    mm_err e = mm_merkle_walk_inclusion(&w, c, index, size, leaf);
    return e != MM_OK ? e : walk_path(&w, path, n, root);
}

mm_err mm_merkle_verify_inclusion(const mm_crypto *c, uint64_t index, uint64_t size,
                                  const uint8_t leaf[MM_MERKLE_HASH_LEN], const mm_bytes *path, size_t n,
                                  const uint8_t root[MM_MERKLE_HASH_LEN])
{
    uint8_t got[MM_MERKLE_HASH_LEN];
    if (root == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = mm_merkle_inclusion_root(c, index, size, leaf, path, n, got);
    if (e == MM_OK && memcmp(got, root, MM_MERKLE_HASH_LEN) != 0) {
        e = MM_ERR_VERIFY;
    }
    return e;
}

mm_err mm_merkle_consistency_root(const mm_crypto *c, uint64_t size1, uint64_t size2,
                                  const uint8_t root1[MM_MERKLE_HASH_LEN], const mm_bytes *path, size_t n,
                                  uint8_t root2[MM_MERKLE_HASH_LEN])
{
    mm_merkle_walk w;
    mm_err e = mm_merkle_walk_consistency(&w, c, size1, size2, root1);
    return e != MM_OK ? e : walk_path(&w, path, n, root2);
}

mm_err mm_merkle_verify_consistency(const mm_crypto *c, uint64_t size1, uint64_t size2,
                                    const uint8_t root1[MM_MERKLE_HASH_LEN], const uint8_t root2[MM_MERKLE_HASH_LEN],
                                    const mm_bytes *path, size_t n)
{
    if (root1 == NULL || root2 == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t got[MM_MERKLE_HASH_LEN];
    mm_err e;
    if (size1 == 0) {
        /* The empty tree is a prefix of every tree; there is nothing to walk,
         * so only the claim about it is checked. */
        e = mm_merkle_root(c, NULL, 0, got);
        if (e == MM_OK && (n != 0 || memcmp(got, root1, MM_MERKLE_HASH_LEN) != 0)) {
            e = MM_ERR_VERIFY;
        }
        return e;
    }
    e = mm_merkle_consistency_root(c, size1, size2, root1, path, n, got);
    if (e == MM_OK && memcmp(got, root2, MM_MERKLE_HASH_LEN) != 0) {
        e = MM_ERR_VERIFY;
    }
    return e;
}
