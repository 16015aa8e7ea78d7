/* GetComputerNameExW/A: every COMPUTER_NAME_FORMAT, checked against each other and against
 * GetComputerName (the host name varies, so the output says how the names relate, not what they
 * are): the NetBIOS forms are GetComputerName's, the DNS host name is the NetBIOS name without
 * case and 15-character cut, the fully qualified name is host[.domain], the physical forms equal
 * the others; a small or absent buffer fails with ERROR_MORE_DATA and the size needed with the
 * NUL, a format past ComputerNameMax with ERROR_INVALID_PARAMETER. Go's os.Hostname calls
 * GetComputerNameExW(ComputerNamePhysicalDnsHostname). */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

static wchar_t names[8][256];
static DWORD lens[8];

int main(void)
{
    for (int f = 0; f < 8; f++) {
        lens[f] = 256;
        SetLastError(0xdead);
        BOOL ok = GetComputerNameExW((COMPUTER_NAME_FORMAT)f, names[f], &lens[f]);
        printf("format %d: %s, length %s\n", f, ok ? "ok" : "failed",
               lens[f] == wcslen(names[f]) ? "= wcslen" : "wrong");
    }
    wchar_t nb[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
    GetComputerNameW(nb, &n);
    printf("NetBIOS = GetComputerNameW: %d\n", !wcscmp(names[0], nb));
    printf("DNS host name starts like the NetBIOS name: %d\n",
           !_wcsnicmp(names[1], nb, wcslen(nb)) && lens[1] >= 1);
    printf("DNS host name has no dot: %d\n", !wcschr(names[1], L'.'));
    wchar_t full[520];
    swprintf(full, 520, L"%ls%ls%ls", names[1], names[2][0] ? L"." : L"", names[2]);
    printf("fully qualified = host[.domain]: %d\n", !wcscmp(full, names[3]));
    for (int f = 0; f < 4; f++)
        printf("physical %d = %d: %d\n", f + 4, f, !wcscmp(names[f], names[f + 4]));

    wchar_t small[2];
    n = 1;
    SetLastError(0xdead);
    BOOL ok = GetComputerNameExW(ComputerNameDnsHostname, small, &n);
    printf("size 1: ok %d error %lu size = length + 1: %d\n", ok, GetLastError(), n == lens[1] + 1);
    n = 0;
    SetLastError(0xdead);
    ok = GetComputerNameExW(ComputerNamePhysicalDnsFullyQualified, NULL, &n);
    printf("NULL buffer: ok %d error %lu size = length + 1: %d\n", ok, GetLastError(),
           n == lens[7] + 1);
    n = lens[1];
    SetLastError(0xdead);
    ok = GetComputerNameExW(ComputerNameDnsHostname, names[1], &n);
    printf("size = length: ok %d error %lu\n", ok, GetLastError());
    n = 256;
    SetLastError(0xdead);
    ok = GetComputerNameExW(ComputerNameMax, names[1], &n);
    printf("ComputerNameMax: ok %d error %lu\n", ok, GetLastError());

    char a[256];
    n = sizeof a;
    ok = GetComputerNameExA(ComputerNameDnsFullyQualified, a, &n);
    wchar_t aw[256];
    MultiByteToWideChar(CP_ACP, 0, a, -1, aw, 256);
    printf("A: ok %d same as W: %d length %s\n", ok, !wcscmp(aw, names[3]),
           n == strlen(a) ? "= strlen" : "wrong");
    n = 1;
    SetLastError(0xdead);
    ok = GetComputerNameExA(ComputerNameNetBIOS, a, &n);
    printf("A size 1: ok %d error %lu size = length + 1: %d\n", ok, GetLastError(),
           n == lens[0] + 1);
    return 0;
}
