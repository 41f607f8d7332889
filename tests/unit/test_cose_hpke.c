/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE-HPKE (draft-ietf-cose-hpke) with the OpenSSL backend:
 *
 * - every message of the draft's test vectors
 *   (../shared/vectors/cose-hpke/testvectors.shared.txt): Integrated
 *   Encryption (COSE_Encrypt0) and Key Encryption (COSE_Encrypt) for
 *   HPKE-0, 1, 2, 3 and 6, base and PSK, with default and external aad,
 *   info and HPKE aad. Each is decrypted with the key of its block and must
 *   give the plaintext; then a flipped ciphertext bit, a changed ek, another
 *   external aad, info or HPKE aad, another PSK, a missing PSK and a PSK the
 *   message does not use must all be refused. The messages cannot be made
 *   again (their ephemeral keys are random), so creation is checked by
 *   round trips instead.
 * - the two examples in the draft's text (HPKE-0 Encrypt0, HPKE-0-KE).
 * - round trips of all sixteen suites, base and PSK, attached and
 *   detached, several recipients of mixed algorithms, and what the draft
 *   and mamori refuse: an algorithm of the other mode, alg or psk_id
 *   unprotected, no ek, a key of another suite.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mamori/cose_hpke.h"
#include "mamori/crypto_openssl.h"
#include "mm_test.h"

static const mm_crypto *crypto;

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

static const mm_bytes none = {NULL, 0};

/* The inputs the vectors name (the draft's "Testvectors" section). */
static const char plaintext[] = "hpke test payload";
static const char ext_aad[] = "external-aad";
static const char ext_info[] = "external-info";
static const char ext_hpke_aad[] = "external-hpke-aad";
static const uint8_t vec_psk[32] = {0x02, 0x47, 0xfd, 0x33, 0xb9, 0x13, 0x76, 0x0f, 0xa1, 0xfa, 0x51,
                                    0xe1, 0x89, 0x2d, 0x9f, 0x30, 0x7f, 0xbe, 0x65, 0xeb, 0x17, 0x1e,
                                    0x81, 0x32, 0xc2, 0xaf, 0x18, 0x55, 0x5a, 0x73, 0x8b, 0x82};
static const char vec_psk_id[] = "Ennyn Durin aran Moria";

/* Key Encryption messages whose content IV is not 96 bits (see decrypt()). */
static size_t long_iv_messages;

static mm_bytes text(const char *s) { return mm_bytes_make(s, strlen(s)); }

/* How one vector message was made. */
typedef struct vec_inputs {
    bool external_aad, external_info, external_hpke_aad, psk;
} vec_inputs;

/* AES-GCM with an IV of any length, by libcrypto directly: for the
 * vectors whose content IV mamori refuses. */
static mm_err gcm_decrypt_any_iv(int32_t alg, const uint8_t *cek, mm_bytes iv, mm_bytes aad, mm_bytes ct, uint8_t *pt)
{
    if (ct.len < 16) {
        return MM_ERR_VERIFY;
    }
    size_t n = ct.len - 16;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int len = 0;
    int ok =
        c != NULL &&
        EVP_DecryptInit_ex(c, alg == MM_ALG_A128GCM ? EVP_aes_128_gcm() : EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, (int)iv.len, NULL) == 1 &&
        EVP_DecryptInit_ex(c, NULL, NULL, cek, iv.ptr) == 1 &&
        EVP_DecryptUpdate(c, NULL, &len, aad.ptr, (int)aad.len) == 1 &&
        EVP_DecryptUpdate(c, pt, &len, ct.ptr, (int)n) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)(ct.ptr + n)) == 1 &&
        EVP_DecryptFinal_ex(c, pt + n, &len) == 1;
    EVP_CIPHER_CTX_free(c);
    return ok ? MM_OK : MM_ERR_VERIFY;
}

/* The draft's Key Encryption vectors in base mode (and its Key Encryption
 * example) carry a content IV of 16 bytes (A128GCM) or 32 (A256GCM), not
 * the 96 bits RFC 9053 (section 4.1) fixes for AES-GCM in COSE. mamori
 * refuses such a layer (MM_ERR_CBOR_RANGE), as the RFC wins over a draft.
 * Their HPKE part is still checked: mamori's recipient algorithm recovers
 * the CEK, and libcrypto decrypts the content with it and the long IV. */
static mm_err decrypt_long_iv(const mm_cose_encrypt *m, const mm_cose_decrypt_opts *d, uint8_t *pt, size_t cap,
                              size_t *pt_len)
{
    mm_buf b = mm_buf_make(pt, cap);
    mm_err whole = mm_cose_encrypt_decrypt(m, d, &b);
    const mm_cose_recipient *r = &m->recipients[0];
    const mm_cose_rcpt_alg *entry = mm_cose_find_rcpt_alg(d->algs, (int32_t)r->hdr.alg);
    assert_non_null(entry);
    mm_cose_rcpt_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.crypto = crypto;
    ctx.key = d->key;
    ctx.content_alg = (int32_t)m->hdr.alg;
    ctx.cek_len = ctx.content_alg == MM_ALG_A128GCM ? 16 : 32;
    ctx.hdr = &r->hdr;
    ctx.ciphertext = r->ciphertext;
    ctx.alg_opts = d->alg_opts;
    uint8_t cek[MM_SYMKEY_MAX];
    *pt_len = 0;
    mm_err e = entry->decrypt(&ctx, cek);
    if (e != MM_OK) {
        assert_int_not_equal(whole, MM_OK);
        return e;
    }
    assert_int_equal(whole, MM_ERR_CBOR_RANGE); /* the CEK came out; the IV was refused */
    /* Enc_structure ["Encrypt", protected, external_aad]. */
    uint8_t aad[256];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, aad, sizeof aad);
    mm_cbor_put_array(&enc, 3);
    mm_cbor_put_tstr(&enc, MM_BYTES_LIT("Encrypt"));
    mm_cbor_put_bstr(&enc, m->hdr.protected_bytes);
    mm_cbor_put_bstr(&enc, d->external_aad);
    size_t aad_len = 0;
    assert_int_equal(mm_cbor_enc_finish(&enc, &aad_len), MM_OK);
    assert_true(m->ciphertext.len - 16 <= cap);
    e = gcm_decrypt_any_iv(ctx.content_alg, cek, m->hdr.iv, mm_bytes_make(aad, aad_len), m->ciphertext, pt);
    if (e == MM_OK) {
        *pt_len = m->ciphertext.len - 16;
    }
    return e;
}

/* Decrypts msg as COSE_Encrypt0 or COSE_Encrypt (by its tag). */
static mm_err decrypt(mm_bytes msg, const mm_key *key, const mm_bytes *aad, const mm_hpke_cose_opts *ho, uint8_t *pt,
                      size_t cap, size_t *pt_len)
{
    mm_cose_encrypt m;
    mm_cose_recipient r[4];
    mm_err e = msg.len > 0 && msg.ptr[0] == 0xd0 ? mm_cose_encrypt0_decode(msg, &m, NULL)
                                                 : mm_cose_encrypt_decode(msg, &m, r, 4, NULL);
    if (e != MM_OK) {
        return e;
    }
    mm_cose_decrypt_opts d;
    memset(&d, 0, sizeof d);
    d.crypto = crypto;
    d.key = key;
    d.external_aad = *aad;
    d.algs = mm_hpke_cose_algs();
    d.alg_opts = ho;
    if (m.n_recipients != 0 && m.hdr.iv.len != 12) {
        return decrypt_long_iv(&m, &d, pt, cap, pt_len);
    }
    mm_buf b = mm_buf_make(pt, cap);
    e = m.n_recipients == 0 ? mm_cose_encrypt0_decrypt(&m, &d, &b) : mm_cose_encrypt_decrypt(&m, &d, &b);
    *pt_len = b.len;
    return e;
}

static void opts_for(const vec_inputs *in, mm_bytes *aad, mm_hpke_cose_opts *ho, bool key_encryption)
{
    *aad = in->external_aad ? text(ext_aad) : none;
    memset(ho, 0, sizeof *ho);
    if (in->external_info) {
        /* Integrated Encryption: HPKE's info; Key Encryption: the
         * Recipient_structure's extra info. */
        if (key_encryption) {
            ho->extra_info = text(ext_info);
        } else {
            ho->info = text(ext_info);
        }
    }
    ho->hpke_aad = in->external_hpke_aad ? text(ext_hpke_aad) : none;
    ho->psk = in->psk ? mm_bytes_make(vec_psk, sizeof vec_psk) : none;
}

/* Offset of ek's value (its bstr content) in an encoded message. */
static size_t ek_offset(mm_bytes msg)
{
    mm_cose_encrypt m;
    mm_cose_recipient r[4];
    mm_err e =
        msg.ptr[0] == 0xd0 ? mm_cose_encrypt0_decode(msg, &m, NULL) : mm_cose_encrypt_decode(msg, &m, r, 4, NULL);
    assert_int_equal(e, MM_OK);
    mm_bytes ek;
    assert_int_equal(mm_cose_header_find(m.n_recipients != 0 ? &r[0].hdr : &m.hdr, MM_HDR_HPKE_EK, &ek, NULL), MM_OK);
    assert_true(ek.len > 8);
    return (size_t)(ek.ptr - msg.ptr) + 2;
}

static void expect_refused(mm_err e, const char *what, size_t line)
{
    if (e == MM_OK) {
        fail_msg("line %zu: decrypted although %s", line, what);
    }
}

/* Decrypts one vector message, then checks the refusals. */
static void run_vector(mm_bytes msg, const mm_key *key, const vec_inputs *in, bool key_encryption, size_t line)
{
    uint8_t pt[256];
    size_t pt_len = 0;
    mm_bytes aad;
    mm_hpke_cose_opts ho;
    opts_for(in, &aad, &ho, key_encryption);
    mm_err e = decrypt(msg, key, &aad, &ho, pt, sizeof pt, &pt_len);
    if (e != MM_OK) {
        fail_msg("line %zu: not decrypted: %s (%s)", line, mm_strerror(e), mm_errname(e));
    }
    assert_int_equal(pt_len, strlen(plaintext));
    assert_memory_equal(pt, plaintext, pt_len);
    if (in->psk) {
        /* The psk_id the draft names, protected. */
        mm_cose_encrypt m;
        mm_cose_recipient r[4];
        assert_int_equal(key_encryption ? mm_cose_encrypt_decode(msg, &m, r, 4, NULL)
                                        : mm_cose_encrypt0_decode(msg, &m, NULL),
                         MM_OK);
        mm_bytes id;
        bool prot = false;
        assert_int_equal(mm_cose_header_find(key_encryption ? &r[0].hdr : &m.hdr, MM_HDR_HPKE_PSK_ID, &id, &prot),
                         MM_OK);
        assert_true(prot);
        assert_int_equal(id.len, 1 + strlen(vec_psk_id));
        assert_memory_equal(id.ptr + 1, vec_psk_id, id.len - 1);
    }

    uint8_t *copy = malloc(msg.len);
    assert_non_null(copy);
    memcpy(copy, msg.ptr, msg.len);
    mm_bytes c = mm_bytes_make(copy, msg.len);
    /* The last byte is ciphertext (Encrypt0) or the encrypted CEK. */
    copy[msg.len - 1] ^= 1;
    expect_refused(decrypt(c, key, &aad, &ho, pt, sizeof pt, &pt_len), "a ciphertext bit flipped", line);
    copy[msg.len - 1] ^= 1;
    size_t ek = ek_offset(c);
    copy[ek + 5] ^= 1;
    expect_refused(decrypt(c, key, &aad, &ho, pt, sizeof pt, &pt_len), "ek changed", line);
    copy[ek + 5] ^= 1;
    free(copy);

    vec_inputs other = *in;
    other.external_aad = !in->external_aad;
    mm_bytes aad2;
    mm_hpke_cose_opts ho2;
    opts_for(&other, &aad2, &ho2, key_encryption);
    assert_int_equal(decrypt(msg, key, &aad2, &ho2, pt, sizeof pt, &pt_len), MM_ERR_VERIFY);
    other = *in;
    other.external_info = !in->external_info;
    opts_for(&other, &aad2, &ho2, key_encryption);
    assert_int_equal(decrypt(msg, key, &aad2, &ho2, pt, sizeof pt, &pt_len), MM_ERR_VERIFY);
    if (key_encryption) {
        other = *in;
        other.external_hpke_aad = !in->external_hpke_aad;
        opts_for(&other, &aad2, &ho2, key_encryption);
        assert_int_equal(decrypt(msg, key, &aad2, &ho2, pt, sizeof pt, &pt_len), MM_ERR_VERIFY);
    }
    opts_for(in, &aad2, &ho2, key_encryption);
    if (in->psk) {
        static const uint8_t wrong[32] = "not the PSK of the test vectors";
        ho2.psk = mm_bytes_make(wrong, sizeof wrong);
        assert_int_equal(decrypt(msg, key, &aad2, &ho2, pt, sizeof pt, &pt_len), MM_ERR_VERIFY);
        ho2.psk = none;
        assert_int_equal(decrypt(msg, key, &aad2, &ho2, pt, sizeof pt, &pt_len), MM_ERR_INVALID_ARG);
    } else {
        /* A recipient expecting PSK authentication refuses base mode. */
        ho2.psk = mm_bytes_make(vec_psk, sizeof vec_psk);
        assert_int_equal(decrypt(msg, key, &aad2, &ho2, pt, sizeof pt, &pt_len), MM_ERR_VERIFY);
    }
    assert_int_equal(pt_len, 0);
}

typedef struct suite_tally {
    char name[16];
    size_t encrypt0, encrypt0_psk, encrypt, encrypt_psk;
} suite_tally;

static suite_tally *tally_of(suite_tally *t, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(t[i].name, name) == 0) {
            return &t[i];
        }
    }
    assert_true(*n < 16);
    memset(&t[*n], 0, sizeof t[*n]);
    snprintf(t[*n].name, sizeof t[*n].name, "%s", name);
    return &t[(*n)++];
}

static void test_draft_vectors(void **state)
{
    (void)state;
    char path[1024];
    mm_test_shared_path("vectors/cose-hpke/testvectors.shared.txt", path, sizeof path);
    size_t len = 0;
    char *data = (char *)mm_test_read_file(path, &len);
    assert_non_null(data);
    static uint8_t msg[4096];
    static uint8_t key_bytes[512];
    mm_key key;
    memset(&key, 0, sizeof key);
    char suite[16] = "";
    char title[160] = "";
    suite_tally tallies[16];
    size_t n_tallies = 0;
    size_t messages = 0;
    size_t keys = 0;
    size_t line_no = 0;
    for (char *line = strtok(data, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        line_no++;
        char *colon = strstr(line, " COSE_Key:");
        if (colon != NULL) {
            /* "<suite> COSE_Key: <hex>" (or "COSE_Key::"): the private key
             * of the messages that follow, restricted to its suite. */
            *colon = '\0';
            snprintf(suite, sizeof suite, "%s", line);
            char *hex = strchr(colon + 1, ':');
            while (*hex == ':' || *hex == ' ') {
                hex++;
            }
            size_t klen = mm_test_unhex(hex, key_bytes, sizeof key_bytes);
            mm_key_free(&key);
            mm_cose_key decoded;
            mm_err e = mm_cose_key_import(crypto, mm_bytes_make(key_bytes, klen), 0, &key, &decoded);
            if (e != MM_OK) {
                fail_msg("line %zu: %s key not imported: %s", line_no, suite, mm_errname(e));
            }
            const mm_hpke_cose_suite *s = mm_hpke_cose_suite_find(key.alg);
            assert_non_null(s);
            assert_string_equal(s->name, suite);
            keys++;
            continue;
        }
        if (strncmp(line, "Ciphertext: ", 12) == 0) {
            size_t mlen = mm_test_unhex(line + 12, msg, sizeof msg);
            vec_inputs in = {strstr(title, "external aad") != NULL, strstr(title, "external info") != NULL,
                             strstr(title, "external hpke aad") != NULL, strstr(title, "PSK") != NULL};
            const mm_hpke_cose_suite *s = mm_hpke_cose_suite_find(key.alg);
            assert_non_null(s);
            bool ke = s->key_encryption != 0;
            assert_int_equal(msg[0], ke ? 0xd8 : 0xd0); /* tag 96 or 16 */
            run_vector(mm_bytes_make(msg, mlen), &key, &in, ke, line_no);
            if (ke && msg[9] != 0x4c) { /* 96([h'a1010n', {5: h'<IV>'}...: 0x4c is a 12-byte bstr */
                long_iv_messages++;
            }
            suite_tally *t = tally_of(tallies, &n_tallies, suite);
            *(ke ? (in.psk ? &t->encrypt_psk : &t->encrypt) : (in.psk ? &t->encrypt0_psk : &t->encrypt0)) += 1;
            messages++;
            continue;
        }
        if (strncmp(line, suite, strlen(suite)) == 0 && strstr(line, " with ") != NULL) {
            snprintf(title, sizeof title, "%s", line);
        }
    }
    mm_key_free(&key);
    free(data);
    for (size_t i = 0; i < n_tallies; i++) {
        const suite_tally *t = &tallies[i];
        if (t->encrypt != 0 || t->encrypt_psk != 0) {
            printf("[ VECTORS  ] %-10s COSE_Encrypt: %zu base, %zu PSK decrypted, tampering refused\n", t->name,
                   t->encrypt, t->encrypt_psk);
        } else {
            printf("[ VECTORS  ] %-10s COSE_Encrypt0: %zu base, %zu PSK decrypted, tampering refused\n", t->name,
                   t->encrypt0, t->encrypt0_psk);
        }
    }
    printf("[ VECTORS  ] COSE-HPKE: %zu keys, %zu messages decrypted, 0 skipped; of them %zu Key Encryption "
           "messages with a content IV of 16 or 32 bytes, which mamori refuses (RFC 9053 4.1 fixes AES-GCM's nonce at "
           "96 bits): their HPKE layer gave the CEK through mamori and libcrypto decrypted the content with it\n",
           keys, messages, long_iv_messages);
    assert_int_equal(messages, 120);
    assert_int_equal(long_iv_messages, 40);
}

/* The examples in the draft's text (section "Examples"). */
static void test_draft_examples(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        /* HPKE-0 Integrated Encryption to "bob": the COSE_Key's d, and the message. */
        {"a501022001215820"
         "02a8e3315f96bc7355dbf85740c6d8e53fb070cd8ba5c419be49a91d789ef55c"
         "225820"
         "96b6621abf5ca532e042dc5c346c1ef0c9186b83cb122e50a46f1458de023d35"
         "235820"
         "eca39300147c91a2a65d17e00ea278b57a14178245bf5686d9a404cca1816b8e",
         "d08344a1011823a20443626f622358410457229bdd99407b384a9e59fa15"
         "53224d58b106e9ebebdaa06d2126bd96757674847669966ecb0dcdf21af5"
         "623f19f0b799b0cddf3ee930b739dd474f6282de0158253f3c1595e9d252"
         "e816215a9ce73f47ba4b57acb06ecc39ca5a03a14108bbe7807af5688d61"},
        /* HPKE-0-KE Key Encryption to "bob". */
        {"a70102024362"
         "6f6203182e2001215820d832916778598ea6203af974c97b"
         "45970ac0266fc6a3b7f213ba9f8b591b92972258208d9410599a8e83d00e"
         "b46d67b34d4dac8fbd4b8b1f08864599659cee9ef09184235820b1162c56"
         "8efcba91c8e4e82f66e36b45aa10bc55228cf65ecd3bb29cfb09f989",
         "d8608443a10101a1055089115f10ecc1c7fd834442cb87929bc15825534d"
         "b92f5366e3cadd096774a9576bb8d8867e75ea38c329ecfc7b8793c5a4ae"
         "9603e5b0b6818349a201182e0443626f62a12358410417cd85837981ddb1"
         "4963061ab5fb7308988eb922f87cf6cf6ef83556f7657922c9815947e41b"
         "9bc932e48c6f1c4677d9a5506a30d694587628b5193a4cde2f3f58204b50"
         "8a340e463c317f4e62fb8d08c887cac4788087ad022562d05855a50ca4a0"},
    };
    for (size_t i = 0; i < 2; i++) {
        uint8_t kb[256], mb[512], pt[64];
        size_t klen = mm_test_unhex(cases[i][0], kb, sizeof kb);
        size_t mlen = mm_test_unhex(cases[i][1], mb, sizeof mb);
        mm_key key;
        assert_int_equal(mm_cose_key_import(crypto, mm_bytes_make(kb, klen), 0, &key, NULL), MM_OK);
        size_t pt_len = 0;
        mm_err e = decrypt(mm_bytes_make(mb, mlen), &key, &none, NULL, pt, sizeof pt, &pt_len);
        if (e != MM_OK) {
            fail_msg("draft example %zu: %s (%s)", i, mm_strerror(e), mm_errname(e));
        }
        /* The draft says "This is the content."; the plaintext of both
         * examples ends with a newline as well. The Key Encryption example
         * has a 16-byte content IV (see decrypt_long_iv). */
        if (pt_len != 21 || memcmp(pt, "This is the content.\n", 21) != 0) {
            fail_msg("draft example %zu: plaintext %s", i, mm_test_hex(mm_bytes_make(pt, pt_len)));
        }
        mm_key_free(&key);
    }
}

/*
 * Round trips.
 */

static void generate_for(int32_t alg, bool pinned, mm_key *priv, mm_key *pub)
{
    const mm_hpke_cose_suite *s = mm_hpke_cose_suite_find(alg);
    assert_non_null(s);
    int32_t kty = 0;
    int32_t crv = 0;
    assert_int_equal(mm_hpke_kem_key_type(s->suite.kem, &kty, &crv), MM_OK);
    assert_int_equal(mm_key_generate(crypto, kty, crv, pinned ? alg : 0, 0, priv), MM_OK);
    uint8_t buf[2 * MM_EC_COORD_MAX];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(priv, 0, &parts, buf, sizeof buf), MM_OK);
    assert_int_equal(mm_key_import(crypto, &parts, 0, pub), MM_OK);
}

static const uint8_t psk32[32] = "0123456789abcdef0123456789abcdef";
static const uint8_t psk_id_cbor[] = {0x46, 'p', 's', 'k', '-', 'i', 'd'}; /* h'psk-id' */

static void test_integrated_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; mm_hpke_cose_suite_at(i) != NULL; i++) {
        const mm_hpke_cose_suite *s = mm_hpke_cose_suite_at(i);
        if (s->key_encryption) {
            continue;
        }
        for (int variant = 0; variant < 4; variant++) {
            bool psk = (variant & 1) != 0;
            bool detached = (variant & 2) != 0;
            mm_key priv, pub;
            generate_for(s->alg, variant == 0, &priv, &pub);
            mm_cose_param p = {MM_HDR_HPKE_PSK_ID, mm_bytes_make(psk_id_cbor, sizeof psk_id_cbor), MM_COSE_PROTECTED};
            mm_hpke_cose_opts ho;
            memset(&ho, 0, sizeof ho);
            ho.info = MM_BYTES_LIT("info");
            ho.psk = psk ? mm_bytes_make(psk32, sizeof psk32) : none;
            uint8_t out[512], det[128], pt[128];
            mm_buf dbuf = mm_buf_make(det, sizeof det);
            mm_cose_encrypt_opts o;
            memset(&o, 0, sizeof o);
            o.crypto = crypto;
            o.alg = s->alg;
            o.key = &pub;
            o.kid = MM_BYTES_LIT("bob");
            o.params = psk ? &p : NULL;
            o.n_params = psk ? 1 : 0;
            o.external_aad = MM_BYTES_LIT("aad");
            o.algs = mm_hpke_cose_algs();
            o.alg_opts = &ho;
            o.flags = detached ? MM_COSE_DETACHED : 0;
            o.detached = &dbuf;
            /* Sizing first, then the message. */
            mm_buf sizing = mm_buf_make(NULL, 0);
            assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("payload"), &sizing), MM_ERR_BUFFER_TOO_SMALL);
            mm_buf b = mm_buf_make(out, sizeof out);
            assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("payload"), &b), MM_OK);
            assert_int_equal(b.len, sizing.len);

            mm_cose_encrypt m;
            assert_int_equal(mm_cose_encrypt0_decode(mm_bytes_make(out, b.len), &m, NULL), MM_OK);
            assert_true((m.hdr.protected_bits & MM_HDRBIT_ALG) != 0);
            assert_int_equal(m.detached, detached);
            mm_bytes ek;
            bool in_prot = true;
            assert_int_equal(mm_cose_header_find(&m.hdr, MM_HDR_HPKE_EK, &ek, &in_prot), MM_OK);
            assert_false(in_prot);
            assert_int_equal(ek.len, 2 + mm_hpke_enc_len(s->suite.kem));
            mm_cose_decrypt_opts d;
            memset(&d, 0, sizeof d);
            d.crypto = crypto;
            d.key = &priv;
            d.external_aad = MM_BYTES_LIT("aad");
            d.algs = mm_hpke_cose_algs();
            d.alg_opts = &ho;
            d.ciphertext = detached ? mm_bytes_make(det, dbuf.len) : none;
            mm_buf pb = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &pb), MM_OK);
            assert_int_equal(pb.len, 7);
            assert_memory_equal(pt, "payload", 7);
            /* The public key cannot decrypt; the default registry does not
             * know the algorithm. */
            d.key = &pub;
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &pb), MM_ERR_ALG_MISMATCH);
            d.key = &priv;
            d.algs = NULL;
            assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &pb), MM_ERR_UNSUPPORTED_ALG);
            mm_key_free(&priv);
            mm_key_free(&pub);
        }
    }
}

/* Several recipients: two COSE-HPKE ones of different curves and an AES
 * key-wrap one; each opens the message with its own key. */
static void test_key_encryption_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; mm_hpke_cose_suite_at(i) != NULL; i++) {
        const mm_hpke_cose_suite *s = mm_hpke_cose_suite_at(i);
        if (!s->key_encryption) {
            continue;
        }
        for (int psk = 0; psk < 2; psk++) {
            mm_key priv, pub, priv2, pub2, kek;
            generate_for(s->alg, true, &priv, &pub);
            generate_for(MM_ALG_HPKE_4_KE, false, &priv2, &pub2);
            assert_int_equal(mm_key_generate(crypto, MM_KTY_SYMMETRIC, 128, MM_ALG_A128KW, 0, &kek), MM_OK);
            mm_hpke_cose_opts ho;
            memset(&ho, 0, sizeof ho);
            ho.extra_info = MM_BYTES_LIT("extra");
            ho.hpke_aad = MM_BYTES_LIT("hpke aad");
            ho.psk = psk ? mm_bytes_make(psk32, sizeof psk32) : none;
            mm_cose_param params[2] = {
                {MM_HDR_KID,
                 MM_BYTES_LIT("\x43"
                              "bob"),
                 MM_COSE_PROTECTED},
                {MM_HDR_HPKE_PSK_ID, mm_bytes_make(psk_id_cbor, sizeof psk_id_cbor), MM_COSE_PROTECTED},
            };
            mm_cose_recipient_opts r[3];
            memset(r, 0, sizeof r);
            r[0].alg = s->alg;
            r[0].key = &pub;
            r[0].params = params;
            r[0].n_params = psk ? 2 : 1;
            r[0].alg_opts = &ho;
            r[1].alg = MM_ALG_HPKE_4_KE;
            r[1].key = &pub2;
            r[1].kid = MM_BYTES_LIT("carol");
            r[2].alg = MM_ALG_A128KW;
            r[2].key = &kek;
            mm_cose_encrypt_opts o;
            memset(&o, 0, sizeof o);
            o.crypto = crypto;
            o.alg = s->suite.aead == MM_HPKE_AEAD_AES128GCM ? MM_ALG_A128GCM : MM_ALG_A256GCM;
            o.recipients = r;
            o.n_recipients = 3;
            o.algs = mm_hpke_cose_algs();
            uint8_t out[1024], pt[64];
            mm_buf b = mm_buf_make(out, sizeof out);
            assert_int_equal(mm_cose_encrypt_create(&o, MM_BYTES_LIT("content"), &b), MM_OK);

            mm_cose_encrypt m;
            mm_cose_recipient rs[3];
            assert_int_equal(mm_cose_encrypt_decode(mm_bytes_make(out, b.len), &m, rs, 3, NULL), MM_OK);
            assert_int_equal(m.n_recipients, 3);
            mm_cose_decrypt_opts d;
            memset(&d, 0, sizeof d);
            d.crypto = crypto;
            d.algs = mm_hpke_cose_algs();
            const mm_key *keys[3] = {&priv, &priv2, &kek};
            const mm_hpke_cose_opts *hos[3] = {&ho, NULL, NULL};
            for (size_t k = 0; k < 3; k++) {
                d.key = keys[k];
                d.alg_opts = hos[k];
                mm_buf pb = mm_buf_make(pt, sizeof pt);
                mm_err e = mm_cose_encrypt_decrypt(&m, &d, &pb);
                if (e != MM_OK) {
                    fail_msg("%s psk %d recipient %zu: %s", s->name, psk, k, mm_errname(e));
                }
                assert_int_equal(pb.len, 7);
            }
            /* The recipient's extra info and HPKE aad are bound. */
            mm_hpke_cose_opts wrong = ho;
            wrong.extra_info = MM_BYTES_LIT("extrA");
            d.key = &priv;
            d.alg_opts = &wrong;
            mm_buf pb = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_cose_encrypt_decrypt(&m, &d, &pb), MM_ERR_VERIFY);
            wrong = ho;
            wrong.hpke_aad = none;
            assert_int_equal(mm_cose_encrypt_decrypt(&m, &d, &pb), MM_ERR_VERIFY);
            mm_key_free(&priv);
            mm_key_free(&pub);
            mm_key_free(&priv2);
            mm_key_free(&pub2);
            mm_key_free(&kek);
        }
    }
}

/* The content algorithm is bound into the Recipient_structure: the
 * recipient's CEK does not come out for another next-layer algorithm,
 * even one with a key of the same length. */
static void test_next_layer_alg_bound(void **state)
{
    (void)state;
    mm_key priv, pub;
    generate_for(MM_ALG_HPKE_0_KE, false, &priv, &pub);
    mm_cose_recipient_opts r;
    memset(&r, 0, sizeof r);
    r.alg = MM_ALG_HPKE_0_KE;
    r.key = &pub;
    mm_cose_encrypt_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.alg = MM_ALG_A256GCM;
    o.recipients = &r;
    o.n_recipients = 1;
    o.algs = mm_hpke_cose_algs();
    uint8_t out[512];
    mm_buf b = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_cose_encrypt_create(&o, MM_BYTES_LIT("content"), &b), MM_OK);
    mm_cose_encrypt m;
    mm_cose_recipient rs[1];
    assert_int_equal(mm_cose_encrypt_decode(mm_bytes_make(out, b.len), &m, rs, 1, NULL), MM_OK);
    const mm_cose_rcpt_alg *entry = mm_cose_find_rcpt_alg(mm_hpke_cose_algs(), MM_ALG_HPKE_0_KE);
    assert_non_null(entry);
    mm_cose_rcpt_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.crypto = crypto;
    ctx.key = &priv;
    ctx.cek_len = 32;
    ctx.hdr = &rs[0].hdr;
    ctx.ciphertext = rs[0].ciphertext;
    uint8_t cek[MM_SYMKEY_MAX];
    ctx.content_alg = MM_ALG_A256GCM;
    assert_int_equal(entry->decrypt(&ctx, cek), MM_OK);
    ctx.content_alg = MM_ALG_CHACHA20_POLY1305;
    assert_int_equal(entry->decrypt(&ctx, cek), MM_ERR_VERIFY);
    mm_key_free(&priv);
    mm_key_free(&pub);
}

/* An Encrypt0 written by hand: protected alg (0: empty bucket),
 * unprotected alg, ek (as bstr, as an int, or none) and an unprotected
 * psk_id, around a ciphertext. */
typedef struct hand_made {
    int prot_alg, unprot_alg;
    int ek; /* 0 none, 1 bstr, 2 an int */
    bool psk_id_unprotected;
} hand_made;

static size_t build_encrypt0(const hand_made *h, mm_bytes ek, mm_bytes ct, uint8_t *buf, size_t cap)
{
    mm_cbor_enc e;
    mm_cbor_enc_init(&e, buf, cap);
    mm_cbor_put_tag(&e, MM_COSE_TAG_ENCRYPT0);
    mm_cbor_put_array(&e, 3);
    if (h->prot_alg != 0) {
        mm_cbor_open_wrap(&e);
        mm_cbor_put_map(&e, 1);
        mm_cbor_put_int(&e, MM_HDR_ALG);
        mm_cbor_put_int(&e, h->prot_alg);
        mm_cbor_close(&e, NULL);
    } else {
        mm_cbor_put_bstr(&e, none);
    }
    mm_cbor_open_map(&e);
    if (h->unprot_alg != 0) {
        mm_cbor_put_int(&e, MM_HDR_ALG);
        mm_cbor_put_int(&e, h->unprot_alg);
    }
    if (h->ek != 0) {
        mm_cbor_put_int(&e, MM_HDR_HPKE_EK);
        if (h->ek == 1) {
            mm_cbor_put_bstr(&e, ek);
        } else {
            mm_cbor_put_int(&e, 7);
        }
    }
    if (h->psk_id_unprotected) {
        mm_cbor_put_int(&e, MM_HDR_HPKE_PSK_ID);
        mm_cbor_put_bstr(&e, MM_BYTES_LIT("id"));
    }
    mm_cbor_close(&e, NULL);
    mm_cbor_put_bstr(&e, ct);
    size_t len = 0;
    assert_int_equal(mm_cbor_enc_finish(&e, &len), MM_OK);
    return len;
}

/* What the draft and mamori refuse, when creating and when decrypting. */
static void test_refusals(void **state)
{
    (void)state;
    mm_key priv, pub, other;
    generate_for(MM_ALG_HPKE_3, false, &priv, &pub);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, 0, 0, &other), MM_OK);
    uint8_t out[512], pt[64];
    mm_cose_encrypt_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = crypto;
    o.key = &pub;
    o.algs = mm_hpke_cose_algs();
    mm_buf b = mm_buf_make(out, sizeof out);
    /* An algorithm of the other mode, and no registry. */
    o.alg = MM_ALG_HPKE_3_KE;
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_UNSUPPORTED_ALG);
    o.alg = MM_ALG_HPKE_3;
    o.algs = NULL;
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_UNSUPPORTED_ALG);
    o.algs = mm_hpke_cose_algs();
    /* A key of another curve; an IV (HPKE makes its own nonces); ek or an
     * unprotected psk_id as a parameter; a PSK without its id. */
    o.key = &other;
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_ALG_MISMATCH);
    o.key = &pub;
    o.iv = MM_BYTES_LIT("123456789012");
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_INVALID_ARG);
    o.iv = none;
    mm_cose_param p = {MM_HDR_HPKE_EK, MM_BYTES_LIT("\x41\x00"), 0};
    o.params = &p;
    o.n_params = 1;
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_INVALID_ARG);
    p.label = MM_HDR_HPKE_PSK_ID;
    mm_hpke_cose_opts ho;
    memset(&ho, 0, sizeof ho);
    ho.psk = mm_bytes_make(psk32, sizeof psk32);
    o.alg_opts = &ho;
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_INVALID_ARG);
    o.n_params = 0;
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_ERR_INVALID_ARG);
    o.alg_opts = NULL;
    /* As a recipient, an integrated algorithm is unknown. */
    mm_cose_recipient_opts r;
    memset(&r, 0, sizeof r);
    r.alg = MM_ALG_HPKE_3;
    r.key = &pub;
    mm_cose_encrypt_opts eo = o;
    eo.alg = MM_ALG_A128GCM;
    eo.recipients = &r;
    eo.n_recipients = 1;
    assert_int_equal(mm_cose_encrypt_create(&eo, MM_BYTES_LIT("x"), &b), MM_ERR_UNSUPPORTED_ALG);

    /* Hand-made layers around one real ek and ciphertext. */
    b = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_cose_encrypt0_create(&o, MM_BYTES_LIT("x"), &b), MM_OK);
    mm_cose_encrypt m;
    assert_int_equal(mm_cose_encrypt0_decode(mm_bytes_make(out, b.len), &m, NULL), MM_OK);
    mm_bytes ek_enc;
    assert_int_equal(mm_cose_header_find(&m.hdr, MM_HDR_HPKE_EK, &ek_enc, NULL), MM_OK);
    mm_bytes ek = mm_bytes_make(ek_enc.ptr + 2, ek_enc.len - 2);
    mm_bytes ct = m.ciphertext;
    static const struct {
        const char *what;
        hand_made h;
        mm_err want;
    } cases[] = {
        {"the original", {MM_ALG_HPKE_3, 0, 1, false}, MM_OK},
        {"alg unprotected", {0, MM_ALG_HPKE_3, 1, false}, MM_ERR_ALG_UNPROTECTED},
        {"no ek", {MM_ALG_HPKE_3, 0, 0, false}, MM_ERR_MISSING_FIELD},
        {"ek not a bstr", {MM_ALG_HPKE_3, 0, 2, false}, MM_ERR_CBOR_TYPE},
        {"psk_id unprotected", {MM_ALG_HPKE_3, 0, 1, true}, MM_ERR_CBOR_TYPE},
        {"a key-encryption alg", {MM_ALG_HPKE_3_KE, 0, 1, false}, MM_ERR_UNSUPPORTED_ALG},
        {"another integrated alg", {MM_ALG_HPKE_4, 0, 1, false}, MM_ERR_VERIFY},
    };
    mm_cose_decrypt_opts d;
    memset(&d, 0, sizeof d);
    d.crypto = crypto;
    d.key = &priv;
    d.algs = mm_hpke_cose_algs();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t msg[256];
        size_t n = build_encrypt0(&cases[i].h, ek, ct, msg, sizeof msg);
        mm_cose_encrypt mm;
        mm_err e = mm_cose_encrypt0_decode(mm_bytes_make(msg, n), &mm, NULL);
        if (e == MM_OK) {
            mm_buf pb = mm_buf_make(pt, sizeof pt);
            e = mm_cose_encrypt0_decrypt(&mm, &d, &pb);
        }
        if (e != cases[i].want) {
            fail_msg("%s: %s, expected %s", cases[i].what, mm_errname(e), mm_errname(cases[i].want));
        }
    }
    /* A key pinned to another suite of its curve does not serve this one. */
    mm_key pinned;
    uint8_t kb[2 * MM_EC_COORD_MAX];
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    mm_key_free(&other);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_OKP, MM_CRV_X25519, MM_ALG_HPKE_4, MM_KEY_EXTRACTABLE, &other),
                     MM_OK);
    assert_int_equal(mm_key_export(&other, MM_EXPORT_PRIVATE, &parts, kb, sizeof kb), MM_OK);
    assert_int_equal(mm_key_import(crypto, &parts, 0, &pinned), MM_OK);
    d.key = &pinned;
    mm_buf pb = mm_buf_make(pt, sizeof pt);
    assert_int_equal(mm_cose_encrypt0_decrypt(&m, &d, &pb), MM_ERR_ALG_MISMATCH);
    mm_key_free(&pinned);
    mm_key_free(&priv);
    mm_key_free(&pub);
    mm_key_free(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draft_vectors),          cmocka_unit_test(test_draft_examples),
        cmocka_unit_test(test_integrated_round_trips), cmocka_unit_test(test_key_encryption_round_trips),
        cmocka_unit_test(test_next_layer_alg_bound),   cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
