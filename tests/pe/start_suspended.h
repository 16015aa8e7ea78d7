/* Start this test's own program again, suspended, with one argument naming the child's role:
 * its PROCESS_INFORMATION, or a zeroed one after printing "CreateProcess: error N". Shared by
 * the tests that terminate children before they run (process_job_nested,
 * process_terminate_starting). */
#ifndef NTRUN_TESTS_PE_START_SUSPENDED_H
#define NTRUN_TESTS_PE_START_SUSPENDED_H
#include <stdio.h>
#include <windows.h>

static inline PROCESS_INFORMATION start_suspended(const char *self, const char *role)
{
    char cmd[MAX_PATH + 32];
    snprintf(cmd, sizeof cmd, "\"%s\" %s", self, role);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi = {0};
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, CREATE_SUSPENDED, NULL, NULL, &si, &pi))
        printf("CreateProcess: error %lu\n", GetLastError());
    return pi;
}
#endif
