/* msvcrt's clock() counts from the program's start: near 0 in main, also for a run inside a
 * host process that has been up for a while (libntrun, tests/lib/test_lib.c). */
#include <stdio.h>
#include <time.h>

int main(void)
{
    clock_t c = clock();
    if (c < 0 || c > 500) {
        printf("clock() = %ld at the start of main\n", (long)c);
        return 1;
    }
    printf("clock() starts near 0\n");
    return 0;
}
