/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SUIT reports (draft-ietf-suit-report-18): written into the caller's
 * buffer as the procedure runs, one SUIT_Record per command the reporting
 * policy asks for (or every command with MM_SUIT_REPORT_ALL), then the
 * result: true, or the error code, the record of where it failed and the
 * reason. The map's members are written in their deterministic order, the
 * records array first (its count patched when it is closed), so nothing
 * needs to be held back or sorted.
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

/* The report's map has a known number of members, written in their
 * deterministic order (nonce 2, records 3, result 4, reference 99), so it
 * is never sorted. */
void suit_report_begin(mm_suit_processor *p)
{
    mm_buf *r = p->cfg.report;
    p->report_err = MM_OK;
    if (r == NULL) {
        return;
    }
    mm_cbor_enc_init(&p->rep, r->ptr, r->cap);
    bool nonce = p->cfg.nonce.len != 0;
    mm_cbor_put_map(&p->rep, nonce ? 4 : 3);
    if (nonce) {
        mm_cbor_put_uint(&p->rep, MM_SUIT_REPORT_NONCE);
        mm_cbor_put_bstr(&p->rep, p->cfg.nonce);
    }
    mm_cbor_put_uint(&p->rep, MM_SUIT_REPORT_RECORDS);
    mm_cbor_open_array(&p->rep);
}

/* Writes the shortest head of major type mt with argument arg at out;
 * returns its length (at most 9). */
static size_t head(uint8_t *out, unsigned mt, uint64_t arg)
{
    uint8_t ib = (uint8_t)(mt << 5);
    if (arg < 24) {
        out[0] = (uint8_t)(ib | arg);
        return 1;
    }
    size_t n = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
    out[0] = (uint8_t)(ib | (n == 1 ? 24u : n == 2 ? 25u : n == 4 ? 26u : 27u));
    for (size_t i = 0; i < n; i++) {
        out[n - i] = (uint8_t)(arg >> (8 * i));
    }
    return n + 1;
}

static size_t int_head(uint8_t *out, int64_t v)
{
    return v >= 0 ? head(out, 0, (uint64_t)v) : head(out, 1, (uint64_t)(-(v + 1)));
}

/* [manifest-id, section, offset, component, properties], with the
 * suit-record-properties of what the command measured when asked for (only
 * image digests are measured by the processor itself). A record is encoded
 * here, in a few bytes, and handed to the encoder as one item it need not
 * read again (it is made from the processor's own values). */
static void put_record(mm_suit_processor *p, int32_t section, uint32_t offset, uint32_t comp, int32_t command,
                       bool sysinfo)
{
    uint8_t rec[40 + MM_HASH_MAX];
    size_t n = 0;
    rec[n++] = 0x85; /* array(5) */
    rec[n++] = 0x80; /* the root manifest: [] (dependencies come with trust domains) */
    n += int_head(rec + n, section);
    n += head(rec + n, 0, offset);
    n += head(rec + n, 0, comp);
    bool digest = sysinfo && p->measured_len != 0 &&
                  (command == MM_SUIT_CMD_IMAGE_MATCH || command == MM_SUIT_CMD_IMAGE_NOT_MATCH);
    if (!digest) {
        rec[n++] = 0xa0; /* {} */
    } else {
        /* {3: << [alg, bytes] >>} */
        uint8_t dg[16 + MM_HASH_MAX];
        size_t k = 0;
        dg[k++] = 0x82;
        k += int_head(dg + k, p->measured_alg);
        k += head(dg + k, 2, p->measured_len);
        memcpy(dg + k, p->measured, p->measured_len);
        k += p->measured_len;
        rec[n++] = 0xa1;
        rec[n++] = MM_SUIT_PARAM_IMAGE_DIGEST;
        n += head(rec + n, 2, k);
        memcpy(rec + n, dg, k);
        n += k;
    }
    mm_cbor_put_encoded(&p->rep, mm_bytes_make(rec, n));
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
