/* cmd.exe /c through CreateProcess: "cmd /c" command lines with & && || and |, redirections
 * (> >> < 2>&1 >nul), %VAR% (the caller's environment; CALL's second expansion), IF, FOR,
 * SET, CD /D then a program (which starts in the new directory), cmd's quote rule for /C and
 * /S, EXIT and EXIT /B exit codes, a program that is not found (9009), a pipe into a program
 * (this one, run as a filter), SET /A (the value printed on the command line), delayed
 * expansion with /V:ON, FOR /R with %~nxi, START /B /WAIT. Under ntrun this is ntrun's
 * built-in cmd (there is no C:\windows\system32\cmd.exe); the expected output is Windows'.
 * Wine 8.0's cmd agrees except where Wine is known to differ from Windows: "echo(x" prints
 * "(x", SET /A's division by zero says "Division by zero error." with ERRORLEVEL 0, and %A% is
 * expanded when each command runs instead of when the line is read ("2 2" for "%A% 2"). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "cmd_capture.h"

static char self[MAX_PATH];

/* Runs `line` with stdout and stderr into a pipe; prints the output (CR LF as LF: printf's
 * text mode puts the CR back) and the exit code. */
/* The program's own modes, for cmd to run. */
static int child(int argc, char **argv)
{
    if (!strcmp(argv[1], "upper")) { /* a filter: stdin upper-cased to stdout */
        int c;
        while ((c = getchar()) != EOF)
            putchar(toupper(c));
        return 0;
    }
    if (!strcmp(argv[1], "cwd")) { /* the last component of the current directory */
        char d[MAX_PATH];
        GetCurrentDirectoryA(MAX_PATH, d);
        char *s = strrchr(d, '\\');
        printf("cwd: %s\n", s ? s + 1 : d);
        return 0;
    }
    if (!strcmp(argv[1], "args")) {
        for (int i = 2; i < argc; i++)
            printf("arg: [%s]\n", argv[i]);
        return argc - 2;
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

    cmd_show("echo and exit /b", "cmd /c \"echo hi && exit /b 4\"");
    cmd_show("unquoted &", "cmd /c echo one& echo two");
    cmd_show("exit", "cmd.exe /c exit 3");
    cmd_show("&& after failure", "cmd /c \"exit /b 2 && echo not shown\"");
    cmd_show("|| after failure", "cmd /d /c \"type no_such_file 2>nul || echo or-branch\"");
    cmd_show("not found", "cmd /c no_such_program_xyz 2>nul");
    cmd_show("redirect", "cmd /c \"echo data> out.txt && echo more>>out.txt && type out.txt\"");
    cmd_show("redirect in", "cmd /c \"set /p FIRST=<out.txt && call echo first line: %FIRST%\"");
    cmd_show(">nul", "cmd /c \"echo hidden >nul & echo shown\"");
    cmd_show("2>&1 >nul", "cmd /c \"type no_such_file >nul 2>&1 || echo type failed\"");
    cmd_show("%VAR%", "cmd /c echo [%NTCMD_VAR%] [%NTCMD_UNDEFINED%]");
    cmd_show("set and call", "cmd /c \"set NTCMD_NEW=fresh& call echo %NTCMD_NEW%\"");
    cmd_show("if", "cmd /c \"if exist out.txt (echo yes) else (echo no)\"");
    cmd_show("if not ==", "cmd /c if not \"a\"==\"b\" echo differ");
    cmd_show("if errorlevel", "cmd /c \"type no_such_file 2>nul & if errorlevel 1 echo one or more\"");
    cmd_show("for", "cmd /c \"for %i in (a b c) do @echo item %i\"");
    cmd_show("escape", "cmd /c echo a ^& b ^| c ^> d");
    cmd_show("quoted specials", "cmd /c echo \"a & b\"");
    snprintf(line, sizeof line, "cmd /c \"echo piped text | %s upper\"", self);
    cmd_show("pipe", line);
    snprintf(line, sizeof line, "cmd /c \"mkdir sub 2>nul & cd /D sub && %s cwd\"", self);
    cmd_show("cd /D then a program", line);
    snprintf(line, sizeof line, "cmd /s /c \"\"%s\" args \"a b\" c\"", self);
    cmd_show("/s /c quotes", line);
    snprintf(line, sizeof line, "cmd /c \"%s\" args x", self);
    cmd_show("/c quotes kept", line);
    cmd_show("echo.", "cmd /c \"echo.&echo(x&echo;y\"");
    cmd_show("set /a", "cmd /c \"set /a X=(2+3)*4, Y=X/3 & echo. & call echo %X% %Y%\"");
    cmd_show("set /a divide by zero", "cmd /c set /a 7/0");
    cmd_show("/v:on", "cmd /v:on /c \"set A=1& set A=2& echo %A% !A!\"");
    snprintf(line, sizeof line, "cmd /c \"start \"a title\" /b /wait %s args a & if errorlevel 1 echo waited\"", self);
    cmd_show("start /b /wait", line);
    cmd_show("for /r", "cmd /c \"mkdir r\\s & echo x>r\\s\\f.txt & for /r r %i in (*.txt) do @echo %~nxi\"");
    return 0;
}
