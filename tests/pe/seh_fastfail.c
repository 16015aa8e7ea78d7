/* __fastfail (int 0x29) ends the process at once with STATUS_STACK_BUFFER_OVERRUN
 * (0xC0000409, 9 in the low byte): no vectored handler or unhandled-exception filter sees it. */
#include <stdio.h>
#include <windows.h>

static LONG CALLBACK handler(EXCEPTION_POINTERS *ep)
{
    printf("vectored handler called: 0x%lX\n", ep->ExceptionRecord->ExceptionCode);
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG WINAPI filter(EXCEPTION_POINTERS *ep)
{
    printf("filter called\n");
    return EXCEPTION_CONTINUE_SEARCH;
}

int main(void)
{
    AddVectoredExceptionHandler(1, handler);
    SetUnhandledExceptionFilter(filter);
    printf("fast fail\n");
    fflush(stdout);
    __asm__ volatile("int $0x29" : : "c"(7)); /* FAST_FAIL_FATAL_APP_EXIT */
    printf("not reached\n");
    return 0;
}
