/* Reads its standard input to the end and says what it got (tests/lib/test_lib.c feeds it
 * through a stdin callback, in-process and in a child). With an argument, exits at once
 * without reading. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        printf("not reading\n");
        return 3;
    }
    char buf[256], all[4096] = "";
    size_t total = 0;
    int lines = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        total += strlen(buf);
        lines++;
        if (strlen(all) + strlen(buf) < sizeof all)
            strcat(all, buf);
    }
    printf("%d lines, %u bytes: %s", lines, (unsigned)total, all);
    return 0;
}
