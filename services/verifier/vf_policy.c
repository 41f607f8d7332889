/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Appraisal policy evaluation (vf_policy.h): authenticated claims against
 * an endorsement and reference values, into an AR4SI vector and findings.
 * Each category takes the value of its worst outcome, as AR4SI section
 * 2.3.3 orders them (contraindicated, then warning, then affirming).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mamori/cbor.h"
#include "vf_policy.h"

/* AR4SI values (draft-ietf-rats-ar4si section 2.3.4) this verifier sets. */
enum {
    AFFIRM = 2,          /* every category: recognised, approved, genuine */
    CONFIG_MISSING = 36, /* configuration: elements relevant to security unavailable */
    EXEC_UNKNOWN = 33,   /* executables: objects that are not recognised */
    CONTRA = 96,         /* every category: contraindicated */
    HW_UNKNOWN = 97,     /* hardware: not recognised, but should be */
};

int vf_scope_rank(const vf_scope *s) { return s->ueid.len != 0 ? 2 : s->oemid.len != 0 ? 1 : 0; }

static const char *const kind_names[VF_REF_KINDS] = {
    NULL, "swname", "swversion", "measurement", "manifest", "secure-boot", "debug", "oemid", "hwmodel", "hwversion",
};

const char *vf_ref_kind_name(unsigned kind) { return kind < VF_REF_KINDS ? kind_names[kind] : NULL; }

unsigned vf_ref_kind_find(const char *name)
{
    for (unsigned k = 1; name != NULL && k < VF_REF_KINDS; k++) {
        if (strcmp(kind_names[k], name) == 0) {
            return k;
        }
    }
    return 0;
}

/* Trust order of tiers, worst highest. */
static int rank_of(int value)
{
    switch (mm_ar4si_tier_of(value)) {
    case MM_AR4SI_CONTRAINDICATED:
        return 3;
    case MM_AR4SI_WARNING:
        return 2;
    case MM_AR4SI_AFFIRMING:
        return 1;
    default:
        return 0;
    }
}

/* Sets a category unless it already holds a value of a worse tier. */
static void put(vf_verdict *v, unsigned cat, int value)
{
    uint8_t bit = (uint8_t)(1u << cat);
    if ((v->vector.present & bit) == 0 || rank_of(value) > rank_of(v->vector.claim[cat])) {
        v->vector.claim[cat] = (int8_t)value;
        v->vector.present |= bit;
    }
}

static void fail(vf_verdict *v, const char *check, unsigned cat, int value, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void fail(vf_verdict *v, const char *check, unsigned cat, int value, const char *fmt, ...)
{
    put(v, cat, value);
    v->n_failed++;
    if (v->n_findings == VF_MAX_FINDINGS) {
        return;
    }
    vf_finding *f = &v->findings[v->n_findings++];
    f->check = check;
    f->category = (uint8_t)cat;
    f->value = (int8_t)value;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->detail, sizeof f->detail, fmt, ap);
    va_end(ap);
}

/* Bytes for a message: text as it is (cut), bytes in hex (cut). */
static void show(mm_bytes b, bool text, char *out, size_t cap)
{
    if (text) {
        snprintf(out, cap, "'%.*s'", b.len > 48 ? 48 : (int)b.len, (const char *)b.ptr);
        return;
    }
    static const char digits[] = "0123456789abcdef";
    size_t n = 0;
    for (size_t i = 0; i < b.len && n + 3 < cap && i < 20; i++) {
        out[n++] = digits[b.ptr[i] >> 4];
        out[n++] = digits[b.ptr[i] & 15];
    }
    if (b.len > 20 && n + 3 < cap) {
        out[n++] = '.';
        out[n++] = '.';
    }
    out[n] = '\0';
}

/* The reference values of one kind from the most specific scope that has
 * any: [*first, *first + *n) of a scratch index list. */
typedef struct ref_set {
    const vf_ref *rows[64];
    size_t n;
    size_t total; /* rows of the kind at that scope, counted past the 64 kept */
} ref_set;

static void select_kind(const vf_policy_in *in, unsigned kind, ref_set *set)
{
    int best = -1;
    for (size_t i = 0; i < in->n_refs; i++) {
        if (in->refs[i].kind == kind && vf_scope_rank(&in->refs[i].scope) > best) {
            best = vf_scope_rank(&in->refs[i].scope);
        }
    }
    set->n = 0;
    set->total = 0;
    for (size_t i = 0; best >= 0 && i < in->n_refs; i++) {
        if (in->refs[i].kind == kind && vf_scope_rank(&in->refs[i].scope) == best) {
            if (set->n < sizeof set->rows / sizeof set->rows[0]) {
                set->rows[set->n++] = &in->refs[i];
            }
            set->total++;
        }
    }
}

static bool set_has(const ref_set *set, mm_bytes value)
{
    for (size_t i = 0; i < set->n; i++) {
        if (mm_bytes_equal(set->rows[i]->value, value)) {
            return true;
        }
    }
    return false;
}

/*
 * Instance identity: the endorsement's scope against the claims.
 */
static void check_instance(const mm_eat_claims *c, const vf_endorsement *e, vf_verdict *v, bool *hw_endorsed)
{
    char a[64], b[64];
    *hw_endorsed = false;
    if (e->scope.ueid.len != 0 && (c->present & MM_EAT_HAS_UEID) != 0 && !mm_bytes_equal(c->ueid, e->scope.ueid)) {
        show(c->ueid, false, a, sizeof a);
        show(e->scope.ueid, false, b, sizeof b);
        fail(v, VF_CHECK_INSTANCE, MM_AR4SI_INSTANCE_IDENTITY, CONTRA,
             "evidence of ueid %s is signed with the key endorsed for ueid %s", a, b);
        return;
    }
    if (e->scope.ueid.len == 0) {
        uint8_t enc[32];
        size_t enc_len = 0;
        bool model_named = (c->present & (MM_EAT_HAS_OEMID | MM_EAT_HAS_HWMODEL)) != 0;
        bool oem_ok =
            (c->present & MM_EAT_HAS_OEMID) == 0 || (vf_oemid_encode(&c->oemid, enc, &enc_len) == MM_OK &&
                                                     mm_bytes_equal(mm_bytes_make(enc, enc_len), e->scope.oemid));
        bool model_ok = (c->present & MM_EAT_HAS_HWMODEL) == 0 || mm_bytes_equal(c->hwmodel, e->scope.hwmodel);
        if (!oem_ok || !model_ok) {
            fail(v, VF_CHECK_INSTANCE, MM_AR4SI_INSTANCE_IDENTITY, CONTRA,
                 "evidence names another %s than the model whose key signed it", oem_ok ? "hwmodel" : "oemid");
            return;
        }
        /* The key belongs to this model: its hardware is genuine. */
        *hw_endorsed = model_named;
    }
    if (e->compromised) {
        fail(v, VF_CHECK_ENDORSEMENT, MM_AR4SI_INSTANCE_IDENTITY, CONTRA,
             "the attestation key is marked compromised (endorsement %lld)", (long long)e->id);
        return;
    }
    put(v, MM_AR4SI_INSTANCE_IDENTITY, AFFIRM);
}

/*
 * Hardware: allowed oemid, hwmodel, hwversion.
 */
static void check_hardware(const mm_eat_claims *c, const vf_policy_in *in, bool hw_endorsed, vf_verdict *v)
{
    bool applied = hw_endorsed;
    ref_set set;
    char a[64];
    select_kind(in, VF_REF_OEMID, &set);
    if (set.n != 0) {
        applied = true;
        uint8_t enc[32];
        size_t enc_len = 0;
        if ((c->present & MM_EAT_HAS_OEMID) == 0) {
            fail(v, VF_CHECK_OEMID, MM_AR4SI_HARDWARE, HW_UNKNOWN, "no oemid claim");
        } else if (vf_oemid_encode(&c->oemid, enc, &enc_len) != MM_OK || !set_has(&set, mm_bytes_make(enc, enc_len))) {
            vf_oemid_text(mm_bytes_make(enc, enc_len), a, sizeof a);
            fail(v, VF_CHECK_OEMID, MM_AR4SI_HARDWARE, HW_UNKNOWN, "oemid %s is not among the %zu allowed", a,
                 set.total);
        }
    }
    select_kind(in, VF_REF_HWMODEL, &set);
    if (set.n != 0) {
        applied = true;
        if ((c->present & MM_EAT_HAS_HWMODEL) == 0) {
            fail(v, VF_CHECK_HWMODEL, MM_AR4SI_HARDWARE, HW_UNKNOWN, "no hwmodel claim");
        } else if (!set_has(&set, c->hwmodel)) {
            show(c->hwmodel, false, a, sizeof a);
            fail(v, VF_CHECK_HWMODEL, MM_AR4SI_HARDWARE, HW_UNKNOWN, "hwmodel %s is not among the %zu allowed", a,
                 set.total);
        }
    }
    select_kind(in, VF_REF_HWVERSION, &set);
    if (set.n != 0) {
        applied = true;
        if ((c->present & MM_EAT_HAS_HWVERSION) == 0) {
            fail(v, VF_CHECK_HWVERSION, MM_AR4SI_HARDWARE, HW_UNKNOWN, "no hwversion claim");
        } else if (!set_has(&set, c->hwversion.version)) {
            show(c->hwversion.version, true, a, sizeof a);
            fail(v, VF_CHECK_HWVERSION, MM_AR4SI_HARDWARE, HW_UNKNOWN, "hwversion %s is not among the %zu allowed", a,
                 set.total);
        }
    }
    if (applied) {
        put(v, MM_AR4SI_HARDWARE, AFFIRM);
    }
}

/*
 * Executables: software name and version, installed manifests,
 * measurements, the attester's own measurement results.
 */
static bool check_text(const vf_policy_in *in, unsigned kind, bool present, mm_bytes value, const char *check,
                       const char *claim, vf_verdict *v)
{
    ref_set set;
    select_kind(in, kind, &set);
    if (set.n == 0) {
        return false;
    }
    char a[64];
    if (!present) {
        fail(v, check, MM_AR4SI_EXECUTABLES, EXEC_UNKNOWN, "no %s claim", claim);
    } else if (!set_has(&set, value)) {
        show(value, true, a, sizeof a);
        fail(v, check, MM_AR4SI_EXECUTABLES, EXEC_UNKNOWN, "%s %s is not among the %zu known", claim, a, set.total);
    }
    return true;
}

/* True when some row of set has alg and the digest of body under it. */
static bool digest_known(const mm_crypto *crypto, const ref_set *set, mm_bytes body, const vf_ref **match)
{
    for (size_t i = 0; i < set->n; i++) {
        uint8_t d[MM_HASH_MAX];
        size_t dl = 0;
        if (vf_body_digest(crypto, set->rows[i]->alg, body, d, &dl) == MM_OK &&
            mm_bytes_equal(mm_bytes_make(d, dl), set->rows[i]->value)) {
            *match = set->rows[i];
            return true;
        }
    }
    return false;
}

static bool check_manifests(const mm_eat_claims *c, const vf_policy_in *in, vf_verdict *v)
{
    ref_set set;
    select_kind(in, VF_REF_MANIFEST, &set);
    if (set.n == 0) {
        return false;
    }
    if ((c->present & MM_EAT_HAS_MANIFESTS) == 0 || c->n_manifests == 0) {
        fail(v, VF_CHECK_MANIFESTS, MM_AR4SI_EXECUTABLES, EXEC_UNKNOWN, "no manifests claim");
        return true;
    }
    for (size_t i = 0; i < c->n_manifests; i++) {
        const mm_eat_manifest *m = &c->manifests[i];
        mm_eat_suit_ref ref;
        const vf_ref *match = NULL;
        bool known = false;
        char a[64];
        if (m->content_type == MM_EAT_CF_SUIT_REFERENCE && mm_eat_suit_ref_decode(m->body, &ref) == MM_OK) {
            for (size_t j = 0; j < set.n && !known; j++) {
                known = set.rows[j]->alg == ref.hash_alg && mm_bytes_equal(set.rows[j]->value, ref.digest);
            }
            if (!known) {
                show(ref.digest, false, a, sizeof a);
                fail(v, VF_CHECK_MANIFESTS, MM_AR4SI_EXECUTABLES, EXEC_UNKNOWN,
                     "installed manifest %.*s (digest %s) is not a known release",
                     ref.uri.len > 60 ? 60 : (int)ref.uri.len, (const char *)ref.uri.ptr, a);
            }
        } else if (!digest_known(in->crypto, &set, m->body, &match)) {
            fail(v, VF_CHECK_MANIFESTS, MM_AR4SI_EXECUTABLES, EXEC_UNKNOWN,
                 "manifest %zu (content format %u) is not a known release", i, m->content_type);
        }
    }
    return true;
}

static bool check_measurements(const mm_eat_claims *c, const vf_policy_in *in, vf_verdict *v)
{
    ref_set set;
    select_kind(in, VF_REF_MEASUREMENT, &set);
    if (set.n == 0) {
        return false;
    }
    /* Labels matched by some evidence measurement. */
    bool matched[64];
    memset(matched, 0, sizeof matched);
    size_t n = (c->present & MM_EAT_HAS_MEASUREMENTS) != 0 ? c->n_measurements : 0;
    for (size_t i = 0; i < n; i++) {
        const vf_ref *match = NULL;
        if (!digest_known(in->crypto, &set, c->measurements[i].body, &match)) {
            uint8_t d[MM_HASH_MAX];
            size_t dl = 0;
            char a[64] = "?";
            if (vf_body_digest(in->crypto, set.rows[0]->alg, c->measurements[i].body, d, &dl) == MM_OK) {
                show(mm_bytes_make(d, dl), false, a, sizeof a);
            }
            fail(v, VF_CHECK_MEASUREMENTS, MM_AR4SI_EXECUTABLES, CONTRA,
                 "measurement %zu (digest %s) matches no reference value", i, a);
            continue;
        }
        for (size_t j = 0; j < set.n; j++) {
            matched[j] = matched[j] || mm_bytes_equal(set.rows[j]->label, match->label);
        }
    }
    /* Every element the reference names must be among them. */
    for (size_t j = 0; j < set.n; j++) {
        bool reported = matched[j];
        bool first = true;
        for (size_t k = 0; k < j && first; k++) {
            first = !mm_bytes_equal(set.rows[k]->label, set.rows[j]->label);
        }
        if (!reported && first) {
            fail(v, VF_CHECK_MEASUREMENTS, MM_AR4SI_EXECUTABLES, CONTRA,
                 "no measurement of %.*s matches its reference value",
                 set.rows[j]->label.len != 0 ? (int)set.rows[j]->label.len : 7,
                 set.rows[j]->label.len != 0 ? (const char *)set.rows[j]->label.ptr : "element");
        }
    }
    return true;
}

static void check_measres(const mm_eat_claims *c, vf_verdict *v)
{
    for (size_t i = 0; (c->present & MM_EAT_HAS_MEASRES) != 0 && i < c->n_measres; i++) {
        const mm_eat_measres *g = &c->measres[i];
        for (size_t j = 0; j < g->n_results; j++) {
            if (g->results[j].result == MM_EAT_RESULT_FAIL) {
                char a[64];
                show(g->results[j].id, !g->results[j].id_is_bytes, a, sizeof a);
                fail(v, VF_CHECK_MEASRES, MM_AR4SI_EXECUTABLES, CONTRA, "the attester's own check %s of %.*s failed", a,
                     g->system.len > 40 ? 40 : (int)g->system.len, (const char *)g->system.ptr);
            }
        }
    }
}

/*
 * Configuration: debug state and secure boot.
 */
static void check_configuration(const mm_eat_claims *c, const vf_policy_in *in, vf_verdict *v)
{
    static const char *const dbg_names[] = {"enabled", "disabled", "disabled-since-boot", "disabled-permanently",
                                            "disabled-fully-and-permanently"};
    bool applied = false;
    ref_set set;
    select_kind(in, VF_REF_DEBUG, &set);
    if (set.n != 0) {
        /* Several rows at one scope: the strictest applies. */
        int64_t level = 0;
        for (size_t i = 0; i < set.n; i++) {
            level = set.rows[i]->level > level ? set.rows[i]->level : level;
        }
        level = level < 1 ? 1 : level > 4 ? 4 : level;
        applied = true;
        if ((c->present & MM_EAT_HAS_DBGSTAT) == 0) {
            fail(v, VF_CHECK_DEBUG, MM_AR4SI_CONFIGURATION, CONFIG_MISSING, "no dbgstat claim");
        } else if (c->dbgstat < level) {
            fail(v, VF_CHECK_DEBUG, MM_AR4SI_CONFIGURATION, CONTRA, "debug is %s; at least %s is required",
                 dbg_names[c->dbgstat <= 4 ? c->dbgstat : 0], dbg_names[level]);
        }
    }
    select_kind(in, VF_REF_SECURE_BOOT, &set);
    if (set.n != 0) {
        applied = true;
        if ((c->present & MM_EAT_HAS_OEMBOOT) == 0) {
            fail(v, VF_CHECK_SECURE_BOOT, MM_AR4SI_CONFIGURATION, CONFIG_MISSING, "no oemboot claim");
        } else if (!c->oemboot) {
            fail(v, VF_CHECK_SECURE_BOOT, MM_AR4SI_CONFIGURATION, CONTRA,
                 "the attester did not boot OEM-authorized software (oemboot false)");
        }
    }
    if (applied) {
        put(v, MM_AR4SI_CONFIGURATION, AFFIRM);
    }
}

mm_err vf_policy_evaluate(const mm_eat_claims *c, const vf_policy_in *in, vf_verdict *out)
{
    if (c == NULL || in == NULL || out == NULL || in->endorsement == NULL || (in->n_refs != 0 && in->refs == NULL)) {
        return MM_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    bool hw_endorsed = false;
    check_instance(c, in->endorsement, out, &hw_endorsed);
    check_hardware(c, in, hw_endorsed, out);
    bool exec =
        check_text(in, VF_REF_SWNAME, (c->present & MM_EAT_HAS_SWNAME) != 0, c->swname, VF_CHECK_SWNAME, "swname", out);
    exec = check_text(in, VF_REF_SWVERSION, (c->present & MM_EAT_HAS_SWVERSION) != 0, c->swversion.version,
                      VF_CHECK_SWVERSION, "swversion", out) ||
           exec;
    exec = check_manifests(c, in, out) || exec;
    exec = check_measurements(c, in, out) || exec;
    check_measres(c, out);
    if (exec) {
        put(out, MM_AR4SI_EXECUTABLES, AFFIRM);
    }
    check_configuration(c, in, out);
    out->status = (uint8_t)mm_ar4si_vector_tier(&out->vector);
    return MM_OK;
}

/*
 * oemid in text and as a claim value.
 */
mm_err vf_oemid_parse(mm_bytes text, uint8_t out[32], size_t *len)
{
    bool digits = text.len != 0 && text.len <= 19;
    for (size_t i = 0; i < text.len && digits; i++) {
        digits = text.ptr[i] >= '0' && text.ptr[i] <= '9';
    }
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out, 32);
    if (digits) {
        uint64_t pen = 0;
        for (size_t i = 0; i < text.len; i++) {
            pen = pen * 10 + (uint64_t)(text.ptr[i] - '0');
        }
        mm_cbor_put_uint(&enc, pen);
    } else {
        uint8_t bytes[16];
        size_t n = 0;
        for (size_t i = 0; i < text.len;) {
            if (text.ptr[i] == ':' || text.ptr[i] == '-') {
                i++;
                continue;
            }
            int hi = mm_hex_digit(text.ptr[i]);
            int lo = i + 1 < text.len ? mm_hex_digit(text.ptr[i + 1]) : -1;
            if (hi < 0 || lo < 0 || n == sizeof bytes) {
                return MM_ERR_SYNTAX;
            }
            bytes[n++] = (uint8_t)(hi << 4 | lo);
            i += 2;
        }
        if (n != 3 && n != 16) {
            return MM_ERR_SYNTAX;
        }
        mm_cbor_put_bstr(&enc, mm_bytes_make(bytes, n));
    }
    return mm_cbor_enc_finish(&enc, len) == MM_OK ? MM_OK : MM_ERR_SYNTAX;
}

mm_err vf_oemid_encode(const mm_eat_oemid *o, uint8_t out[32], size_t *len)
{
    mm_cbor_enc enc;
    mm_cbor_enc_init(&enc, out, 32);
    if (o->form == MM_EAT_OEMID_PEN) {
        mm_cbor_put_uint(&enc, o->pen);
    } else if (o->id.len <= 16) {
        mm_cbor_put_bstr(&enc, o->id);
    } else {
        return MM_ERR_INVALID_ARG;
    }
    return mm_cbor_enc_finish(&enc, len);
}

void vf_oemid_text(mm_bytes oemid, char *out, size_t cap)
{
    mm_cbor_dec d;
    uint64_t pen = 0;
    mm_bytes id;
    if (mm_cbor_dec_init(&d, oemid, 0) == MM_OK && mm_cbor_get_uint(&d, &pen) == MM_OK) {
        snprintf(out, cap, "PEN %llu", (unsigned long long)pen);
        return;
    }
    if (mm_cbor_dec_init(&d, oemid, 0) == MM_OK && mm_cbor_get_bstr(&d, &id) == MM_OK &&
        (id.len == 3 || id.len == 16)) {
        char hex[40];
        show(id, false, hex, sizeof hex);
        if (id.len == 3) {
            snprintf(out, cap, "OUI %c%c-%c%c-%c%c", hex[0], hex[1], hex[2], hex[3], hex[4], hex[5]);
        } else {
            snprintf(out, cap, "random %s", hex);
        }
        return;
    }
    snprintf(out, cap, "(not an oemid)");
}

mm_err vf_body_digest(const mm_crypto *crypto, int32_t alg, mm_bytes body, uint8_t out[MM_HASH_MAX], size_t *len)
{
    mm_cbor_dec d;
    mm_bytes content;
    if (mm_cbor_dec_init(&d, body, 0) == MM_OK && mm_cbor_get_bstr(&d, &content) == MM_OK &&
        mm_cbor_dec_finish(&d) == MM_OK) {
        body = content;
    }
    return mm_hash(crypto, alg, body, out, len);
}
