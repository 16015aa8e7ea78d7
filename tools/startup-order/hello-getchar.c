/* SPDX-License-Identifier: MIT */
/* gen-order.sh's second profile, and the program docs/performance.md measures RSS with: hello,
 * then a read of stdin (a console program waiting for input). */
#include <stdio.h>

int main(void)
{
    printf("hello, world\n");
    fflush(stdout);
    getchar();
    return 0;
}
