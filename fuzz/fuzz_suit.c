/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the SUIT processor: envelopes decoded, verified with a
 * fixed key of the deterministic test backend, and processed on an
 * in-memory device. Half the runs make the backend accept any signature of
 * the right length, so the manifest decoder, the structure check and the
 * interpreter are reached with every input the fuzzer makes.
 *
 * Input: [selector] [envelope...]. Selector bit 0: accept any signature;
 * bits 1-2: the procedures (0 a check only, 1 update, 2 invocation, 3
 * both); bit 3: write a report (MM_SUIT_REPORT_ALL with bit 4); bit 5:
 * components read in chunks rather than in place.
 *
 * Beyond "no crash" it checks what a refusal promises: when nothing was
 * committed every component holds what it held before, no candidate is
 * left staged, and a report, when one was written, is well-formed CBOR.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mamori/crypto_test.h"
#include "mamori/suit.h"
#include "mamori/suit_memdev.h"

#define COMP_SIZE 4096
#define N_COMPS   4

static const uint8_t vendor[16] = {0xfa, 0x6b, 0x4a, 0x53, 0xd5, 0xad, 0x5f, 0xdf,
                                   0xbe, 0x9d, 0xe6, 0x63, 0xe4, 0xd4, 0x1f, 0xfe};
static const uint8_t klass[16] = {0x14, 0x92, 0xaf, 0x14, 0x25, 0x69, 0x5e, 0x48,
                                  0xbf, 0x42, 0x9b, 0x2d, 0x51, 0xf2, 0xab, 0x45};
static const uint8_t ids[N_COMPS][8] = {
    {0x81, 0x41, 0x00},
    {0x81, 0x41, 0x01},
    {0x81, 0x41, 0x02},
    {0x82, 0x43, 'u', 's', 'r', 0x41, 0x00},
};
static const size_t id_lens[N_COMPS] = {3, 3, 3, 7};
static const uint8_t image[] = "This is a real firmware image.";

/* Everything one run uses, zeroed each time. */
typedef struct world {
    mm_crypto_test tc;
    mm_memdev dev;
    mm_suit_processor p;
    uint8_t data[N_COMPS][COMP_SIZE];
    uint8_t cand[N_COMPS][COMP_SIZE];
    uint8_t before[N_COMPS][COMP_SIZE];
    size_t before_len[N_COMPS];
    uint8_t scratch[512];
    uint8_t report[4096];
} world;

static world *w;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    if (w == NULL) {
        w = calloc(1, sizeof *w);
        FUZZ_REQUIRE(w != NULL);
    }
    unsigned sel = data[0];
    uint8_t *env = fuzz_dup(data + 1, size - 1);
    mm_bytes in = mm_bytes_make(env, size - 1);

    mm_crypto_test_init(&w->tc, (sel & 1u) != 0 ? MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE : 0);
    mm_key key;
    memset(&key, 0, sizeof key);
    FUZZ_REQUIRE(mm_key_generate(&w->tc.crypto, MM_KTY_EC2, MM_CRV_P256, 0, 0, &key) == MM_OK);
    mm_memdev_init(&w->dev, &w->tc.crypto);
    for (int i = 0; i < N_COMPS; i++) {
        FUZZ_REQUIRE(mm_memdev_add(&w->dev, mm_bytes_make(ids[i], id_lens[i]), w->data[i], COMP_SIZE, w->cand[i],
                                   COMP_SIZE) == i);
    }
    FUZZ_REQUIRE(mm_memdev_set_content(&w->dev, 0, mm_bytes_make(image, sizeof image - 1)) == MM_OK);
    FUZZ_REQUIRE(mm_memdev_add_id(&w->dev, MM_SUIT_ID_VENDOR, mm_bytes_make(vendor, 16)) == MM_OK);
    FUZZ_REQUIRE(mm_memdev_add_id(&w->dev, MM_SUIT_ID_CLASS, mm_bytes_make(klass, 16)) == MM_OK);
    FUZZ_REQUIRE(mm_memdev_add_uri(&w->dev, MM_BYTES_LIT("http://example.com/file.bin"),
                                   mm_bytes_make(image, sizeof image - 1)) == MM_OK);
    w->dev.has_clock = w->dev.has_battery = w->dev.has_authorize = w->dev.has_local_time = true;
    w->dev.no_view = (sel & 32u) != 0;
    w->dev.now = 1451606400u;
    w->dev.battery = 100;
    w->dev.power = 1;
    for (int i = 0; i < N_COMPS; i++) {
        w->before_len[i] = w->dev.comps[i].len;
        memcpy(w->before[i], w->data[i], COMP_SIZE);
    }

    mm_suit_trust_anchor anchor = {&key, {NULL, 0}};
    mm_buf report = mm_buf_make(w->report, sizeof w->report);
    mm_suit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.crypto = &w->tc.crypto;
    cfg.anchors = &anchor;
    cfg.n_anchors = 1;
    cfg.platform = mm_memdev_platform(&w->dev);
    cfg.scratch = w->scratch;
    cfg.scratch_len = sizeof w->scratch;
    cfg.report = (sel & 8u) != 0 ? &report : NULL;
    cfg.flags = (sel & 16u) != 0 ? MM_SUIT_REPORT_ALL : 0;
    FUZZ_REQUIRE(mm_suit_processor_init(&w->p, &cfg) == MM_OK);

    unsigned procs = (sel >> 1) & 3u;
    mm_err e = procs == 0 ? mm_suit_check(&w->p, in) : mm_suit_process(&w->p, in, procs);
    const mm_suit_failure *f = mm_suit_processor_failure(&w->p);
    FUZZ_REQUIRE((e == MM_OK) == (f->err == MM_OK));
    FUZZ_REQUIRE(f->reason <= MM_SUIT_REASON_INVOKE_PENDING);
    if (e == MM_OK) {
        const mm_suit_manifest *m = mm_suit_processor_manifest(&w->p);
        FUZZ_REQUIRE(m != NULL && m->n_components <= MM_SUIT_MAX_COMPONENTS);
        FUZZ_REQUIRE(fuzz_view_inside(m->common, in));
        FUZZ_REQUIRE(fuzz_view_inside(mm_suit_processor_envelope(&w->p)->manifest, in));
    }
    /* All or nothing. */
    for (int i = 0; i < N_COMPS; i++) {
        FUZZ_REQUIRE(!w->dev.comps[i].staged);
        if (w->dev.commits == 0) {
            FUZZ_REQUIRE(w->dev.comps[i].len == w->before_len[i]);
            FUZZ_REQUIRE(memcmp(w->data[i], w->before[i], COMP_SIZE) == 0);
        }
    }
    if (cfg.report != NULL && w->p.report_err == MM_OK) {
        FUZZ_REQUIRE(mm_cbor_check(mm_bytes_make(w->report, report.len), 0, NULL) == MM_OK);
    }
    mm_key_free(&key);
    FUZZ_REQUIRE(mm_crypto_test_keys_in_use(&w->tc) == 0);
    free(env);
    return 0;
}
