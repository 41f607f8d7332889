/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The catalogue of refusals: manifests signed here (from diagnostic
 * notation) that the processor must refuse, each for its own reason and at
 * its own place, with nothing written to any component and a report that
 * says why. Beside each, the accepted neighbour where one makes the point
 * (a stripped severable member is fine, a tampered one never).
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "mamori/lms_signer.h"
#include "mamori/suit_names.h"
#include "suit/processor.h"
#include "suit_test.h"

#define VENDOR "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
#define CLASS  "1492af1425695e48bf429b2d51f2ab45"
#define URI    "http://example.com/fw.bin"

static const uint8_t firmware[] = "firmware 5.0 for the catalogue";
static const uint8_t installed[] = "firmware 4.0, installed";
static mm_key signer;
static char digest_edn[160];

static const mm_crypto *crypto(void) { return mm_crypto_openssl(); }

/* The first occurrence of needle[0..n) in hay[0..len), or NULL. */
static uint8_t *find(uint8_t *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    memset(&signer, 0, sizeof signer);
    if (mm_key_generate(crypto(), MM_KTY_EC2, MM_CRV_P256, 0, 0, &signer) != MM_OK) {
        return -1;
    }
    suit_fixture_digest(crypto(), mm_bytes_make(firmware, sizeof firmware - 1), digest_edn, sizeof digest_edn);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mm_key_free(&signer);
    return 0;
}

/* The shared sequence of most cases: identity, digest and size of the
 * firmware. */
static const char *shared(void)
{
    static char s[512];
    snprintf(s, sizeof s, "<< [20, {1: h'" VENDOR "', 2: h'" CLASS "', 3: << %s >>, 14: %zu}, 1, 15, 2, 15] >>",
             digest_edn, sizeof firmware - 1);
    return s;
}

/* A manifest with sequence number seq, the shared sequence above and the
 * given members (EDN, after common). */
static uint8_t *envelope_by(const mm_key *key, int32_t alg, uint64_t seq, const char *members, const char *extra,
                            size_t *len)
{
    char edn[16384];
    snprintf(edn, sizeof edn, "{1: 1, 2: %llu, 3: << {2: [[h'00']], 4: %s} >>%s%s}", (unsigned long long)seq, shared(),
             members[0] != '\0' ? ", " : "", members);
    return suit_fixture(crypto(), key, alg, edn, extra, len);
}

static uint8_t *envelope(uint64_t seq, const char *members, const char *extra, size_t *len)
{
    return envelope_by(&signer, MM_ALG_ES256, seq, members, extra, len);
}

/* A device trusting anchor, with the given vendor and class identifiers and
 * one component holding the installed firmware. */
static suit_harness *device_with(const mm_key *anchor, const char *vendor_hex, const char *class_hex)
{
    suit_harness *h = suit_h_new(crypto());
    suit_h_anchor_key(h, anchor);
    suit_h_ids(h, vendor_hex, class_hex);
    int c = suit_h_component(h, "[h'00']");
    assert_int_equal(mm_memdev_set_content(&h->dev, c, mm_bytes_make(installed, sizeof installed - 1)), MM_OK);
    return h;
}

/* The device: one component holding the installed firmware, the URI of the
 * new one, the vendor and class of the manifests here. */
static suit_harness *device(void)
{
    suit_harness *h = device_with(&signer, VENDOR, CLASS);
    assert_int_equal(mm_memdev_add_uri(&h->dev, MM_BYTES_LIT(URI), mm_bytes_make(firmware, sizeof firmware - 1)),
                     MM_OK);
    h->dev.no_view = true; /* here images are read in chunks, as from flash */
    return h;
}

/* The standard install: fetch, image match; validate: image match. */
#define INSTALL  "20: << [20, {21: \"" URI "\"}, 21, 2, 3, 15] >>"
#define VALIDATE "7: << [3, 15] >>"

/* Runs env on h (update) and checks the refusal: the error, the reason,
 * the command and section where it happened, nothing installed, and a
 * report whose result names the same reason. */
static void expect_refused(suit_harness *h, const uint8_t *env, size_t len, mm_err err, mm_suit_reason reason,
                           int32_t section, int32_t command, const char *what)
{
    uint64_t before = 0;
    bool had = mm_memdev_get_counter(&h->dev, mm_bytes_make(NULL, 0), &before);
    mm_err got = suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE);
    const mm_suit_failure *f = mm_suit_processor_failure(&h->p);
    if (got != err || f->reason != reason || f->section != section || f->command != command) {
        fail_msg("%s: got %s, reason %s, section %d, command %d; want %s, %s, %d, %d", what, mm_errname(got),
                 mm_suit_reason_name(f->reason), f->section, f->command, mm_errname(err), mm_suit_reason_name(reason),
                 section, command);
    }
    /* Nothing written: the installed firmware is still there, nothing was
     * committed, nothing is staged. */
    mm_bytes now = suit_h_content(h, 0);
    assert_true(mm_bytes_equal(now, mm_bytes_make(installed, sizeof installed - 1)));
    assert_int_equal(h->dev.commits, 0);
    assert_false(h->dev.comps[0].staged);
    assert_int_equal(h->dev.comps[0].invoked, 0);
    uint64_t seq = 0;
    assert_int_equal(mm_memdev_get_counter(&h->dev, mm_bytes_make(NULL, 0), &seq), had);
    assert_int_equal(seq, before); /* the sequence number is stored only after an install */
    /* The report: {..., 4: {5: code, 6: record, 7: reason}, ...}. */
    mm_cbor_dec d;
    size_t n;
    assert_int_equal(h->p.report_err, MM_OK);
    assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(h->report.ptr, h->report.len), MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        uint64_t key;
        assert_int_equal(mm_cbor_get_uint(&d, &key), MM_OK);
        if (key != MM_SUIT_REPORT_RESULT) {
            assert_int_equal(mm_cbor_skip(&d), MM_OK);
            continue;
        }
        size_t m;
        assert_int_equal(mm_cbor_enter_map(&d, &m), MM_OK);
        assert_int_equal(m, 3);
        uint64_t k;
        int64_t code;
        uint64_t r;
        assert_int_equal(mm_cbor_get_uint(&d, &k), MM_OK);
        assert_int_equal(mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &code), MM_OK);
        assert_int_equal(code, err);
        assert_int_equal(mm_cbor_get_uint(&d, &k), MM_OK);
        assert_int_equal(mm_cbor_skip(&d), MM_OK);
        assert_int_equal(mm_cbor_get_uint(&d, &k), MM_OK);
        assert_int_equal(mm_cbor_get_uint(&d, &r), MM_OK);
        assert_int_equal(r, reason);
        assert_int_equal(mm_cbor_exit(&d), MM_OK);
        found = true;
    }
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
    assert_true(found);
    printf("  %-40s %-16s %-22s section %2d command %2d offset %u\n", what, mm_errname(got),
           mm_suit_reason_name(f->reason), f->section, f->command, f->offset);
}

/* env (a heap buffer, freed here) is refused on the standard device. */
static void refuse_on_device(uint8_t *env, size_t len, mm_err err, mm_suit_reason reason, int32_t section,
                             int32_t command, const char *what)
{
    suit_harness *h = device();
    expect_refused(h, env, len, err, reason, section, command, what);
    suit_h_free(h);
    free(env);
}

static void run_case(const char *members, const char *extra, mm_err err, mm_suit_reason reason, int32_t section,
                     int32_t command, const char *what)
{
    size_t len;
    uint8_t *env = envelope(5, members, extra, &len);
    refuse_on_device(env, len, err, reason, section, command, what);
}

/* The manifest with members (and extra envelope members) is accepted for
 * update on the standard device. */
static void run_accepted(const char *members, const char *extra)
{
    size_t len;
    uint8_t *env = envelope(5, members, extra, &len);
    suit_harness *h = device();
    assert_int_equal(suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE), MM_OK);
    suit_h_free(h);
    free(env);
}

/* The neighbour that works: the same device installs the standard
 * manifest. */
static void test_accepted(void **state)
{
    (void)state;
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    suit_harness *h = device();
    assert_int_equal(suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE), MM_OK);
    assert_true(mm_bytes_equal(suit_h_content(h, 0), mm_bytes_make(firmware, sizeof firmware - 1)));
    suit_h_free(h);
    free(env);
}

static void test_wrong_key(void **state)
{
    (void)state;
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    mm_key other;
    memset(&other, 0, sizeof other);
    assert_int_equal(mm_key_generate(crypto(), MM_KTY_EC2, MM_CRV_P256, 0, 0, &other), MM_OK);
    suit_harness *h = device_with(&other, VENDOR, CLASS);
    expect_refused(h, env, len, MM_ERR_VERIFY, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "wrong key");
    mm_key_free(&other);
    suit_h_free(h);
    free(env);
}

static void test_tampered_manifest(void **state)
{
    (void)state;
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    /* The URI's last character, inside the signed manifest. */
    uint8_t *at = find(env, len, "fw.bin", 6);
    assert_non_null(at);
    at[5] = 'X';
    suit_harness *h = device();
    expect_refused(h, env, len, MM_ERR_VERIFY, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "tampered manifest");
    assert_int_equal(h->p.failure.detail, MM_SUIT_ENVELOPE_MANIFEST);
    suit_h_free(h);
    free(env);
}

/* Severable install: stripped is fine, tampered never. */
static void test_severable(void **state)
{
    (void)state;
    const char *install = "<< [20, {21: \"" URI "\"}, 21, 2, 3, 15] >>";
    char member_digest[160];
    suit_fixture_member_digest(crypto(), install, member_digest, sizeof member_digest);
    char members[512];
    snprintf(members, sizeof members, VALIDATE ", 20: %s", member_digest);
    char extra[512];
    snprintf(extra, sizeof extra, "20: %s", install);
    size_t len;
    /* Present and intact: installs. */
    uint8_t *env = envelope(5, members, extra, &len);
    suit_harness *h = device();
    assert_int_equal(suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE), MM_OK);
    assert_int_equal(h->p.man.members[MM_SUIT_M_INSTALL].state, MM_SUIT_RESTORED);
    assert_true(mm_bytes_equal(suit_h_content(h, 0), mm_bytes_make(firmware, sizeof firmware - 1)));
    suit_h_free(h);
    free(env);
    /* Stripped: accepted, install does not run (the device keeps its
     * image, which then fails validate: the manifest's image is not there). */
    env = envelope(5, members, NULL, &len);
    h = device();
    assert_int_equal(suit_h_check(h, mm_bytes_make(env, len)), MM_OK);
    assert_int_equal(h->p.man.members[MM_SUIT_M_INSTALL].state, MM_SUIT_SEVERED);
    suit_h_free(h);
    free(env);
    /* Tampered: the URI in the severed member changed. */
    snprintf(extra, sizeof extra, "20: << [20, {21: \"" URI "X\"}, 21, 2, 3, 15] >>");
    env = envelope(5, members, extra, &len);
    h = device();
    expect_refused(h, env, len, MM_ERR_VERIFY, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "tampered severable member");
    assert_int_equal(h->p.failure.detail, MM_SUIT_SECTION_INSTALL);
    suit_h_free(h);
    free(env);
    /* A member in the envelope the manifest has no digest for. */
    run_case(VALIDATE ", " INSTALL, "23: << {\"en\": {1: \"unsigned text\"}} >>", MM_ERR_VERIFY,
             MM_SUIT_REASON_UNAUTHORISED, 0, 0, "member without a digest");
}

static void test_payload_digest_mismatch(void **state)
{
    (void)state;
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    suit_harness *h = device();
    h->dev.uris[0].content = MM_BYTES_LIT("firmware 5.0 for the catalogu3"); /* same size */
    expect_refused(h, env, len, MM_ERR_CONDITION, MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_INSTALL,
                   MM_SUIT_CMD_IMAGE_MATCH, "payload digest mismatch");
    assert_int_equal(h->p.failure.offset, 33); /* [20, {21: "..."}, 21, 2, here: 3, 15] */
    assert_int_equal(h->dev.discards, 1);
    suit_h_free(h);
    free(env);
}

static void test_identity(void **state)
{
    (void)state;
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    suit_harness *h = device_with(&signer, "00000000000000000000000000000000", CLASS);
    expect_refused(h, env, len, MM_ERR_CONDITION, MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_COMMON,
                   MM_SUIT_CMD_VENDOR_ID, "wrong vendor id");
    suit_h_free(h);
    h = device_with(&signer, VENDOR, "00000000000000000000000000000000");
    expect_refused(h, env, len, MM_ERR_CONDITION, MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_COMMON,
                   MM_SUIT_CMD_CLASS_ID, "wrong class id");
    suit_h_free(h);
    free(env);
}

static void test_rollback(void **state)
{
    (void)state;
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    suit_harness *h = device();
    assert_int_equal(mm_memdev_set_counter(&h->dev, mm_bytes_make(NULL, 0), 5), MM_OK);
    expect_refused(h, env, len, MM_ERR_ROLLBACK, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "rollback (same number)");
    assert_int_equal(mm_memdev_set_counter(&h->dev, mm_bytes_make(NULL, 0), 9), MM_OK);
    expect_refused(h, env, len, MM_ERR_ROLLBACK, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "rollback (older)");
    /* Booting the installed manifest (same number) is fine. */
    assert_int_equal(mm_memdev_set_counter(&h->dev, mm_bytes_make(NULL, 0), 5), MM_OK);
    assert_int_equal(suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_INVOKE), MM_ERR_CONDITION);
    assert_int_equal(h->p.failure.section, MM_SUIT_SECTION_VALIDATE); /* past the rollback check */
    suit_h_free(h);
    free(env);
}

static void test_unknown_command(void **state)
{
    (void)state;
    run_case("20: << [20, {21: \"" URI "\"}, 21, 2, 99, 15] >>", NULL, MM_ERR_UNSUPPORTED,
             MM_SUIT_REASON_COMMAND_UNSUPPORTED, MM_SUIT_SECTION_INSTALL, 99, "unknown command");
    run_case("20: << [-300, 15] >>", NULL, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED,
             MM_SUIT_SECTION_INSTALL, -300, "custom command");
    /* Trust domains' commands come with that extension. */
    run_case("20: << [33, 15] >>", NULL, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED,
             MM_SUIT_SECTION_INSTALL, 33, "unlink (not implemented)");
    /* A directive in the shared sequence. */
    size_t len;
    uint8_t *env = suit_fixture(crypto(), &signer, MM_ALG_ES256,
                                "{1: 1, 2: 5, 3: << {2: [[h'00']], 4: << [21, 2] >>} >>, " VALIDATE "}", NULL, &len);
    refuse_on_device(env, len, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED, MM_SUIT_SECTION_COMMON,
                     MM_SUIT_CMD_FETCH, "fetch in the shared sequence");
}

static void test_component_index(void **state)
{
    (void)state;
    run_case("20: << [12, 1, 21, 2] >>", NULL, MM_ERR_CBOR_RANGE, MM_SUIT_REASON_COMPONENT_UNSUPPORTED,
             MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_SET_INDEX, "component index out of range");
    run_case("20: << [12, [0, 3], 21, 2] >>", NULL, MM_ERR_CBOR_RANGE, MM_SUIT_REASON_COMPONENT_UNSUPPORTED,
             MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_SET_INDEX, "component index list out of range");
    run_case("20: << [20, {22: 7}, 22, 2] >>", NULL, MM_ERR_CBOR_RANGE, MM_SUIT_REASON_COMPONENT_UNSUPPORTED,
             MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_OVERRIDE, "source component out of range");
    /* A component the device does not have. */
    size_t len;
    uint8_t *env = suit_fixture(crypto(), &signer, MM_ALG_ES256, "{1: 1, 2: 5, 3: << {2: [[h'07']]} >>, " VALIDATE "}",
                                NULL, &len);
    refuse_on_device(env, len, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMPONENT_UNSUPPORTED, 0, 0,
                     "component the device lacks");
}

static void test_parameters_missing(void **state)
{
    (void)state;
    /* A directive without its parameter stops everything. */
    run_case("20: << [21, 2] >>", NULL, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_OPERATION_FAILED, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_FETCH, "fetch without a URI");
    run_case("20: << [22, 2] >>", NULL, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_OPERATION_FAILED, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_COPY, "copy without a source");
    run_case("20: << [18, 2] >>", NULL, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_OPERATION_FAILED, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_WRITE, "write without content");
    /* A condition without its parameter fails as a condition. */
    run_case("20: << [5, 15] >>", NULL, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_COMPONENT_SLOT, "slot condition without a slot");
    run_case("20: << [24, 15] >>", NULL, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_DEVICE_ID, "device id condition without an id");
}

/* run-sequence nested n deep around one abort-free condition. */
static void nested(char *out, size_t cap, int depth)
{
    char inner[2048] = "[1, 15]";
    for (int i = 0; i < depth; i++) {
        char next[sizeof inner + 16];
        snprintf(next, sizeof next, "[32, << %s >>]", inner);
        memcpy(inner, next, sizeof inner);
        inner[sizeof inner - 1] = '\0';
    }
    snprintf(out, cap, "20: << %s >>", inner);
}

static void test_limits(void **state)
{
    (void)state;
    char members[8192];
    /* MM_SUIT_MAX_NESTING levels run; one more is refused. */
    nested(members, sizeof members, MM_SUIT_MAX_NESTING);
    run_accepted(members, NULL);
    nested(members, sizeof members, MM_SUIT_MAX_NESTING + 1);
    run_case(members, NULL, MM_ERR_NESTING, MM_SUIT_REASON_CBOR_PARSE, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_RUN_SEQUENCE, "nesting too deep");
    /* MM_SUIT_MAX_COMMANDS + 1 commands in one sequence. */
    size_t off = (size_t)snprintf(members, sizeof members, "20: << [");
    for (int i = 0; i <= MM_SUIT_MAX_COMMANDS; i++) {
        off += (size_t)snprintf(members + off, sizeof members - off, "%s1, 0", i == 0 ? "" : ", ");
    }
    snprintf(members + off, sizeof members - off, "] >>");
    run_case(members, NULL, MM_ERR_TOO_LARGE, MM_SUIT_REASON_CBOR_PARSE, MM_SUIT_SECTION_INSTALL, 0,
             "sequence too long");
    /* An image larger than the size the manifest states. */
    size_t len;
    uint8_t *env = envelope(5, VALIDATE ", " INSTALL, NULL, &len);
    suit_harness *h = device();
    h->dev.uris[0].content = MM_BYTES_LIT("firmware 5.0 for the catalogue, and more");
    expect_refused(h, env, len, MM_ERR_TOO_LARGE, MM_SUIT_REASON_OPERATION_FAILED, MM_SUIT_SECTION_INSTALL,
                   MM_SUIT_CMD_FETCH, "payload larger than its image size");
    suit_h_free(h);
    free(env);
}

static void test_try_each(void **state)
{
    (void)state;
    /* Every branch fails: the try-each fails. */
    run_case("20: << [15, [<< [20, {5: 1}, 5, 15] >>, << [14, 15] >>]] >>", NULL, MM_ERR_CONDITION,
             MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_TRY_EACH,
             "try-each, every branch failing");
    /* The second branch holds: accepted, and the first branch's failure
     * was soft. */
    run_accepted("20: << [15, [<< [14, 15] >>, << [1, 15] >>]] >>", NULL);
    /* A nil branch: continue regardless. */
    run_accepted("20: << [15, [<< [14, 15] >>, << [14, 15] >>, null]] >>", NULL);
    /* A branch that turns soft failure off aborts the try-each. */
    run_case("20: << [15, [<< [20, {13: false}, 14, 15] >>, << [1, 15] >>]] >>", NULL, MM_ERR_CONDITION,
             MM_SUIT_REASON_CONDITION_FAILED, MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_ABORT,
             "try-each branch with soft failure off");
    /* Soft failure may not be set outside try-each and run-sequence. */
    run_case("20: << [20, {13: true}, 14, 15] >>", NULL, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_PARAMETER_UNSUPPORTED,
             MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_OVERRIDE, "soft failure at the top");
    /* run-sequence with soft failure on: a failing condition ends it quietly. */
    run_accepted("20: << [32, << [20, {13: true}, 14, 15] >>, 1, 15] >>", NULL);
}

static void test_integrated_payload(void **state)
{
    (void)state;
    const char *install = "20: << [20, {21: \"#fw\"}, 21, 2, 3, 15] >>";
    size_t len;
    uint8_t *env = envelope(5, install, "\"#fw\": 'firmware 5.0 for the catalogue'", &len);
    suit_harness *h = device();
    assert_int_equal(suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE), MM_OK);
    assert_int_equal(h->dev.fetches, 0); /* from the envelope, not the network */
    suit_h_free(h);
    free(env);
    run_case(install, "\"#fw\": 'firmware 5.0 for the catalogu3'", MM_ERR_CONDITION, MM_SUIT_REASON_CONDITION_FAILED,
             MM_SUIT_SECTION_INSTALL, MM_SUIT_CMD_IMAGE_MATCH, "integrated payload not matching");
    run_case(install, NULL, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_OPERATION_FAILED, MM_SUIT_SECTION_INSTALL,
             MM_SUIT_CMD_FETCH, "integrated payload missing");
}

static void test_authentication(void **state)
{
    (void)state;
    /* No authentication block at all. */
    size_t man_len;
    uint8_t man[512];
    mm_buf mb = mm_buf_make(man, sizeof man);
    assert_int_equal(
        mm_cbor_from_edn(MM_BYTES_LIT("{1: 1, 2: 5, 3: << {2: [[h'00']]} >>, 7: << [1, 15] >>}"), 0, &mb, NULL), MM_OK);
    man_len = mb.len;
    char digest[160];
    uint8_t item[600];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, item, sizeof item);
    mm_cbor_put_bstr(&enc, mm_bytes_make(man, man_len));
    size_t item_len;
    assert_int_equal(mm_cbor_enc_finish(&enc, &item_len), MM_OK);
    suit_fixture_digest(crypto(), mm_bytes_make(item, item_len), digest, sizeof digest);
    char edn[2048];
    char hex[1200];
    mm_buf hb = mm_buf_make(hex, sizeof hex);
    assert_int_equal(mm_hex_encode(mm_bytes_make(man, man_len), &hb), MM_OK);
    snprintf(edn, sizeof edn, "107({2: << [<< %s >>] >>, 3: h'%.*s'})", digest, (int)hb.len, hex);
    uint8_t env[1024];
    mm_buf eb = mm_buf_make(env, sizeof env);
    assert_int_equal(mm_cbor_from_edn(mm_bytes_from_cstr(edn), 0, &eb, NULL), MM_OK);
    suit_harness *h = device();
    expect_refused(h, env, eb.len, MM_ERR_UNTRUSTED, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "no authentication block");
    suit_h_free(h);
    /* A key id no trust anchor has: a block naming a kid, signed here. */
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto();
    o.key = &signer;
    o.alg = MM_ALG_ES256;
    o.kid = MM_BYTES_LIT("vendor-2026");
    o.flags = MM_COSE_DETACHED;
    uint8_t digest_item[64];
    mm_buf di = mm_buf_make(digest_item, sizeof digest_item);
    assert_int_equal(mm_cbor_from_edn(mm_bytes_from_cstr(digest), 0, &di, NULL), MM_OK);
    uint8_t sig[256];
    mm_buf sb = mm_buf_make(sig, sizeof sig);
    assert_int_equal(mm_cose_sign1_create(&o, mm_bytes_make(digest_item, di.len), &sb), MM_OK);
    char sig_hex[600];
    mm_buf sh = mm_buf_make(sig_hex, sizeof sig_hex);
    assert_int_equal(mm_hex_encode(mm_bytes_make(sig, sb.len), &sh), MM_OK);
    snprintf(edn, sizeof edn, "107({2: << [<< %s >>, h'%.*s'] >>, 3: h'%.*s'})", digest, (int)sh.len, sig_hex,
             (int)hb.len, hex);
    eb = mm_buf_make(env, sizeof env);
    assert_int_equal(mm_cbor_from_edn(mm_bytes_from_cstr(edn), 0, &eb, NULL), MM_OK);
    h = device();
    h->anchors[0].kid = MM_BYTES_LIT("someone-else");
    expect_refused(h, env, eb.len, MM_ERR_UNTRUSTED, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "unknown key id");
    /* The right kid verifies. */
    h->anchors[0].kid = MM_BYTES_LIT("vendor-2026");
    assert_int_equal(suit_h_check(h, mm_bytes_make(env, eb.len)), MM_OK);
    suit_h_free(h);
    /* An algorithm the registry does not know: a clean refusal. */
    uint8_t *odd = find(env, eb.len, "\xa1\x01\x26", 3); /* protected {1: -7} */
    assert_non_null(odd);
    odd[2] = 0x2e; /* -15: SHA-256/64, not a signature algorithm */
    h = device();
    expect_refused(h, env, eb.len, MM_ERR_UNSUPPORTED_ALG, MM_SUIT_REASON_ALG_UNSUPPORTED, 0, 0,
                   "unknown signature algorithm");
    suit_h_free(h);
}

static void test_strict_order_race(void **state)
{
    (void)state;
    /* With strict order off, a copy from a component written earlier in
     * the sequence is refused (section 6.6). */
    size_t len;
    uint8_t *env = suit_fixture(crypto(), &signer, MM_ALG_ES256,
                                "{1: 1, 2: 5, 3: << {2: [[h'00'], [h'01']]} >>, 20: << [12, 1, 20, {12: false, "
                                "18: h'00'}, 18, 2, 12, 0, 20, {22: 1}, 22, 2] >>}",
                                NULL, &len);
    suit_harness *h = device();
    suit_h_component(h, "[h'01']");
    expect_refused(h, env, len, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED, MM_SUIT_SECTION_INSTALL,
                   MM_SUIT_CMD_COPY, "strict order off: copy after write");
    suit_h_free(h);
    free(env);
}

/* An HSS-LMS key (one tree of 32 one-time keys) in a new folder under
 * /tmp: *key signs, pub is its public key. */
static void lms_key(char *dir, mm_key *key, uint8_t pub[MM_LMS_PUB_MAX], size_t *pub_len)
{
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/key", dir);
    mm_lms_keygen_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto();
    o.levels = 1;
    o.lms_type[0] = MM_LMS_SHA256_M32_H5;
    o.ots_type[0] = MM_LMOTS_SHA256_N32_W8;
    o.threads = 1;
    assert_int_equal(mm_lms_keygen(path, &o, pub, pub_len), MM_OK);
    mm_lms_signer_opts so = {crypto(), 1, 1};
    assert_int_equal(mm_lms_signer_open(path, &so, key), MM_OK);
}

/* HSS-LMS (RFC 8778) authenticates a manifest as soon as the registry the
 * caller configures has it; without it the signature is a clean refusal. */
static void test_hss_lms(void **state)
{
    (void)state;
    char dir[] = "/tmp/mm-suit-lms-XXXXXX";
    char other_dir[] = "/tmp/mm-suit-lms-XXXXXX";
    mm_key lms;
    mm_key other;
    uint8_t pub[MM_LMS_PUB_MAX];
    uint8_t other_pub[MM_LMS_PUB_MAX];
    size_t pub_len;
    size_t other_len;
    lms_key(dir, &lms, pub, &pub_len);
    lms_key(other_dir, &other, other_pub, &other_len);
    size_t len;
    uint8_t *env = envelope_by(&lms, MM_ALG_HSS_LMS, 5, INSTALL, NULL, &len);

    /* The device trusts the LMS public key (its first anchor, replaced). */
    suit_harness *h = device();
    mm_key_free(&h->keys[0]);
    assert_int_equal(mm_lms_public_key(crypto(), mm_bytes_make(pub, pub_len), &h->keys[0]), MM_OK);
    expect_refused(h, env, len, MM_ERR_UNSUPPORTED_ALG, MM_SUIT_REASON_ALG_UNSUPPORTED, 0, 0,
                   "HSS-LMS without the registry that has it");
    h->cfg.algs = mm_lms_cose_algs();
    assert_int_equal(suit_h_process(h, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE), MM_OK);
    mm_bytes got = suit_h_content(h, 0);
    assert_int_equal(got.len, sizeof firmware - 1);
    assert_memory_equal(got.ptr, firmware, got.len);
    printf("  %-40s %s\n", "HSS-LMS signature, registry configured", "installed");
    suit_h_free(h);

    /* Another LMS key: the signature does not verify. */
    h = device();
    mm_key_free(&h->keys[0]);
    assert_int_equal(mm_lms_public_key(crypto(), mm_bytes_make(other_pub, other_len), &h->keys[0]), MM_OK);
    h->cfg.algs = mm_lms_cose_algs();
    expect_refused(h, env, len, MM_ERR_VERIFY, MM_SUIT_REASON_UNAUTHORISED, 0, 0, "HSS-LMS, another key");
    suit_h_free(h);
    free(env);
    mm_key_free(&lms);
    mm_key_free(&other);
    mm_test_remove_dir(dir);
    mm_test_remove_dir(other_dir);
}

/* Every command the interpreter has a handler for is named, takes a
 * reporting policy, and is a condition exactly when the name table says so
 * (the structure check trusts the one, the interpreter the other). */
static void test_command_table(void **state)
{
    (void)state;
    size_t handled = 0;
    for (int32_t id = -64; id < 64; id++) {
        bool condition = false;
        if (suit_handler(id, &condition) == NULL) {
            continue;
        }
        const mm_suit_name *name = mm_suit_name_find(MM_SUIT_REG_COMMAND, id);
        assert_non_null(name);
        assert_int_equal(name->kind, MM_SUIT_K_POLICY);
        assert_int_equal(condition, (name->flags & MM_SUIT_F_CONDITION) != 0);
        handled++;
    }
    assert_int_equal(handled, 18); /* 12 conditions, 6 directives */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_tampered_manifest),
        cmocka_unit_test(test_severable),
        cmocka_unit_test(test_payload_digest_mismatch),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_rollback),
        cmocka_unit_test(test_unknown_command),
        cmocka_unit_test(test_component_index),
        cmocka_unit_test(test_parameters_missing),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_try_each),
        cmocka_unit_test(test_integrated_payload),
        cmocka_unit_test(test_authentication),
        cmocka_unit_test(test_strict_order_race),
        cmocka_unit_test(test_command_table),
        cmocka_unit_test(test_hss_lms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
