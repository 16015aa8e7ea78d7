/* SPDX-License-Identifier: MIT */
/* The line editor of a cooked read (ReadConsole with ENABLE_LINE_INPUT), as Windows' console
 * host edits one, and the process's command history. console_input.c feeds it the key presses
 * of the input buffer and writes what it echoes to the terminal; this file only keeps the line,
 * the cursor in it and the history, and says what the terminal must be sent (k32_edit.out).
 *
 * Keys (the console host's defaults, no extended edit keys): a character is inserted at the
 * cursor (ENABLE_INSERT_MODE, the default) or overwrites the one under it; Backspace erases
 * the character before the cursor, Delete the one under it; Escape erases the line; Left and
 * Right move by a character, with Ctrl by a word; Right at the end of the line copies the
 * history's current command's character at that place (as F1 does); Home and End go to the
 * ends, with Ctrl they erase up to there; Insert toggles insert/overwrite for the read; F3
 * copies the rest of the current command from the cursor on; Up and Down (and F5) walk the
 * history, PgUp and PgDn go to its oldest and newest command; F8 recalls the next older
 * command that begins with the text before the cursor, the cursor staying; Alt+F7 empties the
 * history. Other keys without a character (F2, F4, F7 and F9, whose pop-ups are not done) are
 * ignored; control characters are characters (echoed ^X, as the runtime always did).
 *
 * The history is the console host's model: at most K32_EDIT_HISTORY commands, an empty line
 * or a repeat of the last one not added, lines added only when the read echoes (a password
 * read with echo off leaves none); Up first gives the command last shown (after Enter: the one
 * just entered, or the recalled one when it was entered unchanged), then older ones, and
 * wraps around at either end. One history per process (the console host keeps one per
 * program attached to the console).
 *
 * Echo: the editor assumes the terminal's cursor is where the line's cursor is (it wrote the
 * line itself) and moves it with BS (left) and by rewriting the characters (right); an edit
 * rewrites the line from the first changed character and blanks what is left of the old text.
 * Control characters take two cells (^X), characters of the East Asian wide ranges and emoji
 * two, combining marks none (the widths of the screen's copy, k32_char_cells), a tab one (the
 * terminal's tab stops are not known). A line longer
 * than the terminal is wide is not followed across the wrap (BS does not go up a row). */
#include <stdlib.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define ED_VK_BACK 0x08
#define ED_VK_ESCAPE 0x1b
#define ED_VK_PRIOR 0x21
#define ED_VK_NEXT 0x22
#define ED_VK_END 0x23
#define ED_VK_HOME 0x24
#define ED_VK_LEFT 0x25
#define ED_VK_UP 0x26
#define ED_VK_RIGHT 0x27
#define ED_VK_DOWN 0x28
#define ED_VK_INSERT 0x2d
#define ED_VK_DELETE 0x2e
#define ED_VK_F1 0x70
#define ED_VK_F3 0x72
#define ED_VK_F5 0x74
#define ED_VK_F7 0x76
#define ED_VK_F8 0x77
#define ED_CTRL 0x000c /* RIGHT_CTRL_PRESSED | LEFT_CTRL_PRESSED */
#define ED_ALT 0x0003  /* RIGHT_ALT_PRESSED | LEFT_ALT_PRESSED */

/* ---- the history (under the input buffer's lock) ---- */

static struct {
    WCHAR *cmd[K32_EDIT_HISTORY];
    size_t len[K32_EDIT_HISTORY];
    int n;         /* commands, oldest first */
    int displayed; /* the command last shown (or added), -1 none */
    bool reset;    /* the next Up shows `displayed` itself */
} ed_hist = {.displayed = -1, .reset = true};

static void ed_hist_add(const WCHAR *w, size_t n)
{
    if (!n || (ed_hist.n && ed_hist.len[ed_hist.n - 1] == n &&
               !memcmp(ed_hist.cmd[ed_hist.n - 1], w, n * sizeof *w))) {
        ed_hist.reset = true;
        return;
    }
    WCHAR *copy = malloc(n * sizeof *w);
    if (!copy)
        return;
    memcpy(copy, w, n * sizeof *w);
    if (ed_hist.n == K32_EDIT_HISTORY) { /* the oldest goes */
        free(ed_hist.cmd[0]);
        memmove(ed_hist.cmd, ed_hist.cmd + 1, (K32_EDIT_HISTORY - 1) * sizeof ed_hist.cmd[0]);
        memmove(ed_hist.len, ed_hist.len + 1, (K32_EDIT_HISTORY - 1) * sizeof ed_hist.len[0]);
        ed_hist.n--;
        ed_hist.displayed--;
    }
    ed_hist.cmd[ed_hist.n] = copy;
    ed_hist.len[ed_hist.n] = n;
    ed_hist.n++;
    /* a command recalled and entered unchanged keeps its place: Up shows it again */
    int d = ed_hist.displayed;
    if (d < 0 || ed_hist.len[d] != n || memcmp(ed_hist.cmd[d], w, n * sizeof *w))
        ed_hist.displayed = ed_hist.n - 1;
    ed_hist.reset = true;
}

void k32_edit_history_clear(void)
{
    for (int i = 0; i < ed_hist.n; i++)
        free(ed_hist.cmd[i]);
    ed_hist.n = 0;
    ed_hist.displayed = -1;
    ed_hist.reset = true;
}

/* ---- cells and echo ---- */

/* The terminal cells a code point takes (the screen's widths, k32_char_cells); control
 * characters are echoed as ^X. */
static int ed_cp_cells(uint32_t cp)
{
    if (cp < 0x20)
        return cp == '\t' ? 1 : 2; /* ^X */
    return k32_char_cells(cp);
}

static bool ed_high(WCHAR c) { return c >= 0xd800 && c < 0xdc00; }
static bool ed_low(WCHAR c) { return c >= 0xdc00 && c < 0xe000; }

/* The code point at w[i] (a pair read whole) and its units in *units. */
static uint32_t ed_cp_at(const WCHAR *w, size_t n, size_t i, size_t *units)
{
    *units = 1;
    if (ed_high(w[i]) && i + 1 < n && ed_low(w[i + 1])) {
        *units = 2;
        return 0x10000 + (((uint32_t)w[i] - 0xd800) << 10) + (w[i + 1] - 0xdc00);
    }
    return w[i];
}

static size_t ed_cells(const WCHAR *w, size_t from, size_t to)
{
    size_t cells = 0, units;
    for (size_t i = from; i < to; i += units)
        cells += (size_t)ed_cp_cells(ed_cp_at(w, to, i, &units));
    return cells;
}

static void ed_out(k32_edit *e, const char *s, size_t n)
{
    if (!e->echo || !n)
        return;
    if (e->out_len + n > e->out_cap) {
        size_t cap = e->out_cap ? e->out_cap : 256;
        while (cap < e->out_len + n)
            cap *= 2;
        char *o = realloc(e->out, cap);
        if (!o)
            return; /* the echo is lost, the line is not */
        e->out = o, e->out_cap = cap;
    }
    memcpy(e->out + e->out_len, s, n);
    e->out_len += n;
}

static void ed_repeat(k32_edit *e, char c, size_t n)
{
    char buf[64];
    memset(buf, c, sizeof buf);
    while (n) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        ed_out(e, buf, k);
        n -= k;
    }
}

/* Echoes w[from, to) as the terminal shows it: UTF-8, control characters as ^X. */
static void ed_show(k32_edit *e, size_t from, size_t to)
{
    size_t units;
    for (size_t i = from; i < to; i += units) {
        uint32_t cp = ed_cp_at(e->buf, to, i, &units);
        char o[4];
        size_t k;
        if (cp < 0x20 && cp != '\t') {
            o[0] = '^', o[1] = (char)('@' + cp), k = 2;
        } else if (cp < 0x80) {
            o[0] = (char)cp, k = 1;
        } else if (cp < 0x800) {
            o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3f)), k = 2;
        } else if (cp < 0x10000) {
            if (cp >= 0xd800 && cp < 0xe000)
                cp = 0xfffd; /* a lone surrogate */
            o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
            o[2] = (char)(0x80 | (cp & 0x3f)), k = 3;
        } else {
            o[0] = (char)(0xf0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
            o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), o[3] = (char)(0x80 | (cp & 0x3f)), k = 4;
        }
        ed_out(e, o, k);
    }
}

/* ---- editing ---- */

static bool ed_room(k32_edit *e, size_t n)
{
    if (e->len + n <= e->cap)
        return true;
    size_t cap = e->cap ? e->cap : 256;
    while (cap < e->len + n)
        cap *= 2;
    WCHAR *b = realloc(e->buf, cap * sizeof *b);
    if (!b)
        return false;
    e->buf = b, e->cap = cap;
    return true;
}

/* Replaces buf[start, start + del) with ins[0, nins) and puts the cursor at newpos, redrawing
 * what changed: the cursor goes back to `start`, the new text from there is written, what the
 * old text took beyond it blanked, and the cursor goes back to newpos. `show`: the terminal is
 * told (false: it echoed the characters itself). */
static void ed_replace(k32_edit *e, size_t start, size_t del, const WCHAR *ins, size_t nins,
                       size_t newpos, bool show)
{
    if (!ed_room(e, nins))
        return;
    bool echo = e->echo;
    e->echo = echo && show;
    size_t old_cells = ed_cells(e->buf, start, e->len);
    size_t back = ed_cells(e->buf, start, e->pos > start ? e->pos : start);
    if (e->pos < start) /* the cursor is before the change: walk to it over the text */
        ed_show(e, e->pos, start);
    ed_repeat(e, '\b', back);
    memmove(e->buf + start + nins, e->buf + start + del, (e->len - start - del) * sizeof *e->buf);
    if (nins)
        memcpy(e->buf + start, ins, nins * sizeof *ins);
    e->len = e->len - del + nins;
    e->pos = newpos;
    size_t new_cells = ed_cells(e->buf, start, e->len);
    ed_show(e, start, e->len);
    size_t blank = old_cells > new_cells ? old_cells - new_cells : 0;
    ed_repeat(e, ' ', blank);
    ed_repeat(e, '\b', blank + ed_cells(e->buf, newpos, e->len));
    e->echo = echo;
}

static void ed_move(k32_edit *e, size_t to)
{
    if (to < e->pos)
        ed_repeat(e, '\b', ed_cells(e->buf, to, e->pos));
    else
        ed_show(e, e->pos, to);
    e->pos = to;
}

/* The units of the character before / at i. */
static size_t ed_prev(const k32_edit *e, size_t i)
{
    return i >= 2 && ed_low(e->buf[i - 1]) && ed_high(e->buf[i - 2]) ? 2 : i ? 1 : 0;
}
static size_t ed_next(const k32_edit *e, size_t i)
{
    size_t units = 0;
    if (i < e->len)
        ed_cp_at(e->buf, e->len, i, &units);
    return units;
}

static bool ed_space(WCHAR c) { return c == ' '; }

/* The start of the word before / after the cursor (the console host's Ctrl+Left/Right). */
static size_t ed_word_left(const k32_edit *e)
{
    size_t i = e->pos;
    while (i && ed_space(e->buf[i - 1]))
        i--;
    while (i && !ed_space(e->buf[i - 1]))
        i--;
    return i;
}
static size_t ed_word_right(const k32_edit *e)
{
    size_t i = e->pos;
    while (i < e->len && !ed_space(e->buf[i]))
        i++;
    while (i < e->len && ed_space(e->buf[i]))
        i++;
    return i;
}

/* The history's current command (the one Up showed last, or the last entered). */
static bool ed_current(const WCHAR **w, size_t *n)
{
    if (!ed_hist.n)
        return false;
    int d = ed_hist.displayed >= 0 ? ed_hist.displayed : ed_hist.n - 1;
    *w = ed_hist.cmd[d];
    *n = ed_hist.len[d];
    return true;
}

/* Shows history command i in place of the line. */
static void ed_recall(k32_edit *e, int i)
{
    ed_hist.displayed = i;
    ed_replace(e, 0, e->len, ed_hist.cmd[i], ed_hist.len[i], ed_hist.len[i], true);
}

static void ed_history_key(k32_edit *e, WORD vk)
{
    int n = ed_hist.n, d = ed_hist.displayed;
    if (!n)
        return;
    if (vk == ED_VK_PRIOR) {
        d = 0;
    } else if (vk == ED_VK_NEXT) {
        d = n - 1;
    } else if (vk == ED_VK_UP || vk == ED_VK_F5) {
        if (d < 0)
            d = n - 1;
        else if (!ed_hist.reset)
            d = d > 0 ? d - 1 : n - 1;
    } else { /* Down: from the command shown, whether or not Up would show it again */
        d = d < 0 ? 0 : d + 1 < n ? d + 1 : 0;
    }
    if (vk != ED_VK_DOWN)
        ed_hist.reset = false;
    ed_recall(e, d);
}

/* F8: the history's next older command (from the one shown, or the one last entered) that
 * begins with the line's text before the cursor, in place of the line, the cursor where it was
 * (the console host's FindMatchingCommand: case-sensitive, wrapping around, an empty prefix
 * matching any command). */
static void ed_history_search(k32_edit *e)
{
    int n = ed_hist.n, d = ed_hist.displayed;
    if (!n)
        return;
    if (ed_hist.reset)
        ed_hist.reset = false;
    else
        d = d <= 0 ? n - 1 : d - 1;
    if (d < 0)
        d = n - 1;
    for (int i = 0; i < n; i++) {
        if (ed_hist.len[d] >= e->pos && !memcmp(ed_hist.cmd[d], e->buf, e->pos * sizeof *e->buf)) {
            size_t pos = e->pos;
            ed_hist.displayed = d;
            ed_replace(e, 0, e->len, ed_hist.cmd[d], ed_hist.len[d], pos, true);
            return;
        }
        d = d <= 0 ? n - 1 : d - 1;
    }
}

void k32_edit_start(k32_edit *e, bool echo, bool insert)
{
    e->len = e->pos = 0;
    e->high = 0;
    e->out_len = 0;
    e->echo = echo;
    e->insert = insert;
}

/* The line starts with w[0, n) (CONSOLE_READCONSOLE_CONTROL's initial characters, which the
 * program has shown): not echoed, the cursor after them, editable like the rest. */
void k32_edit_seed(k32_edit *e, const WCHAR *w, size_t n)
{
    if (!n || !ed_room(e, n))
        return;
    memcpy(e->buf, w, n * sizeof *w);
    e->len = e->pos = n;
}

/* A character typed: inserted (or overwriting) at the cursor. A pair's high half waits for
 * its low half, so that the two go in together. */
static void ed_char(k32_edit *e, WCHAR c, bool show)
{
    WCHAR w[2] = {c, 0};
    size_t n = 1;
    if (ed_high(c)) {
        e->high = c;
        return;
    }
    if (ed_low(c) && e->high) {
        w[0] = e->high, w[1] = c, n = 2;
    }
    e->high = 0;
    size_t over = e->insert ? 0 : ed_next(e, e->pos);
    ed_replace(e, e->pos, over, w, n, e->pos + n, show);
}

void k32_edit_key(k32_edit *e, WORD vk, WCHAR c, DWORD state, bool show)
{
    const WCHAR *last;
    size_t last_len;
    bool ctrl = (state & ED_CTRL) && !(state & ED_ALT);
    if (c == 0x08 && vk == ED_VK_BACK) {
        size_t k = ed_prev(e, e->pos);
        if (k)
            ed_replace(e, e->pos - k, k, NULL, 0, e->pos - k, show);
        return;
    }
    if (c == 0x1b && vk == ED_VK_ESCAPE && !(state & (ED_CTRL | ED_ALT))) {
        ed_replace(e, 0, e->len, NULL, 0, 0, show);
        return;
    }
    if (c) {
        ed_char(e, c, show);
        return;
    }
    if (!show)
        return; /* a key the terminal echoed as text (typed ahead): its edit is not shown */
    switch (vk) {
    case ED_VK_LEFT:
        ed_move(e, ctrl ? ed_word_left(e) : e->pos - ed_prev(e, e->pos));
        break;
    case ED_VK_RIGHT:
        if (ctrl) {
            ed_move(e, ed_word_right(e));
        } else if (e->pos < e->len) {
            ed_move(e, e->pos + ed_next(e, e->pos));
        } else if (ed_current(&last, &last_len) && last_len > e->len) {
            ed_replace(e, e->len, 0, last + e->len, 1, e->len + 1, true); /* as F1 */
        }
        break;
    case ED_VK_HOME:
        if (ctrl)
            ed_replace(e, 0, e->pos, NULL, 0, 0, true);
        else
            ed_move(e, 0);
        break;
    case ED_VK_END:
        if (ctrl)
            ed_replace(e, e->pos, e->len - e->pos, NULL, 0, e->pos, true);
        else
            ed_move(e, e->len);
        break;
    case ED_VK_DELETE:
        if (e->pos < e->len)
            ed_replace(e, e->pos, ed_next(e, e->pos), NULL, 0, e->pos, true);
        break;
    case ED_VK_INSERT:
        e->insert = !e->insert;
        break;
    case ED_VK_F1:
        if (ed_current(&last, &last_len) && last_len > e->pos)
            ed_replace(e, e->pos, e->pos < e->len ? ed_next(e, e->pos) : 0, last + e->pos, 1,
                       e->pos + 1, true);
        break;
    case ED_VK_F3:
        if (ed_current(&last, &last_len) && last_len > e->pos) {
            size_t end = e->len < last_len ? e->len : last_len;
            ed_replace(e, e->pos, end - e->pos, last + e->pos, last_len - e->pos, last_len, true);
        }
        break;
    case ED_VK_F7: /* Alt+F7 empties the history; F7 alone is the command list (not done) */
        if (state & ED_ALT)
            k32_edit_history_clear();
        break;
    case ED_VK_F8:
        ed_history_search(e);
        break;
    case ED_VK_UP:
    case ED_VK_DOWN:
    case ED_VK_F5:
    case ED_VK_PRIOR:
    case ED_VK_NEXT:
        ed_history_key(e, vk);
        break;
    default:
        break; /* F-keys without an editing meaning, Shift alone...: nothing */
    }
}

/* The line ends. Entered (Enter, not a wake-up character): the cursor goes to the end of the
 * line, where the line end is echoed, and the line joins the history when the read echoes,
 * as the console host adds one. */
void k32_edit_finish(k32_edit *e, bool entered)
{
    if (!entered)
        return;
    ed_move(e, e->len);
    if (e->echo)
        ed_hist_add(e->buf, e->len);
}

void k32_edit_echo(k32_edit *e, const char *s, size_t n) { ed_out(e, s, n); }
