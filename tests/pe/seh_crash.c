/* An access violation nobody handles (the mingw CRT's own unhandled-exception filter passes it
 * on): the process ends with exit code 0xC0000005 (5 in the low byte) and one line on stderr
 * naming the code, the module+offset of the faulting instruction and the written address.
 * Output written before the crash is not lost. */
#include <stdio.h>

static volatile int *volatile target;

__attribute__((noinline)) static void write_null(int v)
{
    *target = v;
}

int main(void)
{
    printf("before the crash\n");
    fflush(stdout);
    write_null(7);
    printf("not reached\n");
    return 0;
}
