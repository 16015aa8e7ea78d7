/* dll_threads: threads and a DLL of our own (mydll.dll, imported statically). A new thread
 * calls mydll's DllMain with DLL_THREAD_ATTACH before its start routine and DLL_THREAD_DETACH
 * after it, on that thread (the thread sees mydll's TLS template value, 1000, in both, and its
 * own copy of the TLS variable, not the main thread's); mydll's TLS callback runs for the
 * thread too; mydll2's and notls's entry points get both calls as well.
 * DisableThreadLibraryCalls fails for DLLs with static TLS (mydll; mydll2, as every DLL with
 * mingw-w64's C runtime has a TLS directory) and works for notls.dll (no C runtime, no TLS): a
 * second thread calls mydll's and mydll2's DllMain again but not notls's entry point. Output comes from DllMain (on the worker, while main waits) and
 * from main after each thread ended, so its order is fixed. */
#include <stdio.h>
#include <windows.h>

__declspec(dllimport) int MyTlsBump(int add);
__declspec(dllimport) int MyThreadAttaches(void);
__declspec(dllimport) int MyThreadDetaches(void);
__declspec(dllimport) int MyTlsCallbackCalls(void);
__declspec(dllimport) int MyDisableThreadCalls(void);
__declspec(dllimport) int Mydll2ThreadCalls(void);
__declspec(dllimport) int Mydll2DisableThreadCalls(void);
__declspec(dllimport) int NotlsThreadCalls(void);
__declspec(dllimport) int NotlsDisableThreadCalls(void);

static int seen_first, seen_second;

static DWORD WINAPI worker(void *arg)
{
    seen_first = MyTlsBump(7);
    seen_second = MyTlsBump(0);
    return 0;
}

static void run_thread(const char *what)
{
    printf("main: starting %s\n", what);
    fflush(stdout);
    int callbacks = MyTlsCallbackCalls();
    HANDLE t = CreateThread(NULL, 0, worker, NULL, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);
    printf("main: %s saw TLS %d then %d; TLS callback calls for it: %d\n", what, seen_first,
           seen_second, MyTlsCallbackCalls() - callbacks);
    printf("main: mydll thread attaches %d, detaches %d; mydll2 thread calls %d; notls thread "
           "calls %d\n", MyThreadAttaches(), MyThreadDetaches(), Mydll2ThreadCalls(),
           NotlsThreadCalls());
}

int main(void)
{
    MyTlsBump(100); /* the main thread's copy: 1100 from now on */
    run_thread("thread 1");
    printf("main: DisableThreadLibraryCalls(mydll, which has static TLS): %d\n",
           MyDisableThreadCalls());
    printf("main: DisableThreadLibraryCalls(mydll2, also with a TLS directory): %d\n",
           Mydll2DisableThreadCalls());
    printf("main: DisableThreadLibraryCalls(notls): %d\n", NotlsDisableThreadCalls());
    run_thread("thread 2");
    printf("main: own TLS %d\n", MyTlsBump(0));
    return 0;
}
