/* Events and semaphores shared with a child, as PostgreSQL shares its semaphores and latches:
 * created inheritable in the parent (or duplicated into the child), their handle values passed
 * on the command line, signalled on one side and waited for on the other, the child waiting as
 * PGSemaphoreLock does (WaitForMultipleObjectsEx on a local event and the semaphore). The
 * auto-reset event is one the parent duplicated inheritable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static HANDLE arg_handle(const char *s) { return (HANDLE)(ULONG_PTR)_strtoui64(s, NULL, 16); }

static int child(char **argv)
{
    HANDLE sem = arg_handle(argv[2]), go = arg_handle(argv[3]), done = arg_handle(argv[4]);
    HANDLE local = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE wh[2] = {local, sem};
    /* the semaphore starts at 1: taken at once, then a second time once the parent releases */
    DWORD r = WaitForMultipleObjectsEx(2, wh, FALSE, 10000, TRUE);
    printf("child: first wait: %lu\n", r);
    fflush(stdout);
    SetEvent(go); /* tell the parent we wait */
    r = WaitForMultipleObjectsEx(2, wh, FALSE, 10000, TRUE);
    printf("child: second wait: %lu\n", r);
    r = WaitForSingleObject(sem, 0);
    printf("child: try-lock of the empty semaphore: %lu\n", r);
    printf("child: release: %d\n", ReleaseSemaphore(sem, 2, NULL));
    printf("child: the parent's event (manual): %lu\n", WaitForSingleObject(go, 0));
    SetEvent(done);
    fflush(stdout);
    return 7;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "child"))
        return child(argv);
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE sem = CreateSemaphoreA(&inherit, 1, 32767, NULL);
    HANDLE go = CreateEventA(&inherit, TRUE, FALSE, NULL);
    HANDLE done_here = CreateEventA(NULL, FALSE, FALSE, NULL);
    if (!sem || !go || !done_here)
        return 1;
    char self[MAX_PATH], cmd[MAX_PATH + 128];
    GetModuleFileNameA(NULL, self, sizeof self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    HANDLE done_inh; /* the child's "done" event: an inheritable duplicate of ours */
    DuplicateHandle(GetCurrentProcess(), done_here, GetCurrentProcess(), &done_inh, 0, TRUE,
                    DUPLICATE_SAME_ACCESS);
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx %llx %llx", self,
             (unsigned long long)(ULONG_PTR)sem, (unsigned long long)(ULONG_PTR)go,
             (unsigned long long)(ULONG_PTR)done_inh);
    fflush(stdout);
    if (!CreateProcessA(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return 3;
    DWORD r = WaitForSingleObject(go, 10000);
    printf("parent: the child waits: %lu\n", r);
    fflush(stdout);
    BOOL released = ReleaseSemaphore(sem, 1, NULL);
    r = WaitForSingleObject(done_here, 10000);
    WaitForSingleObject(pi.hProcess, 10000);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    /* told only once the child has ended: its lines are all out by then, so the order is fixed */
    printf("parent: release: %d\n", released);
    printf("parent: the child's done event: %lu, exit code %lu\n", r, code);
    DWORD a = WaitForSingleObject(sem, 0), b = WaitForSingleObject(sem, 0);
    DWORD c = WaitForSingleObject(sem, 0);
    printf("parent: the semaphore the child released twice: %lu %lu %lu\n", a, b, c);
    return 0;
}
