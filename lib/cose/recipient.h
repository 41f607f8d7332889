/* SPDX-License-Identifier: Apache-2.0 */
/* The built-in recipient algorithms (not installed). */
#ifndef MM_COSE_RECIPIENT_H
#define MM_COSE_RECIPIENT_H

#include "cose_internal.h"

mm_err cose_rcpt_kw_decrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek);
mm_err cose_rcpt_kw_encrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek, mm_bytes protected_bytes, uint8_t *out,
                            size_t cap, size_t *len);
mm_err cose_rcpt_ecdh_decrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek);
mm_err cose_rcpt_ecdh_encrypt(const mm_cose_rcpt_ctx *ctx, uint8_t *cek, mm_bytes protected_bytes, uint8_t *out,
                              size_t cap, size_t *len);

/* Key length in bytes of an AEAD or key-wrap algorithm, 0 if unknown. */
size_t cose_sym_key_len(int32_t alg);

#endif
