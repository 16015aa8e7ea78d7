/* Access tokens and SIDs as Windows gives them to a program: OpenProcessToken and
 * GetTokenInformation (ERROR_INSUFFICIENT_BUFFER with the size needed; TokenUser, TokenGroups,
 * TokenOwner, TokenPrimaryGroup, TokenElevation, TokenIntegrityLevel, TokenType; the pseudo
 * handle GetCurrentProcessToken gives), OpenThreadToken without impersonation
 * (ERROR_NO_TOKEN), the user SID's form and its name (LookupAccountSid agrees with GetUserName),
 * ConvertSidToStringSid / ConvertStringSidToSid (numbers and SDDL abbreviations, bad strings),
 * AllocateAndInitializeSid / EqualSid / CopySid / GetLengthSid / IsValidSid / FreeSid,
 * LookupAccountSid of well-known SIDs, CheckTokenMembership and LookupPrivilegeValue. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <sddl.h>

static BYTE ubuf[512], gbuf[2048];

int main(void)
{
    HANDLE t;
    DWORD len = 0;
    BOOL ok = OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &t);
    printf("OpenProcessToken: %d\n", ok);
    ok = GetTokenInformation(t, TokenUser, NULL, 0, &len);
    printf("TokenUser, no buffer: %d error %lu, needs more than 16: %d\n", ok, GetLastError(),
           len > 16);
    ok = GetTokenInformation(t, TokenUser, ubuf, sizeof ubuf, &len);
    TOKEN_USER *tu = (TOKEN_USER *)ubuf;
    PSID user = tu->User.Sid;
    printf("TokenUser: %d valid %d length %lu attributes %lu\n", ok, IsValidSid(user),
           GetLengthSid(user), tu->User.Attributes);
    WCHAR *text;
    ok = ConvertSidToStringSidW(user, &text);
    printf("user SID string: %d starts S-1-5-21-: %d\n", ok, !wcsncmp(text, L"S-1-5-21-", 9));
    PSID back;
    ok = ConvertStringSidToSidW(text, &back);
    printf("round trip: %d equal %d\n", ok, EqualSid(back, user));
    LocalFree(back);
    LocalFree(text);

    WCHAR name[256], dom[256], me[256];
    DWORD nl = 256, dl = 256, ml = 256;
    SID_NAME_USE use;
    ok = LookupAccountSidW(NULL, user, name, &nl, dom, &dl, &use);
    GetUserNameW(me, &ml);
    printf("LookupAccountSid(user): %d use %d, name is GetUserName's: %d, lengths agree: %d\n",
           ok, use, !wcscmp(name, me), nl + 1 == ml);
    nl = 1;
    dl = 1;
    ok = LookupAccountSidW(NULL, user, name, &nl, dom, &dl, &use);
    printf("LookupAccountSid, small buffers: %d error %lu, sizes right: %d\n", ok, GetLastError(),
           nl == wcslen(me) + 1 && dl == wcslen(dom) + 1);
    ml = 1;
    ok = GetUserNameW(me, &ml);
    printf("GetUserName, small buffer: %d error %lu, size right: %d\n", ok, GetLastError(),
           ml == wcslen(name) + 1);

    ok = GetTokenInformation(t, TokenGroups, gbuf, sizeof gbuf, &len);
    TOKEN_GROUPS *tg = (TOKEN_GROUPS *)gbuf;
    SID_IDENTIFIER_AUTHORITY world = {SECURITY_WORLD_SID_AUTHORITY};
    SID_IDENTIFIER_AUTHORITY nt = {SECURITY_NT_AUTHORITY};
    PSID everyone, admins, users;
    AllocateAndInitializeSid(&world, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0, &everyone);
    AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0,
                             0, 0, 0, 0, &admins);
    AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS, 0, 0,
                             0, 0, 0, 0, &users);
    int has_everyone = 0, has_users = 0;
    for (DWORD i = 0; i < tg->GroupCount; i++) {
        if (EqualSid(tg->Groups[i].Sid, everyone))
            has_everyone = (tg->Groups[i].Attributes & SE_GROUP_ENABLED) != 0;
        if (EqualSid(tg->Groups[i].Sid, users))
            has_users = 1;
    }
    printf("TokenGroups: %d Everyone enabled %d, Users %d\n", ok, has_everyone, has_users);

    TOKEN_ELEVATION el;
    ok = GetTokenInformation(t, TokenElevation, &el, sizeof el, &len);
    printf("TokenElevation: %d size %lu\n", ok, len);
    ok = GetTokenInformation(t, TokenIntegrityLevel, gbuf, sizeof gbuf, &len);
    TOKEN_MANDATORY_LABEL *ml2 = (TOKEN_MANDATORY_LABEL *)gbuf;
    DWORD level = *GetSidSubAuthority(ml2->Label.Sid, 0);
    printf("TokenIntegrityLevel: %d attributes %#lx, level matches elevation: %d\n", ok,
           ml2->Label.Attributes,
           el.TokenIsElevated ? level == SECURITY_MANDATORY_HIGH_RID
                              : level == SECURITY_MANDATORY_MEDIUM_RID);
    ok = GetTokenInformation(t, TokenOwner, gbuf, sizeof gbuf, &len);
    PSID owner = ((TOKEN_OWNER *)gbuf)->Owner;
    printf("TokenOwner: %d is the user or Administrators: %d\n", ok,
           EqualSid(owner, user) || EqualSid(owner, admins));
    ok = GetTokenInformation(t, TokenPrimaryGroup, gbuf, sizeof gbuf, &len);
    PSID pg = ((TOKEN_PRIMARY_GROUP *)gbuf)->PrimaryGroup;
    printf("TokenPrimaryGroup: %d valid %d\n", ok, IsValidSid(pg));
    TOKEN_TYPE tt;
    ok = GetTokenInformation(t, TokenType, &tt, sizeof tt, &len);
    printf("TokenType: %d %d\n", ok, tt);
    ok = GetTokenInformation((HANDLE)(LONG_PTR)-4, TokenUser, gbuf, sizeof gbuf, &len);
    printf("GetCurrentProcessToken's TokenUser: %d same SID %d\n", ok,
           EqualSid(((TOKEN_USER *)gbuf)->User.Sid, user));
    CloseHandle(t);

    HANDLE tt2;
    ok = OpenProcessToken(GetCurrentProcess(), TOKEN_ADJUST_DEFAULT, &tt2);
    ok = ok && !GetTokenInformation(tt2, TokenUser, gbuf, sizeof gbuf, &len);
    printf("query without TOKEN_QUERY fails: %d error %lu\n", ok, GetLastError());
    CloseHandle(tt2);
    ok = OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &tt2);
    printf("OpenThreadToken: %d error %lu\n", ok, GetLastError());

    PSID s;
    ok = ConvertStringSidToSidW(L"BA", &s);
    printf("\"BA\": %d equals Administrators %d\n", ok, EqualSid(s, admins));
    LocalFree(s);
    ok = ConvertStringSidToSidW(L"S-1-5-32-545", &s);
    printf("S-1-5-32-545: %d equals Users %d length %lu\n", ok, EqualSid(s, users),
           GetLengthSid(s));
    char *atext;
    ConvertSidToStringSidA(s, &atext);
    printf("back to text: %s\n", atext);
    LocalFree(atext);
    LocalFree(s);
    ok = ConvertStringSidToSidW(L"S-1-x", &s);
    printf("\"S-1-x\": %d error %lu\n", ok, GetLastError());
    BYTE small[8];
    ok = CopySid(sizeof small, small, admins);
    printf("CopySid into 8 bytes: %d error %lu\n", ok, GetLastError());
    BYTE big[64];
    ok = CopySid(sizeof big, big, admins);
    printf("CopySid: %d equal %d\n", ok, EqualSid(big, admins));

    nl = dl = 256;
    ok = LookupAccountSidW(NULL, everyone, name, &nl, dom, &dl, &use);
    printf("Everyone: %d [%ls] [%ls] use %d\n", ok, name, dom, use);
    nl = dl = 256;
    ok = LookupAccountSidW(NULL, admins, name, &nl, dom, &dl, &use);
    printf("Administrators: %d [%ls] [%ls] use %d\n", ok, name, dom, use);
    char an[64], ad[64];
    DWORD anl = 64, adl = 64;
    ok = LookupAccountSidA(NULL, users, an, &anl, ad, &adl, &use);
    printf("Users (A): %d [%s] [%s] %lu %lu\n", ok, an, ad, anl, adl);

    BOOL member = -1;
    ok = CheckTokenMembership(NULL, everyone, &member);
    printf("CheckTokenMembership(Everyone): %d member %d\n", ok, member);
    LUID luid;
    ok = LookupPrivilegeValueW(NULL, L"SeChangeNotifyPrivilege", &luid);
    printf("SeChangeNotifyPrivilege: %d %lu\n", ok, luid.LowPart);
    ok = LookupPrivilegeValueW(NULL, L"SeNoSuchPrivilege", &luid);
    printf("SeNoSuchPrivilege: %d error %lu\n", ok, GetLastError());
    printf("FreeSid: %p\n", FreeSid(everyone));
    FreeSid(admins);
    FreeSid(users);
    return 0;
}
