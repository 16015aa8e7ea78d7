/* qsort_callback: msvcrt calling back into the program. qsort of ints and of strings with
 * program comparators (each comparison is a call from msvcrt into foreign code), bsearch,
 * a comparator that counts its calls and itself calls back into msvcrt (strcmp, sprintf:
 * nested crossings), qsort inside a comparator of another qsort, and atexit handlers that run
 * after main returns in LIFO order (their output must still reach stdout).
 *
 * Expected output checked with Wine 8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fail_check.h"

static int calls;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    calls++;
    return (x > y) - (x < y);
}

static int cmp_int_desc(const void *a, const void *b)
{
    return -cmp_int(a, b);
}

/* Compares through msvcrt again: strcmp and sprintf from inside a callback. */
static int cmp_str(const void *a, const void *b)
{
    char tmp[32];
    calls++;
    sprintf(tmp, "%d", calls); /* a nested call into msvcrt, result unused */
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorting rows by (largest, smallest), where computing the key sorts a copy of the row (nested
 * qsort). The keys are distinct: qsort is not stable. */
struct row {
    int v[4];
};
static int row_key(const struct row *r)
{
    int copy[4];
    memcpy(copy, r->v, sizeof copy);
    qsort(copy, 4, sizeof copy[0], cmp_int); /* a qsort inside a qsort callback */
    return copy[3] * 1000 + copy[0];        /* largest, then smallest */
}
static int cmp_row(const void *a, const void *b)
{
    int x = row_key(a), y = row_key(b);
    return (x > y) - (x < y);
}

static void at_exit_first(void)
{
    printf("atexit: registered first, runs last\n");
}

static void at_exit_second(void)
{
    printf("atexit: registered second, runs first\n");
}

int main(void)
{
    /* ---- ints ---- */
    int nums[] = {42, -7, 19, 0, 1000, 3, 3, -7, 88, 5, 61, 2};
    const int n = (int)(sizeof nums / sizeof nums[0]);
    calls = 0;
    qsort(nums, n, sizeof nums[0], cmp_int);
    printf("sorted ints:");
    for (int i = 0; i < n; i++)
        printf(" %d", nums[i]);
    printf("\n");
    for (int i = 1; i < n; i++)
        CHECK(10, nums[i - 1] <= nums[i]);
    printf("comparator was called: %s\n", calls >= n - 1 ? "yes" : "no");
    qsort(nums, n, sizeof nums[0], cmp_int_desc);
    printf("descending:");
    for (int i = 0; i < n; i++)
        printf(" %d", nums[i]);
    printf("\n");
    qsort(nums, n, sizeof nums[0], cmp_int);

    /* ---- bsearch ---- */
    int key = 61;
    int *hit = bsearch(&key, nums, n, sizeof nums[0], cmp_int);
    printf("bsearch 61: %s at index %d\n", hit ? "found" : "not found",
           hit ? (int)(hit - nums) : -1);
    CHECK(11, hit && *hit == 61);
    key = 4;
    hit = bsearch(&key, nums, n, sizeof nums[0], cmp_int);
    printf("bsearch 4: %s\n", hit ? "found" : "not found");
    CHECK(12, hit == NULL);
    key = -7;
    hit = bsearch(&key, nums, n, sizeof nums[0], cmp_int);
    printf("bsearch -7: %s\n", hit && *hit == -7 ? "found" : "not found");

    /* ---- strings ---- */
    const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "Apple", "date", "apricot"};
    const int nw = (int)(sizeof words / sizeof words[0]);
    calls = 0;
    qsort(words, nw, sizeof words[0], cmp_str);
    printf("sorted strings:");
    for (int i = 0; i < nw; i++)
        printf(" %s", words[i]);
    printf("\n");
    for (int i = 1; i < nw; i++)
        CHECK(13, strcmp(words[i - 1], words[i]) <= 0);
    printf("string comparator calls counted: %s\n", calls >= nw - 1 ? "yes" : "no");
    const char *find = "date";
    const char **w = bsearch(&find, words, nw, sizeof words[0], cmp_str);
    printf("bsearch \"date\": %s\n", w ? *w : "(not found)");
    CHECK(14, w && strcmp(*w, "date") == 0);

    /* ---- qsort inside a qsort comparator ---- */
    struct row rows[] = {{{9, 1, 5, 3}}, {{4, 4, 4, 2}}, {{7, 8, 0, 6}}, {{1, 2, 3, 10}}};
    qsort(rows, 4, sizeof rows[0], cmp_row);
    printf("rows by (max, min):");
    for (int i = 0; i < 4; i++)
        printf(" [%d %d %d %d]", rows[i].v[0], rows[i].v[1], rows[i].v[2], rows[i].v[3]);
    printf("\n");

    /* ---- empty and single-element sorts never call the comparator ---- */
    calls = 0;
    qsort(nums, 0, sizeof nums[0], cmp_int);
    qsort(nums, 1, sizeof nums[0], cmp_int);
    printf("comparator calls for 0 and 1 elements: %d\n", calls);

    /* ---- atexit ---- */
    CHECK(20, atexit(at_exit_first) == 0);
    CHECK(21, atexit(at_exit_second) == 0);
    printf("main returns 3\n");
    return 3;
}
