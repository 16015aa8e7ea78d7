/* GetPriorityClass/SetPriorityClass (Node.js's os.getPriority/setPriority): the process starts
 * NORMAL; BELOW_NORMAL and IDLE read back as set; a child started while the parent is
 * BELOW_NORMAL starts BELOW_NORMAL (Microsoft's CreateProcess page: an idle or below-normal
 * parent's class is inherited); a suspended child's class is set through its process handle
 * and the child sees it once resumed, a handle with only PROCESS_QUERY_LIMITED_INFORMATION reads
 * it but cannot set it (ERROR_ACCESS_DENIED); a value that is no class is
 * ERROR_INVALID_PARAMETER, a handle that is no process ERROR_INVALID_HANDLE. Only lower
 * priorities are asked for: raising one needs a privilege (CAP_SYS_NICE under ntrun). Wine 8.0
 * prints the same but for the inherited class (its children start NORMAL).
 *   priority_class          the parent
 *   priority_class child    prints its own class */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static const char *name(DWORD c)
{
    switch (c) {
    case IDLE_PRIORITY_CLASS: return "IDLE";
    case BELOW_NORMAL_PRIORITY_CLASS: return "BELOW_NORMAL";
    case NORMAL_PRIORITY_CLASS: return "NORMAL";
    case ABOVE_NORMAL_PRIORITY_CLASS: return "ABOVE_NORMAL";
    case HIGH_PRIORITY_CLASS: return "HIGH";
    case REALTIME_PRIORITY_CLASS: return "REALTIME";
    case 0: return "0";
    default: return "?";
    }
}

static BOOL start_child(PROCESS_INFORMATION *pi, DWORD flags)
{
    char self[MAX_PATH], line[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(line, sizeof line, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    return CreateProcessA(self, line, NULL, NULL, TRUE, flags, NULL, NULL, &si, pi);
}

static void finish_child(PROCESS_INFORMATION *pi)
{
    WaitForSingleObject(pi->hProcess, INFINITE);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "child")) {
        printf("  child: %s\n", name(GetPriorityClass(GetCurrentProcess())));
        fflush(stdout);
        return 0;
    }
    HANDLE self = GetCurrentProcess();
    printf("initial: %s\n", name(GetPriorityClass(self)));
    BOOL ok = SetPriorityClass(self, BELOW_NORMAL_PRIORITY_CLASS);
    printf("BELOW_NORMAL: %d, reads %s\n", ok, name(GetPriorityClass(self)));
    fflush(stdout);

    PROCESS_INFORMATION pi;
    if (start_child(&pi, 0))
        finish_child(&pi);

    if (start_child(&pi, CREATE_SUSPENDED)) {
        HANDLE limited = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pi.dwProcessId);
        printf("suspended child through a query-only handle: %s", name(GetPriorityClass(limited)));
        SetLastError(0);
        ok = SetPriorityClass(limited, IDLE_PRIORITY_CLASS);
        printf(", set: %d (%lu)\n", ok, GetLastError());
        ok = SetPriorityClass(pi.hProcess, IDLE_PRIORITY_CLASS);
        printf("IDLE through its own handle: %d, reads %s\n", ok,
               name(GetPriorityClass(pi.hProcess)));
        fflush(stdout);
        CloseHandle(limited);
        ResumeThread(pi.hThread);
        finish_child(&pi);
    }

    ok = SetPriorityClass(self, IDLE_PRIORITY_CLASS);
    printf("IDLE: %d, reads %s\n", ok, name(GetPriorityClass(self)));
    SetLastError(0);
    ok = SetPriorityClass(self, 0x1234);
    printf("0x1234: %d (%lu), still %s\n", ok, GetLastError(), name(GetPriorityClass(self)));
    SetLastError(0);
    ok = SetPriorityClass(self, 0);
    printf("0: %d (%lu)\n", ok, GetLastError());
    SetLastError(0);
    DWORD c = GetPriorityClass(NULL);
    printf("GetPriorityClass(NULL): %s (%lu)\n", name(c), GetLastError());
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    SetLastError(0);
    c = GetPriorityClass(ev);
    printf("GetPriorityClass(an event): %s (%lu)\n", name(c), GetLastError());
    CloseHandle(ev);
    return 0;
}
