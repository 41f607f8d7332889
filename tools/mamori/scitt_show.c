/* SPDX-License-Identifier: Apache-2.0 */
/* mamori scitt show: a signed statement, transparent statement or receipt,
 * for people (or as JSON): who said what about which subject, how the key is
 * named, what the receipts claim. Nothing is verified here. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mamori/crypto_openssl.h"
#include "mamori/scitt.h"

static const char show_help[] = "usage: mamori scitt show [--json] FILE\n"
                                "\n"
                                "Prints the SCITT signed statement, transparent statement or receipt in FILE\n"
                                "(- for standard input): the issuer's claims, how the key is named, the hash\n"
                                "envelope, the entry a Transparency Service registers (its RFC 9162 leaf\n"
                                "hash), and each receipt's structure and proofs. Nothing is verified: use\n"
                                "'mamori scitt verify' and 'mamori cose verify'.\n"
                                "\n"
                                "options:\n"
                                "  --json      print as JSON\n"
                                "  -h, --help  show this help\n"
                                "\n"
                                "Exit status: 0 shown, 64 usage, 65 not a statement or receipt, 66 missing\n"
                                "file.\n";

static const char *vds_name(int64_t vds)
{
    switch (vds) {
    case MM_SCITT_VDS_RFC9162_SHA256:
        return "RFC9162_SHA256";
    case MM_SCITT_VDS_CCF_LEDGER_SHA256:
        return "CCF_LEDGER_SHA256";
    default:
        return NULL;
    }
}

/* A content type: text, or a CoAP content-format number. */
static void print_cty(mm_bytes encoded)
{
    mm_cbor_dec d;
    mm_bytes text;
    uint64_t num;
    if (mm_cbor_dec_init(&d, encoded, 0) == MM_OK && mm_cbor_get_tstr(&d, &text) == MM_OK) {
        printf("%.*s", (int)text.len, (const char *)text.ptr);
    } else if (mm_cbor_dec_init(&d, encoded, 0) == MM_OK && mm_cbor_get_uint(&d, &num) == MM_OK) {
        printf("%llu (CoAP content-format)", (unsigned long long)num);
    }
}

static json_t *cty_json(mm_bytes encoded)
{
    mm_cbor_dec d;
    mm_bytes text;
    uint64_t num;
    if (mm_cbor_dec_init(&d, encoded, 0) == MM_OK && mm_cbor_get_tstr(&d, &text) == MM_OK) {
        return json_stringn((const char *)text.ptr, text.len);
    }
    if (mm_cbor_dec_init(&d, encoded, 0) == MM_OK && mm_cbor_get_uint(&d, &num) == MM_OK) {
        return json_integer((json_int_t)num);
    }
    return json_null();
}

/* Lines are "  label  value", receipts' one level deeper. */
static void print_text(int indent, const char *label, mm_bytes text)
{
    printf("%*s%-*s %.*s\n", indent, "", 16 - indent, label, (int)text.len, (const char *)text.ptr);
}

static void print_hexline(int indent, const char *label, mm_bytes b)
{
    printf("%*s%-*s ", indent, "", 16 - indent, label);
    cli_print_hex(stdout, b);
    putchar('\n');
}

/* A kid as text when it is printable, else in hex. */
static void print_kid(int indent, mm_bytes kid)
{
    bool text = kid.len != 0;
    for (size_t i = 0; i < kid.len && text; i++) {
        text = kid.ptr[i] >= 0x20 && kid.ptr[i] < 0x7f && kid.ptr[i] != '"';
    }
    if (!text) {
        print_hexline(indent, "kid", kid);
        return;
    }
    printf("%*s%-*s \"%.*s\"\n", indent, "", 16 - indent, "kid", (int)kid.len, (const char *)kid.ptr);
}

static size_t x5chain_count(const mm_cose_headers *h)
{
    mm_bytes certs[16];
    size_t n = 0;
    return mm_cose_x5chain_certs(h, certs, 16, &n) == MM_OK ? n : 0;
}

/* A receipt, indented under a statement or on its own. */
static void print_receipt(int indent, const char *title, const mm_scitt_receipt *r, mm_err e)
{
    printf("%s", title);
    if (e == MM_ERR_UNSUPPORTED && r->vds != MM_SCITT_VDS_RFC9162_SHA256 && r->vds != MM_SCITT_VDS_CCF_LEDGER_SHA256) {
        printf(" (vds %lld: not a structure mamori reads)\n", (long long)r->vds);
        return;
    }
    if (e != MM_OK) {
        printf(" (malformed: %s, %s)\n", mm_strerror(e), mm_errname(e));
        return;
    }
    const char *name = vds_name(r->vds);
    const char *alg = cli_alg_name(r->sign1.hdr.alg);
    printf(" %s %s, %s\n", name, r->proof_type == MM_SCITT_PROOF_INCLUSION ? "inclusion" : "consistency",
           alg != NULL ? alg : "?");
    int in = indent + 2;
    if ((r->present & MM_SCITT_HAS_ISS) != 0) {
        print_text(in, "issuer", r->iss);
    }
    if ((r->present & MM_SCITT_HAS_IAT) != 0) {
        printf("%*s%-*s %lld\n", in, "", 16 - in, "issued at", (long long)r->iat);
    }
    if ((r->present & MM_SCITT_HAS_KID) != 0) {
        print_kid(in, r->sign1.hdr.kid);
    }
    for (size_t i = 0; i < r->n_proofs; i++) {
        mm_scitt_proof p;
        if (mm_scitt_receipt_proof(r, i, &p) != MM_OK) {
            continue;
        }
        char label[32];
        snprintf(label, sizeof label, "proof %zu", i + 1);
        printf("%*s%-*s ", in, "", 16 - in, label);
        if (r->vds == MM_SCITT_VDS_CCF_LEDGER_SHA256) {
            printf("evidence %.*s", (int)p.evidence.len, (const char *)p.evidence.ptr);
        } else if (r->proof_type == MM_SCITT_PROOF_INCLUSION) {
            printf("tree size %llu, leaf %llu", (unsigned long long)p.a, (unsigned long long)p.b);
        } else {
            printf("tree size %llu to %llu", (unsigned long long)p.a, (unsigned long long)p.b);
        }
        printf(", %zu hash%s\n", p.path_len, p.path_len == 1 ? "" : "es");
    }
}

static json_t *receipt_json(const mm_scitt_receipt *r, mm_err e)
{
    json_t *j = json_object();
    if (e != MM_OK && !(e == MM_ERR_UNSUPPORTED && r->vds != 0)) {
        json_object_set_new(j, "error", json_string(mm_errname(e)));
        return j;
    }
    const char *name = vds_name(r->vds);
    json_object_set_new(j, "vds", name != NULL ? json_string(name) : json_integer((json_int_t)r->vds));
    if (e != MM_OK) {
        return j;
    }
    json_object_set_new(j, "proof_type",
                        json_string(r->proof_type == MM_SCITT_PROOF_INCLUSION ? "inclusion" : "consistency"));
    json_object_set_new(j, "alg", json_integer((json_int_t)r->sign1.hdr.alg));
    if ((r->present & MM_SCITT_HAS_KID) != 0) {
        json_object_set_new(j, "kid", cli_json_hex(r->sign1.hdr.kid));
    }
    if ((r->present & MM_SCITT_HAS_ISS) != 0) {
        json_object_set_new(j, "iss", json_stringn((const char *)r->iss.ptr, r->iss.len));
    }
    if ((r->present & MM_SCITT_HAS_IAT) != 0) {
        json_object_set_new(j, "iat", json_integer((json_int_t)r->iat));
    }
    json_t *proofs = json_array();
    for (size_t i = 0; i < r->n_proofs; i++) {
        mm_scitt_proof p;
        if (mm_scitt_receipt_proof(r, i, &p) != MM_OK) {
            continue;
        }
        json_t *pj = json_object();
        if (r->vds == MM_SCITT_VDS_CCF_LEDGER_SHA256) {
            json_object_set_new(pj, "internal_hash", cli_json_hex(p.internal_hash));
            json_object_set_new(pj, "evidence", json_stringn((const char *)p.evidence.ptr, p.evidence.len));
            json_object_set_new(pj, "data_hash", cli_json_hex(p.data_hash));
        } else {
            bool inc = r->proof_type == MM_SCITT_PROOF_INCLUSION;
            json_object_set_new(pj, inc ? "tree_size" : "tree_size_1", json_integer((json_int_t)p.a));
            json_object_set_new(pj, inc ? "leaf_index" : "tree_size_2", json_integer((json_int_t)p.b));
        }
        json_object_set_new(pj, "path_length", json_integer((json_int_t)p.path_len));
        json_array_append_new(proofs, pj);
    }
    json_object_set_new(j, "proofs", proofs);
    return j;
}

/* Receipt i of a transparent statement, decoded into *r (zeroed first). */
static mm_err receipt_at(const mm_scitt_statement *st, size_t i, mm_scitt_receipt *r)
{
    mm_bytes rb;
    memset(r, 0, sizeof *r);
    mm_err e = mm_scitt_statement_receipt(st, i, &rb);
    return e == MM_OK ? mm_scitt_receipt_decode(rb, r, NULL) : e;
}

static int show_statement(const char *path, const mm_scitt_statement *st, bool json)
{
    mm_scitt_leaf leaf;
    mm_err e = mm_scitt_leaf_of_statement(mm_crypto_openssl(), st->bytes, &leaf);
    if (e != MM_OK) {
        return cli_fail_decode(path, e, 0);
    }
    const mm_cose_headers *h = &st->sign1.hdr;
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "type", json_string(st->n_receipts != 0 ? "transparent statement" : "signed statement"));
        json_object_set_new(j, "alg", json_integer((json_int_t)h->alg));
        if ((st->present & MM_SCITT_HAS_ISS) != 0) {
            json_object_set_new(j, "iss", json_stringn((const char *)st->iss.ptr, st->iss.len));
        }
        if ((st->present & MM_SCITT_HAS_SUB) != 0) {
            json_object_set_new(j, "sub", json_stringn((const char *)st->sub.ptr, st->sub.len));
        }
        if ((st->present & MM_SCITT_HAS_IAT) != 0) {
            json_object_set_new(j, "iat", json_integer((json_int_t)st->iat));
        }
        if ((st->present & MM_SCITT_HAS_CONTENT_TYPE) != 0) {
            json_object_set_new(j, "content_type", cty_json(st->content_type));
        }
        if ((st->present & MM_SCITT_HAS_KID) != 0) {
            json_object_set_new(j, "kid", cli_json_hex(h->kid));
        }
        if ((st->present & MM_SCITT_HAS_X5CHAIN) != 0) {
            json_object_set_new(j, "x5chain_certificates", json_integer((json_int_t)x5chain_count(h)));
        }
        json_object_set_new(j, "cose_key", json_boolean((st->present & MM_SCITT_HAS_COSE_KEY) != 0));
        if ((st->present & MM_SCITT_HAS_PAYLOAD_HASH_ALG) != 0) {
            json_object_set_new(j, "payload_hash_alg", json_integer((json_int_t)st->payload_hash_alg));
        }
        if ((st->present & MM_SCITT_HAS_PREIMAGE_CTY) != 0) {
            json_object_set_new(j, "preimage_content_type", cty_json(st->preimage_content_type));
        }
        if ((st->present & MM_SCITT_HAS_LOCATION) != 0) {
            json_object_set_new(j, "payload_location",
                                json_stringn((const char *)st->payload_location.ptr, st->payload_location.len));
        }
        json_object_set_new(j, "payload_length",
                            st->sign1.detached ? json_null() : json_integer((json_int_t)st->sign1.payload.len));
        json_object_set_new(j, "leaf_hash", cli_json_hex(mm_bytes_make(leaf.leaf_hash, MM_MERKLE_HASH_LEN)));
        json_object_set_new(j, "entry_hash", cli_json_hex(mm_bytes_make(leaf.entry_hash, MM_MERKLE_HASH_LEN)));
        json_t *arr = json_array();
        for (size_t i = 0; i < st->n_receipts; i++) {
            mm_scitt_receipt r;
            memset(&r, 0, sizeof r);
            mm_err re = receipt_at(st, i, &r);
            json_array_append_new(arr, receipt_json(&r, re));
        }
        json_object_set_new(j, "receipts", arr);
        return cli_json_print(j);
    }
    printf("%s: %s", path, st->n_receipts != 0 ? "SCITT transparent statement" : "SCITT signed statement");
    if (st->n_receipts != 0) {
        printf(" (%zu receipt%s)", st->n_receipts, st->n_receipts == 1 ? "" : "s");
    }
    putchar('\n');
    const char *alg = cli_alg_name(h->alg);
    printf("  %-14s %s\n", "alg", alg != NULL ? alg : "?");
    if ((st->present & MM_SCITT_HAS_ISS) != 0) {
        print_text(2, "issuer", st->iss);
    }
    if ((st->present & MM_SCITT_HAS_SUB) != 0) {
        print_text(2, "subject", st->sub);
    }
    if ((st->present & MM_SCITT_HAS_IAT) != 0) {
        printf("  %-14s %lld\n", "issued at", (long long)st->iat);
    }
    if ((st->present & MM_SCITT_HAS_CONTENT_TYPE) != 0) {
        printf("  %-14s ", "content type");
        print_cty(st->content_type);
        putchar('\n');
    }
    if ((st->present & MM_SCITT_HAS_KID) != 0) {
        print_kid(2, h->kid);
    }
    if ((st->present & MM_SCITT_HAS_X5CHAIN) != 0) {
        printf("  %-14s %zu certificate%s\n", "x5chain", x5chain_count(h), x5chain_count(h) == 1 ? "" : "s");
    }
    if ((st->present & MM_SCITT_HAS_COSE_KEY) != 0) {
        printf("  %-14s carried in the protected header\n", "COSE_Key");
    }
    if ((st->present & MM_SCITT_HAS_PAYLOAD_HASH_ALG) != 0) {
        const char *hn = cli_alg_name(st->payload_hash_alg);
        printf("  %-14s %s of the payload", "hash envelope", hn != NULL ? hn : "?");
        if ((st->present & MM_SCITT_HAS_PREIMAGE_CTY) != 0) {
            fputs(", a ", stdout);
            print_cty(st->preimage_content_type);
        }
        putchar('\n');
        if ((st->present & MM_SCITT_HAS_LOCATION) != 0) {
            print_text(2, "location", st->payload_location);
        }
    }
    if (st->sign1.detached) {
        printf("  %-14s detached\n", "payload");
    } else {
        printf("  %-14s %zu bytes\n", "payload", st->sign1.payload.len);
    }
    print_hexline(2, "leaf hash", mm_bytes_make(leaf.leaf_hash, MM_MERKLE_HASH_LEN));
    for (size_t i = 0; i < st->n_receipts; i++) {
        mm_scitt_receipt r;
        e = receipt_at(st, i, &r);
        char title[32];
        snprintf(title, sizeof title, "  receipt %zu:", i + 1);
        print_receipt(2, title, &r, e);
    }
    return CLI_OK;
}

int scitt_show(int argc, char **argv)
{
    static const cli_opts spec = {"scitt show", show_help, cli_json_opt, 1};
    bool json = false;
    cli_input file;
    int rc = cli_parse_input(&spec, &json, argc, argv, "expected one file", NULL, &file);
    if (rc != CLI_OK) {
        return rc == CLI_HELP ? CLI_OK : rc;
    }
    const char *path = file.path;
    mm_bytes in = mm_bytes_make(file.data, file.len);
    /* A receipt names its verifiable data structure; a statement does not. */
    mm_scitt_statement st;
    size_t off = 0;
    mm_err e = mm_scitt_statement_decode(in, &st, &off);
    mm_bytes vds;
    if (e == MM_OK && mm_cose_header_find(&st.sign1.hdr, MM_SCITT_HDR_VDS, &vds, NULL) == MM_OK) {
        mm_scitt_receipt r;
        e = mm_scitt_receipt_decode(in, &r, &off);
        if (e != MM_OK && e != MM_ERR_UNSUPPORTED) {
            rc = cli_fail_decode(path, e, off);
        } else if (json) {
            json_t *j = receipt_json(&r, e);
            json_object_set_new(j, "type", json_string("receipt"));
            rc = cli_json_print(j);
        } else {
            char title[512];
            snprintf(title, sizeof title, "%s: COSE Receipt:", path);
            print_receipt(0, title, &r, e);
        }
    } else if (e == MM_OK) {
        rc = show_statement(path, &st, json);
    } else {
        rc = cli_fail_decode(path, e, off);
    }
    free(file.data);
    return rc;
}
