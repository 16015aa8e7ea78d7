/* SPDX-License-Identifier: MIT */
/* The console's screen buffer on a terminal: FillConsoleOutputCharacterW/A,
 * FillConsoleOutputAttribute, Get/SetConsoleCursorInfo, ScrollConsoleScreenBufferW/A,
 * SetConsoleWindowInfo, GetLargestConsoleWindowSize and SetConsoleScreenBufferSize, written as
 * the VT sequences a terminal understands (what Windows' own console does with
 * ENABLE_VIRTUAL_TERMINAL_PROCESSING, and ConPTY sends to a terminal).
 *
 * The buffer is the terminal's screen: its width the terminal's columns, its height the
 * 9001 lines GetConsoleScreenBufferInfo reports (or SetConsoleScreenBufferSize's), the window
 * its top rows. Counts are the buffer's (a fill stops at the buffer's end, not the window's);
 * what lies below the window is not drawn. The cursor is saved and restored around each
 * drawing (ESC 7 / ESC 8), as the calls do not move it on Windows, and the colours are put
 * back to SetConsoleTextAttribute's.
 *
 * Not done, because a terminal keeps no readable buffer: FillConsoleOutputAttribute recolours
 * cells only where the last FillConsoleOutputCharacter wrote spaces (the "clear screen"
 * idiom: they are erased again in the attribute's colours); elsewhere it reports the count
 * and leaves the colours. SetConsoleWindowInfo checks the rectangle and moves nothing (the
 * terminal owns its window). A rectangle that is not the full width is scrolled with DECCRA,
 * which not every terminal has.
 *
 * Handles that are not a console's screen buffer (files, pipes, the input buffer) fail with
 * ERROR_INVALID_HANDLE; a NULL count pointer with ERROR_INVALID_ACCESS (Windows' answers as
 * recorded by Wine's kernel32 console tests). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "thunks/kernel32/kernel32_private.h"

#define CS_ERROR_INVALID_ACCESS 12
#define CS_ERROR_NOACCESS 998
#define CS_BUFFER_HEIGHT 9001

typedef struct {
    int16_t X, Y;
} CS_COORD;
typedef struct {
    int16_t Left, Top, Right, Bottom;
} CS_SMALL_RECT;
typedef struct {
    DWORD dwSize;  /* 0x00 */
    BOOL bVisible; /* 0x04 */
} CS_CURSOR_INFO;
typedef struct {
    WCHAR Char;      /* 0x00 (AsciiChar in the A form) */
    WORD Attributes; /* 0x02 */
} CS_CHAR_INFO;
_Static_assert(sizeof(CS_COORD) == 4, "COORD");
_Static_assert(sizeof(CS_SMALL_RECT) == 8, "SMALL_RECT");
_Static_assert(sizeof(CS_CURSOR_INFO) == 8, "CONSOLE_CURSOR_INFO");
_Static_assert(sizeof(CS_CHAR_INFO) == 4, "CHAR_INFO");

static pthread_mutex_t cs_lock = PTHREAD_MUTEX_INITIALIZER;
static CS_CURSOR_INFO cs_cursor = {25, TRUE};
static int16_t cs_buf_w, cs_buf_h; /* SetConsoleScreenBufferSize's; 0: the defaults */
static struct {
    int32_t start, len; /* the last run of spaces a fill wrote, as buffer offsets */
} cs_blank;

void k32_screen_buffer_size(int16_t *w, int16_t *h)
{
    pthread_mutex_lock(&cs_lock);
    *w = cs_buf_w;
    *h = cs_buf_h;
    pthread_mutex_unlock(&cs_lock);
}

void k32_screen_reset(void)
{
    pthread_mutex_lock(&cs_lock);
    cs_cursor = (CS_CURSOR_INFO){25, TRUE};
    cs_buf_w = cs_buf_h = 0;
    cs_blank.len = 0;
    pthread_mutex_unlock(&cs_lock);
}

/* The screen buffer behind h: the terminal's size and the buffer's; false with
 * ERROR_INVALID_HANDLE for anything else. */
static bool cs_screen(HANDLE h, int *cols, int *rows, int *bw, int *bh)
{
    bool input = true;
    int fd = k32_console_fd(h, &input);
    if (fd < 0 || input) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return false;
    }
    struct winsize ws = {0};
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || !ws.ws_col || !ws.ws_row) {
        ws.ws_col = 80;
        ws.ws_row = 25;
    }
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    int16_t w, hh;
    k32_screen_buffer_size(&w, &hh);
    *bw = w > *cols ? w : *cols;
    *bh = hh ? hh : CS_BUFFER_HEIGHT;
    return true;
}

/* A growing string of sequences. */
typedef struct {
    char *p;
    size_t len, cap;
    bool failed;
} cs_out;

static void cs_add(cs_out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n > o->cap) {
        size_t cap = (o->cap ? o->cap * 2 : 256) + n;
        char *p = realloc(o->p, cap);
        if (!p) {
            o->failed = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void cs_fmt(cs_out *o, const char *fmt, int a, int b)
{
    char buf[48];
    int n = snprintf(buf, sizeof buf, fmt, a, b);
    cs_add(o, buf, (size_t)n);
}

static void cs_attr(cs_out *o, WORD attr)
{
    char buf[32];
    cs_add(o, buf, (size_t)k32_sgr(attr, buf, sizeof buf));
}

/* Sends o (with the cursor and colours put back), frees it. */
static BOOL cs_send(HANDLE h, cs_out *o, bool restore)
{
    if (restore) {
        cs_attr(o, k32_text_attr_get());
        cs_add(o, "\x1b" "8", 2);
    }
    if (o->failed) {
        free(o->p);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    uint64_t before = nt_console_output_count();
    BOOL ok = !o->len || k32_write_all(h, o->p, o->len);
    free(o->p);
    if (ok && restore)
        k32_con_cursor_kept(before); /* ESC 8 put the cursor back */
    return ok;
}

/* Draws `len` copies of a character (UTF-8 `ch`, or NULL for blanks erased in the current
 * colours) from buffer offset `start`, the visible part only. */
static void cs_draw_run(cs_out *o, int cols, int rows, int32_t start, int32_t len, const char *ch)
{
    while (len > 0) {
        int y = start / cols, x = start % cols;
        int n = cols - x < len ? cols - x : len;
        if (y >= rows)
            return;
        cs_fmt(o, "\x1b[%d;%dH", y + 1, x + 1);
        if (!ch) {
            cs_fmt(o, "\x1b[%dX", n, 0);
        } else {
            for (int i = 0; i < n; i++)
                cs_add(o, ch, strlen(ch));
        }
        start += n;
        len -= n;
    }
}

static bool cs_count_out(DWORD *written)
{
    if (!written) {
        thk_set_last_error(CS_ERROR_INVALID_ACCESS);
        return false;
    }
    DWORD zero = 0;
    if (nt_copy_to_user(written, &zero, sizeof zero) != 0) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return false;
    }
    return true;
}

/* The cells a fill of len from pos covers in a bw x bh buffer (0 outside it). */
static int32_t cs_fill_span(CS_COORD pos, DWORD len, int bw, int bh, int32_t *start)
{
    if (pos.X < 0 || pos.Y < 0 || pos.X >= bw || pos.Y >= bh)
        return 0;
    *start = (int32_t)pos.Y * bw + pos.X;
    int64_t room = (int64_t)bw * bh - *start;
    return (int32_t)((int64_t)len < room ? (int64_t)len : room);
}

static BOOL cs_fill_char(HANDLE h, WCHAR ch, DWORD len, CS_COORD pos, DWORD *written)
{
    int cols, rows, bw, bh;
    if (!cs_count_out(written) || !cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    int32_t start = 0, n = cs_fill_span(pos, len, bw, bh, &start);
    if (n > 0 && bw == cols) { /* a wider buffer than the terminal is not drawn */
        cs_out o = {0};
        char utf8[8] = {0};
        size_t ul = 0;
        char *u = nt_utf16_to_utf8(&ch, 1, &ul);
        if (u && ul < sizeof utf8)
            memcpy(utf8, u, ul);
        free(u);
        cs_add(&o, "\x1b" "7", 2);
        cs_draw_run(&o, cols, rows, start, n, ch == ' ' ? NULL : utf8);
        if (!cs_send(h, &o, true))
            return FALSE;
    }
    pthread_mutex_lock(&cs_lock);
    if (ch == ' ')
        cs_blank.start = start, cs_blank.len = n;
    else if (n > 0)
        cs_blank.len = 0;
    pthread_mutex_unlock(&cs_lock);
    DWORD done = (DWORD)n;
    nt_copy_to_user(written, &done, sizeof done);
    return TRUE;
}

BOOL WINAPI FillConsoleOutputCharacterW(HANDLE h, WCHAR ch, DWORD len, CS_COORD pos,
                                        DWORD *written)
{
    return cs_fill_char(h, ch, len, pos, written);
}
THK_EXPORT(kernel32, FillConsoleOutputCharacterW, 5);

BOOL WINAPI FillConsoleOutputCharacterA(HANDLE h, char ch, DWORD len, CS_COORD pos,
                                        DWORD *written)
{
    WCHAR w = (uint8_t)ch;
    if ((uint8_t)ch >= 0x80)
        MultiByteToWideChar(GetConsoleOutputCP(), 0, &ch, 1, &w, 1);
    return cs_fill_char(h, w, len, pos, written);
}
THK_EXPORT(kernel32, FillConsoleOutputCharacterA, 5);

BOOL WINAPI FillConsoleOutputAttribute(HANDLE h, WORD attr, DWORD len, CS_COORD pos,
                                       DWORD *written)
{
    int cols, rows, bw, bh;
    if (!cs_count_out(written) || !cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    int32_t start = 0, n = cs_fill_span(pos, len, bw, bh, &start);
    pthread_mutex_lock(&cs_lock);
    int32_t bs = cs_blank.start, be = cs_blank.start + cs_blank.len;
    pthread_mutex_unlock(&cs_lock);
    int32_t s = start > bs ? start : bs, e = start + n < be ? start + n : be;
    if (e > s && bw == cols) { /* blanks the last fill wrote: erased again in these colours */
        cs_out o = {0};
        cs_add(&o, "\x1b" "7", 2);
        cs_attr(&o, attr);
        cs_draw_run(&o, cols, rows, s, e - s, NULL);
        if (!cs_send(h, &o, true))
            return FALSE;
    }
    DWORD done = (DWORD)n;
    nt_copy_to_user(written, &done, sizeof done);
    return TRUE;
}
THK_EXPORT(kernel32, FillConsoleOutputAttribute, 5);

BOOL WINAPI GetConsoleCursorInfo(HANDLE h, CS_CURSOR_INFO *info)
{
    int cols, rows, bw, bh;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    pthread_mutex_lock(&cs_lock);
    CS_CURSOR_INFO c = cs_cursor;
    pthread_mutex_unlock(&cs_lock);
    if (!info || nt_copy_to_user(info, &c, sizeof c) != 0) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetConsoleCursorInfo, 2);

/* The cursor's size (1-100 % of the cell) is recorded; its visibility is DECTCEM. */
BOOL WINAPI SetConsoleCursorInfo(HANDLE h, const CS_CURSOR_INFO *info)
{
    int cols, rows, bw, bh;
    CS_CURSOR_INFO c;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    if (!info || nt_copy_from_user(&c, info, sizeof c) != 0) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    if (c.dwSize < 1 || c.dwSize > 100) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    c.bVisible = c.bVisible != 0;
    pthread_mutex_lock(&cs_lock);
    cs_cursor = c;
    pthread_mutex_unlock(&cs_lock);
    uint64_t before = nt_console_output_count();
    BOOL ok = k32_write_all(h, c.bVisible ? "\x1b[?25h" : "\x1b[?25l", 6);
    if (ok)
        k32_con_cursor_kept(before); /* DECTCEM does not move it */
    return ok;
}
THK_EXPORT(kernel32, SetConsoleCursorInfo, 2);

static CS_SMALL_RECT cs_intersect(CS_SMALL_RECT a, CS_SMALL_RECT b)
{
    return (CS_SMALL_RECT){a.Left > b.Left ? a.Left : b.Left, a.Top > b.Top ? a.Top : b.Top,
                           a.Right < b.Right ? a.Right : b.Right,
                           a.Bottom < b.Bottom ? a.Bottom : b.Bottom};
}

static bool cs_inside(CS_SMALL_RECT r, int x, int y)
{
    return x >= r.Left && x <= r.Right && y >= r.Top && y <= r.Bottom;
}

/* ScrollConsoleScreenBuffer: the scroll rectangle (clipped to the buffer) moves to `dest`;
 * only cells inside the clip rectangle change; what the move leaves behind (inside the clip)
 * gets the fill character and attribute. */
static BOOL cs_scroll(HANDLE h, const CS_SMALL_RECT *scroll_p, const CS_SMALL_RECT *clip_p,
                      CS_COORD dest, const CS_CHAR_INFO *fill_p, bool ansi)
{
    int cols, rows, bw, bh;
    CS_SMALL_RECT scroll, clip;
    CS_CHAR_INFO fill;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    if (!scroll_p || !fill_p || nt_copy_from_user(&scroll, scroll_p, sizeof scroll) != 0 ||
        nt_copy_from_user(&fill, fill_p, sizeof fill) != 0 ||
        (clip_p && nt_copy_from_user(&clip, clip_p, sizeof clip) != 0)) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    CS_SMALL_RECT buffer = {0, 0, (int16_t)(bw - 1), (int16_t)(bh - 1)};
    CS_SMALL_RECT src = cs_intersect(scroll, buffer);
    if (src.Left > src.Right || src.Top > src.Bottom) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    clip = cs_intersect(clip_p ? clip : buffer, buffer);
    if (clip.Left > clip.Right || clip.Top > clip.Bottom)
        return TRUE; /* nothing may change */
    dest.X = (int16_t)(dest.X + (src.Left - scroll.Left));
    dest.Y = (int16_t)(dest.Y + (src.Top - scroll.Top));
    int w = src.Right - src.Left + 1, hgt = src.Bottom - src.Top + 1;
    CS_SMALL_RECT dst = {dest.X, dest.Y, (int16_t)(dest.X + w - 1), (int16_t)(dest.Y + hgt - 1)};
    CS_SMALL_RECT to = cs_intersect(dst, cs_intersect(clip, buffer));
    CS_SMALL_RECT view = {0, 0, (int16_t)(cols - 1), (int16_t)(rows - 1)};
    if (bw != cols)
        return TRUE; /* a buffer wider than the terminal is not drawn */
    WCHAR wc = fill.Char;
    if (ansi) {
        char a = (char)(uint8_t)fill.Char;
        wc = (uint8_t)a;
        if ((uint8_t)a >= 0x80)
            MultiByteToWideChar(GetConsoleOutputCP(), 0, &a, 1, &wc, 1);
    }
    cs_out o = {0};
    cs_add(&o, "\x1b" "7", 2);
    int dy = dst.Top - src.Top, dx = dst.Left - src.Left;
    if (to.Left <= to.Right && to.Top <= to.Bottom && (dx || dy)) {
        bool full = src.Left == 0 && src.Right >= cols - 1 && dx == 0 && clip.Left == 0 &&
                    clip.Right >= cols - 1;
        if (full) { /* whole lines: a scrolling region and SU/SD */
            int top = dy < 0 ? dst.Top : src.Top, bottom = dy < 0 ? src.Bottom : dst.Bottom;
            top = top > clip.Top ? top : clip.Top;
            bottom = bottom < clip.Bottom ? bottom : clip.Bottom;
            bottom = bottom < rows - 1 ? bottom : rows - 1;
            if (top < bottom) {
                cs_fmt(&o, "\x1b[%d;%dr", top + 1, bottom + 1);
                cs_fmt(&o, dy < 0 ? "\x1b[%dS" : "\x1b[%dT", dy < 0 ? -dy : dy, 0);
                cs_add(&o, "\x1b[r", 3);
            }
        } else { /* a rectangle: DECCRA, the visible part of the clipped destination */
            CS_SMALL_RECT t = cs_intersect(to, view);
            if (t.Left <= t.Right && t.Top <= t.Bottom) {
                char seq[96];
                int n = snprintf(seq, sizeof seq, "\x1b[%d;%d;%d;%d;1;%d;%d;1$v", t.Top - dy + 1,
                                 t.Left - dx + 1, t.Bottom - dy + 1, t.Right - dx + 1, t.Top + 1,
                                 t.Left + 1);
                cs_add(&o, seq, (size_t)n);
            }
        }
    }
    /* the cells left behind: in the source, inside the clip, outside the destination */
    char utf8[8] = {0};
    size_t ul = 0;
    char *u = nt_utf16_to_utf8(&wc, 1, &ul);
    if (u && ul < sizeof utf8)
        memcpy(utf8, u, ul);
    free(u);
    cs_attr(&o, fill.Attributes);
    CS_SMALL_RECT left = cs_intersect(cs_intersect(src, clip), view);
    for (int y = left.Top; y <= left.Bottom; y++) {
        int x = left.Left;
        while (x <= left.Right) {
            while (x <= left.Right && cs_inside(dst, x, y))
                x++;
            int x0 = x;
            while (x <= left.Right && !cs_inside(dst, x, y))
                x++;
            if (x > x0)
                cs_draw_run(&o, cols, rows, y * cols + x0, x - x0, wc == ' ' ? NULL : utf8);
        }
    }
    return cs_send(h, &o, true);
}

BOOL WINAPI ScrollConsoleScreenBufferW(HANDLE h, const CS_SMALL_RECT *scroll,
                                       const CS_SMALL_RECT *clip, CS_COORD dest,
                                       const CS_CHAR_INFO *fill)
{
    return cs_scroll(h, scroll, clip, dest, fill, false);
}
THK_EXPORT(kernel32, ScrollConsoleScreenBufferW, 5);

BOOL WINAPI ScrollConsoleScreenBufferA(HANDLE h, const CS_SMALL_RECT *scroll,
                                       const CS_SMALL_RECT *clip, CS_COORD dest,
                                       const CS_CHAR_INFO *fill)
{
    return cs_scroll(h, scroll, clip, dest, fill, true);
}
THK_EXPORT(kernel32, ScrollConsoleScreenBufferA, 5);

/* The window must lie inside the buffer and be no larger than the terminal; the terminal
 * keeps its own window (nothing moves). */
BOOL WINAPI SetConsoleWindowInfo(HANDLE h, BOOL absolute, const CS_SMALL_RECT *rect)
{
    int cols, rows, bw, bh;
    CS_SMALL_RECT r;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    if (!rect || nt_copy_from_user(&r, rect, sizeof r) != 0) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    if (!absolute) { /* relative to the current window: (0, 0) - (cols-1, rows-1) */
        r.Right = (int16_t)(r.Right + cols - 1);
        r.Bottom = (int16_t)(r.Bottom + rows - 1);
    }
    if (r.Left < 0 || r.Top < 0 || r.Left > r.Right || r.Top > r.Bottom || r.Right >= bw ||
        r.Bottom >= bh || r.Right - r.Left >= cols || r.Bottom - r.Top >= rows) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleWindowInfo, 3);

/* The largest window is the terminal's size: the terminal decides how large it can be. */
CS_COORD WINAPI GetLargestConsoleWindowSize(HANDLE h)
{
    int cols, rows, bw, bh;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return (CS_COORD){0, 0};
    return (CS_COORD){(int16_t)cols, (int16_t)rows};
}
THK_EXPORT(kernel32, GetLargestConsoleWindowSize, 1);

/* A buffer smaller than the window (the terminal's size) is refused, as Windows refuses one
 * smaller than its window; GetConsoleScreenBufferInfo reports the size set. */
BOOL WINAPI SetConsoleScreenBufferSize(HANDLE h, CS_COORD size)
{
    int cols, rows, bw, bh;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    if (size.X < cols || size.Y < rows) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_mutex_lock(&cs_lock);
    cs_buf_w = size.X;
    cs_buf_h = size.Y;
    pthread_mutex_unlock(&cs_lock);
    return TRUE;
}
THK_EXPORT(kernel32, SetConsoleScreenBufferSize, 2);
