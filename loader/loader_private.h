/* SPDX-License-Identifier: MIT */
/* Private to loader/: the PE32+ on-disk layouts the loader reads (pinned by offset), the parsed
 * and validated view of a file (ldr_pe), the loaded module, and the steps of loading that the
 * unit tests drive one at a time (parse, map, relocate, bind imports, TLS). */
#ifndef NTRUN_LOADER_PRIVATE_H
#define NTRUN_LOADER_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "loader/loader.h"

/* ---- PE32+ layouts (Microsoft PE/COFF specification) ---- */
#define IMAGE_DOS_SIGNATURE 0x5a4d     /* "MZ" */
#define IMAGE_NT_SIGNATURE 0x00004550  /* "PE\0\0" */
#define IMAGE_NT_OPTIONAL_HDR32_MAGIC 0x10b
#define IMAGE_NT_OPTIONAL_HDR64_MAGIC 0x20b
#define IMAGE_FILE_MACHINE_I386 0x014c
#define IMAGE_FILE_MACHINE_AMD64 0x8664
#define IMAGE_FILE_RELOCS_STRIPPED 0x0001
#define IMAGE_FILE_EXECUTABLE_IMAGE 0x0002
#define IMAGE_FILE_DLL 0x2000
#define IMAGE_SIZEOF_SHORT_NAME 8
#define IMAGE_NUMBEROF_DIRECTORY_ENTRIES 16

#define IMAGE_DIRECTORY_ENTRY_EXPORT 0
#define IMAGE_DIRECTORY_ENTRY_IMPORT 1
#define IMAGE_DIRECTORY_ENTRY_RESOURCE 2
#define IMAGE_DIRECTORY_ENTRY_EXCEPTION 3
#define IMAGE_DIRECTORY_ENTRY_SECURITY 4   /* a file offset, not an RVA */
#define IMAGE_DIRECTORY_ENTRY_BASERELOC 5
#define IMAGE_DIRECTORY_ENTRY_DEBUG 6
#define IMAGE_DIRECTORY_ENTRY_ARCHITECTURE 7
#define IMAGE_DIRECTORY_ENTRY_GLOBALPTR 8
#define IMAGE_DIRECTORY_ENTRY_TLS 9
#define IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG 10
#define IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT 11
#define IMAGE_DIRECTORY_ENTRY_IAT 12
#define IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT 13
#define IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR 14

#define IMAGE_SCN_CNT_UNINITIALIZED_DATA 0x00000080
#define IMAGE_SCN_MEM_EXECUTE 0x20000000
#define IMAGE_SCN_MEM_READ 0x40000000
#define IMAGE_SCN_MEM_WRITE 0x80000000

#define IMAGE_REL_BASED_ABSOLUTE 0
#define IMAGE_REL_BASED_HIGHLOW 3
#define IMAGE_REL_BASED_DIR64 10
#define IMAGE_ORDINAL_FLAG64 0x8000000000000000ull

typedef struct {
    uint16_t e_magic;    /* 0x00 */
    uint8_t pad[0x3a];   /* 0x02 */
    int32_t e_lfanew;    /* 0x3c */
} IMAGE_DOS_HEADER;
_Static_assert(sizeof(IMAGE_DOS_HEADER) == 0x40, "IMAGE_DOS_HEADER");

typedef struct {
    uint16_t Machine;              /* 0x00 */
    uint16_t NumberOfSections;     /* 0x02 */
    uint32_t TimeDateStamp;        /* 0x04 */
    uint32_t PointerToSymbolTable; /* 0x08 */
    uint32_t NumberOfSymbols;      /* 0x0c */
    uint16_t SizeOfOptionalHeader; /* 0x10 */
    uint16_t Characteristics;      /* 0x12 */
} IMAGE_FILE_HEADER;
_Static_assert(sizeof(IMAGE_FILE_HEADER) == 0x14, "IMAGE_FILE_HEADER");

typedef struct {
    uint32_t VirtualAddress; /* 0x00 */
    uint32_t Size;           /* 0x04 */
} IMAGE_DATA_DIRECTORY;

typedef struct {
    uint16_t Magic;                       /* 0x00 */
    uint8_t MajorLinkerVersion;           /* 0x02 */
    uint8_t MinorLinkerVersion;           /* 0x03 */
    uint32_t SizeOfCode;                  /* 0x04 */
    uint32_t SizeOfInitializedData;       /* 0x08 */
    uint32_t SizeOfUninitializedData;     /* 0x0c */
    uint32_t AddressOfEntryPoint;         /* 0x10 */
    uint32_t BaseOfCode;                  /* 0x14 */
    uint64_t ImageBase;                   /* 0x18 */
    uint32_t SectionAlignment;            /* 0x20 */
    uint32_t FileAlignment;               /* 0x24 */
    uint16_t MajorOperatingSystemVersion; /* 0x28 */
    uint16_t MinorOperatingSystemVersion; /* 0x2a */
    uint16_t MajorImageVersion;           /* 0x2c */
    uint16_t MinorImageVersion;           /* 0x2e */
    uint16_t MajorSubsystemVersion;       /* 0x30 */
    uint16_t MinorSubsystemVersion;       /* 0x32 */
    uint32_t Win32VersionValue;           /* 0x34 */
    uint32_t SizeOfImage;                 /* 0x38 */
    uint32_t SizeOfHeaders;               /* 0x3c */
    uint32_t CheckSum;                    /* 0x40 */
    uint16_t Subsystem;                   /* 0x44 */
    uint16_t DllCharacteristics;          /* 0x46 */
    uint64_t SizeOfStackReserve;          /* 0x48 */
    uint64_t SizeOfStackCommit;           /* 0x50 */
    uint64_t SizeOfHeapReserve;           /* 0x58 */
    uint64_t SizeOfHeapCommit;            /* 0x60 */
    uint32_t LoaderFlags;                 /* 0x68 */
    uint32_t NumberOfRvaAndSizes;         /* 0x6c */
    IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES]; /* 0x70 */
} IMAGE_OPTIONAL_HEADER64;
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase) == 0x18, "OPT.ImageBase");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, SizeOfImage) == 0x38, "OPT.SizeOfImage");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, SizeOfStackReserve) == 0x48, "OPT.StackReserve");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, NumberOfRvaAndSizes) == 0x6c, "OPT.NumberOfRva");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory) == 0x70, "OPT.DataDirectory");
_Static_assert(sizeof(IMAGE_OPTIONAL_HEADER64) == 0xf0, "IMAGE_OPTIONAL_HEADER64");

/* PE32's optional header: the layout of a 32-bit image, which only a SEC_IMAGE section maps
 * (ldr_pe_parse_section: .NET's IL-only assemblies are PE32 files). */
typedef struct {
    uint16_t Magic;                       /* 0x00 */
    uint8_t MajorLinkerVersion;           /* 0x02 */
    uint8_t MinorLinkerVersion;           /* 0x03 */
    uint32_t SizeOfCode;                  /* 0x04 */
    uint32_t SizeOfInitializedData;       /* 0x08 */
    uint32_t SizeOfUninitializedData;     /* 0x0c */
    uint32_t AddressOfEntryPoint;         /* 0x10 */
    uint32_t BaseOfCode;                  /* 0x14 */
    uint32_t BaseOfData;                  /* 0x18 */
    uint32_t ImageBase;                   /* 0x1c */
    uint32_t SectionAlignment;            /* 0x20 */
    uint32_t FileAlignment;               /* 0x24 */
    uint16_t MajorOperatingSystemVersion; /* 0x28 */
    uint16_t MinorOperatingSystemVersion; /* 0x2a */
    uint16_t MajorImageVersion;           /* 0x2c */
    uint16_t MinorImageVersion;           /* 0x2e */
    uint16_t MajorSubsystemVersion;       /* 0x30 */
    uint16_t MinorSubsystemVersion;       /* 0x32 */
    uint32_t Win32VersionValue;           /* 0x34 */
    uint32_t SizeOfImage;                 /* 0x38 */
    uint32_t SizeOfHeaders;               /* 0x3c */
    uint32_t CheckSum;                    /* 0x40 */
    uint16_t Subsystem;                   /* 0x44 */
    uint16_t DllCharacteristics;          /* 0x46 */
    uint32_t SizeOfStackReserve;          /* 0x48 */
    uint32_t SizeOfStackCommit;           /* 0x4c */
    uint32_t SizeOfHeapReserve;           /* 0x50 */
    uint32_t SizeOfHeapCommit;            /* 0x54 */
    uint32_t LoaderFlags;                 /* 0x58 */
    uint32_t NumberOfRvaAndSizes;         /* 0x5c */
    IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES]; /* 0x60 */
} IMAGE_OPTIONAL_HEADER32;
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER32, ImageBase) == 0x1c, "OPT32.ImageBase");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER32, SizeOfImage) == 0x38, "OPT32.SizeOfImage");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER32, LoaderFlags) == 0x58, "OPT32.LoaderFlags");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER32, DataDirectory) == 0x60, "OPT32.DataDirectory");
_Static_assert(sizeof(IMAGE_OPTIONAL_HEADER32) == 0xe0, "IMAGE_OPTIONAL_HEADER32");

typedef struct {
    uint8_t Name[IMAGE_SIZEOF_SHORT_NAME]; /* 0x00 */
    uint32_t VirtualSize;                  /* 0x08 */
    uint32_t VirtualAddress;               /* 0x0c */
    uint32_t SizeOfRawData;                /* 0x10 */
    uint32_t PointerToRawData;             /* 0x14 */
    uint32_t PointerToRelocations;         /* 0x18 */
    uint32_t PointerToLinenumbers;         /* 0x1c */
    uint16_t NumberOfRelocations;          /* 0x20 */
    uint16_t NumberOfLinenumbers;          /* 0x22 */
    uint32_t Characteristics;              /* 0x24 */
} IMAGE_SECTION_HEADER;
_Static_assert(sizeof(IMAGE_SECTION_HEADER) == 0x28, "IMAGE_SECTION_HEADER");

typedef struct {
    uint32_t OriginalFirstThunk; /* 0x00: RVA of the import name table (0: use FirstThunk) */
    uint32_t TimeDateStamp;      /* 0x04 */
    uint32_t ForwarderChain;     /* 0x08 */
    uint32_t Name;               /* 0x0c: RVA of the DLL name */
    uint32_t FirstThunk;         /* 0x10: RVA of the import address table */
} IMAGE_IMPORT_DESCRIPTOR;
_Static_assert(sizeof(IMAGE_IMPORT_DESCRIPTOR) == 0x14, "IMAGE_IMPORT_DESCRIPTOR");

typedef struct {
    uint32_t Characteristics;       /* 0x00 */
    uint32_t TimeDateStamp;         /* 0x04 */
    uint16_t MajorVersion;          /* 0x08 */
    uint16_t MinorVersion;          /* 0x0a */
    uint32_t Name;                  /* 0x0c */
    uint32_t Base;                  /* 0x10 */
    uint32_t NumberOfFunctions;     /* 0x14 */
    uint32_t NumberOfNames;         /* 0x18 */
    uint32_t AddressOfFunctions;    /* 0x1c */
    uint32_t AddressOfNames;        /* 0x20 */
    uint32_t AddressOfNameOrdinals; /* 0x24 */
} IMAGE_EXPORT_DIRECTORY;
_Static_assert(sizeof(IMAGE_EXPORT_DIRECTORY) == 0x28, "IMAGE_EXPORT_DIRECTORY");

typedef struct {
    uint32_t VirtualAddress; /* 0x00: page RVA */
    uint32_t SizeOfBlock;    /* 0x04: including this header */
} IMAGE_BASE_RELOCATION;
_Static_assert(sizeof(IMAGE_BASE_RELOCATION) == 8, "IMAGE_BASE_RELOCATION");

typedef struct {
    uint64_t StartAddressOfRawData; /* 0x00: VA */
    uint64_t EndAddressOfRawData;   /* 0x08: VA */
    uint64_t AddressOfIndex;        /* 0x10: VA of a 32-bit slot */
    uint64_t AddressOfCallBacks;    /* 0x18: VA of a NULL-terminated array of VAs */
    uint32_t SizeOfZeroFill;        /* 0x20 */
    uint32_t Characteristics;       /* 0x24: IMAGE_SCN_ALIGN_* in bits 20..23 */
} IMAGE_TLS_DIRECTORY64;
_Static_assert(sizeof(IMAGE_TLS_DIRECTORY64) == 0x28, "IMAGE_TLS_DIRECTORY64");

/* ---- the parsed view of a file ---- */
#define LDR_MAX_SECTIONS 96      /* the Windows loader's limit */
#define LDR_MAX_IMAGE_SIZE 0x80000000u
#define LDR_PAGE_SIZE 0x1000u
/* Pages a protection change must span for the kernel to flush the whole TLB once instead of
 * each page (x86's tlb_single_page_flush_ceiling, 33, plus one): ldr_protect_image. */
#define LDR_FLUSH_ALL_PAGES 34u

typedef struct ldr_section {
    char name[32];            /* NUL-terminated; long COFF names ("/4") resolved when possible */
    uint32_t vaddr;           /* RVA, aligned to SectionAlignment */
    uint32_t vsize;           /* virtual extent: VirtualSize, or SizeOfRawData when that is 0 */
    uint32_t raw_offset;
    uint32_t raw_size;        /* bytes to copy from the file (already clamped to the image) */
    uint32_t characteristics;
} ldr_section;

typedef struct ldr_pe {
    const uint8_t *file;      /* the file as given to ldr_pe_parse (not owned) */
    size_t file_size;
    int file_fd;              /* an open descriptor of that file, set by the caller while the
                               * image is mapped (not owned; ldr_pe_parse sets -1: none), so
                               * that ldr_map_image_at can map large sections from it */
    uint16_t machine;
    NTSTATUS fail_status;     /* ldr_pe_parse's refusal as NT says it: STATUS_INVALID_IMAGE_NOT_MZ,
                               * _PROTECT (headers past the end), _FORMAT (the rest) */
    bool pe32;                /* a PE32 (32-bit) image: ldr_pe_parse_section only */
    uint16_t characteristics;
    uint16_t dll_characteristics;
    uint16_t subsystem;
    uint16_t subsystem_major, subsystem_minor;
    uint32_t timestamp;
    uint64_t image_base;      /* preferred base */
    uint32_t size_of_image;
    uint32_t size_of_headers;
    uint32_t entry_rva;       /* 0: none */
    uint32_t section_alignment;
    uint32_t file_alignment;
    uint64_t stack_reserve;
    uint64_t stack_commit;
    uint32_t ndirs;           /* min(NumberOfRvaAndSizes, 16); entries beyond are zero */
    IMAGE_DATA_DIRECTORY dirs[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
    uint32_t nsections;
    ldr_section sections[LDR_MAX_SECTIONS];
    bool file_st_valid;       /* file_st is the file's (set by ldr_load_exe: the image cache's
                               * key), else false (ldr_pe_parse) */
    struct stat file_st;
} ldr_pe;

/* The cache of laid-out program images (image_cache.c), used when NTRUN_IMAGE_CACHE=1: a
 * descriptor of the entry of pe's file, whose first `size` bytes are the image laid out at its
 * preferred base; -ENOENT when there is none; -1 when the cache is off or the entry unusable
 * (not the image's size). ldr_image_cache_check: are the headers of the entry mapped at base
 * the program's? ldr_image_cache_store writes pe's entry (best effort, atomically). */
int ldr_image_cache_open(const ldr_pe *pe, size_t size);
bool ldr_image_cache_check(const ldr_pe *pe, const uint8_t *base, size_t size);
void ldr_image_cache_store(const ldr_pe *pe, size_t size);

/* Validates a PE32+/AMD64 file held in memory and fills *out. 0, or -1 with a one-line message
 * naming the problem in err (no program-name prefix). Never reads outside file[0..size). */
int ldr_pe_parse(const uint8_t *file, size_t size, ldr_pe *out, char *err, size_t errlen);
/* The same for a SEC_IMAGE section (NtCreateSection), which also takes a PE32 image of an x86
 * machine, as Windows maps one into a 64-bit process (.NET's IL-only assemblies, compiled for
 * any CPU, are PE32 files that CoreCLR maps this way; their code is never run as x86). */
int ldr_pe_parse_section(const uint8_t *file, size_t size, ldr_pe *out, char *err,
                         size_t errlen);
/* Human name of a data directory ("import", "base relocation", ...). */
const char *ldr_dir_name(unsigned index);

/* The longest TLS callback array read (tls.c; map.c walks it the same way) */
#define LDR_TLS_MAX_CALLBACKS 4096

/* ---- mapping (map.c) ---- */
typedef struct ldr_image {
    uint8_t *base;            /* where the image lives (SizeOfImage rounded up to a page) */
    size_t size;              /* mapped bytes */
    uint32_t size_of_image;
    bool at_preferred_base;
    bool cached;              /* mapped from the image cache's entry (image_cache.c) */
    bool lazy_ok;             /* DWARF sections may be filled on first access (ldr_section_lazy) */
    uint32_t reloc_lazy;      /* 1 + the index of the relocation section filled on first
                                 access too (map.c's section_reloc_lazy), or 0 */
    uint32_t lazy_sections;   /* how many are (registered with rt_lazy_add) */
    uint8_t *file;            /* the file, kept for them (owned; NULL when none is lazy) */
    size_t file_size;
} ldr_image;

/* Reserves the image (preferred base first, else a 64K-aligned address anywhere), copies the
 * headers and sections from pe->file, leaves the rest zero; everything read-write. Registers the
 * mapping with ntemu under `name`. 0, or -1 with a message in err. */
int ldr_map_image(const ldr_pe *pe, const char *name, ldr_image *img, char *err, size_t errlen);
/* The same at address `at` exactly (0: as above): -1 when it is occupied, or when it is not the
 * preferred base and the relocations are stripped. */
int ldr_map_image_at(const ldr_pe *pe, const char *name, uint64_t at, ldr_image *img, char *err,
                     size_t errlen);
/* Applies the base relocations of the directory [dir_rva, dir_rva + dir_size) to the image
 * `image` (image_size bytes) for a load at preferred base + delta. Every block is validated
 * before anything is patched. 0, or -1 with a message in err. */
int ldr_apply_relocations(uint8_t *image, size_t image_size, uint32_t dir_rva, uint32_t dir_size,
                          uint64_t delta, char *err, size_t errlen);
/* The same validation without patching anything. */
int ldr_check_relocations(const uint8_t *image, size_t image_size, uint32_t dir_rva,
                          uint32_t dir_size, char *err, size_t errlen);
/* Relocates img if it is not at the preferred base (error when the image cannot be moved);
 * at the preferred base, validates the relocations all the same (a damaged block is refused
 * whether or not the image moves, as Windows, which relocates every DYNAMIC_BASE image). */
int ldr_relocate_image(const ldr_pe *pe, ldr_image *img, char *err, size_t errlen);
/* Per-section protections from the characteristics; headers read-only, gaps inaccessible. */
int ldr_protect_image(const ldr_pe *pe, ldr_image *img, char *err, size_t errlen);
/* After ldr_protect_image: the image keeps `file` (its DWARF pages are filled from it on first
 * access) or it is released now. */
void ldr_image_take_file(ldr_image *img, uint8_t *file, size_t size);
void ldr_unmap_image(ldr_image *img);

/* ---- imports (imports.c) ---- */
/* Walks the import directory of a mapped image and fills its IAT: built-in exports through
 * thk_import (unimplemented ones bound to stubs that report the call), or with opts->strict a
 * refusal that prints every missing import on its own line. `name` prefixes nothing; it is for
 * tracing only. 0, or -1 with a message in err. */
int ldr_bind_imports(const ldr_pe *pe, const ldr_image *img, const ldr_options *opts,
                     const char *name, char *err, size_t errlen);
/* Looks `name` up in a mapped image's export directory (names table entry `hint` first, then a
 * binary search). The export's address, NULL if absent, forwarded or out of range. */
void *ldr_find_export(const uint8_t *image, size_t image_size, const char *name, uint16_t hint);
/* SizeOfImage from the headers of a mapped image we trust (a built-in DLL), or 0. */
size_t ldr_builtin_image_size(const uint8_t *image);

/* ---- TLS (tls.c) ---- */
typedef struct ldr_tls {
    bool present;
    uint32_t index;           /* slot in TEB->ThreadLocalStoragePointer (0 for the exe) */
    uintptr_t template_start; /* VAs inside the mapped image */
    size_t template_size;
    size_t zero_fill;
    size_t alignment;
    uintptr_t callbacks;      /* VA of the NULL-terminated callback array, 0 if none */
} ldr_tls;

/* Validates the (relocated) TLS directory of a mapped image and writes `index` to its
 * AddressOfIndex. 0 (tls->present false when there is no directory), or -1 with a message. */
int ldr_tls_setup(const ldr_pe *pe, const ldr_image *img, uint32_t index, ldr_tls *tls,
                  char *err, size_t errlen);
/* Calls every TLS callback of the image with (image base, reason, 0) on the current thread. */
void ldr_tls_run_callbacks(const ldr_tls *tls, const ldr_image *img, uint32_t reason);
/* The calling thread's TLS: a block from the template plus zero fill, at slot [index] of
 * TEB->ThreadLocalStoragePointer. 0 or -errno. ldr_tls_thread_fini frees it. */
int ldr_tls_thread_init(ldr_module *mod);
void ldr_tls_thread_fini(ldr_module *mod);
/* The same for another thread's TEB (a DLL loaded while that thread runs). */
int ldr_tls_thread_init_teb(ldr_module *mod, TEB *teb);

/* ---- the loaded module (loader.c) ---- */
struct ldr_module {
    char *unix_path;          /* resolved Linux path */
    char *name;               /* base name, for messages and crash reports */
    ldr_pe pe;                /* headers as parsed (pe.file is NULL after loading) */
    ldr_image img;
    ldr_tls tls;
    bool attached;            /* TLS callbacks ran with DLL_PROCESS_ATTACH */
    void *ldr_entry;          /* LDR_DATA_TABLE_ENTRY in PEB->Ldr, or NULL */
    WCHAR *full_dll_name;     /* buffer behind FullDllName/BaseDllName */
    /* ---- foreign DLLs (dll.c); all of it guarded by the loader lock ---- */
    bool is_dll;              /* a foreign DLL (the exe is not) */
    bool static_load;         /* loaded for the program's imports: unloaded only at exit */
    bool initialized;         /* its DLL_PROCESS_ATTACH ran and returned TRUE */
    bool init_failed;         /* its DLL_PROCESS_ATTACH returned FALSE */
    bool no_thread_calls;     /* DisableThreadLibraryCalls */
    uint32_t refcount;        /* LoadLibrary calls + modules that import from it */
    struct ldr_module **deps; /* foreign DLLs it holds a reference on (imports, forwarders) */
    uint32_t ndeps, deps_cap;
    struct ldr_module *next;  /* every loaded module, in load order (the exe first) */
    struct ldr_module *init_next; /* DLLs in initialization order (dependencies first) */
};

/* ---- foreign DLLs (dll.c) ---- */
/* Binds a mapped image's imports like ldr_bind_imports, but loads the foreign DLLs it names
 * (recursively) as dependencies of `importer` instead of binding stubs. */
int ldr_bind_imports_mod(ldr_module *importer, const ldr_options *opts, char *err,
                         size_t errlen);
/* Loads (or references) the foreign DLL `dll` for `importer` (NULL: a reference for the whole
 * process), recording the dependency. 0 and *out; 1 when `dll` is, or an API set that maps to, a
 * built-in DLL (*out NULL, its name in builtin_name); -2 when no file was found ("cannot find
 * foo.dll (searched: ...)" in err), -1 for any other failure, with a message. */
int ldr_dll_load_dep(ldr_module *importer, const char *dll, const ldr_options *opts,
                     ldr_module **out, char *builtin_name, size_t bnlen, char *err,
                     size_t errlen);
/* An export of any mapped module (foreign or built-in) by name (ordinal ignored) or, when name
 * is NULL, by ordinal; forwarders are followed, loading their DLLs as dependencies of
 * `owner` (may be NULL: the references are then process-lifetime). NULL with a message. */
void *ldr_get_export(ldr_module *owner, const uint8_t *image, size_t size, const char *name,
                     uint32_t ordinal, char *err, size_t errlen);
/* The export directory entry: address, or NULL; *forwarder set for "DLL.name" entries. */
void *ldr_export_entry(const uint8_t *image, size_t size, const char *name, uint16_t hint,
                       uint32_t ordinal, bool by_ordinal, const char **forwarder);
/* Adds the program to the module list (first) and registers the loader with thunks/ and the
 * thread hooks. ldr_dll_unregister_exe drops it and unloads every DLL (no DllMain calls). */
void ldr_dll_register_exe(ldr_module *exe);
void ldr_dll_unregister_exe(ldr_module *exe);
/* PROCESS_ATTACH for every DLL not yet initialized, dependencies first, on the current thread
 * (which must be on a foreign stack). 0, or -1 with a message naming the DLL. */
int ldr_dll_initialize_pending(char *err, size_t errlen);
/* The module list's lock (recursive: DllMain may call LoadLibrary). */
void ldr_lock(void);
void ldr_unlock(void);
/* The allocated size (in slots) of a ThreadLocalStoragePointer array; 0 for NULL. */
size_t ldr_tls_array_slots(void **array);

#ifndef STATUS_DLL_INIT_FAILED
#define STATUS_DLL_INIT_FAILED ((NTSTATUS)0xC0000142)
#endif
#define STATUS_INVALID_IMAGE_NOT_MZ ((NTSTATUS)0xC000012F)
#define STATUS_INVALID_IMAGE_PROTECT ((NTSTATUS)0xC0000130)
#define STATUS_INVALID_FILE_FOR_SECTION ((NTSTATUS)0xC0000020)
#define STATUS_ORDINAL_NOT_FOUND ((NTSTATUS)0xC0000138)

/* Why the current thread's DLL load failed, as LdrLoadDll returns it (and LoadLibrary's last
 * error after RtlNtStatusToDosError): STATUS_DLL_NOT_FOUND (a DLL or a dependency not found),
 * STATUS_INVALID_IMAGE_* (no PE, 32-bit, another machine, malformed), STATUS_ENTRYPOINT_NOT_FOUND
 * / STATUS_ORDINAL_NOT_FOUND (an import a foreign dependency lacks), STATUS_DLL_INIT_FAILED,
 * STATUS_FILE_IS_A_DIRECTORY, STATUS_ACCESS_DENIED, STATUS_NO_MEMORY. Set where the load fails:
 * the first setting wins (the innermost failure: a dependency's), the outer levels' fallbacks
 * then change nothing. ldr_load_status_begin clears it and returns the value to hand back to
 * ldr_load_status_end, which returns the status (fallback if none was set) and restores it
 * (a LoadLibrary inside DllMain inside a LoadLibrary). Thread-local. */
void ldr_fail_status(NTSTATUS st);
NTSTATUS ldr_load_status_begin(void);
NTSTATUS ldr_load_status_end(NTSTATUS saved, NTSTATUS fallback);

/* loader.c pieces shared with dll.c */
#define LDR_FLAG_IMAGE_DLL 0x4                  /* LDR_DATA_TABLE_ENTRY.Flags */
#define LDR_FLAG_ENTRY_PROCESSED 0x4000
#define LDR_FLAG_PROCESS_ATTACH_CALLED 0x80000
/* The whole file, read-only (a private mapping, or a copy for files that cannot be mapped);
 * release with ldr_free_file(*out, *out_size). */
int ldr_read_file(const char *path, uint8_t **out, size_t *out_size, const char **what);
/* ldr_read_file, handing over in *fd the descriptor of a file it mapped (the caller closes it
 * once the image is mapped: ldr_pe.file_fd), or -1 (a file that was read, not mapped). */
int ldr_read_file_keep_fd(const char *path, uint8_t **out, size_t *out_size, const char **what,
                          int *fd);
void ldr_free_file(uint8_t *file, size_t size);
void ldr_range_add(const ldr_module *mod);
void ldr_range_remove(const ldr_module *mod);
/* The built-in export `name` of built-in DLL `dll` as an import binds it: the thunk, the data
 * variable, or a reporting stub for an export ntrun does not implement; NULL if not exported. */
void *ldr_resolve_builtin(const char *dll, const char *name, uint16_t hint);

/* ---- PEB->Ldr (modlist.c) ----
 * ldr_module_list_add puts one module on PEB->Ldr's lists: a new LDR_DATA_TABLE_ENTRY with
 * DllBase, EntryPoint, SizeOfImage, FullDllName/BaseDllName (BaseDllName is the part of
 * full_name after the last backslash; full_name must outlive the entry), at the tail of the
 * load-order and memory-order lists (at the head with at_head: the program), and at the tail
 * of the initialization-order list when `initialized`. Returns the entry (NULL: no PEB or no
 * memory). ldr_module_list_initialized adds an entry to the initialization-order list (its
 * DllMain ran); ldr_module_list_remove unlinks and frees it. Caller holds the loader lock when
 * other threads may walk the lists. */
typedef struct ldr_list_module {
    void *base;
    void *entry;            /* EntryPoint, NULL if none */
    uint32_t size;          /* SizeOfImage */
    WCHAR *full_name;       /* "C:\dir\name.dll", NUL-terminated */
    uint32_t flags;         /* LDR_FLAG_* */
    uint16_t load_count;    /* ObsoleteLoadCount: 0xffff for static loads */
    uint16_t tls_index;     /* 0xffff: none */
    uint32_t timestamp;     /* TimeDateStamp of the PE header */
    bool at_head;
    bool initialized;
} ldr_list_module;
LDR_DATA_TABLE_ENTRY *ldr_module_list_add(const ldr_list_module *m);
/* A loaded module's entry (dll.c): its path, base, entry point, TLS index and timestamp, with
 * the given flags and load count; at_head for the exe. Sets m->ldr_entry and m->full_dll_name.
 * 0 (also when there is no PEB->Ldr) or -ENOMEM. ldr_entry_remove undoes it. */
int ldr_entry_add(ldr_module *m, uint32_t flags, uint16_t load_count, bool at_head);
void ldr_entry_remove(ldr_module *m);
void ldr_module_list_initialized(LDR_DATA_TABLE_ENTRY *e);
void ldr_module_list_remove(LDR_DATA_TABLE_ENTRY *e);
/* Entries for the built-in DLLs (ntdll.dll, kernel32.dll, msvcrt.dll, ... as
 * C:\windows\system32\name), once; ldr_load_exe calls it before binding imports. 0 or -1. */
int ldr_builtin_entries_add(void);
/* The DLL observer (ldr_set_dll_observer), if any, learns that built-in `name` is bound. */
void ldr_observe_builtin(const char *name);
void ldr_builtin_entries_remove(void);

/* err helpers shared by the loader's files */
/* Hands ntemu the SEC_IMAGE operations (section_image.c). */
void ldr_section_image_init(void);
/* The program unmaps a foreign DLL it loaded (dll.c): the loader forgets the module holding
 * addr and unmaps it; STATUS_NOT_MAPPED_VIEW for the program, a built-in or no module. */
NTSTATUS ldr_dll_forget(const void *addr);
void ldr_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
