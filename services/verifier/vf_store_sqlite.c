/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier's store on SQLite (vf_store.h): a pool of reader connections
 * for the HTTP threads, one writer connection for the run mark, the used
 * nonces saved at a stop, and administration. WAL and synchronous=FULL
 * (mm_sqlite_open): a commit is on disk when it returns, and readers never
 * block the writer.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/sqlite_store.h"
#include "vf_store.h"
#include "vf_wal_watch.h"

#define POLICY_BUMP "UPDATE meta SET value = value + 1 WHERE name = 'policy-version';"

/* Schema version 1. A scope is a ueid, or an oemid and a hwmodel, or (for
 * reference values) nothing; the CHECKs keep it one of these. Used nonces
 * are kept until they expire (WITHOUT ROWID: one b-tree keyed by nonce). */
static const char *const migrations[] = {
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE endorsements (id INTEGER PRIMARY KEY, ueid BLOB, oemid BLOB, hwmodel BLOB,"
    " cose_key BLOB NOT NULL, kid BLOB, thumbprint BLOB NOT NULL, compromised INTEGER NOT NULL DEFAULT 0,"
    " source TEXT NOT NULL,"
    " CHECK ((ueid IS NOT NULL AND oemid IS NULL AND hwmodel IS NULL) OR"
    " (ueid IS NULL AND oemid IS NOT NULL AND hwmodel IS NOT NULL)));"
    "CREATE INDEX endorsements_kid ON endorsements (kid);"
    "CREATE INDEX endorsements_thumbprint ON endorsements (thumbprint);"
    "CREATE INDEX endorsements_ueid ON endorsements (ueid);"
    "CREATE INDEX endorsements_model ON endorsements (oemid, hwmodel);"
    "CREATE INDEX endorsements_source ON endorsements (source);"
    "CREATE TABLE reference_values (id INTEGER PRIMARY KEY, ueid BLOB, oemid BLOB, hwmodel BLOB,"
    " kind TEXT NOT NULL CHECK (kind IN ('swname', 'swversion', 'measurement', 'manifest', 'secure-boot',"
    " 'debug', 'oemid', 'hwmodel', 'hwversion')),"
    " value BLOB, alg INTEGER NOT NULL DEFAULT 0, level INTEGER NOT NULL DEFAULT 0, label TEXT,"
    " source TEXT NOT NULL,"
    " CHECK (ueid IS NULL OR (oemid IS NULL AND hwmodel IS NULL)), CHECK ((oemid IS NULL) = (hwmodel IS NULL)));"
    "CREATE INDEX reference_values_ueid ON reference_values (ueid);"
    "CREATE INDEX reference_values_model ON reference_values (oemid, hwmodel);"
    "CREATE INDEX reference_values_source ON reference_values (source);"
    "CREATE TABLE used_nonces (nonce BLOB PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX used_nonces_expires ON used_nonces (expires);",
    /* Version 2: meta 'policy-version', raised by every change to the
     * endorsements or reference values, by whatever process or tool, in
     * the change's own transaction: the service caches policy rows and
     * reads this once per appraisal to know whether they still hold. */
    "INSERT OR IGNORE INTO meta (name, value) VALUES ('policy-version', 0);"
    "CREATE TRIGGER endorsements_ins AFTER INSERT ON endorsements BEGIN " POLICY_BUMP " END;"
    "CREATE TRIGGER endorsements_upd AFTER UPDATE ON endorsements BEGIN " POLICY_BUMP " END;"
    "CREATE TRIGGER endorsements_del AFTER DELETE ON endorsements BEGIN " POLICY_BUMP " END;"
    "CREATE TRIGGER reference_values_ins AFTER INSERT ON reference_values BEGIN " POLICY_BUMP " END;"
    "CREATE TRIGGER reference_values_upd AFTER UPDATE ON reference_values BEGIN " POLICY_BUMP " END;"
    "CREATE TRIGGER reference_values_del AFTER DELETE ON reference_values BEGIN " POLICY_BUMP " END;",
    /* Version 3: used nonces keyed by (expires, nonce), the index on
     * expires gone. The expiry is part of the nonce (vf_nonce.h), so the
     * pair is unique exactly when the nonce is; but new rows now land at
     * the b-tree's right edge, one page for a whole batch, instead of on a
     * random leaf each plus the index's page: a commit writes a page or
     * two rather than two per nonce, and the pages it touches stay cached.
     * (Since the used-nonce set, the table is written only at a clean stop,
     * and a row's nonce is the nonce's 16-byte tag; rows of whole 40-byte
     * nonces, from before, are read by their tag.) */
    "CREATE TABLE used_nonces_v3 (expires INTEGER NOT NULL, nonce BLOB NOT NULL, PRIMARY KEY (expires, nonce))"
    " WITHOUT ROWID;"
    "INSERT INTO used_nonces_v3 (expires, nonce) SELECT expires, nonce FROM used_nonces;"
    "DROP TABLE used_nonces;"
    "ALTER TABLE used_nonces_v3 RENAME TO used_nonces;",
};

#define MAX_READERS 64

#define END_COLUMNS "id, ueid, oemid, hwmodel, cose_key, kid, thumbprint, compromised, source"
#define REF_COLUMNS "id, ueid, oemid, hwmodel, kind, value, alg, level, label, source"

enum { R_END_KID, R_END_UEID, R_END_MODEL, R_REFS, R_VERSION, R_COUNT };

static const char *const reader_sql[R_COUNT] = {
    "SELECT " END_COLUMNS " FROM endorsements WHERE kid = ?1 OR thumbprint = ?1 ORDER BY id LIMIT 9",
    "SELECT " END_COLUMNS " FROM endorsements WHERE ueid = ?1 ORDER BY id LIMIT 9",
    "SELECT " END_COLUMNS " FROM endorsements WHERE oemid = ?1 AND hwmodel = ?2 ORDER BY id LIMIT 9",
    "SELECT " REF_COLUMNS " FROM reference_values WHERE ueid = ?1 OR (oemid = ?2 AND hwmodel = ?3)"
    " OR (ueid IS NULL AND oemid IS NULL) ORDER BY id LIMIT 129",
    "SELECT value FROM meta WHERE name = 'policy-version'",
};

typedef struct reader {
    sqlite3 *db;
    sqlite3_stmt *st[R_COUNT];
    bool busy;
} reader;

struct vf_store {
    sqlite3 *writer;
    reader readers[MAX_READERS];
    unsigned n_readers;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    uint8_t secret[VF_SECRET_LEN];
    /* The policy version as last read, and the wal-index header seen just
     * before that read (vf_wal_watch.h): while the header is unchanged, no
     * commit happened and the version holds. */
    vf_wal_watch watch;
    pthread_mutex_t seen_lock;
    bool seen_valid;
    uint8_t seen_hdr[VF_WAL_HDR];
    int64_t seen_version;
};

static mm_err step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MM_OK : MM_ERR_PLATFORM;
}

/* The nonce key: read, or made and stored by the first opener (INSERT OR
 * IGNORE, so two processes opening a new store agree on one key). */
static mm_err load_secret(vf_store *s)
{
    uint8_t fresh[VF_SECRET_LEN];
    mm_err e = mm_random(mm_crypto_openssl(), fresh, sizeof fresh);
    sqlite3_stmt *st = NULL;
    if (e == MM_OK &&
        sqlite3_prepare_v2(s->writer, "INSERT OR IGNORE INTO meta (name, value) VALUES ('nonce-key', ?1)", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, fresh, sizeof fresh, SQLITE_STATIC) == SQLITE_OK) {
        e = step_done(st);
    } else {
        e = MM_ERR_PLATFORM;
    }
    sqlite3_finalize(st);
    mm_wipe(fresh, sizeof fresh);
    st = NULL;
    if (e == MM_OK &&
        sqlite3_prepare_v2(s->writer, "SELECT value FROM meta WHERE name = 'nonce-key'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == VF_SECRET_LEN) {
        memcpy(s->secret, sqlite3_column_blob(st, 0), VF_SECRET_LEN);
    } else {
        e = MM_ERR_PLATFORM;
    }
    sqlite3_finalize(st);
    return e;
}

/* Gives put the saved used nonces that expire after now; false when put
 * refused one. Rows from before the tag was the key hold whole nonces. */
static mm_err load_used(vf_store *s, int64_t now, vf_used_put_fn put, void *user, bool *all)
{
    sqlite3_stmt *st = NULL;
    *all = true;
    if (sqlite3_prepare_v2(s->writer, "SELECT nonce, expires FROM used_nonces WHERE expires > ?1", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, now) != SQLITE_OK) {
        sqlite3_finalize(st);
        return MM_ERR_PLATFORM;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *all) {
        const uint8_t *b = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        vf_used_nonce n;
        n.expires = sqlite3_column_int64(st, 1);
        if (len == VF_NONCE_TAG) {
            memcpy(n.tag, b, VF_NONCE_TAG);
        } else if (len == VF_NONCE_LEN) {
            memcpy(n.tag, b + VF_NONCE_TAG_AT, VF_NONCE_TAG);
        } else {
            continue; /* not a nonce this verifier makes */
        }
        *all = put(user, &n);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MM_OK : MM_ERR_PLATFORM;
}

/* meta 'run': 1 while a service runs on the store (or after it crashed), 0
 * once one stopped cleanly; absent before the first run. */
mm_err vf_store_run_begin(vf_store *s, int64_t now, vf_used_put_fn put, void *user, vf_run_start *how)
{
    if (s == NULL || put == NULL || how == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    *how = VF_RUN_FIRST;
    sqlite3_stmt *st = NULL;
    mm_err e = mm_sqlite_exec(s->writer, "BEGIN IMMEDIATE");
    if (e == MM_OK) {
        int rc = sqlite3_prepare_v2(s->writer, "SELECT value FROM meta WHERE name = 'run'", -1, &st, NULL);
        rc = rc == SQLITE_OK ? sqlite3_step(st) : rc;
        if (rc == SQLITE_ROW) {
            *how = sqlite3_column_int64(st, 0) == 0 ? VF_RUN_CLEAN : VF_RUN_UNCLEAN;
        } else if (rc == SQLITE_DONE) {
            *how = VF_RUN_FIRST;
        } else {
            e = MM_ERR_PLATFORM;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (e == MM_OK && *how == VF_RUN_CLEAN) {
        bool all = true;
        e = load_used(s, now, put, user, &all);
        if (e == MM_OK && !all) {
            *how = VF_RUN_TOO_MANY;
        }
    }
    uint8_t fresh[VF_SECRET_LEN];
    if (e == MM_OK && *how != VF_RUN_CLEAN) {
        /* The last run's used nonces are lost (or not all kept): honour
         * none it issued. */
        e = mm_random(mm_crypto_openssl(), fresh, sizeof fresh);
        if (e == MM_OK && (sqlite3_prepare_v2(s->writer, "UPDATE meta SET value = ?1 WHERE name = 'nonce-key'", -1, &st,
                                              NULL) != SQLITE_OK ||
                           sqlite3_bind_blob(st, 1, fresh, sizeof fresh, SQLITE_STATIC) != SQLITE_OK ||
                           step_done(st) != MM_OK || sqlite3_changes(s->writer) != 1)) {
            e = MM_ERR_PLATFORM;
        }
        sqlite3_finalize(st);
        if (e == MM_OK) {
            e = mm_sqlite_exec(s->writer, "DELETE FROM used_nonces");
        }
    }
    if (e == MM_OK) {
        e = mm_sqlite_exec(s->writer, "INSERT OR REPLACE INTO meta (name, value) VALUES ('run', 1)");
    }
    if (e == MM_OK) {
        e = mm_sqlite_exec(s->writer, "COMMIT"); /* synchronous=FULL: the mark is on disk */
    }
    if (e != MM_OK) {
        (void)sqlite3_exec(s->writer, "ROLLBACK", NULL, NULL, NULL);
    } else if (*how != VF_RUN_CLEAN) {
        memcpy(s->secret, fresh, sizeof fresh);
    }
    mm_wipe(fresh, sizeof fresh);
    return e;
}

mm_err vf_store_run_end(vf_store *s, vf_used_next_fn next, void *user)
{
    if (s == NULL || next == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    sqlite3_stmt *st = NULL;
    mm_err e = mm_sqlite_exec(s->writer, "BEGIN IMMEDIATE");
    if (e == MM_OK) {
        e = mm_sqlite_exec(s->writer, "DELETE FROM used_nonces");
    }
    if (e == MM_OK &&
        sqlite3_prepare_v2(s->writer, "INSERT OR IGNORE INTO used_nonces (expires, nonce) VALUES (?1, ?2)", -1, &st,
                           NULL) != SQLITE_OK) {
        e = MM_ERR_PLATFORM;
    }
    vf_used_nonce n;
    while (e == MM_OK && next(user, &n)) {
        if (sqlite3_bind_int64(st, 1, n.expires) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, n.tag, VF_NONCE_TAG, SQLITE_STATIC) != SQLITE_OK || step_done(st) != MM_OK) {
            e = MM_ERR_PLATFORM;
        }
    }
    sqlite3_finalize(st);
    if (e == MM_OK) {
        e = mm_sqlite_exec(s->writer, "UPDATE meta SET value = 0 WHERE name = 'run'");
    }
    if (e == MM_OK) {
        e = mm_sqlite_exec(s->writer, "COMMIT"); /* synchronous=FULL: nonces and mark on disk */
    }
    if (e != MM_OK) {
        (void)sqlite3_exec(s->writer, "ROLLBACK", NULL, NULL, NULL);
    }
    return e;
}

static mm_err open_reader(const char *path, reader *r)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return MM_ERR_PLATFORM;
    }
    sqlite3_busy_timeout(db, 5000);
    r->db = db;
    for (int i = 0; i < R_COUNT; i++) {
        if (sqlite3_prepare_v3(db, reader_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &r->st[i], NULL) != SQLITE_OK) {
            return MM_ERR_PLATFORM;
        }
    }
    return MM_OK;
}

void vf_store_close(vf_store *s)
{
    if (s == NULL) {
        return;
    }
    vf_wal_watch_close(&s->watch); /* while the connections keep the file */
    pthread_mutex_destroy(&s->seen_lock);
    for (unsigned i = 0; i < s->n_readers; i++) {
        for (int j = 0; j < R_COUNT; j++) {
            sqlite3_finalize(s->readers[i].st[j]);
        }
        sqlite3_close(s->readers[i].db);
    }
    sqlite3_close(s->writer);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->freed);
    mm_wipe(s->secret, sizeof s->secret);
    free(s);
}

mm_err vf_store_open(const char *path, unsigned readers, vf_store **out)
{
    if (path == NULL || out == NULL || readers == 0 || readers > MAX_READERS) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    vf_store *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return MM_ERR_PLATFORM;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    pthread_mutex_init(&s->seen_lock, NULL);
    mm_err e = mm_sqlite_open(path, migrations, sizeof migrations / sizeof migrations[0], &s->writer);
    if (e == MM_OK) {
        e = load_secret(s);
    }
    for (unsigned i = 0; e == MM_OK && i < readers; i++) {
        e = open_reader(path, &s->readers[i]);
        s->n_readers = i + 1;
    }
    if (e != MM_OK) {
        vf_store_close(s);
        return e;
    }
    (void)vf_wal_watch_open(&s->watch, path); /* without it, every call reads */
    *out = s;
    return MM_OK;
}

void vf_store_secret(const vf_store *s, uint8_t key[VF_SECRET_LEN]) { memcpy(key, s->secret, VF_SECRET_LEN); }

static reader *acquire(vf_store *s)
{
    pthread_mutex_lock(&s->lock);
    for (;;) {
        for (unsigned i = 0; i < s->n_readers; i++) {
            if (!s->readers[i].busy) {
                s->readers[i].busy = true;
                pthread_mutex_unlock(&s->lock);
                return &s->readers[i];
            }
        }
        pthread_cond_wait(&s->freed, &s->lock);
    }
}

static void release(vf_store *s, reader *r)
{
    for (int i = 0; i < R_COUNT; i++) {
        sqlite3_reset(r->st[i]);
        sqlite3_clear_bindings(r->st[i]);
    }
    pthread_mutex_lock(&s->lock);
    r->busy = false;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

/* A column copied into the arena (NULL and empty: an empty view). */
static mm_err take(vf_rows *rows, sqlite3_stmt *st, int col, mm_bytes *out)
{
    const void *p = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    *out = mm_bytes_make(NULL, 0);
    if (p == NULL || n == 0) {
        return MM_OK;
    }
    if (n > sizeof rows->arena - rows->used) {
        return MM_ERR_TOO_LARGE;
    }
    memcpy(rows->arena + rows->used, p, n);
    *out = mm_bytes_make(rows->arena + rows->used, n);
    rows->used += n;
    return MM_OK;
}

/* A column as a view into SQLite's memory, valid until the next step. */
static mm_bytes view(sqlite3_stmt *st, int col)
{
    const void *p = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    return p != NULL && n > 0 ? mm_bytes_make(p, (size_t)n) : mm_bytes_make(NULL, 0);
}

/* A row of END_COLUMNS, either copied (rows) or as views. */
static mm_err read_endorsement(sqlite3_stmt *st, vf_rows *rows, vf_endorsement *e)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->compromised = sqlite3_column_int(st, 7) != 0;
    mm_bytes *dst[] = {&e->scope.ueid, &e->scope.oemid, &e->scope.hwmodel, &e->cose_key, &e->kid, &e->thumbprint};
    const int cols[] = {1, 2, 3, 4, 5, 6};
    mm_err err = MM_OK;
    for (size_t i = 0; i < 6 && err == MM_OK; i++) {
        if (rows != NULL) {
            err = take(rows, st, cols[i], dst[i]);
        } else {
            *dst[i] = view(st, cols[i]);
        }
    }
    if (err == MM_OK && rows != NULL) {
        err = take(rows, st, 8, &e->source);
    } else if (err == MM_OK) {
        e->source = view(st, 8);
    }
    return err;
}

static mm_err read_ref(sqlite3_stmt *st, vf_rows *rows, vf_ref *r)
{
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->kind = (uint8_t)vf_ref_kind_find((const char *)sqlite3_column_text(st, 4));
    r->alg = (int32_t)sqlite3_column_int64(st, 6);
    r->level = sqlite3_column_int64(st, 7);
    mm_bytes *dst[] = {&r->scope.ueid, &r->scope.oemid, &r->scope.hwmodel, &r->value, &r->label, &r->source};
    const int cols[] = {1, 2, 3, 5, 8, 9};
    mm_err err = MM_OK;
    for (size_t i = 0; i < 6 && err == MM_OK; i++) {
        if (rows != NULL) {
            err = take(rows, st, cols[i], dst[i]);
        } else {
            *dst[i] = view(st, cols[i]);
        }
    }
    return r->kind == 0 && err == MM_OK ? MM_ERR_PLATFORM : err;
}

static int bind_view(sqlite3_stmt *st, int i, mm_bytes b)
{
    return b.len != 0 ? sqlite3_bind_blob(st, i, b.ptr, (int)b.len, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static mm_err query_endorsements(sqlite3_stmt *st, vf_rows *rows)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && rows->n_endorsements < VF_ROWS_ENDORSEMENTS) {
        mm_err e = read_endorsement(st, rows, &rows->endorsements[rows->n_endorsements]);
        if (e != MM_OK) {
            return e;
        }
        rows->n_endorsements++;
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? MM_OK : MM_ERR_PLATFORM;
}

mm_err vf_store_find_endorsements(vf_store *s, const vf_lookup *lk, vf_rows *rows)
{
    if (s == NULL || lk == NULL || rows == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    rows->n_endorsements = 0;
    reader *r = acquire(s);
    mm_err e = MM_OK;
    if (lk->kid.len != 0) {
        e = bind_view(r->st[R_END_KID], 1, lk->kid) == SQLITE_OK ? query_endorsements(r->st[R_END_KID], rows)
                                                                 : MM_ERR_PLATFORM;
    }
    if (e == MM_OK && rows->n_endorsements == 0 && lk->ueid.len != 0) {
        e = bind_view(r->st[R_END_UEID], 1, lk->ueid) == SQLITE_OK ? query_endorsements(r->st[R_END_UEID], rows)
                                                                   : MM_ERR_PLATFORM;
    }
    if (e == MM_OK && rows->n_endorsements == 0 && lk->oemid.len != 0 && lk->hwmodel.len != 0) {
        sqlite3_stmt *st = r->st[R_END_MODEL];
        e = bind_view(st, 1, lk->oemid) == SQLITE_OK && bind_view(st, 2, lk->hwmodel) == SQLITE_OK
                ? query_endorsements(st, rows)
                : MM_ERR_PLATFORM;
    }
    release(s, r);
    return e;
}

mm_err vf_store_find_refs(vf_store *s, const vf_lookup *lk, vf_rows *rows)
{
    if (s == NULL || lk == NULL || rows == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    rows->n_refs = 0;
    reader *r = acquire(s);
    sqlite3_stmt *st = r->st[R_REFS];
    mm_err e = MM_OK;
    if (bind_view(st, 1, lk->ueid) != SQLITE_OK || bind_view(st, 2, lk->oemid) != SQLITE_OK ||
        bind_view(st, 3, lk->hwmodel) != SQLITE_OK) {
        e = MM_ERR_PLATFORM;
    }
    int rc = SQLITE_DONE;
    while (e == MM_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows->n_refs == VF_ROWS_REFS) {
            e = MM_ERR_TOO_LARGE;
            break;
        }
        e = read_ref(st, rows, &rows->refs[rows->n_refs]);
        rows->n_refs += e == MM_OK ? 1 : 0;
    }
    if (e == MM_OK && rc != SQLITE_DONE) {
        e = MM_ERR_PLATFORM;
    }
    release(s, r);
    return e;
}

mm_err vf_store_policy_version(vf_store *s, int64_t *version)
{
    if (s == NULL || version == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    uint8_t hdr[VF_WAL_HDR];
    bool watching = s->watch.map != NULL;
    if (watching) {
        vf_wal_watch_read(&s->watch, hdr);
        pthread_mutex_lock(&s->seen_lock);
        bool same = s->seen_valid && memcmp(hdr, s->seen_hdr, sizeof hdr) == 0;
        int64_t v = s->seen_version;
        pthread_mutex_unlock(&s->seen_lock);
        if (same) {
            *version = v;
            return MM_OK;
        }
    }
    reader *r = acquire(s);
    mm_err e = MM_ERR_PLATFORM;
    if (sqlite3_step(r->st[R_VERSION]) == SQLITE_ROW && sqlite3_column_type(r->st[R_VERSION], 0) == SQLITE_INTEGER) {
        *version = sqlite3_column_int64(r->st[R_VERSION], 0);
        e = MM_OK;
    }
    release(s, r);
    if (e == MM_OK && watching) {
        /* The header was read before the row, so the row is at least as new
         * as the header says: a commit in between makes the next call read
         * again, never keeps an old version. */
        pthread_mutex_lock(&s->seen_lock);
        memcpy(s->seen_hdr, hdr, sizeof hdr);
        s->seen_version = *version;
        s->seen_valid = true;
        pthread_mutex_unlock(&s->seen_lock);
    }
    return e;
}

/*
 * Administration.
 */
static bool scope_ok(const vf_scope *sc, bool need_one)
{
    bool device = sc->ueid.len != 0;
    bool model = sc->oemid.len != 0 || sc->hwmodel.len != 0;
    if (model && (sc->oemid.len == 0 || sc->hwmodel.len == 0)) {
        return false;
    }
    return !(device && model) && (!need_one || device || model);
}

static mm_err insert_endorsement(sqlite3 *db, const vf_endorsement *e, int64_t *id)
{
    if (!scope_ok(&e->scope, true) || e->cose_key.len == 0 || e->thumbprint.len == 0 || e->source.len == 0) {
        return MM_ERR_INVALID_ARG;
    }
    sqlite3_stmt *st = NULL;
    mm_err err = MM_ERR_PLATFORM;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO endorsements (ueid, oemid, hwmodel, cose_key, kid, thumbprint, compromised,"
                           " source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &st, NULL) == SQLITE_OK &&
        bind_view(st, 1, e->scope.ueid) == SQLITE_OK && bind_view(st, 2, e->scope.oemid) == SQLITE_OK &&
        bind_view(st, 3, e->scope.hwmodel) == SQLITE_OK && bind_view(st, 4, e->cose_key) == SQLITE_OK &&
        bind_view(st, 5, e->kid) == SQLITE_OK && bind_view(st, 6, e->thumbprint) == SQLITE_OK &&
        sqlite3_bind_int(st, 7, e->compromised ? 1 : 0) == SQLITE_OK &&
        sqlite3_bind_text(st, 8, (const char *)e->source.ptr, (int)e->source.len, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE) {
        err = MM_OK;
        if (id != NULL) {
            *id = sqlite3_last_insert_rowid(db);
        }
    }
    sqlite3_finalize(st);
    return err;
}

static mm_err insert_ref(sqlite3 *db, const vf_ref *r, int64_t *id)
{
    const char *kind = vf_ref_kind_name(r->kind);
    if (!scope_ok(&r->scope, false) || kind == NULL || r->source.len == 0) {
        return MM_ERR_INVALID_ARG;
    }
    sqlite3_stmt *st = NULL;
    mm_err err = MM_ERR_PLATFORM;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO reference_values (ueid, oemid, hwmodel, kind, value, alg, level, label,"
                           " source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           -1, &st, NULL) == SQLITE_OK &&
        bind_view(st, 1, r->scope.ueid) == SQLITE_OK && bind_view(st, 2, r->scope.oemid) == SQLITE_OK &&
        bind_view(st, 3, r->scope.hwmodel) == SQLITE_OK &&
        sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC) == SQLITE_OK && bind_view(st, 5, r->value) == SQLITE_OK &&
        sqlite3_bind_int64(st, 6, r->alg) == SQLITE_OK && sqlite3_bind_int64(st, 7, r->level) == SQLITE_OK &&
        (r->label.len != 0 ? sqlite3_bind_text(st, 8, (const char *)r->label.ptr, (int)r->label.len, SQLITE_STATIC)
                           : sqlite3_bind_null(st, 8)) == SQLITE_OK &&
        sqlite3_bind_text(st, 9, (const char *)r->source.ptr, (int)r->source.len, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE) {
        err = MM_OK;
        if (id != NULL) {
            *id = sqlite3_last_insert_rowid(db);
        }
    }
    sqlite3_finalize(st);
    return err;
}

/* Runs the body in one transaction: committed when it returns MM_OK, rolled
 * back otherwise. */
static mm_err in_transaction(sqlite3 *db, mm_err body)
{
    if (body == MM_OK) {
        body = mm_sqlite_exec(db, "COMMIT");
    }
    if (body != MM_OK) {
        (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    return body;
}

mm_err vf_store_add_endorsement(vf_store *s, const vf_endorsement *e, int64_t *id)
{
    if (s == NULL || e == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err err = mm_sqlite_exec(s->writer, "BEGIN IMMEDIATE");
    if (err != MM_OK) {
        return err;
    }
    return in_transaction(s->writer, insert_endorsement(s->writer, e, id));
}

mm_err vf_store_add_refs(vf_store *s, const vf_ref *r, size_t n, int64_t *ids)
{
    if (s == NULL || (n != 0 && r == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err err = mm_sqlite_exec(s->writer, "BEGIN IMMEDIATE");
    if (err != MM_OK) {
        return err;
    }
    for (size_t i = 0; err == MM_OK && i < n; i++) {
        err = insert_ref(s->writer, &r[i], ids != NULL ? &ids[i] : NULL);
    }
    return in_transaction(s->writer, err);
}

static mm_err delete_where(sqlite3 *db, const char *table, int64_t id, mm_bytes source, size_t *n)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s", table, source.len != 0 ? "source = ?1" : "id = ?1");
    sqlite3_stmt *st = NULL;
    mm_err err = MM_ERR_PLATFORM;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        (source.len != 0 ? sqlite3_bind_text(st, 1, (const char *)source.ptr, (int)source.len, SQLITE_STATIC)
                         : sqlite3_bind_int64(st, 1, id)) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE) {
        err = MM_OK;
        if (n != NULL) {
            *n = (size_t)sqlite3_changes(db);
        }
    }
    sqlite3_finalize(st);
    return err;
}

mm_err vf_store_replace_source(vf_store *s, mm_bytes source, const vf_endorsement *e, size_t n_e, const vf_ref *r,
                               size_t n_r)
{
    if (s == NULL || source.len == 0 || (n_e != 0 && e == NULL) || (n_r != 0 && r == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err err = mm_sqlite_exec(s->writer, "BEGIN IMMEDIATE");
    if (err != MM_OK) {
        return err;
    }
    err = delete_where(s->writer, "endorsements", 0, source, NULL);
    if (err == MM_OK) {
        err = delete_where(s->writer, "reference_values", 0, source, NULL);
    }
    for (size_t i = 0; err == MM_OK && i < n_e; i++) {
        err = mm_bytes_equal(e[i].source, source) ? insert_endorsement(s->writer, &e[i], NULL) : MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; err == MM_OK && i < n_r; i++) {
        err = mm_bytes_equal(r[i].source, source) ? insert_ref(s->writer, &r[i], NULL) : MM_ERR_INVALID_ARG;
    }
    return in_transaction(s->writer, err);
}

mm_err vf_store_remove_endorsements(vf_store *s, int64_t id, mm_bytes source, size_t *n)
{
    if (s == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return delete_where(s->writer, "endorsements", id, source, n);
}

mm_err vf_store_remove_refs(vf_store *s, int64_t id, mm_bytes source, size_t *n)
{
    if (s == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    return delete_where(s->writer, "reference_values", id, source, n);
}

/* Runs sql and hands each row to visit, stopping at its first error. */
static mm_err list_rows(sqlite3 *db, const char *sql, mm_err (*visit)(sqlite3_stmt *st, void *ctx), void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        return MM_ERR_PLATFORM;
    }
    mm_err e = MM_OK;
    int rc;
    while (e == MM_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        e = visit(st, ctx);
    }
    if (e == MM_OK && rc != SQLITE_DONE) {
        e = MM_ERR_PLATFORM;
    }
    sqlite3_finalize(st);
    return e;
}

typedef struct endorsement_visit {
    vf_endorsement_fn fn;
    void *user;
} endorsement_visit;

static mm_err visit_endorsement(sqlite3_stmt *st, void *ctx)
{
    const endorsement_visit *v = ctx;
    vf_endorsement row;
    mm_err e = read_endorsement(st, NULL, &row);
    return e == MM_OK ? v->fn(v->user, &row) : e;
}

mm_err vf_store_list_endorsements(vf_store *s, vf_endorsement_fn fn, void *user)
{
    if (s == NULL || fn == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    endorsement_visit v = {fn, user};
    return list_rows(s->writer, "SELECT " END_COLUMNS " FROM endorsements ORDER BY id", visit_endorsement, &v);
}

typedef struct ref_visit {
    vf_ref_fn fn;
    void *user;
} ref_visit;

static mm_err visit_ref(sqlite3_stmt *st, void *ctx)
{
    const ref_visit *v = ctx;
    vf_ref row;
    mm_err e = read_ref(st, NULL, &row);
    return e == MM_OK ? v->fn(v->user, &row) : e;
}

mm_err vf_store_list_refs(vf_store *s, vf_ref_fn fn, void *user)
{
    if (s == NULL || fn == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    ref_visit v = {fn, user};
    return list_rows(s->writer, "SELECT " REF_COLUMNS " FROM reference_values ORDER BY id", visit_ref, &v);
}

static mm_err count(sqlite3 *db, const char *table, int64_t *n)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = NULL;
    mm_err e = MM_ERR_PLATFORM;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *n = sqlite3_column_int64(st, 0);
        e = MM_OK;
    }
    sqlite3_finalize(st);
    return e;
}

mm_err vf_store_counts(vf_store *s, int64_t *endorsements, int64_t *refs, int64_t *used_nonces)
{
    if (s == NULL || endorsements == NULL || refs == NULL || used_nonces == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    reader *r = acquire(s);
    mm_err e = count(r->db, "endorsements", endorsements);
    if (e == MM_OK) {
        e = count(r->db, "reference_values", refs);
    }
    if (e == MM_OK) {
        e = count(r->db, "used_nonces", used_nonces);
    }
    release(s, r);
    return e;
}
