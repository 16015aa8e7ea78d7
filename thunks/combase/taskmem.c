/* SPDX-License-Identifier: MIT */
/* combase (ole32): the COM task allocator, CoTaskMemAlloc/Realloc/Free, on the process heap
 * (what shell32's SHGetKnownFolderPath hands out and programs free). */
#include "thunks/kernel32/kernel32_private.h"

void *WINAPI HeapReAlloc(HANDLE heap, DWORD flags, void *p, SIZE_T size);

void *WINAPI CoTaskMemAlloc(SIZE_T size)
{
    return HeapAlloc(GetProcessHeap(), 0, size ? size : 1);
}
THK_EXPORT(combase, CoTaskMemAlloc, 1);

void *WINAPI CoTaskMemRealloc(void *p, SIZE_T size)
{
    if (!p)
        return CoTaskMemAlloc(size);
    if (!size) {
        HeapFree(GetProcessHeap(), 0, p);
        return NULL;
    }
    return HeapReAlloc(GetProcessHeap(), 0, p, size);
}
THK_EXPORT(combase, CoTaskMemRealloc, 2);

void WINAPI CoTaskMemFree(void *p)
{
    if (p)
        HeapFree(GetProcessHeap(), 0, p);
}
THK_EXPORT(combase, CoTaskMemFree, 1);
