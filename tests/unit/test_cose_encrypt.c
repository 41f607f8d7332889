/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Encrypt0 and COSE_Encrypt with real crypto: every content algorithm,
 * every recipient algorithm, several recipients, detached ciphertext, and
 * refusals (wrong key, tampering, a key no recipient fits).
 */
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mm_test.h"

static const mm_crypto *crypto;
static uint8_t msg[4096];
static uint8_t pt[1024];

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

static void public_of(const mm_key *priv, mm_key *pub)
{
    uint8_t buf[600];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(priv, 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(mm_key_import(crypto, &parts, 0, pub), MM_OK);
}

static const mm_bytes plaintext = {(const uint8_t *)"This is the content.", 20};

static void test_encrypt0_every_alg(void **state)
{
    (void)state;
    static const int32_t algs[] = {MM_ALG_A128GCM, MM_ALG_A192GCM, MM_ALG_A256GCM, MM_ALG_CHACHA20_POLY1305};
    static const uint32_t bits[] = {128, 192, 256, 256};
    for (size_t i = 0; i < 4; i++) {
        mm_key k, other;
        gen(MM_KTY_SYMMETRIC, (int32_t)bits[i], algs[i], &k);
        gen(MM_KTY_SYMMETRIC, (int32_t)bits[i], algs[i], &other);
        for (int detached = 0; detached < 2; detached++) {
            uint8_t ct[256];
            mm_buf ctb = mm_buf_make(ct, sizeof ct);
            mm_cose_encrypt_opts o;
            memset(&o, 0, sizeof o);
            o.crypto = crypto;
            o.alg = algs[i];
            o.key = &k;
            o.kid = MM_BYTES_LIT("our-secret");
            o.external_aad = MM_BYTES_LIT("aad");
            o.flags = detached ? MM_COSE_DETACHED : 0;
            o.detached = &ctb;
            mm_buf out = mm_buf_make(msg, sizeof msg);
            assert_int_equal(mm_cose_encrypt0_create(&o, plaintext, &out), MM_OK);
            mm_cose_encrypt m;
            assert_int_equal(mm_cose_encrypt0_decode(mm_bytes_make(msg, out.len), &m, NULL), MM_OK);
            assert_int_equal(m.detached, detached != 0);
            mm_cose_decrypt_opts d;
            memset(&d, 0, sizeof d);
            d.crypto = crypto;
            d.key = &k;
            d.external_aad = MM_BYTES_LIT("aad");
            if (detached) {
                d.ciphertext = mm_bytes_make(ct, ctb.len);
            }
            mm_buf p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &p), MM_OK);
            assert_true(mm_bytes_equal(mm_bytes_make(pt, p.len), plaintext));
            /* Wrong key, wrong AAD, tampered ciphertext: refused, nothing out. */
            d.key = &other;
            p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &p), MM_ERR_VERIFY);
            assert_int_equal(p.len, 0);
            d.key = &k;
            d.external_aad = MM_BYTES_LIT("aaX");
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &p), MM_ERR_VERIFY);
            d.external_aad = MM_BYTES_LIT("aad");
            if (!detached) {
                msg[out.len - 1] ^= 1;
                assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &p), MM_ERR_VERIFY);
                msg[out.len - 1] ^= 1;
            }
            /* Too small a plaintext buffer reports the need. */
            p = mm_buf_make(pt, 3);
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &p), MM_ERR_BUFFER_TOO_SMALL);
            assert_int_equal(p.len, plaintext.len);
        }
        mm_key_free(&k);
        mm_key_free(&other);
    }
}

typedef struct rcpt_case {
    int32_t alg;
    int32_t kty;
    int32_t crv; /* or bits */
    bool ss;
} rcpt_case;

static void test_encrypt_every_recipient(void **state)
{
    (void)state;
    static const rcpt_case cases[] = {
        {MM_ALG_DIRECT, MM_KTY_SYMMETRIC, 128, false},
        {MM_ALG_A128KW, MM_KTY_SYMMETRIC, 128, false},
        {MM_ALG_A192KW, MM_KTY_SYMMETRIC, 192, false},
        {MM_ALG_A256KW, MM_KTY_SYMMETRIC, 256, false},
        {MM_ALG_ECDH_ES_HKDF256, MM_KTY_EC2, MM_CRV_P256, false},
        {MM_ALG_ECDH_ES_HKDF512, MM_KTY_EC2, MM_CRV_P384, false},
        {MM_ALG_ECDH_ES_HKDF256, MM_KTY_OKP, MM_CRV_X25519, false},
        {MM_ALG_ECDH_ES_A128KW, MM_KTY_EC2, MM_CRV_P256, false},
        {MM_ALG_ECDH_ES_A192KW, MM_KTY_EC2, MM_CRV_P521, false},
        {MM_ALG_ECDH_ES_A256KW, MM_KTY_OKP, MM_CRV_X25519, false},
        {MM_ALG_ECDH_SS_HKDF256, MM_KTY_EC2, MM_CRV_P256, true},
        {MM_ALG_ECDH_SS_A128KW, MM_KTY_EC2, MM_CRV_P256, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const rcpt_case *c = &cases[i];
        mm_key rk, rpub, sender, spub;
        memset(&sender, 0, sizeof sender);
        memset(&spub, 0, sizeof spub);
        bool sym = c->kty == MM_KTY_SYMMETRIC;
        /* direct: the shared key is the A128GCM content key */
        gen(c->kty, c->crv, c->alg == MM_ALG_DIRECT ? MM_ALG_A128GCM : c->alg, &rk);
        if (sym) {
            rpub = rk; /* the same secret key on both sides (freed once) */
        } else {
            public_of(&rk, &rpub);
        }
        if (c->ss) {
            gen(c->kty, c->crv, 0, &sender);
            public_of(&sender, &spub);
        }
        static const uint8_t nonce_enc[] = {0x43, 0x01, 0x02, 0x03};
        mm_cose_param party_u = {MM_HDR_PARTY_U_NONCE, mm_bytes_make(nonce_enc, 4), 0};
        mm_cose_recipient_opts r;
        memset(&r, 0, sizeof r);
        r.alg = c->alg;
        r.key = &rpub;
        r.kid = MM_BYTES_LIT("recipient");
        r.sender_key = c->ss ? &sender : NULL;
        if (c->ss) {
            r.params = &party_u;
            r.n_params = 1;
        }
        mm_cose_encrypt_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = crypto;
        o.alg = MM_ALG_A128GCM;
        o.recipients = &r;
        o.n_recipients = 1;
        mm_buf out = mm_buf_make(msg, sizeof msg);
        mm_err e = mm_cose_encrypt_create(&o, plaintext, &out);
        if (e != MM_OK) {
            fail_msg("recipient alg %d: create %s", c->alg, mm_errname(e));
        }
        mm_cose_encrypt m;
        mm_cose_recipient rs[4];
        assert_int_equal(mm_cose_encrypt_decode(mm_bytes_make(msg, out.len), &m, rs, 4, NULL), MM_OK);
        assert_int_equal(m.n_recipients, 1);
        mm_cose_decrypt_opts d;
        memset(&d, 0, sizeof d);
        d.crypto = crypto;
        d.key = &rk;
        mm_buf p = mm_buf_make(pt, sizeof pt);
        e = mm_cose_encrypt_decrypt(&m, &d, &p);
        if (e != MM_OK) {
            fail_msg("recipient alg %d: decrypt %s", c->alg, mm_errname(e));
        }
        assert_true(mm_bytes_equal(mm_bytes_make(pt, p.len), plaintext));
        /* Another key of the same kind cannot open it. */
        mm_key wrong;
        gen(c->kty, c->crv, c->alg == MM_ALG_DIRECT ? MM_ALG_A128GCM : c->alg, &wrong);
        d.key = &wrong;
        e = mm_cose_encrypt_decrypt(&m, &d, &p);
        assert_int_equal(e, MM_ERR_VERIFY);
        assert_int_equal(p.len, 0);
        /* A kid that matches no recipient. */
        d.key = &rk;
        d.kid = MM_BYTES_LIT("nobody");
        assert_int_equal(mm_cose_encrypt_decrypt(&m, &d, &p), MM_ERR_NO_RECIPIENT);
        mm_key_free(&wrong);
        mm_key_free(&rk);
        if (!sym) {
            mm_key_free(&rpub);
        }
        mm_key_free(&sender);
        mm_key_free(&spub);
    }
}

static void test_encrypt_several_recipients(void **state)
{
    (void)state;
    mm_key kek1, kek2, ec, ec_pub, unrelated;
    gen(MM_KTY_SYMMETRIC, 128, MM_ALG_A128KW, &kek1);
    gen(MM_KTY_SYMMETRIC, 256, MM_ALG_A256KW, &kek2);
    gen(MM_KTY_EC2, MM_CRV_P256, MM_ALG_ECDH_ES_A128KW, &ec);
    public_of(&ec, &ec_pub);
    gen(MM_KTY_SYMMETRIC, 128, MM_ALG_A128KW, &unrelated);
    mm_cose_recipient_opts r[3];
    memset(r, 0, sizeof r);
    r[0].alg = MM_ALG_A128KW;
    r[0].key = &kek1;
    r[0].kid = MM_BYTES_LIT("one");
    r[1].alg = MM_ALG_A256KW;
    r[1].key = &kek2;
    r[1].kid = MM_BYTES_LIT("two");
    r[2].alg = MM_ALG_ECDH_ES_A128KW;
    r[2].key = &ec_pub;
    r[2].kid = MM_BYTES_LIT("three");
    mm_cose_encrypt_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.alg = MM_ALG_A256GCM;
    o.recipients = r;
    o.n_recipients = 3;
    mm_buf out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_encrypt_create(&o, plaintext, &out), MM_OK);
    mm_cose_encrypt m;
    mm_cose_recipient rs[3];
    assert_int_equal(mm_cose_encrypt_decode(mm_bytes_make(msg, out.len), &m, rs, 3, NULL), MM_OK);
    const mm_key *keys[3] = {&kek1, &kek2, &ec};
    for (int i = 0; i < 3; i++) {
        mm_cose_decrypt_opts d;
        memset(&d, 0, sizeof d);
        d.crypto = crypto;
        d.key = keys[i];
        mm_buf p = mm_buf_make(pt, sizeof pt);
        assert_int_equal(mm_cose_encrypt_decrypt(&m, &d, &p), MM_OK);
        assert_true(mm_bytes_equal(mm_bytes_make(pt, p.len), plaintext));
    }
    /* A KEK of the right kind but not among the recipients. */
    mm_cose_decrypt_opts d;
    memset(&d, 0, sizeof d);
    d.crypto = crypto;
    d.key = &unrelated;
    mm_buf p = mm_buf_make(pt, sizeof pt);
    assert_int_equal(mm_cose_encrypt_decrypt(&m, &d, &p), MM_ERR_VERIFY);
    /* A direct recipient cannot share the message with others. */
    r[0].alg = MM_ALG_DIRECT;
    assert_int_equal(mm_cose_encrypt_create(&o, plaintext, &out), MM_ERR_INVALID_ARG);
    /* Dry run. */
    r[0].alg = MM_ALG_A128KW;
    o.n_recipients = 2;
    assert_int_equal(mm_cose_encrypt_create(&o, plaintext, &out), MM_OK);
    size_t want = out.len;
    mm_buf dry = mm_buf_make(NULL, 0);
    assert_int_equal(mm_cose_encrypt_create(&o, plaintext, &dry), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(dry.len, want);
    mm_key_free(&kek1);
    mm_key_free(&kek2);
    mm_key_free(&ec);
    mm_key_free(&ec_pub);
    mm_key_free(&unrelated);
}

static void test_encrypt_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        mm_err err;
    } bad[] = {
        {"d0 82 40 a0", MM_ERR_CBOR_TYPE},
        {"d0 83 40 a0 01", MM_ERR_CBOR_TYPE},
        {"d0 83 43 a1 01 01 a1 05 41 00 40 00", MM_ERR_CBOR_TRAILING},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t in[64];
        size_t n = mm_test_unhex(bad[i].hex, in, sizeof in);
        mm_cose_encrypt m;
        assert_int_equal(mm_cose_encrypt0_decode(mm_bytes_make(in, n), &m, NULL), bad[i].err);
    }
    /* COSE_Encrypt: no recipients; nested recipients. */
    uint8_t in[64];
    size_t n = mm_test_unhex("d8 60 84 43 a1 01 01 a0 40 80", in, sizeof in);
    mm_cose_encrypt m;
    mm_cose_recipient rs[2];
    assert_int_equal(mm_cose_encrypt_decode(mm_bytes_make(in, n), &m, rs, 2, NULL), MM_ERR_CBOR_TYPE);
    n = mm_test_unhex("d8 60 84 43 a1 01 01 a0 40 81 84 40 a0 40 80", in, sizeof in);
    assert_int_equal(mm_cose_encrypt_decode(mm_bytes_make(in, n), &m, rs, 2, NULL), MM_ERR_UNSUPPORTED);
    /* An IV of the wrong size, a missing IV, both IV and partial IV; a key
     * not pinned to one algorithm, so that an unprotected alg is refused. */
    mm_key k;
    gen(MM_KTY_SYMMETRIC, 128, 0, &k);
    mm_cose_decrypt_opts d;
    memset(&d, 0, sizeof d);
    d.crypto = crypto;
    d.key = &k;
    mm_buf p = mm_buf_make(pt, sizeof pt);
    static const struct {
        const char *hex;
        mm_err err;
    } iv[] = {
        {"d0 83 43 a1 01 01 a1 05 41 00 51 00000000000000000000000000000000 00", MM_ERR_CBOR_RANGE},
        {"d0 83 43 a1 01 01 a0 51 00000000000000000000000000000000 00", MM_ERR_MISSING_FIELD},
        {"d0 83 43 a1 01 01 a2 05 4c 000000000000000000000000 06 41 01 51 00000000000000000000000000000000 00",
         MM_ERR_CBOR_DUP_KEY},
        {"d0 83 43 a1 01 01 a1 05 4c 000000000000000000000000 4f 000000000000000000000000000000", MM_ERR_TRUNCATED},
        {"d0 83 44 a1 01 18 7f a1 05 4c 000000000000000000000000 51 00000000000000000000000000000000 00",
         MM_ERR_UNSUPPORTED_ALG},
        {"d0 83 40 a2 01 01 05 4c 000000000000000000000000 51 00000000000000000000000000000000 00",
         MM_ERR_ALG_UNPROTECTED},
    };
    for (size_t i = 0; i < sizeof iv / sizeof iv[0]; i++) {
        uint8_t buf[128];
        n = mm_test_unhex(iv[i].hex, buf, sizeof buf);
        assert_int_equal(mm_cose_encrypt0_decode(mm_bytes_make(buf, n), &m, NULL), MM_OK);
        mm_err e = mm_cose_encrypt0_decrypt(&m, &d, &p);
        if (e != iv[i].err) {
            fail_msg("%s: %s, want %s", iv[i].hex, mm_errname(e), mm_errname(iv[i].err));
        }
    }
    mm_key_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encrypt0_every_alg),
        cmocka_unit_test(test_encrypt_every_recipient),
        cmocka_unit_test(test_encrypt_several_recipients),
        cmocka_unit_test(test_encrypt_malformed),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
