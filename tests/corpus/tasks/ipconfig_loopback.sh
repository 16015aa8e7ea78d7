# ipconfig lists the adapters of GetAdaptersAddresses, the loopback first as Windows names it
# (Loopback Pseudo-Interface 1) with 127.0.0.1 and ::1 (WSAAddressToStringW), and with /all
# its description, DHCP state and the host's node type. The other adapters and the host name
# are the host's own, so only the loopback's block is compared; its DNS suffix line, which
# /etc/resolv.conf fills, is left out.
run ipconfig
expect_exit 0
sed -n '1,7{/DNS suffix/!p}' "$out" > "$tmp/got"
printf 'Ethernet adapter Loopback Pseudo-Interface 1\r\n\r\n    IPv4 address. . . . . . . . . . . : 127.0.0.1\r\n    IPv6 address. . . . . . . . . . . : ::1\r\n    Default gateway . . . . . . . . . : \r\n\r\n' > "$tmp/want"
compare "ipconfig's loopback adapter" "$tmp/want" "$tmp/got"
run ipconfig /all
expect_exit 0
grep -E '^    (Node type|IP routing enabled|Description|DHCP enabled)' "$out" | head -4 > "$tmp/got"
printf '    Node type . . . . . . . . . . . . : Hybrid\r\n    IP routing enabled. . . . . . . . : No\r\n    Description . . . . . . . . . . . : Software Loopback Interface 1\r\n    DHCP enabled. . . . . . . . . . . : No\r\n' > "$tmp/want"
compare "ipconfig /all's lines" "$tmp/want" "$tmp/got"
