/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier's store on SQLite (host): endorsements, reference values,
 * the used challenge nonces and the key that authenticates issued nonces.
 * Opened through mm_sqlite_open (WAL, synchronous=FULL), so every change
 * that returns MM_OK is on disk: an endorsement an administrator added.
 * A nonce the service accepted is never accepted again, across a crash
 * too ("A service's run" below).
 *
 * The service reads through a small pool of connections (one per HTTP
 * thread) and writes the run mark and saved nonces through one; the
 * administration commands open the same file from another process while
 * the service runs, which WAL allows.
 *
 * Rows read back are copied into a vf_rows the caller owns (an arena with
 * a cap), so nothing points into SQLite's memory after a call returns.
 */
#ifndef MAMORI_VF_STORE_H
#define MAMORI_VF_STORE_H

#include <sqlite3.h>

#include "vf_nonce.h"
#include "vf_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vf_store vf_store;

/* Size of the key that authenticates nonces. */
#define VF_SECRET_LEN 32

/* Opens (creating) the store at path with readers reader connections
 * (1..64) and makes the nonce key on first use. Errors: MM_ERR_PLATFORM
 * (cannot open, a migration failed), MM_ERR_UNSUPPORTED (a database of a
 * newer schema), MM_ERR_INVALID_ARG. */
MM_NODISCARD mm_err vf_store_open(const char *path, unsigned readers, vf_store **out);

/* Closes the store (NULL is ignored). */
void vf_store_close(vf_store *s);

/* The key that authenticates issued nonces (stored with the database, so a
 * restart keeps honouring the nonces it issued). */
void vf_store_secret(const vf_store *s, uint8_t key[VF_SECRET_LEN]);

/* Rows read back: arrays and the bytes their views point to, with caps. */
#define VF_ROWS_ENDORSEMENTS 8
#define VF_ROWS_REFS         128
#define VF_ROWS_ARENA        32768

typedef struct vf_rows {
    vf_endorsement endorsements[VF_ROWS_ENDORSEMENTS];
    size_t n_endorsements;
    vf_ref refs[VF_ROWS_REFS];
    size_t n_refs;
    uint8_t arena[VF_ROWS_ARENA];
    size_t used;
} vf_rows;

/* What an appraisal looks an attester up by (views; empty when the
 * evidence does not state it). */
typedef struct vf_lookup {
    mm_bytes kid;     /* the evidence's COSE kid: an endorsement's kid or thumbprint */
    mm_bytes ueid;    /* its ueid */
    mm_bytes oemid;   /* its oemid, encoded (vf_oemid_encode) */
    mm_bytes hwmodel; /* its hwmodel */
} vf_lookup;

/* The endorsements that may verify evidence: those whose kid or
 * thumbprint is lk->kid; if none, those for lk->ueid; if none, those for
 * the model (lk->oemid, lk->hwmodel). At most VF_ROWS_ENDORSEMENTS, the
 * oldest first; rows->n_endorsements is 0 when none matches. Errors:
 * MM_ERR_PLATFORM, MM_ERR_TOO_LARGE (the arena). */
MM_NODISCARD mm_err vf_store_find_endorsements(vf_store *s, const vf_lookup *lk, vf_rows *rows);

/* Every reference value for the device lk->ueid, the model (lk->oemid,
 * lk->hwmodel) and every attester. Errors: MM_ERR_PLATFORM,
 * MM_ERR_TOO_LARGE (more than VF_ROWS_REFS rows, or the arena). */
MM_NODISCARD mm_err vf_store_find_refs(vf_store *s, const vf_lookup *lk, vf_rows *rows);

/* The policy's version: a counter in the store that every change to the
 * endorsements or reference values raises in its own transaction
 * (triggers: whichever process or tool makes it). A change committed
 * before the call is seen: the row is read in a read transaction of its
 * own, unless the database's wal-index header shows no commit since the
 * last read (vf_wal_watch.h). Errors: MM_ERR_PLATFORM. */
MM_NODISCARD mm_err vf_store_policy_version(vf_store *s, int64_t *version);

/*
 * A service's run. Used nonces live in memory while a service runs (the
 * used-nonce set, vf_internal.h), not in the store: no write per
 * appraisal. vf_store_run_begin() writes a run mark durably;
 * vf_store_run_end() writes the used nonces that have not expired into
 * used_nonces and clears the mark, in one synced transaction. A run that
 * did not end (a crash, a kill -9, a power loss) leaves the mark, and the
 * next vf_store_run_begin() then replaces the nonce key: every nonce issued
 * before is refused as unknown, so none can be accepted twice although the
 * run's used nonces are lost, and attesters ask for a new challenge. After
 * a clean stop the key is kept, the saved used nonces are loaded back, and
 * nonces issued before the stop stay valid until they expire. One service
 * per store.
 */
typedef enum vf_run_start {
    VF_RUN_FIRST = 0,   /* no run before: the key is new */
    VF_RUN_CLEAN = 1,   /* the last run ended: the key is kept, its used nonces loaded */
    VF_RUN_UNCLEAN = 2, /* the last run did not end: the key was replaced */
    VF_RUN_TOO_MANY = 3 /* the last run ended, but put refused one of its used nonces: the key was replaced */
} vf_run_start;

/* A used nonce: its tag (vf_nonce.h) and expiry. */
typedef struct vf_used_nonce {
    uint8_t tag[VF_NONCE_TAG];
    int64_t expires;
} vf_used_nonce;

/* Takes a saved used nonce; false when it cannot be kept. */
typedef bool (*vf_used_put_fn)(void *user, const vf_used_nonce *n);
/* Gives the next used nonce to save; false at the end. */
typedef bool (*vf_used_next_fn)(void *user, vf_used_nonce *n);

/* Marks a run begun (durably). After a clean stop, gives put every saved
 * used nonce that expires after now; else (or when put refuses one)
 * replaces the nonce key and forgets the saved nonces. *how says which, and
 * vf_store_secret() gives the key to use from now on. Errors:
 * MM_ERR_PLATFORM (nothing changed then; put may have been called). */
MM_NODISCARD mm_err vf_store_run_begin(vf_store *s, int64_t now, vf_used_put_fn put, void *user, vf_run_start *how);

/* Replaces the saved used nonces by those next gives, and marks the run
 * ended, in one synced transaction. Call once no more nonces are used.
 * Errors: MM_ERR_PLATFORM (nothing changed: the mark stays, and the next
 * run replaces the key). */
MM_NODISCARD mm_err vf_store_run_end(vf_store *s, vf_used_next_fn next, void *user);

/*
 * Administration (the CLI's endorse, reference and import commands). Each
 * call is one transaction.
 */

/* Adds an endorsement; *id gets its row id. Errors: MM_ERR_INVALID_ARG (no
 * scope, or both a device and a model), MM_ERR_PLATFORM. */
MM_NODISCARD mm_err vf_store_add_endorsement(vf_store *s, const vf_endorsement *e, int64_t *id);

/* Adds the reference values r[0..n), all or none; ids (may be NULL) get
 * their row ids. Errors as above. */
MM_NODISCARD mm_err vf_store_add_refs(vf_store *s, const vf_ref *r, size_t n, int64_t *ids);

/* A batch for one import: every row of source replaced by the given ones,
 * all or nothing. */
MM_NODISCARD mm_err vf_store_replace_source(vf_store *s, mm_bytes source, const vf_endorsement *e, size_t n_e,
                                            const vf_ref *r, size_t n_r);

/* What a list call visits: one row, views valid during the call. */
typedef mm_err (*vf_endorsement_fn)(void *user, const vf_endorsement *e);
typedef mm_err (*vf_ref_fn)(void *user, const vf_ref *r);

/* Visits every endorsement / reference value in id order. Stops at the
 * first error fn returns, and returns it. */
MM_NODISCARD mm_err vf_store_list_endorsements(vf_store *s, vf_endorsement_fn fn, void *user);
MM_NODISCARD mm_err vf_store_list_refs(vf_store *s, vf_ref_fn fn, void *user);

/* Removes the endorsement (refs: the reference value) with id, or every row
 * of source when source is not empty; *n gets how many went.
 * Errors: MM_ERR_PLATFORM. */
MM_NODISCARD mm_err vf_store_remove_endorsements(vf_store *s, int64_t id, mm_bytes source, size_t *n);
MM_NODISCARD mm_err vf_store_remove_refs(vf_store *s, int64_t id, mm_bytes source, size_t *n);

/* Counts of endorsements and reference values, and the used nonces the
 * last clean stop saved. */
MM_NODISCARD mm_err vf_store_counts(vf_store *s, int64_t *endorsements, int64_t *refs, int64_t *used_nonces);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VF_STORE_H */
