/* AllocConsole, AttachConsole, FreeConsole and GetConsoleWindow as a console program sees them.
 * Attached (as every console program starts): AllocConsole and AttachConsole(ATTACH_PARENT_PROCESS)
 * fail with ERROR_ACCESS_DENIED. FreeConsole detaches: GetConsoleWindow is NULL and the console
 * calls on the old console handles (GetConsoleMode, SetConsoleMode, GetConsoleScreenBufferInfo)
 * fail with ERROR_INVALID_HANDLE; AllocConsole attaches again (TRUE) and a second one is
 * refused; FreeConsole + AttachConsole(ATTACH_PARENT_PROCESS) attaches to the terminal, or fails
 * with ERROR_INVALID_HANDLE when the parent has no console (Wine 8.0 from a shell: the same
 * redirected run's output, diffed). With "tty" (run on a
 * terminal by tests/cli/console-alloc-pty.sh) the console window and the modes of the standard
 * input, a terminal, are checked as well; redirected (this file's .stdout) the parts that do
 * not need a terminal (no window but the detached state's NULL: Windows has a window with
 * redirected handles too). Windows 10 documents the same (FreeConsole, AllocConsole). */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static int tty;

static void state(const char *when)
{
    DWORD mode;
    CONSOLE_SCREEN_BUFFER_INFO csbi;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    HWND w = GetConsoleWindow();
    /* redirected, only the detached state's NULL: Windows has a window with redirected handles
     * too, ntrun none without a terminal */
    if (tty || strcmp(when, "detached") == 0)
        printf("%s: GetConsoleWindow %s\n", when, w ? "non-NULL" : "NULL");
    if (!tty)
        return;
    SetLastError(0xdeadbeef);
    BOOL ok = GetConsoleMode(in, &mode);
    printf("%s: GetConsoleMode(stdin) %d, error %lu\n", when, ok, ok ? 0 : GetLastError());
    SetLastError(0xdeadbeef);
    ok = SetConsoleMode(in, ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
    printf("%s: SetConsoleMode(stdin) %d, error %lu\n", when, ok, ok ? 0 : GetLastError());
    SetLastError(0xdeadbeef);
    ok = GetConsoleScreenBufferInfo(GetStdHandle(STD_ERROR_HANDLE), &csbi);
    printf("%s: GetConsoleScreenBufferInfo(stderr) %d, error %lu\n", when, ok,
           ok ? 0 : GetLastError());
}

static void call(const char *what, BOOL ok)
{
    printf("%s: %d, error %lu\n", what, ok, ok ? 0 : GetLastError());
}

int main(int argc, char **argv)
{
    tty = argc > 1 && strcmp(argv[1], "tty") == 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    state("start");
    SetLastError(0xdeadbeef);
    call("AllocConsole while attached", AllocConsole());
    SetLastError(0xdeadbeef);
    call("AttachConsole(parent) while attached", AttachConsole(ATTACH_PARENT_PROCESS));
    call("FreeConsole", FreeConsole());
    state("detached");
    SetLastError(0xdeadbeef);
    call("AllocConsole", AllocConsole());
    state("allocated");
    SetLastError(0xdeadbeef);
    call("AllocConsole again", AllocConsole());
    call("FreeConsole", FreeConsole());
    SetLastError(0xdeadbeef);
    call("AttachConsole(parent)", AttachConsole(ATTACH_PARENT_PROCESS));
    state("attached");
    return 0;
}
