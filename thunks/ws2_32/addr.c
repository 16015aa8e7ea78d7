/* SPDX-License-Identifier: MIT */
/* Winsock names and addresses: getaddrinfo/GetAddrInfoW with freeaddrinfo/FreeAddrInfoW (glibc's
 * resolver underneath: /etc/hosts, then DNS; results in Windows' addrinfo layout, where
 * ai_addrlen is a size_t and ai_canonname comes before ai_addr, and with Windows' AF_INET6 23
 * and AI_* values), gethostname/GetHostNameW, htons/htonl/ntohs/ntohl, inet_addr, inet_ntoa,
 * inet_pton/inet_ntop and their W forms InetPtonW/InetNtopW, getnameinfo/GetNameInfoW and
 * gethostbyname (IPv4, one hostent per thread), WSAAddressToStringA/W, GetAddrInfoExW
 * (synchronous, and asynchronous on the thread pool with GetAddrInfoExOverlappedResult and
 * GetAddrInfoExCancel) with FreeAddrInfoExW. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "thunks/ntdll/threadpool.h"
#include "thunks/ws2_32/ws2_32_private.h"

typedef struct ws_addrinfo {
    int32_t ai_flags;            /* 0x00 */
    int32_t ai_family;           /* 0x04 */
    int32_t ai_socktype;         /* 0x08 */
    int32_t ai_protocol;         /* 0x0c */
    size_t ai_addrlen;           /* 0x10 */
    void *ai_canonname;          /* 0x18: char * or WCHAR * */
    void *ai_addr;               /* 0x20 */
    struct ws_addrinfo *ai_next; /* 0x28 */
} ws_addrinfo;
_Static_assert(sizeof(ws_addrinfo) == 0x30, "ADDRINFOA");
_Static_assert(offsetof(ws_addrinfo, ai_addr) == 0x20, "ADDRINFOA.ai_addr");

#define WS_AI_PASSIVE 0x1
#define WS_AI_CANONNAME 0x2
#define WS_AI_NUMERICHOST 0x4
#define WS_AI_NUMERICSERV 0x8
#define WS_AI_ALL 0x100
#define WS_AI_ADDRCONFIG 0x400
#define WS_AI_V4MAPPED 0x800

/* A NUL-terminated foreign string (at most max bytes) as a malloc'd copy; NULL on a fault. */
static char *ws_strdup_a(const char *user, size_t max)
{
    char *s = malloc(max + 1);
    if (!s)
        return NULL;
    size_t i = 0;
    for (; i < max; i++) {
        if (nt_copy_from_user(&s[i], user + i, 1) != 0) {
            free(s);
            return NULL;
        }
        if (!s[i])
            return s;
    }
    s[i] = 0;
    return s;
}

static int ws_ai_flags(int w)
{
    int l = 0;
    if (w & WS_AI_PASSIVE)
        l |= AI_PASSIVE;
    if (w & WS_AI_CANONNAME)
        l |= AI_CANONNAME;
    if (w & WS_AI_NUMERICHOST)
        l |= AI_NUMERICHOST;
    if (w & WS_AI_NUMERICSERV)
        l |= AI_NUMERICSERV;
    if (w & WS_AI_ALL)
        l |= AI_ALL;
    if (w & WS_AI_ADDRCONFIG)
        l |= AI_ADDRCONFIG;
    if (w & WS_AI_V4MAPPED)
        l |= AI_V4MAPPED;
    return l;
}

static int ws_eai_to_wsa(int e)
{
    switch (e) {
    case EAI_NONAME: return WSAHOST_NOT_FOUND;
    case EAI_AGAIN: return WSATRY_AGAIN;
    case EAI_FAIL: return WSANO_RECOVERY;
    case EAI_FAMILY: return WSAEAFNOSUPPORT;
    case EAI_MEMORY: return WSA_NOT_ENOUGH_MEMORY;
    case EAI_SERVICE: return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE: return WSAESOCKTNOSUPPORT;
    case EAI_BADFLAGS: return WSAEINVAL;
#ifdef EAI_NODATA
    case EAI_NODATA: return WSANO_DATA;
#endif
    default: return WSANO_RECOVERY;
    }
}

static void ws_free_chain(ws_addrinfo *ai)
{
    while (ai) {
        ws_addrinfo *n = ai->ai_next;
        free(ai); /* one block: node, address and name */
        ai = n;
    }
}

/* The resolver on UTF-8 names; the result in Windows' layout (wide: canonical name in UTF-16). */
static int ws_resolve(const char *node, const char *service, const ws_addrinfo *hints_user,
                      ws_addrinfo **out, bool wide)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    if (hints_user) {
        ws_addrinfo h;
        if (nt_copy_from_user(&h, hints_user, sizeof h) != 0)
            return WSAEFAULT;
        int af = ws_family_from_win(h.ai_family);
        if (af < 0)
            return WSAEAFNOSUPPORT;
        hints.ai_family = af;
        hints.ai_socktype = h.ai_socktype;
        hints.ai_protocol = h.ai_protocol;
        hints.ai_flags = ws_ai_flags(h.ai_flags);
    }
    if (!node && !service)
        return WSAHOST_NOT_FOUND;
    int e = getaddrinfo(node, service, &hints, &res);
    if (e != 0)
        return ws_eai_to_wsa(e);
    ws_addrinfo *head = NULL, **tail = &head;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        int wf = ws_family_to_win(a->ai_family);
        if (wf < 0)
            continue;
        size_t namelen = 0;
        WCHAR *wname = NULL;
        if (a->ai_canonname) {
            if (wide) {
                size_t wl;
                wname = nt_utf8_to_utf16(a->ai_canonname, strlen(a->ai_canonname), &wl);
                namelen = wname ? (wl + 1) * sizeof(WCHAR) : 0;
            } else {
                namelen = strlen(a->ai_canonname) + 1;
            }
        }
        ws_addrinfo *w = calloc(1, sizeof *w + a->ai_addrlen + namelen + 8);
        if (!w) {
            free(wname);
            ws_free_chain(head);
            freeaddrinfo(res);
            return WSA_NOT_ENOUGH_MEMORY;
        }
        w->ai_family = wf;
        w->ai_socktype = a->ai_socktype;
        w->ai_protocol = a->ai_protocol;
        w->ai_addrlen = a->ai_addrlen;
        uint8_t *p = (uint8_t *)(w + 1);
        memcpy(p, a->ai_addr, a->ai_addrlen);
        uint16_t fam = (uint16_t)wf;
        memcpy(p, &fam, 2);
        w->ai_addr = p;
        if (namelen) {
            uint8_t *np = p + ((a->ai_addrlen + 7) & ~(size_t)7);
            memcpy(np, wide ? (void *)wname : (void *)a->ai_canonname, namelen);
            w->ai_canonname = np;
        }
        free(wname);
        *tail = w;
        tail = &w->ai_next;
    }
    freeaddrinfo(res);
    if (!head)
        return WSAHOST_NOT_FOUND;
    *out = head;
    return 0;
}

static int WINAPI ws_getaddrinfo(const char *node, const char *service,
                                 const ws_addrinfo *hints, ws_addrinfo **res)
{
    char *n = NULL, *s = NULL;
    int err = 0;
    if (!res)
        err = WSAEINVAL;
    if (!err && node && !(n = (char *)ws_strdup_a(node, 1024)))
        err = WSAEFAULT;
    if (!err && service && !(s = (char *)ws_strdup_a(service, 256)))
        err = WSAEFAULT;
    ws_addrinfo *out = NULL;
    if (!err)
        err = ws_resolve(n, s, hints, &out, false);
    free(n);
    free(s);
    if (!err && nt_copy_to_user(res, &out, sizeof out) != 0) {
        ws_free_chain(out);
        err = WSAEFAULT;
    }
    thk_set_last_error((uint32_t)err);
    return err;
}
THK_EXPORT_AS(ws2_32, getaddrinfo, ws_getaddrinfo, 4);

/* node and service (foreign UTF-16, either NULL) as malloc'd UTF-8 copies in *n and *s: 0, or a
 * WSA error with nothing allocated. */
static int ws_names_w(const WCHAR *node, const WCHAR *service, char **n, char **s)
{
    int err = 0;
    WCHAR *wn = NULL, *ws = NULL;
    *n = *s = NULL;
    if (node && !(wn = nt_strdup_from_user_w(node, 1024)))
        err = WSAEFAULT;
    if (!err && service && !(ws = nt_strdup_from_user_w(service, 256)))
        err = WSAEFAULT;
    if (!err && wn)
        *n = nt_utf16_to_utf8(wn, nt_wcslen(wn), NULL);
    if (!err && ws)
        *s = nt_utf16_to_utf8(ws, nt_wcslen(ws), NULL);
    if (!err && ((wn && !*n) || (ws && !*s)))
        err = WSA_NOT_ENOUGH_MEMORY;
    free(wn), free(ws);
    if (err) {
        free(*n), free(*s);
        *n = *s = NULL;
    }
    return err;
}

static int WINAPI ws_GetAddrInfoW(const WCHAR *node, const WCHAR *service,
                                  const ws_addrinfo *hints, ws_addrinfo **res)
{
    char *n = NULL, *s = NULL;
    int err = res ? ws_names_w(node, service, &n, &s) : WSAEINVAL;
    ws_addrinfo *out = NULL;
    if (!err)
        err = ws_resolve(n, s, hints, &out, true);
    free(n), free(s);
    if (!err && nt_copy_to_user(res, &out, sizeof out) != 0) {
        ws_free_chain(out);
        err = WSAEFAULT;
    }
    thk_set_last_error((uint32_t)err);
    return err;
}
THK_EXPORT_AS(ws2_32, GetAddrInfoW, ws_GetAddrInfoW, 4);

static void WINAPI ws_freeaddrinfo(ws_addrinfo *ai)
{
    ws_free_chain(ai);
}
THK_EXPORT_AS(ws2_32, freeaddrinfo, ws_freeaddrinfo, 1);
THK_EXPORT_AS(ws2_32, FreeAddrInfoW, ws_freeaddrinfo, 1);

/* ADDRINFOEXW: ADDRINFOW's fields, then a blob and a provider, then the link. */
typedef struct ws_addrinfoex {
    int32_t ai_flags;              /* 0x00 */
    int32_t ai_family;             /* 0x04 */
    int32_t ai_socktype;           /* 0x08 */
    int32_t ai_protocol;           /* 0x0c */
    size_t ai_addrlen;             /* 0x10 */
    WCHAR *ai_canonname;           /* 0x18 */
    void *ai_addr;                 /* 0x20 */
    void *ai_blob;                 /* 0x28 */
    size_t ai_bloblen;             /* 0x30 */
    void *ai_provider;             /* 0x38: GUID * */
    struct ws_addrinfoex *ai_next; /* 0x40 */
} ws_addrinfoex;
_Static_assert(sizeof(ws_addrinfoex) == 0x48, "ADDRINFOEXW");
_Static_assert(offsetof(ws_addrinfoex, ai_next) == 0x40, "ADDRINFOEXW.ai_next");

static void ws_free_chain_ex(ws_addrinfoex *ai)
{
    while (ai) {
        ws_addrinfoex *n = ai->ai_next;
        free(ai); /* one block: node, address and name */
        ai = n;
    }
}

/* GetAddrInfoW's chain as ADDRINFOEXW nodes (one block each); NULL: no memory. */
static ws_addrinfoex *ws_chain_to_ex(const ws_addrinfo *ai)
{
    ws_addrinfoex *head = NULL, **tail = &head;
    for (; ai; ai = ai->ai_next) {
        size_t addr = (ai->ai_addrlen + 7) & ~(size_t)7;
        size_t name = ai->ai_canonname ? (nt_wcslen(ai->ai_canonname) + 1) * sizeof(WCHAR) : 0;
        ws_addrinfoex *x = calloc(1, sizeof *x + addr + name);
        if (!x) {
            ws_free_chain_ex(head);
            return NULL;
        }
        x->ai_flags = ai->ai_flags;
        x->ai_family = ai->ai_family;
        x->ai_socktype = ai->ai_socktype;
        x->ai_protocol = ai->ai_protocol;
        x->ai_addrlen = ai->ai_addrlen;
        x->ai_addr = memcpy(x + 1, ai->ai_addr, ai->ai_addrlen);
        if (name)
            x->ai_canonname = memcpy((uint8_t *)(x + 1) + addr, ai->ai_canonname, name);
        *tail = x;
        tail = &x->ai_next;
    }
    return head;
}

/* GetAddrInfoW's lookup on UTF-8 names with ADDRINFOEXW results: 0 or a WSA error.
 * $NTRUN_TEST_GAI_DELAY_MS (tests only, as runtime/sud.c's NTRUN_TEST_SUD_EINVAL): the lookup
 * waits that long before it asks the resolver, a resolver that answers late, for the tests of
 * GetAddrInfoExW's timeout (the system's resolver cannot be pointed elsewhere per process). */
static int ws_lookup_ex(const char *n, const char *s, const ws_addrinfo *hints,
                        ws_addrinfoex **out)
{
    const char *delay = getenv("NTRUN_TEST_GAI_DELAY_MS");
    if (delay && *delay) {
        long ms = strtol(delay, NULL, 10);
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
        while (ms > 0 && nanosleep(&ts, &ts) != 0)
            ;
    }
    ws_addrinfo *chain = NULL;
    int err = ws_resolve(n, s, hints, &chain, true);
    if (!err) {
        *out = ws_chain_to_ex(chain);
        ws_free_chain(chain);
        if (!*out)
            err = WSA_NOT_ENOUGH_MEMORY;
    }
    return err;
}

/* ---- GetAddrInfoExW's timeout ----
 * A struct timeval (two 32-bit fields, Windows' long), read when the call is made: the lookup is
 * abandoned when no answer has come by then, and the call (or, with an OVERLAPPED, the
 * request's completion) gives WSAETIMEDOUT; an answer that comes later is dropped. The lookup
 * runs on a worker of the default pool (tp_native_post) and the caller, or the request's own
 * worker, waits for it until the deadline: glibc's getaddrinfo cannot be stopped. A timeout
 * pointer that cannot be read: WSAEFAULT; a negative field: WSAEINVAL. */
typedef struct {
    int32_t tv_sec;  /* 0x0 */
    int32_t tv_usec; /* 0x4 */
} ws_timeval;
_Static_assert(sizeof(ws_timeval) == 8, "struct timeval (Windows)");

static int64_t ws_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* *deadline: CLOCK_MONOTONIC ns, 0 without a timeout. 0 or a WSA error. */
static int ws_gai_deadline(const void *timeout, int64_t *deadline)
{
    *deadline = 0;
    if (!timeout)
        return 0;
    ws_timeval tv;
    if (nt_copy_from_user(&tv, timeout, sizeof tv) != 0)
        return WSAEFAULT;
    if (tv.tv_sec < 0 || tv.tv_usec < 0)
        return WSAEINVAL;
    *deadline = ws_mono_ns() + (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
    return 0;
}

static pthread_mutex_t ws_gai_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ws_gai_cond; /* (CLOCK_MONOTONIC) an answer of a timed lookup came */
static pthread_once_t ws_gai_cond_once = PTHREAD_ONCE_INIT;

static void ws_gai_cond_init(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ws_gai_cond, &ca);
    pthread_condattr_destroy(&ca);
}

/* A lookup whose caller waits until a deadline: freed by the caller once it has the answer,
 * by the worker when the caller has left. */
typedef struct {
    char *node, *service;
    bool has_hints;
    ws_addrinfo hints;
    int state; /* ws_gai_lock: 0 looking up, 1 answered, 2 the caller has left (timed out) */
    int err;
    ws_addrinfoex *out;
} ws_gai_timed;

static void ws_gai_timed_free(ws_gai_timed *t)
{
    free(t->node), free(t->service), free(t);
}

static void ws_gai_timed_run(void *ctx)
{
    ws_gai_timed *t = ctx;
    ws_addrinfoex *out = NULL;
    int err = ws_lookup_ex(t->node, t->service, t->has_hints ? &t->hints : NULL, &out);
    pthread_mutex_lock(&ws_gai_lock);
    bool left = t->state == 2;
    if (!left) {
        t->state = 1;
        t->err = err;
        t->out = out;
        pthread_cond_broadcast(&ws_gai_cond);
    }
    pthread_mutex_unlock(&ws_gai_lock);
    if (left) {
        ws_free_chain_ex(out);
        ws_gai_timed_free(t);
    }
}

/* ws_lookup_ex until `deadline` (0: none, the lookup on this thread): WSAETIMEDOUT when no
 * answer has come by then. `hints` is a native copy, or NULL. */
static int ws_lookup_ex_until(const char *n, const char *s, const ws_addrinfo *hints,
                              int64_t deadline, ws_addrinfoex **out)
{
    *out = NULL;
    if (!deadline)
        return ws_lookup_ex(n, s, hints, out);
    ws_gai_timed *t = calloc(1, sizeof *t);
    if (!t)
        return WSA_NOT_ENOUGH_MEMORY;
    t->node = n ? strdup(n) : NULL;
    t->service = s ? strdup(s) : NULL;
    if (hints) {
        t->has_hints = true;
        t->hints = *hints;
    }
    if ((n && !t->node) || (s && !t->service) ||
        tp_native_post(ws_gai_timed_run, t) != STATUS_SUCCESS) {
        ws_gai_timed_free(t);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    pthread_once(&ws_gai_cond_once, ws_gai_cond_init);
    struct timespec ts = {deadline / 1000000000, deadline % 1000000000};
    pthread_mutex_lock(&ws_gai_lock);
    while (t->state == 0 && pthread_cond_timedwait(&ws_gai_cond, &ws_gai_lock, &ts) != ETIMEDOUT)
        ;
    bool answered = t->state == 1;
    if (!answered)
        t->state = 2; /* the worker frees it, and drops the answer */
    pthread_mutex_unlock(&ws_gai_lock);
    if (!answered)
        return WSAETIMEDOUT;
    int err = t->err;
    *out = t->out;
    ws_gai_timed_free(t);
    return err;
}

/* ---- the asynchronous form ----
 * GetAddrInfoExW with an OVERLAPPED: the names and hints are copied, the lookup runs on a worker
 * of the default thread pool (tp_native_post) and the call returns WSA_IO_PENDING with
 * OVERLAPPED.Internal WSAEINPROGRESS and *lpHandle naming the request. At the end the worker
 * writes *ppResult, OVERLAPPED.Pointer = ppResult and OVERLAPPED.Internal = the error (0 or a
 * WSA code), then calls the completion routine (dwError, 0, lpOverlapped) on that pool thread,
 * or sets OVERLAPPED.hEvent; both at once are refused with WSAEINVAL (Windows and Wine).
 * GetAddrInfoExCancel completes a request still running at once with WSA_E_CANCELLED, on the
 * caller's thread, and the lookup's answer, when it comes, is dropped; a request that has
 * completed, or a handle that never named one, gives WSA_INVALID_HANDLE. With a timeout, the
 * request's worker waits for the lookup until the deadline (above) and the request completes
 * with WSAETIMEDOUT then. */
#define WS_WSA_INVALID_HANDLE 6
#define WS_WSA_E_CANCELLED 10111

typedef struct ws_gai_req {
    struct ws_gai_req *next;
    uintptr_t id;               /* the *lpHandle value */
    bool done;                  /* completed (by the worker or a cancel): nobody delivers again */
    int64_t deadline;           /* the timeout's (CLOCK_MONOTONIC ns), 0: none */
    char *node, *service;
    bool has_hints;
    ws_addrinfo hints;
    ws_addrinfoex **result;     /* foreign */
    ws_overlapped *overlapped;  /* foreign */
    void *completion;           /* foreign LPLOOKUPSERVICE_COMPLETION_ROUTINE, or NULL */
    HANDLE event;
} ws_gai_req;

static ws_gai_req *ws_gai_list; /* running requests, ws_gai_lock */
static uintptr_t ws_gai_next_id;

/* Under ws_gai_lock: the running request named id, NULL if none. */
static ws_gai_req **ws_gai_find(uintptr_t id)
{
    for (ws_gai_req **p = &ws_gai_list; *p; p = &(*p)->next)
        if ((*p)->id == id)
            return p;
    return NULL;
}

/* Delivers a request's end to the program: the result, the OVERLAPPED, then the routine or the
 * event. Called once per request, by whoever marked it done. Foreign memory is written with
 * nt_copy_to_user: a program that freed it gets nothing written, not a crash of the runtime. */
static void ws_gai_deliver(ws_gai_req *r, int err, ws_addrinfoex *out)
{
    if (!err && nt_copy_to_user(r->result, &out, sizeof out) != 0) {
        ws_free_chain_ex(out);
        err = WSAEFAULT;
    }
    void *result = r->result;
    ULONG_PTR internal = (ULONG_PTR)(uint32_t)err;
    nt_copy_to_user(&r->overlapped->Offset, &result, sizeof result); /* OVERLAPPED.Pointer */
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the results before Internal says they are there */
    nt_copy_to_user(&r->overlapped->Internal, &internal, sizeof internal);
    if (r->completion)
        thk_call_foreign3(r->completion, (uint32_t)err, 0, (uint64_t)(uintptr_t)r->overlapped);
    else if (r->event)
        NtSetEvent(r->event, NULL);
}

static void ws_gai_free(ws_gai_req *r)
{
    free(r->node), free(r->service), free(r);
}

/* The pool worker's part (native). */
static void ws_gai_run(void *ctx)
{
    ws_gai_req *r = ctx;
    ws_addrinfoex *out = NULL;
    int err = ws_lookup_ex_until(r->node, r->service, r->has_hints ? &r->hints : NULL,
                                 r->deadline, &out);
    pthread_mutex_lock(&ws_gai_lock);
    bool cancelled = r->done;
    r->done = true;
    ws_gai_req **p = ws_gai_find(r->id);
    if (p)
        *p = r->next;
    pthread_mutex_unlock(&ws_gai_lock);
    if (cancelled)
        ws_free_chain_ex(out);
    else
        ws_gai_deliver(r, err, out);
    ws_gai_free(r);
}

static int ws_gai_start(const WCHAR *node, const WCHAR *service, const ws_addrinfoex *hints,
                        ws_addrinfoex **res, ws_overlapped *ov, void *completion,
                        HANDLE *handle, int64_t deadline)
{
    ws_overlapped o;
    ws_addrinfoex *none = NULL;
    if (nt_copy_from_user(&o, ov, sizeof o) != 0 || nt_copy_to_user(res, &none, sizeof none) != 0)
        return WSAEFAULT;
    if (o.hEvent && completion)
        return WSAEINVAL;
    ws_gai_req *r = calloc(1, sizeof *r);
    if (!r)
        return WSA_NOT_ENOUGH_MEMORY;
    int err = ws_names_w(node, service, &r->node, &r->service);
    /* (the hints' first fields are ADDRINFOW's: the lookup reads only those) */
    if (!err && hints) {
        r->has_hints = true;
        if (nt_copy_from_user(&r->hints, hints, sizeof r->hints) != 0)
            err = WSAEFAULT;
    }
    if (err)
        goto free_req;
    r->deadline = deadline;
    r->result = res;
    r->overlapped = ov;
    r->completion = completion;
    r->event = o.hEvent;
    ULONG_PTR pending = WSAEINPROGRESS;
    if (nt_copy_to_user(&ov->Internal, &pending, sizeof pending) != 0) {
        err = WSAEFAULT;
        goto free_req;
    }
    pthread_mutex_lock(&ws_gai_lock);
    r->id = (++ws_gai_next_id) << 2; /* never NULL, never INVALID_HANDLE_VALUE */
    HANDLE h = (HANDLE)r->id;
    if (handle && nt_copy_to_user(handle, &h, sizeof h) != 0) {
        pthread_mutex_unlock(&ws_gai_lock);
        err = WSAEFAULT;
        goto free_req;
    }
    r->next = ws_gai_list;
    ws_gai_list = r;
    pthread_mutex_unlock(&ws_gai_lock);
    if (tp_native_post(ws_gai_run, r) != STATUS_SUCCESS) {
        pthread_mutex_lock(&ws_gai_lock);
        ws_gai_req **p = ws_gai_find(r->id);
        if (p)
            *p = r->next;
        pthread_mutex_unlock(&ws_gai_lock);
        err = WSA_NOT_ENOUGH_MEMORY;
        goto free_req;
    }
    return WSA_IO_PENDING;
free_req:
    ws_gai_free(r);
    return err;
}

static int WINAPI ws_GetAddrInfoExCancel(HANDLE *handle)
{
    HANDLE h;
    if (!handle || nt_copy_from_user(&h, handle, sizeof h) != 0)
        return WSAEINVAL;
    ws_gai_req mine;
    pthread_mutex_lock(&ws_gai_lock);
    ws_gai_req **p = ws_gai_find((uintptr_t)h), *r = p ? *p : NULL;
    bool found = r && !r->done;
    if (found) {
        r->done = true; /* the worker frees it when its lookup returns: deliver from a copy */
        *p = r->next;
        mine = *r;
    }
    pthread_mutex_unlock(&ws_gai_lock);
    if (!found)
        return WS_WSA_INVALID_HANDLE;
    ws_gai_deliver(&mine, WS_WSA_E_CANCELLED, NULL);
    return 0;
}
THK_EXPORT_AS(ws2_32, GetAddrInfoExCancel, ws_GetAddrInfoExCancel, 1);

static int WINAPI ws_GetAddrInfoExOverlappedResult(ws_overlapped *ov)
{
    ULONG_PTR internal;
    if (!ov || nt_copy_from_user(&internal, &ov->Internal, sizeof internal) != 0)
        return WSAEINVAL;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return (int)(uint32_t)internal;
}
THK_EXPORT_AS(ws2_32, GetAddrInfoExOverlappedResult, ws_GetAddrInfoExOverlappedResult, 1);

/* Without an OVERLAPPED the call is synchronous: GetAddrInfoW's lookup in any name space given
 * (NS_ALL, NS_DNS: the one resolver serves them), until the timeout when there is one (above),
 * the completion routine and handle unused. */
static int WINAPI ws_GetAddrInfoExW(const WCHAR *node, const WCHAR *service, uint32_t name_space,
                                    void *provider, const ws_addrinfoex *hints,
                                    ws_addrinfoex **res, void *timeout, void *overlapped,
                                    void *completion, HANDLE *handle)
{
    (void)name_space, (void)provider;
    int err = 0;
    ws_addrinfoex *out = NULL;
    int64_t deadline = 0;
    if (!res) {
        err = WSAEINVAL;
    } else if ((err = ws_gai_deadline(timeout, &deadline)) != 0) {
        /* (the timeout unreadable, or negative) */
    } else if (overlapped) {
        err = ws_gai_start(node, service, hints, res, overlapped, completion, handle, deadline);
    } else {
        char *n = NULL, *s = NULL;
        ws_addrinfo h;
        bool has_hints = hints != NULL;
        err = ws_names_w(node, service, &n, &s);
        /* (a timed lookup runs on another thread: the hints are copied first; the hints'
         * first fields are ADDRINFOW's, all the lookup reads) */
        if (!err && has_hints && deadline && nt_copy_from_user(&h, hints, sizeof h) != 0)
            err = WSAEFAULT;
        if (!err)
            err = deadline ? ws_lookup_ex_until(n, s, has_hints ? &h : NULL, deadline, &out)
                           : ws_lookup_ex(n, s, (const ws_addrinfo *)hints, &out);
        free(n), free(s);
        if (!err && nt_copy_to_user(res, &out, sizeof out) != 0) {
            ws_free_chain_ex(out);
            err = WSAEFAULT;
        }
    }
    thk_set_last_error((uint32_t)err);
    return err;
}
THK_EXPORT_AS(ws2_32, GetAddrInfoExW, ws_GetAddrInfoExW, 10);

static void WINAPI ws_FreeAddrInfoExW(ws_addrinfoex *ai)
{
    ws_free_chain_ex(ai);
}
THK_EXPORT_AS(ws2_32, FreeAddrInfoExW, ws_FreeAddrInfoExW, 1);

static int WINAPI ws_gethostname(char *name, int len)
{
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        return ws_fail(WSAENETDOWN);
    host[sizeof host - 1] = 0;
    size_t l = strlen(host) + 1;
    if (!name || len < 0 || (size_t)len < l)
        return ws_fail(WSAEFAULT);
    if (nt_copy_to_user(name, host, l) != 0)
        return ws_fail(WSAEFAULT);
    return 0;
}
THK_EXPORT_AS(ws2_32, gethostname, ws_gethostname, 2);

static int WINAPI ws_GetHostNameW(WCHAR *name, int len)
{
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        return ws_fail(WSAENETDOWN);
    host[sizeof host - 1] = 0;
    size_t wl;
    WCHAR *w = nt_utf8_to_utf16(host, strlen(host), &wl);
    int err = 0;
    if (!w)
        err = WSA_NOT_ENOUGH_MEMORY;
    else if (!name || len < 0 || (size_t)len < wl + 1 ||
             nt_copy_to_user(name, w, (wl + 1) * sizeof(WCHAR)) != 0)
        err = WSAEFAULT;
    free(w);
    return err ? ws_fail(err) : 0;
}
THK_EXPORT_AS(ws2_32, GetHostNameW, ws_GetHostNameW, 2);

/* ---- byte order ---- */
static uint16_t WINAPI ws_htons(uint16_t v) { return htons(v); }
THK_EXPORT_AS(ws2_32, htons, ws_htons, 1);
THK_EXPORT_AS(ws2_32, ntohs, ws_htons, 1);
static uint32_t WINAPI ws_htonl(uint32_t v) { return htonl(v); }
THK_EXPORT_AS(ws2_32, htonl, ws_htonl, 1);
THK_EXPORT_AS(ws2_32, ntohl, ws_htonl, 1);

/* ---- text addresses ---- */
static uint32_t WINAPI ws_inet_addr(const char *s)
{
    char *c = s ? ws_strdup_a(s, 64) : NULL;
    struct in_addr a;
    uint32_t r = INADDR_NONE;
    if (c && inet_aton(c, &a))
        r = a.s_addr;
    free(c);
    return r;
}
THK_EXPORT_AS(ws2_32, inet_addr, ws_inet_addr, 1);

static _Thread_local char ws_ntoa_buf[16];
static char *WINAPI ws_inet_ntoa(uint32_t addr)
{
    struct in_addr a = {addr};
    inet_ntop(AF_INET, &a, ws_ntoa_buf, sizeof ws_ntoa_buf);
    return ws_ntoa_buf;
}
THK_EXPORT_AS(ws2_32, inet_ntoa, ws_inet_ntoa, 1);

static int ws_pton(int waf, const char *src, void *dst)
{
    int af = ws_family_from_win(waf);
    if (af != AF_INET && af != AF_INET6) {
        thk_set_last_error(WSAEAFNOSUPPORT);
        return -1;
    }
    uint8_t buf[16];
    int r = inet_pton(af, src, buf);
    if (r == 1 && nt_copy_to_user(dst, buf, af == AF_INET ? 4 : 16) != 0) {
        thk_set_last_error(WSAEFAULT);
        return -1;
    }
    return r;
}

static int WINAPI ws_inet_pton(int af, const char *src, void *dst)
{
    char *s = src ? ws_strdup_a(src, 128) : NULL;
    if (!s || !dst) {
        free(s);
        thk_set_last_error(WSAEFAULT);
        return -1;
    }
    int r = ws_pton(af, s, dst);
    free(s);
    return r;
}
THK_EXPORT_AS(ws2_32, inet_pton, ws_inet_pton, 3);

static int WINAPI ws_InetPtonW(int af, const WCHAR *src, void *dst)
{
    WCHAR *w = src ? nt_strdup_from_user_w(src, 128) : NULL;
    char *s = w ? nt_utf16_to_utf8(w, nt_wcslen(w), NULL) : NULL;
    free(w);
    if (!s || !dst) {
        free(s);
        thk_set_last_error(WSAEFAULT);
        return -1;
    }
    int r = ws_pton(af, s, dst);
    free(s);
    return r;
}
THK_EXPORT_AS(ws2_32, InetPtonW, ws_InetPtonW, 3);

static bool ws_ntop(int waf, const void *src, char *out)
{
    int af = ws_family_from_win(waf);
    uint8_t buf[16];
    if (af != AF_INET && af != AF_INET6) {
        thk_set_last_error(WSAEAFNOSUPPORT);
        return false;
    }
    if (!src || nt_copy_from_user(buf, src, af == AF_INET ? 4 : 16) != 0) {
        thk_set_last_error(WSAEFAULT);
        return false;
    }
    inet_ntop(af, buf, out, INET6_ADDRSTRLEN);
    return true;
}

static const char *WINAPI ws_inet_ntop(int af, const void *src, char *dst, size_t size)
{
    char text[INET6_ADDRSTRLEN];
    if (!ws_ntop(af, src, text))
        return NULL;
    size_t l = strlen(text) + 1;
    if (!dst || size < l) {
        thk_set_last_error(WSAEINVAL);
        return NULL;
    }
    if (nt_copy_to_user(dst, text, l) != 0) {
        thk_set_last_error(WSAEFAULT);
        return NULL;
    }
    return dst;
}
THK_EXPORT_AS(ws2_32, inet_ntop, ws_inet_ntop, 4);

static const WCHAR *WINAPI ws_InetNtopW(int af, const void *src, WCHAR *dst, size_t size)
{
    char text[INET6_ADDRSTRLEN];
    if (!ws_ntop(af, src, text))
        return NULL;
    size_t l = strlen(text) + 1;
    if (!dst || size < l) {
        thk_set_last_error(WSAEINVAL);
        return NULL;
    }
    WCHAR w[INET6_ADDRSTRLEN];
    for (size_t i = 0; i < l; i++)
        w[i] = (WCHAR)text[i];
    if (nt_copy_to_user(dst, w, l * sizeof(WCHAR)) != 0) {
        thk_set_last_error(WSAEFAULT);
        return NULL;
    }
    return dst;
}
THK_EXPORT_AS(ws2_32, InetNtopW, ws_InetNtopW, 4);

/* ---- getnameinfo / GetNameInfoW ---- */
#define WS_NI_NOFQDN 0x01
#define WS_NI_NUMERICHOST 0x02
#define WS_NI_NAMEREQD 0x04
#define WS_NI_NUMERICSERV 0x08
#define WS_NI_DGRAM 0x10

/* The host and service names of a Windows sockaddr, in UTF-8; 0 or a WSA error. */
static int ws_nameinfo(const void *sa_user, int salen, char *host, size_t hostlen, char *serv,
                       size_t servlen, int wflags)
{
    struct sockaddr_storage sa;
    socklen_t sl;
    if (wflags & ~(WS_NI_NOFQDN | WS_NI_NUMERICHOST | WS_NI_NAMEREQD | WS_NI_NUMERICSERV |
                   WS_NI_DGRAM))
        return WSAEINVAL;
    int err = ws_addr_in(sa_user, salen, &sa, &sl);
    if (err)
        return err;
    if (sa.ss_family != AF_INET && sa.ss_family != AF_INET6)
        return WSAEAFNOSUPPORT;
    if (sl < (sa.ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                      : sizeof(struct sockaddr_in6)))
        return WSAEFAULT;
    int flags = 0;
    if (wflags & WS_NI_NOFQDN)
        flags |= NI_NOFQDN;
    if (wflags & WS_NI_NUMERICHOST)
        flags |= NI_NUMERICHOST;
    if (wflags & WS_NI_NAMEREQD)
        flags |= NI_NAMEREQD;
    if (wflags & WS_NI_NUMERICSERV)
        flags |= NI_NUMERICSERV;
    if (wflags & WS_NI_DGRAM)
        flags |= NI_DGRAM;
    int e = getnameinfo((struct sockaddr *)&sa, sl, host, (socklen_t)hostlen, serv,
                        (socklen_t)servlen, flags);
    if (e == EAI_OVERFLOW)
        return WSAEFAULT; /* a buffer too small for the name */
    return e ? ws_eai_to_wsa(e) : 0;
}

static int WINAPI ws_getnameinfo(const void *sa, int salen, char *host, uint32_t hostlen,
                                 char *serv, uint32_t servlen, int flags)
{
    char h[1025] = "", s[32] = "";
    int err = 0;
    if ((!host || !hostlen) && (!serv || !servlen))
        err = WSAHOST_NOT_FOUND; /* asked for nothing */
    if (!err)
        err = ws_nameinfo(sa, salen, host && hostlen ? h : NULL, sizeof h,
                          serv && servlen ? s : NULL, sizeof s, flags);
    if (!err && host && hostlen) {
        size_t l = strlen(h) + 1;
        if (l > hostlen || nt_copy_to_user(host, h, l) != 0)
            err = WSAEFAULT;
    }
    if (!err && serv && servlen) {
        size_t l = strlen(s) + 1;
        if (l > servlen || nt_copy_to_user(serv, s, l) != 0)
            err = WSAEFAULT;
    }
    thk_set_last_error((uint32_t)err);
    return err;
}
THK_EXPORT_AS(ws2_32, getnameinfo, ws_getnameinfo, 7);

/* A UTF-8 name into a foreign UTF-16 buffer of cap characters; 0 or a WSA error. */
static int ws_out_w(const char *s, WCHAR *user, uint32_t cap)
{
    size_t wl;
    WCHAR *w = nt_utf8_to_utf16(s, strlen(s), &wl);
    int err = 0;
    if (!w)
        err = WSA_NOT_ENOUGH_MEMORY;
    else if (wl + 1 > cap || nt_copy_to_user(user, w, (wl + 1) * sizeof *w) != 0)
        err = WSAEFAULT;
    free(w);
    return err;
}

static int WINAPI ws_GetNameInfoW(const void *sa, int salen, WCHAR *host, uint32_t hostlen,
                                  WCHAR *serv, uint32_t servlen, int flags)
{
    char h[1025] = "", s[32] = "";
    int err = 0;
    if ((!host || !hostlen) && (!serv || !servlen))
        err = WSAHOST_NOT_FOUND;
    if (!err)
        err = ws_nameinfo(sa, salen, host && hostlen ? h : NULL, sizeof h,
                          serv && servlen ? s : NULL, sizeof s, flags);
    if (!err && host && hostlen)
        err = ws_out_w(h, host, hostlen);
    if (!err && serv && servlen)
        err = ws_out_w(s, serv, servlen);
    thk_set_last_error((uint32_t)err);
    return err;
}
THK_EXPORT_AS(ws2_32, GetNameInfoW, ws_GetNameInfoW, 7);

/* ---- gethostbyname: IPv4 only, in a per-thread hostent as Windows keeps it ---- */
typedef struct {
    char *h_name;       /* 0x00 */
    char **h_aliases;   /* 0x08 */
    int16_t h_addrtype; /* 0x10 */
    int16_t h_length;   /* 0x12 */
    char **h_addr_list; /* 0x18 */
} ws_hostent;
_Static_assert(sizeof(ws_hostent) == 0x20, "hostent");

#define WS_HOSTENT_MAX_ADDRS 32
/* One block per thread, replaced by the thread's next call (Windows: valid until then). */
typedef struct {
    ws_hostent he;
    char *aliases[1];
    char *addr_list[WS_HOSTENT_MAX_ADDRS + 1];
    uint32_t addrs[WS_HOSTENT_MAX_ADDRS];
    char name[256];
} ws_hostent_block;
static __thread ws_hostent_block *ws_thread_hostent;

static ws_hostent *WINAPI ws_gethostbyname(const char *name_user)
{
    char local[256];
    char *name = NULL;
    if (name_user) {
        if (!(name = ws_strdup_a(name_user, 255))) {
            thk_set_last_error(WSAEFAULT);
            return NULL;
        }
    } else { /* NULL: the local host */
        if (gethostname(local, sizeof local) != 0) {
            thk_set_last_error(WSAENETDOWN);
            return NULL;
        }
        local[sizeof local - 1] = 0;
        name = strdup(local);
    }
    struct addrinfo hints = {.ai_family = AF_INET, .ai_flags = AI_CANONNAME}, *res = NULL;
    int e = name ? getaddrinfo(name, NULL, &hints, &res) : EAI_MEMORY;
    if (e != 0) {
        free(name);
        thk_set_last_error((uint32_t)ws_eai_to_wsa(e));
        return NULL;
    }
    ws_hostent_block *b = ws_thread_hostent;
    if (!b && !(b = ws_thread_hostent = malloc(sizeof *b))) {
        freeaddrinfo(res);
        free(name);
        thk_set_last_error(WSA_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    memset(b, 0, sizeof *b);
    snprintf(b->name, sizeof b->name, "%s",
             res->ai_canonname && *res->ai_canonname ? res->ai_canonname : name);
    int n = 0;
    for (struct addrinfo *a = res; a && n < WS_HOSTENT_MAX_ADDRS; a = a->ai_next) {
        uint32_t ip = ((struct sockaddr_in *)a->ai_addr)->sin_addr.s_addr;
        bool dup = false;
        for (int i = 0; i < n; i++)
            dup |= b->addrs[i] == ip;
        if (dup) /* one entry per address, not per socket type */
            continue;
        b->addrs[n] = ip;
        b->addr_list[n] = (char *)&b->addrs[n];
        n++;
    }
    freeaddrinfo(res);
    free(name);
    b->he.h_name = b->name;
    b->he.h_aliases = b->aliases;
    b->he.h_addrtype = WS_AF_INET;
    b->he.h_length = 4;
    b->he.h_addr_list = b->addr_list;
    thk_set_last_error(0);
    return &b->he;
}
THK_EXPORT_AS(ws2_32, gethostbyname, ws_gethostbyname, 1);

/* ---- WSAAddressToStringA/W ---- */
/* The text of a Windows sockaddr as WSAAddressToString gives it: "a.b.c.d", ":port" after it
 * when the port is not 0; for IPv6 "addr", "%scope" when the scope id is not 0, and
 * "[addr%scope]:port" with a port. 0 or a WSA error: WSAEFAULT for an unreadable address,
 * WSAEINVAL for none, one shorter than its family's sockaddr or another family. */
static int ws_addr_text(const void *sa_user, uint32_t len, char *out, size_t cap)
{
    uint8_t sa[28];
    uint16_t fam;
    if (!sa_user || len < 2)
        return WSAEINVAL;
    if (nt_copy_from_user(&fam, sa_user, 2) != 0)
        return WSAEFAULT;
    int af = ws_family_from_win(fam);
    uint32_t need = af == AF_INET ? 16 : af == AF_INET6 ? 28 : 0;
    if (!need)
        return WSAEINVAL;
    if (len < need)
        return WSAEINVAL;
    if (nt_copy_from_user(sa, sa_user, need) != 0)
        return WSAEFAULT;
    uint16_t port = (uint16_t)(sa[2] << 8 | sa[3]);
    char a[INET6_ADDRSTRLEN + 16];
    if (af == AF_INET) {
        inet_ntop(AF_INET, sa + 4, a, sizeof a);
        if (port)
            snprintf(out, cap, "%s:%u", a, port);
        else
            snprintf(out, cap, "%s", a);
        return 0;
    }
    uint32_t scope;
    memcpy(&scope, sa + 24, 4);
    inet_ntop(AF_INET6, sa + 8, a, INET6_ADDRSTRLEN);
    if (scope)
        snprintf(a + strlen(a), 16, "%%%u", scope);
    if (port)
        snprintf(out, cap, "[%s]:%u", a, port);
    else
        snprintf(out, cap, "%s", a);
    return 0;
}

/* The protocol info is not needed for the two families; *len in characters, with the NUL: too
 * small, it gets the size needed and the call fails with WSAEFAULT. */
static int ws_address_to_string(const void *sa, uint32_t salen, void *out, uint32_t *len_user,
                                bool wide)
{
    char text[INET6_ADDRSTRLEN + 32];
    int err = ws_addr_text(sa, salen, text, sizeof text);
    uint32_t cap;
    if (!err && (!len_user || nt_copy_from_user(&cap, len_user, 4) != 0))
        err = WSAEFAULT;
    if (err) {
        thk_set_last_error((DWORD)err);
        return -1;
    }
    uint32_t need = (uint32_t)strlen(text) + 1;
    if (!out || cap < need) {
        nt_copy_to_user(len_user, &need, 4);
        thk_set_last_error(WSAEFAULT);
        return -1;
    }
    WCHAR w[sizeof text];
    for (uint32_t i = 0; i < need; i++)
        w[i] = (WCHAR)(uint8_t)text[i];
    if (nt_copy_to_user(out, wide ? (const void *)w : (const void *)text,
                        need * (wide ? sizeof(WCHAR) : 1)) != 0 ||
        nt_copy_to_user(len_user, &need, 4) != 0) {
        thk_set_last_error(WSAEFAULT);
        return -1;
    }
    return 0;
}

static int WINAPI ws_WSAAddressToStringA(const void *sa, uint32_t salen, void *info, char *out,
                                         uint32_t *len)
{
    (void)info;
    return ws_address_to_string(sa, salen, out, len, false);
}
THK_EXPORT_AS(ws2_32, WSAAddressToStringA, ws_WSAAddressToStringA, 5);

static int WINAPI ws_WSAAddressToStringW(const void *sa, uint32_t salen, void *info, WCHAR *out,
                                         uint32_t *len)
{
    (void)info;
    return ws_address_to_string(sa, salen, out, len, true);
}
THK_EXPORT_AS(ws2_32, WSAAddressToStringW, ws_WSAAddressToStringW, 5);
