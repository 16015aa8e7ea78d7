/* cmd.exe's ASSOC and FTYPE (HKEY_CLASSES_ROOT), DATE and TIME without /T (they show the date
 * or time and ask for a new one on standard input: an empty line keeps the clock, something
 * that is no date or time is refused and asked again, a valid one needs a privilege the caller
 * does not hold), and MKLINK's symbolic links and junctions (MKLINK, /D, /J). Windows' answers
 * for an elevated prompt (HKCR writes) in developer mode (symbolic links without the
 * privilege). Wine 8.0's cmd differs: other messages for ASSOC/FTYPE of unknown names and
 * ERRORLEVEL 2, "Current Date is" and no re-prompting for DATE/TIME, no MKLINK. */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "cmd_capture.h"

static char buf[8192];

static void put_file(const char *name, const char *text)
{
    HANDLE f = CreateFileA(name, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(f, text, (DWORD)strlen(text), &n, NULL);
    CloseHandle(f);
}

int main(void)
{
    cmd_show("assoc set", "cmd /c assoc .ntrunx=ntrunxfile");
    cmd_show("assoc query", "cmd /c assoc .ntrunx");
    cmd_show("ftype set", "cmd /c \"ftype ntrunxfile=ntrunx.exe \"%1\" %*\"");
    cmd_show("ftype query", "cmd /c ftype ntrunxfile");
    DWORD code;
    cmd_capture("cmd /c assoc", buf, sizeof buf, &code);
    printf("[assoc list] exit %lu, has .ntrunx=ntrunxfile: %s\n", code,
           strstr(buf, "\n.ntrunx=ntrunxfile\n") || !strncmp(buf, ".ntrunx=ntrunxfile\n", 19)
               ? "yes"
               : "no");
    cmd_capture("cmd /c ftype", buf, sizeof buf, &code);
    printf("[ftype list] exit %lu, has ntrunxfile: %s\n", code,
           strstr(buf, "ntrunxfile=ntrunx.exe \"%1\" %*\n") ? "yes" : "no");
    cmd_show("ftype delete", "cmd /c \"ftype ntrunxfile=\"");
    cmd_show("ftype gone", "cmd /c ftype ntrunxfile");
    cmd_show("assoc delete", "cmd /c \"assoc .ntrunx=\"");
    cmd_show("assoc gone", "cmd /c assoc .ntrunx");

    /* DATE and TIME: the current value is checked for its form only */
    put_file("clock_keep.txt", "\r\n");
    put_file("clock_bad.txt", "99-99-99\r\n\r\n");
    cmd_capture("cmd /c date < clock_keep.txt", buf, sizeof buf, &code);
    char day[4];
    unsigned mo = 0, dd = 0, yy = 0;
    int got = sscanf(buf, "The current date is: %3s %2u/%2u/%4u", day, &mo, &dd, &yy);
    const char *rest = strchr(buf, '\n');
    printf("[date] exit %lu: %s then %s\n", code,
           got == 4 && mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31 && yy >= 2000
               ? "the current date"
               : buf,
           rest ? rest + 1 : "(nothing)");
    cmd_show("date, not a date", "cmd /c date 13-45-2026 < clock_bad.txt");
    cmd_show("date, a new date", "cmd /c date 12-31-2030 < clock_keep.txt");
    cmd_capture("cmd /c time < clock_keep.txt", buf, sizeof buf, &code);
    unsigned hh = 99, mi = 99, ss = 99, cc = 999;
    got = sscanf(buf, "The current time is: %2u:%2u:%2u.%2u", &hh, &mi, &ss, &cc);
    rest = strchr(buf, '\n');
    printf("[time] exit %lu: %s then %s\n", code,
           got == 4 && hh < 24 && mi < 60 && ss < 60 && cc < 100 ? "the current time" : buf,
           rest ? rest + 1 : "(nothing)");
    cmd_show("time, not a time", "cmd /c time 25:00 < clock_keep.txt");
    cmd_show("time, a new time", "cmd /c time 10:20:30 < clock_keep.txt");
    DeleteFileA("clock_keep.txt");
    DeleteFileA("clock_bad.txt");

    /* MKLINK: a file symbolic link (relative), a directory one, a junction */
    put_file("mk_t.txt", "target text\r\n");
    CreateDirectoryA("mk_d", NULL);
    put_file("mk_d\\f.txt", "in the directory\r\n");
    cmd_show("mklink", "cmd /c \"mklink mk_l.txt mk_t.txt && type mk_l.txt\"");
    cmd_show("mklink again", "cmd /c mklink mk_l.txt mk_t.txt");
    cmd_show("mklink /d", "cmd /c \"mklink /D mk_dl mk_d && type mk_dl\\f.txt\"");
    cmd_show("mklink /j", "cmd /c \"mklink /J mk_j mk_d && type mk_j\\f.txt\"");
    cmd_show("mklink, no target", "cmd /c mklink mk_x.txt");
    DeleteFileA("mk_l.txt");
    if (!RemoveDirectoryA("mk_dl"))
        DeleteFileA("mk_dl");
    if (!RemoveDirectoryA("mk_j"))
        DeleteFileA("mk_j");
    DeleteFileA("mk_d\\f.txt");
    RemoveDirectoryA("mk_d");
    DeleteFileA("mk_t.txt");
    printf("the links are gone: %s\n",
           GetFileAttributesA("mk_l.txt") == INVALID_FILE_ATTRIBUTES &&
                   GetFileAttributesA("mk_dl") == INVALID_FILE_ATTRIBUTES &&
                   GetFileAttributesA("mk_j") == INVALID_FILE_ATTRIBUTES
               ? "yes"
               : "no");
    return 0;
}
