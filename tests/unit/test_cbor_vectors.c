/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 8949 Appendix A, from the official vectors (../shared/vectors/cbor):
 * every example decodes to the stated value (or prints as the stated
 * diagnostic notation), and re-encodes to the same bytes where the encoding
 * is the preferred one.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cbor.h"
#include "mm_test.h"

/* Decimal text of a big-endian magnitude m, or of -1 - m. */
static void bignum_decimal(mm_bytes m, bool negative, char *out, size_t cap)
{
    /* One spare leading byte: m + 1 may need it. */
    uint8_t work[65];
    assert_true(m.len < sizeof work);
    work[0] = 0;
    memcpy(work + 1, m.ptr, m.len);
    m.len++;
    if (negative) {
        /* -1 - m: print m + 1 with a minus sign. */
        size_t i = m.len;
        while (i-- > 0 && ++work[i] == 0) {}
    }
    char rev[200];
    size_t n = 0;
    bool nonzero = true;
    while (nonzero) {
        unsigned rem = 0;
        nonzero = false;
        for (size_t i = 0; i < m.len; i++) {
            unsigned cur = rem * 256 + work[i];
            work[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
            nonzero |= work[i] != 0;
        }
        rev[n++] = (char)('0' + rem);
    }
    size_t k = 0;
    if (negative) {
        out[k++] = '-';
    }
    while (n > 0 && k + 1 < cap) {
        out[k++] = rev[--n];
    }
    out[k] = '\0';
}

/* Compares the next decoded item with a number given as JSON text. */
static void compare_number(mm_cbor_dec *d, const char *token, const char *hex)
{
    mm_cbor_item it;
    assert_int_equal(mm_cbor_peek(d, &it), MM_OK);
    bool is_float = strpbrk(token, ".eE") != NULL;
    if (is_float) {
        double v;
        assert_int_equal(mm_cbor_get_float(d, &v), MM_OK);
        double want = strtod(token, NULL);
        if (v != want || signbit(v) != signbit(want)) {
            fail_msg("%s: decoded %.17g, want %s", hex, v, token);
        }
        return;
    }
    bool neg;
    uint8_t scratch[8];
    mm_bytes mag;
    assert_int_equal(mm_cbor_get_bigint(d, &neg, scratch, &mag), MM_OK);
    char text[64];
    bignum_decimal(mag, neg, text, sizeof text);
    if (strcmp(text, token) != 0) {
        fail_msg("%s: decoded %s, want %s", hex, text, token);
    }
}

static void read_text(mm_cbor_dec *d, char *out, size_t cap, size_t *len)
{
    mm_cbor_item it;
    assert_int_equal(mm_cbor_get_item(d, &it), MM_OK);
    assert_int_equal(it.type, MM_CBOR_TSTR);
    *len = 0;
    if ((it.flags & MM_CBOR_ITEM_INDEF) == 0) {
        assert_true(it.str.len <= cap);
        memcpy(out, it.str.ptr, it.str.len);
        *len = it.str.len;
        return;
    }
    mm_bytes area = it.str;
    mm_bytes chunk;
    while (mm_cbor_chunk_next(&area, &chunk)) {
        assert_true(*len + chunk.len <= cap);
        memcpy(out + *len, chunk.ptr, chunk.len);
        *len += chunk.len;
    }
}

/* Compares the next decoded item with a JSON value. */
static void compare_json(mm_cbor_dec *d, json_t *want, const char *hex)
{
    size_t n;
    switch (json_typeof(want)) {
    case JSON_STRING: {
        char text[256];
        size_t len;
        read_text(d, text, sizeof text, &len);
        if (len != json_string_length(want) || memcmp(text, json_string_value(want), len) != 0) {
            fail_msg("%s: text differs", hex);
        }
        break;
    }
    case JSON_INTEGER: {
        char token[32];
        snprintf(token, sizeof token, "%lld", (long long)json_integer_value(want));
        compare_number(d, token, hex);
        break;
    }
    case JSON_REAL: {
        char token[40];
        snprintf(token, sizeof token, "%.17g.0", json_real_value(want));
        compare_number(d, token, hex);
        break;
    }
    case JSON_TRUE:
    case JSON_FALSE: {
        bool v;
        assert_int_equal(mm_cbor_get_bool(d, &v), MM_OK);
        assert_int_equal(v, json_is_true(want));
        break;
    }
    case JSON_NULL:
        assert_int_equal(mm_cbor_get_null(d), MM_OK);
        break;
    case JSON_ARRAY: {
        assert_int_equal(mm_cbor_enter_array(d, &n), MM_OK);
        size_t i = 0;
        while (mm_cbor_more(d)) {
            assert_true(i < json_array_size(want));
            compare_json(d, json_array_get(want, i), hex);
            i++;
        }
        assert_int_equal(i, json_array_size(want));
        assert_int_equal(mm_cbor_exit(d), MM_OK);
        break;
    }
    case JSON_OBJECT: {
        assert_int_equal(mm_cbor_enter_map(d, &n), MM_OK);
        size_t i = 0;
        while (mm_cbor_more(d)) {
            char key[64];
            size_t len;
            read_text(d, key, sizeof key - 1, &len);
            key[len] = '\0';
            json_t *v = json_object_get(want, key);
            if (v == NULL) {
                fail_msg("%s: unexpected key %s", hex, key);
            }
            compare_json(d, v, hex);
            i++;
        }
        assert_int_equal(i, json_object_size(want));
        assert_int_equal(mm_cbor_exit(d), MM_OK);
        break;
    }
    }
}

/* Top-level numbers can exceed 64 bits, which JSON libraries cannot hold:
 * rewrite `"decoded": <number>` as `"decoded_num": "<number>"` first. */
static char *quote_top_numbers(const char *text)
{
    static const char key[] = "\"decoded\": ";
    size_t cap = strlen(text) * 2 + 1;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t o = 0;
    const char *p = text;
    for (;;) {
        const char *hit = strstr(p, key);
        if (hit == NULL) {
            strcpy(out + o, p);
            break;
        }
        const char *v = hit + strlen(key);
        memcpy(out + o, p, (size_t)(hit - p));
        o += (size_t)(hit - p);
        if (*v == '-' || isdigit((unsigned char)*v)) {
            const char *end = v;
            while (*end == '-' || *end == '+' || *end == '.' || *end == 'e' || *end == 'E' ||
                   isdigit((unsigned char)*end)) {
                end++;
            }
            o += (size_t)sprintf(out + o, "\"decoded_num\": \"%.*s\"", (int)(end - v), v);
            p = end;
        } else {
            memcpy(out + o, key, strlen(key));
            o += strlen(key);
            p = v;
        }
    }
    return out;
}

/* RFC 8949 made the two-byte encoding of simple values below 32 not
 * well-formed (section 3.3, Appendix F.1); the vectors predate it. */
static bool rfc8949_rejects(const char *hex) { return strcmp(hex, "f818") == 0; }

static void test_appendix_a(void **state)
{
    (void)state;
    char path[1024];
    mm_test_shared_path("vectors/cbor/appendix_a.shared.json", path, sizeof path);
    size_t flen;
    char *raw = (char *)mm_test_read_file(path, &flen);
    assert_non_null(raw);
    char *text = quote_top_numbers(raw);
    free(raw);
    json_error_t jerr;
    json_t *all = json_loads(text, 0, &jerr);
    free(text);
    if (all == NULL) {
        fail_msg("%s: %s at line %d", path, jerr.text, jerr.line);
    }
    size_t checked = 0;
    size_t roundtrips = 0;
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        const char *hex = json_string_value(json_object_get(v, "hex"));
        assert_non_null(hex);
        uint8_t in[256];
        size_t n = mm_test_unhex(hex, in, sizeof in);
        /* The base64 form holds the same bytes. */
        uint8_t in2[256];
        mm_buf b2 = mm_buf_make(in2, sizeof in2);
        const char *b64 = json_string_value(json_object_get(v, "cbor"));
        assert_int_equal(mm_base64_decode(mm_bytes_from_cstr(b64), MM_B64, 0, &b2, NULL), MM_OK);
        assert_int_equal(b2.len, n);
        assert_memory_equal(in2, in, n);

        mm_bytes item = mm_bytes_make(in, n);
        unsigned flags = MM_CBOR_ALLOW_INDEF | MM_CBOR_CHECK_UTF8;
        if (rfc8949_rejects(hex)) {
            size_t off;
            assert_int_equal(mm_cbor_check(item, flags, &off), MM_ERR_CBOR_BAD_SIMPLE);
            printf("[     NOTE ] %s: not well-formed under RFC 8949 (simple value < 32 in two bytes)\n", hex);
            checked++;
            continue;
        }
        mm_cbor_dec d;
        assert_int_equal(mm_cbor_dec_init(&d, item, flags), MM_OK);
        json_t *num = json_object_get(v, "decoded_num");
        json_t *dec = json_object_get(v, "decoded");
        json_t *diag = json_object_get(v, "diagnostic");
        if (num != NULL) {
            compare_number(&d, json_string_value(num), hex);
        } else if (dec != NULL) {
            compare_json(&d, dec, hex);
        } else {
            assert_non_null(diag);
            char out[512];
            mm_buf ob = mm_buf_make(out, sizeof out - 1);
            mm_edn_opts o = {0, flags, 0, 0};
            assert_int_equal(mm_cbor_edn_buf(item, &o, &ob, NULL), MM_OK);
            out[ob.len] = '\0';
            if (strcmp(out, json_string_value(diag)) != 0) {
                fail_msg("%s: printed %s, want %s", hex, out, json_string_value(diag));
            }
            assert_int_equal(mm_cbor_skip(&d), MM_OK);
        }
        size_t off = 0;
        mm_err e = mm_cbor_dec_finish(&d);
        if (e != MM_OK) {
            (void)mm_cbor_dec_error(&d, &off);
            fail_msg("%s: %s at %zu", hex, mm_errname(e), off);
        }
        checked++;

        if (json_is_true(json_object_get(v, "roundtrip"))) {
            uint8_t out[256];
            mm_cbor_enc enc;
            size_t len;
            assert_int_equal(mm_cbor_dec_init(&d, item, flags), MM_OK);
            mm_cbor_enc_init(&enc, out, sizeof out);
            assert_int_equal(mm_cbor_copy(&d, &enc), MM_OK);
            assert_int_equal(mm_cbor_enc_finish(&enc, &len), MM_OK);
            if (len != n || memcmp(out, in, n) != 0) {
                fail_msg("%s re-encoded as %s", hex, mm_test_hex(mm_bytes_make(out, len)));
            }
            roundtrips++;
        }
    }
    printf("[     INFO ] %zu Appendix A examples checked, %zu re-encoded byte for byte\n", checked, roundtrips);
    assert_int_equal(checked, json_array_size(all));
    assert_true(checked > 0);
    json_decref(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
