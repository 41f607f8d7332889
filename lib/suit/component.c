/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Moving bytes in and out of components: digests streamed through the
 * caller's scratch buffer (or measured by the platform), and the writer that
 * every directive that changes a component (fetch, copy, write) goes
 * through, into the component's candidate, with the size limit the manifest
 * states. A decryption step (firmware encryption) slots in before the writer.
 */
#include "processor.h"

mm_err suit_component_digest(mm_suit_processor *p, uint32_t comp, int32_t alg, bool has_len, uint64_t len,
                             uint8_t out[MM_HASH_MAX], size_t *out_len, bool *short_read)
{
    const mm_suit_platform_ops *ops = suit_ops(p);
    const mm_suit_component *c = &p->comps[comp];
    bool exists = false;
    uint64_t size = 0;
    *short_read = false;
    if (ops->size == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_err e = ops->size(suit_user(p), c, &exists, &size);
    if (e != MM_OK) {
        return e;
    }
    if (!has_len) {
        len = size;
    } else if (!exists || size < len) {
        *short_read = true; /* the image is not (all) there: no match */
        return MM_OK;
    }
    if (ops->digest != NULL) {
        return ops->digest(suit_user(p), c, alg, len, out, out_len);
    }
    mm_bytes whole;
    if (suit_view(p, comp, &whole) == MM_OK && whole.len >= len) {
        return mm_hash(p->cfg.crypto, alg, mm_bytes_make(whole.ptr, (size_t)len), out, out_len);
    }
    if (ops->read == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    e = mm_hash_init(p->cfg.crypto, &p->hash, alg);
    for (uint64_t off = 0; e == MM_OK && off < len;) {
        size_t want = len - off < p->cfg.scratch_len ? (size_t)(len - off) : p->cfg.scratch_len;
        size_t got = 0;
        e = ops->read(suit_user(p), c, off, p->cfg.scratch, want, &got);
        if (e == MM_OK && (got == 0 || got > want)) {
            e = MM_ERR_PLATFORM; /* shorter than its size said, or a bad count */
        }
        if (e == MM_OK) {
            e = mm_hash_update(p->cfg.crypto, &p->hash, mm_bytes_make(p->cfg.scratch, got));
            off += got;
        }
    }
    if (e != MM_OK) {
        mm_hash_abort(p->cfg.crypto, &p->hash);
        return e;
    }
    return mm_hash_final(p->cfg.crypto, &p->hash, out, out_len);
}

mm_err suit_view(mm_suit_processor *p, uint32_t comp, mm_bytes *content)
{
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->view == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    return ops->view(suit_user(p), &p->comps[comp], content);
}

mm_err suit_writer_open(suit_writer *w, mm_suit_processor *p, uint32_t comp, int32_t command)
{
    const mm_suit_params *pr = &p->params[comp];
    mm_suit_write_info info = {0, {NULL, 0}, command};
    memset(w, 0, sizeof *w); /* w->p stays NULL until a candidate is open */
    w->comp = comp;
    w->limit = UINT64_MAX;
    if (suit_param_has(pr, MM_SUIT_PARAM_IMAGE_SIZE)) {
        /* The manifest states the size: no more bytes than that. */
        w->limit = pr->image_size;
        info.size = pr->image_size;
    }
    if (suit_param_has(pr, MM_SUIT_PARAM_COMPONENT_METADATA)) {
        info.metadata = pr->metadata;
    }
    const mm_suit_platform_ops *ops = suit_ops(p);
    if (ops->write_begin == NULL || ops->write == NULL || ops->write_end == NULL) {
        return MM_ERR_UNSUPPORTED;
    }
    mm_err e = suit_order_check(p, -1, comp);
    if (e == MM_OK) {
        e = ops->write_begin(suit_user(p), &p->comps[comp], &info);
    }
    if (e == MM_OK) {
        w->p = p;
        p->written |= (uint64_t)1 << comp;
        p->staged = true;
    }
    return e;
}

mm_err suit_writer_put(suit_writer *w, mm_bytes chunk)
{
    if (w->err != MM_OK) {
        return w->err;
    }
    if (chunk.len > w->limit - w->written) {
        w->err = MM_ERR_TOO_LARGE; /* more than the image size the manifest gives */
        return w->err;
    }
    w->written += chunk.len;
    if (chunk.len != 0) {
        w->err = suit_ops(w->p)->write(suit_user(w->p), &w->p->comps[w->comp], chunk);
    }
    return w->err;
}

static mm_err sink_write(void *ctx, mm_bytes chunk) { return suit_writer_put((suit_writer *)ctx, chunk); }

mm_suit_sink suit_writer_sink(suit_writer *w)
{
    mm_suit_sink s = {sink_write, w};
    return s;
}

mm_err suit_writer_close(suit_writer *w, mm_err status)
{
    if (status == MM_OK) {
        status = w->err;
    }
    mm_err e = suit_ops(w->p)->write_end(suit_user(w->p), &w->p->comps[w->comp], status == MM_OK);
    return status != MM_OK ? status : e;
}

mm_err suit_order_check(mm_suit_processor *p, int64_t read_comp, int64_t write_comp)
{
    if (p->strict_order) {
        return MM_OK;
    }
    uint64_t r = read_comp >= 0 ? (uint64_t)1 << read_comp : 0;
    uint64_t w = write_comp >= 0 ? (uint64_t)1 << write_comp : 0;
    /* Section 6.6: with strict order off a component may not be both a
     * source and a target in one sequence. */
    if ((p->order_writes & r) != 0 || (p->order_reads & w) != 0 || (r & w) != 0) {
        p->failure.detail = MM_SUIT_PARAM_STRICT_ORDER;
        return MM_ERR_UNSUPPORTED;
    }
    p->order_reads |= r;
    p->order_writes |= w;
    return MM_OK;
}
