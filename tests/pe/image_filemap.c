/* Large sections of an image mapped from its file (issue 12; loader/map.c): the program and
 * image_filemap_dll.dll are linked with 4 KB file alignment, so ntrun maps their large
 * sections (private, copy-on-write) instead of copying them. The DLL has the program's
 * preferred base and is relocated: its pointers are written into such pages. Checks, for each
 * image: the contents (a read-only table, pointers into it, code at the start, middle and end
 * of an executable section), the kernel reading a page nothing touched yet (WriteFile),
 * VirtualQuery (MEM_IMAGE of the module, PAGE_READONLY, PAGE_EXECUTE_READ), VirtualProtect of
 * a read-only page to write it, and that the program's writes stay its own (the file on disk
 * keeps its bytes), as Windows maps an image's pages copy-on-write. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "image_filemap.h"

FM_SECTIONS(fm_exe_);
extern const char fm_exe_ro[];
extern uint64_t fm_exe_rw[];
int fm_exe_head(void), fm_exe_mid(void), fm_exe_tail(void);
__declspec(dllimport) void fm_dll_image(fm_image *out);

static const IMAGE_SECTION_HEADER *section_of(HMODULE m, const char *name)
{
    const IMAGE_DOS_HEADER *dos = (const void *)m;
    const IMAGE_NT_HEADERS64 *nt = (const void *)((const char *)m + dos->e_lfanew);
    const IMAGE_SECTION_HEADER *s = IMAGE_FIRST_SECTION(nt);
    for (unsigned i = 0; i < nt->FileHeader.NumberOfSections; i++)
        if (strncmp((const char *)s[i].Name, name, 8) == 0)
            return &s[i];
    return NULL;
}

/* Bytes of the module's file on disk. */
static BOOL read_file_at(HMODULE mod, DWORD off, void *buf, DWORD len)
{
    char path[MAX_PATH];
    DWORD got = 0;
    if (!GetModuleFileNameA(mod, path, sizeof path))
        return FALSE;
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return FALSE;
    BOOL ok = SetFilePointer(f, (LONG)off, NULL, FILE_BEGIN) == off &&
              ReadFile(f, buf, len, &got, NULL) && got == len;
    CloseHandle(f);
    return ok;
}

static void check(const char *who, HMODULE mod, const fm_image *im)
{
    const uint32_t *w = (const uint32_t *)(im->ro + 32);
    unsigned bad = 0;
    for (uint32_t i = 0; i < FM_WORDS; i++)
        bad += w[i] != fm_word(i);
    printf("%s: %u of %u words wrong\n", who, bad, FM_WORDS);
    bad = 0;
    for (uint32_t j = 0; j < FM_PTRS; j++)
        bad += im->rw[j] != (uint64_t)(uintptr_t)&w[fm_ptr_index(j)];
    printf("%s: %u of %u pointers wrong\n", who, bad, FM_PTRS);
    printf("%s: code at the start, middle and end: 0x%x 0x%x 0x%x\n", who, im->head(), im->mid(),
           im->tail());

    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(w + FM_WORDS / 2, &mbi, sizeof mbi) != sizeof mbi)
        printf("%s: VirtualQuery failed: %lu\n", who, GetLastError());
    printf("%s: table: %s of %s, protect 0x%lx\n", who,
           mbi.Type == MEM_IMAGE ? "MEM_IMAGE" : "not MEM_IMAGE",
           mbi.AllocationBase == (void *)mod ? "the module" : "another allocation", mbi.Protect);
    if (VirtualQuery((void *)im->mid, &mbi, sizeof mbi) != sizeof mbi)
        printf("%s: VirtualQuery failed: %lu\n", who, GetLastError());
    printf("%s: code: %s of %s, protect 0x%lx\n", who,
           mbi.Type == MEM_IMAGE ? "MEM_IMAGE" : "not MEM_IMAGE",
           mbi.AllocationBase == (void *)mod ? "the module" : "another allocation", mbi.Protect);

    /* A read-only page made writable, written, and read-only again. */
    uint32_t *p = (uint32_t *)&w[FM_WORDS / 3];
    DWORD old = 0, old2 = 0;
    BOOL ok = VirtualProtect(p, 4, PAGE_READWRITE, &old);
    if (ok)
        *p = 0x600d600d;
    BOOL ok2 = VirtualProtect(p, 4, PAGE_READONLY, &old2);
    /* Windows shows a written page of an image as PAGE_READWRITE, Wine 8.0 PAGE_WRITECOPY */
    printf("%s: VirtualProtect %d (was 0x%lx), %d (was %s): word 0x%x, next word %s\n", who, ok,
           old, ok2, old2 == PAGE_READWRITE || old2 == PAGE_WRITECOPY ? "writable" : "other",
           *p, p[1] == fm_word(FM_WORDS / 3 + 1) ? "intact" : "CHANGED");

    /* A write stays in memory: the file keeps the unrelocated pointer. */
    const IMAGE_SECTION_HEADER *s = section_of(mod, ".fmrw");
    const IMAGE_DOS_HEADER *dos = (const void *)mod;
    uint64_t before = im->rw[7], disk = 0, file_base = 0;
    im->rw[7] = 0x5a5a5a5a5a5a5a5aull;
    if (!s || !read_file_at(mod, s->PointerToRawData + 7 * 8, &disk, 8) ||
        !read_file_at(mod, (DWORD)dos->e_lfanew + 4 + sizeof(IMAGE_FILE_HEADER) +
                               offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase), &file_base, 8))
        printf("%s: cannot read the file: %lu\n", who, GetLastError());
    printf("%s: after a write: memory %s, file %s\n", who,
           im->rw[7] == 0x5a5a5a5a5a5a5a5aull ? "written" : "NOT WRITTEN",
           disk + ((uint64_t)(uintptr_t)mod - file_base) == before ? "unchanged" : "CHANGED");
}

int main(void)
{
    /* The kernel reads a page of the table nothing touched before. */
    DWORD n = 0;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    if (!WriteFile(out, fm_exe_ro, sizeof FM_TEXT - 1, &n, NULL) || n != sizeof FM_TEXT - 1)
        printf("WriteFile from the image: %lu\n", GetLastError());

    HMODULE exe = GetModuleHandleA(NULL);
    fm_image im = {fm_exe_ro, fm_exe_rw, fm_exe_head, fm_exe_mid, fm_exe_tail};
    check("exe", exe, &im);

    HMODULE dll = GetModuleHandleA("image_filemap_dll.dll");
    fm_dll_image(&im);
    printf("dll: %s\n", dll && dll != exe ? "loaded apart from the program" : "NOT LOADED APART");
    check("dll", dll, &im);
    fflush(stdout);
    return 0;
}
