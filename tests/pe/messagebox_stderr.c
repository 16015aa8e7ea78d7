/* MessageBox in a console program: ntrun prints the box to standard error as Windows copies a
 * box to the clipboard (caption, text, buttons between rules, LF line ends, UTF-8 to a file or
 * pipe) and answers at once with the default button's id (MB_DEFBUTTONn among the type's
 * buttons; one past the last, or MB_HELP's Help button, gives the first). The first box goes to
 * the real stderr (checked by messagebox_stderr.stderr-grep); the others go to a file set with
 * SetStdHandle, read back and printed here. Failures: a type above MB_CANCELTRYCONTINUE gives
 * 0 and ERROR_INVALID_MSGBOX_STYLE, an owner that is not a window 0 and
 * ERROR_INVALID_WINDOW_HANDLE, and nothing is printed (as Windows 10; on Windows the boxes
 * wait for a click instead). Resource ids in MessageBoxIndirectW come from the program's
 * string table. With the argument "tty" (tests/cli/messagebox-pty.sh) one box goes to stderr
 * on a terminal, through WriteConsoleW. */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#define IDS_CAPTION 101
#define IDS_TEXT 102

static void show(const char *what, int r)
{
    printf("%s: %d\n", what, r);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "tty")) {
        DWORD mode;
        printf("stderr is a console: %d\n", GetConsoleMode(GetStdHandle(STD_ERROR_HANDLE), &mode));
        show("W YESNO DEFBUTTON2 to the terminal",
             MessageBoxW(NULL, L"terminal text \x00e9\x20ac\r\nsecond line", L"Caption \x00fc",
                         MB_YESNO | MB_DEFBUTTON2));
        return 0;
    }
    show("MessageBoxA MB_OK to stderr", MessageBoxA(NULL, "hello from the box", "a title", MB_OK));

    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    HANDLE f = CreateFileA("box.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        printf("CreateFile failed: %lu\n", GetLastError());
        return 1;
    }
    SetStdHandle(STD_ERROR_HANDLE, f);

    show("W YESNOCANCEL DEFBUTTON2",
         MessageBoxW(NULL, L"Line one\r\nLine two: \x00e9\x20ac \xd83d\xde00\rLine three",
                     L"Caption \x00fc", MB_YESNOCANCEL | MB_DEFBUTTON2 | MB_ICONQUESTION));
    show("A OKCANCEL, NULL text and caption", MessageBoxA(NULL, NULL, NULL, MB_OKCANCEL));
    show("A ABORTRETRYIGNORE DEFBUTTON3",
         MessageBoxA(NULL, "ends with a newline\n", "ari", MB_ABORTRETRYIGNORE | MB_DEFBUTTON3));
    show("A YESNO DEFBUTTON3 (past the last)",
         MessageBoxA(NULL, "t", "yesno", MB_YESNO | MB_DEFBUTTON3));
    show("ExW RETRYCANCEL DEFBUTTON2",
         MessageBoxExW(NULL, L"t", L"retrycancel", MB_RETRYCANCEL | MB_DEFBUTTON2,
                       MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)));
    show("ExA CANCELTRYCONTINUE DEFBUTTON2",
         MessageBoxExA(NULL, "t", "ctc", MB_CANCELTRYCONTINUE | MB_DEFBUTTON2, 0));
    show("A OKCANCEL|HELP DEFBUTTON3 (Help)",
         MessageBoxA(NULL, "t", "help", MB_OKCANCEL | MB_HELP | MB_DEFBUTTON3));

    MSGBOXPARAMSW pw = {sizeof pw};
    pw.hInstance = GetModuleHandleW(NULL);
    pw.lpszText = MAKEINTRESOURCEW(IDS_TEXT);
    pw.lpszCaption = MAKEINTRESOURCEW(IDS_CAPTION);
    pw.dwStyle = MB_OKCANCEL | MB_DEFBUTTON2;
    show("IndirectW resource strings", MessageBoxIndirectW(&pw));
    MSGBOXPARAMSA pa = {sizeof pa};
    pa.lpszText = "indirect text";
    pa.lpszCaption = "indirect caption";
    pa.dwStyle = MB_YESNO;
    show("IndirectA", MessageBoxIndirectA(&pa));

    SetLastError(0xdeadbeef);
    show("W type 7", MessageBoxW(NULL, L"not shown", L"not shown", 7));
    printf("  error %lu\n", GetLastError());
    SetLastError(0xdeadbeef);
    show("A type ~0", MessageBoxA(NULL, "not shown", "not shown", ~0u));
    printf("  error %lu\n", GetLastError());
    SetLastError(0xdeadbeef);
    show("A bad owner", MessageBoxA((HWND)(ULONG_PTR)0x12345678, "not shown", "not shown", MB_OK));
    printf("  error %lu\n", GetLastError());

    SetStdHandle(STD_ERROR_HANDLE, err);
    char buf[4096];
    DWORD n = 0;
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    if (!ReadFile(f, buf, sizeof buf - 1, &n, NULL)) {
        printf("ReadFile failed: %lu\n", GetLastError());
        return 1;
    }
    buf[n] = 0;
    CloseHandle(f);
    printf("--- what the boxes printed (%lu bytes):\n%s", n, buf);
    return 0;
}
