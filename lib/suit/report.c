/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT reports (draft-ietf-suit-report-18): written into the caller's
 * buffer as the procedure runs, one SUIT_Record per command the reporting
 * policy asks for (or every command with MM_SUIT_REPORT_ALL), then the
 * result: true, or the error code, the record of where it failed and the
 * reason. The records array is written first and the map sorted when it is
 * closed, so nothing needs to be held back.
 */
#include "processor.h"

static const char *const reason_names[] = {
    "ok",
    "cbor-parse",
    "cose-unsupported",
    "alg-unsupported",
    "unauthorised",
    "command-unsupported",
    "component-unsupported",
    "component-unauthorised",
    "parameter-unsupported",
    "severing-unsupported",
    "condition-failed",
    "operation-failed",
    "invoke-pending",
};

const char *mm_suit_reason_name(int reason)
{
    return reason >= 0 && (size_t)reason < sizeof reason_names / sizeof reason_names[0] ? reason_names[reason]
                                                                                        : "unknown";
}

/* Reporting policy bits (manifest section 8.4.5). */
#define REC_ON_SUCCESS     0x1u
#define REC_ON_FAILURE     0x2u
#define SYSINFO_ON_SUCCESS 0x4u
#define SYSINFO_ON_FAILURE 0x8u

void suit_report_begin(mm_suit_processor *p)
{
    mm_buf *r = p->cfg.report;
    p->report_err = MM_OK;
    if (r == NULL) {
        return;
    }
    mm_cbor_enc_init(&p->rep, r->ptr, r->cap);
    mm_cbor_open_map(&p->rep);
    mm_cbor_put_uint(&p->rep, MM_SUIT_REPORT_RECORDS);
    mm_cbor_open_array(&p->rep);
}

/* suit-record-properties: what the command measured, when asked for (only
 * image digests are measured by the processor itself). */
static void put_properties(mm_suit_processor *p, int32_t command, bool sysinfo)
{
    mm_cbor_enc *e = &p->rep;
    bool digest = sysinfo && p->measured_len != 0 &&
                  (command == MM_SUIT_CMD_IMAGE_MATCH || command == MM_SUIT_CMD_IMAGE_NOT_MATCH);
    mm_cbor_put_map(e, digest ? 1 : 0);
    if (digest) {
        mm_cbor_put_uint(e, MM_SUIT_PARAM_IMAGE_DIGEST);
        mm_cbor_open_wrap(e);
        mm_cbor_put_array(e, 2);
        mm_cbor_put_int(e, p->measured_alg);
        mm_cbor_put_bstr(e, mm_bytes_make(p->measured, p->measured_len));
        mm_cbor_close(e, NULL);
    }
}

/* [manifest-id, section, offset, component, properties] */
static void put_record(mm_suit_processor *p, int32_t section, uint32_t offset, uint32_t comp, int32_t command,
                       bool sysinfo)
{
    mm_cbor_enc *e = &p->rep;
    mm_cbor_put_array(e, 5);
    mm_cbor_put_array(e, 0); /* the root manifest: dependencies come with trust domains */
    mm_cbor_put_int(e, section);
    mm_cbor_put_uint(e, offset);
    mm_cbor_put_uint(e, comp);
    put_properties(p, command, sysinfo);
}

void suit_report_event(mm_suit_processor *p, const mm_suit_event *ev)
{
    if (p->cfg.report == NULL) {
        return;
    }
    bool ok = ev->result == MM_OK || ev->soft;
    bool all = (p->cfg.flags & MM_SUIT_REPORT_ALL) != 0;
    if (!all && (ev->policy & (ok ? REC_ON_SUCCESS : REC_ON_FAILURE)) == 0) {
        return;
    }
    bool sysinfo = (ev->policy & (ok ? SYSINFO_ON_SUCCESS : SYSINFO_ON_FAILURE)) != 0;
    put_record(p, ev->section, ev->offset, ev->component, ev->command, sysinfo);
}

/* SUIT_Reference: [manifest URI, manifest digest]. The digest is the one
 * the authentication wrapper gives; when the wrapper could not be read, the
 * SHA-256 of the manifest bstr, or of the input itself. */
static void put_reference(mm_suit_processor *p, mm_bytes input)
{
    mm_cbor_enc *e = &p->rep;
    mm_cbor_put_uint(e, MM_SUIT_REPORT_REFERENCE);
    mm_cbor_put_array(e, 2);
    mm_cbor_put_tstr(e, p->man.has_reference_uri ? p->man.reference_uri : mm_bytes_make(NULL, 0));
    if (p->auth.digest.alg != 0) {
        mm_cbor_put_raw(e, p->auth.digest_item);
        return;
    }
    uint8_t h[MM_HASH_MAX];
    size_t len = 0;
    mm_bytes what = p->env.manifest_item.len != 0 ? p->env.manifest_item : input;
    if (mm_hash(p->cfg.crypto, MM_ALG_SHA256, what, h, &len) != MM_OK) {
        len = 0;
    }
    mm_cbor_put_array(e, 2);
    mm_cbor_put_int(e, MM_ALG_SHA256);
    mm_cbor_put_bstr(e, mm_bytes_make(h, len));
}

void suit_report_end(mm_suit_processor *p, mm_err err, mm_bytes input)
{
    mm_buf *r = p->cfg.report;
    if (r == NULL) {
        return;
    }
    mm_cbor_enc *e = &p->rep;
    mm_cbor_close(e, NULL); /* the records */
    mm_cbor_put_uint(e, MM_SUIT_REPORT_RESULT);
    if (err == MM_OK) {
        mm_cbor_put_bool(e, true);
    } else {
        const mm_suit_failure *f = &p->failure;
        mm_cbor_put_map(e, 3);
        mm_cbor_put_uint(e, MM_SUIT_REPORT_RESULT_CODE);
        mm_cbor_put_int(e, (int64_t)f->err);
        mm_cbor_put_uint(e, MM_SUIT_REPORT_RESULT_RECORD);
        put_record(p, f->section, f->offset, f->component, f->command, f->command != 0);
        mm_cbor_put_uint(e, MM_SUIT_REPORT_RESULT_REASON);
        mm_cbor_put_uint(e, f->reason);
    }
    put_reference(p, input);
    if (p->cfg.nonce.len != 0) {
        mm_cbor_put_uint(e, MM_SUIT_REPORT_NONCE);
        mm_cbor_put_bstr(e, p->cfg.nonce);
    }
    mm_cbor_close(e, NULL);
    size_t len = 0;
    p->report_err = mm_cbor_enc_finish(e, &len);
    r->len = len;
}

mm_err mm_suit_report_sign(const mm_cose_create_opts *opts, mm_bytes report, mm_buf *out)
{
    if (opts == NULL || report.len == 0) {
        return MM_ERR_INVALID_ARG;
    }
    /* SUIT_Report_COSE_Sign1: the report is the (attached) payload. */
    return mm_cose_sign1_create(opts, report, out);
}
