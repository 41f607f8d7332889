/* SPDX-License-Identifier: Apache-2.0 */
/* What the benchmarks share: see bench_common.h. */
#define _POSIX_C_SOURCE 200809L

#include "bench_common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

static const char *bench_name = "bench";
static void (*bench_on_die)(FILE *);

void bench_init(const char *name, void (*on_die)(FILE *))
{
    bench_name = name;
    bench_on_die = on_die;
}

void bench_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", bench_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (bench_on_die != NULL) {
        bench_on_die(stderr);
    }
    exit(1);
}

void bench_check(mm_err e, const char *what)
{
    if (e != MM_OK) {
        bench_die("%s: %s (%s)", what, mm_strerror(e), mm_errname(e));
    }
}

void bench_require(int ok, const char *what)
{
    if (!ok) {
        bench_die("%s failed", what);
    }
}

static double clock_s(clockid_t id, const char *name)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) {
        bench_die("clock_gettime(%s) failed", name);
    }
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_wall_s(void) { return clock_s(CLOCK_MONOTONIC, "CLOCK_MONOTONIC"); }

double bench_cpu_s(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID"); }

uint64_t bench_rng_next(bench_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * UINT64_C(0x2545F4914F6CDD1D);
}

void bench_rng_fill(bench_rng *r, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(bench_rng_next(r) >> 56);
    }
}

uint64_t bench_calibrate(double (*time_n)(void *ctx, uint64_t n), void *ctx, double seconds)
{
    const uint64_t max = BENCH_MAX_ITERS;
    uint64_t n = 1;
    for (int step = 0; step < BENCH_CALIBRATE_MAX_STEPS && n < max; step++) {
        double dt = time_n(ctx, n);
        if (dt >= BENCH_CALIBRATE_MIN_SECONDS) {
            double want = (double)n * seconds / dt;
            return want < 1 ? 1 : want >= (double)max ? max : (uint64_t)want;
        }
        n *= 2;
    }
    return n;
}
