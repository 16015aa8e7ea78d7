/* registry_multi: RegQueryMultipleValuesW/A and NtQueryMultipleValueKey.
 * - every value's data in one buffer, ve_valueptr pointing into it, ve_valuelen and ve_type set;
 *   *ldwTotsize the bytes used;
 * - a buffer too small: ERROR_MORE_DATA and the size needed; a NULL buffer with *ldwTotsize 0
 *   (as the documentation asks): the same;
 * - a missing value: ERROR_FILE_NOT_FOUND; a handle without KEY_QUERY_VALUE: ERROR_ACCESS_DENIED;
 * - the A form converts the names in and string data out (ve_valuelen the ANSI length);
 * - NtQueryMultipleValueKey puts each value's data at a ULONG-aligned DataOffset (the
 *   configuration manager's layout: a 3-byte REG_BINARY then a DWORD needs 8 bytes, not 7),
 *   *BufferLength and *RequiredBufferLength the total, STATUS_BUFFER_OVERFLOW when it does not
 *   fit (the entries' lengths, offsets and types filled in all the same).
 * Wine 8.0 packs the data without alignment (7 bytes where Windows needs 8) and has no
 * NtQueryMultipleValueKey (STATUS_NOT_IMPLEMENTED). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "check.h"

typedef struct {
    PUNICODE_STRING ValueName;
    ULONG DataLength, DataOffset, Type;
} value_entry;
typedef NTSTATUS(NTAPI *fn_qmv)(HANDLE, value_entry *, ULONG, void *, ULONG *, ULONG *);

int main(void)
{
    HKEY k, k_enum;
    const wchar_t *key = L"Software\\ntrun_multi_test";
    RegDeleteTreeW(HKEY_CURRENT_USER, key);
    CHECK(RegCreateKeyExW(HKEY_CURRENT_USER, key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL) ==
          0);
    DWORD dw = 0x11223344;
    BYTE bin[3] = {1, 2, 3};
    CHECK(RegSetValueExW(k, L"str", 0, REG_SZ, (BYTE *)L"hello", 12) == 0);
    CHECK(RegSetValueExW(k, L"bin", 0, REG_BINARY, bin, 3) == 0);
    CHECK(RegSetValueExW(k, L"dw", 0, REG_DWORD, (BYTE *)&dw, 4) == 0);
    CHECK(RegSetValueExW(k, L"empty", 0, REG_BINARY, NULL, 0) == 0);

    /* ---- wide ---- */
    VALENTW v[3];
    memset(v, 0xcc, sizeof v);
    v[0].ve_valuename = L"bin";
    v[1].ve_valuename = L"dw";
    v[2].ve_valuename = L"str";
    DWORD size = 0;
    CHECK(RegQueryMultipleValuesW(k, v, 3, NULL, &size) == ERROR_MORE_DATA && size == 20);
    printf("required %lu\n", size);
    BYTE buf[64];
    size = 19;
    memset(buf, 0xcc, sizeof buf);
    CHECK(RegQueryMultipleValuesW(k, v, 3, (wchar_t *)buf, &size) == ERROR_MORE_DATA &&
          size == 20);
    size = sizeof buf;
    CHECK(RegQueryMultipleValuesW(k, v, 3, (wchar_t *)buf, &size) == 0 && size == 20);
    CHECK(v[0].ve_type == REG_BINARY && v[0].ve_valuelen == 3 && v[0].ve_valueptr == (DWORD_PTR)buf);
    CHECK(memcmp((void *)v[0].ve_valueptr, bin, 3) == 0);
    CHECK(v[1].ve_type == REG_DWORD && v[1].ve_valuelen == 4 &&
          v[1].ve_valueptr == (DWORD_PTR)(buf + 4) && *(DWORD *)v[1].ve_valueptr == dw);
    CHECK(v[2].ve_type == REG_SZ && v[2].ve_valuelen == 12 &&
          v[2].ve_valueptr == (DWORD_PTR)(buf + 8) &&
          memcmp((void *)v[2].ve_valueptr, L"hello", 12) == 0);

    VALENTW missing[2];
    memset(missing, 0, sizeof missing);
    missing[0].ve_valuename = L"dw";
    missing[1].ve_valuename = L"nope";
    size = sizeof buf;
    CHECK(RegQueryMultipleValuesW(k, missing, 2, (wchar_t *)buf, &size) == ERROR_FILE_NOT_FOUND);
    CHECK(RegOpenKeyExW(HKEY_CURRENT_USER, key, 0, KEY_ENUMERATE_SUB_KEYS, &k_enum) == 0);
    size = sizeof buf;
    CHECK(RegQueryMultipleValuesW(k_enum, v, 3, (wchar_t *)buf, &size) == ERROR_ACCESS_DENIED);
    RegCloseKey(k_enum);

    /* ---- ANSI ---- */
    VALENTA a[3];
    memset(a, 0xcc, sizeof a);
    a[0].ve_valuename = "str";
    a[1].ve_valuename = "empty";
    a[2].ve_valuename = "dw";
    size = 0;
    CHECK(RegQueryMultipleValuesA(k, a, 3, NULL, &size) == ERROR_MORE_DATA && size == 12);
    char abuf[32];
    size = sizeof abuf;
    CHECK(RegQueryMultipleValuesA(k, a, 3, abuf, &size) == 0 && size == 12);
    CHECK(a[0].ve_type == REG_SZ && a[0].ve_valuelen == 6 && a[0].ve_valueptr == (DWORD_PTR)abuf &&
          strcmp((char *)a[0].ve_valueptr, "hello") == 0);
    CHECK(a[1].ve_type == REG_BINARY && a[1].ve_valuelen == 0);
    CHECK(a[2].ve_type == REG_DWORD && a[2].ve_valuelen == 4 &&
          a[2].ve_valueptr == (DWORD_PTR)(abuf + 8) && *(DWORD *)a[2].ve_valueptr == dw);

    /* ---- NtQueryMultipleValueKey ---- */
    fn_qmv qmv = (fn_qmv)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryMultipleValueKey");
    UNICODE_STRING names[2];
    names[0].Buffer = L"bin";
    names[0].Length = 6;
    names[0].MaximumLength = 8;
    names[1].Buffer = L"dw";
    names[1].Length = 4;
    names[1].MaximumLength = 6;
    value_entry e[2];
    memset(e, 0xcc, sizeof e);
    e[0].ValueName = &names[0];
    e[1].ValueName = &names[1];
    ULONG len = 6, need = 0;
    memset(buf, 0xcc, sizeof buf);
    NTSTATUS st = qmv(k, e, 2, buf, &len, &need);
    printf("short: status %#lx, length %lu, required %lu\n", (unsigned long)st, len, need);
    CHECK(st == (NTSTATUS)0x80000005 && need == 8);
    CHECK(e[0].DataLength == 3 && e[0].DataOffset == 0 && e[0].Type == REG_BINARY);
    CHECK(e[1].DataLength == 4 && e[1].DataOffset == 4 && e[1].Type == REG_DWORD);
    CHECK(memcmp(buf, bin, 3) == 0 && buf[4] == 0xcc); /* what fits is there, the rest not */
    len = sizeof buf;
    need = 0;
    st = qmv(k, e, 2, buf, &len, &need);
    CHECK(st == 0 && need == 8 && len == 8 && *(DWORD *)(buf + 4) == dw);

    RegCloseKey(k);
    CHECK(RegDeleteTreeW(HKEY_CURRENT_USER, key) == 0);
    return check_report();
}
