/* SPDX-License-Identifier: Apache-2.0 */
/* What the files of the Verifier service share: the service, one
 * appraisal's request and outcome, the set of used nonces. */
#ifndef MAMORI_VF_INTERNAL_H
#define MAMORI_VF_INTERNAL_H

#include <pthread.h>

#include "mamori/http.h"
#include "verifier.h"
#include "vf_nonce.h"
#include "vf_store.h"

/*
 * The used-nonce set (vf_used.c): the challenge nonces accepted during a
 * run, in memory, each until it expires. A nonce is known by its tag
 * (vf_nonce.h): authentic nonces with the same tag are the same nonce. The
 * check and the insert are one step under one lock, so of two appraisals
 * of one nonce exactly one is FRESH. Expired entries are pruned a few per
 * insert, and all at once when the set is full. Saved to the store at a
 * clean stop and loaded back at the next start (vf_store_run_end(),
 * vf_store_run_begin()).
 */
#define VF_USED_KEY     VF_NONCE_TAG
#define VF_USED_DEFAULT ((size_t)1 << 20)

typedef struct vf_used vf_used;

typedef enum vf_used_result {
    VF_USED_FRESH = 0,    /* first use: now recorded */
    VF_USED_REPLAYED = 1, /* used before */
    VF_USED_FULL = 2,     /* capacity unexpired nonces held: not recorded, so not to be accepted */
} vf_used_result;

/* A set for capacity (1..VF_USED_MAX) nonces: 2 to 4 slots of 24 bytes
 * each. Errors: MM_ERR_INVALID_ARG, MM_ERR_PLATFORM (memory). */
MM_NODISCARD mm_err vf_used_new(size_t capacity, vf_used **out);
void vf_used_free(vf_used *u);

/* Records the nonce key that expires at expires (after now), unless it is
 * there. Thread-safe. */
vf_used_result vf_used_add(vf_used *u, const uint8_t key[VF_USED_KEY], int64_t expires, int64_t now);

/* Entries held (expired ones not yet pruned included), and the most. */
size_t vf_used_count(vf_used *u);
size_t vf_used_capacity(const vf_used *u);

/* The next entry from *pos (0 to start) that expires after now; false at
 * the end. Not thread-safe: for a stop, once no appraisal runs. */
bool vf_used_next(vf_used *u, size_t *pos, int64_t now, uint8_t key[VF_USED_KEY], int64_t *expires);

/*
 * Endorsed keys as imported (vf_keys.c), shared by the HTTP threads:
 * importing a public key costs OpenSSL about half an ES256 verification,
 * and the same few keys sign most evidence. An entry is found by the
 * COSE_Key bytes it was imported from, so a changed or removed endorsement
 * never reaches a stale key; entries in use are never evicted.
 */
#define VF_KEYS_MAX 64

typedef struct vf_key_entry {
    uint8_t *cose_key; /* the bytes it was imported from (malloc'ed; NULL: free slot) */
    size_t len;
    mm_key key;
    unsigned refs;
    uint64_t used; /* for eviction: the least recently used goes */
} vf_key_entry;

typedef struct vf_keys {
    pthread_mutex_t lock;
    vf_key_entry e[VF_KEYS_MAX];
    uint64_t tick;
} vf_keys;

/* A key in use: key points to the cached one, or to own when the cache
 * was full of keys in use. Not to be copied. */
typedef struct vf_key_ref {
    const mm_key *key;
    vf_key_entry *entry;
    mm_key own;
} vf_key_ref;

void vf_keys_init(vf_keys *k);
void vf_keys_free(vf_keys *k);

/* The key of an encoded COSE_Key, imported once. Errors: those of
 * mm_cose_key_import(). vf_keys_put() when done. */
MM_NODISCARD mm_err vf_keys_get(vf_keys *k, const mm_crypto *crypto, mm_bytes cose_key, vf_key_ref *ref);
void vf_keys_put(vf_keys *k, vf_key_ref *ref);

/*
 * The policy cache (vf_cache.c): the rows of the two store look-ups of an
 * appraisal (endorsements by kid / ueid / model, reference values by
 * device and model), kept per look-up for the store's policy version
 * (vf_store_policy_version(), read once per appraisal). A newer version
 * drops every entry, so no appraisal that began after a change committed
 * (by this process or an administration command in another) uses rows from
 * before it. Unknown attesters are not cached. At most VF_CACHE_MAX
 * entries: when full, all go.
 */
#define VF_CACHE_BUCKETS 256
#define VF_CACHE_MAX     1024

typedef struct vf_cached vf_cached;

typedef struct vf_cache {
    pthread_mutex_t lock;
    int64_t version; /* of the entries (-1: none yet) */
    vf_cached *bucket[VF_CACHE_BUCKETS];
    size_t count;
} vf_cache;

/* Rows an appraisal uses: in a cache entry it holds, or in its own
 * vf_rows. */
typedef struct vf_policy_rows {
    const vf_endorsement *endorsements;
    size_t n_endorsements;
    const vf_ref *refs;
    size_t n_refs;
    vf_cached *endorsements_held; /* NULL: in the scratch rows */
    vf_cached *refs_held;
} vf_policy_rows;

void vf_cache_init(vf_cache *c);
void vf_cache_free(vf_cache *c);

/* The endorsements (refs: the reference values) for lk, as
 * vf_store_find_endorsements() (vf_store_find_refs()) gives them at
 * version or later: from the cache, or read into *scratch (malloc'ed on
 * first need, the caller frees it; both look-ups of an appraisal share it)
 * and cached. Errors: those of the store, MM_ERR_PLATFORM (memory).
 * vf_policy_rows_release() when done. */
MM_NODISCARD mm_err vf_cache_endorsements(vf_cache *c, vf_store *s, int64_t version, const vf_lookup *lk,
                                          vf_rows **scratch, vf_policy_rows *out);
MM_NODISCARD mm_err vf_cache_refs(vf_cache *c, vf_store *s, int64_t version, const vf_lookup *lk, vf_rows **scratch,
                                  vf_policy_rows *out);
void vf_policy_rows_release(vf_cache *c, vf_policy_rows *p);

struct vf_service {
    vf_config cfg; /* strings point into owned[] */
    char *owned[8 + VF_PROFILES_MAX];
    size_t n_owned;
    const mm_crypto *crypto;
    vf_store *store;
    mm_key nonce_key;         /* HMAC-SHA-256 key of issued nonces */
    int32_t alg;              /* the results' signature algorithm */
    uint8_t kid[32];          /* the signing key's RFC 9679 thumbprint */
    uint8_t public_key[1200]; /* its public COSE_Key, with that kid */
    size_t public_key_len;
    vf_used *used; /* the nonces accepted, until they expire */
    mm_http_server *http;
    vf_keys keys;   /* imported endorsement keys */
    vf_cache cache; /* policy rows */
    bool run_begun; /* vf_store_run_begin() succeeded: end the run at close */
    pthread_mutex_t lock;
    bool closing; /* new appraisals are refused (503) */
};

/* The service's clock. */
int64_t vf_now(const vf_service *svc);

/* Logs a line through the configuration's callback. */
void vf_log(const vf_service *svc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * One appraisal.
 */
typedef struct vf_request {
    mm_bytes evidence;     /* the body: an EAT CWT */
    mm_bytes type_profile; /* eat_profile parameter of its media type (empty: none) */
    bool jwt;              /* the result as a JWT (else a CWT) */
} vf_request;

/* Refusal titles: the check that failed, as problem details name it. */
#define VF_T_MALFORMED     "Malformed evidence"
#define VF_T_UNKNOWN       "Unknown attester"
#define VF_T_SIGNATURE     "Evidence signature does not verify"
#define VF_T_NONCE_UNKNOWN "Unknown nonce"
#define VF_T_NONCE_EXPIRED "Expired nonce"
#define VF_T_NONCE_USED    "Nonce already used"
#define VF_T_NOT_FRESH     "Evidence is not fresh"
#define VF_T_PROFILE       "Unsupported EAT profile"
#define VF_T_TEEP          "TEEP profile violated"
#define VF_T_UNSUPPORTED   "Unsupported evidence"
#define VF_T_FAILURE       "Verifier failure"
#define VF_T_UNAVAILABLE   "Verifier unavailable"

typedef struct vf_outcome {
    unsigned status;   /* 200: a result; else the HTTP status of a refusal */
    const char *title; /* refusal: VF_T_* */
    char detail[300];  /* refusal: what exactly */
    uint8_t *result;   /* 200: the signed EAR (malloc'ed) */
    size_t result_len;
    bool jwt;       /* the result is a JWT */
    uint8_t tier;   /* 200: its ear_status */
    bool needs_use; /* the result may leave only once nonce is recorded used */
    uint8_t nonce[64];
    size_t nonce_len;
    int64_t nonce_expires;
} vf_outcome;

/* Appraises req->evidence (vf_appraise.c). Always fills out: a result, or
 * a refusal with its status, title and detail. The caller frees
 * out->result (vf_outcome_free). */
void vf_appraise(vf_service *svc, const vf_request *req, vf_outcome *out);

void vf_outcome_free(vf_outcome *out);

/* Sets a refusal. */
void vf_refuse(vf_outcome *out, unsigned status, const char *title, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records out's nonce used (vf_used_add()) and, when it was not fresh,
 * replaces out's result by the refusal: 403 replay, 503 set full. */
void vf_use_nonce(vf_service *svc, vf_outcome *out);

/*
 * Results (vf_result.c).
 */
typedef struct vf_result_in {
    const mm_eat_claims *claims; /* the authenticated evidence */
    mm_bytes evidence;           /* as received */
    const void *verdict;         /* const vf_verdict * */
    mm_bytes name;               /* the appraisal's submodule label */
    bool teep;                   /* TEEP profile evidence: add ear_teep_claims */
    mm_bytes nonce;              /* the challenge nonce used (empty in timestamp mode) */
    const mm_bytes *policy_ids;  /* where the endorsement and reference values came from */
    size_t n_policy_ids;
} vf_result_in;

/* Builds the EAR and signs it as a CWT, or a JWT, into *out (malloc'ed).
 * Errors: MM_ERR_PLATFORM, those of mm_ear_sign() / mm_ear_jwt_sign(). */
MM_NODISCARD mm_err vf_result_sign(const vf_service *svc, const vf_result_in *in, bool jwt, uint8_t **out, size_t *len);

/*
 * HTTP (vf_api.c).
 */
mm_http_answer vf_api_handle(void *user, const mm_http_request *req, mm_http_response *resp, mm_http_pending *later);

/* Media types. */
#define VF_MEDIA_EAT_CWT  "application/eat+cwt"
#define VF_MEDIA_EAT_JWT  "application/eat+jwt"
#define VF_MEDIA_CWT      "application/cwt"
#define VF_MEDIA_EAR_CWT  "application/eat+cwt; eat_profile=\"" MM_EAR_PROFILE "\""
#define VF_MEDIA_EAR_JWT  "application/eat+jwt; eat_profile=\"" MM_EAR_PROFILE "\""
#define VF_MEDIA_COSE_KEY "application/cose-key"

#endif /* MAMORI_VF_INTERNAL_H */
