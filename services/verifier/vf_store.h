/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier's store on SQLite (host): endorsements, reference values,
 * the used challenge nonces and the key that authenticates issued nonces.
 * Opened through mm_sqlite_open (WAL, synchronous=FULL), so every change
 * that returns MM_OK is on disk: an endorsement an administrator added.
 * A nonce the service marked used before it released the result is never
 * accepted again, across a crash too ("A service's run" below).
 *
 * The service reads through a small pool of connections (one per HTTP
 * thread) and writes used nonces through one (the committer's); the
 * administration commands open the same file from another process while
 * the service runs, which WAL allows.
 *
 * Rows read back are copied into a vf_rows the caller owns (an arena with
 * a cap), so nothing points into SQLite's memory after a call returns.
 */
#ifndef MAMORI_VF_STORE_H
#define MAMORI_VF_STORE_H

#include <sqlite3.h>

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
 * (triggers: whichever process or tool makes it). Read in a read
 * transaction of its own, so a change committed before the call is seen.
 * Errors: MM_ERR_PLATFORM. */
MM_NODISCARD mm_err vf_store_policy_version(vf_store *s, int64_t *version);

/* Outcome of marking a nonce used. */
typedef enum vf_use_result {
    VF_USE_FRESH = 0,    /* first use: now marked used, durably */
    VF_USE_REPLAYED = 1, /* used before */
} vf_use_result;

/* One nonce to mark used (the committer batches these). */
typedef struct vf_use {
    uint8_t nonce[64];
    size_t len;
    int64_t expires;      /* kept until then, pruned after */
    vf_use_result result; /* out */
} vf_use;

/* Marks uses[0..n) used in one transaction (one sync to disk, none during
 * a run: vf_store_run_begin()), and prunes
 * nonces that expired before now. Each gets its result. Errors:
 * MM_ERR_PLATFORM (nothing of the batch is marked then). Not thread-safe:
 * one writer (the committer). */
MM_NODISCARD mm_err vf_store_use_nonces(vf_store *s, vf_use *uses, size_t n, int64_t now);

/*
 * A service's run. Syncing every batch of used nonces to disk bounds a
 * service to one batch per disk sync (with 8 clients, 8 appraisals per
 * sync: a few thousand a second at best). Instead, a run is marked in the
 * store: vf_store_run_begin() writes the mark durably, and from then on
 * used nonces are committed without a sync (synchronous=NORMAL: they
 * survive the process crashing, not the machine); vf_store_run_end()
 * syncs them all and clears the mark. A run that did not end (a crash, a
 * power loss) leaves the mark, and the next vf_store_run_begin() then
 * replaces the nonce key: every nonce issued before is refused as unknown,
 * so none can be accepted twice whatever was lost, and attesters ask for
 * a new challenge. After a clean stop the key is kept, and nonces issued
 * before it stay valid until they expire. One service per store.
 */
typedef enum vf_run_start {
    VF_RUN_FIRST = 0,   /* no run before: the key is new */
    VF_RUN_CLEAN = 1,   /* the last run ended: the key is kept */
    VF_RUN_UNCLEAN = 2, /* the last run did not end: the key was replaced */
} vf_run_start;

/* Marks a run begun (durably) and relaxes the sync of used nonces; *how
 * says what the last run left, and vf_store_secret() gives the key to use
 * from now on. Errors: MM_ERR_PLATFORM (nothing changed then). */
MM_NODISCARD mm_err vf_store_run_begin(vf_store *s, vf_run_start *how);

/* Marks the run ended, in a synced commit that makes every used nonce
 * durable. Call once no more nonces are used. Errors: MM_ERR_PLATFORM (the
 * mark stays: the next run replaces the key). */
MM_NODISCARD mm_err vf_store_run_end(vf_store *s);

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

/* Counts of endorsements and reference values, and nonces marked used. */
MM_NODISCARD mm_err vf_store_counts(vf_store *s, int64_t *endorsements, int64_t *refs, int64_t *used_nonces);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VF_STORE_H */
