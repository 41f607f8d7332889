/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vendor-to-device round trip with the real binary: `mamori suit
 * create` makes a multi-component update from a JSON description (two
 * images fetched over HTTP, a configuration written from the manifest, a
 * severed install and text), and `mamori suit process` runs it on a
 * simulated device whose images come from a small HTTP server started here
 * on a free port of 127.0.0.1. Then the refusals a network can cause: an
 * image changed on the server (nothing installed), a missing image, and the
 * same update again (rollback).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mamori/http.h"
#include "mm_test.h"

#ifndef MM_TEST_MAMORI
#error "MM_TEST_MAMORI: path of the mamori binary"
#endif

static char dir[256];
static char served[300]; /* what the server serves: files of this folder */

/* Serves GET /NAME from the served folder. */
static mm_http_answer serve(void *user, const mm_http_request *req, mm_http_response *resp, mm_http_pending *later)
{
    (void)user;
    (void)later;
    char path[512];
    if (strcmp(req->method, "GET") != 0 || strstr(req->path, "..") != NULL) {
        mm_http_problem(resp, 404, "not found", NULL);
        return MM_HTTP_NOW;
    }
    snprintf(path, sizeof path, "%s%s", served, req->path);
    size_t len;
    uint8_t *data = mm_test_read_file(path, &len);
    if (data == NULL) {
        mm_http_problem(resp, 404, "not found", req->path);
        return MM_HTTP_NOW;
    }
    mm_http_body(resp, 200, "application/octet-stream", mm_bytes_make(data, len));
    free(data);
    return MM_HTTP_NOW;
}

static void write_text(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void write_bytes(const char *name, const uint8_t *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Runs the binary in the work folder; its exit status. */
static int run(const char *const *args)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (chdir(dir) != 0) {
            _exit(126);
        }
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0 && getenv("MM_TEST_VERBOSE") == NULL) {
            dup2(null, 1);
        }
        execv(MM_TEST_MAMORI, (char *const *)args);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool same_file(const char *a, const char *b_name)
{
    char pa[512];
    char pb[512];
    snprintf(pa, sizeof pa, "%s/%s", dir, a);
    snprintf(pb, sizeof pb, "%s/%s", dir, b_name);
    size_t la;
    size_t lb;
    uint8_t *da = mm_test_read_file(pa, &la);
    uint8_t *db = mm_test_read_file(pb, &lb);
    bool same = da != NULL && db != NULL && la == lb && memcmp(da, db, la) == 0;
    free(da);
    free(db);
    return same;
}

/* The description, a format: sequence number, port, port. */
#define DESCRIPTION                                                                                                    \
    "{\n"                                                                                                              \
    "  \"manifest-sequence-number\": %d,\n"                                                                            \
    "  \"common\": {\n"                                                                                                \
    "    \"components\": [[\"00\"], [\"01\"], [{\"text\": \"etc\"}, {\"text\": \"app.cfg\"}]],\n"                      \
    "    \"shared-sequence\": [\n"                                                                                     \
    "      {\"directive-set-component-index\": true},\n"                                                               \
    "      {\"directive-override-parameters\": {\n"                                                                    \
    "        \"vendor-identifier\": {\"dns\": \"example.com\"},\n"                                                     \
    "        \"class-identifier\": {\"namespace\": {\"dns\": \"example.com\"}, \"name\": \"demo\"}}},\n"               \
    "      {\"condition-vendor-identifier\": 15},\n"                                                                   \
    "      {\"condition-class-identifier\": 15},\n"                                                                    \
    "      {\"directive-set-component-index\": 0},\n"                                                                  \
    "      {\"directive-override-parameters\": {\"image-digest\": {\"file\": \"app.bin\"}, "                           \
    "\"image-size\": {\"file\": \"app.bin\"}}},\n"                                                                     \
    "      {\"directive-set-component-index\": 1},\n"                                                                  \
    "      {\"directive-override-parameters\": {\"image-digest\": {\"file\": \"data.bin\"}, "                          \
    "\"image-size\": {\"file\": \"data.bin\"}}}\n"                                                                     \
    "    ]\n"                                                                                                          \
    "  },\n"                                                                                                           \
    "  \"install\": [\n"                                                                                               \
    "    {\"directive-set-component-index\": 0},\n"                                                                    \
    "    {\"directive-override-parameters\": {\"uri\": \"http://127.0.0.1:%u/app.bin\"}},\n"                           \
    "    {\"directive-fetch\": 2},\n"                                                                                  \
    "    {\"condition-image-match\": 15},\n"                                                                           \
    "    {\"directive-set-component-index\": 1},\n"                                                                    \
    "    {\"directive-override-parameters\": {\"uri\": \"http://127.0.0.1:%u/data.bin\"}},\n"                          \
    "    {\"directive-fetch\": 2},\n"                                                                                  \
    "    {\"condition-image-match\": 15},\n"                                                                           \
    "    {\"directive-set-component-index\": 2},\n"                                                                    \
    "    {\"directive-override-parameters\": {\"content\": {\"text\": \"mode=demo\\n\"}}},\n"                          \
    "    {\"directive-write\": 2}\n"                                                                                   \
    "  ],\n"                                                                                                           \
    "  \"validate\": [\n"                                                                                              \
    "    {\"directive-set-component-index\": [0, 1]},\n"                                                               \
    "    {\"condition-image-match\": 15}\n"                                                                            \
    "  ],\n"                                                                                                           \
    "  \"invoke\": [{\"directive-set-component-index\": 0}, {\"directive-invoke\": 2}],\n"                             \
    "  \"text\": {\"en\": {\"manifest-description\": \"a two-image update with its configuration\"}},\n"               \
    "  \"severable\": [\"install\", \"text\"]\n"                                                                       \
    "}\n"

static void make_update(int seq, unsigned port, const char *out)
{
    char desc[4096];
    snprintf(desc, sizeof desc, DESCRIPTION, seq, port, port);
    write_text("desc.json", desc);
    const char *const create[] = {"mamori", "suit", "create", "-k", "vendor.key", "desc.json", "-o", out, NULL};
    assert_int_equal(run(create), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mamori-suit-rt-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(served, sizeof served, "%s/www", dir);
    assert_int_equal(mkdir(served, 0755), 0);
    char devdir[320];
    snprintf(devdir, sizeof devdir, "%s/device", dir);
    assert_int_equal(mkdir(devdir, 0755), 0);

    /* The images (the vendor's copies, and the server's). */
    static uint8_t app[200000];
    for (size_t i = 0; i < sizeof app; i++) {
        app[i] = (uint8_t)(i * 31 + (i >> 8));
    }
    write_bytes("app.bin", app, sizeof app);
    write_bytes("www/app.bin", app, sizeof app);
    write_text("data.bin", "calibration data, version 7\n");
    write_text("www/data.bin", "calibration data, version 7\n");
    write_text("device/device.json",
               "{\"vendor-id\": \"cfbff0d1-9375-5685-968c-48ce8b15ae17\",\n"
               " \"class-id\": \"a811ee0d-5553-5b3e-b13c-41922315f230\",\n"
               " \"components\": [\n"
               "   {\"id\": [\"00\"], \"file\": \"app.bin\", \"invoke\": [\"/bin/true\", \"{file}\"]},\n"
               "   {\"id\": [\"01\"], \"file\": \"data.bin\"},\n"
               "   {\"id\": [{\"text\": \"etc\"}], \"prefix\": true}]}\n");

    mm_http_server *srv = NULL;
    mm_http_server_opts so;
    memset(&so, 0, sizeof so);
    assert_int_equal(mm_http_server_start(&so, serve, NULL, &srv), MM_OK);
    unsigned port = mm_http_server_port(srv);

    const char *const keygen[] = {"mamori", "key", "gen", "--alg", "ES256", "--kid", "vendor", "--out", "vendor", NULL};
    assert_int_equal(run(keygen), 0);
    make_update(1, port, "update1.suit");

    const char *const verify[] = {"mamori", "suit", "verify", "-k", "vendor.cose", "update1.suit", NULL};
    assert_int_equal(run(verify), 0);
    const char *const process[] = {"mamori", "suit",     "process",     "-k",           "vendor.cose", "--device",
                                   "device", "--report", "report.cbor", "update1.suit", NULL};
    assert_int_equal(run(process), 0);
    assert_true(same_file("app.bin", "device/app.bin"));
    assert_true(same_file("data.bin", "device/data.bin"));
    char cfg[600];
    snprintf(cfg, sizeof cfg, "%s/device/etc/app.cfg", dir);
    size_t len;
    uint8_t *got = mm_test_read_file(cfg, &len);
    assert_non_null(got);
    assert_int_equal(len, 10);
    assert_memory_equal(got, "mode=demo\n", 10);
    free(got);
    const char *const show_report[] = {"mamori", "suit", "show", "report.cbor", NULL};
    assert_int_equal(run(show_report), 0);

    /* The same update again: rollback, exit 1. */
    assert_int_equal(run(process), 1);

    /* A newer update, but the server's image was changed: the digest does
     * not match, nothing is installed (the device keeps version 1). */
    make_update(2, port, "update2.suit");
    app[100] ^= 1;
    write_bytes("www/app.bin", app, sizeof app);
    const char *const process2[] = {"mamori",   "suit",   "process",      "-k", "vendor.cose",
                                    "--device", "device", "update2.suit", NULL};
    assert_int_equal(run(process2), 1);
    app[100] ^= 1;
    assert_true(same_file("app.bin", "device/app.bin"));

    /* The image is gone from the server: the device reports an I/O error. */
    char gone[600];
    snprintf(gone, sizeof gone, "%s/www/data.bin", dir);
    write_bytes("www/app.bin", app, sizeof app);
    assert_int_equal(unlink(gone), 0);
    assert_int_equal(run(process2), 74);

    /* Back on the server: update 2 installs. */
    write_text("www/data.bin", "calibration data, version 7\n");
    assert_int_equal(run(process2), 0);

    mm_http_server_stop(srv);
    mm_test_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
