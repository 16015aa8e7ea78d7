/* SPDX-License-Identifier: MIT */
/* The console calls a console program makes about its console itself: AllocConsole,
 * AttachConsole and FreeConsole (detach from and attach again to the terminal ntrun started on),
 * GetConsoleWindow, GetConsoleProcessList, GetConsoleScreenBufferInfoEx (on
 * GetConsoleScreenBufferInfo, process.c, with the Windows 10 default colour table) and
 * SetConsoleCursorPosition as an ANSI sequence, inside the buffer as Windows checks it; the
 * position it sets is what GetConsoleScreenBufferInfo reports until output moves the cursor
 * (then the terminal is asked, console_input.c). */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define K32_ATTACH_PARENT_PROCESS 0xffffffffu
#define K32_CONSOLE_WINDOW ((void *)(uintptr_t)0x10014)

typedef struct {
    int16_t X, Y;
} K32_COORD;
typedef struct {
    int16_t Left, Top, Right, Bottom;
} K32_SMALL_RECT;
typedef struct {
    K32_COORD dwSize;
    K32_COORD dwCursorPosition;
    WORD wAttributes;
    K32_SMALL_RECT srWindow;
    K32_COORD dwMaximumWindowSize;
} K32_CSBI;
_Static_assert(sizeof(K32_CSBI) == 0x16, "CONSOLE_SCREEN_BUFFER_INFO");

typedef struct {
    DWORD cbSize;                    /* 0x00 */
    K32_COORD dwSize;                /* 0x04 */
    K32_COORD dwCursorPosition;      /* 0x08 */
    WORD wAttributes;                /* 0x0c */
    K32_SMALL_RECT srWindow;         /* 0x0e */
    K32_COORD dwMaximumWindowSize;   /* 0x16 */
    WORD wPopupAttributes;           /* 0x1a */
    BOOL bFullscreenSupported;       /* 0x1c */
    DWORD ColorTable[16];            /* 0x20 */
} K32_CSBI_EX;
_Static_assert(offsetof(K32_CSBI_EX, srWindow) == 0x0e, "CSBIEX.srWindow");
_Static_assert(offsetof(K32_CSBI_EX, ColorTable) == 0x20, "CSBIEX.ColorTable");
_Static_assert(sizeof(K32_CSBI_EX) == 0x60, "CONSOLE_SCREEN_BUFFER_INFOEX");

BOOL WINAPI GetConsoleScreenBufferInfo(HANDLE h, K32_CSBI *info); /* process.c */
BOOL WINAPI GetConsoleMode(HANDLE h, DWORD *mode);                 /* process.c */
HANDLE WINAPI GetStdHandle(DWORD which);                           /* process.c */

/* Whether the process has a terminal among its standard handles (its "console"). */
static bool k32_has_terminal(void)
{
    static const DWORD std[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    DWORD mode;
    for (int i = 0; i < 3; i++)
        if (GetConsoleMode(GetStdHandle(std[i]), &mode))
            return true;
    return false;
}

/* FreeConsole detaches the process from its console as on Windows: the console calls on its
 * handles (k32_console_fd) then fail with ERROR_INVALID_HANDLE and GetConsoleWindow gives NULL;
 * AllocConsole, or AttachConsole(ATTACH_PARENT_PROCESS) when there is a terminal, attaches it
 * again to the terminal it was started on. Plain reads and writes (ReadFile/WriteFile) of the terminal still work, where
 * Windows' would fail. */
int k32_console_detached;

BOOL WINAPI AllocConsole(void)
{
    if (__atomic_exchange_n(&k32_console_detached, 0, __ATOMIC_ACQ_REL))
        return TRUE;
    thk_set_last_error(ERROR_ACCESS_DENIED); /* a console program has its console already */
    return FALSE;
}
THK_EXPORT(kernel32, AllocConsole, 0);

BOOL WINAPI AttachConsole(DWORD pid)
{
    if (!__atomic_load_n(&k32_console_detached, __ATOMIC_ACQUIRE)) {
        thk_set_last_error(ERROR_ACCESS_DENIED); /* attached already */
        return FALSE;
    }
    /* The parent's console is the terminal ntrun was started on, when there is one (without,
     * the parent has no console: ERROR_INVALID_HANDLE, as Wine 8.0 gives from a shell). */
    __atomic_store_n(&k32_console_detached, 0, __ATOMIC_RELEASE);
    if (pid == K32_ATTACH_PARENT_PROCESS && k32_has_terminal())
        return TRUE;
    __atomic_store_n(&k32_console_detached, 1, __ATOMIC_RELEASE);
    thk_set_last_error(pid == K32_ATTACH_PARENT_PROCESS ? ERROR_INVALID_HANDLE
                                                         : ERROR_INVALID_PARAMETER);
    return FALSE;
}
THK_EXPORT(kernel32, AttachConsole, 1);

BOOL WINAPI FreeConsole(void)
{
    __atomic_store_n(&k32_console_detached, 1, __ATOMIC_RELEASE);
    return TRUE;
}
THK_EXPORT(kernel32, FreeConsole, 0);

/* A window handle for the console when there is a terminal; it is only ever compared. */
void *WINAPI GetConsoleWindow(void) { return k32_has_terminal() ? K32_CONSOLE_WINDOW : NULL; }
THK_EXPORT(kernel32, GetConsoleWindow, 0);

DWORD WINAPI GetConsoleProcessList(DWORD *list, DWORD count)
{
    if (!list || !count) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    list[0] = (DWORD)getpid();
    return 1;
}
THK_EXPORT(kernel32, GetConsoleProcessList, 2);

BOOL WINAPI GetConsoleScreenBufferInfoEx(HANDLE h, K32_CSBI_EX *info)
{
    static const DWORD colors[16] = {
        0x0c0c0c, 0xda3700, 0x0ea113, 0xdd963a, 0x1f0fc5, 0x981788, 0x009cc1, 0xcccccc,
        0x767676, 0xff783b, 0x0cc616, 0xd6d661, 0x5648e7, 0x9e00b4, 0xa5f1f9, 0xf2f2f2,
    }; /* the Windows 10 console's defaults, COLORREF 0x00BBGGRR */
    if (!info || info->cbSize != sizeof *info) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    K32_CSBI b;
    if (!GetConsoleScreenBufferInfo(h, &b))
        return FALSE;
    info->dwSize = b.dwSize;
    info->dwCursorPosition = b.dwCursorPosition;
    info->wAttributes = b.wAttributes;
    info->srWindow = b.srWindow;
    info->dwMaximumWindowSize = b.dwMaximumWindowSize;
    info->wPopupAttributes = 0xf5;
    info->bFullscreenSupported = FALSE;
    memcpy(info->ColorTable, colors, sizeof colors);
    return TRUE;
}
THK_EXPORT(kernel32, GetConsoleScreenBufferInfoEx, 2);

BOOL WINAPI SetConsoleCursorPosition(HANDLE h, K32_COORD pos)
{
    bool input = true;
    int fd = k32_console_fd(h, &input);
    if (fd < 0 || input) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    /* inside the buffer (the terminal's width, or SetConsoleScreenBufferSize's size; the
     * alternate buffer the window's size) */
    int cols, rows;
    int16_t bw = 0, bh = 0;
    k32_screen_window(fd, &cols, &rows);
    k32_screen_dims(cols, rows, &bw, &bh);
    if (pos.X < 0 || pos.Y < 0 || pos.X >= bw || pos.Y >= bh) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    char seq[32];
    int16_t y = pos.Y; /* origin mode: the row the terminal can give */
    int n = k32_screen_cup(fd, pos.X, pos.Y, seq, sizeof seq, &y);
    uint64_t before = nt_console_output_count();
    if (!k32_write_all(h, seq, (size_t)n))
        return FALSE;
    k32_con_cursor_set(pos.X, y); /* where GetConsoleScreenBufferInfo finds it */
    k32_screen_cells_kept(before);    /* no cell changed */
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleCursorPosition, 2);
