/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The SUIT description reader (docs/suit-json.md): the manifest's members,
 * severed members and integrated payloads, commands and sequences. Names
 * come from the SUIT tables (mamori/suit_names.h), so every member, command
 * and parameter those know can be written by name, and any other by number.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suit_json.h"

/*
 * Paths and messages.
 */

static size_t sj_append(sj *s, const char *text)
{
    size_t mark = s->path_len;
    size_t n = strlen(text);
    if (s->path_len + n < sizeof s->path) {
        memcpy(s->path + s->path_len, text, n + 1);
        s->path_len += n;
    }
    return mark;
}

size_t sj_enter_key(sj *s, const char *key)
{
    size_t mark = s->path_len;
    if (s->path_len != 0) {
        sj_append(s, ".");
    }
    sj_append(s, key);
    return mark;
}

size_t sj_enter_index(sj *s, size_t i)
{
    char text[32];
    snprintf(text, sizeof text, "[%zu]", i);
    return sj_append(s, text);
}

void sj_leave(sj *s, size_t mark)
{
    s->path_len = mark;
    s->path[mark] = '\0';
}

int sj_fail(const sj *s, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->path_len == 0) {
        return cli_fail(CLI_DATAERR, s->desc, "%s", msg);
    }
    return cli_fail(CLI_DATAERR, s->desc, "%s: %s", s->path, msg);
}

bool sj_is_comment(const char *key) { return key[0] == '$'; }

bool sj_key_number(const char *key, int64_t *v)
{
    const char *p = key[0] == '-' ? key + 1 : key;
    size_t n = strlen(p);
    /* Decimal digits, no leading zero (one spelling per number) and not -0. */
    if (n == 0 || n > 19 || (p[0] == '0' && (n > 1 || p != key)) || strspn(p, "0123456789") != n) {
        return false;
    }
    errno = 0;
    char *end = NULL;
    long long x = strtoll(key, &end, 10);
    if (errno != 0 || *end != '\0') {
        return false;
    }
    *v = (int64_t)x;
    return true;
}

int sj_uint(const sj *s, const json_t *v, uint64_t *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        return sj_fail(s, "expected an unsigned integer");
    }
    *out = (uint64_t)json_integer_value(v);
    return CLI_OK;
}

int sj_int(const sj *s, const json_t *v, int64_t *out)
{
    if (!json_is_integer(v)) {
        return sj_fail(s, "expected an integer");
    }
    *out = (int64_t)json_integer_value(v);
    return CLI_OK;
}

int sj_read_file(const sj *s, const char *name, uint8_t **data, size_t *len)
{
    if (name[0] == '/' || s->dir == NULL || s->dir[0] == '\0') {
        return cli_read_file(name, data, len);
    }
    size_t n = strlen(s->dir) + strlen(name) + 2;
    char *full = malloc(n);
    if (full == NULL) {
        return cli_fail(CLI_SOFTWARE, name, "out of memory");
    }
    snprintf(full, n, "%s/%s", s->dir, name);
    int rc = cli_read_file(full, data, len);
    free(full);
    return rc;
}

int sj_digest_alg(const sj *s, const json_t *v, int32_t *alg)
{
    if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN && json_integer_value(v) <= INT32_MAX) {
        *alg = (int32_t)json_integer_value(v);
        return CLI_OK;
    }
    const cli_alg *a = json_is_string(v) ? cli_alg_find(json_string_value(v)) : NULL;
    if (a == NULL || a->kind != CLI_ALG_HASH) {
        return sj_fail(s, "expected a digest algorithm: SHA-256, SHA-384, SHA-512 or a COSE algorithm number");
    }
    *alg = a->id;
    return CLI_OK;
}

/*
 * Objects of named members.
 */

/* The label of a member key: a name of reg or a number; *entry is NULL for a
 * number the table does not know. */
static int member_label(const sj *s, mm_suit_reg reg, const char *key, int64_t *label, const mm_suit_name **entry)
{
    static const char *const what[MM_SUIT_REG_COUNT] = {
        "an envelope member", "a manifest member", "a common member",      "a dependency member", "a command",
        "a parameter",        "a text key",        "a component text key", "a wait event",        "a metadata member",
        "a comparison",       "a file type",       "a reporting bit",      "a permission bit",
    };
    if (sj_key_number(key, label)) {
        *entry = mm_suit_name_find(reg, *label);
        return CLI_OK;
    }
    *entry = mm_suit_name_lookup(reg, mm_bytes_from_cstr(key));
    if (*entry == NULL) {
        return sj_fail(s, "'%s' is not %s (see docs/suit-json.md)", key, what[reg]);
    }
    *label = (*entry)->key;
    return CLI_OK;
}

int sj_put_member(sj *s, mm_cbor_enc *e, mm_suit_reg reg, const char *key, json_t *v)
{
    int64_t label = 0;
    const mm_suit_name *entry = NULL;
    int rc = member_label(s, reg, key, &label, &entry);
    if (rc != CLI_OK) {
        return rc;
    }
    size_t mark = sj_enter_key(s, key);
    mm_cbor_put_int(e, label);
    if (entry == NULL) {
        rc = sj_put_value(s, e, v);
    } else if (reg == MM_SUIT_REG_PARAMETER && label == 14) {
        rc = sj_put_image_size(s, e, v); /* a number, or the size of a file */
    } else {
        rc = sj_put_kind(s, e, entry->kind, v);
    }
    sj_leave(s, mark);
    return rc;
}

int sj_put_object(sj *s, mm_cbor_enc *e, mm_suit_reg reg, json_t *obj, bool wrapped, bool nonempty)
{
    if (!json_is_object(obj)) {
        return sj_fail(s, "expected an object");
    }
    if (wrapped) {
        mm_cbor_open_wrap(e);
    }
    mm_cbor_open_map(e);
    const char *key;
    json_t *v;
    size_t members = 0;
    int rc = CLI_OK;
    json_object_foreach(obj, key, v)
    {
        if (rc == CLI_OK && !sj_is_comment(key)) {
            rc = sj_put_member(s, e, reg, key, v);
            members++;
        }
    }
    if (rc == CLI_OK && nonempty && members == 0) {
        rc = sj_fail(s, "expected at least one member");
    }
    mm_cbor_close(e, NULL);
    if (wrapped) {
        mm_cbor_close(e, NULL);
    }
    return rc;
}

int sj_put_each(sj *s, mm_cbor_enc *e, json_t *v, bool map, sj_item_fn fn)
{
    if (map) {
        mm_cbor_open_map(e);
    } else {
        mm_cbor_open_array(e);
    }
    size_t i;
    json_t *item;
    int rc = CLI_OK;
    json_array_foreach(v, i, item)
    {
        size_t mark = sj_enter_index(s, i);
        rc = fn(s, e, item);
        sj_leave(s, mark);
        if (rc != CLI_OK) {
            break;
        }
    }
    mm_cbor_close(e, NULL);
    return rc;
}

/*
 * Commands and sequences.
 */

static int put_sequence(sj *s, mm_cbor_enc *e, json_t *v);

/* Objects keyed by component index: {"0": ..., "1": ...}. */
typedef int (*index_value_fn)(sj *s, mm_cbor_enc *e, json_t *v);

static int put_index_map(sj *s, mm_cbor_enc *e, json_t *v, index_value_fn fn)
{
    if (!json_is_object(v) || json_object_size(v) == 0) {
        return sj_fail(s, "expected an object of component indexes (\"0\", \"1\"...)");
    }
    mm_cbor_open_map(e);
    const char *key;
    json_t *item;
    int rc = CLI_OK;
    json_object_foreach(v, key, item)
    {
        int64_t index = 0;
        if (rc != CLI_OK || sj_is_comment(key)) {
            continue;
        }
        if (!sj_key_number(key, &index) || index < 0) {
            rc = sj_fail(s, "'%s' is not a component index", key);
            break;
        }
        size_t mark = sj_enter_key(s, key);
        mm_cbor_put_int(e, index);
        rc = fn(s, e, item);
        sj_leave(s, mark);
    }
    mm_cbor_close(e, NULL);
    return rc;
}

static int put_params(sj *s, mm_cbor_enc *e, json_t *v)
{
    return sj_put_object(s, e, MM_SUIT_REG_PARAMETER, v, false, true);
}

/* A parameter to copy, by name or number. */
static int put_param_label(sj *s, mm_cbor_enc *e, json_t *item)
{
    int64_t label = 0;
    const mm_suit_name *entry = NULL;
    int rc = json_is_string(item) ? member_label(s, MM_SUIT_REG_PARAMETER, json_string_value(item), &label, &entry)
                                  : sj_int(s, item, &label);
    mm_cbor_put_int(e, label);
    return rc;
}

/* copy-params: the parameters to copy. */
static int put_param_list(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return sj_fail(s, "expected an array of parameter names or numbers");
    }
    return sj_put_each(s, e, v, false, put_param_label);
}

static int put_uint_item(sj *s, mm_cbor_enc *e, json_t *item)
{
    uint64_t x = 0;
    int rc = sj_uint(s, item, &x);
    mm_cbor_put_uint(e, x);
    return rc;
}

static int put_index(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (json_is_true(v)) {
        mm_cbor_put_bool(e, true); /* every component */
        return CLI_OK;
    }
    if (json_is_integer(v)) {
        return put_uint_item(s, e, v);
    }
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return sj_fail(s, "expected a component index, true (all components) or an array of indexes");
    }
    return sj_put_each(s, e, v, false, put_uint_item);
}

static int put_try_each(sj *s, mm_cbor_enc *e, json_t *v)
{
    size_t n = json_is_array(v) ? json_array_size(v) : 0;
    bool last_nil = n != 0 && json_is_null(json_array_get(v, n - 1));
    if (n - (last_nil ? 1 : 0) < 2) {
        return sj_fail(s, "expected an array of two or more sequences, and optionally null last");
    }
    mm_cbor_open_array(e);
    size_t i;
    json_t *item;
    int rc = CLI_OK;
    json_array_foreach(v, i, item)
    {
        if (rc != CLI_OK) {
            break;
        }
        size_t mark = sj_enter_index(s, i);
        if (json_is_null(item) && i + 1 == n) {
            mm_cbor_put_null(e);
        } else {
            rc = put_sequence(s, e, item);
        }
        sj_leave(s, mark);
    }
    mm_cbor_close(e, NULL);
    return rc;
}

/* One command: {"name": argument}, or {"-257": VALUE} for one the table does
 * not know. */
static int put_command(sj *s, mm_cbor_enc *e, json_t *cmd)
{
    const char *key = NULL;
    const char *k;
    json_t *v;
    json_t *arg = NULL;
    size_t members = 0;
    if (json_is_object(cmd)) {
        json_object_foreach(cmd, k, v)
        {
            if (!sj_is_comment(k)) {
                key = k;
                arg = v;
                members++;
            }
        }
    }
    if (members != 1) {
        return sj_fail(s, "expected a command: an object of one member, {\"command-name\": argument}");
    }
    return sj_put_member(s, e, MM_SUIT_REG_COMMAND, key, arg);
}

/* A command sequence, wrapped in a byte string as everywhere it appears. */
static int put_sequence(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return sj_fail(s, "expected a command sequence: a non-empty array of commands");
    }
    mm_cbor_open_wrap(e);
    int rc = sj_put_each(s, e, v, false, put_command);
    mm_cbor_close(e, NULL);
    return rc;
}

/*
 * Values by kind.
 */

static int put_components(sj *s, mm_cbor_enc *e, json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        return sj_fail(s, "expected a non-empty array of component identifiers");
    }
    return sj_put_each(s, e, v, false, sj_put_component_id);
}

static int put_dependency(sj *s, mm_cbor_enc *e, json_t *v)
{
    return sj_put_object(s, e, MM_SUIT_REG_DEPENDENCY, v, false, false);
}

static int put_wrapped_value(sj *s, mm_cbor_enc *e, json_t *v)
{
    mm_cbor_open_wrap(e);
    int rc = sj_put_value(s, e, v);
    mm_cbor_close(e, NULL);
    return rc;
}

static int put_wrapped_version(sj *s, mm_cbor_enc *e, json_t *v)
{
    mm_cbor_open_wrap(e);
    int rc = sj_put_version(s, e, v);
    mm_cbor_close(e, NULL);
    return rc;
}

static int put_wrapped_text(sj *s, mm_cbor_enc *e, json_t *v)
{
    mm_cbor_open_wrap(e);
    int rc = sj_put_text_map(s, e, v);
    mm_cbor_close(e, NULL);
    return rc;
}

static int put_time(sj *s, mm_cbor_enc *e, json_t *v)
{
    uint64_t t = 0;
    mm_cbor_put_tag(e, 1); /* epoch-based date/time, as the metadata CDDL requires */
    int rc = sj_uint(s, v, &t);
    mm_cbor_put_uint(e, t);
    return rc;
}

static int put_simple(sj *s, mm_cbor_enc *e, unsigned kind, json_t *v)
{
    uint64_t u = 0;
    int64_t i = 0;
    int rc = CLI_OK;
    switch (kind) {
    case MM_SUIT_K_UINT:
        rc = sj_uint(s, v, &u);
        mm_cbor_put_uint(e, u);
        return rc;
    case MM_SUIT_K_INT:
        rc = sj_int(s, v, &i);
        mm_cbor_put_int(e, i);
        return rc;
    case MM_SUIT_K_BOOL:
        if (!json_is_boolean(v)) {
            return sj_fail(s, "expected true or false");
        }
        mm_cbor_put_bool(e, json_is_true(v));
        return CLI_OK;
    default:
        return sj_fail(s, "this member cannot be written in a description");
    }
}

int sj_put_kind(sj *s, mm_cbor_enc *e, unsigned kind, json_t *v)
{
    switch ((mm_suit_kind)kind) {
    case MM_SUIT_K_BSTR:
        return sj_put_bytes(s, e, v);
    case MM_SUIT_K_TSTR:
        return sj_put_text_string(s, e, v);
    case MM_SUIT_K_UUID:
        return sj_put_uuid(s, e, v);
    case MM_SUIT_K_VENDOR_ID:
        return sj_put_vendor_id(s, e, v);
    case MM_SUIT_K_DIGEST:
        return sj_put_digest(s, e, v);
    case MM_SUIT_K_VERSION_MATCH:
        return sj_put_version_match(s, e, v, true);
    case MM_SUIT_K_WAIT_INFO:
        return sj_put_object(s, e, MM_SUIT_REG_WAIT_EVENT, v, true, true);
    case MM_SUIT_K_METADATA:
        return sj_put_object(s, e, MM_SUIT_REG_METADATA, v, true, false);
    case MM_SUIT_K_ENCRYPTION:
    case MM_SUIT_K_CBOR:
        return put_wrapped_value(s, e, v);
    case MM_SUIT_K_POLICY:
        return sj_put_bits(s, e, MM_SUIT_REG_REPORT_BIT, v);
    case MM_SUIT_K_INDEX:
        return put_index(s, e, v);
    case MM_SUIT_K_PARAMS:
        return put_params(s, e, v);
    case MM_SUIT_K_TRY_EACH:
        return put_try_each(s, e, v);
    case MM_SUIT_K_SEQUENCE:
        return put_sequence(s, e, v);
    case MM_SUIT_K_MULTIPLE:
        return put_index_map(s, e, v, put_params);
    case MM_SUIT_K_COPY_PARAMS:
        return put_index_map(s, e, v, put_param_list);
    case MM_SUIT_K_COMMON:
        return sj_put_object(s, e, MM_SUIT_REG_COMMON, v, true, false);
    case MM_SUIT_K_COMPONENTS:
        return put_components(s, e, v);
    case MM_SUIT_K_COMPONENT_ID:
        return sj_put_component_id(s, e, v);
    case MM_SUIT_K_VERSION:
        return put_wrapped_version(s, e, v);
    case MM_SUIT_K_TEXT:
        return put_wrapped_text(s, e, v);
    case MM_SUIT_K_DEPENDENCIES:
        return put_index_map(s, e, v, put_dependency);
    case MM_SUIT_K_OTHER_DEVICE:
        return sj_put_other_device(s, e, v);
    case MM_SUIT_K_TIME:
        return put_time(s, e, v);
    case MM_SUIT_K_PERMISSIONS:
        return sj_put_bits(s, e, MM_SUIT_REG_PERMISSION_BIT, v);
    case MM_SUIT_K_PERMISSION_MAP:
        return sj_put_permission_map(s, e, v);
    case MM_SUIT_K_ACTOR:
        return sj_put_actor(s, e, v);
    case MM_SUIT_K_FILE_TYPE:
        return sj_put_enum(s, e, MM_SUIT_REG_FILE_TYPE, v);
    default:
        return put_simple(s, e, kind, v);
    }
}

/*
 * The whole description.
 */

/* Keys of the description that are about the envelope, not the manifest. */
static bool envelope_key(const char *key)
{
    return strcmp(key, "severable") == 0 || strcmp(key, "integrated-payloads") == 0 ||
           strcmp(key, "digest-algorithm") == 0;
}

/* The members to sever, as a set of manifest keys (all are below 64). */
static int read_severable(sj *s, json_t *desc, uint64_t *set)
{
    json_t *list = json_object_get(desc, "severable");
    *set = 0;
    if (list == NULL) {
        return CLI_OK;
    }
    size_t mark = sj_enter_key(s, "severable");
    int rc = json_is_array(list) ? CLI_OK : sj_fail(s, "expected an array of member names");
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        if (rc != CLI_OK) {
            break;
        }
        size_t m = sj_enter_index(s, i);
        const char *name = json_is_string(item) ? json_string_value(item) : "";
        const mm_suit_name *entry = mm_suit_name_lookup(MM_SUIT_REG_MANIFEST, mm_bytes_from_cstr(name));
        uint64_t bit = entry != NULL ? 1ull << entry->key : 0;
        if (entry == NULL || (entry->flags & MM_SUIT_F_SEVERABLE) == 0) {
            rc = sj_fail(s, "expected the name of a severable member: payload-fetch, install, text, coswid, "
                            "dependency-resolution or candidate-verification");
        } else if (json_object_get(desc, name) == NULL) {
            rc = sj_fail(s, "'%s' is severable, but the description has no '%s'", name, name);
        } else if ((*set & bit) != 0) {
            rc = sj_fail(s, "'%s' listed twice", name);
        } else {
            *set |= bit;
        }
        sj_leave(s, m);
    }
    sj_leave(s, mark);
    return rc;
}

typedef struct build_ctx {
    sj *s;
    json_t *desc;
    json_t *member; /* the one member to encode, for severed members */
    const mm_suit_name *entry;
    uint64_t severed;
    suit_built *out;
} build_ctx;

static int emit_severed(void *ctx, mm_cbor_enc *e)
{
    build_ctx *b = ctx;
    return sj_put_kind(b->s, e, b->entry->kind, b->member);
}

/* Encodes a severed member on its own (a byte string: its digest covers the
 * head too) and keeps it for the envelope. */
static int sever(build_ctx *b, const char *key, json_t *v, const mm_suit_name *entry)
{
    suit_piece *p = &b->out->pieces[b->out->n_pieces];
    b->member = v;
    b->entry = entry;
    size_t mark = sj_enter_key(b->s, key);
    mm_buf buf;
    int rc = suit_encode(b->s->desc, key, emit_severed, b, 4096, &buf);
    sj_leave(b->s, mark);
    if (rc == CLI_OK) {
        p->key = entry->key;
        p->data = buf.ptr;
        p->len = buf.len;
        b->out->n_pieces++;
    }
    return rc;
}

static const suit_piece *severed_piece(const suit_built *out, int64_t key)
{
    for (size_t i = 0; i < out->n_pieces; i++) {
        if (out->pieces[i].text_key == NULL && out->pieces[i].key == key) {
            return &out->pieces[i];
        }
    }
    return NULL;
}

static int emit_manifest(void *ctx, mm_cbor_enc *e)
{
    build_ctx *b = ctx;
    sj *s = b->s;
    mm_cbor_open_map(e);
    if (json_object_get(b->desc, "manifest-version") == NULL) {
        mm_cbor_put_uint(e, 1); /* manifest-version: 1, the only version there is */
        mm_cbor_put_uint(e, 1);
    }
    const char *key;
    json_t *v;
    int rc = CLI_OK;
    json_object_foreach(b->desc, key, v)
    {
        int64_t label = 0;
        if (rc != CLI_OK || sj_is_comment(key) || envelope_key(key)) {
            continue;
        }
        if (sj_key_number(key, &label) && label >= 0 && label < 64 && (b->severed & (1ull << label)) != 0) {
            rc = sj_fail(s, "'%s': sever a member by its name", key);
            break;
        }
        const mm_suit_name *entry = mm_suit_name_lookup(MM_SUIT_REG_MANIFEST, mm_bytes_from_cstr(key));
        const suit_piece *p = entry != NULL ? severed_piece(b->out, entry->key) : NULL;
        if (p == NULL) {
            rc = sj_put_member(s, e, MM_SUIT_REG_MANIFEST, key, v);
            continue;
        }
        /* Severed: the manifest keeps the member's digest. */
        mm_buf digest;
        size_t mark = sj_enter_key(s, key);
        rc = suit_digest(b->out->digest_alg, mm_bytes_make(p->data, p->len), &digest);
        sj_leave(s, mark);
        if (rc == CLI_OK) {
            mm_cbor_put_int(e, entry->key);
            mm_cbor_put_raw(e, mm_bytes_make(digest.ptr, digest.len));
        }
        free(digest.ptr);
    }
    mm_cbor_close(e, NULL);
    return rc;
}

static int read_payloads(build_ctx *b)
{
    sj *s = b->s;
    json_t *payloads = json_object_get(b->desc, "integrated-payloads");
    if (payloads == NULL) {
        return CLI_OK;
    }
    size_t mark = sj_enter_key(s, "integrated-payloads");
    int rc = json_is_object(payloads) ? CLI_OK : sj_fail(s, "expected an object of payloads by their keys");
    const char *key;
    json_t *v;
    json_object_foreach(payloads, key, v)
    {
        if (rc != CLI_OK || sj_is_comment(key)) {
            continue;
        }
        suit_piece *p = &b->out->pieces[b->out->n_pieces];
        size_t m = sj_enter_key(s, key);
        mm_buf content;
        rc = sj_bytes(s, v, &content);
        sj_leave(s, m);
        if (rc == CLI_OK) {
            p->text_key = strdup(key);
            p->data = content.ptr;
            p->len = content.len;
            b->out->n_pieces++;
            rc = p->text_key != NULL ? CLI_OK : cli_fail(CLI_SOFTWARE, s->desc, "out of memory");
        }
    }
    sj_leave(s, mark);
    return rc;
}

/* Members the manifest cannot do without. */
static int check_required(sj *s, json_t *desc)
{
    static const char *const required[] = {"manifest-sequence-number", "common"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (json_object_get(desc, required[i]) == NULL) {
            return sj_fail(s, "'%s' is missing (the manifest requires it)", required[i]);
        }
    }
    return CLI_OK;
}

int suit_json_build(json_t *desc, const char *desc_path, const char *dir, suit_built *out)
{
    memset(out, 0, sizeof *out);
    sj s;
    memset(&s, 0, sizeof s);
    s.desc = desc_path;
    s.dir = dir;
    s.digest_alg = MM_ALG_SHA256;
    if (!json_is_object(desc)) {
        return sj_fail(&s, "expected a JSON object describing a manifest");
    }
    json_t *payloads = json_object_get(desc, "integrated-payloads");
    size_t cap = 64 + (json_is_object(payloads) ? json_object_size(payloads) : 0);
    out->pieces = calloc(cap, sizeof *out->pieces);
    if (out->pieces == NULL) {
        return cli_fail(CLI_SOFTWARE, desc_path, "out of memory");
    }
    build_ctx b = {&s, desc, NULL, NULL, 0, out};
    int rc = check_required(&s, desc);
    json_t *alg = json_object_get(desc, "digest-algorithm");
    if (rc == CLI_OK && alg != NULL) {
        size_t mark = sj_enter_key(&s, "digest-algorithm");
        rc = sj_digest_alg(&s, alg, &s.digest_alg);
        sj_leave(&s, mark);
    }
    out->digest_alg = s.digest_alg;
    if (rc == CLI_OK) {
        rc = read_severable(&s, desc, &b.severed);
    }
    for (int64_t key = 0; rc == CLI_OK && key < 64; key++) {
        if ((b.severed & (1ull << key)) != 0) {
            const mm_suit_name *entry = mm_suit_name_find(MM_SUIT_REG_MANIFEST, key);
            rc = sever(&b, entry->name, json_object_get(desc, entry->name), entry);
        }
    }
    mm_buf manifest = mm_buf_make(NULL, 0);
    if (rc == CLI_OK) {
        rc = suit_encode(desc_path, "the manifest", emit_manifest, &b, 4096, &manifest);
    }
    out->manifest = manifest.ptr;
    out->manifest_len = manifest.len;
    return rc == CLI_OK ? read_payloads(&b) : rc;
}

void suit_built_free(suit_built *b)
{
    for (size_t i = 0; b->pieces != NULL && i < b->n_pieces; i++) {
        free(b->pieces[i].text_key);
        free(b->pieces[i].data);
    }
    free(b->pieces);
    free(b->manifest);
    memset(b, 0, sizeof *b);
}
