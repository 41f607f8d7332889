/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Diagnostic notation reader (mm_cbor_from_edn): a table of texts and the
 * bytes they stand for, a table of malformed texts with the error and the
 * offending offset, the printer's output read back for RFC 8949 Appendix A
 * and for random documents, and floats read back exactly over the whole
 * range of binary64.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_test.h"

#include "mamori/cbor.h"

static size_t parse(const char *text, uint8_t *out, size_t cap, mm_err *err, size_t *off)
{
    mm_buf b = mm_buf_make(out, cap);
    *off = SIZE_MAX;
    *err = mm_cbor_from_edn(mm_bytes_from_cstr(text), 0, &b, off);
    return b.len;
}

static void test_valid(void **state)
{
    (void)state;
    static const struct {
        const char *edn;
        const char *hex;
    } cases[] = {
        {"0", "00"},
        {"23", "17"},
        {"24", "1818"},
        {"1000000", "1a000f4240"},
        {"18446744073709551615", "1bffffffffffffffff"},
        {"-1", "20"},
        {"-25", "3818"},
        {"-18446744073709551616", "3bffffffffffffffff"},
        {"0x1f", "181f"},
        {"-0x10", "2f"},
        {"0o17", "0f"},
        {"0b101", "05"},
        {"-0", "00"},
        {"1.5", "f93e00"},
        {"-4.1", "fbc010666666666666"},
        {"0.0", "f90000"},
        {"-0.0", "f98000"},
        {"100000.0", "fa47c35000"},
        {"1.0e+300", "fb7e37e43c8800759c"},
        {"5e-324", "fb0000000000000001"},
        {"2.2250738585072014e-308", "fb0010000000000000"},
        {"1.7976931348623157e308", "fb7fefffffffffffff"},
        {"Infinity", "f97c00"},
        {"-Infinity", "f9fc00"},
        {"NaN", "f97e00"},
        {"\"\"", "60"},
        {"\"IETF\"", "6449455446"},
        {"\"\\\"\\\\\"", "62225c"},
        {"\"\\u00fc\"", "62c3bc"},
        {"\"\\ud800\\udd51\"", "64f0908591"},
        {"\"\xe6\xb0\xb4\"", "63e6b0b4"},
        {"'hi'", "426869"},
        {"h''", "40"},
        {"h'01 02\n03'", "43010203"},
        {"h'01 / one / 02'", "420102"},
        {"b64'AQID'", "43010203"},
        {"b64'-_8'", "42fbff"},
        {"h'01' h'02'", "420102"},
        {"\"a\" + \"b\"", "626162"},
        {"'a' h'62'", "426162"},
        {"[]", "80"},
        {"[1, [2, 3], [4, 5]]", "8301820203820405"},
        {"[1, 2,]", "820102"},
        {"{}", "a0"},
        {"{2: 1, 1: 2}", "a202010102"},
        {"{\"a\": 1, \"b\": [2, 3]}", "a26161016162820203"},
        {"1(1363896240)", "c11a514b67b0"},
        {"24(<<1>>)", "d8184101"},
        {"<< >>", "40"},
        {"<<1, 2>>", "420102"},
        {"<<[1, h'02']>>", "44820141"
                           "02"},
        {"true", "f5"},
        {"false", "f4"},
        {"null", "f6"},
        {"undefined", "f7"},
        {"simple(16)", "f0"},
        {"simple(255)", "f8ff"},
        {"simple(21)", "f5"},
        {"/ comment / 1", "01"},
        {"# line\n[1 # two\n, 2]", "820102"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[64];
        uint8_t want[64];
        mm_err e;
        size_t off;
        size_t n = parse(cases[i].edn, out, sizeof out, &e, &off);
        if (e != MM_OK) {
            fail_msg("%s: %s at %zu", cases[i].edn, mm_errname(e), off);
        }
        size_t wn = mm_test_unhex(cases[i].hex, want, sizeof want);
        if (n != wn || memcmp(out, want, n) != 0) {
            fail_msg("%s: got %s, want %s", cases[i].edn, mm_test_hex(mm_bytes_make(out, n)), cases[i].hex);
        }
    }

    /* A sequence, and the size of a dry run. */
    uint8_t out[16];
    mm_buf b = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_cbor_from_edn(MM_BYTES_LIT("1, \"a\", []"), MM_EDN_READ_SEQUENCE, &b, NULL), MM_OK);
    assert_int_equal(b.len, 4);
    assert_memory_equal(out, "\x01\x61\x61\x80", 4);
    mm_buf dry = mm_buf_make(NULL, 0);
    assert_int_equal(mm_cbor_from_edn(MM_BYTES_LIT("[1, 2, 3]"), 0, &dry, NULL), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(dry.len, 4);
    mm_buf small = mm_buf_make(out, 2);
    assert_int_equal(mm_cbor_from_edn(MM_BYTES_LIT("[1, 2, 3]"), 0, &small, NULL), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(small.len, 4);
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *edn;
        mm_err err;
        size_t off;
    } cases[] = {
        {"", MM_ERR_SYNTAX, 0},
        {"1 2", MM_ERR_SYNTAX, 2},
        {"[1,", MM_ERR_SYNTAX, 3},
        {"[1 2]", MM_ERR_SYNTAX, 3},
        {"{1}", MM_ERR_SYNTAX, 2},
        {"{1: }", MM_ERR_SYNTAX, 4},
        {"\"abc", MM_ERR_SYNTAX, 4},
        {"\"\\q\"", MM_ERR_SYNTAX, 1},
        {"\"\\ud800\"", MM_ERR_SYNTAX, 1},
        {"\"\\udc00\"", MM_ERR_SYNTAX, 1},
        {"\"a\nb\"", MM_ERR_SYNTAX, 2},
        {"\"\xff\"", MM_ERR_CBOR_BAD_UTF8, 1},
        {"h'0'", MM_ERR_BAD_HEX, 2},
        {"h'0g'", MM_ERR_BAD_HEX, 3},
        {"b64'A'", MM_ERR_BAD_BASE64, 5},
        {"b64'AQ=A'", MM_ERR_BAD_BASE64, 7},
        {"b64'AR'", MM_ERR_BAD_BASE64, 6},
        {"\"a\" h'62'", MM_ERR_SYNTAX, 4},
        {"dt'2020-01-01'", MM_ERR_UNSUPPORTED, 0},
        {"18446744073709551616", MM_ERR_CBOR_RANGE, 0},
        {"-18446744073709551617", MM_ERR_CBOR_RANGE, 1},
        {"0x10000000000000000", MM_ERR_CBOR_RANGE, 0},
        {"1e400", MM_ERR_CBOR_RANGE, 0},
        {"0x1.8p1", MM_ERR_UNSUPPORTED, 3},
        {"1_1", MM_ERR_UNSUPPORTED, 1},
        {"1.5_2", MM_ERR_UNSUPPORTED, 3},
        {"[_ 1]", MM_ERR_UNSUPPORTED, 1},
        {"simple(24)", MM_ERR_CBOR_RANGE, 0},
        {"simple(256)", MM_ERR_CBOR_RANGE, 0},
        {"truth", MM_ERR_SYNTAX, 0},
        {"trueh", MM_ERR_SYNTAX, 4},
        {"1(2", MM_ERR_SYNTAX, 3},
        {"<<1", MM_ERR_SYNTAX, 3},
        {"/ open", MM_ERR_SYNTAX, 0},
        {"@", MM_ERR_SYNTAX, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t out[64];
        mm_err e;
        size_t off;
        (void)parse(cases[i].edn, out, sizeof out, &e, &off);
        if (e != cases[i].err || off != cases[i].off) {
            fail_msg("\"%s\": got %s at %zu, want %s at %zu", cases[i].edn, mm_errname(e), off,
                     mm_errname(cases[i].err), cases[i].off);
        }
    }

    /* Nesting beyond the encoder's limit. */
    char deep[2 * MM_CBOR_ENC_MAX_NESTING + 8];
    size_t n = 0;
    for (int i = 0; i <= MM_CBOR_ENC_MAX_NESTING; i++) {
        deep[n++] = '[';
    }
    deep[n] = '\0';
    uint8_t out[128];
    mm_err e;
    size_t off;
    (void)parse(deep, out, sizeof out, &e, &off);
    assert_int_equal(e, MM_ERR_NESTING);
    mm_buf b = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_cbor_from_edn(MM_BYTES_LIT("1"), 0x80, &b, NULL), MM_ERR_INVALID_ARG);
}

/* The printer's text reads back as the same bytes. */
static void roundtrip(mm_bytes item, unsigned flags, const char *what)
{
    char text[4096];
    mm_buf tb = mm_buf_make(text, sizeof text);
    mm_edn_opts o = {flags, 0, 0, 0};
    assert_int_equal(mm_cbor_edn_buf(item, &o, &tb, NULL), MM_OK);
    uint8_t back[2048];
    mm_buf bb = mm_buf_make(back, sizeof back);
    size_t off = 0;
    mm_err e = mm_cbor_from_edn(mm_bytes_make(text, tb.len), 0, &bb, &off);
    if (e != MM_OK || bb.len != item.len || memcmp(back, item.ptr, item.len) != 0) {
        fail_msg("%s: %.*s read back as %s (%s at %zu)", what, (int)tb.len, text,
                 mm_test_hex(mm_bytes_make(back, bb.len)), mm_errname(e), off);
    }
}

static void test_appendix_a(void **state)
{
    (void)state;
    char path[1024];
    mm_test_shared_path("vectors/cbor/appendix_a.shared.json", path, sizeof path);
    json_error_t jerr;
    json_t *all = json_load_file(path, JSON_DECODE_INT_AS_REAL, &jerr);
    if (all == NULL) {
        fail_msg("%s: %s", path, jerr.text);
    }
    size_t i;
    json_t *v;
    size_t n = 0;
    json_array_foreach(all, i, v)
    {
        /* The preferred encodings: the ones the reader writes. */
        if (!json_is_true(json_object_get(v, "roundtrip"))) {
            continue;
        }
        const char *hex = json_string_value(json_object_get(v, "hex"));
        if (strcmp(hex, "f818") == 0) {
            continue; /* not well-formed since RFC 8949 (test_cbor_vectors says so) */
        }
        uint8_t in[256];
        size_t len = mm_test_unhex(hex, in, sizeof in);
        roundtrip(mm_bytes_make(in, len), MM_EDN_NESTED, hex);
        n++;
    }
    printf("[     INFO ] %zu Appendix A examples printed and read back\n", n);
    assert_true(n > 40);
    json_decref(all);
}

/* xorshift64*: reproducible pseudo-random bits. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(0x2545F4914F6CDD1D);
}

static void test_floats(void **state)
{
    (void)state;
    /* Every exponent, random mantissas: shortest text, read back exactly. */
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = next(&s);
        if ((bits >> 52 & 0x7ff) == 0x7ff) {
            continue; /* NaN and infinities have their own names */
        }
        double d;
        memcpy(&d, &bits, sizeof d);
        char text[40];
        size_t n = mm_cbor_format_double(d, text);
        text[n] = '\0';
        uint8_t out[16];
        mm_err e;
        size_t off;
        size_t len = parse(text, out, sizeof out, &e, &off);
        if (e != MM_OK) {
            fail_msg("%s: %s", text, mm_errname(e));
        }
        double back = 0;
        mm_cbor_dec dec;
        assert_int_equal(mm_cbor_dec_init(&dec, mm_bytes_make(out, len), 0), MM_OK);
        if (mm_cbor_get_float(&dec, &back) != MM_OK) {
            fail_msg("%s: read as %s, not a float", text, mm_test_hex(mm_bytes_make(out, len)));
        }
        uint64_t got;
        memcpy(&got, &back, sizeof got);
        if (got != bits) {
            fail_msg("%s read back as %016llx, want %016llx", text, (unsigned long long)got, (unsigned long long)bits);
        }
    }
    /* Long, halfway and subnormal cases rounded correctly. */
    static const struct {
        const char *text;
        uint64_t bits;
    } exact[] = {
        {"9007199254740993.0", 0x4340000000000000u},          /* 2^53 + 1: ties to even */
        {"9007199254740995.0", 0x4340000000000002u},          /* 2^53 + 3: ties to even, up */
        {"9007199254740993.0000000001", 0x4340000000000001u}, /* just above the tie */
        {"2.4703282292062327e-324", 0x0000000000000000u},     /* below half the least subnormal */
        {"2.4703282292062328e-324", 0x0000000000000001u},
        {"4.9406564584124654e-324", 0x0000000000000001u},
        {"2.2250738585072011e-308", 0x000fffffffffffffu}, /* the largest subnormal */
        {"0.1", 0x3fb999999999999au},
        {"1e23", 0x44b52d02c7e14af6u},
        {"123456789012345678901234567890.0", 0x45f8ee90ff6c373eu},
        {"1e-400", 0x0000000000000000u},
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        uint8_t out[16];
        mm_err e;
        size_t off;
        size_t len = parse(exact[i].text, out, sizeof out, &e, &off);
        assert_int_equal(e, MM_OK);
        mm_cbor_dec dec;
        double back = 0;
        assert_int_equal(mm_cbor_dec_init(&dec, mm_bytes_make(out, len), 0), MM_OK);
        assert_int_equal(mm_cbor_get_float(&dec, &back), MM_OK);
        uint64_t got;
        memcpy(&got, &back, sizeof got);
        if (got != exact[i].bits) {
            fail_msg("%s: got %016llx, want %016llx", exact[i].text, (unsigned long long)got,
                     (unsigned long long)exact[i].bits);
        }
    }
    /* More significant digits than the reader holds. */
    char many[160];
    memset(many, '1', 120);
    many[120] = '\0';
    strcat(many, ".5");
    uint8_t out[16];
    mm_err e;
    size_t off;
    (void)parse(many, out, sizeof out, &e, &off);
    assert_int_equal(e, MM_ERR_UNSUPPORTED);
}

/* Random well-formed documents, printed and read back. */
static void test_random_documents(void **state)
{
    (void)state;
    uint64_t s = 12345;
    for (int round = 0; round < 300; round++) {
        uint8_t buf[1024];
        mm_cbor_enc enc;
        mm_cbor_enc_init(&enc, buf, sizeof buf);
        unsigned open = 0;
        for (int k = 0; k < 40; k++) {
            uint64_t r = next(&s);
            switch (r % 12) {
            case 0:
                mm_cbor_put_uint(&enc, next(&s) >> (r % 64));
                break;
            case 1:
                mm_cbor_put_nint(&enc, next(&s) >> (r % 64));
                break;
            case 2: {
                uint8_t b[8];
                memcpy(b, &r, sizeof b);
                mm_cbor_put_bstr(&enc, mm_bytes_make(b, r % 9));
                break;
            }
            case 3:
                mm_cbor_put_cstr(&enc, (r & 1) != 0 ? "mamori \xe5\xae\x88\"\\\n" : "");
                break;
            case 4: {
                double d;
                uint64_t bits = next(&s);
                memcpy(&d, &bits, sizeof d);
                mm_cbor_put_float(&enc, d == d ? d : 0.5);
                break;
            }
            case 5:
                mm_cbor_put_bool(&enc, (r & 1) != 0);
                break;
            case 6:
                mm_cbor_put_tag(&enc, r % 300);
                mm_cbor_put_uint(&enc, 7);
                break;
            case 7:
            case 8:
                if (open < 6) {
                    mm_cbor_open_array(&enc);
                    open++;
                }
                break;
            case 9:
                if (open < 6) {
                    mm_cbor_open_wrap(&enc);
                    mm_cbor_put_uint(&enc, r % 1000);
                    mm_cbor_close(&enc, NULL);
                }
                break;
            case 10:
                mm_cbor_put_map(&enc, 1);
                mm_cbor_put_int(&enc, (int64_t)(r % 100) - 50);
                mm_cbor_put_null(&enc);
                break;
            default:
                if (open != 0) {
                    mm_cbor_close(&enc, NULL);
                    open--;
                }
            }
        }
        while (open-- != 0) {
            mm_cbor_close(&enc, NULL);
        }
        size_t len;
        /* Several items: wrap them in one array. */
        uint8_t doc[1100];
        mm_cbor_enc outer;
        assert_int_equal(mm_cbor_enc_finish(&enc, &len), MM_OK);
        mm_cbor_enc_init(&outer, doc, sizeof doc);
        mm_cbor_open_array(&outer);
        mm_cbor_dec d;
        assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(buf, len), MM_CBOR_SEQUENCE), MM_OK);
        while (mm_cbor_more(&d)) {
            assert_int_equal(mm_cbor_copy(&d, &outer), MM_OK);
        }
        mm_cbor_close(&outer, NULL);
        assert_int_equal(mm_cbor_enc_finish(&outer, &len), MM_OK);
        /* Not MM_EDN_NESTED: random bytes can look like CBOR whose text
         * strings are not UTF-8, which the printer shows as comments. */
        roundtrip(mm_bytes_make(doc, len), MM_EDN_INDENT, "random document");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),  cmocka_unit_test(test_malformed),        cmocka_unit_test(test_appendix_a),
        cmocka_unit_test(test_floats), cmocka_unit_test(test_random_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
