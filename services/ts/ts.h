/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori ts: the SCITT Transparency Service (draft-ietf-scitt-architecture,
 * draft-ietf-scitt-scrapi), host code. See docs/ts.md.
 *
 * Model
 * -----
 * A service is opened from a configuration (ts_config, read from a JSON
 * file by ts_config_load()), started, and closed:
 *
 *   ts_config cfg; ts_error err; ts_service *svc;
 *   ts_config_load("ts.json", &cfg, &err);
 *   ts_service_open(&cfg, NULL, &svc, &err);   // store, keys, start-up check
 *   ts_service_start(svc, &err);               // HTTP and the sequencer
 *   ...
 *   ts_service_close(svc);                     // drains, stops, closes
 *
 * Registration (POST /entries) applies the registration policy in the HTTP
 * worker thread that received the statement (decode, claims, the issuer's
 * key from the trust store, the signature), so verification runs on every
 * core; the accepted statement then waits for the sequencer. The sequencer
 * (one thread) takes up to batch_size waiting statements, appends them to
 * the Merkle tree and stores them, signs the new root once and commits all
 * of it in one durable transaction; only then are the clients answered,
 * each with a receipt carrying that one signature. A client whose batch has
 * not committed after receipt_wait_ms gets 303 and polls GET /entries/{id}.
 *
 * On open, the stored tree is checked against the last signed tree head
 * (its signature, size and root; TS_CHECK_FULL also recomputes every leaf
 * and node from the entries): the service refuses to run on a mismatch.
 *
 * Nothing here prints: errors come back as mm_err with a ts_error naming
 * what was wrong, and events of a running service go to the log callback.
 */
#ifndef MAMORI_TS_H
#define MAMORI_TS_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/base.h"
#include "ts_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong, for people: "what: why" (the CLI prints it). */
typedef struct ts_error {
    char msg[512];
} ts_error;

/* Start-up checks. */
enum {
    TS_CHECK_ROOT = 0, /* the last tree head's signature, size and root from the stored nodes, its batch's leaves */
    TS_CHECK_FULL = 1, /* also every entry's leaf, every node and every tree head */
};

/* An issuer the registration policy accepts, and how its statements are
 * authenticated: keys (PEM, DER, COSE_Key or COSE_KeySet files; a
 * statement's kid picks the keys with that kid or RFC 9679 thumbprint, else
 * those without a kid are tried) and certificate roots (PEM or DER files)
 * that a statement's x5chain must validate to. */
typedef struct ts_issuer_config {
    char *iss;
    char **keys;
    size_t n_keys;
    char **roots;
    size_t n_roots;
} ts_issuer_config;

/* Events of a running service (a commit that failed, a client refused for
 * a full queue...): one line, no newline. */
typedef void (*ts_log_fn)(void *user, const char *line);

/* Limits of the configuration values. */
#define TS_BATCH_MAX               65536u
#define TS_WAIT_MAX_MS             60000u
#define TS_THREADS_MAX             64u
#define TS_QUEUE_MAX               (1u << 20)
#define TS_QUEUE_BYTES_MAX         ((size_t)16 << 30)
#define TS_BODY_MAX                ((size_t)64 << 20)
#define TS_ISSUERS_MAX             1024u
#define TS_FILES_MAX               64u /* keys or roots of one issuer */
#define TS_CACHE_MAX               ((size_t)1 << 26)
#define TS_RECEIPT_WAIT_DEFAULT_MS 2000u

/* The configuration. Strings are malloc'ed (ts_config_free()). Paths are
 * as given, relative to the process's folder (ts_config_load() makes those
 * of a file relative to the file's folder). */
typedef struct ts_config {
    char *listen;             /* "host:port" (default "127.0.0.1:8080") */
    char *database;           /* SQLite file (default "ts.db") */
    char *key;                /* the service's signing key: PEM/COSE_Key private key (ES256 ...), or HSS-LMS */
    char *issuer;             /* iss of the receipts (default "mamori-ts") */
    char *tls_cert;           /* HTTPS: certificate chain (PEM) */
    char *tls_key;            /* HTTPS: its private key (PEM) */
    size_t batch_size;        /* registrations per batch, 1..TS_BATCH_MAX (default 1024) */
    unsigned max_wait_ms;     /* how long a batch waits to fill once its first registration is in (default 0) */
    unsigned receipt_wait_ms; /* how long POST /entries waits for its batch before 303 (default 2000) */
    size_t max_body;          /* request body limit in bytes (default 1 MiB) */
    unsigned threads;         /* HTTP worker threads, which also verify statements (default: mm_http_default_threads) */
    size_t queue_max;         /* registrations waiting at most; more get 503 (default 65536) */
    size_t queue_max_bytes;   /* bytes of entries waiting at most; more get 503 (default 256 MiB) */
    size_t node_cache;        /* tree nodes cached in memory (default 262144, 40 bytes each) */
    unsigned check;           /* TS_CHECK_ROOT or TS_CHECK_FULL */
    ts_issuer_config *issuers;
    size_t n_issuers;
    ts_log_fn log; /* not from the file; NULL: no log */
    void *log_user;
} ts_config;

/* Fills cfg with the defaults (no issuers, no key). Errors:
 * MM_ERR_PLATFORM (out of memory). */
MM_NODISCARD mm_err ts_config_init(ts_config *cfg);

/* Reads a JSON configuration file (format in docs/ts.md) over the
 * defaults. Unknown members are refused, so a misspelt option is not
 * silently ignored. Errors: MM_ERR_PLATFORM (unreadable file),
 * MM_ERR_SYNTAX (not JSON), MM_ERR_CBOR_TYPE (a member of the wrong type),
 * MM_ERR_UNKNOWN_FIELD, MM_ERR_MISSING_FIELD (no key), MM_ERR_CBOR_RANGE (a
 * value out of its range); err names the member. */
MM_NODISCARD mm_err ts_config_load(const char *path, ts_config *cfg, ts_error *err);

/* Releases what cfg holds (safe on a zeroed one). */
void ts_config_free(ts_config *cfg);

typedef struct ts_service ts_service;

/* Opens a service: the store (store, which the service then owns and
 * closes, or NULL for the SQLite database of cfg), the signing key, the
 * trust store, then the start-up check. cfg is copied. Errors:
 * MM_ERR_VERIFY (the stored tree does not match its last signed tree head,
 * or that head's signature fails: the service refuses to run),
 * MM_ERR_BAD_KEY and MM_ERR_UNSUPPORTED (key files), MM_ERR_PLATFORM
 * (files, database), MM_ERR_INVALID_ARG; err says which. */
MM_NODISCARD mm_err ts_service_open(const ts_config *cfg, const ts_store *store, ts_service **out, ts_error *err);

/* Starts the sequencer and the HTTP server on cfg->listen (HTTPS with
 * tls_cert and tls_key). Errors: MM_ERR_PLATFORM (cannot bind, TLS files),
 * MM_ERR_INVALID_ARG (a bad listen address), MM_ERR_STATE (started). */
MM_NODISCARD mm_err ts_service_start(ts_service *svc, ts_error *err);

/* The port the service listens on (0 before start). */
uint16_t ts_service_port(const ts_service *svc);

/* The size of the tree at the last signed tree head. */
uint64_t ts_service_size(ts_service *svc);

/* Stops taking requests, commits what is waiting, answers the clients,
 * stops the threads, closes the store and frees svc (NULL is ignored). */
void ts_service_close(ts_service *svc);

/* The service's public key as a COSE_Key with its kid (the RFC 9679
 * thumbprint), as /.well-known/scitt-keys/{kid} serves it: a view valid
 * while svc is open. */
mm_bytes ts_service_cose_key(const ts_service *svc);

/* The public key of a service signing key file as the service publishes
 * it: a COSE_Key with alg and its kid, the RFC 9679 SHA-256 thumbprint
 * (SCRAPI section 2.2 recommends it), which also goes into kid. *cose_key
 * is malloc'ed. Errors: as ts_service_open() for the key. */
MM_NODISCARD mm_err ts_key_public(const char *path, uint8_t **cose_key, size_t *len, uint8_t kid[32], ts_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_TS_H */
