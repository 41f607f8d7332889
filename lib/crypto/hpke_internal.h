/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the HPKE module share (not installed): the algorithm
 * tables, the labeled HKDF of RFC 9180 section 4, and the DHKEM.
 */
#ifndef MM_HPKE_INTERNAL_H
#define MM_HPKE_INTERNAL_H

#include <string.h>

#include "mamori/hpke.h"

/* A DHKEM (RFC 9180 section 4.1 and 7.1). */
typedef struct hpke_kem {
    uint16_t id;
    int32_t kty;
    int32_t crv;
    int32_t hash;     /* the KEM's own HKDF */
    uint8_t n_secret; /* Nsecret */
    uint8_t n_enc;    /* Nenc = Npk */
    uint8_t n_sk;     /* Nsk */
    uint8_t dkp_mask; /* NIST curves: mask of a candidate's first byte; 0 for X25519 and X448 */
} hpke_kem;

/* The KEM of id, or NULL. */
const hpke_kem *hpke_kem_find(uint16_t id);

/* The hash of an HKDF KDF id, or 0. */
int32_t hpke_kdf_hash(uint16_t kdf);

/* The COSE AEAD of an HPKE AEAD id and its key length; 0 for export-only,
 * -1 for an unknown id. */
int32_t hpke_aead_alg(uint16_t aead, size_t *key_len);

/*
 * LabeledExtract and LabeledExpand (RFC 9180 section 4) over the backend's
 * HKDF, with the suite_id of a KEM ("KEM" || kem_id) or of a whole suite
 * ("HPKE" || kem_id || kdf_id || aead_id). An input is a list of pieces
 * (a KEM context is enc || pkRm || pkSm), joined with the label prefix in a
 * stack buffer, which is wiped after use because it holds secrets.
 */
typedef struct hpke_labeler {
    const mm_crypto *crypto;
    int32_t hash;
    size_t hash_len; /* Nh */
    uint8_t suite_id[10];
    size_t suite_id_len;
} hpke_labeler;

void hpke_labeler_kem(hpke_labeler *l, const mm_crypto *c, const hpke_kem *kem);
void hpke_labeler_suite(hpke_labeler *l, const mm_crypto *c, mm_hpke_suite s, int32_t hash);

/* prk gets Nh bytes. */
mm_err hpke_labeled_extract(const hpke_labeler *l, mm_bytes salt, mm_bytes label, const mm_bytes *ikm, size_t n_ikm,
                            uint8_t prk[MM_HASH_MAX]);
/* out gets len bytes (len <= 0xffff and <= 255 * Nh). */
mm_err hpke_labeled_expand(const hpke_labeler *l, mm_bytes prk, mm_bytes label, const mm_bytes *info, size_t n_info,
                           uint8_t *out, size_t len);

/*
 * The DHKEM (RFC 9180 section 4.1). The shared secret is Nsecret bytes.
 */

/* Encap (sk_s NULL) or AuthEncap: eph is the ephemeral private key (the
 * caller's fixed one, or NULL to generate one). */
mm_err hpke_encap(const hpke_kem *kem, const mm_crypto *c, const mm_key *pk_r, const mm_key *sk_s, const mm_key *eph,
                  uint8_t enc[MM_HPKE_ENC_MAX], size_t *enc_len, uint8_t shared[MM_HPKE_SECRET_MAX]);

/* Decap (pk_s NULL) or AuthDecap. */
mm_err hpke_decap(const hpke_kem *kem, const mm_crypto *c, mm_bytes enc, const mm_key *sk_r, const mm_key *pk_s,
                  uint8_t shared[MM_HPKE_SECRET_MAX]);

/* True when key is of the KEM's key type and curve. */
bool hpke_kem_fits(const hpke_kem *kem, const mm_key *key);

#endif
