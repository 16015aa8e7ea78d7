/* SPDX-License-Identifier: MIT */
/* The generated locale tables (generated/nls_lctime.h, nls_lcnumeric.h), one copy for
 * kernel32's locale functions and the C runtimes' (thunks/msvcrt/locale.c, time.c). */
#ifndef NTRUN_THUNKS_KERNEL32_NLS_TABLES_H
#define NTRUN_THUNKS_KERNEL32_NLS_TABLES_H

/* A locale's LC_TIME: day and month names, AM/PM, the date and time pictures (UTF-8). */
typedef struct nls_lctime {
    const char *days_abbr[7], *days[7], *months_abbr[12], *months[12], *am, *pm;
    const char *short_date, *long_date, *time;
} nls_lctime;

/* Locale `loc` (0 <= loc < NLS_LCTIME_COUNT, in the order of NLS_LCTIME_TAGS): its LC_TIME,
 * its 12 genitive month names, its number and currency strings (indexed by NLS_NUM_*,
 * thunks/kernel32/lcnumeric.h). */
const nls_lctime *nls_lctime_of(int loc);
const char *const *nls_genitive_months_of(int loc);
const char *const *nls_lcnumeric_of(int loc);

#endif
