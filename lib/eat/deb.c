/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Detached EAT bundles (RFC 9711 section 5) in CBOR: the main token
 * verified as any EAT, then each detached claims-set hashed and compared
 * with the digest submodule of its name.
 */
#include "eat_internal.h"

int32_t mm_eat_digest_alg(const mm_eat_submod *sm)
{
    static const struct {
        const char *name;
        int32_t alg;
    } names[] = {
        {"SHA-256", MM_ALG_SHA256},
        {"SHA-384", MM_ALG_SHA384},
        {"SHA-512", MM_ALG_SHA512},
        {"SHA-256/64", MM_ALG_SHA256_64},
    };
    if (sm->digest_alg_name.ptr == NULL) {
        return sm->digest_alg >= INT32_MIN && sm->digest_alg <= INT32_MAX ? (int32_t)sm->digest_alg : 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].name);
        if (n != sm->digest_alg_name.len) {
            continue;
        }
        size_t j = 0;
        while (j < n) {
            uint8_t c = sm->digest_alg_name.ptr[j];
            c = (uint8_t)(c >= 'a' && c <= 'z' ? c - 32 : c);
            if (c != (uint8_t)names[i].name[j]) {
                break;
            }
            j++;
        }
        if (j == n) {
            return names[i].alg;
        }
    }
    return 0;
}

/* The digest submodule called name in the claims-set map. */
static mm_err find_digest(mm_bytes claims_map, mm_bytes name, mm_eat_submod *sm)
{
    mm_cwt_claims c;
    memset(&c, 0, sizeof c);
    c.map = claims_map;
    mm_bytes submods;
    mm_err e = mm_cwt_claim_find(&c, MM_EAT_SUBMODS, &submods);
    mm_cbor_dec d;
    size_t n = 0;
    if (e == MM_OK) {
        e = mm_cbor_dec_init(&d, submods, 0);
    }
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, &n);
    }
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        mm_bytes label;
        mm_cbor_item it;
        memset(&it, 0, sizeof it);
        e = mm_cbor_get_tstr(&d, &label);
        if (e == MM_OK) {
            e = eat_peek(&d, &it);
        }
        if (e != MM_OK || !mm_bytes_equal(label, name) || it.type != MM_CBOR_ARRAY) {
            e = e == MM_OK ? mm_cbor_skip(&d) : e;
            continue;
        }
        /* Checked by the claims decoder: [int / text, bstr]. */
        memset(sm, 0, sizeof *sm);
        mm_cbor_item alg;
        if (mm_cbor_enter_array(&d, NULL) == MM_OK && eat_peek(&d, &alg) == MM_OK) {
            if (alg.type == MM_CBOR_TSTR) {
                eat_recorded(mm_cbor_get_tstr(&d, &sm->digest_alg_name));
            } else {
                eat_recorded(mm_cbor_get_int(&d, INT32_MIN, INT32_MAX, &sm->digest_alg));
            }
            eat_recorded(mm_cbor_get_bstr(&d, &sm->value));
        }
        return mm_cbor_dec_error(&d, NULL);
    }
    return e == MM_OK || e == MM_ERR_MISSING_FIELD ? MM_ERR_MISSING_FIELD : e;
}

/* Checks one detached claims-set against its digest in the main token. */
static mm_err check_detached(const mm_eat_verify_opts *o, const mm_eat_token *main, mm_bytes name, mm_bytes claims,
                             mm_eat_claims *scratch)
{
    mm_eat_submod sm;
    mm_err e = find_digest(main->payload, name, &sm);
    if (e == MM_OK) {
        e = eat_check_claims(claims, o->flags & MM_EAT_PREFERRED, 1, scratch);
    }
    if (e != MM_OK) {
        return e;
    }
    int32_t alg = mm_eat_digest_alg(&sm);
    if (alg != MM_ALG_SHA256 && alg != MM_ALG_SHA384 && alg != MM_ALG_SHA512) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    uint8_t h[MM_HASH_MAX];
    size_t hl;
    e = mm_hash(o->crypto, alg, claims, h, &hl);
    if (e != MM_OK) {
        return e;
    }
    return mm_bytes_equal(mm_bytes_make(h, hl), sm.value) ? MM_OK : MM_ERR_VERIFY;
}

mm_err mm_eat_deb_verify(mm_bytes bundle, const mm_eat_verify_opts *opts, mm_eat_token *out)
{
    if (opts == NULL || out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    mm_cbor_dec d;
    mm_cbor_item it;
    bool tagged;
    size_t n;
    mm_bytes main;
    mm_err e = mm_cbor_dec_init(&d, bundle, MM_CBOR_CHECK_UTF8);
    if (e != MM_OK) {
        return e;
    }
    /* The decoder's errors are sticky: the first one is what comes back. */
    eat_recorded(mm_cbor_opt_tag(&d, MM_EAT_TAG_DEB, &tagged));
    if (mm_cbor_enter_array(&d, &n) == MM_OK && n != 2) {
        return mm_cbor_dec_fail(&d, MM_ERR_CBOR_TYPE, 0);
    }
    if (eat_peek(&d, &it) == MM_OK && it.type == MM_CBOR_TSTR) {
        return MM_ERR_UNSUPPORTED; /* a JSON main token: the host's JSON library verifies those */
    }
    if (mm_cbor_get_bstr(&d, &main) != MM_OK) {
        return mm_cbor_dec_error(&d, NULL);
    }
    e = mm_eat_verify(main, opts, out);
    if (e != MM_OK) {
        return e;
    }
    if (mm_cbor_enter_map(&d, &n) != MM_OK) {
        return mm_cbor_dec_error(&d, NULL);
    }
    if (n == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    mm_eat_claims scratch;
    memset(&scratch, 0, sizeof scratch);
    for (size_t i = 0; i < n; i++) {
        mm_bytes name;
        mm_bytes claims;
        if (mm_cbor_get_tstr(&d, &name) != MM_OK || mm_cbor_get_bstr(&d, &claims) != MM_OK) {
            return mm_cbor_dec_error(&d, NULL);
        }
        e = check_detached(opts, out, name, claims, &scratch);
        if (e != MM_OK) {
            return e;
        }
    }
    /* Out of the map, then out of the bundle's array. */
    if (mm_cbor_exit(&d) == MM_OK) {
        eat_recorded(mm_cbor_exit(&d));
    }
    return mm_cbor_dec_finish(&d);
}
