/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces shared by the files of the EAT module (not installed). */
#ifndef MM_EAT_INTERNAL_H
#define MM_EAT_INTERNAL_H

#include <string.h>

#include "mamori/ear.h"
#include "mamori/eat.h"

/* State of one claims-set decode. With st NULL the claims are only checked
 * and counted (a nested claims-set: its values go to a scratch struct that
 * nothing reads back). */
typedef struct eat_dec_ctx {
    const mm_eat_storage *st;
    mm_eat_claims *out;
    mm_eat_claims *scratch; /* where nested claims-sets are checked */
    unsigned depth;         /* submodule depth of this claims-set: 0 at the top */
    size_t results_used;    /* entries of st->results taken */
} eat_dec_ctx;

/* Decodes the map at dec's position as a claims-set (the one engine behind
 * mm_eat_claims_decode and nested claims-sets). */
mm_err eat_decode_claims(mm_cbor_dec *dec, eat_dec_ctx *ctx);

/* Records err at offset and returns the decoder's sticky error. */
static inline mm_err eat_fail(mm_cbor_dec *dec, mm_err err, size_t offset)
{
    return mm_cbor_dec_fail(dec, err, offset);
}

/* Marks a decoder call whose outcome is read later from the decoder's
 * sticky error. */
static inline void eat_recorded(mm_err e) { (void)e; }

/* Peeks at the next item. A peek alone records nothing: a failure is
 * made the sticky error (by reading the item), which is returned. */
static inline mm_err eat_peek(mm_cbor_dec *dec, mm_cbor_item *it)
{
    mm_err e = mm_cbor_peek(dec, it);
    if (e == MM_OK) {
        return MM_OK;
    }
    eat_recorded(mm_cbor_skip(dec));
    mm_err sticky = mm_cbor_dec_error(dec, NULL);
    return sticky != MM_OK ? sticky : e;
}

/* Reads a byte string of min..max bytes (MM_ERR_CBOR_RANGE otherwise). */
static inline mm_err eat_get_bstr_sized(mm_cbor_dec *dec, size_t min, size_t max, mm_bytes *v)
{
    size_t off = mm_cbor_dec_offset(dec);
    if (mm_cbor_get_bstr(dec, v) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return v->len < min || v->len > max ? eat_fail(dec, MM_ERR_CBOR_RANGE, off) : MM_OK;
}

/* Enters an array (or with map set a map) of min..max entries
 * (MM_ERR_CBOR_RANGE otherwise); *n is the count. */
static inline mm_err eat_enter(mm_cbor_dec *dec, bool map, size_t min, size_t max, size_t *n)
{
    size_t off = mm_cbor_dec_offset(dec);
    if ((map ? mm_cbor_enter_map(dec, n) : mm_cbor_enter_array(dec, n)) != MM_OK) {
        return mm_cbor_dec_error(dec, NULL);
    }
    return *n < min || *n > max ? eat_fail(dec, MM_ERR_CBOR_RANGE, off) : MM_OK;
}

/* Encodes an [version, ? scheme] item, and the other shapes EAR reuses. */
mm_err eat_put_version(mm_cbor_enc *enc, const mm_eat_version *v);

/* Decodes a CWT (tag 61 optional; COSE_Sign1 or COSE_Mac0, tagged, or
 * untagged and told apart by key: symmetric means Mac0) into t's hdr,
 * payload and tag flags, and with verify set authenticates it with opts:
 * the common first step of EAT and EAR tokens, nested ones included. */
mm_err eat_open_cwt(mm_bytes token, const mm_cose_verify_opts *opts, bool verify, mm_eat_token *t);

/* Checks an encoded claims-set (a nested token's) at submodule depth
 * depth, storing nothing; scratch takes the values. */
mm_err eat_check_claims(mm_bytes map, unsigned flags, unsigned depth, mm_eat_claims *scratch);

/* Finishes an encoding into out (out->len: the length written, or needed):
 * e, the writer's result, when it is an error, else finishing's. */
mm_err eat_enc_end(mm_cbor_enc *enc, mm_err e, mm_buf *out);

/* Signs a claims-set written by write(user) as a CWT (flags as
 * mm_eat_sign()); EAT and EAR tokens share it. */
mm_err eat_sign_cwt(const mm_cose_create_opts *opts, unsigned flags, mm_cose_payload_fn write, const void *user,
                    mm_buf *out);

/* The RFC 9679 thumbprint of key's public part (suit_ref.c). */
mm_err eat_key_thumbprint(const mm_crypto *crypto, const mm_key *key, int32_t hash_alg, uint8_t out[MM_HASH_MAX],
                          size_t *len);

#endif
