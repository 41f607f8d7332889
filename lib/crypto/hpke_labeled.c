/* SPDX-License-Identifier: Apache-2.0 */
/*
 * LabeledExtract and LabeledExpand (RFC 9180 section 4): HKDF with the
 * version label "HPKE-v1", a suite_id and a step label prefixed to its
 * input, so no two uses of the KDF in HPKE can collide. The backend's HKDF
 * takes its input as one view, so the pieces are joined in a bounded stack
 * buffer (MM_HPKE_MAX_INPUT for the caller's part).
 */
#include "hpke_internal.h"

static const uint8_t version_label[7] = {'H', 'P', 'K', 'E', '-', 'v', '1'};
#define LABEL_MAX 16 /* "shared_secret", the longest label, is 13 */

/* I2OSP(L, 2) || "HPKE-v1" || suite_id || label || input */
#define LABELED_MAX (2 + sizeof version_label + 10 + LABEL_MAX + MM_HPKE_MAX_INPUT)

static void put_u16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void hpke_labeler_kem(hpke_labeler *l, const mm_crypto *c, const hpke_kem *kem)
{
    l->crypto = c;
    l->hash = kem->hash;
    l->hash_len = mm_hash_len(kem->hash);
    memcpy(l->suite_id, "KEM", 3);
    put_u16(l->suite_id + 3, kem->id);
    l->suite_id_len = 5;
}

void hpke_labeler_suite(hpke_labeler *l, const mm_crypto *c, mm_hpke_suite s, int32_t hash)
{
    l->crypto = c;
    l->hash = hash;
    l->hash_len = mm_hash_len(hash);
    memcpy(l->suite_id, "HPKE", 4);
    put_u16(l->suite_id + 4, s.kem);
    put_u16(l->suite_id + 6, s.kdf);
    put_u16(l->suite_id + 8, s.aead);
    l->suite_id_len = 10;
}

/* Copies b to buf + *at and moves *at past it. */
static void append(uint8_t *buf, size_t *at, mm_bytes b)
{
    if (b.len != 0) {
        memcpy(buf + *at, b.ptr, b.len);
        *at += b.len;
    }
}

/* Writes "HPKE-v1" || suite_id || label || pieces at buf + at; *len gets
 * the end. */
static mm_err join(const hpke_labeler *l, mm_bytes label, const mm_bytes *pieces, size_t n, uint8_t *buf, size_t at,
                   size_t *len)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (pieces[i].ptr == NULL && pieces[i].len != 0) {
            return MM_ERR_INVALID_ARG;
        }
        if (pieces[i].len > MM_HPKE_MAX_INPUT - total) {
            return MM_ERR_TOO_LARGE;
        }
        total += pieces[i].len;
    }
    if (label.len > LABEL_MAX) {
        return MM_ERR_INVALID_ARG; /* only this module's fixed labels come here */
    }
    append(buf, &at, mm_bytes_make(version_label, sizeof version_label));
    append(buf, &at, mm_bytes_make(l->suite_id, l->suite_id_len));
    append(buf, &at, label);
    for (size_t i = 0; i < n; i++) {
        append(buf, &at, pieces[i]);
    }
    *len = at;
    return MM_OK;
}

mm_err hpke_labeled_extract(const hpke_labeler *l, mm_bytes salt, mm_bytes label, const mm_bytes *ikm, size_t n_ikm,
                            uint8_t prk[MM_HASH_MAX])
{
    uint8_t buf[LABELED_MAX];
    size_t len = 0;
    mm_err e = join(l, label, ikm, n_ikm, buf, 0, &len);
    if (e == MM_OK) {
        size_t prk_len = 0;
        e = mm_hkdf_extract(l->crypto, l->hash, salt, mm_bytes_make(buf, len), prk, &prk_len);
        if (e == MM_OK && prk_len != l->hash_len) {
            e = MM_ERR_PLATFORM; /* a backend that broke the contract */
        }
    }
    mm_wipe(buf, len);
    return e;
}

mm_err hpke_labeled_expand(const hpke_labeler *l, mm_bytes prk, mm_bytes label, const mm_bytes *info, size_t n_info,
                           uint8_t *out, size_t len)
{
    if (len > 0xffff) {
        return MM_ERR_INVALID_ARG; /* I2OSP(L, 2) */
    }
    uint8_t buf[LABELED_MAX];
    size_t info_len = 0;
    put_u16(buf, (unsigned)len);
    mm_err e = join(l, label, info, n_info, buf, 2, &info_len);
    if (e == MM_OK) {
        e = mm_hkdf_expand(l->crypto, l->hash, prk, mm_bytes_make(buf, info_len), out, len);
    }
    mm_wipe(buf, info_len);
    return e;
}
