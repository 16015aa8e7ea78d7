/* Tool Help snapshots: the program finds itself in a process snapshot (with its parent and
 * thread count), its threads (including one it started) in a thread snapshot, and its modules
 * (itself, ntdll.dll, kernel32.dll) in a module snapshot, in the W and A forms; dwSize checks
 * (ERROR_BAD_LENGTH), the end of a list (ERROR_NO_MORE_FILES), a list not asked for, a module
 * snapshot of a process that does not exist, and CloseHandle on the snapshot. */
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <string.h>

static HANDLE go;

static DWORD WINAPI waiter(void *arg)
{
    (void)arg;
    WaitForSingleObject(go, INFINITE);
    return 0;
}

static const char *base_name(const char *p)
{
    const char *b = p;
    for (; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b;
}

int main(void)
{
    BOOL r;
    DWORD self = GetCurrentProcessId(), main_tid = GetCurrentThreadId(), tid2 = 0;
    go = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE th = CreateThread(NULL, 0, waiter, NULL, 0, &tid2);

    /* processes, W */
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    printf("process snapshot: %s\n", snap != INVALID_HANDLE_VALUE ? "ok" : "failed");
    PROCESSENTRY32W pw;
    pw.dwSize = sizeof pw - 1;
    SetLastError(0);
    r = Process32FirstW(snap, &pw);
    printf("short dwSize: %d error %lu\n", r, GetLastError());
    pw.dwSize = sizeof pw;
    int n = 0, found = 0;
    DWORD threads = 0;
    for (BOOL ok = Process32FirstW(snap, &pw); ok; ok = Process32NextW(snap, &pw)) {
        n++;
        if (pw.th32ProcessID == self) {
            found++;
            threads = pw.cntThreads;
            wchar_t want[MAX_PATH];
            GetModuleFileNameW(NULL, want, MAX_PATH);
            const wchar_t *b = wcsrchr(want, L'\\');
            printf("self: name matches %d, parent is another process %d, dwSize %lu\n",
                   _wcsicmp(pw.szExeFile, b ? b + 1 : want) == 0,
                   pw.th32ParentProcessID != self, pw.dwSize);
        }
    }
    printf("end: error %lu, more than one process %d, self found %d times, threads >= 2 %d\n",
           GetLastError(), n > 1, found, threads >= 2);
    SetLastError(0);
    r = Process32NextW(snap, &pw);
    printf("again: %d error %lu\n", r, GetLastError());
    printf("rewind: %d\n", Process32FirstW(snap, &pw));
    THREADENTRY32 t = {.dwSize = sizeof t};
    SetLastError(0);
    r = Thread32First(snap, &t);
    printf("no threads asked for: %d error %lu\n", r, GetLastError());
    printf("close: %d\n", CloseHandle(snap));
    SetLastError(0);
    r = Process32FirstW(snap, &pw);
    printf("after close: %d error %lu\n", r, GetLastError());

    /* processes, A */
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32 pa = {.dwSize = sizeof pa};
    found = 0;
    for (BOOL ok = Process32First(snap, &pa); ok; ok = Process32Next(snap, &pa))
        if (pa.th32ProcessID == self) {
            char want[MAX_PATH];
            GetModuleFileNameA(NULL, want, MAX_PATH);
            found = _stricmp(pa.szExeFile, base_name(want)) == 0;
        }
    printf("A: self found with its name %d\n", found);
    CloseHandle(snap);

    /* threads */
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    t.dwSize = 4;
    SetLastError(0);
    r = Thread32First(snap, &t);
    printf("thread short dwSize: %d error %lu\n", r, GetLastError());
    t.dwSize = sizeof t;
    int mine = 0, saw_main = 0, saw_second = 0, others = 0;
    for (BOOL ok = Thread32First(snap, &t); ok; ok = Thread32Next(snap, &t)) {
        if (t.th32OwnerProcessID != self) {
            others++;
            continue;
        }
        mine++;
        saw_main |= t.th32ThreadID == main_tid;
        saw_second |= t.th32ThreadID == tid2;
    }
    printf("threads: main %d, second %d, ours >= 2 %d, error %lu\n", saw_main, saw_second,
           mine >= 2, GetLastError());
    CloseHandle(snap);

    /* modules, W */
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, 0);
    MODULEENTRY32W mw = {.dwSize = sizeof mw};
    int saw_self = 0, saw_ntdll = 0, saw_k32 = 0, first_is_self = -1;
    HMODULE exe = GetModuleHandleW(NULL), k32 = GetModuleHandleW(L"kernel32.dll");
    for (BOOL ok = Module32FirstW(snap, &mw); ok; ok = Module32NextW(snap, &mw)) {
        if (first_is_self < 0)
            first_is_self = mw.hModule == exe;
        if (mw.th32ProcessID != self)
            printf("module %ls: process %lu\n", mw.szModule, mw.th32ProcessID);
        if (mw.hModule == exe) {
            wchar_t path[MAX_PATH];
            GetModuleFileNameW(NULL, path, MAX_PATH);
            saw_self = _wcsicmp(mw.szExePath, path) == 0 && mw.modBaseAddr == (BYTE *)exe &&
                       mw.modBaseSize > 0;
        }
        if (_wcsicmp(mw.szModule, L"ntdll.dll") == 0)
            saw_ntdll = mw.hModule == GetModuleHandleW(L"ntdll.dll");
        if (_wcsicmp(mw.szModule, L"kernel32.dll") == 0)
            saw_k32 = mw.hModule == k32 && mw.modBaseSize > 0;
    }
    printf("modules: first is the program %d, self %d, ntdll %d, kernel32 %d, error %lu\n",
           first_is_self, saw_self, saw_ntdll, saw_k32, GetLastError());
    CloseHandle(snap);

    /* modules, A, together with processes */
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE | TH32CS_SNAPPROCESS, self);
    MODULEENTRY32 ma = {.dwSize = sizeof ma};
    saw_k32 = 0;
    for (BOOL ok = Module32First(snap, &ma); ok; ok = Module32Next(snap, &ma))
        if (_stricmp(ma.szModule, "kernel32.dll") == 0)
            saw_k32 = ma.hModule == k32 && _stricmp(base_name(ma.szExePath), "kernel32.dll") == 0;
    pa.dwSize = sizeof pa;
    printf("A modules: kernel32 %d, processes too %d\n", saw_k32, Process32First(snap, &pa));
    ma.dwSize = sizeof(MODULEENTRY32W);
    printf("W-sized A entry: %d\n", Module32First(snap, &ma));
    mw.dwSize = sizeof(MODULEENTRY32);
    SetLastError(0);
    r = Module32FirstW(snap, &mw);
    printf("A-sized W entry: %d error %lu\n", r, GetLastError());
    CloseHandle(snap);

    /* a process that is not there */
    SetLastError(0);
    snap = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, 0x7ffffff0);
    DWORD err = GetLastError();
    printf("no such process: %s error %lu\n",
           snap == INVALID_HANDLE_VALUE ? "INVALID_HANDLE_VALUE" : "a handle", err);

    SetEvent(go);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    return 0;
}
