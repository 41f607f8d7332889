/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The values of a SUIT description (docs/suit-json.md): byte strings from
 * hex, text or files; any CBOR item; UUIDs, given or made by the spec's
 * recommended construction (UUID version 5); digests and sizes of image
 * files; versions, bit sets, actors and text maps.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mamori/crypto_openssl.h"
#include "suit_json.h"

/* The one member of a single-member object, or NULL. */
static const char *only_member(json_t *v, json_t **value)
{
    const char *key;
    json_t *item;
    const char *found = NULL;
    size_t n = 0;
    json_object_foreach(v, key, item)
    {
        found = key;
        *value = item;
        n++;
    }
    return n == 1 ? found : NULL;
}

/*
 * Byte strings.
 */

static int hex_bytes(const sj *s, json_t *v, mm_buf *out)
{
    if (!json_is_string(v)) {
        return sj_fail(s, "expected hexadecimal text");
    }
    size_t n = json_string_length(v);
    *out = mm_buf_make(malloc(n / 2 + 1), n / 2 + 1);
    if (out->ptr == NULL) {
        return cli_fail(CLI_SOFTWARE, s->desc, "out of memory");
    }
    size_t off = 0;
    if (mm_hex_decode(mm_bytes_make(json_string_value(v), n), MM_TEXT_SKIP_SPACE, out, &off) != MM_OK) {
        free(out->ptr);
        out->ptr = NULL;
        return sj_fail(s, "not hexadecimal text (at character %zu); text is written {\"text\": ...}", off);
    }
    return CLI_OK;
}

typedef struct value_job {
    sj *s;
    json_t *v;
} value_job;

static int emit_value(void *ctx, mm_cbor_enc *e)
{
    value_job *j = ctx;
    return sj_put_value(j->s, e, j->v);
}

int sj_bytes(sj *s, json_t *v, mm_buf *out)
{
    memset(out, 0, sizeof *out);
    if (json_is_string(v)) {
        return hex_bytes(s, v, out);
    }
    json_t *arg = NULL;
    const char *form = json_is_object(v) ? only_member(v, &arg) : NULL;
    if (form != NULL && strcmp(form, "hex") == 0) {
        return hex_bytes(s, arg, out);
    }
    if (form != NULL && strcmp(form, "text") == 0 && json_is_string(arg)) {
        size_t n = json_string_length(arg);
        *out = mm_buf_make(malloc(n + 1), n + 1);
        if (out->ptr == NULL) {
            return cli_fail(CLI_SOFTWARE, s->desc, "out of memory");
        }
        memcpy(out->ptr, json_string_value(arg), n);
        out->len = n;
        return CLI_OK;
    }
    if (form != NULL && strcmp(form, "file") == 0 && json_is_string(arg)) {
        return sj_read_file(s, json_string_value(arg), &out->ptr, &out->len);
    }
    if (form != NULL && strcmp(form, "cbor") == 0) {
        value_job j = {s, arg};
        return suit_encode(s->desc, "a value", emit_value, &j, 1024, out);
    }
    return sj_fail(s, "expected bytes: \"hex\", {\"hex\": ...}, {\"text\": ...}, {\"file\": ...} or {\"cbor\": value}");
}

int sj_put_bytes(sj *s, mm_cbor_enc *e, json_t *v)
{
    mm_buf b;
    int rc = sj_bytes(s, v, &b);
    if (rc == CLI_OK) {
        mm_cbor_put_bstr(e, mm_bytes_make(b.ptr, b.len));
    }
    free(b.ptr);
    return rc;
}

int sj_put_text_string(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (json_is_string(v)) {
        mm_cbor_put_tstr(e, mm_bytes_make(json_string_value(v), json_string_length(v)));
        return CLI_OK;
    }
    json_t *arg = NULL;
    const char *form = json_is_object(v) ? only_member(v, &arg) : NULL;
    if (form == NULL || strcmp(form, "file") != 0 || !json_is_string(arg)) {
        return sj_fail(s, "expected text: a string or {\"file\": ...}");
    }
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = sj_read_file(s, json_string_value(arg), &data, &len);
    if (rc != CLI_OK) {
        return rc;
    }
    /* jansson refuses to make a string of bytes that are not UTF-8. */
    json_t *check = json_stringn((const char *)data, len);
    if (check == NULL) {
        rc = sj_fail(s, "%s is not UTF-8 text", json_string_value(arg));
    } else {
        mm_cbor_put_tstr(e, mm_bytes_make(data, len));
    }
    json_decref(check);
    free(data);
    return rc;
}

/*
 * Any CBOR item.
 */

static int put_encoded(sj *s, mm_cbor_enc *e, json_t *v)
{
    mm_buf b;
    int rc = sj_bytes(s, v, &b);
    if (rc != CLI_OK) {
        return rc;
    }
    /* Checked, then written again in deterministic form: whatever the
     * source's encoding, the manifest's is deterministic. */
    size_t off = 0;
    mm_bytes in = mm_bytes_make(b.ptr, b.len);
    mm_err err = mm_cbor_check(in, MM_CBOR_ALLOW_INDEF, &off);
    mm_cbor_dec d;
    if (err == MM_OK && (err = mm_cbor_dec_init(&d, in, MM_CBOR_ALLOW_INDEF)) == MM_OK) {
        err = mm_cbor_copy(&d, e);
    }
    if (err != MM_OK) {
        rc = sj_fail(s, "not one CBOR item (byte %zu: %s)", off, mm_strerror(err));
    }
    free(b.ptr);
    return rc;
}

static int put_pair(sj *s, mm_cbor_enc *e, json_t *pair)
{
    if (!json_is_array(pair) || json_array_size(pair) != 2) {
        return sj_fail(s, "expected a [key, value] pair");
    }
    int rc = sj_put_value(s, e, json_array_get(pair, 0));
    return rc == CLI_OK ? sj_put_value(s, e, json_array_get(pair, 1)) : rc;
}

static int put_map(sj *s, mm_cbor_enc *e, json_t *pairs)
{
    if (!json_is_array(pairs)) {
        return sj_fail(s, "expected {\"map\": [[key, value], ...]}");
    }
    return sj_put_each(s, e, pairs, true, put_pair);
}

static int put_value_object(sj *s, mm_cbor_enc *e, json_t *v)
{
    json_t *tag = json_object_get(v, "tag");
    json_t *item = json_object_get(v, "value");
    if (json_object_size(v) == 2 && tag != NULL && item != NULL) {
        uint64_t number = 0;
        int rc = sj_uint(s, tag, &number);
        mm_cbor_put_tag(e, number);
        return rc == CLI_OK ? sj_put_value(s, e, item) : rc;
    }
    json_t *arg = NULL;
    const char *form = only_member(v, &arg);
    if (form != NULL && strcmp(form, "bytes") == 0) {
        return sj_put_bytes(s, e, arg);
    }
    if (form != NULL && strcmp(form, "map") == 0) {
        return put_map(s, e, arg);
    }
    if (form != NULL && strcmp(form, "encoded") == 0) {
        return put_encoded(s, e, arg);
    }
    return sj_fail(s, "expected a value: a number, string, true, false, null, array, {\"bytes\": ...}, "
                      "{\"map\": [[key, value], ...]}, {\"tag\": n, \"value\": ...} or {\"encoded\": bytes}");
}

int sj_put_value(sj *s, mm_cbor_enc *e, json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        mm_cbor_put_int(e, (int64_t)json_integer_value(v));
        return CLI_OK;
    case JSON_REAL:
        mm_cbor_put_float(e, json_real_value(v));
        return CLI_OK;
    case JSON_TRUE:
    case JSON_FALSE:
        mm_cbor_put_bool(e, json_is_true(v));
        return CLI_OK;
    case JSON_NULL:
        mm_cbor_put_null(e);
        return CLI_OK;
    case JSON_STRING:
        mm_cbor_put_tstr(e, mm_bytes_make(json_string_value(v), json_string_length(v)));
        return CLI_OK;
    case JSON_ARRAY:
        return sj_put_each(s, e, v, false, sj_put_value);
    default:
        return put_value_object(s, e, v);
    }
}

/*
 * UUIDs (RFC 9562).
 */

/* The namespace of DNS names (RFC 9562, appendix A), from which the spec's
 * recommended vendor IDs are made. */
static const uint8_t dns_namespace[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                          0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};

/* UUID version 5: SHA-1 of namespace || name, version and variant set.
 * SHA-1 serves here as a name hash, not for security, which is why it is
 * not in the crypto contract and is taken from OpenSSL directly. */
static int uuid5(const sj *s, const uint8_t ns[16], mm_bytes name, uint8_t out[16])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(ctx, ns, 16) == 1 &&
             EVP_DigestUpdate(ctx, name.ptr, name.len) == 1 && EVP_DigestFinal_ex(ctx, md, &md_len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok || md_len < 16) {
        return cli_fail(CLI_SOFTWARE, s->desc, "SHA-1 failed (for a UUID version 5)");
    }
    memcpy(out, md, 16);
    out[6] = (uint8_t)((out[6] & 0x0f) | 0x50);
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
    return CLI_OK;
}

static const char uuid_forms[] = "expected a UUID: \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe\" (or its 32 hex digits), "
                                 "{\"dns\": name} or {\"namespace\": UUID, \"name\": text}";

static int uuid_text(const sj *s, json_t *v, uint8_t out[16])
{
    const char *t = json_string_value(v);
    size_t n = json_string_length(v);
    char hex[32];
    size_t h = 0;
    bool dashed = n == 36 && t[8] == '-' && t[13] == '-' && t[18] == '-' && t[23] == '-';
    for (size_t i = 0; (dashed || n == 32) && i < n && h < sizeof hex; i++) {
        if (!dashed || (i != 8 && i != 13 && i != 18 && i != 23)) {
            hex[h++] = t[i];
        }
    }
    mm_buf b = mm_buf_make(out, 16);
    if (h != 32 || mm_hex_decode(mm_bytes_make(hex, 32), 0, &b, NULL) != MM_OK) {
        return sj_fail(s, "%s", uuid_forms);
    }
    return CLI_OK;
}

static int uuid_of(sj *s, json_t *v, uint8_t out[16])
{
    if (json_is_string(v)) {
        return uuid_text(s, v, out);
    }
    json_t *dns = json_object_get(v, "dns");
    json_t *ns = json_object_get(v, "namespace");
    json_t *name = json_object_get(v, "name");
    if (json_is_object(v) && json_object_size(v) == 1 && json_is_string(dns)) {
        return uuid5(s, dns_namespace, mm_bytes_make(json_string_value(dns), json_string_length(dns)), out);
    }
    if (json_is_object(v) && json_object_size(v) == 2 && ns != NULL && json_is_string(name)) {
        uint8_t space[16];
        size_t mark = sj_enter_key(s, "namespace");
        int rc = uuid_of(s, ns, space);
        sj_leave(s, mark);
        return rc != CLI_OK ? rc
                            : uuid5(s, space, mm_bytes_make(json_string_value(name), json_string_length(name)), out);
    }
    return sj_fail(s, "%s", uuid_forms);
}

int sj_put_uuid(sj *s, mm_cbor_enc *e, json_t *v)
{
    uint8_t uuid[16];
    int rc = uuid_of(s, v, uuid);
    mm_cbor_put_bstr(e, mm_bytes_make(uuid, sizeof uuid));
    return rc;
}

int sj_put_vendor_id(sj *s, mm_cbor_enc *e, json_t *v)
{
    json_t *pen = json_object_get(v, "pen");
    if (!json_is_object(v) || json_object_size(v) != 1 || pen == NULL) {
        return sj_put_uuid(s, e, v);
    }
    uint64_t n = 0;
    size_t mark = sj_enter_key(s, "pen");
    int rc = sj_uint(s, pen, &n);
    sj_leave(s, mark);
    /* A relative OID (RFC 9090): base 128, most significant group first, the
     * high bit on every byte but the last. */
    uint8_t oid[10];
    size_t len = 0;
    do {
        oid[sizeof oid - 1 - len] = (uint8_t)((n & 0x7f) | (len == 0 ? 0 : 0x80));
        n >>= 7;
        len++;
    } while (n != 0);
    mm_cbor_put_tag(e, 112); /* cbor-pen */
    mm_cbor_put_bstr(e, mm_bytes_make(oid + sizeof oid - len, len));
    return rc;
}

/*
 * Digests and sizes.
 */

static size_t hash_size(int32_t alg)
{
    return alg == MM_ALG_SHA256 ? 32 : alg == MM_ALG_SHA384 ? 48 : alg == MM_ALG_SHA512 ? 64 : 0;
}

/* A digest's bytes, given or computed over a file. */
static int digest_bytes(sj *s, json_t *v, int32_t alg, mm_buf *out)
{
    json_t *given = json_object_get(v, "bytes");
    json_t *file = json_object_get(v, "file");
    if ((given == NULL) == (file == NULL)) {
        return sj_fail(s, "expected a digest: {\"bytes\": hex} or {\"file\": image}, and optionally \"algorithm\"");
    }
    if (given != NULL) {
        size_t mark = sj_enter_key(s, "bytes");
        int rc = sj_bytes(s, given, out);
        if (rc == CLI_OK && hash_size(alg) != 0 && out->len != hash_size(alg)) {
            rc = sj_fail(s, "%zu bytes, not the %zu of a %s digest", out->len, hash_size(alg), cli_alg_name(alg));
        }
        sj_leave(s, mark);
        return rc;
    }
    size_t mark = sj_enter_key(s, "file");
    uint8_t *data = NULL;
    size_t len = 0;
    int rc =
        json_is_string(file) ? sj_read_file(s, json_string_value(file), &data, &len) : sj_fail(s, "expected a file");
    *out = mm_buf_make(malloc(MM_HASH_MAX), MM_HASH_MAX);
    mm_err e = MM_OK;
    if (rc == CLI_OK && out->ptr == NULL) {
        rc = cli_fail(CLI_SOFTWARE, s->desc, "out of memory");
    }
    if (rc == CLI_OK &&
        (e = mm_hash(mm_crypto_openssl(), alg, mm_bytes_make(data, len), out->ptr, &out->len)) != MM_OK) {
        rc = sj_fail(s, "cannot compute the digest: %s (%s)", mm_strerror(e), mm_errname(e));
    }
    free(data);
    sj_leave(s, mark);
    return rc;
}

int sj_put_digest(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_object(v)) {
        return sj_fail(s, "expected a digest: {\"bytes\": hex} or {\"file\": image}, and optionally \"algorithm\"");
    }
    int32_t alg = s->digest_alg;
    json_t *alg_v = json_object_get(v, "algorithm");
    size_t known = (size_t)(alg_v != NULL) + (size_t)(json_object_get(v, "bytes") != NULL) +
                   (size_t)(json_object_get(v, "file") != NULL);
    int rc = known == json_object_size(v) ? CLI_OK : sj_fail(s, "a digest has \"algorithm\", \"bytes\" or \"file\"");
    if (rc == CLI_OK && alg_v != NULL) {
        size_t mark = sj_enter_key(s, "algorithm");
        rc = sj_digest_alg(s, alg_v, &alg);
        sj_leave(s, mark);
    }
    mm_buf bytes = mm_buf_make(NULL, 0);
    if (rc == CLI_OK) {
        rc = digest_bytes(s, v, alg, &bytes);
    }
    if (rc == CLI_OK) {
        mm_cbor_open_wrap(e); /* a parameter's SUIT_Digest is wrapped */
        mm_cbor_put_array(e, 2);
        mm_cbor_put_int(e, alg);
        mm_cbor_put_bstr(e, mm_bytes_make(bytes.ptr, bytes.len));
        mm_cbor_close(e, NULL);
    }
    free(bytes.ptr);
    return rc;
}

int sj_put_image_size(sj *s, mm_cbor_enc *e, json_t *v)
{
    json_t *file = json_object_get(v, "file");
    if (!json_is_object(v)) {
        uint64_t n = 0;
        int rc = sj_uint(s, v, &n);
        mm_cbor_put_uint(e, n);
        return rc;
    }
    if (json_object_size(v) != 1 || !json_is_string(file)) {
        return sj_fail(s, "expected a size in bytes or {\"file\": image}");
    }
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = sj_read_file(s, json_string_value(file), &data, &len);
    free(data);
    mm_cbor_put_uint(e, len);
    return rc;
}

/*
 * Identifiers, versions, bits.
 */

int sj_put_component_id(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_array(v)) {
        return sj_fail(s, "expected a component identifier: an array of byte strings, e.g. [\"00\"]");
    }
    return sj_put_each(s, e, v, false, sj_put_bytes);
}

static int put_int_item(sj *s, mm_cbor_enc *e, json_t *item)
{
    int64_t x = 0;
    int rc = sj_int(s, item, &x);
    mm_cbor_put_int(e, x);
    return rc;
}

int sj_put_version(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return sj_fail(s, "expected a version: a non-empty array of integers, e.g. [1, 0, 2]");
    }
    return sj_put_each(s, e, v, false, put_int_item);
}

int sj_put_version_match(sj *s, mm_cbor_enc *e, json_t *v, bool wrapped)
{
    json_t *cmp = json_object_get(v, "comparison");
    json_t *value = json_object_get(v, "value");
    if (!json_is_object(v) || json_object_size(v) != 2 || cmp == NULL || value == NULL) {
        return sj_fail(s, "expected {\"comparison\": \"greater\"... \"lesser\", \"value\": [1, 0, 2]}");
    }
    if (wrapped) {
        mm_cbor_open_wrap(e);
    }
    mm_cbor_put_array(e, 2);
    size_t mark = sj_enter_key(s, "comparison");
    int rc = sj_put_enum(s, e, MM_SUIT_REG_COMPARISON, cmp);
    sj_leave(s, mark);
    if (rc == CLI_OK) {
        mark = sj_enter_key(s, "value");
        rc = sj_put_version(s, e, value);
        sj_leave(s, mark);
    }
    if (wrapped) {
        mm_cbor_close(e, NULL);
    }
    return rc;
}

int sj_put_enum(sj *s, mm_cbor_enc *e, mm_suit_reg reg, json_t *v)
{
    if (json_is_integer(v)) {
        uint64_t n = 0;
        int rc = sj_uint(s, v, &n);
        mm_cbor_put_uint(e, n);
        return rc;
    }
    const mm_suit_name *entry =
        json_is_string(v) ? mm_suit_name_lookup(reg, mm_bytes_from_cstr(json_string_value(v))) : NULL;
    if (entry == NULL) {
        size_t n = 0;
        const mm_suit_name *all = mm_suit_names(reg, &n);
        char names[256] = "";
        for (size_t i = 0; i < n; i++) {
            strncat(names, i == 0 ? "" : ", ", sizeof names - strlen(names) - 1);
            strncat(names, all[i].name, sizeof names - strlen(names) - 1);
        }
        return sj_fail(s, "expected a number or one of: %s", names);
    }
    mm_cbor_put_uint(e, (uint64_t)entry->key);
    return CLI_OK;
}

int sj_put_bits(sj *s, mm_cbor_enc *e, mm_suit_reg reg, json_t *v)
{
    uint64_t bits = 0;
    if (json_is_integer(v)) {
        int rc = sj_uint(s, v, &bits);
        mm_cbor_put_uint(e, bits);
        return rc;
    }
    if (!json_is_array(v)) {
        return sj_fail(s, "expected a number or an array of bit names");
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        const mm_suit_name *entry =
            json_is_string(item) ? mm_suit_name_lookup(reg, mm_bytes_from_cstr(json_string_value(item))) : NULL;
        if (entry == NULL) {
            size_t mark = sj_enter_index(s, i);
            int rc = sj_put_enum(s, e, reg, json_null()); /* names the choices */
            sj_leave(s, mark);
            return rc;
        }
        bits |= 1ull << entry->key;
    }
    mm_cbor_put_uint(e, bits);
    return CLI_OK;
}

/*
 * Component metadata and wait events.
 */

int sj_put_actor(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (json_is_integer(v) || json_is_string(v)) {
        return sj_put_value(s, e, v); /* a POSIX user id, a user name */
    }
    json_t *arg = NULL;
    const char *form = json_is_object(v) ? only_member(v, &arg) : NULL;
    if (form != NULL && strcmp(form, "bytes") == 0) {
        return sj_put_bytes(s, e, arg);
    }
    if (form != NULL && strcmp(form, "uuid") == 0) {
        mm_cbor_put_tag(e, 37); /* UUID_Tagged */
        return sj_put_uuid(s, e, arg);
    }
    return sj_fail(s, "expected an actor: an integer, a string, {\"bytes\": ...} or {\"uuid\": ...}");
}

/* One actor and its permissions, as a key and a value. */
static int put_permission(sj *s, mm_cbor_enc *e, json_t *item)
{
    json_t *actor = json_object_get(item, "actor");
    json_t *perms = json_object_get(item, "permissions");
    if (!json_is_object(item) || json_object_size(item) != 2 || actor == NULL || perms == NULL) {
        return sj_fail(s, "expected {\"actor\": ..., \"permissions\": ...}");
    }
    int rc = sj_put_actor(s, e, actor);
    return rc == CLI_OK ? sj_put_bits(s, e, MM_SUIT_REG_PERMISSION_BIT, perms) : rc;
}

int sj_put_permission_map(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return sj_fail(s, "expected an array of {\"actor\": ..., \"permissions\": ...}");
    }
    return sj_put_each(s, e, v, true, put_permission);
}

static int put_version_match_item(sj *s, mm_cbor_enc *e, json_t *item)
{
    return sj_put_version_match(s, e, item, false);
}

int sj_put_other_device(sj *s, mm_cbor_enc *e, json_t *v)
{
    json_t *device = json_object_get(v, "device");
    json_t *versions = json_object_get(v, "versions");
    if (!json_is_object(v) || json_object_size(v) != 2 || device == NULL || !json_is_array(versions) ||
        json_array_size(versions) == 0) {
        return sj_fail(s, "expected {\"device\": bytes, \"versions\": [{\"comparison\": ..., \"value\": ...}, ...]}");
    }
    mm_cbor_put_array(e, 2);
    size_t mark = sj_enter_key(s, "device");
    int rc = sj_put_bytes(s, e, device);
    sj_leave(s, mark);
    if (rc == CLI_OK) {
        mark = sj_enter_key(s, "versions");
        rc = sj_put_each(s, e, versions, false, put_version_match_item);
        sj_leave(s, mark);
    }
    return rc;
}

/*
 * Text.
 */

/* tag38-ltag: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
static bool language_tag(const char *t)
{
    size_t run = 0;
    bool first = true;
    for (const char *p = t;; p++) {
        bool alpha = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
        bool digit = *p >= '0' && *p <= '9';
        if (*p == '-' || *p == '\0') {
            if (run == 0 || run > 8) {
                return false;
            }
            if (*p == '\0') {
                return true;
            }
            run = 0;
            first = false;
        } else if (alpha || (digit && !first)) {
            run++;
        } else {
            return false;
        }
    }
}

/* The text of one component: {"component": ID, "vendor-name": ...}. */
static int put_component_text(sj *s, mm_cbor_enc *e, json_t *v)
{
    json_t *id = json_object_get(v, "component");
    if (!json_is_object(v) || id == NULL) {
        return sj_fail(s, "expected {\"component\": [...], \"component-description\": ..., ...}");
    }
    size_t mark = sj_enter_key(s, "component");
    int rc = sj_put_component_id(s, e, id);
    sj_leave(s, mark);
    mm_cbor_open_map(e);
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item)
    {
        if (rc == CLI_OK && !sj_is_comment(key) && strcmp(key, "component") != 0) {
            rc = sj_put_member(s, e, MM_SUIT_REG_COMPONENT_TEXT, key, item);
        }
    }
    mm_cbor_close(e, NULL);
    return rc;
}

/* SUIT_Text_LMap: text about the manifest, and "components". */
static int put_language_map(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_object(v)) {
        return sj_fail(s, "expected an object of text keys, and \"components\"");
    }
    mm_cbor_open_map(e);
    const char *key;
    json_t *item;
    int rc = CLI_OK;
    json_object_foreach(v, key, item)
    {
        if (rc != CLI_OK || sj_is_comment(key)) {
            continue;
        }
        if (strcmp(key, "components") != 0) {
            rc = sj_put_member(s, e, MM_SUIT_REG_TEXT, key, item);
            continue;
        }
        size_t mark = sj_enter_key(s, key);
        rc = json_is_array(item) ? CLI_OK : sj_fail(s, "expected an array of component texts");
        size_t i;
        json_t *c;
        json_array_foreach(item, i, c)
        {
            size_t m = sj_enter_index(s, i);
            rc = rc == CLI_OK ? put_component_text(s, e, c) : rc;
            sj_leave(s, m);
        }
        sj_leave(s, mark);
    }
    mm_cbor_close(e, NULL);
    return rc;
}

int sj_put_text_map(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_object(v) || json_object_size(v) == 0) {
        return sj_fail(s, "expected an object of languages, e.g. {\"en-US\": {...}}");
    }
    mm_cbor_open_map(e);
    const char *key;
    json_t *item;
    int rc = CLI_OK;
    json_object_foreach(v, key, item)
    {
        if (rc != CLI_OK || sj_is_comment(key)) {
            continue;
        }
        size_t mark = sj_enter_key(s, key);
        if (!language_tag(key)) {
            rc = sj_fail(s, "not a language tag (such as \"en\" or \"en-US\")");
        } else {
            mm_cbor_put_tstr(e, mm_bytes_from_cstr(key));
            rc = put_language_map(s, e, item);
        }
        sj_leave(s, mark);
    }
    mm_cbor_close(e, NULL);
    return rc;
}
