/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the COSE layer: COSE_Sign1, COSE_Sign, COSE_Mac0,
 * COSE_Encrypt0, COSE_Encrypt, COSE_Key, COSE_KeySet and CWT, decoded and
 * then verified or decrypted with fixed keys of the deterministic test
 * backend. Half the runs make the backend accept any signature and tag, so
 * the code behind the checks (payload handling, content decryption) is
 * reached as well.
 *
 * Input: [selector] [message...]. The selector's low three bits choose the
 * structure, bit 3 the accept-any mode, bit 4 whether keys are pinned to
 * their algorithm.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mamori/cose.h"
#include "mamori/crypto_test.h"
#include "mamori/cwt.h"

/* The keys every run has (made afresh so runs do not share state). */
typedef struct keys {
    mm_key es256, ed25519, hmac, cek128, cek256, kek128, ecdh_p256, ecdh_x25519;
} keys;

static void make_key(mm_crypto_test *t, int32_t kty, int32_t crv, int32_t alg, bool pinned, mm_key *k)
{
    FUZZ_REQUIRE(mm_key_generate(&t->crypto, kty, crv, pinned ? alg : 0, 0, k) == MM_OK);
}

static void make_keys(mm_crypto_test *t, bool pinned, keys *k)
{
    make_key(t, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, pinned, &k->es256);
    make_key(t, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, pinned, &k->ed25519);
    make_key(t, MM_KTY_SYMMETRIC, 256, MM_ALG_HMAC256, pinned, &k->hmac);
    make_key(t, MM_KTY_SYMMETRIC, 128, MM_ALG_A128GCM, pinned, &k->cek128);
    make_key(t, MM_KTY_SYMMETRIC, 256, MM_ALG_A256GCM, pinned, &k->cek256);
    make_key(t, MM_KTY_SYMMETRIC, 128, MM_ALG_A128KW, pinned, &k->kek128);
    make_key(t, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ECDH_ES_A128KW, pinned, &k->ecdh_p256);
    make_key(t, MM_KTY_OKP, MM_CRV_X25519, MM_ALG_ECDH_ES_HKDF256, pinned, &k->ecdh_x25519);
}

static void free_keys(keys *k)
{
    mm_key *all[] = {&k->es256,  &k->ed25519, &k->hmac,      &k->cek128,
                     &k->cek256, &k->kek128,  &k->ecdh_p256, &k->ecdh_x25519};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        mm_key_free(all[i]);
    }
}

static uint8_t scratch[8192];
static const uint8_t detached_payload[] = "the detached payload";

static mm_cose_verify_opts verify_opts(mm_crypto_test *t, const mm_key *key, bool detached)
{
    static const int64_t understood[] = {394, 258};
    mm_cose_verify_opts v;
    memset(&v, 0, sizeof v);
    v.crypto = &t->crypto;
    v.key = key;
    v.crit = understood;
    v.n_crit = 2;
    v.scratch = scratch;
    v.scratch_len = sizeof scratch;
    if (detached) {
        v.payload = mm_bytes_make(detached_payload, sizeof detached_payload - 1);
    }
    return v;
}

static void check_headers(const mm_cose_headers *h, mm_bytes in)
{
    FUZZ_REQUIRE(fuzz_view_inside(h->protected_bytes, in) || h->protected_bytes.len == 0);
    FUZZ_REQUIRE(fuzz_view_inside(h->unprotected, in));
    FUZZ_REQUIRE((h->protected_bits & ~h->present) == 0);
    static const int64_t labels[] = {1, 4, 33, 258, 394, -1};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        mm_bytes v;
        bool prot;
        if (mm_cose_header_find(h, labels[i], &v, &prot) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(v, in));
        }
    }
    mm_bytes certs[4];
    size_t n;
    if (mm_cose_x5chain_certs(h, certs, 4, &n) == MM_OK) {
        for (size_t i = 0; i < n; i++) {
            FUZZ_REQUIRE(fuzz_view_inside(certs[i], in));
        }
    }
}

static void run_sign1(mm_crypto_test *t, const keys *k, mm_bytes in)
{
    mm_cose_sign1 s;
    if (mm_cose_sign1_decode(in, &s, NULL) != MM_OK) {
        return;
    }
    check_headers(&s.hdr, in);
    const mm_key *try_keys[] = {&k->es256, &k->ed25519};
    for (size_t i = 0; i < 2; i++) {
        mm_cose_verify_opts v = verify_opts(t, try_keys[i], s.detached);
        (void)mm_cose_sign1_verify(&s, &v);
        if (s.detached) {
            mm_cose_sign1_stream st;
            if (mm_cose_sign1_verify_begin(&st, &s, &v, v.payload.len) == MM_OK) {
                size_t half = v.payload.len / 2;
                mm_err e = mm_cose_sign1_verify_update(&st, mm_bytes_make(v.payload.ptr, half));
                if (e == MM_OK) {
                    e = mm_cose_sign1_verify_update(&st, mm_bytes_make(v.payload.ptr + half, v.payload.len - half));
                }
                if (e == MM_OK) {
                    (void)mm_cose_sign1_verify_end(&st);
                }
            }
        }
    }
}

static void run_sign(mm_crypto_test *t, const keys *k, mm_bytes in)
{
    mm_cose_sign s;
    mm_cose_signature sigs[4];
    if (mm_cose_sign_decode(in, &s, sigs, 4, NULL) != MM_OK) {
        return;
    }
    FUZZ_REQUIRE(s.n_signers >= 1 && s.n_signers <= 4);
    check_headers(&s.hdr, in);
    for (size_t i = 0; i < s.n_signers; i++) {
        check_headers(&s.signers[i].hdr, in);
        mm_cose_verify_opts v = verify_opts(t, &k->es256, s.detached);
        (void)mm_cose_sign_verify(&s, i, &v);
        v.key = &k->ed25519;
        (void)mm_cose_sign_verify(&s, i, &v);
    }
}

static void run_mac0(mm_crypto_test *t, const keys *k, mm_bytes in)
{
    mm_cose_mac0 m;
    if (mm_cose_mac0_decode(in, &m, NULL) != MM_OK) {
        return;
    }
    check_headers(&m.hdr, in);
    mm_cose_verify_opts v = verify_opts(t, &k->hmac, m.detached);
    (void)mm_cose_mac0_verify(&m, &v);
}

static void decrypt_with(mm_crypto_test *t, const mm_cose_encrypt *m, const mm_key *key, bool encrypt0)
{
    static uint8_t pt[4096];
    mm_cose_decrypt_opts d;
    memset(&d, 0, sizeof d);
    d.crypto = &t->crypto;
    d.key = key;
    d.base_iv = MM_BYTES_LIT("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c");
    if (m->detached) {
        d.ciphertext = mm_bytes_make(scratch, 40);
    }
    mm_buf out = mm_buf_make(pt, sizeof pt);
    mm_err e = encrypt0 ? mm_cose_encrypt0_decrypt(m, &d, &out) : mm_cose_encrypt_decrypt(m, &d, &out);
    if (e == MM_OK) {
        mm_bytes ct = m->detached ? d.ciphertext : m->ciphertext;
        FUZZ_REQUIRE(out.len + 16 == ct.len);
    } else {
        FUZZ_REQUIRE(out.len == 0 || e == MM_ERR_BUFFER_TOO_SMALL);
    }
}

static void run_encrypt(mm_crypto_test *t, const keys *k, mm_bytes in, bool encrypt0)
{
    mm_cose_encrypt m;
    mm_cose_recipient rs[4];
    mm_err e = encrypt0 ? mm_cose_encrypt0_decode(in, &m, NULL) : mm_cose_encrypt_decode(in, &m, rs, 4, NULL);
    if (e != MM_OK) {
        return;
    }
    check_headers(&m.hdr, in);
    const mm_key *try_keys[] = {&k->cek128, &k->cek256, &k->kek128, &k->ecdh_p256, &k->ecdh_x25519};
    for (size_t i = 0; i < (encrypt0 ? 2u : 5u); i++) {
        decrypt_with(t, &m, try_keys[i], encrypt0);
    }
}

static void run_keys(mm_crypto_test *t, mm_bytes in)
{
    mm_cose_key ck;
    if (mm_cose_key_decode(in, &ck) == MM_OK) {
        FUZZ_REQUIRE(ck.parts.x.len == 0 || fuzz_view_inside(ck.parts.x, in));
        uint8_t tp[MM_HASH_MAX];
        size_t n;
        (void)mm_cose_key_thumbprint(&t->crypto, &ck.parts, MM_ALG_SHA256, tp, &n);
        mm_key key;
        if (mm_key_import(&t->crypto, &ck.parts, 0, &key) == MM_OK) {
            mm_key_free(&key);
        }
        uint8_t enc[1200];
        mm_buf out = mm_buf_make(enc, sizeof enc);
        if (mm_cose_key_encode(&ck.parts, ck.kid, MM_EXPORT_PRIVATE, &out) == MM_OK) {
            mm_cose_key again;
            FUZZ_REQUIRE(mm_cose_key_decode(mm_bytes_make(enc, out.len), &again) == MM_OK);
            FUZZ_REQUIRE(again.parts.kty == ck.parts.kty && again.parts.crv == ck.parts.crv);
        }
    }
    mm_cose_key found;
    if (mm_cose_keyset_find(in, MM_BYTES_LIT("11"), &found) == MM_OK) {
        FUZZ_REQUIRE(mm_bytes_equal(found.kid, MM_BYTES_LIT("11")));
    }
}

static void run_cwt(mm_crypto_test *t, const keys *k, mm_bytes in)
{
    mm_cwt_claims c;
    mm_cwt_check check;
    memset(&check, 0, sizeof check);
    check.now = 1444000000;
    check.leeway = 60;
    const mm_key *try_keys[] = {&k->es256, &k->hmac};
    for (size_t i = 0; i < 2; i++) {
        mm_cose_verify_opts v = verify_opts(t, try_keys[i], false);
        if (mm_cwt_verify(in, &v, &check, &c) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(c.map, in));
        }
    }
    if (mm_cwt_claims_decode(in, &c) == MM_OK) {
        (void)mm_cwt_validate(&c, &check);
        mm_bytes v;
        (void)mm_cwt_claim_find(&c, 10, &v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned sel = data[0];
    uint8_t *copy = fuzz_dup(data + 1, size - 1);
    mm_bytes in = mm_bytes_make(copy, size - 1);
    unsigned flags = (sel & 8u) != 0 ? MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE | MM_CRYPTO_TEST_ACCEPT_ANY_TAG : 0;
    static mm_crypto_test t;
    mm_crypto_test_init(&t, flags);
    keys k;
    make_keys(&t, (sel & 16u) != 0, &k);
    switch (sel & 7u) {
    case 0:
        run_sign1(&t, &k, in);
        break;
    case 1:
        run_sign(&t, &k, in);
        break;
    case 2:
        run_mac0(&t, &k, in);
        break;
    case 3:
        run_encrypt(&t, &k, in, true);
        break;
    case 4:
        run_encrypt(&t, &k, in, false);
        break;
    case 5:
        run_keys(&t, in);
        break;
    default:
        run_cwt(&t, &k, in);
        break;
    }
    free_keys(&k);
    FUZZ_REQUIRE(mm_crypto_test_keys_in_use(&t) == 0);
    free(copy);
    return 0;
}
