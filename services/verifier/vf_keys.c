/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Endorsed keys as imported, shared by the HTTP threads (vf_internal.h).
 * A key is imported outside the lock, so a slow import holds up no other
 * appraisal; when two threads import the same key at once, the second
 * uses the first's entry and frees its own. A full cache of keys in use
 * hands out a private import instead of waiting.
 */
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "vf_internal.h"

void vf_keys_init(vf_keys *k)
{
    memset(k, 0, sizeof *k);
    pthread_mutex_init(&k->lock, NULL);
}

void vf_keys_free(vf_keys *k)
{
    for (size_t i = 0; i < VF_KEYS_MAX; i++) {
        if (k->e[i].cose_key != NULL) {
            mm_key_free(&k->e[i].key);
            free(k->e[i].cose_key);
        }
    }
    pthread_mutex_destroy(&k->lock);
    memset(k->e, 0, sizeof k->e);
}

/* The entry of cose_key, taken (the lock held), or NULL. */
static vf_key_entry *find(vf_keys *k, mm_bytes cose_key)
{
    for (size_t i = 0; i < VF_KEYS_MAX; i++) {
        vf_key_entry *e = &k->e[i];
        if (e->cose_key != NULL && e->len == cose_key.len && memcmp(e->cose_key, cose_key.ptr, e->len) == 0) {
            e->refs++;
            e->used = ++k->tick;
            return e;
        }
    }
    return NULL;
}

/* A free slot, or the least recently used entry no one holds, emptied
 * (the lock held); NULL when every entry is in use. */
static vf_key_entry *slot(vf_keys *k)
{
    vf_key_entry *best = NULL;
    for (size_t i = 0; i < VF_KEYS_MAX; i++) {
        vf_key_entry *e = &k->e[i];
        if (e->cose_key == NULL) {
            return e;
        }
        if (e->refs == 0 && (best == NULL || e->used < best->used)) {
            best = e;
        }
    }
    if (best != NULL) {
        mm_key_free(&best->key);
        free(best->cose_key);
        memset(best, 0, sizeof *best);
    }
    return best;
}

mm_err vf_keys_get(vf_keys *k, const mm_crypto *crypto, mm_bytes cose_key, vf_key_ref *ref)
{
    memset(ref, 0, sizeof *ref);
    pthread_mutex_lock(&k->lock);
    vf_key_entry *e = find(k, cose_key);
    pthread_mutex_unlock(&k->lock);
    if (e != NULL) {
        ref->entry = e;
        ref->key = &e->key;
        return MM_OK;
    }
    mm_key key;
    memset(&key, 0, sizeof key);
    mm_err err = mm_cose_key_import(crypto, cose_key, 0, &key, NULL);
    if (err != MM_OK) {
        return err;
    }
    uint8_t *copy = malloc(cose_key.len != 0 ? cose_key.len : 1);
    pthread_mutex_lock(&k->lock);
    e = find(k, cose_key); /* imported meanwhile by another thread? */
    if (e == NULL && copy != NULL && (e = slot(k)) != NULL) {
        memcpy(copy, cose_key.ptr, cose_key.len);
        e->cose_key = copy;
        e->len = cose_key.len;
        e->key = key;
        e->refs = 1;
        e->used = ++k->tick;
        copy = NULL;
        memset(&key, 0, sizeof key);
    }
    pthread_mutex_unlock(&k->lock);
    free(copy);
    if (e != NULL) {
        mm_key_free(&key); /* a no-op when the entry took it */
        ref->entry = e;
        ref->key = &e->key;
    } else {
        ref->own = key;
        ref->key = &ref->own;
    }
    return MM_OK;
}

void vf_keys_put(vf_keys *k, vf_key_ref *ref)
{
    if (ref->entry != NULL) {
        pthread_mutex_lock(&k->lock);
        ref->entry->refs--;
        pthread_mutex_unlock(&k->lock);
    } else {
        mm_key_free(&ref->own);
    }
    memset(ref, 0, sizeof *ref);
}
