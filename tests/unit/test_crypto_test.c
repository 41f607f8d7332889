/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deterministic test crypto backend, exercised only through the public
 * wrappers of crypto.h: real SHA-2 / HMAC / HKDF against the RFC vectors,
 * streaming equal to one-shot at every split, reproducibility across
 * instances, and every refusal the layers above rely on (wrong key, tampered
 * data, signature or tag, wrong KEK, exhausted key pool, key policy).
 */
#include <string.h>

#include "mm_test.h"

#include "mamori/crypto_test.h"

/* Sets up a fresh backend instance and returns the mm_crypto to pass on. */
static const mm_crypto *tc_new(mm_crypto_test *t, unsigned flags)
{
    mm_crypto_test_init(t, flags);
    return &t->crypto;
}

static void gen(const mm_crypto *c, int32_t kty, int32_t crv_or_bits, unsigned flags, mm_key *k)
{
    assert_int_equal(mm_key_generate(c, kty, crv_or_bits, 0, flags, k), MM_OK);
}

/* The symmetric key b. */
static void sym_key_of(const mm_crypto *c, mm_bytes b, mm_key *k)
{
    mm_key_parts p;
    memset(&p, 0, sizeof p);
    p.kty = MM_KTY_SYMMETRIC;
    p.k = b;
    assert_int_equal(mm_key_import(c, &p, 0, k), MM_OK);
}

/* A symmetric key with bytes 0, 1, 2, ... plus offset. */
static void sym_key(const mm_crypto *c, size_t len, uint8_t offset, mm_key *k)
{
    uint8_t b[64];
    assert_true(len <= sizeof b);
    for (size_t i = 0; i < len; i++) {
        b[i] = (uint8_t)(i + offset);
    }
    sym_key_of(c, mm_bytes_make(b, len), k);
}

static mm_bytes view(const uint8_t *p, size_t n) { return mm_bytes_make(p, n); }

/*
 * Hashes, HMAC and HKDF are the real algorithms.
 */

typedef struct hash_vector {
    int32_t alg;
    const char *msg;
    size_t repeat; /* the message is msg repeated this many times */
    const char *digest;
} hash_vector;

/* FIPS 180-2 / NIST examples. */
static const hash_vector hash_vectors[] = {
    {MM_ALG_SHA256, "abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {MM_ALG_SHA256, "", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {MM_ALG_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {MM_ALG_SHA256, "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    {MM_ALG_SHA384, "abc", 1,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {MM_ALG_SHA384,
     "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopq"
     "rstu",
     1, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
    {MM_ALG_SHA512, "abc", 1,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce"
     "80e2a9ac94fa54ca49f"},
    {MM_ALG_SHA512, "", 1,
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417"
     "a81a538327af927da3e"},
    {MM_ALG_SHA512,
     "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopq"
     "rstu",
     1,
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd2"
     "6545e96e55b874be909"},
    {MM_ALG_SHA512, "a", 1000000,
     "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49a"
     "a2e4eadb217ad8cc09b"},
};

/* Hash (key NULL) or HMAC contexts, through one set of calls. */
static void md_init(const mm_crypto *c, mm_crypto_ctx *ctx, int32_t alg, const mm_key *key)
{
    if (key == NULL) {
        assert_int_equal(mm_hash_init(c, ctx, alg), MM_OK);
    } else {
        assert_int_equal(mm_hmac_init(c, ctx, alg, key), MM_OK);
    }
}

static void md_update(const mm_crypto *c, mm_crypto_ctx *ctx, const mm_key *key, mm_bytes data)
{
    assert_int_equal(key == NULL ? mm_hash_update(c, ctx, data) : mm_hmac_update(c, ctx, data), MM_OK);
}

/* Finishes ctx into out; returns the length. */
static size_t md_final(const mm_crypto *c, mm_crypto_ctx *ctx, const mm_key *key, uint8_t *out)
{
    size_t len = 0;
    assert_int_equal(key == NULL ? mm_hash_final(c, ctx, out, &len) : mm_hmac_final(c, ctx, out, &len), MM_OK);
    return len;
}

/* The digest or MAC of msg given repeat times, in one context. */
static size_t md_stream(const mm_crypto *c, int32_t alg, const mm_key *key, mm_bytes msg, size_t repeat, uint8_t *out)
{
    mm_crypto_ctx ctx;
    md_init(c, &ctx, alg, key);
    for (size_t r = 0; r < repeat; r++) {
        md_update(c, &ctx, key, msg);
    }
    return md_final(c, &ctx, key, out);
}

static void test_hash_vectors(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    for (size_t i = 0; i < sizeof hash_vectors / sizeof hash_vectors[0]; i++) {
        const hash_vector *v = &hash_vectors[i];
        uint8_t want[MM_HASH_MAX];
        uint8_t got[MM_HASH_MAX];
        size_t want_len = mm_test_unhex(v->digest, want, sizeof want);
        size_t len = md_stream(c, v->alg, NULL, mm_bytes_from_cstr(v->msg), v->repeat, got);
        assert_int_equal(len, want_len);
        assert_int_equal(len, mm_hash_len(v->alg));
        assert_memory_equal(got, want, len);
    }
    /* SHA-256/64 is not a hash this backend (or the wrappers) offers. */
    uint8_t out[MM_HASH_MAX];
    size_t len;
    assert_int_equal(mm_hash(c, MM_ALG_SHA256_64, MM_BYTES_LIT("abc"), out, &len), MM_ERR_UNSUPPORTED_ALG);
}

typedef struct hmac_vector {
    int32_t alg;
    const char *key_hex;
    const char *data;
    const char *mac;
} hmac_vector;

#define KEY131                                                                                                         \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"   \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"   \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DATA6 "Test Using Larger Than Block-Size Key - Hash Key First"

/* RFC 4231 test cases 2 and 6 (a key shorter, and one longer, than a block). */
static const hmac_vector hmac_vectors[] = {
    {MM_ALG_SHA256, "4a656665", "what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {MM_ALG_SHA384, "4a656665", "what do ya want for nothing?",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
    {MM_ALG_SHA512, "4a656665", "what do ya want for nothing?",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6"
     "b4b636e070a38bce737"},
    {MM_ALG_SHA256, KEY131, DATA6, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {MM_ALG_SHA384, KEY131, DATA6,
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"},
    {MM_ALG_SHA512, KEY131, DATA6,
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0"
     "aec8b915a985d786598"},
};

static void test_hmac_vectors(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    for (size_t i = 0; i < sizeof hmac_vectors / sizeof hmac_vectors[0]; i++) {
        const hmac_vector *v = &hmac_vectors[i];
        uint8_t kb[MM_CRYPTO_TEST_KEY_MAX];
        uint8_t want[MM_HASH_MAX];
        uint8_t got[MM_HASH_MAX];
        size_t want_len = mm_test_unhex(v->mac, want, sizeof want);
        mm_key k;
        sym_key_of(c, view(kb, mm_test_unhex(v->key_hex, kb, sizeof kb)), &k);
        size_t len = md_stream(c, v->alg, &k, mm_bytes_from_cstr(v->data), 1, got);
        assert_int_equal(len, want_len);
        assert_memory_equal(got, want, len);
        mm_key_free(&k);
    }
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
}

static void test_hkdf_vectors(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    uint8_t ikm[22];
    uint8_t salt[13];
    uint8_t info[10];
    uint8_t want[64];
    uint8_t prk[MM_HASH_MAX];
    uint8_t okm[42];
    size_t prk_len = 0;
    memset(ikm, 0x0b, sizeof ikm);
    for (size_t i = 0; i < sizeof salt; i++) {
        salt[i] = (uint8_t)i;
    }
    for (size_t i = 0; i < sizeof info; i++) {
        info[i] = (uint8_t)(0xf0 + i);
    }
    /* RFC 5869 A.1 */
    assert_int_equal(mm_hkdf_extract(c, MM_ALG_SHA256, view(salt, sizeof salt), view(ikm, sizeof ikm), prk, &prk_len),
                     MM_OK);
    assert_int_equal(prk_len, 32);
    mm_test_unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", want, sizeof want);
    assert_memory_equal(prk, want, 32);
    assert_int_equal(mm_hkdf_expand(c, MM_ALG_SHA256, view(prk, prk_len), view(info, sizeof info), okm, 42), MM_OK);
    mm_test_unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", want,
                  sizeof want);
    assert_memory_equal(okm, want, 42);
    /* RFC 5869 A.3: no salt (HashLen zeros), no info, through mm_hkdf. */
    assert_int_equal(mm_hkdf(c, MM_ALG_SHA256, view(NULL, 0), view(ikm, sizeof ikm), view(NULL, 0), okm, 42), MM_OK);
    mm_test_unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8", want,
                  sizeof want);
    assert_memory_equal(okm, want, 42);

    /* The 255 * HashLen limit: the largest output works and matches an
     * independent implementation (Python's hmac); one byte more is refused. */
    const size_t max512 = (size_t)255 * 64;
    static uint8_t big[255 * 64 + 1];
    assert_int_equal(
        mm_hkdf(c, MM_ALG_SHA512, MM_BYTES_LIT("salt"), MM_BYTES_LIT("ikm"), MM_BYTES_LIT("info"), big, max512), MM_OK);
    mm_test_unhex("a2917909da239f6c7eecf88cc589e036", want, sizeof want);
    assert_memory_equal(big + max512 - 16, want, 16);
    assert_int_equal(
        mm_hkdf(c, MM_ALG_SHA512, MM_BYTES_LIT("salt"), MM_BYTES_LIT("ikm"), MM_BYTES_LIT("info"), big, max512 + 1),
        MM_ERR_INVALID_ARG);
    assert_int_equal(
        mm_hkdf(c, MM_ALG_SHA256, MM_BYTES_LIT("salt"), MM_BYTES_LIT("ikm"), MM_BYTES_LIT("info"), big, 255 * 32 + 1),
        MM_ERR_INVALID_ARG);
    /* A PRK shorter than HashLen is refused (RFC 5869 2.3). */
    assert_int_equal(mm_hkdf_expand(c, MM_ALG_SHA256, view(prk, 31), view(info, sizeof info), okm, 42),
                     MM_ERR_INVALID_ARG);
    /* A prefix of a longer output is the shorter output. */
    uint8_t short_okm[10];
    assert_int_equal(
        mm_hkdf(c, MM_ALG_SHA512, MM_BYTES_LIT("salt"), MM_BYTES_LIT("ikm"), MM_BYTES_LIT("info"), short_okm, 10),
        MM_OK);
    assert_memory_equal(short_okm, big, 10);
}

/* Streams msg through hash or HMAC split at every point (and byte by byte)
 * and compares with one shot. */
static void stream_splits(const mm_crypto *c, int32_t alg, const mm_key *key, const uint8_t *msg, size_t n)
{
    uint8_t whole[MM_HASH_MAX];
    uint8_t part[MM_HASH_MAX];
    size_t whole_len = 0;
    if (key == NULL) {
        assert_int_equal(mm_hash(c, alg, view(msg, n), whole, &whole_len), MM_OK);
    } else {
        whole_len = md_stream(c, alg, key, view(msg, n), 1, whole);
    }
    for (size_t split = 0; split <= n + 1; split++) {
        /* split == n + 1 means one byte per update. */
        mm_crypto_ctx ctx;
        md_init(c, &ctx, alg, key);
        if (split <= n) {
            md_update(c, &ctx, key, view(msg, split));
            md_update(c, &ctx, key, view(msg + split, n - split));
        } else {
            for (size_t i = 0; i < n; i++) {
                md_update(c, &ctx, key, view(msg + i, 1));
            }
        }
        size_t len = md_final(c, &ctx, key, part);
        assert_int_equal(len, whole_len);
        assert_memory_equal(part, whole, len);
    }
}

static void test_streaming_equals_one_shot(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    uint8_t msg[300];
    assert_int_equal(mm_random(c, msg, sizeof msg), MM_OK);
    static const int32_t algs[] = {MM_ALG_SHA256, MM_ALG_SHA384, MM_ALG_SHA512};
    mm_key k;
    sym_key(c, 32, 1, &k);
    for (size_t i = 0; i < 3; i++) {
        stream_splits(c, algs[i], NULL, msg, sizeof msg);
        stream_splits(c, algs[i], &k, msg, sizeof msg);
    }
    /* Abort ends a context; a hash context cannot be finished as HMAC. */
    mm_crypto_ctx ctx;
    uint8_t out[MM_HASH_MAX];
    size_t len;
    assert_int_equal(mm_hash_init(c, &ctx, MM_ALG_SHA256), MM_OK);
    assert_int_equal(mm_hmac_update(c, &ctx, view(msg, 3)), MM_ERR_STATE);
    mm_hash_abort(c, &ctx);
    assert_int_equal(mm_hash_update(c, &ctx, view(msg, 3)), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_hmac_init(c, &ctx, MM_ALG_SHA256, &k), MM_OK);
    mm_hmac_abort(c, &ctx);
    assert_int_equal(mm_hmac_final(c, &ctx, out, &len), MM_ERR_INVALID_ARG);
    mm_key_free(&k);
}

/*
 * Reproducibility.
 */

/* Everything one instance produces from a fresh start, concatenated. */
static size_t transcript(uint8_t *out, size_t cap)
{
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    size_t n = 0;
    uint8_t buf[600];
    size_t len = 0;
    mm_key ec, ed, x, x2, sym, rsa;
    mm_key_parts p;
    gen(c, MM_KTY_EC2, MM_CRV_P256, MM_KEY_EXTRACTABLE, &ec);
    gen(c, MM_KTY_OKP, MM_CRV_ED25519, MM_KEY_EXTRACTABLE, &ed);
    gen(c, MM_KTY_OKP, MM_CRV_X25519, 0, &x);
    gen(c, MM_KTY_OKP, MM_CRV_X25519, 0, &x2);
    gen(c, MM_KTY_SYMMETRIC, 256, MM_KEY_EXTRACTABLE, &sym);
    gen(c, MM_KTY_RSA, 2048, 0, &rsa);

    assert_int_equal(mm_key_export(&ec, MM_EXPORT_PRIVATE, &p, buf, sizeof buf), MM_OK);
    memcpy(out + n, p.x.ptr, 96); /* x, y and d are contiguous in buf */
    n += 96;
    assert_int_equal(mm_sign(c, &ec, MM_ALG_ES256, MM_BYTES_LIT("msg"), 0, out + n, cap - n, &len), MM_OK);
    n += len;
    assert_int_equal(mm_sign(c, &ed, MM_ALG_EDDSA, MM_BYTES_LIT("msg"), 0, out + n, cap - n, &len), MM_OK);
    n += len;
    assert_int_equal(mm_sign(c, &rsa, MM_ALG_PS256, MM_BYTES_LIT("msg"), 0, out + n, cap - n, &len), MM_OK);
    n += len;
    uint8_t secret[MM_ECDH_MAX];
    assert_int_equal(mm_ecdh(c, &x, &x2, secret, &len), MM_OK);
    memcpy(out + n, secret, len);
    n += len;
    uint8_t nonce[12] = {0};
    assert_int_equal(mm_aead_encrypt(c, MM_ALG_A256GCM, &sym, view(nonce, 12), MM_BYTES_LIT("aad"),
                                     MM_BYTES_LIT("plaintext"), out + n),
                     MM_OK);
    n += 9 + 16;
    assert_int_equal(mm_random(c, out + n, 40), MM_OK);
    n += 40;
    assert_true(n <= cap);
    mm_key_free(&ec);
    mm_key_free(&ed);
    mm_key_free(&x);
    mm_key_free(&x2);
    mm_key_free(&sym);
    mm_key_free(&rsa);
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
    return n;
}

static void test_determinism(void **state)
{
    (void)state;
    uint8_t a[1200];
    uint8_t b[1200];
    size_t na = transcript(a, sizeof a);
    size_t nb = transcript(b, sizeof b);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);

    /* The random stream does not depend on how it is asked for. */
    mm_crypto_test c1_inst;
    const mm_crypto *c1 = tc_new(&c1_inst, 0);
    mm_crypto_test c2_inst;
    const mm_crypto *c2 = tc_new(&c2_inst, 0);
    uint8_t r1[100];
    uint8_t r2[100];
    assert_int_equal(mm_random(c1, r1, sizeof r1), MM_OK);
    assert_int_equal(mm_random(c2, r2, 1), MM_OK);
    assert_int_equal(mm_random(c2, r2 + 1, 0), MM_OK);
    assert_int_equal(mm_random(c2, r2 + 1, 63), MM_OK);
    assert_int_equal(mm_random(c2, r2 + 64, 36), MM_OK);
    assert_memory_equal(r1, r2, sizeof r1);
    /* It moves on, and a seed selects another stream. */
    assert_int_equal(mm_random(c1, r2, sizeof r2), MM_OK);
    assert_memory_not_equal(r1, r2, sizeof r1);
    mm_crypto_test_seed(&c1_inst, 7);
    assert_int_equal(mm_random(c1, r2, sizeof r2), MM_OK);
    assert_memory_not_equal(r1, r2, sizeof r1);
    mm_crypto_test_seed(&c1_inst, 0);
    assert_int_equal(mm_random(c1, r2, sizeof r2), MM_OK);
    assert_memory_equal(r1, r2, sizeof r1);
}

/*
 * Signatures.
 */

typedef struct sig_case {
    int32_t alg;
    int32_t kty;
    int32_t crv_or_bits;
    size_t sig_len;
} sig_case;

static const sig_case sig_cases[] = {
    {MM_ALG_ES256, MM_KTY_EC2, MM_CRV_P256, 64},    {MM_ALG_ESP256, MM_KTY_EC2, MM_CRV_P256, 64},
    {MM_ALG_ES384, MM_KTY_EC2, MM_CRV_P384, 96},    {MM_ALG_ESP384, MM_KTY_EC2, MM_CRV_P384, 96},
    {MM_ALG_ES512, MM_KTY_EC2, MM_CRV_P521, 132},   {MM_ALG_ESP512, MM_KTY_EC2, MM_CRV_P521, 132},
    {MM_ALG_EDDSA, MM_KTY_OKP, MM_CRV_ED25519, 64}, {MM_ALG_ED25519, MM_KTY_OKP, MM_CRV_ED25519, 64},
    {MM_ALG_EDDSA, MM_KTY_OKP, MM_CRV_ED448, 114},  {MM_ALG_PS256, MM_KTY_RSA, 2048, 256},
    {MM_ALG_PS384, MM_KTY_RSA, 3072, 384},          {MM_ALG_PS512, MM_KTY_RSA, 4096, 512},
};

static void test_sign_verify(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    const mm_bytes msg = MM_BYTES_LIT("the manifest");
    for (size_t i = 0; i < sizeof sig_cases / sizeof sig_cases[0]; i++) {
        const sig_case *sc = &sig_cases[i];
        mm_key k, other, pub;
        uint8_t sig[MM_SIG_MAX + 1];
        uint8_t parts_buf[600];
        size_t len = 0;
        gen(c, sc->kty, sc->crv_or_bits, 0, &k);
        gen(c, sc->kty, sc->crv_or_bits, 0, &other);
        assert_int_equal(mm_sign(c, &k, sc->alg, msg, 0, sig, sizeof sig, &len), MM_OK);
        assert_int_equal(len, sc->sig_len);
        assert_int_equal(mm_verify(c, &k, sc->alg, msg, 0, view(sig, len)), MM_OK);
        if (sc->crv_or_bits == MM_CRV_P521) {
            /* r and s are 521-bit numbers in 66 bytes. */
            assert_true(sig[0] <= 1 && sig[66] <= 1);
        }

        /* The public key alone, from exported parts, verifies. */
        mm_key_parts p;
        assert_int_equal(mm_key_export(&k, 0, &p, parts_buf, sizeof parts_buf), MM_OK);
        assert_int_equal(p.d.len, 0);
        assert_int_equal(mm_key_import(c, &p, 0, &pub), MM_OK);
        assert_int_equal(pub.flags & MM_KEY_PRIVATE, 0);
        assert_int_equal(mm_verify(c, &pub, sc->alg, msg, 0, view(sig, len)), MM_OK);
        /* ...but cannot sign: mm_key_allows refuses it before the backend. */
        size_t len2 = 0;
        assert_int_equal(mm_sign(c, &pub, sc->alg, msg, 0, sig, sizeof sig, &len2), MM_ERR_KEY_USAGE);

        /* Another key, other data, a changed, shortened or longer signature. */
        assert_int_equal(mm_verify(c, &other, sc->alg, msg, 0, view(sig, len)), MM_ERR_VERIFY);
        assert_int_equal(mm_verify(c, &k, sc->alg, MM_BYTES_LIT("the manifesT"), 0, view(sig, len)), MM_ERR_VERIFY);
        const size_t flips[] = {0, len / 2, len - 1};
        for (size_t f = 0; f < 3; f++) {
            sig[flips[f]] ^= 0x01;
            assert_int_equal(mm_verify(c, &pub, sc->alg, msg, 0, view(sig, len)), MM_ERR_VERIFY);
            sig[flips[f]] ^= 0x01;
        }
        assert_int_equal(mm_verify(c, &pub, sc->alg, msg, 0, view(sig, len - 1)), MM_ERR_VERIFY);
        assert_int_equal(mm_verify(c, &pub, sc->alg, msg, 0, view(sig, 0)), MM_ERR_VERIFY);
        sig[len] = 0;
        assert_int_equal(mm_verify(c, &pub, sc->alg, msg, 0, view(sig, len + 1)), MM_ERR_VERIFY);
        assert_int_equal(mm_verify(c, &pub, sc->alg, msg, 0, view(sig, len)), MM_OK);

        /* Too small a buffer says how much is needed. */
        assert_int_equal(mm_sign(c, &k, sc->alg, msg, 0, sig, len - 1, &len2), MM_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(len2, len);

        /* Signing is deterministic. */
        uint8_t again[MM_SIG_MAX];
        assert_int_equal(mm_sign(c, &k, sc->alg, msg, 0, again, sizeof again, &len2), MM_OK);
        assert_memory_equal(again, sig, len);

        mm_key_free(&k);
        mm_key_free(&other);
        mm_key_free(&pub);
    }
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
}

static void test_sign_alg_rules(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    const mm_bytes msg = MM_BYTES_LIT("payload");
    uint8_t sig[MM_SIG_MAX];
    uint8_t sig2[MM_SIG_MAX];
    size_t len = 0;
    size_t len2 = 0;
    mm_key ec, ed, x, rsa;
    gen(c, MM_KTY_EC2, MM_CRV_P256, 0, &ec);
    gen(c, MM_KTY_OKP, MM_CRV_ED25519, 0, &ed);
    gen(c, MM_KTY_OKP, MM_CRV_X25519, 0, &x);
    gen(c, MM_KTY_RSA, 2048, 0, &rsa);

    /* ES256 and ESP256 (and EdDSA and Ed25519) are one operation. */
    assert_int_equal(mm_sign(c, &ec, MM_ALG_ES256, msg, 0, sig, sizeof sig, &len), MM_OK);
    assert_int_equal(mm_verify(c, &ec, MM_ALG_ESP256, msg, 0, view(sig, len)), MM_OK);
    assert_int_equal(mm_sign(c, &ed, MM_ALG_ED25519, msg, 0, sig, sizeof sig, &len), MM_OK);
    assert_int_equal(mm_verify(c, &ed, MM_ALG_EDDSA, msg, 0, view(sig, len)), MM_OK);

    /* Signing a message equals signing its digest with MM_SIG_PREHASHED. */
    static const struct {
        int32_t alg;
        int32_t hash;
    } pre[] = {{MM_ALG_ES256, MM_ALG_SHA256}, {MM_ALG_PS256, MM_ALG_SHA256}, {MM_ALG_PS512, MM_ALG_SHA512}};
    for (size_t i = 0; i < 3; i++) {
        const mm_key *k = pre[i].alg == MM_ALG_ES256 ? &ec : &rsa;
        uint8_t digest[MM_HASH_MAX];
        size_t dlen = 0;
        assert_int_equal(mm_hash(c, pre[i].hash, msg, digest, &dlen), MM_OK);
        assert_int_equal(mm_sign(c, k, pre[i].alg, msg, 0, sig, sizeof sig, &len), MM_OK);
        assert_int_equal(mm_sign(c, k, pre[i].alg, view(digest, dlen), MM_SIG_PREHASHED, sig2, sizeof sig2, &len2),
                         MM_OK);
        assert_int_equal(len, len2);
        assert_memory_equal(sig, sig2, len);
        assert_int_equal(mm_verify(c, k, pre[i].alg, view(digest, dlen), MM_SIG_PREHASHED, view(sig, len)), MM_OK);
        /* A digest of the wrong length is a misuse. */
        assert_int_equal(mm_verify(c, k, pre[i].alg, view(digest, dlen - 1), MM_SIG_PREHASHED, view(sig, len)),
                         MM_ERR_INVALID_ARG);
        /* The prehashed bytes are not the message. */
        assert_int_equal(mm_verify(c, k, pre[i].alg, view(digest, dlen), 0, view(sig, len)), MM_ERR_VERIFY);
    }
    assert_int_equal(mm_sign(c, &ed, MM_ALG_EDDSA, view(sig, 64), MM_SIG_PREHASHED, sig2, sizeof sig2, &len2),
                     MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_sign(c, &ec, MM_ALG_ES256, msg, 0x80, sig, sizeof sig, &len), MM_ERR_INVALID_ARG);

    /* Keys sign only the algorithms they fit. */
    assert_int_equal(mm_sign(c, &ec, MM_ALG_ES384, msg, 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_sign(c, &ec, MM_ALG_EDDSA, msg, 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_sign(c, &x, MM_ALG_EDDSA, msg, 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_sign(c, &ec, MM_ALG_HMAC256, msg, 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);

    /* A key restricted to one algorithm keeps to it. */
    mm_key es;
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ESP256, 0, &es), MM_OK);
    assert_int_equal(es.alg, MM_ALG_ESP256);
    assert_int_equal(mm_sign(c, &es, MM_ALG_ES256, msg, 0, sig, sizeof sig, &len), MM_OK);
    mm_key_free(&es);
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES384, 0, &es), MM_ERR_INVALID_ARG);
    assert_null(es.crypto);

    mm_key_free(&ec);
    mm_key_free(&ed);
    mm_key_free(&x);
    mm_key_free(&rsa);
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
}

static void test_accept_any(void **state)
{
    (void)state;
    mm_crypto_test strict_inst;
    const mm_crypto *strict = tc_new(&strict_inst, 0);
    mm_crypto_test lax_inst;
    const mm_crypto *lax = tc_new(&lax_inst, MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE | MM_CRYPTO_TEST_ACCEPT_ANY_TAG);
    mm_crypto_test sig_only_inst;
    const mm_crypto *sig_only = tc_new(&sig_only_inst, MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE);
    uint8_t junk[MM_SIG_MAX];
    memset(junk, 0x5a, sizeof junk);
    const mm_bytes msg = MM_BYTES_LIT("fuzzed");

    mm_key s, l, o;
    gen(strict, MM_KTY_EC2, MM_CRV_P384, 0, &s);
    gen(lax, MM_KTY_EC2, MM_CRV_P384, 0, &l);
    gen(sig_only, MM_KTY_EC2, MM_CRV_P384, 0, &o);
    assert_int_equal(mm_verify(strict, &s, MM_ALG_ES384, msg, 0, view(junk, 96)), MM_ERR_VERIFY);
    assert_int_equal(mm_verify(lax, &l, MM_ALG_ES384, msg, 0, view(junk, 96)), MM_OK);
    /* The length still has to be right. */
    assert_int_equal(mm_verify(lax, &l, MM_ALG_ES384, msg, 0, view(junk, 95)), MM_ERR_VERIFY);
    assert_int_equal(mm_verify(lax, &l, MM_ALG_ES384, msg, 0, view(junk, 64)), MM_ERR_VERIFY);
    /* And the key still has to fit the algorithm. */
    assert_int_equal(mm_verify(lax, &l, MM_ALG_ES256, msg, 0, view(junk, 64)), MM_ERR_KEY_USAGE);

    /* AEAD and key unwrap skip their checks only with ACCEPT_ANY_TAG. */
    mm_key ks, kl, ko;
    sym_key(strict, 16, 0, &ks);
    sym_key(lax, 16, 0, &kl);
    sym_key(sig_only, 16, 0, &ko);
    uint8_t nonce[12] = {1};
    uint8_t out[64];
    assert_int_equal(mm_aead_decrypt(strict, MM_ALG_A128GCM, &ks, view(nonce, 12), view(NULL, 0), view(junk, 40), out),
                     MM_ERR_VERIFY);
    assert_int_equal(
        mm_aead_decrypt(sig_only, MM_ALG_A128GCM, &ko, view(nonce, 12), view(NULL, 0), view(junk, 40), out),
        MM_ERR_VERIFY);
    assert_int_equal(mm_aead_decrypt(lax, MM_ALG_A128GCM, &kl, view(nonce, 12), view(NULL, 0), view(junk, 40), out),
                     MM_OK);
    assert_int_equal(mm_aead_decrypt(lax, MM_ALG_A128GCM, &kl, view(nonce, 12), view(NULL, 0), view(junk, 15), out),
                     MM_ERR_VERIFY); /* shorter than a tag */
    assert_int_equal(mm_key_unwrap(strict, &ks, view(junk, 24), out), MM_ERR_VERIFY);
    assert_int_equal(mm_key_unwrap(sig_only, &ko, view(junk, 24), out), MM_ERR_VERIFY);
    assert_int_equal(mm_key_unwrap(lax, &kl, view(junk, 24), out), MM_OK);

    /* Accepting anything does not change what is produced. */
    uint8_t sig_s[96];
    uint8_t sig_l[96];
    size_t len = 0;
    mm_key_free(&s);
    mm_key_free(&l);
    mm_key_free(&o);
    mm_key_free(&ks);
    mm_key_free(&kl);
    mm_key_free(&ko);
    mm_crypto_test_init(&strict_inst, 0);
    mm_crypto_test_init(&lax_inst, MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE);
    gen(strict, MM_KTY_EC2, MM_CRV_P384, 0, &s);
    gen(lax, MM_KTY_EC2, MM_CRV_P384, 0, &l);
    assert_int_equal(mm_sign(strict, &s, MM_ALG_ES384, msg, 0, sig_s, sizeof sig_s, &len), MM_OK);
    assert_int_equal(mm_sign(lax, &l, MM_ALG_ES384, msg, 0, sig_l, sizeof sig_l, &len), MM_OK);
    assert_memory_equal(sig_s, sig_l, sizeof sig_s);
}

/*
 * ECDH.
 */

static void test_ecdh(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    static const struct {
        int32_t kty;
        int32_t crv;
        size_t len;
    } curves[] = {{MM_KTY_EC2, MM_CRV_P256, 32},
                  {MM_KTY_EC2, MM_CRV_P384, 48},
                  {MM_KTY_EC2, MM_CRV_P521, 66},
                  {MM_KTY_OKP, MM_CRV_X25519, 32},
                  {MM_KTY_OKP, MM_CRV_X448, 56}};
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        mm_key a, b, e, b_pub;
        gen(c, curves[i].kty, curves[i].crv, 0, &a);
        gen(c, curves[i].kty, curves[i].crv, 0, &b);
        gen(c, curves[i].kty, curves[i].crv, 0, &e);
        uint8_t ab[MM_ECDH_MAX], ba[MM_ECDH_MAX], ae[MM_ECDH_MAX], ab2[MM_ECDH_MAX];
        size_t n1 = 0, n2 = 0, n3 = 0, n4 = 0;
        assert_int_equal(mm_ecdh(c, &a, &b, ab, &n1), MM_OK);
        assert_int_equal(mm_ecdh(c, &b, &a, ba, &n2), MM_OK);
        assert_int_equal(mm_ecdh(c, &a, &e, ae, &n3), MM_OK);
        assert_int_equal(n1, curves[i].len);
        assert_int_equal(n2, n1);
        assert_int_equal(n3, n1);
        assert_memory_equal(ab, ba, n1);
        assert_memory_not_equal(ab, ae, n1);
        if (curves[i].crv == MM_CRV_P521) {
            assert_true(ab[0] <= 1);
        }
        /* With the peer's public key from its exported parts. */
        uint8_t buf[200];
        mm_key_parts p;
        assert_int_equal(mm_key_export(&b, 0, &p, buf, sizeof buf), MM_OK);
        assert_int_equal(mm_key_import(c, &p, 0, &b_pub), MM_OK);
        assert_int_equal(mm_ecdh(c, &a, &b_pub, ab2, &n4), MM_OK);
        assert_int_equal(n4, n1);
        assert_memory_equal(ab2, ab, n1);
        /* A public key has nothing to agree with. */
        assert_int_equal(mm_ecdh(c, &b_pub, &a, ab2, &n4), MM_ERR_KEY_USAGE);
        mm_key_free(&a);
        mm_key_free(&b);
        mm_key_free(&e);
        mm_key_free(&b_pub);
    }
    /* Mismatched curves and signing-only curves are refused by the wrapper. */
    mm_key p256, p384, ed, ed2;
    uint8_t s[MM_ECDH_MAX];
    size_t n = 0;
    gen(c, MM_KTY_EC2, MM_CRV_P256, 0, &p256);
    gen(c, MM_KTY_EC2, MM_CRV_P384, 0, &p384);
    gen(c, MM_KTY_OKP, MM_CRV_ED25519, 0, &ed);
    gen(c, MM_KTY_OKP, MM_CRV_ED25519, 0, &ed2);
    assert_int_equal(mm_ecdh(c, &p256, &p384, s, &n), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_ecdh(c, &ed, &ed2, s, &n), MM_ERR_KEY_USAGE);
    mm_key_free(&p256);
    mm_key_free(&p384);
    mm_key_free(&ed);
    mm_key_free(&ed2);
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
}

/*
 * AEAD, CTR and key wrap.
 */

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

static void test_aead(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    static const struct {
        int32_t alg;
        size_t key_len;
    } algs[] = {{MM_ALG_A128GCM, 16}, {MM_ALG_A192GCM, 24}, {MM_ALG_A256GCM, 32}, {MM_ALG_CHACHA20_POLY1305, 32}};
    const mm_bytes pt = MM_BYTES_LIT("firmware image bytes, forty-one of them!");
    const mm_bytes aad = MM_BYTES_LIT("Enc_structure");
    uint8_t nonce[12];
    memset(nonce, 0x24, sizeof nonce);
    uint8_t first_ct[64];
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        mm_key k, k2;
        sym_key(c, algs[i].key_len, 0, &k);
        sym_key(c, algs[i].key_len, 1, &k2);
        uint8_t ct[80];
        uint8_t out[80];
        size_t ct_len = pt.len + 16;
        assert_int_equal(mm_aead_encrypt(c, algs[i].alg, &k, view(nonce, 12), aad, pt, ct), MM_OK);
        assert_memory_not_equal(ct, pt.ptr, pt.len);
        if (i == 0) {
            memcpy(first_ct, ct, pt.len);
        } else {
            assert_memory_not_equal(ct, first_ct, pt.len); /* the algorithm is part of the stream */
        }
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(ct, ct_len), out), MM_OK);
        assert_memory_equal(out, pt.ptr, pt.len);

        /* Every single-byte change of ciphertext or tag is refused and the
         * output wiped. */
        for (size_t j = 0; j < ct_len; j++) {
            ct[j] ^= 0x80;
            memset(out, 0xee, sizeof out);
            assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(ct, ct_len), out),
                             MM_ERR_VERIFY);
            assert_true(all_zero(out, pt.len));
            ct[j] ^= 0x80;
        }
        /* Other aad, nonce, key or algorithm; a truncated input. */
        memset(out, 0xee, sizeof out);
        assert_int_equal(
            mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), MM_BYTES_LIT("Enc_structurE"), view(ct, ct_len), out),
            MM_ERR_VERIFY);
        assert_true(all_zero(out, pt.len));
        nonce[11] ^= 1;
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(ct, ct_len), out),
                         MM_ERR_VERIFY);
        nonce[11] ^= 1;
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k2, view(nonce, 12), aad, view(ct, ct_len), out),
                         MM_ERR_VERIFY);
        if (algs[i].alg == MM_ALG_A256GCM) {
            assert_int_equal(
                mm_aead_decrypt(c, MM_ALG_CHACHA20_POLY1305, &k, view(nonce, 12), aad, view(ct, ct_len), out),
                MM_ERR_VERIFY);
        }
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(ct, ct_len - 1), out),
                         MM_ERR_VERIFY);
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(ct, 15), NULL), MM_ERR_VERIFY);
        /* Nonces are 12 bytes. */
        assert_int_equal(mm_aead_encrypt(c, algs[i].alg, &k, view(nonce, 8), aad, pt, ct), MM_ERR_INVALID_ARG);

        /* In place, and an empty plaintext (just a tag). */
        uint8_t buf[80];
        memcpy(buf, pt.ptr, pt.len);
        assert_int_equal(mm_aead_encrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(buf, pt.len), buf), MM_OK);
        assert_memory_equal(buf, ct, ct_len);
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(buf, ct_len), buf), MM_OK);
        assert_memory_equal(buf, pt.ptr, pt.len);
        assert_int_equal(mm_aead_encrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(NULL, 0), buf), MM_OK);
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(buf, 16), NULL), MM_OK);
        buf[0] ^= 1;
        assert_int_equal(mm_aead_decrypt(c, algs[i].alg, &k, view(nonce, 12), aad, view(buf, 16), NULL), MM_ERR_VERIFY);
        mm_key_free(&k);
        mm_key_free(&k2);
    }
    /* A key of the wrong size for the algorithm never reaches the backend. */
    mm_key k;
    uint8_t ct[80];
    sym_key(c, 16, 0, &k);
    assert_int_equal(mm_aead_encrypt(c, MM_ALG_A256GCM, &k, view(nonce, 12), aad, pt, ct), MM_ERR_KEY_USAGE);
    mm_key_free(&k);
}

static void test_ctr(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    static const struct {
        int32_t alg;
        size_t key_len;
    } algs[] = {{MM_ALG_A128CTR, 16}, {MM_ALG_A192CTR, 24}, {MM_ALG_A256CTR, 32}};
    uint8_t pt[100];
    assert_int_equal(mm_random(c, pt, sizeof pt), MM_OK);
    uint8_t iv[16];
    memset(iv, 0, sizeof iv);
    iv[15] = 0xfe; /* the counter carries into byte 14 after two blocks */
    for (size_t i = 0; i < 3; i++) {
        mm_key k;
        mm_crypto_ctx ctx;
        uint8_t whole[100];
        uint8_t part[100];
        sym_key(c, algs[i].key_len, 3, &k);
        assert_int_equal(mm_ctr_init(c, &ctx, algs[i].alg, &k, iv), MM_OK);
        assert_int_equal(mm_ctr_update(c, &ctx, view(pt, sizeof pt), whole), MM_OK);
        mm_ctr_end(c, &ctx);
        assert_memory_not_equal(whole, pt, sizeof pt);
        for (size_t split = 0; split <= sizeof pt; split++) {
            assert_int_equal(mm_ctr_init(c, &ctx, algs[i].alg, &k, iv), MM_OK);
            assert_int_equal(mm_ctr_update(c, &ctx, view(pt, split), part), MM_OK);
            assert_int_equal(mm_ctr_update(c, &ctx, view(pt + split, sizeof pt - split), part + split), MM_OK);
            mm_ctr_end(c, &ctx);
            assert_memory_equal(part, whole, sizeof pt);
        }
        /* Decryption is the same operation. */
        assert_int_equal(mm_ctr_init(c, &ctx, algs[i].alg, &k, iv), MM_OK);
        assert_int_equal(mm_ctr_update(c, &ctx, view(whole, sizeof whole), part), MM_OK);
        mm_ctr_end(c, &ctx);
        assert_memory_equal(part, pt, sizeof pt);
        /* Starting at iv + 2 gives the stream from byte 32 on: the counter
         * is a 128-bit big-endian number, carry included. */
        uint8_t iv2[16];
        memcpy(iv2, iv, 16);
        iv2[15] = 0x00;
        iv2[14] = 0x01;
        assert_int_equal(mm_ctr_init(c, &ctx, algs[i].alg, &k, iv2), MM_OK);
        assert_int_equal(mm_ctr_update(c, &ctx, view(pt + 32, sizeof pt - 32), part), MM_OK);
        mm_ctr_end(c, &ctx);
        assert_memory_equal(part, whole + 32, sizeof pt - 32);
        mm_key_free(&k);
    }
    /* The counter wraps at 2^128. */
    mm_key k;
    mm_crypto_ctx ctx;
    uint8_t a[32];
    uint8_t b[16];
    uint8_t zero[32] = {0};
    uint8_t ones[16];
    memset(ones, 0xff, sizeof ones);
    sym_key(c, 16, 0, &k);
    assert_int_equal(mm_ctr_init(c, &ctx, MM_ALG_A128CTR, &k, ones), MM_OK);
    assert_int_equal(mm_ctr_update(c, &ctx, view(zero, 32), a), MM_OK);
    mm_ctr_end(c, &ctx);
    assert_int_equal(mm_ctr_init(c, &ctx, MM_ALG_A128CTR, &k, zero), MM_OK);
    assert_int_equal(mm_ctr_update(c, &ctx, view(zero, 16), b), MM_OK);
    mm_ctr_end(c, &ctx);
    assert_memory_equal(a + 16, b, 16);
    /* A CTR context is not a hash context. */
    assert_int_equal(mm_ctr_init(c, &ctx, MM_ALG_A128CTR, &k, zero), MM_OK);
    assert_int_equal(mm_hash_update(c, &ctx, view(zero, 1)), MM_ERR_STATE);
    mm_ctr_end(c, &ctx);
    /* A key of the wrong size. */
    assert_int_equal(mm_ctr_init(c, &ctx, MM_ALG_A256CTR, &k, zero), MM_ERR_KEY_USAGE);
    mm_key_free(&k);
}

static void test_key_wrap(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    uint8_t cek[32];
    for (size_t i = 0; i < sizeof cek; i++) {
        cek[i] = (uint8_t)(0x10 + i);
    }
    static const size_t kek_lens[] = {16, 24, 32};
    for (size_t i = 0; i < 3; i++) {
        mm_key kek, other;
        sym_key(c, kek_lens[i], 0, &kek);
        sym_key(c, kek_lens[i], 9, &other);
        for (size_t n = 16; n <= sizeof cek; n += 8) {
            uint8_t wrapped[40];
            uint8_t out[40];
            assert_int_equal(mm_key_wrap(c, &kek, view(cek, n), wrapped), MM_OK);
            assert_memory_not_equal(wrapped + 8, cek, n);
            assert_int_equal(mm_key_unwrap(c, &kek, view(wrapped, n + 8), out), MM_OK);
            assert_memory_equal(out, cek, n);
            /* Another KEK, or any byte changed. */
            memset(out, 0xee, sizeof out);
            assert_int_equal(mm_key_unwrap(c, &other, view(wrapped, n + 8), out), MM_ERR_VERIFY);
            assert_true(all_zero(out, n));
            for (size_t j = 0; j < n + 8; j++) {
                wrapped[j] ^= 0x04;
                memset(out, 0xee, sizeof out);
                assert_int_equal(mm_key_unwrap(c, &kek, view(wrapped, n + 8), out), MM_ERR_VERIFY);
                assert_true(all_zero(out, n));
                wrapped[j] ^= 0x04;
            }
            /* A truncated wrapped key is refused. */
            assert_int_equal(mm_key_unwrap(c, &kek, view(wrapped, n), out), MM_ERR_VERIFY);
            /* In place both ways. */
            uint8_t buf[40];
            memcpy(buf, cek, n);
            assert_int_equal(mm_key_wrap(c, &kek, view(buf, n), buf), MM_OK);
            assert_memory_equal(buf, wrapped, n + 8);
            assert_int_equal(mm_key_unwrap(c, &kek, view(buf, n + 8), buf), MM_OK);
            assert_memory_equal(buf, cek, n);
        }
        uint8_t w[40];
        assert_int_equal(mm_key_wrap(c, &kek, view(cek, 12), w), MM_ERR_INVALID_ARG);
        assert_int_equal(mm_key_wrap(c, &kek, view(cek, 8), w), MM_ERR_INVALID_ARG);
        mm_key_free(&kek);
        mm_key_free(&other);
    }
    /* A KEK that is not an AES key size. */
    mm_key odd;
    uint8_t w[40];
    sym_key(c, 20, 0, &odd);
    assert_int_equal(mm_key_wrap(c, &odd, view(cek, 16), w), MM_ERR_INVALID_ARG);
    mm_key_free(&odd);
}

/*
 * Keys: import, export, the pool, ownership.
 */

static void test_export_import(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    static const struct {
        int32_t kty;
        int32_t crv;
        size_t coord;
        size_t d_len;
        int32_t alg; /* a signature alg, or 0 for ECDH-only curves */
    } curves[] = {{MM_KTY_EC2, MM_CRV_P256, 32, 32, MM_ALG_ES256},
                  {MM_KTY_EC2, MM_CRV_P384, 48, 48, MM_ALG_ES384},
                  {MM_KTY_EC2, MM_CRV_P521, 66, 66, MM_ALG_ES512},
                  {MM_KTY_OKP, MM_CRV_ED25519, 32, 32, MM_ALG_EDDSA},
                  {MM_KTY_OKP, MM_CRV_ED448, 57, 57, MM_ALG_EDDSA},
                  {MM_KTY_OKP, MM_CRV_X25519, 32, 32, 0},
                  {MM_KTY_OKP, MM_CRV_X448, 56, 56, 0}};
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        mm_key k, from_d, from_pub;
        uint8_t buf[300];
        uint8_t buf2[300];
        mm_key_parts p, p2;
        gen(c, curves[i].kty, curves[i].crv, MM_KEY_EXTRACTABLE, &k);
        assert_int_equal(k.kty, curves[i].kty);
        assert_int_equal(k.crv, curves[i].crv);
        assert_int_equal(k.flags, MM_KEY_PRIVATE | MM_KEY_EXTRACTABLE);
        assert_ptr_equal(k.crypto, c);

        assert_int_equal(mm_key_export(&k, MM_EXPORT_PRIVATE, &p, buf, sizeof buf), MM_OK);
        assert_int_equal(p.kty, curves[i].kty);
        assert_int_equal(p.crv, curves[i].crv);
        assert_int_equal(p.x.len, curves[i].coord);
        assert_int_equal(p.y.len, curves[i].kty == MM_KTY_EC2 ? curves[i].coord : 0);
        assert_int_equal(p.d.len, curves[i].d_len);
        if (curves[i].crv == MM_CRV_P521) {
            assert_true(p.x.ptr[0] <= 1 && p.y.ptr[0] <= 1 && p.d.ptr[0] <= 1);
        }
        /* Exactly the size needed, and one byte less. */
        size_t need = p.x.len + p.y.len + p.d.len;
        assert_int_equal(mm_key_export(&k, MM_EXPORT_PRIVATE, &p2, buf2, need), MM_OK);
        assert_int_equal(mm_key_export(&k, MM_EXPORT_PRIVATE, &p2, buf2, need - 1), MM_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(mm_key_export(&k, 0, &p2, NULL, 0), MM_ERR_BUFFER_TOO_SMALL);

        /* d alone gives the same key; d with its own x (and y) too. */
        mm_key_parts only_d = {.kty = p.kty, .crv = p.crv, .d = p.d};
        assert_int_equal(mm_key_import(c, &only_d, MM_KEY_EXTRACTABLE, &from_d), MM_OK);
        assert_int_equal(mm_key_export(&from_d, MM_EXPORT_PRIVATE, &p2, buf2, sizeof buf2), MM_OK);
        assert_memory_equal(buf2, buf, need);
        mm_key_free(&from_d);
        assert_int_equal(mm_key_import(c, &p, 0, &from_d), MM_OK);
        assert_int_equal(from_d.flags, MM_KEY_PRIVATE);
        /* ...not extractable when not asked for. */
        assert_int_equal(mm_key_export(&from_d, MM_EXPORT_PRIVATE, &p2, buf2, sizeof buf2), MM_ERR_INVALID_ARG);
        mm_key_free(&from_d);
        /* d with an x that is not d's. */
        uint8_t bad_x[66];
        memcpy(bad_x, p.x.ptr, p.x.len);
        bad_x[p.x.len - 1] ^= 1;
        mm_key_parts wrong = p;
        wrong.x = view(bad_x, p.x.len);
        assert_int_equal(mm_key_import(c, &wrong, 0, &from_d), MM_ERR_INVALID_ARG);
        assert_null(from_d.crypto);

        /* The public parts alone: the same identity (same signatures, same
         * ECDH), no private material. */
        mm_key_parts pub = p;
        pub.d = view(NULL, 0);
        assert_int_equal(mm_key_import(c, &pub, 0, &from_pub), MM_OK);
        assert_int_equal(from_pub.flags, 0);
        assert_int_equal(mm_key_export(&from_pub, 0, &p2, buf2, sizeof buf2), MM_OK);
        assert_int_equal(p2.x.len, p.x.len);
        assert_memory_equal(p2.x.ptr, p.x.ptr, p.x.len);
        assert_int_equal(mm_key_export(&from_pub, MM_EXPORT_PRIVATE, &p2, buf2, sizeof buf2), MM_ERR_INVALID_ARG);
        if (curves[i].alg != 0) {
            uint8_t sig[MM_SIG_MAX];
            size_t len = 0;
            assert_int_equal(mm_sign(c, &k, curves[i].alg, MM_BYTES_LIT("m"), 0, sig, sizeof sig, &len), MM_OK);
            assert_int_equal(mm_verify(c, &from_pub, curves[i].alg, MM_BYTES_LIT("m"), 0, view(sig, len)), MM_OK);
        }
        mm_key_free(&from_pub);

        /* Malformed parts: wrong sizes, missing y, a stray k. */
        mm_key_parts bad = pub;
        bad.x = view(p.x.ptr, p.x.len - 1);
        assert_int_equal(mm_key_import(c, &bad, 0, &from_pub), MM_ERR_INVALID_ARG);
        bad = only_d;
        bad.d = view(p.d.ptr, p.d.len - 1);
        assert_int_equal(mm_key_import(c, &bad, 0, &from_pub), MM_ERR_INVALID_ARG);
        bad = pub;
        bad.k = p.x;
        assert_int_equal(mm_key_import(c, &bad, 0, &from_pub), MM_ERR_INVALID_ARG);
        if (curves[i].kty == MM_KTY_EC2) {
            bad = pub;
            bad.y = view(NULL, 0);
            assert_int_equal(mm_key_import(c, &bad, 0, &from_pub), MM_ERR_INVALID_ARG);
        }
        mm_key_free(&k);
    }
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
}

static void test_export_import_other_types(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    uint8_t buf[600];
    uint8_t buf2[600];
    mm_key_parts p, p2;

    /* Symmetric: k only with MM_EXPORT_PRIVATE and MM_KEY_EXTRACTABLE. */
    mm_key s, s2;
    gen(c, MM_KTY_SYMMETRIC, 192, MM_KEY_EXTRACTABLE, &s);
    assert_int_equal(s.bits, 192);
    assert_int_equal(s.flags, MM_KEY_PRIVATE | MM_KEY_EXTRACTABLE);
    assert_int_equal(mm_key_export(&s, 0, &p, buf, sizeof buf), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_key_export(&s, MM_EXPORT_PRIVATE, &p, buf, sizeof buf), MM_OK);
    assert_int_equal(p.kty, MM_KTY_SYMMETRIC);
    assert_int_equal(p.k.len, 24);
    assert_int_equal(mm_key_import(c, &p, 0, &s2), MM_OK);
    assert_int_equal(s2.flags, MM_KEY_PRIVATE);
    assert_int_equal(s2.bits, 192);
    uint8_t w1[32], w2[32];
    assert_int_equal(mm_key_wrap(c, &s, view(buf, 24), w1), MM_OK);
    assert_int_equal(mm_key_unwrap(c, &s2, view(w1, 32), w2), MM_OK);
    assert_memory_equal(w2, buf, 24);
    assert_int_equal(mm_key_export(&s2, MM_EXPORT_PRIVATE, &p2, buf2, sizeof buf2), MM_ERR_INVALID_ARG);
    mm_key_free(&s);
    mm_key_free(&s2);
    mm_key_parts too_big = {.kty = MM_KTY_SYMMETRIC, .k = view(buf, MM_CRYPTO_TEST_KEY_MAX + 1)};
    assert_int_equal(mm_key_import(c, &too_big, 0, &s), MM_ERR_TOO_LARGE);
    mm_key_parts empty_k = {.kty = MM_KTY_SYMMETRIC};
    assert_int_equal(mm_key_import(c, &empty_k, 0, &s), MM_ERR_INVALID_ARG);

    /* RSA: n, e and the seed as d; the public parts alone verify. */
    mm_key r, r_pub, r_again;
    uint8_t sig[MM_SIG_MAX];
    size_t len = 0;
    gen(c, MM_KTY_RSA, 3072, MM_KEY_EXTRACTABLE, &r);
    assert_int_equal(r.bits, 3072);
    assert_int_equal(mm_key_export(&r, MM_EXPORT_PRIVATE, &p, buf, sizeof buf), MM_OK);
    assert_int_equal(p.n.len, 384);
    assert_true((p.n.ptr[0] & 0x80) != 0);
    assert_int_equal(p.e.len, 3);
    assert_memory_equal(p.e.ptr, "\x01\x00\x01", 3);
    assert_true(p.d.len > 0);
    assert_int_equal(mm_sign(c, &r, MM_ALG_PS384, MM_BYTES_LIT("m"), 0, sig, sizeof sig, &len), MM_OK);
    assert_int_equal(len, 384);
    assert_true(memcmp(sig, p.n.ptr, len) < 0); /* below the modulus */
    mm_key_parts pub = {.kty = MM_KTY_RSA, .n = p.n, .e = p.e};
    assert_int_equal(mm_key_import(c, &pub, 0, &r_pub), MM_OK);
    assert_int_equal(r_pub.bits, 3072);
    assert_int_equal(mm_verify(c, &r_pub, MM_ALG_PS384, MM_BYTES_LIT("m"), 0, view(sig, len)), MM_OK);
    /* A leading zero in e names the same number. */
    uint8_t e4[4] = {0, 1, 0, 1};
    mm_key_parts pub4 = pub;
    pub4.e = view(e4, 4);
    mm_key r_pub4;
    assert_int_equal(mm_key_import(c, &pub4, 0, &r_pub4), MM_OK);
    assert_int_equal(mm_verify(c, &r_pub4, MM_ALG_PS384, MM_BYTES_LIT("m"), 0, view(sig, len)), MM_OK);
    mm_key_free(&r_pub4);
    /* Only a digest of an imported public RSA key is kept. */
    assert_int_equal(mm_key_export(&r_pub, 0, &p2, buf2, sizeof buf2), MM_ERR_UNSUPPORTED);
    /* The seed and n together give the private key again. */
    mm_key_parts priv = {.kty = MM_KTY_RSA, .n = p.n, .d = p.d};
    assert_int_equal(mm_key_import(c, &priv, 0, &r_again), MM_OK);
    assert_int_equal(r_again.flags, MM_KEY_PRIVATE);
    assert_int_equal(mm_sign(c, &r_again, MM_ALG_PS384, MM_BYTES_LIT("m"), 0, buf2, sizeof buf2, &len), MM_OK);
    assert_memory_equal(buf2, sig, len);
    mm_key_free(&r_again);
    /* ...but not with a modulus that is not the seed's. */
    uint8_t n2[384];
    memcpy(n2, p.n.ptr, sizeof n2);
    n2[100] ^= 1;
    priv.n = view(n2, sizeof n2);
    assert_int_equal(mm_key_import(c, &priv, 0, &r_again), MM_ERR_INVALID_ARG);
    /* A modulus smaller than 1024 bits is not supported; a leading zero byte
     * is malformed. */
    mm_key_parts small = {.kty = MM_KTY_RSA, .n = view(p.n.ptr, 64), .e = p.e};
    assert_int_equal(mm_key_import(c, &small, 0, &r_again), MM_ERR_UNSUPPORTED);
    n2[0] = 0;
    mm_key_parts lead = {.kty = MM_KTY_RSA, .n = view(n2, sizeof n2), .e = p.e};
    assert_int_equal(mm_key_import(c, &lead, 0, &r_again), MM_ERR_INVALID_ARG);
    mm_key_free(&r);
    mm_key_free(&r_pub);
    /* RSA keys below 2048 bits exist, but mm_key_allows refuses PSS with them. */
    gen(c, MM_KTY_RSA, 1024, 0, &r);
    assert_int_equal(mm_sign(c, &r, MM_ALG_PS256, MM_BYTES_LIT("m"), 0, sig, sizeof sig, &len), MM_ERR_KEY_USAGE);
    mm_key_free(&r);

    /* Import restricted to an algorithm the key does not fit. */
    mm_key_parts hs = {.kty = MM_KTY_SYMMETRIC, .alg = MM_ALG_A256GCM, .k = view(buf, 16)};
    assert_int_equal(mm_key_import(c, &hs, 0, &s), MM_ERR_INVALID_ARG);
    hs.alg = MM_ALG_A128GCM;
    assert_int_equal(mm_key_import(c, &hs, 0, &s), MM_OK);
    assert_int_equal(s.alg, MM_ALG_A128GCM);
    mm_key_free(&s);

    /* Types and curves the backend does not have; unknown flags. */
    mm_key x;
    assert_int_equal(mm_key_generate(c, MM_KTY_HSS_LMS, 0, 0, 0, &x), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, MM_CRV_X25519, 0, 0, &x), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, 99, 0, 0, &x), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(c, MM_KTY_SYMMETRIC, 100, 0, 0, &x), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(c, MM_KTY_RSA, 8192, 0, 0, &x), MM_ERR_UNSUPPORTED);
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, 0, 0x100, &x), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
}

static void test_key_pool(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    mm_key keys[MM_CRYPTO_TEST_KEY_SLOTS + 1];
    for (size_t i = 0; i < MM_CRYPTO_TEST_KEY_SLOTS; i++) {
        gen(c, MM_KTY_SYMMETRIC, 128, 0, &keys[i]);
    }
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), MM_CRYPTO_TEST_KEY_SLOTS);
    assert_int_equal(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, 0, 0, &keys[MM_CRYPTO_TEST_KEY_SLOTS]),
                     MM_ERR_TOO_LARGE);
    mm_key_parts p = {.kty = MM_KTY_SYMMETRIC, .k = MM_BYTES_LIT("0123456789abcdef")};
    assert_int_equal(mm_key_import(c, &p, 0, &keys[MM_CRYPTO_TEST_KEY_SLOTS]), MM_ERR_TOO_LARGE);
    assert_null(keys[MM_CRYPTO_TEST_KEY_SLOTS].crypto);

    /* Freeing one makes room; the freed handle is dead. */
    mm_key stale = keys[5];
    mm_key_free(&keys[5]);
    assert_null(keys[5].crypto);
    mm_key_free(&keys[5]); /* freeing twice is harmless */
    uint8_t nonce[12] = {0};
    uint8_t out[32];
    assert_int_equal(mm_aead_encrypt(c, MM_ALG_A128GCM, &stale, view(nonce, 12), view(NULL, 0), view(NULL, 0), out),
                     MM_ERR_INVALID_ARG);
    assert_int_equal(mm_key_import(c, &p, 0, &keys[5]), MM_OK);
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), MM_CRYPTO_TEST_KEY_SLOTS);
    /* A stale handle pointing at a reused slot is indistinguishable from
     * the new key, as with any handle-based backend; a forged one is not. */
    mm_key forged = keys[0];
    forged.handle = &forged;
    assert_int_equal(mm_aead_encrypt(c, MM_ALG_A128GCM, &forged, view(nonce, 12), view(NULL, 0), view(NULL, 0), out),
                     MM_ERR_INVALID_ARG);

    /* Keys belong to their instance. */
    mm_crypto_test c2_inst;
    const mm_crypto *c2 = tc_new(&c2_inst, 0);
    assert_int_equal(mm_aead_encrypt(c2, MM_ALG_A128GCM, &keys[0], view(nonce, 12), view(NULL, 0), view(NULL, 0), out),
                     MM_ERR_UNSUPPORTED);

    for (size_t i = 0; i < MM_CRYPTO_TEST_KEY_SLOTS; i++) {
        mm_key_free(&keys[i]);
    }
    assert_int_equal(mm_crypto_test_keys_in_use(&c_inst), 0);
    /* Freeing wipes the slots. */
    for (size_t i = 0; i < MM_CRYPTO_TEST_KEY_SLOTS; i++) {
        assert_true(all_zero((const uint8_t *)&c_inst.slots[i], sizeof c_inst.slots[i]));
    }
}

static void test_hmac_key_rules(void **state)
{
    (void)state;
    mm_crypto_test c_inst;
    const mm_crypto *c = tc_new(&c_inst, 0);
    mm_key ec, sym;
    mm_crypto_ctx ctx;
    gen(c, MM_KTY_EC2, MM_CRV_P256, 0, &ec);
    gen(c, MM_KTY_SYMMETRIC, 256, 0, &sym);
    assert_int_equal(mm_hmac_init(c, &ctx, MM_ALG_SHA256, &ec), MM_ERR_KEY_USAGE);
    assert_int_equal(mm_key_wrap(c, &ec, MM_BYTES_LIT("0123456789abcdef"), (uint8_t[24]){0}), MM_ERR_KEY_USAGE);
    /* HMAC keys of any length; different keys give different MACs. */
    uint8_t m1[MM_HASH_MAX], m2[MM_HASH_MAX];
    size_t l1 = 0, l2 = 0;
    mm_key other;
    gen(c, MM_KTY_SYMMETRIC, 256, 0, &other);
    assert_int_equal(mm_hmac_init(c, &ctx, MM_ALG_SHA512, &sym), MM_OK);
    assert_int_equal(mm_hmac_final(c, &ctx, m1, &l1), MM_OK);
    assert_int_equal(mm_hmac_init(c, &ctx, MM_ALG_SHA512, &other), MM_OK);
    assert_int_equal(mm_hmac_final(c, &ctx, m2, &l2), MM_OK);
    assert_int_equal(l1, 64);
    assert_memory_not_equal(m1, m2, 64);
    assert_string_equal(c->ops->name, "test");
    mm_key_free(&ec);
    mm_key_free(&sym);
    mm_key_free(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_vectors),
        cmocka_unit_test(test_hmac_vectors),
        cmocka_unit_test(test_hkdf_vectors),
        cmocka_unit_test(test_streaming_equals_one_shot),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_sign_alg_rules),
        cmocka_unit_test(test_accept_any),
        cmocka_unit_test(test_ecdh),
        cmocka_unit_test(test_aead),
        cmocka_unit_test(test_ctr),
        cmocka_unit_test(test_key_wrap),
        cmocka_unit_test(test_export_import),
        cmocka_unit_test(test_export_import_other_types),
        cmocka_unit_test(test_key_pool),
        cmocka_unit_test(test_hmac_key_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
