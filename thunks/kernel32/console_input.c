/* SPDX-License-Identifier: MIT */
/* The console's input buffer on a terminal: its mode (SetConsoleMode on an input handle is the
 * terminal's termios), its input records (ReadConsoleInputW/A, PeekConsoleInputW/A,
 * GetNumberOfConsoleInputEvents, WriteConsoleInputW/A, FlushConsoleInputBuffer), ReadConsoleW/A
 * (with CONSOLE_READCONSOLE_CONTROL) and the "input pending" state a wait on an input handle
 * sees (ntemu/console.c).
 *
 * Modes: ENABLE_LINE_INPUT is ICANON (the terminal edits the line), ENABLE_ECHO_INPUT is ECHO
 * (with line input only, as on Windows), ENABLE_PROCESSED_INPUT is ISIG (^C is SIGINT, which
 * console_ctrl.c makes CTRL_C_EVENT). Without line input the terminal is raw (no ICRNL: Enter
 * is '\r', as Windows gives it; no IXON, no IEXTEN; a read returns each byte). The terminal's
 * own modes are kept from the first change and put back when the process ends.
 *
 * Records: bytes read from the terminal are decoded as Windows' ConPTY decodes what a terminal
 * sends (Windows Terminal's input path): each character is a KEY_EVENT pressed and released,
 * with the US layout's virtual-key and scan codes and SHIFT_PRESSED where the character needs
 * it; control characters are Ctrl+letter; ESC followed by a character is Alt+character; the
 * cursor, editing and function keys' escape sequences (CSI and SS3, with xterm's modifier
 * parameter) are their VK_ codes with ENHANCED_KEY where the key is one, and no character. A
 * lone ESC is the Escape key once no byte follows within 30 ms. With
 * ENABLE_VIRTUAL_TERMINAL_INPUT the sequences are not decoded: every character is a key event
 * of its own, as Windows passes them. A character beyond the BMP is two events, one per
 * UTF-16 unit. WINDOW_BUFFER_SIZE_EVENT is queued on SIGWINCH while ENABLE_WINDOW_INPUT is
 * set (the terminal's columns and rows). Records written by WriteConsoleInput join the queue.
 *
 * Reading records or a line while the mode has line input puts the terminal in raw mode for
 * the read (as _getch does): Windows delivers key events as they are typed whatever the mode,
 * and its console host, not the terminal, edits a line (a "cooked read"). So the runtime edits
 * a line itself, as the console host does (ci_read_line): the characters of queued key presses
 * first (typed ahead, or written by WriteConsoleInput: a queued Enter ends the line, libuv
 * cancels a pending ReadConsoleW so), then the keys as typed; Enter ends the line with "\r\n",
 * the editing keys and the history of console_edit.c edit it, the echo follows
 * ENABLE_ECHO_INPUT: the echo of all the keys at hand is written at once (a paste is one
 * write, or one per 4 KiB, not one a key), before a pop-up is drawn. Between reads the terminal
 * is in its canonical mode (ICANON, with ECHO as the mode says): what is typed then stays in
 * the terminal until the next read takes it. No byte is lost across these switches: they use
 * TCSANOW, never a flush; an unfinished canonical line becomes readable when ICANON goes off,
 * and bytes read are kept in the queue until a read takes them, whatever kind of read comes
 * next. The terminal never decides where a line ends: a line end set in the terminal (VEOL)
 * after the key was typed would never end it. CONSOLE_READCONSOLE_CONTROL: nInitialChars of
 * the buffer begin the line, editable (Backspace takes them back), the cursor after them; a
 * control character of dwCtrlWakeupMask (the first two) ends the line in place, without
 * "\r\n" and without echo, and its control-key state is returned.
 *
 * Waits: a native watcher thread, started at the first wait on an input handle, keeps the
 * ntemu event set while records are queued or the terminal has bytes to read; readers kick it
 * after they took input. Not done: mouse input (ENABLE_MOUSE_INPUT's MOUSE_EVENT records),
 * focus events, Windows' merging of consecutive mouse-move records; the line editor's F2, F4,
 * F7-F9 (the console host's prompts and pop-ups). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "thunks/held_locks.h"
#include "thunks/kbd_us.h"
#include "thunks/kernel32/kernel32_private.h"

#define CI_ENABLE_PROCESSED_INPUT 0x0001
#define CI_ENABLE_LINE_INPUT 0x0002
#define CI_ENABLE_ECHO_INPUT 0x0004
#define CI_ENABLE_WINDOW_INPUT 0x0008
#define CI_ENABLE_INSERT_MODE 0x0020
#define CI_ENABLE_EXTENDED_FLAGS 0x0080
#define CI_ENABLE_VIRTUAL_TERMINAL_INPUT 0x0200
#define CI_MODE_DEFAULT 0x1f7 /* processed, line, echo, mouse, insert, quick edit, extended */
#define CI_MODE_VALID 0x3ff

#define CI_KEY_EVENT 0x0001
#define CI_WINDOW_BUFFER_SIZE_EVENT 0x0004

#define CI_RIGHT_ALT_PRESSED 0x0001
#define CI_LEFT_ALT_PRESSED 0x0002
#define CI_LEFT_CTRL_PRESSED 0x0008
#define CI_SHIFT_PRESSED 0x0010
#define CI_ENHANCED_KEY 0x0100

/* A queued record's flags: its character was echoed by the terminal's canonical mode (typed
 * ahead while the mode had line input and echo), so a line read does not echo it again. */
#define CI_REC_ECHOED 0x0001

#define CI_ERROR_INVALID_ACCESS 12
#define CI_ERROR_NOACCESS 998
#define CI_ESC_WAIT_MS 30

typedef struct {
    BOOL bKeyDown;          /* 0x00 */
    WORD wRepeatCount;      /* 0x04 */
    WORD wVirtualKeyCode;   /* 0x06 */
    WORD wVirtualScanCode;  /* 0x08 */
    WCHAR UnicodeChar;      /* 0x0a (AsciiChar in the A forms) */
    DWORD dwControlKeyState; /* 0x0c */
} CI_KEY_EVENT_RECORD;
_Static_assert(sizeof(CI_KEY_EVENT_RECORD) == 0x10, "KEY_EVENT_RECORD");

typedef struct {
    WORD EventType; /* 0x00 */
    WORD pad;       /* 0x02: CI_REC_* flags while queued, 0 when copied out */
    union {         /* 0x04 */
        CI_KEY_EVENT_RECORD Key;
        struct {
            int16_t X, Y;
        } Size; /* WINDOW_BUFFER_SIZE_RECORD */
        uint8_t raw[16];
    } Event;
} CI_INPUT_RECORD;
_Static_assert(sizeof(CI_INPUT_RECORD) == 0x14, "INPUT_RECORD");
_Static_assert(offsetof(CI_INPUT_RECORD, Event) == 4, "INPUT_RECORD.Event");

typedef struct {
    ULONG nLength;           /* 0x00 */
    ULONG nInitialChars;     /* 0x04 */
    ULONG dwCtrlWakeupMask;  /* 0x08 */
    ULONG dwControlKeyState; /* 0x0c */
} CI_READCONSOLE_CONTROL;
_Static_assert(sizeof(CI_READCONSOLE_CONTROL) == 0x10, "CONSOLE_READCONSOLE_CONTROL");

static pthread_mutex_t ci_lock = PTHREAD_MUTEX_INITIALIZER;
static CI_INPUT_RECORD *ci_q; /* the queue, oldest first */
static size_t ci_len, ci_cap;
static uint8_t ci_raw[64]; /* bytes read and not decoded yet: the start of a sequence */
static size_t ci_raw_len;
static DWORD ci_mode = CI_MODE_DEFAULT;
static WCHAR *ci_line; /* the rest of a line ReadConsoleW had no room for */
static size_t ci_line_len;
static struct termios ci_orig; /* the terminal's modes before the first change */
static int ci_orig_fd = -1;
/* kick pipes: [0] read end; written by anything that changes what waiters should look at */
static int ci_kick_watch[2] = {-1, -1}, ci_kick_read[2] = {-1, -1};
static volatile sig_atomic_t ci_winch;
static bool ci_winch_installed;
static int ci_watch_fd = -1; /* the watcher's own copy of the terminal fd */
static pthread_once_t ci_pipes_once = PTHREAD_ONCE_INIT;
static bool ci_owned; /* the terminal is in ci_apply's modes (ci_own) */
/* the cursor position report (DSR 6) a query waits for, decoded out of the input stream */
static bool ci_cpr_wanted, ci_cpr_got;
static unsigned ci_cpr_row, ci_cpr_col;

/* ---- the queue (under ci_lock) ---- */

static bool ci_push(const CI_INPUT_RECORD *r)
{
    if (ci_len == ci_cap) {
        size_t cap = ci_cap ? ci_cap * 2 : 64;
        CI_INPUT_RECORD *q = realloc(ci_q, cap * sizeof *q);
        if (!q)
            return false;
        ci_q = q;
        ci_cap = cap;
    }
    ci_q[ci_len++] = *r;
    return true;
}

static void ci_take(size_t n)
{
    memmove(ci_q, ci_q + n, (ci_len - n) * sizeof *ci_q);
    ci_len -= n;
}

static void ci_key(WORD vk, WORD scan, WCHAR ch, DWORD state)
{
    CI_INPUT_RECORD r = {.EventType = CI_KEY_EVENT};
    r.Event.Key = (CI_KEY_EVENT_RECORD){TRUE, 1, vk, scan, ch, state};
    ci_push(&r);
    r.Event.Key.bKeyDown = FALSE;
    ci_push(&r);
}

/* ---- decoding ---- */

/* A virtual key pressed: its scan code and ENHANCED_KEY from the layout. */
static void ci_vk(uint16_t vk, WCHAR ch, DWORD state)
{
    bool ext = false;
    uint16_t scan = thk_kbd_vk_to_scan(vk, &ext);
    ci_key(vk, scan, ch, state | (ext ? CI_ENHANCED_KEY : 0));
}

/* One character as a key press: printable ASCII with its key, control characters as
 * Ctrl+key, anything else with no key (as Windows delivers composed or pasted text). */
static void ci_char_key(uint32_t cp, DWORD state)
{
    uint16_t vk = 0, scan = 0;
    bool shift = false;
    if (cp == '\r') {
        ci_vk(0x0d, '\r', state);
    } else if (cp == '\t') {
        ci_vk(0x09, '\t', state);
    } else if (cp == 0x7f) {
        ci_vk(0x08, 0x08, state); /* the terminal's Backspace */
    } else if (cp == 0x1b) {
        ci_vk(0x1b, 0x1b, state);
    } else if (cp == 0) {
        ci_vk(0x20, 0, state | CI_LEFT_CTRL_PRESSED); /* Ctrl+Space */
    } else if (cp < 0x1b) {
        thk_kbd_char_key((uint8_t)('a' + cp - 1), &vk, &scan, &shift);
        ci_key(vk, scan, (WCHAR)cp, state | CI_LEFT_CTRL_PRESSED);
    } else if (cp < 0x20) { /* Ctrl+\ ] ^ _ (the keys of \ ] ^ _) */
        thk_kbd_char_key((uint8_t)"\\]^_"[cp - 0x1c], &vk, &scan, &shift);
        ci_key(vk, scan, (WCHAR)cp, state | CI_LEFT_CTRL_PRESSED | (shift ? CI_SHIFT_PRESSED : 0));
    } else if (cp < 0x7f) {
        thk_kbd_char_key((uint8_t)cp, &vk, &scan, &shift);
        ci_key(vk, scan, (WCHAR)cp, state | (shift ? CI_SHIFT_PRESSED : 0));
    } else if (cp < 0x10000) {
        ci_key(0, 0, (WCHAR)cp, state);
    } else {
        cp -= 0x10000;
        ci_key(0, 0, (WCHAR)(0xd800 + (cp >> 10)), state);
        ci_key(0, 0, (WCHAR)(0xdc00 + (cp & 0x3ff)), state);
    }
}

/* A UTF-8 character at b: its length (0: incomplete), the code point in *cp (U+FFFD for a
 * malformed byte, length 1). */
static size_t ci_utf8(const uint8_t *b, size_t n, uint32_t *cp)
{
    uint8_t c = b[0];
    size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (!len) {
        *cp = 0xfffd;
        return 1;
    }
    if (n < len)
        return 0;
    uint32_t v = len == 1 ? c : c & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((b[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        v = v << 6 | (b[i] & 0x3f);
    }
    *cp = v;
    return len;
}

/* xterm's modifier parameter (1 + shift 1, alt 2, ctrl 4) as control-key state. */
static DWORD ci_modifiers(unsigned m)
{
    if (m < 2)
        return 0;
    m--;
    return ((m & 1) ? CI_SHIFT_PRESSED : 0) | ((m & 2) ? CI_LEFT_ALT_PRESSED : 0) |
           ((m & 4) ? CI_LEFT_CTRL_PRESSED : 0);
}

/* The special key of a CSI/SS3 final byte (with `num`, the first parameter, for '~'): its
 * virtual key, whose scan code and ENHANCED_KEY come from the layout. */
static bool ci_special(char final, unsigned num, DWORD state)
{
    static const uint8_t tilde[25] = {
        [1] = 0x24,  [2] = 0x2d,  [3] = 0x2e,  [4] = 0x23,  [5] = 0x21,  [6] = 0x22,  [7] = 0x24,
        [8] = 0x23,  [11] = 0x70, [12] = 0x71, [13] = 0x72, [14] = 0x73, [15] = 0x74, [17] = 0x75,
        [18] = 0x76, [19] = 0x77, [20] = 0x78, [21] = 0x79, [23] = 0x7a, [24] = 0x7b,
    }; /* Home Insert Delete End PgUp PgDn Home End, F1-F12 (VT220 and xterm numbers) */
    uint16_t vk;
    switch (final) {
    case 'A': vk = 0x26; break; /* VK_UP */
    case 'B': vk = 0x28; break; /* VK_DOWN */
    case 'C': vk = 0x27; break; /* VK_RIGHT */
    case 'D': vk = 0x25; break; /* VK_LEFT */
    case 'H': vk = 0x24; break; /* VK_HOME */
    case 'F': vk = 0x23; break; /* VK_END */
    case 'P': case 'Q': case 'R': case 'S': vk = (uint16_t)(0x70 + final - 'P'); break; /* F1-F4 */
    case 'Z': ci_vk(0x09, '\t', state | CI_SHIFT_PRESSED); return true; /* Shift+Tab */
    case '~':
        if (num < 25 && tilde[num]) {
            vk = tilde[num];
            break;
        }
        return false;
    default: return false;
    }
    ci_vk(vk, 0, state);
    return true;
}

/* Decodes one key from b: the bytes it took, 0 when they are the incomplete start of one
 * (and `final` is false: more may come). */
/* The terminal's cursor position report, ESC [ row ; col R, while a query waits for one: its
 * length (0: it may be one, more bytes to come), or SIZE_MAX when b does not start one. */
static size_t ci_cpr(const uint8_t *b, size_t n, bool final)
{
    unsigned v[2] = {0, 0};
    int k = 0;
    size_t i = 1;
    if (n < 2)
        return final ? SIZE_MAX : 0;
    if (b[1] != '[')
        return SIZE_MAX;
    for (i = 2; i < n; i++) {
        if (b[i] >= '0' && b[i] <= '9' && v[k] < 100000)
            v[k] = v[k] * 10 + (unsigned)(b[i] - '0');
        else if (b[i] == ';' && k == 0)
            k = 1;
        else if (b[i] == 'R' && k == 1 && v[0] && v[1])
            break;
        else
            return SIZE_MAX;
    }
    if (i == n)
        return final ? SIZE_MAX : 0;
    ci_cpr_row = v[0], ci_cpr_col = v[1];
    ci_cpr_got = true;
    ci_cpr_wanted = false;
    return i + 1;
}

static size_t ci_decode_one(const uint8_t *b, size_t n, bool final, bool vt)
{
    uint32_t cp;
    if (ci_cpr_wanted && b[0] == 0x1b) { /* before any other meaning, VT input's too */
        size_t used = ci_cpr(b, n, final);
        if (used != SIZE_MAX)
            return used;
    }
    if (b[0] == 0x1b && !vt) {
        if (n == 1) {
            if (!final)
                return 0;
            ci_char_key(0x1b, 0);
            return 1;
        }
        if (b[1] == '[' || b[1] == 'O') {
            size_t i = 2;
            unsigned params[4] = {0, 0, 0, 0};
            int np = 0;
            while (i < n && ((b[i] >= '0' && b[i] <= '9') || b[i] == ';' || b[i] == '<' ||
                             b[i] == '?')) {
                if (b[i] == ';') {
                    if (np < 3)
                        np++;
                } else if (b[i] >= '0' && b[i] <= '9' && params[np] < 10000) {
                    params[np] = params[np] * 10 + (unsigned)(b[i] - '0');
                }
                i++;
            }
            if (i == n) {
                if (!final)
                    return 0;
                ci_char_key(0x1b, 0); /* not a sequence after all */
                return 1;
            }
            char fin = (char)b[i];
            unsigned mod = b[1] == 'O' ? params[0] : params[1];
            if (fin == '~' || (b[1] == '[' && np == 0))
                mod = fin == '~' ? params[1] : 0;
            ci_special(fin, params[0], ci_modifiers(mod)); /* unknown ones are dropped */
            return i + 1;
        }
        size_t len = ci_utf8(b + 1, n - 1, &cp); /* ESC + character: Alt+character */
        if (!len) {
            if (!final)
                return 0;
            ci_char_key(0x1b, 0);
            return 1;
        }
        ci_char_key(cp, CI_LEFT_ALT_PRESSED);
        return 1 + len;
    }
    size_t len = ci_utf8(b, n, &cp);
    if (!len) {
        if (!final)
            return 0;
        ci_char_key(0xfffd, 0);
        return n;
    }
    if (vt && cp == 0x7f)
        ci_vk(0x08, 0x7f, 0); /* VT input passes the terminal's characters as they are */
    else
        ci_char_key(cp, 0);
    return len;
}

/* Decodes what ci_raw holds; `final`: nothing more is coming for an incomplete rest. */
static void ci_decode(bool final)
{
    bool vt = (ci_mode & CI_ENABLE_VIRTUAL_TERMINAL_INPUT) != 0;
    size_t at = 0;
    while (at < ci_raw_len) {
        size_t used = ci_decode_one(ci_raw + at, ci_raw_len - at, final, vt);
        if (!used)
            break;
        at += used;
    }
    memmove(ci_raw, ci_raw + at, ci_raw_len - at);
    ci_raw_len -= at;
}

/* A window-size record for a SIGWINCH seen since the last look (under ci_lock). */
static void ci_take_winch(int fd)
{
    if (!ci_winch)
        return;
    ci_winch = 0;
    struct winsize ws;
    if (!(ci_mode & CI_ENABLE_WINDOW_INPUT) || ioctl(fd, TIOCGWINSZ, &ws) != 0)
        return;
    CI_INPUT_RECORD r = {.EventType = CI_WINDOW_BUFFER_SIZE_EVENT};
    r.Event.Size.X = (int16_t)ws.ws_col;
    r.Event.Size.Y = (int16_t)ws.ws_row;
    ci_push(&r);
}

static bool ci_readable(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}

/* Reads what the terminal has without waiting, at most `max` bytes, and decodes it (under
 * ci_lock); the records it queues get `flags` in their pad word (CI_REC_*). A lone ESC (or the
 * start of a sequence) waits up to CI_ESC_WAIT_MS for the rest. With `crlf`, a '\n' read is
 * Enter: the terminal's ICRNL turned an Enter typed in its canonical mode into '\n'. Returns
 * false when the terminal is gone (hung up, or end of input) and nothing was read. */
static bool ci_fill_some(int fd, size_t max, WORD flags, bool crlf)
{
    size_t total = 0, first = ci_len;
    bool gone = false;
    ci_take_winch(fd);
    while (total < max && ci_raw_len < sizeof ci_raw) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0)
            break;
        if (!(p.revents & POLLIN)) {
            gone = (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
            break;
        }
        size_t room = sizeof ci_raw - ci_raw_len;
        if (room > max - total)
            room = max - total;
        ssize_t r = read(fd, ci_raw + ci_raw_len, room);
        if (r <= 0) {
            gone = r == 0 || (errno != EINTR && errno != EAGAIN);
            break;
        }
        if (crlf)
            for (ssize_t i = 0; i < r; i++)
                if (ci_raw[ci_raw_len + (size_t)i] == '\n')
                    ci_raw[ci_raw_len + (size_t)i] = '\r';
        ci_raw_len += (size_t)r;
        total += (size_t)r;
        ci_decode(false);
    }
    if (ci_raw_len && !ci_readable(fd, CI_ESC_WAIT_MS))
        ci_decode(true);
    for (size_t i = first; i < ci_len; i++)
        ci_q[i].pad = flags;
    return !gone || total > 0;
}

static bool ci_fill(int fd) { return ci_fill_some(fd, SIZE_MAX, 0, false); }

/* ---- the watcher and the pending-input event ---- */

static void ci_pipes_init(void)
{
    if (pipe2(ci_kick_watch, O_CLOEXEC | O_NONBLOCK) != 0)
        ci_kick_watch[0] = ci_kick_watch[1] = -1;
    if (pipe2(ci_kick_read, O_CLOEXEC | O_NONBLOCK) != 0)
        ci_kick_read[0] = ci_kick_read[1] = -1;
}

static void ci_kick(void)
{
    static const char b = 1;
    if (ci_kick_watch[1] >= 0)
        (void)!write(ci_kick_watch[1], &b, 1);
    if (ci_kick_read[1] >= 0)
        (void)!write(ci_kick_read[1], &b, 1);
}

static void ci_drain(int fd)
{
    char buf[64];
    while (fd >= 0 && read(fd, buf, sizeof buf) > 0) {
    }
}

/* Whether input is pending: records queued or bytes the terminal would give (under ci_lock). */
static bool ci_pending(int fd)
{
    ci_take_winch(fd);
    return ci_len > 0 || ci_line_len > 0 || ci_raw_len > 0 || ci_readable(fd, 0);
}

/* Sets the event from the state now; under ci_lock so that no older look overwrites it (the
 * order is ci_lock, then ntemu's wait lock). */
static bool ci_update(int fd)
{
    thk_held_mutex_lock(&ci_lock);
    bool pending = ci_pending(fd);
    nt_console_input_set(pending);
    thk_held_mutex_unlock(&ci_lock);
    return pending;
}

static void *ci_watcher(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are the program's threads' business */
    for (;;) {
        int fd = __atomic_load_n(&ci_watch_fd, __ATOMIC_ACQUIRE);
        bool pending = ci_update(fd);
        struct pollfd p[2] = {{pending ? -1 : fd, POLLIN, 0}, {ci_kick_watch[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return NULL;
        ci_drain(ci_kick_watch[0]);
        if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) { /* the terminal is gone */
            nt_console_input_set(true);                    /* reads will say so */
            return NULL;
        }
    }
}

/* ntemu's hook: before a wait on an input handle (start the watcher once) and after NtReadFile
 * read the terminal (look again). */
static void ci_hook(int fd, bool after_read)
{
    (void)fd;
    if (!after_read && __atomic_load_n(&ci_watch_fd, __ATOMIC_ACQUIRE) < 0) {
        static pthread_mutex_t start = PTHREAD_MUTEX_INITIALIZER;
        pthread_mutex_lock(&start);
        if (ci_watch_fd < 0) {
            int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
            pthread_t t;
            pthread_once(&ci_pipes_once, ci_pipes_init);
            if (copy >= 0) {
                __atomic_store_n(&ci_watch_fd, copy, __ATOMIC_RELEASE);
                pthread_attr_t a;
                pthread_attr_init(&a);
                pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
                if (pthread_create(&t, &a, ci_watcher, NULL) != 0) {
                    nt_console_input_set(true); /* no watcher: waits return at once, as before */
                }
                pthread_attr_destroy(&a);
            } else {
                nt_console_input_set(true);
            }
        }
        pthread_mutex_unlock(&start);
    }
    /* look now: a wait must see the state it is called in, a read's effect is seen at once */
    int watch = __atomic_load_n(&ci_watch_fd, __ATOMIC_ACQUIRE);
    if (watch >= 0) {
        ci_update(watch);
        ci_kick();
    }
}

static NTSTATUS ci_nt_read(int fd, void *buf, size_t n, size_t *got);

static __attribute__((constructor)) void ci_register(void)
{
    nt_console_set_hook(ci_hook);
    nt_console_set_reader(ci_nt_read);
}

/* Async-signal-safe: flips the selector like every ntrun handler, sets a flag and writes one
 * byte to each kick pipe (raw system calls from the runtime's range). */
static void ci_winch_signal(int sig, siginfo_t *si, void *uctx)
{
    (void)sig, (void)si, (void)uctx;
    TEB *teb = rt_current_teb();
    rt_thread *t = teb ? rt_thread_of(teb) : NULL;
    uint8_t saved = t ? t->selector : RT_SEL_ALLOW;
    if (t)
        t->selector = RT_SEL_ALLOW;
    int saved_errno = errno;
    static const char b = 1;
    ci_winch = 1;
    if (ci_kick_watch[1] >= 0)
        rt_raw_syscall6(SYS_write, ci_kick_watch[1], (long)&b, 1, 0, 0, 0);
    if (ci_kick_read[1] >= 0)
        rt_raw_syscall6(SYS_write, ci_kick_read[1], (long)&b, 1, 0, 0, 0);
    errno = saved_errno;
    if (t)
        t->selector = saved;
}

/* ---- modes ---- */

static void ci_restore_at_exit(uint32_t code)
{
    (void)code;
    if (ci_orig_fd >= 0)
        tcsetattr(ci_orig_fd, TCSANOW, &ci_orig);
}

/* The terminal's modes before ntrun changed any, kept once (under ci_lock) and put back at
 * exit; false when fd is no terminal. */
static bool ci_keep_orig(int fd)
{
    if (ci_orig_fd >= 0)
        return true;
    if (tcgetattr(fd, &ci_orig) != 0)
        return false;
    ci_orig_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    rt_on_exit_always(ci_restore_at_exit);
    return true;
}

/* The terminal's modes for a console input mode (from the modes it had at first). The
 * terminal never edits nor echoes: whatever the mode, the runtime owns the input as Windows'
 * console host does (ICANON, ECHO, IEXTEN off; no ICRNL: Enter is '\r'; no IXON); the mode
 * decides only ISIG (ENABLE_PROCESSED_INPUT: ^C is SIGINT, which console_ctrl.c makes
 * CTRL_C_EVENT, ^\ SIGQUIT for CTRL_BREAK_EVENT). ^Z is a character (Windows' end of input),
 * not the terminal's suspend. */
static bool ci_apply(int fd, DWORD mode)
{
    if (!ci_keep_orig(fd))
        return false;
    struct termios t = ci_orig;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IGNCR | IXON);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    t.c_cc[VSUSP] = _POSIX_VDISABLE;
    if (mode & CI_ENABLE_PROCESSED_INPUT)
        t.c_lflag |= ISIG;
    else
        t.c_lflag &= ~(tcflag_t)ISIG;
    return tcsetattr(fd, TCSANOW, &t) == 0;
}

static void ci_own(int fd);

DWORD k32_con_in_mode(void) { return __atomic_load_n(&ci_mode, __ATOMIC_RELAXED); }

BOOL k32_con_in_set_mode(int fd, DWORD mode)
{
    if (mode & ~(DWORD)CI_MODE_VALID) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_once(&ci_pipes_once, ci_pipes_init);
    thk_held_mutex_lock(&ci_lock);
    ci_own(fd); /* what was typed before into the queue */
    bool ok = ci_apply(fd, mode);
    if (ok)
        ci_mode = mode;
    if (ok && (mode & CI_ENABLE_WINDOW_INPUT) && !ci_winch_installed)
        ci_winch_installed = rt_install_signal_handler(SIGWINCH, ci_winch_signal, SA_RESTART) == 0;
    thk_held_mutex_unlock(&ci_lock);
    if (!ok) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    ci_kick();
    return TRUE;
}

/* libntrun teardown: the terminal back as it was, the buffer empty. */
void k32_con_in_reset(void)
{
    thk_held_mutex_lock(&ci_lock);
    if (ci_orig_fd >= 0)
        tcsetattr(ci_orig_fd, TCSANOW, &ci_orig);
    ci_owned = false;
    ci_mode = CI_MODE_DEFAULT;
    ci_len = ci_raw_len = 0;
    free(ci_line);
    ci_line = NULL;
    ci_line_len = 0;
    k32_edit_history_clear();
    thk_held_mutex_unlock(&ci_lock);
    ci_kick();
}

/* ---- waiting for input ---- */

/* The runtime takes the terminal over (under ci_lock) at the first console read, or at
 * SetConsoleMode: from then on the terminal is in the modes of ci_apply until the process
 * ends, so a key typed at any time is readable at once and no mode switch can hold or lose it.
 * What was typed before, in the terminal's own canonical mode, is not lost: switching ICANON
 * off with TCSANOW (never a flush) makes an unfinished line readable, and it is read into the
 * queue at once, marked as echoed when the terminal echoed it (the one moment where this is
 * guessed: a byte that comes between the switch and the count is taken as echoed too). */
static void ci_own(int fd)
{
    if (ci_owned || !ci_keep_orig(fd) || !ci_apply(fd, ci_mode))
        return;
    ci_owned = true;
    int avail = 0;
    if ((ci_orig.c_lflag & ICANON) && ioctl(fd, FIONREAD, &avail) == 0 && avail > 0)
        ci_fill_some(fd, (size_t)avail, (ci_orig.c_lflag & ECHO) ? CI_REC_ECHOED : 0,
                     (ci_orig.c_iflag & ICRNL) != 0);
}

/* Sleeps until the terminal or a kick has something (at most one wait slice). A wait point:
 * a thread asked to end ends here. Called without ci_lock. */
static void ci_sleep(int fd)
{
    pthread_once(&ci_pipes_once, ci_pipes_init);
    struct pollfd p[2] = {{fd, POLLIN, 0}, {ci_kick_read[0], POLLIN, 0}};
    int r = poll(p, 2, (int)(RT_WAIT_SLICE_NS / 1000000));
    if (r < 0 && errno == EINTR)
        rt_thread_check_pending();
    else if (rt_thread_pending())
        rt_thread_check_pending();
    if (r > 0 && (p[1].revents & POLLIN))
        ci_drain(ci_kick_read[0]);
}

/* Waits (when `wait`) until a record is queued; returns with ci_lock held. */
static void ci_lock_with_records(int fd, bool wait)
{
    thk_held_mutex_lock(&ci_lock);
    ci_own(fd);
    for (;;) {
        bool alive = ci_fill(fd);
        if (ci_len || !wait || !alive) /* a terminal gone: no record will come */
            break;
        thk_held_mutex_unlock(&ci_lock);
        ci_sleep(fd);
        thk_held_mutex_lock(&ci_lock);
    }
}

/* ---- the record calls ---- */

/* The input handle's fd, or -1 with ERROR_INVALID_HANDLE (an output handle, a file, a pipe). */
static int ci_input_fd(HANDLE h)
{
    bool input = false;
    int fd = k32_console_fd(h, &input);
    if (fd < 0 || !input) {
        thk_set_last_error(ERROR_INVALID_HANDLE);
        return -1;
    }
    return fd;
}

/* The A forms: a key's character in the console input code page (one byte; '?' without one). */
static void ci_to_ansi(CI_INPUT_RECORD *r, DWORD n)
{
    UINT cp = GetConsoleCP();
    for (DWORD i = 0; i < n; i++) {
        if (r[i].EventType != CI_KEY_EVENT)
            continue;
        WCHAR w = r[i].Event.Key.UnicodeChar;
        char a[8] = {0};
        if (w >= 0x80 && WideCharToMultiByte(cp, 0, &w, 1, a, sizeof a, NULL, NULL) != 1)
            a[0] = '?';
        else if (w < 0x80)
            a[0] = (char)w;
        r[i].Event.Key.UnicodeChar = (WCHAR)(uint8_t)a[0];
    }
}

static BOOL ci_read_records(HANDLE h, CI_INPUT_RECORD *buf, DWORD n, DWORD *count, bool remove,
                            bool ansi)
{
    if (!count) {
        thk_set_last_error(CI_ERROR_INVALID_ACCESS);
        return FALSE;
    }
    DWORD zero = 0;
    if (nt_copy_to_user(count, &zero, sizeof zero) != 0) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    int fd = ci_input_fd(h);
    if (fd < 0)
        return FALSE;
    if (!n)
        return TRUE;
    if (!buf) {
        thk_set_last_error(CI_ERROR_INVALID_ACCESS);
        return FALSE;
    }
    ci_lock_with_records(fd, remove);
    DWORD take = ci_len < n ? (DWORD)ci_len : n;
    CI_INPUT_RECORD tmp[64];
    DWORD done = 0;
    bool fault = false;
    while (done < take && !fault) {
        DWORD chunk = take - done > 64 ? 64 : take - done;
        memcpy(tmp, ci_q + done, chunk * sizeof *tmp);
        for (DWORD i = 0; i < chunk; i++)
            tmp[i].pad = 0; /* the runtime's flags stay inside */
        if (ansi)
            ci_to_ansi(tmp, chunk);
        fault = nt_copy_to_user(buf + done, tmp, chunk * sizeof *tmp) != 0;
        if (!fault)
            done += chunk;
    }
    if (remove)
        ci_take(done);
    thk_held_mutex_unlock(&ci_lock);
    if (remove)
        ci_kick();
    if (fault) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    nt_copy_to_user(count, &done, sizeof done);
    return TRUE;
}

BOOL WINAPI ReadConsoleInputW(HANDLE h, CI_INPUT_RECORD *buf, DWORD n, DWORD *count)
{
    return ci_read_records(h, buf, n, count, true, false);
}
THK_EXPORT(kernel32, ReadConsoleInputW, 4);

BOOL WINAPI ReadConsoleInputA(HANDLE h, CI_INPUT_RECORD *buf, DWORD n, DWORD *count)
{
    return ci_read_records(h, buf, n, count, true, true);
}
THK_EXPORT(kernel32, ReadConsoleInputA, 4);

BOOL WINAPI PeekConsoleInputW(HANDLE h, CI_INPUT_RECORD *buf, DWORD n, DWORD *count)
{
    return ci_read_records(h, buf, n, count, false, false);
}
THK_EXPORT(kernel32, PeekConsoleInputW, 4);

BOOL WINAPI PeekConsoleInputA(HANDLE h, CI_INPUT_RECORD *buf, DWORD n, DWORD *count)
{
    return ci_read_records(h, buf, n, count, false, true);
}
THK_EXPORT(kernel32, PeekConsoleInputA, 4);

/* ReadConsoleInputExW's flags: CONSOLE_READ_NOREMOVE 1, CONSOLE_READ_NOWAIT 2. */
BOOL WINAPI ReadConsoleInputExW(HANDLE h, CI_INPUT_RECORD *buf, DWORD n, DWORD *count, WORD flags)
{
    if (flags & ~3u) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return ci_read_records(h, buf, n, count, !(flags & 1), false) ;
}
THK_EXPORT(kernel32, ReadConsoleInputExW, 5);

/* The input events waiting: the queued records, with what the terminal has decoded into them,
 * and a line ReadConsole holds back. Any other handle (a pipe, a file, an output handle) fails
 * with ERROR_INVALID_HANDLE and leaves *count alone: Java's System.in.available() calls it on
 * standard input and falls back to PeekNamedPipe when it fails. */
BOOL WINAPI GetNumberOfConsoleInputEvents(HANDLE h, DWORD *count)
{
    int fd = ci_input_fd(h);
    if (fd < 0)
        return FALSE;
    thk_held_mutex_lock(&ci_lock);
    ci_own(fd);
    ci_fill(fd);
    size_t n = ci_len + ci_line_len;
    thk_held_mutex_unlock(&ci_lock);
    DWORD c = (DWORD)n;
    if (!count || nt_copy_to_user(count, &c, sizeof c) != 0) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(kernel32, GetNumberOfConsoleInputEvents, 2);

static BOOL ci_write_records(HANDLE h, const CI_INPUT_RECORD *buf, DWORD n, DWORD *written,
                             bool ansi)
{
    if (!written) {
        thk_set_last_error(CI_ERROR_INVALID_ACCESS);
        return FALSE;
    }
    DWORD zero = 0;
    if (nt_copy_to_user(written, &zero, sizeof zero) != 0) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    int fd = ci_input_fd(h);
    if (fd < 0)
        return FALSE;
    DWORD done = 0;
    thk_held_mutex_lock(&ci_lock);
    for (; done < n; done++) {
        CI_INPUT_RECORD r;
        if (nt_copy_from_user(&r, buf + done, sizeof r) != 0)
            break;
        if (ansi && r.EventType == CI_KEY_EVENT) {
            char a = (char)(uint8_t)r.Event.Key.UnicodeChar;
            WCHAR w = (uint8_t)a;
            if ((uint8_t)a >= 0x80)
                MultiByteToWideChar(GetConsoleCP(), 0, &a, 1, &w, 1);
            r.Event.Key.UnicodeChar = w;
        }
        r.pad = 0;
        if (!ci_push(&r))
            break;
    }
    thk_held_mutex_unlock(&ci_lock);
    ci_kick();
    if (done < n && done == 0) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    nt_copy_to_user(written, &done, sizeof done);
    return TRUE;
}

BOOL WINAPI WriteConsoleInputW(HANDLE h, const CI_INPUT_RECORD *buf, DWORD n, DWORD *written)
{
    return ci_write_records(h, buf, n, written, false);
}
THK_EXPORT(kernel32, WriteConsoleInputW, 4);

BOOL WINAPI WriteConsoleInputA(HANDLE h, const CI_INPUT_RECORD *buf, DWORD n, DWORD *written)
{
    return ci_write_records(h, buf, n, written, true);
}
THK_EXPORT(kernel32, WriteConsoleInputA, 4);

BOOL WINAPI FlushConsoleInputBuffer(HANDLE h)
{
    int fd = ci_input_fd(h);
    if (fd < 0)
        return FALSE;
    thk_held_mutex_lock(&ci_lock);
    ci_len = ci_raw_len = ci_line_len = 0;
    ci_winch = 0;
    tcflush(fd, TCIFLUSH);
    thk_held_mutex_unlock(&ci_lock);
    ci_kick();
    return TRUE;
}
THK_EXPORT(kernel32, FlushConsoleInputBuffer, 1);

/* ---- ReadConsole ---- */

/* Appends w[0..n) to the held-back line. */
static bool ci_line_add(const WCHAR *w, size_t n)
{
    WCHAR *l = realloc(ci_line, (ci_line_len + n + 1) * sizeof *l);
    if (!l)
        return false;
    memcpy(l + ci_line_len, w, n * sizeof *w);
    ci_line = l;
    ci_line_len += n;
    return true;
}

/* ---- the line editor (a cooked read) ---- */

/* Writes what a line read echoes to the terminal (the input handle's own terminal, where a
 * console echoes whatever the output handles are redirected to). */
static void ci_echo(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* a terminal opened read-only: no echo */
        bool was = k32_out_raw; /* the echo is the runtime's: no output mode filters it */
        k32_out_raw = true;
        nt_console_output_text(fd, s, (size_t)w); /* the screen's copy follows the echo */
        k32_out_raw = was;
        s += w;
        n -= (size_t)w;
    }
}

/* The line editor's pop-up (F2, F4, F7, F9) drawn as it is now: what it covered put back
 * first when it closed or changed size, the echo of the edit it made written, then the pop-up
 * drawn over the window's centre (the rows under it saved when it opens). */
static struct {
    bool shown;
    int y, n, cols;      /* the whole rows it covers, as saved */
    WCHAR *ch;
    WORD *attr;
} ci_pop;

static void ci_popup_restore(int fd)
{
    if (!ci_pop.shown)
        return;
    int cols, rows;
    k32_screen_window(fd, &cols, &rows);
    if (cols == ci_pop.cols)
        k32_screen_cells_draw(fd, cols, rows, 0, ci_pop.y, cols, ci_pop.n, ci_pop.ch, ci_pop.attr);
    free(ci_pop.ch);
    free(ci_pop.attr);
    ci_pop.ch = NULL, ci_pop.attr = NULL;
    ci_pop.shown = false;
}

static void ci_popup_show(int fd, k32_edit *ed)
{
    int cols, rows, x, y, w, h;
    ed->popup_changed = false;
    k32_screen_window(fd, &cols, &rows);
    ed->rows = rows;
    k32_edit_popup_cells(ed, cols, rows, &x, &y, &w, &h, NULL, NULL);
    if (ci_pop.shown && (!w || y != ci_pop.y || h != ci_pop.n || cols != ci_pop.cols))
        ci_popup_restore(fd);
    if (ed->out_len)
        ci_echo(fd, ed->out, ed->out_len), ed->out_len = 0;
    if (!w)
        return;
    WCHAR *ch = malloc((size_t)w * (size_t)h * sizeof *ch);
    WORD *attr = malloc((size_t)w * (size_t)h * sizeof *attr);
    if (ch && attr && !ci_pop.shown) {
        ci_pop.ch = malloc((size_t)cols * (size_t)h * sizeof *ci_pop.ch);
        ci_pop.attr = malloc((size_t)cols * (size_t)h * sizeof *ci_pop.attr);
        if (ci_pop.ch && ci_pop.attr) {
            k32_screen_rows_read(cols, rows, y, h, ci_pop.ch, ci_pop.attr);
            ci_pop.shown = true;
            ci_pop.y = y, ci_pop.n = h, ci_pop.cols = cols;
        } else {
            free(ci_pop.ch), free(ci_pop.attr);
            ci_pop.ch = NULL, ci_pop.attr = NULL;
        }
    }
    if (ch && attr && ci_pop.shown) {
        k32_edit_popup_cells(ed, cols, rows, &x, &y, &w, &h, ch, attr);
        k32_screen_cells_draw(fd, cols, rows, x, y, w, h, ch, attr);
    }
    free(ch);
    free(attr);
}

/* Line input: one line into ci_line (under ci_lock; drops it while waiting), edited as
 * Windows' console host edits a cooked read (console_edit.c: cursor keys, Home/End, Delete,
 * insert or overwrite, the history with Up/Down), with the terminal raw for the time of the
 * read. The keys come from the queue's key presses (typed ahead, decoded earlier, or written
 * by WriteConsoleInput) and then from the terminal as typed. Enter (or a '\n' the terminal's
 * canonical mode made of it) ends the line with "\r\n"; a wake-up character of `wake` ends it
 * where it is, after the line's last character (*woke gets it, *woke_state its control-key
 * state; not echoed, the line not added to the history). With ENABLE_ECHO_INPUT the edits are echoed, except for characters the
 * terminal echoed itself (CI_REC_ECHOED). Records other than key presses are dropped. End of
 * input (the terminal gone) ends the line with what it has. */
static BOOL ci_read_line(int fd, const uint8_t wake[2], const WCHAR *init, size_t ninit,
                         WCHAR *woke, DWORD *woke_state)
{
    static k32_edit ed; /* the line being edited (its buffers kept for the next read) */
    bool done = false, entered = false, alive = true;
    ci_own(fd);
    *woke = 0;
    *woke_state = 0;
    k32_edit_start(&ed, (ci_mode & CI_ENABLE_ECHO_INPUT) != 0,
                   !(ci_mode & CI_ENABLE_EXTENDED_FLAGS) || (ci_mode & CI_ENABLE_INSERT_MODE));
    k32_edit_seed(&ed, init, ninit);
    int cols;
    k32_screen_window(fd, &cols, &ed.rows);
    while (!done) {
        size_t used = 0;
        for (; used < ci_len && !done; used++) {
            const CI_INPUT_RECORD *r = &ci_q[used];
            const CI_KEY_EVENT_RECORD *k = &r->Event.Key;
            WCHAR c = k->UnicodeChar;
            bool show = !(r->pad & CI_REC_ECHOED);
            if (r->EventType != CI_KEY_EVENT || !k->bKeyDown)
                continue;
            if ((c == '\r' || c == '\n') && !ed.popup) {
                k32_edit_finish(&ed, true);
                if (show)
                    k32_edit_echo(&ed, "\r\n", 2);
                done = entered = true;
            } else if (((wake[0] && c == wake[0]) || (wake[1] && c == wake[1])) && !ed.popup) {
                *woke = c;
                *woke_state = k->dwControlKeyState;
                done = true;
            } else {
                if (ed.out_len && show && ed.popup) /* the pop-up's drawing comes after */
                    ci_echo(fd, ed.out, ed.out_len), ed.out_len = 0;
                k32_edit_key(&ed, k->wVirtualKeyCode, c == '\n' ? '\r' : c,
                             k->dwControlKeyState, show);
                if (ed.popup_changed)
                    ci_popup_show(fd, &ed);
                if (ed.run) { /* F7's Enter: the command chosen is entered */
                    k32_edit_finish(&ed, true);
                    k32_edit_echo(&ed, "\r\n", 2);
                    done = entered = true;
                }
            }
            if (ed.out_len > 4096)
                ci_echo(fd, ed.out, ed.out_len), ed.out_len = 0;
        }
        ci_take(used);
        if (ed.out_len)
            ci_echo(fd, ed.out, ed.out_len), ed.out_len = 0;
        if (done || !alive)
            break;
        alive = ci_fill(fd);
        if (ci_len || !alive)
            continue;
        thk_held_mutex_unlock(&ci_lock);
        ci_sleep(fd);
        thk_held_mutex_lock(&ci_lock);
        alive = ci_fill(fd);
    }
    if (ci_pop.shown) { /* the read ended with a pop-up open */
        ed.popup = K32_POPUP_NONE;
        ci_popup_restore(fd);
    }
    if ((ed.len && !ci_line_add(ed.buf, ed.len)) || (entered && !ci_line_add(u"\r\n", 2)) ||
        (*woke && !ci_line_add(woke, 1))) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}

/* Raw input: the characters of key presses, at least one (waits), at most n. */
static size_t ci_read_chars(int fd, WCHAR *out, size_t n)
{
    size_t got = 0;
    ci_own(fd);
    for (;;) {
        bool alive = ci_fill(fd);
        size_t used = 0;
        for (; used < ci_len && got < n; used++) {
            const CI_INPUT_RECORD *r = &ci_q[used];
            if (r->EventType == CI_KEY_EVENT && r->Event.Key.bKeyDown && r->Event.Key.UnicodeChar)
                out[got++] = r->Event.Key.UnicodeChar;
        }
        ci_take(used);
        if (got || !alive) /* the terminal gone: nothing more will come */
            return got;
        thk_held_mutex_unlock(&ci_lock);
        ci_sleep(fd);
        thk_held_mutex_lock(&ci_lock);
    }
}

/* The first two control characters of a wake-up mask, as terminal line ends. */
static void ci_wake_chars(ULONG mask, uint8_t wake[2])
{
    wake[0] = wake[1] = 0;
    for (unsigned c = 1, k = 0; c < 32 && k < 2; c++)
        if ((mask & (1u << c)) && c != '\r' && c != '\n')
            wake[k++] = (uint8_t)c;
}

/* ReadConsoleW on the terminal fd: into buf (the caller's memory, or the runtime's). */
static BOOL ci_read_console_fd(int fd, WCHAR *buf, DWORD n, DWORD *nread, void *control)
{
    CI_READCONSOLE_CONTROL ctl = {0};
    if (nread)
        *nread = 0;
    if (control && (nt_copy_from_user(&ctl, control, sizeof ctl) != 0 ||
                    ctl.nLength != sizeof ctl || ctl.nInitialChars > n)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    size_t initial = control ? ctl.nInitialChars : 0, take = 0;
    WCHAR woke = 0;
    thk_held_mutex_lock(&ci_lock);
    if (!(ci_mode & CI_ENABLE_LINE_INPUT) && !ci_line_len) {
        WCHAR tmp[1024];
        size_t want = n - initial > 1024 ? 1024 : n - initial;
        take = want ? ci_read_chars(fd, tmp, want) : 0;
        thk_held_mutex_unlock(&ci_lock);
        if (take && nt_copy_to_user(buf + initial, tmp, take * sizeof *tmp) != 0) {
            thk_set_last_error(CI_ERROR_NOACCESS);
            return FALSE;
        }
        ci_kick();
        if (nread)
            *nread = (DWORD)(initial + take);
        return TRUE;
    }
    DWORD woke_state = 0;
    size_t base = initial; /* where the line goes in buf */
    if (!ci_line_len) {
        /* the initial characters begin the line, editable (Backspace can take them back), as
         * the console host edits them: the whole line is returned from buf[0] */
        uint8_t wake[2];
        WCHAR *init = initial ? malloc(initial * sizeof *init) : NULL;
        if (initial && (!init || nt_copy_from_user(init, buf, initial * sizeof *init) != 0)) {
            thk_held_mutex_unlock(&ci_lock);
            free(init);
            thk_set_last_error(init ? CI_ERROR_NOACCESS : ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        ci_wake_chars(ctl.dwCtrlWakeupMask, wake);
        BOOL ok = ci_read_line(fd, wake, init, initial, &woke, &woke_state);
        free(init);
        if (!ok) {
            thk_held_mutex_unlock(&ci_lock);
            return FALSE;
        }
        base = 0;
    }
    size_t room = n - base;
    take = ci_line_len < room ? ci_line_len : room;
    bool fault = take && nt_copy_to_user(buf + base, ci_line, take * sizeof *ci_line) != 0;
    if (!fault) {
        memmove(ci_line, ci_line + take, (ci_line_len - take) * sizeof *ci_line);
        ci_line_len -= take;
    }
    thk_held_mutex_unlock(&ci_lock);
    ci_kick();
    if (fault) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    if (control && woke) {
        ctl.dwControlKeyState = woke_state;
        nt_copy_to_user(control, &ctl, sizeof ctl);
    }
    if (nread)
        *nread = (DWORD)(base + take);
    return TRUE;
}

static BOOL ci_read_console(HANDLE h, WCHAR *buf, DWORD n, DWORD *nread, void *control)
{
    int fd = ci_input_fd(h);
    if (fd < 0) {
        if (nread)
            *nread = 0;
        return FALSE;
    }
    return ci_read_console_fd(fd, buf, n, nread, control);
}

BOOL WINAPI ReadConsoleW(HANDLE h, WCHAR *buf, DWORD n, DWORD *nread, void *control)
{
    return ci_read_console(h, buf, n, nread, control);
}
THK_EXPORT(kernel32, ReadConsoleW, 5);

/* The bytes of a character ReadConsoleA (or ReadFile) had no room for: the next read's first
 * (under ci_lock). */
static char ci_a_rest[8];
static size_t ci_a_rest_len;

/* ReadConsoleA's bytes into out (the runtime's memory), at most n: the terminal is UTF-8, so
 * the characters are read as UTF-16 and converted back; a character that does not fit whole
 * is kept for the next read, and a surrogate pair is never split. */
static BOOL ci_read_a(int fd, char *out, size_t n, size_t *got)
{
    *got = 0;
    if (!n)
        return TRUE;
    thk_held_mutex_lock(&ci_lock);
    if (ci_a_rest_len) {
        size_t k = ci_a_rest_len < n ? ci_a_rest_len : n;
        memcpy(out, ci_a_rest, k);
        memmove(ci_a_rest, ci_a_rest + k, ci_a_rest_len - k);
        ci_a_rest_len -= k;
        thk_held_mutex_unlock(&ci_lock);
        *got = k;
        return TRUE;
    }
    thk_held_mutex_unlock(&ci_lock);
    WCHAR w[1025];
    DWORD units = 0, more = 0;
    size_t want = n / 3 < 1 ? 1 : n / 3 > 1024 ? 1024 : n / 3; /* 3 bytes a unit at most */
    if (!ci_read_console_fd(fd, w, (DWORD)want, &units, NULL))
        return FALSE;
    if (units && w[units - 1] >= 0xd800 && w[units - 1] < 0xdc00 &&
        ci_read_console_fd(fd, w + units, 1, &more, NULL)) /* the pair's low half */
        units += more;
    size_t alen = 0;
    char *a = units ? nt_utf16_to_utf8(w, units, &alen) : NULL;
    if (units && !a) {
        thk_set_last_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    size_t k = alen < n ? alen : n;
    memcpy(out, a, k);
    if (alen > k) {
        thk_held_mutex_lock(&ci_lock);
        memcpy(ci_a_rest, a + k, alen - k); /* at most 3 bytes (one character, n < 3) */
        ci_a_rest_len = alen - k;
        thk_held_mutex_unlock(&ci_lock);
    }
    free(a);
    *got = k;
    return TRUE;
}

BOOL WINAPI ReadConsoleA(HANDLE h, char *buf, DWORD n, DWORD *nread, void *control)
{
    char tmp[4096];
    size_t got = 0;
    if (nread)
        *nread = 0;
    int fd = ci_input_fd(h);
    if (fd < 0 || !ci_read_a(fd, tmp, n < sizeof tmp ? n : sizeof tmp, &got))
        return FALSE;
    if (got && nt_copy_to_user(buf, tmp, got) != 0) {
        thk_set_last_error(CI_ERROR_NOACCESS);
        return FALSE;
    }
    if (nread)
        *nread = (DWORD)got;
    return TRUE;
}
THK_EXPORT(kernel32, ReadConsoleA, 5);

/* ntemu's reader for NtReadFile (and so ReadFile, the CRT's _read) on a console input handle:
 * ReadConsoleA's bytes, as Windows' ReadFile reads a console. With ENABLE_PROCESSED_INPUT a
 * read whose first byte is ^Z (Windows' end of input) gives 0 bytes, the end of the input;
 * so does ^D, a Unix terminal's habit (Wine's kernelbase takes both too). */
static NTSTATUS ci_nt_read(int fd, void *buf, size_t n, size_t *got)
{
    char tmp[4096];
    size_t k = 0;
    *got = 0;
    if (!ci_read_a(fd, tmp, n < sizeof tmp ? n : sizeof tmp, &k))
        return STATUS_UNSUCCESSFUL;
    if (k && (ci_mode & CI_ENABLE_PROCESSED_INPUT) && (tmp[0] == 0x1a || tmp[0] == 0x04))
        k = 0;
    if (k && nt_copy_to_user(buf, tmp, k) != 0)
        return STATUS_ACCESS_VIOLATION;
    *got = k;
    return STATUS_SUCCESS;
}

/* ---- the cursor position ----
 * A terminal keeps its cursor, and only it knows where text it was sent has left it. So
 * GetConsoleScreenBufferInfo asks it (DSR 6, ESC [ 6 n) when the output is the terminal the
 * input buffer reads, and the answer (ESC [ row ; col R) is taken out of the input stream by
 * the decoder; keys typed meanwhile stay in the input buffer. The wait is bounded
 * (CI_DSR_WAIT_MS): a terminal that does not answer is not asked again, and the last position
 * known stands. The answer holds until something is written to the terminal (ntemu counts the
 * writes); SetConsoleCursorPosition sets it, and drawing that puts the cursor back (ESC 7 ...
 * ESC 8, console_screen.c) keeps it. Under ci_lock. */
#define CI_DSR_WAIT_MS 500

static struct {
    bool known;
    uint64_t writes; /* nt_console_output_count() when it was known */
    int16_t x, y;
} ci_cursor; /* under ci_cursor_lock, a leaf (taken under ci_lock too: the echo is followed) */
static pthread_mutex_t ci_cursor_lock = PTHREAD_MUTEX_INITIALIZER;
static bool ci_dsr_mute; /* the terminal did not answer: not asked again */

HANDLE WINAPI GetStdHandle(DWORD which); /* process.c */

/* The terminal device behind fd: /dev/tty (CONIN$, CONOUT$) stands for the controlling
 * terminal, whose device /proc/self/stat gives (tty_nr, the 7th field). */
static bool ci_tty_dev(int fd, dev_t *dev)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode))
        return false;
    *dev = st.st_rdev;
    if (st.st_rdev != makedev(5, 0))
        return true;
    char buf[512];
    int f = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    ssize_t n = f >= 0 ? read(f, buf, sizeof buf - 1) : -1;
    if (f >= 0)
        close(f);
    if (n <= 0)
        return false;
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* after the command's name, which may hold anything */
    unsigned long nr = 0;
    if (!p || sscanf(p + 1, " %*c %*d %*d %*d %lu", &nr) != 1 || !nr)
        return false;
    *dev = makedev((nr >> 8) & 0xfff, (nr & 0xff) | ((nr >> 12) & 0xfff00));
    return true;
}

/* The input buffer's terminal fd when it is the terminal out_fd writes to, or -1. */
static int ci_same_terminal(int out_fd)
{
    bool input = false;
    dev_t a, b;
    int in_fd = k32_console_fd(GetStdHandle(STD_INPUT_HANDLE), &input);
    if (in_fd < 0 || !input || !ci_tty_dev(in_fd, &a) || !ci_tty_dev(out_fd, &b) || a != b)
        return -1;
    return in_fd;
}

/* Asks the terminal (under ci_lock); true with the answer in ci_cpr_row/col. */
static bool ci_ask_cursor(int in_fd, int out_fd)
{
    size_t queued = ci_len;
    ci_own(in_fd); /* the answer comes without an Enter, and is not echoed */
    ci_cpr_wanted = true;
    ci_cpr_got = false;
    if (write(out_fd, "\x1b[6n", 4) != 4) {
        ci_cpr_wanted = false;
        return false;
    }
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (!ci_fill(in_fd) || ci_cpr_got)
            break;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = CI_DSR_WAIT_MS - ((now.tv_sec - t0.tv_sec) * 1000 +
                                    (now.tv_nsec - t0.tv_nsec) / 1000000);
        if (ms <= 0)
            break;
        struct pollfd p = {in_fd, POLLIN, 0};
        if (poll(&p, 1, (int)ms) < 0 && errno != EINTR)
            break;
    }
    ci_cpr_wanted = false;
    if (ci_len != queued)
        ci_kick(); /* keys typed meanwhile: waiters look again */
    return ci_cpr_got;
}

bool k32_con_cursor(int out_fd, int16_t *x, int16_t *y)
{
    uint64_t writes = nt_console_output_count();
    thk_held_mutex_lock(&ci_lock);
    pthread_mutex_lock(&ci_cursor_lock);
    bool current = ci_cursor.known && ci_cursor.writes == writes;
    pthread_mutex_unlock(&ci_cursor_lock);
    if (!current && !ci_dsr_mute) {
        int in_fd = ci_same_terminal(out_fd);
        if (in_fd >= 0 && ci_ask_cursor(in_fd, out_fd)) {
            int top = k32_screen_origin_top(out_fd); /* origin mode: rows from the top margin */
            pthread_mutex_lock(&ci_cursor_lock);
            ci_cursor.known = true;
            ci_cursor.writes = writes;
            ci_cursor.x = (int16_t)(ci_cpr_col - 1);
            ci_cursor.y = (int16_t)(ci_cpr_row - 1 + top);
            pthread_mutex_unlock(&ci_cursor_lock);
        } else if (in_fd >= 0) {
            ci_dsr_mute = true;
        }
    }
    pthread_mutex_lock(&ci_cursor_lock);
    bool known = ci_cursor.known;
    *x = known ? ci_cursor.x : 0;
    *y = known ? ci_cursor.y : 0;
    pthread_mutex_unlock(&ci_cursor_lock);
    thk_held_mutex_unlock(&ci_lock);
    return known;
}

void k32_con_cursor_set(int16_t x, int16_t y)
{
    pthread_mutex_lock(&ci_cursor_lock);
    ci_cursor.known = true;
    ci_cursor.writes = nt_console_output_count();
    ci_cursor.x = x;
    ci_cursor.y = y;
    pthread_mutex_unlock(&ci_cursor_lock);
}

bool k32_con_cursor_at(uint64_t writes, int16_t *x, int16_t *y)
{
    /* the usual answer (not known) without the lock */
    if (!__atomic_load_n(&ci_cursor.known, __ATOMIC_RELAXED) ||
        __atomic_load_n(&ci_cursor.writes, __ATOMIC_RELAXED) != writes)
        return false;
    pthread_mutex_lock(&ci_cursor_lock);
    bool known = ci_cursor.known && ci_cursor.writes == writes;
    *x = ci_cursor.x;
    *y = ci_cursor.y;
    pthread_mutex_unlock(&ci_cursor_lock);
    return known;
}

void k32_con_cursor_moved(uint64_t writes_before, uint64_t writes_after, int16_t x, int16_t y,
                          bool found)
{
    pthread_mutex_lock(&ci_cursor_lock);
    if (found || (ci_cursor.known && ci_cursor.writes == writes_before)) {
        ci_cursor.known = true;
        ci_cursor.writes = writes_after;
        ci_cursor.x = x;
        ci_cursor.y = y;
    }
    pthread_mutex_unlock(&ci_cursor_lock);
}

void k32_con_cursor_kept(uint64_t writes_before)
{
    pthread_mutex_lock(&ci_cursor_lock);
    if (ci_cursor.known && ci_cursor.writes == writes_before)
        ci_cursor.writes = nt_console_output_count();
    pthread_mutex_unlock(&ci_cursor_lock);
}
