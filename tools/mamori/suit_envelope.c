/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT envelopes for the authoring commands: encoding into growing buffers,
 * SUIT_Digest, signer keys and their algorithms, authentication blocks
 * (COSE_Sign1 or COSE_Mac0 over the digest, payload detached) and the
 * envelope map itself.
 */
#include <stdlib.h>
#include <string.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/lms.h"
#include "suit_build.h"

int suit_encode(const char *where, const char *what, suit_emit_fn fn, void *ctx, size_t guess, mm_buf *out)
{
    memset(out, 0, sizeof *out);
    mm_err e = MM_ERR_BUFFER_TOO_SMALL;
    size_t need = guess;
    for (int attempt = 0; attempt < 2 && e == MM_ERR_BUFFER_TOO_SMALL; attempt++) {
        free(out->ptr);
        out->ptr = malloc(need == 0 ? 1 : need);
        if (out->ptr == NULL) {
            return cli_fail(CLI_SOFTWARE, where, "out of memory");
        }
        mm_cbor_enc enc;
        mm_cbor_enc_init(&enc, out->ptr, need);
        int rc = fn(ctx, &enc);
        if (rc != CLI_OK) {
            free(out->ptr);
            out->ptr = NULL;
            return rc;
        }
        size_t len = 0;
        e = mm_cbor_enc_finish(&enc, &len);
        out->len = len;
        out->cap = need;
        need = len; /* the exact size, should the first guess be short */
    }
    if (e != MM_OK) {
        free(out->ptr);
        memset(out, 0, sizeof *out);
        const char *why = e == MM_ERR_CBOR_DUP_KEY ? "a map key given twice (a name and its number?)" : mm_strerror(e);
        return cli_fail(cli_exit_for(e), where, "cannot encode %s: %s (%s)", what, why, mm_errname(e));
    }
    return CLI_OK;
}

static int emit_bstr(void *ctx, mm_cbor_enc *enc)
{
    mm_cbor_put_bstr(enc, *(const mm_bytes *)ctx);
    return CLI_OK;
}

int suit_bstr_item(mm_bytes content, mm_buf *out)
{
    return suit_encode(NULL, "a byte string", emit_bstr, &content, content.len + 9, out);
}

int suit_digest(int32_t alg, mm_bytes data, mm_buf *out)
{
    uint8_t hash[MM_HASH_MAX];
    size_t hash_len = 0;
    memset(out, 0, sizeof *out);
    mm_err e = mm_hash(mm_crypto_openssl(), alg, data, hash, &hash_len);
    if (e != MM_OK) {
        const char *name = cli_alg_name(alg);
        return cli_fail(CLI_DATAERR, NULL, "cannot compute a %s digest: %s (%s)", name != NULL ? name : "SUIT",
                        mm_strerror(e), mm_errname(e));
    }
    size_t cap = hash_len + 16;
    *out = mm_buf_make(malloc(cap), cap);
    if (out->ptr == NULL) {
        return cli_fail(CLI_SOFTWARE, NULL, "out of memory");
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out->ptr, cap);
    mm_cbor_put_array(&enc, 2);
    mm_cbor_put_int(&enc, alg);
    mm_cbor_put_bstr(&enc, mm_bytes_make(hash, hash_len));
    e = mm_cbor_enc_finish(&enc, &out->len);
    return e == MM_OK ? CLI_OK : cli_fail(CLI_SOFTWARE, NULL, "cannot encode a SUIT_Digest: %s", mm_strerror(e));
}

/*
 * Signers.
 */

/* The SUIT MTI profiles sign with the fully specified algorithms of RFC 9864
 * (ESP256, Ed25519) where COSE's general ones (ES256, EdDSA) leave the curve
 * to the key: prefer those when neither the command line nor the key says. */
static int32_t suit_default_alg(const mm_key *key)
{
    int32_t alg = cli_default_alg(key, key->kty == MM_KTY_SYMMETRIC ? CLI_ALG_MAC : CLI_ALG_SIGN);
    int32_t specified = alg == MM_ALG_ES256                                 ? MM_ALG_ESP256
                        : alg == MM_ALG_ES384                               ? MM_ALG_ESP384
                        : alg == MM_ALG_ES512                               ? MM_ALG_ESP512
                        : alg == MM_ALG_EDDSA && key->crv == MM_CRV_ED25519 ? MM_ALG_ED25519
                                                                            : 0;
    return key->alg == 0 && specified != 0 && mm_key_allows(key, specified, false) ? specified : alg;
}

int suit_signers_load(const char *cmd, const suit_signer_opts *o, suit_signer *s)
{
    memset(s, 0, SUIT_MAX_SIGNERS * sizeof *s);
    if ((o->algs.n > 1 && o->algs.n != o->keys.n) || (o->kids.n > 1 && o->kids.n != o->keys.n)) {
        return cli_fail(CLI_USAGE, cmd, "--alg and --kid are given once, or once per --key (%zu keys)", o->keys.n);
    }
    for (size_t i = 0; i < o->keys.n; i++) {
        s[i].path = o->keys.v[i];
        s[i].alg_opt = cli_list_get(&o->algs, i);
        s[i].kid_opt = cli_list_get(&o->kids, i);
        int32_t alg = 0;
        if (s[i].alg_opt != NULL && cli_alg_parse("--alg", s[i].alg_opt, CLI_ALG_SIGN | CLI_ALG_MAC, &alg) != CLI_OK) {
            return CLI_USAGE;
        }
        int rc = cli_load_key(s[i].path, alg, CLI_KEY_PRIVATE, &s[i].key);
        if (rc != CLI_OK) {
            return rc;
        }
        s[i].alg = alg != 0 ? alg : suit_default_alg(&s[i].key.key);
        const cli_alg *a = cli_alg_by_id(s[i].alg);
        if (s[i].alg == 0 || a == NULL || (a->kind & (CLI_ALG_SIGN | CLI_ALG_MAC)) == 0) {
            char desc[64];
            cli_key_describe(&s[i].key.key, desc, sizeof desc);
            return cli_fail(CLI_DATAERR, s[i].path, "a %s can neither sign nor MAC", desc);
        }
        s[i].mac = a->kind == CLI_ALG_MAC;
        size_t kid_len = s[i].key.kid_len;
        memcpy(s[i].kid_buf, s[i].key.kid, kid_len);
        if (s[i].kid_opt != NULL && (rc = cli_parse_kid("--kid", s[i].kid_opt, s[i].kid_buf, &kid_len)) != CLI_OK) {
            return rc;
        }
        s[i].kid = mm_bytes_make(s[i].kid_buf, kid_len);
    }
    return CLI_OK;
}

void suit_signers_free(suit_signer *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cli_key_free(&s[i].key);
    }
}

int suit_auth_block(const suit_signer *s, mm_bytes digest, mm_buf *block)
{
    mm_cose_create_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.crypto = mm_crypto_openssl();
    opts.key = &s->key.key;
    opts.alg = s->alg;
    opts.kid = s->kid;
    opts.flags = MM_COSE_DETACHED;  /* tagged: SUIT_Authentication_Block takes the _Tagged forms */
    opts.algs = mm_lms_cose_algs(); /* the default table with HSS-LMS in front */
    /* EdDSA and HSS-LMS sign the whole Sig_structure: the digest and small
     * headers. */
    uint8_t scratch[1024];
    opts.scratch = scratch;
    opts.scratch_len = sizeof scratch;
    /* Headers (alg, kid), a signature or tag, and the array around them. */
    size_t cap = 64 + CLI_KID_MAX + (s->alg == MM_ALG_HSS_LMS ? MM_LMS_SIG_MAX : MM_SIG_MAX);
    *block = mm_buf_make(malloc(cap), cap);
    if (block->ptr == NULL) {
        return cli_fail(CLI_SOFTWARE, s->path, "out of memory");
    }
    mm_err e = s->mac ? mm_cose_mac0_create(&opts, digest, block) : mm_cose_sign1_create(&opts, digest, block);
    if (e != MM_OK) {
        free(block->ptr);
        memset(block, 0, sizeof *block);
        /* A key that does not fit is the input's fault, not a failed check. */
        int rc = cli_exit_for(e);
        rc = rc == CLI_CHECK_FAILED || e == MM_ERR_KEY_USAGE || e == MM_ERR_INVALID_ARG ? CLI_DATAERR : rc;
        return cli_fail(rc, s->path, "cannot make the %s: %s (%s)", s->mac ? "COSE_Mac0" : "COSE_Sign1", mm_strerror(e),
                        mm_errname(e));
    }
    return CLI_OK;
}

/*
 * The envelope.
 */

typedef struct envelope_job {
    bool tagged;
    mm_bytes digest;
    const mm_bytes *blocks;
    size_t n_blocks;
    suit_members_fn members;
    void *ctx;
} envelope_job;

static int emit_envelope(void *ctx, mm_cbor_enc *enc)
{
    const envelope_job *j = ctx;
    if (j->tagged) {
        mm_cbor_put_tag(enc, MM_SUIT_TAG_ENVELOPE);
    }
    mm_cbor_open_map(enc); /* sorted on close: the wrapper (2) before the manifest (3), as required */
    mm_cbor_put_uint(enc, MM_SUIT_ENVELOPE_AUTH);
    mm_cbor_open_wrap(enc);
    mm_cbor_put_array(enc, 1 + j->n_blocks);
    mm_cbor_put_bstr(enc, j->digest);
    for (size_t i = 0; i < j->n_blocks; i++) {
        mm_cbor_put_bstr(enc, j->blocks[i]);
    }
    mm_cbor_close(enc, NULL);
    int rc = j->members(j->ctx, enc);
    mm_cbor_close(enc, NULL);
    return rc;
}

int suit_envelope_write(bool tagged, mm_bytes digest, const mm_bytes *blocks, size_t n_blocks, suit_members_fn members,
                        void *ctx, size_t size_hint, mm_buf *out)
{
    envelope_job j = {tagged, digest, blocks, n_blocks, members, ctx};
    size_t guess = 64 + digest.len + size_hint;
    for (size_t i = 0; i < n_blocks; i++) {
        guess += blocks[i].len + 8;
    }
    return suit_encode(NULL, "the envelope", emit_envelope, &j, guess, out);
}
