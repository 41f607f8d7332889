/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HSS/LMS signer: key generation, and the stateful signing that must
 * never use a one-time key twice.
 *
 * The rule every path keeps: an index is written to the key file as used
 * (or reserved), durably, before any signature with it exists, and it is
 * taken from the in-memory reservation before the signature is computed,
 * so a failure after that point burns the index instead of leaving it for
 * reuse. The file's counter only moves back on a clean close, under the
 * exclusive lock, and only over indices this process reserved and never
 * used.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "signer_internal.h"

typedef struct ls_signer {
    mm_crypto crypto; /* this key's own instance; crypto.user is the signer */
    const mm_crypto *backend;
    char *path;
    pthread_mutex_t mu;
    ls_state st;
    uint32_t reserve;
    unsigned threads;
    int lock_fd;  /* -1 until the first signature */
    pid_t pid;    /* the process that took the lock */
    uint64_t cur; /* the next index to use */
    uint64_t end; /* the end of this process's reservation */
    bool ready;   /* locked, state re-read, top tree built */
    lms_hash hash;
    ls_cache_key cache_key;
    ls_tree tree[MM_LMS_MAX_LEVELS];
    uint8_t *parent_sig[MM_LMS_MAX_LEVELS]; /* level i > 0: level i-1's LMS signature over tree[i].pub */
    ls_cache cache;                         /* loaded with the lock; freed once the trees are built */
} ls_signer;

static const mm_crypto_ops signer_ops;

static ls_signer *signer_of(const mm_key *key)
{
    if (key == NULL || key->crypto == NULL || key->crypto->ops != &signer_ops || key->handle == NULL) {
        return NULL;
    }
    return key->handle;
}

static mm_bytes pub_of(const ls_signer *s) { return mm_bytes_make(s->st.pub, s->st.p.pub_len); }

/*
 * Trees of the levels.
 */

/* Builds tree t, from the cache when it holds this tree. *dirty is set when
 * it had to be computed. */
static mm_err tree_ready(ls_signer *s, uint32_t level, bool *dirty)
{
    ls_tree *t = &s->tree[level];
    const ls_cache_level *cl = level < s->cache.levels ? &s->cache.level[level] : NULL;
    if (cl != NULL && memcmp(cl->I, t->I, MM_LMS_I_LEN) == 0 && ls_tree_adopt(t, cl->top, cl->top_len) == MM_OK) {
        if (level > 0 || memcmp(t->pub + 24, s->st.pub + 4 + 24, t->lms->m) == 0) {
            return MM_OK;
        }
    }
    *dirty = true;
    mm_err e = ls_tree_build(t, s->threads);
    if (e == MM_OK && level == 0 && memcmp(t->pub + 24, s->st.pub + 4 + 24, t->lms->m) != 0) {
        e = MM_ERR_BAD_KEY; /* the seed does not make the public key the file claims */
    }
    return e;
}

/* Makes the trees of every level the ones index N needs, and the signatures
 * of each lower tree's public key by its parent. */
static mm_err trees_for(ls_signer *s, uint64_t index)
{
    const ls_params *p = &s->st.p;
    bool dirty = false;
    mm_err e = MM_OK;
    for (uint32_t i = 1; i < p->levels && e == MM_OK; i++) {
        ls_tree *parent = &s->tree[i - 1];
        uint32_t q = ls_q_of(p, i - 1, index);
        uint8_t I[MM_LMS_N_MAX];
        uint8_t seed[MM_LMS_N_MAX];
        e = ls_derive(&s->hash, parent->I, parent->seed, q, LS_DERIVE_I, I);
        if (e == MM_OK && s->tree[i].built && memcmp(s->tree[i].I, I, MM_LMS_I_LEN) == 0) {
            continue; /* I follows from the path: the same I is the same tree */
        }
        if (e == MM_OK) {
            e = ls_derive(&s->hash, parent->I, parent->seed, q, LS_DERIVE_SEED, seed);
        }
        if (e == MM_OK) {
            ls_tree_free(&s->tree[i]);
            ls_tree_init(&s->tree[i], &s->hash, p->lms[i], p->ots[i], I, seed);
            e = tree_ready(s, i, &dirty);
        }
        mm_wipe(seed, sizeof seed);
        /* The parent signs the child's public key: C is derived, so the
         * same tree always gets the same signature. */
        uint8_t c[MM_LMS_N_MAX];
        if (e == MM_OK) {
            e = ls_derive(&s->hash, parent->I, parent->seed, q, LS_DERIVE_C, c);
        }
        if (e == MM_OK) {
            e = ls_lms_sign(parent, q, c, mm_bytes_make(s->tree[i].pub, mm_lms_lms_pub_len(p->lms[i])),
                            s->parent_sig[i], s->threads);
        }
        if (e != MM_OK) {
            s->tree[i].built = false;
        }
    }
    if (dirty && e == MM_OK) {
        ls_tree *trees[MM_LMS_MAX_LEVELS];
        for (uint32_t i = 0; i < p->levels; i++) {
            trees[i] = &s->tree[i];
        }
        ls_cache_store(&s->cache_key, s->path, pub_of(s), trees, p->levels);
    }
    return e;
}

/* First signature: take the lock, read the state again under it (another
 * signer may have moved it since open), build the top tree. */
static mm_err prepare(ls_signer *s)
{
    char lock_path[4200];
    snprintf(lock_path, sizeof lock_path, "%s.lock", s->path);
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return MM_ERR_PLATFORM;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return errno == EWOULDBLOCK ? MM_ERR_STATE : MM_ERR_PLATFORM;
    }
    ls_state now;
    mm_err e = ls_state_read(s->backend, s->path, &now);
    if (e == MM_OK && (now.p.pub_len != s->st.p.pub_len || memcmp(now.pub, s->st.pub, now.p.pub_len) != 0 ||
                       memcmp(now.seed, s->st.seed, LS_SEED_MAX) != 0)) {
        e = MM_ERR_BAD_KEY; /* another key was put in its place */
    }
    if (e != MM_OK) {
        mm_wipe(&now, sizeof now);
        close(fd);
        return e;
    }
    s->st.next = now.next;
    mm_wipe(&now, sizeof now);
    const ls_params *p = &s->st.p;
    for (uint32_t i = 1; i < p->levels; i++) {
        if (s->parent_sig[i] == NULL) {
            s->parent_sig[i] = calloc(1, mm_lms_lms_sig_len(p->lms[i - 1], p->ots[i - 1]));
            if (s->parent_sig[i] == NULL) {
                close(fd);
                return MM_ERR_PLATFORM;
            }
        }
    }
    s->lock_fd = fd;
    s->pid = getpid();
    s->cur = s->st.next;
    s->end = s->st.next;
    (void)ls_cache_load(&s->cache_key, s->path, pub_of(s), &s->cache);
    bool dirty = false;
    ls_tree_init(&s->tree[0], &s->hash, p->lms[0], p->ots[0], s->st.I, s->st.seed);
    e = tree_ready(s, 0, &dirty);
    if (e == MM_OK && s->cur < p->total) {
        e = trees_for(s, s->cur);
    }
    if (e == MM_OK && dirty && p->levels == 1) {
        ls_tree *t = &s->tree[0];
        ls_cache_store(&s->cache_key, s->path, pub_of(s), &t, 1);
    }
    ls_cache_free(&s->cache);
    s->ready = e == MM_OK;
    return e;
}

/* Reserves the next indices: the file says they are used before any is. */
static mm_err reserve_more(ls_signer *s)
{
    uint64_t left = s->st.p.total - s->cur;
    uint64_t end = s->cur + (left < s->reserve ? left : s->reserve);
    uint8_t file[LS_FILE_LEN];
    uint64_t before = s->st.next;
    s->st.next = end;
    mm_err e = ls_state_encode(s->backend, &s->st, file);
    if (e == MM_OK) {
        e = ls_file_write(s->path, file, sizeof file, LS_WRITE_DURABLE);
    }
    mm_wipe(file, sizeof file);
    if (e != MM_OK) {
        /* The write may still have landed: never reuse what it named. The
         * next attempt starts after it. */
        s->cur = end > before ? end : before;
        s->end = s->cur;
        s->st.next = s->cur;
        return e;
    }
    s->end = end;
    return MM_OK;
}

static mm_err sign_locked(ls_signer *s, mm_bytes msg, uint8_t *sig)
{
    if (s->lock_fd >= 0 && s->pid != getpid()) {
        return MM_ERR_STATE; /* a forked child shares the parent's reservation */
    }
    if (!s->ready) {
        if (s->lock_fd >= 0) {
            return MM_ERR_STATE; /* an earlier preparation failed half-way */
        }
        mm_err e = prepare(s);
        if (e != MM_OK) {
            return e;
        }
    }
    const ls_params *p = &s->st.p;
    if (s->cur >= p->total) {
        return MM_ERR_KEY_EXHAUSTED;
    }
    if (s->cur == s->end) {
        mm_err e = reserve_more(s);
        if (e != MM_OK) {
            return e;
        }
    }
    uint64_t index = s->cur++; /* spent from here on, whatever happens */
    mm_err e = trees_for(s, index);
    size_t off = 4;
    lms_put_u32(sig, p->levels - 1);
    for (uint32_t i = 1; i < p->levels && e == MM_OK; i++) {
        size_t len = mm_lms_lms_sig_len(p->lms[i - 1], p->ots[i - 1]);
        memcpy(sig + off, s->parent_sig[i], len);
        off += len;
        len = mm_lms_lms_pub_len(p->lms[i]);
        memcpy(sig + off, s->tree[i].pub, len);
        off += len;
    }
    uint8_t c[MM_LMS_N_MAX];
    if (e == MM_OK) {
        e = mm_random(s->backend, c, p->n);
    }
    uint32_t bottom = p->levels - 1;
    if (e == MM_OK) {
        e = ls_lms_sign(&s->tree[bottom], ls_q_of(p, bottom, index), c, msg, sig + off, s->threads);
    }
    /* Nothing leaves unchecked: a fault in the computation, a damaged
     * cache or a bug shows here instead of in a verifier. */
    if (e == MM_OK && mm_lms_verify(s->backend, pub_of(s), msg, mm_bytes_make(sig, p->sig_len), 0) != MM_OK) {
        e = MM_ERR_PLATFORM;
    }
    if (e != MM_OK) {
        mm_wipe(sig, p->sig_len);
    }
    return e;
}

static mm_err signer_sign(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, uint8_t *sig,
                          size_t cap, size_t *len)
{
    ls_signer *s = user;
    if (s == NULL || signer_of(key) != s) {
        return MM_ERR_INVALID_ARG;
    }
    mm_err e = lms_key_usage(alg, flags);
    if (e != MM_OK) {
        return e;
    }
    *len = s->st.p.sig_len;
    if (cap < s->st.p.sig_len) {
        return MM_ERR_BUFFER_TOO_SMALL; /* before anything is spent */
    }
    pthread_mutex_lock(&s->mu);
    e = sign_locked(s, data, sig);
    pthread_mutex_unlock(&s->mu);
    return e;
}

static mm_err signer_verify(void *user, const mm_key *key, int32_t alg, mm_bytes data, unsigned flags, mm_bytes sig)
{
    ls_signer *s = user;
    if (s == NULL || signer_of(key) != s) {
        return MM_ERR_INVALID_ARG;
    }
    return lms_key_verify(s->backend, pub_of(s), alg, flags, data, sig);
}

static mm_err signer_export(void *user, const mm_key *key, unsigned flags, mm_key_parts *parts, uint8_t *buf,
                            size_t cap)
{
    ls_signer *s = user;
    if (s == NULL || signer_of(key) != s) {
        return MM_ERR_INVALID_ARG;
    }
    /* The seed never leaves its file: a copy could sign twice. */
    return lms_key_export(pub_of(s), flags, parts, buf, cap);
}

static void signer_close(ls_signer *s)
{
    if (s->lock_fd >= 0 && s->pid == getpid()) {
        if (s->cur < s->end) {
            /* Give the unused reservation back: this process holds the
             * lock, and no signature was made with these indices. */
            uint8_t file[LS_FILE_LEN];
            s->st.next = s->cur;
            if (ls_state_encode(s->backend, &s->st, file) == MM_OK) {
                (void)ls_file_write(s->path, file, sizeof file, LS_WRITE_DURABLE);
            }
            mm_wipe(file, sizeof file);
        }
        close(s->lock_fd);
    }
    for (uint32_t i = 0; i < MM_LMS_MAX_LEVELS; i++) {
        ls_tree_free(&s->tree[i]);
        if (s->parent_sig[i] != NULL) {
            free(s->parent_sig[i]);
        }
    }
    ls_cache_free(&s->cache);
    pthread_mutex_destroy(&s->mu);
    free(s->path);
    mm_wipe(s, sizeof *s);
    free(s);
}

static void signer_free(void *user, mm_key *key)
{
    ls_signer *s = user;
    if (s != NULL && signer_of(key) == s) {
        signer_close(s);
    }
}

static const mm_crypto_ops signer_ops = {
    .version = MM_CRYPTO_OPS_V1,
    .name = "lms-signer",
    .sign = signer_sign,
    .verify = signer_verify,
    .key_export = signer_export,
    .key_free = signer_free,
};

mm_err mm_lms_signer_open(const char *path, const mm_lms_signer_opts *opts, mm_key *key)
{
    if (path == NULL || opts == NULL || opts->crypto == NULL || key == NULL || opts->reserve > (UINT32_C(1) << 20)) {
        return MM_ERR_INVALID_ARG;
    }
    memset(key, 0, sizeof *key);
    ls_signer *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return MM_ERR_PLATFORM;
    }
    s->path = strdup(path);
    s->lock_fd = -1;
    s->backend = opts->crypto;
    s->reserve = opts->reserve != 0 ? opts->reserve : MM_LMS_RESERVE_DEFAULT;
    s->threads = opts->threads;
    mm_err e = s->path == NULL ? MM_ERR_PLATFORM : ls_state_read(s->backend, path, &s->st);
    if (e == MM_OK) {
        e = lms_hash_setup(&s->hash, s->backend, s->st.p.hash_alg, s->st.p.n);
    }
    if (e == MM_OK) {
        e = ls_cache_key_make(s->backend, &s->hash, s->st.I, s->st.seed, &s->cache_key);
    }
    if (e == MM_OK && pthread_mutex_init(&s->mu, NULL) != 0) {
        e = MM_ERR_PLATFORM;
    }
    if (e != MM_OK) {
        free(s->path);
        mm_wipe(s, sizeof *s);
        free(s);
        return e;
    }
    s->cur = s->st.next;
    s->end = s->st.next;
    s->crypto.ops = &signer_ops;
    s->crypto.user = s;
    key->crypto = &s->crypto;
    key->handle = s;
    key->alg = MM_ALG_HSS_LMS;
    key->kty = MM_KTY_HSS_LMS;
    key->flags = MM_KEY_PRIVATE;
    return MM_OK;
}

static void info_of(const ls_state *st, uint64_t next, mm_lms_key_info *info)
{
    memset(info, 0, sizeof *info);
    info->levels = st->p.levels;
    for (uint32_t i = 0; i < st->p.levels; i++) {
        info->lms_type[i] = st->p.lms[i]->type;
        info->ots_type[i] = st->p.ots[i]->type;
    }
    info->total = st->p.total;
    info->next = next;
    info->remaining = st->p.total - next;
    info->sig_len = st->p.sig_len;
    memcpy(info->pub, st->pub, st->p.pub_len);
    info->pub_len = st->p.pub_len;
}

mm_err mm_lms_signer_info(const mm_key *key, mm_lms_key_info *info)
{
    if (info == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    ls_signer *s = signer_of(key);
    if (s == NULL) {
        return MM_ERR_KEY_USAGE;
    }
    pthread_mutex_lock(&s->mu);
    info_of(&s->st, s->cur, info);
    pthread_mutex_unlock(&s->mu);
    return MM_OK;
}

mm_err mm_lms_key_file_info(const char *path, const mm_crypto *crypto, mm_lms_key_info *info)
{
    if (path == NULL || crypto == NULL || info == NULL) {
        return MM_ERR_INVALID_ARG;
    }
    ls_state st;
    mm_err e = ls_state_read(crypto, path, &st);
    if (e == MM_OK) {
        info_of(&st, st.next, info);
    }
    mm_wipe(&st, sizeof st);
    return e;
}

mm_err mm_lms_keygen(const char *path, const mm_lms_keygen_opts *opts, uint8_t pub[MM_LMS_PUB_MAX], size_t *pub_len)
{
    if (path == NULL || opts == NULL || opts->crypto == NULL || pub == NULL || pub_len == NULL ||
        (opts->flags & ~MM_LMS_KEYGEN_FORCE) != 0) {
        return MM_ERR_INVALID_ARG;
    }
    ls_state st;
    memset(&st, 0, sizeof st);
    mm_err e = ls_params_make(opts->levels, opts->lms_type, opts->ots_type, &st.p);
    lms_hash h;
    if (e == MM_OK) {
        e = lms_hash_setup(&h, opts->crypto, st.p.hash_alg, st.p.n);
    }
    if (e == MM_OK) {
        e = mm_random(opts->crypto, st.seed, st.p.n);
    }
    if (e == MM_OK) {
        e = mm_random(opts->crypto, st.I, MM_LMS_I_LEN);
    }
    ls_tree top;
    memset(&top, 0, sizeof top);
    if (e == MM_OK) {
        ls_tree_init(&top, &h, st.p.lms[0], st.p.ots[0], st.I, st.seed);
        e = ls_tree_build(&top, opts->threads);
    }
    uint8_t file[LS_FILE_LEN];
    if (e == MM_OK) {
        lms_put_u32(st.pub, st.p.levels);
        memcpy(st.pub + 4, top.pub, mm_lms_lms_pub_len(st.p.lms[0]));
        st.next = 0;
        e = ls_state_encode(opts->crypto, &st, file);
    }
    if (e == MM_OK) {
        unsigned wf = LS_WRITE_DURABLE | ((opts->flags & MM_LMS_KEYGEN_FORCE) != 0 ? 0 : LS_WRITE_NO_CLOBBER);
        e = ls_file_write(path, file, sizeof file, wf);
    }
    if (e == MM_OK) {
        ls_tree *t = &top;
        ls_cache_key ck;
        if (ls_cache_key_make(opts->crypto, &h, st.I, st.seed, &ck) == MM_OK) {
            ls_cache_store(&ck, path, mm_bytes_make(st.pub, st.p.pub_len), &t, 1);
        }
        mm_wipe(&ck, sizeof ck);
        memcpy(pub, st.pub, st.p.pub_len);
        *pub_len = st.p.pub_len;
    }
    mm_wipe(file, sizeof file);
    ls_tree_free(&top);
    mm_wipe(&st, sizeof st);
    return e;
}
