/* The environment Windows gives a console program: the system's variables (ComSpec,
 * SystemRoot, windir, PATHEXT, SystemDrive, OS, the Program Files folders, the profile
 * folders of the user GetUserName names, the computer GetComputerName names, the processor
 * GetSystemInfo describes, TEMP/TMP where GetTempPath points), seen alike through
 * GetEnvironmentVariable and the CRT's getenv; a child started with the caller's block gets them
 * too, a child given its own block (lpEnvironment) gets exactly that block and nothing more.
 * Values are compared without case (Windows spells C:\WINDOWS, Wine C:\windows).
 * Wine 8.0 differs in one line: it adds SystemRoot (and its WINE* variables) to a block given
 * to CreateProcess; Windows passes the block as it is (why Python's documentation asks an env
 * for subprocess to include SystemRoot). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static char val[4096];

static const char *env(const char *name)
{
    DWORD n = GetEnvironmentVariableA(name, val, sizeof val);
    if (!n || n >= sizeof val)
        return NULL;
    const char *c = getenv(name);
    if (!c || strcmp(c, val))
        printf("%s: getenv gives %s\n", name, c ? c : "(null)");
    return val;
}

static void is(const char *name, const char *want)
{
    const char *v = env(name);
    printf("%s: %s\n", name, !v ? "missing" : _stricmp(v, want) ? v : "ok");
}

static int child(int argc, char **argv)
{
    printf("child ComSpec: %s\n", env("ComSpec") ? "set" : "missing");
    printf("child SystemRoot: %s\n", env("SystemRoot") ? "set" : "missing");
    int n = 0;
    char *block = GetEnvironmentStringsA();
    for (char *p = block; *p; p += strlen(p) + 1)
        if (*p != '=')
            n++;
    FreeEnvironmentStringsA(block);
    printf("child variables: %s\n", n > 20 ? "many" : n == 1 ? "one" : "few");
    printf("child A: %s\n", env("A") ? val : "missing");
    return 0;
}

static void spawn(char *envblock)
{
    char cmd[MAX_PATH + 20], self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, envblock, NULL, &si, &pi)) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child(argc, argv);
    is("ComSpec", "C:\\windows\\system32\\cmd.exe");
    is("COMSPEC", "C:\\windows\\system32\\cmd.exe");
    is("SystemRoot", "C:\\windows");
    is("windir", "C:\\windows");
    is("SystemDrive", "C:");
    is("OS", "Windows_NT");
    const char *pe = env("PATHEXT");
    printf("PATHEXT: %s\n", pe && !_strnicmp(pe, ".COM;.EXE;.BAT;.CMD", 19) ? "ok" : pe ? pe : "missing");
    is("PROCESSOR_ARCHITECTURE", "AMD64");
    is("ProgramFiles", "C:\\Program Files");
    is("ProgramFiles(x86)", "C:\\Program Files (x86)");
    is("ProgramW6432", "C:\\Program Files");
    is("CommonProgramFiles", "C:\\Program Files\\Common Files");
    is("ProgramData", "C:\\ProgramData");
    is("ALLUSERSPROFILE", "C:\\ProgramData");
    is("PUBLIC", "C:\\Users\\Public");
    is("HOMEDRIVE", "C:");

    char user[256], want[600];
    DWORD n = sizeof user;
    GetUserNameA(user, &n);
    snprintf(want, sizeof want, "C:\\Users\\%s", user);
    is("USERPROFILE", want);
    is("USERNAME", user);
    snprintf(want, sizeof want, "\\Users\\%s", user);
    is("HOMEPATH", want);
    snprintf(want, sizeof want, "C:\\Users\\%s\\AppData\\Roaming", user);
    is("APPDATA", want);
    snprintf(want, sizeof want, "C:\\Users\\%s\\AppData\\Local", user);
    is("LOCALAPPDATA", want);

    char host[MAX_COMPUTERNAME_LENGTH + 1];
    n = sizeof host;
    GetComputerNameA(host, &n);
    is("COMPUTERNAME", host);

    SYSTEM_INFO si;
    GetSystemInfo(&si);
    snprintf(want, sizeof want, "%lu", si.dwNumberOfProcessors);
    is("NUMBER_OF_PROCESSORS", want);
    snprintf(want, sizeof want, "%u", si.wProcessorLevel);
    is("PROCESSOR_LEVEL", want);
    snprintf(want, sizeof want, "%04x", si.wProcessorRevision);
    is("PROCESSOR_REVISION", want);
    const char *id = env("PROCESSOR_IDENTIFIER");
    snprintf(want, sizeof want, " Family %u Model ", si.wProcessorLevel);
    printf("PROCESSOR_IDENTIFIER: %s\n",
           id && (!strncmp(id, "AMD64 Family", 12) || !strncmp(id, "Intel64 Family", 14)) &&
                   strstr(id, want)
               ? "ok"
               : id ? id : "missing");

    char tmp[MAX_PATH];
    GetTempPathA(sizeof tmp, tmp);
    const char *t = env("TMP");
    snprintf(want, sizeof want, "%s\\", t ? t : "");
    printf("GetTempPath is TMP: %s\n", t && !_stricmp(want, tmp) ? "yes" : tmp);
    t = env("TEMP");
    printf("TEMP: %s\n", t && !_stricmp(want, tmp) ? "ok" : "differs");

    spawn(NULL);
    static char block[] = "A=1\0";
    spawn(block);
    return 0;
}
