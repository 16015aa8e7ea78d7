/* The registry through the program's own `syscall` instructions (numbers that Windows 10 22H2
 * and 11 24H2 share): NtOpenKey of \Registry\Machine\SOFTWARE\Microsoft\Windows NT\
 * CurrentVersion, NtQueryValueKey of CurrentMajorVersionNumber (KeyValuePartialInformation;
 * a buffer too small for the data gives STATUS_BUFFER_OVERFLOW with the length needed),
 * NtEnumerateKey of \Registry\Machine (SOFTWARE and SYSTEM are there), NtQueryInformationToken
 * of GetCurrentProcessToken's pseudo handle, bad pointers (STATUS_ACCESS_VIOLATION), NtClose. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n.p2align 4\n.globl " #name "\n" #name ":\n"                              \
            "    mov %rcx, %r10\n"                                                           \
            "    mov $" #number ", %eax\n"                                                   \
            "    syscall\n"                                                                  \
            "    ret\n")
SYSCALL_STUB(sc_open_key, 0x12);
SYSCALL_STUB(sc_query_value, 0x17);
SYSCALL_STUB(sc_enum_key, 0x32);
SYSCALL_STUB(sc_query_token, 0x21);
SYSCALL_STUB(sc_close, 0x0f);
LONG sc_open_key(HANDLE *, ULONG, OBJECT_ATTRIBUTES *);
LONG sc_query_value(HANDLE, UNICODE_STRING *, ULONG, void *, ULONG, ULONG *);
LONG sc_enum_key(HANDLE, ULONG, ULONG, void *, ULONG, ULONG *);
LONG sc_query_token(HANDLE, ULONG, void *, ULONG, ULONG *);
LONG sc_close(HANDLE);

typedef struct {
    ULONG TitleIndex, Type, DataLength;
    BYTE Data[1];
} kv_partial;
typedef struct {
    LARGE_INTEGER LastWriteTime;
    ULONG TitleIndex, NameLength;
    WCHAR Name[1];
} k_basic;

static void us_init(UNICODE_STRING *us, WCHAR *s)
{
    us->Buffer = s;
    us->Length = (USHORT)(wcslen(s) * 2);
    us->MaximumLength = us->Length + 2;
}

int main(void)
{
    UNICODE_STRING us, vn;
    OBJECT_ATTRIBUTES oa = {sizeof oa};
    HANDLE h = NULL;
    ULONG len = 0;
    BYTE buf[512];
    us_init(&us, L"\\Registry\\Machine\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
    oa.ObjectName = &us;
    oa.Attributes = OBJ_CASE_INSENSITIVE;
    printf("NtOpenKey: %#lx\n", sc_open_key(&h, KEY_READ, &oa));
    us_init(&vn, L"CurrentMajorVersionNumber");
    LONG st = sc_query_value(h, &vn, 2 /* KeyValuePartialInformation */, buf, sizeof buf, &len);
    kv_partial *pi = (kv_partial *)buf;
    printf("NtQueryValueKey: %#lx length %lu type %lu size %lu value %lu\n", st, len, pi->Type,
           pi->DataLength, *(DWORD *)pi->Data);
    st = sc_query_value(h, &vn, 2, buf, 14, &len);
    printf("into 14 bytes: %#lx length %lu\n", st, len);
    st = sc_query_value(h, &vn, 2, (void *)16, sizeof buf, &len);
    printf("into a bad pointer: %#lx\n", st);
    printf("NtClose: %#lx\n", sc_close(h));

    us_init(&us, L"\\Registry\\Machine");
    printf("NtOpenKey HKLM: %#lx\n", sc_open_key(&h, KEY_READ, &oa));
    int software = 0, system = 0;
    for (ULONG i = 0;; i++) {
        st = sc_enum_key(h, i, 0 /* KeyBasicInformation */, buf, sizeof buf, &len);
        if (st)
            break;
        k_basic *bi = (k_basic *)buf;
        software |= bi->NameLength == 16 && !wcsncmp(bi->Name, L"SOFTWARE", 8);
        system |= bi->NameLength == 12 && !wcsncmp(bi->Name, L"SYSTEM", 6);
    }
    printf("NtEnumerateKey ends with %#lx; SOFTWARE %d SYSTEM %d\n", st, software, system);
    sc_close(h);
    printf("NtOpenKey with a bad OBJECT_ATTRIBUTES: %#lx\n",
           sc_open_key(&h, KEY_READ, (OBJECT_ATTRIBUTES *)16));

    st = sc_query_token((HANDLE)(LONG_PTR)-4, 20 /* TokenElevation */, buf, 4, &len);
    printf("NtQueryInformationToken(TokenElevation): %#lx length %lu\n", st, len);
    st = sc_query_token((HANDLE)(LONG_PTR)-4, 1 /* TokenUser */, buf, 8, &len);
    printf("TokenUser into 8 bytes: %#lx\n", st);
    return 0;
}
