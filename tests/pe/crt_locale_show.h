/* What the msvcrt locale tests (crt_locale.c, crt_locale_all.c) share: msvcrt.dll's data
 * exports for the process's locale, a NULL-safe string and a printer of locale strings (bytes
 * outside ASCII as \xNN). */
#ifndef NTRUN_TESTS_PE_CRT_LOCALE_SHOW_H
#define NTRUN_TESTS_PE_CRT_LOCALE_SHOW_H
#include <stdio.h>

__declspec(dllimport) extern unsigned int __lc_codepage;
__declspec(dllimport) extern unsigned long __lc_handle[6];

static inline const char *str(const char *s) { return s ? s : "(null)"; }

/* " what=[text]" */
static inline void hex(const char *what, const char *s)
{
    printf(" %s=[", what);
    for (; *s; s++)
        if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
            putchar(*s);
        else
            printf("\\x%02x", (unsigned char)*s);
    printf("]");
}
#endif
