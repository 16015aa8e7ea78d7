/* bInheritHandle of the Open* functions of named objects (OpenEvent, OpenMutex, OpenSemaphore,
 * OpenWaitableTimer, OpenFileMapping; W and A): TRUE gives an inheritable handle
 * (GetHandleInformation: HANDLE_FLAG_INHERIT), FALSE one that is not, whatever the creator's
 * handle was (created here not inheritable). A child started with bInheritHandles uses the
 * parent's handle values of an event and a section it got from OpenEventW / OpenFileMappingW
 * with TRUE: it sets the event and writes into a view of the section; the parent sees both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"

static void flag(const char *what, BOOL inherit, HANDLE h)
{
    DWORD flags = 0xcccccccc;
    if (!h) {
        printf("%s(%s): error %lu\n", what, inherit ? "TRUE" : "FALSE", GetLastError());
        return;
    }
    BOOL ok = GetHandleInformation(h, &flags);
    printf("%s(%s): %s\n", what, inherit ? "TRUE" : "FALSE",
           !ok ? "GetHandleInformation failed"
               : (flags & HANDLE_FLAG_INHERIT) ? "inheritable" : "not inheritable");
    CloseHandle(h);
}

static char *ansi(const WCHAR *w)
{
    static char buf[4][96];
    static int i;
    char *b = buf[i++ % 4];
    snprintf(b, 96, "%ls", w);
    return b;
}

static int child(HANDLE ev, HANDLE sec)
{
    char *view = MapViewOfFile(sec, FILE_MAP_WRITE, 0, 0, 64);
    if (!view)
        return 100 + (int)GetLastError();
    strcpy(view, "written by the child");
    UnmapViewOfFile(view);
    if (!SetEvent(ev))
        return 1000 + (int)GetLastError();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "child"))
        return child((HANDLE)(ULONG_PTR)strtoull(argv[2], NULL, 16),
                     (HANDLE)(ULONG_PTR)strtoull(argv[3], NULL, 16));
    swprintf(xproc_base, 64, L"ntrun-open-inherit-%lu", GetCurrentProcessId());
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-ev"));
    HANDLE mx = CreateMutexW(NULL, FALSE, xproc_name(L"-mx"));
    HANDLE sem = CreateSemaphoreW(NULL, 0, 4, xproc_name(L"-sem"));
    HANDLE tm = CreateWaitableTimerW(NULL, TRUE, xproc_name(L"-tm"));
    HANDLE sec = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096,
                                    xproc_name(L"-sec"));
    if (!ev || !mx || !sem || !tm || !sec) {
        printf("create: error %lu\n", GetLastError());
        return 1;
    }
    for (int i = 0; i < 2; i++) {
        BOOL inh = i == 0;
        flag("OpenEventW", inh, OpenEventW(EVENT_ALL_ACCESS, inh, xproc_name(L"-ev")));
        flag("OpenEventA", inh, OpenEventA(EVENT_ALL_ACCESS, inh, ansi(xproc_name(L"-ev"))));
        flag("OpenMutexW", inh, OpenMutexW(MUTEX_ALL_ACCESS, inh, xproc_name(L"-mx")));
        flag("OpenMutexA", inh, OpenMutexA(MUTEX_ALL_ACCESS, inh, ansi(xproc_name(L"-mx"))));
        flag("OpenSemaphoreW", inh, OpenSemaphoreW(SEMAPHORE_ALL_ACCESS, inh, xproc_name(L"-sem")));
        flag("OpenSemaphoreA", inh,
             OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, inh, ansi(xproc_name(L"-sem"))));
        flag("OpenWaitableTimerW", inh,
             OpenWaitableTimerW(TIMER_ALL_ACCESS, inh, xproc_name(L"-tm")));
        flag("OpenWaitableTimerA", inh,
             OpenWaitableTimerA(TIMER_ALL_ACCESS, inh, ansi(xproc_name(L"-tm"))));
        flag("OpenFileMappingW", inh,
             OpenFileMappingW(FILE_MAP_ALL_ACCESS, inh, xproc_name(L"-sec")));
        flag("OpenFileMappingA", inh,
             OpenFileMappingA(FILE_MAP_ALL_ACCESS, inh, ansi(xproc_name(L"-sec"))));
    }

    /* the child: the handle values of an inheritable event and section the parent opened */
    HANDLE oev = OpenEventW(EVENT_ALL_ACCESS, TRUE, xproc_name(L"-ev"));
    HANDLE osec = OpenFileMappingW(FILE_MAP_ALL_ACCESS, TRUE, xproc_name(L"-sec"));
    char args[64];
    snprintf(args, sizeof args, "child %llx %llx", (unsigned long long)(ULONG_PTR)oev,
             (unsigned long long)(ULONG_PTR)osec);
    HANDLE p = xproc_start(args, TRUE);
    if (!p) {
        printf("CreateProcess: error %lu\n", GetLastError());
        return 1;
    }
    DWORD code = xproc_end_code(p);
    CloseHandle(p);
    printf("child exit code %lu\n", code);
    printf("event after the child: %s\n",
           WaitForSingleObject(ev, 0) == WAIT_OBJECT_0 ? "signalled" : "not signalled");
    char *view = MapViewOfFile(sec, FILE_MAP_READ, 0, 0, 64);
    printf("section after the child: \"%s\"\n", view ? view : "(no view)");
    if (view)
        UnmapViewOfFile(view);
    CloseHandle(oev);
    CloseHandle(osec);
    CloseHandle(ev);
    CloseHandle(mx);
    CloseHandle(sem);
    CloseHandle(tm);
    CloseHandle(sec);
    return 0;
}
