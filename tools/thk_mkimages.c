/* SPDX-License-Identifier: MIT */
/* Build-time tool: lays out the built-in DLLs' images with the runtime's own builder and writes
 * them as templates (thunks/images.h) into the directory given, for the binaries to carry as
 * read-only data. Linked with the core objects but not with a previous run's templates.
 * usage: thk_mkimages DIR */
#include <stdio.h>
#include <string.h>
#include "thunks/images.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: thk_mkimages DIR\n");
        return 2;
    }
    int r = thk_images_emit(argv[1]);
    if (r < 0) {
        fprintf(stderr, "thk_mkimages: %s: %s\n", argv[1], strerror(-r));
        return 1;
    }
    return 0;
}
