/* NtQuerySection as the section tests call it (section_image, section_image_pe32,
 * section_image_at, section_reserve, section_extend, section_file_shared): its pointer type,
 * taken from ntdll with GetProcAddress, and the two classes' layouts, which mingw-w64's headers
 * do not declare: basic_info (SectionBasicInformation, 0: SECTION_BASIC_INFORMATION) and
 * image_info (SectionImageInformation, 1: SECTION_IMAGE_INFORMATION, 64-bit). */
#ifndef NTRUN_TESTS_PE_SECTION_INFO_H
#define NTRUN_TESTS_PE_SECTION_INFO_H
#include <stddef.h>
#include <windows.h>
#include <winternl.h>

typedef NTSTATUS(NTAPI *query_section_fn)(HANDLE, int, void *, SIZE_T, SIZE_T *);

typedef struct {
    void *BaseAddress;
    ULONG AllocationAttributes;
    LARGE_INTEGER MaximumSize;
} basic_info;
_Static_assert(sizeof(basic_info) == 0x18, "SECTION_BASIC_INFORMATION");

typedef struct {
    void *TransferAddress;
    ULONG ZeroBits;
    SIZE_T MaximumStackSize;
    SIZE_T CommittedStackSize;
    ULONG SubSystemType;
    USHORT SubSystemMinorVersion, SubSystemMajorVersion;
    USHORT MajorOperatingSystemVersion, MinorOperatingSystemVersion;
    USHORT ImageCharacteristics;
    USHORT DllCharacteristics;
    USHORT Machine;
    BOOLEAN ImageContainsCode;
    UCHAR ImageFlags;
    ULONG LoaderFlags;
    ULONG ImageFileSize;
    ULONG CheckSum;
} image_info;
_Static_assert(offsetof(image_info, SubSystemType) == 0x20, "SECTION_IMAGE_INFORMATION");
_Static_assert(offsetof(image_info, Machine) == 0x30, "SECTION_IMAGE_INFORMATION");
_Static_assert(sizeof(image_info) == 0x40, "SECTION_IMAGE_INFORMATION");
#endif
