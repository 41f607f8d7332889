/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merkle trees of one-time keys and the LMS signatures made with them.
 *
 * A leaf is the hash of a one-time public key, which is p Winternitz chains
 * of 2^w - 1 steps each from private values derived from the tree's seed
 * (RFC 8554 Appendix A): key generation is almost all of the work, so the
 * leaves are computed on all CPUs. Trees up to LS_TOP_MAX high are kept
 * whole; taller ones keep their top LS_TOP_MAX levels, and the subtree
 * under them that holds the leaf being signed is computed when signing
 * reaches it (2^(h - LS_TOP_MAX) leaves at a time).
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signer_internal.h"

mm_err ls_derive(const lms_hash *h, const uint8_t I[MM_LMS_I_LEN], const uint8_t *seed, uint32_t q, uint16_t i,
                 uint8_t *out)
{
    /* H(I || u32 q || u16 i || u8 0xff || SEED) is one chain step with
     * j = 0xff from SEED. */
    uint8_t tmp[MM_LMS_N_MAX];
    memcpy(tmp, seed, h->n);
    mm_err e = lms_chain(h, I, q, i, tmp, 0xff, 0x100);
    if (e == MM_OK) {
        memcpy(out, tmp, h->n);
    }
    mm_wipe(tmp, sizeof tmp);
    return e;
}

/*
 * Threads.
 */
typedef struct par_job {
    mm_err (*fn)(void *arg, uint64_t i, uint8_t *scratch);
    void *arg;
    uint64_t count;
    size_t scratch_len;
    atomic_uint_fast64_t next;
    atomic_int err;
} par_job;

static void *par_worker(void *p)
{
    par_job *job = p;
    uint8_t *scratch = job->scratch_len != 0 ? malloc(job->scratch_len) : NULL;
    if (job->scratch_len != 0 && scratch == NULL) {
        int expected = MM_OK;
        atomic_compare_exchange_strong(&job->err, &expected, (int)MM_ERR_PLATFORM);
        return NULL;
    }
    for (;;) {
        if (atomic_load(&job->err) != MM_OK) {
            break;
        }
        uint64_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->count) {
            break;
        }
        mm_err e = job->fn(job->arg, i, scratch);
        if (e != MM_OK) {
            int expected = MM_OK;
            atomic_compare_exchange_strong(&job->err, &expected, (int)e);
        }
    }
    if (scratch != NULL) {
        mm_wipe(scratch, job->scratch_len);
        free(scratch);
    }
    return NULL;
}

#define LS_MAX_THREADS 64u

mm_err ls_parallel(unsigned threads, uint64_t count, size_t scratch_len,
                   mm_err (*fn)(void *arg, uint64_t i, uint8_t *scratch), void *arg)
{
    if (threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus > 0 ? (unsigned)cpus : 1;
    }
    threads = threads > LS_MAX_THREADS ? LS_MAX_THREADS : threads;
    if ((uint64_t)threads > count) {
        threads = (unsigned)count;
    }
    par_job job;
    job.fn = fn;
    job.arg = arg;
    job.count = count;
    job.scratch_len = scratch_len;
    atomic_init(&job.next, 0);
    atomic_init(&job.err, (int)MM_OK);
    pthread_t tid[LS_MAX_THREADS];
    unsigned started = 0;
    /* The calling thread works too: one thread needs no pthread at all. */
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tid[started], NULL, par_worker, &job) == 0) {
            started++;
        }
    }
    par_worker(&job);
    for (unsigned t = 0; t < started; t++) {
        pthread_join(tid[t], NULL);
    }
    return (mm_err)atomic_load(&job.err);
}

/*
 * One-time keys.
 */

/* The leaf of one-time key q: H(I || u32 (2^h + q) || D_LEAF || K) with K the
 * hash of the chains' ends. */
static mm_err leaf_of(const ls_tree *t, uint32_t q, uint8_t *leaf)
{
    const lms_hash *h = &t->hash;
    mm_lms_hash_state k;
    uint8_t kbuf[MM_LMS_N_MAX];
    mm_err e = lms_h_begin(&k, h, t->I, q, LMS_D_PBLC);
    if (e == MM_OK) {
        lms_chain_req r = {t->ots, t->I, q, NULL, false, t->seed, NULL, NULL, &k};
        e = lms_chains(h, &r);
    }
    if (e != MM_OK) {
        lms_h_abort(&k);
        return e;
    }
    e = lms_h_final(&k, kbuf);
    if (e == MM_OK) {
        e = lms_leaf(h, t->I, (UINT32_C(1) << t->lms->h) + q, kbuf, leaf);
    }
    return e;
}

/* Fills the internal nodes of a subtree of height ht in nodes (local heap
 * numbering, leaves at 2^ht ..) whose root is global node root. */
static mm_err hash_up(const ls_tree *t, uint8_t *nodes, unsigned ht, uint64_t root)
{
    size_t m = t->lms->m;
    for (uint64_t r = (UINT64_C(1) << ht) - 1; r >= 1; r--) {
        unsigned d = 0;
        while ((r >> (d + 1)) != 0) {
            d++;
        }
        uint64_t global = (root << d) | (r - (UINT64_C(1) << d));
        mm_err e =
            lms_node(&t->hash, t->I, (uint32_t)global, nodes + 2 * r * m, nodes + (2 * r + 1) * m, nodes + r * m);
        if (e != MM_OK) {
            return e;
        }
    }
    return MM_OK;
}

/* A unit of tree building: the subtree of height s whose root is node
 * 2^(h-s) + j, computed in scratch; its root goes into the top part. */
static mm_err build_unit(void *arg, uint64_t j, uint8_t *scratch)
{
    ls_tree *t = arg;
    size_t m = t->lms->m;
    unsigned h = t->lms->h;
    uint64_t leaves = UINT64_C(1) << t->s;
    for (uint64_t k = 0; k < leaves; k++) {
        mm_err e = leaf_of(t, (uint32_t)((j << t->s) + k), scratch + (leaves + k) * m);
        if (e != MM_OK) {
            return e;
        }
    }
    uint64_t root = (UINT64_C(1) << (h - t->s)) + j;
    mm_err e = hash_up(t, scratch, t->s, root);
    if (e == MM_OK) {
        memcpy(t->top + root * m, scratch + m, m);
    }
    return e;
}

void ls_tree_init(ls_tree *t, const lms_hash *h, const mm_lms_type_info *lms, const mm_lms_ots_type_info *ots,
                  const uint8_t I[MM_LMS_I_LEN], const uint8_t *seed)
{
    memset(t, 0, sizeof *t);
    t->lms = lms;
    t->ots = ots;
    t->hash = *h;
    memcpy(t->I, I, MM_LMS_I_LEN);
    memcpy(t->seed, seed, h->n);
    t->s = lms->h > LS_TOP_MAX ? lms->h - LS_TOP_MAX : 0;
    t->sub_index = UINT64_MAX;
    lms_put_u32(t->pub, lms->type);
    lms_put_u32(t->pub + 4, ots->type);
    memcpy(t->pub + 8, I, MM_LMS_I_LEN);
}

size_t ls_tree_top_len(const ls_tree *t) { return ((size_t)2 << (t->lms->h - t->s)) * t->lms->m; }

static mm_err top_alloc(ls_tree *t)
{
    if (t->top == NULL) {
        t->top = calloc(1, ls_tree_top_len(t));
    }
    if (t->sub == NULL && t->s > 0) {
        t->sub = calloc((size_t)2 << t->s, t->lms->m);
    }
    return t->top == NULL || (t->s > 0 && t->sub == NULL) ? MM_ERR_PLATFORM : MM_OK;
}

/* The top part's internal nodes, from the units' roots up. */
static mm_err finish_top(ls_tree *t)
{
    mm_err e = hash_up(t, t->top, t->lms->h - t->s, 1);
    if (e == MM_OK) {
        memcpy(t->pub + 24, t->top + t->lms->m, t->lms->m);
        t->built = true;
    }
    return e;
}

mm_err ls_tree_build(ls_tree *t, unsigned threads)
{
    mm_err e = top_alloc(t);
    if (e == MM_OK) {
        uint64_t units = UINT64_C(1) << (t->lms->h - t->s);
        size_t scratch = ((size_t)2 << t->s) * t->lms->m;
        e = ls_parallel(threads, units, scratch, build_unit, t);
    }
    return e == MM_OK ? finish_top(t) : e;
}

mm_err ls_tree_adopt(ls_tree *t, const uint8_t *top, size_t len)
{
    if (len != ls_tree_top_len(t)) {
        return MM_ERR_BAD_KEY;
    }
    mm_err e = top_alloc(t);
    if (e != MM_OK) {
        return e;
    }
    memcpy(t->top, top, len);
    /* Recompute the internal nodes from the units' roots: a damaged cache
     * then shows as a root that is not the key's. */
    return finish_top(t);
}

/* Leaf k of the subtree in sub, for ls_parallel. */
static mm_err sub_leaf(void *arg, uint64_t k, uint8_t *scratch)
{
    (void)scratch;
    ls_tree *t = arg;
    uint64_t leaves = UINT64_C(1) << t->s;
    return leaf_of(t, (uint32_t)((t->sub_index << t->s) + k), t->sub + (leaves + k) * t->lms->m);
}

static mm_err load_subtree(ls_tree *t, uint64_t j, unsigned threads)
{
    if (t->sub_index == j) {
        return MM_OK;
    }
    t->sub_index = j;
    mm_err e = ls_parallel(threads, UINT64_C(1) << t->s, 0, sub_leaf, t);
    if (e == MM_OK) {
        e = hash_up(t, t->sub, t->s, (UINT64_C(1) << (t->lms->h - t->s)) + j);
    }
    if (e == MM_OK &&
        memcmp(t->sub + t->lms->m, t->top + ((UINT64_C(1) << (t->lms->h - t->s)) + j) * t->lms->m, t->lms->m) != 0) {
        e = MM_ERR_BAD_KEY; /* the subtree is not the one the top part was built from */
    }
    if (e != MM_OK) {
        t->sub_index = UINT64_MAX;
    }
    return e;
}

mm_err ls_tree_path(ls_tree *t, uint32_t q, uint8_t *path, unsigned threads)
{
    size_t m = t->lms->m;
    unsigned h = t->lms->h;
    if (!t->built) {
        return MM_ERR_STATE;
    }
    if (t->s > 0) {
        mm_err e = load_subtree(t, q >> t->s, threads);
        if (e != MM_OK) {
            return e;
        }
    }
    uint64_t node = (UINT64_C(1) << h) + q;
    for (unsigned i = 0; i < h; i++, node >>= 1) {
        uint64_t sibling = node ^ 1;
        const uint8_t *src;
        if (i < t->s) {
            /* Depth s - i inside the subtree rooted at node >> (s - i)... */
            unsigned d = t->s - i;
            uint64_t local = (UINT64_C(1) << d) + (sibling & ((UINT64_C(1) << d) - 1));
            src = t->sub + local * m;
        } else {
            src = t->top + sibling * m;
        }
        memcpy(path + (size_t)i * m, src, m);
    }
    return MM_OK;
}

void ls_tree_free(ls_tree *t)
{
    if (t->top != NULL) {
        free(t->top);
    }
    if (t->sub != NULL) {
        free(t->sub);
    }
    mm_wipe(t, sizeof *t);
}

mm_err ls_lms_sign(ls_tree *t, uint32_t q, const uint8_t *c, mm_bytes msg, uint8_t *out, unsigned threads)
{
    const lms_hash *h = &t->hash;
    const mm_lms_ots_type_info *ots = t->ots;
    size_t n = ots->n;
    lms_put_u32(out, q);
    lms_put_u32(out + 4, ots->type);
    memcpy(out + 8, c, n);
    uint8_t *y = out + 8 + n;
    size_t ots_len = mm_lms_ots_sig_len(ots);
    lms_put_u32(out + 4 + ots_len, t->lms->type);
    mm_err e = ls_tree_path(t, q, out + 8 + ots_len, threads);
    /* Q = H(I || q || D_MESG || C || message), then each chain from its
     * private value up to the digit of Q || Cksm(Q). */
    mm_lms_hash_state s;
    uint8_t qc[MM_LMS_N_MAX + 2];
    if (e == MM_OK) {
        e = lms_h_begin(&s, h, t->I, q, LMS_D_MESG);
    }
    if (e == MM_OK) {
        if ((e = lms_h_update(&s, c, n)) == MM_OK) {
            e = lms_h_update(&s, msg.ptr, msg.len);
        }
        if (e == MM_OK) {
            e = lms_h_final(&s, qc);
        } else {
            lms_h_abort(&s);
        }
    }
    if (e == MM_OK) {
        lms_checksum(ots, qc);
        lms_chain_req r = {ots, t->I, q, qc, true, t->seed, NULL, y, NULL};
        e = lms_chains(h, &r);
    }
    return e;
}
