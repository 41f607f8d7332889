/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces shared by the files of the COSE module (not installed). */
#ifndef MM_COSE_INTERNAL_H
#define MM_COSE_INTERNAL_H

#include <string.h>

#include "mamori/cose.h"

/* The built-in algorithm table (registry.c), which mm_cose_algs_default()
 * returns; tables of the library's other modules chain to it by name. */
extern const mm_cose_algs cose_default_algs;

/* Where a Sig_structure, MAC_structure, Enc_structure or KDF context goes
 * while it is written: a running hash, a running HMAC, or a buffer. One
 * writer serves every structure, so each is encoded in one place. */
typedef struct cose_sink {
    const mm_crypto *crypto;
    mm_crypto_ctx *ctx; /* hash or HMAC state, or NULL for the buffer */
    bool hmac;
    uint8_t *buf;
    size_t cap;
    size_t len; /* bytes written (or needed, for the buffer) */
    mm_err err;
} cose_sink;

void cose_sink_bytes(cose_sink *s, mm_bytes b);
/* A CBOR head (major type mt, argument arg). */
void cose_sink_head(cose_sink *s, unsigned mt, uint64_t arg);
/* A byte string: head and content. */
void cose_sink_bstr(cose_sink *s, mm_bytes b);

/* Writes the head and leading fields of a Sig_structure: context
 * ("Signature1" or "Signature"), the body's protected bytes, the signer's
 * (COSE_Sign only; pass NULL for Sign1), the external AAD, and the payload's
 * bstr head. The payload bytes follow. */
void cose_sig_structure(cose_sink *s, const char *context, mm_bytes body_protected, const mm_bytes *sign_protected,
                        mm_bytes external_aad, uint64_t payload_len);

/* Encoded length of the structure above including the payload. */
size_t cose_sig_structure_len(const char *context, mm_bytes body_protected, const mm_bytes *sign_protected,
                              mm_bytes external_aad, uint64_t payload_len);

/* The checks every signature layer makes before any crypto: alg present and
 * protected (or pinned by the key), crit understood, the algorithm known,
 * the key fitting it, the signature's length and (ECDSA) range. On success
 * *entry is the algorithm's registry entry. */
mm_err cose_sig_precheck(const mm_cose_headers *layer, const mm_cose_headers *outer, const mm_cose_verify_opts *o,
                         mm_bytes sig, const mm_cose_sig_alg **entry);

/* Verifies sig over a Sig_structure with the checks above done. */
mm_err cose_sig_verify(const mm_cose_sig_alg *entry, int32_t alg, const mm_cose_verify_opts *o, const char *context,
                       mm_bytes body_protected, const mm_bytes *sign_protected, mm_bytes payload, mm_bytes sig);

/* Signs a Sig_structure: writes the signature into sig (cap bytes). */
mm_err cose_sig_sign(const mm_cose_create_opts *o, int32_t alg, const char *context, mm_bytes body_protected,
                     const mm_bytes *sign_protected, mm_bytes payload, uint8_t *sig, size_t cap, size_t *len);

/* The length of the signature cose_sig_sign() will produce (for sizing a
 * message without signing). */
mm_err cose_sig_sign_len(const mm_cose_create_opts *o, int32_t alg, size_t *len);

/* Writes the signature field of a layer into enc: a bstr of the length the
 * algorithm and key give, signed in place when the output so far fit (the
 * protected bytes the Sig_structure needs are there), else only counted. A
 * signature that would not fit is never made: a stateful key (HSS-LMS)
 * spends a one-time key on each one, and none is wasted on a short buffer. */
mm_err cose_put_signature(mm_cbor_enc *enc, const mm_cose_create_opts *o, int32_t alg, const char *context,
                          mm_bytes body_protected, const mm_bytes *sign_protected, mm_bytes payload);

/* Resolves the algorithm a creation uses (opts->alg or the key's). */
mm_err cose_create_alg(const mm_cose_create_opts *o, int32_t *alg);

/* Writes a protected bucket (bstr-wrapped map, or an empty bstr when there is
 * nothing to protect) with alg (if not 0), kid (if flagged) and the
 * parameters marked MM_COSE_PROTECTED; *bytes gets the serialized map. */
mm_err cose_write_protected(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, unsigned flags, const mm_cose_param *params,
                            size_t n, mm_bytes *bytes);

/* Writes an unprotected bucket (map) with what the protected one did not
 * take, plus `extra` pre-encoded pairs (count pairs) from the caller. The map
 * is left open when keep_open is set (the caller adds pairs and closes). */
mm_err cose_write_unprotected(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, unsigned flags, const mm_cose_param *params,
                              size_t n, bool keep_open);

/* Opens a message: the optional tag and the array head. */
void cose_open_message(mm_cbor_enc *enc, uint64_t tag, unsigned flags, size_t fields);

/* Reads the optional tag and the array of a message with `fields` items. */
mm_err cose_enter_message(mm_cbor_dec *dec, uint64_t tag, bool *tagged, size_t fields);

/* Reads a payload or ciphertext field: bstr, or nil (detached). */
mm_err cose_get_bstr_or_nil(mm_cbor_dec *dec, mm_bytes *v, bool *nil);

/* Marks a decoder call whose outcome is read later from the decoder's
 * sticky error (by cose_finish_message). */
static inline void cose_recorded(mm_err e) { (void)e; }

/* Finishes decoding: exits the array and checks nothing follows. */
mm_err cose_finish_message(mm_cbor_dec *dec, size_t *err_off);

#endif
