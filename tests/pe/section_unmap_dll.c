/* NtUnmapViewOfSection / UnmapViewOfFile of a DLL the program loaded with LoadLibrary: Windows
 * unmaps the image (it is a view of an image section like any other), and calls into it fault.
 *  - notls.dll (no C runtime): its function answers, then UnmapViewOfFile(module) succeeds, the
 *    module's address is MEM_FREE, and calling the function raises an access violation at its
 *    address (a vectored handler returns to the caller);
 *  - mydll.dll, which imports mydll2.dll: NtUnmapViewOfSection with an address inside the image
 *    (not its base) succeeds, the image is MEM_FREE, mydll2.dll stays loaded, a second unmap
 *    gives STATUS_NOT_MAPPED_VIEW.
 * The program ends with TerminateProcess: on Windows ExitProcess would call the unmapped DLLs'
 * entry points (their loader records remain; ntrun's loader forgets them at once, so that
 * GetModuleHandle no longer finds them and FreeLibrary fails: not compared here). stdout is
 * closed first, as ntrun runs DLL_PROCESS_DETACH on TerminateProcess of itself (mydll2.dll
 * would print; Windows runs no DllMain there).
 * Wine 8.0: identical. */
#include <stdio.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *unmap_view_fn)(HANDLE, void *);

static volatile DWORD fault_code;
static volatile ULONG_PTR fault_address;

static LONG CALLBACK on_fault(EXCEPTION_POINTERS *ep)
{
    EXCEPTION_RECORD *er = ep->ExceptionRecord;
    CONTEXT *c = ep->ContextRecord;
    if (er->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || fault_code)
        return EXCEPTION_CONTINUE_SEARCH;
    fault_code = er->ExceptionCode;
    fault_address = er->NumberParameters >= 2 ? er->ExceptionInformation[1] : 0;
    /* the fault is the call's target: return to the caller with -1 */
    c->Rip = *(DWORD64 *)c->Rsp;
    c->Rsp += 8;
    c->Rax = (DWORD64)-1;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static const char *state_name(DWORD s)
{
    return s == MEM_COMMIT ? "MEM_COMMIT" : s == MEM_RESERVE ? "MEM_RESERVE"
                                          : s == MEM_FREE    ? "MEM_FREE"
                                                             : "other";
}

int main(void)
{
    unmap_view_fn unmap = (unmap_view_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                                "NtUnmapViewOfSection");
    MEMORY_BASIC_INFORMATION mbi;
    AddVectoredExceptionHandler(1, on_fault);

    HMODULE h = LoadLibraryA("notls.dll");
    int (*calls)(void) = (int (*)(void))(void *)GetProcAddress(h, "NotlsThreadCalls");
    printf("notls.dll loaded %d, NotlsThreadCalls() = %d\n", h && calls, calls ? calls() : -2);
    VirtualQuery(h, &mbi, sizeof mbi);
    printf("  before: %s, MEM_IMAGE %d\n", state_name(mbi.State), mbi.Type == MEM_IMAGE);
    SetLastError(0);
    BOOL ok = UnmapViewOfFile(h);
    printf("UnmapViewOfFile(module): %d, error %lu\n", ok, GetLastError());
    VirtualQuery(h, &mbi, sizeof mbi);
    printf("  after: %s\n", state_name(mbi.State));
    int r = calls();
    printf("  a call into it: %d, access violation %d, at the function %d\n", r,
           fault_code == EXCEPTION_ACCESS_VIOLATION, fault_address == (ULONG_PTR)calls);

    HMODULE m = LoadLibraryA("mydll.dll");
    printf("mydll.dll loaded %d, mydll2.dll loaded %d\n", m != NULL,
           GetModuleHandleA("mydll2.dll") != NULL);
    NTSTATUS st = unmap(GetCurrentProcess(), (char *)m + 0x1000);
    printf("NtUnmapViewOfSection(inside mydll): 0x%08lx\n", (unsigned long)st);
    VirtualQuery(m, &mbi, sizeof mbi);
    printf("  after: %s, mydll2.dll still loaded %d\n", state_name(mbi.State),
           GetModuleHandleA("mydll2.dll") != NULL);
    st = unmap(GetCurrentProcess(), m);
    printf("  again: 0x%08lx\n", (unsigned long)st);
    fclose(stdout);
    TerminateProcess(GetCurrentProcess(), 0);
    return 1;
}
