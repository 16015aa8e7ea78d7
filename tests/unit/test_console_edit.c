/* The line editor of a cooked read and the command history (thunks/kernel32/console_edit.c),
 * fed key presses directly: the line and cursor after insertions in the middle, Left/Right
 * (by character, by word with Ctrl, over a surrogate pair), Home/End, Delete, Backspace in the
 * middle, Escape, overwrite mode and the Insert key, Ctrl+End/Ctrl+Home, and the exact bytes
 * echoed for each edit (BS to go left, the rest of the line rewritten, the old text's cells
 * blanked, ^X for control characters, two cells for a wide character); the history as the
 * console host keeps it: Up from the newest, older, wrap-around, Down, PgUp/PgDn, no empty
 * line, no repeat of the last, a recalled command entered unchanged keeps its place, nothing
 * added without echo, at most 50 commands; F1, F3 and Right at the end copying from the
 * current command; initial characters (CONSOLE_READCONSOLE_CONTROL) seeded without echo and
 * taken back by Backspace; F8's search of the history by the text before the cursor, Alt+F7
 * emptying the history; the pop-ups: F2 copying the current command up to a character over the
 * line, F4 deleting up to one (to the end when it is not there), Escape and other keys closing
 * them, F7's list (selection, Home/End, PgUp/PgDn, a character choosing the next older command
 * that begins with it, Shift+Up moving a command, Delete removing one, Right putting it on the
 * line, Enter entering it, F9 over the list), F9's number (digits, Backspace, a number past the
 * newest), keys ignored by a pop-up, and the pop-up's cells (border, prompt, selection
 * inverted, centred in the window). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "thunks/kernel32/kernel32_private.h"

#define BACK 0x08, 0x08
#define ESC 0x1b, 0x1b
#define LEFT 0x25, 0
#define RIGHT 0x27, 0
#define UP 0x26, 0
#define DOWN 0x28, 0
#define HOME 0x24, 0
#define END 0x23, 0
#define DEL 0x2e, 0
#define INS 0x2d, 0
#define PGUP 0x21, 0
#define PGDN 0x22, 0
#define F1 0x70, 0
#define F3 0x72, 0
#define F7 0x76, 0
#define F8 0x77, 0
#define F2 0x71, 0
#define F4 0x73, 0
#define F9 0x78, 0
#define ENTER 0x0d, '\r'
#define CTRL 0x0008

static k32_edit ed;

static void start(bool echo)
{
    k32_edit_start(&ed, echo, true);
}

/* types the ASCII text s */
static void type(const char *s)
{
    for (; *s; s++)
        k32_edit_key(&ed, 0, (WCHAR)(uint8_t)*s, 0, true);
}

static void key(WORD vk, WCHAR c) { k32_edit_key(&ed, vk, c, 0, true); }

/* the line as ASCII */
static const char *line(void)
{
    static char buf[256];
    size_t i;
    for (i = 0; i < ed.len && i < sizeof buf - 1; i++)
        buf[i] = ed.buf[i] < 0x80 ? (char)ed.buf[i] : '?';
    buf[i] = 0;
    return buf;
}

/* what was echoed since the last call, BS as '<' */
static const char *echoed(void)
{
    static char buf[1024];
    size_t i;
    for (i = 0; i < ed.out_len && i < sizeof buf - 1; i++)
        buf[i] = ed.out[i] == '\b' ? '<' : ed.out[i];
    buf[i] = 0;
    ed.out_len = 0;
    return buf;
}

/* enters the line typed */
static void enter(const char *s)
{
    start(true);
    type(s);
    k32_edit_finish(&ed, true);
    ed.out_len = 0;
}

static void fresh(void) { k32_edit_history_clear(); }

TestSuite(console_edit, .init = fresh);

Test(console_edit, insert_in_middle_redraws_the_rest)
{
    start(true);
    type("helo");
    cr_assert_str_eq(echoed(), "helo");
    key(LEFT);
    cr_assert_str_eq(echoed(), "<");
    type("l");
    cr_assert_str_eq(line(), "hello");
    cr_assert_eq(ed.pos, 4, "pos %zu", ed.pos);
    cr_assert_str_eq(echoed(), "lo<");
}

Test(console_edit, home_end_delete_backspace_in_middle)
{
    start(true);
    type("abcdef");
    (void)echoed();
    key(HOME);
    cr_assert_str_eq(echoed(), "<<<<<<");
    key(DEL);
    cr_assert_str_eq(line(), "bcdef");
    cr_assert_str_eq(echoed(), "bcdef <<<<<<");
    key(RIGHT);
    key(RIGHT);
    cr_assert_str_eq(echoed(), "bc");
    key(BACK);
    cr_assert_str_eq(line(), "bdef");
    cr_assert_eq(ed.pos, 1, "pos %zu", ed.pos);
    cr_assert_str_eq(echoed(), "<def <<<<");
    key(END);
    cr_assert_str_eq(echoed(), "def");
    key(BACK);
    cr_assert_str_eq(echoed(), "< <", "Backspace at the end is BS, space, BS");
    cr_assert_str_eq(line(), "bde");
}

Test(console_edit, escape_clears_the_line_from_anywhere)
{
    start(true);
    type("zz");
    key(LEFT);
    (void)echoed();
    key(ESC);
    cr_assert_eq(ed.len, 0, "len %zu", ed.len);
    cr_assert_eq(ed.pos, 0);
    cr_assert_str_eq(echoed(), "<  <<");
}

Test(console_edit, ctrl_moves_by_word_and_erases_to_the_ends)
{
    start(true);
    type("one two  three");
    k32_edit_key(&ed, LEFT, CTRL, true);
    cr_assert_eq(ed.pos, 9, "pos %zu", ed.pos);
    k32_edit_key(&ed, LEFT, CTRL, true);
    cr_assert_eq(ed.pos, 4, "pos %zu", ed.pos);
    k32_edit_key(&ed, RIGHT, CTRL, true);
    cr_assert_eq(ed.pos, 9, "pos %zu", ed.pos);
    k32_edit_key(&ed, END, CTRL, true);
    cr_assert_str_eq(line(), "one two  ");
    k32_edit_key(&ed, LEFT, CTRL, true);
    k32_edit_key(&ed, HOME, CTRL, true);
    cr_assert_str_eq(line(), "two  ");
    cr_assert_eq(ed.pos, 0);
}

Test(console_edit, overwrite_mode_and_insert_key)
{
    k32_edit_start(&ed, true, false);
    type("abc");
    key(HOME);
    type("X");
    cr_assert_str_eq(line(), "Xbc");
    key(INS);
    type("Y");
    cr_assert_str_eq(line(), "XYbc");
}

Test(console_edit, control_and_wide_characters_take_two_cells)
{
    start(true);
    k32_edit_key(&ed, 0x41, 0x01, CTRL, true); /* ^A */
    k32_edit_key(&ed, 0, 0x4e2d, 0, true);     /* 中 */
    type("x");
    (void)echoed();
    key(HOME);
    cr_assert_str_eq(echoed(), "<<<<<");
    key(DEL);
    cr_assert_str_eq(echoed(), "\xe4\xb8\xadx  <<<<<");
}

Test(console_edit, surrogate_pair_is_one_character)
{
    start(true);
    k32_edit_key(&ed, 0, 0xd83d, 0, true);
    cr_assert_eq(ed.len, 0, "the high half waits");
    k32_edit_key(&ed, 0, 0xde00, 0, true);
    type("a");
    cr_assert_eq(ed.len, 3);
    cr_assert_str_eq(echoed(), "\xf0\x9f\x98\x80" "a");
    key(LEFT);
    key(LEFT);
    cr_assert_eq(ed.pos, 0, "Left steps over the pair: pos %zu", ed.pos);
    key(DEL);
    cr_assert_eq(ed.len, 1);
    cr_assert_eq(ed.buf[0], 'a');
}

Test(console_edit, no_echo_edits_silently)
{
    start(false);
    type("secret");
    key(LEFT);
    key(BACK);
    cr_assert_str_eq(line(), "secrt");
    cr_assert_eq(ed.out_len, 0, "echoed %zu bytes", ed.out_len);
    k32_edit_finish(&ed, true);
    start(true);
    key(UP);
    cr_assert_eq(ed.len, 0, "a line read without echo is not in the history");
}

Test(console_edit, terminal_echoed_characters_are_not_echoed_again)
{
    start(true);
    k32_edit_key(&ed, 0, 'a', 0, false);
    k32_edit_key(&ed, LEFT, 0, false); /* a key the terminal showed as text: ignored */
    type("b");
    cr_assert_str_eq(line(), "ab");
    cr_assert_str_eq(echoed(), "b");
}

Test(console_edit, history_up_down_wrap)
{
    enter("one");
    enter("two");
    enter("three");
    start(true);
    key(UP);
    cr_assert_str_eq(line(), "three");
    cr_assert_str_eq(echoed(), "three");
    key(UP);
    cr_assert_str_eq(line(), "two");
    cr_assert_str_eq(echoed(), "<<<<<two  <<");
    key(UP);
    cr_assert_str_eq(line(), "one");
    key(UP);
    cr_assert_str_eq(line(), "three", "Up wraps around to the newest");
    key(DOWN);
    cr_assert_str_eq(line(), "one", "Down wraps around to the oldest");
    key(DOWN);
    cr_assert_str_eq(line(), "two");
    key(PGUP);
    cr_assert_str_eq(line(), "one");
    key(PGDN);
    cr_assert_str_eq(line(), "three");
    cr_assert_eq(ed.pos, 5);
}

Test(console_edit, history_skips_empty_and_repeated_lines)
{
    enter("same");
    enter("same");
    enter("");
    enter("other");
    start(true);
    key(UP);
    key(UP);
    cr_assert_str_eq(line(), "same");
    key(UP);
    cr_assert_str_eq(line(), "other", "two commands only");
}

Test(console_edit, recalled_command_entered_unchanged_keeps_its_place)
{
    enter("a");
    enter("b");
    enter("c");
    start(true);
    key(UP);
    key(UP);
    cr_assert_str_eq(line(), "b");
    k32_edit_finish(&ed, true);
    start(true);
    key(UP);
    cr_assert_str_eq(line(), "b", "Up shows the recalled command again");
    key(UP);
    cr_assert_str_eq(line(), "a");
    k32_edit_finish(&ed, true);
    enter("new");
    start(true);
    key(UP);
    cr_assert_str_eq(line(), "new", "a new command resets to the newest");
}

Test(console_edit, history_keeps_the_last_50)
{
    char cmd[16];
    for (int i = 0; i < 60; i++) {
        snprintf(cmd, sizeof cmd, "c%d", i);
        enter(cmd);
    }
    start(true);
    key(PGUP);
    cr_assert_str_eq(line(), "c10");
    key(PGDN);
    cr_assert_str_eq(line(), "c59");
}

Test(console_edit, f1_f3_and_right_copy_from_the_current_command)
{
    enter("dir /w");
    start(true);
    key(F1);
    cr_assert_str_eq(line(), "d");
    key(RIGHT);
    cr_assert_str_eq(line(), "di", "Right at the end copies a character");
    key(F3);
    cr_assert_str_eq(line(), "dir /w");
    cr_assert_eq(ed.pos, 6);
    start(true);
    type("cd");
    key(F3);
    cr_assert_str_eq(line(), "cdr /w", "F3 copies from the cursor's place on");
}

Test(console_edit, finish_moves_the_cursor_to_the_end)
{
    start(true);
    type("abc");
    key(HOME);
    (void)echoed();
    k32_edit_finish(&ed, true);
    cr_assert_str_eq(echoed(), "abc");
}

Test(console_edit, initial_characters_are_editable_and_not_echoed)
{
    start(true);
    k32_edit_seed(&ed, u"ab", 2);
    cr_assert_eq(ed.pos, 2);
    cr_assert_eq(ed.out_len, 0, "echoed %zu bytes", ed.out_len);
    key(BACK);
    cr_assert_str_eq(line(), "a");
    cr_assert_str_eq(echoed(), "< <");
    type("c");
    cr_assert_str_eq(line(), "ac");
}

Test(console_edit, f8_recalls_older_commands_beginning_with_the_text_before_the_cursor)
{
    enter("dir a");
    enter("cd x");
    enter("dir b");
    enter("echo");
    start(true);
    type("di");
    key(F8);
    cr_assert_str_eq(line(), "dir b", "the newest match first, got %s", line());
    cr_assert_eq(ed.pos, 2, "the cursor stays after the prefix, got %zu", ed.pos);
    cr_assert_str_eq(echoed(), "di<<dir b<<<", "the line rewritten, the cursor back, got %s",
                     echoed());
    key(F8);
    cr_assert_str_eq(line(), "dir a", "then the older one, got %s", line());
    key(F8);
    cr_assert_str_eq(line(), "dir b", "wrapping around, got %s", line());
    start(true);
    type("zz");
    key(F8);
    cr_assert_str_eq(line(), "zz", "no match: the line unchanged, got %s", line());
    start(true);
    type("Dir");
    key(F8);
    cr_assert_str_eq(line(), "Dir", "case-sensitive, got %s", line());
}

Test(console_edit, f8_with_nothing_before_the_cursor_walks_the_history)
{
    enter("one");
    enter("two");
    start(true);
    key(F8);
    cr_assert_str_eq(line(), "two", "the command last entered, got %s", line());
    cr_assert_eq(ed.pos, 0);
    key(F8);
    cr_assert_str_eq(line(), "one", "got %s", line());
}

Test(console_edit, alt_f7_empties_the_history)
{
    enter("one");
    start(true);
    k32_edit_key(&ed, F7, 0x0002 /* LEFT_ALT_PRESSED */, true);
    key(UP);
    cr_assert_str_eq(line(), "", "no command left, got %s", line());
    key(F8);
    cr_assert_str_eq(line(), "", "got %s", line());
}

/* the open pop-up's cells in an 80 x 25 window: row r (inner rows from 1) as ASCII, box
 * characters as '+', '-' and '|' */
static const char *popup_row(int r, WORD *attr_out, int *width)
{
    static WCHAR ch[80 * 25];
    static WORD attr[80 * 25];
    static char buf[81];
    int x, y, w, h;
    k32_edit_popup_cells(&ed, 80, 25, &x, &y, &w, &h, ch, attr);
    *width = w;
    if (!w || r >= h)
        return "";
    int i;
    for (i = 0; i < w; i++) {
        WCHAR c = ch[r * w + i];
        buf[i] = c == 0x2500 ? '-' : c == 0x2502 ? '|' : c >= 0x250c && c <= 0x2518 ? '+'
                 : c < 0x80 ? (char)c : '?';
    }
    buf[i] = 0;
    if (attr_out)
        memcpy(attr_out, attr + r * w, (size_t)w * sizeof *attr);
    return buf;
}

Test(console_edit, f2_copies_the_command_up_to_a_character_over_the_line)
{
    enter("copy this, and that");
    start(true);
    type("COPY");
    (void)echoed();
    key(HOME);
    key(F2);
    cr_assert_eq(ed.popup, K32_POPUP_COPY_TO, "popup %d", ed.popup);
    cr_assert(ed.popup_changed);
    type(",");
    cr_assert_eq(ed.popup, K32_POPUP_NONE, "popup %d", ed.popup);
    cr_assert_str_eq(line(), "copy this", "the first four overwritten, the rest added");
    cr_assert_eq(ed.pos, 9, "pos %zu", ed.pos);
    (void)echoed();
    key(F2);
    type("#");
    cr_assert_str_eq(line(), "copy this", "a character the command lacks: nothing copied");
    key(F2);
    type(",");
    cr_assert_str_eq(line(), "copy this", "the search starts after the cursor: ',' is under it");
    key(F2);
    type("t");
    cr_assert_str_eq(line(), "copy this, and ", "up to the next 't' after the cursor");
}

Test(console_edit, f4_deletes_up_to_a_character_or_to_the_end)
{
    start(true);
    type("one two three");
    key(HOME);
    (void)echoed();
    key(F4);
    cr_assert_eq(ed.popup, K32_POPUP_DELETE_TO, "popup %d", ed.popup);
    type("t");
    cr_assert_str_eq(line(), "two three");
    cr_assert_eq(ed.pos, 0, "pos %zu", ed.pos);
    cr_assert_str_eq(echoed(), "two three    <<<<<<<<<<<<<");
    key(F4);
    type("t");
    cr_assert_str_eq(line(), "three", "the 't' under the cursor does not count");
    key(F4);
    type("z");
    cr_assert_str_eq(line(), "", "no 'z': everything from the cursor on");
}

Test(console_edit, popup_escape_and_other_keys_close_it_doing_nothing)
{
    enter("abc");
    start(true);
    key(F2);
    key(0x10, 0); /* Shift alone: still waiting */
    cr_assert_eq(ed.popup, K32_POPUP_COPY_TO);
    key(ESC);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    cr_assert_str_eq(line(), "", "Escape in a pop-up does not erase the line");
    key(F4);
    key(LEFT);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    type("x");
    cr_assert_str_eq(line(), "x", "keys go to the line again");
}

Test(console_edit, f7_and_f9_need_history)
{
    start(true);
    key(F7);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    key(F9);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    start(false);
    enter("one");
    start(false);
    key(F7);
    cr_assert_eq(ed.popup, K32_POPUP_NONE, "no pop-up without echo");
}

Test(console_edit, f7_lists_and_moves_and_puts_a_command_on_the_line)
{
    enter("alpha");
    enter("beta");
    enter("gamma");
    enter("bravo");
    start(true);
    key(F7);
    cr_assert_eq(ed.popup, K32_POPUP_LIST);
    cr_assert_eq(ed.list_cur, 3, "the current command selected: %d", ed.list_cur);
    key(UP);
    key(UP);
    cr_assert_eq(ed.list_cur, 1, "cur %d", ed.list_cur);
    key(HOME);
    cr_assert_eq(ed.list_cur, 0);
    key(UP);
    cr_assert_eq(ed.list_cur, 0, "no wrap at the top");
    key(END);
    cr_assert_eq(ed.list_cur, 3);
    key(PGUP);
    cr_assert_eq(ed.list_cur, 0, "PgUp by a page, clamped");
    key(PGDN);
    cr_assert_eq(ed.list_cur, 3);
    type("b");
    cr_assert_eq(ed.list_cur, 1, "the next older command beginning with 'b': %d", ed.list_cur);
    type("b");
    cr_assert_eq(ed.list_cur, 3, "and around again: %d", ed.list_cur);
    key(RIGHT);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    cr_assert_str_eq(line(), "bravo");
    cr_assert(!ed.run, "Right does not enter the line");
    cr_assert_str_eq(echoed(), "bravo");
    key(UP);
    cr_assert_str_eq(line(), "gamma", "Up goes on from the command chosen");
}

Test(console_edit, f7_enter_runs_delete_removes_shift_moves)
{
    enter("one");
    enter("two");
    enter("three");
    start(true);
    key(F7);
    k32_edit_key(&ed, 0x26, 0, 0x0010, true); /* Shift+Up: "three" moves above "two" */
    cr_assert_eq(ed.list_cur, 1, "cur %d", ed.list_cur);
    key(DOWN);
    key(DEL); /* "two" removed */
    cr_assert_eq(ed.list_cur, 1, "cur %d", ed.list_cur);
    key(UP);
    key(ENTER);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    cr_assert(ed.run, "Enter in the list enters the line");
    cr_assert_str_eq(line(), "one");
    k32_edit_finish(&ed, true);
    start(true);
    key(F9);
    type("1");
    key(ENTER);
    cr_assert_str_eq(line(), "three", "the history is one, three, one");
}

Test(console_edit, f9_recalls_by_number)
{
    enter("zero");
    enter("one");
    enter("two");
    start(true);
    type("xx");
    key(F9);
    cr_assert_eq(ed.popup, K32_POPUP_NUMBER);
    type("1a");
    cr_assert_eq(ed.num_len, 1, "a letter is not a digit: %d", ed.num_len);
    key(ENTER);
    cr_assert_eq(ed.popup, K32_POPUP_NONE);
    cr_assert(!ed.run, "F9 puts the command on the line, no more");
    cr_assert_str_eq(line(), "one");
    key(F9);
    type("123456");
    cr_assert_eq(ed.num_len, 5, "five digits at most: %d", ed.num_len);
    key(BACK);
    cr_assert_eq(ed.num_len, 4);
    key(ENTER);
    cr_assert_str_eq(line(), "two", "a number past the newest gives the newest");
    key(F9);
    type("0");
    key(ESC);
    cr_assert_str_eq(line(), "two", "Escape leaves the line");
    key(F7);
    key(F9);
    cr_assert_eq(ed.popup, K32_POPUP_NUMBER, "F9 over the list");
    type("0");
    key(ENTER);
    cr_assert_eq(ed.popup, K32_POPUP_NONE, "every pop-up closed");
    cr_assert_str_eq(line(), "zero");
}

Test(console_edit, popup_cells_centred_with_a_border_and_the_selection_inverted)
{
    int w;
    WORD attr[80];
    start(true);
    key(F4);
    cr_assert_str_eq(popup_row(0, NULL, &w), "+----------------------------+");
    cr_assert_str_eq(popup_row(1, attr, &w), "|Enter char to delete up to: |");
    cr_assert_eq(attr[1], K32_POPUP_ATTR, "attr %#x", attr[1]);
    cr_assert_str_eq(popup_row(2, NULL, &w), "+----------------------------+");
    int x, y, h;
    k32_edit_popup_cells(&ed, 80, 25, &x, &y, &w, &h, NULL, NULL);
    cr_assert(x == 25 && y == 11 && w == 30 && h == 3, "at %d,%d size %dx%d", x, y, w, h);
    key(ESC);
    k32_edit_popup_cells(&ed, 80, 25, &x, &y, &w, &h, NULL, NULL);
    cr_assert_eq(w, 0, "closed: no cells");
    enter("dir");
    enter("echo hi");
    start(true);
    ed.rows = 25;
    key(F7);
    k32_edit_popup_cells(&ed, 80, 25, &x, &y, &w, &h, NULL, NULL);
    cr_assert(x == 19 && y == 6 && w == 42 && h == 12, "at %d,%d size %dx%d", x, y, w, h);
    cr_assert_str_eq(popup_row(1, attr, &w), "|0: dir                                  |");
    cr_assert_eq(attr[1], K32_POPUP_ATTR, "attr %#x", attr[1]);
    cr_assert_str_eq(popup_row(2, attr, &w), "|1: echo hi                              |");
    cr_assert_eq(attr[1], 0x5f, "the selection inverted: %#x", attr[1]);
    cr_assert_eq(attr[0], K32_POPUP_ATTR, "the border not: %#x", attr[0]);
    key(F9);
    type("42");
    cr_assert_str_eq(popup_row(1, NULL, &w), "|Enter command number: 42   |");
}
