/* abort() in a UCRT program: a SIGABRT handler runs first; when it returns, the release UCRT
 * ends the process with __fastfail(FAST_FAIL_FATAL_APP_EXIT): exit status 0xC0000409
 * (STATUS_STACK_BUFFER_OVERRUN; 9 in the low 8 bits), no message, no atexit functions, and
 * buffered output not flushed (stdout keeps only what was flushed explicitly). */
#include "ucrt.h"

typedef void(__cdecl *sighandler_t)(int);
__declspec(dllimport) sighandler_t __cdecl signal(int sig, sighandler_t handler);
int __cdecl atexit(void(__cdecl *fn)(void));

static void __cdecl on_abort(int sig)
{
    fprintf(stderr, "SIGABRT handler: signal %d\n", sig); /* stderr is unbuffered */
}
static void __cdecl never(void) { printf("atexit function ran (it must not)\n"); }

int main(void)
{
    atexit(never);
    signal(22 /* SIGABRT */, on_abort);
    printf("before abort\n");
    fflush(stdout);
    printf("buffered, lost\n");
    abort();
}
