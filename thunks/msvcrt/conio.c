/* SPDX-License-Identifier: MIT */
/* The console I/O of conio.h, shared by msvcrt and ucrtbase: _putch/_putwch, _cputs/_cputws,
 * the _cprintf family's sink (format.c and thunks/ucrtbase/conio.c format into it), _getch/
 * _getche/_getwch/_getwche (+ _nolock), _kbhit, _ungetch/_ungetwch, _cgets/_cgetws (+ _s) and
 * the _cscanf family's source. As on Windows they talk to the console itself, CONOUT$ and
 * CONIN$ (opened once, on first use; ntemu maps both to the controlling terminal /dev/tty),
 * never to the standard handles: a redirected stdout does not see _cprintf's text, and without
 * a console (no controlling terminal) output fails with -1 / EOF.
 *
 * Output: narrow text goes through WriteConsoleA (the console output code page), wide text
 * through WriteConsoleW. Input: _getch reads the console input buffer's key events
 * (ReadConsoleInputW on CONIN$, kernel32's console_input.c, which owns the terminal and
 * decodes its keys) with the input mode 0 for the call (no echo, no line editing, ^C read as
 * 3), as Windows' CRT does: keys typed ahead or already queued come first. Enter is '\r',
 * Backspace 8, and a key without a character (arrows, editing keys, F-keys, with Shift, Ctrl
 * or Alt) comes in Windows' two-code form (0xE0 or 0, then its code). A character beyond the
 * console input code page's one byte (_getch) or beyond UTF-16's one unit (_getwch) comes as
 * consecutive codes. _kbhit peeks at the buffer without waiting or taking anything. _cgets
 * reads one line through ReadConsoleW with line input and echo (the runtime's line editor), as
 * Windows' _cgets sets it. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "thunks/msvcrt/crt.h"
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/thunks_private.h"

HANDLE WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD sharing, void *sa,
                          DWORD disposition, DWORD flags, HANDLE template_file);
BOOL WINAPI CloseHandle(HANDLE h);
BOOL WINAPI WriteConsoleA(HANDLE h, const char *buf, DWORD n, DWORD *written, void *reserved);
BOOL WINAPI WriteConsoleW(HANDLE h, const WCHAR *buf, DWORD n, DWORD *written, void *reserved);
BOOL WINAPI ReadConsoleW(HANDLE h, WCHAR *buf, DWORD n, DWORD *nread, void *control);
UINT WINAPI GetConsoleCP(void);
BOOL WINAPI GetConsoleMode(HANDLE h, DWORD *mode);
BOOL WINAPI SetConsoleMode(HANDLE h, DWORD mode);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used);

#define CON_GENERIC_READ 0x80000000u
#define CON_GENERIC_WRITE 0x40000000u
#define CON_SHARE_RW 3u
#define CON_OPEN_EXISTING 3u
#define CON_EOF (-1)
#define CON_WEOF 0xffff
#define CON_LINE_MODE 0x7 /* ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT */

static pthread_mutex_t con_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static HANDLE con_out, con_in; /* NULL: not opened yet; INVALID_HANDLE_VALUE: no console */
/* Codes already read and not yet returned: the rest of a key (its scan code, the second byte
 * of a double-byte character, a low surrogate), narrow and wide apart, then _ungetch's. */
static int con_rest[8], con_rest_n;
static int con_unget = CON_EOF, con_unwget = CON_WEOF;

void crt_conio_reset(void)
{
    pthread_mutex_lock(&con_lock);
    con_out = con_in = NULL; /* the run's handle table is gone with it */
    con_rest_n = 0;
    con_unget = CON_EOF;
    con_unwget = CON_WEOF;
    pthread_mutex_unlock(&con_lock);
}

static HANDLE con_open(HANDLE *slot, const WCHAR *name)
{
    if (!*slot) {
        HANDLE h = CreateFileW(name, CON_GENERIC_READ | CON_GENERIC_WRITE, CON_SHARE_RW, NULL,
                               CON_OPEN_EXISTING, 0, NULL);
        *slot = h ? h : INVALID_HANDLE_VALUE;
    }
    return *slot;
}

/* ---- output ---- */

/* n bytes (narrow) or UTF-16 units (wide) to CONOUT$; false when there is no console. */
static bool con_write(const void *s, size_t n, bool wide)
{
    pthread_mutex_lock(&con_lock);
    HANDLE h = con_open(&con_out, u"CONOUT$");
    bool ok = h != INVALID_HANDLE_VALUE;
    while (ok && n) {
        DWORD chunk = n > 0x10000 ? 0x10000 : (DWORD)n, done = 0;
        ok = wide ? WriteConsoleW(h, s, chunk, &done, NULL)
                  : WriteConsoleA(h, s, chunk, &done, NULL);
        s = (const char *)s + (size_t)chunk * (wide ? 2 : 1);
        n -= chunk;
    }
    pthread_mutex_unlock(&con_lock);
    return ok;
}

/* The _cprintf family's sinks: ctx is a crt_conio_sink; a failed write fails the call. */
static size_t con_sink_a(void *ctx, const char *s, size_t n)
{
    crt_conio_sink *k = ctx;
    if (!k->failed && !con_write(s, n, false))
        k->failed = true;
    return n;
}
static size_t con_sink_w(void *ctx, const WCHAR *s, size_t n)
{
    crt_conio_sink *k = ctx;
    if (!k->failed && !con_write(s, n, true))
        k->failed = true;
    return n;
}
crt_out crt_conio_out(crt_conio_sink *k) { return (crt_out){con_sink_a, k}; }
crt_wout crt_conio_wout(crt_conio_sink *k) { return (crt_wout){con_sink_w, k}; }

void crt_conio_lock(void) { pthread_mutex_lock(&con_lock); }
void crt_conio_unlock(void) { pthread_mutex_unlock(&con_lock); }

static int WINAPI msvcrt__putch(int c)
{
    char b = (char)c;
    return con_write(&b, 1, false) ? (c & 0xff) : CON_EOF;
}
THK_EXPORT_AS(msvcrt, _putch, msvcrt__putch, 1);
THK_EXPORT_AS(msvcrt, _putch_nolock, msvcrt__putch, 1);
THK_EXPORT_AS(msvcrt, putch, msvcrt__putch, 1);

static unsigned WINAPI msvcrt__putwch(WCHAR c)
{
    return con_write(&c, 1, true) ? c : CON_WEOF;
}
THK_EXPORT_AS(msvcrt, _putwch, msvcrt__putwch, 1);
THK_EXPORT_AS(msvcrt, _putwch_nolock, msvcrt__putwch, 1);

/* _cputs / _cputws: 0, or -1 (no console, NULL string: EINVAL). */
static int WINAPI msvcrt__cputs(const char *s)
{
    if (!s) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return con_write(s, strlen(s), false) ? 0 : -1;
}
THK_EXPORT_AS(msvcrt, _cputs, msvcrt__cputs, 1);

static int WINAPI msvcrt__cputws(const WCHAR *s)
{
    if (!s) {
        crt_set_errno(CRT_EINVAL);
        return -1;
    }
    return con_write(s, crt_wcslen(s), true) ? 0 : -1;
}
THK_EXPORT_AS(msvcrt, _cputws, msvcrt__cputws, 1);

/* ---- input ---- */

/* ---- key events ----
 * As Windows' CRT, the keys come from the console input buffer (kernel32's console_input.c,
 * which owns the terminal): _getch sets the input mode to 0 for the call (no line input, no
 * echo, ^C a key: 3) and reads input records until a key press that has a character (in the
 * console input code page for _getch, UTF-16 for _getwch) or one of the CRT's two-code keys;
 * other records (key releases, Shift alone, window-size events) are consumed and dropped.
 * Keys typed ahead, decoded earlier by the buffer (a ReadConsoleInput, PeekConsoleInput or
 * wait) or written by WriteConsoleInput come first, in order. */

typedef struct {
    BOOL bKeyDown;           /* 0x00 */
    WORD wRepeatCount;       /* 0x04 */
    WORD wVirtualKeyCode;    /* 0x06 */
    WORD wVirtualScanCode;   /* 0x08 */
    WCHAR UnicodeChar;       /* 0x0a */
    DWORD dwControlKeyState; /* 0x0c */
} con_key_event;
typedef struct {
    WORD EventType; /* 0x00 */
    WORD pad;       /* 0x02 */
    union {         /* 0x04 */
        con_key_event Key;
        uint8_t raw[16];
    } Event;
} con_input_record;
_Static_assert(sizeof(con_input_record) == 0x14, "INPUT_RECORD");
_Static_assert(offsetof(con_input_record, Event.Key.UnicodeChar) == 0x0e, "uChar");

BOOL WINAPI ReadConsoleInputW(HANDLE h, con_input_record *buf, DWORD n, DWORD *count);
BOOL WINAPI PeekConsoleInputW(HANDLE h, con_input_record *buf, DWORD n, DWORD *count);
BOOL WINAPI GetNumberOfConsoleInputEvents(HANDLE h, DWORD *count);

#define CON_KEY_EVENT 0x0001
#define CON_ALT (0x0001 | 0x0002)  /* RIGHT_ALT_PRESSED | LEFT_ALT_PRESSED */
#define CON_CTRL (0x0004 | 0x0008) /* RIGHT_CTRL_PRESSED | LEFT_CTRL_PRESSED */
#define CON_SHIFT 0x0010
#define CON_ENHANCED 0x0100

/* The CRT's two-code form of a key without a character (Windows' _getextendedkeycode; the
 * codes are the IBM PC BIOS's). The enhanced keys (ENHANCED_KEY: the cursor and editing block
 * beside the keypad), by scan code: the second code plain, with Shift, with Ctrl, with Alt;
 * the lead code is 0xE0, or 0 with Alt. (The keypad's Enter and '/' are enhanced too, but
 * they have characters.) */
static const struct {
    uint8_t scan, code[4];
} con_ext_enhanced[] = {
    {0x47, {0x47, 0x47, 0x77, 0x97}}, /* Home */
    {0x48, {0x48, 0x48, 0x8d, 0x98}}, /* Up */
    {0x49, {0x49, 0x49, 0x86, 0x99}}, /* Page Up */
    {0x4b, {0x4b, 0x4b, 0x73, 0x9b}}, /* Left */
    {0x4d, {0x4d, 0x4d, 0x74, 0x9d}}, /* Right */
    {0x4f, {0x4f, 0x4f, 0x75, 0x9f}}, /* End */
    {0x50, {0x50, 0x50, 0x91, 0xa0}}, /* Down */
    {0x51, {0x51, 0x51, 0x76, 0xa1}}, /* Page Down */
    {0x52, {0x52, 0x52, 0x92, 0xa2}}, /* Insert */
    {0x53, {0x53, 0x53, 0x93, 0xa3}}, /* Delete */
};

/* A key that is not enhanced: Alt with a character key of the main block gives (0, scan) (Alt
 * with the digit row: 0x78-0x83), Shift+Tab (0, 0x0f), Ctrl+Tab (0, 0x94), Ctrl+2 (0, 3); the
 * function keys F1-F10 (0, 0x3b-0x44; Shift +0x19, Ctrl +0x23, Alt +0x2d), F11/F12 (0xE0,
 * 0x85/0x86; Shift 0x87/0x88, Ctrl 0x89/0x8a, Alt 0x8b/0x8c); the keypad's cursor keys with
 * NumLock off (0, scan; Ctrl as the enhanced keys, Ctrl+PgUp 0x84). *lead and *code, or false
 * when the key gives nothing (a modifier key alone, a key unknown to the table). */
static bool con_ext_key(const con_key_event *k, uint8_t *lead, uint8_t *code)
{
    DWORD st = k->dwControlKeyState;
    unsigned col = (st & CON_ALT) ? 3 : (st & CON_CTRL) ? 2 : (st & CON_SHIFT) ? 1 : 0;
    unsigned scan = k->wVirtualScanCode;
    *lead = 0;
    *code = 0;
    if (st & CON_ENHANCED) {
        for (size_t i = 0; i < sizeof con_ext_enhanced / sizeof con_ext_enhanced[0]; i++)
            if (con_ext_enhanced[i].scan == scan) {
                *lead = col == 3 ? 0 : 0xe0;
                *code = con_ext_enhanced[i].code[col];
                return true;
            }
        return false;
    }
    static const uint8_t pad_ctrl[13] = {0x77, 0x8d, 0x84, 0, 0x73, 0, 0x74, 0, 0x75, 0x91,
                                         0x76, 0x92, 0x93}; /* scan 0x47-0x53 */
    if (scan >= 0x3b && scan <= 0x44) {
        *code = (uint8_t)(scan + (uint8_t[]){0, 0x19, 0x23, 0x2d}[col]);
    } else if (scan == 0x57 || scan == 0x58) {
        *lead = 0xe0;
        *code = (uint8_t)(0x85 + (scan - 0x57) + 2 * col);
    } else if (scan >= 0x47 && scan <= 0x53) {
        if (col == 0 || col == 2)
            *code = col == 0 ? (pad_ctrl[scan - 0x47] ? (uint8_t)scan : 0) : pad_ctrl[scan - 0x47];
    } else if (col == 3) {
        if (scan >= 2 && scan <= 0x0d)
            *code = (uint8_t)(scan + 0x76); /* the digit row, - and = */
        else if (scan == 1 || (scan >= 0x0e && scan <= 0x35 && scan != 0x1d && scan != 0x2a &&
                               scan != 0x2b))
            *code = (uint8_t)scan;
    } else if (scan == 0x0f) {
        *code = col == 1 ? 0x0f : col == 2 ? 0x94 : 0;
    } else if (scan == 3 && col == 2) {
        *code = 3;
    }
    return *code != 0;
}

/* The console's input handle (CONIN$), or INVALID_HANDLE_VALUE. Called with con_lock held. */
static HANDLE con_in_handle(void) { return con_open(&con_in, u"CONIN$"); }

/* Reads records until a key press that gives something (waits): its character in *ch, or 0
 * and its two codes in *lead / *code. False when the console cannot be read (no console, end
 * of input). With con_lock held; the input mode is 0 for the read, then put back. */
static bool con_read_key(HANDLE h, WCHAR *ch, uint8_t *lead, uint8_t *code)
{
    DWORD old = 0;
    bool had = GetConsoleMode(h, &old);
    bool ok = false;
    if (had)
        SetConsoleMode(h, 0);
    for (;;) {
        con_input_record r;
        DWORD n = 0;
        if (!ReadConsoleInputW(h, &r, 1, &n) || n != 1)
            break;
        if (r.EventType != CON_KEY_EVENT || !r.Event.Key.bKeyDown)
            continue;
        *ch = r.Event.Key.UnicodeChar;
        if (*ch || con_ext_key(&r.Event.Key, lead, code)) {
            ok = true;
            break;
        }
    }
    if (had)
        SetConsoleMode(h, old);
    return ok;
}

/* The next code for _getch (narrow: bytes of the console input code page) or _getwch (UTF-16
 * units). A key's further codes (the second of a two-code key, the rest of a multi-byte
 * character or the low half of a surrogate pair) are returned by the next calls without
 * reading or echoing, as Windows' one-code push-back buffer does (_ungetch fails meanwhile).
 * _getche/_getwche echo the code read (the first of a two-code key too, as Windows' do). */
static int con_getch(bool wide, bool echo)
{
    pthread_mutex_lock(&con_lock);
    int *unget = wide ? &con_unwget : &con_unget, none = wide ? CON_WEOF : CON_EOF;
    if (*unget != none) {
        int c = *unget;
        *unget = none;
        pthread_mutex_unlock(&con_lock);
        return c;
    }
    if (con_rest_n) {
        int c = con_rest[0];
        memmove(con_rest, con_rest + 1, (size_t)--con_rest_n * sizeof *con_rest);
        pthread_mutex_unlock(&con_lock);
        return c;
    }
    HANDLE h = con_in_handle();
    WCHAR w[2] = {0, 0};
    uint8_t lead = 0, code = 0;
    int codes[8], n = 0;
    if (h == INVALID_HANDLE_VALUE || !con_read_key(h, &w[0], &lead, &code)) {
        codes[n++] = none;
    } else if (!w[0]) {
        codes[n++] = lead;
        codes[n++] = code;
    } else {
        int wn = 1;
        uint8_t l2, c2;
        /* a pair's low half is the next key event (a character beyond the BMP is two) */
        if (w[0] >= 0xd800 && w[0] < 0xdc00 && con_read_key(h, &w[1], &l2, &c2) && w[1])
            wn = 2;
        if (wide) {
            for (int i = 0; i < wn; i++)
                codes[n++] = w[i];
        } else {
            char mb[8];
            int len = WideCharToMultiByte(GetConsoleCP(), 0, w, wn, mb, sizeof mb, NULL, NULL);
            if (len <= 0)
                mb[0] = '?', len = 1;
            for (int i = 0; i < len && n < 8; i++)
                codes[n++] = (uint8_t)mb[i];
        }
    }
    for (int i = 1; i < n; i++)
        con_rest[con_rest_n++] = codes[i];
    pthread_mutex_unlock(&con_lock);
    if (echo && codes[0] != none) {
        if (wide) {
            WCHAR c = (WCHAR)codes[0];
            con_write(&c, 1, true);
        } else {
            char c = (char)codes[0];
            con_write(&c, 1, false);
        }
    }
    return codes[0];
}

static int WINAPI msvcrt__getch(void) { return con_getch(false, false); }
THK_EXPORT_AS(msvcrt, _getch, msvcrt__getch, 0);
THK_EXPORT_AS(msvcrt, _getch_nolock, msvcrt__getch, 0);
THK_EXPORT_AS(msvcrt, getch, msvcrt__getch, 0);
static int WINAPI msvcrt__getche(void) { return con_getch(false, true); }
THK_EXPORT_AS(msvcrt, _getche, msvcrt__getche, 0);
THK_EXPORT_AS(msvcrt, _getche_nolock, msvcrt__getche, 0);
THK_EXPORT_AS(msvcrt, getche, msvcrt__getche, 0);
static unsigned WINAPI msvcrt__getwch(void) { return (unsigned)con_getch(true, false); }
THK_EXPORT_AS(msvcrt, _getwch, msvcrt__getwch, 0);
THK_EXPORT_AS(msvcrt, _getwch_nolock, msvcrt__getwch, 0);
static unsigned WINAPI msvcrt__getwche(void) { return (unsigned)con_getch(true, true); }
THK_EXPORT_AS(msvcrt, _getwche, msvcrt__getwche, 0);
THK_EXPORT_AS(msvcrt, _getwche_nolock, msvcrt__getwche, 0);

/* _ungetch / _ungetwch: one code back; a second before it is read fails (EOF / WEOF), as does
 * one while the rest of a key waits (Windows keeps both in one push-back buffer). */
static int WINAPI msvcrt__ungetch(int c)
{
    pthread_mutex_lock(&con_lock);
    int r = CON_EOF;
    if (c != CON_EOF && con_unget == CON_EOF && !con_rest_n)
        r = con_unget = c & 0xff;
    pthread_mutex_unlock(&con_lock);
    return r;
}
THK_EXPORT_AS(msvcrt, _ungetch, msvcrt__ungetch, 1);
THK_EXPORT_AS(msvcrt, _ungetch_nolock, msvcrt__ungetch, 1);
THK_EXPORT_AS(msvcrt, ungetch, msvcrt__ungetch, 1);

static unsigned WINAPI msvcrt__ungetwch(WCHAR c)
{
    pthread_mutex_lock(&con_lock);
    unsigned r = CON_WEOF;
    if (c != CON_WEOF && con_unwget == CON_WEOF && !con_rest_n)
        r = (unsigned)(con_unwget = c);
    pthread_mutex_unlock(&con_lock);
    return r;
}
THK_EXPORT_AS(msvcrt, _ungetwch, msvcrt__ungetwch, 1);
THK_EXPORT_AS(msvcrt, _ungetwch_nolock, msvcrt__ungetwch, 1);

/* Whether _getch would return something for a record: a key press with a character or a
 * two-code key. */
static bool con_key_gives(const con_input_record *r)
{
    uint8_t lead, code;
    return r->EventType == CON_KEY_EVENT && r->Event.Key.bKeyDown &&
           (r->Event.Key.UnicodeChar || con_ext_key(&r->Event.Key, &lead, &code));
}

/* _kbhit: non-zero when a key is waiting (a code put back, the rest of a key, or a key press
 * in the console input buffer that _getch would return), without waiting and without taking
 * anything out of the buffer (Windows' peeks at every pending record). */
static int WINAPI msvcrt__kbhit(void)
{
    pthread_mutex_lock(&con_lock);
    int r = con_unget != CON_EOF || con_unwget != CON_WEOF || con_rest_n;
    HANDLE h = r ? INVALID_HANDLE_VALUE : con_in_handle();
    DWORD pending = 0, got = 0;
    if (h != INVALID_HANDLE_VALUE && GetNumberOfConsoleInputEvents(h, &pending) && pending) {
        con_input_record small[64];
        con_input_record *recs = pending <= 64 ? small : malloc(pending * sizeof *recs);
        if (recs && PeekConsoleInputW(h, recs, pending, &got))
            for (DWORD i = 0; i < got && !r; i++)
                r = con_key_gives(&recs[i]);
        if (recs != small)
            free(recs);
    }
    pthread_mutex_unlock(&con_lock);
    return r;
}
THK_EXPORT_AS(msvcrt, _kbhit, msvcrt__kbhit, 0);
THK_EXPORT_AS(msvcrt, kbhit, msvcrt__kbhit, 0);

/* One edited line into w (at most max units, its CR LF dropped); the count or -1. */
static int con_read_line(WCHAR *w, size_t max)
{
    pthread_mutex_lock(&con_lock);
    HANDLE h = con_open(&con_in, u"CONIN$");
    DWORD got = 0, mode = 0;
    /* line input with echo for the read, as Windows' _cgets sets it, the mode put back after */
    bool had = h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
    if (had)
        SetConsoleMode(h, CON_LINE_MODE);
    bool ok = h != INVALID_HANDLE_VALUE && ReadConsoleW(h, w, (DWORD)max, &got, NULL);
    if (had)
        SetConsoleMode(h, mode);
    pthread_mutex_unlock(&con_lock);
    if (!ok)
        return -1;
    if (got && w[got - 1] == '\n')
        got--;
    if (got && w[got - 1] == '\r')
        got--;
    return (int)got;
}

/* _cgetws_s / _cgets_s: at most size - 1 characters and a NUL; *read the count. */
static int WINAPI msvcrt__cgetws_s(WCHAR *buf, size_t size, size_t *read)
{
    if (!buf || !size || !read) {
        if (read)
            *read = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    int n = con_read_line(buf, size - 1);
    *read = n < 0 ? 0 : (size_t)n;
    buf[*read] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, _cgetws_s, msvcrt__cgetws_s, 3);

static int WINAPI msvcrt__cgets_s(char *buf, size_t size, size_t *read)
{
    if (!buf || !size || !read) {
        if (read)
            *read = 0;
        crt_set_errno(CRT_EINVAL);
        return CRT_EINVAL;
    }
    WCHAR w[256];
    size_t max = size - 1 < 255 ? size - 1 : 255;
    int n = con_read_line(w, max);
    int len = n > 0 ? WideCharToMultiByte(GetConsoleCP(), 0, w, n, buf, (int)(size - 1), "?",
                                          NULL)
                    : 0;
    *read = len > 0 ? (size_t)len : 0;
    buf[*read] = 0;
    return 0;
}
THK_EXPORT_AS(msvcrt, _cgets_s, msvcrt__cgets_s, 3);

/* _cgets / _cgetws: buf[0] the room (characters, NUL included), buf[1] the length read, the
 * text from buf + 2, which is returned. */
static char *WINAPI msvcrt__cgets(char *buf)
{
    if (!buf) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    size_t read = 0;
    msvcrt__cgets_s(buf + 2, (uint8_t)buf[0] ? (uint8_t)buf[0] : 1, &read);
    buf[1] = (char)read;
    return buf + 2;
}
THK_EXPORT_AS(msvcrt, _cgets, msvcrt__cgets, 1);

static WCHAR *WINAPI msvcrt__cgetws(WCHAR *buf)
{
    if (!buf) {
        crt_set_errno(CRT_EINVAL);
        return NULL;
    }
    size_t read = 0;
    msvcrt__cgetws_s(buf + 2, buf[0] ? buf[0] : 1, &read);
    buf[1] = (WCHAR)read;
    return buf + 2;
}
THK_EXPORT_AS(msvcrt, _cgetws, msvcrt__cgetws, 1);

/* ---- the _cscanf family's source: _getche's keys, the one looked ahead put back ---- */
static int con_in_getc(void *ctx)
{
    bool wide = ctx != NULL;
    int c = con_getch(wide, true);
    return c == (wide ? CON_WEOF : CON_EOF) ? -1 : c;
}
static void con_in_ungetc(void *ctx, int c)
{
    if (c < 0)
        return;
    if (ctx)
        msvcrt__ungetwch((WCHAR)c);
    else
        msvcrt__ungetch(c);
}
static bool con_wide_tag; /* ctx of the wide source (the narrow one's is NULL) */
crt_in crt_conio_in(bool wide)
{
    return (crt_in){con_in_getc, con_in_ungetc, wide ? &con_wide_tag : NULL};
}

/* _cscanf family: the _l forms take their locale's decimal point, the _s forms a size after
 * each %c %s %[ pointer. */
static int con_scan(const void *fmt, bool wide, bool secure, const void *locale,
                    __builtin_ms_va_list ap)
{
    unsigned flags = (secure ? CRT_SCAN_SECURE : 0) |
                     (locale ? CRT_SCAN_DECIMAL(crt_locale_arg(locale)->decimal) : 0);
    return crt_scan_console(fmt, wide, flags, ap);
}

int crt_conio_vscan(uint64_t ucrt_options, const void *fmt, bool wide, const void *locale,
                    __builtin_ms_va_list ap)
{
    unsigned flags = CRT_SCAN_UCRT | ((ucrt_options & 1) ? CRT_SCAN_SECURE : 0) |
                     CRT_SCAN_DECIMAL(crt_locale_arg(locale)->decimal);
    return crt_scan_console(fmt, wide, flags, ap);
}

#define CON_SCANF(name, fmt_t, wide, secure)                                                 \
    static int WINAPI msvcrt_##name(fmt_t fmt, ...)                                          \
    {                                                                                        \
        __builtin_ms_va_list ap;                                                             \
        __builtin_ms_va_start(ap, fmt);                                                      \
        int r = con_scan(fmt, wide, secure, NULL, ap);                                       \
        __builtin_ms_va_end(ap);                                                             \
        return r;                                                                            \
    }                                                                                        \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, THK_VARIADIC)
#define CON_SCANF_L(name, fmt_t, wide, secure)                                               \
    static int WINAPI msvcrt_##name(fmt_t fmt, void *locale, ...)                            \
    {                                                                                        \
        __builtin_ms_va_list ap;                                                             \
        __builtin_ms_va_start(ap, locale);                                                   \
        int r = con_scan(fmt, wide, secure, locale, ap);                                     \
        __builtin_ms_va_end(ap);                                                             \
        return r;                                                                            \
    }                                                                                        \
    THK_EXPORT_AS(msvcrt, name, msvcrt_##name, THK_VARIADIC)
CON_SCANF(_cscanf, const char *, false, false);
CON_SCANF(_cscanf_s, const char *, false, true);
CON_SCANF_L(_cscanf_l, const char *, false, false);
CON_SCANF_L(_cscanf_s_l, const char *, false, true);
CON_SCANF(_cwscanf, const WCHAR *, true, false);
CON_SCANF(_cwscanf_s, const WCHAR *, true, true);
CON_SCANF_L(_cwscanf_l, const WCHAR *, true, false);
CON_SCANF_L(_cwscanf_s_l, const WCHAR *, true, true);
