/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HKDF (RFC 5869) as two separate steps, since HPKE labels each one: EVP_KDF
 * "HKDF" in EXTRACT_ONLY and EXPAND_ONLY modes.
 */
#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include "internal.h"
#include "mamori/crypto_openssl.h"

/* Runs HKDF in mode with key (IKM or PRK) and an optional salt or info. */
static mm_err hkdf(int mode, int32_t hash_alg, mm_bytes key, const char *extra_name, mm_bytes extra, uint8_t *out,
                   size_t out_len)
{
    const char *md = mo_md_name(hash_alg);
    if (md == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    OSSL_PARAM params[5];
    size_t n = 0;
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, mo_unconst(md), 0);
    params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    /* An empty IKM is legal (RFC 5869); OpenSSL needs a pointer for it. */
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, mo_unconst(mo_ptr(key)), key.len);
    if (extra.len > 0) {
        params[n++] = OSSL_PARAM_construct_octet_string(extra_name, mo_unconst(extra.ptr), extra.len);
    }
    params[n] = OSSL_PARAM_construct_end();

    EVP_KDF *kdf = EVP_KDF_fetch(NULL, OSSL_KDF_NAME_HKDF, NULL);
    EVP_KDF_CTX *c = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
    EVP_KDF_free(kdf);
    int ok = c != NULL && EVP_KDF_derive(c, out, out_len, params) == 1;
    EVP_KDF_CTX_free(c);
    return ok ? MM_OK : MM_ERR_PLATFORM;
}

mm_err mo_hkdf_extract(int32_t hash_alg, mm_bytes salt, mm_bytes ikm, uint8_t prk[MM_HASH_MAX], size_t *prk_len)
{
    size_t n = mm_hash_len(hash_alg);
    /* An absent salt is HashLen zeros (RFC 5869 2.2), which HMAC's zero
     * padding makes equal to an empty one: leaving it out is exact. */
    mm_err e = hkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, hash_alg, ikm, OSSL_KDF_PARAM_SALT, salt, prk, n);
    if (e == MM_OK) {
        *prk_len = n;
    }
    return e;
}

mm_err mo_hkdf_expand(int32_t hash_alg, mm_bytes prk, mm_bytes info, uint8_t *okm, size_t okm_len)
{
    size_t n = mm_hash_len(hash_alg);
    if (n == 0) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    if (prk.len < n || okm_len > 255 * n) {
        return MM_ERR_INVALID_ARG; /* RFC 5869 2.3: PRK of at least HashLen; L <= 255 HashLen */
    }
    if (info.len > MM_OPENSSL_HKDF_INFO_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    if (okm_len == 0) {
        return MM_OK; /* nothing to write; OpenSSL refuses a zero length */
    }
    mm_err e = hkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, hash_alg, prk, OSSL_KDF_PARAM_INFO, info, okm, okm_len);
    if (e != MM_OK) {
        mm_wipe(okm, okm_len);
    }
    return e;
}
