/* builtin_image_protect: what VirtualQuery and VirtualProtect say about the pages of the DLLs
 * every program has (ntdll.dll, kernel32.dll, msvcrt.dll), as on Windows: each section of the
 * module's own section table is committed MEM_IMAGE memory of the module with the protection its
 * characteristics give (code PAGE_EXECUTE_READ, read-only data and the headers' page
 * PAGE_READONLY), and a region never runs on into a section of another protection. The headers'
 * page made read-write by VirtualProtect says PAGE_READONLY as its old protection and
 * PAGE_READWRITE after, then PAGE_READONLY again when it is given back, the code beside it
 * still PAGE_EXECUTE_READ; a code page's old protection is PAGE_EXECUTE_READ. (Under ntrun a
 * built-in DLL is mapped read-execute in one call, its read-only pages answered from its
 * section table: thunks/builtin.c, ntemu/virtual.c nt_vm_image_mapped_rx.) */
#include <stdio.h>
#include <string.h>
#include <windows.h>

static int failures;

#define CHECK(what, cond)                                                                      \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            printf("FAIL %s: %s\n", dll, what);                                                \
            failures++;                                                                        \
        }                                                                                      \
    } while (0)

static DWORD section_protect(DWORD ch)
{
    if (ch & IMAGE_SCN_MEM_EXECUTE)
        return (ch & IMAGE_SCN_MEM_WRITE) ? PAGE_EXECUTE_WRITECOPY : PAGE_EXECUTE_READ;
    if (ch & IMAGE_SCN_MEM_WRITE)
        return PAGE_WRITECOPY;
    return PAGE_READONLY;
}

static void check_module(const char *dll)
{
    unsigned char *base = (unsigned char *)GetModuleHandleA(dll);
    MEMORY_BASIC_INFORMATION mbi;
    if (!base) {
        printf("FAIL %s: not loaded\n", dll);
        failures++;
        return;
    }
    IMAGE_NT_HEADERS64 *nt = (IMAGE_NT_HEADERS64 *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
    IMAGE_SECTION_HEADER *sec = IMAGE_FIRST_SECTION(nt);
    unsigned nsec = nt->FileHeader.NumberOfSections, checked = 0, code = 0;

    CHECK("VirtualQuery(headers)", VirtualQuery(base, &mbi, sizeof mbi) == sizeof mbi);
    CHECK("headers: MEM_IMAGE, committed, of the module",
          mbi.Type == MEM_IMAGE && mbi.State == MEM_COMMIT && mbi.AllocationBase == base);
    CHECK("headers: PAGE_READONLY", mbi.Protect == PAGE_READONLY);
    if (mbi.Protect != PAGE_READONLY)
        printf("  headers' protection 0x%lx\n", mbi.Protect);
    for (unsigned k = 0; k < nsec; k++) {
        DWORD want = section_protect(sec[k].Characteristics);
        DWORD size = sec[k].Misc.VirtualSize ? sec[k].Misc.VirtualSize : sec[k].SizeOfRawData;
        if (!size)
            continue;
        unsigned char *at = base + sec[k].VirtualAddress;
        if (VirtualQuery(at, &mbi, sizeof mbi) != sizeof mbi) {
            CHECK("VirtualQuery(section)", 0);
            continue;
        }
        /* a write-copy section may be reported read-write once written */
        int ok = mbi.Protect == want ||
                 (want == PAGE_WRITECOPY && mbi.Protect == PAGE_READWRITE);
        if (!ok || mbi.Type != MEM_IMAGE || mbi.State != MEM_COMMIT || mbi.AllocationBase != base)
            printf("FAIL %s: section %.8s: protect 0x%lx (want 0x%lx), type 0x%lx\n", dll,
                   (const char *)sec[k].Name, mbi.Protect, want, mbi.Type);
        failures += !ok;
        /* the region ends before any later section of another protection */
        unsigned char *region_end = at + mbi.RegionSize;
        for (unsigned j = 0; j < nsec; j++) {
            unsigned char *o = base + sec[j].VirtualAddress;
            if (o > at && o < region_end && section_protect(sec[j].Characteristics) != want &&
                (sec[j].Misc.VirtualSize || sec[j].SizeOfRawData)) {
                printf("FAIL %s: section %.8s's region runs into %.8s\n", dll,
                       (const char *)sec[k].Name, (const char *)sec[j].Name);
                failures++;
            }
        }
        checked++;
        code += want == PAGE_EXECUTE_READ;
    }
    printf("%s: headers read-only, %s sections as their table says, %s of code\n", dll,
           checked >= 2 ? "all" : "too few", code ? "one or more" : "none");

    /* the headers' page made writable and given back */
    DWORD old = 0;
    CHECK("VirtualProtect(headers, RW)", VirtualProtect(base, 0x1000, PAGE_READWRITE, &old));
    CHECK("old protection PAGE_READONLY", old == PAGE_READONLY);
    CHECK("VirtualQuery", VirtualQuery(base, &mbi, sizeof mbi) == sizeof mbi);
    CHECK("headers now PAGE_READWRITE", mbi.Protect == PAGE_READWRITE && mbi.RegionSize == 0x1000);
    base[0x3f] = base[0x3f]; /* writable now */
    CHECK("VirtualProtect(headers, back)", VirtualProtect(base, 0x1000, old, &old));
    CHECK("old protection PAGE_READWRITE", old == PAGE_READWRITE);
    CHECK("VirtualQuery", VirtualQuery(base, &mbi, sizeof mbi) == sizeof mbi);
    CHECK("headers PAGE_READONLY again", mbi.Protect == PAGE_READONLY);
    for (unsigned k = 0; k < nsec; k++) {
        if (!(sec[k].Characteristics & IMAGE_SCN_MEM_EXECUTE))
            continue;
        unsigned char *at = base + sec[k].VirtualAddress;
        CHECK("VirtualQuery(code)", VirtualQuery(at, &mbi, sizeof mbi) == sizeof mbi);
        CHECK("code still PAGE_EXECUTE_READ", mbi.Protect == PAGE_EXECUTE_READ);
        CHECK("VirtualProtect(code, RX)", VirtualProtect(at, 0x1000, PAGE_EXECUTE_READ, &old));
        CHECK("code's old protection PAGE_EXECUTE_READ", old == PAGE_EXECUTE_READ);
        break;
    }
}

int main(void)
{
    check_module("ntdll.dll");
    check_module("kernel32.dll");
    check_module("msvcrt.dll");
    /* the DLLs still work after all that */
    char buf[32];
    snprintf(buf, sizeof buf, "%d", GetCurrentProcessId() != 0);
    printf("still running: %s, %s\n", buf, failures ? "failures" : "no failures");
    return failures ? 1 : 0;
}
