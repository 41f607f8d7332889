/* SPDX-License-Identifier: Apache-2.0 */
/* Seed files for the fuzz corpora: see fuzz_seed.h. */
#include "fuzz_seed.h"

#include <stdio.h>
#include <stdlib.h>

static const char *program = "make_corpus";

void seed_program(const char *name) { program = name; }

void seed_need(mm_err e, const char *what)
{
    if (e != MM_OK) {
        fprintf(stderr, "%s: %s: %s\n", program, what, mm_errname(e));
        exit(1);
    }
}

void seed_write_parts(const char *dir, const char *name, const mm_bytes *parts, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seed-%s", dir, name);
    FILE *f = fopen(path, "wb");
    bool ok = f != NULL;
    for (size_t i = 0; i < n && ok; i++) {
        ok = fwrite(parts[i].ptr, 1, parts[i].len, f) == parts[i].len;
    }
    if (f != NULL && fclose(f) != 0) {
        ok = false;
    }
    if (!ok) {
        fprintf(stderr, "%s: cannot write %s\n", program, path);
        exit(1);
    }
}

void seed_write(const char *dir, const char *name, int selector, const uint8_t *p, size_t len)
{
    uint8_t sel = (uint8_t)selector;
    mm_bytes parts[2] = {mm_bytes_make(&sel, selector >= 0 ? 1 : 0), mm_bytes_make(p, len)};
    seed_write_parts(dir, name, parts, 2);
}
