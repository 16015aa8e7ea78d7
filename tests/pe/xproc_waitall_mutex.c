/* WaitForMultipleObjects(bWaitAll = TRUE) on a mutex shared with another process and an event:
 *  - 20 rounds: the mutex is free, the child sets the auto-reset event when we ask; each wait
 *    here is satisfied (WAIT_OBJECT_0) and we release the mutex;
 *  - the child holds the mutex, sets the event, then releases the mutex: our wait, begun
 *    before, is satisfied, and the child's wait for an event we set only after it sees it;
 *  - the mutex is free when our wait begins, the child takes it, sets the event and releases
 *    it: our wait is satisfied; likewise when the child keeps it and ends holding it
 *    (WAIT_ABANDONED_0).
 * The names carry our process id, so runs side by side do not meet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"
#include "xproc_role.h"

static HANDLE open_event(const WCHAR *suffix)
{
    return OpenEventW(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, xproc_name(suffix));
}

static int child(const char *role)
{
    HANDLE mtx = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, xproc_name(L"-mtx"));
    HANDLE ev = open_event(L"-ev"), ask = open_event(L"-ask"), back = open_event(L"-back");
    if (!mtx || !ev || !ask || !back)
        return 98;
    if (!strcmp(role, "rounds")) {
        int ok = 0;
        for (int i = 0; i < 20; i++)
            if (WaitForSingleObject(ask, 10000) == WAIT_OBJECT_0 && SetEvent(ev))
                ok++;
        printf("rounds: %d events set\n", ok);
        return 41;
    }
    if (!strcmp(role, "holder")) {
        DWORD w = WaitForSingleObject(mtx, 5000);
        SetEvent(back); /* we hold it */
        DWORD a = WaitForSingleObject(ask, 10000); /* the parent waits (or is about to) */
        Sleep(100);
        BOOL s = SetEvent(ev), r = ReleaseMutex(mtx);
        printf("holder: wait %lu, asked %lu, SetEvent %d, ReleaseMutex %d, the parent's answer "
               "%lu\n", w, a, s, r, WaitForSingleObject(back, 10000));
        return 42;
    }
    if (!strcmp(role, "taker") || !strcmp(role, "keeper")) {
        DWORD a = WaitForSingleObject(ask, 10000); /* the parent waits (or is about to) */
        Sleep(100);
        DWORD w = WaitForSingleObject(mtx, 5000);
        Sleep(100);
        BOOL s = SetEvent(ev), r = strcmp(role, "keeper") ? ReleaseMutex(mtx) : 2;
        printf("%s: asked %lu, wait %lu, SetEvent %d, ReleaseMutex %d\n", role, a, w, s, r);
        return !strcmp(role, "keeper") ? 44 : 43;
    }
    return 99;
}

int main(int argc, char **argv)
{
    const char *role = xproc_role(argc, argv, L"ntrun-xproc-waitall");
    if (role)
        return child(role);
    HANDLE objs[2];
    objs[0] = CreateMutexW(NULL, FALSE, xproc_name(L"-mtx"));
    objs[1] = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-ev"));
    HANDLE ask = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-ask"));
    HANDLE back = CreateEventW(NULL, FALSE, FALSE, xproc_name(L"-back"));
    if (!objs[0] || !objs[1] || !ask || !back)
        return 1;

    HANDLE c = xproc_start_role("rounds");
    int ok = 0;
    for (int i = 0; i < 20; i++) {
        SetEvent(ask);
        if (WaitForMultipleObjects(2, objs, TRUE, 10000) == WAIT_OBJECT_0 && ReleaseMutex(objs[0]))
            ok++;
    }
    printf("parent: %d of 20 waits satisfied, the child's exit code %lu\n", ok, xproc_end_code(c));
    fflush(stdout);

    c = xproc_start_role("holder");
    printf("parent: the holder holds it: %lu\n", WaitForSingleObject(back, 10000));
    fflush(stdout);
    SetEvent(ask);
    DWORD w = WaitForMultipleObjects(2, objs, TRUE, 10000);
    BOOL r = ReleaseMutex(objs[0]);
    SetEvent(back);
    printf("parent: wait for all %lu, ReleaseMutex %d, the holder's exit code %lu\n", w, r,
           xproc_end_code(c));
    fflush(stdout);

    const char *roles[2] = {"taker", "keeper"};
    for (int i = 0; i < 2; i++) {
        c = xproc_start_role(roles[i]);
        SetEvent(ask);
        w = WaitForMultipleObjects(2, objs, TRUE, 10000);
        r = ReleaseMutex(objs[0]);
        printf("parent: wait for all %lu, ReleaseMutex %d, the %s's exit code %lu\n", w, r,
               roles[i], xproc_end_code(c));
        fflush(stdout);
    }
    return 0;
}
