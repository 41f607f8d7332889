/* SPDX-License-Identifier: Apache-2.0 */
/* Table-driven map decoding: presence, required fields, duplicates, unknown
 * labels, value kinds and custom decoders. */
#include <stddef.h>
#include <string.h>

#include "mamori/cbor.h"
#include "mm_test.h"

typedef struct header {
    int64_t alg;
    mm_bytes kid;
    mm_bytes ctype;
    uint64_t count;
    bool flag;
    mm_bytes raw;
    mm_bytes wrapped;
    int64_t custom_sum;
} header;

/* Sums an array of ints: an example of a custom field decoder. */
static mm_err sum_array(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    size_t n;
    int64_t sum = 0;
    if (mm_cbor_enter_array(dec, &n) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    while (mm_cbor_more(dec)) {
        int64_t v;
        if (mm_cbor_get_int(dec, -100, 100, &v) != MM_OK) {
            return mm_cbor_dec_error(dec, NULL);
        }
        sum += v;
    }
    if (mm_cbor_exit(dec) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    memcpy(dst, &sum, sizeof sum);
    return MM_OK;
}

static const mm_cbor_field fields[] = {
    {1, NULL, MM_CBOR_F_INT, MM_CBOR_F_REQUIRED, offsetof(header, alg), NULL},
    {4, NULL, MM_CBOR_F_BSTR, 0, offsetof(header, kid), NULL},
    {0, "ctype", MM_CBOR_F_TSTR, 0, offsetof(header, ctype), NULL},
    {-7, NULL, MM_CBOR_F_UINT, 0, offsetof(header, count), NULL},
    {8, NULL, MM_CBOR_F_BOOL, 0, offsetof(header, flag), NULL},
    {9, NULL, MM_CBOR_F_RAW, 0, offsetof(header, raw), NULL},
    {10, NULL, MM_CBOR_F_WRAPPED, 0, offsetof(header, wrapped), NULL},
    {11, NULL, MM_CBOR_F_CUSTOM, 0, offsetof(header, custom_sum), sum_array},
};
#define NF (sizeof fields / sizeof fields[0])

typedef struct unknown_log {
    int count;
    int64_t last_label;
} unknown_log;

static mm_err keep_unknown(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    unknown_log *log = user;
    log->count++;
    log->last_label = key->type == MM_CBOR_UINT ? (int64_t)key->arg : -1 - (int64_t)key->arg;
    return mm_cbor_skip(dec);
}

static uint8_t in[256];

static mm_err decode(const char *hex, header *h, uint64_t *present, mm_cbor_map_opts *opts, size_t *off)
{
    size_t n = mm_test_unhex(hex, in, sizeof in);
    mm_cbor_dec d;
    memset(h, 0, sizeof *h);
    assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(in, n), 0), MM_OK);
    mm_err e = mm_cbor_decode_map(&d, fields, NF, h, present, opts);
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    (void)mm_cbor_dec_error(&d, off);
    return e;
}

static void test_all_kinds(void **state)
{
    (void)state;
    header h;
    uint64_t present;
    size_t off;
    /* {1: -7, 4: h'3131', "ctype": "a/b", -7: 500, 8: true, 9: [1, {}], 10: h'a10126', 11: [1, 2, -4]} */
    assert_int_equal(decode("a8 01 26 04 42 3131 65 6374797065 63 612f62 26 1901f4 08 f5 09 82 01 a0 0a 43 a10126 0b "
                            "83 01 02 23",
                            &h, &present, NULL, &off),
                     MM_OK);
    assert_int_equal(h.alg, -7);
    assert_true(mm_bytes_equal(h.kid, MM_BYTES_LIT("11")));
    assert_true(mm_bytes_equal(h.ctype, MM_BYTES_LIT("a/b")));
    assert_int_equal(h.count, 500);
    assert_true(h.flag);
    assert_true(mm_bytes_equal(h.raw, MM_BYTES_LIT("\x82\x01\xa0")));
    assert_true(mm_bytes_equal(h.wrapped, MM_BYTES_LIT("\xa1\x01\x26")));
    assert_int_equal(h.custom_sum, -1);
    assert_int_equal(present, 0xff);

    assert_int_equal(decode("a1 01 26", &h, &present, NULL, &off), MM_OK);
    assert_int_equal(present, 1);
}

static void test_refusals(void **state)
{
    (void)state;
    header h;
    uint64_t present;
    size_t off;
    mm_cbor_map_opts opts = {NULL, NULL, 0};
    /* Missing required field: reported at the map, naming the field. */
    assert_int_equal(decode("a1 04 40", &h, &present, &opts, &off), MM_ERR_MISSING_FIELD);
    assert_int_equal(off, 0);
    assert_int_equal(opts.failed_field, 0);
    /* Duplicate label. */
    assert_int_equal(decode("a2 01 26 01 26", &h, &present, &opts, &off), MM_ERR_CBOR_DUP_KEY);
    assert_int_equal(off, 3);
    /* Duplicate written differently (1 and 0x1801). */
    assert_int_equal(decode("a2 01 26 1801 26", &h, &present, &opts, &off), MM_ERR_CBOR_DUP_KEY);
    /* Unknown label without a handler. */
    assert_int_equal(decode("a2 01 26 18 63 00", &h, &present, &opts, &off), MM_ERR_UNKNOWN_FIELD);
    assert_int_equal(off, 3);
    /* Wrong value type names the field. */
    assert_int_equal(decode("a2 01 26 04 61 61", &h, &present, &opts, &off), MM_ERR_CBOR_TYPE);
    assert_int_equal(off, 4);
    assert_int_equal(opts.failed_field, 1);
    /* Key that is neither int nor text. */
    assert_int_equal(decode("a1 41 01 00", &h, &present, &opts, &off), MM_ERR_CBOR_BAD_KEY);
    assert_int_equal(decode("a1 f5 00", &h, &present, &opts, &off), MM_ERR_CBOR_BAD_KEY);
    /* Not a map. */
    assert_int_equal(decode("80", &h, &present, &opts, &off), MM_ERR_CBOR_TYPE);
    /* Wrapped value that is not one item. */
    assert_int_equal(decode("a2 01 26 0a 42 0102", &h, &present, &opts, &off), MM_ERR_CBOR_BAD_WRAP);
    assert_int_equal(off, 6);
    assert_int_equal(decode("a2 01 26 0a 40", &h, &present, &opts, &off), MM_ERR_CBOR_BAD_WRAP);
    assert_int_equal(decode("a2 01 26 0a 41 1c", &h, &present, &opts, &off), MM_ERR_CBOR_RESERVED_AI);
    assert_int_equal(off, 5);
    /* A custom decoder's own error. */
    assert_int_equal(decode("a2 01 26 0b 81 18 c8", &h, &present, &opts, &off), MM_ERR_CBOR_RANGE);
    assert_int_equal(opts.failed_field, 7);
    /* Truncated. */
    assert_int_equal(decode("a2 01 26 04", &h, &present, &opts, &off), MM_ERR_TRUNCATED);
}

static void test_unknown_handler(void **state)
{
    (void)state;
    header h;
    uint64_t present;
    size_t off;
    unknown_log log = {0, 0};
    mm_cbor_map_opts opts = {keep_unknown, &log, 0};
    assert_int_equal(decode("a3 01 26 18 63 82 01 02 38 63 f6", &h, &present, &opts, &off), MM_OK);
    assert_int_equal(log.count, 2);
    assert_int_equal(log.last_label, -100);
    /* Unknown labels may not repeat either, text or int. */
    log.count = 0;
    assert_int_equal(decode("a3 01 26 18 63 00 18 63 00", &h, &present, &opts, &off), MM_ERR_CBOR_DUP_KEY);
    assert_int_equal(off, 6);
    assert_int_equal(decode("a3 01 26 61 78 00 61 78 00", &h, &present, &opts, &off), MM_ERR_CBOR_DUP_KEY);
    assert_int_equal(decode("a3 01 26 61 78 00 61 79 00", &h, &present, &opts, &off), MM_OK);
}

static void test_too_many_unknown(void **state)
{
    (void)state;
    /* {1: -7, 100: 0, 101: 0, ...}: more unknown labels than remembered. */
    uint8_t doc[512];
    mm_cbor_enc e;
    size_t len;
    mm_cbor_enc_init(&e, doc, sizeof doc);
    mm_cbor_put_map(&e, MM_CBOR_MAP_MAX_UNKNOWN + 2);
    mm_cbor_put_uint(&e, 1);
    mm_cbor_put_int(&e, -7);
    for (int i = 0; i < MM_CBOR_MAP_MAX_UNKNOWN + 1; i++) {
        mm_cbor_put_uint(&e, (uint64_t)(100 + i));
        mm_cbor_put_uint(&e, 0);
    }
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    unknown_log log = {0, 0};
    mm_cbor_map_opts opts = {keep_unknown, &log, 0};
    mm_cbor_dec d;
    header h;
    assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(doc, len), 0), MM_OK);
    assert_int_equal(mm_cbor_decode_map(&d, fields, NF, &h, NULL, &opts), MM_ERR_TOO_LARGE);
    assert_int_equal(log.count, MM_CBOR_MAP_MAX_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_kinds),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_unknown_handler),
        cmocka_unit_test(test_too_many_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
