/* rt_cpu_list_count (runtime/cpus.c), the parse of /sys/devices/system/cpu/online that gives
 * the PEB's NumberOfProcessors in place of glibc's get_nprocs: the kernel's cpulist forms
 * count as glibc counts them, anything else is 0 (the caller then asks glibc), and
 * rt_cpus_online agrees with sysconf(_SC_NPROCESSORS_ONLN) on this host. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>
#include "runtime/runtime.h"

static uint32_t count(const char *s)
{
    return rt_cpu_list_count(s, strlen(s));
}

Test(cpus, list_of_ranges_and_singles_counts_each_cpu)
{
    cr_assert_eq(count("0\n"), 1, "got %u", count("0\n"));
    cr_assert_eq(count("0-1\n"), 2, "got %u", count("0-1\n"));
    cr_assert_eq(count("0-1,3,5-7\n"), 6, "got %u", count("0-1,3,5-7\n"));
    cr_assert_eq(count("0-255\n"), 256, "got %u", count("0-255\n"));
    cr_assert_eq(count("7\n"), 1, "got %u", count("7\n"));
    cr_assert_eq(count("2-2\n"), 1, "got %u", count("2-2\n"));
    cr_assert_eq(count("0,2,4,6,8,10,12,14-15\n"), 9, "got %u", count("0,2,4,6,8,10,12,14-15\n"));
}

Test(cpus, list_without_newline_ends_at_the_end_of_the_text)
{
    cr_assert_eq(count("0-3"), 4, "got %u", count("0-3"));
    /* n bounds the text: what follows is not read */
    cr_assert_eq(rt_cpu_list_count("0-3,8-9", 3), 4, "got %u", rt_cpu_list_count("0-3,8-9", 3));
}

Test(cpus, text_after_the_newline_is_ignored)
{
    cr_assert_eq(count("0-1\n5-9\n"), 2, "got %u", count("0-1\n5-9\n"));
}

Test(cpus, trailing_comma_is_accepted_as_glibc_does)
{
    cr_assert_eq(count("0-1,\n"), 2, "got %u", count("0-1,\n"));
}

Test(cpus, malformed_lists_are_zero)
{
    static const char *bad[] = {
        "", "\n", ",\n", "-1\n", "a\n", " 0-1\n", "0-\n", "0--1\n", "0-1,,2\n", "3-1\n",
        "0-1x\n", "0-1 \n", "1,x\n", "4294967296\n", "0-99999999999\n", "0-2147483647,0-1\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(count(bad[i]), 0, "\"%s\": got %u", bad[i], count(bad[i]));
}

Test(cpus, online_count_matches_sysconf)
{
    long want = sysconf(_SC_NPROCESSORS_ONLN);
    long got = rt_cpus_online();
    cr_assert_eq(got, want, "rt_cpus_online %ld, sysconf %ld", got, want);
}
