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
 * through WriteConsoleW. Input: _getch reads one key with the terminal in raw mode for the
 * call (no echo, no line editing, ^C read as 3 as with the console mode 0 Windows' _getch
 * sets), Enter as '\r' and Backspace as 8; the terminal's escape sequences of the cursor and
 * editing keys and F1-F4 become Windows' two-code form (0xE0 or 0, then the scan code). A
 * character beyond the console input code page's one byte (_getch) or beyond UTF-16's one unit
 * (_getwch) comes as consecutive codes. _kbhit looks without waiting (raw mode for the look;
 * a key typed while no conio input call runs is echoed by the terminal, unlike Windows).
 * _cgets reads one edited line (the terminal's line mode, as Windows' _cgets sets the console
 * to line input with echo) through ReadConsoleW. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
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

/* CONIN$'s terminal fd, or -1 (no console). Called with con_lock held. */
static int con_in_fd(void)
{
    HANDLE h = con_open(&con_in, u"CONIN$");
    nt_file *f;
    if (h == INVALID_HANDLE_VALUE || !NT_SUCCESS(nt_file_get(h, &f)))
        return -1;
    int fd = f->fd;
    nt_object_release(&f->hdr);
    return fd >= 0 && isatty(fd) ? fd : -1;
}

/* The terminal in raw mode (no echo, no line editing, no signals, CR kept), the old modes in
 * *saved; false if it is not a terminal. */
static bool con_raw(int fd, struct termios *saved)
{
    if (tcgetattr(fd, saved) != 0)
        return false;
    struct termios raw = *saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSANOW, &raw) == 0;
}

static int con_read_byte(int fd, int wait_ms)
{
    if (wait_ms >= 0) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, wait_ms) <= 0)
            return -1;
    }
    unsigned char b;
    ssize_t r;
    do
        r = read(fd, &b, 1);
    while (r < 0 && errno == EINTR);
    return r == 1 ? b : -1;
}

/* The terminal's sequences for the keys Windows reports as two codes: prefix, scan code. */
static const struct {
    const char *seq;
    uint8_t prefix, scan;
} con_keys[] = {
    {"[A", 0xe0, 0x48}, {"[B", 0xe0, 0x50}, {"[C", 0xe0, 0x4d}, {"[D", 0xe0, 0x4b},
    {"[H", 0xe0, 0x47}, {"[F", 0xe0, 0x4f}, {"OH", 0xe0, 0x47}, {"OF", 0xe0, 0x4f},
    {"[1~", 0xe0, 0x47}, {"[4~", 0xe0, 0x4f}, {"[2~", 0xe0, 0x52}, {"[3~", 0xe0, 0x53},
    {"[5~", 0xe0, 0x49}, {"[6~", 0xe0, 0x51}, {"OP", 0, 0x3b}, {"OQ", 0, 0x3c},
    {"OR", 0, 0x3d}, {"OS", 0, 0x3e},
};

/* One key from the raw terminal: a Unicode code point, or a two-code key as
 * -(prefix << 8 | scan) - 1 (below CON_EOF); CON_EOF on failure. */
static long con_read_key(int fd)
{
    int b = con_read_byte(fd, -1);
    if (b < 0)
        return CON_EOF;
    if (b == 0x1b) { /* a key's sequence arrives at once; a lone Esc is Esc */
        char seq[8];
        size_t n = 0;
        int c;
        while (n < sizeof seq - 1 && (c = con_read_byte(fd, n ? 10 : 30)) >= 0) {
            seq[n++] = (char)c;
            if (n >= 2 && ((c >= 'A' && c <= 'Z') || c == '~'))
                break;
        }
        seq[n] = 0;
        for (size_t i = 0; i < sizeof con_keys / sizeof con_keys[0]; i++)
            if (!strcmp(seq, con_keys[i].seq))
                return -(long)((con_keys[i].prefix << 8) | con_keys[i].scan) - 1;
        return 0x1b; /* an unknown sequence: its Esc; the rest is dropped */
    }
    if (b == 0x7f)
        return 8; /* Backspace */
    if (b < 0x80)
        return b;
    int more = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
    char u[4] = {(char)b};
    for (int i = 1; i <= more; i++) {
        int c = con_read_byte(fd, -1);
        if (c < 0)
            return CON_EOF;
        u[i] = (char)c;
    }
    uint32_t cp;
    if (crt_utf8_decode(u, (size_t)more + 1, &cp) != more + 1)
        return 0xfffd;
    return (long)cp;
}

/* The next code for _getch (narrow: bytes of the console input code page) or _getwch (UTF-16
 * units), echoed when asked (not the two-code keys, as Windows' _getche). */
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
    int fd = con_in_fd();
    struct termios saved;
    if (fd < 0 || !con_raw(fd, &saved)) {
        pthread_mutex_unlock(&con_lock);
        return none;
    }
    long key = con_read_key(fd);
    tcsetattr(fd, TCSANOW, &saved);
    int codes[4], n = 0;
    bool special = key < CON_EOF;
    if (key == CON_EOF) {
        codes[n++] = none;
    } else if (special) {
        codes[n++] = (int)((-key - 1) >> 8);
        codes[n++] = (int)((-key - 1) & 0xff);
    } else {
        WCHAR w[2];
        int wn = 1;
        if (key > 0xffff) {
            w[0] = (WCHAR)(0xd800 + ((key - 0x10000) >> 10));
            w[1] = (WCHAR)(0xdc00 + ((key - 0x10000) & 0x3ff));
            wn = 2;
        } else {
            w[0] = (WCHAR)key;
        }
        if (wide) {
            for (int i = 0; i < wn; i++)
                codes[n++] = w[i];
        } else {
            char mb[8];
            int len = WideCharToMultiByte(GetConsoleCP(), 0, w, wn, mb, sizeof mb, NULL, NULL);
            if (len <= 0)
                mb[0] = '?', len = 1;
            for (int i = 0; i < len && n < 4; i++)
                codes[n++] = (uint8_t)mb[i];
        }
    }
    for (int i = 1; i < n; i++)
        con_rest[con_rest_n++] = codes[i];
    pthread_mutex_unlock(&con_lock);
    if (echo && !special && codes[0] != none) {
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

/* _ungetch / _ungetwch: one code back; a second before it is read fails (EOF / WEOF). */
static int WINAPI msvcrt__ungetch(int c)
{
    pthread_mutex_lock(&con_lock);
    int r = CON_EOF;
    if (c != CON_EOF && con_unget == CON_EOF)
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
    if (c != CON_WEOF && con_unwget == CON_WEOF)
        r = (unsigned)(con_unwget = c);
    pthread_mutex_unlock(&con_lock);
    return r;
}
THK_EXPORT_AS(msvcrt, _ungetwch, msvcrt__ungetwch, 1);
THK_EXPORT_AS(msvcrt, _ungetwch_nolock, msvcrt__ungetwch, 1);

/* _kbhit: non-zero when a key is waiting (or was put back), without waiting. */
static int WINAPI msvcrt__kbhit(void)
{
    pthread_mutex_lock(&con_lock);
    int r = con_unget != CON_EOF || con_unwget != CON_WEOF || con_rest_n;
    int fd = r ? -1 : con_in_fd();
    struct termios saved;
    if (fd >= 0 && con_raw(fd, &saved)) {
        int avail = 0;
        r = ioctl(fd, FIONREAD, &avail) == 0 && avail > 0;
        tcsetattr(fd, TCSANOW, &saved);
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
