/* SPDX-License-Identifier: Apache-2.0 */
/* Signed SUIT envelopes for tests, fuzz seeds and benchmarks: see
 * suit_fixture.h. */
#include "suit_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/lms.h"

mm_err suit_fixture_edn(const char *edn, uint8_t **out, size_t *len, size_t *err_off)
{
    mm_buf b = {NULL, 0, 0};
    mm_err e = mm_cbor_from_edn(mm_bytes_from_cstr(edn), 0, &b, err_off);
    if (e != MM_ERR_BUFFER_TOO_SMALL) {
        return e == MM_OK ? MM_ERR_STATE : e;
    }
    b.ptr = malloc(b.len);
    b.cap = b.len;
    if (b.ptr == NULL) {
        return MM_ERR_PLATFORM;
    }
    e = mm_cbor_from_edn(mm_bytes_from_cstr(edn), 0, &b, err_off);
    if (e != MM_OK) {
        free(b.ptr);
        return e;
    }
    *out = b.ptr;
    *len = b.len;
    return MM_OK;
}

/* "h'<hex>'" of b, in a new buffer. */
static char *hex_literal(mm_bytes b)
{
    char *s = malloc(2 * b.len + 4);
    if (s == NULL) {
        return NULL;
    }
    mm_buf hex = mm_buf_make(s + 2, 2 * b.len);
    if (mm_hex_encode(b, &hex) != MM_OK) {
        free(s);
        return NULL;
    }
    s[0] = 'h';
    s[1] = '\'';
    s[2 + hex.len] = '\'';
    s[3 + hex.len] = '\0';
    return s;
}

mm_err suit_fixture_envelope(const mm_crypto *c, const mm_key *priv, int32_t alg, mm_bytes manifest,
                             const char *extra_edn, uint8_t **out, size_t *len)
{
    /* SUIT_Digest over the manifest bstr (head and content). */
    uint8_t head[9];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, head, sizeof head);
    mm_err e = mm_cbor_put_bstr_head(&enc, manifest.len);
    size_t head_len = enc.len;
    uint8_t hash[MM_HASH_MAX];
    size_t hash_len = 0;
    mm_crypto_ctx hc;
    if (e == MM_OK) {
        e = mm_hash_init(c, &hc, MM_ALG_SHA256);
    }
    if (e == MM_OK && (e = mm_hash_update(c, &hc, mm_bytes_make(head, head_len))) == MM_OK &&
        (e = mm_hash_update(c, &hc, manifest)) == MM_OK) {
        e = mm_hash_final(c, &hc, hash, &hash_len);
    }
    uint8_t digest[64];
    mm_cbor_enc_init(&enc, digest, sizeof digest);
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_int(&enc, MM_ALG_SHA256);
    mm_cbor_put_bstr(&enc, mm_bytes_make(hash, hash_len));
    size_t digest_len = 0;
    if (e == MM_OK) {
        e = mm_cbor_enc_finish(&enc, &digest_len);
    }
    /* One detached COSE_Sign1 over the encoded digest (room for an HSS-LMS
     * signature; the registry with HSS-LMS in front knows every other
     * algorithm too). */
    uint8_t sig[4096];
    mm_buf sig_buf = mm_buf_make(sig, sizeof sig);
    uint8_t tbs[256];
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = c;
    o.key = priv;
    o.alg = alg;
    o.flags = MM_COSE_DETACHED;
    o.scratch = tbs;
    o.scratch_len = sizeof tbs;
    o.algs = mm_lms_cose_algs();
    if (e == MM_OK) {
        e = mm_cose_sign1_create(&o, mm_bytes_make(digest, digest_len), &sig_buf);
    }
    uint8_t auth[4400];
    mm_cbor_enc_init(&enc, auth, sizeof auth);
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_bstr(&enc, mm_bytes_make(digest, digest_len));
    mm_cbor_put_bstr(&enc, mm_bytes_make(sig, sig_buf.len));
    size_t auth_len = 0;
    if (e == MM_OK) {
        e = mm_cbor_enc_finish(&enc, &auth_len);
    }
    if (e != MM_OK) {
        return e;
    }
    /* The envelope, as diagnostic notation around the two byte strings. */
    char *auth_lit = hex_literal(mm_bytes_make(auth, auth_len));
    char *man_lit = hex_literal(manifest);
    size_t cap = 2 * (auth_len + manifest.len) + (extra_edn != NULL ? strlen(extra_edn) : 0) + 64;
    char *edn = malloc(cap);
    if (auth_lit != NULL && man_lit != NULL && edn != NULL) {
        snprintf(edn, cap, "107({2: %s, 3: %s%s%s})", auth_lit, man_lit, extra_edn != NULL ? ", " : "",
                 extra_edn != NULL ? extra_edn : "");
        e = suit_fixture_edn(edn, out, len, NULL);
    } else {
        e = MM_ERR_PLATFORM;
    }
    free(edn);
    free(auth_lit);
    free(man_lit);
    return e;
}
