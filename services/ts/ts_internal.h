/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the parts of the Transparency Service share: the signing key, the
 * trust store and registration policy, the tree with its node cache, tree
 * heads and receipts, the sequencer, and the service that ties them to the
 * HTTP edge. Not an interface for anything outside services/ts.
 */
#ifndef MAMORI_TS_INTERNAL_H
#define MAMORI_TS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "mamori/cose.h"
#include "mamori/http.h"
#include "mamori/merkle.h"
#include "mamori/scitt.h"
#include "ts.h"
#include "ts_store.h"

/* Sets err's message (printf style) and returns e. */
mm_err ts_errorf(ts_error *err, mm_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A deep copy of a configuration. */
MM_NODISCARD mm_err ts_config_copy(ts_config *dst, const ts_config *src);

/* Writes a line to the configured log, printf style. */
void ts_log(const ts_config *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Keys (ts_keys.c).
 */

/* Longest kid kept from a COSE_Key. */
#define TS_KID_MAX 256

/* A trusted public key: from a PEM, DER, COSE_Key or COSE_KeySet file. */
typedef struct ts_key {
    mm_key key;
    uint8_t kid[TS_KID_MAX]; /* a COSE_Key's kid */
    size_t kid_len;
    uint8_t thumb[MM_MERKLE_HASH_LEN]; /* RFC 9679 SHA-256 thumbprint */
    bool has_thumb;
} ts_key;

/* Reads every public key of a file (a certificate's key for a
 * certificate); private keys are taken as their public half. *keys is
 * malloc'ed (ts_keys_free()). */
MM_NODISCARD mm_err ts_keys_load(const char *path, ts_key **keys, size_t *n, ts_error *err);
void ts_keys_free(ts_key *keys, size_t n);

/* Reads certificates (PEM blocks, or one DER certificate) as DER; each
 * certs[i].ptr is malloc'ed (ts_certs_free()). */
MM_NODISCARD mm_err ts_certs_load(const char *path, mm_bytes **certs, size_t *n, ts_error *err);
void ts_certs_free(mm_bytes *certs, size_t n);

/* The service's signing key. */
typedef struct ts_signer {
    const mm_crypto *crypto;
    mm_key key;                      /* private */
    int32_t alg;                     /* ES256 for P-256 keys, ... HSS-LMS */
    const mm_cose_algs *algs;        /* the registry that signs and verifies with it */
    uint8_t kid[MM_MERKLE_HASH_LEN]; /* RFC 9679 thumbprint */
    uint8_t *cose_key;               /* public COSE_Key with kid */
    size_t cose_key_len;
    char *iss;      /* receipts' issuer */
    size_t scratch; /* bytes of ToBeSigned room the alg needs beyond the protected header, 0: none */
} ts_signer;

/* Opens the key file (PEM or COSE_Key private key, or an HSS-LMS private
 * key file) for signing receipts as iss. */
MM_NODISCARD mm_err ts_signer_open(const char *path, const char *iss, ts_signer *s, ts_error *err);
void ts_signer_close(ts_signer *s);

/*
 * The trust store and registration policy (ts_policy.c).
 */

typedef struct ts_issuer {
    char *iss;
    ts_key *keys;
    size_t n_keys;
    mm_bytes *roots;
    size_t n_roots;
} ts_issuer;

typedef struct ts_trust {
    const mm_crypto *crypto;
    const mm_cose_algs *algs; /* statements' algorithms: the default table and HSS-LMS */
    ts_issuer *issuers;
    size_t n;
} ts_trust;

MM_NODISCARD mm_err ts_trust_load(const ts_config *cfg, ts_trust *t, ts_error *err);
void ts_trust_free(ts_trust *t);

/* Why a statement is refused: an HTTP status and RFC 9290 title and
 * detail. */
typedef struct ts_refusal {
    unsigned status;
    const char *title;
    char detail[320];
} ts_refusal;

/* Applies the registration policy (architecture section 5.1.1 and 6.3):
 * the statement must decode, carry iss and sub, name its key, come from an
 * issuer of the trust store, and its signature must verify with that
 * issuer's key (by kid) or certificate chain (x5chain to the issuer's
 * roots); every identifier the trust store knows is checked. On MM_OK,
 * *leaf gets the hashes of its entry. Otherwise why says what failed. */
MM_NODISCARD mm_err ts_policy_check(const ts_trust *t, mm_bytes stmt, mm_scitt_leaf *leaf, ts_refusal *why);

/*
 * The tree over the store, with a node cache (ts_tree.c).
 */

typedef struct ts_cache_slot {
    uint64_t key; /* 0: empty */
    uint8_t hash[MM_MERKLE_HASH_LEN];
} ts_cache_slot;

#define TS_CACHE_LOCKS 64

typedef struct ts_tree {
    const mm_crypto *crypto;
    ts_store store;
    ts_cache_slot *slots;
    size_t mask; /* slots - 1 (a power of 2); 0 with no cache */
    pthread_mutex_t locks[TS_CACHE_LOCKS];
    bool ready;             /* the locks exist */
    mm_merkle_store wstore; /* the writer's view: the sequencer's tree */
    mm_merkle_store rstore; /* committed nodes: readers' trees */
    mm_merkle_tree writer;
} ts_tree;

/* Sets t up over store with room for about cache nodes (0: no cache) and
 * opens the writer's tree. */
MM_NODISCARD mm_err ts_tree_init(ts_tree *t, const mm_crypto *c, const ts_store *store, size_t cache);
/* Releases t (safe on a zeroed one). */
void ts_tree_free(ts_tree *t);

/* Forgets every cached node (after a batch was rolled back). */
void ts_tree_cache_clear(ts_tree *t);

/* A read-only tree of the committed nodes at size (a signed size). */
void ts_tree_reader(const ts_tree *t, uint64_t size, mm_merkle_tree *out);

/*
 * Tree heads and receipts (ts_receipt.c).
 */

/* Signs the root of t at its size as a tree head at time iat: the COSE
 * protected header and signature a receipt of the batch carries. */
MM_NODISCARD mm_err ts_tree_head_sign(const ts_signer *s, const mm_merkle_tree *t, int64_t iat, ts_tree_head *out);

/* Checks a tree head's signature with the service's key. */
MM_NODISCARD mm_err ts_tree_head_verify(const ts_signer *s, const ts_tree_head *th);

/* Bytes any receipt or encoded tree head of th fits in. */
size_t ts_receipt_cap(const ts_tree_head *th);

/* The RFC9162_SHA256 inclusion receipt of leaf index under th (t a tree
 * of th->size): th's protected header and signature, the proof in vdp.
 * The proof is checked to lead to th's root first. */
MM_NODISCARD mm_err ts_receipt_inclusion(const mm_merkle_tree *t, const ts_tree_head *th, uint64_t index, mm_buf *out);

/* The consistency receipt from older to th (t a tree of th->size). */
MM_NODISCARD mm_err ts_receipt_consistency(const mm_merkle_tree *t, const ts_tree_head *older, const ts_tree_head *th,
                                           mm_buf *out);

/* The tree head as a COSE_Sign1 with the root attached: the same
 * signature, verifiable by any COSE verifier. */
MM_NODISCARD mm_err ts_tree_head_encode(const ts_tree_head *th, mm_buf *out);

/*
 * The sequencer (ts_sequencer.c).
 */

typedef struct ts_seq ts_seq;

/* What ts_seq_submit() did. */
typedef enum ts_submit {
    TS_QUEUED = 0,    /* the sequencer answers through mm_http_finish() */
    TS_IN_FLIGHT = 1, /* the same statement is already waiting: answer 303 now */
    TS_BUSY = 2,      /* the queue is full: answer 503 now */
    TS_STOPPED = 3,   /* the service is stopping: answer 503 now */
} ts_submit;

MM_NODISCARD mm_err ts_seq_start(ts_service *svc, ts_seq **out);

/* Hands an accepted statement's entry (malloc'ed; the sequencer takes it)
 * to the sequencer. */
ts_submit ts_seq_submit(ts_seq *q, mm_http_pending *later, const uint8_t leaf[MM_MERKLE_HASH_LEN], uint8_t *entry,
                        size_t entry_len);

/* True while a statement with this leaf waits for its batch. */
bool ts_seq_in_flight(ts_seq *q, const uint8_t leaf[MM_MERKLE_HASH_LEN]);

/* Registrations waiting. */
size_t ts_seq_waiting(ts_seq *q);

/* Refuses new work, commits and answers what waits, ends the threads. */
void ts_seq_stop(ts_seq *q);

/*
 * The service (ts_service.c) and its HTTP edge (ts_api.c).
 */

/* A published tree head, shared by reference between the sequencer, which
 * replaces it after every batch, and the readers. */
typedef struct ts_head {
    ts_tree_head th;
    unsigned refs;
} ts_head;

struct ts_service {
    ts_config cfg;
    ts_store store;
    ts_signer signer;
    ts_trust trust;
    ts_tree tree;
    ts_seq *seq;
    mm_http_server *http;
    pthread_mutex_t head_lock;
    ts_head *latest; /* NULL: the tree is empty */
};

/* The newest tree head with a reference (NULL for an empty tree); give it
 * back with ts_head_put(). */
ts_head *ts_head_get(ts_service *svc);
void ts_head_put(ts_service *svc, ts_head *h);

/* Publishes a new tree head (a copy is made). */
MM_NODISCARD mm_err ts_head_publish(ts_service *svc, const ts_tree_head *th);

/* The start-up check (ts_check.c): the stored tree against its last signed
 * tree head. */
MM_NODISCARD mm_err ts_check_store(ts_service *svc, unsigned mode, ts_error *err);

/* The HTTP handler of the service. */
mm_http_answer ts_api_handle(void *user, const mm_http_request *req, mm_http_response *resp, mm_http_pending *later);

/* The receipt of entry seq at the newest tree head, malloc'ed into *out;
 * also the answer the sequencer sends. */
MM_NODISCARD mm_err ts_receipt_for(ts_service *svc, const ts_head *h, uint64_t seq, uint8_t **out, size_t *len);

/* The entry id of a leaf: its hash in hex (64 characters and a NUL). */
void ts_entry_id(const uint8_t leaf[MM_MERKLE_HASH_LEN], char id[2 * MM_MERKLE_HASH_LEN + 1]);

#endif /* MAMORI_TS_INTERNAL_H */
