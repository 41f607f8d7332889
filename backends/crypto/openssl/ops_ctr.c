/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Streaming AES-CTR (RFC 9459: A128CTR, A192CTR, A256CTR). OpenSSL's CTR
 * mode counts over the whole 16-byte block as one big-endian number, which
 * is what the contract asks, and carries partial blocks between updates.
 */
#include "internal.h"

mm_err mo_ctr_init(mm_crypto_ctx *ctx, int32_t alg, const mm_key *key, const uint8_t iv[16])
{
    const EVP_CIPHER *cipher = NULL;
    size_t key_len = 0;
    switch (alg) {
    case MM_ALG_A128CTR:
        cipher = EVP_aes_128_ctr();
        key_len = 16;
        break;
    case MM_ALG_A192CTR:
        cipher = EVP_aes_192_ctr();
        key_len = 24;
        break;
    case MM_ALG_A256CTR:
        cipher = EVP_aes_256_ctr();
        key_len = 32;
        break;
    default:
        return MM_ERR_UNSUPPORTED_ALG;
    }
    const mo_symkey *k = mo_sym(key);
    if (k == NULL) {
        return mo_key_err(key);
    }
    if (k->len != key_len) {
        return MM_ERR_KEY_USAGE;
    }
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c == NULL || EVP_EncryptInit_ex2(c, cipher, k->k, iv, NULL) != 1) {
        EVP_CIPHER_CTX_free(c);
        return MM_ERR_PLATFORM;
    }
    mo_ctx_put(ctx, MO_CTX_CTR, c);
    return MM_OK;
}

mm_err mo_ctr_update(mm_crypto_ctx *ctx, mm_bytes in, uint8_t *out)
{
    EVP_CIPHER_CTX *c = mo_ctx_get(ctx, MO_CTX_CTR);
    if (c == NULL) {
        return MM_ERR_STATE;
    }
    if (out == NULL && in.len > 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (mo_cipher_update(c, out, in.ptr, in.len) != 1) {
        if (in.len > 0) {
            mm_wipe(out, in.len);
        }
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

void mo_ctr_end(mm_crypto_ctx *ctx)
{
    EVP_CIPHER_CTX_free(mo_ctx_get(ctx, MO_CTX_CTR)); /* wipes the key schedule */
    mo_ctx_clear(ctx);
}
