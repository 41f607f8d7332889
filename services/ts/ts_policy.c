/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The registration policy (SCITT architecture section 5.1.1, "Mandatory
 * Registration Checks", and section 6.3): a statement is registered only
 * when it decodes, carries iss and sub in its protected CWT claims, names
 * its key, comes from an issuer of the configured trust store, and its
 * signature verifies with that issuer's key (chosen by kid) or with the
 * leaf of an x5chain that validates to the issuer's roots. Every refusal
 * names its reason as RFC 9290 problem details; the titles SCRAPI section
 * 2.3.3 defines are used where they fit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "ts_internal.h"

/* Header parameters whose meaning the service understands, for crit: CWT
 * claims, x5chain, x5t, kccs, the hash envelope. */
static const int64_t understood[] = {
    MM_HDR_CWT_CLAIMS,
    MM_HDR_X5CHAIN,
    MM_HDR_X5T,
    MM_SCITT_HDR_KCCS,
    MM_SCITT_HDR_PAYLOAD_HASH_ALG,
    MM_SCITT_HDR_PREIMAGE_CONTENT_TYPE,
    MM_SCITT_HDR_PAYLOAD_LOCATION,
};

/* Room beyond the statement for an EdDSA or HSS-LMS ToBeSigned. */
#define SCRATCH_SLACK 256

static mm_err refuse(ts_refusal *why, const char *title, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static mm_err refuse(ts_refusal *why, const char *title, const char *fmt, ...)
{
    why->status = 400;
    why->title = title;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->detail, sizeof why->detail, fmt, ap);
    va_end(ap);
    return MM_ERR_VERIFY;
}

/* Text for a detail: printable bytes as they are, else hex (at most 64
 * bytes of either). */
static void printable(mm_bytes b, char *out, size_t cap)
{
    bool text = b.len != 0;
    for (size_t i = 0; i < b.len && text; i++) {
        text = b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f && b.ptr[i] != '\'';
    }
    size_t n = b.len > 64 ? 64 : b.len;
    if (text) {
        snprintf(out, cap, "'%.*s%s'", (int)n, (const char *)b.ptr, n < b.len ? "..." : "");
        return;
    }
    size_t at = (size_t)snprintf(out, cap, "h'");
    for (size_t i = 0; i < n && at + 3 < cap; i++) {
        at += (size_t)snprintf(out + at, cap - at, "%02x", b.ptr[i]);
    }
    snprintf(out + at, at < cap ? cap - at : 0, "%s'", n < b.len ? "..." : "");
}

void ts_trust_free(ts_trust *t)
{
    for (size_t i = 0; t->issuers != NULL && i < t->n; i++) {
        free(t->issuers[i].iss);
        ts_keys_free(t->issuers[i].keys, t->issuers[i].n_keys);
        ts_certs_free(t->issuers[i].roots, t->issuers[i].n_roots);
    }
    free(t->issuers);
    memset(t, 0, sizeof *t);
}

/* Appends src[0..n) to the growing array *dst of *count elements. */
static mm_err append(void **dst, size_t *count, const void *src, size_t n, size_t elem)
{
    if (n == 0) {
        return MM_OK;
    }
    void *grown = realloc(*dst, (*count + n) * elem);
    if (grown == NULL) {
        return MM_ERR_PLATFORM;
    }
    memcpy((uint8_t *)grown + *count * elem, src, n * elem);
    *dst = grown;
    *count += n;
    return MM_OK;
}

static mm_err load_issuer(const ts_issuer_config *c, ts_issuer *is, ts_error *err)
{
    is->iss = strdup(c->iss);
    mm_err e = is->iss != NULL ? MM_OK : MM_ERR_PLATFORM;
    for (size_t k = 0; e == MM_OK && k < c->n_keys; k++) {
        ts_key *keys = NULL;
        size_t n = 0;
        e = ts_keys_load(c->keys[k], &keys, &n, err);
        if (e == MM_OK) {
            e = append((void **)&is->keys, &is->n_keys, keys, n, sizeof *keys);
            if (e == MM_OK) {
                free(keys); /* the handles moved */
            } else {
                ts_keys_free(keys, n);
            }
        }
    }
    for (size_t r = 0; e == MM_OK && r < c->n_roots; r++) {
        mm_bytes *certs = NULL;
        size_t n = 0;
        e = ts_certs_load(c->roots[r], &certs, &n, err);
        if (e == MM_OK) {
            e = append((void **)&is->roots, &is->n_roots, certs, n, sizeof *certs);
            if (e == MM_OK) {
                free(certs);
            } else {
                ts_certs_free(certs, n);
            }
        }
    }
    return e;
}

mm_err ts_trust_load(const ts_config *cfg, ts_trust *t, ts_error *err)
{
    memset(t, 0, sizeof *t);
    t->crypto = mm_crypto_openssl();
    /* HSS-LMS in front of the default table (ES*, EdDSA, PS*). */
    t->algs = mm_lms_cose_algs();
    if (cfg->n_issuers == 0) {
        return MM_OK;
    }
    t->issuers = calloc(cfg->n_issuers, sizeof *t->issuers);
    if (t->issuers == NULL) {
        return MM_ERR_PLATFORM;
    }
    t->n = cfg->n_issuers;
    for (size_t i = 0; i < cfg->n_issuers; i++) {
        mm_err e = load_issuer(&cfg->issuers[i], &t->issuers[i], err);
        if (e != MM_OK) {
            ts_trust_free(t);
            return e;
        }
    }
    return MM_OK;
}

static const ts_issuer *find_issuer(const ts_trust *t, mm_bytes iss)
{
    for (size_t i = 0; i < t->n; i++) {
        if (mm_bytes_equal(mm_bytes_from_cstr(t->issuers[i].iss), iss)) {
            return &t->issuers[i];
        }
    }
    return NULL;
}

/* The checks of what the statement carries, before any key is looked up. */
static mm_err check_form(const ts_trust *t, const mm_scitt_statement *st, ts_refusal *why)
{
    const mm_cose_headers *h = &st->sign1.hdr;
    if ((st->present & MM_SCITT_HAS_CLAIMS) == 0) {
        return refuse(why, "Missing Claims", "the protected header has no CWT claims (15) with iss and sub");
    }
    if ((st->present & MM_SCITT_HAS_ISS) == 0 || st->iss.len == 0) {
        return refuse(why, "Missing Claims", "the CWT claims (15) have no iss (1)");
    }
    if ((st->present & MM_SCITT_HAS_SUB) == 0) {
        return refuse(why, "Missing Claims", "the CWT claims (15) have no sub (2)");
    }
    if (h->alg == 0) {
        return refuse(why, "Bad Signature Algorithm", "the statement names no alg (1)");
    }
    if ((h->protected_bits & MM_HDRBIT_ALG) == 0) {
        return refuse(why, "Bad Signature Algorithm", "alg (1) is not in the protected header");
    }
    if (h->alg < INT32_MIN || h->alg > INT32_MAX || mm_cose_find_sig_alg(t->algs, (int32_t)h->alg) == NULL) {
        return refuse(why, "Bad Signature Algorithm", "signature algorithm %lld is not supported", (long long)h->alg);
    }
    switch (mm_scitt_statement_check(st, 0)) {
    case MM_OK:
        break;
    case MM_ERR_MISSING_FIELD:
        return refuse(why, "Missing Key Identifier",
                      "the protected header names no key: a kid (4), x5t (34) or x5chain (33) is required");
    case MM_ERR_TOO_LARGE:
        return refuse(why, "Malformed Claims", "iss is longer than %d bytes", MM_SCITT_ISS_MAX);
    case MM_ERR_CLAIM_MISMATCH:
        return refuse(why, "Malformed Claims", "with x5t or x5chain the iss must be a URI (such as did:x509)");
    default:
        return refuse(why, "Malformed request",
                      "hash envelope parameters (258-260) misused: 259 and 260 need 258, 258 excludes a content type");
    }
    if (st->sign1.detached) {
        return refuse(why, "Payload Missing", "Signed Statement payload must be present (it is detached)");
    }
    return MM_OK;
}

/* Verifies the statement with key; MM_OK or the reason it failed. */
static mm_err verify_with(const ts_trust *t, const mm_scitt_statement *st, const mm_key *key, uint8_t *scratch,
                          size_t scratch_len)
{
    mm_cose_verify_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = key->crypto != NULL ? key->crypto : t->crypto;
    o.key = key;
    o.crit = understood;
    o.n_crit = sizeof understood / sizeof understood[0];
    o.algs = t->algs;
    o.scratch = scratch;
    o.scratch_len = scratch_len;
    return mm_scitt_statement_verify(st, &o);
}

static mm_err signature_refusal(ts_refusal *why, mm_err e, const ts_issuer *is, const char *how)
{
    if (e == MM_ERR_UNKNOWN_CRIT) {
        return refuse(why, "Unknown Critical Header",
                      "the statement marks a header parameter critical (crit) that "
                      "the service does not understand");
    }
    if (e == MM_ERR_ALG_MISMATCH || e == MM_ERR_KEY_USAGE) {
        return refuse(why, "Bad Signature Algorithm", "the statement's alg does not fit %s of issuer '%s'", how,
                      is->iss);
    }
    return refuse(why, "Invalid Signature", "the signature does not verify with %s of issuer '%s': %s", how, is->iss,
                  mm_strerror(e));
}

/* The x5chain path: the chain must validate to the issuer's roots, and its
 * leaf verify the signature. */
static mm_err check_x5chain(const ts_trust *t, const mm_scitt_statement *st, const ts_issuer *is, uint8_t *scratch,
                            size_t scratch_len, ts_refusal *why)
{
    mm_key leaf;
    memset(&leaf, 0, sizeof leaf);
    mm_err e = mm_openssl_cose_x5chain_key(&st->sign1.hdr, is->roots, is->n_roots, -1, &leaf);
    if (e != MM_OK) {
        return refuse(why, "Untrusted Certificate Chain",
                      "the x5chain does not validate to the certificate roots of issuer '%s': %s", is->iss,
                      mm_strerror(e));
    }
    e = verify_with(t, st, &leaf, scratch, scratch_len);
    mm_key_free(&leaf);
    return e == MM_OK ? MM_OK : signature_refusal(why, e, is, "the x5chain's certificate");
}

/* The kid path: the keys with that kid (or RFC 9679 thumbprint), else those
 * without a kid; one of them must verify. *none is set when no key was
 * tried. */
static mm_err check_kid(const ts_trust *t, const mm_scitt_statement *st, const ts_issuer *is, uint8_t *scratch,
                        size_t scratch_len, bool *none, ts_refusal *why)
{
    mm_bytes kid = st->sign1.hdr.kid;
    bool named = false;
    for (size_t i = 0; i < is->n_keys && !named; i++) {
        const ts_key *k = &is->keys[i];
        named = (k->kid_len != 0 && mm_bytes_equal(mm_bytes_make(k->kid, k->kid_len), kid)) ||
                (k->has_thumb && mm_bytes_equal(mm_bytes_make(k->thumb, sizeof k->thumb), kid));
    }
    mm_err last = MM_ERR_MISSING_FIELD;
    size_t tried = 0;
    for (size_t i = 0; i < is->n_keys; i++) {
        const ts_key *k = &is->keys[i];
        bool fits = named ? (k->kid_len != 0 && mm_bytes_equal(mm_bytes_make(k->kid, k->kid_len), kid)) ||
                                (k->has_thumb && mm_bytes_equal(mm_bytes_make(k->thumb, sizeof k->thumb), kid))
                          : k->kid_len == 0;
        if (!fits) {
            continue;
        }
        tried++;
        last = verify_with(t, st, &k->key, scratch, scratch_len);
        if (last == MM_OK) {
            return MM_OK;
        }
    }
    *none = tried == 0;
    if (tried == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    char shown[160];
    printable(kid, shown, sizeof shown);
    char how[200];
    snprintf(how, sizeof how, "the key%s for kid %s", tried > 1 ? "s" : "", shown);
    return signature_refusal(why, last, is, how);
}

mm_err ts_policy_check(const ts_trust *t, mm_bytes stmt, mm_scitt_leaf *leaf, ts_refusal *why)
{
    memset(why, 0, sizeof *why);
    mm_scitt_statement st;
    size_t off = 0;
    mm_err e = mm_scitt_statement_decode(stmt, &st, &off);
    if (e != MM_OK) {
        return refuse(why, "Malformed request", "not a signed statement (COSE_Sign1): byte %zu: %s", off,
                      mm_strerror(e));
    }
    if ((e = check_form(t, &st, why)) != MM_OK) {
        return e;
    }
    const ts_issuer *is = find_issuer(t, st.iss);
    if (is == NULL) {
        char shown[160];
        printable(st.iss, shown, sizeof shown);
        return refuse(why, "Unknown Issuer", "issuer %s is not in the trust store of this service", shown);
    }
    /* EdDSA and HSS-LMS sign the ToBeSigned whole: room for it. */
    size_t scratch_len = stmt.len + SCRATCH_SLACK;
    uint8_t *scratch = malloc(scratch_len);
    if (scratch == NULL) {
        why->status = 503;
        why->title = "Service Unavailable";
        snprintf(why->detail, sizeof why->detail, "out of memory");
        return MM_ERR_PLATFORM;
    }
    /* Every identifier the trust store knows is checked (section 5.1.1). */
    const mm_cose_headers *h = &st.sign1.hdr;
    size_t checked = 0;
    if (e == MM_OK && (h->present & MM_HDRBIT_X5CHAIN) != 0 && is->n_roots != 0) {
        e = check_x5chain(t, &st, is, scratch, scratch_len, why);
        checked += e == MM_OK ? 1u : 0u;
    }
    if (e == MM_OK && (h->protected_bits & MM_HDRBIT_KID) != 0 && is->n_keys != 0) {
        bool none = false;
        e = check_kid(t, &st, is, scratch, scratch_len, &none, why);
        if (e == MM_ERR_MISSING_FIELD && none) {
            e = MM_OK; /* a kid this issuer's keys do not name: not one the trust store knows */
        }
        checked += e == MM_OK && !none ? 1u : 0u;
    }
    free(scratch);
    if (e == MM_OK && checked == 0) {
        char shown[160];
        printable(h->kid, shown, sizeof shown);
        e = (h->protected_bits & MM_HDRBIT_KID) != 0 && is->n_keys != 0
                ? refuse(why, "Unknown Key", "issuer '%s' has no key with kid %s", is->iss, shown)
                : refuse(why, "Unknown Key", "issuer '%s' is trusted by %s, which the statement does not name", is->iss,
                         is->n_roots != 0 && is->n_keys != 0 ? "key (kid) or certificate chain (x5chain)"
                         : is->n_roots != 0                  ? "certificate chain (x5chain)"
                                                             : "key (kid)");
    }
    if (e == MM_OK) {
        e = mm_scitt_leaf_of_statement(t->crypto, stmt, leaf);
        if (e != MM_OK) {
            refuse(why, "Malformed request", "cannot compute the statement's entry: %s", mm_strerror(e));
        }
    }
    return e;
}
