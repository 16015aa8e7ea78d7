/* tls_alloc_index: TlsAlloc never gives index 0 (Wine reserves it; Rust's std of 2018 keeps 0
 * for "no key yet" and asserts that TlsAlloc never returns it: clipboardy's clipboard_x86_64.exe
 * panicked on its first thread-local), reuses the lowest free index after TlsFree, gives a new
 * index a NULL value in every thread, and fails with TLS_OUT_OF_INDEXES and
 * ERROR_NO_MORE_ITEMS (259) once all are taken (more than 1000: 64 in the TEB and 1024 in the
 * expansion slots); TlsFree of a free index and of one out of range fails with
 * ERROR_INVALID_PARAMETER. */
#include <stdio.h>
#include <windows.h>

static DWORD all[2000];

static DWORD WINAPI peek(void *arg)
{
    SetLastError(0xdeadbeef);
    void *v = TlsGetValue((DWORD)(UINT_PTR)arg);
    printf("other thread: value %p, error %lu\n", v, GetLastError());
    return 0;
}

int main(void)
{
    DWORD a = TlsAlloc(), b = TlsAlloc();
    printf("two indexes: %s, %s, different %d\n", a ? "not 0" : "0", b ? "not 0" : "0", a != b);
    TlsSetValue(a, (void *)0x1234);
    printf("freed and taken again: %d\n", TlsFree(a) && TlsAlloc() == a);
    SetLastError(0xdeadbeef);
    void *v = TlsGetValue(a);
    printf("value of the new index: %p, error %lu\n", v, GetLastError());
    TlsSetValue(b, (void *)0x5678);
    TlsFree(b);
    DWORD c = TlsAlloc();
    HANDLE t = CreateThread(NULL, 0, peek, (void *)(UINT_PTR)c, 0, NULL);
    WaitForSingleObject(t, INFINITE);
    CloseHandle(t);

    int n = 0, zero = 0;
    while (n < 2000) {
        SetLastError(0xdeadbeef);
        all[n] = TlsAlloc();
        if (all[n] == TLS_OUT_OF_INDEXES)
            break;
        zero |= all[n] == 0;
        n++;
    }
    printf("until none is left: more than 1000 %d, a 0 among them %d, then %s, error %lu\n",
           n > 1000, zero, n < 2000 && all[n] == TLS_OUT_OF_INDEXES ? "TLS_OUT_OF_INDEXES" : "?",
           GetLastError());
    for (int i = 0; i < n; i++)
        TlsFree(all[i]);
    SetLastError(0xdeadbeef);
    BOOL ok = TlsFree(all[0]);
    printf("TlsFree of a free index: %d, error %lu\n", ok, GetLastError());
    SetLastError(0xdeadbeef);
    ok = TlsFree(5000);
    printf("TlsFree(5000): %d, error %lu\n", ok, GetLastError());
    return 0;
}
