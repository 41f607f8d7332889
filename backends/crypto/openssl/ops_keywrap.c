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

/* Wraps (enc 1) or unwraps (enc 0) in into out, which gets 8 bytes more or
 * less. An input shorter than min_len or not whole 64-bit blocks gets
 * bad_len; a failed run wipes out and gets fail. */
static mm_err wrap_dir(const mm_key *kek, int enc, mm_bytes in, uint8_t *out, size_t min_len, mm_err bad_len,
                       mm_err fail)
{
    const mo_symkey *k = mo_sym(kek);
    if (k == NULL || wrap_cipher(k->len) == NULL) {
        return k == NULL ? mo_key_err(kek) : MM_ERR_KEY_USAGE;
    }
    if (in.len < min_len || in.len % 8 != 0) {
        return bad_len;
    }
    size_t out_len = enc ? in.len + 8 : in.len - 8;
    if (in.len > INT_MAX || out_len > INT_MAX) {
        return MM_ERR_TOO_LARGE;
    }
    if (run(k, enc, in, out) != (int)out_len) {
        mm_wipe(out, out_len);
        return fail;
    }
    return MM_OK;
}

mm_err mo_key_wrap(const mm_key *kek, mm_bytes in, uint8_t *out)
{
    return wrap_dir(kek, 1, in, out, 16, MM_ERR_INVALID_ARG, MM_ERR_PLATFORM);
}

mm_err mo_key_unwrap(const mm_key *kek, mm_bytes in, uint8_t *out)
{
    /* No wrapped key is shorter than 24 bytes, and OpenSSL fails an unwrap
     * only on a bad integrity check once the KEK and lengths are right. */
    return wrap_dir(kek, 0, in, out, 24, MM_ERR_VERIFY, MM_ERR_VERIFY);
}
