/* SPDX-License-Identifier: MIT */
/* _get_stream_buffer_pointers: where a stream keeps its buffer's start, its next byte and the
 * count of bytes left (to read, or room to write). msvcp140's basic_filebuf asks for them when it
 * is attached to a FILE (std::ifstream, std::ofstream, std::cout) and then reads and writes the
 * stream's buffer directly, calling fgetc/fputc only when the count is spent. Our FILE keeps
 * msvcrt's _iobuf fields with msvcrt's meaning (thunks/msvcrt/stdio.c: an untranslated buffer,
 * _cnt the bytes left), which is what the UCRT keeps in its own FILE, so the pointers are those
 * of the fields. (In the ucrt helper's area; added for hermesc of the third-party corpus.) */
#include "thunks/msvcrt/msvcrt_lib.h"
#include "thunks/ucrtbase/ucrtbase_private.h"

static int WINAPI ucrtbase__get_stream_buffer_pointers(void *stream, char ***base, char ***ptr,
                                                       int32_t **count)
{
    crt_FILE *f = stream ? crt_stream_check(stream) : NULL;
    if (!f) {
        ucrt_invalid_parameter(CRT_EINVAL);
        return CRT_EINVAL;
    }
    if (base)
        *base = &f->_base;
    if (ptr)
        *ptr = &f->_ptr;
    if (count)
        *count = &f->_cnt;
    return 0;
}
THK_EXPORT_AS(ucrtbase, _get_stream_buffer_pointers, ucrtbase__get_stream_buffer_pointers, 4);
