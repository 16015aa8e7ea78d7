/* user32 message queues of a console program, no drawing: a class registered once (twice:
 * ERROR_CLASS_ALREADY_EXISTS), RegisterWindowMessage sharing the class atoms, a message-only
 * window (HWND_MESSAGE) and a hidden top-level one, window longs (GWLP_USERDATA, GWLP_WNDPROC,
 * the extra bytes, a bad index), posted messages in order with hwnd/range filters and
 * PM_NOREMOVE, a sent message delivered before the posted ones, SendMessage to another
 * thread's window (run on that thread, which sends back while the first waits), WM_QUIT after
 * the posted messages and GetMessage's 0, WM_TIMER after posted messages and a TIMERPROC
 * through DispatchMessage, MsgWaitForMultipleObjects waking on new input only (or on any with
 * MWMO_INPUTAVAILABLE, objects first), PostThreadMessage to a thread without a queue,
 * DestroyWindow's messages, its refusal from another thread, and the bad-hwnd errors
 * (GetMessage -1). Output as on Windows. */
#include <windows.h>
#include <stdio.h>

#define WM_PING (WM_USER + 1)
#define WM_CALLBACK (WM_USER + 2)
#define WM_STOP (WM_USER + 9)

static DWORD main_tid, worker_tid;
static HWND main_wnd, worker_wnd;
static HANDLE worker_ready;

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    const char *who = hwnd && hwnd == worker_wnd ? "worker"
                      : hwnd && hwnd == main_wnd ? "main" : "other";
    const char *on = GetCurrentThreadId() == main_tid ? "main" : "worker";
    switch (msg) {
    case WM_CREATE: {
        CREATESTRUCTW *cs = (CREATESTRUCTW *)lp;
        printf("  WM_CREATE params=%s name=%ls\n", (const char *)cs->lpCreateParams,
               cs->lpszName ? cs->lpszName : L"(null)");
        return strcmp((const char *)cs->lpCreateParams, "fail") == 0 ? -1 : 0;
    }
    case WM_DESTROY:
    case WM_NCDESTROY:
        printf("  %s %s\n", msg == WM_DESTROY ? "WM_DESTROY" : "WM_NCDESTROY", who);
        return 0;
    case WM_TIMER:
        printf("  WM_TIMER %s id %llu\n", who, (unsigned long long)wp);
        return 0;
    case WM_PING:
        printf("  WM_PING %s on %s wp %llu insend %d\n", who, on, (unsigned long long)wp,
               InSendMessage());
        if (wp == 100) /* sent by main to the worker: the worker sends back while main waits */
            printf("  callback returned %lld\n", (long long)SendMessageW(main_wnd, WM_CALLBACK, 5, 0));
        return (LRESULT)wp * 2;
    case WM_CALLBACK:
        printf("  WM_CALLBACK %s on %s\n", who, on);
        return 55;
    }
    if (msg >= WM_USER)
        printf("  WM_USER+%u %s on %s wp %llu\n", msg - WM_USER, who, on, (unsigned long long)wp);
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static const WCHAR cls_name[] = L"NtrunMessageTest";

/* A result and the last error it left (read after the call, whatever the argument order). */
static void show_err(const char *label, long long r)
{
    printf("%s: %lld error %lu\n", label, r, GetLastError());
}
#define CHECK(label, expr) (SetLastError(0xdeadbeef), show_err(label, (long long)(expr)))

static void show_msg(const char *label, BOOL r, const MSG *m)
{
    if (!r) {
        printf("%s: none\n", label);
        return;
    }
    const char *who = !m->hwnd ? "thread" : m->hwnd == worker_wnd ? "worker"
                      : m->hwnd == main_wnd ? "main" : "other";
    if (m->message >= WM_USER)
        printf("%s: WM_USER+%u %s wp %llu\n", label, m->message - WM_USER, who,
               (unsigned long long)m->wParam);
    else
        printf("%s: 0x%x %s wp %llu\n", label, m->message, who, (unsigned long long)m->wParam);
}

static DWORD WINAPI worker(void *arg)
{
    worker_tid = GetCurrentThreadId();
    worker_wnd = CreateWindowExW(0, cls_name, L"worker", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                 GetModuleHandleW(NULL), "worker");
    SetEvent(worker_ready);
    MSG m;
    BOOL r;
    while ((r = GetMessageW(&m, NULL, 0, 0)) > 0) {
        if (m.message == WM_STOP) {
            CHECK("  worker: DestroyWindow(main)", DestroyWindow(main_wnd));
            DestroyWindow(worker_wnd);
            PostQuitMessage(7);
            continue;
        }
        DispatchMessageW(&m);
    }
    printf("  worker: GetMessage %d WM_QUIT %d code %llu\n", r, m.message == WM_QUIT,
           (unsigned long long)m.wParam);
    return 0;
}

/* Sends WM_PING 200 to main_wnd from another thread (after posting WM_USER+3 to it). */
static LRESULT sender_result;
static DWORD WINAPI sender(void *arg)
{
    PostMessageW(main_wnd, WM_USER + 3, 1, 0);
    sender_result = SendMessageW(main_wnd, WM_PING, 200, 0);
    return 0;
}

static DWORD WINAPI quiet(void *arg)
{
    WaitForSingleObject((HANDLE)arg, INFINITE);
    return 0;
}

static DWORD WINAPI poster(void *arg)
{
    Sleep(50);
    PostThreadMessageW(main_tid, WM_USER + 4, 4, 0);
    return 0;
}

static VOID CALLBACK timer_proc(HWND hwnd, UINT msg, UINT_PTR id, DWORD time)
{
    printf("  timer_proc hwnd %p msg 0x%x id-matches\n", (void *)hwnd, msg);
}

int main(void)
{
    main_tid = GetCurrentThreadId();
    HINSTANCE inst = GetModuleHandleW(NULL);
    WNDCLASSEXW wc = {sizeof wc};
    wc.lpfnWndProc = proc;
    wc.cbWndExtra = 16;
    wc.hInstance = inst;
    wc.lpszClassName = cls_name;
    ATOM atom = RegisterClassExW(&wc);
    printf("RegisterClassExW: atom>=0xC000 %d\n", atom >= 0xC000);
    CHECK("again", RegisterClassExW(&wc));
    UINT m1 = RegisterWindowMessageW(L"NtrunTestMessage");
    printf("RegisterWindowMessage: >=0xC000 %d same %d any-case %d class-atom %d\n",
           m1 >= 0xC000, m1 == RegisterWindowMessageW(L"NtrunTestMessage"),
           m1 == RegisterWindowMessageA("ntruntestMESSAGE"),
           RegisterWindowMessageW(cls_name) == atom);
    WNDCLASSEXW info = {sizeof info};
    BOOL found = GetClassInfoExW(inst, cls_name, &info) != 0;
    printf("GetClassInfoExW: %d proc %d extra %d\n", found, info.lpfnWndProc == proc,
           info.cbWndExtra);

    SetLastError(0xdeadbeef);
    HWND none = CreateWindowExW(0, L"NoSuchClass", NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, inst, NULL);
    show_err("unknown class", (long long)(ULONG_PTR)none);
    printf("CreateWindowExW (WM_CREATE returns -1):\n");
    HWND failed = CreateWindowExW(0, cls_name, L"x", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, inst, "fail");
    printf("  -> %p\n", (void *)failed);

    printf("CreateWindowExW main (message-only):\n");
    main_wnd = CreateWindowExW(0, cls_name, L"main window", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                               inst, "main");
    WCHAR title[64] = {0};
    GetWindowTextW(main_wnd, title, 64);
    DWORD pid = 0;
    BOOL is_main = GetWindowThreadProcessId(main_wnd, &pid) == main_tid;
    printf("  IsWindow %d title \"%ls\" thread-is-main %d pid-is-ours %d unicode %d\n",
           IsWindow(main_wnd), title, is_main, pid == GetCurrentProcessId(),
           IsWindowUnicode(main_wnd));
    printf("CreateWindowExA hidden top-level:\n");
    HWND top = CreateWindowExA(0, "NtrunMessageTest", "top", WS_OVERLAPPEDWINDOW, 0, 0, 100, 100,
                               NULL, NULL, inst, "top");
    printf("  FindWindowW finds it %d, FindWindowExW(HWND_MESSAGE) finds main %d\n",
           FindWindowW(cls_name, L"top") == top,
           FindWindowExW(HWND_MESSAGE, NULL, cls_name, L"main window") == main_wnd);

    /* window longs */
    SetLastError(0xdeadbeef);
    LONG_PTR prev = SetWindowLongPtrW(main_wnd, GWLP_USERDATA, 0x1234);
    printf("USERDATA: prev %lld now 0x%llx\n", (long long)prev,
           (long long)GetWindowLongPtrW(main_wnd, GWLP_USERDATA));
    SetWindowLongPtrW(main_wnd, 8, 0x5566778899LL);
    printf("extra[8]: 0x%llx extra[0] %lld\n", (long long)GetWindowLongPtrW(main_wnd, 8),
           (long long)GetWindowLongPtrW(main_wnd, 0));
    CHECK("extra[12] as pointer", GetWindowLongPtrW(main_wnd, 12));
    CHECK("index -100", GetWindowLongPtrW(main_wnd, -100));
    printf("WNDPROC is proc %d\n", (WNDPROC)GetWindowLongPtrW(main_wnd, GWLP_WNDPROC) == proc);

    /* posted messages, filters */
    MSG m;
    PostMessageW(main_wnd, WM_USER + 1, 1, 0);
    PostMessageW(NULL, WM_USER + 2, 2, 0);
    PostMessageW(top, WM_USER + 3, 3, 0);
    PostThreadMessageW(main_tid, WM_USER + 5, 5, 0);
    show_msg("peek noremove", PeekMessageW(&m, NULL, 0, 0, PM_NOREMOVE), &m);
    show_msg("peek hwnd top", PeekMessageW(&m, top, 0, 0, PM_REMOVE), &m);
    show_msg("peek hwnd top again", PeekMessageW(&m, top, 0, 0, PM_REMOVE), &m);
    show_msg("peek range +4..+5", PeekMessageW(&m, NULL, WM_USER + 4, WM_USER + 5, PM_REMOVE), &m);
    show_msg("peek hwnd -1", PeekMessageW(&m, (HWND)-1, 0, 0, PM_REMOVE), &m);
    show_msg("get", GetMessageW(&m, NULL, 0, 0), &m);
    printf("dispatch returned %lld\n", (long long)DispatchMessageW(&m));
    show_msg("peek empty", PeekMessageW(&m, NULL, 0, 0, PM_REMOVE), &m);
    printf("SendMessage same thread: %lld\n", (long long)SendMessageW(main_wnd, WM_PING, 21, 0));

    /* WM_QUIT after the posted messages */
    PostMessageW(main_wnd, WM_USER + 6, 6, 0);
    PostQuitMessage(3);
    PostMessageW(main_wnd, WM_USER + 7, 7, 0);
    BOOL r;
    for (int i = 0; i < 3; i++) {
        r = GetMessageW(&m, NULL, 0, 0);
        printf("GetMessage %d: ", r);
        show_msg("", TRUE, &m);
    }

    /* another thread: a sent message comes before a posted one */
    HANDLE t = CreateThread(NULL, 0, sender, NULL, 0, NULL);
    printf("MsgWait for a sent message: %lu\n",
           MsgWaitForMultipleObjects(0, NULL, FALSE, INFINITE, QS_SENDMESSAGE));
    printf("status has sent %d\n", (HIWORD(GetQueueStatus(QS_SENDMESSAGE | QS_POSTMESSAGE)) &
                                    QS_SENDMESSAGE) != 0);
    show_msg("peek after the send", PeekMessageW(&m, NULL, 0, 0, PM_REMOVE), &m);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    printf("the sender's SendMessage returned %lld\n", (long long)sender_result);

    /* the worker's window */
    worker_ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    HANDLE w = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    WaitForSingleObject(worker_ready, INFINITE);
    printf("worker window: thread-is-worker %d\n",
           GetWindowThreadProcessId(worker_wnd, NULL) == worker_tid);
    printf("SendMessage to the worker:\n");
    printf("  returned %lld\n", (long long)SendMessageW(worker_wnd, WM_PING, 100, 0));
    DWORD_PTR res = 0;
    LRESULT sent = SendMessageTimeoutW(worker_wnd, WM_PING, 4, 0, SMTO_NORMAL, 10000, &res);
    printf("SendMessageTimeout: %d result %llu\n", (int)sent, (unsigned long long)res);
    PostMessageW(worker_wnd, WM_STOP, 0, 0);
    WaitForSingleObject(w, INFINITE);
    CloseHandle(w);
    printf("worker window after the thread: IsWindow %d\n", IsWindow(worker_wnd));

    /* PostThreadMessage to a thread without a queue */
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD qtid;
    HANDLE q = CreateThread(NULL, 0, quiet, ev, 0, &qtid);
    CHECK("PostThreadMessage to a thread without a queue", PostThreadMessageW(qtid, WM_USER, 0, 0));
    SetEvent(ev);
    WaitForSingleObject(q, INFINITE);
    CloseHandle(q);

    /* timers */
    SetTimer(main_wnd, 5, 20, NULL);
    int ticks = 0;
    while (ticks < 3 && GetMessageW(&m, NULL, 0, 0) > 0) {
        if (m.message == WM_TIMER && m.hwnd == main_wnd && m.wParam == 5)
            ticks++;
        DispatchMessageW(&m);
    }
    Sleep(40);
    PostMessageW(main_wnd, WM_USER + 8, 8, 0);
    show_msg("timer due, a message posted after", PeekMessageW(&m, NULL, 0, 0, PM_REMOVE), &m);
    show_msg("then", PeekMessageW(&m, NULL, 0, 0, PM_REMOVE), &m);
    BOOL killed = KillTimer(main_wnd, 5);
    printf("KillTimer %d, again %d\n", killed, KillTimer(main_wnd, 5));
    show_msg("no timer left", PeekMessageW(&m, NULL, WM_TIMER, WM_TIMER, PM_REMOVE), &m);
    UINT_PTR tid = SetTimer(NULL, 0, 10, timer_proc);
    printf("thread timer id nonzero %d\n", tid != 0);
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        if (m.message == WM_TIMER) {
            /* lParam: the TIMERPROC (Microsoft's WM_TIMER page; Wine 8.0 gives a handle) */
            printf("thread timer: hwnd %p id-matches %d proc %d\n", (void *)m.hwnd, m.wParam == tid,
                   m.lParam == (LPARAM)timer_proc);
            DispatchMessageW(&m);
            break;
        }
    }
    printf("KillTimer(NULL) %d\n", KillTimer(NULL, tid));

    /* MsgWaitForMultipleObjects */
    HANDLE e = CreateEventW(NULL, TRUE, FALSE, NULL);
    printf("MsgWait nothing: %lu\n", MsgWaitForMultipleObjects(1, &e, FALSE, 0, QS_ALLINPUT));
    PostMessageW(main_wnd, WM_USER + 1, 0, 0);
    printf("MsgWait new post: %lu\n", MsgWaitForMultipleObjects(1, &e, FALSE, 0, QS_ALLINPUT));
    printf("MsgWait new post, timers only: %lu\n", MsgWaitForMultipleObjects(1, &e, FALSE, 0, QS_TIMER));
    PeekMessageW(&m, NULL, 0, 0, PM_NOREMOVE);
    printf("MsgWait seen post: %lu\n", MsgWaitForMultipleObjects(1, &e, FALSE, 0, QS_ALLINPUT));
    printf("MsgWaitEx seen post, INPUTAVAILABLE: %lu\n",
           MsgWaitForMultipleObjectsEx(1, &e, 0, QS_ALLINPUT, MWMO_INPUTAVAILABLE));
    SetEvent(e);
    printf("MsgWaitEx event and post: %lu\n",
           MsgWaitForMultipleObjectsEx(1, &e, 0, QS_ALLINPUT, MWMO_INPUTAVAILABLE));
    ResetEvent(e);
    PeekMessageW(&m, NULL, 0, 0, PM_REMOVE);
    HANDLE p = CreateThread(NULL, 0, poster, NULL, 0, NULL);
    printf("MsgWait until another thread posts: %lu\n",
           MsgWaitForMultipleObjects(1, &e, FALSE, INFINITE, QS_POSTMESSAGE));
    show_msg("  then", PeekMessageW(&m, NULL, 0, 0, PM_REMOVE), &m);
    WaitForSingleObject(p, INFINITE);
    CloseHandle(p);
    CloseHandle(e);

    /* bad handles, sync-only messages */
    HWND bad = (HWND)(ULONG_PTR)0x12340;
    CHECK("GetMessage bad hwnd", GetMessageW(&m, bad, 0, 0));
    CHECK("PeekMessage bad hwnd", PeekMessageW(&m, bad, 0, 0, PM_REMOVE));
    CHECK("PostMessage bad hwnd", PostMessageW(bad, WM_USER, 0, 0));
    CHECK("SendMessage bad hwnd", SendMessageW(bad, WM_USER, 0, 0));
    CHECK("PostMessage WM_SETTEXT", PostMessageW(main_wnd, WM_SETTEXT, 0, 0));

    /* destruction */
    PostMessageW(top, WM_USER + 1, 0, 0);
    CHECK("UnregisterClass with windows", UnregisterClassW(cls_name, inst));
    printf("DestroyWindow top:\n");
    printf("  -> %d\n", DestroyWindow(top));
    show_msg("its posted message", PeekMessageW(&m, NULL, 0, 0, PM_REMOVE), &m);
    printf("DestroyWindow main:\n");
    printf("  -> %d\n", DestroyWindow(main_wnd));
    CHECK("again", DestroyWindow(main_wnd));
    printf("IsWindow %d\n", IsWindow(main_wnd));
    printf("UnregisterClass: %d\n", UnregisterClassW(cls_name, inst));
    return 0;
}
