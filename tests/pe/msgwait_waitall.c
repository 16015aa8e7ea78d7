/* MsgWaitForMultipleObjectsEx with MWMO_WAITALL in a console program: the objects and the
 * queue's input (of the wake mask's kinds, new since the thread last looked, or any with
 * MWMO_INPUTAVAILABLE) are waited for together, as WaitForMultipleObjects with bWaitAll waits
 * for its objects: WAIT_OBJECT_0 when all objects are signalled and the input is there, and only
 * then are the objects taken (an auto-reset event stays set after a wait that timed out for lack
 * of input or of another object); either coming later (another thread) ends the wait; no object
 * waits for input only; input seen before still counts (GetMessage/PeekMessage, not the wait,
 * clear it); a mutex and an event together. Wine 8.0 prints the same. */
#include <stdio.h>
#include <windows.h>
static HANDLE ev, ev2;
static DWORD main_tid;
static DWORD WINAPI later_set(void *p) { Sleep(50); SetEvent((HANDLE)p); return 0; }
static DWORD WINAPI later_post(void *p) { Sleep(50); PostThreadMessageA(main_tid, WM_USER, 0, 0); return 0; }
static void drain(void)
{
    MSG m;
    while (PeekMessageA(&m, NULL, 0, 0, PM_REMOVE))
        ;
}
int main(void)
{
    main_tid = GetCurrentThreadId();
    ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    ev2 = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetEvent(ev);
    /* (no queue yet: the wait makes it) */
    DWORD r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("1 set, no input: %#lx, event then %#lx\n", r, WaitForSingleObject(ev, 0));
    PostThreadMessageA(main_tid, WM_USER, 0, 0);
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("2 input, not set: %#lx\n", r);
    SetEvent(ev);
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("3 input and set: %#lx, event then %#lx\n", r, WaitForSingleObject(ev, 0));
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("3b same input again, not set: %#lx\n", r);
    SetEvent(ev);
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("3c same input again, set: %#lx, event then %#lx\n", r, WaitForSingleObject(ev, 0));
    drain();
    PostThreadMessageA(main_tid, WM_USER, 0, 0);
    CloseHandle(CreateThread(NULL, 0, later_set, ev, 0, NULL));
    r = MsgWaitForMultipleObjectsEx(1, &ev, 1000, QS_ALLINPUT, MWMO_WAITALL);
    printf("4 input, set later: %#lx\n", r);
    drain();
    SetEvent(ev);
    CloseHandle(CreateThread(NULL, 0, later_post, NULL, 0, NULL));
    r = MsgWaitForMultipleObjectsEx(1, &ev, 1000, QS_ALLINPUT, MWMO_WAITALL);
    printf("5 set, input later: %#lx\n", r);
    drain();
    r = MsgWaitForMultipleObjectsEx(0, NULL, 50, QS_ALLINPUT, MWMO_WAITALL);
    printf("6 none, no input: %#lx\n", r);
    PostThreadMessageA(main_tid, WM_USER, 0, 0);
    r = MsgWaitForMultipleObjectsEx(0, NULL, 50, QS_ALLINPUT, MWMO_WAITALL);
    printf("6b none, input: %#lx\n", r);
    drain();
    HANDLE two[2] = {ev, ev2};
    SetEvent(ev);
    PostThreadMessageA(main_tid, WM_USER, 0, 0);
    r = MsgWaitForMultipleObjectsEx(2, two, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("7 input, one of two: %#lx, first then %#lx\n", r, WaitForSingleObject(ev, 0));
    drain();
    HANDLE mx = CreateMutexA(NULL, FALSE, NULL);
    SetEvent(ev);
    PostThreadMessageA(main_tid, WM_USER, 0, 0);
    HANDLE em[2] = {mx, ev};
    r = MsgWaitForMultipleObjectsEx(2, em, 100, QS_ALLINPUT, MWMO_WAITALL);
    printf("8 mutex+event+input: %#lx, ReleaseMutex %d\n", r, ReleaseMutex(mx));
    drain();
    SetEvent(ev);
    PostThreadMessageA(main_tid, WM_USER, 0, 0);
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL | MWMO_INPUTAVAILABLE);
    printf("9 inputavailable: %#lx\n", r);
    SetEvent(ev);
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_ALLINPUT, MWMO_WAITALL | MWMO_INPUTAVAILABLE);
    printf("9b inputavailable, old input: %#lx\n", r);
    SetEvent(ev);
    r = MsgWaitForMultipleObjectsEx(1, &ev, 100, QS_TIMER, MWMO_WAITALL | MWMO_INPUTAVAILABLE);
    printf("9c other mask: %#lx ev %#lx\n", r, WaitForSingleObject(ev, 0));
    r = MsgWaitForMultipleObjects(1, &ev, TRUE, 50, QS_ALLINPUT);
    printf("10 MsgWaitForMultipleObjects all, not set: %#lx\n", r);
    return 0;
}
