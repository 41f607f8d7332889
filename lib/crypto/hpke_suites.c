/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The algorithms HPKE is built from (RFC 9180 section 7) and the COSE-HPKE
 * ciphersuites, as tables: the KEMs with their sizes and curves, the KDFs'
 * hashes, the AEADs' COSE algorithms, and the COSE algorithm numbers
 * generated from MM_HPKE_COSE_SUITES.
 */
#include "hpke_internal.h"

static const hpke_kem kems[] = {
    {MM_HPKE_KEM_P256, MM_KTY_EC2, MM_CRV_P256, MM_ALG_SHA256, 32, 65, 32, 0xff},
    {MM_HPKE_KEM_P384, MM_KTY_EC2, MM_CRV_P384, MM_ALG_SHA384, 48, 97, 48, 0xff},
    {MM_HPKE_KEM_P521, MM_KTY_EC2, MM_CRV_P521, MM_ALG_SHA512, 64, 133, 66, 0x01},
    {MM_HPKE_KEM_X25519, MM_KTY_OKP, MM_CRV_X25519, MM_ALG_SHA256, 32, 32, 32, 0},
    {MM_HPKE_KEM_X448, MM_KTY_OKP, MM_CRV_X448, MM_ALG_SHA512, 64, 56, 56, 0},
};

const hpke_kem *hpke_kem_find(uint16_t id)
{
    for (size_t i = 0; i < sizeof kems / sizeof kems[0]; i++) {
        if (kems[i].id == id) {
            return &kems[i];
        }
    }
    return NULL;
}

bool hpke_kem_fits(const hpke_kem *kem, const mm_key *key)
{
    return key != NULL && key->crypto != NULL && key->kty == kem->kty && key->crv == kem->crv;
}

int32_t hpke_kdf_hash(uint16_t kdf)
{
    switch (kdf) {
    case MM_HPKE_KDF_SHA256:
        return MM_ALG_SHA256;
    case MM_HPKE_KDF_SHA384:
        return MM_ALG_SHA384;
    case MM_HPKE_KDF_SHA512:
        return MM_ALG_SHA512;
    default:
        return 0;
    }
}

int32_t hpke_aead_alg(uint16_t aead, size_t *key_len)
{
    *key_len = 0;
    switch (aead) {
    case MM_HPKE_AEAD_AES128GCM:
        *key_len = 16;
        return MM_ALG_A128GCM;
    case MM_HPKE_AEAD_AES256GCM:
        *key_len = 32;
        return MM_ALG_A256GCM;
    case MM_HPKE_AEAD_CHACHA20POLY1305:
        *key_len = 32;
        return MM_ALG_CHACHA20_POLY1305;
    case MM_HPKE_AEAD_EXPORT_ONLY:
        return 0;
    default:
        return -1;
    }
}

mm_err mm_hpke_suite_check(mm_hpke_suite suite)
{
    size_t key_len;
    if (hpke_kem_find(suite.kem) == NULL || hpke_kdf_hash(suite.kdf) == 0 || hpke_aead_alg(suite.aead, &key_len) < 0) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    return MM_OK;
}

size_t mm_hpke_enc_len(uint16_t kem)
{
    const hpke_kem *k = hpke_kem_find(kem);
    return k != NULL ? k->n_enc : 0;
}

mm_err mm_hpke_kem_key_type(uint16_t kem, int32_t *kty, int32_t *crv)
{
    const hpke_kem *k = hpke_kem_find(kem);
    if (k == NULL || kty == NULL || crv == NULL) {
        return k == NULL ? MM_ERR_UNSUPPORTED_ALG : MM_ERR_INVALID_ARG;
    }
    *kty = k->kty;
    *crv = k->crv;
    return MM_OK;
}

/* The COSE-HPKE suites, in the order of MM_HPKE_COSE_SUITES. */
#define COSE_SUITE(id, name, alg, kem, kdf, aead, ke) {(alg), (name), {(kem), (kdf), (aead)}, (ke)},
static const mm_hpke_cose_suite cose_suites[] = {MM_HPKE_COSE_SUITES(COSE_SUITE)};
#undef COSE_SUITE

const mm_hpke_cose_suite *mm_hpke_cose_suite_find(int32_t alg)
{
    for (size_t i = 0; i < sizeof cose_suites / sizeof cose_suites[0]; i++) {
        if (cose_suites[i].alg == alg) {
            return &cose_suites[i];
        }
    }
    return NULL;
}

const mm_hpke_cose_suite *mm_hpke_cose_suite_at(size_t i)
{
    return i < sizeof cose_suites / sizeof cose_suites[0] ? &cose_suites[i] : NULL;
}
