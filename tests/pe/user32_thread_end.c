/* A thread that ends while another thread waits in SendMessage to its window: the sender gets
 * 0, the window goes with its thread (IsWindow 0, PostMessage to it ERROR_INVALID_WINDOW_HANDLE),
 * and PostThreadMessage to the ended thread fails (ERROR_INVALID_THREAD_ID). Output as on
 * Windows (Wine 8.0 the same). */
#include <stdio.h>
#include <windows.h>

static HWND wnd;
static HANDLE ready;

static LRESULT CALLBACK proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_USER)
        return 42; /* never reached: the thread ends without looking at its queue */
    return DefWindowProcW(hwnd, msg, wp, lp);
}

static DWORD WINAPI owner(void *arg)
{
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = proc;
    wc.hInstance = GetModuleHandleW(NULL);
    wc.lpszClassName = L"NtrunThreadEnd";
    RegisterClassW(&wc);
    wnd = CreateWindowExW(0, wc.lpszClassName, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                          wc.hInstance, NULL);
    SetEvent(ready);
    /* until a message is sent to us (QS_SENDMESSAGE), then end without answering it */
    DWORD w = MsgWaitForMultipleObjects(0, NULL, FALSE, 10000, QS_SENDMESSAGE);
    return w == WAIT_OBJECT_0 ? 0 : 1;
}

int main(void)
{
    ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    DWORD tid;
    HANDLE t = CreateThread(NULL, 0, owner, NULL, 0, &tid);
    WaitForSingleObject(ready, INFINITE);
    LRESULT r = SendMessageW(wnd, WM_USER, 0, 0);
    WaitForSingleObject(t, INFINITE);
    DWORD code = 9;
    GetExitCodeThread(t, &code);
    printf("SendMessage to the ended thread's window: %lld (owner's exit code %lu)\n",
           (long long)r, code);
    printf("IsWindow: %d\n", IsWindow(wnd));
    SetLastError(0xdeadbeef);
    BOOL ok = PostMessageW(wnd, WM_USER, 0, 0);
    printf("PostMessage: %d error %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = PostThreadMessageW(tid, WM_USER, 0, 0);
    printf("PostThreadMessage: %d error %lu\n", ok, GetLastError());
    CloseHandle(t);
    return 0;
}
