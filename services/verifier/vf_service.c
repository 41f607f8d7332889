/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The service's life: configuration (defaults, checks), open (the used-nonce
 * set, store, its run marked begun and the used nonces of the last clean
 * stop loaded, nonce key, the verifier's public key and kid), start (HTTP),
 * close (new appraisals refused, HTTP stopped, the unexpired used nonces
 * saved and the run marked ended in one synced commit, the store closed).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "vf_internal.h"

void vf_config_init(vf_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen = VF_DEFAULT_PORT;
    cfg->database = "verifier.db";
    cfg->nonce_ttl = 120;
    cfg->leeway = 60;
    cfg->result_ttl = 300;
    cfg->developer = "https://mamori.dev";
    cfg->build = "mamori verifier";
    cfg->teep_profile = VF_TEEP_PROFILE;
    cfg->max_body = (size_t)64 << 10;
    cfg->used_nonces = VF_USED_DEFAULT;
    cfg->threads = mm_http_default_threads(VF_THREADS_MAX);
}

int64_t vf_now(const vf_service *svc)
{
    return svc->cfg.clock != NULL ? svc->cfg.clock(svc->cfg.clock_user) : (int64_t)time(NULL);
}

void vf_log(const vf_service *svc, const char *fmt, ...)
{
    if (svc->cfg.log == NULL) {
        return;
    }
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    svc->cfg.log(svc->cfg.log_user, line);
}

static mm_err errorf(vf_error *err, mm_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static mm_err errorf(vf_error *err, mm_err e, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return e;
}

static mm_err check_config(const vf_config *c, vf_error *err)
{
    if (c->key == NULL || c->listen == NULL || c->database == NULL || c->developer == NULL || c->build == NULL ||
        c->teep_profile == NULL) {
        return errorf(err, MM_ERR_INVALID_ARG,
                      "configuration: key, listen, database, developer, build and the "
                      "TEEP profile are required");
    }
    if (c->nonce_ttl == 0 || c->nonce_ttl > VF_TTL_MAX || c->iat_window > VF_TTL_MAX || c->leeway > VF_TTL_MAX ||
        c->result_ttl == 0 || c->result_ttl > VF_TTL_MAX || c->max_body == 0 || c->max_body > VF_BODY_MAX ||
        c->threads == 0 || c->threads > VF_THREADS_MAX || c->n_profiles > VF_PROFILES_MAX || c->used_nonces == 0 ||
        c->used_nonces > VF_USED_MAX) {
        return errorf(err, MM_ERR_INVALID_ARG, "configuration: a value is out of its range (see docs/verifier.md)");
    }
    if ((c->tls_cert == NULL) != (c->tls_key == NULL)) {
        return errorf(err, MM_ERR_INVALID_ARG, "configuration: HTTPS needs both a certificate and its key");
    }
    for (size_t i = 0; i < c->n_profiles; i++) {
        if (c->profiles[i] == NULL || c->profiles[i][0] == '\0') {
            return errorf(err, MM_ERR_INVALID_ARG, "configuration: an accepted profile is empty");
        }
    }
    return MM_OK;
}

/* A copy of s the service owns (NULL stays NULL). */
static const char *own(vf_service *svc, const char *s, bool *ok)
{
    if (s == NULL) {
        return NULL;
    }
    char *copy = strdup(s);
    if (copy == NULL) {
        *ok = false;
        return s;
    }
    svc->owned[svc->n_owned++] = copy;
    return copy;
}

/* The signing key's algorithm, public COSE_Key and thumbprint. */
static mm_err load_key(vf_service *svc, vf_error *err)
{
    const mm_key *k = svc->cfg.key;
    svc->alg = svc->cfg.alg != 0 ? svc->cfg.alg : k->alg;
    if (svc->alg == 0 || !mm_key_allows(k, svc->alg, true)) {
        return errorf(err, MM_ERR_INVALID_ARG, "the signing key cannot sign%s",
                      svc->alg == 0 ? ": name its algorithm" : " with the algorithm asked for");
    }
    uint8_t buf[1200];
    mm_key_parts parts;
    mm_err e = mm_key_export(k, 0, &parts, buf, sizeof buf);
    size_t kid_len = 0;
    uint8_t tp[MM_HASH_MAX];
    if (e == MM_OK) {
        e = mm_cose_key_thumbprint(svc->crypto, &parts, MM_ALG_SHA256, tp, &kid_len);
    }
    if (e == MM_OK && kid_len != sizeof svc->kid) {
        e = MM_ERR_UNSUPPORTED;
    }
    if (e == MM_OK) {
        memcpy(svc->kid, tp, sizeof svc->kid);
        parts.alg = svc->alg;
        mm_buf out = mm_buf_make(svc->public_key, sizeof svc->public_key);
        e = mm_cose_key_encode(&parts, mm_bytes_make(svc->kid, sizeof svc->kid), 0, &out);
        svc->public_key_len = out.len;
    }
    return e == MM_OK ? MM_OK : errorf(err, e, "the signing key: %s", mm_strerror(e));
}

/* The used nonces for the store: loaded at open, saved at close. */
static bool load_put(void *user, const vf_used_nonce *n)
{
    vf_service *svc = user;
    return vf_used_add(svc->used, n->tag, n->expires, vf_now(svc)) != VF_USED_FULL;
}

typedef struct saving {
    vf_used *used;
    size_t pos;
    int64_t now;
} saving;

static bool save_next(void *user, vf_used_nonce *n)
{
    saving *sv = user;
    return sv->used != NULL && vf_used_next(sv->used, &sv->pos, sv->now, n->tag, &n->expires);
}

void vf_service_close(vf_service *svc)
{
    if (svc == NULL) {
        return;
    }
    pthread_mutex_lock(&svc->lock);
    svc->closing = true; /* appraisals that arrive now get 503 */
    pthread_mutex_unlock(&svc->lock);
    mm_http_server_stop(svc->http); /* waits for the requests in progress */
    svc->http = NULL;
    if (svc->run_begun) {
        saving sv = {svc->used, 0, vf_now(svc)};
        if (vf_store_run_end(svc->store, save_next, &sv) != MM_OK) {
            vf_log(svc, "cannot save the used nonces: nonces issued by this run will be refused after a restart");
        }
    }
    vf_store_close(svc->store);
    vf_used_free(svc->used);
    vf_keys_free(&svc->keys);
    vf_cache_free(&svc->cache);
    mm_key_free(&svc->nonce_key);
    for (size_t i = 0; i < svc->n_owned; i++) {
        free(svc->owned[i]);
    }
    pthread_mutex_destroy(&svc->lock);
    free(svc);
}

mm_err vf_service_open(const vf_config *cfg, vf_service **out, vf_error *err)
{
    if (cfg == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    mm_err e = check_config(cfg, err);
    if (e != MM_OK) {
        return e;
    }
    vf_service *svc = calloc(1, sizeof *svc);
    if (svc == NULL) {
        return errorf(err, MM_ERR_PLATFORM, "out of memory");
    }
    pthread_mutex_init(&svc->lock, NULL);
    vf_keys_init(&svc->keys);
    vf_cache_init(&svc->cache);
    svc->cfg = *cfg;
    svc->crypto = mm_crypto_openssl();
    bool ok = true;
    svc->cfg.listen = own(svc, cfg->listen, &ok);
    svc->cfg.database = own(svc, cfg->database, &ok);
    svc->cfg.developer = own(svc, cfg->developer, &ok);
    svc->cfg.build = own(svc, cfg->build, &ok);
    svc->cfg.teep_profile = own(svc, cfg->teep_profile, &ok);
    svc->cfg.tls_cert = own(svc, cfg->tls_cert, &ok);
    svc->cfg.tls_key = own(svc, cfg->tls_key, &ok);
    for (size_t i = 0; i < cfg->n_profiles; i++) {
        svc->cfg.profiles[i] = own(svc, cfg->profiles[i], &ok);
    }
    e = ok ? load_key(svc, err) : errorf(err, MM_ERR_PLATFORM, "out of memory");
    if (e == MM_OK && (e = vf_used_new(svc->cfg.used_nonces, &svc->used)) != MM_OK) {
        errorf(err, e, "cannot make the used-nonce set (%zu nonces): %s", svc->cfg.used_nonces, mm_strerror(e));
    }
    if (e == MM_OK) {
        /* A reader per HTTP thread. */
        e = vf_store_open(svc->cfg.database, svc->cfg.threads, &svc->store);
        if (e != MM_OK) {
            errorf(err, e, "%s: cannot open the database: %s", svc->cfg.database,
                   e == MM_ERR_UNSUPPORTED ? "it was made by a newer mamori" : mm_strerror(e));
        }
    }
    vf_run_start how = VF_RUN_FIRST;
    if (e == MM_OK && (e = vf_store_run_begin(svc->store, vf_now(svc), load_put, svc, &how)) != MM_OK) {
        errorf(err, e, "%s: cannot mark the run begun", svc->cfg.database);
    }
    if (e == MM_OK) {
        svc->run_begun = true;
        if (how == VF_RUN_UNCLEAN) {
            vf_log(svc, "the last run did not stop cleanly: the nonces it issued are no longer accepted");
        } else if (how == VF_RUN_TOO_MANY) {
            vf_log(svc,
                   "the used nonces of the last run do not fit the set (%zu): the nonces it issued are no "
                   "longer accepted",
                   svc->cfg.used_nonces);
            /* What was loaded is of the old key: an empty set instead. */
            vf_used_free(svc->used);
            svc->used = NULL;
            if ((e = vf_used_new(svc->cfg.used_nonces, &svc->used)) != MM_OK) {
                errorf(err, e, "cannot make the used-nonce set (%zu nonces): %s", svc->cfg.used_nonces, mm_strerror(e));
            }
        }
    }
    if (e == MM_OK) {
        uint8_t secret[VF_SECRET_LEN];
        vf_store_secret(svc->store, secret);
        e = vf_nonce_key(svc->crypto, secret, &svc->nonce_key);
        mm_wipe(secret, sizeof secret);
        if (e != MM_OK) {
            errorf(err, e, "the nonce key: %s", mm_strerror(e));
        }
    }
    if (e != MM_OK) {
        vf_service_close(svc);
        return e;
    }
    *out = svc;
    return MM_OK;
}

mm_err vf_service_start(vf_service *svc, vf_error *err)
{
    if (svc == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (svc->http != NULL) {
        return errorf(err, MM_ERR_STATE, "the service is running already");
    }
    mm_http_server_opts o;
    memset(&o, 0, sizeof o);
    o.listen = svc->cfg.listen;
    o.max_body = svc->cfg.max_body;
    o.threads = svc->cfg.threads;
    o.tls_cert = svc->cfg.tls_cert;
    o.tls_key = svc->cfg.tls_key;
    mm_err e = mm_http_server_start(&o, vf_api_handle, svc, &svc->http);
    if (e != MM_OK) {
        return errorf(err, e, "%s: cannot listen: %s", svc->cfg.listen,
                      e == MM_ERR_INVALID_ARG ? "not host:port" : "the address is taken, or the TLS files unreadable");
    }
    return MM_OK;
}

uint16_t vf_service_port(const vf_service *svc) { return svc != NULL ? mm_http_server_port(svc->http) : 0; }

mm_bytes vf_service_public_key(const vf_service *svc) { return mm_bytes_make(svc->public_key, svc->public_key_len); }
