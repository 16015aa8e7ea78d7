/* The named-pipe file system's NT interface: NtFsControlFile with FSCTL_PIPE_LISTEN,
 * _DISCONNECT, _PEEK, _TRANSCEIVE and _WAIT; NtQueryInformationFile FilePipeInformation,
 * FilePipeLocalInformation, FilePipeRemoteInformation and NtSetInformationFile
 * FilePipeInformation; the kernel32 calls on top (TransactNamedPipe, DisconnectNamedPipe,
 * GetNamedPipeHandleState); and a client's access checked against the pipe's direction
 * (PIPE_ACCESS_INBOUND: a client cannot open it for reading; PIPE_ACCESS_OUTBOUND: not for
 * writing), in this process and from a child process.
 * Wine 8.0 differs in three lines, where this file follows Windows' named-pipe file system (as
 * ReactOS's npfs documents it): FilePipeRemoteInformation on a local pipe is
 * STATUS_INVALID_PARAMETER (Wine: STATUS_NOT_IMPLEMENTED), FSCTL_PIPE_DISCONNECT on a client end
 * STATUS_ILLEGAL_FUNCTION and DisconnectNamedPipe ERROR_INVALID_FUNCTION (Wine:
 * STATUS_NOT_SUPPORTED, ERROR_NOT_SUPPORTED), as FSCTL_PIPE_LISTEN there. */
#include "pipe_test.h"

typedef struct {
    ULONG NamedPipeType, NamedPipeConfiguration, MaximumInstances, CurrentInstances;
    ULONG InboundQuota, ReadDataAvailable, OutboundQuota, WriteQuotaAvailable;
    ULONG NamedPipeState, NamedPipeEnd;
} LOCAL_INFO;

static void local(const char *what, HANDLE h)
{
    LOCAL_INFO li;
    IO_STATUS_BLOCK io = {0};
    memset(&li, 0xcc, sizeof li);
    NTSTATUS st = query(h, &io, &li, sizeof li, FilePipeLocalInformation_);
    /* (the quotas are the buffer sizes asked for, perhaps rounded up) */
    printf("%s: local %08lx info %lu: type %lu config %lu max %lu cur %lu quotas %s "
           "avail %lu state %lu end %lu\n",
           what, st, (ULONG)io.Information, li.NamedPipeType, li.NamedPipeConfiguration,
           li.MaximumInstances, li.CurrentInstances,
           li.InboundQuota >= 512 && li.OutboundQuota >= 512 ? "ok" : "wrong",
           li.ReadDataAvailable, li.NamedPipeState, li.NamedPipeEnd);
}

static NTSTATUS wait_for(const WCHAR *name, LONGLONG timeout100ns)
{
    HANDLE root = CreateFileW(L"\\\\.\\pipe\\", 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, 0, NULL);
    WAIT_BUF wb = {0};
    wb.Timeout.QuadPart = timeout100ns;
    wb.TimeoutSpecified = TRUE;
    wb.NameLength = (ULONG)(wcslen(name) * 2);
    memcpy(wb.Name, name, wb.NameLength);
    IO_STATUS_BLOCK io = {0};
    NTSTATUS st = fsctl(root, NULL, NULL, NULL, &io, FSCTL_PIPE_WAIT_, &wb,
                        FIELD_OFFSET(WAIT_BUF, Name) + wb.NameLength, NULL, 0);
    CloseHandle(root);
    return st;
}

static DWORD WINAPI echo_thread(void *arg)
{
    HANDLE h = arg;
    char buf[64];
    DWORD n;
    if (ReadFile(h, buf, sizeof buf, &n, NULL)) {
        buf[n] = 0;
        char reply[80];
        int len = snprintf(reply, sizeof reply, "re:%s", buf);
        WriteFile(h, reply, len, &n, NULL);
    }
    return 0;
}

static int child(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s_in", name);
    HANDLE h = CreateFileA(path, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("child inbound read: %s %lu\n", h == INVALID_HANDLE_VALUE ? "fails" : "opens",
           h == INVALID_HANDLE_VALUE ? GetLastError() : 0);
    h = CreateFileA(path, GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("child inbound write: %s\n", h == INVALID_HANDLE_VALUE ? "fails" : "opens");
    if (h != INVALID_HANDLE_VALUE) {
        local("child inbound client", h);
        DWORD n;
        WriteFile(h, "up", 2, &n, NULL);
        CloseHandle(h);
    }
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s_out", name);
    h = CreateFileA(path, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("child outbound write: %s %lu\n", h == INVALID_HANDLE_VALUE ? "fails" : "opens",
           h == INVALID_HANDLE_VALUE ? GetLastError() : 0);
    h = CreateFileA(path, GENERIC_READ | FILE_WRITE_ATTRIBUTES, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("child outbound read: %s\n", h == INVALID_HANDLE_VALUE ? "fails" : "opens");
    if (h != INVALID_HANDLE_VALUE) {
        char buf[8] = {0};
        DWORD n = 0;
        ReadFile(h, buf, sizeof buf - 1, &n, NULL); /* first: then nothing is left to read */
        local("child outbound client", h);
        printf("child read '%s'\n", buf);
        CloseHandle(h);
    }
    fflush(stdout);
    return 0;
}

static void direction(const char *name)
{
    char path[128], cmd[MAX_PATH + 160], self[MAX_PATH];
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s_in", name);
    HANDLE in = CreateNamedPipeA(path, PIPE_ACCESS_INBOUND, PIPE_TYPE_BYTE, 4, 512, 512, 0, NULL);
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s_out", name);
    HANDLE out = CreateNamedPipeA(path, PIPE_ACCESS_OUTBOUND, PIPE_TYPE_BYTE, 4, 512, 512, 0, NULL);
    local("inbound server", in);
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s_in", name);
    HANDLE c = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("inbound read+write here: %s %lu\n", c == INVALID_HANDLE_VALUE ? "fails" : "opens",
           c == INVALID_HANDLE_VALUE ? GetLastError() : 0);
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s_out", name);
    c = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("outbound read+write here: %s %lu\n", c == INVALID_HANDLE_VALUE ? "fails" : "opens",
           c == INVALID_HANDLE_VALUE ? GetLastError() : 0);
    DWORD n;
    WriteFile(out, "down", 4, &n, NULL); /* fails: not connected yet */
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, name);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed %lu\n", GetLastError());
        return;
    }
    ConnectNamedPipe(in, NULL);
    char buf[8] = {0};
    ReadFile(in, buf, sizeof buf - 1, &n, NULL);
    ConnectNamedPipe(out, NULL);
    WriteFile(out, "down", 4, &n, NULL);
    WaitForSingleObject(pi.hProcess, INFINITE);
    printf("inbound server read '%s'\n", buf);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(in);
    CloseHandle(out);
}

int main(int argc, char **argv)
{
    pipe_test_init();
    if (argc > 2 && !strcmp(argv[1], "child"))
        return child(argv[2]);
    char name[64], path[96];
    WCHAR wname[64];
    snprintf(name, sizeof name, "ntrun_fsctl_%lu", GetCurrentProcessId());
    snprintf(path, sizeof path, "\\\\.\\pipe\\%s", name);
    MultiByteToWideChar(CP_ACP, 0, name, -1, wname, 64);

    HANDLE s = CreateNamedPipeA(path, PIPE_ACCESS_DUPLEX,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 3, 1024,
                                2048, 0, NULL);
    local("server listening", s);
    struct { ULONG ReadMode, CompletionMode; } pi;
    IO_STATUS_BLOCK io = {0};
    NTSTATUS st = query(s, &io, &pi, sizeof pi, FilePipeInformation_);
    printf("server pipe info %08lx info %lu: read mode %lu completion %lu\n", st,
           (ULONG)io.Information, pi.ReadMode, pi.CompletionMode);
    st = query(s, &io, &pi, 4, FilePipeInformation_);
    printf("pipe info short buffer: %08lx\n", st);
    peek_fsctl("server listening", s, sizeof(PEEK_BUF), FALSE);
    printf("wait, listening instance: %08lx\n", wait_for(wname, -10000000));
    printf("wait, no such pipe: %08lx\n", wait_for(L"ntrun_fsctl_none", -100000));

    HANDLE c = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("client: %s\n", c == INVALID_HANDLE_VALUE ? "fails" : "opens");
    local("client", c);
    local("server connected", s);
    printf("wait, all instances busy: %08lx\n", wait_for(wname, -100000));
    st = fsctl(s, NULL, NULL, NULL, &io, FSCTL_PIPE_LISTEN_, NULL, 0, NULL, 0);
    printf("listen when connected: %08lx\n", st);
    st = query(c, &io, &pi, sizeof pi, FilePipeInformation_);
    printf("client pipe info %08lx: read mode %lu completion %lu\n", st, pi.ReadMode,
           pi.CompletionMode);
    struct { LARGE_INTEGER t; ULONG n; } ri;
    st = query(c, &io, &ri, sizeof ri, FilePipeRemoteInformation_);
    printf("client remote info: %08lx\n", st);
    pi.ReadMode = 1;
    pi.CompletionMode = 0;
    st = set(c, &io, &pi, sizeof pi, FilePipeInformation_);
    printf("client set message read mode: %08lx\n", st);
    pi.ReadMode = 2;
    st = set(c, &io, &pi, sizeof pi, FilePipeInformation_);
    printf("client set read mode 2: %08lx\n", st);

    DWORD n;
    WriteFile(c, "hello", 5, &n, NULL);
    WriteFile(c, "second", 6, &n, NULL);
    peek_fsctl("server", s, 16, FALSE);
    peek_fsctl("server", s, 18, FALSE);
    peek_fsctl("server", s, sizeof(PEEK_BUF), FALSE);
    local("server with data", s);
    char buf[64];
    ReadFile(s, buf, sizeof buf, &n, NULL);
    ReadFile(s, buf, sizeof buf, &n, NULL);

    /* transceive: busy while the client has unread data, then a round trip */
    WriteFile(s, "early", 5, &n, NULL);
    char out[64] = {0};
    st = fsctl(c, NULL, NULL, NULL, &io, FSCTL_PIPE_TRANSCEIVE_, "ping", 4, out, sizeof out);
    printf("transceive with unread data: %08lx\n", st);
    ReadFile(c, buf, sizeof buf, &n, NULL);
    HANDLE t = CreateThread(NULL, 0, echo_thread, s, 0, NULL);
    memset(&io, 0, sizeof io);
    st = fsctl(c, NULL, NULL, NULL, &io, FSCTL_PIPE_TRANSCEIVE_, "ping", 4, out, sizeof out);
    printf("transceive: %08lx info %lu '%.*s'\n", st, (ULONG)io.Information,
           (int)io.Information, out);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    t = CreateThread(NULL, 0, echo_thread, s, 0, NULL);
    memset(out, 0, sizeof out);
    BOOL ok = TransactNamedPipe(c, "pong", 4, out, 3, &n, NULL);
    printf("TransactNamedPipe small: %d %lu %lu '%s'\n", ok, ok ? 0 : GetLastError(), n, out);
    memset(out, 0, sizeof out);
    ok = ReadFile(c, out, sizeof out, &n, NULL);
    printf("rest: %d %lu '%s'\n", ok, n, out);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    pi.ReadMode = 0;
    st = set(c, &io, &pi, sizeof pi, FilePipeInformation_);
    ok = TransactNamedPipe(c, "x", 1, out, sizeof out, &n, NULL);
    printf("TransactNamedPipe byte read mode: %d %lu\n", ok, GetLastError());

    st = fsctl(c, NULL, NULL, NULL, &io, FSCTL_PIPE_DISCONNECT_, NULL, 0, NULL, 0);
    printf("disconnect client end: %08lx\n", st);
    ok = DisconnectNamedPipe(c);
    printf("DisconnectNamedPipe client end: %d %lu\n", ok, GetLastError());
    st = fsctl(s, NULL, NULL, NULL, &io, FSCTL_PIPE_DISCONNECT_, NULL, 0, NULL, 0);
    printf("disconnect server: %08lx\n", st);
    local("server disconnected", s);
    peek_fsctl("server disconnected", s, sizeof(PEEK_BUF), FALSE);
    CloseHandle(c);

    /* an overlapped listen pends until a client comes */
    HANDLE o = CreateNamedPipeA(path, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 3, 1024, 2048, 0, NULL);
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    IO_STATUS_BLOCK oio = {0};
    st = fsctl(o, ev, NULL, NULL, &oio, FSCTL_PIPE_LISTEN_, NULL, 0, NULL, 0);
    printf("overlapped listen: %08lx, event %s\n", st,
           WaitForSingleObject(ev, 0) == WAIT_OBJECT_0 ? "set" : "clear");
    c = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("after a client: event %s, status %08lx\n",
           WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0 ? "set" : "clear", oio.Status);
    CloseHandle(c);
    CloseHandle(o);
    CloseHandle(ev);
    CloseHandle(s);

    direction(name);
    return 0;
}
