/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A lean HTTP/1.1 load generator for the service benchmarks: one kept-alive
 * loopback connection, a blocking socket, one write per request and as few
 * reads as the answer needs. The services' real client (libcurl, behind
 * mm_http_client) costs several times more CPU per call; on a machine whose
 * few cores the clients share with the service under test, that cost would
 * be measured against the service. It understands only what our services
 * answer: a status line, headers and a Content-Length body (no chunked
 * bodies, no redirects). Every failure dies (bench_die).
 */
#ifndef MM_BENCH_HTTP_H
#define MM_BENCH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_HTTP_BUF 8192 /* the largest answer, head included */

typedef struct bench_http {
    int fd;
    char host[64]; /* "127.0.0.1:port", the Host header */
    char buf[BENCH_HTTP_BUF];
    size_t have; /* bytes of the current answer in buf */
} bench_http;

typedef struct bench_http_reply {
    int status;
    char content_type[128];
    const uint8_t *body; /* inside the connection's buffer: valid until its next call */
    size_t len;
} bench_http_reply;

/* Connects to 127.0.0.1:port (TCP_NODELAY). */
void bench_http_open(bench_http *h, uint16_t port);

/* POSTs body (content_type may be NULL) to path with Accept: accept; the
 * answer in *r. */
void bench_http_post(bench_http *h, const char *path, const char *content_type, const char *accept, const uint8_t *body,
                     size_t len, bench_http_reply *r);

void bench_http_close(bench_http *h);

#endif
