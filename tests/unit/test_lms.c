/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HSS/LMS (RFC 8554, SP 800-208, RFC 8778): the hashes it stands on, the
 * official vectors, a catalogue of malformed keys and signatures, round trips
 * through the host signer for every hash family and several HSS depths, the
 * signer's state rules, and COSE.
 *
 * - SHA-256 compression: FIPS 180-4 vectors through the portable C, the
 *   OpenSSL backend's entry (SHA-NI where the CPU has it) and the test
 *   backend's, and random messages against OpenSSL's digest.
 * - SHAKE256 (COSE's 64-byte output): FIPS 202 vectors on both backends.
 * - RFC 8554 Appendix F test case 1 (../shared/vectors/hss-lms), through
 *   both backends, both hash engines, in one call and streamed.
 * - Mbed TLS's LMS and LM-OTS .data files (../shared/vectors/hss-lms/mbedtls):
 *   every verify and import case, positive and negative; the cases that
 *   run Mbed TLS's own key generation are counted and named as skipped.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/lms_internal.h"
#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/crypto_test.h"
#include "mamori/lms.h"
#include "mamori/lms_signer.h"
#include "mm_test.h"

static const mm_crypto *ossl;
static mm_crypto_test tc;
static mm_crypto_ops generic_ops; /* OpenSSL without its compression function */
static mm_crypto generic;
static char dir[64];

static int setup(void **state)
{
    (void)state;
    ossl = mm_crypto_openssl();
    mm_crypto_test_init(&tc, 0);
    generic_ops = *ossl->ops;
    generic_ops.sha256_compress = NULL;
    generic.ops = &generic_ops;
    generic.user = ossl->user;
    snprintf(dir, sizeof dir, "/tmp/mm_test_lms_XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    struct dirent *ent;
    while (d != NULL && (ent = readdir(d)) != NULL) {
        char p[512];
        if (ent->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", dir, ent->d_name);
            unlink(p);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

static mm_bytes B(const void *p, size_t n) { return mm_bytes_make(p, n); }

static void path_of(const char *name, char *out, size_t cap) { snprintf(out, cap, "%s/%s", dir, name); }

/*
 * SHA-256 compression and SHAKE256.
 */

typedef void (*compress_fn)(uint32_t st[8], const uint8_t *blocks, size_t n);

static const mm_crypto *compress_backend;
static void via_backend(uint32_t st[8], const uint8_t *blocks, size_t n)
{
    assert_int_equal(mm_sha256_compress(compress_backend, st, blocks, n), MM_OK);
}

/* SHA-256 of msg with FIPS 180-4's padding around a compression function. */
static void sha256_by(compress_fn f, const uint8_t *msg, size_t len, uint8_t out[32])
{
    uint32_t st[8];
    memcpy(st, mm_sha256_iv, sizeof st);
    size_t whole = len / 64;
    if (whole != 0) {
        f(st, msg, whole);
    }
    uint8_t tail[128] = {0};
    size_t rest = len % 64;
    memcpy(tail, msg + whole * 64, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) {
        tail[tl - 1 - (size_t)i] = (uint8_t)(bits >> (8 * i));
    }
    f(st, tail, tl / 64);
    for (int i = 0; i < 8; i++) {
        lms_put_u32(out + 4 * i, st[i]);
    }
}

static void test_sha256_compress(void **state)
{
    (void)state;
    static const struct {
        const char *msg;
        const char *digest;
    } v[] = {
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    const mm_crypto *backends[] = {ossl, &t.crypto};
    compress_fn fns[] = {mm_sha256_compress_portable, via_backend, via_backend};
    for (size_t k = 0; k < 3; k++) {
        compress_backend = k > 0 ? backends[k - 1] : NULL;
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            uint8_t d[32];
            uint8_t want[32];
            mm_test_unhex(v[i].digest, want, sizeof want);
            sha256_by(fns[k], (const uint8_t *)v[i].msg, strlen(v[i].msg), d);
            assert_memory_equal(d, want, 32);
        }
        /* One million 'a' (FIPS 180-4 example). */
        uint8_t *a = malloc(1000000);
        assert_non_null(a);
        memset(a, 'a', 1000000);
        uint8_t d[32];
        uint8_t want[32];
        mm_test_unhex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want, sizeof want);
        sha256_by(fns[k], a, 1000000, d);
        assert_memory_equal(d, want, 32);
        /* Every length up to a few blocks, against OpenSSL's digest. */
        for (size_t len = 0; len < 300; len++) {
            uint8_t ref[MM_HASH_MAX];
            size_t rl = 0;
            for (size_t i = 0; i < len; i++) {
                a[i] = (uint8_t)(i * 131 + len);
            }
            assert_int_equal(mm_hash(ossl, MM_ALG_SHA256, B(a, len), ref, &rl), MM_OK);
            sha256_by(fns[k], a, len, d);
            assert_memory_equal(d, ref, 32);
        }
        free(a);
    }
    /* The wrapper: a backend without the entry says so. */
    uint32_t st[8];
    assert_int_equal(mm_sha256_compress(&generic, st, NULL, 0), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_sha256_compress(ossl, st, NULL, 1), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_sha256_compress(NULL, st, NULL, 0), MM_ERR_INVALID_ARG);
}

static void test_shake256(void **state)
{
    (void)state;
    static const struct {
        const char *msg;
        const char *out;
    } v[] = {
        {"",
         "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479"
         "ab48640292eacb3b7c4be"},
        {"abc", "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739d5a15bef186a5386c75744c0527e1faa9f872"
                "6e462a12a4feb06bd8801e751e4"},
    };
    const mm_crypto *backends[] = {ossl, &tc.crypto};
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            uint8_t out[MM_HASH_MAX];
            uint8_t want[64];
            size_t len = 0;
            mm_test_unhex(v[i].out, want, sizeof want);
            assert_int_equal(mm_hash(backends[k], MM_ALG_SHAKE256, B(v[i].msg, strlen(v[i].msg)), out, &len), MM_OK);
            assert_int_equal(len, 64);
            assert_memory_equal(out, want, 64);
        }
    }
    /* Lengths around SHAKE256's 136-byte rate, in chunks: both backends agree. */
    uint8_t msg[600];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(i * 7 + 3);
    }
    for (size_t len = 0; len < sizeof msg; len += (len < 280 ? 1 : 37)) {
        uint8_t a[MM_HASH_MAX];
        uint8_t b[MM_HASH_MAX];
        size_t la = 0;
        size_t lb = 0;
        assert_int_equal(mm_hash(ossl, MM_ALG_SHAKE256, B(msg, len), a, &la), MM_OK);
        mm_crypto_ctx ctx;
        assert_int_equal(mm_hash_init(&tc.crypto, &ctx, MM_ALG_SHAKE256), MM_OK);
        for (size_t off = 0; off < len; off += 50) {
            assert_int_equal(mm_hash_update(&tc.crypto, &ctx, B(msg + off, len - off < 50 ? len - off : 50)), MM_OK);
        }
        assert_int_equal(mm_hash_final(&tc.crypto, &ctx, b, &lb), MM_OK);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
    }
    assert_int_equal(mm_hash_len(MM_ALG_SHAKE256), 64);
}

/*
 * Parameter tables.
 */

static void test_params(void **state)
{
    (void)state;
    size_t known = 0;
    for (uint32_t t = 0; t < 64; t++) {
        const mm_lms_ots_type_info *o = mm_lms_ots_type(t);
        if (o == NULL) {
            continue;
        }
        known++;
        assert_int_equal(o->type, t);
        /* RFC 8554 Appendix B. */
        unsigned u = (8u * o->n + o->w - 1) / o->w;
        unsigned max = ((1u << o->w) - 1) * u;
        unsigned bits = 0;
        while ((max >> bits) != 0) {
            bits++;
        }
        unsigned v = (bits + o->w - 1) / o->w;
        assert_int_equal(o->p, u + v);
        assert_int_equal(o->ls, 16 - v * o->w);
        assert_true(strncmp(o->name, "LMOTS_", 6) == 0);
    }
    assert_int_equal(known, 16);
    known = 0;
    for (uint32_t t = 0; t < 64; t++) {
        const mm_lms_type_info *l = mm_lms_type(t);
        if (l != NULL) {
            known++;
            assert_int_equal(l->type, t);
            assert_int_equal(l->h, 5 * (1 + (t - 5) % 5));
        }
    }
    assert_int_equal(known, 20);
    assert_null(mm_lms_type(0xffffffffu));
    assert_null(mm_lms_ots_type(0));
    /* The largest signatures bound the buffers. */
    assert_int_equal(mm_lms_lms_sig_len(mm_lms_type(MM_LMS_SHA256_M32_H25), mm_lms_ots_type(MM_LMOTS_SHA256_N32_W1)),
                     MM_LMS_LMS_SIG_MAX);
    assert_int_equal(mm_lms_lms_sig_len(mm_lms_type(MM_LMS_SHA256_M32_H5), mm_lms_ots_type(MM_LMOTS_SHA256_N32_W8)),
                     1292);
}

/*
 * RFC 8554 Appendix F, test case 1.
 */

typedef struct vec {
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len;
    uint8_t msg[512];
    size_t msg_len;
    uint8_t sig[4096];
    size_t sig_len;
} vec;

static void load_tc1(vec *v)
{
    char path[512];
    mm_test_shared_path("vectors/hss-lms/rfc8554-appendix-f-tc1.json", path, sizeof path);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    assert_non_null(j);
    v->pub_len = mm_test_unhex(json_string_value(json_object_get(j, "public_key")), v->pub, sizeof v->pub);
    v->msg_len = mm_test_unhex(json_string_value(json_object_get(j, "message")), v->msg, sizeof v->msg);
    v->sig_len = mm_test_unhex(json_string_value(json_object_get(j, "signature")), v->sig, sizeof v->sig);
    json_decref(j);
}

/* Verifies in chunks of `chunk` bytes through the streaming interface. */
static mm_err verify_streamed(const mm_crypto *c, mm_bytes pub, mm_bytes msg, mm_bytes sig, size_t chunk,
                              unsigned flags)
{
    mm_lms_verify_ctx v;
    mm_err e = mm_lms_verify_begin(&v, c, pub, sig, flags);
    for (size_t off = 0; e == MM_OK && off < msg.len; off += chunk) {
        e = mm_lms_verify_update(&v, B(msg.ptr + off, msg.len - off < chunk ? msg.len - off : chunk));
    }
    return e == MM_OK ? mm_lms_verify_end(&v) : e;
}

static void test_rfc8554_tc1(void **state)
{
    (void)state;
    vec v;
    load_tc1(&v);
    assert_int_equal(v.sig_len, 2644);
    mm_bytes pub = B(v.pub, v.pub_len);
    mm_bytes msg = B(v.msg, v.msg_len);
    mm_bytes sig = B(v.sig, v.sig_len);
    const mm_crypto *backends[] = {ossl, &tc.crypto, &generic};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(mm_lms_verify(backends[k], pub, msg, sig, 0), MM_OK);
        assert_int_equal(verify_streamed(backends[k], pub, msg, sig, 1, 0), MM_OK);
        assert_int_equal(verify_streamed(backends[k], pub, msg, sig, 63, 0), MM_OK);
        v.msg[v.msg_len - 1] ^= 1;
        assert_int_equal(mm_lms_verify(backends[k], pub, msg, sig, 0), MM_ERR_VERIFY);
        v.msg[v.msg_len - 1] ^= 1;
    }
    mm_lms_info info;
    assert_int_equal(mm_lms_sig_decode(pub, sig, 0, &info), MM_OK);
    assert_int_equal(info.levels, 2);
    assert_int_equal(info.level[0].lms_type, MM_LMS_SHA256_M32_H5);
    assert_int_equal(info.level[1].ots_type, MM_LMOTS_SHA256_N32_W8);
    /* A stream ended early, or used after it ended, is refused. */
    mm_lms_verify_ctx sv;
    assert_int_equal(mm_lms_verify_begin(&sv, ossl, pub, sig, 0), MM_OK);
    mm_lms_verify_abort(&sv);
    assert_int_equal(mm_lms_verify_update(&sv, msg), MM_ERR_STATE);
    assert_int_equal(mm_lms_verify_end(&sv), MM_ERR_STATE);
}

/*
 * Mbed TLS's .data files: paragraphs of a title, comments, and one
 * "function:arg:arg..." line whose last argument is 0 or an error name.
 */

typedef struct mbed_counts {
    size_t ok, refused, skipped, valid_elsewhere;
} mbed_counts;

static size_t split_args(char *line, char **args, size_t cap)
{
    size_t n = 0;
    char *p = line;
    while (n < cap) {
        args[n++] = p;
        bool quoted = false;
        while (*p != '\0' && (quoted || *p != ':')) {
            quoted = *p == '"' ? !quoted : quoted;
            p++;
        }
        if (*p == '\0') {
            break;
        }
        *p++ = '\0';
    }
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(args[i]);
        if (l >= 2 && args[i][0] == '"' && args[i][l - 1] == '"') {
            args[i][l - 1] = '\0';
            args[i]++;
        }
    }
    return n;
}

static void run_mbedtls_file(const char *sub, mbed_counts *counts)
{
    char path[512];
    mm_test_shared_path(sub, path, sizeof path);
    size_t len = 0;
    char *text = (char *)mm_test_read_file(path, &len);
    assert_non_null(text);
    static uint8_t a[8192];
    static uint8_t b[8192];
    static uint8_t c[8192];
    char *save = NULL;
    const char *title = "";
    for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        char *colon = strchr(line, ':');
        if (colon == NULL || strchr(line, ' ') != NULL) {
            title = line;
            continue;
        }
        char *args[8];
        size_t n = split_args(line, args, 8);
        const char *fn = args[0];
        bool want_ok = strcmp(args[n - 1], "0") == 0;
        mm_err e;
        if (strcmp(fn, "lms_verify_test") == 0 && n == 5) {
            size_t ml = mm_test_unhex(args[1], a, sizeof a);
            size_t sl = mm_test_unhex(args[2], b, sizeof b);
            size_t pl = mm_test_unhex(args[3], c, sizeof c);
            e = mm_lms_verify(ossl, B(c, pl), B(a, ml), B(b, sl), MM_LMS_SINGLE);
            /* and the same through the test backend's hashes */
            assert_int_equal(mm_lms_verify(&tc.crypto, B(c, pl), B(a, ml), B(b, sl), MM_LMS_SINGLE), e);
        } else if (strcmp(fn, "lms_import_export_test") == 0 && n == 3) {
            size_t pl = mm_test_unhex(args[1], c, sizeof c);
            mm_lms_info info;
            e = mm_lms_pub_decode(B(c, pl), MM_LMS_SINGLE, &info);
            if (e == MM_OK) {
                assert_int_equal(info.level[0].pub.len, pl); /* export gives the same bytes */
            }
        } else if (strcmp(fn, "lmots_verify_test") == 0 && n == 5) {
            size_t ml = mm_test_unhex(args[1], a, sizeof a);
            size_t sl = mm_test_unhex(args[2], b, sizeof b);
            size_t pl = mm_test_unhex(args[3], c, sizeof c);
            e = mm_lms_ots_verify(ossl, B(c, pl), B(a, ml), B(b, sl));
        } else if (strcmp(fn, "lmots_import_export_test") == 0 && n == 3) {
            /* An LM-OTS public key is accepted when verification gets past
             * it (to the empty signature's length). */
            size_t pl = mm_test_unhex(args[1], c, sizeof c);
            e = mm_lms_ots_verify(ossl, B(c, pl), B(NULL, 0), B(NULL, 0));
            e = e == MM_ERR_SIG_LENGTH ? MM_OK : e;
        } else if (strcmp(fn, "lms_sign_verify_test") == 0 || strcmp(fn, "lms_sign_verify_null_msg_test") == 0 ||
                   strcmp(fn, "lmots_sign_verify_test") == 0 || strcmp(fn, "lmots_sign_verify_null_msg_test") == 0 ||
                   strcmp(fn, "lmots_reuse_test") == 0 || strcmp(fn, "lmots_signature_leak_test") == 0) {
            /* Mbed TLS's own key generation from a seed: not a portable
             * known answer (our signer is tested by the round trips). */
            counts->skipped++;
            continue;
        } else {
            fail_msg("%s: unknown test function %s (%s)", sub, fn, title);
            return;
        }
        /* Mbed TLS implements only LMS_SHA256_M32_H10 with
         * LMOTS_SHA256_N32_W8, so it refuses keys of other valid sets of
         * RFC 8554; mamori takes them. */
        static const char *const valid_elsewhere[] = {
            "LMS key import invalid LMS type test #1",
            "LMS key import invalid LMOTS type test #1",
            "LMOTS key import invalid type test #1",
        };
        for (size_t k = 0; k < sizeof valid_elsewhere / sizeof valid_elsewhere[0]; k++) {
            if (strcmp(title, valid_elsewhere[k]) == 0) {
                assert_false(want_ok);
                assert_int_equal(e, MM_OK);
                counts->valid_elsewhere++;
                want_ok = true;
            }
        }
        if (want_ok != (e == MM_OK)) {
            fail_msg("%s: \"%s\": expected %s, got %s", sub, title, args[n - 1], mm_errname(e));
        }
        if (want_ok) {
            counts->ok++;
        } else {
            counts->refused++;
        }
    }
    free(text);
}

static void test_mbedtls_vectors(void **state)
{
    (void)state;
    mbed_counts lms = {0, 0, 0, 0};
    mbed_counts lmots = {0, 0, 0, 0};
    run_mbedtls_file("vectors/hss-lms/mbedtls/test_suite_lms.shared.data", &lms);
    run_mbedtls_file("vectors/hss-lms/mbedtls/test_suite_lmots.data", &lmots);
    printf("[          ] LMS: %zu accepted (%zu of them refused by Mbed TLS for its own limits), %zu refused, "
           "%zu skipped; LM-OTS: %zu accepted (%zu), %zu refused, %zu skipped\n",
           lms.ok, lms.valid_elsewhere, lms.refused, lms.skipped, lmots.ok, lmots.valid_elsewhere, lmots.refused,
           lmots.skipped);
    /* Every case of the files, accounted for. */
    assert_int_equal(lms.ok, 7);
    assert_int_equal(lms.valid_elsewhere, 2);
    assert_int_equal(lms.refused, 7);
    assert_int_equal(lms.skipped, 2);
    assert_int_equal(lmots.ok, 5);
    assert_int_equal(lmots.valid_elsewhere, 1);
    assert_int_equal(lmots.refused, 7);
    assert_int_equal(lmots.skipped, 5);
}

/*
 * Keys made by the signer.
 */

typedef struct key_case {
    const char *name;
    uint32_t levels;
    uint32_t lms[MM_LMS_MAX_LEVELS];
    uint32_t ots[MM_LMS_MAX_LEVELS];
} key_case;

static const key_case key_cases[] = {
    {"h5-w1", 1, {MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W1}},
    {"h5-w2", 1, {MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W2}},
    {"h10-w4", 1, {MM_LMS_SHA256_M32_H10}, {MM_LMOTS_SHA256_N32_W4}},
    {"m24-w4", 1, {MM_LMS_SHA256_M24_H5}, {MM_LMOTS_SHA256_N24_W4}},
    {"shake32-w4", 1, {MM_LMS_SHAKE_M32_H5}, {MM_LMOTS_SHAKE_N32_W4}},
    {"shake24-w8", 1, {MM_LMS_SHAKE_M24_H5}, {MM_LMOTS_SHAKE_N24_W8}},
    {"hss2", 2, {MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W2}},
    {"hss3",
     3,
     {MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5},
     {MM_LMOTS_SHA256_N32_W4, MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W4}},
    {"hss2-m24", 2, {MM_LMS_SHA256_M24_H10, MM_LMS_SHA256_M24_H5}, {MM_LMOTS_SHA256_N24_W4, MM_LMOTS_SHA256_N24_W8}},
    {"hss8",
     8,
     {MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5,
      MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5},
     {MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W4, MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W4,
      MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W4, MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W4}},
};

static mm_lms_keygen_opts keygen_opts(const key_case *k, const mm_crypto *c)
{
    mm_lms_keygen_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = c;
    o.levels = k->levels;
    for (uint32_t i = 0; i < k->levels; i++) {
        o.lms_type[i] = k->lms[i];
        o.ots_type[i] = k->ots[i];
    }
    o.flags = MM_LMS_KEYGEN_FORCE;
    return o;
}

/* A key file for case k (generated once per test run), opened. */
static void open_key(const key_case *k, const char *file, uint32_t reserve, mm_key *key, uint8_t pub[MM_LMS_PUB_MAX],
                     size_t *pub_len)
{
    char path[512];
    path_of(file, path, sizeof path);
    mm_lms_keygen_opts o = keygen_opts(k, ossl);
    assert_int_equal(mm_lms_keygen(path, &o, pub, pub_len), MM_OK);
    mm_lms_signer_opts so = {ossl, reserve, 0};
    assert_int_equal(mm_lms_signer_open(path, &so, key), MM_OK);
}

static size_t sign(mm_key *key, mm_bytes msg, uint8_t *sig, size_t cap)
{
    size_t len = 0;
    assert_int_equal(mm_sign(key->crypto, key, MM_ALG_HSS_LMS, msg, 0, sig, cap, &len), MM_OK);
    return len;
}

static void test_round_trips(void **state)
{
    (void)state;
    static uint8_t sig[MM_LMS_SIG_MAX];
    static const char msg_text[] = "a firmware manifest's digest, say";
    mm_bytes msg = B(msg_text, sizeof msg_text - 1);
    for (size_t c = 0; c < sizeof key_cases / sizeof key_cases[0]; c++) {
        const key_case *k = &key_cases[c];
        mm_key key;
        uint8_t pub[MM_LMS_PUB_MAX];
        size_t pub_len;
        open_key(k, k->name, 3, &key, pub, &pub_len);
        mm_lms_key_info info;
        assert_int_equal(mm_lms_signer_info(&key, &info), MM_OK);
        assert_int_equal(info.levels, k->levels);
        for (int round = 0; round < 3; round++) {
            size_t len = sign(&key, msg, sig, sizeof sig);
            assert_int_equal(len, info.sig_len);
            mm_bytes s = B(sig, len);
            mm_bytes p = B(pub, pub_len);
            assert_int_equal(mm_lms_verify(ossl, p, msg, s, 0), MM_OK);
            assert_int_equal(mm_lms_verify(&tc.crypto, p, msg, s, 0), MM_OK);
            assert_int_equal(mm_lms_verify(&generic, p, msg, s, 0), MM_OK);
            assert_int_equal(verify_streamed(ossl, p, msg, s, 5, 0), MM_OK);
            assert_int_equal(mm_verify(key.crypto, &key, MM_ALG_HSS_LMS, msg, 0, s), MM_OK);
            mm_lms_info si;
            assert_int_equal(mm_lms_sig_decode(p, s, 0, &si), MM_OK);
            assert_int_equal(si.level[k->levels - 1].q, (uint32_t)round);
            /* Another message fails. */
            assert_int_equal(mm_lms_verify(ossl, p, B(msg_text, 3), s, 0), MM_ERR_VERIFY);
            /* A single-level key's signature is also a bare LMS one. */
            if (k->levels == 1) {
                assert_int_equal(mm_lms_verify(ossl, B(pub + 4, pub_len - 4), msg, B(sig + 4, len - 4), MM_LMS_SINGLE),
                                 MM_OK);
            }
        }
        /* Through a verifier instance, as a device holds the key. */
        mm_lms_verifier v;
        mm_lms_verifier_init(&v, &tc.crypto);
        mm_key_parts parts;
        memset(&parts, 0, sizeof parts);
        parts.kty = MM_KTY_HSS_LMS;
        parts.x = B(pub, pub_len);
        mm_key vk;
        assert_int_equal(mm_key_import(&v.crypto, &parts, 0, &vk), MM_OK);
        size_t len = sign(&key, msg, sig, sizeof sig);
        assert_int_equal(mm_verify(vk.crypto, &vk, MM_ALG_HSS_LMS, msg, 0, B(sig, len)), MM_OK);
        assert_int_equal(mm_verify(vk.crypto, &vk, MM_ALG_HSS_LMS, msg, MM_SIG_PREHASHED, B(sig, len)),
                         MM_ERR_UNSUPPORTED);
        uint8_t back[MM_LMS_PUB_MAX];
        mm_bytes exported;
        assert_int_equal(mm_lms_key_public(&vk, back, &exported), MM_OK);
        assert_memory_equal(exported.ptr, pub, pub_len);
        assert_int_equal(mm_lms_key_public(&key, back, &exported), MM_OK);
        assert_memory_equal(exported.ptr, pub, pub_len);
        mm_key_free(&vk);
        mm_key_free(&key);
    }
}

/* The same key files open again, from their caches or without them, and
 * continue where they stopped. */
static void test_reopen_and_cache(void **state)
{
    (void)state;
    static uint8_t sig[MM_LMS_SIG_MAX];
    const key_case *k = &key_cases[6]; /* hss2: the bottom tree changes every 32 signatures */
    mm_key key;
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len;
    open_key(k, "reopen", 4, &key, pub, &pub_len);
    char path[512];
    char cache[600];
    path_of("reopen", path, sizeof path);
    snprintf(cache, sizeof cache, "%s.cache", path);
    uint64_t expect = 0;
    /* What the top level's one-time keys signed: the same child public key
     * with the same signature, whatever happened to the cache. */
    static uint8_t top_part[4][2048];
    size_t top_len = 0;
    for (int round = 0; round < 6; round++) {
        for (int i = 0; i < 13; i++) {
            size_t len = sign(&key, B("m", 1), sig, sizeof sig);
            mm_lms_info si;
            assert_int_equal(mm_lms_sig_decode(B(pub, pub_len), B(sig, len), 0, &si), MM_OK);
            assert_int_equal(((uint64_t)si.level[0].q << 5) | si.level[1].q, expect);
            assert_int_equal(mm_lms_verify(ossl, B(pub, pub_len), B("m", 1), B(sig, len), 0), MM_OK);
            top_len = si.level[0].sig.len + si.level[1].pub.len;
            assert_true(si.level[0].q < 4 && top_len <= sizeof top_part[0]);
            if (si.level[1].q == 0 || (round == 0 && i == 0)) {
                memcpy(top_part[si.level[0].q], si.level[0].sig.ptr, top_len);
            } else {
                assert_memory_equal(top_part[si.level[0].q], si.level[0].sig.ptr, top_len);
            }
            expect++;
        }
        mm_key_free(&key);
        if (round == 2) {
            unlink(cache);
        } else if (round == 3) {
            /* A damaged cache is only rebuilt. */
            FILE *f = fopen(cache, "r+b");
            assert_non_null(f);
            fseek(f, 200, SEEK_SET);
            fputc(0x5a, f);
            fclose(f);
        }
        mm_lms_signer_opts so = {ossl, 4, 0};
        assert_int_equal(mm_lms_signer_open(path, &so, &key), MM_OK);
        mm_lms_key_info info;
        assert_int_equal(mm_lms_signer_info(&key, &info), MM_OK);
        assert_int_equal(info.next, expect); /* the unused reservation came back on close */
    }
    mm_key_free(&key);
}

static void test_exhaustion_and_state(void **state)
{
    (void)state;
    static uint8_t sig[MM_LMS_SIG_MAX];
    const key_case *k = &key_cases[0]; /* h5-w1: 32 signatures */
    mm_key key;
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len;
    open_key(k, "exhaust", 5, &key, pub, &pub_len);
    char path[512];
    path_of("exhaust", path, sizeof path);
    mm_lms_key_info info;
    /* A buffer too small spends nothing. */
    size_t len = 0;
    assert_int_equal(mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, B("x", 1), 0, sig, 10, &len), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 8688);
    assert_int_equal(mm_lms_key_file_info(path, ossl, &info), MM_OK);
    assert_int_equal(info.next, 0);
    assert_int_equal(info.remaining, 32);
    /* The file is ahead of the signer by the reservation while it signs. */
    (void)sign(&key, B("x", 1), sig, sizeof sig);
    assert_int_equal(mm_lms_key_file_info(path, ossl, &info), MM_OK);
    assert_int_equal(info.next, 5);
    assert_int_equal(mm_lms_signer_info(&key, &info), MM_OK);
    assert_int_equal(info.next, 1);
    assert_int_equal(info.remaining, 31);
    /* A second signer of the same key is refused while the first holds it. */
    mm_lms_signer_opts so = {ossl, 1, 0};
    mm_key other;
    assert_int_equal(mm_lms_signer_open(path, &so, &other), MM_OK);
    assert_int_equal(mm_sign(other.crypto, &other, MM_ALG_HSS_LMS, B("x", 1), 0, sig, sizeof sig, &len), MM_ERR_STATE);
    mm_key_free(&other);
    /* A forked child cannot sign with its parent's reservation. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        mm_err e = mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, B("x", 1), 0, sig, sizeof sig, &len);
        _exit(e == MM_ERR_STATE ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* Use every one-time key; the next signature is refused, for good. */
    for (int i = 1; i < 32; i++) {
        (void)sign(&key, B("x", 1), sig, sizeof sig);
    }
    assert_int_equal(mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, B("x", 1), 0, sig, sizeof sig, &len),
                     MM_ERR_KEY_EXHAUSTED);
    assert_int_equal(mm_lms_signer_info(&key, &info), MM_OK);
    assert_int_equal(info.remaining, 0);
    mm_key_free(&key);
    assert_int_equal(mm_lms_signer_open(path, &so, &key), MM_OK);
    assert_int_equal(mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, B("x", 1), 0, sig, sizeof sig, &len),
                     MM_ERR_KEY_EXHAUSTED);
    /* The seed never leaves. */
    mm_key_parts parts;
    uint8_t buf[256];
    assert_int_equal(mm_key_export(&key, MM_EXPORT_PRIVATE, &parts, buf, sizeof buf), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_key_export(&key, 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(parts.kty, MM_KTY_HSS_LMS);
    assert_memory_equal(parts.x.ptr, pub, pub_len);
    mm_key_free(&key);

    /* A damaged or truncated state file is refused, never guessed at. */
    size_t flen = 0;
    uint8_t *file = mm_test_read_file(path, &flen);
    assert_non_null(file);
    assert_int_equal(flen, 236);
    char bad[512];
    path_of("damaged", bad, sizeof bad);
    for (size_t off = 0; off < flen; off += 7) {
        file[off] ^= 0x10;
        FILE *f = fopen(bad, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(file, 1, flen, f), flen);
        fclose(f);
        assert_int_equal(mm_lms_signer_open(bad, &so, &key),
                         off < 12 && off >= 8 ? MM_ERR_UNSUPPORTED : MM_ERR_BAD_KEY);
        file[off] ^= 0x10;
    }
    FILE *f = fopen(bad, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(file, 1, flen - 1, f), flen - 1);
    fclose(f);
    assert_int_equal(mm_lms_signer_open(bad, &so, &key), MM_ERR_BAD_KEY);
    free(file);

    /* Key generation keeps an existing file unless forced, and checks its
     * parameters. */
    mm_lms_keygen_opts o = keygen_opts(k, ossl);
    o.flags = 0;
    assert_int_equal(mm_lms_keygen(path, &o, pub, &pub_len), MM_ERR_STATE);
    o.ots_type[0] = MM_LMOTS_SHA256_N24_W4; /* 24-byte one-time keys under a 32-byte tree */
    o.flags = MM_LMS_KEYGEN_FORCE;
    assert_int_equal(mm_lms_keygen(path, &o, pub, &pub_len), MM_ERR_INVALID_ARG);
    o.ots_type[0] = 0x99;
    assert_int_equal(mm_lms_keygen(path, &o, pub, &pub_len), MM_ERR_UNSUPPORTED_ALG);
    o = keygen_opts(&key_cases[6], ossl);
    o.lms_type[1] = MM_LMS_SHAKE_M32_H5;
    o.ots_type[1] = MM_LMOTS_SHAKE_N32_W4; /* levels of different hash functions */
    assert_int_equal(mm_lms_keygen(path, &o, pub, &pub_len), MM_ERR_INVALID_ARG);
    o.levels = 9;
    assert_int_equal(mm_lms_keygen(path, &o, pub, &pub_len), MM_ERR_INVALID_ARG);
}

/*
 * The catalogue of malformed keys and signatures: each must be refused, with
 * the error its kind calls for.
 */

typedef struct sig_field {
    const char *name;
    size_t off; /* offset in the signature */
    size_t len;
} sig_field;

/* The fields of an HSS signature, from its decoding. */
static size_t fields_of(mm_bytes pub, mm_bytes sig, sig_field *f, size_t cap)
{
    mm_lms_info info;
    assert_int_equal(mm_lms_sig_decode(pub, sig, 0, &info), MM_OK);
    size_t n = 0;
    f[n++] = (sig_field){"Nspk", 0, 4};
    for (uint32_t i = 0; i < info.levels && n + 10 < cap; i++) {
        const mm_lms_level *lv = &info.level[i];
        const mm_lms_ots_type_info *ots = mm_lms_ots_type(lv->ots_type);
        const mm_lms_type_info *lms = mm_lms_type(lv->lms_type);
        size_t base = (size_t)(lv->sig.ptr - sig.ptr);
        size_t ots_len = mm_lms_ots_sig_len(ots);
        f[n++] = (sig_field){"q", base, 4};
        f[n++] = (sig_field){"lmots type", base + 4, 4};
        f[n++] = (sig_field){"C", base + 8, ots->n};
        f[n++] = (sig_field){"y[0]", base + 8 + ots->n, ots->n};
        f[n++] = (sig_field){"y[p-1]", base + 8 + (size_t)ots->p * ots->n, ots->n};
        f[n++] = (sig_field){"lms type", base + 4 + ots_len, 4};
        f[n++] = (sig_field){"path[0]", base + 8 + ots_len, lms->m};
        f[n++] = (sig_field){"path[h-1]", base + 8 + ots_len + (size_t)(lms->h - 1) * lms->m, lms->m};
        if (i + 1 < info.levels) {
            size_t pb = (size_t)(info.level[i + 1].pub.ptr - sig.ptr);
            f[n++] = (sig_field){"pub type", pb, 4};
            f[n++] = (sig_field){"pub lmots type", pb + 4, 4};
            f[n++] = (sig_field){"pub I", pb + 8, 16};
            f[n++] = (sig_field){"pub T[1]", pb + 24, mm_lms_type(info.level[i + 1].lms_type)->m};
        }
    }
    return n;
}

static void put32(uint8_t *p, uint32_t v) { lms_put_u32(p, v); }

/* Refuses the signature good (of msg under pub) altered every way the
 * catalogue knows; stride 1 flips a bit in every byte, more samples. */
static void catalogue(mm_bytes pub, const uint8_t *good, size_t len, mm_bytes msg, const char *what, size_t stride)
{
    uint8_t *s = malloc(len + 8);
    assert_non_null(s);
    memcpy(s, good, len);
    assert_int_equal(mm_lms_verify(ossl, pub, msg, B(s, len), 0), MM_OK);
    size_t refused = 0;
    /* Every bit of every field, and every byte's lowest bit in general:
     * nothing in a signature is unauthenticated. */
    for (size_t off = 0; off < len; off += stride) {
        s[off] ^= (uint8_t)(1u << (off % 8));
        mm_err e = mm_lms_verify(ossl, pub, msg, B(s, len), 0);
        if (e == MM_OK) {
            fail_msg("%s: a flipped bit at byte %zu is accepted", what, off);
        }
        refused++;
        s[off] ^= (uint8_t)(1u << (off % 8));
    }
    sig_field f[128];
    size_t nf = fields_of(pub, B(good, len), f, 128);
    for (size_t i = 0; i < nf; i++) {
        for (size_t bit = 0; bit < 8 * f[i].len; bit += (f[i].len > 4 ? 13 : 1)) {
            s[f[i].off + bit / 8] ^= (uint8_t)(1u << (bit % 8));
            if (mm_lms_verify(ossl, pub, msg, B(s, len), 0) == MM_OK) {
                fail_msg("%s: field %s bit %zu flipped is accepted", what, f[i].name, bit);
            }
            s[f[i].off + bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        /* Type fields: every other known code and some unknown ones. */
        if (strstr(f[i].name, "type") != NULL) {
            uint32_t orig = lms_get_u32(s + f[i].off);
            for (uint32_t t = 0; t < 30; t++) {
                if (t == orig) {
                    continue;
                }
                put32(s + f[i].off, t);
                assert_int_not_equal(mm_lms_verify(ossl, pub, msg, B(s, len), 0), MM_OK);
            }
            put32(s + f[i].off, 0xffffffffu);
            assert_int_not_equal(mm_lms_verify(ossl, pub, msg, B(s, len), 0), MM_OK);
            put32(s + f[i].off, orig);
        }
        /* q: out of range (2^h and beyond) is refused before any hashing. */
        if (strcmp(f[i].name, "q") == 0) {
            uint32_t orig = lms_get_u32(s + f[i].off);
            static const uint32_t bad_q[] = {32, 1024, 33554432, 0x80000000u, 0xffffffffu};
            for (size_t k = 0; k < sizeof bad_q / sizeof bad_q[0]; k++) {
                put32(s + f[i].off, bad_q[k]);
                mm_err e = mm_lms_verify(ossl, pub, msg, B(s, len), 0);
                assert_int_not_equal(e, MM_OK);
            }
            put32(s + f[i].off, orig + 1);
            assert_int_equal(mm_lms_verify(ossl, pub, msg, B(s, len), 0), MM_ERR_VERIFY);
            put32(s + f[i].off, orig);
        }
        if (strcmp(f[i].name, "Nspk") == 0) {
            uint32_t orig = lms_get_u32(s);
            static const uint32_t bad_n[] = {0, 1, 2, 3, 7, 8, 9, 0xffffffffu};
            for (size_t k = 0; k < sizeof bad_n / sizeof bad_n[0]; k++) {
                if (bad_n[k] != orig) {
                    put32(s, bad_n[k]);
                    assert_int_equal(mm_lms_verify(ossl, pub, msg, B(s, len), 0), MM_ERR_VERIFY);
                }
            }
            put32(s, orig);
        }
    }
    /* Truncated at every length, and padded. */
    for (size_t l = 0; l < len; l++) {
        mm_err e = mm_lms_verify(ossl, pub, msg, B(s, l), 0);
        if (e == MM_OK) {
            fail_msg("%s: truncated to %zu bytes is accepted", what, l);
        }
    }
    memset(s + len, 0, 8);
    assert_int_equal(mm_lms_verify(ossl, pub, msg, B(s, len + 1), 0), MM_ERR_SIG_LENGTH);
    assert_int_equal(mm_lms_verify(ossl, pub, msg, B(s, len + 8), 0), MM_ERR_SIG_LENGTH);
    /* Another level's signature in place of the bottom one, or the whole
     * thing verified as a bare LMS signature. */
    assert_int_not_equal(mm_lms_verify(ossl, pub, msg, B(s + 4, len - 4), MM_LMS_SINGLE), MM_OK);
    assert_int_equal(mm_lms_verify(ossl, pub, msg, B(s, len), 0x80), MM_ERR_INVALID_ARG);
    assert_true(refused == (len + stride - 1) / stride);
    free(s);
}

static void test_bad_signatures(void **state)
{
    (void)state;
    vec v;
    load_tc1(&v);
    catalogue(B(v.pub, v.pub_len), v.sig, v.sig_len, B(v.msg, v.msg_len), "RFC 8554 TC1", 1);
    static uint8_t sig[MM_LMS_SIG_MAX];
    static const size_t cases[] = {7, 3, 5}; /* hss3, m24, shake24 */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const key_case *k = &key_cases[cases[i]];
        mm_key key;
        uint8_t pub[MM_LMS_PUB_MAX];
        size_t pub_len;
        char name[64];
        snprintf(name, sizeof name, "cat-%s", k->name);
        open_key(k, name, 1, &key, pub, &pub_len);
        size_t len = sign(&key, B("catalogue", 9), sig, sizeof sig);
        catalogue(B(pub, pub_len), sig, len, B("catalogue", 9), k->name, 37);
        mm_key_free(&key);
    }
}

static void test_bad_public_keys(void **state)
{
    (void)state;
    vec v;
    load_tc1(&v);
    mm_bytes msg = B(v.msg, v.msg_len);
    mm_bytes sig = B(v.sig, v.sig_len);
    uint8_t p[MM_LMS_PUB_MAX + 8];
    mm_lms_info info;
    /* Truncated and padded keys. */
    for (size_t l = 0; l < v.pub_len; l++) {
        assert_int_equal(mm_lms_pub_decode(B(v.pub, l), 0, &info), l < 12 ? MM_ERR_BAD_KEY : MM_ERR_BAD_KEY);
        assert_int_not_equal(mm_lms_verify(ossl, B(v.pub, l), msg, sig, 0), MM_OK);
    }
    memcpy(p, v.pub, v.pub_len);
    p[v.pub_len] = 0;
    assert_int_equal(mm_lms_pub_decode(B(p, v.pub_len + 1), 0, &info), MM_ERR_BAD_KEY);
    /* L: 0, 9, huge, or one that does not match the signature. */
    static const uint32_t bad_l[] = {0, 9, 0xffffffffu};
    for (size_t i = 0; i < sizeof bad_l / sizeof bad_l[0]; i++) {
        put32(p, bad_l[i]);
        assert_int_equal(mm_lms_verify(ossl, B(p, v.pub_len), msg, sig, 0), MM_ERR_BAD_KEY);
    }
    put32(p, 1);
    assert_int_equal(mm_lms_verify(ossl, B(p, v.pub_len), msg, sig, 0), MM_ERR_VERIFY);
    put32(p, 3);
    assert_int_equal(mm_lms_verify(ossl, B(p, v.pub_len), msg, sig, 0), MM_ERR_VERIFY);
    put32(p, 2);
    /* Unknown typecodes, and pairs of different hash functions or sizes. */
    static const uint32_t bad_pairs[][2] = {
        {0, 4}, {4, 4}, {25, 4}, {0xffffffffu, 4}, {5, 0}, {5, 17}, {5, 5}, {5, 9}, {10, 4}, {15, 4}, {20, 12},
    };
    for (size_t i = 0; i < sizeof bad_pairs / sizeof bad_pairs[0]; i++) {
        put32(p + 4, bad_pairs[i][0]);
        put32(p + 8, bad_pairs[i][1]);
        assert_int_equal(mm_lms_pub_decode(B(p, v.pub_len), 0, &info), MM_ERR_UNSUPPORTED_ALG);
        assert_int_equal(mm_lms_verify(ossl, B(p, v.pub_len), msg, sig, 0), MM_ERR_UNSUPPORTED_ALG);
    }
    /* A different (known, consistent) type: the key is shorter or longer
     * than it says. */
    put32(p + 4, MM_LMS_SHA256_M24_H5);
    put32(p + 8, MM_LMOTS_SHA256_N24_W8);
    assert_int_equal(mm_lms_pub_decode(B(p, v.pub_len), 0, &info), MM_ERR_BAD_KEY);
    assert_int_equal(mm_lms_pub_decode(B(p, v.pub_len - 8), 0, &info), MM_OK);
    assert_int_equal(mm_lms_verify(ossl, B(p, v.pub_len - 8), msg, sig, 0), MM_ERR_VERIFY);
    /* The verifier instance refuses what is not an HSS-LMS public key. */
    mm_lms_verifier ver;
    mm_lms_verifier_init(&ver, ossl);
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_HSS_LMS;
    parts.x = B(v.pub, v.pub_len - 1);
    mm_key key;
    assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &key), MM_ERR_BAD_KEY);
    parts.x = B(v.pub, v.pub_len);
    parts.d = B(v.pub, 16);
    assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &key), MM_ERR_KEY_USAGE);
    parts.d = B(NULL, 0);
    parts.kty = MM_KTY_EC2;
    assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &key), MM_ERR_KEY_USAGE);
    parts.kty = MM_KTY_HSS_LMS;
    parts.alg = MM_ALG_ES256;
    assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &key), MM_ERR_KEY_USAGE);
    parts.alg = 0;
    mm_key keys[MM_LMS_VERIFIER_KEYS];
    for (size_t i = 0; i < MM_LMS_VERIFIER_KEYS; i++) {
        assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &keys[i]), MM_OK);
    }
    assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &key), MM_ERR_TOO_LARGE);
    assert_int_equal(mm_verify(keys[1].crypto, &keys[1], MM_ALG_HSS_LMS, msg, 0, sig), MM_OK);
    assert_int_equal(mm_verify(keys[1].crypto, &keys[1], MM_ALG_ES256, msg, 0, sig), MM_ERR_KEY_USAGE);
    for (size_t i = 0; i < MM_LMS_VERIFIER_KEYS; i++) {
        mm_key_free(&keys[i]);
    }
    assert_int_equal(mm_key_import(&ver.crypto, &parts, 0, &key), MM_OK);
    mm_key_free(&key);
}

/*
 * COSE (RFC 8778).
 */

static void test_cose(void **state)
{
    (void)state;
    const key_case *k = &key_cases[6];
    mm_key key;
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len;
    open_key(k, "cose", 1, &key, pub, &pub_len);
    char path[512];
    path_of("cose", path, sizeof path);
    static uint8_t msg[16384];
    static uint8_t scratch[1024];
    mm_cose_create_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = ossl;
    co.key = &key;
    co.kid = B("hss", 3);
    co.algs = mm_lms_cose_algs();
    co.scratch = scratch; /* HSS-LMS signs the Sig_structure whole */
    co.scratch_len = sizeof scratch;
    /* Sizing and a short buffer spend no one-time key. */
    mm_buf out = mm_buf_make(NULL, 0);
    assert_int_equal(mm_cose_sign1_create(&co, B("payload", 7), &out), MM_ERR_BUFFER_TOO_SMALL);
    size_t need = out.len;
    out = mm_buf_make(msg, 100);
    assert_int_equal(mm_cose_sign1_create(&co, B("payload", 7), &out), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(out.len, need);
    mm_lms_key_info info;
    assert_int_equal(mm_lms_key_file_info(path, ossl, &info), MM_OK);
    assert_int_equal(info.next, 0);
    out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign1_create(&co, B("payload", 7), &out), MM_OK);
    assert_int_equal(out.len, need);
    /* Verify with the public key from a COSE_Key, as a device would. */
    uint8_t ck[128];
    mm_buf ckb = mm_buf_make(ck, sizeof ck);
    mm_key_parts parts;
    uint8_t pbuf[MM_LMS_PUB_MAX];
    assert_int_equal(mm_key_export(&key, 0, &parts, pbuf, sizeof pbuf), MM_OK);
    assert_int_equal(mm_cose_key_encode(&parts, B("hss", 3), 0, &ckb), MM_OK);
    mm_lms_verifier ver;
    mm_lms_verifier_init(&ver, &tc.crypto);
    mm_key vk;
    assert_int_equal(mm_cose_key_import(&ver.crypto, B(ck, ckb.len), 0, &vk, NULL), MM_OK);
    mm_cose_sign1 s1;
    assert_int_equal(mm_cose_sign1_decode(B(msg, out.len), &s1, NULL), MM_OK);
    mm_cose_verify_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.crypto = &tc.crypto;
    vo.key = &vk;
    vo.algs = mm_lms_cose_algs();
    vo.scratch = scratch;
    vo.scratch_len = sizeof scratch;
    assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_OK);
    /* Without the table the algorithm is unknown; a flipped payload fails. */
    vo.algs = NULL;
    assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_ERR_UNSUPPORTED_ALG);
    vo.algs = mm_lms_cose_algs();
    msg[s1.payload.ptr - msg] ^= 1;
    assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_ERR_VERIFY);
    /* The host key type verifies too. */
    mm_key hk;
    assert_int_equal(mm_lms_public_key(ossl, B(pub, pub_len), &hk), MM_OK);
    msg[s1.payload.ptr - msg] ^= 1;
    vo.key = &hk;
    vo.crypto = ossl;
    assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_OK);
    /* An ES256 key is not an HSS-LMS key. */
    mm_key ec;
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, 0, 0, &ec), MM_OK);
    vo.key = &ec;
    assert_int_equal(mm_cose_sign1_verify(&s1, &vo), MM_ERR_ALG_MISMATCH);
    /* COSE_Sign with an ES256 and an HSS-LMS signer. */
    mm_cose_create_opts signers[2];
    memset(signers, 0, sizeof signers);
    signers[0].crypto = ossl;
    signers[0].key = &ec;
    signers[0].alg = MM_ALG_ES256;
    signers[1] = co;
    mm_cose_create_opts body;
    memset(&body, 0, sizeof body);
    out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign_create(&body, signers, 2, B("both", 4), &out), MM_OK);
    mm_cose_sign sg;
    mm_cose_signature storage[2];
    assert_int_equal(mm_cose_sign_decode(B(msg, out.len), &sg, storage, 2, NULL), MM_OK);
    vo.key = &hk;
    assert_int_equal(mm_cose_sign_verify(&sg, 1, &vo), MM_OK);
    vo.key = &ec;
    assert_int_equal(mm_cose_sign_verify(&sg, 0, &vo), MM_OK);
    assert_int_equal(mm_lms_signer_info(&key, &info), MM_OK);
    assert_int_equal(info.next, 2);
    mm_key_free(&ec);
    mm_key_free(&hk);
    mm_key_free(&vk);
    mm_key_free(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_compress),
        cmocka_unit_test(test_shake256),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_rfc8554_tc1),
        cmocka_unit_test(test_mbedtls_vectors),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_reopen_and_cache),
        cmocka_unit_test(test_exhaustion_and_state),
        cmocka_unit_test(test_bad_signatures),
        cmocka_unit_test(test_bad_public_keys),
        cmocka_unit_test(test_cose),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
