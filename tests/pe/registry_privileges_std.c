/* registry_privileges.c with a standard user's token (registry_privileges_std.token): the
 * token has neither SeBackupPrivilege nor SeRestorePrivilege, AdjustTokenPrivileges cannot
 * enable them (ERROR_NOT_ALL_ASSIGNED) and every hive call fails with
 * ERROR_PRIVILEGE_NOT_HELD, in the child too. Output as on Windows for a standard user (Wine
 * 8.0 always gives an administrator's token). */
#define KEY L"Software\\ntrun-test-privileges-std"
#define LOADED L"ntrun-test-privileges-std-hive"
#include "privilege.h" /* registry_privileges.c's: named here so the build tracks it */
#include "registry_privileges.c"
