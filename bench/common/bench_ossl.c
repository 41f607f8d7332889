/* SPDX-License-Identifier: Apache-2.0 */
/* One key on both sides of a benchmark: see bench_ossl.h. */
#include "bench_ossl.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "bench_common.h"
#include "mamori/crypto_openssl.h"

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
