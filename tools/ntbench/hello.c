/* SPDX-License-Identifier: MIT */
/* The start-up benchmark's program, built twice from this source: natively (ntbench-hello) and by
 * mingw-w64 (ntbench-hello.exe, run under ntrun). */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    return 0;
}
