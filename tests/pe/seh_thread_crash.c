/* An integer division by zero on a secondary thread that nothing handles ends the whole process
 * (not just the thread) with exit code 0xC0000094 (0x94 = 148 in the low byte), with one line on
 * stderr naming the exception and the faulting module+offset. */
#include <stdio.h>
#include <windows.h>

static volatile int zero;

static DWORD WINAPI worker(void *arg)
{
    printf("thread runs\n");
    fflush(stdout);
    return 10 / zero;
}

int main(void)
{
    HANDLE t = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    (void)t;
    Sleep(INFINITE); /* ended by the other thread's exception */
    printf("not reached\n");
    return 0;
}
