/* SPDX-License-Identifier: Apache-2.0 */
/* The end-to-end tests' harness: the real mamori binary as a subprocess,
 * the Transparency Service started on a free port of 127.0.0.1 and learnt
 * from its ready file, stopped with SIGTERM or killed with SIGKILL. */
#define _GNU_SOURCE
#include "ts_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mm_test.h"

static char work[64];

const char *harness_dir(void)
{
    if (work[0] == '\0') {
        snprintf(work, sizeof work, "/tmp/mm-ts-e2e-XXXXXX");
        assert_non_null(mkdtemp(work));
    }
    return work;
}

void harness_path(const char *name, char *out, size_t cap) { snprintf(out, cap, "%s/%s", harness_dir(), name); }

void harness_write(const char *name, const void *data, size_t len)
{
    char path[512];
    harness_path(name, path, sizeof path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static pid_t spawn(const char *name, const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = MM_TEST_MAMORI;
    for (size_t i = 0; args[i] != NULL && n < 63; i++) {
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    char out[512], err[512];
    snprintf(out, sizeof out, "%s/%s.out", harness_dir(), name);
    snprintf(err, sizeof err, "%s/%s.err", harness_dir(), name);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || chdir(harness_dir()) != 0) {
            _exit(126);
        }
        dup2(o, 1);
        dup2(e, 2);
        execv(MM_TEST_MAMORI, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int harness_run(const char *name, const char *const *args)
{
    pid_t pid = spawn(name, args);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool harness_err_has(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.err", harness_dir(), name);
    size_t len = 0;
    uint8_t *data = mm_test_read_file(path, &len);
    bool found = data != NULL && strstr((const char *)data, text) != NULL;
    if (!found) {
        fprintf(stderr, "%s.err: '%s' lacks '%s'\n", name, data != NULL ? (const char *)data : "", text);
    }
    free(data);
    return found;
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

bool harness_serve(const char *config, harness_server *s, int *status)
{
    char ready[512];
    harness_path("ready", ready, sizeof ready);
    unlink(ready);
    const char *args[] = {"ts",          "serve",        "--config", config, "--listen",
                          "127.0.0.1:0", "--ready-file", ready,      "-q",   NULL};
    memset(s, 0, sizeof *s);
    s->pid = spawn("serve", args);
    /* Ready: the file appears (written whole, atomically); or the server
     * ends, refusing to start. Bounded: 30 s. */
    for (int i = 0; i < 3000; i++) {
        int st = 0;
        pid_t done = waitpid(s->pid, &st, WNOHANG);
        if (done == s->pid) {
            *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
            s->pid = 0;
            return false;
        }
        size_t len = 0;
        uint8_t *url = mm_test_read_file(ready, &len);
        if (url != NULL && len > 8 && url[len - 1] == '\n') {
            snprintf(s->url, sizeof s->url, "%.*s", (int)len - 1, (const char *)url);
            free(url);
            return true;
        }
        free(url);
        nap_ms(10);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    fail_msg("the server did not get ready in 30 s");
    return false;
}

int harness_stop(harness_server *s)
{
    assert_true(s->pid > 0);
    kill(s->pid, SIGTERM);
    int st = 0;
    for (int i = 0; i < 3000; i++) {
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
            s->pid = 0;
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        }
        nap_ms(10);
    }
    harness_kill(s);
    fail_msg("the server did not stop in 30 s after SIGTERM");
    return -1;
}

void harness_kill(harness_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

void harness_issuer_key(const char *name, const char *kid, mm_key *key)
{
    assert_int_equal(mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, key), MM_OK);
    uint8_t buf[512], cose[512];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(key, 0, &parts, buf, sizeof buf), MM_OK);
    mm_buf out = mm_buf_make(cose, sizeof cose);
    assert_int_equal(mm_cose_key_encode(&parts, mm_bytes_from_cstr(kid), 0, &out), MM_OK);
    char file[128];
    snprintf(file, sizeof file, "%s.cose", name);
    harness_write(file, cose, out.len);
}

size_t harness_statement(const mm_key *key, const char *kid, const char *iss, const char *sub, mm_bytes payload,
                         uint8_t *buf, size_t cap)
{
    mm_scitt_statement_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = key;
    o.kid = mm_bytes_from_cstr(kid);
    o.iss = mm_bytes_from_cstr(iss);
    o.sub = mm_bytes_from_cstr(sub);
    o.iat = (int64_t)time(NULL);
    o.flags = MM_SCITT_WITH_IAT;
    mm_buf out = mm_buf_make(buf, cap);
    assert_int_equal(mm_scitt_statement_create(&o, payload, &out), MM_OK);
    return out.len;
}

void harness_ts_key(mm_key *key)
{
    char path[512];
    harness_path("ts/ts-key.cose", path, sizeof path);
    size_t len = 0;
    uint8_t *data = mm_test_read_file(path, &len);
    assert_non_null(data);
    assert_int_equal(mm_cose_key_import(mm_crypto_openssl(), mm_bytes_make(data, len), 0, key, NULL), MM_OK);
    free(data);
}

mm_err harness_check_receipt(const mm_key *ts_key, mm_bytes stmt, mm_bytes receipt, mm_scitt_proven *proven)
{
    mm_scitt_leaf leaf;
    mm_err e = mm_scitt_leaf_of_statement(mm_crypto_openssl(), stmt, &leaf);
    mm_scitt_receipt rec;
    if (e == MM_OK) {
        e = mm_scitt_receipt_decode(receipt, &rec, NULL);
    }
    if (e == MM_OK) {
        mm_scitt_verify_opts vo = {mm_crypto_openssl(), ts_key, NULL, NULL, 0, NULL, 0};
        e = mm_scitt_receipt_verify(&rec, &leaf, &vo, proven);
    }
    return e;
}
