/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_suit: the SUIT processor's cost over the work it cannot avoid.
 *
 * Time: a secure-boot manifest (the manifest draft's Example 0: vendor and
 * class conditions, an image condition, invoke) signed with ES256, over a
 * 1 MiB image on the in-memory device, processed whole by mm_suit_process()
 * (decoding, the manifest digest, the signature, the structure check, the
 * shared sequence, the image digest, invoke, a report) with mamori's
 * OpenSSL backend; against one bare OpenSSL ECDSA verification (over the
 * Sig_structure, built beforehand; bench_ecdsa, the least it costs: the
 * digest in one call, EVP_PKEY_verify on a context prepared once) plus one
 * bare SHA-256 pass over the image, in the same run. The ratio mamori / bare is the processor's
 * overhead; the target is at most 1.05.
 *
 * Instructions (--instr FILE): processes one envelope once on a permissive
 * in-memory device with the deterministic test backend; bench/suit/instr.sh
 * runs this under callgrind with collection on inside mm_suit_process() and
 * off inside crypto and platform callbacks, so the count is the processor's
 * own: CBOR parsing, COSE structure, checking and interpreting.
 *
 * Each timing is the best of RUNS interleaved runs of about MEASURE_SECONDS,
 * in the thread's CPU time.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "mamori/crypto_openssl.h"
#include "mamori/crypto_test.h"
#include "mamori/suit.h"
#include "mamori/suit_memdev.h"
#include "suit_fixture.h"
#include "bench_common.h"
#include "bench_ossl.h"

#define IMAGE_SIZE      ((size_t)1 << 20)
#define MEASURE_SECONDS 0.3
#define RUNS            7
#define TARGET_RATIO    1.05

typedef void (*op_fn)(void *ctx);

/* Iterations of fn that take about MEASURE_SECONDS. */
static unsigned long calibrate(op_fn fn, void *ctx)
{
    unsigned long iters = 1;
    for (int step = 0; step < 40; step++) {
        double t0 = bench_cpu_s();
        for (unsigned long i = 0; i < iters; i++) {
            fn(ctx);
        }
        double dt = bench_cpu_s() - t0;
        if (dt > 0.02) {
            return (unsigned long)((double)iters * MEASURE_SECONDS / dt) + 1;
        }
        iters *= 2;
    }
    return iters;
}

/* Seconds per operation of fn over iters runs. */
static double time_op(op_fn fn, void *ctx, unsigned long iters)
{
    double t0 = bench_cpu_s();
    for (unsigned long i = 0; i < iters; i++) {
        fn(ctx);
    }
    return (bench_cpu_s() - t0) / (double)iters;
}

/*
 * The timed sides.
 */
typedef struct mamori_side {
    mm_suit_processor p;
    mm_bytes env;
    mm_err last;
} mamori_side;

static void run_mamori(void *ctx)
{
    mamori_side *m = ctx;
    m->last = mm_suit_process(&m->p, m->env, MM_SUIT_PROC_INVOKE);
}

typedef struct bare_side {
    EVP_PKEY *pub;
    bench_ecdsa ecdsa; /* the least a verification costs: a prepared context */
    const uint8_t *tbs;
    size_t tbs_len;
    const uint8_t *der;
    size_t der_len;
    const uint8_t *image;
    uint8_t digest[32];
    int ok;
} bare_side;

static void run_bare(void *ctx)
{
    bare_side *b = ctx;
    int ok = bench_ecdsa_verify(&b->ecdsa, b->der, b->der_len, b->tbs, b->tbs_len);
    unsigned int len = 0;
    ok = ok && EVP_Digest(b->image, IMAGE_SIZE, b->digest, &len, EVP_sha256(), NULL) == 1 && len == 32;
    b->ok = ok;
}

/* The Sig_structure of a detached COSE_Sign1 with protected {1: -7}. */
static size_t sig_structure(const uint8_t *payload, size_t len, uint8_t *out)
{
    mm_cbor_enc e;
    mm_cbor_enc_init(&e, out, 256);
    mm_cbor_put_array(&e, 4);
    mm_cbor_put_cstr(&e, "Signature1");
    mm_cbor_put_bstr(&e, MM_BYTES_LIT("\xa1\x01\x26"));
    mm_cbor_put_bstr(&e, mm_bytes_make(NULL, 0));
    mm_cbor_put_bstr(&e, mm_bytes_make(payload, len));
    size_t n = 0;
    bench_check(mm_cbor_enc_finish(&e, &n), "Sig_structure");
    return n;
}

/* r || s to DER for OpenSSL. */
static size_t to_der(const uint8_t *rs, uint8_t *der)
{
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, 32, NULL);
    BIGNUM *sv = BN_bin2bn(rs + 32, 32, NULL);
    if (s == NULL || r == NULL || sv == NULL || ECDSA_SIG_set0(s, r, sv) != 1) {
        bench_die("ECDSA_SIG");
    }
    uint8_t *p = der;
    int n = i2d_ECDSA_SIG(s, &p);
    ECDSA_SIG_free(s);
    if (n <= 0) {
        bench_die("i2d_ECDSA_SIG");
    }
    return (size_t)n;
}

static const char vendor_hex[] = "fa6b4a53d5ad5fdfbe9de663e4d41ffe";
static const char class_hex[] = "1492af1425695e48bf429b2d51f2ab45";

/* once: run each side a single time (for callgrind), no timing. */
static int bench_time(bool once)
{
    uint8_t *image = malloc(IMAGE_SIZE);
    uint8_t *cand = malloc(64);
    if (image == NULL || cand == NULL) {
        bench_die("out of memory");
    }
    for (size_t i = 0; i < IMAGE_SIZE; i++) {
        image[i] = (uint8_t)(i * 2654435761u >> 24);
    }
    const mm_crypto *c = mm_crypto_openssl();
    /* One key, both sides: generated by OpenSSL, read by mamori from PEM. */
    EVP_PKEY *priv = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    bench_require(priv != NULL, "key");
    mm_key key;
    memset(&key, 0, sizeof key);
    bench_import_private(priv, 0, &key);

    /* Example 0, with the image's digest and size. */
    uint8_t h[MM_HASH_MAX];
    size_t hl;
    bench_check(mm_hash(c, MM_ALG_SHA256, mm_bytes_make(image, IMAGE_SIZE), h, &hl), "hash");
    char hex[65];
    mm_buf hb = mm_buf_make(hex, 64);
    bench_check(mm_hex_encode(mm_bytes_make(h, 32), &hb), "hex");
    hex[64] = '\0';
    char edn[1024];
    snprintf(edn, sizeof edn,
             "{1: 1, 2: 0, 3: << {2: [[h'00']], 4: << [20, {1: h'%s', 2: h'%s', 3: << [-16, h'%s'] >>, 14: %zu}, "
             "1, 15, 2, 15] >>} >>, 7: << [3, 15] >>, 9: << [23, 2] >>}",
             vendor_hex, class_hex, hex, IMAGE_SIZE);
    uint8_t *manifest;
    size_t man_len;
    bench_check(suit_fixture_edn(edn, &manifest, &man_len, NULL), "manifest");
    uint8_t *env;
    size_t env_len;
    bench_check(suit_fixture_envelope(c, &key, MM_ALG_ES256, mm_bytes_make(manifest, man_len), NULL, &env, &env_len),
                "envelope");

    /* mamori: the processor on the in-memory device. */
    static mamori_side m;
    static mm_memdev dev;
    static uint8_t scratch[4096];
    static uint8_t report[2048];
    static uint8_t ids[2][16];
    mm_memdev_init(&dev, c);
    if (mm_memdev_add(&dev, MM_BYTES_LIT("\x81\x41\x00"), image, IMAGE_SIZE, cand, 64) != 0) {
        bench_die("component");
    }
    dev.comps[0].len = IMAGE_SIZE;
    dev.comps[0].exists = true;
    mm_buf vb = mm_buf_make(ids[0], 16);
    mm_buf cb = mm_buf_make(ids[1], 16);
    bench_check(mm_hex_decode(mm_bytes_from_cstr(vendor_hex), 0, &vb, NULL), "vendor");
    bench_check(mm_hex_decode(mm_bytes_from_cstr(class_hex), 0, &cb, NULL), "class");
    bench_check(mm_memdev_add_id(&dev, MM_SUIT_ID_VENDOR, mm_bytes_make(ids[0], 16)), "vendor");
    bench_check(mm_memdev_add_id(&dev, MM_SUIT_ID_CLASS, mm_bytes_make(ids[1], 16)), "class");
    mm_suit_trust_anchor anchor = {&key, {NULL, 0}};
    mm_buf rep = mm_buf_make(report, sizeof report);
    mm_suit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.crypto = c;
    cfg.anchors = &anchor;
    cfg.n_anchors = 1;
    cfg.platform = mm_memdev_platform(&dev);
    cfg.scratch = scratch;
    cfg.scratch_len = sizeof scratch;
    cfg.report = &rep;
    bench_check(mm_suit_processor_init(&m.p, &cfg), "init");
    m.env = mm_bytes_make(env, env_len);

    /* Bare OpenSSL: the signature from the envelope, verified over the
     * Sig_structure built here; the image hashed once. */
    mm_suit_envelope e;
    bench_check(mm_suit_envelope_decode(m.env, &e, NULL), "envelope decode");
    mm_cbor_dec d;
    mm_bytes digest_item;
    mm_bytes block;
    size_t n;
    if (mm_cbor_dec_init(&d, e.auth, 0) != MM_OK || mm_cbor_enter_array(&d, &n) != MM_OK ||
        mm_cbor_get_bstr(&d, &digest_item) != MM_OK || mm_cbor_get_bstr(&d, &block) != MM_OK) {
        bench_die("authentication wrapper");
    }
    mm_cose_sign1 s1;
    bench_check(mm_cose_sign1_decode(block, &s1, NULL), "COSE_Sign1");
    static uint8_t tbs[256];
    static uint8_t der[80];
    static bare_side b;
    b.tbs = tbs;
    b.tbs_len = sig_structure(digest_item.ptr, digest_item.len, tbs);
    b.der = der;
    b.der_len = to_der(s1.signature.ptr, der);
    b.image = image;
    b.pub = bench_public_half(priv);
    bench_ecdsa_init(&b.ecdsa, b.pub, "SHA256", 'v');

    /* Both sides must agree before anything is timed. */
    run_mamori(&m);
    run_bare(&b);
    if (m.last != MM_OK || dev.comps[0].invoked == 0 || !b.ok || memcmp(b.digest, h, 32) != 0) {
        bench_die("the sides disagree (mamori %s, bare %d)", mm_errname(m.last), b.ok);
    }
    if (once) {
        printf("suit: each side ran once\n");
        return 0;
    }
    /* Interleaved, best of RUNS each: both sides see the same machine. */
    unsigned long im = calibrate(run_mamori, &m);
    unsigned long ib = calibrate(run_bare, &b);
    double tm = 1e30;
    double tb = 1e30;
    for (int r = 0; r < RUNS; r++) {
        double x = time_op(run_mamori, &m, im);
        double y = time_op(run_bare, &b, ib);
        tm = x < tm ? x : tm;
        tb = y < tb ? y : tb;
    }
    if (m.last != MM_OK || !b.ok) {
        bench_die("a timed run failed");
    }
    printf("process Example 0 (ES256, 1 MiB image): mamori %8.1f us   bare ECDSA verify + SHA-256 %8.1f us\n", tm * 1e6,
           tb * 1e6);
    printf("suit: process ratio vs bare verify + hash: %.3f (target <= %.2f)\n", tm / tb, TARGET_RATIO);
    mm_key_free(&key);
    bench_ecdsa_free(&b.ecdsa);
    EVP_PKEY_free(b.pub);
    EVP_PKEY_free(priv);
    free(env);
    free(manifest);
    free(image);
    free(cand);
    return 0;
}

/*
 * --instr: one envelope once, for callgrind.
 */

/* A device every example runs on as far as it can: the identities, the
 * components and URIs they name, their images measured as their digests,
 * and a policy that lets the update-management examples through. */
typedef struct permissive {
    mm_memdev dev;
    uint8_t data[7][100000];
    uint8_t cand[7][100000];
    uint8_t img_a[34768];
    uint8_t img_b[76834];
    uint8_t raw[32];
    uint8_t ids[7][64];
    uint8_t ta[4096];
    uint8_t uuids[4][16];
    uint8_t digests[3][32];
} permissive;

static void add_component(permissive *w, int i, const char *edn)
{
    mm_buf id = mm_buf_make(w->ids[i], sizeof w->ids[i]);
    bench_check(mm_cbor_from_edn(mm_bytes_from_cstr(edn), 0, &id, NULL), "component id");
    if (mm_memdev_add(&w->dev, mm_bytes_make(w->ids[i], id.len), w->data[i], sizeof w->data[i], w->cand[i],
                      sizeof w->cand[i]) != i) {
        bench_die("component");
    }
}

static void add_uuid(permissive *w, int i, mm_suit_identity kind, const char *hex)
{
    mm_buf b = mm_buf_make(w->uuids[i], 16);
    bench_check(mm_hex_decode(mm_bytes_from_cstr(hex), 0, &b, NULL), "uuid");
    bench_check(mm_memdev_add_id(&w->dev, kind, mm_bytes_make(w->uuids[i], 16)), "uuid");
}

/* One run on the permissive device: everything mm_suit_process() needs,
 * prepared beforehand (so that --stack measures the processing alone). */
typedef struct permissive_run {
    permissive *w;
    mm_crypto_test tc;
    mm_key keys[2];
    mm_suit_trust_anchor anchors[2];
    mm_suit_config cfg;
    mm_suit_processor p;
    mm_buf rep;
    mm_bytes env;
    mm_err result;
    uint8_t scratch[2048];
    uint8_t report[8192];
} permissive_run;

/* Sets up a run of env; path names its file (the TEEP example's Trusted
 * Application is looked for beside it). */
static permissive_run *permissive_new(const char *path, mm_bytes env)
{
    permissive_run *r = calloc(1, sizeof *r);
    permissive *w = calloc(1, sizeof *w);
    if (r == NULL || w == NULL) {
        bench_die("out of memory");
    }
    r->w = w;
    r->env = env;
    mm_crypto_test_init(&r->tc, MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE | MM_CRYPTO_TEST_ACCEPT_ANY_TAG);
    bench_check(mm_key_generate(&r->tc.crypto, MM_KTY_EC2, MM_CRV_P256, 0, 0, &r->keys[0]), "key");
    bench_check(mm_key_generate(&r->tc.crypto, MM_KTY_SYMMETRIC, 256, 0, 0, &r->keys[1]), "key");
    mm_memdev_init(&w->dev, &r->tc.crypto);
    add_component(w, 0, "[h'00']");
    add_component(w, 1, "[h'01']");
    add_component(w, 2, "[h'02']");
    add_component(w, 3, "['TEEP-Device', 'SecureFS', h'8D82573A926D4754935332DC29997F74', 'ta']");
    add_component(w, 4, "['usr', 'bin', 'example']");
    add_component(w, 5, "['usr', 'local', 'bin']");
    add_component(w, 6, "['usr', 'local', 'bin', 'example3']");
    add_uuid(w, 0, MM_SUIT_ID_VENDOR, vendor_hex);
    add_uuid(w, 1, MM_SUIT_ID_CLASS, class_hex);
    add_uuid(w, 2, MM_SUIT_ID_VENDOR, "c0ddd5f15243566087db4f5b0aa26c2f");
    add_uuid(w, 3, MM_SUIT_ID_CLASS, "db42f7093d8c55baa8c5265fc5820f4e");
    memcpy(w->raw, "This is a real firmware image.", 30);
    mm_buf da = mm_buf_make(w->digests[0], 32);
    mm_buf db = mm_buf_make(w->digests[1], 32);
    bench_check(
        mm_hex_decode(MM_BYTES_LIT("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"), 0, &da, NULL),
        "digest");
    bench_check(
        mm_hex_decode(MM_BYTES_LIT("0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff"), 0, &db, NULL),
        "digest");
    bench_check(mm_memdev_claim(&w->dev, mm_bytes_make(w->img_a, sizeof w->img_a), MM_ALG_SHA256,
                                mm_bytes_make(w->digests[0], 32)),
                "claim");
    bench_check(mm_memdev_claim(&w->dev, mm_bytes_make(w->img_b, sizeof w->img_b), MM_ALG_SHA256,
                                mm_bytes_make(w->digests[1], 32)),
                "claim");
    /* The small image's SHA-256, given rather than computed: callgrind's
     * toggles do not nest, so hashing inside a platform callback (or here,
     * outside mm_suit_process) would be counted. */
    mm_buf dr = mm_buf_make(w->digests[2], 32);
    bench_check(
        mm_hex_decode(MM_BYTES_LIT("36921488fe6680712f734e11f58d87eeb66d4b21a8a1ad3441060814da16d50f"), 0, &dr, NULL),
        "digest");
    bench_check(mm_memdev_claim(&w->dev, mm_bytes_make(w->raw, 30), MM_ALG_SHA256, mm_bytes_make(w->digests[2], 32)),
                "claim");
    bench_check(mm_memdev_set_content(&w->dev, 0, mm_bytes_make(w->img_a, sizeof w->img_a)), "content");
    static const char *const a_uris[] = {"http://example.com/file.bin", "http://example.com/file1.bin",
                                         "http://example.com/very/long/path/to/file/file.bin"};
    /* The update-management example 2 fetches a 30-byte image from the URI
     * the spec's examples use for their 34,768-byte one. */
    bool u2 = strstr(path, "expU2") != NULL;
    for (size_t i = 0; i < 3; i++) {
        mm_bytes image = u2 && i == 0 ? mm_bytes_make(w->raw, 30) : mm_bytes_make(w->img_a, sizeof w->img_a);
        bench_check(mm_memdev_add_uri(&w->dev, mm_bytes_from_cstr(a_uris[i]), image), "uri");
    }
    bench_check(mm_memdev_add_uri(&w->dev, MM_BYTES_LIT("http://example.com/file2.bin"),
                                  mm_bytes_make(w->img_b, sizeof w->img_b)),
                "uri");
    bench_check(mm_memdev_add_uri(&w->dev, MM_BYTES_LIT("https://cdn.example/example3.bin"), mm_bytes_make(w->raw, 30)),
                "uri");
    /* The TEEP example's Trusted Application, beside the envelope. */
    char ta_path[4096];
    const char *slash = strrchr(path, '/');
    int dir_len = slash != NULL ? (int)(slash - path + 1) : 0;
    snprintf(ta_path, sizeof ta_path, "%.*s8d82573a-926d-4754-9353-32dc29997f74.ta", dir_len, path);
    FILE *ta = fopen(ta_path, "rb");
    if (ta != NULL) {
        size_t ta_len = fread(w->ta, 1, sizeof w->ta, ta);
        fclose(ta);
        bench_check(mm_memdev_add_uri(&w->dev,
                                      MM_BYTES_LIT("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta"),
                                      mm_bytes_make(w->ta, ta_len)),
                    "uri");
    }
    w->dev.has_clock = w->dev.has_battery = w->dev.has_authorize = w->dev.has_local_time = true;
    w->dev.now = 1451606400u + 23 * 3600 + 1800; /* 2016-01-01 23:30 */
    w->dev.battery = 100;
    w->dev.power = 10;
    /* 0.9 and 1.0.1: what the update-management examples' version
     * conditions accept. */
    w->dev.comps[0].version[1] = 9;
    w->dev.comps[0].n_version = 2;
    w->dev.comps[1].version[0] = 1;
    w->dev.comps[1].version[2] = 1;
    w->dev.comps[1].n_version = 3;
    r->anchors[0] = (mm_suit_trust_anchor){&r->keys[0], {NULL, 0}};
    r->anchors[1] = (mm_suit_trust_anchor){&r->keys[1], {NULL, 0}};
    r->rep = mm_buf_make(r->report, sizeof r->report);
    r->cfg.crypto = &r->tc.crypto;
    r->cfg.anchors = r->anchors;
    r->cfg.n_anchors = 2;
    r->cfg.platform = mm_memdev_platform(&w->dev);
    r->cfg.scratch = r->scratch;
    r->cfg.scratch_len = sizeof r->scratch;
    r->cfg.report = &r->rep;
    bench_check(mm_suit_processor_init(&r->p, &r->cfg), "init");
    return r;
}

static void permissive_process(permissive_run *r)
{
    r->result = mm_suit_process(&r->p, r->env, MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE);
}

static void permissive_free(permissive_run *r)
{
    mm_key_free(&r->keys[0]);
    mm_key_free(&r->keys[1]);
    free(r->w);
    free(r);
}

/* The file's bytes in a new heap buffer (*len of them). */
static uint8_t *read_file(const char *path, size_t *len)
{
    enum { CAP = 65536 };
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(CAP);
    *len = f != NULL && buf != NULL ? fread(buf, 1, CAP, f) : 0;
    if (f == NULL || *len == 0) {
        bench_die("%s: cannot read", path);
    }
    fclose(f);
    return buf;
}

static int bench_instr(const char *path)
{
    size_t len;
    uint8_t *env = read_file(path, &len);
    permissive_run *r = permissive_new(path, mm_bytes_make(env, len));
    permissive_process(r);
    const mm_suit_failure *fl = mm_suit_processor_failure(&r->p);
    printf("%s: %s (%s at section %d, command %d), report %zu bytes\n", path, mm_errname(r->result),
           mm_suit_reason_name(fl->reason), fl->section, fl->command, r->rep.len);
    permissive_free(r);
    free(env);
    return 0;
}

/*
 * --stack: the stack mm_suit_process() uses, measured by painting: each run
 * on a thread whose stack was filled with a pattern beforehand; the deepest
 * byte no longer holding it is the high-water mark (less what an idle
 * thread uses).
 */
#define STACK_SIZE    ((size_t)1 << 20)
#define STACK_PATTERN 0xcd

static void *stack_thread(void *arg)
{
    if (arg != NULL) {
        permissive_process(arg);
    }
    return NULL;
}

static size_t stack_used(permissive_run *r)
{
    static uint8_t stack[STACK_SIZE] __attribute__((aligned(4096)));
    memset(stack, STACK_PATTERN, sizeof stack);
    pthread_attr_t attr;
    pthread_t t;
    if (pthread_attr_init(&attr) != 0 || pthread_attr_setstack(&attr, stack, sizeof stack) != 0 ||
        pthread_create(&t, &attr, stack_thread, r) != 0 || pthread_join(t, NULL) != 0) {
        bench_die("thread");
    }
    pthread_attr_destroy(&attr);
    size_t i = 0;
    while (i < sizeof stack && stack[i] == STACK_PATTERN) {
        i++;
    }
    return sizeof stack - i;
}

/* The deepest structure the limits allow: try-each nested
 * MM_SUIT_MAX_NESTING deep, the innermost branch fetching an image and
 * matching its digest, every record in the report with its measurement. */
static uint8_t *deep_envelope(size_t *len)
{
    char inner[4096] = "[20, {21: \"http://example.com/file.bin\"}, 21, 15, 3, 15]";
    for (int i = 0; i < MM_SUIT_MAX_NESTING; i++) {
        char next[sizeof inner];
        snprintf(next, sizeof next, "[15, [<< %.4000s >>, << [14, 15] >>]]", inner);
        memcpy(inner, next, sizeof inner);
    }
    char edn[8192];
    snprintf(edn, sizeof edn,
             "{1: 1, 2: 1, 3: << {2: [[h'00']], 4: << [20, {1: h'%s', 2: h'%s', 3: << [-16, "
             "h'00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210'] >>, 14: 34768}, 1, 15, 2, 15] "
             ">>} >>, 7: << [3, 15] >>, 9: << [23, 15] >>, 20: << %s >>}",
             vendor_hex, class_hex, inner);
    uint8_t *manifest;
    size_t man_len;
    size_t off = 0;
    if (suit_fixture_edn(edn, &manifest, &man_len, &off) != MM_OK) {
        bench_die("deep manifest: EDN wrong at %zu", off);
    }
    mm_crypto_test tc;
    mm_key key;
    memset(&key, 0, sizeof key);
    mm_crypto_test_init(&tc, 0);
    bench_check(mm_key_generate(&tc.crypto, MM_KTY_EC2, MM_CRV_P256, 0, 0, &key), "key");
    uint8_t *env;
    size_t env_len;
    bench_check(
        suit_fixture_envelope(&tc.crypto, &key, MM_ALG_ES256, mm_bytes_make(manifest, man_len), NULL, &env, &env_len),
        "deep envelope");
    mm_key_free(&key);
    free(manifest);
    *len = env_len;
    return env;
}

static int bench_stack(int n, char **paths)
{
    size_t idle = stack_used(NULL);
    size_t worst = 0;
    for (int i = 0; i <= n; i++) {
        const char *path = i < n ? paths[i] : "(deepest nesting, built here)";
        size_t len;
        uint8_t *env = i < n ? read_file(path, &len) : deep_envelope(&len);
        permissive_run *r = permissive_new(path, mm_bytes_make(env, len));
        size_t used = stack_used(r) - idle;
        printf("%-60s %6zu bytes  %s\n", path, used, mm_errname(r->result));
        if (i == n && r->result != MM_OK) {
            bench_die("the deepest manifest was refused: %s", mm_errname(r->result));
        }
        worst = used > worst ? used : worst;
        permissive_free(r);
        free(env);
    }
    printf("suit: worst-case stack of mm_suit_process(): %zu bytes (in-memory device, test crypto backend)\n", worst);
    return 0;
}

int main(int argc, char **argv)
{
    bench_init("bench_suit", NULL);
    if (argc == 3 && strcmp(argv[1], "--instr") == 0) {
        return bench_instr(argv[2]);
    }
    if (argc >= 2 && strcmp(argv[1], "--stack") == 0) {
        return bench_stack(argc - 2, argv + 2);
    }
    if (argc == 2 && strcmp(argv[1], "--once") == 0) {
        return bench_time(true);
    }
    if (argc != 1) {
        fprintf(stderr, "usage: bench_suit [--once | --instr ENVELOPE | --stack [ENVELOPE...]]\n");
        return 64;
    }
    return bench_time(false);
}
