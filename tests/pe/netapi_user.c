/* netapi32 as Go's os/user.Current uses it: NetGetJoinInformation (a workgroup machine:
 * "WORKGROUP", NetSetupWorkgroupName), NetUserGetInfo of the current user at levels 0 and 10
 * (the name as GetUserNameW gives it, any case accepted; empty comments; a full name), an
 * unknown user (NERR_UserNotFound), a level that does not exist (ERROR_INVALID_LEVEL), the
 * local machine named by "" and by its own name; NetApiBufferAllocate/NetApiBufferFree.
 * Wine 8.0 differs: it says "Workgroup", takes "" for another server (ERROR_BAD_NETPATH) and
 * compares user names with their case (so NERR_UserNotFound before the level is looked at). */
#include <windows.h>
#include <lm.h>
#include <stdio.h>
#include <wchar.h>

int main(void)
{
    WCHAR *domain = NULL;
    NETSETUP_JOIN_STATUS status = 0;
    NET_API_STATUS r = NetGetJoinInformation(NULL, &domain, &status);
    printf("NetGetJoinInformation: %lu %ls status %d\n", r, domain, (int)status);
    NetApiBufferFree(domain);

    WCHAR me[256];
    DWORD n = 256;
    GetUserNameW(me, &n);
    USER_INFO_10 *ui10 = NULL;
    r = NetUserGetInfo(NULL, me, 10, (BYTE **)&ui10);
    printf("level 10: %lu\n", r);
    if (r == 0) {
        printf("  name is GetUserNameW's: %d\n", !wcscmp(ui10->usri10_name, me));
        printf("  comment \"%ls\" user comment \"%ls\"\n", ui10->usri10_comment,
               ui10->usri10_usr_comment);
        printf("  full name present: %d\n", ui10->usri10_full_name != NULL);
        NetApiBufferFree(ui10);
    }
    for (WCHAR *p = me; *p; p++)
        *p = towupper(*p);
    USER_INFO_0 *ui0 = NULL;
    r = NetUserGetInfo(L"", me, 0, (BYTE **)&ui0);
    printf("level 0, upper-case name, server \"\": %lu\n", r);
    if (r == 0) {
        printf("  name matches: %d\n", !_wcsicmp(ui0->usri0_name, me));
        NetApiBufferFree(ui0);
    }
    WCHAR server[MAX_COMPUTERNAME_LENGTH + 3] = L"\\\\";
    n = MAX_COMPUTERNAME_LENGTH + 1;
    GetComputerNameW(server + 2, &n);
    ui0 = NULL;
    r = NetUserGetInfo(server, me, 0, (BYTE **)&ui0);
    printf("level 0, server \\\\COMPUTERNAME: %lu\n", r);
    NetApiBufferFree(ui0);
    BYTE *p = (BYTE *)1;
    r = NetUserGetInfo(NULL, L"no-such-user-here", 10, &p);
    printf("unknown user: %lu\n", r);
    r = NetUserGetInfo(NULL, me, 5, &p);
    printf("level 5: %lu\n", r);

    void *buf = NULL;
    r = NetApiBufferAllocate(64, &buf);
    printf("NetApiBufferAllocate: %lu %s\n", r, buf ? "a buffer" : "NULL");
    memset(buf, 0x5a, 64);
    printf("NetApiBufferFree: %lu\n", NetApiBufferFree(buf));
    printf("NetApiBufferFree(NULL): %lu\n", NetApiBufferFree(NULL));
    return 0;
}
