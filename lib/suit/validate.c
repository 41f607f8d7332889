/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The structure check: every command sequence of the manifest is read once,
 * before any command runs, with one decoder walking the nested sequences in
 * document order. Each command must be one this processor implements, with
 * an argument of the right shape; component indices must exist; parameters
 * must be known and valid; nesting and lengths must stay within the limits;
 * the shared sequence may only set parameters and test conditions. What
 * passes here is then interpreted without surprises.
 */
#include "processor.h"

enum { MODE_SHARED = 0x1u, MODE_TOP = 0x2u };

typedef struct vstate {
    mm_suit_processor *p;
    const uint8_t *section; /* the section's body: failure offsets count from here */
    unsigned identity;      /* shared sequence: 1 vendor checked, 2 class checked */
} vstate;

/* Records failure e at `at` (a byte of the section) and stops the walk. */
static mm_err fail_at(vstate *v, mm_cbor_flat *r, mm_err e, mm_suit_reason reason, const uint8_t *at, int32_t cmd,
                      int64_t detail)
{
    mm_cbor_flat_fail(r, e, (size_t)(at - r->base));
    v->p->failure.offset = (uint32_t)(at - v->section);
    v->p->failure.command = cmd;
    return suit_fail(v->p, e, reason, detail);
}

/* The reader's error, recorded as a failure where it happened. */
static mm_err decode_error(vstate *v, mm_cbor_flat *r, int32_t cmd)
{
    size_t off;
    mm_err e = mm_cbor_flat_error(r, &off);
    if (v->p->failure.err == e && v->p->failure.command == cmd) {
        return e; /* already recorded, with its detail */
    }
    v->p->failure.offset = (uint32_t)(r->base + off - v->section);
    v->p->failure.command = cmd;
    int64_t detail = v->p->failure.detail;
    return suit_fail(v->p, e, e == MM_ERR_UNSUPPORTED ? MM_SUIT_REASON_PARAMETER_UNSUPPORTED : suit_reason_for(e),
                     detail);
}

/* Reads the next head, recording a malformation as the failure. */
static inline mm_err next(vstate *v, mm_cbor_flat *r, mm_cbor_head *h, int32_t cmd)
{
    return mm_cbor_flat_next(r, h) == MM_OK ? MM_OK : decode_error(v, r, cmd);
}

/* A component index (its head h, at `at`): in range, or the failure. */
static mm_err check_component(vstate *v, mm_cbor_flat *r, const mm_cbor_head *h, const uint8_t *at, int32_t cmd)
{
    if (h->type != MM_CBOR_UINT) {
        return fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, at, cmd, 0);
    }
    if (h->arg >= v->p->man.n_components) {
        return fail_at(v, r, MM_ERR_CBOR_RANGE, MM_SUIT_REASON_COMPONENT_UNSUPPORTED, at, cmd, (int64_t)h->arg);
    }
    return MM_OK;
}

/* A map or array head with between 1 and max entries. */
static mm_err check_count(vstate *v, mm_cbor_flat *r, const mm_cbor_head *h, const uint8_t *at, mm_cbor_type type,
                          uint64_t max, int32_t cmd)
{
    if (h->type != type) {
        return fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, at, cmd, 0);
    }
    if (h->arg == 0 || h->arg > max) {
        return fail_at(v, r, h->arg == 0 ? MM_ERR_MISSING_FIELD : MM_ERR_TOO_LARGE, MM_SUIT_REASON_CBOR_PARSE, at, cmd,
                       0);
    }
    return MM_OK;
}

/* uint, true, or [+ uint]: indices of components the manifest declares. */
static mm_err check_index(vstate *v, mm_cbor_flat *r, int32_t cmd)
{
    mm_cbor_head h;
    const uint8_t *at = r->pos;
    mm_err e = next(v, r, &h, cmd);
    if (e != MM_OK) {
        return e;
    }
    if (h.type == MM_CBOR_TRUE) {
        return MM_OK;
    }
    if (h.type != MM_CBOR_ARRAY) {
        return check_component(v, r, &h, at, cmd);
    }
    e = check_count(v, r, &h, at, MM_CBOR_ARRAY, MM_SUIT_MAX_COMPONENTS, cmd);
    for (uint64_t i = 0, n = h.arg; i < n && e == MM_OK; i++) {
        at = r->pos;
        e = next(v, r, &h, cmd);
        if (e == MM_OK) {
            e = check_component(v, r, &h, at, cmd);
        }
    }
    return e;
}

/* A parameter map; soft failure may only be set inside try-each or
 * run-sequence (depth > 0). */
static mm_err check_params(vstate *v, mm_cbor_flat *r, int32_t cmd, uint32_t depth)
{
    mm_suit_processor *p = v->p;
    uint64_t given;
    const uint8_t *at = r->pos;
    p->scratch_params.present = 0;
    if (suit_params_read(p, r, &p->scratch_params, &given, true) != MM_OK) {
        mm_err e = decode_error(v, r, cmd);
        if (e == MM_ERR_CBOR_RANGE && p->failure.detail == MM_SUIT_PARAM_SOURCE_COMPONENT) {
            p->failure.reason = MM_SUIT_REASON_COMPONENT_UNSUPPORTED; /* a component index, as for set-index */
        }
        return e;
    }
    if (depth == 0 && suit_param_has(&p->scratch_params, MM_SUIT_PARAM_SOFT_FAILURE)) {
        return fail_at(v, r, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_PARAMETER_UNSUPPORTED, at, cmd,
                       MM_SUIT_PARAM_SOFT_FAILURE);
    }
    return MM_OK;
}

static mm_err check_seq(vstate *v, mm_bytes body, uint32_t depth, unsigned mode);

/* A bstr holding a nested sequence (head h at `at`), checked with the next
 * level's reader. */
static mm_err check_nested(vstate *v, mm_cbor_flat *r, const mm_cbor_head *h, const uint8_t *at, int32_t cmd,
                           uint32_t depth, unsigned mode)
{
    if (h->type != MM_CBOR_BSTR) {
        return fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, at, cmd, 0);
    }
    if (depth + 1 > MM_SUIT_MAX_NESTING) {
        return fail_at(v, r, MM_ERR_NESTING, MM_SUIT_REASON_CBOR_PARSE, at, cmd, MM_SUIT_MAX_NESTING);
    }
    mm_err e = check_seq(v, mm_bytes_make(h->str, (size_t)h->arg), depth + 1, mode & ~(unsigned)MODE_TOP);
    if (e != MM_OK) {
        mm_cbor_flat_fail(r, e, (size_t)(at - r->base)); /* stops this level's walk too */
    }
    return e;
}

/* [2* bstr .cbor sequence, ? nil] */
static mm_err check_try_each(vstate *v, mm_cbor_flat *r, int32_t cmd, uint32_t depth, unsigned mode)
{
    mm_cbor_head arr;
    const uint8_t *arr_at = r->pos;
    mm_err e = next(v, r, &arr, cmd);
    if (e != MM_OK) {
        return e;
    }
    if (arr.type != MM_CBOR_ARRAY) {
        return fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, arr_at, cmd, 0);
    }
    uint64_t sequences = 0;
    for (uint64_t i = 0; i < arr.arg; i++) {
        mm_cbor_head h;
        const uint8_t *at = r->pos;
        e = next(v, r, &h, cmd);
        if (e != MM_OK) {
            return e;
        }
        if (h.type == MM_CBOR_NULL && i + 1 == arr.arg) {
            continue;
        }
        e = check_nested(v, r, &h, at, cmd, depth, mode);
        if (e != MM_OK) {
            return e;
        }
        sequences++;
    }
    return sequences >= 2 ? MM_OK : fail_at(v, r, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_CBOR_PARSE, arr_at, cmd, 0);
}

/* {+ uint => parameters} */
static mm_err check_multiple(vstate *v, mm_cbor_flat *r, int32_t cmd, uint32_t depth)
{
    mm_cbor_head map;
    const uint8_t *at = r->pos;
    mm_err e = next(v, r, &map, cmd);
    if (e != MM_OK) {
        return e;
    }
    e = check_count(v, r, &map, at, MM_CBOR_MAP, UINT32_MAX, cmd);
    for (uint64_t i = 0; i < map.arg && e == MM_OK; i++) {
        mm_cbor_head idx;
        at = r->pos;
        e = next(v, r, &idx, cmd);
        if (e == MM_OK) {
            e = check_component(v, r, &idx, at, cmd);
        }
        if (e == MM_OK) {
            e = check_params(v, r, cmd, depth);
        }
    }
    return e;
}

/* {+ uint => [+ int]}: source components and the parameters to copy. */
static mm_err check_copy_params(vstate *v, mm_cbor_flat *r, int32_t cmd)
{
    mm_cbor_head map;
    const uint8_t *at = r->pos;
    mm_err e = next(v, r, &map, cmd);
    if (e != MM_OK) {
        return e;
    }
    e = check_count(v, r, &map, at, MM_CBOR_MAP, UINT32_MAX, cmd);
    for (uint64_t i = 0; i < map.arg && e == MM_OK; i++) {
        mm_cbor_head h;
        mm_cbor_head list;
        at = r->pos;
        if ((e = next(v, r, &h, cmd)) != MM_OK || (e = check_component(v, r, &h, at, cmd)) != MM_OK) {
            return e;
        }
        at = r->pos;
        if ((e = next(v, r, &list, cmd)) != MM_OK ||
            (e = check_count(v, r, &list, at, MM_CBOR_ARRAY, UINT32_MAX, cmd)) != MM_OK) {
            return e;
        }
        for (uint64_t k = 0; k < list.arg && e == MM_OK; k++) {
            at = r->pos;
            if ((e = next(v, r, &h, cmd)) != MM_OK) {
                return e;
            }
            int64_t label = h.type == MM_CBOR_UINT   ? (int64_t)(h.arg & INT64_MAX)
                            : h.type == MM_CBOR_NINT ? -1 - (int64_t)(h.arg & INT64_MAX)
                                                     : 0;
            /* Processor parameters (soft failure, strict order) are not a
             * component's to copy. */
            if (h.type != MM_CBOR_UINT && h.type != MM_CBOR_NINT) {
                e = fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, at, cmd, 0);
            } else if (suit_param_bit(label) < 0 || label == MM_SUIT_PARAM_SOFT_FAILURE ||
                       label == MM_SUIT_PARAM_STRICT_ORDER) {
                e = fail_at(v, r, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_PARAMETER_UNSUPPORTED, at, cmd, label);
            }
        }
    }
    return e;
}

/* Directives the shared sequence may hold: those that only set parameters
 * or structure the sequence. */
static bool shared_allowed(int32_t id, bool condition)
{
    return condition || id == MM_SUIT_CMD_SET_INDEX || id == MM_SUIT_CMD_OVERRIDE || id == MM_SUIT_CMD_TRY_EACH ||
           id == MM_SUIT_CMD_RUN_SEQUENCE || id == MM_SUIT_CMD_OVERRIDE_MULTIPLE || id == MM_SUIT_CMD_COPY_PARAMS;
}

static mm_err check_command(vstate *v, mm_cbor_flat *r, uint32_t depth, unsigned mode, uint64_t index)
{
    mm_cbor_head h;
    const uint8_t *at = r->pos;
    mm_err e = next(v, r, &h, 0);
    if (e != MM_OK) {
        return e;
    }
    if ((h.type != MM_CBOR_UINT && h.type != MM_CBOR_NINT) || h.arg > INT32_MAX) {
        return fail_at(v, r, h.type == MM_CBOR_UINT || h.type == MM_CBOR_NINT ? MM_ERR_CBOR_RANGE : MM_ERR_CBOR_TYPE,
                       MM_SUIT_REASON_CBOR_PARSE, at, 0, 0);
    }
    int32_t cmd = h.type == MM_CBOR_UINT ? (int32_t)h.arg : -1 - (int32_t)h.arg;
    const suit_cmd_def *def = suit_command(cmd);
    if (def == NULL) {
        /* Unknown, custom (negative), or defined by an extension this
         * processor does not implement: refused before anything runs. */
        return fail_at(v, r, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED, at, cmd, cmd);
    }
    if ((mode & MODE_SHARED) != 0 && !shared_allowed(cmd, def->condition)) {
        return fail_at(v, r, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED, at, cmd, cmd);
    }
    if (index == 0 && (mode & MODE_TOP) != 0 && v->p->man.n_components > 1 && cmd != MM_SUIT_CMD_SET_INDEX &&
        cmd != MM_SUIT_CMD_OVERRIDE_MULTIPLE) {
        /* Section 6.2: with several components every sequence first says
         * which one it is about. */
        return fail_at(v, r, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_COMPONENT_UNSUPPORTED, at, cmd,
                       MM_SUIT_CMD_SET_INDEX);
    }
    if ((mode & MODE_SHARED) != 0 && depth == 0) {
        v->identity |= cmd == MM_SUIT_CMD_VENDOR_ID ? 1u : cmd == MM_SUIT_CMD_CLASS_ID ? 2u : 0u;
    }
    switch (def->kind) {
    case MM_SUIT_K_POLICY: {
        at = r->pos;
        e = next(v, r, &h, cmd);
        if (e != MM_OK) {
            return e;
        }
        return h.type == MM_CBOR_UINT ? MM_OK : fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, at, cmd, 0);
    }
    case MM_SUIT_K_INDEX:
        return check_index(v, r, cmd);
    case MM_SUIT_K_PARAMS:
        return check_params(v, r, cmd, depth);
    case MM_SUIT_K_TRY_EACH:
        return check_try_each(v, r, cmd, depth, mode);
    case MM_SUIT_K_SEQUENCE: {
        at = r->pos;
        e = next(v, r, &h, cmd);
        if (e != MM_OK) {
            return e;
        }
        return check_nested(v, r, &h, at, cmd, depth, mode);
    }
    case MM_SUIT_K_MULTIPLE:
        return check_multiple(v, r, cmd, depth);
    case MM_SUIT_K_COPY_PARAMS:
        return check_copy_params(v, r, cmd);
    default:
        return fail_at(v, r, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_COMMAND_UNSUPPORTED, at, cmd, cmd);
    }
}

/* [+ (command, argument)]: the whole of body, with the reader of its
 * nesting level (each level keeps its place while the next one is read). */
static mm_err check_seq(vstate *v, mm_bytes body, uint32_t depth, unsigned mode)
{
    mm_cbor_flat *r = &v->p->seq[depth];
    mm_cbor_head arr;
    suit_flat_init(r, body);
    mm_err e = next(v, r, &arr, 0);
    if (e != MM_OK) {
        return e;
    }
    if (arr.type != MM_CBOR_ARRAY) {
        return fail_at(v, r, MM_ERR_CBOR_TYPE, MM_SUIT_REASON_CBOR_PARSE, body.ptr, 0, 0);
    }
    if (arr.arg == 0 || arr.arg % 2 != 0) {
        return fail_at(v, r, arr.arg == 0 ? MM_ERR_MISSING_FIELD : MM_ERR_TRUNCATED, MM_SUIT_REASON_CBOR_PARSE,
                       body.ptr, 0, 0);
    }
    if (arr.arg / 2 > MM_SUIT_MAX_COMMANDS) {
        return fail_at(v, r, MM_ERR_TOO_LARGE, MM_SUIT_REASON_CBOR_PARSE, body.ptr, 0, MM_SUIT_MAX_COMMANDS);
    }
    for (uint64_t i = 0; i < arr.arg / 2; i++) {
        e = check_command(v, r, depth, mode, i);
        if (e != MM_OK) {
            return e;
        }
    }
    return mm_cbor_flat_finish(r) == MM_OK ? MM_OK : decode_error(v, r, 0);
}

static mm_err check_section(vstate *v, int32_t section, mm_bytes body, unsigned mode)
{
    mm_suit_processor *p = v->p;
    p->failure.section = section;
    p->failure.offset = 0;
    p->failure.command = 0;
    v->section = body.ptr;
    return check_seq(v, body, 0, mode | MODE_TOP);
}

/* The members that hold command sequences the procedures run. suit-uninstall
 * is kept but neither run nor checked: it belongs to trust domains. */
static const mm_suit_member_index sequences[] = {
    MM_SUIT_M_DEPENDENCY_RESOLUTION,
    MM_SUIT_M_PAYLOAD_FETCH,
    MM_SUIT_M_CANDIDATE_VERIFICATION,
    MM_SUIT_M_INSTALL,
    MM_SUIT_M_VALIDATE,
    MM_SUIT_M_LOAD,
    MM_SUIT_M_INVOKE,
};

mm_err suit_validate_sequences(mm_suit_processor *p)
{
    vstate v = {p, NULL, 0};
    mm_err e = MM_OK;
    if (p->man.has_shared) {
        e = check_section(&v, MM_SUIT_SECTION_COMMON, p->man.shared, MODE_SHARED);
    }
    if (e == MM_OK && (p->cfg.flags & MM_SUIT_REQUIRE_IDENTITY) != 0 && v.identity != 3u) {
        p->failure.section = MM_SUIT_SECTION_COMMON;
        e = suit_fail(p, MM_ERR_MISSING_FIELD, MM_SUIT_REASON_CONDITION_FAILED,
                      (v.identity & 1u) == 0 ? MM_SUIT_CMD_VENDOR_ID : MM_SUIT_CMD_CLASS_ID);
    }
    for (size_t i = 0; e == MM_OK && i < sizeof sequences / sizeof sequences[0]; i++) {
        const mm_suit_member *m = &p->man.members[sequences[i]];
        if (m->state == MM_SUIT_INLINE || m->state == MM_SUIT_RESTORED) {
            e = check_section(&v, mm_suit_member_key(sequences[i]), m->body, 0);
        }
    }
    if (e == MM_OK) {
        const mm_suit_member *text = &p->man.members[MM_SUIT_M_TEXT];
        if (text->state == MM_SUIT_INLINE || text->state == MM_SUIT_RESTORED) {
            p->failure.section = MM_SUIT_SECTION_TEXT;
            e = suit_text_validate(p, text->body);
        }
    }
    if (e == MM_OK) {
        const mm_suit_member *coswid = &p->man.members[MM_SUIT_M_COSWID];
        if (coswid->state == MM_SUIT_INLINE || coswid->state == MM_SUIT_RESTORED) {
            size_t off = 0;
            /* A CoSWID is carried, not interpreted: it must be one item. */
            e = mm_cbor_check(coswid->body, 0, &off);
            if (e != MM_OK) {
                p->failure.section = MM_SUIT_SECTION_COSWID;
                p->failure.offset = (uint32_t)off;
                e = suit_fail(p, e, MM_SUIT_REASON_CBOR_PARSE, MM_SUIT_SECTION_COSWID);
            }
        }
    }
    if (e == MM_OK) {
        p->failure.section = 0;
        p->failure.offset = 0;
        p->failure.command = 0;
    }
    return e;
}
