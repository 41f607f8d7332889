/* SPDX-License-Identifier: Apache-2.0 */
/* CWT (RFC 8392): claims encode/decode, validation against a caller clock,
 * signed and MACed tokens, tagged or not. */
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/cwt.h"
#include "mm_test.h"

static const mm_crypto *crypto;

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

static size_t make_claims(uint8_t *buf, size_t cap)
{
    mm_cwt_claims c;
    memset(&c, 0, sizeof c);
    c.iss = MM_BYTES_LIT("coap://as.example.com");
    c.sub = MM_BYTES_LIT("erikw");
    c.aud = MM_BYTES_LIT("coap://light.example.com");
    c.exp = 1444064944;
    c.nbf = 1443944944;
    c.iat = 1443944944;
    c.cti = MM_BYTES_LIT("\x0b\x71");
    c.present = MM_CWT_HAS_ISS | MM_CWT_HAS_SUB | MM_CWT_HAS_AUD | MM_CWT_HAS_EXP | MM_CWT_HAS_NBF | MM_CWT_HAS_IAT |
                MM_CWT_HAS_CTI;
    static const uint8_t eat_nonce[] = {0x42, 0x01, 0x02};
    mm_cose_param extra = {10, mm_bytes_make(eat_nonce, sizeof eat_nonce), 0};
    mm_buf out = mm_buf_make(buf, cap);
    assert_int_equal(mm_cwt_claims_encode(&c, &extra, 1, &out), MM_OK);
    return out.len;
}

static void test_claims_roundtrip(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t n = make_claims(buf, sizeof buf);
    assert_int_equal(mm_cbor_check(mm_bytes_make(buf, n), MM_CBOR_DETERMINISTIC, NULL), MM_OK);
    mm_cwt_claims c;
    assert_int_equal(mm_cwt_claims_decode(mm_bytes_make(buf, n), &c), MM_OK);
    assert_true(mm_bytes_equal(c.sub, MM_BYTES_LIT("erikw")));
    assert_int_equal(c.exp, 1444064944);
    assert_int_equal(c.present, 0x7f);
    mm_bytes v;
    assert_int_equal(mm_cwt_claim_find(&c, 10, &v), MM_OK);
    assert_true(mm_bytes_equal(v, MM_BYTES_LIT("\x42\x01\x02")));
    assert_int_equal(mm_cwt_claim_find(&c, 11, &v), MM_ERR_MISSING_FIELD);

    /* Float dates round down; wrong types and duplicates are refused. */
    static const struct {
        const char *hex;
        mm_err err;
        int64_t iat;
    } cases[] = {
        {"a1 06 fb 41d584367c200000", MM_OK, 1443944944},
        {"a1 06 fb c1d584367c200000", MM_OK, -1443944945},
        {"a1 06 fb 7ff8000000000000", MM_ERR_CBOR_RANGE, 0},
        {"a1 06 61 31", MM_ERR_CBOR_TYPE, 0},
        {"a1 01 41 31", MM_ERR_CBOR_TYPE, 0},
        {"a2 02 61 31 02 61 32", MM_ERR_CBOR_DUP_KEY, 0},
        {"a1 08 01", MM_ERR_CBOR_TYPE, 0},
        {"80", MM_ERR_CBOR_TYPE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t in[32];
        size_t k = mm_test_unhex(cases[i].hex, in, sizeof in);
        mm_err e = mm_cwt_claims_decode(mm_bytes_make(in, k), &c);
        if (e != cases[i].err) {
            fail_msg("%s: %s", cases[i].hex, mm_errname(e));
        }
        if (e == MM_OK) {
            assert_int_equal(c.iat, cases[i].iat);
        }
    }
}

static void test_validate(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t n = make_claims(buf, sizeof buf);
    mm_cwt_claims c;
    assert_int_equal(mm_cwt_claims_decode(mm_bytes_make(buf, n), &c), MM_OK);
    mm_cwt_check k;
    memset(&k, 0, sizeof k);
    k.now = 1444000000;
    assert_int_equal(mm_cwt_validate(&c, &k), MM_OK);
    k.now = 1444064944; /* exp itself is expired */
    assert_int_equal(mm_cwt_validate(&c, &k), MM_ERR_EXPIRED);
    k.leeway = 60;
    assert_int_equal(mm_cwt_validate(&c, &k), MM_OK);
    k.now = 1443944944 - 61;
    assert_int_equal(mm_cwt_validate(&c, &k), MM_ERR_NOT_YET_VALID);
    k.now = 1443944944 - 60;
    assert_int_equal(mm_cwt_validate(&c, &k), MM_OK);
    k.ignore_time = true;
    k.now = 0;
    assert_int_equal(mm_cwt_validate(&c, &k), MM_OK);
    k.iss = MM_BYTES_LIT("coap://as.example.com");
    k.aud = MM_BYTES_LIT("coap://light.example.com");
    assert_int_equal(mm_cwt_validate(&c, &k), MM_OK);
    k.aud = MM_BYTES_LIT("coap://other.example.com");
    assert_int_equal(mm_cwt_validate(&c, &k), MM_ERR_CLAIM_MISMATCH);
    k.aud = mm_bytes_make(NULL, 0);
    k.iss = MM_BYTES_LIT("someone else");
    assert_int_equal(mm_cwt_validate(&c, &k), MM_ERR_CLAIM_MISMATCH);
    /* Required exp when the token has none. */
    mm_cwt_claims none;
    uint8_t empty[] = {0xa0};
    assert_int_equal(mm_cwt_claims_decode(mm_bytes_make(empty, 1), &none), MM_OK);
    memset(&k, 0, sizeof k);
    k.require_exp = true;
    assert_int_equal(mm_cwt_validate(&none, &k), MM_ERR_MISSING_FIELD);
    k.require_exp = false;
    k.iss = MM_BYTES_LIT("x");
    assert_int_equal(mm_cwt_validate(&none, &k), MM_ERR_MISSING_FIELD);
}

static void test_tokens(void **state)
{
    (void)state;
    uint8_t claims[256];
    size_t cn = make_claims(claims, sizeof claims);
    mm_key ec, mac;
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &ec), MM_OK);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_SYMMETRIC, 256, MM_ALG_HMAC256_64, 0, &mac), MM_OK);
    mm_cwt_check k;
    memset(&k, 0, sizeof k);
    k.now = 1444000000;
    for (int variant = 0; variant < 4; variant++) {
        bool use_mac = (variant & 1) != 0;
        bool untagged = (variant & 2) != 0;
        mm_cose_create_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = crypto;
        o.key = use_mac ? &mac : &ec;
        o.flags = untagged ? MM_COSE_UNTAGGED : 0;
        uint8_t token[512];
        /* Room for tag 61 in front. */
        mm_buf out = mm_buf_make(token + 2, sizeof token - 2);
        if (use_mac) {
            assert_int_equal(mm_cose_mac0_create(&o, mm_bytes_make(claims, cn), &out), MM_OK);
        } else {
            assert_int_equal(mm_cose_sign1_create(&o, mm_bytes_make(claims, cn), &out), MM_OK);
        }
        mm_cose_verify_opts v;
        memset(&v, 0, sizeof v);
        v.crypto = crypto;
        v.key = use_mac ? &mac : &ec;
        mm_cwt_claims c;
        assert_int_equal(mm_cwt_verify(mm_bytes_make(token + 2, out.len), &v, &k, &c), MM_OK);
        assert_true(mm_bytes_equal(c.iss, MM_BYTES_LIT("coap://as.example.com")));
        /* With the CWT tag in front. */
        token[0] = 0xd8;
        token[1] = 0x3d;
        assert_int_equal(mm_cwt_verify(mm_bytes_make(token, out.len + 2), &v, &k, &c), MM_OK);
        /* Expired by the caller's clock. */
        mm_cwt_check late = k;
        late.now = 1500000000;
        assert_int_equal(mm_cwt_verify(mm_bytes_make(token, out.len + 2), &v, &late, &c), MM_ERR_EXPIRED);
        /* The other key type cannot verify it. */
        v.key = use_mac ? &ec : &mac;
        assert_true(mm_cwt_verify(mm_bytes_make(token, out.len + 2), &v, &k, &c) != MM_OK);
    }
    mm_key_free(&ec);
    mm_key_free(&mac);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claims_roundtrip),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_tokens),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
