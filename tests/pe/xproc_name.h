/* Names of the objects a cross-process test shares with its children: the first process makes
 * xproc_base unique to its run and passes it on the command line; xproc_name(suffix) is
 * xproc_base + suffix, in one of four buffers used in turn (enough for one call's arguments). */
#ifndef XPROC_NAME_H
#define XPROC_NAME_H
#include <wchar.h>
#include <windows.h>

static WCHAR xproc_base[64];

static WCHAR *xproc_name(const WCHAR *suffix)
{
    static WCHAR buf[4][96];
    static int i;
    WCHAR *b = buf[i++ % 4];
    swprintf(b, 96, L"%ls%ls", xproc_base, suffix);
    return b;
}
#endif
