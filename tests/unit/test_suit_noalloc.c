/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SUIT processor calls no allocator. The test is linked with the
 * allocator's entry points wrapped (-Wl,--wrap), so every call to malloc,
 * calloc, realloc, free, aligned_alloc or posix_memalign from the library,
 * the in-memory device and the deterministic crypto backend (all static
 * archives) is counted; a whole update with fetch, copy, try-each, an
 * integrated payload, a report and a refusal must count none. (The
 * link-level proof is tests/link/device_symbols.sh: libmamori.a does not
 * even reference them.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_test.h"
#include "suit_test.h"

static int counting;
static size_t calls;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__real_aligned_alloc(size_t a, size_t n);
int __real_posix_memalign(void **p, size_t a, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
void *__wrap_aligned_alloc(size_t a, size_t n);
int __wrap_posix_memalign(void **p, size_t a, size_t n);

void *__wrap_malloc(size_t n)
{
    calls += (size_t)counting;
    return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m)
{
    calls += (size_t)counting;
    return __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n)
{
    calls += (size_t)counting;
    return __real_realloc(p, n);
}
void __wrap_free(void *p)
{
    calls += (size_t)(counting && p != NULL);
    __real_free(p);
}
void *__wrap_aligned_alloc(size_t a, size_t n)
{
    calls += (size_t)counting;
    return __real_aligned_alloc(a, n);
}
int __wrap_posix_memalign(void **p, size_t a, size_t n)
{
    calls += (size_t)counting;
    return __real_posix_memalign(p, a, n);
}

static const uint8_t firmware[] = "the firmware, fetched";
static const uint8_t config[] = "the configuration, integrated";

static void test_no_allocation(void **state)
{
    (void)state;
    /* The wrapping works: the test's own calls are counted. */
    counting = 1;
    void *volatile probe = malloc(1); /* volatile: the pair may not be optimised away */
    free(probe);
    counting = 0;
    assert_int_equal(calls, 2);
    calls = 0;
    static mm_crypto_test tc;
    mm_crypto_test_init(&tc, 0);
    mm_key key;
    memset(&key, 0, sizeof key);
    assert_int_equal(mm_key_generate(&tc.crypto, MM_KTY_EC2, MM_CRV_P256, 0, 0, &key), MM_OK);
    char fw_digest[160];
    char cfg_digest[160];
    suit_fixture_digest(&tc.crypto, mm_bytes_make(firmware, sizeof firmware - 1), fw_digest, sizeof fw_digest);
    suit_fixture_digest(&tc.crypto, mm_bytes_make(config, sizeof config - 1), cfg_digest, sizeof cfg_digest);
    char edn[2048];
    snprintf(edn, sizeof edn,
             "{1: 1, 2: 3, 3: << {2: [[h'00'], [h'01'], [h'02']], 4: << [12, true, 20, {1: h'"
             "fa6b4a53d5ad5fdfbe9de663e4d41ffe'}, 1, 15, 12, 0, 20, {3: << %s >>}, 12, 1, 20, {3: << %s >>}] >>} >>, "
             "7: << [12, [0, 1], 3, 15] >>, 9: << [12, 0, 23, 2] >>, "
             "16: << [12, 2, 20, {21: \"http://example.com/fw\"}, 21, 2] >>, "
             "20: << [12, 0, 20, {22: 2}, 22, 2, 15, [<< [14, 15] >>, << [3, 15] >>], "
             "12, 1, 20, {21: \"#config\"}, 21, 2] >>}",
             fw_digest, cfg_digest);
    size_t len;
    uint8_t *env =
        suit_fixture(&tc.crypto, &key, MM_ALG_ES256, edn, "\"#config\": 'the configuration, integrated'", &len);
    suit_harness *h = suit_h_new(&tc.crypto);
    suit_h_anchor_key(h, &key);
    suit_h_ids(h, "fa6b4a53d5ad5fdfbe9de663e4d41ffe", "1492af1425695e48bf429b2d51f2ab45");
    suit_h_component(h, "[h'00']");
    suit_h_component(h, "[h'01']");
    suit_h_component(h, "[h'02']");
    assert_int_equal(
        mm_memdev_add_uri(&h->dev, MM_BYTES_LIT("http://example.com/fw"), mm_bytes_make(firmware, sizeof firmware - 1)),
        MM_OK);
    h->cfg.flags = MM_SUIT_REPORT_ALL;
    h->cfg.anchors = h->anchors;
    h->cfg.n_anchors = h->n_anchors;
    assert_int_equal(mm_suit_processor_init(&h->p, &h->cfg), MM_OK);

    counting = 1;
    mm_err e = mm_suit_process(&h->p, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE);
    counting = 0;
    assert_int_equal(e, MM_OK);
    assert_int_equal(calls, 0);
    assert_true(mm_bytes_equal(suit_h_content(h, 0), mm_bytes_make(firmware, sizeof firmware - 1)));
    assert_true(mm_bytes_equal(suit_h_content(h, 1), mm_bytes_make(config, sizeof config - 1)));
    assert_int_equal(h->dev.comps[0].invoked, 1);

    /* A refusal (the same manifest again: rollback) allocates nothing either. */
    counting = 1;
    e = mm_suit_process(&h->p, mm_bytes_make(env, len), MM_SUIT_PROC_UPDATE);
    counting = 0;
    assert_int_equal(e, MM_ERR_ROLLBACK);
    assert_int_equal(calls, 0);
    suit_h_free(h);
    free(env);
    mm_key_free(&key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
