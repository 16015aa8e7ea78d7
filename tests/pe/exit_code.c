/* exit_code: main returns 200 and the process exit status is 200; the output still sitting in
 * msvcrt's stdout buffer at that point (stdout is a file here, so fully buffered) is written
 * out by exit().
 *
 * Expected output checked with Wine 8. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    printf("argc = %d\n", argc);
    printf("this line is still buffered when main returns\n");
    printf("returning 200\n");
    return 200;
}
