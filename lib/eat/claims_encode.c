/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EAT claims-set encoding: the struct back to a deterministic map (the
 * encoder sorts it and refuses duplicate labels on close). Each value is
 * checked as the decoder checks it, so whatever encodes also decodes.
 */
#include "eat_internal.h"

static bool sized(mm_bytes b, size_t min, size_t max)
{
    return (b.ptr != NULL || b.len == 0) && b.len >= min && b.len <= max;
}

static bool text_ok(mm_bytes b) { return b.ptr != NULL || b.len == 0; }

mm_err eat_put_version(mm_cbor_enc *enc, const mm_eat_version *v)
{
    if (!text_ok(v->version) || v->scheme_kind > MM_EAT_SCHEME_TEXT || (v->bare && v->scheme_kind != 0)) {
        return MM_ERR_INVALID_ARG;
    }
    if (v->bare) {
        return mm_cbor_put_tstr(enc, v->version);
    }
    mm_cbor_put_array(enc, v->scheme_kind == MM_EAT_SCHEME_NONE ? 1 : 2);
    mm_cbor_put_tstr(enc, v->version);
    if (v->scheme_kind == MM_EAT_SCHEME_INT) {
        mm_cbor_put_int(enc, v->scheme);
    } else if (v->scheme_kind == MM_EAT_SCHEME_TEXT) {
        mm_cbor_put_tstr(enc, v->scheme_text);
    }
    return MM_OK;
}

static mm_err put_nonces(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    if (c->n_nonces <= 1) {
        if (!sized(c->nonce, MM_EAT_NONCE_MIN, MM_EAT_NONCE_MAX)) {
            return MM_ERR_INVALID_ARG;
        }
        return mm_cbor_put_bstr(enc, c->nonce);
    }
    if (c->nonces == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_put_array(enc, c->n_nonces);
    for (size_t i = 0; i < c->n_nonces; i++) {
        if (!sized(c->nonces[i], MM_EAT_NONCE_MIN, MM_EAT_NONCE_MAX)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_bstr(enc, c->nonces[i]);
    }
    return MM_OK;
}

static mm_err put_oemid(mm_cbor_enc *enc, const mm_eat_oemid *o)
{
    switch (o->form) {
    case MM_EAT_OEMID_PEN:
        return mm_cbor_put_uint(enc, o->pen);
    case MM_EAT_OEMID_IEEE:
    case MM_EAT_OEMID_RANDOM:
        if (!sized(o->id, o->form == MM_EAT_OEMID_IEEE ? 3 : 16, o->form == MM_EAT_OEMID_IEEE ? 3 : 16)) {
            return MM_ERR_INVALID_ARG;
        }
        return mm_cbor_put_bstr(enc, o->id);
    default:
        return MM_ERR_INVALID_ARG;
    }
}

static mm_err put_sueids(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    if (c->n_sueids == 0 || c->sueids == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_open_map(enc);
    for (size_t i = 0; i < c->n_sueids; i++) {
        if (!text_ok(c->sueids[i].label) || !sized(c->sueids[i].ueid, MM_EAT_UEID_MIN, MM_EAT_UEID_MAX)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_tstr(enc, c->sueids[i].label);
        mm_cbor_put_bstr(enc, c->sueids[i].ueid);
    }
    return mm_cbor_close(enc, NULL);
}

static mm_err put_location(mm_cbor_enc *enc, const mm_eat_location *l)
{
    const double *nums[] = {&l->latitude,          &l->longitude, &l->altitude, &l->accuracy,
                            &l->altitude_accuracy, &l->heading,   &l->speed};
    mm_cbor_open_map(enc);
    for (unsigned i = 0; i < 7; i++) {
        if (i < 2 || (l->present & (1u << (i - 2))) != 0) {
            mm_cbor_put_uint(enc, i + 1);
            mm_cbor_put_float(enc, *nums[i]);
        }
    }
    if ((l->present & MM_EAT_LOC_TIMESTAMP) != 0) {
        mm_cbor_put_uint(enc, 8);
        mm_cbor_put_int(enc, l->timestamp);
    }
    if ((l->present & MM_EAT_LOC_AGE) != 0) {
        mm_cbor_put_uint(enc, 9);
        mm_cbor_put_uint(enc, l->age);
    }
    return mm_cbor_close(enc, NULL);
}

static mm_err put_dloas(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    if (c->n_dloas == 0 || c->dloas == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_put_array(enc, c->n_dloas);
    for (size_t i = 0; i < c->n_dloas; i++) {
        const mm_eat_dloa *d = &c->dloas[i];
        bool app = d->application.ptr != NULL;
        if (!text_ok(d->registrar) || !text_ok(d->platform)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_array(enc, app ? 3 : 2);
        mm_cbor_put_tstr(enc, d->registrar);
        mm_cbor_put_tstr(enc, d->platform);
        if (app) {
            mm_cbor_put_tstr(enc, d->application);
        }
    }
    return MM_OK;
}

static mm_err put_formats(mm_cbor_enc *enc, const mm_eat_manifest *list, size_t n)
{
    if (n == 0 || list == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_put_array(enc, n);
    for (size_t i = 0; i < n; i++) {
        mm_cbor_put_array(enc, 2);
        mm_cbor_put_uint(enc, list[i].content_type);
        if (mm_cbor_put_raw(enc, list[i].body) != MM_OK) {
            return MM_ERR_INVALID_ARG; /* the body is not one well-formed item */
        }
    }
    return MM_OK;
}

static mm_err put_measres(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    if (c->n_measres == 0 || c->measres == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_put_array(enc, c->n_measres);
    for (size_t i = 0; i < c->n_measres; i++) {
        const mm_eat_measres *g = &c->measres[i];
        if (g->n_results == 0 || g->results == NULL || !text_ok(g->system)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_array(enc, 2);
        mm_cbor_put_tstr(enc, g->system);
        mm_cbor_put_array(enc, g->n_results);
        for (size_t j = 0; j < g->n_results; j++) {
            const mm_eat_result *r = &g->results[j];
            if (r->result < MM_EAT_RESULT_SUCCESS || r->result > MM_EAT_RESULT_ABSENT || !text_ok(r->id)) {
                return MM_ERR_INVALID_ARG;
            }
            mm_cbor_put_array(enc, 2);
            (void)(r->id_is_bytes ? mm_cbor_put_bstr(enc, r->id) : mm_cbor_put_tstr(enc, r->id));
            mm_cbor_put_uint(enc, r->result);
        }
    }
    return MM_OK;
}

/* One submodule's value; a claims-set must be one encoded map and a nested
 * token one tagged item, as the decoder requires. */
static mm_err put_submod(mm_cbor_enc *enc, const mm_eat_submod *sm)
{
    mm_cbor_dec d;
    mm_cbor_item it;
    switch (sm->kind) {
    case MM_EAT_SUBMOD_CLAIMS:
        if (sm->value.len == 0 || (sm->value.ptr[0] >> 5) != 5) {
            return MM_ERR_INVALID_ARG;
        }
        return mm_cbor_put_raw(enc, sm->value) == MM_OK ? MM_OK : MM_ERR_INVALID_ARG;
    case MM_EAT_SUBMOD_TOKEN:
        if (mm_cbor_dec_init(&d, sm->value, 0) != MM_OK || eat_peek(&d, &it) != MM_OK || it.type != MM_CBOR_TAG ||
            mm_cbor_check(sm->value, 0, NULL) != MM_OK) {
            return MM_ERR_INVALID_ARG;
        }
        return mm_cbor_put_bstr(enc, sm->value);
    case MM_EAT_SUBMOD_JSON:
        return text_ok(sm->value) ? mm_cbor_put_tstr(enc, sm->value) : MM_ERR_INVALID_ARG;
    case MM_EAT_SUBMOD_DIGEST:
        if (!text_ok(sm->value)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_array(enc, 2);
        if (sm->digest_alg_name.ptr != NULL) {
            mm_cbor_put_tstr(enc, sm->digest_alg_name);
        } else {
            mm_cbor_put_int(enc, sm->digest_alg);
        }
        return mm_cbor_put_bstr(enc, sm->value);
    default:
        return MM_ERR_INVALID_ARG;
    }
}

static mm_err put_submods(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    if (c->n_submods == 0 || c->submods == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_open_map(enc);
    for (size_t i = 0; i < c->n_submods; i++) {
        if (!text_ok(c->submods[i].name)) {
            return MM_ERR_INVALID_ARG;
        }
        mm_cbor_put_tstr(enc, c->submods[i].name);
        mm_err e = put_submod(enc, &c->submods[i]);
        if (e != MM_OK) {
            return e;
        }
    }
    return mm_cbor_close(enc, NULL);
}

static mm_err put_unknown(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    if (c->n_unknown != 0 && c->unknown == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < c->n_unknown; i++) {
        const mm_eat_claim *u = &c->unknown[i];
        if (u->text.ptr != NULL) {
            mm_cbor_put_tstr(enc, u->text);
        } else {
            mm_cbor_put_int(enc, u->label);
        }
        if (mm_cbor_put_raw(enc, u->value) != MM_OK) {
            return MM_ERR_INVALID_ARG;
        }
    }
    return MM_OK;
}

/* The claims in the order of the field table's bits; the map sorts them. */
static mm_err put_eat_claims(mm_cbor_enc *enc, const mm_eat_claims *c)
{
    uint32_t p = c->present;
    mm_err e = MM_OK;
    for (unsigned bit = 0; bit < 21 && e == MM_OK; bit++) {
        if ((p & (1u << bit)) == 0) {
            continue;
        }
        mm_cbor_put_uint(enc, bit == 0 ? MM_EAT_NONCE : (uint64_t)MM_EAT_UEID + bit - 1);
        switch (1u << bit) {
        case MM_EAT_HAS_NONCE:
            e = put_nonces(enc, c);
            break;
        case MM_EAT_HAS_UEID:
            e = sized(c->ueid, MM_EAT_UEID_MIN, MM_EAT_UEID_MAX) ? mm_cbor_put_bstr(enc, c->ueid) : MM_ERR_INVALID_ARG;
            break;
        case MM_EAT_HAS_SUEIDS:
            e = put_sueids(enc, c);
            break;
        case MM_EAT_HAS_OEMID:
            e = put_oemid(enc, &c->oemid);
            break;
        case MM_EAT_HAS_HWMODEL:
            e = sized(c->hwmodel, 1, MM_EAT_HWMODEL_MAX) ? mm_cbor_put_bstr(enc, c->hwmodel) : MM_ERR_INVALID_ARG;
            break;
        case MM_EAT_HAS_HWVERSION:
            e = eat_put_version(enc, &c->hwversion);
            break;
        case MM_EAT_HAS_UPTIME:
            e = mm_cbor_put_uint(enc, c->uptime);
            break;
        case MM_EAT_HAS_OEMBOOT:
            e = mm_cbor_put_bool(enc, c->oemboot);
            break;
        case MM_EAT_HAS_DBGSTAT:
            e = c->dbgstat <= MM_EAT_DBG_DISABLED_FULLY_AND_PERMANENTLY ? mm_cbor_put_uint(enc, c->dbgstat)
                                                                        : MM_ERR_INVALID_ARG;
            break;
        case MM_EAT_HAS_LOCATION:
            e = put_location(enc, &c->location);
            break;
        case MM_EAT_HAS_PROFILE:
            if (!sized(c->profile, c->profile_is_oid ? 1 : 0, SIZE_MAX)) {
                e = MM_ERR_INVALID_ARG;
            } else {
                e = c->profile_is_oid ? mm_cbor_put_bstr(enc, c->profile) : mm_cbor_put_tstr(enc, c->profile);
            }
            break;
        case MM_EAT_HAS_SUBMODS:
            e = put_submods(enc, c);
            break;
        case MM_EAT_HAS_BOOTCOUNT:
            e = mm_cbor_put_uint(enc, c->bootcount);
            break;
        case MM_EAT_HAS_BOOTSEED:
            e = text_ok(c->bootseed) ? mm_cbor_put_bstr(enc, c->bootseed) : MM_ERR_INVALID_ARG;
            break;
        case MM_EAT_HAS_DLOAS:
            e = put_dloas(enc, c);
            break;
        case MM_EAT_HAS_SWNAME:
            e = text_ok(c->swname) ? mm_cbor_put_tstr(enc, c->swname) : MM_ERR_INVALID_ARG;
            break;
        case MM_EAT_HAS_SWVERSION:
            e = eat_put_version(enc, &c->swversion);
            break;
        case MM_EAT_HAS_MANIFESTS:
            e = put_formats(enc, c->manifests, c->n_manifests);
            break;
        case MM_EAT_HAS_MEASUREMENTS:
            e = put_formats(enc, c->measurements, c->n_measurements);
            break;
        case MM_EAT_HAS_MEASRES:
            e = put_measres(enc, c);
            break;
        default: /* MM_EAT_HAS_INTUSE */
            e = mm_cbor_put_int(enc, c->intuse);
            break;
        }
    }
    return e;
}

static mm_err put_cwt_claims(mm_cbor_enc *enc, const mm_cwt_claims *c)
{
    const mm_bytes *text[3] = {&c->iss, &c->sub, &c->aud};
    const int64_t *dates[3] = {&c->exp, &c->nbf, &c->iat};
    for (unsigned i = 0; i < 3; i++) {
        if ((c->present & (1u << i)) != 0) {
            mm_cbor_put_uint(enc, (uint64_t)i + MM_CWT_ISS);
            mm_cbor_put_tstr(enc, *text[i]);
        }
        if ((c->present & (1u << (i + 3))) != 0) {
            mm_cbor_put_uint(enc, (uint64_t)i + MM_CWT_EXP);
            mm_cbor_put_int(enc, *dates[i]);
        }
    }
    if ((c->present & MM_CWT_HAS_CTI) != 0) {
        mm_cbor_put_uint(enc, MM_CWT_CTI);
        mm_cbor_put_bstr(enc, c->cti);
    }
    if ((c->present & MM_CWT_HAS_CNF) != 0) {
        mm_cbor_put_uint(enc, MM_CWT_CNF);
        if (c->cnf.len == 0 || (c->cnf.ptr[0] >> 5) != 5 || mm_cbor_put_raw(enc, c->cnf) != MM_OK) {
            return MM_ERR_INVALID_ARG; /* cnf is a map (RFC 8747) */
        }
    }
    return MM_OK;
}

mm_err mm_eat_claims_write(const mm_eat_claims *c, mm_cbor_enc *enc)
{
    if (c == NULL || enc == NULL || (c->cwt.present & ~0xffu) != 0 || (c->present & ~0x1fffffu) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_open_map(enc);
    mm_err e = put_cwt_claims(enc, &c->cwt);
    if (e == MM_OK) {
        e = put_eat_claims(enc, c);
    }
    if (e == MM_OK) {
        e = put_unknown(enc, c);
    }
    if (e != MM_OK) {
        return e;
    }
    return mm_cbor_close(enc, NULL);
}

mm_err mm_eat_claims_encode(const mm_eat_claims *c, mm_buf *out)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, out->ptr != NULL ? out->cap : 0);
    return eat_enc_end(&enc, mm_eat_claims_write(c, &enc), out);
}

mm_err eat_enc_end(mm_cbor_enc *enc, mm_err e, mm_buf *out)
{
    size_t len = 0;
    mm_err f = mm_cbor_enc_finish(enc, &len);
    out->len = len;
    return e != MM_OK ? e : f;
}
