/* SPDX-License-Identifier: Apache-2.0 */
/*
 * All p Winternitz chains of one one-time key, the bulk of every LMS
 * operation (verify: up to p (2^w - 1) hashes; key generation: exactly
 * that, per leaf).
 *
 * Each chain step depends on the one before, so a single chain runs at the
 * latency of the compression function plus the round trip of its result
 * into the next block. Chains are independent of each other, though: on the
 * fast path LMS_LANES of them advance in turn, so the processor overlaps
 * their compressions and the chain work runs at the compression function's
 * throughput. Results must reach the hash of the public key in chain order,
 * so chains are started at most LMS_WINDOW ahead of the oldest unfinished
 * one and finished ones wait in a small buffer (no p-sized array on a
 * device's stack).
 */
#include "lms_internal.h"

#define LMS_LANES  8
#define LMS_WINDOW 32 /* a power of two */

/* Offsets in a chain step's input: I || u32 q || u16 i || u8 j || tmp. */
#define OFF_I   20
#define OFF_J   22
#define OFF_TMP 23

typedef struct lane {
    uint8_t block[64]; /* the step's whole padded input */
    unsigned chain;
    unsigned j;  /* the next step */
    unsigned to; /* the step to stop before */
    bool busy;
    bool derive; /* the next step is the private value's derivation (j = 0xff) */
} lane;

typedef struct chain_run {
    const lms_hash *h;
    const lms_chain_req *r;
    unsigned max; /* 2^w - 1 */
    uint8_t z[LMS_WINDOW][MM_LMS_N_MAX];
    uint64_t ready; /* bit k: z[k] holds a finished chain not yet hashed */
    unsigned next;  /* the next chain to start */
    unsigned done;  /* the next chain to hand over */
    mm_err err;
} chain_run;

static void range_of(const chain_run *run, unsigned i, unsigned *from, unsigned *to)
{
    const lms_chain_req *r = run->r;
    unsigned digit = r->digits != NULL ? lms_coef(r->digits, i, r->ots->w) : 0;
    *from = r->to_digit ? 0 : digit;
    *to = r->to_digit ? digit : run->max;
}

/* Hands a finished chain over: straight into out, or through the window
 * into the sink in chain order. */
static void emit(chain_run *run, unsigned i, const uint8_t *z)
{
    const lms_chain_req *r = run->r;
    size_t n = run->h->n;
    if (r->out != NULL) {
        memcpy(r->out + (size_t)i * n, z, n);
        run->done++;
        return;
    }
    memcpy(run->z[i % LMS_WINDOW], z, n);
    run->ready |= UINT64_C(1) << (i % LMS_WINDOW);
    while (run->done < r->ots->p && (run->ready & (UINT64_C(1) << (run->done % LMS_WINDOW))) != 0) {
        unsigned k = run->done % LMS_WINDOW;
        if (run->err == MM_OK) {
            run->err = lms_h_update(r->sink, run->z[k], n);
        }
        run->ready &= ~(UINT64_C(1) << k);
        run->done++;
    }
}

static inline bool finished(const lane *l) { return !l->derive && l->j >= l->to; }

/* Starts chain i on lane l (prefix and padding are already in place). */
static void start(chain_run *run, lane *l, unsigned i)
{
    const lms_chain_req *r = run->r;
    size_t n = run->h->n;
    l->chain = i;
    l->block[OFF_I] = (uint8_t)(i >> 8);
    l->block[OFF_I + 1] = (uint8_t)i;
    range_of(run, i, &l->j, &l->to);
    l->derive = r->seed != NULL;
    memcpy(l->block + OFF_TMP, r->seed != NULL ? r->seed : r->start + (size_t)i * n, n);
    l->busy = true;
}

static mm_err chains_fast(const lms_hash *h, const lms_chain_req *r)
{
    chain_run run;
    run.h = h;
    run.r = r;
    run.max = (1u << r->ots->w) - 1;
    run.ready = 0;
    run.next = 0;
    run.done = 0;
    run.err = MM_OK;
    unsigned n = h->n == 24 ? 24 : 32;
    unsigned p = r->ots->p;
    unsigned len = OFF_TMP + n; /* 55 or 47 bytes: one block with its padding */
    lane lanes[LMS_LANES];
    for (unsigned k = 0; k < LMS_LANES; k++) {
        lane *l = &lanes[k];
        memcpy(l->block, r->I, MM_LMS_I_LEN);
        lms_put_u32(l->block + 16, r->q);
        lms_pad_block(l->block, len);
        l->busy = false;
        l->derive = false;
        l->j = 0;
    }
    const mm_crypto *c = h->crypto;
    for (;;) {
        unsigned busy = 0;
        for (unsigned k = 0; k < LMS_LANES; k++) {
            lane *l = &lanes[k];
            while (!l->busy && run.next < p && (r->out != NULL || run.next < run.done + LMS_WINDOW)) {
                start(&run, l, run.next++);
                if (finished(l)) { /* a chain of no steps */
                    l->busy = false;
                    emit(&run, l->chain, l->block + OFF_TMP);
                }
            }
            busy += l->busy ? 1u : 0u;
        }
        if (busy == 0) {
            break;
        }
        /* One step of every busy lane, in three passes: the inputs, then
         * the compressions back to back (independent, so the processor
         * overlaps them; mixing the other writes in between measurably
         * stalls it), then the results into the next steps' blocks. */
        uint32_t st[LMS_LANES][8];
        for (unsigned k = 0; k < LMS_LANES; k++) {
            lanes[k].block[OFF_J] = lanes[k].derive ? 0xff : (uint8_t)lanes[k].j;
            memcpy(st[k], mm_sha256_iv, sizeof st[k]);
        }
        for (unsigned k = 0; k < LMS_LANES; k++) {
            if (lanes[k].busy) {
                c->ops->sha256_compress(c->user, st[k], lanes[k].block, 1);
            }
        }
        for (unsigned k = 0; k < LMS_LANES; k++) {
            lane *l = &lanes[k];
            if (!l->busy) {
                continue;
            }
            lms_store_words(l->block + OFF_TMP, st[k], n);
            if (l->derive) {
                l->derive = false;
            } else {
                l->j++;
            }
            if (finished(l)) {
                l->busy = false;
                emit(&run, l->chain, l->block + OFF_TMP);
            }
        }
    }
    if (r->seed != NULL) {
        /* Chains started from private values (key generation, signing):
         * the lanes and the window held them. Verification has none. */
        for (unsigned k = 0; k < LMS_LANES; k++) {
            mm_wipe(lanes[k].block, sizeof lanes[k].block);
        }
        mm_wipe(run.z, sizeof run.z);
    }
    return run.err;
}

/* The streaming engine: one chain after the other. */
static mm_err chains_generic(const lms_hash *h, const lms_chain_req *r)
{
    unsigned max = (1u << r->ots->w) - 1;
    size_t n = h->n;
    mm_err e = MM_OK;
    for (unsigned i = 0; i < r->ots->p && e == MM_OK; i++) {
        uint8_t tmp[MM_LMS_N_MAX];
        unsigned digit = r->digits != NULL ? lms_coef(r->digits, i, r->ots->w) : 0;
        unsigned from = r->to_digit ? 0 : digit;
        unsigned to = r->to_digit ? digit : max;
        memcpy(tmp, r->seed != NULL ? r->seed : r->start + (size_t)i * n, n);
        if (r->seed != NULL) {
            e = lms_chain(h, r->I, r->q, (uint16_t)i, tmp, 0xff, 0x100);
        }
        if (e == MM_OK) {
            e = lms_chain(h, r->I, r->q, (uint16_t)i, tmp, from, to);
        }
        if (e == MM_OK) {
            if (r->out != NULL) {
                memcpy(r->out + (size_t)i * n, tmp, n);
            } else {
                e = lms_h_update(r->sink, tmp, n);
            }
        }
        mm_wipe(tmp, sizeof tmp);
    }
    return e;
}

mm_err lms_chains(const lms_hash *h, const lms_chain_req *r)
{
    if ((r->out == NULL) == (r->sink == NULL) || (r->seed == NULL && r->start == NULL) || (h->n != 32 && h->n != 24)) {
        return MM_ERR_INVALID_ARG;
    }
    return h->fast ? chains_fast(h, r) : chains_generic(h, r);
}
