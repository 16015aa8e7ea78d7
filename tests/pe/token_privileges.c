/* Token privileges whose state Windows records (privileges every user's token holds:
 * SeShutdownPrivilege, SeChangeNotifyPrivilege, SeUndockPrivilege, SeTimeZonePrivilege, so the
 * output is the same for a standard user and an elevated administrator):
 *  - AdjustTokenPrivileges enables and disables, seen through another handle to the process
 *    token (one token); PreviousState lists only the privileges that changed (none when
 *    nothing changes) and restores them; DisableAllPrivileges; a privilege the token lacks:
 *    TRUE with ERROR_NOT_ALL_ASSIGNED, the others still change; SE_PRIVILEGE_REMOVED takes one
 *    out for good; a handle without TOKEN_ADJUST_PRIVILEGES: ERROR_ACCESS_DENIED; a
 *    PreviousState buffer too small: ERROR_INSUFFICIENT_BUFFER with the size, nothing changed;
 *  - GetTokenInformation(TokenPrivileges) and TokenStatistics.PrivilegeCount follow;
 *  - PrivilegeCheck: ERROR_NO_IMPERSONATION_TOKEN for a primary token; on the token of
 *    ImpersonateSelf (a copy: its changes stay out of the process token) all or any of a set,
 *    with SE_PRIVILEGE_USED_FOR_ACCESS on the enabled ones.
 * Output as on Windows. Wine 8.0 differs: its tokens lack SeTimeZonePrivilege, its
 * PreviousState also lists privileges that did not change and none for DisableAllPrivileges,
 * its PrivilegeCheck accepts a primary token, and the token of its ImpersonateSelf does not
 * carry the process token's privilege states. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define SHUTDOWN 19
#define CHANGE_NOTIFY 23
#define UNDOCK 25
#define TIME_ZONE 34
#define CREATE_TOKEN 2

static int priv_attr(HANDLE t, DWORD luid, DWORD *count)
{
    BYTE buf[1024];
    DWORD len;
    if (!GetTokenInformation(t, TokenPrivileges, buf, sizeof buf, &len))
        return -2;
    TOKEN_PRIVILEGES *tp = (TOKEN_PRIVILEGES *)buf;
    if (count)
        *count = tp->PrivilegeCount;
    for (DWORD i = 0; i < tp->PrivilegeCount; i++)
        if (tp->Privileges[i].Luid.LowPart == luid && !tp->Privileges[i].Luid.HighPart)
            return (int)tp->Privileges[i].Attributes;
    return -1; /* not held */
}

static void show(const char *label, HANDLE t)
{
    printf("%s: shutdown %d, change-notify %d, undock %d, time-zone %d\n", label,
           priv_attr(t, SHUTDOWN, NULL), priv_attr(t, CHANGE_NOTIFY, NULL),
           priv_attr(t, UNDOCK, NULL), priv_attr(t, TIME_ZONE, NULL));
}

typedef struct {
    DWORD count;
    LUID_AND_ATTRIBUTES p[40];
} privs4;

/* Only these four are printed: an administrator's token holds and enables more. */
static int ours(DWORD luid)
{
    return luid == SHUTDOWN || luid == CHANGE_NOTIFY || luid == UNDOCK || luid == TIME_ZONE;
}

static privs4 one(DWORD luid, DWORD attr)
{
    privs4 s = {1, {{{luid, 0}, attr}}};
    return s;
}

static void adjust(const char *label, HANDLE t, BOOL all, privs4 *s, privs4 *prev, DWORD plen)
{
    DWORD ret = 0xdead;
    SetLastError(0xcafe);
    BOOL ok = AdjustTokenPrivileges(t, all, (TOKEN_PRIVILEGES *)s, plen,
                                    (TOKEN_PRIVILEGES *)prev, prev ? &ret : NULL);
    printf("%s: %d error %lu", label, ok, GetLastError());
    if (prev) {
        if (!all) /* DisableAllPrivileges lists every enabled one: the length varies */
            printf(", length %lu", ret);
        if (ok) {
            printf(", previous");
            for (DWORD i = 0; i < prev->count; i++)
                if (ours(prev->p[i].Luid.LowPart))
                    printf(" %lu=%lu", prev->p[i].Luid.LowPart, prev->p[i].Attributes);
        }
    }
    printf("\n");
}

static void check(const char *label, HANDLE t, DWORD control)
{
    PRIVILEGE_SET *set = (PRIVILEGE_SET *)calloc(1, sizeof(PRIVILEGE_SET) + sizeof(LUID_AND_ATTRIBUTES));
    set->PrivilegeCount = 2;
    set->Control = control;
    set->Privilege[0].Luid.LowPart = CHANGE_NOTIFY;
    set->Privilege[1].Luid.LowPart = SHUTDOWN;
    BOOL result = 7;
    SetLastError(0xcafe);
    BOOL ok = PrivilegeCheck(t, set, &result);
    printf("%s: %d error %lu", label, ok, ok ? 0 : GetLastError());
    if (ok)
        printf(", result %d, attributes %#lx %#lx", result, set->Privilege[0].Attributes,
               set->Privilege[1].Attributes);
    printf("\n");
    free(set);
}

int main(void)
{
    HANDLE t, q;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES, &t);
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &q);
    show("start", t);

    static privs4 s, prev, prev2;
    s = one(SHUTDOWN, SE_PRIVILEGE_ENABLED);
    adjust("enable shutdown", t, FALSE, &s, &prev, sizeof prev);
    show("other handle", q);
    adjust("enable again", t, FALSE, &s, &prev2, sizeof prev2);
    adjust("restore previous", t, FALSE, &prev, NULL, 0);
    show("restored", q);

    static privs4 two = {2, {{{SHUTDOWN, 0}, SE_PRIVILEGE_ENABLED}, {{TIME_ZONE, 0}, SE_PRIVILEGE_ENABLED}}};
    adjust("enable shutdown, time-zone", t, FALSE, &two, NULL, 0);
    adjust("disable all", t, TRUE, NULL, &prev, sizeof prev);
    show("all disabled", q);
    adjust("restore previous", t, FALSE, &prev, NULL, 0);
    show("restored", q);
    s = one(TIME_ZONE, 0);
    adjust("disable time-zone", t, FALSE, &s, NULL, 0);

    static privs4 lack = {2, {{{CREATE_TOKEN, 0}, SE_PRIVILEGE_ENABLED}, {{SHUTDOWN, 0}, 0}}};
    adjust("create-token (not held), disable shutdown", t, FALSE, &lack, NULL, 0);
    show("after", q);
    s = one(SHUTDOWN, SE_PRIVILEGE_ENABLED);
    adjust("without TOKEN_ADJUST_PRIVILEGES", q, FALSE, &s, NULL, 0);
    adjust("previous-state buffer too small", t, FALSE, &s, &prev, sizeof(DWORD));
    show("unchanged", q);

    DWORD before, after, stat_len;
    TOKEN_STATISTICS ts;
    priv_attr(q, UNDOCK, &before);
    s = one(UNDOCK, SE_PRIVILEGE_REMOVED);
    adjust("remove undock", t, FALSE, &s, NULL, 0);
    priv_attr(q, UNDOCK, &after);
    GetTokenInformation(q, TokenStatistics, &ts, sizeof ts, &stat_len);
    printf("count down by %lu, statistics agree %d\n", before - after,
           ts.PrivilegeCount == after);
    s = one(UNDOCK, SE_PRIVILEGE_ENABLED);
    adjust("enable removed undock", t, FALSE, &s, NULL, 0);
    show("after removal", q);

    check("PrivilegeCheck on the process token", q, PRIVILEGE_SET_ALL_NECESSARY);
    printf("ImpersonateSelf: %d\n", ImpersonateSelf(SecurityImpersonation));
    HANDLE it = NULL;
    printf("OpenThreadToken: %d\n",
           OpenThreadToken(GetCurrentThread(), TOKEN_QUERY | TOKEN_ADJUST_PRIVILEGES, TRUE, &it));
    check("all necessary", it, PRIVILEGE_SET_ALL_NECESSARY);
    check("any", it, 0);
    s = one(SHUTDOWN, SE_PRIVILEGE_ENABLED);
    adjust("enable shutdown in the thread token", it, FALSE, &s, NULL, 0);
    check("all necessary", it, PRIVILEGE_SET_ALL_NECESSARY);
    show("thread token", it);
    show("process token", q);
    RevertToSelf();
    CloseHandle(it);
    CloseHandle(q);
    CloseHandle(t);
    return 0;
}
