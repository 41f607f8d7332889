/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one-time-key rule under crashes: a signer process is killed with
 * SIGKILL at random moments while it signs, many times over, and every
 * signature that left it (whole, or the part of one that reached the pipe
 * before the kill) is collected. No one-time key may ever have signed two
 * messages: no global index repeats at the bottom level, and an upper-level
 * one-time key only ever signs the one public key of its child tree. Every
 * whole signature must verify, and after the last run the key must continue
 * beyond every index seen.
 *
 * The runs alternate reservations of 1 (every signature writes the state
 * file) and larger ones. MM_LMS_CRASH_RUNS sets the number of runs (default
 * 40, a few seconds; try 2000 by hand), MM_LMS_CRASH_SEED the random seed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crypto/lms_internal.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms_signer.h"
#include "mm_test.h"

/* Three levels: a top tree of 2^10 one-time keys (built once, by key
 * generation) over trees of 2^5 over trees of 2^5 (rebuilt every 1024 and
 * every 32 signatures, in milliseconds, so kills land in signing and in state
 * writes rather than in tree building). 2^20 signatures: long runs never
 * exhaust it. */
#define LEVELS 3
#define LOW_H  5 /* the height of levels 1 and 2 */

static char dir[64];
static char key_path[128];

/* Everything the runs released, as records: u32 message length, message,
 * u32 signature length, signature. */
typedef struct seen {
    uint64_t index;
    uint8_t child_pub[LEVELS - 1][MM_LMS_LMS_PUB_MAX]; /* what the upper levels' one-time keys signed */
} seen;

static seen *all;
static size_t n_all;
static size_t cap_all;
static size_t whole;
static size_t partial;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static bool write_all(int fd, const void *p, size_t len)
{
    const uint8_t *b = p;
    while (len > 0) {
        ssize_t w = write(fd, b, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        b += w;
        len -= (size_t)w;
    }
    return true;
}

/* The child: sign until killed, writing each signature as it is returned. */
static void signer_child(int fd, uint32_t reserve, int run)
{
    mm_lms_signer_opts so = {mm_crypto_openssl(), reserve, 1};
    mm_key key;
    if (mm_lms_signer_open(key_path, &so, &key) != MM_OK) {
        _exit(3);
    }
    static uint8_t sig[MM_LMS_SIG_MAX];
    for (int i = 0;; i++) {
        char msg[64];
        int ml = snprintf(msg, sizeof msg, "run %d signature %d", run, i);
        size_t len = 0;
        mm_err e = mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, mm_bytes_make(msg, (size_t)ml), 0, sig, sizeof sig, &len);
        if (e != MM_OK) {
            _exit(e == MM_ERR_KEY_EXHAUSTED ? 4 : 5);
        }
        uint8_t head[4];
        lms_put_u32(head, (uint32_t)ml);
        uint8_t slen[4];
        lms_put_u32(slen, (uint32_t)len);
        if (!write_all(fd, head, 4) || !write_all(fd, msg, (size_t)ml) || !write_all(fd, slen, 4) ||
            !write_all(fd, sig, len)) {
            _exit(6);
        }
    }
}

static void remember(uint64_t index, const uint8_t *const child_pub[LEVELS - 1])
{
    if (n_all == cap_all) {
        cap_all = cap_all != 0 ? cap_all * 2 : 1024;
        all = realloc(all, cap_all * sizeof *all);
        assert_non_null(all);
    }
    seen *s = &all[n_all++];
    s->index = index;
    for (int l = 0; l < LEVELS - 1; l++) {
        memcpy(s->child_pub[l], child_pub[l], sizeof s->child_pub[l]);
    }
}

/* Reads the records of one run: whole ones are verified; of a cut one, the
 * indices that made it through count as released. */
static void collect(const uint8_t *buf, size_t len, mm_bytes pub, const mm_lms_key_info *info)
{
    /* Offsets in a signature: Nspk, then per level its LMS signature and,
     * but for the last, the next level's public key. */
    size_t sig_at[LEVELS];
    size_t pub_at[LEVELS - 1];
    size_t at = 4;
    for (int l = 0; l < LEVELS; l++) {
        sig_at[l] = at;
        at += mm_lms_lms_sig_len(mm_lms_type(info->lms_type[l]), mm_lms_ots_type(info->ots_type[l]));
        if (l + 1 < LEVELS) {
            pub_at[l] = at;
            at += mm_lms_lms_pub_len(mm_lms_type(info->lms_type[l + 1]));
        }
    }
    size_t off = 0;
    while (off + 4 <= len) {
        size_t ml = lms_get_u32(buf + off);
        assert_true(ml < 64);
        if (off + 4 + ml + 4 > len) {
            break;
        }
        mm_bytes msg = mm_bytes_make(buf + off + 4, ml);
        size_t sl = lms_get_u32(buf + off + 4 + ml);
        assert_int_equal(sl, info->sig_len);
        const uint8_t *sig = buf + off + 8 + ml;
        size_t have = len - (off + 8 + ml);
        if (have >= sl) {
            assert_int_equal(mm_lms_verify(mm_crypto_openssl(), pub, msg, mm_bytes_make(sig, sl), 0), MM_OK);
            whole++;
        } else {
            partial++;
        }
        /* What arrived of a cut one counts once the bottom q is in. */
        if (have >= sig_at[LEVELS - 1] + 4) {
            uint64_t index = 0;
            const uint8_t *children[LEVELS - 1];
            for (int l = 0; l < LEVELS; l++) {
                index = (index << (l == 0 ? 0 : LOW_H)) | lms_get_u32(sig + sig_at[l]);
                if (l + 1 < LEVELS) {
                    children[l] = sig + pub_at[l];
                }
            }
            remember(index, children);
        }
        if (have < sl) {
            break;
        }
        off += 8 + ml + sl;
    }
}

static int by_index(const void *a, const void *b)
{
    const seen *x = a;
    const seen *y = b;
    return x->index < y->index ? -1 : x->index > y->index ? 1 : 0;
}

static void test_crash(void **state)
{
    (void)state;
    const char *env_runs = getenv("MM_LMS_CRASH_RUNS");
    const char *env_seed = getenv("MM_LMS_CRASH_SEED");
    int runs = env_runs != NULL ? atoi(env_runs) : 40;
    unsigned seed = env_seed != NULL ? (unsigned)strtoul(env_seed, NULL, 10) : (unsigned)time(NULL);
    printf("[          ] %d runs, seed %u (MM_LMS_CRASH_SEED to repeat)\n", runs, seed);
    srand(seed);

    const mm_crypto *c = mm_crypto_openssl();
    mm_lms_keygen_opts ko;
    memset(&ko, 0, sizeof ko);
    ko.crypto = c;
    ko.levels = LEVELS;
    ko.lms_type[0] = MM_LMS_SHA256_M32_H10;
    ko.ots_type[0] = MM_LMOTS_SHA256_N32_W4;
    ko.lms_type[1] = MM_LMS_SHA256_M32_H5;
    ko.ots_type[1] = MM_LMOTS_SHA256_N32_W4;
    ko.lms_type[2] = MM_LMS_SHA256_M32_H5;
    ko.ots_type[2] = MM_LMOTS_SHA256_N32_W4;
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len = 0;
    assert_int_equal(mm_lms_keygen(key_path, &ko, pub, &pub_len), MM_OK);
    mm_lms_key_info info;
    assert_int_equal(mm_lms_key_file_info(key_path, c, &info), MM_OK);

    size_t cap = 1 << 22;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    int killed_signing = 0;
    for (int r = 0; r < runs; r++) {
        static const uint32_t reserves[] = {1, 1, 2, 3, 8, 64};
        uint32_t reserve = reserves[rand() % 6];
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            signer_child(fds[1], reserve, r);
        }
        close(fds[1]);
        /* Read until a random moment (0 to 60 ms), then kill, then drain. */
        double deadline = now() + (double)(rand() % 60000) * 1e-6;
        size_t len = 0;
        bool killed = false;
        for (;;) {
            double left = deadline - now();
            if (!killed && left <= 0) {
                kill(pid, SIGKILL);
                killed = true;
            }
            struct pollfd pfd = {fds[0], POLLIN, 0};
            int ms = killed ? 1000 : (int)(left * 1000) + 1;
            if (poll(&pfd, 1, ms) <= 0) {
                continue;
            }
            assert_true(len < cap);
            ssize_t got = read(fds[0], buf + len, cap - len);
            if (got <= 0) {
                break; /* the child is gone and the pipe drained */
            }
            len += (size_t)got;
        }
        close(fds[0]);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
            fail_msg("run %d: the signer ended on its own (status %d)", r, status);
        }
        killed_signing += len != 0;
        collect(buf, len, mm_bytes_make(pub, pub_len), &info);
    }
    free(buf);

    /* No global index twice; a top-level one-time key signed one child. */
    if (n_all > 0) {
        qsort(all, n_all, sizeof *all, by_index);
    }
    uint64_t highest = 0;
    size_t indices = 0;
    for (size_t i = 0; i < n_all; i++) {
        indices++;
        highest = all[i].index;
        if (i > 0 && all[i - 1].index == all[i].index) {
            fail_msg("one-time key index %llu was used twice", (unsigned long long)all[i].index);
        }
        /* An upper-level one-time key (the index's leading digits) always
         * signs the same child key. */
        for (int l = 0; l < LEVELS - 1; l++) {
            unsigned below = (unsigned)(LEVELS - 1 - l) * LOW_H;
            for (size_t k = i + 1; k < n_all && (all[k].index >> below) == (all[i].index >> below); k++) {
                assert_memory_equal(all[k].child_pub[l], all[i].child_pub[l], sizeof all[i].child_pub[l]);
            }
        }
    }
    /* The key continues past everything released. */
    mm_lms_signer_opts so = {c, 1, 0};
    mm_key key;
    assert_int_equal(mm_lms_signer_open(key_path, &so, &key), MM_OK);
    static uint8_t sig[MM_LMS_SIG_MAX];
    size_t len = 0;
    assert_int_equal(mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, mm_bytes_make("after", 5), 0, sig, sizeof sig, &len),
                     MM_OK);
    mm_lms_info si;
    assert_int_equal(mm_lms_sig_decode(mm_bytes_make(pub, pub_len), mm_bytes_make(sig, len), 0, &si), MM_OK);
    uint64_t next = 0;
    for (int l = 0; l < LEVELS; l++) {
        next = (next << (l == 0 ? 0 : LOW_H)) | si.level[l].q;
    }
    assert_true(indices == 0 || next > highest);
    mm_key_free(&key);
    printf("[          ] %zu signatures whole, %zu cut by the kill, %zu distinct indices, up to %llu; "
           "%d runs produced output\n",
           whole, partial, indices, (unsigned long long)highest, killed_signing);
    assert_true(whole > 0);
    free(all);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mm_test_lms_crash_XXXXXX");
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(key_path, sizeof key_path, "%s/key", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const files[] = {"key", "key.cache", "key.lock"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    /* Temporary files of killed writers. */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -f %s/key.*", dir);
    if (system(cmd) != 0) {
        return -1;
    }
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
