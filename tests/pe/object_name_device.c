/* object_name_device: what Windows calls the handles of devices that have no file system.
 * - NUL: NtQueryObject's ObjectNameInformation is \Device\Null and its type "File"
 *   (Cygwin's handle_to_fn, winsup/cygwin/dtable.cc, maps exactly that name to /dev/null);
 *   GetFileType FILE_TYPE_CHAR (Microsoft's GetFileType page: "a character file, typically
 *   an LPT device or a console"); GetFinalPathNameByHandleW fails with
 *   ERROR_INVALID_PARAMETER with VOLUME_NAME_NT, the buffer untouched (ReactOS's apitest
 *   kernel32/GetFinalPathNameByHandle.c, written against Windows, for \Device\Null), and
 *   fails with VOLUME_NAME_DOS (its error code not printed: not confirmed).
 * - A socket (WSASocket, TCP, and socket(), UDP): \Device\Afd, type "File" (Cygwin's
 *   handle_to_fn takes exactly \Device\Afd for a socket); GetFileType FILE_TYPE_PIPE (the
 *   GetFileType page: "a socket, a named pipe, or an anonymous pipe"); GetFinalPathNameByHandleW
 *   fails (no volume holds it; the error code is not printed: not confirmed).
 * Console handles are checked on a terminal: tests/pe/console_tty.c (cli.console_pty). */
#include <stdio.h>
#include <string.h>
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *fn_qo)(HANDLE, ULONG, void *, ULONG, ULONG *);
static fn_qo qo;

/* ObjectNameInformation (1) or ObjectTypeInformation (2), or the status. */
static const char *object_string(HANDLE h, ULONG cls)
{
    static char out[2][256];
    static int k;
    char *o = out[k++ & 1];
    union {
        UNICODE_STRING us;
        WCHAR w[512];
    } u;
    ULONG got = 0;
    NTSTATUS st = qo(h, cls, &u, sizeof u, &got);
    if (st != 0) {
        snprintf(o, 256, "(status %#lx)", (unsigned long)st);
        return o;
    }
    int n = WideCharToMultiByte(CP_UTF8, 0, u.us.Buffer, u.us.Length / 2, o, 255, NULL, NULL);
    o[n > 0 ? n : 0] = 0;
    return o;
}

static void show(const char *what, HANDLE h, int print_error)
{
    printf("%s: name [%s] type [%s] GetFileType %lu\n", what, object_string(h, 1),
           object_string(h, 2), GetFileType(h));
    static const DWORD flags[] = {VOLUME_NAME_DOS, VOLUME_NAME_NT};
    for (int i = 0; i < (print_error ? 2 : 1); i++) {
        WCHAR buf[MAX_PATH];
        buf[0] = 0xcccc;
        SetLastError(0xdeadbeef);
        DWORD r = GetFinalPathNameByHandleW(h, buf, MAX_PATH, flags[i]);
        DWORD e = GetLastError();
        if (print_error && i == 1)
            printf("  GetFinalPathNameByHandleW(%s): %lu, error %lu, buffer %s\n",
                   i ? "VOLUME_NAME_NT" : "VOLUME_NAME_DOS", r, e,
                   buf[0] == 0xcccc ? "untouched" : "written");
        else if (i == 0)
            printf("  GetFinalPathNameByHandleW(VOLUME_NAME_DOS) fails: %s\n", r ? "no" : "yes");
        (void)e;
    }
}

int main(void)
{
    qo = (fn_qo)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQueryObject");
    HANDLE nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             NULL, OPEN_EXISTING, 0, NULL);
    show("NUL", nul, 1);
    CloseHandle(nul);

    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    SOCKET tcp = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    SOCKET udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    show("TCP socket", (HANDLE)tcp, 0);
    show("UDP socket", (HANDLE)udp, 0);
    closesocket(tcp);
    closesocket(udp);
    WSACleanup();
    return 0;
}
