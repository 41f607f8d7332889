/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier end to end, with the real binary only: keys made by `mamori
 * key gen`, the store administered by `mamori verifier endorse / reference
 * / import` (a CoRIM), `mamori verifier serve` on a free port of 127.0.0.1,
 * nonces from `mamori verifier challenge`, evidence issued by `mamori eat
 * issue`, appraised by `mamori verifier appraise`, results verified by
 * `mamori eat verify-result`. Refusals with their reasons: unknown device,
 * wrong key, replayed nonce, expired nonce, debug enabled, unknown
 * software, measurement mismatch, malformed token; TEEP-profile evidence;
 * a restart that keeps used nonces used; a crash after which earlier
 * nonces are refused; timestamp freshness.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "e2e_harness.h"
#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/eat.h"
#include "mm_test.h"

/* A nonce lives this long; the expiry test waits it out. */
#define NONCE_TTL "4"

static e2e_server srv;
static char url[128];
static char boot_digest[65];   /* sha-256("boot"), hex */
static char suit_ref_b64[200]; /* a SUIT_Reference, base64url */
static char manifest_hex[65];  /* its manifest digest, hex */
static char agent_tp_b64[64];  /* the TEEP agent's key thumbprint, base64url */

static void run_ok(const char *name, const char *const *args)
{
    int rc = e2e_run(name, args);
    if (rc != 0) {
        (void)e2e_err_has(name, "(exit 0)");
        fail_msg("%s exited %d", name, rc);
    }
}

static void b64url(mm_bytes in, char *out, size_t cap)
{
    mm_buf b = mm_buf_make(out, cap - 1);
    assert_int_equal(mm_base64_encode(in, MM_B64URL, &b), MM_OK);
    out[b.len] = '\0';
}

static void hex(mm_bytes in, char *out, size_t cap)
{
    mm_buf b = mm_buf_make(out, cap - 1);
    assert_int_equal(mm_hex_encode(in, &b), MM_OK);
    out[b.len] = '\0';
}

/* The RFC 9679 thumbprint of a COSE_Key file mamori made. */
static void thumbprint_of(const char *file, uint8_t tp[32])
{
    size_t len = 0;
    uint8_t *data = e2e_read(file, &len);
    assert_non_null(data);
    mm_cose_key ck;
    assert_int_equal(mm_cose_key_decode(mm_bytes_make(data, len), &ck), MM_OK);
    size_t tl = 0;
    uint8_t t[MM_HASH_MAX];
    assert_int_equal(mm_cose_key_thumbprint(mm_crypto_openssl(), &ck.parts, MM_ALG_SHA256, t, &tl), MM_OK);
    memcpy(tp, t, 32);
    free(data);
}

static bool start(const char *extra)
{
    const char *args[] = {
        "verifier",    "serve",       "--key",   "verifier.key", "--db",  "v.db", "--listen",
        "127.0.0.1:0", "--nonce-ttl", NONCE_TTL, "--ready-file", "ready", "-q",   extra != NULL ? "--iat-window" : NULL,
        extra,         NULL};
    int status = 0;
    if (!e2e_serve("serve", args, "ready", &srv, &status)) {
        (void)e2e_err_has("serve", "(started)");
        fail_msg("the Verifier exited %d", status);
    }
    snprintf(url, sizeof url, "%s", srv.url);
    return true;
}

static int setup(void **state)
{
    (void)state;
    e2e_dir("mm-vf-e2e");
    const char *gen_v[] = {"key", "gen", "--alg", "ES256", "--out", "verifier", NULL};
    const char *gen_d[] = {"key", "gen", "--alg", "ES256", "--out", "device", NULL};
    const char *gen_s[] = {"key", "gen", "--alg", "ES256", "--out", "stranger", NULL};
    const char *gen_t[] = {"key", "gen", "--alg", "ES256", "--out", "agent", NULL};
    run_ok("gen-verifier", gen_v);
    run_ok("gen-device", gen_d);
    run_ok("gen-stranger", gen_s);
    run_ok("gen-agent", gen_t);
    uint8_t d[MM_HASH_MAX];
    size_t dl = 0;
    assert_int_equal(mm_hash(mm_crypto_openssl(), MM_ALG_SHA256, MM_BYTES_LIT("boot"), d, &dl), MM_OK);
    hex(mm_bytes_make(d, dl), boot_digest, sizeof boot_digest);
    /* An installed SUIT manifest, as the TEEP evidence names it. */
    uint8_t mdig[32];
    for (int i = 0; i < 32; i++) {
        mdig[i] = (uint8_t)(0xa0 + i);
    }
    hex(mm_bytes_make(mdig, 32), manifest_hex, sizeof manifest_hex);
    mm_eat_suit_ref ref = {MM_BYTES_LIT("https://example.com/tc.suit"), MM_ALG_SHA256, mm_bytes_make(mdig, 32)};
    uint8_t rb[128];
    mm_buf b = mm_buf_make(rb, sizeof rb);
    assert_int_equal(mm_eat_suit_ref_encode(&ref, &b), MM_OK);
    b64url(mm_bytes_make(rb, b.len), suit_ref_b64, sizeof suit_ref_b64);
    uint8_t tp[32];
    thumbprint_of("agent.cose", tp);
    b64url(mm_bytes_make(tp, 32), agent_tp_b64, sizeof agent_tp_b64);

    /* The store: the device by its ueid and what it must report, TEEP
     * agents of one model and what they must. */
    const char *endorse[] = {"verifier", "endorse",          "add", "--db", "v.db", "--key", "device.cose",
                             "--ueid",   "0102030405060708", NULL};
    run_ok("endorse", endorse);
    const char *endorse_model[] = {"verifier",   "endorse", "add",      "--db",      "v.db",     "--key",
                                   "agent.cose", "--oemid", "89-48-23", "--hwmodel", "549dcecc", NULL};
    run_ok("endorse-model", endorse_model);
    char measurement[120], manifest[80];
    snprintf(measurement, sizeof measurement, "boot=sha-256:%s", boot_digest);
    snprintf(manifest, sizeof manifest, "sha-256:%s", manifest_hex);
    const char *refs[] = {"verifier",         "reference",     "add",       "--db",          "v.db",  "--ueid",
                          "0102030405060708", "--swname",      "Acme OS",   "--swversion",   "3.1.4", "--debug",
                          "disabled",         "--measurement", measurement, "--secure-boot", NULL};
    run_ok("reference", refs);
    const char *teep_refs[] = {"verifier",
                               "reference",
                               "add",
                               "--db",
                               "v.db",
                               "--oemid",
                               "89-48-23",
                               "--hwmodel",
                               "549dcecc",
                               "--manifest",
                               manifest,
                               "--debug",
                               "disabled-since-boot",
                               NULL};
    run_ok("reference-teep", teep_refs);
    start(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (srv.pid > 0) {
        assert_int_equal(e2e_stop(&srv), 0);
    }
    e2e_cleanup();
    return 0;
}

/* A nonce from the Verifier, in hex. */
static void challenge(char nonce[130])
{
    const char *args[] = {"verifier", "challenge", "--url", url, NULL};
    run_ok("challenge", args);
    size_t len = 0;
    uint8_t *out = e2e_read("challenge.out", &len);
    assert_non_null(out);
    assert_true(len > 16 && len < 130 && out[len - 1] == '\n');
    memcpy(nonce, out, len - 1);
    nonce[len - 1] = '\0';
    free(out);
}

/* The device's claims; what differs from a healthy device in extra (JSON
 * members, with a leading comma). */
static void claims(const char *file, const char *ueid_b64, const char *swname, const char *dbgstat,
                   const char *measurement_b64, const char *extra)
{
    char text[1200];
    int n = snprintf(text, sizeof text,
                     "{\"ueid\": \"%s\", \"swname\": \"%s\", \"swversion\": [\"3.1.4\"], \"oemboot\": true,"
                     " \"dbgstat\": \"%s\", \"measurements\": [[60, \"%s\"]], \"iat\": %lld%s}",
                     ueid_b64, swname, dbgstat, measurement_b64, (long long)time(NULL), extra != NULL ? extra : "");
    e2e_write(file, text, (size_t)n);
}

#define DEVICE_UEID "AQIDBAUGBwg" /* 0102030405060708 */
#define BOOT        "Ym9vdA"      /* "boot" */

static void issue(const char *name, const char *key, const char *claims_file, const char *nonce, const char *out)
{
    const char *args[] = {
        "eat", "issue", "--key", key, "--claims", claims_file, "-o", out, nonce != NULL ? "--nonce" : NULL,
        nonce, NULL};
    run_ok(name, args);
}

static int appraise(const char *name, const char *evidence, const char *result)
{
    const char *args[] = {"verifier", "appraise", "--url", url, evidence, result != NULL ? "-o" : NULL, result, NULL};
    return e2e_run(name, args);
}

static void test_affirming(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("ok.json", DEVICE_UEID, "Acme OS", "disabled-since-boot", BOOT, NULL);
    issue("issue-ok", "device.key", "ok.json", nonce, "ok.cwt");
    assert_int_equal(appraise("appraise-ok", "ok.cwt", "ok.ear"), 0);
    assert_true(e2e_out_has("appraise-ok", "ok.cwt: affirming"));
    assert_true(e2e_out_has("appraise-ok", "executables           2  affirming"));
    /* The relying party's check: the Verifier's key, the nonce it asked. */
    const char *verify[] = {"eat", "verify-result", "--key", "verifier.cose", "--nonce", nonce, "ok.ear", NULL};
    run_ok("verify-ok", verify);
    assert_true(e2e_out_has("verify-ok", "status: affirming"));
    assert_true(e2e_out_has("verify-ok", "evidence nonce"));
    const char *wrong[] = {"eat", "verify-result", "--key", "device.cose", "ok.ear", NULL};
    assert_int_equal(e2e_run("verify-wrong", wrong), 1);
    /* As a JWT, verified by the client itself. */
    challenge(nonce);
    issue("issue-jwt", "device.key", "ok.json", nonce, "jwt.cwt");
    const char *jwt[] = {"verifier",      "appraise", "--url",  url,       "--jwt", "--verifier-key",
                         "verifier.cose", "-o",       "ok.jwt", "jwt.cwt", NULL};
    assert_int_equal(e2e_run("appraise-jwt", jwt), 0);
    assert_true(e2e_out_has("appraise-jwt", "affirming (EAR JWT by mamori verifier"));
    assert_true(e2e_out_has("appraise-jwt", "verified with the Verifier's key"));
    const char *verify_jwt[] = {"eat", "verify-result", "--key", "verifier.cose", "--nonce", nonce, "ok.jwt", NULL};
    run_ok("verify-jwt", verify_jwt);
}

static void test_unknown_device(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("stranger.json", "CQkJCQkJCQk", "Acme OS", "disabled", BOOT, NULL);
    issue("issue-stranger", "stranger.key", "stranger.json", nonce, "stranger.cwt");
    assert_int_equal(appraise("appraise-stranger", "stranger.cwt", "x.ear"), 1);
    assert_true(e2e_err_has("appraise-stranger", "refused (403 Unknown attester): no endorsement for ueid 0909"));
    assert_null(e2e_read("x.ear", &(size_t){0}));
}

static void test_wrong_key(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("ok.json", DEVICE_UEID, "Acme OS", "disabled", BOOT, NULL);
    issue("issue-forged", "stranger.key", "ok.json", nonce, "forged.cwt");
    assert_int_equal(appraise("appraise-forged", "forged.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-forged", "refused (403 Evidence signature does not verify)"));
    assert_true(e2e_err_has("appraise-forged", "endorsed for ueid 0102030405060708"));
}

static void test_replayed_nonce(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("ok.json", DEVICE_UEID, "Acme OS", "disabled", BOOT, NULL);
    issue("issue-replay", "device.key", "ok.json", nonce, "replay.cwt");
    assert_int_equal(appraise("appraise-first", "replay.cwt", NULL), 0);
    assert_int_equal(appraise("appraise-replay", "replay.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-replay", "refused (403 Nonce already used)"));
    /* A nonce this Verifier never issued. */
    issue("issue-foreign", "device.key", "ok.json", "0011223344556677", "foreign.cwt");
    assert_int_equal(appraise("appraise-foreign", "foreign.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-foreign", "refused (403 Unknown nonce)"));
}

static void test_expired_nonce(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("ok.json", DEVICE_UEID, "Acme OS", "disabled", BOOT, NULL);
    issue("issue-late", "device.key", "ok.json", nonce, "late.cwt");
    sleep(atoi(NONCE_TTL) + 1);
    assert_int_equal(appraise("appraise-late", "late.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-late", "refused (403 Expired nonce)"));
}

static void test_debug_enabled(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("debug.json", DEVICE_UEID, "Acme OS", "enabled", BOOT, NULL);
    issue("issue-debug", "device.key", "debug.json", nonce, "debug.cwt");
    assert_int_equal(appraise("appraise-debug", "debug.cwt", "debug.ear"), 1);
    assert_true(e2e_out_has("appraise-debug", "debug.cwt: contraindicated"));
    assert_true(e2e_out_has("appraise-debug", "configuration        96  contraindicated"));
    assert_true(e2e_out_has("appraise-debug", "failed debug: debug is enabled; at least disabled is required"));
    /* The refusal is a signed result the relying party verifies. */
    const char *verify[] = {"eat", "verify-result", "--key", "verifier.cose", "--json", "debug.ear", NULL};
    run_ok("verify-debug", verify);
    assert_true(e2e_out_has("verify-debug", "\"ear_status\": \"contraindicated\""));
    assert_true(e2e_out_has("verify-debug", "\"mamori_failed_checks\""));
}

static void test_unknown_software(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("evil.json", DEVICE_UEID, "Evil OS", "disabled", BOOT, NULL);
    issue("issue-evil", "device.key", "evil.json", nonce, "evil.cwt");
    assert_int_equal(appraise("appraise-evil", "evil.cwt", NULL), 1);
    assert_true(e2e_out_has("appraise-evil", "evil.cwt: warning"));
    assert_true(e2e_out_has("appraise-evil", "failed sw-name: swname 'Evil OS' is not among the 1 known"));
}

static void test_measurement_mismatch(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("meas.json", DEVICE_UEID, "Acme OS", "disabled", "Ym9vVA" /* "booT" */, NULL);
    issue("issue-meas", "device.key", "meas.json", nonce, "meas.cwt");
    assert_int_equal(appraise("appraise-meas", "meas.cwt", NULL), 1);
    assert_true(e2e_out_has("appraise-meas", "meas.cwt: contraindicated"));
    assert_true(e2e_out_has("appraise-meas", "failed measurement: measurement 0"));
    assert_true(e2e_out_has("appraise-meas", "no measurement of boot matches its reference value"));
}

static void test_malformed(void **state)
{
    (void)state;
    e2e_write("garbage.cwt", "\xd2\x84\x43\xa1\x01\x26", 6);
    assert_int_equal(appraise("appraise-garbage", "garbage.cwt", NULL), 65);
    assert_true(e2e_err_has("appraise-garbage", "refused (400 Malformed evidence)"));
    e2e_write("text.cwt", "hello", 5);
    assert_int_equal(appraise("appraise-text", "text.cwt", NULL), 65);
    assert_true(e2e_err_has("appraise-text", "Malformed evidence"));
}

static void test_teep(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    char text[900];
    int n = snprintf(text, sizeof text,
                     "{\"eat_profile\": \"urn:ietf:rfc:rfcXXXX\", \"ueid\": \"AQIDBAUGBwgJ\", \"oemid\": \"iUgj\","
                     " \"hwmodel\": \"VJ3OzA\", \"hwversion\": [\"1.3.4\", 1], \"dbgstat\": \"disabled-since-boot\","
                     " \"cnf\": {\"kid\": \"%s\"}, \"manifests\": [[60, {\"cbor\": \"%s\"}]]}",
                     agent_tp_b64, suit_ref_b64);
    e2e_write("teep.json", text, (size_t)n);
    const char *issue_args[] = {
        "eat",     "issue", "--key", "agent.key", "--claims", "teep.json", "--untagged", "--thumbprint-kid",
        "--nonce", nonce,   "-o",    "teep.cwt",  NULL};
    run_ok("issue-teep", issue_args);
    const char *args[] = {"verifier", "appraise", "--url",    url, "--profile", "urn:ietf:rfc:rfcXXXX",
                          "-o",       "teep.ear", "teep.cwt", NULL};
    assert_int_equal(e2e_run("appraise-teep", args), 0);
    assert_true(e2e_out_has("appraise-teep", "TEEP: affirming"));
    assert_true(e2e_out_has("appraise-teep", "hardware              2  affirming"));
    const char *verify[] = {"eat", "verify-result", "--key", "verifier.cose", "--nonce", nonce, "teep.ear", NULL};
    run_ok("verify-teep", verify);
    assert_true(e2e_out_has("verify-teep", "TEEP claims"));
    /* Tagged, the same claims break the profile. */
    challenge(nonce);
    const char *tagged_args[] = {"eat",     "issue", "--key", "agent.key",  "--claims", "teep.json", "--thumbprint-kid",
                                 "--nonce", nonce,   "-o",    "tagged.cwt", NULL};
    run_ok("issue-tagged", tagged_args);
    const char *tagged[] = {"verifier", "appraise", "--url", url, "tagged.cwt", NULL};
    assert_int_equal(e2e_run("appraise-tagged", tagged), 1);
    assert_true(e2e_err_has("appraise-tagged", "refused (422 TEEP profile violated): CBOR tags are not used"));
}

/* A CoRIM brings a second device's key and reference values. */
static void test_corim(void **state)
{
    (void)state;
    const char *gen[] = {"key", "gen", "--alg", "ES256", "--out", "device2", NULL};
    run_ok("gen-device2", gen);
    /* The CoRIM in diagnostic notation, the device's COSE_Key spliced in
     * through mamori's own printer. */
    size_t kl = 0;
    uint8_t *k = e2e_read("device2.cose", &kl);
    assert_non_null(k);
    char diag[600];
    mm_buf d = mm_buf_make(diag, sizeof diag - 1);
    assert_int_equal(mm_cbor_edn_buf(mm_bytes_make(k, kl), NULL, &d, NULL), MM_OK);
    diag[d.len] = '\0';
    free(k);
    char text[1600];
    snprintf(text, sizeof text,
             "501({0: \"fleet-2\", 1: [506(<<{1: {0: \"t2\"}, 4: {"
             "0: [[{1: 550(h'0a0a0a0a0a0a0a0a')}, [{1: {11: \"Acme OS\", 0: {0: \"3.1.5\"}}}]]],"
             "3: [[{1: 550(h'0a0a0a0a0a0a0a0a')}, [558(%s)]]]}}>>)]})",
             diag);
    uint8_t buf[2048];
    mm_buf out = mm_buf_make(buf, sizeof buf);
    assert_int_equal(mm_cbor_from_edn(mm_bytes_from_cstr(text), 0, &out, NULL), MM_OK);
    size_t n = out.len;
    e2e_write("fleet.corim", buf, n);
    const char *import[] = {"verifier", "import", "--db", "v.db", "fleet.corim", NULL};
    run_ok("import", import);
    assert_true(e2e_out_has("import", "corim:fleet-2: 1 endorsement, 2 reference values"));
    char nonce[130];
    challenge(nonce);
    claims("d2.json", "CgoKCgoKCgo" /* 0a0a0a0a0a0a0a0a */, "Acme OS", "disabled", BOOT,
           ", \"swversion\": [\"3.1.5\"]");
    /* The claims repeat swversion: JSON keeps the last, 3.1.5. */
    issue("issue-d2", "device2.key", "d2.json", nonce, "d2.cwt");
    assert_int_equal(appraise("appraise-d2", "d2.cwt", NULL), 0);
    assert_true(e2e_out_has("appraise-d2", "d2.cwt: affirming"));
    /* The CoRIM's device runs 3.1.5, not 3.1.4. */
    challenge(nonce);
    claims("d2old.json", "CgoKCgoKCgo", "Acme OS", "disabled", BOOT, NULL);
    issue("issue-d2old", "device2.key", "d2old.json", nonce, "d2old.cwt");
    assert_int_equal(appraise("appraise-d2old", "d2old.cwt", NULL), 1);
    assert_true(e2e_out_has("appraise-d2old", "failed sw-version: swversion '3.1.4' is not among the 1 known"));
}

/* Used nonces survive a restart; the timestamp mode after it. */
static void test_restart(void **state)
{
    (void)state;
    char nonce[130];
    challenge(nonce);
    claims("ok.json", DEVICE_UEID, "Acme OS", "disabled", BOOT, NULL);
    issue("issue-restart", "device.key", "ok.json", nonce, "restart.cwt");
    assert_int_equal(appraise("appraise-before", "restart.cwt", NULL), 0);
    char unused[130];
    challenge(unused);
    issue("issue-unused", "device.key", "ok.json", unused, "unused.cwt");
    assert_int_equal(e2e_stop(&srv), 0);
    start("60");
    assert_int_equal(appraise("appraise-after", "restart.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-after", "refused (403 Nonce already used)"));
    /* A nonce issued before a clean stop and not used: still good, once. */
    assert_int_equal(appraise("appraise-unused", "unused.cwt", NULL), 0);
    assert_int_equal(appraise("appraise-unused-again", "unused.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-unused-again", "refused (403 Nonce already used)"));
    /* No nonce, a fresh iat: accepted in timestamp mode. */
    issue("issue-passport", "device.key", "ok.json", NULL, "passport.cwt");
    assert_int_equal(appraise("appraise-passport", "passport.cwt", "passport.ear"), 0);
    const char *verify[] = {"eat", "verify-result", "--key", "verifier.cose", "passport.ear", NULL};
    run_ok("verify-passport", verify);
    /* An old iat: refused. */
    char text[400];
    int n = snprintf(text, sizeof text,
                     "{\"ueid\": \"%s\", \"swname\": \"Acme OS\", \"swversion\": [\"3.1.4\"], \"oemboot\": true,"
                     " \"dbgstat\": \"disabled\", \"measurements\": [[60, \"%s\"]], \"iat\": %lld}",
                     DEVICE_UEID, BOOT, (long long)time(NULL) - 3600);
    e2e_write("old.json", text, (size_t)n);
    issue("issue-old", "device.key", "old.json", NULL, "old.cwt");
    assert_int_equal(appraise("appraise-old", "old.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-old", "refused (403 Evidence is not fresh): iat is"));
}

/* A crash (kill -9): the used nonces of the run are gone, so the restarted
 * Verifier refuses every nonce issued before it, used or not. */
static void test_crash_restart(void **state)
{
    (void)state;
    char used[130], unused[130];
    challenge(used);
    challenge(unused);
    claims("ok.json", DEVICE_UEID, "Acme OS", "disabled", BOOT, NULL);
    issue("issue-crash-used", "device.key", "ok.json", used, "crash-used.cwt");
    issue("issue-crash-unused", "device.key", "ok.json", unused, "crash-unused.cwt");
    assert_int_equal(appraise("appraise-crash-before", "crash-used.cwt", NULL), 0);
    e2e_kill(&srv);
    start("60");
    assert_int_equal(appraise("appraise-crash-used", "crash-used.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-crash-used", "refused (403 Unknown nonce)"));
    assert_int_equal(appraise("appraise-crash-unused", "crash-unused.cwt", NULL), 1);
    assert_true(e2e_err_has("appraise-crash-unused", "refused (403 Unknown nonce)"));
    /* New challenges work as before. */
    char fresh[130];
    challenge(fresh);
    issue("issue-crash-fresh", "device.key", "ok.json", fresh, "crash-fresh.cwt");
    assert_int_equal(appraise("appraise-crash-fresh", "crash-fresh.cwt", NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_affirming),
        cmocka_unit_test(test_unknown_device),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_replayed_nonce),
        cmocka_unit_test(test_expired_nonce),
        cmocka_unit_test(test_debug_enabled),
        cmocka_unit_test(test_unknown_software),
        cmocka_unit_test(test_measurement_mismatch),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_teep),
        cmocka_unit_test(test_corim),
        cmocka_unit_test(test_restart),
        cmocka_unit_test(test_crash_restart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
