/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the files of the SUIT processor share (not installed): the parameter
 * reader, the command handlers, the decoding helpers every pass uses, and
 * the interpreter's entry points. Each file does one job: envelope.c,
 * auth.c, manifest.c, digest.c, text.c (decoding and authentication),
 * params.c, validate.c (the structure check), sequence.c (the interpreter),
 * conditions.c, directives.c, component.c (what commands do), report.c,
 * process.c (the order of things); docs/suit.md has the table.
 */
#ifndef MM_SUIT_PROCESSOR_H
#define MM_SUIT_PROCESSOR_H

#include <string.h>

#include "mamori/suit.h"

/* Decoder flags for the envelope, the authentication block and the
 * manifest's own map: RFC 8949 deterministic encoding, as the manifest
 * requires for its maps, and valid UTF-8. */
#define SUIT_DEC_FLAGS (MM_CBOR_DETERMINISTIC | MM_CBOR_CHECK_UTF8)

/* Decoder flags inside the manifest's members (the common block, command
 * sequences, parameters, text): well-formedness only, which keeps the
 * decoder on its fast path. The digest and signature already bind these
 * exact bytes, so a non-preferred head or an unsorted map cannot make one
 * manifest mean two things; what could -- a duplicated parameter, text or
 * key -- is refused by the table decoders, and text that is kept (URIs,
 * text fields) is checked as UTF-8 where it is read. */
#define SUIT_SEQ_FLAGS 0u

/* A decoder deep enough for the deepest structure the limits allow: a
 * sequence array, three levels per nested sequence (wrap, try-each array,
 * array) and a parameter map with a wrapped value. */
#define SUIT_DEC_DEPTH (4 + 3 * MM_SUIT_MAX_NESTING + 4)
#if SUIT_DEC_DEPTH > MM_CBOR_MAX_NESTING
#error "MM_SUIT_MAX_NESTING is too deep for MM_CBOR_MAX_NESTING"
#endif

/* The manifest's sequence-number key, as failures name it. */
#define SUIT_KEY_SEQUENCE_NUMBER 2

/* Starts p->dec (or any decoder) on in with the manifest's flags and depth. */
mm_err suit_dec_init(mm_cbor_dec *d, mm_bytes in, unsigned flags);

/* mm_cbor_next() with every failure recorded in the decoder, running out of
 * items included: the processor's walks read exactly the items the
 * structure says, on the decoder's inline fast path. */
static inline mm_err suit_next(mm_cbor_dec *d, mm_cbor_item *it)
{
    mm_err e = mm_cbor_next(d, it);
    return e == MM_ERR_CBOR_NO_ITEM ? mm_cbor_dec_fail(d, e, mm_cbor_dec_offset(d)) : e;
}

/* Command sequences, parameters and digests are read with flat reads
 * (mm_cbor_flat_*): their grammar names the type of every item, so the
 * reader needs no container stack, and the structure check and the
 * interpreter each read a command in a few dozen instructions. Starts r on
 * in with the flags of the manifest's members. */
static inline void suit_flat_init(mm_cbor_flat *r, mm_bytes in)
{
    (void)mm_cbor_flat_init(r, in, SUIT_SEQ_FLAGS); /* an error is sticky: the first read returns it */
}

/* Reads a SUIT_Digest array (checked as mm_suit_digest_decode() says);
 * suit_read_digest_rest() when its first head is already read (arr, at
 * `at`). */
mm_err suit_read_digest(mm_cbor_flat *r, mm_suit_digest *out);
mm_err suit_read_digest_rest(mm_cbor_flat *r, const mm_cbor_head *arr, const uint8_t *at, mm_suit_digest *out);

/* mm_suit_envelope_payload() with the caller's decoder. */
mm_err suit_find_payload(mm_cbor_dec *d, const mm_suit_envelope *env, mm_bytes key, mm_bytes *payload);

/* Hashes data with alg and compares with want in constant time: MM_OK on a
 * match, MM_ERR_VERIFY otherwise. */
mm_err suit_digest_check(const mm_crypto *c, const mm_suit_digest *want, mm_bytes data);

/* Records the failure (overwriting an earlier one) and returns err. */
mm_err suit_fail(mm_suit_processor *p, mm_err err, mm_suit_reason reason, int64_t detail);

/* The report reason for an error met while decoding or checking. */
mm_suit_reason suit_reason_for(mm_err err);

/*
 * Parameters (params.c).
 */

/*
 * The one list of parameters: table bit, label, how the value is stored
 * (which also says its CBOR type), where, and the function that checks what
 * the type alone does not. The parameter table in params.c and the label to
 * bit mapping below are made from it.
 */
#define SUIT_PARAMS(X)                                                                                                 \
    X(0, MM_SUIT_PARAM_VENDOR_ID, ST_VENDOR, vendor_id, check_vendor)                                                  \
    X(1, MM_SUIT_PARAM_CLASS_ID, ST_VIEW, class_id, check_uuid)                                                        \
    X(2, MM_SUIT_PARAM_IMAGE_DIGEST, ST_VIEW, image_digest, check_digest)                                              \
    X(3, MM_SUIT_PARAM_USE_BEFORE, ST_U64, use_before, NULL)                                                           \
    X(4, MM_SUIT_PARAM_COMPONENT_SLOT, ST_U64, slot, NULL)                                                             \
    X(5, MM_SUIT_PARAM_STRICT_ORDER, ST_BOOL, strict_order, NULL)                                                      \
    X(6, MM_SUIT_PARAM_SOFT_FAILURE, ST_BOOL, soft_failure, NULL)                                                      \
    X(7, MM_SUIT_PARAM_IMAGE_SIZE, ST_U64, image_size, NULL)                                                           \
    X(8, MM_SUIT_PARAM_CONTENT, ST_VIEW, content, NULL)                                                                \
    X(9, MM_SUIT_PARAM_URI, ST_VIEW, uri, check_uri)                                                                   \
    X(10, MM_SUIT_PARAM_SOURCE_COMPONENT, ST_U64, source, check_source)                                                \
    X(11, MM_SUIT_PARAM_INVOKE_ARGS, ST_VIEW, invoke_args, NULL)                                                       \
    X(12, MM_SUIT_PARAM_DEVICE_ID, ST_VIEW, device_id, check_uuid)                                                     \
    X(13, MM_SUIT_PARAM_FETCH_ARGS, ST_VIEW, fetch_args, NULL)                                                         \
    X(14, MM_SUIT_PARAM_MINIMUM_BATTERY, ST_U64, minimum_battery, NULL)                                                \
    X(15, MM_SUIT_PARAM_UPDATE_PRIORITY, ST_I64, priority, NULL)                                                       \
    X(16, MM_SUIT_PARAM_VERSION, ST_VIEW, version, check_version)                                                      \
    X(17, MM_SUIT_PARAM_WAIT_INFO, ST_VIEW, wait_info, check_wait)                                                     \
    X(18, MM_SUIT_PARAM_COMPONENT_METADATA, ST_VIEW, metadata, check_metadata)

#define SUIT_PARAM_BIT_CASE(bit, label, store, field, check)                                                           \
    case label:                                                                                                        \
        return bit;

/* The table bit of a parameter label, or -1 when the processor does not
 * know it. Inline, so that a constant label is a constant bit. */
static inline int suit_param_bit(int64_t label)
{
    switch (label) {
        SUIT_PARAMS(SUIT_PARAM_BIT_CASE)
    default:
        return -1;
    }
}

/* Reads the parameter map at r's position into *out (override semantics:
 * the fields given replace what *out holds); *given gets the table bits of
 * the fields the map had. With check (the structure check) every value is
 * validated: type, shape (a UUID is 16 bytes, a digest names a hash this
 * build has, a version match and wait events have their form), no label
 * twice, none unknown (MM_ERR_UNSUPPORTED with p->failure.detail the label;
 * for other failures the detail is the label of the value that failed);
 * errors are recorded in r where they happened, and p->dec is used for the
 * update-management values that wrap CBOR. Without check the map is one
 * the structure check passed: values are only located, as views and
 * numbers. */
mm_err suit_params_read(mm_suit_processor *p, mm_cbor_flat *r, mm_suit_params *out, uint64_t *given, bool check);

/* The label of a table bit. */
int64_t suit_param_label(int bit);

/* Copies the parameter of table bit `bit` from src to dst (presence
 * included). */
void suit_param_copy(mm_suit_params *dst, const mm_suit_params *src, int bit);

/* True when the parameter of label is set in params. */
static inline bool suit_param_has(const mm_suit_params *params, int64_t label)
{
    int bit = suit_param_bit(label);
    return bit >= 0 && ((params->present >> bit) & 1u) != 0;
}

/* Parses validated wait events into *out, with the caller's decoder. */
mm_err suit_wait_decode(mm_cbor_dec *d, mm_bytes encoded, mm_suit_wait *out);

/* mm_suit_version_match(), read flat (no decoder). */
mm_err suit_version_match(mm_bytes match, const int64_t *parts, size_t n, bool *ok);

/*
 * The structure check (validate.c) and decoding (manifest.c, auth.c).
 */
mm_err suit_auth_verify(mm_suit_processor *p);
mm_err suit_manifest_decode(mm_suit_processor *p);
mm_err suit_validate_sequences(mm_suit_processor *p);
mm_err suit_text_validate(mm_suit_processor *p, mm_bytes text);

/*
 * The interpreter (sequence.c).
 */

/* One command as read from a sequence. */
typedef struct suit_cmd {
    int32_t id;
    const uint8_t *at; /* where the command code is, in the section */
    uint64_t policy;   /* reporting policy, for commands that take one */
    bool condition;
} suit_cmd;

/* Runs the top-level sequence of section (its shared sequence first). */
mm_err suit_run_section(mm_suit_processor *p, int32_t section, mm_bytes body);

/* What a condition or directive does for one component. Returns MM_OK,
 * MM_ERR_CONDITION (a condition that does not hold), MM_ERR_MISSING_FIELD
 * (a parameter it needs is not set; p->failure.detail the label), or an
 * error. */
typedef mm_err (*suit_exec_fn)(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);

/* A command this processor implements: its handler (NULL for flow control,
 * which is the interpreter's own), the shape of its argument (MM_SUIT_K_*)
 * and whether it is a condition. */
typedef struct suit_cmd_def {
    suit_exec_fn fn;
    uint8_t kind;
    bool condition;
} suit_cmd_def;

/* The definition of command id, NULL when this processor does not implement
 * it (unknown, custom, or of a later extension). */
const suit_cmd_def *suit_command(int32_t id);

/* The handler of a condition or directive, NULL when not implemented (flow
 * control is the interpreter's own); *condition (when not NULL) says whether
 * the command is a condition. */
suit_exec_fn suit_handler(int32_t id, bool *condition);

/* Conditions (conditions.c) and directives (directives.c). */
mm_err suit_cond_identity(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_image_match(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_image_not_match(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_slot(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_check_content(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_abort(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_use_before(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_battery(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_authorized(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_cond_version(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_dir_write(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_dir_fetch(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_dir_copy(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_dir_swap(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_dir_invoke(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);
mm_err suit_dir_wait(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp);

/* Fails with MM_ERR_MISSING_FIELD (detail: label) unless the component's
 * parameter is set. */
static inline mm_err suit_need(mm_suit_processor *p, uint32_t comp, int64_t label)
{
    if (suit_param_has(&p->params[comp], label)) {
        return MM_OK;
    }
    p->failure.detail = label;
    return MM_ERR_MISSING_FIELD;
}

/*
 * Components (component.c).
 */

/* The platform's ops (never NULL inside a procedure). */
static inline const mm_suit_platform_ops *suit_ops(const mm_suit_processor *p) { return p->cfg.platform->ops; }
static inline void *suit_user(const mm_suit_processor *p) { return p->cfg.platform->user; }

/* Digest of the component's first len bytes (all of it when has_len is
 * false) with alg into out. *short_read when the component is shorter. */
mm_err suit_component_digest(mm_suit_processor *p, uint32_t comp, int32_t alg, bool has_len, uint64_t len,
                             uint8_t out[MM_HASH_MAX], size_t *out_len, bool *short_read);

/* The component's content in place, when the platform can give it
 * (MM_ERR_UNSUPPORTED otherwise). */
mm_err suit_view(mm_suit_processor *p, uint32_t comp, mm_bytes *content);

/* A writer into component comp's candidate, at most `limit` bytes
 * (UINT64_MAX: no limit). Opened with suit_writer_open(), fed through
 * suit_writer_sink(), ended with suit_writer_close(). */
typedef struct suit_writer {
    mm_suit_processor *p;
    uint32_t comp;
    uint64_t limit;
    uint64_t written;
    mm_err err;
} suit_writer;

mm_err suit_writer_open(suit_writer *w, mm_suit_processor *p, uint32_t comp, int32_t command);
mm_err suit_writer_put(suit_writer *w, mm_bytes chunk);
mm_suit_sink suit_writer_sink(suit_writer *w);
mm_err suit_writer_close(suit_writer *w, mm_err status);

/* Strict order off: refuses an operation that reads a component written
 * earlier in the sequence or writes one read earlier (MM_ERR_UNSUPPORTED). */
mm_err suit_order_check(mm_suit_processor *p, int64_t read_comp, int64_t write_comp);

/*
 * Reports (report.c).
 */
void suit_report_begin(mm_suit_processor *p);
/* A record for ev, as the reporting policy (or MM_SUIT_REPORT_ALL) asks. */
void suit_report_event(mm_suit_processor *p, const mm_suit_event *ev);
/* Ends the report with the result of the call (err) and its reference. */
void suit_report_end(mm_suit_processor *p, mm_err err, mm_bytes input);

#endif /* MM_SUIT_PROCESSOR_H */
