/* WSADuplicateSocketA and WSASocketA(FROM_PROTOCOL_INFO) with a WSAPROTOCOL_INFOA, as
 * PostgreSQL's postmaster gives a backend its client's connection (write_inheritable_socket /
 * read_inheritable_socket in launch_backend.c, built without UNICODE): the accepted socket is
 * duplicated for the child's process id, the info travels (here through the child's stdin), the
 * child makes its socket of it, receives the client's request and answers on it after the
 * parent has closed its own. Also within the process, the info's fields and szProtocol as
 * chars, and a NULL info. Output as on Windows; Wine 8.0 names the protocol "TCP/IP" where
 * Windows' catalog says "MSAFD Tcpip [TCP/IP]". */
#include <winsock2.h>
#include <stdio.h>
#include <string.h>
#include "ws_loopback.h"
#include "xproc_start.h"

static int child_main(void)
{
    WSAPROTOCOL_INFOA info;
    DWORD got = 0, n;
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    while (got < sizeof info && ReadFile(in, (char *)&info + got, sizeof info - got, &n, NULL) && n)
        got += n;
    if (got != sizeof info)
        return 10;
    SOCKET s = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    if (s == INVALID_SOCKET)
        return 20;
    char req[16];
    int r = recv(s, req, sizeof req, 0);
    if (r != 5 || memcmp(req, "query", 5))
        return 30;
    if (send(s, "answer", 6, 0) != 6)
        return 40;
    closesocket(s);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child_main();
    setvbuf(stdout, NULL, _IONBF, 0);

    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in a = ws_loopback(0);
    int len = sizeof a;
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4) ||
        getsockname(l, (struct sockaddr *)&a, &len))
        return 1;
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (connect(c, (struct sockaddr *)&a, sizeof a))
        return 2;
    SOCKET s = accept(l, NULL, NULL);
    if (s == INVALID_SOCKET)
        return 3;

    /* within the process */
    WSAPROTOCOL_INFOA info;
    memset(&info, 0xcc, sizeof info);
    int r = WSADuplicateSocketA(s, GetCurrentProcessId(), &info);
    printf("duplicate here: %d, af %d type %d proto %d, \"%s\"\n", r, info.iAddressFamily,
           info.iSocketType, info.iProtocol, info.szProtocol);
    SOCKET d = WSASocketA(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, 0);
    printf("from the info: %d, distinct %d\n", d != INVALID_SOCKET, d != s);
    closesocket(d);
    r = WSADuplicateSocketA(s, GetCurrentProcessId(), NULL);
    printf("NULL info: %d %d\n", r, WSAGetLastError());

    /* into a child */
    HANDLE wr;
    PROCESS_INFORMATION pi;
    if (!xproc_start_piped("child", &wr, &pi))
        return 4;
    r = WSADuplicateSocketA(s, pi.dwProcessId, &info);
    DWORD w;
    WriteFile(wr, &info, sizeof info, &w, NULL);
    CloseHandle(wr);
    closesocket(s); /* the child's socket stays */
    send(c, "query", 5, 0);
    char got[16];
    int n = recv(c, got, sizeof got, 0);
    WaitForSingleObject(pi.hProcess, 20000);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    printf("child: duplicate %d, exit %lu, the client got \"%.*s\"\n", r, code, n > 0 ? n : 0,
           got);
    closesocket(c);
    closesocket(l);
    WSACleanup();
    return 0;
}
