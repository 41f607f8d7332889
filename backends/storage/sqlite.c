/* SPDX-License-Identifier: Apache-2.0 */
/* Opening the services' SQLite databases durably, with versioned schema
 * migrations (include/mamori/sqlite_store.h). */
#include <stdio.h>

#include "mamori/sqlite_store.h"

mm_err mm_sqlite_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? MM_OK : MM_ERR_PLATFORM;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

mm_err mm_sqlite_open(const char *path, const char *const *migrations, size_t n, sqlite3 **out)
{
    if (path == NULL || out == NULL || (n != 0 && migrations == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    *out = NULL;
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return MM_ERR_PLATFORM;
    }
    sqlite3_busy_timeout(db, 5000);
    /* WAL with synchronous=FULL: a committed transaction is on disk (the WAL
     * is synced at each commit), so acknowledged work survives power loss. */
    mm_err e = mm_sqlite_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    int v = e == MM_OK ? user_version(db) : -1;
    if (v < 0) {
        e = MM_ERR_PLATFORM;
    } else if ((size_t)v > n) {
        e = MM_ERR_UNSUPPORTED;
    }
    for (size_t i = (size_t)(v < 0 ? 0 : v); e == MM_OK && i < n; i++) {
        char pragma[48];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%zu;", i + 1);
        e = mm_sqlite_exec(db, "BEGIN IMMEDIATE;");
        if (e == MM_OK && (e = mm_sqlite_exec(db, migrations[i])) == MM_OK) {
            e = mm_sqlite_exec(db, pragma);
        }
        if (e == MM_OK) {
            e = mm_sqlite_exec(db, "COMMIT;");
        } else {
            (void)sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
        }
    }
    if (e != MM_OK) {
        sqlite3_close(db);
        return e;
    }
    *out = db;
    return MM_OK;
}
