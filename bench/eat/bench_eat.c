/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_eat: EAT tokens (RFC 9711 CWTs, ES256) signed and verified+decoded
 * per second with mamori and its OpenSSL backend, against bare OpenSSL
 * ECDSA over the same bytes with the same key, in the same run.
 *
 * - verify, mamori: mm_eat_verify() of the token as it arrives: tags, the
 *   COSE_Sign1, the Sig_structure hashed, the signature checked, then every
 *   claim decoded and checked into the caller's storage;
 * - verify, bare OpenSSL: the least an ECDSA verification costs
 *   (bench_ecdsa: the digest in one call, then EVP_PKEY_verify on a context
 *   initialised once) of the same signature over the ToBeSigned bytes,
 *   built once beforehand (as is the DER form of the signature);
 * - sign, mamori: mm_eat_sign() from the claims struct: the claims encoded
 *   into the message in place, hashed, signed, the whole CWT written;
 * - sign, bare OpenSSL: the same with EVP_PKEY_sign, over the ToBeSigned
 *   bytes.
 *
 * Two tokens: a device token of 146 bytes, the size ctoken's figures are
 * for, and a TEEP-profile token with two SUIT manifest references.
 *
 * With --callgrind NAME the timed loops are replaced by CALLGRIND_ITERS
 * calls of each operation on token NAME (functions op_*, never inlined),
 * for bench/eat/callgrind.sh to count instructions per operation.
 */
#define _POSIX_C_SOURCE 200809L

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
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "mamori/crypto_openssl.h"
#include "mamori/eat.h"
#include "bench_common.h"
#include "bench_ossl.h"

#ifndef MM_BENCH_BUILD_TYPE
#define MM_BENCH_BUILD_TYPE "unknown"
#endif

#define MEASURE_SECONDS 0.1
#define RUNS            15
#define CALLGRIND_ITERS 200
#define TARGET_RATIO    0.95
#define SIG_LEN         64
#define DER_SIG_MAX     80

#define NOINLINE __attribute__((noinline))

/*
 * The key, on both sides.
 */
typedef struct keyset {
    EVP_PKEY *priv;
    EVP_PKEY *pub; /* the public half alone, as a verifier has it */
    mm_key mpriv;
    mm_key mpub;
    uint8_t x[32], y[32];
} keyset;

static void keyset_init(keyset *k)
{
    memset(k, 0, sizeof *k);
    k->priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    bench_require(k->priv != NULL, "EVP_PKEY_Q_keygen");
    k->pub = bench_public_half(k->priv);
    bench_import_private(k->priv, MM_ALG_ES256, &k->mpriv);
    BIGNUM *x = NULL;
    BIGNUM *y = NULL;
    bench_require(EVP_PKEY_get_bn_param(k->priv, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
                      EVP_PKEY_get_bn_param(k->priv, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1 &&
                      BN_bn2binpad(x, k->x, 32) == 32 && BN_bn2binpad(y, k->y, 32) == 32,
                  "EC coordinates");
    BN_free(x);
    BN_free(y);
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_EC2;
    parts.crv = MM_CRV_P256;
    parts.alg = MM_ALG_ES256;
    parts.x = mm_bytes_make(k->x, 32);
    parts.y = mm_bytes_make(k->y, 32);
    bench_check(mm_key_import(mm_crypto_openssl(), &parts, 0, &k->mpub), "mm_key_import");
}

static void keyset_free(keyset *k)
{
    mm_key_free(&k->mpriv);
    mm_key_free(&k->mpub);
    EVP_PKEY_free(k->priv);
    EVP_PKEY_free(k->pub);
}

/*
 * The tokens.
 */
static const uint8_t nonce[] = {0x94, 0x8f, 0x88, 0x60, 0xd1, 0x3a, 0x46, 0x3e};
static const uint8_t ueid[] = {0x01, 0x98, 0xf5, 0x0a, 0x4f, 0xf6, 0xc0, 0x58, 0x61,
                               0xc8, 0x86, 0x0d, 0x13, 0xa6, 0x38, 0xea, 0x11};
static const uint8_t digest[32] = {0xa7, 0xfd, 0x65, 0x93, 0xea, 0xc3, 0x2e, 0xb4};
static const uint8_t kid[] = {'a', 't', 't', 'e', 's', 't', '-', '1'};

typedef struct bench_case {
    const char *name;
    keyset *key;
    mm_eat_claims claims;
    mm_eat_manifest manifests[2];
    uint8_t refs[2][96];
    uint8_t token[1024];
    size_t token_len;
    uint8_t tbs[1024]; /* the Sig_structure, for the bare side */
    size_t tbs_len;
    uint8_t sig_der[DER_SIG_MAX];
    size_t sig_der_len;
    /* mamori's storage and outputs */
    mm_bytes nonces[2];
    mm_eat_manifest got_manifests[4];
    mm_eat_storage st;
    mm_eat_token decoded;
    uint8_t out[1024];
    size_t out_len;
    uint8_t bare_sig[DER_SIG_MAX];
    size_t bare_sig_len;
    bench_ecdsa prep_v; /* the bare side's prepared contexts */
    bench_ecdsa prep_s;
} bench_case;

static void device_claims(bench_case *c)
{
    mm_eat_claims *cl = &c->claims;
    cl->nonce = mm_bytes_make(nonce, sizeof nonce);
    cl->n_nonces = 1;
    cl->ueid = mm_bytes_make(ueid, 17);
    cl->oemid.form = MM_EAT_OEMID_PEN;
    cl->oemid.pen = 76543;
    cl->hwversion.version = MM_BYTES_LIT("3.1");
    cl->hwversion.scheme_kind = MM_EAT_SCHEME_INT;
    cl->hwversion.scheme = 1;
    cl->oemboot = true;
    cl->dbgstat = MM_EAT_DBG_DISABLED_PERMANENTLY;
    cl->swname = MM_BYTES_LIT("Acme");
    cl->cwt.iat = 1700000000;
    cl->cwt.present = MM_CWT_HAS_IAT;
    cl->present = MM_EAT_HAS_NONCE | MM_EAT_HAS_UEID | MM_EAT_HAS_OEMID | MM_EAT_HAS_HWVERSION | MM_EAT_HAS_OEMBOOT |
                  MM_EAT_HAS_DBGSTAT | MM_EAT_HAS_SWNAME;
}

static void teep_claims(bench_case *c)
{
    device_claims(c);
    mm_eat_claims *cl = &c->claims;
    static const char *const uris[2] = {"https://tam.example.com/tee.suit", "https://tam.example.com/app.suit"};
    for (int i = 0; i < 2; i++) {
        mm_eat_suit_ref ref = {mm_bytes_from_cstr(uris[i]), MM_ALG_SHA256, mm_bytes_make(digest, 32)};
        mm_buf b = mm_buf_make(c->refs[i], sizeof c->refs[i]);
        bench_check(mm_eat_suit_ref_encode(&ref, &b), "SUIT_Reference");
        c->manifests[i].content_type = MM_EAT_CF_SUIT_REFERENCE;
        c->manifests[i].body = mm_bytes_make(c->refs[i], b.len);
    }
    cl->hwmodel = mm_bytes_make(digest, 16);
    cl->oemid.form = MM_EAT_OEMID_IEEE;
    cl->oemid.id = MM_BYTES_LIT("\x89\x48\x23");
    cl->manifests = c->manifests;
    cl->n_manifests = 2;
    cl->present |= MM_EAT_HAS_HWMODEL | MM_EAT_HAS_MANIFESTS;
}

static mm_cose_create_opts create_opts(bench_case *c)
{
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &c->key->mpriv;
    o.alg = MM_ALG_ES256;
    o.kid = mm_bytes_make(kid, sizeof kid);
    return o;
}

static mm_eat_verify_opts verify_opts(bench_case *c)
{
    mm_eat_verify_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &c->key->mpub;
    o.nonce = mm_bytes_make(nonce, sizeof nonce);
    o.storage = &c->st;
    return o;
}

/*
 * What is timed: one operation per call, false on failure.
 */
NOINLINE static bool op_mamori_verify(bench_case *c)
{
    mm_eat_verify_opts o = verify_opts(c);
    return mm_eat_verify(mm_bytes_make(c->token, c->token_len), &o, &c->decoded) == MM_OK;
}

NOINLINE static bool op_bare_verify(bench_case *c)
{
    return bench_ecdsa_verify(&c->prep_v, c->sig_der, c->sig_der_len, c->tbs, c->tbs_len) == 1;
}

NOINLINE static bool op_mamori_sign(bench_case *c)
{
    mm_cose_create_opts o = create_opts(c);
    mm_buf b = mm_buf_make(c->out, sizeof c->out);
    bool ok = mm_eat_sign(&c->claims, &o, 0, &b) == MM_OK;
    c->out_len = b.len;
    return ok;
}

NOINLINE static bool op_bare_sign(bench_case *c)
{
    c->bare_sig_len = DER_SIG_MAX;
    return bench_ecdsa_sign(&c->prep_s, c->bare_sig, &c->bare_sig_len, c->tbs, c->tbs_len) == 1;
}

/* The Sig_structure and DER signature of c->token, for the bare side. */
static void prepare_bare(bench_case *c)
{
    mm_cose_sign1 s;
    bench_open_sign1(mm_bytes_make(c->token, c->token_len), &s);
    c->tbs_len = bench_sig_structure1(s.hdr.protected_bytes, s.payload, c->tbs, sizeof c->tbs);
    c->sig_der_len = bench_es256_der(s.signature.ptr, c->sig_der, sizeof c->sig_der);
}

static void case_init(bench_case *c, const char *name, keyset *k, bool teep)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->key = k;
    if (teep) {
        teep_claims(c);
    } else {
        device_claims(c);
    }
    mm_eat_storage st = {c->nonces, 2, NULL, 0, NULL, 0, c->got_manifests, 4, NULL, 0, NULL, 0,
                         NULL,      0, NULL, 0, NULL, 0};
    c->st = st;
    bench_ecdsa_init(&c->prep_v, c->key->pub, "SHA256", 'v');
    bench_ecdsa_init(&c->prep_s, c->key->priv, "SHA256", 's');
    bench_require(op_mamori_sign(c), "mm_eat_sign");
    memcpy(c->token, c->out, c->out_len);
    c->token_len = c->out_len;
    prepare_bare(c);
}

/* Both sides accept each other's signatures and refuse tampered ones, and
 * the decoded claims are the ones signed. */
static void cross_check(bench_case *c)
{
    bench_require(op_mamori_verify(c), "mamori verifying its own token");
    if (c->decoded.claims.oemid.form != c->claims.oemid.form ||
        c->decoded.claims.n_manifests != c->claims.n_manifests ||
        !mm_bytes_equal(c->decoded.claims.ueid, c->claims.ueid)) {
        bench_die("%s: decoded claims differ", c->name);
    }
    bench_require(op_bare_verify(c), "bare OpenSSL verifying mamori's signature");
    bench_require(op_bare_sign(c), "EVP_PKEY_sign");
    uint8_t saved[SIG_LEN];
    memcpy(saved, c->token + c->token_len - SIG_LEN, SIG_LEN);
    const unsigned char *p = c->bare_sig;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)c->bare_sig_len);
    const BIGNUM *r = NULL;
    const BIGNUM *s = NULL;
    bench_require(sig != NULL, "d2i_ECDSA_SIG");
    ECDSA_SIG_get0(sig, &r, &s);
    BN_bn2binpad(r, c->token + c->token_len - SIG_LEN, 32);
    BN_bn2binpad(s, c->token + c->token_len - 32, 32);
    ECDSA_SIG_free(sig);
    bench_require(op_mamori_verify(c), "mamori verifying OpenSSL's signature");
    memcpy(c->token + c->token_len - SIG_LEN, saved, SIG_LEN);
    c->token[c->token_len - SIG_LEN - 4] ^= 1; /* inside the claims */
    if (op_mamori_verify(c)) {
        bench_die("%s: mamori accepts a tampered token", c->name);
    }
    c->token[c->token_len - SIG_LEN - 4] ^= 1;
    ERR_clear_error();
}

/*
 * Timing.
 */
typedef bool (*op_fn)(bench_case *c);

static double run(op_fn op, bench_case *c, uint64_t iters)
{
    double t0 = bench_cpu_s();
    for (uint64_t i = 0; i < iters; i++) {
        if (!op(c)) {
            bench_die("%s: an operation failed while timed", c->name);
        }
    }
    return bench_cpu_s() - t0;
}

typedef struct timed {
    op_fn op;
    bench_case *c;
} timed;

static double time_timed(void *ctx, uint64_t n)
{
    const timed *t = ctx;
    return run(t->op, t->c, n);
}

/* Iterations that take about MEASURE_SECONDS. */
static uint64_t calibrate(op_fn op, bench_case *c)
{
    timed t = {op, c};
    return bench_calibrate(time_timed, &t, MEASURE_SECONDS);
}

/* Operations per second of mamori (*m) and bare OpenSSL (*b): the best of
 * RUNS runs each, the two sides alternating so that both see the same
 * machine. */
static void measure_pair(op_fn mamori, op_fn bare, bench_case *c, double *m, double *b)
{
    uint64_t nm = calibrate(mamori, c);
    uint64_t nb = calibrate(bare, c);
    *m = 0;
    *b = 0;
    for (int r = 0; r < RUNS; r++) {
        double tm = run(mamori, c, nm);
        double tb = run(bare, c, nb);
        double om = (double)nm / (tm > 0 ? tm : 1e-9);
        double ob = (double)nb / (tb > 0 ? tb : 1e-9);
        *m = om > *m ? om : *m;
        *b = ob > *b ? ob : *b;
    }
}

/* The calls callgrind counts: callgrind.sh collects inside this function
 * only, so the set-up and cross-checks (of both tokens) do not weigh on the
 * figures. */
NOINLINE static void callgrind_loop(bench_case *c)
{
    for (int n = 0; n < CALLGRIND_ITERS; n++) {
        if (!op_mamori_verify(c) || !op_bare_verify(c) || !op_mamori_sign(c) || !op_bare_sign(c)) {
            bench_die("%s: an operation failed", c->name);
        }
    }
}

int main(int argc, char **argv)
{
    bench_init("bench_eat", ERR_print_errors_fp);
    bool callgrind = argc == 3 && strcmp(argv[1], "--callgrind") == 0;
    if (argc != 1 && !callgrind) {
        fprintf(stderr, "usage: bench_eat [--callgrind device|teep]\n");
        return 64;
    }
    keyset k;
    keyset_init(&k);
    static bench_case cases[2];
    case_init(&cases[0], "device", &k, false);
    case_init(&cases[1], "teep", &k, true);
    for (int i = 0; i < 2; i++) {
        cross_check(&cases[i]);
    }
    if (callgrind) {
        /* Only the calls: callgrind.sh reads the inclusive cost of each
         * op_* function and divides by CALLGRIND_ITERS. */
        for (int i = 0; i < 2; i++) {
            if (strcmp(argv[2], cases[i].name) != 0) {
                continue;
            }
            callgrind_loop(&cases[i]);
            printf("%s %zu %d\n", cases[i].name, cases[i].token_len, CALLGRIND_ITERS);
        }
        keyset_free(&k);
        return 0;
    }
    printf("bench_eat: EAT (CWT, ES256) with mamori + OpenSSL %s vs bare OpenSSL; build %s\n",
           OpenSSL_version(OPENSSL_VERSION_STRING), MM_BENCH_BUILD_TYPE);
    printf("%-8s %6s %-16s %12s %12s %7s\n", "token", "bytes", "op", "mamori/s", "bare/s", "ratio");
    double worst = 1e9;
    const char *worst_what = "";
    for (int i = 0; i < 2; i++) {
        bench_case *c = &cases[i];
        struct {
            const char *name;
            op_fn mamori, bare;
        } ops[] = {{"verify+decode", op_mamori_verify, op_bare_verify}, {"sign", op_mamori_sign, op_bare_sign}};
        for (int j = 0; j < 2; j++) {
            double m;
            double b;
            measure_pair(ops[j].mamori, ops[j].bare, c, &m, &b);
            double ratio = m / b;
            printf("%-8s %6zu %-16s %12.0f %12.0f %7.3f\n", c->name, c->token_len, ops[j].name, m, b, ratio);
            if (ratio < worst) {
                worst = ratio;
                worst_what = ops[j].name;
            }
        }
        if (!op_mamori_verify(c)) {
            bench_die("%s: the last token does not verify", c->name);
        }
    }
    printf("eat: worst ratio vs bare OpenSSL ES256: %.3f (%s; target >= %.2f)\n", worst, worst_what, TARGET_RATIO);
    for (int i = 0; i < 2; i++) {
        bench_ecdsa_free(&cases[i].prep_v);
        bench_ecdsa_free(&cases[i].prep_s);
    }
    keyset_free(&k);
    return 0;
}
