/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAR (draft-ietf-rats-ear) and AR4SI in CBOR: the tiers of trustworthiness
 * claims, a result encoded, signed, verified and decoded, the TEEP
 * extension taken from evidence, and a table of results the decoder
 * refuses. The draft's own examples are JSON: test_eat_json.c reads them.
 */
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/ear.h"
#include "mm_test.h"

static const mm_crypto *crypto;

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

static void test_tiers(void **state)
{
    (void)state;
    static const struct {
        int v;
        mm_ar4si_tier tier;
    } cases[] = {
        {0, MM_AR4SI_NONE},
        {1, MM_AR4SI_NONE},
        {-1, MM_AR4SI_NONE},
        {2, MM_AR4SI_AFFIRMING},
        {31, MM_AR4SI_AFFIRMING},
        {-2, MM_AR4SI_AFFIRMING},
        {-32, MM_AR4SI_AFFIRMING},
        {32, MM_AR4SI_WARNING},
        {95, MM_AR4SI_WARNING},
        {-33, MM_AR4SI_WARNING},
        {-96, MM_AR4SI_WARNING},
        {96, MM_AR4SI_CONTRAINDICATED},
        {127, MM_AR4SI_CONTRAINDICATED},
        {-97, MM_AR4SI_CONTRAINDICATED},
        {-128, MM_AR4SI_CONTRAINDICATED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (mm_ar4si_tier_of(cases[i].v) != cases[i].tier) {
            fail_msg("%d: tier %d, want %d", cases[i].v, mm_ar4si_tier_of(cases[i].v), cases[i].tier);
        }
    }
    mm_ar4si_vector v = {{2, 0, 33, 0, 0, 0, 0, 0}, 0x05};
    assert_int_equal(mm_ar4si_vector_tier(&v), MM_AR4SI_WARNING);
    v.present = 0x01;
    assert_int_equal(mm_ar4si_vector_tier(&v), MM_AR4SI_AFFIRMING);
    v.present = 0;
    assert_int_equal(mm_ar4si_vector_tier(&v), MM_AR4SI_NONE);
    assert_string_equal(mm_ar4si_category_name(MM_AR4SI_SOURCED_DATA), "sourced-data");
    assert_null(mm_ar4si_category_name(8));
    assert_string_equal(mm_ar4si_tier_name(96), "contraindicated");
    assert_null(mm_ar4si_tier_name(3));
}

/* A result for two attesters, with every claim. */
typedef struct result {
    mm_bytes policies[2];
    mm_ear_appraisal ap[2];
    uint8_t teep[64];
    mm_ear ear;
} result;

static const uint8_t nonce[] = "0123456789abcdef";

static void result_init(result *r)
{
    memset(r, 0, sizeof *r);
    r->policies[0] = MM_BYTES_LIT("https://verifier.example/policy/1");
    r->policies[1] = MM_BYTES_LIT("https://verifier.example/policy/2");
    mm_ear_appraisal *a = &r->ap[0];
    a->name = MM_BYTES_LIT("device");
    a->status = MM_AR4SI_WARNING;
    a->vector.claim[MM_AR4SI_INSTANCE_IDENTITY] = 2;
    a->vector.claim[MM_AR4SI_EXECUTABLES] = 33;
    a->vector.claim[MM_AR4SI_HARDWARE] = -2;
    a->vector.present = 1u << MM_AR4SI_INSTANCE_IDENTITY | 1u << MM_AR4SI_EXECUTABLES | 1u << MM_AR4SI_HARDWARE;
    a->profile = MM_BYTES_LIT("urn:ietf:rfc:rfcXXXX");
    a->policy_ids = r->policies;
    a->n_policy_ids = 2;
    a->nonce = mm_bytes_make(nonce, 16);
    r->teep[0] = 0xa1; /* {256: h'01020304050607'} */
    memcpy(r->teep + 1, "\x19\x01\x00\x47\x01\x02\x03\x04\x05\x06\x07", 11);
    a->teep = mm_bytes_make(r->teep, 12);
    a->present = MM_EAR_AP_VECTOR | MM_EAR_AP_PROFILE | MM_EAR_AP_POLICY_IDS | MM_EAR_AP_NONCE | MM_EAR_AP_TEEP;
    r->ap[1].name = MM_BYTES_LIT("tee");
    r->ap[1].status = MM_AR4SI_AFFIRMING;
    mm_ear *e = &r->ear;
    e->iat = 1700000000;
    e->exp = 1700003600;
    e->status = MM_AR4SI_CONTRAINDICATED;
    e->developer = MM_BYTES_LIT("https://mamori.example");
    e->build = MM_BYTES_LIT("verifier 0.1");
    e->raw_evidence = MM_BYTES_LIT("\xd8\x3d\xd2");
    e->nonce = mm_bytes_make(nonce, 16);
    e->evidence_digest_alg = MM_ALG_SHA256;
    e->evidence_digest = MM_BYTES_LIT("0123456789abcdef0123456789abcdef");
    e->submods = r->ap;
    e->n_submods = 2;
    e->present =
        MM_EAR_HAS_STATUS | MM_EAR_HAS_EXP | MM_EAR_HAS_RAW_EVIDENCE | MM_EAR_HAS_NONCE | MM_EAR_HAS_EVIDENCE_DIGEST;
}

typedef struct store {
    mm_ear_appraisal ap[4];
    mm_bytes policies[4];
    mm_ear_storage st;
} store;

static void store_init(store *s)
{
    memset(s, 0, sizeof *s);
    s->st.appraisals = s->ap;
    s->st.appraisals_cap = 4;
    s->st.policy_ids = s->policies;
    s->st.policy_ids_cap = 4;
}

static void test_roundtrip(void **state)
{
    (void)state;
    result r;
    result_init(&r);
    uint8_t buf[1024];
    mm_buf b = mm_buf_make(buf, sizeof buf);
    assert_int_equal(mm_ear_encode(&r.ear, &b), MM_OK);
    assert_int_equal(mm_cbor_check(mm_bytes_make(buf, b.len), MM_CBOR_DETERMINISTIC, NULL), MM_OK);
    store s;
    store_init(&s);
    mm_ear e;
    size_t off;
    assert_int_equal(mm_ear_decode(mm_bytes_make(buf, b.len), &s.st, &e, &off), MM_OK);
    assert_true(mm_bytes_equal(e.profile, MM_BYTES_LIT(MM_EAR_PROFILE)));
    assert_int_equal(e.present, r.ear.present);
    assert_int_equal(e.iat, 1700000000);
    assert_int_equal(e.status, MM_AR4SI_CONTRAINDICATED);
    assert_true(mm_bytes_equal(e.build, MM_BYTES_LIT("verifier 0.1")));
    assert_int_equal(e.evidence_digest_alg, MM_ALG_SHA256);
    assert_int_equal(e.n_submods, 2);
    const mm_ear_appraisal *dev = mm_ear_find(&e, MM_BYTES_LIT("device"));
    assert_non_null(dev);
    assert_int_equal(dev->present, r.ap[0].present);
    assert_int_equal(dev->vector.present, r.ap[0].vector.present);
    assert_int_equal(dev->vector.claim[MM_AR4SI_HARDWARE], -2);
    assert_int_equal(dev->n_policy_ids, 2);
    assert_true(mm_bytes_equal(dev->policy_ids[1], r.policies[1]));
    assert_true(mm_bytes_equal(dev->teep, r.ap[0].teep));
    assert_null(mm_ear_find(&e, MM_BYTES_LIT("nothing")));
    /* Again from the decoded struct: the same bytes. */
    uint8_t again[1024];
    mm_buf b2 = mm_buf_make(again, sizeof again);
    assert_int_equal(mm_ear_encode(&e, &b2), MM_OK);
    assert_int_equal(b2.len, b.len);
    assert_memory_equal(again, buf, b.len);
    /* Extensions stay reachable through the map. */
    mm_cwt_claims c;
    memset(&c, 0, sizeof c);
    c.map = e.map;
    mm_bytes v;
    assert_int_equal(mm_cwt_claim_find(&c, MM_EAR_EVIDENCE_DIGEST, &v), MM_OK);

    /* What encoding refuses: a status better than its vector or its
     * appraisals, a vector value out of range, a non-tier status. */
    result_init(&r);
    r.ap[0].status = MM_AR4SI_AFFIRMING; /* executables warns */
    assert_int_equal(mm_ear_encode(&r.ear, &b), MM_ERR_INVALID_ARG);
    result_init(&r);
    r.ear.status = MM_AR4SI_WARNING; /* nothing is contraindicated, fine */
    assert_int_equal(mm_ear_encode(&r.ear, &b), MM_OK);
    r.ear.status = MM_AR4SI_AFFIRMING; /* the device warns */
    assert_int_equal(mm_ear_encode(&r.ear, &b), MM_ERR_INVALID_ARG);
    result_init(&r);
    r.ap[1].status = 3;
    assert_int_equal(mm_ear_encode(&r.ear, &b), MM_ERR_INVALID_ARG);
    result_init(&r);
    r.ear.n_submods = 0;
    assert_int_equal(mm_ear_encode(&r.ear, &b), MM_ERR_INVALID_ARG);
}

static void test_tokens(void **state)
{
    (void)state;
    mm_key key, other;
    memset(&key, 0, sizeof key);
    memset(&other, 0, sizeof other);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &key), MM_OK);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &other), MM_OK);
    result r;
    result_init(&r);
    mm_cose_create_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = crypto;
    co.key = &key;
    co.kid = MM_BYTES_LIT("verifier");
    uint8_t tok[1024];
    mm_buf b = mm_buf_make(tok, sizeof tok);
    assert_int_equal(mm_ear_sign(&r.ear, &co, 0, &b), MM_OK);
    mm_cose_verify_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.crypto = crypto;
    vo.key = &key;
    store s;
    store_init(&s);
    mm_ear e;
    mm_cwt_check now = {1700000100, 0, false, false, {NULL, 0}, {NULL, 0}};
    assert_int_equal(mm_ear_verify(mm_bytes_make(tok, b.len), &vo, &now, mm_bytes_make(nonce, 16), &s.st, &e), MM_OK);
    assert_int_equal(e.n_submods, 2);
    /* Expired, another nonce, another key. */
    now.now = 1700004000;
    assert_int_equal(mm_ear_verify(mm_bytes_make(tok, b.len), &vo, &now, mm_bytes_make(nonce, 16), &s.st, &e),
                     MM_ERR_EXPIRED);
    assert_int_equal(mm_ear_verify(mm_bytes_make(tok, b.len), &vo, NULL, MM_BYTES_LIT("fedcba9876543210"), &s.st, &e),
                     MM_ERR_CLAIM_MISMATCH);
    vo.key = &other;
    assert_int_equal(mm_ear_verify(mm_bytes_make(tok, b.len), &vo, NULL, mm_bytes_make(NULL, 0), &s.st, &e),
                     MM_ERR_VERIFY);
    /* Without a nonce in the result, one is required. */
    vo.key = &key;
    r.ear.present &= ~(uint32_t)MM_EAR_HAS_NONCE;
    b = mm_buf_make(tok, sizeof tok);
    assert_int_equal(mm_ear_sign(&r.ear, &co, MM_EAT_UNTAGGED, &b), MM_OK);
    assert_int_equal(mm_ear_verify(mm_bytes_make(tok, b.len), &vo, NULL, mm_bytes_make(nonce, 16), &s.st, &e),
                     MM_ERR_MISSING_FIELD);
    /* Storage too small. */
    s.st.appraisals_cap = 1;
    assert_int_equal(mm_ear_verify(mm_bytes_make(tok, b.len), &vo, NULL, mm_bytes_make(NULL, 0), &s.st, &e),
                     MM_ERR_TOO_LARGE);
    mm_key_free(&key);
    mm_key_free(&other);
}

static void test_malformed(void **state)
{
    (void)state;
    /* A minimal valid result, then one thing wrong at a time. */
    static const char *const prefix = "a4"
                                      "19010978"
                                      "1d"
                                      "7461673a696574662e6f72672c323032363a726174732f656172233033"
                                      "06 01"
                                      "1903ec a2 00 6164 01 6162";
    static const struct {
        const char *what;
        const char *tail;
        mm_err err;
    } cases[] = {
        {"valid", "19010a a1 6161 a1 1903e8 02", MM_OK},
        {"status not a tier", "19010a a1 6161 a1 1903e8 03", MM_ERR_CBOR_RANGE},
        {"no status", "19010a a1 6161 a1 1903e9 a1 00 02", MM_ERR_MISSING_FIELD},
        {"vector value 128", "19010a a1 6161 a2 1903e8 02 1903e9 a1 00 1880", MM_ERR_CBOR_RANGE},
        {"vector category 8", "19010a a1 6161 a2 1903e8 02 1903e9 a1 08 02", MM_ERR_CBOR_RANGE},
        {"vector empty", "19010a a1 6161 a2 1903e8 02 1903e9 a0", MM_ERR_CBOR_RANGE},
        {"affirming over a contraindication", "19010a a1 6161 a2 1903e8 02 1903e9 a1 02 1860", MM_ERR_CLAIM_MISMATCH},
        {"contraindicated over an affirmation", "19010a a1 6161 a2 1903e8 1860 1903e9 a1 02 02", MM_OK},
        {"no submods", "18ff 00", MM_ERR_MISSING_FIELD},
        {"empty submods", "19010a a0", MM_ERR_CBOR_RANGE},
        {"policy ids empty", "19010a a1 6161 a2 1903e8 02 1903eb 80", MM_ERR_CBOR_RANGE},
        {"teep claims not claims", "19010a a1 6161 a2 1903e8 02 19fde8 a1 0a 41 00", MM_ERR_CBOR_RANGE},
        {"nonce too short", "19010a a1 6161 a2 1903e8 02 0a 4100", MM_ERR_CBOR_RANGE},
        {"unknown claims are ignored", "19010a a1 6161 a2 1903e8 02 3a00011170 f6", MM_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char hex[512];
        strcpy(hex, prefix);
        strcat(hex, cases[i].tail);
        uint8_t in[256];
        size_t n = mm_test_unhex(hex, in, sizeof in);
        store s;
        store_init(&s);
        mm_ear e;
        mm_err err = mm_ear_decode(mm_bytes_make(in, n), &s.st, &e, NULL);
        if (err != cases[i].err) {
            fail_msg("%s: %s, want %s", cases[i].what, mm_errname(err), mm_errname(cases[i].err));
        }
    }
    /* Another profile; the overall status better than an appraisal. */
    static const struct {
        const char *what;
        const char *hex;
        mm_err err;
    } whole[] = {
        {"another profile",
         "a4 19010978 1d 7461673a696574662e6f72672c323032363a726174732f656172233034 0601 1903eca2006164016162"
         "19010a a1 6161 a1 1903e8 02",
         MM_ERR_CLAIM_MISMATCH},
        {"affirming over a contraindicated appraisal",
         "a5 19010978 1d 7461673a696574662e6f72672c323032363a726174732f656172233033 0601 1903eca2006164016162"
         "1903e8 02 19010a a1 6161 a1 1903e8 1860",
         MM_ERR_CLAIM_MISMATCH},
        {"contraindicated over a warning appraisal",
         "a5 19010978 1d 7461673a696574662e6f72672c323032363a726174732f656172233033 0601 1903eca2006164016162"
         "1903e8 1860 19010a a1 6161 a1 1903e8 1820",
         MM_OK},
        {"iat as a float",
         "a4 19010978 1d 7461673a696574662e6f72672c323032363a726174732f656172233033 06f93c00 1903eca2006164016162"
         "19010a a1 6161 a1 1903e8 02",
         MM_ERR_CBOR_TYPE},
        {"verifier id without build",
         "a4 19010978 1d 7461673a696574662e6f72672c323032363a726174732f656172233033 0601 1903eca1006164"
         "19010a a1 6161 a1 1903e8 02",
         MM_ERR_MISSING_FIELD},
    };
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        uint8_t in[256];
        size_t n = mm_test_unhex(whole[i].hex, in, sizeof in);
        store s;
        store_init(&s);
        mm_ear e;
        mm_err err = mm_ear_decode(mm_bytes_make(in, n), &s.st, &e, NULL);
        if (err != whole[i].err) {
            fail_msg("%s: %s, want %s", whole[i].what, mm_errname(err), mm_errname(whole[i].err));
        }
    }
}

static void test_teep_claims(void **state)
{
    (void)state;
    static const uint8_t ueid[] = {1, 2, 3, 4, 5, 6, 7};
    mm_eat_claims ev;
    memset(&ev, 0, sizeof ev);
    ev.ueid = mm_bytes_make(ueid, sizeof ueid);
    ev.oemid.form = MM_EAT_OEMID_PEN;
    ev.oemid.pen = 76543;
    ev.swname = MM_BYTES_LIT("not a TEEP claim");
    ev.present = MM_EAT_HAS_UEID | MM_EAT_HAS_OEMID | MM_EAT_HAS_SWNAME;
    uint8_t buf[128];
    mm_buf b = mm_buf_make(buf, sizeof buf);
    assert_int_equal(mm_ear_teep_claims(&ev, &b), MM_OK);
    mm_eat_claims back;
    mm_eat_storage none;
    memset(&none, 0, sizeof none);
    assert_int_equal(mm_eat_claims_decode(mm_bytes_make(buf, b.len), 0, &none, &back, NULL), MM_OK);
    assert_int_equal(back.present, MM_EAT_HAS_UEID | MM_EAT_HAS_OEMID);
    ev.present = MM_EAT_HAS_SWNAME;
    assert_int_equal(mm_ear_teep_claims(&ev, &b), MM_ERR_MISSING_FIELD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiers),     cmocka_unit_test(test_roundtrip),   cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_malformed), cmocka_unit_test(test_teep_claims),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
