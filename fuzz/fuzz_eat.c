/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for EAT and EAR: claims-sets decoded and encoded again,
 * tokens verified and decoded (nested tokens too, detached bundles), the
 * TEEP profile check, results decoded and verified, SUIT_References, with
 * fixed keys of the deterministic test backend. Half the runs make the
 * backend accept any signature, so the claims behind the check are
 * reached.
 *
 * Input: [selector] [bytes]. The selector's low three bits choose what the
 * bytes are (see enum mode), bit 3 the accept-any mode, bit 4 preferred
 * serialization.
 *
 * Invariants: whatever decodes encodes again, and that encoding decodes to
 * the same encoding (a fixed point); a dry run sizes exactly; views lie in
 * the input; a verified token's claims are the ones decoding its payload
 * gives.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mamori/crypto_test.h"
#include "mamori/ear.h"
#include "mamori/eat.h"

enum mode { CLAIMS, TOKEN, DEB, TEEP, EAR_CLAIMS, EAR_TOKEN, SUIT_REF, NESTED };

typedef struct store {
    mm_bytes nonces[4];
    mm_eat_sueid sueids[4];
    mm_eat_dloa dloas[4];
    mm_eat_manifest manifests[4];
    mm_eat_manifest measurements[4];
    mm_eat_measres measres[4];
    mm_eat_result results[8];
    mm_eat_submod submods[4];
    mm_eat_claim unknown[4];
    mm_eat_storage st;
    mm_ear_appraisal ap[4];
    mm_bytes policies[4];
    mm_ear_storage ear;
} store;

static void store_init(store *s)
{
    mm_eat_storage st = {s->nonces,  4, s->sueids,  4, s->dloas,   4, s->manifests, 4, s->measurements, 4,
                         s->measres, 4, s->results, 8, s->submods, 4, s->unknown,   4};
    s->st = st;
    mm_ear_storage ear = {s->ap, 4, s->policies, 4};
    s->ear = ear;
}

static uint8_t scratch[8192];

/* Encodes c, checks the dry run's size and that the encoding is a fixed
 * point of decode + encode. */
static void check_claims(const mm_eat_claims *c, unsigned flags)
{
    mm_buf dry = mm_buf_make(NULL, 0);
    mm_err e = mm_eat_claims_encode(c, &dry);
    if (e == MM_ERR_INVALID_ARG || e == MM_ERR_CBOR_DUP_KEY) {
        return; /* what decodes leniently (a bare version...) may not all encode */
    }
    FUZZ_REQUIRE(e == MM_ERR_BUFFER_TOO_SMALL);
    uint8_t *out = fuzz_alloc(dry.len);
    mm_buf b = mm_buf_make(out, dry.len);
    e = mm_eat_claims_encode(c, &b);
    if (e == MM_OK) {
        FUZZ_REQUIRE(b.len == dry.len);
        static store s2;
        store_init(&s2);
        mm_eat_claims back;
        FUZZ_REQUIRE(mm_eat_claims_decode(mm_bytes_make(out, b.len), flags & ~MM_EAT_PREFERRED, &s2.st, &back, NULL) ==
                     MM_OK);
        uint8_t *again = fuzz_alloc(b.len);
        mm_buf b2 = mm_buf_make(again, b.len);
        FUZZ_REQUIRE(mm_eat_claims_encode(&back, &b2) == MM_OK);
        FUZZ_REQUIRE(b2.len == b.len && memcmp(again, out, b.len) == 0);
        free(again);
    } else {
        FUZZ_REQUIRE(e == MM_ERR_CBOR_DUP_KEY || e == MM_ERR_INVALID_ARG);
    }
    free(out);
}

static void check_ear(const mm_ear *e)
{
    mm_buf dry = mm_buf_make(NULL, 0);
    mm_err err = mm_ear_encode(e, &dry);
    FUZZ_REQUIRE(err == MM_ERR_BUFFER_TOO_SMALL);
    uint8_t *out = fuzz_alloc(dry.len);
    mm_buf b = mm_buf_make(out, dry.len);
    FUZZ_REQUIRE(mm_ear_encode(e, &b) == MM_OK);
    static store s2;
    store_init(&s2);
    mm_ear back;
    FUZZ_REQUIRE(mm_ear_decode(mm_bytes_make(out, b.len), &s2.ear, &back, NULL) == MM_OK);
    FUZZ_REQUIRE(back.n_submods == e->n_submods && back.present == e->present);
    free(out);
}

typedef struct keys {
    mm_key es256, ed25519, hmac;
} keys;

static mm_err nested_key(void *user, const mm_eat_nested *n, const mm_key **key)
{
    const keys *k = user;
    FUZZ_REQUIRE(n->depth >= 1 && n->depth <= MM_EAT_MAX_DEPTH);
    if (n->kind == MM_EAT_SUBMOD_JSON) {
        return n->token.len % 2 == 0 ? MM_OK : MM_ERR_UNSUPPORTED;
    }
    *key = n->hdr->alg == MM_ALG_EDDSA ? &k->ed25519 : &k->es256;
    return MM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned sel = data[0];
    uint8_t *in = fuzz_dup(data + 1, size - 1);
    mm_bytes msg = mm_bytes_make(in, size - 1);
    unsigned flags = (sel & 0x10) != 0 ? MM_EAT_PREFERRED : 0;
    static mm_crypto_test t;
    mm_crypto_test_init(&t,
                        (sel & 0x08) != 0 ? MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE | MM_CRYPTO_TEST_ACCEPT_ANY_TAG : 0);
    keys k;
    memset(&k, 0, sizeof k);
    FUZZ_REQUIRE(mm_key_generate(&t.crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &k.es256) == MM_OK);
    FUZZ_REQUIRE(mm_key_generate(&t.crypto, MM_KTY_OKP, MM_CRV_ED25519, MM_ALG_EDDSA, 0, &k.ed25519) == MM_OK);
    FUZZ_REQUIRE(mm_key_generate(&t.crypto, MM_KTY_SYMMETRIC, 256, MM_ALG_HMAC256, 0, &k.hmac) == MM_OK);
    static store s;
    store_init(&s);
    mm_eat_verify_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = &t.crypto;
    o.key = (sel & 0x20) != 0 ? &k.ed25519 : (sel & 0x40) != 0 ? &k.hmac : &k.es256;
    o.storage = &s.st;
    o.flags = flags;
    o.scratch = scratch;
    o.scratch_len = sizeof scratch;
    o.nested = nested_key;
    o.user = &k;
    static mm_eat_token tok;
    size_t off = 0;
    switch ((enum mode)(sel & 7)) {
    case CLAIMS: {
        mm_eat_claims c;
        if (mm_eat_claims_decode(msg, flags, &s.st, &c, &off) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(c.cwt.map, msg));
            check_claims(&c, flags);
        } else {
            FUZZ_REQUIRE(off <= msg.len);
        }
        break;
    }
    case TOKEN:
    case NESTED:
        if ((sel & 7) == NESTED) {
            o.flags |= MM_EAT_NESTED_UNCHECKED;
        }
        if (mm_eat_verify(msg, &o, &tok) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(tok.payload, msg));
            check_claims(&tok.claims, flags);
            for (size_t i = 0; i < tok.claims.n_submods; i++) {
                static mm_eat_token inner;
                static store s2;
                store_init(&s2);
                o.storage = &s2.st;
                if (tok.claims.submods[i].kind == MM_EAT_SUBMOD_TOKEN &&
                    mm_eat_verify_nested(&tok.claims.submods[i], &o, &k.es256, &inner) == MM_OK) {
                    FUZZ_REQUIRE(fuzz_view_inside(inner.payload, msg));
                }
            }
        }
        break;
    case DEB:
        if (mm_eat_deb_verify(msg, &o, &tok) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(tok.payload, msg));
        }
        break;
    case TEEP:
        if (mm_eat_verify(msg, &o, &tok) == MM_OK) {
            mm_eat_teep_check chk = {&t.crypto, o.key, 0, MM_BYTES_LIT("urn:ietf:rfc:rfcXXXX")};
            const char *why = NULL;
            mm_err e = mm_eat_teep_profile_check(msg, &tok, &chk, &why);
            FUZZ_REQUIRE((e == MM_OK) == (why == NULL));
        }
        break;
    case EAR_CLAIMS: {
        mm_ear e;
        if (mm_ear_decode(msg, &s.ear, &e, &off) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(e.map, msg));
            check_ear(&e);
            for (size_t i = 0; i < e.n_submods; i++) {
                FUZZ_REQUIRE(mm_ar4si_vector_tier(&e.submods[i].vector) != 1);
                FUZZ_REQUIRE(mm_ear_find(&e, e.submods[i].name) != NULL);
            }
        }
        break;
    }
    case EAR_TOKEN: {
        mm_cose_verify_opts v;
        memset(&v, 0, sizeof v);
        v.crypto = &t.crypto;
        v.key = o.key;
        v.scratch = scratch;
        v.scratch_len = sizeof scratch;
        mm_ear e;
        mm_cwt_check now = {1700000000, 60, false, false, {NULL, 0}, {NULL, 0}};
        if (mm_ear_verify(msg, &v, &now, mm_bytes_make(NULL, 0), &s.ear, &e) == MM_OK) {
            check_ear(&e);
        }
        break;
    }
    default: { /* SUIT_REF */
        mm_eat_suit_ref ref;
        if (mm_eat_suit_ref_decode(msg, &ref) == MM_OK) {
            FUZZ_REQUIRE(fuzz_view_inside(ref.uri, msg) && fuzz_view_inside(ref.digest, msg));
            uint8_t out[512];
            mm_buf b = mm_buf_make(out, sizeof out);
            mm_err e = mm_eat_suit_ref_encode(&ref, &b);
            FUZZ_REQUIRE(e == MM_OK || e == MM_ERR_BUFFER_TOO_SMALL);
        }
        break;
    }
    }
    mm_key_free(&k.es256);
    mm_key_free(&k.ed25519);
    mm_key_free(&k.hmac);
    FUZZ_REQUIRE(mm_crypto_test_keys_in_use(&t) == 0);
    free(in);
    return 0;
}
