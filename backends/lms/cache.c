/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tree cache "<key>.cache": the top parts of the trees a signer last
 * used, so opening a key does not recompute every one-time public key. It
 * holds only public values (tree nodes), is bound to the key by its public
 * key and authenticated by an HMAC under a key derived from the seed (see
 * ls_cache_key); a missing, stale or forged one is rebuilt. Beyond that, a
 * wrong node of the top tree shows as a root that is not the key's (trees
 * recompute their internal nodes on load), and any signature is verified
 * before it leaves.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signer_internal.h"

#define CACHE_VERSION 1u
#define CACHE_HEAD    (8 + 4 + 4 + MM_LMS_PUB_MAX)
#define CACHE_MAX     ((size_t)MM_LMS_MAX_LEVELS * ((size_t)2 << LS_TOP_MAX) * MM_LMS_N_MAX + 4096)

/* The first bytes of a cache file. */
static const uint8_t cache_magic[8] = {'M', 'M', 'L', 'M', 'S', 'C', 'C', 'H'};

static void cache_path(const char *key_path, char *out, size_t cap) { snprintf(out, cap, "%s.cache", key_path); }

mm_err ls_cache_key_make(const mm_crypto *c, const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], const uint8_t *seed,
                         ls_cache_key *key)
{
    key->crypto = c;
    key->len = h->n;
    return ls_derive(h, I, seed, 0, LS_DERIVE_CACHE, key->k);
}

/* HMAC-SHA-256 of p[0..len) under the cache key, through the backend. */
static mm_err mac(const ls_cache_key *key, const uint8_t *p, size_t len, uint8_t out[32])
{
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_SYMMETRIC;
    parts.k = mm_bytes_make(key->k, key->len);
    mm_key k;
    mm_err e = mm_key_import(key->crypto, &parts, 0, &k);
    if (e != MM_OK) {
        return e;
    }
    mm_crypto_ctx ctx;
    uint8_t d[MM_HASH_MAX];
    size_t n = 0;
    e = mm_hmac_init(key->crypto, &ctx, MM_ALG_SHA256, &k);
    if (e == MM_OK) {
        e = mm_hmac_update(key->crypto, &ctx, mm_bytes_make(p, len));
        e = e == MM_OK ? mm_hmac_final(key->crypto, &ctx, d, &n) : (mm_hmac_abort(key->crypto, &ctx), e);
    }
    mm_key_free(&k);
    if (e == MM_OK) {
        memcpy(out, d, 32);
    }
    return e;
}

bool ls_cache_load(const ls_cache_key *key, const char *path, mm_bytes pub, ls_cache *cache)
{
    memset(cache, 0, sizeof *cache);
    char cp[4200];
    cache_path(path, cp, sizeof cp);
    uint8_t *data;
    size_t len;
    if (ls_file_read(cp, CACHE_MAX, &data, &len) != MM_OK) {
        return false;
    }
    uint8_t sum[32];
    bool ok = len >= CACHE_HEAD + 32 && memcmp(data, cache_magic, sizeof cache_magic) == 0 &&
              lms_get_u32(data + 8) == CACHE_VERSION && pub.len <= MM_LMS_PUB_MAX &&
              memcmp(data + 16, pub.ptr, pub.len) == 0 && mac(key, data, len - 32, sum) == MM_OK &&
              mm_ct_equal(sum, data + len - 32, 32);
    uint32_t levels = ok ? lms_get_u32(data + 12) : 0;
    ok = ok && levels <= MM_LMS_MAX_LEVELS;
    size_t off = CACHE_HEAD;
    for (uint32_t i = 0; ok && i < levels; i++) {
        ok = len - 32 - off >= 4 + MM_LMS_I_LEN + 4;
        uint32_t level = ok ? lms_get_u32(data + off) : 0;
        size_t top_len = ok ? lms_get_u32(data + off + 4 + MM_LMS_I_LEN) : 0;
        ok = ok && level == i && len - 32 - off - (4 + MM_LMS_I_LEN + 4) >= top_len;
        if (ok) {
            memcpy(cache->level[i].I, data + off + 4, MM_LMS_I_LEN);
            cache->level[i].top = data + off + 4 + MM_LMS_I_LEN + 4;
            cache->level[i].top_len = top_len;
            off += 4 + MM_LMS_I_LEN + 4 + top_len;
        }
    }
    if (!ok || off != len - 32) {
        free(data);
        memset(cache, 0, sizeof *cache);
        return false;
    }
    cache->data = data;
    cache->len = len;
    cache->levels = levels;
    return true;
}

void ls_cache_free(ls_cache *cache)
{
    free(cache->data);
    memset(cache, 0, sizeof *cache);
}

void ls_cache_store(const ls_cache_key *key, const char *path, mm_bytes pub, ls_tree *const *trees, uint32_t n)
{
    size_t len = CACHE_HEAD + 32;
    uint32_t stored = 0;
    while (stored < n && trees[stored]->built) {
        len += 4 + MM_LMS_I_LEN + 4 + ls_tree_top_len(trees[stored]);
        stored++;
    }
    uint8_t *buf = calloc(1, len);
    if (buf == NULL || pub.len > MM_LMS_PUB_MAX) {
        free(buf);
        return;
    }
    memcpy(buf, cache_magic, sizeof cache_magic);
    lms_put_u32(buf + 8, CACHE_VERSION);
    lms_put_u32(buf + 12, stored);
    memcpy(buf + 16, pub.ptr, pub.len);
    size_t off = CACHE_HEAD;
    for (uint32_t i = 0; i < stored; i++) {
        size_t top_len = ls_tree_top_len(trees[i]);
        lms_put_u32(buf + off, i);
        memcpy(buf + off + 4, trees[i]->I, MM_LMS_I_LEN);
        lms_put_u32(buf + off + 4 + MM_LMS_I_LEN, (uint32_t)top_len);
        memcpy(buf + off + 4 + MM_LMS_I_LEN + 4, trees[i]->top, top_len);
        off += 4 + MM_LMS_I_LEN + 4 + top_len;
    }
    char cp[4200];
    cache_path(path, cp, sizeof cp);
    /* Not durable: a cache lost in a crash is only recomputed. */
    if (mac(key, buf, off, buf + off) == MM_OK) {
        mm_err e = ls_file_write(cp, buf, len, 0);
        (void)e; /* best effort */
    }
    free(buf);
}
