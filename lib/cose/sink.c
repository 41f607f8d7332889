/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing the structures COSE authenticates (Sig_structure, MAC_structure,
 * Enc_structure, COSE_KDF_Context) straight into a hash, an HMAC or a
 * buffer, so a large payload never needs a second copy.
 */
#include "cose_internal.h"

/* Major types used below. */
enum { MT_BSTR = 2, MT_TSTR = 3, MT_ARRAY = 4 };

void cose_sink_bytes(cose_sink *s, mm_bytes b)
{
    if (s->err != MM_OK || b.len == 0) {
        return;
    }
    if (s->ctx != NULL) {
        s->err = s->hmac ? mm_hmac_update(s->crypto, s->ctx, b) : mm_hash_update(s->crypto, s->ctx, b);
    } else if (s->len <= s->cap && b.len <= s->cap - s->len) {
        memcpy(s->buf + s->len, b.ptr, b.len);
    }
    s->len += b.len;
}

void cose_sink_head(cose_sink *s, unsigned mt, uint64_t arg)
{
    uint8_t h[9];
    size_t n;
    if (arg < 24) {
        h[0] = (uint8_t)((mt << 5) | arg);
        n = 1;
    } else {
        unsigned ai = arg <= 0xff ? 24 : arg <= 0xffff ? 25 : arg <= 0xffffffffu ? 26 : 27;
        size_t len = (size_t)1 << (ai - 24);
        h[0] = (uint8_t)((mt << 5) | ai);
        for (size_t i = 0; i < len; i++) {
            h[1 + i] = (uint8_t)(arg >> (8 * (len - 1 - i)));
        }
        n = 1 + len;
    }
    cose_sink_bytes(s, mm_bytes_make(h, n));
}

void cose_sink_bstr(cose_sink *s, mm_bytes b)
{
    cose_sink_head(s, MT_BSTR, b.len);
    cose_sink_bytes(s, b);
}

void cose_sig_structure(cose_sink *s, const char *context, mm_bytes body_protected, const mm_bytes *sign_protected,
                        mm_bytes external_aad, uint64_t payload_len)
{
    mm_bytes ctx = mm_bytes_from_cstr(context);
    cose_sink_head(s, MT_ARRAY, sign_protected != NULL ? 5 : 4);
    cose_sink_head(s, MT_TSTR, ctx.len);
    cose_sink_bytes(s, ctx);
    cose_sink_bstr(s, body_protected);
    if (sign_protected != NULL) {
        cose_sink_bstr(s, *sign_protected);
    }
    cose_sink_bstr(s, external_aad);
    cose_sink_head(s, MT_BSTR, payload_len);
}

size_t cose_sig_structure_len(const char *context, mm_bytes body_protected, const mm_bytes *sign_protected,
                              mm_bytes external_aad, uint64_t payload_len)
{
    cose_sink s = {NULL, NULL, false, NULL, 0, 0, MM_OK};
    cose_sig_structure(&s, context, body_protected, sign_protected, external_aad, payload_len);
    return s.len + (size_t)payload_len;
}
