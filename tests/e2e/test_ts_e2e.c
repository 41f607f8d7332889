/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Transparency Service end to end, with the real binary only: `mamori
 * ts init` and `mamori ts serve` on a free port of 127.0.0.1, statements
 * made by `mamori scitt statement` (kid and x5chain) and registered by
 * `mamori scitt register`, receipts and transparent statements verified
 * offline by `mamori scitt verify`, the log checked by `mamori scitt
 * consistency` and `mamori ts check`; the service restarted; every class of
 * bad statement refused with its reason; HTTPS with a certificate made
 * here.
 */
#define _GNU_SOURCE
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mm_test.h"
#include "mm_test_x509.h"
#include "ts_harness.h"

#define DID "did:x509:0:sha256:e2e::subject:CN:signer"

static mm_key vendor, stranger;

static void write_pem_key(const char *name, const mm_key *k)
{
    uint8_t pem[2048];
    mm_buf out = mm_buf_make(pem, sizeof pem);
    assert_int_equal(mm_openssl_export_private_key(k, MM_OPENSSL_PEM, &out), MM_OK);
    e2e_write(name, pem, out.len);
}

static void write_pem_certs(const char *name, X509 *a, X509 *b)
{
    char path[512];
    e2e_path(name, path, sizeof path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(PEM_write_X509(f, a), 1);
    if (b != NULL) {
        assert_int_equal(PEM_write_X509(f, b), 1);
    }
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    e2e_dir(TS_E2E_DIR);
    harness_issuer_key("vendor", "vendor-1", &vendor);
    assert_int_equal(
        mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_KEY_EXTRACTABLE, &stranger),
        MM_OK);
    /* The vendor's private key for `mamori scitt statement`. */
    mm_key_free(&vendor);
    assert_int_equal(
        mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_KEY_EXTRACTABLE, &vendor),
        MM_OK);
    write_pem_key("vendor.pem", &vendor);
    uint8_t buf[512], cose[512];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(&vendor, 0, &parts, buf, sizeof buf), MM_OK);
    mm_buf out = mm_buf_make(cose, sizeof cose);
    assert_int_equal(mm_cose_key_encode(&parts, MM_BYTES_LIT("vendor-1"), 0, &out), MM_OK);
    e2e_write("vendor.cose", cose, out.len);
    /* An X.509 issuer: a root, and a leaf that signs. */
    mm_key root_k, leaf_k;
    assert_int_equal(mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, 0, MM_KEY_EXTRACTABLE, &root_k),
                     MM_OK);
    assert_int_equal(mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, 0, MM_KEY_EXTRACTABLE, &leaf_k),
                     MM_OK);
    X509 *root = mm_test_make_cert(root_k.handle, "root", NULL, NULL, true, "critical,keyCertSign");
    X509 *leaf = mm_test_make_cert(leaf_k.handle, "signer", root, root_k.handle, false, "critical,digitalSignature");
    write_pem_certs("root.pem", root, NULL);
    write_pem_certs("chain.pem", leaf, root);
    write_pem_key("signer.pem", &leaf_k);
    X509_free(root);
    X509_free(leaf);
    mm_key_free(&root_k);
    mm_key_free(&leaf_k);
    /* A server certificate for HTTPS on 127.0.0.1. */
    mm_key tls_k;
    assert_int_equal(mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, 0, MM_KEY_EXTRACTABLE, &tls_k),
                     MM_OK);
    X509 *tls = mm_test_make_server_cert(tls_k.handle, "IP:127.0.0.1");
    write_pem_certs("tls-cert.pem", tls, NULL);
    write_pem_key("tls-key.pem", &tls_k);
    X509_free(tls);
    mm_key_free(&tls_k);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mm_key_free(&vendor);
    mm_key_free(&stranger);
    e2e_cleanup();
    return 0;
}

/* A statement with whatever is wrong with it, signed with key. */
typedef struct bad {
    const char *file;
    const char *iss, *sub, *kid;
    const mm_key *key;
    unsigned flags; /* MM_COSE_DETACHED */
    bool crit;
    const char *title;
} bad;

static void write_bad(const bad *b)
{
    uint8_t claims[256];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, claims, sizeof claims);
    mm_cbor_put_map(&enc, (b->iss != NULL) + (b->sub != NULL));
    if (b->iss != NULL) {
        mm_cbor_put_uint(&enc, 1);
        mm_cbor_put_cstr(&enc, b->iss);
    }
    if (b->sub != NULL) {
        mm_cbor_put_uint(&enc, 2);
        mm_cbor_put_cstr(&enc, b->sub);
    }
    size_t clen;
    assert_int_equal(mm_cbor_enc_finish(&enc, &clen), MM_OK);
    static const uint8_t crit[] = {0x81, 0x3a, 0x00, 0x01, 0x11, 0x6f}; /* [-70000] */
    mm_cose_param params[3] = {
        {MM_HDR_CWT_CLAIMS, mm_bytes_make(claims, clen), MM_COSE_PROTECTED},
        {MM_HDR_CRIT, mm_bytes_make(crit, sizeof crit), MM_COSE_PROTECTED},
        {-70000, MM_BYTES_LIT("\x01"), MM_COSE_PROTECTED},
    };
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = b->key;
    o.kid = b->kid != NULL ? mm_bytes_from_cstr(b->kid) : mm_bytes_make(NULL, 0);
    o.params = params;
    o.n_params = b->crit ? 3 : 1;
    o.flags = MM_COSE_KID_PROTECTED | b->flags;
    uint8_t msg[2048];
    mm_buf out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign1_create(&o, mm_bytes_from_cstr(b->file), &out), MM_OK);
    e2e_write(b->file, msg, out.len);
}

static void test_end_to_end(void **state)
{
    (void)state;
    const char *init[] = {"ts",
                          "init",
                          "--dir",
                          "ts",
                          "--issuer",
                          "https://ts.e2e.example",
                          "--trust",
                          "https://vendor.example=vendor.cose",
                          "--trust-roots",
                          DID "=root.pem",
                          NULL};
    assert_int_equal(e2e_run("init", init), 0);
    /* Again: refused, the configuration exists. */
    assert_int_equal(e2e_run("init2", init), 73);
    e2e_server s;
    int status = 0;
    assert_true(harness_ts_serve("ts/ts.json", &s, &status));

    /* Statements by the real tool: a kid, and an x5chain. */
    e2e_write("fw-1.bin", "firmware 1.0\n", 13);
    e2e_write("fw-2.bin", "firmware 2.0\n", 13);
    const char *st1[] = {"scitt",    "statement", "--key",          "vendor.pem",
                         "--kid",    "vendor-1",  "--iss",          "https://vendor.example",
                         "--sub",    "fw",        "--content-type", "text/plain",
                         "fw-1.bin", "-o",        "fw-1.stmt",      NULL};
    assert_int_equal(e2e_run("st1", st1), 0);
    const char *st2[] = {"scitt",      "statement",
                         "--key",      "vendor.pem",
                         "--kid",      "vendor-1",
                         "--iss",      "https://vendor.example",
                         "--sub",      "fw",
                         "--hash",     "SHA-256",
                         "--location", "https://vendor.example/fw-2.bin",
                         "fw-2.bin",   "-o",
                         "fw-2.stmt",  NULL};
    assert_int_equal(e2e_run("st2", st2), 0);
    const char *st3[] = {"scitt", "statement", "--key", "signer.pem", "--x5chain", "chain.pem", "--iss",
                         DID,     "--sub",     "sbom",  "fw-1.bin",   "-o",        "sbom.stmt", NULL};
    assert_int_equal(e2e_run("st3", st3), 0);

    /* Registered by the real client; receipts verified offline. */
    const char *reg1[] = {"scitt", "register",     "--url",         s.url,     "fw-1.stmt",
                          "-o",    "fw-1.receipt", "--transparent", "fw-1.ts", NULL};
    assert_int_equal(e2e_run("reg1", reg1), 0);
    const char *reg2[] = {"scitt",          "register",  "--url", s.url,          "--ts-key",
                          "ts/ts-key.cose", "fw-2.stmt", "-o",    "fw-2.receipt", NULL};
    assert_int_equal(e2e_run("reg2", reg2), 0);
    const char *reg3[] = {"scitt", "register", "-q", "--url", s.url, "sbom.stmt", "-o", "sbom.receipt", NULL};
    assert_int_equal(e2e_run("reg3", reg3), 0);
    const char *v1[] = {"scitt", "verify", "--ts-key", "ts/ts-key.cose", "fw-1.ts", NULL};
    assert_int_equal(e2e_run("v1", v1), 0);
    const char *v2[] = {"scitt",     "verify",       "--ts-key",  "ts/ts-key.cose",
                        "--receipt", "fw-2.receipt", "fw-2.stmt", NULL};
    assert_int_equal(e2e_run("v2", v2), 0);
    const char *v3[] = {"scitt",     "verify",       "--ts-key",  "ts/ts-key.cose",
                        "--receipt", "sbom.receipt", "sbom.stmt", NULL};
    assert_int_equal(e2e_run("v3", v3), 0);
    /* A receipt proves its own statement only. */
    const char *v4[] = {"scitt",     "verify",       "--ts-key",  "ts/ts-key.cose",
                        "--receipt", "fw-2.receipt", "fw-1.stmt", NULL};
    assert_int_equal(e2e_run("v4", v4), 1);
    /* Under another service's key it proves nothing. */
    const char *v5[] = {"scitt", "verify", "--ts-key", "vendor.cose", "fw-1.ts", NULL};
    assert_int_equal(e2e_run("v5", v5), 1);

    /* The log never forked: from each size to the newest; a root you did
     * not see is refused. */
    const char *c1[] = {"scitt", "consistency", "--url", s.url, "--from", "1", NULL};
    assert_int_equal(e2e_run("c1", c1), 0);
    const char *c2[] = {"scitt", "consistency", "--url",          s.url, "--from", "1", "--to",
                        "2",     "--ts-key",    "ts/ts-key.cose", NULL};
    assert_int_equal(e2e_run("c2", c2), 0);
    const char *c3[] = {
        "scitt",  "consistency", "--url",  s.url,
        "--from", "2",           "--root", "0000000000000000000000000000000000000000000000000000000000000000",
        NULL};
    assert_int_equal(e2e_run("c3", c3), 1);
    assert_true(e2e_err_has("c3", "forked"));
    const char *c4[] = {"scitt", "consistency", "--url", s.url, "--from", "9", NULL};
    assert_int_equal(e2e_run("c4", c4), 64);
    const char *c5[] = {"scitt", "consistency", "--url", s.url, "--from", "1", "--ts-key", "vendor.cose", NULL};
    assert_int_equal(e2e_run("c5", c5), 1);

    /* Every class of bad statement is refused, its reason named. */
    const bad bads[] = {
        {"unknown-issuer.stmt", "https://other.example", "fw", "vendor-1", &vendor, 0, false, "Unknown Issuer"},
        {"bad-signature.stmt", "https://vendor.example", "fw", "vendor-1", &stranger, 0, false, "Invalid Signature"},
        {"unknown-kid.stmt", "https://vendor.example", "fw", "vendor-9", &vendor, 0, false, "Unknown Key"},
        {"no-sub.stmt", "https://vendor.example", NULL, "vendor-1", &vendor, 0, false, "Missing Claims"},
        {"no-iss.stmt", NULL, "fw", "vendor-1", &vendor, 0, false, "Missing Claims"},
        {"no-kid.stmt", "https://vendor.example", "fw", NULL, &vendor, 0, false, "Missing Key Identifier"},
        {"detached.stmt", "https://vendor.example", "fw", "vendor-1", &vendor, MM_COSE_DETACHED, false,
         "Payload Missing"},
        {"crit.stmt", "https://vendor.example", "fw", "vendor-1", &vendor, 0, true, "Unknown Critical Header"},
    };
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        write_bad(&bads[i]);
        const char *reg[] = {"scitt", "register", "--url", s.url, bads[i].file, "-o", "x.receipt", NULL};
        assert_int_equal(e2e_run("bad", reg), 1);
        assert_true(e2e_err_has("bad", bads[i].title));
    }
    /* Not COSE, and too large: the client refuses what it cannot hash; the
     * service what it cannot read. */
    e2e_write("junk.stmt", "junk", 4);
    const char *junk[] = {"scitt", "register", "--url", s.url, "junk.stmt", "-o", "x.receipt", NULL};
    assert_int_equal(e2e_run("junk", junk), 65);
    static uint8_t big[1100000];
    uint8_t *stmt = malloc(sizeof big + 1024);
    size_t len = harness_statement(&vendor, "vendor-1", "https://vendor.example", "big", mm_bytes_make(big, sizeof big),
                                   stmt, sizeof big + 1024);
    e2e_write("big.stmt", stmt, len);
    free(stmt);
    const char *bigreg[] = {"scitt", "register", "--url", s.url, "big.stmt", "-o", "x.receipt", NULL};
    assert_int_equal(e2e_run("big", bigreg), 1);
    assert_true(e2e_err_has("big", "Payload Too Large"));
    /* Nobody listening. */
    const char *none[] = {"scitt", "register", "--url", "http://127.0.0.1:1", "fw-1.stmt", "-o", "x.receipt", NULL};
    assert_int_equal(e2e_run("none", none), 69);

    /* Restarted, the log is the same; a statement registered again gets its
     * old entry; the log checks out offline. */
    assert_int_equal(e2e_stop(&s), 0);
    assert_true(harness_ts_serve("ts/ts.json", &s, &status));
    const char *again[] = {"scitt", "register", "--url", s.url, "fw-1.stmt", "-o", "fw-1.again", NULL};
    assert_int_equal(e2e_run("again", again), 0);
    const char *v6[] = {"scitt",     "verify",     "--json",    "--ts-key", "ts/ts-key.cose",
                        "--receipt", "fw-1.again", "fw-1.stmt", NULL};
    assert_int_equal(e2e_run("v6", v6), 0);
    assert_true(e2e_out_has("v6", "\"tree_size\": 3"));
    assert_true(e2e_out_has("v6", "\"leaf_index\": 0"));
    assert_int_equal(e2e_stop(&s), 0);
    const char *check[] = {"ts", "check", "--config", "ts/ts.json", NULL};
    assert_int_equal(e2e_run("check", check), 0);
}

/* HTTPS when given a certificate: the client trusts it with --ca-file. */
static void test_https(void **state)
{
    (void)state;
    static const char cfg[] =
        "{\"database\": \"tls.db\", \"key\": \"ts.key\", \"issuer\": \"https://ts.e2e.example\",\n"
        " \"tls\": {\"cert\": \"../tls-cert.pem\", \"key\": \"../tls-key.pem\"},\n"
        " \"trust\": [{\"iss\": \"https://vendor.example\", \"keys\": [\"../vendor.cose\"]}]}\n";
    e2e_write("ts/tls.json", cfg, sizeof cfg - 1);
    e2e_server s;
    int status = 0;
    assert_true(harness_ts_serve("ts/tls.json", &s, &status));
    assert_true(strncmp(s.url, "https://", 8) == 0);
    const char *reg[] = {"scitt",        "register",  "--url", s.url,         "--ca-file",
                         "tls-cert.pem", "fw-2.stmt", "-o",    "tls.receipt", NULL};
    assert_int_equal(e2e_run("tls", reg), 0);
    const char *untrusted[] = {"scitt", "register", "--url", s.url, "fw-2.stmt", "-o", "tls.receipt", NULL};
    assert_int_equal(e2e_run("tls2", untrusted), 69);
    assert_int_equal(e2e_stop(&s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_end_to_end),
        cmocka_unit_test(test_https),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
