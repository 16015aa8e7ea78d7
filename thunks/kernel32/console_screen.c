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
 * its top rows. While the alternate screen (?1049h) is shown the buffer is conhost's alternate
 * buffer, the window's size (cs_dims_locked): GetConsoleScreenBufferInfo reports it, and the
 * buffer calls (fills, writes, reads, scrolls, SetConsoleCursorPosition's range) take its size;
 * SetConsoleScreenBufferSize sets the main buffer's. Counts are the buffer's (a fill stops at the buffer's end, not the window's);
 * what lies below the window is not drawn. The cursor is saved and restored around each
 * drawing (ESC 7 / ESC 8), as the calls do not move it on Windows, and the colours are put
 * back to SetConsoleTextAttribute's.
 *
 * A terminal keeps no buffer a program can read, so the runtime keeps a copy of the cells the
 * buffer calls wrote (characters and attributes, each known or not): the Read calls return
 * them (an unknown character as a space, an unknown attribute as SetConsoleTextAttribute's),
 * and every change is drawn from the copy, each cell in its own colours, so that
 * FillConsoleOutputAttribute recolours the characters already there and
 * WriteConsoleOutputAttribute shows its colours. Text written through WriteConsole, WriteFile,
 * the CRT or the line editor's echo goes into the copy too, from the cursor on, while the
 * cursor is known, with the escape sequences a terminal and conhost's VT mode act on ("text
 * written to the terminal" below). Output that is not followed (sequences the copy does not
 * model, text while the cursor is not known: ntemu counts the terminal's writes) makes the
 * copy forgotten, so a cell overwritten since is never drawn again from a stale copy, and
 * reads of it give spaces. SetConsoleWindowInfo checks the rectangle and moves nothing (the terminal
 * owns its window). A rectangle that is not the full width is scrolled with DECCRA, which not
 * every terminal has.
 *
 * Handles that are not a console's screen buffer (files, pipes, the input buffer) fail with
 * ERROR_INVALID_HANDLE; a NULL count pointer with ERROR_INVALID_ACCESS (Windows' answers as
 * recorded by Wine's kernel32 console tests). */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
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
 * reads as the current attribute. Output that is not followed (ntemu counts the terminal's
 * writes) may have changed any cell, so it forgets them all: a cell is never drawn again from
 * a stale copy. */
#define CS_KNOWN_CH 1
#define CS_KNOWN_ATTR 2
#define CS_LEAD 4  /* the left half of a wide character (COMMON_LVB_LEADING_BYTE) */
#define CS_TRAIL 8 /* its right half (COMMON_LVB_TRAILING_BYTE), the same character */
#define CS_LVB_LEADING_BYTE 0x0100
#define CS_LVB_TRAILING_BYTE 0x0200
typedef struct {
    WCHAR ch;
    WORD attr;
    uint8_t known;
} cs_cell;
static cs_cell **cs_rows;
static int cs_rows_w, cs_rows_h;
static uint64_t cs_rows_writes; /* nt_console_output_count() after the cells' last drawing */
/* Following text written to the terminal ("text written to the terminal" below): what holds
 * while the text is followed, from one write to the next (under cs_lock). */
static struct {
    uint64_t writes; /* the output count after the last text followed */
    bool wrap;       /* the cursor waits in the last column to wrap */
    uint32_t cp;     /* a UTF-8 character begun */
    int need;        /* its continuation bytes still to come */
    int cols, rows;  /* the terminal's size, looked at again every CS_TEXT_SIZE_NS */
    int64_t size_at; /* when (CLOCK_MONOTONIC_COARSE, ns) */
} cs_text;
/* The escape-sequence parser, over all output to the terminal, followed or not (under
 * cs_lock), and what the sequences set that outlives a write: the saved cursor (DECSC) and
 * the scrolling region, the screen shown, whether origin mode is set. */
#define CS_VT_PARAMS 16
#define CS_TAB_COLS 1024 /* tab stops kept for the first columns; every 8 beyond */
enum { CS_VT_GROUND, CS_VT_ESC, CS_VT_CSI, CS_VT_STR, CS_VT_STR_ESC };
static struct {
    int state;
    char mark;  /* a CSI's private marker ('?', '>', '<', '=') */
    char inter; /* an intermediate byte (0x20-0x2f) of a CSI or an ESC sequence */
    int n;      /* parameters so far (the one being read included) */
    int par[CS_VT_PARAMS]; /* -1: empty */
    bool saved, saved_known;  /* DECSC happened; the cursor was known then */
    int16_t saved_x, saved_y;
    WORD saved_attr;
    bool saved_origin; /* origin mode then (DECSC saves it, DECRC sets it back) */
    bool origin;  /* origin mode (DECOM, ?6h): CUP/HVP/VPA rows from the top margin */
    int top, bot;     /* DECSTBM's margins (rows, inclusive); bot 0: none, the whole window */
    int margin_rows;  /* the terminal's rows when they were set (a resize resets them) */
    bool alt;         /* the alternate screen is shown (?1049, ?1047, ?47) */
    bool alt_host;    /* ... and it is conhost's alternate buffer (?1049; the console host
                       * knows only 1049: 47 and 1047, which the terminal acts on, leave its
                       * main buffer active): the buffer is the window's size (cs_dims_locked) */
    bool irm;     /* insert mode (CSI 4 h): characters push the rest of the line right */
    uint32_t last_cp; /* the last character written, for REP (0: none) */
    bool tabs_set;    /* tab stops set by HTS/TBC (else every 8 columns) */
    bool tabs_lost;   /* set or cleared while the cursor was not known: TABs not followed */
    uint8_t tabs[CS_TAB_COLS / 8];
} cs_vt;
/* The screen not shown (the main one while the alternate one is, and the other way round):
 * its cells as they were when it was left (NULL: unknown), for the terminal's size then, and
 * its saved cursor (DECSC is per screen, as in xterm and conhost), under cs_lock. */
static struct {
    cs_cell **rows;
    int w, h, term_rows;
    bool saved, saved_known, saved_origin;
    int16_t saved_x, saved_y;
    WORD saved_attr;
} cs_other;
/* The attribute text is written in: SetConsoleTextAttribute's, changed by SGR sequences as the
 * console host maps them to a legacy attribute (under cs_lock; its WORD in cs_attr_now, read
 * without the lock). fg/bg: -1 the default colour (7 and 0), else a legacy index 0-15;
 * fg_fixed: a 256-colour or RGB foreground, which bold does not brighten. */
static struct {
    int8_t fg, bg;
    bool fg_fixed, bold;
    WORD meta; /* COMMON_LVB_GRID_*, COMMON_LVB_REVERSE_VIDEO, COMMON_LVB_UNDERSCORE */
} cs_sgr = {-1, -1, false, false, 0};
static WORD cs_attr_now = 7;
static bool cs_filter_c2; /* cs_out_filter held back a lead byte 0xC2 (under cs_lock) */
static __thread bool cs_own; /* this thread is sending the buffer calls' own drawing */
#define CS_TEXT_SIZE_NS 100000000 /* a resize is seen within 0.1 s: one ioctl, not one a write */

/* Origin mode's top margin (the row a cursor position report counts from) on a terminal of
 * `rows` rows; 0 without origin mode or margins. */
static int cs_origin_top_locked(int rows)
{
    return cs_vt.origin && cs_vt.bot > 0 && cs_vt.margin_rows == rows ? cs_vt.top : 0;
}

int k32_screen_origin_top(int fd)
{
    int cols, rows;
    k32_screen_window(fd, &cols, &rows);
    pthread_mutex_lock(&cs_lock);
    int top = cs_origin_top_locked(rows);
    pthread_mutex_unlock(&cs_lock);
    return top;
}

/* The CUP that puts the terminal's cursor at buffer cell (x, y) (SetConsoleCursorPosition),
 * written into seq (its length returned). In origin mode the terminal counts rows from the top
 * margin and keeps the cursor inside the scrolling region: a row outside it goes to the nearest
 * margin (conhost, which draws its own buffer, would put it there; a terminal cannot while
 * the program keeps origin mode). *ay: the row the cursor goes to. */
int k32_screen_cup(int fd, int16_t x, int16_t y, char *seq, size_t size, int16_t *ay)
{
    int cols, rows;
    k32_screen_window(fd, &cols, &rows);
    pthread_mutex_lock(&cs_lock);
    bool origin = cs_vt.origin;
    bool set = cs_vt.bot > 0 && cs_vt.margin_rows == rows;
    int top = set ? cs_vt.top : 0, bot = set ? cs_vt.bot : rows - 1;
    pthread_mutex_unlock(&cs_lock);
    int row = y;
    if (origin) {
        row = y < top ? top : y > bot ? bot : y;
        *ay = (int16_t)row;
        row -= top;
    } else {
        *ay = y;
    }
    return snprintf(seq, size, "\x1b[%d;%dH", row + 1, x + 1);
}

/* The size of the buffer shown on a terminal of cols x rows (under cs_lock): the console
 * host's alternate buffer (?1049h) is the window's size, the main one the terminal's width (or
 * SetConsoleScreenBufferSize's) by CS_BUFFER_HEIGHT rows (or its). */
static void cs_dims_locked(int cols, int rows, int *bw, int *bh)
{
    if (cs_vt.alt && cs_vt.alt_host) {
        *bw = cols;
        *bh = rows;
        return;
    }
    *bw = cs_buf_w > cols ? cs_buf_w : cols;
    *bh = cs_buf_h ? cs_buf_h : CS_BUFFER_HEIGHT;
}

void k32_screen_dims(int cols, int rows, int16_t *bw, int16_t *bh)
{
    int w, h;
    pthread_mutex_lock(&cs_lock);
    cs_dims_locked(cols, rows, &w, &h);
    pthread_mutex_unlock(&cs_lock);
    *bw = (int16_t)w;
    *bh = (int16_t)h;
}

void k32_screen_buffer_size(int16_t *w, int16_t *h)
{
    pthread_mutex_lock(&cs_lock);
    *w = cs_buf_w;
    *h = cs_buf_h;
    pthread_mutex_unlock(&cs_lock);
}

static void cs_rows_free(cs_cell **rows, int h)
{
    for (int y = 0; rows && y < h; y++)
        free(rows[y]);
    free(rows);
}

/* Forgets every cell (under cs_lock). */
static void cs_cells_clear(void)
{
    cs_rows_free(cs_rows, cs_rows_h);
    cs_rows = NULL;
    cs_rows_w = cs_rows_h = 0;
}

static void cs_wrap_restore(uint32_t code);

void k32_screen_reset(void)
{
    cs_wrap_restore(0);
    pthread_mutex_lock(&cs_lock);
    cs_cursor = (CS_CURSOR_INFO){25, TRUE};
    cs_buf_w = cs_buf_h = 0;
    cs_cells_clear();
    cs_rows_free(cs_other.rows, cs_other.h);
    memset(&cs_other, 0, sizeof cs_other);
    memset(&cs_text, 0, sizeof cs_text);
    memset(&cs_vt, 0, sizeof cs_vt);
    cs_filter_c2 = false;
    cs_sgr.fg = cs_sgr.bg = -1;
    cs_sgr.fg_fixed = cs_sgr.bold = false;
    cs_sgr.meta = 0;
    __atomic_store_n(&cs_attr_now, 7, __ATOMIC_RELAXED);
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

/* Which half of a wide character a cell holds: CS_LEAD, CS_TRAIL or 0. */
static int cs_cell_half(int bw, int bh, int x, int y)
{
    cs_cell *c = cs_cell_at(bw, bh, x, y, false);
    return c ? c->known & (CS_LEAD | CS_TRAIL) : 0;
}

/* Sets a cell's character (ch >= 0) and/or attribute (attr >= 0); false without memory. */
static bool cs_cell_set(int bw, int bh, int x, int y, int ch, int attr)
{
    cs_cell *c = cs_cell_at(bw, bh, x, y, true);
    if (!c)
        return false;
    if (ch >= 0)
        c->ch = (WCHAR)ch, c->known = (uint8_t)((c->known & ~(CS_LEAD | CS_TRAIL)) | CS_KNOWN_CH);
    if (attr >= 0) /* the halves are the cell's, not its attribute's (a read adds them) */
        c->attr = (WORD)attr & ~(CS_LVB_LEADING_BYTE | CS_LVB_TRAILING_BYTE), c->known |= CS_KNOWN_ATTR;
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
    pthread_mutex_lock(&cs_lock);
    cs_dims_locked(*cols, *rows, bw, bh); /* the alternate buffer's, while it is shown */
    pthread_mutex_unlock(&cs_lock);
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

/* The start of the runtime's own drawing (under cs_lock): the cursor saved (DECSC, which saves
 * origin mode too) and, in origin mode, origin mode off, so that its CUPs are the buffer's rows
 * whatever the margins; the ESC 8 at its end puts both back. */
static void cs_draw_begin(cs_out *o)
{
    cs_add(o, "\x1b" "7", 2);
    if (cs_vt.origin)
        cs_add(o, "\x1b[?6l", 5);
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
    cs_own = true; /* the copy is drawn: not followed as text (cs_text_hook) */
    BOOL ok = !o->len || k32_write_all(h, o->p, o->len);
    cs_own = false;
    free(o->p);
    if (ok && restore)
        k32_con_cursor_kept(before); /* ESC 8 put the cursor back */
    return ok;
}

/* The glyphs the console host shows for the control characters (code page 437's), where
 * they are characters: 0x00-0x1f, then 0x7f; a C1 control character (U+0080-U+009F) it shows
 * as '?' (what conhost sends a terminal for one in its buffer, as the v1 console's raster font
 * showed it), keeping the character itself in the buffer. */
static const uint16_t cs_glyph[33] = {
    0x0020, 0x263a, 0x263b, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25d8, 0x25cb, 0x25d9,
    0x2642, 0x2640, 0x266a, 0x266b, 0x263c, 0x25ba, 0x25c4, 0x2195, 0x203c, 0x00b6, 0x00a7,
    0x25ac, 0x21a8, 0x2191, 0x2193, 0x2192, 0x2190, 0x221f, 0x2194, 0x25b2, 0x25bc, 0x2302};

static uint32_t cs_glyph_of(uint32_t c)
{
    return c < 0x20 ? cs_glyph[c] : c == 0x7f ? cs_glyph[32] : c >= 0x80 && c < 0xa0 ? '?' : c;
}

/* Appends the UTF-8 of one cell's character (a lone surrogate as U+FFFD, a control character
 * as its glyph). */
static void cs_add_char(cs_out *o, WCHAR ch)
{
    char u[3];
    uint32_t cp = ch >= 0xd800 && ch < 0xe000 ? 0xfffd : cs_glyph_of(ch);
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
        if (!(c->known & CS_KNOWN_CH) || ((c->known & CS_TRAIL) && !placed)) {
            placed = false;
            x++;
            continue;
        }
        if (c->known & CS_TRAIL) { /* drawn with its left half */
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
            /* the cells the terminal gives it against the cells it has in the copy: a
             * character stored in one cell that the terminal shows in two (WriteConsoleOutput
             * without the flags): the next cell placed anew; a narrow character in both
             * halves, or a zero-width one: spaces after it */
            uint32_t g = c->ch >= 0xd800 && c->ch < 0xe000 ? 0xfffd : cs_glyph_of(c->ch);
            int shown = k32_char_cells(g), has = (c->known & CS_LEAD) ? 2 : 1;
            if (shown > has)
                placed = false;
            for (; shown < has; shown++)
                cs_add(o, " ", 1);
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

static BOOL cs_write_cells_halves(HANDLE h, int cols, int rows, int bw, int bh, int32_t start,
                                  int32_t n, const WCHAR *chars, int one, const WORD *attrs,
                                  int one_attr, const uint8_t *halves);
static BOOL cs_span_send(HANDLE h, int cols, int rows, int bw, int bh, int32_t start, int32_t n,
                         bool ok);

/* Sets the characters (chars, or `one` repeated when chars is NULL) and/or attributes (attrs,
 * or `one_attr` >= 0 repeated) of `n` cells from buffer offset `start`, and draws them when
 * the buffer is the terminal's width; false with ERROR_NOT_ENOUGH_MEMORY. */
static BOOL cs_write_cells(HANDLE h, int cols, int rows, int bw, int bh, int32_t start,
                           int32_t n, const WCHAR *chars, int one, const WORD *attrs,
                           int one_attr)
{
    return cs_write_cells_halves(h, cols, rows, bw, bh, start, n, chars, one, attrs, one_attr,
                                 NULL);
}

/* A wide character whose half the cell at buffer offset i holds, cut by a write that ends or
 * starts there: the other half a space (under cs_lock). */
static bool cs_cut_half(int bw, int bh, int32_t i, int half)
{
    int x = i % bw, y = i / bw;
    if (cs_cell_half(bw, bh, x, y) != half)
        return true;
    if (half == CS_TRAIL && x > 0)
        return cs_cell_set(bw, bh, x - 1, y, ' ', -1);
    if (half == CS_LEAD && x + 1 < bw)
        return cs_cell_set(bw, bh, x + 1, y, ' ', -1);
    return true;
}

/* cs_write_cells with the halves of wide characters (CS_LEAD / CS_TRAIL a cell, NULL none). */
static BOOL cs_write_cells_halves(HANDLE h, int cols, int rows, int bw, int bh, int32_t start,
                                  int32_t n, const WCHAR *chars, int one, const WORD *attrs,
                                  int one_attr, const uint8_t *halves)
{
    bool ok = true;
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    if (n > 0 && (chars || one >= 0)) /* a wide character cut at either end loses its other half */
        ok = cs_cut_half(bw, bh, start, CS_TRAIL) && cs_cut_half(bw, bh, start + n - 1, CS_LEAD);
    for (int32_t i = 0; i < n && ok; i++) {
        int ch = chars ? chars[i] : one, attr = attrs ? attrs[i] : one_attr;
        int x = (start + i) % bw, y = (start + i) / bw;
        ok = cs_cell_set(bw, bh, x, y, ch, attr);
        if (ok && halves && halves[i])
            cs_rows[y][x].known |= halves[i];
    }
    return cs_span_send(h, cols, rows, bw, bh, start, n, ok);
}

/* Draws the cells of `n` buffer offsets from `start`, just set (ok: all of them), when the
 * buffer is the terminal's width, and unlocks cs_lock (taken by the caller); false with
 * ERROR_NOT_ENOUGH_MEMORY when not ok. */
static BOOL cs_span_send(HANDLE h, int cols, int rows, int bw, int bh, int32_t start, int32_t n,
                         bool ok)
{
    cs_out o = {0};
    if (ok && n > 0 && bw == cols) { /* a wider buffer than the terminal is not drawn */
        cs_draw_begin(&o);
        size_t begun = o.len;
        cs_draw_span(&o, cols, rows, bw, bh, start, n);
        if (o.len == begun) /* no cell to draw (unknown characters, below the window) */
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

/* Puts ch (and attr >= 0) in cell (x, y) as a wide character's half (CS_LEAD, CS_TRAIL) or a
 * whole cell (0); a wide character it cuts in two loses its other half (a space), as on the
 * terminal and in the console host (under cs_lock; false without memory). */
static bool cs_cell_put(int bw, int bh, int x, int y, WCHAR ch, int attr, int half)
{
    int was = cs_cell_half(bw, bh, x, y);
    if (was == CS_TRAIL && half != CS_TRAIL && x > 0 && !cs_cell_set(bw, bh, x - 1, y, ' ', -1))
        return false;
    if (was == CS_LEAD && half != CS_LEAD && x + 1 < bw && !cs_cell_set(bw, bh, x + 1, y, ' ', -1))
        return false;
    if (!cs_cell_set(bw, bh, x, y, ch, attr))
        return false;
    cs_rows[y][x].known |= (uint8_t)half;
    return true;
}

/* One row of WriteConsoleOutput's rectangle: w CHAR_INFOs (chars, attrs) from column x0 of
 * row y, as the console host writes them (its ROW::WriteCells): a COMMON_LVB_LEADING_BYTE
 * cell is a wide character in its column and the next (drawn once), but in the buffer's last
 * column a space, that character and the rest of the row going on at the next row's start
 * (conhost's cell iterator waits for the next row); a COMMON_LVB_TRAILING_BYTE cell changes no
 * character after another, is the character's both halves when it is the row's first (a
 * rectangle saved across the middle of a wide character and written back), and a space in the
 * buffer's first column; any other character takes one cell, wide or not. Each CHAR_INFO's
 * attribute goes to its own cell, without the two flags (a read gives them from the halves). */
static BOOL cs_write_row_lvb(HANDLE h, int cols, int rows, int bw, int bh, int x0, int y, int w,
                             const WCHAR *chars, const WORD *attrs)
{
    bool ok = true;
    int x = x0, y1 = y, i = 0;
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    while (ok && i < w && y1 < bh) {
        if (x >= bw) {
            x = 0, y1++;
            continue;
        }
        WORD flags = attrs[i] & (CS_LVB_LEADING_BYTE | CS_LVB_TRAILING_BYTE), a = attrs[i] & ~flags;
        if (flags & CS_LVB_LEADING_BYTE) {
            if (x == bw - 1) {
                ok = cs_cell_put(bw, bh, x, y1, ' ', a, 0); /* i stays: the next row */
            } else {
                ok = cs_cell_put(bw, bh, x, y1, chars[i], a, CS_LEAD) &&
                     cs_cell_put(bw, bh, x + 1, y1, chars[i], -1, CS_TRAIL);
                i++;
            }
        } else if (flags) {
            if (x == 0)
                ok = cs_cell_put(bw, bh, x, y1, ' ', a, 0);
            else if (i == 0)
                ok = cs_cell_put(bw, bh, x - 1, y1, chars[i], -1, CS_LEAD) &&
                     cs_cell_put(bw, bh, x, y1, chars[i], a, CS_TRAIL);
            else
                ok = cs_cell_set(bw, bh, x, y1, -1, a);
            i++;
        } else {
            ok = cs_cell_put(bw, bh, x, y1, chars[i], a, 0);
            i++;
        }
        x++;
    }
    /* drawn from the column before (a half cut there) to the one after the last written */
    int32_t start = (int32_t)y * bw + (x0 > 0 ? x0 - 1 : 0);
    int32_t end = (int32_t)(y1 < bh ? y1 : bh - 1) * bw + (x < bw ? x : bw - 1);
    return cs_span_send(h, cols, rows, bw, bh, start, end - start + 1, ok);
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
    pthread_mutex_lock(&cs_lock);
    cs_draw_begin(&o);
    pthread_mutex_unlock(&cs_lock);
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
                pthread_mutex_lock(&cs_lock); /* the program's margins back */
                int mt = cs_vt.top, mb = cs_vt.bot, mr = cs_vt.margin_rows;
                pthread_mutex_unlock(&cs_lock);
                if (mb > 0 && mr == rows)
                    cs_fmt(&o, "\x1b[%d;%dr", mt + 1, mb + 1);
                else
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
    DWORD done = n > 0 ? (DWORD)n : 0;
    BOOL ok;
    if (kind == 0 && n > 0) { /* characters: a wide one takes two cells, as in the console host */
        int64_t left = (int64_t)bw * bh - start; /* cells to the buffer's end */
        int32_t room = (int32_t)(left < (int64_t)n * 2 + 1 ? left : (int64_t)n * 2 + 1);
        int32_t cells = 0, used = 0;
        WCHAR *cch = malloc((size_t)room * sizeof *cch);
        uint8_t *half = malloc((size_t)room);
        if (!cch || !half) {
            free(cch), free(half), free(copy);
            thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        const WCHAR *w = copy;
        for (; used < n && cells < room; used++) {
            bool wide = k32_char_cells(w[used]) == 2 && bw > 1;
            if (wide && (start + cells) % bw == bw - 1) { /* not in the last column: a space */
                cch[cells] = ' ', half[cells++] = 0;
                if (cells == room)
                    break;
            }
            if (wide && cells + 1 >= room)
                break; /* no room for both halves at the buffer's end */
            cch[cells] = w[used], half[cells++] = wide ? CS_LEAD : 0;
            if (wide)
                cch[cells] = w[used], half[cells++] = CS_TRAIL;
        }
        ok = cs_write_cells_halves(h, cols, rows, bw, bh, start, cells, cch, -1, NULL, -1, half);
        free(cch);
        free(half);
        done = (DWORD)used;
    } else {
        ok = n <= 0 || cs_write_cells(h, cols, rows, bw, bh, start, n, NULL, -1,
                                      kind == 2 ? copy : NULL, -1);
    }
    free(copy);
    if (!ok)
        return FALSE;
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
    /* a wide character's two cells are one character (its right half skipped, a half cut off
     * by the run's ends a space) and attributes with COMMON_LVB_LEADING/TRAILING_BYTE, as the
     * console host reads them */
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    WORD *a = n > 0 ? malloc((size_t)n * sizeof *a) : NULL;
    if (n > 0 && (!w || !a)) {
        free(w);
        free(a);
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    int32_t got = 0;
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    for (int32_t i = 0; i < n; i++) {
        int x = (start + i) % bw, y = (start + i) / bw;
        int half = cs_cell_half(bw, bh, x, y);
        bool cut = (i == 0 && half == CS_TRAIL) || (i == n - 1 && half == CS_LEAD);
        WCHAR ch;
        WORD attr;
        cs_cell_get(bw, bh, x, y, &ch, &attr);
        if (kind == 2) {
            a[got++] = (WORD)(attr | (cut           ? 0
                                      : half == CS_LEAD ? CS_LVB_LEADING_BYTE
                                      : half == CS_TRAIL ? CS_LVB_TRAILING_BYTE
                                                         : 0));
        } else if (cut) {
            w[got++] = ' ';
        } else if (half != CS_TRAIL) {
            w[got++] = ch;
        }
    }
    pthread_mutex_unlock(&cs_lock);
    void *out = kind == 2 ? (void *)a : (void *)w;
    size_t bytes = (size_t)got * 2;
    char *ansi = NULL;
    if (kind == 1 && got > 0) { /* the console output code page; nothing when it does not fit */
        UINT cp = GetConsoleOutputCP();
        int m = WideCharToMultiByte(cp, 0, w, (int)got, NULL, 0, NULL, NULL);
        ansi = m > 0 ? malloc((size_t)m) : NULL;
        if (ansi && WideCharToMultiByte(cp, 0, w, (int)got, ansi, m, NULL, NULL) == m &&
            (DWORD)m <= len) {
            got = m;
        } else {
            got = 0;
        }
        out = ansi;
        bytes = (size_t)got;
    }
    bool fault = bytes > 0 && nt_copy_to_user(dst, out, bytes) != 0;
    free(w);
    free(a);
    free(ansi);
    if (fault) {
        thk_set_last_error(CS_ERROR_NOACCESS);
        return FALSE;
    }
    DWORD done = got > 0 ? (DWORD)got : 0;
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
                ok = cs_write_row_lvb(h, cols, rows, bw, bh, done.Left, done.Top + y, w, chars,
                                      attrs);
            } else {
                pthread_mutex_lock(&cs_lock);
                cs_cells_check(bw, bh);
                for (int x = 0; x < w; x++) {
                    cs_cell_get(bw, bh, done.Left + x, done.Top + y, &row[x].Char,
                                &row[x].Attributes);
                    int half = cs_cell_half(bw, bh, done.Left + x, done.Top + y);
                    row[x].Attributes |= half == CS_LEAD    ? CS_LVB_LEADING_BYTE
                                         : half == CS_TRAIL ? CS_LVB_TRAILING_BYTE
                                                            : 0;
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

/* ---- the line editor's pop-ups (console_input.c) ----
 * Like the console host's pop-ups, drawn into the buffer's window (its top rows) and taken away
 * by writing back the whole rows they covered, as saved before. */

void k32_screen_window(int fd, int *cols, int *rows)
{
    struct winsize ws = {0};
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || !ws.ws_col || !ws.ws_row) {
        ws.ws_col = 80;
        ws.ws_row = 25;
    }
    *cols = ws.ws_col;
    *rows = ws.ws_row;
}

static void cs_popup_buffer(int cols, int rows, int *bw, int *bh)
{
    pthread_mutex_lock(&cs_lock);
    cs_dims_locked(cols, rows, bw, bh);
    pthread_mutex_unlock(&cs_lock);
}

/* Rows [y, y + n) of the window, cols cells each, as a read gives them (an unknown cell a blank
 * in the current attribute; a wide character in both its cells). */
void k32_screen_rows_read(int cols, int rows, int y, int n, WCHAR *ch, WORD *attr)
{
    int bw, bh;
    cs_popup_buffer(cols, rows, &bw, &bh);
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    for (int r = 0; r < n; r++)
        for (int x = 0; x < cols; x++) {
            if (y + r < bh)
                cs_cell_get(bw, bh, x, y + r, &ch[r * cols + x], &attr[r * cols + x]);
            else
                ch[r * cols + x] = ' ', attr[r * cols + x] = k32_text_attr_get();
        }
    pthread_mutex_unlock(&cs_lock);
}

/* Writes the w x h cells at (x, y) into the copy and draws them on the terminal at fd (the
 * cursor and the colours put back); two cells in a row holding the same wide character are its
 * two halves. */
bool k32_screen_cells_draw(int fd, int cols, int rows, int x, int y, int w, int h,
                           const WCHAR *ch, const WORD *attr)
{
    int bw, bh;
    cs_popup_buffer(cols, rows, &bw, &bh);
    cs_out o = {0};
    bool ok = true;
    int sgr = -1;
    pthread_mutex_lock(&cs_lock);
    cs_cells_check(bw, bh);
    cs_draw_begin(&o);
    for (int r = 0; r < h && y + r < bh && ok; r++) {
        for (int c = 0; c < w && x + c < bw && ok; c++) {
            const WCHAR v = ch[r * w + c];
            ok = cs_cell_set(bw, bh, x + c, y + r, v, attr[r * w + c]);
            if (ok && c + 1 < w && x + c + 1 < bw && ch[r * w + c + 1] == v &&
                k32_char_cells(v) == 2) {
                ok = cs_cell_set(bw, bh, x + c + 1, y + r, v, attr[r * w + c + 1]);
                cs_rows[y + r][x + c].known |= CS_LEAD;
                cs_rows[y + r][x + c + 1].known |= CS_TRAIL;
                c++;
            }
        }
        if (bw == cols)
            cs_draw_row(&o, cols, rows, bw, bh, y + r, x, x + w - 1, &sgr);
    }
    pthread_mutex_unlock(&cs_lock);
    if (!ok) {
        free(o.p);
        return false;
    }
    cs_attr(&o, k32_text_attr_get());
    cs_add(&o, "\x1b" "8", 2);
    if (o.failed) {
        free(o.p);
        return false;
    }
    uint64_t before = nt_console_output_count();
    cs_own = true;
    const char *p = o.p;
    size_t n = o.len;
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        nt_console_output_text(fd, p, (size_t)k);
        p += k;
        n -= (size_t)k;
    }
    cs_own = false;
    free(o.p);
    k32_con_cursor_kept(before);
    k32_screen_cells_kept(before);
    return n == 0;
}

/* ---- text written to the terminal ----
 * What WriteConsole, WriteFile, the CRT's stdio and the line editor's echo write to the
 * terminal goes into the copy as the console host writes it in processed output mode with
 * ENABLE_VIRTUAL_TERMINAL_PROCESSING, from the cursor on, in the current attribute: each
 * character one cell; CR to the line's start; LF (and VT, FF) to the next line's start (the
 * terminal's ONLCR, conhost without DISABLE_NEWLINE_AUTO_RETURN); BS one cell left, never past
 * the line's start (the cell kept); TAB spaces to the next multiple of 8, never past the last
 * column; BEL and the other control characters no cell. A character in the last column leaves
 * the cursor there with the wrap pending (the next character wraps first: the terminal's and
 * Windows' VT-mode delayed wrap); a line feed on the window's last row scrolls the window's
 * rows up one (the window is the buffer's top rows).
 *
 * Escape sequences are followed as the console host's VT engine (and the terminal) do them:
 * the cursor moves (CUP/HVP, CUU/CUD/CUF/CUB, CNL/CPL, CHA/HPA/VPA, HPR/VPR, CHT/CBT, IND, NEL,
 * RI), DECSC/DECRC and CSI s/u (the cursor and the attribute), the erasures (ED, EL, ECH: spaces
 * in the current attribute), ICH/DCH, IL/DL, SU/SD, and SGR, which changes the current
 * attribute as conhost maps it to a legacy one (GetConsoleScreenBufferInfo's wAttributes: ANSI
 * colour n is the legacy colour with red and blue swapped, 90-97/100-107 the bright ones, bold
 * brightens a 16-colour or default foreground, 7 COMMON_LVB_REVERSE_VIDEO, 4 and 21
 * COMMON_LVB_UNDERSCORE, 53 COMMON_LVB_GRID_HORIZONTAL, 256-colour and RGB colours the
 * nearest of the 16, 0 the defaults 7). Sequences that change no cell (modes such as DECTCEM,
 * which sets GetConsoleCursorInfo's bVisible, bracketed paste, mouse reporting; OSC, DCS and
 * the other strings; charset designations; DSR) are passed over. Insert mode (IRM: a
 * character pushes the rest of the line right, off its end), tab stops (HTS sets one at the
 * cursor, TBC clears it or all; TAB, CHT and CBT go to them; every 8 columns until then), REP
 * (the last character again) are followed; an erasure or write that cuts a wide character in
 * two blanks its other half too. DECSTBM's scrolling region is followed as xterm and conhost
 * keep it (LF/IND/NEL on its last row and RI on its first scroll only the region, a line feed
 * on the window's last row below it does nothing, IL/DL act inside it and are ignored outside,
 * SU/SD scroll it, CUU/CUD stop at its margins, setting it puts the cursor home); so is the
 * alternate screen (cs_tx_alt) and the rectangle operations DECCRA, DECFRA and DECERA
 * (cs_tx_rect). Origin mode (DECOM, ?6h) is followed as xterm and conhost keep it: CUP, HVP,
 * VPA and the rectangle operations count rows from the top margin and stay inside the
 * scrolling region, setting or resetting it puts the cursor home, DECSC saves it and DECRC sets
 * it back; the runtime's own drawing turns it off inside its ESC 7 ... ESC 8 (cs_draw_begin),
 * SetConsoleCursorPosition's CUP counts from the margin (k32_screen_cup), and a cursor
 * position report is read from the margin (k32_screen_origin_top). The rest (a reset) cannot
 * be followed: the copy and the cursor go stale, as all output did before, and the terminal
 * is asked again.
 *
 * The output mode: without ENABLE_VIRTUAL_TERMINAL_PROCESSING the program's ESC, and every
 * control character but BEL, BS, TAB, LF and CR, is a character of one cell (the console host
 * shows code page 437's glyph: ESC is U+2190), and without ENABLE_PROCESSED_OUTPUT every
 * control character is; the terminal is sent the glyph instead (cs_out_filter), so that it
 * shows the sequence rather than acting on it, and the copy keeps the control character, as
 * ReadConsoleOutputCharacter gives it back. The runtime's own sequences (k32_write_all) and
 * the line editor's echo are not the program's text.
 * SGR is followed whether the cursor is known or not; an absolute move (CUP, or DECRC of a
 * cursor saved while known) makes the cursor known again.
 *
 * Cells are followed while the cursor is known (asked with DSR, set by SetConsoleCursorPosition
 * or by an absolute move) and no other output came between; output with the cursor not known
 * costs a scan for ESC. The buffer calls' own drawing (cs_send) is not followed: it draws the
 * copy, and puts the cursor and the colours back. */

#define CS_LVB_GRID_HORIZONTAL 0x0400
#define CS_LVB_REVERSE_VIDEO 0x4000
#define CS_LVB_UNDERSCORE 0x8000

/* ANSI colour n (red 1, blue 4) as a legacy index (blue 1, red 4), and back: the same swap. */
static const uint8_t cs_ansi_legacy[8] = {0, 4, 2, 6, 1, 5, 3, 7};

/* 256-colour and RGB colours as one of the 16 legacy colours, as the console host maps them
 * for wAttributes and the Read calls. conhost reduces an RGB colour to 3-3-2 bits (RRRGGGBB)
 * and looks the result up in a table of 256; its table for the 256-colour indexes 16-255 is
 * that same lookup of xterm's colour for the index (checked for all 240). The table here is
 * computed, not copied: each 3-3-2 bucket's centre goes to the nearest of Windows' 16 default
 * colours (the Campbell scheme) by CIEDE2000, the colour difference that weighs hue and
 * lightness as the eye does; a pure colour (each channel none or full: red, yellow, blue, ...)
 * is the bright legacy colour of its channels, as 0000FF is bright blue in the legacy palette
 * (the Campbell blue is nearer pure blue, but conhost, like every legacy console, calls it
 * bright). That gives conhost's colour for 241 of the 256 buckets and 232 of the 240 indexes;
 * plain RGB distance to the same colours gave 164 and 152. The rest are dark or greyish
 * buckets between two neighbouring colours (16,48,96: conhost black, here blue). */
static const uint32_t cs_legacy_rgb[16] = {
    0x0c0c0c, 0x0037da, 0x13a10e, 0x3a96dd, 0xc50f1f, 0x881798, 0xc19c00, 0xcccccc,
    0x767676, 0x3b78ff, 0x16c60c, 0x61d6d6, 0xe74856, 0xb4009e, 0xf9f1a5, 0xf2f2f2};

/* sRGB (0-255) as CIELAB (D65). */
static void cs_lab(int r8, int g8, int b8, double lab[3])
{
    double c[3] = {r8 / 255.0, g8 / 255.0, b8 / 255.0};
    for (int i = 0; i < 3; i++)
        c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow((c[i] + 0.055) / 1.055, 2.4);
    double xyz[3] = {(0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047,
                     0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2],
                     (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883};
    for (int i = 0; i < 3; i++)
        xyz[i] = xyz[i] > 0.008856 ? cbrt(xyz[i]) : 7.787 * xyz[i] + 16.0 / 116;
    lab[0] = 116 * xyz[1] - 16;
    lab[1] = 500 * (xyz[0] - xyz[1]);
    lab[2] = 200 * (xyz[1] - xyz[2]);
}

/* The CIEDE2000 colour difference of two CIELAB colours. */
static double cs_de2000(const double *p, const double *q)
{
    const double deg = 3.14159265358979323846 / 180;
    double c1 = hypot(p[1], p[2]), c2 = hypot(q[1], q[2]), cb7 = pow((c1 + c2) / 2, 7);
    double g = 0.5 * (1 - sqrt(cb7 / (cb7 + 6103515625.0))); /* 25^7 */
    double a1 = (1 + g) * p[1], a2 = (1 + g) * q[1];
    double c1p = hypot(a1, p[2]), c2p = hypot(a2, q[2]);
    double h1 = fmod(atan2(p[2], a1) / deg + 360, 360), h2 = fmod(atan2(q[2], a2) / deg + 360, 360);
    double dl = q[0] - p[0], dc = c2p - c1p, dh = 0, hb = h1 + h2;
    if (c1p * c2p != 0) {
        dh = h2 - h1;
        dh = dh > 180 ? dh - 360 : dh < -180 ? dh + 360 : dh;
        hb = fabs(h1 - h2) <= 180 ? (h1 + h2) / 2
             : h1 + h2 < 360      ? (h1 + h2 + 360) / 2
                                  : (h1 + h2 - 360) / 2;
    }
    double dhh = 2 * sqrt(c1p * c2p) * sin(dh / 2 * deg);
    double lb = (p[0] + q[0]) / 2, cbp = (c1p + c2p) / 2, cbp7 = pow(cbp, 7);
    double t = 1 - 0.17 * cos((hb - 30) * deg) + 0.24 * cos(2 * hb * deg) +
               0.32 * cos((3 * hb + 6) * deg) - 0.2 * cos((4 * hb - 63) * deg);
    double dth = 30 * exp(-((hb - 275) / 25) * ((hb - 275) / 25));
    double rt = -sin(2 * dth * deg) * 2 * sqrt(cbp7 / (cbp7 + 6103515625.0));
    double sl = 1 + 0.015 * (lb - 50) * (lb - 50) / sqrt(20 + (lb - 50) * (lb - 50));
    double sc = 1 + 0.045 * cbp, sh = 1 + 0.015 * cbp * t;
    return sqrt((dl / sl) * (dl / sl) + (dc / sc) * (dc / sc) + (dhh / sh) * (dhh / sh) +
                rt * (dc / sc) * (dhh / sh));
}

static uint8_t cs_rgb332_legacy[256];
static pthread_once_t cs_rgb332_once = PTHREAD_ONCE_INIT;

static void cs_rgb332_init(void)
{
    double pal[16][3];
    for (int i = 0; i < 16; i++)
        cs_lab((int)(cs_legacy_rgb[i] >> 16), (int)((cs_legacy_rgb[i] >> 8) & 0xff),
               (int)(cs_legacy_rgb[i] & 0xff), pal[i]);
    for (int v = 0; v < 256; v++) {
        double lab[3], best_d = 0;
        cs_lab(((v >> 5) << 5) + 16, (((v >> 2) & 7) << 5) + 16, ((v & 3) << 6) + 32, lab);
        for (int i = 0; i < 16; i++) {
            double d = cs_de2000(pal[i], lab);
            if (i == 0 || d < best_d)
                best_d = d, cs_rgb332_legacy[v] = (uint8_t)i;
        }
        int r = v >> 5, g = (v >> 2) & 7, b = v & 3;
        if (v && (r == 0 || r == 7) && (g == 0 || g == 7) && (b == 0 || b == 3))
            cs_rgb332_legacy[v] = (uint8_t)(8 | (r ? 4 : 0) | (g ? 2 : 0) | (b ? 1 : 0));
    }
}

/* An RGB colour as a legacy index. */
static int cs_nearest(int r, int g, int b)
{
    pthread_once(&cs_rgb332_once, cs_rgb332_init);
    return cs_rgb332_legacy[(r & 0xe0) | ((g >> 3) & 0x1c) | ((b >> 6) & 3)];
}

/* An xterm 256-colour index as a legacy index: the first 16 the ANSI colours (red and blue
 * swapped), the rest their RGB colour's. */
static int cs_256_legacy(int i)
{
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    if (i < 16)
        return (i & 8) | cs_ansi_legacy[i & 7];
    if (i < 232)
        return cs_nearest(level[(i - 16) / 36], level[(i - 16) / 6 % 6], level[(i - 16) % 6]);
    int v = 8 + 10 * (i - 232);
    return cs_nearest(v, v, v);
}

/* The legacy attribute of cs_sgr (under cs_lock), published in cs_attr_now. */
static void cs_sgr_publish(void)
{
    int fg = cs_sgr.fg < 0 ? 7 : cs_sgr.fg, bg = cs_sgr.bg < 0 ? 0 : cs_sgr.bg;
    if (cs_sgr.bold && !cs_sgr.fg_fixed)
        fg |= 8;
    __atomic_store_n(&cs_attr_now, (WORD)(fg | bg << 4 | cs_sgr.meta), __ATOMIC_RELAXED);
}

/* SGR's parameters p[0, n) (-1: empty, as 0). */
static void cs_sgr_apply(const int *p, int n)
{
    if (n == 0)
        n = 1; /* ESC [ m: ESC [ 0 m */
    for (int i = 0; i < n; i++) {
        int v = p[i] < 0 ? 0 : p[i];
        if (v == 0) {
            cs_sgr.fg = cs_sgr.bg = -1;
            cs_sgr.fg_fixed = cs_sgr.bold = false;
            cs_sgr.meta = 0;
        } else if (v == 1) {
            cs_sgr.bold = true;
        } else if (v == 22) {
            cs_sgr.bold = false;
        } else if (v == 4 || v == 21) {
            cs_sgr.meta |= CS_LVB_UNDERSCORE;
        } else if (v == 24) {
            cs_sgr.meta &= (WORD)~CS_LVB_UNDERSCORE;
        } else if (v == 7) {
            cs_sgr.meta |= CS_LVB_REVERSE_VIDEO;
        } else if (v == 27) {
            cs_sgr.meta &= (WORD)~CS_LVB_REVERSE_VIDEO;
        } else if (v == 53) {
            cs_sgr.meta |= CS_LVB_GRID_HORIZONTAL;
        } else if (v == 55) {
            cs_sgr.meta &= (WORD)~CS_LVB_GRID_HORIZONTAL;
        } else if (v >= 30 && v <= 37) {
            cs_sgr.fg = (int8_t)cs_ansi_legacy[v - 30], cs_sgr.fg_fixed = false;
        } else if (v >= 90 && v <= 97) {
            cs_sgr.fg = (int8_t)(8 | cs_ansi_legacy[v - 90]), cs_sgr.fg_fixed = false;
        } else if (v == 39) {
            cs_sgr.fg = -1, cs_sgr.fg_fixed = false;
        } else if (v >= 40 && v <= 47) {
            cs_sgr.bg = (int8_t)cs_ansi_legacy[v - 40];
        } else if (v >= 100 && v <= 107) {
            cs_sgr.bg = (int8_t)(8 | cs_ansi_legacy[v - 100]);
        } else if (v == 49) {
            cs_sgr.bg = -1;
        } else if (v == 38 || v == 48) { /* 5;n (256 colours) or 2;r;g;b */
            int c = -1;
            if (i + 2 < n && p[i + 1] == 5) {
                c = p[i + 2] >= 0 && p[i + 2] < 256 ? cs_256_legacy(p[i + 2]) : -1;
                i += 2;
            } else if (i + 4 < n && p[i + 1] == 2) {
                int r = p[i + 2] & 0xff, g = p[i + 3] & 0xff, b = p[i + 4] & 0xff;
                c = cs_nearest(r < 0 ? 0 : r, g < 0 ? 0 : g, b < 0 ? 0 : b);
                i += 4;
            } else {
                break; /* malformed: the rest is not colours */
            }
            if (c >= 0 && v == 38)
                cs_sgr.fg = (int8_t)c, cs_sgr.fg_fixed = true;
            else if (c >= 0)
                cs_sgr.bg = (int8_t)c;
        }
    }
    cs_sgr_publish();
}

/* Sets the current attribute (under cs_lock). */
static void cs_attr_set_locked(WORD attr)
{
    cs_sgr.fg = (int8_t)(attr & 15);
    cs_sgr.bg = (int8_t)((attr >> 4) & 15);
    cs_sgr.fg_fixed = cs_sgr.bold = false;
    cs_sgr.meta = attr & 0xff00;
    __atomic_store_n(&cs_attr_now, attr, __ATOMIC_RELAXED);
}

WORD k32_text_attr_get(void) { return __atomic_load_n(&cs_attr_now, __ATOMIC_RELAXED); }

void k32_text_attr_set(WORD attr)
{
    pthread_mutex_lock(&cs_lock);
    cs_attr_set_locked(attr);
    pthread_mutex_unlock(&cs_lock);
}

/* One write being followed (under cs_lock). */
typedef struct {
    bool follow; /* the cells and the cursor are followed */
    bool found;  /* the cursor became known in this write (an absolute move) */
    bool dirty;  /* output that may have changed cells while not followed */
    int16_t x, y;
    int cols, rows, bw, bh;
    int fd; /* the terminal */
    bool lit_esc, lit_ctl; /* the program's text with VT processing / processed output off */
    bool c1_drop; /* the program's text with VT processing on: C1 controls are no characters */
} cs_tx;

/* The cursor known at (x, y) from here on (an absolute move); the cells are kept only when
 * they were current before this write and nothing unfollowed changed them since. */
static void cs_tx_found(cs_tx *t, int x, int y, uint64_t before)
{
    if (t->bw != t->cols || t->rows > t->bh)
        return;
    if (!t->follow) {
        if (cs_rows && (t->dirty || cs_rows_w != t->bw || cs_rows_h != t->bh ||
                        cs_rows_writes != before))
            cs_cells_clear();
        t->dirty = false; /* what is left is current */
        cs_text.wrap = false;
        cs_text.need = 0;
        t->follow = t->found = true;
    }
    t->x = (int16_t)(x < 0 ? 0 : x >= t->bw ? t->bw - 1 : x);
    t->y = (int16_t)(y < 0 ? 0 : y >= t->rows ? t->rows - 1 : y);
    cs_text.wrap = false;
}

/* Output that changes what cannot be followed: the copy and the cursor go stale. */
static void cs_tx_lost(cs_tx *t)
{
    t->follow = false;
    t->dirty = true;
}

/* Sets n cells of row y from x to ch in attr (false without memory). A wide character cut
 * at either end loses its other half too (a space), as in the console host. */
static bool cs_tx_fill(cs_tx *t, int y, int x, int n, WCHAR ch, WORD attr)
{
    if (n <= 0)
        return true;
    if (cs_cell_half(t->bw, t->bh, x, y) == CS_TRAIL && x > 0 &&
        !cs_cell_set(t->bw, t->bh, x - 1, y, ' ', -1))
        return false;
    if (cs_cell_half(t->bw, t->bh, x + n - 1, y) == CS_LEAD && x + n < t->bw &&
        !cs_cell_set(t->bw, t->bh, x + n, y, ' ', -1))
        return false;
    for (int i = 0; i < n; i++)
        if (!cs_cell_set(t->bw, t->bh, x + i, y, ch, attr))
            return false;
    return true;
}

/* Moves the window's rows [top, bottom] up by n (n < 0: down), the rows left behind blank in
 * attr (false without memory). */
static bool cs_tx_scroll(cs_tx *t, int top, int bottom, int n, WORD attr)
{
    int h = bottom - top + 1, k = n < 0 ? -n : n;
    if (k > h)
        k = h;
    if (!k)
        return true;
    if (!cs_rows && !cs_cell_at(t->bw, t->bh, 0, top, true))
        return false;
    for (int i = 0; i < k; i++) /* the rows that leave */
        free(cs_rows[n > 0 ? top + i : bottom - i]), cs_rows[n > 0 ? top + i : bottom - i] = NULL;
    if (n > 0)
        memmove(&cs_rows[top], &cs_rows[top + k], (size_t)(h - k) * sizeof *cs_rows);
    else
        memmove(&cs_rows[top + k], &cs_rows[top], (size_t)(h - k) * sizeof *cs_rows);
    for (int i = 0; i < k; i++)
        cs_rows[n > 0 ? bottom - i : top + i] = NULL;
    for (int i = 0; i < k; i++)
        if (!cs_tx_fill(t, n > 0 ? bottom - i : top + i, 0, t->bw, ' ', attr))
            return false;
    return true;
}

/* The scrolling region: the rows [*top, *bot] DECSTBM set, else the whole window. */
static void cs_margins(const cs_tx *t, int *top, int *bot)
{
    bool set = cs_vt.bot > 0 && cs_vt.margin_rows == t->rows;
    *top = set ? cs_vt.top : 0;
    *bot = set ? cs_vt.bot : t->rows - 1;
}

/* Origin mode's home row: the top margin (0 without origin mode). */
static int cs_origin_top(const cs_tx *t)
{
    int top, bot;
    cs_margins(t, &top, &bot);
    return cs_vt.origin ? top : 0;
}

/* The window's row of 1-based row n of a CUP/HVP/VPA: in origin mode counted from the top
 * margin and kept inside the scrolling region, as xterm and conhost place it. */
static int cs_origin_row(const cs_tx *t, int n)
{
    int top, bot;
    cs_margins(t, &top, &bot);
    if (!cs_vt.origin)
        top = 0, bot = t->rows - 1;
    int y = top + n - 1;
    return y > bot ? bot : y;
}

/* A line feed: the next row; on the scrolling region's last row the region's rows up one
 * (the row left blank in the current attribute), on the window's last row below the region
 * nothing; without margins the window's rows up one on its last row. */
static bool cs_tx_lf(cs_tx *t)
{
    int top, bot;
    cs_margins(t, &top, &bot);
    if (t->y == bot && (top > 0 || bot < t->rows - 1))
        return cs_tx_scroll(t, top, bot, 1, k32_text_attr_get());
    if (t->y < t->rows - 1) {
        t->y++;
        return true;
    }
    if (bot < t->rows - 1 || !cs_rows)
        return true; /* below the region: the cursor stays */
    free(cs_rows[0]);
    memmove(&cs_rows[0], &cs_rows[1], (size_t)(t->rows - 1) * sizeof *cs_rows);
    cs_rows[t->rows - 1] = NULL;
    return true;
}

/* The cells a character takes on the terminal: 2 for East Asian Wide and Fullwidth characters
 * and emoji, 0 for combining marks and other zero-width characters, else 1; what glibc's
 * wcwidth gives in the C.UTF-8 locale (Unicode's tables, as terminals use; the console host's
 * own table is built from the same East Asian Width data). Control characters: 1. */
static locale_t cs_utf8;
static pthread_once_t cs_utf8_once = PTHREAD_ONCE_INIT;
static void cs_utf8_init(void) { cs_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

int k32_char_cells(uint32_t cp)
{
    if (cp < 0x300)
        return 1;
    pthread_once(&cs_utf8_once, cs_utf8_init);
    if (!cs_utf8)
        return 1; /* no C.UTF-8 locale: every character one cell */
    locale_t old = uselocale(cs_utf8);
    int w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w < 0 ? 1 : w;
}

/* ENABLE_WRAP_AT_EOL_OUTPUT (DECAWM on the terminal): a character in the last column waits
 * there to wrap; off, the next one overwrites it. */
static bool cs_wrap_on(void) { return (k32_con_out_mode() & K32_ENABLE_WRAP_AT_EOL_OUTPUT) != 0; }

/* DECAWM from the program (and SetConsoleMode's, which writes it): the output mode follows;
 * the terminal gets its wrapping back at exit (and at the end of a libntrun run). */
static int cs_wrap_fd = -1;

static void cs_wrap_restore(uint32_t code)
{
    (void)code;
    if (cs_wrap_fd >= 0 && !cs_wrap_on())
        (void)!write(cs_wrap_fd, "\x1b[?7h", 5);
}

static void cs_wrap_set(int fd, bool on)
{
    k32_con_out_wrap(on);
    if (!on && cs_wrap_fd < 0) {
        cs_wrap_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (cs_wrap_fd >= 0)
            rt_on_exit_always(cs_wrap_restore);
    }
}

/* Puts a cell of text at (x, t->y) (half: CS_LEAD, CS_TRAIL or 0); a wide character it cuts in
 * two loses its other half (a space), as on the terminal and in the console host. */
static bool cs_tx_put(cs_tx *t, int x, WCHAR ch, WORD attr, int half)
{
    return cs_cell_put(t->bw, t->bh, x, t->y, ch, attr, half);
}

/* One character of text at the cursor; false without memory. A wide character takes two
 * cells; one that does not fit in the last column wraps, the column left a space (the console
 * host's padding), or without wrapping goes into the last two columns. */
static bool cs_tx_char(cs_tx *t, uint32_t cp)
{
    int w = k32_char_cells(cp);
    if (w == 0)
        return true; /* a combining mark: part of the cell before */
    bool wrap = cs_wrap_on();
    WORD attr = k32_text_attr_get();
    if (cs_text.wrap) {
        cs_text.wrap = false;
        t->x = 0;
        cs_tx_lf(t);
    }
    WCHAR ch = cp > 0xffff || (cp >= 0xd800 && cp < 0xe000) ? 0xfffd : (WCHAR)cp;
    cs_vt.last_cp = cp;
    if (cs_vt.irm) { /* insert mode: the rest of the line moves right, off its end */
        int k = w == 2 && t->bw > 1 ? 2 : 1;
        cs_cell *row = cs_cell_at(t->bw, t->bh, 0, t->y, true);
        if (!row)
            return false;
        if (t->x + k < t->bw)
            memmove(row + t->x + k, row + t->x, (size_t)(t->bw - t->x - k) * sizeof *row);
    }
    if (w == 2 && t->x == t->bw - 1) {
        if (wrap) {
            if (!cs_tx_put(t, t->x, ' ', attr, 0))
                return false;
            t->x = 0;
            cs_tx_lf(t);
        } else if (t->bw > 1) {
            t->x--;
        }
    }
    if (w == 2 && t->bw > 1) {
        if (!cs_tx_put(t, t->x, ch, attr, CS_LEAD) || !cs_tx_put(t, t->x + 1, ch, attr, CS_TRAIL))
            return false;
    } else if (!cs_tx_put(t, t->x, ch, attr, 0)) {
        return false;
    }
    int next = t->x + (w == 2 && t->bw > 1 ? 2 : 1);
    if (next >= t->bw) { /* the last column: wait there to wrap, or stay to be overwritten */
        t->x = (int16_t)(t->bw - 1);
        cs_text.wrap = wrap;
    } else {
        t->x = (int16_t)next;
    }
    return true;
}

/* Tab stops: every 8 columns until HTS or TBC sets them. */
static bool cs_tab_at(int x)
{
    if (!cs_vt.tabs_set || x >= CS_TAB_COLS)
        return x % 8 == 0;
    return (cs_vt.tabs[x / 8] >> (x % 8)) & 1;
}

static void cs_tab_set(int x, bool on)
{
    if (!cs_vt.tabs_set) {
        for (int i = 0; i < CS_TAB_COLS / 8; i++)
            cs_vt.tabs[i] = 1; /* column 8i */
        cs_vt.tabs_set = true;
    }
    if (x >= 0 && x < CS_TAB_COLS)
        cs_vt.tabs[x / 8] = (uint8_t)(on ? cs_vt.tabs[x / 8] | 1u << (x % 8)
                                         : cs_vt.tabs[x / 8] & ~(1u << (x % 8)));
}

/* The next tab stop after x (the last column when none), or the one before (0 when none). */
static int cs_tab_next(const cs_tx *t, int x)
{
    while (++x < t->bw - 1 && !cs_tab_at(x))
        ;
    return x > t->bw - 1 ? t->bw - 1 : x;
}
static int cs_tab_prev(int x)
{
    while (--x > 0 && !cs_tab_at(x))
        ;
    return x < 0 ? 0 : x;
}

/* A control character (followed: the cursor known). */
static bool cs_tx_control(cs_tx *t, uint8_t b)
{
    cs_vt.last_cp = 0;
    switch (b) {
    case '\r':
        t->x = 0;
        cs_text.wrap = false;
        return true;
    case '\n':
    case '\v':
    case '\f':
        t->x = 0;
        cs_text.wrap = false;
        return cs_tx_lf(t);
    case '\b':
        cs_text.wrap = false;
        if (t->x > 0)
            t->x--;
        return true;
    case '\t': {
        if (cs_text.wrap)
            return true; /* the terminal stays in the last column */
        if (cs_vt.tabs_lost) {
            cs_tx_lost(t);
            return true;
        }
        int to = cs_tab_next(t, t->x);
        bool ok = cs_tx_fill(t, t->y, t->x, to - t->x, ' ', k32_text_attr_get());
        t->x = (int16_t)to;
        return ok;
    }
    default:
        return true; /* BEL and the others: no cell */
    }
}

/* A control character, followed or not (BEL changes nothing either way). */
static bool cs_tx_control_any(cs_tx *t, uint8_t b)
{
    if (t->follow)
        return cs_tx_control(t, b);
    if (b != 0x07)
        t->dirty = true;
    return true;
}

/* The DEC private modes that change no cell (DECCKM, DECAWM's wrap is the terminal's and
 * ours alike, blinking, DECTCEM, mouse and focus reporting, bracketed paste, synchronized
 * output): passed over. */
static bool cs_mode_harmless(int m)
{
    return m == 1 || m == 7 || m == 12 || m == 25 || m == 9 || (m >= 1000 && m <= 1007) ||
           m == 1015 || m == 1016 || m == 2004 || m == 2026 || m == 66;
}

/* The n-th parameter, `def` when empty or 0 (for counts and positions). */
static int cs_par(int n, int def)
{
    int v = n < cs_vt.n ? cs_vt.par[n] : -1;
    return v <= 0 ? def : v;
}

static bool cs_tx_esc(cs_tx *t, uint8_t f, uint64_t before);

/* Shows the main screen or the alternate one (alt): the main screen's cells are put aside
 * when they are current (else forgotten) and taken up again when they were kept for this size
 * of terminal; the alternate screen's are unknown when it is shown (what it holds then is the
 * terminal's: xterm keeps what it held, tmux clears it) and forgotten when it is left; the
 * saved cursors swap (under cs_lock). */
static void cs_tx_screen(cs_tx *t, bool alt, bool host, uint64_t before)
{
    if (cs_vt.alt == alt) { /* ?47h then ?1049h: the same screen, maybe another buffer */
        cs_vt.alt_host = host;
        cs_dims_locked(t->cols, t->rows, &t->bw, &t->bh);
        return;
    }
    bool current = alt && cs_rows && !t->dirty && cs_rows_w == t->bw && cs_rows_h == t->bh &&
                   (t->follow || cs_rows_writes == before);
    cs_cell **rows = current ? cs_rows : NULL;
    int w = cs_rows_w, h = cs_rows_h;
    if (!current)
        cs_cells_clear();
    cs_vt.alt = alt; /* the buffer shown from here on: its size */
    cs_vt.alt_host = host;
    int nw, nh;
    cs_dims_locked(t->cols, t->rows, &nw, &nh);
    if (cs_other.rows && (cs_other.w != nw || cs_other.h != nh ||
                          cs_other.term_rows != t->rows)) {
        cs_rows_free(cs_other.rows, cs_other.h);
        cs_other.rows = NULL;
    }
    cs_rows = cs_other.rows;
    cs_rows_w = cs_rows ? cs_other.w : 0, cs_rows_h = cs_rows ? cs_other.h : 0;
    cs_rows_writes = before;
    cs_other.rows = rows, cs_other.w = w, cs_other.h = h, cs_other.term_rows = t->rows;
    bool saved = cs_vt.saved, saved_known = cs_vt.saved_known, sorigin = cs_vt.saved_origin;
    int16_t sx = cs_vt.saved_x, sy = cs_vt.saved_y;
    WORD sattr = cs_vt.saved_attr;
    cs_vt.saved_origin = cs_other.saved_origin, cs_other.saved_origin = sorigin;
    cs_vt.saved = cs_other.saved, cs_vt.saved_known = cs_other.saved_known;
    cs_vt.saved_x = cs_other.saved_x, cs_vt.saved_y = cs_other.saved_y;
    cs_vt.saved_attr = cs_other.saved_attr;
    cs_other.saved = saved, cs_other.saved_known = saved_known;
    cs_other.saved_x = sx, cs_other.saved_y = sy, cs_other.saved_attr = sattr;
    t->dirty = false; /* the screen shown now is as kept */
    t->bw = nw, t->bh = nh;
}

/* Clears the window's cells (spaces in the current attribute), known whether the cursor is
 * or not (under cs_lock). */
static bool cs_tx_clear(cs_tx *t, uint64_t before)
{
    cs_cells_clear();
    bool ok = true;
    for (int r = 0; ok && r < t->rows; r++)
        ok = cs_tx_fill(t, r, 0, t->bw, ' ', k32_text_attr_get());
    cs_rows_writes = before;
    t->dirty = false;
    return ok;
}

/* The alternate screen as xterm switches it (set: on): 1049 saves the cursor (DECSC), shows the
 * alternate screen and clears it, and back shows the main screen and restores its cursor
 * (DECRC); 1047 and 47 only switch. The console host knows only 1049 (its alternate buffer);
 * 47 and 1047, which the terminal acts on, are followed as the terminal shows them. */
static bool cs_tx_alt(cs_tx *t, int m, bool on, uint64_t before)
{
    cs_vt.inter = 0;
    if (m == 1049 && on && !cs_tx_esc(t, '7', before))
        return false;
    cs_tx_screen(t, on, on && (m == 1049 || cs_vt.alt_host), before);
    if (m == 1049 && on && !cs_tx_clear(t, before))
        return false;
    if (m == 1049 && !on)
        return cs_tx_esc(t, '8', before);
    return true;
}

/* The cells of rectangle [x0, x1] x [y0, y1] (clipped to the window) become `ch` in attr; a
 * wide character cut at its sides loses its other half (under cs_lock). */
static bool cs_rect_fill(cs_tx *t, int x0, int y0, int x1, int y1, WCHAR ch, WORD attr)
{
    bool ok = true;
    for (int y = y0; ok && y <= y1; y++)
        ok = cs_tx_fill(t, y, x0, x1 - x0 + 1, ch, attr);
    return ok;
}

/* The rectangle operations the console host and xterm share, on the window (pages aside; in
 * origin mode rows count from the top margin and stay inside the scrolling region): DECCRA (CSI Pt;Pl;Pb;Pr;Pp;Pt';Pl';Pp' $ v) copies the rectangle to Pt';Pl'
 * (clipped to the window), DECFRA (CSI Pc;Pt;Pl;Pb;Pr $ x) fills it with character Pc in the
 * current attribute, DECERA (CSI Pt;Pl;Pb;Pr $ z) erases it to spaces. A copied wide
 * character cut by the rectangle's sides is a space at the destination. */
static bool cs_tx_rect(cs_tx *t, uint8_t f)
{
    int k = f == 'x' ? 1 : 0; /* DECFRA's character first */
    int mtop = 0, mbot = t->rows - 1; /* origin mode: rows from the top margin, inside the region */
    if (cs_vt.origin)
        cs_margins(t, &mtop, &mbot);
    int top = mtop + cs_par(k, 1) - 1, left = cs_par(k + 1, 1) - 1;
    int bottom = mtop + cs_par(k + 2, mbot - mtop + 1) - 1, right = cs_par(k + 3, t->bw) - 1;
    if (bottom > mbot)
        bottom = mbot;
    if (right >= t->bw)
        right = t->bw - 1;
    if (top > bottom || left > right)
        return true; /* nothing */
    if (!t->follow) { /* the cells change; where, the copy may not know */
        t->dirty = true;
        return true;
    }
    WORD attr = k32_text_attr_get();
    if (f == 'z')
        return cs_rect_fill(t, left, top, right, bottom, ' ', attr);
    if (f == 'x') {
        int c = cs_vt.n > 0 ? cs_vt.par[0] : -1; /* a printable character, else nothing */
        if (!((c >= 32 && c <= 126) || (c >= 160 && c <= 255)))
            return true;
        return cs_rect_fill(t, left, top, right, bottom, (WCHAR)c, attr);
    }
    int dt = mtop + cs_par(5, 1) - 1, dl = cs_par(6, 1) - 1;
    if (dt > mbot || dl >= t->bw)
        return true;
    int w = right - left + 1, h = bottom - top + 1;
    if (dl + w > t->bw)
        w = t->bw - dl;
    if (dt + h > mbot + 1)
        h = mbot + 1 - dt;
    cs_cell *copy = calloc((size_t)w * (size_t)h, sizeof *copy);
    if (!copy)
        return false;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            cs_cell *c = cs_cell_at(t->bw, t->bh, left + x, top + y, false);
            cs_cell v = c ? *c : (cs_cell){0};
            if (((v.known & CS_LEAD) && x == w - 1) || ((v.known & CS_TRAIL) && x == 0))
                v.ch = ' ', v.known &= (uint8_t)~(CS_LEAD | CS_TRAIL); /* cut in two */
            copy[(size_t)y * (size_t)w + (size_t)x] = v;
        }
    /* the destination's wide characters cut at its sides lose their other halves */
    bool ok = cs_rect_fill(t, dl, dt, dl + w - 1, dt + h - 1, ' ', attr);
    for (int y = 0; ok && y < h; y++)
        for (int x = 0; x < w; x++) {
            cs_cell *d = cs_cell_at(t->bw, t->bh, dl + x, dt + y, true);
            if (!d) {
                ok = false;
                break;
            }
            *d = copy[(size_t)y * (size_t)w + (size_t)x];
        }
    free(copy);
    return ok;
}

/* A complete CSI sequence ending in `f` (false without memory). */
static bool cs_tx_csi(cs_tx *t, uint8_t f, uint64_t before)
{
    char mark = cs_vt.mark, inter = cs_vt.inter;
    if (mark == '?' && !inter && (f == 'h' || f == 'l')) {
        for (int i = 0; i < cs_vt.n; i++) {
            int m = cs_vt.par[i];
            if (m == 25)
                cs_cursor.bVisible = f == 'h';
            if (m == 7) /* DECAWM is ENABLE_WRAP_AT_EOL_OUTPUT, as conhost has it */
                cs_wrap_set(t->fd, f == 'h');
            if (m == 6) { /* origin mode: rows from the top margin; the cursor home */
                cs_vt.origin = f == 'h';
                cs_tx_found(t, 0, cs_origin_top(t), before);
            } else if (m == 1049 || m == 1047 || m == 47) {
                if (!cs_tx_alt(t, m, f == 'h', before))
                    return false;
            } else if (m == 1048) { /* DECSC / DECRC */
                cs_vt.inter = 0;
                if (!cs_tx_esc(t, f == 'h' ? '7' : '8', before))
                    return false;
            } else if (!cs_mode_harmless(m)) {
                cs_tx_lost(t);
            }
        }
        return true;
    }
    if (!mark && inter == '$' && (f == 'v' || f == 'x' || f == 'z'))
        return cs_tx_rect(t, f); /* DECCRA, DECFRA, DECERA */
    if (mark || (inter && inter != ' ')) {
        if (f == 'p' && inter == '!') { /* DECSTR: a soft reset */
            cs_sgr_apply(NULL, 0);
            cs_vt.irm = false;
            cs_vt.origin = false;
            cs_vt.top = cs_vt.bot = 0;
            cs_vt.saved = cs_vt.saved_known = false;
            cs_tx_lost(t);
        } else if (!(mark == '>' || mark == '=' || (inter == '$' && f == 'p'))) {
            cs_tx_lost(t); /* DECCRA and other rectangle and private sequences */
        }
        return true; /* DA2/DA3, xterm's key modifiers, DECRQM: no cell */
    }
    if (inter == ' ') /* DECSCUSR (the cursor's shape) and the like */
        return true;
    if (f == 'm') {
        cs_sgr_apply(cs_vt.par, cs_vt.n);
        return true;
    }
    if (f == 'r') { /* DECSTBM: the scrolling region (at least two rows), the cursor home */
        int top = cs_par(0, 1), bot = cs_par(1, t->rows);
        if (bot > t->rows)
            bot = t->rows;
        if (top >= bot)
            return true; /* ignored, as by xterm and conhost */
        bool whole = top == 1 && bot == t->rows;
        cs_vt.top = whole ? 0 : top - 1;
        cs_vt.bot = whole ? 0 : bot - 1;
        cs_vt.margin_rows = t->rows;
        cs_tx_found(t, 0, cs_origin_top(t), before);
        return true;
    }
    if (f == 'H' || f == 'f') {
        cs_tx_found(t, cs_par(1, 1) - 1, cs_origin_row(t, cs_par(0, 1)), before);
        return true;
    }
    if (f == 's' || f == 'u') { /* SCOSC / SCORC: DECSC / DECRC */
        if (cs_vt.n > 0 && cs_vt.par[0] >= 0)
            return true;
        cs_vt.inter = 0;
        return cs_tx_esc(t, f == 's' ? '7' : '8', before);
    }
    if (f == 'n' || f == 'c' || f == 't' || f == 'q' || f == 'i' || f == 'x')
        return true; /* reports, window operations, printing: no cell */
    if (f == 'h' || f == 'l') { /* ANSI modes: IRM is followed, the others are not */
        for (int i = 0; i < cs_vt.n; i++) {
            if (cs_vt.par[i] == 4)
                cs_vt.irm = f == 'h';
            else
                cs_tx_lost(t);
        }
        return true;
    }
    if (f == 'g') { /* TBC: the stop at the cursor, or all of them */
        int mode = cs_par(0, 0);
        if (mode == 3) {
            cs_tab_set(-1, false);
            memset(cs_vt.tabs, 0, sizeof cs_vt.tabs);
            cs_vt.tabs_lost = false;
        } else if (mode == 0) {
            if (t->follow)
                cs_tab_set(t->x, false);
            else
                cs_vt.tabs_lost = true;
        }
        return true;
    }
    if (!t->follow) {
        if (strchr("JKX@PLMSTb", f))
            t->dirty = true; /* cells changed; a move of one coordinate leaves it unknown */
        return true;
    }
    int n = cs_par(0, 1), x = t->x, y = t->y, top, bot;
    cs_margins(t, &top, &bot);
    int up_to = y >= top ? top : 0, down_to = y <= bot ? bot : t->rows - 1; /* the margins stop */
    WORD attr = k32_text_attr_get();
    bool ok = true;
    cs_text.wrap = false;
    switch (f) {
    case 'A': t->y = (int16_t)(y - n < up_to ? up_to : y - n); break;
    case 'B': case 'e': t->y = (int16_t)(y + n > down_to ? down_to : y + n); break;
    case 'C': case 'a': t->x = (int16_t)(x + n >= t->bw ? t->bw - 1 : x + n); break;
    case 'D': t->x = (int16_t)(x - n < 0 ? 0 : x - n); break;
    case 'E': t->x = 0, t->y = (int16_t)(y + n > down_to ? down_to : y + n); break;
    case 'F': t->x = 0, t->y = (int16_t)(y - n < up_to ? up_to : y - n); break;
    case 'G': case '`': t->x = (int16_t)(n > t->bw ? t->bw - 1 : n - 1); break;
    case 'd': t->y = (int16_t)cs_origin_row(t, n); break;
    case 'I':
    case 'Z':
        if (cs_vt.tabs_lost) {
            cs_tx_lost(t);
            break;
        }
        for (int i = 0; i < n && (f == 'I' ? t->x < t->bw - 1 : t->x > 0); i++)
            t->x = (int16_t)(f == 'I' ? cs_tab_next(t, t->x) : cs_tab_prev(t->x));
        break;
    case 'b': { /* REP: the last character again, n times */
        uint32_t cp = cs_vt.last_cp;
        long times = n < t->bw * t->rows ? n : t->bw * t->rows;
        for (long i = 0; cp && ok && i < times; i++)
            ok = cs_tx_char(t, cp);
        break;
    }
    case 'J': {
        int mode = cs_par(0, 0);
        if (mode == 0 || mode == 1) {
            ok = mode == 0 ? cs_tx_fill(t, y, x, t->bw - x, ' ', attr)
                           : cs_tx_fill(t, y, 0, x + 1, ' ', attr);
            for (int r = mode == 0 ? y + 1 : 0; ok && r < (mode == 0 ? t->rows : y); r++)
                ok = cs_tx_fill(t, r, 0, t->bw, ' ', attr);
        } else if (mode == 2) {
            for (int r = 0; ok && r < t->rows; r++)
                ok = cs_tx_fill(t, r, 0, t->bw, ' ', attr);
        } /* 3: the scrollback, not the window */
        break;
    }
    case 'K': {
        int mode = cs_par(0, 0);
        ok = mode == 0   ? cs_tx_fill(t, y, x, t->bw - x, ' ', attr)
             : mode == 1 ? cs_tx_fill(t, y, 0, x + 1, ' ', attr)
             : mode == 2 ? cs_tx_fill(t, y, 0, t->bw, ' ', attr)
                         : true;
        break;
    }
    case 'X':
        ok = cs_tx_fill(t, y, x, n > t->bw - x ? t->bw - x : n, ' ', attr);
        break;
    case '@': case 'P': { /* ICH / DCH: the rest of the line moves right / left */
        int k = n > t->bw - x ? t->bw - x : n;
        cs_cell *row = cs_cell_at(t->bw, t->bh, 0, y, true);
        if (!row)
            return false;
        if (f == '@')
            memmove(row + x + k, row + x, (size_t)(t->bw - x - k) * sizeof *row);
        else
            memmove(row + x, row + x + k, (size_t)(t->bw - x - k) * sizeof *row);
        ok = cs_tx_fill(t, y, f == '@' ? x : t->bw - k, k, ' ', attr);
        break;
    }
    case 'L': case 'M': /* IL / DL: the region's lines from the cursor's move down / up */
        if (y < top || y > bot)
            break; /* outside the scrolling region: nothing */
        ok = cs_tx_scroll(t, y, bot, f == 'L' ? -n : n, attr);
        t->x = 0;
        break;
    case 'S': case 'T':
        ok = cs_tx_scroll(t, top, bot, f == 'S' ? n : -n, attr);
        break;
    default: /* DECCRA and whatever else: not followed */
        cs_tx_lost(t);
        break;
    }
    return ok;
}

/* A complete ESC sequence ending in `f` (not CSI, not a string; false without memory). */
static bool cs_tx_esc(cs_tx *t, uint8_t f, uint64_t before)
{
    if (cs_vt.inter) { /* charset designations (ESC ( B ...); DECALN (ESC # 8) fills */
        if (cs_vt.inter == '#' && f == '8')
            cs_tx_lost(t);
        return true;
    }
    switch (f) {
    case '7': /* DECSC: the cursor and the attribute */
        cs_vt.saved = true;
        cs_vt.saved_known = t->follow;
        cs_vt.saved_x = t->x, cs_vt.saved_y = t->y;
        cs_vt.saved_attr = k32_text_attr_get();
        cs_vt.saved_origin = cs_vt.origin;
        return true;
    case '8': { /* DECRC (origin mode too); nothing saved: the home position and the default
                 * attribute, origin mode off */
        WORD attr = cs_vt.saved ? cs_vt.saved_attr : 7;
        cs_attr_set_locked(attr);
        cs_vt.origin = cs_vt.saved && cs_vt.saved_origin;
        if (!cs_vt.saved || cs_vt.saved_known)
            cs_tx_found(t, cs_vt.saved ? cs_vt.saved_x : 0, cs_vt.saved ? cs_vt.saved_y : 0,
                        before);
        else
            cs_tx_lost(t);
        return true;
    }
    case 'D': case 'E': /* IND, NEL */
        if (!t->follow) {
            t->dirty = true;
            return true;
        }
        cs_text.wrap = false;
        if (f == 'E')
            t->x = 0;
        return cs_tx_lf(t);
    case 'M': { /* RI: up, or the scrolling region's rows down one on its first row */
        if (!t->follow) {
            t->dirty = true;
            return true;
        }
        cs_text.wrap = false;
        int top, bot;
        cs_margins(t, &top, &bot);
        if (t->y == top)
            return cs_tx_scroll(t, top, bot, -1, k32_text_attr_get());
        if (t->y > 0)
            t->y--;
        return true;
    }
    case 'c': /* RIS */
        cs_sgr_apply(NULL, 0);
        cs_vt.irm = cs_vt.tabs_set = cs_vt.tabs_lost = false;
        cs_vt.origin = false;
        cs_vt.top = cs_vt.bot = 0;
        cs_vt.saved = cs_vt.saved_known = false;
        cs_vt.alt = cs_vt.alt_host = false; /* the main screen, cleared: nothing known of either */
        cs_rows_free(cs_other.rows, cs_other.h);
        memset(&cs_other, 0, sizeof cs_other);
        cs_dims_locked(t->cols, t->rows, &t->bw, &t->bh);
        cs_tx_lost(t);
        return true;
    case 'H': /* HTS: a tab stop at the cursor's column */
        if (t->follow)
            cs_tab_set(t->x, true);
        else
            cs_vt.tabs_lost = true;
        return true;
    default: /* keypad modes, ST, and the rest: no cell */
        return true;
    }
}

/* Whether control character b of the program's text is a character (its glyph), as the
 * console host shows it: every one without ENABLE_PROCESSED_OUTPUT; ESC and all but BEL, BS,
 * TAB, LF and CR without ENABLE_VIRTUAL_TERMINAL_PROCESSING. */
static bool cs_literal(const cs_tx *t, uint8_t b)
{
    if (t->lit_ctl)
        return true;
    return t->lit_esc && b != 0x07 && b != 0x08 && b != 0x09 && b != 0x0a && b != 0x0d;
}

/* Follows n bytes of output from p; false without memory. */
static bool cs_tx_run(cs_tx *t, const uint8_t *p, size_t n, uint64_t before)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        switch (cs_vt.state) {
        case CS_VT_ESC:
            if (b >= 0x20 && b <= 0x2f) {
                cs_vt.inter = (char)b;
                continue;
            }
            cs_vt.state = CS_VT_GROUND;
            if (b == 0x1b) {
                cs_vt.state = CS_VT_ESC, cs_vt.inter = 0;
            } else if (b == '[' && !cs_vt.inter) {
                cs_vt.state = CS_VT_CSI;
                cs_vt.mark = cs_vt.inter = 0;
                cs_vt.n = 0;
            } else if (!cs_vt.inter && (b == ']' || b == 'P' || b == '_' || b == '^' || b == 'X')) {
                cs_vt.state = CS_VT_STR;
            } else if (b >= 0x30 && b <= 0x7e) {
                if (!cs_tx_esc(t, b, before))
                    return false;
            } else if (b < 0x20 && !cs_tx_control_any(t, b)) {
                return false;
            }
            continue;
        case CS_VT_CSI:
            if (b >= '0' && b <= '9') {
                if (!cs_vt.n)
                    cs_vt.par[cs_vt.n++] = -1;
                int *v = &cs_vt.par[cs_vt.n - 1];
                *v = *v < 0 ? b - '0' : *v > 9999 ? *v : *v * 10 + (b - '0');
            } else if (b == ';' || b == ':') {
                if (!cs_vt.n)
                    cs_vt.par[cs_vt.n++] = -1;
                if (cs_vt.n < CS_VT_PARAMS)
                    cs_vt.par[cs_vt.n++] = -1;
            } else if (b >= 0x3c && b <= 0x3f) {
                if (!cs_vt.mark)
                    cs_vt.mark = (char)b;
            } else if (b >= 0x20 && b <= 0x2f) {
                cs_vt.inter = (char)b;
            } else if (b >= 0x40 && b <= 0x7e) {
                cs_vt.state = CS_VT_GROUND;
                if (!cs_tx_csi(t, b, before))
                    return false;
            } else if (b == 0x1b) {
                cs_vt.state = CS_VT_ESC, cs_vt.inter = 0;
            } else if (b == 0x18 || b == 0x1a) {
                cs_vt.state = CS_VT_GROUND; /* CAN, SUB: the sequence is dropped */
            } else if (b < 0x20 && !cs_tx_control_any(t, b)) {
                return false; /* a control character inside a sequence acts */
            }
            continue;
        case CS_VT_STR: /* OSC, DCS, APC, PM, SOS: to BEL or ST */
            if (b == 0x07 || b == 0x18 || b == 0x1a)
                cs_vt.state = CS_VT_GROUND;
            else if (b == 0x1b)
                cs_vt.state = CS_VT_STR_ESC;
            continue;
        case CS_VT_STR_ESC:
            if (b == '\\') {
                cs_vt.state = CS_VT_GROUND;
            } else {
                cs_vt.state = CS_VT_ESC, cs_vt.inter = 0;
                i--; /* ESC and something else: a new sequence */
            }
            continue;
        default:
            break;
        }
        if ((b < 0x20 || b == 0x7f) && cs_literal(t, b)) { /* a character, shown as its glyph */
            if (!t->follow) {
                t->dirty = true;
                continue;
            }
            if (cs_text.need) {
                cs_text.need = 0;
                if (!cs_tx_char(t, 0xfffd))
                    return false;
            }
            if (!cs_tx_char(t, b))
                return false;
            continue;
        }
        if (b == 0x1b) {
            cs_vt.state = CS_VT_ESC, cs_vt.inter = 0;
            cs_text.need = 0;
            continue;
        }
        if (!t->follow) {
            if (b != 0x07)
                t->dirty = true;
            continue;
        }
        if (cs_text.need) {
            if ((b & 0xc0) == 0x80) {
                cs_text.cp = cs_text.cp << 6 | (b & 0x3f);
                if (--cs_text.need == 0 && !(t->c1_drop && cs_text.cp >= 0x80 && cs_text.cp < 0xa0) &&
                    !cs_tx_char(t, cs_text.cp))
                    return false; /* a C1 control with VT processing: nothing (cs_out_filter) */
                continue;
            }
            cs_text.need = 0; /* a broken character: U+FFFD, and this byte anew */
            if (!cs_tx_char(t, 0xfffd))
                return false;
        }
        if (b >= 0x80) {
            int need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 ? 1 : 0;
            if (!need || b >= 0xf8) {
                if (!cs_tx_char(t, 0xfffd))
                    return false;
                continue;
            }
            cs_text.need = need;
            cs_text.cp = b & (0x3f >> need);
            continue;
        }
        if (b < 0x20 || b == 0x7f) {
            if (b != 0x7f && !cs_tx_control(t, b))
                return false;
            continue;
        }
        if (!cs_tx_char(t, b))
            return false;
    }
    return true;
}

/* The buffer calls' own drawing (cs_send): not followed, as it draws the copy and puts the
 * cursor and the colours back; the terminal's saved cursor (ESC 7 in it) is the cursor then. */
static void cs_own_hook(const void *buf, size_t n, uint64_t before)
{
    int16_t x, y;
    bool known = k32_con_cursor_at(before, &x, &y);
    pthread_mutex_lock(&cs_lock);
    cs_vt.state = CS_VT_GROUND;
    if (memmem(buf, n, "\x1b" "7", 2)) {
        cs_vt.saved = true;
        cs_vt.saved_known = known;
        cs_vt.saved_x = x, cs_vt.saved_y = y;
        cs_vt.saved_attr = k32_text_attr_get();
        cs_vt.saved_origin = cs_vt.origin;
    }
    pthread_mutex_unlock(&cs_lock);
}

/* ntemu's hook: n bytes (foreign memory) written to the terminal fd, the output count before
 * and after the write. */
static void cs_text_hook(int fd, const void *buf, size_t n, uint64_t before, uint64_t after)
{
    if (cs_own) {
        cs_own_hook(buf, n, before);
        return;
    }
    cs_tx t = {0};
    t.fd = fd;
    t.follow = k32_con_cursor_at(before, &t.x, &t.y);
    if (!k32_out_raw) {
        DWORD mode = k32_con_out_mode();
        t.lit_ctl = !(mode & K32_ENABLE_PROCESSED_OUTPUT);
        t.lit_esc = !(mode & K32_ENABLE_VIRTUAL_TERMINAL_PROCESSING);
        t.c1_drop = !t.lit_esc && !t.lit_ctl;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    int64_t ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
    uint8_t chunk[1024];
    pthread_mutex_lock(&cs_lock);
    if (!t.follow && cs_vt.state == CS_VT_GROUND && (t.lit_esc || t.lit_ctl)) {
        pthread_mutex_unlock(&cs_lock); /* text only, the cursor not known: nothing to follow */
        return;
    }
    if (!t.follow && cs_vt.state == CS_VT_GROUND) {
        /* the usual output with the cursor not known: only an escape sequence matters */
        bool esc = false;
        for (size_t done = 0; !esc && done < n;) {
            size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
            if (nt_copy_from_user(chunk, (const uint8_t *)buf + done, k) != 0)
                break;
            esc = memchr(chunk, 0x1b, k) != NULL;
            done += k;
        }
        if (!esc) {
            pthread_mutex_unlock(&cs_lock);
            return;
        }
    }
    if (cs_text.writes != before) { /* not the text followed last: no state carries over */
        cs_text.wrap = false;
        cs_text.need = 0;
    }
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
    t.cols = cs_text.cols, t.rows = cs_text.rows;
    cs_dims_locked(t.cols, t.rows, &t.bw, &t.bh);
    if (t.follow && (t.bw != t.cols || t.rows > t.bh || t.x >= t.bw ||
                     t.y >= t.rows))
        t.follow = false;
    if (t.follow && cs_rows &&
        (cs_rows_w != t.bw || cs_rows_h != t.bh || cs_rows_writes != before))
        cs_cells_clear(); /* stale already */
    bool ok = true;
    for (size_t done = 0; ok && done < n;) {
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        ok = nt_copy_from_user(chunk, (const uint8_t *)buf + done, k) == 0 &&
             cs_tx_run(&t, chunk, k, before);
        done += k;
    }
    if (!ok) /* out of memory, or the text unreadable: stale */
        t.follow = false;
    if (t.follow) {
        cs_text.writes = after;
        if (cs_rows)
            cs_rows_writes = after;
    } else if (!t.dirty && cs_rows && cs_rows_writes == before) {
        cs_rows_writes = after; /* no cell changed (sequences only, a screen switched) */
    }
    pthread_mutex_unlock(&cs_lock);
    if (t.follow)
        k32_con_cursor_moved(before, after, t.x, t.y, t.found);
}

/* ntemu's filter of the program's text to the terminal (NtWriteFile on a console output):
 * with ENABLE_PROCESSED_OUTPUT or ENABLE_VIRTUAL_TERMINAL_PROCESSING off, the control
 * characters the console host would not act on go to the terminal as their glyphs (UTF-8), so
 * that the terminal shows them instead of acting on them (an escape sequence shows as
 * "\u2190[31m", as in the console host), and so do the C1 control characters (U+0080-U+009F,
 * which a terminal may take as 8-bit controls: CSI, NEL, ...) as '?'. With VT processing on
 * (and processed output) a C1 control character is dropped, as the console host's VT parser
 * ignores one unless 8-bit controls were asked for (S8C1T, which it does not follow here): it
 * reaches neither the terminal nor the buffer. A C1 character split between two writes (its
 * lead byte 0xC2 the last of one) is the same: the lead byte is held back until the next write
 * of the program's text shows what it begins (conhost keeps a partial UTF-8 character between
 * writes too). The runtime's own sequences (k32_write_all) pass. */

/* Shows k bytes of the program's text as cs_out_filter does: the bytes shown into out (NULL:
 * only counted), their count returned; *c2: a 0xc2 byte held from before (a C1 character's
 * lead); *any: something changed. */
static size_t cs_filter_run(const cs_tx *t, const uint8_t *p, size_t k, bool *c2, char *out,
                            bool *any)
{
    size_t o = 0;
    for (size_t i = 0; i < k; i++) {
        uint8_t b = p[i];
        if (*c2) {
            *c2 = false;
            if (b >= 0x80 && b < 0xa0) { /* a C1 control character: '?', or nothing */
                if (!t->c1_drop) {
                    if (out)
                        out[o] = '?';
                    o++;
                }
                *any = true;
                continue;
            }
            if (out)
                out[o] = (char)0xc2;
            o++;
        }
        if (b == 0xc2) {
            *c2 = true;
            continue;
        }
        if (!((b < 0x20 || b == 0x7f) && cs_literal(t, b))) {
            if (out)
                out[o] = (char)b;
            o++;
            continue;
        }
        *any = true;
        uint32_t g = cs_glyph_of(b);
        char u[3] = {(char)g, 0, 0};
        int len = 1;
        if (g >= 0x800)
            u[0] = (char)(0xe0 | g >> 12), u[1] = (char)(0x80 | ((g >> 6) & 0x3f)),
            u[2] = (char)(0x80 | (g & 0x3f)), len = 3;
        else if (g >= 0x80)
            u[0] = (char)(0xc0 | g >> 6), u[1] = (char)(0x80 | (g & 0x3f)), len = 2;
        if (out)
            memcpy(out + o, u, (size_t)len);
        o += (size_t)len;
    }
    return o;
}

static char *cs_out_filter(int fd, const void *buf, size_t n, size_t *out_n)
{
    (void)fd;
    if (k32_out_raw)
        return NULL;
    cs_tx t = {0};
    DWORD mode = k32_con_out_mode();
    t.lit_ctl = !(mode & K32_ENABLE_PROCESSED_OUTPUT);
    t.lit_esc = !(mode & K32_ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    t.c1_drop = !t.lit_esc && !t.lit_ctl;
    uint8_t chunk[1024];
    pthread_mutex_lock(&cs_lock);
    bool held = cs_filter_c2;
    pthread_mutex_unlock(&cs_lock);
    if (t.c1_drop && !held) { /* the usual text with VT processing: a look for 0xC2 */
        bool lead = false;
        for (size_t done = 0; !lead && done < n;) {
            size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
            if (nt_copy_from_user(chunk, (const uint8_t *)buf + done, k) != 0)
                return NULL; /* NtWriteFile probed it: not reached */
            lead = memchr(chunk, 0xc2, k) != NULL;
            done += k;
        }
        if (!lead)
            return NULL;
    }
    size_t shown = 0;
    bool any = held, c2 = held;
    for (size_t done = 0; done < n;) { /* how long the text is shown */
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        if (nt_copy_from_user(chunk, (const uint8_t *)buf + done, k) != 0)
            return NULL;
        shown += cs_filter_run(&t, chunk, k, &c2, NULL, &any);
        done += k;
    }
    if (c2)
        any = true; /* a lead byte at the end: held back */
    if (!any)
        return NULL;
    char *out = malloc(shown ? shown : 1);
    if (!out)
        return NULL; /* shown as it is */
    size_t o = 0;
    c2 = held;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof chunk ? n - done : sizeof chunk;
        if (nt_copy_from_user(chunk, (const uint8_t *)buf + done, k) != 0) {
            free(out);
            return NULL;
        }
        o += cs_filter_run(&t, chunk, k, &c2, out + o, &any);
        done += k;
    }
    pthread_mutex_lock(&cs_lock);
    cs_filter_c2 = c2;
    pthread_mutex_unlock(&cs_lock);
    *out_n = o;
    return out;
}

static __attribute__((constructor)) void cs_text_register(void)
{
    nt_console_set_text_hook(cs_text_hook);
    nt_console_set_out_filter(cs_out_filter);
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
