/* A semaphore's maximum count holds in every process that shares it, and ReleaseSemaphore gives
 * the previous count there: a named semaphore (initial 1, maximum 2) the child opens by name and
 * an inheritable one (initial 0, maximum 1) the child inherits. The child releases each up to
 * its maximum (previous counts 1 and 0), and one more release fails with ERROR_TOO_MANY_POSTS,
 * the previous count left as it was; the parent then takes what the child released and fails
 * past the maximum too. Wine 8.0 prints the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define NAME "Local\\ntrun_xproc_semaphore"

static void release(const char *who, HANDLE h, LONG n)
{
    LONG prev = 12345;
    SetLastError(0xdeadbeef);
    BOOL ok = ReleaseSemaphore(h, n, &prev);
    printf("%s: release %ld: %d, ", who, n, ok);
    if (ok)
        printf("previous %ld\n", prev);
    else
        printf("error %lu, previous %s\n", GetLastError(), prev == 12345 ? "untouched" : "written");
}

static int child(HANDLE inherited)
{
    HANDLE named = OpenSemaphoreA(SEMAPHORE_MODIFY_STATE | SYNCHRONIZE, FALSE, NAME);
    printf("child: opened by name: %d\n", named != NULL);
    release("child: named", named, 1);
    release("child: named", named, 1);
    release("child: inherited", inherited, 1);
    release("child: inherited", inherited, 1);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "child"))
        return child((HANDLE)(ULONG_PTR)_strtoui64(argv[2], NULL, 16));
    SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
    HANDLE named = CreateSemaphoreA(NULL, 1, 2, NAME);
    HANDLE inherited = CreateSemaphoreA(&inherit, 0, 1, NULL);
    char self[MAX_PATH], cmd[MAX_PATH + 64];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx", self, (unsigned long long)(ULONG_PTR)inherited);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!named || !inherited ||
        !CreateProcessA(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return 2;
    DWORD code = 0xdeadbeef;
    WaitForSingleObject(pi.hProcess, 30000);
    GetExitCodeProcess(pi.hProcess, &code);
    printf("parent: the child ended with %lu\n", code);
    DWORD a = WaitForSingleObject(named, 0), b = WaitForSingleObject(named, 0);
    printf("parent: named: waits %lu %lu %lu\n", a, b, WaitForSingleObject(named, 0));
    release("parent: named", named, 2);
    release("parent: named", named, 1);
    a = WaitForSingleObject(inherited, 0);
    printf("parent: inherited: waits %lu %lu\n", a, WaitForSingleObject(inherited, 0));
    release("parent: inherited", inherited, 1);
    release("parent: inherited", inherited, 1);
    return 0;
}
