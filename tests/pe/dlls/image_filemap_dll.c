/* The DLL of pe.image_filemap: its own large sections (../image_filemap.h), linked with the
 * program's preferred base (0x140000000) so that the loader relocates it: the relocations are
 * written into pages ntrun maps from the file. */
#include <windows.h>
#include "../image_filemap.h"

FM_SECTIONS(fm_dll_);
extern const char fm_dll_ro[];
extern uint64_t fm_dll_rw[];
int fm_dll_head(void), fm_dll_mid(void), fm_dll_tail(void);

__declspec(dllexport) void fm_dll_image(fm_image *out)
{
    out->ro = fm_dll_ro;
    out->rw = fm_dll_rw;
    out->head = fm_dll_head;
    out->mid = fm_dll_mid;
    out->tail = fm_dll_tail;
}

BOOL WINAPI DllMain(HINSTANCE h, DWORD reason, LPVOID reserved)
{
    (void)h;
    (void)reason;
    (void)reserved;
    return TRUE;
}
