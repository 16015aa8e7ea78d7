/* A bad pointer passed to a built-in (strlen(NULL) in msvcrt): the fault happens in ntrun's
 * native code, and is reported as the program's unhandled access violation, naming the
 * function and the call site (stderr-grep), with exit code 0xC0000005 (low 8 bits: 5) — not as
 * a bug in the runtime, and without running the exit hooks over the interrupted call. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char *volatile p = NULL;
    printf("calling strlen(NULL)\n");
    fflush(stdout);
    size_t n = strlen(p);
    printf("strlen returned %zu\n", n);
    return 0;
}
