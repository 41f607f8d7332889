/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seed files for the fuzz targets' corpora, shared by the make_*_corpus
 * programs. No test framework: every failure prints "program: why" and
 * exits with status 1.
 */
#ifndef MM_FUZZ_SEED_H
#define MM_FUZZ_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/base.h"

/* Names the program in the messages ("make_cose_corpus"). */
void seed_program(const char *name);

/* Exits (naming what) unless e is MM_OK. */
void seed_need(mm_err e, const char *what);

/* Writes dir/seed-<name>: the n parts, one after the other. */
void seed_write_parts(const char *dir, const char *name, const mm_bytes *parts, size_t n);

/* Writes dir/seed-<name>: the target's selector byte (none if negative),
 * then the len bytes at p. */
void seed_write(const char *dir, const char *name, int selector, const uint8_t *p, size_t len);

#endif
