/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_lms: HSS/LMS verification per second with mamori and its OpenSSL
 * backend, against the bound its hashing puts on it, measured in the same
 * run; and, when built with cisco/hash-sigs (MAMORI_HASH_SIGS_DIR), against
 * that reference implementation on the same keys and signatures.
 *
 * The hash bound of a signature is the number of SHA-256 compressions its
 * verification needs, counted here independently of the library (the
 * message digest's blocks, the Winternitz chain steps the digest's digits
 * leave, the one-time public key's hash, the leaf and the 2 h node blocks,
 * for every level; the library must do exactly that many, which is checked
 * with a counter on the backend's entry), times the cost of one compression:
 * the time per 64-byte
 * block of OpenSSL's SHA-256 over 64 KiB (whose blocks, like chain steps,
 * each depend on the one before). The ratio verify time / bound says how
 * much the rest (parsing, padding, calls, copies) costs; the target is at
 * most 1.3.
 *
 * Keys are made by mamori's signer (in a temporary folder); each set signs a
 * 64-byte message (a SUIT digest or a small manifest). With hash-sigs, each
 * side must accept the other's signatures and refuse a flipped message, or
 * the benchmark fails (exit 1); speed never makes it fail.
 *
 * Each figure is the best of many short batches (about 2 ms each, for
 * about MEASURE_SECONDS * RUNS in all), because noise on a shared machine
 * only ever makes a batch slower.
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
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "mamori/lms_signer.h"

#include "bench_common.h"

#ifdef MM_BENCH_HASH_SIGS
#include "hss.h"
#include "hss_verify.h"
#endif

#ifndef MM_BENCH_BUILD_TYPE
#define MM_BENCH_BUILD_TYPE "unknown"
#endif

#define MEASURE_SECONDS     0.3
#define RUNS                5
#define BATCH_SECONDS       0.002
#define CALIBRATE_MAX_STEPS 40
#define TARGET_RATIO        1.3
#define MSG_LEN             64

/* A measured operation: runs it n times, returns false on any failure. */
typedef bool (*op_fn)(void *arg, uint64_t n);

/* Seconds per operation: the best of many short batches (each about
 * BATCH_SECONDS) within MEASURE_SECONDS * RUNS. On a shared machine a batch
 * that no other process interrupted shows the real speed, and short batches
 * make such batches likely. */
static double measure(op_fn fn, void *arg)
{
    uint64_t n = 1;
    double t = 0;
    for (int step = 0; step < CALIBRATE_MAX_STEPS; step++) {
        double t0 = bench_wall_s();
        if (!fn(arg, n)) {
            bench_die("an operation failed while calibrating");
        }
        t = bench_wall_s() - t0;
        if (t >= BATCH_SECONDS) {
            break;
        }
        n *= 2;
    }
    double best = t / (double)n;
    double end = bench_wall_s() + MEASURE_SECONDS * RUNS;
    while (bench_wall_s() < end) {
        double t0 = bench_wall_s();
        if (!fn(arg, n)) {
            bench_die("an operation failed while timing");
        }
        double per = (bench_wall_s() - t0) / (double)n;
        best = per < best ? per : best;
    }
    return best;
}

/* Seconds per signature: signing spends the key (a tree of 2^10 one-time
 * keys cannot sign for as long as verifying runs), so a fixed number of
 * short batches, SIGN_BATCHES of SIGN_BATCH, and the best. */
#define SIGN_BATCH   20
#define SIGN_BATCHES 30

static double measure_sign(op_fn fn, void *arg)
{
    double best = 1e30;
    for (int r = 0; r < SIGN_BATCHES; r++) {
        double t0 = bench_wall_s();
        if (!fn(arg, SIGN_BATCH)) {
            bench_die("an operation failed while timing");
        }
        double per = (bench_wall_s() - t0) / SIGN_BATCH;
        best = per < best ? per : best;
    }
    return best;
}

/*
 * The cost of one compression.
 */
static uint8_t big[65536];

static bool evp_blocks(void *arg, uint64_t n)
{
    const EVP_MD *md = arg;
    uint8_t out[32];
    unsigned len;
    for (uint64_t i = 0; i < n; i++) {
        if (EVP_Digest(big, sizeof big, out, &len, md, NULL) != 1) {
            return false;
        }
        big[0] ^= out[0];
    }
    return true;
}

static bool mamori_blocks(void *arg, uint64_t n)
{
    (void)arg;
    uint32_t st[8];
    memcpy(st, mm_sha256_iv, sizeof st);
    for (uint64_t i = 0; i < n; i++) {
        if (mm_sha256_compress(mm_crypto_openssl(), st, big, sizeof big / 64) != MM_OK) {
            return false;
        }
    }
    big[1] ^= (uint8_t)st[0];
    return true;
}

/*
 * Counting the compressions a verification needs (independently of the
 * library's code).
 */
static uint64_t blocks_of(size_t len) { return (len + 9 + 63) / 64; }

static void sha256(const uint8_t *p, size_t len, uint8_t out[32])
{
    unsigned l;
    if (EVP_Digest(p, len, out, &l, EVP_sha256(), NULL) != 1) {
        bench_die("EVP_Digest");
    }
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Coefficient i of q, w bits wide (RFC 8554 section 3.1.3). */
static unsigned coef(const uint8_t *q, unsigned i, unsigned w)
{
    unsigned shift = 8u - (w * (i % (8u / w)) + w);
    return ((unsigned)q[i * w / 8] >> shift) & ((1u << w) - 1u);
}

/* Compressions to verify one LMS level whose signature sig (under key pub
 * of that level) signs msg. SHA-256 sets only. */
static uint64_t level_cost(const uint8_t *pub, const uint8_t *sig, const uint8_t *msg, size_t msg_len)
{
    const mm_lms_type_info *lms = mm_lms_type(be32(pub));
    const mm_lms_ots_type_info *ots = mm_lms_ots_type(be32(pub + 4));
    unsigned n = ots->n, w = ots->w, p = ots->p;
    const uint8_t *I = pub + 8;
    const uint8_t *c = sig + 8;
    /* Q = H(I || q || D_MESG || C || msg), with its checksum. */
    size_t qlen = 22 + n + msg_len;
    uint8_t *qin = malloc(qlen);
    if (qin == NULL) {
        bench_die("out of memory");
    }
    memcpy(qin, I, 16);
    memcpy(qin + 16, sig, 4);
    qin[20] = 0x81;
    qin[21] = 0x81;
    memcpy(qin + 22, c, n);
    memcpy(qin + 22 + n, msg, msg_len);
    uint8_t q[34];
    sha256(qin, qlen, q);
    free(qin);
    unsigned max = (1u << w) - 1;
    unsigned sum = 0;
    for (unsigned i = 0; i < 8 * n / w; i++) {
        sum += max - coef(q, i, w);
    }
    sum <<= ots->ls;
    q[n] = (uint8_t)(sum >> 8);
    q[n + 1] = (uint8_t)sum;
    uint64_t steps = 0;
    for (unsigned i = 0; i < p; i++) {
        steps += max - coef(q, i, w);
    }
    return blocks_of(qlen) + steps + blocks_of(22 + (size_t)p * n) + blocks_of(22 + n) + 2u * lms->h;
}

/* Compressions to verify an HSS signature. */
static uint64_t hss_cost(mm_bytes pub, mm_bytes sig, mm_bytes msg)
{
    mm_lms_info info;
    if (mm_lms_sig_decode(pub, sig, 0, &info) != MM_OK) {
        bench_die("cannot decode a signature");
    }
    uint64_t total = 0;
    for (uint32_t i = 0; i < info.levels; i++) {
        const mm_lms_level *lv = &info.level[i];
        mm_bytes m = i + 1 < info.levels ? info.level[i + 1].pub : msg;
        total += level_cost(lv->pub.ptr, lv->sig.ptr, m.ptr, m.len);
    }
    return total;
}

/*
 * The parameter sets.
 */
typedef struct pset {
    const char *name;
    uint32_t levels;
    uint32_t lms[2];
    uint32_t ots[2];
} pset;

static const pset sets[] = {
    {"H10/W4", 1, {MM_LMS_SHA256_M32_H10}, {MM_LMOTS_SHA256_N32_W4}},
    {"H10/W8", 1, {MM_LMS_SHA256_M32_H10}, {MM_LMOTS_SHA256_N32_W8}},
    {"H15/W8", 1, {MM_LMS_SHA256_M32_H15}, {MM_LMOTS_SHA256_N32_W8}},
    {"HSS L=2 H10/W8+H10/W8",
     2,
     {MM_LMS_SHA256_M32_H10, MM_LMS_SHA256_M32_H10},
     {MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W8}},
};
#define N_SETS (sizeof sets / sizeof sets[0])

/* The backend with a counter on its compression function: the library must
 * do exactly the compressions counted above, no more. */
static uint64_t compress_calls;

static void counting_compress(void *user, uint32_t state[8], const uint8_t *blocks, size_t n_blocks)
{
    compress_calls += n_blocks;
    mm_crypto_openssl()->ops->sha256_compress(user, state, blocks, n_blocks);
}

typedef struct verify_job {
    mm_bytes pub, msg, sig;
} verify_job;

static bool mamori_verify(void *arg, uint64_t n)
{
    const verify_job *j = arg;
    for (uint64_t i = 0; i < n; i++) {
        if (mm_lms_verify(mm_crypto_openssl(), j->pub, j->msg, j->sig, 0) != MM_OK) {
            return false;
        }
    }
    return true;
}

/* The message every set signs and verifies. */
static uint8_t msg[MSG_LEN];

static bool mamori_sign(void *arg, uint64_t n)
{
    mm_key *key = arg;
    static uint8_t sig[MM_LMS_SIG_MAX];
    for (uint64_t i = 0; i < n; i++) {
        size_t len;
        if (mm_sign(key->crypto, key, MM_ALG_HSS_LMS, mm_bytes_make(msg, sizeof msg), 0, sig, sizeof sig, &len) !=
            MM_OK) {
            return false;
        }
    }
    return true;
}

#ifdef MM_BENCH_HASH_SIGS
/* hash-sigs keeps its private key (a few dozen bytes) where its callbacks
 * say: here in memory, so its signing times have no I/O in them. */
static unsigned char hs_private[HSS_MAX_PRIVATE_KEY_LEN];

static bool hs_update(unsigned char *key, size_t len, void *ctx)
{
    (void)ctx;
    memcpy(hs_private, key, len);
    return true;
}

static bool hs_read(unsigned char *key, size_t len, void *ctx)
{
    (void)ctx;
    memcpy(key, hs_private, len);
    return true;
}

static bool hs_random(void *out, size_t len) { return RAND_bytes(out, (int)len) == 1; }

static bool hs_verify(void *arg, uint64_t n)
{
    const verify_job *j = arg;
    for (uint64_t i = 0; i < n; i++) {
        if (!hss_validate_signature(j->pub.ptr, j->msg.ptr, j->msg.len, j->sig.ptr, j->sig.len, NULL)) {
            return false;
        }
    }
    return true;
}

typedef struct hs_signer {
    struct hss_working_key *w;
    uint8_t *sig;
    size_t sig_len;
} hs_signer;

static bool hs_sign(void *arg, uint64_t n)
{
    hs_signer *s = arg;
    for (uint64_t i = 0; i < n; i++) {
        if (!hss_generate_signature(s->w, hs_update, NULL, msg, sizeof msg, s->sig, s->sig_len, NULL)) {
            return false;
        }
    }
    return true;
}
#endif

int main(void)
{
    bench_init("bench_lms", NULL);
    const mm_crypto *c = mm_crypto_openssl();
    printf("bench_lms (%s build)\n", MM_BENCH_BUILD_TYPE);
    char dir[] = "/tmp/bench_lms_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        bench_die("cannot make a temporary folder");
    }
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (uint8_t)(i * 7);
    }
    /* A fetched digest, as OpenSSL 3 runs fastest (no lookup per call). */
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (md == NULL) {
        bench_die("no SHA-256 in OpenSSL");
    }
    double block_evp = measure(evp_blocks, md) / (double)(sizeof big / 64);
    EVP_MD_free(md);
    double block_mm = measure(mamori_blocks, NULL) / (double)(sizeof big / 64);
    printf("SHA-256 compression: %.1f ns per block (OpenSSL, 64 KiB); mamori's backend entry %.1f ns\n",
           block_evp * 1e9, block_mm * 1e9);
    printf("\n%-22s %6s %7s %9s %10s %9s %6s", "set", "keygen", "sig B", "compr.", "bound us", "verify us", "ratio");
#ifdef MM_BENCH_HASH_SIGS
    printf(" %11s %7s", "hash-sigs us", "speedup");
#endif
    printf(" %9s", "sign us");
#ifdef MM_BENCH_HASH_SIGS
    printf(" %12s", "h-s sign us");
#endif
    printf("\n");

    double worst = 0;
    const char *worst_set = "";
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(0x5a ^ i);
    }
    for (size_t s = 0; s < N_SETS; s++) {
        const pset *ps = &sets[s];
        char path[128];
        snprintf(path, sizeof path, "%s/key%zu", dir, s);
        mm_lms_keygen_opts ko;
        memset(&ko, 0, sizeof ko);
        ko.crypto = c;
        ko.levels = ps->levels;
        memcpy(ko.lms_type, ps->lms, sizeof ps->lms);
        memcpy(ko.ots_type, ps->ots, sizeof ps->ots);
        uint8_t pub[MM_LMS_PUB_MAX];
        size_t pub_len = 0;
        double t0 = bench_wall_s();
        if (mm_lms_keygen(path, &ko, pub, &pub_len) != MM_OK) {
            bench_die("%s: key generation failed", ps->name);
        }
        double keygen = bench_wall_s() - t0;
        /* Reservations of 4096 keep the state file's fsync out of the
         * signing figure (1 in 4096 signatures pays it). */
        mm_lms_signer_opts so = {c, 4096, 0};
        mm_key key;
        static uint8_t sig[MM_LMS_SIG_MAX];
        size_t sig_len = 0;
        if (mm_lms_signer_open(path, &so, &key) != MM_OK ||
            mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, mm_bytes_make(msg, sizeof msg), 0, sig, sizeof sig, &sig_len) !=
                MM_OK) {
            bench_die("%s: signing failed", ps->name);
        }
        verify_job vj = {mm_bytes_make(pub, pub_len), mm_bytes_make(msg, sizeof msg), mm_bytes_make(sig, sig_len)};
        uint64_t compressions = hss_cost(vj.pub, vj.sig, vj.msg);
        mm_crypto_ops counting_ops = *c->ops;
        counting_ops.sha256_compress = counting_compress;
        mm_crypto counting = {&counting_ops, c->user};
        compress_calls = 0;
        if (mm_lms_verify(&counting, vj.pub, vj.msg, vj.sig, 0) != MM_OK || compress_calls != compressions) {
            bench_die("%s: the library compressed %" PRIu64 " blocks, the count says %" PRIu64, ps->name,
                      compress_calls, compressions);
        }
        double bound = (double)compressions * block_evp;
        double verify = measure(mamori_verify, &vj);
        double sign = measure_sign(mamori_sign, &key);
        double ratio = verify / bound;
        if (ratio > worst) {
            worst = ratio;
            worst_set = ps->name;
        }
        printf("%-22s %5.1fs %7zu %9" PRIu64 " %10.1f %9.1f %6.2f", ps->name, keygen, sig_len, compressions,
               bound * 1e6, verify * 1e6, ratio);
#ifdef MM_BENCH_HASH_SIGS
        /* Interop first: hash-sigs verifies mamori's signature, mamori
         * hash-sigs's, and both refuse a changed message. */
        param_set_t lm[2] = {ps->lms[0], ps->lms[1]};
        param_set_t ots[2] = {ps->ots[0], ps->ots[1]};
        unsigned char hpub[64];
        static unsigned char aux[1 << 20];
        size_t aux_len = hss_get_aux_data_len(sizeof aux, ps->levels, lm, ots);
        if (!hss_validate_signature(pub, msg, sizeof msg, sig, sig_len, NULL)) {
            bench_die("%s: hash-sigs refuses mamori's signature", ps->name);
        }
        if (!hss_generate_private_key(hs_random, ps->levels, lm, ots, hs_update, NULL, hpub, sizeof hpub, aux, aux_len,
                                      NULL)) {
            bench_die("%s: hash-sigs key generation failed", ps->name);
        }
        hs_signer hs;
        hs.w = hss_load_private_key(hs_read, NULL, (size_t)64 << 20, aux, aux_len, NULL);
        hs.sig_len = hss_get_signature_len_from_working_key(hs.w);
        hs.sig = malloc(hs.sig_len);
        if (hs.w == NULL || hs.sig == NULL || !hs_sign(&hs, 1)) {
            bench_die("%s: hash-sigs signing failed", ps->name);
        }
        mm_bytes hp = mm_bytes_make(hpub, pub_len);
        if (mm_lms_verify(c, hp, vj.msg, mm_bytes_make(hs.sig, hs.sig_len), 0) != MM_OK) {
            bench_die("%s: mamori refuses hash-sigs's signature", ps->name);
        }
        msg[0] ^= 1;
        if (hss_validate_signature(pub, msg, sizeof msg, sig, sig_len, NULL) ||
            mm_lms_verify(c, hp, vj.msg, mm_bytes_make(hs.sig, hs.sig_len), 0) == MM_OK) {
            bench_die("%s: a changed message verifies", ps->name);
        }
        msg[0] ^= 1;
        double hs_v = measure(hs_verify, &vj);
        printf(" %11.1f %6.2fx", hs_v * 1e6, hs_v / verify);
#endif
        printf(" %9.1f", sign * 1e6);
#ifdef MM_BENCH_HASH_SIGS
        double hs_s = measure_sign(hs_sign, &hs);
        printf(" %12.1f", hs_s * 1e6);
        hss_free_working_key(hs.w);
        free(hs.sig);
#endif
        printf("\n");
        fflush(stdout);
        mm_key_free(&key);
        char side[200];
        snprintf(side, sizeof side, "%s.cache", path);
        unlink(side);
        snprintf(side, sizeof side, "%s.lock", path);
        unlink(side);
        unlink(path);
    }
    rmdir(dir);
    printf("\nbound: compressions x the cost of one (OpenSSL, this run); sign: mamori's includes verifying its own "
           "signature\n");
    printf("lms: verify worst ratio to the hash bound: %.2f (%s; target <= %.2f)\n", worst, worst_set, TARGET_RATIO);
    return 0;
}
