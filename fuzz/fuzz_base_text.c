/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for hex and base64 (both alphabets). The input is used twice:
 * as text, decoded under every flag and compared with a small reference
 * decoder written here (same verdict, same bytes; and re-encoding a
 * canonical text gives it back), and as bytes, encoded and decoded again.
 * The size-only calls must predict the real sizes.
 */
#include "fuzz_common.h"

static bool is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static int ref_hex_digit(uint8_t c)
{
    static const char lower[] = "0123456789abcdef";
    static const char upper[] = "0123456789ABCDEF";
    for (int i = 0; i < 16; i++) {
        if (c == (uint8_t)lower[i] || c == (uint8_t)upper[i]) {
            return i;
        }
    }
    return -1;
}

/* Reference hex decoder: out has room for text.len / 2 bytes. */
static bool ref_hex(mm_bytes text, bool skip, uint8_t *out, size_t *n)
{
    size_t digits = 0;
    unsigned acc = 0;
    *n = 0;
    for (size_t i = 0; i < text.len; i++) {
        if (skip && is_space(text.ptr[i])) {
            continue;
        }
        int v = ref_hex_digit(text.ptr[i]);
        if (v < 0) {
            return false;
        }
        acc = (acc << 4) | (unsigned)v;
        if (++digits % 2 == 0) {
            out[(*n)++] = (uint8_t)acc;
            acc = 0;
        }
    }
    return digits % 2 == 0;
}

static int ref_b64_symbol(uint8_t c, mm_b64_alphabet alpha)
{
    const char *a = alpha == MM_B64URL ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                       : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; i++) {
        if (c == (uint8_t)a[i]) {
            return i;
        }
    }
    return -1;
}

/* Reference base64 decoder (RFC 4648, canonical only: padding optional but
 * exact when present, unused bits zero). out has room for text.len bytes. */
static bool ref_b64(mm_bytes text, mm_b64_alphabet alpha, bool skip, uint8_t *out, size_t *n)
{
    size_t symbols = 0;
    size_t pad = 0;
    uint32_t acc = 0;
    unsigned bits = 0;
    *n = 0;
    for (size_t i = 0; i < text.len; i++) {
        uint8_t c = text.ptr[i];
        if (skip && is_space(c)) {
            continue;
        }
        if (c == '=') {
            pad++;
            continue;
        }
        int v = ref_b64_symbol(c, alpha);
        if (v < 0 || pad != 0) {
            return false;
        }
        symbols++;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[(*n)++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1u;
        }
    }
    size_t rem = symbols % 4;
    if (rem == 1 || pad > 2 || (pad != 0 && rem + pad != 4)) {
        return false;
    }
    return acc == 0; /* the bits after the last whole byte */
}

/* Decodes text with the library: dry run, then into an exact-size block.
 * Returns the verdict; *out (to free) and *n get the bytes on success. */
static mm_err lib_decode(mm_bytes text, int codec, unsigned flags, uint8_t **out, size_t *n)
{
    mm_b64_alphabet alpha = codec == 2 ? MM_B64URL : MM_B64;
    mm_buf dry = {NULL, 0, 0};
    size_t off = SIZE_MAX;
    mm_err e = codec == 0 ? mm_hex_decode(text, flags, &dry, &off) : mm_base64_decode(text, alpha, flags, &dry, &off);
    *out = NULL;
    *n = 0;
    if (e != MM_OK && e != MM_ERR_BUFFER_TOO_SMALL) {
        FUZZ_REQUIRE(e == (codec == 0 ? MM_ERR_BAD_HEX : MM_ERR_BAD_BASE64));
        FUZZ_REQUIRE(off < text.len || (off == 0 && text.len == 0));
        return e;
    }
    FUZZ_REQUIRE((e == MM_OK) == (dry.len == 0));
    mm_buf buf = {fuzz_alloc(dry.len), dry.len, 0};
    mm_err e2 = codec == 0 ? mm_hex_decode(text, flags, &buf, &off) : mm_base64_decode(text, alpha, flags, &buf, &off);
    FUZZ_REQUIRE(e2 == MM_OK && buf.len == dry.len);
    *out = buf.ptr;
    *n = buf.len;
    return MM_OK;
}

/* Encodes bytes with the library: dry run, then into an exact-size block. */
static uint8_t *lib_encode(mm_bytes in, int codec, size_t *n)
{
    mm_b64_alphabet alpha = codec == 2 ? MM_B64URL : MM_B64;
    mm_buf dry = {NULL, 0, 0};
    mm_err e = codec == 0 ? mm_hex_encode(in, &dry) : mm_base64_encode(in, alpha, &dry);
    FUZZ_REQUIRE(e == (dry.len == 0 ? MM_OK : MM_ERR_BUFFER_TOO_SMALL));
    mm_buf buf = {fuzz_alloc(dry.len), dry.len, 0};
    e = codec == 0 ? mm_hex_encode(in, &buf) : mm_base64_encode(in, alpha, &buf);
    FUZZ_REQUIRE(e == MM_OK && buf.len == dry.len);
    *n = buf.len;
    return buf.ptr;
}

/* Canonical text: lowercase hex; base64 as the encoder writes it, with the
 * padding left out of the comparison (either form decodes). */
static bool same_text(mm_bytes text, mm_bytes enc, int codec)
{
    size_t i = 0;
    size_t j = 0;
    for (;;) {
        while (codec != 0 && i < text.len && text.ptr[i] == '=') {
            i++;
        }
        while (codec != 0 && j < enc.len && enc.ptr[j] == '=') {
            j++;
        }
        if (i == text.len || j == enc.len) {
            return i == text.len && j == enc.len;
        }
        uint8_t a = text.ptr[i++];
        if (codec == 0 && a >= 'A' && a <= 'F') {
            a = (uint8_t)(a - 'A' + 'a');
        }
        if (a != enc.ptr[j++]) {
            return false;
        }
    }
}

static void check_decode(mm_bytes text, int codec, unsigned flags)
{
    bool skip = (flags & MM_TEXT_SKIP_SPACE) != 0;
    uint8_t *ref = fuzz_alloc(text.len);
    size_t ref_n = 0;
    bool ref_ok = codec == 0 ? ref_hex(text, skip, ref, &ref_n)
                             : ref_b64(text, codec == 2 ? MM_B64URL : MM_B64, skip, ref, &ref_n);
    uint8_t *out;
    size_t n;
    mm_err e = lib_decode(text, codec, flags, &out, &n);
    FUZZ_REQUIRE((e == MM_OK) == ref_ok);
    if (e == MM_OK) {
        FUZZ_REQUIRE(n == ref_n && (n == 0 || memcmp(out, ref, n) == 0));
        bool spaces = false;
        for (size_t i = 0; i < text.len; i++) {
            spaces |= is_space(text.ptr[i]);
        }
        if (!spaces) {
            size_t en;
            uint8_t *enc = lib_encode(mm_bytes_make(out, n), codec, &en);
            FUZZ_REQUIRE(same_text(text, mm_bytes_make(enc, en), codec));
            free(enc);
        }
    }
    free(out);
    free(ref);
}

/* Bytes -> text -> bytes, and the text is in the alphabet. */
static void check_encode(mm_bytes in, int codec)
{
    size_t n;
    uint8_t *text = lib_encode(in, codec, &n);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = text[i];
        if (codec == 0) {
            FUZZ_REQUIRE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        } else {
            FUZZ_REQUIRE(ref_b64_symbol(c, codec == 2 ? MM_B64URL : MM_B64) >= 0 || (codec == 1 && c == '='));
        }
    }
    uint8_t *back;
    size_t back_n;
    FUZZ_REQUIRE(lib_decode(mm_bytes_make(text, n), codec, 0, &back, &back_n) == MM_OK);
    FUZZ_REQUIRE(back_n == in.len && (back_n == 0 || memcmp(back, in.ptr, back_n) == 0));
    free(back);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = fuzz_dup(data, size);
    mm_bytes in = mm_bytes_make(copy, size);
    /* codec 0: hex, 1: base64, 2: base64url */
    for (int codec = 0; codec < 3; codec++) {
        check_decode(in, codec, 0);
        check_decode(in, codec, MM_TEXT_SKIP_SPACE);
        check_encode(in, codec);
    }
    free(copy);
    return 0;
}
