/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 9290 concise problem details: the error body of every mamori service,
 * written and read in one place; and plain response bodies. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/cbor.h"
#include "mamori/http.h"

/* RFC 9290 section 6.1 keys. */
enum { PROBLEM_TITLE = -1, PROBLEM_DETAIL = -2, PROBLEM_STATUS = -4 };

void mm_http_body(mm_http_response *resp, unsigned status, const char *content_type, mm_bytes body)
{
    free(resp->body);
    resp->body = NULL;
    resp->len = 0;
    resp->status = status;
    resp->content_type = content_type;
    if (body.len == 0) {
        return;
    }
    resp->body = malloc(body.len);
    if (resp->body == NULL) {
        resp->status = 500;
        resp->content_type = NULL;
        return;
    }
    memcpy(resp->body, body.ptr, body.len);
    resp->len = body.len;
}

void mm_http_problem(mm_http_response *resp, unsigned status, const char *title, const char *detail)
{
    uint8_t buf[1024];
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, buf, sizeof buf);
    mm_cbor_open_map(&enc);
    mm_cbor_put_int(&enc, PROBLEM_TITLE);
    mm_cbor_put_cstr(&enc, title);
    if (detail != NULL) {
        /* A detail too long for the buffer is cut, never dropped silently. */
        size_t n = strlen(detail);
        mm_cbor_put_int(&enc, PROBLEM_DETAIL);
        mm_cbor_put_tstr(&enc, mm_bytes_make(detail, n > 900 ? 900 : n));
    }
    mm_cbor_put_int(&enc, PROBLEM_STATUS);
    mm_cbor_put_uint(&enc, status);
    mm_cbor_close(&enc, NULL);
    size_t len = 0;
    if (mm_cbor_enc_finish(&enc, &len) != MM_OK) {
        len = 0;
    }
    mm_http_body(resp, status, MM_HTTP_PROBLEM_TYPE, mm_bytes_make(buf, len));
}

static mm_err skip_other(mm_cbor_dec *dec, const mm_cbor_item *key, void *user)
{
    (void)key;
    (void)user;
    return mm_cbor_skip(dec);
}

mm_err mm_http_problem_decode(mm_bytes in, mm_http_problem_doc *out)
{
    static const mm_cbor_field fields[] = {
        {PROBLEM_TITLE, NULL, MM_CBOR_F_TSTR, 0, offsetof(mm_http_problem_doc, title), NULL},
        {PROBLEM_DETAIL, NULL, MM_CBOR_F_TSTR, 0, offsetof(mm_http_problem_doc, detail), NULL},
        {PROBLEM_STATUS, NULL, MM_CBOR_F_INT, 0, offsetof(mm_http_problem_doc, status), NULL},
    };
    memset(out, 0, sizeof *out);
    mm_cbor_dec d;
    mm_cbor_map_opts opts = {skip_other, NULL, 0};
    mm_err e = mm_cbor_dec_init(&d, in, MM_CBOR_CHECK_UTF8);
    if (e == MM_OK) {
        e = mm_cbor_decode_map(&d, fields, 3, out, NULL, &opts);
    }
    return e == MM_OK ? mm_cbor_dec_finish(&d) : e;
}
