/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The catalogue of malformed and non-deterministic inputs: each one must fail
 * with its own error code at its own offset (never crash, never pass), both
 * through mm_cbor_check() and through a generic walk. Plus every truncation
 * of a set of valid items.
 */
#include <stdlib.h>
#include <string.h>

#include "mamori/cbor.h"
#include "mm_test.h"

#define DET   MM_CBOR_DETERMINISTIC
#define INDEF MM_CBOR_ALLOW_INDEF
#define UTF8  MM_CBOR_CHECK_UTF8

typedef struct bad_case {
    const char *what;
    const char *hex;
    unsigned flags;
    mm_err err;
    size_t off;
} bad_case;

static const bad_case bad[] = {
    /* RFC 8949 Appendix F.1: reserved additional information */
    {"uint ai 28", "1c", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"uint ai 29", "1d", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"uint ai 30", "1e", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"nint ai 28", "3c", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"bstr ai 29", "5d", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"tstr ai 30", "7e", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"array ai 28", "9c", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"map ai 29", "bd", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"tag ai 30", "de", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"simple ai 28", "fc", 0, MM_ERR_CBOR_RESERVED_AI, 0},
    {"reserved ai inside array", "82 00 1c", 0, MM_ERR_CBOR_RESERVED_AI, 2},
    /* Truncated heads and contents */
    {"1-byte argument missing", "18", 0, MM_ERR_TRUNCATED, 0},
    {"2-byte argument cut", "19 01", 0, MM_ERR_TRUNCATED, 0},
    {"4-byte argument cut", "1a 01 02 03", 0, MM_ERR_TRUNCATED, 0},
    {"8-byte argument cut", "1b 01 02 03 04 05 06 07", 0, MM_ERR_TRUNCATED, 0},
    {"float16 cut", "f9 00", 0, MM_ERR_TRUNCATED, 0},
    {"float64 cut", "fb 00 00 00", 0, MM_ERR_TRUNCATED, 0},
    {"bstr content missing", "41", 0, MM_ERR_TRUNCATED, 0},
    {"tstr content cut", "63 61 62", 0, MM_ERR_TRUNCATED, 0},
    {"array items missing", "83 01 02", 0, MM_ERR_TRUNCATED, 0},
    {"array item cut", "82 01 19", 0, MM_ERR_TRUNCATED, 2},
    {"map value missing", "a1 01", 0, MM_ERR_TRUNCATED, 0},
    {"map pair missing", "a2 01 02 03", 0, MM_ERR_TRUNCATED, 0},
    {"tag content missing", "c1", 0, MM_ERR_TRUNCATED, 0},
    {"nested tag content missing", "81 c1", 0, MM_ERR_TRUNCATED, 1},
    /* Lengths past the buffer, and near 2^64 */
    {"bstr length 2^32-1", "5a ff ff ff ff 00", 0, MM_ERR_TRUNCATED, 0},
    {"bstr length 2^64-1", "5b ff ff ff ff ff ff ff ff", 0, MM_ERR_TRUNCATED, 0},
    {"tstr length 2^63", "7b 80 00 00 00 00 00 00 00 61", 0, MM_ERR_TRUNCATED, 0},
    {"array count 2^64-1", "9b ff ff ff ff ff ff ff ff 00", 0, MM_ERR_TRUNCATED, 0},
    {"map count 2^63", "bb 80 00 00 00 00 00 00 00 00 00", 0, MM_ERR_TRUNCATED, 0},
    {"map count 2^32 pairs", "ba 80 00 00 00 00", 0, MM_ERR_TRUNCATED, 0},
    {"chunk length past buffer", "5f 5b ff ff ff ff ff ff ff ff ff", INDEF, MM_ERR_TRUNCATED, 1},
    /* Break and indefinite length where they do not belong (F.1) */
    {"lone break", "ff", 0, MM_ERR_CBOR_BAD_BREAK, 0},
    {"break in definite array", "81 ff", 0, MM_ERR_CBOR_BAD_BREAK, 1},
    {"break in definite map", "a1 ff 00", 0, MM_ERR_CBOR_BAD_BREAK, 1},
    {"break after indefinite array", "9f ff ff", INDEF, MM_ERR_CBOR_TRAILING, 2},
    {"break as map value", "bf 01 ff", INDEF, MM_ERR_CBOR_BAD_BREAK, 2},
    {"indefinite uint", "1f", 0, MM_ERR_CBOR_BAD_INDEF, 0},
    {"indefinite nint", "3f", 0, MM_ERR_CBOR_BAD_INDEF, 0},
    {"indefinite tag", "df 00", 0, MM_ERR_CBOR_BAD_INDEF, 0},
    {"indefinite array not allowed", "9f ff", 0, MM_ERR_CBOR_INDEF, 0},
    {"indefinite bstr not allowed", "5f ff", 0, MM_ERR_CBOR_INDEF, 0},
    {"indefinite map not allowed", "81 bf ff", 0, MM_ERR_CBOR_INDEF, 1},
    {"indefinite array without break", "9f 01 02", INDEF, MM_ERR_TRUNCATED, 3},
    {"indefinite bstr without break", "5f 41 00", INDEF, MM_ERR_TRUNCATED, 3},
    {"text chunk in byte string", "5f 61 61 ff", INDEF, MM_ERR_CBOR_BAD_CHUNK, 1},
    {"byte chunk in text string", "7f 41 61 ff", INDEF, MM_ERR_CBOR_BAD_CHUNK, 1},
    {"indefinite chunk", "5f 5f ff ff", INDEF, MM_ERR_CBOR_BAD_CHUNK, 1},
    {"int chunk", "7f 01 ff", INDEF, MM_ERR_CBOR_BAD_CHUNK, 1},
    /* Simple values (F.1: two-byte encoding of a value below 32) */
    {"simple(0) in two bytes", "f8 00", 0, MM_ERR_CBOR_BAD_SIMPLE, 0},
    {"simple(23) in two bytes", "f8 17", 0, MM_ERR_CBOR_BAD_SIMPLE, 0},
    {"simple(31) in two bytes", "f8 1f", 0, MM_ERR_CBOR_BAD_SIMPLE, 0},
    /* Trailing data and nesting */
    {"two items", "01 02", 0, MM_ERR_CBOR_TRAILING, 1},
    {"item then garbage", "80 1c", 0, MM_ERR_CBOR_TRAILING, 1},
    {"17 nested arrays", "81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 81 00", 0, MM_ERR_NESTING, 16},
    {"17 nested maps",
     "a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 a1 00 00", 0,
     MM_ERR_NESTING, 32},
    {"17 nested tags", "c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 c1 00", 0, MM_ERR_NESTING, 16},
    {"empty input", "", 0, MM_ERR_CBOR_NO_ITEM, 0},
    /* UTF-8, when checked */
    {"bad continuation", "62 c3 28", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"lone continuation", "61 80", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"overlong slash", "62 c0 af", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"overlong 3-byte", "63 e0 80 af", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"surrogate", "63 ed a0 80", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"above U+10FFFF", "64 f4 90 80 80", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"byte 0xff", "61 ff", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"cut sequence", "61 e6", UTF8, MM_ERR_CBOR_BAD_UTF8, 0},
    {"character split across chunks", "7f 61 c3 61 a9 ff", UTF8 | INDEF, MM_ERR_CBOR_BAD_UTF8, 1},
    {"bad text as map key", "a1 61 fe 00", UTF8, MM_ERR_CBOR_BAD_UTF8, 1},
    /* Core deterministic encoding (RFC 8949 4.2.1) */
    {"uint 23 in 2 bytes", "18 17", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"uint 255 in 3 bytes", "19 00 ff", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"uint 65535 in 5 bytes", "1a 00 00 ff ff", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"uint 2^32-1 in 9 bytes", "1b 00 00 00 00 ff ff ff ff", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"nint -24 in 2 bytes", "38 17", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"bstr length in 2 bytes", "58 01 00", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"array count in 2 bytes", "98 01 00", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"map count in 3 bytes", "b9 00 01 00 00", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"tag 1 in 2 bytes", "d8 01 00", DET, MM_ERR_CBOR_NOT_SHORTEST, 0},
    {"long head inside array", "82 00 18 00", DET, MM_ERR_CBOR_NOT_SHORTEST, 2},
    {"1.0 as float32", "fa 3f 80 00 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"1.0 as float64", "fb 3f f0 00 00 00 00 00 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"100000.0 as float64", "fb 40 f8 6a 00 00 00 00 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"infinity as float32", "fa 7f 80 00 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"NaN as float64", "fb 7f f8 00 00 00 00 00 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"NaN with payload", "f9 7e 01", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"negative NaN", "f9 fe 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"half subnormal as float32", "fa 33 80 00 00", DET, MM_ERR_CBOR_FLOAT_FORM, 0},
    {"unsorted int keys", "a2 02 00 01 00", DET, MM_ERR_CBOR_UNSORTED, 3},
    {"duplicate int keys", "a2 01 00 01 00", DET, MM_ERR_CBOR_DUP_KEY, 3},
    {"unsorted text keys", "a2 61 62 00 61 61 00", DET, MM_ERR_CBOR_UNSORTED, 4},
    {"text before int key", "a2 61 61 00 01 00", DET, MM_ERR_CBOR_UNSORTED, 4},
    {"length-first order is not bytewise", "a2 18 18 00 0a 00", DET, MM_ERR_CBOR_UNSORTED, 4},
    {"unsorted keys in nested map", "81 a2 02 00 01 00", DET, MM_ERR_CBOR_UNSORTED, 4},
    {"duplicate array keys", "a2 81 00 00 81 00 00", DET, MM_ERR_CBOR_DUP_KEY, 4},
    {"indefinite array", "9f ff", DET, MM_ERR_CBOR_INDEF, 0},
    {"indefinite text", "7f ff", DET, MM_ERR_CBOR_INDEF, 0},
    {"bignum that fits 64 bits", "c2 48 01 00 00 00 00 00 00 00", DET, MM_ERR_CBOR_BIGNUM_FORM, 0},
    {"bignum with leading zero", "c3 49 00 01 00 00 00 00 00 00 00", DET, MM_ERR_CBOR_BIGNUM_FORM, 0},
    {"empty bignum", "c2 40", DET, MM_ERR_CBOR_BIGNUM_FORM, 0},
};

static uint8_t in[256];

/* The same input through a generic walk must fail the same way. */
static mm_err walk(mm_bytes b, unsigned flags, size_t *off)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    mm_err e = mm_cbor_dec_init(&d, b, flags);
    while (e == MM_OK) {
        e = mm_cbor_next(&d, &it);
    }
    if (e == MM_ERR_CBOR_NO_ITEM) {
        e = mm_cbor_dec_finish(&d);
    }
    (void)mm_cbor_dec_error(&d, off);
    return e;
}

static void test_catalogue(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = mm_test_unhex(bad[i].hex, in, sizeof in);
        size_t off = 999;
        mm_err e = mm_cbor_check(mm_bytes_make(in, n), bad[i].flags, &off);
        if (e != bad[i].err || off != bad[i].off) {
            fail_msg("check %s (%s): got %s at %zu, want %s at %zu", bad[i].what, bad[i].hex, mm_errname(e), off,
                     mm_errname(bad[i].err), bad[i].off);
        }
        off = 999;
        e = walk(mm_bytes_make(in, n), bad[i].flags, &off);
        if (e != bad[i].err || off != bad[i].off) {
            fail_msg("walk %s (%s): got %s at %zu, want %s at %zu", bad[i].what, bad[i].hex, mm_errname(e), off,
                     mm_errname(bad[i].err), bad[i].off);
        }
        /* The printer must refuse it too, and print nothing beyond the input. */
        char text[2048];
        mm_buf out = mm_buf_make(text, sizeof text);
        mm_edn_opts eo = {MM_EDN_INDENT | MM_EDN_NESTED, bad[i].flags, 0, 0};
        e = mm_cbor_edn_buf(mm_bytes_make(in, n), &eo, &out, &off);
        if (e != bad[i].err) {
            fail_msg("edn %s (%s): got %s, want %s", bad[i].what, bad[i].hex, mm_errname(e), mm_errname(bad[i].err));
        }
    }
}

/* Without the extra checks, the same bytes are fine where they should be. */
static void test_relaxed_flags_accept(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if ((bad[i].flags & (DET | UTF8)) == 0) {
            continue;
        }
        size_t n = mm_test_unhex(bad[i].hex, in, sizeof in);
        unsigned relaxed = bad[i].flags & ~(unsigned)(DET | UTF8);
        if (bad[i].err == MM_ERR_CBOR_INDEF) {
            relaxed |= INDEF;
        }
        mm_err e = mm_cbor_check(mm_bytes_make(in, n), relaxed, NULL);
        if (e != MM_OK) {
            fail_msg("%s (%s) without the strict flag: %s", bad[i].what, bad[i].hex, mm_errname(e));
        }
    }
}

/* Valid items: every proper prefix is truncated, never accepted. */
static void test_every_truncation(void **state)
{
    (void)state;
    static const struct {
        const char *hex;
        unsigned flags;
    } good[] = {
        {"1b 00 00 00 e8 d4 a5 10 00", DET},
        {"3b ff ff ff ff ff ff ff ff", DET},
        {"c3 49 01 00 00 00 00 00 00 00 00", DET},
        {"fb 3f f1 99 99 99 99 99 9a", DET},
        {"fa 47 c3 50 00", DET},
        {"83 01 82 02 03 82 04 05", DET},
        {"a2 01 02 03 04", DET},
        {"a5 61 61 61 41 61 62 61 42 61 63 61 43 61 64 61 44 61 65 61 45", DET},
        {"d8 20 76 68 74 74 70 3a 2f 2f 77 77 77 2e 65 78 61 6d 70 6c 65 2e 63 6f 6d", DET},
        {"d2 84 43 a1 01 26 a1 04 42 31 31 54 54 68 69 73 20 69 73 20 74 68 65 20 63 6f 6e 74 65 6e 74 2e 58 40 "
         "8e b3 3e 4c a3 1d 1c 46 5a b0 5a ac 34 cc 6b 23 d5 8f ef 5c 08 31 06 c4 d2 5a 91 ae f0 b0 11 7e 2a f9 a2 91 "
         "aa 32 e1 4a b8 34 dc 56 ed 2a 22 34 44 54 7e 01 f1 1d 3b 09 16 e5 a4 c3 45 ca cb 36",
         DET},
        {"7f 65 73 74 72 65 61 64 6d 69 6e 67 ff", INDEF},
        {"9f 01 82 02 03 9f 04 05 ff ff", INDEF},
        {"bf 61 61 01 61 62 9f 02 03 ff ff", INDEF},
        {"5f 42 01 02 43 03 04 05 ff", INDEF},
        {"9f ff", INDEF},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t n = mm_test_unhex(good[i].hex, in, sizeof in);
        size_t off;
        mm_err e = mm_cbor_check(mm_bytes_make(in, n), good[i].flags, &off);
        if (e != MM_OK) {
            fail_msg("valid item %s: %s at %zu", good[i].hex, mm_errname(e), off);
        }
        for (size_t k = 1; k < n; k++) {
            /* A fresh heap copy of exactly k bytes, so ASan sees any overread. */
            uint8_t *cut = malloc(k);
            assert_non_null(cut);
            memcpy(cut, in, k);
            e = mm_cbor_check(mm_bytes_make(cut, k), good[i].flags, &off);
            mm_err w = walk(mm_bytes_make(cut, k), good[i].flags, &off);
            free(cut);
            if (e != MM_ERR_TRUNCATED || w != MM_ERR_TRUNCATED) {
                fail_msg("%s cut to %zu bytes: check %s, walk %s", good[i].hex, k, mm_errname(e), mm_errname(w));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogue),
        cmocka_unit_test(test_relaxed_flags_accept),
        cmocka_unit_test(test_every_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
