/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_hpke: for every suite of fuzz_hpke.h, an
 * HPKE message sealed to the fixed key (base and PSK), and a COSE-HPKE
 * COSE_Encrypt0 and COSE_Encrypt to it, made with the deterministic test
 * backend so the bytes are reproducible, each prefixed with the target's
 * selector byte. Run by hand after changing the target:
 *   make_hpke_corpus fuzz/corpus/fuzz_hpke
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_hpke.h"
#include "fuzz_seed.h"

static const char *dir;

/* enc || aad_len || aad || ct of one HPKE message to pk. */
static size_t hpke_seed(const mm_crypto *c, const struct fuzz_hpke_suite *fs, const mm_key *pk, bool psk, uint8_t *buf,
                        size_t cap)
{
    mm_hpke_opts o;
    memset(&o, 0, sizeof o);
    o.info = MM_BYTES_LIT(FUZZ_HPKE_INFO);
    if (psk) {
        o.psk = mm_bytes_make(fuzz_hpke_psk, sizeof fuzz_hpke_psk);
        o.psk_id = MM_BYTES_LIT(FUZZ_HPKE_PSK_ID);
    }
    mm_hpke_ctx ctx;
    size_t enc_len = 0;
    seed_need(mm_hpke_setup_sender(&ctx, c, fs->suite, pk, &o, buf, &enc_len), "setup");
    mm_bytes aad = MM_BYTES_LIT("seed aad");
    buf[enc_len] = (uint8_t)aad.len;
    memcpy(buf + enc_len + 1, aad.ptr, aad.len);
    size_t at = enc_len + 1 + aad.len;
    mm_buf ct = mm_buf_make(buf + at, cap - at);
    if (fs->suite.aead == MM_HPKE_AEAD_EXPORT_ONLY) {
        memset(buf + at, 0xa5, 24); /* nothing can be sealed: some bytes to open */
        ct.len = 24;
    } else {
        seed_need(mm_hpke_ctx_seal(&ctx, aad, MM_BYTES_LIT("the seed's plaintext"), &ct), "seal");
    }
    mm_hpke_ctx_finish(&ctx);
    return at + ct.len;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_hpke_corpus DIR\n");
        return 64;
    }
    seed_program("make_hpke_corpus");
    dir = argv[1];
    static mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    const mm_crypto *c = &t.crypto;
    static uint8_t buf[4096];
    for (unsigned i = 0; i < 8; i++) {
        const struct fuzz_hpke_suite *fs = &fuzz_hpke_suites[i];
        mm_key sk, pk;
        seed_need(fuzz_hpke_key(c, fs->suite.kem, &sk), "key");
        uint8_t ser[MM_HPKE_ENC_MAX];
        size_t ser_len = 0;
        seed_need(mm_hpke_serialize_public_key(fs->suite.kem, &sk, ser, &ser_len), "serialize");
        seed_need(mm_hpke_deserialize_public_key(c, fs->suite.kem, mm_bytes_make(ser, ser_len), &pk), "deserialize");
        char name[64];
        for (unsigned psk = 0; psk < 2; psk++) {
            size_t n = hpke_seed(c, fs, &pk, psk != 0, buf, sizeof buf);
            unsigned sel = i | (psk != 0 ? FUZZ_HPKE_PSK : 0);
            snprintf(name, sizeof name, "hpke-%u%s", i, psk != 0 ? "-psk" : "");
            seed_write(dir, name, (int)sel, buf, n);
            snprintf(name, sizeof name, "hpke-%u%s-any", i, psk != 0 ? "-psk" : "");
            seed_write(dir, name, (int)(sel | FUZZ_HPKE_ANY_TAG), buf, n);
        }
        /* COSE-HPKE: Encrypt0 (Integrated) and Encrypt (Key Encryption). */
        mm_hpke_cose_opts ho;
        memset(&ho, 0, sizeof ho);
        ho.info = MM_BYTES_LIT(FUZZ_HPKE_INFO);
        ho.extra_info = MM_BYTES_LIT(FUZZ_HPKE_INFO);
        ho.psk = mm_bytes_make(fuzz_hpke_psk, sizeof fuzz_hpke_psk);
        static const uint8_t psk_id[] = {0x4b, 'f', 'u', 'z', 'z', ' ', 'p', 's', 'k', ' ', 'i', 'd'};
        mm_cose_param p = {MM_HDR_HPKE_PSK_ID, mm_bytes_make(psk_id, sizeof psk_id), MM_COSE_PROTECTED};
        mm_cose_encrypt_opts o;
        memset(&o, 0, sizeof o);
        o.crypto = c;
        o.alg = fs->integrated;
        o.key = &pk;
        o.kid = MM_BYTES_LIT("fuzz");
        o.external_aad = MM_BYTES_LIT("aad");
        o.algs = mm_hpke_cose_algs();
        o.alg_opts = &ho;
        o.params = &p;
        o.n_params = 1;
        mm_buf out = mm_buf_make(buf, sizeof buf);
        seed_need(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("the seed's plaintext"), &out), "encrypt0");
        snprintf(name, sizeof name, "cose-encrypt0-%u-psk", i);
        seed_write(dir, name, (int)(i | FUZZ_HPKE_COSE | FUZZ_HPKE_PSK), buf, out.len);
        mm_cose_recipient_opts r;
        memset(&r, 0, sizeof r);
        r.alg = fs->key_encryption;
        r.key = &pk;
        r.kid = MM_BYTES_LIT("fuzz");
        r.alg_opts = &ho;
        r.params = &p;
        r.n_params = 1;
        o.alg = MM_ALG_A128GCM;
        o.recipients = &r;
        o.n_recipients = 1;
        o.kid = mm_bytes_make(NULL, 0);
        o.params = NULL;
        o.n_params = 0;
        out = mm_buf_make(buf, sizeof buf);
        seed_need(mm_cose_encrypt_create(&o, MM_BYTES_LIT("the seed's plaintext"), &out), "encrypt");
        snprintf(name, sizeof name, "cose-encrypt-%u-psk", i);
        seed_write(dir, name, (int)(i | FUZZ_HPKE_COSE | FUZZ_HPKE_ENCRYPT | FUZZ_HPKE_PSK), buf, out.len);
        /* Base mode, Encrypt0, tags accepted. */
        ho.psk = mm_bytes_make(NULL, 0);
        memset(&o, 0, sizeof o);
        o.crypto = c;
        o.alg = fs->integrated;
        o.key = &pk;
        o.external_aad = MM_BYTES_LIT("aad");
        o.algs = mm_hpke_cose_algs();
        o.alg_opts = &ho;
        out = mm_buf_make(buf, sizeof buf);
        seed_need(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("the seed's plaintext"), &out), "encrypt0 base");
        snprintf(name, sizeof name, "cose-encrypt0-%u-any", i);
        seed_write(dir, name, (int)(i | FUZZ_HPKE_COSE | FUZZ_HPKE_ANY_TAG), buf, out.len);
        mm_key_free(&sk);
        mm_key_free(&pk);
    }
    return 0;
}
