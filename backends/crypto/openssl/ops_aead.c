/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One-shot AEAD: AES-GCM (A128GCM, A192GCM, A256GCM) and ChaCha20/Poly1305,
 * with the 12-byte nonce and 16-byte tag RFC 9053 uses for both. A tag that
 * does not verify leaves only zeros in the output.
 */
#include <string.h>

#include "internal.h"

#define NONCE_LEN 12
#define TAG_LEN   16

static const EVP_CIPHER *aead_cipher(int32_t alg, size_t *key_len)
{
    switch (alg) {
    case MM_ALG_A128GCM:
        *key_len = 16;
        return EVP_aes_128_gcm();
    case MM_ALG_A192GCM:
        *key_len = 24;
        return EVP_aes_192_gcm();
    case MM_ALG_A256GCM:
        *key_len = 32;
        return EVP_aes_256_gcm();
    case MM_ALG_CHACHA20_POLY1305:
        *key_len = 32;
        return EVP_chacha20_poly1305();
    default:
        return NULL;
    }
}

/* A context keyed for alg with key and nonce (enc: 1 encrypt, 0 decrypt),
 * AAD already fed; NULL with *e set on failure. */
static EVP_CIPHER_CTX *start(int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, int enc, mm_err *e)
{
    size_t key_len = 0;
    const EVP_CIPHER *cipher = aead_cipher(alg, &key_len);
    if (cipher == NULL) {
        *e = MM_ERR_UNSUPPORTED_ALG;
        return NULL;
    }
    const mo_symkey *k = mo_sym(key);
    if (k == NULL || k->len != key_len) {
        *e = k == NULL ? mo_key_err(key) : MM_ERR_KEY_USAGE;
        return NULL;
    }
    if (nonce.len != NONCE_LEN) {
        *e = MM_ERR_INVALID_ARG;
        return NULL;
    }
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c == NULL || EVP_CipherInit_ex2(c, cipher, k->k, nonce.ptr, enc, NULL) != 1 ||
        mo_cipher_update(c, NULL, aad.ptr, aad.len) != 1) {
        EVP_CIPHER_CTX_free(c);
        *e = MM_ERR_PLATFORM;
        return NULL;
    }
    *e = MM_OK;
    return c;
}

mm_err mo_aead_encrypt(int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes pt, uint8_t *out)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG; /* EVP would take a NULL output for AAD */
    }
    mm_err e = MM_OK;
    EVP_CIPHER_CTX *c = start(alg, key, nonce, aad, 1, &e);
    if (c == NULL) {
        return e;
    }
    uint8_t last[TAG_LEN]; /* stream modes finish with nothing to write */
    int last_len = 0;
    int ok = mo_cipher_update(c, out, pt.ptr, pt.len) == 1 && EVP_EncryptFinal_ex(c, last, &last_len) == 1 &&
             last_len == 0 && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, TAG_LEN, out + pt.len) == 1;
    EVP_CIPHER_CTX_free(c);
    if (!ok) {
        mm_wipe(out, pt.len + TAG_LEN);
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

mm_err mo_aead_decrypt(int32_t alg, const mm_key *key, mm_bytes nonce, mm_bytes aad, mm_bytes ct_tag, uint8_t *out)
{
    if (ct_tag.len < TAG_LEN) {
        size_t key_len = 0;
        return aead_cipher(alg, &key_len) == NULL ? MM_ERR_UNSUPPORTED_ALG : MM_ERR_VERIFY; /* no room for a tag */
    }
    size_t ct_len = ct_tag.len - TAG_LEN;
    if (out == NULL && ct_len > 0) {
        return MM_ERR_INVALID_ARG; /* EVP would take a NULL output for AAD */
    }
    uint8_t tag[TAG_LEN]; /* the ctrl takes a writable pointer, and out may overlap ct_tag */
    memcpy(tag, ct_tag.ptr + ct_len, TAG_LEN);
    mm_err e = MM_OK;
    EVP_CIPHER_CTX *c = start(alg, key, nonce, aad, 0, &e);
    if (c == NULL) {
        return e;
    }
    uint8_t last[TAG_LEN];
    int last_len = 0;
    int ok = mo_cipher_update(c, out, ct_tag.ptr, ct_len) == 1 &&
             EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, TAG_LEN, tag) == 1;
    if (!ok) {
        e = MM_ERR_PLATFORM;
    } else if (EVP_DecryptFinal_ex(c, last, &last_len) != 1 || last_len != 0) {
        e = MM_ERR_VERIFY;
    }
    EVP_CIPHER_CTX_free(c);
    if (e != MM_OK && ct_len > 0) {
        mm_wipe(out, ct_len);
    }
    return e;
}
