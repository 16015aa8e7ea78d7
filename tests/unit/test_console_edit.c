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
 * emptying the history. */
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
