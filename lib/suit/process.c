/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The order of things (manifest sections 6.1 to 6.3): decode the envelope,
 * check the manifest's digest and signatures, validate the structure, check
 * the components and the sequence number, clear the parameters, then run
 * the procedures' sequences in their order, each after the shared
 * sequence; commit what was staged and store the sequence number only when
 * everything succeeded.
 */
#include "processor.h"

mm_err suit_fail(mm_suit_processor *p, mm_err err, mm_suit_reason reason, int64_t detail)
{
    p->failure.err = err;
    p->failure.reason = (uint8_t)reason;
    p->failure.detail = detail;
    return err;
}

mm_suit_reason suit_reason_for(mm_err err)
{
    switch (err) {
    case MM_ERR_UNSUPPORTED_ALG:
        return MM_SUIT_REASON_ALG_UNSUPPORTED;
    case MM_ERR_VERIFY:
    case MM_ERR_UNTRUSTED:
    case MM_ERR_ROLLBACK:
        return MM_SUIT_REASON_UNAUTHORISED;
    case MM_ERR_UNSUPPORTED:
        return MM_SUIT_REASON_COMMAND_UNSUPPORTED;
    case MM_ERR_CONDITION:
        return MM_SUIT_REASON_CONDITION_FAILED;
    default:
        return mm_err_class(err) == 5 ? MM_SUIT_REASON_OPERATION_FAILED : MM_SUIT_REASON_CBOR_PARSE;
    }
}

mm_err mm_suit_processor_init(mm_suit_processor *p, const mm_suit_config *cfg)
{
    if (p == NULL || cfg == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    memset(p, 0, sizeof *p);
    if (cfg->crypto == NULL || cfg->scratch == NULL || cfg->scratch_len < 128 ||
        (cfg->n_anchors != 0 && cfg->anchors == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    p->cfg = *cfg;
    return MM_OK;
}

static mm_err check(mm_suit_processor *p, mm_bytes envelope)
{
    p->checked = false;
    memset(&p->env, 0, sizeof p->env);
    memset(&p->man, 0, sizeof p->man);
    memset(&p->auth, 0, sizeof p->auth);
    memset(&p->failure, 0, sizeof p->failure);
    size_t off = 0;
    mm_err e = mm_suit_envelope_decode(envelope, &p->env, &off);
    if (e != MM_OK) {
        p->failure.offset = (uint32_t)off;
        return suit_fail(p, e, e == MM_ERR_UNSUPPORTED ? MM_SUIT_REASON_COSE_UNSUPPORTED : suit_reason_for(e), 0);
    }
    e = suit_auth_verify(p);
    if (e == MM_OK) {
        e = suit_manifest_decode(p);
    }
    if (e == MM_OK) {
        e = suit_validate_sequences(p);
    }
    p->checked = e == MM_OK;
    return e;
}

mm_err mm_suit_check(mm_suit_processor *p, mm_bytes envelope)
{
    if (p == NULL || p->cfg.crypto == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    suit_report_begin(p);
    mm_err e = check(p, envelope);
    suit_report_end(p, e, envelope);
    return e;
}

/* Every component the manifest names must be one the Recipient has (and
 * the signer may touch). */
static mm_err check_components(mm_suit_processor *p)
{
    const mm_suit_platform_ops *ops = suit_ops(p);
    for (uint32_t i = 0; i < p->man.n_components; i++) {
        p->comps[i].index = i;
        p->comps[i].id = p->man.component_ids[i];
        mm_err e = ops->component_check != NULL ? ops->component_check(suit_user(p), &p->comps[i]) : MM_OK;
        if (e != MM_OK) {
            p->failure.component = i;
            return suit_fail(
                p, e, e == MM_ERR_VERIFY ? MM_SUIT_REASON_COMPONENT_UNAUTHORISED : MM_SUIT_REASON_COMPONENT_UNSUPPORTED,
                MM_SUIT_SECTION_COMMON);
        }
    }
    return MM_OK;
}

/* Section 6.1: the newest valid manifest only. An update must be newer than
 * the stored sequence number; an invocation may run the installed one. */
static mm_err check_rollback(mm_suit_processor *p, bool update)
{
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->counter_get == NULL) {
        return suit_fail(p, MM_ERR_UNSUPPORTED, MM_SUIT_REASON_OPERATION_FAILED, SUIT_KEY_SEQUENCE_NUMBER);
    }
    bool present = false;
    uint64_t stored = 0;
    mm_err e = ops->counter_get(suit_user(p), p->man.component_id, &present, &stored);
    if (e != MM_OK) {
        return suit_fail(p, e, MM_SUIT_REASON_OPERATION_FAILED, SUIT_KEY_SEQUENCE_NUMBER);
    }
    if (present && (update ? p->man.sequence <= stored : p->man.sequence < stored)) {
        return suit_fail(p, MM_ERR_ROLLBACK, MM_SUIT_REASON_UNAUTHORISED, (int64_t)stored);
    }
    return MM_OK;
}

/* Runs the members of a procedure in order; a severed member (stripped
 * after use) and an absent one are skipped. */
static mm_err run_members(mm_suit_processor *p, const mm_suit_member_index *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const mm_suit_member *m = &p->man.members[order[i]];
        if (m->state != MM_SUIT_INLINE && m->state != MM_SUIT_RESTORED) {
            continue;
        }
        mm_err e = suit_run_section(p, mm_suit_member_key(order[i]), m->body);
        if (e != MM_OK) {
            return e == MM_ERR_CONDITION && p->failure.err != MM_OK ? p->failure.err : e;
        }
    }
    return MM_OK;
}

static const mm_suit_member_index update_order[] = {
    MM_SUIT_M_DEPENDENCY_RESOLUTION,
    MM_SUIT_M_PAYLOAD_FETCH,
    MM_SUIT_M_CANDIDATE_VERIFICATION,
    MM_SUIT_M_INSTALL,
    MM_SUIT_M_VALIDATE,
};
static const mm_suit_member_index invoke_order[] = {MM_SUIT_M_VALIDATE, MM_SUIT_M_LOAD, MM_SUIT_M_INVOKE};

/* Makes what was staged the components' content. */
static mm_err commit(mm_suit_processor *p)
{
    const mm_suit_platform_ops *ops = suit_ops(p);
    mm_err e = p->staged && ops->commit != NULL ? ops->commit(suit_user(p)) : MM_OK;
    p->staged = false;
    if (e != MM_OK) {
        p->failure.section = 0;
        return suit_fail(p, e, MM_SUIT_REASON_OPERATION_FAILED, 0);
    }
    return MM_OK;
}

static mm_err procedures(mm_suit_processor *p, unsigned procs)
{
    const mm_suit_platform_ops *ops = suit_ops(p);
    mm_err e = check_components(p);
    if (e == MM_OK) {
        e = check_rollback(p, (procs & MM_SUIT_PROC_UPDATE) != 0);
    }
    if (e != MM_OK) {
        return e;
    }
    /* Section 6.1: the processor starts from clear parameter storage. */
    memset(p->params, 0, sizeof p->params);
    p->steps = 0;
    p->written = 0;
    p->staged = false;
    if ((procs & MM_SUIT_PROC_UPDATE) != 0) {
        e = run_members(p, update_order, sizeof update_order / sizeof update_order[0]);
        if (e == MM_OK) {
            e = commit(p);
        }
        if (e == MM_OK && ops->counter_set != NULL) {
            /* Stored only once the update is in place. */
            e = ops->counter_set(suit_user(p), p->man.component_id, p->man.sequence);
            if (e != MM_OK) {
                suit_fail(p, e, MM_SUIT_REASON_OPERATION_FAILED, SUIT_KEY_SEQUENCE_NUMBER);
            }
        }
        if (e != MM_OK) {
            return e;
        }
    }
    if ((procs & MM_SUIT_PROC_INVOKE) != 0) {
        /* After an update, validate has just run. */
        size_t skip = (procs & MM_SUIT_PROC_UPDATE) != 0 ? 1 : 0;
        e = run_members(p, invoke_order + skip, sizeof invoke_order / sizeof invoke_order[0] - skip);
        if (e == MM_OK) {
            e = commit(p);
        }
    }
    return e;
}

mm_err mm_suit_process(mm_suit_processor *p, mm_bytes envelope, unsigned procs)
{
    if (p == NULL || p->cfg.crypto == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    const mm_suit_platform *pl = p->cfg.platform;
    if (pl == NULL || pl->ops == NULL || pl->ops->version != MM_SUIT_PLATFORM_V1 || procs == 0 ||
        (procs & ~(MM_SUIT_PROC_UPDATE | MM_SUIT_PROC_INVOKE)) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    suit_report_begin(p);
    mm_err e = check(p, envelope);
    if (e == MM_OK) {
        e = procedures(p, procs);
        if (e != MM_OK && p->staged) {
            /* All or nothing: a refusal leaves every component as it was. */
            if (pl->ops->discard != NULL) {
                pl->ops->discard(pl->user);
            }
            p->staged = false;
        }
    }
    if (e == MM_OK) {
        memset(&p->failure, 0, sizeof p->failure);
    } else if (p->failure.err == MM_OK) {
        suit_fail(p, e, suit_reason_for(e), 0);
    }
    suit_report_end(p, e, envelope);
    return e;
}

const mm_suit_manifest *mm_suit_processor_manifest(const mm_suit_processor *p) { return p->checked ? &p->man : NULL; }

const mm_suit_envelope *mm_suit_processor_envelope(const mm_suit_processor *p) { return p->checked ? &p->env : NULL; }

const mm_suit_auth *mm_suit_processor_auth(const mm_suit_processor *p) { return p->checked ? &p->auth : NULL; }

const mm_suit_failure *mm_suit_processor_failure(const mm_suit_processor *p) { return &p->failure; }
