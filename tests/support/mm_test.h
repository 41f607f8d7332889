/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the unit tests: hex literals, files, and the one place
 * that finds the official vectors (../shared, or $MAMORI_SHARED_DIR).
 */
#ifndef MM_TEST_H
#define MM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mamori/base.h"

/* Decodes hex text (spaces allowed) into out; fails the test on bad input.
 * Returns the length. */
size_t mm_test_unhex(const char *hex, uint8_t *out, size_t cap);

/* Returns a malloc'ed copy of the file's bytes (NUL-terminated for text use),
 * or NULL if it cannot be read. */
uint8_t *mm_test_read_file(const char *path, size_t *len);

/* Folder of the official specs and vectors. */
const char *mm_test_shared_dir(void);

/* Builds the path of sub inside the shared folder into out. If the shared
 * folder is absent: with CI=true the test fails, otherwise it is skipped with
 * the reason printed. Returns only when the file exists. */
void mm_test_shared_path(const char *sub, char *out, size_t cap);

/* Removes the folder dir and all it holds (rm -rf); fails the test if that
 * fails. */
void mm_test_remove_dir(const char *dir);

/* Lower-case hex of b into a static buffer (for messages). */
const char *mm_test_hex(mm_bytes b);

#endif
