/* What GetFinalPathNameByHandleW, NtQueryObject(ObjectNameInformation) and
 * NtQueryInformationFile(FileNameInformation) answer for handles no volume holds: both ends of a
 * named pipe and of an anonymous pipe (CreatePipe), NUL and a socket. Windows' kernelbase asks
 * FileNameInformation first and fails with its status, then ObjectNameInformation for
 * VOLUME_NAME_NT, then the volume's DOS name (ReactOS's GetFinalPathNameByHandle.c and its
 * apitest, written and checked against Windows; that order is why NUL, whose object name
 * \Device\Null exists, fails VOLUME_NAME_NT with ERROR_INVALID_PARAMETER there).
 * - A named pipe: its object name is \Device\NamedPipe\NAME (git-for-windows' detect_msys_tty
 *   reads MSYS2's pty pipes so), FileNameInformation "\NAME" (Rust std's msys_tty_on reads it
 *   so), hence VOLUME_NAME_NT gives the object name and VOLUME_NAME_NONE "\NAME"; the DOS form
 *   fails, with ERROR_PATH_NOT_FOUND as Microsoft's page on the call gives when no drive letter
 *   names the volume (the code for the pipe file system is not confirmed).
 * - An anonymous pipe: Windows 7 and later make it without a name (a relative open under
 *   \Device\NamedPipe\); its names here, \Device\NamedPipe\ and "\", are inferred, not
 *   confirmed. Wine 8.0 names it \Device\NamedPipe\Win32.Pipes.<pid>.<serial>, the pre-Windows 7
 *   scheme, and fails every form of GetFinalPathNameByHandleW for pipes with ERROR_GEN_FAILURE.
 * - NUL: FileNameInformation STATUS_INVALID_PARAMETER, every form ERROR_INVALID_PARAMETER
 *   (Wine 8.0 names it \??\Z:\dev\null).
 * - A socket: object name \Device\Afd (Cygwin's handle_to_fn); FileNameInformation fails, with
 *   STATUS_INVALID_DEVICE_REQUEST here (ERROR_INVALID_FUNCTION; not confirmed: AFD's answer to a
 *   name query). Wine 8.0: STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE. */
#include <stdio.h>
#include <winsock2.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *fn_qo)(HANDLE, ULONG, void *, ULONG, ULONG *);
typedef NTSTATUS(NTAPI *fn_qif)(HANDLE, IO_STATUS_BLOCK *, void *, ULONG, ULONG);
static fn_qo qo;
static fn_qif qif;

static void utf8(const WCHAR *w, int n, char *out)
{
    int k = WideCharToMultiByte(CP_UTF8, 0, w, n, out, 255, NULL, NULL);
    out[k > 0 ? k : 0] = 0;
}

static void show(const char *what, HANDLE h)
{
    union {
        UNICODE_STRING us;
        WCHAR w[512];
    } u;
    union {
        FILE_NAME_INFORMATION fn;
        WCHAR w[512];
    } f;
    ULONG got;
    IO_STATUS_BLOCK io;
    char s[256];
    NTSTATUS st = qo(h, 1, &u, sizeof u, &got);
    if (st)
        printf("%s: object name: status %#lx\n", what, (unsigned long)st);
    else {
        utf8(u.us.Buffer, u.us.Length / 2, s);
        printf("%s: object name [%s]\n", what, s);
    }
    st = qif(h, &io, &f, sizeof f, 9 /* FileNameInformation */);
    if (st)
        printf("  FileNameInformation: status %#lx\n", (unsigned long)st);
    else {
        utf8(f.fn.FileName, f.fn.FileNameLength / 2, s);
        printf("  FileNameInformation [%s]\n", s);
    }
    static const DWORD flags[] = {VOLUME_NAME_DOS, VOLUME_NAME_NT, VOLUME_NAME_NONE,
                                  VOLUME_NAME_GUID};
    static const char *names[] = {"DOS", "NT", "NONE", "GUID"};
    for (int i = 0; i < 4; i++) {
        WCHAR b[300];
        b[0] = 0xcccc;
        SetLastError(0xdeadbeef);
        DWORD r = GetFinalPathNameByHandleW(h, b, 300, flags[i]);
        DWORD e = GetLastError();
        if (r && r < 300) {
            utf8(b, (int)r, s);
            printf("  GetFinalPathNameByHandleW %s: [%s], error %#lx\n", names[i], s, e);
        } else {
            printf("  GetFinalPathNameByHandleW %s: %lu, error %lu, buffer %s\n", names[i], r, e,
                   b[0] == 0xcccc ? "untouched" : "written");
        }
    }
}

int main(void)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    qo = (fn_qo)GetProcAddress(nt, "NtQueryObject");
    qif = (fn_qif)GetProcAddress(nt, "NtQueryInformationFile");

    HANDLE s = CreateNamedPipeA("\\\\.\\pipe\\ntrun-final-path", PIPE_ACCESS_DUPLEX, 0, 1, 512,
                                512, 0, NULL);
    HANDLE c = CreateFileA("\\\\.\\pipe\\ntrun-final-path", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           OPEN_EXISTING, 0, NULL);
    if (s == INVALID_HANDLE_VALUE || c == INVALID_HANDLE_VALUE) {
        printf("named pipe: %lu\n", GetLastError());
        return 1;
    }
    show("named pipe, server end", s);
    show("named pipe, client end", c);
    /* a buffer one character short: the size needed, the buffer untouched */
    WCHAR b[32];
    b[0] = 0xcccc;
    SetLastError(0xdeadbeef);
    DWORD r = GetFinalPathNameByHandleW(s, b, 17, VOLUME_NAME_NONE);
    printf("  NONE in 17 characters: %lu, error %lu, buffer %s\n", r, GetLastError(),
           b[0] == 0xcccc ? "untouched" : "written");
    CloseHandle(c);
    CloseHandle(s);

    HANDLE rd, wr;
    if (!CreatePipe(&rd, &wr, NULL, 0)) {
        printf("CreatePipe: %lu\n", GetLastError());
        return 1;
    }
    show("anonymous pipe, read end", rd);
    show("anonymous pipe, write end", wr);
    CloseHandle(rd);
    CloseHandle(wr);

    HANDLE nul = CreateFileA("NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                             OPEN_EXISTING, 0, NULL);
    show("NUL", nul);
    CloseHandle(nul);

    WSADATA wd;
    WSAStartup(MAKEWORD(2, 2), &wd);
    SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    show("TCP socket", (HANDLE)t);
    closesocket(t);
    WSACleanup();
    return 0;
}
