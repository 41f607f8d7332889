/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Verifier's CoRIM reader (services/verifier/vf_corim.c) and imports:
 * a CoRIM with every part the reader acts on, record by record; the
 * catalogue of malformed and unsupported CoRIMs, each refused with its
 * error and the name of the part; every truncation of a valid one; signed
 * CoRIMs (signature, protected header, corim-meta and CWT-Claims, hash
 * envelopes and detached payloads); imports into a store (PEM keys become
 * COSE_Keys, a second import replaces the first, validity periods, and
 * nothing written when any part is refused).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mamori/crypto_openssl.h"
#include "mm_test.h"
#include "vf_import.h"

static const mm_crypto *ossl;
static mm_key signer, stranger, attester;
static char dir[64];
static char attester_pem[512];

/* A CoRIM whose one CoMID (bstr-wrapped, as the draft has it) has these
 * triples (EDN of a triples-map). */
#define CORIM(triples) "501({0: \"acme-2026\", 1: [506(<<{1: {0: \"tag-1\"}, 4: " triples "}>>)]})"
#define DEV            "{1: 550(h'0198f50a4ff6c058')}"
#define CLASS          "{0: {0: 560(h'549dcecc'), 1: \"89-48-23\"}}"
#define DIGEST         "h'4242424242424242424242424242424242424242424242424242424242424242'"

static size_t edn(const char *text, uint8_t *out, size_t cap)
{
    mm_buf b = mm_buf_make(out, cap);
    size_t off = 0;
    mm_err e = mm_cbor_from_edn(mm_bytes_from_cstr(text), 0, &b, &off);
    if (e != MM_OK) {
        fail_msg("EDN at %zu: %s: %s", off, mm_errname(e), text);
    }
    return b.len;
}

static int setup(void **state)
{
    (void)state;
    ossl = mm_crypto_openssl();
    snprintf(dir, sizeof dir, "/tmp/mm-corim-XXXXXX");
    assert_non_null(mkdtemp(dir));
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &signer), MM_OK);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &stranger), MM_OK);
    assert_int_equal(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &attester), MM_OK);
    mm_buf b = mm_buf_make(attester_pem, sizeof attester_pem - 1);
    assert_int_equal(mm_openssl_export_public_key(&attester, MM_OPENSSL_PEM, &b), MM_OK);
    attester_pem[b.len] = '\0';
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mm_key_free(&signer);
    mm_key_free(&stranger);
    mm_key_free(&attester);
    mm_test_remove_dir(dir);
    return 0;
}

/* Records collected as text lines, to compare with what is expected. */
typedef struct lines {
    char text[4096];
} lines;

static mm_err collect(void *user, const vf_corim_record *r)
{
    lines *l = user;
    char line[300];
    const char *kind = r->kind == VF_CORIM_KEY ? (r->key_form == VF_CORIM_COSE_KEY ? "cose-key" : "pem-key")
                                               : vf_ref_kind_name(r->ref_kind);
    snprintf(line, sizeof line, "%s ueid=%s vendor=%.*s hwmodel=%s label=%.*s alg=%d level=%d len=%zu\n", kind,
             mm_test_hex(r->env.ueid), (int)r->env.vendor.len, (const char *)r->env.vendor.ptr,
             r->env.hwmodel.len != 0 ? "yes" : "no", (int)r->label.len, (const char *)r->label.ptr, (int)r->alg,
             (int)r->level, r->kind == VF_CORIM_KEY ? r->key.len : r->value.len);
    strncat(l->text, line, sizeof l->text - strlen(l->text) - 1);
    return MM_OK;
}

static const char good[] =
    "501({0: \"acme-2026\", 1: ["
    /* A CoMID in its byte string (the draft), with reference values of a
     * model and of a device of that model. */
    "506(<<{0: \"en\", 1: {0: \"tag-1\", 1: 2}, 2: [{0: \"ACME\", 2: [0]}], 4: {0: ["
    "  [" CLASS ", [{0: \"boot\", 1: {2: [[1, " DIGEST "], [-43, h'" /* sha-384 */
    "  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f']]}},"
    "     {1: {11: \"Acme OS\", 0: {0: \"3.1.4\", 1: 16384}, 3: {3: false, 1: true}}},"
    "     {0: 7, 1: {2: [[\"sha-256\", " DIGEST "]]}}]],"
    "  [{0: {1: \"32473\", 2: \"board\"}, 1: 550(h'0198f50a4ff6c058')}, [{1: {11: \"Acme OS\"}}]]"
    "]}}>>),"
    /* An earlier draft's form: the map itself, with attest-key triples. */
    "506({1: {0: h'000102030405060708090a0b0c0d0e0f'}, 4: {3: ["
    "  [" DEV ", [558({1: 2, -1: 1, -2: h'65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d',"
    "               -3: h'1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c', 2: 'dev-1'})]],"
    "  [" CLASS ", [554(\"PEM\")]]"
    "]}})"
    "], 4: {0: 1(1700000000), 1: 1(2000000000)}, 5: [{0: \"ACME\", 2: [1]}], 2: [{0: \"https://x\"}]})";

static void test_decode(void **state)
{
    (void)state;
    static uint8_t buf[4096];
    size_t len = edn(good, buf, sizeof buf);
    lines l;
    memset(&l, 0, sizeof l);
    vf_corim_info info;
    vf_corim_error where;
    mm_err e = vf_corim_decode(mm_bytes_make(buf, len), collect, &l, &info, &where);
    if (e != MM_OK) {
        fail_msg("%s at %zu: %s", mm_errname(e), where.offset, where.what);
    }
    assert_string_equal(l.text, "measurement ueid= vendor=89-48-23 hwmodel=yes label=boot alg=-16 level=0 len=32\n"
                                "measurement ueid= vendor=89-48-23 hwmodel=yes label=boot alg=-43 level=0 len=48\n"
                                "swname ueid= vendor=89-48-23 hwmodel=yes label= alg=0 level=0 len=7\n"
                                "swversion ueid= vendor=89-48-23 hwmodel=yes label= alg=0 level=0 len=5\n"
                                "debug ueid= vendor=89-48-23 hwmodel=yes label= alg=0 level=1 len=0\n"
                                "secure-boot ueid= vendor=89-48-23 hwmodel=yes label= alg=0 level=0 len=0\n"
                                "measurement ueid= vendor=89-48-23 hwmodel=yes label=7 alg=-16 level=0 len=32\n"
                                "oemid ueid=0198f50a4ff6c058 vendor=32473 hwmodel=yes label= alg=0 level=0 len=5\n"
                                "hwmodel ueid=0198f50a4ff6c058 vendor=32473 hwmodel=yes label= alg=0 level=0 len=5\n"
                                "swname ueid=0198f50a4ff6c058 vendor=32473 hwmodel=yes label= alg=0 level=0 len=7\n"
                                "cose-key ueid=0198f50a4ff6c058 vendor= hwmodel=no label= alg=0 level=0 len=82\n"
                                "pem-key ueid= vendor=89-48-23 hwmodel=yes label= alg=0 level=0 len=3\n");
    assert_int_equal(info.n_tags, 2);
    assert_int_equal(info.n_records, 12);
    assert_true(mm_bytes_equal(info.id, MM_BYTES_LIT("acme-2026")));
    assert_false(info.id_uuid);
    assert_true(info.has_validity);
    assert_int_equal(info.not_before, 1700000000);
    assert_int_equal(info.not_after, 2000000000);
    /* Validation alone (no callback) agrees; so does the bare corim-map. */
    assert_int_equal(vf_corim_decode(mm_bytes_make(buf, len), NULL, NULL, &info, NULL), MM_OK);
    assert_int_equal(info.n_records, 12);
    assert_int_equal(vf_corim_decode(mm_bytes_make(buf + 3, len - 3), NULL, NULL, NULL, NULL), MM_OK);
    /* Every truncation is refused (and read no further than it may). */
    for (size_t n = 0; n < len; n++) {
        uint8_t *cut = malloc(n != 0 ? n : 1);
        assert_non_null(cut);
        memcpy(cut, buf, n);
        assert_int_not_equal(vf_corim_decode(mm_bytes_make(cut, n), collect, &l, NULL, NULL), MM_OK);
        free(cut);
        l.text[0] = '\0';
    }
}

/* The catalogue: CoRIMs refused, with the error and a word of the part. */
typedef struct bad_corim {
    const char *name;
    const char *edn;
    mm_err err;
    const char *what; /* a substring of where.what, or NULL */
} bad_corim;

#define MEAS(mval)  CORIM("{0: [[" CLASS ", [{1: " mval "}]]]}")
#define REF(triple) CORIM("{0: [" triple "]}")
#define KEY(triple) CORIM("{3: [" triple "]}")

static const bad_corim bad[] = {
    {"not a map", "42", MM_ERR_CBOR_TYPE, NULL},
    {"no id", "501({1: [506(<<{1: {0: \"t\"}, 4: {0: [[" DEV ", [{1: {11: \"x\"}}]]]}}>>)]})", MM_ERR_MISSING_FIELD,
     NULL},
    {"no tags", "501({0: \"x\"})", MM_ERR_MISSING_FIELD, NULL},
    {"empty tags", "501({0: \"x\", 1: []})", MM_ERR_CBOR_RANGE, "one tag"},
    {"id of bytes, not a UUID", "501({0: h'0102', 1: []})", MM_ERR_CBOR_RANGE, "UUID"},
    {"profile", "501({0: \"x\", 3: \"https://profile.example\", 1: []})", MM_ERR_UNSUPPORTED, "profiles"},
    {"corim extension", "501({0: \"x\", 99: 1, 1: []})", MM_ERR_UNSUPPORTED, "extension"},
    {"duplicate label", "501({0: \"x\", 0: \"y\", 1: []})", MM_ERR_CBOR_DUP_KEY, NULL},
    {"rim-validity without not-after", "501({0: \"x\", 4: {0: 1(1)}, 1: []})", MM_ERR_MISSING_FIELD, NULL},
    {"CoSWID", "501({0: \"x\", 1: [505(h'a0')]})", MM_ERR_UNSUPPORTED, "CoSWID"},
    {"CoTL", "501({0: \"x\", 1: [508(h'a0')]})", MM_ERR_UNSUPPORTED, "CoTL"},
    {"another tag", "501({0: \"x\", 1: [1(0)]})", MM_ERR_UNSUPPORTED, "CoMID"},
    {"a tag that is not tagged", "501({0: \"x\", 1: [{}]})", MM_ERR_CBOR_TYPE, NULL},
    {"CoMID without triples", "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}}>>)]})", MM_ERR_MISSING_FIELD, NULL},
    {"CoMID without identity", "501({0: \"x\", 1: [506(<<{4: {0: [[" DEV ", [{1: {11: \"x\"}}]]]}}>>)]})",
     MM_ERR_MISSING_FIELD, NULL},
    {"linked tags", "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}, 3: [], 4: {}}>>)]})", MM_ERR_UNSUPPORTED, "linked"},
    {"CoMID extension", "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}, -1: 0, 4: {}}>>)]})", MM_ERR_UNSUPPORTED,
     "extension"},
    {"CoMID bytes with more",
     "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}, 4: {0: [[" DEV ", [{1: {11: \"x\"}}]]]}}, 0>>)]})", MM_ERR_CBOR_BAD_WRAP,
     NULL},
    {"empty triples", CORIM("{}"), MM_ERR_MISSING_FIELD, "empty triples"},
    {"endorsed triples", CORIM("{1: []}"), MM_ERR_UNSUPPORTED, "endorsed-triples"},
    {"identity triples", CORIM("{2: []}"), MM_ERR_UNSUPPORTED, "identity-triples"},
    {"dependency triples", CORIM("{4: []}"), MM_ERR_UNSUPPORTED, "dependency-triples"},
    {"membership triples", CORIM("{5: []}"), MM_ERR_UNSUPPORTED, "membership-triples"},
    {"coswid triples", CORIM("{6: []}"), MM_ERR_UNSUPPORTED, "coswid-triples"},
    {"series triples", CORIM("{8: []}"), MM_ERR_UNSUPPORTED, "series"},
    {"conditional triples", CORIM("{10: []}"), MM_ERR_UNSUPPORTED, "conditional-endorsement-triples"},
    {"triples extension", CORIM("{-1: []}"), MM_ERR_UNSUPPORTED, "extension"},
    {"no reference triple", CORIM("{0: []}"), MM_ERR_CBOR_RANGE, "one triple"},
    {"reference triple of three", REF("[" DEV ", [{1: {11: \"x\"}}], 0]"), MM_ERR_CBOR_RANGE, "environment"},
    {"no measurement", REF("[" DEV ", []]"), MM_ERR_CBOR_RANGE, "one measurement"},
    {"empty environment", REF("[{}, [{1: {11: \"x\"}}]]"), MM_ERR_MISSING_FIELD, "empty environment"},
    {"group", REF("[{2: 560(h'01')}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "groups"},
    {"environment extension", REF("[{9: 1}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "extension"},
    {"class-id OID", REF("[{0: {0: 111(h'2a03'), 1: \"1\"}}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "class-id"},
    {"class-id too long",
     REF("[{0: {0: 560(h'"
         "00010203040506070809000102030405060708090001020304050607080900010203"
         "'), 1: \"1\"}}, [{1: {11: \"x\"}}]]"),
     MM_ERR_CBOR_RANGE, "1 to 32"},
    {"class layer", REF("[{0: {1: \"1\", 2: \"m\", 3: 1}}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "layers"},
    {"class index", REF("[{0: {1: \"1\", 2: \"m\", 4: 1}}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "indexes"},
    {"class of a vendor only", REF("[{0: {1: \"1\"}}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "give both"},
    {"class of a model only", REF("[{0: {2: \"m\"}}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED, "give both"},
    {"class-id and model", REF("[{0: {0: 560(h'01'), 1: \"1\", 2: \"m\"}}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED,
     "both"},
    {"instance UUID", REF("[{1: 37(h'000102030405060708090a0b0c0d0e0f')}, [{1: {11: \"x\"}}]]"), MM_ERR_UNSUPPORTED,
     "instance"},
    {"instance UEID too short", REF("[{1: 550(h'0102')}, [{1: {11: \"x\"}}]]"), MM_ERR_CBOR_RANGE, "UEID"},
    {"measurement without mval", REF("[" DEV ", [{0: \"k\"}]]"), MM_ERR_MISSING_FIELD, NULL},
    {"authorized-by", REF("[" DEV ", [{1: {11: \"x\"}, 2: [560(h'01')]}]]"), MM_ERR_UNSUPPORTED, "authorized-by"},
    {"measurement key UUID", REF("[" DEV ", [{0: 37(h'000102030405060708090a0b0c0d0e0f'), 1: {11: \"x\"}}]]"),
     MM_ERR_UNSUPPORTED, "measurement key"},
    {"empty mval", MEAS("{}"), MM_ERR_MISSING_FIELD, "empty measurement-values-map"},
    {"svn", MEAS("{1: 552(3)}"), MM_ERR_UNSUPPORTED, "svn"},
    {"raw value", MEAS("{4: 560(h'01')}"), MM_ERR_UNSUPPORTED, "raw values"},
    {"mac address", MEAS("{6: h'010203040506'}"), MM_ERR_UNSUPPORTED, "MAC"},
    {"serial number", MEAS("{8: \"123\"}"), MM_ERR_UNSUPPORTED, "serial"},
    {"ueid measurement", MEAS("{9: h'0198f50a4ff6c058'}"), MM_ERR_UNSUPPORTED, "UEID"},
    {"cryptokeys", MEAS("{13: [560(h'01')]}"), MM_ERR_UNSUPPORTED, "cryptokeys"},
    {"integrity registers", MEAS("{14: {0: [[1, " DIGEST "]]}}"), MM_ERR_UNSUPPORTED, "integrity"},
    {"int range", MEAS("{15: 3}"), MM_ERR_UNSUPPORTED, "int-range"},
    {"mval extension", MEAS("{-1: 0}"), MM_ERR_UNSUPPORTED, "extension"},
    {"version without text", MEAS("{0: {1: 1}}"), MM_ERR_MISSING_FIELD, NULL},
    {"name not text", MEAS("{11: 5}"), MM_ERR_CBOR_TYPE, NULL},
    {"no digest", MEAS("{2: []}"), MM_ERR_CBOR_RANGE, "one digest"},
    {"digest of three", MEAS("{2: [[1, " DIGEST ", 0]]}"), MM_ERR_CBOR_RANGE, "[alg, value]"},
    {"digest algorithm unknown", MEAS("{2: [[2, " DIGEST "]]}"), MM_ERR_UNSUPPORTED, "digest algorithm"},
    {"digest algorithm name unknown", MEAS("{2: [[\"md5\", " DIGEST "]]}"), MM_ERR_UNSUPPORTED, "digest algorithm"},
    {"digest too short", MEAS("{2: [[1, h'4242']]}"), MM_ERR_CBOR_RANGE, "length"},
    {"is-debug true", MEAS("{3: {3: true}}"), MM_ERR_UNSUPPORTED, "is-debug"},
    {"is-secure false", MEAS("{3: {1: false}}"), MM_ERR_UNSUPPORTED, "is-secure"},
    {"another flag", MEAS("{3: {0: true}}"), MM_ERR_UNSUPPORTED, "flags"},
    {"flag extension", MEAS("{3: {-5: true}}"), MM_ERR_UNSUPPORTED, "extension"},
    {"empty flags", MEAS("{3: {}}"), MM_ERR_MISSING_FIELD, "empty flags"},
    {"flag not a bool", MEAS("{3: {3: 0}}"), MM_ERR_CBOR_TYPE, NULL},
    {"attest-key conditions", KEY("[" DEV ", [554(\"k\")], {0: 1}]"), MM_ERR_UNSUPPORTED, "conditions"},
    {"attest-key without keys", KEY("[" DEV ", []]"), MM_ERR_CBOR_RANGE, "one key"},
    {"a certificate", KEY("[" DEV ", [555(\"cert\")]]"), MM_ERR_UNSUPPORTED, "certificates"},
    {"a thumbprint", KEY("[" DEV ", [557([1, " DIGEST "])]]"), MM_ERR_UNSUPPORTED, "thumbprints"},
    {"a COSE_KeySet", KEY("[" DEV ", [558([{1: 2}])]]"), MM_ERR_UNSUPPORTED, "COSE_KeySet"},
    {"a key untagged", KEY("[" DEV ", [h'01']]"), MM_ERR_CBOR_TYPE, NULL},
    {"an empty PEM key", KEY("[" DEV ", [554(\"\")]]"), MM_ERR_BAD_KEY, "empty PEM"},
    {"trailing bytes", "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}, 4: {0: [[" DEV ", [{1: {11: \"x\"}}]]]}}>>)]}), 0",
     MM_ERR_SYNTAX, NULL},
};

static void test_malformed(void **state)
{
    (void)state;
    static uint8_t buf[2048];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const bad_corim *b = &bad[i];
        size_t len;
        if (b->err == MM_ERR_SYNTAX) {
            /* Bytes after the CoRIM: written as a sequence. */
            mm_buf out = mm_buf_make(buf, sizeof buf);
            assert_int_equal(mm_cbor_from_edn(mm_bytes_from_cstr(b->edn), MM_EDN_READ_SEQUENCE, &out, NULL), MM_OK);
            len = out.len;
        } else {
            len = edn(b->edn, buf, sizeof buf);
        }
        lines l;
        memset(&l, 0, sizeof l);
        vf_corim_error where;
        mm_err e = vf_corim_decode(mm_bytes_make(buf, len), collect, &l, NULL, &where);
        mm_err want = b->err == MM_ERR_SYNTAX ? MM_ERR_CBOR_TRAILING : b->err;
        if (e != want || (b->what != NULL && strstr(where.what, b->what) == NULL)) {
            fail_msg("%s: %s at %zu '%s' (wanted %s, '%s')", b->name, mm_errname(e), where.offset, where.what,
                     mm_errname(want), b->what != NULL ? b->what : "");
        }
        assert_true(where.offset < len);
    }
}

/*
 * Signed CoRIMs.
 */
typedef struct signed_opts {
    const char *content_type; /* NULL: none */
    bool meta, cwt, hash_envelope, detached;
    const char *iss;
    const mm_key *key;
} signed_opts;

static size_t make_signed(const signed_opts *so, mm_bytes payload, uint8_t *out, size_t cap)
{
    static uint8_t ct[64], meta[128], cwt[64], halg[8];
    mm_cose_param params[4];
    size_t n = 0;
    if (so->content_type != NULL) {
        char text[96];
        snprintf(text, sizeof text, "\"%s\"", so->content_type);
        params[n++] =
            (mm_cose_param){MM_HDR_CONTENT_TYPE, mm_bytes_make(ct, edn(text, ct, sizeof ct)), MM_COSE_PROTECTED};
    }
    if (so->meta) {
        size_t m = edn("<<{0: {0: \"ACME Inc.\", 1: \"https://acme.example\", 9: 1}, 1: {0: 1(1700000000), 1: "
                       "1(2000000000)}}>>",
                       meta, sizeof meta);
        params[n++] = (mm_cose_param){VF_CORIM_HDR_META, mm_bytes_make(meta, m), MM_COSE_PROTECTED};
    }
    if (so->cwt) {
        char text[96];
        snprintf(text, sizeof text, "{1: \"%s\", 4: 2000000000}", so->iss);
        params[n++] =
            (mm_cose_param){MM_HDR_CWT_CLAIMS, mm_bytes_make(cwt, edn(text, cwt, sizeof cwt)), MM_COSE_PROTECTED};
    }
    if (so->hash_envelope) {
        params[n++] = (mm_cose_param){VF_CORIM_HDR_HASH_ALG, mm_bytes_make(halg, edn("-16", halg, sizeof halg)),
                                      MM_COSE_PROTECTED};
    }
    mm_cose_create_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = ossl;
    co.key = so->key != NULL ? so->key : &signer;
    co.alg = MM_ALG_ES256;
    co.params = params;
    co.n_params = n;
    co.flags = so->detached ? MM_COSE_DETACHED : 0;
    mm_buf b = mm_buf_make(out, cap);
    assert_int_equal(mm_cose_sign1_create(&co, payload, &b), MM_OK);
    return b.len;
}

static void test_signed(void **state)
{
    (void)state;
    static uint8_t corim[4096], msg[8192];
    size_t len = edn(good, corim, sizeof corim);
    mm_bytes payload = mm_bytes_make(corim, len);
    signed_opts so = {VF_CORIM_CONTENT_TYPE, true, false, false, false, NULL, NULL};
    size_t n = make_signed(&so, payload, msg, sizeof msg);
    assert_true(vf_corim_is_signed(mm_bytes_make(msg, n)));
    assert_false(vf_corim_is_signed(payload));
    vf_corim_signed s;
    vf_corim_error where;
    assert_int_equal(vf_corim_open_signed(mm_bytes_make(msg, n), ossl, &signer, NULL, 0, &s, &where), MM_OK);
    assert_true(mm_bytes_equal(s.payload, payload));
    assert_true(mm_bytes_equal(s.signer, MM_BYTES_LIT("ACME Inc.")));
    assert_true(s.has_nbf && s.has_exp);
    assert_int_equal(s.nbf, 1700000000);
    assert_int_equal(s.exp, 2000000000);
    /* Without a key: the header checked, the signature not. */
    assert_int_equal(vf_corim_open_signed(mm_bytes_make(msg, n), ossl, NULL, NULL, 0, &s, &where), MM_OK);
    assert_int_equal(vf_corim_open_signed(mm_bytes_make(msg, n), ossl, &stranger, NULL, 0, &s, &where), MM_ERR_VERIFY);
    msg[n - 70] ^= 1; /* a payload byte */
    assert_int_equal(vf_corim_open_signed(mm_bytes_make(msg, n), ossl, &signer, NULL, 0, &s, &where), MM_ERR_VERIFY);
    /* CWT-Claims alone, and both agreeing. */
    so.meta = false;
    so.cwt = true;
    so.iss = "ACME Inc.";
    n = make_signed(&so, payload, msg, sizeof msg);
    assert_int_equal(vf_corim_open_signed(mm_bytes_make(msg, n), ossl, &signer, NULL, 0, &s, &where), MM_OK);
    assert_false(s.has_nbf);
    assert_true(s.has_exp);
    so.meta = true;
    n = make_signed(&so, payload, msg, sizeof msg);
    assert_int_equal(vf_corim_open_signed(mm_bytes_make(msg, n), ossl, &signer, NULL, 0, &s, &where), MM_OK);
    /* The refusals. */
    const struct {
        signed_opts so;
        mm_err err;
        const char *what;
    } cases[] = {
        {{VF_CORIM_CONTENT_TYPE, true, true, false, false, "Other Inc.", NULL}, MM_ERR_CLAIM_MISMATCH, "differ"},
        {{VF_CORIM_CONTENT_TYPE, false, false, false, false, NULL, NULL}, MM_ERR_MISSING_FIELD, "corim-meta"},
        {{"application/cbor", true, false, false, false, NULL, NULL}, MM_ERR_CLAIM_MISMATCH, "content type"},
        {{NULL, true, false, false, false, NULL, NULL}, MM_ERR_CLAIM_MISMATCH, "content type"},
        {{VF_CORIM_CONTENT_TYPE, true, false, true, false, NULL, NULL}, MM_ERR_UNSUPPORTED, "hash envelope"},
        {{VF_CORIM_CONTENT_TYPE, true, false, false, true, NULL, NULL}, MM_ERR_UNSUPPORTED, "detached"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n = make_signed(&cases[i].so, payload, msg, sizeof msg);
        mm_err e = vf_corim_open_signed(mm_bytes_make(msg, n), ossl, &signer, NULL, 0, &s, &where);
        if (e != cases[i].err || strstr(where.what, cases[i].what) == NULL) {
            fail_msg("case %zu: %s '%s'", i, mm_errname(e), where.what);
        }
    }
    assert_int_equal(vf_corim_open_signed(MM_BYTES_LIT("\xd2\x84"), ossl, &signer, NULL, 0, &s, &where),
                     MM_ERR_TRUNCATED);
}

/*
 * Imports.
 */
static size_t count_rows(vf_store *s, bool refs)
{
    int64_t e = 0, r = 0, u = 0;
    assert_int_equal(vf_store_counts(s, &e, &r, &u), MM_OK);
    return (size_t)(refs ? r : e);
}

static void test_import(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/import.db", dir);
    vf_store *s = NULL;
    assert_int_equal(vf_store_open(path, 1, &s), MM_OK);
    /* The good CoRIM with the attester's real PEM key in place of "PEM". */
    size_t text_cap = sizeof good + 2 * sizeof attester_pem + 16;
    char *text = malloc(text_cap);
    assert_non_null(text);
    const char *at = strstr(good, "554(\"PEM\")");
    assert_non_null(at);
    char pem_edn[2 * sizeof attester_pem];
    size_t k = 0;
    for (const char *p = attester_pem; *p != '\0' && k + 3 < sizeof pem_edn; p++) {
        if (*p == '\n') {
            pem_edn[k++] = '\\';
            pem_edn[k++] = 'n';
        } else {
            pem_edn[k++] = *p;
        }
    }
    pem_edn[k] = '\0';
    int w = snprintf(text, text_cap, "%.*s554(\"%s\")%s", (int)(at - good), good, pem_edn, at + strlen("554(\"PEM\")"));
    assert_true(w > 0 && (size_t)w < text_cap);
    static uint8_t corim[4096], msg[8192];
    size_t len = edn(text, corim, sizeof corim);
    free(text);
    vf_import_opts o = {ossl, NULL, 1800000000};
    vf_import_report rep;
    mm_err e = vf_import_corim(s, mm_bytes_make(corim, len), &o, &rep);
    if (e != MM_OK) {
        fail_msg("%s: %s", mm_errname(e), rep.error);
    }
    assert_string_equal(rep.source, "corim:acme-2026");
    assert_int_equal(rep.endorsements, 2);
    assert_int_equal(rep.refs, 10);
    assert_int_equal(count_rows(s, false), 2);
    assert_int_equal(count_rows(s, true), 10);
    /* The PEM key became a COSE_Key with the attester's thumbprint, found
     * by the model. */
    vf_rows *rows = calloc(1, sizeof *rows);
    assert_non_null(rows);
    uint8_t oemid[32];
    size_t ol = 0;
    assert_int_equal(vf_oemid_parse(MM_BYTES_LIT("89-48-23"), oemid, &ol), MM_OK);
    vf_lookup lk = {{NULL, 0}, {NULL, 0}, mm_bytes_make(oemid, ol), MM_BYTES_LIT("\x54\x9d\xce\xcc")};
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 1);
    uint8_t kb[512];
    mm_key_parts parts;
    uint8_t tp[MM_HASH_MAX];
    size_t tl = 0;
    assert_int_equal(mm_key_export(&attester, 0, &parts, kb, sizeof kb), MM_OK);
    assert_int_equal(mm_cose_key_thumbprint(ossl, &parts, MM_ALG_SHA256, tp, &tl), MM_OK);
    assert_true(mm_bytes_equal(rows->endorsements[0].thumbprint, mm_bytes_make(tp, tl)));
    assert_true(mm_bytes_equal(rows->endorsements[0].source, MM_BYTES_LIT("corim:acme-2026")));
    /* The COSE_Key's own kid is kept for lookups. */
    lk.kid = MM_BYTES_LIT("dev-1");
    assert_int_equal(vf_store_find_endorsements(s, &lk, rows), MM_OK);
    assert_int_equal(rows->n_endorsements, 1);
    assert_true(rows->endorsements[0].scope.ueid.len == 8);
    free(rows);
    /* Again: replaced, not doubled. */
    assert_int_equal(vf_import_corim(s, mm_bytes_make(corim, len), &o, &rep), MM_OK);
    assert_int_equal(count_rows(s, false), 2);
    assert_int_equal(count_rows(s, true), 10);
    /* Out of its validity period. */
    o.now = 2000000001;
    assert_int_equal(vf_import_corim(s, mm_bytes_make(corim, len), &o, &rep), MM_ERR_EXPIRED);
    o.now = 1600000000;
    assert_int_equal(vf_import_corim(s, mm_bytes_make(corim, len), &o, &rep), MM_ERR_NOT_YET_VALID);
    o.now = 1800000000;
    /* Signed: needs the signer's key, which must verify. */
    signed_opts so = {VF_CORIM_CONTENT_TYPE, true, false, false, false, NULL, NULL};
    size_t n = make_signed(&so, mm_bytes_make(corim, len), msg, sizeof msg);
    assert_int_equal(vf_import_corim(s, mm_bytes_make(msg, n), &o, &rep), MM_ERR_UNTRUSTED);
    o.signer_key = &stranger;
    assert_int_equal(vf_import_corim(s, mm_bytes_make(msg, n), &o, &rep), MM_ERR_VERIFY);
    o.signer_key = &signer;
    assert_int_equal(vf_import_corim(s, mm_bytes_make(msg, n), &o, &rep), MM_OK);
    assert_string_equal(rep.signer, "ACME Inc.");
    /* Nothing written when a part is refused: a vendor that is no oemid,
     * a key that does not import. */
    size_t before = count_rows(s, true);
    o.signer_key = NULL;
    len = edn("501({0: \"v2\", 1: [506(<<{1: {0: \"t\"}, 4: {0: [[" DEV ", [{1: {11: \"x\"}}]],"
              " [{0: {0: 560(h'01'), 1: \"ACME\"}}, [{1: {11: \"y\"}}]]]}}>>)]})",
              corim, sizeof corim);
    assert_int_equal(vf_import_corim(s, mm_bytes_make(corim, len), &o, &rep), MM_ERR_SYNTAX);
    assert_non_null(strstr(rep.error, "ACME"));
    len = edn("501({0: \"v3\", 1: [506(<<{1: {0: \"t\"}, 4: {3: [[" DEV ", [554(\"not a key\")]]]}}>>)]})", corim,
              sizeof corim);
    assert_int_equal(vf_import_corim(s, mm_bytes_make(corim, len), &o, &rep), MM_ERR_BAD_KEY);
    assert_int_equal(count_rows(s, true), before);
    assert_int_equal(count_rows(s, false), 2);
    vf_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_signed),
        cmocka_unit_test(test_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
