/* SPDX-License-Identifier: MIT */
/* Winsock's event objects: WSACreateEvent (a manual-reset event, initially not signalled),
 * WSACloseEvent, WSASetEvent, WSAResetEvent and WSAWaitForMultipleEvents, which are kernel32's
 * events and waits under other names, with Winsock's error codes (WSA_INVALID_HANDLE 6,
 * WSA_INVALID_PARAMETER 87); WSAEventSelect and WSAEnumNetworkEvents; WSAAsyncSelect, the same
 * machinery posting window messages (user32's queues) instead of signalling an event.
 *
 * WSAEventSelect keeps, per socket object (nt_file.sock_events), the selected events, the
 * network-event record (bits and per-bit error codes) and the bits waiting for their
 * re-enabling call, as Windows' afd does: once FD_READ is recorded it is not recorded again
 * until a recv-family call, FD_ACCEPT until accept, FD_WRITE until a send fails with
 * WSAEWOULDBLOCK, FD_CONNECT until the next connect, FD_CLOSE never. Readiness comes from a
 * process-wide epoll set of its own (edge-triggered; one native thread), and a re-enabling call
 * looks again at once (data left after a short recv records FD_READ again). Each look polls
 * the socket's present state (poll with timeout 0, FIONREAD, SO_ACCEPTCONN) and signals the
 * event (a private duplicate of the caller's handle) when it records a selected event. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "thunks/ws2_32/ws2_32_private.h"

#define WS_WSA_INVALID_HANDLE 6
#define WS_WSA_INVALID_PARAMETER 87
#define WS_WSA_MAXIMUM_WAIT_EVENTS 64
#define WS_WSA_WAIT_FAILED 0xffffffffu

HANDLE WINAPI CreateEventW(void *sa, BOOL manual, BOOL initial, const WCHAR *name);
BOOL WINAPI SetEvent(HANDLE h);
BOOL WINAPI ResetEvent(HANDLE h);
BOOL WINAPI CloseHandle(HANDLE h);
DWORD WINAPI WaitForMultipleObjectsEx(DWORD n, const HANDLE *h, BOOL all, DWORD ms, BOOL alertable);
DWORD WINAPI GetLastError(void);
BOOL WINAPI PostMessageW(void *hwnd, UINT msg, uint64_t wp, int64_t lp); /* user32 */
BOOL WINAPI IsWindow(void *hwnd);

static HANDLE WINAPI ws_WSACreateEvent(void)
{
    return CreateEventW(NULL, TRUE, FALSE, NULL); /* NULL (WSA_INVALID_EVENT) on failure */
}
THK_EXPORT_AS(ws2_32, WSACreateEvent, ws_WSACreateEvent, 0);

/* A kernel32 result with its failure as Winsock names it (ERROR_INVALID_HANDLE is
 * WSA_INVALID_HANDLE, the same number). */
static BOOL ws_event_result(BOOL ok)
{
    if (!ok && GetLastError() == 0)
        thk_set_last_error(WS_WSA_INVALID_HANDLE);
    return ok;
}

static BOOL WINAPI ws_WSACloseEvent(HANDLE h) { return ws_event_result(CloseHandle(h)); }
THK_EXPORT_AS(ws2_32, WSACloseEvent, ws_WSACloseEvent, 1);
static BOOL WINAPI ws_WSASetEvent(HANDLE h) { return ws_event_result(SetEvent(h)); }
THK_EXPORT_AS(ws2_32, WSASetEvent, ws_WSASetEvent, 1);
static BOOL WINAPI ws_WSAResetEvent(HANDLE h) { return ws_event_result(ResetEvent(h)); }
THK_EXPORT_AS(ws2_32, WSAResetEvent, ws_WSAResetEvent, 1);

static DWORD WINAPI ws_WSAWaitForMultipleEvents(DWORD n, const HANDLE *events, BOOL all,
                                                DWORD ms, BOOL alertable)
{
    if (n == 0 || n > WS_WSA_MAXIMUM_WAIT_EVENTS || !events) {
        thk_set_last_error(WS_WSA_INVALID_PARAMETER);
        return WS_WSA_WAIT_FAILED;
    }
    /* WSA_WAIT_EVENT_0 + i, WSA_WAIT_IO_COMPLETION, WSA_WAIT_TIMEOUT and WSA_WAIT_FAILED are
     * the kernel32 values */
    return WaitForMultipleObjectsEx(n, events, all, ms, alertable);
}
THK_EXPORT_AS(ws2_32, WSAWaitForMultipleEvents, ws_WSAWaitForMultipleEvents, 5);

/* ---- WSAEventSelect ---- */
#define WS_FD_MAX_EVENTS 10
#define WS_FD_CONNECT_BIT 4
#define WS_FD_CLOSE_BIT 5
#define WS_FD_ALL_EVENTS 0x3ffu

typedef struct {
    int32_t lNetworkEvents;             /* 0x00 */
    int32_t iErrorCode[WS_FD_MAX_EVENTS]; /* 0x04 */
} ws_network_events;
_Static_assert(sizeof(ws_network_events) == 44, "WSANETWORKEVENTS");

typedef struct ws_es {
    struct ws_es *next;
    uint64_t id;          /* the epoll key (the state may go while an event names it) */
    int fd;
    bool stream;
    HANDLE event;         /* a private duplicate of the selected event, NULL none */
    void *hwnd;           /* WSAAsyncSelect: messages to this window instead, NULL none */
    uint32_t wmsg;        /* ... with this message number */
    ws_socket sock;       /* ... naming this socket in wParam */
    uint32_t mask;        /* lNetworkEvents */
    uint32_t recorded;    /* the network-event record */
    int32_t errors[WS_FD_MAX_EVENTS];
    uint32_t disabled;    /* recorded, waiting for the re-enabling call */
    bool connecting;      /* a connect is under way: FD_CONNECT comes when it ends */
    bool connected;
    bool closed;          /* FD_CLOSE was recorded */
} ws_es;

/* One lock for every socket's state and the list (the calls are short, polls with timeout 0);
 * the epoll thread takes it too, so a state is never freed under it. */
static pthread_mutex_t ws_es_lock = PTHREAD_MUTEX_INITIALIZER;
static ws_es *ws_es_list;
static uint64_t ws_es_next_id = 1;
static int ws_es_epfd = -1;
static pthread_once_t ws_es_once = PTHREAD_ONCE_INIT;

/* WSAAsyncSelect: one message per event, wParam the socket, lParam WSAMAKESELECTREPLY(event,
 * error). In the order Windows reports them when several become true at once: a connection
 * (FD_CONNECT, FD_ACCEPT) before its data and its room to write, FD_CLOSE last. Under
 * ws_es_lock (user32's lock is taken inside it, never the other way round). */
static void ws_as_post(ws_es *es, uint32_t rec, const int32_t *errs)
{
    static const uint8_t order[] = {4 /* CONNECT */, 3 /* ACCEPT */, 0 /* READ */, 2 /* OOB */,
                                    1 /* WRITE */, 6, 7, 8, 9, 5 /* CLOSE */};
    for (size_t i = 0; i < sizeof order; i++) {
        uint32_t bit = 1u << order[i];
        if (rec & bit)
            PostMessageW(es->hwnd, es->wmsg, es->sock,
                         (int64_t)(uint32_t)(bit | ((uint32_t)(uint16_t)errs[order[i]] << 16)));
    }
}

/* Under ws_es_lock: looks at the socket's state and records what became true. */
static void ws_es_update(ws_es *es)
{
    struct pollfd p = {es->fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP, 0};
    if (poll(&p, 1, 0) < 0)
        return;
    short r = p.revents;
    uint32_t now = 0;
    int32_t errs[WS_FD_MAX_EVENTS] = {0};
    int listening = 0;
    socklen_t ll = sizeof listening;
    if (es->stream)
        getsockopt(es->fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ll);
    if (listening) {
        if (r & POLLIN)
            now |= WS_FD_ACCEPT;
    } else {
        if (es->connecting && (r & (POLLOUT | POLLERR | POLLHUP))) {
            int e = 0;
            socklen_t el = sizeof e;
            getsockopt(es->fd, SOL_SOCKET, SO_ERROR, &e, &el);
            es->connecting = false;
            es->connected = e == 0;
            now |= WS_FD_CONNECT;
            errs[WS_FD_CONNECT_BIT] = e ? ws_wsa_from_errno(e) : 0;
        }
        if (es->connected || !es->stream) {
            int avail = 0;
            if ((r & POLLIN) && ioctl(es->fd, FIONREAD, &avail) == 0 && (avail > 0 || !es->stream))
                now |= WS_FD_READ;
            if (r & POLLPRI)
                now |= WS_FD_OOB;
            if ((r & POLLOUT) && !(r & POLLERR))
                now |= WS_FD_WRITE;
            if (es->stream && (r & (POLLRDHUP | POLLHUP | POLLERR))) {
                now |= WS_FD_CLOSE;
                /* a reset leaves sk_err set (POLLERR): read it without consuming it, so the
                 * program's next recv still fails with WSAECONNRESET */
                errs[WS_FD_CLOSE_BIT] = (r & POLLERR) ? WSAECONNRESET : 0;
            }
        }
    }
    if (es->closed)
        now &= ~(uint32_t)WS_FD_CLOSE;
    uint32_t rec = now & es->mask & ~es->disabled;
    if (!rec)
        return;
    es->disabled |= rec;
    if (rec & WS_FD_CLOSE)
        es->closed = true;
    if (es->hwnd) {
        ws_as_post(es, rec, errs);
        return;
    }
    es->recorded |= rec;
    for (int i = 0; i < WS_FD_MAX_EVENTS; i++)
        if (rec & (1u << i))
            es->errors[i] = errs[i];
    if (es->event)
        NtSetEvent(es->event, NULL);
}

static void *ws_es_thread(void *unused)
{
    (void)unused;
    struct epoll_event ev[32];
    for (;;) {
        int n = epoll_wait(ws_es_epfd, ev, 32, -1);
        if (n < 0 && errno != EINTR)
            return NULL;
        pthread_mutex_lock(&ws_es_lock);
        for (int i = 0; i < n; i++)
            for (ws_es *es = ws_es_list; es; es = es->next)
                if (es->id == ev[i].data.u64) {
                    ws_es_update(es);
                    break;
                }
        pthread_mutex_unlock(&ws_es_lock);
    }
}

static void ws_es_start(void)
{
    ws_es_epfd = epoll_create1(EPOLL_CLOEXEC);
    if (ws_es_epfd < 0)
        return;
    /* fault fix-ups: rt_safe_copy into program memory */
    if (rt_service_thread_start(ws_es_thread, NULL, 128 * 1024, true) != 0) {
        close(ws_es_epfd);
        ws_es_epfd = -1;
    }
}

/* The file object goes (before its fd is closed). */
static void ws_es_free(void *p)
{
    ws_es *es = p;
    pthread_mutex_lock(&ws_es_lock);
    for (ws_es **l = &ws_es_list; *l; l = &(*l)->next)
        if (*l == es) {
            *l = es->next;
            break;
        }
    if (ws_es_epfd >= 0)
        epoll_ctl(ws_es_epfd, EPOLL_CTL_DEL, es->fd, NULL);
    pthread_mutex_unlock(&ws_es_lock);
    if (es->event)
        NtClose(es->event);
    free(es);
}

/* Under ws_es_lock: f's state, created when `create` (NULL when out of memory). */
static ws_es *ws_es_of(nt_file *f, bool create)
{
    ws_es *es = f->sock_events;
    if (es || !create)
        return es;
    pthread_once(&ws_es_once, ws_es_start);
    es = calloc(1, sizeof *es);
    if (!es)
        return NULL;
    es->id = ws_es_next_id++;
    es->fd = f->fd;
    es->stream = f->sock_stream;
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    es->connected = getpeername(f->fd, (struct sockaddr *)&sa, &sl) == 0;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLET,
                             .data.u64 = es->id};
    if (ws_es_epfd < 0 || epoll_ctl(ws_es_epfd, EPOLL_CTL_ADD, f->fd, &ev) != 0) {
        free(es);
        return NULL;
    }
    es->next = ws_es_list;
    ws_es_list = es;
    f->sock_events_free = ws_es_free;
    __atomic_store_n(&f->sock_events, es, __ATOMIC_RELEASE);
    return es;
}

/* Under ws_es_lock: selects `mask` with event `ev` (NULL none), or (WSAAsyncSelect) messages
 * `wmsg` to window `hwnd` naming socket `sock`; 0 or a WSA error. Either replaces the other. */
static int ws_es_select(nt_file *f, HANDLE ev, uint32_t mask, void *hwnd, uint32_t wmsg,
                        ws_socket sock)
{
    HANDLE dup = NULL;
    if (ev) {
        nt_object *o;
        if (nt_handle_get(ev, NT_OBJ_EVENT, &o) != STATUS_SUCCESS)
            return WSAEINVAL;
        nt_object_release(o);
        if (NtDuplicateObject(NtCurrentProcess(), ev, NtCurrentProcess(), &dup, 0, 0,
                              2 /* DUPLICATE_SAME_ACCESS */) != STATUS_SUCCESS)
            return WSAEINVAL;
    }
    ws_es *es = ws_es_of(f, true);
    if (!es) {
        if (dup)
            NtClose(dup);
        return WSAENOBUFS;
    }
    HANDLE old = es->event;
    es->event = dup;
    es->hwnd = hwnd;
    es->wmsg = wmsg;
    es->sock = sock;
    es->mask = mask & WS_FD_ALL_EVENTS;
    es->recorded = 0; /* a new selection clears the record and re-enables every event */
    memset(es->errors, 0, sizeof es->errors);
    es->disabled = 0;
    f->sock_nonblocking = true;
    ws_es_update(es);
    if (old)
        NtClose(old);
    return 0;
}

static int WINAPI ws_WSAEventSelect(ws_socket s, HANDLE ev, int32_t mask)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    pthread_mutex_lock(&ws_es_lock);
    int err = ws_es_select(f, ev, (uint32_t)mask, NULL, 0, 0);
    pthread_mutex_unlock(&ws_es_lock);
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, WSAEventSelect, ws_WSAEventSelect, 3);

/* WSAAsyncSelect: WSAEventSelect's events and re-enabling rules, each event posted to hwnd as
 * message wmsg (see ws_as_post) instead of being recorded; lEvent 0 stops the messages (those
 * posted already stay in the queue). The socket becomes non-blocking. A window that is not
 * one: WSAEINVAL. */
static int WINAPI ws_WSAAsyncSelect(ws_socket s, void *hwnd, UINT wmsg, int32_t mask)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    int err = 0;
    if (mask && !IsWindow(hwnd))
        err = WSAEINVAL;
    pthread_mutex_lock(&ws_es_lock);
    if (!err)
        err = ws_es_select(f, NULL, (uint32_t)mask, mask ? hwnd : NULL, wmsg, s);
    pthread_mutex_unlock(&ws_es_lock);
    nt_object_release(&f->hdr);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, WSAAsyncSelect, ws_WSAAsyncSelect, 4);

static int WINAPI ws_WSAEnumNetworkEvents(ws_socket s, HANDLE ev, ws_network_events *out)
{
    nt_file *f = ws_get(s);
    if (!f)
        return WS_SOCKET_ERROR;
    ws_network_events ne;
    memset(&ne, 0, sizeof ne);
    int err = 0;
    pthread_mutex_lock(&ws_es_lock);
    if (!out)
        err = WSAEFAULT;
    else if (ev && NtResetEvent(ev, NULL) != STATUS_SUCCESS)
        err = WSAEINVAL;
    ws_es *es = err ? NULL : ws_es_of(f, false);
    if (es) { /* read and cleared at once, the event reset with it */
        ne.lNetworkEvents = (int32_t)es->recorded;
        for (int i = 0; i < WS_FD_MAX_EVENTS; i++)
            if (es->recorded & (1u << i))
                ne.iErrorCode[i] = es->errors[i];
        es->recorded = 0;
        memset(es->errors, 0, sizeof es->errors);
    }
    pthread_mutex_unlock(&ws_es_lock);
    nt_object_release(&f->hdr);
    if (!err && nt_copy_to_user(out, &ne, sizeof ne) != 0)
        err = WSAEFAULT;
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, WSAEnumNetworkEvents, ws_WSAEnumNetworkEvents, 3);

void ws_es_reenable(nt_file *f, uint32_t bits)
{
    if (!__atomic_load_n(&f->sock_events, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&ws_es_lock);
    ws_es *es = f->sock_events;
    es->disabled &= ~bits;
    if (bits & WS_FD_CONNECT)
        es->connecting = true;
    ws_es_update(es);
    pthread_mutex_unlock(&ws_es_lock);
}

void ws_es_connect_failed(nt_file *f, int wsa)
{
    if (!__atomic_load_n(&f->sock_events, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&ws_es_lock);
    ws_es *es = f->sock_events;
    es->connecting = false;
    if ((es->mask & WS_FD_CONNECT) && es->hwnd) {
        int32_t errs[WS_FD_MAX_EVENTS] = {0};
        errs[WS_FD_CONNECT_BIT] = wsa;
        es->disabled |= WS_FD_CONNECT;
        ws_as_post(es, WS_FD_CONNECT, errs);
    } else if (es->mask & WS_FD_CONNECT) {
        es->recorded |= WS_FD_CONNECT;
        es->disabled |= WS_FD_CONNECT;
        es->errors[WS_FD_CONNECT_BIT] = wsa;
        if (es->event)
            NtSetEvent(es->event, NULL);
    }
    pthread_mutex_unlock(&ws_es_lock);
}

bool ws_es_selected(nt_file *f)
{
    if (!__atomic_load_n(&f->sock_events, __ATOMIC_ACQUIRE))
        return false;
    pthread_mutex_lock(&ws_es_lock);
    bool sel = ((ws_es *)f->sock_events)->mask != 0;
    pthread_mutex_unlock(&ws_es_lock);
    return sel;
}

void ws_es_inherit(nt_file *listener, nt_file *accepted, ws_socket sock)
{
    if (!__atomic_load_n(&listener->sock_events, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&ws_es_lock);
    ws_es *l = listener->sock_events;
    if (l->mask) /* the accepted socket has the listening socket's selection */
        ws_es_select(accepted, l->event, l->mask, l->hwnd, l->wmsg, sock);
    pthread_mutex_unlock(&ws_es_lock);
}
