/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori LMS: verification of Leighton-Micali hash-based signatures, LMS and
 * its multi-level form HSS (RFC 8554), with the SHA-256/192 and SHAKE256
 * parameter sets of NIST SP 800-208, and COSE's HSS-LMS algorithm (-46,
 * RFC 8778).
 *
 * Model
 * -----
 * Verification is device code: it allocates nothing, keeps no state between
 * calls and reads every byte of a key or signature through bounds checks
 * before acting on it. Signing is stateful host code and lives elsewhere
 * (mamori/lms_signer.h).
 *
 * Hashing goes through a crypto backend (mm_crypto). When the backend offers
 * the SHA-256 compression function (the sha256_compress entry) the SHA-256
 * parameter sets use it, one call per one-block hash, padding done here;
 * otherwise they use its streaming hash. The SHAKE256 sets need
 * MM_ALG_SHAKE256 from the backend's streaming hash (MM_ERR_UNSUPPORTED
 * without it). SHA-256/192 and the 24-byte SHAKE sets are truncations.
 *
 * Formats: an HSS public key is u32 L || an LMS public key; an HSS signature
 * u32 (L-1) || (LMS signature || LMS public key) for each level but the last
 * || the last level's LMS signature (RFC 8554 section 6). With MM_LMS_SINGLE
 * the key and signature are bare LMS ones (section 5), as some interop
 * vectors carry them. COSE's HSS-LMS always uses the HSS form.
 *
 * Errors (common to the functions below):
 * - MM_ERR_BAD_KEY: a public key of the wrong length for its types, or with
 *   L outside 1..MM_LMS_MAX_LEVELS;
 * - MM_ERR_UNSUPPORTED_ALG: a public key with a typecode this module does
 *   not know, or whose LMS and LM-OTS types use different hash functions or
 *   output sizes (SP 800-208 pairs them);
 * - MM_ERR_SIG_LENGTH: a signature longer or shorter than its typecodes say;
 * - MM_ERR_VERIFY: anything else that makes a signature invalid: typecodes
 *   that differ from the key's, an unknown typecode inside a signature, a
 *   leaf index q >= 2^h, a level count that differs from the key's, and of
 *   course a computed root that is not the key's;
 * - MM_ERR_UNSUPPORTED: the backend cannot compute the hash the key needs;
 * - MM_ERR_INVALID_ARG: NULL or inconsistent arguments, unknown flags.
 */
#ifndef MAMORI_LMS_H
#define MAMORI_LMS_H

#include "mamori/base.h"
#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* LMS typecodes (RFC 8554 section 5.1, SP 800-208 section 4). */
#define MM_LMS_SHA256_M32_H5  0x05u
#define MM_LMS_SHA256_M32_H10 0x06u
#define MM_LMS_SHA256_M32_H15 0x07u
#define MM_LMS_SHA256_M32_H20 0x08u
#define MM_LMS_SHA256_M32_H25 0x09u
#define MM_LMS_SHA256_M24_H5  0x0au
#define MM_LMS_SHA256_M24_H10 0x0bu
#define MM_LMS_SHA256_M24_H15 0x0cu
#define MM_LMS_SHA256_M24_H20 0x0du
#define MM_LMS_SHA256_M24_H25 0x0eu
#define MM_LMS_SHAKE_M32_H5   0x0fu
#define MM_LMS_SHAKE_M32_H10  0x10u
#define MM_LMS_SHAKE_M32_H15  0x11u
#define MM_LMS_SHAKE_M32_H20  0x12u
#define MM_LMS_SHAKE_M32_H25  0x13u
#define MM_LMS_SHAKE_M24_H5   0x14u
#define MM_LMS_SHAKE_M24_H10  0x15u
#define MM_LMS_SHAKE_M24_H15  0x16u
#define MM_LMS_SHAKE_M24_H20  0x17u
#define MM_LMS_SHAKE_M24_H25  0x18u

/* LM-OTS typecodes (RFC 8554 section 4.1, SP 800-208 section 4). */
#define MM_LMOTS_SHA256_N32_W1 0x01u
#define MM_LMOTS_SHA256_N32_W2 0x02u
#define MM_LMOTS_SHA256_N32_W4 0x03u
#define MM_LMOTS_SHA256_N32_W8 0x04u
#define MM_LMOTS_SHA256_N24_W1 0x05u
#define MM_LMOTS_SHA256_N24_W2 0x06u
#define MM_LMOTS_SHA256_N24_W4 0x07u
#define MM_LMOTS_SHA256_N24_W8 0x08u
#define MM_LMOTS_SHAKE_N32_W1  0x09u
#define MM_LMOTS_SHAKE_N32_W2  0x0au
#define MM_LMOTS_SHAKE_N32_W4  0x0bu
#define MM_LMOTS_SHAKE_N32_W8  0x0cu
#define MM_LMOTS_SHAKE_N24_W1  0x0du
#define MM_LMOTS_SHAKE_N24_W2  0x0eu
#define MM_LMOTS_SHAKE_N24_W4  0x0fu
#define MM_LMOTS_SHAKE_N24_W8  0x10u

/* Sizes. */
#define MM_LMS_MAX_LEVELS  8  /* HSS levels (RFC 8554 section 6) */
#define MM_LMS_I_LEN       16 /* the tree identifier I */
#define MM_LMS_N_MAX       32 /* hash output bytes (n, m) */
#define MM_LMS_LMS_PUB_MAX 56 /* LMS public key: type, LM-OTS type, I, T[1] */
#define MM_LMS_PUB_MAX     60 /* HSS public key: L and an LMS public key */
/* Longest LMS signature (H25 with W1 and 32-byte hashes) and HSS signature
 * (eight such levels with the public keys between them). */
#define MM_LMS_LMS_SIG_MAX 9324
#define MM_LMS_SIG_MAX     (4 + MM_LMS_MAX_LEVELS * MM_LMS_LMS_SIG_MAX + (MM_LMS_MAX_LEVELS - 1) * MM_LMS_LMS_PUB_MAX)

/* Format flags. */
#define MM_LMS_SINGLE 0x1u /* bare LMS public key and signature (RFC 8554 section 5), not HSS */

/* An LMS parameter set (a tree). */
typedef struct mm_lms_type_info {
    uint32_t type;
    int32_t hash_alg; /* MM_ALG_SHA256 or MM_ALG_SHAKE256 */
    const char *name; /* "LMS_SHA256_M32_H10" */
    uint8_t m;        /* bytes of each tree node */
    uint8_t h;        /* height: 2^h one-time keys */
} mm_lms_type_info;

/* An LM-OTS parameter set (a one-time key). */
typedef struct mm_lms_ots_type_info {
    uint32_t type;
    int32_t hash_alg;
    const char *name; /* "LMOTS_SHA256_N32_W4" */
    uint16_t p;       /* number of chains */
    uint8_t n;        /* bytes of each hash */
    uint8_t w;        /* Winternitz parameter: bits per chain */
    uint8_t ls;       /* left shift of the checksum */
} mm_lms_ots_type_info;

/* The facts of a typecode, or NULL when unknown. The pointers are static. */
const mm_lms_type_info *mm_lms_type(uint32_t type);
const mm_lms_ots_type_info *mm_lms_ots_type(uint32_t type);

/* Bytes of an LM-OTS signature (4 + n (p + 1)), an LMS signature
 * (12 + n (p + 1) + m h) and an LMS public key (24 + m) for known types. */
size_t mm_lms_ots_sig_len(const mm_lms_ots_type_info *ots);
size_t mm_lms_lms_sig_len(const mm_lms_type_info *lms, const mm_lms_ots_type_info *ots);
size_t mm_lms_lms_pub_len(const mm_lms_type_info *lms);

/*
 * Decoding, without cryptography: what a key or signature claims, with
 * every length and typecode checked. Views point into the input.
 */

/* One level of an HSS key or signature. */
typedef struct mm_lms_level {
    uint32_t lms_type;
    uint32_t ots_type;
    uint32_t q;   /* signature: the leaf (one-time key) index */
    mm_bytes I;   /* the tree identifier */
    mm_bytes pub; /* the LMS public key of this level (from the key for level 0, else from the signature) */
    mm_bytes sig; /* signature: the LMS signature of this level */
} mm_lms_level;

/* A decoded public key (levels[0] only) or signature (every level). */
typedef struct mm_lms_info {
    uint32_t levels;
    mm_lms_level level[MM_LMS_MAX_LEVELS];
} mm_lms_info;

/* Decodes a public key (HSS, or LMS with MM_LMS_SINGLE). Errors: see the
 * header's list (MM_ERR_BAD_KEY, MM_ERR_UNSUPPORTED_ALG). */
MM_NODISCARD mm_err mm_lms_pub_decode(mm_bytes pub, unsigned flags, mm_lms_info *out);

/* Decodes a signature against the public key it claims to verify under:
 * each level's typecodes must be the ones of the key that level is checked
 * with, q below 2^h, and the lengths exact. Errors: those of the key; then
 * MM_ERR_SIG_LENGTH or MM_ERR_VERIFY (see above). */
MM_NODISCARD mm_err mm_lms_sig_decode(mm_bytes pub, mm_bytes sig, unsigned flags, mm_lms_info *out);

/*
 * Verification.
 */

/* Verifies sig over msg with pub (HSS; LMS with MM_LMS_SINGLE), hashing
 * through c. MM_OK only for a valid signature. */
MM_NODISCARD mm_err mm_lms_verify(const mm_crypto *c, mm_bytes pub, mm_bytes msg, mm_bytes sig, unsigned flags);

/* Hash state of the streamed message (private fields). */
typedef struct mm_lms_hash_state {
    const mm_crypto *crypto;
    int32_t alg;    /* MM_ALG_SHA256 or MM_ALG_SHAKE256 */
    uint8_t n;      /* output bytes */
    uint8_t fast;   /* SHA-256 on the backend's compression function */
    uint8_t active; /* started and not yet final */
    uint8_t unused;
    uint32_t fill; /* fast: bytes waiting in buf */
    uint64_t total;
    uint32_t state[8];
    uint8_t buf[64];
    mm_crypto_ctx ctx; /* the backend's streaming hash otherwise */
} mm_lms_hash_state;

/* A streamed verification (private fields). */
typedef struct mm_lms_verify_ctx {
    mm_lms_hash_state msg; /* H(I || q || D_MESG || C || message ...) */
    const uint8_t *y;      /* the bottom level's chain values, in the caller's signature */
    const uint8_t *path;   /* its authentication path */
    uint32_t q;
    uint32_t lms_type;
    uint32_t ots_type;
    uint8_t I[MM_LMS_I_LEN];
    uint8_t root[MM_LMS_N_MAX];
    bool started;
} mm_lms_verify_ctx;

/* Starts verifying sig with pub: decodes both, verifies the upper levels of
 * an HSS signature (they sign public keys, not the message) and starts the
 * message hash. sig must stay valid and unchanged until _end or _abort.
 * On failure nothing is left to end. */
MM_NODISCARD mm_err mm_lms_verify_begin(mm_lms_verify_ctx *v, const mm_crypto *c, mm_bytes pub, mm_bytes sig,
                                        unsigned flags);
/* Feeds the next chunk of the message (any sizes). Errors end the stream. */
MM_NODISCARD mm_err mm_lms_verify_update(mm_lms_verify_ctx *v, mm_bytes chunk);
/* Finishes: MM_OK only when the signature is valid for the whole message
 * fed. Ends the stream either way. */
MM_NODISCARD mm_err mm_lms_verify_end(mm_lms_verify_ctx *v);
/* Ends a stream without a verdict (safe on an ended one). */
void mm_lms_verify_abort(mm_lms_verify_ctx *v);

/* Verifies a bare LM-OTS signature (u32 type || C || y[p]) over msg against
 * an LM-OTS public key (u32 type || I || u32 q || K, RFC 8554 section 4.3),
 * for interop tests of the one-time layer. Errors: MM_ERR_BAD_KEY (key
 * length), MM_ERR_UNSUPPORTED_ALG (key type), MM_ERR_SIG_LENGTH,
 * MM_ERR_VERIFY (type mismatch, wrong K). */
MM_NODISCARD mm_err mm_lms_ots_verify(const mm_crypto *c, mm_bytes ots_pub, mm_bytes msg, mm_bytes ots_sig);

/*
 * Keys: HSS-LMS public keys as mm_key handles.
 *
 * An mm_lms_verifier is a small crypto instance, allocated by the caller,
 * that holds up to MM_LMS_VERIFIER_KEYS public keys: import one with
 * mm_key_import(&v->crypto, parts, 0, &key) (kty MM_KTY_HSS_LMS, x the HSS
 * public key, as COSE_Key carries it) or mm_cose_key_import(&v->crypto...),
 * and the key verifies through mm_verify(key.crypto, &key, MM_ALG_HSS_LMS,
 * msg, 0, sig), hashing with the backend the verifier was set up with, and
 * through COSE with mm_lms_cose_algs(). mm_key_free() releases the slot. The
 * struct refers to itself, so it must not move while keys are in use.
 * Key import errors: MM_ERR_KEY_USAGE (not HSS-LMS, or private parts),
 * MM_ERR_BAD_KEY / MM_ERR_UNSUPPORTED_ALG (as mm_lms_pub_decode),
 * MM_ERR_TOO_LARGE (no free slot).
 */
#ifndef MM_LMS_VERIFIER_KEYS
#define MM_LMS_VERIFIER_KEYS 4
#endif

typedef struct mm_lms_verifier_slot {
    uint8_t in_use;
    uint8_t len;
    uint8_t pub[MM_LMS_PUB_MAX];
} mm_lms_verifier_slot;

typedef struct mm_lms_verifier {
    mm_crypto crypto;      /* pass &v->crypto to import keys; crypto.user is v */
    const mm_crypto *hash; /* the backend that hashes */
    mm_lms_verifier_slot slots[MM_LMS_VERIFIER_KEYS];
} mm_lms_verifier;

/* Sets up v (every slot free) to hash through hash. */
void mm_lms_verifier_init(mm_lms_verifier *v, const mm_crypto *hash);

/* The HSS public key an HSS-LMS mm_key holds, as a view of the key's
 * storage: for keys of an mm_lms_verifier and for any other instance whose
 * key_export gives x. Errors: MM_ERR_KEY_USAGE (not an HSS-LMS key), the
 * instance's own. buf gives the room key_export may need. */
MM_NODISCARD mm_err mm_lms_key_public(const mm_key *key, uint8_t buf[MM_LMS_PUB_MAX], mm_bytes *pub);

/*
 * COSE (RFC 8778): HSS-LMS (-46) for COSE_Sign1 and COSE_Sign.
 */
struct mm_cose_algs;

/* A registry with HSS-LMS in front of the default table: pass it as the
 * algs of mm_cose_verify_opts / mm_cose_create_opts. The entry verifies and
 * signs through the key's own instance (mm_verify / mm_sign on key->crypto),
 * so a key from an mm_lms_verifier verifies and one from the host signer
 * (mamori/lms_signer.h) signs. The Sig_structure is signed whole, so verify
 * needs scratch room for it (opts.scratch). To chain it with other tables,
 * copy its sig / n_sig into a table of your own. */
const struct mm_cose_algs *mm_lms_cose_algs(void);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_LMS_H */
