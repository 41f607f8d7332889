/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The used-nonce set (vf_internal.h): open addressing, linear probing, a
 * power-of-two table at least twice the capacity (so probes stay short),
 * one mutex. A slot is a nonce's tag and its expiry; expiry 0 is an empty
 * slot. Expired entries stay until pruned: a few slots per insert from a
 * moving cursor, and the whole table when the set is full (at most once a
 * clock second: nothing more expires within one). Deletion shifts the
 * entries that follow back (no tombstones), so a probe ends at the first
 * empty slot.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_POPULATE */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vf_internal.h"

/* Slots the cursor visits per insert. */
#define PRUNE_STEP 4

typedef struct slot {
    uint8_t key[VF_USED_KEY];
    int64_t expires; /* 0: empty */
} slot;

struct vf_used {
    pthread_mutex_t lock;
    slot *slots;
    size_t bytes;    /* of the slots' mapping */
    size_t mask;     /* slots - 1 */
    size_t capacity; /* most entries held, expired ones not yet pruned included */
    size_t count;
    size_t cursor; /* the next slot the amortised pruning visits */
    int64_t swept; /* the clock second of the last whole-table prune (-1: none) */
};

static size_t home(const vf_used *u, const uint8_t key[VF_USED_KEY])
{
    uint64_t h;
    memcpy(&h, key, sizeof h); /* an HMAC tag: uniform, and no client chooses it */
    return (size_t)h & u->mask;
}

/* Empties slot i, moving back the entries after it whose probe passes i. */
static void delete_at(vf_used *u, size_t i)
{
    size_t j = i;
    for (;;) {
        j = (j + 1) & u->mask;
        if (u->slots[j].expires == 0) {
            break;
        }
        size_t k = home(u, u->slots[j].key);
        /* Stays when its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) {
            u->slots[i] = u->slots[j];
            i = j;
        }
    }
    u->slots[i].expires = 0;
    u->count--;
}

/* Prunes expired entries from the cursor on, for n steps. */
static void prune_step(vf_used *u, size_t n, int64_t now)
{
    for (size_t i = 0; i < n; i++) {
        slot *s = &u->slots[u->cursor];
        if (s->expires != 0 && s->expires <= now) {
            delete_at(u, u->cursor); /* another entry may move here: look again */
        } else {
            u->cursor = (u->cursor + 1) & u->mask;
        }
    }
}

/* Prunes every expired entry. An entry delete_at() moves lands on the slot
 * it emptied or on one further on, never on one already looked at, except
 * past the table's end onto slots looked at, whose entries did not expire. */
static void prune_all(vf_used *u, int64_t now)
{
    for (size_t i = 0; i <= u->mask; i++) {
        while (u->slots[i].expires != 0 && u->slots[i].expires <= now) {
            delete_at(u, i);
        }
    }
}

mm_err vf_used_new(size_t capacity, vf_used **out)
{
    if (capacity == 0 || capacity > VF_USED_MAX || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    size_t slots = 16;
    while (slots < 2 * capacity) {
        slots <<= 1;
    }
    vf_used *u = calloc(1, sizeof *u);
    if (u == NULL) {
        return MM_ERR_PLATFORM;
    }
    /* The table's pages are all taken now, zeroed, not at first touch: a
     * nonce lands on a random slot, so under load nearly every insert would
     * otherwise fault a page in (about a tenth of an appraisal's CPU until
     * the table is warm), and the memory is committed before the service
     * answers rather than when it is busiest. */
    u->bytes = slots * sizeof *u->slots;
    void *map = mmap(NULL, u->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (map == MAP_FAILED) {
        free(u);
        return MM_ERR_PLATFORM;
    }
    u->slots = map;
    pthread_mutex_init(&u->lock, NULL);
    u->mask = slots - 1;
    u->capacity = capacity;
    u->swept = -1;
    *out = u;
    return MM_OK;
}

void vf_used_free(vf_used *u)
{
    if (u == NULL) {
        return;
    }
    pthread_mutex_destroy(&u->lock);
    munmap(u->slots, u->bytes);
    free(u);
}

vf_used_result vf_used_add(vf_used *u, const uint8_t key[VF_USED_KEY], int64_t expires, int64_t now)
{
    if (expires <= now) {
        return VF_USED_REPLAYED; /* never: the caller checked the expiry; refused all the same */
    }
    pthread_mutex_lock(&u->lock);
    prune_step(u, PRUNE_STEP, now);
    vf_used_result r = VF_USED_FRESH;
    for (int attempt = 0;; attempt++) {
        size_t i = home(u, key);
        size_t reuse = SIZE_MAX; /* the first expired slot on the way */
        while (u->slots[i].expires != 0) {
            slot *s = &u->slots[i];
            if (memcmp(s->key, key, VF_USED_KEY) == 0) {
                /* The same nonce has the same expiry, after now: not pruned. */
                r = VF_USED_REPLAYED;
                goto out;
            }
            if (reuse == SIZE_MAX && s->expires <= now) {
                reuse = i;
            }
            i = (i + 1) & u->mask;
        }
        if (reuse != SIZE_MAX) {
            i = reuse; /* replaces an expired entry: on this key's probe, count unchanged */
        } else if (u->count < u->capacity) {
            u->count++;
        } else if (attempt == 0 && u->swept != now) {
            u->swept = now;
            prune_all(u, now);
            continue; /* entries moved: probe again */
        } else {
            r = VF_USED_FULL;
            goto out;
        }
        memcpy(u->slots[i].key, key, VF_USED_KEY);
        u->slots[i].expires = expires;
        break;
    }
out:
    pthread_mutex_unlock(&u->lock);
    return r;
}

size_t vf_used_count(vf_used *u)
{
    pthread_mutex_lock(&u->lock);
    size_t n = u->count;
    pthread_mutex_unlock(&u->lock);
    return n;
}

size_t vf_used_capacity(const vf_used *u) { return u->capacity; }

bool vf_used_next(vf_used *u, size_t *pos, int64_t now, uint8_t key[VF_USED_KEY], int64_t *expires)
{
    /* No lock: called once no appraisal runs (at a stop). */
    for (size_t i = *pos; i <= u->mask; i++) {
        if (u->slots[i].expires > now) {
            memcpy(key, u->slots[i].key, VF_USED_KEY);
            *expires = u->slots[i].expires;
            *pos = i + 1;
            return true;
        }
    }
    *pos = u->mask + 1;
    return false;
}
