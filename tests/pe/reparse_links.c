/* Symbolic links and junctions as reparse points. CreateSymbolicLinkW makes a file link ("lf",
 * relative) and a directory link ("ld", SYMBOLIC_LINK_FLAG_DIRECTORY); FSCTL_SET_REPARSE_POINT
 * with IO_REPARSE_TAG_MOUNT_POINT data makes an empty directory a junction ("lj"), as MKLINK /J
 * does. Then:
 * - GetFileAttributes gives the link's own attributes: FILE_ATTRIBUTE_REPARSE_POINT with
 *   ARCHIVE (file link) or DIRECTORY (directory link, junction); FindFirstFile too, with the
 *   reparse tag in dwReserved0;
 * - CreateFile with FILE_FLAG_OPEN_REPARSE_POINT opens the link: FSCTL_GET_REPARSE_POINT gives
 *   its REPARSE_DATA_BUFFER (tag, SYMLINK_FLAG_RELATIVE, SubstituteName, PrintName), and
 *   FileAttributeTagInformation its attributes and tag; without the flag the target is opened
 *   (its data, its attributes), and FSCTL_GET_REPARSE_POINT says ERROR_NOT_A_REPARSE_POINT;
 * - cmd's DIR lists them as <SYMLINK>, <SYMLINKD> and <JUNCTION> with their targets;
 * - DeleteFile removes a file link, RemoveDirectory a directory link or a junction, leaving
 *   the targets; DeleteFile on a directory link is ERROR_ACCESS_DENIED.
 * Absolute paths are printed with the test directory as "<dir>". */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#define TAG_SYMLINK 0xA000000Cu
#define TAG_MOUNT_POINT 0xA0000003u

static WCHAR base[MAX_PATH];
static char base_a[MAX_PATH];

static void path_of(WCHAR *out, const WCHAR *name)
{
    swprintf(out, MAX_PATH, L"%ls\\%ls", base, name);
}

/* A UTF-16 name, the test directory's path shown as <dir>. */
static void show_w(const WCHAR *w, size_t n)
{
    char a[2 * MAX_PATH];
    int k = WideCharToMultiByte(CP_UTF8, 0, w, (int)n, a, sizeof a - 1, NULL, NULL);
    a[k > 0 ? k : 0] = 0;
    const char *p = a;
    char *hit = strstr(a, base_a);
    if (hit) {
        printf("%.*s<dir>", (int)(hit - a), a);
        p = hit + strlen(base_a);
    }
    printf("%s", p);
}

static BOOL make_junction(const WCHAR *link, const WCHAR *target)
{
    if (!CreateDirectoryW(link, NULL))
        return FALSE;
    HANDLE h = CreateFileW(link, GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    BYTE buf[1024] = {0};
    size_t tn = wcslen(target);
    USHORT sl = (USHORT)((4 + tn) * 2), pl = (USHORT)(tn * 2);
    DWORD tag = TAG_MOUNT_POINT;
    USHORT hdr[6] = {(USHORT)(8 + sl + 2 + pl + 2), 0, 0, sl, (USHORT)(sl + 2), pl};
    memcpy(buf, &tag, 4);
    memcpy(buf + 4, hdr, sizeof hdr);
    memcpy(buf + 16, L"\\??\\", 8);
    memcpy(buf + 24, target, tn * 2);
    memcpy(buf + 16 + sl + 2, target, tn * 2);
    DWORD got;
    BOOL ok = DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, buf, 8 + hdr[0], NULL, 0, &got, NULL);
    if (!ok)
        printf("FSCTL_SET_REPARSE_POINT: error %lu\n", GetLastError());
    CloseHandle(h);
    return ok;
}

static void attributes(const WCHAR *name)
{
    WCHAR p[MAX_PATH];
    path_of(p, name);
    printf("%ls: attributes %#lx", name, GetFileAttributesW(p));
    WIN32_FIND_DATAW fd;
    HANDLE f = FindFirstFileW(p, &fd);
    if (f != INVALID_HANDLE_VALUE) {
        printf(", found %ls %#lx tag %#lx size %lu", fd.cFileName, fd.dwFileAttributes,
               fd.dwReserved0, fd.nFileSizeLow);
        FindClose(f);
    }
    printf("\n");
}

static void reparse_data(const WCHAR *name)
{
    WCHAR p[MAX_PATH];
    path_of(p, name);
    HANDLE h = CreateFileW(p, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                           NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("%ls: open error %lu\n", name, GetLastError());
        return;
    }
    FILE_ATTRIBUTE_TAG_INFO ti = {0};
    GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti, sizeof ti);
    printf("%ls: handle attributes %#lx tag %#lx\n", name, ti.FileAttributes, ti.ReparseTag);
    BYTE buf[16 * 1024];
    DWORD got = 0;
    BOOL ok = DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, buf, sizeof buf, &got, NULL);
    if (!ok) {
        printf("%ls: FSCTL_GET_REPARSE_POINT error %lu\n", name, GetLastError());
        CloseHandle(h);
        return;
    }
    DWORD tag;
    USHORT len, so, sn, po, pn;
    memcpy(&tag, buf, 4);
    memcpy(&len, buf + 4, 2);
    memcpy(&so, buf + 8, 2);
    memcpy(&sn, buf + 10, 2);
    memcpy(&po, buf + 12, 2);
    memcpy(&pn, buf + 14, 2);
    size_t names = tag == TAG_MOUNT_POINT ? 16 : 20;
    printf("%ls: tag %#lx, length %s", name, tag, got == 8u + len ? "right" : "wrong");
    if (tag == TAG_SYMLINK) {
        DWORD flags;
        memcpy(&flags, buf + 16, 4);
        printf(", flags %lu", flags);
    }
    printf(", substitute '");
    show_w((WCHAR *)(buf + names + so), sn / 2);
    printf("', print '");
    show_w((WCHAR *)(buf + names + po), pn / 2);
    printf("'\n");
    got = 0;
    ok = DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, buf, 4, &got, NULL);
    printf("%ls: into 4 bytes %d error %lu\n", name, ok, ok ? 0 : GetLastError());
    CloseHandle(h);
}

/* The target through the link: its data and attributes, and it is no reparse point. */
static void followed(const WCHAR *name)
{
    WCHAR p[MAX_PATH];
    path_of(p, name);
    HANDLE h = CreateFileW(p, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS, NULL);
    char data[32] = {0};
    DWORD got = 0;
    ReadFile(h, data, sizeof data - 1, &got, NULL);
    BY_HANDLE_FILE_INFORMATION bi = {0};
    GetFileInformationByHandle(h, &bi);
    BYTE buf[1024];
    BOOL ok = DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, buf, sizeof buf, &got, NULL);
    printf("%ls followed: '%s' attributes %#lx, FSCTL_GET_REPARSE_POINT %d error %lu\n", name,
           data, bi.dwFileAttributes, ok, ok ? 0 : GetLastError());
    CloseHandle(h);
}

/* cmd's DIR of the test directory: the lines of links, from the kind on. */
static void cmd_dir(void)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "cmd.exe /c dir \"%s\"", base_a);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = si.hStdError = w;
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("cmd: error %lu\n", GetLastError());
        return;
    }
    CloseHandle(w);
    static char out[16384];
    DWORD n, len = 0;
    while (len < sizeof out - 1 && ReadFile(r, out + len, sizeof out - 1 - len, &n, NULL) && n)
        len += n;
    out[len] = 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(r);
    for (char *line = strtok(out, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        char *k = strstr(line, "<SYMLINK");
        if (!k)
            k = strstr(line, "<JUNCTION>");
        if (!k)
            continue;
        WCHAR wk[512];
        int m = MultiByteToWideChar(CP_UTF8, 0, k, -1, wk, 512);
        printf("dir: ");
        show_w(wk, m > 0 ? (size_t)m - 1 : 0);
        printf("\n");
    }
}

static void removal(const char *what, BOOL dir, const WCHAR *name, const WCHAR *target)
{
    WCHAR p[MAX_PATH], t[MAX_PATH];
    path_of(p, name);
    path_of(t, target);
    SetLastError(0);
    BOOL ok = dir ? RemoveDirectoryW(p) : DeleteFileW(p);
    printf("%s %ls: %d error %lu; link %s, target %s\n", what, name, ok, ok ? 0 : GetLastError(),
           GetFileAttributesW(p) == INVALID_FILE_ATTRIBUTES ? "gone" : "there",
           GetFileAttributesW(t) == INVALID_FILE_ATTRIBUTES ? "gone" : "there");
}

int main(void)
{
    WCHAR tmp[MAX_PATH], p[MAX_PATH], t[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    swprintf(base, MAX_PATH, L"%lsntrun_reparse_%lu", tmp, GetCurrentProcessId());
    WideCharToMultiByte(CP_UTF8, 0, base, -1, base_a, sizeof base_a, NULL, NULL);
    CreateDirectoryW(base, NULL);
    path_of(p, L"t.txt");
    HANDLE h = CreateFileW(p, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    DWORD n;
    WriteFile(h, "target data", 11, &n, NULL);
    CloseHandle(h);
    path_of(p, L"td");
    CreateDirectoryW(p, NULL);

    path_of(p, L"lf");
    if (!CreateSymbolicLinkW(p, L"t.txt", SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE))
        printf("CreateSymbolicLink lf: error %lu\n", GetLastError());
    path_of(p, L"ld");
    if (!CreateSymbolicLinkW(p, L"td", SYMBOLIC_LINK_FLAG_DIRECTORY |
                                           SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE))
        printf("CreateSymbolicLink ld: error %lu\n", GetLastError());
    path_of(p, L"lj");
    path_of(t, L"td");
    make_junction(p, t);

    attributes(L"t.txt");
    attributes(L"td");
    attributes(L"lf");
    attributes(L"ld");
    attributes(L"lj");
    reparse_data(L"lf");
    reparse_data(L"ld");
    reparse_data(L"lj");
    reparse_data(L"t.txt");
    followed(L"lf");
    followed(L"ld");
    cmd_dir();

    removal("DeleteFile", FALSE, L"ld", L"td");
    removal("RemoveDirectory", TRUE, L"lf", L"t.txt");
    removal("DeleteFile", FALSE, L"lf", L"t.txt");
    removal("RemoveDirectory", TRUE, L"ld", L"td");
    removal("RemoveDirectory", TRUE, L"lj", L"td");

    path_of(p, L"t.txt");
    DeleteFileW(p);
    path_of(p, L"td");
    RemoveDirectoryW(p);
    printf("test directory removed: %d\n", RemoveDirectoryW(base));
    return 0;
}
