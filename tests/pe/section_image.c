/* SEC_IMAGE sections: the program maps its own file as an image, as LoadLibrary's
 * NtCreateSection/NtMapViewOfSection pair does.
 *  - CreateFileMapping(SEC_IMAGE | PAGE_READONLY) over the .exe; over a text file it fails with
 *    ERROR_BAD_EXE_FORMAT;
 *  - NtQuerySection: SectionBasicInformation (SEC_IMAGE | SEC_FILE, the image's size) and
 *    SectionImageInformation (entry point at the image base, stack sizes, subsystem, machine,
 *    characteristics from the headers; a short buffer gives STATUS_INFO_LENGTH_MISMATCH); a data
 *    section has no image information (STATUS_SECTION_NOT_IMAGE);
 *  - NtMapViewOfSection: the program already occupies its preferred base, so the view goes
 *    elsewhere (STATUS_IMAGE_NOT_AT_BASE); VirtualQuery reports MEM_IMAGE, the view as AllocationBase, read-only headers and
 *    each section's protection (writable ones after a write: Windows reports PAGE_WRITECOPY
 *    before it, ntrun PAGE_READWRITE, a known difference the test leaves out);
 *  - MapViewOfFile of the same section (kernel32), then NtUnmapViewOfSection / UnmapViewOfFile:
 *    the memory is free again.
 * Wine 8.0: identical except that it reports written copy-on-write pages as PAGE_WRITECOPY
 * still (Windows: PAGE_READWRITE, as ntrun). The relocated view's ImageBase field is not
 * compared (Wine 8.0 leaves the file's; ntrun's loader writes the view's address there). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>
#include "section_info.h"

typedef NTSTATUS(NTAPI *map_view_fn)(HANDLE, HANDLE, void **, ULONG_PTR, SIZE_T,
                                     LARGE_INTEGER *, SIZE_T *, DWORD, ULONG, ULONG);
typedef NTSTATUS(NTAPI *unmap_view_fn)(HANDLE, void *);

static const char *prot_name(DWORD p)
{
    switch (p) {
    case PAGE_NOACCESS: return "PAGE_NOACCESS";
    case PAGE_READONLY: return "PAGE_READONLY";
    case PAGE_READWRITE: return "PAGE_READWRITE";
    case PAGE_WRITECOPY: return "PAGE_WRITECOPY";
    case PAGE_EXECUTE_READ: return "PAGE_EXECUTE_READ";
    case PAGE_EXECUTE_READWRITE: return "PAGE_EXECUTE_READWRITE";
    case PAGE_EXECUTE_WRITECOPY: return "PAGE_EXECUTE_WRITECOPY";
    default: return "other";
    }
}

static void show_view(char *v)
{
    IMAGE_NT_HEADERS64 *nt = (IMAGE_NT_HEADERS64 *)(v + ((IMAGE_DOS_HEADER *)v)->e_lfanew);
    MEMORY_BASIC_INFORMATION mbi;
    VirtualQuery(v, &mbi, sizeof mbi);
    printf("  headers: %s, MEM_IMAGE %d, AllocationBase is the view %d, AllocationProtect %s\n",
           prot_name(mbi.Protect), mbi.Type == MEM_IMAGE, mbi.AllocationBase == v,
           prot_name(mbi.AllocationProtect));
    IMAGE_SECTION_HEADER *sec = IMAGE_FIRST_SECTION(nt);
    for (int i = 0; i < nt->FileHeader.NumberOfSections; i++, sec++) {
        char name[9] = {0};
        memcpy(name, sec->Name, 8);
        if (name[0] != '.' || !strncmp(name, ".debug", 6))
            continue; /* long names ("/4") and DWARF: the linker's choice */
        char *at = v + sec->VirtualAddress;
        VirtualQuery(at, &mbi, sizeof mbi);
        if (sec->Characteristics & IMAGE_SCN_MEM_WRITE) {
            /* PAGE_WRITECOPY on Windows until a write makes the page private (ntrun reports
             * PAGE_READWRITE at once): only the state after a write is compared */
            *(volatile char *)at = *(volatile char *)at;
            VirtualQuery(at, &mbi, sizeof mbi);
            printf("  %-8s after a write %s\n", name, prot_name(mbi.Protect));
        } else {
            printf("  %-8s %s\n", name, prot_name(mbi.Protect));
        }
    }
}

int main(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    query_section_fn query = (query_section_fn)(void *)GetProcAddress(ntdll, "NtQuerySection");
    map_view_fn map = (map_view_fn)(void *)GetProcAddress(ntdll, "NtMapViewOfSection");
    unmap_view_fn unmap = (unmap_view_fn)(void *)GetProcAddress(ntdll, "NtUnmapViewOfSection");
    char self[MAX_PATH];
    GetModuleFileNameA(NULL, self, sizeof self);
    char *me = (char *)GetModuleHandleA(NULL);
    IMAGE_NT_HEADERS64 *nt = (IMAGE_NT_HEADERS64 *)(me + ((IMAGE_DOS_HEADER *)me)->e_lfanew);

    HANDLE txt = CreateFileA("not-an-image.txt", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                             CREATE_ALWAYS, 0, NULL);
    DWORD n;
    WriteFile(txt, "just some text, no MZ here", 26, &n, NULL);
    HANDLE bad = CreateFileMappingA(txt, NULL, PAGE_READONLY | SEC_IMAGE, 0, 0, NULL);
    printf("SEC_IMAGE over a text file: %s, error %lu\n", bad ? "handle" : "NULL", GetLastError());
    HANDLE data = CreateFileMappingA(txt, NULL, PAGE_READONLY, 0, 0, NULL);
    image_info ii;
    printf("data section's image information: 0x%08lx\n",
           (unsigned long)query(data, 1, &ii, sizeof ii, NULL));
    CloseHandle(data);
    CloseHandle(txt);
    DeleteFileA("not-an-image.txt");

    HANDLE f = CreateFileA(self, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    HANDLE s = CreateFileMappingA(f, NULL, PAGE_READONLY | SEC_IMAGE, 0, 0, NULL);
    printf("SEC_IMAGE over the program: %s\n", s ? "handle" : "NULL");
    CloseHandle(f); /* the section keeps the file */

    basic_info bi;
    SIZE_T got = 0;
    NTSTATUS st = query(s, 0, &bi, sizeof bi, &got);
    DWORD image_size = (nt->OptionalHeader.SizeOfImage + 0xfff) & ~0xfffu;
    printf("basic: 0x%08lx, %lu bytes, attributes 0x%08lx, size is SizeOfImage %d\n",
           (unsigned long)st, (unsigned long)got, bi.AllocationAttributes,
           bi.MaximumSize.QuadPart == image_size);
    printf("image, short buffer: 0x%08lx\n",
           (unsigned long)query(s, 1, &ii, sizeof ii - 1, &got));
    st = query(s, 1, &ii, sizeof ii, &got);
    printf("image: 0x%08lx, %lu bytes\n", (unsigned long)st, (unsigned long)got);
    printf("  TransferAddress is the entry point %d\n",
           ii.TransferAddress == me + nt->OptionalHeader.AddressOfEntryPoint);
    printf("  stack %d %d, subsystem %lu, version %d, machine 0x%x, code %d\n",
           ii.MaximumStackSize == nt->OptionalHeader.SizeOfStackReserve,
           ii.CommittedStackSize == nt->OptionalHeader.SizeOfStackCommit, ii.SubSystemType,
           ii.SubSystemMajorVersion == nt->OptionalHeader.MajorSubsystemVersion &&
               ii.SubSystemMinorVersion == nt->OptionalHeader.MinorSubsystemVersion,
           ii.Machine, ii.ImageContainsCode);
    printf("  characteristics %d, DLL characteristics %d\n",
           ii.ImageCharacteristics == nt->FileHeader.Characteristics,
           ii.DllCharacteristics == nt->OptionalHeader.DllCharacteristics);

    void *v = NULL;
    SIZE_T size = 0;
    st = map(s, GetCurrentProcess(), &v, 0, 0, NULL, &size, 1 /* ViewShare */, 0,
             PAGE_READONLY);
    printf("NtMapViewOfSection: 0x%08lx, elsewhere %d, size is SizeOfImage %d\n",
           (unsigned long)st, v != me, size == image_size);
    if (v) {
        printf("  DOS header as the program's: %d\n", !memcmp(v, me, 64));
        show_view(v);
        printf("NtUnmapViewOfSection: 0x%08lx\n", (unsigned long)unmap(GetCurrentProcess(), v));
        MEMORY_BASIC_INFORMATION mbi;
        VirtualQuery(v, &mbi, sizeof mbi);
        printf("  then MEM_FREE %d\n", mbi.State == MEM_FREE);
    }
    char *k = MapViewOfFile(s, FILE_MAP_READ, 0, 0, 0);
    printf("MapViewOfFile: %s\n", k ? "mapped" : "NULL");
    if (k) {
        MEMORY_BASIC_INFORMATION mbi;
        VirtualQuery(k, &mbi, sizeof mbi);
        printf("  MEM_IMAGE %d, UnmapViewOfFile %d\n", mbi.Type == MEM_IMAGE,
               UnmapViewOfFile(k));
    }
    CloseHandle(s);
    return 0;
}
