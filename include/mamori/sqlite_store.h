/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQLite for the services (host): one way to open a database so that what
 * a service acknowledges survives a crash and power loss (WAL journal,
 * synchronous=FULL), with schema migrations by version.
 */
#ifndef MAMORI_SQLITE_STORE_H
#define MAMORI_SQLITE_STORE_H

#include <sqlite3.h>

#include "mamori/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opens (creating if needed) the database at path in WAL mode with full
 * sync, foreign keys on and a busy timeout, then brings its schema to
 * version n by running migrations[v] for each v from the stored version
 * (PRAGMA user_version) to n - 1, each in its own transaction. A database
 * newer than n is refused (MM_ERR_UNSUPPORTED): an older program must not
 * write a newer schema. Errors: MM_ERR_PLATFORM (cannot open, a migration
 * failed; *db is NULL then). */
MM_NODISCARD mm_err mm_sqlite_open(const char *path, const char *const *migrations, size_t n, sqlite3 **db);

/* Runs sql (no results) and maps failure to MM_ERR_PLATFORM. */
MM_NODISCARD mm_err mm_sqlite_exec(sqlite3 *db, const char *sql);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_SQLITE_STORE_H */
