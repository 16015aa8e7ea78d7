/* SPDX-License-Identifier: MIT */
/* user32 message boxes for console programs: MessageBoxW/A, MessageBoxExW/A,
 * MessageBoxIndirectW/A and MessageBoxTimeoutW/A print the box to the program's standard error
 * and return at once with the default button's id: there is no desktop and no one to click.
 *
 * The box is printed as Windows copies a message box to the clipboard (Ctrl+C on the box), with
 * Linux line ends and the answer given in brackets:
 *     ---------------------------
 *     Caption
 *     ---------------------------
 *     Text
 *     ---------------------------
 *     [OK]   Cancel
 *     ---------------------------
 * MB_HELP adds a Help button last. A NULL caption is "Error" (Windows' default); a NULL text
 * is an empty body. To a console the
 * box goes through WriteConsoleW (the terminal gets UTF-8 whatever the console code page); to a
 * file or pipe it is written in UTF-8, ntrun's ANSI code page, so no character is lost.
 *
 * The answer: the button MB_DEFBUTTON1..4 names among the type's buttons (Wine's order: Yes, No,
 * OK, Abort, Retry, Cancel, Ignore, Try Again, Continue); a default beyond the last button, or on
 * MB_HELP's Help button (which closes nothing), is the first button. A type above
 * MB_CANCELTRYCONTINUE fails with 0 and ERROR_INVALID_MSGBOX_STYLE, an owner that is not a
 * window with 0 and ERROR_INVALID_WINDOW_HANDLE, as Windows 10 does. (Wine 8.0 without a display
 * prints nothing and returns -1, ERROR_INVALID_WINDOW_HANDLE: it cannot make the dialog.) */
#include <stdlib.h>
#include <string.h>
#include "thunks/user32/user32_private.h"

HANDLE WINAPI GetStdHandle(DWORD which);
BOOL WINAPI GetConsoleMode(HANDLE h, DWORD *mode);
BOOL WINAPI WriteConsoleW(HANDLE h, const void *buf, DWORD n, DWORD *written, void *reserved);
BOOL WINAPI WriteFile(HANDLE h, const void *buf, DWORD n, DWORD *written, void *ov);
int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst,
                               int dstlen);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used);
BOOL WINAPI IsWindow(HWND hwnd);
int WINAPI LoadStringW(HMODULE mod, UINT id, WCHAR *buf, int size);

#define U32_STD_ERROR_HANDLE ((DWORD)-12)
#define U32_CP_UTF8 65001
#define U32_ERROR_INVALID_MSGBOX_STYLE 1438

#define U32_MB_TYPEMASK 0x0000000fu
#define U32_MB_DEFMASK 0x00000f00u
#define U32_MB_HELP 0x00004000u

enum { U32_IDOK = 1, U32_IDCANCEL, U32_IDABORT, U32_IDRETRY, U32_IDIGNORE, U32_IDYES, U32_IDNO,
       U32_IDTRYAGAIN = 10, U32_IDCONTINUE };

/* MSGBOXPARAMSW and MSGBOXPARAMSA (the same layout with char strings) */
typedef struct {
    UINT cbSize;               /* 0x00 */
    uint32_t pad0;
    HWND hwndOwner;            /* 0x08 */
    HMODULE hInstance;         /* 0x10 */
    const void *lpszText;      /* 0x18 */
    const void *lpszCaption;   /* 0x20 */
    DWORD dwStyle;             /* 0x28 */
    uint32_t pad1;
    const void *lpszIcon;      /* 0x30 */
    ULONG_PTR dwContextHelpId; /* 0x38 */
    void *lpfnMsgBoxCallback;  /* 0x40 */
    DWORD dwLanguageId;        /* 0x48 */
    uint32_t pad2;
} u32_msgboxparams;
_Static_assert(sizeof(u32_msgboxparams) == 0x50, "MSGBOXPARAMS");
_Static_assert(offsetof(u32_msgboxparams, dwStyle) == 0x28, "MSGBOXPARAMS.dwStyle");
_Static_assert(offsetof(u32_msgboxparams, dwLanguageId) == 0x48, "MSGBOXPARAMS.dwLanguageId");

/* The buttons of each MB_TYPEMASK value, left to right, ended by 0. */
static const uint8_t u32_mb_buttons[][4] = {
    {U32_IDOK},                                     /* MB_OK */
    {U32_IDOK, U32_IDCANCEL},                       /* MB_OKCANCEL */
    {U32_IDABORT, U32_IDRETRY, U32_IDIGNORE},       /* MB_ABORTRETRYIGNORE */
    {U32_IDYES, U32_IDNO, U32_IDCANCEL},            /* MB_YESNOCANCEL */
    {U32_IDYES, U32_IDNO},                          /* MB_YESNO */
    {U32_IDRETRY, U32_IDCANCEL},                    /* MB_RETRYCANCEL */
    {U32_IDCANCEL, U32_IDTRYAGAIN, U32_IDCONTINUE}, /* MB_CANCELTRYCONTINUE */
};

static const char *u32_mb_label(int id)
{
    /* (characters, not pointers: no relocation at start-up, cli.startup_order) */
    static const char names[][10] = {"", "OK", "Cancel", "Abort", "Retry", "Ignore", "Yes",
                                     "No", "", "", "Try Again", "Continue"};
    return id > 0 && id < (int)(sizeof names / sizeof names[0]) ? names[id] : "";
}

/* A growing UTF-16 buffer; ok goes false when memory runs out. */
typedef struct {
    WCHAR *p;
    size_t len, cap;
    bool ok;
} u32_wbuf;

static void u32_wbuf_put(u32_wbuf *b, const WCHAR *s, size_t n)
{
    if (!b->ok)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        WCHAR *p = realloc(b->p, cap * sizeof *p);
        if (!p) {
            b->ok = false;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n * sizeof *s);
    b->len += n;
}

static void u32_wbuf_ascii(u32_wbuf *b, const char *s)
{
    for (; *s; s++) {
        WCHAR c = (unsigned char)*s;
        u32_wbuf_put(b, &c, 1);
    }
}

/* s (NUL-terminated, or NULL: empty) as lines: CR LF and a lone CR become LF; a final LF is
 * added (an empty s is one empty line). */
static void u32_wbuf_lines(u32_wbuf *b, const WCHAR *s)
{
    static const WCHAR lf = '\n';
    size_t start = b->len;
    for (; s && *s; s++) {
        if (*s == '\r') {
            u32_wbuf_put(b, &lf, 1);
            if (s[1] == '\n')
                s++;
        } else {
            u32_wbuf_put(b, s, 1);
        }
    }
    if (b->ok && (b->len == start || b->p[b->len - 1] != '\n'))
        u32_wbuf_put(b, &lf, 1);
}

/* The program's standard error: WriteConsoleW to a console, UTF-8 to anything else. */
static void u32_write_stderr(const WCHAR *s, size_t n)
{
    HANDLE h = GetStdHandle(U32_STD_ERROR_HANDLE);
    DWORD mode, done;
    if (!h || h == (HANDLE)(intptr_t)-1 || !n)
        return;
    if (GetConsoleMode(h, &mode)) {
        WriteConsoleW(h, s, (DWORD)n, &done, NULL);
        return;
    }
    int len = WideCharToMultiByte(U32_CP_UTF8, 0, s, (int)n, NULL, 0, NULL, NULL);
    char *u8 = len > 0 ? malloc((size_t)len) : NULL;
    if (!u8)
        return;
    WideCharToMultiByte(U32_CP_UTF8, 0, s, (int)n, u8, len, NULL, NULL);
    WriteFile(h, u8, (DWORD)len, &done, NULL);
    free(u8);
}

/* A string argument that may be a resource id (IS_INTRESOURCE) of hinst's string table: a
 * malloc'd copy, or NULL (no such string, or no memory). */
static WCHAR *u32_mb_resource(HMODULE hinst, const void *s)
{
    const WCHAR *p = NULL;
    int n = LoadStringW(hinst, (UINT)(uintptr_t)s, (WCHAR *)&p, 0);
    WCHAR *copy = n > 0 && p ? malloc(((size_t)n + 1) * sizeof *copy) : NULL;
    if (copy) {
        memcpy(copy, p, (size_t)n * sizeof *copy);
        copy[n] = 0;
    }
    return copy;
}

#define U32_IS_INTRESOURCE(p) ((uintptr_t)(p) >> 16 == 0)

int WINAPI MessageBoxIndirectW(const u32_msgboxparams *mb)
{
    static const WCHAR rule[] = u"---------------------------\n";
    static const WCHAR error[] = u"Error";
    UINT type = mb->dwStyle & U32_MB_TYPEMASK;
    if (type >= sizeof u32_mb_buttons / sizeof u32_mb_buttons[0]) {
        thk_set_last_error(U32_ERROR_INVALID_MSGBOX_STYLE);
        return 0;
    }
    if (mb->hwndOwner && !IsWindow(mb->hwndOwner)) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    const uint8_t *buttons = u32_mb_buttons[type];
    size_t count = 0;
    while (count < 4 && buttons[count])
        count++;
    size_t def = (mb->dwStyle & U32_MB_DEFMASK) >> 8;
    if (def >= count)
        def = 0;

    WCHAR *caption_res = NULL, *text_res = NULL;
    const WCHAR *caption = mb->lpszCaption, *text = mb->lpszText;
    if (caption && U32_IS_INTRESOURCE(caption))
        caption = caption_res = u32_mb_resource(mb->hInstance, caption);
    if (text && U32_IS_INTRESOURCE(text))
        text = text_res = u32_mb_resource(mb->hInstance, text);
    if (!caption)
        caption = error;

    u32_wbuf b = {.ok = true};
    u32_wbuf_put(&b, rule, sizeof rule / sizeof rule[0] - 1);
    u32_wbuf_lines(&b, caption);
    u32_wbuf_put(&b, rule, sizeof rule / sizeof rule[0] - 1);
    u32_wbuf_lines(&b, text);
    u32_wbuf_put(&b, rule, sizeof rule / sizeof rule[0] - 1);
    for (size_t i = 0; i < count; i++) {
        if (i)
            u32_wbuf_ascii(&b, "   ");
        u32_wbuf_ascii(&b, i == def ? "[" : "");
        u32_wbuf_ascii(&b, u32_mb_label(buttons[i]));
        u32_wbuf_ascii(&b, i == def ? "]" : "");
    }
    if (mb->dwStyle & U32_MB_HELP)
        u32_wbuf_ascii(&b, "   Help");
    u32_wbuf_ascii(&b, "\n");
    u32_wbuf_put(&b, rule, sizeof rule / sizeof rule[0] - 1);
    if (b.ok)
        u32_write_stderr(b.p, b.len);
    free(b.p);
    free(caption_res);
    free(text_res);
    return buttons[def];
}
THK_EXPORT(user32, MessageBoxIndirectW, 1);

/* An ANSI string as a malloc'd UTF-16 one (NULL stays NULL; a resource id is kept as it is). */
static WCHAR *u32_mb_widen(const char *s, bool *failed)
{
    if (!s || U32_IS_INTRESOURCE(s))
        return (WCHAR *)(uintptr_t)s;
    int n = MultiByteToWideChar(0, 0, s, -1, NULL, 0);
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (!w) {
        *failed = true;
        return NULL;
    }
    MultiByteToWideChar(0, 0, s, -1, w, n);
    return w;
}

int WINAPI MessageBoxIndirectA(const u32_msgboxparams *mb)
{
    u32_msgboxparams w = *mb;
    bool failed = false;
    WCHAR *text = u32_mb_widen(mb->lpszText, &failed);
    WCHAR *caption = u32_mb_widen(mb->lpszCaption, &failed);
    int ret = 0;
    if (failed) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        goto free_strings;
    }
    w.lpszText = text;
    w.lpszCaption = caption;
    w.lpszIcon = NULL; /* no icon is shown */
    ret = MessageBoxIndirectW(&w);
free_strings:
    if (text != mb->lpszText)
        free(text);
    if (caption != mb->lpszCaption)
        free(caption);
    return ret;
}
THK_EXPORT(user32, MessageBoxIndirectA, 1);

static u32_msgboxparams u32_mb_params(HWND hwnd, const void *text, const void *caption,
                                      UINT type, WORD lang)
{
    return (u32_msgboxparams){.cbSize = sizeof(u32_msgboxparams), .hwndOwner = hwnd,
                              .lpszText = text, .lpszCaption = caption, .dwStyle = type,
                              .dwLanguageId = lang};
}

int WINAPI MessageBoxExW(HWND hwnd, const WCHAR *text, const WCHAR *caption, UINT type, WORD lang)
{
    u32_msgboxparams mb = u32_mb_params(hwnd, text, caption, type, lang);
    return MessageBoxIndirectW(&mb);
}
THK_EXPORT(user32, MessageBoxExW, 5);

int WINAPI MessageBoxExA(HWND hwnd, const char *text, const char *caption, UINT type, WORD lang)
{
    u32_msgboxparams mb = u32_mb_params(hwnd, text, caption, type, lang);
    return MessageBoxIndirectA(&mb);
}
THK_EXPORT(user32, MessageBoxExA, 5);

int WINAPI MessageBoxW(HWND hwnd, const WCHAR *text, const WCHAR *caption, UINT type)
{
    return MessageBoxExW(hwnd, text, caption, type, 0);
}
THK_EXPORT(user32, MessageBoxW, 4);

int WINAPI MessageBoxA(HWND hwnd, const char *text, const char *caption, UINT type)
{
    return MessageBoxExA(hwnd, text, caption, type, 0);
}
THK_EXPORT(user32, MessageBoxA, 4);

/* The timeout never comes into it: the box is answered at once. */
int WINAPI MessageBoxTimeoutW(HWND hwnd, const WCHAR *text, const WCHAR *caption, UINT type,
                              WORD lang, DWORD timeout)
{
    (void)timeout;
    return MessageBoxExW(hwnd, text, caption, type, lang);
}
THK_EXPORT(user32, MessageBoxTimeoutW, 6);

int WINAPI MessageBoxTimeoutA(HWND hwnd, const char *text, const char *caption, UINT type,
                              WORD lang, DWORD timeout)
{
    (void)timeout;
    return MessageBoxExA(hwnd, text, caption, type, lang);
}
THK_EXPORT(user32, MessageBoxTimeoutA, 6);
