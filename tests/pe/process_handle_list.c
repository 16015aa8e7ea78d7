/* STARTUPINFOEX with PROC_THREAD_ATTRIBUTE_HANDLE_LIST (how Go starts its children): of two
 * inheritable pipe ends, only the listed one reaches the child (bInheritHandles TRUE); the
 * other value is not a handle there. InitializeProcThreadAttributeList's size query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

int main(int argc, char **argv)
{
    if (argc > 3 && !strcmp(argv[1], "child")) {
        HANDLE a = (HANDLE)(uintptr_t)strtoull(argv[2], NULL, 16);
        HANDLE b = (HANDLE)(uintptr_t)strtoull(argv[3], NULL, 16);
        DWORD n = 0;
        BOOL ok = WriteFile(a, "listed\n", 7, &n, NULL);
        printf("child: the listed handle: %d\n", ok);
        ok = WriteFile(b, "not listed\n", 11, &n, NULL);
        printf("child: the other handle: %d error %lu\n", ok, ok ? 0 : GetLastError());
        return 0;
    }
    SIZE_T size = 0;
    BOOL ok = InitializeProcThreadAttributeList(NULL, 1, 0, &size);
    printf("size query: %d error %lu size %s\n", ok, GetLastError(), size >= 0x30 ? ">= 0x30" : "small");
    LPPROC_THREAD_ATTRIBUTE_LIST list = HeapAlloc(GetProcessHeap(), 0, size);
    printf("InitializeProcThreadAttributeList: %d\n", InitializeProcThreadAttributeList(list, 1, 0, &size));
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE ar, aw, br, bw;
    CreatePipe(&ar, &aw, &sa, 0);
    CreatePipe(&br, &bw, &sa, 0);
    SetHandleInformation(ar, HANDLE_FLAG_INHERIT, 0);
    SetHandleInformation(br, HANDLE_FLAG_INHERIT, 0);
    HANDLE only[1] = {aw};
    printf("UpdateProcThreadAttribute: %d\n",
           UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, only, sizeof only,
                                     NULL, NULL));
    char self[MAX_PATH], cmd[MAX_PATH + 64];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    snprintf(cmd, sizeof cmd, "\"%s\" child %llx %llx", self, (unsigned long long)(uintptr_t)aw,
             (unsigned long long)(uintptr_t)bw);
    STARTUPINFOEXA si;
    memset(&si, 0, sizeof si);
    si.StartupInfo.cb = sizeof si;
    si.lpAttributeList = list;
    PROCESS_INFORMATION pi;
    fflush(stdout);
    ok = CreateProcessA(NULL, cmd, NULL, NULL, TRUE, EXTENDED_STARTUPINFO_PRESENT, NULL, NULL,
                        &si.StartupInfo, &pi);
    if (!ok) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return 1;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(aw);
    CloseHandle(bw);
    char buf[64];
    DWORD n = 0;
    ok = ReadFile(ar, buf, sizeof buf, &n, NULL);
    printf("the listed pipe got: %.*s", (int)n, buf);
    ok = ReadFile(br, buf, sizeof buf, &n, NULL);
    printf("the other pipe: %d bytes %lu\n", ok, n);
    DeleteProcThreadAttributeList(list);
    return 0;
}
