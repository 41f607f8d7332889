/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device.json: the simulated device's identity, components, policy and
 * anti-rollback counters (schema in docs/suit.md), read with jansson; the
 * counters are written back atomically (temporary file, fsync, rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "posixdev.h"

#define DEVICE_JSON "device.json"

static mm_err bad(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static mm_err bad(char *why, size_t len, const char *fmt, ...)
{
    if (why != NULL && len != 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, len, fmt, ap);
        va_end(ap);
    }
    return MM_ERR_SYNTAX;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Hex digits (and, for UUIDs, hyphens) into out; the number of bytes, or
 * -1 when it is not that. */
static long parse_hex(const char *s, bool hyphens, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *s != '\0'; s++) {
        if (hyphens && *s == '-') {
            continue;
        }
        int v = hexval((unsigned char)*s);
        if (v < 0) {
            return -1;
        }
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n == cap) {
            return -1;
        }
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? (long)n : -1;
}

/* A UUID (with or without hyphens), or an array of them, into ids. */
static mm_err read_ids(json_t *v, const char *name, uint8_t ids[][16], size_t *n, char *why, size_t len)
{
    json_t *one = v;
    size_t count = json_is_array(v) ? json_array_size(v) : 1;
    if (count > PD_MAX_IDS) {
        return bad(why, len, "%s: at most %d identifiers", name, PD_MAX_IDS);
    }
    for (size_t i = 0; i < count; i++) {
        if (json_is_array(v)) {
            one = json_array_get(v, i);
        }
        if (!json_is_string(one) || parse_hex(json_string_value(one), true, ids[i], 16) != 16) {
            return bad(why, len, "%s: not a UUID", name);
        }
    }
    *n = count;
    return MM_OK;
}

/* A component identifier as JSON (an array of segments: hex, or {"text":
 * "..."}, or {"hex": "..."}), encoded into a new buffer. */
static mm_err read_component_id(json_t *v, uint8_t **out, size_t *out_len, char *why, size_t len)
{
    if (!json_is_array(v) || json_array_size(v) > PD_MAX_SEGMENTS) {
        return bad(why, len, "component id: an array of at most %d segments", PD_MAX_SEGMENTS);
    }
    size_t cap = 16;
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        json_t *t = json_is_object(s) ? json_object_get(s, "text") : NULL;
        json_t *h = json_is_object(s) ? json_object_get(s, "hex") : s;
        cap += 9 + (t != NULL && json_is_string(t)   ? strlen(json_string_value(t))
                    : h != NULL && json_is_string(h) ? strlen(json_string_value(h)) / 2
                                                     : 0);
    }
    uint8_t *buf = malloc(cap);
    uint8_t *seg = malloc(cap);
    if (buf == NULL || seg == NULL) {
        free(buf);
        free(seg);
        return MM_ERR_PLATFORM;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, cap);
    mm_cbor_put_array(&enc, json_array_size(v));
    mm_err e = MM_OK;
    for (size_t i = 0; i < json_array_size(v) && e == MM_OK; i++) {
        json_t *s = json_array_get(v, i);
        json_t *t = json_is_object(s) ? json_object_get(s, "text") : NULL;
        json_t *h = json_is_object(s) ? json_object_get(s, "hex") : s;
        if (t != NULL && json_is_string(t)) {
            mm_cbor_put_bstr(&enc, mm_bytes_from_cstr(json_string_value(t)));
            continue;
        }
        long n = h != NULL && json_is_string(h) ? parse_hex(json_string_value(h), false, seg, cap) : -1;
        if (n < 0) {
            e = bad(why, len, "component id: segment %zu is neither hex nor {\"text\": ...}", i);
            break;
        }
        mm_cbor_put_bstr(&enc, mm_bytes_make(seg, (size_t)n));
    }
    size_t n = 0;
    if (e == MM_OK && mm_cbor_enc_finish(&enc, &n) != MM_OK) {
        e = MM_ERR_PLATFORM;
    }
    free(seg);
    if (e != MM_OK) {
        free(buf);
        return e;
    }
    *out = buf;
    *out_len = n;
    return MM_OK;
}

static mm_err read_component(json_t *o, pd_component *c, char *why, size_t len)
{
    json_t *v;
    if (!json_is_object(o)) {
        return bad(why, len, "components: each entry is an object");
    }
    mm_err e = read_component_id(json_object_get(o, "id"), &c->id, &c->id_len, why, len);
    if (e != MM_OK) {
        return e;
    }
    c->prefix = json_is_true(json_object_get(o, "prefix"));
    if ((v = json_object_get(o, "file")) != NULL) {
        if (!json_is_string(v) || (c->file = strdup(json_string_value(v))) == NULL) {
            return bad(why, len, "components: \"file\" is a relative path");
        }
    }
    if ((v = json_object_get(o, "slot")) != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            return bad(why, len, "components: \"slot\" is a number");
        }
        c->has_slot = true;
        c->slot = (uint64_t)json_integer_value(v);
    }
    if ((v = json_object_get(o, "version")) != NULL) {
        if (!json_is_array(v) || json_array_size(v) > MM_SUIT_MAX_VERSION) {
            return bad(why, len, "components: \"version\" is an array of integers");
        }
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *x = json_array_get(v, i);
            if (!json_is_integer(x)) {
                return bad(why, len, "components: \"version\" is an array of integers");
            }
            c->version[c->n_version++] = json_integer_value(x);
        }
    }
    if ((v = json_object_get(o, "invoke")) != NULL) {
        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 64) {
            return bad(why, len, "components: \"invoke\" is [program, arguments...]");
        }
        c->argc = json_array_size(v);
        c->argv = calloc(c->argc + 1, sizeof *c->argv);
        if (c->argv == NULL) {
            return MM_ERR_PLATFORM;
        }
        for (size_t i = 0; i < c->argc; i++) {
            json_t *a = json_array_get(v, i);
            if (!json_is_string(a) || (c->argv[i] = strdup(json_string_value(a))) == NULL) {
                return bad(why, len, "components: \"invoke\" holds strings");
            }
        }
        if (c->argv[0] == NULL || c->argv[0][0] != '/') {
            return bad(why, len, "components: \"invoke\" names its program by absolute path");
        }
    }
    return MM_OK;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* The decimal number of n digits at s, or -1. */
static int64_t digits(const char *s, size_t n)
{
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Seconds since the epoch: a number, or "YYYY-MM-DDTHH:MM:SSZ". */
static bool read_time(json_t *v, uint64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    const char *t = json_is_string(v) ? json_string_value(v) : "";
    if (strlen(t) != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != 'Z') {
        return false;
    }
    int64_t y = digits(t, 4), mo = digits(t + 5, 2), d = digits(t + 8, 2);
    int64_t h = digits(t + 11, 2), mi = digits(t + 14, 2), s = digits(t + 17, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) {
        return false;
    }
    *out = (uint64_t)(days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s);
    return true;
}

static bool read_int(json_t *o, const char *name, int64_t *out)
{
    json_t *v = json_object_get(o, name);
    if (v != NULL && json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    return false;
}

mm_err pd_config_load(mm_posixdev *d, char *why, size_t why_len)
{
    int fd = openat(d->dirfd, DEVICE_JSON, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        bad(why, why_len, "%s/%s: %s", d->name, DEVICE_JSON, strerror(errno));
        return MM_ERR_PLATFORM;
    }
    json_error_t jerr;
    d->doc = json_loadfd(fd, JSON_REJECT_DUPLICATES, &jerr);
    close(fd);
    if (d->doc == NULL || !json_is_object(d->doc)) {
        return bad(why, why_len, "%s: line %d: %s", DEVICE_JSON, jerr.line,
                   d->doc == NULL ? jerr.text : "not an object");
    }
    static const char *const id_names[3] = {"vendor-id", "class-id", "device-id"};
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(d->doc, id_names[k]);
        mm_err e = v != NULL ? read_ids(v, id_names[k], d->ids[k], &d->n_ids[k], why, why_len) : MM_OK;
        if (e != MM_OK) {
            return e;
        }
    }
    json_t *comps = json_object_get(d->doc, "components");
    d->any_component = comps == NULL;
    if (comps != NULL) {
        if (!json_is_array(comps)) {
            return bad(why, why_len, "components: an array");
        }
        d->comps = calloc(json_array_size(comps) + 1, sizeof *d->comps);
        if (d->comps == NULL) {
            return MM_ERR_PLATFORM;
        }
        for (size_t i = 0; i < json_array_size(comps); i++) {
            d->n_comps = i + 1;
            mm_err e = read_component(json_array_get(comps, i), &d->comps[i], why, why_len);
            if (e != MM_OK) {
                return e;
            }
        }
    }
    json_t *t = json_object_get(d->doc, "time");
    if (t != NULL && !(d->has_time = read_time(t, &d->time))) {
        return bad(why, why_len, "time: seconds since 1970, or \"YYYY-MM-DDTHH:MM:SSZ\"");
    }
    d->has_local = read_int(d->doc, "utc-offset", &d->utc_offset);
    int64_t v;
    if ((d->has_battery = read_int(d->doc, "battery-mwh", &v))) {
        d->battery = v < 0 ? 0 : (uint64_t)v;
    }
    d->has_authorize = read_int(d->doc, "authorized-priority", &d->authorized);
    d->power = read_int(d->doc, "power", &v) ? v : 0;
    d->network = read_int(d->doc, "network", &v) ? v : 0;
    d->fetch_max = read_int(d->doc, "fetch-max-bytes", &v) && v > 0 ? (uint64_t)v : (uint64_t)256 << 20;
    d->invoke_timeout = read_int(d->doc, "invoke-timeout", &v) && v > 0 && v < 3600 ? (unsigned)v : 30;
    json_t *seqs = json_object_get(d->doc, "sequence-numbers");
    if (seqs != NULL && !json_is_array(seqs)) {
        return bad(why, why_len, "sequence-numbers: an array of {\"manifest-component-id\", \"sequence-number\"}");
    }
    return MM_OK;
}

void pd_config_free(mm_posixdev *d)
{
    for (size_t i = 0; i < d->n_comps; i++) {
        pd_component *c = &d->comps[i];
        free(c->id);
        free(c->file);
        for (size_t k = 0; c->argv != NULL && k < c->argc; k++) {
            free(c->argv[k]);
        }
        free(c->argv);
    }
    free(d->comps);
    json_decref(d->doc);
}

/* The counter entry of a manifest id (NULL for the default one). */
static json_t *counter_entry(mm_posixdev *d, mm_bytes id)
{
    json_t *seqs = json_object_get(d->doc, "sequence-numbers");
    for (size_t i = 0; seqs != NULL && i < json_array_size(seqs); i++) {
        json_t *e = json_array_get(seqs, i);
        json_t *mid = json_object_get(e, "manifest-component-id");
        uint8_t *enc = NULL;
        size_t len = 0;
        bool same;
        if (mid == NULL) {
            same = id.len == 0;
        } else {
            same = read_component_id(mid, &enc, &len, NULL, 0) == MM_OK && mm_bytes_equal(mm_bytes_make(enc, len), id);
        }
        free(enc);
        if (same) {
            return e;
        }
    }
    return NULL;
}

mm_err pd_counter_get(mm_posixdev *d, mm_bytes id, bool *present, uint64_t *value)
{
    json_t *e = counter_entry(d, id);
    json_t *n = e != NULL ? json_object_get(e, "sequence-number") : NULL;
    *present = n != NULL && json_is_integer(n) && json_integer_value(n) >= 0;
    *value = *present ? (uint64_t)json_integer_value(n) : 0;
    return MM_OK;
}

/* The identifier as device.json writes it: segments in hex. */
static json_t *component_id_json(mm_bytes id)
{
    json_t *a = json_array();
    mm_cbor_dec dec;
    size_t n;
    if (a == NULL || mm_cbor_dec_init(&dec, id, 0) != MM_OK || mm_cbor_enter_array(&dec, &n) != MM_OK) {
        json_decref(a);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        mm_bytes seg;
        char hex[2 * 256 + 1];
        mm_buf out = mm_buf_make(hex, sizeof hex - 1);
        if (mm_cbor_get_bstr(&dec, &seg) != MM_OK || mm_hex_encode(seg, &out) != MM_OK) {
            json_decref(a);
            return NULL;
        }
        hex[out.len] = '\0';
        json_array_append_new(a, json_string(hex));
    }
    return a;
}

/* Writes the document: a temporary file, fsync, rename, fsync the folder. */
static mm_err save(mm_posixdev *d)
{
    char *text = json_dumps(d->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        return pd_fail(d, MM_ERR_PLATFORM, "device.json: cannot encode");
    }
    static const char tmp[] = DEVICE_JSON ".tmp";
    int fd = openat(d->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    size_t len = strlen(text);
    bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    int err = errno;
    if (fd >= 0) {
        ok = close(fd) == 0 && ok;
    }
    free(text);
    if (!ok || renameat(d->dirfd, tmp, d->dirfd, DEVICE_JSON) != 0) {
        err = ok ? errno : err;
        unlinkat(d->dirfd, tmp, 0);
        return pd_fail(d, MM_ERR_PLATFORM, "device.json: %s", strerror(err));
    }
    fsync(d->dirfd);
    return MM_OK;
}

mm_err pd_counter_set(mm_posixdev *d, mm_bytes id, uint64_t value)
{
    json_t *e = counter_entry(d, id);
    if (e == NULL) {
        json_t *seqs = json_object_get(d->doc, "sequence-numbers");
        if (seqs == NULL) {
            seqs = json_array();
            json_object_set_new(d->doc, "sequence-numbers", seqs);
        }
        e = json_object();
        if (id.len != 0) {
            json_object_set_new(e, "manifest-component-id", component_id_json(id));
        }
        json_array_append_new(seqs, e);
    }
    if (value > (uint64_t)INT64_MAX) {
        return pd_fail(d, MM_ERR_TOO_LARGE, "sequence number beyond what device.json holds");
    }
    json_object_set_new(e, "sequence-number", json_integer((json_int_t)value));
    return save(d);
}
