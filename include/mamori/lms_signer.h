/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori LMS signer: HSS/LMS key generation and stateful signing on a host
 * (library mamori_lms_signer, POSIX). Verification is device code, in
 * mamori/lms.h.
 *
 * Model
 * -----
 * An HSS/LMS private key is a file of state: the parameter sets, a secret
 * seed from which every one-time key is derived, the public key, and the
 * index of the next one-time key. A one-time key must never sign twice, so
 * the file is the only copy that counts: never copy, restore or roll it back
 * (a restored backup signs with one-time keys already used, which lets anyone
 * forge). Its format is in docs/lms.md.
 *
 * Signing advances the state durably before a signature leaves the signer:
 * the new index is written to a temporary file, synced, renamed over the key
 * file, and the folder synced. To make that cheap the signer reserves
 * several indices per write (opts.reserve) and uses them from memory; a
 * crash can only skip the indices of a reservation, never repeat one, and a
 * clean close gives the unused rest back. A signer holds an exclusive lock
 * (flock on "<path>.lock") from its first signature to its close, so two
 * processes never sign with one key at once; a forked child cannot sign with
 * its parent's signer. An exhausted key refuses with MM_ERR_KEY_EXHAUSTED.
 *
 * The Merkle trees are computed from the seed (key generation computes the
 * top one whole: 2^h one-time public keys of (2^w - 1) p hashes each, which
 * takes a while for tall trees and wide w; all CPUs are used) and kept in a
 * cache file "<path>.cache", so opening a key later does not recompute them.
 * The cache is only a cache: missing, stale or damaged, it is rebuilt.
 * Trees taller than 16 keep their top 16 levels and recompute the subtree
 * under them as signing moves along.
 *
 * Keys are mm_key handles: mm_lms_signer_open() gives a private HSS-LMS key
 * whose own crypto instance signs (mm_sign(key.crypto, ...), or COSE with
 * mm_lms_cose_algs()), verifies, exports its public key (COSE_Key x) and is
 * closed by mm_key_free(). Every signature is verified before it is
 * returned. One signer may be used from several threads.
 *
 * Errors: MM_ERR_INVALID_ARG (arguments, unknown flags, parameter sets that
 * differ in hash function or size between levels), MM_ERR_UNSUPPORTED_ALG
 * (an unknown typecode), MM_ERR_BAD_KEY (a key file that is not one, or is
 * damaged: its checksum does not match), MM_ERR_KEY_EXHAUSTED, MM_ERR_STATE
 * (another process signs with the key; a signer used after fork()),
 * MM_ERR_BUFFER_TOO_SMALL (no one-time key is spent on it), MM_ERR_PLATFORM
 * (a file operation failed: then no signature was released), and the
 * backend's own.
 */
#ifndef MAMORI_LMS_SIGNER_H
#define MAMORI_LMS_SIGNER_H

#include "mamori/lms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mm_lms_keygen_opts.flags */
#define MM_LMS_KEYGEN_FORCE 0x1u /* replace an existing file at path */

typedef struct mm_lms_keygen_opts {
    const mm_crypto *crypto;              /* the random seed and I, and the hashing (a host backend) */
    uint32_t levels;                      /* 1 (a single LMS tree) .. MM_LMS_MAX_LEVELS */
    uint32_t lms_type[MM_LMS_MAX_LEVELS]; /* per level, top first; one hash function and size for all */
    uint32_t ots_type[MM_LMS_MAX_LEVELS];
    unsigned flags;   /* MM_LMS_KEYGEN_* */
    unsigned threads; /* 0: one per online CPU */
} mm_lms_keygen_opts;

/* Generates a key: writes the private state to path (mode 0600, durably;
 * an existing file is kept, MM_ERR_STATE, unless MM_LMS_KEYGEN_FORCE) and
 * the tree cache beside it, and gives the HSS public key. */
MM_NODISCARD mm_err mm_lms_keygen(const char *path, const mm_lms_keygen_opts *opts, uint8_t pub[MM_LMS_PUB_MAX],
                                  size_t *pub_len);

/* Default one-time keys reserved per durable state update. */
#define MM_LMS_RESERVE_DEFAULT 16u

typedef struct mm_lms_signer_opts {
    const mm_crypto *crypto; /* hashing, the bottom level's randomizers C, the checksum of the file */
    uint32_t reserve;        /* one-time keys per state update: 1 .. 2^20 (0: MM_LMS_RESERVE_DEFAULT) */
    unsigned threads;        /* for tree computation; 0: one per online CPU */
} mm_lms_signer_opts;

/* Opens the key at path: reads and checks the state (cheap: no lock, no
 * trees; those come with the first signature, so a key opened only to
 * show or verify costs nothing). key gets a private HSS-LMS key
 * (MM_ALG_HSS_LMS); mm_key_free() closes it, giving unused reserved indices
 * back. */
MM_NODISCARD mm_err mm_lms_signer_open(const char *path, const mm_lms_signer_opts *opts, mm_key *key);

/* What a key is and how much of it is left. */
typedef struct mm_lms_key_info {
    uint32_t levels;
    uint32_t lms_type[MM_LMS_MAX_LEVELS];
    uint32_t ots_type[MM_LMS_MAX_LEVELS];
    uint64_t total;     /* one-time keys in all: 2^(sum of the heights) */
    uint64_t next;      /* the index the next signature uses */
    uint64_t remaining; /* signatures left: total - next */
    size_t sig_len;     /* bytes of every signature */
    uint8_t pub[MM_LMS_PUB_MAX];
    size_t pub_len;
} mm_lms_key_info;

/* Fills info for a key of mm_lms_signer_open(). Before the first signature,
 * next is what the file says (another process may hold a reservation
 * beyond it); after, this signer's own position. Errors: MM_ERR_KEY_USAGE
 * (not a key of this library), MM_ERR_INVALID_ARG. */
MM_NODISCARD mm_err mm_lms_signer_info(const mm_key *key, mm_lms_key_info *info);

/* Reads the facts of a key file without opening it for signing (no lock,
 * no trees). Errors as mm_lms_signer_open(). */
MM_NODISCARD mm_err mm_lms_key_file_info(const char *path, const mm_crypto *crypto, mm_lms_key_info *info);

/* An HSS public key (RFC 8554 section 6) as an mm_key that owns its memory
 * (host): it verifies through mm_verify(key.crypto, ...) hashing with hash,
 * exports as COSE_Key parts (kty HSS-LMS, x), and is released by
 * mm_key_free(). Errors as mm_lms_pub_decode(). */
MM_NODISCARD mm_err mm_lms_public_key(const mm_crypto *hash, mm_bytes pub, mm_key *key);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_LMS_SIGNER_H */
