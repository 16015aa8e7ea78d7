/* The console's copy of the screen (thunks/kernel32/console_screen.c) following the program's
 * text on a small pseudo-terminal, through ntemu's text hook as NtWriteFile calls it, read back
 * as the line editor's pop-ups and ReadConsoleOutput read it: DECSTBM's scrolling region (a line
 * feed on its last row scrolls only the region, below it on the window's last row nothing; RI
 * on its first row; IL/DL inside it and ignored outside; SU/SD; CUU/CUD stopping at the
 * margins; the cursor home when set; an invalid region ignored; a resize forgetting it), the
 * alternate screen (1049 saving the cursor, clearing the alternate screen and giving the main
 * one back with its cursor; 47 and 1047 showing it unknown, the main screen kept; the saved
 * cursor of each screen its own), and the rectangle operations DECCRA (a copy, overlapping,
 * clipped at the window, a wide character cut by its side), DECFRA and DECERA. */
#include <criterion/criterion.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/kernel32/kernel32_private.h"

#define COLS 10
#define ROWS 6

static int master = -1, slave = -1;

static void setup(void)
{
    struct winsize ws = {.ws_row = ROWS, .ws_col = COLS};
    cr_assert_eq(openpty(&master, &slave, NULL, NULL, &ws), 0, "openpty");
    k32_screen_reset();
    k32_con_out_mode_set(K32_ENABLE_PROCESSED_OUTPUT | K32_ENABLE_WRAP_AT_EOL_OUTPUT |
                         K32_ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    k32_text_attr_set(7);
}

static void teardown(void)
{
    k32_screen_reset();
    close(master);
    close(slave);
}

TestSuite(console_screen, .init = setup, .fini = teardown);

static void at(int x, int y) { k32_con_cursor_set((int16_t)x, (int16_t)y); }

static void out(const char *s) { nt_console_output_text(slave, s, strlen(s)); }

/* Row y of the copy as text (an unknown cell a space; a wide character's halves '<' '>'). */
static const char *row(int y)
{
    static char text[COLS + 1];
    WCHAR ch[COLS];
    WORD attr[COLS];
    k32_screen_rows_read(COLS, ROWS, y, 1, ch, attr);
    for (int x = 0; x < COLS; x++)
        text[x] = ch[x] < 0x80 ? (char)ch[x] : (x > 0 && ch[x - 1] == ch[x]) ? '>' : '<';
    text[COLS] = 0;
    return text;
}

static WORD attr_at(int x, int y)
{
    WCHAR ch[COLS];
    WORD attr[COLS];
    k32_screen_rows_read(COLS, ROWS, y, 1, ch, attr);
    return attr[x];
}

/* The cursor after the last write: x, y, or -1, -1 when not known. */
static void cursor_is(int x, int y)
{
    int16_t cx = -1, cy = -1;
    if (!k32_con_cursor_at(nt_console_output_count(), &cx, &cy))
        cx = cy = -1;
    cr_assert(cx == x && cy == y, "cursor %d,%d, not %d,%d", cx, cy, x, y);
}

#define ROW_IS(y, want) cr_assert_str_eq(row(y), want, "row %d: [%s], not [%s]", y, row(y), want)

/* rows 0-5 "r0".."r5", the cursor known at the start */
static void numbered(void)
{
    at(0, 0);
    out("\x1b[2Jr0\r\nr1\r\nr2\r\nr3\r\nr4\r\nr5");
}

Test(console_screen, margins_lf_on_bottom_scrolls_region_only)
{
    numbered();
    out("\x1b[2;4r");
    cursor_is(0, 0); /* DECSTBM: the cursor home */
    out("\x1b[4;1H\nnew");
    ROW_IS(0, "r0        ");
    ROW_IS(1, "r2        ");
    ROW_IS(2, "r3        ");
    ROW_IS(3, "new       ");
    ROW_IS(4, "r4        ");
    ROW_IS(5, "r5        ");
    cursor_is(3, 3);
}

Test(console_screen, margins_lf_below_region_on_last_row_stays)
{
    numbered();
    out("\x1b[2;4r\x1b[6;1H\nX");
    ROW_IS(4, "r4        ");
    ROW_IS(5, "X5        ");
    cursor_is(1, 5);
    out("\x1b[5;1H\nY"); /* below the region, not the last row: down */
    ROW_IS(5, "Y5        ");
}

Test(console_screen, margins_ri_on_top_scrolls_region_down)
{
    numbered();
    out("\x1b[2;4r\x1b[2;1H\x1bMtop");
    ROW_IS(0, "r0        ");
    ROW_IS(1, "top       ");
    ROW_IS(2, "r1        ");
    ROW_IS(3, "r2        ");
    ROW_IS(4, "r4        ");
}

Test(console_screen, margins_il_dl_inside_and_outside)
{
    numbered();
    out("\x1b[2;4r\x1b[3;2H\x1b[L");
    ROW_IS(1, "r1        ");
    ROW_IS(2, "          ");
    ROW_IS(3, "r2        ");
    ROW_IS(4, "r4        ");
    cursor_is(0, 2);
    out("\x1b[2;1H\x1b[2M");
    ROW_IS(1, "r2        ");
    ROW_IS(2, "          ");
    ROW_IS(3, "          ");
    ROW_IS(4, "r4        ");
    out("\x1b[5;1H\x1b[M\x1b[1;1H\x1b[L"); /* outside the region: nothing */
    ROW_IS(0, "r0        ");
    ROW_IS(4, "r4        ");
    ROW_IS(5, "r5        ");
}

Test(console_screen, margins_su_sd_and_cursor_stops)
{
    numbered();
    out("\x1b[2;4r\x1b[S");
    ROW_IS(0, "r0        ");
    ROW_IS(1, "r2        ");
    ROW_IS(3, "          ");
    ROW_IS(4, "r4        ");
    out("\x1b[T\x1b[T");
    ROW_IS(1, "          ");
    ROW_IS(2, "          ");
    ROW_IS(3, "r2        ");
    out("\x1b[3;5H\x1b[9A"); /* CUU stops at the top margin, CUD at the bottom one */
    cursor_is(4, 1);
    out("\x1b[9B");
    cursor_is(4, 3);
    out("\x1b[1;5H\x1b[9B"); /* from above the region: down to the bottom margin */
    cursor_is(4, 3);
    out("\x1b[6;1H\x1b[9A"); /* from below: up to the top margin */
    cursor_is(0, 1);
}

Test(console_screen, margins_invalid_ignored_and_reset)
{
    numbered();
    out("\x1b[3;5H\x1b[4;4r"); /* one row: ignored, the cursor stays */
    cursor_is(4, 2);
    out("\x1b[6;1H\n");
    ROW_IS(0, "r1        "); /* no margins: the whole window scrolled */
    out("\x1b[2;3r\x1b[r"); /* reset: the whole window again, the cursor home */
    cursor_is(0, 0);
    out("\x1b[6;1H\nz");
    ROW_IS(0, "r2        ");
    ROW_IS(5, "z         ");
}

Test(console_screen, alt_1049_saves_clears_and_restores)
{
    numbered();
    out("\x1b[3;3H\x1b[31m\x1b[?1049h");
    cursor_is(2, 2);
    for (int y = 0; y < ROWS; y++)
        ROW_IS(y, "          ");
    cr_assert_eq(attr_at(0, 0), 0x0004, "the alternate screen cleared in %04x", attr_at(0, 0));
    out("alt\x1b[1;1H\x1b[0mA");
    ROW_IS(0, "A         ");
    ROW_IS(2, "  alt     ");
    out("\x1b[?1049l");
    for (int y = 0; y < ROWS; y++) {
        char want[COLS + 1];
        snprintf(want, sizeof want, "r%d        ", y);
        ROW_IS(y, want);
    }
    cursor_is(2, 2); /* DECRC: the cursor and the attribute saved on entering */
    WORD a = k32_text_attr_get();
    cr_assert_eq(a, 0x0004, "attribute %04x after 1049l", a);
    out("\x1b[?1049h"); /* cleared again on the next entry */
    ROW_IS(0, "          ");
}

Test(console_screen, alt_47_1047_unknown_main_kept)
{
    numbered();
    out("\x1b[?47h");
    ROW_IS(0, "          "); /* unknown (xterm shows what it held, tmux clears it): spaces */
    cursor_is(2, 5);        /* 47 moves no cursor */
    out("\x1b[1;1Hone");
    ROW_IS(0, "one       ");
    out("\x1b[?47l");
    ROW_IS(0, "r0        ");
    cursor_is(3, 0);
    out("\x1b[?1047h");
    ROW_IS(0, "          "); /* forgotten when left */
    out("\x1b[?1047l");
    ROW_IS(5, "r5        ");
}

Test(console_screen, alt_saved_cursor_per_screen)
{
    numbered();
    out("\x1b[2;2H\x1b" "7\x1b[?47h\x1b[5;5H\x1b" "7\x1b[1;1H\x1b" "8");
    cursor_is(4, 4); /* the alternate screen's own */
    out("\x1b[?47l\x1b" "8");
    cursor_is(1, 1); /* the main screen's */
}

Test(console_screen, alt_unfollowed_text_loses_only_that_screen)
{
    numbered();
    out("\x1b[?1049h");
    /* the cursor no longer known (something else wrote): text goes somewhere unknown */
    nt_console_output_written();
    out("lost");
    out("\x1b[?1049l");
    ROW_IS(3, "r3        "); /* the main screen kept */
}

Test(console_screen, deccra_copies_rectangle)
{
    numbered();
    out("\x1b[1;1;2;2;1;4;5;1$v");
    ROW_IS(3, "r3  r0    ");
    ROW_IS(4, "r4  r1    ");
    cursor_is(2, 5); /* no move */
    out("\x1b[1;1;6;3;1;1;2;1$v"); /* overlapping: copied as it was */
    ROW_IS(0, "rr0       ");
    ROW_IS(3, "rr3 r0    ");
    ROW_IS(5, "rr5       ");
    out("\x1b[1;1;1;4;1;1;9;1$v"); /* clipped at the window's right side */
    ROW_IS(0, "rr0     rr");
}

Test(console_screen, deccra_cuts_wide_character)
{
    at(0, 0);
    out("\x1b[2Ja\xe4\xb8\xad" "b");
    ROW_IS(0, "a<>b      ");
    out("\x1b[1;1;1;2;1;2;6;1$v"); /* its left half the rectangle's last column */
    ROW_IS(1, "     a    ");
    out("\x1b[1;2;1;4;1;3;6;1$v"); /* the whole character */
    ROW_IS(2, "     <>b  ");
    out("\x1b[2;6;2;6;1;1;2;1$v"); /* over a wide character's left half: the right one goes */
    ROW_IS(0, "aa b      ");
}

Test(console_screen, decfra_decera_fill_and_erase)
{
    numbered();
    out("\x1b[32m\x1b[42;2;2;3;4$x");
    ROW_IS(1, "r***      ");
    ROW_IS(2, "r***      ");
    cr_assert_eq(attr_at(1, 1), 0x0002, "filled in %04x", attr_at(1, 1));
    out("\x1b[0m\x1b[2;3;2;9$z");
    ROW_IS(1, "r*        ");
    out("\x1b[7;1;1;1;1$x"); /* not printable: nothing */
    ROW_IS(0, "r0        ");
}

/* The text a terminal is sent for the program's text (NtWriteFile's filter), "" when it is sent
 * as it is. */
static const char *shown(const char *s)
{
    static char text[64];
    size_t n = 0;
    char *p = nt_console_filter(slave, s, strlen(s), &n);
    if (!p)
        return "";
    snprintf(text, sizeof text, "%.*s", (int)n, p);
    free(p);
    return text;
}

Test(console_screen, c1_shown_as_question_mark_with_vt_off_dropped_with_vt_on)
{
    k32_con_out_mode_set(K32_ENABLE_PROCESSED_OUTPUT | K32_ENABLE_WRAP_AT_EOL_OUTPUT);
    cr_assert_str_eq(shown("x\xc2\x85y\xc2\x9b" "31m"), "x?y?31m", "shown [%s]",
                     shown("x\xc2\x85y\xc2\x9b" "31m"));
    const char *s = shown("\xc2\xa0\xc2\x9f\xc2");
    cr_assert_str_eq(s, "\xc2\xa0?", "a no-break space kept, a lead byte at the end held back: [%s]",
                     s);
    s = shown("\x85z");
    cr_assert_str_eq(s, "?z", "a C1 character split between two writes: [%s]", s);
    s = shown("\xc2");
    cr_assert_str_eq(s, "", "a lone lead byte held back: [%s]", s);
    s = shown("\xa9");
    cr_assert_str_eq(s, "\xc2\xa9", "then sent with what follows it: [%s]", s);
    at(0, 0);
    out("x\xc2\x85y\xc2\x9b" "31m");
    WCHAR ch[COLS];
    WORD attr[COLS];
    k32_screen_rows_read(COLS, ROWS, 0, 1, ch, attr);
    cr_assert(ch[0] == 'x' && ch[1] == 0x85 && ch[2] == 'y' && ch[3] == 0x9b && ch[4] == '3',
              "the buffer keeps the characters: %04x %04x %04x %04x %04x", ch[0], ch[1], ch[2],
              ch[3], ch[4]);
    cursor_is(7, 0);
    k32_con_out_mode_set(K32_ENABLE_PROCESSED_OUTPUT | K32_ENABLE_WRAP_AT_EOL_OUTPUT |
                         K32_ENABLE_VIRTUAL_TERMINAL_PROCESSING);
    s = shown("x\xc2\x85y");
    cr_assert_str_eq(s, "xy", "with VT processing: dropped [%s]", s);
    s = shown("ab\xc2\xa9");
    cr_assert_str_eq(s, "", "text without a C1 character: as it is [%s]", s);
    s = shown("a\xc2");
    cr_assert_str_eq(s, "a", "a lead byte held back [%s]", s);
    s = shown("\x9b" "31mb");
    cr_assert_str_eq(s, "31mb", "U+009B split between two writes: dropped, no CSI [%s]", s);
    at(0, 1);
    out("x\xc2\x85y\xc2");
    out("\x9b" "z");
    k32_screen_rows_read(COLS, ROWS, 1, 1, ch, attr);
    cr_assert(ch[0] == 'x' && ch[1] == 'y' && ch[2] == 'z' && ch[3] == ' ',
              "no cell for a C1 character with VT processing: %04x %04x %04x %04x", ch[0], ch[1],
              ch[2], ch[3]);
    cursor_is(3, 1);
}

/* SGR's 256-colour and RGB colours as conhost's legacy attribute (wAttributes); each expected
 * value is conhost's (its tables), from xterm's colour for an index. */
Test(console_screen, sgr_256_and_rgb_as_conhost_maps_them)
{
    static const struct {
        const char *sgr;
        WORD attr;
    } cases[] = {
        {"\x1b[38;5;196m", 0x0c},         /* 255,0,0: bright red */
        {"\x1b[38;5;21m", 0x09},          /* 0,0,255: bright blue */
        {"\x1b[38;5;244m", 0x08},         /* grey 128 */
        {"\x1b[38;5;208m", 0x06},         /* 255,135,0 */
        {"\x1b[38;2;255;128;0m", 0x06},   /* orange: yellow (brown) */
        {"\x1b[38;2;0;0;140m", 0x01},     /* dark blue */
        {"\x1b[38;2;200;200;200m", 0x07}, /* light grey */
        {"\x1b[38;5;1;48;2;30;30;30m", 0x04}, /* an ANSI index: red; near-black background */
        {"\x1b[1;38;5;1m", 0x04},         /* bold does not brighten a 256-colour index */
        {"\x1b[48;5;46m", 0xa7},          /* 0,255,0: bright green background */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        out("\x1b[0m");
        out(cases[i].sgr);
        WORD a = k32_text_attr_get();
        cr_expect_eq(a, cases[i].attr, "ESC%s: %04x, not %04x", cases[i].sgr + 1, a,
                     cases[i].attr);
    }
}
