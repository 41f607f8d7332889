/* SPDX-License-Identifier: Apache-2.0 */
/* Test helpers: see mm_test.h. */
#include "mm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef MM_TEST_SHARED_DIR
#define MM_TEST_SHARED_DIR "../shared"
#endif

size_t mm_test_unhex(const char *hex, uint8_t *out, size_t cap)
{
    mm_buf b = mm_buf_make(out, cap);
    size_t off = 0;
    mm_err e = mm_hex_decode(mm_bytes_from_cstr(hex), MM_TEXT_SKIP_SPACE, &b, &off);
    if (e != MM_OK) {
        fail_msg("bad hex literal in test (%s at %zu): %s", mm_errname(e), off, hex);
    }
    return b.len;
}

uint8_t *mm_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16;
    size_t n = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        cap *= 2;
        uint8_t *nb = realloc(buf, cap + 1);
        if (nb == NULL) {
            free(buf);
            buf = NULL;
        } else {
            buf = nb;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

const char *mm_test_shared_dir(void)
{
    const char *env = getenv("MAMORI_SHARED_DIR");
    return env != NULL && env[0] != '\0' ? env : MM_TEST_SHARED_DIR;
}

void mm_test_shared_path(const char *sub, char *out, size_t cap)
{
    const char *dir = mm_test_shared_dir();
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        const char *ci = getenv("CI");
        if (ci != NULL && strcmp(ci, "true") == 0) {
            fail_msg("official vectors folder %s is missing (CI=true requires it; set MAMORI_SHARED_DIR)", dir);
        }
        printf("[  SKIPPED ] official vectors folder %s is absent (set MAMORI_SHARED_DIR to run this test)\n", dir);
        skip();
    }
    int n = snprintf(out, cap, "%s/%s", dir, sub);
    assert_true(n > 0 && (size_t)n < cap);
    if (stat(out, &st) != 0) {
        fail_msg("official vector file %s is missing from %s", sub, dir);
    }
}

const char *mm_test_hex(mm_bytes b)
{
    static char text[2 * 512 + 4];
    size_t n = b.len > 512 ? 512 : b.len;
    mm_buf o = mm_buf_make(text, sizeof text - 4);
    if (mm_hex_encode(mm_bytes_make(b.ptr, n), &o) != MM_OK) {
        return "?";
    }
    if (n < b.len) {
        memcpy(text + o.len, "...", 3);
        o.len += 3;
    }
    text[o.len] = '\0';
    return text;
}

void mm_test_remove_dir(const char *dir)
{
    char cmd[1100];
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    assert_int_equal(system(cmd), 0);
}
