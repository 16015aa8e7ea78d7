/* Restricted tokens as PostgreSQL's initdb and pg_ctl make them (an elevated administrator
 * starts itself again without Administrators, src/common/restricted_token.c):
 *  - CreateRestrictedToken with SIDs to disable: Administrators becomes deny-only (not enabled,
 *    no longer the owner), a SID the token lacks (Power Users) is ignored; deleted privileges
 *    are gone from TokenPrivileges; TokenHasRestrictions is set; IsTokenRestricted stays FALSE
 *    without restricting SIDs; the pseudo handle GetCurrentProcessToken() cannot be filtered;
 *  - restricting SIDs: TokenRestrictedSids lists them (mandatory, enabled); IsTokenRestricted;
 *    CheckTokenMembership on an impersonation copy (DuplicateTokenEx keeps the restrictions)
 *    needs a SID in both the groups and the restricting SIDs; a primary token is refused;
 *  - DISABLE_MAX_PRIVILEGE leaves SeChangeNotifyPrivilege only; SANDBOX_INERT; LUA_TOKEN;
 *  - ImpersonateLoggedOnUser with the restricted token: CheckTokenMembership(NULL) follows;
 *  - SetTokenInformation(TokenDefaultDacl) with the user added (AddUserToTokenDacl: GetAce,
 *    AddAce, AddAccessAllowedAceEx into InitializeAcl's ACL);
 *  - CreateProcessAsUserW with the token: the child's own token is the restricted one, and so
 *    is that of the child it starts with plain CreateProcessW; an impersonation token is
 *    ERROR_BAD_TOKEN_TYPE, a handle without TOKEN_ASSIGN_PRIMARY ERROR_ACCESS_DENIED;
 *  - bad flags, a bad SID.
 * Run elevated (token_restricted.token). Output as on Windows for an elevated administrator.
 * Wine 8.0 agrees on the deny-only Administrators, the deleted privileges, the memberships and
 * the child's token; it has no restricting SIDs, flags or TokenHasRestrictions, refuses none of
 * the bad calls, starts a child with an impersonation token, does not give the child the
 * default DACL set on its token, and makes the user, not Administrators, the owner. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

/* a call that should fail, and its error (read after the call) */
#define TRY(label, call)                                                                      \
    do {                                                                                      \
        BOOL ok_ = (call);                                                                    \
        DWORD e_ = GetLastError();                                                            \
        printf("%s: %d, error %lu\n", label, ok_, e_);                                        \
    } while (0)

static SID_IDENTIFIER_AUTHORITY nt_auth = {SECURITY_NT_AUTHORITY};
static SID_IDENTIFIER_AUTHORITY world_auth = {SECURITY_WORLD_SID_AUTHORITY};
static PSID admins, power_users, users, everyone, interactive;

static void make_sids(void)
{
    AllocateAndInitializeSid(&nt_auth, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0,
                             0, 0, 0, 0, 0, &admins);
    AllocateAndInitializeSid(&nt_auth, 2, SECURITY_BUILTIN_DOMAIN_RID,
                             DOMAIN_ALIAS_RID_POWER_USERS, 0, 0, 0, 0, 0, 0, &power_users);
    AllocateAndInitializeSid(&nt_auth, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS, 0,
                             0, 0, 0, 0, 0, &users);
    AllocateAndInitializeSid(&world_auth, 1, SECURITY_WORLD_RID, 0, 0, 0, 0, 0, 0, 0, &everyone);
    AllocateAndInitializeSid(&nt_auth, 1, SECURITY_INTERACTIVE_RID, 0, 0, 0, 0, 0, 0, 0,
                             &interactive);
}

/* The attributes of `sid` in TokenGroups, or -1 when the token lacks it. */
static long group_attr(HANDLE t, PSID sid)
{
    static BYTE buf[4096];
    DWORD len;
    if (!GetTokenInformation(t, TokenGroups, buf, sizeof buf, &len))
        return -2;
    TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
    for (DWORD i = 0; i < g->GroupCount; i++)
        if (EqualSid(g->Groups[i].Sid, sid))
            return (long)g->Groups[i].Attributes;
    return -1;
}

static const char *admins_state(HANDLE t)
{
    long a = group_attr(t, admins);
    if (a < 0)
        return "missing";
    if ((a & SE_GROUP_USE_FOR_DENY_ONLY) && !(a & SE_GROUP_ENABLED))
        return "deny-only";
    if ((a & SE_GROUP_ENABLED) && !(a & SE_GROUP_USE_FOR_DENY_ONLY))
        return "enabled";
    return "other";
}

static int has_priv(HANDLE t, DWORD luid, DWORD *count)
{
    BYTE buf[2048];
    DWORD len;
    if (!GetTokenInformation(t, TokenPrivileges, buf, sizeof buf, &len))
        return -1;
    TOKEN_PRIVILEGES *p = (TOKEN_PRIVILEGES *)buf;
    int found = 0;
    for (DWORD i = 0; i < p->PrivilegeCount; i++)
        found |= p->Privileges[i].Luid.LowPart == luid;
    if (count)
        *count = p->PrivilegeCount;
    return found;
}

static DWORD dword_info(HANDLE t, TOKEN_INFORMATION_CLASS c)
{
    DWORD v = 0xcccccccc, len;
    if (!GetTokenInformation(t, c, &v, sizeof v, &len))
        return 0xffffffff;
    return v;
}

static int owner_is_admins(HANDLE t)
{
    BYTE buf[256];
    DWORD len;
    if (!GetTokenInformation(t, TokenOwner, buf, sizeof buf, &len))
        return -1;
    return EqualSid(((TOKEN_OWNER *)buf)->Owner, admins) != 0;
}

/* CheckTokenMembership's answer: 0/1, or "error N". */
static void member(const char *label, HANDLE t, PSID sid)
{
    BOOL m = 7;
    if (CheckTokenMembership(t, sid, &m))
        printf("  member %s: %d\n", label, m);
    else
        printf("  member %s: error %lu\n", label, GetLastError());
}

static int child(const char *mode)
{
    HANDLE t;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &t);
    DWORD n;
    printf("%s: Administrators %s, has restrictions %lu, restricted %d, debug privilege %d\n",
           mode, admins_state(t), dword_info(t, TokenHasRestrictions), IsTokenRestricted(t),
           has_priv(t, 20 /* SeDebugPrivilege */, &n));
    member("Administrators", NULL, admins);
    member("Users", NULL, users);
    BYTE buf[1024];
    DWORD len;
    if (GetTokenInformation(t, TokenDefaultDacl, buf, sizeof buf, &len)) {
        ACL_SIZE_INFORMATION asi;
        GetAclInformation(((TOKEN_DEFAULT_DACL *)buf)->DefaultDacl, &asi, sizeof asi,
                          AclSizeInformation);
        printf("  default DACL ACEs: %lu\n", asi.AceCount);
    }
    fflush(stdout);
    if (!strcmp(mode, "child")) { /* its own child, started without a token */
        STARTUPINFOA si = {sizeof si};
        PROCESS_INFORMATION pi;
        char cmd[MAX_PATH + 32];
        char self[MAX_PATH];
        GetModuleFileNameA(NULL, self, sizeof self);
        snprintf(cmd, sizeof cmd, "\"%s\" grandchild", self);
        if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
            printf("CreateProcessA: error %lu\n", GetLastError());
            return 1;
        }
        WaitForSingleObject(pi.hProcess, INFINITE);
        DWORD code;
        GetExitCodeProcess(pi.hProcess, &code);
        printf("grandchild exit %lu\n", code);
    }
    return 0;
}

/* Adds the user to the token's default DACL as PostgreSQL's AddUserToTokenDacl does. */
static void add_user_to_dacl(HANDLE t)
{
    BYTE dbuf[1024], ubuf[256], acl_buf[1024];
    DWORD len;
    TOKEN_DEFAULT_DACL *d = (TOKEN_DEFAULT_DACL *)dbuf;
    ACL_SIZE_INFORMATION asi;
    if (!GetTokenInformation(t, TokenDefaultDacl, dbuf, sizeof dbuf, &len) ||
        !GetAclInformation(d->DefaultDacl, &asi, sizeof asi, AclSizeInformation) ||
        !GetTokenInformation(t, TokenUser, ubuf, sizeof ubuf, &len)) {
        printf("dacl: query error %lu\n", GetLastError());
        return;
    }
    PSID user = ((TOKEN_USER *)ubuf)->User.Sid;
    DWORD size = asi.AclBytesInUse + sizeof(ACCESS_ALLOWED_ACE) + GetLengthSid(user) - sizeof(DWORD);
    PACL acl = (PACL)acl_buf;
    TRY("InitializeAcl too small", InitializeAcl(acl, 4, ACL_REVISION));
    InitializeAcl(acl, size, ACL_REVISION);
    for (DWORD i = 0; i < asi.AceCount; i++) {
        void *ace;
        if (!GetAce(d->DefaultDacl, i, &ace) ||
            !AddAce(acl, ACL_REVISION, MAXDWORD, ace, ((ACE_HEADER *)ace)->AceSize)) {
            printf("dacl: copy error %lu\n", GetLastError());
            return;
        }
    }
    void *ace;
    TRY("GetAce past the end", GetAce(acl, asi.AceCount, &ace));
    if (!AddAccessAllowedAceEx(acl, ACL_REVISION, OBJECT_INHERIT_ACE, GENERIC_ALL, user))
        printf("AddAccessAllowedAceEx: error %lu\n", GetLastError());
    TRY("AddAccessAllowedAceEx when full",
        AddAccessAllowedAceEx(acl, ACL_REVISION, 0, GENERIC_READ, user));
    TOKEN_DEFAULT_DACL nd = {acl};
    if (!SetTokenInformation(t, TokenDefaultDacl, &nd, size))
        printf("SetTokenInformation: error %lu\n", GetLastError());
    GetTokenInformation(t, TokenDefaultDacl, dbuf, sizeof dbuf, &len);
    GetAclInformation(d->DefaultDacl, &asi, sizeof asi, AclSizeInformation);
    ACCESS_ALLOWED_ACE *last;
    GetAce(d->DefaultDacl, asi.AceCount - 1, (void **)&last);
    printf("default DACL: %lu ACEs, last: type %d, flags %d, mask 0x%lx, the user %d\n",
           asi.AceCount, last->Header.AceType, last->Header.AceFlags, last->Mask,
           EqualSid(&last->SidStart, user) != 0);
}

static void run_as(HANDLE token, const char *label)
{
    char self[MAX_PATH], cmd[MAX_PATH + 16];
    GetModuleFileNameA(NULL, self, sizeof self);
    snprintf(cmd, sizeof cmd, "\"%s\" child", self);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    fflush(stdout);
    if (!CreateProcessAsUserA(token, NULL, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED, NULL, NULL,
                              &si, &pi)) {
        printf("%s: error %lu\n", label, GetLastError());
        return;
    }
    ResumeThread(pi.hThread);
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("%s: child exit %lu\n", label, code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

int main(int argc, char **argv)
{
    make_sids();
    if (argc > 1)
        return child(argv[1]);
    HANDLE orig, r, imp;
    OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &orig);
    DWORD n0, n1;
    has_priv(orig, 20, &n0);
    printf("process token: Administrators %s, owner Administrators %d, restricted %d, has "
           "restrictions %lu\n",
           admins_state(orig), owner_is_admins(orig), IsTokenRestricted(orig),
           dword_info(orig, TokenHasRestrictions));

    /* PostgreSQL's: Administrators and Power Users disabled, privileges deleted */
    SID_AND_ATTRIBUTES drop[2] = {{admins, 0}, {power_users, 0}};
    LUID_AND_ATTRIBUTES del[2] = {{{20, 0}, 0} /* SeDebug */, {{17, 0}, 0} /* SeBackup */};
    if (!CreateRestrictedToken(orig, 0, 2, drop, 2, del, 0, NULL, &r)) {
        printf("CreateRestrictedToken: error %lu\n", GetLastError());
        return 1;
    }
    has_priv(r, 20, &n1);
    printf("restricted: Administrators %s, Power Users %ld, Users enabled %d, owner "
           "Administrators %d\n",
           admins_state(r), group_attr(r, power_users),
           (group_attr(r, users) & SE_GROUP_ENABLED) != 0, owner_is_admins(r));
    printf("  debug privilege %d, backup privilege %d, privileges deleted %lu\n",
           has_priv(r, 20, NULL), has_priv(r, 17, NULL), n0 - n1);
    printf("  has restrictions %lu, restricted %d, type %lu\n", dword_info(r, TokenHasRestrictions),
           IsTokenRestricted(r), dword_info(r, TokenType));
    printf("  process token unchanged: Administrators %s\n", admins_state(orig));
    member("Administrators (primary token)", r, admins);
    if (!DuplicateTokenEx(r, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenImpersonation,
                          &imp)) {
        printf("DuplicateTokenEx: error %lu\n", GetLastError());
        return 1;
    }
    printf("impersonation copy: Administrators %s, has restrictions %lu\n", admins_state(imp),
           dword_info(imp, TokenHasRestrictions));
    member("Administrators", imp, admins);
    member("Users", imp, users);
    member("Everyone", imp, everyone);
    ImpersonateLoggedOnUser(r);
    printf("impersonating:\n");
    member("Administrators", NULL, admins);
    RevertToSelf();
    printf("reverted:\n");
    member("Administrators", NULL, admins);

    /* restricting SIDs */
    HANDLE rs, rsi, wr;
    SID_AND_ATTRIBUTES only[2] = {{everyone, 0}, {users, 0}};
    CreateRestrictedToken(orig, 0, 0, NULL, 0, NULL, 2, only, &rs);
    BYTE buf[1024];
    DWORD len;
    GetTokenInformation(rs, TokenRestrictedSids, buf, sizeof buf, &len);
    TOKEN_GROUPS *g = (TOKEN_GROUPS *)buf;
    printf("restricting SIDs: restricted %d, count %lu, Everyone %d attr 0x%lx, Users %d attr "
           "0x%lx\n",
           IsTokenRestricted(rs), g->GroupCount, EqualSid(g->Groups[0].Sid, everyone) != 0,
           g->Groups[0].Attributes, EqualSid(g->Groups[1].Sid, users) != 0,
           g->Groups[1].Attributes);
    DuplicateTokenEx(rs, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenImpersonation, &rsi);
    member("Everyone", rsi, everyone);
    member("Users", rsi, users);
    member("INTERACTIVE (not restricting)", rsi, interactive);
    member("Administrators (not restricting)", rsi, admins);
    CreateRestrictedToken(orig, WRITE_RESTRICTED, 0, NULL, 0, NULL, 1, only, &wr);
    GetTokenInformation(wr, TokenRestrictedSids, buf, sizeof buf, &len);
    printf("write-restricted: restricted %d, count %lu\n", IsTokenRestricted(wr), g->GroupCount);

    /* flags */
    HANDLE mp, sb, lua;
    DWORD nmp;
    CreateRestrictedToken(orig, DISABLE_MAX_PRIVILEGE, 0, NULL, 0, NULL, 0, NULL, &mp);
    int cn = has_priv(mp, 23, &nmp);
    printf("DISABLE_MAX_PRIVILEGE: change-notify %d, count %lu\n", cn, nmp);
    CreateRestrictedToken(orig, SANDBOX_INERT, 0, NULL, 0, NULL, 0, NULL, &sb);
    printf("SANDBOX_INERT: sandbox inert %lu (process token %lu)\n", dword_info(sb, TokenSandBoxInert),
           dword_info(orig, TokenSandBoxInert));
    CreateRestrictedToken(orig, LUA_TOKEN, 0, NULL, 0, NULL, 0, NULL, &lua);
    GetTokenInformation(lua, TokenIntegrityLevel, buf, sizeof buf, &len);
    printf("LUA_TOKEN: Administrators %s, integrity 0x%lx\n", admins_state(lua),
           *GetSidSubAuthority(((TOKEN_MANDATORY_LABEL *)buf)->Label.Sid, 0));

    /* errors */
    HANDLE bad = (HANDLE)0x1234;
    TRY("bad flags", CreateRestrictedToken(orig, 0x100, 0, NULL, 0, NULL, 0, NULL, &bad));
    BYTE junk[8] = {9, 1, 0, 0, 0, 0, 0, 5};
    SID_AND_ATTRIBUTES badsid = {junk, 0};
    TRY("bad SID", CreateRestrictedToken(orig, 0, 1, &badsid, 0, NULL, 0, NULL, &bad));
    TRY("pseudo handle",
        CreateRestrictedToken((HANDLE)(LONG_PTR)-4, 0, 0, NULL, 0, NULL, 0, NULL, &bad));
    HANDLE q;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &q);
    TRY("no TOKEN_DUPLICATE", CreateRestrictedToken(q, 0, 0, NULL, 0, NULL, 0, NULL, &bad));

    add_user_to_dacl(r);

    /* the child */
    run_as(imp, "impersonation token");
    HANDLE noassign;
    DuplicateTokenEx(r, TOKEN_QUERY | TOKEN_DUPLICATE, NULL, SecurityImpersonation, TokenPrimary,
                     &noassign);
    run_as(noassign, "without TOKEN_ASSIGN_PRIMARY");
    run_as(r, "restricted token");
    return 0;
}
