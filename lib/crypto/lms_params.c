/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The LMS and LM-OTS parameter sets of RFC 8554 and NIST SP 800-208: one
 * table each, indexed by typecode. p and ls follow from n and w by RFC 8554
 * Appendix B; the unit test recomputes them from that formula.
 */
#include "lms_internal.h"

static const mm_lms_type_info lms_types_table[] = {
    {MM_LMS_SHA256_M32_H5, MM_ALG_SHA256, "LMS_SHA256_M32_H5", 32, 5},
    {MM_LMS_SHA256_M32_H10, MM_ALG_SHA256, "LMS_SHA256_M32_H10", 32, 10},
    {MM_LMS_SHA256_M32_H15, MM_ALG_SHA256, "LMS_SHA256_M32_H15", 32, 15},
    {MM_LMS_SHA256_M32_H20, MM_ALG_SHA256, "LMS_SHA256_M32_H20", 32, 20},
    {MM_LMS_SHA256_M32_H25, MM_ALG_SHA256, "LMS_SHA256_M32_H25", 32, 25},
    {MM_LMS_SHA256_M24_H5, MM_ALG_SHA256, "LMS_SHA256_M24_H5", 24, 5},
    {MM_LMS_SHA256_M24_H10, MM_ALG_SHA256, "LMS_SHA256_M24_H10", 24, 10},
    {MM_LMS_SHA256_M24_H15, MM_ALG_SHA256, "LMS_SHA256_M24_H15", 24, 15},
    {MM_LMS_SHA256_M24_H20, MM_ALG_SHA256, "LMS_SHA256_M24_H20", 24, 20},
    {MM_LMS_SHA256_M24_H25, MM_ALG_SHA256, "LMS_SHA256_M24_H25", 24, 25},
    {MM_LMS_SHAKE_M32_H5, MM_ALG_SHAKE256, "LMS_SHAKE_M32_H5", 32, 5},
    {MM_LMS_SHAKE_M32_H10, MM_ALG_SHAKE256, "LMS_SHAKE_M32_H10", 32, 10},
    {MM_LMS_SHAKE_M32_H15, MM_ALG_SHAKE256, "LMS_SHAKE_M32_H15", 32, 15},
    {MM_LMS_SHAKE_M32_H20, MM_ALG_SHAKE256, "LMS_SHAKE_M32_H20", 32, 20},
    {MM_LMS_SHAKE_M32_H25, MM_ALG_SHAKE256, "LMS_SHAKE_M32_H25", 32, 25},
    {MM_LMS_SHAKE_M24_H5, MM_ALG_SHAKE256, "LMS_SHAKE_M24_H5", 24, 5},
    {MM_LMS_SHAKE_M24_H10, MM_ALG_SHAKE256, "LMS_SHAKE_M24_H10", 24, 10},
    {MM_LMS_SHAKE_M24_H15, MM_ALG_SHAKE256, "LMS_SHAKE_M24_H15", 24, 15},
    {MM_LMS_SHAKE_M24_H20, MM_ALG_SHAKE256, "LMS_SHAKE_M24_H20", 24, 20},
    {MM_LMS_SHAKE_M24_H25, MM_ALG_SHAKE256, "LMS_SHAKE_M24_H25", 24, 25},
};

static const mm_lms_ots_type_info ots_types_table[] = {
    {MM_LMOTS_SHA256_N32_W1, MM_ALG_SHA256, "LMOTS_SHA256_N32_W1", 265, 32, 1, 7},
    {MM_LMOTS_SHA256_N32_W2, MM_ALG_SHA256, "LMOTS_SHA256_N32_W2", 133, 32, 2, 6},
    {MM_LMOTS_SHA256_N32_W4, MM_ALG_SHA256, "LMOTS_SHA256_N32_W4", 67, 32, 4, 4},
    {MM_LMOTS_SHA256_N32_W8, MM_ALG_SHA256, "LMOTS_SHA256_N32_W8", 34, 32, 8, 0},
    {MM_LMOTS_SHA256_N24_W1, MM_ALG_SHA256, "LMOTS_SHA256_N24_W1", 200, 24, 1, 8},
    {MM_LMOTS_SHA256_N24_W2, MM_ALG_SHA256, "LMOTS_SHA256_N24_W2", 101, 24, 2, 6},
    {MM_LMOTS_SHA256_N24_W4, MM_ALG_SHA256, "LMOTS_SHA256_N24_W4", 51, 24, 4, 4},
    {MM_LMOTS_SHA256_N24_W8, MM_ALG_SHA256, "LMOTS_SHA256_N24_W8", 26, 24, 8, 0},
    {MM_LMOTS_SHAKE_N32_W1, MM_ALG_SHAKE256, "LMOTS_SHAKE_N32_W1", 265, 32, 1, 7},
    {MM_LMOTS_SHAKE_N32_W2, MM_ALG_SHAKE256, "LMOTS_SHAKE_N32_W2", 133, 32, 2, 6},
    {MM_LMOTS_SHAKE_N32_W4, MM_ALG_SHAKE256, "LMOTS_SHAKE_N32_W4", 67, 32, 4, 4},
    {MM_LMOTS_SHAKE_N32_W8, MM_ALG_SHAKE256, "LMOTS_SHAKE_N32_W8", 34, 32, 8, 0},
    {MM_LMOTS_SHAKE_N24_W1, MM_ALG_SHAKE256, "LMOTS_SHAKE_N24_W1", 200, 24, 1, 8},
    {MM_LMOTS_SHAKE_N24_W2, MM_ALG_SHAKE256, "LMOTS_SHAKE_N24_W2", 101, 24, 2, 6},
    {MM_LMOTS_SHAKE_N24_W4, MM_ALG_SHAKE256, "LMOTS_SHAKE_N24_W4", 51, 24, 4, 4},
    {MM_LMOTS_SHAKE_N24_W8, MM_ALG_SHAKE256, "LMOTS_SHAKE_N24_W8", 26, 24, 8, 0},
};

/* Typecodes are consecutive from the first entry's, so they index the
 * tables directly (the unit test checks every entry's place). */
const mm_lms_type_info *mm_lms_type(uint32_t type)
{
    uint32_t i = type - MM_LMS_SHA256_M32_H5;
    return type >= MM_LMS_SHA256_M32_H5 && i < sizeof lms_types_table / sizeof lms_types_table[0] ? &lms_types_table[i]
                                                                                                  : NULL;
}

const mm_lms_ots_type_info *mm_lms_ots_type(uint32_t type)
{
    uint32_t i = type - MM_LMOTS_SHA256_N32_W1;
    return type >= MM_LMOTS_SHA256_N32_W1 && i < sizeof ots_types_table / sizeof ots_types_table[0]
               ? &ots_types_table[i]
               : NULL;
}

size_t mm_lms_ots_sig_len(const mm_lms_ots_type_info *ots) { return 4 + (size_t)ots->n * ((size_t)ots->p + 1); }

size_t mm_lms_lms_sig_len(const mm_lms_type_info *lms, const mm_lms_ots_type_info *ots)
{
    return 8 + mm_lms_ots_sig_len(ots) + (size_t)lms->m * lms->h;
}

size_t mm_lms_lms_pub_len(const mm_lms_type_info *lms) { return 24 + (size_t)lms->m; }

mm_err lms_types(uint32_t lms_type, uint32_t ots_type, const mm_lms_type_info **lms, const mm_lms_ots_type_info **ots)
{
    *lms = mm_lms_type(lms_type);
    *ots = mm_lms_ots_type(ots_type);
    if (*lms == NULL || *ots == NULL) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    /* SP 800-208 pairs each tree with one-time keys of the same hash and
     * size; RFC 8554 defines no mixed pair either. */
    if ((*lms)->hash_alg != (*ots)->hash_alg || (*lms)->m != (*ots)->n) {
        return MM_ERR_UNSUPPORTED_ALG;
    }
    return MM_OK;
}
