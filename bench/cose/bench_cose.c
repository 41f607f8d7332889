/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_cose: COSE_Sign1 verify and sign per second with mamori and its
 * OpenSSL backend, measured against bare OpenSSL doing the same signature
 * over the same bytes with the same key, in the same run.
 *
 * For ES256 (P-256) and EdDSA (Ed25519) a key is generated with OpenSSL and
 * imported into mamori twice: the private key from PEM, the public key from
 * its raw coordinates (COSE_Key parts). mamori then signs a payload as a
 * COSE_Sign1 (a SUIT-manifest-sized 300 bytes, and 4 KiB).
 *
 * - verify, mamori: mm_cose_sign1_decode() + mm_cose_sign1_verify() of the
 *   message as it arrives, bytes to verdict;
 * - verify, bare OpenSSL: EVP_DigestVerifyInit() + EVP_DigestVerify() of the
 *   same signature over the ToBeSigned bytes (the Sig_structure), which are
 *   built once beforehand, as is the DER form of an ECDSA signature;
 * - sign, mamori: mm_cose_sign1_create() of the whole message (for ES256
 *   with the DER to r || s conversion COSE needs);
 * - sign, bare OpenSSL: EVP_DigestSignInit() + EVP_DigestSign() over the
 *   ToBeSigned bytes (for ES256 the signature stays DER).
 * The bare side is timed in two ways, and the faster counts: it is the
 * bound. EdDSA: one EVP_MD_CTX reset per iteration, or a new one. ES256:
 * a new EVP_MD_CTX per iteration, or the least an ECDSA operation costs
 * (bench_ecdsa: the digest in one call, then EVP_PKEY_verify/sign on a
 * context initialised once), which is always the faster.
 *
 * Before anything is timed, each side must accept the other's signature
 * (and refuse a tampered one), or the benchmark fails (exit 1); after each
 * timed run every iteration must have succeeded and the last signature must
 * verify. Speed never makes it fail.
 *
 * Each measurement runs a fixed number of iterations, calibrated to take
 * about MEASURE_SECONDS, and is repeated RUNS times; the best run counts,
 * because on a shared machine noise only ever makes a run slower.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "mamori/cbor.h"
#include "mamori/cose.h"
#include "mamori/crypto.h"
#include "mamori/crypto_openssl.h"
#include "bench_common.h"
#include "bench_ossl.h"

#ifndef MM_BENCH_BUILD_TYPE
#define MM_BENCH_BUILD_TYPE "unknown"
#endif

#define MEASURE_SECONDS 0.3
#define RUNS            5

#define TARGET_RATIO 0.97
#define SIG_LEN      64 /* ES256 r || s and Ed25519 */
#define DER_SIG_MAX  80 /* a DER ECDSA-Sig-Value on P-256: at most 72 bytes */
#define KID_LEN      8
#define SLACK        256 /* message or Sig_structure bytes beyond the payload */

static void *xmalloc(size_t n)
{
    void *p = malloc(n != 0 ? n : 1);
    if (p == NULL) {
        bench_die("out of memory");
    }
    return p;
}

/*
 * Keys: one OpenSSL key per algorithm, the same key on both sides.
 */

typedef struct keyset {
    const char *name; /* "ES256", "EdDSA" */
    int32_t alg;
    const EVP_MD *md;     /* the digest EVP_DigestSign/Verify take: SHA-256, or NULL for Ed25519 */
    EVP_PKEY *priv;       /* as generated */
    EVP_PKEY *pub;        /* its public half alone, read back from SubjectPublicKeyInfo */
    mm_key mpriv;         /* the private key, imported from PEM */
    mm_key mpub;          /* the public key, imported from its COSE_Key parts */
    uint8_t x[66], y[66]; /* the public parts mpub was made from */
} keyset;

/* mamori's public key: from the raw coordinates (EC2 x and y, or the OKP
 * public key), as a COSE_Key carries them. */
static void import_public(keyset *k)
{
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.alg = k->alg;
    if (k->alg == MM_ALG_ES256) {
        BIGNUM *x = NULL;
        BIGNUM *y = NULL;
        bench_require(EVP_PKEY_get_bn_param(k->priv, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
                          EVP_PKEY_get_bn_param(k->priv, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1 &&
                          BN_bn2binpad(x, k->x, 32) == 32 && BN_bn2binpad(y, k->y, 32) == 32,
                      "EC public coordinates");
        BN_free(x);
        BN_free(y);
        parts.kty = MM_KTY_EC2;
        parts.crv = MM_CRV_P256;
        parts.x = mm_bytes_make(k->x, 32);
        parts.y = mm_bytes_make(k->y, 32);
    } else {
        size_t len = sizeof k->x;
        bench_require(EVP_PKEY_get_raw_public_key(k->priv, k->x, &len) == 1 && len == 32,
                      "EVP_PKEY_get_raw_public_key");
        parts.kty = MM_KTY_OKP;
        parts.crv = MM_CRV_ED25519;
        parts.x = mm_bytes_make(k->x, 32);
    }
    bench_check(mm_key_import(mm_crypto_openssl(), &parts, 0, &k->mpub), "mm_key_import");
}

static void keyset_init(keyset *k, const char *name, int32_t alg)
{
    memset(k, 0, sizeof *k);
    k->name = name;
    k->alg = alg;
    if (alg == MM_ALG_ES256) {
        k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
        k->md = EVP_sha256();
    } else {
        k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
        k->md = NULL;
    }
    bench_require(k->priv != NULL, "EVP_PKEY_Q_keygen");
    /* The bare side verifies with the public half only, as a verifier has. */
    k->pub = bench_public_half(k->priv);
    bench_import_private(k->priv, k->alg, &k->mpriv);
    import_public(k);
}

static void keyset_free(keyset *k)
{
    mm_key_free(&k->mpriv);
    mm_key_free(&k->mpub);
    EVP_PKEY_free(k->priv);
    EVP_PKEY_free(k->pub);
}

/*
 * ECDSA signatures from DER to COSE's r || s, for the cross-checks (never
 * inside a timed loop; the other way is bench_es256_der()).
 */

static void der_to_raw(const uint8_t *der, size_t len, uint8_t raw[SIG_LEN])
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    bench_require(sig != NULL, "d2i_ECDSA_SIG");
    const BIGNUM *r = NULL;
    const BIGNUM *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    bench_require(BN_bn2binpad(r, raw, SIG_LEN / 2) == SIG_LEN / 2 &&
                      BN_bn2binpad(s, raw + SIG_LEN / 2, SIG_LEN / 2) == SIG_LEN / 2,
                  "BN_bn2binpad");
    ECDSA_SIG_free(sig);
}

/*
 * One case: an algorithm and a payload size, with everything both sides
 * work on, prepared outside the timed loops.
 */

typedef struct bench_case {
    keyset *key;
    size_t payload_len;
    uint8_t *payload;
    uint8_t kid[KID_LEN];
    uint8_t *msg; /* COSE_Sign1 made by mamori */
    size_t msg_len;
    uint8_t *tbs; /* its Sig_structure, encoded here rather than by lib/cose */
    size_t tbs_len;
    uint8_t sig_der[DER_SIG_MAX]; /* the message's signature as the bare side takes it */
    size_t sig_der_len;
    uint8_t *scratch; /* room for the ToBeSigned, which EdDSA signs whole */
    size_t scratch_len;
    /* Outputs of the timed signing loops, checked after each run. */
    uint8_t *out;
    size_t out_cap;
    size_t out_len;
    uint8_t bare_sig[DER_SIG_MAX];
    size_t bare_sig_len;
    EVP_MD_CTX *mctx;   /* the bare side's reused context */
    bench_ecdsa prep_v; /* ES256: the bare side's prepared contexts */
    bench_ecdsa prep_s;
} bench_case;

static mm_cose_create_opts create_opts(bench_case *c)
{
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &c->key->mpriv;
    o.alg = c->key->alg;
    o.kid = mm_bytes_make(c->kid, sizeof c->kid);
    o.scratch = c->scratch;
    o.scratch_len = c->scratch_len;
    return o;
}

static mm_cose_verify_opts verify_opts(bench_case *c)
{
    mm_cose_verify_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &c->key->mpub;
    o.scratch = c->scratch;
    o.scratch_len = c->scratch_len;
    return o;
}

/* mamori, from the message's bytes to the verdict. */
static mm_err mamori_verify_msg(bench_case *c, mm_bytes msg)
{
    mm_cose_sign1 s;
    mm_err e = mm_cose_sign1_decode(msg, &s, NULL);
    if (e != MM_OK) {
        return e;
    }
    mm_cose_verify_opts o = verify_opts(c);
    return mm_cose_sign1_verify(&s, &o);
}

/* Bare OpenSSL verify of sig over tbs (ctx: reused, or NULL for a new one). */
static int bare_verify_with(EVP_MD_CTX *ctx, const keyset *k, const uint8_t *sig, size_t sig_len, const uint8_t *tbs,
                            size_t tbs_len)
{
    EVP_MD_CTX *m = ctx != NULL ? ctx : EVP_MD_CTX_new();
    if (ctx != NULL) {
        EVP_MD_CTX_reset(m);
    }
    int ok = m != NULL && EVP_DigestVerifyInit(m, NULL, k->md, NULL, k->pub) == 1 &&
             EVP_DigestVerify(m, sig, sig_len, tbs, tbs_len) == 1;
    if (ctx == NULL) {
        EVP_MD_CTX_free(m);
    }
    return ok;
}

static int bare_sign_with(EVP_MD_CTX *ctx, const keyset *k, uint8_t *sig, size_t *sig_len, const uint8_t *tbs,
                          size_t tbs_len)
{
    EVP_MD_CTX *m = ctx != NULL ? ctx : EVP_MD_CTX_new();
    if (ctx != NULL) {
        EVP_MD_CTX_reset(m);
    }
    *sig_len = DER_SIG_MAX;
    int ok = m != NULL && EVP_DigestSignInit(m, NULL, k->md, NULL, k->priv) == 1 &&
             EVP_DigestSign(m, sig, sig_len, tbs, tbs_len) == 1;
    if (ctx == NULL) {
        EVP_MD_CTX_free(m);
    }
    return ok;
}

/* The bare side's signature in COSE's form. */
static void bare_sig_to_cose(const keyset *k, const uint8_t *sig, size_t len, uint8_t raw[SIG_LEN])
{
    if (k->alg == MM_ALG_ES256) {
        der_to_raw(sig, len, raw);
    } else {
        if (len != SIG_LEN) {
            bench_die("%s: bare signature of %zu bytes", k->name, len);
        }
        memcpy(raw, sig, SIG_LEN);
    }
}

static void case_init(bench_case *c, keyset *k, size_t payload_len, bench_rng *r)
{
    memset(c, 0, sizeof *c);
    c->key = k;
    c->payload_len = payload_len;
    c->payload = xmalloc(payload_len);
    bench_rng_fill(r, c->payload, payload_len);
    bench_rng_fill(r, c->kid, sizeof c->kid);
    c->scratch_len = payload_len + SLACK;
    c->scratch = xmalloc(c->scratch_len);
    c->out_cap = payload_len + SLACK;
    c->out = xmalloc(c->out_cap);
    c->msg = xmalloc(c->out_cap);
    c->tbs = xmalloc(payload_len + SLACK);
    c->mctx = EVP_MD_CTX_new();
    bench_require(c->mctx != NULL, "EVP_MD_CTX_new");
    if (k->alg == MM_ALG_ES256) {
        bench_ecdsa_init(&c->prep_v, k->pub, "SHA256", 'v');
        bench_ecdsa_init(&c->prep_s, k->priv, "SHA256", 's');
    }

    /* The message, signed by mamori. */
    mm_cose_create_opts co = create_opts(c);
    mm_buf out = mm_buf_make(c->msg, c->out_cap);
    bench_check(mm_cose_sign1_create(&co, mm_bytes_make(c->payload, payload_len), &out), "mm_cose_sign1_create");
    c->msg_len = out.len;

    /* Its Sig_structure, from the protected bytes as decoded: RFC 9052 4.4. */
    mm_cose_sign1 s;
    bench_check(mm_cose_sign1_decode(mm_bytes_make(c->msg, c->msg_len), &s, NULL), "mm_cose_sign1_decode");
    if (s.signature.len != SIG_LEN || s.signature.ptr != c->msg + c->msg_len - SIG_LEN || !s.tagged ||
        s.payload.len != payload_len) {
        bench_die("%s: unexpected message layout", k->name);
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, c->tbs, payload_len + SLACK);
    mm_cbor_put_array(&enc, 4);
    mm_cbor_put_cstr(&enc, "Signature1");
    mm_cbor_put_bstr(&enc, s.hdr.protected_bytes);
    mm_cbor_put_bstr(&enc, mm_bytes_make(NULL, 0)); /* external_aad */
    mm_cbor_put_bstr(&enc, mm_bytes_make(c->payload, payload_len));
    bench_check(mm_cbor_enc_finish(&enc, &c->tbs_len), "Sig_structure");

    if (k->alg == MM_ALG_ES256) {
        c->sig_der_len = bench_es256_der(s.signature.ptr, c->sig_der, sizeof c->sig_der);
    } else {
        memcpy(c->sig_der, s.signature.ptr, SIG_LEN);
        c->sig_der_len = SIG_LEN;
    }
}

static void case_free(bench_case *c)
{
    free(c->payload);
    free(c->scratch);
    free(c->out);
    free(c->msg);
    free(c->tbs);
    EVP_MD_CTX_free(c->mctx);
    bench_ecdsa_free(&c->prep_v);
    bench_ecdsa_free(&c->prep_s);
}

/* Both sides must accept each other's signatures and refuse tampered ones,
 * or the figures would compare different work. */
static void cross_check(bench_case *c)
{
    const keyset *k = c->key;
    size_t n = c->payload_len;
    bench_check(mamori_verify_msg(c, mm_bytes_make(c->msg, c->msg_len)), "mamori verifying its own message");
    if (!bare_verify_with(NULL, k, c->sig_der, c->sig_der_len, c->tbs, c->tbs_len)) {
        bench_die("%s/%zu: bare OpenSSL refuses mamori's signature", k->name, n);
    }

    /* OpenSSL's signature, put in place of mamori's. */
    uint8_t sig[DER_SIG_MAX];
    size_t sig_len = 0;
    bench_require(bare_sign_with(NULL, k, sig, &sig_len, c->tbs, c->tbs_len), "EVP_DigestSign");
    uint8_t *copy = xmalloc(c->msg_len);
    memcpy(copy, c->msg, c->msg_len);
    bare_sig_to_cose(k, sig, sig_len, copy + c->msg_len - SIG_LEN);
    mm_err e = mamori_verify_msg(c, mm_bytes_make(copy, c->msg_len));
    if (e != MM_OK) {
        bench_die("%s/%zu: mamori refuses OpenSSL's signature: %s", k->name, n, mm_strerror(e));
    }

    /* A flipped payload bit must fail on both sides. */
    uint8_t *tbs = xmalloc(c->tbs_len);
    memcpy(tbs, c->tbs, c->tbs_len);
    tbs[c->tbs_len - 1] ^= 1;
    if (bare_verify_with(NULL, k, c->sig_der, c->sig_der_len, tbs, c->tbs_len)) {
        bench_die("%s/%zu: bare OpenSSL accepts a tampered payload", k->name, n);
    }
    memcpy(copy, c->msg, c->msg_len);
    copy[c->msg_len - SIG_LEN - 3] ^= 1; /* inside the payload, before the signature's head */
    e = mamori_verify_msg(c, mm_bytes_make(copy, c->msg_len));
    if (e != MM_ERR_VERIFY) {
        bench_die("%s/%zu: mamori on a tampered payload: %s, expected a failed check", k->name, n, mm_strerror(e));
    }
    free(tbs);
    free(copy);
    ERR_clear_error();
}

/*
 * What is timed: one operation per iteration, false on failure.
 */

typedef bool (*op_fn)(bench_case *c);

static bool op_mamori_verify(bench_case *c) { return mamori_verify_msg(c, mm_bytes_make(c->msg, c->msg_len)) == MM_OK; }

static bool op_bare_verify_reset(bench_case *c)
{
    if (c->key->alg == MM_ALG_ES256) {
        return bench_ecdsa_verify(&c->prep_v, c->sig_der, c->sig_der_len, c->tbs, c->tbs_len);
    }
    return bare_verify_with(c->mctx, c->key, c->sig_der, c->sig_der_len, c->tbs, c->tbs_len);
}

static bool op_bare_verify_new(bench_case *c)
{
    return bare_verify_with(NULL, c->key, c->sig_der, c->sig_der_len, c->tbs, c->tbs_len);
}

static bool op_mamori_sign(bench_case *c)
{
    mm_cose_create_opts o = create_opts(c);
    mm_buf out = mm_buf_make(c->out, c->out_cap);
    mm_err e = mm_cose_sign1_create(&o, mm_bytes_make(c->payload, c->payload_len), &out);
    c->out_len = out.len;
    return e == MM_OK;
}

static bool op_bare_sign_reset(bench_case *c)
{
    if (c->key->alg == MM_ALG_ES256) {
        c->bare_sig_len = DER_SIG_MAX;
        return bench_ecdsa_sign(&c->prep_s, c->bare_sig, &c->bare_sig_len, c->tbs, c->tbs_len);
    }
    return bare_sign_with(c->mctx, c->key, c->bare_sig, &c->bare_sig_len, c->tbs, c->tbs_len);
}

static bool op_bare_sign_new(bench_case *c)
{
    return bare_sign_with(NULL, c->key, c->bare_sig, &c->bare_sig_len, c->tbs, c->tbs_len);
}

/* After a signing run, outside the timed region: the last signature each
 * side made must verify on the other side. */
static void check_last_signature(bench_case *c, op_fn op)
{
    if (op == op_mamori_sign) {
        if (c->out_len != c->msg_len) {
            bench_die("%s/%zu: mamori made a message of %zu bytes, expected %zu", c->key->name, c->payload_len,
                      c->out_len, c->msg_len);
        }
        uint8_t der[DER_SIG_MAX];
        size_t der_len = SIG_LEN;
        const uint8_t *sig = c->out + c->out_len - SIG_LEN;
        if (c->key->alg == MM_ALG_ES256) {
            der_len = bench_es256_der(sig, der, sizeof der);
            sig = der;
        }
        if (memcmp(c->out, c->msg, c->msg_len - SIG_LEN) != 0 ||
            !bare_verify_with(NULL, c->key, sig, der_len, c->tbs, c->tbs_len)) {
            bench_die("%s/%zu: mamori's last signature does not verify", c->key->name, c->payload_len);
        }
    } else if (op == op_bare_sign_reset || op == op_bare_sign_new) {
        uint8_t *copy = xmalloc(c->msg_len);
        memcpy(copy, c->msg, c->msg_len);
        bare_sig_to_cose(c->key, c->bare_sig, c->bare_sig_len, copy + c->msg_len - SIG_LEN);
        mm_err e = mamori_verify_msg(c, mm_bytes_make(copy, c->msg_len));
        free(copy);
        if (e != MM_OK) {
            bench_die("%s/%zu: OpenSSL's last signature does not verify: %s", c->key->name, c->payload_len,
                      mm_strerror(e));
        }
    }
}

/* Seconds for `iters` operations. Failures are counted, not branched on, and
 * checked afterwards, so a side that stopped early cannot pass for fast. */
static double time_iters(bench_case *c, op_fn op, const char *who, uint64_t iters)
{
    uint64_t ok = 0;
    double t0 = bench_wall_s();
    for (uint64_t i = 0; i < iters; i++) {
        ok += op(c) ? 1u : 0u;
    }
    double dt = bench_wall_s() - t0;
    if (ok != iters) {
        bench_die("%s/%zu: %s failed %" PRIu64 " of %" PRIu64 " times", c->key->name, c->payload_len, who, iters - ok,
                  iters);
    }
    check_last_signature(c, op);
    return dt;
}

typedef struct timed {
    bench_case *c;
    op_fn op;
    const char *who;
} timed;

static double time_timed(void *ctx, uint64_t n)
{
    const timed *t = ctx;
    return time_iters(t->c, t->op, t->who, n);
}

/* Iterations that take about MEASURE_SECONDS. */
static uint64_t calibrate(bench_case *c, op_fn op, const char *who)
{
    timed t = {c, op, who};
    return bench_calibrate(time_timed, &t, MEASURE_SECONDS);
}

typedef struct result {
    double ours;   /* seconds per operation, best run */
    double theirs; /* the faster bare variant's */
    const char *variant;
} result;

/* Runs mamori and both bare variants in turn, RUNS times, so slow phases of
 * the machine spread over all three. */
static result measure(bench_case *c, op_fn ours, op_fn reset, op_fn fresh)
{
    uint64_t n_ours = calibrate(c, ours, "mamori");
    uint64_t n_reset = calibrate(c, reset, "bare (reset)");
    uint64_t n_fresh = calibrate(c, fresh, "bare (new)");
    double best[3] = {1e300, 1e300, 1e300};
    for (int run = 0; run < RUNS; run++) {
        double t[3];
        t[0] = time_iters(c, ours, "mamori", n_ours) / (double)n_ours;
        t[1] = time_iters(c, reset, "bare (reset)", n_reset) / (double)n_reset;
        t[2] = time_iters(c, fresh, "bare (new)", n_fresh) / (double)n_fresh;
        for (int i = 0; i < 3; i++) {
            best[i] = t[i] < best[i] ? t[i] : best[i];
        }
    }
    result r = {best[0], best[1], c->key->alg == MM_ALG_ES256 ? "prep" : "reset"};
    if (best[2] < best[1]) {
        r.theirs = best[2];
        r.variant = "new";
    }
    return r;
}

static double print_row(const bench_case *c, const char *op, result r)
{
    double ratio = r.theirs / r.ours;
    printf("%-6s %7zu %6zu  %-6s | %9.0f %8.2f | %9.0f %8.2f %-5s | %6.3f\n", c->key->name, c->payload_len, c->msg_len,
           op, 1.0 / r.ours, r.ours * 1e6, 1.0 / r.theirs, r.theirs * 1e6, r.variant, ratio);
    fflush(stdout);
    return ratio;
}

int main(void)
{
    bench_init("bench_cose", ERR_print_errors_fp);
    static const size_t payload_sizes[] = {300, 4096};
    enum { NSIZES = sizeof payload_sizes / sizeof payload_sizes[0], NKEYS = 2, NCASES = NKEYS * NSIZES };
    bench_rng r = {UINT64_C(0x6D616D6F72690002)};
    keyset keys[NKEYS];
    keyset_init(&keys[0], "ES256", MM_ALG_ES256);
    keyset_init(&keys[1], "EdDSA", MM_ALG_EDDSA);
    bench_case cases[NCASES];
    for (size_t i = 0; i < NCASES; i++) {
        case_init(&cases[i], &keys[i / NSIZES], payload_sizes[i % NSIZES], &r);
        cross_check(&cases[i]);
    }

    printf("bench_cose: COSE_Sign1 verify and sign, mamori (decode + verify, create) vs bare %s "
           "EVP_DigestVerify/EVP_DigestSign over the same ToBeSigned with the same key\n",
           OpenSSL_version(OPENSSL_VERSION));
    printf("build type %s; best of %d runs of ~%.1f s each; ratio = mamori ops/s / bare ops/s; bare: the faster of "
           "one EVP_MD_CTX new per operation and, for EdDSA, one reset, for ES256, a digest and a prepared "
           "EVP_PKEY_CTX (prep)\n\n",
           MM_BENCH_BUILD_TYPE, RUNS, MEASURE_SECONDS);
    static const char rule[] = "------------------------------+--------------------+--------------------------+-------";
    printf("%-30s|%-20s|%-26s|\n", "", " mamori", " bare OpenSSL");
    printf("%-6s %7s %6s  %-6s | %9s %8s | %9s %8s %-5s | %6s\n", "alg", "payload", "msg", "op", "ops/s", "us/op",
           "ops/s", "us/op", "ctx", "ratio");
    puts(rule);
    double worst = 1e300;
    const char *worst_name = "";
    const char *worst_op = "";
    size_t worst_size = 0;
    for (size_t i = 0; i < NCASES; i++) {
        bench_case *c = &cases[i];
        static const char *const ops[2] = {"verify", "sign"};
        for (int j = 0; j < 2; j++) {
            result res = j == 0 ? measure(c, op_mamori_verify, op_bare_verify_reset, op_bare_verify_new)
                                : measure(c, op_mamori_sign, op_bare_sign_reset, op_bare_sign_new);
            double ratio = print_row(c, ops[j], res);
            if (ratio < worst) {
                worst = ratio;
                worst_name = c->key->name;
                worst_op = ops[j];
                worst_size = c->payload_len;
            }
        }
    }
    puts(rule);
    printf("\npayload and msg in bytes: msg is the tagged COSE_Sign1 (protected alg, unprotected %d-byte kid, attached "
           "payload)\n",
           KID_LEN);
    printf("\ncose: sign1 worst ratio vs bare OpenSSL: %.3f (%s %s, %zu-byte payload; target >= %.2f)\n", worst,
           worst_name, worst_op, worst_size, TARGET_RATIO);

    for (size_t i = 0; i < NCASES; i++) {
        case_free(&cases[i]);
    }
    for (size_t i = 0; i < NKEYS; i++) {
        keyset_free(&keys[i]);
    }
    return 0;
}
