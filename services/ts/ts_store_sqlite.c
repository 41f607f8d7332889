/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Transparency Service's store on SQLite (ts_store.h): one writer
 * connection for the sequencer, a small pool of reader connections for the
 * HTTP threads. WAL journal and synchronous=FULL (mm_sqlite_open), so a
 * commit is on disk when it returns, and readers never block the writer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/sqlite_store.h"
#include "ts_store.h"

/* Schema version 1: the tree's nodes and size, the entries, the signed
 * tree heads. WITHOUT ROWID keeps a node in one b-tree keyed by its
 * position. */
static const char *const migrations[] = {
    "CREATE TABLE tree (id INTEGER PRIMARY KEY CHECK (id = 0), size INTEGER NOT NULL);"
    "INSERT INTO tree VALUES (0, 0);"
    "CREATE TABLE nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY (level, idx)) WITHOUT ROWID;"
    "CREATE TABLE entries (seq INTEGER PRIMARY KEY, leaf BLOB NOT NULL UNIQUE, entry BLOB NOT NULL);"
    "CREATE TABLE tree_heads (size INTEGER PRIMARY KEY, root BLOB NOT NULL, iat INTEGER NOT NULL,"
    " protected BLOB NOT NULL, signature BLOB NOT NULL);",
};

/* Most reader connections. */
#define MAX_READERS 64

/* How long a reader waits for a free connection before giving up. */
#define READER_WAIT_S 10

enum {
    W_BEGIN,
    W_COMMIT,
    W_ROLLBACK,
    W_GET_SIZE,
    W_SET_SIZE,
    W_GET_NODE,
    W_PUT_NODE,
    W_PUT_ENTRY,
    W_PUT_HEAD,
    W_COUNT,
};

static const char *const writer_sql[W_COUNT] = {
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SELECT size FROM tree WHERE id = 0",
    "UPDATE tree SET size = ?1 WHERE id = 0",
    "SELECT hash FROM nodes WHERE level = ?1 AND idx = ?2",
    "INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?1, ?2, ?3)",
    "INSERT INTO entries (seq, leaf, entry) VALUES (?1, ?2, ?3)",
    "INSERT INTO tree_heads (size, root, iat, protected, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
};

enum {
    R_NODE,
    R_FIND,
    R_ENTRY,
    R_HEAD,
    R_LATEST,
    R_LIST,
    R_COUNT,
};

static const char *const reader_sql[R_COUNT] = {
    "SELECT hash FROM nodes WHERE level = ?1 AND idx = ?2",
    "SELECT seq FROM entries WHERE leaf = ?1",
    "SELECT leaf, entry FROM entries WHERE seq = ?1",
    "SELECT size, root, iat, protected, signature FROM tree_heads WHERE size = ?1",
    "SELECT size, root, iat, protected, signature FROM tree_heads ORDER BY size DESC LIMIT 1",
    "SELECT size FROM tree_heads WHERE size > ?1 ORDER BY size LIMIT ?2",
};

/* Statements prepared on one connection, at most. */
#define STMT_MAX 9

typedef struct conn {
    sqlite3 *db;
    sqlite3_stmt *st[STMT_MAX];
    size_t n_st;
} conn;

typedef struct sqlite_store {
    conn writer;
    conn readers[MAX_READERS];
    unsigned n_readers;
    unsigned free_stack[MAX_READERS]; /* indices of idle readers */
    unsigned n_free;
    pthread_mutex_t lock;
    pthread_cond_t freed;
} sqlite_store;

void ts_tree_head_free(ts_tree_head *th)
{
    if (th != NULL) {
        free(th->prot);
        free(th->sig);
        th->prot = NULL;
        th->sig = NULL;
        th->prot_len = 0;
        th->sig_len = 0;
    }
}

mm_err ts_tree_head_copy(ts_tree_head *dst, const ts_tree_head *src)
{
    *dst = *src;
    dst->prot = malloc(src->prot_len != 0 ? src->prot_len : 1);
    dst->sig = malloc(src->sig_len != 0 ? src->sig_len : 1);
    if (dst->prot == NULL || dst->sig == NULL) {
        ts_tree_head_free(dst);
        return MM_ERR_PLATFORM;
    }
    memcpy(dst->prot, src->prot, src->prot_len);
    memcpy(dst->sig, src->sig, src->sig_len);
    return MM_OK;
}

static void conn_close(conn *c)
{
    for (size_t i = 0; i < c->n_st; i++) {
        sqlite3_finalize(c->st[i]);
    }
    c->n_st = 0;
    sqlite3_close(c->db);
    c->db = NULL;
}

static mm_err conn_open(const char *path, const char *const *sql, size_t n, int cache_kib, conn *c)
{
    memset(c, 0, sizeof *c);
    mm_err e = mm_sqlite_open(path, migrations, sizeof migrations / sizeof migrations[0], &c->db);
    if (e != MM_OK) {
        return e;
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size=-%d;", cache_kib);
    e = mm_sqlite_exec(c->db, pragma);
    for (size_t i = 0; e == MM_OK && i < n; i++) {
        if (sqlite3_prepare_v3(c->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i], NULL) != SQLITE_OK) {
            e = MM_ERR_PLATFORM;
        } else {
            c->n_st = i + 1;
        }
    }
    if (e != MM_OK) {
        conn_close(c);
    }
    return e;
}

/* SQLite integers are signed: positions and sizes stay below 2^63. */
static bool fits(uint64_t v) { return v <= (uint64_t)INT64_MAX; }

/* Runs a statement that returns no rows, then resets it. */
static mm_err run(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE) {
        return MM_OK;
    }
    return (rc & 0xff) == SQLITE_CONSTRAINT ? MM_ERR_STATE : MM_ERR_PLATFORM;
}

/* Copies a 32-byte blob column. */
static mm_err column_hash(sqlite3_stmt *st, int col, uint8_t out[MM_MERKLE_HASH_LEN])
{
    const void *p = sqlite3_column_blob(st, col);
    if (p == NULL || sqlite3_column_bytes(st, col) != MM_MERKLE_HASH_LEN) {
        return MM_ERR_PLATFORM; /* a damaged database: not something to serve */
    }
    memcpy(out, p, MM_MERKLE_HASH_LEN);
    return MM_OK;
}

/* A malloc'ed copy of a blob column. */
static mm_err column_copy(sqlite3_stmt *st, int col, uint8_t **out, size_t *len)
{
    int n = sqlite3_column_bytes(st, col);
    const void *p = sqlite3_column_blob(st, col);
    *out = malloc(n > 0 ? (size_t)n : 1);
    if (*out == NULL) {
        return MM_ERR_PLATFORM;
    }
    if (n > 0) {
        memcpy(*out, p, (size_t)n);
    }
    *len = n > 0 ? (size_t)n : 0;
    return MM_OK;
}

static mm_err node_query(sqlite3_stmt *st, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    if (!fits(index)) {
        return MM_ERR_MISSING_FIELD;
    }
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    int rc = sqlite3_step(st);
    mm_err e = rc == SQLITE_ROW ? column_hash(st, 0, hash) : rc == SQLITE_DONE ? MM_ERR_MISSING_FIELD : MM_ERR_PLATFORM;
    sqlite3_reset(st);
    return e;
}

/*
 * The writer.
 */

static mm_err w_begin(void *user)
{
    sqlite_store *s = user;
    return run(s->writer.st[W_BEGIN]);
}

static mm_err w_commit(void *user)
{
    sqlite_store *s = user;
    return run(s->writer.st[W_COMMIT]);
}

static void w_rollback(void *user)
{
    sqlite_store *s = user;
    if (!sqlite3_get_autocommit(s->writer.db)) {
        (void)run(s->writer.st[W_ROLLBACK]);
    }
}

static mm_err w_get_size(void *user, uint64_t *size)
{
    sqlite_store *s = user;
    sqlite3_stmt *st = s->writer.st[W_GET_SIZE];
    int rc = sqlite3_step(st);
    mm_err e = MM_ERR_PLATFORM;
    if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) >= 0) {
        *size = (uint64_t)sqlite3_column_int64(st, 0);
        e = MM_OK;
    }
    sqlite3_reset(st);
    return e;
}

static mm_err w_set_size(void *user, uint64_t size)
{
    sqlite_store *s = user;
    if (!fits(size)) {
        return MM_ERR_TOO_LARGE;
    }
    sqlite3_stmt *st = s->writer.st[W_SET_SIZE];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    return run(st);
}

static mm_err w_get_node(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    sqlite_store *s = user;
    return node_query(s->writer.st[W_GET_NODE], level, index, hash);
}

static mm_err w_put_node(void *user, unsigned level, uint64_t index, const uint8_t hash[MM_MERKLE_HASH_LEN])
{
    sqlite_store *s = user;
    if (!fits(index)) {
        return MM_ERR_TOO_LARGE;
    }
    sqlite3_stmt *st = s->writer.st[W_PUT_NODE];
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 3, hash, MM_MERKLE_HASH_LEN, SQLITE_STATIC);
    return run(st);
}

static mm_err w_put_entry(void *user, uint64_t seq, const uint8_t leaf[MM_MERKLE_HASH_LEN], mm_bytes entry)
{
    sqlite_store *s = user;
    if (!fits(seq) || entry.len > (size_t)INT32_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    sqlite3_stmt *st = s->writer.st[W_PUT_ENTRY];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(st, 2, leaf, MM_MERKLE_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, entry.ptr, (int)entry.len, SQLITE_STATIC);
    return run(st);
}

static mm_err w_put_tree_head(void *user, const ts_tree_head *th)
{
    sqlite_store *s = user;
    if (!fits(th->size) || th->prot_len > (size_t)INT32_MAX || th->sig_len > (size_t)INT32_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    sqlite3_stmt *st = s->writer.st[W_PUT_HEAD];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)th->size);
    sqlite3_bind_blob(st, 2, th->root, MM_MERKLE_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, th->iat);
    sqlite3_bind_blob(st, 4, th->prot, (int)th->prot_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, th->sig, (int)th->sig_len, SQLITE_STATIC);
    return run(st);
}

/*
 * Readers: a connection from the pool for each call.
 */

static conn *acquire(sqlite_store *s)
{
    pthread_mutex_lock(&s->lock);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += READER_WAIT_S;
    int rc = 0;
    while (s->n_free == 0 && rc == 0) {
        rc = pthread_cond_timedwait(&s->freed, &s->lock, &until);
    }
    conn *c = s->n_free != 0 ? &s->readers[s->free_stack[--s->n_free]] : NULL;
    pthread_mutex_unlock(&s->lock);
    return c;
}

static void release(sqlite_store *s, conn *c)
{
    pthread_mutex_lock(&s->lock);
    s->free_stack[s->n_free++] = (unsigned)(c - s->readers);
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

static mm_err r_node(void *user, unsigned level, uint64_t index, uint8_t hash[MM_MERKLE_HASH_LEN])
{
    sqlite_store *s = user;
    conn *c = acquire(s);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    mm_err e = node_query(c->st[R_NODE], level, index, hash);
    release(s, c);
    return e;
}

static mm_err r_find(void *user, const uint8_t leaf[MM_MERKLE_HASH_LEN], uint64_t *seq)
{
    sqlite_store *s = user;
    conn *c = acquire(s);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    sqlite3_stmt *st = c->st[R_FIND];
    sqlite3_bind_blob(st, 1, leaf, MM_MERKLE_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    mm_err e = MM_ERR_PLATFORM;
    if (rc == SQLITE_ROW) {
        *seq = (uint64_t)sqlite3_column_int64(st, 0);
        e = MM_OK;
    } else if (rc == SQLITE_DONE) {
        e = MM_ERR_MISSING_FIELD;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    release(s, c);
    return e;
}

static mm_err r_entry(void *user, uint64_t seq, uint8_t leaf[MM_MERKLE_HASH_LEN], uint8_t **entry, size_t *len)
{
    sqlite_store *s = user;
    if (!fits(seq)) {
        return MM_ERR_MISSING_FIELD;
    }
    conn *c = acquire(s);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    sqlite3_stmt *st = c->st[R_ENTRY];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    int rc = sqlite3_step(st);
    mm_err e = rc == SQLITE_ROW ? MM_OK : rc == SQLITE_DONE ? MM_ERR_MISSING_FIELD : MM_ERR_PLATFORM;
    if (e == MM_OK && leaf != NULL) {
        e = column_hash(st, 0, leaf);
    }
    if (e == MM_OK && entry != NULL) {
        e = column_copy(st, 1, entry, len);
    }
    sqlite3_reset(st);
    release(s, c);
    return e;
}

static mm_err r_tree_head(void *user, uint64_t size, ts_tree_head *th)
{
    sqlite_store *s = user;
    memset(th, 0, sizeof *th);
    if (size != TS_LATEST && !fits(size)) {
        return MM_ERR_MISSING_FIELD;
    }
    conn *c = acquire(s);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    sqlite3_stmt *st = c->st[size == TS_LATEST ? R_LATEST : R_HEAD];
    if (size != TS_LATEST) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    }
    int rc = sqlite3_step(st);
    mm_err e = rc == SQLITE_ROW ? MM_OK : rc == SQLITE_DONE ? MM_ERR_MISSING_FIELD : MM_ERR_PLATFORM;
    if (e == MM_OK) {
        th->size = (uint64_t)sqlite3_column_int64(st, 0);
        th->iat = sqlite3_column_int64(st, 2);
        e = column_hash(st, 1, th->root);
    }
    if (e == MM_OK) {
        e = column_copy(st, 3, &th->prot, &th->prot_len);
    }
    if (e == MM_OK) {
        e = column_copy(st, 4, &th->sig, &th->sig_len);
    }
    sqlite3_reset(st);
    release(s, c);
    if (e != MM_OK) {
        ts_tree_head_free(th);
    }
    return e;
}

static mm_err r_list(void *user, uint64_t after, uint64_t *sizes, size_t cap, size_t *n)
{
    sqlite_store *s = user;
    *n = 0;
    if (!fits(after) || cap > (size_t)INT32_MAX) {
        return MM_ERR_INVALID_ARG;
    }
    conn *c = acquire(s);
    if (c == NULL) {
        return MM_ERR_PLATFORM;
    }
    sqlite3_stmt *st = c->st[R_LIST];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
    int rc = SQLITE_DONE;
    while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sizes[(*n)++] = (uint64_t)sqlite3_column_int64(st, 0);
    }
    mm_err e = *n == cap || rc == SQLITE_DONE ? MM_OK : MM_ERR_PLATFORM;
    sqlite3_reset(st);
    release(s, c);
    return e;
}

static void s_close(void *user)
{
    sqlite_store *s = user;
    if (s == NULL) {
        return;
    }
    w_rollback(s);
    conn_close(&s->writer);
    for (unsigned i = 0; i < s->n_readers; i++) {
        conn_close(&s->readers[i]);
    }
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->freed);
    free(s);
}

static const ts_store_ops sqlite_ops = {
    TS_STORE_V1, w_begin,         w_commit, w_rollback, w_get_size, w_set_size,  w_get_node, w_put_node,
    w_put_entry, w_put_tree_head, r_node,   r_find,     r_entry,    r_tree_head, r_list,     s_close,
};

mm_err ts_store_sqlite_open(const char *path, unsigned readers, ts_store *out)
{
    if (path == NULL || out == NULL || readers == 0 || readers > MAX_READERS) {
        return MM_ERR_INVALID_ARG;
    }
    out->ops = NULL;
    out->user = NULL;
    sqlite_store *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return MM_ERR_PLATFORM;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    /* The writer first: it creates the schema the readers then find. Its
     * page cache is the larger: appends touch the right edge of every
     * index. */
    mm_err e = conn_open(path, writer_sql, W_COUNT, 32768, &s->writer);
    for (unsigned i = 0; e == MM_OK && i < readers; i++) {
        e = conn_open(path, reader_sql, R_COUNT, 8192, &s->readers[i]);
        if (e == MM_OK) {
            s->n_readers = i + 1;
            s->free_stack[s->n_free++] = i;
        }
    }
    if (e != MM_OK) {
        s_close(s);
        return e;
    }
    out->ops = &sqlite_ops;
    out->user = s;
    return MM_OK;
}
