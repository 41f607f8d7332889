/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seeing that a SQLite database in WAL mode may have changed, without a
 * lock or a system call: its wal-index header, in the "-shm" file every
 * connection maps, changes with every commit by any connection of any
 * process (the header's change counter, frame count and salts; SQLite's
 * file format, "wal-index format"). Reading the version row costs a read
 * transaction, two file locks among them: the Verifier reads it only when
 * the header differs from the one it saw at its last read.
 *
 * The watch holds for connections in SQLite's normal locking mode (all of
 * mamori's); a writer in EXCLUSIVE locking mode keeps its wal-index in its
 * own memory, and cannot start while the service holds its connections.
 */
#ifndef MAMORI_VF_WAL_WATCH_H
#define MAMORI_VF_WAL_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VF_WAL_HDR 48 /* the first copy of the wal-index header */

typedef struct vf_wal_watch {
    void *map; /* the start of the "-shm" file, read-only; NULL: not watching */
    size_t len;
} vf_wal_watch;

/* Maps db_path's "-shm" file if it holds an initialised wal-index; call
 * while a connection keeps the database open (and so the file in place).
 * False, and w not watching, otherwise. */
bool vf_wal_watch_open(vf_wal_watch *w, const char *db_path);

/* Copies the current header (w watching). A copy taken during a commit may
 * be torn: it then differs from every header seen, which is safe. */
void vf_wal_watch_read(const vf_wal_watch *w, uint8_t out[VF_WAL_HDR]);

/* Unmaps; before the database's connections close. */
void vf_wal_watch_close(vf_wal_watch *w);

#endif
