/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Conditions (manifest section 8.4.9, update management section 5): each
 * compares a parameter of the current component with what the Recipient
 * measures or asserts, and changes nothing. A condition that does not hold
 * returns MM_ERR_CONDITION; one whose parameter is not set
 * MM_ERR_MISSING_FIELD (the interpreter treats both as a failed condition).
 */
#include "processor.h"

mm_err suit_cond_identity(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    const mm_suit_params *pr = &p->params[comp];
    mm_suit_identity kind;
    int64_t label;
    mm_bytes value = {NULL, 0};
    bool pen = false;
    switch (cmd->id) {
    case MM_SUIT_CMD_VENDOR_ID:
        kind = MM_SUIT_ID_VENDOR;
        label = MM_SUIT_PARAM_VENDOR_ID;
        value = pr->vendor_id;
        pen = pr->vendor_pen;
        break;
    case MM_SUIT_CMD_CLASS_ID:
        kind = MM_SUIT_ID_CLASS;
        label = MM_SUIT_PARAM_CLASS_ID;
        value = pr->class_id;
        break;
    default:
        kind = MM_SUIT_ID_DEVICE;
        label = MM_SUIT_PARAM_DEVICE_ID;
        value = pr->device_id;
        break;
    }
    mm_err e = suit_need(p, comp, label);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->identity == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool match = false;
    e = ops->identity(suit_user(p), &p->comps[comp], kind, value, pen, &match);
    if (e != MM_OK) {
        return e;
    }
    return match ? MM_OK : MM_ERR_CONDITION;
}

/* Whether the component's digest is the image digest parameter's; the
 * measured digest is kept for the report. */
static mm_err image_matches(mm_suit_processor *p, uint32_t comp, bool *match)
{
    const mm_suit_params *pr = &p->params[comp];
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_IMAGE_DIGEST);
    if (e != MM_OK) {
        return e;
    }
    mm_suit_digest want;
    mm_cbor_flat r;
    suit_flat_init(&r, pr->image_digest);
    if (suit_read_digest(&r, &want) != MM_OK) {
        return MM_ERR_TRUNCATED;
    }
    uint8_t got[MM_HASH_MAX];
    size_t len = 0;
    bool short_read;
    bool has_size = suit_param_has(pr, MM_SUIT_PARAM_IMAGE_SIZE);
    e = suit_component_digest(p, comp, want.alg, has_size, pr->image_size, got, &len, &short_read);
    if (e != MM_OK) {
        return e;
    }
    p->measured_len = 0;
    if (!short_read) {
        p->measured_alg = want.alg;
        p->measured_len = (uint8_t)len;
        memcpy(p->measured, got, len);
    }
    *match = !short_read && len == want.bytes.len && mm_ct_equal(got, want.bytes.ptr, len);
    return MM_OK;
}

mm_err suit_cond_image_match(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    bool match = false;
    mm_err e = image_matches(p, comp, &match);
    return e != MM_OK ? e : match ? MM_OK : MM_ERR_CONDITION;
}

mm_err suit_cond_image_not_match(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    bool match = false;
    mm_err e = image_matches(p, comp, &match);
    return e != MM_OK ? e : match ? MM_ERR_CONDITION : MM_OK;
}

mm_err suit_cond_slot(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_COMPONENT_SLOT);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->slot == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    uint64_t slot;
    e = ops->slot(suit_user(p), &p->comps[comp], &slot);
    if (e != MM_OK) {
        return e;
    }
    return slot == p->params[comp].slot ? MM_OK : MM_ERR_CONDITION;
}

/* Byte by byte, and in constant time: no early exit on the first
 * difference (section 8.4.9.3). The size is not secret. */
mm_err suit_cond_check_content(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_CONTENT);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes want = p->params[comp].content;
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->size == NULL || ops->read == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool exists;
    uint64_t size;
    e = ops->size(suit_user(p), &p->comps[comp], &exists, &size);
    if (e != MM_OK) {
        return e;
    }
    if (!exists || size != want.len) {
        return MM_ERR_CONDITION;
    }
    uint8_t diff = 0;
    for (size_t off = 0; off < want.len;) {
        size_t n = want.len - off < p->cfg.scratch_len ? want.len - off : p->cfg.scratch_len;
        size_t got = 0;
        e = ops->read(suit_user(p), &p->comps[comp], off, p->cfg.scratch, n, &got);
        if (e != MM_OK || got == 0 || got > n) {
            return e != MM_OK ? e : MM_ERR_PLATFORM;
        }
        for (size_t i = 0; i < got; i++) {
            diff |= (uint8_t)(p->cfg.scratch[i] ^ want.ptr[off + i]);
        }
        off += got;
    }
    return diff == 0 ? MM_OK : MM_ERR_CONDITION;
}

mm_err suit_cond_abort(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)p;
    (void)cmd;
    (void)comp;
    return MM_ERR_CONDITION;
}

mm_err suit_cond_use_before(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_USE_BEFORE);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->now == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    uint64_t now;
    e = ops->now(suit_user(p), &now);
    if (e != MM_OK) {
        return e;
    }
    return now < p->params[comp].use_before ? MM_OK : MM_ERR_CONDITION;
}

mm_err suit_cond_battery(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_MINIMUM_BATTERY);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->battery == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    uint64_t level;
    e = ops->battery(suit_user(p), &level);
    if (e != MM_OK) {
        return e;
    }
    return level >= p->params[comp].minimum_battery ? MM_OK : MM_ERR_CONDITION;
}

mm_err suit_cond_authorized(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_UPDATE_PRIORITY);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->authorize == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    bool ok = false;
    e = ops->authorize(suit_user(p), p->params[comp].priority, &ok);
    if (e != MM_OK) {
        return e;
    }
    return ok ? MM_OK : MM_ERR_CONDITION;
}

mm_err suit_cond_version(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_VERSION);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->component_version == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    int64_t parts[MM_SUIT_MAX_VERSION];
    size_t n = 0;
    e = ops->component_version(suit_user(p), &p->comps[comp], parts, MM_SUIT_MAX_VERSION, &n);
    if (e != MM_OK) {
        return e;
    }
    bool ok = false;
    e = suit_version_match(p->params[comp].version, parts, n > MM_SUIT_MAX_VERSION ? 0 : n, &ok);
    if (e != MM_OK) {
        return e;
    }
    return ok ? MM_OK : MM_ERR_CONDITION;
}
