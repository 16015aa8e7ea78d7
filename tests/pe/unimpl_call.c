/* A program that imports a function ntrun does not implement loads and runs; when it calls it,
 * ntrun stops it with "called unimplemented user32.dll!DrawIcon" and exit status 57, the low
 * byte of STATUS_ENTRYPOINT_NOT_FOUND (0xC0000139). */
#include <windows.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("started\n");
    fflush(stdout);
    if (argc > 0) /* always: the compiler cannot drop the call */
        DrawIcon(NULL, 0, 0, NULL);
    printf("not reached\n");
    return 0;
}
