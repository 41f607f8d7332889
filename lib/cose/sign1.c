/* SPDX-License-Identifier: Apache-2.0 */
/* COSE_Sign1: decode, verify (whole or streamed), create. */
#include "cose_internal.h"

static const char context_sign1[] = "Signature1";

/*
 * The common shape, read head by head: [18(] [h'{alg, kid}', {alg, kid}, nil
 * or bstr, bstr] [)], every head shortest, the whole input used. It accepts
 * only what the general decoder below accepts and yields the same result;
 * anything else (other parameters, an empty protected bucket, another tag,
 * longer heads, any malformation) returns false and the general decoder
 * reads the message from the start, with its refusals and offsets.
 */
typedef struct flat_in {
    const uint8_t *p;
    const uint8_t *end;
} flat_in;

/* One shortest definite head of major type mt (0..5); strings must fit. */
static bool flat_head(flat_in *in, unsigned mt, uint64_t *arg)
{
    if (in->p >= in->end || (unsigned)(*in->p >> 5) != mt) {
        return false;
    }
    unsigned ai = *in->p++ & 31u;
    size_t left = (size_t)(in->end - in->p);
    uint64_t v = ai;
    if (ai >= 24) {
        size_t n = ai == 24 ? 1 : ai == 25 ? 2 : ai == 26 ? 4 : ai == 27 ? 8 : 0;
        if (n == 0 || n > left) {
            return false;
        }
        v = 0;
        for (size_t i = 0; i < n; i++) {
            v = v << 8 | in->p[i];
        }
        in->p += n;
        left -= n;
        uint64_t min = n == 1 ? 24 : n == 2 ? 0x100 : n == 4 ? 0x10000 : 0x100000000u;
        if (v < min) {
            return false; /* not the shortest head */
        }
    }
    if (mt == 2u) {
        if (v > left) {
            return false;
        }
    } else if (mt >= 4u && v > left) {
        return false;
    }
    *arg = v;
    return true;
}

static bool flat_bstr(flat_in *in, mm_bytes *v)
{
    uint64_t len;
    if (!flat_head(in, 2u, &len)) {
        return false;
    }
    *v = mm_bytes_make(in->p, (size_t)len);
    in->p += len;
    return true;
}

/* A bucket of alg and kid only, each at most once (bits: those already in
 * either bucket). */
static bool flat_bucket(flat_in *in, mm_cose_headers *h, uint32_t *bits)
{
    uint64_t n;
    if (!flat_head(in, 5u, &n) || n > 2) {
        return false;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t label;
        if (!flat_head(in, 0u, &label)) {
            return false;
        }
        if (label == MM_HDR_ALG && (*bits & MM_HDRBIT_ALG) == 0) {
            if (in->p >= in->end) {
                return false;
            }
            unsigned mt = *in->p >> 5;
            uint64_t v;
            if ((mt != 0u && mt != 1u) || !flat_head(in, mt, &v) || v > INT32_MAX || (mt == 0u && v == 0)) {
                return false; /* text, out of range or reserved: the general path refuses */
            }
            h->alg = mt == 0u ? (int64_t)v : -1 - (int64_t)v;
            *bits |= MM_HDRBIT_ALG;
        } else if (label == MM_HDR_KID && (*bits & MM_HDRBIT_KID) == 0) {
            if (!flat_bstr(in, &h->kid)) {
                return false;
            }
            *bits |= MM_HDRBIT_KID;
        } else {
            return false;
        }
    }
    return true;
}

static bool sign1_decode_flat(mm_bytes msg, mm_cose_sign1 *out)
{
    if (msg.ptr == NULL || msg.len == 0 || msg.len >= UINT32_MAX) {
        return false;
    }
    flat_in in = {msg.ptr, msg.ptr + msg.len};
    mm_cose_headers *h = &out->hdr;
    if (*in.p == 0xd2) { /* tag 18 */
        out->tagged = true;
        in.p++;
    }
    uint64_t n;
    mm_bytes prot;
    if (!flat_head(&in, 4u, &n) || n != 4 || !flat_bstr(&in, &prot) || prot.len == 0) {
        return false;
    }
    flat_in pin = {prot.ptr, prot.ptr + prot.len};
    uint32_t bits = 0;
    if (!flat_bucket(&pin, h, &bits) || pin.p != pin.end || bits == 0) {
        return false; /* trailing bytes, or an empty map (h'a0') */
    }
    h->protected_bytes = prot;
    h->protected_bits = bits;
    const uint8_t *unprot = in.p;
    if (!flat_bucket(&in, h, &bits)) {
        return false;
    }
    h->unprotected = mm_bytes_make(unprot, (size_t)(in.p - unprot));
    h->present = bits;
    if (in.p < in.end && *in.p == 0xf6) {
        out->detached = true;
        in.p++;
    } else if (!flat_bstr(&in, &out->payload)) {
        return false;
    }
    return flat_bstr(&in, &out->signature) && in.p == in.end;
}

mm_err mm_cose_sign1_decode(mm_bytes msg, mm_cose_sign1 *out, size_t *err_off)
{
    memset(out, 0, sizeof *out);
    if (sign1_decode_flat(msg, out)) {
        return MM_OK;
    }
    memset(out, 0, sizeof *out);
    return cose_decode_single(msg, MM_COSE_TAG_SIGN1, &out->tagged, &out->hdr, &out->payload, &out->detached,
                              &out->signature, err_off);
}

mm_err mm_cose_sign1_verify(const mm_cose_sign1 *msg, const mm_cose_verify_opts *opts)
{
    const mm_cose_sig_alg *entry;
    mm_bytes payload;
    mm_err e = cose_sig_precheck(&msg->hdr, NULL, opts, msg->signature, &entry);
    if (e == MM_OK) {
        e = cose_payload_of(msg->detached, msg->payload, opts, &payload);
    }
    if (e != MM_OK) {
        return e;
    }
    return cose_sig_verify(entry, (int32_t)msg->hdr.alg, opts, context_sign1, msg->hdr.protected_bytes, NULL, payload,
                           msg->signature);
}

mm_err mm_cose_sign1_create(const mm_cose_create_opts *opts, mm_bytes payload, mm_buf *out)
{
    int32_t alg;
    mm_err e = cose_create_alg(opts, &alg);
    if (e != MM_OK) {
        return e;
    }
    if (out == NULL || (payload.ptr == NULL && payload.len != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->cap);
    mm_bytes prot;
    e = cose_open_single(&enc, MM_COSE_TAG_SIGN1, opts, alg, &prot);
    if (e != MM_OK) {
        return e;
    }
    cose_put_payload(&enc, opts->flags, payload);
    e = cose_put_signature(&enc, opts, alg, context_sign1, prot, NULL, payload);
    if (e != MM_OK) {
        return e;
    }
    size_t len;
    e = mm_cbor_enc_finish(&enc, &len);
    out->len = len;
    return e;
}

mm_err mm_cose_sign1_write(mm_cbor_enc *enc, const mm_cose_create_opts *opts, mm_cose_payload_fn write, void *user)
{
    int32_t alg;
    mm_err e = cose_create_alg(opts, &alg);
    if (e != MM_OK) {
        return e;
    }
    if (enc == NULL || write == NULL || (opts->flags & MM_COSE_DETACHED) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_bytes prot;
    e = cose_open_single(enc, MM_COSE_TAG_SIGN1, opts, alg, &prot);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes payload;
    (void)mm_cbor_open_wrap(enc);
    e = write(enc, user);
    if (e != MM_OK) {
        return e;
    }
    e = mm_cbor_close(enc, &payload);
    if (e != MM_OK) {
        return e;
    }
    return cose_put_signature(enc, opts, alg, context_sign1, prot, NULL, payload);
}

mm_err mm_cose_sign1_verify_begin(mm_cose_sign1_stream *s, const mm_cose_sign1 *msg, const mm_cose_verify_opts *opts,
                                  uint64_t payload_len)
{
    memset(s, 0, sizeof *s);
    if (!msg->detached) {
        return MM_ERR_STATE; /* an attached payload is verified whole */
    }
    const mm_cose_sig_alg *entry;
    mm_err e = cose_sig_precheck(&msg->hdr, NULL, opts, msg->signature, &entry);
    if (e != MM_OK) {
        return e;
    }
    if (entry->prehash == 0) {
        return MM_ERR_UNSUPPORTED; /* EdDSA signs the message whole */
    }
    e = mm_hash_init(opts->crypto, &s->hash, entry->prehash);
    if (e != MM_OK) {
        return e;
    }
    cose_sink sink = {opts->crypto, &s->hash, false, NULL, 0, 0, MM_OK};
    cose_sig_structure(&sink, context_sign1, msg->hdr.protected_bytes, NULL, opts->external_aad, payload_len);
    if (sink.err != MM_OK) {
        mm_hash_abort(opts->crypto, &s->hash);
        return sink.err;
    }
    s->crypto = opts->crypto;
    s->key = opts->key;
    s->entry = entry;
    s->alg = (int32_t)msg->hdr.alg;
    s->left = payload_len;
    s->signature = msg->signature;
    return MM_OK;
}

mm_err mm_cose_sign1_verify_update(mm_cose_sign1_stream *s, mm_bytes chunk)
{
    if (s->entry == NULL) {
        return MM_ERR_STATE;
    }
    if ((uint64_t)chunk.len > s->left) {
        mm_cose_sign1_verify_abort(s);
        return MM_ERR_TOO_LARGE; /* more payload than announced */
    }
    s->left -= chunk.len;
    mm_err e = mm_hash_update(s->crypto, &s->hash, chunk);
    if (e != MM_OK) {
        mm_cose_sign1_verify_abort(s);
    }
    return e;
}

mm_err mm_cose_sign1_verify_end(mm_cose_sign1_stream *s)
{
    if (s->entry == NULL) {
        return MM_ERR_STATE;
    }
    if (s->left != 0) {
        mm_cose_sign1_verify_abort(s);
        return MM_ERR_TRUNCATED; /* less payload than announced */
    }
    uint8_t digest[MM_HASH_MAX];
    size_t len;
    mm_err e = mm_hash_final(s->crypto, &s->hash, digest, &len);
    const mm_cose_sig_alg *entry = s->entry;
    s->entry = NULL;
    if (e != MM_OK) {
        return e;
    }
    mm_bytes tbs = mm_bytes_make(digest, len);
    if (entry->verify != NULL) {
        return entry->verify(s->crypto, s->key, s->alg, tbs, MM_SIG_PREHASHED, s->signature);
    }
    return mm_verify(s->crypto, s->key, s->alg, tbs, MM_SIG_PREHASHED, s->signature);
}

void mm_cose_sign1_verify_abort(mm_cose_sign1_stream *s)
{
    if (s->entry != NULL) {
        mm_hash_abort(s->crypto, &s->hash);
        s->entry = NULL;
    }
}
