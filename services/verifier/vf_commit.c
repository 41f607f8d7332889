/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The committer: one thread that marks the nonces of waiting appraisals
 * used. It takes everything queued, writes it in one transaction (one sync
 * to disk, however many clients wait), then tells each appraisal whether
 * its nonce was fresh. Group commit: with eight clients the disk syncs
 * once for up to eight results rather than eight times.
 */
#include <stdlib.h>
#include <string.h>

#include "vf_internal.h"

/* Most uses written in one transaction. */
#define BATCH_MAX 256

struct vf_committer {
    vf_service *svc;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    vf_pending_use *head, *tail;
    bool stop;
    vf_use batch[BATCH_MAX];
    vf_pending_use *taken[BATCH_MAX];
};

static void *run(void *arg)
{
    vf_committer *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (c->head == NULL && !c->stop) {
            pthread_cond_wait(&c->wake, &c->lock);
        }
        if (c->head == NULL) {
            break; /* stopped, and nothing waits */
        }
        size_t n = 0;
        while (c->head != NULL && n < BATCH_MAX) {
            c->taken[n] = c->head;
            c->head = c->head->next;
            c->batch[n] = c->taken[n]->use;
            n++;
        }
        if (c->head == NULL) {
            c->tail = NULL;
        }
        pthread_mutex_unlock(&c->lock);
        mm_err e = vf_store_use_nonces(c->svc->store, c->batch, n, vf_now(c->svc));
        if (e != MM_OK) {
            vf_log(c->svc, "cannot mark %zu nonce%s used: %s", n, n == 1 ? "" : "s", mm_strerror(e));
        }
        for (size_t i = 0; i < n; i++) {
            c->taken[i]->use.result = c->batch[i].result;
            c->taken[i]->done(c->taken[i], e);
        }
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

mm_err vf_committer_start(vf_service *svc, vf_committer **out)
{
    vf_committer *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    c->svc = svc;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->wake);
        free(c);
        return MM_ERR_PLATFORM;
    }
    *out = c;
    return MM_OK;
}

void vf_committer_submit(vf_committer *c, vf_pending_use *p)
{
    p->next = NULL;
    pthread_mutex_lock(&c->lock);
    if (c->stop) {
        pthread_mutex_unlock(&c->lock);
        p->done(p, MM_ERR_STATE);
        return;
    }
    if (c->tail != NULL) {
        c->tail->next = p;
    } else {
        c->head = p;
    }
    c->tail = p;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
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
    vf_committer_submit(c, &w.p);
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
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->wake);
    free(c);
}
