/* SPDX-License-Identifier: Apache-2.0 */
/*
 * X.509 chain validation for COSE's x5chain (RFC 9360): the caller's trust
 * anchors only, the message's certificates as untrusted intermediates,
 * OpenSSL's RFC 5280 path validation at a given time, then the leaf's key.
 */
#include <limits.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "internal.h"
#include "mamori/crypto_openssl.h"

/* Security level 2: 112-bit keys, no SHA-1 signatures (RFC 9360 defers
 * algorithm policy to the application; this is today's floor). */
#define AUTH_LEVEL 2

/* One DER certificate, nothing after it; NULL if it is not one. */
static X509 *parse(mm_bytes der)
{
    if (der.ptr == NULL || der.len == 0 || der.len > INT_MAX) {
        return NULL;
    }
    const unsigned char *p = der.ptr;
    X509 *cert = d2i_X509(NULL, &p, (long)der.len);
    if (cert != NULL && p != der.ptr + der.len) {
        X509_free(cert);
        cert = NULL;
    }
    return cert;
}

static bool too_large(const mm_bytes *certs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (certs[i].len > INT_MAX) {
            return true;
        }
    }
    return false;
}

/* A store holding exactly the given anchors; NULL with *e set. */
static X509_STORE *anchors(const mm_bytes *roots, size_t n_roots, mm_err *e)
{
    X509_STORE *store = X509_STORE_new();
    if (store == NULL) {
        *e = MM_ERR_PLATFORM;
        return NULL;
    }
    for (size_t i = 0; i < n_roots; i++) {
        X509 *root = parse(roots[i]);
        int ok = root != NULL && X509_STORE_add_cert(store, root) == 1; /* the store takes a reference */
        X509_free(root);
        if (!ok) {
            *e = root == NULL ? MM_ERR_INVALID_ARG : MM_ERR_PLATFORM;
            X509_STORE_free(store);
            return NULL;
        }
    }
    *e = MM_OK;
    return store;
}

/* The chain's certificates after the leaf, as OpenSSL's untrusted stack. */
static STACK_OF(X509) * intermediates(const mm_bytes *chain, size_t n, mm_err *e)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    if (sk == NULL) {
        *e = MM_ERR_PLATFORM;
        return NULL;
    }
    for (size_t i = 1; i < n; i++) {
        X509 *cert = parse(chain[i]);
        if (cert == NULL || sk_X509_push(sk, cert) <= 0) {
            *e = cert == NULL ? MM_ERR_VERIFY : MM_ERR_PLATFORM;
            X509_free(cert);
            sk_X509_pop_free(sk, X509_free);
            return NULL;
        }
    }
    *e = MM_OK;
    return sk;
}

/* Runs path validation of leaf against store with the untrusted sk. */
static mm_err validate(X509_STORE *store, X509 *leaf, STACK_OF(X509) * sk, int64_t at_time)
{
    X509_STORE_CTX *vctx = X509_STORE_CTX_new();
    if (vctx == NULL || X509_STORE_CTX_init(vctx, store, leaf, sk) != 1) {
        X509_STORE_CTX_free(vctx);
        return MM_ERR_PLATFORM;
    }
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(vctx);
    /* The caller's anchors are anchors whether self-signed or not (RFC 5280
     * 6.1.1 takes the trust anchor as an input). */
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    X509_VERIFY_PARAM_set_auth_level(param, AUTH_LEVEL);
    if (at_time >= 0) {
        X509_VERIFY_PARAM_set_time(param, (time_t)at_time);
    }
    int r = X509_verify_cert(vctx);
    X509_STORE_CTX_free(vctx);
    if (r < 0) {
        return MM_ERR_PLATFORM;
    }
    return r == 1 ? MM_OK : MM_ERR_VERIFY;
}

/* A leaf that states its key's uses must allow signatures. */
static bool may_sign(X509 *leaf)
{
    return (X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) == 0 ||
           (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) != 0;
}

static mm_err verify_chain(const mm_bytes *chain, size_t n, const mm_bytes *roots, size_t n_roots, int64_t at_time,
                           int32_t alg, mm_key *leaf_key_out)
{
    mm_err e = MM_OK;
    X509_STORE *store = anchors(roots, n_roots, &e);
    if (store == NULL) {
        return e;
    }
    X509 *leaf = parse(chain[0]);
    STACK_OF(X509) *sk = leaf != NULL ? intermediates(chain, n, &e) : NULL;
    if (leaf == NULL) {
        e = MM_ERR_VERIFY;
    }
    if (e == MM_OK) {
        e = validate(store, leaf, sk, at_time);
    }
    if (e == MM_OK && !may_sign(leaf)) {
        e = MM_ERR_VERIFY;
    }
    EVP_PKEY *pkey = e == MM_OK ? X509_get_pubkey(leaf) : NULL;
    if (e == MM_OK && pkey == NULL) {
        e = MM_ERR_VERIFY;
    }
    if (e == MM_OK) {
        e = mo_key_from_pkey(pkey, alg, 0, leaf_key_out);
        if (e == MM_ERR_KEY_USAGE) {
            e = MM_ERR_ALG_MISMATCH; /* the message's key is not for its algorithm */
        } else if (e == MM_ERR_BAD_KEY) {
            e = MM_ERR_VERIFY; /* a certified key OpenSSL's checks refuse */
        }
    }
    sk_X509_pop_free(sk, X509_free);
    X509_free(leaf);
    X509_STORE_free(store);
    return e;
}

mm_err mm_openssl_x509_chain_verify(const mm_bytes *chain, size_t n, const mm_bytes *roots, size_t n_roots,
                                    int64_t at_time, int32_t alg, mm_key *leaf_key_out)
{
    if (leaf_key_out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(leaf_key_out, 0, sizeof *leaf_key_out);
    if (chain == NULL || n == 0 || roots == NULL || n_roots == 0 || at_time < -1) {
        return MM_ERR_INVALID_ARG;
    }
    if (too_large(chain, n) || too_large(roots, n_roots)) {
        return MM_ERR_TOO_LARGE;
    }
    ERR_set_mark();
    mm_err e = verify_chain(chain, n, roots, n_roots, at_time, alg, leaf_key_out);
    ERR_pop_to_mark();
    return e;
}

mm_err mm_openssl_cose_x5chain_key(const mm_cose_headers *h, const mm_bytes *roots, size_t n_roots, int64_t at_time,
                                   mm_key *leaf_key_out)
{
    if (h == NULL || leaf_key_out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(leaf_key_out, 0, sizeof *leaf_key_out);
    mm_bytes certs[MM_OPENSSL_X5CHAIN_MAX];
    size_t n = 0;
    mm_err e = mm_cose_x5chain_certs(h, certs, MM_OPENSSL_X5CHAIN_MAX, &n);
    if (e != MM_OK) {
        return e;
    }
    /* An x5t beside the chain must name its leaf. */
    if ((h->present & MM_HDRBIT_X5T) != 0 && (e = mm_cose_x5t_check(mm_crypto_openssl(), h, certs[0])) != MM_OK) {
        return e;
    }
    int32_t alg = (h->present & MM_HDRBIT_ALG) != 0 ? (int32_t)h->alg : 0;
    return mm_openssl_x509_chain_verify(certs, n, roots, n_roots, at_time, alg, leaf_key_out);
}
