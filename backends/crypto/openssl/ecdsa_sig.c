/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ECDSA signatures between COSE's form (RFC 9053 2.1: r and s as fixed-size
 * big-endian integers, concatenated) and the DER ECDSA-Sig-Value OpenSSL
 * signs and verifies:
 *
 *   SEQUENCE { r INTEGER, s INTEGER }
 *
 * Both directions are written out here rather than through ECDSA_SIG and
 * BIGNUMs: that took two BIGNUM allocations and a heap buffer on every
 * signature, a few percent of a P-256 verification. The INTEGERs are DER's:
 * minimal, with a 0x00 byte before a magnitude whose top bit is set, so the
 * bytes are those i2d_ECDSA_SIG() writes.
 */
#include <string.h>

#include "internal.h"

#define DER_SEQUENCE 0x30
#define DER_INTEGER  0x02

/* Where the magnitude of the n-byte big-endian v starts (at least one byte
 * is kept, for zero) and whether it needs a leading 0x00 to stay positive. */
static size_t int_skip(const uint8_t *v, size_t n, bool *pad)
{
    size_t skip = 0;
    while (skip + 1 < n && v[skip] == 0) {
        skip++;
    }
    *pad = (v[skip] & 0x80) != 0;
    return skip;
}

static size_t put_int(uint8_t *out, const uint8_t *v, size_t n)
{
    bool pad;
    size_t skip = int_skip(v, n, &pad);
    size_t len = n - skip + (pad ? 1u : 0u);
    out[0] = DER_INTEGER;
    out[1] = (uint8_t)len;
    if (pad) {
        out[2] = 0;
    }
    memcpy(out + 2 + (pad ? 1u : 0u), v + skip, n - skip);
    return 2 + len;
}

mm_err mo_ecdsa_raw_to_der(const uint8_t *raw, size_t n, uint8_t *der, size_t cap, size_t *der_len)
{
    /* INTEGERs of at most n + 1 bytes keep short-form lengths. */
    if (n == 0 || n > MM_EC_COORD_MAX) {
        return MM_ERR_INVALID_ARG;
    }
    bool pad_r;
    bool pad_s;
    size_t len_r = n - int_skip(raw, n, &pad_r) + (pad_r ? 1u : 0u);
    size_t len_s = n - int_skip(raw + n, n, &pad_s) + (pad_s ? 1u : 0u);
    size_t body = 2 + len_r + 2 + len_s;
    size_t head = body < 0x80 ? 2 : 3;
    if (cap < head + body) {
        return MM_ERR_BUFFER_TOO_SMALL;
    }
    der[0] = DER_SEQUENCE;
    if (head == 3) {
        der[1] = 0x81;
    }
    der[head - 1] = (uint8_t)body;
    size_t off = head + put_int(der + head, raw, n);
    off += put_int(der + off, raw + n, n);
    *der_len = off;
    return MM_OK;
}

/* Reads a positive, minimally encoded INTEGER of at most n bytes of
 * magnitude from [*p, end) into out[0..n), left-padded with zeros. */
static bool get_int(const uint8_t **p, const uint8_t *end, size_t n, uint8_t *out)
{
    const uint8_t *q = *p;
    if (end - q < 2 || q[0] != DER_INTEGER || q[1] == 0 || q[1] > 0x7f || (size_t)(end - q - 2) < q[1]) {
        return false;
    }
    size_t len = q[1];
    q += 2;
    if ((q[0] & 0x80) != 0 || (len > 1 && q[0] == 0 && (q[1] & 0x80) == 0)) {
        return false; /* negative, or not minimal */
    }
    const uint8_t *v = q[0] == 0 ? q + 1 : q;
    size_t vlen = q[0] == 0 ? len - 1 : len;
    if (vlen > n) {
        return false;
    }
    memset(out, 0, n - vlen);
    memcpy(out + n - vlen, v, vlen);
    *p = q + len;
    return true;
}

mm_err mo_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, size_t n, uint8_t *raw)
{
    size_t head;
    size_t body;
    if (der_len < 2 || der[0] != DER_SEQUENCE) {
        return MM_ERR_PLATFORM;
    }
    if (der[1] < 0x80) {
        head = 2;
        body = der[1];
    } else if (der[1] == 0x81 && der_len >= 3 && der[2] >= 0x80) {
        head = 3;
        body = der[2];
    } else {
        return MM_ERR_PLATFORM;
    }
    const uint8_t *p = der + head;
    const uint8_t *end = p + body;
    if (head + body != der_len || !get_int(&p, end, n, raw) || !get_int(&p, end, n, raw + n) || p != end) {
        return MM_ERR_PLATFORM;
    }
    return MM_OK;
}
