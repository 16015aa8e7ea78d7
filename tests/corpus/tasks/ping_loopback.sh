# ping -n 2 and -l 100 of the loopback: iphlpapi's IcmpCreateFile and IcmpSendEcho (over a
# Linux ICMP socket: an unprivileged ping socket where net.ipv4.ping_group_range allows it,
# else a raw one) send the echo requests and hand back the replies with the data echoed, the
# round trip and the TTL of the reply (64: Linux answers for the loopback, where Windows would
# say 128). The round-trip times vary, so they are compared as T. Without either kind of ICMP
# socket (no CAP_NET_RAW, no ping group) the task is skipped. /? prints the usage, exit 1.
command -v python3 > /dev/null || { echo "skip corpus.$name: python3 is missing"; exit 77; }
python3 -c '
import socket
for kind in (socket.SOCK_DGRAM, socket.SOCK_RAW):
    try:
        socket.socket(socket.AF_INET, kind, socket.IPPROTO_ICMP).close()
        raise SystemExit(0)
    except PermissionError:
        pass
raise SystemExit(1)' || { echo "skip corpus.$name: no ICMP socket (neither a ping group nor CAP_NET_RAW)"; exit 77; }
mask_times() { sed -e 's/time[<=][0-9]*ms/time=Tms/' -e 's/= [0-9]*ms/= Tms/g' "$out" > "$tmp/got"; }
stats() { # the statistics lines after N replies of N
    printf '%s' "\\r\\nPing statistics for 127.0.0.1\\r\\n\\tPackets: Sent = $1, Received = $1, Lost = 0 (0%% loss)\\r\\nApproximate round trip times in milli-seconds:\\r\\n\\tMinimum = Tms, Maximum = Tms, Average = Tms\\r\\n"
}
run ping -n 2 127.0.0.1
expect_exit 0
mask_times
expected "Pinging 127.0.0.1 [127.0.0.1] with 32 bytes of data:\r\nReply from 127.0.0.1: bytes=32 time=Tms TTL=64\r\nReply from 127.0.0.1: bytes=32 time=Tms TTL=64\r\n$(stats 2)"
compare "ping -n 2's output" "$tmp/expected" "$tmp/got"
run ping -n 1 -l 100 127.0.0.1
expect_exit 0
mask_times
expected "Pinging 127.0.0.1 [127.0.0.1] with 100 bytes of data:\r\nReply from 127.0.0.1: bytes=100 time=Tms TTL=64\r\n$(stats 1)"
compare "ping -l 100's output" "$tmp/expected" "$tmp/got"
run ping /?
expect_stdout 'Usage: ping [-n count] [-w timeout] [-l buffer_length] target_name\r\n\r\nOptions:\r\n    -n  Number of echo requests to send.\r\n    -w  Timeout in milliseconds to wait for each reply.\r\n    -l  Length of send buffer.\r\n'
expect_exit 1
