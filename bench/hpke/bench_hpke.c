/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_hpke: HPKE (RFC 9180) seal and open per second for each suite of
 * COSE-HPKE's table, with the OpenSSL backend, against the sum of the
 * backend operations HPKE is built from, each measured on its own in the
 * same run:
 *
 *   seal = key generation (the ephemeral key) + ECDH + 2 public-key exports
 *          (SerializePublicKey of pkE and pkR) + 4 HKDF-Extract + 4
 *          HKDF-Expand + AEAD key import + AEAD encrypt
 *   open = public-key import (DeserializePublicKey of enc) + ECDH + 1
 *          public-key export (pkR) + 4 HKDF-Extract + 4 HKDF-Expand + AEAD
 *          key import + AEAD decrypt
 *
 * (mode_base, single-shot: DHKEM's ExtractAndExpand is one Extract and one
 * Expand; the key schedule three Extracts, psk_id_hash, info_hash and
 * secret, and three Expands, key, base_nonce and exporter_secret.) The
 * difference is what HPKE itself adds: the labeled inputs, the framing of
 * the KEM and the context. The target is at most 10%.
 *
 * Before timing, every suite's open must give back what seal took, and a
 * flipped ciphertext bit must be refused; after each timed seal run the last
 * ciphertext must open. The benchmark fails (exit 1) otherwise, never on
 * speed.
 *
 * Each measurement runs a number of iterations calibrated to take about
 * MEASURE_SECONDS, RUNS times, the runs of all operations interleaved; the
 * best run counts (noise on a shared machine only ever slows a run). Time
 * is this thread's CPU time: the comparison is between sums of small
 * measurements, and on a loaded machine wall time would also count the time
 * other processes ran.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/crypto.h"
#include "mamori/crypto_openssl.h"
#include "mamori/hpke.h"
#include "bench_common.h"

#ifndef MM_BENCH_BUILD_TYPE
#define MM_BENCH_BUILD_TYPE "unknown"
#endif

#define MEASURE_SECONDS 0.15
#define RUNS            7
#define TARGET_OVERHEAD 0.10
#define PT_LEN          64 /* a content key with room to spare, or a short message */

/* Everything one suite's operations work on, prepared before timing. */
typedef struct bench_suite {
    const mm_hpke_cose_suite *cose; /* name and HPKE ids */
    const mm_crypto *c;
    int32_t kty, crv, hash, aead;
    size_t key_len, hash_len;
    mm_key sk_r, pk_r, pk_e; /* recipient pair; an ephemeral public key for ECDH */
    mm_key_parts pk_parts;   /* pkR's parts, for the import primitive */
    uint8_t parts_buf[2 * MM_EC_COORD_MAX];
    uint8_t pt[PT_LEN], aad[16], info[10];
    uint8_t enc[MM_HPKE_ENC_MAX]; /* a message sealed before timing, for open */
    size_t enc_len;
    uint8_t ct[PT_LEN + MM_HPKE_TAG_LEN];
    uint8_t seal_enc[MM_HPKE_ENC_MAX]; /* what the last seal made (enc, and out) */
    size_t seal_enc_len;
    uint8_t out[PT_LEN + MM_HPKE_TAG_LEN];
    uint8_t labeled[96]; /* inputs of HKDF the size HPKE's labeled ones have */
    uint8_t prk[MM_HASH_MAX];
    mm_key aead_key;
    uint8_t aead_ct[PT_LEN + MM_HPKE_TAG_LEN];
    mm_err last; /* the last operation's result: every one must succeed */
} bench_suite;

typedef void (*op_fn)(bench_suite *s);

static mm_hpke_suite ids(const bench_suite *s) { return s->cose->suite; }

static void op_seal(bench_suite *s)
{
    mm_buf ct = mm_buf_make(s->out, sizeof s->out);
    size_t enc_len = 0;
    uint8_t enc[MM_HPKE_ENC_MAX];
    mm_hpke_opts o;
    memset(&o, 0, sizeof o);
    o.info = mm_bytes_make(s->info, sizeof s->info);
    s->last = mm_hpke_seal(s->c, ids(s), &s->pk_r, &o, mm_bytes_make(s->aad, sizeof s->aad),
                           mm_bytes_make(s->pt, sizeof s->pt), enc, &enc_len, &ct);
    memcpy(s->seal_enc, enc, enc_len); /* kept: the last one is opened after the run */
    s->seal_enc_len = enc_len;
}

static void op_open(bench_suite *s)
{
    uint8_t pt[PT_LEN];
    mm_buf b = mm_buf_make(pt, sizeof pt);
    mm_hpke_opts o;
    memset(&o, 0, sizeof o);
    o.info = mm_bytes_make(s->info, sizeof s->info);
    s->last = mm_hpke_open(s->c, ids(s), &s->sk_r, &o, mm_bytes_make(s->enc, s->enc_len),
                           mm_bytes_make(s->aad, sizeof s->aad), mm_bytes_make(s->ct, sizeof s->ct), &b);
}

static void op_keygen(bench_suite *s)
{
    mm_key k;
    s->last = mm_key_generate(s->c, s->kty, s->crv, 0, 0, &k);
    mm_key_free(&k);
}

static void op_ecdh(bench_suite *s)
{
    uint8_t secret[MM_ECDH_MAX];
    size_t len = 0;
    s->last = mm_ecdh(s->c, &s->sk_r, &s->pk_e, secret, &len);
}

static void op_export(bench_suite *s)
{
    uint8_t buf[2 * MM_EC_COORD_MAX];
    mm_key_parts p;
    s->last = mm_key_export(&s->pk_r, 0, &p, buf, sizeof buf);
}

static void op_import(bench_suite *s)
{
    mm_key k;
    s->last = mm_key_import(s->c, &s->pk_parts, 0, &k);
    mm_key_free(&k);
}

static void op_extract(bench_suite *s)
{
    size_t len = 0;
    s->last = mm_hkdf_extract(s->c, s->hash, mm_bytes_make(NULL, 0), mm_bytes_make(s->labeled, 64), s->prk, &len);
}

static void op_expand(bench_suite *s)
{
    uint8_t okm[MM_HASH_MAX];
    s->last = mm_hkdf_expand(s->c, s->hash, mm_bytes_make(s->prk, s->hash_len), mm_bytes_make(s->labeled, 96), okm,
                             s->hash_len);
}

static void op_aead_key(bench_suite *s)
{
    mm_key_parts p;
    memset(&p, 0, sizeof p);
    p.kty = MM_KTY_SYMMETRIC;
    p.alg = s->aead;
    p.k = mm_bytes_make(s->labeled, s->key_len);
    mm_key k;
    s->last = mm_key_import(s->c, &p, 0, &k);
    mm_key_free(&k);
}

static void op_aead_encrypt(bench_suite *s)
{
    s->last = mm_aead_encrypt(s->c, s->aead, &s->aead_key, mm_bytes_make(s->labeled, MM_HPKE_NONCE_LEN),
                              mm_bytes_make(s->aad, sizeof s->aad), mm_bytes_make(s->pt, sizeof s->pt), s->out);
}

static void op_aead_decrypt(bench_suite *s)
{
    uint8_t pt[PT_LEN];
    s->last = mm_aead_decrypt(s->c, s->aead, &s->aead_key, mm_bytes_make(s->labeled, MM_HPKE_NONCE_LEN),
                              mm_bytes_make(s->aad, sizeof s->aad), mm_bytes_make(s->aead_ct, sizeof s->aead_ct), pt);
}

/* The operations, and how often seal and open use each. */
enum {
    OP_SEAL,
    OP_OPEN,
    OP_KEYGEN,
    OP_ECDH,
    OP_EXPORT,
    OP_IMPORT,
    OP_EXTRACT,
    OP_EXPAND,
    OP_AEAD_KEY,
    OP_AEAD_ENC,
    OP_AEAD_DEC,
    N_OPS
};

static const struct {
    const char *name;
    op_fn fn;
    unsigned in_seal, in_open;
} ops[N_OPS] = {
    {"HPKE seal", op_seal, 0, 0},
    {"HPKE open", op_open, 0, 0},
    {"key generation", op_keygen, 1, 0},
    {"ECDH", op_ecdh, 1, 1},
    {"public key export", op_export, 2, 1},
    {"public key import", op_import, 0, 1},
    {"HKDF-Extract", op_extract, 4, 4},
    {"HKDF-Expand", op_expand, 4, 4},
    {"AEAD key import", op_aead_key, 1, 1},
    {"AEAD encrypt", op_aead_encrypt, 1, 0},
    {"AEAD decrypt", op_aead_decrypt, 0, 1},
};

static double time_iters(bench_suite *s, int op, uint64_t iters)
{
    double t0 = bench_cpu_s();
    for (uint64_t i = 0; i < iters; i++) {
        ops[op].fn(s);
    }
    double dt = bench_cpu_s() - t0;
    if (s->last != MM_OK) {
        bench_die("%s, %s: %s (%s)", s->cose->name, ops[op].name, mm_strerror(s->last), mm_errname(s->last));
    }
    return dt;
}

typedef struct timed {
    bench_suite *s;
    int op;
} timed;

static double time_timed(void *ctx, uint64_t n)
{
    const timed *t = ctx;
    return time_iters(t->s, t->op, n);
}

/* Iterations that take about MEASURE_SECONDS. */
static uint64_t calibrate(bench_suite *s, int op)
{
    timed t = {s, op};
    return bench_calibrate(time_timed, &t, MEASURE_SECONDS);
}

/* Opens what the last seal made: the timed seals must have been real. */
static void check_last_seal(bench_suite *s)
{
    uint8_t pt[PT_LEN];
    mm_buf b = mm_buf_make(pt, sizeof pt);
    mm_hpke_opts o;
    memset(&o, 0, sizeof o);
    o.info = mm_bytes_make(s->info, sizeof s->info);
    bench_check(mm_hpke_open(s->c, ids(s), &s->sk_r, &o, mm_bytes_make(s->seal_enc, s->seal_enc_len),
                             mm_bytes_make(s->aad, sizeof s->aad), mm_bytes_make(s->out, sizeof s->out), &b),
                "opening the last timed seal");
    if (b.len != PT_LEN || memcmp(pt, s->pt, PT_LEN) != 0) {
        bench_die("%s: the last timed seal does not open to its plaintext", s->cose->name);
    }
}

static void suite_init(bench_suite *s, const mm_hpke_cose_suite *cs)
{
    memset(s, 0, sizeof *s);
    s->cose = cs;
    s->c = mm_crypto_openssl();
    bench_check(mm_hpke_kem_key_type(cs->suite.kem, &s->kty, &s->crv), "KEM key type");
    s->hash = cs->suite.kdf == MM_HPKE_KDF_SHA256   ? MM_ALG_SHA256
              : cs->suite.kdf == MM_HPKE_KDF_SHA384 ? MM_ALG_SHA384
                                                    : MM_ALG_SHA512;
    s->hash_len = mm_hash_len(s->hash);
    s->aead = cs->suite.aead == MM_HPKE_AEAD_AES128GCM   ? MM_ALG_A128GCM
              : cs->suite.aead == MM_HPKE_AEAD_AES256GCM ? MM_ALG_A256GCM
                                                         : MM_ALG_CHACHA20_POLY1305;
    s->key_len = s->aead == MM_ALG_A128GCM ? 16 : 32;
    for (size_t i = 0; i < sizeof s->pt; i++) {
        s->pt[i] = (uint8_t)(i * 7 + 1);
    }
    memcpy(s->aad, "bench_hpke aad..", sizeof s->aad);
    memcpy(s->info, "bench info", sizeof s->info);
    for (size_t i = 0; i < sizeof s->labeled; i++) {
        s->labeled[i] = (uint8_t)(i * 13 + 5);
    }
    bench_check(mm_key_generate(s->c, s->kty, s->crv, 0, 0, &s->sk_r), "recipient key");
    bench_check(mm_key_export(&s->sk_r, 0, &s->pk_parts, s->parts_buf, sizeof s->parts_buf), "recipient public key");
    bench_check(mm_key_import(s->c, &s->pk_parts, 0, &s->pk_r), "recipient public key import");
    mm_key eph;
    uint8_t buf[2 * MM_EC_COORD_MAX];
    mm_key_parts p;
    bench_check(mm_key_generate(s->c, s->kty, s->crv, 0, 0, &eph), "ephemeral key");
    bench_check(mm_key_export(&eph, 0, &p, buf, sizeof buf), "ephemeral public key");
    bench_check(mm_key_import(s->c, &p, 0, &s->pk_e), "ephemeral public key import");
    mm_key_free(&eph);
    mm_key_parts kp;
    memset(&kp, 0, sizeof kp);
    kp.kty = MM_KTY_SYMMETRIC;
    kp.alg = s->aead;
    kp.k = mm_bytes_make(s->labeled, s->key_len);
    bench_check(mm_key_import(s->c, &kp, 0, &s->aead_key), "AEAD key");
    bench_check(mm_aead_encrypt(s->c, s->aead, &s->aead_key, mm_bytes_make(s->labeled, MM_HPKE_NONCE_LEN),
                                mm_bytes_make(s->aad, sizeof s->aad), mm_bytes_make(s->pt, sizeof s->pt), s->aead_ct),
                "AEAD encrypt");
    size_t prk_len = 0;
    bench_check(mm_hkdf_extract(s->c, s->hash, mm_bytes_make(NULL, 0), mm_bytes_make(s->labeled, 64), s->prk, &prk_len),
                "HKDF-Extract");

    /* The message open works on, and the checks before timing. */
    op_seal(s);
    bench_check(s->last, "seal");
    memcpy(s->ct, s->out, sizeof s->ct);
    memcpy(s->enc, s->seal_enc, s->seal_enc_len);
    s->enc_len = s->seal_enc_len;
    op_open(s);
    bench_check(s->last, "open");
    check_last_seal(s);
    s->ct[3] ^= 1;
    op_open(s);
    if (s->last != MM_ERR_VERIFY) {
        bench_die("%s: a flipped ciphertext bit was not refused (%s)", cs->name, mm_errname(s->last));
    }
    s->ct[3] ^= 1;
    s->last = MM_OK;
}

static void suite_free(bench_suite *s)
{
    mm_key_free(&s->sk_r);
    mm_key_free(&s->pk_r);
    mm_key_free(&s->pk_e);
    mm_key_free(&s->aead_key);
}

int main(void)
{
    bench_init("bench_hpke", NULL);
    printf("bench_hpke: HPKE (RFC 9180) mode_base single-shot seal and open, %d-byte plaintext, mamori %s\n", PT_LEN,
           "with the OpenSSL backend");
    printf("build type %s; best of %d interleaved runs of ~%.2f s of thread CPU time each; primitives: the backend "
           "operations HPKE calls, each timed alone, summed with HPKE's counts\n\n",
           MM_BENCH_BUILD_TYPE, RUNS, MEASURE_SECONDS);
    printf("%-10s %-6s %-6s %-9s %-4s %10s %15s %9s", "suite", "KEM", "KDF", "AEAD", "op", "HPKE op/s",
           "primitives op/s", "overhead");
    printf("\n");
    double worst = -1;
    const char *worst_suite = "";
    const char *worst_op = "";
    /* The Integrated Encryption half of the table: one row per suite. */
    for (size_t i = 0; mm_hpke_cose_suite_at(i) != NULL; i++) {
        const mm_hpke_cose_suite *cs = mm_hpke_cose_suite_at(i);
        if (cs->key_encryption) {
            continue;
        }
        bench_suite *s = malloc(sizeof *s);
        if (s == NULL) {
            bench_die("out of memory");
        }
        suite_init(s, cs);
        uint64_t iters[N_OPS];
        double best[N_OPS];
        for (int op = 0; op < N_OPS; op++) {
            iters[op] = calibrate(s, op);
            best[op] = 1e300;
        }
        for (int run = 0; run < RUNS; run++) {
            for (int op = 0; op < N_OPS; op++) {
                double per = time_iters(s, op, iters[op]) / (double)iters[op];
                best[op] = per < best[op] ? per : best[op];
                if (op == OP_SEAL) {
                    check_last_seal(s);
                }
            }
        }
        static const char *const kem_names[] = {"P-256", "P-384", "P-521", "X25519", "X448"};
        const char *kem = cs->suite.kem == MM_HPKE_KEM_P256     ? kem_names[0]
                          : cs->suite.kem == MM_HPKE_KEM_P384   ? kem_names[1]
                          : cs->suite.kem == MM_HPKE_KEM_P521   ? kem_names[2]
                          : cs->suite.kem == MM_HPKE_KEM_X25519 ? kem_names[3]
                                                                : kem_names[4];
        const char *kdf = s->hash == MM_ALG_SHA256 ? "SHA256" : s->hash == MM_ALG_SHA384 ? "SHA384" : "SHA512";
        const char *aead = s->aead == MM_ALG_A128GCM   ? "AES128GCM"
                           : s->aead == MM_ALG_A256GCM ? "AES256GCM"
                                                       : "ChaCha20";
        for (int which = 0; which < 2; which++) {
            double sum = 0;
            for (int op = OP_KEYGEN; op < N_OPS; op++) {
                sum += best[op] * (which == 0 ? ops[op].in_seal : ops[op].in_open);
            }
            double hpke = best[which == 0 ? OP_SEAL : OP_OPEN];
            double overhead = hpke / sum - 1;
            printf("%-10s %-6s %-6s %-9s %-4s %10.0f %15.0f %8.1f%%\n", cs->name, kem, kdf, aead,
                   which == 0 ? "seal" : "open", 1 / hpke, 1 / sum, overhead * 100);
            if (overhead > worst) {
                worst = overhead;
                worst_suite = cs->name;
                worst_op = which == 0 ? "seal" : "open";
            }
        }
        printf("%-10s   primitives (us):", "");
        for (int op = OP_KEYGEN; op < N_OPS; op++) {
            printf(" %s %.2f%s", ops[op].name, best[op] * 1e6, op + 1 < N_OPS ? "," : "\n");
        }
        suite_free(s);
        free(s);
    }
    printf("\nhpke: worst overhead vs its primitives: %.1f%% (%s %s; target <= %.0f%%)\n", worst * 100, worst_suite,
           worst_op, TARGET_OVERHEAD * 100);
    return 0;
}
