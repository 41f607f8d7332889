/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sequencer: one thread that turns verified statements into log
 * entries, a batch at a time. A batch is whatever waits when the previous
 * one is done (up to batch_size; with max_wait_ms it also waits that long
 * for more), appended to the tree, stored with its entries and its signed
 * tree head in one durable transaction, and published; only then are its
 * clients answered, each with a receipt carrying the batch's one
 * signature (SCITT architecture section 6.3: "A Transparency Service MUST
 * ensure that a Signed Statement is registered before releasing its
 * Receipt"; "the last two steps may be shared between a batch"). The
 * receipts are built and sent by a second thread, so the sequencer starts
 * the next batch as soon as one is committed.
 *
 * A third thread keeps the promise of SCRAPI section 2.3.2: a client whose
 * batch has not committed within receipt_wait_ms is answered 303 with the
 * entry's Location and polls it. Registrations in flight are kept in
 * arrival order, which is also deadline order, so that thread only ever
 * looks at the oldest ones. Who answers a client is settled under one
 * lock, so each client is answered exactly once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ts_internal.h"

typedef struct ts_reg {
    struct ts_reg *next;          /* waiting for the sequencer */
    struct ts_reg *older, *newer; /* in flight, arrival order */
    struct ts_reg *chain;         /* hash bucket */
    mm_http_pending *later;       /* NULL once answered */
    uint8_t leaf[MM_MERKLE_HASH_LEN];
    uint8_t *entry;
    size_t entry_len;
    int64_t arrival_ms;
    int64_t deadline_ms;
    uint64_t seq;
} ts_reg;

struct ts_seq {
    ts_service *svc;
    pthread_mutex_t lock;
    pthread_cond_t work;  /* registrations to sequence, or stop */
    pthread_cond_t alarm; /* the oldest registration in flight changed, or stop */
    ts_reg *q_head, *q_tail;
    size_t q_len;
    ts_reg *oldest, *newest; /* in flight: queued or in the batch being committed */
    ts_reg *cursor;          /* the oldest in flight the timer has not passed */
    size_t n_flight;
    size_t flight_bytes; /* of the entries in flight, capped by queue_max_bytes */
    ts_reg **buckets;
    size_t mask;
    bool stopping;
    bool timer_stop;
    bool started_seq, started_timer;
    pthread_t seq_thread, timer_thread;
    ts_reg **batch;
    uint8_t (*leaves)[MM_MERKLE_HASH_LEN];
    mm_http_pending **answer;
    /* Committed batches waiting for their receipts (the answering thread). */
    pthread_cond_t answers;  /* a batch to answer, or stop */
    pthread_cond_t answered; /* room for another batch */
    struct answer_job *jobs, *jobs_tail;
    size_t n_jobs;
    bool answer_stop;
    bool started_answer;
    pthread_t answer_thread;
};

/* Committed batches waiting for their answers, at most. */
#define ANSWER_JOBS_MAX 4

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec at_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000};
    return ts;
}

static size_t bucket_of(const ts_seq *q, const uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    uint64_t h;
    memcpy(&h, leaf, sizeof h); /* a hash already: its bytes are uniform */
    return (size_t)h & q->mask;
}

static ts_reg *lookup(const ts_seq *q, const uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    ts_reg *r = q->buckets[bucket_of(q, leaf)];
    while (r != NULL && memcmp(r->leaf, leaf, MM_MERKLE_HASH_LEN) != 0) {
        r = r->chain;
    }
    return r;
}

/* Takes r out of the in-flight list and table (the lock is held). */
static void unlink_reg(ts_seq *q, ts_reg *r)
{
    ts_reg **p = &q->buckets[bucket_of(q, r->leaf)];
    while (*p != NULL && *p != r) {
        p = &(*p)->chain;
    }
    if (*p == r) {
        *p = r->chain;
    }
    if (q->cursor == r) {
        q->cursor = r->newer;
    }
    if (r->older != NULL) {
        r->older->newer = r->newer;
    } else {
        q->oldest = r->newer;
    }
    if (r->newer != NULL) {
        r->newer->older = r->older;
    } else {
        q->newest = r->older;
    }
    q->n_flight--;
    q->flight_bytes -= r->entry_len;
}

static void free_reg(ts_reg *r)
{
    free(r->entry);
    free(r);
}

static void answer_problem(mm_http_pending *p, unsigned status, const char *title, const char *detail)
{
    mm_http_response r;
    memset(&r, 0, sizeof r);
    mm_http_problem(&r, status, title, detail);
    r.retry_after = 1;
    mm_http_finish(p, &r);
}

/* 201 with the receipt, or 500 when it cannot be made. */
static void answer_receipt(ts_seq *q, ts_head *h, ts_reg *r, mm_http_pending *p)
{
    mm_http_response resp;
    memset(&resp, 0, sizeof resp);
    uint8_t *body = NULL;
    size_t len = 0;
    mm_err e = ts_receipt_for(q->svc, h, r->seq, &body, &len);
    if (e != MM_OK) {
        ts_log(&q->svc->cfg, "receipt of entry %llu: %s", (unsigned long long)r->seq, mm_strerror(e));
        answer_problem(p, 500, "Internal Server Error", "the receipt could not be made");
        return;
    }
    resp.status = 201;
    resp.content_type = "application/cose";
    resp.body = body;
    resp.len = len;
    char id[2 * MM_MERKLE_HASH_LEN + 1];
    ts_entry_id(r->leaf, id);
    snprintf(resp.location, sizeof resp.location, "/entries/%s", id);
    mm_http_finish(p, &resp);
}

/* Stores the batch's new entries, appends them, signs and stores the tree
 * head, commits: one transaction. A statement already in the log (posted
 * again) is found by its leaf hash when its entry is refused as a
 * duplicate, and keeps its place; a batch of such statements only commits
 * nothing. */
static mm_err commit(ts_seq *q, ts_reg **batch, size_t n)
{
    ts_service *svc = q->svc;
    const ts_store *st = &svc->store;
    mm_merkle_tree *t = &svc->tree.writer;
    uint64_t first = t->size;
    size_t fresh = 0;
    mm_err e = st->ops->begin(st->user);
    for (size_t i = 0; e == MM_OK && i < n; i++) {
        e = st->ops->put_entry(st->user, first + fresh, batch[i]->leaf,
                               mm_bytes_make(batch[i]->entry, batch[i]->entry_len));
        if (e == MM_OK) {
            batch[i]->seq = first + fresh;
            memcpy(q->leaves[fresh++], batch[i]->leaf, MM_MERKLE_HASH_LEN);
        } else if (e == MM_ERR_STATE) {
            e = st->ops->find_entry(st->user, batch[i]->leaf, &batch[i]->seq);
        }
    }
    if (e == MM_OK && fresh == 0) {
        st->ops->rollback(st->user); /* nothing new */
        return MM_OK;
    }
    if (e == MM_OK) {
        e = mm_merkle_tree_append_batch(t, (const uint8_t(*)[MM_MERKLE_HASH_LEN])q->leaves, fresh, NULL);
    }
    ts_tree_head th;
    memset(&th, 0, sizeof th);
    if (e == MM_OK) {
        e = ts_tree_head_sign(&svc->signer, t, (int64_t)time(NULL), &th);
    }
    if (e == MM_OK) {
        e = st->ops->put_tree_head(st->user, &th);
    }
    if (e == MM_OK) {
        e = st->ops->commit(st->user);
    }
    if (e == MM_OK) {
        e = ts_head_publish(svc, &th);
    } else {
        /* Nothing of the batch counts: the store, the cache and the tree's
         * size go back to the last commit. */
        st->ops->rollback(st->user);
        ts_tree_cache_clear(&svc->tree);
        if (mm_merkle_tree_refresh(t) != MM_OK) {
            t->size = first;
        }
    }
    ts_tree_head_free(&th);
    return e;
}

/* A committed (or failed) batch on its way to its clients. */
static void answer_batch(ts_seq *q, struct answer_job *job);

typedef struct answer_job {
    struct answer_job *next;
    ts_head *head; /* NULL: the batch failed */
    size_t n;
    ts_reg **regs;
    mm_http_pending **to; /* NULL where a 303 answered already */
} answer_job;

static void run_batch(ts_seq *q, size_t n)
{
    ts_reg **batch = q->batch;
    mm_err e = commit(q, batch, n);
    if (e != MM_OK) {
        ts_log(&q->svc->cfg, "batch of %zu registrations not stored: %s (%s)", n, mm_strerror(e), mm_errname(e));
    }
    /* The job for the answering thread, so that the next batch starts now;
     * without memory for one, the answers are made here. */
    answer_job *job = malloc(sizeof *job + n * (sizeof(ts_reg *) + sizeof(mm_http_pending *)));
    answer_job local;
    if (job == NULL) {
        job = &local;
        job->regs = batch;
        job->to = q->answer;
    } else {
        job->regs = (ts_reg **)(void *)(job + 1);
        job->to = (mm_http_pending **)(void *)(job->regs + n);
    }
    job->next = NULL;
    job->n = n;
    job->head = e == MM_OK ? ts_head_get(q->svc) : NULL;
    /* The entries are readable now: out of flight, then answered. */
    pthread_mutex_lock(&q->lock);
    for (size_t i = 0; i < n; i++) {
        job->regs[i] = batch[i];
        job->to[i] = batch[i]->later;
        batch[i]->later = NULL;
        unlink_reg(q, batch[i]);
    }
    if (job != &local) {
        /* A few batches ahead of the answers at most. */
        while (q->n_jobs >= ANSWER_JOBS_MAX) {
            pthread_cond_wait(&q->answered, &q->lock);
        }
        if (q->jobs_tail != NULL) {
            q->jobs_tail->next = job;
        } else {
            q->jobs = job;
        }
        q->jobs_tail = job;
        q->n_jobs++;
        pthread_cond_signal(&q->answers);
    }
    pthread_mutex_unlock(&q->lock);
    if (job == &local) {
        answer_batch(q, job);
    }
}

/* Builds every receipt of a batch and answers its clients. */
static void answer_batch(ts_seq *q, answer_job *job)
{
    for (size_t i = 0; i < job->n; i++) {
        if (job->to[i] == NULL) {
            /* answered 303 already: the client polls */
        } else if (job->head != NULL) {
            answer_receipt(q, job->head, job->regs[i], job->to[i]);
        } else {
            answer_problem(job->to[i], 503, "Registration Failed",
                           "the log could not store the statement; it was not registered: try again");
        }
        free_reg(job->regs[i]);
    }
    ts_head_put(q->svc, job->head);
}

static void *answer_main(void *arg)
{
    ts_seq *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->jobs == NULL && !q->answer_stop) {
            pthread_cond_wait(&q->answers, &q->lock);
        }
        answer_job *job = q->jobs;
        if (job == NULL) {
            break; /* stopping, and every batch is answered */
        }
        q->jobs = job->next;
        if (q->jobs == NULL) {
            q->jobs_tail = NULL;
        }
        pthread_mutex_unlock(&q->lock);
        answer_batch(q, job);
        free(job);
        pthread_mutex_lock(&q->lock);
        q->n_jobs--;
        pthread_cond_signal(&q->answered);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

static void *sequencer_main(void *arg)
{
    ts_seq *q = arg;
    const ts_config *cfg = &q->svc->cfg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->q_len == 0 && !q->stopping) {
            pthread_cond_wait(&q->work, &q->lock);
        }
        if (q->q_len == 0) {
            break; /* stopping, and everything is committed */
        }
        if (cfg->max_wait_ms != 0) {
            /* Wait for a fuller batch, bounded by the oldest one's wait. */
            int64_t until = q->q_head->arrival_ms + (int64_t)cfg->max_wait_ms;
            struct timespec ts = at_ms(until);
            while (q->q_len < cfg->batch_size && !q->stopping && now_ms() < until) {
                if (pthread_cond_timedwait(&q->work, &q->lock, &ts) == ETIMEDOUT) {
                    break;
                }
            }
        }
        size_t n = 0;
        while (n < cfg->batch_size && q->q_head != NULL) {
            ts_reg *r = q->q_head;
            q->q_head = r->next;
            q->batch[n++] = r;
        }
        if (q->q_head == NULL) {
            q->q_tail = NULL;
        }
        q->q_len -= n;
        pthread_mutex_unlock(&q->lock);
        run_batch(q, n);
        pthread_mutex_lock(&q->lock);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Answers 303 to every registration whose wait is over. */
static void *timer_main(void *arg)
{
    ts_seq *q = arg;
    enum { CHUNK = 256 };
    mm_http_pending *due[CHUNK];
    char location[CHUNK][80];
    pthread_mutex_lock(&q->lock);
    while (!q->timer_stop) {
        int64_t now = now_ms();
        size_t n = 0;
        while (n < CHUNK && q->cursor != NULL && q->cursor->deadline_ms <= now) {
            ts_reg *r = q->cursor;
            if (r->later != NULL) {
                char id[2 * MM_MERKLE_HASH_LEN + 1];
                ts_entry_id(r->leaf, id);
                snprintf(location[n], sizeof location[n], "/entries/%s", id);
                due[n++] = r->later;
                r->later = NULL;
            }
            q->cursor = r->newer;
        }
        if (n != 0) {
            pthread_mutex_unlock(&q->lock);
            for (size_t i = 0; i < n; i++) {
                /* SCRAPI 2.3.2: registration is running. */
                mm_http_response resp;
                memset(&resp, 0, sizeof resp);
                resp.status = 303;
                resp.retry_after = 1;
                snprintf(resp.location, sizeof resp.location, "%.79s", location[i]);
                mm_http_finish(due[i], &resp);
            }
            pthread_mutex_lock(&q->lock);
            continue;
        }
        if (q->cursor == NULL) {
            pthread_cond_wait(&q->alarm, &q->lock);
        } else {
            struct timespec ts = at_ms(q->cursor->deadline_ms);
            (void)pthread_cond_timedwait(&q->alarm, &q->lock, &ts);
        }
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

ts_submit ts_seq_submit(ts_seq *q, mm_http_pending *later, const uint8_t leaf[MM_MERKLE_HASH_LEN], uint8_t *entry,
                        size_t entry_len)
{
    ts_reg *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return TS_BUSY;
    }
    memcpy(r->leaf, leaf, MM_MERKLE_HASH_LEN);
    r->later = later;
    r->arrival_ms = now_ms();
    r->deadline_ms = r->arrival_ms + (int64_t)q->svc->cfg.receipt_wait_ms;
    pthread_mutex_lock(&q->lock);
    const ts_config *cfg = &q->svc->cfg;
    bool full = q->n_flight >= cfg->queue_max || entry_len > cfg->queue_max_bytes - q->flight_bytes;
    ts_submit s = q->stopping ? TS_STOPPED : lookup(q, leaf) != NULL ? TS_IN_FLIGHT : full ? TS_BUSY : TS_QUEUED;
    if (s == TS_QUEUED) {
        r->entry = entry;
        r->entry_len = entry_len;
        size_t b = bucket_of(q, leaf);
        r->chain = q->buckets[b];
        q->buckets[b] = r;
        r->older = q->newest;
        if (q->newest != NULL) {
            q->newest->newer = r;
        } else {
            q->oldest = r;
        }
        q->newest = r;
        q->n_flight++;
        q->flight_bytes += entry_len;
        if (q->q_tail != NULL) {
            q->q_tail->next = r;
        } else {
            q->q_head = r;
        }
        q->q_tail = r;
        q->q_len++;
        if (q->cursor == NULL) {
            q->cursor = r;
            pthread_cond_signal(&q->alarm);
        }
        pthread_cond_signal(&q->work);
    }
    pthread_mutex_unlock(&q->lock);
    if (s != TS_QUEUED) {
        free(r);
    }
    return s;
}

bool ts_seq_in_flight(ts_seq *q, const uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    pthread_mutex_lock(&q->lock);
    bool found = lookup(q, leaf) != NULL;
    pthread_mutex_unlock(&q->lock);
    return found;
}

size_t ts_seq_waiting(ts_seq *q)
{
    pthread_mutex_lock(&q->lock);
    size_t n = q->n_flight;
    pthread_mutex_unlock(&q->lock);
    return n;
}

static void seq_free(ts_seq *q)
{
    free(q->buckets);
    free(q->batch);
    free(q->leaves);
    free(q->answer);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->alarm);
    pthread_cond_destroy(&q->answers);
    pthread_cond_destroy(&q->answered);
    free(q);
}

void ts_seq_stop(ts_seq *q)
{
    if (q == NULL) {
        return;
    }
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_signal(&q->work);
    pthread_mutex_unlock(&q->lock);
    if (q->started_seq) {
        pthread_join(q->seq_thread, NULL);
    }
    pthread_mutex_lock(&q->lock);
    q->answer_stop = true;
    pthread_cond_signal(&q->answers);
    pthread_mutex_unlock(&q->lock);
    if (q->started_answer) {
        pthread_join(q->answer_thread, NULL);
    }
    /* Everything queued is committed and answered: the timer has nothing
     * left to answer. */
    pthread_mutex_lock(&q->lock);
    q->timer_stop = true;
    pthread_cond_signal(&q->alarm);
    pthread_mutex_unlock(&q->lock);
    if (q->started_timer) {
        pthread_join(q->timer_thread, NULL);
    }
    seq_free(q);
}

mm_err ts_seq_start(ts_service *svc, ts_seq **out)
{
    *out = NULL;
    ts_seq *q = calloc(1, sizeof *q);
    if (q == NULL) {
        return MM_ERR_PLATFORM;
    }
    q->svc = svc;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->work, &ca);
    pthread_cond_init(&q->alarm, &ca);
    pthread_cond_init(&q->answers, &ca);
    pthread_cond_init(&q->answered, &ca);
    pthread_condattr_destroy(&ca);
    size_t buckets = 1;
    while (buckets < svc->cfg.queue_max && buckets < TS_QUEUE_MAX) {
        buckets <<= 1;
    }
    q->mask = buckets - 1;
    q->buckets = calloc(buckets, sizeof(ts_reg *));           /* NOLINT(bugprone-sizeof-expression) */
    q->batch = calloc(svc->cfg.batch_size, sizeof(ts_reg *)); /* NOLINT(bugprone-sizeof-expression) */
    q->leaves = calloc(svc->cfg.batch_size, sizeof *q->leaves);
    q->answer = calloc(svc->cfg.batch_size, sizeof(mm_http_pending *)); /* NOLINT(bugprone-sizeof-expression) */
    if (q->buckets == NULL || q->batch == NULL || q->leaves == NULL || q->answer == NULL) {
        seq_free(q);
        return MM_ERR_PLATFORM;
    }
    q->started_answer = pthread_create(&q->answer_thread, NULL, answer_main, q) == 0;
    q->started_seq = q->started_answer && pthread_create(&q->seq_thread, NULL, sequencer_main, q) == 0;
    q->started_timer = q->started_seq && pthread_create(&q->timer_thread, NULL, timer_main, q) == 0;
    if (!q->started_timer) {
        ts_seq_stop(q);
        return MM_ERR_PLATFORM;
    }
    *out = q;
    return MM_OK;
}
