/* SPDX-License-Identifier: MIT */
/* iphlpapi's ICMP echo (ping.exe): IcmpCreateFile, IcmpSendEcho, IcmpSendEcho2 (without its
 * event or APC: synchronous, as with neither), IcmpCloseHandle, over a Linux ICMP socket.
 *
 * IcmpCreateFile's handle is a file object owning the socket: an unprivileged "ping" socket
 * (SOCK_DGRAM, IPPROTO_ICMP: the kernel fills in the identifier and the checksum and hands back
 * only this socket's replies; allowed for the groups in net.ipv4.ping_group_range), else a raw
 * one (CAP_NET_RAW: this code writes the header and picks out its own replies by identifier and
 * sequence number). Neither: INVALID_HANDLE_VALUE with ERROR_ACCESS_DENIED.
 *
 * IcmpSendEcho sends one echo request (the caller's data; RequestOptions' TTL and TOS) and
 * waits up to Timeout ms for its reply: one ICMP_ECHO_REPLY at the start of ReplyBuffer, the
 * echoed data after it (Data points there), the round trip in ms and the reply's TTL; returns 1.
 * A destination-unreachable or time-exceeded answer (raw socket) is a reply with that status
 * (IP_DEST_*_UNREACHABLE, IP_TTL_EXPIRED_TRANSIT). No answer in time: 0, IP_REQ_TIMED_OUT. A
 * ReplyBuffer smaller than one ICMP_ECHO_REPLY plus the data plus 8 bytes: 0, IP_BUF_TOO_SMALL
 * (Windows' documented minimum). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif
#define ICMP_ERROR_INVALID_PARAMETER 87u
#define ICMP_ERROR_ACCESS_DENIED 5u
#define ICMP_ERROR_NOT_ENOUGH_MEMORY 8u
#define ICMP_ERROR_NOACCESS 998u
#define ICMP_ERROR_INVALID_HANDLE 6u
#define ICMP_IP_SUCCESS 0u
#define ICMP_IP_BUF_TOO_SMALL 11001u
#define ICMP_IP_DEST_NET_UNREACHABLE 11002u
#define ICMP_IP_DEST_HOST_UNREACHABLE 11003u
#define ICMP_IP_DEST_PROT_UNREACHABLE 11004u
#define ICMP_IP_DEST_PORT_UNREACHABLE 11005u
#define ICMP_IP_REQ_TIMED_OUT 11010u
#define ICMP_IP_TTL_EXPIRED_TRANSIT 11013u
#define ICMP_IP_GENERAL_FAILURE 11050u

/* IP_OPTION_INFORMATION (x64) */
typedef struct {
    uint8_t Ttl;          /* 0x00 */
    uint8_t Tos;          /* 0x01 */
    uint8_t Flags;        /* 0x02 */
    uint8_t OptionsSize;  /* 0x03 */
    uint32_t pad;
    uint8_t *OptionsData; /* 0x08 */
} icmp_options;
_Static_assert(sizeof(icmp_options) == 0x10, "IP_OPTION_INFORMATION");

/* ICMP_ECHO_REPLY (x64) */
typedef struct {
    uint32_t Address;       /* 0x00 network order */
    uint32_t Status;        /* 0x04 */
    uint32_t RoundTripTime; /* 0x08 ms */
    uint16_t DataSize;      /* 0x0c */
    uint16_t Reserved;      /* 0x0e */
    void *Data;             /* 0x10 */
    icmp_options Options;   /* 0x18 */
} icmp_echo_reply;
_Static_assert(offsetof(icmp_echo_reply, Data) == 0x10, "ICMP_ECHO_REPLY.Data");
_Static_assert(sizeof(icmp_echo_reply) == 0x28, "ICMP_ECHO_REPLY");

static HANDLE WINAPI icmp_IcmpCreateFile(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd < 0)
        fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd < 0) {
        thk_set_last_error(ICMP_ERROR_ACCESS_DENIED);
        return INVALID_HANDLE_VALUE;
    }
    nt_file *f = nt_file_new_owned(fd, 0x120089 | 0x120116 /* FILE_GENERIC_READ | WRITE */);
    HANDLE h = INVALID_HANDLE_VALUE;
    if (!f) {
        close(fd);
        thk_set_last_error(ICMP_ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    NTSTATUS st = nt_handle_alloc(&f->hdr, &h);
    nt_object_release(&f->hdr);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return INVALID_HANDLE_VALUE;
    }
    return h;
}
THK_EXPORT_AS(iphlpapi, IcmpCreateFile, icmp_IcmpCreateFile, 0);

static BOOL WINAPI icmp_IcmpCloseHandle(HANDLE h)
{
    NTSTATUS st = NtClose(h);
    if (st != STATUS_SUCCESS) {
        thk_set_last_status(st);
        return FALSE;
    }
    return TRUE;
}
THK_EXPORT_AS(iphlpapi, IcmpCloseHandle, icmp_IcmpCloseHandle, 1);

static uint16_t icmp_checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] | p[i + 1] << 8);
    if (n & 1)
        sum += p[n - 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint64_t icmp_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A destination-unreachable code as Windows' IP_STATUS. */
static uint32_t icmp_unreachable_status(uint8_t code)
{
    switch (code) {
    case 0: return ICMP_IP_DEST_NET_UNREACHABLE;
    case 2: return ICMP_IP_DEST_PROT_UNREACHABLE;
    case 3: return ICMP_IP_DEST_PORT_UNREACHABLE;
    default: return ICMP_IP_DEST_HOST_UNREACHABLE;
    }
}

static DWORD icmp_send_echo(HANDLE h, uint32_t dest, const void *req_data, uint16_t req_size,
                            const icmp_options *req_opts, void *reply_buf, DWORD reply_size,
                            DWORD timeout)
{
    if (!reply_buf || reply_size < sizeof(icmp_echo_reply) + req_size + 8u) {
        thk_set_last_error(reply_buf ? ICMP_IP_BUF_TOO_SMALL : ICMP_ERROR_INVALID_PARAMETER);
        return 0;
    }
    nt_file *f;
    if (nt_file_get(h, &f) != STATUS_SUCCESS) {
        thk_set_last_error(ICMP_ERROR_INVALID_HANDLE);
        return 0;
    }
    int fd = f->fd, type = 0;
    socklen_t tl = sizeof type;
    DWORD result = 0;
    uint8_t *pkt = malloc(8u + req_size), *in = malloc(65536);
    if (!pkt || !in || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0) {
        thk_set_last_error(pkt && in ? ICMP_IP_GENERAL_FAILURE : ICMP_ERROR_NOT_ENOUGH_MEMORY);
        goto out;
    }
    bool raw = type == SOCK_RAW;
    icmp_options opts = {.Ttl = 128};
    if (req_opts && rt_safe_copy(&opts, req_opts, sizeof opts) != 0) {
        thk_set_last_error(ICMP_ERROR_NOACCESS);
        goto out;
    }
    int ttl = opts.Ttl ? opts.Ttl : 128, tos = opts.Tos, on = 1;
    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos);
    if (!raw)
        setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof on);
    static _Atomic uint16_t next_seq;
    uint16_t seq = ++next_seq, id = (uint16_t)(getpid() ^ 0x4e54);
    memset(pkt, 0, 8);
    pkt[0] = 8; /* echo request */
    pkt[4] = (uint8_t)(id >> 8);
    pkt[5] = (uint8_t)id;
    pkt[6] = (uint8_t)(seq >> 8);
    pkt[7] = (uint8_t)seq;
    if (req_size && rt_safe_copy(pkt + 8, req_data, req_size) != 0) {
        thk_set_last_error(ICMP_ERROR_NOACCESS);
        goto out;
    }
    uint16_t ck = icmp_checksum(pkt, 8u + req_size);
    memcpy(pkt + 2, &ck, 2);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = dest};
    uint64_t start = icmp_now_ms();
    if (sendto(fd, pkt, 8u + req_size, 0, (struct sockaddr *)&to, sizeof to) < 0) {
        thk_set_last_error(errno == ENETUNREACH ? ICMP_IP_DEST_NET_UNREACHABLE
                           : errno == EHOSTUNREACH ? ICMP_IP_DEST_HOST_UNREACHABLE
                                                   : ICMP_IP_GENERAL_FAILURE);
        goto out;
    }
    for (;;) {
        uint64_t spent = icmp_now_ms() - start;
        if (spent >= timeout) {
            thk_set_last_error(ICMP_IP_REQ_TIMED_OUT);
            break;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)(timeout - spent));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue; /* the time is up: said above */
        struct sockaddr_in from;
        char cbuf[128];
        struct iovec iov = {in, 65536};
        struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
                           .msg_iovlen = 1, .msg_control = cbuf,
                           .msg_controllen = sizeof cbuf};
        ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
        if (n < 0)
            continue;
        const uint8_t *icmp = in;
        size_t len = (size_t)n;
        int reply_ttl = 0;
        if (raw) { /* the IP header first */
            if (len < 20 || (in[0] >> 4) != 4 || len < (size_t)(in[0] & 15) * 4 + 8)
                continue;
            reply_ttl = in[8];
            icmp = in + (in[0] & 15) * 4;
            len -= (size_t)(in[0] & 15) * 4;
        } else {
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
                if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
                    memcpy(&reply_ttl, CMSG_DATA(c), sizeof reply_ttl);
            if (len < 8)
                continue;
        }
        uint16_t rseq = (uint16_t)(icmp[6] << 8 | icmp[7]);
        uint16_t rid = (uint16_t)(icmp[4] << 8 | icmp[5]);
        uint32_t status;
        const uint8_t *data;
        size_t dlen;
        if (icmp[0] == 0) { /* echo reply: ours? (a ping socket's are all ours but the seq) */
            if (rseq != seq || (raw && rid != id))
                continue;
            status = ICMP_IP_SUCCESS;
            data = icmp + 8;
            dlen = len - 8;
        } else if (raw && (icmp[0] == 3 || icmp[0] == 11) && len >= 8 + 20 + 8) {
            /* an error about a packet of ours: its IP header and first 8 bytes follow */
            const uint8_t *orig = icmp + 8;
            size_t ohl = (size_t)(orig[0] & 15) * 4;
            if (len < 8 + ohl + 8 || orig[9] != IPPROTO_ICMP)
                continue;
            const uint8_t *oi = orig + ohl;
            if (oi[0] != 8 || (uint16_t)(oi[4] << 8 | oi[5]) != id ||
                (uint16_t)(oi[6] << 8 | oi[7]) != seq)
                continue;
            status = icmp[0] == 3 ? icmp_unreachable_status(icmp[1])
                                  : ICMP_IP_TTL_EXPIRED_TRANSIT;
            data = NULL;
            dlen = 0;
        } else {
            continue;
        }
        if (dlen > reply_size - sizeof(icmp_echo_reply))
            dlen = reply_size - sizeof(icmp_echo_reply);
        uint64_t rtt = icmp_now_ms() - start;
        uint8_t *out = reply_buf;
        icmp_echo_reply rep = {
            .Address = from.sin_addr.s_addr,
            .Status = status,
            .RoundTripTime = (uint32_t)rtt,
            .DataSize = (uint16_t)dlen,
            .Data = out + sizeof rep,
            .Options = {.Ttl = (uint8_t)reply_ttl, .Tos = 0, .Flags = 0},
        };
        if (rt_safe_copy(out, &rep, sizeof rep) != 0 ||
            (dlen && rt_safe_copy(out + sizeof rep, data, dlen) != 0)) {
            thk_set_last_error(ICMP_ERROR_NOACCESS);
            break;
        }
        result = 1;
        break;
    }
out:
    free(pkt);
    free(in);
    nt_object_release(&f->hdr);
    return result;
}

static DWORD WINAPI icmp_IcmpSendEcho(HANDLE h, uint32_t dest, void *data, uint16_t size,
                                      icmp_options *opts, void *reply, DWORD reply_size,
                                      DWORD timeout)
{
    return icmp_send_echo(h, dest, data, size, opts, reply, reply_size, timeout);
}
THK_EXPORT_AS(iphlpapi, IcmpSendEcho, icmp_IcmpSendEcho, 8);

/* IcmpSendEcho2 without an event or APC routine: as IcmpSendEcho. With one: the request would
 * complete asynchronously, which is not done here (ERROR_NOT_SUPPORTED). */
static DWORD WINAPI icmp_IcmpSendEcho2(HANDLE h, HANDLE event, void *apc, void *apc_ctx,
                                       uint32_t dest, void *data, uint16_t size,
                                       icmp_options *opts, void *reply, DWORD reply_size,
                                       DWORD timeout)
{
    (void)apc_ctx;
    if (event || apc) {
        thk_set_last_error(50u /* ERROR_NOT_SUPPORTED */);
        return 0;
    }
    return icmp_send_echo(h, dest, data, size, opts, reply, reply_size, timeout);
}
THK_EXPORT_AS(iphlpapi, IcmpSendEcho2, icmp_IcmpSendEcho2, 11);
