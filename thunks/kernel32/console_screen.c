/* SPDX-License-Identifier: MIT */
/* The console's screen buffer on a terminal: FillConsoleOutputCharacterW/A,
 * FillConsoleOutputAttribute, WriteConsoleOutputW/A, WriteConsoleOutputCharacterW/A,
 * WriteConsoleOutputAttribute and their Read twins, Get/SetConsoleCursorInfo,
 * ScrollConsoleScreenBufferW/A, SetConsoleWindowInfo, GetLargestConsoleWindowSize and
 * SetConsoleScreenBufferSize, written as the VT sequences a terminal understands (what
 * Windows' own console does with ENABLE_VIRTUAL_TERMINAL_PROCESSING, and ConPTY sends to a
 * terminal).
 *
 * The buffer is the terminal's screen: its width the terminal's columns, its height the
 * 9001 lines GetConsoleScreenBufferInfo reports (or SetConsoleScreenBufferSize's), the window
 * its top rows. Counts are the buffer's (a fill stops at the buffer's end, not the window's);
 * what lies below the window is not drawn. The cursor is saved and restored around each
 * drawing (ESC 7 / ESC 8), as the calls do not move it on Windows, and the colours are put
 * back to SetConsoleTextAttribute's.
 *
 * A terminal keeps no buffer a program can read, so the runtime keeps a copy of the cells the
 * buffer calls wrote (characters and attributes, each known or not): the Read calls return
 * them (an unknown character as a space, an unknown attribute as SetConsoleTextAttribute's),
 * and every change is drawn from the copy, each cell in its own colours, so that
 * FillConsoleOutputAttribute recolours the characters already there and
 * WriteConsoleOutputAttribute shows its colours. Text written through WriteConsole, WriteFile
 * or the CRT goes into the copy too, from the cursor on, while the cursor is known ("text
 * written to the terminal" below). Output that is not followed (an echo, escape sequences
 * other than SGR, text while the cursor is not known: ntemu counts the terminal's writes;
 * cursor moves and colour changes are known not to change cells) makes the copy forgotten, so
 * a cell overwritten since is never drawn again from a stale copy, and reads of it give
 * spaces. SetConsoleWindowInfo checks the rectangle and moves nothing (the terminal
 * owns its window). A rectangle that is not the full width is scrolled with DECCRA, which not
 * every terminal has.
 *
 * Handles that are not a console's screen buffer (files, pipes, the input buffer) fail with
 * ERROR_INVALID_HANDLE; a NULL count pointer with ERROR_INVALID_ACCESS (Windows' answers as
 * recorded by Wine's kernel32 console tests). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
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

/* The cells (the shadow screen): what the buffer calls wrote, by row (NULL: a row nothing
 * wrote), under cs_lock. A cell's character and attribute are each known or not
 * (CS_KNOWN_*): an unknown character reads as a space and is never drawn, an unknown attribute
 * reads as SetConsoleTextAttribute's. Output the buffer calls did not write (WriteConsole,
 * WriteFile, an echo: ntemu counts the terminal's writes) may have changed any cell, so it
 * forgets them all: a cell is never drawn again from a stale copy. */
#define CS_KNOWN_CH 1
#define CS_KNOWN_ATTR 2
typedef struct {
    WCHAR ch;
    WORD attr;
    uint8_t known;
} cs_cell;
static cs_cell **cs_rows;
static int cs_rows_w, cs_rows_h;
static uint64_t cs_rows_writes; /* nt_console_output_count() after the cells' last drawing */
/* Following text written to the terminal ("text written to the terminal" below). */
static struct {
    uint64_t writes;  /* the output count after the last text followed */
    bool wrap;        /* the cursor waits in the last column to wrap */
    uint32_t cp;      /* a UTF-8 character begun */
    int need;         /* its continuation bytes still to come */
    int esc;          /* 0, 1: after ESC, 2: in a CSI sequence */
    bool csi_private; /* the CSI has a private marker or an intermediate */
    int cols, rows;   /* the terminal's size, looked at again every CS_TEXT_SIZE_NS */
    int64_t size_at;  /* when (CLOCK_MONOTONIC_COARSE, ns) */
} cs_text;
#define CS_TEXT_SIZE_NS 100000000 /* a resize is seen within 0.1 s: one ioctl, not one a write */

void k32_screen_buffer_size(int16_t *w, int16_t *h)
{
    pthread_mutex_lock(&cs_lock);
    *w = cs_buf_w;
    *h = cs_buf_h;
    pthread_mutex_unlock(&cs_lock);
}

/* Forgets every cell (under cs_lock). */
static void cs_cells_clear(void)
{
    for (int y = 0; cs_rows && y < cs_rows_h; y++)
        free(cs_rows[y]);
    free(cs_rows);
    cs_rows = NULL;
    cs_rows_w = cs_rows_h = 0;
}

void k32_screen_reset(void)
{
    pthread_mutex_lock(&cs_lock);
    cs_cursor = (CS_CURSOR_INFO){25, TRUE};
    cs_buf_w = cs_buf_h = 0;
    cs_cells_clear();
    memset(&cs_text, 0, sizeof cs_text);
    pthread_mutex_unlock(&cs_lock);
}

/* Output that changes no cell (a cursor move, its shape): the cells written before still
 * hold. */
void k32_screen_cells_kept(uint64_t writes_before)
{
    pthread_mutex_lock(&cs_lock);
    if (cs_rows_writes == writes_before)
        cs_rows_writes = nt_console_output_count();
    pthread_mutex_unlock(&cs_lock);
}

/* The cells for a bw x bh buffer (under cs_lock): forgotten when the buffer changed size or
 * something else wrote to the terminal since they were drawn. */
static void cs_cells_check(int bw, int bh)
{
    if (cs_rows && (cs_rows_w != bw || cs_rows_h != bh ||
                    cs_rows_writes != nt_console_output_count()))
        cs_cells_clear();
}

/* Cell (x, y), made when `make` (its row allocated, unknown); NULL for an unknown one. */
static cs_cell *cs_cell_at(int bw, int bh, int x, int y, bool make)
{
    if (!cs_rows) {
        if (!make || !(cs_rows = calloc((size_t)bh, sizeof *cs_rows)))
            return NULL;
        cs_rows_w = bw, cs_rows_h = bh;
        cs_rows_writes = nt_console_output_count();
    }
    if (!cs_rows[y] && (!make || !(cs_rows[y] = calloc((size_t)bw, sizeof(cs_cell)))))
        return NULL;
    return &cs_rows[y][x];
}

/* A cell's character and attribute as a read gives them. */
static void cs_cell_get(int bw, int bh, int x, int y, WCHAR *ch, WORD *attr)
{
    cs_cell *c = cs_cell_at(bw, bh, x, y, false);
    *ch = c && (c->known & CS_KNOWN_CH) ? c->ch : ' ';
    *attr = c && (c->known & CS_KNOWN_ATTR) ? c->attr : k32_text_attr_get();
}

/* Sets a cell's character (ch >= 0) and/or attribute (attr >= 0); false without memory. */
static bool cs_cell_set(int bw, int bh, int x, int y, int ch, int attr)
{
    cs_cell *c = cs_cell_at(bw, bh, x, y, true);
    if (!c)
        return false;
    if (ch >= 0)
        c->ch = (WCHAR)ch, c->known |= CS_KNOWN_CH;
    if (attr >= 0)
        c->attr = (WORD)attr, c->known |= CS_KNOWN_ATTR;
    return true;
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

/* Appends the UTF-8 of one cell's character (a lone surrogate as U+FFFD). */
static void cs_add_char(cs_out *o, WCHAR ch)
{
    char u[3];
    uint32_t cp = ch >= 0xd800 && ch < 0xe000 ? 0xfffd : ch < 0x20 ? ' ' : ch;
    if (cp < 0x80) {
        u[0] = (char)cp;
        cs_add(o, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f));
        cs_add(o, u, 2);
    } else {
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        cs_add(o, u, 3);
    }
}

/* Draws the cells of row y from x0 to x1 (inclusive) whose character is known, the visible
 * part only (under cs_lock): each run in its attribute (SGR before the cursor is placed), a
 * run of spaces erased with ECH. *sgr: the attribute last set (-1: none). */
static void cs_draw_row(cs_out *o, int cols, int rows, int bw, int bh, int y, int x0, int x1,
                        int *sgr)
{
    if (y >= rows || x0 >= cols || !cs_rows || !cs_rows[y])
        return;
    if (x1 >= cols)
        x1 = cols - 1;
    bool placed = false;
    for (int x = x0; x <= x1;) {
        cs_cell *c = cs_cell_at(bw, bh, x, y, false);
        if (!(c->known & CS_KNOWN_CH)) {
            placed = false;
            x++;
            continue;
        }
        int attr = (c->known & CS_KNOWN_ATTR) ? c->attr : k32_text_attr_get();
        if (attr != *sgr) {
            cs_attr(o, (WORD)attr);
            *sgr = attr;
        }
        if (!placed)
            cs_fmt(o, "\x1b[%d;%dH", y + 1, x + 1);
        placed = true;
        if (c->ch != ' ') {
            cs_add_char(o, c->ch);
            x++;
            continue;
        }
        int n = 0; /* spaces in this attribute: erased, then the cursor placed again */
        while (x + n <= x1) {
            cs_cell *d = &cs_rows[y][x + n];
            int da = (d->known & CS_KNOWN_ATTR) ? d->attr : k32_text_attr_get();
            if (!(d->known & CS_KNOWN_CH) || d->ch != ' ' || da != attr)
                break;
            n++;
        }
        cs_fmt(o, "\x1b[%dX", n, 0);
        placed = false;
        x += n;
    }
}

/* Draws the cells of `len` buffer offsets from `start` (under cs_lock). */
static void cs_draw_span(cs_out *o, int cols, int rows, int bw, int bh, int32_t start,
                         int32_t len)
{
    int sgr = -1;
    while (len > 0) {
        int y = start / bw, x = start % bw;
        int n = bw - x < len ? bw - x : len;
        cs_draw_row(o, cols, rows, bw, bh, y, x, x + n - 1, &sgr);
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

/* Sets the characters (chars, or `one` repeated when chars is NULL) and/or attributes (attrs,
 * or `one_attr` >= 0 repeated) of `n` cells from buffer offset `start`, and draws them when
 * the buffer is the terminal's width; false with ERROR_NOT_ENOUGH_MEMORY. */
static BOOL cs_write_cells(HANDLE h, int cols, int rows, int bw, int bh, int32_t start,
                           int32_t n, const WCHAR *chars, int one, const WORD *attrs,
                           int one_attr)
{
    cs_out o = {0};
    bool ok = true;
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    for (int32_t i = 0; i < n && ok; i++) {
        int ch = chars ? chars[i] : one, attr = attrs ? attrs[i] : one_attr;
        ok = cs_cell_set(bw, bh, (start + i) % bw, (start + i) / bw, ch, attr);
    }
    if (ok && n > 0 && bw == cols) { /* a wider buffer than the terminal is not drawn */
        cs_add(&o, "\x1b" "7", 2);
        cs_draw_span(&o, cols, rows, bw, bh, start, n);
        if (o.len == 2) /* no cell to draw (unknown characters, below the window) */
            o.len = 0;
    }
    pthread_mutex_unlock(&cs_lock);
    if (!ok) {
        free(o.p);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (!o.len)
        return TRUE;
    uint64_t before = nt_console_output_count();
    if (!cs_send(h, &o, true))
        return FALSE;
    k32_screen_cells_kept(before); /* the cells drawn are the cells kept */
    return TRUE;
}

static BOOL cs_fill_char(HANDLE h, WCHAR ch, DWORD len, CS_COORD pos, DWORD *written)
{
    int cols, rows, bw, bh;
    if (!cs_count_out(written) || !cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    int32_t start = 0, n = cs_fill_span(pos, len, bw, bh, &start);
    if (n > 0 && !cs_write_cells(h, cols, rows, bw, bh, start, n, NULL, ch, NULL, -1))
        return FALSE;
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
    if (n > 0 && !cs_write_cells(h, cols, rows, bw, bh, start, n, NULL, -1, NULL, attr))
        return FALSE;
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
    if (ok) {
        k32_con_cursor_kept(before); /* DECTCEM does not move it */
        k32_screen_cells_kept(before);
    }
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
    /* the cells: the source's copied to the destination (inside the clip), then the ones left
     * behind (in the source, inside the clip, outside the destination) get the fill */
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    CS_SMALL_RECT moved = to.Left <= to.Right && to.Top <= to.Bottom && (dx || dy) ? to
                                                                               : (CS_SMALL_RECT){0, 0, -1, -1};
    size_t mw = (size_t)(moved.Right - moved.Left + 1), mh = (size_t)(moved.Bottom - moved.Top + 1);
    cs_cell *copy = cs_rows && moved.Left <= moved.Right ? calloc(mw * mh, sizeof *copy) : NULL;
    for (int y = moved.Top; copy && y <= moved.Bottom; y++)
        for (int x = moved.Left; x <= moved.Right; x++) {
            cs_cell *c = cs_cell_at(bw, bh, x - dx, y - dy, false);
            if (c)
                copy[(size_t)(y - moved.Top) * mw + (size_t)(x - moved.Left)] = *c;
        }
    for (int y = moved.Top; copy && y <= moved.Bottom; y++)
        for (int x = moved.Left; x <= moved.Right; x++) {
            cs_cell c = copy[(size_t)(y - moved.Top) * mw + (size_t)(x - moved.Left)];
            cs_cell *d = cs_cell_at(bw, bh, x, y, c.known != 0);
            if (d)
                *d = c;
        }
    free(copy);
    CS_SMALL_RECT left = cs_intersect(src, clip);
    int sgr = -1;
    for (int y = left.Top; y <= left.Bottom; y++) {
        int x = left.Left;
        while (x <= left.Right) {
            while (x <= left.Right && cs_inside(dst, x, y))
                x++;
            int x0 = x;
            while (x <= left.Right && !cs_inside(dst, x, y))
                cs_cell_set(bw, bh, x++, y, wc, fill.Attributes);
            if (x > x0)
                cs_draw_row(&o, cols, rows, bw, bh, y, x0, x - 1, &sgr);
        }
    }
    pthread_mutex_unlock(&cs_lock);
    uint64_t before = nt_console_output_count();
    if (!cs_send(h, &o, true))
        return FALSE;
    k32_screen_cells_kept(before);
    return TRUE;
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

/* ---- cells written and read back ---- */

/* A character of the console output code page as UTF-16. */
static WCHAR cs_from_ansi(char a)
{
    WCHAR w = (uint8_t)a;
    if ((uint8_t)a >= 0x80)
        MultiByteToWideChar(GetConsoleOutputCP(), 0, &a, 1, &w, 1);
    return w;
}

/* A UTF-16 character in the console output code page ('?' without one). */
static char cs_to_ansi(WCHAR w)
{
    char a[8];
    if (w < 0x80)
        return (char)w;
    return WideCharToMultiByte(GetConsoleOutputCP(), 0, &w, 1, a, sizeof a, NULL, NULL) == 1
               ? a[0]
               : '?';
}

/* WriteConsoleOutputCharacter / WriteConsoleOutputAttribute: `len` characters or attributes
 * from pos on, row after row, up to the buffer's end; *written the count. */
static BOOL cs_write_run(HANDLE h, const void *src, DWORD len, CS_COORD pos, DWORD *written,
                         int kind) /* 0: WCHAR, 1: char (code page), 2: WORD attributes */
{
    int cols, rows, bw, bh;
    if (!cs_count_out(written) || !cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    if (len && !src) {
        thk_set_last_error(CS_ERROR_INVALID_ACCESS);
        return FALSE;
    }
    int32_t start = 0, n = cs_fill_span(pos, len, bw, bh, &start);
    size_t unit = kind == 1 ? 1 : 2;
    void *copy = n > 0 ? malloc((size_t)n * unit) : NULL;
    WCHAR *chars = NULL;
    if (n > 0 && !copy) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (n > 0 && nt_copy_from_user(copy, src, (size_t)n * unit) != 0) {
        free(copy);
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    if (kind == 1 && n > 0) {
        chars = malloc((size_t)n * sizeof *chars);
        for (int32_t i = 0; chars && i < n; i++)
            chars[i] = cs_from_ansi(((char *)copy)[i]);
        free(copy);
        copy = chars;
        if (!chars) {
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        kind = 0;
    }
    BOOL ok = n <= 0 || cs_write_cells(h, cols, rows, bw, bh, start, n,
                                       kind == 0 ? copy : NULL, -1, kind == 2 ? copy : NULL, -1);
    free(copy);
    if (!ok)
        return FALSE;
    DWORD done = n > 0 ? (DWORD)n : 0;
    nt_copy_to_user(written, &done, sizeof done);
    return TRUE;
}

BOOL WINAPI WriteConsoleOutputCharacterW(HANDLE h, const WCHAR *chars, DWORD len, CS_COORD pos,
                                         DWORD *written)
{
    return cs_write_run(h, chars, len, pos, written, 0);
}
THK_EXPORT(kernel32, WriteConsoleOutputCharacterW, 5);

BOOL WINAPI WriteConsoleOutputCharacterA(HANDLE h, const char *chars, DWORD len, CS_COORD pos,
                                         DWORD *written)
{
    return cs_write_run(h, chars, len, pos, written, 1);
}
THK_EXPORT(kernel32, WriteConsoleOutputCharacterA, 5);

BOOL WINAPI WriteConsoleOutputAttribute(HANDLE h, const WORD *attrs, DWORD len, CS_COORD pos,
                                        DWORD *written)
{
    return cs_write_run(h, attrs, len, pos, written, 2);
}
THK_EXPORT(kernel32, WriteConsoleOutputAttribute, 5);

/* ReadConsoleOutputCharacter / ReadConsoleOutputAttribute: `len` cells from pos on, up to the
 * buffer's end; *count the number read. */
static BOOL cs_read_run(HANDLE h, void *dst, DWORD len, CS_COORD pos, DWORD *count, int kind)
{
    int cols, rows, bw, bh;
    if (!cs_count_out(count) || !cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    int32_t start = 0, n = cs_fill_span(pos, len, bw, bh, &start);
    if (n > 0 && !dst) {
        thk_set_last_error(CS_ERROR_INVALID_ACCESS);
        return FALSE;
    }
    size_t unit = kind == 1 ? 1 : 2;
    uint8_t *out = n > 0 ? malloc((size_t)n * unit) : NULL;
    if (n > 0 && !out) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    for (int32_t i = 0; i < n; i++) {
        WCHAR ch;
        WORD attr;
        cs_cell_get(bw, bh, (start + i) % bw, (start + i) / bw, &ch, &attr);
        if (kind == 0)
            memcpy(out + 2 * (size_t)i, &ch, 2);
        else if (kind == 2)
            memcpy(out + 2 * (size_t)i, &attr, 2);
        else
            out[i] = (uint8_t)cs_to_ansi(ch);
    }
    pthread_mutex_unlock(&cs_lock);
    bool fault = n > 0 && nt_copy_to_user(dst, out, (size_t)n * unit) != 0;
    free(out);
    if (fault) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    DWORD done = n > 0 ? (DWORD)n : 0;
    nt_copy_to_user(count, &done, sizeof done);
    return TRUE;
}

BOOL WINAPI ReadConsoleOutputCharacterW(HANDLE h, WCHAR *chars, DWORD len, CS_COORD pos,
                                        DWORD *count)
{
    return cs_read_run(h, chars, len, pos, count, 0);
}
THK_EXPORT(kernel32, ReadConsoleOutputCharacterW, 5);

BOOL WINAPI ReadConsoleOutputCharacterA(HANDLE h, char *chars, DWORD len, CS_COORD pos,
                                        DWORD *count)
{
    return cs_read_run(h, chars, len, pos, count, 1);
}
THK_EXPORT(kernel32, ReadConsoleOutputCharacterA, 5);

BOOL WINAPI ReadConsoleOutputAttribute(HANDLE h, WORD *attrs, DWORD len, CS_COORD pos,
                                       DWORD *count)
{
    return cs_read_run(h, attrs, len, pos, count, 2);
}
THK_EXPORT(kernel32, ReadConsoleOutputAttribute, 5);

/* WriteConsoleOutput / ReadConsoleOutput: the rectangle *region of the screen buffer and the
 * one of the caller's size.X x size.Y CHAR_INFO array at `at`, both clipped (to the buffer, to
 * the array); *region becomes the rectangle done (empty: Right < Left). */
static BOOL cs_rect(HANDLE h, CS_CHAR_INFO *buf, CS_COORD size, CS_COORD at,
                    CS_SMALL_RECT *region_p, bool write, bool ansi)
{
    int cols, rows, bw, bh;
    CS_SMALL_RECT r;
    if (!cs_screen(h, &cols, &rows, &bw, &bh))
        return FALSE;
    if (!region_p || nt_copy_from_user(&r, region_p, sizeof r) != 0) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    CS_SMALL_RECT done = cs_intersect(r, (CS_SMALL_RECT){0, 0, (int16_t)(bw - 1), (int16_t)(bh - 1)});
    if (at.X < 0 || at.Y < 0 || at.X >= size.X || at.Y >= size.Y) {
        done.Right = (int16_t)(done.Left - 1);
        done.Bottom = (int16_t)(done.Top - 1);
    } else {
        /* no more than the array has beyond `at`, counted from the region's corner */
        int16_t right = (int16_t)(r.Left + (size.X - at.X) - 1);
        int16_t bottom = (int16_t)(r.Top + (size.Y - at.Y) - 1);
        if (done.Right > right)
            done.Right = right;
        if (done.Bottom > bottom)
            done.Bottom = bottom;
    }
    int w = done.Right - done.Left + 1, hgt = done.Bottom - done.Top + 1;
    if (w > 0 && hgt > 0) {
        if (!buf) {
            thk_set_last_error(CS_ERROR_NOACCESS);
            return FALSE;
        }
        int ox = at.X + (done.Left - r.Left), oy = at.Y + (done.Top - r.Top);
        CS_CHAR_INFO *row = malloc((size_t)w * sizeof *row);
        WCHAR *chars = malloc((size_t)w * sizeof *chars);
        WORD *attrs = malloc((size_t)w * sizeof *attrs);
        bool ok = row && chars && attrs;
        for (int y = 0; ok && y < hgt; y++) {
            CS_CHAR_INFO *user = buf + (size_t)(oy + y) * (size_t)size.X + (size_t)ox;
            int32_t start = (int32_t)(done.Top + y) * bw + done.Left;
            if (write) {
                if (nt_copy_from_user(row, user, (size_t)w * sizeof *row) != 0) {
                    thk_set_last_error(CS_ERROR_NOACCESS);
                    ok = false;
                    break;
                }
                for (int x = 0; x < w; x++) {
                    chars[x] = ansi ? cs_from_ansi((char)(uint8_t)row[x].Char) : row[x].Char;
                    attrs[x] = row[x].Attributes;
                }
                ok = cs_write_cells(h, cols, rows, bw, bh, start, w, chars, -1, attrs, -1);
            } else {
                pthread_mutex_lock(&cs_lock);
                cs_cells_check(bw, bh);
                for (int x = 0; x < w; x++) {
                    cs_cell_get(bw, bh, done.Left + x, done.Top + y, &row[x].Char,
                                &row[x].Attributes);
                    if (ansi)
                        row[x].Char = (uint8_t)cs_to_ansi(row[x].Char);
                }
                pthread_mutex_unlock(&cs_lock);
                if (nt_copy_to_user(user, row, (size_t)w * sizeof *row) != 0) {
                    thk_set_last_error(CS_ERROR_NOACCESS);
                    ok = false;
                }
            }
        }
        if (!(row && chars && attrs))
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        free(row);
        free(chars);
        free(attrs);
        if (!ok)
            return FALSE;
    }
    if (nt_copy_to_user(region_p, &done, sizeof done) != 0) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}

/* ---- text written to the terminal ----
 * What WriteConsole, WriteFile and the CRT's stdio write to a console output handle goes into
 * the copy as the console host writes it in processed output mode, from the cursor on, in
 * SetConsoleTextAttribute's attribute: each character one cell; CR to the line's start; LF to
 * the next line's start (the terminal's ONLCR, conhost without DISABLE_NEWLINE_AUTO_RETURN); BS
 * one cell left, never past the line's start (the cell kept); TAB spaces to the next multiple
 * of 8, never past the last column; BEL and the other control characters no cell. A character
 * in the last column leaves the cursor there with the wrap pending (the next character wraps
 * first: the terminal's and Windows' VT-mode delayed wrap); a line feed on the window's last
 * row scrolls the window's rows up one (the window is the buffer's top rows). SGR sequences
 * (ESC [ ... m) change no cell. The cursor GetConsoleScreenBufferInfo reports follows.
 *
 * This happens only while the cursor is known (asked with DSR, or set by
 * SetConsoleCursorPosition, console_input.c) and no other output came between, so ordinary
 * output costs one look at the count; anything else (another escape sequence, a buffer wider
 * than the terminal, the cursor below the window) leaves the copy and the cursor stale, as all
 * output did before: the cells are forgotten and the terminal is asked again. */

/* A line feed on row *y of a window of `rows` rows (under cs_lock). */
static void cs_text_lf(int rows, int16_t *y)
{
    if (*y < rows - 1) {
        (*y)++;
        return;
    }
    if (!cs_rows)
        return;
    free(cs_rows[0]);
    memmove(&cs_rows[0], &cs_rows[1], (size_t)(rows - 1) * sizeof *cs_rows);
    cs_rows[rows - 1] = NULL;
}

/* One character of text at the cursor (under cs_lock); false without memory. */
static bool cs_text_char(int bw, int bh, int rows, int16_t *x, int16_t *y, uint32_t cp,
                         WORD attr)
{
    if (cs_text.wrap) {
        cs_text.wrap = false;
        *x = 0;
        cs_text_lf(rows, y);
    }
    WCHAR ch = cp > 0xffff || (cp >= 0xd800 && cp < 0xe000) ? 0xfffd : (WCHAR)cp;
    if (!cs_cell_set(bw, bh, *x, *y, ch, attr))
        return false;
    if (*x == bw - 1)
        cs_text.wrap = true;
    else
        (*x)++;
    return true;
}

/* Follows n bytes of text from p (under cs_lock); false at what it cannot follow. */
static bool cs_text_run(const uint8_t *p, size_t n, int bw, int bh, int rows, int16_t *x,
                        int16_t *y, WORD attr)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (cs_text.esc == 1) { /* only CSI is followed */
            if (b != '[')
                return false;
            cs_text.esc = 2;
            cs_text.csi_private = false;
            continue;
        }
        if (cs_text.esc == 2) {
            if (b >= 0x40 && b <= 0x7e) { /* the final byte */
                cs_text.esc = 0;
                if (b != 'm' || cs_text.csi_private)
                    return false;
            } else if (b < 0x30 || (b >= 0x3c && b <= 0x3f)) {
                cs_text.csi_private = true; /* intermediates, private markers */
            }
            continue;
        }
        if (cs_text.need) {
            if ((b & 0xc0) == 0x80) {
                cs_text.cp = cs_text.cp << 6 | (b & 0x3f);
                if (--cs_text.need == 0 && !cs_text_char(bw, bh, rows, x, y, cs_text.cp, attr))
                    return false;
                continue;
            }
            cs_text.need = 0; /* a broken character: U+FFFD, and this byte anew */
            if (!cs_text_char(bw, bh, rows, x, y, 0xfffd, attr))
                return false;
        }
        if (b >= 0x80) {
            int need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 ? 1 : 0;
            if (!need || b >= 0xf8) {
                if (!cs_text_char(bw, bh, rows, x, y, 0xfffd, attr))
                    return false;
                continue;
            }
            cs_text.need = need;
            cs_text.cp = b & (0x3f >> need);
            continue;
        }
        switch (b) {
        case '\r':
            *x = 0;
            cs_text.wrap = false;
            break;
        case '\n':
            *x = 0;
            cs_text.wrap = false;
            cs_text_lf(rows, y);
            break;
        case '\b':
            if (cs_text.wrap)
                cs_text.wrap = false;
            if (*x > 0)
                (*x)--;
            break;
        case '\t': {
            if (cs_text.wrap)
                break; /* the terminal stays in the last column */
            int to = (*x / 8 + 1) * 8;
            if (to > bw - 1)
                to = bw - 1;
            for (; *x < to; (*x)++)
                if (!cs_cell_set(bw, bh, *x, *y, ' ', attr))
                    return false;
            break;
        }
        case 0x1b:
            cs_text.esc = 1;
            break;
        default:
            if (b >= 0x20 && b != 0x7f && !cs_text_char(bw, bh, rows, x, y, b, attr))
                return false;
            break;
        }
    }
    return true;
}

/* ntemu's hook: n bytes (foreign memory) written to the terminal fd, the output count before
 * and after the write. */
static void cs_text_hook(int fd, const void *buf, size_t n, uint64_t before, uint64_t after)
{
    int16_t x, y;
    if (!k32_con_cursor_at(before, &x, &y))
        return; /* not followed: the copy and the cursor go stale */
    WORD attr = k32_text_attr_get();
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    int64_t ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    pthread_mutex_lock(&cs_lock);
    if (cs_text.writes != before) /* not the text followed last: no state carries over */
        memset(&cs_text, 0, sizeof cs_text);
    if (!cs_text.cols || ns - cs_text.size_at >= CS_TEXT_SIZE_NS) {
        struct winsize ws = {0};
        if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || !ws.ws_col || !ws.ws_row) {
            ws.ws_col = 80;
            ws.ws_row = 25;
        }
        cs_text.cols = ws.ws_col;
        cs_text.rows = ws.ws_row;
        cs_text.size_at = ns;
    }
    int cols = cs_text.cols, rows = cs_text.rows;
    int bw = cs_buf_w > cols ? cs_buf_w : cols, bh = cs_buf_h ? cs_buf_h : CS_BUFFER_HEIGHT;
    bool ok = bw == cols && rows <= bh && x < bw && y < rows;
    if (!ok) {
        cs_text.writes = 0;
        pthread_mutex_unlock(&cs_lock);
        return;
    }
    if (cs_rows && (cs_rows_w != bw || cs_rows_h != bh || cs_rows_writes != before))
        cs_cells_clear(); /* stale already */
    uint8_t chunk[1024];
    for (size_t done = 0; ok && done < n;) {
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        ok = nt_copy_from_user(chunk, (const uint8_t *)buf + done, k) == 0 &&
             cs_text_run(chunk, k, bw, bh, rows, &x, &y, attr);
        done += k;
    }
    if (ok) {
        cs_text.writes = after;
        if (cs_rows)
            cs_rows_writes = after;
    }
    pthread_mutex_unlock(&cs_lock);
    if (ok)
        k32_con_cursor_moved(before, after, x, y);
}

static __attribute__((constructor)) void cs_text_register(void)
{
    nt_console_set_text_hook(cs_text_hook);
}

BOOL WINAPI WriteConsoleOutputW(HANDLE h, const CS_CHAR_INFO *buf, CS_COORD size, CS_COORD at,
                                CS_SMALL_RECT *region)
{
    return cs_rect(h, (CS_CHAR_INFO *)buf, size, at, region, true, false);
}
THK_EXPORT(kernel32, WriteConsoleOutputW, 5);

BOOL WINAPI WriteConsoleOutputA(HANDLE h, const CS_CHAR_INFO *buf, CS_COORD size, CS_COORD at,
                                CS_SMALL_RECT *region)
{
    return cs_rect(h, (CS_CHAR_INFO *)buf, size, at, region, true, true);
}
THK_EXPORT(kernel32, WriteConsoleOutputA, 5);

BOOL WINAPI ReadConsoleOutputW(HANDLE h, CS_CHAR_INFO *buf, CS_COORD size, CS_COORD at,
                               CS_SMALL_RECT *region)
{
    return cs_rect(h, buf, size, at, region, false, false);
}
THK_EXPORT(kernel32, ReadConsoleOutputW, 5);

BOOL WINAPI ReadConsoleOutputA(HANDLE h, CS_CHAR_INFO *buf, CS_COORD size, CS_COORD at,
                               CS_SMALL_RECT *region)
{
    return cs_rect(h, buf, size, at, region, false, true);
}
THK_EXPORT(kernel32, ReadConsoleOutputA, 5);
