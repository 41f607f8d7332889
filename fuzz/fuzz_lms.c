/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for HSS/LMS verification: public keys and signatures decoded
 * (mm_lms_pub_decode, mm_lms_sig_decode) and verified in one call, streamed
 * in chunks, and through both hash engines (the backend's SHA-256
 * compression function, and its streaming hash), on the deterministic test
 * backend, whose SHA-256 and SHAKE256 are real. Also bare LM-OTS signatures
 * (mm_lms_ots_verify) and keys imported into an mm_lms_verifier.
 *
 * Input: [selector] [u16 pub length] [pub] [u16 message length] [message]
 * [signature...]. Selector bits 0-1: 0 HSS, 1 bare LMS (MM_LMS_SINGLE),
 * 2 LM-OTS, 3 HSS through an mm_lms_verifier key; bits 4-7: the chunk size
 * of the streamed run minus one.
 *
 * Invariants: every way of verifying gives the same verdict; verification
 * fails with exactly the decoder's error when the decoder refuses; a
 * decoded signature's views lie inside it and its levels chain (each level's
 * key is the previous level's signed message); nothing reads outside the
 * exact-size copies of the inputs.
 */
#include <string.h>

#include "fuzz_common.h"
#include "mamori/crypto_test.h"
#include "mamori/lms.h"

static bool inside(mm_bytes v, const uint8_t *p, size_t n)
{
    return v.len == 0 || (v.ptr >= p && v.len <= n && (size_t)(v.ptr - p) <= n - v.len);
}

static mm_err streamed(const mm_crypto *c, mm_bytes pub, mm_bytes msg, mm_bytes sig, unsigned flags, size_t chunk)
{
    mm_lms_verify_ctx v;
    mm_err e = mm_lms_verify_begin(&v, c, pub, sig, flags);
    for (size_t off = 0; e == MM_OK && off < msg.len; off += chunk) {
        e = mm_lms_verify_update(&v, mm_bytes_make(msg.ptr + off, msg.len - off < chunk ? msg.len - off : chunk));
    }
    return e == MM_OK ? mm_lms_verify_end(&v) : e;
}

static void check_decode(mm_bytes pub, mm_bytes sig, unsigned flags, mm_err verdict)
{
    mm_lms_info info;
    mm_err e = mm_lms_sig_decode(pub, sig, flags, &info);
    if (e != MM_OK) {
        FUZZ_REQUIRE(verdict == e); /* nothing is hashed before the structure is checked */
        return;
    }
    FUZZ_REQUIRE(info.levels >= 1 && info.levels <= MM_LMS_MAX_LEVELS);
    FUZZ_REQUIRE(verdict == MM_OK || verdict == MM_ERR_VERIFY);
    size_t total = (flags & MM_LMS_SINGLE) != 0 ? 0 : 4;
    for (uint32_t i = 0; i < info.levels; i++) {
        const mm_lms_level *lv = &info.level[i];
        const mm_lms_type_info *lms = mm_lms_type(lv->lms_type);
        const mm_lms_ots_type_info *ots = mm_lms_ots_type(lv->ots_type);
        FUZZ_REQUIRE(lms != NULL && ots != NULL);
        FUZZ_REQUIRE(lv->q < (UINT32_C(1) << lms->h));
        FUZZ_REQUIRE(inside(lv->sig, sig.ptr, sig.len));
        FUZZ_REQUIRE(lv->sig.len == mm_lms_lms_sig_len(lms, ots));
        FUZZ_REQUIRE(lv->pub.len == mm_lms_lms_pub_len(lms));
        FUZZ_REQUIRE(i == 0 ? inside(lv->pub, pub.ptr, pub.len) : inside(lv->pub, sig.ptr, sig.len));
        total += lv->sig.len + (i > 0 ? lv->pub.len : 0);
    }
    FUZZ_REQUIRE(total == sig.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5) {
        return 0;
    }
    unsigned sel = data[0];
    size_t pub_len = (size_t)data[1] << 8 | data[2];
    if (pub_len > size - 3 || size - 3 - pub_len < 2) {
        return 0;
    }
    const uint8_t *p = data + 3;
    size_t msg_len = (size_t)p[pub_len] << 8 | p[pub_len + 1];
    size_t rest = size - 3 - pub_len - 2;
    if (msg_len > rest) {
        return 0;
    }
    uint8_t *pub = fuzz_dup(p, pub_len);
    uint8_t *msg = fuzz_dup(p + pub_len + 2, msg_len);
    uint8_t *sig = fuzz_dup(p + pub_len + 2 + msg_len, rest - msg_len);
    mm_bytes vp = mm_bytes_make(pub, pub_len);
    mm_bytes vm = mm_bytes_make(msg, msg_len);
    mm_bytes vs = mm_bytes_make(sig, rest - msg_len);

    static mm_crypto_test t;
    mm_crypto_test_init(&t, 0);
    /* The same backend without its compression function: the other engine. */
    mm_crypto_ops slow_ops = *t.crypto.ops;
    slow_ops.sha256_compress = NULL;
    mm_crypto slow = {&slow_ops, t.crypto.user};
    size_t chunk = (sel >> 4) + 1;

    switch (sel & 3) {
    case 0:
    case 1: {
        unsigned flags = (sel & 3) == 1 ? MM_LMS_SINGLE : 0;
        mm_err e = mm_lms_verify(&t.crypto, vp, vm, vs, flags);
        FUZZ_REQUIRE(mm_lms_verify(&slow, vp, vm, vs, flags) == e);
        FUZZ_REQUIRE(streamed(&t.crypto, vp, vm, vs, flags, chunk) == e);
        mm_lms_info info;
        mm_err pe = mm_lms_pub_decode(vp, flags, &info);
        FUZZ_REQUIRE(pe == MM_OK || pe == e);
        if (pe == MM_OK) {
            check_decode(vp, vs, flags, e);
        }
        break;
    }
    case 2: {
        mm_err e = mm_lms_ots_verify(&t.crypto, vp, vm, vs);
        FUZZ_REQUIRE(mm_lms_ots_verify(&slow, vp, vm, vs) == e);
        break;
    }
    default: {
        mm_lms_verifier v;
        mm_lms_verifier_init(&v, &t.crypto);
        mm_key_parts parts;
        memset(&parts, 0, sizeof parts);
        parts.kty = MM_KTY_HSS_LMS;
        parts.x = vp;
        mm_key key;
        mm_err ie = mm_key_import(&v.crypto, &parts, 0, &key);
        mm_lms_info info;
        FUZZ_REQUIRE(ie == mm_lms_pub_decode(vp, 0, &info));
        if (ie == MM_OK) {
            mm_err e = mm_verify(key.crypto, &key, MM_ALG_HSS_LMS, vm, 0, vs);
            FUZZ_REQUIRE(e == mm_lms_verify(&t.crypto, vp, vm, vs, 0));
            uint8_t buf[MM_LMS_PUB_MAX];
            mm_bytes back;
            FUZZ_REQUIRE(mm_lms_key_public(&key, buf, &back) == MM_OK);
            FUZZ_REQUIRE(back.len == pub_len && memcmp(back.ptr, pub, pub_len) == 0);
            mm_key_free(&key);
        }
        break;
    }
    }
    free(pub);
    free(msg);
    free(sig);
    return 0;
}
