/* SPDX-License-Identifier: MIT */
/* The yes/NO check of the tests that print each assertion (object_access, object_name_pipe,
 * object_query, registry_multi, mapped_filename, process_memory_info): CHECK(cond) prints
 * "cond: yes" or "cond: NO" and counts the NOs in bad; check_report() prints "N wrong" and
 * gives the exit code (1 when any check failed). */
#ifndef NTRUN_TESTS_PE_CHECK_H
#define NTRUN_TESTS_PE_CHECK_H
#include <stdio.h>

static int bad;
#define CHECK(cond)                                                                             \
    do {                                                                                        \
        int ok_ = (cond);                                                                       \
        printf("%s: %s\n", #cond, ok_ ? "yes" : "NO");                                          \
        bad += !ok_;                                                                            \
    } while (0)

static inline int check_report(void)
{
    printf("%d wrong\n", bad);
    return bad != 0;
}
#endif
