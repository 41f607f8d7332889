/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What fuzz_hpke and its seed generator (make_hpke_corpus) share: the
 * input layout, the suites a selector names, and the fixed keys, derived
 * with DeriveKeyPair from fixed seeds on the deterministic test backend, so
 * a generator run and a fuzzer run hold the same key pairs.
 *
 * Input: [selector] [rest]. Selector bits 0-2 pick the suite (and, on the
 * COSE path, the COSE-HPKE algorithm family), bit 3 makes the backend accept
 * any AEAD tag (to reach what follows the check), bit 4 is mode_psk, bit 5
 * the COSE path, bit 6 on the COSE path COSE_Encrypt instead of
 * COSE_Encrypt0.
 * - HPKE path: rest = enc (Nenc bytes of the suite's KEM) || aad_len (1
 *   byte) || aad || ct. The target opens ct, then the same ct again as the
 *   next message, and exports.
 * - COSE path: rest is the message, decrypted with the suite's key through
 *   mm_hpke_cose_algs().
 */
#ifndef MM_FUZZ_HPKE_H
#define MM_FUZZ_HPKE_H

#include "mamori/cose_hpke.h"
#include "mamori/crypto_test.h"

#define FUZZ_HPKE_ANY_TAG 0x08u
#define FUZZ_HPKE_PSK     0x10u
#define FUZZ_HPKE_COSE    0x20u
#define FUZZ_HPKE_ENCRYPT 0x40u

/* The eight suites, one per KEM-and-AEAD shape, with their COSE-HPKE
 * algorithms (Integrated, Key Encryption). */
static const struct fuzz_hpke_suite {
    mm_hpke_suite suite;
    int32_t integrated, key_encryption;
} fuzz_hpke_suites[8] = {
    {{MM_HPKE_KEM_P256, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM}, MM_ALG_HPKE_0, MM_ALG_HPKE_0_KE},
    {{MM_HPKE_KEM_P384, MM_HPKE_KDF_SHA384, MM_HPKE_AEAD_AES256GCM}, MM_ALG_HPKE_1, MM_ALG_HPKE_1_KE},
    {{MM_HPKE_KEM_P521, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_AES256GCM}, MM_ALG_HPKE_2, MM_ALG_HPKE_2_KE},
    {{MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM}, MM_ALG_HPKE_3, MM_ALG_HPKE_3_KE},
    {{MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_CHACHA20POLY1305}, MM_ALG_HPKE_4, MM_ALG_HPKE_4_KE},
    {{MM_HPKE_KEM_X448, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_AES256GCM}, MM_ALG_HPKE_5, MM_ALG_HPKE_5_KE},
    {{MM_HPKE_KEM_X448, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_CHACHA20POLY1305}, MM_ALG_HPKE_6, MM_ALG_HPKE_6_KE},
    {{MM_HPKE_KEM_P256, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_EXPORT_ONLY}, MM_ALG_HPKE_7, MM_ALG_HPKE_7_KE},
};

/* The PSK and its id of mode_psk, and the info both sides use. */
static const uint8_t fuzz_hpke_psk[32] = "fuzz_hpke pre-shared key 32 byte";
#define FUZZ_HPKE_PSK_ID "fuzz psk id"
#define FUZZ_HPKE_INFO   "fuzz_hpke info"

/* The recipient's private key of a suite: DeriveKeyPair of a fixed seed. */
static inline mm_err fuzz_hpke_key(const mm_crypto *c, uint16_t kem, mm_key *out)
{
    static const uint8_t ikm[66] = "fuzz_hpke: the fixed seed of the recipient's key pair, 66 bytes...";
    return mm_hpke_derive_key_pair(c, kem, mm_bytes_make(ikm, sizeof ikm), 0, out);
}

#endif
