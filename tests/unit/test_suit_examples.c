/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every SUIT example manifest in ../shared/specs/suit/: the manifest
 * draft's appendix examples, the libcsuit test files (the same examples
 * re-signed with ESP256, the update-management examples U0-U3, the TEEP
 * examples) and the firmware-encryption examples. Each decodes, verifies
 * with the key its specification gives, and processes on an in-memory
 * device with the outcome the specification describes: which sequences and
 * commands ran (as a trace), what was installed where, what was invoked.
 *
 * The manifest draft's image digests are sample patterns (0011...3210 and
 * 0123...eeff) with no known preimage; the device used here measures its
 * images itself and reports those digests for two stand-in images of the
 * stated sizes (mm_memdev_claim()). The same manifests on a device that
 * hashes for real are refused at the image condition, which
 * test_example0_real_digest shows. The update-management and TEEP examples
 * carry real digests and run on real hashing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "suit_test.h"

#define VENDOR      "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
#define CLASS       "1492af1425695e48bf429b2d51f2ab45"
#define TEEP_VENDOR "c0ddd5f15243566087db4f5b0aa26c2f"
#define TEEP_CLASS  "db42f7093d8c55baa8c5265fc5820f4e"
#define DIGEST_A    "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"
#define DIGEST_B    "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff"
#define SIZE_A      34768
#define SIZE_B      76834
#define SPEC_KEY    "manifest/examples/public_key.pem"
#define CSUIT_KEY   "libcsuit-testfiles/key/trust_anchor_secp256r1_pub.pem"

static uint8_t image_a[SIZE_A];
static uint8_t image_b[SIZE_B];
static uint8_t digest_a[32];
static uint8_t digest_b[32];

static const mm_crypto *crypto(void) { return mm_crypto_openssl(); }

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < SIZE_A; i++) {
        image_a[i] = (uint8_t)(i * 7 + 1);
    }
    for (size_t i = 0; i < SIZE_B; i++) {
        image_b[i] = (uint8_t)(i * 13 + 5);
    }
    mm_test_unhex(DIGEST_A, digest_a, sizeof digest_a);
    mm_test_unhex(DIGEST_B, digest_b, sizeof digest_b);
    return 0;
}

/* A device as the manifest examples expect: their vendor and class, and
 * images A and B measured as the examples' sample digests. */
static suit_harness *spec_device(const char *key)
{
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, key);
    suit_h_ids(h, VENDOR, CLASS);
    assert_int_equal(
        mm_memdev_claim(&h->dev, mm_bytes_make(image_a, SIZE_A), MM_ALG_SHA256, mm_bytes_make(digest_a, 32)), MM_OK);
    assert_int_equal(
        mm_memdev_claim(&h->dev, mm_bytes_make(image_b, SIZE_B), MM_ALG_SHA256, mm_bytes_make(digest_b, 32)), MM_OK);
    return h;
}

/* The commands that ran, as "section.command" (with "@component" when not
 * 0, "!" when it failed, "~" when soft failure absorbed it), space-separated. */
static const char *trace(const suit_harness *h)
{
    static char out[4096];
    size_t len = 0;
    out[0] = '\0';
    size_t n = h->dev.n_events < MM_MEMDEV_MAX_EVENTS ? h->dev.n_events : MM_MEMDEV_MAX_EVENTS;
    for (size_t i = 0; i < n && len + 32 < sizeof out; i++) {
        const mm_suit_event *ev = &h->dev.events[i];
        int w = snprintf(out + len, sizeof out - len, "%s%d.%d", i == 0 ? "" : " ", ev->section, ev->command);
        len += (size_t)w;
        if (ev->component != 0) {
            len += (size_t)snprintf(out + len, sizeof out - len, "@%u", ev->component);
        }
        if (ev->result != MM_OK) {
            len += (size_t)snprintf(out + len, sizeof out - len, ev->soft ? "~" : "!");
        }
    }
    return out;
}

static mm_bytes file(const char *sub, uint8_t **keep)
{
    size_t len;
    *keep = suit_read_spec(sub, &len);
    return mm_bytes_make(*keep, len);
}

static void expect_content(const suit_harness *h, int comp, const uint8_t *want, size_t len)
{
    mm_bytes got = suit_h_content(h, comp);
    assert_int_equal(got.len, len);
    if (len != 0) {
        assert_memory_equal(got.ptr, want, len);
    }
}

static void expect_checked(suit_harness *h, mm_bytes env, int32_t alg, uint64_t seq)
{
    assert_int_equal(suit_h_check(h, env), MM_OK);
    const mm_suit_auth *a = mm_suit_processor_auth(&h->p);
    assert_non_null(a);
    assert_int_equal(a->alg, alg);
    assert_int_equal(a->n_verified, 1);
    assert_int_equal(mm_suit_processor_manifest(&h->p)->sequence, seq);
    assert_int_equal(h->report_buf[0] >> 5, 5); /* a report (a map) was written */
}

/* The shared sequence every single-component example starts with. */
#define SHARED "3.20 3.1 3.2"

/*
 * Example 0: secure boot (validate, invoke).
 */
static void secure_boot(const char *path, const char *key, int32_t alg)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = spec_device(key);
    int c = suit_h_component(h, "[h'00']");
    assert_int_equal(mm_memdev_set_content(&h->dev, c, mm_bytes_make(image_a, SIZE_A)), MM_OK);
    expect_checked(h, env, alg, 0);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE), MM_OK);
    assert_string_equal(trace(h), SHARED " 7.3 " SHARED " 9.23");
    assert_int_equal(h->dev.comps[c].invoked, 1);
    assert_int_equal(h->dev.comps[c].writes, 0);
    uint64_t seq;
    assert_true(mm_memdev_get_counter(&h->dev, mm_bytes_make(NULL, 0), &seq) && seq == 0);
    printf("  %s: %s verified; validate: image matches, invoke: component 0\n", path,
           alg == MM_ALG_ES256 ? "ES256" : "ESP256");
    suit_h_free(h);
    free(keep);
}

static void test_example0(void **state)
{
    (void)state;
    secure_boot("manifest/examples/example0.suit", SPEC_KEY, MM_ALG_ES256);
}

static void test_csuit_exp0(void **state)
{
    (void)state;
    secure_boot("libcsuit-testfiles/suit_manifest_exp0.suit", CSUIT_KEY, MM_ALG_ESP256);
}

/* The same manifest on a device that hashes its image for real: the
 * sample digest cannot match, and the report says where. */
static void test_example0_real_digest(void **state)
{
    (void)state;
    uint8_t *keep;
    mm_bytes env = file("manifest/examples/example0.suit", &keep);
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, SPEC_KEY);
    suit_h_ids(h, VENDOR, CLASS);
    int c = suit_h_component(h, "[h'00']");
    assert_int_equal(mm_memdev_set_content(&h->dev, c, mm_bytes_make(image_a, SIZE_A)), MM_OK);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_INVOKE), MM_ERR_CONDITION);
    const mm_suit_failure *f = mm_suit_processor_failure(&h->p);
    assert_int_equal(f->reason, MM_SUIT_REASON_CONDITION_FAILED);
    assert_int_equal(f->section, MM_SUIT_SECTION_VALIDATE);
    assert_int_equal(f->command, MM_SUIT_CMD_IMAGE_MATCH);
    assert_int_equal(f->offset, 1); /* after the array head */
    assert_string_equal(trace(h), SHARED " 7.3!");
    assert_int_equal(h->dev.comps[c].invoked, 0);
    suit_h_free(h);
    free(keep);
}

/*
 * Example 1: download and install (install: fetch, image match; validate).
 */
static void download(const char *path, const char *key, int32_t alg)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = spec_device(key);
    int c = suit_h_component(h, "[h'00']");
    assert_int_equal(
        mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/file.bin"), mm_bytes_make(image_a, SIZE_A)), MM_OK);
    expect_checked(h, env, alg, 1);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    assert_string_equal(trace(h), SHARED " 20.20 20.21 20.3 " SHARED " 7.3");
    expect_content(h, c, image_a, SIZE_A);
    assert_int_equal(h->dev.commits, 1);
    uint64_t seq;
    assert_true(mm_memdev_get_counter(&h->dev, mm_bytes_make(NULL, 0), &seq) && seq == 1);
    /* The same manifest again is not newer. */
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_ERR_ROLLBACK);
    printf("  %s: %s verified; install: fetched and installed image A in component 0\n", path,
           alg == MM_ALG_ES256 ? "ES256" : "ESP256");
    suit_h_free(h);
    free(keep);
}

static void test_example1(void **state)
{
    (void)state;
    download("manifest/examples/example1.suit", SPEC_KEY, MM_ALG_ES256);
}

static void test_csuit_exp1(void **state)
{
    (void)state;
    download("libcsuit-testfiles/suit_manifest_exp1.suit", CSUIT_KEY, MM_ALG_ESP256);
}

/*
 * Example 2: severable install and text. Stripped: only validate and
 * invoke run. With the members in the envelope: install runs too, and the
 * text is there.
 */
static void severed(const char *path, const char *key, int32_t alg)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = spec_device(key);
    int c = suit_h_component(h, "[h'00']");
    assert_int_equal(mm_memdev_set_content(&h->dev, c, mm_bytes_make(image_a, SIZE_A)), MM_OK);
    expect_checked(h, env, alg, 2);
    const mm_suit_manifest *m = mm_suit_processor_manifest(&h->p);
    assert_int_equal(m->members[MM_SUIT_M_INSTALL].state, MM_SUIT_SEVERED);
    assert_int_equal(m->members[MM_SUIT_M_TEXT].state, MM_SUIT_SEVERED);
    assert_memory_equal(m->reference_uri.ptr, "https://git.io/JJYoj", m->reference_uri.len);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE), MM_OK);
    assert_string_equal(trace(h), SHARED " 7.3 " SHARED " 9.23");
    assert_int_equal(h->dev.comps[c].invoked, 1);
    printf("  %s: %s verified; install and text severed (skipped); validate, invoke\n", path,
           alg == MM_ALG_ES256 ? "ES256" : "ESP256");
    suit_h_free(h);
    free(keep);
}

static void restored(const char *path, const char *key, int32_t alg)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = spec_device(key);
    int c = suit_h_component(h, "[h'00']");
    assert_int_equal(mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/very/long/path/to/file/file.bin"),
                                       mm_bytes_make(image_a, SIZE_A)),
                     MM_OK);
    expect_checked(h, env, alg, 2);
    const mm_suit_manifest *m = mm_suit_processor_manifest(&h->p);
    assert_int_equal(m->members[MM_SUIT_M_INSTALL].state, MM_SUIT_RESTORED);
    assert_int_equal(m->members[MM_SUIT_M_TEXT].state, MM_SUIT_RESTORED);
    mm_bytes text;
    assert_int_equal(mm_suit_text_find(m, MM_BYTES_LIT("en-US"), -1, 1, &text), MM_OK);
    assert_true(text.len > 12 && memcmp(text.ptr, "## Example 2", 12) == 0);
    assert_int_equal(mm_suit_text_find(m, mm_bytes_make(NULL, 0), 0, 3, &text), MM_OK);
    assert_true(mm_bytes_equal(text, MM_BYTES_LIT("arm.com")));
    assert_int_equal(mm_suit_text_find(m, mm_bytes_make(NULL, 0), 0, 5, &text), MM_OK);
    assert_true(text.len > 9 && memcmp(text.ptr, "This comp", 9) == 0);
    assert_int_equal(mm_suit_text_find(m, mm_bytes_make(NULL, 0), 0, 6, &text), MM_ERR_MISSING_FIELD);
    assert_int_equal(mm_suit_text_find(m, MM_BYTES_LIT("fr"), -1, 1, &text), MM_ERR_MISSING_FIELD);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE), MM_OK);
    assert_string_equal(trace(h), SHARED " 20.20 20.21 20.3 " SHARED " 7.3 " SHARED " 9.23");
    expect_content(h, c, image_a, SIZE_A);
    assert_int_equal(h->dev.comps[c].invoked, 1);
    printf("  %s: %s verified; install and text in the envelope, digests checked; fetched, validated, invoked\n", path,
           alg == MM_ALG_ES256 ? "ES256" : "ESP256");
    suit_h_free(h);
    free(keep);
}

static void test_example2(void **state)
{
    (void)state;
    severed("manifest/examples/example2.suit", SPEC_KEY, MM_ALG_ES256);
}

static void test_example2_severable(void **state)
{
    (void)state;
    restored("manifest/examples/example2-severable.suit", SPEC_KEY, MM_ALG_ES256);
}

static void test_csuit_exp2a(void **state)
{
    (void)state;
    severed("libcsuit-testfiles/suit_manifest_exp2A.suit", CSUIT_KEY, MM_ALG_ESP256);
}

static void test_csuit_exp2b(void **state)
{
    (void)state;
    restored("libcsuit-testfiles/suit_manifest_exp2B.suit", CSUIT_KEY, MM_ALG_ESP256);
}

/*
 * Example 4: payload fetch into [h'02'], install by copy into [h'00'],
 * validate; then load: copy [h'00'] into RAM ([h'01']) and check it. The
 * example's load image is 76834 bytes with its own digest, while a copy
 * can only produce the 34768 bytes of the installed image: the load's
 * image condition fails there, after the update was installed, and the
 * RAM candidate is dropped.
 */
static void load_external(const char *path, const char *key, int32_t alg)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = spec_device(key);
    int c0 = suit_h_component(h, "[h'00']");
    int c1 = suit_h_component(h, "[h'02']");
    int c2 = suit_h_component(h, "[h'01']");
    assert_int_equal(
        mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/file.bin"), mm_bytes_make(image_a, SIZE_A)), MM_OK);
    expect_checked(h, env, alg, 4);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE), MM_ERR_CONDITION);
    assert_string_equal(trace(h), "3.12 3.20 3.1 3.2 16.12@1 16.20@1 16.21@1 16.3@1 "
                                  "3.12 3.20 3.1 3.2 20.12 20.20 20.22 20.3 "
                                  "3.12 3.20 3.1 3.2 7.12 7.3 "
                                  "3.12 3.20 3.1 3.2 8.12@2 8.20@2 8.22@2 8.3@2!");
    const mm_suit_failure *f = mm_suit_processor_failure(&h->p);
    assert_int_equal(f->section, MM_SUIT_SECTION_LOAD);
    assert_int_equal(f->component, 2);
    assert_int_equal(f->command, MM_SUIT_CMD_IMAGE_MATCH);
    expect_content(h, c0, image_a, SIZE_A);
    expect_content(h, c1, image_a, SIZE_A);
    expect_content(h, c2, NULL, 0);
    assert_int_equal(h->dev.commits, 1);
    assert_int_equal(h->dev.discards, 1);
    printf("  %s: %s verified; fetched into [h'02'], copied to [h'00'], validated, installed; load refused: "
           "the RAM copy cannot be the 76834-byte image the example names\n",
           path, alg == MM_ALG_ES256 ? "ES256" : "ESP256");
    suit_h_free(h);
    free(keep);
}

static void test_example4(void **state)
{
    (void)state;
    load_external("manifest/examples/example4.suit", SPEC_KEY, MM_ALG_ES256);
}

static void test_csuit_exp4(void **state)
{
    (void)state;
    load_external("libcsuit-testfiles/suit_manifest_exp4.suit", CSUIT_KEY, MM_ALG_ESP256);
}

/*
 * Example 5: two images, fetched and checked, both validated, the first
 * invoked.
 */
static void two_images(const char *path, const char *key, int32_t alg)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = spec_device(key);
    int c0 = suit_h_component(h, "[h'00']");
    int c1 = suit_h_component(h, "[h'01']");
    assert_int_equal(
        mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/file1.bin"), mm_bytes_make(image_a, SIZE_A)),
        MM_OK);
    assert_int_equal(
        mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/file2.bin"), mm_bytes_make(image_b, SIZE_B)),
        MM_OK);
    expect_checked(h, env, alg, 5);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE), MM_OK);
    const char *shared = "3.12 3.20 3.1 3.2 3.12@1 3.20@1 ";
    char want[512];
    snprintf(want, sizeof want,
             "%s20.12 20.20 20.21 20.3 20.12@1 20.20@1 20.21@1 20.3@1 %s7.12 7.3 7.12@1 7.3@1 %s9.12 9.23", shared,
             shared, shared);
    assert_string_equal(trace(h), want);
    expect_content(h, c0, image_a, SIZE_A);
    expect_content(h, c1, image_b, SIZE_B);
    assert_int_equal(h->dev.comps[c0].invoked, 1);
    assert_int_equal(h->dev.comps[c1].invoked, 0);
    printf("  %s: %s verified; two images fetched and validated, component 0 invoked\n", path,
           alg == MM_ALG_ES256 ? "ES256" : "ESP256");
    suit_h_free(h);
    free(keep);
}

static void test_example5(void **state)
{
    (void)state;
    two_images("manifest/examples/example5.suit", SPEC_KEY, MM_ALG_ES256);
}

static void test_csuit_exp5(void **state)
{
    (void)state;
    two_images("libcsuit-testfiles/suit_manifest_exp5.suit", CSUIT_KEY, MM_ALG_ESP256);
}

/*
 * Update management (libcsuit U0-U3).
 */

/* 2023-01-01T00:00:00Z, and 2016-01-01T00:00:00Z */
#define T_2023 1672531200u
#define T_2016 1451606400u

static void test_csuit_u0_copy_params(void **state)
{
    (void)state;
    uint8_t *keep;
    mm_bytes env = file("libcsuit-testfiles/suit_manifest_expU0.suit", &keep);
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, CSUIT_KEY);
    int c0 = suit_h_component(h, "[h'00']");
    int c1 = suit_h_component(h, "[h'01']");
    h->dev.has_clock = h->dev.has_battery = h->dev.has_authorize = true;
    h->dev.now = T_2023;
    h->dev.battery = 50;
    h->dev.max_priority = 0;
    h->dev.comps[c0].version[0] = 1;
    h->dev.comps[c0].n_version = 2; /* 1.0 <= [1, 0] */
    h->dev.comps[c1].version[0] = 1;
    h->dev.comps[c1].version[2] = 1;
    h->dev.comps[c1].n_version = 3; /* 1.0.1 < [1, 0, 2] */
    expect_checked(h, env, MM_ALG_ESP256, 0);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    /* Both components get the conditions through run-sequence over index
     * true; component 1's use-before, battery and priority come from 0. */
    assert_string_equal(trace(h), "20.12 20.20 20.12@1 20.35@1 20.20@1 20.12 20.4 20.26 20.28 20.27 20.32 "
                                  "20.4@1 20.26@1 20.28@1 20.27@1 20.32@1");
    assert_int_equal(h->p.params[1].minimum_battery, 10);
    assert_int_equal(h->p.params[1].priority, -1);
    /* Too little battery: refused at the battery condition, component 0. */
    h->dev.battery = 5;
    h->dev.n_events = 0;
    assert_int_equal(mm_memdev_set_counter(&h->dev, mm_bytes_make(NULL, 0), 0), MM_OK);
    mm_memdev_counter *k = &h->dev.counters[0];
    k->used = false; /* a fresh device again */
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_ERR_CONDITION);
    assert_int_equal(mm_suit_processor_failure(&h->p)->command, MM_SUIT_CMD_MINIMUM_BATTERY);
    /* A newer component version than allowed. */
    h->dev.battery = 50;
    h->dev.comps[c1].version[2] = 2;
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_ERR_CONDITION);
    assert_int_equal(mm_suit_processor_failure(&h->p)->command, MM_SUIT_CMD_VERSION);
    assert_int_equal(mm_suit_processor_failure(&h->p)->component, 1);
    printf("  U0: ESP256 verified; copy-params from [h'00'] to [h'01'], use-before, battery, version and "
           "authorisation hold for both (and refuse when the battery or a version does not)\n");
    suit_h_free(h);
    free(keep);
}

static void test_csuit_u1_override_multiple(void **state)
{
    (void)state;
    uint8_t *keep;
    mm_bytes env = file("libcsuit-testfiles/suit_manifest_expU1.suit", &keep);
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, CSUIT_KEY);
    suit_h_component(h, "[h'00']");
    suit_h_component(h, "[h'01']");
    h->dev.has_clock = h->dev.has_authorize = h->dev.has_local_time = true;
    h->dev.max_priority = 0;
    h->dev.power = 10;
    h->dev.now = T_2023 + 23 * 3600 + 1800; /* 23:30 */
    expect_checked(h, env, MM_ALG_ESP256, 0);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    assert_string_equal(trace(h), "20.34 20.34@1 20.12 20.29 20.29@1");
    /* At noon the second component's wait (until 23:00) does not hold. */
    h->dev.now = T_2023 + 12 * 3600;
    h->dev.counters[0].used = false;
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_ERR_CONDITION);
    assert_int_equal(mm_suit_processor_failure(&h->p)->command, MM_SUIT_CMD_WAIT);
    assert_int_equal(mm_suit_processor_failure(&h->p)->component, 1);
    printf("  U1: ESP256 verified; override-multiple sets wait-info of both components; waits for authorisation, "
           "power, 23:00 hold (and refuse at noon)\n");
    suit_h_free(h);
    free(keep);
}

static void test_csuit_u2_wait_conditions(void **state)
{
    (void)state;
    uint8_t *keep;
    uint8_t *raw;
    mm_bytes env = file("libcsuit-testfiles/suit_manifest_expU2.suit", &keep);
    mm_bytes image = file("libcsuit-testfiles/raw_image.bin", &raw);
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, CSUIT_KEY);
    suit_h_ids(h, VENDOR, CLASS);
    int c = suit_h_component(h, "[h'00']");
    h->dev.has_clock = h->dev.has_battery = h->dev.has_authorize = true;
    h->dev.now = T_2016;
    h->dev.battery = 100;
    h->dev.power = 1;
    h->dev.comps[c].version[1] = 9;
    h->dev.comps[c].n_version = 2; /* 0.9 < [1, 0, 0] */
    assert_int_equal(mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/file.bin"), image), MM_OK);
    expect_checked(h, env, MM_ALG_ES256, 0);
    const mm_suit_manifest *m = mm_suit_processor_manifest(&h->p);
    assert_int_equal(m->members[MM_SUIT_M_COSWID].state, MM_SUIT_RESTORED);
    assert_true(m->set_version.len != 0);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    assert_string_equal(trace(h), "3.20 3.28 3.1 3.2 16.20 16.29 16.26 16.21 16.3 3.20 3.28 3.1 3.2 7.20 7.3 7.4");
    expect_content(h, c, image.ptr, image.len);
    /* Today the manifest's use-before (2016-06-14) has passed: refused at
     * validate, and the fetched image is not installed. */
    suit_harness *late = suit_h_new(crypto());
    suit_h_anchor_pem(late, CSUIT_KEY);
    suit_h_ids(late, VENDOR, CLASS);
    c = suit_h_component(late, "[h'00']");
    late->dev.has_clock = late->dev.has_battery = late->dev.has_authorize = true;
    late->dev.now = 1767225600u; /* 2026-01-01 */
    late->dev.battery = 100;
    late->dev.power = 1;
    late->dev.comps[c].n_version = 2;
    assert_int_equal(mm_memdev_add_uri(&late->dev, MM_BYTES_LIT("http://example.com/file.bin"), image), MM_OK);
    assert_int_equal(suit_h_process(late, env, MM_SUIT_PROC_UPDATE), MM_ERR_CONDITION);
    assert_int_equal(mm_suit_processor_failure(&late->p)->command, MM_SUIT_CMD_USE_BEFORE);
    assert_int_equal(mm_suit_processor_failure(&late->p)->section, MM_SUIT_SECTION_VALIDATE);
    expect_content(late, c, NULL, 0);
    assert_int_equal(late->dev.discards, 1);
    printf("  U2: ES256 verified; version, wait (power), battery, fetch, real image digest, use-before hold on "
           "2016-01-01; refused at use-before today, nothing installed\n");
    suit_h_free(late);
    suit_h_free(h);
    free(raw);
    free(keep);
}

static void test_csuit_u3_metadata(void **state)
{
    (void)state;
    uint8_t *keep;
    uint8_t *raw;
    mm_bytes env = file("libcsuit-testfiles/suit_manifest_expU3.suit", &keep);
    mm_bytes image = file("libcsuit-testfiles/raw_image.bin", &raw);
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, CSUIT_KEY);
    int link = suit_h_component(h, "['usr', 'bin', 'example']");
    int dir = suit_h_component(h, "['usr', 'local', 'bin']");
    int exe = suit_h_component(h, "['usr', 'local', 'bin', 'example3']");
    assert_int_equal(mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("https://cdn.example/example3.bin"), image), MM_OK);
    expect_checked(h, env, MM_ALG_ES256, 0);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    assert_string_equal(trace(h), "3.12 3.20 3.20@1 3.20@2 16.12@1 16.20@1 16.18@1 16.12@2 16.20@2 16.21@2 16.3@2 "
                                  "3.12 3.20 3.20@1 3.20@2 20.12 20.20 20.18");
    assert_true(h->dev.comps[dir].exists && h->dev.comps[dir].len == 0);
    assert_true(h->dev.comps[dir].metadata.len != 0);
    expect_content(h, exe, image.ptr, image.len);
    expect_content(h, link, (const uint8_t *)"/usr/local/bin/example3", 23);
    printf("  U3: ES256 verified; directory written with its metadata, image fetched and checked, symlink "
           "target written\n");
    suit_h_free(h);
    free(raw);
    free(keep);
}

/*
 * TEEP examples (libcsuit I, U, D).
 */
static suit_harness *teep_device(void)
{
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_pem(h, CSUIT_KEY);
    suit_h_ids(h, TEEP_VENDOR, TEEP_CLASS);
    suit_h_component(h, "['TEEP-Device', 'SecureFS', h'8D82573A926D4754935332DC29997F74', 'ta']");
    return h;
}

static void test_csuit_i_integrated(void **state)
{
    (void)state;
    uint8_t *keep;
    mm_bytes env = file("libcsuit-testfiles/suit_manifest_expI.suit", &keep);
    suit_harness *h = teep_device();
    expect_checked(h, env, MM_ALG_ESP256, 3);
    const mm_suit_manifest *m = mm_suit_processor_manifest(&h->p);
    assert_true(m->component_id.len != 0);
    assert_int_equal(mm_suit_processor_envelope(&h->p)->n_integrated, 1);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    assert_string_equal(trace(h), SHARED " 20.20 20.21 20.3");
    expect_content(h, 0, (const uint8_t *)"Hello, Secure World!", 20);
    uint64_t seq;
    assert_true(mm_memdev_get_counter(&h->dev, m->component_id, &seq) && seq == 3);
    assert_false(mm_memdev_get_counter(&h->dev, mm_bytes_make(NULL, 0), &seq));
    printf("  I: ESP256 verified; the integrated payload \"#tc\" installed; sequence number stored under the "
           "manifest's component id\n");
    suit_h_free(h);
    free(keep);
}

static void test_csuit_u_fetch(void **state)
{
    (void)state;
    uint8_t *keep;
    uint8_t *ta;
    mm_bytes env = file("libcsuit-testfiles/suit_manifest_expU.suit", &keep);
    mm_bytes image = file("libcsuit-testfiles/8d82573a-926d-4754-9353-32dc29997f74.ta", &ta);
    suit_harness *h = teep_device();
    assert_int_equal(
        mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta"), image),
        MM_OK);
    expect_checked(h, env, MM_ALG_ESP256, 3);
    assert_int_equal(suit_h_process(h, env, MM_SUIT_PROC_UPDATE), MM_OK);
    assert_string_equal(trace(h), SHARED " 20.20 20.21 20.3");
    expect_content(h, 0, image.ptr, image.len);
    printf("  U (TEEP): ESP256 verified; the TA fetched from its URI and installed\n");
    suit_h_free(h);
    free(ta);
    free(keep);
}

/* Verifies, then refuses cleanly what later issues bring. */
static void refused_later(const char *path, const char *key_pem, bool hmac, mm_err want, uint8_t reason, int64_t detail,
                          const char *why)
{
    uint8_t *keep;
    mm_bytes env = file(path, &keep);
    suit_harness *h = suit_h_new(crypto());
    if (hmac) {
        uint8_t k[32];
        memset(k, 'a', sizeof k);
        suit_h_anchor_hmac(h, mm_bytes_make(k, sizeof k));
    } else {
        suit_h_anchor_pem(h, key_pem);
    }
    assert_int_equal(suit_h_check(h, env), want);
    assert_int_equal(h->p.auth.n_verified, 1); /* authentic */
    const mm_suit_failure *f = mm_suit_processor_failure(&h->p);
    assert_int_equal(f->reason, reason);
    assert_int_equal(f->detail, detail);
    assert_int_equal(h->report_buf[0] >> 5, 5);
    printf("  %s: %s verified; refused before anything ran: %s (%s)\n", path, hmac ? "HMAC 256" : "signature",
           mm_suit_reason_name(reason), why);
    suit_h_free(h);
    free(keep);
}

static void test_csuit_d_dependency(void **state)
{
    (void)state;
    refused_later("libcsuit-testfiles/suit_manifest_expD.suit", CSUIT_KEY, false, MM_ERR_UNSUPPORTED,
                  MM_SUIT_REASON_COMPONENT_UNSUPPORTED, MM_SUIT_SECTION_COMMON, "dependencies: trust domains");
}

static void test_csuit_encrypted(void **state)
{
    (void)state;
    refused_later("libcsuit-testfiles/suit_manifest_expAW.suit", NULL, true, MM_ERR_UNSUPPORTED,
                  MM_SUIT_REASON_PARAMETER_UNSUPPORTED, 19, "encryption-info: firmware encryption");
    refused_later("libcsuit-testfiles/suit_manifest_expAF.suit", NULL, true, MM_ERR_UNSUPPORTED,
                  MM_SUIT_REASON_PARAMETER_UNSUPPORTED, 19, "encryption-info: firmware encryption");
    refused_later("libcsuit-testfiles/suit_manifest_expEW.suit", CSUIT_KEY, false, MM_ERR_UNSUPPORTED,
                  MM_SUIT_REASON_PARAMETER_UNSUPPORTED, 19, "encryption-info: firmware encryption");
}

static void test_encryption_examples(void **state)
{
    (void)state;
    refused_later("firmware-encryption/examples/suit-manifest-aes-kw.suit", NULL, true, MM_ERR_UNSUPPORTED,
                  MM_SUIT_REASON_PARAMETER_UNSUPPORTED, 19, "encryption-info: firmware encryption");
    refused_later("firmware-encryption/examples/suit-manifest-aes-kw-content.suit", NULL, true, MM_ERR_UNSUPPORTED,
                  MM_SUIT_REASON_PARAMETER_UNSUPPORTED, 19, "encryption-info: firmware encryption");
    refused_later("firmware-encryption/examples/suit-manifest-es-ecdh-content.suit", SPEC_KEY, false,
                  MM_ERR_UNSUPPORTED, MM_SUIT_REASON_PARAMETER_UNSUPPORTED, 19, "encryption-info: firmware encryption");
}

/* Every example decodes with the public decoder alone, and is refused with
 * a key it was not signed with. */
static void test_all_decode_and_refuse_other_key(void **state)
{
    (void)state;
    static const char *const all[] = {
        "manifest/examples/example0.suit",
        "manifest/examples/example1.suit",
        "manifest/examples/example2.suit",
        "manifest/examples/example2-severable.suit",
        "manifest/examples/example4.suit",
        "manifest/examples/example5.suit",
        "libcsuit-testfiles/suit_manifest_exp0.suit",
        "libcsuit-testfiles/suit_manifest_exp1.suit",
        "libcsuit-testfiles/suit_manifest_exp2A.suit",
        "libcsuit-testfiles/suit_manifest_exp2B.suit",
        "libcsuit-testfiles/suit_manifest_exp4.suit",
        "libcsuit-testfiles/suit_manifest_exp5.suit",
        "libcsuit-testfiles/suit_manifest_expU0.suit",
        "libcsuit-testfiles/suit_manifest_expU1.suit",
        "libcsuit-testfiles/suit_manifest_expU2.suit",
        "libcsuit-testfiles/suit_manifest_expU3.suit",
        "libcsuit-testfiles/suit_manifest_expI.suit",
        "libcsuit-testfiles/suit_manifest_expU.suit",
        "libcsuit-testfiles/suit_manifest_expD.suit",
        "libcsuit-testfiles/suit_manifest_expEW.suit",
    };
    mm_key other;
    memset(&other, 0, sizeof other);
    assert_int_equal(mm_key_generate(crypto(), MM_KTY_EC2, MM_CRV_P256, 0, 0, &other), MM_OK);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        uint8_t *keep;
        mm_bytes env = file(all[i], &keep);
        mm_suit_envelope e;
        size_t off;
        assert_int_equal(mm_suit_envelope_decode(env, &e, &off), MM_OK);
        suit_harness *h = suit_h_new(crypto());
        suit_h_anchor_key(h, &other);
        mm_err got = suit_h_check(h, env);
        if (got != MM_ERR_VERIFY) {
            fail_msg("%s with another key: %s", all[i], mm_errname(got));
        }
        assert_int_equal(mm_suit_processor_failure(&h->p)->reason, MM_SUIT_REASON_UNAUTHORISED);
        suit_h_free(h);
        free(keep);
    }
    mm_key_free(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example0),
        cmocka_unit_test(test_example0_real_digest),
        cmocka_unit_test(test_example1),
        cmocka_unit_test(test_example2),
        cmocka_unit_test(test_example2_severable),
        cmocka_unit_test(test_example4),
        cmocka_unit_test(test_example5),
        cmocka_unit_test(test_csuit_exp0),
        cmocka_unit_test(test_csuit_exp1),
        cmocka_unit_test(test_csuit_exp2a),
        cmocka_unit_test(test_csuit_exp2b),
        cmocka_unit_test(test_csuit_exp4),
        cmocka_unit_test(test_csuit_exp5),
        cmocka_unit_test(test_csuit_u0_copy_params),
        cmocka_unit_test(test_csuit_u1_override_multiple),
        cmocka_unit_test(test_csuit_u2_wait_conditions),
        cmocka_unit_test(test_csuit_u3_metadata),
        cmocka_unit_test(test_csuit_i_integrated),
        cmocka_unit_test(test_csuit_u_fetch),
        cmocka_unit_test(test_csuit_d_dependency),
        cmocka_unit_test(test_csuit_encrypted),
        cmocka_unit_test(test_encryption_examples),
        cmocka_unit_test(test_all_decode_and_refuse_other_key),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
