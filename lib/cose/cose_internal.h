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

/* The first checks of a layer to verify: the options complete, alg present,
 * crit understood (in outer too when not NULL), alg protected unless the key
 * is pinned to it (mm_key_allows() with needs_private). *alg gets the alg. */
mm_err cose_layer_precheck(const mm_cose_headers *layer, const mm_cose_headers *outer, const mm_cose_verify_opts *o,
                           bool needs_private, int32_t *alg);

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

/* The bit of a CBOR item type in a set of types (cose_read_raw_of()). */
#define COSE_TYPE(t)  (1u << (unsigned)(t))
#define COSE_ANY_TYPE (~0u)

/* A map value kept encoded (an mm_bytes stored at dst) when its type is in
 * the set `types` (COSE_TYPE() bits), MM_ERR_CBOR_TYPE otherwise. */
mm_err cose_read_raw_of(mm_cbor_dec *dec, void *dst, unsigned types);

/* Both buckets, protected then unprotected, from the same parameters. */
mm_err cose_write_buckets(mm_cbor_enc *enc, int32_t alg, mm_bytes kid, unsigned flags, const mm_cose_param *params,
                          size_t n, bool keep_open, mm_bytes *prot);

/* Opens a message: the optional tag and the array head. */
void cose_open_message(mm_cbor_enc *enc, uint64_t tag, unsigned flags, size_t fields);

/* Opens a one-layer message (COSE_Sign1, COSE_Mac0) of four fields: the
 * optional tag, the array head, and both buckets from opts with alg. */
mm_err cose_open_single(mm_cbor_enc *enc, uint64_t tag, const mm_cose_create_opts *opts, int32_t alg, mm_bytes *prot);

/* Writes a payload field: nil when flags has MM_COSE_DETACHED, else a bstr. */
void cose_put_payload(mm_cbor_enc *enc, unsigned flags, mm_bytes payload);

/* Reads the optional tag and the array of a message with `fields` items. */
mm_err cose_enter_message(mm_cbor_dec *dec, uint64_t tag, bool *tagged, size_t fields);

/* Reads a payload or ciphertext field: bstr, or nil (detached). */
mm_err cose_get_bstr_or_nil(mm_cbor_dec *dec, mm_bytes *v, bool *nil);

/* Starts decoding msg into dec (UTF-8 checked) and reads what every message
 * begins with: the optional tag, the array of `fields` items, the header
 * buckets, and the payload or ciphertext (bstr, or nil when detached).
 * Failures stay in the decoder for cose_finish_message(). */
mm_err cose_enter_body(mm_cbor_dec *dec, mm_bytes msg, uint64_t tag, size_t fields, bool *tagged, mm_cose_headers *hdr,
                       mm_bytes *body, bool *detached);

/* Decodes a one-layer message (COSE_Sign1, COSE_Mac0): [protected,
 * unprotected, payload or nil, then the bstr *last (signature or tag)]. */
mm_err cose_decode_single(mm_bytes msg, uint64_t tag, bool *tagged, mm_cose_headers *hdr, mm_bytes *payload,
                          bool *detached, mm_bytes *last, size_t *err_off);

/* The payload to verify: the attached one, or the caller's for a detached
 * message (and never both, so the caller cannot be misled). */
mm_err cose_payload_of(bool detached, mm_bytes attached, const mm_cose_verify_opts *o, mm_bytes *payload);

/* Marks a decoder call whose outcome is read later from the decoder's
 * sticky error (by cose_finish_message). */
static inline void cose_recorded(mm_err e) { (void)e; }

/* Finishes decoding: exits the array and checks nothing follows. */
mm_err cose_finish_message(mm_cbor_dec *dec, size_t *err_off);

#endif
