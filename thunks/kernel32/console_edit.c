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
 * history. Other keys without a character are ignored; control characters are characters
 * (echoed ^X, as the runtime always did).
 *
 * Pop-ups (the console host's, while the read echoes; the caller draws them from
 * k32_edit_popup_cells over the window's centre and puts back what they covered): F2 asks for a
 * character and copies the current command from the cursor up to the first one after the
 * cursor, over the line (nothing when there is none); F4 asks for one and deletes from the
 * cursor up to the first one after it (to the line's end when there is none); Escape, or any
 * key without a character, closes either doing nothing. F7 lists the history ("N: command"),
 * the current command selected: Up/Down, Home/End and PgUp/PgDn move the selection, Shift+Up/
 * Down move the command itself, a character selects the next older command beginning with it,
 * Delete removes the selected command, Left/Right put it on the line, Enter puts it there and
 * enters the line (run), Escape closes, F9 asks for a number over it. F9 asks for a command
 * number (at most 5 digits, Backspace taking one back); Enter puts that command (the newest
 * when the number is past it) on the line, Escape closes every pop-up. F7 and F9 open only
 * when there is history.
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
#include <stdio.h>
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
#define ED_VK_F2 0x71
#define ED_VK_F3 0x72
#define ED_VK_F4 0x73
#define ED_VK_F5 0x74
#define ED_VK_F7 0x76
#define ED_VK_F8 0x77
#define ED_VK_F9 0x78
#define ED_SHIFT 0x0010 /* SHIFT_PRESSED */
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
    e->popup = K32_POPUP_NONE;
    e->popup_changed = e->run = false;
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

/* ---- pop-ups ---- */

static const char16_t ed_prompt_copy[] = u"Enter char to copy up to: ";
static const char16_t ed_prompt_delete[] = u"Enter char to delete up to: ";
static const char16_t ed_prompt_number[] = u"Enter command number: ";
#define ED_NUMBER_DIGITS 5

static void ed_popup_open(k32_edit *e, int kind)
{
    e->popup = kind;
    e->popup_changed = true;
}

static void ed_popup_close(k32_edit *e)
{
    e->popup = K32_POPUP_NONE;
    e->popup_changed = true;
}

/* The list's inner height: as many commands as there are, 10 to 20, within the window. */
static int ed_list_height(const k32_edit *e)
{
    int h = ed_hist.n < 10 ? 10 : ed_hist.n > 20 ? 20 : ed_hist.n;
    int room = (e->rows > 0 ? e->rows : 25) - 2;
    return h < room ? h : room > 1 ? room : 1;
}

/* The last command in view with `cur` selected, as the list is first shown. */
static void ed_list_bottom(k32_edit *e)
{
    int h = ed_list_height(e), n = ed_hist.n;
    e->list_bottom = e->list_cur < n - h ? (e->list_cur > h - 1 ? e->list_cur : h - 1) : n - 1;
}

/* Selects command `to` (clamped), scrolling the view as little as it must. */
static void ed_list_select(k32_edit *e, int to)
{
    int n = ed_hist.n, h = ed_list_height(e);
    to = to < 0 ? 0 : to >= n ? n - 1 : to;
    if (to > e->list_bottom)
        e->list_bottom = to;
    else if (to <= e->list_bottom - h)
        e->list_bottom = to + h - 1 < n ? to + h - 1 : n - 1;
    e->list_cur = to;
    e->popup_changed = true;
}

static void ed_hist_swap(int a, int b)
{
    WCHAR *c = ed_hist.cmd[a];
    size_t l = ed_hist.len[a];
    ed_hist.cmd[a] = ed_hist.cmd[b], ed_hist.len[a] = ed_hist.len[b];
    ed_hist.cmd[b] = c, ed_hist.len[b] = l;
}

static void ed_hist_remove(int i)
{
    free(ed_hist.cmd[i]);
    memmove(ed_hist.cmd + i, ed_hist.cmd + i + 1, (size_t)(ed_hist.n - i - 1) * sizeof ed_hist.cmd[0]);
    memmove(ed_hist.len + i, ed_hist.len + i + 1, (size_t)(ed_hist.n - i - 1) * sizeof ed_hist.len[0]);
    ed_hist.n--;
    if (ed_hist.displayed >= ed_hist.n)
        ed_hist.displayed = ed_hist.n - 1;
}

/* A command chosen in F7's list or by F9's number, on the line: the history goes on from it
 * (Up gives the one before it, as after the console host's RetrieveNth). */
static void ed_recall_chosen(k32_edit *e, int i)
{
    ed_recall(e, i);
    ed_hist.reset = false;
}

/* F2 with character c: the current command from the cursor up to the first c after the cursor,
 * written over the line. */
static void ed_copy_to(k32_edit *e, WCHAR c)
{
    const WCHAR *last;
    size_t n;
    if (!ed_current(&last, &n) || e->pos >= n)
        return;
    size_t i = e->pos + 1;
    while (i < n && last[i] != c)
        i++;
    if (i == n)
        return;
    size_t count = i - e->pos, over = e->len - e->pos < count ? e->len - e->pos : count;
    ed_replace(e, e->pos, over, last + e->pos, count, e->pos + count, true);
}

/* F4 with character c: deletes from the cursor up to the first c after it (all when none). */
static void ed_delete_to(k32_edit *e, WCHAR c)
{
    if (e->pos >= e->len)
        return;
    size_t i = e->pos + 1;
    while (i < e->len && e->buf[i] != c)
        i++;
    ed_replace(e, e->pos, i - e->pos, NULL, 0, e->pos, true);
}

/* F7's list: a character selects the next older command that begins with it (wrapping). */
static void ed_list_char(k32_edit *e, WCHAR c)
{
    int n = ed_hist.n, d = e->list_cur;
    for (int k = 0; k < n; k++) {
        d = d <= 0 ? n - 1 : d - 1;
        if (ed_hist.len[d] && ed_hist.cmd[d][0] == c) {
            ed_list_select(e, d);
            return;
        }
    }
}

static void ed_list_key(k32_edit *e, WORD vk, WCHAR c, DWORD state)
{
    int n = ed_hist.n, h = ed_list_height(e), cur = e->list_cur;
    bool shift = (state & ED_SHIFT) != 0;
    if (c == '\r') {
        ed_popup_close(e);
        ed_recall_chosen(e, cur);
        e->run = true;
        return;
    }
    if (c == 0x1b && vk == ED_VK_ESCAPE) {
        ed_popup_close(e);
        return;
    }
    if (c) {
        ed_list_char(e, c);
        return;
    }
    switch (vk) {
    case ED_VK_UP:
    case ED_VK_DOWN: {
        int to = vk == ED_VK_UP ? cur - 1 : cur + 1;
        if (shift && to >= 0 && to < n)
            ed_hist_swap(cur, to);
        if (!shift || (to >= 0 && to < n))
            ed_list_select(e, to);
        break;
    }
    case ED_VK_HOME:
        ed_list_select(e, 0);
        break;
    case ED_VK_END:
        ed_list_select(e, n - 1);
        break;
    case ED_VK_PRIOR:
        ed_list_select(e, cur - h);
        break;
    case ED_VK_NEXT:
        ed_list_select(e, cur + h);
        break;
    case ED_VK_DELETE:
        ed_hist_remove(cur);
        if (!ed_hist.n) {
            ed_popup_close(e);
            break;
        }
        if (e->list_cur >= ed_hist.n)
            e->list_cur = ed_hist.n - 1;
        ed_list_bottom(e);
        e->popup_changed = true;
        break;
    case ED_VK_LEFT:
    case ED_VK_RIGHT:
        ed_popup_close(e);
        ed_recall_chosen(e, cur);
        break;
    case ED_VK_F9:
        e->num_len = 0;
        ed_popup_open(e, K32_POPUP_NUMBER);
        break;
    default:
        break;
    }
}

static void ed_number_key(k32_edit *e, WORD vk, WCHAR c)
{
    if (c >= '0' && c <= '9') {
        if (e->num_len < ED_NUMBER_DIGITS) {
            e->num[e->num_len++] = c;
            e->popup_changed = true;
        }
    } else if (c == 0x08) {
        if (e->num_len) {
            e->num_len--;
            e->popup_changed = true;
        }
    } else if (c == 0x1b && vk == ED_VK_ESCAPE) {
        ed_popup_close(e); /* every pop-up: the list under it too */
    } else if (c == '\r') {
        long v = 0;
        for (int i = 0; i < e->num_len; i++)
            v = v * 10 + (e->num[i] - '0');
        ed_popup_close(e);
        if (ed_hist.n)
            ed_recall_chosen(e, v < ed_hist.n ? (int)v : ed_hist.n - 1);
    }
}

/* A key while a pop-up is open. */
static void ed_popup_key(k32_edit *e, WORD vk, WCHAR c, DWORD state)
{
    switch (e->popup) {
    case K32_POPUP_COPY_TO:
    case K32_POPUP_DELETE_TO:
        if (!c && (vk == 0x10 || vk == 0x11 || vk == 0x12 || vk == 0x14))
            return; /* Shift, Ctrl, Alt, Caps Lock alone: still waiting */
        {
            int kind = e->popup;
            ed_popup_close(e);
            if (!c || (c == 0x1b && vk == ED_VK_ESCAPE))
                return;
            if (kind == K32_POPUP_COPY_TO)
                ed_copy_to(e, c);
            else
                ed_delete_to(e, c);
        }
        return;
    case K32_POPUP_LIST:
        ed_list_key(e, vk, c, state);
        return;
    case K32_POPUP_NUMBER:
        ed_number_key(e, vk, c);
        return;
    default:
        return;
    }
}

/* Puts the UTF-16 text s (up to `max` cells) at cells[at...]. */
static int ed_put(WCHAR *ch, WORD *attr, int at, const char16_t *s, size_t n, int max, WORD a)
{
    int cells = 0;
    for (size_t i = 0; i < n && cells < max; i++) {
        int k = ed_cp_cells(s[i]);
        if (k < 1)
            continue; /* a combining mark: no cell of its own */
        if (cells + k > max)
            break;
        ch[at + cells] = s[i] < 0x20 ? u' ' : s[i];
        attr[at + cells] = a;
        if (k == 2) {
            ch[at + cells + 1] = s[i];
            attr[at + cells + 1] = a;
        }
        cells += k;
    }
    return cells;
}

void k32_edit_popup_cells(const k32_edit *e, int cols, int rows, int *x, int *y, int *w, int *h,
                          WCHAR *ch, WORD *attr)
{
    int iw = 0, ih = 1;
    *x = *y = *w = *h = 0;
    switch (e->popup) {
    case K32_POPUP_COPY_TO:
        iw = (int)(sizeof ed_prompt_copy / 2 - 1);
        break;
    case K32_POPUP_DELETE_TO:
        iw = (int)(sizeof ed_prompt_delete / 2 - 1);
        break;
    case K32_POPUP_NUMBER:
        iw = (int)(sizeof ed_prompt_number / 2 - 1) + ED_NUMBER_DIGITS;
        break;
    case K32_POPUP_LIST:
        iw = 40;
        for (int i = 0; i < ed_hist.n; i++)
            if ((int)ed_cells(ed_hist.cmd[i], 0, ed_hist.len[i]) + 4 > iw)
                iw = (int)ed_cells(ed_hist.cmd[i], 0, ed_hist.len[i]) + 4;
        ih = ed_list_height(e);
        break;
    default:
        return;
    }
    int bw = iw + 2 < cols ? iw + 2 : cols, bh = ih + 2 < rows ? ih + 2 : rows;
    if (bw < 3 || bh < 3)
        return;
    *w = bw, *h = bh;
    *x = (cols - bw) / 2, *y = (rows - bh) / 2;
    if (!ch || !attr)
        return;
    WORD a = K32_POPUP_ATTR, inv = (WORD)(((a & 0x0f) << 4) | ((a >> 4) & 0x0f));
    iw = bw - 2, ih = bh - 2;
    for (int r = 0; r < bh; r++) {
        for (int c = 0; c < bw; c++) {
            bool top = r == 0, bottom = r == bh - 1, left = c == 0, right = c == bw - 1;
            WCHAR v = u' ';
            if ((top || bottom) && (left || right))
                v = top ? (left ? 0x250c : 0x2510) : (left ? 0x2514 : 0x2518);
            else if (top || bottom)
                v = 0x2500;
            else if (left || right)
                v = 0x2502;
            ch[r * bw + c] = v;
            attr[r * bw + c] = a;
        }
    }
    int in = bw + 1; /* the first inner cell */
    if (e->popup == K32_POPUP_LIST) {
        int first = e->list_bottom - ih + 1 > 0 ? e->list_bottom - ih + 1 : 0;
        for (int i = first, r = 0; i <= e->list_bottom && i < ed_hist.n && r < ih; i++, r++) {
            char num[16];
            char16_t wnum[16];
            int k = snprintf(num, sizeof num, "%d: ", i);
            for (int j = 0; j < k; j++)
                wnum[j] = (char16_t)num[j];
            int at = in + r * bw;
            int used = ed_put(ch, attr, at, wnum, (size_t)k, iw, a);
            ed_put(ch, attr, at + used, ed_hist.cmd[i], ed_hist.len[i], iw - used, a);
            if (i == e->list_cur)
                for (int j = 0; j < iw; j++)
                    attr[at + j] = inv;
        }
        return;
    }
    const char16_t *p = e->popup == K32_POPUP_COPY_TO     ? ed_prompt_copy
                        : e->popup == K32_POPUP_DELETE_TO ? ed_prompt_delete
                                                          : ed_prompt_number;
    size_t pn = e->popup == K32_POPUP_COPY_TO     ? sizeof ed_prompt_copy / 2 - 1
                : e->popup == K32_POPUP_DELETE_TO ? sizeof ed_prompt_delete / 2 - 1
                                                  : sizeof ed_prompt_number / 2 - 1;
    int used = ed_put(ch, attr, in, p, pn, iw, a);
    if (e->popup == K32_POPUP_NUMBER)
        ed_put(ch, attr, in + used, e->num, (size_t)e->num_len, iw - used, a);
}

void k32_edit_key(k32_edit *e, WORD vk, WCHAR c, DWORD state, bool show)
{
    const WCHAR *last;
    size_t last_len;
    bool ctrl = (state & ED_CTRL) && !(state & ED_ALT);
    if (e->popup) {
        ed_popup_key(e, vk, c, state);
        return;
    }
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
    case ED_VK_F2:
        if (e->echo)
            ed_popup_open(e, K32_POPUP_COPY_TO);
        break;
    case ED_VK_F4:
        if (e->echo)
            ed_popup_open(e, K32_POPUP_DELETE_TO);
        break;
    case ED_VK_F7: /* Alt+F7 empties the history; F7 alone lists it */
        if (state & ED_ALT) {
            k32_edit_history_clear();
        } else if (e->echo && ed_hist.n) {
            e->list_cur = ed_hist.displayed >= 0 && ed_hist.displayed < ed_hist.n
                              ? ed_hist.displayed
                              : ed_hist.n - 1;
            ed_list_bottom(e);
            ed_popup_open(e, K32_POPUP_LIST);
        }
        break;
    case ED_VK_F9:
        if (e->echo && ed_hist.n) {
            e->num_len = 0;
            ed_popup_open(e, K32_POPUP_NUMBER);
        }
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
