/* libntrun test program: writes through a null pointer (no handler: an unhandled 0xC0000005). */
#include <stdio.h>

int main(void)
{
    printf("about to crash\n");
    fflush(stdout);
    volatile int *p = 0;
    *p = 1;
    return 0;
}
