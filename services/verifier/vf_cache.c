/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy rows cached per attester (vf_internal.h, "The policy cache").
 *
 * An entry is immutable once published: one malloc'ed block holding its
 * key, its rows and the bytes they point to, shared by the appraisals that
 * use it (reference counted). Every entry belongs to one policy version;
 * the first appraisal that reads a newer version from the store drops them
 * all. Rows are read from the store after the version was, so an entry
 * never holds rows older than its version.
 */
#include <stdlib.h>
#include <string.h>

#include "vf_internal.h"

struct vf_cached {
    vf_cached *next; /* in its bucket */
    uint64_t hash;
    unsigned refs; /* the cache's (while linked) and the appraisals' */
    size_t key_len;
    const uint8_t *key;
    vf_endorsement *endorsements;
    size_t n_endorsements;
    vf_ref *refs_;
    size_t n_refs;
    /* then: the key, the rows, the bytes */
};

void vf_cache_init(vf_cache *c)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->version = -1;
}

/* Drops the cache's reference (lock held). */
static void unref(vf_cached *e)
{
    if (--e->refs == 0) {
        free(e);
    }
}

static void flush(vf_cache *c)
{
    for (size_t i = 0; i < VF_CACHE_BUCKETS; i++) {
        vf_cached *e = c->bucket[i];
        while (e != NULL) {
            vf_cached *next = e->next;
            unref(e);
            e = next;
        }
        c->bucket[i] = NULL;
    }
    c->count = 0;
}

void vf_cache_free(vf_cache *c)
{
    flush(c);
    pthread_mutex_destroy(&c->lock);
}

/* The key of a look-up: its kind, then each part with its length. False
 * when it does not fit (not cached then). */
static bool make_key(uint8_t kind, const vf_lookup *lk, uint8_t *key, size_t cap, size_t *len)
{
    const mm_bytes parts[4] = {lk->kid, lk->ueid, lk->oemid, lk->hwmodel};
    size_t n = 0;
    key[n++] = kind;
    for (size_t i = 0; i < 4; i++) {
        if (parts[i].len > 0xffff || parts[i].len + 2 > cap - n) {
            return false;
        }
        key[n++] = (uint8_t)(parts[i].len >> 8);
        key[n++] = (uint8_t)parts[i].len;
        if (parts[i].len != 0) {
            memcpy(key + n, parts[i].ptr, parts[i].len);
        }
        n += parts[i].len;
    }
    *len = n;
    return true;
}

static uint64_t hash_of(const uint8_t *p, size_t n)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 1099511628211ull;
    }
    return h;
}

/* Under the lock: the entry for key at version, with a reference taken,
 * or NULL. A newer version drops every entry first. */
static vf_cached *find(vf_cache *c, int64_t version, const uint8_t *key, size_t len, uint64_t h)
{
    if (version != c->version) {
        if (version < c->version) {
            return NULL; /* an appraisal that read the version before a change: the store then */
        }
        flush(c);
        c->version = version;
    }
    for (vf_cached *e = c->bucket[h % VF_CACHE_BUCKETS]; e != NULL; e = e->next) {
        if (e->hash == h && e->key_len == len && memcmp(e->key, key, len) == 0) {
            e->refs++;
            return e;
        }
    }
    return NULL;
}

/* A view rebased from rows->arena into arena. */
static mm_bytes rebase(mm_bytes b, const vf_rows *rows, uint8_t *arena)
{
    if (b.len == 0) {
        return mm_bytes_make(NULL, 0);
    }
    return mm_bytes_make(arena + (b.ptr - rows->arena), b.len);
}

static void rebase_scope(vf_scope *sc, const vf_rows *rows, uint8_t *arena)
{
    sc->ueid = rebase(sc->ueid, rows, arena);
    sc->oemid = rebase(sc->oemid, rows, arena);
    sc->hwmodel = rebase(sc->hwmodel, rows, arena);
}

/* A new entry (one reference, the caller's) copying rows read for key. */
static vf_cached *make_entry(bool refs, const uint8_t *key, size_t len, uint64_t h, const vf_rows *rows)
{
    size_t n = refs ? rows->n_refs : rows->n_endorsements;
    size_t size_rows = refs ? n * sizeof(vf_ref) : n * sizeof(vf_endorsement);
    size_t head = (sizeof(vf_cached) + 15) & ~(size_t)15;
    size_t rows_at = head;
    size_t key_at = rows_at + size_rows;
    size_t arena_at = key_at + len;
    vf_cached *e = malloc(arena_at + rows->used);
    if (e == NULL) {
        return NULL;
    }
    memset(e, 0, sizeof *e);
    uint8_t *base = (uint8_t *)e;
    uint8_t *arena = base + arena_at;
    memcpy(base + key_at, key, len);
    memcpy(arena, rows->arena, rows->used);
    e->hash = h;
    e->key = base + key_at;
    e->key_len = len;
    e->refs = 1;
    if (refs) {
        e->refs_ = (vf_ref *)(void *)(base + rows_at);
        e->n_refs = n;
        for (size_t i = 0; i < n; i++) {
            vf_ref r = rows->refs[i];
            rebase_scope(&r.scope, rows, arena);
            r.value = rebase(r.value, rows, arena);
            r.label = rebase(r.label, rows, arena);
            r.source = rebase(r.source, rows, arena);
            e->refs_[i] = r;
        }
    } else {
        e->endorsements = (vf_endorsement *)(void *)(base + rows_at);
        e->n_endorsements = n;
        for (size_t i = 0; i < n; i++) {
            vf_endorsement x = rows->endorsements[i];
            rebase_scope(&x.scope, rows, arena);
            x.cose_key = rebase(x.cose_key, rows, arena);
            x.kid = rebase(x.kid, rows, arena);
            x.thumbprint = rebase(x.thumbprint, rows, arena);
            x.source = rebase(x.source, rows, arena);
            e->endorsements[i] = x;
        }
    }
    return e;
}

/* Publishes e (the caller keeps its reference) unless the version moved
 * on meanwhile or an equal entry got there first. */
static void publish(vf_cache *c, int64_t version, vf_cached *e)
{
    pthread_mutex_lock(&c->lock);
    if (version == c->version) {
        size_t b = e->hash % VF_CACHE_BUCKETS;
        bool present = false;
        for (vf_cached *x = c->bucket[b]; x != NULL && !present; x = x->next) {
            present = x->hash == e->hash && x->key_len == e->key_len && memcmp(x->key, e->key, e->key_len) == 0;
        }
        if (!present) {
            if (c->count >= VF_CACHE_MAX) {
                flush(c); /* bounded: start over rather than track use */
            }
            e->refs++;
            e->next = c->bucket[b];
            c->bucket[b] = e;
            c->count++;
        }
    }
    pthread_mutex_unlock(&c->lock);
}

static mm_err lookup(vf_cache *c, vf_store *s, int64_t version, bool refs, const vf_lookup *lk, vf_rows **scratchp,
                     vf_policy_rows *out)
{
    vf_rows *scratch = *scratchp;
    uint8_t key[512];
    size_t len = 0;
    bool keyed = make_key(refs ? 2 : 1, lk, key, sizeof key, &len);
    uint64_t h = keyed ? hash_of(key, len) : 0;
    vf_cached *e = NULL;
    if (keyed) {
        pthread_mutex_lock(&c->lock);
        e = find(c, version, key, len, h);
        pthread_mutex_unlock(&c->lock);
    }
    if (e == NULL) {
        if (*scratchp == NULL) {
            /* Not zeroed: the store fills in what it counts. */
            if ((*scratchp = malloc(sizeof **scratchp)) == NULL) {
                return MM_ERR_PLATFORM;
            }
            (*scratchp)->n_endorsements = 0;
            (*scratchp)->n_refs = 0;
            (*scratchp)->used = 0;
        }
        scratch = *scratchp;
        mm_err err = refs ? vf_store_find_refs(s, lk, scratch) : vf_store_find_endorsements(s, lk, scratch);
        if (err != MM_OK) {
            return err;
        }
        /* Unknown attesters are not cached: whoever sends evidence could
         * fill the cache with them. */
        if (keyed && (refs || scratch->n_endorsements != 0)) {
            e = make_entry(refs, key, len, h, scratch);
            if (e != NULL) {
                publish(c, version, e);
            }
        }
    }
    if (refs) {
        out->refs_held = e;
        out->refs = e != NULL ? e->refs_ : scratch->refs;
        out->n_refs = e != NULL ? e->n_refs : scratch->n_refs;
    } else {
        out->endorsements_held = e;
        out->endorsements = e != NULL ? e->endorsements : scratch->endorsements;
        out->n_endorsements = e != NULL ? e->n_endorsements : scratch->n_endorsements;
    }
    return MM_OK;
}

mm_err vf_cache_endorsements(vf_cache *c, vf_store *s, int64_t version, const vf_lookup *lk, vf_rows **scratch,
                             vf_policy_rows *out)
{
    return lookup(c, s, version, false, lk, scratch, out);
}

mm_err vf_cache_refs(vf_cache *c, vf_store *s, int64_t version, const vf_lookup *lk, vf_rows **scratch,
                     vf_policy_rows *out)
{
    return lookup(c, s, version, true, lk, scratch, out);
}

void vf_policy_rows_release(vf_cache *c, vf_policy_rows *p)
{
    if (p->endorsements_held != NULL || p->refs_held != NULL) {
        pthread_mutex_lock(&c->lock);
        if (p->endorsements_held != NULL) {
            unref(p->endorsements_held);
        }
        if (p->refs_held != NULL) {
            unref(p->refs_held);
        }
        pthread_mutex_unlock(&c->lock);
    }
    memset(p, 0, sizeof *p);
}
