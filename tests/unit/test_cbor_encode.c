/* SPDX-License-Identifier: Apache-2.0 */
/* The CBOR encoder: exact bytes, shortest forms, open containers, map
 * sorting, wraps, overflow at every size, dry runs, and re-encoding. */
#include <math.h>
#include <string.h>

#include "mamori/cbor.h"
#include "mm_test.h"

static uint8_t want[1024];

static void expect(const uint8_t *got, size_t len, const char *hex)
{
    size_t n = mm_test_unhex(hex, want, sizeof want);
    if (len != n || memcmp(got, want, n) != 0) {
        fail_msg("encoded %s, want %s", mm_test_hex(mm_bytes_make(got, len)), hex);
    }
}

static void test_scalars(void **state)
{
    (void)state;
    static const struct {
        uint64_t v;
        const char *hex;
    } uints[] = {
        {0, "00"},
        {23, "17"},
        {24, "1818"},
        {255, "18ff"},
        {256, "190100"},
        {65535, "19ffff"},
        {65536, "1a00010000"},
        {4294967295u, "1affffffff"},
        {4294967296u, "1b0000000100000000"},
        {UINT64_MAX, "1bffffffffffffffff"},
    };
    uint8_t out[64];
    for (size_t i = 0; i < sizeof uints / sizeof uints[0]; i++) {
        mm_cbor_enc e;
        size_t len;
        mm_cbor_enc_init(&e, out, sizeof out);
        mm_cbor_put_uint(&e, uints[i].v);
        assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
        expect(out, len, uints[i].hex);
    }
    static const struct {
        int64_t v;
        const char *hex;
    } ints[] = {
        {-1, "20"}, {-24, "37"}, {-25, "3818"}, {-1000, "3903e7"}, {INT64_MIN, "3b7fffffffffffffff"}, {7, "07"},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        mm_cbor_enc e;
        size_t len;
        mm_cbor_enc_init(&e, out, sizeof out);
        mm_cbor_put_int(&e, ints[i].v);
        assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
        expect(out, len, ints[i].hex);
    }
    mm_cbor_enc e;
    size_t len;
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_nint(&e, UINT64_MAX);
    mm_cbor_put_bstr(&e, MM_BYTES_LIT("\x01\x02"));
    mm_cbor_put_cstr(&e, "IETF");
    mm_cbor_put_bool(&e, false);
    mm_cbor_put_bool(&e, true);
    mm_cbor_put_null(&e);
    mm_cbor_put_undefined(&e);
    mm_cbor_put_simple(&e, 16);
    mm_cbor_put_simple(&e, 255);
    mm_cbor_put_tag(&e, 1);
    mm_cbor_put_uint(&e, 1363896240);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "3bffffffffffffffff 420102 6449455446 f4 f5 f6 f7 f0 f8ff c1 1a514b67b0");
    mm_cbor_enc_init(&e, out, sizeof out);
    assert_int_equal(mm_cbor_put_simple(&e, 24), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_ERR_INVALID_ARG);
}

static void test_floats_shortest(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *hex;
    } f[] = {
        {0.0, "f90000"},
        {-0.0, "f98000"},
        {1.0, "f93c00"},
        {1.5, "f93e00"},
        {65504.0, "f97bff"},
        {100000.0, "fa47c35000"},
        {3.4028234663852886e+38, "fa7f7fffff"},
        {1.0e+300, "fb7e37e43c8800759c"},
        {5.960464477539063e-8, "f90001"},
        {0.00006103515625, "f90400"},
        {-4.0, "f9c400"},
        {-4.1, "fbc010666666666666"},
        {1.1, "fb3ff199999999999a"},
        {INFINITY, "f97c00"},
        {-INFINITY, "f9fc00"},
        {NAN, "f97e00"},
        {1.401298464324817e-45, "fa00000001"},  /* smallest float32 subnormal */
        {2.9802322387695312e-08, "fa33000000"}, /* half the smallest half subnormal */
        {5e-324, "fb0000000000000001"},
    };
    uint8_t out[16];
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        mm_cbor_enc e;
        size_t len;
        mm_cbor_enc_init(&e, out, sizeof out);
        mm_cbor_put_float(&e, f[i].v);
        assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
        expect(out, len, f[i].hex);
        /* and it decodes back to the same value, deterministically */
        mm_cbor_dec d;
        double back;
        assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(out, len), MM_CBOR_DETERMINISTIC), MM_OK);
        assert_int_equal(mm_cbor_get_float(&d, &back), MM_OK);
        assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
        if (isnan(f[i].v)) {
            assert_true(isnan(back));
        } else {
            assert_memory_equal(&back, &f[i].v, sizeof back);
        }
    }
}

static void test_fixed_containers(void **state)
{
    (void)state;
    uint8_t out[64];
    mm_cbor_enc e;
    size_t len;
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_array(&e, 3);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_array(&e, 2);
    mm_cbor_put_uint(&e, 2);
    mm_cbor_put_uint(&e, 3);
    mm_cbor_put_array(&e, 0);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "83 01 82 02 03 80");

    /* An unfilled container is caught at finish. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_map(&e, 1);
    mm_cbor_put_uint(&e, 1);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_ERR_STATE);
    /* close() does not close a fixed-count container. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_array(&e, 2);
    assert_int_equal(mm_cbor_close(&e, NULL), MM_ERR_STATE);
}

static void test_open_containers(void **state)
{
    (void)state;
    uint8_t out[256];
    mm_cbor_enc e;
    size_t len;
    /* 25 items need a two-byte head: the content moves. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_array(&e);
    for (uint64_t i = 1; i <= 25; i++) {
        mm_cbor_put_uint(&e, i);
    }
    mm_cbor_close(&e, NULL);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "98 19 0102030405060708090a0b0c0d0e0f101112131415161718181819");

    /* Nested open containers with fixed ones inside. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_array(&e);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_open_array(&e);
    mm_cbor_put_array(&e, 1);
    mm_cbor_put_tag(&e, 24);
    mm_cbor_put_bstr(&e, MM_BYTES_LIT("\x00"));
    mm_cbor_close(&e, NULL);
    mm_cbor_open_map(&e);
    mm_cbor_close(&e, NULL);
    mm_cbor_close(&e, NULL);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "83 01 81 81 d8 18 41 00 a0");

    /* A key without a value. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_map(&e);
    mm_cbor_put_uint(&e, 1);
    assert_int_equal(mm_cbor_close(&e, NULL), MM_ERR_STATE);
    /* Close with nothing open. */
    mm_cbor_enc_init(&e, out, sizeof out);
    assert_int_equal(mm_cbor_close(&e, NULL), MM_ERR_STATE);
    /* Finish with a container open. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_array(&e);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_ERR_STATE);
}

static void test_map_sorting(void **state)
{
    (void)state;
    uint8_t out[256];
    mm_cbor_enc e;
    size_t len;
    /* Written in reverse and mixed order; sorted bytewise on close. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_map(&e);
    mm_cbor_put_cstr(&e, "aa");
    mm_cbor_put_uint(&e, 5);
    mm_cbor_put_int(&e, -1);
    mm_cbor_put_uint(&e, 4);
    mm_cbor_put_uint(&e, 24);
    mm_cbor_put_uint(&e, 3);
    mm_cbor_put_cstr(&e, "a");
    mm_cbor_put_array(&e, 1);
    mm_cbor_put_uint(&e, 9);
    mm_cbor_put_uint(&e, 10);
    mm_cbor_put_uint(&e, 2);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_close(&e, NULL);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "a6 01 01 0a 02 1818 03 20 04 6161 8109 626161 05");
    assert_int_equal(mm_cbor_check(mm_bytes_make(out, len), MM_CBOR_DETERMINISTIC, NULL), MM_OK);

    /* Duplicate keys are refused, in sorted position or not. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_map(&e);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_uint(&e, 2);
    assert_int_equal(mm_cbor_close(&e, NULL), MM_ERR_CBOR_DUP_KEY);
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_map(&e);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_uint(&e, 0);
    mm_cbor_put_uint(&e, 3);
    mm_cbor_put_uint(&e, 0);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_uint(&e, 0);
    assert_int_equal(mm_cbor_close(&e, NULL), MM_ERR_CBOR_DUP_KEY);

    /* A large map in reverse order (sorting moves every entry). */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_map(&e);
    for (int i = 29; i >= 0; i--) {
        mm_cbor_put_int(&e, i - 5);
        mm_cbor_put_bstr(&e, mm_bytes_make("xyz", (size_t)(i % 3)));
    }
    mm_cbor_close(&e, NULL);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    assert_int_equal(mm_cbor_check(mm_bytes_make(out, len), MM_CBOR_DETERMINISTIC, NULL), MM_OK);
}

static void test_wrap(void **state)
{
    (void)state;
    uint8_t out[512];
    mm_cbor_enc e;
    size_t len;
    mm_bytes content;
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_array(&e, 2);
    mm_cbor_open_wrap(&e);
    mm_cbor_open_map(&e);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_int(&e, -7);
    mm_cbor_close(&e, NULL);
    mm_cbor_close(&e, &content);
    expect(content.ptr, content.len, "a1 01 26");
    mm_cbor_put_null(&e);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "82 43 a1 01 26 f6");

    /* A wrap longer than 23 bytes gets a longer head. */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_open_wrap(&e);
    mm_cbor_put_bstr(&e, mm_bytes_make(want, 300));
    mm_cbor_close(&e, &content);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    assert_int_equal(len, 3 + 3 + 300);
    assert_int_equal(out[0], 0x59);
    assert_int_equal(content.ptr, out + 3);
    assert_int_equal(content.len, 303);
}

static void test_streamed_bstr(void **state)
{
    (void)state;
    uint8_t out[64];
    mm_cbor_enc e;
    size_t len;
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_array(&e, 2);
    mm_cbor_put_bstr_head(&e, 5);
    mm_cbor_put_bytes(&e, MM_BYTES_LIT("ab"));
    assert_int_equal(mm_cbor_put_uint(&e, 1), MM_ERR_STATE); /* content still pending */
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_array(&e, 2);
    mm_cbor_put_bstr_head(&e, 5);
    mm_cbor_put_bytes(&e, MM_BYTES_LIT("ab"));
    mm_cbor_put_bytes(&e, MM_BYTES_LIT("cde"));
    mm_cbor_put_uint(&e, 1);
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "82 45 6162636465 01");
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_bstr_head(&e, 1);
    assert_int_equal(mm_cbor_put_bytes(&e, MM_BYTES_LIT("ab")), MM_ERR_STATE); /* more than announced */
}

static void test_bigint_and_raw(void **state)
{
    (void)state;
    uint8_t out[64];
    mm_cbor_enc e;
    size_t len;
    mm_cbor_enc_init(&e, out, sizeof out);
    mm_cbor_put_bigint(&e, false, MM_BYTES_LIT("\x00\x00\x01\x00"));
    mm_cbor_put_bigint(&e, true, MM_BYTES_LIT("\x01\x00\x00\x00\x00\x00\x00\x00\x00"));
    mm_cbor_put_bigint(&e, false, MM_BYTES_LIT(""));
    mm_cbor_put_raw(&e, MM_BYTES_LIT("\x82\x01\x02"));
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    expect(out, len, "190100 c349010000000000000000 00 820102");
    mm_cbor_enc_init(&e, out, sizeof out);
    assert_int_equal(mm_cbor_put_raw(&e, MM_BYTES_LIT("\x82\x01")), MM_ERR_INVALID_ARG);
    mm_cbor_enc_init(&e, out, sizeof out);
    assert_int_equal(mm_cbor_put_raw(&e, MM_BYTES_LIT("\x9f\xff")), MM_ERR_INVALID_ARG); /* indefinite */
}

/* Builds one document exercising every writer; used for the overflow test. */
static mm_err build_doc(mm_cbor_enc *e, mm_bytes *wrapped)
{
    mm_cbor_open_map(e);
    mm_cbor_put_cstr(e, "zeta");
    mm_cbor_open_array(e);
    for (int i = 0; i < 30; i++) {
        mm_cbor_put_int(e, i * 1000 - 7000);
    }
    mm_cbor_close(e, NULL);
    mm_cbor_put_uint(e, 2);
    mm_cbor_open_wrap(e);
    mm_cbor_put_array(e, 3);
    mm_cbor_put_float(e, 1.1);
    mm_cbor_put_tag(e, 18);
    mm_cbor_put_bstr(e, mm_bytes_make(want, 40));
    mm_cbor_put_bigint(e, true, MM_BYTES_LIT("\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"));
    mm_cbor_close(e, wrapped);
    mm_cbor_put_int(e, -3);
    mm_cbor_put_bstr_head(e, 3);
    mm_cbor_put_bytes(e, MM_BYTES_LIT("abc"));
    mm_cbor_close(e, NULL);
    size_t len;
    return mm_cbor_enc_finish(e, &len);
}

static void test_overflow_every_size(void **state)
{
    (void)state;
    uint8_t full[512];
    mm_cbor_enc e;
    mm_bytes wrapped;
    size_t need;
    /* Dry run gives the size. */
    mm_cbor_enc_init(&e, NULL, 0);
    assert_int_equal(build_doc(&e, &wrapped), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(mm_cbor_enc_finish(&e, &need), MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(wrapped.len, 0);
    mm_cbor_enc_init(&e, full, sizeof full);
    assert_int_equal(build_doc(&e, &wrapped), MM_OK);
    size_t len;
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    assert_int_equal(len, need);
    assert_true(wrapped.len > 0);
    assert_int_equal(mm_cbor_check(mm_bytes_make(full, len), MM_CBOR_DETERMINISTIC, NULL), MM_OK);
    for (size_t cap = 0; cap < need; cap++) {
        uint8_t *b = test_malloc(cap + 1);
        mm_cbor_enc_init(&e, b, cap);
        mm_err r = build_doc(&e, &wrapped);
        size_t got;
        mm_err f = mm_cbor_enc_finish(&e, &got);
        test_free(b);
        if (r != MM_ERR_BUFFER_TOO_SMALL || f != MM_ERR_BUFFER_TOO_SMALL || got != need) {
            fail_msg("cap %zu: build %s, finish %s, need %zu (want %zu)", cap, mm_errname(r), mm_errname(f), got, need);
        }
    }
}

static void test_copy_canonicalises(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } c[] = {
        {"1817", "17"},
        {"9f 01 02 ff", "82 01 02"},
        {"bf 02 00 01 00 ff", "a2 01 00 02 00"},
        {"5f 42 0102 41 03 ff", "43 010203"},
        {"7f 62 6869 60 ff", "62 6869"},
        {"5f ff", "40"},
        {"fb 3ff0000000000000", "f9 3c00"},
        {"fa 7fc00000", "f9 7e00"},
        {"d8 18 58 01 00", "d8 18 41 00"},
        {"82 a2 61 62 00 61 61 00 9f ff", "82 a2 61 61 00 61 62 00 80"},
        {"9f 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 18 18 19 ff",
         "98 19 0102030405060708090a0b0c0d0e0f101112131415161718181819"},
    };
    uint8_t in[128];
    uint8_t out[128];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        size_t n = mm_test_unhex(c[i].in, in, sizeof in);
        mm_cbor_dec d;
        mm_cbor_enc e;
        size_t len;
        assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(in, n), MM_CBOR_ALLOW_INDEF), MM_OK);
        mm_cbor_enc_init(&e, out, sizeof out);
        assert_int_equal(mm_cbor_copy(&d, &e), MM_OK);
        assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
        assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
        expect(out, len, c[i].out);
    }
    /* Duplicate keys cannot be made deterministic. */
    size_t n = mm_test_unhex("a2 01 00 1801 00", in, sizeof in);
    mm_cbor_dec d;
    mm_cbor_enc e;
    assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(in, n), 0), MM_OK);
    mm_cbor_enc_init(&e, out, sizeof out);
    assert_int_equal(mm_cbor_copy(&d, &e), MM_ERR_CBOR_DUP_KEY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_floats_shortest),
        cmocka_unit_test(test_fixed_containers),
        cmocka_unit_test(test_open_containers),
        cmocka_unit_test(test_map_sorting),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_streamed_bstr),
        cmocka_unit_test(test_bigint_and_raw),
        cmocka_unit_test(test_overflow_every_size),
        cmocka_unit_test(test_copy_canonicalises),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
