/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OpenSSL backend through the contract's wrappers: Wycheproof vectors
 * (ECDSA P-256/P-384, Ed25519, X25519, AES key wrap) from ../shared, RFC
 * test cases (SHA-2, HMAC, HKDF, AES-GCM, AES-CTR), round trips of every
 * key type through COSE parts, PEM and DER, refusals with their documented
 * errors, X.509 chains made here with libcrypto, and a clean error queue
 * after every call.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mamori/crypto_openssl.h"
#include "mm_test.h"
#include "mm_test_x509.h"

#define C mm_crypto_openssl()

/* Every call leaves OpenSSL's error queue as it found it. */
static void assert_queue_clean(void) { assert_true(ERR_peek_error() == 0); }

static mm_bytes lit(const char *s) { return mm_bytes_make(s, strlen(s)); }

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

/* Hex from a JSON member into a malloc'ed buffer. */
static uint8_t *jhex(const json_t *obj, const char *key, size_t *len)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (s == NULL) {
        fail_msg("vector lacks %s", key);
        return NULL;
    }
    size_t cap = strlen(s) / 2 + 1;
    uint8_t *b = malloc(cap);
    assert_non_null(b);
    *len = mm_test_unhex(s, b, cap);
    return b;
}

static json_t *load_vectors(const char *sub)
{
    char path[1024];
    mm_test_shared_path(sub, path, sizeof path);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL) {
        fail_msg("%s: %s at line %d", path, jerr.text, jerr.line);
    }
    return root;
}

/* What Wycheproof says a test's result must be. */
typedef enum expect { VALID, INVALID, ACCEPTABLE } expect;

static expect result_of(const json_t *test)
{
    const char *r = json_string_value(json_object_get(test, "result"));
    assert_non_null(r);
    if (strcmp(r, "valid") == 0) {
        return VALID;
    }
    if (strcmp(r, "invalid") == 0) {
        return INVALID;
    }
    assert_string_equal(r, "acceptable");
    return ACCEPTABLE;
}

static mm_err import_ec_point(int32_t crv, const uint8_t *point, size_t len, int32_t alg, mm_key *key)
{
    assert_true(len % 2 == 1 && point[0] == 0x04);
    size_t n = len / 2;
    mm_key_parts p = {.kty = MM_KTY_EC2, .crv = crv, .alg = alg};
    p.x = mm_bytes_make(point + 1, n);
    p.y = mm_bytes_make(point + 1 + n, n);
    return mm_key_import(C, &p, 0, key);
}

static void import_sym(const uint8_t *k, size_t len, int32_t alg, mm_key *key)
{
    mm_key_parts p = {.kty = MM_KTY_SYMMETRIC, .alg = alg, .k = mm_bytes_make(k, len)};
    assert_int_equal(mm_key_import(C, &p, 0, key), MM_OK);
}

/*
 * Instance and hashes.
 */

static void test_instance(void **state)
{
    (void)state;
    const mm_crypto *c = mm_crypto_openssl();
    assert_non_null(c);
    assert_ptr_equal(c, mm_crypto_openssl());
    assert_int_equal(c->ops->version, MM_CRYPTO_OPS_V1);
    assert_string_equal(c->ops->name, "openssl");
    /* every entry of version 1 is there */
    const bool present[] = {
        c->ops->hash_init != NULL,    c->ops->hash_update != NULL,  c->ops->hash_final != NULL,
        c->ops->hash_abort != NULL,   c->ops->hmac_init != NULL,    c->ops->hmac_update != NULL,
        c->ops->hmac_final != NULL,   c->ops->hmac_abort != NULL,   c->ops->hkdf_extract != NULL,
        c->ops->hkdf_expand != NULL,  c->ops->sign != NULL,         c->ops->verify != NULL,
        c->ops->ecdh != NULL,         c->ops->key_generate != NULL, c->ops->key_import != NULL,
        c->ops->key_export != NULL,   c->ops->key_free != NULL,     c->ops->aead_encrypt != NULL,
        c->ops->aead_decrypt != NULL, c->ops->ctr_init != NULL,     c->ops->ctr_update != NULL,
        c->ops->ctr_end != NULL,      c->ops->key_wrap != NULL,     c->ops->key_unwrap != NULL,
        c->ops->random != NULL,
    };
    for (size_t i = 0; i < sizeof present / sizeof present[0]; i++) {
        assert_true(present[i]);
    }
}

static void test_hash(void **state)
{
    (void)state;
    static const struct {
        int32_t alg;
        const char *abc;
    } cases[] = {
        {MM_ALG_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {MM_ALG_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                        "8086072ba1e7cc2358baeca134c825a7"},
        {MM_ALG_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t want[MM_HASH_MAX];
        size_t want_len = mm_test_unhex(cases[i].abc, want, sizeof want);
        uint8_t out[MM_HASH_MAX];
        size_t len = 0;
        assert_int_equal(mm_hash(C, cases[i].alg, lit("abc"), out, &len), MM_OK);
        assert_int_equal(len, want_len);
        assert_memory_equal(out, want, len);

        /* streamed in pieces, with an empty update */
        mm_crypto_ctx ctx;
        assert_int_equal(mm_hash_init(C, &ctx, cases[i].alg), MM_OK);
        assert_int_equal(mm_hash_update(C, &ctx, lit("a")), MM_OK);
        assert_int_equal(mm_hash_update(C, &ctx, mm_bytes_make(NULL, 0)), MM_OK);
        assert_int_equal(mm_hash_update(C, &ctx, lit("bc")), MM_OK);
        memset(out, 0, sizeof out);
        assert_int_equal(mm_hash_final(C, &ctx, out, &len), MM_OK);
        assert_memory_equal(out, want, want_len);
    }
    /* abort frees (LeakSanitizer would see it otherwise) */
    mm_crypto_ctx ctx;
    assert_int_equal(mm_hash_init(C, &ctx, MM_ALG_SHA256), MM_OK);
    assert_int_equal(mm_hash_update(C, &ctx, lit("abc")), MM_OK);
    mm_hash_abort(C, &ctx);
    /* a hash context is not an HMAC or CTR context */
    assert_int_equal(mm_hash_init(C, &ctx, MM_ALG_SHA256), MM_OK);
    assert_int_equal(C->ops->hmac_update(C->user, &ctx, lit("x")), MM_ERR_STATE);
    assert_int_equal(C->ops->ctr_update(C->user, &ctx, lit("x"), (uint8_t[1]){0}), MM_ERR_STATE);
    mm_hash_abort(C, &ctx);
    /* the backend itself refuses other hashes */
    assert_int_equal(C->ops->hash_init(C->user, &ctx, MM_ALG_SHA256_64), MM_ERR_UNSUPPORTED_ALG);
    assert_queue_clean();
}

/*
 * HMAC (RFC 4231) and HKDF (RFC 5869).
 */

static void test_hmac_rfc4231(void **state)
{
    (void)state;
    static const struct {
        const char *key;  /* hex; NULL: 131 bytes of 0xaa */
        const char *data; /* hex */
        size_t out_len;   /* 0: full; case 5 truncates to 128 bits */
        const char *mac[3];
    } cases[] = {
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
         "4869205468657265",
         0,
         {"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
          "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
          "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61"
          "f1"
          "702e696c203a126854"}},
        {"4a656665",
         "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         0,
         {"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
          "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
          "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a"
          "6b"
          "4b636e070a38bce737"}},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
         0,
         {"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
          "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
          "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8"
          "94"
          "2674278859e13292fb"}},
        {"0102030405060708090a0b0c0d0e0f10111213141516171819",
         "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
         0,
         {"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
          "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
          "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c"
          "4f"
          "2de2adebeb10a298dd"}},
        {"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c",
         "546573742057697468205472756e636174696f6e",
         16,
         {"a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"}},
        {NULL,
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
         0,
         {"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
          "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
          "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f"
          "0a"
          "ec8b915a985d786598"}},
        {NULL,
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e64206"
         "1"
         "206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686"
         "5"
         "64206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
         0,
         {"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
          "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
          "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0"
          "44"
          "6065c97440fa8c6a58"}},
    };
    static const int32_t hashes[3] = {MM_ALG_SHA256, MM_ALG_SHA384, MM_ALG_SHA512};
    uint8_t long_key[131];
    memset(long_key, 0xaa, sizeof long_key);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t data[256];
        size_t data_len = mm_test_unhex(cases[i].data, data, sizeof data);
        for (size_t h = 0; h < 3; h++) {
            uint8_t key_bytes[MM_SYMKEY_MAX];
            size_t key_len = 0;
            if (cases[i].key != NULL) {
                key_len = mm_test_unhex(cases[i].key, key_bytes, sizeof key_bytes);
            } else {
                /* Keys are at most MM_SYMKEY_MAX bytes; HMAC replaces a key
                 * longer than the hash's block by its hash (RFC 2104 2), so
                 * importing H(K) computes the same MAC. */
                assert_int_equal(mm_hash(C, hashes[h], mm_bytes_make(long_key, sizeof long_key), key_bytes, &key_len),
                                 MM_OK);
            }
            mm_key key = {0};
            import_sym(key_bytes, key_len, 0, &key);
            uint8_t want[MM_HASH_MAX];
            size_t want_len = mm_test_unhex(cases[i].mac[h], want, sizeof want);
            mm_crypto_ctx ctx;
            assert_int_equal(mm_hmac_init(C, &ctx, hashes[h], &key), MM_OK);
            /* in two pieces */
            assert_int_equal(mm_hmac_update(C, &ctx, mm_bytes_make(data, data_len / 2)), MM_OK);
            assert_int_equal(mm_hmac_update(C, &ctx, mm_bytes_make(data + data_len / 2, data_len - data_len / 2)),
                             MM_OK);
            uint8_t mac[MM_HASH_MAX];
            size_t mac_len = 0;
            assert_int_equal(mm_hmac_final(C, &ctx, mac, &mac_len), MM_OK);
            assert_int_equal(mac_len, mm_hash_len(hashes[h]));
            if (memcmp(mac, want, want_len) != 0) {
                fail_msg("RFC 4231 case %zu, hash %zu: got %s", i + 1, h, mm_test_hex(mm_bytes_make(mac, mac_len)));
            }
            assert_true(cases[i].out_len == 0 ? want_len == mac_len : want_len == cases[i].out_len);
            mm_key_free(&key);
        }
    }
    /* the 131-byte key itself is beyond MM_SYMKEY_MAX */
    mm_key key = {0};
    mm_key_parts p = {.kty = MM_KTY_SYMMETRIC, .k = mm_bytes_make(long_key, sizeof long_key)};
    assert_int_equal(mm_key_import(C, &p, 0, &key), MM_ERR_TOO_LARGE);
    assert_null(key.crypto);
    /* abort frees; the HMAC entry refuses other hashes and non-keys */
    import_sym(long_key, 32, 0, &key);
    mm_crypto_ctx ctx;
    assert_int_equal(mm_hmac_init(C, &ctx, MM_ALG_SHA512, &key), MM_OK);
    mm_hmac_abort(C, &ctx);
    assert_int_equal(C->ops->hmac_init(C->user, &ctx, MM_ALG_SHA256_64, &key), MM_ERR_UNSUPPORTED_ALG);
    mm_key not_ours = key;
    not_ours.handle = NULL;
    assert_int_equal(C->ops->hmac_init(C->user, &ctx, MM_ALG_SHA256, &not_ours), MM_ERR_INVALID_ARG);
    mm_key_free(&key);
    assert_queue_clean();
}

static void test_hkdf_rfc5869(void **state)
{
    (void)state;
    static const struct {
        const char *ikm, *salt, *info, *prk, *okm;
    } cases[] = {
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
         "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
        {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353"
         "637"
         "38393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
         "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f9091929394959"
         "697"
         "98999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
         "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e"
         "6e7"
         "e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
         "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
         "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f0"
         "9b8"
         "367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
         "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t ikm[128], salt[128], info[128], prk_want[64], okm_want[128];
        size_t ikm_len = mm_test_unhex(cases[i].ikm, ikm, sizeof ikm);
        size_t salt_len = mm_test_unhex(cases[i].salt, salt, sizeof salt);
        size_t info_len = mm_test_unhex(cases[i].info, info, sizeof info);
        size_t prk_want_len = mm_test_unhex(cases[i].prk, prk_want, sizeof prk_want);
        size_t okm_len = mm_test_unhex(cases[i].okm, okm_want, sizeof okm_want);
        uint8_t prk[MM_HASH_MAX];
        size_t prk_len = 0;
        assert_int_equal(mm_hkdf_extract(C, MM_ALG_SHA256, mm_bytes_make(salt, salt_len), mm_bytes_make(ikm, ikm_len),
                                         prk, &prk_len),
                         MM_OK);
        assert_int_equal(prk_len, prk_want_len);
        assert_memory_equal(prk, prk_want, prk_len);
        uint8_t okm[128];
        assert_int_equal(
            mm_hkdf_expand(C, MM_ALG_SHA256, mm_bytes_make(prk, prk_len), mm_bytes_make(info, info_len), okm, okm_len),
            MM_OK);
        assert_memory_equal(okm, okm_want, okm_len);
        memset(okm, 0, sizeof okm);
        assert_int_equal(mm_hkdf(C, MM_ALG_SHA256, mm_bytes_make(salt, salt_len), mm_bytes_make(ikm, ikm_len),
                                 mm_bytes_make(info, info_len), okm, okm_len),
                         MM_OK);
        assert_memory_equal(okm, okm_want, okm_len);
    }
    /* Extract with an empty IKM is HMAC(salt, "") */
    uint8_t prk[MM_HASH_MAX], mac[MM_HASH_MAX];
    size_t prk_len = 0, mac_len = 0;
    assert_int_equal(mm_hkdf_extract(C, MM_ALG_SHA384, lit("salt"), mm_bytes_make(NULL, 0), prk, &prk_len), MM_OK);
    mm_key key = {0};
    import_sym((const uint8_t *)"salt", 4, 0, &key);
    mm_crypto_ctx ctx;
    assert_int_equal(mm_hmac_init(C, &ctx, MM_ALG_SHA384, &key), MM_OK);
    assert_int_equal(mm_hmac_final(C, &ctx, mac, &mac_len), MM_OK);
    mm_key_free(&key);
    assert_int_equal(prk_len, 48);
    assert_memory_equal(prk, mac, 48);

    /* refusals: short PRK, info beyond OpenSSL's limit, hash unknown */
    uint8_t okm[32];
    assert_int_equal(C->ops->hkdf_expand(C->user, MM_ALG_SHA256, mm_bytes_make(prk, 31), lit("i"), okm, 32),
                     MM_ERR_INVALID_ARG);
    uint8_t *big = calloc(MM_OPENSSL_HKDF_INFO_MAX + 1, 1);
    assert_non_null(big);
    assert_int_equal(
        mm_hkdf_expand(C, MM_ALG_SHA256, mm_bytes_make(prk, 32), mm_bytes_make(big, MM_OPENSSL_HKDF_INFO_MAX), okm, 32),
        MM_OK);
    assert_int_equal(mm_hkdf_expand(C, MM_ALG_SHA256, mm_bytes_make(prk, 32),
                                    mm_bytes_make(big, MM_OPENSSL_HKDF_INFO_MAX + 1), okm, 32),
                     MM_ERR_TOO_LARGE);
    free(big);
    assert_int_equal(C->ops->hkdf_extract(C->user, MM_ALG_SHA256_64, lit("s"), lit("k"), prk, &prk_len),
                     MM_ERR_UNSUPPORTED_ALG);
    /* a zero-length expand writes nothing and succeeds */
    assert_int_equal(mm_hkdf_expand(C, MM_ALG_SHA256, mm_bytes_make(prk, 32), lit("i"), okm, 0), MM_OK);
    assert_queue_clean();
}

/*
 * Wycheproof signature vectors.
 */

typedef struct tally {
    size_t valid, invalid, acceptable;
} tally;

/* A signature check's outcome e against what the vector expects: valid
 * ones verify, invalid ones fail with MM_ERR_VERIFY, acceptable ones may do
 * either; counted in t. Returns the expectation. */
static expect count_verdict(const char *sub, json_t *test, mm_err e, tally *t)
{
    expect want = result_of(test);
    int id = (int)json_integer_value(json_object_get(test, "tcId"));
    if (want == VALID) {
        if (e != MM_OK) {
            fail_msg("%s tcId %d: valid signature refused (%s)", sub, id, mm_errname(e));
        }
        t->valid++;
    } else if (want == INVALID) {
        if (e != MM_ERR_VERIFY) {
            fail_msg("%s tcId %d: invalid signature gave %s", sub, id, mm_errname(e));
        }
        t->invalid++;
    } else {
        t->acceptable++;
    }
    return want;
}

static void run_ecdsa_file(const char *sub, int32_t crv, int32_t alg, const char *sha, tally *t)
{
    json_t *root = load_vectors(sub);
    json_t *groups = json_object_get(root, "testGroups");
    assert_true(json_array_size(groups) > 0);
    for (size_t g = 0; g < json_array_size(groups); g++) {
        json_t *group = json_array_get(groups, g);
        assert_string_equal(json_string_value(json_object_get(group, "sha")), sha);
        size_t point_len = 0;
        uint8_t *point = jhex(json_object_get(group, "publicKey"), "uncompressed", &point_len);
        mm_key key = {0};
        assert_int_equal(import_ec_point(crv, point, point_len, alg, &key), MM_OK);
        json_t *tests = json_object_get(group, "tests");
        for (size_t i = 0; i < json_array_size(tests); i++) {
            json_t *test = json_array_get(tests, i);
            size_t msg_len = 0, sig_len = 0;
            uint8_t *msg = jhex(test, "msg", &msg_len);
            uint8_t *sig = jhex(test, "sig", &sig_len);
            mm_err e = mm_verify(C, &key, alg, mm_bytes_make(msg, msg_len), 0, mm_bytes_make(sig, sig_len));
            if (count_verdict(sub, test, e, t) == VALID) {
                /* the same signature over the message's hash */
                uint8_t h[MM_HASH_MAX];
                size_t h_len = 0;
                int32_t hash_alg = alg == MM_ALG_ES256 ? MM_ALG_SHA256 : MM_ALG_SHA384;
                assert_int_equal(mm_hash(C, hash_alg, mm_bytes_make(msg, msg_len), h, &h_len), MM_OK);
                assert_int_equal(
                    mm_verify(C, &key, alg, mm_bytes_make(h, h_len), MM_SIG_PREHASHED, mm_bytes_make(sig, sig_len)),
                    MM_OK);
            }
            free(msg);
            free(sig);
            assert_queue_clean();
        }
        mm_key_free(&key);
        free(point);
    }
    json_decref(root);
}

static void test_wycheproof_ecdsa(void **state)
{
    (void)state;
    tally p256 = {0}, p384 = {0};
    run_ecdsa_file("vectors/primitives/ecdsa_secp256r1_sha256_p1363_test.shared.json", MM_CRV_P256, MM_ALG_ES256,
                   "SHA-256", &p256);
    run_ecdsa_file("vectors/primitives/ecdsa_secp384r1_sha384_p1363_test.shared.json", MM_CRV_P384, MM_ALG_ES384,
                   "SHA-384", &p384);
    printf("[ VECTORS  ] ecdsa P-256/SHA-256 p1363: %zu valid accepted, %zu invalid refused, %zu acceptable\n",
           p256.valid, p256.invalid, p256.acceptable);
    printf("[ VECTORS  ] ecdsa P-384/SHA-384 p1363: %zu valid accepted, %zu invalid refused, %zu acceptable\n",
           p384.valid, p384.invalid, p384.acceptable);
    assert_true(p256.valid > 0 && p256.invalid > 0 && p384.valid > 0 && p384.invalid > 0);
}

static void test_wycheproof_ed25519(void **state)
{
    (void)state;
    const char *sub = "vectors/primitives/ed25519_test.shared.json";
    json_t *root = load_vectors(sub);
    json_t *groups = json_object_get(root, "testGroups");
    tally t = {0};
    for (size_t g = 0; g < json_array_size(groups); g++) {
        json_t *group = json_array_get(groups, g);
        size_t pk_len = 0;
        uint8_t *pk = jhex(json_object_get(group, "publicKey"), "pk", &pk_len);
        mm_key key = {0};
        mm_key_parts p = {.kty = MM_KTY_OKP, .crv = MM_CRV_ED25519, .x = mm_bytes_make(pk, pk_len)};
        assert_int_equal(mm_key_import(C, &p, 0, &key), MM_OK);
        json_t *tests = json_object_get(group, "tests");
        for (size_t i = 0; i < json_array_size(tests); i++) {
            json_t *test = json_array_get(tests, i);
            size_t msg_len = 0, sig_len = 0;
            uint8_t *msg = jhex(test, "msg", &msg_len);
            uint8_t *sig = jhex(test, "sig", &sig_len);
            /* EdDSA and the fully specified Ed25519 are the same check */
            mm_err e = mm_verify(C, &key, MM_ALG_EDDSA, mm_bytes_make(msg, msg_len), 0, mm_bytes_make(sig, sig_len));
            mm_err e2 = mm_verify(C, &key, MM_ALG_ED25519, mm_bytes_make(msg, msg_len), 0, mm_bytes_make(sig, sig_len));
            assert_int_equal(e, e2);
            (void)count_verdict(sub, test, e, &t);
            free(msg);
            free(sig);
            assert_queue_clean();
        }
        mm_key_free(&key);
        free(pk);
    }
    json_decref(root);
    printf("[ VECTORS  ] ed25519: %zu valid accepted, %zu invalid refused, %zu acceptable\n", t.valid, t.invalid,
           t.acceptable);
    assert_true(t.valid > 0 && t.invalid > 0);
}

static void test_wycheproof_x25519(void **state)
{
    (void)state;
    const char *sub = "vectors/primitives/x25519_test.shared.json";
    json_t *root = load_vectors(sub);
    json_t *groups = json_object_get(root, "testGroups");
    tally t = {0};
    size_t acceptable_refused = 0;
    for (size_t g = 0; g < json_array_size(groups); g++) {
        json_t *group = json_array_get(groups, g);
        assert_string_equal(json_string_value(json_object_get(group, "curve")), "curve25519");
        json_t *tests = json_object_get(group, "tests");
        for (size_t i = 0; i < json_array_size(tests); i++) {
            json_t *test = json_array_get(tests, i);
            size_t pub_len = 0, priv_len = 0, shared_len = 0;
            uint8_t *pub = jhex(test, "public", &pub_len);
            uint8_t *priv = jhex(test, "private", &priv_len);
            uint8_t *shared = jhex(test, "shared", &shared_len);
            int id = (int)json_integer_value(json_object_get(test, "tcId"));
            mm_key mine = {0}, theirs = {0};
            mm_key_parts pp = {.kty = MM_KTY_OKP, .crv = MM_CRV_X25519, .d = mm_bytes_make(priv, priv_len)};
            mm_key_parts tp = {.kty = MM_KTY_OKP, .crv = MM_CRV_X25519, .x = mm_bytes_make(pub, pub_len)};
            mm_err e = mm_key_import(C, &pp, 0, &mine);
            if (e == MM_OK) {
                e = mm_key_import(C, &tp, 0, &theirs);
            }
            uint8_t secret[MM_ECDH_MAX];
            size_t len = 0;
            if (e == MM_OK) {
                e = mm_ecdh(C, &mine, &theirs, secret, &len);
            }
            bool right = e == MM_OK && len == shared_len && memcmp(secret, shared, len) == 0;
            switch (result_of(test)) {
            case VALID:
                if (!right) {
                    fail_msg("%s tcId %d: %s", sub, id, e == MM_OK ? "wrong secret" : mm_errname(e));
                }
                t.valid++;
                break;
            case INVALID:
                if (e == MM_OK) {
                    fail_msg("%s tcId %d: invalid case accepted", sub, id);
                }
                t.invalid++;
                break;
            case ACCEPTABLE:
                /* either refused as a low-order peer, or the right secret */
                if (e != MM_OK) {
                    assert_int_equal(e, MM_ERR_VERIFY);
                    assert_true(all_zero(shared, shared_len));
                    acceptable_refused++;
                } else if (!right) {
                    fail_msg("%s tcId %d: acceptable case with a wrong secret", sub, id);
                }
                t.acceptable++;
                break;
            }
            mm_key_free(&mine);
            mm_key_free(&theirs);
            free(pub);
            free(priv);
            free(shared);
            assert_queue_clean();
        }
    }
    json_decref(root);
    printf("[ VECTORS  ] x25519: %zu valid agreed, %zu invalid refused, %zu acceptable (%zu of them refused as "
           "low-order)\n",
           t.valid, t.invalid, t.acceptable, acceptable_refused);
    assert_true(t.valid > 0);
}

static void test_wycheproof_aes_kw(void **state)
{
    (void)state;
    const char *sub = "vectors/aes-kw/aes_wrap_test.shared.json";
    json_t *root = load_vectors(sub);
    json_t *groups = json_object_get(root, "testGroups");
    tally t = {0};
    for (size_t g = 0; g < json_array_size(groups); g++) {
        json_t *group = json_array_get(groups, g);
        json_t *tests = json_object_get(group, "tests");
        for (size_t i = 0; i < json_array_size(tests); i++) {
            json_t *test = json_array_get(tests, i);
            size_t k_len = 0, msg_len = 0, ct_len = 0;
            uint8_t *k = jhex(test, "key", &k_len);
            uint8_t *msg = jhex(test, "msg", &msg_len);
            uint8_t *ct = jhex(test, "ct", &ct_len);
            int id = (int)json_integer_value(json_object_get(test, "tcId"));
            assert_int_equal(k_len * 8, json_integer_value(json_object_get(group, "keySize")));
            mm_key kek = {0};
            import_sym(k, k_len, 0, &kek);
            uint8_t *wrapped = malloc(msg_len + 8);
            uint8_t *unwrapped = malloc(ct_len + 1);
            assert_true(wrapped != NULL && unwrapped != NULL);
            mm_err we = mm_key_wrap(C, &kek, mm_bytes_make(msg, msg_len), wrapped);
            mm_err ue = mm_key_unwrap(C, &kek, mm_bytes_make(ct, ct_len), unwrapped);
            switch (result_of(test)) {
            case VALID:
                if (we != MM_OK || ue != MM_OK) {
                    fail_msg("%s tcId %d: wrap %s, unwrap %s", sub, id, mm_errname(we), mm_errname(ue));
                }
                assert_int_equal(ct_len, msg_len + 8);
                assert_memory_equal(wrapped, ct, ct_len);
                assert_memory_equal(unwrapped, msg, msg_len);
                t.valid++;
                break;
            case INVALID:
                /* the ciphertext never unwraps; the message, if it wraps,
                 * does not wrap to it */
                if (ue != MM_ERR_VERIFY) {
                    fail_msg("%s tcId %d: invalid ciphertext unwrap gave %s", sub, id, mm_errname(ue));
                }
                if (we == MM_OK) {
                    assert_false(ct_len == msg_len + 8 && memcmp(wrapped, ct, ct_len) == 0);
                } else {
                    assert_int_equal(we, MM_ERR_INVALID_ARG);
                }
                t.invalid++;
                break;
            case ACCEPTABLE:
                t.acceptable++;
                break;
            }
            mm_key_free(&kek);
            free(k);
            free(msg);
            free(ct);
            free(wrapped);
            free(unwrapped);
            assert_queue_clean();
        }
    }
    json_decref(root);
    printf("[ VECTORS  ] aes key wrap: %zu valid wrapped and unwrapped, %zu invalid refused, %zu acceptable\n", t.valid,
           t.invalid, t.acceptable);
    assert_true(t.valid > 0 && t.invalid > 0);
}

/*
 * Signatures, agreement, keys.
 */

/* Signs with priv and checks pub verifies it, and that damage is refused. */
static void sign_and_verify(const mm_key *priv, const mm_key *pub, int32_t alg)
{
    uint8_t sig[MM_SIG_MAX];
    size_t len = 0;
    mm_bytes msg = lit("mamori signs this");
    assert_int_equal(mm_sign(C, priv, alg, msg, 0, sig, sizeof sig, &len), MM_OK);
    assert_int_equal(mm_verify(C, pub, alg, msg, 0, mm_bytes_make(sig, len)), MM_OK);
    assert_int_equal(mm_verify(C, pub, alg, lit("mamori signs that"), 0, mm_bytes_make(sig, len)), MM_ERR_VERIFY);
    sig[len / 2] ^= 0x01;
    assert_int_equal(mm_verify(C, pub, alg, msg, 0, mm_bytes_make(sig, len)), MM_ERR_VERIFY);
    sig[len / 2] ^= 0x01;
    /* a signature of the wrong length is refused, not misread */
    assert_int_equal(mm_verify(C, pub, alg, msg, 0, mm_bytes_make(sig, len - 1)), MM_ERR_VERIFY);
    assert_int_equal(mm_verify(C, pub, alg, msg, 0, mm_bytes_make(sig, len + 1)), MM_ERR_VERIFY);
    assert_int_equal(mm_verify(C, pub, alg, msg, 0, mm_bytes_make(NULL, 0)), MM_ERR_VERIFY);
    /* too small a buffer says how much is needed */
    size_t need = 0;
    assert_int_equal(mm_sign(C, priv, alg, msg, 0, sig, len - 1, &need), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(need, len);
    assert_queue_clean();
}

/* A prehashed signature verifies as a signature of the message, and back. */
static void prehashed(const mm_key *priv, const mm_key *pub, int32_t alg, int32_t hash_alg)
{
    mm_bytes msg = lit("hashed elsewhere");
    uint8_t h[MM_HASH_MAX];
    size_t h_len = 0;
    assert_int_equal(mm_hash(C, hash_alg, msg, h, &h_len), MM_OK);
    uint8_t sig[MM_SIG_MAX];
    size_t len = 0;
    assert_int_equal(mm_sign(C, priv, alg, mm_bytes_make(h, h_len), MM_SIG_PREHASHED, sig, sizeof sig, &len), MM_OK);
    assert_int_equal(mm_verify(C, pub, alg, msg, 0, mm_bytes_make(sig, len)), MM_OK);
    assert_int_equal(mm_sign(C, priv, alg, msg, 0, sig, sizeof sig, &len), MM_OK);
    assert_int_equal(mm_verify(C, pub, alg, mm_bytes_make(h, h_len), MM_SIG_PREHASHED, mm_bytes_make(sig, len)), MM_OK);
    /* a digest of the wrong length */
    assert_int_equal(mm_sign(C, priv, alg, mm_bytes_make(h, h_len - 1), MM_SIG_PREHASHED, sig, sizeof sig, &len),
                     MM_ERR_INVALID_ARG);
    assert_int_equal(mm_verify(C, pub, alg, mm_bytes_make(h, h_len - 1), MM_SIG_PREHASHED, mm_bytes_make(sig, len)),
                     MM_ERR_INVALID_ARG);
    /* unknown flags */
    assert_int_equal(mm_sign(C, priv, alg, msg, 0x80, sig, sizeof sig, &len), MM_ERR_INVALID_ARG);
    assert_queue_clean();
}

/* Exports key's parts (private ones if priv) and imports them back. */
static void reimport(const mm_key *key, bool priv, mm_key *out)
{
    uint8_t buf[1024];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(key, priv ? MM_EXPORT_PRIVATE : 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(parts.kty, key->kty);
    assert_int_equal(parts.crv, key->crv);
    assert_int_equal(parts.alg, key->alg);
    assert_int_equal(mm_key_import(C, &parts, priv ? MM_KEY_EXTRACTABLE : 0, out), MM_OK);
    assert_ptr_equal(out->crypto, C);
    assert_int_equal(out->kty, key->kty);
    assert_int_equal(out->crv, key->crv);
    assert_int_equal(out->bits, key->bits);
    assert_int_equal(out->alg, key->alg);
    assert_int_equal(out->flags & MM_KEY_PRIVATE, priv ? MM_KEY_PRIVATE : 0);
    /* the same parts again */
    uint8_t buf2[1024];
    mm_key_parts again;
    assert_int_equal(mm_key_export(out, priv ? MM_EXPORT_PRIVATE : 0, &again, buf2, sizeof buf2), MM_OK);
    assert_true(mm_bytes_equal(parts.x, again.x) && mm_bytes_equal(parts.y, again.y) &&
                mm_bytes_equal(parts.d, again.d) && mm_bytes_equal(parts.k, again.k) &&
                mm_bytes_equal(parts.n, again.n) && mm_bytes_equal(parts.e, again.e));
    mm_wipe(buf, sizeof buf);
    mm_wipe(buf2, sizeof buf2);
}

static void generate(int32_t kty, int32_t crv_or_bits, int32_t alg, mm_key *key)
{
    assert_int_equal(mm_key_generate(C, kty, crv_or_bits, alg, MM_KEY_EXTRACTABLE, key), MM_OK);
    assert_ptr_equal(key->crypto, C);
    assert_non_null(key->handle);
    assert_int_equal(key->kty, kty);
    assert_int_equal(key->alg, alg);
    assert_int_equal(key->flags, MM_KEY_PRIVATE | MM_KEY_EXTRACTABLE);
}

/* One RSA key for the whole run: generating one under ASan takes a while. */
static mm_key rsa_key;

static int setup_rsa(void **state)
{
    (void)state;
    return mm_key_generate(C, MM_KTY_RSA, 2048, 0, MM_KEY_EXTRACTABLE, &rsa_key) == MM_OK ? 0 : -1;
}

static int teardown_rsa(void **state)
{
    (void)state;
    mm_key_free(&rsa_key);
    return 0;
}

/*
 * SHA-256 two ways against OpenSSL's EVP digest, at every length around the
 * block and padding boundaries, fed whole and in two pieces: the backend's
 * streaming hash (on the SHA extensions' fast path when the CPU has them)
 * and mm_sha256_stream over the portable compression function.
 */
static void test_sha256_stream_lengths(void **state)
{
    (void)state;
    uint8_t msg[300];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(i * 7 + 3);
    }
    for (size_t len = 0; len <= sizeof msg; len++) {
        uint8_t want[32];
        unsigned int wl = 0;
        assert_int_equal(EVP_Digest(msg, len, want, &wl, EVP_sha256(), NULL), 1);
        size_t cuts[] = {0, len / 3, len > 64 ? 64 : len, len > 0 ? len - 1 : 0};
        for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
            size_t cut = cuts[k];
            mm_crypto_ctx ctx;
            uint8_t got[MM_HASH_MAX];
            size_t gl = 0;
            assert_int_equal(mm_hash_init(C, &ctx, MM_ALG_SHA256), MM_OK);
            assert_int_equal(mm_hash_update(C, &ctx, mm_bytes_make(msg, cut)), MM_OK);
            assert_int_equal(mm_hash_update(C, &ctx, mm_bytes_make(msg + cut, len - cut)), MM_OK);
            assert_int_equal(mm_hash_final(C, &ctx, got, &gl), MM_OK);
            assert_int_equal(gl, 32);
            assert_memory_equal(got, want, 32);

            mm_sha256_stream st;
            uint8_t portable[32];
            mm_sha256_stream_init(&st);
            mm_sha256_stream_update(&st, mm_sha256_compress_portable, msg, cut);
            mm_sha256_stream_update(&st, mm_sha256_compress_portable, msg + cut, len - cut);
            mm_sha256_stream_final(&st, mm_sha256_compress_portable, portable);
            assert_memory_equal(portable, want, 32);
        }
    }
    /* An aborted context is ended: final refuses it afterwards. */
    mm_crypto_ctx ctx;
    uint8_t out[MM_HASH_MAX];
    size_t ol = 0;
    assert_int_equal(mm_hash_init(C, &ctx, MM_ALG_SHA256), MM_OK);
    assert_int_equal(mm_hash_update(C, &ctx, mm_bytes_make(msg, 10)), MM_OK);
    mm_hash_abort(C, &ctx);
    assert_int_equal(mm_hash_final(C, &ctx, out, &ol), MM_ERR_INVALID_ARG);
}

/*
 * ECDSA keys keep prepared contexts (ctx_pool.c): several threads sign and
 * verify with one key at once, each signature must verify, tampered ones
 * must not (a failed context is dropped, not pooled), and freeing the key
 * frees the pool (LeakSanitizer would say otherwise).
 */
#define POOL_THREADS 6
#define POOL_ROUNDS  60

typedef struct pool_job {
    const mm_key *priv;
    const mm_key *pub;
    int index;
    int bad; /* what went wrong, counted */
} pool_job;

static void *pool_worker(void *arg)
{
    pool_job *j = arg;
    for (int i = 0; i < POOL_ROUNDS; i++) {
        uint8_t msg[16];
        memset(msg, j->index, sizeof msg);
        msg[0] = (uint8_t)i;
        uint8_t sig[MM_SIG_MAX];
        size_t len = 0;
        if (mm_sign(C, j->priv, MM_ALG_ES256, mm_bytes_make(msg, sizeof msg), 0, sig, sizeof sig, &len) != MM_OK ||
            len != 64 ||
            mm_verify(C, j->pub, MM_ALG_ES256, mm_bytes_make(msg, sizeof msg), 0, mm_bytes_make(sig, len)) != MM_OK) {
            j->bad++;
        }
        sig[i % 64] ^= 0x01;
        if (mm_verify(C, j->pub, MM_ALG_ES256, mm_bytes_make(msg, sizeof msg), 0, mm_bytes_make(sig, len)) !=
            MM_ERR_VERIFY) {
            j->bad++;
        }
    }
    return NULL;
}

static void test_sign_shared_key_threads(void **state)
{
    (void)state;
    mm_key priv = {0}, pub = {0};
    generate(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &priv);
    reimport(&priv, false, &pub);
    pthread_t t[POOL_THREADS];
    pool_job jobs[POOL_THREADS];
    for (int i = 0; i < POOL_THREADS; i++) {
        jobs[i] = (pool_job){&priv, &pub, i, 0};
        assert_int_equal(pthread_create(&t[i], NULL, pool_worker, &jobs[i]), 0);
    }
    for (int i = 0; i < POOL_THREADS; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(jobs[i].bad, 0);
    }
    /* And on one thread after them, from the pool. */
    pool_job again = {&priv, &pub, 99, 0};
    pool_worker(&again);
    assert_int_equal(again.bad, 0);
    mm_key_free(&priv);
    mm_key_free(&pub);
}

static void test_sign_round_trips(void **state)
{
    (void)state;
    static const struct {
        int32_t kty, crv, alg, hash;
        size_t sig_len;
    } cases[] = {
        {MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_ALG_SHA256, 64},
        {MM_KTY_EC2, MM_CRV_P384, MM_ALG_ES384, MM_ALG_SHA384, 96},
        {MM_KTY_EC2, MM_CRV_P521, MM_ALG_ES512, MM_ALG_SHA512, 132},
        {MM_KTY_EC2, MM_CRV_P256, MM_ALG_ESP256, MM_ALG_SHA256, 64},
        {MM_KTY_EC2, MM_CRV_P384, MM_ALG_ESP384, MM_ALG_SHA384, 96},
        {MM_KTY_EC2, MM_CRV_P521, MM_ALG_ESP512, MM_ALG_SHA512, 132},
        {MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, 0, 64},
        {MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_ED25519, 0, 64},
        {MM_KTY_OKP, MM_CRV_ED448, MM_ALG_EDDSA, 0, 114},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mm_key priv = {0}, pub = {0};
        generate(cases[i].kty, cases[i].crv, cases[i].alg, &priv);
        assert_int_equal(priv.crv, cases[i].crv);
        reimport(&priv, false, &pub);
        sign_and_verify(&priv, &pub, cases[i].alg);
        uint8_t sig[MM_SIG_MAX];
        size_t len = 0;
        assert_int_equal(mm_sign(C, &priv, cases[i].alg, lit("m"), 0, sig, sizeof sig, &len), MM_OK);
        assert_int_equal(len, cases[i].sig_len);
        if (cases[i].hash != 0) {
            prehashed(&priv, &pub, cases[i].alg, cases[i].hash);
        } else {
            assert_int_equal(
                mm_sign(C, &priv, cases[i].alg, mm_bytes_make(sig, 64), MM_SIG_PREHASHED, sig, sizeof sig, &len),
                MM_ERR_UNSUPPORTED);
            assert_int_equal(mm_verify(C, &pub, cases[i].alg, lit("m"), MM_SIG_PREHASHED, mm_bytes_make(sig, 64)),
                             MM_ERR_UNSUPPORTED);
        }
        /* the public key cannot sign */
        assert_int_equal(mm_sign(C, &pub, cases[i].alg, lit("m"), 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);
        assert_int_equal(C->ops->sign(C->user, &pub, cases[i].alg, lit("m"), 0, sig, sizeof sig, &len),
                         MM_ERR_KEY_USAGE);
        /* a key of another type or curve, straight to the backend */
        int32_t other = cases[i].kty == MM_KTY_EC2 ? MM_ALG_EDDSA : MM_ALG_ES256;
        assert_int_equal(C->ops->sign(C->user, &priv, other, lit("m"), 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);
        assert_int_equal(C->ops->verify(C->user, &pub, other, lit("m"), 0, mm_bytes_make(sig, 64)), MM_ERR_KEY_USAGE);
        assert_int_equal(C->ops->sign(C->user, &priv, MM_ALG_HSS_LMS, lit("m"), 0, sig, sizeof sig, &len),
                         MM_ERR_UNSUPPORTED_ALG);
        /* private round trip: the reimported key signs for the original */
        mm_key priv2 = {0};
        reimport(&priv, true, &priv2);
        sign_and_verify(&priv2, &priv, cases[i].alg);
        mm_key_free(&priv);
        mm_key_free(&pub);
        mm_key_free(&priv2);
        assert_null(priv.handle);
    }
    assert_queue_clean();
}

static void test_pss(void **state)
{
    (void)state;
    mm_key pub = {0};
    assert_int_equal(rsa_key.kty, MM_KTY_RSA);
    assert_int_equal(rsa_key.bits, 2048);
    reimport(&rsa_key, false, &pub);
    static const int32_t algs[] = {MM_ALG_PS256, MM_ALG_PS384, MM_ALG_PS512};
    static const int32_t hashes[] = {MM_ALG_SHA256, MM_ALG_SHA384, MM_ALG_SHA512};
    for (size_t i = 0; i < 3; i++) {
        sign_and_verify(&rsa_key, &pub, algs[i]);
        prehashed(&rsa_key, &pub, algs[i], hashes[i]);
    }
    /* RFC 8230: the salt is as long as the hash; OpenSSL's default (the
     * longest salt that fits) is refused */
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    uint8_t sig[256];
    size_t len = sizeof sig;
    assert_int_equal(EVP_DigestSignInit_ex(mctx, &pctx, "SHA256", NULL, NULL, rsa_key.handle, NULL), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_MAX), 1);
    assert_int_equal(EVP_DigestSign(mctx, sig, &len, (const uint8_t *)"m", 1), 1);
    EVP_MD_CTX_free(mctx);
    assert_int_equal(len, 256);
    assert_int_equal(mm_verify(C, &pub, MM_ALG_PS256, lit("m"), 0, mm_bytes_make(sig, len)), MM_ERR_VERIFY);
    /* no private RSA parts in mm_key_parts */
    uint8_t buf[1024];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(&rsa_key, MM_EXPORT_PRIVATE, &parts, buf, sizeof buf), MM_ERR_UNSUPPORTED);
    mm_key_free(&pub);
    assert_queue_clean();
}

static void test_ecdh(void **state)
{
    (void)state;
    static const struct {
        int32_t kty, crv;
        size_t len;
    } cases[] = {
        {MM_KTY_EC2, MM_CRV_P256, 32},   {MM_KTY_EC2, MM_CRV_P384, 48}, {MM_KTY_EC2, MM_CRV_P521, 66},
        {MM_KTY_OKP, MM_CRV_X25519, 32}, {MM_KTY_OKP, MM_CRV_X448, 56},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mm_key a = {0}, b = {0}, a_pub = {0}, b_pub = {0};
        generate(cases[i].kty, cases[i].crv, MM_ALG_ECDH_ES_HKDF256, &a);
        generate(cases[i].kty, cases[i].crv, 0, &b);
        reimport(&a, false, &a_pub);
        reimport(&b, false, &b_pub);
        uint8_t s1[MM_ECDH_MAX], s2[MM_ECDH_MAX];
        size_t l1 = 0, l2 = 0;
        assert_int_equal(mm_ecdh(C, &a, &b_pub, s1, &l1), MM_OK);
        assert_int_equal(mm_ecdh(C, &b, &a_pub, s2, &l2), MM_OK);
        assert_int_equal(l1, cases[i].len);
        assert_int_equal(l2, cases[i].len);
        assert_memory_equal(s1, s2, l1);
        /* a public key cannot agree */
        assert_int_equal(C->ops->ecdh(C->user, &a_pub, &b_pub, s1, &l1), MM_ERR_KEY_USAGE);
        /* a private key round trip agrees the same */
        mm_key a2 = {0};
        reimport(&a, true, &a2);
        assert_int_equal(mm_ecdh(C, &a2, &b_pub, s2, &l2), MM_OK);
        assert_memory_equal(s1, s2, l1);
        mm_key_free(&a);
        mm_key_free(&b);
        mm_key_free(&a_pub);
        mm_key_free(&b_pub);
        mm_key_free(&a2);
    }
    /* keys of different curves, or for signing, do not agree */
    mm_key p256 = {0}, p384 = {0}, ed = {0};
    generate(MM_KTY_EC2, MM_CRV_P256, 0, &p256);
    generate(MM_KTY_EC2, MM_CRV_P384, 0, &p384);
    generate(MM_KTY_OKP, MM_CRV_ED25519, 0, &ed);
    uint8_t s[MM_ECDH_MAX];
    size_t l = 0;
    assert_int_equal(mm_ecdh(C, &p256, &p384, s, &l), MM_ERR_KEY_USAGE);
    assert_int_equal(C->ops->ecdh(C->user, &p256, &p384, s, &l), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_ecdh(C, &ed, &ed, s, &l), MM_ERR_KEY_USAGE);
    mm_key_free(&p256);
    mm_key_free(&p384);
    mm_key_free(&ed);
    assert_queue_clean();
}

static void test_key_generate_refusals(void **state)
{
    (void)state;
    mm_key k = {0};
    assert_int_equal(mm_key_generate(C, MM_KTY_RSA, 1024, 0, 0, &k), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_key_generate(C, MM_KTY_RSA, 8192, 0, 0, &k), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(C, MM_KTY_SYMMETRIC, 100, 0, 0, &k), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_key_generate(C, MM_KTY_SYMMETRIC, 0, 0, 0, &k), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_key_generate(C, MM_KTY_EC2, MM_CRV_X25519, 0, 0, &k), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(C, MM_KTY_OKP, MM_CRV_P256, 0, 0, &k), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(C, MM_KTY_HSS_LMS, 0, 0, 0, &k), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(C, 99, 0, 0, 0, &k), MM_ERR_UNSUPPORTED);
    /* an algorithm the key does not fit, or an unknown flag */
    assert_int_equal(mm_key_generate(C, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES384, 0, &k), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_key_generate(C, MM_KTY_OKP, MM_CRV_X25519, MM_ALG_EDDSA, 0, &k), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_key_generate(C, MM_KTY_SYMMETRIC, 256, MM_ALG_A128GCM, 0, &k), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_key_generate(C, MM_KTY_EC2, MM_CRV_P256, 0, 0x80, &k), MM_ERR_INVALID_ARG);
    assert_null(k.crypto);
    assert_null(k.handle);
    /* not extractable: no private export; public export works */
    assert_int_equal(mm_key_generate(C, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &k), MM_OK);
    assert_int_equal(k.flags, MM_KEY_PRIVATE);
    uint8_t buf[256];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(&k, MM_EXPORT_PRIVATE, &parts, buf, sizeof buf), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_key_export(&k, 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(parts.x.len, 32);
    assert_int_equal(parts.y.len, 32);
    assert_int_equal(parts.d.len, 0);
    /* too small a buffer, unknown export flags */
    assert_int_equal(mm_key_export(&k, 0, &parts, buf, 63), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(mm_key_export(&k, 0x80, &parts, buf, sizeof buf), MM_ERR_INVALID_ARG);
    mm_key_free(&k);
    mm_key_free(&k); /* twice is harmless */
    assert_queue_clean();
}

static void test_symmetric_keys(void **state)
{
    (void)state;
    static const int32_t sizes[] = {128, 192, 256, 384, 512};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        mm_key k = {0}, k2 = {0};
        generate(MM_KTY_SYMMETRIC, sizes[i], 0, &k);
        assert_int_equal(k.bits, sizes[i]);
        assert_int_equal(k.crv, 0);
        reimport(&k, true, &k2);
        /* the same secret: the same MAC */
        uint8_t m1[MM_HASH_MAX], m2[MM_HASH_MAX];
        size_t l1 = 0, l2 = 0;
        mm_crypto_ctx ctx;
        assert_int_equal(mm_hmac_init(C, &ctx, MM_ALG_SHA256, &k), MM_OK);
        assert_int_equal(mm_hmac_final(C, &ctx, m1, &l1), MM_OK);
        assert_int_equal(mm_hmac_init(C, &ctx, MM_ALG_SHA256, &k2), MM_OK);
        assert_int_equal(mm_hmac_final(C, &ctx, m2, &l2), MM_OK);
        assert_memory_equal(m1, m2, 32);
        /* a secret key has no public part */
        uint8_t buf[64];
        mm_key_parts parts;
        assert_int_equal(mm_key_export(&k, 0, &parts, buf, sizeof buf), MM_ERR_KEY_USAGE);
        assert_int_equal(mm_key_export(&k, MM_EXPORT_PRIVATE, &parts, buf, (size_t)sizes[i] / 8 - 1),
                         MM_ERR_BUFFER_TOO_SMALL);
        mm_key_free(&k);
        mm_key_free(&k2);
    }
    /* a key restricted to an algorithm keeps the restriction */
    mm_key k = {0}, k2 = {0};
    generate(MM_KTY_SYMMETRIC, 256, MM_ALG_A256GCM, &k);
    reimport(&k, true, &k2);
    assert_int_equal(k2.alg, MM_ALG_A256GCM);
    mm_key_free(&k);
    mm_key_free(&k2);
    assert_queue_clean();
}

/* A P-256 key's parts, for the import refusals. */
typedef struct p256_parts {
    uint8_t x[32], y[32], d[32];
} p256_parts;

static void p256_sample(p256_parts *s)
{
    mm_key k = {0};
    generate(MM_KTY_EC2, MM_CRV_P256, 0, &k);
    uint8_t buf[96];
    mm_key_parts p;
    assert_int_equal(mm_key_export(&k, MM_EXPORT_PRIVATE, &p, buf, sizeof buf), MM_OK);
    memcpy(s->x, p.x.ptr, 32);
    memcpy(s->y, p.y.ptr, 32);
    memcpy(s->d, p.d.ptr, 32);
    mm_key_free(&k);
}

static mm_key_parts ec2(int32_t crv, const uint8_t *x, size_t xl, const uint8_t *y, size_t yl, const uint8_t *d,
                        size_t dl)
{
    mm_key_parts p = {.kty = MM_KTY_EC2, .crv = crv};
    p.x = mm_bytes_make(x, xl);
    p.y = mm_bytes_make(y, yl);
    p.d = mm_bytes_make(d, dl);
    return p;
}

static void test_import_refusals(void **state)
{
    (void)state;
    p256_parts a, b;
    p256_sample(&a);
    p256_sample(&b);
    mm_key k = {0};
    mm_key_parts p;

    /* the genuine key, public, private and private without its public part */
    p = ec2(MM_CRV_P256, a.x, 32, a.y, 32, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_OK);
    assert_int_equal(k.flags, 0);
    mm_key_free(&k);
    p = ec2(MM_CRV_P256, a.x, 32, a.y, 32, a.d, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_OK);
    assert_int_equal(k.flags, MM_KEY_PRIVATE);
    mm_key_free(&k);
    p = ec2(MM_CRV_P256, NULL, 0, NULL, 0, a.d, 32);
    assert_int_equal(mm_key_import(C, &p, MM_KEY_EXTRACTABLE, &k), MM_OK);
    uint8_t buf[128];
    mm_key_parts out;
    assert_int_equal(mm_key_export(&k, 0, &out, buf, sizeof buf), MM_OK);
    assert_memory_equal(out.x.ptr, a.x, 32); /* the public point was computed */
    assert_memory_equal(out.y.ptr, a.y, 32);
    mm_key_free(&k);

    /* a point off the curve */
    uint8_t y_off[32];
    memcpy(y_off, a.y, 32);
    y_off[31] ^= 0x01;
    p = ec2(MM_CRV_P256, a.x, 32, y_off, 32, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = ec2(MM_CRV_P256, a.x, 32, y_off, 32, a.d, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    /* sizes: short x, long d, x without y, y without x, neither */
    p = ec2(MM_CRV_P256, a.x, 31, a.y, 32, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    uint8_t d33[33] = {0};
    memcpy(d33 + 1, a.d, 32);
    p = ec2(MM_CRV_P256, a.x, 32, a.y, 32, d33, 33);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = ec2(MM_CRV_P256, a.x, 32, NULL, 0, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = ec2(MM_CRV_P256, NULL, 0, a.y, 32, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = ec2(MM_CRV_P256, NULL, 0, NULL, 0, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    /* P-384 sizes for a P-256 point */
    p = ec2(MM_CRV_P384, a.x, 32, a.y, 32, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    /* d of another key than x, y */
    p = ec2(MM_CRV_P256, a.x, 32, a.y, 32, b.d, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    /* d = 0 and d = n are not private keys */
    static const uint8_t zero[32] = {0};
    uint8_t order[32];
    mm_test_unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", order, sizeof order);
    p = ec2(MM_CRV_P256, NULL, 0, NULL, 0, zero, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = ec2(MM_CRV_P256, NULL, 0, NULL, 0, order, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    /* parts of another key type, unknown curve or type, unknown flag, an
     * algorithm that does not fit */
    p = ec2(MM_CRV_P256, a.x, 32, a.y, 32, NULL, 0);
    p.k = mm_bytes_make(a.d, 16);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = ec2(99, a.x, 32, a.y, 32, NULL, 0);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_UNSUPPORTED);
    p = ec2(MM_CRV_P256, a.x, 32, a.y, 32, NULL, 0);
    p.kty = 99;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_UNSUPPORTED);
    p.kty = MM_KTY_EC2;
    assert_int_equal(mm_key_import(C, &p, 0x80, &k), MM_ERR_INVALID_ARG);
    p.alg = MM_ALG_ES384;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_KEY_USAGE);
    p.alg = MM_ALG_ESP256;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_OK);
    assert_int_equal(k.alg, MM_ALG_ESP256);
    mm_key_free(&k);

    /* OKP: x of another key than d, sizes, a y */
    mm_key e1 = {0}, e2 = {0};
    generate(MM_KTY_OKP, MM_CRV_ED25519, 0, &e1);
    generate(MM_KTY_OKP, MM_CRV_ED25519, 0, &e2);
    uint8_t b1[64], b2[64];
    mm_key_parts p1, p2;
    assert_int_equal(mm_key_export(&e1, MM_EXPORT_PRIVATE, &p1, b1, sizeof b1), MM_OK);
    assert_int_equal(mm_key_export(&e2, MM_EXPORT_PRIVATE, &p2, b2, sizeof b2), MM_OK);
    p = p1;
    p.x = p2.x;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = p1;
    p.x.len = 31;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = p1;
    p.d.len = 33;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = p1;
    p.y = p2.x;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = p1;
    p.crv = MM_CRV_P256;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_UNSUPPORTED);
    p = p1;
    p.x = mm_bytes_make(NULL, 0); /* d alone: the public key is derived */
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_OK);
    sign_and_verify(&k, &e1, MM_ALG_EDDSA);
    mm_key_free(&k);
    mm_key_free(&e1);
    mm_key_free(&e2);

    /* symmetric: empty, too long, wrong size for its algorithm, extra parts */
    uint8_t sym[65] = {0};
    p = (mm_key_parts){.kty = MM_KTY_SYMMETRIC, .k = mm_bytes_make(sym, 0)};
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p.k.len = 65;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_TOO_LARGE);
    p.k.len = 32;
    p.alg = MM_ALG_A128GCM;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_KEY_USAGE);
    p.alg = 0;
    p.x = mm_bytes_make(sym, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);

    /* RSA: leading zeros, a small modulus, an even exponent, private parts */
    uint8_t rbuf[600];
    mm_key_parts r;
    assert_int_equal(mm_key_export(&rsa_key, 0, &r, rbuf, sizeof rbuf), MM_OK);
    assert_int_equal(r.n.len, 256);
    assert_memory_equal(r.e.ptr, "\x01\x00\x01", 3);
    uint8_t n0[257] = {0};
    memcpy(n0 + 1, r.n.ptr, 256);
    p = r;
    p.n = mm_bytes_make(n0, 257);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = r;
    p.n.len = 128; /* 1024 bits */
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_UNSUPPORTED);
    p = r;
    p.e = mm_bytes_make("\x01\x00\x00", 3);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY);
    p = r;
    p.d = mm_bytes_make(a.d, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_UNSUPPORTED);
    p = r;
    p.alg = MM_ALG_PS384;
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_OK);
    assert_int_equal(k.bits, 2048);
    assert_int_equal(k.flags, 0);
    mm_key_free(&k);
    assert_null(k.crypto);
    assert_queue_clean();
}

/*
 * Ciphers.
 */

static void test_aead(void **state)
{
    (void)state;
    static const struct {
        int32_t alg, bits;
    } cases[] = {
        {MM_ALG_A128GCM, 128},
        {MM_ALG_A192GCM, 192},
        {MM_ALG_A256GCM, 256},
        {MM_ALG_CHACHA20_POLY1305, 256},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mm_key key = {0};
        generate(MM_KTY_SYMMETRIC, cases[i].bits, cases[i].alg, &key);
        uint8_t nonce[12];
        assert_int_equal(mm_random(C, nonce, sizeof nonce), MM_OK);
        mm_bytes n = mm_bytes_make(nonce, sizeof nonce);
        mm_bytes aad = lit("protected header");
        for (size_t pt_len = 0; pt_len <= 33; pt_len += 11) {
            uint8_t pt[40], ct[40 + 16], back[40];
            for (size_t j = 0; j < pt_len; j++) {
                pt[j] = (uint8_t)(j * 7 + 1);
            }
            assert_int_equal(mm_aead_encrypt(C, cases[i].alg, &key, n, aad, mm_bytes_make(pt, pt_len), ct), MM_OK);
            mm_bytes ct_tag = mm_bytes_make(ct, pt_len + 16);
            assert_int_equal(mm_aead_decrypt(C, cases[i].alg, &key, n, aad, ct_tag, back), MM_OK);
            assert_memory_equal(back, pt, pt_len);
            /* in place */
            uint8_t inplace[40 + 16];
            memcpy(inplace, ct, pt_len + 16);
            assert_int_equal(
                mm_aead_decrypt(C, cases[i].alg, &key, n, aad, mm_bytes_make(inplace, pt_len + 16), inplace), MM_OK);
            assert_memory_equal(inplace, pt, pt_len);
            /* tampering: tag, ciphertext, AAD, nonce; the output is wiped */
            for (int what = 0; what < 4; what++) {
                uint8_t bad[40 + 16];
                uint8_t bad_nonce[12];
                memcpy(bad, ct, pt_len + 16);
                memcpy(bad_nonce, nonce, 12);
                mm_bytes bad_aad = aad;
                if (what == 0) {
                    bad[pt_len + 15] ^= 0x80;
                } else if (what == 1) {
                    if (pt_len == 0) {
                        continue;
                    }
                    bad[0] ^= 0x01;
                } else if (what == 2) {
                    bad_aad = lit("protected headeR");
                } else {
                    bad_nonce[0] ^= 0x01;
                }
                memset(back, 0xa5, sizeof back);
                assert_int_equal(mm_aead_decrypt(C, cases[i].alg, &key, mm_bytes_make(bad_nonce, 12), bad_aad,
                                                 mm_bytes_make(bad, pt_len + 16), back),
                                 MM_ERR_VERIFY);
                assert_true(all_zero(back, pt_len));
            }
        }
        /* shorter than a tag; wrong nonce length; a key for another size */
        uint8_t out[16];
        assert_int_equal(mm_aead_decrypt(C, cases[i].alg, &key, n, aad, mm_bytes_make(nonce, 12), out), MM_ERR_VERIFY);
        assert_int_equal(mm_aead_encrypt(C, cases[i].alg, &key, mm_bytes_make(nonce, 8), aad, lit("x"), out),
                         MM_ERR_INVALID_ARG);
        mm_key_free(&key);
    }
    /* McGrew and Viega's GCM test case 2: zero key, nonce and block */
    uint8_t zero[16] = {0};
    uint8_t want[32], ct[32];
    mm_test_unhex("0388dace60b6a392f328c2b971b2fe78 ab6e47d42cec13bdf53a67b21257bddf", want, sizeof want);
    mm_key key = {0};
    import_sym(zero, 16, 0, &key);
    assert_int_equal(mm_aead_encrypt(C, MM_ALG_A128GCM, &key, mm_bytes_make(zero, 12), mm_bytes_make(NULL, 0),
                                     mm_bytes_make(zero, 16), ct),
                     MM_OK);
    assert_memory_equal(ct, want, 32);
    /* the backend refuses a key of the wrong size even without the wrapper */
    assert_int_equal(C->ops->aead_encrypt(C->user, MM_ALG_A256GCM, &key, mm_bytes_make(zero, 12),
                                          mm_bytes_make(NULL, 0), mm_bytes_make(zero, 16), ct),
                     MM_ERR_KEY_USAGE);
    assert_int_equal(C->ops->aead_encrypt(C->user, MM_ALG_A128CTR, &key, mm_bytes_make(zero, 12),
                                          mm_bytes_make(NULL, 0), mm_bytes_make(zero, 16), ct),
                     MM_ERR_UNSUPPORTED_ALG);
    mm_key_free(&key);
    assert_queue_clean();
}

/* iv + n as a 128-bit big-endian number. */
static void counter_add(uint8_t block[16], unsigned n)
{
    unsigned carry = n;
    for (int i = 15; i >= 0 && carry != 0; i--) {
        carry += block[i];
        block[i] = (uint8_t)carry;
        carry >>= 8;
    }
}

static void test_ctr(void **state)
{
    (void)state;
    /* NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt) */
    uint8_t k[16], iv[16], pt[64], want[64], out[64];
    mm_test_unhex("2b7e151628aed2a6abf7158809cf4f3c", k, sizeof k);
    mm_test_unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", iv, sizeof iv);
    mm_test_unhex("6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
                  "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710",
                  pt, sizeof pt);
    mm_test_unhex("874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff"
                  "5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee",
                  want, sizeof want);
    mm_key key = {0};
    import_sym(k, 16, MM_ALG_A128CTR, &key);
    mm_crypto_ctx ctx;
    assert_int_equal(mm_ctr_init(C, &ctx, MM_ALG_A128CTR, &key, iv), MM_OK);
    assert_int_equal(mm_ctr_update(C, &ctx, mm_bytes_make(pt, 64), out), MM_OK);
    mm_ctr_end(C, &ctx);
    assert_memory_equal(out, want, 64);
    mm_key_free(&key);

    static const struct {
        int32_t alg, bits;
    } cases[] = {{MM_ALG_A128CTR, 128}, {MM_ALG_A192CTR, 192}, {MM_ALG_A256CTR, 256}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        generate(MM_KTY_SYMMETRIC, cases[i].bits, 0, &key);
        /* a counter whose low 64 bits overflow within the message */
        uint8_t start[16];
        memset(start, 0xff, sizeof start);
        start[0] = 0x12;
        start[15] = 0xfd;
        uint8_t msg[1000], one[1000], chunked[1000];
        for (size_t j = 0; j < sizeof msg; j++) {
            msg[j] = (uint8_t)(j ^ 0x5a);
        }
        assert_int_equal(mm_ctr_init(C, &ctx, cases[i].alg, &key, start), MM_OK);
        assert_int_equal(mm_ctr_update(C, &ctx, mm_bytes_make(msg, sizeof msg), one), MM_OK);
        mm_ctr_end(C, &ctx);
        /* odd chunk sizes, an empty one among them */
        static const size_t chunks[] = {1, 0, 15, 17, 3, 16, 31, 64, 5};
        assert_int_equal(mm_ctr_init(C, &ctx, cases[i].alg, &key, start), MM_OK);
        size_t off = 0;
        for (size_t c = 0; off < sizeof msg; c++) {
            size_t n = chunks[c % (sizeof chunks / sizeof chunks[0])];
            n = n > sizeof msg - off ? sizeof msg - off : n;
            assert_int_equal(mm_ctr_update(C, &ctx, mm_bytes_make(msg + off, n), chunked + off), MM_OK);
            off += n;
        }
        mm_ctr_end(C, &ctx);
        assert_memory_equal(one, chunked, sizeof msg);
        /* block 5 is block 0 of a stream started at start + 5: the counter
         * carries across all 128 bits */
        uint8_t later[16], block[16];
        memcpy(later, start, 16);
        counter_add(later, 5);
        assert_int_equal(later[0], 0x13);
        assert_int_equal(mm_ctr_init(C, &ctx, cases[i].alg, &key, later), MM_OK);
        assert_int_equal(mm_ctr_update(C, &ctx, mm_bytes_make(msg + 80, 16), block), MM_OK);
        mm_ctr_end(C, &ctx);
        assert_memory_equal(block, one + 80, 16);
        /* decrypting is encrypting */
        assert_int_equal(mm_ctr_init(C, &ctx, cases[i].alg, &key, start), MM_OK);
        assert_int_equal(mm_ctr_update(C, &ctx, mm_bytes_make(one, sizeof one), chunked), MM_OK);
        mm_ctr_end(C, &ctx);
        assert_memory_equal(chunked, msg, sizeof msg);
        /* a key of another size */
        assert_int_equal(C->ops->ctr_init(C->user, &ctx,
                                          cases[i].alg == MM_ALG_A128CTR ? MM_ALG_A256CTR : MM_ALG_A128CTR, &key,
                                          start),
                         MM_ERR_KEY_USAGE);
        mm_key_free(&key);
    }
    assert_queue_clean();
}

static void test_key_wrap(void **state)
{
    (void)state;
    /* RFC 3394 4.1: 128-bit KEK, 128-bit key data */
    uint8_t kek_bytes[16], data[16], want[24], out[24], back[16];
    mm_test_unhex("000102030405060708090A0B0C0D0E0F", kek_bytes, sizeof kek_bytes);
    mm_test_unhex("00112233445566778899AABBCCDDEEFF", data, sizeof data);
    mm_test_unhex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5", want, sizeof want);
    mm_key kek = {0};
    import_sym(kek_bytes, 16, MM_ALG_A128KW, &kek);
    assert_int_equal(mm_key_wrap(C, &kek, mm_bytes_make(data, 16), out), MM_OK);
    assert_memory_equal(out, want, 24);
    assert_int_equal(mm_key_unwrap(C, &kek, mm_bytes_make(out, 24), back), MM_OK);
    assert_memory_equal(back, data, 16);
    out[0] ^= 1;
    memset(back, 0xa5, sizeof back);
    assert_int_equal(mm_key_unwrap(C, &kek, mm_bytes_make(out, 24), back), MM_ERR_VERIFY);
    assert_true(all_zero(back, 16));
    /* lengths the backend refuses on its own */
    assert_int_equal(C->ops->key_wrap(C->user, &kek, mm_bytes_make(data, 12), out), MM_ERR_INVALID_ARG);
    assert_int_equal(C->ops->key_unwrap(C->user, &kek, mm_bytes_make(out, 16), back), MM_ERR_VERIFY);
    mm_key_free(&kek);
    /* a KEK of a size AES has not */
    uint8_t k20[20] = {0};
    import_sym(k20, 20, 0, &kek);
    assert_int_equal(mm_key_wrap(C, &kek, mm_bytes_make(data, 16), out), MM_ERR_KEY_USAGE);
    mm_key_free(&kek);
    assert_queue_clean();
}

static void test_random(void **state)
{
    (void)state;
    uint8_t a[32] = {0}, b[32] = {0};
    assert_int_equal(mm_random(C, a, sizeof a), MM_OK);
    assert_int_equal(mm_random(C, b, sizeof b), MM_OK);
    assert_memory_not_equal(a, b, sizeof a);
    assert_int_equal(mm_random(C, NULL, 0), MM_OK);
}

/* Keys of another backend are refused, not misread. */
static void test_foreign_keys(void **state)
{
    (void)state;
    static const mm_crypto_ops other_ops = {.version = MM_CRYPTO_OPS_V1, .name = "other"};
    static const mm_crypto other = {&other_ops, NULL};
    mm_key k = {0};
    generate(MM_KTY_EC2, MM_CRV_P256, 0, &k);
    mm_key foreign = k;
    foreign.crypto = &other;
    uint8_t sig[64];
    size_t len = 0;
    assert_int_equal(mm_sign(C, &foreign, MM_ALG_ES256, lit("m"), 0, sig, sizeof sig, &len), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_verify(C, &foreign, MM_ALG_ES256, lit("m"), 0, mm_bytes_make(sig, 64)), MM_ERR_INVALID_ARG);
    mm_buf out = mm_buf_make(NULL, 0);
    assert_int_equal(mm_openssl_export_public_key(&foreign, MM_OPENSSL_DER, &out), MM_ERR_INVALID_ARG);
    /* mm_key_export goes to the key's own backend, which has no entry */
    mm_key_parts parts;
    assert_int_equal(mm_key_export(&foreign, 0, &parts, sig, sizeof sig), MM_ERR_UNSUPPORTED);
    mm_key_free(&k);
    assert_queue_clean();
}

/* Errors the caller queued before a call survive it; the call's own go. */
static void test_error_queue(void **state)
{
    (void)state;
    ERR_raise(ERR_LIB_USER, 42);
    mm_key k = {0};
    mm_key_parts p = {.kty = MM_KTY_EC2, .crv = MM_CRV_P256};
    uint8_t junk[32];
    memset(junk, 0x42, sizeof junk);
    p.x = mm_bytes_make(junk, 32);
    p.y = mm_bytes_make(junk, 32);
    assert_int_equal(mm_key_import(C, &p, 0, &k), MM_ERR_BAD_KEY); /* OpenSSL complains inside */
    assert_int_equal(mm_openssl_import_public_key(mm_bytes_make(junk, 32), 0, &k), MM_ERR_BAD_KEY);
    unsigned long e = ERR_get_error();
    assert_int_equal(ERR_GET_LIB(e), ERR_LIB_USER);
    assert_int_equal(ERR_GET_REASON(e), 42);
    assert_queue_clean();
}

/*
 * PEM and DER.
 */

static uint8_t *export_alloc(const mm_key *key, bool priv, mm_openssl_form form, size_t *len)
{
    mm_buf out = mm_buf_make(NULL, 0);
    mm_err e = priv ? mm_openssl_export_private_key(key, form, &out) : mm_openssl_export_public_key(key, form, &out);
    assert_int_equal(e, MM_ERR_BUFFER_TOO_SMALL); /* the size query */
    assert_true(out.len > 0);
    uint8_t *p = malloc(out.len + 1);
    assert_non_null(p);
    out = mm_buf_make(p, out.len - 1);
    e = priv ? mm_openssl_export_private_key(key, form, &out) : mm_openssl_export_public_key(key, form, &out);
    assert_int_equal(e, MM_ERR_BUFFER_TOO_SMALL);
    out = mm_buf_make(p, out.len);
    e = priv ? mm_openssl_export_private_key(key, form, &out) : mm_openssl_export_public_key(key, form, &out);
    assert_int_equal(e, MM_OK);
    *len = out.len;
    return p;
}

/* True when a and b hold the same public key (their SPKI DER is equal). */
static bool same_public(const mm_key *a, const mm_key *b)
{
    size_t la = 0, lb = 0;
    uint8_t *pa = export_alloc(a, false, MM_OPENSSL_DER, &la);
    uint8_t *pb = export_alloc(b, false, MM_OPENSSL_DER, &lb);
    bool same = la == lb && memcmp(pa, pb, la) == 0;
    free(pa);
    free(pb);
    return same;
}

/* key's PEM and DER in the traditional (non-PKCS#8) form, from libcrypto. */
static uint8_t *traditional(const mm_key *key, bool pem, size_t *len)
{
    EVP_PKEY *pkey = key->handle;
    if (!pem) {
        unsigned char *der = NULL;
        int n = i2d_PrivateKey(pkey, &der);
        assert_true(n > 0);
        uint8_t *copy = malloc((size_t)n);
        assert_non_null(copy);
        memcpy(copy, der, (size_t)n);
        OPENSSL_free(der);
        *len = (size_t)n;
        return copy;
    }
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL, NULL), 1);
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    uint8_t *copy = malloc((size_t)n);
    assert_non_null(copy);
    memcpy(copy, data, (size_t)n);
    BIO_free(bio);
    *len = (size_t)n;
    return copy;
}

static void test_pem_der(void **state)
{
    (void)state;
    static const struct {
        int32_t kty, crv, alg;
        const char *trad_label; /* NULL: PKCS#8 only */
    } cases[] = {
        {MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, "-----BEGIN EC PRIVATE KEY-----"},
        {MM_KTY_EC2, MM_CRV_P521, MM_ALG_ES512, "-----BEGIN EC PRIVATE KEY-----"},
        {MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, NULL},
        {MM_KTY_OKP, MM_CRV_ED448, MM_ALG_EDDSA, NULL},
        {MM_KTY_OKP, MM_CRV_X25519, 0, NULL},
        {MM_KTY_OKP, MM_CRV_X448, 0, NULL},
        {MM_KTY_RSA, 0, MM_ALG_PS256, "-----BEGIN RSA PRIVATE KEY-----"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mm_key key = {0};
        if (cases[i].kty == MM_KTY_RSA) {
            key = rsa_key;
        } else {
            generate(cases[i].kty, cases[i].crv, 0, &key);
        }
        for (int form = MM_OPENSSL_DER; form <= MM_OPENSSL_PEM; form++) {
            size_t len = 0;
            uint8_t *priv = export_alloc(&key, true, (mm_openssl_form)form, &len);
            if (form == MM_OPENSSL_PEM) {
                assert_memory_equal(priv, "-----BEGIN PRIVATE KEY-----\n", 28);
            }
            mm_key back = {0};
            assert_int_equal(
                mm_openssl_import_private_key(mm_bytes_make(priv, len), cases[i].alg, MM_KEY_EXTRACTABLE, &back),
                MM_OK);
            assert_int_equal(back.kty, cases[i].kty);
            assert_int_equal(back.crv, cases[i].crv);
            assert_int_equal(back.alg, cases[i].alg);
            assert_int_equal(back.flags, MM_KEY_PRIVATE | MM_KEY_EXTRACTABLE);
            assert_true(same_public(&key, &back));
            if (cases[i].alg != 0) {
                sign_and_verify(&back, &key, cases[i].alg);
            }
            /* without MM_KEY_EXTRACTABLE the key stays in */
            mm_key sealed = {0};
            assert_int_equal(mm_openssl_import_private_key(mm_bytes_make(priv, len), 0, 0, &sealed), MM_OK);
            mm_buf none = mm_buf_make(NULL, 0);
            assert_int_equal(mm_openssl_export_private_key(&sealed, (mm_openssl_form)form, &none), MM_ERR_KEY_USAGE);
            mm_key_free(&sealed);
            /* trailing bytes after DER */
            if (form == MM_OPENSSL_DER) {
                uint8_t *longer = malloc(len + 1);
                memcpy(longer, priv, len);
                longer[len] = 0;
                assert_int_equal(mm_openssl_import_private_key(mm_bytes_make(longer, len + 1), 0, 0, &sealed),
                                 MM_ERR_BAD_KEY);
                free(longer);
            }
            mm_wipe(priv, len);
            free(priv);

            uint8_t *pub = export_alloc(&key, false, (mm_openssl_form)form, &len);
            if (form == MM_OPENSSL_PEM) {
                assert_memory_equal(pub, "-----BEGIN PUBLIC KEY-----\n", 27);
            }
            mm_key pub_key = {0};
            assert_int_equal(mm_openssl_import_public_key(mm_bytes_make(pub, len), cases[i].alg, &pub_key), MM_OK);
            assert_int_equal(pub_key.flags, 0);
            assert_true(same_public(&key, &pub_key));
            if (cases[i].alg != 0) {
                sign_and_verify(&key, &pub_key, cases[i].alg);
            }
            /* a public key read as a private one, and the reverse */
            assert_int_equal(mm_openssl_import_private_key(mm_bytes_make(pub, len), 0, 0, &sealed), MM_ERR_BAD_KEY);
            none = mm_buf_make(NULL, 0);
            assert_int_equal(mm_openssl_export_private_key(&pub_key, (mm_openssl_form)form, &none), MM_ERR_KEY_USAGE);
            mm_key_free(&pub_key);
            free(pub);
            mm_key_free(&back);
        }
        if (cases[i].trad_label != NULL) {
            for (int pem = 0; pem <= 1; pem++) {
                size_t len = 0;
                uint8_t *t = traditional(&key, pem != 0, &len);
                if (pem) {
                    assert_memory_equal(t, cases[i].trad_label, strlen(cases[i].trad_label));
                }
                mm_key back = {0};
                assert_int_equal(mm_openssl_import_private_key(mm_bytes_make(t, len), 0, 0, &back), MM_OK);
                assert_true(same_public(&key, &back));
                mm_key_free(&back);
                mm_wipe(t, len);
                free(t);
            }
        }
        if (cases[i].kty != MM_KTY_RSA) {
            mm_key_free(&key);
        }
    }
    assert_queue_clean();
}

static void test_pem_refusals(void **state)
{
    (void)state;
    mm_key key = {0}, k = {0};
    generate(MM_KTY_EC2, MM_CRV_P256, 0, &key);
    /* encrypted keys, both PEM forms */
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, key.handle, EVP_aes_128_cbc(), "secret", 6, NULL, NULL), 1);
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    assert_int_equal(mm_openssl_import_private_key(mm_bytes_make(data, (size_t)n), 0, 0, &k), MM_ERR_UNSUPPORTED);
    BIO_free(bio);
    bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, key.handle, EVP_aes_128_cbc(), (unsigned char *)"secret",
                                                          6, NULL, NULL),
                     1);
    n = BIO_get_mem_data(bio, &data);
    assert_int_equal(mm_openssl_import_private_key(mm_bytes_make(data, (size_t)n), 0, 0, &k), MM_ERR_UNSUPPORTED);
    BIO_free(bio);
    /* garbage, empty, a truncated PEM, DER that is not a key */
    assert_int_equal(mm_openssl_import_private_key(lit("not a key"), 0, 0, &k), MM_ERR_BAD_KEY);
    assert_int_equal(mm_openssl_import_public_key(lit("-----BEGIN PUBLIC KEY-----\nMFkw\n"), 0, &k), MM_ERR_BAD_KEY);
    assert_int_equal(mm_openssl_import_cert_key(mm_bytes_make("\x30\x03\x02\x01\x00", 5), 0, &k), MM_ERR_BAD_KEY);
    assert_int_equal(mm_openssl_import_public_key(mm_bytes_make(NULL, 0), 0, &k), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_openssl_import_private_key(lit("x"), 0, 0x80, &k), MM_ERR_INVALID_ARG);
    /* an algorithm the key does not fit */
    size_t len = 0;
    uint8_t *pub = export_alloc(&key, false, MM_OPENSSL_PEM, &len);
    assert_int_equal(mm_openssl_import_public_key(mm_bytes_make(pub, len), MM_ALG_EDDSA, &k), MM_ERR_KEY_USAGE);
    assert_null(k.crypto);
    free(pub);
    /* symmetric keys have no PEM form; a bad form */
    mm_key sym = {0};
    generate(MM_KTY_SYMMETRIC, 128, 0, &sym);
    mm_buf out = mm_buf_make(NULL, 0);
    assert_int_equal(mm_openssl_export_public_key(&sym, MM_OPENSSL_DER, &out), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_openssl_export_private_key(&sym, MM_OPENSSL_DER, &out), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_openssl_export_public_key(&key, (mm_openssl_form)7, &out), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_openssl_export_public_key(&key, MM_OPENSSL_DER, NULL), MM_ERR_INVALID_ARG);
    mm_key_free(&sym);
    mm_key_free(&key);
    assert_queue_clean();
}

/*
 * X.509 chains, made here.
 */

static mm_bytes view(mm_test_der d) { return mm_bytes_make(d.ptr, d.len); }

static void test_x5chain(void **state)
{
    (void)state;
    mm_key root_k = {0}, inter_k = {0}, leaf_k = {0}, other_k = {0}, enc_k = {0};
    generate(MM_KTY_EC2, MM_CRV_P256, 0, &root_k);
    generate(MM_KTY_EC2, MM_CRV_P384, 0, &inter_k);
    generate(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &leaf_k);
    generate(MM_KTY_EC2, MM_CRV_P256, 0, &other_k);
    generate(MM_KTY_OKP, MM_CRV_ED25519, 0, &enc_k);
    X509 *root = mm_test_make_cert(root_k.handle, "mamori test root", NULL, NULL, true, "critical,keyCertSign,cRLSign");
    X509 *inter = mm_test_make_cert(inter_k.handle, "mamori test intermediate", root, root_k.handle, true,
                                    "critical,keyCertSign,cRLSign");
    X509 *leaf =
        mm_test_make_cert(leaf_k.handle, "mamori test leaf", inter, inter_k.handle, false, "critical,digitalSignature");
    X509 *direct = mm_test_make_cert(leaf_k.handle, "mamori direct leaf", root, root_k.handle, false, NULL);
    X509 *other_root = mm_test_make_cert(other_k.handle, "another root", NULL, NULL, true, "critical,keyCertSign");
    X509 *stranger = mm_test_make_cert(leaf_k.handle, "leaf of another root", other_root, other_k.handle, false, NULL);
    X509 *enc_only =
        mm_test_make_cert(enc_k.handle, "encryption only", root, root_k.handle, false, "critical,keyEncipherment");
    mm_test_der d_root = mm_test_cert_der(root), d_inter = mm_test_cert_der(inter), d_leaf = mm_test_cert_der(leaf),
                d_direct = mm_test_cert_der(direct), d_other = mm_test_cert_der(other_root),
                d_stranger = mm_test_cert_der(stranger), d_enc = mm_test_cert_der(enc_only);

    mm_bytes roots[] = {view(d_root)};
    mm_bytes chain[] = {view(d_leaf), view(d_inter)};
    mm_key got = {0};
    /* root -> intermediate -> leaf; the leaf's key verifies its signatures */
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, -1, MM_ALG_ES256, &got), MM_OK);
    assert_int_equal(got.kty, MM_KTY_EC2);
    assert_int_equal(got.crv, MM_CRV_P256);
    assert_int_equal(got.alg, MM_ALG_ES256);
    assert_int_equal(got.flags, 0);
    sign_and_verify(&leaf_k, &got, MM_ALG_ES256);
    mm_key_free(&got);
    /* at a time inside the validity, and at times outside it */
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, now + 60, 0, &got), MM_OK);
    mm_key_free(&got);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, now - 7200, 0, &got), MM_ERR_VERIFY);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, now + (int64_t)2 * 86400, 0, &got),
                     MM_ERR_VERIFY);
    assert_null(got.crypto);
    /* the intermediate missing */
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 1, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    /* a leaf straight under the root; several anchors */
    mm_bytes direct_chain[] = {view(d_direct)};
    mm_bytes two_roots[] = {view(d_other), view(d_root)};
    assert_int_equal(mm_openssl_x509_chain_verify(direct_chain, 1, two_roots, 2, -1, 0, &got), MM_OK);
    mm_key_free(&got);
    /* a leaf whose signature uses SHA-1 (below security level 2) */
    X509 *sha1_leaf = mm_test_make_cert(leaf_k.handle, "sha-1 leaf", root, root_k.handle, false, NULL);
    assert_true(X509_sign(sha1_leaf, root_k.handle, EVP_sha1()) > 0);
    mm_test_der d_sha1 = mm_test_cert_der(sha1_leaf);
    mm_bytes sha1_chain[] = {view(d_sha1)};
    assert_int_equal(mm_openssl_x509_chain_verify(sha1_chain, 1, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    X509_free(sha1_leaf);
    OPENSSL_free(d_sha1.ptr);
    /* a leaf of another root */
    mm_bytes stranger_chain[] = {view(d_stranger)};
    assert_int_equal(mm_openssl_x509_chain_verify(stranger_chain, 1, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    /* the root offered inside the chain does not make it trusted */
    mm_bytes with_root[] = {view(d_stranger), view(d_other)};
    assert_int_equal(mm_openssl_x509_chain_verify(with_root, 2, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    /* a pinned intermediate is an anchor */
    mm_bytes pinned[] = {view(d_inter)};
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 1, pinned, 1, -1, 0, &got), MM_OK);
    mm_key_free(&got);
    /* a leaf not for signatures; a leaf key not for the algorithm */
    mm_bytes enc_chain[] = {view(d_enc)};
    assert_int_equal(mm_openssl_x509_chain_verify(enc_chain, 1, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, -1, MM_ALG_ES384, &got), MM_ERR_ALG_MISMATCH);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, -1, MM_ALG_EDDSA, &got), MM_ERR_ALG_MISMATCH);
    /* malformed certificates, bad arguments */
    uint8_t broken[16];
    memcpy(broken, d_leaf.ptr, sizeof broken);
    mm_bytes broken_chain[] = {mm_bytes_make(broken, sizeof broken), view(d_inter)};
    assert_int_equal(mm_openssl_x509_chain_verify(broken_chain, 2, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    mm_bytes broken_inter[] = {view(d_leaf), mm_bytes_make(broken, sizeof broken)};
    assert_int_equal(mm_openssl_x509_chain_verify(broken_inter, 2, roots, 1, -1, 0, &got), MM_ERR_VERIFY);
    mm_bytes broken_roots[] = {mm_bytes_make(broken, sizeof broken)};
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, broken_roots, 1, -1, 0, &got), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 0, roots, 1, -1, 0, &got), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 0, -1, 0, &got), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, -2, 0, &got), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_openssl_x509_chain_verify(chain, 2, roots, 1, -1, 0, NULL), MM_ERR_INVALID_ARG);
    assert_null(got.crypto);

    /* the certificate's key, read on its own, PEM and DER */
    mm_key cert_key = {0};
    assert_int_equal(mm_openssl_import_cert_key(view(d_leaf), MM_ALG_ES256, &cert_key), MM_OK);
    assert_true(same_public(&cert_key, &leaf_k));
    mm_key_free(&cert_key);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_X509(bio, leaf), 1);
    char *pem = NULL;
    long pem_len = BIO_get_mem_data(bio, &pem);
    assert_int_equal(mm_openssl_import_cert_key(mm_bytes_make(pem, (size_t)pem_len), 0, &cert_key), MM_OK);
    assert_true(same_public(&cert_key, &leaf_k));
    mm_key_free(&cert_key);
    BIO_free(bio);

    mm_test_der all[] = {d_root, d_inter, d_leaf, d_direct, d_other, d_stranger, d_enc};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        OPENSSL_free(all[i].ptr);
    }
    X509 *certs[] = {root, inter, leaf, direct, other_root, stranger, enc_only};
    for (size_t i = 0; i < sizeof certs / sizeof certs[0]; i++) {
        X509_free(certs[i]);
    }
    mm_key_free(&root_k);
    mm_key_free(&inter_k);
    mm_key_free(&leaf_k);
    mm_key_free(&other_k);
    mm_key_free(&enc_k);
    assert_queue_clean();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instance),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_sign_shared_key_threads),
        cmocka_unit_test(test_sha256_stream_lengths),
        cmocka_unit_test(test_hkdf_rfc5869),
        cmocka_unit_test(test_wycheproof_ecdsa),
        cmocka_unit_test(test_wycheproof_ed25519),
        cmocka_unit_test(test_wycheproof_x25519),
        cmocka_unit_test(test_wycheproof_aes_kw),
        cmocka_unit_test(test_sign_round_trips),
        cmocka_unit_test(test_pss),
        cmocka_unit_test(test_ecdh),
        cmocka_unit_test(test_key_generate_refusals),
        cmocka_unit_test(test_symmetric_keys),
        cmocka_unit_test(test_import_refusals),
        cmocka_unit_test(test_aead),
        cmocka_unit_test(test_ctr),
        cmocka_unit_test(test_key_wrap),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_foreign_keys),
        cmocka_unit_test(test_error_queue),
        cmocka_unit_test(test_pem_der),
        cmocka_unit_test(test_pem_refusals),
        cmocka_unit_test(test_x5chain),
    };
    return cmocka_run_group_tests(tests, setup_rsa, teardown_rsa);
}
