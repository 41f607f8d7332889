/* SPDX-License-Identifier: Apache-2.0 */
/* The CBOR decoder's reading API: walk, typed reads, containers, wraps,
 * tags, raw capture, sequences, limits and the deterministic rules. */
#include <string.h>

#include "mamori/cbor.h"
#include "mm_test.h"

static uint8_t buf[4096];

static mm_bytes hexb(const char *hex) { return mm_bytes_make(buf, mm_test_unhex(hex, buf, sizeof buf)); }

static void test_walk_types(void **state)
{
    (void)state;
    /* [0, -1, h'01', "a", [], {}, 1(2), simple(16), false, true, null, undefined, 1.5] */
    mm_cbor_dec d;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("8d 00 20 41 01 61 61 80 a0 c1 02 f0 f4 f5 f6 f7 f9 3e 00"), 0), MM_OK);
    static const mm_cbor_type want[] = {
        MM_CBOR_ARRAY, MM_CBOR_UINT, MM_CBOR_NINT, MM_CBOR_BSTR,      MM_CBOR_TSTR,
        MM_CBOR_ARRAY, MM_CBOR_MAP,  MM_CBOR_TAG,  MM_CBOR_UINT,      MM_CBOR_SIMPLE,
        MM_CBOR_FALSE, MM_CBOR_TRUE, MM_CBOR_NULL, MM_CBOR_UNDEFINED, MM_CBOR_FLOAT,
    };
    static const uint8_t depth[] = {0, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1};
    mm_cbor_item it;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(mm_cbor_next(&d, &it), MM_OK);
        assert_int_equal(it.type, want[i]);
        assert_int_equal(it.depth, depth[i]);
    }
    assert_true(it.f == 1.5);
    assert_int_equal(it.float_size, 2);
    assert_int_equal(mm_cbor_next(&d, &it), MM_ERR_CBOR_NO_ITEM);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
}

static void test_typed_reads(void **state)
{
    (void)state;
    /* [1000, -1000, h'0102', "hi", true, null, 2.5, 24(h'00'), 18446744073709551615] */
    mm_cbor_dec d;
    assert_int_equal(
        mm_cbor_dec_init(&d, hexb("89 1903e8 3903e7 420102 626869 f5 f6 f94100 d818 4100 1bffffffffffffffff"), 0),
        MM_OK);
    size_t n;
    uint64_t u;
    int64_t i;
    mm_bytes b;
    bool flag;
    double f;
    uint64_t tag;
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(n, 9);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(u, 1000);
    assert_int_equal(mm_cbor_get_int(&d, -1000, 0, &i), MM_OK);
    assert_int_equal(i, -1000);
    assert_int_equal(mm_cbor_get_bstr(&d, &b), MM_OK);
    assert_true(mm_bytes_equal(b, MM_BYTES_LIT("\x01\x02")));
    assert_int_equal(mm_cbor_get_tstr(&d, &b), MM_OK);
    assert_true(mm_bytes_equal(b, MM_BYTES_LIT("hi")));
    assert_int_equal(mm_cbor_get_bool(&d, &flag), MM_OK);
    assert_true(flag);
    assert_int_equal(mm_cbor_get_null(&d), MM_OK);
    assert_int_equal(mm_cbor_get_float(&d, &f), MM_OK);
    assert_true(f == 2.5);
    assert_int_equal(mm_cbor_get_tag(&d, &tag), MM_OK);
    assert_int_equal(tag, 24);
    assert_int_equal(mm_cbor_get_bstr(&d, &b), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_true(u == UINT64_MAX);
    assert_false(mm_cbor_more(&d));
    /* Reading past the end of an entered array is an error, not the parent's item. */
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_ERR_CBOR_NO_ITEM);
    size_t off;
    assert_int_equal(mm_cbor_dec_error(&d, &off), MM_ERR_CBOR_NO_ITEM);
    assert_int_equal(off, 31);
}

static void test_type_and_range_errors(void **state)
{
    (void)state;
    mm_cbor_dec d;
    uint64_t u;
    int64_t i;
    size_t off;
    mm_bytes b;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("20"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_ERR_CBOR_TYPE);
    /* The error is sticky. */
    assert_int_equal(mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &i), MM_ERR_CBOR_TYPE);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_ERR_CBOR_TYPE);

    assert_int_equal(mm_cbor_dec_init(&d, hexb("1bffffffffffffffff"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &i), MM_ERR_CBOR_RANGE);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("3b7fffffffffffffff"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &i), MM_OK);
    assert_true(i == INT64_MIN);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("3b8000000000000000"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &i), MM_ERR_CBOR_RANGE);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("82 01 18 64"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_get_int(&d, 0, 10, &i), MM_OK);
    assert_int_equal(mm_cbor_get_int(&d, 0, 10, &i), MM_ERR_CBOR_RANGE);
    assert_int_equal(mm_cbor_dec_error(&d, &off), MM_ERR_CBOR_RANGE);
    assert_int_equal(off, 2);
    /* enter_map on an array fails without consuming it. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("80"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&d, NULL), MM_ERR_CBOR_TYPE);
    /* Indefinite strings are not handed out as one view. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("5f 41 01 ff"), MM_CBOR_ALLOW_INDEF), MM_OK);
    assert_int_equal(mm_cbor_get_bstr(&d, &b), MM_ERR_CBOR_INDEF);
}

static void test_enter_exit_skips(void **state)
{
    (void)state;
    /* {1: [1, [2, 3]], 2: "x"} -- leave the inner array unread. */
    mm_cbor_dec d;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("a2 01 82 01 82 02 03 02 61 78"), 0), MM_OK);
    size_t n;
    uint64_t u;
    mm_bytes b;
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_true(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(u, 2);
    assert_int_equal(mm_cbor_get_tstr(&d, &b), MM_OK);
    assert_false(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);

    /* Empty containers can be entered and exited. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("82 80 a0"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(n, 0);
    assert_false(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);

    /* exit without enter is misuse. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("01"), 0), MM_OK);
    assert_int_equal(mm_cbor_exit(&d), MM_ERR_STATE);

    /* finish with an entered container still open. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("81 01"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_ERR_CBOR_ITEMS_LEFT);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("81 01"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_ERR_STATE);
}

static void test_indefinite_containers(void **state)
{
    (void)state;
    mm_cbor_dec d;
    size_t n;
    uint64_t u;
    /* [_ 1, [_ 2], {_ 3: 4}] */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("9f 01 9f 02 ff bf 03 04 ff ff"), MM_CBOR_ALLOW_INDEF), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_true(n == MM_CBOR_INDEF_COUNT);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_false(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    assert_true(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_exit(&d), MM_OK); /* skips 3: 4 */
    assert_false(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);

    /* Not allowed unless asked for. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("9f ff"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_ERR_CBOR_INDEF);

    /* An indefinite map whose last key has no value. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("bf 01 ff"), MM_CBOR_ALLOW_INDEF), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_ERR_CBOR_BAD_BREAK);
}

static void test_wrapped(void **state)
{
    (void)state;
    /* [h'a10126', 7] : a bstr-wrapped {1: -7} */
    mm_cbor_dec d;
    size_t n;
    int64_t i;
    uint64_t u;
    mm_bytes content;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("82 43 a1 01 26 07"), MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, &content), MM_OK);
    assert_int_equal(content.len, 3);
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_get_int(&d, INT64_MIN, INT64_MAX, &i), MM_OK);
    assert_int_equal(i, -7);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    /* Nothing else may be read inside the wrap. */
    assert_int_equal(mm_cbor_peek(&d, &(mm_cbor_item){0}), MM_ERR_CBOR_NO_ITEM);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(u, 7);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);

    /* Trailing bytes inside the wrap. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("42 01 02"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_ERR_CBOR_NO_ITEM);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("42 01 02"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_exit(&d), MM_ERR_CBOR_BAD_WRAP);
    size_t off;
    assert_int_equal(mm_cbor_dec_error(&d, &off), MM_ERR_CBOR_BAD_WRAP);
    assert_int_equal(off, 2);

    /* A truncated item inside the wrap does not read past it. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("82 41 19 00"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_ERR_TRUNCATED);

    /* An empty wrap holds no item. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("40"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_exit(&d), MM_ERR_CBOR_BAD_WRAP);

    /* The wrap counts as a nesting level. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("43 81 81 00"), 0), MM_OK);
    assert_int_equal(mm_cbor_dec_set_max_depth(&d, 2), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_ERR_NESTING);
}

static void test_peek_and_opt_tag(void **state)
{
    (void)state;
    mm_cbor_dec d;
    mm_cbor_item it;
    bool present;
    size_t n;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("d2 84 40 a0 f6 40"), 0), MM_OK);
    assert_int_equal(mm_cbor_peek(&d, &it), MM_OK);
    assert_int_equal(it.type, MM_CBOR_TAG);
    assert_int_equal(it.arg, 18);
    assert_int_equal(mm_cbor_opt_tag(&d, 98, &present), MM_OK);
    assert_false(present);
    assert_int_equal(mm_cbor_opt_tag(&d, 18, &present), MM_OK);
    assert_true(present);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(n, 4);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);

    /* Untagged input: opt_tag leaves it alone. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("80"), 0), MM_OK);
    assert_int_equal(mm_cbor_opt_tag(&d, 18, &present), MM_OK);
    assert_false(present);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);

    /* Peek records a malformed head as the read would, at its offset, so a
     * caller returning mm_cbor_dec_error() after a failed peek reports it. */
    size_t off = 99;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("80"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_peek(&d, &it), MM_ERR_CBOR_NO_ITEM);
    assert_int_equal(mm_cbor_dec_error(&d, NULL), MM_OK); /* the end of a container is not an error */
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("811c"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_peek(&d, &it), MM_ERR_CBOR_RESERVED_AI);
    assert_int_equal(mm_cbor_dec_error(&d, &off), MM_ERR_CBOR_RESERVED_AI);
    assert_int_equal(off, 1);
    assert_int_equal(mm_cbor_opt_tag(&d, 1, &present), MM_ERR_CBOR_RESERVED_AI);
}

static void test_raw_capture(void **state)
{
    (void)state;
    /* [1, 18([h'', {}, null, h'']), 2] : capture the tagged item whole */
    mm_cbor_dec d;
    mm_bytes raw;
    size_t n;
    uint64_t u;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("83 01 d2 84 40 a0 f6 40 02"), 0), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &n), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_get_raw(&d, &raw), MM_OK);
    assert_int_equal(raw.len, 6);
    assert_int_equal(raw.ptr[0], 0xd2);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(u, 2);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);

    /* Raw capture of the last item of an automatically entered indefinite
     * array stops before the array's break. */
    mm_cbor_item it;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("9f 01 82 02 03 ff"), MM_CBOR_ALLOW_INDEF), MM_OK);
    assert_int_equal(mm_cbor_next(&d, &it), MM_OK);
    assert_int_equal(mm_cbor_next(&d, &it), MM_OK);
    assert_int_equal(mm_cbor_get_raw(&d, &raw), MM_OK);
    assert_true(mm_bytes_equal(raw, MM_BYTES_LIT("\x82\x02\x03")));
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
}

static void test_bigint(void **state)
{
    (void)state;
    mm_cbor_dec d;
    bool neg;
    uint8_t scratch[8];
    mm_bytes mag;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("c3 49 01 00 00 00 00 00 00 00 00"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_bigint(&d, &neg, scratch, &mag), MM_OK);
    assert_true(neg);
    assert_int_equal(mag.len, 9);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("38 63"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_bigint(&d, &neg, scratch, &mag), MM_OK);
    assert_true(neg);
    assert_true(mm_bytes_equal(mag, MM_BYTES_LIT("\0\0\0\0\0\0\0\x63")));
    /* Deterministic mode wants small bignums as ints and no leading zeros. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("c2 41 01"), MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_get_bigint(&d, &neg, scratch, &mag), MM_ERR_CBOR_BIGNUM_FORM);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("c2 49 00 01 00 00 00 00 00 00 00"), MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_get_bigint(&d, &neg, scratch, &mag), MM_ERR_CBOR_BIGNUM_FORM);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("c2 49 01 00 00 00 00 00 00 00 00"), MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_get_bigint(&d, &neg, scratch, &mag), MM_OK);
    assert_false(neg);
    assert_int_equal(mm_cbor_dec_init(&d, hexb("c2 01"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_bigint(&d, &neg, scratch, &mag), MM_ERR_CBOR_TYPE);
}

static void test_sequence(void **state)
{
    (void)state;
    mm_cbor_dec d;
    uint64_t u;
    assert_int_equal(mm_cbor_dec_init(&d, hexb("01 02 03"), MM_CBOR_SEQUENCE), MM_OK);
    int count = 0;
    while (mm_cbor_more(&d)) {
        assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
        count++;
    }
    assert_int_equal(count, 3);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
    /* An empty sequence is a valid sequence; an empty item is not. */
    assert_int_equal(mm_cbor_check(mm_bytes_make(NULL, 0), MM_CBOR_SEQUENCE, NULL), MM_OK);
    assert_int_equal(mm_cbor_check(mm_bytes_make(NULL, 0), 0, NULL), MM_ERR_CBOR_NO_ITEM);
    /* Without the flag, a second item is trailing data. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("01 02"), 0), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_false(mm_cbor_more(&d));
    assert_int_equal(mm_cbor_dec_finish(&d), MM_ERR_CBOR_TRAILING);
    /* A sequence left half read. */
    assert_int_equal(mm_cbor_dec_init(&d, hexb("01 02"), MM_CBOR_SEQUENCE), MM_OK);
    assert_int_equal(mm_cbor_get_uint(&d, &u), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_ERR_CBOR_ITEMS_LEFT);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    uint8_t deep[40];
    for (size_t depth = 1; depth <= 33; depth++) {
        memset(deep, 0x81, depth);
        deep[depth] = 0x00;
        mm_cbor_dec d;
        assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(deep, depth + 1), 0), MM_OK);
        mm_err e = mm_cbor_skip(&d);
        if (depth <= MM_CBOR_DEFAULT_NESTING) {
            assert_int_equal(e, MM_OK);
        } else {
            assert_int_equal(e, MM_ERR_NESTING);
            size_t off;
            (void)mm_cbor_dec_error(&d, &off);
            assert_int_equal(off, MM_CBOR_DEFAULT_NESTING);
        }
    }
    /* Tags count as levels too: a long chain of tags is refused, not walked. */
    memset(deep, 0xc1, 20);
    deep[20] = 0x00;
    assert_int_equal(mm_cbor_check(mm_bytes_make(deep, 21), 0, NULL), MM_ERR_NESTING);
    mm_cbor_dec d;
    assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(deep, 21), 0), MM_OK);
    assert_int_equal(mm_cbor_dec_set_max_depth(&d, 0), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_cbor_dec_set_max_depth(&d, MM_CBOR_MAX_NESTING + 1), MM_ERR_INVALID_ARG);
    assert_int_equal(mm_cbor_dec_set_max_depth(&d, 20), MM_OK);
    assert_int_equal(mm_cbor_skip(&d), MM_OK);
}

static void test_deterministic_accepts(void **state)
{
    (void)state;
    static const char *ok[] = {
        "00",
        "17",
        "1818",
        "18ff",
        "190100",
        "1a00010000",
        "1b0000000100000000",
        "20",
        "3818",
        "a2 01 02 61 61 03",       /* int keys before text keys (bytewise) */
        "a3 0a 00 1818 00 20 00",  /* 10 < 24 < -1 bytewise: 0x0a < 0x18 < 0x20 */
        "a2 61 61 00 62 61 61 00", /* "a" < "aa": prefix first */
        "a2 81 00 00 81 01 00",    /* array keys compared as bytes */
        "f9 3c00",
        "f9 7e00",
        "f9 7c00",
        "fa 47c35000",
        "fb 3ff199999999999a",
        "c2 49 010000000000000000",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t off = 0;
        mm_err e = mm_cbor_check(hexb(ok[i]), MM_CBOR_DETERMINISTIC, &off);
        if (e != MM_OK) {
            fail_msg("%s: %s at %zu", ok[i], mm_errname(e), off);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_types),
        cmocka_unit_test(test_typed_reads),
        cmocka_unit_test(test_type_and_range_errors),
        cmocka_unit_test(test_enter_exit_skips),
        cmocka_unit_test(test_indefinite_containers),
        cmocka_unit_test(test_wrapped),
        cmocka_unit_test(test_peek_and_opt_tag),
        cmocka_unit_test(test_raw_capture),
        cmocka_unit_test(test_bigint),
        cmocka_unit_test(test_sequence),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_deterministic_accepts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
