/* libntrun test program: a line left in stdout's buffer, then TerminateProcess on itself with
 * 7: the run ends at once (no CRT flush: the line is never written) and the host continues. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOFBF, 4096);
    printf("never flushed\n");
    TerminateProcess(GetCurrentProcess(), 7);
    return 1;
}
