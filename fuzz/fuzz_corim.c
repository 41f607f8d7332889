/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the Verifier's CoRIM reader (services/verifier/vf_corim.c):
 * unsigned CoRIMs walked record by record, signed ones opened (protected
 * header, corim-meta, CWT-Claims) and verified with a fixed key of the
 * deterministic test backend; in half the runs the backend accepts any
 * signature, so the payload behind the check is reached.
 *
 * Input: [selector] [bytes]. Selector bit 0: the bytes are a signed CoRIM;
 * bit 1: accept any signature.
 *
 * Invariants: validating (no callback) and walking agree on the verdict and
 * the number of records; every record's views lie in the input (a numeric
 * measurement key excepted: its decimal text is the reader's own); kinds
 * and forms are the documented ones; a refusal names its offset inside the
 * input; an opened signed CoRIM's payload lies in the input.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mamori/crypto_test.h"
#include "vf_corim.h"
#include "vf_policy.h"

typedef struct walk_check {
    mm_bytes in;
    size_t n;
} walk_check;

static bool inside(mm_bytes in, mm_bytes v)
{
    return v.len == 0 || (v.ptr >= in.ptr && v.ptr + v.len <= in.ptr + in.len);
}

static mm_err on_record(void *user, const vf_corim_record *r)
{
    walk_check *w = user;
    w->n++;
    FUZZ_REQUIRE(inside(w->in, r->env.ueid) && inside(w->in, r->env.vendor) && inside(w->in, r->env.hwmodel));
    FUZZ_REQUIRE(r->env.ueid.len != 0 || (r->env.vendor.len != 0 && r->env.hwmodel.len != 0));
    FUZZ_REQUIRE(r->offset < w->in.len);
    if (r->kind == VF_CORIM_KEY) {
        FUZZ_REQUIRE(r->key_form == VF_CORIM_COSE_KEY || r->key_form == VF_CORIM_PEM_KEY);
        FUZZ_REQUIRE(inside(w->in, r->key) && r->key.len != 0);
        return MM_OK;
    }
    FUZZ_REQUIRE(r->kind == VF_CORIM_REF);
    FUZZ_REQUIRE(r->ref_kind >= VF_REF_SWNAME && r->ref_kind < VF_REF_KINDS);
    FUZZ_REQUIRE(inside(w->in, r->value));
    FUZZ_REQUIRE(inside(w->in, r->label) || r->label.len <= 20);
    if (r->ref_kind == VF_REF_MEASUREMENT) {
        FUZZ_REQUIRE(r->value.len == mm_hash_len(r->alg));
    }
    return MM_OK;
}

static void walk(mm_bytes in)
{
    vf_corim_info a, b;
    vf_corim_error where;
    mm_err e1 = vf_corim_decode(in, NULL, NULL, &a, &where);
    if (e1 != MM_OK) {
        FUZZ_REQUIRE(where.offset <= in.len);
    }
    walk_check w = {in, 0};
    mm_err e2 = vf_corim_decode(in, on_record, &w, &b, NULL);
    FUZZ_REQUIRE(e1 == e2);
    FUZZ_REQUIRE(a.n_records == b.n_records && w.n == b.n_records);
    FUZZ_REQUIRE(inside(in, b.id));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned sel = data[0];
    uint8_t *copy = fuzz_alloc(size - 1);
    memcpy(copy, data + 1, size - 1);
    mm_bytes in = mm_bytes_make(copy, size - 1);
    if ((sel & 1u) == 0) {
        walk(in);
        free(copy);
        return 0;
    }
    static mm_crypto_test t;
    mm_crypto_test_init(&t, (sel & 2u) != 0 ? MM_CRYPTO_TEST_ACCEPT_ANY_SIGNATURE : 0u);
    mm_key key;
    FUZZ_REQUIRE(mm_key_generate(&t.crypto, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &key) == MM_OK);
    static uint8_t scratch[1 << 16];
    vf_corim_signed s;
    vf_corim_error where;
    mm_err e = vf_corim_open_signed(in, &t.crypto, &key, scratch, sizeof scratch, &s, &where);
    if (e == MM_OK) {
        FUZZ_REQUIRE(inside(in, s.payload) && inside(in, s.signer));
        walk(s.payload);
    }
    /* Without a key, the same header checks and no more. */
    mm_err e2 = vf_corim_open_signed(in, &t.crypto, NULL, NULL, 0, &s, &where);
    FUZZ_REQUIRE(e != MM_OK || e2 == MM_OK);
    mm_key_free(&key);
    free(copy);
    return 0;
}
