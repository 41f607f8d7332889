/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP edge of the Verifier (docs/verifier.md, "HTTP API"). Errors are
 * RFC 9290 concise problem details whose title names the check that
 * failed. Everything here runs in the HTTP worker threads, and every
 * answer is given at once.
 *
 *   POST /challenge   a nonce and its expiry (CBOR, or JSON on request)
 *   POST /appraise    evidence (application/eat+cwt) -> a signed EAR (CWT,
 *                     or a JWT on request), or a refusal
 *   GET  /key         the verifier's public key (COSE_Key, kid = thumbprint)
 *   GET  /health      liveness and store counts (JSON)
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vf_internal.h"

static mm_http_answer problem(mm_http_response *resp, unsigned status, const char *title, const char *detail)
{
    mm_http_problem(resp, status, title, detail);
    return MM_HTTP_NOW;
}

/*
 * Media types (RFC 9110 section 8.3.1): type/subtype, then parameters.
 */
typedef struct media {
    char type[80];     /* lower case, without parameters */
    char profile[256]; /* the eat_profile parameter, unquoted */
    double q;          /* Accept: the weight (1 when absent) */
} media;

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* Parses one media type (or range) from p up to a ',' or the end; *next
 * gets where parsing stopped. False for what does not parse. */
static bool parse_media(const char *p, media *m, const char **next)
{
    memset(m, 0, sizeof *m);
    m->q = 1.0;
    p = skip_ows(p);
    size_t n = 0;
    while (*p != '\0' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t') {
        if (n + 1 < sizeof m->type) {
            m->type[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
        }
        p++;
    }
    m->type[n] = '\0';
    p = skip_ows(p);
    while (*p == ';') {
        p = skip_ows(p + 1);
        const char *name = p;
        while (*p != '\0' && *p != '=' && *p != ';' && *p != ',') {
            p++;
        }
        size_t name_len = (size_t)(p - name);
        while (name_len != 0 && (name[name_len - 1] == ' ' || name[name_len - 1] == '\t')) {
            name_len--;
        }
        char value[256];
        size_t vn = 0;
        if (*p == '=') {
            p = skip_ows(p + 1);
            if (*p == '"') {
                for (p++; *p != '\0' && *p != '"'; p++) {
                    if (*p == '\\' && p[1] != '\0') {
                        p++;
                    }
                    if (vn + 1 < sizeof value) {
                        value[vn++] = *p;
                    }
                }
                if (*p != '"') {
                    return false;
                }
                p++;
            } else {
                while (*p != '\0' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t') {
                    if (vn + 1 < sizeof value) {
                        value[vn++] = *p;
                    }
                    p++;
                }
            }
        }
        value[vn] = '\0';
        if (name_len == 11 && strncasecmp(name, "eat_profile", 11) == 0) {
            snprintf(m->profile, sizeof m->profile, "%s", value);
        } else if (name_len == 1 && (name[0] == 'q' || name[0] == 'Q')) {
            m->q = strtod(value, NULL);
        }
        p = skip_ows(p);
    }
    *next = p;
    return n != 0 && strchr(m->type, '/') != NULL;
}

/* What a client accepts: 1 a CWT, 2 a JWT, 0 neither (406). cbor and json
 * name the plain forms a resource offers (the challenge's). */
static int negotiate(const char *accept, const char *cwt_type, const char *jwt_type, const char *cwt_alt,
                     const char *jwt_alt, bool ear)
{
    if (accept == NULL || *skip_ows(accept) == '\0') {
        return 1;
    }
    int best = 0;
    double best_q = 0;
    const char *p = accept;
    while (*p != '\0') {
        media m;
        const char *next = p;
        bool ok = parse_media(p, &m, &next);
        int kind = 0;
        bool cwt = ok && (strcmp(m.type, cwt_type) == 0 || (cwt_alt != NULL && strcmp(m.type, cwt_alt) == 0));
        bool jwt = ok && (strcmp(m.type, jwt_type) == 0 || (jwt_alt != NULL && strcmp(m.type, jwt_alt) == 0));
        bool any = ok && (strcmp(m.type, "*/*") == 0 || strcmp(m.type, "application/*") == 0);
        if (jwt) {
            kind = 2;
        } else if (cwt || any) {
            kind = 1; /* CWT is the default */
        }
        if (kind != 0 && ear && m.profile[0] != '\0' && strcmp(m.profile, MM_EAR_PROFILE) != 0) {
            kind = 0; /* a result of another profile: not what this verifier makes */
        }
        if (kind != 0 && m.q > best_q) {
            best = kind;
            best_q = m.q;
        }
        while (*next != '\0' && *next != ',') {
            next++;
        }
        p = *next == ',' ? next + 1 : next;
    }
    return best;
}

/*
 * POST /challenge
 */
static mm_http_answer challenge(vf_service *svc, const mm_http_request *req, mm_http_response *resp)
{
    int form = negotiate(req->accept, "application/cbor", "application/json", NULL, NULL, false);
    if (form == 0) {
        return problem(resp, 406, "Not Acceptable", "a challenge is application/cbor or application/json");
    }
    int64_t expires = vf_now(svc) + (int64_t)svc->cfg.nonce_ttl;
    uint8_t nonce[VF_NONCE_LEN];
    if (vf_nonce_make(svc->crypto, &svc->nonce_key, expires, nonce) != MM_OK) {
        return problem(resp, 500, VF_T_FAILURE, "cannot make a nonce");
    }
    if (form == 2) {
        char b64[64];
        mm_buf b = mm_buf_make(b64, sizeof b64);
        json_t *j = json_object();
        if (mm_base64_encode(mm_bytes_make(nonce, sizeof nonce), MM_B64URL, &b) != MM_OK || j == NULL) {
            json_decref(j);
            return problem(resp, 500, VF_T_FAILURE, "cannot encode the nonce");
        }
        json_object_set_new(j, "nonce", json_stringn(b64, b.len));
        json_object_set_new(j, "expires", json_integer(expires));
        char *text = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        if (text == NULL) {
            return problem(resp, 500, VF_T_FAILURE, "out of memory");
        }
        resp->status = 200;
        resp->content_type = "application/json";
        resp->body = (uint8_t *)text;
        resp->len = strlen(text);
        return MM_HTTP_NOW;
    }
    uint8_t buf[96];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, sizeof buf);
    mm_cbor_put_map(&enc, 2);
    mm_cbor_put_cstr(&enc, "nonce");
    mm_cbor_put_bstr(&enc, mm_bytes_make(nonce, sizeof nonce));
    mm_cbor_put_cstr(&enc, "expires");
    mm_cbor_put_int(&enc, expires);
    size_t len = 0;
    if (mm_cbor_enc_finish(&enc, &len) != MM_OK) {
        return problem(resp, 500, VF_T_FAILURE, "cannot encode the challenge");
    }
    mm_http_body(resp, 200, "application/cbor", mm_bytes_make(buf, len));
    return MM_HTTP_NOW;
}

/*
 * POST /appraise
 */

static void give_outcome(vf_outcome *out, mm_http_response *resp)
{
    if (out->status != 200) {
        mm_http_problem(resp, out->status, out->title, out->detail);
        return;
    }
    resp->status = 200;
    resp->content_type = out->jwt ? VF_MEDIA_EAR_JWT : VF_MEDIA_EAR_CWT;
    resp->body = out->result; /* the server frees it */
    resp->len = out->result_len;
    out->result = NULL;
}

static mm_http_answer appraise(vf_service *svc, const mm_http_request *req, mm_http_response *resp)
{
    media m;
    const char *next = NULL;
    if (req->content_type == NULL || !parse_media(req->content_type, &m, &next) ||
        (strcmp(m.type, VF_MEDIA_EAT_CWT) != 0 && strcmp(m.type, VF_MEDIA_CWT) != 0)) {
        return problem(resp, 415, "Unsupported Media Type",
                       "evidence is sent as Content-Type: application/eat+cwt (an EAT in a COSE_Sign1 CWT)");
    }
    int form = negotiate(req->accept, VF_MEDIA_EAT_CWT, VF_MEDIA_EAT_JWT, VF_MEDIA_CWT, "application/jwt", true);
    if (form == 0) {
        return problem(resp, 406, "Not Acceptable",
                       "results are " VF_MEDIA_EAR_CWT " or application/eat+jwt with the same profile");
    }
    if (req->body.len == 0) {
        return problem(resp, 400, VF_T_MALFORMED, "the request carries no evidence");
    }
    pthread_mutex_lock(&svc->lock);
    bool closing = svc->closing;
    pthread_mutex_unlock(&svc->lock);
    if (closing) {
        return problem(resp, 503, VF_T_UNAVAILABLE, "the verifier is stopping");
    }
    vf_request r;
    r.evidence = req->body;
    r.type_profile = mm_bytes_from_cstr(m.profile);
    r.jwt = form == 2;
    vf_outcome out;
    vf_appraise(svc, &r, &out);
    vf_use_nonce(svc, &out); /* before the result leaves */
    give_outcome(&out, resp);
    vf_outcome_free(&out);
    return MM_HTTP_NOW;
}

/*
 * GET /health, GET /key
 */
static mm_http_answer health(vf_service *svc, mm_http_response *resp)
{
    int64_t e = 0, r = 0, saved = 0;
    if (vf_store_counts(svc->store, &e, &r, &saved) != MM_OK) {
        return problem(resp, 503, VF_T_UNAVAILABLE, "the store cannot be read");
    }
    long long u = (long long)vf_used_count(svc->used); /* the set, not the table (written at a stop) */
    char text[200];
    int n = snprintf(text, sizeof text,
                     "{\"status\":\"ok\",\"endorsements\":%lld,\"reference_values\":%lld,\"used_nonces\":%lld}",
                     (long long)e, (long long)r, u);
    mm_http_body(resp, 200, "application/json", mm_bytes_make(text, (size_t)n));
    return MM_HTTP_NOW;
}

static bool is(const mm_http_request *req, const char *path) { return strcmp(req->path, path) == 0; }

mm_http_answer vf_api_handle(void *user, const mm_http_request *req, mm_http_response *resp, mm_http_pending *later)
{
    (void)later; /* every answer is given at once */
    vf_service *svc = user;
    bool post = strcmp(req->method, "POST") == 0;
    bool get = strcmp(req->method, "GET") == 0;
    if (is(req, "/challenge") || is(req, "/appraise")) {
        if (!post) {
            return problem(resp, 405, "Method Not Allowed", "POST is");
        }
        return is(req, "/challenge") ? challenge(svc, req, resp) : appraise(svc, req, resp);
    }
    if (is(req, "/key") || is(req, "/health")) {
        if (!get) {
            return problem(resp, 405, "Method Not Allowed", "GET is");
        }
        if (is(req, "/health")) {
            return health(svc, resp);
        }
        mm_http_body(resp, 200, VF_MEDIA_COSE_KEY, vf_service_public_key(svc));
        return MM_HTTP_NOW;
    }
    return problem(resp, 404, "Not Found", "the resources are /challenge, /appraise, /key and /health");
}
