/* SPDX-License-Identifier: MIT */
/* The generated locale tables in one copy, without relocations. Each is one block of NUL-ended
 * strings in read-only data (cmake/glibc_locale.py's c_strings); the tables of pointers into
 * them are made on the first ask. As initialised arrays of pointers (kernel32 and msvcrt had a
 * copy each), the dynamic linker wrote their ~19 KB of relocated pointers, five pages, at every
 * start, whether the program ever asked for a locale or not (docs/performance.md, issue 12). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/runtime.h"
#include "thunks/kernel32/lcnumeric.h"
#include "thunks/kernel32/nls_tables.h"
#include "nls_lctime.h"
#include "nls_lcnumeric.h"

#define NLS_LCTIME_FIELDS ((int)(sizeof(nls_lctime) / sizeof(const char *)))
_Static_assert(sizeof(nls_lctime) == 43 * sizeof(const char *), "nls_lctime: 43 strings");
_Static_assert(NLS_LCNUMERIC_FIELDS == NLS_NUM_COUNT, "nls_lcnumeric.h: field count");

static const char nls_time_strings[] = NLS_LCTIME_STRINGS;
static const char nls_genitive_strings[] = NLS_LCTIME_GENITIVE_STRINGS;
static const char nls_numeric_strings[] = NLS_LCNUMERIC_STRINGS;

static struct {
    nls_lctime time[NLS_LCTIME_COUNT];
    const char *genitive[NLS_LCTIME_COUNT][12];
    const char *numeric[NLS_LCTIME_COUNT][NLS_LCNUMERIC_FIELDS];
} nls_tables;
static rt_once_t nls_tables_once = RT_ONCE_INIT;

/* The n strings of block `s` (size bytes with the literal's own final NUL) into out[]; the
 * block must hold exactly n (the generator and the tables' shapes agree). */
static void nls_split(const char *what, const char *s, size_t size, const char **out, size_t n)
{
    const char *p = s;
    for (size_t i = 0; i < n; i++) {
        out[i] = p;
        p += strlen(p) + 1;
    }
    if (p != s + size - 1) {
        fprintf(stderr, "ntrun: internal error: generated locale table %s does not hold %zu strings\n",
                what, n);
        abort();
    }
}

static void nls_tables_make(void)
{
    nls_split("NLS_LCTIME_STRINGS", nls_time_strings, sizeof nls_time_strings,
              (const char **)nls_tables.time, (size_t)NLS_LCTIME_COUNT * NLS_LCTIME_FIELDS);
    nls_split("NLS_LCTIME_GENITIVE_STRINGS", nls_genitive_strings, sizeof nls_genitive_strings,
              &nls_tables.genitive[0][0], (size_t)NLS_LCTIME_COUNT * 12);
    nls_split("NLS_LCNUMERIC_STRINGS", nls_numeric_strings, sizeof nls_numeric_strings,
              &nls_tables.numeric[0][0], (size_t)NLS_LCTIME_COUNT * NLS_LCNUMERIC_FIELDS);
}

const nls_lctime *nls_lctime_of(int loc)
{
    rt_once(&nls_tables_once, nls_tables_make);
    return &nls_tables.time[loc];
}

const char *const *nls_genitive_months_of(int loc)
{
    rt_once(&nls_tables_once, nls_tables_make);
    return nls_tables.genitive[loc];
}

const char *const *nls_lcnumeric_of(int loc)
{
    rt_once(&nls_tables_once, nls_tables_make);
    return nls_tables.numeric[loc];
}
