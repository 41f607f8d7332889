/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The committer: marks the nonces of appraisals used, a batch per
 * transaction, with no thread of its own (group commit by combining). The
 * HTTP thread whose appraisal needs a nonce marked commits it at once if
 * no other thread is committing, and answers its own request without a
 * hand-off; if one is, it queues the use and leaves: the committing thread
 * takes everything queued into its next transaction before it stops, and
 * tells each appraisal whether its nonce was fresh. So there is never more
 * than one writer, a use waits at most for the commit in progress and its
 * own, and with eight clients one transaction serves up to eight results.
 */
#include <stdlib.h>
#include <string.h>

#include "vf_internal.h"

/* Most uses written in one transaction. */
#define BATCH_MAX 256

struct vf_committer {
    vf_service *svc;
    pthread_mutex_t lock;
    pthread_cond_t idle; /* busy went false */
    vf_pending_use *head, *tail;
    bool busy; /* a thread commits; it takes what is queued before it stops */
    bool stop;
    vf_use batch[BATCH_MAX]; /* the committing thread's */
    vf_pending_use *taken[BATCH_MAX];
};

/* Under the lock: moves up to BATCH_MAX - n queued uses into the batch. */
static size_t take(vf_committer *c, size_t n)
{
    while (c->head != NULL && n < BATCH_MAX) {
        c->taken[n] = c->head;
        c->head = c->head->next;
        c->batch[n] = c->taken[n]->use;
        n++;
    }
    if (c->head == NULL) {
        c->tail = NULL;
    }
    return n;
}

bool vf_committer_use(vf_committer *c, vf_pending_use *p, mm_err *err)
{
    p->next = NULL;
    pthread_mutex_lock(&c->lock);
    if (c->stop) {
        pthread_mutex_unlock(&c->lock);
        *err = MM_ERR_STATE;
        return true;
    }
    if (c->busy) {
        /* Another thread commits: it takes this one before it stops. */
        if (c->tail != NULL) {
            c->tail->next = p;
        } else {
            c->head = p;
        }
        c->tail = p;
        pthread_mutex_unlock(&c->lock);
        return false;
    }
    c->busy = true;
    c->taken[0] = p;
    c->batch[0] = p->use;
    size_t n = take(c, 1);
    bool own = true;
    for (;;) {
        pthread_mutex_unlock(&c->lock);
        mm_err e = vf_store_use_nonces(c->svc->store, c->batch, n, vf_now(c->svc));
        if (e != MM_OK) {
            vf_log(c->svc, "cannot mark %zu nonce%s used: %s", n, n == 1 ? "" : "s", mm_strerror(e));
        }
        for (size_t i = 0; i < n; i++) {
            c->taken[i]->use.result = c->batch[i].result;
            if (own && i == 0) {
                *err = e;
            } else {
                c->taken[i]->done(c->taken[i], e);
            }
        }
        own = false;
        pthread_mutex_lock(&c->lock);
        if (c->head == NULL) {
            break;
        }
        n = take(c, 0);
    }
    c->busy = false;
    pthread_cond_broadcast(&c->idle);
    pthread_mutex_unlock(&c->lock);
    return true;
}

mm_err vf_committer_start(vf_service *svc, vf_committer **out)
{
    vf_committer *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    c->svc = svc;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->idle, NULL);
    *out = c;
    return MM_OK;
}

/* A use that a caller waits for. */
typedef struct waiter {
    vf_pending_use p;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool done;
    mm_err err;
} waiter;

static void wake_waiter(vf_pending_use *p, mm_err err)
{
    waiter *w = (waiter *)p; /* p is the first member */
    pthread_mutex_lock(&w->lock);
    w->err = err;
    w->done = true;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

mm_err vf_committer_use_wait(vf_committer *c, vf_use *use)
{
    waiter w;
    memset(&w, 0, sizeof w);
    w.p.use = *use;
    w.p.done = wake_waiter;
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.cond, NULL);
    mm_err now = MM_OK;
    if (vf_committer_use(c, &w.p, &now)) {
        w.done = true;
        w.err = now;
    }
    pthread_mutex_lock(&w.lock);
    while (!w.done) {
        pthread_cond_wait(&w.cond, &w.lock);
    }
    pthread_mutex_unlock(&w.lock);
    pthread_mutex_destroy(&w.lock);
    pthread_cond_destroy(&w.cond);
    use->result = w.p.use.result;
    return w.err;
}

void vf_committer_stop(vf_committer *c)
{
    if (c == NULL) {
        return;
    }
    pthread_mutex_lock(&c->lock);
    c->stop = true;
    while (c->busy) {
        pthread_cond_wait(&c->idle, &c->lock); /* it commits what is queued before it stops */
    }
    pthread_mutex_unlock(&c->lock);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->idle);
    free(c);
}
