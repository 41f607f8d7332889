/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP server of the services, on libmicrohttpd: bodies collected under
 * a cap, one handler per server, answers now or later (the connection is
 * suspended meanwhile, so no thread waits for a batch to commit).
 */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mamori/http.h"

struct mm_http_server {
    struct MHD_Daemon *daemon;
    mm_http_handler handler;
    void *user;
    size_t max_body;
    uint16_t port;
    char *tls_cert;
    char *tls_key;
};

enum pending_state { COLLECTING, WAITING, READY };

/* The state of one request (libmicrohttpd's per-connection pointer). */
struct mm_http_pending {
    mm_http_server *srv;
    struct MHD_Connection *conn;
    pthread_mutex_t lock;
    enum pending_state state;
    bool too_large;
    uint8_t *body;
    size_t len;
    size_t cap;
    mm_http_response resp;
};

static enum MHD_Result queue(struct MHD_Connection *c, mm_http_response *r)
{
    static char empty[1];
    struct MHD_Response *m = r->body != NULL ? MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE)
                                             : MHD_create_response_from_buffer(0, empty, MHD_RESPMEM_PERSISTENT);
    r->body = NULL; /* libmicrohttpd frees it now */
    if (m == NULL) {
        return MHD_NO;
    }
    if (r->content_type != NULL) {
        MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    }
    if (r->location[0] != '\0') {
        MHD_add_response_header(m, MHD_HTTP_HEADER_LOCATION, r->location);
    }
    if (r->retry_after != 0) {
        char v[16];
        snprintf(v, sizeof v, "%u", r->retry_after);
        MHD_add_response_header(m, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    enum MHD_Result ok = MHD_queue_response(c, r->status != 0 ? r->status : 500, m);
    MHD_destroy_response(m);
    return ok;
}

static void append(mm_http_pending *st, const char *data, size_t n)
{
    if (st->too_large || n > st->srv->max_body - st->len) {
        st->too_large = true;
        return;
    }
    if (st->len + n > st->cap) {
        size_t cap = st->cap == 0 ? 4096 : st->cap;
        while (cap < st->len + n) {
            cap *= 2;
        }
        uint8_t *b = realloc(st->body, cap);
        if (b == NULL) {
            st->too_large = true; /* answered as too large: nothing better to say */
            return;
        }
        st->body = b;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    mm_http_server *srv = cls;
    mm_http_pending *st = *con_cls;
    if (st == NULL) {
        st = calloc(1, sizeof *st);
        if (st == NULL) {
            return MHD_NO;
        }
        st->srv = srv;
        st->conn = c;
        pthread_mutex_init(&st->lock, NULL);
        *con_cls = st;
        return MHD_YES;
    }
    if (st->state == COLLECTING && *upload_data_size != 0) {
        append(st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&st->lock);
    if (st->state == READY) {
        enum MHD_Result r = queue(c, &st->resp);
        pthread_mutex_unlock(&st->lock);
        return r;
    }
    if (st->state == WAITING) {
        pthread_mutex_unlock(&st->lock);
        return MHD_YES; /* resumed before the answer was stored: cannot happen */
    }
    pthread_mutex_unlock(&st->lock);
    if (st->too_large) {
        char detail[96];
        snprintf(detail, sizeof detail, "request body larger than %zu bytes", srv->max_body);
        mm_http_problem(&st->resp, 413, "Payload Too Large", detail);
        return queue(c, &st->resp);
    }
    mm_http_request req;
    req.method = method;
    req.path = url;
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    req.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    req.body = mm_bytes_make(st->body, st->len);
    memset(&st->resp, 0, sizeof st->resp);
    if (srv->handler(srv->user, &req, &st->resp, st) == MM_HTTP_NOW) {
        return queue(c, &st->resp);
    }
    /* Answered later: suspend unless the answer came in the meantime. */
    pthread_mutex_lock(&st->lock);
    enum MHD_Result r = MHD_YES;
    if (st->state == READY) {
        r = queue(c, &st->resp);
    } else {
        st->state = WAITING;
        MHD_suspend_connection(c);
    }
    pthread_mutex_unlock(&st->lock);
    return r;
}

void mm_http_finish(mm_http_pending *later, mm_http_response *resp)
{
    pthread_mutex_lock(&later->lock);
    later->resp = *resp;
    resp->body = NULL;
    bool suspended = later->state == WAITING;
    later->state = READY;
    if (suspended) {
        MHD_resume_connection(later->conn);
    }
    pthread_mutex_unlock(&later->lock);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    mm_http_pending *st = *con_cls;
    if (st == NULL) {
        return;
    }
    free(st->resp.body);
    free(st->body);
    pthread_mutex_destroy(&st->lock);
    free(st);
    *con_cls = NULL;
}

/* "host:port" or "[v6]:port" into a socket address. */
static mm_err parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, bool *v6)
{
    char host[256];
    const char *port;
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (end == NULL || end[1] != ':' || (size_t)(end - listen - 1) >= sizeof host) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(host, listen + 1, (size_t)(end - listen - 1));
        host[end - listen - 1] = '\0';
        port = end + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (colon == NULL || (size_t)(colon - listen) >= sizeof host) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port = colon + 1;
    }
    char *endp = NULL;
    unsigned long p = strtoul(port, &endp, 10);
    if (*port == '\0' || *endp != '\0' || p > 65535) {
        return MM_ERR_INVALID_ARG;
    }
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0 || res == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return MM_OK;
}

static char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16;
    char *buf = malloc(cap + 1);
    size_t n = buf != NULL ? fread(buf, 1, cap, f) : 0;
    bool whole = buf != NULL && feof(f) && !ferror(f);
    fclose(f);
    if (!whole) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

mm_err mm_http_server_start(const mm_http_server_opts *opts, mm_http_handler handler, void *user, mm_http_server **out)
{
    static const mm_http_server_opts defaults = {NULL, 0, 0, NULL, NULL, 0};
    if (handler == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (opts == NULL) {
        opts = &defaults;
    }
    struct sockaddr_storage ss;
    socklen_t ss_len;
    bool v6;
    mm_err e = parse_listen(opts->listen != NULL ? opts->listen : "127.0.0.1:0", &ss, &ss_len, &v6);
    if (e != MM_OK) {
        return e;
    }
    mm_http_server *srv = calloc(1, sizeof *srv);
    if (srv == NULL) {
        return MM_ERR_PLATFORM;
    }
    srv->handler = handler;
    srv->user = user;
    srv->max_body = opts->max_body != 0 ? opts->max_body : (size_t)1 << 20;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    if (v6) {
        flags |= MHD_USE_IPv6;
    }
    if (opts->tls_cert != NULL || opts->tls_key != NULL) {
        srv->tls_cert = opts->tls_cert != NULL ? read_text_file(opts->tls_cert) : NULL;
        srv->tls_key = opts->tls_key != NULL ? read_text_file(opts->tls_key) : NULL;
        if (srv->tls_cert == NULL || srv->tls_key == NULL) {
            mm_http_server_stop(srv);
            return MM_ERR_PLATFORM;
        }
        flags |= MHD_USE_TLS;
    }
    unsigned threads = opts->threads != 0 ? opts->threads : 2;
    unsigned timeout = opts->timeout_s != 0 ? opts->timeout_s : 30;
    if (srv->tls_cert != NULL) {
        srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &ss,
                                       MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                                       MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_HTTPS_MEM_CERT,
                                       srv->tls_cert, MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key, MHD_OPTION_END);
    } else {
        srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, &ss,
                                       MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                                       MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
    }
    (void)ss_len;
    if (srv->daemon == NULL) {
        mm_http_server_stop(srv);
        return MM_ERR_PLATFORM;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info != NULL ? info->port : 0;
    *out = srv;
    return MM_OK;
}

unsigned mm_http_default_threads(unsigned max)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long want = 4 * (cpus < 1 ? 1 : cpus);
    return want > (long)max ? max : (unsigned)want;
}

uint16_t mm_http_server_port(const mm_http_server *srv) { return srv != NULL ? srv->port : 0; }

void mm_http_server_stop(mm_http_server *srv)
{
    if (srv == NULL) {
        return;
    }
    if (srv->daemon != NULL) {
        MHD_stop_daemon(srv->daemon);
    }
    free(srv->tls_cert);
    if (srv->tls_key != NULL) {
        mm_wipe(srv->tls_key, strlen(srv->tls_key));
        free(srv->tls_key);
    }
    free(srv);
}
