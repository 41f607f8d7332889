/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the JSON converters share: base64url both ways, claim paths for
 * error messages, enumeration names, and OIDs as dotted text.
 */
#include <stdio.h>

#include "json_internal.h"

json_t *ej_b64(mm_bytes b)
{
    size_t cap = (b.len + 2) / 3 * 4 + 1;
    char *text = malloc(cap);
    if (text == NULL) {
        return NULL;
    }
    mm_buf out = mm_buf_make(text, cap);
    json_t *j = NULL;
    if (mm_base64_encode(b, MM_B64URL, &out) == MM_OK) {
        j = json_stringn(text, out.len);
    }
    free(text);
    return j;
}

mm_err mm_json_b64_decode(const char *text, size_t len, uint8_t **out, size_t *out_len)
{
    /* Drop padding, then clear the unused bits of the last symbol so that
     * the strict decoder takes it (RFC 4648 section 3.5 lets a decoder
     * accept them; EAT examples carry both); both alphabets are read. */
    while (len != 0 && text[len - 1] == '=') {
        len--;
    }
    if (len > MM_JSON_MAX_INPUT) {
        return MM_ERR_TOO_LARGE;
    }
    char *copy = malloc(len + 1);
    uint8_t *bytes = malloc(len * 3 / 4 + 1);
    if (copy == NULL || bytes == NULL) {
        free(copy);
        free(bytes);
        return MM_ERR_PLATFORM;
    }
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '+') {
            c = '-';
        } else if (c == '/') {
            c = '_';
        }
        copy[i] = c;
    }
    if (len % 4 == 2 || len % 4 == 3) {
        int v = mm_base64_symbol((uint8_t)copy[len - 1], MM_B64URL);
        if (v >= 0) {
            static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            copy[len - 1] = alphabet[v & (len % 4 == 2 ? 0x30 : 0x3c)];
        }
    }
    mm_buf b = mm_buf_make(bytes, len * 3 / 4 + 1);
    mm_err e = mm_base64_decode(mm_bytes_make(copy, len), MM_B64URL, 0, &b, NULL);
    free(copy);
    if (e != MM_OK) {
        free(bytes);
        return MM_ERR_BAD_BASE64;
    }
    *out = bytes;
    *out_len = b.len;
    return MM_OK;
}

mm_err ej_unb64_json(const json_t *j, uint8_t **out, size_t *out_len)
{
    if (!json_is_string(j)) {
        return MM_ERR_CBOR_TYPE;
    }
    return mm_json_b64_decode(json_string_value(j), json_string_length(j), out, out_len);
}

void ej_where_push(mm_json_where *w, const char *seg, size_t len, size_t *saved)
{
    if (w == NULL) {
        return;
    }
    size_t at = strlen(w->path);
    *saved = at;
    size_t room = sizeof w->path - at - 1;
    if (at != 0 && room != 0) {
        w->path[at++] = '.';
        room--;
    }
    if (len > room) {
        len = room;
    }
    memcpy(w->path + at, seg, len);
    w->path[at + len] = '\0';
}

void ej_where_pop(mm_json_where *w, size_t saved)
{
    if (w != NULL) {
        w->path[saved] = '\0';
    }
}

const char *const ej_dbgstat_names[5] = {"enabled", "disabled", "disabled-since-boot", "disabled-permanently",
                                         "disabled-fully-and-permanently"};
const char *const ej_intuse_names[5] = {"generic", "registration", "provisioning", "csr", "pop"};
const char *const ej_result_names[4] = {"success", "fail", "not-run", "absent"};
const char *const ej_location_names[9] = {"latitude", "longitude", "altitude",  "accuracy", "altitude-accuracy",
                                          "heading",  "speed",     "timestamp", "age"};

const char *ej_enum_name(const char *const *names, size_t n, int64_t first, int64_t v)
{
    return v >= first && (uint64_t)(v - first) < n ? names[v - first] : NULL;
}

int64_t ej_enum_value(const char *const *names, size_t n, int64_t first, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return first + (int64_t)i;
        }
    }
    return -1;
}

bool ej_oid_from_text(const char *text, uint8_t *out, size_t cap, size_t *len)
{
    /* Arcs of digits separated by dots; the first two share one octet. */
    uint64_t arcs[64];
    size_t n = 0;
    const char *p = text;
    while (*p != '\0') {
        if (n == sizeof arcs / sizeof arcs[0] || *p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9')) {
            return false;
        }
        uint64_t v = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (v > (UINT64_MAX - 9) / 10) {
                return false;
            }
            v = v * 10 + (uint64_t)(*p - '0');
        }
        arcs[n++] = v;
        if (*p == '.') {
            p++;
            if (*p == '\0') {
                return false;
            }
        } else if (*p != '\0') {
            return false;
        }
    }
    if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) || arcs[1] > UINT64_MAX - 80) {
        return false;
    }
    size_t at = 0;
    for (size_t i = 1; i < n; i++) {
        uint64_t v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
        uint8_t tmp[10];
        size_t k = 0;
        do {
            tmp[k++] = (uint8_t)(v & 0x7f);
            v >>= 7;
        } while (v != 0);
        while (k != 0) {
            if (at == cap) {
                return false;
            }
            k--;
            out[at++] = (uint8_t)(tmp[k] | (k != 0 ? 0x80 : 0));
        }
    }
    *len = at;
    return true;
}

bool ej_oid_to_text(mm_bytes oid, char *out, size_t cap)
{
    size_t at = 0;
    uint64_t v = 0;
    bool first = true;
    if (oid.len == 0 || (oid.ptr[oid.len - 1] & 0x80) != 0) {
        return false;
    }
    for (size_t i = 0; i < oid.len; i++) {
        if (v == 0 && oid.ptr[i] == 0x80) {
            return false; /* not minimal */
        }
        if (v > (UINT64_MAX >> 7)) {
            return false;
        }
        v = (v << 7) | (oid.ptr[i] & 0x7fu);
        if ((oid.ptr[i] & 0x80) != 0) {
            continue;
        }
        int w;
        if (first) {
            uint64_t a = v < 80 ? v / 40 : 2;
            w = snprintf(out + at, cap - at, "%llu.%llu", (unsigned long long)a, (unsigned long long)(v - a * 40));
            first = false;
        } else {
            w = snprintf(out + at, cap - at, ".%llu", (unsigned long long)v);
        }
        if (w < 0 || (size_t)w >= cap - at) {
            return false;
        }
        at += (size_t)w;
        v = 0;
    }
    return true;
}
