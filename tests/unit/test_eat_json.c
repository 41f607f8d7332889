/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The JSON side (mamori_json): RFC 9711's JSON examples and the EAR
 * draft's decode through the CBOR model to the claims they show and come
 * back as they were; every claim type round-trips JSON -> CBOR -> JSON and
 * CBOR -> JSON -> CBOR; JWTs sign and verify (and refuse what they must);
 * RFC 9711's JSON detached EAT bundle verifies with its HMAC key; EARs as
 * JWTs.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/eat_json.h"
#include "eat_test.h"
#include "mm_test.h"

static const mm_crypto *crypto;

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

static json_t *load_json(const char *sub, bool unwrap)
{
    char path[1024];
    mm_test_shared_path(sub, path, sizeof path);
    size_t n;
    char *text = (char *)mm_test_read_file(path, &n);
    assert_non_null(text);
    if (unwrap) {
        /* RFC 8792 single-backslash folding: a '\' ending a line joins it
         * with the next. */
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            if (text[i] == '\\' && i + 1 < n && text[i + 1] == '\n') {
                i++;
                continue;
            }
            text[o++] = text[i];
        }
        n = o;
    }
    json_error_t jerr;
    json_t *j = json_loadb(text, n, 0, &jerr);
    free(text);
    if (j == NULL) {
        fail_msg("%s: %s", sub, jerr.text);
    }
    return j;
}

static void assert_text(mm_bytes b, const char *text)
{
    if (!mm_bytes_equal(b, mm_bytes_from_cstr(text))) {
        fail_msg("got \"%.*s\", want \"%s\"", (int)b.len, (const char *)b.ptr, text);
    }
}

static void assert_hex(mm_bytes b, const char *hex)
{
    uint8_t want[128];
    size_t n = mm_test_unhex(hex, want, sizeof want);
    if (b.len != n || memcmp(b.ptr, want, n) != 0) {
        fail_msg("got %s, want %s", mm_test_hex(b), hex);
    }
}

/* JSON -> CBOR (checked), the CBOR in *cbor. */
static size_t to_cbor(const json_t *j, uint8_t **cbor)
{
    size_t len = 0;
    mm_json_where where;
    mm_err e = mm_eat_json_to_cbor(j, cbor, &len, &where);
    if (e != MM_OK) {
        fail_msg("%s: %s", where.path, mm_errname(e));
    }
    return len;
}

/* CBOR -> JSON equals the original JSON. */
static void assert_back(const uint8_t *cbor, size_t len, const json_t *want, const char *what)
{
    json_t *back = NULL;
    assert_int_equal(mm_eat_json_from_cbor(mm_bytes_make(cbor, len), &back, NULL), MM_OK);
    if (!json_equal(back, want)) {
        char *a = json_dumps(back, JSON_COMPACT | JSON_SORT_KEYS);
        char *b = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("%s came back as\n%s\nwant\n%s", what, a, b);
    }
    json_decref(back);
}

#define EAR_EX "specs/eat/ear-cddl/examples/"

static void test_ear_examples(void **state)
{
    (void)state;
    static const char *const files[] = {"ear-json-1.diag", "ear-json-2.diag", "ext-teep-json-1.diag",
                                        "ext-veraison-json-1.diag", "ext-veraison-json-2.diag"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, EAR_EX "%s", files[i]);
        json_t *j = load_json(sub, false);
        uint8_t *cbor = NULL;
        size_t len = to_cbor(j, &cbor);
        eat_store s;
        eat_store_init(&s);
        mm_ear e;
        size_t off = 0;
        mm_err err = mm_ear_decode(mm_bytes_make(cbor, len), &s.ear, &e, &off);
        if (err != MM_OK) {
            fail_msg("%s: %s at %zu", files[i], mm_errname(err), off);
        }
        assert_text(e.developer, "https://veraison-project.org");
        assert_text(e.build, "vts 0.0.1");
        assert_true((e.present & MM_EAR_HAS_RAW_EVIDENCE) != 0);
        const mm_ear_appraisal *ap = &e.submods[0];
        assert_int_equal(ap->n_policy_ids, 1);
        assert_text(ap->policy_ids[0], "https://veraison.example/policy/1/60a0068d");
        assert_int_equal(ap->vector.claim[MM_AR4SI_INSTANCE_IDENTITY], 2);
        if (i == 0 || i == 2 || i == 3) {
            assert_int_equal(e.iat, 1666529184);
            assert_int_equal(ap->status, MM_AR4SI_CONTRAINDICATED);
            assert_int_equal(ap->vector.claim[MM_AR4SI_EXECUTABLES], 96);
            assert_int_equal(ap->vector.present, 0x15);
        }
        if (i == 1) {
            assert_int_equal(e.n_submods, 2);
            const mm_ear_appraisal *realm = mm_ear_find(&e, MM_BYTES_LIT("CCA Realm"));
            assert_non_null(realm);
            assert_int_equal(realm->status, MM_AR4SI_AFFIRMING);
            assert_int_equal(realm->vector.present, 0x01);
        }
        if (i == 2) {
            /* The TEEP extension: EAT claims inside the appraisal. */
            assert_true((ap->present & MM_EAR_AP_TEEP) != 0);
            mm_eat_claims tc;
            eat_store ts;
            eat_store_init(&ts);
            assert_int_equal(mm_eat_claims_decode(ap->teep, 0, &ts.st, &tc, NULL), MM_OK);
            assert_int_equal(tc.nonce.len, 26);
            assert_hex(tc.ueid, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021");
            assert_int_equal(tc.oemid.form, MM_EAT_OEMID_IEEE);
            assert_hex(tc.oemid.id, "02ff01");
            assert_hex(tc.hwmodel, "7c962a");
            assert_text(tc.hwversion.version, "1.2.5");
            assert_int_equal(tc.hwversion.scheme, 16384);
        }
        if (i == 3 || i == 4) {
            /* Veraison's extensions: unknown here, kept and shown back. */
            mm_cwt_claims m;
            memset(&m, 0, sizeof m);
            m.map = ap->map;
            mm_bytes v;
            assert_int_equal(mm_cwt_claim_find(&m, i == 3 ? -70000 : -70002, &v), MM_ERR_MISSING_FIELD);
        }
        /* Back to JSON: as given, but for the TEEP example's nonce, whose
         * last symbol carries non-zero unused bits ("...V6p"): it comes
         * back in canonical form ("...V6o"). */
        if (i == 2) {
            json_t *teep = json_object_get(
                json_object_get(json_object_get(json_object_get(j, "submods"), "PSA"), "ear_teep_claims"), "eat_nonce");
            assert_string_equal(json_string_value(teep), "80FH7byS7VjfARIq0_KLqu6B9j-F79QtV6p");
            json_string_set(teep, "80FH7byS7VjfARIq0_KLqu6B9j-F79QtV6o");
        }
        assert_back(cbor, len, j, files[i]);
        free(cbor);
        json_decref(j);
    }
}

#define EAT_EX "specs/eat/eat-cddl/Example-Payloads/"

/* An RFC 9711 JSON example and its CBOR (heap). */
typedef struct json_example {
    json_t *j;
    uint8_t *cbor;
    size_t len;
} json_example;

/* Loads the example file, converts it to CBOR and decodes the claims into
 * *c (over s, cleared first). */
static json_example example_decode(const char *file, eat_store *s, mm_eat_claims *c)
{
    char sub[256];
    snprintf(sub, sizeof sub, EAT_EX "%s", file);
    json_example x;
    x.j = load_json(sub, false);
    x.len = to_cbor(x.j, &x.cbor);
    eat_store_init(s);
    assert_int_equal(mm_eat_claims_decode(mm_bytes_make(x.cbor, x.len), 0, &s->st, c, NULL), MM_OK);
    return x;
}

/* The example's CBOR comes back as its JSON; frees x. */
static void example_back(json_example *x, const char *file)
{
    assert_back(x->cbor, x->len, x->j, file);
    free(x->cbor);
    json_decref(x->j);
}

static void test_eat_examples(void **state)
{
    (void)state;
    eat_store s;
    mm_eat_claims c;
    json_example x;
    x = example_decode("simple.json", &s, &c);
    assert_hex(c.nonce, "3080c1347dbc8a2a22b233f2");
    assert_hex(c.ueid, "0200048b3acadd");
    assert_int_equal(c.oemid.form, MM_EAT_OEMID_PEN);
    assert_int_equal(c.oemid.pen, 76543);
    assert_text(c.swname, "Acme IoT OS");
    assert_true(c.swversion.bare); /* "3.1.4", not ["3.1.4"]: as the example writes it */
    assert_text(c.swversion.version, "3.1.4");
    example_back(&x, "simple.json");

    x = example_decode("audio_ss.json", &s, &c);
    assert_int_equal(c.oemid.form, MM_EAT_OEMID_IEEE);
    assert_int_equal(c.ueid.len, 17);
    example_back(&x, "audio_ss.json");

    x = example_decode("graphics_ss.json", &s, &c);
    assert_int_equal(c.oemid.form, MM_EAT_OEMID_PEN);
    assert_int_equal(c.oemid.pen, 75000);
    assert_int_equal(c.oemboot, true);
    assert_text(c.swname, "Graphics OS");
    example_back(&x, "graphics_ss.json");

    x = example_decode("main_token_claims.json", &s, &c);
    assert_int_equal(c.n_submods, 2);
    assert_int_equal(c.submods[0].kind, MM_EAT_SUBMOD_DIGEST);
    assert_int_equal(mm_eat_digest_alg(&c.submods[0]), MM_ALG_SHA256);
    example_back(&x, "main_token_claims.json");

    /* Submodules in JSON: the nested CWT is the same bytes as in the CBOR
     * example (submods.diag), the ueid is padded base64. */
    x = example_decode("submods.json", &s, &c);
    assert_int_equal(c.dbgstat, MM_EAT_DBG_DISABLED_PERMANENTLY);
    assert_int_equal(c.cwt.iat, 1526542894);
    assert_int_equal(c.ueid.len, 16);
    assert_int_equal(c.n_submods, 4);
    const mm_eat_submod *se = NULL;
    const mm_eat_submod *jwt = NULL;
    for (size_t i = 0; i < c.n_submods; i++) {
        if (mm_bytes_equal(c.submods[i].name, MM_BYTES_LIT("Secure Element Eat"))) {
            se = &c.submods[i];
        }
        if (mm_bytes_equal(c.submods[i].name, MM_BYTES_LIT("Subsystem J"))) {
            jwt = &c.submods[i];
        }
    }
    assert_non_null(se);
    assert_non_null(jwt);
    assert_int_equal(se->kind, MM_EAT_SUBMOD_TOKEN);
    assert_int_equal(jwt->kind, MM_EAT_SUBMOD_JSON);
    assert_int_equal(se->value.len, 179);
    assert_int_equal(se->value.ptr[0], 0xd8);
    assert_int_equal(se->value.ptr[178], 0xeb);
    /* The RFC's folded rendering (RFC 8792) of the same example names
     * oemboot by its draft name "secboot": kept as an unknown claim, and
     * once renamed the same claims-set. */
    json_t *folded = load_json(EAT_EX "submods.json_f", true);
    uint8_t *cbor_f;
    size_t len_f = to_cbor(folded, &cbor_f);
    eat_store_init(&s);
    assert_int_equal(mm_eat_claims_decode(mm_bytes_make(cbor_f, len_f), 0, &s.st, &c, NULL), MM_OK);
    assert_int_equal(c.n_unknown, 1);
    assert_text(c.unknown[0].text, "secboot");
    assert_hex(c.unknown[0].value, "f5");
    free(cbor_f);
    assert_int_equal(json_object_set(folded, "oemboot", json_object_get(folded, "secboot")), 0);
    assert_int_equal(json_object_del(folded, "secboot"), 0);
    len_f = to_cbor(folded, &cbor_f);
    assert_true(len_f == x.len && memcmp(cbor_f, x.cbor, x.len) == 0);
    free(cbor_f);
    json_decref(folded);
    free(x.cbor);
    json_decref(x.j);
}

static void test_json_deb(void **state)
{
    (void)state;
    mm_key key;
    memset(&key, 0, sizeof key);
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_SYMMETRIC;
    parts.k = MM_BYTES_LIT("xxxxxx"); /* RFC 9711 A.2.3's HMAC key */
    assert_int_equal(mm_key_import(crypto, &parts, 0, &key), MM_OK);
    json_t *deb = load_json("specs/eat/eat-cddl/Example-Tokens/deb.json", false);
    json_t *main = NULL;
    assert_int_equal(mm_eat_json_deb_verify(deb, crypto, &key, &main), MM_OK);
    assert_string_equal(json_string_value(json_object_get(main, "eat_nonce")), "yu76NN8IuV6e");
    json_decref(main);
    /* A detached claims-set changed. */
    json_t *audio = json_object_get(json_array_get(deb, 1), "Audio Subsystem");
    char *changed = strdup(json_string_value(audio));
    changed[10] = changed[10] == 'A' ? 'B' : 'A';
    json_string_set(audio, changed);
    free(changed);
    assert_int_equal(mm_eat_json_deb_verify(deb, crypto, &key, NULL), MM_ERR_VERIFY);
    json_decref(deb);
    /* The RFC's own rendering (folded per RFC 8792) does not verify: its
     * HMAC and digests were not regenerated and its detached claims-sets
     * lack commas. The unfolded deb.json is the one that verifies. */
    deb = load_json("specs/eat/eat-cddl/Example-Tokens/deb.json_f", true);
    assert_int_equal(mm_eat_json_deb_verify(deb, crypto, &key, NULL), MM_ERR_VERIFY);
    json_decref(deb);
    mm_key_free(&key);
}

static void test_jwt(void **state)
{
    (void)state;
    mm_key keys[4];
    memset(keys, 0, sizeof keys);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, 0, 0, &keys[0]), MM_OK);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_OKP, MM_CRV_ED25519, 0, 0, &keys[1]), MM_OK);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_SYMMETRIC, 256, 0, 0, &keys[2]), MM_OK);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P384, 0, 0, &keys[3]), MM_OK);
    static const char *const algs[] = {"ES256", "EdDSA", "HS256", "ES384"};
    json_t *claims = json_pack("{s:s, s:i}", "eat_nonce", "MIDBNH28iioisjPy", "iat", 1700000000);
    for (size_t i = 0; i < 4; i++) {
        char *jwt = NULL;
        assert_int_equal(mm_jwt_sign(claims, crypto, &keys[i], 0, MM_BYTES_LIT("k1"), &jwt), MM_OK);
        json_t *got = NULL;
        json_t *hdr = NULL;
        assert_int_equal(mm_jwt_verify(mm_bytes_from_cstr(jwt), crypto, &keys[i], &got, &hdr), MM_OK);
        assert_true(json_equal(got, claims));
        assert_string_equal(json_string_value(json_object_get(hdr, "alg")), algs[i]);
        assert_string_equal(json_string_value(json_object_get(hdr, "kid")), "azE");
        json_decref(got);
        json_decref(hdr);
        /* Another key, a tampered payload, a truncated signature. */
        assert_true(mm_jwt_verify(mm_bytes_from_cstr(jwt), crypto, &keys[(i + 1) % 4], &got, NULL) != MM_OK);
        char *dot = strchr(jwt, '.');
        dot[3] = dot[3] == 'A' ? 'B' : 'A';
        assert_true(mm_jwt_verify(mm_bytes_from_cstr(jwt), crypto, &keys[i], &got, NULL) != MM_OK);
        dot[3] = dot[3] == 'A' ? 'B' : 'A';
        jwt[strlen(jwt) - 4] = '\0';
        assert_true(mm_jwt_verify(mm_bytes_from_cstr(jwt), crypto, &keys[i], &got, NULL) != MM_OK);
        free(jwt);
    }
    /* Forms refused: alg none, a crit header, no signature part, an
     * algorithm the key does not fit. */
    static const struct {
        const char *jwt;
        mm_err err;
    } bad[] = {
        {"eyJhbGciOiJub25lIn0.e30.", MM_ERR_UNSUPPORTED_ALG},                     /* {"alg":"none"} */
        {"eyJhbGciOiJFUzI1NiIsImNyaXQiOlsieCJdfQ.e30.AAAA", MM_ERR_UNKNOWN_CRIT}, /* crit */
        {"eyJhbGciOiJFUzI1NiJ9.e30", MM_ERR_SYNTAX},
        {"eyJhbGciOiJFUzI1NiJ9.e30.AAAA.AAAA", MM_ERR_SYNTAX},
        {"eyJhbGciOiJIUzI1NiJ9.e30.AAAA", MM_ERR_ALG_MISMATCH}, /* HS256 with an EC key */
        {"eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.AAAA", MM_ERR_SYNTAX},
        {"eyJhbGciOiJFUzI1NiJ9.e30.AAAA", MM_ERR_SIG_LENGTH},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *got = NULL;
        mm_err e = mm_jwt_verify(mm_bytes_from_cstr(bad[i].jwt), crypto, &keys[0], &got, NULL);
        if (e != bad[i].err) {
            fail_msg("%s: %s, want %s", bad[i].jwt, mm_errname(e), mm_errname(bad[i].err));
        }
        assert_null(got);
    }
    assert_int_equal(mm_jose_alg("PS384"), MM_ALG_PS384);
    assert_int_equal(mm_jose_alg("none"), 0);
    assert_string_equal(mm_jose_alg_name(MM_ALG_HMAC512), "HS512");
    json_decref(claims);
    for (size_t i = 0; i < 4; i++) {
        mm_key_free(&keys[i]);
    }
}

/* Every claim type in its JSON form. */
static const char every_json[] =
    "{"
    "\"iss\": \"issuer\", \"sub\": \"subject\", \"aud\": \"audience\","
    "\"exp\": 2000000000, \"nbf\": 1600000000, \"iat\": 1700000000, \"jti\": \"C3E\","
    "\"cnf\": {\"kid\": \"AQID\"},"
    "\"eat_nonce\": [\"MIDBNH28iioisjPy\", \"yu76NN8IuV6e\"],"
    "\"ueid\": \"AQIDBAUGBwgJCgsMDQ4PEBE\","
    "\"sueids\": {\"XYZ\": \"AQIDBAUGBw\", \"ABC\": \"AgAEizrK3Q\"},"
    "\"oemid\": \"AQIDBAUGBwgJCgsMDQ4PEA\","
    "\"hwmodel\": \"fJYq\","
    "\"hwversion\": [\"1.2.3\", \"custom\"],"
    "\"uptime\": 3600, \"oemboot\": false, \"dbgstat\": \"disabled-fully-and-permanently\","
    "\"location\": {\"latitude\": 35.6586, \"longitude\": -139.7454, \"altitude\": 1.5, \"accuracy\": 10.5,"
    " \"altitude-accuracy\": 2.25, \"heading\": 90.5, \"speed\": 0.5, \"timestamp\": 1700000000, \"age\": 7},"
    "\"eat_profile\": \"1.3.6.1.4.1.311\","
    "\"submods\": {\"claims\": {\"swversion\": [\"x\"]}, \"json\": [\"JWT\", \"a.b.c\"],"
    " \"digest\": [\"DIGEST\", [\"SHA-256\", \"ez_Tryy-bUSNtPuLBozj5kE4A7TVV2f5scPMsQMv_xo\"]],"
    " \"token\": [\"CBOR\", \"2D3ShEChASZBoEA\"], \"bundle\": [\"BUNDLE\", [[\"JWT\", \"a.b.c\"], {}]]},"
    "\"bootcount\": 42, \"bootseed\": \"AQIDBAUGBwgJ\","
    "\"dloas\": [[\"https://dloa.example\", \"platform\"], [\"https://dloa.example\", \"platform\", \"app\"]],"
    "\"swname\": \"Acme OS\", \"swversion\": [\"3.1.4\", 16384],"
    "\"manifests\": [[258, \"oA\"], [60, {\"cbor\": \"gmF4gi9BAQ\"}]],"
    "\"measurements\": [[65535, \"oA\"]],"
    "\"measres\": [[\"Trustus\", [[\"boot\", \"success\"], [\"fs\", \"absent\"]]], [\"Other\", [[\"x\", \"fail\"]]]],"
    "\"intuse\": \"pop\","
    "\"-70000\": [1, 2, 3], \"x-vendor\": {\"on\": true, \"list\": [\"a\", null]}"
    "}";

static void test_every_claim(void **state)
{
    (void)state;
    json_error_t jerr;
    json_t *j = json_loads(every_json, 0, &jerr);
    if (j == NULL) {
        fail_msg("every_json: %s at %d", jerr.text, jerr.column);
    }
    uint8_t *cbor = NULL;
    size_t len = to_cbor(j, &cbor);
    eat_store s;
    eat_store_init(&s);
    mm_eat_claims c;
    size_t off = 0;
    mm_err e = mm_eat_claims_decode(mm_bytes_make(cbor, len), MM_EAT_PREFERRED, &s.st, &c, &off);
    if (e != MM_OK) {
        fail_msg("every claim: %s at %zu", mm_errname(e), off);
    }
    assert_int_equal(c.cwt.present, 0xff);
    assert_int_equal(c.present, 0x1fffff);
    assert_int_equal(c.n_submods, 5);
    assert_true(c.profile_is_oid);
    assert_hex(c.profile, "2b0601040182 37");
    assert_int_equal(c.n_unknown, 2);
    /* JSON -> CBOR -> JSON: the same JSON. */
    assert_back(cbor, len, j, "every claim");
    /* CBOR -> JSON -> CBOR: the same bytes; and the struct encodes them too. */
    json_t *again = NULL;
    assert_int_equal(mm_eat_json_from_cbor(mm_bytes_make(cbor, len), &again, NULL), MM_OK);
    uint8_t *cbor2 = NULL;
    size_t len2 = to_cbor(again, &cbor2);
    assert_int_equal(len2, len);
    assert_memory_equal(cbor2, cbor, len);
    uint8_t enc[2048];
    mm_buf b = mm_buf_make(enc, sizeof enc);
    assert_int_equal(mm_eat_claims_encode(&c, &b), MM_OK);
    assert_int_equal(b.len, len);
    assert_memory_equal(enc, cbor, len);
    free(cbor);
    free(cbor2);
    json_decref(again);
    json_decref(j);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        mm_err err;
        const char *where;
    } cases[] = {
        {"{\"ueid\": 5}", MM_ERR_CBOR_TYPE, "ueid"},
        {"{\"ueid\": \"***\"}", MM_ERR_BAD_BASE64, "ueid"},
        {"{\"iat\": 1.5}", MM_ERR_CBOR_TYPE, "iat"},
        {"{\"uptime\": -1}", MM_ERR_CBOR_RANGE, "uptime"},
        {"{\"dbgstat\": \"off\"}", MM_ERR_CBOR_RANGE, "dbgstat"},
        {"{\"location\": {\"lat\": 1}}", MM_ERR_CBOR_RANGE, "location"},
        {"{\"submods\": {\"a\": {\"ueid\": true}}}", MM_ERR_CBOR_TYPE, "submods.a.ueid"},
        {"{\"submods\": {\"a\": [\"CBOR\"]}}", MM_ERR_CBOR_TYPE, "submods.a"},
        {"{\"cnf\": {\"jwk\": {}}}", MM_ERR_UNSUPPORTED, "cnf"},
        {"{\"ear_status\": \"good\"}", MM_ERR_CBOR_RANGE, "ear_status"},
        {"{\"ear_trustworthiness_vector\": {\"firmware\": 2}}", MM_ERR_CBOR_RANGE, "ear_trustworthiness_vector"},
        {"{\"manifests\": [[1, {\"cbor\": \"_w\"}]]}", MM_ERR_CBOR_TYPE, "manifests"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_loads(cases[i].json, 0, NULL);
        assert_non_null(j);
        uint8_t *cbor = NULL;
        size_t len;
        mm_json_where where;
        mm_err e = mm_eat_json_to_cbor(j, &cbor, &len, &where);
        if (e != cases[i].err || strcmp(where.path, cases[i].where) != 0) {
            fail_msg("%s: %s at %s, want %s at %s", cases[i].json, mm_errname(e), where.path, mm_errname(cases[i].err),
                     cases[i].where);
        }
        assert_null(cbor);
        json_decref(j);
    }
    /* What CBOR has and JSON has not. */
    static const char *const cbor_only[] = {"a101c100", "a101f97e00", "a1011bffffffffffffffff", "a108a10100"};
    for (size_t i = 0; i < sizeof cbor_only / sizeof cbor_only[0]; i++) {
        uint8_t in[32];
        size_t n = mm_test_unhex(cbor_only[i], in, sizeof in);
        json_t *j = NULL;
        mm_err e = mm_eat_json_from_cbor(mm_bytes_make(in, n), &j, NULL);
        if (e == MM_OK) {
            fail_msg("%s converted to JSON", cbor_only[i]);
        }
        assert_null(j);
    }
}

static void test_ear_jwt(void **state)
{
    (void)state;
    mm_key key;
    memset(&key, 0, sizeof key);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &key), MM_OK);
    mm_ear_appraisal ap;
    memset(&ap, 0, sizeof ap);
    ap.name = MM_BYTES_LIT("TEEP");
    ap.status = MM_AR4SI_AFFIRMING;
    ap.vector.claim[MM_AR4SI_HARDWARE] = 2;
    ap.vector.present = 1u << MM_AR4SI_HARDWARE;
    ap.present = MM_EAR_AP_VECTOR;
    mm_ear e;
    memset(&e, 0, sizeof e);
    e.iat = 1700000000;
    e.developer = MM_BYTES_LIT("https://mamori.example");
    e.build = MM_BYTES_LIT("1");
    e.nonce = MM_BYTES_LIT("0123456789abcdef");
    e.present = MM_EAR_HAS_NONCE;
    e.submods = &ap;
    e.n_submods = 1;
    char *jwt = NULL;
    assert_int_equal(mm_ear_jwt_sign(&e, crypto, &key, 0, MM_BYTES_LIT("v1"), &jwt), MM_OK);
    eat_store s;
    eat_store_init(&s);
    uint8_t *cbor = NULL;
    mm_ear got;
    assert_int_equal(mm_ear_jwt_verify(mm_bytes_from_cstr(jwt), crypto, &key, NULL, MM_BYTES_LIT("0123456789abcdef"),
                                       &s.ear, &cbor, &got),
                     MM_OK);
    assert_int_equal(got.n_submods, 1);
    assert_int_equal(got.submods[0].vector.claim[MM_AR4SI_HARDWARE], 2);
    free(cbor);
    assert_int_equal(mm_ear_jwt_verify(mm_bytes_from_cstr(jwt), crypto, &key, NULL, MM_BYTES_LIT("fedcba9876543210"),
                                       &s.ear, &cbor, &got),
                     MM_ERR_CLAIM_MISMATCH);
    assert_null(cbor);
    /* Claims that are a JWT's but not an EAR's. */
    char *plain = NULL;
    json_t *claims = json_pack("{s:s}", "eat_nonce", "MIDBNH28iioisjPy");
    assert_int_equal(mm_jwt_sign(claims, crypto, &key, 0, MM_BYTES_LIT(""), &plain), MM_OK);
    assert_int_equal(
        mm_ear_jwt_verify(mm_bytes_from_cstr(plain), crypto, &key, NULL, MM_BYTES_LIT(""), &s.ear, &cbor, &got),
        MM_ERR_MISSING_FIELD);
    json_decref(claims);
    free(plain);
    free(jwt);
    mm_key_free(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ear_examples), cmocka_unit_test(test_eat_examples), cmocka_unit_test(test_json_deb),
        cmocka_unit_test(test_jwt),          cmocka_unit_test(test_every_claim),  cmocka_unit_test(test_errors),
        cmocka_unit_test(test_ear_jwt),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
