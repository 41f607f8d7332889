/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP client of the tools, on libcurl: one call, or a client that
 * keeps its connection between calls; a capped reply, no redirects followed
 * (SCRAPI's 302/303 are for the caller to act on). */
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mamori/http.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void init_curl(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct sink {
    mm_http_reply *r;
    size_t cap;
    size_t max;
    bool too_large;
} sink;

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    sink *s = user;
    size_t len = size * n;
    if (s->too_large || len > s->max - s->r->len) {
        s->too_large = true;
        return 0; /* stops the transfer */
    }
    if (s->r->len + len > s->cap) {
        size_t cap = s->cap == 0 ? 4096 : s->cap;
        while (cap < s->r->len + len) {
            cap *= 2;
        }
        uint8_t *b = realloc(s->r->body, cap);
        if (b == NULL) {
            return 0;
        }
        s->r->body = b;
        s->cap = cap;
    }
    memcpy(s->r->body + s->r->len, data, len);
    s->r->len += len;
    return len;
}

/* Copies a header's value (trimmed) into out. */
static void header_value(const char *line, size_t n, size_t name_len, char *out, size_t cap)
{
    const char *v = line + name_len;
    size_t len = n - name_len;
    while (len > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        len--;
    }
    while (len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' ')) {
        len--;
    }
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(out, v, len);
    out[len] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *user)
{
    mm_http_reply *r = user;
    size_t len = size * n;
    if (len > 9 && strncasecmp(line, "location:", 9) == 0) {
        header_value(line, len, 9, r->location, sizeof r->location);
    } else if (len > 12 && strncasecmp(line, "retry-after:", 12) == 0) {
        char v[32];
        header_value(line, len, 12, v, sizeof v);
        r->retry_after = strtol(v, NULL, 10);
    } else if (len > 13 && strncasecmp(line, "content-type:", 13) == 0) {
        header_value(line, len, 13, r->content_type, sizeof r->content_type);
    }
    return len;
}

/* A curl easy handle kept between calls: libcurl keeps the connection (and
 * the TLS session) of the handle open, so the next call to the same server
 * skips the TCP and TLS handshakes. */
struct mm_http_client {
    CURL *curl;
};

mm_err mm_http_client_new(mm_http_client **out)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    pthread_once(&curl_once, init_curl);
    mm_http_client *cli = calloc(1, sizeof *cli);
    if (cli == NULL) {
        return MM_ERR_PLATFORM;
    }
    cli->curl = curl_easy_init();
    if (cli->curl == NULL) {
        free(cli);
        return MM_ERR_PLATFORM;
    }
    *out = cli;
    return MM_OK;
}

void mm_http_client_free(mm_http_client *cli)
{
    if (cli != NULL) {
        curl_easy_cleanup(cli->curl);
        free(cli);
    }
}

mm_err mm_http_client_call(mm_http_client *cli, const char *method, const char *url, mm_bytes body,
                           const mm_http_call_opts *opts, mm_http_reply *out)
{
    static const mm_http_call_opts defaults = {NULL, NULL, 0, 0, NULL};
    if (cli == NULL || method == NULL || url == NULL || out == NULL || (body.ptr == NULL && body.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    if (opts == NULL) {
        opts = &defaults;
    }
    memset(out, 0, sizeof *out);
    out->retry_after = -1;
    CURL *c = cli->curl;
    /* Options go back to their defaults; the open connection stays. */
    curl_easy_reset(c);
    struct curl_slist *headers = NULL;
    char h[256];
    if (opts->content_type != NULL) {
        snprintf(h, sizeof h, "Content-Type: %s", opts->content_type);
        headers = curl_slist_append(headers, h);
    }
    if (opts->accept != NULL) {
        snprintf(h, sizeof h, "Accept: %s", opts->accept);
        headers = curl_slist_append(headers, h);
    }
    headers = curl_slist_append(headers, "Expect:"); /* no 100-continue round trip */
    sink s = {out, 0, opts->max_reply != 0 ? opts->max_reply : (size_t)16 << 20, false};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(opts->timeout_ms != 0 ? opts->timeout_ms : 30000));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    /* Small requests and replies: send each at once (no Nagle delay). */
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    if (opts->ca_file != NULL) {
        curl_easy_setopt(c, CURLOPT_CAINFO, opts->ca_file);
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.ptr != NULL ? (const char *)body.ptr : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    /* The handle must not keep pointers into this call's header list. */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (s.too_large) {
        mm_http_reply_free(out);
        return MM_ERR_TOO_LARGE;
    }
    if (rc != CURLE_OK) {
        mm_http_reply_free(out);
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

mm_err mm_http_call(const char *method, const char *url, mm_bytes body, const mm_http_call_opts *opts,
                    mm_http_reply *out)
{
    if (method == NULL || url == NULL || out == NULL || (body.ptr == NULL && body.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_http_client *cli = NULL;
    mm_err e = mm_http_client_new(&cli);
    if (e != MM_OK) {
        return e;
    }
    e = mm_http_client_call(cli, method, url, body, opts, out);
    mm_http_client_free(cli);
    return e;
}

void mm_http_reply_free(mm_http_reply *r)
{
    if (r != NULL) {
        free(r->body);
        r->body = NULL;
        r->len = 0;
    }
}
