/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The service's life: open (configuration, store, keys, trust store, the
 * start-up check), start (sequencer, then HTTP), close (HTTP stops taking
 * registrations, the sequencer commits and answers what waits, then
 * everything is released). Also the published tree head the readers share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "ts_internal.h"

void ts_entry_id(const uint8_t leaf[MM_MERKLE_HASH_LEN], char id[2 * MM_MERKLE_HASH_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < MM_MERKLE_HASH_LEN; i++) {
        id[2 * i] = digits[leaf[i] >> 4];
        id[2 * i + 1] = digits[leaf[i] & 15];
    }
    id[(size_t)2 * MM_MERKLE_HASH_LEN] = '\0';
}

ts_head *ts_head_get(ts_service *svc)
{
    pthread_mutex_lock(&svc->head_lock);
    ts_head *h = svc->latest;
    if (h != NULL) {
        h->refs++;
    }
    pthread_mutex_unlock(&svc->head_lock);
    return h;
}

void ts_head_put(ts_service *svc, ts_head *h)
{
    if (h == NULL) {
        return;
    }
    pthread_mutex_lock(&svc->head_lock);
    bool last = --h->refs == 0;
    pthread_mutex_unlock(&svc->head_lock);
    if (last) {
        ts_tree_head_free(&h->th);
        free(h);
    }
}

mm_err ts_head_publish(ts_service *svc, const ts_tree_head *th)
{
    ts_head *h = calloc(1, sizeof *h);
    if (h == NULL || ts_tree_head_copy(&h->th, th) != MM_OK) {
        free(h);
        return MM_ERR_PLATFORM;
    }
    h->refs = 1; /* the service's own reference */
    pthread_mutex_lock(&svc->head_lock);
    ts_head *old = svc->latest;
    svc->latest = h;
    pthread_mutex_unlock(&svc->head_lock);
    ts_head_put(svc, old);
    return MM_OK;
}

mm_err ts_receipt_for(ts_service *svc, const ts_head *h, uint64_t seq, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (h == NULL || seq >= h->th.size) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_merkle_tree t;
    ts_tree_reader(&svc->tree, h->th.size, &t);
    size_t cap = ts_receipt_cap(&h->th);
    uint8_t *buf = malloc(cap);
    if (buf == NULL) {
        return MM_ERR_PLATFORM;
    }
    mm_buf b = mm_buf_make(buf, cap);
    mm_err e = ts_receipt_inclusion(&t, &h->th, seq, &b);
    if (e != MM_OK) {
        free(buf);
        return e;
    }
    *out = buf;
    *len = b.len;
    return MM_OK;
}

uint16_t ts_service_port(const ts_service *svc) { return svc != NULL ? mm_http_server_port(svc->http) : 0; }

uint64_t ts_service_size(ts_service *svc)
{
    ts_head *h = ts_head_get(svc);
    uint64_t size = h != NULL ? h->th.size : 0;
    ts_head_put(svc, h);
    return size;
}

mm_bytes ts_service_cose_key(const ts_service *svc)
{
    return mm_bytes_make(svc->signer.cose_key, svc->signer.cose_key_len);
}

static mm_err check_config(const ts_config *c, ts_error *err)
{
    if (c->key == NULL || c->listen == NULL || c->issuer == NULL || (c->database == NULL)) {
        return ts_errorf(err, MM_ERR_INVALID_ARG, "configuration: key, listen, issuer and database are required");
    }
    if (c->batch_size == 0 || c->batch_size > TS_BATCH_MAX || c->max_wait_ms > TS_WAIT_MAX_MS ||
        c->receipt_wait_ms > TS_WAIT_MAX_MS || c->threads == 0 || c->threads > TS_THREADS_MAX || c->queue_max == 0 ||
        c->queue_max > TS_QUEUE_MAX || c->queue_max_bytes < c->max_body || c->queue_max_bytes > TS_QUEUE_BYTES_MAX ||
        c->max_body == 0 || c->max_body > TS_BODY_MAX || c->node_cache > TS_CACHE_MAX || c->check > TS_CHECK_FULL) {
        return ts_errorf(err, MM_ERR_INVALID_ARG, "configuration: a value is out of its range (see docs/ts.md)");
    }
    if ((c->tls_cert == NULL) != (c->tls_key == NULL)) {
        return ts_errorf(err, MM_ERR_INVALID_ARG, "configuration: tls needs both cert and key");
    }
    return MM_OK;
}

void ts_service_close(ts_service *svc)
{
    if (svc == NULL) {
        return;
    }
    /* The sequencer first: it refuses new registrations, commits and
     * answers the waiting ones through the still running HTTP server. */
    ts_seq_stop(svc->seq);
    svc->seq = NULL;
    mm_http_server_stop(svc->http);
    svc->http = NULL;
    ts_head_put(svc, svc->latest);
    svc->latest = NULL;
    ts_tree_free(&svc->tree);
    if (svc->store.ops != NULL) {
        svc->store.ops->close(svc->store.user);
    }
    ts_signer_close(&svc->signer);
    ts_trust_free(&svc->trust);
    ts_config_free(&svc->cfg);
    pthread_mutex_destroy(&svc->head_lock);
    free(svc);
}

mm_err ts_service_open(const ts_config *cfg, const ts_store *store, ts_service **out, ts_error *err)
{
    if (cfg == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    mm_err e = check_config(cfg, err);
    if (e != MM_OK) {
        if (store != NULL) {
            store->ops->close(store->user);
        }
        return e;
    }
    ts_service *svc = calloc(1, sizeof *svc);
    if (svc == NULL) {
        return MM_ERR_PLATFORM;
    }
    pthread_mutex_init(&svc->head_lock, NULL);
    if (store != NULL) {
        svc->store = *store;
    }
    e = ts_config_copy(&svc->cfg, cfg);
    if (e == MM_OK && store == NULL) {
        /* A reader per HTTP thread, one for the sequencer. */
        unsigned readers = cfg->threads + 1 > 64 ? 64 : cfg->threads + 1;
        e = ts_store_sqlite_open(cfg->database, readers, &svc->store);
        if (e != MM_OK) {
            ts_errorf(err, e, "%s: cannot open the database: %s", cfg->database, mm_strerror(e));
        }
    }
    if (e == MM_OK) {
        e = ts_signer_open(cfg->key, cfg->issuer, &svc->signer, err);
    }
    if (e == MM_OK) {
        e = ts_trust_load(cfg, &svc->trust, err);
    }
    if (e == MM_OK) {
        e = ts_tree_init(&svc->tree, mm_crypto_openssl(), &svc->store, cfg->node_cache);
        if (e != MM_OK) {
            ts_errorf(err, e, "%s: cannot read the tree: %s", cfg->database, mm_strerror(e));
        }
    }
    ts_tree_head th;
    memset(&th, 0, sizeof th);
    if (e == MM_OK) {
        e = svc->store.ops->read_tree_head(svc->store.user, TS_LATEST, &th);
        if (e == MM_OK) {
            e = ts_head_publish(svc, &th);
        } else if (e == MM_ERR_MISSING_FIELD) {
            e = MM_OK; /* a new log */
        } else {
            ts_errorf(err, e, "%s: cannot read the last tree head: %s", cfg->database, mm_strerror(e));
        }
        ts_tree_head_free(&th);
    }
    if (e == MM_OK) {
        e = ts_check_store(svc, cfg->check, err);
    }
    if (e != MM_OK) {
        ts_service_close(svc);
        return e;
    }
    *out = svc;
    return MM_OK;
}

mm_err ts_service_start(ts_service *svc, ts_error *err)
{
    if (svc == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (svc->seq != NULL) {
        return ts_errorf(err, MM_ERR_STATE, "the service is running already");
    }
    mm_err e = ts_seq_start(svc, &svc->seq);
    if (e != MM_OK) {
        return ts_errorf(err, e, "cannot start the sequencer: %s", mm_strerror(e));
    }
    mm_http_server_opts o;
    memset(&o, 0, sizeof o);
    o.listen = svc->cfg.listen;
    o.max_body = svc->cfg.max_body;
    o.threads = svc->cfg.threads;
    o.tls_cert = svc->cfg.tls_cert;
    o.tls_key = svc->cfg.tls_key;
    e = mm_http_server_start(&o, ts_api_handle, svc, &svc->http);
    if (e != MM_OK) {
        ts_seq_stop(svc->seq);
        svc->seq = NULL;
        return ts_errorf(err, e, "%s: cannot listen: %s", svc->cfg.listen,
                         e == MM_ERR_INVALID_ARG ? "not host:port"
                                                 : "the address is taken, or the TLS files unreadable");
    }
    return MM_OK;
}
