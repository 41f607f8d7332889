/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori test crypto backend: deterministic, allocation-free, NO SECURITY.
 *
 *   !!! NOT CRYPTOGRAPHY. NEVER USE OUTSIDE TESTS AND FUZZING. !!!
 *
 * Anyone holding a PUBLIC key can forge its signatures, compute any ECDH
 * secret between two public keys, and the "random" bytes are a fixed stream.
 * The backend exists so the layers above crypto (COSE, SUIT, TEEP, EAT,
 * SCITT) can be unit-tested without a crypto library and fuzzed past their
 * signature and tag checks.
 *
 * Model
 * -----
 * All state lives in one caller-allocated mm_crypto_test: flags, the random
 * stream's position and a fixed pool of key slots. mm_crypto_test_init() sets
 * it up; afterwards &t->crypto is the backend to hand to every context. The
 * struct refers to itself (crypto.user == t), so it must not be copied or
 * moved while in use. Nothing is allocated and nothing global is written.
 *
 * What is real and what is not:
 * - Hashes (SHA-256/384/512, SHAKE256, the SHA-256 compression function),
 *   HMAC and HKDF are the real algorithms, so digests, MACs and derived keys
 *   match official vectors, and hash-based signatures (HSS/LMS) are real.
 * - Signatures have the real length of their algorithm (ES256 64, ES384 96,
 *   ES512 132, Ed25519 64, Ed448 114, PS* the modulus size) and are a keyed
 *   hash of (the key's public identity, the algorithm, the message digest).
 *   ECDSA r and s always lie in [1, n-1] and a PSS signature below the
 *   modulus, so range checks above the backend accept them.
 *   As with real ECDSA and RSA-PSS, signing a message equals signing its
 *   SHA-2 digest with MM_SIG_PREHASHED (prehashed data must have the digest
 *   length). ES256 and ESP256 (and the other RFC 9864 pairs) are the same
 *   operation. EdDSA takes no MM_SIG_PREHASHED.
 * - ECDH secrets are a keyed hash of both public identities in sorted order,
 *   so A's private key with B's public key equals B's with A's; lengths are
 *   real (P-256 32, P-384 48, P-521 66, X25519 32, X448 56).
 * - AEAD (AES-GCM, ChaCha20/Poly1305): ciphertext = plaintext XOR a stream of
 *   (key, alg, nonce); the 16-byte tag is a keyed hash of (key, alg, nonce,
 *   aad, ciphertext). The nonce must be 12 bytes. A failed tag check wipes
 *   the output and returns MM_ERR_VERIFY.
 * - AES-CTR is a real counter mode (a 128-bit big-endian counter from the
 *   IV) over a fake block function, so chunking and seeking behave as with
 *   AES.
 * - Key wrap writes in.len + 8 bytes like RFC 3394: an 8-byte integrity block
 *   (a keyed hash of the KEK and the key) and the key XOR a stream of (KEK,
 *   integrity block). Unwrapping with another KEK or tampered input wipes
 *   the output and fails with MM_ERR_VERIFY.
 * - Random bytes are one stream indexed by a byte counter: reproducible run
 *   to run, and the same whatever the sizes of the requests.
 *
 * Keys
 * ----
 * A key's handle points to a slot of the pool. EC2 and OKP private keys hold
 * d (the curve's size: 32, 48 or 66 bytes; Ed25519/X25519 32, Ed448 57, X448
 * 56); the public key is a fixed function of d (x || y = a keyed hash of d,
 * P-521 coordinates masked to 521 bits). Importing x and y alone therefore
 * gives the public key of the private key whose d produced them; importing d
 * with x or y that are not that function of d is refused (MM_ERR_INVALID_ARG).
 * So a real key pair from an outside vector does not form a pair here:
 * import its d alone and use the public key this backend derives (export it)
 * to verify. Symmetric keys hold k (up to MM_CRYPTO_TEST_KEY_MAX bytes). RSA
 * keys: a private key holds a seed (generated, or d of the parts, up to
 * MM_CRYPTO_TEST_KEY_MAX bytes, imported together with the n it stands for);
 * its modulus n is a keyed hash of the seed and e is 65537. An imported
 * public RSA key keeps only a digest of n and e, so it verifies but cannot be
 * exported (MM_ERR_UNSUPPORTED). Running out of slots gives
 * MM_ERR_TOO_LARGE; every key must end with mm_key_free(), which wipes its
 * slot.
 *
 * Keys belong to the instance that made them: another instance (or backend)
 * refuses them with MM_ERR_UNSUPPORTED, a freed handle with
 * MM_ERR_INVALID_ARG.
 */
#ifndef MAMORI_CRYPTO_TEST_H
#define MAMORI_CRYPTO_TEST_H

#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of key slots in an mm_crypto_test (changes the struct's size, so a
 * program must be built with the library's value). */
#ifndef MM_CRYPTO_TEST_KEY_SLOTS
#define MM_CRYPTO_TEST_KEY_SLOTS 32
#endif

/* Bytes of key material a slot holds: a P-521 public key (x || y). */
#define MM_CRYPTO_TEST_KEY_MAX 132

/* mm_crypto_test_init() flags, for fuzzing. */
#define MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE 0x1u /* verify accepts any signature of the right length */
#define MM_CRYPTO_TEST_ACCEPT_ANY_TAG       0x2u /* AEAD decrypt and key unwrap skip their integrity check */

/* One key slot. The fields are the backend's; callers only allocate them. */
typedef struct mm_crypto_test_slot {
    int32_t kty;
    int32_t crv;
    int32_t alg;
    uint32_t bits; /* RSA modulus or symmetric key size */
    uint16_t len;  /* bytes of material in use */
    uint8_t in_use;
    uint8_t flags;
    uint8_t material[MM_CRYPTO_TEST_KEY_MAX];
} mm_crypto_test_slot;

/* A test backend instance; caller-allocated, see the model above. */
typedef struct mm_crypto_test {
    mm_crypto crypto;     /* pass &t->crypto around; crypto.user is t */
    unsigned flags;       /* MM_CRYPTO_TEST_* given to init */
    uint64_t rng_seed;    /* selects the random stream (0 after init) */
    uint64_t rng_counter; /* bytes of the random stream handed out so far */
    mm_crypto_test_slot slots[MM_CRYPTO_TEST_KEY_SLOTS];
} mm_crypto_test;

/* Sets up t with the given MM_CRYPTO_TEST_* flags (unknown bits are
 * ignored): every slot free, the random stream at seed 0, position 0. Two
 * instances set up alike give the same keys, signatures and random bytes.
 * Overwrites t without freeing anything: end the previous life's keys
 * first. */
void mm_crypto_test_init(mm_crypto_test *t, unsigned flags);

/* Restarts the random stream at position 0 of the stream named by seed, so
 * a fuzzer or a test can choose among reproducible streams. Keys already
 * made are kept. */
void mm_crypto_test_seed(mm_crypto_test *t, uint64_t seed);

/* Number of slots in use: a test can check that the code under test freed
 * every key it made. */
size_t mm_crypto_test_keys_in_use(const mm_crypto_test *t);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_CRYPTO_TEST_H */
