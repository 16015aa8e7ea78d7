/* ntdll_ldr: the loader calls hand-written loaders make instead of kernel32's, imported from
 * ntdll: RtlInitUnicodeString/RtlInitAnsiString (Length without the terminator,
 * MaximumLength with it, the buffer not copied), LdrGetDllHandle (kernel32 is loaded; an
 * unknown DLL is STATUS_DLL_NOT_FOUND), LdrLoadDll of a built-in and of a missing DLL,
 * LdrGetProcedureAddress by name (the same address as GetProcAddress) and of a missing name
 * (STATUS_PROCEDURE_NOT_FOUND); none of them changes the last error. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include <winternl.h>
#include "fail_check.h"

NTSTATUS NTAPI LdrLoadDll(PWSTR path, PULONG flags, PUNICODE_STRING name, PVOID *handle);
NTSTATUS NTAPI LdrGetDllHandle(PWSTR path, PULONG flags, PUNICODE_STRING name, PVOID *handle);
NTSTATUS NTAPI LdrGetProcedureAddress(PVOID module, PANSI_STRING name, ULONG ordinal,
                                      PVOID *address);

int main(void)
{
    UNICODE_STRING us;
    WCHAR k32[] = L"kernel32.dll";
    RtlInitUnicodeString(&us, k32);
    printf("RtlInitUnicodeString: Length %u, MaximumLength %u, same buffer %s\n", us.Length,
           us.MaximumLength, us.Buffer == k32 ? "yes" : "no");
    CHECK(10, us.Length == 24 && us.MaximumLength == 26 && us.Buffer == k32);
    ANSI_STRING as;
    char proc[] = "GetTickCount";
    RtlInitAnsiString(&as, proc);
    printf("RtlInitAnsiString: Length %u, MaximumLength %u\n", as.Length, as.MaximumLength);
    CHECK(11, as.Length == 12 && as.MaximumLength == 13 && as.Buffer == proc);

    SetLastError(1234);
    PVOID h = NULL;
    NTSTATUS st = LdrGetDllHandle(NULL, NULL, &us, &h);
    printf("LdrGetDllHandle(kernel32.dll): 0x%08lx, matches GetModuleHandle: %s\n",
           (unsigned long)st, h == (PVOID)GetModuleHandleA("kernel32.dll") ? "yes" : "no");
    CHECK(12, st == 0 && h == (PVOID)GetModuleHandleA("kernel32.dll"));

    PVOID p = NULL;
    st = LdrGetProcedureAddress(h, &as, 0, &p);
    printf("LdrGetProcedureAddress(GetTickCount): 0x%08lx, matches GetProcAddress: %s\n",
           (unsigned long)st, p == (PVOID)GetProcAddress((HMODULE)h, "GetTickCount") ? "yes" : "no");
    CHECK(13, st == 0 && p == (PVOID)GetProcAddress((HMODULE)h, "GetTickCount"));
    char missing[] = "NoSuchFunctionAnywhere";
    RtlInitAnsiString(&as, missing);
    st = LdrGetProcedureAddress(h, &as, 0, &p);
    printf("LdrGetProcedureAddress(NoSuchFunctionAnywhere): 0x%08lx\n", (unsigned long)st);
    CHECK(14, (ULONG)st == 0xC000007A);

    WCHAR ntdll[] = L"NTDLL.DLL";
    RtlInitUnicodeString(&us, ntdll);
    h = NULL;
    st = LdrLoadDll(NULL, NULL, &us, &h);
    printf("LdrLoadDll(NTDLL.DLL): 0x%08lx, matches GetModuleHandle: %s\n", (unsigned long)st,
           h == (PVOID)GetModuleHandleA("ntdll.dll") ? "yes" : "no");
    CHECK(15, st == 0 && h == (PVOID)GetModuleHandleA("ntdll.dll"));

    WCHAR nothere[] = L"no_such_library_here.dll";
    RtlInitUnicodeString(&us, nothere);
    st = LdrLoadDll(NULL, NULL, &us, &h);
    printf("LdrLoadDll(no_such_library_here.dll): 0x%08lx\n", (unsigned long)st);
    CHECK(16, (ULONG)st == 0xC0000135);
    st = LdrGetDllHandle(NULL, NULL, &us, &h);
    printf("LdrGetDllHandle(no_such_library_here.dll): 0x%08lx\n", (unsigned long)st);
    CHECK(17, (ULONG)st == 0xC0000135);
    printf("last error still %lu\n", GetLastError());
    CHECK(18, GetLastError() == 1234);
    printf("done\n");
    return 0;
}
