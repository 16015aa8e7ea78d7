/* object_access: the access granted to a handle is checked as Windows checks it when the handle
 * is used (ObReferenceObjectByHandle's desired access), STATUS_ACCESS_DENIED / ERROR_ACCESS_DENIED
 * otherwise, each handle by its own grant (a duplicate with less access than its source):
 * - waits want SYNCHRONIZE (WaitForSingleObject, WaitForMultipleObjects);
 * - SetEvent/ResetEvent/PulseEvent EVENT_MODIFY_STATE, ReleaseSemaphore SEMAPHORE_MODIFY_STATE,
 *   NtQueryEvent EVENT_QUERY_STATE; ReleaseMutex none (NtReleaseMutant asks for no access);
 * - MapViewOfFile: SECTION_MAP_READ for a read-only or copy view, SECTION_MAP_WRITE (alone) for
 *   a read-write view (MmMakeSectionAccess);
 * - NtSetInformationFile: FILE_WRITE_ATTRIBUTES for basic information, DELETE for disposition
 *   and rename, FILE_WRITE_DATA for end of file and allocation; NtQueryInformationFile
 *   FILE_READ_ATTRIBUTES for basic/all/network-open/attribute-tag, nothing for standard;
 * - TerminateProcess PROCESS_TERMINATE, GetExitCodeProcess/GetProcessId/ProcessBasicInformation
 *   PROCESS_QUERY_LIMITED_INFORMATION, which OpenProcess grants with PROCESS_QUERY_INFORMATION;
 * - SuspendThread/ResumeThread THREAD_SUSPEND_RESUME, GetThreadContext THREAD_GET_CONTEXT;
 *   OpenThread's THREAD_QUERY_INFORMATION brings THREAD_QUERY_LIMITED_INFORMATION;
 * - token queries TOKEN_QUERY (TokenSource TOKEN_QUERY_SOURCE);
 * - registry: KEY_QUERY_VALUE, KEY_SET_VALUE, KEY_ENUMERATE_SUB_KEYS, and KEY_CREATE_SUB_KEY on
 *   the parent handle when RegCreateKeyEx makes a key (an existing one opens without it);
 * - pseudo-handles have full access.
 * A check that is missing shows as "NO" (TerminateProcess without the check ends the test).
 * Wine 8.0: 10 wrong. It checks no FILE_READ/WRITE_ATTRIBUTES, FILE_WRITE_DATA or DELETE in
 * NtQueryInformationFile/NtSetInformationFile (a read-write duplicate renames the file), asks
 * TOKEN_QUERY for TokenSource (GetTokenInformation documents TOKEN_QUERY_SOURCE) and creates a
 * subkey below a handle without KEY_CREATE_SUB_KEY (ZwCreateKey documents that it must not). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "check.h"

#define DENIED (GetLastError() == ERROR_ACCESS_DENIED)
#define ST_DENIED ((NTSTATUS)0xC0000022)
#ifndef EVENT_QUERY_STATE
#define EVENT_QUERY_STATE 0x0001
#endif

typedef NTSTATUS(NTAPI *fn_qev)(HANDLE, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_qif)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
typedef NTSTATUS(NTAPI *fn_sif)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
typedef NTSTATUS(NTAPI *fn_qip)(HANDLE, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_qo)(HANDLE, ULONG, void *, ULONG, ULONG *);
static fn_qev query_event;
static fn_qif query_file;
static fn_sif set_file;
static fn_qip query_process;
static fn_qo query_object;

static HANDLE dup(HANDLE h, DWORD access)
{
    HANDLE out = NULL;
    if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &out, access, FALSE, 0))
        printf("DuplicateHandle(%#lx) failed: %lu\n", access, GetLastError());
    return out;
}

static ULONG granted(HANDLE h)
{
    ULONG b[14], got = 0;
    memset(b, 0xcc, sizeof b);
    return query_object(h, 0, b, sizeof b, &got) == 0 ? b[1] : 0xdeadbeef;
}

static DWORD WINAPI sleeper(void *ev)
{
    WaitForSingleObject(ev, INFINITE);
    return 0;
}

static void sync_objects(void)
{
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, L"ntrun_access_event");
    HANDLE ev_sync = OpenEventW(SYNCHRONIZE, FALSE, L"ntrun_access_event");
    HANDLE ev_mod = OpenEventW(EVENT_MODIFY_STATE, FALSE, L"ntrun_access_event");
    SetLastError(0);
    CHECK(!SetEvent(ev_sync) && DENIED);
    SetLastError(0);
    CHECK(!ResetEvent(ev_sync) && DENIED);
    SetLastError(0);
    CHECK(!PulseEvent(ev_sync) && DENIED);
    CHECK(WaitForSingleObject(ev_sync, 0) == WAIT_TIMEOUT);
    CHECK(SetEvent(ev_mod));
    CHECK(WaitForSingleObject(ev_sync, 0) == WAIT_OBJECT_0);
    SetLastError(0);
    CHECK(WaitForSingleObject(ev_mod, 0) == WAIT_FAILED && DENIED);
    HANDLE pair[2] = {ev_sync, ev_mod};
    SetLastError(0);
    CHECK(WaitForMultipleObjects(2, pair, FALSE, 0) == WAIT_FAILED && DENIED);
    CHECK(ResetEvent(ev_mod));
    HANDLE ev_none = dup(ev, 0);
    SetLastError(0);
    CHECK(WaitForSingleObject(ev_none, 0) == WAIT_FAILED && DENIED);
    ULONG state[2];
    CHECK(query_event(ev_sync, 0, state, sizeof state, NULL) == ST_DENIED);
    HANDLE ev_query = dup(ev, EVENT_QUERY_STATE);
    CHECK(query_event(ev_query, 0, state, sizeof state, NULL) == 0 && state[1] == 0);
    CHECK(query_event(ev, 0, state, sizeof state, NULL) == 0);
    CloseHandle(ev_query);
    CloseHandle(ev_none);
    CloseHandle(ev_mod);
    CloseHandle(ev_sync);
    CloseHandle(ev);

    HANDLE sem = CreateSemaphoreW(NULL, 0, 5, NULL);
    HANDLE sem_sync = dup(sem, SYNCHRONIZE);
    HANDLE sem_mod = dup(sem, SEMAPHORE_MODIFY_STATE);
    LONG prev = -1;
    SetLastError(0);
    CHECK(!ReleaseSemaphore(sem_sync, 1, &prev) && DENIED);
    CHECK(ReleaseSemaphore(sem_mod, 2, &prev) && prev == 0);
    CHECK(WaitForSingleObject(sem_sync, 0) == WAIT_OBJECT_0);
    SetLastError(0);
    CHECK(WaitForSingleObject(sem_mod, 0) == WAIT_FAILED && DENIED);
    CHECK(ReleaseSemaphore(sem, 1, &prev) && prev == 1);
    CloseHandle(sem_mod);
    CloseHandle(sem_sync);
    CloseHandle(sem);

    HANDLE mx = CreateMutexW(NULL, FALSE, NULL);
    HANDLE mx_sync = dup(mx, SYNCHRONIZE);
    HANDLE mx_query = dup(mx, MUTANT_QUERY_STATE);
    CHECK(WaitForSingleObject(mx_sync, 0) == WAIT_OBJECT_0);
    CHECK(ReleaseMutex(mx_sync)); /* NtReleaseMutant asks for no access */
    SetLastError(0);
    CHECK(WaitForSingleObject(mx_query, 0) == WAIT_FAILED && DENIED);
    CloseHandle(mx_query);
    CloseHandle(mx_sync);
    CloseHandle(mx);
}

static void sections(void)
{
    HANDLE m = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 65536,
                                  L"ntrun_access_map");
    HANDLE m_read = OpenFileMappingW(FILE_MAP_READ, FALSE, L"ntrun_access_map");
    HANDLE m_write = OpenFileMappingW(FILE_MAP_WRITE, FALSE, L"ntrun_access_map");
    CHECK(m && m_read && m_write);
    SetLastError(0);
    void *v = MapViewOfFile(m_read, FILE_MAP_WRITE, 0, 0, 0);
    CHECK(!v && DENIED);
    v = MapViewOfFile(m_read, FILE_MAP_READ, 0, 0, 0);
    CHECK(v != NULL);
    UnmapViewOfFile(v);
    v = MapViewOfFile(m_read, FILE_MAP_COPY, 0, 0, 0);
    CHECK(v != NULL);
    UnmapViewOfFile(v);
    v = MapViewOfFile(m_write, FILE_MAP_WRITE, 0, 0, 0); /* read-write wants MAP_WRITE alone */
    CHECK(v != NULL);
    if (v) {
        ((volatile char *)v)[0] = 'w';
        UnmapViewOfFile(v);
    }
    SetLastError(0);
    v = MapViewOfFile(m_write, FILE_MAP_READ, 0, 0, 0);
    CHECK(!v && DENIED);
    v = MapViewOfFile(m, FILE_MAP_READ, 0, 0, 0);
    CHECK(v && ((char *)v)[0] == 'w');
    UnmapViewOfFile(v);
    CloseHandle(m_write);
    CloseHandle(m_read);
    CloseHandle(m);
}

static void files(void)
{
    IO_STATUS_BLOCK io;
    HANDLE f = CreateFileW(L"access_file.txt", GENERIC_READ | GENERIC_WRITE | DELETE, 0, NULL,
                           CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD n;
    CHECK(WriteFile(f, "0123456789", 10, &n, NULL) && n == 10);
    HANDLE f_data = dup(f, FILE_READ_DATA | FILE_WRITE_DATA | SYNCHRONIZE);
    HANDLE f_attr = dup(f, FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE);
    FILE_BASIC_INFORMATION bi;
    FILE_STANDARD_INFORMATION si;
    memset(&bi, 0, sizeof bi);
    CHECK(query_file(f_data, &io, &bi, sizeof bi, 4 /* FileBasicInformation */) == ST_DENIED);
    CHECK(query_file(f_data, &io, &si, sizeof si, 5 /* FileStandardInformation */) == 0 &&
          si.EndOfFile.QuadPart == 10);
    CHECK(query_file(f_attr, &io, &bi, sizeof bi, 4) == 0);
    BY_HANDLE_FILE_INFORMATION info;
    SetLastError(0);
    CHECK(!GetFileInformationByHandle(f_data, &info) && DENIED);
    CHECK(GetFileInformationByHandle(f_attr, &info) && info.nFileSizeLow == 10);
    memset(&bi, 0, sizeof bi);
    bi.FileAttributes = FILE_ATTRIBUTE_ARCHIVE;
    CHECK(set_file(f_data, &io, &bi, sizeof bi, 4) == ST_DENIED);
    CHECK(set_file(f_attr, &io, &bi, sizeof bi, 4) == 0);
    LARGE_INTEGER eof = {.QuadPart = 4};
    CHECK(set_file(f_attr, &io, &eof, sizeof eof, 20 /* FileEndOfFileInformation */) ==
          ST_DENIED);
    CHECK(set_file(f_attr, &io, &eof, sizeof eof, 19 /* FileAllocationInformation */) ==
          ST_DENIED);
    CHECK(SetFilePointer(f_attr, 4, NULL, FILE_BEGIN) == 4);
    SetLastError(0);
    CHECK(!SetEndOfFile(f_attr) && DENIED);
    CHECK(SetFilePointer(f_data, 6, NULL, FILE_BEGIN) == 6 && SetEndOfFile(f_data));
    CHECK(GetFileSize(f, NULL) == 6);
    FILE_DISPOSITION_INFO del = {TRUE};
    SetLastError(0);
    CHECK(!SetFileInformationByHandle(f_data, FileDispositionInfo, &del, sizeof del) && DENIED);
    CHECK(set_file(f_attr, &io, &del, sizeof del, 13 /* FileDispositionInformation */) ==
          ST_DENIED);
    struct {
        FILE_RENAME_INFO ri;
        WCHAR more[32];
    } ren;
    memset(&ren, 0, sizeof ren);
    ren.ri.FileNameLength = (DWORD)(wcslen(L"access_moved.txt") * sizeof(WCHAR));
    memcpy(ren.ri.FileName, L"access_moved.txt", ren.ri.FileNameLength + sizeof(WCHAR));
    SetLastError(0);
    CHECK(!SetFileInformationByHandle(f_data, FileRenameInfo, &ren, sizeof ren) && DENIED);
    CHECK(GetFileAttributesW(L"access_moved.txt") == INVALID_FILE_ATTRIBUTES);
    HANDLE f_del = dup(f, DELETE);
    CHECK(SetFileInformationByHandle(f_del, FileRenameInfo, &ren, sizeof ren));
    CHECK(GetFileAttributesW(L"access_moved.txt") != INVALID_FILE_ATTRIBUTES);
    CHECK(SetFileInformationByHandle(f_del, FileDispositionInfo, &del, sizeof del));
    CloseHandle(f_del);
    CloseHandle(f_attr);
    CloseHandle(f_data);
    CloseHandle(f);
    CHECK(GetFileAttributesW(L"access_moved.txt") == INVALID_FILE_ATTRIBUTES);
}

static void processes_and_threads(void)
{
    HANDLE self = GetCurrentProcess();
    DWORD code = 0;
    CHECK(GetExitCodeProcess(self, &code) && code == STILL_ACTIVE);
    CHECK(WaitForSingleObject(self, 0) == WAIT_TIMEOUT);
    HANDLE p_sync = dup(self, SYNCHRONIZE);
    HANDLE p_limited = dup(self, PROCESS_QUERY_LIMITED_INFORMATION);
    SetLastError(0);
    CHECK(!TerminateProcess(p_sync, 3) && DENIED);
    SetLastError(0);
    CHECK(!TerminateProcess(p_limited, 3) && DENIED);
    SetLastError(0);
    CHECK(!GetExitCodeProcess(p_sync, &code) && DENIED);
    SetLastError(0);
    CHECK(GetProcessId(p_sync) == 0 && DENIED);
    CHECK(GetExitCodeProcess(p_limited, &code) && code == STILL_ACTIVE);
    CHECK(GetProcessId(p_limited) == GetCurrentProcessId());
    PROCESS_BASIC_INFORMATION pbi;
    ULONG got = 0;
    CHECK(query_process(p_sync, 0, &pbi, sizeof pbi, &got) == ST_DENIED);
    CHECK(query_process(p_limited, 0, &pbi, sizeof pbi, &got) == 0 &&
          pbi.UniqueProcessId == GetCurrentProcessId());
    CHECK(WaitForSingleObject(p_sync, 0) == WAIT_TIMEOUT);
    SetLastError(0);
    CHECK(WaitForSingleObject(p_limited, 0) == WAIT_FAILED && DENIED);
    HANDLE p_query = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, GetCurrentProcessId());
    CHECK(granted(p_query) == (PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION));
    CHECK(GetExitCodeProcess(p_query, &code) && code == STILL_ACTIVE);
    CloseHandle(p_query);
    CloseHandle(p_limited);
    CloseHandle(p_sync);

    HANDLE go = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD tid;
    HANDLE t = CreateThread(NULL, 0, sleeper, go, 0, &tid);
    HANDLE t_sync = dup(t, SYNCHRONIZE);
    HANDLE t_susp = dup(t, THREAD_SUSPEND_RESUME);
    SetLastError(0);
    CHECK(SuspendThread(t_sync) == (DWORD)-1 && DENIED);
    SetLastError(0);
    CHECK(ResumeThread(t_sync) == (DWORD)-1 && DENIED);
    CHECK(SuspendThread(t_susp) == 0);
    CONTEXT ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_CONTROL;
    SetLastError(0);
    CHECK(!GetThreadContext(t_susp, &ctx) && DENIED);
    HANDLE t_ctx = dup(t, THREAD_GET_CONTEXT);
    CHECK(GetThreadContext(t_ctx, &ctx) && ctx.Rsp != 0);
    CHECK(ResumeThread(t_susp) == 1);
    HANDLE t_open = OpenThread(THREAD_QUERY_INFORMATION, FALSE, tid);
    CHECK(granted(t_open) == (THREAD_QUERY_INFORMATION | THREAD_QUERY_LIMITED_INFORMATION));
    CloseHandle(t_open);
    SetEvent(go);
    CHECK(WaitForSingleObject(t_sync, 5000) == WAIT_OBJECT_0);
    CloseHandle(t_ctx);
    CloseHandle(t_susp);
    CloseHandle(t_sync);
    CloseHandle(t);
    CloseHandle(go);
}

static void tokens(void)
{
    HANDLE tok, tok_src, tok_adj;
    char buf[512];
    DWORD got;
    CHECK(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_QUERY_SOURCE, &tok));
    CHECK(GetTokenInformation(tok, TokenUser, buf, sizeof buf, &got));
    tok_src = dup(tok, TOKEN_QUERY_SOURCE);
    SetLastError(0);
    CHECK(!GetTokenInformation(tok_src, TokenUser, buf, sizeof buf, &got) && DENIED);
    CHECK(GetTokenInformation(tok_src, TokenSource, buf, sizeof buf, &got));
    CHECK(OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_DEFAULT, &tok_adj));
    SetLastError(0);
    CHECK(!GetTokenInformation(tok_adj, TokenUser, buf, sizeof buf, &got) && DENIED);
    CloseHandle(tok_adj);
    CloseHandle(tok_src);
    CloseHandle(tok);
}

static void registry(void)
{
    HKEY k, k_query, k_set, k_create, k_sub, k_dup;
    DWORD v = 7, type, size;
    RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\ntrun_access_test");
    CHECK(RegCreateKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun_access_test", 0, NULL, 0,
                          KEY_ALL_ACCESS, NULL, &k, NULL) == 0);
    CHECK(RegSetValueExW(k, L"v", 0, REG_DWORD, (BYTE *)&v, 4) == 0);
    CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun_access_test", 0, KEY_QUERY_VALUE,
                        &k_query) == 0);
    CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun_access_test", 0, KEY_SET_VALUE,
                        &k_set) == 0);
    CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\ntrun_access_test", 0, KEY_CREATE_SUB_KEY,
                        &k_create) == 0);
    size = 4;
    CHECK(RegQueryValueExW(k_set, L"v", NULL, &type, (BYTE *)&v, &size) == ERROR_ACCESS_DENIED);
    size = 4;
    CHECK(RegQueryValueExW(k_query, L"v", NULL, &type, (BYTE *)&v, &size) == 0 && v == 7);
    CHECK(RegSetValueExW(k_query, L"w", 0, REG_DWORD, (BYTE *)&v, 4) == ERROR_ACCESS_DENIED);
    CHECK(RegSetValueExW(k_set, L"w", 0, REG_DWORD, (BYTE *)&v, 4) == 0);
    CHECK(RegCreateKeyExW(k_query, L"sub", 0, NULL, 0, KEY_READ, NULL, &k_sub, NULL) ==
          ERROR_ACCESS_DENIED);
    CHECK(RegCreateKeyExW(k_create, L"sub", 0, NULL, 0, KEY_READ, NULL, &k_sub, NULL) == 0);
    RegCloseKey(k_sub);
    DWORD disp = 0;
    CHECK(RegCreateKeyExW(k_query, L"sub", 0, NULL, 0, KEY_READ, NULL, &k_sub, &disp) == 0 &&
          disp == REG_OPENED_EXISTING_KEY); /* an existing key opens without KEY_CREATE_SUB_KEY */
    RegCloseKey(k_sub);
    WCHAR name[32];
    DWORD name_len = 32;
    CHECK(RegEnumKeyExW(k_query, 0, name, &name_len, NULL, NULL, NULL, NULL) ==
          ERROR_ACCESS_DENIED);
    name_len = 32;
    CHECK(RegEnumKeyExW(k, 0, name, &name_len, NULL, NULL, NULL, NULL) == 0);
    CHECK(DuplicateHandle(GetCurrentProcess(), k, GetCurrentProcess(), (HANDLE *)&k_dup,
                          KEY_QUERY_VALUE, FALSE, 0));
    CHECK(RegSetValueExW(k_dup, L"x", 0, REG_DWORD, (BYTE *)&v, 4) == ERROR_ACCESS_DENIED);
    size = 4;
    CHECK(RegQueryValueExW(k_dup, L"w", NULL, &type, (BYTE *)&v, &size) == 0);
    RegCloseKey(k_dup);
    RegCloseKey(k_create);
    RegCloseKey(k_set);
    RegCloseKey(k_query);
    RegCloseKey(k);
    CHECK(RegDeleteTreeW(HKEY_CURRENT_USER, L"Software\\ntrun_access_test") == 0);
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    query_event = (fn_qev)GetProcAddress(nt, "NtQueryEvent");
    query_file = (fn_qif)GetProcAddress(nt, "NtQueryInformationFile");
    set_file = (fn_sif)GetProcAddress(nt, "NtSetInformationFile");
    query_process = (fn_qip)GetProcAddress(nt, "NtQueryInformationProcess");
    query_object = (fn_qo)GetProcAddress(nt, "NtQueryObject");
    sync_objects();
    sections();
    files();
    processes_and_threads();
    tokens();
    registry();
    return check_report();
}
