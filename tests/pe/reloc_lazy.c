/* The program's base relocation section (.reloc), which ntrun leaves to be filled from the file
 * on first access when the image lies at its preferred base (loader/map.c's
 * section_reloc_lazy; stderr-grep checks the loader says so). Seen from the program it is
 * ordinary read-only image memory, as on Windows: VirtualQuery of the untouched page says
 * committed PAGE_READONLY MEM_IMAGE, its bytes equal the file's (the directory's first block
 * names a page inside the image), a write to it is an access violation (write, at that
 * address) and the bytes are unchanged after it. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile LONG av_seen;
static volatile ULONG_PTR av_kind, av_addr;

/* The faulting instruction is known (mov %ecx,(%rax): 2 bytes): skip it. */
static LONG CALLBACK on_av(EXCEPTION_POINTERS *ep)
{
    EXCEPTION_RECORD *r = ep->ExceptionRecord;
    if (r->ExceptionCode != EXCEPTION_ACCESS_VIOLATION)
        return EXCEPTION_CONTINUE_SEARCH;
    av_seen++;
    av_kind = r->ExceptionInformation[0];
    av_addr = r->ExceptionInformation[1];
    ep->ContextRecord->Rip += 2;
    return EXCEPTION_CONTINUE_EXECUTION;
}

int main(void)
{
    const unsigned char *base = (const unsigned char *)GetModuleHandleA(NULL);
    const IMAGE_NT_HEADERS64 *nt =
        (const void *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
    const IMAGE_DATA_DIRECTORY *d =
        &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    if (!d->VirtualAddress || d->Size < 8) {
        printf("no base relocations (%#lx, %lu bytes)\n", d->VirtualAddress, d->Size);
        return 1;
    }
    const IMAGE_SECTION_HEADER *sh = IMAGE_FIRST_SECTION(nt), *rs = NULL;
    for (int i = 0; i < nt->FileHeader.NumberOfSections; i++)
        if (d->VirtualAddress >= sh[i].VirtualAddress &&
            d->VirtualAddress < sh[i].VirtualAddress + sh[i].Misc.VirtualSize)
            rs = &sh[i];
    if (!rs) {
        printf("the directory is in no section\n");
        return 2;
    }
    printf("base relocations in section %.8s, read-only %d\n", (const char *)rs->Name,
           !(rs->Characteristics & (IMAGE_SCN_MEM_WRITE | IMAGE_SCN_MEM_EXECUTE)));
    const unsigned char *mem = base + d->VirtualAddress;

    /* 1. the untouched page, as VirtualQuery sees it */
    MEMORY_BASIC_INFORMATION mbi;
    if (!VirtualQuery(mem, &mbi, sizeof mbi) || mbi.State != MEM_COMMIT ||
        mbi.Protect != PAGE_READONLY || mbi.Type != MEM_IMAGE ||
        mbi.AllocationBase != (void *)base) {
        printf("VirtualQuery: state %#lx protect %#lx type %#lx\n", mbi.State, mbi.Protect,
               mbi.Type);
        return 3;
    }
    printf("VirtualQuery: committed, read-only, image\n");

    /* 2. its bytes are the file's */
    char path[MAX_PATH];
    GetModuleFileNameA(NULL, path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 4;
    unsigned char *want = malloc(d->Size);
    fseek(f, (long)(rs->PointerToRawData + (d->VirtualAddress - rs->VirtualAddress)), SEEK_SET);
    if (fread(want, 1, d->Size, f) != d->Size)
        return 5;
    fclose(f);
    if (memcmp(mem, want, d->Size) != 0) {
        printf("the relocation blocks differ from the file's\n");
        return 6;
    }
    DWORD page, size;
    memcpy(&page, mem, 4);
    memcpy(&size, mem + 4, 4);
    printf("the blocks equal the file's; the first is for a page inside the image %d, "
           "size ok %d\n", page < nt->OptionalHeader.SizeOfImage, size >= 8 && size <= d->Size);

    /* 3. a write to it is an access violation, and changes nothing */
    AddVectoredExceptionHandler(1, on_av);
    unsigned char *target = (unsigned char *)mem;
    __asm__ volatile("mov %%ecx, (%%rax)" : : "a"(target), "c"(0x55aa55aa) : "memory");
    printf("write: access violations %ld, write %d, at the address %d\n", av_seen,
           av_kind == 1, av_addr == (ULONG_PTR)target);
    printf("bytes unchanged %d\n", memcmp(mem, want, d->Size) == 0);
    free(want);
    return 0;
}
