/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP edge of the Transparency Service: the SCRAPI resources
 * (draft-ietf-scitt-scrapi section 2) and a few of mamori's own, mapped to
 * the service. Errors are RFC 9290 concise problem details (SCRAPI section
 * 2: title and detail). Everything here runs in the HTTP worker threads;
 * a registration is verified here and then handed to the sequencer.
 *
 *   POST /entries                       register (2.3): 201 + receipt, or 303
 *   GET  /entries/{id}                  status and receipt (2.4, 2.5): 302 or 200
 *   GET  /entries/{id}/statement        the registered entry
 *   GET  /.well-known/scitt-keys        the COSE_KeySet (2.1)
 *   GET  /.well-known/scitt-keys/{kid}  one COSE_Key, kid in base64url (2.2)
 *   GET  /tree-heads/latest, /{size}    a signed tree head (root attached)
 *   GET  /consistency/{from}/{to}       a consistency receipt
 *   GET  /health                        liveness and the tree size (JSON)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ts_internal.h"

#define MEDIA_COSE "application/cose"
#define MEDIA_CBOR "application/cbor"

/* Longest text of an id or size in a path. */
#define SEGMENT_MAX 80

static mm_http_answer problem(mm_http_response *resp, unsigned status, const char *title, const char *detail)
{
    mm_http_problem(resp, status, title, detail);
    return MM_HTTP_NOW;
}

static mm_http_answer malformed(mm_http_response *resp, const char *detail)
{
    return problem(resp, 400, "Malformed request", detail);
}

static mm_http_answer not_allowed(mm_http_response *resp, const char *method, const char *allowed)
{
    char detail[128];
    snprintf(detail, sizeof detail, "%s is not allowed here (%s is)", method, allowed);
    return problem(resp, 405, "Method Not Allowed", detail);
}

/* The media type without parameters, compared without case. */
static bool media_is(const char *have, const char *want)
{
    size_t n = strlen(want);
    return have != NULL && strncasecmp(have, want, n) == 0 && (have[n] == '\0' || have[n] == ';' || have[n] == ' ');
}

static bool starts_with(const char *s, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(s, prefix, n) != 0) {
        return false;
    }
    *rest = s + n;
    return true;
}

/* A decimal size of at most 19 digits. */
static bool parse_size(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 19) {
        return false;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* An entry id: the leaf hash in 64 hex digits. */
static bool parse_id(const char *s, size_t len, uint8_t leaf[MM_MERKLE_HASH_LEN])
{
    if (len != (size_t)2 * MM_MERKLE_HASH_LEN) {
        return false;
    }
    mm_buf out = mm_buf_make(leaf, MM_MERKLE_HASH_LEN);
    return mm_hex_decode(mm_bytes_make(s, len), 0, &out, NULL) == MM_OK && out.len == MM_MERKLE_HASH_LEN;
}

/* A body the response owns, or 500. */
static mm_http_answer give(mm_http_response *resp, unsigned status, const char *type, uint8_t *body, size_t len)
{
    resp->status = status;
    resp->content_type = type;
    resp->body = body;
    resp->len = len;
    return MM_HTTP_NOW;
}

/*
 * POST /entries (SCRAPI 2.3).
 */
static mm_http_answer register_statement(ts_service *svc, const mm_http_request *req, mm_http_response *resp,
                                         mm_http_pending *later)
{
    if (!media_is(req->content_type, MEDIA_COSE) && !media_is(req->content_type, "application/scitt-statement+cose")) {
        return problem(resp, 415, "Unsupported Media Type",
                       "a signed statement is sent as Content-Type: application/cose (a COSE_Sign1)");
    }
    if (req->body.len == 0) {
        return malformed(resp, "the request has no signed statement");
    }
    ts_refusal why;
    mm_scitt_leaf leaf;
    if (ts_policy_check(&svc->trust, req->body, &leaf, &why) != MM_OK) {
        return problem(resp, why.status, why.title, why.detail);
    }
    /* The entry: the statement with its unprotected header emptied
     * (architecture section 6.3); never longer than the statement and a
     * tag. */
    size_t cap = req->body.len + 16;
    uint8_t *entry = malloc(cap);
    if (entry == NULL) {
        return problem(resp, 503, "Service Unavailable", "out of memory");
    }
    mm_buf b = mm_buf_make(entry, cap);
    mm_err e = mm_scitt_entry_encode(req->body, &b);
    if (e != MM_OK) {
        free(entry);
        return malformed(resp, "the statement's entry cannot be made");
    }
    char id[2 * MM_MERKLE_HASH_LEN + 1];
    ts_entry_id(leaf.leaf_hash, id);
    switch (ts_seq_submit(svc->seq, later, leaf.leaf_hash, entry, b.len)) {
    case TS_QUEUED:
        return MM_HTTP_LATER;
    case TS_IN_FLIGHT:
        free(entry);
        resp->status = 303;
        resp->retry_after = 1;
        snprintf(resp->location, sizeof resp->location, "/entries/%s", id);
        return MM_HTTP_NOW;
    case TS_BUSY:
        free(entry);
        ts_log(&svc->cfg, "registration refused: %zu registrations wait already", svc->cfg.queue_max);
        problem(resp, 503, "Service Unavailable", "too many registrations are waiting: try again shortly");
        resp->retry_after = 1;
        return MM_HTTP_NOW;
    default:
        free(entry);
        problem(resp, 503, "Service Unavailable", "the service is stopping");
        resp->retry_after = 1;
        return MM_HTTP_NOW;
    }
}

/*
 * GET /entries/{id} (SCRAPI 2.4, 2.5) and /entries/{id}/statement.
 */
static mm_http_answer get_entry(ts_service *svc, const char *rest, mm_http_response *resp)
{
    const char *slash = strchr(rest, '/');
    size_t id_len = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
    bool statement = slash != NULL && strcmp(slash, "/statement") == 0;
    uint8_t leaf[MM_MERKLE_HASH_LEN];
    if ((slash != NULL && !statement) || !parse_id(rest, id_len, leaf)) {
        return problem(resp, 400, "Invalid locator",
                       "an entry is named by its id: the 64 hexadecimal digits of its leaf hash");
    }
    char id[2 * MM_MERKLE_HASH_LEN + 1];
    ts_entry_id(leaf, id);
    /* In flight first: an entry leaves the flight only once it is stored,
     * so looking the other way round could miss it in between. */
    if (ts_seq_in_flight(svc->seq, leaf)) {
        resp->status = 302; /* SCRAPI 2.4.1: registration is running */
        resp->retry_after = 1;
        snprintf(resp->location, sizeof resp->location, "/entries/%s", id);
        return MM_HTTP_NOW;
    }
    uint64_t seq = 0;
    const ts_store *st = &svc->store;
    mm_err e = st->ops->find_entry(st->user, leaf, &seq);
    ts_head *h = e == MM_OK ? ts_head_get(svc) : NULL;
    if (e == MM_OK && (h == NULL || seq >= h->th.size)) {
        /* Stored, its tree head not yet published: moments away. */
        ts_head_put(svc, h);
        resp->status = 302;
        resp->retry_after = 1;
        snprintf(resp->location, sizeof resp->location, "/entries/%s", id);
        return MM_HTTP_NOW;
    }
    if (e == MM_ERR_MISSING_FIELD) {
        char detail[160];
        snprintf(detail, sizeof detail, "Receipt with entry ID %s not known to this Transparency Service", id);
        return problem(resp, 404, "Not Found", detail);
    }
    uint8_t *body = NULL;
    size_t len = 0;
    if (e == MM_OK && statement) {
        e = st->ops->read_entry(st->user, seq, NULL, &body, &len);
    } else if (e == MM_OK) {
        /* A fresh receipt: at the newest signed tree head (SCRAPI 2.3.1:
         * "Fresh Receipts may be requested through the resource identified
         * in the Location header"). */
        e = ts_receipt_for(svc, h, seq, &body, &len);
    }
    ts_head_put(svc, h);
    if (e != MM_OK) {
        ts_log(&svc->cfg, "entry %s: %s", id, mm_strerror(e));
        return problem(resp, 500, "Internal Server Error", "the entry cannot be read");
    }
    snprintf(resp->location, sizeof resp->location, "/entries/%s", id);
    return give(resp, 200, MEDIA_COSE, body, len);
}

/*
 * Keys (SCRAPI 2.1, 2.2).
 */
static mm_http_answer get_keys(ts_service *svc, const char *rest, mm_http_response *resp)
{
    mm_bytes key = ts_service_cose_key(svc);
    if (rest == NULL) {
        uint8_t *set = malloc(key.len + 1);
        if (set == NULL) {
            return problem(resp, 503, "Service Unavailable", "out of memory");
        }
        set[0] = 0x81; /* a COSE_KeySet of one key */
        memcpy(set + 1, key.ptr, key.len);
        return give(resp, 200, MEDIA_CBOR, set, key.len + 1);
    }
    /* The kid (an RFC 9679 thumbprint, not URL-safe) in base64url. */
    uint8_t kid[TS_KID_MAX];
    mm_buf out = mm_buf_make(kid, sizeof kid);
    size_t n = strlen(rest);
    if (n == 0 || n > SEGMENT_MAX || mm_base64_decode(mm_bytes_make(rest, n), MM_B64URL, 0, &out, NULL) != MM_OK ||
        !mm_bytes_equal(mm_bytes_make(kid, out.len), mm_bytes_make(svc->signer.kid, sizeof svc->signer.kid))) {
        return problem(resp, 404, "No such key", "No key could be found for this kid value");
    }
    mm_http_body(resp, 200, MEDIA_CBOR, key);
    return MM_HTTP_NOW;
}

/* A tree head at size (TS_LATEST: the newest), or a problem. */
static mm_err head_at(ts_service *svc, uint64_t size, ts_tree_head *th)
{
    ts_head *h = ts_head_get(svc);
    mm_err e = MM_ERR_MISSING_FIELD;
    if (h != NULL && (size == TS_LATEST || size == h->th.size)) {
        e = ts_tree_head_copy(th, &h->th);
    } else if (h != NULL && size < h->th.size) {
        e = svc->store.ops->read_tree_head(svc->store.user, size, th);
    }
    ts_head_put(svc, h);
    return e;
}

static mm_http_answer no_head(mm_http_response *resp, uint64_t size)
{
    char detail[128];
    snprintf(detail, sizeof detail, "no tree head was signed at size %llu", (unsigned long long)size);
    return problem(resp, 404, "Not Found", size == TS_LATEST ? "the log is empty: no tree head yet" : detail);
}

static mm_http_answer get_tree_head(ts_service *svc, const char *rest, mm_http_response *resp)
{
    uint64_t size = TS_LATEST;
    if (strcmp(rest, "latest") != 0 && !parse_size(rest, strlen(rest), &size)) {
        return problem(resp, 400, "Invalid locator", "a tree head is named by its size, or 'latest'");
    }
    ts_tree_head th;
    mm_err e = head_at(svc, size, &th);
    if (e == MM_ERR_MISSING_FIELD) {
        return no_head(resp, size);
    }
    size_t cap = e == MM_OK ? ts_receipt_cap(&th) : 0;
    uint8_t *body = e == MM_OK ? malloc(cap) : NULL;
    mm_buf b = mm_buf_make(body, cap);
    if (body == NULL || ts_tree_head_encode(&th, &b) != MM_OK) {
        free(body);
        ts_tree_head_free(&th);
        return problem(resp, 500, "Internal Server Error", "the tree head cannot be read");
    }
    /* The size of what is served, since the signature covers only the
     * root. */
    snprintf(resp->location, sizeof resp->location, "/tree-heads/%llu", (unsigned long long)th.size);
    ts_tree_head_free(&th);
    return give(resp, 200, MEDIA_COSE, body, b.len);
}

static mm_http_answer get_consistency(ts_service *svc, const char *rest, mm_http_response *resp)
{
    const char *slash = strchr(rest, '/');
    uint64_t from = 0;
    uint64_t to = 0;
    if (slash == NULL || !parse_size(rest, (size_t)(slash - rest), &from) ||
        !parse_size(slash + 1, strlen(slash + 1), &to)) {
        return problem(resp, 400, "Invalid locator", "a consistency proof is named /consistency/{from}/{to}");
    }
    if (from == 0 || from > to) {
        return problem(resp, 400, "Invalid locator",
                       "consistency needs 0 < from <= to (the empty tree is a prefix of every tree)");
    }
    ts_tree_head th;
    mm_err e = head_at(svc, to, &th);
    if (e == MM_ERR_MISSING_FIELD) {
        return no_head(resp, to);
    }
    /* Only the newer root is signed: the older one is the client's. */
    ts_tree_head older;
    memset(&older, 0, sizeof older);
    older.size = from;
    mm_merkle_tree t;
    ts_tree_reader(&svc->tree, e == MM_OK ? th.size : 0, &t);
    if (e == MM_OK) {
        e = mm_merkle_tree_root(&t, from, older.root);
    }
    size_t cap = e == MM_OK ? ts_receipt_cap(&th) : 0;
    uint8_t *body = e == MM_OK ? malloc(cap) : NULL;
    mm_buf b = mm_buf_make(body, cap);
    if (body == NULL || ts_receipt_consistency(&t, &older, &th, &b) != MM_OK) {
        free(body);
        ts_tree_head_free(&th);
        return problem(resp, 500, "Internal Server Error", "the consistency proof cannot be made");
    }
    ts_tree_head_free(&th);
    return give(resp, 200, MEDIA_COSE, body, b.len);
}

static mm_http_answer get_health(ts_service *svc, mm_http_response *resp)
{
    char json[160];
    int n = snprintf(json, sizeof json, "{\"status\":\"ok\",\"tree_size\":%llu,\"in_flight\":%zu}\n",
                     (unsigned long long)ts_service_size(svc), ts_seq_waiting(svc->seq));
    mm_http_body(resp, 200, "application/json", mm_bytes_make(json, (size_t)n));
    return MM_HTTP_NOW;
}

mm_http_answer ts_api_handle(void *user, const mm_http_request *req, mm_http_response *resp, mm_http_pending *later)
{
    ts_service *svc = user;
    const char *path = req->path;
    const char *rest = NULL;
    bool get = strcmp(req->method, "GET") == 0;
    if (strlen(path) > 256) {
        return problem(resp, 404, "Not Found", "no such resource");
    }
    if (strcmp(path, "/entries") == 0) {
        return strcmp(req->method, "POST") == 0 ? register_statement(svc, req, resp, later)
                                                : not_allowed(resp, req->method, "POST");
    }
    if (starts_with(path, "/entries/", &rest)) {
        return get ? get_entry(svc, rest, resp) : not_allowed(resp, req->method, "GET");
    }
    if (strcmp(path, "/.well-known/scitt-keys") == 0) {
        return get ? get_keys(svc, NULL, resp) : not_allowed(resp, req->method, "GET");
    }
    if (starts_with(path, "/.well-known/scitt-keys/", &rest)) {
        return get ? get_keys(svc, rest, resp) : not_allowed(resp, req->method, "GET");
    }
    if (starts_with(path, "/tree-heads/", &rest)) {
        return get ? get_tree_head(svc, rest, resp) : not_allowed(resp, req->method, "GET");
    }
    if (starts_with(path, "/consistency/", &rest)) {
        return get ? get_consistency(svc, rest, resp) : not_allowed(resp, req->method, "GET");
    }
    if (strcmp(path, "/health") == 0) {
        return get ? get_health(svc, resp) : not_allowed(resp, req->method, "GET");
    }
    return problem(resp, 404, "Not Found", "no such resource (see docs/ts.md for the API)");
}
