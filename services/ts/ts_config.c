/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The service's configuration: defaults, the JSON file (jansson), deep
 * copies. The file's members are checked strictly (type, range, no unknown
 * member), and relative paths in it are taken from the file's folder, so a
 * configuration means the same wherever the service is started.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts_internal.h"

static char *dup_or_null(const char *s) { return s != NULL ? strdup(s) : NULL; }

mm_err ts_config_init(ts_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen = strdup("127.0.0.1:8080");
    cfg->database = strdup("ts.db");
    cfg->issuer = strdup("mamori-ts");
    cfg->batch_size = 1024;
    cfg->max_wait_ms = 0;
    cfg->receipt_wait_ms = TS_RECEIPT_WAIT_DEFAULT_MS;
    cfg->max_body = (size_t)1 << 20;
    cfg->threads = mm_http_default_threads(TS_THREADS_MAX);
    cfg->queue_max = 65536;
    cfg->queue_max_bytes = (size_t)256 << 20;
    cfg->node_cache = (size_t)1 << 18;
    cfg->check = TS_CHECK_ROOT;
    if (cfg->listen == NULL || cfg->database == NULL || cfg->issuer == NULL) {
        ts_config_free(cfg);
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i]);
    }
    free(v);
}

void ts_config_free(ts_config *cfg)
{
    if (cfg == NULL) {
        return;
    }
    free(cfg->listen);
    free(cfg->database);
    free(cfg->key);
    free(cfg->issuer);
    free(cfg->tls_cert);
    free(cfg->tls_key);
    for (size_t i = 0; cfg->issuers != NULL && i < cfg->n_issuers; i++) {
        free(cfg->issuers[i].iss);
        free_strings(cfg->issuers[i].keys, cfg->issuers[i].n_keys);
        free_strings(cfg->issuers[i].roots, cfg->issuers[i].n_roots);
    }
    free(cfg->issuers);
    memset(cfg, 0, sizeof *cfg);
}

static mm_err copy_strings(char ***dst, char *const *src, size_t n)
{
    *dst = NULL;
    if (n == 0) {
        return MM_OK;
    }
    *dst = calloc(n, sizeof **dst);
    for (size_t i = 0; *dst != NULL && i < n; i++) {
        if (((*dst)[i] = strdup(src[i])) == NULL) {
            return MM_ERR_PLATFORM;
        }
    }
    return *dst != NULL ? MM_OK : MM_ERR_PLATFORM;
}

mm_err ts_config_copy(ts_config *dst, const ts_config *src)
{
    *dst = *src;
    dst->listen = dup_or_null(src->listen);
    dst->database = dup_or_null(src->database);
    dst->key = dup_or_null(src->key);
    dst->issuer = dup_or_null(src->issuer);
    dst->tls_cert = dup_or_null(src->tls_cert);
    dst->tls_key = dup_or_null(src->tls_key);
    dst->issuers = NULL;
    dst->n_issuers = 0;
    mm_err e = (src->listen != NULL) == (dst->listen != NULL) && (src->database != NULL) == (dst->database != NULL) &&
                       (src->key != NULL) == (dst->key != NULL) && (src->issuer != NULL) == (dst->issuer != NULL) &&
                       (src->tls_cert != NULL) == (dst->tls_cert != NULL) &&
                       (src->tls_key != NULL) == (dst->tls_key != NULL)
                   ? MM_OK
                   : MM_ERR_PLATFORM;
    if (e == MM_OK && src->n_issuers != 0) {
        dst->issuers = calloc(src->n_issuers, sizeof *dst->issuers);
        e = dst->issuers != NULL ? MM_OK : MM_ERR_PLATFORM;
        dst->n_issuers = dst->issuers != NULL ? src->n_issuers : 0;
    }
    for (size_t i = 0; e == MM_OK && i < src->n_issuers; i++) {
        const ts_issuer_config *s = &src->issuers[i];
        ts_issuer_config *d = &dst->issuers[i];
        d->iss = strdup(s->iss);
        e = d->iss != NULL ? MM_OK : MM_ERR_PLATFORM;
        if (e == MM_OK && (e = copy_strings(&d->keys, s->keys, s->n_keys)) == MM_OK) {
            d->n_keys = s->n_keys;
        }
        if (e == MM_OK && (e = copy_strings(&d->roots, s->roots, s->n_roots)) == MM_OK) {
            d->n_roots = s->n_roots;
        }
    }
    if (e != MM_OK) {
        ts_config_free(dst);
    }
    return e;
}

/*
 * The JSON file.
 */

typedef struct reader {
    const char *file;
    char *dir; /* the file's folder, with a final '/', or "" */
    ts_error *err;
} reader;

static mm_err bad(const reader *r, mm_err e, const char *member, const char *why)
{
    return ts_errorf(r->err, e, "%s: %s: %s", r->file, member, why);
}

/* A path from the file, made relative to the file's folder. */
static mm_err path_of(const reader *r, const char *member, json_t *v, char **out)
{
    if (!json_is_string(v) || json_string_length(v) == 0) {
        return bad(r, MM_ERR_CBOR_TYPE, member, "expected a file name (a non-empty string)");
    }
    const char *s = json_string_value(v);
    size_t n = strlen(r->dir) + strlen(s) + 1;
    char *p = malloc(n);
    if (p == NULL) {
        return MM_ERR_PLATFORM;
    }
    snprintf(p, n, "%s%s", s[0] == '/' ? "" : r->dir, s);
    free(*out);
    *out = p;
    return MM_OK;
}

static mm_err text_of(const reader *r, const char *member, json_t *v, char **out)
{
    if (!json_is_string(v) || json_string_length(v) == 0) {
        return bad(r, MM_ERR_CBOR_TYPE, member, "expected a non-empty string");
    }
    char *s = strdup(json_string_value(v));
    if (s == NULL) {
        return MM_ERR_PLATFORM;
    }
    free(*out);
    *out = s;
    return MM_OK;
}

static mm_err number_of(const reader *r, const char *member, json_t *v, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!json_is_integer(v)) {
        return bad(r, MM_ERR_CBOR_TYPE, member, "expected an integer");
    }
    json_int_t x = json_integer_value(v);
    if (x < 0 || (uint64_t)x < min || (uint64_t)x > max) {
        char why[96];
        snprintf(why, sizeof why, "%lld is outside %llu..%llu", (long long)x, (unsigned long long)min,
                 (unsigned long long)max);
        return bad(r, MM_ERR_CBOR_RANGE, member, why);
    }
    *out = (uint64_t)x;
    return MM_OK;
}

static mm_err paths_of(const reader *r, const char *member, json_t *v, char ***out, size_t *n)
{
    if (!json_is_array(v) || json_array_size(v) > TS_FILES_MAX) {
        return bad(r, MM_ERR_CBOR_TYPE, member, "expected an array of at most 64 file names");
    }
    *out = calloc(json_array_size(v) + 1, sizeof **out);
    if (*out == NULL) {
        return MM_ERR_PLATFORM;
    }
    mm_err e = MM_OK;
    for (size_t i = 0; e == MM_OK && i < json_array_size(v); i++) {
        e = path_of(r, member, json_array_get(v, i), &(*out)[i]);
        *n = e == MM_OK ? i + 1 : *n;
    }
    return e;
}

static mm_err read_issuer(const reader *r, json_t *v, ts_issuer_config *is)
{
    if (!json_is_object(v)) {
        return bad(r, MM_ERR_CBOR_TYPE, "trust", "each entry must be an object {iss, keys, x509_roots}");
    }
    mm_err e = MM_OK;
    const char *k;
    json_t *m;
    json_object_foreach(v, k, m)
    {
        if (e != MM_OK) {
            break;
        }
        if (strcmp(k, "iss") == 0) {
            e = text_of(r, "trust.iss", m, &is->iss);
        } else if (strcmp(k, "keys") == 0) {
            e = paths_of(r, "trust.keys", m, &is->keys, &is->n_keys);
        } else if (strcmp(k, "x509_roots") == 0) {
            e = paths_of(r, "trust.x509_roots", m, &is->roots, &is->n_roots);
        } else {
            char member[128];
            snprintf(member, sizeof member, "trust.%s", k);
            e = bad(r, MM_ERR_UNKNOWN_FIELD, member, "unknown member (iss, keys, x509_roots)");
        }
    }
    if (e == MM_OK && is->iss == NULL) {
        e = bad(r, MM_ERR_MISSING_FIELD, "trust", "an entry has no iss");
    }
    if (e == MM_OK && is->n_keys == 0 && is->n_roots == 0) {
        char why[300];
        snprintf(why, sizeof why, "issuer '%s' has neither keys nor x509_roots", is->iss);
        e = bad(r, MM_ERR_MISSING_FIELD, "trust", why);
    }
    return e;
}

static mm_err read_trust(const reader *r, json_t *v, ts_config *cfg)
{
    if (!json_is_array(v) || json_array_size(v) > TS_ISSUERS_MAX) {
        return bad(r, MM_ERR_CBOR_TYPE, "trust", "expected an array of at most 1024 issuers");
    }
    size_t n = json_array_size(v);
    ts_issuer_config *is = calloc(cfg->n_issuers + n + 1, sizeof *is);
    if (is == NULL) {
        return MM_ERR_PLATFORM;
    }
    if (cfg->n_issuers != 0) {
        memcpy(is, cfg->issuers, cfg->n_issuers * sizeof *is);
    }
    free(cfg->issuers);
    cfg->issuers = is;
    mm_err e = MM_OK;
    for (size_t i = 0; e == MM_OK && i < n; i++) {
        e = read_issuer(r, json_array_get(v, i), &cfg->issuers[cfg->n_issuers]);
        cfg->n_issuers++; /* counted even when half read, so it is freed */
    }
    for (size_t i = 0; e == MM_OK && i < cfg->n_issuers; i++) {
        for (size_t j = i + 1; j < cfg->n_issuers; j++) {
            if (cfg->issuers[i].iss != NULL && cfg->issuers[j].iss != NULL &&
                strcmp(cfg->issuers[i].iss, cfg->issuers[j].iss) == 0) {
                char why[300];
                snprintf(why, sizeof why, "issuer '%s' is listed twice", cfg->issuers[i].iss);
                return bad(r, MM_ERR_CBOR_DUP_KEY, "trust", why);
            }
        }
    }
    return e;
}

static mm_err read_object(const reader *r, const char *name, json_t *v, const char *const *members, size_t n_members,
                          json_t **found)
{
    if (!json_is_object(v)) {
        return bad(r, MM_ERR_CBOR_TYPE, name, "expected an object");
    }
    const char *k;
    json_t *m;
    json_object_foreach(v, k, m)
    {
        size_t i = 0;
        while (i < n_members && strcmp(k, members[i]) != 0) {
            i++;
        }
        if (i == n_members) {
            char member[128];
            snprintf(member, sizeof member, "%s.%s", name, k);
            return bad(r, MM_ERR_UNKNOWN_FIELD, member, "unknown member");
        }
        found[i] = m;
    }
    return MM_OK;
}

static mm_err read_member(const reader *r, const char *k, json_t *m, ts_config *cfg)
{
    uint64_t x = 0;
    mm_err e;
    if (strcmp(k, "listen") == 0) {
        return text_of(r, k, m, &cfg->listen);
    }
    if (strcmp(k, "database") == 0) {
        return path_of(r, k, m, &cfg->database);
    }
    if (strcmp(k, "key") == 0) {
        return path_of(r, k, m, &cfg->key);
    }
    if (strcmp(k, "issuer") == 0) {
        return text_of(r, k, m, &cfg->issuer);
    }
    if (strcmp(k, "tls") == 0) {
        static const char *const members[] = {"cert", "key"};
        json_t *f[2] = {NULL, NULL};
        e = read_object(r, k, m, members, 2, f);
        if (e == MM_OK && (f[0] == NULL) != (f[1] == NULL)) {
            e = bad(r, MM_ERR_MISSING_FIELD, k, "needs both cert and key");
        }
        if (e == MM_OK && f[0] != NULL && (e = path_of(r, "tls.cert", f[0], &cfg->tls_cert)) == MM_OK) {
            e = path_of(r, "tls.key", f[1], &cfg->tls_key);
        }
        return e;
    }
    if (strcmp(k, "batch") == 0) {
        static const char *const members[] = {"size", "max_wait_ms"};
        json_t *f[2] = {NULL, NULL};
        e = read_object(r, k, m, members, 2, f);
        if (e == MM_OK && f[0] != NULL && (e = number_of(r, "batch.size", f[0], 1, TS_BATCH_MAX, &x)) == MM_OK) {
            cfg->batch_size = (size_t)x;
        }
        if (e == MM_OK && f[1] != NULL &&
            (e = number_of(r, "batch.max_wait_ms", f[1], 0, TS_WAIT_MAX_MS, &x)) == MM_OK) {
            cfg->max_wait_ms = (unsigned)x;
        }
        return e;
    }
    if (strcmp(k, "receipt_wait_ms") == 0) {
        e = number_of(r, k, m, 0, TS_WAIT_MAX_MS, &x);
        cfg->receipt_wait_ms = e == MM_OK ? (unsigned)x : cfg->receipt_wait_ms;
        return e;
    }
    if (strcmp(k, "max_body") == 0) {
        e = number_of(r, k, m, 1024, TS_BODY_MAX, &x);
        cfg->max_body = e == MM_OK ? (size_t)x : cfg->max_body;
        return e;
    }
    if (strcmp(k, "threads") == 0) {
        e = number_of(r, k, m, 1, TS_THREADS_MAX, &x);
        cfg->threads = e == MM_OK ? (unsigned)x : cfg->threads;
        return e;
    }
    if (strcmp(k, "queue_max") == 0) {
        e = number_of(r, k, m, 1, TS_QUEUE_MAX, &x);
        cfg->queue_max = e == MM_OK ? (size_t)x : cfg->queue_max;
        return e;
    }
    if (strcmp(k, "queue_max_bytes") == 0) {
        e = number_of(r, k, m, 1 << 20, TS_QUEUE_BYTES_MAX, &x);
        cfg->queue_max_bytes = e == MM_OK ? (size_t)x : cfg->queue_max_bytes;
        return e;
    }
    if (strcmp(k, "node_cache") == 0) {
        e = number_of(r, k, m, 0, TS_CACHE_MAX, &x);
        cfg->node_cache = e == MM_OK ? (size_t)x : cfg->node_cache;
        return e;
    }
    if (strcmp(k, "startup_check") == 0) {
        const char *s = json_is_string(m) ? json_string_value(m) : "";
        if (strcmp(s, "root") != 0 && strcmp(s, "full") != 0) {
            return bad(r, MM_ERR_CBOR_TYPE, k, "expected \"root\" or \"full\"");
        }
        cfg->check = strcmp(s, "full") == 0 ? TS_CHECK_FULL : TS_CHECK_ROOT;
        return MM_OK;
    }
    if (strcmp(k, "trust") == 0) {
        return read_trust(r, m, cfg);
    }
    return bad(r, MM_ERR_UNKNOWN_FIELD, k, "unknown member (see docs/ts.md)");
}

mm_err ts_config_load(const char *path, ts_config *cfg, ts_error *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            return ts_errorf(err, MM_ERR_PLATFORM, "%s: cannot open", path);
        }
        fclose(f);
        return ts_errorf(err, MM_ERR_SYNTAX, "%s: line %d: %s", path, je.line, je.text);
    }
    reader r = {path, NULL, err};
    const char *slash = strrchr(path, '/');
    size_t dlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
    r.dir = malloc(dlen + 1);
    mm_err e = r.dir != NULL ? MM_OK : MM_ERR_PLATFORM;
    if (e == MM_OK) {
        memcpy(r.dir, path, dlen);
        r.dir[dlen] = '\0';
    }
    if (e == MM_OK && !json_is_object(root)) {
        e = ts_errorf(err, MM_ERR_CBOR_TYPE, "%s: expected a JSON object", path);
    }
    const char *k;
    json_t *m;
    if (e == MM_OK) {
        json_object_foreach(root, k, m)
        {
            if ((e = read_member(&r, k, m, cfg)) != MM_OK) {
                break;
            }
        }
    }
    if (e == MM_OK && cfg->key == NULL) {
        e = ts_errorf(err, MM_ERR_MISSING_FIELD, "%s: key: the service's signing key file is required", path);
    }
    free(r.dir);
    json_decref(root);
    return e;
}

void ts_log(const ts_config *cfg, const char *fmt, ...)
{
    if (cfg->log == NULL) {
        return;
    }
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    cfg->log(cfg->log_user, line);
}
