/* SPDX-License-Identifier: Apache-2.0 */
/* Transparent statements (SCITT architecture section 7): receipts from one
 * or several services beside a signed statement, and their verification
 * against the keys of the services a relying party trusts. */
#include "scitt_internal.h"

/* A receipt to add: a tagged COSE_Sign1 (COSE Receipts section 4.3). */
static mm_err check_receipt(mm_bytes r)
{
    mm_cose_sign1 msg;
    mm_err e = mm_cose_sign1_decode(r, &msg, NULL);
    return e != MM_OK ? e : msg.tagged ? MM_OK : MM_ERR_CBOR_TYPE;
}

/* Copies the receipts already in the statement, each as a bstr. */
static mm_err copy_receipts(mm_cbor_enc *enc, mm_bytes value)
{
    mm_cbor_dec d;
    size_t count = 0;
    mm_err e = mm_cbor_dec_init(&d, value, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_array(&d, &count);
    }
    for (size_t i = 0; i < count && e == MM_OK; i++) {
        mm_cbor_item it;
        mm_bytes r;
        e = mm_cbor_peek(&d, &it);
        if (e == MM_OK) {
            e = it.type == MM_CBOR_BSTR ? mm_cbor_get_bstr(&d, &r) : mm_cbor_get_raw(&d, &r);
        }
        if (e == MM_OK) {
            e = mm_cbor_put_bstr(enc, r);
        }
    }
    return e;
}

mm_err mm_scitt_transparent_create(mm_bytes statement, const mm_bytes *receipts, size_t n, mm_buf *out)
{
    if (out == NULL || (n != 0 && receipts == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    mm_scitt_statement st;
    scitt_parts p;
    mm_err e = mm_scitt_statement_decode(statement, &st, NULL);
    if (e == MM_OK) {
        e = scitt_split(statement, &p);
    }
    for (size_t i = 0; i < n && e == MM_OK; i++) {
        e = check_receipt(receipts[i]);
    }
    if (e != MM_OK) {
        return e;
    }
    if (st.n_receipts + n == 0) {
        return MM_ERR_INVALID_ARG; /* the parameter holds one receipt at least */
    }
    mm_cbor_enc enc;
    scitt_open_entry(&enc, &p, out);
    /* The unprotected map: its other parameters as they were, then the
     * receipts (the map is sorted when closed). */
    mm_cbor_open_map(&enc);
    mm_cbor_dec d;
    size_t pairs = 0;
    e = mm_cbor_dec_init(&d, p.unprotected, 0);
    if (e == MM_OK) {
        e = mm_cbor_enter_map(&d, &pairs);
    }
    for (size_t i = 0; i < pairs && e == MM_OK; i++) {
        mm_bytes key, value;
        mm_cbor_item it;
        if ((e = mm_cbor_peek(&d, &it)) != MM_OK || (e = mm_cbor_get_raw(&d, &key)) != MM_OK ||
            (e = mm_cbor_get_raw(&d, &value)) != MM_OK) {
            break;
        }
        if (it.type == MM_CBOR_UINT && it.arg == MM_SCITT_HDR_RECEIPTS) {
            continue; /* rewritten below */
        }
        mm_cbor_put_raw(&enc, key);
        mm_cbor_put_raw(&enc, value);
    }
    if (e == MM_OK) {
        mm_cbor_put_uint(&enc, MM_SCITT_HDR_RECEIPTS);
        mm_cbor_put_array(&enc, st.n_receipts + n);
        if (st.n_receipts != 0) {
            e = copy_receipts(&enc, st.receipts);
        }
        for (size_t i = 0; i < n && e == MM_OK; i++) {
            e = mm_cbor_put_bstr(&enc, receipts[i]);
        }
    }
    if (e != MM_OK) {
        return e;
    }
    mm_cbor_close(&enc, NULL);
    return scitt_close_entry(&enc, &p, out);
}

/* Whether key k may be tried for a receipt with kid (see mm_scitt_ts_key). */
static bool named(const mm_scitt_ts_key *k, mm_bytes kid)
{
    return k->kid.len != 0 && kid.len != 0 && mm_bytes_equal(k->kid, kid);
}

mm_err mm_scitt_receipt_verify_trusted(mm_bytes receipt, const mm_scitt_leaf *leaf, const mm_scitt_trust *t,
                                       mm_scitt_outcome *out)
{
    if (out == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (leaf == NULL || t == NULL || (t->n_keys != 0 && t->keys == NULL)) {
        out->err = MM_ERR_INVALID_ARG;
        return out->err;
    }
    mm_scitt_receipt r;
    out->err = mm_scitt_receipt_decode(receipt, &r, NULL);
    if (out->err != MM_OK) {
        return out->err;
    }
    out->proven.vds = r.vds;
    if (r.proof_type != MM_SCITT_PROOF_INCLUSION) {
        out->err = MM_ERR_UNSUPPORTED;
        return out->err;
    }
    /* The keys the receipt's kid names, else the keys that name nothing. */
    mm_bytes kid = r.sign1.hdr.kid;
    bool any_named = false;
    for (size_t i = 0; i < t->n_keys && !any_named; i++) {
        any_named = named(&t->keys[i], kid);
    }
    mm_scitt_verify_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = t->crypto;
    o.algs = t->algs;
    o.crit = t->crit;
    o.n_crit = t->n_crit;
    o.scratch = t->scratch;
    o.scratch_len = t->scratch_len;
    out->err = MM_ERR_MISSING_FIELD;
    for (size_t i = 0; i < t->n_keys; i++) {
        const mm_scitt_ts_key *k = &t->keys[i];
        if (any_named ? !named(k, kid) : k->kid.len != 0) {
            continue;
        }
        o.key = k->key;
        out->tried++;
        mm_err e = mm_scitt_receipt_verify(&r, leaf, &o, &out->proven);
        if (e == MM_OK) {
            out->key = i;
            out->err = MM_OK;
            break;
        }
        /* Keep the most telling reason: a failed check over a key that did
         * not even fit the algorithm. */
        if (out->err == MM_ERR_MISSING_FIELD || e == MM_ERR_VERIFY) {
            out->err = e;
        }
    }
    return out->err;
}

mm_err mm_scitt_transparent_verify(const mm_scitt_statement *st, const mm_scitt_trust *t, mm_scitt_outcome *outcomes,
                                   size_t cap, size_t *n)
{
    if (st == NULL || t == NULL || (cap != 0 && outcomes == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    if (n != NULL) {
        *n = 0;
    }
    if (st->n_receipts == 0) {
        return MM_ERR_MISSING_FIELD;
    }
    if (st->n_receipts > MM_SCITT_MAX_RECEIPTS) {
        return MM_ERR_TOO_LARGE;
    }
    mm_scitt_leaf leaf;
    mm_err e = mm_scitt_leaf_of_statement(t->crypto, st->bytes, &leaf);
    if (e != MM_OK) {
        return e;
    }
    size_t proven = 0;
    for (size_t i = 0; i < st->n_receipts; i++) {
        mm_bytes receipt;
        mm_scitt_outcome o;
        e = mm_scitt_statement_receipt(st, i, &receipt);
        if (e == MM_OK) {
            o.err = mm_scitt_receipt_verify_trusted(receipt, &leaf, t, &o);
        } else {
            memset(&o, 0, sizeof o);
            o.err = e;
        }
        proven += o.err == MM_OK ? 1u : 0u;
        if (i < cap) {
            outcomes[i] = o;
        }
    }
    if (n != NULL) {
        *n = st->n_receipts < cap ? st->n_receipts : cap;
    }
    bool all = (t->flags & MM_SCITT_REQUIRE_ALL) != 0;
    return (all ? proven == st->n_receipts : proven != 0) ? MM_OK : MM_ERR_VERIFY;
}
