/* SPDX-License-Identifier: Apache-2.0 */
/* The generic end-to-end harness (e2e_harness.h). */
#define _GNU_SOURCE
#include "e2e_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mm_test.h"

static char work[96];

const char *e2e_dir(const char *prefix)
{
    if (work[0] == '\0') {
        snprintf(work, sizeof work, "/tmp/%s-XXXXXX", prefix != NULL ? prefix : "mm-e2e");
        assert_non_null(mkdtemp(work));
    }
    return work;
}

void e2e_path(const char *name, char *out, size_t cap) { snprintf(out, cap, "%s/%s", e2e_dir(NULL), name); }

void e2e_write(const char *name, const void *data, size_t len)
{
    char path[512];
    e2e_path(name, path, sizeof path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

uint8_t *e2e_read(const char *name, size_t *len)
{
    char path[512];
    e2e_path(name, path, sizeof path);
    return mm_test_read_file(path, len);
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
    snprintf(out, sizeof out, "%s/%s.out", e2e_dir(NULL), name);
    snprintf(err, sizeof err, "%s/%s.err", e2e_dir(NULL), name);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0 || chdir(e2e_dir(NULL)) != 0) {
            _exit(126);
        }
        dup2(o, 1);
        dup2(e, 2);
        execv(MM_TEST_MAMORI, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int e2e_run(const char *name, const char *const *args)
{
    pid_t pid = spawn(name, args);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool has(const char *name, const char *stream, const char *text)
{
    char file[256];
    snprintf(file, sizeof file, "%s.%s", name, stream);
    size_t len = 0;
    uint8_t *data = e2e_read(file, &len);
    bool found = data != NULL && strstr((const char *)data, text) != NULL;
    if (!found) {
        fprintf(stderr, "%s: '%s' lacks '%s'\n", file, data != NULL ? (const char *)data : "", text);
        snprintf(file, sizeof file, "%s.%s", name, strcmp(stream, "out") == 0 ? "err" : "out");
        uint8_t *other = e2e_read(file, &len);
        fprintf(stderr, "%s: '%s'\n", file, other != NULL ? (const char *)other : "");
        free(other);
    }
    free(data);
    return found;
}

bool e2e_out_has(const char *name, const char *text) { return has(name, "out", text); }

bool e2e_err_has(const char *name, const char *text) { return has(name, "err", text); }

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

bool e2e_serve(const char *name, const char *const *args, const char *ready, e2e_server *s, int *status)
{
    char path[512];
    e2e_path(ready, path, sizeof path);
    unlink(path);
    memset(s, 0, sizeof *s);
    s->pid = spawn(name, args);
    /* Ready: the file appears (written whole, atomically); or the service
     * ends, refusing to start. Bounded: 60 s (sanitizers, a busy machine). */
    for (int i = 0; i < 6000; i++) {
        int st = 0;
        if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
            *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
            s->pid = 0;
            return false;
        }
        size_t len = 0;
        uint8_t *url = mm_test_read_file(path, &len);
        if (url != NULL && len > 8 && url[len - 1] == '\n') {
            snprintf(s->url, sizeof s->url, "%.*s", (int)len - 1, (const char *)url);
            free(url);
            return true;
        }
        free(url);
        nap_ms(10);
    }
    e2e_kill(s);
    fail_msg("%s did not get ready in 60 s", name);
    return false;
}

int e2e_stop(e2e_server *s)
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
    e2e_kill(s);
    fail_msg("the service did not stop in 30 s after SIGTERM");
    return -1;
}

void e2e_kill(e2e_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

void e2e_cleanup(void)
{
    if (work[0] == '\0') {
        return;
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", work);
    assert_int_equal(system(cmd), 0);
    work[0] = '\0';
}
