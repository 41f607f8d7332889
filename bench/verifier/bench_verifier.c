/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_verifier: the RATS Verifier's appraisals per second through its
 * HTTP API, against the rate at which two cores can merely verify the
 * evidence's signature, in the same run.
 *
 * - The service runs in this process (services/verifier, the code `mamori
 *   verifier serve` runs, its default worker threads) on 127.0.0.1, port
 *   chosen by the system, with a fresh SQLite store in a temporary folder
 *   (WAL, synchronous=FULL; used nonces are kept in memory while the
 *   service runs and saved at its stop, docs/verifier.md "Restarts"; a
 *   crash replaces the nonce key). The store holds one device endorsement
 *   (by ueid, ES256 key) and the device's reference values (swname, swversion, hwversion, debug
 *   disabled, secure boot), so every appraisal runs the whole policy and
 *   ends affirming.
 * - 8 client threads, each with one kept-alive HTTP connection (bench_http:
 *   a lean load generator, one write and usually one read per call; the
 *   libcurl client of the tools costs about twice the CPU per call, which on
 *   a machine of two cores is taken from the service). Each round has three
 *   phases:
 *     1. challenge (timed): every client POSTs /challenge BATCH times and
 *        keeps the nonces (CBOR answers, decoded);
 *     2. evidence (not in the appraisal figures: signing is the attester's
 *        cost): an ES256 EAT per nonce, bound to it, signed on two threads
 *        (its rate is printed for scale);
 *     3. appraise (timed): every client POSTs its BATCH tokens to /appraise
 *        (application/eat+cwt, results as signed CWTs) and checks each is a
 *        200 with the EAR media type.
 *   So every token carries a nonce fetched before it was signed, exactly as
 *   a device does, and the only work left out of the timed sections is the
 *   attester's signing. A phase's rate counts the answers all clients got
 *   while all 8 were busy: from a common start (a barrier) to the first
 *   client's last answer; the tail, when fewer clients remain, runs but is
 *   not timed. The headline rate is exchanges per second, a challenge then
 *   an appraisal (1 / (1 / challenge rate + 1 / appraisal rate)); the rate
 *   of phase 3 alone, appraisals per second, is printed too. A sample of
 *   results of every round is verified (signature, nonce, status affirming)
 *   after it.
 * - The ceiling: bare OpenSSL ES256 verification of the same token bytes,
 *   the least it costs (bench_ecdsa: the Sig_structure's digest in one call,
 *   EVP_PKEY_verify on a context prepared once per thread), on two threads
 *   at once, sampled before, between and after
 *   the rounds; the highest sample is used (the conservative choice).
 * - On a machine of few cores the clients share them with the service, and
 *   other processes may too. So the run also counts CPU time: the
 *   service's (the process's minus the clients' threads'), giving the rate
 *   two cores of its own would sustain, against the bare rate per CPU
 *   second of the two verifying threads; for whole exchanges and for the
 *   appraise phase alone. Both ratios are printed.
 * - After the HTTP rounds, as many exchanges again call the service's
 *   request handler directly on two threads (no HTTP, no sockets): the
 *   difference in CPU time per exchange is what the transport costs.
 *
 * Rounds run until ROUNDS_SECONDS of timed phases have passed or
 * MAX_ROUNDS are done, after a warm-up round; nothing waits on the clock
 * otherwise, so the run stops by itself (about 10 s). Speed never fails the
 * benchmark; a refused appraisal or a result that does not verify does.
 * MM_BENCH_VERIFIER_SECONDS changes ROUNDS_SECONDS (0.5..60).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdatomic.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mamori/ear.h"
#include "mamori/eat.h"
#include "bench_common.h"
#include "bench_http.h"
#include "bench_ossl.h"
#include "mamori/http.h"
#include "verifier.h"
#include "vf_internal.h"
#include "vf_store.h"

#ifndef MM_BENCH_BUILD_TYPE
#define MM_BENCH_BUILD_TYPE "unknown"
#endif

#define CLIENTS        8
#define BATCH          400 /* tokens per client per round */
#define ROUNDS_SECONDS 3.0
#define MAX_ROUNDS     25
#define SIGNERS        2
#define BARE_THREADS   2
#define DIRECT_THREADS 2
#define BARE_SECONDS   1.0
#define BARE_SLICE     0.25
#define SAMPLE         16 /* results verified per round */
#define TOKEN_MAX      512
#define RESULT_MAX     2048
#define NONCE_LEN      40
#define TARGET_RATIO   0.5

/*
 * The device and its evidence.
 */
static const uint8_t ueid[] = {0x01, 0x98, 0xf5, 0x0a, 0x4f, 0xf6, 0xc0, 0x58, 0x61,
                               0xc8, 0x86, 0x0d, 0x13, 0xa6, 0x38, 0xea, 0x11};
static const uint8_t hwmodel[] = {0x54, 0x9d, 0xce, 0xcc};
static const uint8_t oui[] = {0x89, 0x48, 0x23};
static const char device_kid[] = "bench-device-1";

static mm_key device;      /* the attestation key (private) */
static mm_key verifier;    /* the results' signing key */
static EVP_PKEY *bare_pub; /* the attestation key's public half, as libcrypto has it */

/* One exchange: the nonce, the evidence bound to it, the result. */
typedef struct slot {
    uint8_t nonce[NONCE_LEN];
    uint8_t token[TOKEN_MAX];
    size_t token_len;
    uint8_t result[RESULT_MAX];
    size_t result_len;
} slot;

static slot slots[CLIENTS][BATCH];

/* The claims of a healthy device, bound to nonce. */
static void claims_of(mm_eat_claims *c, const uint8_t nonce[NONCE_LEN], int64_t iat)
{
    memset(c, 0, sizeof *c);
    c->nonce = mm_bytes_make(nonce, NONCE_LEN);
    c->n_nonces = 1;
    c->ueid = mm_bytes_make(ueid, sizeof ueid);
    c->oemid.form = MM_EAT_OEMID_IEEE;
    c->oemid.id = mm_bytes_make(oui, sizeof oui);
    c->hwmodel = mm_bytes_make(hwmodel, sizeof hwmodel);
    c->hwversion.version = MM_BYTES_LIT("1.3.4");
    c->swname = MM_BYTES_LIT("Acme OS");
    c->swversion.version = MM_BYTES_LIT("3.1.4");
    c->oemboot = true;
    c->dbgstat = MM_EAT_DBG_DISABLED_PERMANENTLY;
    c->cwt.iat = iat;
    c->cwt.present = MM_CWT_HAS_IAT;
    c->present = MM_EAT_HAS_NONCE | MM_EAT_HAS_UEID | MM_EAT_HAS_OEMID | MM_EAT_HAS_HWMODEL | MM_EAT_HAS_HWVERSION |
                 MM_EAT_HAS_SWNAME | MM_EAT_HAS_SWVERSION | MM_EAT_HAS_OEMBOOT | MM_EAT_HAS_DBGSTAT;
}

static size_t sign_token(const uint8_t nonce[NONCE_LEN], uint8_t out[TOKEN_MAX])
{
    mm_eat_claims c;
    claims_of(&c, nonce, (int64_t)time(NULL));
    mm_cose_create_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = &device;
    o.alg = MM_ALG_ES256;
    o.kid = mm_bytes_make(device_kid, sizeof device_kid - 1);
    mm_buf b = mm_buf_make(out, TOKEN_MAX);
    bench_check(mm_eat_sign(&c, &o, 0, &b), "mm_eat_sign");
    return b.len;
}

typedef struct sign_job {
    size_t from, to; /* slots, as one flat array */
} sign_job;

static void *sign_main(void *arg)
{
    sign_job *j = arg;
    slot *all = &slots[0][0];
    for (size_t i = j->from; i < j->to; i++) {
        all[i].token_len = sign_token(all[i].nonce, all[i].token);
    }
    return NULL;
}

/* Phase 2: the evidence of every slot, on SIGNERS threads; its duration. */
static double sign_all(void)
{
    pthread_t t[SIGNERS];
    sign_job jobs[SIGNERS];
    size_t n = (size_t)CLIENTS * BATCH;
    double start = bench_wall_s();
    for (size_t i = 0; i < SIGNERS; i++) {
        jobs[i].from = n * i / SIGNERS;
        jobs[i].to = n * (i + 1) / SIGNERS;
        pthread_create(&t[i], NULL, sign_main, &jobs[i]);
    }
    for (size_t i = 0; i < SIGNERS; i++) {
        pthread_join(t[i], NULL);
    }
    return bench_wall_s() - start;
}

/*
 * The store: the device endorsed, its reference values.
 */
static void provision(const char *path)
{
    vf_store *s = NULL;
    bench_check(vf_store_open(path, 1, &s), "vf_store_open");
    uint8_t buf[512], cose[512], tp[MM_HASH_MAX];
    mm_key_parts parts;
    bench_check(mm_key_export(&device, 0, &parts, buf, sizeof buf), "mm_key_export");
    parts.d = mm_bytes_make(NULL, 0); /* the public half only */
    mm_buf out = mm_buf_make(cose, sizeof cose);
    mm_bytes kid = mm_bytes_make(device_kid, sizeof device_kid - 1);
    bench_check(mm_cose_key_encode(&parts, kid, 0, &out), "mm_cose_key_encode");
    size_t tl = 0;
    bench_check(mm_cose_key_thumbprint(mm_crypto_openssl(), &parts, MM_ALG_SHA256, tp, &tl), "thumbprint");
    vf_endorsement e;
    memset(&e, 0, sizeof e);
    e.scope.ueid = mm_bytes_make(ueid, sizeof ueid);
    e.cose_key = mm_bytes_make(cose, out.len);
    e.kid = kid;
    e.thumbprint = mm_bytes_make(tp, tl);
    e.source = MM_BYTES_LIT("bench");
    bench_check(vf_store_add_endorsement(s, &e, NULL), "vf_store_add_endorsement");
    vf_scope dev = {mm_bytes_make(ueid, sizeof ueid), {NULL, 0}, {NULL, 0}};
    const vf_ref refs[] = {
        {0, dev, VF_REF_SWNAME, MM_BYTES_LIT("Acme OS"), 0, 0, {NULL, 0}, MM_BYTES_LIT("bench")},
        {0, dev, VF_REF_SWVERSION, MM_BYTES_LIT("3.1.4"), 0, 0, {NULL, 0}, MM_BYTES_LIT("bench")},
        {0, dev, VF_REF_HWVERSION, MM_BYTES_LIT("1.3.4"), 0, 0, {NULL, 0}, MM_BYTES_LIT("bench")},
        {0, dev, VF_REF_DEBUG, {NULL, 0}, 0, MM_EAT_DBG_DISABLED, {NULL, 0}, MM_BYTES_LIT("bench")},
        {0, dev, VF_REF_SECURE_BOOT, {NULL, 0}, 0, 0, {NULL, 0}, MM_BYTES_LIT("bench")},
    };
    bench_check(vf_store_add_refs(s, refs, sizeof refs / sizeof refs[0], NULL), "vf_store_add_refs");
    vf_store_close(s);
}

/*
 * The HTTP clients.
 */
typedef enum phase { CHALLENGE, APPRAISE } phase;

typedef struct client {
    bench_http h;
    int index;
    phase ph;
    uint64_t failed;
    double cpu; /* this client's thread CPU time in its last phase */
    char why[200];
} client;

/* The steady part of a phase: from the moment every client may start (a
 * barrier) to the first client's last answer, while all CLIENTS are still
 * busy; the exchanges all of them completed in it. The tail, when fewer
 * clients remain, runs (every slot gets its answer) but is not timed. */
typedef struct phase_clock {
    pthread_barrier_t go;
    atomic_uint_fast64_t done;
    atomic_int finished;
    double first_at;
    uint64_t done_at_first;
} phase_clock;

static phase_clock clk;

/* The nonce of a CBOR challenge {"nonce": bstr, "expires": int}. */
static bool nonce_of(mm_bytes body, uint8_t out[NONCE_LEN])
{
    mm_cbor_dec d;
    size_t n = 0;
    if (mm_cbor_dec_init(&d, body, 0) != MM_OK || mm_cbor_enter_map(&d, &n) != MM_OK) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        mm_bytes k, v;
        if (mm_cbor_get_tstr(&d, &k) != MM_OK) {
            return false;
        }
        if (mm_bytes_equal(k, MM_BYTES_LIT("nonce"))) {
            if (mm_cbor_get_bstr(&d, &v) != MM_OK || v.len != NONCE_LEN) {
                return false;
            }
            memcpy(out, v.ptr, NONCE_LEN);
            return true;
        }
        mm_bytes skip;
        if (mm_cbor_get_raw(&d, &skip) != MM_OK) {
            return false;
        }
    }
    return false;
}

static void *client_main(void *arg)
{
    client *c = arg;
    pthread_barrier_wait(&clk.go);
    double cpu0 = bench_cpu_s();
    for (size_t i = 0; i < BATCH && c->failed == 0; i++) {
        slot *s = &slots[c->index][i];
        bench_http_reply rep;
        if (c->ph == CHALLENGE) {
            bench_http_post(&c->h, "/challenge", NULL, "application/cbor", NULL, 0, &rep);
            if (rep.status != 200 || !nonce_of(mm_bytes_make(rep.body, rep.len), s->nonce)) {
                snprintf(c->why, sizeof c->why, "challenge: HTTP %d", rep.status);
                c->failed++;
            }
        } else {
            bench_http_post(&c->h, "/appraise", "application/eat+cwt", "application/eat+cwt", s->token, s->token_len,
                            &rep);
            if (rep.status != 200 || rep.len > RESULT_MAX ||
                strncmp(rep.content_type, "application/eat+cwt", 19) != 0) {
                snprintf(c->why, sizeof c->why, "appraise: HTTP %d: %.*s", rep.status,
                         rep.len > 120 ? 120 : (int)rep.len, (const char *)rep.body);
                c->failed++;
            } else {
                memcpy(s->result, rep.body, rep.len);
                s->result_len = rep.len;
            }
        }
        atomic_fetch_add(&clk.done, 1);
    }
    if (atomic_exchange(&clk.finished, 1) == 0) {
        clk.first_at = bench_wall_s();
        clk.done_at_first = atomic_load(&clk.done);
    }
    c->cpu = bench_cpu_s() - cpu0;
    return NULL;
}

/* The process's CPU time (every thread: the service's and the clients'). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_used[2];    /* CPU seconds of the timed phases, every thread, per phase */
static double cpu_clients[2]; /* of which the clients' threads */
static double wall_whole[2];  /* the phases' whole durations, tails included */
static double steady_s[2];    /* their steady parts (phase_clock) */
static uint64_t steady_n[2];  /* and the exchanges completed in them */

/* One phase on every client at once. */
static void phase_run(client *cl, phase ph)
{
    pthread_t t[CLIENTS];
    atomic_store(&clk.done, 0);
    atomic_store(&clk.finished, 0);
    pthread_barrier_init(&clk.go, NULL, CLIENTS + 1);
    for (int i = 0; i < CLIENTS; i++) {
        cl[i].ph = ph;
        pthread_create(&t[i], NULL, client_main, &cl[i]);
    }
    double cpu0 = cpu_s();
    pthread_barrier_wait(&clk.go);
    double start = bench_wall_s();
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(t[i], NULL);
    }
    wall_whole[ph] += bench_wall_s() - start;
    cpu_used[ph] += cpu_s() - cpu0;
    pthread_barrier_destroy(&clk.go);
    steady_s[ph] += clk.first_at - start;
    steady_n[ph] += clk.done_at_first;
    for (int i = 0; i < CLIENTS; i++) {
        cpu_clients[ph] += cl[i].cpu;
        if (cl[i].failed != 0) {
            bench_die("client %d: %s", i, cl[i].why);
        }
    }
}

/*
 * The service's request handler called directly, on DIRECT_THREADS threads,
 * without HTTP: what an exchange costs the service apart from the
 * transport (CPU time of those threads).
 */
typedef struct direct_job {
    vf_service *svc;
    phase ph;
    size_t from, to; /* slots, as one flat array */
    double cpu;
    const char *failed;
} direct_job;

static void *direct_main(void *arg)
{
    direct_job *j = arg;
    slot *all = &slots[0][0];
    double cpu0 = bench_cpu_s();
    for (size_t i = j->from; i < j->to && j->failed == NULL; i++) {
        mm_http_request req;
        memset(&req, 0, sizeof req);
        req.method = "POST";
        mm_http_response resp;
        memset(&resp, 0, sizeof resp);
        if (j->ph == CHALLENGE) {
            req.path = "/challenge";
            req.accept = "application/cbor";
            (void)vf_api_handle(j->svc, &req, &resp, NULL);
            if (resp.status != 200 || !nonce_of(mm_bytes_make(resp.body, resp.len), all[i].nonce)) {
                j->failed = "a direct challenge failed";
            }
        } else {
            req.path = "/appraise";
            req.content_type = "application/eat+cwt";
            req.accept = "application/eat+cwt";
            req.body = mm_bytes_make(all[i].token, all[i].token_len);
            (void)vf_api_handle(j->svc, &req, &resp, NULL);
            if (resp.status != 200 || resp.len > RESULT_MAX) {
                j->failed = "a direct appraisal failed";
            } else {
                memcpy(all[i].result, resp.body, resp.len);
                all[i].result_len = resp.len;
            }
        }
        free(resp.body);
    }
    j->cpu = bench_cpu_s() - cpu0;
    return NULL;
}

/* One phase of direct calls over every slot; the CPU seconds it took. */
static double direct_run(vf_service *svc, phase ph)
{
    pthread_t t[DIRECT_THREADS];
    direct_job jobs[DIRECT_THREADS];
    size_t n = (size_t)CLIENTS * BATCH;
    double cpu = 0;
    for (size_t i = 0; i < DIRECT_THREADS; i++) {
        jobs[i] = (direct_job){svc, ph, n * i / DIRECT_THREADS, n * (i + 1) / DIRECT_THREADS, 0, NULL};
        pthread_create(&t[i], NULL, direct_main, &jobs[i]);
    }
    for (size_t i = 0; i < DIRECT_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (jobs[i].failed != NULL) {
            bench_die("%s", jobs[i].failed);
        }
        cpu += jobs[i].cpu;
    }
    return cpu;
}

/* A sample of the round's results: signed by the verifier, bound to the
 * nonce, affirming. */
static void verify_sample(void)
{
    mm_ear_appraisal aps[2];
    mm_bytes ids[8];
    mm_ear_storage st = {aps, 2, ids, 8};
    mm_cose_verify_opts co;
    memset(&co, 0, sizeof co);
    co.crypto = mm_crypto_openssl();
    co.key = &verifier;
    for (int i = 0; i < SAMPLE; i++) {
        const slot *s = &slots[i % CLIENTS][(size_t)i * 37 % BATCH];
        mm_ear ear;
        bench_check(mm_ear_verify(mm_bytes_make(s->result, s->result_len), &co, NULL,
                                  mm_bytes_make(s->nonce, NONCE_LEN), &st, &ear),
                    "a result does not verify");
        if (ear.status != MM_AR4SI_AFFIRMING) {
            bench_die("a result is not affirming (status %u)", ear.status);
        }
    }
}

/*
 * The ceiling: bare ES256 verification of the same token bytes.
 */
typedef struct bare {
    uint8_t tbs[TOKEN_MAX + 64]; /* the Sig_structure */
    size_t tbs_len;
    uint8_t sig[80]; /* DER */
    size_t sig_len;
} bare;

static bool bare_verify_in(const bench_ecdsa *e, const bare *b)
{
    return bench_ecdsa_verify(e, b->sig, b->sig_len, b->tbs, b->tbs_len) == 1;
}

typedef struct bare_job {
    const bare *b;
    double seconds;
    uint64_t ops;
    double cpu; /* the thread's CPU time for them */
} bare_job;

static void *bare_main(void *arg)
{
    bare_job *j = arg;
    bench_ecdsa e;
    bench_ecdsa_init(&e, bare_pub, "SHA256", 'v');
    double cpu0 = bench_cpu_s();
    double end = bench_wall_s() + j->seconds;
    uint64_t n = 0;
    while ((n & 63) != 0 || bench_wall_s() < end) {
        if (!bare_verify_in(&e, j->b)) {
            bench_die("bare ES256 verify failed");
        }
        n++;
    }
    bench_ecdsa_free(&e);
    j->ops = n;
    j->cpu = bench_cpu_s() - cpu0;
    return NULL;
}

/* The ceiling, two ways: verifications per second of wall-clock time on
 * BARE_THREADS threads at once (what this machine gave, other processes
 * included), and per second of CPU time, summed over the threads (what
 * BARE_THREADS cores of its own would give). Sampled several times; the
 * highest of each is kept. */
static double ceil_wall, ceil_cpu;

static void bare_sample(const bare *b, double seconds)
{
    pthread_t t[BARE_THREADS];
    bare_job jobs[BARE_THREADS];
    double start = bench_wall_s();
    for (int i = 0; i < BARE_THREADS; i++) {
        jobs[i] = (bare_job){b, seconds, 0, 0};
        pthread_create(&t[i], NULL, bare_main, &jobs[i]);
    }
    uint64_t ops = 0;
    double per_cpu = 0;
    for (int i = 0; i < BARE_THREADS; i++) {
        pthread_join(t[i], NULL);
        ops += jobs[i].ops;
        per_cpu += jobs[i].cpu > 0 ? (double)jobs[i].ops / jobs[i].cpu : 0;
    }
    double wall = (double)ops / (bench_wall_s() - start);
    ceil_wall = wall > ceil_wall ? wall : ceil_wall;
    ceil_cpu = per_cpu > ceil_cpu ? per_cpu : ceil_cpu;
}

/* The Sig_structure and DER signature of a token, and the attestation
 * key's public half for libcrypto. */
static void bare_init(bare *b, const uint8_t *token, size_t len)
{
    mm_cose_sign1 s;
    bench_open_sign1(mm_bytes_make(token, len), &s);
    b->tbs_len = bench_sig_structure1(s.hdr.protected_bytes, s.payload, b->tbs, sizeof b->tbs);
    b->sig_len = bench_es256_der(s.signature.ptr, b->sig, sizeof b->sig);
    bare_pub = bench_libcrypto_public(&device);
    bench_ecdsa e;
    bench_ecdsa_init(&e, bare_pub, "SHA256", 'v');
    if (!bare_verify_in(&e, b)) {
        bench_die("the bare side does not verify the token");
    }
    bench_ecdsa_free(&e);
}

static void log_line(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "bench_verifier: service: %s\n", line);
}

int main(void)
{
    bench_init("bench_verifier", ERR_print_errors_fp);
    const char *env = getenv("MM_BENCH_VERIFIER_SECONDS");
    double seconds = env != NULL ? atof(env) : ROUNDS_SECONDS;
    seconds = seconds < 0.5 ? 0.5 : seconds > 60 ? 60 : seconds;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/mm-bench-verifier-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        bench_die("cannot make a folder under /tmp");
    }
    const mm_crypto *ossl = mm_crypto_openssl();
    bench_check(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, MM_KEY_EXTRACTABLE, &device), "keygen");
    bench_check(mm_key_generate(ossl, MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, &verifier), "keygen");
    char db[128];
    snprintf(db, sizeof db, "%s/verifier.db", dir);
    provision(db);

    vf_config cfg;
    vf_config_init(&cfg);
    cfg.listen = "127.0.0.1:0";
    cfg.database = db;
    cfg.key = &verifier;
    cfg.alg = MM_ALG_ES256;
    cfg.log = log_line;
    const char *th = getenv("MM_BENCH_VERIFIER_THREADS"); /* for tuning; the default is the service's */
    if (th != NULL && atoi(th) > 0 && atoi(th) <= (int)VF_THREADS_MAX) {
        cfg.threads = (unsigned)atoi(th);
    }
    vf_service *svc = NULL;
    vf_error err;
    if (vf_service_open(&cfg, &svc, &err) != MM_OK || vf_service_start(svc, &err) != MM_OK) {
        bench_die("%s", err.msg);
    }
    static client cl[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        bench_http_open(&cl[i].h, vf_service_port(svc));
        cl[i].index = i;
    }
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    printf("bench_verifier: RATS Verifier appraisals over loopback HTTP (POST /challenge, then POST /appraise of an "
           "ES256 EAT bound to that nonce; EAR results signed ES256 as CWTs), used nonces in memory (saved to "
           "SQLite at a clean stop)\n");
    printf("build type %s; %ld cores; %d clients, %d exchanges each per round; %u service threads\n\n",
           MM_BENCH_BUILD_TYPE, nproc, CLIENTS, BATCH, cfg.threads);

    /* A warm-up round, whose first token also gives the ceiling's bytes. */
    phase_run(cl, CHALLENGE);
    sign_all();
    phase_run(cl, APPRAISE);
    verify_sample();
    static bare b;
    bare_init(&b, slots[0][0].token, slots[0][0].token_len);
    bare_sample(&b, BARE_SECONDS);

    double t_sign = 0;
    memset(cpu_used, 0, sizeof cpu_used);
    memset(cpu_clients, 0, sizeof cpu_clients);
    memset(wall_whole, 0, sizeof wall_whole);
    memset(steady_s, 0, sizeof steady_s);
    memset(steady_n, 0, sizeof steady_n);
    uint64_t done = 0;
    int rounds = 0;
    while (rounds < MAX_ROUNDS && wall_whole[CHALLENGE] + wall_whole[APPRAISE] < seconds) {
        phase_run(cl, CHALLENGE);
        t_sign += sign_all();
        phase_run(cl, APPRAISE);
        verify_sample();
        done += (uint64_t)CLIENTS * BATCH;
        rounds++;
        bare_sample(&b, BARE_SLICE); /* between rounds: the same load as they had */
    }
    /* As many exchanges again with the handler called directly. */
    double cpu_direct = 0;
    for (int i = 0; i < rounds; i++) {
        cpu_direct += direct_run(svc, CHALLENGE);
        sign_all();
        cpu_direct += direct_run(svc, APPRAISE);
        verify_sample();
    }
    bare_sample(&b, BARE_SECONDS);
    double ceiling = ceil_wall;

    double challenge_rate = (double)steady_n[CHALLENGE] / steady_s[CHALLENGE];
    double appraise_only = (double)steady_n[APPRAISE] / steady_s[APPRAISE];
    double rate = 1.0 / (1.0 / challenge_rate + 1.0 / appraise_only); /* a challenge, then an appraisal */
    printf("rounds %d, exchanges %" PRIu64 ", evidence %zu bytes, results %zu bytes\n", rounds, done,
           slots[0][0].token_len, slots[0][0].result_len);
    printf("challenges (timed)            %8.0f /s\n", challenge_rate);
    printf("appraisals alone (timed)      %8.0f /s\n", appraise_only);
    printf("challenge + appraise (timed)  %8.0f /s   (whole exchanges)\n", rate);
    double cpu_all = cpu_used[CHALLENGE] + cpu_used[APPRAISE];
    double cpu_cl = cpu_clients[CHALLENGE] + cpu_clients[APPRAISE];
    double cpu_service = cpu_all - cpu_cl;
    double cpu_service_appraise = cpu_used[APPRAISE] - cpu_clients[APPRAISE];
    double dedicated = 2.0 * (double)done / cpu_service;
    double dedicated_appraise = 2.0 * (double)done / cpu_service_appraise;
    printf("CPU per exchange (timed)      %8.1f us: service %.1f us (%.1f of it appraising), clients %.1f us (%.0f%% "
           "of %ld cores busy)\n",
           1e6 * cpu_all / (double)done, 1e6 * cpu_service / (double)done, 1e6 * cpu_service_appraise / (double)done,
           1e6 * cpu_cl / (double)done,
           100.0 * cpu_all / (wall_whole[CHALLENGE] + wall_whole[APPRAISE]) / (double)nproc, nproc);
    printf("two cores of service CPU      %8.0f /s   (exchanges per 2 s of the service's CPU time)\n", dedicated);
    printf("the handler alone             %8.1f us per exchange (called directly, no HTTP: %.1f us of the service's "
           "is the transport)\n",
           1e6 * cpu_direct / (double)done, 1e6 * (cpu_service - cpu_direct) / (double)done);
    printf("evidence signing (not timed)  %8.0f /s on %d threads (the attester's cost, for scale)\n",
           (double)done / t_sign, SIGNERS);
    printf("bare ES256 verify, %d threads %8.0f /s   (the best of %d samples; by CPU time %.0f /s)\n\n", BARE_THREADS,
           ceiling, rounds + 2, ceil_cpu);
    printf("verifier: appraisals (POST /appraise) with %d clients: %.0f/s; bare 2-core ES256 verify %.0f/s; ratio "
           "%.3f (target >= %.2f); whole exchanges (challenge + appraise) %.0f/s, ratio %.3f\n",
           CLIENTS, appraise_only, ceiling, appraise_only / ceiling, TARGET_RATIO, rate, rate / ceiling);
    printf("verifier: by the service's CPU time (as if it had two cores of its own, the clients elsewhere): "
           "appraisals %.0f/s, ratio %.3f; whole exchanges %.0f/s, ratio %.3f\n",
           dedicated_appraise, dedicated_appraise / ceil_cpu, dedicated, dedicated / ceil_cpu);

    for (int i = 0; i < CLIENTS; i++) {
        bench_http_close(&cl[i].h);
    }
    vf_service_close(svc);
    EVP_PKEY_free(bare_pub);
    mm_key_free(&device);
    mm_key_free(&verifier);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench_verifier: could not remove %s\n", dir);
    }
    return 0;
}
