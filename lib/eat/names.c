/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one table of claim labels, JSON names and value shapes: the CWT
 * claims EAT uses, RFC 9711's, EAR's and mamori's EAR extension. Tools
 * print names from it and the JSON converter drives itself by it.
 */
#include "eat_internal.h"

static const mm_eat_claim_info claims[] = {
    {MM_CWT_ISS, "iss", MM_EAT_V_TEXT},
    {MM_CWT_SUB, "sub", MM_EAT_V_TEXT},
    {MM_CWT_AUD, "aud", MM_EAT_V_TEXT},
    {MM_CWT_EXP, "exp", MM_EAT_V_TIME},
    {MM_CWT_NBF, "nbf", MM_EAT_V_TIME},
    {MM_CWT_IAT, "iat", MM_EAT_V_TIME},
    {MM_CWT_CTI, "jti", MM_EAT_V_CTI}, /* cti in CBOR: JWT names it jti and makes it text */
    {MM_CWT_CNF, "cnf", MM_EAT_V_CNF},
    {MM_EAT_NONCE, "eat_nonce", MM_EAT_V_NONCE},
    {MM_EAT_UEID, "ueid", MM_EAT_V_BYTES},
    {MM_EAT_SUEIDS, "sueids", MM_EAT_V_SUEIDS},
    {MM_EAT_OEMID, "oemid", MM_EAT_V_OEMID},
    {MM_EAT_HWMODEL, "hwmodel", MM_EAT_V_BYTES},
    {MM_EAT_HWVERSION, "hwversion", MM_EAT_V_VERSION},
    {MM_EAT_UPTIME, "uptime", MM_EAT_V_UINT},
    {MM_EAT_OEMBOOT, "oemboot", MM_EAT_V_BOOL},
    {MM_EAT_DBGSTAT, "dbgstat", MM_EAT_V_DBGSTAT},
    {MM_EAT_LOCATION, "location", MM_EAT_V_LOCATION},
    {MM_EAT_PROFILE, "eat_profile", MM_EAT_V_PROFILE},
    {MM_EAT_SUBMODS, "submods", MM_EAT_V_SUBMODS},
    {MM_EAT_BOOTCOUNT, "bootcount", MM_EAT_V_UINT},
    {MM_EAT_BOOTSEED, "bootseed", MM_EAT_V_BYTES},
    {MM_EAT_DLOAS, "dloas", MM_EAT_V_DLOAS},
    {MM_EAT_SWNAME, "swname", MM_EAT_V_TEXT},
    {MM_EAT_SWVERSION, "swversion", MM_EAT_V_VERSION},
    {MM_EAT_MANIFESTS, "manifests", MM_EAT_V_MANIFESTS},
    {MM_EAT_MEASUREMENTS, "measurements", MM_EAT_V_MANIFESTS},
    {MM_EAT_MEASRES, "measres", MM_EAT_V_MEASRES},
    {MM_EAT_INTUSE, "intuse", MM_EAT_V_INTUSE},
    {MM_EAR_STATUS, "ear_status", MM_EAT_V_TIER},
    {MM_EAR_TRUST_VECTOR, "ear_trustworthiness_vector", MM_EAT_V_TRUST_VECTOR},
    {MM_EAR_RAW_EVIDENCE, "ear_raw_evidence", MM_EAT_V_BYTES},
    {MM_EAR_POLICY_IDS, "ear_appraisal_policy_ids", MM_EAT_V_TEXT_ARRAY},
    {MM_EAR_VERIFIER_ID, "ear_verifier_id", MM_EAT_V_VERIFIER_ID},
    {MM_EAR_TEEP_CLAIMS, "ear_teep_claims", MM_EAT_V_CLAIMS},
    {MM_EAR_EVIDENCE_DIGEST, "mamori_evidence_digest", MM_EAT_V_DIGEST},
    {MM_EAR_FAILED_CHECKS, "mamori_failed_checks", MM_EAT_V_CLAIMS},
};

#define N_CLAIMS (sizeof claims / sizeof claims[0])

const mm_eat_claim_info *mm_eat_claim_info_find(int64_t label)
{
    for (size_t i = 0; i < N_CLAIMS; i++) {
        if (claims[i].label == label) {
            return &claims[i];
        }
    }
    return NULL;
}

const mm_eat_claim_info *mm_eat_claim_info_by_name(mm_bytes name)
{
    for (size_t i = 0; i < N_CLAIMS; i++) {
        size_t n = strlen(claims[i].name);
        if (n == name.len && memcmp(claims[i].name, name.ptr, n) == 0) {
            return &claims[i];
        }
    }
    return NULL;
}
