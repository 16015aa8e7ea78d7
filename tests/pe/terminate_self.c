/* terminate_self: TerminateProcess(GetCurrentProcess(), code) and NtTerminateProcess(
 * NtCurrentProcess(), code) end the process at once, as Windows does: no DLL_PROCESS_DETACH of a
 * loaded DLL, no TLS callback with DLL_PROCESS_DETACH, no CRT atexit handler and no flush of a
 * fully buffered stdout; ExitProcess detaches the DLL, calls the TLS callback and flushes stdout
 * (msvcrt's detach; whether it also runs the program's atexit handlers is not asserted). The
 * program runs itself as a child in each mode with stdout on a pipe and reports what the child
 * wrote and its exit code.
 *
 * Wine 8.0: ExitProcess sends the program's TLS callback no DLL_PROCESS_DETACH (1 line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

static void write_raw(const char *s)
{
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &done, NULL);
}

static int child_mode;
static void NTAPI tls_callback(PVOID image, DWORD reason, PVOID reserved)
{
    if (reason == DLL_PROCESS_DETACH && child_mode)
        write_raw("[tls-detach]");
}
extern const IMAGE_TLS_DIRECTORY _tls_used;
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_tls_callback = tls_callback;

static void at_exit(void)
{
    write_raw("[atexit]");
}

static int child(const char *mode)
{
    child_mode = 1;
    if (!LoadLibraryA("mydll2.dll"))
        write_raw("[no-dll]");
    setvbuf(stdout, NULL, _IOFBF, 4096);
    atexit(at_exit);
    printf("[buffered]");
    write_raw("[start]");
    if (strcmp(mode, "exit") == 0)
        ExitProcess(3);
    if (strcmp(mode, "terminate") == 0) {
        TerminateProcess(GetCurrentProcess(), 4);
        write_raw("[after-terminate]");
    }
    if (strcmp(mode, "ntterminate") == 0) {
        NTSTATUS(NTAPI * term)(HANDLE, NTSTATUS) =
            (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtTerminateProcess");
        term((HANDLE)-1, 5);
        write_raw("[after-terminate]");
    }
    return 9;
}

static void run(const char *mode)
{
    char exe[MAX_PATH], cmd[MAX_PATH + 32];
    GetModuleFileNameA(NULL, exe, sizeof exe);
    snprintf(cmd, sizeof cmd, "\"%s\" %s", exe, mode);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE r, w;
    CreatePipe(&r, &w, &sa, 0);
    SetHandleInformation(r, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si = {sizeof si};
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = w;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    PROCESS_INFORMATION pi;
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("%s: CreateProcess failed %lu\n", mode, GetLastError());
        return;
    }
    CloseHandle(w);
    char out[1024];
    DWORD total = 0, n;
    while (total < sizeof out - 1 && ReadFile(r, out + total, sizeof out - 1 - total, &n, NULL) && n)
        total += n;
    out[total] = 0;
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("%s: exit code %lu\n", mode, code);
    const char *marks[] = {"[start]", "mydll2: DLL_PROCESS_ATTACH", "[buffered]", "[atexit]",
                           "mydll2: DLL_PROCESS_DETACH", "[tls-detach]", "[after-terminate]",
                           "[no-dll]"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strcmp(mode, "exit") != 0 || strcmp(marks[i], "[atexit]") != 0)
            printf("  %s: %s\n", marks[i], strstr(out, marks[i]) ? "yes" : "no");
    CloseHandle(r);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1]);
    run("exit");
    run("terminate");
    run("ntterminate");
    return 0;
}
