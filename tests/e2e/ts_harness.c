/* SPDX-License-Identifier: Apache-2.0 */
/* The Transparency Service's end-to-end helpers (ts_harness.h). */
#include "ts_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mamori/cose.h"
#include "mamori/crypto_openssl.h"
#include "mm_test.h"

bool harness_ts_serve(const char *config, e2e_server *s, int *status)
{
    char ready[512];
    e2e_path("ready", ready, sizeof ready);
    const char *args[] = {"ts",          "serve",        "--config", config, "--listen",
                          "127.0.0.1:0", "--ready-file", ready,      "-q",   NULL};
    return e2e_serve("serve", args, "ready", s, status);
}

void harness_issuer_key(const char *name, const char *kid, mm_key *key)
{
    assert_int_equal(mm_key_generate(mm_crypto_openssl(), MM_KTY_EC2, MM_CRV_P256, MM_ALG_ES256, 0, key), MM_OK);
    uint8_t buf[512], cose[512];
    mm_key_parts parts;
    assert_int_equal(mm_key_export(key, 0, &parts, buf, sizeof buf), MM_OK);
    mm_buf out = mm_buf_make(cose, sizeof cose);
    assert_int_equal(mm_cose_key_encode(&parts, mm_bytes_from_cstr(kid), 0, &out), MM_OK);
    char file[128];
    snprintf(file, sizeof file, "%s.cose", name);
    e2e_write(file, cose, out.len);
}

size_t harness_statement(const mm_key *key, const char *kid, const char *iss, const char *sub, mm_bytes payload,
                         uint8_t *buf, size_t cap)
{
    mm_scitt_statement_opts o;
    memset(&o, 0, sizeof o);
    o.crypto = mm_crypto_openssl();
    o.key = key;
    o.kid = mm_bytes_from_cstr(kid);
    o.iss = mm_bytes_from_cstr(iss);
    o.sub = mm_bytes_from_cstr(sub);
    o.iat = (int64_t)time(NULL);
    o.flags = MM_SCITT_WITH_IAT;
    mm_buf out = mm_buf_make(buf, cap);
    assert_int_equal(mm_scitt_statement_create(&o, payload, &out), MM_OK);
    return out.len;
}

void harness_ts_key(mm_key *key)
{
    size_t len = 0;
    uint8_t *data = e2e_read("ts/ts-key.cose", &len);
    assert_non_null(data);
    assert_int_equal(mm_cose_key_import(mm_crypto_openssl(), mm_bytes_make(data, len), 0, key, NULL), MM_OK);
    free(data);
}

mm_err harness_check_receipt(const mm_key *ts_key, mm_bytes stmt, mm_bytes receipt, mm_scitt_proven *proven)
{
    mm_scitt_leaf leaf;
    mm_err e = mm_scitt_leaf_of_statement(mm_crypto_openssl(), stmt, &leaf);
    mm_scitt_receipt rec;
    if (e == MM_OK) {
        e = mm_scitt_receipt_decode(receipt, &rec, NULL);
    }
    if (e == MM_OK) {
        mm_scitt_verify_opts vo = {mm_crypto_openssl(), ts_key, NULL, NULL, 0, NULL, 0};
        e = mm_scitt_receipt_verify(&rec, &leaf, &vo, proven);
    }
    return e;
}
