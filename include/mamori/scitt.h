/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori scitt: SCITT signed statements, COSE Receipts and transparent
 * statements (draft-ietf-scitt-architecture, draft-ietf-cose-merkle-tree-
 * proofs "COSE Receipts", draft-ietf-scitt-receipts-ccf-profile).
 *
 * Model
 * -----
 * A signed statement is a COSE_Sign1 whose protected header carries CWT
 * claims (label 15: iss, sub, iat) and names the issuer's key (kid, x5t or
 * x5chain, or a COSE_Key it carries). mm_scitt_statement_decode() reads one
 * into views of the caller's bytes and type-checks the parameters SCITT
 * gives meaning to; mm_scitt_statement_check() then applies the
 * architecture's MUSTs. Decoding never verifies the issuer's signature:
 * mm_scitt_statement_verify() does, with a key the caller trusts.
 *
 * A Transparency Service (TS) registers the statement with its unprotected
 * header emptied (architecture, "Registration"): that encoding is the
 * statement's entry, and its leaf in the TS's tree is what a receipt proves
 * (mm_scitt_leaf). Receipts are COSE_Sign1 messages whose protected header
 * names the verifiable data structure (vds, 395) and whose unprotected header
 * carries the proofs (vdp, 396); the payload is detached, and is the tree
 * root recomputed from the proof and the leaf. Two structures are verified:
 * - RFC9162_SHA256 (vds 1): inclusion proofs [tree size, leaf index, path]
 *   under vdp -1, consistency proofs [size1, size2, path] under vdp -2;
 * - CCF_LEDGER_SHA256 (vds 2), as Microsoft's CCF-based services issue them:
 *   inclusion proofs {1: [internal hash, internal evidence, data hash],
 *   2: [[left, hash]...]}, where data hash is SHA-256 of the entry.
 * A transparent statement is the signed statement with receipts, from one or
 * several services, in its unprotected header (receipts, 394).
 *
 * Verification is device-safe: no allocation, bounded stack, the whole
 * input validated before a signature is checked, and one boolean answer per
 * receipt (every proof it carries must lead to the root it signs). Creation
 * (statements, receipts, transparent statements) writes into caller buffers
 * with the base.h conventions (MM_ERR_BUFFER_TOO_SMALL says the size; a NULL
 * buffer is a dry run).
 *
 * Errors: malformed input is class 1 (MM_ERR_CBOR_TYPE for a parameter of
 * the wrong type or in the wrong bucket, MM_ERR_MISSING_FIELD for one that is
 * required and absent); a receipt of a structure or proof type this build
 * does not verify is MM_ERR_UNSUPPORTED; a proof or signature that does not
 * hold is MM_ERR_VERIFY.
 */
#ifndef MAMORI_SCITT_H
#define MAMORI_SCITT_H

#include "mamori/base.h"
#include "mamori/cose.h"
#include "mamori/merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Header parameters (COSE Receipts draft section 2, COSE hash envelope). */
#define MM_SCITT_HDR_PAYLOAD_HASH_ALG      258 /* hash envelope: the payload is a hash of this alg */
#define MM_SCITT_HDR_PREIMAGE_CONTENT_TYPE 259 /* hash envelope: content type of what was hashed */
#define MM_SCITT_HDR_PAYLOAD_LOCATION      260 /* hash envelope: where the preimage can be found */
#define MM_SCITT_HDR_RECEIPTS              394 /* receipts (unprotected): [+ bstr .cbor Receipt] */
#define MM_SCITT_HDR_VDS                   395 /* verifiable data structure (protected) */
#define MM_SCITT_HDR_VDP                   396 /* verifiable data structure proofs (unprotected) */
#define MM_SCITT_HDR_KCCS                  14  /* RFC 9528: a CWT claims set whose cnf holds a COSE_Key */

/* Verifiable data structures (vds values). */
#define MM_SCITT_VDS_RFC9162_SHA256    1
#define MM_SCITT_VDS_CCF_LEDGER_SHA256 2

/* Proof types (keys of the vdp map). */
#define MM_SCITT_PROOF_INCLUSION   (-1)
#define MM_SCITT_PROOF_CONSISTENCY (-2)

/* Longest issuer (architecture: iss is 1 to 8192 characters). */
#define MM_SCITT_ISS_MAX 8192

/* Limits (MM_SCITT_MAX_PROOFS, MM_SCITT_MAX_RECEIPTS,
 * MM_SCITT_CREATE_HEADER_MAX) are in mamori/config.h. */

/* Bits of mm_scitt_statement.present and mm_scitt_receipt.present. */
enum {
    MM_SCITT_HAS_CLAIMS = 1u << 0,           /* CWT claims (15) in the protected header */
    MM_SCITT_HAS_ISS = 1u << 1,              /* iss claim */
    MM_SCITT_HAS_SUB = 1u << 2,              /* sub claim */
    MM_SCITT_HAS_IAT = 1u << 3,              /* iat claim */
    MM_SCITT_HAS_CONTENT_TYPE = 1u << 4,     /* content type (3) */
    MM_SCITT_HAS_PAYLOAD_HASH_ALG = 1u << 5, /* 258: a hash envelope */
    MM_SCITT_HAS_PREIMAGE_CTY = 1u << 6,     /* 259 */
    MM_SCITT_HAS_LOCATION = 1u << 7,         /* 260 */
    MM_SCITT_HAS_KID = 1u << 8,              /* kid (4), either bucket */
    MM_SCITT_HAS_X5CHAIN = 1u << 9,          /* x5chain (33), either bucket */
    MM_SCITT_HAS_X5T = 1u << 10,             /* x5t (34), either bucket */
    MM_SCITT_HAS_COSE_KEY = 1u << 11,        /* a COSE_Key in the protected header */
    MM_SCITT_HAS_RECEIPTS = 1u << 12,        /* receipts (394) in the unprotected header */
};

/*
 * Signed statements.
 */
typedef struct mm_scitt_statement {
    mm_bytes bytes;                 /* the whole statement as given */
    mm_cose_sign1 sign1;            /* the COSE_Sign1, decoded (views into bytes) */
    mm_bytes claims;                /* encoded CWT claims map */
    mm_bytes iss;                   /* text */
    mm_bytes sub;                   /* text */
    int64_t iat;                    /* seconds since 1970 (an int, or tag 1 around one, as issuers write it) */
    mm_bytes content_type;          /* encoded: uint or tstr */
    int64_t payload_hash_alg;       /* 258: a COSE hash algorithm */
    mm_bytes preimage_content_type; /* 259 encoded: uint or tstr */
    mm_bytes payload_location;      /* 260: text */
    mm_bytes cose_key;              /* encoded COSE_Key carried in the protected header */
    mm_bytes receipts;              /* encoded array of the receipts parameter */
    size_t n_receipts;
    uint32_t present; /* MM_SCITT_HAS_* */
} mm_scitt_statement;

/* Decodes a signed (or transparent) statement: a COSE_Sign1, tagged or not.
 * Type-checks CWT claims (a map; iss and sub text, iat a number or a tag 1
 * date; other claims are kept in the map), the hash envelope parameters
 * (258 an int, 259 uint or text, 260 text) and receipts (394: only in the
 * unprotected bucket, a non-empty array of receipts, each a bstr holding one
 * or, as the architecture's CDDL draws it, a COSE_Sign1 in place). The COSE_Key
 * is found in a kccs (14) parameter's cnf claim (RFC 9528) or, as
 * Microsoft's attested signing service carries it, under "cose_key" in a
 * map-valued protected parameter. Nothing here is required (see
 * mm_scitt_statement_check()). *err_off (may be NULL) gets the offset of a
 * malformation. */
MM_NODISCARD mm_err mm_scitt_statement_decode(mm_bytes in, mm_scitt_statement *out, size_t *err_off);

/* Checks the architecture's rules for signed statements: CWT claims with iss
 * (1 to MM_SCITT_ISS_MAX bytes) and sub (MM_ERR_MISSING_FIELD), a kid in the
 * protected header unless x5t or x5chain is there (MM_ERR_MISSING_FIELD),
 * and with x5t or x5chain an iss that is a URI (a scheme and ':';
 * MM_ERR_CLAIM_MISMATCH); the hash envelope's rules: 258, 259 and 260 only
 * protected, 259 and 260 only with 258, no content type beside 258
 * (MM_ERR_CBOR_TYPE). flags: 0 (others are MM_ERR_INVALID_ARG). */
MM_NODISCARD mm_err mm_scitt_statement_check(const mm_scitt_statement *st, unsigned flags);

/* Verifies the issuer's signature with opts->key (and opts->payload for a
 * detached statement), as mm_cose_sign1_verify() does. */
MM_NODISCARD mm_err mm_scitt_statement_verify(const mm_scitt_statement *st, const mm_cose_verify_opts *opts);

/* Imports the COSE_Key the statement carries through c, restricted to the
 * statement's alg. MM_ERR_MISSING_FIELD when it carries none; the caller
 * frees the key with mm_key_free(). Carrying a key proves nothing about who
 * holds it: trusting it is the caller's policy. */
MM_NODISCARD mm_err mm_scitt_statement_key(const mm_crypto *c, const mm_scitt_statement *st, mm_key *key);

/* The i-th receipt of a transparent statement (i < st->n_receipts): the
 * receipt's bytes, a view into the statement. */
MM_NODISCARD mm_err mm_scitt_statement_receipt(const mm_scitt_statement *st, size_t i, mm_bytes *receipt);

/* Flags of mm_scitt_statement_opts. */
#define MM_SCITT_DETACHED 0x1u /* payload not carried (nil) */
#define MM_SCITT_WITH_IAT 0x2u /* write iat */

/* How to create a signed statement. kid goes into the protected header, as
 * the architecture asks. */
typedef struct mm_scitt_statement_opts {
    const mm_crypto *crypto;
    const mm_key *key;              /* the issuer's private key */
    int32_t alg;                    /* 0: the key's */
    mm_bytes kid;                   /* written (protected) when not empty */
    mm_bytes iss;                   /* required, text */
    mm_bytes sub;                   /* required, text */
    int64_t iat;                    /* with MM_SCITT_WITH_IAT */
    mm_bytes content_type;          /* text, written when not empty */
    int32_t payload_hash_alg;       /* not 0: a hash envelope; the payload is the hash */
    mm_bytes preimage_content_type; /* text, with payload_hash_alg */
    mm_bytes payload_location;      /* text, with payload_hash_alg */
    mm_bytes x5chain;               /* encoded x5chain value (a bstr or an array of bstr), protected */
    const mm_cose_param *params;    /* further parameters */
    size_t n_params;
    unsigned flags;           /* MM_SCITT_DETACHED, MM_SCITT_WITH_IAT */
    const mm_cose_algs *algs; /* NULL: default */
    uint8_t *scratch;         /* EdDSA: room for the ToBeSigned */
    size_t scratch_len;
} mm_scitt_statement_opts;

/* Signs payload as a signed statement into out: protected alg, kid, content
 * type, CWT claims {iss, sub, iat}, the hash envelope parameters and
 * x5chain; unprotected empty. Errors: MM_ERR_INVALID_ARG (no iss or sub, a
 * hash envelope whose payload is not a hash of payload_hash_alg, or with a
 * content type, a parameter of a label set here), MM_ERR_TOO_LARGE (what this
 * adds exceeds MM_SCITT_CREATE_HEADER_MAX), and those of
 * mm_cose_sign1_create(). */
MM_NODISCARD mm_err mm_scitt_statement_create(const mm_scitt_statement_opts *opts, mm_bytes payload, mm_buf *out);

/*
 * Leaves: what a receipt proves about a statement.
 */
typedef struct mm_scitt_leaf {
    uint8_t leaf_hash[MM_MERKLE_HASH_LEN];  /* RFC 9162: SHA-256(0x00 || entry) */
    uint8_t entry_hash[MM_MERKLE_HASH_LEN]; /* SHA-256(entry): the CCF profile's data-hash */
} mm_scitt_leaf;

/* The entry of a statement: its COSE_Sign1 tagged 18, with the protected
 * header, payload and signature exactly as given and the unprotected header
 * emptied (a0). This is what a TS appends, and what receipts of a
 * transparent statement prove (the receipts themselves drop out). Writes
 * into out (a dry run with a NULL buffer). */
MM_NODISCARD mm_err mm_scitt_entry_encode(mm_bytes statement, mm_buf *out);

/* Both hashes of a statement's entry, streamed: nothing is copied. */
MM_NODISCARD mm_err mm_scitt_leaf_of_statement(const mm_crypto *c, mm_bytes statement, mm_scitt_leaf *leaf);

/* Both hashes of an entry the caller already has (a TS's stored entry). */
MM_NODISCARD mm_err mm_scitt_leaf_of_entry(const mm_crypto *c, mm_bytes entry, mm_scitt_leaf *leaf);

/*
 * Receipts.
 */
typedef struct mm_scitt_receipt {
    mm_bytes bytes;
    mm_cose_sign1 sign1;
    int64_t vds;        /* MM_SCITT_VDS_* */
    int64_t proof_type; /* MM_SCITT_PROOF_INCLUSION or _CONSISTENCY */
    mm_bytes proofs;    /* encoded array of the proofs (each a bstr) */
    size_t n_proofs;
    mm_bytes claims; /* CWT claims of the receipt, when present */
    mm_bytes iss;
    mm_bytes sub;
    int64_t iat;
    uint32_t present; /* MM_SCITT_HAS_CLAIMS, _ISS, _SUB, _IAT, _KID */
} mm_scitt_receipt;

/* Decodes a receipt: a COSE_Sign1 tagged 18 (COSE Receipts draft section
 * 4.3: "Receipts MUST be tagged"), vds an int in the protected bucket, vdp a
 * map in the unprotected one with one proof type, holding 1 to
 * MM_SCITT_MAX_PROOFS proofs, and a detached payload (an attached root is
 * refused: it must be recomputed). For vds 1 and 2 every proof is decoded
 * and type-checked here (hashes of 32 bytes, paths of at most 64 elements,
 * the CCF evidence of 1 to 1024 bytes); a receipt of another vds decodes
 * only as far as that, and MM_ERR_UNSUPPORTED says so. */
MM_NODISCARD mm_err mm_scitt_receipt_decode(mm_bytes in, mm_scitt_receipt *out, size_t *err_off);

/* One proof of a receipt, decoded (views into the receipt). */
typedef struct mm_scitt_proof {
    uint64_t a;             /* RFC 9162 inclusion: tree size; consistency: size1 */
    uint64_t b;             /* RFC 9162 inclusion: leaf index; consistency: size2 */
    mm_bytes path;          /* the encoded path array (CCF: of [left, hash] pairs) */
    size_t path_len;        /* hashes in it */
    mm_bytes internal_hash; /* CCF: internal-transaction-hash */
    mm_bytes evidence;      /* CCF: internal-evidence (text) */
    mm_bytes data_hash;     /* CCF: data-hash */
} mm_scitt_proof;

/* Proof i (< r->n_proofs) of a decoded receipt of vds 1 or 2. */
MM_NODISCARD mm_err mm_scitt_receipt_proof(const mm_scitt_receipt *r, size_t i, mm_scitt_proof *out);

/* What a verified receipt proves. tree_size and leaf_index are as the proof
 * states them (0 for CCF proofs, which do not say): only the root is signed,
 * and a path can fit more than one size (RFC 9162 trusts the size it is
 * given), so do not rely on them beyond display. */
typedef struct mm_scitt_proven {
    int64_t vds;
    uint64_t tree_size;  /* inclusion: the tree's size; consistency: size2 */
    uint64_t leaf_index; /* inclusion (RFC 9162) */
    uint8_t root[MM_MERKLE_HASH_LEN];
} mm_scitt_proven;

/* How to check a receipt's signature. */
typedef struct mm_scitt_verify_opts {
    const mm_crypto *crypto;
    const mm_key *key;        /* the TS's public key */
    const mm_cose_algs *algs; /* NULL: default */
    const int64_t *crit;      /* labels understood beyond alg..partial IV and vds/vdp */
    size_t n_crit;
    uint8_t *scratch; /* EdDSA: room for the ToBeSigned (its protected header and 64 bytes) */
    size_t scratch_len;
} mm_scitt_verify_opts;

/* Verifies an inclusion receipt for leaf: every proof must lead, from the
 * leaf, to a root the signature (checked with opts->key over that root as
 * detached payload) covers. RFC 9162 proofs start at leaf->leaf_hash; CCF
 * proofs must carry leaf->entry_hash as their data hash and start from
 * SHA-256(internal hash || SHA-256(evidence) || data hash) (the CCF profile
 * draft's compute_root omits that outer hash; CCF and its verifiers apply
 * it). *proven (may be NULL) gets what was proven. Errors: MM_ERR_VERIFY
 * (a proof that does not fit, or a signature that fails),
 * MM_ERR_UNSUPPORTED (a consistency receipt, or an unknown vds), and those of
 * mm_cose_sign1_verify(). */
MM_NODISCARD mm_err mm_scitt_receipt_verify(const mm_scitt_receipt *r, const mm_scitt_leaf *leaf,
                                            const mm_scitt_verify_opts *opts, mm_scitt_proven *proven);

/* Verifies an RFC 9162 consistency receipt from a tree the caller already
 * trusts (size1 and root1, from an earlier receipt): every proof must start
 * at size1 and lead from root1 to a root the signature covers; *proven gets
 * the newer tree. Errors as mm_scitt_receipt_verify(); an inclusion receipt
 * is MM_ERR_UNSUPPORTED. */
MM_NODISCARD mm_err mm_scitt_receipt_verify_consistency(const mm_scitt_receipt *r, uint64_t size1,
                                                        const uint8_t root1[MM_MERKLE_HASH_LEN],
                                                        const mm_scitt_verify_opts *opts, mm_scitt_proven *proven);

/* How a TS signs receipts. sign.kid goes into the protected header (with
 * sign.flags MM_COSE_KID_PROTECTED, as receipts in the wild do); the CWT
 * claims name the TS (iss) and, optionally, the statement's subject. */
typedef struct mm_scitt_receipt_opts {
    mm_cose_create_opts sign; /* crypto, key, alg, kid, params, flags, algs, scratch */
    mm_bytes iss;             /* written when not empty */
    mm_bytes sub;             /* written when not empty */
    int64_t iat;              /* written when flags has MM_SCITT_WITH_IAT */
    unsigned flags;
} mm_scitt_receipt_opts;

/* Signs an RFC 9162 inclusion receipt: vds 1, vdp {-1: [<<[size, index,
 * path]>>]}, the root detached. The proof is checked first: it must lead
 * from leaf to root (MM_ERR_VERIFY otherwise), so a TS never signs a proof
 * its own verifiers would refuse. Errors: also MM_ERR_TOO_LARGE (more than
 * MM_MERKLE_MAX_PROOF hashes) and those of mm_cose_sign1_create(). */
MM_NODISCARD mm_err mm_scitt_receipt_create_inclusion(const mm_scitt_receipt_opts *opts, uint64_t size, uint64_t index,
                                                      const uint8_t leaf[MM_MERKLE_HASH_LEN],
                                                      const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n,
                                                      const uint8_t root[MM_MERKLE_HASH_LEN], mm_buf *out);

/* Signs an RFC 9162 consistency receipt from (size1, root1) to (size2,
 * root2), checked first likewise; the newer root is the detached payload. */
MM_NODISCARD mm_err mm_scitt_receipt_create_consistency(const mm_scitt_receipt_opts *opts, uint64_t size1,
                                                        uint64_t size2, const uint8_t root1[MM_MERKLE_HASH_LEN],
                                                        const uint8_t (*path)[MM_MERKLE_HASH_LEN], size_t n,
                                                        const uint8_t root2[MM_MERKLE_HASH_LEN], mm_buf *out);

/*
 * Transparent statements and trust.
 */

/* Writes statement with receipts[0..n) added to its receipts parameter
 * (after any it already has; each receipt as a bstr), its other unprotected
 * parameters kept, into out (tagged 18). Receipts are checked to be tagged
 * COSE_Sign1 messages, not verified. */
MM_NODISCARD mm_err mm_scitt_transparent_create(mm_bytes statement, const mm_bytes *receipts, size_t n, mm_buf *out);

/* A key of a TS the caller trusts. A receipt's kid picks the keys whose kid
 * equals it; when none does (or the receipt has no kid), the keys without a
 * kid are tried (a bare public key or certificate names nothing). */
typedef struct mm_scitt_ts_key {
    const mm_key *key;
    mm_bytes kid;
} mm_scitt_ts_key;

/* Flags of mm_scitt_trust. */
#define MM_SCITT_REQUIRE_ALL 0x1u /* every receipt must be proven, none skipped */

typedef struct mm_scitt_trust {
    const mm_crypto *crypto;
    const mm_scitt_ts_key *keys;
    size_t n_keys;
    const mm_cose_algs *algs;
    const int64_t *crit;
    size_t n_crit;
    uint8_t *scratch;
    size_t scratch_len;
    unsigned flags; /* MM_SCITT_REQUIRE_ALL */
} mm_scitt_trust;

/* The outcome for one receipt. err: MM_OK proven; MM_ERR_MISSING_FIELD with
 * tried 0: no trusted key fits it (another service's receipt);
 * MM_ERR_UNSUPPORTED: a structure or proof type not verified here (skipped);
 * anything else: why it failed (a malformed receipt, or, with tried > 0, a
 * proof or signature that does not hold under any of the keys tried). */
typedef struct mm_scitt_outcome {
    mm_err err;
    size_t key;   /* index into trust->keys of the key that proved it */
    size_t tried; /* trusted keys the receipt was checked with */
    mm_scitt_proven proven;
} mm_scitt_outcome;

/* Decodes receipt and verifies it for leaf under the keys trust names,
 * filling *out. Returns out->err. */
MM_NODISCARD mm_err mm_scitt_receipt_verify_trusted(mm_bytes receipt, const mm_scitt_leaf *leaf,
                                                    const mm_scitt_trust *trust, mm_scitt_outcome *out);

/* Verifies the receipts of a transparent statement (up to
 * MM_SCITT_MAX_RECEIPTS; more is MM_ERR_TOO_LARGE) for the statement's own
 * leaf, one outcome each into outcomes[0..cap) (*n gets how many were
 * written; outcomes may be NULL with cap 0). MM_OK when at least one receipt
 * is proven by a trusted key (with MM_SCITT_REQUIRE_ALL: every receipt is);
 * receipts of other services, of structures not verified here, or that
 * fail, are reported in their outcomes and do not stop the others: anyone
 * can add receipts to an unprotected header, so one that fails proves
 * nothing about the rest. Else MM_ERR_VERIFY, or MM_ERR_MISSING_FIELD when
 * the statement has no receipt. The issuer's signature is not checked here
 * (mm_scitt_statement_verify() does). */
MM_NODISCARD mm_err mm_scitt_transparent_verify(const mm_scitt_statement *st, const mm_scitt_trust *trust,
                                                mm_scitt_outcome *outcomes, size_t cap, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_SCITT_H */
