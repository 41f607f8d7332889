/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_corim: unsigned CoRIMs with every part the
 * Verifier's reader acts on (reference triples of a class and of a device,
 * every measurement value it reads, attest-key triples with a COSE_Key and a
 * PEM key, validity, the bare corim-map, the earlier drafts' unwrapped
 * CoMID) and some it refuses, and signed CoRIMs (corim-meta, CWT-Claims)
 * under the target's key: the deterministic test backend makes it in the
 * same order, so they verify. Run by hand after changing the target:
 *   make_corim_corpus fuzz/corpus/fuzz_corim
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_test.h"
#include "fuzz_seed.h"

static size_t edn(const char *text, uint8_t *out, size_t cap)
{
    mm_buf b = mm_buf_make(out, cap);
    size_t off = 0;
    mm_err e = mm_cbor_from_edn(mm_bytes_from_cstr(text), 0, &b, &off);
    if (e != MM_OK) {
        fprintf(stderr, "make_corim_corpus: EDN at %zu: %s\n", off, mm_errname(e));
        exit(1);
    }
    return b.len;
}

#define CLASS  "{0: {0: 560(h'549dcecc'), 1: \"89-48-23\"}}"
#define DEV    "{1: 550(h'0198f50a4ff6c058')}"
#define DIGEST "h'4242424242424242424242424242424242424242424242424242424242424242'"
#define COSE_KEY                                                                                                       \
    "558({1: 2, -1: 1, -2: h'65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d',"                       \
    " -3: h'1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c', 2: 'dev-1'})"

static const struct {
    const char *name;
    const char *edn;
} seeds[] = {
    {"full",
     "501({0: \"acme-2026\", 1: [506(<<{0: \"en\", 1: {0: \"tag-1\", 1: 2}, 2: [{0: \"ACME\", 2: [0]}], 4: {0: ["
     "[" CLASS ", [{0: \"boot\", 1: {2: [[1, " DIGEST "], [\"sha-256\", " DIGEST "]]}},"
     " {1: {11: \"Acme OS\", 0: {0: \"3.1.4\", 1: 16384}, 3: {3: false, 1: true}}}, {0: 7, 1: {2: [[-16, " DIGEST
     "]]}}]],"
     "[{0: {1: \"32473\", 2: \"board\"}, 1: 550(h'0198f50a4ff6c058')}, [{1: {11: \"Acme OS\"}}]]],"
     " 3: [[" DEV ", [" COSE_KEY "]], [" CLASS ", [554(\"-----BEGIN PUBLIC KEY-----\")]]]}}>>)],"
     " 4: {0: 1(1700000000), 1: 1(2000000000)}, 5: [{0: \"ACME\", 2: [1]}], 2: [{0: \"https://x\"}]})"},
    {"bare-map",
     "{0: h'000102030405060708090a0b0c0d0e0f', 1: [506({1: {0: \"t\"}, 4: {3: [[" DEV ", [" COSE_KEY "]]]}})]}"},
    {"endorsed", "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}, 4: {1: [[" DEV ", [{1: {11: \"x\"}}]]]}}>>)]})"},
    {"svn", "501({0: \"x\", 1: [506(<<{1: {0: \"t\"}, 4: {0: [[" DEV ", [{1: {1: 552(3)}}]]]}}>>)]})"},
    {"profile", "501({0: \"x\", 3: \"https://p.example\", 1: []})"},
    {"coswid", "501({0: \"x\", 1: [505(h'a0'), 508(h'a0')]})"},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corim_corpus DIR\n");
        return 64;
    }
    seed_program("make_corim_corpus");
    static uint8_t buf[4096], msg[8192];
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        seed_write(argv[1], seeds[i].name, 0, buf, edn(seeds[i].edn, buf, sizeof buf));
    }
    /* Signed: the target's key is the first ES256 key its backend makes. */
    static mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    mm_key key;
    if (mm_key_generate(&t.crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &key) != MM_OK) {
        return 1;
    }
    size_t len = edn(seeds[0].edn, buf, sizeof buf);
    static uint8_t ct[32], meta[128], cwt[64];
    mm_cose_param params[3] = {
        {MM_HDR_CONTENT_TYPE, {ct, edn("\"application/rim+cbor\"", ct, sizeof ct)}, MM_COSE_PROTECTED},
        {8, {meta, edn("<<{0: {0: \"ACME Inc.\"}, 1: {1: 1(2000000000)}}>>", meta, sizeof meta)}, MM_COSE_PROTECTED},
        {MM_HDR_CWT_CLAIMS, {cwt, edn("{1: \"ACME Inc.\", 4: 2000000000}", cwt, sizeof cwt)}, MM_COSE_PROTECTED},
    };
    for (size_t n = 2; n <= 3; n++) {
        mm_cose_create_opts co;
        memset(&co, 0, sizeof co);
        co.crypto = &t.crypto;
        co.key = &key;
        co.alg = MM_ALG_ES256;
        co.params = params;
        co.n_params = n;
        mm_buf b = mm_buf_make(msg, sizeof msg);
        if (mm_cose_sign1_create(&co, mm_bytes_make(buf, len), &b) != MM_OK) {
            return 1;
        }
        seed_write(argv[1], n == 2 ? "signed-meta" : "signed-both", 1, msg, b.len);
        seed_write(argv[1], n == 2 ? "signed-meta-any" : "signed-both-any", 3, msg, b.len);
    }
    mm_key_free(&key);
    return 0;
}
