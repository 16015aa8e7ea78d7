/* Directory change notifications: ReadDirectoryChangesW on a FILE_FLAG_OVERLAPPED directory
 * handle with an event and GetOverlappedResult, with a completion routine, with a completion
 * port, and synchronously; the records (FILE_ACTION_ADDED/REMOVED/MODIFIED/RENAMED_*, names
 * relative to the watched directory, a subtree including a directory made after the watch
 * began, a move between directories as REMOVED + ADDED, a directory moved in from outside
 * reported alone and then watched), the notify filter, changes kept
 * between requests, changes that do not fit (STATUS_NOTIFY_ENUM_DIR: success with 0 bytes, or
 * ERROR_NOTIFY_ENUM_DIR to a completion routine), CancelIoEx (ERROR_OPERATION_ABORTED),
 * closing the handle (STATUS_NOTIFY_CLEANUP), the watched directory removed
 * (STATUS_DELETE_PENDING: ERROR_ACCESS_DENIED), the handle's access and type checks,
 * ReadDirectoryChangesExW's extended records, and FindFirst/Next/CloseChangeNotification.
 *
 * When a request ends (and how many MODIFIED records a write gives) is up to the system, so
 * the program collects records over as many requests as it takes until a "fence" change it
 * makes last is seen, and prints them with repeated MODIFIED records folded into one.
 *
 * Wine 8.0 differs (6 December 2026): it takes a request on a handle without FILE_LIST_DIRECTORY,
 * answers ERROR_INVALID_HANDLE for a file (Windows' file systems: ERROR_INVALID_PARAMETER) and
 * ERROR_INVALID_PARAMETER for a misaligned buffer (Windows: ERROR_NOACCESS, documented), does
 * not align NextEntryOffset, reports a new empty file as ADDED and MODIFIED, a move between two
 * directories as a rename (NTFS and FAT: REMOVED + ADDED), fails GetOverlappedResult for
 * STATUS_NOTIFY_ENUM_DIR (a success status), ends a request at close with STATUS_HANDLES_CLOSED
 * (Windows: STATUS_NOTIFY_CLEANUP), has no ReadDirectoryChangesExW, answers ERROR_FILE_NOT_FOUND
 * to FindFirstChangeNotification on a file (Windows opens it with FILE_DIRECTORY_FILE:
 * ERROR_DIRECTORY), does not see a directory made two levels down or a file made in a directory
 * moved into the tree, and does not end a request when the watched directory is removed. ntdll's
 * NtNotifyChangeDirectoryFile is called with an NT APC routine too. */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define WAIT_MS 10000

static WCHAR root[MAX_PATH];

static const char *action_name(DWORD a)
{
    switch (a) {
    case FILE_ACTION_ADDED: return "ADDED";
    case FILE_ACTION_REMOVED: return "REMOVED";
    case FILE_ACTION_MODIFIED: return "MODIFIED";
    case FILE_ACTION_RENAMED_OLD_NAME: return "RENAMED_OLD_NAME";
    case FILE_ACTION_RENAMED_NEW_NAME: return "RENAMED_NEW_NAME";
    default: return "?";
    }
}

static void path_of(WCHAR *out, const WCHAR *rel)
{
    swprintf(out, MAX_PATH, L"%ls\\%ls", root, rel);
}

static void make_file(const WCHAR *rel, const char *data)
{
    WCHAR p[MAX_PATH];
    path_of(p, rel);
    HANDLE h = CreateFileW(p, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    if (data)
        WriteFile(h, data, (DWORD)strlen(data), &n, NULL);
    CloseHandle(h);
}

static void make_dir(const WCHAR *rel)
{
    WCHAR p[MAX_PATH];
    path_of(p, rel);
    CreateDirectoryW(p, NULL);
}

static void remove_file(const WCHAR *rel)
{
    WCHAR p[MAX_PATH];
    path_of(p, rel);
    DeleteFileW(p);
}

static void move(const WCHAR *from, const WCHAR *to)
{
    WCHAR a[MAX_PATH], b[MAX_PATH];
    path_of(a, from);
    path_of(b, to);
    MoveFileW(a, b);
}

static HANDLE open_dir(const WCHAR *rel, DWORD flags)
{
    WCHAR p[MAX_PATH];
    path_of(p, rel);
    return CreateFileW(p, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | flags, NULL);
}

/* The records of one result as "ACTION name" lines into log (MODIFIED repeats folded); true
 * when `fence` was among them. */
static char logbuf[8192];
static char last_line[600];
static BOOL take_records(const BYTE *buf, DWORD n, const WCHAR *fence)
{
    BOOL seen = FALSE;
    for (DWORD off = 0; n && off < n;) {
        const FILE_NOTIFY_INFORMATION *fi = (const FILE_NOTIFY_INFORMATION *)(buf + off);
        char name[520];
        int len = WideCharToMultiByte(CP_UTF8, 0, fi->FileName, (int)(fi->FileNameLength / 2),
                                      name, sizeof name - 1, NULL, NULL);
        name[len] = 0;
        char line[600];
        snprintf(line, sizeof line, "  %s %s\n", action_name(fi->Action), name);
        if (!(fi->Action == FILE_ACTION_MODIFIED && strcmp(line, last_line) == 0))
            strncat(logbuf, line, sizeof logbuf - strlen(logbuf) - 1);
        strcpy(last_line, line);
        if (fi->FileNameLength == wcslen(fence) * 2 &&
            memcmp(fi->FileName, fence, fi->FileNameLength) == 0)
            seen = TRUE;
        if ((fi->NextEntryOffset & 3) != 0)
            printf("  misaligned NextEntryOffset %lu\n", fi->NextEntryOffset);
        if (!fi->NextEntryOffset)
            break;
        off += fi->NextEntryOffset;
    }
    return seen;
}

#define NOTIFY_ALL (FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME | \
                    FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE)

static DWORD __attribute__((aligned(8))) records[1024];

/* Issues an overlapped request with an event. */
static BOOL issue(HANDLE dir, OVERLAPPED *ov, DWORD len, BOOL subtree, DWORD filter)
{
    ResetEvent(ov->hEvent);
    return ReadDirectoryChangesW(dir, records, len, subtree, filter, NULL, ov, NULL);
}

/* Takes the results of the pending request, and issues more, until `fence` is reported;
 * prints what came. */
static void gather(const char *title, HANDLE dir, OVERLAPPED *ov, BOOL subtree, DWORD filter,
                   const WCHAR *fence)
{
    logbuf[0] = 0;
    last_line[0] = 0;
    for (int round = 0; round < 100; round++) {
        if (WaitForSingleObject(ov->hEvent, WAIT_MS) != WAIT_OBJECT_0) {
            printf("%s: no change reported\n", title);
            CancelIoEx(dir, ov);
            return;
        }
        DWORD n = 0;
        if (!GetOverlappedResult(dir, ov, &n, TRUE)) {
            printf("%s: GetOverlappedResult failed %lu\n", title, GetLastError());
            return;
        }
        if (take_records((BYTE *)records, n, fence))
            break;
        if (!issue(dir, ov, sizeof records, subtree, filter)) {
            printf("%s: ReadDirectoryChangesW failed %lu\n", title, GetLastError());
            return;
        }
    }
    printf("%s:\n%s", title, logbuf);
}

static int routine_calls;
static DWORD routine_err, routine_bytes;
static OVERLAPPED *routine_ov;
static VOID CALLBACK done_routine(DWORD err, DWORD bytes, OVERLAPPED *ov)
{
    routine_calls++;
    routine_err = err;
    routine_bytes = bytes;
    routine_ov = ov;
}

static volatile LONG stop_maker;
static DWORD WINAPI maker(void *arg)
{
    (void)arg;
    for (int i = 0; !stop_maker && i < 500; i++) {
        WCHAR name[32];
        swprintf(name, 32, L"sync%d.txt", i);
        make_file(name, NULL);
        Sleep(20);
    }
    return 0;
}

typedef NTSTATUS(NTAPI *notify_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, void *, IO_STATUS_BLOCK *,
                                   void *, ULONG, ULONG, BOOLEAN);
static int nt_apc_calls;
static void *nt_apc_ctx;
static IO_STATUS_BLOCK *nt_apc_iosb;
static void NTAPI nt_apc(void *ctx, IO_STATUS_BLOCK *iosb, ULONG reserved)
{
    (void)reserved;
    nt_apc_calls++;
    nt_apc_ctx = ctx;
    nt_apc_iosb = iosb;
}

typedef BOOL(WINAPI *rdcex_fn)(HANDLE, void *, DWORD, BOOL, DWORD, DWORD *, OVERLAPPED *,
                               LPOVERLAPPED_COMPLETION_ROUTINE, int);

int main(void)
{
    WCHAR tmp[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    swprintf(root, MAX_PATH, L"%lsdirnotify%lu", tmp, GetCurrentProcessId());
    CreateDirectoryW(root, NULL);

    /* the handle: a directory needs FILE_FLAG_BACKUP_SEMANTICS, and FILE_LIST_DIRECTORY */
    HANDLE h = CreateFileW(root, FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    printf("open without backup semantics: %d %lu\n", h != INVALID_HANDLE_VALUE, GetLastError());
    /* (overlapped, so that a system which took the request would not wait for a change) */
    OVERLAPPED ov = {0};
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    h = CreateFileW(root, FILE_READ_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                    OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, NULL);
    DWORD n = 0;
    BOOL ok = ReadDirectoryChangesW(h, records, sizeof records, FALSE, NOTIFY_ALL, NULL, &ov, NULL);
    printf("without FILE_LIST_DIRECTORY: %d %lu\n", ok, GetLastError());
    if (ok)
        CancelIoEx(h, &ov);
    CloseHandle(h);
    make_file(L"plain.txt", "x");
    WCHAR p[MAX_PATH];
    path_of(p, L"plain.txt");
    h = CreateFileW(p, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED,
                    NULL);
    ok = ReadDirectoryChangesW(h, records, sizeof records, FALSE, NOTIFY_ALL, NULL, &ov, NULL);
    printf("on a file: %d %lu\n", ok, GetLastError());
    if (ok)
        CancelIoEx(h, &ov);
    CloseHandle(h);
    remove_file(L"plain.txt");
    h = open_dir(L".", FILE_FLAG_OVERLAPPED);
    ok = ReadDirectoryChangesW(h, records, sizeof records, FALSE, 0, NULL, &ov, NULL);
    printf("filter 0: %d %lu\n", ok, GetLastError());
    ok = ReadDirectoryChangesW(h, (BYTE *)records + 2, 64, FALSE, NOTIFY_ALL, NULL, &ov, NULL);
    printf("misaligned buffer: %d %lu\n", ok, GetLastError());
    CloseHandle(h);

    /* overlapped with an event: a file made and written, renamed, its data changed */
    HANDLE dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    printf("open: %d\n", dir != INVALID_HANDLE_VALUE);
    /* the watch begins with the first request: this is not reported */
    make_file(L"before.txt", "early");
    ok = issue(dir, &ov, sizeof records, FALSE, NOTIFY_ALL);
    printf("first request: %d, pending %d\n", ok, ov.Internal == STATUS_PENDING);
    make_file(L"a.txt", "hello");
    make_dir(L"fence1");
    gather("create", dir, &ov, FALSE, NOTIFY_ALL, L"fence1");
    /* no request pending now: the changes are kept for the next */
    move(L"a.txt", L"b.txt");
    make_dir(L"fence2");
    issue(dir, &ov, sizeof records, FALSE, NOTIFY_ALL);
    gather("rename", dir, &ov, FALSE, NOTIFY_ALL, L"fence2");
    issue(dir, &ov, sizeof records, FALSE, NOTIFY_ALL);
    make_file(L"b.txt", "rewritten");
    remove_file(L"before.txt");
    make_dir(L"fence3");
    gather("rewrite and delete", dir, &ov, FALSE, NOTIFY_ALL, L"fence3");
    /* made with no request pending: all in the next result */
    make_file(L"kept1.txt", NULL);
    make_file(L"kept2.txt", NULL);
    issue(dir, &ov, sizeof records, FALSE, NOTIFY_ALL);
    WaitForSingleObject(ov.hEvent, WAIT_MS);
    ok = GetOverlappedResult(dir, &ov, &n, TRUE);
    logbuf[0] = 0;
    last_line[0] = 0;
    take_records((BYTE *)records, n, L"");
    printf("kept between requests: %d\n%s", ok, logbuf);
    CloseHandle(dir);

    /* a subtree: a directory made after the watch began, a move between directories; the filter
     * has names only (a directory's own time stamps change when its entries do) */
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    DWORD names = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME;
    /* (each new directory reported before anything is made in it: ntrun watches a new
     * directory once it has seen it made, and what is made and removed in it before that is
     * not reported, where Windows would) */
    issue(dir, &ov, sizeof records, TRUE, names);
    make_dir(L"sub");
    gather("subtree", dir, &ov, TRUE, names, L"sub");
    issue(dir, &ov, sizeof records, TRUE, names);
    make_file(L"sub\\c.txt", "c");
    make_dir(L"sub\\deeper");
    gather("subtree", dir, &ov, TRUE, names, L"sub\\deeper");
    issue(dir, &ov, sizeof records, TRUE, names);
    make_file(L"sub\\deeper\\d.txt", "d");
    move(L"b.txt", L"sub\\b.txt");
    move(L"sub\\c.txt", L"sub\\e.txt");
    remove_file(L"sub\\deeper\\d.txt");
    /* a directory moved in from outside the tree: it alone is reported, then watched */
    WCHAR out[MAX_PATH], outfile[MAX_PATH], moved[MAX_PATH];
    swprintf(out, MAX_PATH, L"%ls-out", root);
    swprintf(outfile, MAX_PATH, L"%ls-out\\x.txt", root);
    CreateDirectoryW(out, NULL);
    CloseHandle(CreateFileW(outfile, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL));
    path_of(moved, L"sub\\moved");
    MoveFileW(out, moved);
    make_file(L"fence4", NULL);
    gather("subtree", dir, &ov, TRUE, names, L"fence4");
    issue(dir, &ov, sizeof records, TRUE, names);
    make_file(L"sub\\moved\\y.txt", NULL);
    gather("subtree", dir, &ov, TRUE, names, L"sub\\moved\\y.txt");
    CloseHandle(dir);

    /* the filter: file names only; a write and a new directory are not reported */
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    issue(dir, &ov, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    make_file(L"kept1.txt", "more data");
    make_dir(L"newdir");
    make_file(L"fence5", NULL);
    gather("file names only", dir, &ov, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, L"fence5");
    CloseHandle(dir);

    /* more changes than the first request's buffer keeps: STATUS_NOTIFY_ENUM_DIR, 0 bytes, a
     * success for GetOverlappedResult */
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    ResetEvent(ov.hEvent);
    ReadDirectoryChangesW(dir, records, 64, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov, NULL);
    make_file(L"o.txt", NULL);
    WaitForSingleObject(ov.hEvent, WAIT_MS);
    GetOverlappedResult(dir, &ov, &n, TRUE);
    for (int i = 0; i < 20; i++) {
        WCHAR name[32];
        swprintf(name, 32, L"overflow%02d.txt", i);
        make_file(name, NULL);
    }
    ResetEvent(ov.hEvent);
    ok = ReadDirectoryChangesW(dir, records, 64, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov,
                               NULL);
    WaitForSingleObject(ov.hEvent, WAIT_MS);
    n = 12345;
    ok = GetOverlappedResult(dir, &ov, &n, TRUE);
    printf("overflow: %d bytes %lu status 0x%lx\n", ok, n, (unsigned long)ov.Internal);

    /* CancelIoEx: ERROR_OPERATION_ABORTED */
    ResetEvent(ov.hEvent);
    ok = ReadDirectoryChangesW(dir, records, 64, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov,
                               NULL);
    BOOL cancelled = CancelIoEx(dir, &ov);
    ok = GetOverlappedResult(dir, &ov, &n, TRUE);
    printf("CancelIoEx: %d, result %d %lu\n", cancelled, ok, GetLastError());
    ok = CancelIoEx(dir, &ov);
    printf("CancelIoEx again: %d %lu\n", ok, GetLastError());

    /* closing the handle ends its pending request: STATUS_NOTIFY_CLEANUP */
    ResetEvent(ov.hEvent);
    ok = ReadDirectoryChangesW(dir, records, 64, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov,
                               NULL);
    CloseHandle(dir);
    DWORD w = WaitForSingleObject(ov.hEvent, WAIT_MS);
    printf("closed: event %lu, status 0x%lx bytes %lu\n", w, (unsigned long)ov.Internal,
           (unsigned long)ov.InternalHigh);

    /* the watched directory removed: STATUS_DELETE_PENDING (ERROR_ACCESS_DENIED), also for
     * the next request */
    make_dir(L"victim");
    dir = open_dir(L"victim", FILE_FLAG_OVERLAPPED);
    issue(dir, &ov, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    path_of(p, L"victim");
    ok = RemoveDirectoryW(p);
    w = WaitForSingleObject(ov.hEvent, WAIT_MS);
    if (w != WAIT_OBJECT_0) /* (a system that does not end it: no wait for ever) */
        CancelIoEx(dir, &ov);
    BOOL got_ok = GetOverlappedResult(dir, &ov, &n, TRUE);
    printf("watched directory removed: %d, event %lu, result %d %lu status 0x%lx", ok, w, got_ok,
           GetLastError(), (unsigned long)ov.Internal);
    ok = issue(dir, &ov, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    printf(", again %d %lu\n", ok, GetLastError());
    CloseHandle(dir);

    /* a completion routine (an APC run by an alertable wait) */
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    OVERLAPPED aov = {0};
    ok = ReadDirectoryChangesW(dir, records, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                               NULL, &aov, done_routine);
    printf("with a routine: %d, called %d\n", ok, routine_calls);
    make_file(L"apc.txt", NULL);
    DWORD se = SleepEx(WAIT_MS, TRUE);
    const FILE_NOTIFY_INFORMATION *fi = (const FILE_NOTIFY_INFORMATION *)records;
    printf("SleepEx: 0x%lx, called %d err %lu ours %d bytes>0 %d first %s %.*ls\n", se,
           routine_calls, routine_err, routine_ov == &aov, routine_bytes > 0,
           action_name(fi->Action), (int)(fi->FileNameLength / 2), fi->FileName);
    /* a buffer too small for one record: ERROR_NOTIFY_ENUM_DIR to the routine */
    CloseHandle(dir);
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    routine_calls = 0;
    ok = ReadDirectoryChangesW(dir, records, 8, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &aov,
                               done_routine);
    make_file(L"apc-too-long-for-the-buffer.txt", NULL);
    se = SleepEx(WAIT_MS, TRUE);
    printf("small buffer: 0x%lx, called %d err %lu bytes %lu\n", se, routine_calls, routine_err,
           routine_bytes);
    CloseHandle(dir);

    /* a completion port: key and OVERLAPPED in the packet */
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    HANDLE port = CreateIoCompletionPort(dir, NULL, 7, 0);
    OVERLAPPED pov = {0};
    ok = ReadDirectoryChangesW(dir, records, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                               NULL, &pov, NULL);
    remove_file(L"apc.txt");
    ULONG_PTR key = 0;
    OVERLAPPED *got = NULL;
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, WAIT_MS);
    printf("port: %d key %d ours %d bytes>0 %d first %s %.*ls\n", ok, (int)key, got == &pov,
           n > 0, action_name(fi->Action), (int)(fi->FileNameLength / 2), fi->FileName);
    ok = ReadDirectoryChangesW(dir, records, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                               NULL, &pov, NULL);
    CancelIoEx(dir, &pov);
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, WAIT_MS);
    printf("port cancelled: %d %lu key %d ours %d\n", ok, GetLastError(), (int)key, got == &pov);
    CloseHandle(dir);
    CloseHandle(port);

    /* synchronous, on a handle without FILE_FLAG_OVERLAPPED: waits for a change (another
     * thread makes files until it ends) */
    dir = open_dir(L".", 0);
    HANDLE t = CreateThread(NULL, 0, maker, NULL, 0, NULL);
    n = 0;
    ok = ReadDirectoryChangesW(dir, records, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME,
                               &n, NULL, NULL);
    InterlockedExchange(&stop_maker, 1);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    printf("synchronous: %d bytes>0 %d first %s %.4ls\n", ok, n > 0, action_name(fi->Action),
           fi->FileName);
    CloseHandle(dir);

    /* ntdll's NtNotifyChangeDirectoryFile with an NT APC: routine(context, status block, 0);
     * the status block is not written while the request pends */
    notify_fn notify = (notify_fn)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                 "NtNotifyChangeDirectoryFile");
    dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
    IO_STATUS_BLOCK iosb;
    memset(&iosb, 0xcc, sizeof iosb);
    NTSTATUS st = notify(dir, NULL, nt_apc, (void *)0x1234, &iosb, records, sizeof records,
                         FILE_NOTIFY_CHANGE_FILE_NAME, FALSE);
    printf("NtNotifyChangeDirectoryFile: 0x%lx, status block untouched %d\n", (unsigned long)st,
           iosb.Information == (ULONG_PTR)0xccccccccccccccccull);
    make_file(L"nt.txt", NULL);
    se = SleepEx(WAIT_MS, TRUE);
    printf("SleepEx: 0x%lx, called %d context %d block %d, 0x%lx bytes>0 %d first %s %.*ls\n", se,
           nt_apc_calls, nt_apc_ctx == (void *)0x1234, nt_apc_iosb == &iosb,
           (unsigned long)iosb.Status, iosb.Information > 0, action_name(fi->Action),
           (int)(fi->FileNameLength / 2), fi->FileName);
    memset(&iosb, 0xcc, sizeof iosb);
    st = notify(dir, NULL, NULL, NULL, &iosb, records, sizeof records, 0, FALSE);
    printf("filter 0: 0x%lx, status block untouched %d\n", (unsigned long)st,
           iosb.Information == (ULONG_PTR)0xccccccccccccccccull);
    CloseHandle(dir);

    /* extended records (ReadDirectoryChangesExW, ReadDirectoryNotifyExtendedInformation) */
    rdcex_fn rdcex = (rdcex_fn)GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                              "ReadDirectoryChangesExW");
    printf("ReadDirectoryChangesExW: %d\n", rdcex != NULL);
    if (rdcex) {
        dir = open_dir(L".", FILE_FLAG_OVERLAPPED);
        ResetEvent(ov.hEvent);
        ok = rdcex(dir, records, sizeof records, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME, NULL, &ov,
                   NULL, 2);
        make_dir(L"extdir");
        make_file(L"ext.txt", NULL);
        WaitForSingleObject(ov.hEvent, WAIT_MS);
        ok = GetOverlappedResult(dir, &ov, &n, TRUE);
        const BYTE *r = (const BYTE *)records;
        DWORD next = *(const DWORD *)r, action = *(const DWORD *)(r + 4);
        DWORD attrs = *(const DWORD *)(r + 0x38), nlen = *(const DWORD *)(r + 0x50);
        LONGLONG id = *(const LONGLONG *)(r + 0x40), parent = *(const LONGLONG *)(r + 0x48);
        printf("extended: %d next %lu %s %.*ls attributes 0x%lx id %d parent %d\n", ok, next,
               action_name(action), (int)(nlen / 2), (const WCHAR *)(r + 0x54),
               attrs & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_ARCHIVE), id != 0, parent != 0);
        CloseHandle(dir);
    }

    /* change notification handles */
    SetLastError(0);
    HANDLE cn = FindFirstChangeNotificationW(root, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    printf("FindFirstChangeNotificationW: %d, signalled %lu\n", cn != INVALID_HANDLE_VALUE,
           WaitForSingleObject(cn, 0));
    make_file(L"cn.txt", NULL);
    printf("after a change: %lu\n", WaitForSingleObject(cn, WAIT_MS));
    ok = FindNextChangeNotification(cn);
    printf("FindNextChangeNotification: %d, signalled %lu\n", ok, WaitForSingleObject(cn, 0));
    make_file(L"cn.txt", "data only");
    make_dir(L"cndir");
    remove_file(L"cn.txt");
    HANDLE both[2] = {ov.hEvent, cn};
    ResetEvent(ov.hEvent);
    printf("after a delete: %lu\n", WaitForMultipleObjects(2, both, FALSE, WAIT_MS));
    printf("FindCloseChangeNotification: %d\n", FindCloseChangeNotification(cn));
    ok = FindCloseChangeNotification(cn);
    printf("closed again: %d %lu\n", ok, GetLastError());
    path_of(p, L"missing");
    cn = FindFirstChangeNotificationW(p, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    printf("missing directory: %d %lu\n", cn == INVALID_HANDLE_VALUE, GetLastError());
    path_of(p, L"ext.txt");
    cn = FindFirstChangeNotificationW(p, FALSE, FILE_NOTIFY_CHANGE_FILE_NAME);
    printf("a file: %d %lu\n", cn == INVALID_HANDLE_VALUE, GetLastError());
    cn = FindFirstChangeNotificationW(root, FALSE, 0);
    printf("filter 0: %d %lu\n", cn == INVALID_HANDLE_VALUE, GetLastError());
    char rootA[MAX_PATH];
    WideCharToMultiByte(CP_ACP, 0, root, -1, rootA, sizeof rootA, NULL, NULL);
    cn = FindFirstChangeNotificationA(rootA, TRUE, FILE_NOTIFY_CHANGE_DIR_NAME);
    make_dir(L"sub\\deeper\\deepest");
    printf("FindFirstChangeNotificationA, subtree: %lu\n", WaitForSingleObject(cn, WAIT_MS));
    FindCloseChangeNotification(cn);

    /* tidy up */
    WIN32_FIND_DATAW fd;
    const WCHAR *dirs[] = {L"sub\\deeper\\deepest", L"sub\\deeper", L"sub\\moved", L"sub",
                           L"fence1", L"fence2", L"fence3", L"newdir", L"extdir", L"cndir"};
    const WCHAR *files[] = {L"sub\\b.txt", L"sub\\e.txt", L"sub\\moved\\x.txt",
                            L"sub\\moved\\y.txt"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        remove_file(files[i]);
    path_of(p, L"*");
    HANDLE fh = FindFirstFileW(p, &fd);
    if (fh != INVALID_HANDLE_VALUE) {
        do {
            if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
                remove_file(fd.cFileName);
        } while (FindNextFileW(fh, &fd));
        FindClose(fh);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        path_of(p, dirs[i]);
        RemoveDirectoryW(p);
    }
    printf("removed: %d\n", RemoveDirectoryW(root));
    return 0;
}
