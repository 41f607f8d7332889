/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Key (RFC 9052 section 7, RFC 9053 section 7): decoding into key
 * parts, deterministic encoding, import through a backend, RFC 9679
 * thumbprints and lookup in a COSE_KeySet.
 */
#include <stddef.h>

#include "cose_internal.h"

/* Encoded values of the type-specific labels, read once the kty is known. */
typedef struct key_map {
    int64_t kty;
    mm_bytes kid;
    int64_t alg;
    mm_bytes key_ops;
    mm_bytes base_iv;
    mm_bytes p1; /* -1 */
    mm_bytes p2; /* -2 */
    mm_bytes p3; /* -3 */
    mm_bytes p4; /* -4 */
} key_map;

static mm_err read_raw_value(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_ANY_TYPE);
}

static mm_err read_key_ops(mm_cbor_dec *dec, void *dst, void *user)
{
    (void)user;
    return cose_read_raw_of(dec, dst, COSE_TYPE(MM_CBOR_ARRAY));
}

static mm_err skip_other(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    (void)key;
    (void)user;
    return mm_cbor_skip(dec);
}

#define K(label, kind, member, fn)                                                                                     \
    {                                                                                                                  \
        label, NULL, kind, 0, offsetof(key_map, member), fn                                                            \
    }

static const mm_cbor_field key_fields[] = {
    {MM_COSE_KEY_KTY, NULL, MM_CBOR_F_INT, MM_CBOR_F_REQUIRED, offsetof(key_map, kty), NULL},
    K(MM_COSE_KEY_KID, MM_CBOR_F_BSTR, kid, NULL),
    K(MM_COSE_KEY_ALG, MM_CBOR_F_INT, alg, NULL),
    K(MM_COSE_KEY_OPS, MM_CBOR_F_CUSTOM, key_ops, read_key_ops),
    K(MM_COSE_KEY_BASE_IV, MM_CBOR_F_BSTR, base_iv, NULL),
    K(-1, MM_CBOR_F_CUSTOM, p1, read_raw_value),
    K(-2, MM_CBOR_F_CUSTOM, p2, read_raw_value),
    K(-3, MM_CBOR_F_CUSTOM, p3, read_raw_value),
    K(-4, MM_CBOR_F_CUSTOM, p4, read_raw_value),
};
#define N_KEY_FIELDS (sizeof key_fields / sizeof key_fields[0])
#define BIT_P1       (1u << 5)
#define BIT_P2       (1u << 6)
#define BIT_P3       (1u << 7)
#define BIT_P4       (1u << 8)

/* The content of an encoded bstr value. */
static mm_err bstr_of(mm_bytes raw, mm_bytes *out)
{
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, raw, 0);
    if (e == MM_OK) {
        e = mm_cbor_get_bstr(&d, out);
    }
    return e == MM_OK ? mm_cbor_dec_finish(&d) : e;
}

/* An integer in int32 range from an encoded value. */
static mm_err int_of(mm_bytes raw, int32_t *out)
{
    mm_cbor_dec d;
    int64_t v = 0;
    mm_err e = mm_cbor_dec_init(&d, raw, 0);
    if (e == MM_OK) {
        e = mm_cbor_get_int(&d, INT32_MIN, INT32_MAX, &v);
    }
    *out = (int32_t)v;
    return e == MM_OK ? mm_cbor_dec_finish(&d) : e;
}

/* Coordinate (or OKP key) size of a curve, 0 if unknown. */
static size_t curve_size(int32_t crv)
{
    switch (crv) {
    case MM_CRV_P256:
    case MM_CRV_X25519:
    case MM_CRV_ED25519:
        return 32;
    case MM_CRV_P384:
        return 48;
    case MM_CRV_P521:
        return 66;
    case MM_CRV_X448:
        return 56;
    case MM_CRV_ED448:
        return 57;
    default:
        return 0;
    }
}

static bool is_ec2_curve(int32_t crv) { return crv == MM_CRV_P256 || crv == MM_CRV_P384 || crv == MM_CRV_P521; }

/* Reads the parts of an EC2 or OKP key. */
static mm_err curve_parts(const key_map *m, uint32_t present, mm_key_parts *p)
{
    if ((present & (BIT_P1 | BIT_P2)) != (BIT_P1 | BIT_P2)) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_err e = int_of(m->p1, &p->crv);
    if (e != MM_OK) {
        return e == MM_ERR_CBOR_TYPE ? MM_ERR_UNSUPPORTED : e; /* text curve names are not supported */
    }
    size_t size = curve_size(p->crv);
    bool ec2 = p->kty == MM_KTY_EC2;
    if (size == 0 || ec2 != is_ec2_curve(p->crv)) {
        return MM_ERR_UNSUPPORTED;
    }
    if ((e = bstr_of(m->p2, &p->x)) != MM_OK) {
        return e;
    }
    if (p->x.len != size) {
        return MM_ERR_BAD_KEY;
    }
    if (ec2) {
        if ((present & BIT_P3) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        mm_cbor_dec d;
        mm_cbor_item it;
        if (mm_cbor_dec_init(&d, m->p3, 0) == MM_OK && mm_cbor_peek(&d, &it) == MM_OK &&
            (it.type == MM_CBOR_TRUE || it.type == MM_CBOR_FALSE)) {
            return MM_ERR_UNSUPPORTED; /* compressed point */
        }
        if ((e = bstr_of(m->p3, &p->y)) != MM_OK) {
            return e;
        }
        if (p->y.len != size) {
            return MM_ERR_BAD_KEY;
        }
    }
    if ((present & BIT_P4) != 0) {
        if ((e = bstr_of(m->p4, &p->d)) != MM_OK) {
            return e;
        }
        /* A NIST private scalar has the coordinate size (P-521: 66 bytes). */
        if (p->d.len != size) {
            return MM_ERR_BAD_KEY;
        }
    }
    return MM_OK;
}

mm_err mm_cose_key_decode(mm_bytes in, mm_cose_key *out)
{
    memset(out, 0, sizeof *out);
    key_map m;
    memset(&m, 0, sizeof m);
    uint64_t present64 = 0;
    mm_cbor_map_opts opts = {skip_other, NULL, 0};
    mm_cbor_dec d;
    mm_err e = mm_cbor_dec_init(&d, in, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, key_fields, N_KEY_FIELDS, &m, &present64, &opts);
    }
    if (e == MM_OK) {
        e = mm_cbor_dec_finish(&d);
    }
    if (e != MM_OK) {
        return e;
    }
    uint32_t present = (uint32_t)present64;
    mm_key_parts *p = &out->parts;
    if (m.kty < INT32_MIN || m.kty > INT32_MAX || m.alg < INT32_MIN || m.alg > INT32_MAX) {
        return MM_ERR_UNSUPPORTED;
    }
    p->kty = (int32_t)m.kty;
    p->alg = (int32_t)m.alg;
    out->kid = m.kid;
    out->base_iv = m.base_iv;
    out->key_ops = m.key_ops;
    switch (p->kty) {
    case MM_KTY_EC2:
    case MM_KTY_OKP:
        return curve_parts(&m, present, p);
    case MM_KTY_SYMMETRIC:
        if ((present & BIT_P1) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        e = bstr_of(m.p1, &p->k);
        return e == MM_OK && p->k.len == 0 ? MM_ERR_BAD_KEY : e;
    case MM_KTY_RSA:
        if ((present & (BIT_P1 | BIT_P2)) != (BIT_P1 | BIT_P2)) {
            return MM_ERR_MISSING_FIELD;
        }
        if ((e = bstr_of(m.p1, &p->n)) != MM_OK || (e = bstr_of(m.p2, &p->e)) != MM_OK) {
            return e;
        }
        /* Private RSA keys travel as PKCS#8 (PEM/DER), not as COSE_Key. */
        return (present & BIT_P3) != 0 ? MM_ERR_UNSUPPORTED : MM_OK;
    case MM_KTY_HSS_LMS:
        if ((present & BIT_P1) == 0) {
            return MM_ERR_MISSING_FIELD;
        }
        return bstr_of(m.p1, &p->x); /* the HSS public key (RFC 8778) */
    default:
        return MM_ERR_UNSUPPORTED;
    }
}

/* Writes the pairs of parts into an open map. */
static void put_parts(mm_cbor_enc *enc, const mm_key_parts *p, bool with_private, bool required_only)
{
    mm_cbor_put_int(enc, MM_COSE_KEY_KTY);
    mm_cbor_put_int(enc, p->kty);
    if (!required_only && p->alg != 0) {
        mm_cbor_put_int(enc, MM_COSE_KEY_ALG);
        mm_cbor_put_int(enc, p->alg);
    }
    switch (p->kty) {
    case MM_KTY_EC2:
    case MM_KTY_OKP:
        mm_cbor_put_int(enc, -1);
        mm_cbor_put_int(enc, p->crv);
        mm_cbor_put_int(enc, -2);
        mm_cbor_put_bstr(enc, p->x);
        if (p->kty == MM_KTY_EC2) {
            mm_cbor_put_int(enc, -3);
            mm_cbor_put_bstr(enc, p->y);
        }
        if (with_private && p->d.len != 0) {
            mm_cbor_put_int(enc, -4);
            mm_cbor_put_bstr(enc, p->d);
        }
        break;
    case MM_KTY_SYMMETRIC:
        mm_cbor_put_int(enc, -1);
        mm_cbor_put_bstr(enc, p->k);
        break;
    case MM_KTY_RSA:
        mm_cbor_put_int(enc, -1);
        mm_cbor_put_bstr(enc, p->n);
        mm_cbor_put_int(enc, -2);
        mm_cbor_put_bstr(enc, p->e);
        break;
    default:
        mm_cbor_put_int(enc, -1);
        mm_cbor_put_bstr(enc, p->x);
        break;
    }
}

mm_err mm_cose_key_encode(const mm_key_parts *parts, mm_bytes kid, unsigned flags, mm_buf *out)
{
    if (parts == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    if (parts->kty == MM_KTY_SYMMETRIC && (flags & MM_EXPORT_PRIVATE) == 0) {
        return MM_ERR_KEY_USAGE; /* a symmetric key is all secret */
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    mm_cbor_open_map(&enc);
    put_parts(&enc, parts, (flags & MM_EXPORT_PRIVATE) != 0, false);
    if (kid.len != 0) {
        mm_cbor_put_int(&enc, MM_COSE_KEY_KID);
        mm_cbor_put_bstr(&enc, kid);
    }
    mm_cbor_close(&enc, NULL);
    size_t len;
    mm_err e = mm_cbor_enc_finish(&enc, &len);
    out->len = len;
    return e;
}

mm_err mm_cose_key_import(const mm_crypto *c, mm_bytes in, unsigned flags, mm_key *key, mm_cose_key *decoded)
{
    mm_cose_key local;
    memset(&local, 0, sizeof local);
    mm_cose_key *k = decoded != NULL ? decoded : &local;
    mm_err e = mm_cose_key_decode(in, k);
    if (e != MM_OK) {
        return e;
    }
    return mm_key_import(c, &k->parts, flags, key);
}

mm_err mm_cose_key_thumbprint(const mm_crypto *c, const mm_key_parts *parts, int32_t hash_alg, uint8_t out[MM_HASH_MAX],
                              size_t *len)
{
    /* RFC 9679: only the required public parameters, deterministic. The
     * largest is an RSA-4096 key: 512 + 3 + a few heads. */
    uint8_t buf[600];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, sizeof buf);
    mm_cbor_open_map(&enc);
    put_parts(&enc, parts, false, true);
    mm_cbor_close(&enc, NULL);
    size_t n;
    mm_err e = mm_cbor_enc_finish(&enc, &n);
    if (e != MM_OK) {
        return e == MM_ERR_BUFFER_TOO_SMALL ? MM_ERR_TOO_LARGE : e;
    }
    return mm_hash(c, hash_alg, mm_bytes_make(buf, n), out, len);
}

mm_err mm_cose_keyset_find(mm_bytes set, mm_bytes kid, mm_cose_key *out)
{
    mm_cbor_dec d;
    size_t n;
    mm_err e = mm_cbor_dec_init(&d, set, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, &n);
    }
    while (e == MM_OK && mm_cbor_more(&d)) {
        mm_bytes raw;
        if ((e = mm_cbor_get_raw(&d, &raw)) != MM_OK) {
            break;
        }
        mm_cose_key k;
        if ((e = mm_cose_key_decode(raw, &k)) != MM_OK) {
            break; /* a malformed member makes the whole set suspect */
        }
        if (kid.len == 0 || mm_bytes_equal(k.kid, kid)) {
            *out = k;
            return MM_OK;
        }
    }
    return e != MM_OK ? e : MM_ERR_MISSING_FIELD;
}
