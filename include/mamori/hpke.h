/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori HPKE: Hybrid Public Key Encryption (RFC 9180) on the crypto
 * contract, and the COSE-HPKE ciphersuite numbers.
 *
 * Model
 * -----
 * HPKE is built from the backend's primitives only (mm_ecdh, mm_hkdf_extract
 * and _expand, mm_aead_*, key generation, import and export), so any backend
 * that has the curve and the AEAD runs it; nothing here touches a crypto
 * library. All four modes (base, psk, auth, auth_psk) and these algorithms:
 *
 *   KEM   DHKEM(P-256, HKDF-SHA256) 0x0010, DHKEM(P-384, HKDF-SHA384) 0x0011,
 *         DHKEM(P-521, HKDF-SHA512) 0x0012, DHKEM(X25519, HKDF-SHA256)
 *         0x0020, DHKEM(X448, HKDF-SHA512) 0x0021
 *   KDF   HKDF-SHA256 0x0001, HKDF-SHA384 0x0002, HKDF-SHA512 0x0003
 *   AEAD  AES-128-GCM 0x0001, AES-256-GCM 0x0002, ChaCha20Poly1305 0x0003,
 *         export-only 0xFFFF
 *
 * (a backend without P-521 or X448 refuses those KEMs: MM_ERR_UNSUPPORTED).
 *
 * Keys are mm_key handles of the KEM's curve (EC2 P-256/384/521, OKP X25519/
 * X448): the recipient's public key to seal, its private key to open.
 * mm_hpke_derive_key_pair() makes one deterministically from seed bytes.
 *
 * The mode follows from the options: a PSK (psk with psk_id) selects the psk
 * modes, an authentication key (the sender's private key when sealing, its
 * public key when opening) the auth modes; no options is mode_base.
 *
 * Memory and life cycle: no allocation. An mm_hpke_ctx is the caller's
 * struct: set up by mm_hpke_setup_sender() or _recipient(), used to seal or
 * open messages in order (the sequence number counts them; the nonce never
 * repeats: after 2^64 - 1 messages the context refuses with
 * MM_ERR_TOO_LARGE) and to export secrets, and ended by mm_hpke_ctx_finish(),
 * which releases the AEAD key the backend holds and wipes every secret. The
 * single-shot mm_hpke_seal() / mm_hpke_open() do all three in one call.
 *
 * Inputs the key schedule hashes (info, psk, psk_id, exporter_context, ikm)
 * may be up to MM_HPKE_MAX_INPUT bytes each (config.h): the labeled inputs
 * are put together in a stack buffer, because the backend's HKDF takes one
 * view. Longer ones are MM_ERR_TOO_LARGE.
 *
 * Errors common to every function: MM_ERR_INVALID_ARG (a NULL or
 * inconsistent argument: a psk without psk_id or shorter than 32 bytes, an
 * ephemeral key given to the recipient), MM_ERR_UNSUPPORTED_ALG (a
 * KEM, KDF or AEAD id this module does not know), MM_ERR_UNSUPPORTED (the
 * backend lacks the curve or the AEAD), MM_ERR_KEY_USAGE (a key of another
 * curve than the KEM, a public key where a private one is needed),
 * MM_ERR_TOO_LARGE (an input above MM_HPKE_MAX_INPUT), and the backend's own
 * (MM_ERR_PLATFORM...).
 */
#ifndef MAMORI_HPKE_H
#define MAMORI_HPKE_H

#include "mamori/base.h"
#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* HPKE modes (RFC 9180 section 5, Table 1). */
#define MM_HPKE_MODE_BASE     0x00
#define MM_HPKE_MODE_PSK      0x01
#define MM_HPKE_MODE_AUTH     0x02
#define MM_HPKE_MODE_AUTH_PSK 0x03

/* KEM, KDF and AEAD identifiers (RFC 9180 section 7, IANA "HPKE"). */
#define MM_HPKE_KEM_P256              0x0010 /* DHKEM(P-256, HKDF-SHA256) */
#define MM_HPKE_KEM_P384              0x0011 /* DHKEM(P-384, HKDF-SHA384) */
#define MM_HPKE_KEM_P521              0x0012 /* DHKEM(P-521, HKDF-SHA512) */
#define MM_HPKE_KEM_X25519            0x0020 /* DHKEM(X25519, HKDF-SHA256) */
#define MM_HPKE_KEM_X448              0x0021 /* DHKEM(X448, HKDF-SHA512) */
#define MM_HPKE_KDF_SHA256            0x0001
#define MM_HPKE_KDF_SHA384            0x0002
#define MM_HPKE_KDF_SHA512            0x0003
#define MM_HPKE_AEAD_AES128GCM        0x0001
#define MM_HPKE_AEAD_AES256GCM        0x0002
#define MM_HPKE_AEAD_CHACHA20POLY1305 0x0003
#define MM_HPKE_AEAD_EXPORT_ONLY      0xFFFF

/* Sizes. */
#define MM_HPKE_ENC_MAX    133 /* Nenc of DHKEM(P-521): 0x04 || x || y */
#define MM_HPKE_SECRET_MAX 64  /* Nh of HKDF-SHA512 */
#define MM_HPKE_NONCE_LEN  12  /* Nn of every AEAD here */
#define MM_HPKE_TAG_LEN    16  /* Nt of every AEAD here */

/* A ciphersuite: one KEM, one KDF, one AEAD. */
typedef struct mm_hpke_suite {
    uint16_t kem;
    uint16_t kdf;
    uint16_t aead;
} mm_hpke_suite;

/* Optional inputs of a setup; a zeroed struct (or NULL) is mode_base with
 * an empty info. Views are read during the call only. */
typedef struct mm_hpke_opts {
    mm_bytes info;           /* application info bound into the key schedule */
    mm_bytes psk;            /* psk modes: the pre-shared key, at least 32 bytes */
    mm_bytes psk_id;         /* psk modes: its identifier (required with psk) */
    const mm_key *auth_key;  /* auth modes: the sender's private key (setup_sender) or its public key
                                (setup_recipient) */
    const mm_key *ephemeral; /* setup_sender only: a fixed ephemeral private key (test vectors); NULL makes a
                                fresh one, as HPKE requires outside tests */
} mm_hpke_opts;

/* Context roles. */
#define MM_HPKE_ROLE_SENDER    1
#define MM_HPKE_ROLE_RECIPIENT 2

/* An encryption context (RFC 9180 section 5.2). The caller allocates it;
 * the fields are the library's (read them, never write them: a test may set
 * seq to check the overflow refusal). */
typedef struct mm_hpke_ctx {
    const mm_crypto *crypto;
    mm_hpke_suite suite;
    uint8_t role;         /* MM_HPKE_ROLE_*, 0 when not set up */
    uint8_t mode;         /* MM_HPKE_MODE_* */
    uint8_t exporter_len; /* Nh */
    mm_key key;           /* the AEAD key (none for export-only) */
    uint8_t base_nonce[MM_HPKE_NONCE_LEN];
    uint8_t exporter_secret[MM_HPKE_SECRET_MAX];
    uint64_t seq; /* sequence number of the next message */
} mm_hpke_ctx;

/* Checks that suite names algorithms this module implements (whether the
 * backend has the curve shows at setup). Errors: MM_ERR_UNSUPPORTED_ALG. */
MM_NODISCARD mm_err mm_hpke_suite_check(mm_hpke_suite suite);

/* Nenc of a KEM (the length of enc, and of a serialized public key), 0 for
 * an unknown KEM. */
size_t mm_hpke_enc_len(uint16_t kem);

/* The COSE key type and curve of a KEM's keys (for mm_key_generate).
 * Errors: MM_ERR_UNSUPPORTED_ALG. */
MM_NODISCARD mm_err mm_hpke_kem_key_type(uint16_t kem, int32_t *kty, int32_t *crv);

/* DeriveKeyPair(ikm) of the KEM (RFC 9180 7.1.3): a private key made
 * deterministically from ikm (at least Nsk bytes of entropy are the
 * caller's duty), imported through c with flags (MM_KEY_EXTRACTABLE or 0)
 * into out, which the caller frees with mm_key_free(). Errors: as above;
 * MM_ERR_BAD_KEY in the (2^-32 or rarer) case that no candidate scalar is
 * in range. */
MM_NODISCARD mm_err mm_hpke_derive_key_pair(const mm_crypto *c, uint16_t kem, mm_bytes ikm, unsigned flags,
                                            mm_key *out);

/* Writes a public key (or the public part of a private key) in the KEM's
 * serialization (SerializePublicKey: 0x04 || x || y, or the raw X25519/X448
 * key) into out[0..*len). */
MM_NODISCARD mm_err mm_hpke_serialize_public_key(uint16_t kem, const mm_key *key, uint8_t out[MM_HPKE_ENC_MAX],
                                                 size_t *len);

/* Imports a serialized public key of the KEM (DeserializePublicKey) through
 * c into out. Errors: MM_ERR_BAD_KEY (wrong length or form, not a point of
 * the curve). */
MM_NODISCARD mm_err mm_hpke_deserialize_public_key(const mm_crypto *c, uint16_t kem, mm_bytes pk, mm_key *out);

/*
 * Context API (RFC 9180 sections 5.1 and 5.2).
 */

/* SetupS: encapsulates to the recipient's public key pk_r and derives the
 * context. enc[0..*enc_len) is what the recipient needs (Nenc bytes). With
 * opts->auth_key (the sender's private key) the mode is auth / auth_psk.
 * ctx is valid (and must be finished) only when this returns MM_OK; on
 * failure it is left zeroed. */
MM_NODISCARD mm_err mm_hpke_setup_sender(mm_hpke_ctx *ctx, const mm_crypto *c, mm_hpke_suite suite, const mm_key *pk_r,
                                         const mm_hpke_opts *opts, uint8_t enc[MM_HPKE_ENC_MAX], size_t *enc_len);

/* SetupR: decapsulates enc with the recipient's private key sk_r. With
 * opts->auth_key (the sender's public key) the mode is auth / auth_psk.
 * Errors: MM_ERR_BAD_KEY (enc is not a public key of the KEM), MM_ERR_VERIFY
 * (an X25519/X448 enc of low order: the shared secret would be zero); as
 * setup_sender otherwise. A wrong key, PSK or info is not detected here: the
 * first open fails instead. */
MM_NODISCARD mm_err mm_hpke_setup_recipient(mm_hpke_ctx *ctx, const mm_crypto *c, mm_hpke_suite suite,
                                            const mm_key *sk_r, const mm_hpke_opts *opts, mm_bytes enc);

/* ContextS.Seal: encrypts pt with aad under the next nonce into ct
 * (pt.len + MM_HPKE_TAG_LEN bytes; base.h buffer rules) and advances the
 * sequence number. Errors: MM_ERR_STATE (not a sender context, or an
 * export-only suite), MM_ERR_TOO_LARGE (the sequence number would
 * overflow: the context is spent), MM_ERR_BUFFER_TOO_SMALL. */
MM_NODISCARD mm_err mm_hpke_ctx_seal(mm_hpke_ctx *ctx, mm_bytes aad, mm_bytes pt, mm_buf *ct);

/* ContextR.Open: decrypts ct (ciphertext with its tag) with aad under the
 * next nonce into pt (ct.len - MM_HPKE_TAG_LEN bytes) and advances the
 * sequence number; on failure nothing usable is written and the sequence
 * number stays. Errors: MM_ERR_VERIFY (the tag does not verify: wrong key,
 * aad, order, or tampering), MM_ERR_STATE (not a recipient context, or
 * export-only), MM_ERR_TOO_LARGE, MM_ERR_BUFFER_TOO_SMALL. */
MM_NODISCARD mm_err mm_hpke_ctx_open(mm_hpke_ctx *ctx, mm_bytes aad, mm_bytes ct, mm_buf *pt);

/* Context.Export: len bytes (at most 255 * Nh) of secret derived from the
 * context and exporter_context into out. Either role. */
MM_NODISCARD mm_err mm_hpke_ctx_export(const mm_hpke_ctx *ctx, mm_bytes exporter_context, uint8_t *out, size_t len);

/* Releases the AEAD key and wipes the context; safe on a zeroed or already
 * finished context. */
void mm_hpke_ctx_finish(mm_hpke_ctx *ctx);

/*
 * Single-shot API (RFC 9180 section 6): one message per encapsulation.
 */

/* Seal: setup_sender, one seal, finish. enc as setup_sender; ct as
 * mm_hpke_ctx_seal (its size is checked before any key work, so a NULL
 * buffer asks for the size cheaply). */
MM_NODISCARD mm_err mm_hpke_seal(const mm_crypto *c, mm_hpke_suite suite, const mm_key *pk_r, const mm_hpke_opts *opts,
                                 mm_bytes aad, mm_bytes pt, uint8_t enc[MM_HPKE_ENC_MAX], size_t *enc_len, mm_buf *ct);

/* Open: setup_recipient, one open, finish. Errors as both. */
MM_NODISCARD mm_err mm_hpke_open(const mm_crypto *c, mm_hpke_suite suite, const mm_key *sk_r, const mm_hpke_opts *opts,
                                 mm_bytes enc, mm_bytes aad, mm_bytes ct, mm_buf *pt);

/*
 * COSE-HPKE ciphersuites (draft-ietf-cose-hpke): one COSE algorithm number
 * names a KEM, a KDF, an AEAD and the COSE-HPKE mode it serves: Integrated
 * Encryption (the COSE_Encrypt0 layer itself) or Key Encryption (a
 * COSE_Encrypt recipient that encrypts the CEK).
 *
 * IANA has not assigned these numbers yet. They are the values the draft
 * assumes ("TBD1 (Assumed: 35)") and its test vectors use
 * (../shared/vectors/cose-hpke/testvectors.shared.txt, from
 * cose-wg/draft-ietf-cose-hpke@8c5fafad63ca). This table is the only place
 * they are written: the constants, the suite lookup and the COSE registry
 * entries are all generated from it, so an assignment is a one-line change.
 *
 * X(constant suffix, name, COSE alg, KEM, KDF, AEAD, key encryption)
 */
#define MM_HPKE_COSE_SUITES(X)                                                                                         \
    X(HPKE_0, "HPKE-0", 35, MM_HPKE_KEM_P256, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM, 0)                           \
    X(HPKE_1, "HPKE-1", 37, MM_HPKE_KEM_P384, MM_HPKE_KDF_SHA384, MM_HPKE_AEAD_AES256GCM, 0)                           \
    X(HPKE_2, "HPKE-2", 39, MM_HPKE_KEM_P521, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_AES256GCM, 0)                           \
    X(HPKE_3, "HPKE-3", 41, MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM, 0)                         \
    X(HPKE_4, "HPKE-4", 42, MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_CHACHA20POLY1305, 0)                  \
    X(HPKE_5, "HPKE-5", 43, MM_HPKE_KEM_X448, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_AES256GCM, 0)                           \
    X(HPKE_6, "HPKE-6", 44, MM_HPKE_KEM_X448, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_CHACHA20POLY1305, 0)                    \
    X(HPKE_7, "HPKE-7", 45, MM_HPKE_KEM_P256, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES256GCM, 0)                           \
    X(HPKE_0_KE, "HPKE-0-KE", 46, MM_HPKE_KEM_P256, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM, 1)                     \
    X(HPKE_1_KE, "HPKE-1-KE", 47, MM_HPKE_KEM_P384, MM_HPKE_KDF_SHA384, MM_HPKE_AEAD_AES256GCM, 1)                     \
    X(HPKE_2_KE, "HPKE-2-KE", 48, MM_HPKE_KEM_P521, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_AES256GCM, 1)                     \
    X(HPKE_3_KE, "HPKE-3-KE", 49, MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES128GCM, 1)                   \
    X(HPKE_4_KE, "HPKE-4-KE", 50, MM_HPKE_KEM_X25519, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_CHACHA20POLY1305, 1)            \
    X(HPKE_5_KE, "HPKE-5-KE", 51, MM_HPKE_KEM_X448, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_AES256GCM, 1)                     \
    X(HPKE_6_KE, "HPKE-6-KE", 52, MM_HPKE_KEM_X448, MM_HPKE_KDF_SHA512, MM_HPKE_AEAD_CHACHA20POLY1305, 1)              \
    X(HPKE_7_KE, "HPKE-7-KE", 53, MM_HPKE_KEM_P256, MM_HPKE_KDF_SHA256, MM_HPKE_AEAD_AES256GCM, 1)

/* MM_ALG_HPKE_0 ... MM_ALG_HPKE_7_KE. */
#define MM_HPKE_COSE_ALG_ENUM_(id, name, alg, kem, kdf, aead, ke) MM_ALG_##id = (alg),
enum { MM_HPKE_COSE_SUITES(MM_HPKE_COSE_ALG_ENUM_) };

/* A COSE-HPKE ciphersuite. */
typedef struct mm_hpke_cose_suite {
    int32_t alg;
    const char *name; /* "HPKE-0", "HPKE-0-KE"... */
    mm_hpke_suite suite;
    uint8_t key_encryption; /* 1: a COSE_Encrypt recipient; 0: Integrated Encryption (COSE_Encrypt0) */
} mm_hpke_cose_suite;

/* The suite of a COSE algorithm number, or NULL when alg is not COSE-HPKE. */
const mm_hpke_cose_suite *mm_hpke_cose_suite_find(int32_t alg);

/* The i-th suite of the table (in its order), or NULL past the end: for
 * listing them. */
const mm_hpke_cose_suite *mm_hpke_cose_suite_at(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_HPKE_H */
