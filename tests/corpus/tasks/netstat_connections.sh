# netstat -an lists the host's IPv4 connections (iphlpapi GetTcpTable: Wine's netstat shows
# those ESTABLISHED, CLOSE_WAIT or TIME_WAIT) and UDP sockets (GetUdpTable) with numeric
# addresses, sorted by local address and port: a TCP connection on the loopback that a Python
# helper holds open, seen from both ends, and a UDP socket it has bound. Other sockets of the
# host are listed too, so only the helper's lines are compared. Wine's netstat ends its lines
# with LF.
command -v python3 > /dev/null || { echo "skip corpus.$name: python3 is missing"; exit 77; }
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
print(s.getsockname()[1], c.getsockname()[1], u.getsockname()[1], flush=True)
sys.stdin.read()
' < /dev/zero > ports.txt &
helper=$!
i=0
while [ ! -s ports.txt ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
read server client udp < ports.txt
run netstat -an
kill $helper 2> /dev/null
expect_exit 0
lo=$server hi=$client
[ "$client" -lt "$server" ] && lo=$client hi=$server
printf '  TCP    %-22s %-22s ESTABLISHED\n  TCP    %-22s %-22s ESTABLISHED\n  UDP    %-22s *:*\n' \
    "127.0.0.1:$lo" "127.0.0.1:$hi" "127.0.0.1:$hi" "127.0.0.1:$lo" "127.0.0.1:$udp" > "$tmp/want"
# both ends of the helper's connection, and its UDP socket: not a TIME_WAIT line of another
# connection (another test's) that had one of these ports at its local end
grep -E "TCP +127\.0\.0\.1:($server|$client) +127\.0\.0\.1:($server|$client) |UDP +127\.0\.0\.1:$udp " \
    "$out" > "$tmp/got"
compare "netstat's lines of the helper's sockets" "$tmp/want" "$tmp/got"
head -4 "$out" > "$tmp/head"
printf '\nActive Connections\n\n  Proto  Local Address          Foreign Address        State\n' > "$tmp/want"
compare "netstat's header" "$tmp/want" "$tmp/head"
