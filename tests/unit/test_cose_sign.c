/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Sign1, COSE_Sign and COSE_Mac0 with real crypto (the OpenSSL
 * backend): round trips for every algorithm, streamed detached payloads, and
 * the catalogue of attacks and malformations, each with its own error.
 */
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mm_test.h"

static const mm_crypto *crypto;
static uint8_t msg[4096];
static uint8_t scratch[4096];

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

static void gen(int32_t kty, int32_t crv, int32_t alg, mm_key *k)
{
    assert_int_equal(mm_key_generate(crypto, kty, crv, alg, MM_KEY_EXTRACTABLE, k), MM_OK);
}

/* The public half of a key pair, as a verifier holds it. */
static void public_of(const mm_key *priv, mm_key *pub)
{
    uint8_t buf[1100];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(priv, 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(mm_key_import(crypto, &parts, 0, pub), MM_OK);
    pub->alg = priv->alg;
}

static size_t sign1(const mm_key *key, int32_t alg, unsigned flags, mm_bytes payload, mm_bytes aad)
{
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.key = key;
    o.alg = alg;
    o.kid = MM_BYTES_LIT("kid-1");
    o.flags = flags;
    o.external_aad = aad;
    o.scratch = scratch;
    o.scratch_len = sizeof scratch;
    mm_buf out = mm_buf_make(msg, sizeof msg);
    mm_err e = mm_cose_sign1_create(&o, payload, &out);
    if (e != MM_OK) {
        fail_msg("sign1 alg %d: %s", alg, mm_errname(e));
    }
    return out.len;
}

static mm_err verify1(mm_bytes m, const mm_key *key, mm_bytes payload, mm_bytes aad)
{
    mm_cose_sign1 s;
    mm_err e = mm_cose_sign1_decode(m, &s, NULL);
    if (e != MM_OK) {
        return e;
    }
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = crypto;
    v.key = key;
    v.payload = payload;
    v.external_aad = aad;
    v.scratch = scratch;
    v.scratch_len = sizeof scratch;
    return mm_cose_sign1_verify(&s, &v);
}

static void test_sign1_every_alg(void **state)
{
    (void)state;
    static const struct {
        int32_t alg, kty, crv;
    } algs[] = {
        {MM_ALG_ES256, MM_KTY_EC2, MM_CRV_P256},
        {MM_ALG_ES384, MM_KTY_EC2, MM_CRV_P384},
        {MM_ALG_ES512, MM_KTY_EC2, MM_CRV_P521},
        {MM_ALG_ESP256, MM_KTY_EC2, MM_CRV_P256},
        {MM_ALG_ESP384, MM_KTY_EC2, MM_CRV_P384},
        {MM_ALG_EDDSA, MM_KTY_OKP, MM_CRV_ED25519},
        {MM_ALG_ED25519, MM_KTY_OKP, MM_CRV_ED25519},
        {MM_ALG_PS256, MM_KTY_RSA, 2048},
        {MM_ALG_PS384, MM_KTY_RSA, 2048},
        {MM_ALG_PS512, MM_KTY_RSA, 2048},
    };
    mm_bytes payload = MM_BYTES_LIT("This is the content.");
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        mm_key priv, pub;
        gen(algs[i].kty, algs[i].crv, algs[i].alg, &priv);
        public_of(&priv, &pub);
        for (unsigned flags = 0; flags < 4; flags++) {
            unsigned f = ((flags & 1) ? MM_COSE_DETACHED : 0) | ((flags & 2) ? MM_COSE_UNTAGGED : 0);
            mm_bytes aad = (flags & 1) ? MM_BYTES_LIT("aad") : mm_bytes_make(NULL, 0);
            size_t n = sign1(&priv, 0, f, payload, aad);
            mm_bytes detached = (flags & 1) ? payload : mm_bytes_make(NULL, 0);
            mm_err e = verify1(mm_bytes_make(msg, n), &pub, detached, aad);
            if (e != MM_OK) {
                fail_msg("alg %d flags %u: %s", algs[i].alg, f, mm_errname(e));
            }
            /* The size-only call reports exactly what was written. */
            mm_cose_create_opts o;
            memset(&o, 0, sizeof o);
            o.crypto = crypto;
            o.key = &priv;
            o.kid = MM_BYTES_LIT("kid-1");
            o.flags = f;
            o.external_aad = aad;
            o.scratch = scratch;
            o.scratch_len = sizeof scratch;
            mm_buf dry = mm_buf_make(NULL, 0);
            assert_int_equal(mm_cose_sign1_create(&o, payload, &dry), MM_ERR_BUFFER_TOO_SMALL);
            assert_int_equal(dry.len, n);
        }
        mm_key_free(&priv);
        mm_key_free(&pub);
    }
}

static void test_sign1_streamed(void **state)
{
    (void)state;
    mm_key priv, pub;
    gen(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &priv);
    public_of(&priv, &pub);
    static uint8_t image[100000];
    for (size_t i = 0; i < sizeof image; i++) {
        image[i] = (uint8_t)(i * 7);
    }
    size_t n = sign1(&priv, 0, MM_COSE_DETACHED, mm_bytes_make(image, sizeof image), mm_bytes_make(NULL, 0));
    mm_cose_sign1 s;
    assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(msg, n), &s, NULL), MM_OK);
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = crypto;
    v.key = &pub;
    for (size_t chunk = 1; chunk <= 65536; chunk *= 16) {
        mm_cose_sign1_stream st;
        assert_int_equal(mm_cose_sign1_verify_begin(&st, &s, &v, sizeof image), MM_OK);
        for (size_t off = 0; off < sizeof image; off += chunk) {
            size_t len = sizeof image - off < chunk ? sizeof image - off : chunk;
            assert_int_equal(mm_cose_sign1_verify_update(&st, mm_bytes_make(image + off, len)), MM_OK);
        }
        assert_int_equal(mm_cose_sign1_verify_end(&st), MM_OK);
    }
    /* A flipped byte, a short and a long stream all fail. */
    mm_cose_sign1_stream st;
    image[5000] ^= 1;
    assert_int_equal(mm_cose_sign1_verify_begin(&st, &s, &v, sizeof image), MM_OK);
    assert_int_equal(mm_cose_sign1_verify_update(&st, mm_bytes_make(image, sizeof image)), MM_OK);
    assert_int_equal(mm_cose_sign1_verify_end(&st), MM_ERR_VERIFY);
    image[5000] ^= 1;
    assert_int_equal(mm_cose_sign1_verify_begin(&st, &s, &v, sizeof image), MM_OK);
    assert_int_equal(mm_cose_sign1_verify_update(&st, mm_bytes_make(image, 10)), MM_OK);
    assert_int_equal(mm_cose_sign1_verify_end(&st), MM_ERR_TRUNCATED);
    assert_int_equal(mm_cose_sign1_verify_begin(&st, &s, &v, 10), MM_OK);
    assert_int_equal(mm_cose_sign1_verify_update(&st, mm_bytes_make(image, 11)), MM_ERR_TOO_LARGE);
    mm_key_free(&priv);
    mm_key_free(&pub);
}

/* Builds a COSE_Sign1 by hand: protected and unprotected given as hex of
 * encoded maps, signed properly over what is given (unless sig_hex). */
static size_t handmade(const mm_key *priv, const char *prot_map_hex, const char *unprot_hex, const char *sig_hex)
{
    uint8_t prot[256];
    uint8_t unprot[256];
    size_t pn = mm_test_unhex(prot_map_hex, prot, sizeof prot);
    size_t un = mm_test_unhex(unprot_hex, unprot, sizeof unprot);
    mm_bytes payload = MM_BYTES_LIT("payload");
    /* Sig_structure ["Signature1", prot, h'', payload] */
    uint8_t tbs[512];
    mm_cbor_enc e;
    mm_cbor_enc_init(&e, tbs, sizeof tbs);
    mm_cbor_put_array(&e, 4);
    mm_cbor_put_cstr(&e, "Signature1");
    mm_cbor_put_bstr(&e, mm_bytes_make(prot, pn));
    mm_cbor_put_bstr(&e, mm_bytes_make(NULL, 0));
    mm_cbor_put_bstr(&e, payload);
    size_t tn;
    assert_int_equal(mm_cbor_enc_finish(&e, &tn), MM_OK);
    uint8_t sig[600];
    size_t sn = 0;
    if (sig_hex != NULL) {
        sn = mm_test_unhex(sig_hex, sig, sizeof sig);
    } else {
        assert_int_equal(mm_sign(crypto, priv, MM_ALG_ES256, mm_bytes_make(tbs, tn), 0, sig, sizeof sig, &sn), MM_OK);
    }
    mm_cbor_enc_init(&e, msg, sizeof msg);
    mm_cbor_put_tag(&e, 18);
    mm_cbor_put_array(&e, 4);
    mm_cbor_put_bstr(&e, mm_bytes_make(prot, pn));
    mm_cbor_put_raw(&e, mm_bytes_make(unprot, un));
    mm_cbor_put_bstr(&e, payload);
    mm_cbor_put_bstr(&e, mm_bytes_make(sig, sn));
    size_t n;
    assert_int_equal(mm_cbor_enc_finish(&e, &n), MM_OK);
    return n;
}

static void test_sign1_attacks(void **state)
{
    (void)state;
    mm_key priv, pub, other, pub_other, p384, pub384, unpinned;
    gen(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &priv);
    public_of(&priv, &pub);
    gen(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &other);
    public_of(&other, &pub_other);
    gen(MM_KTY_EC2, MM_CRV_P384, MM_ALG_ES384, &p384);
    public_of(&p384, &pub384);
    public_of(&priv, &unpinned);
    unpinned.alg = 0;
    mm_bytes none = mm_bytes_make(NULL, 0);
    mm_bytes payload = MM_BYTES_LIT("payload");
    size_t n = sign1(&priv, 0, 0, payload, none);
    mm_bytes m = mm_bytes_make(msg, n);

    /* The genuine message verifies, pinned or not. */
    assert_int_equal(verify1(m, &pub, none, none), MM_OK);
    assert_int_equal(verify1(m, &unpinned, none, none), MM_OK);
    /* Wrong key. */
    assert_int_equal(verify1(m, &pub_other, none, none), MM_ERR_VERIFY);
    /* Key for another algorithm. */
    assert_int_equal(verify1(m, &pub384, none, none), MM_ERR_ALG_MISMATCH);
    /* Wrong external AAD. */
    assert_int_equal(verify1(m, &pub, none, MM_BYTES_LIT("x")), MM_ERR_VERIFY);
    /* An attached payload plus a caller payload is ambiguous. */
    assert_int_equal(verify1(m, &pub, payload, none), MM_ERR_INVALID_ARG);
    /* Tampered payload: the payload's last byte sits before the signature. */
    msg[n - 64 - 2 - 1] ^= 1;
    assert_int_equal(verify1(m, &pub, none, none), MM_ERR_VERIFY);
    msg[n - 64 - 2 - 1] ^= 1;
    /* Tampered protected header: {1: -7} -> {1: -8} (EdDSA) is a mismatch;
     * {1: -7} -> {1: -9} (ESP256) is the same algorithm but other bytes. */
    size_t prot_alg = 2 + 1 + 2; /* d2 84 43 a1 01 [26] */
    msg[prot_alg] = 0x28;
    assert_int_equal(verify1(m, &pub, none, none), MM_ERR_VERIFY);
    msg[prot_alg] = 0x27;
    assert_int_equal(verify1(m, &pub, none, none), MM_ERR_ALG_MISMATCH);
    msg[prot_alg] = 0x26;
    /* Truncated and overlong signatures. */
    assert_int_equal(verify1(mm_bytes_make(msg, n - 1), &pub, none, none), MM_ERR_TRUNCATED);
    msg[n - 65] = 0x3f; /* bstr head 0x58 0x40 -> 0x58 0x3f: 63 bytes then trailing */
    assert_int_equal(verify1(m, &pub, none, none), MM_ERR_CBOR_TRAILING);
    msg[n - 65] = 0x40;

    /* Hand-made messages. */
    size_t k;
    /* alg only in the unprotected bucket: refused unless the key pins it.
     * (An empty protected bucket is signed as h'', RFC 9052 4.4.) */
    k = handmade(&priv, "", "a1 01 26", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &unpinned, none, none), MM_ERR_ALG_UNPROTECTED);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_OK);
    /* crit naming a label nobody declared understood. */
    k = handmade(&priv, "a3 01 26 02 81 18 64 18 64 00", "a0", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_UNKNOWN_CRIT);
    /* crit naming a label the protected bucket lacks. */
    k = handmade(&priv, "a2 01 26 02 81 18 64", "a0", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_MISSING_FIELD);
    /* The same label in both buckets. */
    k = handmade(&priv, "a2 01 26 04 41 31", "a1 04 41 32", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_CBOR_DUP_KEY);
    k = handmade(&priv, "a2 01 26 18 64 00", "a1 18 64 01", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_CBOR_DUP_KEY);
    /* The same label twice in one bucket. */
    k = handmade(&priv, "a2 01 26 01 26", "a0", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_CBOR_DUP_KEY);
    /* Signature of the wrong length. */
    k = handmade(&priv, "a1 01 26", "a0", "0102030405");
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_SIG_LENGTH);
    /* r = 0, and s = n (the curve order): out of range before any crypto. */
    char bad[300];
    strcpy(bad, "0000000000000000000000000000000000000000000000000000000000000000"
                "0101010101010101010101010101010101010101010101010101010101010101");
    k = handmade(&priv, "a1 01 26", "a0", bad);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_SIG_RANGE);
    strcpy(bad, "0101010101010101010101010101010101010101010101010101010101010101"
                "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    k = handmade(&priv, "a1 01 26", "a0", bad);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_SIG_RANGE);
    /* An unknown algorithm, and a text algorithm name. */
    k = handmade(&priv, "a1 01 19 ff00", "a0", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_UNSUPPORTED_ALG);
    k = handmade(&priv, "a1 01 65 4553323536", "a0", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_UNSUPPORTED_ALG);
    /* No alg at all. */
    k = handmade(&priv, "a1 04 41 31", "a0", NULL);
    assert_int_equal(verify1(mm_bytes_make(msg, k), &pub, none, none), MM_ERR_MISSING_FIELD);

    /* A public key cannot sign; a key does not sign another algorithm. */
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.key = &pub;
    mm_buf out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign1_create(&o, payload, &out), MM_ERR_KEY_USAGE);
    o.key = &priv;
    o.alg = MM_ALG_ES384;
    assert_int_equal(mm_cose_sign1_create(&o, payload, &out), MM_ERR_ALG_MISMATCH);

    mm_key_free(&priv);
    mm_key_free(&pub);
    mm_key_free(&other);
    mm_key_free(&pub_other);
    mm_key_free(&p384);
    mm_key_free(&pub384);
    mm_key_free(&unpinned);
}

static void test_sign1_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        mm_err err;
    } bad[] = {
        {"d2 83 40 a0 f6", MM_ERR_CBOR_TYPE},                 /* three fields */
        {"d2 84 a0 a0 f6 40", MM_ERR_CBOR_TYPE},              /* protected not a bstr */
        {"d2 84 40 80 f6 40", MM_ERR_CBOR_TYPE},              /* unprotected not a map */
        {"d2 84 40 a0 01 40", MM_ERR_CBOR_TYPE},              /* payload an int */
        {"d2 84 40 a0 f6 f6", MM_ERR_CBOR_TYPE},              /* signature nil */
        {"d1 84 40 a0 f6 40", MM_ERR_CBOR_TYPE},              /* a Mac0 tag */
        {"d2 84 42 a1 01 a0 f6 40", MM_ERR_TRUNCATED},        /* protected map cut */
        {"d2 84 43 a0 01 02 a0 f6 40", MM_ERR_CBOR_BAD_WRAP}, /* protected bytes more than one map */
        {"d2 84 41 01 a0 f6 40", MM_ERR_CBOR_TYPE},           /* protected bytes an int */
        {"d2 84 40 a1 01 41 00 f6 40", MM_ERR_CBOR_TYPE},     /* alg a bstr */
        {"d2 84 40 a1 04 61 31 f6 40", MM_ERR_CBOR_TYPE},     /* kid text */
        {"d2 84 40 a1 41 00 00 f6 40", MM_ERR_CBOR_BAD_KEY},  /* bstr label */
        {"d2 84 40 a0 f6 40 00", MM_ERR_CBOR_TRAILING},
        {"d2 84 40 a0 f6", MM_ERR_TRUNCATED},
        {"d2 9f 40 a0 f6 40 ff", MM_ERR_CBOR_INDEF},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t in[64];
        size_t n = mm_test_unhex(bad[i].hex, in, sizeof in);
        mm_cose_sign1 s;
        mm_err e = mm_cose_sign1_decode(mm_bytes_make(in, n), &s, NULL);
        if (e != bad[i].err) {
            fail_msg("%s: %s, want %s", bad[i].hex, mm_errname(e), mm_errname(bad[i].err));
        }
    }
}

static void test_sign_multi(void **state)
{
    (void)state;
    mm_key es, ed, pub_es, pub_ed;
    gen(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &es);
    gen(MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, &ed);
    public_of(&es, &pub_es);
    public_of(&ed, &pub_ed);
    mm_cose_create_opts body, signers[2];
    memset(&body, 0, sizeof body);
    memset(signers, 0, sizeof signers);
    static const uint8_t ctype[] = {0x00};
    mm_cose_param p = {MM_HDR_CONTENT_TYPE, mm_bytes_make(ctype, 1), MM_COSE_PROTECTED};
    body.params = &p;
    body.n_params = 1;
    for (int i = 0; i < 2; i++) {
        signers[i].crypto = crypto;
        signers[i].key = i == 0 ? &es : &ed;
        signers[i].kid = i == 0 ? MM_BYTES_LIT("es") : MM_BYTES_LIT("ed");
        signers[i].scratch = scratch;
        signers[i].scratch_len = sizeof scratch;
    }
    mm_buf out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign_create(&body, signers, 2, MM_BYTES_LIT("content"), &out), MM_OK);
    mm_cose_sign s;
    mm_cose_signature st[2];
    assert_int_equal(mm_cose_sign_decode(mm_bytes_make(msg, out.len), &s, st, 2, NULL), MM_OK);
    assert_int_equal(s.n_signers, 2);
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = crypto;
    v.scratch = scratch;
    v.scratch_len = sizeof scratch;
    v.key = &pub_es;
    assert_int_equal(mm_cose_sign_verify(&s, 0, &v), MM_OK);
    assert_int_equal(mm_cose_sign_verify(&s, 1, &v), MM_ERR_ALG_MISMATCH);
    v.key = &pub_ed;
    assert_int_equal(mm_cose_sign_verify(&s, 1, &v), MM_OK);
    assert_int_equal(mm_cose_sign_verify(&s, 2, &v), MM_ERR_INVALID_ARG);
    /* Storage for fewer signers than the message has. */
    assert_int_equal(mm_cose_sign_decode(mm_bytes_make(msg, out.len), &s, st, 1, NULL), MM_ERR_TOO_LARGE);
    /* Dry run size. */
    mm_buf dry = mm_buf_make(NULL, 0);
    assert_int_equal(mm_cose_sign_create(&body, signers, 2, MM_BYTES_LIT("content"), &dry), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(dry.len, out.len);
    mm_key_free(&es);
    mm_key_free(&ed);
    mm_key_free(&pub_es);
    mm_key_free(&pub_ed);
}

static void test_mac0(void **state)
{
    (void)state;
    static const struct {
        int32_t alg;
        size_t tag;
    } algs[] = {{MM_ALG_HMAC256_64, 8}, {MM_ALG_HMAC256, 32}, {MM_ALG_HMAC384, 48}, {MM_ALG_HMAC512, 64}};
    for (size_t i = 0; i < 4; i++) {
        mm_key k, other;
        gen(MM_KTY_SYMMETRIC, 256, algs[i].alg, &k);
        gen(MM_KTY_SYMMETRIC, 256, algs[i].alg, &other);
        mm_cose_create_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = crypto;
        o.key = &k;
        mm_buf out = mm_buf_make(msg, sizeof msg);
        assert_int_equal(mm_cose_mac0_create(&o, MM_BYTES_LIT("hello"), &out), MM_OK);
        mm_cose_mac0 m;
        assert_int_equal(mm_cose_mac0_decode(mm_bytes_make(msg, out.len), &m, NULL), MM_OK);
        assert_int_equal(m.tag.len, algs[i].tag);
        mm_cose_verify_opts v;
        memset(&v, 0, sizeof v);
        v.crypto = crypto;
        v.key = &k;
        assert_int_equal(mm_cose_mac0_verify(&m, &v), MM_OK);
        v.key = &other;
        assert_int_equal(mm_cose_mac0_verify(&m, &v), MM_ERR_VERIFY);
        v.key = &k;
        msg[out.len - 1] ^= 1;
        assert_int_equal(mm_cose_mac0_verify(&m, &v), MM_ERR_VERIFY);
        msg[out.len - 1] ^= 1;
        m.tag.len--;
        assert_int_equal(mm_cose_mac0_verify(&m, &v), MM_ERR_SIG_LENGTH);
        mm_key_free(&k);
        mm_key_free(&other);
    }
}

static void test_headers_find_and_params(void **state)
{
    (void)state;
    mm_key priv;
    gen(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, &priv);
    static const uint8_t v394[] = {0x80};
    static const uint8_t v258[] = {0x26};
    mm_cose_param params[] = {
        {394, mm_bytes_make(v394, 1), 0},
        {258, mm_bytes_make(v258, 1), MM_COSE_PROTECTED},
    };
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.key = &priv;
    o.params = params;
    o.n_params = 2;
    o.flags = MM_COSE_KID_PROTECTED;
    o.kid = MM_BYTES_LIT("k");
    mm_buf out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign1_create(&o, MM_BYTES_LIT("p"), &out), MM_OK);
    mm_cose_sign1 s;
    assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(msg, out.len), &s, NULL), MM_OK);
    mm_bytes v;
    bool prot;
    assert_int_equal(mm_cose_header_find(&s.hdr, 394, &v, &prot), MM_OK);
    assert_false(prot);
    assert_true(mm_bytes_equal(v, mm_bytes_make(v394, 1)));
    assert_int_equal(mm_cose_header_find(&s.hdr, 258, &v, &prot), MM_OK);
    assert_true(prot);
    assert_int_equal(mm_cose_header_find(&s.hdr, 4, &v, &prot), MM_OK);
    assert_true(prot);
    assert_int_equal(mm_cose_header_find(&s.hdr, 999, &v, &prot), MM_ERR_MISSING_FIELD);
    assert_true((s.hdr.protected_bits & MM_HDRBIT_KID) != 0);
    /* alg as a free parameter, and duplicate parameters, are refused. */
    static const uint8_t minus7[] = {0x26};
    mm_cose_param dup[] = {{77, mm_bytes_make(v394, 1), 0}, {77, mm_bytes_make(v394, 1), MM_COSE_PROTECTED}};
    mm_cose_param alg = {MM_HDR_ALG, mm_bytes_make(minus7, 1), MM_COSE_PROTECTED};
    o.params = dup;
    assert_int_equal(mm_cose_sign1_create(&o, MM_BYTES_LIT("p"), &out), MM_ERR_CBOR_DUP_KEY);
    o.params = &alg;
    o.n_params = 1;
    assert_int_equal(mm_cose_sign1_create(&o, MM_BYTES_LIT("p"), &out), MM_ERR_INVALID_ARG);
    mm_key_free(&priv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign1_every_alg),
        cmocka_unit_test(test_sign1_streamed),
        cmocka_unit_test(test_sign1_attacks),
        cmocka_unit_test(test_sign1_malformed),
        cmocka_unit_test(test_sign_multi),
        cmocka_unit_test(test_mac0),
        cmocka_unit_test(test_headers_find_and_params),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
