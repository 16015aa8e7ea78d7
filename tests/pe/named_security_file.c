/* GetNamedSecurityInfoW/A on files (SE_FILE_OBJECT), as libgit2 checks who owns a repository:
 * the owner of a file the process created is the token's owner (TokenOwner), a valid SID that
 * EqualSid matches; the group is the token's primary group; the descriptor is self-relative,
 * with a DACL when one was asked for and the pointers inside it; the parts not asked for stay
 * NULL. A missing file gives ERROR_FILE_NOT_FOUND, a missing folder on the way
 * ERROR_PATH_NOT_FOUND (returned, not set as the last error). Also the helpers libgit2 uses on
 * the owner and the DACL: IsWellKnownSid, GetSecurityDescriptorControl, GetAclInformation and
 * IsValidAcl, with a damaged ACL and a short buffer. Wine 8.0 differs in one point:
 * its files are owned by the user while its token's owner is Administrators; on Windows an
 * elevated token's owner (Administrators) owns the files the process creates. */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>

static void *token_part(TOKEN_INFORMATION_CLASS klass)
{
    static BYTE buf[2][1024];
    static int k;
    HANDLE t;
    DWORD len;
    BYTE *b = buf[k++ & 1];
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &t);
    GetTokenInformation(t, klass, b, sizeof buf[0], &len);
    CloseHandle(t);
    return *(void **)b;
}

int main(void)
{
    CloseHandle(CreateFileW(L"owned.txt", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL));
    CreateDirectoryW(L"dir", NULL);

    PSID owner = (PSID)1, group = (PSID)1;
    PACL dacl = (PACL)1, sacl = (PACL)1;
    PSECURITY_DESCRIPTOR sd = NULL;
    DWORD r = GetNamedSecurityInfoW(L"owned.txt", SE_FILE_OBJECT,
                                    OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                    &owner, &group, &dacl, &sacl, &sd);
    printf("file: %lu, owner valid %d, owner = token owner %d, group %s, dacl %s, sacl %s\n",
           r, IsValidSid(owner), EqualSid(owner, token_part(TokenOwner)),
           group ? "set" : "NULL", dacl ? "set" : "NULL", sacl ? "set" : "NULL");
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD rev = 0;
    GetSecurityDescriptorControl(sd, &control, &rev);
    printf("revision %lu, self-relative %d, DACL present %d, owner inside %d\n", rev,
           (control & SE_SELF_RELATIVE) != 0, (control & SE_DACL_PRESENT) != 0,
           (BYTE *)owner > (BYTE *)sd && (BYTE *)owner < (BYTE *)sd + 4096);
    ACL_SIZE_INFORMATION asi = {0};
    GetAclInformation(dacl, &asi, sizeof asi, AclSizeInformation);
    printf("dacl valid %d, at least one ACE %d\n", IsValidAcl(dacl), asi.AceCount >= 1);
    ACL_REVISION_INFORMATION ari = {0};
    BOOL ok = GetAclInformation(dacl, &ari, sizeof ari, AclRevisionInformation);
    printf("revision info %d: %lu\n", ok, ari.AclRevision);
    ok = GetAclInformation(dacl, &asi, sizeof asi - 1, AclSizeInformation);
    printf("short buffer %d\n", ok);
    WORD size = dacl->AclSize;
    dacl->AclSize = 6;
    printf("ACL size 6: valid %d\n", IsValidAcl(dacl));
    dacl->AclSize = size;
    dacl->AclRevision = 9;
    printf("ACL revision 9: valid %d\n", IsValidAcl(dacl));
    LocalFree(sd);

    static const struct {
        const char *text;
        WELL_KNOWN_SID_TYPE type;
    } known[] = {
        {"S-1-5-32-544", WinBuiltinAdministratorsSid}, {"S-1-5-32-544", WinBuiltinUsersSid},
        {"S-1-5-18", WinLocalSystemSid},               {"S-1-5-18-0", WinLocalSystemSid},
        {"S-1-1-0", WinWorldSid},                      {"S-1-16-12288", WinHighLabelSid},
        {"S-1-3-4", WinCreatorOwnerRightsSid},         {"S-1-5-64-10", WinNTLMAuthenticationSid},
    };
    for (int i = 0; i < (int)(sizeof known / sizeof known[0]); i++) {
        PSID s = NULL;
        ConvertStringSidToSidA(known[i].text, &s);
        printf("IsWellKnownSid(%s, %d) = %d\n", known[i].text, known[i].type,
               IsWellKnownSid(s, known[i].type));
        LocalFree(s);
    }

    sd = NULL;
    r = GetNamedSecurityInfoW(L"dir", SE_FILE_OBJECT, GROUP_SECURITY_INFORMATION, NULL, &group,
                              NULL, NULL, &sd);
    printf("dir group: %lu, = token primary group %d\n", r,
           EqualSid(group, token_part(TokenPrimaryGroup)));
    LocalFree(sd);

    sd = NULL;
    r = GetNamedSecurityInfoA("owned.txt", SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                              NULL, NULL, NULL, &sd);
    printf("A: %lu, owner = token owner %d\n", r, EqualSid(owner, token_part(TokenOwner)));
    LocalFree(sd);

    sd = (PSECURITY_DESCRIPTOR)1;
    r = GetNamedSecurityInfoW(L"missing.txt", SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                              NULL, NULL, NULL, &sd);
    printf("missing file: %lu\n", r);
    r = GetNamedSecurityInfoW(L"nodir\\x.txt", SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION,
                              &owner, NULL, NULL, NULL, &sd);
    printf("missing folder: %lu\n", r);

    DeleteFileW(L"owned.txt");
    RemoveDirectoryW(L"dir");
    return 0;
}
