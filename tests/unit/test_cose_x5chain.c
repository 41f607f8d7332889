/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9360 in COSE: a COSE_Sign1 whose signer is named by x5chain (and
 * x5t), verified with the leaf's key after the chain validates to a
 * caller-given root. */
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mm_test.h"
#include "mm_test_x509.h"

static const mm_crypto *crypto;

static mm_bytes view(mm_test_der d) { return mm_bytes_make(d.ptr, d.len); }

static void gen(int32_t crv, int32_t alg, mm_key *k)
{
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, crv, alg, 0, k), MM_OK);
}

/* Encodes an x5chain value: one bstr, or an array of them. */
static size_t encode_chain(const mm_test_der *certs, size_t n, uint8_t *out, size_t cap)
{
    mm_cbor_enc e;
    mm_cbor_enc_init(&e, out, cap);
    if (n == 1) {
        mm_cbor_put_bstr(&e, view(certs[0]));
    } else {
        mm_cbor_put_array(&e, n);
        for (size_t i = 0; i < n; i++) {
            mm_cbor_put_bstr(&e, view(certs[i]));
        }
    }
    size_t len;
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    return len;
}

/* [-16, SHA-256(cert)], or of another hash when flip is set. */
static size_t encode_x5t(mm_test_der cert, bool flip, uint8_t *out, size_t cap)
{
    uint8_t h[MM_HASH_MAX];
    size_t n;
    assert_int_equal(mm_hash(crypto, MM_ALG_SHA256, view(cert), h, &n), MM_OK);
    h[0] ^= flip ? 1 : 0;
    mm_cbor_enc e;
    mm_cbor_enc_init(&e, out, cap);
    mm_cbor_put_array(&e, 2);
    mm_cbor_put_int(&e, MM_ALG_SHA256);
    mm_cbor_put_bstr(&e, mm_bytes_make(h, n));
    size_t len;
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    return len;
}

static mm_err sign_and_check(const mm_key *leaf_key, const mm_cose_param *params, size_t n_params,
                             const mm_bytes *roots, size_t n_roots)
{
    static uint8_t msg[8192];
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.key = leaf_key;
    o.alg = MM_ALG_ES256;
    o.params = params;
    o.n_params = n_params;
    mm_buf out = mm_buf_make(msg, sizeof msg);
    assert_int_equal(mm_cose_sign1_create(&o, MM_BYTES_LIT("release 1.0"), &out), MM_OK);
    mm_cose_sign1 s;
    assert_int_equal(mm_cose_sign1_decode(mm_bytes_make(msg, out.len), &s, NULL), MM_OK);
    mm_key signer;
    mm_err e = mm_openssl_cose_x5chain_key(&s.hdr, roots, n_roots, -1, &signer);
    if (e != MM_OK) {
        return e;
    }
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = crypto;
    v.key = &signer;
    e = mm_cose_sign1_verify(&s, &v);
    mm_key_free(&signer);
    return e;
}

static void test_x5chain_sign1(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    mm_key root_k, inter_k, leaf_k, other_k;
    gen(MM_CRV_P256, 0, &root_k);
    gen(MM_CRV_P256, 0, &inter_k);
    gen(MM_CRV_P256, MM_ALG_ES256, &leaf_k);
    gen(MM_CRV_P256, 0, &other_k);
    X509 *root = mm_test_make_cert(root_k.handle, "root", NULL, NULL, true, "critical,keyCertSign");
    X509 *inter = mm_test_make_cert(inter_k.handle, "intermediate", root, root_k.handle, true, "critical,keyCertSign");
    X509 *leaf =
        mm_test_make_cert(leaf_k.handle, "release signer", inter, inter_k.handle, false, "critical,digitalSignature");
    X509 *other_root = mm_test_make_cert(other_k.handle, "other root", NULL, NULL, true, "critical,keyCertSign");
    mm_test_der d_root = mm_test_cert_der(root), d_inter = mm_test_cert_der(inter), d_leaf = mm_test_cert_der(leaf),
                d_other = mm_test_cert_der(other_root);
    mm_test_der chain[2] = {d_leaf, d_inter};
    static uint8_t chain_enc[4096], x5t_enc[64], bad_x5t[64];
    size_t chain_len = encode_chain(chain, 2, chain_enc, sizeof chain_enc);
    size_t x5t_len = encode_x5t(d_leaf, false, x5t_enc, sizeof x5t_enc);
    size_t bad_len = encode_x5t(d_leaf, true, bad_x5t, sizeof bad_x5t);
    mm_bytes roots[1] = {view(d_root)};
    mm_bytes wrong_roots[1] = {view(d_other)};

    mm_cose_param p[2] = {
        {MM_HDR_X5CHAIN, mm_bytes_make(chain_enc, chain_len), MM_COSE_PROTECTED},
        {MM_HDR_X5T, mm_bytes_make(x5t_enc, x5t_len), MM_COSE_PROTECTED},
    };
    /* The chain validates to the root: the leaf's key verifies. */
    assert_int_equal(sign_and_check(&leaf_k, p, 1, roots, 1), MM_OK);
    assert_int_equal(sign_and_check(&leaf_k, p, 2, roots, 1), MM_OK);
    /* Not to another root. */
    assert_int_equal(sign_and_check(&leaf_k, p, 1, wrong_roots, 1), MM_ERR_VERIFY);
    /* An x5t naming another certificate. */
    p[1].value = mm_bytes_make(bad_x5t, bad_len);
    assert_int_equal(sign_and_check(&leaf_k, p, 2, roots, 1), MM_ERR_VERIFY);
    /* Signed by a key other than the leaf's: the chain is fine, the
     * signature is not. */
    assert_int_equal(sign_and_check(&other_k, p, 1, roots, 1), MM_ERR_VERIFY);
    /* A leaf alone (one bstr) verifies when the leaf itself is pinned. */
    size_t one_len = encode_chain(&d_leaf, 1, chain_enc, sizeof chain_enc);
    mm_cose_param one = {MM_HDR_X5CHAIN, mm_bytes_make(chain_enc, one_len), MM_COSE_PROTECTED};
    mm_bytes pinned[1] = {view(d_leaf)};
    assert_int_equal(sign_and_check(&leaf_k, &one, 1, pinned, 1), MM_OK);
    assert_int_equal(sign_and_check(&leaf_k, &one, 1, roots, 1), MM_ERR_VERIFY); /* intermediate missing */
    /* No x5chain at all. */
    assert_int_equal(sign_and_check(&leaf_k, NULL, 0, roots, 1), MM_ERR_MISSING_FIELD);

    /* The x5t check on its own, and its refusals. */
    mm_cose_headers h;
    memset(&h, 0, sizeof h);
    h.present = MM_HDRBIT_X5T;
    h.x5t = mm_bytes_make(x5t_enc, x5t_len);
    assert_int_equal(mm_cose_x5t_check(crypto, &h, view(d_leaf)), MM_OK);
    assert_int_equal(mm_cose_x5t_check(crypto, &h, view(d_inter)), MM_ERR_VERIFY);
    static const uint8_t unknown_hash[] = {0x82, 0x19, 0x01, 0x00, 0x41, 0x00};
    h.x5t = mm_bytes_make(unknown_hash, sizeof unknown_hash);
    assert_int_equal(mm_cose_x5t_check(crypto, &h, view(d_leaf)), MM_ERR_UNSUPPORTED_ALG);
    h.present = 0;
    assert_int_equal(mm_cose_x5t_check(crypto, &h, view(d_leaf)), MM_ERR_MISSING_FIELD);

    X509_free(root);
    X509_free(inter);
    X509_free(leaf);
    X509_free(other_root);
    OPENSSL_free(d_root.ptr);
    OPENSSL_free(d_inter.ptr);
    OPENSSL_free(d_leaf.ptr);
    OPENSSL_free(d_other.ptr);
    mm_key_free(&root_k);
    mm_key_free(&inter_k);
    mm_key_free(&leaf_k);
    mm_key_free(&other_k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x5chain_sign1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
