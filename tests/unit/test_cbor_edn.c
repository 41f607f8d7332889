/* SPDX-License-Identifier: Apache-2.0 */
/* Diagnostic notation: compact and indented output, nested CBOR, strings,
 * and the shortest round-trip float formatter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cbor.h"
#include "mm_test.h"

static uint8_t in[512];

static void expect_edn(const char *hex, unsigned flags, unsigned dec_flags, const char *want)
{
    size_t n = mm_test_unhex(hex, in, sizeof in);
    char text[2048];
    mm_buf out = mm_buf_make(text, sizeof text - 1);
    mm_edn_opts o = {flags, dec_flags, 2, 0};
    size_t off = 0;
    mm_err e = mm_cbor_edn_buf(mm_bytes_make(in, n), &o, &out, &off);
    if (e != MM_OK) {
        fail_msg("%s: %s at %zu", hex, mm_errname(e), off);
    }
    text[out.len] = '\0';
    if (strcmp(text, want) != 0) {
        fail_msg("%s:\n got: %s\nwant: %s", hex, text, want);
    }
}

static void test_compact(void **state)
{
    (void)state;
    expect_edn("83 01 82 02 03 82 04 05", 0, 0, "[1, [2, 3], [4, 5]]");
    expect_edn("a2 01 02 03 04", 0, 0, "{1: 2, 3: 4}");
    expect_edn("80", 0, 0, "[]");
    expect_edn("a0", 0, 0, "{}");
    expect_edn("3bffffffffffffffff", 0, 0, "-18446744073709551616");
    expect_edn("3b fffffffffffffffe", 0, 0, "-18446744073709551615");
    expect_edn("29", 0, 0, "-10");
    expect_edn("c1 1a 514b67b0", 0, 0, "1(1363896240)");
    expect_edn("d8 18 45 6449455446", 0, 0, "24(h'6449455446')");
    expect_edn("f7", 0, 0, "undefined");
    expect_edn("f0", 0, 0, "simple(16)");
    expect_edn("f8 ff", 0, 0, "simple(255)");
    expect_edn("9f ff", 0, MM_CBOR_ALLOW_INDEF, "[_ ]");
    expect_edn("bf ff", 0, MM_CBOR_ALLOW_INDEF, "{_ }");
    expect_edn("5f ff", 0, MM_CBOR_ALLOW_INDEF, "''_");
    expect_edn("7f ff", 0, MM_CBOR_ALLOW_INDEF, "\"\"_");
    expect_edn("5f 42 0102 43 030405 ff", 0, MM_CBOR_ALLOW_INDEF, "(_ h'0102', h'030405')");
    expect_edn("bf 61 61 01 61 62 9f 02 03 ff ff", 0, MM_CBOR_ALLOW_INDEF, "{_ \"a\": 1, \"b\": [_ 2, 3]}");
    expect_edn("01 02 82 03 04", 0, MM_CBOR_SEQUENCE, "1, 2, [3, 4]");
    expect_edn("c2 40", 0, 0, "2(h'')");
}

static void test_strings(void **state)
{
    (void)state;
    expect_edn("62 225c", 0, 0, "\"\\\"\\\\\"");
    expect_edn("63 e6b0b4", 0, 0, "\"\xe6\xb0\xb4\"");
    expect_edn("66 610a09000d7f", 0, 0, "\"a\\n\\t\\u0000\\r\\u007f\"");
    expect_edn("62 c328", 0, 0, "/ invalid UTF-8 / h'c328'");
    expect_edn("40", 0, 0, "h''");
}

static void test_indent_and_nested(void **state)
{
    (void)state;
    expect_edn("a2 01 82 01 02 02 a0", MM_EDN_INDENT, 0, "{\n  1: [\n    1,\n    2\n  ],\n  2: {}\n}");
    /* A COSE_Sign1-like structure with a bstr-wrapped protected header. */
    expect_edn("d2 84 43 a10126 a0 f6 42 0102", MM_EDN_NESTED, 0, "18([<<{1: -7}>>, {}, null, h'0102'])");
    expect_edn("d2 84 43 a10126 a0 f6 42 0102", MM_EDN_NESTED | MM_EDN_INDENT, 0,
               "18([\n  <<{\n    1: -7\n  }>>,\n  {},\n  null,\n  h'0102'\n])");
    /* Wrapped scalars and ill-formed content stay as bytes. */
    expect_edn("41 01", MM_EDN_NESTED, 0, "h'01'");
    expect_edn("42 8101 ", MM_EDN_NESTED, 0, "<<[1]>>");
    expect_edn("42 8201", MM_EDN_NESTED, 0, "h'8201'");
    /* Wraps inside wraps. */
    expect_edn("44 43 a10126", MM_EDN_NESTED, 0, "h'43a10126'");
    expect_edn("45 81 43 a10126", MM_EDN_NESTED, 0, "<<[<<{1: -7}>>]>>");
    expect_edn("9f 01 ff", MM_EDN_INDENT, MM_CBOR_ALLOW_INDEF, "[_\n  1\n]");
    expect_edn("9f ff", MM_EDN_INDENT, MM_CBOR_ALLOW_INDEF, "[_ ]");
    expect_edn("01 02", MM_EDN_INDENT, MM_CBOR_SEQUENCE, "1,\n2");
}

static void test_errors_and_sizes(void **state)
{
    (void)state;
    size_t n = mm_test_unhex("82 01 81", in, sizeof in);
    char text[64];
    mm_buf out = mm_buf_make(text, sizeof text);
    size_t off = 0;
    assert_int_equal(mm_cbor_edn_buf(mm_bytes_make(in, n), NULL, &out, &off), MM_ERR_TRUNCATED);
    assert_int_equal(off, 2);
    /* The size-only call reports the exact need; every smaller buffer fails. */
    n = mm_test_unhex("a2 01 82 01 02 02 a0", in, sizeof in);
    mm_edn_opts o = {MM_EDN_INDENT, 0, 4, 0};
    out = mm_buf_make(NULL, 0);
    assert_int_equal(mm_cbor_edn_buf(mm_bytes_make(in, n), &o, &out, NULL), MM_ERR_BUFFER_TOO_SMALL);
    size_t need = out.len;
    for (size_t cap = 0; cap < need; cap++) {
        out = mm_buf_make(text, cap);
        assert_int_equal(mm_cbor_edn_buf(mm_bytes_make(in, n), &o, &out, NULL), MM_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(out.len, need);
    }
    out = mm_buf_make(text, need);
    assert_int_equal(mm_cbor_edn_buf(mm_bytes_make(in, n), &o, &out, NULL), MM_OK);
    assert_int_equal(out.len, need);
}

static void expect_double(double v, const char *want)
{
    char text[32];
    size_t n = mm_cbor_format_double(v, text);
    text[n] = '\0';
    if (strcmp(text, want) != 0) {
        fail_msg("%.17g: got %s, want %s", v, text, want);
    }
}

static void test_format_double(void **state)
{
    (void)state;
    expect_double(0.0, "0.0");
    expect_double(-0.0, "-0.0");
    expect_double(1.0, "1.0");
    expect_double(1.1, "1.1");
    expect_double(-4.1, "-4.1");
    expect_double(1.5, "1.5");
    expect_double(100000.0, "100000.0");
    expect_double(65504.0, "65504.0");
    expect_double(3.4028234663852886e+38, "3.4028234663852886e+38");
    expect_double(1.0e+300, "1.0e+300");
    expect_double(5.960464477539063e-8, "5.960464477539063e-8");
    expect_double(0.00006103515625, "0.00006103515625");
    expect_double(1363896240.5, "1363896240.5");
    expect_double(1e21, "1.0e+21");
    expect_double(1e20, "100000000000000000000.0");
    expect_double(1e-6, "0.000001");
    expect_double(1e-7, "1.0e-7");
    expect_double(5e-324, "5.0e-324");
    expect_double(1.7976931348623157e308, "1.7976931348623157e+308");
    expect_double(2.2250738585072014e-308, "2.2250738585072014e-308");
    expect_double(0.1, "0.1");
    expect_double(0.3, "0.3");
    expect_double(0.1 + 0.2, "0.30000000000000004");
    expect_double(9007199254740993.0, "9007199254740992.0");
    expect_double(INFINITY, "Infinity");
    expect_double(-INFINITY, "-Infinity");
    expect_double(NAN, "NaN");
}

/* Shortest and exact: every printed value reads back to the same bits, and
 * no shorter %.*e rendering does. */
static void test_format_double_roundtrip(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        if (isnan(v) || isinf(v)) {
            continue;
        }
        char text[40];
        size_t n = mm_cbor_format_double(v, text);
        text[n] = '\0';
        double back = strtod(text, NULL);
        if (memcmp(&back, &v, sizeof v) != 0) {
            fail_msg("%.17g printed as %s reads back as %.17g", v, text, back);
        }
        /* Count significant digits and compare with the shortest printf form. */
        int shortest = 17;
        for (int p = 1; p <= 17; p++) {
            char t2[40];
            snprintf(t2, sizeof t2, "%.*e", p - 1, v);
            if (strtod(t2, NULL) == v) {
                shortest = p;
                break;
            }
        }
        int digits = 0;
        bool started = false;
        int zeros = 0;
        const char *p = text;
        for (; *p != '\0' && *p != 'e'; p++) {
            if (*p >= '1' && *p <= '9') {
                digits += started ? zeros + 1 : 1;
                zeros = 0;
                started = true;
            } else if (*p == '0' && started) {
                zeros++;
            }
        }
        if (digits > shortest) {
            fail_msg("%.17g printed as %s: %d digits, %d suffice", v, text, digits, shortest);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact),           cmocka_unit_test(test_strings),
        cmocka_unit_test(test_indent_and_nested), cmocka_unit_test(test_errors_and_sizes),
        cmocka_unit_test(test_format_double),     cmocka_unit_test(test_format_double_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
