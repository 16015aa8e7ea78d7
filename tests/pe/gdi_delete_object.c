/* gdi32!DeleteObject of handles that are not GDI objects: NULL, a made-up value and a kernel
 * handle (an event) all give FALSE, as on Windows, and the event is still usable afterwards.
 * GHC's Win32 package (Elm 0.19.1) calls it as the program exits. */
#include <windows.h>
#include <stdio.h>

int main(void)
{
    printf("DeleteObject(NULL): %d\n", DeleteObject(NULL));
    printf("DeleteObject(0x12345678): %d\n", DeleteObject((HGDIOBJ)(ULONG_PTR)0x12345678));
    HANDLE ev = CreateEventW(NULL, TRUE, FALSE, NULL);
    printf("DeleteObject(an event): %d\n", DeleteObject((HGDIOBJ)ev));
    printf("SetEvent afterwards: %d\n", SetEvent(ev));
    printf("WaitForSingleObject: %lu\n", WaitForSingleObject(ev, 0));
    CloseHandle(ev);
    return 0;
}
