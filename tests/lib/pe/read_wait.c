/* libntrun test program: says so, then blocks reading its standard input (the host keeps the
 * pipe open and ends the run with ntrun_program_terminate). Returns 4 if the read ever ends. */
#include <stdio.h>

int main(void)
{
    printf("waiting for input\n");
    fflush(stdout);
    char buf[64];
    if (fgets(buf, sizeof buf, stdin))
        printf("got %s", buf);
    return 4;
}
