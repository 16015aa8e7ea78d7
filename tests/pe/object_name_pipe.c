/* object_name_pipe: the names of named pipe ends.
 * NtQueryObject(ObjectNameInformation) gives \Device\NamedPipe\<name> for the server end and
 * for a client end; GetFileInformationByHandleEx(FileNameInfo) gives "\<name>" (the name
 * within the named-pipe file system), for both ends; a buffer too small for the name gives
 * STATUS_BUFFER_OVERFLOW with what fits (a file object's name), ERROR_MORE_DATA for FileNameInfo
 * with FileNameLength the full length.
 * Wine 8.0: the names as here; a buffer too small for the name is not STATUS_BUFFER_OVERFLOW. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#include "check.h"

typedef NTSTATUS(NTAPI *fn_qo)(HANDLE, ULONG, void *, ULONG, ULONG *);
static fn_qo qo;

static const wchar_t *object_name(HANDLE h)
{
    static union {
        UNICODE_STRING us;
        wchar_t w[512];
    } u;
    static wchar_t out[512];
    ULONG got = 0;
    NTSTATUS st = qo(h, 1, &u, sizeof u, &got);
    if (st != 0) {
        swprintf(out, 512, L"(status %#lx)", (unsigned long)st);
        return out;
    }
    memcpy(out, u.us.Buffer, u.us.Length);
    out[u.us.Length / 2] = 0;
    return out;
}

static const wchar_t *file_name(HANDLE h)
{
    static union {
        FILE_NAME_INFO fi;
        wchar_t w[512];
    } u;
    static wchar_t out[512];
    if (!GetFileInformationByHandleEx(h, FileNameInfo, &u, sizeof u)) {
        swprintf(out, 512, L"(error %lu)", GetLastError());
        return out;
    }
    memcpy(out, u.fi.FileName, u.fi.FileNameLength);
    out[u.fi.FileNameLength / 2] = 0;
    return out;
}

int main(void)
{
    qo = (fn_qo)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryObject");
    HANDLE server = CreateNamedPipeW(L"\\\\.\\pipe\\ntrun_oname_pipe", PIPE_ACCESS_DUPLEX,
                                     PIPE_TYPE_BYTE, 2, 512, 512, 0, NULL);
    CHECK(server != INVALID_HANDLE_VALUE);
    wprintf(L"server object: %ls\n", object_name(server));
    wprintf(L"server file: %ls\n", file_name(server));
    HANDLE client = CreateFileW(L"\\\\.\\pipe\\ntrun_oname_pipe", GENERIC_READ | GENERIC_WRITE, 0,
                                NULL, OPEN_EXISTING, 0, NULL);
    CHECK(client != INVALID_HANDLE_VALUE);
    wprintf(L"client object: %ls\n", object_name(client));
    wprintf(L"client file: %ls\n", file_name(client));
    CHECK(wcscmp(object_name(client), L"\\Device\\NamedPipe\\ntrun_oname_pipe") == 0);
    CHECK(wcscmp(file_name(server), L"\\ntrun_oname_pipe") == 0);

    /* too small: what fits of the name */
    union {
        UNICODE_STRING us;
        wchar_t w[32];
    } small;
    ULONG got = 0;
    ULONG need = (ULONG)(sizeof(UNICODE_STRING) +
                         (wcslen(L"\\Device\\NamedPipe\\ntrun_oname_pipe") + 1) * 2);
    NTSTATUS st = qo(server, 1, &small, sizeof(UNICODE_STRING) + 8, &got);
    CHECK(st == (NTSTATUS)0x80000005 && got == need);
    union {
        FILE_NAME_INFO fi;
        wchar_t w[4];
    } fsmall;
    SetLastError(0);
    CHECK(!GetFileInformationByHandleEx(server, FileNameInfo, &fsmall, sizeof fsmall) &&
          GetLastError() == ERROR_MORE_DATA &&
          fsmall.fi.FileNameLength == wcslen(L"\\ntrun_oname_pipe") * 2);
    CloseHandle(client);
    CloseHandle(server);
    return check_report();
}
