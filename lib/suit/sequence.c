/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The interpreter: the abstract machine of the manifest, section 6.4.
 *
 * A command sequence is read in place, once, by the decoder of its nesting
 * level (p->seq[depth]): each command's code, then its argument, straight
 * from the sequence's bytes. The structure check has already read every
 * sequence with the full table-driven engine, so here values are only
 * located, on the decoder's inline fast path. A nested sequence
 * (try-each, run-sequence) runs on the next level's decoder; nothing but a
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
 * The conditions and directives, indexed by command code: the handler and
 * whether it is a condition (as the name table says too; the unit tests
 * hold the two together).
 */
typedef struct suit_cmd_def {
    suit_exec_fn fn;
    bool condition;
} suit_cmd_def;

static const suit_cmd_def defs[] = {
    [MM_SUIT_CMD_VENDOR_ID] = {suit_cond_identity, true},
    [MM_SUIT_CMD_CLASS_ID] = {suit_cond_identity, true},
    [MM_SUIT_CMD_IMAGE_MATCH] = {suit_cond_image_match, true},
    [MM_SUIT_CMD_USE_BEFORE] = {suit_cond_use_before, true},
    [MM_SUIT_CMD_COMPONENT_SLOT] = {suit_cond_slot, true},
    [MM_SUIT_CMD_CHECK_CONTENT] = {suit_cond_check_content, true},
    [MM_SUIT_CMD_ABORT] = {suit_cond_abort, true},
    [MM_SUIT_CMD_WRITE] = {suit_dir_write, false},
    [MM_SUIT_CMD_FETCH] = {suit_dir_fetch, false},
    [MM_SUIT_CMD_COPY] = {suit_dir_copy, false},
    [MM_SUIT_CMD_INVOKE] = {suit_dir_invoke, false},
    [MM_SUIT_CMD_DEVICE_ID] = {suit_cond_identity, true},
    [MM_SUIT_CMD_IMAGE_NOT_MATCH] = {suit_cond_image_not_match, true},
    [MM_SUIT_CMD_MINIMUM_BATTERY] = {suit_cond_battery, true},
    [MM_SUIT_CMD_UPDATE_AUTHORIZED] = {suit_cond_authorized, true},
    [MM_SUIT_CMD_VERSION] = {suit_cond_version, true},
    [MM_SUIT_CMD_WAIT] = {suit_dir_wait, false},
    [MM_SUIT_CMD_SWAP] = {suit_dir_swap, false},
};

static const suit_cmd_def *def_of(int32_t id)
{
    return id >= 0 && (size_t)id < sizeof defs / sizeof defs[0] && defs[id].fn != NULL ? &defs[id] : NULL;
}

suit_exec_fn suit_handler(int32_t id, bool *condition)
{
    const suit_cmd_def *d = def_of(id);
    if (condition != NULL) {
        *condition = d != NULL && d->condition;
    }
    return d != NULL ? d->fn : NULL;
}

mm_err suit_need(mm_suit_processor *p, uint32_t comp, int64_t label)
{
    if (suit_param_has(&p->params[comp], label)) {
        return MM_OK;
    }
    p->failure.detail = label;
    return MM_ERR_MISSING_FIELD;
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
static mm_err set_index(mm_suit_processor *p, mm_cbor_dec *d)
{
    mm_cbor_item it;
    if (mm_cbor_next(d, &it) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    if (it.type == MM_CBOR_TRUE) {
        p->sel.all = true;
        p->sel.n = 0;
        return MM_OK;
    }
    if (it.type == MM_CBOR_UINT) {
        sel_one(p, (uint32_t)it.arg);
        return MM_OK;
    }
    p->sel.all = false;
    p->sel.n = (uint8_t)it.arg;
    for (uint32_t i = 0; i < p->sel.n; i++) {
        if (mm_cbor_next(d, &it) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        p->sel.list[i] = (uint8_t)it.arg;
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
static mm_err override(mm_suit_processor *p, mm_cbor_dec *d, const suit_cmd *cmd, uint32_t depth, bool *soft)
{
    uint32_t n = sel_count(p);
    mm_suit_params *into = n == 1 ? &p->params[sel_at(p, 0)] : &p->scratch_params;
    uint64_t given = 0;
    if (n != 1) {
        p->scratch_params.present = 0;
    }
    if (suit_params_read(p, d, into, &given, false) != MM_OK) {
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
static mm_err override_multiple(mm_suit_processor *p, mm_cbor_dec *d, const suit_cmd *cmd, uint32_t depth, bool *soft)
{
    mm_cbor_item map;
    mm_cbor_item idx = {0};
    if (mm_cbor_next(d, &map) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    for (uint64_t i = 0; i < map.arg; i++) {
        uint64_t given;
        if (mm_cbor_next(d, &idx) != MM_OK || suit_params_read(p, d, &p->params[idx.arg], &given, false) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        take_processor_params(p, &p->params[idx.arg], given, soft);
        emit(p, cmd, depth, (uint32_t)idx.arg, MM_OK, false);
    }
    sel_one(p, (uint32_t)idx.arg);
    return MM_OK;
}

/* {+ source index => [+ label]} into each selected component. The argument
 * is read again per component, with the scratch decoder. */
static mm_err copy_params(mm_suit_processor *p, mm_bytes arg, uint32_t comp)
{
    mm_cbor_dec *d = &p->dec;
    size_t n;
    if (suit_dec_init(d, arg, SUIT_SEQ_FLAGS) != MM_OK || mm_cbor_enter_map(d, &n) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t src;
        size_t count;
        if (mm_cbor_get_uint(d, &src) != MM_OK || mm_cbor_enter_array(d, &count) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        for (size_t k = 0; k < count; k++) {
            int64_t label;
            if (mm_cbor_get_int(d, INT64_MIN, INT64_MAX, &label) != MM_OK) {
                return MM_ERR_TRUNCATED;
            }
            if (src != comp) {
                suit_param_copy(&p->params[comp], &p->params[src], suit_param_bit(label));
            }
        }
        if (mm_cbor_exit(d) != MM_OK) {
            return MM_ERR_TRUNCATED;
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
 * scanned again for each branch with the scratch decoder, which the
 * branches themselves use too. */
static mm_err branch(mm_suit_processor *p, mm_bytes arg, size_t i, mm_bytes *body, bool *is_null)
{
    mm_cbor_dec *d = &p->dec;
    size_t n;
    mm_cbor_item it;
    if (suit_dec_init(d, arg, SUIT_SEQ_FLAGS) != MM_OK || mm_cbor_enter_array(d, &n) != MM_OK || i >= n) {
        return MM_ERR_TRUNCATED;
    }
    for (size_t k = 0; k <= i; k++) {
        if (mm_cbor_next(d, &it) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
    }
    *is_null = it.type == MM_CBOR_NULL;
    *body = it.str;
    return MM_OK;
}

/* try-each for one component: the first branch that completes wins. */
static mm_err try_each(mm_suit_processor *p, const suit_cmd *cmd, mm_bytes arg, size_t n, uint32_t comp, uint32_t depth)
{
    for (size_t i = 0; i < n; i++) {
        mm_bytes body;
        bool is_null;
        if (branch(p, arg, i, &body, &is_null) != MM_OK) {
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

/* The argument of a try-each, whole, and its number of branches. */
static mm_err try_each_arg(mm_cbor_dec *d, mm_bytes *arg, size_t *n)
{
    mm_cbor_item it;
    if (mm_cbor_peek(d, &it) != MM_OK || mm_cbor_get_raw(d, arg) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    *n = (size_t)it.arg;
    return MM_OK;
}

/* A nested command (run-sequence, try-each, copy-params) for every selected
 * component in turn, each seeing that component as its index; the selection
 * is restored afterwards. */
static mm_err per_component(mm_suit_processor *p, mm_cbor_dec *d, const suit_cmd *cmd, uint32_t depth)
{
    mm_bytes arg;
    size_t branches = 0;
    mm_err e = MM_OK;
    if (cmd->id == MM_SUIT_CMD_RUN_SEQUENCE) {
        mm_cbor_item it;
        e = mm_cbor_next(d, &it) == MM_OK ? MM_OK : MM_ERR_TRUNCATED;
        arg = it.str;
    } else if (cmd->id == MM_SUIT_CMD_TRY_EACH) {
        e = try_each_arg(d, &arg, &branches);
    } else {
        e = mm_cbor_get_raw(d, &arg) == MM_OK ? MM_OK : MM_ERR_TRUNCATED;
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
static mm_err act(mm_suit_processor *p, mm_cbor_dec *d, suit_cmd *cmd, uint32_t depth, const bool *soft)
{
    mm_cbor_item it;
    if (mm_cbor_next(d, &it) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    cmd->policy = it.arg;
    suit_exec_fn fn = suit_handler(cmd->id, NULL);
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

static mm_err exec(mm_suit_processor *p, mm_cbor_dec *d, suit_cmd *cmd, uint32_t depth, unsigned flags, bool *soft)
{
    switch (cmd->id) {
    case MM_SUIT_CMD_SET_INDEX: {
        mm_err e = MM_OK;
        if ((flags & RUN_NO_SET_INDEX) != 0) {
            e = MM_ERR_UNSUPPORTED;
            note(p, cmd, sel_at(p, 0), e, MM_SUIT_PARAM_STRICT_ORDER);
        } else {
            e = set_index(p, d);
        }
        emit(p, cmd, depth, sel_count(p) != 0 ? sel_at(p, 0) : 0, e, false);
        return e;
    }
    case MM_SUIT_CMD_OVERRIDE:
        return override(p, d, cmd, depth, soft);
    case MM_SUIT_CMD_OVERRIDE_MULTIPLE:
        return override_multiple(p, d, cmd, depth, soft);
    case MM_SUIT_CMD_RUN_SEQUENCE:
    case MM_SUIT_CMD_TRY_EACH:
    case MM_SUIT_CMD_COPY_PARAMS:
        return per_component(p, d, cmd, depth);
    default:
        return act(p, d, cmd, depth, soft);
    }
}

static mm_err run_seq(mm_suit_processor *p, mm_bytes body, uint32_t depth, bool soft, unsigned flags, bool *stopped)
{
    mm_cbor_dec *d = &p->seq[depth];
    mm_cbor_item arr;
    *stopped = false;
    if (suit_dec_init(d, body, SUIT_SEQ_FLAGS) != MM_OK || mm_cbor_next(d, &arr) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    for (uint64_t i = 0; i < arr.arg / 2; i++) {
        suit_cmd cmd;
        mm_cbor_item it;
        cmd.at = d->pos;
        if (mm_cbor_next(d, &it) != MM_OK) {
            return MM_ERR_TRUNCATED;
        }
        cmd.id = it.type == MM_CBOR_UINT ? (int32_t)it.arg : -1 - (int32_t)it.arg;
        cmd.policy = 0;
        (void)suit_handler(cmd.id, &cmd.condition);
        if (++p->steps > MM_SUIT_MAX_STEPS) {
            note(p, &cmd, 0, MM_ERR_TOO_LARGE, MM_SUIT_MAX_STEPS);
            return MM_ERR_TOO_LARGE;
        }
        mm_err e = exec(p, d, &cmd, depth, flags, &soft);
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
