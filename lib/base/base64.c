/* SPDX-License-Identifier: Apache-2.0 */
/* Base64 and base64url (RFC 4648) to bytes and back, canonical only. */
#include "mamori/base.h"
#include "text.h"

static const char alphabet_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char alphabet_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

mm_err mm_base64_encode(mm_bytes in, mm_b64_alphabet alpha, mm_buf *out)
{
    if (out == NULL || (in.ptr == NULL && in.len != 0) || in.len > (SIZE_MAX / 4) * 3 - 2 ||
        (alpha != MM_B64 && alpha != MM_B64URL)) {
        return MM_ERR_INVALID_ARG;
    }
    const char *a = alpha == MM_B64URL ? alphabet_url : alphabet_std;
    size_t full = in.len / 3;
    size_t rest = in.len % 3;
    size_t need = full * 4;
    if (rest != 0) {
        need += alpha == MM_B64URL ? rest + 1 : 4;
    }
    out->len = need;
    if (out->cap < need) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    uint8_t *o = out->ptr;
    const uint8_t *p = in.ptr;
    for (size_t i = 0; i < full; i++, p += 3) {
        uint32_t v = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
        *o++ = (uint8_t)a[(v >> 18) & 63];
        *o++ = (uint8_t)a[(v >> 12) & 63];
        *o++ = (uint8_t)a[(v >> 6) & 63];
        *o++ = (uint8_t)a[v & 63];
    }
    if (rest != 0) {
        uint32_t v = (uint32_t)p[0] << 16;
        if (rest == 2) {
            v |= (uint32_t)p[1] << 8;
        }
        *o++ = (uint8_t)a[(v >> 18) & 63];
        *o++ = (uint8_t)a[(v >> 12) & 63];
        if (rest == 2) {
            *o++ = (uint8_t)a[(v >> 6) & 63];
        }
        if (alpha == MM_B64) {
            if (rest == 1) {
                *o++ = '=';
            }
            *o++ = '=';
        }
    }
    return MM_OK;
}

int mm_base64_symbol(uint8_t c, mm_b64_alphabet alpha)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (alpha == MM_B64URL) {
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static mm_err b64_fail(size_t *err_off, size_t off)
{
    if (err_off != NULL) {
        *err_off = off;
    }
    return MM_ERR_BAD_BASE64;
}

mm_err mm_base64_decode(mm_bytes text, mm_b64_alphabet alpha, unsigned flags, mm_buf *out, size_t *err_off)
{
    if (out == NULL || (text.ptr == NULL && text.len != 0) || (alpha != MM_B64 && alpha != MM_B64URL)) {
        return MM_ERR_INVALID_ARG;
    }
    bool skip = (flags & MM_TEXT_SKIP_SPACE) != 0;
    /* Pass 1: validate and count symbols and padding. */
    size_t symbols = 0;
    size_t pad = 0;
    size_t last_off = 0;
    for (size_t i = 0; i < text.len; i++) {
        uint8_t c = text.ptr[i];
        if (skip && mm_text_is_space(c)) {
            continue;
        }
        if (c == '=') {
            pad++;
            if (pad > 2) {
                return b64_fail(err_off, i);
            }
            continue;
        }
        if (pad != 0 || mm_base64_symbol(c, alpha) < 0) {
            return b64_fail(err_off, i); /* symbol after padding, or not in the alphabet */
        }
        symbols++;
        last_off = i;
    }
    size_t rem = symbols % 4;
    if (rem == 1 || (pad != 0 && rem + pad != 4)) {
        return b64_fail(err_off, text.len == 0 ? 0 : text.len - 1);
    }
    out->len = (symbols / 4) * 3 + (rem == 0 ? 0 : rem - 1);
    /* Canonical form: the bits after the last byte must be zero. */
    if (rem != 0) {
        int v = mm_base64_symbol(text.ptr[last_off], alpha);
        int mask = rem == 2 ? 0x0f : 0x03;
        if ((v & mask) != 0) {
            return b64_fail(err_off, last_off);
        }
    }
    if (out->cap < out->len) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < text.len; i++) {
        uint8_t c = text.ptr[i];
        if (c == '=' || (skip && mm_text_is_space(c))) {
            continue;
        }
        acc = (acc << 6) | (uint32_t)mm_base64_symbol(c, alpha);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out->ptr[n++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1u;
        }
    }
    return MM_OK;
}
