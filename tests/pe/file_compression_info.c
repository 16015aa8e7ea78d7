/* GetFileInformationByHandleEx(FileCompressionInfo) (NtQueryInformationFile's
 * FileCompressionInformation) of files that are not compressed: COMPRESSION_FORMAT_NONE, no
 * shifts, and the file's size as CompressedFileSize (5000 bytes written; 0 for an empty file
 * and for a directory); a buffer shorter than the 16-byte structure is ERROR_BAD_LENGTH.
 * workerd (Cloudflare's KJ filesystem) asks it of every file it stats. */
#include <windows.h>
#include <stdio.h>

static void show(const char *what, HANDLE h, DWORD size)
{
    FILE_COMPRESSION_INFO ci;
    memset(&ci, 0xcc, sizeof ci);
    SetLastError(0xdeadbeef);
    if (!GetFileInformationByHandleEx(h, FileCompressionInfo, &ci, size)) {
        printf("%s: FALSE error %lu\n", what, GetLastError());
        return;
    }
    printf("%s: size %lld format %u shifts %u %u %u reserved %02x %02x %02x\n", what,
           ci.CompressedFileSize.QuadPart, ci.CompressionFormat, ci.CompressionUnitShift,
           ci.ChunkShift, ci.ClusterShift, ci.Reserved[0], ci.Reserved[1], ci.Reserved[2]);
}

int main(void)
{
    HANDLE h = CreateFileW(L"compression_info.bin", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                           CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    show("empty file", h, sizeof(FILE_COMPRESSION_INFO));
    static char data[5000];
    DWORD done;
    WriteFile(h, data, sizeof data, &done, NULL);
    show("5000 bytes", h, sizeof(FILE_COMPRESSION_INFO));
    show("buffer of 8", h, 8);
    CloseHandle(h);
    CreateDirectoryW(L"compression_info.dir", NULL);
    h = CreateFileW(L"compression_info.dir", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                    FILE_FLAG_BACKUP_SEMANTICS, NULL);
    show("directory", h, sizeof(FILE_COMPRESSION_INFO));
    CloseHandle(h);
    RemoveDirectoryW(L"compression_info.dir");
    DeleteFileW(L"compression_info.bin");
    return 0;
}
