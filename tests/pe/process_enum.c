/* process_enum: the process list and the modules of processes, as taskkill /IM and tasklist
 * read them.
 *  - NtQuerySystemInformation(SystemProcessInformation) lists this process (its name, parent,
 *    a thread) and a child it started (its name, this process as its parent), and not the child
 *    once it has ended;
 *  - EnumProcesses holds both ids, writes as many as the buffer holds and says so in *needed;
 *  - EnumProcessModules(Ex) of this process: the program first, then the DLLs; a zero-sized
 *    buffer still gives the size; GetModuleBaseNameW/A and GetModuleFileNameExW of NULL (the
 *    program) and of kernel32, cut to a small buffer, ERROR_INVALID_HANDLE for a module the
 *    process does not have; GetModuleInformation;
 *  - the same of the child through a handle with PROCESS_VM_READ (its loader list read from
 *    its memory), ERROR_ACCESS_DENIED without it; QueryFullProcessImageNameW/A of the child
 *    (Win32 and native forms), ERROR_INSUFFICIENT_BUFFER when the name does not fit;
 *    GetProcessImageFileNameW. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#include <psapi.h>

#define SystemProcessInformationClass 5

typedef struct {
    ULONG NextEntryOffset, NumberOfThreads;
    BYTE Reserved1[48];
    UNICODE_STRING ImageName;
    LONG BasePriority;
    HANDLE UniqueProcessId;
    HANDLE InheritedFromUniqueProcessId;
} spi_head;

static BYTE list[1 << 20];

/* Looks pid up in the process list: 1 found (name and parent copied), 0 not, -1 failed. */
static int find_process(DWORD pid, WCHAR *name, DWORD *parent, ULONG *threads)
{
    ULONG len = 0;
    LONG st = NtQuerySystemInformation(SystemProcessInformationClass, list, sizeof list, &len);
    if (st != 0) {
        printf("NtQuerySystemInformation: %#lx\n", st);
        return -1;
    }
    for (BYTE *p = list;; ) {
        spi_head *h = (spi_head *)p;
        if ((DWORD)(ULONG_PTR)h->UniqueProcessId == pid) {
            memcpy(name, h->ImageName.Buffer, h->ImageName.Length);
            name[h->ImageName.Length / 2] = 0;
            *parent = (DWORD)(ULONG_PTR)h->InheritedFromUniqueProcessId;
            *threads = h->NumberOfThreads;
            return 1;
        }
        if (!h->NextEntryOffset)
            return 0;
        p += h->NextEntryOffset;
    }
}

static void show_modules(const char *who, HANDLE process)
{
    HMODULE mods[512];
    DWORD needed = 0, needed0 = 0;
    BOOL ok = EnumProcessModules(process, mods, sizeof mods, &needed);
    BOOL ok0 = EnumProcessModules(process, mods, 0, &needed0);
    printf("%s: EnumProcessModules %d, several modules %s, size alone the same %s\n", who, ok,
           needed >= 2 * sizeof(HMODULE) && needed % sizeof(HMODULE) == 0 ? "yes" : "no",
           ok0 && needed0 == needed ? "yes" : "no");
    DWORD neededx = 0;
    ok = EnumProcessModulesEx(process, mods, sizeof mods, &neededx, LIST_MODULES_ALL);
    printf("%s: EnumProcessModulesEx(ALL) the same: %s\n", who, ok && neededx == needed ? "yes"
                                                                                     : "no");
    WCHAR name[MAX_PATH];
    DWORD n = GetModuleBaseNameW(process, mods[0], name, MAX_PATH);
    printf("%s: first module %ls (%lu)\n", who, name, n);
    n = GetModuleBaseNameW(process, NULL, name, MAX_PATH);
    printf("%s: module NULL %ls (%lu)\n", who, name, n);
    wmemset(name, L'#', MAX_PATH);
    n = GetModuleBaseNameW(process, NULL, name, 5);
    printf("%s: cut to 5 characters: %ls\n", who, name);
    char aname[MAX_PATH];
    n = GetModuleBaseNameA(process, NULL, aname, MAX_PATH);
    printf("%s: A %s (%lu)\n", who, aname, n);
    bool k32 = false;
    for (DWORD i = 1; i < needed / sizeof(HMODULE) && i < 512; i++)
        if (GetModuleBaseNameW(process, mods[i], name, MAX_PATH) && !_wcsicmp(name, L"kernel32.dll"))
            k32 = true;
    printf("%s: kernel32.dll among them: %s\n", who, k32 ? "yes" : "no");
    SetLastError(0xdeadbeef);
    n = GetModuleBaseNameW(process, (HMODULE)0x12340000, name, MAX_PATH);
    printf("%s: a module it does not have: %lu, error %lu\n", who, n, GetLastError());
    WCHAR full[MAX_PATH], own[MAX_PATH];
    GetModuleFileNameW(NULL, own, MAX_PATH);
    n = GetModuleFileNameExW(process, NULL, full, MAX_PATH);
    printf("%s: GetModuleFileNameExW is this program's path: %s\n", who,
           n == wcslen(own) && !wcscmp(full, own) ? "yes" : "no");
    MODULEINFO mi;
    ok = GetModuleInformation(process, mods[0], &mi, sizeof mi);
    printf("%s: GetModuleInformation %d, base right %s, size %s\n", who, ok,
           mi.lpBaseOfDll == mods[0] ? "yes" : "no", mi.SizeOfImage >= 0x1000 ? "yes" : "no");
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "child")) {
        Sleep(60000);
        return 1;
    }
    DWORD self = GetCurrentProcessId();
    WCHAR cmd[MAX_PATH + 16], own[MAX_PATH];
    GetModuleFileNameW(NULL, own, MAX_PATH);
    swprintf(cmd, MAX_PATH + 16, L"\"%ls\" child", own);
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(own, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcessW: %lu\n", GetLastError());
        return 1;
    }
    WCHAR name[MAX_PATH];
    DWORD parent = 0;
    ULONG threads = 0;
    PROCESS_BASIC_INFORMATION pbi;
    NtQueryInformationProcess(GetCurrentProcess(), ProcessBasicInformation, &pbi, sizeof pbi, NULL);
    int r = find_process(self, name, &parent, &threads);
    printf("this process: listed %d, name %ls, parent right %s, threads %s\n", r, name,
           parent == (DWORD)(ULONG_PTR)pbi.InheritedFromUniqueProcessId ? "yes" : "no", threads >= 1 ? "yes" : "no");
    r = find_process(pi.dwProcessId, name, &parent, &threads);
    printf("the child: listed %d, name %ls, this process its parent %s, threads %s\n", r, name,
           parent == self ? "yes" : "no", threads >= 1 ? "yes" : "no");

    DWORD ids[4096], needed = 0;
    BOOL ok = EnumProcesses(ids, sizeof ids, &needed);
    bool has_self = false, has_child = false;
    for (DWORD i = 0; i < needed / sizeof(DWORD); i++) {
        has_self |= ids[i] == self;
        has_child |= ids[i] == pi.dwProcessId;
    }
    printf("EnumProcesses %d: this process %s, the child %s, ids 0 and 4 %s\n", ok,
           has_self ? "yes" : "no", has_child ? "yes" : "no",
           needed >= 2 * sizeof(DWORD) && ids[0] == 0 && ids[1] == 4 ? "yes" : "no");
    needed = 0;
    ok = EnumProcesses(ids, sizeof(DWORD), &needed);
    printf("EnumProcesses into one DWORD: %d, needed %lu\n", ok, needed);

    show_modules("this process", GetCurrentProcess());
    HANDLE h = OpenProcess(PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, FALSE, pi.dwProcessId);
    if (!h) {
        printf("OpenProcess: %lu\n", GetLastError());
        return 1;
    }
    show_modules("the child", h);
    HANDLE lim = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pi.dwProcessId);
    HMODULE m;
    SetLastError(0xdeadbeef);
    ok = EnumProcessModules(lim, &m, sizeof m, &needed);
    printf("the child without PROCESS_VM_READ: %d, error %lu\n", ok, GetLastError());

    WCHAR full[MAX_PATH];
    DWORD size = MAX_PATH;
    ok = QueryFullProcessImageNameW(lim, 0, full, &size);
    printf("QueryFullProcessImageNameW: %d, this program's path %s, length right %s\n", ok,
           !wcscmp(full, own) ? "yes" : "no", size == wcslen(own) ? "yes" : "no");
    size = 4;
    SetLastError(0xdeadbeef);
    ok = QueryFullProcessImageNameW(lim, 0, full, &size);
    printf("into 4 characters: %d, error %lu, size %lu\n", ok, GetLastError(), size);
    char afull[MAX_PATH], aown[MAX_PATH];
    GetModuleFileNameA(NULL, aown, MAX_PATH);
    size = MAX_PATH;
    ok = QueryFullProcessImageNameA(lim, 0, afull, &size);
    printf("QueryFullProcessImageNameA: %d, this program's path %s\n", ok,
           !strcmp(afull, aown) ? "yes" : "no");
    size = MAX_PATH;
    ok = QueryFullProcessImageNameW(lim, PROCESS_NAME_NATIVE, full, &size);
    printf("PROCESS_NAME_NATIVE: %d, device form %s, ends as the path %s\n", ok,
           !wcsncmp(full, L"\\Device\\HarddiskVolume", 22) ? "yes" : "no",
           size > wcslen(own) - 2 && !wcscmp(full + size - (wcslen(own) - 2), own + 2) ? "yes"
                                                                                       : "no");
    WCHAR dev[MAX_PATH];
    DWORD n = GetProcessImageFileNameW(lim, dev, MAX_PATH);
    printf("GetProcessImageFileNameW: the same %s\n", n == size && !wcscmp(dev, full) ? "yes"
                                                                                     : "no");
    size = MAX_PATH;
    ok = QueryFullProcessImageNameW(GetCurrentProcess(), 0, full, &size);
    printf("QueryFullProcessImageNameW of this process: %d, %s\n", ok,
           !wcscmp(full, own) ? "its path" : "another path");

    TerminateProcess(pi.hProcess, 7);
    WaitForSingleObject(pi.hProcess, 10000);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    r = 1;
    for (int i = 0; i < 100 && r == 1; i++) {
        r = find_process(pi.dwProcessId, name, &parent, &threads);
        if (r == 1)
            Sleep(20);
    }
    printf("the child ended with %lu, listed %d\n", code, r);
    CloseHandle(h);
    CloseHandle(lim);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return 0;
}
