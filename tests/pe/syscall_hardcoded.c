/* syscall_hardcoded: Windows 10 22H2 system-call numbers written into the program (see
 * syscall_hardcoded.h); ntrun's default numbering. */
#define BUILD_NAME "Windows 10 22H2"
#define BUILD_NUMBER 19045
#define SSN_NtWriteFile 0x0008
#define SSN_NtClose 0x000f
#define SSN_NtQueryInformationProcess 0x0019
#define SSN_NtQueryFullAttributesFile 0x0147
#define SSN_NtDeleteFile 0x00d3
#define SSN_NtGetCurrentProcessorNumber 0x00f4
#include "syscall_hardcoded.h"
