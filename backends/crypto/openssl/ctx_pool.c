/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prepared ECDSA contexts kept with their key (mo_pool_*). Making an
 * EVP_PKEY_CTX and initialising it for signing or verification costs about
 * a microsecond on every operation, 7% of a P-256 signature: a service
 * that signs or verifies with one key all day (the Verifier's results, the
 * Transparency Service's receipts) pays it once per thread instead. The
 * pool hangs on the EVP_PKEY as ex_data, set when the key is wrapped, before
 * any other thread can see it, and freed before the key.
 */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

#define POOL_MAX 8 /* idle contexts kept per operation (threads at once) */

typedef struct mo_pool {
    pthread_mutex_t lock;
    EVP_PKEY_CTX *idle[2][POOL_MAX]; /* [0] signing, [1] verifying */
    unsigned n[2];
} mo_pool;

static int pool_index = -1;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void make_index(void) { pool_index = EVP_PKEY_get_ex_new_index(0, NULL, NULL, NULL, NULL); }

static mo_pool *pool_of(EVP_PKEY *pkey)
{
    if (pthread_once(&pool_once, make_index) != 0 || pool_index < 0) {
        return NULL;
    }
    return EVP_PKEY_get_ex_data(pkey, pool_index);
}

void mo_pool_attach(EVP_PKEY *pkey)
{
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC || pool_of(pkey) != NULL || pool_index < 0) {
        return;
    }
    mo_pool *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return; /* no pool: every operation makes its own context */
    }
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return;
    }
    if (EVP_PKEY_set_ex_data(pkey, pool_index, p) != 1) {
        pthread_mutex_destroy(&p->lock);
        free(p);
    }
}

void mo_pool_detach(EVP_PKEY *pkey)
{
    mo_pool *p = pool_of(pkey);
    if (p == NULL) {
        return;
    }
    for (int op = 0; op < 2; op++) {
        for (unsigned i = 0; i < p->n[op]; i++) {
            EVP_PKEY_CTX_free(p->idle[op][i]); /* each holds a reference to pkey */
        }
    }
    (void)EVP_PKEY_set_ex_data(pkey, pool_index, NULL);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

EVP_PKEY_CTX *mo_pool_take(EVP_PKEY *pkey, char op)
{
    int i = op == 's' ? 0 : 1;
    mo_pool *p = pool_of(pkey);
    EVP_PKEY_CTX *c = NULL;
    if (p != NULL) {
        pthread_mutex_lock(&p->lock);
        if (p->n[i] != 0) {
            c = p->idle[i][--p->n[i]];
        }
        pthread_mutex_unlock(&p->lock);
    }
    if (c != NULL) {
        return c;
    }
    c = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (c != NULL && (op == 's' ? EVP_PKEY_sign_init(c) : EVP_PKEY_verify_init(c)) != 1) {
        EVP_PKEY_CTX_free(c);
        c = NULL;
    }
    return c;
}

void mo_pool_give(EVP_PKEY *pkey, char op, EVP_PKEY_CTX *ctx, bool reusable)
{
    int i = op == 's' ? 0 : 1;
    mo_pool *p = reusable && ctx != NULL ? pool_of(pkey) : NULL;
    if (p != NULL) {
        pthread_mutex_lock(&p->lock);
        if (p->n[i] < POOL_MAX) {
            p->idle[i][p->n[i]++] = ctx;
            ctx = NULL;
        }
        pthread_mutex_unlock(&p->lock);
    }
    EVP_PKEY_CTX_free(ctx);
}
