/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Transparency Service in-process, on 127.0.0.1 (free ports): the SCRAPI
 * resources and their problem details, every class of statement the
 * registration policy refuses, receipts verified with the service key,
 * batches sharing one signature, 303 and 302 when a batch is slow, a store
 * that fails a commit, idempotent registration, restarts, the start-up
 * check refusing a tampered database, and the configuration file.
 */
#define _GNU_SOURCE
#include <openssl/pem.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mamori/crypto_openssl.h"
#include "mamori/http.h"
#include "mamori/scitt.h"
#include "mm_test.h"
#include "mm_test_x509.h"
#include "ts.h"

#define H MM_MERKLE_HASH_LEN

static const mm_crypto *ossl;
static mm_key issuer;   /* https://vendor.example, kid "vendor-1" */
static mm_key stranger; /* nobody's */
static mm_key leaf_key; /* the x5chain issuer's leaf */
static mm_test_der root_der, leaf_der;
static char dir[64];
static int counter; /* makes every statement unique */

static void write_file(const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    ossl = mm_crypto_openssl();
    snprintf(dir, sizeof dir, "/tmp/mm-ts-XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_KEY_EXTRACTABLE, &issuer), MM_OK);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &stranger), MM_OK);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &leaf_key), MM_OK);
    /* The vendor's public key as a COSE_Key with its kid. */
    uint8_t buf[512], cose[512];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(&issuer, 0, &parts, buf, sizeof buf), MM_OK);
    mm_buf out = mm_buf_make(cose, sizeof cose);
    assert_int_equal(mm_cose_key_encode(&parts, MM_BYTES_LIT("vendor-1"), 0, &out), MM_OK);
    write_file("vendor.cose", cose, out.len);
    /* A root and a leaf certificate for the did:x509 issuer. */
    mm_key root_key;
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, 0, 0, &root_key), MM_OK);
    X509 *root = mm_test_make_cert(root_key.handle, "root", NULL, NULL, true, "critical,keyCertSign");
    X509 *leaf =
        mm_test_make_cert(leaf_key.handle, "signer", root, root_key.handle, false, "critical,digitalSignature");
    root_der = mm_test_cert_der(root);
    leaf_der = mm_test_cert_der(leaf);
    write_file("root.der", root_der.ptr, root_der.len);
    X509_free(root);
    X509_free(leaf);
    mm_key_free(&root_key);
    /* The service's key, PEM. */
    mm_key tsk;
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, 0, MM_KEY_EXTRACTABLE, &tsk), MM_OK);
    uint8_t pem[1024];
    out = mm_buf_make(pem, sizeof pem);
    assert_int_equal(mm_openssl_export_private_key(&tsk, MM_OPENSSL_PEM, &out), MM_OK);
    write_file("ts.key", pem, out.len);
    mm_key_free(&tsk);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, 0, MM_KEY_EXTRACTABLE, &tsk), MM_OK);
    out = mm_buf_make(pem, sizeof pem);
    assert_int_equal(mm_openssl_export_private_key(&tsk, MM_OPENSSL_PEM, &out), MM_OK);
    write_file("other-ts.key", pem, out.len);
    mm_key_free(&tsk);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mm_key_free(&issuer);
    mm_key_free(&stranger);
    mm_key_free(&leaf_key);
    OPENSSL_free(root_der.ptr);
    OPENSSL_free(leaf_der.ptr);
    mm_test_remove_dir(dir);
    return 0;
}

/*
 * Statements, well and badly made.
 */

typedef struct spec {
    const char *iss; /* NULL: no iss */
    const char *sub; /* NULL: no sub */
    bool no_claims;
    const char *kid; /* NULL: none */
    bool kid_unprotected;
    const mm_key *key; /* NULL: the vendor's */
    bool detached;
    bool x5chain; /* leaf and root certificates, protected */
    bool unknown_crit;
    bool alg_unprotected;
} spec;

static const spec good = {"https://vendor.example", "fw", false, "vendor-1", false, NULL, false, false, false, false};

static size_t make(const spec *s, uint8_t *buf, size_t cap)
{
    uint8_t claims[256], x5[2048], crit[16];
    mm_cose_param params[4];
    size_t n = 0;
    mm_cbor_enc enc;
    if (!s->no_claims) {
        mm_cbor_enc_init(&enc, claims, sizeof claims);
        mm_cbor_put_map(&enc, (s->iss != NULL) + (s->sub != NULL));
        if (s->iss != NULL) {
            mm_cbor_put_uint(&enc, 1);
            mm_cbor_put_cstr(&enc, s->iss);
        }
        if (s->sub != NULL) {
            mm_cbor_put_uint(&enc, 2);
            mm_cbor_put_cstr(&enc, s->sub);
        }
        size_t len;
        assert_int_equal(mm_cbor_enc_finish(&enc, &len), MM_OK);
        params[n++] = (mm_cose_param){MM_HDR_CWT_CLAIMS, mm_bytes_make(claims, len), MM_COSE_PROTECTED};
    }
    if (s->x5chain) {
        mm_cbor_enc_init(&enc, x5, sizeof x5);
        mm_cbor_put_array(&enc, 2);
        mm_cbor_put_bstr(&enc, mm_bytes_make(leaf_der.ptr, leaf_der.len));
        mm_cbor_put_bstr(&enc, mm_bytes_make(root_der.ptr, root_der.len));
        size_t len;
        assert_int_equal(mm_cbor_enc_finish(&enc, &len), MM_OK);
        params[n++] = (mm_cose_param){MM_HDR_X5CHAIN, mm_bytes_make(x5, len), MM_COSE_PROTECTED};
    }
    if (s->unknown_crit) {
        static const uint8_t crit_value[] = {0x81, 0x3a, 0x00, 0x01, 0x11, 0x6f}; /* [-70000] */
        memcpy(crit, crit_value, sizeof crit_value);
        params[n++] = (mm_cose_param){MM_HDR_CRIT, mm_bytes_make(crit, sizeof crit_value), MM_COSE_PROTECTED};
        params[n++] = (mm_cose_param){-70000, MM_BYTES_LIT("\x01"), MM_COSE_PROTECTED};
    }
    char payload[64];
    int plen = snprintf(payload, sizeof payload, "firmware build %d", ++counter);
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = ossl;
    o.key = s->key != NULL ? s->key : &issuer;
    o.kid = s->kid != NULL ? mm_bytes_from_cstr(s->kid) : mm_bytes_make(NULL, 0);
    o.params = params;
    o.n_params = n;
    o.flags = (s->kid_unprotected ? 0u : MM_COSE_KID_PROTECTED) | (s->detached ? MM_COSE_DETACHED : 0u) |
              (s->alg_unprotected ? MM_COSE_ALG_UNPROTECTED : 0u);
    mm_buf out = mm_buf_make(buf, cap);
    assert_int_equal(mm_cose_sign1_create(&o, mm_bytes_make(payload, (size_t)plen), &out), MM_OK);
    return out.len;
}

/* A statement whose protected header is given whole (alg -999, say), with
 * a signature of zeros. */
static size_t make_raw(mm_bytes prot, uint8_t *buf, size_t cap)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_cbor_put_tag(&enc, 18);
    mm_cbor_put_array(&enc, 4);
    mm_cbor_put_bstr(&enc, prot);
    mm_cbor_put_map(&enc, 0);
    mm_cbor_put_bstr(&enc, MM_BYTES_LIT("payload"));
    static const uint8_t zeros[64];
    mm_cbor_put_bstr(&enc, mm_bytes_make(zeros, sizeof zeros));
    size_t len;
    assert_int_equal(mm_cbor_enc_finish(&enc, &len), MM_OK);
    return len;
}

/*
 * The service.
 */

typedef struct svc_opts {
    size_t batch;
    unsigned max_wait_ms;
    unsigned receipt_wait_ms;
    size_t max_body;
    const char *db;
    const char *key;
    const ts_store *store;
    unsigned check;
    size_t queue_max;
} svc_opts;

static void config_for(const svc_opts *o, ts_config *cfg)
{
    assert_int_equal(ts_config_init(cfg), MM_OK);
    char path[256];
    free(cfg->listen);
    cfg->listen = strdup("127.0.0.1:0");
    free(cfg->database);
    snprintf(path, sizeof path, "%s/%s", dir, o->db != NULL ? o->db : "ts.db");
    cfg->database = strdup(path);
    snprintf(path, sizeof path, "%s/%s", dir, o->key != NULL ? o->key : "ts.key");
    cfg->key = strdup(path);
    free(cfg->issuer);
    cfg->issuer = strdup("https://ts.test");
    cfg->batch_size = o->batch != 0 ? o->batch : 64;
    cfg->max_wait_ms = o->max_wait_ms;
    cfg->receipt_wait_ms = o->receipt_wait_ms != 0 ? o->receipt_wait_ms : 5000;
    cfg->max_body = o->max_body != 0 ? o->max_body : 4096;
    cfg->threads = 2;
    cfg->check = o->check;
    cfg->queue_max = o->queue_max != 0 ? o->queue_max : cfg->queue_max;
    cfg->n_issuers = 2;
    cfg->issuers = calloc(2, sizeof *cfg->issuers);
    cfg->issuers[0].iss = strdup("https://vendor.example");
    cfg->issuers[0].keys = calloc(1, sizeof(char *));
    snprintf(path, sizeof path, "%s/vendor.cose", dir);
    cfg->issuers[0].keys[0] = strdup(path);
    cfg->issuers[0].n_keys = 1;
    cfg->issuers[1].iss = strdup("did:x509:0:sha256:test::subject:CN:signer");
    cfg->issuers[1].roots = calloc(1, sizeof(char *));
    snprintf(path, sizeof path, "%s/root.der", dir);
    cfg->issuers[1].roots[0] = strdup(path);
    cfg->issuers[1].n_roots = 1;
}

typedef struct running {
    ts_service *svc;
    char url[64];
    mm_key key; /* the service's public key */
} running;

static mm_err start(const svc_opts *o, running *r, ts_error *err)
{
    ts_config cfg;
    config_for(o, &cfg);
    mm_err e = ts_service_open(&cfg, o->store, &r->svc, err);
    ts_config_free(&cfg);
    if (e != MM_OK) {
        return e;
    }
    assert_int_equal(ts_service_start(r->svc, err), MM_OK);
    snprintf(r->url, sizeof r->url, "http://127.0.0.1:%u", ts_service_port(r->svc));
    assert_int_equal(mm_cose_key_import(ossl, ts_service_cose_key(r->svc), 0, &r->key, NULL), MM_OK);
    return MM_OK;
}

static void stop(running *r)
{
    ts_service_close(r->svc);
    mm_key_free(&r->key);
}

static mm_err call(const running *r, const char *method, const char *path, mm_bytes body, const char *type,
                   mm_http_reply *out)
{
    char url[1200];
    snprintf(url, sizeof url, "%s%s", r->url, path);
    mm_http_call_opts o = {type, NULL, 10000, 0, NULL};
    return mm_http_call(method, url, body, &o, out);
}

static void post(const running *r, mm_bytes stmt, mm_http_reply *out)
{
    assert_int_equal(call(r, "POST", "/entries", stmt, "application/cose", out), MM_OK);
}

/* The receipt proves stmt under the service key; *size gets its tree size. */
static void check_receipt(const running *r, mm_bytes stmt, mm_bytes receipt, uint64_t *size)
{
    mm_scitt_leaf leaf;
    assert_int_equal(mm_scitt_leaf_of_statement(ossl, stmt, &leaf), MM_OK);
    mm_scitt_receipt rec;
    assert_int_equal(mm_scitt_receipt_decode(receipt, &rec, NULL), MM_OK);
    mm_scitt_verify_opts vo = {ossl, &r->key, NULL, NULL, 0, NULL, 0};
    mm_scitt_proven p;
    assert_int_equal(mm_scitt_receipt_verify(&rec, &leaf, &vo, &p), MM_OK);
    assert_true(mm_bytes_equal(rec.iss, MM_BYTES_LIT("https://ts.test")));
    if (size != NULL) {
        *size = p.tree_size;
    }
}

static void expect_problem(const mm_http_reply *rep, long status, const char *title, const char *in_detail)
{
    if (rep->status != status) {
        fprintf(stderr, "status %ld, want %ld (%s)\n", rep->status, status, title);
    }
    assert_int_equal(rep->status, status);
    assert_string_equal(rep->content_type, MM_HTTP_PROBLEM_TYPE);
    mm_http_problem_doc p;
    assert_int_equal(mm_http_problem_decode(mm_bytes_make(rep->body, rep->len), &p), MM_OK);
    if (!mm_bytes_equal(p.title, mm_bytes_from_cstr(title))) {
        fprintf(stderr, "title '%.*s', want '%s'\n", (int)p.title.len, (const char *)p.title.ptr, title);
        fail();
    }
    if (in_detail != NULL &&
        (p.detail.len == 0 || memmem(p.detail.ptr, p.detail.len, in_detail, strlen(in_detail)) == NULL)) {
        fprintf(stderr, "detail '%.*s' lacks '%s'\n", (int)p.detail.len, (const char *)p.detail.ptr, in_detail);
        fail();
    }
    assert_int_equal(p.status, status);
}

/* A database file of its own for each test. */
static const char *fresh_db(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    return name;
}

/* A service with the default options on a database of its own. */
static void start_fresh(const char *db, running *r)
{
    svc_opts o = {0};
    o.db = fresh_db(db);
    assert_int_equal(start(&o, r, NULL), MM_OK);
}

/* GET path (no body) into *rep. */
static void get(const running *r, const char *path, mm_http_reply *rep)
{
    assert_int_equal(call(r, "GET", path, mm_bytes_make(NULL, 0), NULL, rep), MM_OK);
}

/* method path (no body) is answered with the problem details given. */
static void expect_call_problem(const running *r, const char *method, const char *path, long status, const char *title,
                                const char *in_detail)
{
    mm_http_reply rep;
    assert_int_equal(call(r, method, path, mm_bytes_make(NULL, 0), NULL, &rep), MM_OK);
    expect_problem(&rep, status, title, in_detail);
    mm_http_reply_free(&rep);
}

/* stmt is refused with the problem details given. Returns the reply's
 * Retry-After. */
static long expect_post_problem(const running *r, mm_bytes stmt, long status, const char *title, const char *in_detail)
{
    mm_http_reply rep;
    post(r, stmt, &rep);
    expect_problem(&rep, status, title, in_detail);
    long retry_after = rep.retry_after;
    mm_http_reply_free(&rep);
    return retry_after;
}

/* stmt is registered (201) with a receipt that proves it; *size (if not
 * NULL) gets the receipt's tree size. */
static void expect_registered(const running *r, mm_bytes stmt, uint64_t *size)
{
    mm_http_reply rep;
    post(r, stmt, &rep);
    assert_int_equal(rep.status, 201);
    check_receipt(r, stmt, mm_bytes_make(rep.body, rep.len), size);
    mm_http_reply_free(&rep);
}

/*
 * Registration and the resources.
 */

static void test_register_and_read(void **state)
{
    (void)state;
    running r;
    start_fresh("basic.db", &r);
    uint8_t stmt[4096];
    mm_http_reply rep;
    uint8_t first[4096];
    size_t first_len = 0;
    char first_loc[1024] = "";
    for (int i = 0; i < 5; i++) {
        size_t len = make(&good, stmt, sizeof stmt);
        post(&r, mm_bytes_make(stmt, len), &rep);
        assert_int_equal(rep.status, 201);
        assert_string_equal(rep.content_type, "application/cose");
        assert_true(strncmp(rep.location, "/entries/", 9) == 0);
        uint64_t size;
        check_receipt(&r, mm_bytes_make(stmt, len), mm_bytes_make(rep.body, rep.len), &size);
        assert_int_equal(size, (uint64_t)i + 1);
        if (i == 0) {
            memcpy(first, stmt, len);
            first_len = len;
            snprintf(first_loc, sizeof first_loc, "%s", rep.location);
        }
        mm_http_reply_free(&rep);
    }
    assert_int_equal(ts_service_size(r.svc), 5);
    /* The first entry's receipt, fresh: at the newest tree. */
    get(&r, first_loc, &rep);
    assert_int_equal(rep.status, 200);
    uint64_t size;
    check_receipt(&r, mm_bytes_make(first, first_len), mm_bytes_make(rep.body, rep.len), &size);
    assert_int_equal(size, 5);
    mm_http_reply_free(&rep);
    /* Its entry: the statement with an empty unprotected header. */
    char path[1100];
    snprintf(path, sizeof path, "%s/statement", first_loc);
    get(&r, path, &rep);
    assert_int_equal(rep.status, 200);
    uint8_t entry[4096];
    mm_buf eb = mm_buf_make(entry, sizeof entry);
    assert_int_equal(mm_scitt_entry_encode(mm_bytes_make(first, first_len), &eb), MM_OK);
    assert_true(mm_bytes_equal(mm_bytes_make(rep.body, rep.len), mm_bytes_make(entry, eb.len)));
    mm_http_reply_free(&rep);
    /* The same statement again: the same entry, a receipt at once. */
    post(&r, mm_bytes_make(first, first_len), &rep);
    assert_int_equal(rep.status, 201);
    assert_string_equal(rep.location, first_loc);
    check_receipt(&r, mm_bytes_make(first, first_len), mm_bytes_make(rep.body, rep.len), &size);
    assert_int_equal(size, 5);
    mm_http_reply_free(&rep);
    assert_int_equal(ts_service_size(r.svc), 5);
    /* Unknown, malformed and wrongly asked-for entries. */
    char unknown[80];
    snprintf(unknown, sizeof unknown, "/entries/%064d", 0);
    expect_call_problem(&r, "GET", unknown, 404, "Not Found", "not known to this Transparency Service");
    expect_call_problem(&r, "GET", "/entries/abc", 400, "Invalid locator", "64 hexadecimal digits");
    expect_call_problem(&r, "DELETE", first_loc, 405, "Method Not Allowed", "DELETE");
    expect_call_problem(&r, "GET", "/entries", 405, "Method Not Allowed", "POST");
    expect_call_problem(&r, "GET", "/nothing", 404, "Not Found", NULL);
    /* Health. */
    get(&r, "/health", &rep);
    assert_int_equal(rep.status, 200);
    assert_non_null(memmem(rep.body, rep.len, "\"tree_size\":5", 13));
    mm_http_reply_free(&rep);
    stop(&r);
}

static void test_keys_heads_consistency(void **state)
{
    (void)state;
    running r;
    start_fresh("keys.db", &r);
    mm_http_reply rep;
    /* Before anything is registered, no tree head. */
    expect_call_problem(&r, "GET", "/tree-heads/latest", 404, "Not Found", "empty");
    uint8_t stmt[4096];
    for (int i = 0; i < 7; i++) {
        size_t len = make(&good, stmt, sizeof stmt);
        expect_registered(&r, mm_bytes_make(stmt, len), NULL);
    }
    /* The key set, and the key by its kid (base64url of the thumbprint). */
    get(&r, "/.well-known/scitt-keys", &rep);
    assert_int_equal(rep.status, 200);
    assert_string_equal(rep.content_type, "application/cbor");
    mm_cose_key k;
    assert_int_equal(mm_cose_keyset_find(mm_bytes_make(rep.body, rep.len), mm_bytes_make(NULL, 0), &k), MM_OK);
    assert_int_equal(k.kid.len, 32);
    uint8_t thumb[MM_HASH_MAX];
    size_t tlen;
    assert_int_equal(mm_cose_key_thumbprint(ossl, &k.parts, MM_ALG_SHA256, thumb, &tlen), MM_OK);
    assert_memory_equal(thumb, k.kid.ptr, 32);
    char b64[64];
    mm_buf bb = mm_buf_make(b64, sizeof b64 - 1);
    assert_int_equal(mm_base64_encode(k.kid, MM_B64URL, &bb), MM_OK);
    b64[bb.len] = '\0';
    mm_http_reply_free(&rep);
    char path[128];
    snprintf(path, sizeof path, "/.well-known/scitt-keys/%s", b64);
    get(&r, path, &rep);
    assert_int_equal(rep.status, 200);
    assert_true(mm_bytes_equal(mm_bytes_make(rep.body, rep.len), ts_service_cose_key(r.svc)));
    mm_http_reply_free(&rep);
    expect_call_problem(&r, "GET", "/.well-known/scitt-keys/AAAA", 404, "No such key", NULL);
    /* Tree heads: COSE_Sign1 with the root attached, the size in Location. */
    uint8_t roots[8][H];
    for (unsigned size = 1; size <= 7; size++) {
        snprintf(path, sizeof path, "/tree-heads/%u", size);
        get(&r, path, &rep);
        assert_int_equal(rep.status, 200);
        assert_string_equal(rep.location, path);
        mm_cose_sign1 s1;
        assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(rep.body, rep.len), &s1, NULL), MM_OK);
        mm_cose_verify_opts vo;
        memset(&vo, 0, sizeof vo);
        vo.crypto = ossl;
        vo.key = &r.key;
        assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_OK);
        assert_int_equal(s1.payload.len, H);
        memcpy(roots[size], s1.payload.ptr, H);
        mm_http_reply_free(&rep);
    }
    get(&r, "/tree-heads/latest", &rep);
    assert_int_equal(rep.status, 200);
    assert_string_equal(rep.location, "/tree-heads/7");
    mm_http_reply_free(&rep);
    expect_call_problem(&r, "GET", "/tree-heads/8", 404, "Not Found", "size 8");
    expect_call_problem(&r, "GET", "/tree-heads/x1", 400, "Invalid locator", NULL);
    /* Consistency from every size to every later one. */
    for (unsigned from = 1; from <= 7; from++) {
        for (unsigned to = from; to <= 7; to++) {
            snprintf(path, sizeof path, "/consistency/%u/%u", from, to);
            get(&r, path, &rep);
            assert_int_equal(rep.status, 200);
            mm_scitt_receipt rec;
            assert_int_equal(mm_scitt_receipt_decode(mm_bytes_make(rep.body, rep.len), &rec, NULL), MM_OK);
            mm_scitt_verify_opts vo = {ossl, &r.key, NULL, NULL, 0, NULL, 0};
            mm_scitt_proven p;
            assert_int_equal(mm_scitt_receipt_verify_consistency(&rec, from, roots[from], &vo, &p), MM_OK);
            assert_memory_equal(p.root, roots[to], H);
            /* From another root it does not hold. */
            assert_int_equal(mm_scitt_receipt_verify_consistency(&rec, from, roots[from % 7 + 1], &vo, &p),
                             MM_ERR_VERIFY);
            mm_http_reply_free(&rep);
        }
    }
    static const char *const bad[] = {"/consistency/0/3", "/consistency/4/3", "/consistency/3", "/consistency/a/3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_call_problem(&r, "GET", bad[i], 400, "Invalid locator", NULL);
    }
    expect_call_problem(&r, "GET", "/consistency/3/9", 404, "Not Found", NULL);
    stop(&r);
}

/* Every class of statement the registration policy refuses, each with the
 * reason named. */
static void test_refusals(void **state)
{
    (void)state;
    running r;
    start_fresh("refusals.db", &r);
    struct {
        spec s;
        const char *title;
        const char *detail;
    } cases[] = {
        {{"https://other.example", "fw", false, "vendor-1", false, NULL, false, false, false, false},
         "Unknown Issuer",
         "'https://other.example' is not in the trust store"},
        {{"https://vendor.example", "fw", false, "vendor-1", false, &stranger, false, false, false, false},
         "Invalid Signature",
         "does not verify"},
        {{"https://vendor.example", "fw", false, "vendor-2", false, NULL, false, false, false, false},
         "Unknown Key",
         "no key with kid 'vendor-2'"},
        {{NULL, "fw", false, "vendor-1", false, NULL, false, false, false, false}, "Missing Claims", "no iss"},
        {{"https://vendor.example", NULL, false, "vendor-1", false, NULL, false, false, false, false},
         "Missing Claims",
         "no sub"},
        {{"https://vendor.example", "fw", true, "vendor-1", false, NULL, false, false, false, false},
         "Missing Claims",
         "no CWT claims"},
        {{"https://vendor.example", "fw", false, NULL, false, NULL, false, false, false, false},
         "Missing Key Identifier",
         "names no key"},
        {{"https://vendor.example", "fw", false, "vendor-1", true, NULL, false, false, false, false},
         "Missing Key Identifier",
         "names no key"},
        {{"https://vendor.example", "fw", false, "vendor-1", false, NULL, true, false, false, false},
         "Payload Missing",
         "detached"},
        {{"https://vendor.example", "fw", false, "vendor-1", false, NULL, false, false, true, false},
         "Unknown Critical Header",
         "crit"},
        {{"https://vendor.example", "fw", false, "vendor-1", false, NULL, false, false, false, true},
         "Bad Signature Algorithm",
         "not in the protected header"},
        /* x5chain: the issuer must be a URI; the chain must reach the roots
         * of that issuer; another issuer's roots do not count. */
        {{"signer", "fw", false, NULL, false, &leaf_key, false, true, false, false}, "Malformed Claims", "URI"},
        {{"did:x509:0:sha256:test::subject:CN:signer", "fw", false, NULL, false, &stranger, false, true, false, false},
         "Invalid Signature",
         "x5chain"},
        {{"https://vendor.example", "fw", false, NULL, false, &leaf_key, false, true, false, false},
         "Unknown Key",
         "trusted by key (kid), which the statement does not name"},
    };
    uint8_t stmt[8192];
    mm_http_reply rep;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = make(&cases[i].s, stmt, sizeof stmt);
        expect_post_problem(&r, mm_bytes_make(stmt, len), 400, cases[i].title, cases[i].detail);
    }
    /* The x5chain issuer, with its chain: registered. */
    spec x5 = {
        "did:x509:0:sha256:test::subject:CN:signer", "sbom", false, NULL, false, &leaf_key, false, true, false, false};
    size_t len = make(&x5, stmt, sizeof stmt);
    expect_registered(&r, mm_bytes_make(stmt, len), NULL);
    /* Algorithms: none, an unknown one. */
    static const uint8_t no_alg[] = {0xa2, 0x04, 0x48, 'v',  'e',  'n', 'd',  'o',  'r', '-',
                                     '1',  0x0f, 0xa2, 0x01, 0x61, 'x', 0x02, 0x61, 'y'};
    len = make_raw(mm_bytes_make(no_alg, sizeof no_alg), stmt, sizeof stmt);
    expect_post_problem(&r, mm_bytes_make(stmt, len), 400, "Bad Signature Algorithm", "no alg");
    static const uint8_t odd_alg[] = {0xa3, 0x01, 0x39, 0x03, 0xe6, 0x04, 0x48, 'v', 'e',  'n',  'd', 'o',
                                      'r',  '-',  '1',  0x0f, 0xa2, 0x01, 0x61, 'x', 0x02, 0x61, 'y'};
    len = make_raw(mm_bytes_make(odd_alg, sizeof odd_alg), stmt, sizeof stmt);
    expect_post_problem(&r, mm_bytes_make(stmt, len), 400, "Bad Signature Algorithm", "-999 is not supported");
    /* Not COSE at all, truncated, trailing bytes, empty. */
    expect_post_problem(&r, MM_BYTES_LIT("not cbor at all"), 400, "Malformed request", "not a signed statement");
    len = make(&good, stmt, sizeof stmt);
    expect_post_problem(&r, mm_bytes_make(stmt, len - 5), 400, "Malformed request", "byte");
    stmt[len] = 0x00;
    expect_post_problem(&r, mm_bytes_make(stmt, len + 1), 400, "Malformed request", NULL);
    assert_int_equal(call(&r, "POST", "/entries", mm_bytes_make(NULL, 0), "application/cose", &rep), MM_OK);
    expect_problem(&rep, 400, "Malformed request", "no signed statement");
    mm_http_reply_free(&rep);
    /* The wrong media type; too large a body. */
    assert_int_equal(call(&r, "POST", "/entries", mm_bytes_make(stmt, len), "application/json", &rep), MM_OK);
    expect_problem(&rep, 415, "Unsupported Media Type", "application/cose");
    mm_http_reply_free(&rep);
    assert_int_equal(call(&r, "POST", "/entries", mm_bytes_make(stmt, len), NULL, &rep), MM_OK);
    expect_problem(&rep, 415, "Unsupported Media Type", NULL);
    mm_http_reply_free(&rep);
    assert_int_equal(call(&r, "POST", "/entries", mm_bytes_make(stmt, len), "application/scitt-statement+cose", &rep),
                     MM_OK);
    assert_int_equal(rep.status, 201);
    mm_http_reply_free(&rep);
    static uint8_t big[8192];
    expect_post_problem(&r, mm_bytes_make(big, sizeof big), 413, "Payload Too Large", "4096 bytes");
    /* Nothing refused was registered. */
    assert_int_equal(ts_service_size(r.svc), 2);
    stop(&r);
}

/*
 * Batches.
 */

typedef struct poster {
    const running *r;
    uint8_t stmt[4096];
    size_t len;
    long status;
    uint8_t receipt[4096];
    size_t receipt_len;
} poster;

static void *post_thread(void *arg)
{
    poster *p = arg;
    mm_http_reply rep;
    char url[128];
    snprintf(url, sizeof url, "%s/entries", p->r->url);
    mm_http_call_opts o = {"application/cose", NULL, 20000, 0, NULL};
    if (mm_http_call("POST", url, mm_bytes_make(p->stmt, p->len), &o, &rep) == MM_OK) {
        p->status = rep.status;
        if (rep.len <= sizeof p->receipt) {
            memcpy(p->receipt, rep.body, rep.len);
            p->receipt_len = rep.len;
        }
        mm_http_reply_free(&rep);
    }
    return NULL;
}

/* Concurrent registrations are collected into batches; every receipt of a
 * batch carries the batch's one signature. */
static void test_batches_share_a_signature(void **state)
{
    (void)state;
    running r;
    svc_opts o = {0};
    o.db = fresh_db("batch.db");
    o.batch = 64;
    o.max_wait_ms = 300;
    assert_int_equal(start(&o, &r, NULL), MM_OK);
    enum { N = 24 };
    static poster p[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        p[i].r = &r;
        p[i].len = make(&good, p[i].stmt, sizeof p[i].stmt);
        assert_int_equal(pthread_create(&t[i], NULL, post_thread, &p[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
    }
    uint64_t sizes[N];
    size_t distinct = 0;
    for (int i = 0; i < N; i++) {
        assert_int_equal(p[i].status, 201);
        check_receipt(&r, mm_bytes_make(p[i].stmt, p[i].len), mm_bytes_make(p[i].receipt, p[i].receipt_len), &sizes[i]);
        bool seen = false;
        for (int j = 0; j < i; j++) {
            if (sizes[j] != sizes[i]) {
                continue;
            }
            seen = true;
            /* Same tree head: same protected header and signature. */
            mm_cose_sign1 a, b;
            assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(p[i].receipt, p[i].receipt_len), &a, NULL), MM_OK);
            assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(p[j].receipt, p[j].receipt_len), &b, NULL), MM_OK);
            assert_true(mm_bytes_equal(a.signature, b.signature));
            assert_true(mm_bytes_equal(a.hdr.protected_bytes, b.hdr.protected_bytes));
        }
        distinct += seen ? 0 : 1;
    }
    /* All arrive well within the wait: a few batches at most. */
    assert_true(distinct <= 3);
    assert_int_equal(ts_service_size(r.svc), N);
    stop(&r);
}

/*
 * A store that commits slowly, or fails: the storage interface wrapped.
 */

typedef struct wrap {
    ts_store inner;
    unsigned delay_ms;
    int fail_commits;
} wrap;

static wrap wrapped;

#define W ((wrap *)user)
static mm_err w_begin(void *user) { return W->inner.ops->begin(W->inner.user); }
static mm_err w_commit(void *user)
{
    if (W->delay_ms != 0) {
        usleep(W->delay_ms * 1000u);
    }
    if (W->fail_commits > 0) {
        W->fail_commits--;
        return MM_ERR_PLATFORM;
    }
    return W->inner.ops->commit(W->inner.user);
}
static void w_rollback(void *user) { W->inner.ops->rollback(W->inner.user); }
static mm_err w_get_size(void *user, uint64_t *s) { return W->inner.ops->get_size(W->inner.user, s); }
static mm_err w_set_size(void *user, uint64_t s) { return W->inner.ops->set_size(W->inner.user, s); }
static mm_err w_get_node(void *user, unsigned l, uint64_t i, uint8_t h[H])
{
    return W->inner.ops->get_node(W->inner.user, l, i, h);
}
static mm_err w_put_node(void *user, unsigned l, uint64_t i, const uint8_t h[H])
{
    return W->inner.ops->put_node(W->inner.user, l, i, h);
}
static mm_err w_put_entry(void *user, uint64_t s, const uint8_t l[H], mm_bytes e)
{
    return W->inner.ops->put_entry(W->inner.user, s, l, e);
}
static mm_err w_put_head(void *user, const ts_tree_head *th) { return W->inner.ops->put_tree_head(W->inner.user, th); }
static mm_err w_read_node(void *user, unsigned l, uint64_t i, uint8_t h[H])
{
    return W->inner.ops->read_node(W->inner.user, l, i, h);
}
static mm_err w_find(void *user, const uint8_t l[H], uint64_t *s)
{
    return W->inner.ops->find_entry(W->inner.user, l, s);
}
static mm_err w_read_entry(void *user, uint64_t s, uint8_t l[H], uint8_t **e, size_t *n)
{
    return W->inner.ops->read_entry(W->inner.user, s, l, e, n);
}
static mm_err w_read_head(void *user, uint64_t s, ts_tree_head *th)
{
    return W->inner.ops->read_tree_head(W->inner.user, s, th);
}
static mm_err w_list(void *user, uint64_t a, uint64_t *s, size_t c, size_t *n)
{
    return W->inner.ops->list_tree_heads(W->inner.user, a, s, c, n);
}
static void w_close(void *user) { W->inner.ops->close(W->inner.user); }
#undef W

static const ts_store_ops wrap_ops = {TS_STORE_V1,  w_begin,     w_commit,    w_rollback, w_get_size,  w_set_size,
                                      w_get_node,   w_put_node,  w_put_entry, w_put_head, w_read_node, w_find,
                                      w_read_entry, w_read_head, w_list,      w_close};

static ts_store wrapped_store(const char *db, unsigned delay_ms, int fail_commits)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, db);
    memset(&wrapped, 0, sizeof wrapped);
    assert_int_equal(ts_store_sqlite_open(path, 4, &wrapped.inner), MM_OK);
    wrapped.delay_ms = delay_ms;
    wrapped.fail_commits = fail_commits;
    return (ts_store){&wrap_ops, &wrapped};
}

/* Options for a service on a fresh database db behind the wrapped store
 * st (commits delayed by delay_ms, the first fail_commits failing). */
static void wrapped_opts(const char *db, unsigned delay_ms, int fail_commits, ts_store *st, svc_opts *o)
{
    memset(o, 0, sizeof *o);
    o->db = fresh_db(db);
    *st = wrapped_store(o->db, delay_ms, fail_commits);
    o->store = st;
}

/* A batch slower than the client's wait: 303, then 302 while it runs, then
 * 200 with the receipt. */
static void test_slow_batch_redirects(void **state)
{
    (void)state;
    running r;
    svc_opts o;
    ts_store st;
    wrapped_opts("slow.db", 600, 0, &st, &o);
    o.receipt_wait_ms = 50;
    assert_int_equal(start(&o, &r, NULL), MM_OK);
    uint8_t stmt[4096];
    size_t len = make(&good, stmt, sizeof stmt);
    mm_http_reply rep;
    post(&r, mm_bytes_make(stmt, len), &rep);
    assert_int_equal(rep.status, 303);
    assert_int_equal(rep.retry_after, 1);
    char loc[1024];
    snprintf(loc, sizeof loc, "%s", rep.location);
    assert_true(strncmp(loc, "/entries/", 9) == 0);
    mm_http_reply_free(&rep);
    /* Registered again while in flight: 303 to the same place. */
    post(&r, mm_bytes_make(stmt, len), &rep);
    assert_int_equal(rep.status, 303);
    assert_string_equal(rep.location, loc);
    mm_http_reply_free(&rep);
    get(&r, loc, &rep);
    assert_int_equal(rep.status, 302);
    assert_string_equal(rep.location, loc);
    mm_http_reply_free(&rep);
    long status = 302;
    for (int i = 0; i < 300 && status == 302; i++) {
        usleep(10000);
        get(&r, loc, &rep);
        status = rep.status;
        if (status == 200) {
            check_receipt(&r, mm_bytes_make(stmt, len), mm_bytes_make(rep.body, rep.len), NULL);
        }
        mm_http_reply_free(&rep);
    }
    assert_int_equal(status, 200);
    stop(&r);
}

/* More registrations than the queue holds: 503 with Retry-After, at once. */
static void test_queue_full(void **state)
{
    (void)state;
    running r;
    svc_opts o;
    ts_store st;
    wrapped_opts("full.db", 500, 0, &st, &o);
    o.queue_max = 1;
    assert_int_equal(start(&o, &r, NULL), MM_OK);
    static poster first;
    first.r = &r;
    first.len = make(&good, first.stmt, sizeof first.stmt);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, post_thread, &first), 0);
    /* Until the first is in flight. */
    for (int i = 0; i < 500; i++) {
        mm_http_reply rep;
        get(&r, "/health", &rep);
        bool busy = memmem(rep.body, rep.len, "\"in_flight\":1", 13) != NULL;
        mm_http_reply_free(&rep);
        if (busy) {
            break;
        }
        usleep(2000);
    }
    uint8_t stmt[4096];
    size_t len = make(&good, stmt, sizeof stmt);
    assert_int_equal(
        expect_post_problem(&r, mm_bytes_make(stmt, len), 503, "Service Unavailable", "too many registrations"), 1);
    pthread_join(t, NULL);
    assert_int_equal(first.status, 201);
    stop(&r);
}

/* A commit that fails: its clients get 503 and nothing of the batch stays;
 * the next batch is fine. */
static void test_failed_commit(void **state)
{
    (void)state;
    running r;
    svc_opts o;
    ts_store st;
    wrapped_opts("fail.db", 0, 1, &st, &o);
    assert_int_equal(start(&o, &r, NULL), MM_OK);
    uint8_t stmt[4096];
    size_t len = make(&good, stmt, sizeof stmt);
    assert_int_equal(expect_post_problem(&r, mm_bytes_make(stmt, len), 503, "Registration Failed", "not registered"),
                     1);
    assert_int_equal(ts_service_size(r.svc), 0);
    /* Again: now it commits, as entry 0. */
    uint64_t size;
    expect_registered(&r, mm_bytes_make(stmt, len), &size);
    assert_int_equal(size, 1);
    len = make(&good, stmt, sizeof stmt);
    expect_registered(&r, mm_bytes_make(stmt, len), &size);
    assert_int_equal(size, 2);
    stop(&r);
}

/*
 * Restarts and the start-up check.
 */

static void exec_sql(const char *db, const char *sql)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, db);
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static void copy_db(const char *from, const char *to)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp %s/%s %s/%s", dir, from, dir, to);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -f %s/%s-wal %s/%s-shm", dir, to, dir, to);
    assert_int_equal(system(cmd), 0);
}

static void expect_refused(const char *db, const char *key, unsigned check, const char *why)
{
    running r;
    svc_opts o = {0};
    o.db = db;
    o.key = key;
    o.check = check;
    ts_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(start(&o, &r, &err), MM_ERR_VERIFY);
    if (strstr(err.msg, why) == NULL) {
        fprintf(stderr, "refusal '%s' lacks '%s'\n", err.msg, why);
        fail();
    }
}

static void test_restart_and_tamper(void **state)
{
    (void)state;
    running r;
    svc_opts o = {0};
    o.db = fresh_db("restart.db");
    assert_int_equal(start(&o, &r, NULL), MM_OK);
    uint8_t stmt[4096];
    uint8_t kept[4096];
    size_t kept_len = 0;
    for (int i = 0; i < 9; i++) {
        size_t len = make(&good, stmt, sizeof stmt);
        expect_registered(&r, mm_bytes_make(stmt, len), NULL);
        memcpy(kept, stmt, len);
        kept_len = len;
    }
    stop(&r);
    /* Reopened (the full check too): the log is there, and grows on. */
    o.check = TS_CHECK_FULL;
    assert_int_equal(start(&o, &r, NULL), MM_OK);
    assert_int_equal(ts_service_size(r.svc), 9);
    uint64_t size;
    expect_registered(&r, mm_bytes_make(kept, kept_len), &size);
    assert_int_equal(size, 9);
    size_t len = make(&good, stmt, sizeof stmt);
    expect_registered(&r, mm_bytes_make(stmt, len), NULL);
    stop(&r);
    /* Each kind of damage is refused at start-up. */
    copy_db("restart.db", "t1.db");
    exec_sql("t1.db", "UPDATE nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 4");
    expect_refused("t1.db", NULL, TS_CHECK_ROOT, "root differs");
    copy_db("restart.db", "t2.db");
    exec_sql("t2.db", "DELETE FROM tree_heads WHERE size = 10");
    expect_refused("t2.db", NULL, TS_CHECK_ROOT, "10 leaves, its last signed tree head 9");
    copy_db("restart.db", "t3.db");
    exec_sql("t3.db", "UPDATE entries SET entry = x'd28443a10126a0f640' WHERE seq = 2");
    expect_refused("t3.db", NULL, TS_CHECK_ROOT, "entry 2");
    copy_db("restart.db", "t4.db");
    exec_sql("t4.db", "UPDATE tree_heads SET signature = zeroblob(64) WHERE size = 10");
    expect_refused("t4.db", NULL, TS_CHECK_ROOT, "does not verify");
    copy_db("restart.db", "t5.db");
    expect_refused("t5.db", "other-ts.key", TS_CHECK_ROOT, "does not verify with the service key");
    copy_db("restart.db", "t6.db");
    exec_sql("t6.db", "UPDATE tree_heads SET root = zeroblob(32) WHERE size = 3");
    expect_refused("t6.db", NULL, TS_CHECK_FULL, "size 3");
    copy_db("restart.db", "t7.db");
    exec_sql("t7.db", "INSERT INTO entries VALUES (10, zeroblob(32), x'00')");
    expect_refused("t7.db", NULL, TS_CHECK_ROOT, "beyond the signed tree");
    copy_db("restart.db", "t8.db");
    exec_sql("t8.db", "UPDATE nodes SET hash = zeroblob(32) WHERE level = 2 AND idx = 0");
    expect_refused("t8.db", NULL, TS_CHECK_FULL, "level 2, index 0");
}

/*
 * The configuration file.
 */

static mm_err load_json(const char *text, ts_config *cfg, ts_error *err)
{
    write_file("cfg.json", text, strlen(text));
    char path[256];
    snprintf(path, sizeof path, "%s/cfg.json", dir);
    assert_int_equal(ts_config_init(cfg), MM_OK);
    mm_err e = ts_config_load(path, cfg, err);
    return e;
}

static void test_config(void **state)
{
    (void)state;
    ts_config cfg;
    ts_error err;
    assert_int_equal(load_json("{\"listen\": \"127.0.0.1:9000\", \"key\": \"ts.key\", \"database\": \"/var/x.db\","
                               " \"issuer\": \"https://ts.example\", \"batch\": {\"size\": 10, \"max_wait_ms\": 5},"
                               " \"receipt_wait_ms\": 100, \"max_body\": 2048, \"threads\": 3, \"queue_max\": 50,"
                               " \"node_cache\": 0, \"startup_check\": \"full\", \"tls\": {\"cert\": \"c.pem\","
                               " \"key\": \"k.pem\"}, \"trust\": [{\"iss\": \"a\", \"keys\": [\"a.cose\"],"
                               " \"x509_roots\": [\"/r.pem\"]}]}",
                               &cfg, &err),
                     MM_OK);
    char want[256];
    snprintf(want, sizeof want, "%s/ts.key", dir);
    assert_string_equal(cfg.key, want);
    assert_string_equal(cfg.database, "/var/x.db");
    assert_string_equal(cfg.listen, "127.0.0.1:9000");
    assert_int_equal(cfg.batch_size, 10);
    assert_int_equal(cfg.max_wait_ms, 5);
    assert_int_equal(cfg.receipt_wait_ms, 100);
    assert_int_equal(cfg.max_body, 2048);
    assert_int_equal(cfg.threads, 3);
    assert_int_equal(cfg.queue_max, 50);
    assert_int_equal(cfg.node_cache, 0);
    assert_int_equal(cfg.check, TS_CHECK_FULL);
    snprintf(want, sizeof want, "%s/c.pem", dir);
    assert_string_equal(cfg.tls_cert, want);
    assert_int_equal(cfg.n_issuers, 1);
    assert_string_equal(cfg.issuers[0].iss, "a");
    snprintf(want, sizeof want, "%s/a.cose", dir);
    assert_string_equal(cfg.issuers[0].keys[0], want);
    assert_string_equal(cfg.issuers[0].roots[0], "/r.pem");
    ts_config_free(&cfg);
    struct {
        const char *json;
        mm_err e;
        const char *msg;
    } bad[] = {
        {"{\"listen\": \"x\"}", MM_ERR_MISSING_FIELD, "key: the service's signing key file is required"},
        {"{\"key\": \"k\", \"lisen\": \"x\"}", MM_ERR_UNKNOWN_FIELD, "lisen: unknown member"},
        {"{\"key\": 5}", MM_ERR_CBOR_TYPE, "key: expected a file name"},
        {"{\"key\": \"k\", \"batch\": {\"size\": 0}}", MM_ERR_CBOR_RANGE, "batch.size: 0 is outside 1..65536"},
        {"{\"key\": \"k\", \"batch\": {\"sise\": 3}}", MM_ERR_UNKNOWN_FIELD, "batch.sise"},
        {"{\"key\": \"k\", \"max_body\": 1}", MM_ERR_CBOR_RANGE, "max_body"},
        {"{\"key\": \"k\", \"tls\": {\"cert\": \"c\"}}", MM_ERR_MISSING_FIELD, "needs both cert and key"},
        {"{\"key\": \"k\", \"trust\": [{\"iss\": \"a\"}]}", MM_ERR_MISSING_FIELD, "neither keys nor x509_roots"},
        {"{\"key\": \"k\", \"trust\": [{\"keys\": [\"k\"]}]}", MM_ERR_MISSING_FIELD, "an entry has no iss"},
        {"{\"key\": \"k\", \"trust\": [{\"iss\": \"a\", \"keys\": [\"k\"]}, {\"iss\": \"a\", \"keys\": [\"k\"]}]}",
         MM_ERR_CBOR_DUP_KEY, "listed twice"},
        {"{\"key\": \"k\", \"startup_check\": \"some\"}", MM_ERR_CBOR_TYPE, "startup_check"},
        {"{\"key\": \"k\",", MM_ERR_SYNTAX, "line 1"},
        {"[1]", MM_ERR_CBOR_TYPE, "expected a JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(load_json(bad[i].json, &cfg, &err), bad[i].e);
        if (strstr(err.msg, bad[i].msg) == NULL) {
            fprintf(stderr, "'%s' lacks '%s'\n", err.msg, bad[i].msg);
            fail();
        }
        ts_config_free(&cfg);
    }
    assert_int_equal(ts_config_init(&cfg), MM_OK);
    assert_int_equal(ts_config_load("/nonexistent/ts.json", &cfg, &err), MM_ERR_PLATFORM);
    ts_config_free(&cfg);
    /* Values out of range, and bad key files, stop the service opening. */
    svc_opts o = {0};
    o.db = fresh_db("cfg.db");
    config_for(&o, &cfg);
    cfg.batch_size = 0;
    ts_service *svc = NULL;
    assert_int_equal(ts_service_open(&cfg, NULL, &svc, &err), MM_ERR_INVALID_ARG);
    cfg.batch_size = 8;
    free(cfg.key);
    char path[256];
    snprintf(path, sizeof path, "%s/vendor.cose", dir); /* a public key cannot sign */
    cfg.key = strdup(path);
    assert_int_equal(ts_service_open(&cfg, NULL, &svc, &err), MM_ERR_BAD_KEY);
    assert_non_null(strstr(err.msg, "not a signing key"));
    free(cfg.key);
    snprintf(path, sizeof path, "%s/ts.key", dir);
    cfg.key = strdup(path);
    free(cfg.issuers[0].keys[0]);
    snprintf(path, sizeof path, "%s/cfg.json", dir);
    cfg.issuers[0].keys[0] = strdup(path);
    assert_int_equal(ts_service_open(&cfg, NULL, &svc, &err), MM_ERR_BAD_KEY);
    assert_non_null(strstr(err.msg, "not a key"));
    ts_config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_and_read),
        cmocka_unit_test(test_keys_heads_consistency),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_batches_share_a_signature),
        cmocka_unit_test(test_slow_batch_redirects),
        cmocka_unit_test(test_queue_full),
        cmocka_unit_test(test_failed_commit),
        cmocka_unit_test(test_restart_and_tamper),
        cmocka_unit_test(test_config),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
