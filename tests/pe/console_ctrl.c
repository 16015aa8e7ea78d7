/* Console control events. Without arguments (the PE test): GenerateConsoleCtrlEvent to the
 * process itself runs the SetConsoleCtrlHandler handlers on a new thread, last added first,
 * until one returns TRUE; SetConsoleCtrlHandler(NULL, TRUE) ignores CTRL_C_EVENT but not
 * CTRL_BREAK_EVENT; removing a handler that is not there fails; msvcrt's signal(SIGINT) handler
 * is called for Ctrl-C and reset to SIG_DFL.
 *
 * With a mode argument (tests/cli/console-ctrl.sh sends the signal): prints "ready", then waits.
 *   handler   a handler returns TRUE for the first event and lets main exit with 7
 *   refuse    a handler returns FALSE: the default handler ends the process with
 *             STATUS_CONTROL_C_EXIT after atexit handlers and the stdio flush
 *   none      no handler: the same
 *   close     the handler returns TRUE for CTRL_CLOSE_EVENT: the process ends anyway,
 *             without atexit handlers
 *   signal    msvcrt signal(SIGINT, f): f runs and main exits with 9
 *   busyclose the main thread counts in a loop; the CTRL_CLOSE_EVENT handler sees it go on
 *             while the handler runs (Windows runs the handler on its own thread and stops
 *             nothing), returns TRUE, and the process ends
 *   busynone  the main thread counts in a loop, no handler: the default handler's
 *             ExitProcess stops it before the exit work (an atexit handler sees the count
 *             stand still), as ExitProcess ends the other threads before DLL_PROCESS_DETACH */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static DWORD main_tid;
static HANDLE done;
static volatile LONG order[8];
static volatile LONG norder;

static BOOL WINAPI first(DWORD ev)
{
    order[InterlockedIncrement(&norder) - 1] = 1;
    return FALSE;
}

static volatile DWORD second_event, second_tid;
static BOOL WINAPI second(DWORD ev)
{
    order[InterlockedIncrement(&norder) - 1] = 2;
    second_event = ev;
    second_tid = GetCurrentThreadId();
    SetEvent(done);
    return TRUE;
}

static volatile int crt_got;
static void crt_handler(int sig)
{
    crt_got = sig;
    SetEvent(done);
}

static int self_test(void)
{
    done = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetLastError(0);
    BOOL r = SetConsoleCtrlHandler(first, FALSE);
    printf("remove absent: %d %lu\n", r, GetLastError());
    SetConsoleCtrlHandler(first, TRUE);
    SetConsoleCtrlHandler(second, TRUE);
    printf("generate: %d\n", GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    printf("wait: %lu\n", WaitForSingleObject(done, 10000));
    printf("called: %ld handler(s), first called %ld, event %lu, on a new thread: %s\n", norder,
           order[0], second_event, second_tid != main_tid ? "yes" : "no");

    /* Ctrl-C ignored: only Ctrl-Break reaches the handlers. */
    norder = 0;
    SetConsoleCtrlHandler(NULL, TRUE);
    GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, 0);
    printf("wait: %lu\n", WaitForSingleObject(done, 10000));
    printf("called: %ld handler(s), event %lu\n", norder, second_event);
    SetConsoleCtrlHandler(NULL, FALSE);
    printf("remove: %d %d\n", SetConsoleCtrlHandler(second, FALSE),
           SetConsoleCtrlHandler(first, FALSE));
    printf("bad event: %d %lu\n", GenerateConsoleCtrlEvent(7, 0), GetLastError());

    /* msvcrt's handler: SIGINT runs once and is reset to SIG_DFL. */
    signal(SIGINT, crt_handler);
    GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    DWORD w = WaitForSingleObject(done, 10000);
    printf("crt wait: %lu, signal %d\n", w, crt_got);
    void (*prev)(int) = signal(SIGINT, SIG_IGN);
    printf("reset to SIG_DFL: %s\n", prev == SIG_DFL ? "yes" : "no");
    GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0); /* ignored by the CRT: the process lives on */
    Sleep(200);
    printf("still alive\n");
    return 0;
}

static int stage;
static BOOL WINAPI mode_handler(DWORD ev)
{
    printf("handler: event %lu\n", ev);
    fflush(stdout);
    if (stage == 1) { /* refuse */
        return FALSE;
    }
    SetEvent(done);
    return TRUE;
}

static void at_exit(void) { printf("atexit ran\n"); }

static volatile LONG64 main_count;

static BOOL WINAPI busy_close_handler(DWORD ev)
{
    LONG64 before = main_count;
    for (int i = 0; i < 500 && main_count == before; i++) /* a busy host: up to 5 s */
        Sleep(10);
    printf("handler: event %lu, main ran meanwhile: %s\n", ev, main_count > before ? "yes" : "no");
    fflush(stdout);
    return TRUE;
}

static void busy_at_exit(void)
{
    LONG64 before = main_count;
    Sleep(100);
    printf("atexit: main stopped: %s\n", main_count == before ? "yes" : "no");
}

int main(int argc, char **argv)
{
    main_tid = GetCurrentThreadId();
    if (argc < 2)
        return self_test();
    const char *mode = argv[1];
    done = CreateEventA(NULL, FALSE, FALSE, NULL);
    atexit(at_exit);
    if (!strcmp(mode, "handler") || !strcmp(mode, "close")) {
        SetConsoleCtrlHandler(mode_handler, TRUE);
    } else if (!strcmp(mode, "refuse")) {
        stage = 1;
        SetConsoleCtrlHandler(mode_handler, TRUE);
    } else if (!strcmp(mode, "signal")) {
        signal(SIGINT, crt_handler);
    } else if (!strcmp(mode, "busyclose") || !strcmp(mode, "busynone")) {
        if (!strcmp(mode, "busyclose"))
            SetConsoleCtrlHandler(busy_close_handler, TRUE);
        else
            atexit(busy_at_exit);
        printf("ready\n");
        fflush(stdout);
        for (;;) /* the program's own code, a Sleep now and then */
            if ((++main_count & 0xffff) == 0)
                Sleep(1);
    }
    printf("ready\n");
    fflush(stdout);
    printf("buffered, not flushed\n"); /* the default handler's exit flushes it */
    if (WaitForSingleObject(done, 30000) != WAIT_OBJECT_0) {
        printf("timed out\n");
        return 1;
    }
    if (!strcmp(mode, "close"))
        Sleep(30000); /* the process ends once the handler has returned */
    printf("main: done (crt signal %d)\n", crt_got);
    return !strcmp(mode, "signal") ? 9 : 7;
}
