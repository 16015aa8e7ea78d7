/* C:\windows\system32\cmd.exe is a file, as on every Windows machine (Node.js's child_process
 * looks for it before it starts a command through the shell): GetFileAttributes says a file,
 * FindFirstFile lists it, CreateFile opens it and it starts with "MZ", SearchPath finds
 * "cmd.exe" in the system directory; started by that path (lpApplicationName, or the command
 * line's first token) it runs as the command interpreter: "/c echo" prints, "/c exit 3" ends
 * with 3. Under ntrun the file is its stand-in for the built-in cmd (programs/programs.h). */
#include "cmd_capture.h"

static const char path[] = "C:\\windows\\system32\\cmd.exe";

int main(void)
{
    DWORD attrs = GetFileAttributesA(path);
    printf("GetFileAttributes: a file %d\n",
           attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY));

    WIN32_FIND_DATAA fd;
    HANDLE find = FindFirstFileA(path, &fd);
    printf("FindFirstFile: %s\n", find == INVALID_HANDLE_VALUE ? "(none)" : fd.cFileName);
    if (find != INVALID_HANDLE_VALUE)
        FindClose(find);
    find = FindFirstFileA("C:\\windows\\system32\\cm*.exe", &fd);
    int listed = 0;
    if (find != INVALID_HANDLE_VALUE) {
        do
            listed |= !_stricmp(fd.cFileName, "cmd.exe");
        while (FindNextFileA(find, &fd));
        FindClose(find);
    }
    printf("listed by cm*.exe: %d\n", listed);

    HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    char mz[2] = {0};
    DWORD n = 0;
    if (h != INVALID_HANDLE_VALUE) {
        ReadFile(h, mz, 2, &n, NULL);
        CloseHandle(h);
    }
    printf("CreateFile: opened %d, starts with MZ %d\n", h != INVALID_HANDLE_VALUE,
           n == 2 && mz[0] == 'M' && mz[1] == 'Z');

    char found[MAX_PATH], *part;
    DWORD len = SearchPathA(NULL, "cmd.exe", NULL, sizeof found, found, &part);
    printf("SearchPath: %s\n", len && !_stricmp(found, path) ? "the system directory's" : found);

    /* by lpApplicationName, with the command line's own first token */
    char out[256];
    DWORD code = 99;
    BOOL ok = cmd_capture_app(path, "cmd /c echo by the path", out, sizeof out, &code);
    if (!ok)
        out[0] = 0;
    printf("CreateProcess(path): %d, exit %lu, output [%.*s]\n", ok, code,
           (int)strcspn(out, "\r\n"), out);

    cmd_show("C:\\windows\\system32\\cmd.exe /c exit 3",
             "C:\\windows\\system32\\cmd.exe /c exit 3");
    cmd_show("\"C:\\windows\\system32\\cmd.exe\" /c echo quoted",
             "\"C:\\windows\\system32\\cmd.exe\" /c echo quoted");
    return 0;
}
