/* SPDX-License-Identifier: MIT */
/* The fields of generated/nls_lcnumeric.h (cmake/gen_lcnumeric.py), shared by kernel32's
 * locale functions (nls.c, nls_format.c) and the CRT's localeconv (thunks/msvcrt/locale.c),
 * and the C lconv sign positions Windows derives from LOCALE_ICURRENCY and LOCALE_INEGCURR. */
#ifndef NTRUN_THUNKS_KERNEL32_LCNUMERIC_H
#define NTRUN_THUNKS_KERNEL32_LCNUMERIC_H
#include <stdint.h>

enum {
    NLS_NUM_DECIMAL,          /* LOCALE_SDECIMAL */
    NLS_NUM_THOUSAND,         /* LOCALE_STHOUSAND */
    NLS_NUM_GROUPING,         /* LOCALE_SGROUPING ("3;0") */
    NLS_NUM_DIGITS,           /* LOCALE_IDIGITS */
    NLS_NUM_LZERO,            /* LOCALE_ILZERO */
    NLS_NUM_NEGNUMBER,        /* LOCALE_INEGNUMBER */
    NLS_NUM_POSITIVE,         /* LOCALE_SPOSITIVESIGN */
    NLS_NUM_NEGATIVE,         /* LOCALE_SNEGATIVESIGN */
    NLS_NUM_CURRENCY,         /* LOCALE_SCURRENCY */
    NLS_NUM_INTL_SYMBOL,      /* LOCALE_SINTLSYMBOL */
    NLS_NUM_MON_DECIMAL,      /* LOCALE_SMONDECIMALSEP */
    NLS_NUM_MON_THOUSAND,     /* LOCALE_SMONTHOUSANDSEP */
    NLS_NUM_MON_GROUPING,     /* LOCALE_SMONGROUPING */
    NLS_NUM_CURR_DIGITS,      /* LOCALE_ICURRDIGITS */
    NLS_NUM_INTL_CURR_DIGITS, /* LOCALE_IINTLCURRDIGITS */
    NLS_NUM_ICURRENCY,        /* LOCALE_ICURRENCY: 0 "$1", 1 "1$", 2 "$ 1", 3 "1 $" */
    NLS_NUM_INEGCURR,         /* LOCALE_INEGCURR: the 16 patterns, 0 "($1)" .. 15 "(1 $)" */
    NLS_NUM_LIST,             /* LOCALE_SLIST */
    NLS_NUM_MEASURE,          /* LOCALE_IMEASURE */
    NLS_NUM_COUNT
};

/* lconv's p_cs_precedes, p_sep_by_space, n_cs_precedes, n_sep_by_space, p_sign_posn,
 * n_sign_posn (= LOCALE_IPOSSYMPRECEDES, IPOSSEPBYSPACE, INEGSYMPRECEDES, INEGSEPBYSPACE,
 * IPOSSIGNPOSN, INEGSIGNPOSN). Sign positions as C has them: 0 parentheses, 1 before
 * everything, 2 after everything, 3 right before the symbol, 4 right after it; the positive
 * sign (empty) is placed before the symbol where the symbol leads (3), else before all (1). */
typedef struct {
    uint8_t v[6];
} nls_positions;

static inline nls_positions nls_currency_positions(int icurrency, int inegcurr)
{
    /* INEGCURR -> n_cs_precedes, n_sep_by_space, n_sign_posn */
    static const uint8_t neg[16][3] = {
        {1, 0, 0}, /* 0 ($1.1) */   {1, 0, 1}, /* 1 -$1.1 */    {1, 0, 4}, /* 2 $-1.1 */
        {1, 0, 2}, /* 3 $1.1- */    {0, 0, 0}, /* 4 (1.1$) */   {0, 0, 1}, /* 5 -1.1$ */
        {0, 0, 3}, /* 6 1.1-$ */    {0, 0, 2}, /* 7 1.1$- */    {0, 1, 1}, /* 8 -1.1 $ */
        {1, 1, 1}, /* 9 -$ 1.1 */   {0, 1, 2}, /* 10 1.1 $- */  {1, 1, 2}, /* 11 $ 1.1- */
        {1, 1, 4}, /* 12 $ -1.1 */  {0, 1, 3}, /* 13 1.1- $ */  {1, 1, 0}, /* 14 ($ 1.1) */
        {0, 1, 0}, /* 15 (1.1 $) */
    };
    nls_positions p;
    icurrency &= 3;
    inegcurr &= 15;
    p.v[0] = icurrency == 0 || icurrency == 2; /* p_cs_precedes */
    p.v[1] = icurrency >= 2;                   /* p_sep_by_space */
    p.v[2] = neg[inegcurr][0];
    p.v[3] = neg[inegcurr][1];
    p.v[4] = p.v[0] ? 3 : 1; /* p_sign_posn */
    p.v[5] = neg[inegcurr][2];
    return p;
}

#endif
