/* Impersonation as Windows does it for one user: a thread has no token until it impersonates
 * (ERROR_NO_TOKEN); ImpersonateSelf gives it an impersonation token of the process's user at
 * the level asked (TokenType 2, TokenImpersonationLevel; a primary token has no level:
 * ERROR_INVALID_PARAMETER); an anonymous-level token cannot be opened
 * (ERROR_CANT_OPEN_ANONYMOUS); RevertToSelf ends it; another thread is not affected;
 * DuplicateTokenEx needs TOKEN_DUPLICATE (ERROR_ACCESS_DENIED), cannot raise an
 * identification-level token (ERROR_BAD_IMPERSONATION_LEVEL); SetThreadToken needs
 * TOKEN_IMPERSONATE (ERROR_ACCESS_DENIED) and refuses a primary token (ERROR_BAD_TOKEN_TYPE);
 * ImpersonateLoggedOnUser takes a primary token;
 * GetCurrentThreadEffectiveToken follows the impersonation. Wine 8.0 differs in two lines: it
 * makes a primary token of an identification-level one and lets a thread take a primary token,
 * which Windows refuses (STATUS_BAD_IMPERSONATION_LEVEL, STATUS_BAD_TOKEN_TYPE). */
#include <stdio.h>
#include <windows.h>

static DWORD info(HANDLE t, TOKEN_INFORMATION_CLASS c)
{
    DWORD v = 0xdead, got;
    if (!GetTokenInformation(t, c, &v, sizeof v, &got))
        return 1000000 + GetLastError();
    return v;
}

static void thread_token(const char *what)
{
    HANDLE t;
    if (OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t)) {
        printf("%s: type %lu level %lu\n", what, info(t, TokenType),
               info(t, TokenImpersonationLevel));
        CloseHandle(t);
    } else {
        printf("%s: error %lu\n", what, GetLastError());
    }
}

static DWORD WINAPI other_thread(void *arg)
{
    (void)arg;
    thread_token("other thread");
    return 0;
}

static void same_user(HANDLE a, HANDLE b)
{
    BYTE ua[128], ub[128];
    DWORD got;
    GetTokenInformation(a, TokenUser, ua, sizeof ua, &got);
    GetTokenInformation(b, TokenUser, ub, sizeof ub, &got);
    printf("same user: %d\n", EqualSid(((TOKEN_USER *)ua)->User.Sid, ((TOKEN_USER *)ub)->User.Sid));
}

int main(void)
{
    HANDLE proc, q, dup, dup2;
    HANDLE effective = (HANDLE)(LONG_PTR)-6;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_DUPLICATE, &proc);
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &q);
    printf("process token: type %lu level %lu\n", info(proc, TokenType),
           info(proc, TokenImpersonationLevel));
    thread_token("before");
    printf("effective before: type %lu\n", info(effective, TokenType));

    printf("ImpersonateSelf: %d\n", ImpersonateSelf(SecurityImpersonation));
    thread_token("impersonating");
    printf("effective: type %lu level %lu\n", info(effective, TokenType),
           info(effective, TokenImpersonationLevel));
    HANDLE t;
    OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &t);
    same_user(t, proc);
    CloseHandle(t);
    HANDLE th = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    printf("RevertToSelf: %d\n", RevertToSelf());
    thread_token("reverted");

    ImpersonateSelf(SecurityAnonymous);
    thread_token("anonymous");
    RevertToSelf();

    BOOL ok = DuplicateTokenEx(q, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation,
                               TokenImpersonation, &dup);
    printf("duplicate without TOKEN_DUPLICATE: %d error %lu\n", ok, GetLastError());
    printf("duplicate to identification: %d\n",
           DuplicateTokenEx(proc, TOKEN_ALL_ACCESS, NULL, SecurityIdentification,
                            TokenImpersonation, &dup));
    printf("  type %lu level %lu\n", info(dup, TokenType), info(dup, TokenImpersonationLevel));
    ok = DuplicateTokenEx(dup, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenImpersonation,
                          &dup2);
    printf("raise to impersonation: %d error %lu\n", ok, GetLastError());
    ok = DuplicateTokenEx(dup, TOKEN_ALL_ACCESS, NULL, SecurityImpersonation, TokenPrimary, &dup2);
    printf("primary from identification: %d error %lu\n", ok, GetLastError());
    printf("SetThreadToken(identification): %d\n", SetThreadToken(NULL, dup));
    thread_token("identification");
    RevertToSelf();
    CloseHandle(dup);
    ok = SetThreadToken(NULL, proc); /* the handle lacks TOKEN_IMPERSONATE */
    printf("SetThreadToken(no TOKEN_IMPERSONATE): %d error %lu\n", ok, GetLastError());
    HANDLE pi;
    OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY | TOKEN_IMPERSONATE, &pi);
    ok = SetThreadToken(NULL, pi);
    printf("SetThreadToken(primary): %d error %lu\n", ok, GetLastError());
    CloseHandle(pi);
    printf("ImpersonateLoggedOnUser(primary): %d\n", ImpersonateLoggedOnUser(proc));
    thread_token("logged-on user");
    printf("DuplicateToken: %d\n", DuplicateToken(proc, SecurityDelegation, &dup));
    printf("  type %lu level %lu\n", info(dup, TokenType), info(dup, TokenImpersonationLevel));
    CloseHandle(dup);
    RevertToSelf();
    thread_token("end");
    CloseHandle(q);
    CloseHandle(proc);
    return 0;
}
