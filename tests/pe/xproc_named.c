/* Named mutexes, events and semaphores shared by processes: one name in two processes is one
 * object.
 *  - a mutex a child opens by name and acquires is owned there (a wait here times out); the
 *    child then ends without releasing it: the next wait here returns WAIT_ABANDONED, and the mutex is
 *    ours then (ReleaseMutex succeeds);
 *  - a second child's CreateMutexW of the name opens ours (ERROR_ALREADY_EXISTS, not owned: its
 *    wait times out while we hold it), a name of another type fails (ERROR_INVALID_HANDLE), a name
 *    nobody has is not found (ERROR_FILE_NOT_FOUND); it waits for the mutex, which it gets when we
 *    release it (WAIT_OBJECT_0, not abandoned), and releases it; a named semaphore tells us it is
 *    waiting, a named event that the first child owns the mutex;
 *  - a name lives as long as some process has the object: an event a child makes, which we open,
 *    is found by a later child after the first one has ended, and a reset there is seen here.
 * The names carry our process id, so runs side by side do not meet. Wine 8.0 agrees. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include "xproc_name.h"
#include "xproc_start.h"
#include "xproc_role.h"

static int owner(void)
{
    HANDLE m = OpenMutexW(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, xproc_name(L"-mutex"));
    printf("owner: OpenMutexW %d\n", m != NULL);
    printf("owner: wait %lu\n", WaitForSingleObject(m, 10000));
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-event"));
    DWORD err = GetLastError();
    printf("owner: CreateEventW %d, error %lu\n", ev != NULL, err);
    fflush(stdout);
    HANDLE release = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-release"));
    SetEvent(ev);
    WaitForSingleObject(release, 10000); /* the parent has seen the mutex owned here */
    return 3; /* ends holding the mutex */
}

static int waiter(void)
{
    HANDLE m = CreateMutexW(NULL, FALSE, xproc_name(L"-mutex"));
    DWORD err = GetLastError();
    printf("waiter: CreateMutexW %d, error %lu\n", m != NULL, err);
    printf("waiter: wait 0 ms: %lu\n", WaitForSingleObject(m, 0));
    SetLastError(0xdeadbeef);
    HANDLE wrong = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-mutex"));
    err = GetLastError();
    printf("waiter: OpenEventW of the mutex's name: %d, error %lu\n", wrong != NULL, err);
    SetLastError(0xdeadbeef);
    HANDLE none = OpenMutexW(SYNCHRONIZE, FALSE, xproc_name(L"-nobody"));
    err = GetLastError();
    printf("waiter: OpenMutexW of a name nobody has: %d, error %lu\n", none != NULL, err);
    fflush(stdout);
    HANDLE sem = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, xproc_name(L"-sem"));
    if (!sem || !ReleaseSemaphore(sem, 1, NULL))
        return 40;
    DWORD r = WaitForSingleObject(m, 10000);
    BOOL ok = ReleaseMutex(m);
    printf("waiter: after the parent's release: wait %lu, ReleaseMutex %d\n", r, ok);
    fflush(stdout);
    return 4;
}

static int maker(void)
{
    HANDLE ev = CreateEventW(NULL, TRUE, TRUE, xproc_name(L"-late"));
    DWORD err = GetLastError();
    printf("maker: CreateEventW %d, error %lu\n", ev != NULL, err);
    fflush(stdout);
    HANDLE sem = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, xproc_name(L"-sem"));
    HANDLE go = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-go"));
    if (!sem || !go || !ReleaseSemaphore(sem, 1, NULL))
        return 50;
    WaitForSingleObject(go, 10000);
    return 5;
}

static int latecomer(void)
{
    HANDLE ev = OpenEventW(SYNCHRONIZE | EVENT_MODIFY_STATE, FALSE, xproc_name(L"-late"));
    printf("latecomer: OpenEventW %d, wait %lu", ev != NULL, WaitForSingleObject(ev, 0));
    printf(", ResetEvent %d\n", ResetEvent(ev));
    fflush(stdout);
    return 6;
}

int main(int argc, char **argv)
{
    const char *role = xproc_role(argc, argv, L"ntrun-xproc-named");
    if (role) {
        if (!strcmp(role, "owner"))
            return owner();
        if (!strcmp(role, "waiter"))
            return waiter();
        if (!strcmp(role, "maker"))
            return maker();
        if (!strcmp(role, "latecomer"))
            return latecomer();
        return 99;
    }
    HANDLE m = CreateMutexW(NULL, FALSE, xproc_name(L"-mutex"));
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-event"));
    HANDLE sem = CreateSemaphoreW(NULL, 0, 10, xproc_name(L"-sem"));
    HANDLE go = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-go"));
    HANDLE release = CreateEventW(NULL, TRUE, FALSE, xproc_name(L"-release"));
    if (!m || !ev || !sem || !go || !release)
        return 1;

    HANDLE c = xproc_start_role("owner");
    DWORD r = WaitForSingleObject(ev, 30000);
    printf("parent: the owner's event: %lu, the mutex meanwhile: %lu\n", r,
           WaitForSingleObject(m, 0));
    SetEvent(release);
    printf("parent: the owner's exit code %lu\n", xproc_end_code(c));
    r = WaitForSingleObject(m, 10000);
    printf("parent: the mutex after the owner ended: %#lx, ReleaseMutex %d\n", r, ReleaseMutex(m));

    printf("parent: wait %lu\n", WaitForSingleObject(m, 0));
    c = xproc_start_role("waiter");
    r = WaitForSingleObject(sem, 30000);
    BOOL ok = ReleaseMutex(m);
    DWORD code = xproc_end_code(c);
    printf("parent: the waiter's semaphore %lu, ReleaseMutex %d, its exit code %lu\n", r, ok, code);

    c = xproc_start_role("maker");
    r = WaitForSingleObject(sem, 30000);
    HANDLE late = OpenEventW(SYNCHRONIZE, FALSE, xproc_name(L"-late"));
    DWORD w = WaitForSingleObject(late, 0);
    SetEvent(go);
    code = xproc_end_code(c);
    printf("parent: the maker's semaphore %lu, its event opened %d, signalled %lu, exit code %lu\n",
           r, late != NULL, w, code);
    c = xproc_start_role("latecomer");
    code = xproc_end_code(c);
    printf("parent: the latecomer's exit code %lu, the event now %lu\n", code,
           WaitForSingleObject(late, 0));
    return 0;
}
