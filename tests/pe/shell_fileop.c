/* shell_fileop: SHFileOperationW/A without a user interface (FOF_NOCONFIRMATION | FOF_SILENT |
 * FOF_NOERRORUI): FO_COPY of a folder to a new name and of files matched by a wildcard into a
 * folder, FO_MOVE of a file into a folder, FO_RENAME, FO_DELETE of a folder tree holding a
 * read-only file and of names a wildcard matches, FO_DELETE of a name that matches nothing
 * (ERROR_FILE_NOT_FOUND, 2), FO_COPY through the A function. The tree is printed after each
 * step (names sorted, folders with a slash). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <shellapi.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static int collect(const char *dir, char **names, int n)
{
    char pat[MAX_PATH];
    snprintf(pat, sizeof pat, "%s\\*", dir);
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pat, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return n;
    do {
        if (!strcmp(fd.cFileName, ".") || !strcmp(fd.cFileName, ".."))
            continue;
        char path[MAX_PATH];
        snprintf(path, sizeof path, "%s\\%s", dir, fd.cFileName);
        bool d = fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY;
        names[n] = malloc(strlen(path) + 2);
        sprintf(names[n++], "%s%s", path + 2, d ? "/" : "");
        if (d)
            n = collect(path, names, n);
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    return n;
}

static void tree(const char *step, int r)
{
    char *names[256];
    int n = collect(".", names, 0);
    qsort(names, n, sizeof *names, cmp);
    printf("%s: %d:", step, r);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static int op(UINT func, const WCHAR *from, const WCHAR *to)
{
    SHFILEOPSTRUCTW o = {0};
    o.wFunc = func;
    o.pFrom = from;
    o.pTo = to;
    o.fFlags = FOF_NOCONFIRMATION | FOF_SILENT | FOF_NOERRORUI | FOF_NOCONFIRMMKDIR;
    return SHFileOperationW(&o);
}

static void put(const char *name)
{
    HANDLE h = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD done;
    WriteFile(h, name, (DWORD)strlen(name), &done, NULL);
    CloseHandle(h);
}

int main(void)
{
    char tmp[MAX_PATH];
    GetTempPathA(MAX_PATH, tmp);
    SetCurrentDirectoryA(tmp);
    CreateDirectoryA("ntrun_fileop", NULL);
    SetCurrentDirectoryA("ntrun_fileop");
    CreateDirectoryA("src", NULL);
    CreateDirectoryA("src\\sub", NULL);
    put("src\\a.txt");
    put("src\\b.log");
    put("src\\sub\\c.txt");
    SetFileAttributesA("src\\sub\\c.txt", FILE_ATTRIBUTE_READONLY);
    tree("start", 0);
    tree("copy src to dup", op(FO_COPY, L"src\0", L"dup\0"));
    CreateDirectoryA("out", NULL);
    tree("copy src\\*.txt into out", op(FO_COPY, L"src\\*.txt\0", L"out\0"));
    tree("move dup\\b.log into out", op(FO_MOVE, L"dup\\b.log\0", L"out\0"));
    tree("rename out\\b.log to out\\z.log", op(FO_RENAME, L"out\\b.log\0", L"out\\z.log\0"));
    tree("delete dup (a read-only file in it)", op(FO_DELETE, L"dup\0", NULL));
    tree("delete out\\*.txt and src\\b.log", op(FO_DELETE, L"out\\*.txt\0src\\b.log\0", NULL));
    tree("delete missing", op(FO_DELETE, L"missing.txt\0", NULL));
    SHFILEOPSTRUCTA oa = {0};
    oa.wFunc = FO_COPY;
    oa.pFrom = "src\\a.txt\0";
    oa.pTo = "out\\a2.txt\0";
    oa.fFlags = FOF_NOCONFIRMATION | FOF_SILENT | FOF_NOERRORUI;
    tree("copy (A) src\\a.txt to out\\a2.txt", SHFileOperationA(&oa));
    tree("delete src and out", op(FO_DELETE, L"src\0out\0", NULL));
    SetCurrentDirectoryA("..");
    RemoveDirectoryA("ntrun_fileop");
    return 0;
}
