/* kernel32 IsWow64Process and IsWow64Process2 for a 64-bit program on x64 Windows: not under
 * WOW64, process machine IMAGE_FILE_MACHINE_UNKNOWN, native machine AMD64 (0x8664); a handle
 * that is not a process fails with ERROR_INVALID_HANDLE and leaves the output alone. */
#include <windows.h>
#include <stdio.h>

typedef BOOL(WINAPI *wow64_2_fn)(HANDLE, USHORT *, USHORT *);

int main(void)
{
    BOOL wow = 7;
    BOOL ok = IsWow64Process(GetCurrentProcess(), &wow);
    printf("IsWow64Process(self): %d %d\n", ok, wow);

    wow = 7;
    SetLastError(0xdeadbeef);
    ok = IsWow64Process((HANDLE)(ULONG_PTR)0x1234, &wow);
    printf("IsWow64Process(bad handle): %d %lu %d\n", ok, GetLastError(), wow);

    HANDLE ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    SetLastError(0xdeadbeef);
    ok = IsWow64Process(ev, &wow);
    printf("IsWow64Process(event): %d %lu\n", ok, GetLastError());
    CloseHandle(ev);

    wow64_2_fn wow64_2 =
        (wow64_2_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "IsWow64Process2");
    if (!wow64_2) {
        printf("no IsWow64Process2\n");
        return 1;
    }
    USHORT process = 0xcccc, native = 0xcccc;
    ok = wow64_2(GetCurrentProcess(), &process, &native);
    printf("IsWow64Process2(self): %d %04x %04x\n", ok, process, native);
    process = 0xcccc;
    ok = wow64_2(GetCurrentProcess(), &process, NULL);
    printf("IsWow64Process2(self, no native): %d %04x\n", ok, process);
    SetLastError(0xdeadbeef);
    process = 0xcccc;
    ok = wow64_2((HANDLE)(ULONG_PTR)0x1234, &process, &native);
    printf("IsWow64Process2(bad handle): %d %lu %04x\n", ok, GetLastError(), process);
    return 0;
}
