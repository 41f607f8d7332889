/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "bench_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench_common.h"

void bench_http_open(bench_http *h, uint16_t port)
{
    memset(h, 0, sizeof *h);
    h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    if (h->fd < 0 || connect(h->fd, (const struct sockaddr *)&a, sizeof a) != 0 ||
        setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
        bench_die("cannot connect to 127.0.0.1:%u: %s", port, strerror(errno));
    }
    snprintf(h->host, sizeof h->host, "127.0.0.1:%u", port);
}

void bench_http_close(bench_http *h)
{
    if (h->fd >= 0) {
        close(h->fd);
    }
    h->fd = -1;
}

static void send_all(bench_http *h, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(h->fd, iov, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            bench_die("cannot send a request: %s", strerror(errno));
        }
        size_t left = (size_t)w;
        while (n > 0 && left >= iov->iov_len) {
            left -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + left;
            iov->iov_len -= left;
        }
    }
}

/* Reads more into the buffer; dies at its end or on a closed connection. */
static void fill(bench_http *h)
{
    if (h->have == sizeof h->buf) {
        bench_die("an answer larger than %d bytes", BENCH_HTTP_BUF);
    }
    ssize_t r;
    do {
        r = read(h->fd, h->buf + h->have, sizeof h->buf - h->have);
    } while (r < 0 && errno == EINTR);
    if (r <= 0) {
        bench_die("the service closed the connection (%s)", r == 0 ? "end of stream" : strerror(errno));
    }
    h->have += (size_t)r;
}

/* The value of header name (with its colon) in head[0..n), trimmed; NULL. */
static const char *header(const char *head, size_t n, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *p = memchr(head, '\n', n); p != NULL && (size_t)(p + 1 - head) < n;
         p = memchr(p + 1, '\n', n - (size_t)(p + 1 - head))) {
        const char *line = p + 1;
        if ((size_t)(head + n - line) > nl && strncasecmp(line, name, nl) == 0) {
            const char *v = line + nl;
            while (*v == ' ' || *v == '\t') {
                v++;
            }
            const char *end = v;
            while (end < head + n && *end != '\r' && *end != '\n') {
                end++;
            }
            *len = (size_t)(end - v);
            return v;
        }
    }
    return NULL;
}

void bench_http_post(bench_http *h, const char *path, const char *content_type, const char *accept, const uint8_t *body,
                     size_t len, bench_http_reply *r)
{
    char head[512];
    int n;
    if (content_type != NULL) {
        n = snprintf(head, sizeof head,
                     "POST %s HTTP/1.1\r\nHost: %s\r\nAccept: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                     path, h->host, accept, content_type, len);
    } else {
        n = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: %s\r\nAccept: %s\r\nContent-Length: %zu\r\n\r\n",
                     path, h->host, accept, len);
    }
    if (n < 0 || (size_t)n >= sizeof head) {
        bench_die("a request head too long");
    }
    struct iovec iov[2] = {{head, (size_t)n}, {(void *)(uintptr_t)body, len}};
    send_all(h, iov, len != 0 ? 2 : 1);

    /* The previous answer was consumed whole: the buffer starts afresh. */
    h->have = 0;
    const char *end = NULL;
    while (end == NULL) {
        fill(h);
        end = memmem(h->buf, h->have, "\r\n\r\n", 4);
    }
    size_t head_len = (size_t)(end + 4 - h->buf);
    if (h->have < 12 || strncmp(h->buf, "HTTP/1.1 ", 9) != 0) {
        bench_die("not an HTTP/1.1 answer");
    }
    r->status = atoi(h->buf + 9);
    size_t vl = 0;
    const char *v = header(h->buf, head_len, "content-length:", &vl);
    if (v == NULL || header(h->buf, head_len, "transfer-encoding:", &vl) != NULL) {
        bench_die("an answer without Content-Length");
    }
    size_t body_len = strtoul(v, NULL, 10);
    if (body_len > sizeof h->buf - head_len) {
        bench_die("an answer larger than %d bytes", BENCH_HTTP_BUF);
    }
    while (h->have < head_len + body_len) {
        fill(h);
    }
    if (h->have != head_len + body_len) {
        bench_die("more bytes than the answer announced");
    }
    r->content_type[0] = '\0';
    const char *ct = header(h->buf, head_len, "content-type:", &vl);
    if (ct != NULL) {
        snprintf(r->content_type, sizeof r->content_type, "%.*s", (int)vl, ct);
    }
    r->body = (const uint8_t *)h->buf + head_len;
    r->len = body_len;
}
