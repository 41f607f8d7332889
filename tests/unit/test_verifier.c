/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier's appraisal logic, in-process: the policy table (each check
 * against the AR4SI value it sets and the finding it names), scope
 * precedence, self-authenticating nonces, the store (lookups, used nonces
 * saved at a clean stop and loaded back, the key replaced after a crash,
 * all-or-nothing writes), the used-nonce set (replays, pruning, full), and
 * whole appraisals through vf_appraise() on a temporary store with a fixed
 * clock: results decoded and checked claim by claim, every refusal with its
 * status and title, a replay refused (from two threads at once too), a full
 * set refused with 503, JWT results, the TEEP profile.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mamori/crypto_openssl.h"
#include "mamori/eat_json.h"
#include "mm_test.h"
#include "vf_internal.h"
#include "vf_wal_watch.h"

static const mm_crypto *ossl;
static mm_key device, other, verifier_key;
static char dir[64];
static int64_t clock_now = 1800000000;

static const uint8_t ueid[] = {0x01, 0x98, 0xf5, 0x0a, 0x4f, 0xf6, 0xc0, 0x58, 0x61, 0xc8, 0x86};
static const uint8_t ueid2[] = {0x01, 0x98, 0xf5, 0x0a, 0x4f, 0xf6, 0xc0, 0x58, 0x61, 0xc8, 0x87};
static const uint8_t hwmodel[] = {0x54, 0x9d, 0xce, 0xcc};
static const uint8_t oui[] = {0x89, 0x48, 0x23};

static int64_t test_clock(void *user)
{
    (void)user;
    return clock_now;
}

static int setup(void **state)
{
    (void)state;
    ossl = mm_crypto_openssl();
    snprintf(dir, sizeof dir, "/tmp/mm-vf-XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &device), MM_OK);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &other), MM_OK);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &verifier_key), MM_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mm_key_free(&device);
    mm_key_free(&other);
    mm_key_free(&verifier_key);
    mm_test_remove_dir(dir);
    return 0;
}

/* The claims of a healthy device, for the tests to break one by one. */
typedef struct device_claims {
    mm_eat_claims c;
    mm_eat_manifest manifests[2];
    mm_eat_manifest measurements[2];
    mm_eat_measres measres[1];
    mm_eat_result results[2];
    uint8_t manifest_ref[128];
    uint8_t measurement_body[40];
} device_claims;

static const uint8_t manifest_digest[32] = {0xa7, 0xfd, 0x65, 0x93, 1, 2, 3, 4};

static void healthy(device_claims *d)
{
    memset(d, 0, sizeof *d);
    mm_eat_claims *c = &d->c;
    c->ueid = mm_bytes_make(ueid, sizeof ueid);
    c->oemid.form = MM_EAT_OEMID_IEEE;
    c->oemid.id = mm_bytes_make(oui, sizeof oui);
    c->hwmodel = mm_bytes_make(hwmodel, sizeof hwmodel);
    c->hwversion.version = MM_BYTES_LIT("1.3.4");
    c->swname = MM_BYTES_LIT("Acme OS");
    c->swversion.version = MM_BYTES_LIT("3.1.4");
    c->oemboot = true;
    c->dbgstat = MM_EAT_DBG_DISABLED_PERMANENTLY;
    mm_eat_suit_ref ref = {MM_BYTES_LIT("https://example.com/manifest.cbor"), MM_ALG_SHA256,
                           mm_bytes_make(manifest_digest, 32)};
    mm_buf b = mm_buf_make(d->manifest_ref, sizeof d->manifest_ref);
    assert_int_equal(mm_eat_suit_ref_encode(&ref, &b), MM_OK);
    d->manifests[0].content_type = MM_EAT_CF_SUIT_REFERENCE;
    d->manifests[0].body = mm_bytes_make(d->manifest_ref, b.len);
    c->manifests = d->manifests;
    c->n_manifests = 1;
    /* A measurement: a byte string body (its content is what is hashed). */
    d->measurement_body[0] = 0x44;
    memcpy(d->measurement_body + 1, "boot", 4);
    d->measurements[0].content_type = 60;
    d->measurements[0].body = mm_bytes_make(d->measurement_body, 5);
    c->measurements = d->measurements;
    c->n_measurements = 1;
    d->results[0].id = MM_BYTES_LIT("fw");
    d->results[0].result = MM_EAT_RESULT_SUCCESS;
    d->measres[0].system = MM_BYTES_LIT("boot");
    d->measres[0].results = d->results;
    d->measres[0].n_results = 1;
    c->measres = d->measres;
    c->n_measres = 1;
    c->present = MM_EAT_HAS_UEID | MM_EAT_HAS_OEMID | MM_EAT_HAS_HWMODEL | MM_EAT_HAS_HWVERSION | MM_EAT_HAS_SWNAME |
                 MM_EAT_HAS_SWVERSION | MM_EAT_HAS_OEMBOOT | MM_EAT_HAS_DBGSTAT | MM_EAT_HAS_MANIFESTS |
                 MM_EAT_HAS_MEASUREMENTS | MM_EAT_HAS_MEASRES;
}

static uint8_t oemid_value[32];
static size_t oemid_len;
static uint8_t boot_digest[MM_HASH_MAX];

/* The reference values of the healthy device, every one at model scope. */
static size_t reference(vf_ref *r)
{
    mm_eat_oemid o = {MM_EAT_OEMID_IEEE, 0, mm_bytes_make(oui, sizeof oui)};
    assert_int_equal(vf_oemid_encode(&o, oemid_value, &oemid_len), MM_OK);
    size_t dl = 0;
    assert_int_equal(mm_hash(ossl, MM_ALG_SHA256, MM_BYTES_LIT("boot"), boot_digest, &dl), MM_OK);
    vf_scope model = {{NULL, 0}, mm_bytes_make(oemid_value, oemid_len), mm_bytes_make(hwmodel, sizeof hwmodel)};
    const vf_ref rows[] = {
        {1, model, VF_REF_SWNAME, MM_BYTES_LIT("Acme OS"), 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {2, model, VF_REF_SWVERSION, MM_BYTES_LIT("3.1.4"), 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {3, model, VF_REF_MANIFEST, mm_bytes_make(manifest_digest, 32), MM_ALG_SHA256, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {4, model, VF_REF_MEASUREMENT, mm_bytes_make(boot_digest, 32), MM_ALG_SHA256, 0, MM_BYTES_LIT("boot"),
         MM_BYTES_LIT("t")},
        {5, model, VF_REF_DEBUG, {NULL, 0}, 0, MM_EAT_DBG_DISABLED, {NULL, 0}, MM_BYTES_LIT("t")},
        {6, model, VF_REF_SECURE_BOOT, {NULL, 0}, 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {7, model, VF_REF_HWVERSION, MM_BYTES_LIT("1.3.4"), 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
    };
    memcpy(r, rows, sizeof rows);
    return sizeof rows / sizeof rows[0];
}

/* Adds the reference values of reference() to the store s. */
static void add_references(vf_store *s)
{
    vf_ref refs[16];
    size_t n = reference(refs);
    assert_int_equal(vf_store_add_refs(s, refs, n, NULL), MM_OK);
}

static const vf_endorsement device_endorsement = {
    1, {{ueid, sizeof ueid}, {NULL, 0}, {NULL, 0}}, {NULL, 0}, {NULL, 0}, {NULL, 0}, false, {(const uint8_t *)"t", 1},
};

/* The findings' checks, as one text "a,b,c". */
static void checks_of(const vf_verdict *v, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = 0; i < v->n_findings; i++) {
        strncat(out, v->findings[i].check, cap - strlen(out) - 2);
        if (i + 1 < v->n_findings) {
            strncat(out, ",", cap - strlen(out) - 1);
        }
    }
}

/*
 * The policy table.
 */
typedef enum breakage {
    NONE,
    NO_DEBUG_CLAIM,
    DEBUG_ENABLED,
    NO_OEMBOOT,
    OEMBOOT_FALSE,
    UNKNOWN_SWNAME,
    NO_SWNAME,
    UNKNOWN_SWVERSION,
    UNKNOWN_MANIFEST,
    NO_MANIFESTS,
    MEASUREMENT_MISMATCH,
    NO_MEASUREMENTS,
    MEASRES_FAIL,
    OTHER_HWVERSION,
    OTHER_UEID,
    COMPROMISED,
    MODEL_ENDORSED_OTHER_HWMODEL,
} breakage;

typedef struct policy_case {
    const char *name;
    breakage b;
    uint8_t category; /* the category the breakage shows in */
    int value;        /* its value */
    uint8_t status;   /* the resulting tier */
    const char *checks;
} policy_case;

static const policy_case policy_cases[] = {
    {"healthy", NONE, MM_AR4SI_EXECUTABLES, 2, MM_AR4SI_AFFIRMING, ""},
    {"no dbgstat", NO_DEBUG_CLAIM, MM_AR4SI_CONFIGURATION, 36, MM_AR4SI_WARNING, "debug"},
    {"debug enabled", DEBUG_ENABLED, MM_AR4SI_CONFIGURATION, 96, MM_AR4SI_CONTRAINDICATED, "debug"},
    {"no oemboot", NO_OEMBOOT, MM_AR4SI_CONFIGURATION, 36, MM_AR4SI_WARNING, "secure-boot"},
    {"oemboot false", OEMBOOT_FALSE, MM_AR4SI_CONFIGURATION, 96, MM_AR4SI_CONTRAINDICATED, "secure-boot"},
    {"unknown swname", UNKNOWN_SWNAME, MM_AR4SI_EXECUTABLES, 33, MM_AR4SI_WARNING, "sw-name"},
    {"no swname", NO_SWNAME, MM_AR4SI_EXECUTABLES, 33, MM_AR4SI_WARNING, "sw-name"},
    {"unknown swversion", UNKNOWN_SWVERSION, MM_AR4SI_EXECUTABLES, 33, MM_AR4SI_WARNING, "sw-version"},
    {"unknown manifest", UNKNOWN_MANIFEST, MM_AR4SI_EXECUTABLES, 33, MM_AR4SI_WARNING, "sw-manifests"},
    {"no manifests", NO_MANIFESTS, MM_AR4SI_EXECUTABLES, 33, MM_AR4SI_WARNING, "sw-manifests"},
    {"measurement mismatch", MEASUREMENT_MISMATCH, MM_AR4SI_EXECUTABLES, 96, MM_AR4SI_CONTRAINDICATED,
     "measurement,measurement"},
    {"no measurements", NO_MEASUREMENTS, MM_AR4SI_EXECUTABLES, 96, MM_AR4SI_CONTRAINDICATED, "measurement"},
    {"measres fail", MEASRES_FAIL, MM_AR4SI_EXECUTABLES, 96, MM_AR4SI_CONTRAINDICATED, "measurement-results"},
    {"other hwversion", OTHER_HWVERSION, MM_AR4SI_HARDWARE, 97, MM_AR4SI_CONTRAINDICATED, "hw-version"},
    {"other ueid", OTHER_UEID, MM_AR4SI_INSTANCE_IDENTITY, 96, MM_AR4SI_CONTRAINDICATED, "instance"},
    {"compromised key", COMPROMISED, MM_AR4SI_INSTANCE_IDENTITY, 96, MM_AR4SI_CONTRAINDICATED, "endorsement"},
    {"model key, other hwmodel", MODEL_ENDORSED_OTHER_HWMODEL, MM_AR4SI_INSTANCE_IDENTITY, 96, MM_AR4SI_CONTRAINDICATED,
     "instance"},
};

static void test_policy_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof policy_cases / sizeof policy_cases[0]; i++) {
        const policy_case *pc = &policy_cases[i];
        device_claims d;
        healthy(&d);
        vf_ref refs[16];
        size_t n = reference(refs);
        vf_endorsement e = device_endorsement;
        mm_eat_claims *c = &d.c;
        switch (pc->b) {
        case NONE:
            break;
        case NO_DEBUG_CLAIM:
            c->present &= ~(uint32_t)MM_EAT_HAS_DBGSTAT;
            break;
        case DEBUG_ENABLED:
            c->dbgstat = MM_EAT_DBG_ENABLED;
            break;
        case NO_OEMBOOT:
            c->present &= ~(uint32_t)MM_EAT_HAS_OEMBOOT;
            break;
        case OEMBOOT_FALSE:
            c->oemboot = false;
            break;
        case UNKNOWN_SWNAME:
            c->swname = MM_BYTES_LIT("Evil OS");
            break;
        case NO_SWNAME:
            c->present &= ~(uint32_t)MM_EAT_HAS_SWNAME;
            break;
        case UNKNOWN_SWVERSION:
            c->swversion.version = MM_BYTES_LIT("3.1.5");
            break;
        case UNKNOWN_MANIFEST:
            d.manifest_ref[d.manifests[0].body.len - 1] ^= 1; /* the digest's last byte */
            break;
        case NO_MANIFESTS:
            c->present &= ~(uint32_t)MM_EAT_HAS_MANIFESTS;
            break;
        case MEASUREMENT_MISMATCH:
            d.measurement_body[4] = 'X';
            break;
        case NO_MEASUREMENTS:
            c->present &= ~(uint32_t)MM_EAT_HAS_MEASUREMENTS;
            break;
        case MEASRES_FAIL:
            d.results[0].result = MM_EAT_RESULT_FAIL;
            break;
        case OTHER_HWVERSION:
            c->hwversion.version = MM_BYTES_LIT("9.9");
            break;
        case OTHER_UEID:
            c->ueid = mm_bytes_make(ueid2, sizeof ueid2);
            break;
        case COMPROMISED:
            e.compromised = true;
            break;
        case MODEL_ENDORSED_OTHER_HWMODEL:
            e.scope.ueid = mm_bytes_make(NULL, 0);
            e.scope.oemid = mm_bytes_make(oemid_value, oemid_len);
            e.scope.hwmodel = MM_BYTES_LIT("\x01\x02");
            break;
        }
        vf_policy_in in = {ossl, &e, refs, n};
        vf_verdict v;
        assert_int_equal(vf_policy_evaluate(c, &in, &v), MM_OK);
        char checks[256];
        checks_of(&v, checks, sizeof checks);
        if (strcmp(checks, pc->checks) != 0 || v.status != pc->status ||
            (v.vector.present & (1u << pc->category)) == 0 || v.vector.claim[pc->category] != pc->value) {
            fail_msg("%s: checks '%s' status %u %s=%d", pc->name, checks, v.status,
                     mm_ar4si_category_name(pc->category), v.vector.claim[pc->category]);
        }
        /* The categories a check did not touch keep their affirming value
         * (2 for those the reference values cover). */
        for (unsigned k = 0; k < MM_AR4SI_CATEGORIES; k++) {
            bool covered = k == MM_AR4SI_INSTANCE_IDENTITY || k == MM_AR4SI_CONFIGURATION ||
                           k == MM_AR4SI_EXECUTABLES || k == MM_AR4SI_HARDWARE;
            assert_int_equal((v.vector.present >> k) & 1u, covered ? 1u : 0u);
            if (covered && k != pc->category && v.vector.claim[k] != 2) {
                fail_msg("%s: %s is %d", pc->name, mm_ar4si_category_name(k), v.vector.claim[k]);
            }
        }
        for (size_t f = 0; f < v.n_findings; f++) {
            assert_true(strlen(v.findings[f].detail) > 5);
            assert_int_equal(v.findings[f].category, pc->category);
        }
    }
}

/* No reference values: the instance alone is vouched for. */
static void test_policy_no_refs(void **state)
{
    (void)state;
    device_claims d;
    healthy(&d);
    vf_policy_in in = {ossl, &device_endorsement, NULL, 0};
    vf_verdict v;
    assert_int_equal(vf_policy_evaluate(&d.c, &in, &v), MM_OK);
    assert_int_equal(v.vector.present, 1u << MM_AR4SI_INSTANCE_IDENTITY);
    assert_int_equal(v.status, MM_AR4SI_AFFIRMING);
    /* A model's key vouches for its hardware too. */
    vf_endorsement e = device_endorsement;
    e.scope.ueid = mm_bytes_make(NULL, 0);
    e.scope.oemid = mm_bytes_make(oemid_value, oemid_len);
    e.scope.hwmodel = mm_bytes_make(hwmodel, sizeof hwmodel);
    in.endorsement = &e;
    assert_int_equal(vf_policy_evaluate(&d.c, &in, &v), MM_OK);
    assert_int_equal(v.vector.present, (1u << MM_AR4SI_INSTANCE_IDENTITY) | (1u << MM_AR4SI_HARDWARE));
    assert_int_equal(v.vector.claim[MM_AR4SI_HARDWARE], 2);
    /* Several failures in one category: the worst value wins. */
    vf_ref refs[16];
    size_t n = reference(refs);
    d.c.swname = MM_BYTES_LIT("Evil OS");     /* 33 */
    d.results[0].result = MM_EAT_RESULT_FAIL; /* 96 */
    in.endorsement = &device_endorsement;
    in.refs = refs;
    in.n_refs = n;
    assert_int_equal(vf_policy_evaluate(&d.c, &in, &v), MM_OK);
    assert_int_equal(v.vector.claim[MM_AR4SI_EXECUTABLES], 96);
    assert_int_equal(v.n_failed, 2);
}

/* Per kind, the most specific scope wins; alternatives of one kind. */
static void test_policy_scopes(void **state)
{
    (void)state;
    device_claims d;
    healthy(&d);
    vf_scope every = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    vf_ref refs[] = {
        {1, every, VF_REF_SWNAME, MM_BYTES_LIT("Other OS"), 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {2, dev, VF_REF_SWNAME, MM_BYTES_LIT("Old OS"), 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {3, dev, VF_REF_SWNAME, MM_BYTES_LIT("Acme OS"), 0, 0, {NULL, 0}, MM_BYTES_LIT("t")},
        {4, every, VF_REF_DEBUG, {NULL, 0}, 0, MM_EAT_DBG_DISABLED, {NULL, 0}, MM_BYTES_LIT("t")},
        {5, every, VF_REF_DEBUG, {NULL, 0}, 0, MM_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY, {NULL, 0}, MM_BYTES_LIT("t")},
    };
    vf_policy_in in = {ossl, &device_endorsement, refs, 3};
    vf_verdict v;
    assert_int_equal(vf_policy_evaluate(&d.c, &in, &v), MM_OK);
    assert_int_equal(v.status, MM_AR4SI_AFFIRMING); /* the device's own list names Acme OS */
    in.n_refs = 1;
    assert_int_equal(vf_policy_evaluate(&d.c, &in, &v), MM_OK);
    assert_int_equal(v.vector.claim[MM_AR4SI_EXECUTABLES], 33);
    /* Two debug rows at one scope: the strictest. */
    in.refs = refs + 3;
    in.n_refs = 2;
    assert_int_equal(vf_policy_evaluate(&d.c, &in, &v), MM_OK);
    assert_int_equal(v.vector.claim[MM_AR4SI_CONFIGURATION], 96);
    assert_non_null(strstr(v.findings[0].detail, "disabled-fully-and-permanently"));
}

static void test_oemid(void **state)
{
    (void)state;
    uint8_t out[32];
    size_t len = 0;
    char text[64];
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("32473"), out, &len), MM_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(out, "\x19\x7e\xd9", 3);
    vf_oemid_text(mm_bytes_make(out, len), text, sizeof text);
    assert_string_equal(text, "PEN 32473");
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("89-48-23"), out, &len), MM_OK);
    assert_memory_equal(out, "\x43\x89\x48\x23", 4);
    vf_oemid_text(mm_bytes_make(out, len), text, sizeof text);
    assert_string_equal(text, "OUI 89-48-23");
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("00112233445566778899aabbccddeeff"), out, &len), MM_OK);
    assert_int_equal(len, 17);
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("8948"), out, &len), MM_OK); /* a PEN, all digits */
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("89:48"), out, &len), MM_ERR_SYNTAX);
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("zz-48-23"), out, &len), MM_ERR_SYNTAX);
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT(""), out, &len), MM_ERR_SYNTAX);
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("99999999999999999999"), out, &len), MM_ERR_SYNTAX);
}

/*
 * Nonces.
 */
static void test_nonce(void **state)
{
    (void)state;
    uint8_t secret[32] = {1, 2, 3};
    mm_key k, k2;
    assert_int_equal(vf_nonce_key(ossl, secret, &k), MM_OK);
    secret[0] = 9;
    assert_int_equal(vf_nonce_key(ossl, secret, &k2), MM_OK);
    uint8_t n[VF_NONCE_LEN], m[VF_NONCE_LEN];
    assert_int_equal(vf_nonce_make(ossl, &k, 1000, n), MM_OK);
    assert_int_equal(vf_nonce_make(ossl, &k, 1000, m), MM_OK);
    assert_memory_not_equal(n, m, VF_NONCE_RANDOM); /* fresh randomness each time */
    int64_t exp = 0;
    assert_int_equal(vf_nonce_check(ossl, &k, mm_bytes_make(n, sizeof n), 999, &exp), MM_OK);
    assert_int_equal(exp, 1000);
    assert_int_equal(vf_nonce_check(ossl, &k, mm_bytes_make(n, sizeof n), 1000, &exp), MM_ERR_EXPIRED);
    assert_int_equal(vf_nonce_check(ossl, &k2, mm_bytes_make(n, sizeof n), 999, NULL), MM_ERR_VERIFY);
    assert_int_equal(vf_nonce_check(ossl, &k, mm_bytes_make(n, sizeof n - 1), 999, NULL), MM_ERR_VERIFY);
    for (size_t i = 0; i < sizeof n; i++) {
        n[i] ^= 0x80; /* any bit, random part, expiry or tag */
        assert_int_equal(vf_nonce_check(ossl, &k, mm_bytes_make(n, sizeof n), 999, NULL), MM_ERR_VERIFY);
        n[i] ^= 0x80;
    }
    mm_key_free(&k);
    mm_key_free(&k2);
}

/*
 * The store.
 */
static void db_path(const char *name, char *out, size_t cap) { snprintf(out, cap, "%s/%s", dir, name); }

static void endorse(vf_store *s, const mm_key *key, const vf_scope *scope, mm_bytes kid, bool compromised, int64_t *id)
{
    uint8_t cose[512], tp[32];
    size_t cose_len = 0;
    mm_key_parts parts;
    uint8_t buf[512];
    assert_int_equal(mm_key_export(key, 0, &parts, buf, sizeof buf), MM_OK);
    mm_buf out = mm_buf_make(cose, sizeof cose);
    assert_int_equal(mm_cose_key_encode(&parts, kid, 0, &out), MM_OK);
    cose_len = out.len;
    size_t tl = 0;
    uint8_t t[MM_HASH_MAX];
    assert_int_equal(mm_cose_key_thumbprint(ossl, &parts, MM_ALG_SHA256, t, &tl), MM_OK);
    memcpy(tp, t, 32);
    vf_endorsement e;
    memset(&e, 0, sizeof e);
    e.scope = *scope;
    e.cose_key = mm_bytes_make(cose, cose_len);
    e.kid = kid;
    e.thumbprint = mm_bytes_make(tp, 32);
    e.compromised = compromised;
    e.source = MM_BYTES_LIT("test");
    assert_int_equal(vf_store_add_endorsement(s, &e, id), MM_OK);
}

/* The used nonces a store loads, and gives to save. */
typedef struct nonces_io {
    const vf_used_nonce *save;
    size_t n_save, next, got;
    bool accept;
    vf_used_nonce loaded[4];
} nonces_io;

static bool put_nonce(void *user, const vf_used_nonce *n)
{
    nonces_io *io = user;
    if (!io->accept) {
        return false;
    }
    assert_true(io->got < 4);
    io->loaded[io->got++] = *n;
    return true;
}

static bool next_nonce(void *user, vf_used_nonce *n)
{
    nonces_io *io = user;
    if (io->next == io->n_save) {
        return false;
    }
    *n = io->save[io->next++];
    return true;
}

/*
 * The policy version is read again whenever any connection of any process
 * has committed since the last read, and served from the wal-index header's
 * watch (vf_wal_watch.h) otherwise.
 */
static void test_policy_version_watch(void **state)
{
    (void)state;
    char path[128];
    db_path("watch.db", path, sizeof path);
    vf_store *s = NULL;
    assert_int_equal(vf_store_open(path, 2, &s), MM_OK);
    vf_wal_watch w;
    assert_true(vf_wal_watch_open(&w, path)); /* the store is in WAL mode */
    uint8_t h1[VF_WAL_HDR], h2[VF_WAL_HDR];
    vf_wal_watch_read(&w, h1);
    int64_t v0 = -1, v = -1;
    assert_int_equal(vf_store_policy_version(s, &v0), MM_OK);
    assert_int_equal(vf_store_policy_version(s, &v), MM_OK);
    assert_int_equal(v, v0);

    /* Another connection of this process. */
    vf_store *admin = NULL;
    assert_int_equal(vf_store_open(path, 1, &admin), MM_OK);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    int64_t id = 0;
    endorse(admin, &device, &dev, MM_BYTES_LIT("dev-1"), false, &id);
    vf_wal_watch_read(&w, h2);
    assert_memory_not_equal(h1, h2, VF_WAL_HDR);
    assert_int_equal(vf_store_policy_version(s, &v), MM_OK);
    assert_true(v > v0);
    int64_t v1 = v;

    /* Another process, straight through SQLite, as any tool may. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db = NULL;
        int rc = sqlite3_open(path, &db);
        if (rc == SQLITE_OK) {
            sqlite3_busy_timeout(db, 5000);
            rc = sqlite3_exec(db, "UPDATE meta SET value = value + 1 WHERE name = 'policy-version';", NULL, NULL, NULL);
        }
        sqlite3_close(db);
        _exit(rc == SQLITE_OK ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(vf_store_policy_version(s, &v), MM_OK);
    assert_int_equal(v, v1 + 1);
    assert_int_equal(vf_store_policy_version(s, &v), MM_OK);
    assert_int_equal(v, v1 + 1);

    vf_wal_watch_close(&w);
    vf_store_close(admin);
    vf_store_close(s);
}

static void test_store(void **state)
{
    (void)state;
    char path[128];
    db_path("store.db", path, sizeof path);
    vf_store *s = NULL;
    assert_int_equal(vf_store_open(path, 2, &s), MM_OK);
    uint8_t secret[32], again[32];
    vf_store_secret(s, secret);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    uint8_t ov[32];
    size_t ol = 0;
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("89-48-23"), ov, &ol), MM_OK);
    vf_scope model = {{NULL, 0}, mm_bytes_make(ov, ol), mm_bytes_make(hwmodel, sizeof hwmodel)};
    vf_scope every = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
    int64_t id1 = 0, id2 = 0;
    endorse(s, &device, &dev, MM_BYTES_LIT("dev-1"), false, &id1);
    endorse(s, &other, &model, mm_bytes_make(NULL, 0), false, &id2);
    /* No scope, or two: refused, nothing written. */
    vf_endorsement bad;
    memset(&bad, 0, sizeof bad);
    bad.cose_key = MM_BYTES_LIT("x");
    bad.thumbprint = MM_BYTES_LIT("x");
    bad.source = MM_BYTES_LIT("x");
    assert_int_equal(vf_store_add_endorsement(s, &bad, NULL), MM_ERR_INVALID_ARG);
    bad.scope = dev;
    bad.scope.oemid = model.oemid;
    bad.scope.hwmodel = model.hwmodel;
    assert_int_equal(vf_store_add_endorsement(s, &bad, NULL), MM_ERR_INVALID_ARG);

    vf_rows *rows = calloc(1, sizeof *rows);
    assert_non_null(rows);
    vf_lookup lk = {MM_BYTES_LIT("dev-1"), {NULL, 0}, {NULL, 0}, {NULL, 0}};
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 1);
    assert_int_equal(rows->endorsements[0].id, id1);
    /* By thumbprint as kid. */
    lk.kid = rows->endorsements[0].thumbprint;
    uint8_t tp[32];
    memcpy(tp, lk.kid.ptr, 32);
    lk.kid = mm_bytes_make(tp, 32);
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 1);
    /* An unknown kid falls back to the ueid, then the model. */
    lk.kid = MM_BYTES_LIT("nobody");
    lk.ueid = mm_bytes_make(ueid, sizeof ueid);
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 1);
    assert_int_equal(rows->endorsements[0].id, id1);
    lk.ueid = mm_bytes_make(ueid2, sizeof ueid2);
    lk.oemid = model.oemid;
    lk.hwmodel = model.hwmodel;
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 1);
    assert_int_equal(rows->endorsements[0].id, id2);
    lk.hwmodel = MM_BYTES_LIT("\x01");
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 0);

    /* Reference values of a device, its model and everyone. */
    vf_ref refs[] = {
        {0, every, VF_REF_SWNAME, MM_BYTES_LIT("A"), 0, 0, {NULL, 0}, MM_BYTES_LIT("local")},
        {0, dev, VF_REF_SWNAME, MM_BYTES_LIT("B"), 0, 0, {NULL, 0}, MM_BYTES_LIT("local")},
        {0, model, VF_REF_DEBUG, {NULL, 0}, 0, 2, {NULL, 0}, MM_BYTES_LIT("corim:x")},
        {0, model, VF_REF_MEASUREMENT, MM_BYTES_LIT("0123456789abcdef0123456789abcdef"), MM_ALG_SHA256, 0,
         MM_BYTES_LIT("boot"), MM_BYTES_LIT("corim:x")},
    };
    int64_t ids[4];
    assert_int_equal(vf_store_add_refs(s, refs, 4, ids), MM_OK);
    assert_int_equal(ids[3], ids[0] + 3);
    /* One bad row: none of the batch is written. */
    vf_ref two[2] = {refs[0], refs[0]};
    two[1].kind = 0;
    assert_int_equal(vf_store_add_refs(s, two, 2, NULL), MM_ERR_INVALID_ARG);
    vf_lookup who = {{NULL, 0}, mm_bytes_make(ueid, sizeof ueid), model.oemid, model.hwmodel};
    assert_int_equal(vf_store_find_refs(s, &who, rows), MM_OK);
    assert_int_equal(rows->n_refs, 4);
    assert_int_equal(rows->refs[3].kind, VF_REF_MEASUREMENT);
    assert_int_equal(rows->refs[3].alg, MM_ALG_SHA256);
    assert_true(mm_bytes_equal(rows->refs[3].label, MM_BYTES_LIT("boot")));
    assert_int_equal(rows->refs[2].level, 2);
    who.oemid = mm_bytes_make(NULL, 0);
    who.hwmodel = mm_bytes_make(NULL, 0);
    assert_int_equal(vf_store_find_refs(s, &who, rows), MM_OK);
    assert_int_equal(rows->n_refs, 2);
    size_t removed = 0;
    assert_int_equal(vf_store_remove_refs(s, 0, MM_BYTES_LIT("corim:x"), &removed), MM_OK);
    assert_int_equal(removed, 2);
    assert_int_equal(vf_store_remove_endorsements(s, id2, mm_bytes_make(NULL, 0), &removed), MM_OK);
    assert_int_equal(removed, 1);
    /* replace_source: the rows of a source, all replaced at once. */
    vf_ref fresh = refs[0];
    fresh.source = MM_BYTES_LIT("corim:y");
    assert_int_equal(vf_store_replace_source(s, MM_BYTES_LIT("corim:y"), NULL, 0, &fresh, 1), MM_OK);
    assert_int_equal(vf_store_replace_source(s, MM_BYTES_LIT("corim:y"), NULL, 0, &fresh, 1), MM_OK);
    int64_t ne = 0, nr = 0, nu = 0;
    assert_int_equal(vf_store_counts(s, &ne, &nr, &nu), MM_OK);
    assert_int_equal(ne, 1);
    assert_int_equal(nr, 3);
    fresh.source = MM_BYTES_LIT("other");
    assert_int_equal(vf_store_replace_source(s, MM_BYTES_LIT("corim:y"), NULL, 0, &fresh, 1), MM_ERR_INVALID_ARG);
    assert_int_equal(vf_store_counts(s, &ne, &nr, &nu), MM_OK);
    assert_int_equal(nr, 3); /* the failed replacement rolled back */

    /* Used nonces: saved by a clean stop, loaded back by the next start. */
    vf_used_nonce saved[3];
    memset(saved, 0, sizeof saved);
    saved[0].tag[0] = 1;
    saved[0].expires = 2000;
    saved[1].tag[0] = 2;
    saved[1].expires = 1400; /* expired by the next start */
    saved[2].tag[0] = 3;
    saved[2].expires = 3000;
    nonces_io io;
    memset(&io, 0, sizeof io);
    io.save = saved;
    io.n_save = 3;
    io.accept = true;
    vf_run_start how = VF_RUN_CLEAN;
    assert_int_equal(vf_store_run_begin(s, 1000, put_nonce, &io, &how), MM_OK);
    assert_int_equal(how, VF_RUN_FIRST);
    assert_int_equal(io.got, 0);
    vf_store_secret(s, secret);
    assert_int_equal(vf_store_run_end(s, next_nonce, &io), MM_OK);
    vf_store_close(s);
    assert_int_equal(vf_store_open(path, 1, &s), MM_OK);
    vf_store_secret(s, again);
    assert_memory_equal(secret, again, 32); /* the nonce key survives */
    assert_int_equal(vf_store_counts(s, &ne, &nr, &nu), MM_OK);
    assert_int_equal(nu, 3);
    memset(io.loaded, 0, sizeof io.loaded);
    assert_int_equal(vf_store_run_begin(s, 1500, put_nonce, &io, &how), MM_OK);
    assert_int_equal(how, VF_RUN_CLEAN);
    assert_int_equal(io.got, 2); /* the unexpired ones */
    assert_int_equal(io.loaded[0].tag[0] + io.loaded[1].tag[0], 1 + 3);
    vf_store_secret(s, again);
    assert_memory_equal(secret, again, 32);
    /* A run that does not end (a crash): the key is replaced, nothing loaded. */
    vf_store_close(s);
    assert_int_equal(vf_store_open(path, 1, &s), MM_OK);
    io.got = 0;
    assert_int_equal(vf_store_run_begin(s, 1500, put_nonce, &io, &how), MM_OK);
    assert_int_equal(how, VF_RUN_UNCLEAN);
    assert_int_equal(io.got, 0);
    vf_store_secret(s, again);
    assert_memory_not_equal(secret, again, 32);
    assert_int_equal(vf_store_counts(s, &ne, &nr, &nu), MM_OK);
    assert_int_equal(nu, 0);
    /* Saved nonces that do not fit the set: the key is replaced too. */
    io.next = 0;
    assert_int_equal(vf_store_run_end(s, next_nonce, &io), MM_OK);
    vf_store_secret(s, secret);
    vf_store_close(s);
    assert_int_equal(vf_store_open(path, 1, &s), MM_OK);
    io.got = 0;
    io.accept = false;
    assert_int_equal(vf_store_run_begin(s, 1500, put_nonce, &io, &how), MM_OK);
    assert_int_equal(how, VF_RUN_TOO_MANY);
    vf_store_secret(s, again);
    assert_memory_not_equal(secret, again, 32);
    vf_store_close(s);
    free(rows);
}

/* A reference set: the tags added and not expired, by a plain scan. */
typedef struct ref_entry {
    uint8_t key[VF_USED_KEY];
    int64_t expires;
} ref_entry;

static bool ref_has(const ref_entry *r, size_t n, const uint8_t *key, int64_t now)
{
    for (size_t i = 0; i < n; i++) {
        if (r[i].expires > now && memcmp(r[i].key, key, VF_USED_KEY) == 0) {
            return true;
        }
    }
    return false;
}

/* The used-nonce set against a plain list: keys that share their hash's low
 * bits (long probe chains), expiring at different times, so that pruning
 * moves entries back across chains and the table's end. */
static void test_used_set(void **state)
{
    (void)state;
    vf_used *u = NULL;
    assert_int_equal(vf_used_new(0, &u), MM_ERR_INVALID_ARG);
    assert_int_equal(vf_used_new(4, &u), MM_OK);
    uint8_t k[5][VF_USED_KEY];
    memset(k, 0, sizeof k);
    for (int i = 0; i < 5; i++) {
        k[i][8] = (uint8_t)(i + 1); /* the same home slot */
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(vf_used_add(u, k[i], 100 + i, 50), VF_USED_FRESH);
    }
    assert_int_equal(vf_used_add(u, k[2], 102, 50), VF_USED_REPLAYED);
    assert_int_equal(vf_used_add(u, k[4], 200, 50), VF_USED_FULL); /* four unexpired: never unrecorded */
    assert_int_equal(vf_used_add(u, k[4], 200, 50), VF_USED_FULL);
    assert_int_equal(vf_used_count(u), 4);
    assert_int_equal(vf_used_add(u, k[4], 200, 101), VF_USED_FRESH); /* two expired */
    assert_int_equal(vf_used_add(u, k[3], 103, 101), VF_USED_REPLAYED);
    assert_int_equal(vf_used_add(u, k[4], 200, 101), VF_USED_REPLAYED);
    size_t pos = 0, n = 0;
    uint8_t key[VF_USED_KEY];
    int64_t exp = 0;
    while (vf_used_next(u, &pos, 101, key, &exp)) {
        assert_true(exp > 101);
        n++;
    }
    assert_int_equal(n, 3);
    vf_used_free(u);

    enum { CAP = 64, STEPS = 20000, KEYS = 400 };
    assert_int_equal(vf_used_new(CAP, &u), MM_OK);
    ref_entry *ref = calloc(STEPS, sizeof *ref);
    assert_non_null(ref);
    size_t nref = 0;
    uint32_t x = 12345;
    int64_t now = 1000;
    for (int step = 0; step < STEPS; step++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if (x % 8 == 0) {
            now++;
        }
        uint8_t kk[VF_USED_KEY];
        memset(kk, 0, sizeof kk);
        kk[0] = (uint8_t)(x >> 8 & 0x7) | 0x78; /* few homes, near the table's end too */
        uint32_t id = (x >> 12) % KEYS;
        memcpy(kk + 8, &id, sizeof id);
        int64_t e = 1000 + (int64_t)id * 7 % 40; /* one key, one expiry, as with nonces */
        while (e <= now) {
            e += 40;
        }
        memcpy(kk + 12, &e, 4);
        size_t live = 0;
        for (size_t i = 0; i < nref; i++) {
            live += ref[i].expires > now;
        }
        vf_used_result r = vf_used_add(u, kk, e, now);
        if (ref_has(ref, nref, kk, now)) {
            assert_int_equal(r, VF_USED_REPLAYED);
        } else if (r == VF_USED_FULL) {
            assert_true(live >= CAP);
        } else {
            assert_int_equal(r, VF_USED_FRESH);
            memcpy(ref[nref].key, kk, VF_USED_KEY);
            ref[nref++].expires = e;
        }
    }
    free(ref);
    vf_used_free(u);
}

/*
 * Whole appraisals, in-process.
 */
typedef struct fixture {
    vf_service *svc;
    mm_key nonce_key_copy;
    int64_t id_device;
} fixture;

/* Clears f and opens the service on the database db (in the test folder),
 * with room for used used nonces (0: the default). */
static void open_service_used(fixture *f, const char *db, unsigned iat_window, size_t used)
{
    memset(f, 0, sizeof *f);
    vf_config cfg;
    vf_config_init(&cfg);
    char path[128];
    db_path(db, path, sizeof path);
    cfg.database = path;
    cfg.key = &verifier_key;
    cfg.alg = MM_ALG_ES256;
    cfg.iat_window = iat_window;
    cfg.clock = test_clock;
    cfg.threads = 2;
    if (used != 0) {
        cfg.used_nonces = used;
    }
    vf_error err;
    if (vf_service_open(&cfg, &f->svc, &err) != MM_OK) {
        fail_msg("%s", err.msg);
    }
}

static void open_service(fixture *f, const char *db, unsigned iat_window) { open_service_used(f, db, iat_window, 0); }

static mm_bytes challenge(fixture *f, uint8_t nonce[VF_NONCE_LEN])
{
    assert_int_equal(vf_nonce_make(ossl, &f->svc->nonce_key, clock_now + f->svc->cfg.nonce_ttl, nonce), MM_OK);
    return mm_bytes_make(nonce, VF_NONCE_LEN);
}

/* Signs claims as evidence. */
static size_t evidence(const mm_eat_claims *c, const mm_key *key, mm_bytes kid, unsigned flags, uint8_t *out,
                       size_t cap)
{
    mm_cose_create_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = ossl;
    co.key = key;
    co.alg = MM_ALG_ES256;
    co.kid = kid;
    mm_buf b = mm_buf_make(out, cap);
    assert_int_equal(mm_eat_sign(c, &co, flags, &b), MM_OK);
    return b.len;
}

static void appraise(fixture *f, mm_bytes ev, bool jwt, vf_outcome *out)
{
    vf_request r = {ev, {NULL, 0}, jwt};
    vf_appraise(f->svc, &r, out);
}

/* The outcome, its nonce recorded used (as the HTTP edge does). */
static void appraise_used(fixture *f, mm_bytes ev, vf_outcome *out)
{
    appraise(f, ev, false, out);
    vf_use_nonce(f->svc, out);
}

static void expect_refusal(const vf_outcome *o, unsigned status, const char *title)
{
    if (o->status != status || o->title == NULL || strcmp(o->title, title) != 0) {
        fail_msg("wanted %u %s, got %u %s: %s", status, title, o->status, o->title != NULL ? o->title : "-", o->detail);
    }
    assert_null(o->result);
}

typedef struct ear_view {
    mm_ear_appraisal aps[2];
    mm_bytes ids[8];
    mm_ear ear;
} ear_view;

static void open_ear(const vf_outcome *o, ear_view *v)
{
    assert_int_equal(o->status, 200);
    mm_ear_storage st = {v->aps, 2, v->ids, 8};
    mm_cose_verify_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = ossl;
    co.key = &verifier_key;
    mm_err e = mm_ear_verify(mm_bytes_make(o->result, o->result_len), &co, NULL, mm_bytes_make(NULL, 0), &st, &v->ear);
    assert_int_equal(e, MM_OK);
}

static void test_appraise(void **state)
{
    (void)state;
    fixture f;
    open_service(&f, "appraise.db", 0);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    endorse(f.svc->store, &device, &dev, MM_BYTES_LIT("dev-1"), false, &f.id_device);
    add_references(f.svc->store);

    device_claims d;
    healthy(&d);
    uint8_t nonce[VF_NONCE_LEN];
    d.c.nonce = challenge(&f, nonce);
    d.c.n_nonces = 1;
    d.c.present |= MM_EAT_HAS_NONCE;
    uint8_t ev[1024];
    size_t len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    vf_outcome o;
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    ear_view *v = calloc(1, sizeof *v);
    assert_non_null(v);
    open_ear(&o, v);
    assert_int_equal(o.tier, MM_AR4SI_AFFIRMING);
    const mm_ear *r = &v->ear;
    assert_int_equal(r->iat, clock_now);
    assert_int_equal(r->exp, clock_now + 300);
    assert_int_equal(r->status, MM_AR4SI_AFFIRMING);
    assert_true(mm_bytes_equal(r->nonce, mm_bytes_make(nonce, sizeof nonce)));
    uint8_t digest[MM_HASH_MAX];
    size_t dl = 0;
    assert_int_equal(mm_hash(ossl, MM_ALG_SHA256, mm_bytes_make(ev, len), digest, &dl), MM_OK);
    assert_int_equal(r->evidence_digest_alg, MM_ALG_SHA256);
    assert_true(mm_bytes_equal(r->evidence_digest, mm_bytes_make(digest, dl)));
    assert_int_equal((r->present & MM_EAR_HAS_RAW_EVIDENCE), 0); /* privacy: not by default */
    assert_int_equal(r->n_submods, 1);
    const mm_ear_appraisal *ap = mm_ear_find(r, MM_BYTES_LIT("device"));
    assert_non_null(ap);
    assert_int_equal(ap->vector.claim[MM_AR4SI_INSTANCE_IDENTITY], 2);
    assert_int_equal(ap->vector.claim[MM_AR4SI_EXECUTABLES], 2);
    assert_int_equal(ap->vector.claim[MM_AR4SI_CONFIGURATION], 2);
    assert_int_equal(ap->vector.claim[MM_AR4SI_HARDWARE], 2);
    assert_true(mm_bytes_equal(ap->nonce, mm_bytes_make(nonce, sizeof nonce)));
    assert_int_equal(ap->present & (MM_EAR_AP_TEEP | MM_EAR_AP_CHECKS), 0);
    assert_int_equal(ap->n_policy_ids, 2); /* the endorsement's source, the references' */
    assert_true(mm_bytes_equal(ap->policy_ids[0], MM_BYTES_LIT("test")));
    assert_true(mm_bytes_equal(ap->policy_ids[1], MM_BYTES_LIT("t")));
    vf_outcome_free(&o);

    /* The same evidence again: its nonce is used. */
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    expect_refusal(&o, 403, VF_T_NONCE_USED);

    /* Debug enabled: a signed, contraindicated result naming the check. */
    d.c.dbgstat = MM_EAT_DBG_ENABLED;
    d.c.nonce = challenge(&f, nonce);
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    open_ear(&o, v);
    ap = &v->ear.submods[0];
    assert_int_equal(v->ear.status, MM_AR4SI_CONTRAINDICATED);
    assert_int_equal(ap->vector.claim[MM_AR4SI_CONFIGURATION], 96);
    assert_true((ap->present & MM_EAR_AP_CHECKS) != 0);
    mm_cbor_dec dec;
    size_t pairs = 0;
    mm_bytes k, t;
    assert_int_equal(mm_cbor_dec_init(&dec, ap->checks, 0), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&dec, &pairs), MM_OK);
    assert_int_equal(pairs, 1);
    assert_int_equal(mm_cbor_get_tstr(&dec, &k), MM_OK);
    assert_int_equal(mm_cbor_get_tstr(&dec, &t), MM_OK);
    assert_true(mm_bytes_equal(k, MM_BYTES_LIT("debug")));
    assert_true(t.len > 10 && memcmp(t.ptr, "debug is enabled", 16) == 0);
    vf_outcome_free(&o);
    d.c.dbgstat = MM_EAT_DBG_DISABLED_PERMANENTLY;

    /* As a JWT: the same verdict, verified with the verifier's key. */
    d.c.nonce = challenge(&f, nonce);
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), true, &o);
    assert_int_equal(o.status, 200);
    assert_true(o.jwt);
    mm_ear_storage st = {v->aps, 2, v->ids, 8};
    uint8_t *cbor = NULL;
    assert_int_equal(mm_ear_jwt_verify(mm_bytes_make(o.result, o.result_len), ossl, &verifier_key, NULL,
                                       mm_bytes_make(nonce, sizeof nonce), &st, &cbor, &v->ear),
                     MM_OK);
    assert_int_equal(v->ear.status, MM_AR4SI_AFFIRMING);
    free(cbor);
    vf_outcome_free(&o);

    /* Unknown attester: another ueid, no kid. */
    d.c.ueid = mm_bytes_make(ueid2, sizeof ueid2);
    d.c.nonce = challenge(&f, nonce);
    len = evidence(&d.c, &other, mm_bytes_make(NULL, 0), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_UNKNOWN);
    assert_false(o.needs_use);
    /* Wrong key: the device's ueid and kid, another key. */
    d.c.ueid = mm_bytes_make(ueid, sizeof ueid);
    len = evidence(&d.c, &other, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_SIGNATURE);
    /* A nonce another verifier issued. */
    uint8_t foreign[VF_NONCE_LEN];
    memcpy(foreign, nonce, sizeof foreign);
    foreign[VF_NONCE_LEN - 1] ^= 1;
    d.c.nonce = mm_bytes_make(foreign, sizeof foreign);
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_NONCE_UNKNOWN);
    /* An expired nonce. */
    d.c.nonce = challenge(&f, nonce);
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    clock_now += 121;
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_NONCE_EXPIRED);
    /* No nonce, and the timestamp mode is off. */
    d.c.present &= ~(uint32_t)MM_EAT_HAS_NONCE;
    d.c.cwt.iat = clock_now;
    d.c.cwt.present |= MM_CWT_HAS_IAT;
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_NOT_FRESH);
    /* Expired evidence (exp). */
    d.c.present |= MM_EAT_HAS_NONCE;
    d.c.nonce = challenge(&f, nonce);
    d.c.cwt.exp = clock_now - 3600;
    d.c.cwt.present |= MM_CWT_HAS_EXP;
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_NOT_FRESH);
    d.c.cwt.present &= ~(uint32_t)MM_CWT_HAS_EXP;
    /* An unknown profile, and a profile the media type contradicts. */
    d.c.profile = MM_BYTES_LIT("tag:example.com,2026:other");
    d.c.present |= MM_EAT_HAS_PROFILE;
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 422, VF_T_PROFILE);
    d.c.present &= ~(uint32_t)MM_EAT_HAS_PROFILE;
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    vf_request rq = {mm_bytes_make(ev, len), MM_BYTES_LIT(VF_TEEP_PROFILE), false};
    vf_appraise(f.svc, &rq, &o);
    expect_refusal(&o, 422, VF_T_PROFILE);
    /* Malformed: truncated, not CBOR, a MACed token, submodules. */
    appraise(&f, mm_bytes_make(ev, len - 1), false, &o);
    expect_refusal(&o, 400, VF_T_MALFORMED);
    appraise(&f, MM_BYTES_LIT("not a token"), false, &o);
    expect_refusal(&o, 400, VF_T_MALFORMED);
    appraise(&f, MM_BYTES_LIT("\xd1\x84\x40\xa0\x40\x40"), false, &o);
    expect_refusal(&o, 422, VF_T_UNSUPPORTED);
    mm_eat_submod sm = {MM_BYTES_LIT("se"), MM_EAT_SUBMOD_CLAIMS, MM_BYTES_LIT("\xa1\x19\x01\x0e\x61x"), 0, {NULL, 0}};
    d.c.submods = &sm;
    d.c.n_submods = 1;
    d.c.present |= MM_EAT_HAS_SUBMODS;
    len = evidence(&d.c, &device, MM_BYTES_LIT("dev-1"), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 422, VF_T_UNSUPPORTED);
    free(v);
    vf_service_close(f.svc);
}

/* Timestamp freshness (the passport model): iat within the window. */
static void test_appraise_iat(void **state)
{
    (void)state;
    fixture f;
    open_service(&f, "iat.db", 300);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    endorse(f.svc->store, &device, &dev, mm_bytes_make(NULL, 0), false, &f.id_device);
    device_claims d;
    healthy(&d);
    d.c.cwt.present = MM_CWT_HAS_IAT;
    uint8_t ev[1024];
    vf_outcome o;
    const struct {
        int64_t age;
        unsigned status;
    } cases[] = {{0, 200}, {300, 200}, {301, 403}, {-60, 200}, {-61, 403}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        d.c.cwt.iat = clock_now - cases[i].age;
        size_t len = evidence(&d.c, &device, mm_bytes_make(NULL, 0), 0, ev, sizeof ev);
        appraise(&f, mm_bytes_make(ev, len), false, &o);
        assert_int_equal(o.status, cases[i].status);
        assert_false(o.needs_use); /* nothing to mark used */
        if (o.status == 200) {
            ear_view v;
            open_ear(&o, &v);
            assert_int_equal(v.ear.present & MM_EAR_HAS_NONCE, 0);
        } else {
            expect_refusal(&o, 403, VF_T_NOT_FRESH);
        }
        vf_outcome_free(&o);
    }
    /* Evidence with no iat and no nonce. */
    d.c.cwt.present = 0;
    size_t len = evidence(&d.c, &device, mm_bytes_make(NULL, 0), 0, ev, sizeof ev);
    appraise(&f, mm_bytes_make(ev, len), false, &o);
    expect_refusal(&o, 403, VF_T_NOT_FRESH);
    vf_service_close(f.svc);
}

/* TEEP profile evidence: the profile enforced, the TEEP claims in the
 * result. */
static void test_appraise_teep(void **state)
{
    (void)state;
    fixture f;
    open_service(&f, "teep.db", 0);
    uint8_t ov[32];
    size_t ol = 0;
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("89-48-23"), ov, &ol), MM_OK);
    vf_scope model = {{NULL, 0}, mm_bytes_make(ov, ol), mm_bytes_make(hwmodel, sizeof hwmodel)};
    endorse(f.svc->store, &device, &model, mm_bytes_make(NULL, 0), false, &f.id_device);
    add_references(f.svc->store);
    device_claims d;
    healthy(&d);
    uint8_t nonce[VF_NONCE_LEN];
    d.c.nonce = challenge(&f, nonce);
    d.c.n_nonces = 1;
    d.c.profile = MM_BYTES_LIT(VF_TEEP_PROFILE);
    d.c.present |= MM_EAT_HAS_NONCE | MM_EAT_HAS_PROFILE;
    uint8_t cnf[64];
    mm_buf cb = mm_buf_make(cnf, sizeof cnf);
    assert_int_equal(mm_eat_cnf_kid_encode(ossl, &other, MM_ALG_SHA256, &cb), MM_OK);
    d.c.cwt.cnf = mm_bytes_make(cnf, cb.len);
    d.c.cwt.present |= MM_CWT_HAS_CNF;
    /* The kid: the attestation key's thumbprint. */
    uint8_t kcnf[64];
    mm_buf kb = mm_buf_make(kcnf, sizeof kcnf);
    assert_int_equal(mm_eat_cnf_kid_encode(ossl, &device, MM_ALG_SHA256, &kb), MM_OK);
    mm_bytes kid = mm_bytes_make(kcnf + 4, 32);
    uint8_t ev[1024];
    size_t len = evidence(&d.c, &device, kid, MM_EAT_UNTAGGED, ev, sizeof ev);
    vf_outcome o;
    vf_request rq = {mm_bytes_make(ev, len), MM_BYTES_LIT(VF_TEEP_PROFILE), false};
    vf_appraise(f.svc, &rq, &o);
    ear_view *v = calloc(1, sizeof *v);
    assert_non_null(v);
    open_ear(&o, v);
    const mm_ear_appraisal *ap = mm_ear_find(&v->ear, MM_BYTES_LIT("TEEP"));
    assert_non_null(ap);
    assert_int_equal(ap->status, MM_AR4SI_AFFIRMING);
    assert_true(mm_bytes_equal(ap->profile, MM_BYTES_LIT(VF_TEEP_PROFILE)));
    assert_true((ap->present & MM_EAR_AP_TEEP) != 0);
    mm_eat_claims tc;
    mm_eat_manifest tm[2];
    mm_eat_storage ts;
    memset(&ts, 0, sizeof ts);
    ts.manifests = tm;
    ts.manifests_cap = 2;
    assert_int_equal(mm_eat_claims_decode(ap->teep, 0, &ts, &tc, NULL), MM_OK);
    assert_true(mm_bytes_equal(tc.ueid, mm_bytes_make(ueid, sizeof ueid)));
    assert_true(mm_bytes_equal(tc.hwmodel, mm_bytes_make(hwmodel, sizeof hwmodel)));
    assert_int_equal(tc.n_manifests, 1);
    assert_true(mm_bytes_equal(tc.nonce, mm_bytes_make(nonce, sizeof nonce)));
    vf_outcome_free(&o);
    /* Tagged: the profile refuses it (and nothing is marked used). */
    len = evidence(&d.c, &device, kid, 0, ev, sizeof ev);
    rq.evidence = mm_bytes_make(ev, len);
    vf_appraise(f.svc, &rq, &o);
    expect_refusal(&o, 422, VF_T_TEEP);
    assert_non_null(strstr(o.detail, "tags"));
    /* A kid that is not the key's thumbprint. */
    len = evidence(&d.c, &device, mm_bytes_make(kcnf + 4, 31), MM_EAT_UNTAGGED, ev, sizeof ev);
    rq.evidence = mm_bytes_make(ev, len);
    vf_appraise(f.svc, &rq, &o);
    expect_refusal(&o, 422, VF_T_TEEP);
    /* cnf missing. */
    d.c.cwt.present &= ~(uint32_t)MM_CWT_HAS_CNF;
    len = evidence(&d.c, &device, kid, MM_EAT_UNTAGGED, ev, sizeof ev);
    rq.evidence = mm_bytes_make(ev, len);
    vf_appraise(f.svc, &rq, &o);
    expect_refusal(&o, 422, VF_T_TEEP);
    assert_non_null(strstr(o.detail, "cnf"));
    free(v);
    vf_service_close(f.svc);
}

/* Evidence of the healthy device with a fresh nonce, signed by key. */
static size_t fresh_evidence(fixture *f, device_claims *d, const mm_key *key, uint8_t nonce[VF_NONCE_LEN], uint8_t *ev,
                             size_t cap)
{
    d->c.nonce = challenge(f, nonce);
    d->c.n_nonces = 1;
    d->c.present |= MM_EAT_HAS_NONCE;
    return evidence(&d->c, key, MM_BYTES_LIT("dev-1"), 0, ev, cap);
}

/* Policy rows are cached per attester; a change to the store, made through
 * another connection (as `mamori verifier endorse/reference` from another
 * process) while the service runs, applies from the next appraisal on. */
static void test_policy_cache(void **state)
{
    (void)state;
    fixture f;
    open_service(&f, "cache.db", 0);
    vf_error err;
    assert_int_equal(vf_service_start(f.svc, &err), MM_OK);
    char path[128];
    db_path("cache.db", path, sizeof path);
    vf_store *admin = NULL;
    assert_int_equal(vf_store_open(path, 1, &admin), MM_OK);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    int64_t id_end = 0;
    endorse(admin, &device, &dev, MM_BYTES_LIT("dev-1"), false, &id_end);
    vf_ref refs[16];
    int64_t ids[16];
    size_t n = reference(refs);
    assert_int_equal(vf_store_add_refs(admin, refs, n, ids), MM_OK);

    device_claims d;
    healthy(&d);
    uint8_t nonce[VF_NONCE_LEN], ev[1024];
    vf_outcome o;
    for (int i = 0; i < 2; i++) { /* the second from the cache */
        size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
        appraise_used(&f, mm_bytes_make(ev, len), &o);
        assert_int_equal(o.status, 200);
        assert_int_equal(o.tier, MM_AR4SI_AFFIRMING);
        vf_outcome_free(&o);
    }
    assert_int_equal(f.svc->cache.count, 2); /* the endorsement's look-up, the references' */

    /* Another swversion expected: the cached references are not used. */
    size_t removed = 0;
    assert_int_equal(vf_store_remove_refs(admin, ids[1], mm_bytes_make(NULL, 0), &removed), MM_OK);
    assert_int_equal(removed, 1);
    vf_ref newer = refs[1];
    newer.value = MM_BYTES_LIT("9.9.9");
    assert_int_equal(vf_store_add_refs(admin, &newer, 1, NULL), MM_OK);
    size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    assert_int_equal(o.status, 200);
    assert_int_not_equal(o.tier, MM_AR4SI_AFFIRMING);
    vf_outcome_free(&o);
    d.c.swversion.version = MM_BYTES_LIT("9.9.9");
    len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    assert_int_equal(o.tier, MM_AR4SI_AFFIRMING);
    vf_outcome_free(&o);

    /* The endorsement replaced by another key: the cached one is not used. */
    assert_int_equal(vf_store_remove_endorsements(admin, id_end, mm_bytes_make(NULL, 0), &removed), MM_OK);
    len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    expect_refusal(&o, 403, VF_T_UNKNOWN);
    endorse(admin, &other, &dev, MM_BYTES_LIT("dev-1"), false, &id_end);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    expect_refusal(&o, 403, VF_T_SIGNATURE);
    len = fresh_evidence(&f, &d, &other, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    assert_int_equal(o.tier, MM_AR4SI_AFFIRMING);
    vf_outcome_free(&o);

    vf_store_close(admin);
    vf_service_close(f.svc);
}

/* Two threads appraise the same evidence at once: exactly one result. */
typedef struct racer {
    fixture *f;
    mm_bytes ev;
    pthread_barrier_t *start;
    vf_outcome out;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    pthread_barrier_wait(r->start);
    appraise_used(r->f, r->ev, &r->out);
    return NULL;
}

static void test_replay_threads(void **state)
{
    (void)state;
    fixture f;
    open_service(&f, "race.db", 0);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    endorse(f.svc->store, &device, &dev, MM_BYTES_LIT("dev-1"), false, &f.id_device);
    add_references(f.svc->store);
    device_claims d;
    healthy(&d);
    for (int round = 0; round < 20; round++) {
        uint8_t nonce[VF_NONCE_LEN], ev[1024];
        size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        racer r[2];
        pthread_t t[2];
        for (int i = 0; i < 2; i++) {
            memset(&r[i], 0, sizeof r[i]);
            r[i] = (racer){&f, mm_bytes_make(ev, len), &start, {0}};
            assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
        }
        for (int i = 0; i < 2; i++) {
            pthread_join(t[i], NULL);
        }
        pthread_barrier_destroy(&start);
        int ok = r[0].out.status == 200 ? 0 : 1;
        assert_int_equal(r[ok].out.status, 200);
        assert_int_equal(r[ok].out.tier, MM_AR4SI_AFFIRMING);
        expect_refusal(&r[1 - ok].out, 403, VF_T_NONCE_USED);
        vf_outcome_free(&r[0].out);
        vf_outcome_free(&r[1].out);
    }
    vf_service_close(f.svc);
}

/* A set full of unexpired nonces refuses (503) rather than accept a nonce
 * it cannot record; room comes back as they expire. */
static void test_used_full(void **state)
{
    (void)state;
    fixture f;
    open_service_used(&f, "full.db", 0, 2);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    endorse(f.svc->store, &device, &dev, MM_BYTES_LIT("dev-1"), false, &f.id_device);
    add_references(f.svc->store);
    device_claims d;
    healthy(&d);
    uint8_t nonce[VF_NONCE_LEN], ev[1024];
    vf_outcome o;
    for (int i = 0; i < 2; i++) {
        size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
        appraise_used(&f, mm_bytes_make(ev, len), &o);
        assert_int_equal(o.status, 200);
        vf_outcome_free(&o);
    }
    size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    expect_refusal(&o, 503, VF_T_UNAVAILABLE);
    assert_non_null(strstr(o.detail, "too many nonces in use"));
    vf_outcome_free(&o);
    /* The refused nonce was not recorded: once the others expired, it passes
     * (its own lifetime is the same, so issue one later). */
    int64_t saved = clock_now;
    clock_now += f.svc->cfg.nonce_ttl;
    len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    assert_int_equal(o.status, 200);
    vf_outcome_free(&o);
    clock_now = saved;
    vf_service_close(f.svc);
}

/* Saved used nonces that do not fit a smaller set at the next start: the
 * nonce key is replaced (earlier nonces unknown) and the set starts empty. */
static void test_used_shrink(void **state)
{
    (void)state;
    fixture f;
    open_service_used(&f, "shrink.db", 0, 4);
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    endorse(f.svc->store, &device, &dev, MM_BYTES_LIT("dev-1"), false, &f.id_device);
    add_references(f.svc->store);
    device_claims d;
    healthy(&d);
    uint8_t nonce[VF_NONCE_LEN], ev[1024], unused[1024];
    vf_outcome o;
    for (int i = 0; i < 2; i++) {
        size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
        appraise_used(&f, mm_bytes_make(ev, len), &o);
        assert_int_equal(o.status, 200);
        vf_outcome_free(&o);
    }
    size_t unused_len = fresh_evidence(&f, &d, &device, nonce, unused, sizeof unused);
    vf_service_close(f.svc);
    open_service_used(&f, "shrink.db", 0, 1);
    assert_int_equal(vf_used_count(f.svc->used), 0);
    appraise_used(&f, mm_bytes_make(unused, unused_len), &o);
    expect_refusal(&o, 403, VF_T_NONCE_UNKNOWN);
    size_t len = fresh_evidence(&f, &d, &device, nonce, ev, sizeof ev);
    appraise_used(&f, mm_bytes_make(ev, len), &o);
    assert_int_equal(o.status, 200);
    vf_outcome_free(&o);
    vf_service_close(f.svc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_table),
        cmocka_unit_test(test_policy_no_refs),
        cmocka_unit_test(test_policy_scopes),
        cmocka_unit_test(test_oemid),
        cmocka_unit_test(test_nonce),
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_policy_version_watch),
        cmocka_unit_test(test_appraise),
        cmocka_unit_test(test_appraise_iat),
        cmocka_unit_test(test_appraise_teep),
        cmocka_unit_test(test_policy_cache),
        cmocka_unit_test(test_used_set),
        cmocka_unit_test(test_replay_threads),
        cmocka_unit_test(test_used_full),
        cmocka_unit_test(test_used_shrink),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
