/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori HTTP (host): the server the services run on (libmicrohttpd) and the
 * client the tools use (libcurl), plus RFC 9290 concise problem details, the
 * one error format of every mamori service.
 *
 * Server model
 * ------------
 * A service registers one handler. Each request arrives whole (its body
 * collected up to a cap; larger ones are answered 413 before the handler
 * sees them). The handler answers at once, or later: it keeps the pending
 * handle and calls mm_http_finish() from any thread, and the connection is
 * suspended meanwhile (no thread waits), which is how a batching sequencer
 * answers many clients at once. Servers bind 127.0.0.1 unless told
 * otherwise; port 0 picks a free port (mm_http_server_port() tells which).
 * HTTPS when given a certificate and key (PEM files).
 *
 * Ownership: response bodies are malloc'ed by the handler and freed by the
 * server after sending. Request views live until the handler returns (for a
 * deferred answer: until mm_http_finish()).
 */
#ifndef MAMORI_HTTP_H
#define MAMORI_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Media type of RFC 9290 concise problem details. */
#define MM_HTTP_PROBLEM_TYPE "application/concise-problem-details+cbor"

typedef struct mm_http_server mm_http_server;
typedef struct mm_http_pending mm_http_pending;

typedef struct mm_http_request {
    const char *method;       /* "GET", "POST", ... */
    const char *path;         /* the URL path, without the query */
    const char *content_type; /* NULL if absent */
    const char *accept;       /* NULL if absent */
    mm_bytes body;
} mm_http_request;

typedef struct mm_http_response {
    unsigned status;
    const char *content_type; /* a static string, or NULL */
    uint8_t *body;            /* malloc'ed; the server frees it (NULL for none) */
    size_t len;
    char location[512];   /* Location header, when not empty */
    unsigned retry_after; /* Retry-After seconds, when not 0 */
} mm_http_response;

/* What a handler returns. */
typedef enum mm_http_answer {
    MM_HTTP_NOW = 0,   /* the response is in resp */
    MM_HTTP_LATER = 1, /* mm_http_finish(later, ...) will be called */
} mm_http_answer;

/* Handles one request. resp is zeroed on entry. To answer later, return
 * MM_HTTP_LATER and pass `later` to mm_http_finish() exactly once. */
typedef mm_http_answer (*mm_http_handler)(void *user, const mm_http_request *req, mm_http_response *resp,
                                          mm_http_pending *later);

typedef struct mm_http_server_opts {
    const char *listen;   /* "host:port" or "[v6]:port"; NULL: "127.0.0.1:0" */
    size_t max_body;      /* request body cap in bytes; 0: 1 MiB */
    unsigned threads;     /* worker threads; 0: 2 */
    const char *tls_cert; /* PEM certificate (chain) file: HTTPS */
    const char *tls_key;  /* PEM private key file */
    unsigned timeout_s;   /* idle connection timeout; 0: 30 */
} mm_http_server_opts;

/* Starts serving in background threads. Errors: MM_ERR_INVALID_ARG (bad
 * listen address), MM_ERR_PLATFORM (cannot bind, TLS files unreadable). */
MM_NODISCARD mm_err mm_http_server_start(const mm_http_server_opts *opts, mm_http_handler handler, void *user,
                                         mm_http_server **out);

/* The port the server listens on. */
uint16_t mm_http_server_port(const mm_http_server *srv);

/* Stops accepting, ends connections and frees the server. Deferred answers
 * not finished by then are dropped with their connections. */
void mm_http_server_stop(mm_http_server *srv);

/* The services' default number of worker threads: four per online CPU, at
 * least four, at most max. libmicrohttpd gives each connection to one
 * worker for its life, so with one worker per CPU a few kept-alive clients
 * can all land on one worker and leave the other CPUs idle (seen: 7 of 8
 * connections on one of two workers); with more workers than CPUs the
 * kernel spreads the busy ones over the CPUs. */
unsigned mm_http_default_threads(unsigned max);

/* Answers a deferred request (from any thread); takes resp's body. */
void mm_http_finish(mm_http_pending *later, mm_http_response *resp);

/* Fills resp with an RFC 9290 problem: {title: -1, detail: -2,
 * response-code: -4}, the media type above. detail may be NULL. */
void mm_http_problem(mm_http_response *resp, unsigned status, const char *title, const char *detail);

/* Fills resp with a copy of body (malloc'ed). On allocation failure answers
 * 500. */
void mm_http_body(mm_http_response *resp, unsigned status, const char *content_type, mm_bytes body);

/* A problem document decoded: views into its bytes. */
typedef struct mm_http_problem_doc {
    mm_bytes title;
    mm_bytes detail;
    int64_t status; /* response-code, 0 if absent */
} mm_http_problem_doc;

/* Decodes RFC 9290 concise problem details (unknown entries ignored). */
MM_NODISCARD mm_err mm_http_problem_decode(mm_bytes in, mm_http_problem_doc *out);

/*
 * Client.
 */
typedef struct mm_http_reply {
    long status;
    char content_type[128];
    char location[1024];
    long retry_after; /* -1 if absent */
    uint8_t *body;    /* malloc'ed; mm_http_reply_free() */
    size_t len;
} mm_http_reply;

typedef struct mm_http_call_opts {
    const char *content_type; /* of the request body, or NULL */
    const char *accept;       /* or NULL */
    unsigned timeout_ms;      /* 0: 30 s */
    size_t max_reply;         /* reply body cap; 0: 16 MiB */
    const char *ca_file;      /* PEM trust anchors for HTTPS (NULL: system) */
} mm_http_call_opts;

/* Performs one request (no redirects followed: the caller sees 302/303 and
 * Location). Errors: MM_ERR_PLATFORM (connection, TLS, timeout),
 * MM_ERR_TOO_LARGE (reply over the cap). */
MM_NODISCARD mm_err mm_http_call(const char *method, const char *url, mm_bytes body, const mm_http_call_opts *opts,
                                 mm_http_reply *out);

void mm_http_reply_free(mm_http_reply *r);

/* A client that keeps its connection open between calls (HTTP keep-alive,
 * TLS session reuse): for many requests to one server, as a registering
 * tool or a benchmark makes them. One thread at a time per client; give
 * each thread its own. */
typedef struct mm_http_client mm_http_client;

/* Makes a client. Errors: MM_ERR_PLATFORM (libcurl cannot start). */
MM_NODISCARD mm_err mm_http_client_new(mm_http_client **out);

/* As mm_http_call(), on the client's connection (opened, or reopened when
 * the server closed it, as needed). */
MM_NODISCARD mm_err mm_http_client_call(mm_http_client *cli, const char *method, const char *url, mm_bytes body,
                                        const mm_http_call_opts *opts, mm_http_reply *out);

/* Closes the connection and frees the client (NULL is ignored). */
void mm_http_client_free(mm_http_client *cli);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_HTTP_H */
