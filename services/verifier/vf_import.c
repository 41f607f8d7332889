/* SPDX-License-Identifier: Apache-2.0 */
/* Importing CoRIMs into the store (vf_import.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/crypto_openssl.h"
#include "vf_import.h"

/* Most records one CoRIM may carry. */
#define RECORDS_MAX 4096

/* The records collected, with the bytes the rows point to. */
typedef struct collect {
    const vf_import_opts *opts;
    vf_import_report *rep;
    mm_bytes source;
    vf_endorsement *e;
    size_t n_e;
    vf_ref *r;
    size_t n_r;
    uint8_t **owned; /* blocks the rows point into */
    size_t n_owned;
    size_t cap;
} collect;

static mm_err fail(vf_import_report *rep, mm_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static mm_err fail(vf_import_report *rep, mm_err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->error, sizeof rep->error, fmt, ap);
    va_end(ap);
    return e;
}

/* A copy of b the collection owns. */
static mm_err keep(collect *c, mm_bytes b, mm_bytes *out)
{
    *out = mm_bytes_make(NULL, 0);
    if (b.len == 0) {
        return MM_OK;
    }
    uint8_t *p = malloc(b.len);
    if (p == NULL) {
        return MM_ERR_PLATFORM;
    }
    memcpy(p, b.ptr, b.len);
    c->owned[c->n_owned++] = p;
    *out = mm_bytes_make(p, b.len);
    return MM_OK;
}

mm_err vf_key_material(const mm_crypto *crypto, const mm_key *key, mm_bytes kid, uint8_t *cose, size_t cap,
                       size_t *cose_len, uint8_t thumbprint[32])
{
    uint8_t buf[1200];
    mm_key_parts parts;
    mm_err e = mm_key_export(key, 0, &parts, buf, sizeof buf);
    uint8_t tp[MM_HASH_MAX];
    size_t tp_len = 0;
    if (e == MM_OK) {
        e = mm_cose_key_thumbprint(crypto, &parts, MM_ALG_SHA256, tp, &tp_len);
    }
    if (e == MM_OK && tp_len != 32) {
        e = MM_ERR_UNSUPPORTED;
    }
    mm_buf out = mm_buf_make(cose, cap);
    if (e == MM_OK) {
        memcpy(thumbprint, tp, 32);
        e = mm_cose_key_encode(&parts, kid, 0, &out);
    }
    *cose_len = out.len;
    return e;
}

static mm_err scope_of(collect *c, const vf_corim_env *env, size_t off, vf_scope *sc, bool device_only)
{
    memset(sc, 0, sizeof *sc);
    if (env->ueid.len != 0) {
        return keep(c, env->ueid, &sc->ueid);
    }
    if (device_only || env->vendor.len == 0) {
        return MM_OK;
    }
    uint8_t oemid[32];
    size_t len = 0;
    if (vf_oemid_parse(env->vendor, oemid, &len) != MM_OK) {
        return fail(c->rep, MM_ERR_SYNTAX,
                    "byte %zu: class vendor '%.*s' is not an oemid (a PEN in decimal, or 3 or 16 hex bytes)", off,
                    env->vendor.len > 60 ? 60 : (int)env->vendor.len, (const char *)env->vendor.ptr);
    }
    mm_err e = keep(c, mm_bytes_make(oemid, len), &sc->oemid);
    return e == MM_OK ? keep(c, env->hwmodel, &sc->hwmodel) : e;
}

static mm_err add_key(collect *c, const vf_corim_record *rec)
{
    mm_key key;
    memset(&key, 0, sizeof key);
    mm_err e = rec->key_form == VF_CORIM_COSE_KEY ? mm_cose_key_import(c->opts->crypto, rec->key, 0, &key, NULL)
                                                  : mm_openssl_import_public_key(rec->key, 0, &key);
    if (e != MM_OK) {
        return fail(c->rep, MM_ERR_BAD_KEY, "byte %zu: the key does not import: %s", rec->offset, mm_strerror(e));
    }
    if ((key.flags & MM_KEY_PRIVATE) != 0 || key.kty == MM_KTY_SYMMETRIC) {
        mm_key_free(&key);
        return fail(c->rep, MM_ERR_BAD_KEY, "byte %zu: an attestation key is a public key", rec->offset);
    }
    /* A COSE_Key's own kid is kept: evidence may name the key by it. */
    mm_cose_key ck;
    mm_bytes kid = mm_bytes_make(NULL, 0);
    if (rec->key_form == VF_CORIM_COSE_KEY && mm_cose_key_decode(rec->key, &ck) == MM_OK) {
        kid = ck.kid;
    }
    uint8_t cose[1300];
    size_t cose_len = 0;
    uint8_t tp[32];
    e = vf_key_material(c->opts->crypto, &key, kid, cose, sizeof cose, &cose_len, tp);
    mm_key_free(&key);
    if (e != MM_OK) {
        return fail(c->rep, MM_ERR_BAD_KEY, "byte %zu: the key: %s", rec->offset, mm_strerror(e));
    }
    vf_endorsement *en = &c->e[c->n_e];
    memset(en, 0, sizeof *en);
    e = scope_of(c, &rec->env, rec->offset, &en->scope, false);
    if (e == MM_OK) {
        e = keep(c, mm_bytes_make(cose, cose_len), &en->cose_key);
    }
    if (e == MM_OK) {
        e = keep(c, kid, &en->kid);
    }
    if (e == MM_OK) {
        e = keep(c, mm_bytes_make(tp, 32), &en->thumbprint);
    }
    en->source = c->source;
    c->n_e += e == MM_OK ? 1 : 0;
    return e;
}

static mm_err add_ref(collect *c, const vf_corim_record *rec)
{
    vf_ref *r = &c->r[c->n_r];
    memset(r, 0, sizeof *r);
    r->kind = rec->ref_kind;
    r->alg = rec->alg;
    r->level = rec->level;
    r->source = c->source;
    /* A device's class, read as its allowed oemid: from text to the claim
     * value. */
    bool device_only = rec->ref_kind == VF_REF_OEMID || rec->ref_kind == VF_REF_HWMODEL;
    mm_err e = scope_of(c, &rec->env, rec->offset, &r->scope, device_only);
    if (e == MM_OK && rec->ref_kind == VF_REF_OEMID) {
        uint8_t oemid[32];
        size_t len = 0;
        e = vf_oemid_parse(rec->value, oemid, &len) == MM_OK
                ? keep(c, mm_bytes_make(oemid, len), &r->value)
                : fail(c->rep, MM_ERR_SYNTAX, "byte %zu: class vendor '%.*s' is not an oemid", rec->offset,
                       rec->value.len > 60 ? 60 : (int)rec->value.len, (const char *)rec->value.ptr);
    } else if (e == MM_OK) {
        e = keep(c, rec->value, &r->value);
    }
    if (e == MM_OK && rec->ref_kind == VF_REF_MEASUREMENT) {
        e = keep(c, rec->label, &r->label);
    }
    c->n_r += e == MM_OK ? 1 : 0;
    return e;
}

static mm_err on_record(void *user, const vf_corim_record *rec)
{
    collect *c = user;
    if (c->n_e + c->n_r >= RECORDS_MAX) {
        return fail(c->rep, MM_ERR_TOO_LARGE, "more than %d statements in one CoRIM", RECORDS_MAX);
    }
    if (c->n_owned + 8 > c->cap) {
        size_t cap = c->cap == 0 ? 256 : c->cap * 2;
        uint8_t **o = realloc(c->owned, cap * sizeof *o);
        if (o == NULL) {
            return MM_ERR_PLATFORM;
        }
        c->owned = o;
        c->cap = cap;
    }
    return rec->kind == VF_CORIM_KEY ? add_key(c, rec) : add_ref(c, rec);
}

static void uuid_text(mm_bytes id, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; i < id.len && n + 3 < cap; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out[n++] = '-';
        }
        out[n++] = digits[id.ptr[i] >> 4];
        out[n++] = digits[id.ptr[i] & 15];
    }
    out[n] = '\0';
}

static mm_err check_period(vf_import_report *rep, const char *what, bool has_nbf, int64_t nbf, bool has_exp,
                           int64_t exp, int64_t now)
{
    if (has_exp && now > exp) {
        return fail(rep, MM_ERR_EXPIRED, "the CoRIM's %s ended %lld s ago", what, (long long)(now - exp));
    }
    if (has_nbf && now < nbf) {
        return fail(rep, MM_ERR_NOT_YET_VALID, "the CoRIM's %s starts in %lld s", what, (long long)(nbf - now));
    }
    return MM_OK;
}

mm_err vf_import_corim(vf_store *s, mm_bytes data, const vf_import_opts *opts, vf_import_report *rep)
{
    if (s == NULL || opts == NULL || opts->crypto == NULL || rep == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(rep, 0, sizeof *rep);
    vf_corim_error where;
    memset(&where, 0, sizeof where);
    mm_bytes corim = data;
    mm_err e = MM_OK;
    if (vf_corim_is_signed(data)) {
        if (opts->signer_key == NULL) {
            return fail(rep, MM_ERR_UNTRUSTED, "a signed CoRIM: give the key of its signer");
        }
        vf_corim_signed sig;
        size_t scratch_len = data.len + 1024;
        uint8_t *scratch = malloc(scratch_len);
        e = scratch == NULL
                ? MM_ERR_PLATFORM
                : vf_corim_open_signed(data, opts->crypto, opts->signer_key, scratch, scratch_len, &sig, &where);
        free(scratch);
        if (e != MM_OK) {
            return fail(rep, e, "%s: %s", where.what[0] != '\0' ? where.what : "the signed CoRIM", mm_strerror(e));
        }
        snprintf(rep->signer, sizeof rep->signer, "%.*s", (int)sig.signer.len, (const char *)sig.signer.ptr);
        e = check_period(rep, "signature validity", sig.has_nbf, sig.nbf, sig.has_exp, sig.exp, opts->now);
        if (e != MM_OK) {
            return e;
        }
        corim = sig.payload;
    }
    vf_corim_info info;
    e = vf_corim_decode(corim, NULL, NULL, &info, &where);
    if (e != MM_OK) {
        return where.what[0] != '\0' && e == MM_ERR_UNSUPPORTED
                   ? fail(rep, e, "byte %zu: %s", where.offset, where.what)
                   : fail(rep, e, "byte %zu: %s%s%s", where.offset, where.what, where.what[0] != '\0' ? ": " : "",
                          mm_strerror(e));
    }
    e = check_period(rep, "rim-validity", info.has_validity && info.not_before != INT64_MIN, info.not_before,
                     info.has_validity, info.not_after, opts->now);
    if (e != MM_OK) {
        return e;
    }
    char id[100];
    if (info.id_uuid) {
        uuid_text(info.id, id, sizeof id);
    } else {
        snprintf(id, sizeof id, "%.*s", info.id.len > 80 ? 80 : (int)info.id.len, (const char *)info.id.ptr);
    }
    snprintf(rep->source, sizeof rep->source, "corim:%s", id);
    collect c;
    memset(&c, 0, sizeof c);
    c.opts = opts;
    c.rep = rep;
    c.source = mm_bytes_from_cstr(rep->source);
    c.e = calloc(info.n_records + 1, sizeof *c.e);
    c.r = calloc(info.n_records + 1, sizeof *c.r);
    if (c.e == NULL || c.r == NULL) {
        e = MM_ERR_PLATFORM;
    }
    if (e == MM_OK) {
        e = vf_corim_decode(corim, on_record, &c, &info, &where);
        if (e != MM_OK && rep->error[0] == '\0') {
            fail(rep, e, "byte %zu: %s: %s", where.offset, where.what, mm_strerror(e));
        }
    }
    if (e == MM_OK) {
        e = vf_store_replace_source(s, c.source, c.e, c.n_e, c.r, c.n_r);
        if (e != MM_OK) {
            fail(rep, e, "the store: %s", mm_strerror(e));
        }
    }
    if (e == MM_OK) {
        rep->endorsements = c.n_e;
        rep->refs = c.n_r;
    }
    for (size_t i = 0; i < c.n_owned; i++) {
        free(c.owned[i]);
    }
    free(c.owned);
    free(c.e);
    free(c.r);
    return e;
}
