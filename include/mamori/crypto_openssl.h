/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori crypto_openssl: the host crypto backend on OpenSSL 3 (libcrypto),
 * plus what only a host needs: keys in PEM and DER, and X.509 chains for
 * COSE's x5chain header (RFC 9360).
 *
 * Model
 * -----
 * mm_crypto_openssl() returns a constant backend instance: pass it wherever
 * the core takes a `const mm_crypto *`. It has no state of its own (OpenSSL
 * 3 is thread-safe), so one instance serves every thread; its user pointer
 * is unused. It uses OpenSSL's default library context and providers.
 *
 * Every key this backend makes, by generation, import from COSE parts, from
 * PEM/DER or from a certificate, points at that instance (mm_key.crypto)
 * and holds an EVP_PKEY (asymmetric) or a copy of the secret bytes on
 * OpenSSL's secure heap when one is set up (symmetric). The caller owns the
 * mm_key struct and releases what it holds with mm_key_free(), which wipes
 * symmetric secrets. Keys of another backend, and freed keys, are refused
 * with MM_ERR_INVALID_ARG.
 *
 * What the ops do, and the sizes they write, are the contract's (see
 * mamori/crypto.h and docs/crypto-openssl.md). Choices it leaves open:
 * - AES-GCM and ChaCha20/Poly1305 take 12-byte nonces and 16-byte tags.
 * - HKDF-Expand takes an info of at most MM_OPENSSL_HKDF_INFO_MAX bytes
 *   (OpenSSL's limit) and a PRK of at least the hash length (RFC 5869).
 * - Symmetric keys are 1..MM_SYMKEY_MAX bytes; RSA moduli 2048..4096 bits.
 * - Key import checks what it is given: EC points on the curve, exact
 *   sizes, a private key's public part matching when both are present. A
 *   private key without its public part gets it computed.
 * - SHAKE256 hashes give COSE's 64 bytes. The SHA-256 compression entry
 *   (for HSS/LMS) uses the x86 SHA extensions when the CPU has them, else
 *   mm_sha256_compress_portable(); it is the one entry that is not OpenSSL.
 *
 * Errors
 * ------
 * - MM_ERR_VERIFY: a check refused (signature, including one of the wrong
 *   length, AEAD tag, key-wrap integrity, a certificate chain, an X25519 or
 *   X448 peer of low order).
 * - MM_ERR_BAD_KEY: key material refused on import (wrong size, a point not
 *   on the curve, private and public parts that do not match, a scalar out
 *   of range, unreadable PEM or DER).
 * - MM_ERR_KEY_USAGE: the key cannot do what is asked (a public key signs, a
 *   key of another type, curve or size than the algorithm needs, an alg
 *   restriction the key does not fit, export of what is not extractable).
 * - MM_ERR_UNSUPPORTED_ALG: an algorithm this backend does not implement;
 *   MM_ERR_UNSUPPORTED: a curve, key type or feature it does not (RSA below
 *   2048 or above 4096 bits, encrypted PEM, EdDSA with MM_SIG_PREHASHED).
 * - MM_ERR_INVALID_ARG: arguments out of their domain (unknown flags, a
 *   nonce or digest of the wrong length, a key of another backend).
 * - MM_ERR_PLATFORM: OpenSSL failed otherwise.
 * No function leaves entries on OpenSSL's error queue: what OpenSSL reports
 * during a call is removed before it returns, and entries the caller had
 * queued before are kept.
 */
#ifndef MAMORI_CRYPTO_OPENSSL_H
#define MAMORI_CRYPTO_OPENSSL_H

#include "mamori/cose.h"
#include "mamori/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest HKDF-Expand info OpenSSL 3.0 to 3.5 accept (HKDF_MAXINFO); a
 * longer one gets MM_ERR_TOO_LARGE instead of a vague OpenSSL failure. */
#define MM_OPENSSL_HKDF_INFO_MAX 32768u

/* The OpenSSL backend: a static constant instance, never NULL. */
const mm_crypto *mm_crypto_openssl(void);

/*
 * PEM and DER keys (host only).
 *
 * Input is PEM when it does not start with a DER SEQUENCE (0x30); PEM may
 * carry other blocks before the one wanted (a certificate before a key).
 * DER must be exactly one structure, nothing after it. Encrypted private
 * keys are not read (MM_ERR_UNSUPPORTED): decrypt them with a host tool.
 * alg restricts the key to one COSE algorithm (0: none); it must fit the key
 * (MM_ERR_KEY_USAGE otherwise). Supported keys: EC on P-256/384/521 (named
 * curves only), Ed25519, Ed448, X25519, X448, RSA of 2048..4096 bits. out is
 * zeroed first and, on success, freed by the caller with mm_key_free().
 */

/* Output encodings of the exporters. */
typedef enum mm_openssl_form {
    MM_OPENSSL_DER = 0,
    MM_OPENSSL_PEM = 1, /* text with "\n" line ends, no NUL */
} mm_openssl_form;

/* Reads a private key: PKCS#8 PrivateKeyInfo ("PRIVATE KEY"), or the
 * traditional "EC PRIVATE KEY" (RFC 5915) and "RSA PRIVATE KEY" (PKCS#1)
 * forms. flags: MM_KEY_EXTRACTABLE or 0. Errors: MM_ERR_BAD_KEY (unreadable,
 * or OpenSSL's key checks refuse it), MM_ERR_KEY_USAGE (alg does not fit),
 * MM_ERR_UNSUPPORTED (encrypted, or a key type, curve or size not listed
 * above), MM_ERR_INVALID_ARG (no input or out, unknown flag),
 * MM_ERR_TOO_LARGE (input beyond INT_MAX), MM_ERR_PLATFORM. */
MM_NODISCARD mm_err mm_openssl_import_private_key(mm_bytes in, int32_t alg, unsigned flags, mm_key *out);

/* Reads a public key from SubjectPublicKeyInfo ("PUBLIC KEY"). Errors as
 * mm_openssl_import_private_key(). */
MM_NODISCARD mm_err mm_openssl_import_public_key(mm_bytes in, int32_t alg, mm_key *out);

/* Reads the public key of an X.509 certificate ("CERTIFICATE"). The
 * certificate itself is not checked in any way: use
 * mm_openssl_x509_chain_verify() to trust it. Errors as
 * mm_openssl_import_private_key(). */
MM_NODISCARD mm_err mm_openssl_import_cert_key(mm_bytes in, int32_t alg, mm_key *out);

/* Writes key's public part as SubjectPublicKeyInfo into out (base.h
 * conventions: MM_ERR_BUFFER_TOO_SMALL sets out->len to the need, and a
 * NULL out->ptr with cap 0 asks for the size). Errors: MM_ERR_KEY_USAGE (a
 * symmetric key), MM_ERR_INVALID_ARG (not a key of this backend, a bad form
 * or out), MM_ERR_BUFFER_TOO_SMALL, MM_ERR_PLATFORM. */
MM_NODISCARD mm_err mm_openssl_export_public_key(const mm_key *key, mm_openssl_form form, mm_buf *out);

/* Writes key's private part as unencrypted PKCS#8 PrivateKeyInfo into out;
 * the key must be private and MM_KEY_EXTRACTABLE. The caller wipes out
 * when done. Errors: MM_ERR_KEY_USAGE (public, not extractable, symmetric),
 * MM_ERR_INVALID_ARG (not a key of this backend, a bad form or out),
 * MM_ERR_BUFFER_TOO_SMALL, MM_ERR_PLATFORM. */
MM_NODISCARD mm_err mm_openssl_export_private_key(const mm_key *key, mm_openssl_form form, mm_buf *out);

/*
 * X.509 chains for COSE x5chain (RFC 9360).
 */

/* Verifies the DER certificates chain[0..n) (leaf first; the rest are
 * candidate intermediates, in any order) up to one of the DER trust anchors
 * roots[0..n_roots), per RFC 5280 as OpenSSL implements it, at at_time
 * (seconds since the epoch, or -1 for now). Only roots are trusted, never
 * the system store; any certificate in roots is an anchor, self-signed or
 * not (a pinned intermediate or leaf works). Keys must give 112-bit security
 * (RSA >= 2048, no SHA-1 signatures), and a leaf with a keyUsage extension
 * must allow digitalSignature. On success, leaf_key_out receives the leaf's
 * public key restricted to alg (0: none); the caller frees it with
 * mm_key_free(). Errors: MM_ERR_VERIFY (a chain certificate is not DER, or
 * the chain does not verify); MM_ERR_ALG_MISMATCH (the leaf's key is not
 * for alg); MM_ERR_UNSUPPORTED (the leaf's key type or size);
 * MM_ERR_INVALID_ARG (no chain or roots, a root is not DER, at_time below
 * -1); MM_ERR_TOO_LARGE (a certificate beyond INT_MAX bytes);
 * MM_ERR_PLATFORM. */
MM_NODISCARD mm_err mm_openssl_x509_chain_verify(const mm_bytes *chain, size_t n, const mm_bytes *roots, size_t n_roots,
                                                 int64_t at_time, int32_t alg, mm_key *leaf_key_out);

/* Most certificates an x5chain may carry. */
#define MM_OPENSSL_X5CHAIN_MAX 8

/* The signer's key from a COSE layer's x5chain (RFC 9360): checks an x5t
 * beside it against the leaf, validates the chain to one of roots[] at
 * at_time (as mm_openssl_x509_chain_verify) and returns the leaf's key,
 * restricted to the layer's alg. Verify the message with it next.
 * Errors: MM_ERR_MISSING_FIELD (no x5chain), MM_ERR_TOO_LARGE (more than
 * MM_OPENSSL_X5CHAIN_MAX certificates), MM_ERR_VERIFY (the chain does not
 * validate, or x5t names another certificate), as the chain check. */
MM_NODISCARD mm_err mm_openssl_cose_x5chain_key(const mm_cose_headers *h, const mm_bytes *roots, size_t n_roots,
                                                int64_t at_time, mm_key *leaf_key_out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_CRYPTO_OPENSSL_H */
