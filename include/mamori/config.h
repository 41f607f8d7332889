/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compile-time limits and feature switches of the device-safe core.
 *
 * Every limit has a default here and can be overridden with -D (CMake mirrors
 * each one as a cache variable of the same name). Limits that size a struct
 * (such as the CBOR nesting stack) change the ABI: a program must be built with
 * the same values as the library it links, which the installed copy of this
 * header guarantees.
 */
#ifndef MAMORI_CONFIG_H
#define MAMORI_CONFIG_H

/* Deepest CBOR nesting a decoder can track (arrays, maps, tags and bstr-wrapped
 * items each count one level). The runtime limit a caller sets may be lower. */
#ifndef MM_CBOR_MAX_NESTING
#define MM_CBOR_MAX_NESTING 32
#endif

/* Nesting limit a decoder gets when the caller does not set one. */
#ifndef MM_CBOR_DEFAULT_NESTING
#define MM_CBOR_DEFAULT_NESTING 16
#endif

/* Deepest container nesting the encoder can track (fixed-count containers,
 * tags and open containers each take a level). As deep as the decoder's, so
 * that anything decoded can be re-encoded. */
#ifndef MM_CBOR_ENC_MAX_NESTING
#define MM_CBOR_ENC_MAX_NESTING MM_CBOR_MAX_NESTING
#endif

/* Longest input HPKE hashes into its key schedule (info, psk, psk_id,
 * exporter_context, DeriveKeyPair's ikm), and so the longest COSE-HPKE info
 * (the Recipient_structure). HPKE builds each labeled input in a stack
 * buffer of about this size; at least 399 bytes (a P-521 auth KEM context). */
#ifndef MM_HPKE_MAX_INPUT
#define MM_HPKE_MAX_INPUT 512
#endif

/* Deepest nesting of EAT submodules (claims-sets and nested tokens inside
 * submods) that decoding and verification follow; each level costs a few
 * hundred bytes of stack. */
#ifndef MM_EAT_MAX_DEPTH
#define MM_EAT_MAX_DEPTH 4
#endif

/* Most installed SUIT manifests the attester reports in one token (the
 * manifests claim is built in a stack array of this many entries). */
#ifndef MM_EAT_ATTEST_MAX_MANIFESTS
#define MM_EAT_ATTEST_MAX_MANIFESTS 16
#endif

/* SUIT processor limits. Components one manifest may declare (each costs
 * its parameter set, about 220 bytes, in the processor context); command
 * sequences nested inside a top-level one (each level costs a C stack frame
 * of the interpreter); commands in one sequence; commands executed in one
 * call (loops over components multiply them); signers of one COSE_Sign
 * authentication block; integers in a version. */
#ifndef MM_SUIT_MAX_COMPONENTS
#define MM_SUIT_MAX_COMPONENTS 16
#endif
#ifndef MM_SUIT_MAX_NESTING
#define MM_SUIT_MAX_NESTING 4
#endif
#ifndef MM_SUIT_MAX_COMMANDS
#define MM_SUIT_MAX_COMMANDS 256
#endif
#ifndef MM_SUIT_MAX_STEPS
#define MM_SUIT_MAX_STEPS 65536
#endif
#ifndef MM_SUIT_MAX_SIGNERS
#define MM_SUIT_MAX_SIGNERS 4
#endif
#ifndef MM_SUIT_MAX_VERSION
#define MM_SUIT_MAX_VERSION 8
#endif

/* SCITT limits. Proofs one receipt may carry (each costs a signature
 * check); receipts of one transparent statement that are verified; bytes of
 * stack statement and receipt creation use to encode the CWT claims and the
 * other values they add (an issuer near the 8192 characters the SCITT
 * architecture allows needs more). */
#ifndef MM_SCITT_MAX_PROOFS
#define MM_SCITT_MAX_PROOFS 8
#endif
#ifndef MM_SCITT_MAX_RECEIPTS
#define MM_SCITT_MAX_RECEIPTS 16
#endif
#ifndef MM_SCITT_CREATE_HEADER_MAX
#define MM_SCITT_CREATE_HEADER_MAX 2048
#endif

#if MM_SUIT_MAX_COMPONENTS < 1 || MM_SUIT_MAX_COMPONENTS > 64
#error "MM_SUIT_MAX_COMPONENTS must be 1..64 (components are bits of a 64-bit mask)"
#endif
#if MM_SUIT_MAX_NESTING < 1 || MM_SUIT_MAX_NESTING > 8
#error "MM_SUIT_MAX_NESTING must be 1..8"
#endif

#if MM_CBOR_DEFAULT_NESTING > MM_CBOR_MAX_NESTING
#error "MM_CBOR_DEFAULT_NESTING must not exceed MM_CBOR_MAX_NESTING"
#endif

#if MM_HPKE_MAX_INPUT < 399
#error "MM_HPKE_MAX_INPUT must hold a P-521 auth KEM context (399 bytes)"
#endif

#endif /* MAMORI_CONFIG_H */
