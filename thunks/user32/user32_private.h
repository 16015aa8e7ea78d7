/* SPDX-License-Identifier: MIT */
/* Private to the built-in user32 (thunks/user32/): what a console program takes from it.
 *   thunks/user32/string.c   LoadStringA/W (string-table resources)
 *   thunks/user32/char.c     CharUpper/CharLower/CharNext/CharPrev, IsChar*
 *   thunks/user32/wsprintf.c wsprintfA/W, wvsprintfA/W
 *   thunks/user32/window.c   window classes, the atoms they share with RegisterWindowMessage,
 *                            windows without drawing (message-only and hidden), window longs,
 *                            DefWindowProc
 *   thunks/user32/message.c  per-thread message queues: post, send, get/peek, dispatch, timers,
 *                            MsgWaitForMultipleObjects
 *   thunks/user32/msgbox.c   MessageBox*: the box printed on stderr, the default button answered
 *
 * Windows and queues: one lock (u32_lock) guards every class, window and queue. No foreign code
 * runs under it: a window procedure is called with the lock released, and a window is found
 * again by its HWND afterwards (it may have been destroyed meanwhile), never kept by pointer
 * across a call. Only the thread that owns a window calls its procedure. */
#ifndef NTRUN_THUNKS_USER32_PRIVATE_H
#define NTRUN_THUNKS_USER32_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

/* Windows' upper/lower case mapping of one UTF-16 unit (the C.UTF-8 locale's tables). */
WCHAR u32_toupper(WCHAR c);
WCHAR u32_tolower(WCHAR c);

typedef void *HWND;
typedef uint64_t WPARAM;
typedef int64_t LPARAM;
typedef int64_t LRESULT;
typedef uint16_t ATOM;
typedef uint64_t UINT_PTR;

#define U32_HWND_MESSAGE ((HWND)(intptr_t)-3)
#define U32_HWND_BROADCAST ((HWND)(uintptr_t)0xffff)

/* Win32 errors user32 sets */
#define U32_ERROR_ACCESS_DENIED 5
#define U32_ERROR_NOT_ENOUGH_MEMORY 8
#define U32_ERROR_INVALID_PARAMETER 87
#define U32_ERROR_INVALID_FLAGS 1004
#define U32_ERROR_MESSAGE_SYNC_ONLY 1159
#define U32_ERROR_INVALID_WINDOW_HANDLE 1400
#define U32_ERROR_CANNOT_FIND_WND_CLASS 1407
#define U32_ERROR_TLW_WITH_WSCHILD 1406
#define U32_ERROR_CLASS_ALREADY_EXISTS 1410
#define U32_ERROR_CLASS_DOES_NOT_EXIST 1411
#define U32_ERROR_CLASS_HAS_WINDOWS 1412
#define U32_ERROR_INVALID_INDEX 1413
#define U32_ERROR_INVALID_THREAD_ID 1444
#define U32_ERROR_TIMEOUT 1460
#define U32_ERROR_NOT_ENOUGH_QUOTA 1816

/* messages */
#define U32_WM_NULL 0x0000
#define U32_WM_CREATE 0x0001
#define U32_WM_DESTROY 0x0002
#define U32_WM_SETTEXT 0x000c
#define U32_WM_GETTEXT 0x000d
#define U32_WM_GETTEXTLENGTH 0x000e
#define U32_WM_CLOSE 0x0010
#define U32_WM_QUERYENDSESSION 0x0011
#define U32_WM_QUIT 0x0012
#define U32_WM_QUERYOPEN 0x0013
#define U32_WM_NCCREATE 0x0081
#define U32_WM_NCDESTROY 0x0082
#define U32_WM_KEYDOWN 0x0100
#define U32_WM_KEYUP 0x0101
#define U32_WM_CHAR 0x0102
#define U32_WM_SYSKEYDOWN 0x0104
#define U32_WM_SYSKEYUP 0x0105
#define U32_WM_SYSCHAR 0x0106
#define U32_WM_TIMER 0x0113
#define U32_WM_SYSTIMER 0x0118

/* MSG */
typedef struct {
    HWND hwnd;        /* 0x00 */
    UINT message;     /* 0x08 */
    uint32_t pad;
    WPARAM wParam;    /* 0x10 */
    LPARAM lParam;    /* 0x18 */
    DWORD time;       /* 0x20 */
    int32_t pt_x;     /* 0x24 */
    int32_t pt_y;     /* 0x28 */
    DWORD lPrivate;   /* 0x2c */
} u32_msg;
_Static_assert(sizeof(u32_msg) == 0x30, "MSG");
_Static_assert(offsetof(u32_msg, time) == 0x20, "MSG.time");

typedef struct u32_queue u32_queue;
typedef struct u32_class u32_class;

typedef struct u32_window {
    HWND hwnd;
    u32_class *cls;
    void *proc;          /* WNDPROC, foreign (or a built-in thunk) */
    bool unicode;        /* made by the W functions (a W class, SetWindowLongPtrW's proc) */
    bool destroying;     /* DestroyWindow under way */
    int32_t tid;         /* the owning thread */
    u32_queue *queue;    /* its queue */
    HWND parent;         /* NULL (top level), U32_HWND_MESSAGE or a window */
    HWND owner;
    uint32_t style, exstyle;
    LONG_PTR id, userdata;
    HMODULE instance;
    WCHAR *text;         /* malloc'd; NULL none */
    uint32_t nextra;     /* cbWndExtra bytes at extra */
    uint8_t *extra;
} u32_window;

extern pthread_mutex_t u32_lock;

/* Under u32_lock: the window of h, or NULL. */
u32_window *u32_win_find(HWND h);
/* Under u32_lock: is h a child (or grandchild...) of ancestor? */
bool u32_win_is_descendant(HWND h, HWND ancestor);
/* Under u32_lock: frees every window of thread tid, without messages (a thread that ends). */
void u32_win_free_thread(int32_t tid);
/* Under u32_lock: the top-level windows (not message-only) into out, at most max; their count. */
size_t u32_win_top_level(HWND *out, size_t max);

/* The calling thread's queue, made on first use (NULL when out of memory). Not under u32_lock. */
u32_queue *u32_queue_current(void);
/* Under u32_lock: the queue of thread tid, NULL when it has none. */
u32_queue *u32_queue_of(int32_t tid);
/* Under u32_lock: a window goes: its timers and the messages posted to it with it. */
void u32_queue_forget_window(u32_queue *q, HWND hwnd);
BOOL WINAPI DestroyWindow(HWND hwnd);
DWORD WINAPI GetCurrentThreadId(void);
#define u32_tid() ((int32_t)GetCurrentThreadId())
/* Calls a window procedure (lock not held). */
LRESULT u32_call_proc(void *proc, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);
/* SendMessage from inside user32 (CreateWindowEx, DestroyWindow): a direct call to the
 * procedure of a window of the calling thread; 0 when hwnd is no longer a window. */
LRESULT u32_send_local(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);

/* Under u32_lock: forget everything (libntrun's teardown, u32_reset). */
void u32_window_reset(void);
void u32_message_reset(void);

#endif
