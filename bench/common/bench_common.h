/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the benchmarks share: how they stop on an error, their clocks, the
 * deterministic filler for their inputs and the calibration of a timed loop.
 * None of it is timed itself.
 */
#ifndef MM_BENCH_COMMON_H
#define MM_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include "mamori/base.h"

/* Names the benchmark for bench_die()'s messages ("bench_cose"); on_die
 * (ERR_print_errors_fp, say), if not NULL, also prints to stderr. Call it
 * first in main. */
void bench_init(const char *name, void (*on_die)(FILE *));

/* Prints "name: message" on stderr and exits with status 1. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Dies naming what unless e is MM_OK. */
void bench_check(mm_err e, const char *what);

/* Dies with "what failed" unless ok (a library call's success). */
void bench_require(int ok, const char *what);

/* Seconds on the monotonic clock. */
double bench_wall_s(void);

/* Seconds of this thread's CPU time: on a shared machine the time other
 * processes take is not counted against either side. */
double bench_cpu_s(void);

/* Deterministic filler (xorshift64*): the same bytes in every run. */
typedef struct bench_rng {
    uint64_t s;
} bench_rng;

uint64_t bench_rng_next(bench_rng *r);
void bench_rng_fill(bench_rng *r, uint8_t *p, size_t n);

/* How many iterations take about `seconds`: the count doubles from 1 until
 * one timing, time_n(ctx, n) in seconds, is long enough to trust the clock
 * (BENCH_CALIBRATE_MIN_SECONDS), then scales to seconds; at least 1, at most
 * BENCH_MAX_ITERS. Both bounds keep every loop finite. */
#define BENCH_CALIBRATE_MIN_SECONDS 0.02
#define BENCH_CALIBRATE_MAX_STEPS   40
#define BENCH_MAX_ITERS             (UINT64_C(1) << 32)
uint64_t bench_calibrate(double (*time_n)(void *ctx, uint64_t n), void *ctx, double seconds);

#endif
