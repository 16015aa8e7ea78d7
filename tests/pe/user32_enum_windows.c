/* user32_enum_windows: EnumWindows and EnumThreadWindows visit the top-level windows (two of
 * this thread: an overlapped and a popup one), not a child window nor a message-only one; a
 * callback that returns FALSE stops the walk and EnumWindows returns FALSE; EnumThreadWindows
 * of a thread without windows returns FALSE. Other processes' windows (there are none under
 * ntrun; a desktop has many) are not counted: only ours are. */
#include <stdio.h>
#include <windows.h>

static HWND top1, top2, child, msgonly;
static int seen_top1, seen_top2, seen_child, seen_msg, calls;

static BOOL CALLBACK count(HWND h, LPARAM lp)
{
    calls++;
    seen_top1 += h == top1;
    seen_top2 += h == top2;
    seen_child += h == child;
    seen_msg += h == msgonly;
    return lp != 1 || (h != top1 && h != top2); /* lp 1: stop at the first of ours */
}

static void reset(void) { calls = seen_top1 = seen_top2 = seen_child = seen_msg = 0; }

static DWORD WINAPI idle_thread(void *arg)
{
    (void)arg;
    Sleep(2000);
    return 0;
}

int main(void)
{
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = DefWindowProcW;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"ntrun_enum";
    RegisterClassW(&wc);
    top1 = CreateWindowExW(0, L"ntrun_enum", L"one", WS_OVERLAPPEDWINDOW, 0, 0, 10, 10, NULL,
                           NULL, wc.hInstance, NULL);
    top2 = CreateWindowExW(0, L"ntrun_enum", L"two", WS_POPUP, 0, 0, 10, 10, NULL, NULL,
                           wc.hInstance, NULL);
    child = CreateWindowExW(0, L"ntrun_enum", L"child", WS_CHILD, 0, 0, 5, 5, top1, NULL,
                            wc.hInstance, NULL);
    msgonly = CreateWindowExW(0, L"ntrun_enum", L"msg", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                              wc.hInstance, NULL);
    printf("created: %d %d %d %d\n", top1 != NULL, top2 != NULL, child != NULL, msgonly != NULL);

    reset();
    BOOL r = EnumWindows(count, 0);
    printf("EnumWindows: %d, top-level %d %d, child %d, message-only %d\n", r, seen_top1,
           seen_top2, seen_child, seen_msg);
    reset();
    r = EnumWindows(count, 1);
    printf("stopped at the first: %d, ours seen %d\n", r, seen_top1 + seen_top2);
    reset();
    r = EnumThreadWindows(GetCurrentThreadId(), count, 0);
    printf("EnumThreadWindows(this thread): %d, top-level %d %d, child %d, message-only %d\n", r,
           seen_top1, seen_top2, seen_child, seen_msg);
    DWORD tid;
    HANDLE t = CreateThread(NULL, 0, idle_thread, NULL, 0, &tid);
    reset();
    r = EnumThreadWindows(tid, count, 0);
    printf("EnumThreadWindows(a thread without windows): %d, calls %d\n", r, calls);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    DestroyWindow(top2);
    reset();
    EnumWindows(count, 0);
    printf("after DestroyWindow: top-level %d %d\n", seen_top1, seen_top2);
    DestroyWindow(top1);
    DestroyWindow(msgonly);
    return 0;
}
