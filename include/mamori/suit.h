/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mamori SUIT: decoding, authentication and processing of SUIT manifests
 * (draft-ietf-suit-manifest-37, update management -14), and SUIT reports
 * (draft-ietf-suit-report-18).
 *
 * Model
 * -----
 * One caller-allocated context, mm_suit_processor, does everything a
 * Recipient does with an envelope. mm_suit_processor_init() takes the
 * configuration (crypto backend, algorithm registry, trust anchors, the
 * platform, a scratch buffer, limits); then
 *
 *   mm_suit_check()    decodes the envelope, checks the manifest's digest,
 *                      verifies the authentication blocks against the trust
 *                      anchors, and only then decodes and validates the whole
 *                      manifest structure: every command sequence, every
 *                      argument, every parameter, every severable member
 *                      (body against its digest). Nothing acts.
 *   mm_suit_process()  does the same check, then the anti-rollback check,
 *                      then runs the procedures asked for on the platform:
 *                      update (dependency resolution, payload fetch,
 *                      candidate verification, install, validate) and/or
 *                      invocation (validate, load, invoke), each sequence
 *                      preceded by the shared sequence.
 *
 * Nothing is copied: the processor keeps views into the envelope, which the
 * caller must keep unchanged until the call returns (the manifest is checked
 * once and then trusted: RFC 9124 REQ.SEC.MFST.CONST). Command sequences are
 * interpreted in place. The processor allocates nothing, keeps no global
 * state and recurses only through nested command sequences, at most
 * MM_SUIT_MAX_NESTING deep; its stack use is fixed (docs/suit.md gives the
 * measured worst case).
 *
 * Platform effects enter through mm_suit_platform: a versioned table of
 * callbacks with a user pointer (reading, writing, digesting and swapping
 * components, fetching a URI as a stream, invoking, persistent counters, the
 * clock, the battery, authorisation, waiting, and a record of each command).
 * Installation is all or nothing: every write goes to a candidate of its
 * component, which reads as the component's content while the procedure
 * runs; when the procedure succeeds the platform commits every candidate,
 * and when it fails it discards them, so a refused manifest changes no
 * component. The sequence number is stored only after a successful commit.
 *
 * Errors: mm_err as everywhere. A refusal also leaves an mm_suit_failure in
 * the context (the SUIT report's reason, the section, offset and component
 * where it happened), and, when the caller gave a buffer, a SUIT_Report.
 * Codes particular to SUIT: MM_ERR_CONDITION (a condition failed and nothing
 * made the failure soft), MM_ERR_ROLLBACK (sequence number not newer than the
 * stored one), MM_ERR_UNTRUSTED (no trust anchor for the signer's key id or
 * algorithm), MM_ERR_VERIFY (manifest, member or signature does not match),
 * MM_ERR_UNSUPPORTED (a command, parameter or member this processor does not
 * implement), MM_ERR_MISSING_FIELD (a command's parameter is not set),
 * MM_ERR_NESTING and MM_ERR_TOO_LARGE (limits).
 */
#ifndef MAMORI_SUIT_H
#define MAMORI_SUIT_H

#include "mamori/base.h"
#include "mamori/cbor.h"
#include "mamori/cose.h"
#include "mamori/crypto.h"
#include "mamori/suit_names.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits: MM_SUIT_MAX_COMPONENTS, MM_SUIT_MAX_NESTING, MM_SUIT_MAX_COMMANDS,
 * MM_SUIT_MAX_STEPS, MM_SUIT_MAX_SIGNERS, MM_SUIT_MAX_VERSION in config.h. */

/* Commands (SUIT Commands registry; names in mamori/suit_names.h). */
#define MM_SUIT_CMD_VENDOR_ID         1
#define MM_SUIT_CMD_CLASS_ID          2
#define MM_SUIT_CMD_IMAGE_MATCH       3
#define MM_SUIT_CMD_USE_BEFORE        4
#define MM_SUIT_CMD_COMPONENT_SLOT    5
#define MM_SUIT_CMD_CHECK_CONTENT     6
#define MM_SUIT_CMD_SET_INDEX         12
#define MM_SUIT_CMD_ABORT             14
#define MM_SUIT_CMD_TRY_EACH          15
#define MM_SUIT_CMD_WRITE             18
#define MM_SUIT_CMD_OVERRIDE          20
#define MM_SUIT_CMD_FETCH             21
#define MM_SUIT_CMD_COPY              22
#define MM_SUIT_CMD_INVOKE            23
#define MM_SUIT_CMD_DEVICE_ID         24
#define MM_SUIT_CMD_IMAGE_NOT_MATCH   25
#define MM_SUIT_CMD_MINIMUM_BATTERY   26
#define MM_SUIT_CMD_UPDATE_AUTHORIZED 27
#define MM_SUIT_CMD_VERSION           28
#define MM_SUIT_CMD_WAIT              29
#define MM_SUIT_CMD_SWAP              31
#define MM_SUIT_CMD_RUN_SEQUENCE      32
#define MM_SUIT_CMD_OVERRIDE_MULTIPLE 34
#define MM_SUIT_CMD_COPY_PARAMS       35

/* Parameters (SUIT Parameters registry). */
#define MM_SUIT_PARAM_VENDOR_ID          1
#define MM_SUIT_PARAM_CLASS_ID           2
#define MM_SUIT_PARAM_IMAGE_DIGEST       3
#define MM_SUIT_PARAM_USE_BEFORE         4
#define MM_SUIT_PARAM_COMPONENT_SLOT     5
#define MM_SUIT_PARAM_STRICT_ORDER       12
#define MM_SUIT_PARAM_SOFT_FAILURE       13
#define MM_SUIT_PARAM_IMAGE_SIZE         14
#define MM_SUIT_PARAM_CONTENT            18
#define MM_SUIT_PARAM_URI                21
#define MM_SUIT_PARAM_SOURCE_COMPONENT   22
#define MM_SUIT_PARAM_INVOKE_ARGS        23
#define MM_SUIT_PARAM_DEVICE_ID          24
#define MM_SUIT_PARAM_FETCH_ARGS         25
#define MM_SUIT_PARAM_MINIMUM_BATTERY    26
#define MM_SUIT_PARAM_UPDATE_PRIORITY    27
#define MM_SUIT_PARAM_VERSION            28
#define MM_SUIT_PARAM_WAIT_INFO          29
#define MM_SUIT_PARAM_COMPONENT_METADATA 30

/* Manifest members that hold command sequences (and text, CoSWID): the
 * section numbers reports use. */
#define MM_SUIT_SECTION_COMMON                 3 /* records of the shared sequence */
#define MM_SUIT_SECTION_VALIDATE               7
#define MM_SUIT_SECTION_LOAD                   8
#define MM_SUIT_SECTION_INVOKE                 9
#define MM_SUIT_SECTION_COSWID                 14
#define MM_SUIT_SECTION_DEPENDENCY_RESOLUTION  15
#define MM_SUIT_SECTION_PAYLOAD_FETCH          16
#define MM_SUIT_SECTION_CANDIDATE_VERIFICATION 18
#define MM_SUIT_SECTION_INSTALL                20
#define MM_SUIT_SECTION_TEXT                   23
#define MM_SUIT_SECTION_UNINSTALL              24

/* SUIT report reasons (draft-ietf-suit-report, suit-report-result-reason). */
typedef enum mm_suit_reason {
    MM_SUIT_REASON_OK = 0,
    MM_SUIT_REASON_CBOR_PARSE = 1,
    MM_SUIT_REASON_COSE_UNSUPPORTED = 2,
    MM_SUIT_REASON_ALG_UNSUPPORTED = 3,
    MM_SUIT_REASON_UNAUTHORISED = 4,
    MM_SUIT_REASON_COMMAND_UNSUPPORTED = 5,
    MM_SUIT_REASON_COMPONENT_UNSUPPORTED = 6,
    MM_SUIT_REASON_COMPONENT_UNAUTHORISED = 7,
    MM_SUIT_REASON_PARAMETER_UNSUPPORTED = 8,
    MM_SUIT_REASON_SEVERING_UNSUPPORTED = 9,
    MM_SUIT_REASON_CONDITION_FAILED = 10,
    MM_SUIT_REASON_OPERATION_FAILED = 11,
    MM_SUIT_REASON_INVOKE_PENDING = 12,
} mm_suit_reason;

/* "ok", "cbor-parse", ... "invoke-pending" (the CDDL names without
 * "suit-report-reason-"); "unknown" for other values. */
const char *mm_suit_reason_name(int reason);

/*
 * Digests and the envelope.
 */

/* A SUIT_Digest: [algorithm, bytes]. */
typedef struct mm_suit_digest {
    int32_t alg;    /* COSE hash algorithm (MM_ALG_SHA256, SHA384, SHA512) */
    mm_bytes bytes; /* view of the digest bytes */
} mm_suit_digest;

/* Decodes an encoded SUIT_Digest. The algorithm must be one this build
 * hashes with (MM_ERR_UNSUPPORTED_ALG) and the bytes its length
 * (MM_ERR_CBOR_RANGE). Extensions after the bytes are refused
 * (MM_ERR_UNSUPPORTED). */
MM_NODISCARD mm_err mm_suit_digest_decode(mm_bytes encoded, mm_suit_digest *out);

/* Manifest members the processor knows, by index (their keys are the
 * MM_SUIT_SECTION_* numbers). */
typedef enum mm_suit_member_index {
    MM_SUIT_M_VALIDATE = 0,
    MM_SUIT_M_LOAD,
    MM_SUIT_M_INVOKE,
    MM_SUIT_M_DEPENDENCY_RESOLUTION,
    MM_SUIT_M_PAYLOAD_FETCH,
    MM_SUIT_M_CANDIDATE_VERIFICATION,
    MM_SUIT_M_INSTALL,
    MM_SUIT_M_UNINSTALL,
    MM_SUIT_M_TEXT,
    MM_SUIT_M_COSWID,
    MM_SUIT_M_COUNT
} mm_suit_member_index;

/* Key of a member index (MM_SUIT_SECTION_*), 0 for an invalid index. */
int32_t mm_suit_member_key(mm_suit_member_index m);

/* How a member reached the processor. */
typedef enum mm_suit_member_state {
    MM_SUIT_ABSENT = 0,   /* neither in the manifest nor in the envelope */
    MM_SUIT_INLINE = 1,   /* in the manifest */
    MM_SUIT_SEVERED = 2,  /* its digest in the manifest, the member stripped from the envelope */
    MM_SUIT_RESTORED = 3, /* its digest in the manifest, the member in the envelope and matching it */
} mm_suit_member_state;

typedef struct mm_suit_member {
    uint8_t state;         /* mm_suit_member_state */
    mm_bytes body;         /* INLINE, RESTORED: the content of the member's bstr */
    mm_suit_digest digest; /* SEVERED, RESTORED: the digest the manifest gives */
} mm_suit_member;

/* The envelope, decoded: views into its bytes. */
typedef struct mm_suit_envelope {
    bool tagged;                       /* tag 107 was present */
    mm_bytes auth;                     /* content of the authentication-wrapper bstr */
    mm_bytes manifest_item;            /* the manifest bstr, head and content: what the digest covers */
    mm_bytes manifest;                 /* its content (a SUIT_Manifest) */
    mm_bytes severed[MM_SUIT_M_COUNT]; /* severed members present in the envelope: their whole bstr item */
    mm_bytes map;                      /* the envelope map, for integrated payload lookups */
    uint32_t n_integrated;             /* integrated payloads (text keys) */
} mm_suit_envelope;

/* Decodes an envelope (tag 107 or untagged): the members' types, keys in
 * deterministic order, no duplicates. Integer keys other than the
 * authentication wrapper, the manifest and severable members are refused
 * (MM_ERR_UNSUPPORTED: delegation chains and integrated dependencies come
 * with trust domains); text keys are integrated payloads (byte strings).
 * *err_off (may be NULL) gets the offset of a malformation. */
MM_NODISCARD mm_err mm_suit_envelope_decode(mm_bytes in, mm_suit_envelope *out, size_t *err_off);

/* The integrated payload stored under key (a URI or "#name") in the
 * envelope. MM_ERR_MISSING_FIELD when there is none. */
MM_NODISCARD mm_err mm_suit_envelope_payload(const mm_suit_envelope *env, mm_bytes key, mm_bytes *payload);

/*
 * The manifest, decoded and validated.
 */
typedef struct mm_suit_manifest {
    uint64_t sequence; /* suit-manifest-sequence-number */
    bool has_reference_uri;
    mm_bytes reference_uri; /* text */
    mm_bytes component_id;  /* encoded manifest-component-id (trust domains), empty if absent */
    mm_bytes set_version;   /* encoded [+ int] of suit-set-version, empty if absent */
    mm_bytes common;        /* content of the common bstr */
    mm_bytes components;    /* the encoded components array */
    uint32_t n_components;
    mm_bytes component_ids[MM_SUIT_MAX_COMPONENTS]; /* each component identifier, encoded */
    bool has_shared;
    mm_bytes shared;       /* content of the shared sequence's bstr */
    mm_bytes dependencies; /* encoded common dependencies map, empty if absent */
    mm_suit_member members[MM_SUIT_M_COUNT];
} mm_suit_manifest;

/*
 * Authentication.
 */

/* A key the Recipient trusts to authorise manifests. */
typedef struct mm_suit_trust_anchor {
    const mm_key *key; /* public key (signatures) or secret key (MACs) */
    mm_bytes kid;      /* when not empty, tried only on blocks whose kid is this one (or that name none) */
} mm_suit_trust_anchor;

/* What authentication found. */
typedef struct mm_suit_auth {
    mm_suit_digest digest; /* the manifest's digest (checked against the manifest) */
    mm_bytes digest_item;  /* the encoded SUIT_Digest the blocks sign (and reports quote) */
    uint32_t n_blocks;     /* authentication blocks in the wrapper */
    uint32_t n_verified;   /* blocks a trust anchor verified */
    int32_t alg;           /* algorithm of the first verified block */
    uint32_t anchor;       /* index of the trust anchor that verified it */
    uint32_t block_err[4]; /* mm_err of the first four blocks (MM_OK: verified) */
} mm_suit_auth;

/*
 * The platform.
 */

/* A component as the platform sees it: its index in the manifest and its
 * identifier (the encoded SUIT_Component_Identifier, [* bstr]). */
typedef struct mm_suit_component {
    uint32_t index;
    mm_bytes id;
} mm_suit_component;

/* Identity conditions. */
typedef enum mm_suit_identity {
    MM_SUIT_ID_VENDOR = 1, /* value: a UUID, or the content of a CBOR PEN (pen set) */
    MM_SUIT_ID_CLASS = 2,
    MM_SUIT_ID_DEVICE = 3,
} mm_suit_identity;

/* Where fetched bytes go: the processor's writer into a candidate. The
 * platform calls write for each chunk, in order, and returns its error if it
 * fails. */
typedef struct mm_suit_sink {
    mm_err (*write)(void *ctx, mm_bytes chunk);
    void *ctx;
} mm_suit_sink;

/* What the processor tells the platform about a write. */
typedef struct mm_suit_write_info {
    uint64_t size;     /* expected size (suit-parameter-image-size), 0 when not set */
    mm_bytes metadata; /* encoded SUIT_Component_Metadata (validated), empty when not set */
    int32_t command;   /* the directive writing: fetch, copy, write or swap */
} mm_suit_write_info;

/* Wait events (update management), from suit-parameter-wait-info. */
#define MM_SUIT_WAIT_AUTHORIZATION 0x001u
#define MM_SUIT_WAIT_POWER         0x002u
#define MM_SUIT_WAIT_NETWORK       0x004u
#define MM_SUIT_WAIT_OTHER_DEVICE  0x008u
#define MM_SUIT_WAIT_TIME          0x010u
#define MM_SUIT_WAIT_TIME_OF_DAY   0x020u
#define MM_SUIT_WAIT_DAY_OF_WEEK   0x040u
#define MM_SUIT_WAIT_TOD_UTC       0x080u
#define MM_SUIT_WAIT_DOW_UTC       0x100u

typedef struct mm_suit_wait {
    unsigned present;      /* MM_SUIT_WAIT_* of the events given */
    int64_t authorization; /* update priority to be authorised for */
    int64_t power;         /* power state */
    int64_t network;       /* network state */
    uint64_t time;         /* seconds since 1970-01-01 */
    uint64_t time_of_day;  /* seconds since 00:00:00 local time */
    uint64_t day_of_week;  /* days since Sunday, local time */
    uint64_t time_of_day_utc;
    uint64_t day_of_week_utc;
    mm_bytes other_device; /* encoded [bstr, [+ version match]] */
} mm_suit_wait;

/* What the processor tells the platform after each command (and the SUIT
 * report keeps, as far as the reporting policy asks). */
typedef struct mm_suit_event {
    int32_t section;    /* MM_SUIT_SECTION_* of the top-level sequence */
    uint32_t offset;    /* bytes into that sequence where the command is */
    uint32_t depth;     /* nesting: 0 in the top-level sequence */
    int32_t command;    /* MM_SUIT_CMD_* */
    uint32_t component; /* index of the component it ran for */
    uint64_t policy;    /* the command's reporting policy (0 for flow control) */
    mm_err result;      /* MM_OK, MM_ERR_CONDITION when a condition failed, or the error */
    bool soft;          /* a failed condition that soft failure absorbed */
} mm_suit_event;

#define MM_SUIT_PLATFORM_V1 1u

/*
 * The platform contract, version 1. user is mm_suit_platform.user. Entries
 * marked optional may be NULL: the commands that need them then fail with
 * MM_ERR_UNSUPPORTED. Component content means the candidate while one is
 * staged, else the installed content.
 */
typedef struct mm_suit_platform_ops {
    uint32_t version; /* MM_SUIT_PLATFORM_V1 */

    /* Called for every component of the manifest before anything runs:
     * MM_ERR_UNSUPPORTED when the Recipient has no such component,
     * MM_ERR_VERIFY when the signer may not touch it. Optional (all
     * components accepted). */
    mm_err (*component_check)(void *user, const mm_suit_component *c);

    /* Identity conditions: *match when value is one of the component's
     * identifiers of that kind (pen: value is a CBOR PEN, not a UUID). */
    mm_err (*identity)(void *user, const mm_suit_component *c, mm_suit_identity kind, mm_bytes value, bool pen,
                       bool *match);

    /* Size of the content (*exists false for a component never written). */
    mm_err (*size)(void *user, const mm_suit_component *c, bool *exists, uint64_t *size);
    /* Reads up to len bytes at offset; *got 0 at the end. */
    mm_err (*read)(void *user, const mm_suit_component *c, uint64_t offset, uint8_t *buf, size_t len, size_t *got);
    /* Optional: the content as a view, for components readable in place
     * (memory-mapped flash, RAM): hashed and copied without a copy into the
     * scratch buffer. MM_ERR_UNSUPPORTED for one that is not: read is used. */
    mm_err (*view)(void *user, const mm_suit_component *c, mm_bytes *content);
    /* Optional: the digest of the first len bytes, measured by the platform
     * (a secure element, a boot ROM); NULL: the processor reads and hashes. */
    mm_err (*digest)(void *user, const mm_suit_component *c, int32_t alg, uint64_t len, uint8_t out[MM_HASH_MAX],
                     size_t *out_len);

    /* Staging: write_begin opens an empty candidate for c (erasing any
     * earlier one), write appends to it, write_end closes it (ok false:
     * the write failed, drop the candidate). */
    mm_err (*write_begin)(void *user, const mm_suit_component *c, const mm_suit_write_info *info);
    mm_err (*write)(void *user, const mm_suit_component *c, mm_bytes chunk);
    mm_err (*write_end)(void *user, const mm_suit_component *c, bool ok);
    /* Optional: stages the content of a as b's candidate and b's as a's. */
    mm_err (*swap)(void *user, const mm_suit_component *a, const mm_suit_component *b);
    /* Every staged candidate becomes its component (the end of a successful
     * procedure); discard drops them all (a refusal). */
    mm_err (*commit)(void *user);
    void (*discard)(void *user);

    /* Optional: fetches uri (args: suit-parameter-fetch-arguments, may be
     * empty), handing the bytes to sink in order. Fragment-only URIs and
     * URIs that name an integrated payload never get here. */
    mm_err (*fetch)(void *user, mm_bytes uri, mm_bytes args, const mm_suit_sink *sink);
    /* Optional: transfers execution to c (args: suit-parameter-invoke-args). */
    mm_err (*invoke)(void *user, const mm_suit_component *c, mm_bytes args);

    /* Optional: the slot c is in (component-slot condition). */
    mm_err (*slot)(void *user, const mm_suit_component *c, uint64_t *slot);
    /* Optional: c's version, up to cap integers (*n written). */
    mm_err (*component_version)(void *user, const mm_suit_component *c, int64_t *parts, size_t cap, size_t *n);

    /* Anti-rollback counters, one per manifest: id is the encoded
     * manifest-component-id, or empty for a manifest without one. get sets
     * *present false when none was ever stored. */
    mm_err (*counter_get)(void *user, mm_bytes id, bool *present, uint64_t *value);
    mm_err (*counter_set)(void *user, mm_bytes id, uint64_t value);

    /* Optional policy: seconds since 1970-01-01 UTC; battery level in mWh;
     * whether an update of this priority is authorised; waiting for events
     * (MM_OK once they all hold; an error refuses the update). */
    mm_err (*now)(void *user, uint64_t *seconds);
    mm_err (*battery)(void *user, uint64_t *mwh);
    mm_err (*authorize)(void *user, int64_t priority, bool *ok);
    mm_err (*wait)(void *user, const mm_suit_component *c, const mm_suit_wait *events);

    /* Optional: told about every command run, in order. */
    void (*record)(void *user, const mm_suit_event *ev);
} mm_suit_platform_ops;

typedef struct mm_suit_platform {
    const mm_suit_platform_ops *ops;
    void *user;
} mm_suit_platform;

/*
 * The processor.
 */

/* Procedures (mm_suit_process). */
#define MM_SUIT_PROC_UPDATE 0x1u /* dependency resolution, payload fetch, candidate verification, install, validate */
#define MM_SUIT_PROC_INVOKE 0x2u /* validate, load, invoke (validate runs once when both are asked) */

/* Configuration flags. */
#define MM_SUIT_AUTH_ALL         0x01u /* every authentication block must verify, not only one */
#define MM_SUIT_REPORT_ALL       0x02u /* the report records every command, whatever its reporting policy */
#define MM_SUIT_REQUIRE_IDENTITY 0x04u /* the shared sequence must check the vendor and class identifiers */

typedef struct mm_suit_config {
    const mm_crypto *crypto;             /* hashes, signatures, MACs */
    const mm_cose_algs *algs;            /* signature registry (NULL: the built-in one) */
    const mm_suit_trust_anchor *anchors; /* keys authorised to sign or MAC manifests */
    size_t n_anchors;
    const mm_suit_platform *platform; /* needed by mm_suit_process() */
    uint8_t *scratch;                 /* chunks of components and fetches; room for an EdDSA ToBeSigned */
    size_t scratch_len;               /* at least 128 bytes; 1-4 KiB is a good size */
    unsigned flags;                   /* MM_SUIT_* configuration flags */
    mm_buf *report;                   /* when not NULL, receives a SUIT_Report (overflow: see report_err) */
    mm_bytes nonce;                   /* suit-report-nonce, written when not empty */
} mm_suit_config;

/* Where and why the last call refused (zeroed when it succeeded). */
typedef struct mm_suit_failure {
    mm_err err;
    uint8_t reason;     /* mm_suit_reason */
    int32_t section;    /* MM_SUIT_SECTION_* where it happened, 0 before any sequence ran */
    uint32_t offset;    /* bytes into that section (of the command, or of a malformation) */
    uint32_t component; /* component index */
    int32_t command;    /* MM_SUIT_CMD_* that failed, 0 if none */
    int64_t detail;     /* a number naming the culprit: the parameter, member or algorithm, 0 if none */
} mm_suit_failure;

/* Internal: one selection of components (set-component-index). */
typedef struct mm_suit_selection {
    uint8_t n; /* components selected */
    bool all;  /* index was true */
    uint8_t list[MM_SUIT_MAX_COMPONENTS];
} mm_suit_selection;

/* Internal: one component's parameters, as views into the manifest. */
typedef struct mm_suit_params {
    uint64_t present; /* bit i: field i of the parameter table is set */
    mm_bytes vendor_id;
    mm_bytes class_id;
    mm_bytes image_digest; /* encoded SUIT_Digest */
    mm_bytes content;
    mm_bytes uri;
    mm_bytes invoke_args;
    mm_bytes device_id;
    mm_bytes fetch_args;
    mm_bytes version;   /* encoded version match */
    mm_bytes wait_info; /* encoded wait events */
    mm_bytes metadata;  /* encoded component metadata */
    uint64_t use_before;
    uint64_t slot;
    uint64_t image_size;
    uint64_t source;
    uint64_t minimum_battery;
    int64_t priority;
    bool vendor_pen;
    bool strict_order;
    bool soft_failure;
} mm_suit_params;

/* The processor context: caller-allocated; all fields but cfg are
 * internal. Its size is dominated by MM_SUIT_MAX_COMPONENTS parameter sets
 * and the CBOR decoders (one per nesting level, one for scratch) and the
 * report's encoder: about 13 KiB with the default limits (docs/suit.md). */
typedef struct mm_suit_processor {
    mm_suit_config cfg;
    /* what the check found */
    mm_suit_envelope env;
    mm_suit_manifest man;
    mm_suit_auth auth;
    mm_suit_failure failure;
    mm_err report_err; /* MM_OK, or why no report was written (MM_ERR_BUFFER_TOO_SMALL: report->len) */
    bool checked;      /* env, man and auth are valid */
    /* the interpreter */
    mm_suit_component comps[MM_SUIT_MAX_COMPONENTS];
    mm_suit_params params[MM_SUIT_MAX_COMPONENTS];
    mm_suit_params scratch_params;
    mm_suit_selection sel;
    int32_t section;
    const uint8_t *section_base;
    uint32_t steps;
    uint64_t written;     /* components with a staged candidate */
    uint64_t order_reads; /* with strict order off: components read, and written, in this sequence */
    uint64_t order_writes;
    bool strict_order;
    bool staged;
    unsigned procs;
    int32_t measured_alg; /* what the last image match measured, for reports */
    uint8_t measured_len;
    uint8_t measured[MM_HASH_MAX];
    mm_cbor_dec dec;                           /* decoding scratch: the envelope, authentication, lookups */
    mm_cbor_flat seq[MM_SUIT_MAX_NESTING + 1]; /* the command sequence read at each nesting level */
    mm_cbor_enc rep;                           /* the report being written */
    mm_crypto_ctx hash;
    union {
        mm_cose_sign1 sign1;
        mm_cose_mac0 mac0;
        struct {
            mm_cose_sign sign;
            mm_cose_signature signers[MM_SUIT_MAX_SIGNERS];
        } sign;
    } cose;
} mm_suit_processor;

/* Sets p up with cfg (copied). Errors: MM_ERR_INVALID_ARG (no crypto, a
 * scratch buffer under 128 bytes). */
MM_NODISCARD mm_err mm_suit_processor_init(mm_suit_processor *p, const mm_suit_config *cfg);

/* Decodes envelope, checks the manifest digest and the authentication
 * blocks against the trust anchors, then decodes and validates the manifest
 * (every sequence, argument, parameter and severable member); nothing acts
 * and no platform is needed. Errors: MM_ERR_VERIFY (digest or signature),
 * MM_ERR_UNTRUSTED, MM_ERR_UNSUPPORTED_ALG, MM_ERR_UNSUPPORTED (a command,
 * parameter, member or COSE structure this build does not implement),
 * malformed-input codes, MM_ERR_NESTING / MM_ERR_TOO_LARGE (limits). On
 * success mm_suit_processor_manifest() and _auth() describe the envelope.
 * With cfg.report set, a report is written on failure. */
MM_NODISCARD mm_err mm_suit_check(mm_suit_processor *p, mm_bytes envelope);

/* mm_suit_check(), then the anti-rollback check (the sequence number must
 * be greater than the stored one for an update, and not lower for an
 * invocation), then the procedures asked for (MM_SUIT_PROC_*), committing
 * staged candidates and storing the sequence number when the update
 * succeeds, discarding them when anything fails. Errors: those of
 * mm_suit_check(), MM_ERR_ROLLBACK, MM_ERR_CONDITION, MM_ERR_MISSING_FIELD
 * (a command needs a parameter that is not set), MM_ERR_UNSUPPORTED (a
 * platform capability is missing, or a component the Recipient lacks),
 * MM_ERR_VERIFY (the signer may not touch a component), MM_ERR_PLATFORM and
 * any error a callback returns. mm_suit_processor_failure() says where. */
MM_NODISCARD mm_err mm_suit_process(mm_suit_processor *p, mm_bytes envelope, unsigned procedures);

/* After a successful check: the decoded manifest, envelope and the result
 * of authentication (NULL before). Views into the envelope. */
const mm_suit_manifest *mm_suit_processor_manifest(const mm_suit_processor *p);
const mm_suit_envelope *mm_suit_processor_envelope(const mm_suit_processor *p);
const mm_suit_auth *mm_suit_processor_auth(const mm_suit_processor *p);

/* Where the last check or process refused (err MM_OK after a success). */
const mm_suit_failure *mm_suit_processor_failure(const mm_suit_processor *p);

/* Finds a text of the manifest's text member: lang (empty: the first
 * language), component (a component index, or -1 for the manifest's own
 * texts) and key (suit-text-* number). *out is a view of the text.
 * MM_ERR_MISSING_FIELD when absent (or severed). */
MM_NODISCARD mm_err mm_suit_text_find(const mm_suit_manifest *m, mm_bytes lang, int64_t component, int64_t key,
                                      mm_bytes *out);

/* Compares a version (parts[0..n)) with an encoded suit-parameter-version
 * ([comparison type, [+ int]]) as update management defines it: integer by
 * integer over the manifest's list, missing parts of the version counting as
 * 0. *match is the comparison's outcome. Errors: a malformed version_match. */
MM_NODISCARD mm_err mm_suit_version_match(mm_bytes version_match, const int64_t *parts, size_t n, bool *match);

/*
 * Reports.
 */

/* SUIT_Report labels. */
#define MM_SUIT_REPORT_NONCE         2
#define MM_SUIT_REPORT_RECORDS       3
#define MM_SUIT_REPORT_RESULT        4
#define MM_SUIT_REPORT_RESULT_CODE   5
#define MM_SUIT_REPORT_RESULT_RECORD 6
#define MM_SUIT_REPORT_RESULT_REASON 7
#define MM_SUIT_REPORT_REFERENCE     99

/* Signs a report (a SUIT_Report as mm_suit_process() wrote it) as a
 * COSE_Sign1 with the report as its payload, with a device key. opts: as
 * for mm_cose_sign1_create(). */
MM_NODISCARD mm_err mm_suit_report_sign(const mm_cose_create_opts *opts, mm_bytes report, mm_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* MAMORI_SUIT_H */
