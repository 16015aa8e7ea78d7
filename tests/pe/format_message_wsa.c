/* format_message_wsa: FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM) knows the Windows Sockets error
 * texts (WSAE*, 10004-11033), as Windows' system message table has them: one line ending in
 * CRLF. Covers FormatMessageA into a caller buffer, FormatMessageW with ALLOCATE_BUFFER, the
 * way Go's syscall.Errno.Error asks (FROM_SYSTEM | ARGUMENT_ARRAY | IGNORE_INSERTS, en-US, a
 * 300-WCHAR buffer, trailing CR/LF trimmed; before these texts Go printed "winapi error
 * #10061"), and a too-small buffer (0, ERROR_INSUFFICIENT_BUFFER).
 *
 * The texts are those winerror.h's MessageText comments give (the same table FormatMessage
 * reads on Windows 10). Wine 8 is no second opinion here: it has short texts of its own for a
 * few of these codes ("Connection refused.") and none for the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

/* Prints s with CR and LF spelled out, so the expected file does not depend on text mode. */
static void print_escaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r')
            fputs("\\r", stdout);
        else if (s[i] == '\n')
            fputs("\\n", stdout);
        else
            putchar(s[i]);
    }
    putchar('\n');
}

static const DWORD sys_flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS;

static void show_a(DWORD code)
{
    char buf[512];
    memset(buf, 0xcc, sizeof buf);
    DWORD n = FormatMessageA(sys_flags, NULL, code, 0, buf, sizeof buf, NULL);
    if (n == 0) {
        printf("A %lu: n=0 err=%lu\n", (unsigned long)code, (unsigned long)GetLastError());
        return;
    }
    printf("A %lu: n=%lu len=%u ", (unsigned long)code, (unsigned long)n,
           (unsigned)strnlen(buf, sizeof buf));
    print_escaped(buf, n);
}

/* Go's syscall.Errno.Error, in C. */
static void show_go(DWORD code)
{
    WCHAR b[300];
    DWORD flags = FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ARGUMENT_ARRAY |
                  FORMAT_MESSAGE_IGNORE_INSERTS;
    DWORD n = FormatMessageW(flags, NULL, code, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), b,
                             300, NULL);
    if (n == 0)
        n = FormatMessageW(flags, NULL, code, 0, b, 300, NULL);
    if (n == 0) {
        printf("go %lu: winapi error #%lu\n", (unsigned long)code, (unsigned long)code);
        return;
    }
    while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r'))
        n--;
    char out[600];
    int len = WideCharToMultiByte(CP_UTF8, 0, b, (int)n, out, sizeof out, NULL, NULL);
    CHECK(10, len > 0);
    printf("go %lu: %.*s\n", (unsigned long)code, len, out);
}

int main(void)
{
    static const DWORD codes[] = {
        10004, /* WSAEINTR */
        10013, /* WSAEACCES */
        10014, /* WSAEFAULT */
        10022, /* WSAEINVAL */
        10035, /* WSAEWOULDBLOCK */
        10038, /* WSAENOTSOCK */
        10048, /* WSAEADDRINUSE */
        10049, /* WSAEADDRNOTAVAIL */
        10053, /* WSAECONNABORTED */
        10054, /* WSAECONNRESET */
        10057, /* WSAENOTCONN */
        10060, /* WSAETIMEDOUT */
        10061, /* WSAECONNREFUSED */
        10065, /* WSAEHOSTUNREACH */
        10093, /* WSANOTINITIALISED */
        11001, /* WSAHOST_NOT_FOUND */
        11002, /* WSATRY_AGAIN */
        11004, /* WSANO_DATA */
        11031, /* WSA_QOS_RESERVED_PETYPE */
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        show_a(codes[i]);

    /* FormatMessageW, ALLOCATE_BUFFER: the exact UTF-16 text with its CRLF. */
    WCHAR *w = NULL;
    DWORD n = FormatMessageW(sys_flags | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, WSAECONNRESET, 0,
                             (WCHAR *)&w, 0, NULL);
    static const WCHAR want[] = L"An existing connection was forcibly closed by the remote host.\r\n";
    CHECK(11, n == sizeof want / sizeof want[0] - 1);
    CHECK(12, w != NULL && memcmp(w, want, sizeof want) == 0);
    printf("W 10054: n=%lu matches\n", (unsigned long)n);
    LocalFree(w);

    /* A buffer one short of the text and its NUL: nothing, ERROR_INSUFFICIENT_BUFFER. */
    char small[78];
    SetLastError(0xdeadbeef);
    n = FormatMessageA(sys_flags, NULL, WSAECONNREFUSED, 0, small, 77, NULL);
    printf("A 10061 into 77: n=%lu err=%lu\n", (unsigned long)n, (unsigned long)GetLastError());
    n = FormatMessageA(sys_flags, NULL, WSAECONNREFUSED, 0, small, 78, NULL);
    printf("A 10061 into 78: n=%lu\n", (unsigned long)n);

    show_go(10061);
    show_go(10060);
    show_go(10048);
    show_go(11001);
    show_go(2); /* an ordinary Win32 error, for comparison */
    return 0;
}
