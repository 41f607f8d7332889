/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Crash safety of the Transparency Service. The real `mamori ts serve` runs
 * on a free port of 127.0.0.1 while clients register statements in a loop
 * (the real HTTP client, a connection kept per client); at a random moment
 * the server is killed with SIGKILL, then started again, round after round.
 * Every start runs the start-up check, so a torn log would stop the test
 * there. Afterwards:
 * - every acknowledged registration (201 with a receipt, or 200 when polled
 *   after 303) is in the log: its entry answers 200 with a receipt that
 *   verifies offline, and the receipt it was acknowledged with verifies too;
 * - every root ever signed (every tree head in the database) verifies, is
 *   the root the clients were shown for that size, and is consistent with
 *   the next one, hence with every later one;
 * - `mamori ts check` rebuilds the whole tree from the entries.
 * MM_TS_CRASH_ROUNDS (default 30) and MM_TS_CRASH_SEED make runs longer or
 * repeatable. Statistics go to standard output.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mamori/crypto_openssl.h"
#include "mamori/http.h"
#include "mm_test.h"
#include "ts_harness.h"

#define CLIENTS     4
#define MAX_RECORDS 400000
#define H           MM_MERKLE_HASH_LEN

enum { ACKED, PENDING, UNKNOWN };

/* One registration attempt. */
typedef struct record {
    uint8_t *stmt;
    size_t len;
    uint8_t *receipt; /* as acknowledged (ACKED) */
    size_t receipt_len;
    uint8_t leaf[H];
    int state;
} record;

static record *records;
static size_t n_records;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static mm_key vendor, ts_key;
static volatile int stop_clients;
static char url[128];
static unsigned seed; /* as given or chosen, printed */
static unsigned rng;  /* the moments of the kills */

/* Counts of the run. */
static struct {
    unsigned rounds;
    size_t posts, acked, redirected, failed, again, polled;
} stats;

static void add(const uint8_t *stmt, size_t len, const mm_http_reply *r, int state)
{
    record rec;
    memset(&rec, 0, sizeof rec);
    rec.stmt = malloc(len);
    assert_non_null(rec.stmt);
    memcpy(rec.stmt, stmt, len);
    rec.len = len;
    rec.state = state;
    mm_scitt_leaf leaf;
    assert_int_equal(mm_scitt_leaf_of_statement(mm_crypto_openssl(), mm_bytes_make(stmt, len), &leaf), MM_OK);
    memcpy(rec.leaf, leaf.leaf_hash, H);
    if (state == ACKED) {
        rec.receipt = malloc(r->len);
        assert_non_null(rec.receipt);
        memcpy(rec.receipt, r->body, r->len);
        rec.receipt_len = r->len;
    }
    pthread_mutex_lock(&lock);
    assert_true(n_records < MAX_RECORDS);
    records[n_records++] = rec;
    pthread_mutex_unlock(&lock);
}

typedef struct client_arg {
    int id;
    unsigned rng;
} client_arg;

/* Registers statements until told to stop: new ones, and now and then one
 * acknowledged before (registration is idempotent). */
static void *client_main(void *arg)
{
    client_arg *a = arg;
    mm_http_client *h = NULL;
    assert_int_equal(mm_http_client_new(&h), MM_OK);
    char post_url[200];
    snprintf(post_url, sizeof post_url, "%s/entries", url);
    mm_http_call_opts o = {"application/cose", NULL, 10000, 0, NULL};
    static unsigned counter;
    uint8_t stmt[1024];
    while (!stop_clients) {
        size_t len = 0;
        bool again = false;
        pthread_mutex_lock(&lock);
        size_t pick = n_records != 0 && rand_r(&a->rng) % 50 == 0 ? (size_t)rand_r(&a->rng) % n_records : SIZE_MAX;
        if (pick != SIZE_MAX && records[pick].state == ACKED && records[pick].len <= sizeof stmt) {
            memcpy(stmt, records[pick].stmt, records[pick].len);
            len = records[pick].len;
            again = true;
        }
        unsigned n = ++counter;
        pthread_mutex_unlock(&lock);
        if (!again) {
            char payload[96];
            int plen = snprintf(payload, sizeof payload, "crash test %u client %d statement %u", seed, a->id, n);
            len = harness_statement(&vendor, "vendor-1", "https://vendor.example", "crash",
                                    mm_bytes_make(payload, (size_t)plen), stmt, sizeof stmt);
        }
        mm_http_reply r;
        mm_err e = mm_http_client_call(h, "POST", post_url, mm_bytes_make(stmt, len), &o, &r);
        __atomic_add_fetch(&stats.posts, 1, __ATOMIC_RELAXED);
        if (e == MM_OK && r.status == 303) {
            /* Registration is running: poll the entry (SCRAPI 2.4) until
             * it answers 200, which acknowledges it, or the server dies. */
            __atomic_add_fetch(&stats.polled, 1, __ATOMIC_RELAXED);
            char get[1200];
            snprintf(get, sizeof get, "%s%s", url, r.location);
            mm_http_reply_free(&r);
            r.status = 302;
            for (int i = 0; i < 1000 && e == MM_OK && r.status == 302; i++) {
                struct timespec ts = {0, 2000000};
                nanosleep(&ts, NULL);
                mm_http_reply_free(&r);
                e = mm_http_client_call(h, "GET", get, mm_bytes_make(NULL, 0), NULL, &r);
            }
            r.status = e == MM_OK && r.status == 200 ? 201 : e == MM_OK ? 303 : r.status;
        }
        if (e == MM_OK && r.status == 201) {
            /* Acknowledged: its receipt must verify now. */
            mm_scitt_proven p;
            assert_int_equal(harness_check_receipt(&ts_key, mm_bytes_make(stmt, len), mm_bytes_make(r.body, r.len), &p),
                             MM_OK);
            if (again) {
                __atomic_add_fetch(&stats.again, 1, __ATOMIC_RELAXED);
            } else {
                add(stmt, len, &r, ACKED);
            }
        } else if (e == MM_OK && r.status == 303 && !again) {
            add(stmt, len, &r, PENDING);
        } else if (!again) {
            add(stmt, len, &r, UNKNOWN);
            struct timespec ts = {0, 5000000}; /* the server is gone: do not spin */
            nanosleep(&ts, NULL);
        }
        if (e == MM_OK) {
            mm_http_reply_free(&r);
        }
    }
    mm_http_client_free(h);
    return NULL;
}

static void run_round(const char *config)
{
    e2e_server s;
    int status = 0;
    if (!harness_ts_serve(config, &s, &status)) {
        size_t n = 0;
        char *text = (char *)e2e_read("serve.err", &n);
        fprintf(stderr, "round %u: the service refused to start (exit %d): %s\n", stats.rounds, status,
                text != NULL ? text : "");
        free(text);
        fail();
    }
    snprintf(url, sizeof url, "%s", s.url);
    stop_clients = 0;
    pthread_t t[CLIENTS];
    client_arg args[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        args[i].id = i;
        args[i].rng = seed * 31u + stats.rounds * 7u + (unsigned)i;
        assert_int_equal(pthread_create(&t[i], NULL, client_main, &args[i]), 0);
    }
    /* A random moment: early (maybe before any commit) to well into it. */
    long ms = 20 + (long)(rand_r(&rng) % 900);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    e2e_kill(&s);
    stop_clients = 1;
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(t[i], NULL);
    }
    stats.rounds++;
}

/* size -> root, as clients and the database saw them. */
typedef struct root_of {
    uint64_t size;
    uint8_t root[H];
} root_of;

static root_of *seen;
static size_t n_seen;

static int by_size(const void *a, const void *b)
{
    const root_of *x = a;
    const root_of *y = b;
    return x->size < y->size ? -1 : x->size > y->size;
}

static void saw(uint64_t size, const uint8_t root[H])
{
    seen[n_seen].size = size;
    memcpy(seen[n_seen].root, root, H);
    n_seen++;
}

static void check_log(const char *config)
{
    e2e_server s;
    int status = 0;
    assert_true(harness_ts_serve(config, &s, &status));
    mm_http_client *h = NULL;
    assert_int_equal(mm_http_client_new(&h), MM_OK);
    seen = calloc(2 * n_records + 1, sizeof *seen);
    assert_non_null(seen);
    size_t found_pending = 0, found_unknown = 0;
    for (size_t i = 0; i < n_records; i++) {
        record *rec = &records[i];
        char get[256];
        char id[2 * H + 1];
        for (size_t j = 0; j < H; j++) {
            snprintf(id + 2 * j, 3, "%02x", rec->leaf[j]);
        }
        snprintf(get, sizeof get, "%s/entries/%s", s.url, id);
        mm_http_reply r;
        assert_int_equal(mm_http_client_call(h, "GET", get, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
        if (rec->state == ACKED && r.status != 200) {
            fprintf(stderr, "acknowledged entry %s: %ld, not in the log\n", id, r.status);
            fail();
        }
        assert_true(r.status == 200 || r.status == 404);
        if (r.status == 200) {
            mm_scitt_proven p;
            assert_int_equal(
                harness_check_receipt(&ts_key, mm_bytes_make(rec->stmt, rec->len), mm_bytes_make(r.body, r.len), &p),
                MM_OK);
            saw(p.tree_size, p.root);
            found_pending += rec->state == PENDING ? 1 : 0;
            found_unknown += rec->state == UNKNOWN ? 1 : 0;
        }
        if (rec->state == ACKED) {
            mm_scitt_proven p;
            assert_int_equal(harness_check_receipt(&ts_key, mm_bytes_make(rec->stmt, rec->len),
                                                   mm_bytes_make(rec->receipt, rec->receipt_len), &p),
                             MM_OK);
            saw(p.tree_size, p.root);
        }
        mm_http_reply_free(&r);
    }
    /* Every signed root: in the database, signed, the one clients saw. */
    char db[512];
    e2e_path("ts/ts.db", db, sizeof db);
    sqlite3 *sql = NULL;
    assert_int_equal(sqlite3_open_v2(db, &sql, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(sql, "SELECT size, root FROM tree_heads ORDER BY size", -1, &q, NULL),
                     SQLITE_OK);
    root_of *heads = calloc(n_records + 1, sizeof *heads);
    size_t n_heads = 0;
    while (sqlite3_step(q) == SQLITE_ROW && n_heads <= n_records) {
        heads[n_heads].size = (uint64_t)sqlite3_column_int64(q, 0);
        assert_int_equal(sqlite3_column_bytes(q, 1), H);
        memcpy(heads[n_heads].root, sqlite3_column_blob(q, 1), H);
        n_heads++;
    }
    sqlite3_finalize(q);
    sqlite3_close(sql);
    assert_true(n_heads > 0);
    qsort(seen, n_seen, sizeof *seen, by_size);
    size_t k = 0;
    for (size_t i = 0; i < n_heads; i++) {
        char get[256];
        snprintf(get, sizeof get, "%s/tree-heads/%llu", s.url, (unsigned long long)heads[i].size);
        mm_http_reply r;
        assert_int_equal(mm_http_client_call(h, "GET", get, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
        assert_int_equal(r.status, 200);
        mm_cose_sign1 s1;
        assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(r.body, r.len), &s1, NULL), MM_OK);
        mm_cose_verify_opts vo;
        memset(&vo, 0, sizeof vo);
        vo.crypto = mm_crypto_openssl();
        vo.key = &ts_key;
        assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_OK);
        assert_true(mm_bytes_equal(s1.payload, mm_bytes_make(heads[i].root, H)));
        mm_http_reply_free(&r);
        /* The roots clients hold for this size are this one. */
        while (k < n_seen && seen[k].size < heads[i].size) {
            fprintf(stderr, "a receipt of tree size %llu, which no tree head has\n", (unsigned long long)seen[k].size);
            fail();
        }
        for (; k < n_seen && seen[k].size == heads[i].size; k++) {
            assert_memory_equal(seen[k].root, heads[i].root, H);
        }
        if (i == 0) {
            continue;
        }
        /* Consistent with the one before, hence with all before. */
        snprintf(get, sizeof get, "%s/consistency/%llu/%llu", s.url, (unsigned long long)heads[i - 1].size,
                 (unsigned long long)heads[i].size);
        assert_int_equal(mm_http_client_call(h, "GET", get, mm_bytes_make(NULL, 0), NULL, &r), MM_OK);
        assert_int_equal(r.status, 200);
        mm_scitt_receipt rec;
        assert_int_equal(mm_scitt_receipt_decode(mm_bytes_make(r.body, r.len), &rec, NULL), MM_OK);
        mm_scitt_verify_opts so = {mm_crypto_openssl(), &ts_key, NULL, NULL, 0, NULL, 0};
        mm_scitt_proven p;
        assert_int_equal(mm_scitt_receipt_verify_consistency(&rec, heads[i - 1].size, heads[i - 1].root, &so, &p),
                         MM_OK);
        assert_memory_equal(p.root, heads[i].root, H);
        mm_http_reply_free(&r);
    }
    assert_int_equal(k, n_seen);
    mm_http_client_free(h);
    assert_int_equal(e2e_stop(&s), 0);
    const char *check[] = {"ts", "check", "--config", config, NULL};
    assert_int_equal(e2e_run("check", check), 0);
    printf("crash test: seed %u, %u rounds killed with SIGKILL, %zu registrations posted (%zu again)\n", seed,
           stats.rounds, stats.posts, stats.again);
    printf("crash test: %zu acknowledged, all in the log with receipts that verify (and their acknowledged "
           "receipts)\n",
           stats.acked);
    printf("crash test: %zu answered 303 and acknowledged by polling; %zu answered 303 and unacknowledged (%zu of "
           "them registered); %zu unanswered (%zu of them registered)\n",
           stats.polled - stats.redirected, stats.redirected, found_pending, stats.failed, found_unknown);
    printf("crash test: tree size %llu, %zu signed tree heads, each verified and consistent with the next; "
           "%zu receipt roots matched\n",
           (unsigned long long)heads[n_heads - 1].size, n_heads, n_seen);
    free(heads);
    free(seen);
}

static void test_crash(void **state)
{
    (void)state;
    const char *env = getenv("MM_TS_CRASH_SEED");
    seed = env != NULL ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    env = getenv("MM_TS_CRASH_ROUNDS");
    unsigned rounds = env != NULL ? (unsigned)strtoul(env, NULL, 10) : 30;
    rounds = rounds == 0 ? 1 : rounds > 10000 ? 10000 : rounds;
    rng = seed;
    records = calloc(MAX_RECORDS, sizeof *records);
    assert_non_null(records);
    e2e_dir(TS_E2E_DIR);
    harness_issuer_key("vendor", "vendor-1", &vendor);
    const char *init[] = {"ts",       "init",
                          "--dir",    "ts",
                          "--issuer", "https://ts.crash.example",
                          "--trust",  "https://vendor.example=vendor.cose",
                          NULL};
    assert_int_equal(e2e_run("init", init), 0);
    harness_ts_key(&ts_key);
    /* A short wait for the receipt, so that some registrations are
     * answered 303 and acknowledged by polling. */
    size_t cfg_len = 0;
    char *cfg = (char *)e2e_read("ts/ts.json", &cfg_len);
    assert_non_null(cfg);
    char *wait = strstr(cfg, "\"receipt_wait_ms\": 2000");
    assert_non_null(wait);
    memcpy(wait, "\"receipt_wait_ms\":    5", 23);
    e2e_write("ts/ts.json", cfg, cfg_len);
    free(cfg);
    printf("crash test: seed %u (MM_TS_CRASH_SEED), %u rounds (MM_TS_CRASH_ROUNDS)\n", seed, rounds);
    fflush(stdout);
    for (unsigned i = 0; i < rounds; i++) {
        run_round("ts/ts.json");
    }
    for (size_t i = 0; i < n_records; i++) {
        stats.acked += records[i].state == ACKED ? 1 : 0;
        stats.redirected += records[i].state == PENDING ? 1 : 0;
        stats.failed += records[i].state == UNKNOWN ? 1 : 0;
    }
    assert_true(stats.acked > 0);
    check_log("ts/ts.json");
    for (size_t i = 0; i < n_records; i++) {
        free(records[i].stmt);
        free(records[i].receipt);
    }
    free(records);
    mm_key_free(&vendor);
    mm_key_free(&ts_key);
    e2e_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
