/* SPDX-License-Identifier: MIT */
/* PEB->Ldr as Windows code walks it: LDR_DATA_TABLE_ENTRY records on the three lists
 * (load order, memory order, initialization order), and the entries of the built-in DLLs.
 *
 * Order, as on Windows: the program first, then ntdll.dll, kernel32.dll and the other built-in
 * DLLs, then foreign DLLs as they load. The built-in entries are added (once) before the
 * program's imports are bound, so foreign DLLs, appended at the tail, come after them; the
 * program's own entry goes at the head. */
#include <stdlib.h>
#include <string.h>
#include "loader/loader_private.h"
#include "ntemu/ntemu.h"
#include "thunks/thunks.h"

static void ml_init_head(LIST_ENTRY *h)
{
    if (!h->Flink || !h->Blink)
        h->Flink = h->Blink = h;
}

static void ml_insert(LIST_ENTRY *head, LIST_ENTRY *e, bool at_head)
{
    ml_init_head(head);
    LIST_ENTRY *prev = at_head ? head : head->Blink;
    e->Blink = prev;
    e->Flink = prev->Flink;
    prev->Flink->Blink = e;
    prev->Flink = e;
}

static void ml_unlink(LIST_ENTRY *e)
{
    if (e->Flink && e->Blink && e->Flink != e) {
        e->Blink->Flink = e->Flink;
        e->Flink->Blink = e->Blink;
    }
    e->Flink = e->Blink = e;
}

static void ml_set_names(LDR_DATA_TABLE_ENTRY *e, WCHAR *full, size_t len)
{
    if (len > 0x7ffe)
        len = 0x7ffe; /* a UNICODE_STRING holds at most 0xfffe bytes */
    size_t base = len;
    while (base > 0 && full[base - 1] != u'\\' && full[base - 1] != u'/')
        base--;
    e->FullDllName.Buffer = full;
    e->FullDllName.Length = (uint16_t)(len * 2);
    e->FullDllName.MaximumLength = (uint16_t)(len * 2 + 2);
    e->BaseDllName.Buffer = full + base;
    e->BaseDllName.Length = (uint16_t)((len - base) * 2);
    e->BaseDllName.MaximumLength = (uint16_t)((len - base) * 2 + 2);
}

LDR_DATA_TABLE_ENTRY *ldr_module_list_add(const ldr_list_module *m)
{
    PEB *peb = rt_proc.peb;
    if (!peb || !peb->Ldr)
        return NULL;
    /* The entry and a copy of its name in memory the program may read, which VirtualQuery
     * shows committed (Windows keeps them in the process heap). */
    size_t len = m->full_name ? nt_wcslen(m->full_name) : 0;
    if (len > 0x7ffe)
        len = 0x7ffe;
    LDR_DATA_TABLE_ENTRY *e = rt_progmem_alloc(sizeof *e + (len + 1) * sizeof(WCHAR));
    if (!e)
        return NULL;
    if (m->full_name) {
        WCHAR *name = (WCHAR *)(e + 1);
        memcpy(name, m->full_name, len * sizeof *name);
        ml_set_names(e, name, len);
    }
    e->DllBase = m->base;
    e->EntryPoint = m->entry;
    e->SizeOfImage = m->size;
    e->Flags = m->flags;
    e->ObsoleteLoadCount = m->load_count;
    e->TlsIndex = m->tls_index;
    e->TimeDateStamp = m->timestamp;
    e->HashLinks.Flink = e->HashLinks.Blink = &e->HashLinks;
    e->InInitializationOrderLinks.Flink = e->InInitializationOrderLinks.Blink =
        &e->InInitializationOrderLinks;
    ml_insert(&peb->Ldr->InLoadOrderModuleList, &e->InLoadOrderLinks, m->at_head);
    ml_insert(&peb->Ldr->InMemoryOrderModuleList, &e->InMemoryOrderLinks, m->at_head);
    if (m->initialized)
        ml_insert(&peb->Ldr->InInitializationOrderModuleList, &e->InInitializationOrderLinks,
                  false);
    return e;
}

void ldr_module_list_initialized(LDR_DATA_TABLE_ENTRY *e)
{
    if (!e || !rt_proc.peb || !rt_proc.peb->Ldr)
        return;
    e->Flags |= LDR_FLAG_ENTRY_PROCESSED | LDR_FLAG_PROCESS_ATTACH_CALLED;
    if (e->InInitializationOrderLinks.Flink == &e->InInitializationOrderLinks)
        ml_insert(&rt_proc.peb->Ldr->InInitializationOrderModuleList,
                  &e->InInitializationOrderLinks, false);
}

void ldr_module_list_remove(LDR_DATA_TABLE_ENTRY *e)
{
    if (!e)
        return;
    ml_unlink(&e->InLoadOrderLinks);
    ml_unlink(&e->InMemoryOrderLinks);
    ml_unlink(&e->InInitializationOrderLinks);
    rt_progmem_free(e); /* with its copy of the name */
}

/* ---- the built-in DLLs ---- */
/* Named as kernel32's GetModuleFileName names them (C:\windows\system32\<name>), so the two
 * views of a module agree (Windows itself shows some upper case, e.g. KERNEL32.DLL). */
static const struct {
    const char *name;      /* as thunks/ knows it */
    const char *win_name;  /* BaseDllName */
} ml_builtins[] = {
    {"ntdll.dll", "ntdll.dll"},
    {"kernel32.dll", "kernel32.dll"},
    {"kernelbase.dll", "kernelbase.dll"},
    {"msvcrt.dll", "msvcrt.dll"},
    {"ucrtbase.dll", "ucrtbase.dll"},
};
static LDR_DATA_TABLE_ENTRY *ml_builtin_entries[sizeof ml_builtins / sizeof ml_builtins[0]];
static WCHAR ml_builtin_names[sizeof ml_builtins / sizeof ml_builtins[0]][64];

int ldr_builtin_entries_add(void)
{
    static const char prefix[] = "C:\\windows\\system32\\";
    for (size_t i = 0; i < sizeof ml_builtins / sizeof ml_builtins[0]; i++) {
        /* ntdll and kernel32 are in every process; the others join once their image exists
         * (built on first use: called again after import binding and LoadLibrary). */
        uint32_t size;
        const uint8_t *img = thk_builtin_image(ml_builtins[i].name, i < 2, &size);
        if (!img)
            continue;
        if (ml_builtin_entries[i]) { /* ntdll is rebuilt when the numbering changes */
            ml_builtin_entries[i]->DllBase = (void *)img;
            ml_builtin_entries[i]->SizeOfImage = size;
            continue;
        }
        WCHAR *w = ml_builtin_names[i];
        size_t n = 0;
        for (const char *p = prefix; *p; p++)
            w[n++] = (WCHAR)*p;
        for (const char *p = ml_builtins[i].win_name; *p && n < 63; p++)
            w[n++] = (WCHAR)*p;
        w[n] = 0;
        ldr_list_module m = {
            .base = (void *)img,
            .size = size,
            .full_name = w,
            .flags = LDR_FLAG_IMAGE_DLL | LDR_FLAG_ENTRY_PROCESSED |
                     LDR_FLAG_PROCESS_ATTACH_CALLED,
            .load_count = 0xffff,
            .tls_index = 0,
            .initialized = true,
        };
        ml_builtin_entries[i] = ldr_module_list_add(&m);
        if (!ml_builtin_entries[i])
            return -1;
    }
    return 0;
}

void ldr_builtin_entries_remove(void)
{
    for (size_t i = 0; i < sizeof ml_builtins / sizeof ml_builtins[0]; i++) {
        ldr_module_list_remove(ml_builtin_entries[i]);
        ml_builtin_entries[i] = NULL;
    }
}
