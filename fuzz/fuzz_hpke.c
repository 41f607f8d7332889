/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for HPKE open with a fixed key (RFC 9180) and COSE-HPKE
 * decryption (draft-ietf-cose-hpke), on the deterministic test backend:
 * whatever enc, aad and ciphertext come in, SetupR, Open (twice, in
 * sequence) and Export must not misbehave, and the results must agree with
 * the sizes and states the API promises. The input layout is in
 * fuzz_hpke.h. Half the runs accept any AEAD tag, so the code after the
 * check runs too.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_hpke.h"

static void run_hpke(mm_crypto_test *t, const struct fuzz_hpke_suite *fs, unsigned sel, const mm_key *sk, mm_bytes in)
{
    size_t n_enc = mm_hpke_enc_len(fs->suite.kem);
    if (in.len < n_enc + 1 || in.len - n_enc - 1 < in.ptr[n_enc]) {
        return;
    }
    mm_bytes enc = mm_bytes_make(in.ptr, n_enc);
    size_t aad_len = in.ptr[n_enc];
    mm_bytes aad = mm_bytes_make(in.ptr + n_enc + 1, aad_len);
    mm_bytes ct = mm_bytes_make(aad.ptr + aad_len, in.len - n_enc - 1 - aad_len);
    mm_hpke_opts o;
    memset(&o, 0, sizeof o);
    o.info = MM_BYTES_LIT(FUZZ_HPKE_INFO);
    if ((sel & FUZZ_HPKE_PSK) != 0) {
        o.psk = mm_bytes_make(fuzz_hpke_psk, sizeof fuzz_hpke_psk);
        o.psk_id = MM_BYTES_LIT(FUZZ_HPKE_PSK_ID);
    }
    mm_hpke_ctx ctx;
    mm_err e = mm_hpke_setup_recipient(&ctx, &t->crypto, fs->suite, sk, &o, enc);
    if (e != MM_OK) {
        FUZZ_REQUIRE(ctx.role == 0); /* a failed setup leaves nothing to use or free */
        return;
    }
    FUZZ_REQUIRE(ctx.role == MM_HPKE_ROLE_RECIPIENT && ctx.seq == 0);
    bool export_only = fs->suite.aead == MM_HPKE_AEAD_EXPORT_ONLY;
    for (uint64_t i = 0; i < 2; i++) {
        uint8_t *pt = fuzz_alloc(ct.len);
        mm_buf b = mm_buf_make(pt, ct.len);
        e = mm_hpke_ctx_open(&ctx, aad, ct, &b);
        if (export_only) {
            FUZZ_REQUIRE(e == MM_ERR_STATE);
        } else if (ct.len < MM_HPKE_TAG_LEN) {
            FUZZ_REQUIRE(e == MM_ERR_VERIFY);
        } else if ((sel & FUZZ_HPKE_ANY_TAG) != 0) {
            FUZZ_REQUIRE(e == MM_OK); /* the tag is all that can fail now */
        }
        FUZZ_REQUIRE(e == MM_OK ? b.len == ct.len - MM_HPKE_TAG_LEN && ctx.seq == i + 1 : b.len == 0 && ctx.seq == i);
        free(pt);
        if (e != MM_OK) {
            break;
        }
    }
    uint8_t exported[64];
    FUZZ_REQUIRE(mm_hpke_ctx_export(&ctx, aad, exported, sizeof exported) == MM_OK);
    mm_hpke_ctx_finish(&ctx);
    FUZZ_REQUIRE(ctx.role == 0);
}

static void run_cose(mm_crypto_test *t, const struct fuzz_hpke_suite *fs, unsigned sel, const mm_key *sk, mm_bytes in)
{
    mm_cose_encrypt m;
    mm_cose_recipient r[4];
    bool encrypt = (sel & FUZZ_HPKE_ENCRYPT) != 0;
    mm_err e = encrypt ? mm_cose_encrypt_decode(in, &m, r, 4, NULL) : mm_cose_encrypt0_decode(in, &m, NULL);
    if (e != MM_OK) {
        return;
    }
    mm_hpke_cose_opts ho;
    memset(&ho, 0, sizeof ho);
    ho.info = MM_BYTES_LIT(FUZZ_HPKE_INFO);
    ho.extra_info = MM_BYTES_LIT(FUZZ_HPKE_INFO);
    if ((sel & FUZZ_HPKE_PSK) != 0) {
        ho.psk = mm_bytes_make(fuzz_hpke_psk, sizeof fuzz_hpke_psk);
    }
    mm_cose_decrypt_opts d;
    memset(&d, 0, sizeof d);
    d.crypto = &t->crypto;
    d.key = sk;
    d.external_aad = MM_BYTES_LIT("aad");
    d.algs = mm_hpke_cose_algs();
    d.alg_opts = &ho;
    static const uint8_t detached[] = "a detached ciphertext, tag included";
    if (m.detached) {
        d.ciphertext = mm_bytes_make(detached, sizeof detached - 1);
    }
    size_t ct_len = m.detached ? d.ciphertext.len : m.ciphertext.len;
    uint8_t *pt = fuzz_alloc(ct_len);
    mm_buf b = mm_buf_make(pt, ct_len);
    e = encrypt ? mm_cose_encrypt_decrypt(&m, &d, &b) : mm_cose_encrypt0_decrypt(&m, &d, &b);
    FUZZ_REQUIRE(e == MM_OK ? b.len + MM_HPKE_TAG_LEN == ct_len : b.len == 0);
    free(pt);
    (void)fs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned sel = data[0];
    uint8_t *copy = fuzz_dup(data + 1, size - 1);
    mm_bytes in = mm_bytes_make(copy, size - 1);
    static mm_crypto_test t;
    mm_crypto_test_init(&t, (sel & FUZZ_HPKE_ANY_TAG) != 0 ? MM_CRYPTO_TEST_ACCEPT_ANY_TAG : 0);
    const struct fuzz_hpke_suite *fs = &fuzz_hpke_suites[sel & 7u];
    mm_key sk;
    FUZZ_REQUIRE(fuzz_hpke_key(&t.crypto, fs->suite.kem, &sk) == MM_OK);
    if ((sel & FUZZ_HPKE_COSE) != 0) {
        run_cose(&t, fs, sel, &sk, in);
    } else {
        run_hpke(&t, fs, sel, &sk, in);
    }
    mm_key_free(&sk);
    FUZZ_REQUIRE(mm_crypto_test_keys_in_use(&t) == 0);
    free(copy);
    return 0;
}
