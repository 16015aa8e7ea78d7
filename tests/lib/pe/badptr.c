/* _strrev(NULL) inside msvcrt: a fault in ntrun's native code, run in-process by
 * tests/lib/test_lib.c — the run ends with 0xC0000005 and the host carries on. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char *volatile s = NULL;
    printf("reversing NULL\n");
    _strrev(s);
    printf("_strrev returned\n");
    return 0;
}
