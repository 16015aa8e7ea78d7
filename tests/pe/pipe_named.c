/* Named pipes: a message-mode server and a client in two threads (ERROR_MORE_DATA for a
 * message larger than the buffer, PeekNamedPipe's bytes left in the message, TransactNamedPipe,
 * GetNamedPipeInfo on both ends), ERROR_PIPE_CONNECTED for a client that came first, a
 * byte-mode server and a client in a second process (ReadFile after the client has gone gives
 * ERROR_BROKEN_PIPE), DisconnectNamedPipe, a name that does not exist (ERROR_FILE_NOT_FOUND), and PeekNamedPipe and GetNamedPipeInfo
 * on an anonymous pipe (its read end is the server end), and I/O on an instance whose client
 * came before any ConnectNamedPipe. Expected output: Wine 8.0's. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static char name[128];
static char client_log[512]; /* the client thread's lines, printed after it ends */
static size_t client_len;
#define CLOG(...) (client_len += (size_t)snprintf(client_log + client_len, \
                                                   sizeof client_log - client_len, __VA_ARGS__))

static DWORD WINAPI client_thread(void *arg)
{
    (void)arg;
    if (!WaitNamedPipeA(name, NMPWAIT_WAIT_FOREVER))
        CLOG("client: WaitNamedPipe failed %lu\n", GetLastError());
    HANDLE h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        CLOG("client: CreateFile failed %lu\n", GetLastError());
        return 1;
    }
    DWORD mode = PIPE_READMODE_MESSAGE, flags = 0, n;
    CLOG("client: SetNamedPipeHandleState %d\n", SetNamedPipeHandleState(h, &mode, NULL, NULL));
    GetNamedPipeInfo(h, &flags, NULL, NULL, NULL);
    CLOG("client: flags %#lx\n", flags);
    WriteFile(h, "first message", 13, &n, NULL);
    WriteFile(h, "second", 6, &n, NULL);
    char buf[64];
    BOOL ok = TransactNamedPipe(h, "question", 8, buf, sizeof buf, &n, NULL);
    CLOG("client: TransactNamedPipe %d: %.*s\n", ok, (int)n, buf);
    CloseHandle(h);
    return 0;
}

static int two_threads(void)
{
    snprintf(name, sizeof name, "\\\\.\\pipe\\ntrun-test-%lu-msg", GetCurrentProcessId());
    HANDLE s = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX,
                                PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT, 1, 4096,
                                4096, 0, NULL);
    printf("server: CreateNamedPipe %s\n", s != INVALID_HANDLE_VALUE ? "ok" : "failed");
    HANDLE s2 = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_MESSAGE, 1, 0, 0, 0, NULL);
    printf("server: a second instance of 1: %s %lu\n", s2 == INVALID_HANDLE_VALUE ? "refused" : "ok",
           GetLastError());
    HANDLE t = CreateThread(NULL, 0, client_thread, NULL, 0, NULL);
    BOOL c = ConnectNamedPipe(s, NULL);
    printf("server: connected %s\n", c || GetLastError() == ERROR_PIPE_CONNECTED ? "yes" : "no");
    DWORD flags = 0, maxi = 0, n = 0, avail = 0, left = 0;
    GetNamedPipeInfo(s, &flags, NULL, NULL, &maxi);
    printf("server: flags %#lx max instances %lu\n", flags, maxi);
    char buf[64];
    /* wait for both messages: the second is read after the first */
    BOOL ok = ReadFile(s, buf, 5, &n, NULL);
    printf("server: ReadFile(5) %d error %lu got [%.*s]\n", ok, ok ? 0 : GetLastError(), (int)n, buf);
    PeekNamedPipe(s, NULL, 0, NULL, &avail, &left);
    printf("server: peek left in message %lu\n", left);
    ok = ReadFile(s, buf, sizeof buf, &n, NULL);
    printf("server: ReadFile %d got [%.*s]\n", ok, (int)n, buf);
    ok = ReadFile(s, buf, sizeof buf, &n, NULL);
    printf("server: ReadFile %d got [%.*s]\n", ok, (int)n, buf);
    ok = ReadFile(s, buf, sizeof buf, &n, NULL);
    printf("server: request [%.*s]\n", (int)n, buf);
    WriteFile(s, "answer", 6, &n, NULL);
    WaitForSingleObject(t, INFINITE);
    printf("%s", client_log);
    ok = ReadFile(s, buf, sizeof buf, &n, NULL);
    printf("server: ReadFile after the client closed: %d error %lu\n", ok, GetLastError());
    printf("server: DisconnectNamedPipe %d\n", DisconnectNamedPipe(s));
    ok = WriteFile(s, "x", 1, &n, NULL);
    printf("server: WriteFile when disconnected: %d error %lu\n", ok, GetLastError());
    CloseHandle(t);
    CloseHandle(s);
    HANDLE none = CreateFileA(name, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    printf("client: CreateFile after the server closed: %s error %lu\n",
           none == INVALID_HANDLE_VALUE ? "failed" : "ok", GetLastError());
    return 0;
}

static int child_client(const char *pipe)
{
    HANDLE h = CreateFileA(pipe, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return 2;
    char buf[32];
    DWORD n = 0, flags = 9;
    GetNamedPipeInfo(h, &flags, NULL, NULL, NULL);
    ReadFile(h, buf, sizeof buf, &n, NULL);
    char reply[64];
    int len = snprintf(reply, sizeof reply, "child got [%.*s], flags %lu", (int)n, buf, flags);
    WriteFile(h, reply, len, &n, NULL);
    CloseHandle(h);
    return 0;
}

static int two_processes(const char *self)
{
    snprintf(name, sizeof name, "\\\\.\\pipe\\ntrun-test-%lu-bytes", GetCurrentProcessId());
    HANDLE s = CreateNamedPipeA(name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES,
                                0, 0, 0, NULL);
    char cmd[MAX_PATH + 160], buf[128];
    snprintf(cmd, sizeof cmd, "\"%s\" client %s", self, name);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return 1;
    BOOL c = ConnectNamedPipe(s, NULL);
    printf("server: child connected %s\n", c || GetLastError() == ERROR_PIPE_CONNECTED ? "yes" : "no");
    DWORD n = 0;
    WriteFile(s, "hello", 5, &n, NULL);
    size_t len = 0;
    while (ReadFile(s, buf + len, sizeof buf - 1 - len, &n, NULL) && n)
        len += n;
    printf("server: ReadFile ends with error %lu\n", GetLastError());
    printf("server: %.*s\n", (int)len, buf);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 9;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child exit code %lu\n", code);
    CloseHandle(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "client"))
        return child_client(argv[2]);
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);
    two_threads();
    two_processes(self);
    SetLastError(0);
    BOOL waited = WaitNamedPipeA("\\\\.\\pipe\\ntrun-test-nobody-here", 0);
    printf("WaitNamedPipe on a name no one serves: %d error %lu\n", waited, GetLastError());

    /* Rust's std::process makes its pipes so: no ConnectNamedPipe before the I/O. */
    snprintf(name, sizeof name, "\\\\.\\pipe\\ntrun-test-%lu-noconnect", GetCurrentProcessId());
    HANDLE s = CreateNamedPipeA(name, PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT |
                                    PIPE_REJECT_REMOTE_CLIENTS, 1, 4096, 4096, 0, NULL);
    HANDLE c = CreateFileA(name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    DWORD wn = 0, rn = 0;
    char rb[16];
    WriteFile(c, "early", 5, &wn, NULL);
    BOOL rok = ReadFile(s, rb, sizeof rb, &rn, NULL);
    printf("no ConnectNamedPipe: ReadFile %d [%.*s]\n", rok, (int)rn, rb);
    rok = ConnectNamedPipe(s, NULL);
    printf("ConnectNamedPipe afterwards: %d error %lu\n", rok, GetLastError());
    CloseHandle(c);
    CloseHandle(s);

    HANDLE r, w;
    CreatePipe(&r, &w, NULL, 0);
    DWORD n = 0, avail = 7, got = 0;
    PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL);
    printf("anonymous: available %lu\n", avail);
    WriteFile(w, "peekaboo", 8, &n, NULL);
    char buf[16] = "";
    BOOL ok = PeekNamedPipe(r, buf, 4, &got, &avail, NULL);
    printf("anonymous: peek %d read %lu [%.*s] available %lu\n", ok, got, (int)got, buf, avail);
    ReadFile(r, buf, sizeof buf, &n, NULL);
    printf("anonymous: then ReadFile %lu [%.*s]\n", n, (int)n, buf);
    DWORD flags = 9, maxi = 0;
    ok = GetNamedPipeInfo(r, &flags, NULL, NULL, &maxi);
    printf("anonymous: GetNamedPipeInfo %d flags %lu max instances %lu\n", ok, flags, maxi);
    CloseHandle(w);
    ok = PeekNamedPipe(r, NULL, 0, NULL, &avail, NULL);
    printf("anonymous: peek after the writer closed: %d error %lu\n", ok, GetLastError());
    CloseHandle(r);
    return 0;
}
