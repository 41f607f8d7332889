/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The interpreter: the abstract machine of the manifest, section 6.4.
 *
 * A command sequence is read in place, once, by the flat reader of its
 * nesting level (p->seq[depth]): each command's code, then its argument,
 * straight from the sequence's bytes. The structure check has already read
 * every sequence and checked every value, so here values are only located,
 * a head at a time on the reader's inline path. A nested sequence
 * (try-each, run-sequence) runs on the next level's reader; nothing but a
 * few locals is on the C stack per level, and the depth is bounded by
 * MM_SUIT_MAX_NESTING (checked before anything ran).
 *
 * Failures travel as MM_ERR_CONDITION (a condition failed: each enclosing
 * sequence whose soft-failure flag is set stops quietly, the others pass it
 * on) or as any other error (a directive failed, a limit, the platform:
 * everything stops). Every command's outcome is told to the platform and the
 * report, for each component it ran for.
 */
#include "processor.h"

/* Flags a sequence runs with. */
enum {
    RUN_NO_SET_INDEX = 0x1u, /* run-sequence entered with strict order off (section 6.6) */
};

static mm_err run_seq(mm_suit_processor *p, mm_bytes body, uint32_t depth, bool soft, unsigned flags, bool *stopped);

/*
 * Every command this processor implements, indexed by command code: the
 * handler of a condition or directive (flow control is the interpreter's
 * own), the shape of its argument (MM_SUIT_K_*) and whether it is a
 * condition, as the name table says too (the unit tests hold the two
 * together). A code without an entry is refused by the structure check.
 */
static const suit_cmd_def defs[] = {
    [MM_SUIT_CMD_VENDOR_ID] = {suit_cond_identity, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_CLASS_ID] = {suit_cond_identity, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_IMAGE_MATCH] = {suit_cond_image_match, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_USE_BEFORE] = {suit_cond_use_before, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_COMPONENT_SLOT] = {suit_cond_slot, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_CHECK_CONTENT] = {suit_cond_check_content, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_SET_INDEX] = {NULL, MM_SUIT_K_INDEX, false},
    [MM_SUIT_CMD_ABORT] = {suit_cond_abort, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_TRY_EACH] = {NULL, MM_SUIT_K_TRY_EACH, false},
    [MM_SUIT_CMD_WRITE] = {suit_dir_write, MM_SUIT_K_POLICY, false},
    [MM_SUIT_CMD_OVERRIDE] = {NULL, MM_SUIT_K_PARAMS, false},
    [MM_SUIT_CMD_FETCH] = {suit_dir_fetch, MM_SUIT_K_POLICY, false},
    [MM_SUIT_CMD_COPY] = {suit_dir_copy, MM_SUIT_K_POLICY, false},
    [MM_SUIT_CMD_INVOKE] = {suit_dir_invoke, MM_SUIT_K_POLICY, false},
    [MM_SUIT_CMD_DEVICE_ID] = {suit_cond_identity, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_IMAGE_NOT_MATCH] = {suit_cond_image_not_match, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_MINIMUM_BATTERY] = {suit_cond_battery, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_UPDATE_AUTHORIZED] = {suit_cond_authorized, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_VERSION] = {suit_cond_version, MM_SUIT_K_POLICY, true},
    [MM_SUIT_CMD_WAIT] = {suit_dir_wait, MM_SUIT_K_POLICY, false},
    [MM_SUIT_CMD_SWAP] = {suit_dir_swap, MM_SUIT_K_POLICY, false},
    [MM_SUIT_CMD_RUN_SEQUENCE] = {NULL, MM_SUIT_K_SEQUENCE, false},
    [MM_SUIT_CMD_OVERRIDE_MULTIPLE] = {NULL, MM_SUIT_K_MULTIPLE, false},
    [MM_SUIT_CMD_COPY_PARAMS] = {NULL, MM_SUIT_K_COPY_PARAMS, false},
};

const suit_cmd_def *suit_command(int32_t id)
{
    return id >= 0 && (size_t)id < sizeof defs / sizeof defs[0] && defs[id].kind != 0 ? &defs[id] : NULL;
}

suit_exec_fn suit_handler(int32_t id, bool *condition)
{
    const suit_cmd_def *d = suit_command(id);
    if (condition != NULL) {
        *condition = d != NULL && d->condition;
    }
    return d != NULL ? d->fn : NULL;
}

/*
 * Events and failures.
 */
static uint32_t offset_of(const mm_suit_processor *p, const suit_cmd *cmd)
{
    return (uint32_t)(cmd->at - p->section_base);
}

static void emit(mm_suit_processor *p, const suit_cmd *cmd, uint32_t depth, uint32_t comp, mm_err result, bool soft)
{
    mm_suit_event ev = {p->section, offset_of(p, cmd), depth, cmd->id, comp, cmd->policy, result, soft};
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->record != NULL) {
        ops->record(suit_user(p), &ev);
    }
    suit_report_event(p, &ev);
}

/* Notes where a command failed. */
static void note(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp, mm_err err, int64_t detail)
{
    mm_suit_reason r;
    if (err == MM_ERR_CONDITION || (cmd->condition && err == MM_ERR_MISSING_FIELD)) {
        r = MM_SUIT_REASON_CONDITION_FAILED;
    } else if (err == MM_ERR_VERIFY) {
        r = MM_SUIT_REASON_COMPONENT_UNAUTHORISED;
    } else if (err == MM_ERR_UNSUPPORTED && cmd->id != MM_SUIT_CMD_FETCH) {
        r = MM_SUIT_REASON_COMMAND_UNSUPPORTED; /* fetch: the URI's scheme, an operation that failed */
    } else if (mm_err_class(err) == 1 && err != MM_ERR_MISSING_FIELD) {
        r = MM_SUIT_REASON_CBOR_PARSE;
    } else {
        r = MM_SUIT_REASON_OPERATION_FAILED;
    }
    p->failure.section = p->section;
    p->failure.offset = offset_of(p, cmd);
    p->failure.component = comp;
    p->failure.command = cmd->id;
    suit_fail(p, err, r, detail);
}

/*
 * Components selected by set-component-index.
 */
static uint32_t sel_count(const mm_suit_processor *p) { return p->sel.all ? p->man.n_components : p->sel.n; }

static uint32_t sel_at(const mm_suit_processor *p, uint32_t i) { return p->sel.all ? i : p->sel.list[i]; }

static void sel_one(mm_suit_processor *p, uint32_t comp)
{
    p->sel.all = false;
    p->sel.n = 1;
    p->sel.list[0] = (uint8_t)comp;
}

/* uint, true or [+ uint] (checked: indices in range, at most
 * MM_SUIT_MAX_COMPONENTS of them). */
static mm_err set_index(mm_suit_processor *p, mm_cbor_flat *r)
{
    mm_cbor_head h;
    if (mm_cbor_flat_next(r, &h) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    if (h.type == MM_CBOR_TRUE) {
        p->sel.all = true;
        p->sel.n = 0;
        return MM_OK;
    }
    if (h.type == MM_CBOR_UINT) {
        sel_one(p, (uint32_t)h.arg);
        return MM_OK;
    }
    p->sel.all = false;
    p->sel.n = (uint8_t)h.arg;
    for (uint32_t i = 0; i < p->sel.n; i++) {
        if (mm_cbor_flat_next(r, &h) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        p->sel.list[i] = (uint8_t)h.arg;
    }
    return MM_OK;
}

/*
 * Parameters.
 */

/* Strict order and soft failure are the processor's, not a component's:
 * taken out of what an override gave the component. */
static void take_processor_params(mm_suit_processor *p, mm_suit_params *pr, uint64_t given, bool *soft)
{
    int sb = suit_param_bit(MM_SUIT_PARAM_SOFT_FAILURE);
    int ob = suit_param_bit(MM_SUIT_PARAM_STRICT_ORDER);
    if ((given & ((uint64_t)1 << sb)) != 0) {
        *soft = pr->soft_failure;
    }
    if ((given & ((uint64_t)1 << ob)) != 0) {
        p->strict_order = pr->strict_order;
    }
    pr->present &= ~(((uint64_t)1 << sb) | ((uint64_t)1 << ob));
}

/* override-parameters: read once, then set for every selected component. */
static mm_err override(mm_suit_processor *p, mm_cbor_flat *r, const suit_cmd *cmd, uint32_t depth, bool *soft)
{
    uint32_t n = sel_count(p);
    mm_suit_params *into = n == 1 ? &p->params[sel_at(p, 0)] : &p->scratch_params;
    uint64_t given = 0;
    if (n != 1) {
        p->scratch_params.present = 0;
    }
    if (suit_params_read(p, r, into, &given, false) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    take_processor_params(p, into, given, soft);
    given &= into->present;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t comp = sel_at(p, i);
        for (int bit = 0; n != 1 && given >> bit != 0; bit++) {
            if ((given & ((uint64_t)1 << bit)) != 0) {
                suit_param_copy(&p->params[comp], &p->scratch_params, bit);
            }
        }
        emit(p, cmd, depth, comp, MM_OK, false);
    }
    return MM_OK;
}

/* {+ index => parameters}; leaves the last index selected. */
static mm_err override_multiple(mm_suit_processor *p, mm_cbor_flat *r, const suit_cmd *cmd, uint32_t depth, bool *soft)
{
    mm_cbor_head map;
    mm_cbor_head idx = {MM_CBOR_UINT, 0, NULL};
    if (mm_cbor_flat_next(r, &map) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    for (uint64_t i = 0; i < map.arg; i++) {
        uint64_t given;
        if (mm_cbor_flat_next(r, &idx) != MM_OK ||
            suit_params_read(p, r, &p->params[idx.arg], &given, false) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        take_processor_params(p, &p->params[idx.arg], given, soft);
        emit(p, cmd, depth, (uint32_t)idx.arg, MM_OK, false);
    }
    sel_one(p, (uint32_t)idx.arg);
    return MM_OK;
}

/* {+ source index => [+ label]} into each selected component. The argument
 * is read again per component. */
static mm_err copy_params(mm_suit_processor *p, mm_bytes arg, uint32_t comp)
{
    mm_cbor_flat r;
    mm_cbor_head map;
    suit_flat_init(&r, arg);
    if (mm_cbor_flat_next(&r, &map) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    for (uint64_t i = 0; i < map.arg; i++) {
        mm_cbor_head src;
        mm_cbor_head list;
        if (mm_cbor_flat_next(&r, &src) != MM_OK || mm_cbor_flat_next(&r, &list) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        for (uint64_t k = 0; k < list.arg; k++) {
            mm_cbor_head label;
            if (mm_cbor_flat_next(&r, &label) != MM_OK) {
                return MM_ERR_TRUNCATED;
            }
            if (src.arg != comp) {
                int64_t l = label.type == MM_CBOR_UINT ? (int64_t)label.arg : -1 - (int64_t)label.arg;
                suit_param_copy(&p->params[comp], &p->params[src.arg], suit_param_bit(l));
            }
        }
    }
    return MM_OK;
}

/*
 * Nested sequences.
 */

/* run-sequence for one component. */
static mm_err run_sequence(mm_suit_processor *p, mm_bytes body, uint32_t depth)
{
    /* Strict order off: the nested sequence runs strictly ordered, and may
     * not choose its component (section 6.6). */
    bool strict = p->strict_order;
    p->strict_order = true;
    bool stopped;
    mm_err e = run_seq(p, body, depth + 1, false, strict ? 0u : RUN_NO_SET_INDEX, &stopped);
    p->strict_order = strict;
    return e;
}

/* Branch i of a try-each argument (a bstr, or null: *is_null). The array is
 * scanned again for each branch. */
static mm_err branch(mm_bytes arg, size_t i, mm_bytes *body, bool *is_null)
{
    mm_cbor_flat r;
    mm_cbor_head h;
    suit_flat_init(&r, arg);
    if (mm_cbor_flat_next(&r, &h) != MM_OK || i >= h.arg) {
        return MM_ERR_TRUNCATED;
    }
    for (size_t k = 0; k <= i; k++) {
        if (mm_cbor_flat_next(&r, &h) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
    }
    *is_null = h.type == MM_CBOR_NULL;
    *body = h.type == MM_CBOR_BSTR ? mm_bytes_make(h.str, (size_t)h.arg) : mm_bytes_make(NULL, 0);
    return MM_OK;
}

/* try-each for one component: the first branch that completes wins. */
static mm_err try_each(mm_suit_processor *p, const suit_cmd *cmd, mm_bytes arg, size_t n, uint32_t comp, uint32_t depth)
{
    for (size_t i = 0; i < n; i++) {
        mm_bytes body;
        bool is_null;
        if (branch(arg, i, &body, &is_null) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        if (is_null) {
            return MM_OK; /* an empty sequence: "continue regardless" */
        }
        /* Each branch starts on the component, with soft failure on. */
        sel_one(p, comp);
        bool stopped;
        mm_err e = run_seq(p, body, depth + 1, true, 0, &stopped);
        if (e != MM_OK || !stopped) {
            return e; /* completed, or a failure soft failure did not absorb */
        }
    }
    /* Every branch failed: the try-each is where the report points. */
    note(p, cmd, comp, MM_ERR_CONDITION, (int64_t)n);
    return MM_ERR_CONDITION;
}

/* The argument of a try-each, whole ([+ bstr, ? null]), and its number of
 * branches. */
static mm_err try_each_arg(mm_cbor_flat *r, mm_bytes *arg, size_t *n)
{
    const uint8_t *at = r->pos;
    mm_cbor_head h;
    if (mm_cbor_flat_next(r, &h) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    *n = (size_t)h.arg;
    for (size_t i = 0; i < *n; i++) {
        mm_cbor_head b;
        if (mm_cbor_flat_next(r, &b) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
    }
    *arg = mm_bytes_make(at, (size_t)(r->pos - at));
    return MM_OK;
}

/* A nested command (run-sequence, try-each, copy-params) for every selected
 * component in turn, each seeing that component as its index; the selection
 * is restored afterwards. */
static mm_err per_component(mm_suit_processor *p, mm_cbor_flat *r, const suit_cmd *cmd, uint32_t depth)
{
    mm_bytes arg = {NULL, 0};
    size_t branches = 0;
    mm_err e = MM_OK;
    if (cmd->id == MM_SUIT_CMD_RUN_SEQUENCE) {
        mm_cbor_head h;
        e = mm_cbor_flat_next(r, &h) == MM_OK && h.type == MM_CBOR_BSTR ? MM_OK : MM_ERR_TRUNCATED;
        if (e == MM_OK) {
            arg = mm_bytes_make(h.str, (size_t)h.arg);
        }
    } else if (cmd->id == MM_SUIT_CMD_TRY_EACH) {
        e = try_each_arg(r, &arg, &branches);
    } else {
        const uint8_t *at = r->pos;
        e = mm_cbor_flat_skip(r, 0, SUIT_DEC_DEPTH) == MM_OK ? MM_OK : MM_ERR_TRUNCATED;
        arg = mm_bytes_make(at, (size_t)(r->pos - at));
    }
    mm_suit_selection saved = p->sel;
    uint32_t n = sel_count(p);
    for (uint32_t i = 0; i < n && e == MM_OK; i++) {
        uint32_t comp = saved.all ? i : saved.list[i];
        sel_one(p, comp);
        switch (cmd->id) {
        case MM_SUIT_CMD_RUN_SEQUENCE:
            e = run_sequence(p, arg, depth);
            break;
        case MM_SUIT_CMD_TRY_EACH:
            e = try_each(p, cmd, arg, branches, comp, depth);
            break;
        default:
            e = copy_params(p, arg, comp);
            break;
        }
        emit(p, cmd, depth, comp, e, false);
    }
    p->sel = saved;
    return e;
}

/* A condition or directive for every selected component. */
static mm_err act(mm_suit_processor *p, mm_cbor_flat *r, suit_cmd *cmd, suit_exec_fn fn, uint32_t depth,
                  const bool *soft)
{
    mm_cbor_head h;
    if (mm_cbor_flat_next(r, &h) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    cmd->policy = h.arg;
    mm_err e = MM_OK;
    uint32_t n = sel_count(p);
    for (uint32_t i = 0; i < n && e == MM_OK; i++) {
        uint32_t comp = sel_at(p, i);
        p->failure.detail = 0;
        e = fn != NULL ? fn(p, cmd, comp) : MM_ERR_UNSUPPORTED;
        if (e != MM_OK) {
            note(p, cmd, comp, e, p->failure.detail);
        }
        if (cmd->condition && e == MM_ERR_MISSING_FIELD) {
            e = MM_ERR_CONDITION; /* a condition without its parameter fails */
        }
        emit(p, cmd, depth, comp, e, e == MM_ERR_CONDITION && *soft);
    }
    return e;
}

static mm_err exec(mm_suit_processor *p, mm_cbor_flat *r, suit_cmd *cmd, suit_exec_fn fn, uint32_t depth,
                   unsigned flags, bool *soft)
{
    switch (cmd->id) {
    case MM_SUIT_CMD_SET_INDEX: {
        mm_err e = MM_OK;
        if ((flags & RUN_NO_SET_INDEX) != 0) {
            e = MM_ERR_UNSUPPORTED;
            note(p, cmd, sel_at(p, 0), e, MM_SUIT_PARAM_STRICT_ORDER);
        } else {
            e = set_index(p, r);
        }
        emit(p, cmd, depth, sel_count(p) != 0 ? sel_at(p, 0) : 0, e, false);
        return e;
    }
    case MM_SUIT_CMD_OVERRIDE:
        return override(p, r, cmd, depth, soft);
    case MM_SUIT_CMD_OVERRIDE_MULTIPLE:
        return override_multiple(p, r, cmd, depth, soft);
    case MM_SUIT_CMD_RUN_SEQUENCE:
    case MM_SUIT_CMD_TRY_EACH:
    case MM_SUIT_CMD_COPY_PARAMS:
        return per_component(p, r, cmd, depth);
    default:
        return act(p, r, cmd, fn, depth, soft);
    }
}

static mm_err run_seq(mm_suit_processor *p, mm_bytes body, uint32_t depth, bool soft, unsigned flags, bool *stopped)
{
    mm_cbor_flat *r = &p->seq[depth];
    mm_cbor_head arr;
    *stopped = false;
    suit_flat_init(r, body);
    if (mm_cbor_flat_next(r, &arr) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    for (uint64_t i = 0; i < arr.arg / 2; i++) {
        suit_cmd cmd;
        mm_cbor_head h;
        cmd.at = r->pos;
        if (mm_cbor_flat_next(r, &h) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        cmd.id = h.type == MM_CBOR_UINT ? (int32_t)h.arg : -1 - (int32_t)h.arg;
        cmd.policy = 0;
        const suit_cmd_def *def = suit_command(cmd.id);
        if (def == NULL) {
            return MM_ERR_TRUNCATED; /* cannot happen after the structure check */
        }
        cmd.condition = def->condition;
        if (++p->steps > MM_SUIT_MAX_STEPS) {
            note(p, &cmd, 0, MM_ERR_TOO_LARGE, MM_SUIT_MAX_STEPS);
            return MM_ERR_TOO_LARGE;
        }
        mm_err e = exec(p, r, &cmd, def->fn, depth, flags, &soft);
        if (e == MM_ERR_CONDITION && soft) {
            *stopped = true; /* soft failure: this sequence ends, quietly */
            return MM_OK;
        }
        if (e != MM_OK) {
            return e;
        }
    }
    return MM_OK;
}

/* One sequence at the top of a section: fresh per-sequence state. */
static mm_err run_top(mm_suit_processor *p, int32_t section, mm_bytes body)
{
    p->section = section;
    p->section_base = body.ptr;
    p->strict_order = true;
    p->order_reads = 0;
    p->order_writes = 0;
    sel_one(p, 0);
    bool stopped;
    return run_seq(p, body, 0, false, 0, &stopped);
}

mm_err suit_run_section(mm_suit_processor *p, int32_t section, mm_bytes body)
{
    mm_err e = MM_OK;
    if (p->man.has_shared) {
        e = run_top(p, MM_SUIT_SECTION_COMMON, p->man.shared);
    }
    if (e == MM_OK) {
        e = run_top(p, section, body);
    }
    if (e == MM_ERR_TRUNCATED && p->failure.err == MM_OK) {
        p->failure.section = p->section;
        suit_fail(p, e, MM_SUIT_REASON_CBOR_PARSE, 0);
    }
    return e;
}
