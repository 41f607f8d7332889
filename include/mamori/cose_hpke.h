/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori COSE-HPKE (draft-ietf-cose-hpke): HPKE (mamori/hpke.h) as COSE
 * algorithms, plugged into the COSE registry (mm_cose_algs) so that
 * COSE_Encrypt0 and COSE_Encrypt use it with no special case.
 *
 * Model
 * -----
 * Pass mm_hpke_cose_algs() as the `algs` of the COSE encrypt or decrypt
 * options; it is a const table chained in front of the built-in one, so
 * every other algorithm keeps working through it. Two kinds of algorithm
 * (their numbers are MM_ALG_HPKE_* of mamori/hpke.h, the draft's assumed
 * values: IANA has not assigned them yet):
 *
 * - Integrated Encryption, HPKE-0 ... HPKE-7: a COSE_Encrypt0 whose layer is
 *   HPKE itself. mm_cose_encrypt0_create() with alg HPKE-n and key the
 *   recipient's public key seals the plaintext with the Enc_structure
 *   ("Encrypt0", protected, external_aad) as HPKE aad and info from the
 *   options; the encapsulated key goes into the unprotected "ek" parameter.
 *   mm_cose_encrypt0_decrypt() with the recipient's private key opens it.
 * - Key Encryption, HPKE-0-KE ... HPKE-7-KE: a COSE_Encrypt recipient whose
 *   ciphertext is the content key sealed with HPKE; info is the
 *   Recipient_structure ["HPKE Recipient", content alg, the recipient's
 *   protected bucket, extra_info], aad the options' hpke_aad. Any number of
 *   recipients, beside recipients of other algorithms.
 *
 * A key restricted to a suite (mm_key.alg) serves that suite only; an
 * unrestricted key serves every suite of its curve. alg must be protected
 * (or the key pinned to it), as everywhere in mamori.
 *
 * mode_psk: the PSK is given in the options, its identifier as the
 * protected "psk_id" parameter (MM_HDR_HPKE_PSK_ID, a bstr, with
 * MM_COSE_PROTECTED) of the layer or recipient. When decrypting, the mode is
 * the message's: a psk_id in the message needs the PSK in the options
 * (MM_ERR_INVALID_ARG without), and a PSK in the options refuses a message
 * without psk_id (MM_ERR_VERIFY: it could come from anyone holding the
 * public key). A psk_id in the unprotected bucket is MM_ERR_CBOR_TYPE.
 * The auth modes of HPKE are not used by COSE-HPKE.
 *
 * Errors beyond the COSE and HPKE ones: MM_ERR_MISSING_FIELD (no "ek"),
 * MM_ERR_CBOR_TYPE ("ek" or "psk_id" not a bstr), MM_ERR_TOO_LARGE (a
 * Recipient_structure beyond MM_HPKE_MAX_INPUT), MM_ERR_INVALID_ARG
 * (parameters the algorithm writes itself, or a psk_id without a PSK).
 */
#ifndef MAMORI_COSE_HPKE_H
#define MAMORI_COSE_HPKE_H

#include "mamori/cose.h"
#include "mamori/hpke.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Header parameters of COSE-HPKE: the draft's assumed labels (TBD11,
 * TBD12), as its test vectors use them; not assigned by IANA yet. */
#define MM_HDR_HPKE_EK     (-4) /* bstr: HPKE's enc (unprotected) */
#define MM_HDR_HPKE_PSK_ID (-5) /* bstr: the PSK's identifier (protected only) */

/* What a COSE-HPKE algorithm takes beyond the COSE options: pass a pointer
 * as alg_opts of mm_cose_encrypt_opts (Encrypt0), mm_cose_recipient_opts
 * (Encrypt recipients) or mm_cose_decrypt_opts. NULL means all defaults
 * (empty info, aad and extra info; mode_base). Views are read during the
 * call only. */
typedef struct mm_hpke_cose_opts {
    mm_bytes psk;            /* mode_psk: the pre-shared key (at least 32 bytes) */
    mm_bytes info;           /* Integrated Encryption: HPKE info */
    mm_bytes extra_info;     /* Key Encryption: recipient_extra_info of the Recipient_structure */
    mm_bytes hpke_aad;       /* Key Encryption: HPKE aad of the content key's encryption */
    const mm_key *ephemeral; /* creation, for tests only: a fixed ephemeral private key */
} mm_hpke_cose_opts;

/* The COSE-HPKE algorithms (HPKE-0 ... HPKE-7 as Encrypt0 algorithms,
 * HPKE-0-KE ... HPKE-7-KE as recipient algorithms) chained in front of
 * mm_cose_algs_default(). Constant data; never NULL. */
const mm_cose_algs *mm_hpke_cose_algs(void);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_COSE_HPKE_H */
