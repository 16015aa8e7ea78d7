// Fibers: ConvertThreadToFiber (twice: ERROR_ALREADY_FIBER), CreateFiber, SwitchToFiber back and
// forth, GetCurrentFiber/GetFiberData, IsThreadAFiber, FLS values per fiber and the FLS callback
// on DeleteFiber, the TEB stack bounds and GetCurrentThreadStackLimits inside a fiber, a C++
// exception (SEH unwinding) thrown and caught on a fiber's stack, ConvertFiberToThread (twice:
// ERROR_ALREADY_THREAD), and a fiber whose routine returns ending its thread.
#include <windows.h>
#include <stdio.h>
#include <stdexcept>

static void *main_fiber, *fiber;
static DWORD fls;
static int callbacks;
static const char *callback_value;
static int data = 5;

static void WINAPI fls_callback(void *v)
{
    callbacks++;
    callback_value = (const char *)v;
}

static int thrower(int depth)
{
    if (depth == 0)
        throw std::runtime_error("from the fiber");
    return thrower(depth - 1) + 1;
}

static void WINAPI fiber_proc(void *param)
{
    printf("fiber: current %d data %d fiber %d\n", GetCurrentFiber() == fiber,
           *(int *)GetFiberData(), IsThreadAFiber());
    printf("fiber: fls starts empty %d\n", FlsGetValue(fls) == NULL);
    FlsSetValue(fls, (void *)"fiber");
    NT_TIB *tib = (NT_TIB *)NtCurrentTeb();
    ULONG_PTR lo, hi;
    GetCurrentThreadStackLimits(&lo, &hi);
    char local;
    printf("fiber: on its stack %d %d\n",
           (char *)&local < (char *)tib->StackBase && (char *)&local >= (char *)tib->StackLimit,
           (ULONG_PTR)&local > lo && (ULONG_PTR)&local < hi);
    try {
        thrower(10);
    } catch (const std::exception &e) {
        printf("fiber: caught \"%s\"\n", e.what());
    }
    SwitchToFiber(main_fiber);
    printf("fiber: back, fls %s\n", (const char *)FlsGetValue(fls));
    SwitchToFiber(main_fiber);
    printf("not reached\n");
}

static void WINAPI returning_fiber(void *param)
{
    *(int *)param = 1;
}

static DWORD WINAPI thread_proc(void *param)
{
    ConvertThreadToFiber(NULL);
    void *f = CreateFiber(0x10000, returning_fiber, param);
    SwitchToFiber(f);
    return 99; // not reached: the fiber's return ends the thread
}

int main()
{
    printf("fiber before: %d\n", IsThreadAFiber());
    int mine = 3;
    main_fiber = ConvertThreadToFiber(&mine);
    printf("convert: %d current %d data %d fiber %d\n", main_fiber != NULL,
           GetCurrentFiber() == main_fiber, *(int *)GetFiberData(), IsThreadAFiber());
    SetLastError(0);
    void *again = ConvertThreadToFiber(NULL);
    printf("convert again: %d error %lu\n", again != NULL, GetLastError());
    fls = FlsAlloc(fls_callback);
    FlsSetValue(fls, (void *)"main");
    fiber = CreateFiber(0, fiber_proc, &data);
    printf("create: %d\n", fiber != NULL);
    SwitchToFiber(fiber);
    printf("main: back, current %d fls %s\n", GetCurrentFiber() == main_fiber,
           (const char *)FlsGetValue(fls));
    SwitchToFiber(fiber);
    printf("main: back again\n");
    DeleteFiber(fiber);
    printf("delete: callbacks %d value %s\n", callbacks, callback_value);
    BOOL r = ConvertFiberToThread();
    printf("to thread: %d fiber %d\n", r, IsThreadAFiber());
    SetLastError(0);
    r = ConvertFiberToThread();
    printf("to thread again: %d error %lu\n", r, GetLastError());
    printf("fls still main: %s\n", (const char *)FlsGetValue(fls));

    int ran = 0;
    HANDLE t = CreateThread(NULL, 0, thread_proc, &ran, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    DWORD code = 7;
    GetExitCodeThread(t, &code);
    printf("returning fiber: ran %d thread ended %d\n", ran, code != 99 && code != STILL_ACTIVE);
    return 0;
}
