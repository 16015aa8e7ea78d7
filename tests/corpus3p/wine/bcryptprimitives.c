/* SPDX-License-Identifier: MIT
 * bcryptprimitives.dll for the Wine 8.0 prefix of tests/corpus3p/reference.sh (never for ntrun,
 * which has its own): ProcessPrng, the one export Rust's std since 1.78 and Go's runtime since
 * 1.22 import from it, as Windows 10 has it, over advapi32's RtlGenRandom (SystemFunction036).
 * Wine 8.0 lacks the DLL, so without this it runs none of those programs. Built with mingw-w64
 * by run-task.sh when it first runs Wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length) {
        ULONG part = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, part))
            return FALSE;
        data += part;
        length -= part;
    }
    return TRUE;
}
