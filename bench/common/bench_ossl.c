/* SPDX-License-Identifier: Apache-2.0 */
/* One key on both sides of a benchmark: see bench_ossl.h. */
#include "bench_ossl.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bench_common.h"
#include "mamori/cbor.h"
#include "mamori/crypto_openssl.h"
#include "mamori/cwt.h"

EVP_PKEY *bench_public_half(EVP_PKEY *key)
{
    unsigned char *spki = NULL;
    int spki_len = i2d_PUBKEY(key, &spki);
    bench_require(spki_len > 0, "i2d_PUBKEY");
    const unsigned char *p = spki;
    EVP_PKEY *pub = d2i_PUBKEY(NULL, &p, spki_len);
    bench_require(pub != NULL, "d2i_PUBKEY");
    OPENSSL_free(spki);
    return pub;
}

void bench_import_private(EVP_PKEY *priv, int32_t alg, mm_key *out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    bench_require(bio != NULL && PEM_write_bio_PrivateKey(bio, priv, NULL, NULL, 0, NULL, NULL) == 1,
                  "PEM_write_bio_PrivateKey");
    char *pem = NULL;
    long len = BIO_get_mem_data(bio, &pem);
    bench_require(len > 0 && pem != NULL, "BIO_get_mem_data");
    bench_check(mm_openssl_import_private_key(mm_bytes_make(pem, (size_t)len), alg, 0, out),
                "mm_openssl_import_private_key");
    BIO_free(bio);
}

void bench_ecdsa_init(bench_ecdsa *b, EVP_PKEY *key, const char *digest, char op)
{
    b->md = EVP_MD_fetch(NULL, digest, NULL);
    b->ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    bench_require(b->md != NULL && b->ctx != NULL &&
                      (op == 's' ? EVP_PKEY_sign_init(b->ctx) : EVP_PKEY_verify_init(b->ctx)) == 1,
                  "a prepared ECDSA context");
}

int bench_ecdsa_verify(const bench_ecdsa *b, const uint8_t *der, size_t der_len, const uint8_t *msg, size_t len)
{
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    return EVP_Digest(msg, len, d, &n, b->md, NULL) == 1 && EVP_PKEY_verify(b->ctx, der, der_len, d, n) == 1;
}

int bench_ecdsa_sign(const bench_ecdsa *b, uint8_t *der, size_t *der_len, const uint8_t *msg, size_t len)
{
    uint8_t d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    return EVP_Digest(msg, len, d, &n, b->md, NULL) == 1 && EVP_PKEY_sign(b->ctx, der, der_len, d, n) == 1;
}

void bench_ecdsa_free(bench_ecdsa *b)
{
    EVP_PKEY_CTX_free(b->ctx);
    EVP_MD_free(b->md);
    b->ctx = NULL;
    b->md = NULL;
}

void bench_open_sign1(mm_bytes msg, mm_cose_sign1 *out)
{
    mm_cbor_dec d;
    bool tagged = false;
    bench_check(mm_cbor_dec_init(&d, msg, 0), "the message");
    bench_check(mm_cbor_opt_tag(&d, MM_CWT_TAG, &tagged), "tag 61");
    size_t at = mm_cbor_dec_offset(&d);
    bench_check(mm_cose_sign1_decode(mm_bytes_make(msg.ptr + at, msg.len - at), out, NULL), "COSE_Sign1");
}

size_t bench_sig_structure1(mm_bytes protected_bytes, mm_bytes payload, uint8_t *out, size_t cap)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out, cap);
    mm_cbor_put_array(&enc, 4);
    mm_cbor_put_cstr(&enc, "Signature1");
    mm_cbor_put_bstr(&enc, protected_bytes);
    mm_cbor_put_bstr(&enc, mm_bytes_make(NULL, 0));
    mm_cbor_put_bstr(&enc, payload);
    size_t len = 0;
    bench_check(mm_cbor_enc_finish(&enc, &len), "Sig_structure");
    return len;
}

size_t bench_es256_der(const uint8_t rs[64], uint8_t *der, size_t cap)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, 32, NULL);
    BIGNUM *s = BN_bin2bn(rs + 32, 32, NULL);
    bench_require(sig != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(sig, r, s) == 1, "ECDSA_SIG_set0");
    int len = i2d_ECDSA_SIG(sig, NULL);
    bench_require(len > 0 && (size_t)len <= cap, "i2d_ECDSA_SIG");
    unsigned char *p = der;
    bench_require(i2d_ECDSA_SIG(sig, &p) == len, "i2d_ECDSA_SIG");
    ECDSA_SIG_free(sig);
    return (size_t)len;
}

EVP_PKEY *bench_libcrypto_public(const mm_key *key)
{
    uint8_t spki[1024];
    mm_buf out = mm_buf_make(spki, sizeof spki);
    bench_check(mm_openssl_export_public_key(key, MM_OPENSSL_DER, &out), "the public key's SubjectPublicKeyInfo");
    const unsigned char *q = spki;
    EVP_PKEY *pub = d2i_PUBKEY(NULL, &q, (long)out.len);
    bench_require(pub != NULL, "d2i_PUBKEY");
    return pub;
}
