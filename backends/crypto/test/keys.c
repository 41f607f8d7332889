/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Keys of the test backend: the slot pool, the deterministic relation between
 * a private key and its public parts, and generate / import / export / free.
 *
 * The relation is the whole trick: a public key is a fixed keyed hash of the
 * private material, and every signature or ECDH secret is computed from the
 * public "identity" only. So a key pair behaves like one, a public key
 * imported from exported parts verifies what the private key signed, and
 * nothing needs a real curve.
 */
#include <string.h>

#include "tc_internal.h"

/* The curves this backend models, with their real sizes. */
static const mm_tc_curve curves[] = {
    {MM_KTY_EC2, MM_CRV_P256, 32, 64, 64, 32, 0xff},   {MM_KTY_EC2, MM_CRV_P384, 48, 96, 96, 48, 0xff},
    {MM_KTY_EC2, MM_CRV_P521, 66, 132, 132, 66, 0x01}, {MM_KTY_OKP, MM_CRV_ED25519, 32, 32, 64, 0, 0xff},
    {MM_KTY_OKP, MM_CRV_ED448, 57, 57, 114, 0, 0xff},  {MM_KTY_OKP, MM_CRV_X25519, 32, 32, 0, 32, 0xff},
    {MM_KTY_OKP, MM_CRV_X448, 56, 56, 0, 56, 0xff},
};

/* RSA sizes the backend accepts (RSA-4096 is MM_SIG_MAX). */
#define RSA_MIN_BYTES 128
#define RSA_MAX_BYTES MM_SIG_MAX
#define RSA_SEED_LEN  32

static const uint8_t rsa_e[3] = {0x01, 0x00, 0x01}; /* 65537, the only e a derived key has */

const mm_tc_curve *mm_tc_curve_find(int32_t kty, int32_t crv)
{
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        if (curves[i].kty == kty && curves[i].crv == crv) {
            return &curves[i];
        }
    }
    return NULL;
}

mm_err mm_tc_slot_of(mm_crypto_test *t, const mm_key *key, mm_crypto_test_slot **slot)
{
    *slot = NULL;
    if (key == NULL || key->crypto != &t->crypto) {
        return MM_ERR_UNSUPPORTED;
    }
    /* Compare for equality only: the handle may be anything the caller wrote. */
    for (size_t i = 0; i < MM_CRYPTO_TEST_KEY_SLOTS; i++) {
        if (key->handle == (void *)&t->slots[i] && t->slots[i].in_use) {
            *slot = &t->slots[i];
            return MM_OK;
        }
    }
    return MM_ERR_INVALID_ARG;
}

void mm_tc_random(mm_crypto_test *t, uint8_t *out, size_t len)
{
    mm_tc_hmac m;
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, NULL, 0, "mamori-test random");
    mm_tc_prf_int(&m, (int64_t)t->rng_seed);
    mm_tc_prf_end(&m, prk);
    memset(out, 0, len);
    mm_tc_stream_xor(prk, t->rng_counter, out, len);
    t->rng_counter += len;
}

/* The RSA modulus of a seed: top bit set (full size) and odd. */
static void rsa_modulus(const uint8_t *seed, size_t seed_len, size_t n_len, uint8_t *n)
{
    mm_tc_hmac m;
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, seed, seed_len, "mamori-test rsa modulus");
    mm_tc_prf_int(&m, (int64_t)n_len);
    mm_tc_prf_end(&m, prk);
    memset(n, 0, n_len);
    mm_tc_stream_xor(prk, 0, n, n_len);
    n[0] |= 0x80;
    n[n_len - 1] |= 0x01;
}

/* The public parts of an EC2 / OKP private scalar. */
static void ec_public(const mm_tc_curve *c, const uint8_t *d, uint8_t *pub)
{
    mm_tc_hmac m;
    uint8_t prk[MM_TC_PRK_LEN];
    mm_tc_prf_begin(&m, d, c->d_len, "mamori-test public key");
    mm_tc_prf_int(&m, c->kty);
    mm_tc_prf_int(&m, c->crv);
    mm_tc_prf_end(&m, prk);
    memset(pub, 0, c->pub_len);
    mm_tc_stream_xor(prk, 0, pub, c->pub_len);
    pub[0] &= c->top_mask;
    if (c->kty == MM_KTY_EC2) {
        pub[c->d_len] &= c->top_mask;
    }
}

size_t mm_tc_public_of(const mm_crypto_test_slot *slot, uint8_t buf[MM_SIG_MAX])
{
    if (slot->kty == MM_KTY_RSA) {
        if ((slot->flags & MM_TC_SLOT_DIGEST) != 0) {
            return 0;
        }
        size_t n_len = slot->bits / 8;
        rsa_modulus(slot->material, slot->len, n_len, buf);
        return n_len;
    }
    const mm_tc_curve *c = mm_tc_curve_find(slot->kty, slot->crv);
    if (c == NULL) {
        return 0;
    }
    if ((slot->flags & MM_TC_SLOT_PRIVATE) != 0) {
        ec_public(c, slot->material, buf);
    } else {
        memcpy(buf, slot->material, c->pub_len);
    }
    return c->pub_len;
}

/* The identity of an RSA public key (n, e), e without leading zeros. */
static void rsa_identity(mm_bytes n, mm_bytes e, uint8_t id[MM_TC_PRK_LEN])
{
    mm_tc_hmac m;
    while (e.len > 0 && e.ptr[0] == 0) {
        e.ptr++;
        e.len--;
    }
    mm_tc_prf_begin(&m, NULL, 0, "mamori-test identity");
    mm_tc_prf_int(&m, MM_KTY_RSA);
    mm_tc_prf_int(&m, 0);
    mm_tc_prf_item(&m, n.ptr, n.len);
    mm_tc_prf_item(&m, e.ptr, e.len);
    mm_tc_prf_end(&m, id);
}

bool mm_tc_identity(const mm_crypto_test_slot *slot, uint8_t id[MM_TC_PRK_LEN])
{
    uint8_t pub[MM_SIG_MAX];
    if (slot->kty == MM_KTY_RSA && (slot->flags & MM_TC_SLOT_DIGEST) != 0) {
        memcpy(id, slot->material, MM_TC_PRK_LEN);
        return true;
    }
    size_t len = mm_tc_public_of(slot, pub);
    if (len == 0) {
        return false;
    }
    if (slot->kty == MM_KTY_RSA) {
        rsa_identity(mm_bytes_make(pub, len), mm_bytes_make(rsa_e, sizeof rsa_e), id);
        return true;
    }
    mm_tc_hmac m;
    mm_tc_prf_begin(&m, NULL, 0, "mamori-test identity");
    mm_tc_prf_int(&m, slot->kty);
    mm_tc_prf_int(&m, slot->crv);
    mm_tc_prf_item(&m, pub, len);
    mm_tc_prf_end(&m, id);
    return true;
}

static mm_crypto_test_slot *slot_alloc(mm_crypto_test *t)
{
    for (size_t i = 0; i < MM_CRYPTO_TEST_KEY_SLOTS; i++) {
        if (!t->slots[i].in_use) {
            mm_crypto_test_slot *s = &t->slots[i];
            memset(s, 0, sizeof *s);
            s->in_use = 1;
            return s;
        }
    }
    return NULL;
}

static void slot_release(mm_crypto_test_slot *s) { mm_wipe(s, sizeof *s); }

/* Fills out from a set-up slot and applies the algorithm restriction through
 * the same check every layer uses; on refusal the slot is released. */
static mm_err finish_key(mm_crypto_test *t, mm_crypto_test_slot *s, int32_t alg, mm_key *out)
{
    s->alg = alg;
    out->crypto = &t->crypto;
    out->handle = s;
    out->alg = alg;
    out->kty = s->kty;
    out->crv = s->crv;
    out->bits = s->bits;
    out->flags = 0;
    if ((s->flags & MM_TC_SLOT_PRIVATE) != 0) {
        out->flags |= MM_KEY_PRIVATE;
    }
    if ((s->flags & MM_TC_SLOT_EXTRACTABLE) != 0) {
        out->flags |= MM_KEY_EXTRACTABLE;
    }
    if (alg != 0 && !mm_key_allows(out, alg, false)) {
        slot_release(s);
        memset(out, 0, sizeof *out);
        return MM_ERR_INVALID_ARG;
    }
    return MM_OK;
}

static uint8_t slot_flags(unsigned key_flags, bool private_material)
{
    uint8_t f = private_material ? (uint8_t)MM_TC_SLOT_PRIVATE : 0;
    if ((key_flags & MM_KEY_EXTRACTABLE) != 0) {
        f |= (uint8_t)MM_TC_SLOT_EXTRACTABLE;
    }
    return f;
}

mm_err mm_tc_key_generate(void *user, int32_t kty, int32_t crv_or_bits, int32_t alg, unsigned flags, mm_key *out)
{
    mm_crypto_test *t = user;
    if ((flags & ~MM_KEY_EXTRACTABLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_tc_curve *c = NULL;
    size_t len;
    switch (kty) {
    case MM_KTY_EC2:
    case MM_KTY_OKP:
        c = mm_tc_curve_find(kty, crv_or_bits);
        if (c == NULL) {
            return MM_ERR_UNSUPPORTED;
        }
        len = c->d_len;
        break;
    case MM_KTY_SYMMETRIC:
        if (crv_or_bits <= 0 || crv_or_bits % 8 != 0 || crv_or_bits / 8 > MM_CRYPTO_TEST_KEY_MAX) {
            return MM_ERR_UNSUPPORTED;
        }
        len = (size_t)crv_or_bits / 8;
        break;
    case MM_KTY_RSA:
        if (crv_or_bits % 8 != 0 || crv_or_bits / 8 < RSA_MIN_BYTES || crv_or_bits / 8 > RSA_MAX_BYTES) {
            return MM_ERR_UNSUPPORTED;
        }
        len = RSA_SEED_LEN;
        break;
    default:
        return MM_ERR_UNSUPPORTED;
    }
    mm_crypto_test_slot *s = slot_alloc(t);
    if (s == NULL) {
        return MM_ERR_TOO_LARGE;
    }
    s->kty = kty;
    s->crv = c != NULL ? c->crv : 0;
    s->bits = c != NULL ? 0 : (kty == MM_KTY_RSA ? (uint32_t)crv_or_bits : (uint32_t)len * 8);
    s->len = (uint16_t)len;
    s->flags = slot_flags(flags, true);
    mm_tc_random(t, s->material, len);
    if (c != NULL) {
        s->material[0] &= c->top_mask;
    }
    return finish_key(t, s, alg, out);
}

static bool empty(mm_bytes b) { return b.len == 0; }

/* Checks an EC2 / OKP import and stores it in s. */
static mm_err import_curve(const mm_key_parts *p, mm_crypto_test_slot *s)
{
    const mm_tc_curve *c = mm_tc_curve_find(p->kty, p->crv);
    if (c == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    if (!empty(p->k) || !empty(p->n) || !empty(p->e) || (c->kty == MM_KTY_OKP && !empty(p->y))) {
        return MM_ERR_INVALID_ARG;
    }
    size_t coord = c->kty == MM_KTY_EC2 ? c->d_len : c->pub_len;
    uint8_t pub[MM_CRYPTO_TEST_KEY_MAX];
    s->kty = c->kty;
    s->crv = c->crv;
    if (!empty(p->d)) {
        if (p->d.len != c->d_len || (p->d.ptr[0] & ~c->top_mask) != 0) {
            return MM_ERR_INVALID_ARG;
        }
        /* Public parts given beside d must be the ones d stands for. */
        ec_public(c, p->d.ptr, pub);
        if ((!empty(p->x) && (p->x.len != coord || !mm_ct_equal(p->x.ptr, pub, coord))) ||
            (!empty(p->y) && (p->y.len != coord || !mm_ct_equal(p->y.ptr, pub + coord, coord)))) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(s->material, p->d.ptr, c->d_len);
        s->len = c->d_len;
        s->flags |= MM_TC_SLOT_PRIVATE;
        return MM_OK;
    }
    if (p->x.len != coord || (p->x.ptr[0] & ~c->top_mask) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    memcpy(s->material, p->x.ptr, coord);
    if (c->kty == MM_KTY_EC2) {
        if (p->y.len != coord || (p->y.ptr[0] & ~c->top_mask) != 0) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(s->material + coord, p->y.ptr, coord);
    }
    s->len = c->pub_len;
    return MM_OK;
}

/* Checks an RSA import (n and e public; d, when present, is the seed the
 * modulus was derived from) and stores it in s. */
static mm_err import_rsa(const mm_key_parts *p, mm_crypto_test_slot *s)
{
    if (!empty(p->x) || !empty(p->y) || !empty(p->k) || p->crv != 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (p->n.len == 0 || p->n.ptr[0] == 0) {
        return MM_ERR_INVALID_ARG; /* a modulus has no leading zero byte */
    }
    if (p->n.len < RSA_MIN_BYTES || p->n.len > RSA_MAX_BYTES) {
        return MM_ERR_UNSUPPORTED;
    }
    s->kty = MM_KTY_RSA;
    if (!empty(p->d)) {
        uint8_t n[RSA_MAX_BYTES];
        if (p->d.len > MM_CRYPTO_TEST_KEY_MAX) {
            return MM_ERR_TOO_LARGE;
        }
        rsa_modulus(p->d.ptr, p->d.len, p->n.len, n);
        if (!mm_ct_equal(n, p->n.ptr, p->n.len) ||
            (!empty(p->e) && (p->e.len != sizeof rsa_e || !mm_ct_equal(p->e.ptr, rsa_e, sizeof rsa_e)))) {
            return MM_ERR_INVALID_ARG;
        }
        memcpy(s->material, p->d.ptr, p->d.len);
        s->len = (uint16_t)p->d.len;
        s->bits = (uint32_t)p->n.len * 8;
        s->flags |= MM_TC_SLOT_PRIVATE;
        return MM_OK;
    }
    size_t e_sig = p->e.len;
    for (size_t i = 0; i < p->e.len && p->e.ptr[i] == 0; i++) {
        e_sig--;
    }
    if (e_sig == 0) {
        return MM_ERR_INVALID_ARG;
    }
    unsigned top = 8;
    while ((p->n.ptr[0] & (1u << (top - 1))) == 0) {
        top--;
    }
    s->bits = (uint32_t)(p->n.len - 1) * 8 + top;
    rsa_identity(p->n, p->e, s->material);
    s->len = MM_TC_PRK_LEN;
    s->flags |= MM_TC_SLOT_DIGEST;
    return MM_OK;
}

mm_err mm_tc_key_import(void *user, const mm_key_parts *parts, unsigned flags, mm_key *out)
{
    mm_crypto_test *t = user;
    mm_err e;
    if ((flags & ~MM_KEY_EXTRACTABLE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    if (parts->kty != MM_KTY_EC2 && parts->kty != MM_KTY_OKP && parts->kty != MM_KTY_RSA &&
        parts->kty != MM_KTY_SYMMETRIC) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_crypto_test_slot *s = slot_alloc(t);
    if (s == NULL) {
        return MM_ERR_TOO_LARGE;
    }
    s->flags = slot_flags(flags, false);
    switch (parts->kty) {
    case MM_KTY_SYMMETRIC:
        if (!empty(parts->x) || !empty(parts->y) || !empty(parts->d) || !empty(parts->n) || !empty(parts->e) ||
            parts->crv != 0 || parts->k.len == 0) {
            e = MM_ERR_INVALID_ARG;
        } else if (parts->k.len > MM_CRYPTO_TEST_KEY_MAX) {
            e = MM_ERR_TOO_LARGE;
        } else {
            s->kty = MM_KTY_SYMMETRIC;
            memcpy(s->material, parts->k.ptr, parts->k.len);
            s->len = (uint16_t)parts->k.len;
            s->bits = (uint32_t)parts->k.len * 8;
            s->flags |= MM_TC_SLOT_PRIVATE;
            e = MM_OK;
        }
        break;
    case MM_KTY_RSA:
        e = import_rsa(parts, s);
        break;
    default:
        e = import_curve(parts, s);
        break;
    }
    if (e != MM_OK) {
        slot_release(s);
        return e;
    }
    return finish_key(t, s, parts->alg, out);
}

/* Hands out n bytes of buf; false when they do not fit. */
static bool take(uint8_t *buf, size_t cap, size_t *used, const uint8_t *src, size_t n, mm_bytes *view)
{
    if (n > cap - *used) {
        return false;
    }
    memcpy(buf + *used, src, n);
    *view = mm_bytes_make(buf + *used, n);
    *used += n;
    return true;
}

mm_err mm_tc_key_export(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf, size_t cap)
{
    mm_crypto_test_slot *s;
    mm_err e = mm_tc_slot_of(user, key, &s);
    if (e != MM_OK) {
        return e;
    }
    if ((flags & ~MM_EXPORT_PRIVATE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    bool want_private = (flags & MM_EXPORT_PRIVATE) != 0;
    uint8_t need = MM_TC_SLOT_PRIVATE | MM_TC_SLOT_EXTRACTABLE;
    if (want_private && (s->flags & need) != need) {
        return MM_ERR_INVALID_ARG; /* no private part, or not extractable */
    }
    if (s->kty == MM_KTY_SYMMETRIC && !want_private) {
        return MM_ERR_INVALID_ARG; /* a symmetric key has no public part */
    }
    if ((s->flags & MM_TC_SLOT_DIGEST) != 0) {
        return MM_ERR_UNSUPPORTED; /* only a digest of n and e was kept */
    }

    uint8_t pub[MM_SIG_MAX];
    size_t pub_len = mm_tc_public_of(s, pub);
    size_t used = 0;
    bool ok = true;
    mm_key_parts p;
    memset(&p, 0, sizeof p);
    p.kty = s->kty;
    p.crv = s->crv;
    p.alg = s->alg;
    if (s->kty == MM_KTY_EC2) {
        size_t coord = pub_len / 2;
        ok = take(buf, cap, &used, pub, coord, &p.x) && take(buf, cap, &used, pub + coord, coord, &p.y);
    } else if (s->kty == MM_KTY_OKP) {
        ok = take(buf, cap, &used, pub, pub_len, &p.x);
    } else if (s->kty == MM_KTY_RSA) {
        ok = take(buf, cap, &used, pub, pub_len, &p.n) && take(buf, cap, &used, rsa_e, sizeof rsa_e, &p.e);
    }
    if (ok && want_private) {
        mm_bytes *priv = s->kty == MM_KTY_SYMMETRIC ? &p.k : &p.d;
        ok = take(buf, cap, &used, s->material, s->len, priv);
    }
    mm_wipe(pub, sizeof pub);
    if (!ok) {
        if (used > 0) {
            mm_wipe(buf, used);
        }
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    *parts = p;
    return MM_OK;
}

void mm_tc_key_free(void *user, mm_key *key)
{
    mm_crypto_test_slot *s;
    if (mm_tc_slot_of(user, key, &s) == MM_OK) {
        slot_release(s);
    }
}
