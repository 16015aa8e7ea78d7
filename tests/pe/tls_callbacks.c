/* tls_callbacks: the image's TLS directory. A TLS callback placed in .CRT$XLB (mingw-w64 links
 * every .CRT$XL? pointer into the callback array of _tls_used) runs with DLL_PROCESS_ATTACH
 * before main and already sees this thread's copy of the TLS template (a variable placed in
 * .tls$ by hand and reached through TEB.ThreadLocalStoragePointer[_tls_index], the way MSVC's
 * __declspec(thread) compiles); gcc's __thread variables (emulated by libgcc on top of TlsAlloc
 * with this toolchain) with non-zero initialisers; TlsAlloc/TlsSetValue/TlsGetValue/TlsFree;
 * and at exit the callback runs again with DLL_PROCESS_DETACH, after main's output (it writes
 * its line with WriteFile: msvcrt has finished by then).
 *
 * Expected output checked with Wine 8, except the last line: Windows' LdrShutdownProcess calls
 * the executable's TLS callbacks with DLL_PROCESS_DETACH after the DLLs' detach notifications;
 * Wine 8 does not call them for the executable. The expected file follows Windows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "fail_check.h"

extern const IMAGE_TLS_DIRECTORY _tls_used;
static void *tls_template_start(void) { return (void *)_tls_used.StartAddressOfRawData; }

/* Native PE TLS: part of the template between _tls_start (.tls) and _tls_end (.tls$ZZZ). */
__attribute__((section(".tls$BBB"))) int pe_tls_value = 0x1234567;
extern ULONG _tls_index;

/* This thread's copy of a variable of the TLS template. */
static void *tls_slot(void *template_var)
{
    void **tls_array;
    __asm__("mov %%gs:0x58, %0" : "=r"(tls_array)); /* TEB.ThreadLocalStoragePointer */
    if (!tls_array || !tls_array[_tls_index])
        return NULL;
    return (char *)tls_array[_tls_index] +
           ((char *)template_var - (char *)tls_template_start());
}

static __thread int tls_counter = 1234;
static __thread char tls_name[16] = "initial";
static __thread int tls_zero; /* .tbss: zero-filled */

/* What the callback saw, for main to print. */
static volatile int main_started;
static int events[8];
static int event_count;
static int attach_saw_counter = -1;
static char attach_saw_name[16];
static int attach_saw_zero = -1;
static int attach_saw_main_started = -1;
static void *attach_saw_image = NULL;
static int attach_saw_pe_tls = -1;

static void write_raw(const char *s)
{
    DWORD done;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &done, NULL);
}

static void NTAPI tls_callback(PVOID image, DWORD reason, PVOID reserved)
{
    (void)reserved;
    if (event_count < 8)
        events[event_count++] = (int)reason;
    if (reason == DLL_PROCESS_ATTACH) {
        attach_saw_counter = tls_counter;
        memcpy(attach_saw_name, tls_name, sizeof attach_saw_name);
        attach_saw_zero = tls_zero;
        attach_saw_main_started = main_started;
        attach_saw_image = image;
        int *slot = tls_slot(&pe_tls_value);
        attach_saw_pe_tls = slot ? *slot : -1;
        tls_counter += 1; /* main must see this change: same thread, same block */
    } else if (reason == DLL_PROCESS_DETACH) {
        write_raw(main_started == 2 ? "tls callback: DLL_PROCESS_DETACH after main returned\r\n"
                                    : "tls callback: DLL_PROCESS_DETACH at a wrong time\r\n");
    }
}

/* The callback goes into the array mingw-w64's tlssup.c brackets with .CRT$XLA and .CRT$XLZ.
 * Referring to _tls_used keeps the TLS directory (and this array) in the image. */
__attribute__((section(".CRT$XLB"), used)) PIMAGE_TLS_CALLBACK p_tls_callback = tls_callback;

static const char *reason_name(int r)
{
    switch (r) {
    case DLL_PROCESS_ATTACH: return "DLL_PROCESS_ATTACH";
    case DLL_PROCESS_DETACH: return "DLL_PROCESS_DETACH";
    case DLL_THREAD_ATTACH: return "DLL_THREAD_ATTACH";
    case DLL_THREAD_DETACH: return "DLL_THREAD_DETACH";
    }
    return "?";
}

int main(void)
{
    main_started = 1;
    printf("TLS directory present: %s\n", _tls_used.AddressOfCallBacks ? "yes" : "no");

    printf("callback events before main: %d\n", event_count);
    for (int i = 0; i < event_count; i++)
        printf("  event %d: %s\n", i, reason_name(events[i]));
    CHECK(10, event_count >= 1 && events[0] == DLL_PROCESS_ATTACH);
    printf("callback ran before main: %s\n", attach_saw_main_started == 0 ? "yes" : "no");
    printf("callback's image argument is the module: %s\n",
           attach_saw_image == (void *)GetModuleHandleA(NULL) ? "yes" : "no");
    printf("callback saw the PE TLS value 0x%x\n", attach_saw_pe_tls);
    printf("callback saw tls_counter = %d, tls_name = %s, tls_zero = %d\n", attach_saw_counter,
           attach_saw_name, attach_saw_zero);

    /* ---- native PE TLS in main ---- */
    int *slot = tls_slot(&pe_tls_value);
    CHECK(12, slot != NULL);
    printf("this thread's copy is not the template: %s\n", slot != &pe_tls_value ? "yes" : "no");
    printf("PE TLS value in main: 0x%x\n", *slot);
    *slot = 0x7654321;
    printf("after writing the copy: copy 0x%x, template 0x%x\n", *slot, pe_tls_value);

    /* ---- __thread in main ---- */
    printf("main sees tls_counter = %d (the callback added 1)\n", tls_counter);
    tls_counter *= 2;
    strcpy(tls_name, "changed");
    tls_zero = 77;
    printf("after writing: tls_counter = %d, tls_name = %s, tls_zero = %d\n", tls_counter,
           tls_name, tls_zero);

    /* ---- TlsAlloc & co ---- */
    DWORD idx = TlsAlloc();
    CHECK(20, idx != TLS_OUT_OF_INDEXES);
    printf("TlsAlloc: ok\n");
    SetLastError(0xdeadbeef);
    void *v = TlsGetValue(idx);
    printf("TlsGetValue of a new slot: %p, last error %lu\n", v, GetLastError());
    CHECK(21, TlsSetValue(idx, (void *)0x5a5a));
    printf("TlsGetValue after TlsSetValue: %p\n", TlsGetValue(idx));
    DWORD idx2 = TlsAlloc();
    CHECK(22, idx2 != TLS_OUT_OF_INDEXES && idx2 != idx);
    printf("second TlsAlloc gives a different slot: yes\n");
    CHECK(23, TlsSetValue(idx2, (void *)0x77));
    printf("slots are independent: %p %p\n", TlsGetValue(idx), TlsGetValue(idx2));
    CHECK(24, TlsFree(idx2));
    CHECK(25, TlsFree(idx));
    SetLastError(0xdeadbeef);
    BOOL ok = TlsSetValue(5000, (void *)1);
    printf("TlsSetValue(5000): %s, last error %lu\n", ok ? "TRUE" : "FALSE", GetLastError());

    printf("main returns 0\n");
    fflush(stdout);
    main_started = 2;
    return 0;
}
