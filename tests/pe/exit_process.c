/* exit_process: ExitProcess(7) straight from main, with output still in msvcrt's stdout buffer
 * and an atexit handler registered. The exit status is 7. On Windows, msvcrt.dll's
 * DLL_PROCESS_DETACH handler (_CRTDLL_INIT) calls _cexit() when exit() has not run: that runs
 * the atexit/_onexit table (mingw-w64's atexit registers through msvcrt's _onexit) and then
 * flushes the streams, so both the buffered lines and the handler's line appear, in that order.
 *
 * Expected output checked with Wine 8 except the handler's line: Wine 8's msvcrt flushes the
 * streams on DLL_PROCESS_DETACH but does not run the atexit table. The expected file follows
 * Windows' msvcrt. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static void at_exit_handler(void)
{
    printf("atexit handler ran during ExitProcess\n");
}

int main(void)
{
    if (atexit(at_exit_handler) != 0)
        return 10;
    printf("first line, buffered\n");
    printf("second line, buffered; calling ExitProcess(7)\n");
    ExitProcess(7);
    printf("FAIL: ExitProcess returned\n");
    return 11;
}
