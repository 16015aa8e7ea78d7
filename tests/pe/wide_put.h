/* Shared by the locale and oleaut32 PE tests: a UTF-16 string printed with its printable ASCII
 * as is and every other character as <U+XXXX> (NULL prints nothing), so the expected files stay
 * ASCII whatever the locale's characters. */
#ifndef NTRUN_TESTS_PE_WIDE_PUT_H
#define NTRUN_TESTS_PE_WIDE_PUT_H
#include <stdio.h>
#include <windows.h>

static void put(const WCHAR *w)
{
    for (; w && *w; w++) {
        if (*w >= 0x20 && *w < 0x7f)
            putchar(*w);
        else
            printf("<U+%04X>", *w);
    }
}

#endif
