/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_cose: one valid message of every structure
 * and option the target distinguishes, made with mamori's own encoder and the
 * deterministic test backend (so the bytes are reproducible), each prefixed
 * with the target's selector byte. Run by hand after changing the target:
 *   make_cose_corpus fuzz/corpus/fuzz_cose
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_test.h"
#include "mamori/cwt.h"
#include "fuzz_seed.h"

static const char *dir;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_cose_corpus DIR\n");
        return 64;
    }
    seed_program("make_cose_corpus");
    dir = argv[1];
    static mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    const mm_crypto *c = &t.crypto;
    mm_key es, ed, hmac, cek, kek, ecdh;
    seed_need(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_KEY_EXTRACTABLE, &es), "es256 key");
    seed_need(mm_key_generate(c, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, 0, &ed), "ed25519 key");
    seed_need(mm_key_generate(c, MM_KTY_SYMMETRIC, 256, MM_ALG_HMAC256, 0, &hmac), "hmac key");
    seed_need(mm_key_generate(c, MM_KTY_SYMMETRIC, 128, MM_ALG_A128GCM, 0, &cek), "cek");
    seed_need(mm_key_generate(c, MM_KTY_SYMMETRIC, 128, MM_ALG_A128KW, 0, &kek), "kek");
    seed_need(mm_key_generate(c, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ECDH_ES_A128KW, MM_KEY_EXTRACTABLE, &ecdh),
              "ecdh key");
    static uint8_t buf[4096];
    static uint8_t scratch[4096];
    mm_buf out;
    mm_bytes payload = MM_BYTES_LIT("the detached payload");
    static const uint8_t crit_val[] = {0x81, 0x19, 0x01, 0x8a}; /* [394] */
    static const uint8_t receipts[] = {0x80};
    mm_cose_param params[] = {
        {2, mm_bytes_make(crit_val, sizeof crit_val), MM_COSE_PROTECTED},
        {394, mm_bytes_make(receipts, 1), MM_COSE_PROTECTED},
    };
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = c;
    o.scratch = scratch;
    o.scratch_len = sizeof scratch;
    o.kid = MM_BYTES_LIT("11");

    /* COSE_Sign1: ES256 attached, detached, with crit; EdDSA untagged. */
    o.key = &es;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_sign1_create(&o, payload, &out), "sign1");
    seed_write(dir, "sign1-es256", 0, buf, out.len);
    o.flags = MM_COSE_DETACHED;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_sign1_create(&o, payload, &out), "sign1 detached");
    seed_write(dir, "sign1-detached", 0, buf, out.len);
    seed_write(dir, "sign1-detached-any", 8, buf, out.len);
    o.flags = 0;
    o.params = params;
    o.n_params = 2;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_sign1_create(&o, payload, &out), "sign1 crit");
    seed_write(dir, "sign1-crit", 16, buf, out.len);
    o.params = NULL;
    o.n_params = 0;
    o.key = &ed;
    o.flags = MM_COSE_UNTAGGED;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_sign1_create(&o, payload, &out), "sign1 eddsa");
    seed_write(dir, "sign1-eddsa", 8 | 16, buf, out.len);

    /* COSE_Sign with two signers. */
    mm_cose_create_opts body, signers[2];
    memset(&body, 0, sizeof body);
    signers[0] = o;
    signers[0].key = &es;
    signers[0].flags = 0;
    signers[1] = o;
    signers[1].flags = 0;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_sign_create(&body, signers, 2, payload, &out), "sign");
    seed_write(dir, "sign-two", 1, buf, out.len);
    seed_write(dir, "sign-two-any", 1 | 8, buf, out.len);

    /* COSE_Mac0. */
    o.key = &hmac;
    o.flags = 0;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_mac0_create(&o, payload, &out), "mac0");
    seed_write(dir, "mac0", 2, buf, out.len);

    /* COSE_Encrypt0 and COSE_Encrypt (KW and ECDH-ES+A128KW recipients). */
    mm_cose_encrypt_opts e;
    memset(&e, 0, sizeof e);
    e.crypto = c;
    e.alg = MM_ALG_A128GCM;
    e.key = &cek;
    e.kid = MM_BYTES_LIT("11");
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_encrypt0_create(&e, payload, &out), "encrypt0");
    seed_write(dir, "encrypt0", 3, buf, out.len);
    seed_write(dir, "encrypt0-any", 3 | 8, buf, out.len);
    uint8_t parts_buf[200];
    mm_key_parts pub_parts;
    seed_need(mm_key_export(&ecdh, 0, &pub_parts, parts_buf, sizeof parts_buf), "ecdh export");
    mm_key ecdh_pub;
    seed_need(mm_key_import(c, &pub_parts, 0, &ecdh_pub), "ecdh import");
    mm_cose_recipient_opts r[2];
    memset(r, 0, sizeof r);
    r[0].alg = MM_ALG_A128KW;
    r[0].key = &kek;
    r[0].kid = MM_BYTES_LIT("kek");
    r[1].alg = MM_ALG_ECDH_ES_A128KW;
    r[1].key = &ecdh_pub;
    r[1].kid = MM_BYTES_LIT("ecdh");
    e.recipients = r;
    e.n_recipients = 2;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_encrypt_create(&e, payload, &out), "encrypt");
    seed_write(dir, "encrypt-two", 4, buf, out.len);
    seed_write(dir, "encrypt-two-any", 4 | 8, buf, out.len);

    /* COSE_Key, and a COSE_KeySet of two. */
    uint8_t key_enc[300];
    mm_buf kb = mm_buf_make(key_enc, sizeof key_enc);
    seed_need(mm_cose_key_encode(&pub_parts, MM_BYTES_LIT("11"), 0, &kb), "cose key");
    seed_write(dir, "cose-key", 5, key_enc, kb.len);
    buf[0] = 0x82;
    memcpy(buf + 1, key_enc, kb.len);
    memcpy(buf + 1 + kb.len, key_enc, kb.len);
    seed_write(dir, "cose-keyset", 5, buf, 1 + 2 * kb.len);

    /* A CWT, signed. */
    mm_cwt_claims claims;
    memset(&claims, 0, sizeof claims);
    claims.iss = MM_BYTES_LIT("coap://as.example.com");
    claims.exp = 1444064944;
    claims.nbf = 1443944944;
    claims.present = MM_CWT_HAS_ISS | MM_CWT_HAS_EXP | MM_CWT_HAS_NBF;
    uint8_t claims_enc[200];
    mm_buf cb = mm_buf_make(claims_enc, sizeof claims_enc);
    seed_need(mm_cwt_claims_encode(&claims, NULL, 0, &cb), "claims");
    o.key = &es;
    out = mm_buf_make(buf, sizeof buf);
    seed_need(mm_cose_sign1_create(&o, mm_bytes_make(claims_enc, cb.len), &out), "cwt");
    seed_write(dir, "cwt-sign1", 6, buf, out.len);
    seed_write(dir, "cwt-sign1-any", 6 | 8, buf, out.len);

    mm_key_free(&es);
    mm_key_free(&ed);
    mm_key_free(&hmac);
    mm_key_free(&cek);
    mm_key_free(&kek);
    mm_key_free(&ecdh);
    mm_key_free(&ecdh_pub);
    return 0;
}
