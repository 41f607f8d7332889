/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HPKE (RFC 9180) with the OpenSSL backend:
 *
 * - every entry of the RFC's test vectors (../shared/vectors/hpke): the
 *   key pairs from DeriveKeyPair(ikm), the sender's enc from the fixed
 *   ephemeral key, the context's base_nonce and exporter_secret, every
 *   encryption in sequence order sealed to the listed ciphertext and opened
 *   back, every export on both sides. A suite mamori reports as unsupported
 *   is skipped only when the allow-list below names it, with its reason;
 *   an allow-list entry that is not met fails, so nothing is skipped
 *   silently or for good. Counts are printed per suite.
 * - round trips of every suite mamori implements, in all four modes (the
 *   vectors have no P-384 or HKDF-SHA384), and the refusals: a flipped bit
 *   of the ciphertext, another aad, info, PSK, sender key or recipient key,
 *   messages out of order, a malformed or low-order enc.
 * - the context's rules: roles, export-only suites, the sequence number's
 *   overflow, PSK inputs, buffer sizing.
 */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "mamori/crypto_test.h"
#include "mamori/hpke.h"
#include "mm_test.h"

static const mm_crypto *crypto;

static int setup(void **state)
{
    (void)state;
    crypto = mm_crypto_openssl();
    return 0;
}

static const mm_bytes none = {NULL, 0};

/* A hex member of o into buf (empty when absent). */
static mm_bytes jhex(json_t *o, const char *k, uint8_t *buf, size_t cap)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s != NULL ? mm_bytes_make(buf, mm_test_unhex(s, buf, cap)) : none;
}

static void assert_bytes(mm_bytes got, mm_bytes want, const char *what, size_t entry)
{
    if (got.len != want.len || (want.len != 0 && memcmp(got.ptr, want.ptr, want.len) != 0)) {
        char g[600];
        snprintf(g, sizeof g, "%s", mm_test_hex(got));
        fail_msg("vector %zu: %s is %s, expected %s", entry, what, g, mm_test_hex(want));
    }
}

static void check(mm_err e, const char *what, size_t entry)
{
    if (e != MM_OK) {
        fail_msg("vector %zu: %s: %s (%s)", entry, what, mm_strerror(e), mm_errname(e));
    }
}

/* The private scalar and serialized public key of k. */
static void check_key_pair(uint16_t kem, const mm_key *k, mm_bytes sk, mm_bytes pk, const char *who, size_t entry)
{
    uint8_t buf[2 * MM_EC_COORD_MAX + MM_EC_COORD_MAX];
    mm_key_parts parts;
    char what[32];
    snprintf(what, sizeof what, "sk%sm", who);
    check(mm_key_export(k, MM_EXPORT_PRIVATE, &parts, buf, sizeof buf), what, entry);
    assert_bytes(parts.d, sk, what, entry);
    uint8_t ser[MM_HPKE_ENC_MAX];
    size_t ser_len = 0;
    snprintf(what, sizeof what, "pk%sm", who);
    check(mm_hpke_serialize_public_key(kem, k, ser, &ser_len), what, entry);
    assert_bytes(mm_bytes_make(ser, ser_len), pk, what, entry);
}

/*
 * What is skipped, and why: a suite mamori (with the OpenSSL backend)
 * reports unsupported must be listed here. Every suite of the vector file
 * runs today, so the list holds only its end marker.
 */
static const struct allowed_skip {
    uint16_t kem, kdf, aead;
    const char *reason;
} allowed_skips[] = {
    {0, 0, 0, NULL},
};
#define N_ALLOWED (sizeof allowed_skips / sizeof allowed_skips[0])

/* Counts per suite, printed at the end. */
typedef struct suite_count {
    mm_hpke_suite suite;
    size_t entries, encryptions, exports, skipped;
    unsigned modes; /* bit per mode seen */
    const char *skip_reason;
} suite_count;

#define MAX_SUITES 64

static suite_count *count_of(suite_count *counts, size_t *n, mm_hpke_suite s)
{
    for (size_t i = 0; i < *n; i++) {
        if (counts[i].suite.kem == s.kem && counts[i].suite.kdf == s.kdf && counts[i].suite.aead == s.aead) {
            return &counts[i];
        }
    }
    assert_true(*n < MAX_SUITES);
    memset(&counts[*n], 0, sizeof counts[*n]);
    counts[*n].suite = s;
    return &counts[(*n)++];
}

/* Runs one vector entry; returns false when it is skipped (listed). */
static bool run_entry(json_t *v, size_t entry, suite_count *count, bool *allowed_used)
{
    mm_hpke_suite s = {(uint16_t)json_integer_value(json_object_get(v, "kem_id")),
                       (uint16_t)json_integer_value(json_object_get(v, "kdf_id")),
                       (uint16_t)json_integer_value(json_object_get(v, "aead_id"))};
    uint8_t mode = (uint8_t)json_integer_value(json_object_get(v, "mode"));
    uint8_t b_ikm_r[128], b_ikm_e[128], b_ikm_s[128], b_sk_r[128], b_pk_r[160], b_sk_e[128], b_pk_e[160];
    uint8_t b_sk_s[128], b_pk_s[160], b_enc[160], b_info[256], b_psk[128], b_psk_id[128], b_nonce[16];
    uint8_t b_exp[128];
    mm_bytes ikm_r = jhex(v, "ikmR", b_ikm_r, sizeof b_ikm_r);
    mm_bytes ikm_e = jhex(v, "ikmE", b_ikm_e, sizeof b_ikm_e);
    mm_bytes ikm_s = jhex(v, "ikmS", b_ikm_s, sizeof b_ikm_s);
    mm_bytes sk_rm = jhex(v, "skRm", b_sk_r, sizeof b_sk_r);
    mm_bytes pk_rm = jhex(v, "pkRm", b_pk_r, sizeof b_pk_r);
    mm_bytes sk_em = jhex(v, "skEm", b_sk_e, sizeof b_sk_e);
    mm_bytes pk_em = jhex(v, "pkEm", b_pk_e, sizeof b_pk_e);
    mm_bytes sk_sm = jhex(v, "skSm", b_sk_s, sizeof b_sk_s);
    mm_bytes pk_sm = jhex(v, "pkSm", b_pk_s, sizeof b_pk_s);
    mm_bytes enc = jhex(v, "enc", b_enc, sizeof b_enc);
    mm_bytes info = jhex(v, "info", b_info, sizeof b_info);
    mm_bytes psk = jhex(v, "psk", b_psk, sizeof b_psk);
    mm_bytes psk_id = jhex(v, "psk_id", b_psk_id, sizeof b_psk_id);
    mm_bytes base_nonce = jhex(v, "base_nonce", b_nonce, sizeof b_nonce);
    mm_bytes exporter_secret = jhex(v, "exporter_secret", b_exp, sizeof b_exp);

    /* The recipient's key pair: unsupported here means a skipped suite. */
    mm_key sk_r;
    mm_err e = mm_hpke_derive_key_pair(crypto, s.kem, ikm_r, MM_KEY_EXTRACTABLE, &sk_r);
    if (e == MM_OK) {
        e = mm_hpke_suite_check(s);
        if (e != MM_OK) {
            mm_key_free(&sk_r);
        }
    }
    if (e == MM_ERR_UNSUPPORTED || e == MM_ERR_UNSUPPORTED_ALG) {
        for (size_t i = 0; allowed_skips[i].reason != NULL; i++) {
            const struct allowed_skip *a = &allowed_skips[i];
            if (a->kem == s.kem && (a->kdf == 0 || a->kdf == s.kdf) && (a->aead == 0 || a->aead == s.aead)) {
                allowed_used[i] = true;
                count->skip_reason = a->reason;
                count->skipped++;
                return false;
            }
        }
        fail_msg("vector %zu: suite %04x/%04x/%04x is unsupported (%s), which the allow-list does not name", entry,
                 s.kem, s.kdf, s.aead, mm_errname(e));
    }
    check(e, "DeriveKeyPair(ikmR)", entry);
    check_key_pair(s.kem, &sk_r, sk_rm, pk_rm, "R", entry);

    mm_key sk_e;
    check(mm_hpke_derive_key_pair(crypto, s.kem, ikm_e, MM_KEY_EXTRACTABLE, &sk_e), "DeriveKeyPair(ikmE)", entry);
    check_key_pair(s.kem, &sk_e, sk_em, pk_em, "E", entry);

    /* The sender encrypts to pkR as the vector serializes it. */
    mm_key pk_r;
    check(mm_hpke_deserialize_public_key(crypto, s.kem, pk_rm, &pk_r), "DeserializePublicKey(pkRm)", entry);

    bool auth = (mode & MM_HPKE_MODE_AUTH) != 0;
    mm_key sk_s;
    mm_key pk_s;
    memset(&sk_s, 0, sizeof sk_s);
    memset(&pk_s, 0, sizeof pk_s);
    if (auth) {
        check(mm_hpke_derive_key_pair(crypto, s.kem, ikm_s, MM_KEY_EXTRACTABLE, &sk_s), "DeriveKeyPair(ikmS)", entry);
        check_key_pair(s.kem, &sk_s, sk_sm, pk_sm, "S", entry);
        check(mm_hpke_deserialize_public_key(crypto, s.kem, pk_sm, &pk_s), "DeserializePublicKey(pkSm)", entry);
    }

    mm_hpke_opts so;
    memset(&so, 0, sizeof so);
    so.info = info;
    so.psk = psk;
    so.psk_id = psk_id;
    so.auth_key = auth ? &sk_s : NULL;
    so.ephemeral = &sk_e;
    mm_hpke_opts ro = so;
    ro.auth_key = auth ? &pk_s : NULL;
    ro.ephemeral = NULL;

    mm_hpke_ctx sender;
    mm_hpke_ctx recipient;
    uint8_t enc_out[MM_HPKE_ENC_MAX];
    size_t enc_len = 0;
    check(mm_hpke_setup_sender(&sender, crypto, s, &pk_r, &so, enc_out, &enc_len), "SetupS", entry);
    assert_int_equal(sender.mode, mode);
    assert_bytes(mm_bytes_make(enc_out, enc_len), enc, "enc", entry);
    check(mm_hpke_setup_recipient(&recipient, crypto, s, &sk_r, &ro, enc), "SetupR", entry);
    if (s.aead != MM_HPKE_AEAD_EXPORT_ONLY) {
        assert_bytes(mm_bytes_make(sender.base_nonce, MM_HPKE_NONCE_LEN), base_nonce, "base_nonce", entry);
        assert_bytes(mm_bytes_make(recipient.base_nonce, MM_HPKE_NONCE_LEN), base_nonce, "base_nonce (R)", entry);
    }
    assert_bytes(mm_bytes_make(sender.exporter_secret, sender.exporter_len), exporter_secret, "exporter_secret", entry);
    assert_bytes(mm_bytes_make(recipient.exporter_secret, recipient.exporter_len), exporter_secret,
                 "exporter_secret (R)", entry);

    /* Every encryption, in sequence order, on both sides. */
    json_t *encs = json_object_get(v, "encryptions");
    for (size_t i = 0; i < json_array_size(encs); i++) {
        json_t *x = json_array_get(encs, i);
        uint8_t b_aad[64], b_pt[128], b_ct[160], out[160];
        mm_bytes aad = jhex(x, "aad", b_aad, sizeof b_aad);
        mm_bytes pt = jhex(x, "pt", b_pt, sizeof b_pt);
        mm_bytes ct = jhex(x, "ct", b_ct, sizeof b_ct);
        mm_buf buf = mm_buf_make(out, sizeof out);
        char what[48];
        snprintf(what, sizeof what, "seal #%zu", i);
        check(mm_hpke_ctx_seal(&sender, aad, pt, &buf), what, entry);
        assert_bytes(mm_bytes_make(out, buf.len), ct, what, entry);
        buf = mm_buf_make(out, sizeof out);
        snprintf(what, sizeof what, "open #%zu", i);
        check(mm_hpke_ctx_open(&recipient, aad, ct, &buf), what, entry);
        assert_bytes(mm_bytes_make(out, buf.len), pt, what, entry);
        count->encryptions++;
    }
    assert_int_equal(sender.seq, json_array_size(encs));

    json_t *exps = json_object_get(v, "exports");
    for (size_t i = 0; i < json_array_size(exps); i++) {
        json_t *x = json_array_get(exps, i);
        uint8_t b_ctx[64], b_val[128], out[128];
        mm_bytes exp_ctx = jhex(x, "exporter_context", b_ctx, sizeof b_ctx);
        mm_bytes value = jhex(x, "exported_value", b_val, sizeof b_val);
        size_t len = (size_t)json_integer_value(json_object_get(x, "L"));
        assert_true(len <= sizeof out);
        check(mm_hpke_ctx_export(&sender, exp_ctx, out, len), "export (S)", entry);
        assert_bytes(mm_bytes_make(out, len), value, "exported_value (S)", entry);
        check(mm_hpke_ctx_export(&recipient, exp_ctx, out, len), "export (R)", entry);
        assert_bytes(mm_bytes_make(out, len), value, "exported_value (R)", entry);
        count->exports++;
    }

    mm_hpke_ctx_finish(&sender);
    mm_hpke_ctx_finish(&recipient);
    mm_key_free(&sk_r);
    mm_key_free(&sk_e);
    mm_key_free(&pk_r);
    mm_key_free(&sk_s);
    mm_key_free(&pk_s);
    count->entries++;
    count->modes |= 1u << mode;
    return true;
}

static const char *kem_name(uint16_t kem)
{
    switch (kem) {
    case MM_HPKE_KEM_P256:
        return "DHKEM(P-256)";
    case MM_HPKE_KEM_P384:
        return "DHKEM(P-384)";
    case MM_HPKE_KEM_P521:
        return "DHKEM(P-521)";
    case MM_HPKE_KEM_X25519:
        return "DHKEM(X25519)";
    case MM_HPKE_KEM_X448:
        return "DHKEM(X448)";
    default:
        return "KEM(?)";
    }
}

static const char *kdf_name(uint16_t kdf)
{
    return kdf == MM_HPKE_KDF_SHA256 ? "HKDF-SHA256" : kdf == MM_HPKE_KDF_SHA384 ? "HKDF-SHA384" : "HKDF-SHA512";
}

static const char *aead_name(uint16_t aead)
{
    switch (aead) {
    case MM_HPKE_AEAD_AES128GCM:
        return "AES-128-GCM";
    case MM_HPKE_AEAD_AES256GCM:
        return "AES-256-GCM";
    case MM_HPKE_AEAD_CHACHA20POLY1305:
        return "ChaCha20Poly1305";
    default:
        return "export-only";
    }
}

static void test_rfc9180_vectors(void **state)
{
    (void)state;
    char path[1024];
    mm_test_shared_path("vectors/hpke/rfc9180-test-vectors.shared.json", path, sizeof path);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL) {
        fail_msg("%s: %s at line %d", path, jerr.text, jerr.line);
    }
    assert_true(json_is_array(root));
    suite_count counts[MAX_SUITES];
    size_t n_counts = 0;
    bool allowed_used[N_ALLOWED];
    memset(allowed_used, 0, sizeof allowed_used);
    size_t passed = 0;
    size_t skipped = 0;
    for (size_t i = 0; i < json_array_size(root); i++) {
        json_t *v = json_array_get(root, i);
        mm_hpke_suite s = {(uint16_t)json_integer_value(json_object_get(v, "kem_id")),
                           (uint16_t)json_integer_value(json_object_get(v, "kdf_id")),
                           (uint16_t)json_integer_value(json_object_get(v, "aead_id"))};
        if (run_entry(v, i, count_of(counts, &n_counts, s), allowed_used)) {
            passed++;
        } else {
            skipped++;
        }
    }
    for (size_t i = 0; allowed_skips[i].reason != NULL; i++) {
        if (!allowed_used[i]) {
            fail_msg("allow-list entry %04x/%04x/%04x (%s) was not met", allowed_skips[i].kem, allowed_skips[i].kdf,
                     allowed_skips[i].aead, allowed_skips[i].reason);
        }
    }
    for (size_t i = 0; i < n_counts; i++) {
        const suite_count *c = &counts[i];
        char modes[16] = "";
        for (unsigned m = 0; m < 4; m++) {
            if ((c->modes & (1u << m)) != 0) {
                size_t l = strlen(modes);
                snprintf(modes + l, sizeof modes - l, "%s%u", l == 0 ? "" : ",", m);
            }
        }
        if (c->skipped != 0) {
            printf("[ VECTORS  ] %-13s %s %-16s: %zu entries skipped: %s\n", kem_name(c->suite.kem),
                   kdf_name(c->suite.kdf), aead_name(c->suite.aead), c->skipped, c->skip_reason);
        } else {
            printf("[ VECTORS  ] %-13s %s %-16s: %zu entries passed (modes %s), %zu encryptions, %zu exports\n",
                   kem_name(c->suite.kem), kdf_name(c->suite.kdf), aead_name(c->suite.aead), c->entries, modes,
                   c->encryptions, c->exports);
        }
    }
    printf("[ VECTORS  ] RFC 9180: %zu entries, %zu passed, %zu skipped (%zu suites)\n", json_array_size(root), passed,
           skipped, n_counts);
    assert_int_equal(passed + skipped, json_array_size(root));
    json_decref(root);
}

/*
 * Round trips and refusals over every suite mamori implements.
 */

static const uint16_t all_kems[] = {MM_HPKE_KEM_P256, MM_HPKE_KEM_P384, MM_HPKE_KEM_P521, MM_HPKE_KEM_X25519,
                                    MM_HPKE_KEM_X448};
static const uint16_t all_kdfs[] = {MM_HPKE_KDF_SHA256, MM_HPKE_KDF_SHA384, MM_HPKE_KDF_SHA512};
static const uint16_t all_aeads[] = {MM_HPKE_AEAD_AES128GCM, MM_HPKE_AEAD_AES256GCM, MM_HPKE_AEAD_CHACHA20POLY1305,
                                     MM_HPKE_AEAD_EXPORT_ONLY};

static void generate(const mm_crypto *c, uint16_t kem, mm_key *out)
{
    int32_t kty = 0;
    int32_t crv = 0;
    assert_int_equal(mm_hpke_kem_key_type(kem, &kty, &crv), MM_OK);
    assert_int_equal(mm_key_generate(c, kty, crv, 0, 0, out), MM_OK);
}

/* The public half of a private key, through its serialization. */
static void public_of(const mm_crypto *c, uint16_t kem, const mm_key *priv, mm_key *out)
{
    uint8_t pk[MM_HPKE_ENC_MAX];
    size_t len = 0;
    assert_int_equal(mm_hpke_serialize_public_key(kem, priv, pk, &len), MM_OK);
    assert_int_equal(len, mm_hpke_enc_len(kem));
    assert_int_equal(mm_hpke_deserialize_public_key(c, kem, mm_bytes_make(pk, len), out), MM_OK);
}

static const uint8_t psk_bytes[32] = "a pre-shared key of 32 bytes ...";

/* Seal two messages and open them in all four modes; then the refusals. */
static void round_trip(const mm_crypto *c, mm_hpke_suite s)
{
    mm_key sk_r, pk_r, sk_s, pk_s, other;
    generate(c, s.kem, &sk_r);
    public_of(c, s.kem, &sk_r, &pk_r);
    generate(c, s.kem, &sk_s);
    public_of(c, s.kem, &sk_s, &pk_s);
    generate(c, s.kem, &other);
    bool export_only = s.aead == MM_HPKE_AEAD_EXPORT_ONLY;
    for (uint8_t mode = 0; mode < 4; mode++) {
        mm_hpke_opts so;
        memset(&so, 0, sizeof so);
        so.info = MM_BYTES_LIT("round trip info");
        if ((mode & MM_HPKE_MODE_PSK) != 0) {
            so.psk = mm_bytes_make(psk_bytes, sizeof psk_bytes);
            so.psk_id = MM_BYTES_LIT("psk id");
        }
        so.auth_key = (mode & MM_HPKE_MODE_AUTH) != 0 ? &sk_s : NULL;
        mm_hpke_opts ro = so;
        ro.auth_key = so.auth_key != NULL ? &pk_s : NULL;

        mm_hpke_ctx snd, rcv;
        uint8_t enc[MM_HPKE_ENC_MAX];
        size_t enc_len = 0;
        assert_int_equal(mm_hpke_setup_sender(&snd, c, s, &pk_r, &so, enc, &enc_len), MM_OK);
        assert_int_equal(snd.mode, mode);
        assert_int_equal(enc_len, mm_hpke_enc_len(s.kem));
        mm_bytes encb = mm_bytes_make(enc, enc_len);
        assert_int_equal(mm_hpke_setup_recipient(&rcv, c, s, &sk_r, &ro, encb), MM_OK);
        uint8_t e1[32], e2[32];
        assert_int_equal(mm_hpke_ctx_export(&snd, MM_BYTES_LIT("ctx"), e1, sizeof e1), MM_OK);
        assert_int_equal(mm_hpke_ctx_export(&rcv, MM_BYTES_LIT("ctx"), e2, sizeof e2), MM_OK);
        assert_memory_equal(e1, e2, sizeof e1);
        assert_int_equal(mm_hpke_ctx_export(&rcv, MM_BYTES_LIT("ctx2"), e2, sizeof e2), MM_OK);
        assert_memory_not_equal(e1, e2, sizeof e1);

        uint8_t ct1[64], ct2[64], pt[64];
        mm_buf b1 = mm_buf_make(ct1, sizeof ct1);
        mm_buf b2 = mm_buf_make(ct2, sizeof ct2);
        mm_buf p = mm_buf_make(pt, sizeof pt);
        if (export_only) {
            assert_int_equal(mm_hpke_ctx_seal(&snd, none, MM_BYTES_LIT("x"), &b1), MM_ERR_STATE);
            assert_int_equal(mm_hpke_ctx_open(&rcv, none, mm_bytes_make(ct1, 17), &p), MM_ERR_STATE);
        } else {
            assert_int_equal(mm_hpke_ctx_seal(&snd, MM_BYTES_LIT("aad"), MM_BYTES_LIT("first"), &b1), MM_OK);
            assert_int_equal(b1.len, 5 + MM_HPKE_TAG_LEN);
            assert_int_equal(mm_hpke_ctx_seal(&snd, MM_BYTES_LIT("aad"), MM_BYTES_LIT("first"), &b2), MM_OK);
            assert_memory_not_equal(ct1, ct2, b1.len); /* another nonce */
            /* Out of order: the second message does not open first. */
            assert_int_equal(mm_hpke_ctx_open(&rcv, MM_BYTES_LIT("aad"), mm_bytes_make(ct2, b2.len), &p),
                             MM_ERR_VERIFY);
            assert_int_equal(p.len, 0);
            assert_int_equal(rcv.seq, 0);
            /* Another aad, a flipped bit. */
            p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_hpke_ctx_open(&rcv, MM_BYTES_LIT("aaD"), mm_bytes_make(ct1, b1.len), &p),
                             MM_ERR_VERIFY);
            ct1[0] ^= 1;
            p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_hpke_ctx_open(&rcv, MM_BYTES_LIT("aad"), mm_bytes_make(ct1, b1.len), &p),
                             MM_ERR_VERIFY);
            ct1[0] ^= 1;
            p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_hpke_ctx_open(&rcv, MM_BYTES_LIT("aad"), mm_bytes_make(ct1, b1.len), &p), MM_OK);
            assert_int_equal(p.len, 5);
            assert_memory_equal(pt, "first", 5);
            p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_hpke_ctx_open(&rcv, MM_BYTES_LIT("aad"), mm_bytes_make(ct2, b2.len), &p), MM_OK);
            assert_int_equal(rcv.seq, 2);
            /* A sender does not open, a recipient does not seal. */
            assert_int_equal(mm_hpke_ctx_open(&snd, none, mm_bytes_make(ct2, b2.len), &p), MM_ERR_STATE);
            assert_int_equal(mm_hpke_ctx_seal(&rcv, none, none, &b1), MM_ERR_STATE);

            /* Single shot, and what a changed input does to it. */
            b1 = mm_buf_make(ct1, sizeof ct1);
            assert_int_equal(mm_hpke_seal(c, s, &pk_r, &so, none, MM_BYTES_LIT("once"), enc, &enc_len, &b1), MM_OK);
            encb = mm_bytes_make(enc, enc_len);
            mm_bytes ct = mm_bytes_make(ct1, b1.len);
            p = mm_buf_make(pt, sizeof pt);
            assert_int_equal(mm_hpke_open(c, s, &sk_r, &ro, encb, none, ct, &p), MM_OK);
            assert_int_equal(p.len, 4);
            mm_hpke_opts bad = ro;
            bad.info = MM_BYTES_LIT("other info");
            assert_int_equal(mm_hpke_open(c, s, &sk_r, &bad, encb, none, ct, &p), MM_ERR_VERIFY);
            assert_int_equal(mm_hpke_open(c, s, &other, &ro, encb, none, ct, &p), MM_ERR_VERIFY);
            if ((mode & MM_HPKE_MODE_PSK) != 0) {
                static const uint8_t other_psk[32] = "another pre-shared key, 32 bytes";
                bad = ro;
                bad.psk = mm_bytes_make(other_psk, sizeof other_psk);
                assert_int_equal(mm_hpke_open(c, s, &sk_r, &bad, encb, none, ct, &p), MM_ERR_VERIFY);
                bad = ro;
                bad.psk_id = MM_BYTES_LIT("psk iD");
                assert_int_equal(mm_hpke_open(c, s, &sk_r, &bad, encb, none, ct, &p), MM_ERR_VERIFY);
            }
            if ((mode & MM_HPKE_MODE_AUTH) != 0) {
                bad = ro;
                bad.auth_key = &pk_r; /* not the sender */
                assert_int_equal(mm_hpke_open(c, s, &sk_r, &bad, encb, none, ct, &p), MM_ERR_VERIFY);
                bad.auth_key = NULL; /* base or psk mode instead */
                assert_int_equal(mm_hpke_open(c, s, &sk_r, &bad, encb, none, ct, &p), MM_ERR_VERIFY);
            }
        }
        mm_hpke_ctx_finish(&snd);
        mm_hpke_ctx_finish(&rcv);
        mm_hpke_ctx_finish(&rcv); /* twice is harmless */
    }
    mm_key_free(&sk_r);
    mm_key_free(&pk_r);
    mm_key_free(&sk_s);
    mm_key_free(&pk_s);
    mm_key_free(&other);
}

static void test_round_trips(void **state)
{
    (void)state;
    size_t n = 0;
    for (size_t k = 0; k < sizeof all_kems / sizeof all_kems[0]; k++) {
        for (size_t d = 0; d < sizeof all_kdfs / sizeof all_kdfs[0]; d++) {
            for (size_t a = 0; a < sizeof all_aeads / sizeof all_aeads[0]; a++) {
                mm_hpke_suite s = {all_kems[k], all_kdfs[d], all_aeads[a]};
                assert_int_equal(mm_hpke_suite_check(s), MM_OK);
                round_trip(crypto, s);
                n++;
            }
        }
    }
    printf("[ ROUNDTRIP] %zu suites x 4 modes with the OpenSSL backend\n", n);
}

/* The deterministic test backend runs the same code (as fuzzing does). */
static void test_round_trips_test_backend(void **state)
{
    (void)state;
    mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    for (size_t k = 0; k < sizeof all_kems / sizeof all_kems[0]; k++) {
        mm_hpke_suite s = {all_kems[k], MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM};
        round_trip(&t.crypto, s);
    }
    assert_int_equal(mm_crypto_test_keys_in_use(&t), 0);
}

static void test_suite_ids(void **state)
{
    (void)state;
    mm_hpke_suite bad[] = {{0x0013, 1, 1}, {0x0010, 0x0004, 1}, {0x0010, 1, 0x0004}, {0, 0, 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(mm_hpke_suite_check(bad[i]), MM_ERR_UNSUPPORTED_ALG);
    }
    assert_int_equal(mm_hpke_enc_len(MM_HPKE_KEM_P256), 65);
    assert_int_equal(mm_hpke_enc_len(MM_HPKE_KEM_P384), 97);
    assert_int_equal(mm_hpke_enc_len(MM_HPKE_KEM_P521), 133);
    assert_int_equal(mm_hpke_enc_len(MM_HPKE_KEM_X25519), 32);
    assert_int_equal(mm_hpke_enc_len(MM_HPKE_KEM_X448), 56);
    assert_int_equal(mm_hpke_enc_len(0x0013), 0);
    mm_key k;
    uint8_t ikm[66] = {0};
    assert_int_equal(mm_hpke_derive_key_pair(crypto, 0x0013, mm_bytes_make(ikm, 32), 0, &k), MM_ERR_UNSUPPORTED_ALG);
    /* DeriveKeyPair wants at least Nsk bytes. */
    assert_int_equal(mm_hpke_derive_key_pair(crypto, MM_HPKE_KEM_P521, mm_bytes_make(ikm, 65), 0, &k),
                     MM_ERR_INVALID_ARG);
    assert_int_equal(mm_hpke_derive_key_pair(crypto, MM_HPKE_KEM_P521, mm_bytes_make(ikm, 66), 0, &k), MM_OK);
    mm_key_free(&k);
}

/* COSE-HPKE's table: the numbers the draft's vectors use. */
static void test_cose_suites(void **state)
{
    (void)state;
    static const int32_t integrated[] = {35, 37, 39, 41, 42, 43, 44, 45};
    for (size_t i = 0; i < 8; i++) {
        const mm_hpke_cose_suite *s = mm_hpke_cose_suite_find(integrated[i]);
        assert_non_null(s);
        assert_int_equal(s->key_encryption, 0);
        assert_int_equal(mm_hpke_suite_check(s->suite), MM_OK);
        const mm_hpke_cose_suite *ke = mm_hpke_cose_suite_find(46 + (int32_t)i);
        assert_non_null(ke);
        assert_int_equal(ke->key_encryption, 1);
        assert_memory_equal(&ke->suite, &s->suite, sizeof s->suite);
        char name[16];
        snprintf(name, sizeof name, "%s-KE", s->name);
        assert_string_equal(ke->name, name);
    }
    assert_int_equal(MM_ALG_HPKE_0, 35);
    assert_int_equal(MM_ALG_HPKE_7_KE, 53);
    assert_null(mm_hpke_cose_suite_find(36));
    assert_null(mm_hpke_cose_suite_find(MM_ALG_A128GCM));
    size_t n = 0;
    while (mm_hpke_cose_suite_at(n) != NULL) {
        n++;
    }
    assert_int_equal(n, 16);
    /* A key serves the suites of its curve, and its restriction holds. */
    mm_key p256;
    assert_int_equal(mm_key_generate(crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_HPKE_0, 0, &p256), MM_OK);
    assert_true(mm_key_allows(&p256, MM_ALG_HPKE_0, true));
    assert_false(mm_key_allows(&p256, MM_ALG_HPKE_7, true));
    assert_false(mm_key_allows(&p256, MM_ALG_HPKE_0_KE, true));
    mm_key_free(&p256);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_OKP, MM_CRV_X25519, 0, 0, &p256), MM_OK);
    assert_true(mm_key_allows(&p256, MM_ALG_HPKE_3, false));
    assert_true(mm_key_allows(&p256, MM_ALG_HPKE_4_KE, false));
    assert_false(mm_key_allows(&p256, MM_ALG_HPKE_0, false));
    mm_key_free(&p256);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_OKP, MM_CRV_X25519, MM_ALG_HPKE_0, 0, &p256), MM_ERR_KEY_USAGE);
}

static void test_context_rules(void **state)
{
    (void)state;
    mm_hpke_suite s = {MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_CHACHA20POLY1305};
    mm_key sk, pk, ed;
    generate(crypto, s.kem, &sk);
    public_of(crypto, s.kem, &sk, &pk);
    assert_int_equal(mm_key_generate(crypto, MM_KTY_OKP, MM_CRV_ED25519, 0, 0, &ed), MM_OK);
    mm_hpke_ctx snd, rcv;
    uint8_t enc[MM_HPKE_ENC_MAX];
    size_t enc_len = 0;

    /* PSK inputs come together, and a PSK has 32 bytes at least. */
    mm_hpke_opts o;
    memset(&o, 0, sizeof o);
    o.psk = mm_bytes_make(psk_bytes, sizeof psk_bytes);
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, &o, enc, &enc_len), MM_ERR_INVALID_ARG);
    assert_int_equal(snd.role, 0);
    o.psk = none;
    o.psk_id = MM_BYTES_LIT("id");
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, &o, enc, &enc_len), MM_ERR_INVALID_ARG);
    o.psk = mm_bytes_make(psk_bytes, 31);
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, &o, enc, &enc_len), MM_ERR_INVALID_ARG);
    /* Keys of another curve; a public key as the sender's. */
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &ed, NULL, enc, &enc_len), MM_ERR_KEY_USAGE);
    memset(&o, 0, sizeof o);
    o.auth_key = &pk;
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, &o, enc, &enc_len), MM_ERR_KEY_USAGE);
    /* The recipient needs its private key; no ephemeral key is its own. */
    assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &pk, NULL, mm_bytes_make(enc, 32)), MM_ERR_KEY_USAGE);
    memset(&o, 0, sizeof o);
    o.ephemeral = &sk;
    assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, &o, mm_bytes_make(enc, 32)), MM_ERR_INVALID_ARG);
    /* Inputs above the limit. */
    static uint8_t big[MM_HPKE_MAX_INPUT + 1];
    memset(&o, 0, sizeof o);
    o.info = mm_bytes_make(big, sizeof big);
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, &o, enc, &enc_len), MM_ERR_TOO_LARGE);
    o.info = mm_bytes_make(big, sizeof big - 1);
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, &o, enc, &enc_len), MM_OK);
    mm_hpke_ctx_finish(&snd);

    /* Not set up: nothing works. */
    mm_hpke_ctx zero;
    memset(&zero, 0, sizeof zero);
    uint8_t out[64];
    mm_buf b = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_hpke_ctx_seal(&zero, none, none, &b), MM_ERR_STATE);
    assert_int_equal(mm_hpke_ctx_export(&zero, none, out, 32), MM_ERR_STATE);

    /* The sequence number does not wrap: the last value is refused. */
    assert_int_equal(mm_hpke_setup_sender(&snd, crypto, s, &pk, NULL, enc, &enc_len), MM_OK);
    assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, enc_len)), MM_OK);
    snd.seq = UINT64_MAX - 1;
    rcv.seq = UINT64_MAX - 1;
    assert_int_equal(mm_hpke_ctx_seal(&snd, none, MM_BYTES_LIT("last"), &b), MM_OK);
    mm_buf p = mm_buf_make(out + 32, 32);
    assert_int_equal(mm_hpke_ctx_open(&rcv, none, mm_bytes_make(out, b.len), &p), MM_OK);
    assert_memory_equal(out + 32, "last", 4);
    assert_int_equal(snd.seq, UINT64_MAX);
    assert_int_equal(mm_hpke_ctx_seal(&snd, none, MM_BYTES_LIT("over"), &b), MM_ERR_TOO_LARGE);
    assert_int_equal(mm_hpke_ctx_open(&rcv, none, mm_bytes_make(out, 20), &p), MM_ERR_TOO_LARGE);
    /* Exporting still works. */
    assert_int_equal(mm_hpke_ctx_export(&snd, none, out, 32), MM_OK);
    assert_int_equal(mm_hpke_ctx_export(&snd, none, out, 255 * 32 + 1), MM_ERR_INVALID_ARG);
    mm_hpke_ctx_finish(&snd);
    mm_hpke_ctx_finish(&rcv);

    /* Buffer sizing: the need is reported before any key work. */
    mm_buf sizing = mm_buf_make(NULL, 0);
    assert_int_equal(mm_hpke_seal(crypto, s, &pk, NULL, none, MM_BYTES_LIT("12345"), enc, &enc_len, &sizing),
                     MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(sizing.len, 5 + MM_HPKE_TAG_LEN);
    b = mm_buf_make(out, 20);
    assert_int_equal(mm_hpke_seal(crypto, s, &pk, NULL, none, MM_BYTES_LIT("12345"), enc, &enc_len, &b),
                     MM_ERR_BUFFER_TOO_SMALL);
    b = mm_buf_make(out, 21);
    assert_int_equal(mm_hpke_seal(crypto, s, &pk, NULL, none, MM_BYTES_LIT("12345"), enc, &enc_len, &b), MM_OK);
    p = mm_buf_make(out + 32, 4);
    assert_int_equal(mm_hpke_open(crypto, s, &sk, NULL, mm_bytes_make(enc, enc_len), none, mm_bytes_make(out, 21), &p),
                     MM_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(p.len, 5);
    assert_int_equal(mm_hpke_open(crypto, s, &sk, NULL, mm_bytes_make(enc, enc_len), none, mm_bytes_make(out, 15), &p),
                     MM_ERR_VERIFY);
    /* Export-only suites seal nothing. */
    mm_hpke_suite exp = {s.kem, s.kdf, MM_HPKE_AEAD_EXPORT_ONLY};
    b = mm_buf_make(out, sizeof out);
    assert_int_equal(mm_hpke_seal(crypto, exp, &pk, NULL, none, none, enc, &enc_len, &b), MM_ERR_INVALID_ARG);
    mm_key_free(&sk);
    mm_key_free(&pk);
    mm_key_free(&ed);
}

/* enc that is not a public key of the KEM. */
static void test_bad_enc(void **state)
{
    (void)state;
    uint8_t enc[MM_HPKE_ENC_MAX];
    mm_hpke_ctx rcv;
    static const uint16_t nist[] = {MM_HPKE_KEM_P256, MM_HPKE_KEM_P384, MM_HPKE_KEM_P521};
    for (size_t i = 0; i < 3; i++) {
        mm_hpke_suite s = {nist[i], MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM};
        mm_key sk;
        generate(crypto, s.kem, &sk);
        size_t len = 0;
        assert_int_equal(mm_hpke_serialize_public_key(s.kem, &sk, enc, &len), MM_OK);
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len)), MM_OK);
        mm_hpke_ctx_finish(&rcv);
        /* Too short, too long, compressed, off the curve, the point at infinity. */
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len - 1)),
                         MM_ERR_BAD_KEY);
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len + 1)),
                         MM_ERR_BAD_KEY);
        enc[0] = 0x02;
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len)), MM_ERR_BAD_KEY);
        enc[0] = 0x04;
        enc[len - 1] ^= 1;
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len)), MM_ERR_BAD_KEY);
        memset(enc + 1, 0, len - 1);
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len)), MM_ERR_BAD_KEY);
        assert_int_equal(rcv.role, 0);
        mm_key_free(&sk);
    }
    /* X25519 and X448: a low-order point gives an all-zero secret. */
    static const uint16_t okp[] = {MM_HPKE_KEM_X25519, MM_HPKE_KEM_X448};
    for (size_t i = 0; i < 2; i++) {
        mm_hpke_suite s = {okp[i], MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM};
        mm_key sk;
        generate(crypto, s.kem, &sk);
        size_t len = mm_hpke_enc_len(s.kem);
        memset(enc, 0, len);
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len)), MM_ERR_VERIFY);
        enc[0] = 1; /* u = 1 has order 1 on both curves */
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len)), MM_ERR_VERIFY);
        assert_int_equal(mm_hpke_setup_recipient(&rcv, crypto, s, &sk, NULL, mm_bytes_make(enc, len - 1)),
                         MM_ERR_BAD_KEY);
        mm_key_free(&sk);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc9180_vectors),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_round_trips_test_backend),
        cmocka_unit_test(test_suite_ids),
        cmocka_unit_test(test_cose_suites),
        cmocka_unit_test(test_context_rules),
        cmocka_unit_test(test_bad_enc),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
