/* SPDX-License-Identifier: Apache-2.0 */
/* base: error names, byte views, constant-time compare, wipe, hex, base64. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_test.h"

static void test_errors_named(void **state)
{
    (void)state;
    static const mm_err all[] = {
        MM_OK,
        MM_ERR_TRUNCATED,
        MM_ERR_CBOR_RESERVED_AI,
        MM_ERR_CBOR_BAD_SIMPLE,
        MM_ERR_CBOR_BAD_INDEF,
        MM_ERR_CBOR_BAD_BREAK,
        MM_ERR_CBOR_BAD_CHUNK,
        MM_ERR_CBOR_BAD_UTF8,
        MM_ERR_CBOR_TRAILING,
        MM_ERR_CBOR_TYPE,
        MM_ERR_CBOR_RANGE,
        MM_ERR_CBOR_NOT_SHORTEST,
        MM_ERR_CBOR_UNSORTED,
        MM_ERR_CBOR_DUP_KEY,
        MM_ERR_CBOR_INDEF,
        MM_ERR_CBOR_FLOAT_FORM,
        MM_ERR_CBOR_NO_ITEM,
        MM_ERR_CBOR_ITEMS_LEFT,
        MM_ERR_CBOR_BAD_WRAP,
        MM_ERR_MISSING_FIELD,
        MM_ERR_UNKNOWN_FIELD,
        MM_ERR_BAD_HEX,
        MM_ERR_BAD_BASE64,
        MM_ERR_CBOR_BIGNUM_FORM,
        MM_ERR_CBOR_BAD_KEY,
        MM_ERR_UNSUPPORTED,
        MM_ERR_VERIFY,
        MM_ERR_CONDITION,
        MM_ERR_ROLLBACK,
        MM_ERR_UNTRUSTED,
        MM_ERR_NESTING,
        MM_ERR_BUFFER_TOO_SMALL,
        MM_ERR_TOO_LARGE,
        MM_ERR_KEY_EXHAUSTED,
        MM_ERR_PLATFORM,
        MM_ERR_INVALID_ARG,
        MM_ERR_STATE,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_string_not_equal(mm_errname(all[i]), "UNKNOWN");
        assert_string_not_equal(mm_strerror(all[i]), "unknown error");
        /* Names are unique. */
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(mm_errname(all[i]), mm_errname(all[j]));
        }
    }
    /* docs/errors.md documents every code by name. */
    size_t len;
    char *doc = (char *)mm_test_read_file(MM_TEST_SOURCE_DIR "/docs/errors.md", &len);
    assert_non_null(doc);
    for (size_t i = 1; i < sizeof all / sizeof all[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "`%s`", mm_errname(all[i]));
        if (strstr(doc, name) == NULL) {
            fail_msg("docs/errors.md does not document %s", name);
        }
    }
    free(doc);
    assert_string_equal(mm_errname((mm_err)9999), "UNKNOWN");
    assert_string_equal(mm_strerror((mm_err)9999), "unknown error");
    assert_int_equal(mm_err_class(MM_OK), 0);
    assert_int_equal(mm_err_class(MM_ERR_CBOR_TYPE), 1);
    assert_int_equal(mm_err_class(MM_ERR_UNSUPPORTED), 2);
    assert_int_equal(mm_err_class(MM_ERR_VERIFY), 3);
    assert_int_equal(mm_err_class(MM_ERR_NESTING), 4);
    assert_int_equal(mm_err_class(MM_ERR_PLATFORM), 5);
    assert_int_equal(mm_err_class(MM_ERR_STATE), 6);
}

static void test_bytes(void **state)
{
    (void)state;
    assert_true(mm_bytes_equal(MM_BYTES_LIT("abc"), mm_bytes_from_cstr("abc")));
    assert_false(mm_bytes_equal(MM_BYTES_LIT("abc"), MM_BYTES_LIT("abd")));
    assert_false(mm_bytes_equal(MM_BYTES_LIT("ab"), MM_BYTES_LIT("abc")));
    assert_true(mm_bytes_equal(mm_bytes_make(NULL, 0), MM_BYTES_LIT("")));
    assert_int_equal(mm_bytes_from_cstr(NULL).len, 0);
    assert_true(mm_ct_equal("abcd", "abcd", 4));
    assert_false(mm_ct_equal("abcd", "abce", 4));
    assert_true(mm_ct_equal("x", "y", 0));
    uint8_t secret[16];
    memset(secret, 0xa5, sizeof secret);
    mm_wipe(secret, sizeof secret);
    for (size_t i = 0; i < sizeof secret; i++) {
        assert_int_equal(secret[i], 0);
    }
}

static void test_hex(void **state)
{
    (void)state;
    uint8_t out[16];
    char text[40];
    mm_buf t = mm_buf_make(text, sizeof text);
    assert_int_equal(mm_hex_encode(MM_BYTES_LIT("\x01\xab\xff"), &t), MM_OK);
    assert_int_equal(t.len, 6);
    assert_memory_equal(text, "01abff", 6);

    mm_buf small = mm_buf_make(text, 5);
    assert_int_equal(mm_hex_encode(MM_BYTES_LIT("\x01\xab\xff"), &small), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(small.len, 6);

    mm_buf o = mm_buf_make(out, sizeof out);
    size_t off = 99;
    assert_int_equal(mm_hex_decode(MM_BYTES_LIT("01AbfF"), 0, &o, &off), MM_OK);
    assert_int_equal(o.len, 3);
    assert_memory_equal(out, "\x01\xab\xff", 3);

    o = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_hex_decode(MM_BYTES_LIT(" 01 a\nb\tff "), MM_TEXT_SKIP_SPACE, &o, &off), MM_OK);
    assert_int_equal(o.len, 3);
    assert_memory_equal(out, "\x01\xab\xff", 3);

    assert_int_equal(mm_hex_decode(MM_BYTES_LIT("01 ab"), 0, &o, &off), MM_ERR_BAD_HEX);
    assert_int_equal(off, 2);
    assert_int_equal(mm_hex_decode(MM_BYTES_LIT("01g0"), 0, &o, &off), MM_ERR_BAD_HEX);
    assert_int_equal(off, 2);
    assert_int_equal(mm_hex_decode(MM_BYTES_LIT("abc"), 0, &o, &off), MM_ERR_BAD_HEX);
    assert_int_equal(off, 2);

    o = mm_buf_make(out, 2);
    assert_int_equal(mm_hex_decode(MM_BYTES_LIT("010203"), 0, &o, &off), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(o.len, 3);

    o = mm_buf_make(NULL, 0);
    assert_int_equal(mm_hex_decode(MM_BYTES_LIT(""), 0, &o, &off), MM_OK);
    assert_int_equal(o.len, 0);
}

/* RFC 4648 section 10 test vectors. */
static void test_base64_rfc4648(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *b64, *b64url;
    } v[] = {
        {"", "", ""},
        {"f", "Zg==", "Zg"},
        {"fo", "Zm8=", "Zm8"},
        {"foo", "Zm9v", "Zm9v"},
        {"foob", "Zm9vYg==", "Zm9vYg"},
        {"fooba", "Zm9vYmE=", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char text[32];
        uint8_t raw[32];
        mm_buf t = mm_buf_make(text, sizeof text);
        assert_int_equal(mm_base64_encode(mm_bytes_from_cstr(v[i].raw), MM_B64, &t), MM_OK);
        assert_int_equal(t.len, strlen(v[i].b64));
        assert_memory_equal(text, v[i].b64, t.len);
        t = mm_buf_make(text, sizeof text);
        assert_int_equal(mm_base64_encode(mm_bytes_from_cstr(v[i].raw), MM_B64URL, &t), MM_OK);
        assert_int_equal(t.len, strlen(v[i].b64url));
        assert_memory_equal(text, v[i].b64url, t.len);

        mm_buf r = mm_buf_make(raw, sizeof raw);
        assert_int_equal(mm_base64_decode(mm_bytes_from_cstr(v[i].b64), MM_B64, 0, &r, NULL), MM_OK);
        assert_int_equal(r.len, strlen(v[i].raw));
        assert_memory_equal(raw, v[i].raw, r.len);
        /* Padding is optional on input. */
        r = mm_buf_make(raw, sizeof raw);
        assert_int_equal(mm_base64_decode(mm_bytes_from_cstr(v[i].b64url), MM_B64, 0, &r, NULL), MM_OK);
        assert_int_equal(r.len, strlen(v[i].raw));
        r = mm_buf_make(raw, sizeof raw);
        assert_int_equal(mm_base64_decode(mm_bytes_from_cstr(v[i].b64), MM_B64URL, 0, &r, NULL), MM_OK);
        assert_int_equal(r.len, strlen(v[i].raw));
    }
}

static void test_base64_alphabets_and_errors(void **state)
{
    (void)state;
    char text[16];
    uint8_t raw[16];
    mm_buf t = mm_buf_make(text, sizeof text);
    assert_int_equal(mm_base64_encode(MM_BYTES_LIT("\xfb\xff\xbf"), MM_B64, &t), MM_OK);
    assert_memory_equal(text, "+/+/", 4);
    t = mm_buf_make(text, sizeof text);
    assert_int_equal(mm_base64_encode(MM_BYTES_LIT("\xfb\xff\xbf"), MM_B64URL, &t), MM_OK);
    assert_memory_equal(text, "-_-_", 4);

    size_t off = 0;
    mm_buf r = mm_buf_make(raw, sizeof raw);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("-_-_"), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    assert_int_equal(off, 0);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("+/+/"), MM_B64URL, 0, &r, &off), MM_ERR_BAD_BASE64);
    /* Non-canonical: unused bits set. */
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zh=="), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    assert_int_equal(off, 1);
    /* One symbol alone cannot encode a byte. */
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zm9vY"), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    /* Wrong amount of padding, symbol after padding, too much padding. */
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zg="), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zg=a"), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    assert_int_equal(off, 3);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zg==="), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zm9v="), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    /* White space only with the flag. */
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zm9v\nYmFy"), MM_B64, 0, &r, &off), MM_ERR_BAD_BASE64);
    assert_int_equal(off, 4);
    r = mm_buf_make(raw, sizeof raw);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zm9v\nYmFy"), MM_B64, MM_TEXT_SKIP_SPACE, &r, &off), MM_OK);
    assert_int_equal(r.len, 6);
    /* Too small reports the need. */
    r = mm_buf_make(raw, 5);
    assert_int_equal(mm_base64_decode(MM_BYTES_LIT("Zm9vYmFy"), MM_B64, 0, &r, &off), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(r.len, 6);
    t = mm_buf_make(text, 3);
    assert_int_equal(mm_base64_encode(MM_BYTES_LIT("f"), MM_B64, &t), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(t.len, 4);
    assert_int_equal(mm_base64_encode(MM_BYTES_LIT("f"), (mm_b64_alphabet)7, &t), MM_ERR_INVALID_ARG);
}

/* Every byte string of length 0..48 round-trips in both alphabets. */
static void test_base64_roundtrip(void **state)
{
    (void)state;
    uint8_t raw[48];
    for (size_t i = 0; i < sizeof raw; i++) {
        raw[i] = (uint8_t)(i * 37 + 11);
    }
    for (size_t n = 0; n <= sizeof raw; n++) {
        for (int a = 0; a < 2; a++) {
            char text[80];
            uint8_t back[48];
            mm_buf t = mm_buf_make(text, sizeof text);
            assert_int_equal(mm_base64_encode(mm_bytes_make(raw, n), (mm_b64_alphabet)a, &t), MM_OK);
            mm_buf b = mm_buf_make(back, sizeof back);
            assert_int_equal(mm_base64_decode(mm_bytes_make(text, t.len), (mm_b64_alphabet)a, 0, &b, NULL), MM_OK);
            assert_int_equal(b.len, n);
            assert_memory_equal(back, raw, n);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_named),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_base64_rfc4648),
        cmocka_unit_test(test_base64_alphabets_and_errors),
        cmocka_unit_test(test_base64_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
