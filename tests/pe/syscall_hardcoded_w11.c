/* syscall_hardcoded_w11: Windows 11 24H2 system-call numbers written into the program (see
 * syscall_hardcoded.h), run with --windows-build=11 (syscall_hardcoded_w11.ntrun). */
#define BUILD_NAME "Windows 11 24H2"
#define BUILD_NUMBER 26100
#define SSN_NtWriteFile 0x0008
#define SSN_NtClose 0x000f
#define SSN_NtQueryInformationProcess 0x0019
#define SSN_NtQueryFullAttributesFile 0x0151
#define SSN_NtDeleteFile 0x00db
#define SSN_NtGetCurrentProcessorNumber 0x00fc
#include "syscall_hardcoded.h"
