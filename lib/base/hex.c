/* SPDX-License-Identifier: Apache-2.0 */
/* Hexadecimal text to bytes and back. */
#include "mamori/base.h"
#include "text.h"

mm_err mm_hex_encode(mm_bytes in, mm_buf *out)
{
    static const char digits[] = "0123456789abcdef";
    if (out == NULL || (in.ptr == NULL && in.len != 0) || in.len > SIZE_MAX / 2) {
        return MM_ERR_INVALID_ARG;
    }
    out->len = in.len * 2;
    if (out->cap < out->len) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < in.len; i++) {
        out->ptr[2 * i] = (uint8_t)digits[in.ptr[i] >> 4];
        out->ptr[2 * i + 1] = (uint8_t)digits[in.ptr[i] & 0x0f];
    }
    return MM_OK;
}

int mm_hex_digit(uint8_t c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

mm_err mm_hex_decode(mm_bytes text, unsigned flags, mm_buf *out, size_t *err_off)
{
    if (out == NULL || (text.ptr == NULL && text.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    /* First pass validates and counts, so a too-small buffer reports the
     * exact need and nothing half-written is mistaken for a result. */
    size_t digits = 0;
    size_t last_digit_off = 0;
    for (size_t i = 0; i < text.len; i++) {
        uint8_t c = text.ptr[i];
        if ((flags & MM_TEXT_SKIP_SPACE) != 0 && mm_text_is_space(c)) {
            continue;
        }
        if (mm_hex_digit(c) < 0) {
            if (err_off != NULL) {
                *err_off = i;
            }
            return MM_ERR_BAD_HEX;
        }
        digits++;
        last_digit_off = i;
    }
    if (digits % 2 != 0) {
        if (err_off != NULL) {
            *err_off = last_digit_off;
        }
        return MM_ERR_BAD_HEX;
    }
    out->len = digits / 2;
    if (out->cap < out->len) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    size_t n = 0;
    int high = -1;
    for (size_t i = 0; i < text.len; i++) {
        int v = mm_hex_digit(text.ptr[i]);
        if (v < 0) {
            continue; /* white space, already validated */
        }
        if (high < 0) {
            high = v;
        } else {
            out->ptr[n++] = (uint8_t)((high << 4) | v);
            high = -1;
        }
    }
    return MM_OK;
}
