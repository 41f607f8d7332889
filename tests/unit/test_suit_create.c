/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `mamori suit create` reproduces the SUIT examples: for each description in
 * examples/suit/, the real binary builds an envelope, and its manifest, the
 * authentication wrapper's digest, the severed members and the integrated
 * payloads must be the example's, byte for byte (read from ../shared at test
 * time). Signatures differ (ECDSA is randomized) but must verify; MACs are
 * deterministic, so MACed envelopes must match whole.
 *
 * Two examples encode a map out of deterministic order, which mamori never
 * writes: for those the test re-encodes that one item of the example in
 * deterministic order (same length, same content), refreshes the digests
 * that covered it, and then requires the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/suit_names.h"
#include "mm_test.h"

#ifndef MM_TEST_MAMORI
#error "MM_TEST_MAMORI: path of the mamori binary"
#endif

#define SPEC     "specs/suit/manifest/examples/"
#define LIBCSUIT "specs/suit/libcsuit-testfiles/"
#define FWENC    "specs/suit/firmware-encryption/examples/"

typedef enum key_kind { KEY_SPEC, KEY_MAC } key_kind;

typedef struct example {
    const char *name;     /* the test's name */
    const char *desc;     /* examples/suit/<desc> */
    const char *expected; /* the example envelope, in the shared folder */
    const char *alg;      /* --alg, or NULL for the default */
    key_kind key;         /* the spec's P-256 key, or the HMAC key 'a' x 32 */
    bool untagged;        /* the example has no tag 107 */
    bool files;           /* the description names files of libcsuit-testfiles */
    bool severed;         /* the example left out the severable members (their digests stay) */
    const char *reencode; /* hex of the start of an item the example writes out of deterministic order */
} example;

static const example examples[] = {
    /* draft-ietf-suit-manifest-37, appendix B (ES256). */
    {"spec_example0", "example0.json", SPEC "example0.suit", "ES256", KEY_SPEC, false, false, false, NULL},
    {"spec_example1", "example1.json", SPEC "example1.suit", "ES256", KEY_SPEC, false, false, false, NULL},
    {"spec_example2", "example2.json", SPEC "example2.suit", "ES256", KEY_SPEC, false, false, true, NULL},
    {"spec_example2_severable", "example2.json", SPEC "example2-severable.suit", "ES256", KEY_SPEC, false, false, false,
     NULL},
    {"spec_example4", "example4.json", SPEC "example4.suit", "ES256", KEY_SPEC, false, false, false, NULL},
    {"spec_example5", "example5.json", SPEC "example5.suit", "ES256", KEY_SPEC, false, false, false, NULL},
    /* libcsuit: the same manifests signed with ESP256. */
    {"libcsuit_exp0", "example0.json", LIBCSUIT "suit_manifest_exp0.suit", NULL, KEY_SPEC, false, false, false, NULL},
    {"libcsuit_exp1", "example1.json", LIBCSUIT "suit_manifest_exp1.suit", NULL, KEY_SPEC, false, false, false, NULL},
    {"libcsuit_exp2A", "example2.json", LIBCSUIT "suit_manifest_exp2A.suit", NULL, KEY_SPEC, false, false, true, NULL},
    {"libcsuit_exp2B", "example2.json", LIBCSUIT "suit_manifest_exp2B.suit", NULL, KEY_SPEC, false, false, false, NULL},
    {"libcsuit_exp4", "example4.json", LIBCSUIT "suit_manifest_exp4.suit", NULL, KEY_SPEC, false, false, false, NULL},
    {"libcsuit_exp5", "example5.json", LIBCSUIT "suit_manifest_exp5.suit", NULL, KEY_SPEC, false, false, false, NULL},
    /* Update management (libcsuit U0..U3). U2's CoSWID map is written with
     * keys 0, 12, 1, 2: mamori writes 0, 1, 2, 12. */
    {"libcsuit_expU0", "update-copy-params.json", LIBCSUIT "suit_manifest_expU0.suit", NULL, KEY_SPEC, false, false,
     false, NULL},
    {"libcsuit_expU1", "update-override-multiple.json", LIBCSUIT "suit_manifest_expU1.suit", NULL, KEY_SPEC, false,
     false, false, NULL},
    {"libcsuit_expU2", "update-wait.json", LIBCSUIT "suit_manifest_expU2.suit", "ES256", KEY_SPEC, false, true, false,
     "a40050a4156106eba941a1b98d22e42a5a1287"},
    {"libcsuit_expU3", "update-metadata.json", LIBCSUIT "suit_manifest_expU3.suit", "ES256", KEY_SPEC, false, true,
     false, NULL},
    /* TEEP (libcsuit U, I, D): trust-domain members, an integrated payload,
     * untagged envelopes. */
    {"libcsuit_expU", "teep-fetch.json", LIBCSUIT "suit_manifest_expU.suit", NULL, KEY_SPEC, true, true, false, NULL},
    {"libcsuit_expI", "teep-integrated.json", LIBCSUIT "suit_manifest_expI.suit", NULL, KEY_SPEC, true, true, false,
     NULL},
    {"libcsuit_expD", "teep-personalization.json", LIBCSUIT "suit_manifest_expD.suit", NULL, KEY_SPEC, true, true,
     false, NULL},
    /* Firmware encryption (libcsuit AW, AF, EW = the draft's manifests).
     * EW's recipient header map is written with keys -1, 4: mamori writes
     * 4, -1. */
    {"libcsuit_expAW", "encrypted-write.json", LIBCSUIT "suit_manifest_expAW.suit", NULL, KEY_MAC, false, false, false,
     NULL},
    {"libcsuit_expAF", "encrypted-fetch.json", LIBCSUIT "suit_manifest_expAF.suit", NULL, KEY_MAC, false, false, false,
     NULL},
    {"libcsuit_expEW", "encrypted-es-ecdh-write.json", LIBCSUIT "suit_manifest_expEW.suit", NULL, KEY_SPEC, false,
     false, false, "a220a401022001"},
    {"fwenc_aes_kw_content", "encrypted-write.json", FWENC "suit-manifest-aes-kw-content.suit", NULL, KEY_MAC, false,
     false, false, NULL},
    {"fwenc_aes_kw", "encrypted-fetch.json", FWENC "suit-manifest-aes-kw.suit", NULL, KEY_MAC, false, false, false,
     NULL},
    {"fwenc_es_ecdh_content", "encrypted-es-ecdh-write.json", FWENC "suit-manifest-es-ecdh-content.suit", NULL,
     KEY_SPEC, false, false, false, "a220a401022001"},
};

/* An envelope as views into its bytes. */
#define MAX_MEMBERS 16

typedef struct member {
    mm_bytes key;   /* encoded key */
    mm_bytes value; /* encoded value */
} member;

typedef struct envelope {
    bool tagged;
    member m[MAX_MEMBERS];
    size_t n;
    mm_bytes manifest_item; /* the manifest's bstr, head included */
    mm_bytes digest;        /* the encoded SUIT_Digest in the wrapper */
    mm_bytes blocks[4];     /* the authentication blocks */
    size_t n_blocks;
} envelope;

static void parse(mm_bytes in, envelope *env)
{
    memset(env, 0, sizeof *env);
    mm_cbor_dec d;
    size_t n = 0;
    mm_bytes auth = {NULL, 0};
    assert_int_equal(mm_cbor_dec_init(&d, in, MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_opt_tag(&d, MM_SUIT_TAG_ENVELOPE, &env->tagged), MM_OK);
    assert_int_equal(mm_cbor_enter_map(&d, &n), MM_OK);
    assert_true(n <= MAX_MEMBERS);
    for (size_t i = 0; i < n; i++) {
        member *m = &env->m[env->n++];
        mm_cbor_item key;
        assert_int_equal(mm_cbor_peek(&d, &key), MM_OK);
        assert_int_equal(mm_cbor_get_raw(&d, &m->key), MM_OK);
        assert_int_equal(mm_cbor_get_raw(&d, &m->value), MM_OK);
        if (key.type == MM_CBOR_UINT && key.arg == MM_SUIT_ENVELOPE_MANIFEST) {
            env->manifest_item = m->value;
        }
        if (key.type == MM_CBOR_UINT && key.arg == MM_SUIT_ENVELOPE_AUTH) {
            auth = m->value;
        }
    }
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
    assert_non_null(auth.ptr);
    assert_non_null(env->manifest_item.ptr);
    /* [bstr .cbor SUIT_Digest, * bstr .cbor block], in a byte string */
    size_t k = 0;
    assert_int_equal(mm_cbor_dec_init(&d, auth, MM_CBOR_DETERMINISTIC), MM_OK);
    assert_int_equal(mm_cbor_enter_wrapped(&d, NULL), MM_OK);
    assert_int_equal(mm_cbor_enter_array(&d, &k), MM_OK);
    assert_true(k >= 1 && k <= 1 + sizeof env->blocks / sizeof env->blocks[0]);
    assert_int_equal(mm_cbor_get_bstr(&d, &env->digest), MM_OK);
    for (size_t j = 1; j < k; j++) {
        assert_int_equal(mm_cbor_get_bstr(&d, &env->blocks[env->n_blocks++]), MM_OK);
    }
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_exit(&d), MM_OK);
    assert_int_equal(mm_cbor_dec_finish(&d), MM_OK);
}

static const member *find(const envelope *env, mm_bytes key)
{
    for (size_t i = 0; i < env->n; i++) {
        if (mm_bytes_equal(env->m[i].key, key)) {
            return &env->m[i];
        }
    }
    return NULL;
}

static bool is_auth(mm_bytes key) { return key.len == 1 && key.ptr[0] == MM_SUIT_ENVELOPE_AUTH; }

static bool is_manifest(mm_bytes key) { return key.len == 1 && key.ptr[0] == MM_SUIT_ENVELOPE_MANIFEST; }

static void sha256(mm_bytes data, uint8_t out[32])
{
    size_t len = 0;
    uint8_t hash[MM_HASH_MAX];
    assert_int_equal(mm_hash(mm_crypto_openssl(), MM_ALG_SHA256, data, hash, &len), MM_OK);
    assert_int_equal(len, 32);
    memcpy(out, hash, 32);
}

static size_t find_bytes(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++) {
        if (memcmp(hay + i, needle, m) == 0) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Re-encodes, in place, the item of the expected envelope that starts with
 * prefix in deterministic order (it must keep its length: only the order of
 * map keys differs), and puts the new digests of the severable members it
 * changed where the manifest had the old ones. */
static void reencode(uint8_t *buf, size_t len, const char *prefix_hex)
{
    uint8_t prefix[64];
    size_t plen = mm_test_unhex(prefix_hex, prefix, sizeof prefix);
    size_t pos = find_bytes(buf, len, prefix, plen);
    assert_true(pos != SIZE_MAX);
    uint8_t *at = buf + pos;
    /* The members' digests before. */
    envelope before;
    parse(mm_bytes_make(buf, len), &before);
    uint8_t old_digests[MAX_MEMBERS][32];
    for (size_t i = 0; i < before.n; i++) {
        sha256(before.m[i].value, old_digests[i]);
    }
    /* The item, again. */
    mm_cbor_dec d;
    assert_int_equal(mm_cbor_dec_init(&d, mm_bytes_make(at, len - (size_t)(at - buf)), MM_CBOR_SEQUENCE), MM_OK);
    mm_bytes item;
    assert_int_equal(mm_cbor_get_raw(&d, &item), MM_OK);
    assert_int_equal(mm_cbor_dec_init(&d, item, 0), MM_OK);
    uint8_t out[1024];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out, sizeof out);
    assert_int_equal(mm_cbor_copy(&d, &enc), MM_OK);
    size_t out_len = 0;
    assert_int_equal(mm_cbor_enc_finish(&enc, &out_len), MM_OK);
    assert_int_equal(out_len, item.len);
    assert_memory_not_equal(out, item.ptr, item.len); /* it was not in deterministic order */
    memcpy(at, out, out_len);
    /* Severable members' digests after. */
    envelope after;
    parse(mm_bytes_make(buf, len), &after);
    for (size_t i = 0; i < after.n; i++) {
        uint8_t now[32];
        sha256(after.m[i].value, now);
        if (memcmp(now, old_digests[i], 32) != 0 && !is_auth(after.m[i].key) && !is_manifest(after.m[i].key)) {
            size_t old = find_bytes(buf, len, old_digests[i], 32);
            assert_true(old != SIZE_MAX);
            memcpy(buf + old, now, 32);
        }
    }
}

/* Runs mamori with args; returns its exit status. */
static int run(char *const *args)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execv(MM_TEST_MAMORI, args);
        _exit(127);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The HMAC key the firmware-encryption examples MAC with: 'a' x 32, as a
 * COSE_Key (kty Symmetric). */
static void write_mac_key(const char *path, mm_key *key)
{
    uint8_t k[32];
    memset(k, 'a', sizeof k);
    uint8_t cose[6 + sizeof k] = {0xa2, 0x01, 0x04, 0x20, 0x58, 0x20};
    memcpy(cose + 6, k, sizeof k);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(cose, 1, sizeof cose, f), sizeof cose);
    assert_int_equal(fclose(f), 0);
    mm_key_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.kty = MM_KTY_SYMMETRIC;
    parts.k = mm_bytes_make(k, sizeof k);
    assert_int_equal(mm_key_import(mm_crypto_openssl(), &parts, 0, key), MM_OK);
}

/* Checks our block over digest, and the example's over its own digest. */
static void verify_block(mm_bytes block, mm_bytes digest, const mm_key *key, key_kind kind, mm_bytes expected_block,
                         mm_bytes expected_digest)
{
    mm_cose_verify_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.crypto = mm_crypto_openssl();
    opts.key = key;
    opts.payload = digest;
    if (kind == KEY_MAC) {
        mm_cose_mac0 ours;
        mm_cose_mac0 theirs;
        assert_int_equal(mm_cose_mac0_decode(block, &ours, NULL), MM_OK);
        assert_int_equal(mm_cose_mac0_decode(expected_block, &theirs, NULL), MM_OK);
        assert_true(ours.tagged && ours.detached);
        assert_int_equal(mm_cose_mac0_verify(&ours, &opts), MM_OK);
        assert_true(mm_bytes_equal(ours.hdr.protected_bytes, theirs.hdr.protected_bytes));
        return;
    }
    mm_cose_sign1 ours;
    mm_cose_sign1 theirs;
    assert_int_equal(mm_cose_sign1_decode(block, &ours, NULL), MM_OK);
    assert_int_equal(mm_cose_sign1_decode(expected_block, &theirs, NULL), MM_OK);
    assert_true(ours.tagged && ours.detached);
    assert_int_equal(mm_cose_sign1_verify(&ours, &opts), MM_OK);
    /* The same headers: only the signature differs. */
    assert_true(mm_bytes_equal(ours.hdr.protected_bytes, theirs.hdr.protected_bytes));
    assert_true(mm_bytes_equal(ours.hdr.unprotected, theirs.hdr.unprotected));
    assert_int_equal(ours.signature.len, theirs.signature.len);
    /* The example's signature verifies as well: the key is the right one. */
    mm_cose_verify_opts theirs_opts = opts;
    theirs_opts.payload = expected_digest;
    assert_int_equal(mm_cose_sign1_verify(&theirs, &theirs_opts), MM_OK);
}

static void test_example(void **state)
{
    const example *x = *state;
    char expected_path[1024];
    char key_path[1024];
    char files[1024];
    mm_test_shared_path(x->expected, expected_path, sizeof expected_path);
    mm_test_shared_path(LIBCSUIT, files, sizeof files);
    char tmp[] = "/tmp/mm-suit-create-XXXXXX";
    assert_non_null(mkdtemp(tmp));
    char out_path[256];
    snprintf(out_path, sizeof out_path, "%s/out.suit", tmp);
    mm_key key;
    memset(&key, 0, sizeof key);
    if (x->key == KEY_MAC) {
        snprintf(key_path, sizeof key_path, "%s/mac.cose", tmp);
        write_mac_key(key_path, &key);
    } else {
        char pub_path[1024];
        mm_test_shared_path(SPEC "private_key.pem", key_path, sizeof key_path);
        mm_test_shared_path(SPEC "public_key.pem", pub_path, sizeof pub_path);
        size_t pub_len = 0;
        uint8_t *pub = mm_test_read_file(pub_path, &pub_len);
        assert_non_null(pub);
        assert_int_equal(mm_openssl_import_public_key(mm_bytes_make(pub, pub_len), 0, &key), MM_OK);
        free(pub);
    }
    char desc[1024];
    snprintf(desc, sizeof desc, "%s/examples/suit/%s", MM_TEST_SOURCE_DIR, x->desc);

    char *args[16];
    size_t n = 0;
    args[n++] = (char *)"mamori";
    args[n++] = (char *)"suit";
    args[n++] = (char *)"create";
    args[n++] = (char *)"-k";
    args[n++] = key_path;
    if (x->alg != NULL) {
        args[n++] = (char *)"--alg";
        args[n++] = (char *)x->alg;
    }
    if (x->untagged) {
        args[n++] = (char *)"--untagged";
    }
    if (x->files) {
        args[n++] = (char *)"--files";
        args[n++] = files;
    }
    args[n++] = (char *)"-o";
    args[n++] = out_path;
    args[n++] = desc;
    args[n] = NULL;
    assert_int_equal(run(args), 0);

    size_t ours_len = 0;
    size_t theirs_len = 0;
    uint8_t *ours_buf = mm_test_read_file(out_path, &ours_len);
    uint8_t *theirs_buf = mm_test_read_file(expected_path, &theirs_len);
    assert_non_null(ours_buf);
    assert_non_null(theirs_buf);
    if (x->reencode != NULL) {
        reencode(theirs_buf, theirs_len, x->reencode);
    }
    envelope ours;
    envelope theirs;
    parse(mm_bytes_make(ours_buf, ours_len), &ours);
    parse(mm_bytes_make(theirs_buf, theirs_len), &theirs);
    assert_int_equal(ours.tagged, theirs.tagged);

    /* The manifest, and the digest over it. */
    if (!mm_bytes_equal(ours.manifest_item, theirs.manifest_item)) {
        print_message("ours:     %s\n", mm_test_hex(ours.manifest_item));
        print_message("expected: %s\n", mm_test_hex(theirs.manifest_item));
        fail_msg("%s: the manifest differs from %s", x->desc, x->expected);
    }
    uint8_t hash[32];
    sha256(ours.manifest_item, hash);
    assert_int_equal(ours.digest.len, 36);
    assert_memory_equal(ours.digest.ptr + 4, hash, 32);
    if (x->reencode == NULL) {
        assert_true(mm_bytes_equal(ours.digest, theirs.digest));
    }

    /* Every member of the example is ours; ours has more only when the
     * example left out severable members. */
    for (size_t i = 0; i < theirs.n; i++) {
        const member *m = find(&ours, theirs.m[i].key);
        assert_non_null(m);
        assert_true(is_auth(m->key) || mm_bytes_equal(m->value, theirs.m[i].value));
    }
    for (size_t i = 0; i < ours.n; i++) {
        if (find(&theirs, ours.m[i].key) == NULL) {
            assert_true(x->severed);
            assert_int_equal(ours.m[i].key.len, 1);
            const mm_suit_name *e = mm_suit_name_find(MM_SUIT_REG_MANIFEST, ours.m[i].key.ptr[0]);
            assert_true(e != NULL && (e->flags & MM_SUIT_F_SEVERABLE) != 0);
            sha256(ours.m[i].value, hash);
            assert_true(find_bytes(ours.manifest_item.ptr, ours.manifest_item.len, hash, 32) != SIZE_MAX);
        }
    }

    /* Authentication: as many blocks, each verifying; a MAC is the same. */
    assert_int_equal(ours.n_blocks, theirs.n_blocks);
    for (size_t i = 0; i < ours.n_blocks; i++) {
        verify_block(ours.blocks[i], ours.digest, &key, x->key, theirs.blocks[i], theirs.digest);
    }
    if (x->key == KEY_MAC) {
        assert_int_equal(ours_len, theirs_len);
        assert_memory_equal(ours_buf, theirs_buf, ours_len);
    }

    mm_key_free(&key);
    free(ours_buf);
    free(theirs_buf);
    unlink(out_path);
    if (x->key == KEY_MAC) {
        unlink(key_path);
    }
    rmdir(tmp);
}

int main(void)
{
    struct CMUnitTest tests[sizeof examples / sizeof examples[0]];
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        struct CMUnitTest t = {examples[i].name, test_example, NULL, NULL, (void *)&examples[i]};
        tests[i] = t;
    }
    return _cmocka_run_group_tests("suit_create_examples", tests, sizeof tests / sizeof tests[0], NULL, NULL);
}
