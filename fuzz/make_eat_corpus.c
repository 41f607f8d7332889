/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpora of fuzz_eat and fuzz_edn_parse: for fuzz_eat a
 * claims-set with every claim, tokens of every tag form signed with the
 * target's keys (the deterministic test backend makes them in the same
 * order, so they verify), a nested token, a detached bundle, a TEEP
 * profile token, an EAR and its token, SUIT_References, each behind the
 * target's selector byte; for fuzz_edn_parse diagnostic notation of every
 * kind the reader knows. Run by hand after changing a target:
 *   make_eat_corpus fuzz/corpus/fuzz_eat fuzz/corpus/fuzz_edn_parse
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_test.h"
#include "mamori/ear.h"
#include "mamori/eat.h"
#include "fuzz_seed.h"

/* The selectors of fuzz_eat (its enum mode and flag bits). */
enum { CLAIMS, TOKEN, DEB, TEEP, EAR_CLAIMS, EAR_TOKEN, SUIT_REF, NESTED };
#define ACCEPT_ANY 0x08
#define PREFERRED  0x10
#define EDDSA_KEY  0x20

static const uint8_t ueid[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};
static const uint8_t nonce[] = {0x94, 0x8f, 0x88, 0x60, 0xd1, 0x3a, 0x46, 0x3e};
static const uint8_t suit_ref[] = {0x82, 0x61, 0x78, 0x82, 0x2f, 0x41, 0x01};

static void edn_seeds(const char *dir)
{
    static const char *const texts[] = {
        "{10: h'948f8860d13a463e', 262: true}",
        "[0, 23, 24, -1, -25, 18446744073709551615, -18446744073709551616, 0x1f, 0o17, 0b101]",
        "[1.5, -4.1, 1.0e+300, 5e-324, Infinity, -Infinity, NaN, -0.0]",
        "[\"\", \"IETF\", \"\\u00fc\\ud800\\udd51\\n\", 'bytes', h'01 02 / c / 03', b64'AQID', b64'-_8']",
        "h'01' h'02' + h'03'",
        "{1: 2, \"a\": [<<1, 2>>, 24(<<{}>>)], 1(1363896240): simple(16)}",
        "[true, false, null, undefined, simple(255)]",
        "# line comment\n[1, 2,]",
        "61(18([<<{1: -7}>>, {4: h'3131'}, <<{10: h'948f8860d13a463e'}>>, h'00']))",
        "[_ 1]",
        "1_1",
        "dt'2020-01-01T00:00:00Z'",
        "\"unterminated",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "edn-%02zu", i);
        seed_write(dir, name, -1, (const uint8_t *)texts[i], strlen(texts[i]));
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_eat_corpus EAT_DIR EDN_DIR\n");
        return 64;
    }
    seed_program("make_eat_corpus");
    const char *dir = argv[1];
    edn_seeds(argv[2]);
    static mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    const mm_crypto *c = &t.crypto;
    mm_key es, ed, hmac;
    seed_need(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_KEY_EXTRACTABLE, &es), "es256 key");
    seed_need(mm_key_generate(c, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, 0, &ed), "ed25519 key");
    seed_need(mm_key_generate(c, MM_KTY_SYMMETRIC, 256, MM_ALG_HMAC256, 0, &hmac), "hmac key");
    static uint8_t buf[4096];
    static uint8_t scratch[4096];
    static uint8_t cnf[64];
    mm_buf out;

    /* A claims-set with most claims. */
    mm_eat_manifest man = {MM_EAT_CF_SUIT_REFERENCE, mm_bytes_make(suit_ref, sizeof suit_ref)};
    mm_eat_result res[2] = {{MM_BYTES_LIT("fw"), false, MM_EAT_RESULT_SUCCESS}, {MM_BYTES_LIT("\x01"), true, 4}};
    mm_eat_measres group = {MM_BYTES_LIT("boot"), res, 2};
    mm_eat_sueid sueid = {MM_BYTES_LIT("XYZ"), {ueid, 7}};
    mm_eat_dloa dloa = {MM_BYTES_LIT("https://dloa"), MM_BYTES_LIT("p"), MM_BYTES_LIT("a")};
    mm_eat_claim unknown = {-70000, {NULL, 0}, MM_BYTES_LIT("\x01")};
    mm_eat_claims cl;
    memset(&cl, 0, sizeof cl);
    out = mm_buf_make(cnf, sizeof cnf);
    seed_need(mm_eat_cnf_kid_encode(c, &es, MM_ALG_SHA256, &out), "cnf");
    cl.cwt.cnf = mm_bytes_make(cnf, out.len);
    cl.cwt.iat = 1700000000;
    cl.cwt.iss = MM_BYTES_LIT("attester");
    cl.cwt.present = MM_CWT_HAS_CNF | MM_CWT_HAS_IAT | MM_CWT_HAS_ISS;
    cl.nonce = mm_bytes_make(nonce, sizeof nonce);
    cl.n_nonces = 1;
    cl.ueid = mm_bytes_make(ueid, 17);
    cl.sueids = &sueid;
    cl.n_sueids = 1;
    cl.oemid.form = MM_EAT_OEMID_IEEE;
    cl.oemid.id = MM_BYTES_LIT("\x89\x48\x23");
    cl.hwmodel = MM_BYTES_LIT("\x54\x9d");
    cl.hwversion.version = MM_BYTES_LIT("1.3.4");
    cl.hwversion.scheme_kind = MM_EAT_SCHEME_INT;
    cl.hwversion.scheme = 1;
    cl.dbgstat = 2;
    cl.location.latitude = 1.5;
    cl.location.longitude = -2.25;
    cl.location.present = MM_EAT_LOC_AGE;
    cl.location.age = 3;
    cl.profile = MM_BYTES_LIT("urn:ietf:rfc:rfcXXXX");
    cl.dloas = &dloa;
    cl.n_dloas = 1;
    cl.manifests = &man;
    cl.n_manifests = 1;
    cl.measres = &group;
    cl.n_measres = 1;
    cl.intuse = 2;
    cl.unknown = &unknown;
    cl.n_unknown = 1;
    cl.present = MM_EAT_HAS_NONCE | MM_EAT_HAS_UEID | MM_EAT_HAS_SUEIDS | MM_EAT_HAS_OEMID | MM_EAT_HAS_HWMODEL |
                 MM_EAT_HAS_HWVERSION | MM_EAT_HAS_DBGSTAT | MM_EAT_HAS_LOCATION | MM_EAT_HAS_PROFILE |
                 MM_EAT_HAS_DLOAS | MM_EAT_HAS_MANIFESTS | MM_EAT_HAS_MEASRES | MM_EAT_HAS_INTUSE;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_eat_claims_encode(&cl, &out), "claims");
    seed_write(dir, "claims", CLAIMS, buf, out.len);
    seed_write(dir, "claims-preferred", CLAIMS | PREFERRED, buf, out.len);

    /* Tokens: every tag form, both keys. */
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = c;
    o.scratch = scratch;
    o.scratch_len = sizeof scratch;
    o.kid = MM_BYTES_LIT("k");
    static const unsigned forms[] = {0, MM_EAT_NO_CWT_TAG, MM_EAT_UNTAGGED};
    for (size_t f = 0; f < 3; f++) {
        for (int key = 0; key < 2; key++) {
            char name[32];
            o.key = key == 0 ? &es : &ed;
            out = mm_buf_make(buf, sizeof buf);
            seed_need(mm_eat_sign(&cl, &o, forms[f], &out), "token");
            snprintf(name, sizeof name, "token-%zu-%d", f, key);
            seed_write(dir, name, TOKEN | (key == 1 ? EDDSA_KEY : 0), buf, out.len);
            snprintf(name, sizeof name, "token-any-%zu-%d", f, key);
            seed_write(dir, name, TOKEN | ACCEPT_ANY | (key == 1 ? EDDSA_KEY : 0), buf, out.len);
        }
    }
    /* The TEEP profile's form: untagged, the thumbprint as kid. */
    o.key = &es;
    o.kid = mm_bytes_make(cnf + 4, 32);
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_eat_sign(&cl, &o, MM_EAT_UNTAGGED, &out), "teep token");
    seed_write(dir, "teep", TEEP | PREFERRED, buf, out.len);
    o.kid = MM_BYTES_LIT("k");

    /* A nested token inside a claims-set submodule, and a JSON one. */
    static uint8_t inner[1024];
    mm_eat_claims ic;
    memset(&ic, 0, sizeof ic);
    ic.swname = MM_BYTES_LIT("se");
    ic.present = MM_EAT_HAS_SWNAME;
    o.key = &ed;
    mm_buf ib = mm_buf_make(inner, sizeof inner);
    seed_need(mm_eat_sign(&ic, &o, 0, &ib), "inner token");
    mm_eat_submod subs[3] = {
        {MM_BYTES_LIT("se"), MM_EAT_SUBMOD_TOKEN, {inner, ib.len}, 0, {NULL, 0}},
        {MM_BYTES_LIT("j"), MM_EAT_SUBMOD_JSON, MM_BYTES_LIT("[\"JWT\",\"a.b.c\"]"), 0, {NULL, 0}},
        {MM_BYTES_LIT("d"), MM_EAT_SUBMOD_DIGEST, {ueid, 16}, MM_ALG_SHA256, {NULL, 0}},
    };
    mm_eat_claims outer;
    memset(&outer, 0, sizeof outer);
    outer.submods = subs;
    outer.n_submods = 3;
    outer.present = MM_EAT_HAS_SUBMODS;
    o.key = &es;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_eat_sign(&outer, &o, 0, &out), "outer token");
    seed_write(dir, "nested", TOKEN, buf, out.len);
    seed_write(dir, "nested-unchecked", NESTED, buf, out.len);

    /* A detached bundle: 602([main, {"d": claims}]) whose digest matches. */
    static const uint8_t detached[] = {0xa1, 0x19, 0x01, 0x0e, 0x61, 'd'};
    uint8_t h[MM_HASH_MAX];
    size_t hl;
    seed_need(mm_hash(c, MM_ALG_SHA256, mm_bytes_make(detached, sizeof detached), h, &hl), "digest");
    subs[2].value = mm_bytes_make(h, hl);
    outer.submods = &subs[2];
    outer.n_submods = 1;
    static uint8_t main_tok[1024];
    mm_buf mb = mm_buf_make(main_tok, sizeof main_tok);
    seed_need(mm_eat_sign(&outer, &o, 0, &mb), "bundle main token");
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, sizeof buf);
    mm_cbor_put_tag(&enc, MM_EAT_TAG_DEB);
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_bstr(&enc, mm_bytes_make(main_tok, mb.len));
    mm_cbor_put_map(&enc, 1);
    mm_cbor_put_cstr(&enc, "d");
    mm_cbor_put_bstr(&enc, mm_bytes_make(detached, sizeof detached));
    size_t len;
    seed_need(mm_cbor_enc_finish(&enc, &len), "bundle");
    seed_write(dir, "deb", DEB, buf, len);

    /* An EAR and its token. */
    mm_bytes policy = MM_BYTES_LIT("https://verifier/policy");
    mm_ear_appraisal ap;
    memset(&ap, 0, sizeof ap);
    ap.name = MM_BYTES_LIT("TEEP");
    ap.status = MM_AR4SI_WARNING;
    ap.vector.claim[0] = 2;
    ap.vector.claim[2] = 33;
    ap.vector.present = 0x05;
    ap.policy_ids = &policy;
    ap.n_policy_ids = 1;
    ap.nonce = mm_bytes_make(nonce, sizeof nonce);
    ap.teep = mm_bytes_make(detached, sizeof detached);
    ap.present = MM_EAR_AP_VECTOR | MM_EAR_AP_POLICY_IDS | MM_EAR_AP_NONCE | MM_EAR_AP_TEEP;
    mm_ear ear;
    memset(&ear, 0, sizeof ear);
    ear.iat = 1700000000;
    ear.exp = 1700003600;
    ear.status = MM_AR4SI_WARNING;
    ear.developer = MM_BYTES_LIT("https://mamori");
    ear.build = MM_BYTES_LIT("1");
    ear.submods = &ap;
    ear.n_submods = 1;
    ear.present = MM_EAR_HAS_STATUS | MM_EAR_HAS_EXP;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_ear_encode(&ear, &out), "ear");
    seed_write(dir, "ear", EAR_CLAIMS, buf, out.len);
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_ear_sign(&ear, &o, 0, &out), "ear token");
    seed_write(dir, "ear-token", EAR_TOKEN, buf, out.len);

    /* SUIT_References, both forms. */
    seed_write(dir, "suit-ref", SUIT_REF, suit_ref, sizeof suit_ref);
    static const uint8_t suit_ref_map[] = {0xa2, 0x01, 0x61, 0x78, 0x00, 0x82, 0x2f, 0x41, 0x01};
    seed_write(dir, "suit-ref-map", SUIT_REF, suit_ref_map, sizeof suit_ref_map);

    mm_key_free(&es);
    mm_key_free(&ed);
    mm_key_free(&hmac);
    return 0;
}
