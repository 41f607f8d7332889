/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori verifier: the RATS Verifier service (RFC 9334), host code. It
 * appraises Evidence (EAT CWTs, RFC 9711) against the endorsements and
 * reference values of its store and answers with a signed Attestation
 * Result (EAR, draft-ietf-rats-ear) carrying the AR4SI trustworthiness
 * vector. See docs/verifier.md.
 *
 * Model
 * -----
 *   vf_config cfg; vf_config_init(&cfg);     // defaults
 *   cfg.key = &signing_key; ...               // the caller's key, alive until close
 *   vf_service *svc; vf_error err;
 *   vf_service_open(&cfg, &svc, &err);        // store, nonce key, used nonces
 *   vf_service_start(svc, &err);              // HTTP
 *   ...
 *   vf_service_close(svc);                    // stops HTTP, saves used nonces, closes
 *
 * Appraisal runs in the HTTP worker thread that received the evidence:
 * authenticate with an endorsed key, check freshness, the profile, the
 * policy, sign the result. In challenge mode the nonce the evidence
 * carries is then recorded used in an in-memory set (checked and inserted
 * in one step under a lock) before the result leaves the process; the set
 * is saved to the store at a clean stop, and a crash replaces the nonce key
 * (docs/verifier.md, "Restarts"), so a nonce is never accepted twice.
 *
 * Nothing here prints: errors come back as mm_err with a vf_error naming
 * what was wrong, events of a running service go to the log callback.
 */
#ifndef MAMORI_VERIFIER_H
#define MAMORI_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong, for people: "what: why". */
typedef struct vf_error {
    char msg[512];
} vf_error;

/* One line about an event of a running service, no newline. */
typedef void (*vf_log_fn)(void *user, const char *line);

/* The clock (seconds since 1970); NULL in the configuration: time(). */
typedef int64_t (*vf_clock_fn)(void *user);

/* The EAT profile of the TEEP protocol (draft-ietf-teep-protocol, "EAT
 * Profile"), until its RFC number is known. */
#define VF_TEEP_PROFILE "urn:ietf:rfc:rfcXXXX"

/* Limits of the configuration values. */
#define VF_TTL_MAX     86400u /* nonce, result and evidence-age windows, seconds */
#define VF_THREADS_MAX 64u
/* Most used nonces a Verifier holds (vf_config.used_nonces). */
#define VF_USED_MAX     ((size_t)1 << 26)
#define VF_BODY_MAX     ((size_t)1 << 20)
#define VF_PROFILES_MAX 16u
#define VF_DEFAULT_PORT "127.0.0.1:8081"

typedef struct vf_config {
    const char *listen;                    /* "host:port" (default VF_DEFAULT_PORT; port 0: any free port) */
    const char *database;                  /* SQLite file (default "verifier.db") */
    const mm_key *key;                     /* the signing key of results (required; the caller's until close) */
    int32_t alg;                           /* its algorithm (0: the key's usual one) */
    unsigned nonce_ttl;                    /* seconds a challenge nonce is valid (default 120) */
    unsigned iat_window;                   /* evidence without a nonce is fresh when its iat is at most this old (0, the
                                              default: a nonce is required) */
    unsigned leeway;                       /* clock skew tolerated on iat, exp and nbf (default 60) */
    unsigned result_ttl;                   /* a result's exp - iat (default 300) */
    const char *developer;                 /* ear_verifier_id developer (default "https://mamori.dev") */
    const char *build;                     /* ear_verifier_id build (default "mamori verifier") */
    const char *teep_profile;              /* the URI that names the TEEP profile (default VF_TEEP_PROFILE) */
    const char *profiles[VF_PROFILES_MAX]; /* other eat_profile URIs accepted (appraised as plain EAT) */
    size_t n_profiles;
    bool raw_evidence;    /* put ear_raw_evidence into results (default false: privacy) */
    size_t max_body;      /* request body limit (default 64 KiB) */
    unsigned threads;     /* HTTP worker threads (default: mm_http_default_threads) */
    size_t used_nonces;   /* most used nonces held, until they expire (default 2^20; 1..2^26; 48 bytes
                             each, 2 slots of 24: 48 MiB by default); at least the peak appraisals per
                             second times nonce_ttl, else appraisals get 503 */
    const char *tls_cert; /* HTTPS: certificate chain (PEM) */
    const char *tls_key;  /* HTTPS: its private key (PEM) */
    vf_log_fn log;        /* NULL: no log */
    void *log_user;
    vf_clock_fn clock; /* NULL: time() */
    void *clock_user;
} vf_config;

/* Fills cfg with the defaults (no key). */
void vf_config_init(vf_config *cfg);

typedef struct vf_service vf_service;

/* Opens a service: checks cfg (copied; strings are copied too, the key is
 * not), opens the store, loads the used nonces of its last clean stop. Errors: MM_ERR_INVALID_ARG
 * (a value out of range, no key or a key that cannot sign), MM_ERR_PLATFORM
 * (the database), MM_ERR_UNSUPPORTED (a database of a newer schema); err
 * says which. */
MM_NODISCARD mm_err vf_service_open(const vf_config *cfg, vf_service **out, vf_error *err);

/* Starts HTTP on cfg->listen. Errors: MM_ERR_PLATFORM (cannot bind, TLS
 * files), MM_ERR_INVALID_ARG (not host:port), MM_ERR_STATE (started). */
MM_NODISCARD mm_err vf_service_start(vf_service *svc, vf_error *err);

/* The port the service listens on (0 before start). */
uint16_t vf_service_port(const vf_service *svc);

/* The verifier's public key as a COSE_Key with its kid (the RFC 9679
 * thumbprint, also the kid of every result): a view valid while svc is
 * open. */
mm_bytes vf_service_public_key(const vf_service *svc);

/* Stops HTTP (waiting for the requests in progress), saves the unexpired
 * used nonces, closes the store and frees svc (NULL is ignored). */
void vf_service_close(vf_service *svc);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_VERIFIER_H */
