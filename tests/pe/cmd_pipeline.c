/* cmd.exe's pipelines and system commands, through CreateProcess as a program runs them:
 * internal commands in a pipeline (ECHO, SET, TYPE on either side) run in a cmd.exe of their
 * own, as Windows runs them, so "set X=1 | ..." and "... | set /p X=" change nothing in the
 * calling cmd; parenthesised blocks, IF and FOR in a pipeline run the same way, from their text
 * made again ("(set X=1) | ..." changes nothing here; a block's !X! is not expanded, as the child
 * has no delayed expansion; a batch file's %%i is %i there), both sides of a pipe at once (100 kB
 * from a block to a block); a pipeline's exit code is its last stage's; START without /B starts the program
 * and does not wait for it; PROMPT (and the prompt echoed before a batch file's commands), VOL,
 * DATE /T, TIME /T, COLOR and MKLINK /H. Under ntrun this is ntrun's built-in cmd; the expected
 * output is Windows'. Wine 8.0's cmd differs in most of these lines: it runs a pipeline's
 * internal commands in itself (SET and SET /P there change its variables), keeps a SET name's
 * trailing space, writes "Current Date is ..." for DATE /T and TIME /T, and has no MKLINK /H. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "cmd_capture.h"

static char self[MAX_PATH];
static char buf[8192];

/* Runs `line` and says whether its output is `want` (for outputs that depend on the day). */
static void same(const char *label, const char *line, const char *want)
{
    DWORD code;
    if (!cmd_capture(line, buf, sizeof buf, &code)) {
        printf("[%s] CreateProcess failed, error %lu\n", label, GetLastError());
        return;
    }
    printf("[%s] exit %lu: %s\n", label, code, strcmp(buf, want) ? buf : "as expected");
}

static int child(int argc, char **argv)
{
    if (!strcmp(argv[1], "upper")) {
        int c;
        while ((c = getchar()) != EOF)
            putchar(toupper(c));
        return 0;
    }
    if (!strcmp(argv[1], "words")) { /* each word of standard input, spacing aside */
        char w[256];
        while (scanf("%255s", w) == 1)
            printf("[%s]\n", w);
        return 0;
    }
    if (!strcmp(argv[1], "count")) {
        int c, lines = 0;
        while ((c = getchar()) != EOF)
            lines += c == '\n';
        printf("%d lines\n", lines);
        return 0;
    }
    if (!strcmp(argv[1], "args")) {
        for (int i = 2; i < argc; i++)
            printf("arg: [%s]\n", argv[i]);
        return argc - 2;
    }
    if (!strcmp(argv[1], "waitfile") && argc > 2) { /* until the file exists, then removes it */
        while (GetFileAttributesA(argv[2]) == INVALID_FILE_ATTRIBUTES)
            Sleep(10);
        DeleteFileA(argv[2]);
        return 0;
    }
    return 99;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argc, argv);
    GetModuleFileNameA(NULL, self, MAX_PATH);
    char line[2048];
    SetEnvironmentVariableA("NTCMD_VAR", "from parent");
    HANDLE f;
    DWORD n;

    snprintf(line, sizeof line, "cmd /c \"echo piped text | %s upper\"", self);
    cmd_show("echo | program", line);
    snprintf(line, sizeof line, "cmd /v:on /c \"set NTCMD_P=changed| %s upper & echo [!NTCMD_P!]\"",
             self);
    cmd_show("set | program changes nothing here", line);
    snprintf(line, sizeof line, "cmd /c \"set NTCMD_VAR| %s upper\"", self);
    cmd_show("set | program", line);
    snprintf(line, sizeof line,
             "cmd /c \"echo typed>pipe_in.txt& type pipe_in.txt| %s upper& del pipe_in.txt\"",
             self);
    cmd_show("type | program", line);
    snprintf(line, sizeof line, "cmd /c \"echo abc | %s upper | %s upper\"", self, self);
    cmd_show("three stages", line);
    snprintf(line, sizeof line, "cmd /c \"echo x | %s args a b\"", self);
    cmd_show("the last stage's exit code", line);
    cmd_show("program | set /p changes nothing here",
        "cmd /c \"echo in| set /p NTCMD_R=& if defined NTCMD_R (echo defined) else (echo undefined)\"");
    snprintf(line, sizeof line, "cmd /c \"1>&2 echo to stderr| %s upper\"", self);
    cmd_show("redirection in an internal stage", line);

    /* blocks, IF and FOR in a pipeline: each in a cmd.exe of its own, run from its text made
     * again; both sides at once (100 kB through the pipe between two blocks), nothing they
     * set reaches this cmd, and a block's !VAR! is the child's, which has no delayed
     * expansion */
    snprintf(line, sizeof line, "cmd /c \"(echo one& echo two)| %s words\"", self);
    cmd_show("block | program", line);
    snprintf(line, sizeof line,
             "cmd /v:on /c \"set X=parent& (set X=child& echo !X!)| %s words& echo [!X!]\"",
             self);
    cmd_show("block | program changes nothing here", line);
    snprintf(line, sizeof line, "cmd /c \"echo piped| if 1==1 %s words\"", self);
    cmd_show("echo | if", line);
    snprintf(line, sizeof line, "cmd /c \"(for %%i in (a b c) do @echo %%i)| %s words\"", self);
    cmd_show("for | program", line);
    snprintf(line, sizeof line,
             "cmd /c \"(for /l %%i in (1,1,10000) do @echo line %%i)| (%s count)\"", self);
    cmd_show("block | block", line);
    f = CreateFileA("pipefor.bat", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    snprintf(line, sizeof line, "@(for %%%%i in (x y) do @echo %%%%i)| %s words\r\n", self);
    WriteFile(f, line, (DWORD)strlen(line), &n, NULL);
    CloseHandle(f);
    cmd_show("for in a batch file | program", "cmd /c pipefor.bat");
    DeleteFileA("pipefor.bat");

    /* START without /B: started, not waited for (the child waits for a file made after cmd
     * has ended; cmd runs without our pipe, which the started program would inherit) */
    DeleteFileA("start_flag.txt");
    snprintf(line, sizeof line, "cmd /c \"start \"t\" %s waitfile start_flag.txt >nul 2>&1\"",
             self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        DWORD code = 99;
        GetExitCodeProcess(pi.hProcess, &code);
        printf("[start without /b] cmd ended, exit %lu\n", code);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    f = CreateFileA("start_flag.txt", GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    CloseHandle(f);
    while (GetFileAttributesA("start_flag.txt") != INVALID_FILE_ATTRIBUTES)
        Sleep(10);
    printf("the started program saw the file and ended\n");

    cmd_show("prompt", "cmd /c \"prompt [$P]$G& set PROMPT\"");
    f = CreateFileA("showprompt.bat", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    const char *bat = "@prompt $G$G\r\necho hi\r\n";
    WriteFile(f, bat, (DWORD)strlen(bat), &n, NULL);
    CloseHandle(f);
    cmd_show("prompt echoed in a batch file", "cmd /c showprompt.bat");
    DeleteFileA("showprompt.bat");

    char cwd[MAX_PATH], root[4] = "C:\\", label[64] = "", want[256];
    GetCurrentDirectoryA(MAX_PATH, cwd);
    root[0] = cwd[0];
    DWORD serial = 0;
    GetVolumeInformationA(root, label, sizeof label, &serial, NULL, NULL, NULL, 0);
    if (*label)
        snprintf(want, sizeof want, " Volume in drive %c is %s\n", root[0], label);
    else
        snprintf(want, sizeof want, " Volume in drive %c has no label.\n", root[0]);
    snprintf(want + strlen(want), sizeof want - strlen(want),
             " Volume Serial Number is %04lX-%04lX\n", serial >> 16, serial & 0xffff);
    same("vol", "cmd /c vol", want);
    SYSTEMTIME t;
    GetLocalTime(&t);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    snprintf(want, sizeof want, "%s %02u/%02u/%04u \n", days[t.wDayOfWeek], t.wMonth, t.wDay,
             t.wYear);
    same("date /t", "cmd /c date /t", want);
    DWORD code;
    cmd_capture("cmd /c time /t", buf, sizeof buf, &code);
    unsigned hh = 99, mm = 99;
    char ampm[3] = "";
    int got = sscanf(buf, "%2u:%2u %2s", &hh, &mm, ampm);
    printf("[time /t] exit %lu: %s\n", code,
           got == 3 && strlen(buf) == 9 && hh >= 1 && hh <= 12 && mm < 60 &&
                   (!strcmp(ampm, "AM") || !strcmp(ampm, "PM"))
               ? "hh:mm AM/PM"
               : buf);
    cmd_show("color", "cmd /c \"color 0a && echo set& color 11 || echo same colours\"");
    cmd_show("mklink /h", "cmd /c \"echo linked>ml_target.txt& mklink /H ml_link.txt ml_target.txt"
                     "& type ml_link.txt& del ml_link.txt ml_target.txt\"");
    return 0;
}
