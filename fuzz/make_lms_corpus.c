/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_lms: valid HSS and LMS signatures of every
 * hash family and Winternitz parameter, HSS of two and three levels, a bare
 * LM-OTS signature, and each through the verifier-key path, made by mamori's
 * signer on the deterministic test backend (so the bytes are reproducible).
 * Run by hand after changing the target:
 *   make_lms_corpus fuzz/corpus/fuzz_lms
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/lms_internal.h"
#include "mamori/crypto_test.h"
#include "mamori/lms_signer.h"
#include "fuzz_seed.h"

static const char *dir;
static mm_crypto_test t;

/* [selector] [u16 pub length] [pub] [u16 message length] [message] [sig] */
static void write_seed(const char *name, unsigned selector, mm_bytes pub, mm_bytes msg, mm_bytes sig)
{
    uint8_t head[3] = {(uint8_t)selector, (uint8_t)(pub.len >> 8), (uint8_t)pub.len};
    uint8_t ml[2] = {(uint8_t)(msg.len >> 8), (uint8_t)msg.len};
    mm_bytes parts[5] = {mm_bytes_make(head, 3), pub, mm_bytes_make(ml, 2), msg, sig};
    seed_write_parts(dir, name, parts, 5);
}

typedef struct kcase {
    const char *name;
    uint32_t levels;
    uint32_t lms[3];
    uint32_t ots[3];
} kcase;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_lms_corpus DIR\n");
        return 64;
    }
    seed_program("make_lms_corpus");
    dir = argv[1];
    mm_crypto_test_init(&t, 0);
    static const kcase cases[] = {
        {"w1", 1, {MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W1}},
        {"w2", 1, {MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W2}},
        {"w4", 1, {MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W4}},
        {"w8", 1, {MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W8}},
        {"m24", 1, {MM_LMS_SHA256_M24_H5}, {MM_LMOTS_SHA256_N24_W4}},
        {"shake32", 1, {MM_LMS_SHAKE_M32_H5}, {MM_LMOTS_SHAKE_N32_W8}},
        {"shake24", 1, {MM_LMS_SHAKE_M24_H5}, {MM_LMOTS_SHAKE_N24_W4}},
        {"hss2", 2, {MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5}, {MM_LMOTS_SHA256_N32_W8, MM_LMOTS_SHA256_N32_W4}},
        {"hss3",
         3,
         {MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5, MM_LMS_SHA256_M32_H5},
         {MM_LMOTS_SHA256_N32_W4, MM_LMOTS_SHA256_N32_W2, MM_LMOTS_SHA256_N32_W8}},
    };
    char tmp[] = "/tmp/make_lms_corpus_XXXXXX";
    if (mkdtemp(tmp) == NULL) {
        return 1;
    }
    static uint8_t sig[MM_LMS_SIG_MAX];
    mm_bytes msg = MM_BYTES_LIT("a manifest digest");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const kcase *k = &cases[i];
        char path[256];
        snprintf(path, sizeof path, "%s/%s", tmp, k->name);
        mm_lms_keygen_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = &t.crypto;
        o.levels = k->levels;
        memcpy(o.lms_type, k->lms, sizeof k->lms);
        memcpy(o.ots_type, k->ots, sizeof k->ots);
        o.threads = 1;
        uint8_t pub[MM_LMS_PUB_MAX];
        size_t pub_len = 0;
        seed_need(mm_lms_keygen(path, &o, pub, &pub_len), "keygen");
        mm_lms_signer_opts so = {&t.crypto, 1, 1};
        mm_key key;
        seed_need(mm_lms_signer_open(path, &so, &key), "open");
        size_t len = 0;
        seed_need(mm_sign(key.crypto, &key, MM_ALG_HSS_LMS, msg, 0, sig, sizeof sig, &len), "sign");
        mm_key_free(&key);
        mm_bytes p = mm_bytes_make(pub, pub_len);
        mm_bytes s = mm_bytes_make(sig, len);
        seed_need(mm_lms_verify(&t.crypto, p, msg, s, 0), "verify");
        char name[64];
        snprintf(name, sizeof name, "hss-%s", k->name);
        write_seed(name, 0x30, p, msg, s);
        snprintf(name, sizeof name, "key-%s", k->name);
        write_seed(name, 0x03, p, msg, s);
        if (k->levels == 1) {
            /* The bare LMS forms, and the one-time layer under them. */
            snprintf(name, sizeof name, "lms-%s", k->name);
            write_seed(name, 0xf1, mm_bytes_make(pub + 4, pub_len - 4), msg, mm_bytes_make(sig + 4, len - 4));
            mm_lms_info info;
            seed_need(mm_lms_sig_decode(p, s, 0, &info), "decode");
            const mm_lms_level *lv = &info.level[0];
            const mm_lms_ots_type_info *ots = mm_lms_ots_type(lv->ots_type);
            lms_hash h;
            seed_need(lms_hash_setup(&h, &t.crypto, ots->hash_alg, ots->n), "hash");
            mm_lms_hash_state st;
            uint8_t digest[MM_LMS_N_MAX];
            seed_need(lms_h_begin(&st, &h, lv->I.ptr, lv->q, LMS_D_MESG), "digest");
            seed_need(lms_h_update(&st, lv->sig.ptr + 8, ots->n), "digest");
            seed_need(lms_h_update(&st, msg.ptr, msg.len), "digest");
            seed_need(lms_h_final(&st, digest), "digest");
            uint8_t ots_pub[24 + MM_LMS_N_MAX];
            lms_put_u32(ots_pub, ots->type);
            memcpy(ots_pub + 4, lv->I.ptr, MM_LMS_I_LEN);
            lms_put_u32(ots_pub + 20, lv->q);
            seed_need(lms_ots_candidate(&h, ots, lv->I.ptr, lv->q, digest, lv->sig.ptr + 8 + ots->n, ots_pub + 24),
                      "candidate");
            mm_bytes op = mm_bytes_make(ots_pub, 24 + (size_t)ots->n);
            mm_bytes os = mm_bytes_make(lv->sig.ptr + 4, mm_lms_ots_sig_len(ots));
            seed_need(mm_lms_ots_verify(&t.crypto, op, msg, os), "ots verify");
            snprintf(name, sizeof name, "ots-%s", k->name);
            write_seed(name, 0x02, op, msg, os);
        }
        char side[300];
        snprintf(side, sizeof side, "%s.cache", path);
        unlink(side);
        snprintf(side, sizeof side, "%s.lock", path);
        unlink(side);
        unlink(path);
    }
    rmdir(tmp);
    return 0;
}
