/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Directives that act (manifest section 8.4.10, update management section
 * 5.6): write, fetch, copy, swap, invoke and wait. Everything that changes a
 * component writes its candidate through the writer (component.c); the
 * platform commits candidates only when the whole procedure succeeds.
 */
#include "processor.h"

mm_err suit_dir_write(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_CONTENT);
    if (e != MM_OK) {
        return e;
    }
    suit_writer w;
    e = suit_writer_open(&w, p, comp, cmd->id);
    if (e != MM_OK) {
        return e;
    }
    return suit_writer_close(&w, suit_writer_put(&w, p->params[comp].content));
}

/* The envelope's payload named by uri: the URI itself as the key (an
 * intermediary's pre-fetched copy) or a fragment-only reference. */
static bool integrated(mm_suit_processor *p, mm_bytes uri, mm_bytes *payload)
{
    return p->env.n_integrated != 0 && suit_find_payload(&p->dec, &p->env, uri, payload) == MM_OK;
}

mm_err suit_dir_fetch(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    const mm_suit_params *pr = &p->params[comp];
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_URI);
    if (e != MM_OK) {
        return e;
    }
    mm_bytes payload;
    bool inside = integrated(p, pr->uri, &payload);
    if (!inside && pr->uri.len != 0 && pr->uri.ptr[0] == '#') {
        p->failure.detail = MM_SUIT_PARAM_URI;
        return MM_ERR_MISSING_FIELD; /* names an integrated payload the envelope lacks */
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (!inside && ops->fetch == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    suit_writer w;
    e = suit_writer_open(&w, p, comp, cmd->id);
    if (e != MM_OK) {
        return e;
    }
    if (inside) {
        e = suit_writer_put(&w, payload);
    } else {
        mm_suit_sink sink = suit_writer_sink(&w);
        mm_bytes args = suit_param_has(pr, MM_SUIT_PARAM_FETCH_ARGS) ? pr->fetch_args : mm_bytes_make(NULL, 0);
        e = ops->fetch(suit_user(p), pr->uri, args, &sink);
    }
    return suit_writer_close(&w, e);
}

mm_err suit_dir_copy(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    const mm_suit_params *pr = &p->params[comp];
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_SOURCE_COMPONENT);
    if (e != MM_OK) {
        return e;
    }
    uint32_t src = (uint32_t)pr->source; /* checked below the component count */
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (src == comp || ops->size == NULL || ops->read == NULL) {
        return MM_ERR_UNSUPPORTED; /* a copy onto itself would read what it erased */
    }
    bool exists;
    uint64_t size;
    e = ops->size(suit_user(p), &p->comps[src], &exists, &size);
    if (e != MM_OK) {
        return e;
    }
    if (!exists) {
        p->failure.detail = MM_SUIT_PARAM_SOURCE_COMPONENT;
        return MM_ERR_MISSING_FIELD; /* "if the source component itself is absent, this command fails" */
    }
    if (suit_param_has(pr, MM_SUIT_PARAM_IMAGE_SIZE) && pr->image_size < size) {
        size = pr->image_size; /* the image, not the whole slot it sits in */
    }
    e = suit_order_check(p, src, -1);
    if (e != MM_OK) {
        return e;
    }
    suit_writer w;
    e = suit_writer_open(&w, p, comp, cmd->id);
    mm_bytes whole;
    if (e == MM_OK && suit_view(p, src, &whole) == MM_OK && whole.len >= size) {
        return suit_writer_close(&w, suit_writer_put(&w, mm_bytes_make(whole.ptr, (size_t)size)));
    }
    for (uint64_t off = 0; e == MM_OK && off < size;) {
        size_t want = size - off < p->cfg.scratch_len ? (size_t)(size - off) : p->cfg.scratch_len;
        size_t got = 0;
        e = ops->read(suit_user(p), &p->comps[src], off, p->cfg.scratch, want, &got);
        if (e == MM_OK && (got == 0 || got > want)) {
            e = MM_ERR_PLATFORM;
        }
        if (e == MM_OK) {
            e = suit_writer_put(&w, mm_bytes_make(p->cfg.scratch, got));
            off += got;
        }
    }
    return w.p != NULL ? suit_writer_close(&w, e) : e;
}

mm_err suit_dir_swap(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_SOURCE_COMPONENT);
    if (e != MM_OK) {
        return e;
    }
    uint32_t src = (uint32_t)p->params[comp].source;
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (src == comp || ops->swap == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    /* Both are read and both written. */
    e = suit_order_check(p, src, comp);
    if (e == MM_OK) {
        e = suit_order_check(p, -1, src);
    }
    if (e == MM_OK) {
        e = ops->swap(suit_user(p), &p->comps[comp], &p->comps[src]);
    }
    if (e == MM_OK) {
        p->written |= ((uint64_t)1 << comp) | ((uint64_t)1 << src);
        p->staged = true;
    }
    return e;
}

mm_err suit_dir_invoke(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    const mm_suit_params *pr = &p->params[comp];
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->invoke == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_bytes args = suit_param_has(pr, MM_SUIT_PARAM_INVOKE_ARGS) ? pr->invoke_args : mm_bytes_make(NULL, 0);
    return ops->invoke(suit_user(p), &p->comps[comp], args);
}

mm_err suit_dir_wait(mm_suit_processor *p, const suit_cmd *cmd, uint32_t comp)
{
    (void)cmd;
    mm_err e = suit_need(p, comp, MM_SUIT_PARAM_WAIT_INFO);
    if (e != MM_OK) {
        return e;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->wait == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_suit_wait events;
    e = suit_wait_decode(&p->dec, p->params[comp].wait_info, &events);
    if (e != MM_OK) {
        return e;
    }
    return ops->wait(suit_user(p), &p->comps[comp], &events);
}
