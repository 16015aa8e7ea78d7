/* ntdll!NtCreateNamedPipeFile and the named-pipe file system, as recent Rust std uses them for
 * a child's stdio (library/std/src/sys/pal/windows/pipe.rs, anon_pipe):
 *  - NtOpenFile of \??\PIPE\ (the root directory of the pipe file system);
 *  - NtCreateNamedPipeFile with that handle as RootDirectory and an empty name: an anonymous
 *    pipe (overlapped server end, FILE_CREATE, byte stream, one instance, 64 KiB quotas);
 *  - NtOpenFile with the server's handle as RootDirectory and an empty name: its client end
 *    (synchronous, inheritable); a second one: STATUS_PIPE_NOT_AVAILABLE; a name under the
 *    pipe's handle: STATUS_OBJECT_NAME_INVALID;
 *  - data both ways (overlapped reads and writes with an event on the server end), the
 *    direction the sharing gives (a client that asks for the other one: STATUS_ACCESS_DENIED),
 *    ERROR_BROKEN_PIPE once the other end has gone, GetFileType FILE_TYPE_PIPE;
 *  - a child process whose standard output is such a client end (CreateProcess, inherited):
 *    the parent reads what it prints, then ERROR_BROKEN_PIPE;
 *  - named pipes by NtCreateNamedPipeFile: a full name (\??\pipe\NAME) in message mode (a short
 *    read gives STATUS_BUFFER_OVERFLOW / ERROR_MORE_DATA), FILE_CREATE of an existing name:
 *    STATUS_ACCESS_DENIED, FILE_OPEN: a new instance (Information FILE_OPENED), beyond the
 *    maximum: STATUS_INSTANCE_NOT_AVAILABLE, FILE_OPEN of no such name:
 *    STATUS_OBJECT_NAME_NOT_FOUND; a name relative to the \??\PIPE\ handle, opened by
 *    CreateFile(\\.\pipe\NAME); GetNamedPipeInfo of each;
 *  - bad arguments: FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE, sharing 0, no
 *    instances, message reads of a byte pipe, both FILE_SYNCHRONOUS_IO_* flags:
 *    STATUS_INVALID_PARAMETER; FILE_OPEN of an empty name (an anonymous pipe exists only once
 *    made): STATUS_OBJECT_NAME_NOT_FOUND; the bare \Device\NamedPipe\ as a pipe name, an empty
 *    name under the device (\Device\NamedPipe without the backslash): STATUS_OBJECT_NAME_INVALID;
 *    bad pointers: STATUS_ACCESS_VIOLATION;
 *  - the same anonymous pipe made by raw `syscall`s with Windows 10 numbers (NtOpenFile 0x33,
 *    NtCreateNamedPipeFile 0xb5: fourteen arguments, ten on the stack).
 *
 * Where Windows' answers come from: Wine's dlls/ntdll/tests/pipe.c, which runs on Windows
 * (ok() lines: FILE_OVERWRITE(_IF) and sharing 0 invalid, FILE_CREATE of an existing pipe
 * denied, the anonymous pipe and its client, a second client, a name under a pipe, the device
 * and the bare \Device\NamedPipe\ names, ReadFile of the directory); ReactOS's NPFS, a
 * re-implementation of Windows' named-pipe file system (a timeout must be given and negative,
 * at least one instance, FILE_OPEN of a new name, FILE_CREATED / FILE_OPENED, the checks on a
 * new instance in Windows' order); IoCreateFile's documented checks (dispositions other than
 * FILE_CREATE, FILE_OPEN, FILE_OPEN_IF; both synchronous flags; the IO_STATUS_BLOCK probed).
 *
 * Wine 8.0 (WINEDEBUG=-all wine64) differs from that, where its own tests say todo_wine or
 * where later Wine fixed it: it leaves the IO_STATUS_BLOCK of NtCreateNamedPipeFile unwritten
 * (0xcc: the "create: iosb" lines and "information 3435973836"), lets FILE_CREATE make a
 * second instance of an existing pipe (then the FILE_OPEN one finds no instance free), makes a
 * pipe for FILE_OPEN of a name that does not exist, fails a name relative to the \??\PIPE\
 * handle (STATUS_OBJECT_NAME_INVALID), skips the argument checks for an anonymous pipe
 * (FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE, no instances, both synchronous flags,
 * a timeout of 0, a bad IO_STATUS_BLOCK, FILE_OPEN and the device: all succeed), answers
 * STATUS_OBJECT_TYPE_MISMATCH for the bare \Device\NamedPipe\ and ERROR_INVALID_HANDLE for
 * ReadFile of the directory. The raw-syscall part cannot run there (a `syscall` goes to Linux;
 * the program sees Wine and prints "skipped"). Everything else is the same. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#define FILE_PIPE_BYTE_STREAM_TYPE 0
#define FILE_PIPE_MESSAGE_TYPE 1
#define FILE_PIPE_BYTE_STREAM_MODE 0
#define FILE_PIPE_MESSAGE_MODE 1
#define FILE_PIPE_QUEUE_OPERATION 0
#ifndef FILE_CREATE
#define FILE_SUPERSEDE 0
#define FILE_OPEN 1
#define FILE_CREATE 2
#define FILE_OPEN_IF 3
#define FILE_OVERWRITE 4
#define FILE_OVERWRITE_IF 5
#endif
#ifndef FILE_SYNCHRONOUS_IO_NONALERT
#define FILE_SYNCHRONOUS_IO_ALERT 0x10
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#endif

typedef NTSTATUS(NTAPI *create_pipe_fn)(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                        ULONG, ULONG, ULONG, ULONG, ULONG, ULONG, ULONG, ULONG,
                                        ULONG, LARGE_INTEGER *);
typedef NTSTATUS(NTAPI *open_file_fn)(HANDLE *, ULONG, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                      ULONG, ULONG);
static create_pipe_fn pNtCreateNamedPipeFile;
static open_file_fn pNtOpenFile;

/* Raw system calls with Windows 10 22H2 numbers (the body of ntdll's stubs). */
#define SYSCALL_STUB(name, number)                                                            \
    __asm__(".text\n.p2align 4\n.globl " #name "\n" #name ":\n"                                \
            "    mov %rcx, %r10\n    mov $" #number ", %eax\n    syscall\n    ret\n")
SYSCALL_STUB(raw_nt_open_file, 0x33);
SYSCALL_STUB(raw_nt_create_named_pipe_file, 0xb5);
extern char raw_nt_open_file[], raw_nt_create_named_pipe_file[];

static void init_attr(OBJECT_ATTRIBUTES *a, UNICODE_STRING *name, HANDLE root, const WCHAR *s)
{
    name->Buffer = (WCHAR *)s;
    name->Length = name->MaximumLength = s ? (USHORT)(wcslen(s) * 2) : 0;
    memset(a, 0, sizeof *a);
    a->Length = sizeof *a;
    a->RootDirectory = root;
    a->ObjectName = name;
    a->Attributes = OBJ_CASE_INSENSITIVE;
}

static NTSTATUS open_dir(open_file_fn open, const WCHAR *path, HANDLE *out)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING n;
    IO_STATUS_BLOCK io;
    init_attr(&a, &n, NULL, path);
    *out = NULL;
    return open(out, SYNCHRONIZE | GENERIC_READ, &a, &io, FILE_SHARE_READ | FILE_SHARE_WRITE,
                FILE_SYNCHRONOUS_IO_NONALERT);
}

/* Rust's anon_pipe: the server end (ours) overlapped, the client end (theirs) synchronous. */
static NTSTATUS anon_pipe(create_pipe_fn create, open_file_fn open, HANDLE dir, BOOL ours_readable,
                          BOOL inherit, HANDLE *ours, HANDLE *theirs, NTSTATUS *open_status)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING empty;
    IO_STATUS_BLOCK io;
    LARGE_INTEGER timeout = {.QuadPart = -50 * 10000};
    init_attr(&a, &empty, dir, NULL);
    *ours = *theirs = NULL;
    memset(&io, 0xcc, sizeof io);
    NTSTATUS st = create(ours, SYNCHRONIZE | (ours_readable ? GENERIC_READ : GENERIC_WRITE), &a,
                         &io, ours_readable ? FILE_SHARE_WRITE : FILE_SHARE_READ, FILE_CREATE, 0,
                         FILE_PIPE_BYTE_STREAM_TYPE, FILE_PIPE_BYTE_STREAM_MODE,
                         FILE_PIPE_QUEUE_OPERATION, 1, 65536, 65536, &timeout);
    if (st)
        return st;
    if (io.Status != 0 || io.Information != 2 /* FILE_CREATED */)
        printf("  create: iosb %08lx %lu\n", (unsigned long)io.Status,
               (unsigned long)io.Information);
    a.RootDirectory = *ours;
    if (inherit)
        a.Attributes |= OBJ_INHERIT;
    *open_status = open(theirs,
                        SYNCHRONIZE | (ours_readable ? GENERIC_WRITE | FILE_READ_ATTRIBUTES
                                                     : GENERIC_READ),
                        &a, &io, 0, FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    return st;
}

/* An overlapped read of the server end, waited for. */
static BOOL read_ours(HANDLE h, char *buf, DWORD size, DWORD *got)
{
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    BOOL ok = ReadFile(h, buf, size, NULL, &ov);
    if (!ok && GetLastError() == ERROR_IO_PENDING)
        ok = GetOverlappedResult(h, &ov, got, TRUE);
    else if (ok)
        ok = GetOverlappedResult(h, &ov, got, FALSE);
    DWORD err = GetLastError();
    CloseHandle(ov.hEvent);
    SetLastError(err);
    return ok;
}

static void show_info(const char *what, HANDLE h)
{
    DWORD flags = 0, out = 0, in = 0, max = 0;
    BOOL ok = GetNamedPipeInfo(h, &flags, &out, &in, &max);
    printf("  %s info: %d flags %lx max %lu\n", what, ok, (unsigned long)flags,
           (unsigned long)max);
}

static int child(void)
{
    printf("hello from the child\n");
    fflush(stdout);
    return 0;
}

static void child_test(HANDLE dir)
{
    HANDLE ours, theirs;
    NTSTATUS ost;
    NTSTATUS st = anon_pipe(pNtCreateNamedPipeFile, pNtOpenFile, dir, TRUE, TRUE, &ours, &theirs,
                            &ost);
    printf("child pipe: %08lx %08lx\n", (unsigned long)st, (unsigned long)ost);
    char exe[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    snprintf(cmd, sizeof cmd, "\"%s\" child", exe);
    STARTUPINFOA si = {.cb = sizeof si, .dwFlags = STARTF_USESTDHANDLES};
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = theirs;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION pi;
    BOOL ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    printf("child started: %d\n", ok);
    CloseHandle(theirs);
    char buf[256];
    size_t total = 0;
    DWORD got = 0;
    while (total < sizeof buf - 1 && read_ours(ours, buf + total, sizeof buf - 1 - total, &got))
        total += got;
    DWORD err = GetLastError();
    buf[total] = 0;
    for (char *p = buf; *p; p++)
        if (*p == '\r')
            *p = '|';
    printf("from the child: \"%s\" then error %lu\n", strtok(buf, "\n"), (unsigned long)err);
    if (ok) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        DWORD code = 1;
        GetExitCodeProcess(pi.hProcess, &code);
        printf("child exit code %lu\n", (unsigned long)code);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    CloseHandle(ours);
}

static void named_tests(HANDLE dir)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING n;
    IO_STATUS_BLOCK io;
    LARGE_INTEGER timeout = {.QuadPart = -50 * 10000};
    HANDLE s1 = NULL, s2 = NULL, s3 = NULL;
    const ULONG share = FILE_SHARE_READ | FILE_SHARE_WRITE;
    const ULONG rw = GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE;

    init_attr(&a, &n, NULL, L"\\??\\pipe\\ntrun_ntcreate_msg");
    memset(&io, 0xcc, sizeof io);
    NTSTATUS st = pNtCreateNamedPipeFile(&s1, rw, &a, &io, share, FILE_CREATE,
                                         FILE_SYNCHRONOUS_IO_NONALERT, FILE_PIPE_MESSAGE_TYPE,
                                         FILE_PIPE_MESSAGE_MODE, FILE_PIPE_QUEUE_OPERATION, 2,
                                         4096, 4096, &timeout);
    printf("named, message: %08lx information %lu\n", (unsigned long)st,
           (unsigned long)io.Information);
    show_info("server", s1);
    st = pNtCreateNamedPipeFile(&s2, rw, &a, &io, share, FILE_CREATE,
                                FILE_SYNCHRONOUS_IO_NONALERT, FILE_PIPE_MESSAGE_TYPE,
                                FILE_PIPE_MESSAGE_MODE, FILE_PIPE_QUEUE_OPERATION, 2, 4096, 4096,
                                &timeout);
    printf("FILE_CREATE again: %08lx\n", (unsigned long)st);
    memset(&io, 0xcc, sizeof io);
    st = pNtCreateNamedPipeFile(&s2, rw, &a, &io, share, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT,
                                FILE_PIPE_MESSAGE_TYPE, FILE_PIPE_MESSAGE_MODE,
                                FILE_PIPE_QUEUE_OPERATION, 2, 4096, 4096, &timeout);
    printf("FILE_OPEN, a second instance: %08lx information %lu\n", (unsigned long)st,
           (unsigned long)io.Information);
    st = pNtCreateNamedPipeFile(&s3, rw, &a, &io, share, FILE_OPEN_IF,
                                FILE_SYNCHRONOUS_IO_NONALERT, FILE_PIPE_MESSAGE_TYPE,
                                FILE_PIPE_MESSAGE_MODE, FILE_PIPE_QUEUE_OPERATION, 2, 4096, 4096,
                                &timeout);
    printf("a third instance: %08lx\n", (unsigned long)st);

    HANDLE c = CreateFileA("\\\\.\\pipe\\ntrun_ntcreate_msg", GENERIC_READ | GENERIC_WRITE, 0,
                           NULL, OPEN_EXISTING, 0, NULL);
    printf("client: %s\n", c != INVALID_HANDLE_VALUE ? "ok" : "failed");
    DWORD mode = PIPE_READMODE_MESSAGE, done = 0;
    SetNamedPipeHandleState(c, &mode, NULL, NULL);
    WriteFile(c, "first message", 13, &done, NULL);
    WriteFile(c, "second", 6, &done, NULL);
    HANDLE srv = s1;
    char buf[64] = {0};
    DWORD got = 0;
    BOOL ok = ReadFile(srv, buf, 5, &got, NULL);
    DWORD err = GetLastError();
    if (!ok && err != ERROR_MORE_DATA) { /* the client connected the other instance */
        srv = s2;
        ok = ReadFile(srv, buf, 5, &got, NULL);
        err = GetLastError();
    }
    printf("short read: %d error %lu \"%.*s\"\n", ok, (unsigned long)(ok ? 0 : err), (int)got, buf);
    ok = ReadFile(srv, buf, sizeof buf, &got, NULL);
    printf("rest: %d \"%.*s\"\n", ok, (int)got, buf);
    ok = ReadFile(srv, buf, sizeof buf, &got, NULL);
    printf("next message: %d \"%.*s\"\n", ok, (int)got, buf);
    CloseHandle(c);
    CloseHandle(s1);
    if (s2)
        CloseHandle(s2);

    init_attr(&a, &n, NULL, L"\\??\\pipe\\ntrun_ntcreate_none");
    HANDLE h = NULL;
    st = pNtCreateNamedPipeFile(&h, rw, &a, &io, share, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT,
                                0, 0, 0, 1, 4096, 4096, &timeout);
    printf("FILE_OPEN of no such pipe: %08lx\n", (unsigned long)st);

    /* a name relative to \??\PIPE\, opened by its full name */
    init_attr(&a, &n, dir, L"ntrun_ntcreate_rel");
    st = pNtCreateNamedPipeFile(&h, GENERIC_READ | SYNCHRONIZE, &a, &io, FILE_SHARE_WRITE,
                                FILE_CREATE, FILE_SYNCHRONOUS_IO_NONALERT, 0, 0, 0, 1, 4096, 4096,
                                &timeout);
    printf("relative name: %08lx\n", (unsigned long)st);
    show_info("relative", h);
    c = CreateFileA("\\\\.\\pipe\\ntrun_ntcreate_rel", GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
                    NULL);
    printf("its client: %s\n", c != INVALID_HANDLE_VALUE ? "ok" : "failed");
    ok = WriteFile(c, "byte pipe", 9, &done, NULL);
    memset(buf, 0, sizeof buf);
    ok = ok && ReadFile(h, buf, sizeof buf, &got, NULL);
    printf("through it: %d \"%.*s\"\n", ok, (int)got, buf);
    CloseHandle(c);
    CloseHandle(h);
}

static void bad_args(HANDLE dir)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING n;
    IO_STATUS_BLOCK io;
    LARGE_INTEGER timeout = {.QuadPart = -50 * 10000};
    HANDLE h;
    const ULONG share = FILE_SHARE_READ | FILE_SHARE_WRITE;
    const ULONG acc = GENERIC_READ | SYNCHRONIZE;
    const ULONG sync = FILE_SYNCHRONOUS_IO_NONALERT;
    static const struct {
        const char *what;
        ULONG share, disposition, options, type, read_mode, max;
    } cases[] = {
        {"FILE_OVERWRITE", 3, FILE_OVERWRITE, 0x20, 0, 0, 1},
        {"FILE_OVERWRITE_IF", 3, FILE_OVERWRITE_IF, 0x20, 0, 0, 1},
        {"FILE_SUPERSEDE", 3, FILE_SUPERSEDE, 0x20, 0, 0, 1},
        {"sharing 0", 0, FILE_CREATE, 0x20, 0, 0, 1},
        {"no instances", 3, FILE_CREATE, 0x20, 0, 0, 0},
        {"message reads of a byte pipe", 3, FILE_CREATE, 0x20, 0, 1, 1},
        {"both synchronous flags", 3, FILE_CREATE, 0x30, 0, 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        init_attr(&a, &n, dir, NULL);
        h = NULL;
        NTSTATUS st = pNtCreateNamedPipeFile(&h, acc, &a, &io, cases[i].share,
                                             cases[i].disposition, cases[i].options,
                                             cases[i].type, cases[i].read_mode, 0, cases[i].max,
                                             4096, 4096, &timeout);
        printf("%s: %08lx\n", cases[i].what, (unsigned long)st);
        if (!st)
            CloseHandle(h);
    }
    LARGE_INTEGER zero = {.QuadPart = 0};
    init_attr(&a, &n, dir, NULL);
    NTSTATUS st = pNtCreateNamedPipeFile(&h, acc, &a, &io, share, FILE_CREATE, sync, 0, 0, 0, 1,
                                         4096, 4096, &zero);
    printf("a timeout of 0: %08lx\n", (unsigned long)st);
    if (!st)
        CloseHandle(h);
    st = pNtCreateNamedPipeFile(&h, acc, &a, &io, share | FILE_SHARE_DELETE, FILE_CREATE, sync,
                                0, 0, 0, 1, 4096, 4096, &timeout);
    printf("FILE_SHARE_DELETE: %08lx\n", (unsigned long)st);
    if (!st)
        CloseHandle(h);
    init_attr(&a, &n, NULL, L"\\Device\\NamedPipe\\");
    h = NULL;
    st = pNtCreateNamedPipeFile(&h, acc, &a, &io, share, FILE_CREATE, sync, 0, 0, 0, 1, 4096, 4096,
                                &timeout);
    printf("the bare \\Device\\NamedPipe\\ as a name: %08lx\n", (unsigned long)st);
    init_attr(&a, &n, NULL, NULL);
    a.ObjectName = (UNICODE_STRING *)(ULONG_PTR)0x10;
    st = pNtCreateNamedPipeFile(&h, acc, &a, &io, share, FILE_CREATE, sync, 0, 0, 0, 1, 4096,
                                4096, &timeout);
    printf("a bad name pointer: %08lx\n", (unsigned long)st);
    init_attr(&a, &n, dir, NULL);
    st = pNtCreateNamedPipeFile(&h, acc, &a, (IO_STATUS_BLOCK *)(ULONG_PTR)0x10, share,
                                FILE_CREATE, sync, 0, 0, 0, 1, 4096, 4096, &timeout);
    printf("a bad IO_STATUS_BLOCK: %08lx\n", (unsigned long)st);
}

/* What Wine 8.0 does differently (see the header). */
static void windows_only(HANDLE dir)
{
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING n;
    IO_STATUS_BLOCK io;
    LARGE_INTEGER timeout = {.QuadPart = -50 * 10000};
    HANDLE h = NULL, dev = NULL;
    char buf[8];
    DWORD got;
    BOOL ok = ReadFile(dir, buf, sizeof buf, &got, NULL);
    printf("ReadFile of \\??\\PIPE\\: %d error %lu\n", ok, (unsigned long)GetLastError());
    init_attr(&a, &n, dir, NULL);
    NTSTATUS st = pNtCreateNamedPipeFile(&h, GENERIC_READ | SYNCHRONIZE, &a, &io,
                                         FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                                         FILE_SYNCHRONOUS_IO_NONALERT, 0, 0, 0, 1, 4096, 4096,
                                         &timeout);
    printf("FILE_OPEN of an empty name: %08lx\n", (unsigned long)st);
    st = open_dir(pNtOpenFile, L"\\Device\\NamedPipe", &dev);
    printf("open \\Device\\NamedPipe: %08lx\n", (unsigned long)st);
    init_attr(&a, &n, dev, NULL);
    st = pNtCreateNamedPipeFile(&h, GENERIC_READ | SYNCHRONIZE, &a, &io,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_CREATE,
                                FILE_SYNCHRONOUS_IO_NONALERT, 0, 0, 0, 1, 4096, 4096, &timeout);
    printf("an empty name under the device: %08lx\n", (unsigned long)st);
    CloseHandle(dev);

    HANDLE ours, theirs, dir2;
    NTSTATUS ost = 0;
    if (GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version")) {
        printf("raw syscalls: skipped under Wine\n");
        return;
    }
    st = open_dir((open_file_fn)(void *)raw_nt_open_file, L"\\??\\PIPE\\", &dir2);
    printf("raw NtOpenFile: %08lx\n", (unsigned long)st);
    st = anon_pipe((create_pipe_fn)(void *)raw_nt_create_named_pipe_file,
                   (open_file_fn)(void *)raw_nt_open_file, dir2, FALSE, FALSE, &ours, &theirs,
                   &ost);
    printf("raw NtCreateNamedPipeFile: %08lx, client %08lx\n", (unsigned long)st,
           (unsigned long)ost);
    DWORD done = 0;
    char rb[16] = {0};
    ok = WriteFile(ours, "raw", 3, &done, NULL) && ReadFile(theirs, rb, sizeof rb, &got, NULL);
    printf("through it: %d \"%.*s\"\n", ok, (int)got, rb);
    CloseHandle(ours);
    CloseHandle(theirs);
    CloseHandle(dir2);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child();
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    pNtCreateNamedPipeFile = (create_pipe_fn)(void *)GetProcAddress(ntdll, "NtCreateNamedPipeFile");
    pNtOpenFile = (open_file_fn)(void *)GetProcAddress(ntdll, "NtOpenFile");
    if (!pNtCreateNamedPipeFile || !pNtOpenFile) {
        printf("no NtCreateNamedPipeFile\n");
        return 1;
    }
    HANDLE dir;
    NTSTATUS st = open_dir(pNtOpenFile, L"\\??\\PIPE\\", &dir);
    printf("open \\??\\PIPE\\: %08lx\n", (unsigned long)st);

    /* ours readable: the child's stdout pattern */
    HANDLE ours, theirs, more = NULL;
    NTSTATUS ost;
    st = anon_pipe(pNtCreateNamedPipeFile, pNtOpenFile, dir, TRUE, FALSE, &ours, &theirs, &ost);
    printf("anonymous pipe, ours readable: %08lx, client %08lx\n", (unsigned long)st,
           (unsigned long)ost);
    printf("  file types %lu %lu\n", (unsigned long)GetFileType(ours),
           (unsigned long)GetFileType(theirs));
    show_info("server", ours);
    OBJECT_ATTRIBUTES a;
    UNICODE_STRING n;
    IO_STATUS_BLOCK io;
    init_attr(&a, &n, ours, NULL);
    st = pNtOpenFile(&more, GENERIC_WRITE | SYNCHRONIZE, &a, &io, 0, FILE_SYNCHRONOUS_IO_NONALERT);
    printf("a second client: %08lx\n", (unsigned long)st);
    init_attr(&a, &n, ours, L"a");
    st = pNtOpenFile(&more, GENERIC_WRITE | SYNCHRONIZE, &a, &io, 0, FILE_SYNCHRONOUS_IO_NONALERT);
    printf("a name under the pipe: %08lx\n", (unsigned long)st);
    DWORD done = 0, got = 0;
    BOOL ok = WriteFile(theirs, "hello, pipe", 11, &done, NULL);
    printf("client writes: %d %lu\n", ok, (unsigned long)done);
    char buf[64] = {0};
    ok = read_ours(ours, buf, sizeof buf, &got);
    printf("server reads: %d \"%.*s\"\n", ok, (int)got, buf);
    CloseHandle(theirs);
    ok = read_ours(ours, buf, sizeof buf, &got);
    printf("after the client has gone: %d error %lu\n", ok, (unsigned long)GetLastError());
    CloseHandle(ours);

    /* ours writable: the child's stdin pattern */
    st = anon_pipe(pNtCreateNamedPipeFile, pNtOpenFile, dir, FALSE, FALSE, &ours, &theirs, &ost);
    printf("anonymous pipe, ours writable: %08lx, client %08lx\n", (unsigned long)st,
           (unsigned long)ost);
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok = WriteFile(ours, "to the child", 12, NULL, &ov) ||
         GetLastError() == ERROR_IO_PENDING;
    ok = ok && GetOverlappedResult(ours, &ov, &done, TRUE);
    CloseHandle(ov.hEvent);
    printf("server writes: %d %lu\n", ok, (unsigned long)done);
    memset(buf, 0, sizeof buf);
    ok = ReadFile(theirs, buf, sizeof buf, &got, NULL);
    printf("client reads: %d \"%.*s\"\n", ok, (int)got, buf);
    init_attr(&a, &n, ours, NULL);
    CloseHandle(theirs);
    CloseHandle(ours);

    /* a client asking for the direction the sharing does not give */
    LARGE_INTEGER timeout = {.QuadPart = -50 * 10000};
    init_attr(&a, &n, dir, NULL);
    st = pNtCreateNamedPipeFile(&ours, GENERIC_READ | SYNCHRONIZE, &a, &io, FILE_SHARE_WRITE,
                                FILE_CREATE, 0, 0, 0, 0, 1, 4096, 4096, &timeout);
    init_attr(&a, &n, ours, NULL);
    st = pNtOpenFile(&theirs, GENERIC_READ | SYNCHRONIZE, &a, &io, 0,
                     FILE_SYNCHRONOUS_IO_NONALERT);
    printf("a reading client of an inbound pipe: %08lx\n", (unsigned long)st);
    if (!st)
        CloseHandle(theirs);
    CloseHandle(ours);

    child_test(dir);
    named_tests(dir);
    bad_args(dir);
    windows_only(dir);
    CloseHandle(dir);
    return 0;
}
