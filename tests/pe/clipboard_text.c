/* clipboard_text: the clipboard of one Windows system, shared by its processes.
 * Without OpenClipboard, EmptyClipboard/SetClipboardData/GetClipboardData/CloseClipboard fail
 * with ERROR_CLIPBOARD_NOT_OPEN (1418); a window handle that is no window fails OpenClipboard
 * with ERROR_INVALID_WINDOW_HANDLE (1400). Unicode text set by this process is read back in
 * another open (the same block), as CF_TEXT and CF_OEMTEXT (synthesized), listed by
 * EnumClipboardFormats and counted; the sequence number moves on each change. A child process
 * (this program again) reads the text, cannot open the clipboard while the parent has it open
 * (ERROR_ACCESS_DENIED, 5: Wine 8.0 lets a second OpenClipboard(NULL) through when the
 * first one's window was NULL too), then replaces the contents with ANSI text that the parent reads as
 * Unicode text; EmptyClipboard leaves nothing. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static void run_child(const char *self, const char *what)
{
    char cmd[MAX_PATH + 32];
    STARTUPINFOA si = { sizeof si };
    PROCESS_INFORMATION pi;
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, what);
    fflush(stdout);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        printf("CreateProcess failed: %lu\n", GetLastError());
        return;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child %s exited %lu\n", what, code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

static int child(const char *what)
{
    if (!strcmp(what, "busy")) {
        SetLastError(0xdeadbeef);
        BOOL ok = OpenClipboard(NULL);
        printf("  child: open while the parent has it: %d, error %lu\n", ok, GetLastError());
        return ok ? 1 : 0;
    }
    if (!OpenClipboard(NULL))
        return 2;
    const char *a = GetClipboardData(CF_TEXT);
    printf("  child: CF_TEXT \"%s\"\n", a ? a : "(null)");
    EmptyClipboard();
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE, 16);
    strcpy(GlobalLock(g), "from the child");
    GlobalUnlock(g);
    printf("  child: set CF_TEXT: %d\n", SetClipboardData(CF_TEXT, g) == g);
    CloseClipboard();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return child(argv[1]);
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, MAX_PATH);

    SetLastError(0xdeadbeef);
    BOOL ok = EmptyClipboard();
    printf("EmptyClipboard, not open: %d, error %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    HANDLE h = GetClipboardData(CF_TEXT);
    printf("GetClipboardData, not open: %p, error %lu\n", h, GetLastError());
    SetLastError(0xdeadbeef);
    ok = CloseClipboard();
    printf("CloseClipboard, not open: %d, error %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = OpenClipboard((HWND)(UINT_PTR)0x12345678);
    printf("OpenClipboard of no window: %d, error %lu\n", ok, GetLastError());

    DWORD seq0 = GetClipboardSequenceNumber();
    printf("open: %d\n", OpenClipboard(NULL));
    printf("empty: %d\n", EmptyClipboard());
    const WCHAR text[] = L"caf\u00e9 \u2192 ok";
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE, sizeof text);
    memcpy(GlobalLock(g), text, sizeof text);
    GlobalUnlock(g);
    printf("set CF_UNICODETEXT gives the block: %d\n", SetClipboardData(CF_UNICODETEXT, g) == g);
    printf("close: %d\n", CloseClipboard());
    DWORD seq1 = GetClipboardSequenceNumber();
    printf("sequence number moved: %d\n", seq1 != seq0);
    printf("available: unicode %d, text %d, oem %d, bitmap %d; count %d\n",
           IsClipboardFormatAvailable(CF_UNICODETEXT), IsClipboardFormatAvailable(CF_TEXT),
           IsClipboardFormatAvailable(CF_OEMTEXT), IsClipboardFormatAvailable(CF_BITMAP),
           CountClipboardFormats());

    printf("open again: %d\n", OpenClipboard(NULL));
    const WCHAR *w = GetClipboardData(CF_UNICODETEXT);
    printf("CF_UNICODETEXT: same text %d\n", w && !wcscmp(w, text));
    const char *a = GetClipboardData(CF_TEXT);
    printf("CF_TEXT (UTF-8 ANSI code page): %s\n", a ? a : "(null)");
    printf("CF_TEXT twice gives one block: %d\n", GetClipboardData(CF_TEXT) == a);
    const DWORD *lcid = GetClipboardData(CF_LOCALE);
    printf("CF_LOCALE is the user's default LCID: %d\n", lcid && *lcid == GetUserDefaultLCID());
    printf("formats:");
    for (UINT f = EnumClipboardFormats(0); f; f = EnumClipboardFormats(f))
        printf(" %u", f);
    printf(" (then error %lu)\n", GetLastError());
    run_child(self, "busy");
    printf("close: %d\n", CloseClipboard());

    run_child(self, "write");
    printf("open: %d\n", OpenClipboard(NULL));
    w = GetClipboardData(CF_UNICODETEXT);
    printf("CF_UNICODETEXT of the child's text: %d\n", w && !wcscmp(w, L"from the child"));
    printf("empty: %d\n", EmptyClipboard());
    printf("close: %d\n", CloseClipboard());
    printf("after EmptyClipboard: count %d, text %d\n", CountClipboardFormats(),
           IsClipboardFormatAvailable(CF_TEXT));
    return 0;
}
