/* Batch files run by cmd: CreateProcess of a .bat (COMSPEC /c, the built-in cmd under ntrun),
 * "cmd /c" with CALL and without, and what a batch does: @echo off, %1 %~2 %* %~nx0, SETLOCAL
 * and ENDLOCAL, CALL :label with its own arguments and EXIT /B code, FOR over a set, FOR /L,
 * FOR /F over a string, a parenthesised IF ... ELSE block spanning lines, GOTO, SHIFT, %%
 * escaping and EXIT /B's exit code; with ECHO on, each command shown after the prompt (a blank
 * line, the directory, '>', the command and a space) unless it starts with '@'. The expected
 * output is Windows'; Wine 8.0's cmd agrees but for the ERRORLEVEL after "call t.bat" (Wine: 1,
 * not the batch's EXIT /B 3). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include "cmd_capture.h"

static void put(const char *name, const char *text)
{
    FILE *f = fopen(name, "wb");
    fputs(text, f);
    fclose(f);
}

static void run(const char *label, const char *line)
{
    static char buf[8192];
    DWORD code;
    printf("[%s] ", label);
    if (!cmd_capture(line, buf, sizeof buf, &code)) {
        printf("CreateProcess failed, error %lu\n", GetLastError());
        return;
    }
    char cwd[MAX_PATH]; /* shown in the prompt of echoed commands: printed as <cwd> */
    DWORD cl = GetCurrentDirectoryA(MAX_PATH, cwd);
    for (char *at; cl && (at = strstr(buf, cwd)) != NULL;) {
        memmove(at + 5, at + cl, strlen(at + cl) + 1);
        memcpy(at, "<cwd>", 5);
    }
    printf("exit %lu:\n%s", code, buf);
}

int main(void)
{
    put("t.bat",
        "@echo off\r\n"
        "setlocal\r\n"
        "echo args: [%1] [%~2] [%*]\r\n"
        "echo name: %~nx0, 100%%\r\n"
        "set LOCALVAR=inside\r\n"
        "call :sub one \"two three\"\r\n"
        "echo sub returned %ERRORLEVEL%\r\n"
        "for %%f in (x y) do echo for %%f\r\n"
        "for /l %%n in (1,1,3) do echo n=%%n\r\n"
        "for /f \"tokens=1,2 delims=,\" %%a in (\"k1,v1,z\") do echo a=%%a b=%%b\r\n"
        "if \"%1\"==\"first\" (\r\n"
        "  echo multi-line block\r\n"
        "  echo second line\r\n"
        ") else (\r\n"
        "  echo not first\r\n"
        ")\r\n"
        "goto skip\r\n"
        "echo skipped\r\n"
        ":skip\r\n"
        "shift\r\n"
        "echo shifted: %1\r\n"
        "endlocal\r\n"
        "echo after endlocal: [%LOCALVAR%]\r\n"
        "exit /b 3\r\n"
        "\r\n"
        ":sub\r\n"
        "echo in sub: %1 %~2\r\n"
        "exit /b 6\r\n");
    put("inner.cmd", "@echo inner %1\r\n@exit /b 4\r\n");
    run("t.bat directly", "t.bat first \"second arg\"");
    run("cmd /c call", "cmd /c \"call t.bat other& if errorlevel 3 echo errorlevel 3\"");
    run("cmd /c batch then more", "cmd /c \"inner.cmd x & echo after\"");
    run("batch exit code", "cmd /c inner.cmd y");
    put("echoon.bat", "echo hi\r\n@echo quiet\r\nif 1==1 (echo a) else (echo b)\r\n");
    run("echo on", "echoon.bat");
    return 0;
}
