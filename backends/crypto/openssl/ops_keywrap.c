/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AES key wrap (RFC 3394, default IV) with a 128/192/256-bit KEK. OpenSSL's
 * wrap ciphers take the whole input in one update, and refuse to run unless
 * the caller opts in with EVP_CIPHER_CTX_FLAG_WRAP_ALLOW.
 */
#include <limits.h>

#include "internal.h"

static const EVP_CIPHER *wrap_cipher(size_t kek_len)
{
    switch (kek_len) {
    case 16:
        return EVP_aes_128_wrap();
    case 24:
        return EVP_aes_192_wrap();
    case 32:
        return EVP_aes_256_wrap();
    default:
        return NULL;
    }
}

/* Runs one wrap (enc 1) or unwrap (enc 0) of in into out; returns the
 * length written, or -1. */
static int run(const mo_symkey *kek, int enc, mm_bytes in, uint8_t *out)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (c == NULL) {
        return -1;
    }
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    int n = -1;
    int fin = 0;
    uint8_t last[16];
    if (EVP_CipherInit_ex2(c, wrap_cipher(kek->len), kek->k, NULL, enc, NULL) != 1 ||
        EVP_CipherUpdate(c, out, &n, in.ptr, (int)in.len) != 1 || EVP_CipherFinal_ex(c, last, &fin) != 1 || fin != 0) {
        n = -1;
    }
    EVP_CIPHER_CTX_free(c);
    return n;
}

/* The KEK's secret; NULL with *e set if it is not an AES key. */
static const mo_symkey *kek_of(const mm_key *kek, mm_err *e)
{
    const mo_symkey *k = mo_sym(kek);
    if (k == NULL || wrap_cipher(k->len) == NULL) {
        *e = k == NULL ? mo_key_err(kek) : MM_ERR_KEY_USAGE;
        return NULL;
    }
    *e = MM_OK;
    return k;
}

mm_err mo_key_wrap(const mm_key *kek, mm_bytes in, uint8_t *out)
{
    mm_err e = MM_OK;
    const mo_symkey *k = kek_of(kek, &e);
    if (k == NULL) {
        return e;
    }
    if (in.len < 16 || in.len % 8 != 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (in.len > INT_MAX - 8) {
        return MM_ERR_TOO_LARGE;
    }
    if (run(k, 1, in, out) != (int)in.len + 8) {
        mm_wipe(out, in.len + 8);
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}

mm_err mo_key_unwrap(const mm_key *kek, mm_bytes in, uint8_t *out)
{
    mm_err e = MM_OK;
    const mo_symkey *k = kek_of(kek, &e);
    if (k == NULL) {
        return e;
    }
    if (in.len < 24 || in.len % 8 != 0) {
        return MM_ERR_VERIFY; /* no wrapped key has this length */
    }
    if (in.len > INT_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    /* OpenSSL fails an unwrap only on a bad integrity check once the KEK
     * and lengths are right. */
    if (run(k, 0, in, out) != (int)in.len - 8) {
        mm_wipe(out, in.len - 8);
        return MM_ERR_VERIFY;
    }
    return MM_OK;
}
