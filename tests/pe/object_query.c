/* object_query: NtQueryObject as Windows answers it.
 * ObjectBasicInformation: exactly 56 bytes (else STATUS_INFO_LENGTH_MISMATCH, ReturnLength 56),
 * the access granted to the handle (generic rights mapped for the object's type, MAXIMUM_ALLOWED
 * / *_ALL_ACCESS as the type's full mask), handle attributes (OBJ_INHERIT) and the handle count.
 * DuplicateHandle with a smaller mask gives a handle with that access only (a read-only duplicate
 * of a read-write file cannot write), DUPLICATE_SAME_ACCESS the source's.
 * ObjectNameInformation: a file in the NT device form (as GetFinalPathNameByHandle's
 * VOLUME_NAME_NT), keys as \REGISTRY\MACHINE\..., named events below ...\BaseNamedObjects\,
 * unnamed objects an empty name; too small is STATUS_INFO_LENGTH_MISMATCH with the size needed,
 * for a file STATUS_BUFFER_OVERFLOW once the UNICODE_STRING fits.
 * ObjectTypeInformation / ObjectTypesInformation: the type names "Event", "File", "Key",
 * "Process", "Thread", "Section", "Mutant", "Semaphore".
 *
 * Wine 8.0: 7 wrong (no ReturnLength for a short basic query, no OBJ_INHERIT in Attributes, no
 * granted access for the pseudo handles, a file name unlike GetFinalPathNameByHandle's, an
 * unknown class not STATUS_INVALID_INFO_CLASS): its limits, not Windows'. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>
#include "check.h"

typedef NTSTATUS(NTAPI *fn_qo)(HANDLE, ULONG, void *, ULONG, ULONG *);
static fn_qo qo;

typedef struct {
    ULONG Attributes, GrantedAccess, HandleCount, PointerCount;
    ULONG PagedPoolCharge, NonPagedPoolCharge, Reserved[3];
    ULONG NameInfoSize, TypeInfoSize, SecurityDescriptorSize;
    LARGE_INTEGER CreationTime;
} basic_info;

static basic_info basic(HANDLE h)
{
    basic_info b;
    ULONG got = 0;
    memset(&b, 0xcc, sizeof b);
    NTSTATUS st = qo(h, 0, &b, sizeof b, &got);
    if (st != 0 || got != sizeof b)
        printf("basic: status %#lx, length %lu\n", (unsigned long)st, got);
    return b;
}

static ULONG granted(HANDLE h)
{
    return basic(h).GrantedAccess;
}

/* The object's name (static buffer), or "?" when the query failed. */
static const wchar_t *name_of(HANDLE h)
{
    static union {
        UNICODE_STRING us;
        wchar_t w[1024];
    } u;
    static wchar_t out[1024];
    ULONG got = 0;
    if (qo(h, 1, &u, sizeof u, &got) != 0)
        return L"?";
    if (u.us.Length && !u.us.Buffer)
        return L"?";
    memcpy(out, u.us.Buffer, u.us.Length);
    out[u.us.Length / 2] = 0;
    return out;
}

static const wchar_t *type_of(HANDLE h)
{
    static union {
        UNICODE_STRING us;
        wchar_t w[512];
    } u;
    static wchar_t out[256];
    ULONG got = 0;
    if (qo(h, 2, &u, sizeof u, &got) != 0 || got < 0x68 + u.us.Length)
        return L"?";
    memcpy(out, u.us.Buffer, u.us.Length);
    out[u.us.Length / 2] = 0;
    return out;
}

static int ends_with(const wchar_t *s, const wchar_t *tail)
{
    size_t a = wcslen(s), b = wcslen(tail);
    return a >= b && wcscmp(s + a - b, tail) == 0;
}

int main(void)
{
    qo = (fn_qo)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryObject");
    HANDLE self = GetCurrentProcess();
    ULONG got;
    unsigned char buf[4096];

    /* ---- basic information, granted access ---- */
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, L"ntrun_oq_event");
    basic_info b = basic(ev);
    CHECK(b.GrantedAccess == EVENT_ALL_ACCESS);
    CHECK(b.HandleCount == 1);
    CHECK(b.Attributes == 0);
    CHECK(b.PointerCount >= 1);
    got = 0;
    CHECK(qo(ev, 0, buf, 55, &got) == (NTSTATUS)0xC0000004 && got == 56);
    HANDLE sync_only, read_only, same, inh;
    CHECK(DuplicateHandle(self, ev, self, &sync_only, SYNCHRONIZE, FALSE, 0));
    CHECK(granted(sync_only) == SYNCHRONIZE);
    CHECK(basic(ev).HandleCount == 2 && basic(sync_only).HandleCount == 2);
    CHECK(DuplicateHandle(self, ev, self, &read_only, GENERIC_READ, FALSE, 0));
    CHECK(granted(read_only) == (STANDARD_RIGHTS_READ | 0x1 /* EVENT_QUERY_STATE */));
    CHECK(DuplicateHandle(self, sync_only, self, &same, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(granted(same) == SYNCHRONIZE);
    CHECK(DuplicateHandle(self, ev, self, &inh, 0, TRUE, DUPLICATE_SAME_ACCESS));
    CHECK(basic(inh).Attributes == 2 /* OBJ_INHERIT */ && granted(inh) == EVENT_ALL_ACCESS);
    HANDLE opened = OpenEventW(EVENT_MODIFY_STATE, FALSE, L"ntrun_oq_event");
    CHECK(granted(opened) == EVENT_MODIFY_STATE);
    CHECK(basic(opened).HandleCount == 6);
    CHECK(granted(self) == PROCESS_ALL_ACCESS);
    CHECK(granted(GetCurrentThread()) == THREAD_ALL_ACCESS);
    HANDLE mx = CreateMutexW(NULL, FALSE, NULL);
    CHECK(granted(mx) == MUTEX_ALL_ACCESS);
    HANDLE sem = CreateSemaphoreW(NULL, 0, 1, NULL);
    CHECK(granted(sem) == SEMAPHORE_ALL_ACCESS);

    /* ---- files: access of duplicates, names ---- */
    HANDLE f = CreateFileW(L"oq_file.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(granted(f) == (FILE_GENERIC_READ | FILE_GENERIC_WRITE));
    HANDLE fr;
    CHECK(DuplicateHandle(self, f, self, &fr, GENERIC_READ, FALSE, 0));
    CHECK(granted(fr) == FILE_GENERIC_READ);
    DWORD n = 0;
    SetLastError(0);
    CHECK(!WriteFile(fr, "x", 1, &n, NULL) && GetLastError() == ERROR_ACCESS_DENIED);
    CHECK(WriteFile(f, "abc", 3, &n, NULL) && n == 3);
    SetFilePointer(fr, 0, NULL, FILE_BEGIN);
    char rd[8] = {0};
    CHECK(ReadFile(fr, rd, 3, &n, NULL) && n == 3 && memcmp(rd, "abc", 3) == 0);
    HANDLE fw;
    CHECK(DuplicateHandle(self, f, self, &fw, FILE_WRITE_DATA, FALSE, 0));
    SetLastError(0);
    CHECK(!ReadFile(fw, rd, 1, &n, NULL) && GetLastError() == ERROR_ACCESS_DENIED);

    wchar_t final[MAX_PATH];
    DWORD fl = GetFinalPathNameByHandleW(f, final, MAX_PATH, VOLUME_NAME_NT);
    const wchar_t *fname = name_of(f);
    CHECK(fl > 0 && wcscmp(fname, final) == 0);
    CHECK(wcsncmp(fname, L"\\Device\\HarddiskVolume", 22) == 0);
    CHECK(ends_with(fname, L"\\oq_file.txt"));
    ULONG need = (ULONG)(sizeof(UNICODE_STRING) + (wcslen(fname) + 1) * 2);
    got = 0;
    CHECK(qo(f, 1, buf, 8, &got) == (NTSTATUS)0xC0000004 && got == need);
    got = 0;
    CHECK(qo(f, 1, buf, sizeof(UNICODE_STRING) + 4, &got) == (NTSTATUS)0x80000005 &&
          got == need);
    got = 0;
    CHECK(qo(f, 1, buf, need, &got) == 0 && got == need);

    /* ---- named and unnamed objects ---- */
    CHECK(ends_with(name_of(ev), L"\\BaseNamedObjects\\ntrun_oq_event") &&
          name_of(ev)[0] == L'\\');
    need = (ULONG)(sizeof(UNICODE_STRING) + (wcslen(name_of(ev)) + 1) * 2);
    got = 0;
    CHECK(qo(ev, 1, buf, 0, &got) == (NTSTATUS)0xC0000004 && got == need);
    got = 0;
    CHECK(qo(ev, 1, buf, need - 2, &got) == (NTSTATUS)0xC0000004 && got == need);
    HANDLE gev = CreateEventW(NULL, TRUE, FALSE, L"Global\\ntrun_oq_global");
    CHECK(wcscmp(name_of(gev), L"\\BaseNamedObjects\\ntrun_oq_global") == 0);
    memset(buf, 0xcc, sizeof buf);
    got = 0;
    CHECK(qo(mx, 1, buf, sizeof buf, &got) == 0 && got == sizeof(UNICODE_STRING) &&
          ((UNICODE_STRING *)buf)->Length == 0);

    HKEY key;
    CHECK(RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Software", 0, KEY_READ, &key) == 0);
    CHECK(_wcsicmp(name_of(key), L"\\REGISTRY\\MACHINE\\SOFTWARE") == 0);
    CHECK(granted(key) == KEY_READ);

    /* ---- types ---- */
    HANDLE sec = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 4096, NULL);
    CHECK(wcscmp(type_of(ev), L"Event") == 0);
    CHECK(wcscmp(type_of(f), L"File") == 0);
    CHECK(wcscmp(type_of(key), L"Key") == 0);
    CHECK(wcscmp(type_of(self), L"Process") == 0);
    CHECK(wcscmp(type_of(GetCurrentThread()), L"Thread") == 0);
    CHECK(wcscmp(type_of(sec), L"Section") == 0);
    CHECK(wcscmp(type_of(mx), L"Mutant") == 0);
    CHECK(wcscmp(type_of(sem), L"Semaphore") == 0);
    got = 0;
    CHECK(qo(ev, 2, buf, 0x68, &got) == (NTSTATUS)0xC0000004 && got >= 0x68 + 10);
    ULONG tneed = got;
    CHECK(qo(ev, 2, buf, tneed, &got) == 0 && got == tneed);

    got = 0;
    CHECK(qo(NULL, 3, buf, 8, &got) == (NTSTATUS)0xC0000004 && got > 8);
    static unsigned char all[65536];
    CHECK(qo(NULL, 3, all, sizeof all, &got) == 0);
    ULONG count = *(ULONG *)all, seen = 0;
    unsigned char *p = all + 8;
    for (ULONG i = 0; i < count && p < all + sizeof all; i++) {
        UNICODE_STRING *us = (UNICODE_STRING *)p;
        const wchar_t *names[] = {L"Event", L"File", L"Key", L"Process", L"Thread", L"Section"};
        for (int k = 0; k < 6; k++)
            if (us->Length == wcslen(names[k]) * 2 && !memcmp(us->Buffer, names[k], us->Length))
                seen |= 1u << k;
        p += (0x68 + us->MaximumLength + 7) & ~7u;
    }
    CHECK(count > 10 && seen == 0x3f);

    /* ---- errors ---- */
    CHECK(qo((HANDLE)(ULONG_PTR)0x7ff0, 0, buf, 56, &got) == (NTSTATUS)0xC0000008);
    CHECK(qo(ev, 99, buf, sizeof buf, &got) == (NTSTATUS)0xC0000003);

    CloseHandle(f);
    CloseHandle(fr);
    CloseHandle(fw);
    DeleteFileW(L"oq_file.txt");
    return check_report();
}
