/* SPDX-License-Identifier: MIT */
/* user32 message queues, one per thread, made on its first call that needs one (Windows makes
 * it at a thread's first user32 call; PostThreadMessage to a thread without one fails with
 * ERROR_INVALID_THREAD_ID).
 *
 * - PostMessage / PostThreadMessage append to the target queue (10000 at most:
 *   ERROR_NOT_ENOUGH_QUOTA); messages that carry pointers cannot be posted
 *   (ERROR_MESSAGE_SYNC_ONLY). PostQuitMessage sets the queue's quit flag instead.
 * - SendMessage to a window of the calling thread calls its procedure directly; to another
 *   thread's window the message waits in that queue's sent list until the thread looks at its
 *   queue (GetMessage, PeekMessage, or a SendMessage of its own that is waiting), while the
 *   sender waits for the result and meanwhile answers messages sent to itself (no deadlock
 *   when two threads send to each other). SendMessageTimeout gives up after its time-out
 *   (ERROR_TIMEOUT); SendNotifyMessage does not wait; ReplyMessage answers early.
 * - GetMessage / PeekMessage first deliver the sent messages, then take, in Windows' order:
 *   posted messages (first in, first out, hwnd and range filters; WM_QUIT passes any range),
 *   the quit flag once no posted message is left, WM_TIMER of an expired timer last.
 *   PM_QS_* flags select those kinds. GetMessage: 0 for WM_QUIT, -1 for a bad hwnd.
 * - Timers (SetTimer/KillTimer) are not queued messages: an expired timer gives one WM_TIMER
 *   when nothing else is there (several expirations give one) and runs again `rate` ms after
 *   its message is removed; DispatchMessage calls a TIMERPROC given to SetTimer.
 * - Wake bits (QS_*): what the queue holds, and what arrived since the thread last looked
 *   (GetMessage, PeekMessage, GetQueueStatus clear those of the kinds they looked for).
 *   MsgWaitForMultipleObjects(Ex) wakes on the latter, or with MWMO_INPUTAVAILABLE the former.
 *   Each queue has an auto-reset event, set on every change; a waiting thread looks again
 *   after each wake-up, so no wake-up is lost and a spurious one costs one look. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "thunks/user32/user32_private.h"

DWORD WINAPI GetTickCount(void);
DWORD WINAPI WaitForMultipleObjectsEx(DWORD n, const HANDLE *h, BOOL all, DWORD ms, BOOL alertable);

#define U32_QS_KEY 0x0001u
#define U32_QS_MOUSEMOVE 0x0002u
#define U32_QS_MOUSEBUTTON 0x0004u
#define U32_QS_POSTMESSAGE 0x0008u
#define U32_QS_TIMER 0x0010u
#define U32_QS_PAINT 0x0020u
#define U32_QS_SENDMESSAGE 0x0040u
#define U32_QS_HOTKEY 0x0080u
#define U32_QS_ALLPOSTMESSAGE 0x0100u
#define U32_QS_RAWINPUT 0x0400u
#define U32_QS_TOUCH 0x0800u
#define U32_QS_POINTER 0x1000u
#define U32_QS_INPUT (U32_QS_KEY | U32_QS_MOUSEMOVE | U32_QS_MOUSEBUTTON | U32_QS_RAWINPUT | \
                      U32_QS_TOUCH | U32_QS_POINTER)
#define U32_QS_ALLINPUT (U32_QS_INPUT | U32_QS_POSTMESSAGE | U32_QS_TIMER | U32_QS_PAINT | \
                         U32_QS_HOTKEY | U32_QS_SENDMESSAGE)
#define U32_QS_VALID (U32_QS_ALLINPUT | U32_QS_ALLPOSTMESSAGE)

#define U32_PM_REMOVE 0x0001u
#define U32_PM_NOYIELD 0x0002u
#define U32_MWMO_WAITALL 0x0001u
#define U32_MWMO_ALERTABLE 0x0002u
#define U32_MWMO_INPUTAVAILABLE 0x0004u
#define U32_WAIT_OBJECT_0 0u
#define U32_WAIT_TIMEOUT 0x102u
#define U32_WAIT_FAILED 0xffffffffu
#define U32_INFINITE 0xffffffffu
#define U32_MAX_POSTED 10000
#define U32_TIMER_MIN 10u          /* USER_TIMER_MINIMUM */
#define U32_TIMER_MAX 0x7fffffffu  /* USER_TIMER_MAXIMUM */

typedef struct u32_posted {
    struct u32_posted *next;
    u32_msg msg;
} u32_posted;

/* A message sent to another thread. Two references: the sender's (dropped when it has the
 * result or gave up) and the receiver's (dropped once answered or discarded). */
typedef struct u32_sent {
    struct u32_sent *next;
    HWND hwnd;
    UINT msg;
    WPARAM wp;
    LPARAM lp;
    LRESULT result;
    u32_queue *sender;     /* NULL: nobody waits (SendNotifyMessage, a sender that gave up) */
    bool replied;
    int refs;
    struct u32_sent *outer; /* the message the receiver was answering before this one */
} u32_sent;

typedef struct u32_timer {
    struct u32_timer *next;
    HWND hwnd;
    uintptr_t id;
    void *proc;
    uint32_t rate;
    int64_t due;           /* monotonic ms */
    bool noticed;          /* this expiry has set QS_TIMER among the new bits */
} u32_timer;

struct u32_queue {
    u32_queue *next;
    int32_t tid;
    HANDLE event;          /* auto-reset, set on every change */
    u32_posted *post_head, **post_tail;
    uint32_t nposted;
    u32_sent *sent_head, **sent_tail; /* sent to this thread, not yet delivered */
    u32_sent *receiving;   /* the sent message being answered (InSendMessage) */
    bool quit;
    int32_t quit_code;
    u32_timer *timers;
    uint32_t changed;      /* QS bits that arrived since the thread last looked */
    DWORD last_time;       /* GetMessageTime */
};

static u32_queue *u32_queues;
static uintptr_t u32_next_timer_id = 1;

static int64_t u32_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void u32_wake(u32_queue *q) { NtSetEvent(q->event, NULL); }

/* ---- queues ---- */
u32_queue *u32_queue_of(int32_t tid)
{
    for (u32_queue *q = u32_queues; q; q = q->next)
        if (q->tid == tid)
            return q;
    return NULL;
}

static void u32_sent_put(u32_sent *s)
{
    if (--s->refs == 0)
        free(s);
}

/* Under u32_lock: answers s (the sender, if still waiting, wakes). */
static void u32_reply(u32_sent *s, LRESULT r)
{
    if (s->replied)
        return;
    s->replied = true;
    s->result = r;
    if (s->sender)
        u32_wake(s->sender);
}

/* A queue taken off the list: its posted messages, timers, event and itself (sent messages,
 * which have senders to answer, are the caller's). */
static void u32_queue_free(u32_queue *q)
{
    while (q->post_head) {
        u32_posted *p = q->post_head;
        q->post_head = p->next;
        free(p);
    }
    while (q->timers) {
        u32_timer *t = q->timers;
        q->timers = t->next;
        free(t);
    }
    NtClose(q->event);
    free(q);
}

/* A thread that had a queue ends: its windows go (without messages, as Windows does for a
 * thread that ends), messages sent to it are answered with 0. */
static void u32_thread_detach(void)
{
    int32_t tid = u32_tid();
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = NULL;
    for (u32_queue **l = &u32_queues; *l; l = &(*l)->next)
        if ((*l)->tid == tid) {
            q = *l;
            *l = q->next;
            break;
        }
    if (!q) {
        pthread_mutex_unlock(&u32_lock);
        return;
    }
    u32_win_free_thread(tid);
    while (q->sent_head) {
        u32_sent *s = q->sent_head;
        q->sent_head = s->next;
        u32_reply(s, 0);
        u32_sent_put(s);
    }
    pthread_mutex_unlock(&u32_lock);
    u32_queue_free(q);
}

u32_queue *u32_queue_current(void)
{
    int32_t tid = u32_tid();
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = u32_queue_of(tid);
    pthread_mutex_unlock(&u32_lock);
    if (q)
        return q;
    q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    if (NtCreateEvent(&q->event, 0x1f0003 /* EVENT_ALL_ACCESS */, NULL, NT_SYNCHRONIZATION_EVENT,
                      0) != STATUS_SUCCESS) {
        free(q);
        return NULL;
    }
    q->tid = tid;
    q->post_tail = &q->post_head;
    q->sent_tail = &q->sent_head;
    rt_on_thread_detach(u32_thread_detach); /* idempotent; the main thread has none */
    pthread_mutex_lock(&u32_lock);
    q->next = u32_queues;
    u32_queues = q;
    pthread_mutex_unlock(&u32_lock);
    return q;
}

void u32_queue_forget_window(u32_queue *q, HWND hwnd)
{
    for (u32_timer **l = &q->timers; *l;) {
        u32_timer *t = *l;
        if (t->hwnd == hwnd) {
            *l = t->next;
            free(t);
        } else {
            l = &t->next;
        }
    }
    u32_posted **l = &q->post_head;
    q->post_tail = &q->post_head;
    while (*l) {
        u32_posted *p = *l;
        if (p->msg.hwnd == hwnd) {
            *l = p->next;
            q->nposted--;
            free(p);
        } else {
            q->post_tail = &p->next;
            l = &p->next;
        }
    }
}

void u32_message_reset(void)
{
    while (u32_queues) {
        u32_queue *q = u32_queues;
        u32_queues = q->next;
        while (q->sent_head) { /* their senders have ended with the program */
            u32_sent *s = q->sent_head;
            q->sent_head = s->next;
            free(s);
        }
        u32_queue_free(q);
    }
    u32_next_timer_id = 1;
}

void u32_reset(void)
{
    pthread_mutex_lock(&u32_lock);
    u32_message_reset();
    u32_window_reset();
    pthread_mutex_unlock(&u32_lock);
}

/* ---- calling window procedures ---- */
LRESULT u32_call_proc(void *proc, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return (LRESULT)thk_call_foreign4(proc, (uint64_t)(uintptr_t)hwnd, msg, wp, (uint64_t)lp);
}

LRESULT u32_send_local(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    void *proc = w ? w->proc : NULL;
    pthread_mutex_unlock(&u32_lock);
    return proc ? u32_call_proc(proc, hwnd, msg, wp, lp) : 0;
}

/* Under u32_lock (released while the procedure runs): delivers the first message sent to q's
 * thread. False when there is none. */
static bool u32_receive_one(u32_queue *q)
{
    u32_sent *s = q->sent_head;
    if (!s)
        return false;
    if (!(q->sent_head = s->next))
        q->sent_tail = &q->sent_head;
    s->outer = q->receiving;
    q->receiving = s;
    u32_window *w = u32_win_find(s->hwnd);
    void *proc = w ? w->proc : NULL;
    pthread_mutex_unlock(&u32_lock);
    LRESULT r = proc ? u32_call_proc(proc, s->hwnd, s->msg, s->wp, s->lp) : 0;
    pthread_mutex_lock(&u32_lock);
    q->receiving = s->outer;
    u32_reply(s, r);
    u32_sent_put(s);
    return true;
}

/* ---- posting ---- */
/* Messages whose parameters point at memory the sender owns: SendMessage only. */
static bool u32_sync_only(UINT msg)
{
    switch (msg) {
    case U32_WM_CREATE:
    case U32_WM_SETTEXT:
    case U32_WM_GETTEXT:
    case 0x0024: /* WM_GETMINMAXINFO */
    case 0x0046: /* WM_WINDOWPOSCHANGING */
    case 0x0047: /* WM_WINDOWPOSCHANGED */
    case 0x004a: /* WM_COPYDATA */
    case U32_WM_NCCREATE:
    case 0x0083: /* WM_NCCALCSIZE */
        return true;
    default:
        return false;
    }
}

/* Under u32_lock. 0 or a Win32 error. */
static uint32_t u32_post(u32_queue *q, HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (q->nposted >= U32_MAX_POSTED)
        return U32_ERROR_NOT_ENOUGH_QUOTA;
    u32_posted *p = calloc(1, sizeof *p);
    if (!p)
        return U32_ERROR_NOT_ENOUGH_MEMORY;
    p->msg.hwnd = hwnd;
    p->msg.message = msg;
    p->msg.wParam = wp;
    p->msg.lParam = lp;
    p->msg.time = GetTickCount();
    *q->post_tail = p;
    q->post_tail = &p->next;
    q->nposted++;
    q->changed |= U32_QS_POSTMESSAGE | U32_QS_ALLPOSTMESSAGE;
    u32_wake(q);
    return 0;
}

static BOOL u32_post_message(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (u32_sync_only(msg)) {
        thk_set_last_error(U32_ERROR_MESSAGE_SYNC_ONLY);
        return FALSE;
    }
    u32_queue *self = hwnd ? NULL : u32_queue_current();
    if (!hwnd && !self) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    pthread_mutex_lock(&u32_lock);
    uint32_t err = 0;
    if (!hwnd) {
        err = u32_post(self, NULL, msg, wp, lp);
    } else if (hwnd == U32_HWND_BROADCAST) { /* every top-level window */
        HWND all[256];
        size_t n = u32_win_top_level(all, 256);
        for (size_t i = 0; i < n; i++) {
            u32_window *w = u32_win_find(all[i]);
            u32_post(w->queue, w->hwnd, msg, wp, lp);
        }
    } else {
        u32_window *w = u32_win_find(hwnd);
        err = w ? u32_post(w->queue, w->hwnd, msg, wp, lp) : U32_ERROR_INVALID_WINDOW_HANDLE;
    }
    pthread_mutex_unlock(&u32_lock);
    if (err) {
        thk_set_last_error(err);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI PostMessageW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return u32_post_message(hwnd, msg, wp, lp);
}
THK_EXPORT(user32, PostMessageW, 4);

BOOL WINAPI PostMessageA(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return u32_post_message(hwnd, msg, wp, lp);
}
THK_EXPORT(user32, PostMessageA, 4);

BOOL WINAPI PostThreadMessageW(DWORD tid, UINT msg, WPARAM wp, LPARAM lp)
{
    if (u32_sync_only(msg)) {
        thk_set_last_error(U32_ERROR_MESSAGE_SYNC_ONLY);
        return FALSE;
    }
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = u32_queue_of((int32_t)tid);
    uint32_t err = q ? u32_post(q, NULL, msg, wp, lp) : U32_ERROR_INVALID_THREAD_ID;
    pthread_mutex_unlock(&u32_lock);
    if (err) {
        thk_set_last_error(err);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT(user32, PostThreadMessageW, 4);

BOOL WINAPI PostThreadMessageA(DWORD tid, UINT msg, WPARAM wp, LPARAM lp)
{
    return PostThreadMessageW(tid, msg, wp, lp);
}
THK_EXPORT(user32, PostThreadMessageA, 4);

void WINAPI PostQuitMessage(int code)
{
    u32_queue *q = u32_queue_current();
    if (!q)
        return;
    pthread_mutex_lock(&u32_lock);
    q->quit = true;
    q->quit_code = code;
    q->changed |= U32_QS_POSTMESSAGE | U32_QS_ALLPOSTMESSAGE;
    u32_wake(q);
    pthread_mutex_unlock(&u32_lock);
}
THK_EXPORT(user32, PostQuitMessage, 1);

/* ---- sending ---- */
#define U32_SMTO_BLOCK 0x0001u

/* SendMessageTimeout's work. *ok false with the last error set on failure. notify: do not
 * wait (SendNotifyMessage). */
static LRESULT u32_send(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, uint32_t timeout_ms,
                        bool notify, bool *ok)
{
    *ok = false;
    int32_t self_tid = u32_tid();
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(hwnd);
    if (!w) {
        pthread_mutex_unlock(&u32_lock);
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    hwnd = w->hwnd;
    if (w->tid == self_tid) {
        void *proc = w->proc;
        pthread_mutex_unlock(&u32_lock);
        *ok = true;
        return proc ? u32_call_proc(proc, hwnd, msg, wp, lp) : 0;
    }
    pthread_mutex_unlock(&u32_lock);
    u32_queue *self = notify ? NULL : u32_queue_current();
    u32_sent *s = calloc(1, sizeof *s);
    if (!s || (!notify && !self)) {
        free(s);
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    s->hwnd = hwnd;
    s->msg = msg;
    s->wp = wp;
    s->lp = lp;
    s->sender = self;
    s->refs = notify ? 1 : 2;
    pthread_mutex_lock(&u32_lock);
    w = u32_win_find(hwnd); /* again: it may have gone meanwhile */
    if (!w) {
        pthread_mutex_unlock(&u32_lock);
        free(s);
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    u32_queue *q = w->queue;
    *q->sent_tail = s;
    q->sent_tail = &s->next;
    q->changed |= U32_QS_SENDMESSAGE;
    u32_wake(q);
    if (notify) {
        pthread_mutex_unlock(&u32_lock);
        *ok = true;
        return TRUE;
    }
    int64_t deadline = timeout_ms == U32_INFINITE ? -1 : u32_now_ms() + timeout_ms;
    while (!s->replied) {
        if (u32_receive_one(self)) /* a message sent to us while we wait */
            continue;
        int64_t left = deadline < 0 ? -1 : deadline - u32_now_ms();
        if (deadline >= 0 && left <= 0)
            break;
        pthread_mutex_unlock(&u32_lock);
        LARGE_INTEGER t = {.QuadPart = -left * 10000};
        NtWaitForSingleObject(self->event, FALSE, left < 0 ? NULL : &t);
        pthread_mutex_lock(&u32_lock);
    }
    LRESULT r = s->result;
    bool replied = s->replied;
    s->sender = NULL;
    u32_sent_put(s);
    pthread_mutex_unlock(&u32_lock);
    if (!replied) {
        thk_set_last_error(U32_ERROR_TIMEOUT);
        return 0;
    }
    *ok = true;
    return r;
}

LRESULT WINAPI SendMessageW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    bool ok;
    if (hwnd == U32_HWND_BROADCAST) {
        HWND all[256];
        pthread_mutex_lock(&u32_lock);
        size_t n = u32_win_top_level(all, 256);
        pthread_mutex_unlock(&u32_lock);
        for (size_t i = 0; i < n; i++)
            u32_send(all[i], msg, wp, lp, U32_INFINITE, false, &ok);
        return 0;
    }
    return u32_send(hwnd, msg, wp, lp, U32_INFINITE, false, &ok);
}
THK_EXPORT(user32, SendMessageW, 4);

LRESULT WINAPI SendMessageA(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return SendMessageW(hwnd, msg, wp, lp);
}
THK_EXPORT(user32, SendMessageA, 4);

LRESULT WINAPI SendMessageTimeoutW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT flags,
                                   UINT timeout, ULONG_PTR *result)
{
    (void)flags; /* SMTO_BLOCK, SMTO_ABORTIFHUNG...: a sender here always answers what is sent
                    to it while it waits, and no thread counts as hung */
    bool ok;
    LRESULT r = u32_send(hwnd, msg, wp, lp, timeout, false, &ok);
    if (ok && result)
        nt_copy_to_user(result, &r, sizeof r);
    return ok;
}
THK_EXPORT(user32, SendMessageTimeoutW, 7);

LRESULT WINAPI SendMessageTimeoutA(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT flags,
                                   UINT timeout, ULONG_PTR *result)
{
    return SendMessageTimeoutW(hwnd, msg, wp, lp, flags, timeout, result);
}
THK_EXPORT(user32, SendMessageTimeoutA, 7);

BOOL WINAPI SendNotifyMessageW(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    bool ok;
    u32_send(hwnd, msg, wp, lp, U32_INFINITE, true, &ok);
    return ok;
}
THK_EXPORT(user32, SendNotifyMessageW, 4);

BOOL WINAPI SendNotifyMessageA(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return SendNotifyMessageW(hwnd, msg, wp, lp);
}
THK_EXPORT(user32, SendNotifyMessageA, 4);

BOOL WINAPI InSendMessage(void)
{
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = u32_queue_of(u32_tid());
    BOOL r = q && q->receiving;
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, InSendMessage, 0);

/* ISMEX_NOSEND 0, ISMEX_SEND 1, ISMEX_NOTIFY 2, ISMEX_REPLIED 8 */
DWORD WINAPI InSendMessageEx(void *reserved)
{
    (void)reserved;
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = u32_queue_of(u32_tid());
    DWORD r = 0;
    if (q && q->receiving)
        r = (q->receiving->refs == 1 && !q->receiving->sender ? 2u : 1u) |
            (q->receiving->replied ? 8u : 0u);
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, InSendMessageEx, 1);

BOOL WINAPI ReplyMessage(LRESULT r)
{
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = u32_queue_of(u32_tid());
    BOOL ok = q && q->receiving && !q->receiving->replied;
    if (ok)
        u32_reply(q->receiving, r);
    pthread_mutex_unlock(&u32_lock);
    return ok;
}
THK_EXPORT(user32, ReplyMessage, 1);

/* ---- looking at the queue ---- */
/* Under u32_lock: marks expired timers' first look as new input (QS_TIMER). */
static void u32_timers_update(u32_queue *q, int64_t now)
{
    for (u32_timer *t = q->timers; t; t = t->next)
        if (t->due <= now && !t->noticed) {
            t->noticed = true;
            q->changed |= U32_QS_TIMER;
        }
}

/* Under u32_lock: QS bits of what q holds now. */
static uint32_t u32_wake_bits(u32_queue *q, int64_t now)
{
    uint32_t b = 0;
    if (q->post_head || q->quit)
        b |= U32_QS_POSTMESSAGE | U32_QS_ALLPOSTMESSAGE;
    if (q->sent_head)
        b |= U32_QS_SENDMESSAGE;
    for (u32_timer *t = q->timers; t; t = t->next)
        if (t->due <= now)
            b |= U32_QS_TIMER;
    return b;
}

/* Under u32_lock: ms until q's next timer expires (-1 none, 0 expired). */
static int64_t u32_next_timer(u32_queue *q, int64_t now)
{
    int64_t best = -1;
    for (u32_timer *t = q->timers; t; t = t->next) {
        int64_t left = t->due > now ? t->due - now : 0;
        if (best < 0 || left < best)
            best = left;
    }
    return best;
}

static bool u32_match_hwnd(HWND filter, HWND h)
{
    if (!filter)
        return true;
    if (filter == (HWND)(intptr_t)-1)
        return h == NULL;
    return h && ((uint32_t)(uintptr_t)h == (uint32_t)(uintptr_t)filter ||
                 u32_win_is_descendant(h, filter));
}

static bool u32_match_range(UINT first, UINT last, UINT msg)
{
    if ((first == 0 && last == 0) || msg == U32_WM_QUIT)
        return true;
    return msg >= first && msg <= last;
}

/* Under u32_lock (released while sent messages are delivered): the next message for the
 * filter into *out, removed with PM_REMOVE. False when there is none. */
static bool u32_peek(u32_queue *q, HWND hwnd, UINT first, UINT last, UINT flags, u32_msg *out)
{
    uint32_t kinds = flags >> 16 ? flags >> 16 : U32_QS_ALLINPUT | U32_QS_ALLPOSTMESSAGE;
    if (kinds & U32_QS_SENDMESSAGE)
        while (u32_receive_one(q))
            ;
    /* what is looked for now is no longer new */
    if (kinds & U32_QS_POSTMESSAGE) {
        q->changed &= ~(U32_QS_POSTMESSAGE | U32_QS_HOTKEY | U32_QS_TIMER);
        if (first == 0 && last == 0 && !hwnd)
            q->changed &= ~U32_QS_ALLPOSTMESSAGE;
    }
    if (kinds & U32_QS_INPUT)
        q->changed &= ~U32_QS_INPUT;
    if (kinds & U32_QS_PAINT)
        q->changed &= ~U32_QS_PAINT;
    if (kinds & U32_QS_SENDMESSAGE)
        q->changed &= ~U32_QS_SENDMESSAGE;
    bool remove = flags & U32_PM_REMOVE;
    int64_t now = u32_now_ms();
    if (kinds & U32_QS_POSTMESSAGE) {
        u32_posted *prev = NULL;
        for (u32_posted *p = q->post_head; p; prev = p, p = p->next) {
            if (!u32_match_hwnd(hwnd, p->msg.hwnd) ||
                !u32_match_range(first, last, p->msg.message))
                continue;
            *out = p->msg;
            if (remove) {
                if (prev)
                    prev->next = p->next;
                else
                    q->post_head = p->next;
                if (q->post_tail == &p->next)
                    q->post_tail = prev ? &prev->next : &q->post_head;
                q->nposted--;
                free(p);
            }
            return true;
        }
        if (q->quit) { /* WM_QUIT once no posted message is left, whatever the filter */
            memset(out, 0, sizeof *out);
            out->message = U32_WM_QUIT;
            out->wParam = (WPARAM)(intptr_t)q->quit_code;
            out->time = GetTickCount();
            if (remove)
                q->quit = false;
            return true;
        }
    }
    if (kinds & U32_QS_TIMER) {
        for (u32_timer *t = q->timers; t; t = t->next) {
            if (t->due > now || !u32_match_hwnd(hwnd, t->hwnd) ||
                !u32_match_range(first, last, U32_WM_TIMER))
                continue;
            memset(out, 0, sizeof *out);
            out->hwnd = t->hwnd;
            out->message = U32_WM_TIMER;
            out->wParam = t->id;
            out->lParam = (LPARAM)(uintptr_t)t->proc;
            out->time = GetTickCount();
            if (remove) {
                t->due = now + t->rate;
                t->noticed = false;
            }
            return true;
        }
    }
    return false;
}

/* A filter window that is neither NULL, -1 nor a window: ERROR_INVALID_WINDOW_HANDLE. */
static bool u32_filter_ok(HWND hwnd)
{
    if (!hwnd || hwnd == (HWND)(intptr_t)-1)
        return true;
    pthread_mutex_lock(&u32_lock);
    bool ok = u32_win_find(hwnd) != NULL;
    pthread_mutex_unlock(&u32_lock);
    if (!ok)
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
    return ok;
}

static BOOL u32_copy_msg(u32_msg *user, const u32_msg *m)
{
    if (nt_copy_to_user(user, m, sizeof *m) != 0) {
        thk_set_last_error(998); /* ERROR_NOACCESS */
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI PeekMessageW(u32_msg *msg, HWND hwnd, UINT first, UINT last, UINT flags)
{
    u32_queue *q = u32_queue_current();
    if (!q) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (!u32_filter_ok(hwnd))
        return FALSE;
    u32_msg m;
    pthread_mutex_lock(&u32_lock);
    bool got = u32_peek(q, hwnd, first, last, flags, &m);
    if (got && (flags & U32_PM_REMOVE))
        q->last_time = m.time;
    pthread_mutex_unlock(&u32_lock);
    return got && u32_copy_msg(msg, &m);
}
THK_EXPORT(user32, PeekMessageW, 5);

BOOL WINAPI PeekMessageA(u32_msg *msg, HWND hwnd, UINT first, UINT last, UINT flags)
{
    return PeekMessageW(msg, hwnd, first, last, flags);
}
THK_EXPORT(user32, PeekMessageA, 5);

BOOL WINAPI GetMessageW(u32_msg *msg, HWND hwnd, UINT first, UINT last)
{
    u32_queue *q = u32_queue_current();
    if (!q) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return -1;
    }
    if (!u32_filter_ok(hwnd))
        return -1;
    u32_msg m;
    pthread_mutex_lock(&u32_lock);
    while (!u32_peek(q, hwnd, first, last, U32_PM_REMOVE, &m)) {
        int64_t left = u32_next_timer(q, u32_now_ms());
        pthread_mutex_unlock(&u32_lock);
        LARGE_INTEGER t = {.QuadPart = -left * 10000};
        NtWaitForSingleObject(q->event, FALSE, left < 0 ? NULL : &t);
        pthread_mutex_lock(&u32_lock);
    }
    q->last_time = m.time;
    pthread_mutex_unlock(&u32_lock);
    if (!u32_copy_msg(msg, &m))
        return -1;
    return m.message != U32_WM_QUIT;
}
THK_EXPORT(user32, GetMessageW, 4);

BOOL WINAPI GetMessageA(u32_msg *msg, HWND hwnd, UINT first, UINT last)
{
    return GetMessageW(msg, hwnd, first, last);
}
THK_EXPORT(user32, GetMessageA, 4);

LONG WINAPI GetMessageTime(void)
{
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = u32_queue_of(u32_tid());
    LONG r = q ? (LONG)q->last_time : 0;
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, GetMessageTime, 0);

DWORD WINAPI GetQueueStatus(UINT flags)
{
    if (flags & ~U32_QS_VALID) {
        thk_set_last_error(U32_ERROR_INVALID_FLAGS);
        return 0;
    }
    u32_queue *q = u32_queue_current();
    if (!q)
        return 0;
    pthread_mutex_lock(&u32_lock);
    int64_t now = u32_now_ms();
    u32_timers_update(q, now);
    DWORD r = ((u32_wake_bits(q, now) & flags) << 16) | (q->changed & flags);
    q->changed &= ~flags;
    pthread_mutex_unlock(&u32_lock);
    return r;
}
THK_EXPORT(user32, GetQueueStatus, 1);

/* ---- dispatching ---- */
static LRESULT u32_dispatch(const u32_msg *user)
{
    u32_msg m;
    if (!user || nt_copy_from_user(&m, user, sizeof m) != 0) {
        thk_set_last_error(998);
        return 0;
    }
    if ((m.message == U32_WM_TIMER || m.message == U32_WM_SYSTIMER) && m.lParam) {
        /* a TIMERPROC, called only when such a timer exists (Windows checks it too) */
        pthread_mutex_lock(&u32_lock);
        u32_queue *q = u32_queue_of(u32_tid());
        bool known = false;
        for (u32_timer *t = q ? q->timers : NULL; t && !known; t = t->next)
            known = t->hwnd == m.hwnd && t->id == m.wParam &&
                    (LPARAM)(uintptr_t)t->proc == m.lParam;
        pthread_mutex_unlock(&u32_lock);
        if (!known)
            return 0;
        return u32_call_proc((void *)(uintptr_t)m.lParam, m.hwnd, m.message, m.wParam,
                             (LPARAM)GetTickCount());
    }
    if (!m.hwnd)
        return 0;
    pthread_mutex_lock(&u32_lock);
    u32_window *w = u32_win_find(m.hwnd);
    void *proc = w ? w->proc : NULL;
    pthread_mutex_unlock(&u32_lock);
    if (!w) {
        thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
        return 0;
    }
    return proc ? u32_call_proc(proc, m.hwnd, m.message, m.wParam, m.lParam) : 0;
}

LRESULT WINAPI DispatchMessageW(const u32_msg *msg) { return u32_dispatch(msg); }
THK_EXPORT(user32, DispatchMessageW, 1);
LRESULT WINAPI DispatchMessageA(const u32_msg *msg) { return u32_dispatch(msg); }
THK_EXPORT(user32, DispatchMessageA, 1);

/* Key messages: a WM_KEYDOWN of a key that types a character posts WM_CHAR (keyboard state
 * all up: letters lower case), WM_SYSKEYDOWN WM_SYSCHAR. Nonzero for the four key messages
 * whatever they translate to, zero for the rest (Microsoft's page). */
BOOL WINAPI TranslateMessage(const u32_msg *user)
{
    u32_msg m;
    if (!user || nt_copy_from_user(&m, user, sizeof m) != 0)
        return FALSE;
    switch (m.message) {
    case U32_WM_KEYDOWN:
    case U32_WM_SYSKEYDOWN: {
        WPARAM vk = m.wParam, ch = 0;
        if (vk >= 'A' && vk <= 'Z')
            ch = vk + 0x20;
        else if ((vk >= '0' && vk <= '9') || vk == ' ')
            ch = vk;
        else if (vk >= 0x60 && vk <= 0x69) /* VK_NUMPAD0..9 */
            ch = '0' + (vk - 0x60);
        else if (vk == 0x0d || vk == 0x08 || vk == 0x09 || vk == 0x1b) /* RETURN BACK TAB ESC */
            ch = vk;
        if (ch)
            u32_post_message(m.hwnd, m.message == U32_WM_KEYDOWN ? U32_WM_CHAR : U32_WM_SYSCHAR,
                             ch, m.lParam);
        return TRUE;
    }
    case U32_WM_KEYUP:
    case U32_WM_SYSKEYUP:
        return TRUE;
    default:
        return FALSE;
    }
}
THK_EXPORT(user32, TranslateMessage, 1);

/* ---- waiting ---- */
DWORD WINAPI MsgWaitForMultipleObjectsEx(DWORD count, const HANDLE *handles, DWORD ms,
                                         DWORD mask, DWORD flags)
{
    if (count > 63 || (mask & ~U32_QS_VALID) ||
        (flags & ~(U32_MWMO_WAITALL | U32_MWMO_ALERTABLE | U32_MWMO_INPUTAVAILABLE))) {
        thk_set_last_error(U32_ERROR_INVALID_PARAMETER);
        return U32_WAIT_FAILED;
    }
    HANDLE h[64];
    if (count && (!handles || nt_copy_from_user(h, handles, count * sizeof *h) != 0)) {
        thk_set_last_error(998);
        return U32_WAIT_FAILED;
    }
    u32_queue *q = u32_queue_current();
    if (!q) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return U32_WAIT_FAILED;
    }
    h[count] = q->event;
    bool all = (flags & U32_MWMO_WAITALL) && count > 0;
    BOOL alertable = (flags & U32_MWMO_ALERTABLE) != 0;
    int64_t deadline = ms == U32_INFINITE ? -1 : u32_now_ms() + ms;
    for (;;) {
        pthread_mutex_lock(&u32_lock);
        int64_t now = u32_now_ms();
        u32_timers_update(q, now);
        uint32_t have = q->changed;
        if (flags & U32_MWMO_INPUTAVAILABLE)
            have |= u32_wake_bits(q, now);
        bool input = (have & mask) != 0;
        int64_t timer = (mask & U32_QS_TIMER) ? u32_next_timer(q, now) : -1;
        pthread_mutex_unlock(&u32_lock);
        int64_t left = deadline < 0 ? -1 : deadline > now ? deadline - now : 0;
        if (input) {
            /* the objects come first, as in Windows' wait (the queue is the last "object") */
            if (!all) {
                DWORD r = count ? WaitForMultipleObjectsEx(count, h, FALSE, 0, alertable)
                                : U32_WAIT_TIMEOUT;
                return r == U32_WAIT_TIMEOUT ? U32_WAIT_OBJECT_0 + count : r;
            }
            /* all objects and the input: the objects are waited for now the input is there
             * (not atomic with it; Windows' own MWMO_WAITALL is rarely what a program wants) */
            return WaitForMultipleObjectsEx(count, h, TRUE, (DWORD)(left < 0 ? U32_INFINITE : left),
                                            alertable);
        }
        if (deadline >= 0 && left == 0)
            return U32_WAIT_TIMEOUT;
        int64_t wait = left;
        if (timer >= 0 && (wait < 0 || timer < wait))
            wait = timer;
        DWORD r = all ? WaitForMultipleObjectsEx(1, &h[count], FALSE,
                                                 (DWORD)(wait < 0 ? U32_INFINITE : wait), alertable)
                      : WaitForMultipleObjectsEx(count + 1, h, FALSE,
                                                 (DWORD)(wait < 0 ? U32_INFINITE : wait), alertable);
        if (r == U32_WAIT_TIMEOUT || (!all && r == U32_WAIT_OBJECT_0 + count) ||
            (all && r == U32_WAIT_OBJECT_0))
            continue; /* the queue changed, a timer is due, or the time is up: look again */
        return r;     /* an object, an abandoned mutex, an APC (WAIT_IO_COMPLETION), a failure */
    }
}
THK_EXPORT(user32, MsgWaitForMultipleObjectsEx, 5);

DWORD WINAPI MsgWaitForMultipleObjects(DWORD count, const HANDLE *handles, BOOL all, DWORD ms,
                                       DWORD mask)
{
    return MsgWaitForMultipleObjectsEx(count, handles, ms, mask, all ? U32_MWMO_WAITALL : 0);
}
THK_EXPORT(user32, MsgWaitForMultipleObjects, 5);

BOOL WINAPI WaitMessage(void)
{
    return MsgWaitForMultipleObjectsEx(0, NULL, U32_INFINITE, U32_QS_ALLINPUT, 0) !=
           U32_WAIT_FAILED;
}
THK_EXPORT(user32, WaitMessage, 0);

/* ---- timers ---- */
UINT_PTR WINAPI SetTimer(HWND hwnd, UINT_PTR id, UINT ms, void *proc)
{
    u32_queue *self = u32_queue_current();
    if (!self) {
        thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (ms < U32_TIMER_MIN)
        ms = U32_TIMER_MIN;
    if (ms > U32_TIMER_MAX)
        ms = U32_TIMER_MAX;
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = self;
    if (hwnd) { /* the timer runs in the window's thread */
        u32_window *w = u32_win_find(hwnd);
        if (!w) {
            pthread_mutex_unlock(&u32_lock);
            thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
            return 0;
        }
        hwnd = w->hwnd;
        q = w->queue;
    }
    u32_timer *t = NULL;
    if (hwnd || id)
        for (t = q->timers; t; t = t->next)
            if (t->hwnd == hwnd && t->id == id)
                break;
    if (!t) {
        if (!(t = calloc(1, sizeof *t))) {
            pthread_mutex_unlock(&u32_lock);
            thk_set_last_error(U32_ERROR_NOT_ENOUGH_MEMORY);
            return 0;
        }
        if (!hwnd) { /* a thread timer: user32 picks its id */
            bool used;
            do {
                id = u32_next_timer_id++;
                if (u32_next_timer_id > 0x7fff)
                    u32_next_timer_id = 1;
                used = false;
                for (u32_timer *o = q->timers; o; o = o->next)
                    used |= !o->hwnd && o->id == id;
            } while (used);
        }
        t->hwnd = hwnd;
        t->id = id;
        t->next = q->timers;
        q->timers = t;
    }
    t->proc = proc;
    t->rate = ms;
    t->due = u32_now_ms() + ms;
    t->noticed = false;
    u32_wake(q); /* its waits take the new time-out */
    pthread_mutex_unlock(&u32_lock);
    return hwnd && !id ? 1 : id;
}
THK_EXPORT(user32, SetTimer, 4);

BOOL WINAPI KillTimer(HWND hwnd, UINT_PTR id)
{
    pthread_mutex_lock(&u32_lock);
    u32_queue *q = NULL;
    if (hwnd) {
        u32_window *w = u32_win_find(hwnd);
        if (!w) {
            pthread_mutex_unlock(&u32_lock);
            thk_set_last_error(U32_ERROR_INVALID_WINDOW_HANDLE);
            return FALSE;
        }
        hwnd = w->hwnd;
        q = w->queue;
    } else {
        q = u32_queue_of(u32_tid());
    }
    for (u32_timer **l = q ? &q->timers : NULL; l && *l; l = &(*l)->next)
        if ((*l)->hwnd == hwnd && (*l)->id == id) {
            u32_timer *t = *l;
            *l = t->next;
            free(t);
            pthread_mutex_unlock(&u32_lock);
            return TRUE;
        }
    pthread_mutex_unlock(&u32_lock);
    thk_set_last_error(U32_ERROR_INVALID_PARAMETER);
    return FALSE;
}
THK_EXPORT(user32, KillTimer, 2);
