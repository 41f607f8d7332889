/* SPDX-License-Identifier: Apache-2.0 */
/* The HTTP server and client on 127.0.0.1 (free ports): bodies and caps,
 * deferred answers from another thread, concurrent clients, problem details,
 * HTTPS with a certificate made here; a client that keeps its connection;
 * and the SQLite opener. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mamori/crypto_openssl.h"
#include "mamori/http.h"
#include "mamori/sqlite_store.h"
#include "mm_test.h"
#include "mm_test_x509.h"

/* Deferred requests, answered by a worker thread in batches. */
typedef struct batcher {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    mm_http_pending *queue[64];
    size_t n;
    bool stop;
    pthread_t thread;
} batcher;

static void *batch_worker(void *arg)
{
    batcher *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stop || b->n != 0) {
        if (b->n == 0) {
            pthread_cond_wait(&b->cond, &b->lock);
            continue;
        }
        size_t n = b->n;
        mm_http_pending *q[64];
        memcpy(q, b->queue, n * sizeof q[0]);
        b->n = 0;
        pthread_mutex_unlock(&b->lock);
        usleep(2000); /* the "commit" */
        for (size_t i = 0; i < n; i++) {
            mm_http_response r;
            memset(&r, 0, sizeof r);
            mm_http_body(&r, 201, "text/plain", MM_BYTES_LIT("committed"));
            mm_http_finish(q[i], &r);
        }
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

static mm_http_answer handler(void *user, const mm_http_request *req, mm_http_response *resp, mm_http_pending *later)
{
    batcher *b = user;
    if (strcmp(req->path, "/echo") == 0 && strcmp(req->method, "POST") == 0) {
        mm_http_body(resp, 200, req->content_type, req->body);
        return MM_HTTP_NOW;
    }
    if (strcmp(req->path, "/later") == 0) {
        pthread_mutex_lock(&b->lock);
        if (b->n == 64) {
            pthread_mutex_unlock(&b->lock);
            mm_http_problem(resp, 503, "Busy", NULL);
            return MM_HTTP_NOW;
        }
        b->queue[b->n++] = later;
        pthread_cond_signal(&b->cond);
        pthread_mutex_unlock(&b->lock);
        return MM_HTTP_LATER;
    }
    if (strcmp(req->path, "/moved") == 0) {
        resp->status = 303;
        snprintf(resp->location, sizeof resp->location, "/entries/abc");
        resp->retry_after = 2;
        return MM_HTTP_NOW;
    }
    mm_http_problem(resp, 404, "Not Found", req->path);
    return MM_HTTP_NOW;
}

static void start(batcher *b, const mm_http_server_opts *o, mm_http_server **srv)
{
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->cond, NULL);
    assert_int_equal(pthread_create(&b->thread, NULL, batch_worker, b), 0);
    assert_int_equal(mm_http_server_start(o, handler, b, srv), MM_OK);
    assert_true(mm_http_server_port(*srv) != 0);
}

static void stop(batcher *b, mm_http_server *srv)
{
    /* The code that finishes deferred answers stops first. */
    pthread_mutex_lock(&b->lock);
    b->stop = true;
    pthread_cond_signal(&b->cond);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->thread, NULL);
    mm_http_server_stop(srv);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->cond);
}

static char base_url[64];

static void test_basics(void **state)
{
    (void)state;
    batcher b;
    mm_http_server *srv;
    mm_http_server_opts o = {NULL, 1024, 2, NULL, NULL, 10};
    start(&b, &o, &srv);
    snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u", mm_http_server_port(srv));
    char url[128];
    mm_http_reply r;
    mm_http_call_opts co = {"application/cbor", NULL, 5000, 0, NULL};

    snprintf(url, sizeof url, "%s/echo", base_url);
    assert_int_equal(mm_http_call("POST", url, MM_BYTES_LIT("\xa0"), &co, &r), MM_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "application/cbor");
    assert_true(mm_bytes_equal(mm_bytes_make(r.body, r.len), MM_BYTES_LIT("\xa0")));
    mm_http_reply_free(&r);

    /* Over the body cap: 413 with problem details, before the handler. */
    static uint8_t big[4096];
    assert_int_equal(mm_http_call("POST", url, mm_bytes_make(big, sizeof big), &co, &r), MM_OK);
    assert_int_equal(r.status, 413);
    assert_string_equal(r.content_type, MM_HTTP_PROBLEM_TYPE);
    mm_http_problem_doc p;
    assert_int_equal(mm_http_problem_decode(mm_bytes_make(r.body, r.len), &p), MM_OK);
    assert_int_equal(p.status, 413);
    assert_true(mm_bytes_equal(p.title, MM_BYTES_LIT("Payload Too Large")));
    mm_http_reply_free(&r);

    /* Location and Retry-After, not followed. */
    snprintf(url, sizeof url, "%s/moved", base_url);
    assert_int_equal(mm_http_call("GET", url, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
    assert_int_equal(r.status, 303);
    assert_string_equal(r.location, "/entries/abc");
    assert_int_equal(r.retry_after, 2);
    mm_http_reply_free(&r);

    snprintf(url, sizeof url, "%s/nothing", base_url);
    assert_int_equal(mm_http_call("GET", url, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
    assert_int_equal(r.status, 404);
    mm_http_reply_free(&r);

    /* A reply over the client's cap. */
    snprintf(url, sizeof url, "%s/echo", base_url);
    co.max_reply = 10;
    assert_int_equal(mm_http_call("POST", url, mm_bytes_make(big, 100), &co, &r), MM_ERR_TOO_LARGE);
    stop(&b, srv);

    /* Nobody listens any more. */
    assert_int_equal(mm_http_call("GET", url, mm_bytes_make(NULL, 0), NULL, &r), MM_ERR_PLATFORM);
    /* Bad listen addresses. */
    mm_http_server_opts bad = {"127.0.0.1", 0, 0, NULL, NULL, 0};
    assert_int_equal(mm_http_server_start(&bad, handler, NULL, &srv), MM_ERR_INVALID_ARG);
    bad.listen = "[::1:0";
    assert_int_equal(mm_http_server_start(&bad, handler, NULL, &srv), MM_ERR_INVALID_ARG);
}

typedef struct client_arg {
    const char *url;
    int ok;
} client_arg;

static void *client(void *arg)
{
    client_arg *a = arg;
    for (int i = 0; i < 20; i++) {
        mm_http_reply r;
        if (mm_http_call("POST", a->url, MM_BYTES_LIT("x"), NULL, &r) == MM_OK && r.status == 201 &&
            mm_bytes_equal(mm_bytes_make(r.body, r.len), MM_BYTES_LIT("committed"))) {
            a->ok++;
        }
        mm_http_reply_free(&r);
    }
    return NULL;
}

static void test_deferred_concurrent(void **state)
{
    (void)state;
    batcher b;
    mm_http_server *srv;
    start(&b, NULL, &srv);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/later", mm_http_server_port(srv));
    /* More clients than server threads: answers come from the batcher. */
    pthread_t t[16];
    client_arg a[16];
    for (int i = 0; i < 16; i++) {
        a[i].url = url;
        a[i].ok = 0;
        assert_int_equal(pthread_create(&t[i], NULL, client, &a[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < 16; i++) {
        pthread_join(t[i], NULL);
        ok += a[i].ok;
    }
    assert_int_equal(ok, 16 * 20);
    stop(&b, srv);
}

static void test_https(void **state)
{
    (void)state;
    const mm_crypto *c = mm_crypto_openssl();
    mm_key k;
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, 0, MM_KEY_EXTRACTABLE, &k), MM_OK);
    X509 *cert = mm_test_make_server_cert(k.handle, "IP:127.0.0.1");
    char dir[] = "/tmp/mm-https-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cert_path[128], key_path[128];
    snprintf(cert_path, sizeof cert_path, "%s/cert.pem", dir);
    snprintf(key_path, sizeof key_path, "%s/key.pem", dir);
    FILE *f = fopen(cert_path, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_X509(f, cert), 1);
    fclose(f);
    uint8_t pem[2048];
    mm_buf out = mm_buf_make(pem, sizeof pem);
    assert_int_equal(mm_openssl_export_private_key(&k, MM_OPENSSL_PEM, &out), MM_OK);
    f = fopen(key_path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(pem, 1, out.len, f), out.len);
    fclose(f);
    batcher b;
    mm_http_server *srv;
    mm_http_server_opts o = {NULL, 0, 2, cert_path, key_path, 10};
    start(&b, &o, &srv);
    char url[128];
    mm_http_reply r;
    mm_http_call_opts co = {"text/plain", NULL, 5000, 0, cert_path};
    snprintf(url, sizeof url, "https://127.0.0.1:%u/echo", mm_http_server_port(srv));
    assert_int_equal(mm_http_call("POST", url, MM_BYTES_LIT("hello"), &co, &r), MM_OK);
    assert_int_equal(r.status, 200);
    assert_true(mm_bytes_equal(mm_bytes_make(r.body, r.len), MM_BYTES_LIT("hello")));
    mm_http_reply_free(&r);
    /* The certificate names 127.0.0.1 only: "localhost" is refused, and so
     * is the server without the certificate as trust anchor: TLS checks on. */
    snprintf(url, sizeof url, "https://localhost:%u/echo", mm_http_server_port(srv));
    assert_int_equal(mm_http_call("POST", url, MM_BYTES_LIT("hello"), &co, &r), MM_ERR_PLATFORM);
    snprintf(url, sizeof url, "https://127.0.0.1:%u/echo", mm_http_server_port(srv));
    co.ca_file = NULL;
    assert_int_equal(mm_http_call("POST", url, MM_BYTES_LIT("hello"), &co, &r), MM_ERR_PLATFORM);
    mm_err e;
    /* Plain HTTP to an HTTPS server fails. */
    snprintf(url, sizeof url, "http://127.0.0.1:%u/echo", mm_http_server_port(srv));
    mm_http_reply r2;
    e = mm_http_call("POST", url, MM_BYTES_LIT("hello"), NULL, &r2);
    assert_true(e != MM_OK || r2.status >= 400 || r2.status == 0);
    mm_http_reply_free(&r2);
    stop(&b, srv);
    unlink(cert_path);
    unlink(key_path);
    rmdir(dir);
    X509_free(cert);
    mm_key_free(&k);
}

/* A minimal HTTP/1.1 server that counts the connections it accepts and
 * answers every request on a connection until the client closes it. */
typedef struct counting_server {
    int fd;
    uint16_t port;
    int accepted;
    int answered;
    pthread_t thread;
} counting_server;

static void *counting_main(void *arg)
{
    counting_server *cs = arg;
    for (int conns = 0; conns < 8; conns++) {
        int c = accept(cs->fd, NULL, NULL);
        if (c < 0) {
            return NULL;
        }
        cs->accepted++;
        char buf[4096];
        size_t have = 0;
        for (int rounds = 0; rounds < 1000; rounds++) {
            ssize_t n = read(c, buf + have, sizeof buf - 1 - have);
            if (n <= 0) {
                break;
            }
            have += (size_t)n;
            buf[have] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (end == NULL) {
                continue;
            }
            /* GET requests only: no body to read. */
            size_t used = (size_t)(end + 4 - buf);
            memmove(buf, buf + used, have - used);
            have -= used;
            static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
            if (write(c, reply, sizeof reply - 1) != (ssize_t)(sizeof reply - 1)) {
                break;
            }
            cs->answered++;
        }
        close(c);
    }
    return NULL;
}

static void test_client_keepalive(void **state)
{
    (void)state;
    counting_server cs;
    memset(&cs, 0, sizeof cs);
    cs.fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(cs.fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(cs.fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(cs.fd, 8), 0);
    socklen_t alen = sizeof a;
    assert_int_equal(getsockname(cs.fd, (struct sockaddr *)&a, &alen), 0);
    cs.port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&cs.thread, NULL, counting_main, &cs), 0);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/x", cs.port);

    /* Twenty calls on one client: one connection. */
    mm_http_client *cli = NULL;
    assert_int_equal(mm_http_client_new(&cli), MM_OK);
    for (int i = 0; i < 20; i++) {
        mm_http_reply r;
        assert_int_equal(mm_http_client_call(cli, "GET", url, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.content_type, "text/plain");
        assert_true(mm_bytes_equal(mm_bytes_make(r.body, r.len), MM_BYTES_LIT("ok")));
        mm_http_reply_free(&r);
    }
    mm_http_client_free(cli);
    /* One-shot calls open a connection each. */
    for (int i = 0; i < 2; i++) {
        mm_http_reply r;
        assert_int_equal(mm_http_call("GET", url, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
        assert_int_equal(r.status, 200);
        mm_http_reply_free(&r);
    }
    mm_http_client_free(NULL);
    assert_int_equal(mm_http_client_new(NULL), MM_ERR_INVALID_ARG);
    shutdown(cs.fd, SHUT_RDWR);
    close(cs.fd);
    pthread_join(cs.thread, NULL);
    assert_int_equal(cs.answered, 22);
    assert_int_equal(cs.accepted, 3);
}

static void test_sqlite(void **state)
{
    (void)state;
    char dir[] = "/tmp/mm-sqlite-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/db.sqlite", dir);
    static const char *const v1[] = {"CREATE TABLE t (x INTEGER);"};
    static const char *const v2[] = {"CREATE TABLE t (x INTEGER);", "ALTER TABLE t ADD COLUMN y TEXT;"};
    static const char *const broken[] = {"CREATE TABLE t (x INTEGER);", "NOT SQL;"};
    sqlite3 *db;
    assert_int_equal(mm_sqlite_open(path, v1, 1, &db), MM_OK);
    assert_int_equal(mm_sqlite_exec(db, "INSERT INTO t VALUES (1);"), MM_OK);
    sqlite3_close(db);
    /* Upgrade keeps data; a newer database refuses an older schema list. */
    assert_int_equal(mm_sqlite_open(path, v2, 2, &db), MM_OK);
    assert_int_equal(mm_sqlite_exec(db, "INSERT INTO t VALUES (2, 'b');"), MM_OK);
    sqlite3_close(db);
    assert_int_equal(mm_sqlite_open(path, v1, 1, &db), MM_ERR_UNSUPPORTED);
    assert_null(db);
    /* A failing migration leaves the old version. */
    char path2[128];
    snprintf(path2, sizeof path2, "%s/db2.sqlite", dir);
    assert_int_equal(mm_sqlite_open(path2, broken, 2, &db), MM_ERR_PLATFORM);
    assert_int_equal(mm_sqlite_open(path2, v1, 1, &db), MM_OK);
    assert_int_equal(mm_sqlite_exec(db, "NOT SQL"), MM_ERR_PLATFORM);
    sqlite3_close(db);
    mm_test_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basics), cmocka_unit_test(test_deferred_concurrent),
        cmocka_unit_test(test_https),  cmocka_unit_test(test_client_keepalive),
        cmocka_unit_test(test_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
