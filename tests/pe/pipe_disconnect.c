/* Named pipes after DisconnectNamedPipe, peeking at message pipes, and WaitNamedPipe's default
 * time-out.
 * - After the server's DisconnectNamedPipe the client's end is disconnected, not broken: its
 *   ReadFile, WriteFile and PeekNamedPipe fail with ERROR_PIPE_NOT_CONNECTED (233), whatever
 *   the server had written and the client had not read is gone, and FilePipeLocalInformation
 *   says FILE_PIPE_DISCONNECTED_STATE; closing the server's handle afterwards changes nothing.
 *   A server that closes without disconnecting leaves the client ERROR_BROKEN_PIPE (109) and
 *   ERROR_NO_DATA (232). Byte and message pipes, clients in this process and in a child.
 * - FSCTL_PIPE_PEEK on a message pipe: NumberOfMessages counts the messages queued,
 *   MessageLength is what is left of the first one; PeekNamedPipe's lpBytesLeftThisMessage is
 *   that length less what it copied.
 * - WaitNamedPipe(NMPWAIT_USE_DEFAULT_WAIT) and FSCTL_PIPE_WAIT without a time-out wait for the
 *   nDefaultTimeOut the pipe was created with (0: 50 ms).
 * Wine 8.0 differs in the peek lines (NumberOfMessages is always 0 there, a "FIXME"); this file
 * follows Windows' named-pipe file system (NPFS counts the entries of the read queue of a
 * message-type pipe, whatever the read mode). */
#include "pipe_test.h"

static char self[MAX_PATH];

/* FilePipeLocalInformation's NamedPipeState, or the status of the query. */
static void pipe_state(const char *what, HANDLE h)
{
    ULONG v[10];
    IO_STATUS_BLOCK io;
    memset(v, 0xcc, sizeof v);
    NTSTATUS st = query(h, &io, v, sizeof v, FilePipeLocalInformation_);
    if (st)
        printf("%s: local information %08lx\n", what, (ULONG)st);
    else
        printf("%s: state %lu\n", what, v[8]);
}

static void peek_k32(const char *what, HANDLE h, DWORD size)
{
    char buf[64] = {0};
    DWORD got = 0xcc, avail = 0xcc, left = 0xcc;
    SetLastError(0);
    BOOL ok = PeekNamedPipe(h, buf, size, &got, &avail, &left);
    printf("%s: PeekNamedPipe(%lu) %d", what, size, ok);
    if (ok)
        printf(" read %lu avail %lu left %lu '%.*s'\n", got, avail, left, (int)got, buf);
    else
        printf(" error %lu\n", GetLastError());
}

static void try_io(const char *what, HANDLE h)
{
    char buf[32];
    DWORD n = 0xcc;
    SetLastError(0);
    BOOL ok = ReadFile(h, buf, sizeof buf, &n, NULL);
    printf("%s: ReadFile %d error %lu got %lu\n", what, ok, ok ? 0 : GetLastError(), n);
    n = 0xcc;
    SetLastError(0);
    ok = WriteFile(h, "xy", 2, &n, NULL);
    printf("%s: WriteFile %d error %lu\n", what, ok, ok ? 0 : GetLastError());
    char pb[4];
    DWORD avail = 0xcc;
    SetLastError(0);
    ok = PeekNamedPipe(h, pb, sizeof pb, &n, &avail, NULL);
    printf("%s: PeekNamedPipe %d error %lu\n", what, ok, ok ? 0 : GetLastError());
}

static HANDLE server(const char *name, DWORD mode, DWORD instances, DWORD timeout)
{
    HANDLE s = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, mode, instances, 4096, 4096, timeout,
                                NULL);
    if (s == INVALID_HANDLE_VALUE)
        printf("CreateNamedPipe %s: error %lu\n", name, GetLastError());
    return s;
}

static HANDLE client(const char *name)
{
    HANDLE c = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (c == INVALID_HANDLE_VALUE)
        printf("CreateFile %s: error %lu\n", name, GetLastError());
    return c;
}

/* DisconnectNamedPipe with a client in this process, after the server wrote. */
static void disconnect_local(const char *what, DWORD mode)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_local";
    char label[64];
    HANDLE s = server(name, mode, 1, 0);
    HANDLE c = client(name);
    DWORD n;
    WriteFile(s, "pending", 7, &n, NULL);
    printf("%s: DisconnectNamedPipe %d\n", what, DisconnectNamedPipe(s));
    snprintf(label, sizeof label, "%s client", what);
    pipe_state(label, c);
    try_io(label, c);
    CloseHandle(s);
    snprintf(label, sizeof label, "%s client, server closed", what);
    try_io(label, c);
    CloseHandle(c);
}

/* A server that closes its end without disconnecting: the client's pipe is broken. */
static void close_local(void)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_close";
    HANDLE s = server(name, PIPE_TYPE_BYTE, 1, 0);
    HANDLE c = client(name);
    CloseHandle(s);
    pipe_state("closed client", c);
    try_io("closed client", c);
    CloseHandle(c);
}

/* The child: connects, says so through the pipe, waits for a byte on its standard input (sent
 * once the server has disconnected), then reads and writes. */
static int child(const char *name)
{
    HANDLE c = client(name);
    if (c == INVALID_HANDLE_VALUE)
        return 1;
    char buf[16];
    DWORD n = 0;
    WriteFile(c, "ready", 5, &n, NULL);
    ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, 1, &n, NULL);
    BOOL ok = ReadFile(c, buf, sizeof buf, &n, NULL);
    DWORD read_err = ok ? 0 : GetLastError();
    ok = WriteFile(c, "x", 1, &n, NULL);
    DWORD write_err = ok ? 0 : GetLastError();
    printf("child: ReadFile error %lu, WriteFile error %lu\n", read_err, write_err);
    fflush(stdout);
    return 0;
}

static void disconnect_child(DWORD mode)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_child";
    HANDLE s = server(name, mode, 1, 0);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE in_r, in_w;
    CreatePipe(&in_r, &in_w, &sa, 0);
    SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
    char cmd[MAX_PATH + 128];
    snprintf(cmd, sizeof cmd, "\"%s\" child %s", self, name);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess: error %lu\n", GetLastError());
        return;
    }
    CloseHandle(in_r);
    char buf[8];
    DWORD n = 0;
    ConnectNamedPipe(s, NULL);
    if (ReadFile(s, buf, sizeof buf, &n, NULL) && n == 5) { /* "ready": the child is connected */
        WriteFile(s, "pending", 7, &n, NULL);
        printf("child %s: DisconnectNamedPipe %d\n", mode ? "message" : "byte",
               DisconnectNamedPipe(s));
        fflush(stdout);
    }
    WriteFile(in_w, "g", 1, &n, NULL);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(s);
    CloseHandle(in_w);
}

/* An overlapped read pending on an end when the server disconnects (or, last, closes its
 * end): it completes with the disconnection, as NPFS completes the reads it holds. */
static void pending_read(const char *what, DWORD mode, BOOL server_reads, BOOL close_server)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_pending";
    HANDLE s = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED, mode, 1, 4096,
                                4096, 0, NULL);
    HANDLE c = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_OVERLAPPED, NULL);
    if (s == INVALID_HANDLE_VALUE || c == INVALID_HANDLE_VALUE) {
        printf("%s: pipe error %lu\n", what, GetLastError());
        return;
    }
    DWORD rmode = PIPE_READMODE_MESSAGE, n = 0xcc;
    if (mode & PIPE_TYPE_MESSAGE)
        SetNamedPipeHandleState(c, &rmode, NULL, NULL);
    HANDLE reader = server_reads ? s : c;
    char buf[16];
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    SetLastError(0);
    BOOL ok = ReadFile(reader, buf, sizeof buf, NULL, &ov);
    printf("%s: ReadFile %d error %lu, event %s\n", what, ok, ok ? 0 : GetLastError(),
           WaitForSingleObject(ov.hEvent, 0) == WAIT_OBJECT_0 ? "set" : "clear");
    if (close_server) {
        CloseHandle(s);
        s = NULL;
    } else {
        printf("%s: DisconnectNamedPipe %d\n", what, DisconnectNamedPipe(s));
    }
    printf("%s: event %s\n", what,
           WaitForSingleObject(ov.hEvent, 10000) == WAIT_OBJECT_0 ? "set" : "clear");
    SetLastError(0);
    ok = GetOverlappedResult(reader, &ov, &n, TRUE);
    printf("%s: GetOverlappedResult %d error %lu got %lu\n", what, ok, ok ? 0 : GetLastError(),
           n);
    CloseHandle(ov.hEvent);
    CloseHandle(c);
    if (s)
        CloseHandle(s);
}

/* The child of disconnect_inherited: reads a little of what the server wrote through the client
 * end it inherited (in the read mode the parent set), says so, waits for the server's
 * DisconnectNamedPipe (a byte on its standard input), then reads, writes and peeks. */
static int inherited_child(HANDLE c)
{
    char buf[16] = {0};
    DWORD n = 0xcc;
    SetLastError(0);
    BOOL ok = ReadFile(c, buf, 3, &n, NULL);
    printf("inherited child: ReadFile %d error %lu got %lu '%.*s'\n", ok,
           ok ? 0 : GetLastError(), n, (int)n, buf);
    fflush(stdout);
    WriteFile(c, "ready", 5, &n, NULL);
    ReadFile(GetStdHandle(STD_INPUT_HANDLE), buf, 1, &n, NULL);
    try_io("inherited child", c);
    fflush(stdout);
    return 0;
}

/* A client end opened by the parent, inherited by a child and closed in the parent: the
 * server's DisconnectNamedPipe reaches the child's copy. */
static void disconnect_inherited(DWORD mode)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_inherited";
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE s = server(name, mode, 1, 0);
    HANDLE c = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, &sa, OPEN_EXISTING, 0, NULL);
    HANDLE in_r, in_w;
    if (s == INVALID_HANDLE_VALUE || c == INVALID_HANDLE_VALUE || !CreatePipe(&in_r, &in_w, &sa, 0))
        return;
    SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
    DWORD rmode = PIPE_READMODE_MESSAGE, n;
    if (mode & PIPE_TYPE_MESSAGE)
        SetNamedPipeHandleState(c, &rmode, NULL, NULL);
    WriteFile(s, "message", 7, &n, NULL);
    char cmd[MAX_PATH + 128];
    snprintf(cmd, sizeof cmd, "\"%s\" inherited %llu", self,
             (unsigned long long)(ULONG_PTR)c);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = in_r;
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    printf("inherited %s:\n", mode ? "message" : "byte");
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess: error %lu\n", GetLastError());
        return;
    }
    CloseHandle(in_r);
    CloseHandle(c);
    char buf[8];
    if (ReadFile(s, buf, sizeof buf, &n, NULL) && n == 5) { /* "ready" */
        printf("inherited: DisconnectNamedPipe %d\n", DisconnectNamedPipe(s));
        fflush(stdout);
    }
    WriteFile(in_w, "g", 1, &n, NULL);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(s);
    CloseHandle(in_w);
}

static void peek_messages(void)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_peek";
    HANDLE s = server(name, PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, 1, 0);
    HANDLE c = client(name);
    DWORD mode = PIPE_READMODE_MESSAGE, n;
    SetNamedPipeHandleState(c, &mode, NULL, NULL);
    peek_fsctl("empty", c, sizeof(PEEK_BUF), TRUE);
    WriteFile(s, "one", 3, &n, NULL);
    WriteFile(s, "three", 5, &n, NULL);
    WriteFile(s, "seventeen", 9, &n, NULL);
    peek_fsctl("three messages", c, sizeof(PEEK_BUF), TRUE);
    peek_fsctl("three messages", c, 17, TRUE);
    peek_k32("three messages", c, 64);
    peek_k32("three messages", c, 2);
    char buf[16];
    ReadFile(c, buf, sizeof buf, &n, NULL);
    peek_fsctl("two messages", c, sizeof(PEEK_BUF), TRUE);
    peek_k32("two messages", c, 1);
    SetLastError(0);
    BOOL ok = ReadFile(c, buf, 2, &n, NULL);
    printf("partial read: %d error %lu got %lu\n", ok, GetLastError(), n);
    peek_fsctl("part of a message read", c, sizeof(PEEK_BUF), TRUE);
    peek_k32("part of a message read", c, 64);
    ReadFile(c, buf, sizeof buf, &n, NULL);
    peek_fsctl("one message", c, sizeof(PEEK_BUF), TRUE);
    ReadFile(c, buf, sizeof buf, &n, NULL);
    WriteFile(s, "", 0, &n, NULL);
    peek_fsctl("an empty message", c, sizeof(PEEK_BUF), TRUE);
    peek_fsctl("an empty message, again", c, sizeof(PEEK_BUF), TRUE);
    n = 0xcc;
    ok = ReadFile(c, buf, sizeof buf, &n, NULL);
    printf("read the empty message: %d got %lu\n", ok, n);
    peek_fsctl("empty", c, sizeof(PEEK_BUF), TRUE);
    /* empty messages behind others: each one counts, however often it is peeked at */
    WriteFile(s, "abc", 3, &n, NULL);
    WriteFile(s, "", 0, &n, NULL);
    WriteFile(s, "", 0, &n, NULL);
    WriteFile(s, "de", 2, &n, NULL);
    WriteFile(s, "", 0, &n, NULL);
    peek_fsctl("empty ones behind", c, sizeof(PEEK_BUF), TRUE);
    peek_fsctl("empty ones behind, again", c, sizeof(PEEK_BUF), TRUE);
    for (int i = 0; i < 5; i++) {
        n = 0xcc;
        ok = ReadFile(c, buf, sizeof buf, &n, NULL);
        printf("read %d: %d got %lu\n", i, ok, n);
        peek_fsctl("after it", c, sizeof(PEEK_BUF), TRUE);
    }
    CloseHandle(c);
    CloseHandle(s);
}

typedef struct {
    const char *name;
    const WCHAR *wname;
    BOOL use_fsctl;
    DWORD result, error;
} waiter;

static DWORD WINAPI wait_thread(void *arg)
{
    waiter *w = arg;
    if (!w->use_fsctl) {
        SetLastError(0);
        w->result = WaitNamedPipeA(w->name, NMPWAIT_USE_DEFAULT_WAIT);
        w->error = w->result ? 0 : GetLastError();
        return 0;
    }
    HANDLE root = CreateFileW(L"\\\\.\\pipe\\", 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                              OPEN_EXISTING, 0, NULL);
    WAIT_BUF wb = {0};
    wb.NameLength = (ULONG)(wcslen(w->wname) * sizeof(WCHAR));
    memcpy(wb.Name, w->wname, wb.NameLength);
    wb.TimeoutSpecified = FALSE;
    IO_STATUS_BLOCK io;
    NTSTATUS st = fsctl(root, NULL, NULL, NULL, &io, FSCTL_PIPE_WAIT_, &wb,
                        (ULONG)offsetof(WAIT_BUF, Name) + wb.NameLength, NULL, 0);
    w->result = st == 0;
    w->error = (DWORD)st;
    CloseHandle(root);
    return 0;
}

/* A pipe whose one instance is connected: the waiter waits for its default time-out. */
static void default_wait(DWORD timeout, BOOL use_fsctl, BOOL free_later)
{
    const char *name = "\\\\.\\pipe\\ntrun_pipe_disconnect_wait";
    HANDLE s = server(name, PIPE_TYPE_BYTE, 2, timeout);
    HANDLE c = client(name);
    waiter w = {name, L"ntrun_pipe_disconnect_wait", use_fsctl, 0xcc, 0xcc};
    HANDLE t = CreateThread(NULL, 0, wait_thread, &w, 0, NULL);
    HANDLE s2 = NULL;
    if (free_later) {
        /* long after 50 ms: only a waiter that honours the pipe's 60 s default still waits;
         * (a waiter that has not started yet finds the instance free: the same answer) */
        Sleep(400);
        s2 = server(name, PIPE_TYPE_BYTE, 2, timeout);
    }
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    printf("default wait (server default %lu, %s): %lu error %lx\n", timeout,
           use_fsctl ? "FSCTL_PIPE_WAIT" : "WaitNamedPipe", w.result, w.error);
    if (s2)
        CloseHandle(s2);
    CloseHandle(c);
    CloseHandle(s);
}

int main(int argc, char **argv)
{
    pipe_test_init();
    if (argc == 3 && !strcmp(argv[1], "child"))
        return child(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "inherited"))
        return inherited_child((HANDLE)(ULONG_PTR)_strtoui64(argv[2], NULL, 10));
    GetModuleFileNameA(NULL, self, MAX_PATH);
    disconnect_local("byte", PIPE_TYPE_BYTE);
    disconnect_local("message", PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE);
    close_local();
    disconnect_child(PIPE_TYPE_BYTE);
    disconnect_child(PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE);
    disconnect_inherited(PIPE_TYPE_BYTE);
    disconnect_inherited(PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE);
    pending_read("pending byte read", PIPE_TYPE_BYTE, FALSE, FALSE);
    pending_read("pending message read", PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE, FALSE, FALSE);
    pending_read("pending server read", PIPE_TYPE_BYTE, TRUE, FALSE);
    pending_read("pending read, server closed", PIPE_TYPE_BYTE, FALSE, TRUE);
    peek_messages();
    default_wait(1, FALSE, FALSE);
    default_wait(0, FALSE, FALSE);
    default_wait(60000, FALSE, TRUE);
    default_wait(1, TRUE, FALSE);
    default_wait(60000, TRUE, TRUE);
    return 0;
}
